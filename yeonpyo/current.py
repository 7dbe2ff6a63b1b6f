"""What is current: which pages of a plan must be rendered, given what the last build remembers.

A page read some things of the model when it was last rendered (`PageRecord.reads`: keys such
as `full:altman-fired`, `head:…`, `page:…`, `members:tags:board`, `layout:place:ko:…`). Each
key has a short digest now (`Tokens.value`). The page is current when its fingerprint, the
digest of what every page depends on (the salt), its template and URL and the values of the
keys it read, equals the remembered one and its file is still the one that build wrote.
Anything this module is not sure of is rendered: a page it has no record of, a salt that
changed, a mode that renders everything.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .citations import Citer, cited, citers_of
from .mode import Mode
from .model import Content, Event
from .plan import PageSpec, Plan
from .state import BuildState, EventTokens, PageRecord, code_fingerprint
from .theme import Theme


def digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class Tokens:
    """Short digests of what pages can read of the model, computed once per build.

    `full` covers everything in an event's file and its era (its own pages, the timeline
    parts and feeds showing its body); `head` only what lists and links show: slug, date,
    zone, title, turning-point label, tags and era (neighbours' pagers, tag and person pages,
    the chart); `cites` what the sources pages show: its title and the sources it cites.
    Each event's are remembered in the state by the parsed record they were made from, so an
    unchanged file costs nothing."""

    def __init__(self, content: Content, plan: Plan, state: BuildState) -> None:
        self.content, self.plan = content, plan
        remembered = state.tokens
        self.fulls: dict[str, str] = {}
        self.heads: dict[str, str] = {}
        self._cites: dict[str, str] = {}
        for event in content.events:
            era = content.era_of[event.slug]
            hit = remembered.get(event.slug)
            if hit is None or hit.event is not event or hit.era != era:
                head = (event.slug, event.when, event.end, event.zone.key, event.approximate, event.title, event.key,
                        event.tags, era)
                hit = remembered[event.slug] = EventTokens(event, era, digest(repr((event, era))), digest(repr(head)),
                                                           digest(repr(cited(event))))
            self.fulls[event.slug], self.heads[event.slug], self._cites[event.slug] = hit.full, hit.head, hit.cites
        for slug in set(remembered) - set(self.fulls):  # events that are gone (the state is kept between processes)
            del remembered[slug]
        self._values: dict[str, str] = {}
        self._citers: dict[str, list[Citer]] | None = None
        self._members: dict[tuple[str, str], list[Event]] | None = None

    def value(self, key: str) -> str:
        """The digest of what a read key names, now."""
        if key not in self._values:
            self._values[key] = self._compute(key)
        return self._values[key]

    def _compute(self, key: str) -> str:
        kind, _, name = key.partition(":")
        if kind == "full":
            return self.fulls.get(name, "-")
        if kind == "head":
            return self.heads.get(name, "-")
        if kind == "page":
            page = next((p for p in self.content.pages if p.slug == name), None)
            return digest(repr(page))
        if kind == "members":
            member_kind, _, member = name.partition(":")
            return digest("".join(self.heads[e.slug] for e in self.members(member_kind, member)))
        if kind == "citers":
            return digest(repr((list(self._cites.values()), [cited(p) for p in self.content.pages])))
        if kind == "everything":
            return digest(repr(([self.fulls[e.slug] for e in self.content.events],
                                [digest(repr(p)) for p in self.content.pages])))
        if kind == "layout":
            return digest(repr(self.plan.layout.get(name, "-")))
        return "?" + key  # a read this module does not know: never current

    def members(self, kind: str, key: str) -> list[Event]:
        """The events of a tag or person, in order."""
        if self._members is None:
            self._members = {}
            for event in self.content.events:
                for name in ("tags", "people"):
                    for member in getattr(event, name):
                        self._members.setdefault((name, member), []).append(event)
        return self._members.get((kind, key), [])

    def cited_by(self, key: str) -> list[Citer]:
        """Every event and page citing source `key`."""
        if self._citers is None:
            self._citers = citers_of(self.content)
        return self._citers.get(key, [])


def salt(theme: Theme, content: Content, strings: dict[str, dict[str, str]], state: BuildState) -> str:
    """What every page depends on besides what it reads: code, templates, strings, the YAML
    records and the navigation (context pages' labels are on every page)."""
    hashed = hashlib.sha1(code_fingerprint().encode())
    for name, path in theme.template_files().items():
        hashed.update(name.encode())
        hashed.update(path.read_bytes())
    records = state.records_digest
    if records is None or records[0] != content.revision:  # the YAML files changed
        records = state.records_digest = (content.revision, digest(repr((
            content.site, sorted(content.sources.items()), sorted(content.people.items()),
            sorted(content.tags.items())))))
    navigation = [(p.slug, p.nav, p.order) for p in content.pages]
    share = content.site.share_image.picture if content.site.share_image else None  # its file may change alone
    hashed.update(repr((records[1], sorted(strings.items()), navigation, share)).encode())
    return hashed.hexdigest()


def fingerprint(salt_value: str, spec_or_record: PageSpec | PageRecord, reads: tuple[str, ...], tokens: Tokens) -> str:
    """What a page's bytes follow from: the salt, its template and URL, and the values of what it read."""
    return digest("\0".join((salt_value, spec_or_record.template, spec_or_record.url, spec_or_record.lang,
                             *reads, *(tokens.value(key) for key in reads))))


def to_render(plan: Plan, state: BuildState, tokens: Tokens, salt_value: str, mode: Mode, out: Path
              ) -> tuple[list[PageSpec], dict[str, PageRecord]]:
    """The pages that must be rendered, and the records of those kept as they are on disk."""
    render, kept = [], {}
    for spec in plan.pages:
        record = state.pages.get(spec.path)
        if record is not None and not mode.render_all and _still(record, spec, salt_value, tokens, mode, out):
            kept[spec.path] = record
        else:
            render.append(spec)
    return render, kept


# The feeds and data files read every event and page, and every page's address.
EXPORT_READS = ("everything", "layout:page-urls")


def export_spec(path: str) -> PageSpec:
    """How an export file is named in the state: a page whose template is `exports`."""
    return PageSpec(path, "exports", path, "", None, lambda reads: {})


def current_exports(paths: list[str], state: BuildState, tokens: Tokens, salt_value: str, mode: Mode, out: Path
                    ) -> dict[str, PageRecord] | None:
    """The records of the export files when every one of them is current, else None (they
    are made together, so one stale file renders them all)."""
    if mode.render_all:
        return None
    kept = {}
    for path in paths:
        record = state.pages.get(path)
        if record is None or record.reads != EXPORT_READS or not _still(record, export_spec(path), salt_value, tokens,
                                                                         mode, out):
            return None
        kept[path] = record
    return kept


def _still(record: PageRecord, spec: PageSpec, salt_value: str, tokens: Tokens, mode: Mode, out: Path) -> bool:
    if (record.template, record.url, record.lang) != (spec.template, spec.url, spec.lang):
        return False
    if fingerprint(salt_value, record, record.reads, tokens) != record.fingerprint:
        return False
    return mode.quick or record.on_disk(out)  # serve's first pass trusts what it wrote; the full pass looks
