"""Whole sites built from fixtures, asserted on their parsed HTML."""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import FIRED_MD, FOUNDED_MD, ROOT, SITE_YAML, SOURCES_YAML, tree

PAGES = {
    "index.html", "404.html", "ko/both/index.html", "en/both/index.html",
    *(f"{lang}/{page}index.html" for lang in ("ko", "en") for page in (
        "", "sources/", "events/altman-fired/", "events/openai-founded/",
        "tags/", "tags/board/", "people/", "people/sam-altman/", "embed/", "embed/early/", "embed/crisis/")),
}


def html_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


def test_the_page_set(make_site):
    built = make_site()
    assert built.result.ok, built.messages
    assert set(html_files(built.out)) == PAGES
    static = {p.relative_to(built.out / "static").as_posix() for p in (built.out / "static").iterdir()}
    assert {"style.css", "favicon.svg", "timeline.js", "search.js"} <= static
    for lang in ("ko", "en"):  # one search bundle per language, each knowing only its language
        bundle = built.out / "pagefind" / lang
        assert (bundle / "pagefind.js").is_file()
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        assert set(entry["languages"]) == {lang}
    assert sorted(p.name for p in (built.out / "pagefind").iterdir()) == ["en", "ko"]


def resolve(out: Path, page: str, href: str) -> tuple[Path, str]:
    """The file and fragment an internal href on `page` points to."""
    parts = urlsplit(href)
    if parts.path.startswith("/"):
        target = parts.path.lstrip("/")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path)) if parts.path else page
    path = out / target
    if path.is_dir() or href.endswith("/") or target in ("", "."):
        path = path / "index.html" if target not in ("", ".") else out / "index.html"
    return path, parts.fragment


@pytest.mark.parametrize("base_url", [None, "https://example.org/sub/path/"])
def test_every_internal_link_and_fragment_resolves(make_site, base_url):
    assert_links_resolve(make_site(base_url=base_url))


def assert_links_resolve(built) -> None:
    for page in html_files(built.out):
        if page == "404.html":
            continue  # served from unknown paths: its links start from base_url's path
        soup = built.soup(page)
        for tag in soup.find_all(["a", "link"], href=True):
            href = tag["href"]
            if urlsplit(href).scheme:
                continue
            path, fragment = resolve(built.out, page, href)
            assert path.is_file(), f"{page}: {href} -> {path}"
            if fragment:
                target = BeautifulSoup(path.read_text(), "html.parser")
                assert target.find(id=fragment), f"{page}: {href} has no #{fragment}"


def test_404_links_use_the_base_path(make_site):
    built = make_site(base_url="https://example.org/sub/")
    hrefs = [a["href"] for a in built.soup("404.html").find_all(["a", "link"], href=True)]
    assert "/sub/static/style.css" in hrefs and "/sub/ko/" in hrefs
    assert all(h.startswith(("/sub/", "#")) for h in hrefs), hrefs


def test_language_switch_and_hreflang_point_at_the_same_event(make_site):
    built = make_site(base_url="https://example.org/tl/")
    soup = built.soup("ko/events/altman-fired/index.html")
    switch = soup.select_one(".lang-switch a")
    assert switch["href"] == "../../../en/events/altman-fired/" and switch["lang"] == "en"
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate")
                  if not link.get("type")}
    feeds = {link["hreflang"]: link["href"]
             for link in soup.find_all("link", rel="alternate", type="application/atom+xml")}
    assert feeds == {"ko": "https://example.org/tl/ko/feed.xml", "en": "https://example.org/tl/en/feed.xml"}
    assert alternates == {
        "ko": "https://example.org/tl/ko/events/altman-fired/",
        "en": "https://example.org/tl/en/events/altman-fired/",
        "x-default": "https://example.org/tl/ko/events/altman-fired/",
    }
    assert soup.find("link", rel="canonical")["href"] == "https://example.org/tl/ko/events/altman-fired/"
    assert soup.html["lang"] == "ko"


