"""The magnified strip: the busiest era day by day below the main axis, joined to its place there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from babel.dates import get_timezone_name
from markupsafe import Markup

from ..dates import end_of, format_skeleton, start_of
from ..i18n import counted
from . import svg
from .layout import HOURS, Board, Mark, Overview, Scale, era_dates, link, pack, plain, stack


def draw_strip(board: Board, ov: Overview, years: Scale, y_base: float, y_top: float) -> tuple[Markup, float]:
    """The busiest era day by day below the main axis, joined to its place there; returns the height."""
    assert ov.focus is not None
    zone, font, bar = ov.content.site.zone, board.font, board.mark - 3
    t0, t1 = start_of(ov.focus.start, zone).timestamp(), end_of(ov.focus.end, zone).timestamp()
    scale = Scale(t0, t1, board.margin, board.width - board.margin)
    y0 = y_top + font * 1.6
    head, y = _strip_head(board, ov, y0 + font * 0.6)
    y_dots = y + font * (0.5 + 1.2 * len(board.day_skeletons)) + 4
    dots = stack([m for m in ov.focus_marks if m.timed], scale, board.mark)
    bars = stack([m for m in ov.focus_marks if not m.timed], scale, bar, inset=2)
    assert dots is not None and bars is not None  # no lane limit in the strip
    y_bars = y_dots + (1 + max((lane for *_, lane in dots), default=-1)) * board.lane + 3
    y_axis = y_bars + (1 + max((lane for *_, lane in bars), default=-1)) * (bar + 2.5) + 2
    placed = [(m, x0, x1, y_dots + lane * board.lane + (board.lane - board.mark) / 2, board.mark)
              for m, x0, x1, lane in dots] + [(m, x0, x1, y_bars + lane * (bar + 2.5), bar) for m, x0, x1, lane in bars]
    placed.sort(key=lambda item: ov.focus_marks.index(item[0]))
    days = _days(ov, t0, t1)
    if board.name == "narrow":  # on a phone a mark is too small to tap: each day is the link
        marks = Markup("").join(plain(x0, x1, yy, h) for _m, x0, x1, yy, h in placed)
        links = _day_links(board, ov, scale, days, y0, y_axis) + svg.el("g", {"aria-hidden": "true"}, marks)
    else:
        links = Markup("").join(link(ov, m, x0, x1, yy, h) for m, x0, x1, yy, h in placed)
    panel = svg.el("rect", {"class": "chart-band chart-strip", "data-era": ov.focus.key, "x": scale.x0, "y": y0,
                         "width": scale.x1 - scale.x0, "height": y_axis - y0})
    labels, y_end = _key_labels(board, ov, placed, y_axis + font * 3.1)  # below the "noon" label
    drawing = (_zoom(years, scale, y_base, y_top, y0) + panel + head
               + _day_grid(board, ov, scale, days, y + font * 0.5, y_axis))
    return (svg.el("g", {"class": "chart-focus"}, drawing + svg.el("g", {"class": "chart-marks"}, links) + labels),
            max(y_axis + font * 1.7, y_end))


def _key_labels(board: Board, ov: Overview, placed: Sequence[tuple[Mark, float, float, float, float]],
                y: float) -> tuple[Markup, float]:
    """The turning points (events with a `key` label) named under the strip without hovering,
    each joined by a leader to its mark, in rows that never overlap; returns them and the end y."""
    font = board.font * 0.92
    keyed = [(m, (x0 + x1) / 2, ym + h) for m, x0, x1, ym, h in placed if ov.lang in m.event.key]
    spans = []
    for mark, centre, _bottom in keyed:
        width = svg.text_width(mark.event.key[ov.lang], font, bold=True)
        left = min(max(centre - width / 2, board.margin), board.width - board.margin - width)
        spans.append((left, left + width))
    rows = pack(spans, font * 0.8, None) or []
    out = []
    for (mark, centre, bottom), (left, right), row in zip(keyed, spans, rows):
        baseline = y + row * font * 1.45
        out.append(svg.path("chart-leader", f"M{svg.num(centre)} {svg.num(bottom + 1)}V{svg.num(baseline - font)}"))
        out.append(svg.text((left + right) / 2, baseline, mark.event.key[ov.lang], "chart-key-label", "middle"))
    end = y + (max(rows, default=-1) + 1) * font * 1.45
    return svg.el("g", {"class": "chart-keys", "aria-hidden": "true"}, Markup("").join(out)), end


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
        area = svg.el("rect", {"class": "chart-day-hit", "x": x0, "y": top, "width": x1 - x0, "height": bottom - top})
        out.append(svg.el("a", {"class": "chart-link chart-day-link", "href": ov.href(inside[0].event)},
                       svg.el("title", {}, label) + area))
    return Markup("").join(out)


def _zoom(years: Scale, strip: Scale, y_base: float, y_top: float, y_strip: float) -> Markup:
    """The wedge from the era's sliver on the main axis, down past the year labels, to the strip."""
    x0, x1 = years(strip.t0), years(strip.t1)
    middle = (x0 + x1) / 2
    x0, x1 = min(x0, middle - 1), max(x1, middle + 1)
    d = (f"M{svg.num(x0)} {svg.num(y_base)}H{svg.num(x1)}V{svg.num(y_top)}L{svg.num(strip.x1)} {svg.num(y_strip)}"
         f"H{svg.num(strip.x0)}L{svg.num(x0)} {svg.num(y_top)}Z")
    return svg.path("chart-zoom", d)


