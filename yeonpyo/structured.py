"""schema.org JSON-LD for an event page: a `NewsArticle` about an `Event`, with its dates,
its language and translations, its picture and the sources it cites (as search engines and
news aggregators read them: https://schema.org/NewsArticle)."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from . import urls
from .dates import machine_value
from .model import Content
from .views import EventView

CONTEXT = "https://schema.org"


def article_data(view: EventView, content: Content, lang: str) -> dict[str, Any]:
    """The event page's JSON-LD object."""
    site, base = content.site, content.site.base_url
    page = urls.absolute(base, view.url)
    event: dict[str, Any] = {"@type": "Event", "name": view.title.value, "startDate": view.date.machine}
    if view.date.end_machine:
        event["endDate"] = view.date.end_machine
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "@id": page,
        "url": page,
        "mainEntityOfPage": page,
        "headline": view.title.value[:110],  # the length Google reads of a headline
        "inLanguage": lang,
        "about": event,
        "isPartOf": {"@type": "WebSite", "name": site.title[lang], "url": urls.absolute(base, urls.timeline(lang))},
        "publisher": {"@type": "Organization", "name": site.title[lang], "url": base},
        "workTranslation": [{"@type": "NewsArticle", "inLanguage": code,
                             "url": urls.absolute(base, urls.event(code, view.slug))}
                            for code in site.languages if code != lang],
    }
    if view.updated:
        data["dateModified"] = view.updated.machine
    figure = view.body.picture
    if figure is not None:
        url, width, height = figure.picture.sized(-1)
        data["image"] = {"@type": "ImageObject", "url": urls.absolute(base, url), "width": width, "height": height,
                         "caption": figure.alt.value, "creditText": figure.credit.value}
    citations = []
    for note in view.body.notes:
        source = content.sources[note.source_key]
        work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title, "inLanguage": source.lang,
                                "publisher": {"@type": "Organization", "name": source.publisher},
                                "datePublished": machine_value(source.date, site.zone)}
        if source.url or source.archive:
            work["url"] = source.url or source.archive
        citations.append(work)
    if citations:
        data["citation"] = citations
    return data


def script_json(data: dict[str, Any]) -> Markup:
    """JSON fit to sit inside `<script type="application/ld+json">`: `<`, `>` and `&` escaped,
    so that no text of the content can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
