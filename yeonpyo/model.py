"""The content model: typed, frozen records built only from validated input."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .dates import When

# What kind of publication a source is (a closed set): what the sources page says of it, its
# CSL type, and whether a claim may rest on it alone.
SOURCE_KINDS = {
    "wire": "article-newspaper",        # a news agency: Reuters, AP, Bloomberg, Yonhap
    "newspaper": "article-newspaper",
    "broadcaster": "broadcast",
    "magazine": "article-magazine",
    "news-site": "article-newspaper",   # a news outlet that publishes online only: The Verge, Axios
    "official": "webpage",              # an organisation's own statement, post or press release
    "filing": "legal_case",             # a court or regulatory filing
    "social": "post",                   # a person's or organisation's own post on a social network
    "paper": "report",                  # a study, report or preprint
    "book": "book",
    "blog": "post-weblog",
    "newsletter": "article",
    "aggregator": "webpage",
    "forum": "post",
    "wiki": "entry-encyclopedia",
}
# Kinds a claim should not rest on alone: cite a credible source beside them.
WEAK_KINDS = frozenset({"blog", "newsletter", "aggregator", "forum", "wiki"})
# Kinds that are published online, so a source of the kind without a URL or archive is a gap.
ONLINE_KINDS = frozenset({"wire", "news-site", "official", "social", "paper", "blog", "newsletter", "aggregator",
                          "forum", "wiki"})


@dataclass(frozen=True)
class Era:
    key: str
    title: dict[str, str]
    start: When
    end: When
    by_day: bool = False  # the timeline heads each of its days (a short era: the crisis itself)


@dataclass(frozen=True)
class Site:
    title: dict[str, str]
    description: dict[str, str]
    base_url: str
    languages: tuple[str, ...]
    zone: ZoneInfo
    eras: tuple[Era, ...]
    home_zones: dict[str, ZoneInfo] = field(default_factory=dict)  # language -> its readers' zone, shown beside times
    summary: dict[str, str] = field(default_factory=dict)  # what happened, in two or three sentences: the first screen
    footer: dict[str, str] = field(default_factory=dict)  # what the site promises its readers, under every page
    search_hint: dict[str, str] = field(default_factory=dict)  # examples in the empty search box
    # Beyond this many events the timeline is split by year, and a busy year into parts of at
    # most this many: about 1.2 KiB of gzip per event keeps each page within its 100 KiB budget.
    events_per_page: int = 80
    # Beyond this many sources the bibliography is split by the year they were published (a
    # source with the events citing it is 0.2-0.4 KiB of gzip: a page within its 50 KiB budget).
    sources_per_page: int = 200
    share_image: Figure | None = None  # what a shared link to a page without a picture shows


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
    kind: str | None = None  # a key of SOURCE_KINDS
    no_url: dict[str, str] | None = None  # per language, why no address is given (where one would be expected)


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
class Paragraph:
    """A paragraph or list item as the Markdown parse found it: its line and what it cites."""

    line: int
    citations: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """One language's Markdown body (or summary), where it starts in its file, and what the
    parse made of it: HTML with placeholders (see `placeholders.finish`), the sources it cites in
    order of first citation and its paragraphs."""

    lang: str
    markdown: str
    first_line: int
    citations: tuple[str, ...]
    html: str = ""
    paragraphs: tuple[Paragraph, ...] = ()
    images: tuple[BodyImage, ...] = ()  # Markdown images, shown in place (see `markup.FIGURE_SLOT`)


@dataclass(frozen=True)
class Correction:
    """A published correction: when it was made and what changed, per language."""

    date: When
    text: dict[str, str]


@dataclass(frozen=True)
class Picture:
    """An image file as Pillow found it: its bytes' digest (the name of its derivatives),
    its size once turned upright by its EXIF orientation, and its format."""

    file: str  # absolute path
    digest: str
    width: int
    height: int
    format: str  # "jpeg", "png", "webp" or "gif"


@dataclass(frozen=True)
class Figure:
    """An image, or a video shown through a local poster image, with its caption and credit.
    `picture` is filled in when the file is inspected (its stamp decides, not the event's)."""

    kind: str  # "image" or "video"
    name: str  # the file as the author wrote it
    file: str  # where it was found (absolute)
    line: int
    alt: dict[str, str]
    caption: dict[str, str]
    credit: dict[str, str]
    license: str | None = None
    link: str | None = None  # a video's address
    cites: tuple[str, ...] = ()
    picture: Picture | None = None


@dataclass(frozen=True)
class Post:
    """A social post quoted as a static card: its text as posted, in `lang`, and translations."""

    url: str
    author: str  # a people.yaml key, or a name
    when: When
    zone: ZoneInfo
    text: dict[str, str]
    lang: str  # the language it was posted in
    line: int
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyImage:
    """A Markdown image in one language's body: shown there, in place, as the figure of
    `media` that names the same file."""

    lang: str
    name: str
    alt: str
    caption: str
    line: int


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
    summary: dict[str, Section] = field(default_factory=dict)  # per language: one or two cited sentences
    order: int = 0  # among events whose dates tie, the order they happened in
    # a turning point's short label, per language (the chart, the first screen)
    key: dict[str, str] = field(default_factory=dict)
    media: tuple[Figure | Post, ...] = ()  # in the order given; the first leads the page and the card

    def citations(self, lang: str) -> tuple[str, ...]:
        """The sources a language's summary, body and media cite, in order of first
        citation: the notes of its page are numbered so."""
        keys = dict.fromkeys(self.summary[lang].citations if lang in self.summary else ())
        keys.update(dict.fromkeys(self.sections[lang].citations if lang in self.sections else ()))
        for item in self.media:
            keys.update(dict.fromkeys(item.cites))
        return tuple(keys)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(item for item in self.media if isinstance(item, Figure))


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
    root: str = ""  # the content folder
