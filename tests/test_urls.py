"""The URL rules: output paths and relative links, from any page to any other."""

from __future__ import annotations

import pytest

from yeonpyo import urls

BASE = "https://example.org/timeline/"


@pytest.mark.parametrize("url, path", [
    ("", "index.html"),
    ("ko/", "ko/index.html"),
    ("ko/events/altman-fired/", "ko/events/altman-fired/index.html"),
    ("static/style.css", "static/style.css"),
    ("404.html", "404.html"),
])
def test_output_path(url, path):
    assert urls.output_path(url) == path


@pytest.mark.parametrize("source, target, expected", [
    ("ko/", "ko/events/a/", "events/a/"),
    ("ko/events/a/", "ko/sources/", "../../sources/"),
    ("ko/events/a/", "en/events/a/", "../../../en/events/a/"),
    ("ko/events/a/", "static/style.css", "../../../static/style.css"),
    ("ko/", "", "../"),
    ("", "ko/", "ko/"),
    ("", "static/style.css", "static/style.css"),
    ("ko/", "ko/", "./"),
    ("404.html", "ko/", "/timeline/ko/"),
    ("404.html", "static/style.css", "/timeline/static/style.css"),
])
def test_links_are_relative_except_from_the_404_page(source, target, expected):
    assert urls.Linker(source, BASE)(target) == expected


def test_fragments_and_absolute_urls():
    link = urls.Linker("ko/events/a/", BASE)
    assert link("ko/events/a/", "ref-1") == "#ref-1"
    assert link("ko/sources/", urls.source_anchor("x")) == "../../sources/#src-x"
    assert urls.absolute(BASE, urls.event("en", "a")) == "https://example.org/timeline/en/events/a/"
    assert urls.base_path("https://example.org") == "/"


@pytest.mark.parametrize("path, lang", [
    (urls.output_path(urls.event("ko", "altman-fired")), "ko"),
    (urls.output_path(urls.page("en", "why-fired")), "en"),
    (urls.output_path(urls.timeline("ko")), None),
    (urls.output_path(urls.tag("en", "board")), None),
    (urls.output_path(urls.timeline_part("en", 2023)), None),
    ("ko/events/altman-fired/photo.png", None),
    (urls.output_path(urls.search_index("ko")), None),
])
def test_searched_pages_are_the_event_and_context_pages_of_a_language(path, lang):
    assert urls.searched_language(path) == lang
