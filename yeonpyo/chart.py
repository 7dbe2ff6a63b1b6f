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

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

from babel.dates import format_interval, get_timezone_name
from markupsafe import Markup, escape

from .dates import When, display, end_of, format_skeleton, home_display, start_of
from .i18n import counted, date_words
from .model import Content, Era, Event

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


@dataclass(frozen=True)
class Title:
    """An era title on the main axis: inside its band, or above the bands with a leader line."""

    text: tuple[str, ...]  # lines
    x: float  # where the text starts (inside) or ends (callout)
    leader: float | None  # the band's centre, for a callout
    row: int  # callout row counted up from the bands; -1 inside


def overview_chart(content: Content, lang: str, strings: dict[str, str],
                   href: Callable[[Event], str]) -> Markup:
    """The timeline's overview picture in `lang`, each event's mark a link to `href(event)`."""
    if not content.events:
        return Markup("")
    ov = _overview(content, lang, strings, href)
    return _el("div", {"class": "chart"}, Markup("").join(_board(board, ov) for board in BOARDS))


def focus_era(content: Content) -> Era | None:
    """The era to magnify: the first told day by day, else the short era with the most events a day."""
    zone = content.site.zone
    counts = {e.key: sum(1 for k in content.era_of.values() if k == e.key) for e in content.site.eras}
    days = {e.key: (end_of(e.end, zone) - start_of(e.start, zone)).total_seconds() / DAY for e in content.site.eras}
    short = [e for e in content.site.eras if counts[e.key] >= 2 and days[e.key] <= MAX_FOCUS_DAYS]
    by_day = [e for e in short if e.by_day]
    return by_day[0] if by_day else max(short, key=lambda e: counts[e.key] / days[e.key], default=None)


def _overview(content: Content, lang: str, strings: dict[str, str], href: Callable[[Event], str]) -> Overview:
    zone = content.site.zone
    marks = [_mark(e) for e in content.events]
    first = min(dt.datetime.fromtimestamp(m.t0, zone).year for m in marks)
    last = max(dt.datetime.fromtimestamp(m.t1 - 1, zone).year for m in marks)
    eras = tuple((era, start_of(era.start, zone).timestamp(), end_of(era.end, zone).timestamp(),
                  sum(1 for e in content.events if content.era_of.get(e.slug) == era.key))
                 for era in content.site.eras)
    focus = focus_era(content)
    inside = [focus is not None and content.era_of.get(m.event.slug) == focus.key for m in marks]
    return Overview(content, lang, strings, href, (first, last), eras,
                    tuple(m for m, i in zip(marks, inside) if not i), focus,
                    tuple(m for m, i in zip(marks, inside) if i), {})


def _mark(event: Event) -> Mark:
    t0 = start_of(event.when, event.zone).timestamp()
    timed = event.when.precision == "minute" and event.end is None
    return Mark(event, t0, end_of(event.end or event.when, event.zone).timestamp(), timed)


# The artboard and its main axis ----------------------------------------------------------------