def test_citations_are_numbered_and_link_both_ways(make_site):
    built = make_site()
    soup = built.soup("ko/events/altman-fired/index.html")
    cites = soup.select(".prose sup.cite a")
    # "[@korean-report; @openai-post]" cites 2 and 1: a group reads in ascending order
    assert [a.get_text() for a in cites] == ["1", "1", "2"]
    assert cites[0]["href"] == "#ref-ko-altman-fired-1" and cites[0]["id"] == "cite-ko-altman-fired-1"
    assert not cites[1].has_attr("id") and cites[2]["id"] == "cite-ko-altman-fired-2"
    notes = soup.select(".notes li")
    assert [li["id"] for li in notes] == ["ref-ko-altman-fired-1", "ref-ko-altman-fired-2"]
    assert notes[0].select_one("a.note-back")["href"] == "#cite-ko-altman-fired-1"
    source_link = notes[0].select_one("a.note-source")
    assert source_link["href"] == "../../sources/#src-openai-post"
    assert source_link.cite["lang"] == "en"
    assert "[오픈AI, 경영진 교체 발표]" in source_link.get_text()


def test_bibliography_lists_sources_with_citing_events(make_site):
    built = make_site()
    entry = built.soup("en/sources/index.html").find(id="src-korean-report")
    assert entry.select_one(".source-publisher").get_text() == "연합뉴스"
    assert entry.cite["lang"] == "ko" and entry.cite.get_text() == "올트먼 해임"
    assert "[Altman fired]" in entry.get_text()
    assert "Korean" in entry.get_text() and "Nov 18, 2023" in entry.get_text()
    assert [a["href"] for a in entry.select(".cited-list a")] == ["../events/openai-founded/",
                                                                  "../events/altman-fired/"]
    assert built.soup("en/sources/index.html").select_one(".intro .count").get_text() == "2 sources"
    other = built.soup("en/sources/index.html").find(id="src-openai-post")
    assert other.select_one(".source-links a")["href"].startswith("https://openai.com/")


def test_a_long_bibliography_is_split_by_year_and_notes_link_to_their_part(make_site):
    older = "musk-email:\n  title: A Musk email\n  publisher: The Verge\n  date: 2016-02\n  lang: en\n"
    built = make_site({"site.yaml": SITE_YAML + "sources_per_page: 1\n", "sources.yaml": SOURCES_YAML + older,
                       "events/openai-founded.md": FOUNDED_MD.replace("non-profit.[@", "non-profit.[@musk-email; @")},
                      base_url="https://example.org/tl/")
    assert built.result.ok, built.messages
    index = built.soup("en/sources/index.html")
    assert index.select(".bibliography") == [], "the index of a split bibliography lists years, not sources"
    assert index.select_one(".intro .count").get_text() == "3 sources"
    parts = [(a["href"], a.get_text()) for a in index.select(".jump-parts a")]
    assert parts == [("2016/", "2016"), ("2023/", "2023 (1 of 2)"), ("2023/2/", "2023 (2 of 2)")]
    part = built.soup("en/sources/2023/2/index.html")
    assert part.h1.get_text() == "Sources: 2023 (2 of 2)" and part.select_one(".intro .count").get_text() == "1 source"
    assert [li["id"] for li in part.select("li.source")] == ["src-korean-report"]
    assert built.soup("ko/sources/2023/2/index.html").h1.get_text() == "출처: 2023년 (2/2)"
    notes = {a.get_text(): a["href"] for a in built.soup("ko/events/altman-fired/index.html").select("a.note-source")}
    assert sorted(notes.values()) == ["../../sources/2023/#src-openai-post", "../../sources/2023/2/#src-korean-report"]
    assert "https://example.org/tl/en/sources/2023/2/#src-korean-report" in (built.out / "en/feed.xml").read_text()
    assert "https://example.org/tl/ko/sources/2016/" in (built.out / "sitemap.xml").read_text()
    assert_links_resolve(built)


def test_dates_in_both_languages_with_korea_time(make_site):
    built = make_site()
    ko = built.soup("ko/events/altman-fired/index.html").select_one(".event-date")
    en = built.soup("en/events/altman-fired/index.html").select_one(".event-date")
    assert ko.time["datetime"] == en.time["datetime"] == "2023-11-17T12:23-08:00"
    assert ko.time.get_text() == "2023년 11월 17일 (금) 오후 12:23 (현지시간)"
    assert ko.select_one(".home-time").get_text() == "한국시간 11월 18일 (토) 오전 5:23"
    assert en.time.get_text() == "Fri, Nov 17, 2023, 12:23\u202fPM PST"
    assert en.select_one(".home-time") is None
    founded = built.soup("en/events/openai-founded/index.html").select_one(".event-date time")
    assert founded.get_text() == "December 2015" and founded["datetime"] == "2015-12"


