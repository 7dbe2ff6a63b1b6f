"""The body rules: language sections, what Markdown may contain, and rendering to safe HTML.

Raw HTML is refused (it would bypass escaping, as Hugo's default does); links may be
http(s), mailto or relative. `[@key]` cites a source and `> [!NOTE]` / `> [!DISPUTED]`
blockquotes become asides. Everything is checked on the Markdown text first so that every
fault has a line number, then rendered with HTML disabled and sanitised as a last guard.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .cache import BuildCache
from .problems import Problems, suggestion
from .workers import map_forked

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MARKER = re.compile(r"^\s*<!--\s*([A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)\s*-->\s*$")
_CITATION = re.compile(r"\[(@[^\]]*)\]")
_CITED_KEY = re.compile(r"^\s*@([A-Za-z0-9_.:-]+)\s*$")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
_ALERT = re.compile(r"^\s*>\s*\[!([A-Za-z]+)\]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}
ALERTS = {"NOTE": "note", "DISPUTED": "disputed"}


_STRAY = "\0"  # the current "section" after a bad marker or stray text: its lines are skipped


@dataclass(frozen=True)
class RawSection:
    lang: str
    text: str
    first_line: int


def split_sections(body: str, first_line: int, languages: tuple[str, ...], path: Path,
                   problems: Problems) -> dict[str, RawSection]:
    """Cut a body at `<!-- ko -->` / `<!-- en -->` lines; other comments are dropped."""
    body = _COMMENT.sub(lambda m: m.group(0) if _MARKER.match(m.group(0)) else "\n" * m.group(0).count("\n"), body)
    sections: dict[str, list[str]] = {}
    starts: dict[str, int] = {}
    current: str | None = None
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        marker = _MARKER.match(line)
        if marker:
            code = marker.group(1)
            if code not in languages:
                problems.add(path, number, f"unknown language marker `<!-- {code} -->`"
                             f"{suggestion(code, set(languages), cutoff=0.5)}; use one of {', '.join(languages)}")
                current = _STRAY
            elif code in sections:
                problems.add(path, number, f"second `<!-- {code} -->` section; each language appears once")
                current = None
            else:
                current, sections[code], starts[code] = code, [], number + 1
        elif current == _STRAY:
            continue
        elif current is not None:
            sections[current].append(line)
        elif line.strip():
            problems.add(path, number, "text outside the language markers: start it with `<!-- ko -->` or `<!-- en -->`")
            current = _STRAY  # report a stray block once
    result = {}
    for lang, lines in sections.items():
        if not "\n".join(lines).strip():
            problems.add(path, starts[lang] - 1, f"the `{lang}` section is empty")
        else:
            result[lang] = RawSection(lang, "\n".join(lines), starts[lang])
    return result


def scan(section: RawSection, known_sources: dict, path: Path, problems: Problems) -> tuple[str, ...]:
    """Check a section's Markdown line by line; return the cited source keys in first-use order."""
    cited: list[str] = []
    fenced = False
    for offset, line in enumerate(section.text.split("\n")):
        number = section.first_line + offset
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        prose = _CODE_SPAN.sub("", line)
        for key in _citations_in(prose, number, known_sources, path, problems):
            if key not in cited:
                cited.append(key)
        _check_html_and_links(prose, number, path, problems)
        alert = _ALERT.match(prose)
        if alert and alert.group(1) not in ALERTS:
            problems.add(path, number, f"unknown note type `[!{alert.group(1)}]`; use [!NOTE] or [!DISPUTED]")
    return tuple(cited)


def _citations_in(prose: str, number: int, known: dict, path: Path, problems: Problems) -> list[str]:
    keys = []
    for group in _CITATION.finditer(prose):
        for part in group.group(1).split(";"):
            match = _CITED_KEY.match(part)
            if not match:
                problems.add(path, number, f"malformed citation `[{group.group(1)}]`; write [@key] or [@a; @b]")
            elif match.group(1) not in known:
                problems.add(path, number, f"unknown source `{match.group(1)}`"
                             f"{suggestion(match.group(1), set(known))}; add it to sources.yaml")
            else:
                keys.append(match.group(1))
    return keys


def _check_html_and_links(prose: str, number: int, path: Path, problems: Problems) -> None:
    without_autolinks = _AUTOLINK.sub("", prose)
    for tag in _TAG.finditer(without_autolinks):
        problems.add(path, number, f"raw HTML `{tag.group(0)[:40]}` is not allowed (it would bypass "
                     "escaping); write Markdown instead")
    targets = [m.group(1) for m in _INLINE_LINK.finditer(prose)]
    targets += [m.group(1) for m in _AUTOLINK.finditer(prose)]
    targets += [m.group(1) for m in _REFERENCE_LINK.finditer(prose)]
    for target in targets:
        scheme = _SCHEME.match(target)
        if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
            problems.add(path, number, f"link `{target[:60]}` is not allowed; links must be http(s), mailto or relative")


# --- rendering -------------------------------------------------------------------------