def _board(board: Board, ov: Overview) -> Markup:
    """One artboard: the eras and marks over the years, then the magnified strip."""
    zone, prefix = ov.content.site.zone, f"chart-{board.name}"
    scale = Scale(start_of(When(ov.years[0]), zone).timestamp(), end_of(When(ov.years[1]), zone).timestamp(),
                  board.margin, board.width - board.margin)
    stacked = _stack(ov.marks, scale, board.mark, limit=MAX_LANES)
    if stacked is None:  # too crowded for a mark per event: a bar per period
        main, y_base, height = _main(board, ov, scale, BAR_LANES)
        links = _bin_links(board, ov, scale, y_base)
    else:
        main, y_base, height = _main(board, ov, scale, 1 + max((lane for *_, lane in stacked), default=0))
        # On a phone a mark is too small to tap: the marks are a picture there (the map of the
        # story above links each era, and each day of the strip is a link).
        draw = _link if board.name != "narrow" else lambda ov, mark, *box: _plain(*box)
        links = [(mark, draw(ov, mark, x0, x1, y_base - 2 - (lane + 1) * board.lane + (board.lane - board.mark) / 2,
                             board.mark)) for mark, x0, x1, lane in stacked]
    split = ov.focus_marks[0].t0 if ov.focus_marks else float("inf")
    hidden = {"aria-hidden": "true"} if board.name == "narrow" and stacked is not None else {}
    before = _el("g", {"class": "chart-marks", **hidden}, Markup("").join(a for m, a in links if m.t0 < split))
    after = _el("g", {"class": "chart-marks", **hidden}, Markup("").join(a for m, a in links if m.t0 >= split))
    strip = Markup("")
    if ov.focus is not None:  # between the two, so that the keyboard goes through events in time order
        strip, height = _strip(board, ov, scale, y_base, height)
    head = (_el("title", {"id": f"{prefix}-title"}, ov.strings["chart_title"])
            + _el("desc", {"id": f"{prefix}-desc"}, _description(ov, binned=stacked is None)))
    # role=img would make the links inside presentational (axe: nested-interactive); SVG-AAM's
    # graphics-document names the picture and keeps its links in the accessibility tree.
    attrs = {"class": f"chart-board chart-{board.name}", "viewBox": f"0 0 {_num(board.width)} {_num(height)}",
             "role": "graphics-document", "aria-labelledby": f"{prefix}-title {prefix}-desc"}
    return _el("svg", attrs, head + main + before + strip + after)


def _main(board: Board, ov: Overview, scale: Scale, lanes: int) -> tuple[Markup, float, float]:
    """Era bands with their titles and the year axis; returns them, the axis' y and the height."""
    font, row_height = board.font, board.font * 1.4
    titles = _era_titles(board, ov, scale)
    rows = 1 + max((t.row for t in titles), default=-1)
    y_band = font * 0.6 + rows * row_height
    lines = max((len(t.text) for t in titles if t.row < 0), default=0)
    y_base = y_band + lines * font * 1.25 + font * 0.7 + lanes * board.lane + 2
    out = [_bands(ov, scale, y_band, y_base)]
    for t in titles:
        if t.row < 0:
            out += [_text(t.x, y_band + font * (1.15 + 1.25 * i), line, "chart-era-title")
                    for i, line in enumerate(t.text)]
        else:
            out.append(_callout(t, y_band - font * 0.45 - t.row * row_height, y_band, font))
    out.append(_years(board, ov, scale, y_base))
    return Markup("").join(out), y_base, y_base + font * 1.75


def _era_titles(board: Board, ov: Overview, scale: Scale) -> list[Title]:
    """Titles inside bands wide enough, the rest above with leaders, in rows that never cross."""
    titles: list[Title] = []
    callouts: list[tuple[float, str]] = []
    for era, t0, t1, _ in ov.eras:
        x0, x1 = scale(t0), scale(t1)
        if era is ov.focus or x1 <= x0:
            continue
        text = era.title[ov.lang]
        lines = _wrap(text, board.font, x1 - x0 - 10, board.title_lines)
        if lines:
            titles.append(Title(lines, x0 + 5, None, -1))
        else:
            callouts.append(((x0 + x1) / 2, text))
    placed: list[tuple[float, float, int]] = []
    for centre, text in sorted(callouts, key=lambda c: c[0]):
        # Each label ends at its leader and leaders rise in rows from left to right, so a later,
        # overlapping label goes a row higher and no leader runs through a label.
        width = _text_width(text, board.font, bold=True)
        end = max(centre - 4, board.margin + width)
        row = 1 + max((r for s, e, r in placed if s < end + 8 and end - width < e + 8), default=-1)
        placed.append((end - width, end, row))
        titles.append(Title((text,), end, centre, row))
    return titles


def _callout(title: Title, y: float, y_band: float, font: float) -> Markup:
    assert title.leader is not None
    top = y - font * 0.75 if title.x <= title.leader else y + 3
    return (_text(title.x, y, title.text[0], "chart-era-title", "end")
            + _path("chart-leader", f"M{_num(title.leader)} {_num(top)}V{_num(y_band)}"))


