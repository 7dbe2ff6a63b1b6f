"""The content model: typed, frozen records built only from validated input."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .dates import When

LANGUAGES = ("ko", "en")  # the closed set of languages the site and its UI strings support


@dataclass(frozen=True)
class Era:
    key: str
    title: dict[str, str]
    start: When
    end: When


@dataclass(frozen=True)
class Site:
    title: dict[str, str]
    description: dict[str, str]
    base_url: str
    languages: tuple[str, ...]
    zone: ZoneInfo
    eras: tuple[Era, ...]


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    date: When
    lang: str
    url: str | None
    archive: str | None
    translated_title: dict[str, str]  # language -> translated title, where given
    path: str
    line: int


@dataclass(frozen=True)
class Person:
    key: str
    name: dict[str, str]
    role: dict[str, str]
    variants: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Tag:
    key: str
    label: dict[str, str]


@dataclass(frozen=True)
class Section:
    """One language's Markdown body and where it starts in its file."""

    lang: str
    markdown: str
    first_line: int
    citations: tuple[str, ...]  # source keys in order of first citation


@dataclass(frozen=True)
class Correction:
    """A published correction: when it was made and what changed, per language."""

    date: When
    text: dict[str, str]


@dataclass(frozen=True)
class Event:
    slug: str
    path: str
    line: int  # of the `date` key, for messages about the date
    when: When
    end: When | None
    zone: ZoneInfo
    approximate: bool
    title: dict[str, str]
    title_lines: dict[str, int]  # where each language's title is, for messages
    tags: tuple[str, ...]
    people: tuple[str, ...]
    sections: dict[str, Section]
    updated: When | None = None  # the last substantive update, if any
    corrections: tuple[Correction, ...] = ()  # newest first


@dataclass(frozen=True)
class Page:
    """A context page (`content/pages/`), cited like an event but outside the chronology."""

    slug: str
    path: str
    title: dict[str, str]
    title_lines: dict[str, int]
    nav: dict[str, str]  # a short label for the site navigation; the title when not given
    order: int
    analysis: bool
    sections: dict[str, Section]


@dataclass(frozen=True)
class Content:
    """Everything a build knows, with events in chronological order and each in its era."""

    site: Site
    sources: dict[str, Source]
    people: dict[str, Person]
    tags: dict[str, Tag]
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    era_of: dict[str, str] = field(default_factory=dict)  # event slug -> era key
    revision: str = ""  # changes whenever site, sources, people or tags change
