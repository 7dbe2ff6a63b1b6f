"""Files for other programs: Atom feeds, TimelineJS JSON, CSL-JSON sources, sitemap and robots.txt.

`export_files` is pure: the same content gives the same bytes on any machine, at any time.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from . import urls
from .dates import PRECISIONS, When, end_of, start_of
from .feeds import atom_feed, date_text, event_html, xml_bytes
from .model import SOURCE_KINDS, Content, Era, Event, Source
from .views import EventView

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_DATE_FIELDS = ("year", "month", "day", "hour", "minute")
_FIELD_COUNT = {"year": 1, "month": 2, "day": 3, "period": 4, "minute": 5}


def export_paths(content: Content) -> list[str]:
    """The output paths `export_files` writes."""
    return sorted([urls.feed(lang) for lang in content.site.languages]
                  + [urls.timeline_json(lang) for lang in content.site.languages]
                  + [urls.SOURCES_JSON, urls.SITEMAP, urls.ROBOTS])


def export_files(content: Content, strings: dict[str, dict[str, str]], events_by_lang: dict[str, list[EventView]],
                 pages: list[tuple[str, dict[str, str]]]) -> dict[str, bytes]:
    """Every export keyed by site-relative output path.

    `events_by_lang` holds each language's event views in chronological order; `pages` is
    every HTML page as (site-relative URL, {language: site-relative URL of that version}).
    """
    base = content.site.base_url
    files: dict[str, bytes] = {}
    for lang in content.site.languages:
        events, t = events_by_lang[lang], strings[lang]
        bodies: dict[str, str] = {}  # the feed and the timeline show the same HTML of an event

        def html_of(view: EventView, t: dict[str, str] = t, lang: str = lang, bodies: dict[str, str] = bodies) -> str:
            if view.slug not in bodies:
                bodies[view.slug] = event_html(view, content, t, lang)
            return bodies[view.slug]

        files[urls.feed(lang)] = atom_feed(content, t, lang, events, urls.absolute(base, urls.feed(lang)), html_of)
        files[urls.timeline_json(lang)] = _json(timeline_data(content, t, lang, events, html_of))
    files[urls.SOURCES_JSON] = _json(csl_items(content))
    files[urls.SITEMAP] = sitemap(content, pages)
    files[urls.ROBOTS] = robots(content)
    return dict(sorted(files.items()))


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- TimelineJS 3 (https://timeline.knightlab.com/docs/json-format.html) -----------------

def timeline_data(content: Content, t: dict[str, str], lang: str, views: list[EventView],
                  html_of: Callable[[EventView], str]) -> dict[str, Any]:
    """One language's timeline: a title slide, a slide per event (`html_of(view)` its text), and the eras."""
    site = content.site
    events = {event.slug: event for event in content.events}
    return {
        "title": {"text": {"headline": html.escape(site.title[lang]),
                           "text": f"<p>{html.escape(site.description[lang])}</p>"}},
        "events": [_slide(view, events[view.slug], content, lang, html_of(view)) for view in views],
        "eras": [_era(era, lang, site.zone) for era in site.eras],
        "scale": "human",
    }


def _slide(view: EventView, event: Event, content: Content, lang: str, text: str) -> dict[str, Any]:
    axis = content.site.zone
    permalink = urls.absolute(content.site.base_url, view.url)
    title_lang = f' lang="{html.escape(view.title.lang)}"' if view.title.lang != lang else ""
    slide: dict[str, Any] = {
        "unique_id": view.slug,
        "start_date": date_fields(event.when, event.zone, axis) | {"display_date": view.date.text},
    }
    if event.end is not None and view.date.end_text:
        slide["end_date"] = date_fields(event.end, event.zone, axis) | {"display_date": view.date.end_text}
    slide["display_date"] = date_text(view.date)
    slide["text"] = {"headline": f'<a href="{html.escape(permalink)}"{title_lang}>{html.escape(view.title.value)}</a>',
                     "text": text}
    if view.tags:
        slide["group"] = view.tags[0].text
    figure = view.body.picture
    if figure is not None:  # TimelineJS shows it beside the text; the site's own file, never a remote one
        base = content.site.base_url
        slide["media"] = {"url": urls.absolute(base, figure.picture.sized(-1)[0]),
                          "thumbnail": urls.absolute(base, figure.picture.sized(0)[0]),
                          "alt": figure.alt.value,
                          "caption": html.escape(figure.caption.value) if figure.caption else "",
                          "credit": html.escape(figure.credit.value + (f" · {figure.license}" if figure.license
                                                                       else ""))}
    return slide


