"""The overview chart: every event on one time axis, eras as bands, the busiest era magnified.

Drawn at build time as inline SVG, without JavaScript, in two artboards as ai2html does: one
drawing scaled from a desktop column down to a 360 px phone would shrink its text to 5 px, so
the narrow artboard has its own, taller layout and static/chart.css shows the one that fits.
A mark covers the period its date is known to (a dot for a time, or for a day too short to
see; a bar for a year, or for a whole day in the magnified strip), as the timeline keeps the
precision the author gave. Text widths are estimated (there are no fonts at build time), on
the generous side, so that labels err towards more room. An axis too crowded for a mark per
event (more than MAX_LANES rows of them: a long chronicle) shows how many events each month,
quarter or year holds instead, each bar a link to the first of them.
"""

from .axis import overview_chart
from .layout import BOARDS, MAX_LANES, focus_era

__all__ = ["BOARDS", "MAX_LANES", "focus_era", "overview_chart"]