def _bands(ov: Overview, scale: Scale, top: float, bottom: float) -> Markup:
    """Shaded era bands, alternating, with the magnified one in the accent colour."""
    out, shade = [], 0
    for era, t0, t1, _ in ov.eras:
        x0, x1 = scale(t0), scale(t1)
        if x1 <= x0:
            continue
        if era is ov.focus:
            middle = (x0 + x1) / 2
            cls, x0, x1 = "chart-band-focus", min(x0, middle - 1), max(x1, middle + 1)
        else:
            cls, shade = f"chart-band-{shade % 2}", shade + 1
        out.append(_el("rect", {"class": f"chart-band {cls}", "data-era": era.key, "x": x0, "y": top,
                                "width": x1 - x0, "height": bottom - top}))
    return _el("g", {"class": "chart-eras"}, Markup("").join(out))


def _years(board: Board, ov: Overview, scale: Scale, y: float) -> Markup:
    """The axis line, a tick each New Year, and year labels centred between the ticks."""
    zone, (first, last) = ov.content.site.zone, ov.years
    starts = [start_of(When(year), zone).timestamp() for year in range(first, last + 2)]
    out = [_path("chart-axis", f"M{_num(scale.x0)} {_num(y)}H{_num(scale.x1)}")]
    out += [_path("chart-tick", f"M{_num(scale(t))} {_num(y)}v4") for t in starts]
    centres = [(scale(a) + scale(b)) / 2 for a, b in zip(starts, starts[1:])]
    labels = _year_labels(board, ov, min(b - a for a, b in zip(centres, centres[1:])) if len(centres) > 1 else 1e9)
    step = 2 if len(labels) > 1 and _text_width(labels[1], board.font) + 6 > centres[1] - centres[0] else 1
    out += [_text(x, y + 5 + board.font, label, "chart-year", "middle")
            for i, (label, x) in enumerate(zip(labels, centres)) if i % step == 0]
    return Markup("").join(out)


def _year_labels(board: Board, ov: Overview, slot: float) -> list[str]:
    """2015년 2016 2017, or 2015 ’16 ’17 when years are narrow: the unit and century once, first."""
    first, last = ov.years
    width = lambda text: _text_width(text, board.font)  # noqa: E731
    rest = [str(year) for year in range(first + 1, last + 1)]
    if max(map(width, rest), default=0) + 6 > slot:
        rest = [f"’{year % 100:02d}" for year in range(first + 1, last + 1)]
    cldr = format_skeleton("y", start_of(When(first), ov.content.site.zone), ov.lang)
    neighbour = width(rest[0]) / 2 if rest else 0
    # The first label may run into the margin and its neighbour's half of the slot, no further.
    fits = [c for c in (cldr, str(first)) if width(c) / 2 + neighbour + 5 <= slot
            and width(c) / 2 <= board.margin + slot / 2]
    return [fits[0] if fits else f"’{first % 100:02d}"] + rest


# The magnified strip ---------------------------------------------------------------------------


def _strip(board: Board, ov: Overview, years: Scale, y_base: float, y_top: float) -> tuple[Markup, float]:
    """The busiest era day by day below the main axis, joined to its place there; returns the height."""
    assert ov.focus is not None
    zone, font, bar = ov.content.site.zone, board.font, board.mark - 3
    t0, t1 = start_of(ov.focus.start, zone).timestamp(), end_of(ov.focus.end, zone).timestamp()
    scale = Scale(t0, t1, board.margin, board.width - board.margin)
    y0 = y_top + font * 1.6
    head, y = _strip_head(board, ov, y0 + font * 0.6)
    y_dots = y + font * (0.5 + 1.2 * len(board.day_skeletons)) + 4
    dots = _stack([m for m in ov.focus_marks if m.timed], scale, board.mark)
    bars = _stack([m for m in ov.focus_marks if not m.timed], scale, bar, inset=2)
    assert dots is not None and bars is not None  # no lane limit in the strip
    y_bars = y_dots + (1 + max((lane for *_, lane in dots), default=-1)) * board.lane + 3
    y_axis = y_bars + (1 + max((lane for *_, lane in bars), default=-1)) * (bar + 2.5) + 2
    placed = [(m, x0, x1, y_dots + lane * board.lane + (board.lane - board.mark) / 2, board.mark)
              for m, x0, x1, lane in dots] + [(m, x0, x1, y_bars + lane * (bar + 2.5), bar) for m, x0, x1, lane in bars]
    placed.sort(key=lambda item: ov.focus_marks.index(item[0]))
    days = _days(ov, t0, t1)
    if board.name == "narrow":  # on a phone a mark is too small to tap: each day is the link
        marks = Markup("").join(_plain(x0, x1, yy, h) for _m, x0, x1, yy, h in placed)
        links = _day_links(board, ov, scale, days, y0, y_axis) + _el("g", {"aria-hidden": "true"}, marks)
    else:
        links = Markup("").join(_link(ov, m, x0, x1, yy, h) for m, x0, x1, yy, h in placed)
    panel = _el("rect", {"class": "chart-band chart-strip", "data-era": ov.focus.key, "x": scale.x0, "y": y0,
                         "width": scale.x1 - scale.x0, "height": y_axis - y0})
    labels, y_end = _key_labels(board, ov, placed, y_axis + font * 3.1)  # below the "noon" label
    drawing = (_zoom(years, scale, y_base, y_top, y0) + panel + head
               + _day_grid(board, ov, scale, days, y + font * 0.5, y_axis))
    return (_el("g", {"class": "chart-focus"}, drawing + _el("g", {"class": "chart-marks"}, links) + labels),
            max(y_axis + font * 1.7, y_end))


