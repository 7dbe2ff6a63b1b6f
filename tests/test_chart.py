"""The overview chart, drawn from a small fixture site and read back as parsed SVG."""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, SITE_SETTINGS, base_files, write_files
from yeonpyo.chart import BOARDS, focus_era, overview_chart
from yeonpyo.content import load_content
from yeonpyo.dates import start_of
from yeonpyo.model import Content

SITE_YAML = SITE_SETTINGS + """\
eras:
  - key: early
    title: {ko: 초기, en: Early years}
    start: 2015
    end: 2023-11-16
  - key: five-days
    title: {ko: 닷새, en: The five days}
    start: 2023-11-17
    end: 2023-11-22
  - key: after
    title: {ko: 그 뒤, en: Afterwards}
    start: 2023-11-23
    end: 2024-12
"""


def event(date: str, ko: str, en: str, extra: str = "") -> str:
    return (f'---\ndate: {date}\n{extra}title:\n  ko: "{ko}"\n  en: "{en}"\n---\n'
            "<!-- ko -->\n본문.[@openai-post]\n\n<!-- en -->\nText.[@openai-post]\n")


EVENTS = {  # slug -> file; altman-fired (2023-11-17 12:23) and openai-founded (2015-12) come from base_files
    "musk-demands": event("2017", "머스크의 요구", "Musk's demands"),
    "shear-named": event("2023-11-19", "시어 선임", "Shear named"),
    "letter": event("2023-11-20 04:00", "직원 서한", "The letter <& threat>", "tz: America/New_York\n"),
    "returns": event("2023-11-29", "올트먼 복귀", "Altman returns"),
}
ORDER = ["openai-founded", "musk-demands", "altman-fired", "shear-named", "letter", "returns"]
FOCUS = ["altman-fired", "shear-named", "letter"]


def load(tmp_path: Path, changes: dict[str, str | None] | None = None) -> Content:
    files: dict[str, str | None] = {**base_files(), "site.yaml": SITE_YAML,
                                    **{f"events/{slug}.md": text for slug, text in EVENTS.items()}, **(changes or {})}
    write_files(tmp_path / "content", {k: v for k, v in files.items() if v is not None})
    content, problems = load_content(tmp_path / "content")
    assert not list(problems.sorted()), [str(p) for p in problems.sorted()]
    return content



@pytest.fixture
def content(tmp_path: Path) -> Content:
    return load(tmp_path)


def chart(content: Content, lang: str, strings: dict[str, dict[str, str]], **options: int) -> ET.Element:
    """The chart as an element tree (the markup must be well-formed XML)."""
    return ET.fromstring(str(overview_chart(content, lang, strings[lang], lambda e: f"#{e.slug}", **options)))


def boards(root: ET.Element) -> list[ET.Element]:
    return root.findall("svg")


def classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def find_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in classes(el)]


def text(el: ET.Element) -> str:
    return "".join(el.itertext())


def test_one_artboard_per_layout_each_with_one_link_per_event_in_time_order(content, strings):
    svgs = boards(chart(content, "en", strings))
    assert [s.get("class") for s in svgs] == [f"chart-board chart-{b.name}" for b in BOARDS]
    wide, narrow = svgs
    links = list(wide.iter("a"))
    assert [a.get("href") for a in links] == [f"#{slug}" for slug in ORDER]
    assert all("chart-mark" in classes(a.find("rect")) for a in links)
    # on a phone a mark is too small to tap: each day of the strip is one link, to its first event
    days = list(narrow.iter("a"))
    assert [a.get("href") for a in days] == ["#altman-fired", "#shear-named", "#letter"]
    assert [a.find("title").text for a in days] == ["Fri, Nov 17: 1 event", "Sun, Nov 19: 1 event",
                                                    "Mon, Nov 20: 1 event"]
    assert all(float(a.find("rect").get("width")) >= 24 for a in days)


def test_each_link_is_named_by_title_and_date_in_the_page_language(content, strings):
    ko = {a.get("href"): a.find("title").text for a in boards(chart(content, "ko", strings))[0].iter("a")}
    en = {a.get("href"): a.find("title").text for a in boards(chart(content, "en", strings))[0].iter("a")}
    assert ko["#altman-fired"] == ("올트먼 해임 — 2023년 11월 17일 (금) 오후 12:23 (현지시간), "
                                   "한국시간 11월 18일 (토) 오전 5:23")
    assert en["#altman-fired"] == "Altman fired — Fri, Nov 17, 2023, 12:23\u202fPM PST"
    assert ko["#musk-demands"] == "머스크의 요구 — 2017년"
    assert en["#letter"] == "The letter <& threat> — Mon, Nov 20, 2023, 4:00\u202fAM EST"  # parsed back from escapes


