"""Small view records for templates, built from the model for one page language."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from . import urls
from .dates import When, display, home_display, machine_value, plain_display, start_of
from .i18n import date_words, language_name
from .markup import ALERTS
from .media_views import Cites, FigureView, MediaViews, PostView
from .model import Content, Event, Figure, Page, Post, Source
from .placeholders import Citing, finish
from .state import ViewRecord
from .texts import DateView, Note, Text, pick


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str


@dataclass(frozen=True)
class Part:
    """One page of a split timeline, side-by-side page or bibliography."""

    url: str
    year: int
    part: int
    label: str
    count: int


@dataclass(frozen=True)
class Pair:
    """One event in every language, for the side-by-side page."""

    slug: str
    views: tuple[EventView, ...]


@dataclass(frozen=True)
class Label:
    """A tag or person: its key, its label, the page listing it, a detail (role) and, on the
    index pages, how many events it has."""

    key: str
    text: str
    url: str
    detail: str = ""
    count: int = 0


@dataclass(frozen=True)
class CorrectionView:
    date: str
    machine: str
    text: Text


@dataclass(frozen=True)
class Body:
    """A rendered body in one page language; `lang` differs from the page when untranslated.

    `summary` is the event's one or two cited sentences ("" when it has none), numbered
    with the body: the timeline shows it with `summary_notes`, the event page both."""

    html: str
    lang: str
    language: str  # the name of `lang` in the page language, for the untranslated notice
    translated: bool
    notes: tuple[Note, ...]
    summary: str = ""
    summary_notes: tuple[Note, ...] = ()
    figures: dict[str, FigureView] = field(default_factory=dict)  # file -> the figure a Markdown image places
    media: tuple[FigureView | PostView, ...] = ()  # the event's other figures and posts, in order

    @property
    def lead(self) -> FigureView | PostView | None:
        """What the timeline card shows, small, and the event page first: the first of `media`."""
        return self.media[0] if self.media else None

    @property
    def picture(self) -> FigureView | None:
        """The first picture the page shows (listed or in the text): its link preview and feed image."""
        listed = [m for m in self.media if isinstance(m, FigureView)]
        return listed[0] if listed else next(iter(self.figures.values()), None)


@dataclass(frozen=True)
class EventView:
    slug: str
    url: str
    era: str
    year: int
    year_label: str
    title: Text
    date: DateView
    body: Body
    tags: tuple[Label, ...]
    people: tuple[Label, ...]
    updated: DateView | None
    corrections: tuple[CorrectionView, ...]
    names: str = ""  # its people's names in every language and their variant spellings, for search


@dataclass(frozen=True)
class Heading:
    """A day (in an era told day by day) or a year heading events on the timeline."""

    anchor: str
    label: str
    machine: str  # the `<time datetime>` value
    events: tuple[EventView, ...]


@dataclass(frozen=True)
class EraGroup:
    """An era's events on one timeline page, under their day or year headings."""

    key: str
    title: str
    by_day: bool
    headings: tuple[Heading, ...]

    @property
    def events(self) -> tuple[EventView, ...]:
        return tuple(event for heading in self.headings for event in heading.events)


@dataclass(frozen=True)
class PageView:
    slug: str
    url: str
    title: Text
    analysis: bool
    body: Body


@dataclass(frozen=True)
class SourceView:
    key: str
    anchor: str
    publisher: str
    title: Text
    translated_title: str | None
    date: str
    language: str
    url: str | None
    archive: str | None
    cited_in: tuple[tuple[str, Text], ...]  # (url, title)
    kind: str | None = None  # the kind of publication, in the page language
    no_url: Text | None = None  # why there is no address


@dataclass(frozen=True)
class Alternate:
    lang: str
    name: str
    href: str  # absolute
    url: str  # site-relative, for the language switch


