"""The real site in a real Chromium: layout, navigation, keyboard, colour schemes, print, requests, axe."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from quality import Visit, require

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture
def site(real_site):
    return real_site


def page_types(out: Path) -> list[str]:
    """One page of each type in each language, plus the chooser and the 404 page."""
    event = sorted((out / "ko" / "events").iterdir())[0].name
    pages = sorted((out / "ko" / "pages").iterdir())[0].name if (out / "ko" / "pages").exists() else None
    paths = ["", "404.html", "ko/both/", "en/both/"]
    for lang in ("ko", "en"):
        paths += [f"{lang}/", f"{lang}/events/{event}/", f"{lang}/sources/", f"{lang}/tags/", f"{lang}/tags/board/",
                  f"{lang}/people/", f"{lang}/people/sam-altman/", f"{lang}/embed/", f"{lang}/embed/five-days/"]
        if pages:
            paths.append(f"{lang}/pages/{pages}/")
    return paths


@pytest.mark.parametrize("width", [360, 1280])
def test_no_horizontal_overflow_no_foreign_requests_no_console_errors(site, browser, width):
    out, base = site
    origin = base.split("/_site/")[0]
    for path in page_types(out):
        with Visit(browser, base + path, width) as visit:
            overflow = visit.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} at {width}px overflows by {overflow}px"
            assert all(url.startswith(origin) for url in visit.requests), visit.requests
            assert visit.errors == [] or path == "404.html", (path, visit.errors)


def test_language_switch_lands_on_the_same_event(site, browser):
    out, base = site
    slug = sorted((out / "ko" / "events").iterdir())[3].name
    with Visit(browser, f"{base}ko/events/{slug}/") as visit:
        visit.page.click(".lang-switch a")
        assert visit.page.url == f"{base}en/events/{slug}/"
        assert visit.page.evaluate("document.documentElement.lang") == "en"
        visit.page.click(".lang-switch a")
        assert visit.page.url == f"{base}ko/events/{slug}/"


def test_citation_numbers_jump_to_the_note_and_back(site, browser):
    _, base = site
    with Visit(browser, f"{base}en/") as visit:
        first = visit.page.locator("sup.cite a[id]").first
        href = first.get_attribute("href")
        first.click()
        assert visit.page.url.endswith(href)
        note = visit.page.locator(href)
        assert note.is_visible()
        back = note.locator("a.note-back")
        back.click()
        assert visit.page.url.endswith("#" + first.get_attribute("id"))
        assert visit.page.evaluate("location.hash") == "#" + first.get_attribute("id")


def test_keyboard_reaches_every_link_with_a_visible_focus(site, browser):
    out, base = site
    slug = sorted((out / "en" / "events").iterdir())[0].name
    with Visit(browser, f"{base}en/events/{slug}/") as visit:
        page = visit.page
        links = page.evaluate("[...document.querySelectorAll('a[href]')].length")
        seen, styles = set(), []
        for _ in range(links + 5):
            page.keyboard.press("Tab")
            info = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
                const index = [...document.querySelectorAll('a[href]')].indexOf(e);
                return [index, e.outerHTML.slice(0, 80), s.outlineStyle, s.outlineWidth] }""")
            if info[0] >= 0:
                seen.add(info[0])
                styles.append(info)
        assert len(seen) == links, f"reached {len(seen)} of {links} links"
        for _index, html, outline, width in styles:
            assert outline != "none" and width != "0px", f"no visible focus on {html}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(site, browser, scheme):
    require(AXE.exists(), "node_modules/axe-core (run `npm ci`)")
    out, base = site
    failures = {}
    for path in page_types(out):
        with Visit(browser, base + path, 1280, scheme) as visit:
            visit.page.add_script_tag(path=str(AXE))
            result = visit.page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            if result["violations"]:
                failures[path] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]
    assert failures == {}


