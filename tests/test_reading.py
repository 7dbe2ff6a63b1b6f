"""The timeline as a first-time reader meets it, in a real Chromium: the first screen tells the
story, the five days read in the order they happened, every jump lands in view, targets are
big enough to tap, filtering and the language switch keep the reader's place, print is short."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import ROOT
from quality import Visit, require

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The timeline before the reader-first redesign, measured at 1280 px: what "a third" is of.
HEIGHT_BEFORE = {"en": 51_974, "ko": 47_765}
FIVE_DAYS_WITHIN = 6_000
DAYS = {"en": ["Friday, November 17", "Saturday, November 18", "Sunday, November 19", "Monday, November 20",
               "Tuesday, November 21"],
        "ko": ["11월 17일 (금)", "11월 18일 (토)", "11월 19일 (일)", "11월 20일 (월)", "11월 21일 (화)"]}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("width, height", [(1280, 800), (360, 740)])
def test_the_first_screen_says_what_happened_and_leads_to_each_day(real_site, browser, lang, width, height):
    _, base = real_site
    with Visit(browser, f"{base}{lang}/", width, height=height) as visit:
        page = visit.page
        summary = page.locator(".hero-summary")
        assert summary.is_visible() and summary.bounding_box()["y"] + 40 < height, "the story is on the first screen"
        assert re.search(r"2023", summary.inner_text()) and len(summary.inner_text()) > 150
        jump = page.locator(".hero-jump a")
        box = jump.bounding_box()
        assert box["y"] + box["height"] <= height and box["height"] >= 44, "the five days: one big tap away"
        assert jump.get_attribute("href") == "#era-five-days"
        search = page.locator(".site-search")
        assert not search.is_visible(), "search waits behind its button, not above the headline"
        assert page.locator(".search-toggle").is_visible()
        days = page.locator(".toc-by-day .toc-headings a")
        assert days.all_inner_texts() == DAYS[lang]
        eras = page.locator(".toc-era-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert eras == ["#era-founding", "#era-eve", "#era-five-days", "#era-aftermath"]
        assert page.locator(".heading-day").all_inner_texts() == DAYS[lang]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_timeline_is_a_third_as_tall_and_the_five_days_come_early(real_site, browser, lang):
    _, base = real_site
    with Visit(browser, f"{base}{lang}/", 1280) as visit:
        height = visit.page.evaluate("document.documentElement.scrollHeight")
        first = visit.page.evaluate("document.querySelector('#era-five-days .event')"
                                    ".getBoundingClientRect().top + scrollY")
        assert height <= HEIGHT_BEFORE[lang] / 3, height
        assert first < FIVE_DAYS_WITHIN, first


def instants(page) -> list[tuple[str, dt.datetime]]:
    """Each five-days event with the first instant its `<time datetime>` gives (a day: its midnight PT)."""
    found = page.evaluate("""() => [...document.querySelectorAll('#era-five-days .rail > .event')].map(li =>
        [li.id, li.querySelector('.event-date time').getAttribute('datetime')])""")
    pacific = dt.timezone(dt.timedelta(hours=-8))
    return [(slug, dt.datetime.fromisoformat(value) if "T" in value
             else dt.datetime.fromisoformat(value).replace(tzinfo=pacific)) for slug, value in found]


def test_the_five_days_read_in_the_order_they_happened(real_site, browser):
    _, base = real_site
    with Visit(browser, f"{base}en/") as visit:
        events = instants(visit.page)
    order = [slug for slug, _ in events]
    days = [moment.astimezone(dt.timezone(dt.timedelta(hours=-8))).date() for _, moment in events]
    assert days == sorted(days), "no day comes before the one it follows"
    position = {slug: order.index(slug) for slug in order}
    assert position["openai-announces-leadership-transition"] < position["microsoft-reaffirms-partnership"]
    assert position["nadella-hires-altman-brockman"] < position["shear-first-statement"]
    assert position["shear-first-statement"] < position["sutskever-regrets"] < position["nadella-tv-interviews"]
    assert position["talks-resume-with-dangelo"] < position["agreement-in-principle-altman-returns"]
    assert order[-1] == "reactions-to-return-deal"


def in_view(page, selector: str) -> bool:
    """Whether the element's top is on screen, below anything fixed or sticky at the top."""
    return page.evaluate("""sel => { const el = document.getElementById(sel.replace(/^#/, ''));
        const r = el.getBoundingClientRect();
        const cover = [...document.querySelectorAll('body *')].filter(e => { const s = getComputedStyle(e);
            return (s.position === 'sticky' || s.position === 'fixed') && e.getBoundingClientRect().top <= 0
                   && e.getBoundingClientRect().bottom > 0 && e.offsetParent !== null; })
            .reduce((m, e) => Math.max(m, e.getBoundingClientRect().bottom), 0);
        return r.top >= cover - 1 && r.top < innerHeight * 0.75; }""", selector)


