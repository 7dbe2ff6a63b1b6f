"""The exports: Atom feeds, TimelineJS JSON (in a real TimelineJS), CSL-JSON, sitemap and robots.txt."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from conftest import ROOT, SITE_YAML, base_files, long_chronicle, write_files
from quality import require, start_server
from yeonpyo import urls
from yeonpyo.content import load_content
from yeonpyo.exports import export_files
from yeonpyo.feeds import FEED_LIMIT
from yeonpyo.model import SOURCE_KINDS, Content
from yeonpyo.pipeline import Project, build
from yeonpyo.plan import plan_site
from yeonpyo.problems import Problems
from yeonpyo.strings import load_strings
from yeonpyo.theme import Theme
from yeonpyo.views import EventView, Views

TIMELINEJS = ROOT / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BASE = "https://example.org/"

# besides the two base events: a span, a year, a Seoul time that comes before a later Los
# Angeles time of the previous calendar day, an English-only event with a relative link, a
# title that needs escaping, and an old event with a recent correction
EXTRA = {
    "site.yaml": SITE_YAML.split("eras:")[0] + (
        "eras:\n"
        "  - {key: early, title: {ko: 초기, en: Early years}, start: 2015, end: 2022}\n"
        "  - {key: eve, title: {ko: 직전, en: The eve}, start: 2023-11, end: 2023-11-16}\n"
        "  - {key: crisis, title: {ko: 위기, en: The crisis}, start: 2023-11-17, end: 2024-06}\n"),
    "events/openai-founded.md": """\
        ---
        date: 2015-12
        title:
          ko: 오픈AI 설립
          en: OpenAI founded
        updated: 2024-01-10
        corrections:
          - date: 2023-12-01
            ko: 설립 연도를 바로잡았다.
            en: Corrected the founding year.
          - date: 2024-01-10
            ko: 출처를 더했다.
            en: Added a source.
        ---
        <!-- ko -->
        비영리로 출범했다.[@korean-report]

        <!-- en -->
        It began as a non-profit.[@korean-report]
        """,
    "events/capped-profit.md": """\
        ---
        date: 2019
        title:
          ko: 이익 상한 회사
          en: "Capped profit & the <board>"
        tags: [board]
        ---
        <!-- ko -->
        이익 상한 구조를 만들었다.[@openai-post]

        <!-- en -->
        A capped-profit arm was created.[@openai-post]
        """,
    "events/five-days.md": """\
        ---
        date: 2023-11-17
        end: 2023-11-22
        title:
          ko: 닷새
          en: The five days
        ---
        <!-- ko -->
        닷새가 흘렀다.[@openai-post]

        <!-- en -->
        Five days passed.[@openai-post]
        """,
    "events/seoul-reaction.md": """\
        ---
        date: 2023-11-18 09:00
        tz: Asia/Seoul
        title:
          ko: 한국의 반응
          en: Reaction in Korea
        ---
        <!-- ko -->
        한국 언론이 보도했다.[@korean-report]

        <!-- en -->
        The Korean press reported it.[@korean-report]
        """,
    "events/evening-memo.md": """\
        ---
        date: 2023-11-17 20:00
        title:
          en: An evening memo
        tags: [board]
        ---
        <!-- en -->
        A memo went out, recalling [the founding](../openai-founded/).[@openai-post]
        """,
}
ORDER = ["openai-founded", "capped-profit", "five-days", "altman-fired", "seoul-reaction", "evening-memo"]


Loaded = tuple[Content, dict[str, dict[str, str]], dict[str, list[EventView]]]


def load_site(folder: Path) -> Loaded:
    """Content, UI strings and each language's event views, as SiteRenderer makes them."""
    content, problems = load_content(folder)
    assert content is not None, [str(p) for p in problems.sorted()]
    strings = load_strings(Theme.builtin().strings, content.site.languages, Problems())
    events = {}
    for lang in content.site.languages:
        views = Views(content, lang, strings)
        events[lang] = [views.event(e) for e in content.events]
    return content, strings, events


def page_list(content: Content, strings: dict[str, dict[str, str]]) -> list[tuple[str, dict[str, str]]]:
    """Every HTML page with its versions, from the site's own plan."""
    return plan_site(content, strings).page_urls()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports") / "content"
    write_files(folder, base_files() | EXTRA)
    content, strings, events = load_site(folder)
    return content, strings, events, export_files(content, strings, events, page_list(content, strings))


