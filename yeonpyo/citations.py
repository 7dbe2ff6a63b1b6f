"""Who cites what: the sources an event or page cites, the events and pages citing a
source, and the page of the bibliography that lists a source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import urls
from .model import Content, Event, Page
from .plan import Strings, source_parts


@dataclass(frozen=True)
class Citer:
    """An event or page citing a source: its URL in a language is `url_of(lang, slug)`."""

    url_of: Callable[[str, str], str]
    slug: str
    title: dict[str, str]

    def url(self, lang: str) -> str:
        return self.url_of(lang, self.slug)


def cited(item: Event | Page) -> tuple[str, dict[str, str], list[str]]:
    return item.slug, item.title, sorted(cited_keys(item))


def cited_keys(item: Event | Page) -> set[str]:
    """Every source an event or page cites, in its bodies, its summaries and its media."""
    keys = {key for section in item.sections.values() for key in section.citations}
    if isinstance(item, Event):
        keys |= {key for section in item.summary.values() for key in section.citations}
        keys |= {key for entry in item.media for key in entry.cites}
    return keys


def citers_of(content: Content) -> dict[str, list[Citer]]:
    """Source key -> every event and page that cites it, in order."""
    citing: dict[str, list[Citer]] = {}
    items: list[tuple[Callable[[str, str], str], Event | Page]] = [(urls.event, e) for e in content.events]
    items += [(urls.page, p) for p in content.pages]
    for where, item in items:
        for key in sorted(cited_keys(item)):
            citing.setdefault(key, []).append(Citer(where, item.slug, item.title))
    return citing


def bibliography_pages(content: Content, strings: Strings) -> Callable[[str, str], str]:
    """`(lang, source key) -> the page of the bibliography listing it` (a split bibliography's
    parts are the same in every language)."""
    places: dict[str, tuple[int, int]] | None = None

    def page(lang: str, key: str) -> str:
        nonlocal places
        if places is None:
            places = {s.key: (part.year, part.part) for part, chunk in source_parts(content, strings, lang)
                      for s in chunk}
        place = places.get(key)
        return urls.sources_part(lang, *place) if place else urls.sources(lang)

    return page
