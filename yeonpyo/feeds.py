"""Atom 1.0 feeds per language, and an event's HTML as it reads outside its own page.

Feeds must be byte-identical between builds: every date in them comes from the content
(an event's date, or its last update), never from the clock of the machine that builds.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import urljoin

from . import urls
from .dates import start_of
from .media_views import FigureView
from .model import Content, Event
from .texts import DateView
from .views import Body, EventView

ATOM = "http://www.w3.org/2005/Atom"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
_HREF = re.compile(r'href="([^"]*)"')
_CITE_ID = re.compile(r' id="cite-[^"]*"')
_NO_ENTRIES = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # an empty feed still needs <updated>
# Feed readers poll; a feed carries the newest events, as a blog's carries its newest posts
# (the whole chronicle is in timeline.json). 50 covers every event of the flagship chronicle.
FEED_LIMIT = 50


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _lang_attr(text_lang: str, lang: str) -> str:
    return f' lang="{_esc(text_lang)}"' if text_lang != lang else ""


def portable_html(fragment: str, page_url: str) -> str:
    """Rendered HTML fit to leave its page: every href resolved against the page's absolute URL.

    Citations link to `#ref-<lang>-<slug>-<n>` on their own page; outside it (a feed reader,
    an embedded timeline) they must name the page too. Their `cite-…` ids, targets of the
    notes' back-links on that page only, are dropped so that they cannot clash elsewhere.
    """
    fragment = _CITE_ID.sub("", fragment)
    return _HREF.sub(lambda m: f'href="{_esc(_resolve(page_url, html.unescape(m.group(1))))}"', fragment)


def _resolve(page_url: str, href: str) -> str:
    """`urljoin`, without its cost for the two kinds of link a body mostly holds."""
    if href.startswith("#"):
        return page_url.split("#", 1)[0] + href
    if href.startswith(("https://", "http://")):
        return href
    return urljoin(page_url, href)


def date_text(date: DateView) -> str:
    """An event's date as one line of plain text: start – end · Korea time."""
    text = date.text + (f" – {date.end_text}" if date.end_text else "")
    return text + (f" · {date.home}" if date.home else "")


def date_html(date: DateView) -> str:
    """An event's date as a paragraph with `<time>` elements, as on its page."""
    text = f'<time datetime="{_esc(date.machine)}">{_esc(date.text)}</time>'
    if date.end_text and date.end_machine:
        text += f' – <time datetime="{_esc(date.end_machine)}">{_esc(date.end_text)}</time>'
    return f"<p>{text}{' · ' + _esc(date.home) if date.home else ''}</p>"


def notes_html(body: Body, content: Content, t: dict[str, str], lang: str) -> str:
    """The numbered sources of a body, each linking to the original or to the list of sources."""
    if not body.notes:
        return ""
    items = []
    for note in body.notes:
        source = content.sources[note.source_key]
        listed = urls.absolute(content.site.base_url, note.source_url) + "#" + urls.source_anchor(source.key)
        title = f"<cite{_lang_attr(note.title.lang, lang)}>{_esc(note.title.value)}</cite>"
        translated = f" {_esc(note.translated_title)}" if note.translated_title else ""
        items.append(f'<li>{_esc(note.publisher)}, <a href="{_esc(source.url or listed)}">{title}</a>'
                     f"{translated}, {_esc(note.date)}</li>")
    return f"<h3>{_esc(t['notes_heading'])}</h3><ol>{''.join(items)}</ol>"


def corrections_html(view: EventView, t: dict[str, str], lang: str) -> str:
    """The published corrections, newest first, each in the page language where written."""
    if not view.corrections:
        return ""
    items = "".join(f'<li><time datetime="{_esc(c.machine)}">{_esc(c.date)}</time> '
                    f"<span{_lang_attr(c.text.lang, lang)}>{_esc(c.text.value)}</span></li>"
                    for c in view.corrections)
    return f"<h3>{_esc(t['corrections_heading'])}</h3><ul>{items}</ul>"


_FIGURE_SLOT = re.compile(r'<p class="figure-slot" data-figure="([^"]*)"></p>')


def figure_html(figure: FigureView | None, content: Content, lang: str) -> str:
    """A picture as a feed reader or an embedding page can show it: one JPEG or PNG at an
    absolute address, its size, alt text, caption and credit."""
    if figure is None:
        return ""
    url, width, height = figure.picture.sized(1 if len(figure.picture.fallback) > 1 else 0)
    caption = f"{_esc(figure.caption.value)} " if figure.caption else ""
    return (f'<figure><img src="{_esc(urls.absolute(content.site.base_url, url))}" width="{width}" height="{height}" '
            f'alt="{_esc(figure.alt.value)}"{_lang_attr(figure.alt.lang, lang)}>'
            f"<figcaption>{caption}{_esc(figure.credit.value)}</figcaption></figure>")