def _key_labels(board: Board, ov: Overview, placed: Sequence[tuple[Mark, float, float, float, float]],
                y: float) -> tuple[Markup, float]:
    """The turning points (events with a `key` label) named under the strip without hovering,
    each joined by a leader to its mark, in rows that never overlap; returns them and the end y."""
    font = board.font * 0.92
    keyed = [(m, (x0 + x1) / 2, ym + h) for m, x0, x1, ym, h in placed if ov.lang in m.event.key]
    spans = []
    for mark, centre, _bottom in keyed:
        width = _text_width(mark.event.key[ov.lang], font, bold=True)
        left = min(max(centre - width / 2, board.margin), board.width - board.margin - width)
        spans.append((left, left + width))
    rows = _pack(spans, font * 0.8, None) or []
    out = []
    for (mark, centre, bottom), (left, right), row in zip(keyed, spans, rows):
        baseline = y + row * font * 1.45
        out.append(_path("chart-leader", f"M{_num(centre)} {_num(bottom + 1)}V{_num(baseline - font)}"))
        out.append(_text((left + right) / 2, baseline, mark.event.key[ov.lang], "chart-key-label", "middle"))
    end = y + (max(rows, default=-1) + 1) * font * 1.45
    return _el("g", {"class": "chart-keys", "aria-hidden": "true"}, Markup("").join(out)), end


def _day_links(board: Board, ov: Overview, scale: Scale, days: Sequence[dt.datetime], top: float,
               bottom: float) -> Markup:
    """A day of the strip as one link, to its first event: a target as wide as the day."""
    out = []
    for day in days:
        start, end = day.timestamp(), (day + dt.timedelta(days=1)).timestamp()
        inside = [m for m in ov.focus_marks if start <= m.t0 < end]
        if not inside:
            continue
        label = counted(ov.strings, ov.lang, "chart_day_link", len(inside),
                        day=format_skeleton("MMMEd", day, ov.lang))
        x0, x1 = scale(start), scale(end)
        area = _el("rect", {"class": "chart-day-hit", "x": x0, "y": top, "width": x1 - x0, "height": bottom - top})
        out.append(_el("a", {"class": "chart-link chart-day-link", "href": ov.href(inside[0].event)},
                       _el("title", {}, label) + area))
    return Markup("").join(out)


def _plain(x0: float, x1: float, y: float, height: float) -> Markup:
    """A mark that is not a link (the day around it is)."""
    shape = "chart-dot" if x1 - x0 <= height + 0.05 else "chart-span"
    return _el("rect", {"class": f"chart-mark {shape}", "x": x0, "y": y, "width": x1 - x0, "height": height,
                        "rx": height / 2})


