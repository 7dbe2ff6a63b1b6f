"""The chart's artboards and their main axis: era bands and titles, years, a mark (or a
bar per period) for each event, and the text alternative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import pairwise

from markupsafe import Markup

from ..dates import When, end_of, format_skeleton, start_of
from ..i18n import counted
from ..model import Content, Event
from . import svg
from .layout import (
    BAR_LANES,
    BINS,
    BOARDS,
    MAX_LANES,
    MIN_BIN,
    Board,
    Mark,
    Overview,
    Scale,
    Title,
    era_dates,
    link,
    make_overview,
    plain,
    stack,
)
from .strip import draw_strip


def overview_chart(content: Content, lang: str, strings: dict[str, str], href: Callable[[Event], str],
                   max_lanes: int = MAX_LANES) -> Markup:
    """The timeline's overview picture in `lang`, each event's mark a link to `href(event)`;
    beyond `max_lanes` rows of marks the main axis counts events per period instead."""
    if not content.events:
        return Markup("")
    ov = make_overview(content, lang, strings, href, max_lanes)
    return svg.el("div", {"class": "chart"}, Markup("").join(_board(board, ov) for board in BOARDS))


def _board(board: Board, ov: Overview) -> Markup:
    """One artboard: the eras and marks over the years, then the magnified strip."""
    zone, prefix = ov.content.site.zone, f"chart-{board.name}"
    scale = Scale(start_of(When(ov.years[0]), zone).timestamp(), end_of(When(ov.years[1]), zone).timestamp(),
                  board.margin, board.width - board.margin)
    stacked = stack(ov.marks, scale, board.mark, limit=ov.max_lanes)
    if stacked is None:  # too crowded for a mark per event: a bar per period
        main, y_base, height = _main(board, ov, scale, BAR_LANES)
        links = _bin_links(board, ov, scale, y_base)
    else:
        main, y_base, height = _main(board, ov, scale, 1 + max((lane for *_, lane in stacked), default=0))
        # On a phone a mark is too small to tap: the marks are a picture there (the map of the
        # story above links each era, and each day of the strip is a link).
        draw = link if board.name != "narrow" else lambda ov, mark, *box: plain(*box)
        links = [(mark, draw(ov, mark, x0, x1, y_base - 2 - (lane + 1) * board.lane + (board.lane - board.mark) / 2,
                             board.mark)) for mark, x0, x1, lane in stacked]
    split = ov.focus_marks[0].t0 if ov.focus_marks else float("inf")
    hidden = {"aria-hidden": "true"} if board.name == "narrow" and stacked is not None else {}
    before = svg.el("g", {"class": "chart-marks", **hidden}, Markup("").join(a for m, a in links if m.t0 < split))
    after = svg.el("g", {"class": "chart-marks", **hidden}, Markup("").join(a for m, a in links if m.t0 >= split))
    strip = Markup("")
    if ov.focus is not None:  # between the two, so that the keyboard goes through events in time order
        strip, height = draw_strip(board, ov, scale, y_base, height)
    head = (svg.el("title", {"id": f"{prefix}-title"}, ov.strings["chart_title"])
            + svg.el("desc", {"id": f"{prefix}-desc"}, _description(ov, binned=stacked is None)))
    # role=img would make the links inside presentational (axe: nested-interactive); SVG-AAM's
    # graphics-document names the picture and keeps its links in the accessibility tree.
    attrs = {"class": f"chart-board chart-{board.name}", "viewBox": f"0 0 {svg.num(board.width)} {svg.num(height)}",
             "role": "graphics-document", "aria-labelledby": f"{prefix}-title {prefix}-desc"}
    return svg.el("svg", attrs, head + main + before + strip + after)


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
            out += [svg.text(t.x, y_band + font * (1.15 + 1.25 * i), line, "chart-era-title")
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
        lines = svg.wrap(text, board.font, x1 - x0 - 10, board.title_lines)
        if lines:
            titles.append(Title(lines, x0 + 5, None, -1))
        else:
            callouts.append(((x0 + x1) / 2, text))
    placed: list[tuple[float, float, int]] = []
    for centre, text in sorted(callouts, key=lambda c: c[0]):
        # Each label ends at its leader and leaders rise in rows from left to right, so a later,
        # overlapping label goes a row higher and no leader runs through a label.
        width = svg.text_width(text, board.font, bold=True)
        end = max(centre - 4, board.margin + width)
        row = 1 + max((r for s, e, r in placed if s < end + 8 and end - width < e + 8), default=-1)
        placed.append((end - width, end, row))
        titles.append(Title((text,), end, centre, row))
    return titles


def _callout(title: Title, y: float, y_band: float, font: float) -> Markup:
    assert title.leader is not None
    top = y - font * 0.75 if title.x <= title.leader else y + 3
    return (svg.text(title.x, y, title.text[0], "chart-era-title", "end")
            + svg.path("chart-leader", f"M{svg.num(title.leader)} {svg.num(top)}V{svg.num(y_band)}"))


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
        out.append(svg.el("rect", {"class": f"chart-band {cls}", "data-era": era.key, "x": x0, "y": top,
                                "width": x1 - x0, "height": bottom - top}))
    return svg.el("g", {"class": "chart-eras"}, Markup("").join(out))


def _years(board: Board, ov: Overview, scale: Scale, y: float) -> Markup:
    """The axis line, a tick each New Year, and year labels centred between the ticks."""
    zone, (first, last) = ov.content.site.zone, ov.years
    starts = [start_of(When(year), zone).timestamp() for year in range(first, last + 2)]
    out = [svg.path("chart-axis", f"M{svg.num(scale.x0)} {svg.num(y)}H{svg.num(scale.x1)}")]
    out += [svg.path("chart-tick", f"M{svg.num(scale(t))} {svg.num(y)}v4") for t in starts]
    centres = [(scale(a) + scale(b)) / 2 for a, b in pairwise(starts)]
    labels = _year_labels(board, ov, min(b - a for a, b in pairwise(centres)) if len(centres) > 1 else 1e9)
    step = 2 if len(labels) > 1 and svg.text_width(labels[1], board.font) + 6 > centres[1] - centres[0] else 1
    out += [svg.text(x, y + 5 + board.font, label, "chart-year", "middle")
            for i, (label, x) in enumerate(zip(labels, centres)) if i % step == 0]
    return Markup("").join(out)


def _year_labels(board: Board, ov: Overview, slot: float) -> list[str]:
    """2015년 2016 2017, or 2015 ’16 ’17 when years are narrow: the unit and century once, first."""
    first, last = ov.years
    width = lambda text: svg.text_width(text, board.font)
    rest = [str(year) for year in range(first + 1, last + 1)]
    if max(map(width, rest), default=0) + 6 > slot:
        rest = [f"’{year % 100:02d}" for year in range(first + 1, last + 1)]
    cldr = format_skeleton("y", start_of(When(first), ov.content.site.zone), ov.lang)
    neighbour = width(rest[0]) / 2 if rest else 0
    # The first label may run into the margin and its neighbour's half of the slot, no further.
    fits = [c for c in (cldr, str(first)) if width(c) / 2 + neighbour + 5 <= slot
            and width(c) / 2 <= board.margin + slot / 2]
    return [fits[0] if fits else f"’{first % 100:02d}"] + rest


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
        rect = svg.el("rect", {"class": "chart-mark chart-bin", "x": x0, "y": y_base - 2 - height, "width": x1 - x0,
                            "height": height})
        title = counted(ov.strings, ov.lang, "chart_bin", len(marks), period=format_skeleton(skeleton, start, ov.lang))
        out.append((marks[0], svg.el("a", {"class": "chart-link", "href": ov.href(marks[0].event)},
                                  svg.el("title", {}, title) + rect)))
    return out


def _description(ov: Overview, binned: bool) -> str:
    """The text alternative: how many events, which years, each era and its count (and, on a
    crowded axis, that its bars count events)."""
    s = ov.strings
    eras = ", ".join(s["chart_era_events"].format(title=era.title[ov.lang], n=n) for era, *_, n in ov.eras)
    magnified = (s["chart_magnified"].format(title=ov.focus.title[ov.lang], dates=era_dates(ov, ov.focus))
                 if ov.focus else "")
    text = s["chart_desc"].format(n=len(ov.content.events), start=ov.years[0], end=ov.years[1], eras=eras,
                                  magnified=magnified).strip()
    return f"{text} {s['chart_binned']}" if binned else text