def test_text_is_escaped(content, strings):
    markup = str(overview_chart(content, "en", strings["en"], lambda e: f"#{e.slug}?a=1&b=<2>"))
    assert "The letter &lt;&amp; threat&gt;" in markup
    assert 'href="#letter?a=1&amp;b=&lt;2&gt;"' in markup
    assert "<& " not in markup


@pytest.mark.parametrize("lang, titles", [("ko", ["초기", "그 뒤"]), ("en", ["Early years", "Afterwards"])])
def test_era_bands_with_their_titles(content, strings, lang, titles):
    for svg in boards(chart(content, lang, strings)):
        bands = find_class(svg, "chart-band")
        assert [b.get("data-era") for b in bands] == ["early", "five-days", "after", "five-days"]  # the last: the strip
        assert "chart-band-focus" in classes(bands[1])
        labels = [text(t) for t in find_class(svg, "chart-era-title")]
        assert " ".join(labels).split() == " ".join(titles).split()  # a title may wrap in the narrow artboard
        head = text(find_class(svg, "chart-head")[0])
        assert head.startswith({"ko": "닷새 · 사건 3건", "en": "The five days · 3 events"}[lang])


def test_the_strip_holds_the_five_days_at_their_time_of_day(content, strings):
    for board, svg in list(zip(BOARDS, boards(chart(content, "en", strings))))[:1]:  # the wide one: marks are links
        strip = find_class(svg, "chart-focus")[0]
        assert [a.get("href") for a in strip.iter("a")] == [f"#{slug}" for slug in FOCUS]
        marks = {a.get("href"): a.find("rect") for a in strip.iter("a")}
        x0, width = board.margin, board.width - 2 * board.margin  # six days, from Nov 17 00:00 Pacific
        for slug, hours in (("altman-fired", 12 + 23 / 60), ("letter", 24 * 3 + 1)):  # 04:00 New York = 01:00 here
            rect = marks[f"#{slug}"]
            centre = float(rect.get("x")) + float(rect.get("width")) / 2
            assert centre == pytest.approx(x0 + width * hours / (6 * 24), abs=0.1)
            assert "chart-dot" in classes(rect)
        day = marks["#shear-named"]  # a date without a time spans its day, as a bar
        assert "chart-span" in classes(day)
        assert float(day.get("width")) == pytest.approx(width / 6 - 4, abs=0.2)
        main = [a.get("href") for a in svg.iter("a") if a not in set(strip.iter("a"))]
        assert main == ["#openai-founded", "#musk-demands", "#returns"]


@pytest.mark.parametrize("lang, labels", [("ko", ["11월 17일 (금)", "11월 22일 (수)"]),
                                          ("en", ["Fri, Nov 17", "Wed, Nov 22"])])
def test_day_labels_in_the_language(content, strings, lang, labels):
    wide, narrow = boards(chart(content, lang, strings))
    days = [text(t) for t in find_class(wide, "chart-day")]
    assert len(days) == 6 and [days[0], days[-1]] == labels
    assert [text(t) for t in find_class(narrow, "chart-day")][:2] == (["금", "17일"] if lang == "ko" else ["Fri", "17"])


@pytest.mark.parametrize("lang, title, desc", [
    ("ko", "한눈에 보는 연표", ["2015년부터 2023년까지의 사건 6건", "구간별 사건 수: 초기 2건, 닷새 3건, 그 뒤 1건.",
                          "‘닷새’ 구간(2023년 11월 17일~22일)"]),
    ("en", "The chronicle at a glance", ["All 6 events from 2015 to 2023",
                                         "Events per period: Early years (2), The five days (3), Afterwards (1).",
                                         "“The five days” (Nov 17\u2009–\u200922, 2023)"]),
])
def test_title_and_description_in_the_language(content, strings, lang, title, desc):
    for svg in boards(chart(content, lang, strings)):
        assert svg.get("role") == "graphics-document"  # not img: its children would be presentational
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg[0].tag == "title" and svg[0].get("id") == title_id and svg[0].text == title
        assert svg[1].tag == "desc" and svg[1].get("id") == desc_id
        assert all(part in svg[1].text for part in desc), svg[1].text


def test_ids_are_unique_and_prefixed(content, strings):
    ids = [el.get("id") for el in chart(content, "ko", strings).iter() if el.get("id")]
    assert ids and len(ids) == len(set(ids)) and all(i.startswith("chart-") for i in ids)