def event_html(view: EventView, content: Content, t: dict[str, str], lang: str) -> str:
    """Body (under a notice when untranslated, after its first listed picture), sources and
    corrections, with absolute links."""
    permalink = urls.absolute(content.site.base_url, view.url)
    body = portable_html(view.body.html, permalink)
    body = _FIGURE_SLOT.sub(lambda m: figure_html(view.body.figures.get(html.unescape(m.group(1))), content, lang),
                            body)
    lead = view.body.lead
    body = (figure_html(lead, content, lang) if isinstance(lead, FigureView) else "") + body
    parts = [] if view.body.translated else [f"<p>{_esc(t['not_translated'].format(language=view.body.language))}</p>"]
    parts.append(body if view.body.translated else f'<div lang="{_esc(view.body.lang)}">{body}</div>')
    parts += [notes_html(view.body, content, t, lang), corrections_html(view, t, lang)]
    return "".join(part for part in parts if part)


def _stamp(moment: dt.datetime) -> str:
    """An RFC 3339 date-time, as Atom requires."""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def entry_updated(event: Event, content: Content) -> dt.datetime:
    """When an entry last changed: its last update or correction, else the event's own date."""
    if event.updated is not None:
        return start_of(event.updated, content.site.zone)
    return start_of(event.when, event.zone)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def xml_bytes(root: ET.Element) -> bytes:
    """A document indented by two spaces, with a double-quoted declaration and a final newline."""
    ET.indent(root, space="  ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def atom_feed(content: Content, t: dict[str, str], lang: str, views: list[EventView], feed_url: str,
              html_of: Callable[[EventView], str]) -> bytes:
    """The Atom feed of one language: the FEED_LIMIT newest events, newest first, `feed_url`
    being its own address; `html_of(view)` is an entry's content."""
    site, base = content.site, content.site.base_url
    events = {event.slug: event for event in content.events}
    entries = [(view, entry_updated(events[view.slug], content)) for view in reversed(views[-FEED_LIMIT:])]
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    _sub(feed, "id", urls.absolute(base, urls.timeline(lang)))
    _sub(feed, "title", site.title[lang])
    _sub(feed, "subtitle", site.description[lang])
    _sub(feed, "updated", _stamp(max((moment for _, moment in entries), default=_NO_ENTRIES)))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(feed, "link", rel="alternate", type="text/html", hreflang=lang, href=urls.absolute(base, urls.timeline(lang)))
    author = _sub(feed, "author")
    _sub(author, "name", site.title[lang])
    _sub(author, "uri", urls.absolute(base, urls.timeline(lang)))
    _sub(feed, "generator", "yeonpyo")
    for view, moment in entries:
        _entry(feed, view, moment, content, t, lang, html_of(view))
    return xml_bytes(feed)


def _entry(feed: ET.Element, view: EventView, moment: dt.datetime, content: Content, t: dict[str, str],
           lang: str, body: str) -> None:
    base = content.site.base_url
    permalink = urls.absolute(base, view.url)
    entry = _sub(feed, "entry")
    _sub(entry, "id", permalink)
    title = _sub(entry, "title", view.title.value)
    if view.title.lang != lang:
        title.set("xml:lang", view.title.lang)
    _sub(entry, "updated", _stamp(moment))
    _sub(entry, "link", rel="alternate", type="text/html", hreflang=lang, href=permalink)
    for other in (code for code in content.site.languages if code != lang):
        _sub(entry, "link", rel="alternate", type="text/html", hreflang=other,
             href=urls.absolute(base, urls.event(other, view.slug)))
    for tag in view.tags:
        _sub(entry, "category", term=tag.key, label=tag.text, scheme=urls.absolute(base, urls.tags(lang)))
    picture = view.body.picture
    if picture is not None:  # the entry's image, for readers that show one beside the title
        url, _width, _height = picture.picture.sized(-1)
        _sub(entry, "link", rel="enclosure", type=picture.picture.fallback_type, href=urls.absolute(base, url),
             title=picture.alt.value)
    updated = f"<p>{_esc(t['updated_label'])}: {_esc(view.updated.text)}</p>" if view.updated else ""
    _sub(entry, "content", date_html(view.date) + updated + body, type="html")