def test_dark_mode_and_print_are_legible(site, browser):
    _, base = site
    with Visit(browser, f"{base}ko/", 1280, "dark") as visit:
        colours = visit.page.evaluate("""() => { const s = getComputedStyle(document.body);
            return [s.color, s.backgroundColor] }""")
        assert colours[0] != colours[1]
        assert colours[1] != "rgb(251, 250, 247)", "dark mode keeps the light paper"
        visit.page.emulate_media(media="print")
        printed = visit.page.evaluate("""() => [getComputedStyle(document.body).color,
            getComputedStyle(document.querySelector('.site-nav')).display,
            getComputedStyle(document.body).backgroundColor]""")
        assert printed[0] == "rgb(0, 0, 0)" and printed[1] == "none" and printed[2] == "rgb(255, 255, 255)"


FIRING = ("board-fires-altman-google-meet", "openai-announces-leadership-transition")


@pytest.mark.parametrize("lang, query, expected", [
    ("ko", "올트먼", FIRING),
    ("ko", "Altman", FIRING),  # an English name on a Korean page
    ("ko", "알트만", FIRING),  # the common variant spelling
    ("en", "Altman", FIRING),
    ("en", "올트먼", FIRING),  # a Korean name on an English page
    ("ko", "수츠케버", ("sutskever-regrets",)),
    ("en", "Shear", ("board-names-emmett-shear", "shear-first-statement")),
    ("ko", "머스크 소송", ("2024-02-29-musk-sues-openai",)),
])
def test_search_finds_events_in_the_page_language(site, browser, lang, query, expected):
    _, base = site
    with Visit(browser, f"{base}{lang}/") as visit:
        page = visit.page
        label = page.locator(".site-search label")
        assert not label.is_visible(), "search waits behind its button, below the headline"
        page.click(".search-toggle")
        assert label.is_visible() and label.get_attribute("for") == "site-search-input"
        assert page.evaluate("document.activeElement.id") == "site-search-input"
        page.fill("#site-search-input", query)
        page.wait_for_selector(".search-results li a")
        first = page.locator(".search-results li a").first.get_attribute("href")
        assert first.startswith(f"{base}{lang}/") and ("/events/" in first or "/pages/" in first), first
        urls = page.evaluate("""async q => {
            const bundle = new URL(document.querySelector('.site-search').dataset.index, location.href);
            const pf = await import(new URL('pagefind.js', bundle).href);
            const r = await pf.search(q);
            return Promise.all(r.results.map(x => x.data().then(d => d.url))); }""", query)
        prefix = "/" + base.split("/", 3)[3] + lang + "/"
        assert any(url == f"{prefix}events/{slug}/" for url in urls for slug in expected), urls[:10]
        assert all(url.startswith(prefix) for url in urls), "a page searches only its language's index"
        excerpts = page.locator(".search-results li p")
        title = page.locator(".search-results li a").first.inner_text()
        assert "[" not in excerpts.first.inner_text() and not excerpts.first.inner_text().startswith(title), \
            "excerpts show text: not the title again, not citation marks"
        assert visit.errors == []


def test_without_javascript_search_is_hidden_and_chips_are_links(site, browser):
    _, base = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}en/")
    assert not page.locator(".site-search").is_visible()
    chip = page.locator(".rail .tag-chip").first
    href = chip.get_attribute("href")
    chip.click()
    assert page.url == f"{base}en/tags/{href.rstrip('/').split('/')[-1]}/"
    context.close()


def test_tag_chips_filter_the_timeline_in_place(site, browser):
    _, base = site
    with Visit(browser, f"{base}en/") as visit:
        page = visit.page
        total = page.locator(".rail > .event").count()
        chip = page.locator(".rail .tag-chip[data-tag='lawsuit']").first
        chip.click()
        assert page.url.endswith("?tag=lawsuit")
        visible = page.locator(".rail > .event:visible")
        assert 0 < visible.count() < total
        for i in range(visible.count()):
            assert "lawsuit" in visible.nth(i).get_attribute("data-tags").split()
        status = page.locator(".filter-status")
        assert "lawsuit" in status.inner_text().lower() or status.is_visible()
        page.click(".filter-status button")
        assert page.locator(".rail > .event:visible").count() == total
        assert visit.errors == []