@pytest.mark.parametrize("width", [1280, 360])
def test_every_jump_lands_in_view(real_site, browser, width):
    _, base = real_site
    with Visit(browser, f"{base}en/", width) as visit:
        page = visit.page
        targets = page.locator(".hero-jump a, .toc a").evaluate_all(
            "links => links.map(a => [a.closest('.hero-jump') ? '.hero-jump' : '.toc', a.getAttribute('href')])")
        for box, href in targets:
            page.evaluate("window.scrollTo(0, 0)")
            page.locator(f"{box} a[href='{href}']").click()
            assert in_view(page, href), f"{href} from {box} lands hidden at {width}px"
        board = ".chart-wide" if width > 600 else ".chart-narrow"
        mark = page.locator(f"{board} a.chart-link").nth(3)
        href = mark.get_attribute("href")
        page.evaluate("window.scrollTo(0, 0)")
        mark.click()
        assert in_view(page, "#" + href.split("#")[1]), f"the chart's {href} lands hidden"
        cite = page.locator("#era-five-days .summary sup.cite a").first
        cite.scroll_into_view_if_needed()
        note = cite.get_attribute("href")
        cite.click()
        assert page.locator(note).is_visible() and in_view(page, note), "a citation opens its folded note"
        page.locator(f"{note} a.note-back").click()
        assert in_view(page, "#" + page.evaluate("location.hash.slice(1)"))
    with Visit(browser, f"{base}en/events/sutskever-regrets/", width) as visit:
        visit.page.locator(".kicker a").click()
        visit.page.wait_for_load_state("load")
        top = visit.page.evaluate("document.getElementById('sutskever-regrets').getBoundingClientRect().top")
        assert visit.page.url.endswith("/en/#sutskever-regrets") and in_view(visit.page, "#sutskever-regrets"), top


@pytest.mark.parametrize("path", ["ko/", "en/", "en/events/employee-letter-threat/", "ko/both/", "en/sources/"])
def test_every_target_is_big_enough_to_tap_on_a_phone(real_site, browser, path):
    require(AXE.exists(), "node_modules/axe-core (run `npm ci`)")
    _, base = real_site
    with Visit(browser, base + path, 360, touch=True) as visit:
        visit.page.add_script_tag(path=str(AXE))
        result = visit.page.evaluate("axe.run(document, {runOnly: {type: 'rule', values: ['target-size']}})")
        assert [(v["id"], [n["target"] for n in v["nodes"][:5]]) for v in result["violations"]] == []


def test_a_tag_filter_keeps_the_readers_place_and_filters_the_map_and_chart(real_site, browser):
    _, base = real_site
    with Visit(browser, f"{base}en/") as visit:
        page = visit.page
        chip = page.locator("#era-aftermath .tag-chip[data-tag='lawsuit']").first
        chip.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -200)")
        before = chip.bounding_box()["y"]
        chip.click()
        assert abs(chip.bounding_box()["y"] - before) < 2, "the reader stays where they were"
        assert page.evaluate("scrollY") > 0, "no jump back to the top"
        visible = page.locator(".rail > .event:visible")
        for i in range(visible.count()):
            assert "lawsuit" in visible.nth(i).get_attribute("data-tags").split()
        headings = page.locator(".heading-year:visible, .heading-day:visible")
        assert headings.count() >= 1, "the headings of the events shown stay"
        for i in range(headings.count()):
            following = headings.nth(i).evaluate(
                "h => h.nextElementSibling.querySelectorAll('.event:not([hidden])').length")
            assert following > 0, "no heading is left without events"
        assert page.locator(".toc-by-day:visible").count() == 0, "the map shows only eras with events shown"
        assert page.locator(".chart-wide a.chart-filtered").count() > 0, "the chart dims what is filtered out"
        page.locator(".filter-status button").click()
        assert page.locator(".rail > .event:visible").count() == page.locator(".rail > .event").count()


def test_the_language_switch_keeps_the_reader_at_the_same_event(real_site, browser):
    _, base = real_site
    with Visit(browser, f"{base}ko/") as visit:
        page = visit.page
        page.locator("#nadella-tv-interviews").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, "
                      "document.getElementById('nadella-tv-interviews').getBoundingClientRect().top - 5)")
        page.locator(".reading-bar a[hreflang='en']").click()  # the bar that follows the reader down the page
        page.wait_for_url(re.compile(r"/en/#nadella-tv-interviews$"))
        assert in_view(page, "#nadella-tv-interviews")


def test_print_fits_in_thirty_pages_with_no_heading_at_a_page_foot(real_site, browser):
    _, base = real_site
    with Visit(browser, f"{base}en/") as visit:
        visit.page.emulate_media(media="print")
        styles = visit.page.evaluate(
            "() => ['h2', 'h3', 'h4'].map(t => getComputedStyle(document.querySelector(t)).breakAfter)")
        assert set(styles) == {"avoid"}
        assert visit.page.evaluate("getComputedStyle(document.querySelector('.rail article')).breakInside") == "auto"
        printed = visit.page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", printed))
    assert 3 <= pages <= 30, pages


def test_side_by_side_for_each_reader(real_site, browser):
    _, base = real_site
    with Visit(browser, f"{base}en/both/") as visit:
        page = visit.page
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator(".site-nav a").first.inner_text() == "Timeline"
        assert page.locator(".toc-by-day .toc-headings a").all_inner_texts() == DAYS["en"]
        page.locator(".both-back a[hreflang='en']").click()
        assert page.url == f"{base}en/"