def test_same_bytes_every_time_whatever_the_machine_zone(content, strings, monkeypatch):
    first = str(overview_chart(content, "ko", strings["ko"], lambda e: f"#{e.slug}"))
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    if hasattr(time, "tzset"):
        time.tzset()
    try:
        again = str(overview_chart(content, "ko", strings["ko"], lambda e: f"#{e.slug}"))
    finally:
        monkeypatch.undo()
        if hasattr(time, "tzset"):
            time.tzset()
    assert again == first and os.environ.get("TZ") != "Asia/Kathmandu"


def test_without_a_five_days_era_the_busiest_short_era_is_magnified(tmp_path, strings):
    site = SITE_YAML.replace("key: five-days", "key: crisis").replace("key: early", "key: eve", 1)
    content = load(tmp_path, {"site.yaml": site})
    assert focus_era(content).key == "crisis"
    long_only = SITE_YAML.replace("""  - key: five-days
    title: {ko: 닷새, en: The five days}
    start: 2023-11-17
    end: 2023-11-22
  - key: after
    title: {ko: 그 뒤, en: Afterwards}
    start: 2023-11-23
""", """  - key: after
    title: {ko: 그 뒤, en: Afterwards}
    start: 2023-11-17
""")
    content = load(tmp_path / "long", {"site.yaml": long_only})
    assert focus_era(content) is None  # no era is short enough for a day-by-day strip
    wide, narrow = boards(chart(content, "en", strings))
    assert find_class(wide, "chart-focus") == [] == find_class(narrow, "chart-focus")
    assert [a.get("href") for a in wide.iter("a")] == [f"#{slug}" for slug in ORDER]
    assert list(narrow.iter("a")) == [], "on a phone the map of the story above the chart holds the links"


def test_the_real_content_draws(strings):
    content, problems = load_content(ROOT / "content")
    assert not list(problems.sorted())
    five_days = [e for e in content.events if content.era_of[e.slug] == "five-days"]
    for lang in ("ko", "en"):
        wide, narrow = boards(chart(content, lang, strings))
        assert len(list(wide.iter("a"))) == len(content.events)
        assert len(list(find_class(wide, "chart-focus")[0].iter("a"))) == len(five_days)
        days = {start_of(e.when, e.zone).astimezone(content.site.zone).date() for e in five_days}
        assert len(list(narrow.iter("a"))) == len(days)
        assert len(find_class(wide, "chart-key-label")) == sum(1 for e in five_days if e.key)


@pytest.mark.parametrize("lang, wide_titles, narrow_titles", [
    ("en", ["Dec 2015: 1 event", "Jan 2017: 2 events", "Nov 2023: 1 event"],
     ["Q4 2015: 1 event", "Q1 2017: 2 events", "Q4 2023: 1 event"]),
    ("ko", ["2015년 12월: 사건 1건", "2017년 1월: 사건 2건", "2023년 11월: 사건 1건"],
     ["2015년 4분기: 사건 1건", "2017년 1분기: 사건 2건", "2023년 4분기: 사건 1건"]),
])
def test_a_crowded_axis_counts_events_per_period_and_links_to_the_first(tmp_path, strings, lang, wide_titles,
                                                                         narrow_titles):
    content = load(tmp_path, {"events/musk-leaves.md": event("2017-01-20", "머스크 사임", "Musk leaves")})
    crowded = chart(content, lang, strings, max_lanes=0)  # any mark at all is too many
    for svg, titles in zip(boards(crowded), (wide_titles, narrow_titles)):
        strip = list(find_class(svg, "chart-focus")[0].iter("a"))
        main = [a for a in svg.iter("a") if a not in strip]
        assert all(classes(a.find("rect")) == {"chart-mark", "chart-bin"} for a in main)
        assert [a.get("href") for a in main] == ["#openai-founded", "#musk-demands", "#returns"]
        assert [a.find("title").text for a in main] == titles
        heights = [float(a.find("rect").get("height")) for a in main]
        assert heights[1] == max(heights) > heights[0] == heights[2], "a bar's height is its count"
        assert [a.get("href") for a in strip] == [f"#{slug}" for slug in FOCUS], "the strip keeps every event"
        assert svg.find("desc").text.endswith(strings[lang]["chart_binned"])


def test_an_axis_with_room_draws_a_mark_per_event(content, strings):
    """(The one-link-per-event test above says the same of every link.)"""
    for svg in boards(chart(content, "en", strings)):
        assert not find_class(svg, "chart-bin")
        assert strings["en"]["chart_binned"] not in svg.find("desc").text