def _zoom(years: Scale, strip: Scale, y_base: float, y_top: float, y_strip: float) -> Markup:
    """The wedge from the era's sliver on the main axis, down past the year labels, to the strip."""
    x0, x1 = years(strip.t0), years(strip.t1)
    middle = (x0 + x1) / 2
    x0, x1 = min(x0, middle - 1), max(x1, middle + 1)
    d = (f"M{_num(x0)} {_num(y_base)}H{_num(x1)}V{_num(y_top)}L{_num(strip.x1)} {_num(y_strip)}"
         f"H{_num(strip.x0)}L{_num(x0)} {_num(y_top)}Z")
    return _path("chart-zoom", d)


def _strip_head(board: Board, ov: Overview, y: float) -> tuple[Markup, float]:
    """The strip's title, dates and time zone, flowed into lines, and the key; returns the next y."""
    assert ov.focus is not None
    zone, s, font = ov.content.site.zone, ov.strings, board.font
    zone_name = get_timezone_name(zone, "long", locale=ov.lang)
    parts = [(ov.focus.title[ov.lang], "chart-strip-title"),
             (counted(s, ov.lang, "event_count", len(ov.focus_marks)), "chart-note"),
             (_era_dates(ov, ov.focus), "chart-note"), (s["chart_times_in"].format(zone=zone_name), "chart-note")]
    room = board.width - 2 * board.margin - font
    lines: list[list[tuple[str, str]]] = [[]]
    for part in parts:
        if lines[-1] and _parts_width(lines[-1] + [part], font) > room:
            lines.append([])
        lines[-1].append(part)
    key_width = _key_width(board, s)
    key_inline = _parts_width(lines[-1], font) + key_width + 2 * font <= room
    out = []
    for i, line in enumerate(lines):
        spans = [_el("tspan", {"class": cls}, (" · " if j else "") + text) for j, (text, cls) in enumerate(line)]
        out.append(_el("text", {"class": "chart-head", "x": board.margin + font / 2, "y": y + font * (1 + 1.3 * i)},
                       Markup("").join(spans)))
    y_key = y + font * (1 + 1.3 * (len(lines) - (1 if key_inline else 0)))
    x_key = board.width - board.margin - font / 2 - key_width if key_inline else board.margin + font / 2
    out.append(_key(board, s, x_key, y_key))
    return Markup("").join(out), y_key + font * 0.3


def _key(board: Board, strings: dict[str, str], x: float, y: float) -> Markup:
    """What the two kinds of mark mean: a dot for a known time, a bar for a day."""
    h, font = board.mark, board.font
    dot = _el("rect", {"class": "chart-mark chart-dot", "x": x, "y": y - font * 0.35 - h / 2, "width": h,
                       "height": h, "rx": h / 2})
    h -= 3
    x_text = x + h + 5
    x_bar = x_text + _text_width(strings["chart_key_time"], font * 0.92) + font
    bar = _el("rect", {"class": "chart-mark chart-span", "x": x_bar, "y": y - font * 0.35 - h / 2,
                       "width": font * 1.8, "height": h, "rx": h / 2})
    return _el("g", {"class": "chart-key", "aria-hidden": "true"},
               dot + _text(x_text, y, strings["chart_key_time"], "chart-note")
               + bar + _text(x_bar + font * 1.8 + 4, y, strings["chart_key_period"], "chart-note"))


def _key_width(board: Board, strings: dict[str, str]) -> float:
    return (board.mark + 5 + _text_width(strings["chart_key_time"], board.font * 0.92) + board.font * 2.8 + 4
            + _text_width(strings["chart_key_period"], board.font * 0.92))


def _days(ov: Overview, t0: float, t1: float) -> list[dt.datetime]:
    """Each midnight in the site's zone from t0 to the end of the period."""
    zone = ov.content.site.zone
    day, out = dt.datetime.fromtimestamp(t0, zone).date(), []
    while (midnight := dt.datetime.combine(day, dt.time(), zone)).timestamp() < t1:
        out.append(midnight)
        day += dt.timedelta(days=1)
    return out