def date_fields(when: When, zone: ZoneInfo, axis: ZoneInfo) -> dict[str, int]:
    """TimelineJS date fields at the precision given.

    TimelineJS places and sorts dates by their fields alone, read as the viewer's local time,
    so a time of day is given on one axis (the site's zone) to keep events of different zones
    in order; the text readers see is our `display_date`, in the event's own zone.
    """
    moment = start_of(when, zone)
    return _fields(moment.astimezone(axis) if when.precision in ("period", "minute") else moment, when.precision)


def _fields(moment: dt.datetime, precision: str) -> dict[str, int]:
    values = (moment.year, moment.month, moment.day, moment.hour, moment.minute)
    return dict(zip(_DATE_FIELDS, values[:_FIELD_COUNT[precision]]))


def _era(era: Era, lang: str, zone: ZoneInfo) -> dict[str, Any]:
    # Both ends at the finer precision of the two: TimelineJS drops an end date whose fields
    # include all of the start's with equal values (2023-11 .. 2023-11-16 would lose its end).
    # The band ends where the period after `end` starts, as an era includes its whole `end`.
    precision = max(era.start.precision, era.end.precision, key=PRECISIONS.index)
    return {"start_date": _fields(start_of(era.start, zone), precision),
            "end_date": _fields(end_of(era.end, zone), precision),
            "text": {"headline": html.escape(era.title[lang])}}


# --- CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html) --------

def csl_items(content: Content) -> list[dict[str, Any]]:
    """The bibliography as CSL-JSON items, sorted by source key."""
    return [csl_item(source) for _, source in sorted(content.sources.items())]


def csl_type(source: Source) -> str:
    """The CSL type of the source's kind; a source of no stated kind is a web page."""
    return SOURCE_KINDS[source.kind] if source.kind else "webpage"


def csl_item(source: Source) -> dict[str, Any]:
    """One source; translated titles go in `note` (readable) and `custom` (by language)."""
    parts = [part for part in (source.date.year, source.date.month, source.date.day) if part is not None]
    item: dict[str, Any] = {"id": source.key, "type": csl_type(source), "title": source.title,
                            "container-title": source.publisher, "issued": {"date-parts": [parts]},
                            "language": source.lang}
    if source.kind:
        item["genre"] = source.kind  # CSL's field for the kind of a work within its type
    if source.url:
        item["URL"] = source.url
    # not `title-short`: styles print it as the item's short title in later citations
    translated = {code: text for code, text in sorted(source.translated_title.items()) if code != source.lang}
    custom: dict[str, Any] = {}
    if translated:
        item["note"] = "\n".join(f"[{code}] {text}" for code, text in translated.items())
        custom["translated-title"] = translated
    if source.archive:
        custom["archive-url"] = source.archive
    if custom:
        item["custom"] = custom
    return item


# --- sitemap and robots.txt -------------------------------------------------------------

def sitemap(content: Content, pages: list[tuple[str, dict[str, str]]]) -> bytes:
    """Every indexable page with its language versions as xhtml:link alternates (absolute)."""
    site, base = content.site, content.site.base_url
    # prefixed names are written as given: declaring them here keeps ElementTree's global
    # prefix registry (which would call the XHTML namespace `html:`) out of it
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for url, versions in sorted(dict(pages).items()):
        if url == urls.NOT_FOUND or urls.is_embed(url):  # noindex: served for a missing address, or in a frame
            continue
        node = ET.SubElement(root, "url")
        ET.SubElement(node, "loc").text = urls.absolute(base, url)
        alternates = [(code, versions[code]) for code in site.languages if code in versions]
        # x-default as in the pages' own <head>: the first language of site.yaml
        for code, target in alternates + [("x-default", target) for _, target in alternates[:1]]:
            ET.SubElement(node, "xhtml:link", {"rel": "alternate", "hreflang": code,
                                               "href": urls.absolute(base, target)})
    return xml_bytes(root)


def robots(content: Content) -> bytes:
    """Allow everything and name the sitemap (crawlers read robots.txt only at a host's root)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(content.site.base_url, urls.SITEMAP)}\n".encode()
