"""Page-weight budgets: HTML plus the CSS and JS it loads, after gzip, per page type.

The budgets (KiB) leave room for the chronicle to grow by about half before a timeline
needs splitting. Pagefind's files are not counted: they load only when a reader searches.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from quality import build_real_site

BUDGETS_KIB = {
    "index.html": 12,
    "404.html": 12,
    "ko/index.html": 100,
    "en/index.html": 100,
    "ko/events/board-fires-altman-google-meet/index.html": 20,
    "en/events/board-fires-altman-google-meet/index.html": 20,
    "ko/sources/index.html": 50,
    "en/sources/index.html": 50,
    "ko/pages/why-fired/index.html": 25,
    "en/pages/what-changed/index.html": 25,
    "ko/people/index.html": 20,
    "en/tags/board/index.html": 20,
    "ko/both/index.html": 120,
    "en/both/index.html": 120,
}


def page_weight(out: Path, page: str) -> int:
    """Bytes after gzip of a page and the stylesheets and scripts it loads."""
    html = (out / page).read_bytes()
    total = len(gzip.compress(html, 9))
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.select('link[rel~="stylesheet"][href], script[src]'):
        reference = tag.get("href") or tag.get("src")
        target = (out / page).parent / reference if not reference.startswith("/") else out / reference.lstrip("/")
        total += len(gzip.compress(target.resolve().read_bytes(), 9))
    return total


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_real_site(tmp_path_factory.mktemp("budgets") / "_site", "https://example.org/")


@pytest.mark.parametrize("page", sorted(BUDGETS_KIB))
def test_page_stays_within_its_weight_budget(site, page):
    weight = page_weight(site, page)
    assert weight <= BUDGETS_KIB[page] * 1024, f"{page}: {weight / 1024:.1f} KiB > {BUDGETS_KIB[page]} KiB"


# Image bytes a phone (360 px wide, 2x screen) downloads reading a whole event page to its end:
# the chronicle's charts take 35-50 KiB each in AVIF at 960 px, so two fit with room to spare.
IMAGE_BUDGET_KIB = 120


@pytest.mark.browser
def test_a_phone_downloads_the_pictures_of_an_event_page_within_budget(real_site, browser):
    out, base = real_site
    pages = sorted({f"{lang}/events/{path.parent.name}/" for lang in ("ko", "en")
                    for path in out.glob(f"{lang}/events/*/index.html") if "<picture>" in path.read_text("utf-8")})
    assert pages, "the chronicle has event pages with pictures"
    for page_path in pages:
        page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2)
        sizes: dict[str, int] = {}

        def count(response, sizes: dict[str, int] = sizes) -> None:
            if response.request.resource_type == "image" and "/media/" in response.url:
                sizes[response.url] = len(response.body())

        page.on("response", count)
        page.goto(base + page_path)
        for _ in range(40):  # read to the end: every lazy picture loads
            page.mouse.wheel(0, 600)
            page.wait_for_timeout(25)
        page.wait_for_load_state("networkidle")
        shown = page.eval_on_selector_all("picture img", "imgs => imgs.map(i => i.currentSrc)")
        page.close()
        assert all(src in sizes for src in shown), (page_path, shown, sizes)
        assert all(src.endswith((".avif", ".webp")) for src in shown), "Chromium takes a modern format"
        total = sum(sizes.values())
        assert total <= IMAGE_BUDGET_KIB * 1024, f"{page_path}: {total / 1024:.1f} KiB of pictures"