@dataclass(frozen=True)
class Citing:
    """How one document's citations render: numbers per source and the anchor prefix."""

    numbers: dict[str, int]
    anchor: str  # e.g. "ko-altman-fired": ids are cite-<anchor>-<n>, ref-<anchor>-<n>


class _CitationPattern(InlineProcessor):
    def __init__(self, ext: "_CitationExtension") -> None:
        super().__init__(_CITATION.pattern)
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        citing = self.ext.citing
        sup = etree.Element("sup", {"class": "cite"})
        sup.text = "["
        keys = [_CITED_KEY.match(part).group(1) for part in m.group(1).split(";")]  # type: ignore[union-attr]
        for index, key in enumerate(keys):
            number = citing.numbers[key]
            seen = self.ext.seen.setdefault(number, 0) + 1
            self.ext.seen[number] = seen
            link = etree.SubElement(sup, "a", {"href": f"#ref-{citing.anchor}-{number}"})
            if seen == 1:
                link.set("id", f"cite-{citing.anchor}-{number}")
            link.text = str(number)
            link.tail = ", " if index < len(keys) - 1 else "]"
        return sup, m.start(0), m.end(0)


class _AlertProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, labels: dict[str, str]) -> None:
        super().__init__(md)
        self.labels = labels

    def run(self, root: etree.Element) -> None:
        for quote in root.iter("blockquote"):
            first = quote.find("p")
            match = re.match(r"\s*\[!([A-Z]+)\]\s*", (first.text or "") if first is not None else "")
            if first is None or not match or match.group(1) not in ALERTS:
                continue
            kind = ALERTS[match.group(1)]
            first.text = first.text[match.end():]  # type: ignore[index]
            if not first.text and len(first) == 0:
                quote.remove(first)
            quote.tag = "aside"
            quote.set("class", f"callout callout-{kind}")
            label = etree.Element("p", {"class": "callout-label"})
            label.text = self.labels[kind]
            quote.insert(0, label)


class _CitationExtension(Extension):
    def __init__(self, labels: dict[str, str]) -> None:
        super().__init__()
        self.labels = labels
        self.citing = Citing({}, "")
        self.seen: dict[int, int] = {}

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_CitationPattern(self), "citation", 175)
        md.treeprocessors.register(_AlertProcessor(md, self.labels), "alerts", 5)


_ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "blockquote", "aside", "ul", "ol", "li",
                 "sup", "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td", "br"}


class Renderer:
    """One Markdown instance per language, reset between documents (Python-Markdown #401)."""

    def __init__(self, alert_labels: dict[str, str], cache: BuildCache) -> None:
        self._labels = alert_labels
        self._md: markdown.Markdown | None = None  # made when a document is first converted
        self._cache = cache
        self._salt = repr(sorted(alert_labels.items()))

    def render(self, text: str, citing: Citing) -> str:
        """Markdown to sanitised HTML, citations numbered as `citing` says; cached by content."""
        key = self._key(text, citing)
        html = self._cache.rendered(key)
        if html is None:
            html = self._convert(text, citing)
            self._cache.remember_markdown(key, html)
        return html

    def missing(self, documents: list[tuple[str, Citing]]) -> dict[str, tuple[str, Citing]]:
        """The documents not cached yet, by key; all of them are noted as needed (kept in the cache)."""
        return {key: document for document in documents
                if self._cache.rendered(key := self._key(*document)) is None}

    def _key(self, text: str, citing: Citing) -> str:
        return hashlib.sha1(f"{self._salt}\0{citing.anchor}\0{sorted(citing.numbers.items())}\0{text}".encode()).hexdigest()

    def _convert(self, text: str, citing: Citing) -> str:
        if self._md is None:  # a build whose Markdown is all cached never needs one (40 ms to set up)
            self._ext = _CitationExtension(self._labels)
            self._md = markdown.Markdown(extensions=[TableExtension(), SaneListExtension(), self._ext],
                                         output_format="html")  # classes, not names: no entry-point lookup (20 ms)
            for unused in ("image_link", "image_reference", "short_image_ref"):  # images are not allowed
                self._md.inlinePatterns.deregister(unused)
        self._md.reset()
        self._ext.citing, self._ext.seen = citing, {}
        html = self._md.convert(text)
        html = nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href", "id"}, "aside": {"class"}, "p": {"class"}, "sup": {"class"},
                        "th": {"align"}, "td": {"align"}, "ol": {"start"}},
            url_schemes=SAFE_SCHEMES,
            link_rel=None,
        )
        return html.replace('<sup class="cite">', '\u2060<sup class="cite">')  # never wrap a citation alone


def prepare(work: list[tuple[Renderer, list[tuple[str, Citing]]]], fork: bool) -> None:
    """Note every document a build needs (so the cache keeps them) and, when `fork` allows,
    render those not cached yet on every core: the views then find them ready."""
    jobs = [(renderer, key, document) for renderer, documents in work
            for key, document in renderer.missing(documents).items()]
    if not fork:
        return  # rendered when a page needs them
    rendered = map_forked(lambda index: jobs[index][0]._convert(*jobs[index][2]), range(len(jobs)))
    for (renderer, key, _document), html in zip(jobs, rendered):
        renderer._cache.remember_markdown(key, html)
