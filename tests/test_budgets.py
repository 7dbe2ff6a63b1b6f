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
