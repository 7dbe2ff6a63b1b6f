"""What the chart draws, worked out once from the content: artboards, marks, scales, and
where marks go (lanes that never overlap)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babel.dates import format_interval
from markupsafe import Markup

from ..dates import display, end_of, home_display, start_of
from ..i18n import date_words, shown_language
from ..model import Content, Era, Event
from . import svg

MAX_FOCUS_DAYS = 31  # longer eras get no strip: its axis has a label per day
DAY = 86400.0
HOURS = (6, 12, 18)  # minor ticks in the strip
MAX_LANES = 16  # rows of marks on the main axis before it counts events per period instead
BAR_LANES = 8  # the busiest period's bar is as tall as this many rows of marks
MIN_BIN = 5.0  # the narrowest bar for a period, in user units
BINS = (("yMMM", 1), ("yQQQ", 3), ("y", 12))  # CLDR skeleton of a period and its months


@dataclass(frozen=True)
class Board:
    """One artboard's geometry in SVG user units; the font sizes must match static/chart.css."""

    name: str
    width: float
    margin: float
    font: float  # label size
    mark: float  # height of a mark
    lane: float  # vertical step between stacked marks
    title_lines: int  # lines an era title may wrap to inside its band
    day_skeletons: tuple[str, ...]  # CLDR skeletons, one per line of a day label


BOARDS = (
    Board("wide", 880, 20, 13, 9, 11, 1, ("MMMEd",)),
    Board("narrow", 340, 10, 12.5, 8, 10, 2, ("E", "d")),
)


@dataclass(frozen=True)
class Mark:
    """An event as a stretch of time: from the start of its stated period to the end of its last."""

    event: Event
    t0: float  # POSIX seconds
    t1: float
    timed: bool  # a minute-precision point in time


@dataclass(frozen=True)
class Scale:
    """A linear map from POSIX seconds to x, clamped to its domain."""

    t0: float
    t1: float
    x0: float
    x1: float

    def __call__(self, t: float) -> float:
        t = min(max(t, self.t0), self.t1)
        return self.x0 + (t - self.t0) / (self.t1 - self.t0) * (self.x1 - self.x0)


@dataclass(frozen=True)
class Overview:
    """What both artboards draw, worked out once from the content."""

    content: Content
    lang: str
    strings: dict[str, str]
    href: Callable[[Event], str]
    years: tuple[int, int]
    eras: tuple[tuple[Era, float, float, int], ...]  # era, first instant, end instant, event count
    marks: tuple[Mark, ...]  # on the main axis
    focus: Era | None
    focus_marks: tuple[Mark, ...]  # in the magnified strip
    titles: dict[str, str]  # slug -> what its mark is named, filled as marks are drawn (both boards share it)
    max_lanes: int  # rows of marks on the main axis before it counts events per period instead


@dataclass(frozen=True)
class Title:
    """An era title on the main axis: inside its band, or above the bands with a leader line."""

    text: tuple[str, ...]  # lines
    x: float  # where the text starts (inside) or ends (callout)
    leader: float | None  # the band's centre, for a callout
    row: int  # callout row counted up from the bands; -1 inside


def focus_era(content: Content) -> Era | None:
    """The era to magnify: the first told day by day, else the short era with the most events a day."""
    zone = content.site.zone
    counts = {e.key: sum(1 for k in content.era_of.values() if k == e.key) for e in content.site.eras}
    days = {e.key: (end_of(e.end, zone) - start_of(e.start, zone)).total_seconds() / DAY for e in content.site.eras}
    short = [e for e in content.site.eras if counts[e.key] >= 2 and days[e.key] <= MAX_FOCUS_DAYS]
    by_day = [e for e in short if e.by_day]
    return by_day[0] if by_day else max(short, key=lambda e: counts[e.key] / days[e.key], default=None)


def make_overview(content: Content, lang: str, strings: dict[str, str], href: Callable[[Event], str],
                  max_lanes: int) -> Overview:
    zone = content.site.zone
    marks = [mark_of(e) for e in content.events]
    first = min(dt.datetime.fromtimestamp(m.t0, zone).year for m in marks)
    last = max(dt.datetime.fromtimestamp(m.t1 - 1, zone).year for m in marks)
    eras = tuple((era, start_of(era.start, zone).timestamp(), end_of(era.end, zone).timestamp(),
                  sum(1 for e in content.events if content.era_of.get(e.slug) == era.key))
                 for era in content.site.eras)
    focus = focus_era(content)
    inside = [focus is not None and content.era_of.get(m.event.slug) == focus.key for m in marks]
    return Overview(content, lang, strings, href, (first, last), eras,
                    tuple(m for m, i in zip(marks, inside) if not i), focus,
                    tuple(m for m, i in zip(marks, inside) if i), {}, max_lanes)


