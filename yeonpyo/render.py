"""Rendering the whole site in memory: every output path mapped to its bytes."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2

from . import urls
from .cache import BuildCache, code_fingerprint
from .markup import Renderer
from .chart import overview_chart
from .exports import export_files, export_paths
from .model import Content
from .views import EventView, Views


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


@dataclass(frozen=True)
class TimelinePart:
    """One page of a split timeline."""

    url: str
    year: int
    part: int
    label: str
    count: int


@dataclass(frozen=True)
class EraGroup:
    key: str
    title: str
    events: tuple[EventView, ...]


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


class SiteRenderer:
    """Renders the pages of a validated `Content`, skipping pages whose inputs are unchanged.

    A page's fingerprint hashes everything its HTML depends on: the generator's code, the
    templates and strings, the site settings, and the view records handed to its template.
    When it matches the last build's and the file on disk is the one that build wrote, the
    page is not rendered again (its value in `files` is None: keep the file).
    """

    def __init__(self, content: Content, strings: dict[str, dict[str, str]], env: jinja2.Environment,
                 templates: Path, out: Path, cache: BuildCache, quick: bool = False) -> None:
        self.content, self.strings, self.env, self.out, self.cache = content, strings, env, out, cache
        self.quick = quick  # serve's first pass: exports keep their last files until the full pass
        self.files: dict[str, bytes | None] = {}
        self.fingerprints: dict[str, str] = {}
        self.page_urls: list[tuple[str, dict[str, str]]] = []  # every page and its language versions
        self._citers = _citers(content)
        self._salt = _salt(templates, content, strings)
        if cache.memo.get("salt") != self._salt:  # templates, strings or code changed: forget views
            for key in ("views", "charts"):
                cache.memo.pop(key, None)
            cache.memo["salt"] = self._salt

    def render_all(self, static: Path) -> dict[str, bytes | None]:
        """Every page in every language, the chooser, the 404 page and the static files."""
        views = {lang: self._views(lang) for lang in self.content.site.languages}
        events = {lang: [v.event(e) for e in self.content.events] for lang, v in views.items()}
        for lang in self.content.site.languages:
            self._language(lang, views[lang], events[lang])
        self._both(events)
        first = self.content.site.languages[0]
        self._page("index.html", urls.ROOT, first, alternates=(), choices=[
            (lang, self.strings[lang]["lang_name"], self.strings[lang]["choose_language"],
             self.content.site.title[lang], self.content.site.description[lang], urls.timeline(lang))
            for lang in self.content.site.languages])
        self._page("404.html", urls.NOT_FOUND, first, alternates=(), nav=self._nav(first),
                   others=[(lang, self.strings[lang]) for lang in self.content.site.languages if lang != first])
        if self.quick:
            self.files.update({path: None for path in export_paths(self.content) if (self.out / path).is_file()})
        else:
            self.files.update(export_files(self.content, self.strings, events, self.page_urls))
        for path in sorted(p for p in static.rglob("*") if p.is_file()):
            self.files[urls.static(path.relative_to(static).as_posix())] = path.read_bytes()
        return self.files

    def _nav(self, lang: str) -> tuple[NavItem, ...]:
        t = self.strings[lang]
        items = [NavItem(urls.timeline(lang), t["nav_timeline"])]
        items += [NavItem(urls.page(lang, p.slug), p.nav.get(lang) or next(iter(p.nav.values())))
                  for p in self.content.pages]
        items += [NavItem(urls.people(lang), t["nav_people"]), NavItem(urls.tags(lang), t["nav_tags"]),
                  NavItem(urls.sources(lang), t["nav_sources"])]
        return tuple(items)

    def _views(self, lang: str) -> Views:
        t = self.strings[lang]
        return Views(self.content, lang, self.strings,
                     Renderer({"note": t["callout_note"], "disputed": t["callout_disputed"]}, self.cache),
                     self.cache.memo.setdefault("views", {}))

    def _language(self, lang: str, views: Views, events: list[EventView]) -> None:
        nav = self._nav(lang)
        place = self._timeline(lang, views, events, nav)
        era_titles = {era.key: era.title[lang] for era in self.content.site.eras}
        for index, event in enumerate(events):
            self._page("event.html", event.url, lang, nav=nav, event=event, on_timeline=place[event.slug],
                       previous=events[index - 1] if index else None,
                       next=events[index + 1] if index + 1 < len(events) else None,
                       era_title=era_titles.get(event.era, ""),
                       alternates=views.alternates(lambda code, slug=event.slug: urls.event(code, slug)))
        for page in self.content.pages:
            self._page("page.html", urls.page(lang, page.slug), lang, nav=nav, page=views.page(page),
                       alternates=views.alternates(lambda code, slug=page.slug: urls.page(code, slug)))
        sources = [views.source(s, [(where(lang, slug), title) for where, slug, title in self._citers.get(key, [])])
                   for key, s in sorted(self.content.sources.items(), key=lambda kv: _source_order(kv[1]))]
        self._page("sources.html", urls.sources(lang), lang, nav=nav, sources=sources,
                   alternates=views.alternates(urls.sources))
        self._labels(lang, views, events, nav)

    def _timeline(self, lang: str, views: Views, events: list[EventView], nav: tuple[NavItem, ...]) -> dict[str, str]:
        """The timeline page, or for a long chronicle a home page and a page per year (part);
        returns the timeline page that holds each event."""
        home = urls.timeline(lang)
        parts = _split(events, self.strings[lang], lambda year, part: urls.timeline_part(lang, year, part)) \
            if len(events) > TIMELINE_PAGE_LIMIT else [(None, events)]
        place = {e.slug: part.url if part else home for part, chunk in parts for e in chunk}
        link = urls.Linker(home, self.content.site.base_url)
        chart = self._chart(lang, lambda e: link(place[e.slug], e.slug))
        index = [part for part, _ in parts if part]
        common = dict(nav=nav, count=len(events), parts=index)
        self._page("timeline.html", home, lang, groups=self._groups(lang, parts[0][1] if not index else []),
                   chart=chart, current=None, alternates=views.alternates(urls.timeline), **common)
        for number, (part, chunk) in enumerate(parts if index else []):
            self._page("timeline.html", part.url, lang, groups=self._groups(lang, chunk), chart=None, current=part,
                       previous=index[number - 1] if number else None,
                       next=index[number + 1] if number + 1 < len(index) else None,
                       alternates=views.alternates(lambda code, p=part: urls.timeline_part(code, p.year, p.part)),
                       **common)
        return place

    def _chart(self, lang: str, href: Any) -> Any:
        """The overview chart, redrawn only when an event's date, title, era or place changes."""
        key = (lang, self.content.revision, tuple(
            (e.slug, e.when, e.end, e.zone.key, e.approximate, tuple(sorted(e.title.items())),
             self.content.era_of[e.slug], href(e)) for e in self.content.events))
        charts = self.cache.memo.setdefault("charts", {})  # lang -> (key, chart)
        if lang not in charts or charts[lang][0] != key:
            charts[lang] = (key, overview_chart(self.content, lang, self.strings[lang], href))
        return charts[lang][1]

    def _groups(self, lang: str, events: list[EventView]) -> list[EraGroup]:
        titles = {era.key: era.title[lang] for era in self.content.site.eras}
        return [EraGroup(key, titles.get(key, ""), tuple(items)) for key, items in groupby(events, key=lambda e: e.era)]

    def _labels(self, lang: str, views: Views, events: list[EventView], nav: tuple[NavItem, ...]) -> None:
        """The tag and people indexes, and a page per tag and per person listing its events."""
        for kind, records, index_url, item_url in (
                ("tags", self.content.tags, urls.tags, urls.tag),
                ("people", self.content.people, urls.people, urls.person)):
            members: dict[str, list[EventView]] = {key: [] for key in records}
            for event in events:  # one pass over the events, in their chronological order
                for label in getattr(event, kind):
                    members[label.key].append(event)
            entries = [self._entry(kind, lang, key, record, item_url(lang, key), len(members[key]))
                       for key, record in records.items() if members[key]]
            entries.sort(key=lambda entry: (-entry.count, entry.label))
            self._page("labels.html", index_url(lang), lang, nav=nav, kind=kind, entries=entries,
                       alternates=views.alternates(index_url))
            for entry in entries:
                self._page("label.html", entry.url, lang, nav=nav, kind=kind, entry=entry, events=members[entry.key],
                           alternates=views.alternates(lambda code, key=entry.key, at=item_url: at(code, key)))

    @staticmethod
    def _entry(kind: str, lang: str, key: str, record: Any, url: str, count: int) -> IndexEntry:
        if kind == "tags":
            return IndexEntry(key, record.label[lang], url, count)
        return IndexEntry(key, record.name[lang], url, count, record.role[lang])

    def _both(self, events: dict[str, list[EventView]]) -> None:
        """Every event with its languages in aligned columns, for bilingual readers and translators;
        split by year like the timeline when the chronicle is long."""
        languages = self.content.site.languages
        first = languages[0]
        pairs = {views[0].slug: Pair(views[0].slug, tuple(views)) for views in zip(*(events[l] for l in languages))}
        parts = _split(events[first], self.strings[first], urls.both_part) \
            if len(pairs) > TIMELINE_PAGE_LIMIT else [(None, events[first])]
        index = [part for part, _ in parts if part]
        common = dict(nav=self._nav(first), alternates=(), parts=index,
                      columns=[(lang, self.strings[lang]) for lang in languages])
        self._page("both.html", urls.both(), first, current=None,
                   pairs=[] if index else [pairs[e.slug] for e in events[first]], **common)
        for part, chunk in parts if index else []:
            self._page("both.html", part.url, first, current=part, pairs=[pairs[e.slug] for e in chunk], **common)

    def _page(self, template: str, url: str, lang: str, **context: Any) -> None:
        path = urls.output_path(url)
        if path in self.files:
            raise ValueError(f"two pages would be written to {path}")
        inputs = pickle.dumps((self._salt, template, url, lang, sorted(context.items())), protocol=5)
        fingerprint = hashlib.sha1(inputs).hexdigest()
        self.page_urls.append((url, {alt.lang: alt.url for alt in context.get("alternates", ())}))
        self.fingerprints[path] = fingerprint
        if self._unchanged(path, fingerprint):
            self.files[path] = None
            return
        site = self.content.site
        html = self.env.get_template(template).render(
            lang=lang, t=self.strings[lang], url=url, link=urls.Linker(url, site.base_url),
            site_title=site.title.get(lang, ""), site_description=site.description.get(lang, ""),
            canonical=None if url == urls.NOT_FOUND else urls.absolute(site.base_url, url), static=urls.static,
            urls=urls, base_url=site.base_url, locales=_LOCALES, **context)
        self.files[path] = html.encode("utf-8")

    def _unchanged(self, path: str, fingerprint: str) -> bool:
        """True when the last build wrote this very page and the file is still as it left it."""
        record = self.cache.pages.get(path)
        if record is None or record.fingerprint != fingerprint:
            return False
        try:
            info = (self.out / path).stat()
        except OSError:
            return False
        return info.st_size == record.size and info.st_mtime_ns == record.mtime_ns


