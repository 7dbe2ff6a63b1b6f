"""What the site is: every page it has, with its path, template, URL, language, its versions
in the other languages, and how to build its context. Pure: content and strings in, pages out;
no cache, no mode, no forking here.

A page's context is built from a `Reads` object, the one way it may look at the model: each
read names what the page depends on (an event whole or as a list shows it, a context page,
a piece of the site's layout), so that what is current can be decided from what a page read
last time (Lektor records dependencies on read, in the same way). Whatever a context takes
without a read must be part of what every page depends on (the "salt": the code, the
templates, the strings, site.yaml, sources, people and tags, and the navigation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from typing import Any, Protocol

from markupsafe import Markup

from . import urls
from .dates import When, display
from .i18n import date_words, shown_language
from .model import Content, Event, Page, Source
from .views import Label, NavItem, Pair, Part


class Reads(Protocol):
    """What a page's context may read; each read is one of its dependencies."""

    def event(self, lang: str, event: Event) -> Any: ...
    def head(self, lang: str, event: Event | None) -> Any: ...
    def page(self, lang: str, page: Page) -> Any: ...
    def groups(self, lang: str, events: list[Event]) -> Any: ...
    def layout(self, name: str) -> Any: ...
    def listed(self, name: str) -> list[Any]: ...
    def members(self, kind: str, key: str) -> list[Event]: ...
    def sources(self, lang: str, sources: list[Source]) -> list[Any]: ...
    def chart(self, lang: str) -> Markup: ...
    def fragment(self, url: str, lang: str) -> Callable[..., Markup]: ...


Context = Callable[[Reads], dict[str, Any]]
Strings = dict[str, dict[str, str]]  # language -> UI string key -> text


@dataclass(frozen=True)
class PageSpec:
    path: str
    template: str
    url: str
    lang: str
    versions: Callable[[str], str] | None  # the page's URL in each language; None: one version only
    context: Context


@dataclass
class Plan:
    pages: list[PageSpec]
    layout: dict[str, Any]  # named pieces of the site's shape that pages read (what part holds an event...)
    nav: dict[str, tuple[NavItem, ...]]
    paths: set[str] = field(default_factory=set)

    def add(self, template: str, url: str, lang: str, versions: Callable[[str], str] | None,
            context: Context) -> None:
        """A page at `url`, rendered with `template` from `context(reads)`."""
        path = urls.output_path(url)
        if path in self.paths:
            raise ValueError(f"two pages would be written to {path}")
        self.paths.add(path)
        self.pages.append(PageSpec(path, template, url, lang, versions, context))

    def page_urls(self) -> list[tuple[str, dict[str, str]]]:
        """Every page with its URL in each language (for the sitemap)."""
        languages = tuple(self.nav)
        return [(spec.url, {code: spec.versions(code) for code in languages} if spec.versions else {})
                for spec in self.pages]


# Adds one kind of page, in one language, to the plan.
PageType = Callable[[Plan, Content, Strings, str], None]


def plan_site(content: Content, strings: Strings, page_types: tuple[PageType, ...] | None = None) -> Plan:
    """Every page of the site in every language (`page_types`, the standard ones by default),
    the chooser and the 404 page."""
    plan = Plan([], {}, {lang: _nav(content, strings, lang) for lang in content.site.languages})
    plan.layout["events"] = tuple(e.slug for e in content.events)
    for lang in content.site.languages:
        for add_pages in PAGE_TYPES if page_types is None else page_types:
            add_pages(plan, content, strings, lang)
    first = content.site.languages[0]
    plan.add("index.html", urls.ROOT, first, None, lambda reads: dict(choices=[
        (lang, strings[lang]["lang_name"], strings[lang]["choose_language"], content.site.title[lang],
         content.site.description[lang], urls.timeline(lang)) for lang in content.site.languages]))
    plan.add("404.html", urls.NOT_FOUND, first, None, lambda reads: dict(
        languages=[(lang, strings[lang]) for lang in content.site.languages], titles=content.site.title))
    plan.layout["page-urls"] = plan.page_urls()
    return plan


def _nav(content: Content, strings: Strings, lang: str) -> tuple[NavItem, ...]:
    t = strings[lang]
    items = [NavItem(urls.timeline(lang), t["nav_timeline"])]
    languages = content.site.languages
    items += [NavItem(urls.page(lang, p.slug), p.nav[shown_language(p.nav, lang, languages)]) for p in content.pages]
    items += [NavItem(urls.people(lang), t["nav_people"]), NavItem(urls.tags(lang), t["nav_tags"]),
              NavItem(urls.sources(lang), t["nav_sources"])]
    return tuple(items)