class Views:
    """Builds view records for one language, rendering each body once."""

    def __init__(self, content: Content, lang: str, strings: dict[str, dict[str, str]],
                 memo: dict | None = None,
                 source_url: Callable[[str], str] | None = None) -> None:
        self.content, self.lang, self.strings = content, lang, strings
        self._source_url = source_url or (lambda key: urls.sources(lang))  # source key -> its bibliography page
        self.t = strings[lang]
        self._words = date_words(self.t, content.site.home_zones.get(lang), content.site.zone)
        self._labels = {kind: self.t[f"callout_{kind}"] for kind in ALERTS.values()}
        self._order = (lang,) + tuple(code for code in content.site.languages if code != lang)
        self._memo: dict[tuple[str, str], ViewRecord] = memo if memo is not None else {}
        self._years: dict[tuple[int, str], str] = {}
        self.media_views = MediaViews(content, lang, self._order, self.date)

    def date(self, when: When, zone: ZoneInfo, approximate: bool, end: When | None = None) -> DateView:
        return DateView(
            display(when, zone, self.lang, self._words, approximate),
            machine_value(when, zone),
            home_display(when, zone, self.lang, self._words),
            display(end, zone, self.lang, self._words) if end else None,
            machine_value(end, zone) if end else None,
        )

    def body(self, item: Event | Page) -> Body:
        """The summary and body shown in this language (its own, or the first translation),
        their citations numbered together, summary first."""
        shown = self.lang if self.lang in item.sections else next(c for c in self._order if c in item.sections)
        section = item.sections[shown]
        summary = item.summary.get(shown) if isinstance(item, Event) else None
        keys = item.citations(shown) if isinstance(item, Event) else section.citations
        citing = Citing({key: n for n, key in enumerate(keys, 1)}, f"{self.lang}-{item.slug}", self._labels)
        summary_html = finish(summary.html, citing) if summary else ""
        html = finish(section.html, citing)
        notes = tuple(self._note(n, citing.anchor, self.content.sources[key]) for key, n in citing.numbers.items())
        cited = set(summary.citations) if summary else set()
        body = Body(html, shown, language_name(shown, self.lang), shown == self.lang, notes, summary_html,
                    tuple(note for note in notes if note.source_key in cited))
        if not isinstance(item, Event) or not item.media:
            return body
        placed = {image.name: image for image in section.images}
        cites = Cites(notes, set(section.citations) | cited)
        views = self.media_views
        figures = {figure.name: views.figure(figure, cites, placed[figure.name].alt, placed[figure.name].caption)
                   for figure in item.figures if figure.name in placed}
        media = tuple(views.post(entry, cites) if isinstance(entry, Post) else views.figure(entry, cites)
                      for entry in item.media if not (isinstance(entry, Figure) and entry.name in placed))
        return dataclasses.replace(body, figures=figures, media=media)

    def _note(self, number: int, anchor: str, source: Source) -> Note:
        return Note(number, f"ref-{anchor}-{number}", f"cite-{anchor}-{number}", source.key,
                    self._source_url(source.key), source.publisher, Text(source.title, source.lang),
                    self._translated_title(source), self._source_date(source), source.url or source.archive)

    def _translated_title(self, source: Source) -> str | None:
        """The title in the page's language, in brackets as a translation (a title that is
        already a bracketed description keeps its own)."""
        text = source.translated_title.get(self.lang) if source.lang != self.lang else None
        if text is None:
            return None
        return text if text.startswith("[") and text.endswith("]") else f"[{text}]"

    def _source_date(self, source: Source) -> str:
        return plain_display(source.date, self.lang)

    def event(self, event: Event) -> EventView:
        """The event's view; `serve` reuses it while the event and the YAML files are unchanged."""
        era = self.content.era_of[event.slug]
        hit = self._memo.get((self.lang, event.slug))
        if hit is not None and hit.event is event and hit.revision == self.content.revision and hit.era == era:
            return hit.view
        view = self._event(event)
        self._memo[(self.lang, event.slug)] = ViewRecord(event, self.content.revision, era, view)
        return view

    def _event(self, event: Event) -> EventView:
        tags = tuple(Label(k, self.content.tags[k].label[self.lang], urls.tag(self.lang, k)) for k in event.tags)
        people = tuple(Label(k, self.content.people[k].name[self.lang], urls.person(self.lang, k),
                             self.content.people[k].role[self.lang]) for k in event.people)
        zone = self.content.site.zone
        corrections = tuple(CorrectionView(plain_display(c.date, self.lang), machine_value(c.date, zone),
                                           pick(c.text, self.lang, self._order)) for c in event.corrections)
        body = self.body(event)
        return EventView(event.slug, urls.event(self.lang, event.slug), self.content.era_of[event.slug],
                         event.when.year, self.year_label(event),
                         pick(event.title, self.lang, self._order),
                         self.date(event.when, event.zone, event.approximate, event.end),
                         body, tags, people,
                         self.date(event.updated, zone, False) if event.updated else None, corrections,
                         self._names(event))

    def _names(self, event: Event) -> str:
        """What a reader may type for the event's people, whatever the page's language: every
        language's name and the variants people.yaml lists (Altman, 알트만 on a Korean page)."""
        names: list[str] = []
        for key in event.people:
            person = self.content.people[key]
            for text in [*person.name.values(), *(v for variants in person.variants.values() for v in variants)]:
                if text not in names:
                    names.append(text)
        return " ".join(names)

    def year_label(self, event: Event) -> str:
        """The event's year as the timeline heads it, in the event's own zone."""
        return self.year(event.when.year, event.zone)

    def year(self, year: int, zone: ZoneInfo | None = None) -> str:
        """A year as a page heads it (`2019년`), in `zone` or the site's."""
        zone = zone or self.content.site.zone
        key = (year, zone.key)
        if key not in self._years:
            self._years[key] = display(When(year), zone, self.lang, self._words)
        return self._years[key]

    def groups(self, events: list[Event]) -> list[EraGroup]:
        """The events (in order) by era, each era's under a heading per day or per year."""
        site, era_of = self.content.site, self.content.era_of
        eras = {era.key: era for era in site.eras}
        groups = []
        for key, items in groupby(events, key=lambda e: era_of[e.slug]):
            era = eras.get(key)
            views = [(event, self.event(event)) for event in items]
            if era is not None and era.by_day:
                days = groupby(views, key=lambda pair: _site_day(pair[0], site.zone))
                headings = tuple(self._day(day, tuple(view for _, view in pairs)) for day, pairs in days)
            else:
                headings = tuple(Heading(f"y{year}-{key}", pairs_list[0].year_label, str(year), tuple(pairs_list))
                                 for year, pairs_list in ((y, [v for _, v in p]) for y, p in
                                                          groupby(views, key=lambda pair: pair[1].year)))
            groups.append(EraGroup(key, era.title[self.lang] if era else "", bool(era and era.by_day), headings))
        return groups

    def _day(self, day: dt.date, events: tuple[EventView, ...]) -> Heading:
        midnight = dt.datetime.combine(day, dt.time(), self.content.site.zone)
        label = format_datetime(midnight, self.t["day_heading"], tzinfo=midnight.tzinfo, locale=self.lang)
        return Heading(f"day-{day.isoformat()}", label, day.isoformat(), events)

    def page(self, page: Page) -> PageView:
        return PageView(page.slug, urls.page(self.lang, page.slug), pick(page.title, self.lang, self._order),
                        page.analysis, self.body(page))

    def source(self, source: Source, cited_in: list[tuple[str, dict[str, str]]]) -> SourceView:
        return SourceView(
            source.key, urls.source_anchor(source.key), source.publisher, Text(source.title, source.lang),
            self._translated_title(source), self._source_date(source),
            language_name(source.lang, self.lang), source.url, source.archive,
            tuple((url, pick(title, self.lang, self._order)) for url, title in cited_in),
            self.t[f"kind_{source.kind}"] if source.kind else None,
            pick(source.no_url, self.lang, self._order) if source.no_url else None,
        )

    def alternates(self, url_in: Callable[[str], str]) -> tuple[Alternate, ...]:
        """The page in every language, for hreflang links and the language switch."""
        base = self.content.site.base_url
        return tuple(Alternate(code, self.strings[code]["lang_name"], urls.absolute(base, url_in(code)), url_in(code))
                     for code in self.content.site.languages)


def _site_day(event: Event, zone: ZoneInfo) -> dt.date:
    """The day an event starts on, in the site's zone (the day it is told under)."""
    return start_of(event.when, event.zone).astimezone(zone).date()