def test_timeline_is_ordered_and_grouped_by_era(make_site):
    same_day = FIRED_MD.replace("2023-11-17 12:23", "2023-11-17").replace("올트먼 해임", "하루").replace(
        "Altman fired", "Day")
    built = make_site({"events/a-day.md": same_day})
    soup = built.soup("en/index.html")
    eras = soup.select("section.era")
    assert [e.h2.get_text() for e in eras] == ["Early years", "The crisis"]
    assert [li["id"] for li in eras[1].select("li.event")] == ["a-day", "altman-fired"]
    assert [a["href"] for a in soup.select(".toc-era-link")] == ["#era-early", "#era-crisis"]
    assert [a["href"] for a in soup.select(".toc-headings a")] == ["#y2015-early", "#y2023-crisis"]


def test_missing_language_shows_the_other_with_a_notice(make_site):
    only_en = "---\ndate: 2016\ntitle:\n  en: English only\n---\n<!-- en -->\nText.[@openai-post]\n"
    built = make_site({"events/openai-founded.md": only_en})
    soup = built.soup("ko/events/openai-founded/index.html")
    assert soup.h1["lang"] == "en" and soup.h1.get_text() == "English only"
    assert "아직 한국어로 번역되지 않았습니다" in soup.select_one(".untranslated").get_text()
    assert soup.select_one(".prose")["lang"] == "en"


def test_notes_and_disputes_render_as_labelled_asides(make_site):
    text = FIRED_MD.replace("<!-- en -->", "> [!DISPUTED]\n> 날짜가 엇갈린다.[@korean-report]\n\n<!-- en -->")
    built = make_site({"events/altman-fired.md": text})
    aside = built.soup("ko/events/altman-fired/index.html").select_one("aside.callout-disputed")
    assert aside.select_one(".callout-label").get_text() == "엇갈리는 보도"
    assert "날짜가 엇갈린다." in aside.get_text() and "[!DISPUTED]" not in aside.get_text()


def test_html_comments_are_dropped_and_text_escaped(make_site):
    text = FIRED_MD.replace("The board fired", "<!-- hidden note --> The board & `<b>` fired")
    built = make_site({"events/altman-fired.md": text})
    html = (built.out / "en/events/altman-fired/index.html").read_text()
    assert "hidden note" not in html and "<code>&lt;b&gt;</code>" in html


def _times(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_unchanged_files_are_not_rewritten_and_stale_ones_removed(make_site):
    first = make_site()
    assert first.result.report.written
    times = _times(first.out)
    second = make_site()  # no cache: every page is rendered again, and found unchanged
    pages = sum(1 for p in first.out.rglob("*") if p.is_file() and p.name != ".yeonpyo-manifest"
                and not p.relative_to(first.out).as_posix().startswith("pagefind/"))
    assert second.result.report.written == () and second.result.report.deleted == ()
    assert second.result.report.unchanged == pages
    assert _times(second.out) == times, "unchanged files keep their times (a sync to the host skips them)"
    third = make_site({"events/openai-founded.md": None})
    deleted = {path for path in third.result.report.deleted if not path.startswith("pagefind/")}
    assert deleted == {"ko/events/openai-founded/index.html", "en/events/openai-founded/index.html"}
    assert not (third.out / "ko/events/openai-founded").exists()


def test_an_edit_in_one_language_reindexes_only_that_language(make_site):
    make_site()
    edited = make_site({"events/altman-fired.md": FIRED_MD.replace("The board fired", "The directors fired")})
    written = edited.result.report.written
    assert "en/events/altman-fired/index.html" in written
    assert "ko/events/altman-fired/index.html" not in written
    assert any(path.startswith("pagefind/en/") for path in written)
    assert not any(path.startswith("pagefind/ko/") for path in written)
    assert (edited.out / "pagefind/ko/pagefind.js").is_file()


def test_builds_are_byte_identical_whatever_tz_and_locale(make_site, tmp_path):
    built = make_site()
    outputs = []
    for tz, lang in (("UTC", "C"), ("Asia/Seoul", "ko_KR.UTF-8")):
        out = tmp_path / f"out-{lang}"
        env = {**os.environ, "TZ": tz, "LANG": lang, "LC_ALL": lang}
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(built.content), "--out", str(out)],
                       check=True, env=env, capture_output=True)
        outputs.append(tree(out))
    assert outputs[0] == outputs[1]