def _day_grid(board: Board, ov: Overview, scale: Scale, days: Sequence[dt.datetime], y: float,
              y_axis: float) -> Markup:
    """Day labels, a rule each midnight, the axis, and ticks every six hours (the first noon labelled)."""
    font, out = board.font, []
    for day in days:
        x = scale(day.timestamp())
        if day is not days[0]:
            out.append(_path("chart-day-rule", f"M{_num(x)} {_num(y - font * 0.2)}V{_num(y_axis)}"))
        out += [_text(x + 5, y + font * (1 + 1.2 * i), format_skeleton(sk, day, ov.lang), "chart-day")
                for i, sk in enumerate(board.day_skeletons)]
        for hour in HOURS:
            hx = scale((day + dt.timedelta(hours=hour)).timestamp())
            out.append(_path("chart-tick", f"M{_num(hx)} {_num(y_axis)}v{3 if hour != 12 else 5}"))
            if hour == 12 and day is days[0]:
                out.append(_text(hx, y_axis + 5 + font * 0.9, ov.strings["chart_noon"], "chart-minor", "middle"))
    out.append(_path("chart-axis", f"M{_num(scale.x0)} {_num(y_axis)}H{_num(scale.x1)}"))
    return Markup("").join(out)


# Marks and text --------------------------------------------------------------------------------


def _extent(scale: Scale, mark: Mark, height: float, inset: float = 0.0) -> tuple[float, float]:
    """A mark's left and right x: its period, or a dot centred on it when that is too short to see."""
    x0, x1 = scale(mark.t0), scale(mark.t1)
    if not mark.timed and x1 - x0 - 2 * inset > height:
        return x0 + inset, x1 - inset
    centre = x0 if mark.timed else (x0 + x1) / 2
    return centre - height / 2, centre + height / 2


def _stack(marks: Sequence[Mark], scale: Scale, height: float, inset: float = 0.0,
           limit: int | None = None) -> list[tuple[Mark, float, float, int]] | None:
    """Each mark with its left and right x and its lane, stacked so that none overlap;
    None when that takes more than `limit` lanes."""
    spans = [_extent(scale, m, height, inset) for m in marks]
    lanes = _pack(spans, 1.5, limit)
    return None if lanes is None else [(m, x0, x1, lane) for m, (x0, x1), lane in zip(marks, spans, lanes)]


def _pack(spans: Sequence[tuple[float, float]], gap: float, limit: int | None) -> list[int] | None:
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


def _link(ov: Overview, mark: Mark, x0: float, x1: float, y: float, height: float) -> Markup:
    """A mark as a link to its event, named by its title and date."""
    shape = "chart-dot" if x1 - x0 <= height + 0.05 else "chart-span"
    rect = _el("rect", {"class": f"chart-mark {shape}", "x": x0, "y": y, "width": x1 - x0, "height": height,
                        "rx": height / 2})
    event = mark.event
    if event.slug not in ov.titles:
        ov.titles[event.slug] = _mark_title(ov.content, ov.lang, ov.strings, event)
    return _el("a", {"class": "chart-link", "href": ov.href(event)}, _el("title", {}, ov.titles[event.slug]) + rect)


def _mark_title(content: Content, lang: str, strings: dict[str, str], event: Event) -> str:
    words = date_words(strings, content.site.home_zones.get(lang), content.site.zone)
    title = event.title.get(lang) or next(event.title[code] for code in content.site.languages
                                          if code in event.title)
    date = display(event.when, event.zone, lang, words, event.approximate)
    if event.end:
        date += " – " + display(event.end, event.zone, lang, words)
    home = home_display(event.when, event.zone, lang, words)
    return f"{title} — {date}" + (f", {home}" if home else "")


def _description(ov: Overview, binned: bool) -> str:
    """The text alternative: how many events, which years, each era and its count (and, on a
    crowded axis, that its bars count events)."""
    s = ov.strings
    eras = ", ".join(s["chart_era_events"].format(title=era.title[ov.lang], n=n) for era, *_, n in ov.eras)
    magnified = (s["chart_magnified"].format(title=ov.focus.title[ov.lang], dates=_era_dates(ov, ov.focus))
                 if ov.focus else "")
    text = s["chart_desc"].format(n=len(ov.content.events), start=ov.years[0], end=ov.years[1], eras=eras,
                                  magnified=magnified).strip()
    return f"{text} {s['chart_binned']}" if binned else text


