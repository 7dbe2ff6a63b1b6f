"""The body rules: what Markdown may contain, and rendering to safe HTML.

Each section is converted once, when the content is read, by the same Python-Markdown that
renders it, and the rules are checked on what that parse found (not on a second reading of
the text that could disagree with it): raw HTML is refused (it would bypass escaping, as
Hugo's default does), links may be http(s), mailto or relative, `[@key]` must cite a known
source, `> [!NOTE]` / `> [!DISPUTED]` blockquotes become asides. nh3 sanitises the result
as a last guard. What depends on the page showing the section (the citation numbers, the
anchors and the asides' labels in the page's language) is left as placeholders that
`placeholders.finish` fills in, so a section is never converted twice.
"""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import nh3
from markdown import util
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from .model import BodyImage, Paragraph
from .problems import Problems, suggestion

_CITATION = r"\[(@[^\]\n]{0,2000})\]"
_CITED_KEY = re.compile(r"^\s*@([A-Za-z0-9_.:-]+)\s*$")
_ALERT = re.compile(r"\s*\[!([A-Za-z]+)\]\s*")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these from a URL before reading its scheme
SAFE_SCHEMES = {"http", "https", "mailto"}
ALERTS = {"NOTE": "note", "DISPUTED": "disputed"}

# Pathological Markdown costs Python-Markdown time that grows much faster than the text
# (nested brackets, unclosed links); text past these limits is refused before parsing.
MAX_SECTION_CHARS = 30_000  # the chronicle's longest is 8,200; 30,000 of the worst Markdown parse in 2 s
MAX_NESTING = 16  # brackets, parentheses or list levels open at once
MAX_OPENERS_PER_BLOCK = 400  # `[` and `(` in one paragraph

@dataclass(frozen=True)
class Parsed:
    """One piece of Markdown, converted: HTML with placeholders for `placeholders.finish`, the sources it
    cites in reading order, and its paragraphs (for the editorial checks)."""

    html: str
    citations: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...] = ()
    images: tuple[BodyImage, ...] = ()


# --- reading ---------------------------------------------------------------------------

@dataclass
class _Reading:
    """What one conversion found, filled in by the extension's processors."""

    known: Any  # source keys that exist (a dict or set)
    citations: list[str] = field(default_factory=list)
    faults: list[tuple[str, str]] = field(default_factory=list)  # (text to find in the source, message)
    blocks: list[tuple[etree.Element, str]] = field(default_factory=list)  # (element, its raw first line)
    images: list[tuple[str, str, str]] = field(default_factory=list)  # (file, alt, title) of each image


class _CitationPattern(InlineProcessor):
    """`[@a; @b]` becomes a placeholder `<sup data-cite="a b">`; unknown or malformed keys are faults."""

    def __init__(self, ext: _RulesExtension) -> None:
        super().__init__(_CITATION)
        self.ext = ext

    # (InlineProcessor narrows Pattern's handleMatch; its stub ignores that override the same way)
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        reading = self.ext.reading
        keys = []
        for part in m.group(1).split(";"):
            match = _CITED_KEY.match(part)
            if not match:
                reading.faults.append((m.group(0),
                                       f"malformed citation `{_cut(m.group(0))}`; write [@key] or [@a; @b]"))
            elif match.group(1) not in reading.known:
                key = match.group(1)
                reading.faults.append((m.group(0), f"unknown source `{_cut(key)}`"
                                                   f"{suggestion(key, set(reading.known))}; add it to sources.yaml"))
            elif match.group(1) not in keys:
                keys.append(match.group(1))
        sup = etree.Element("sup", {"class": "cite", "data-cite": " ".join(keys)})
        return sup, m.start(0), m.end(0)


