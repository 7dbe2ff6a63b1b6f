"""Rendering the whole site in memory: every output path mapped to its bytes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from . import urls
from .cache import BuildCache
from .chart import overview_chart
from .fingerprints import Tokens, digest, salt
from .dates import load_locale
from .exports import export_files, export_paths
from .i18n import counted
from .model import Content, Event
from .output import Stage
from .views import EraGroup, EventView, Views
from .workers import map_forked


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str


@dataclass(frozen=True)
class IndexEntry:
    """A tag or person on an index page, with how many events it has."""

    key: str
    label: str
    url: str
    count: int
    detail: str = ""


@dataclass(frozen=True)
class Pair:
    """One event in every language, for the side-by-side page."""

    slug: str
    views: tuple[EventView, ...]


# Beyond this many events the timeline is split by year, and a busy year into parts of at
# most this many: about 1.2 KiB of gzip per event keeps each page within its 100 KiB budget.
TIMELINE_PAGE_LIMIT = 80
# Beyond this many sources the bibliography is split by the year they were published (each
# source with the events citing it is about 0.2-0.4 KiB of gzip: a page within its 50 KiB budget).
SOURCES_PAGE_LIMIT = 200


@dataclass(frozen=True)
class TimelinePart:
    """One page of a split timeline."""

    url: str
    year: int
    part: int
    label: str
    count: int


def make_environment(templates: Path) -> jinja2.Environment:
    """Jinja with autoescaping and StrictUndefined, so a template typo fails the build."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class _Job:
    """A page to render: where, with which template, and how to build its context."""

    path: str
    template: str
    url: str
    lang: str
    versions: Callable[[str], str] | None
    context: Callable[[], dict[str, Any]]


