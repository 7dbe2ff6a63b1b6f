"""Figures and quoted posts as one language's pages show them: pictures with their
derivatives, captions and credits, posts with their translations, and their citations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import urls
from .dates import When
from .i18n import language_name
from .media import variants as derivatives
from .model import Content, Figure, Picture, Post
from .texts import DateView, Note, Text, pick


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


class Cites:
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



class MediaViews:
    """Builds figure and post views for one language (`date` formats a date as its pages do)."""

    def __init__(self, content: Content, lang: str, order: tuple[str, ...],
                 date: Callable[[When, ZoneInfo, bool], DateView]) -> None:
        self.content, self.lang, self._order, self.date = content, lang, order, date

    def figure(self, figure: Figure, cites: Cites, alt: str | None = None,
               caption: str | None = None) -> FigureView:
        """A figure in this language; a Markdown image's own alt and caption come first."""
        assert figure.picture is not None, "pictures are inspected before views are made"
        order = self._order
        return FigureView(figure.kind, figure.name, self.picture(figure.picture),
                          Text(alt, self.lang) if alt else pick(figure.alt, self.lang, order),
                          Text(caption, self.lang) if caption else
                          (pick(figure.caption, self.lang, order) if figure.caption else None),
                          pick(figure.credit, self.lang, order), figure.license, figure.link,
                          urlsplit(figure.link).hostname if figure.link else None, cites(figure.cites))

    def share_image(self) -> FigureView | None:
        """The site's own picture for link previews of pages without one (site.yaml `share_image`)."""
        image = self.content.site.share_image
        return self.figure(image, Cites((), set())) if image is not None and image.picture else None

    def picture(self, picture: Picture) -> PictureView:
        by_format: dict[str, list[tuple[str, int]]] = {}
        for variant in derivatives(picture):
            by_format.setdefault(variant.mime, []).append((variant.path, variant.width))
        *modern, fallback = by_format.items()
        return PictureView(tuple((mime, tuple(c)) for mime, c in modern), tuple(fallback[1]), fallback[0],
                           picture.width, picture.height)

    def post(self, post: Post, cites: Cites) -> PostView:
        person = self.content.people.get(post.author)
        text = pick(post.text, self.lang, (post.lang, *self._order)) if self.lang not in post.text else \
            Text(post.text[self.lang], self.lang)
        original = Text(post.text[post.lang], post.lang) if text.lang != post.lang else None
        return PostView("post", post.url, urlsplit(post.url).hostname or "",
                        person.name[self.lang] if person else post.author,
                        urls.person(self.lang, post.author) if person else None,
                        self.date(post.when, post.zone, False), text, original,
                        language_name(post.lang, self.lang), cites(post.cites))