def _versions(url_of: Callable[..., str], *args: Any) -> Callable[[str], str]:
    """A page's URL in each language: `url_of(lang, *args)`."""
    return lambda code: url_of(code, *args)


def _events(plan: Plan, content: Content, strings: Strings, lang: str) -> None:
    """A page per event, with its neighbours."""
    slugs = [e.slug for e in content.events]
    era_titles = {era.key: era.title[lang] for era in content.site.eras}
    for index, event in enumerate(content.events):
        plan.layout[f"neighbours:{event.slug}"] = (slugs[index - 1] if index else None,
                                                   slugs[index + 1] if index + 1 < len(slugs) else None)
        plan.add("event.html", urls.event(lang, event.slug), lang, _versions(urls.event, event.slug),
                 partial(_event_page, nav=plan.nav[lang], lang=lang, event=event,
                         era_title=era_titles.get(content.era_of[event.slug], "")))


def _event_page(reads: Reads, *, nav: tuple[NavItem, ...], lang: str, event: Event, era_title: str) -> dict[str, Any]:
    previous, after = reads.listed(f"neighbours:{event.slug}")
    return dict(nav=nav, event=reads.event(lang, event), on_timeline=reads.layout(f"place:{lang}:{event.slug}"),
                previous=reads.head(lang, previous), next=reads.head(lang, after), era_title=era_title)


def _pages(plan: Plan, content: Content, strings: Strings, lang: str) -> None:
    """The context pages (pages/*.md)."""
    for page in content.pages:
        plan.add("page.html", urls.page(lang, page.slug), lang, _versions(urls.page, page.slug),
                 partial(_context_page, nav=plan.nav[lang], lang=lang, page=page))


def _context_page(reads: Reads, *, nav: tuple[NavItem, ...], lang: str, page: Page) -> dict[str, Any]:
    return dict(nav=nav, page=reads.page(lang, page))


def _timeline(plan: Plan, content: Content, strings: Strings, lang: str) -> None:
    """The timeline page, or for a long chronicle a home page and a page per year (part)."""
    events, home = list(content.events), urls.timeline(lang)
    parts = _year_parts(content, strings, lang, partial(urls.timeline_part, lang))
    for event in events:
        plan.layout[f"place:{lang}:{event.slug}"] = home
    for part, chunk in parts:
        for event in chunk:
            plan.layout[f"place:{lang}:{event.slug}"] = part.url
        plan.layout[f"events:{part.url}"] = tuple(e.slug for e in chunk)
    plan.layout[f"events:{home}"] = () if parts else tuple(e.slug for e in events)
    index = [part for part, _ in parts]
    plan.layout[f"timeline:{lang}"] = (len(events), index)
    eras = tuple((era.key, era.title[lang]) for era in content.site.eras)
    page = partial(_timeline_page, nav=plan.nav[lang], lang=lang, eras=eras)
    plan.add("timeline.html", home, lang, urls.timeline, partial(page, url=home, part=None, chart=True))
    for number, part in enumerate(index):
        plan.add("timeline.html", part.url, lang, _versions(urls.timeline_part, part.year, part.part),
                 partial(page, url=part.url, part=part, previous=index[number - 1] if number else None,
                         next=index[number + 1] if number + 1 < len(index) else None))


def _timeline_page(reads: Reads, *, nav: tuple[NavItem, ...], lang: str, url: str, part: Part | None,
                   eras: tuple[tuple[str, str], ...], chart: bool = False, previous: Part | None = None,
                   next: Part | None = None) -> dict[str, Any]:
    count, parts = reads.layout(f"timeline:{lang}")
    return dict(nav=nav, count=count, parts=parts, groups=reads.groups(lang, reads.listed(f"events:{url}")),
                fragment=reads.fragment(url, lang), chart=reads.chart(lang) if chart else None, current=part,
                previous=previous, next=next, eras=eras)


