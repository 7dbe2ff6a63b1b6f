"""SVG written by hand: elements with escaped attributes, stable numbers, estimated text widths."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape


def el(name: str, attrs: Mapping[str, object], body: str | Markup | None = None) -> Markup:
    """An element with escaped attributes and text; numbers rounded so that output is stable."""
    parts = "".join(f' {key}="{escape(num(value) if isinstance(value, (int, float)) else value)}"'
                    for key, value in attrs.items() if value is not None)
    if body is None:
        return Markup(f"<{name}{parts}/>")
    return Markup(f"<{name}{parts}>") + body + Markup(f"</{name}>")


def path(cls: str, d: str) -> Markup:
    return el("path", {"class": cls, "d": d})


def text(x: float, y: float, text: str, cls: str, anchor: str | None = None) -> Markup:
    return el("text", {"class": cls, "x": x, "y": y, "text-anchor": anchor}, text)


def num(value: float) -> str:
    return f"{round(value, 1) + 0.0:.1f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float, bold: bool = False) -> float:
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


def parts_width(parts: Sequence[tuple[str, str]], size: float) -> float:
    gaps = 1.2 * size * (len(parts) - 1)  # the " · " between parts
    return sum(text_width(text, size, bold=cls == "chart-strip-title") for text, cls in parts) + gaps


def wrap(text: str, size: float, width: float, max_lines: int) -> tuple[str, ...] | None:
    """The text in at most `max_lines` lines of `width` (estimated), or None if it will not fit."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold=True) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        elif text_width(word, size, bold=True) <= width:
            lines.append(word)
        else:
            return None
    return tuple(lines) if 0 < len(lines) <= max_lines else None