def mark_of(event: Event) -> Mark:
    t0 = start_of(event.when, event.zone).timestamp()
    timed = event.when.precision == "minute" and event.end is None
    return Mark(event, t0, end_of(event.end or event.when, event.zone).timestamp(), timed)


def extent(scale: Scale, mark: Mark, height: float, inset: float = 0.0) -> tuple[float, float]:
    """A mark's left and right x: its period, or a dot centred on it when that is too short to see."""
    x0, x1 = scale(mark.t0), scale(mark.t1)
    if not mark.timed and x1 - x0 - 2 * inset > height:
        return x0 + inset, x1 - inset
    centre = x0 if mark.timed else (x0 + x1) / 2
    return centre - height / 2, centre + height / 2


def stack(marks: Sequence[Mark], scale: Scale, height: float, inset: float = 0.0,
           limit: int | None = None) -> list[tuple[Mark, float, float, int]] | None:
    """Each mark with its left and right x and its lane, stacked so that none overlap;
    None when that takes more than `limit` lanes."""
    spans = [extent(scale, m, height, inset) for m in marks]
    lanes = pack(spans, 1.5, limit)
    return None if lanes is None else [(m, x0, x1, lane) for m, (x0, x1), lane in zip(marks, spans, lanes)]


def pack(spans: Sequence[tuple[float, float]], gap: float, limit: int | None) -> list[int] | None:
    """Each span's lane: the lowest whose last span ends `gap` before this one starts (None
    as soon as a span would need lane `limit`)."""
    ends: list[float] = []
    lanes = [0] * len(spans)
    for i in sorted(range(len(spans)), key=lambda i: (spans[i][0], i)):
        x0, x1 = spans[i]
        lane = next((k for k, end in enumerate(ends) if end + gap <= x0), len(ends))
        if limit is not None and lane >= limit:
            return None
        ends[lane:lane + 1] = [x1]
        lanes[i] = lane
    return lanes


def link(ov: Overview, mark: Mark, x0: float, x1: float, y: float, height: float) -> Markup:
    """A mark as a link to its event, named by its title and date."""
    shape = "chart-dot" if x1 - x0 <= height + 0.05 else "chart-span"
    rect = svg.el("rect", {"class": f"chart-mark {shape}", "x": x0, "y": y, "width": x1 - x0, "height": height,
                        "rx": height / 2})
    event = mark.event
    if event.slug not in ov.titles:
        ov.titles[event.slug] = mark_title(ov.content, ov.lang, ov.strings, event)
    title = svg.el("title", {}, ov.titles[event.slug])
    return svg.el("a", {"class": "chart-link", "href": ov.href(event)}, title + rect)


def plain(x0: float, x1: float, y: float, height: float) -> Markup:
    """A mark that is not a link (the day around it is)."""
    shape = "chart-dot" if x1 - x0 <= height + 0.05 else "chart-span"
    return svg.el("rect", {"class": f"chart-mark {shape}", "x": x0, "y": y, "width": x1 - x0, "height": height,
                        "rx": height / 2})


def mark_title(content: Content, lang: str, strings: dict[str, str], event: Event) -> str:
    words = date_words(strings, content.site.home_zones.get(lang), content.site.zone)
    title = event.title[shown_language(event.title, lang, content.site.languages)]
    date = display(event.when, event.zone, lang, words, event.approximate)
    if event.end:
        date += " – " + display(event.end, event.zone, lang, words)
    home = home_display(event.when, event.zone, lang, words)
    return f"{title} — {date}" + (f", {home}" if home else "")


def era_dates(ov: Overview, era: Era) -> str:
    """An era's first to last day, as CLDR writes an interval (`Nov 17 – 22, 2023`)."""
    zone = ov.content.site.zone
    last = end_of(era.end, zone) - dt.timedelta(seconds=1)
    return format_interval(start_of(era.start, zone).date(), last.date(), "yMMMd", locale=ov.lang)