def _sources(plan: Plan, content: Content, strings: Strings, lang: str) -> None:
    """The bibliography, or for a long one an index of years and a page per year (part)."""
    parts = source_parts(content, strings, lang)
    plan.layout[f"sources:{lang}"] = [part for part, _ in parts]
    page = partial(_sources_page, nav=plan.nav[lang], lang=lang)
    everything = [] if parts else sorted(content.sources.values(), key=source_order)
    plan.add("sources.html", urls.sources(lang), lang, urls.sources,
             partial(page, part=None, count=len(content.sources), sources=everything))
    for part, chunk in parts:
        plan.add("sources.html", part.url, lang, _versions(urls.sources_part, part.year, part.part),
                 partial(page, part=part, count=len(chunk), sources=sorted(chunk, key=source_order)))


def _sources_page(reads: Reads, *, nav: tuple[NavItem, ...], lang: str, part: Part | None, count: int,
                  sources: list[Source]) -> dict[str, Any]:
    return dict(nav=nav, parts=reads.layout(f"sources:{lang}"), current=part, count=count,
                sources=reads.sources(lang, sources))


def source_parts(content: Content, strings: Strings, lang: str) -> list[tuple[Part, list[Source]]]:
    """The parts of a long bibliography (none for a short one), by the sources' dates."""
    sources = content.sources.values()
    if len(sources) <= content.site.sources_per_page:
        return []
    by_date = sorted(sources, key=lambda s: (s.date.sort_key, source_order(s)))
    label = _year_label(content, strings, lang, lambda s: content.site.zone, year=lambda s: s.date.year)
    return _split(by_date, lambda s: s.date.year, label, strings[lang], partial(urls.sources_part, lang),
                  content.site.sources_per_page)


def source_order(source: Source) -> tuple[str, tuple[int, ...], str]:
    return (source.publisher.casefold(), source.date.sort_key, source.key)


def _labels(plan: Plan, content: Content, strings: Strings, lang: str) -> None:
    """The tag and people indexes, and a page per tag and per person listing its events."""
    nav = plan.nav[lang]
    kinds: tuple[tuple[str, dict[str, Any], Callable[[str], str], Callable[[str, str], str]], ...] = (
        ("tags", content.tags, urls.tags, urls.tag), ("people", content.people, urls.people, urls.person))
    for kind, records, index_url, item_url in kinds:
        counts = dict.fromkeys(records, 0)
        for event in content.events:
            for key in getattr(event, kind):
                counts[key] += 1
        entries = [_entry(kind, lang, key, record, item_url(lang, key), counts[key])
                   for key, record in records.items() if counts[key]]
        entries.sort(key=lambda entry: (-entry.count, entry.text))
        plan.layout[f"labels:{kind}:{lang}"] = entries
        plan.add("labels.html", index_url(lang), lang, index_url,
                 partial(_labels_page, nav=nav, kind=kind, name=f"labels:{kind}:{lang}"))
        for entry in entries:
            plan.layout[f"label:{kind}:{lang}:{entry.key}"] = entry
            plan.add("label.html", entry.url, lang, _versions(item_url, entry.key),
                     partial(_label_page, nav=nav, lang=lang, kind=kind, key=entry.key))


def _labels_page(reads: Reads, *, nav: tuple[NavItem, ...], kind: str, name: str) -> dict[str, Any]:
    return dict(nav=nav, kind=kind, entries=reads.layout(name))


def _label_page(reads: Reads, *, nav: tuple[NavItem, ...], lang: str, kind: str, key: str) -> dict[str, Any]:
    return dict(nav=nav, kind=kind, entry=reads.layout(f"label:{kind}:{lang}:{key}"),
                events=[reads.head(lang, e) for e in reads.members(kind, key)])


def _entry(kind: str, lang: str, key: str, record: Any, url: str, count: int) -> Label:
    if kind == "tags":
        return Label(key, record.label[lang], url, count=count)
    return Label(key, record.name[lang], url, record.role[lang], count)


def _both(plan: Plan, content: Content, strings: Strings, lang: str) -> None:
    """Every event in every language in aligned columns, the reader's own first, for
    bilingual readers and translators; split by year like the timeline when it is long."""
    languages = (lang, *(code for code in content.site.languages if code != lang))
    parts = _year_parts(content, strings, lang, partial(urls.both_part, lang))
    plan.layout[f"both:{lang}"] = [part for part, _ in parts]
    home = urls.both(lang)
    plan.layout[f"events:{home}"] = () if parts else tuple(e.slug for e in content.events)
    page = partial(_both_page, nav=plan.nav[lang], lang=lang, languages=languages,
                   columns=[(code, strings[code]) for code in languages])
    plan.add("both.html", home, lang, urls.both, partial(page, url=home, part=None))
    for part, chunk in parts:
        plan.layout[f"events:{part.url}"] = tuple(e.slug for e in chunk)
        plan.add("both.html", part.url, lang, _versions(urls.both_part, part.year, part.part),
                 partial(page, url=part.url, part=part))