def _bin_links(board: Board, ov: Overview, scale: Scale, y_base: float) -> list[tuple[Mark, Markup]]:
    """A bar per month (or quarter, or year: the shortest period that leaves a bar MIN_BIN wide)
    holding events, as tall as its count, linking to its first event; with the first mark of each."""
    zone, (first, last) = ov.content.site.zone, ov.years
    skeleton, months = next(((sk, n) for sk, n in BINS
                             if (scale.x1 - scale.x0) * n / (12 * (last - first + 1)) >= MIN_BIN), BINS[-1])
    groups: dict[tuple[int, int], list[Mark]] = {}
    for mark in ov.marks:  # in time order, so each group starts with its first event
        when = dt.datetime.fromtimestamp(mark.t0, zone)
        groups.setdefault((when.year, (when.month - 1) // months * months + 1), []).append(mark)
    tallest, room = max(len(marks) for marks in groups.values()), BAR_LANES * board.lane
    out = []
    for (year, month), marks in groups.items():
        start = dt.datetime(year, month, 1, tzinfo=zone)
        end = dt.datetime(year + (month + months - 1) // 12, (month + months - 1) % 12 + 1, 1, tzinfo=zone)
        x0, x1 = scale(start.timestamp()) + 0.5, scale(end.timestamp()) - 0.5
        height = max(2.0, room * len(marks) / tallest)
        rect = _el("rect", {"class": "chart-mark chart-bin", "x": x0, "y": y_base - 2 - height, "width": x1 - x0,
                            "height": height})
        title = counted(ov.strings, ov.lang, "chart_bin", len(marks), period=format_skeleton(skeleton, start, ov.lang))
        out.append((marks[0], _el("a", {"class": "chart-link", "href": ov.href(marks[0].event)},
                                  _el("title", {}, title) + rect)))
    return out


def _era_dates(ov: Overview, era: Era) -> str:
    """An era's first to last day, as CLDR writes an interval (`Nov 17 – 22, 2023`)."""
    zone = ov.content.site.zone
    last = end_of(era.end, zone) - dt.timedelta(seconds=1)
    return format_interval(start_of(era.start, zone).date(), last.date(), "yMMMd", locale=ov.lang)


def _wrap(text: str, size: float, width: float, max_lines: int) -> tuple[str, ...] | None:
    """The text in at most `max_lines` lines of `width` (estimated), or None if it will not fit."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}", size, bold=True) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        elif _text_width(word, size, bold=True) <= width:
            lines.append(word)
        else:
            return None
    return tuple(lines) if 0 < len(lines) <= max_lines else None


def _text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of how wide `text` sets in a sans-serif (DejaVu Sans is among the widest)."""
    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            em += 1.0
        elif ch == " ":
            em += 0.32
        elif ch in "iljft.,:;'’|!()[]·":
            em += 0.4
        elif ch.isdigit():
            em += 0.64
        elif ch.isupper() or ch in "mw–—":
            em += 0.72
        else:
            em += 0.62
    return em * size * (1.08 if bold else 1.0)


def _parts_width(parts: Sequence[tuple[str, str]], size: float) -> float:
    gaps = 1.2 * size * (len(parts) - 1)  # the " · " between parts
    return sum(_text_width(text, size, bold=cls == "chart-strip-title") for text, cls in parts) + gaps


def _path(cls: str, d: str) -> Markup:
    return _el("path", {"class": cls, "d": d})


def _text(x: float, y: float, text: str, cls: str, anchor: str | None = None) -> Markup:
    return _el("text", {"class": cls, "x": x, "y": y, "text-anchor": anchor}, text)


def _el(name: str, attrs: dict[str, object], body: str | Markup | None = None) -> Markup:
    """An element with escaped attributes and text; numbers rounded so that output is stable."""
    parts = "".join(f' {key}="{escape(_num(value) if isinstance(value, (int, float)) else value)}"'
                    for key, value in attrs.items() if value is not None)
    if body is None:
        return Markup(f"<{name}{parts}/>")
    return Markup(f"<{name}{parts}>") + body + Markup(f"</{name}>")


def _num(value: float) -> str:
    return f"{round(value, 1) + 0.0:.1f}".rstrip("0").rstrip(".")
