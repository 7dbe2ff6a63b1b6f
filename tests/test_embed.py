"""The compact timeline inside another site's article: an iframe from another origin
(127.0.0.2 beside 127.0.0.1), with the snippet the timeline page offers, in a real Chromium."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from quality import QuietHandler, build_real_site

pytestmark = pytest.mark.browser
FRAME = {"width": 600, "height": 520}


def serve(folder: Path, host: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://{host}:{httpd.server_address[1]}/"


@pytest.fixture(scope="module")
def article(tmp_path_factory):
    """The site on 127.0.0.2, and on 127.0.0.1 a newspaper article pasting the English snippet."""
    root = tmp_path_factory.mktemp("embed")
    site_dir, paper = root / "site", root / "paper"
    paper.mkdir()
    site_server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), http.server.SimpleHTTPRequestHandler)
    port = site_server.server_address[1]
    site_server.server_close()  # the port is free again: the site is built for it, then served on it
    base = f"http://127.0.0.2:{port}/"
    build_real_site(site_dir, base)
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.2", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    timeline = BeautifulSoup((site_dir / "en/index.html").read_text(), "html.parser")
    snippet = timeline.select_one("textarea.embed-code").text
    (paper / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An article</title></head><body>'
        '<h1>Newspaper article</h1><p>Some paragraphs before the timeline.</p>'
        f'<div style="width:{FRAME["width"]}px">{snippet}</div><p>After.</p></body></html>', "utf-8")
    paper_server, paper_url = serve(paper, "127.0.0.1")
    yield paper_url, base, snippet
    httpd.shutdown()
    paper_server.shutdown()


def test_the_snippet_names_the_frame_and_checks_the_origin(article):
    _paper, base, snippet = article
    frame = BeautifulSoup(snippet, "html.parser").select_one("iframe")
    assert frame["src"] == base + "en/embed/" and frame["title"] and frame["height"] == "520"
    assert f'e.origin!=="{base.rstrip("/")}"' in snippet


def test_the_frame_shows_the_first_event_grows_to_fit_and_opens_links_on_top(article, browser):
    paper, base, _snippet = article
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(paper)
    frame_element = page.wait_for_selector("iframe")
    frame = frame_element.content_frame()
    frame.wait_for_selector(".embed-event")
    # before any resizing: the first event's title is inside a 600 x 520 frame
    first = frame.eval_on_selector(".embed-event-title", "e => e.getBoundingClientRect().bottom")
    assert 0 < first <= FRAME["height"], first
    assert not frame.query_selector_all(".masthead, .site-search, form"), "no masthead or search in a frame"
    page.wait_for_function("document.querySelector('iframe').getBoundingClientRect().height > 600")
    inner = frame.evaluate("document.documentElement.scrollHeight")
    outer = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    assert abs(outer - inner) <= 2, (outer, inner)
    assert all(url.startswith(("http://127.0.0.1", "http://127.0.0.2")) for url in requests)
    with page.expect_navigation():
        frame.click(".embed-event-title a")
    assert page.url.startswith(base + "en/events/"), "the full page opens in the top window"
    page.close()


def test_without_javascript_the_frame_scrolls(article, browser):
    paper, _base, _snippet = article
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.goto(paper)
    frame = page.wait_for_selector("iframe").content_frame()
    frame.wait_for_selector(".embed-event")
    assert page.evaluate("document.querySelector('iframe').getBoundingClientRect().height") == FRAME["height"]
    assert frame.evaluate("document.documentElement.scrollHeight") > FRAME["height"]
    frame.evaluate("window.scrollTo(0, 400)")
    assert frame.evaluate("window.scrollY") == 400, "the reader can scroll the frame"
    context.close()