class SiteRenderer:
    """Renders the pages of a validated `Content`, skipping pages whose inputs are unchanged.

    Each page names its inputs as short tokens (see `Tokens`): the events it shows, the
    neighbours it links to, the layout of the timeline. Its fingerprint hashes them with
    what every page depends on (code, templates, strings, site, sources, people, tags,
    navigation). When the fingerprint matches the last build's and the file on disk is the
    one that build wrote, the page is neither rendered nor even given its view records
    (its value in `files` is None: keep the file). So an edit to one event re-renders its
    own pages, its neighbours' when its title or date changed, the timeline and
    side-by-side parts that hold it, and the tag, person and sources pages it appears on.
    """

    def __init__(self, content: Content, strings: dict[str, dict[str, str]], env: jinja2.Environment,
                 templates: Path, out: Path, cache: BuildCache, quick: bool = False) -> None:
        self.content, self.strings, self.env, self.out, self.cache = content, strings, env, out, cache
        self.quick = quick  # serve's first pass: exports keep their last files until the full pass
        self.files: dict[str, bytes | None] = {}
        self.staged: dict[str, tuple[int, int, bool]] = {}  # path -> (size, mtime_ns, changed) in a stage
        self._stage: Stage | None = None
        self._source_place: dict[str, tuple[int, int]] | None = None  # source key -> (year, part), if split
        self.fingerprints: dict[str, str] = {}
        self._versions: list[tuple[str, Callable[[str], str] | None]] = []  # every page, for page_urls
        self._pending: list[_Job] = []  # pages to render
        self._salt = salt(templates, content, strings, cache.memo)
        if cache.memo.get("salt") != self._salt:  # templates, strings, code or YAML changed: forget views
            for key in ("views", "charts", "fragments", "fingerprints"):
                cache.memo.pop(key, None)
            cache.memo["salt"] = self._salt
        self.tokens = Tokens(content, cache.memo.setdefault("tokens", {}))
        self._views = {lang: self._make_views(lang) for lang in content.site.languages}
        self._by_slug = {event.slug: event for event in content.events}
        self._member_lists: dict[str, dict[str, list[Event]]] = {}
        self._member_tokens: dict[str, dict[str, str]] = {}
        self._known = cache.memo.setdefault("fingerprints", {})  # path -> (page, inputs, fingerprint)

    def plan(self) -> None:
        """Name every page in every language, the chooser and the 404 page, with their
        fingerprints; those that must be rendered wait for `render`."""
        for lang in self.content.site.languages:
            self._language(lang)
        first = self.content.site.languages[0]
        self._page("index.html", urls.ROOT, first, (), versions=None, context=lambda: dict(choices=[
            (lang, self.strings[lang]["lang_name"], self.strings[lang]["choose_language"],
             self.content.site.title[lang], self.content.site.description[lang], urls.timeline(lang))
            for lang in self.content.site.languages]))
        self._page("404.html", urls.NOT_FOUND, first, (), versions=None, context=lambda: dict(
            languages=[(lang, self.strings[lang]) for lang in self.content.site.languages],
            titles=self.content.site.title))

    @property
    def renders_everything(self) -> bool:
        """True when no page is kept from the last build (a first build, or a template change)."""
        return all(data is not None for data in self.files.values())

    def render(self, static: Path, stage: Stage | None = None, searched: Callable[[str], None] = lambda lang: None,
               tick: Callable[[], None] = lambda: None) -> None:
        """Render the planned pages, the exports and the static files: into `files`, or,
        given a `stage`, straight into it from whichever process rendered them (`staged` then
        holds their sizes, times and whether they changed). A language's event and context
        pages come first, then `searched(lang)` is called (its search index can start on them);
        `tick()` is called often (the indexer moves on to its next language)."""
        self._stage = stage
        jobs, self._pending = self._pending, []
        if jobs:  # compiled and loaded once, before any fork
            for template in self.env.list_templates(filter_func=lambda name: name.endswith(".html")):
                self.env.get_template(template)  # with what the pages extend and import
            for lang in self.content.site.languages:
                load_locale(lang)
        for lang in self.content.site.languages:
            self._render_work([self._page_work(job) for job in jobs if urls.searched_language(job.path) == lang], tick)
            searched(lang)

        copied = self.copied_files(static)

        def static_files() -> dict[str, bytes]:
            return {path: source.read_bytes() for path, source in copied.items()}

        self._render_work([self._page_work(job) for job in jobs if not urls.searched_language(job.path)]
                          + self._export_work() + [static_files], tick)

    def planned_paths(self, static: Path) -> set[str]:
        """Every path this build will write besides the search index, known once `plan` ran."""
        return set(self.files) | set(export_paths(self.content)) | set(self.copied_files(static))

    def copied_files(self, static: Path) -> dict[str, Path]:
        """Files copied as they are: the theme's static files under `static/`, and the content's
        `root/` folder at the site's root (CNAME, _redirects, .well-known/)."""
        copied = {urls.static(path.relative_to(static).as_posix()): path
                  for path in sorted(p for p in static.rglob("*") if p.is_file())}
        for path, source in self.root_files.items():
            copied.setdefault(path, source)
        return copied

    @property
    def root_files(self) -> dict[str, Path]:
        """content/root/**: site path -> file."""
        root = Path(self.content.root) / urls.ROOT_FILES if self.content.root else None
        if root is None or not root.is_dir():
            return {}
        return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*"))
                if path.is_file() and not path.name.endswith(("~", ".swp"))}

    @property
    def paths(self) -> frozenset[str]:
        """Every output path of this build (besides the search index)."""
        return frozenset(self.files) | frozenset(self.staged)

    @property
    def page_urls(self) -> list[tuple[str, dict[str, str]]]:
        """Every page rendered or kept, with its URL in each language (for the sitemap)."""
        languages = self.content.site.languages
        return [(url, {code: versions(code) for code in languages} if versions else {})
                for url, versions in self._versions]

    def _export_work(self) -> list[Callable[[], dict[str, bytes]]]:
        """Feeds and data files, to render with the pages (none when they are kept: while no
        event, page or page address changed)."""
        paths = export_paths(self.content)
        if self.quick and self._stage is None:
            self.files.update({path: None for path in paths if (self.out / path).is_file()})
            return []
        page_urls = self.page_urls
        fingerprint = self._fingerprint("exports", "", "", (self.tokens.everything(), digest(repr(page_urls))))
        self.fingerprints.update({path: fingerprint for path in paths})
        if self._stage is None and all(self._unchanged(path, fingerprint) for path in paths):
            self.files.update({path: None for path in paths})
            return []

        def exports() -> dict[str, bytes]:
            events = {lang: [self._event(lang, e) for e in self.content.events] for lang in self.content.site.languages}
            return export_files(self.content, self.strings, events, page_urls)

        return [exports]

    def _nav(self, lang: str) -> tuple[NavItem, ...]:
        t = self.strings[lang]
        items = [NavItem(urls.timeline(lang), t["nav_timeline"])]
        items += [NavItem(urls.page(lang, p.slug), p.nav.get(lang) or next(iter(p.nav.values())))
                  for p in self.content.pages]
        items += [NavItem(urls.people(lang), t["nav_people"]), NavItem(urls.tags(lang), t["nav_tags"]),
                  NavItem(urls.sources(lang), t["nav_sources"])]
        return tuple(items)

    def _make_views(self, lang: str) -> Views:
        return Views(self.content, lang, self.strings, self.cache.memo.setdefault("views", {}),
                     lambda key: self.source_url(lang, key))

    def _event(self, lang: str, event: Event | None) -> EventView | None:
        return self._views[lang].event(event) if event is not None else None

    def _language(self, lang: str) -> None:
        views, events, tokens = self._views[lang], self.content.events, self.tokens
        nav = self._nav(lang)
        place = self._timeline(lang, nav)
        era_titles = {era.key: era.title[lang] for era in self.content.site.eras}
        for index, event in enumerate(events):
            previous = events[index - 1] if index else None
            after = events[index + 1] if index + 1 < len(events) else None
            inputs = (tokens.full(event), tokens.head(previous), tokens.head(after), place[event.slug])
            self._page("event.html", urls.event(lang, event.slug), lang, inputs,
                       versions=lambda code, slug=event.slug: urls.event(code, slug),
                       context=lambda event=event, previous=previous, after=after: dict(
                           nav=nav, event=self._event(lang, event), on_timeline=place[event.slug],
                           previous=self._event(lang, previous), next=self._event(lang, after),
                           era_title=era_titles.get(self.content.era_of[event.slug], "")))
        for page in self.content.pages:
            self._page("page.html", urls.page(lang, page.slug), lang, (tokens.page(page),),
                       versions=lambda code, slug=page.slug: urls.page(code, slug),
                       context=lambda page=page: dict(nav=nav, page=views.page(page)))
        self._sources(lang, nav)
        self._labels(lang, nav)
        self._both(lang, nav)

    def _sources(self, lang: str, nav: tuple[NavItem, ...]) -> None:
        """The bibliography, or for a long one an index of years and a page per year (part)."""
        views, tokens = self._views[lang], self.tokens

        def entries(sources: list[Any]) -> list[Any]:
            return [views.source(s, [(where(lang, slug), title) for where, slug, title in tokens.cited_by(s.key)])
                    for s in sorted(sources, key=_source_order)]

        parts = self._source_parts(lang)
        index = [part for part, _ in parts]
        self._page("sources.html", urls.sources(lang), lang, (tokens.citers(), digest(repr(index))),
                   versions=urls.sources, context=lambda: dict(
                       nav=nav, parts=index, current=None, count=len(self.content.sources),
                       sources=[] if index else entries(list(self.content.sources.values()))))
        for part, chunk in parts:
            self._page("sources.html", part.url, lang, (tokens.citers(), digest(repr(index))),
                       versions=lambda code, p=part: urls.sources_part(code, p.year, p.part),
                       context=lambda part=part, chunk=chunk: dict(nav=nav, parts=index, current=part,
                                                                   count=len(chunk), sources=entries(chunk)))

    def _source_parts(self, lang: str) -> list[tuple[TimelinePart, list[Any]]]:
        """The parts of a long bibliography (none for a short one), by the sources' dates."""
        sources = self.content.sources.values()
        if len(sources) <= SOURCES_PAGE_LIMIT:
            return []
        by_date = sorted(sources, key=lambda s: (s.date.sort_key, _source_order(s)))
        return _split(by_date, _source_year, lambda s: self._views[lang].year(s.date.year), self.strings[lang],
                      lambda year, part: urls.sources_part(lang, year, part), SOURCES_PAGE_LIMIT)

    def source_url(self, lang: str, key: str) -> str:
        """The page of the bibliography that lists source `key` (its parts are the same in every language)."""
        if self._source_place is None:
            self._source_place = {s.key: (part.year, part.part) for part, chunk in self._source_parts(lang)
                                  for s in chunk}
        place = self._source_place.get(key)
        return urls.sources_part(lang, *place) if place else urls.sources(lang)

    def _timeline(self, lang: str, nav: tuple[NavItem, ...]) -> dict[str, str]:
        """The timeline page, or for a long chronicle a home page and a page per year (part);
        returns the timeline page that holds each event."""
        views, events, tokens = self._views[lang], list(self.content.events), self.tokens
        home = urls.timeline(lang)
        parts = _split(events, _event_year, views.year_label, self.strings[lang],
                       lambda year, part: urls.timeline_part(lang, year, part), TIMELINE_PAGE_LIMIT) \
            if len(events) > TIMELINE_PAGE_LIMIT else [(None, events)]
        place = {e.slug: part.url if part else home for part, chunk in parts for e in chunk}
        link = urls.Linker(home, self.content.site.base_url)
        chart_key = digest(repr((lang, [(tokens.heads[e.slug], place[e.slug]) for e in events])))
        index = [part for part, _ in parts if part]
        layout = digest(repr((len(events), index)))
        common = dict(nav=nav, count=len(events), parts=index)
        self._page("timeline.html", home, lang,
                   (layout, chart_key, *([] if index else [tokens.full(e) for e in events])),
                   versions=urls.timeline, context=lambda: dict(
                       groups=self._groups(lang, [] if index else events), fragment=self._fragments(home, lang),
                       chart=self._chart(lang, chart_key, lambda e: link(place[e.slug], e.slug)),
                       current=None, **common))
        for number, (part, chunk) in enumerate(parts if index else []):
            self._page("timeline.html", part.url, lang, (layout, *[tokens.full(e) for e in chunk]),
                       versions=lambda code, p=part: urls.timeline_part(code, p.year, p.part),
                       context=lambda part=part, chunk=chunk, number=number: dict(
                           groups=self._groups(lang, chunk), chart=None, current=part,
                           fragment=self._fragments(part.url, lang),
                           previous=index[number - 1] if number else None,
                           next=index[number + 1] if number + 1 < len(index) else None, **common))
        return place

    def _chart(self, lang: str, key: str, href: Any) -> Any:
        """The overview chart, redrawn only when an event's date, title, era or place changes."""
        charts = self.cache.memo.setdefault("charts", {})  # lang -> (key, chart)
        if lang not in charts or charts[lang][0] != key:
            charts[lang] = (key, overview_chart(self.content, lang, self.strings[lang], href))
        return charts[lang][1]

    def _groups(self, lang: str, events: list[Event]) -> list[EraGroup]:
        return self._views[lang].groups(events)

    def _labels(self, lang: str, nav: tuple[NavItem, ...]) -> None:
        """The tag and people indexes, and a page per tag and per person listing its events."""
        for kind, records, index_url, item_url in (
                ("tags", self.content.tags, urls.tags, urls.tag),
                ("people", self.content.people, urls.people, urls.person)):
            members = self._members(kind)
            entries = [self._entry(kind, lang, key, record, item_url(lang, key), len(members[key]))
                       for key, record in records.items() if members[key]]
            entries.sort(key=lambda entry: (-entry.count, entry.label))
            self._page("labels.html", index_url(lang), lang, (digest(repr(entries)),),
                       versions=index_url,
                       context=lambda kind=kind, entries=entries: dict(nav=nav, kind=kind, entries=entries))
            for entry in entries:
                self._page("label.html", entry.url, lang,
                           (repr(entry), self._member_tokens[kind][entry.key]),
                           versions=lambda code, key=entry.key, at=item_url: at(code, key),
                           context=lambda kind=kind, entry=entry, members=members: dict(
                               nav=nav, kind=kind, entry=entry,
                               events=[self._event(lang, e) for e in members[entry.key]]))

    def _members(self, kind: str) -> dict[str, list[Event]]:
        """Tag or person key -> its events in chronological order; the same in every language."""
        if kind not in self._member_lists:
            records = self.content.tags if kind == "tags" else self.content.people
            members: dict[str, list[Event]] = {key: [] for key in records}
            for event in self.content.events:  # one pass over the events
                for key in getattr(event, kind):
                    members[key].append(event)
            self._member_lists[kind] = members
            heads = self.tokens.heads
            self._member_tokens[kind] = {key: digest("".join(heads[e.slug] for e in events))
                                         for key, events in members.items()}
        return self._member_lists[kind]

    @staticmethod
    def _entry(kind: str, lang: str, key: str, record: Any, url: str, count: int) -> IndexEntry:
        if kind == "tags":
            return IndexEntry(key, record.label[lang], url, count)
        return IndexEntry(key, record.name[lang], url, count, record.role[lang])

    def _both(self, lang: str, nav: tuple[NavItem, ...]) -> None:
        """Every event in every language in aligned columns, the reader's own first, for
        bilingual readers and translators; split by year like the timeline when it is long."""
        languages = (lang, *(code for code in self.content.site.languages if code != lang))
        events = list(self.content.events)
        parts = _split(events, _event_year, self._views[lang].year_label, self.strings[lang],
                       lambda year, part: urls.both_part(lang, year, part), TIMELINE_PAGE_LIMIT) \
            if len(events) > TIMELINE_PAGE_LIMIT else [(None, events)]
        index = [part for part, _ in parts if part]
        layout = digest(repr((len(events), index)))
        common = dict(nav=nav, parts=index, columns=[(code, self.strings[code]) for code in languages])

        def pairs(chunk: list[Event]) -> dict[str, Pair]:
            return {e.slug: Pair(e.slug, tuple(self._event(code, e) for code in languages)) for e in chunk}

        home = urls.both(lang)
        self._page("both.html", home, lang, (layout, *([] if index else [self.tokens.full(e) for e in events])),
                   versions=urls.both, context=lambda: dict(
                       current=None, fragment=self._fragments(home, lang), groups=[] if index else self._groups(lang, events),
                       pairs=pairs([] if index else events), **common))
        for part, chunk in parts if index else []:
            self._page("both.html", part.url, lang, (layout, *[self.tokens.full(e) for e in chunk]),
                       versions=lambda code, p=part: urls.both_part(code, p.year, p.part),
                       context=lambda part=part, chunk=chunk: dict(
                           current=part, fragment=self._fragments(part.url, lang), groups=self._groups(lang, chunk),
                           pairs=pairs(chunk), **common))

    def _fragments(self, url: str, lang: str) -> Callable[..., Markup]:
        """`{% call fragment(slug) %}…{% endcall %}`: one event's part of a long page, which
        `serve` keeps while the event is unchanged, so that an edit re-renders one article
        of a timeline part instead of eighty. (A one-off build renders each once anyway.)"""
        kept = self.cache.memo.setdefault("fragments", {}) if self.cache.serving else None

        def fragment(slug: str, caller: Callable[[], str]) -> Markup:
            if kept is None:
                return Markup(caller())
            token, key = self.tokens.full(self._by_slug[slug]), (url, lang, slug)
            hit = kept.get(key)
            if hit is None or hit[0] != token:
                hit = kept[key] = (token, Markup(caller()))
            return hit[1]

        return fragment

    def _fingerprint(self, template: str, url: str, lang: str, inputs: tuple[str, ...]) -> str:
        return digest("\0".join((self._salt, template, url, lang, *inputs)))

    def _page(self, template: str, url: str, lang: str, inputs: tuple[str, ...],
              versions: Callable[[str], str] | None, context: Callable[[], dict[str, Any]]) -> None:
        """One page; `versions(lang)` is its URL in each language (None: it has one version only);
        `context()` builds its view records, called only if the page must be rendered."""
        path = urls.output_path(url)
        if path in self.files:
            raise ValueError(f"two pages would be written to {path}")
        known = self._known.get(path)
        if known is not None and known[0] == (template, url, lang) and known[1] == inputs:
            fingerprint = known[2]  # serve: the same inputs as last time
        else:
            fingerprint = self._fingerprint(template, url, lang, inputs)
            self._known[path] = ((template, url, lang), inputs, fingerprint)
        self._versions.append((url, versions))
        self.fingerprints[path] = fingerprint
        if self._unchanged(path, fingerprint):
            self.files[path] = None
            return
        self.files[path] = b""  # rendered by render()
        self._pending.append(_Job(path, template, url, lang, versions, context))

    def _page_work(self, job: _Job) -> Callable[[], dict[str, bytes]]:
        return lambda: {job.path: self._html(job)}

    def _render_work(self, work: list[Callable[[], dict[str, bytes]]], tick: Callable[[], None]) -> None:
        """Run rendering work (each piece gives output paths and their bytes); a long first build
        spreads it over the cores, and with a stage the workers write their own files, so that
        only sizes come back."""
        stage = self._stage

        def rendered(index: int) -> dict[str, Any]:
            files = work[index]()
            return files if stage is None else {path: stage.write(path, data) for path, data in files.items()}

        if self.cache.serving:  # serve has threads running: no forking there
            results = [rendered(index) for index in range(len(work))]
        else:
            try:
                results = map_forked(rendered, range(len(work)), tick=tick)
            except Exception:  # noqa: BLE001 - render here again: the error then names its template line
                results = [rendered(index) for index in range(len(work))]
        for result in results:
            for path, value in result.items():
                if stage is None:
                    self.files[path] = value
                else:
                    self.files.pop(path, None)
                    self.staged[path] = value

    def _html(self, job: _Job) -> bytes:
        site, lang, url = self.content.site, job.lang, job.url
        return self.env.get_template(job.template).render(
            lang=lang, t=self.strings[lang], url=url, link=urls.Linker(url, site.base_url),
            site_title=site.title.get(lang, ""), site_description=site.description.get(lang, ""),
            site_summary=site.summary.get(lang, ""),
            canonical=None if url == urls.NOT_FOUND else urls.absolute(site.base_url, url), static=urls.static,
            urls=urls, base_url=site.base_url, locales=_LOCALES,
            counted=lambda key, n: counted(self.strings[lang], lang, key, n),
            alternates=self._views[lang].alternates(job.versions) if job.versions else (), **job.context()
        ).encode("utf-8")

    def _unchanged(self, path: str, fingerprint: str) -> bool:
        """True when the last build wrote this very file and it is still as it left it."""
        record = self.cache.pages.get(path)
        if record is None or record.fingerprint != fingerprint:
            return False
        if self.quick:
            return True  # serve's first pass trusts what it wrote; the full pass after it looks again
        try:
            info = os.stat(os.path.join(self.out, path))
        except OSError:
            return False
        return info.st_size == record.size and info.st_mtime_ns == record.mtime_ns


