"""Editorial checks beyond validity: what `check --strict` fails on and `build` only warns about.

Missing translations, sources never cited, TODO markers left by `new`, and names spelled
the way some of the press spells them rather than the canonical way in people.yaml.
"""

from __future__ import annotations

from .model import Content, Event, Page
from .problems import Problems

TODO_MARKER = "TODO"


def editorial_findings(content: Content) -> Problems:
    """Every strict-mode finding, each at `path:line`."""
    findings = Problems()
    items: list[Event | Page] = [*content.events, *content.pages]
    for item in items:
        for lang in content.site.languages:
            if lang not in item.sections:
                findings.add(item.path, 1, f"no `{lang}` translation yet")
        _names_and_todos(item, content, findings)
    cited = {key for item in items for section in item.sections.values() for key in section.citations}
    for key in sorted(set(content.sources) - cited):
        source = content.sources[key]
        findings.add(source.path, source.line, f"source `{key}` is never cited")
    return findings


def _names_and_todos(item: Event | Page, content: Content, findings: Problems) -> None:
    for lang, section in item.sections.items():
        lines = [(item.title.get(lang, ""), 0)] + [
            (text, section.first_line + offset) for offset, text in enumerate(section.markdown.split("\n"))]
        for text, number in lines:
            where = number or _title_line(item)
            if TODO_MARKER in text:
                findings.add(item.path, where, f"`{TODO_MARKER}` left in the `{lang}` text")
            for person in content.people.values():
                canonical = person.name.get(lang, "")
                masked = text.replace(canonical, " " * len(canonical)) if canonical else text
                for variant in person.variants.get(lang, ()):
                    if variant and variant in masked:
                        findings.add(item.path, where, f"`{variant}` is spelled `{canonical}` on this site")
                        masked = masked.replace(variant, " " * len(variant))


def _title_line(item: Event | Page) -> int:
    return 2  # titles live in the front matter, which starts on line 2
