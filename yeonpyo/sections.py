"""A body's language sections: the text between `<!-- ko -->` and `<!-- en -->` lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Problems, suggestion

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MARKER = re.compile(r"^\s*<!--\s*([A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)\s*-->\s*$")
_STRAY = "\0"  # the current "section" after a bad marker or stray text: its lines are skipped


@dataclass(frozen=True)
class RawSection:
    lang: str
    text: str
    first_line: int


def split_sections(body: str, first_line: int, languages: tuple[str, ...], path: Path,
                   problems: Problems) -> dict[str, RawSection]:
    """Cut a body at `<!-- ko -->` / `<!-- en -->` lines; other comments are dropped."""
    body = _COMMENT.sub(lambda m: m.group(0) if _MARKER.match(m.group(0)) else "\n" * m.group(0).count("\n"), body)
    sections: dict[str, list[str]] = {}
    starts: dict[str, int] = {}
    current: str | None = None
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        marker = _MARKER.match(line)
        if marker:
            code = marker.group(1)
            if code not in languages:
                problems.add(path, number, f"unknown language marker `<!-- {code} -->`"
                             f"{suggestion(code, set(languages), cutoff=0.5)}; use one of {', '.join(languages)}")
                current = _STRAY
            elif code in sections:
                problems.add(path, number, f"second `<!-- {code} -->` section; each language appears once")
                current = None
            else:
                current, sections[code], starts[code] = code, [], number + 1
        elif current == _STRAY:
            continue
        elif current is not None:
            sections[current].append(line)
        elif line.strip():
            problems.add(path, number,
                         "text outside the language markers: start it with `<!-- ko -->` or `<!-- en -->`")
            current = _STRAY  # report a stray block once
    result = {}
    for lang, lines in sections.items():
        if not "\n".join(lines).strip():
            problems.add(path, starts[lang] - 1, f"the `{lang}` section is empty")
        else:
            result[lang] = RawSection(lang, "\n".join(lines), starts[lang])
    return result
