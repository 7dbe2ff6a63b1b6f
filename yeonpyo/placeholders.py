"""A converted section as one page shows it: the placeholders `markup.Reader` leaves (citations,
the labels of asides) filled with that page's citation numbers, anchors and language."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

_PLACEHOLDER = re.compile(r'<sup class="cite" data-cite="([^"]*)"></sup>'
                          r'|<p class="callout-label" data-label="([a-z]+)"></p>')


@dataclass
class Citing:
    """How a document's citations show on one page: a number per source, the anchor prefix
    of its links (`cite-<anchor>-<n>`, `ref-<anchor>-<n>`), and the numbers already linked to
    (the first citation of each number carries the id the note links back to)."""

    numbers: dict[str, int]
    anchor: str
    labels: dict[str, str]  # aside kind -> its label in the page's language
    seen: set[int] = field(default_factory=set)


def finish(html: str, citing: Citing) -> str:
    """A converted piece of Markdown as one page shows it: citations numbered and linked
    (each group in ascending order), asides labelled."""

    def replace(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            return f'<p class="callout-label">{html_lib.escape(citing.labels[match.group(2)])}</p>'
        numbers = sorted({citing.numbers[key] for key in match.group(1).split()})
        links = []
        for number in numbers:
            first = number not in citing.seen
            citing.seen.add(number)
            anchor = f' id="cite-{citing.anchor}-{number}"' if first else ""
            links.append(f'<a href="#ref-{citing.anchor}-{number}"{anchor}>{number}</a>')
        # never wrap a citation alone (U+2060); kept out of search excerpts
        return '\u2060<sup class="cite" data-pagefind-ignore>[' + ", ".join(links) + "]</sup>"

    return _PLACEHOLDER.sub(replace, html)