def _strip_head(board: Board, ov: Overview, y: float) -> tuple[Markup, float]:
    """The strip's title, dates and time zone, flowed into lines, and the key; returns the next y."""
    assert ov.focus is not None
    zone, s, font = ov.content.site.zone, ov.strings, board.font
    zone_name = get_timezone_name(zone, "long", locale=ov.lang)
    parts = [(ov.focus.title[ov.lang], "chart-strip-title"),
             (counted(s, ov.lang, "event_count", len(ov.focus_marks)), "chart-note"),
             (era_dates(ov, ov.focus), "chart-note"), (s["chart_times_in"].format(zone=zone_name), "chart-note")]
    room = board.width - 2 * board.margin - font
    lines: list[list[tuple[str, str]]] = [[]]
    for part in parts:
        if lines[-1] and svg.parts_width(lines[-1] + [part], font) > room:
            lines.append([])
        lines[-1].append(part)
    key_width = _key_width(board, s)
    key_inline = svg.parts_width(lines[-1], font) + key_width + 2 * font <= room
    out = []
    for i, line in enumerate(lines):
        spans = [svg.el("tspan", {"class": cls}, (" · " if j else "") + text) for j, (text, cls) in enumerate(line)]
        out.append(svg.el("text", {"class": "chart-head", "x": board.margin + font / 2, "y": y + font * (1 + 1.3 * i)},
                       Markup("").join(spans)))
    y_key = y + font * (1 + 1.3 * (len(lines) - (1 if key_inline else 0)))
    x_key = board.width - board.margin - font / 2 - key_width if key_inline else board.margin + font / 2
    out.append(_key(board, s, x_key, y_key))
    return Markup("").join(out), y_key + font * 0.3


def _key(board: Board, strings: dict[str, str], x: float, y: float) -> Markup:
    """What the two kinds of mark mean: a dot for a known time, a bar for a day."""
    h, font = board.mark, board.font
    dot = svg.el("rect", {"class": "chart-mark chart-dot", "x": x, "y": y - font * 0.35 - h / 2, "width": h,
                       "height": h, "rx": h / 2})
    h -= 3
    x_text = x + h + 5
    x_bar = x_text + svg.text_width(strings["chart_key_time"], font * 0.92) + font
    bar = svg.el("rect", {"class": "chart-mark chart-span", "x": x_bar, "y": y - font * 0.35 - h / 2,
                       "width": font * 1.8, "height": h, "rx": h / 2})
    return svg.el("g", {"class": "chart-key", "aria-hidden": "true"},
               dot + svg.text(x_text, y, strings["chart_key_time"], "chart-note")
               + bar + svg.text(x_bar + font * 1.8 + 4, y, strings["chart_key_period"], "chart-note"))


def _key_width(board: Board, strings: dict[str, str]) -> float:
    return (board.mark + 5 + svg.text_width(strings["chart_key_time"], board.font * 0.92) + board.font * 2.8 + 4
            + svg.text_width(strings["chart_key_period"], board.font * 0.92))


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
            out.append(svg.path("chart-day-rule", f"M{svg.num(x)} {svg.num(y - font * 0.2)}V{svg.num(y_axis)}"))
        out += [svg.text(x + 5, y + font * (1 + 1.2 * i), format_skeleton(sk, day, ov.lang), "chart-day")
                for i, sk in enumerate(board.day_skeletons)]
        for hour in HOURS:
            hx = scale((day + dt.timedelta(hours=hour)).timestamp())
            out.append(svg.path("chart-tick", f"M{svg.num(hx)} {svg.num(y_axis)}v{3 if hour != 12 else 5}"))
            if hour == 12 and day is days[0]:
                out.append(svg.text(hx, y_axis + 5 + font * 0.9, ov.strings["chart_noon"], "chart-minor", "middle"))
    out.append(svg.path("chart-axis", f"M{svg.num(scale.x0)} {svg.num(y_axis)}H{svg.num(scale.x1)}"))
    return Markup("").join(out)