def _split(events: list[EventView], t: dict[str, str], url_of: Any) -> list[tuple[TimelinePart | None, list[EventView]]]:
    """A year per page, a busy year in parts of at most TIMELINE_PAGE_LIMIT events;
    `url_of(year, part)` names each page."""
    parts: list[tuple[TimelinePart | None, list[EventView]]] = []
    for year, grouped in groupby(events, key=lambda e: e.year):
        chunk_list = list(grouped)
        chunks = [chunk_list[i:i + TIMELINE_PAGE_LIMIT] for i in range(0, len(chunk_list), TIMELINE_PAGE_LIMIT)]
        for number, chunk in enumerate(chunks, 1):
            label = chunk[0].year_label if len(chunks) == 1 else t["timeline_part"].format(
                year=chunk[0].year_label, part=number, parts=len(chunks))
            parts.append((TimelinePart(url_of(year, number), year, number,
                                       label, len(chunk)), chunk))
    return parts


_LOCALES = {"ko": "ko_KR", "en": "en_US"}  # Open Graph wants territory-qualified locales


def _salt(templates: Path, content: Content, strings: dict[str, dict[str, str]]) -> str:
    """What every page depends on besides its own context."""
    digest = hashlib.sha1(code_fingerprint().encode())
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(repr((content.site, sorted(strings.items()))).encode())
    return digest.hexdigest()


def _source_order(source: Any) -> tuple:
    return (source.publisher.casefold(), source.date.sort_key, source.key)


def _citers(content: Content) -> dict[str, list[tuple[Any, str, dict[str, str]]]]:
    """Source key -> (url function, slug, titles) of every event and page that cites it."""
    cited: dict[str, list[tuple[Any, str, dict[str, str]]]] = {}
    for where, items in ((urls.event, content.events), (urls.page, content.pages)):
        for item in items:
            keys = {key for section in item.sections.values() for key in section.citations}
            for key in sorted(keys):
                cited.setdefault(key, []).append((where, item.slug, item.title))
    return cited
