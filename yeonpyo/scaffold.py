"""`build.py new <slug>`: a new event file with both language sections and TODO markers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .checks import TODO_MARKER
from .dates import parse_when, parse_zone
from .schema import KEY

TEMPLATE = """\
---
date: {date}
{tz}title:
  ko: {todo} 한국어 제목
  en: {todo} English title
tags: []
people: []
---
<!-- ko -->
{todo} 한국어 본문. 사실을 적은 문장마다 끝에 `[@출처-키]` 형식으로 출처를 단다.

<!-- en -->
{todo} English text. End every factual sentence with its source as `[@source-key]`.
"""


class ScaffoldError(ValueError):
    """A wrong slug, date or zone on the command line, or a file that already exists."""


def new_event(events: Path, slug: str, date: str | None, zone: str | None, today: dt.date) -> Path:
    """Write `events/<slug>.md` and return its path; never overwrite an existing event."""
    if not KEY.match(slug):
        raise ScaffoldError(f"bad slug `{slug}`: use a-z, 0-9 and hyphens, e.g. altman-fired")
    existing = sorted(events.rglob(f"{slug}.md")) if events.is_dir() else []
    if existing:
        raise ScaffoldError(f"{existing[0]} already exists; choose another slug")
    try:
        when = date if date is not None else today.isoformat()
        parse_when(when)
        if zone is not None:
            parse_zone(zone)
    except ValueError as err:
        raise ScaffoldError(str(err)) from None
    path = events / f"{slug}.md"
    text = TEMPLATE.format(date=when, tz=f"tz: {zone}\n" if zone else "", todo=TODO_MARKER)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; choose another slug") from None
    except OSError as err:  # the content folder is a file, or not writable
        raise ScaffoldError(f"cannot write {path}: {err.strerror or err}") from None
    return path
