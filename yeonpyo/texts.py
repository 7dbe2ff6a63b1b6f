"""The smallest view records: a text in the language it is in, a date as pages show it, a
numbered note; what every other view is made of."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import shown_language


@dataclass(frozen=True)
class Text:
    """A piece of text and the language it is actually in (for `lang` on fallbacks)."""

    value: str
    lang: str


@dataclass(frozen=True)
class DateView:
    text: str
    machine: str
    home: str | None  # the readers' own time beside a time elsewhere
    end_text: str | None
    end_machine: str | None


@dataclass(frozen=True)
class Note:
    """One numbered reference under a body, linking back to its first citation."""

    number: int
    anchor: str
    back: str
    source_key: str
    source_url: str  # the page of the bibliography listing it (site-relative)
    publisher: str
    title: Text
    translated_title: str | None
    date: str
    url: str | None = None  # the source's own address (printed under a printed page)


def pick(texts: dict[str, str], lang: str, order: tuple[str, ...]) -> Text:
    """The text in `lang`, or in the first language that has one."""
    chosen = shown_language(texts, lang, order)
    return Text(texts[chosen], chosen)