def _both_page(reads: Reads, *, nav: tuple[NavItem, ...], lang: str, languages: tuple[str, ...],
               columns: list[tuple[str, dict[str, str]]], url: str, part: Part | None) -> dict[str, Any]:
    chunk = reads.listed(f"events:{url}")
    return dict(nav=nav, parts=reads.layout(f"both:{lang}"), columns=columns, current=part,
                fragment=reads.fragment(url, lang), groups=reads.groups(lang, chunk),
                pairs={e.slug: Pair(e.slug, tuple(reads.event(code, e) for code in languages)) for e in chunk})


def _year_parts(content: Content, strings: Strings, lang: str, url_of: Callable[[int, int], str]
                ) -> list[tuple[Part, list[Event]]]:
    """The events a year per page when there are more than `events_per_page` (else none)."""
    events = list(content.events)
    if len(events) <= content.site.events_per_page:
        return []
    return _split(events, lambda e: e.when.year, _year_label(content, strings, lang, lambda e: e.zone),
                  strings[lang], url_of, content.site.events_per_page)


def _year_label(content: Content, strings: Strings, lang: str, zone_of: Callable[[Any], Any],
                year: Callable[[Any], int] = lambda e: e.when.year) -> Callable[[Any], str]:
    """How a split page heads its year (`2019년`), in the item's zone."""
    words = date_words(strings[lang])
    return lambda item: display(When(year(item)), zone_of(item), lang, words)


def _split(items: list[Any], year_of: Callable[[Any], int], year_label: Callable[[Any], str], t: dict[str, str],
           url_of: Callable[[int, int], str], limit: int) -> list[tuple[Part, list[Any]]]:
    """Items (in order) a year per page, a busy year in parts of at most `limit`; `url_of(year,
    part)` names each page, `year_label(item)` the year of an item as its page heads it."""
    parts: list[tuple[Part, list[Any]]] = []
    for year, grouped in groupby(items, key=year_of):
        chunk_list = list(grouped)
        chunks = [chunk_list[i:i + limit] for i in range(0, len(chunk_list), limit)]
        for number, chunk in enumerate(chunks, 1):
            label = year_label(chunk[0]) if len(chunks) == 1 else t["timeline_part"].format(
                year=year_label(chunk[0]), part=number, parts=len(chunks))
            parts.append((Part(url_of(year, number), year, number, label, len(chunk)), chunk))
    return parts


# The pages every site has, in each language, in the order they are planned.
def _embeds(plan: Plan, content: Content, strings: Strings, lang: str) -> None:
    """Compact timelines for iframes: the whole chronicle (while it fits one page; else a
    list of its eras) and one per era."""
    events = tuple(e.slug for e in content.events)
    whole = urls.embed(lang)
    plan.layout[f"events:{whole}"] = events if len(events) <= content.site.events_per_page else ()
    eras = tuple((era.key, era.title[lang], urls.embed(lang, era.key)) for era in content.site.eras)
    plan.add("embed.html", whole, lang, urls.embed, partial(_embed_page, lang=lang, url=whole, eras=eras,
                                                            full=urls.timeline(lang)))
    for era in content.site.eras:
        url = urls.embed(lang, era.key)
        plan.layout[f"events:{url}"] = tuple(e.slug for e in content.events if content.era_of[e.slug] == era.key)
        plan.add("embed.html", url, lang, _versions(urls.embed, era.key),
                 partial(_embed_page, lang=lang, url=url, eras=(), full=urls.timeline(lang), era=era.title[lang]))


def _embed_page(reads: Reads, *, lang: str, url: str, eras: tuple[tuple[str, str, str], ...], full: str,
                era: str | None = None) -> dict[str, Any]:
    events = reads.listed(f"events:{url}")
    return dict(groups=reads.groups(lang, events) if events else [], eras=() if events else eras, era=era,
                full=full, fragment=reads.fragment(url, lang))


PAGE_TYPES: tuple[PageType, ...] = (_timeline, _events, _pages, _sources, _labels, _both, _embeds)
