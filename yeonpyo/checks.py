"""Editorial checks beyond validity: what `check --strict` fails on and `build` only warns about.

Missing translations and summaries, paragraphs without a citation or resting only on weak
sources, sources never cited or without the kind or address a reader needs to find them,
TODO markers left by `new`, and names spelled the way some of the press spells them rather
than the canonical way in people.yaml.
"""

from __future__ import annotations

import re

from .citations import cited_keys
from .model import ONLINE_KINDS, SOURCE_KINDS, WEAK_KINDS, Content, Event, Page, Person, Section, Source
from .problems import Problems

TODO_MARKER = "TODO"


def editorial_findings(content: Content) -> Problems:
    """Every strict-mode finding, each at `path:line`."""
    findings = Problems()
    items: list[Event | Page] = [*content.events, *content.pages]
    spellings = {lang: _Spellings(content.people.values(), lang) for lang in content.site.languages}
    for item in items:
        for lang in content.site.languages:
            if lang not in item.sections:
                findings.add(item.path, 1, f"no `{lang}` translation yet")
            elif isinstance(item, Event) and lang not in item.summary:
                findings.add(item.path, item.title_lines.get(lang, 1), f"no `summary.{lang}` yet: one or two cited "
                             "sentences the timeline shows")
        _names_and_todos(item, spellings, findings)
        documents = [*item.sections.values(), *(item.summary.values() if isinstance(item, Event) else ())]
        for section in documents:
            _paragraph_sources(item.path, section, content.sources, findings)
    cited = {key for item in items for key in cited_keys(item)}
    for key in sorted(content.sources):
        _source_findings(content.sources[key], key in cited, findings)
    return findings


def _paragraph_sources(path: str, section: Section, sources: dict[str, Source], findings: Problems) -> None:
    """Every paragraph cites a source, and at least one that is not of a weak kind."""
    for paragraph in section.paragraphs:
        if not paragraph.citations:
            findings.add(path, paragraph.line, "a paragraph with no citation: cite the source of each sentence")
        elif all(sources[key].kind in WEAK_KINDS for key in paragraph.citations):
            kinds = ", ".join(sorted({str(sources[key].kind) for key in paragraph.citations}))
            findings.add(path, paragraph.line, f"this paragraph rests only on weak sources ({kinds}): "
                         "cite a credible one beside them")


def _source_findings(source: Source, cited: bool, findings: Problems) -> None:
    if not cited:
        findings.add(source.path, source.line, f"source `{source.key}` is never cited")
    if source.kind is None:
        findings.add(source.path, source.line, f"source `{source.key}` has no `kind` (one of "
                     f"{', '.join(SOURCE_KINDS)})")
    elif source.kind in ONLINE_KINDS and not (source.url or source.archive or source.no_url):
        findings.add(source.path, source.line, f"source `{source.key}` ({source.kind}) has no `url` or `archive`: "
                     "add the address readers can check it at, or say in `no_url` why there is none")


class _Spellings:
    """One pattern for every canonical name and variant of a language, longest first, so
    that a variant inside a canonical name (`Altman` in `Sam Altman`) is never flagged."""

    def __init__(self, people: object, lang: str) -> None:
        self.canonical: dict[str, str] = {}
        for person in people:  # type: ignore[attr-defined]
            assert isinstance(person, Person)
            for variant in person.variants.get(lang, ()):
                self.canonical[variant] = person.name.get(lang, "")
        names = {p.name.get(lang, "") for p in people} | set(self.canonical)  # type: ignore[attr-defined]
        names.discard("")
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def variants_in(self, text: str) -> list[tuple[str, str]]:
        """(variant, canonical) for each variant spelling in `text`."""
        if self.pattern is None:
            return []
        return [(m.group(0), self.canonical[m.group(0)]) for m in self.pattern.finditer(text)
                if m.group(0) in self.canonical and self.canonical[m.group(0)] != m.group(0)]


def _names_and_todos(item: Event | Page, spellings: dict[str, _Spellings], findings: Problems) -> None:
    for lang, section in item.sections.items():
        lines = [(item.title.get(lang, ""), item.title_lines.get(lang, 1))] + [
            (text, section.first_line + offset) for offset, text in enumerate(section.markdown.split("\n"))]
        for text, number in lines:
            if TODO_MARKER in text:
                findings.add(item.path, number, f"`{TODO_MARKER}` left in the `{lang}` text")
            for variant, canonical in spellings[lang].variants_in(text):
                findings.add(item.path, number, f"`{variant}` is spelled `{canonical}` on this site")