class _BlockProcessor(Treeprocessor):
    """Before inline parsing: note each paragraph's raw first line (to find its line later)
    and turn `> [!NOTE]` blockquotes into asides with a label placeholder."""

    def __init__(self, md: markdown.Markdown, ext: _RulesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        reading = self.ext.reading
        for element in root.iter():
            if element.tag in ("p", "li", "h2", "h3", "h4", "td", "th") and element.text and element.text.strip():
                reading.blocks.append((element, element.text.strip().split("\n")[0].strip()))
        for parent in list(root.iter()):
            for quote in [child for child in parent if child.tag == "blockquote"]:
                self._asides(parent, quote, reading)

    @staticmethod
    def _asides(parent: etree.Element, quote: etree.Element, reading: _Reading) -> None:
        """A blockquote whose paragraphs start with `[!NOTE]`/`[!DISPUTED]` becomes one aside
        per marker (Python-Markdown joins blockquotes that only a blank line separates)."""
        groups: list[list[etree.Element]] = [[]]
        kinds: list[str | None] = [None]
        for child in list(quote):
            match = _ALERT.match(child.text or "") if child.tag == "p" else None
            if match is not None:
                kind = ALERTS.get(match.group(1))
                if kind is None:
                    reading.faults.append((match.group(0).strip(), f"unknown note type `[!{_cut(match.group(1))}]`; "
                                                                  "use [!NOTE] or [!DISPUTED]"))
                else:
                    child.text = child.text[match.end():]  # type: ignore[index]
                    groups.append([])
                    kinds.append(kind)
            groups[-1].append(child)
        if len(groups) == 1:
            return
        place = list(parent).index(quote)
        parent.remove(quote)
        for offset, (kind, children) in enumerate((k, g) for k, g in zip(kinds, groups) if g or k):
            attributes = {"class": f"callout callout-{kind}"} if kind else {}
            block = etree.Element("aside" if kind else "blockquote", attributes)
            if kind:
                block.append(etree.Element("p", {"class": "callout-label", "data-label": kind}))
            for child in children:
                if not (child.tag == "p" and not (child.text or "").strip() and len(child) == 0):
                    block.append(child)
            parent.insert(place + offset, block)


class _TreeChecks(Treeprocessor):
    """After inline parsing: citations in reading order, and the links and images found."""

    def __init__(self, md: markdown.Markdown, ext: _RulesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        reading = self.ext.reading
        for element in root.iter():
            if element.tag == "sup" and element.get("data-cite") is not None:
                for key in (element.get("data-cite") or "").split():
                    if key not in reading.citations:
                        reading.citations.append(key)
            elif element.tag == "a":
                _check_link(element.get("href") or "", reading)
        for parent in list(root.iter()):
            for image in [child for child in parent if child.tag == "img"]:
                _place_image(parent, image, reading)


def _place_image(parent: etree.Element, image: etree.Element, reading: _Reading) -> None:
    """`![alt](file "caption")` alone in its paragraph: the paragraph becomes a slot the page
    fills with the figure (`FIGURE_SLOT`); anything else is a fault, never literal text."""
    src, alt = (image.get("src") or "").strip(), (image.get("alt") or "").strip()
    target = _INVISIBLE.sub("", html_lib.unescape(src.replace(util.AMP_SUBSTITUTE, "&")))
    alone = (parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
             and not (image.tail or "").strip())
    if _SCHEME.match(target) or target.startswith("//"):
        fault = (f"remote image `{_cut(target)}`: every reader's browser would fetch it from another site; "
                 "copy the file beside the event (or into content/media/) and name it")
    elif not alt:
        fault = "an image needs its alt text in this language: ![what the picture shows](file)"
    elif not alone:
        fault = "an image must stand in a paragraph of its own (blank lines before and after it)"
    else:
        fault = None
    if fault is not None:
        reading.faults.append((src or "![", fault))
        parent.remove(image)
        return
    parent.clear()
    parent.set("class", FIGURE_SLOT)
    parent.set("data-figure", target)
    reading.images.append((target, alt, (image.get("title") or "").strip()))


FIGURE_SLOT = "figure-slot"  # `<p class="figure-slot" data-figure="file">`: a page puts the figure there


def _check_link(href: str, reading: _Reading) -> None:
    """A link must be http(s), mailto or relative, read as a browser reads it (entities
    decoded, tabs and newlines dropped), so `java&#115;cript:` is caught too."""
    raw = href.replace(util.AMP_SUBSTITUTE, "&")
    target = _INVISIBLE.sub("", html_lib.unescape(raw))
    scheme = _SCHEME.match(target)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        reading.faults.append((raw, f"link `{_cut(target)}` is not allowed; links must be http(s), mailto or relative"))


class _EscapeRawHtml(Postprocessor):
    """Raw HTML Python-Markdown set aside is a fault (reported after the conversion) and is
    written out escaped, never as markup."""

    def run(self, text: str) -> str:
        for index, raw in enumerate(self.md.htmlStash.rawHtmlBlocks):
            placeholder = self.md.htmlStash.get_placeholder(index)
            escaped = html_lib.escape(str(raw))
            text = text.replace(f"<p>{placeholder}</p>", f"<p>{escaped}</p>").replace(placeholder, escaped)
        return text


class _RulesExtension(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.reading = _Reading(set())

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(_CitationPattern(self), "citation", 175)
        md.treeprocessors.register(_BlockProcessor(md, self), "blocks", 25)
        md.treeprocessors.register(_TreeChecks(md, self), "checks", 5)
        md.postprocessors.deregister("raw_html")
        md.postprocessors.register(_EscapeRawHtml(md), "escape_raw_html", 30)


_TYPOGRAPHY = {"left-single-quote": "\u2018", "right-single-quote": "\u2019", "left-double-quote": "\u201c",
               "right-double-quote": "\u201d", "ndash": "\u2013", "mdash": "\u2014", "ellipsis": "\u2026"}
_ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "blockquote", "aside", "ul", "ol", "li",
                 "sup", "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td", "br"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "id"}, "aside": {"class"}, "p": {"class", "data-label", "data-figure"},
                       "sup": {"class", "data-cite"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}


class Reader:
    """Converts Markdown with the site's rules; one Python-Markdown instance, reset between
    documents (Python-Markdown #401), made on first use (about 40 ms)."""

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._plain: markdown.Markdown | None = None  # smart quotes only, for titles
        self._ext = _RulesExtension()

    def read(self, text: str, first_line: int, known: Any, path: Path, problems: Problems) -> Parsed:
        """Convert `text` (starting at line `first_line` of `path`); every rule it breaks
        becomes a problem at its line. English quotes and dashes become typographic ones."""
        lines = text.split("\n")
        limit = _over_limits(text, lines)
        if limit is not None:
            problems.add(path, first_line + limit[0], limit[1])
            return Parsed("", ())
        md = self._markdown()
        md.reset()
        reading = self._ext.reading = _Reading(known)
        try:
            converted = md.convert(text)
        except RecursionError:
            problems.add(path, first_line, "the text is nested too deeply to read; simplify its lists or brackets")
            return Parsed("", ())
        locate = _Locator(lines, first_line)
        for raw in md.htmlStash.rawHtmlBlocks:  # smarty sets its quotes aside there too; raw HTML starts with <
            shown = str(raw).strip()
            if not shown.startswith("<"):
                continue
            problems.add(path, locate(shown), f"raw HTML `{_cut(shown, 40)}` is not allowed (it would bypass "
                         "escaping); write Markdown instead")
        for snippet, message in reading.faults:
            problems.add(path, locate(snippet), message)
        paragraphs = _paragraphs(reading, _Locator(lines, first_line))
        cleaned = nh3.clean(converted, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                            url_schemes=SAFE_SCHEMES, link_rel=None)
        return Parsed(cleaned, tuple(reading.citations), paragraphs, self._images(md, reading, locate))

    @staticmethod
    def _images(md: markdown.Markdown, reading: _Reading, locate: _Locator) -> tuple[BodyImage, ...]:
        """The images the text shows, with their alt and caption as written (smart quotes
        Python-Markdown set aside put back)."""
        def plain(text: str) -> str:
            for index, raw in enumerate(md.htmlStash.rawHtmlBlocks):
                text = text.replace(md.htmlStash.get_placeholder(index), str(raw))
            return html_lib.unescape(text.replace(util.AMP_SUBSTITUTE, "&"))

        return tuple(BodyImage("", name, plain(alt), plain(title), locate(name)) for name, alt, title in reading.images)

    def typography(self, text: str) -> str:
        """Plain text (a title) with the typographic quotes, apostrophes and dashes its Markdown
        body gets: `OpenAI's "capped-profit" LP` -> `OpenAI’s “capped-profit” LP`."""
        if not any(char in text for char in "'\"-."):
            return text
        if self._plain is None:
            self._plain = markdown.Markdown(extensions=[
                SmartyExtension(smart_angled_quotes=False, substitutions=_TYPOGRAPHY)])
        self._plain.reset()
        converted = self._plain.convert(_MARKDOWN_SPECIAL.sub(r"\\\1", text)).strip()
        return html_lib.unescape(converted.removeprefix("<p>").removesuffix("</p>"))

    def _markdown(self) -> markdown.Markdown:
        if self._md is None:  # classes, not names: no entry-point lookup (20 ms)
            smarty = SmartyExtension(smart_angled_quotes=False, smart_ellipses=True, smart_dashes=True,
                                     substitutions=_TYPOGRAPHY)
            self._md = markdown.Markdown(extensions=[TableExtension(), SaneListExtension(), smarty, self._ext],
                                         output_format="html")
        return self._md


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>&])")


