"""Small view records for templates, built from the model for one page language."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from . import urls
from .dates import When, display, home_display, machine_value, plain_display, start_of
from .i18n import date_words, language_name, shown_language
from .markup import ALERTS, Citing, finish
from .media import variants as derivatives
from .model import Content, Event, Figure, Page, Picture, Post, Source
from .state import ViewRecord


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
class Cite:
    """A figure's or post's citation: the note it links to, and the id a note's back link
    needs when no sentence of the text cites that source."""

    note: Note
    id: str | None


@dataclass(frozen=True)
class PictureView:
    """A picture as `<picture>` offers it: per format (modern first) its candidates
    (site-relative URL, width), the fallback `<img>`'s, and the size that keeps its place."""

    formats: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (MIME type, candidates)
    fallback: tuple[tuple[str, int], ...]
    fallback_type: str  # the MIME type every reader of a shared link can show (JPEG or PNG)
    width: int
    height: int

    def sized(self, index: int) -> tuple[str, int, int]:
        """A fallback candidate (-1: the largest) with its width and height: for link
        previews and feeds, which want JPEG or PNG and the size."""
        url, width = self.fallback[index]
        return url, width, max(1, round(self.height * width / self.width))


@dataclass(frozen=True)
class FigureView:
    """An image or a video's poster with its caption and credit (`kind` says which)."""

    kind: str
    name: str
    picture: PictureView
    alt: Text
    caption: Text | None
    credit: Text
    license: str | None
    link: str | None  # a video's address
    host: str | None  # the site the video is on, for the link's label
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class PostView:
    """A quoted post: its text in the page's language where translated (the text as posted beside it)."""

    kind: str  # "post"
    url: str
    host: str
    author: str
    author_url: str | None
    date: DateView
    text: Text
    original: Text | None  # as posted, when `text` is a translation
    language: str  # the name of the language it was posted in, in the page's
    cites: tuple[Cite, ...] = ()


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


def pick(texts: dict[str, str], lang: str, order: tuple[str, ...]) -> Text:
    """The text in `lang`, or in the first language that has one."""
    chosen = shown_language(texts, lang, order)
    return Text(texts[chosen], chosen)


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
        cites = _Cites(notes, set(section.citations) | cited)
        figures = {figure.name: self._figure(figure, cites, placed[figure.name].alt, placed[figure.name].caption)
                   for figure in item.figures if figure.name in placed}
        media = tuple(self._post(entry, cites) if isinstance(entry, Post) else self._figure(entry, cites)
                      for entry in item.media if not (isinstance(entry, Figure) and entry.name in placed))
        return dataclasses.replace(body, figures=figures, media=media)

    def _figure(self, figure: Figure, cites: _Cites, alt: str | None = None,
                caption: str | None = None) -> FigureView:
        """A figure in this language; a Markdown image's own alt and caption come first."""
        assert figure.picture is not None, "pictures are inspected before views are made"
        order = self._order
        return FigureView(figure.kind, figure.name, self._picture(figure.picture),
                          Text(alt, self.lang) if alt else pick(figure.alt, self.lang, order),
                          Text(caption, self.lang) if caption else
                          (pick(figure.caption, self.lang, order) if figure.caption else None),
                          pick(figure.credit, self.lang, order), figure.license, figure.link,
                          urlsplit(figure.link).hostname if figure.link else None, cites(figure.cites))

    def share_image(self) -> FigureView | None:
        """The site's own picture for link previews of pages without one (site.yaml `share_image`)."""
        image = self.content.site.share_image
        return self._figure(image, _Cites((), set())) if image is not None and image.picture else None

    def _picture(self, picture: Picture) -> PictureView:
        by_format: dict[str, list[tuple[str, int]]] = {}
        for variant in derivatives(picture):
            by_format.setdefault(variant.mime, []).append((variant.path, variant.width))
        *modern, fallback = by_format.items()
        return PictureView(tuple((mime, tuple(c)) for mime, c in modern), tuple(fallback[1]), fallback[0],
                           picture.width, picture.height)

    def _post(self, post: Post, cites: _Cites) -> PostView:
        person = self.content.people.get(post.author)
        text = pick(post.text, self.lang, (post.lang, *self._order)) if self.lang not in post.text else \
            Text(post.text[self.lang], self.lang)
        original = Text(post.text[post.lang], post.lang) if text.lang != post.lang else None
        return PostView("post", post.url, urlsplit(post.url).hostname or "",
                        person.name[self.lang] if person else post.author,
                        urls.person(self.lang, post.author) if person else None,
                        self.date(post.when, post.zone, False), text, original,
                        language_name(post.lang, self.lang), cites(post.cites))

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


class _Cites:
    """Figures' and posts' citations on one page: the first citation of a source the text
    does not cite carries the id its note links back to."""

    def __init__(self, notes: tuple[Note, ...], cited_in_text: set[str]) -> None:
        self.by_key = {note.source_key: note for note in notes}
        self.anchored = set(cited_in_text)

    def __call__(self, keys: tuple[str, ...]) -> tuple[Cite, ...]:
        found = []
        for key in keys:
            first = key not in self.anchored
            self.anchored.add(key)
            found.append(Cite(self.by_key[key], self.by_key[key].back if first else None))
        return tuple(sorted(found, key=lambda cite: cite.note.number))  # in ascending order, as in the text


def _site_day(event: Event, zone: ZoneInfo) -> dt.date:
    """The day an event starts on, in the site's zone (the day it is told under)."""
    return start_of(event.when, event.zone).astimezone(zone).date()