def _split(items: list[Any], year_of: Callable[[Any], int], year_label: Callable[[Any], str], t: dict[str, str],
           url_of: Any, limit: int) -> list[tuple[TimelinePart, list[Any]]]:
    """Items (in order) a year per page, a busy year in parts of at most `limit`; `url_of(year,
    part)` names each page, `year_label(item)` the year of an item as its page heads it."""
    parts: list[tuple[TimelinePart, list[Any]]] = []
    for year, grouped in groupby(items, key=year_of):
        chunk_list = list(grouped)
        chunks = [chunk_list[i:i + limit] for i in range(0, len(chunk_list), limit)]
        for number, chunk in enumerate(chunks, 1):
            label = year_label(chunk[0]) if len(chunks) == 1 else t["timeline_part"].format(
                year=year_label(chunk[0]), part=number, parts=len(chunks))
            parts.append((TimelinePart(url_of(year, number), year, number, label, len(chunk)), chunk))
    return parts


_LOCALES = {"ko": "ko_KR", "en": "en_US"}  # Open Graph wants territory-qualified locales


def _event_year(event: Event) -> int:
    return event.when.year


def _source_year(source: Any) -> int:
    return source.date.year


def _source_order(source: Any) -> tuple:
    return (source.publisher.casefold(), source.date.sort_key, source.key)