def _paragraphs(reading: _Reading, locate: _Locator) -> tuple[Paragraph, ...]:
    """Each paragraph or list item with its line and the sources it cites (an item holding
    paragraphs counts as those paragraphs)."""
    found = []
    for element, first in reading.blocks:
        if element.tag not in ("p", "li") or element.get("class") == "callout-label" or element.find("p") is not None:
            continue
        keys = []
        for sup in element.iter("sup"):
            keys += [key for key in (sup.get("data-cite") or "").split() if key not in keys]
        found.append(Paragraph(locate(first), tuple(keys)))
    return tuple(found)


class _Locator:
    """The line of `path` where a piece of the parsed text was written: the first line at or
    after the last one found that holds it (the parse reports pieces roughly in order)."""

    def __init__(self, lines: list[str], first_line: int) -> None:
        self.lines, self.first_line, self._cursor = lines, first_line, 0

    def __call__(self, snippet: str) -> int:
        needle = snippet.strip().split("\n")[0].strip()
        if needle:
            for start in (self._cursor, 0):
                for index in range(start, len(self.lines)):
                    if needle in self.lines[index]:
                        self._cursor = index
                        return self.first_line + index
        return self.first_line


def _over_limits(text: str, lines: list[str]) -> tuple[int, str] | None:
    """(line offset, message) for text past the limits that keep parsing fast, else None."""
    if len(text) > MAX_SECTION_CHARS:
        return 0, f"the text is {len(text):,} characters long; split it (at most {MAX_SECTION_CHARS:,} per language)"
    openers, depth = 0, 0
    for index, line in enumerate(lines):
        if not line.strip():
            openers = 0
            continue
        indent = len(line) - len(line.lstrip(" \t>"))
        if indent // 2 > MAX_NESTING * 2:
            return index, f"the text is indented or quoted more than {MAX_NESTING * 2} levels deep; flatten it"
        for char in line:
            if char in "[(":
                depth, openers = depth + 1, openers + 1
                if depth > MAX_NESTING:
                    return index, f"more than {MAX_NESTING} brackets are open at once here; simplify the text"
            elif char in "])":
                depth = max(0, depth - 1)
        if openers > MAX_OPENERS_PER_BLOCK:
            return index, (f"one paragraph holds more than {MAX_OPENERS_PER_BLOCK} brackets or parentheses; "
                           "split it")
    return None


def _cut(text: str, limit: int = 60) -> str:
    """A piece of the author's text short enough to quote in a message."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"
