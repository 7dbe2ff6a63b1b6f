"""The URL rules: every page's URL, its output file, and how pages link to each other.

URLs here are site-relative (`ko/events/altman-fired/`); pages link to each other with
relative links so that the site works from any sub-path, while canonical, hreflang, feed
and sitemap URLs are absolute from `base_url`.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

ROOT = ""
NOT_FOUND = "404.html"
SOURCES_JSON = "sources.json"  # the bibliography in CSL-JSON
SITEMAP = "sitemap.xml"
ROOT_FILES = "root"  # content/root/: files copied to the site's root as they are (CNAME, _redirects)
ROBOTS = "robots.txt"


def timeline(lang: str) -> str:
    return f"{lang}/"


def timeline_part(lang: str, year: int, part: int = 1) -> str:
    """One year of a timeline too long for one page; a busy year has numbered parts."""
    return f"{lang}/{year}/" if part == 1 else f"{lang}/{year}/{part}/"


def event(lang: str, slug: str) -> str:
    return f"{lang}/events/{slug}/"


# The search indexes: one Pagefind bundle per language under SEARCH, each covering that
# language's event and context pages (the output paths of `event` and `page` above).
SEARCH = "pagefind/"


def search_index(lang: str) -> str:
    """The folder of a language's search bundle (its `pagefind.js`)."""
    return f"{SEARCH}{lang}/"


def searched_language(path: str) -> str | None:
    """The language of an event or context page's output path; None for any other path."""
    parts = path.split("/")
    if len(parts) == 4 and parts[1] in ("events", "pages") and parts[3] == "index.html":
        return parts[0]
    return None


def sources(lang: str) -> str:
    """The bibliography, or for a long one the index of its parts."""
    return f"{lang}/sources/"


def sources_part(lang: str, year: int, part: int = 1) -> str:
    """The sources published in one year, of a bibliography too long for one page."""
    return f"{lang}/sources/{year}/" if part == 1 else f"{lang}/sources/{year}/{part}/"


def source_anchor(key: str) -> str:
    """The fragment id of a source's entry on the sources page."""
    return f"src-{key}"


def page(lang: str, slug: str) -> str:
    return f"{lang}/pages/{slug}/"


def tags(lang: str) -> str:
    return f"{lang}/tags/"


def tag(lang: str, key: str) -> str:
    return f"{lang}/tags/{key}/"


def people(lang: str) -> str:
    return f"{lang}/people/"


def person(lang: str, key: str) -> str:
    return f"{lang}/people/{key}/"


def both(lang: str) -> str:
    """The side-by-side page: every event in every language, for a reader of `lang`."""
    return f"{lang}/both/"


def feed(lang: str) -> str:
    """A language's Atom feed."""
    return f"{lang}/feed.xml"


def timeline_json(lang: str) -> str:
    """A language's timeline in TimelineJS 3's JSON format."""
    return f"{lang}/timeline.json"


def embed(lang: str, era: str | None = None) -> str:
    """The compact timeline for an iframe in another site's article (all of it, or one era)."""
    return f"{lang}/embed/{era}/" if era else f"{lang}/embed/"


def is_embed(url: str) -> bool:
    return url.split("/")[1:2] == ["embed"]


def origin(base_url: str) -> str:
    """`https://example.org` of `https://example.org/timeline/`: what a page embedding the
    timeline checks the frame's messages against."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def both_part(lang: str, year: int, part: int = 1) -> str:
    """One year of the side-by-side page of a long chronicle."""
    return f"{lang}/both/{year}/" if part == 1 else f"{lang}/both/{year}/{part}/"


def static(name: str) -> str:
    return f"static/{name}"


MEDIA = "media/"  # image derivatives, named by the digest of their original


def media(name: str) -> str:
    return MEDIA + name


def output_path(url: str) -> str:
    """The file a URL is written to: directories get `index.html`."""
    return url + "index.html" if url == ROOT or url.endswith("/") else url


def absolute(base_url: str, url: str) -> str:
    """The full URL of a site-relative `url` (for hreflang, canonical, feeds)."""
    return base_url + url


def base_path(base_url: str) -> str:
    """The path part of `base_url` (`/timeline/`), for pages served from unknown paths."""
    return urlsplit(base_url).path or "/"


class Linker:
    """Links from one page to others: relative, or from the base path for the 404 page."""

    def __init__(self, from_url: str, base_url: str) -> None:
        self.from_url = from_url
        folder = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
        self._folder = [part for part in folder.split("/") if part]
        self._prefix = base_path(base_url) if from_url == NOT_FOUND else None

    def __call__(self, to_url: str, fragment: str = "") -> str:
        anchor = f"#{fragment}" if fragment else ""
        if to_url == self.from_url:
            return anchor or "./"
        if self._prefix is not None:
            return self._prefix + to_url + anchor
        parts = to_url.split("/")
        target, leaf = parts[:-1], parts[-1]  # "ko/sources/" -> (["ko", "sources"], "")
        common = 0
        for mine, theirs in zip(self._folder, target):
            if mine != theirs:
                break
            common += 1
        up = "../" * (len(self._folder) - common)
        down = "".join(f"{part}/" for part in target[common:])
        return (up + down + leaf or "./") + anchor