def test_tag_and_person_pages_list_their_events_with_counts(make_site):
    built = make_site()
    index = built.soup("en/people/index.html")
    entry = index.select_one(".label-index li")
    assert entry.a["href"] == "sam-altman/" and entry.select_one(".count").get_text() == "1 event"
    assert entry.select_one(".detail").get_text() == "CEO"
    person = built.soup("ko/people/sam-altman/index.html")
    assert person.h1.get_text() == "샘 올트먼"
    assert [a["href"] for a in person.select(".event-list a")] == ["../../events/altman-fired/"]
    tag = built.soup("ko/tags/board/index.html")
    assert tag.h1.get_text() == "이사회" and len(tag.select(".event-list li")) == 1
    chip = built.soup("en/index.html").select_one(".rail .tag-chip")
    assert chip["href"] == "tags/board/" and chip["data-tag"] == "board"
    assert built.soup("en/index.html").find(id="altman-fired")["data-tags"].split() == ["board"]


def test_side_by_side_page_aligns_both_languages(make_site):
    built = make_site()
    soup = built.soup("ko/both/index.html")
    pairs = soup.select("li.pair")
    assert [p["id"] for p in pairs] == ["openai-founded", "altman-fired"]
    sides = pairs[1].select("article.pair-side")
    assert [s["lang"] for s in sides] == ["ko", "en"]
    assert sides[0].h4.get_text() == "올트먼 해임" and sides[1].h4.get_text() == "Altman fired"
    assert sides[0].h4.a["href"] == "../events/altman-fired/"
    assert sides[1].h4.a["href"] == "../../en/events/altman-fired/"
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids stay unique with both languages on one page"
    assert soup.select_one(".site-nav a").get_text() == "연표", "the navigation is in the reader's language"
    assert [a["href"] for a in soup.select(".both-back a")] == ["../", "../../en/"], "a way back to each timeline"
    assert [a["href"] for a in soup.select(".toc-era-link")] == ["#era-early", "#era-crisis"]
    english = built.soup("en/both/index.html")
    assert [s["lang"] for s in english.select("li.pair")[1].select("article.pair-side")] == ["en", "ko"]
    assert english.select_one(".site-nav a").get_text() == "Timeline"


def test_corrections_are_shown_newest_first_with_the_update_date(make_site):
    text = FIRED_MD.replace("people: [sam-altman]\n", """people: [sam-altman]
updated: 2024-03-10
corrections:
  - date: 2023-12-01
    ko: 시각을 바로잡았다.
    en: Corrected the time.
  - date: 2024-03-10
    ko: 이사 수를 바로잡았다.
    en: Corrected the number of directors.
""")
    built = make_site({"events/altman-fired.md": text})
    soup = built.soup("en/events/altman-fired/index.html")
    assert soup.select_one(".updated time")["datetime"] == "2024-03-10"
    items = [li.get_text(" ", strip=True) for li in soup.select(".corrections li")]
    assert items == ["Mar 10, 2024 Corrected the number of directors.", "Dec 1, 2023 Corrected the time."]
    assert soup.select_one(".corrections h2").get_text() == "Corrections"


def test_a_correction_needs_a_date_and_text(make_site):
    text = FIRED_MD.replace("people: [sam-altman]\n", "people: [sam-altman]\ncorrections:\n"
                            "  - date: 2024-13-01\n    ko: x\n  - date: 2024-01-01\n")
    built = make_site({"events/altman-fired.md": text})
    messages = "\n".join(built.messages)
    assert "altman-fired.md:9: `date`: `2024-13-01` is not a real date" in messages
    assert "altman-fired.md:11: a correction needs its text in ko or en" in messages


def test_seo_and_sharing_tags(make_site):
    built = make_site(base_url="https://example.org/tl/")
    soup = built.soup("en/events/altman-fired/index.html")
    meta = {m.get("property") or m.get("name"): m["content"] for m in soup.find_all("meta") if m.get("content")}
    assert meta["og:url"] == "https://example.org/tl/en/events/altman-fired/"
    assert meta["og:locale"] == "en_US" and meta["og:locale:alternate"] == "ko_KR"
    assert meta["og:type"] == "article" and meta["twitter:card"] == "summary"
    assert meta["og:title"].startswith("Altman fired")
    robots = (built.out / "robots.txt").read_text()
    assert "Sitemap: https://example.org/tl/sitemap.xml" in robots


