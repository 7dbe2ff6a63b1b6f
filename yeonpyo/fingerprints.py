"""What each page depends on, as short digests: a page is rendered again only when they change.

`Tokens` names what a page shows of an event, a context page or the citations; `salt` is what
every page shares (code, templates, strings, the YAML records, the navigation). A page's
fingerprint hashes both with its template and URL.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from . import urls
from .cache import code_fingerprint
from .model import Content, Event, Page


class Tokens:
    """Short digests naming what a page shows of an event, a page or the citations.

    `full` covers everything in an event's file and its era (its own pages, the timeline
    parts and feeds showing its body); `head` only what lists and links show: slug, date,
    zone, title and era (neighbours' pagers, tag and person pages, the chart); `cites`
    what the sources pages show: its title and the sources it cites. `memo` (kept between
    builds, and in the build cache between processes) remembers them per parsed record, so an
    unchanged file costs nothing.
    """

    def __init__(self, content: Content, memo: dict[str, Any]) -> None:
        self.content = content
        self._citers: dict[str, list[tuple[Any, str, dict[str, str]]]] | None = None
        self.fulls, self.heads, self._cites = {}, {}, {}  # slug -> token
        for event in content.events:
            era = content.era_of[event.slug]
            hit = memo.get(event.slug)
            if hit is None or hit[0] is not event or hit[1] != era:
                head = (event.slug, event.when, event.end, event.zone.key, event.approximate, event.title, era)
                hit = memo[event.slug] = (event, era, digest(repr((event, era))), digest(repr(head)),
                                          digest(repr(cited(event))))
            self.fulls[event.slug], self.heads[event.slug], self._cites[event.slug] = hit[2:]
        for slug in set(memo) - set(self.fulls):  # events that are gone (the memo is kept between processes)
            del memo[slug]

    def full(self, event: Event) -> str:
        return self.fulls[event.slug]

    def head(self, event: Event | None) -> str:
        return self.heads[event.slug] if event is not None else "-"

    @staticmethod
    def page(page: Page) -> str:
        return digest(repr(page))

    def everything(self) -> str:
        """Every event and page: what feeds and data exports depend on."""
        return digest(repr(([self.full(e) for e in self.content.events], [self.page(p) for p in self.content.pages])))

    def citers(self) -> str:
        """What the sources pages show besides the sources: who cites each."""
        return digest(repr((list(self._cites.values()), [cited(p) for p in self.content.pages])))

    def cited_by(self, key: str) -> list[tuple[Any, str, dict[str, str]]]:
        """(url function, slug, titles) of every event and page citing source `key`."""
        if self._citers is None:
            self._citers = citers_of(self.content)
        return self._citers.get(key, [])


def cited(item: Event | Page) -> tuple[str, dict[str, str], list[str]]:
    return item.slug, item.title, sorted({key for section in item.sections.values() for key in section.citations})


def salt(templates: Path, content: Content, strings: dict[str, dict[str, str]], memo: dict[str, Any]) -> str:
    """What every page depends on besides its own inputs: code, templates, strings, the YAML
    records and the navigation (context pages' labels are on every page)."""
    hashed = hashlib.sha1(code_fingerprint().encode())
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        hashed.update(path.relative_to(templates).as_posix().encode())
        hashed.update(path.read_bytes())
    records = memo.get("records_digest")
    if records is None or records[0] != content.revision:  # the YAML files are unchanged
        records = memo["records_digest"] = (content.revision, digest(repr((
            content.site, sorted(content.sources.items()), sorted(content.people.items()),
            sorted(content.tags.items())))))
    hashed.update(repr((records[1], sorted(strings.items()), [(p.slug, p.nav, p.order) for p in content.pages])).encode())
    return hashed.hexdigest()


def digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def citers_of(content: Content) -> dict[str, list[tuple[Any, str, dict[str, str]]]]:
    """Source key -> (url function, slug, titles) of every event and page that cites it."""
    cited: dict[str, list[tuple[Any, str, dict[str, str]]]] = {}
    for where, items in ((urls.event, content.events), (urls.page, content.pages)):
        for item in items:
            keys = {key for section in item.sections.values() for key in section.citations}
            for key in sorted(keys):
                cited.setdefault(key, []).append((where, item.slug, item.title))
    return cited