def test_the_files_and_their_order(site):
    content, _strings, _events, files = site
    assert list(files) == ["en/feed.xml", "en/timeline.json", "ko/feed.xml", "ko/timeline.json",
                           "robots.txt", "sitemap.xml", "sources.json"]
    assert [e.slug for e in content.events] == ORDER
    assert all(isinstance(data, bytes) for data in files.values())


def test_output_is_deterministic_whatever_the_clock_and_zone(site, monkeypatch):
    content, strings, events, files = site
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        again = export_files(content, strings, events, list(reversed(page_list(content, strings))))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert again == files


# --- Atom -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang,other", [("ko", "en"), ("en", "ko")])
def test_feed_parses_and_describes_the_site(site, lang, other):
    content, _strings, _events, files = site
    feed = feedparser.parse(files[f"{lang}/feed.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == content.site.title[lang]
    assert feed.feed.subtitle == content.site.description[lang]
    assert feed.feed.language == lang
    self_link = next(link for link in feed.feed.links if link.rel == "self")
    assert self_link.href == f"{BASE}{lang}/feed.xml"
    # newest first by event date
    assert [entry.id for entry in feed.entries] == [f"{BASE}{lang}/events/{slug}/" for slug in reversed(ORDER)]
    for entry in feed.entries:
        slug = entry.id.split("/")[-2]
        alternates = {link.hreflang: link.href for link in entry.links if link.rel == "alternate"}
        assert alternates == {lang: f"{BASE}{lang}/events/{slug}/", other: f"{BASE}{other}/events/{slug}/"}


def test_feed_dates_come_from_the_content(site):
    _content, _strings, _events, files = site
    root = ET.fromstring(files["en/feed.xml"])
    updated = {e.find(f"{ATOM}id").text.split("/")[-2]: e.find(f"{ATOM}updated").text
               for e in root.iter(f"{ATOM}entry")}
    assert updated["altman-fired"] == "2023-11-17T12:23:00-08:00"
    assert updated["seoul-reaction"] == "2023-11-18T09:00:00+09:00"
    assert updated["capped-profit"] == "2019-01-01T00:00:00-08:00"
    # an old event with a recent correction: its entry and the feed are as new as the correction
    assert updated["openai-founded"] == "2024-01-10T00:00:00-08:00"
    assert root.find(f"{ATOM}updated").text == "2024-01-10T00:00:00-08:00"


def test_feed_content_carries_absolute_citations_notes_and_corrections(site):
    _content, strings, _events, files = site
    feed = feedparser.parse(files["ko/feed.xml"], sanitize_html=False)
    by_slug = {entry.id.split("/")[-2]: entry for entry in feed.entries}
    fired = by_slug["altman-fired"].content[0]
    assert fired.type == "text/html"
    assert f'href="{BASE}ko/events/altman-fired/#ref-ko-altman-fired-1"' in fired.value
    assert 'href="#' not in fired.value and "cite-ko-" not in fired.value
    assert strings["ko"]["notes_heading"] in fired.value
    assert 'href="https://openai.com/blog/openai-announces-leadership-transition"' in fired.value
    assert f'href="{BASE}ko/sources/#src-korean-report"' in fired.value  # no URL: our list of sources
    assert "오픈AI, 경영진 교체 발표" in fired.value  # the translated title
    assert "2023년 11월 17일 (금) 오후 12:23 (현지시간)" in fired.value
    founded = by_slug["openai-founded"].content[0].value
    assert strings["ko"]["corrections_heading"] in founded
    assert founded.index("출처를 더했다.") < founded.index("설립 연도를 바로잡았다.")  # newest first
    assert "Added a source." not in founded
    categories = [(tag.term, tag.label) for tag in by_slug["capped-profit"].tags]
    assert categories == [("board", "이사회")]


def test_untranslated_entry_is_marked_with_its_language(site):
    _content, strings, _events, files = site
    root = ET.fromstring(files["ko/feed.xml"])
    memo = next(e for e in root.iter(f"{ATOM}entry") if e.find(f"{ATOM}id").text.endswith("/evening-memo/"))
    assert memo.find(f"{ATOM}title").get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    html = memo.find(f"{ATOM}content").text
    assert '<div lang="en">' in html
    assert strings["ko"]["not_translated"].split("{")[0] in html
    # a relative link in the body is resolved against the event's own page
    assert f'href="{BASE}ko/events/openai-founded/"' in html


# --- TimelineJS -------------------------------------------------------------------------

def timeline(files: dict[str, bytes], lang: str) -> dict:
    return json.loads(files[f"{lang}/timeline.json"])


def test_timeline_json_shape(site):
    _content, _strings, events, files = site
    data = timeline(files, "ko")
    assert data["title"]["text"] == {"headline": "시험 연표", "text": "<p>시험용 사이트</p>"}
    slides = {slide["unique_id"]: slide for slide in data["events"]}
    assert list(slides) == ORDER
    ko = {view.slug: view for view in events["ko"]}
    assert slides["capped-profit"]["start_date"] == {"year": 2019, "display_date": "2019년"}
    assert slides["openai-founded"]["start_date"] == {"year": 2015, "month": 12, "display_date": "2015년 12월"}
    assert slides["five-days"]["start_date"] == {"year": 2023, "month": 11, "day": 17,
                                                 "display_date": ko["five-days"].date.text}
    assert slides["five-days"]["end_date"] == {"year": 2023, "month": 11, "day": 22,
                                               "display_date": ko["five-days"].date.end_text}
    assert slides["altman-fired"]["start_date"] == {"year": 2023, "month": 11, "day": 17, "hour": 12, "minute": 23,
                                                    "display_date": ko["altman-fired"].date.text}
    # on the site's axis (Los Angeles), 09:00 in Seoul is 16:00 the day before: before the 20:00 memo
    assert slides["seoul-reaction"]["start_date"] | {"display_date": ""} == {
        "year": 2023, "month": 11, "day": 17, "hour": 16, "minute": 0, "display_date": ""}
    assert "오전 9:00" in slides["seoul-reaction"]["start_date"]["display_date"]
    assert ko["altman-fired"].date.home in slides["altman-fired"]["display_date"]
    assert slides["altman-fired"]["group"] == "이사회" and "group" not in slides["five-days"]
    fired = slides["altman-fired"]["text"]
    assert f'href="{BASE}ko/events/altman-fired/#ref-ko-altman-fired-1"' in fired["text"]
    assert fired["headline"] == f'<a href="{BASE}ko/events/altman-fired/">올트먼 해임</a>'
    capped = next(slide for slide in timeline(files, "en")["events"] if slide["unique_id"] == "capped-profit")
    assert ">Capped profit &amp; the &lt;board&gt;</a>" in capped["text"]["headline"]
    # an era runs to the start of the period after its `end`, both ends at the finer precision
    assert data["eras"] == [
        {"start_date": {"year": 2015}, "end_date": {"year": 2023}, "text": {"headline": "초기"}},
        {"start_date": {"year": 2023, "month": 11, "day": 1}, "end_date": {"year": 2023, "month": 11, "day": 17},
         "text": {"headline": "직전"}},
        {"start_date": {"year": 2023, "month": 11, "day": 17}, "end_date": {"year": 2024, "month": 7, "day": 1},
         "text": {"headline": "위기"}},
    ]


@pytest.fixture
def timelinejs(browser):
    """The browser, once TimelineJS's files are there (npm @knight-lab/timelinejs)."""
    require((TIMELINEJS / "js" / "timeline.js").exists(), "TimelineJS (npm @knight-lab/timelinejs)")
    return browser


TIMELINE_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>timeline</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="tl/css/timeline.css"><script src="tl/js/timeline.js"></script></head>
<body><div id="timeline" style="width: 1200px; height: 700px"></div>
<script>
  window.timeline = new TL.Timeline("timeline", "{lang}/timeline.json",
    {{script_path: new URL("tl/js/", location.href).href, font: null, language: "{lang}"}});
  window.timeline.on("loaded", () => {{ window.timelineLoaded = true; }});
</script></body></html>
"""


def show_in_timelinejs(browser, folder: Path, lang: str, zone: str) -> dict:
    """Open `folder/<lang>/timeline.json` in TimelineJS; what it shows and what it requested."""
    (folder / "tl").symlink_to(TIMELINEJS, target_is_directory=True)
    (folder / f"{lang}.html").write_text(TIMELINE_PAGE.format(lang=lang), encoding="utf-8")
    httpd, base = start_server(folder)
    context = browser.new_context(timezone_id=zone)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    try:
        page.goto(base + f"{lang}.html")
        # loaded, or refused: TimelineJS then only shows its error message
        page.wait_for_function("window.timelineLoaded === true || "
                               "(timeline.config && timeline.config.messages.errors.length > 0)", timeout=20_000)
        shown = page.evaluate("""() => ({
            slides: document.querySelectorAll('#timeline .tl-slide').length,
            titles: document.querySelectorAll('#timeline .tl-slide-titleslide').length,
            order: timeline.config.events.map(e => e.unique_id),
            configErrors: timeline.config.messages.errors.map(String),
            citations: Array.from(document.querySelectorAll('#timeline .tl-slide sup.cite a')).map(a => a.href),
            language: timeline.language.lang,
        })""")
    finally:
        context.close()
        httpd.shutdown()
    return shown | {"requests": requests, "errors": errors, "base": base}


@pytest.mark.browser
@pytest.mark.parametrize("lang,zone", [("ko", "Asia/Seoul"), ("en", "America/New_York")])
def test_timelinejs_shows_a_slide_per_event_offline(site, timelinejs, tmp_path, lang, zone):
    content, _strings, _events, files = site
    (tmp_path / lang).mkdir()
    (tmp_path / lang / "timeline.json").write_bytes(files[f"{lang}/timeline.json"])
    shown = show_in_timelinejs(timelinejs, tmp_path, lang, zone)
    assert shown["configErrors"] == [] and shown["errors"] == []
    assert shown["slides"] == len(content.events) + 1 and shown["titles"] == 1
    assert shown["order"] == ORDER  # TimelineJS sorts by its date fields: it must keep ours
    assert shown["language"] == lang  # its locale file came from the local script_path
    assert f"{BASE}{lang}/events/altman-fired/#ref-{lang}-altman-fired-1" in shown["citations"]
    assert shown["requests"] and all(url.startswith(shown["base"]) for url in shown["requests"]), shown["requests"]


@pytest.fixture(scope="module")
def real():
    """The project's own content, exported."""
    content, strings, events = load_site(ROOT / "content")
    return content, export_files(content, strings, events, page_list(content, strings))


@pytest.mark.browser
def test_timelinejs_keeps_the_order_of_the_real_chronicle(real, timelinejs, tmp_path):
    from quality import build_real_site

    content, _files = real
    site = build_real_site(tmp_path / "site", "https://example.org/")  # with its pictures, served from here
    (tmp_path / "ko").mkdir()
    (tmp_path / "ko" / "timeline.json").write_text(
        (site / "ko/timeline.json").read_text("utf-8").replace("https://example.org/", "../"), "utf-8")
    (tmp_path / "media").symlink_to(site / "media", target_is_directory=True)
    shown = show_in_timelinejs(timelinejs, tmp_path, "ko", "Asia/Seoul")
    assert shown["configErrors"] == [] and shown["errors"] == []
    assert shown["slides"] == len(content.events) + 1
    assert shown["order"] == [e.slug for e in content.events]
    assert all(url.startswith(shown["base"]) for url in shown["requests"]), shown["requests"]


def test_real_feeds_parse(real):
    content, files = real
    for lang in content.site.languages:
        feed = feedparser.parse(files[f"{lang}/feed.xml"])
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert len(feed.entries) == min(len(content.events), FEED_LIMIT)


def test_a_long_chronicle_feeds_its_newest_events_and_exports_every_event(tmp_path):
    long_chronicle(tmp_path / "content")
    project = Project(tmp_path / "content", tmp_path / "out")
    assert build(project).ok
    content, _ = load_content(tmp_path / "content")
    newest = [e.slug for e in reversed(content.events)][:FEED_LIMIT]
    feed = feedparser.parse((tmp_path / "out/en/feed.xml").read_bytes())
    assert feed.bozo == 0 and [entry.id.split("/")[-2] for entry in feed.entries] == newest
    slides = json.loads((tmp_path / "out/en/timeline.json").read_text())["events"]
    assert [s["unique_id"] for s in slides] == [e.slug for e in content.events]


# --- CSL-JSON ---------------------------------------------------------------------------

CSL_FIELDS = {"id", "type", "genre", "title", "container-title", "issued", "language", "URL", "note", "custom"}
CSL_TYPES = set(SOURCE_KINDS.values()) | {"webpage"}


def check_csl(items: object, content: Content) -> None:
    """The shape CSL processors (citeproc-js, pandoc) need, and our sources in it."""
    assert isinstance(items, list)
    assert [item["id"] for item in items] == sorted(content.sources)
    for item in items:
        source = content.sources[item["id"]]
        assert set(item) <= CSL_FIELDS, set(item) - CSL_FIELDS
        assert {"id", "type", "title", "container-title", "issued", "language"} <= set(item)
        assert item["type"] in CSL_TYPES
        assert all(isinstance(item[k], str) and item[k] for k in ("id", "title", "container-title", "language"))
        parts = item["issued"]["date-parts"]
        assert list(item["issued"]) == ["date-parts"] and len(parts) == 1 and 1 <= len(parts[0]) <= 3
        assert all(isinstance(part, int) for part in parts[0])
        expected = {"year": 1, "month": 2, "day": 3, "period": 3, "minute": 3}[source.date.precision]
        assert len(parts[0]) == expected, (item["id"], parts)
        assert item.get("URL") == source.url
        for code, title in source.translated_title.items():
            if code != source.lang:
                assert f"[{code}] {title}" in item["note"] and item["custom"]["translated-title"][code] == title


def test_sources_are_csl_json(site):
    content, _strings, _events, files = site
    items = json.loads(files["sources.json"])
    check_csl(items, content)
    by_id = {item["id"]: item for item in items}
    assert by_id["openai-post"] == {
        "id": "openai-post", "type": "webpage", "genre": "official", "title": "OpenAI announces leadership transition",
        "container-title": "OpenAI", "issued": {"date-parts": [[2023, 11, 17]]}, "language": "en",
        "URL": "https://openai.com/blog/openai-announces-leadership-transition",
        "note": "[ko] 오픈AI, 경영진 교체 발표", "custom": {"translated-title": {"ko": "오픈AI, 경영진 교체 발표"}}}
    assert "URL" not in by_id["korean-report"] and by_id["korean-report"]["language"] == "ko"
    assert by_id["korean-report"]["type"] == "article-newspaper" and by_id["korean-report"]["genre"] == "wire"


def test_real_sources_are_csl_json(real):
    content, files = real
    check_csl(json.loads(files["sources.json"]), content)


# --- sitemap and robots.txt -------------------------------------------------------------

def test_sitemap_lists_every_page_with_its_alternates(site, tmp_path):
    content, strings, _events, files = site
    root = ET.fromstring(files["sitemap.xml"])
    assert root.tag == f"{SITEMAP}urlset"
    entries = {url.find(f"{SITEMAP}loc").text: {link.get("hreflang"): link.get("href")
                                                 for link in url.findall(f"{XHTML}link")}
               for url in root.findall(f"{SITEMAP}url")}
    expected = {BASE + url for url, _ in page_list(content, strings)
                if url != urls.NOT_FOUND and not urls.is_embed(url)}  # pages for frames are not indexed
    assert set(entries) == expected and len(root) == len(expected)
    assert {f"{BASE}{lang}/{kind}/" for lang in ("ko", "en") for kind in ("sources", "tags", "people", "both")} \
        | {f"{BASE}{lang}/events/{slug}/" for lang in ("ko", "en") for slug in ORDER} <= expected
    assert entries[f"{BASE}en/events/altman-fired/"] == {
        "ko": f"{BASE}ko/events/altman-fired/", "en": f"{BASE}en/events/altman-fired/",
        "x-default": f"{BASE}ko/events/altman-fired/"}
    assert entries[BASE] == {}
    assert all(link.get("rel") == "alternate" for link in root.iter(f"{XHTML}link"))
    if shutil.which("xmllint"):
        for name in ("sitemap.xml", "ko/feed.xml", "en/feed.xml"):
            path = tmp_path / name.replace("/", "-")
            path.write_bytes(files[name])
            done = subprocess.run(["xmllint", "--noout", "--nonet", str(path)], capture_output=True, text=True)
            assert done.returncode == 0, done.stderr


def test_the_sitemap_names_exactly_the_pages_a_build_writes(make_site):
    built = make_site(base_url=BASE)
    assert built.result.ok, built.messages
    root = ET.fromstring((built.out / "sitemap.xml").read_bytes())
    listed = {url.find(f"{SITEMAP}loc").text.removeprefix(BASE) for url in root.findall(f"{SITEMAP}url")}
    written = {path.relative_to(built.out).parent.as_posix() + "/" for path in built.out.rglob("index.html")}
    assert listed == {"" if url == "./" else url for url in written if not urls.is_embed(url)}


def test_robots_points_at_the_sitemap(site):
    _content, _strings, _events, files = site
    assert files["robots.txt"].decode() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