def test_a_long_timeline_is_split_by_year_and_the_chart_links_across(make_site):
    later = FIRED_MD.replace("2023-11-17 12:23", "2023-11-18").replace("올트먼 해임", "다음 날").replace(
        "Altman fired", "The next day")
    built = make_site({"site.yaml": SITE_YAML + "events_per_page: 1\n", "events/next-day.md": later})
    assert built.result.ok, built.messages
    home = built.soup("en/index.html")
    assert home.select("li.event") == [], "the home page of a split timeline lists parts, not events"
    parts = [(a["href"], a.get_text()) for a in home.select(".jump-parts a")]
    assert parts == [("2015/", "2015"), ("2023/", "2023 (1 of 2)"), ("2023/2/", "2023 (2 of 2)")]
    chart_links = {a["href"] for a in home.select(".chart svg a")}
    assert {"2015/#openai-founded", "2023/#altman-fired", "2023/2/#next-day"} <= chart_links
    part = built.soup("ko/2023/2/index.html")
    assert [li["id"] for li in part.select("li.event")] == ["next-day"]
    assert part.h1.get_text() == "2023년 (2/2)"
    assert part.select_one(".pager-prev")["href"] == "../"
    assert part.select_one(".lang-switch a")["href"] == "../../../en/2023/2/"
    event = built.soup("en/events/next-day/index.html")
    assert event.select_one(".kicker a")["href"] == "../../2023/2/#next-day"


def test_summaries_are_cited_and_numbered_with_the_body(make_site):
    fired = FIRED_MD.replace("tags: [board]", "summary:\n  en: The board fired him \"by video\".[@korean-report]\n"
                                              "  ko: 이사회가 화상회의로 해임했다.[@korean-report]\ntags: [board]")
    soup = make_site({"events/altman-fired.md": fired}).soup("en/events/altman-fired/index.html")
    summary = soup.select_one(".summary")
    assert summary.get_text() == "The board fired him \u201cby video\u201d.\u2060[1]"  # typographic quotes
    assert [a.get_text() for a in soup.select(".prose sup.cite a")] == ["2"]  # the body's source comes second
    assert [li["id"] for li in soup.select(".notes li")] == ["ref-en-altman-fired-1", "ref-en-altman-fired-2"]


def test_events_follow_the_order_they_happened_in(make_site):
    def event(date: str, title: str, order: str = "") -> str:
        return (f"---\ndate: {date}\n{order}title:\n  ko: {title}\n  en: {title}\n---\n"
                "<!-- ko -->\n본문.[@openai-post]\n"
                "<!-- en -->\nBody.[@openai-post]\n")
    built = make_site({"events/openai-founded.md": None, "events/altman-fired.md": None,
                       "events/a-night.md": event("2023-11-19 night", "Night"),
                       "events/b-evening.md": event("2023-11-20 evening", "Evening"),
                       "events/c-morning.md": event("2023-11-20 morning", "Morning"),
                       "events/d-timed.md": event("2023-11-20 01:00", "Timed"),
                       "events/e-day-second.md": event("2023-11-20", "Second of the day", "order: 2\n"),
                       "events/f-day-first.md": event("2023-11-20", "First of the day", "order: 1\n")})
    titles = [h.get_text() for h in built.soup("en/index.html").select(".event-title")]
    assert titles == ["Night", "First of the day", "Second of the day", "Timed", "Morning", "Evening"]
    assert built.soup("en/events/c-morning/index.html").time.get_text() == "Mon, Nov 20, 2023, morning PST"
    assert built.soup("ko/events/c-morning/index.html").time.get_text() == "2023년 11월 20일 (월) 오전 (현지시간)"


def test_the_not_found_page_offers_every_language_equally(make_site):
    soup = make_site().soup("404.html")
    choices = soup.select("section.choice")
    assert [c["lang"] for c in choices] == ["ko", "en"]
    assert [c.h2.get_text() for c in choices] == ["페이지를 찾을 수 없습니다", "Page not found"]
    assert [c.select_one("a.choice-link")["href"] for c in choices] == ["/ko/", "/en/"]
    assert soup.select_one(".site-nav") is None, "no navigation in one language only"


def test_english_quotes_and_apostrophes_are_typographic(make_site):
    fired = FIRED_MD.replace("en: Altman fired", 'en: "OpenAI\'s \\"capped-profit\\" board"')
    soup = make_site({"events/altman-fired.md": fired}).soup("en/events/altman-fired/index.html")
    assert soup.h1.get_text() == "OpenAI\u2019s \u201ccapped-profit\u201d board"
