"""Figures and quoted posts: front matter and Markdown images built into pictures with
derivatives, credits and captions; posts as static cards; every fault at path:line."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from PIL import Image

from conftest import FIRED_MD, ROOT

EVENT = "events/altman-fired.md"
GPS = 0x8825
ORIENTATION = 0x0112


def photo(width: int = 2000, height: int = 1200, orientation: int | None = None, fmt: str = "JPEG") -> bytes:
    """A test photograph as a phone saves it: EXIF with a GPS position (and an orientation)."""
    image = Image.new("RGB", (width, height), (200, 80, 40))
    for x in range(0, width, 50):  # some detail, so that sizes differ by width
        image.paste((20, 40, 160), (x, 0, x + 20, height // 3))
    exif = Image.Exif()
    exif[GPS] = {1: "N", 2: (37.0, 33.0, 0.0), 3: "E", 4: (126.0, 58.0, 0.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, fmt, exif=exif) if fmt in ("JPEG", "PNG", "WEBP") else image.save(out, fmt)
    return out.getvalue()


MEDIA = """\
media:
  - image: photo.jpg
    alt: {ko: 주황색 바탕에 파란 줄무늬, en: Blue stripes on orange}
    caption: {ko: 시험 사진, en: A test photo}
    credit: "Photo: Test Desk"
    license: CC BY 4.0
  - post: https://x.com/sama/status/1725631621511184771
    author: sam-altman
    date: 2023-11-17 15:46
    tz: America/Los_Angeles
    text: {en: "i loved my time at openai.\\n\\nwill have more to say later."}
    cite: korean-report
  - video: https://www.youtube.com/watch?v=abc
    poster: poster.png
    alt: {ko: 기자회견 장면, en: The press conference}
    credit: {ko: "영상: 시험 방송", en: "Video: Test TV"}
"""


def with_media(media: str = MEDIA, body: str | None = None) -> str:
    text = FIRED_MD.replace("people: [sam-altman]\n", "people: [sam-altman]\n" + media)
    return text if body is None else text.replace("The board fired Sam Altman.[@openai-post]\n", body)


@pytest.fixture
def media_site(make_site):
    return make_site({EVENT: with_media(), "events/photo.jpg": photo(orientation=6),
                      "media/poster.png": photo(800, 450, fmt="PNG")})


def test_a_figure_is_a_picture_with_derivatives_size_alt_caption_and_credit(media_site):
    assert media_site.result.ok, media_site.messages
    expected = (("ko", "주황색 바탕에 파란 줄무늬", "시험 사진"), ("en", "Blue stripes on orange", "A test photo"))
    for lang, alt, caption in expected:
        page = media_site.soup(f"{lang}/events/altman-fired/index.html")
        figure = page.select_one("article figure.figure")
        picture = figure.select_one("picture")
        img = picture.select_one("img")
        # the photo was stored sideways (orientation 6): the page shows it upright, 1200 x 2000
        assert (img["width"], img["height"]) == ("1200", "2000")
        assert img["alt"] == alt and "loading" not in img.attrs, "the first figure leads the page: not lazy"
        types = [source["type"] for source in picture.select("source")]
        assert types[-1] == "image/webp" and set(types) <= {"image/avif", "image/webp"}
        for srcset in [s["srcset"] for s in picture.select("source")] + [img["srcset"]]:
            assert [c.split()[1] for c in srcset.split(", ")] == ["480w", "960w", "1200w"]
        assert img["src"].endswith("-1200.jpg")
        for candidate in [c.split()[0] for s in picture.select("source, img") for c in s["srcset"].split(", ")]:
            assert not candidate.startswith(("http", "//")), "pictures are the site's own"
            assert (media_site.out / f"{lang}/events/altman-fired" / candidate).resolve().is_file()
        assert figure.select_one("figcaption .caption").text == caption
        assert figure.select_one("figcaption .credit").text == "Photo: Test Desk · CC BY 4.0"


def test_derivatives_carry_no_exif_and_are_upright(media_site):
    files = sorted((media_site.out / "media").iterdir())
    formats = 3 if any(f.suffix == ".avif" for f in files) else 2  # AVIF where Pillow can write it
    assert len(files) == formats * (3 + 2), "the photo in 480, 960, 1200; the 800 px poster in 480, 800"
    for path in files:
        with Image.open(path) as image:
            assert GPS not in image.getexif() and ORIENTATION not in image.getexif(), path.name
            assert "exif" not in image.info and "xmp" not in image.info, path.name
    with Image.open(next(p for p in files if p.name.endswith("-1200.jpg"))) as upright:
        assert upright.size == (1200, 2000)
    assert b"GPS" not in b"".join(p.read_bytes() for p in files)


def test_the_timeline_card_shows_the_first_figure_small_and_lazy(media_site):
    card = media_site.soup("en/index.html").select_one("#altman-fired")
    img = card.select_one("figure.figure-card img")
    assert img["loading"] == "lazy" and img["sizes"] == "8rem" and img["src"].endswith("-480.jpg")
    assert card.select_one("figure.figure-card figcaption").text.strip() == "Photo: Test Desk"


def test_a_post_is_a_static_card_with_its_text_as_posted_and_translations_marked(media_site):
    en = media_site.soup("en/events/altman-fired/index.html")
    post = en.select_one("figure.post")
    assert post.select_one("blockquote")["cite"] == "https://x.com/sama/status/1725631621511184771"
    assert post.select_one(".post-text p").text == "i loved my time at openai.\n\nwill have more to say later."
    assert post.select_one("time")["datetime"] == "2023-11-17T15:46-08:00"
    assert post.select_one(".post-author a")["href"] == "../../people/sam-altman/"
    assert not post.select(".post-translated"), "shown as posted"
    cite = post.select_one("sup.cite a")
    note = en.select_one(cite["href"])
    assert note is not None and "연합뉴스" in note.text
    assert en.select_one("#" + note.select_one("a.note-back")["href"][1:]) is not None, "the note links back"
    ko = media_site.soup("ko/events/altman-fired/index.html").select_one("figure.post")
    assert ko.select_one(".post-text")["lang"] == "en", "no Korean text: the original, marked as English"
    assert not ko.select(".post-original")
    assert not en.select("iframe, script[src^='http'], img[src^='http']"), "no request leaves the site"


def test_a_translated_post_says_so_and_keeps_the_original(make_site):
    media = MEDIA.replace('text: {en: "i loved my time at openai.\\n\\nwill have more to say later."}',
                          'text: {en: "i loved my time at openai", ko: "오픈AI에서 보낸 시간이 좋았다"}')
    built = make_site({EVENT: with_media(media), "events/photo.jpg": photo(), "media/poster.png": photo(fmt="PNG")})
    assert built.result.ok, built.messages
    post = built.soup("ko/events/altman-fired/index.html").select_one("figure.post")
    assert post.select_one(".post-text p").text == "오픈AI에서 보낸 시간이 좋았다"
    assert "영어 원문 번역" in post.select_one(".post-translated").text
    original = post.select_one(".post-original blockquote")
    assert original["lang"] == "en" and original.text.strip() == "i loved my time at openai"


def test_a_video_is_its_poster_linking_out(media_site):
    page = media_site.soup("en/events/altman-fired/index.html")
    video = page.select("figure.figure")[-1]
    link = video.select_one("a.video-link")
    assert link["href"] == "https://www.youtube.com/watch?v=abc" and link.select_one("picture img")["alt"]
    assert "Watch the video on www.youtube.com" in link.text
    assert video.select_one(".credit").text == "Video: Test TV"
    assert page.select_one("figure.figure + figure.post, figure.post") is not None


def test_a_markdown_image_becomes_the_figure_in_place(make_site):
    body = ("The board fired Sam Altman.[@openai-post]\n\n![Stripes, seen from above](photo.jpg \"Seen from above\")"
            "\n\nAfter the picture.\n")
    media = MEDIA.split("  - post:")[0]
    built = make_site({EVENT: with_media(media, body), "events/photo.jpg": photo()})
    assert built.result.ok, built.messages
    page = built.soup("en/events/altman-fired/index.html")
    prose = page.select_one(".prose")
    figure = prose.select_one("figure.figure")
    assert figure.select_one("img")["alt"] == "Stripes, seen from above"
    assert figure.select_one(".caption").text == "Seen from above"
    assert figure.select_one(".credit").text.startswith("Photo: Test Desk")
    assert "![" not in page.text and not page.select(".figure-slot")
    assert len(page.select("figure.figure")) == 1, "placed in the text, not repeated after it"
    assert page.select_one("figure.figure-lead") is None
    # the Korean text does not show it in place: there it leads the page as listed
    assert built.soup("ko/events/altman-fired/index.html").select_one("figure.figure-lead img")["alt"] == \
        "주황색 바탕에 파란 줄무늬"


@pytest.mark.parametrize("media, files, expected", [
    ("media:\n  - image: missing.jpg\n    alt: {ko: 가, en: A}\n    credit: X\n", {},
     "altman-fired.md:9: `missing.jpg` was not found beside the event"),
    ("media:\n  - image: photo.jpg\n    alt: {en: A}\n    credit: X\n", {"events/photo.jpg": photo()},
     "altman-fired.md:10: `alt` lacks ko"),
    ("media:\n  - image: photo.jpg\n    alt: {ko: 가, en: A}\n", {"events/photo.jpg": photo()},
     "altman-fired.md:9: a media `image` needs `credit`"),
    ("media:\n  - image: photo.jpg\n    alt: {ko: 가, en: A}\n    credit: X\n", {"events/photo.jpg": b"not an image"},
     "altman-fired.md:9: `photo.jpg`: not an image Pillow can read"),
    ("media:\n  - image: photo.bmp\n    alt: {ko: 가, en: A}\n    credit: X\n", {"events/photo.bmp": photo(fmt="BMP")},
     "altman-fired.md:9: `photo.bmp`: BMP images are not supported; use JPEG, PNG, WebP or GIF"),
    ("media:\n  - image: huge.png\n    alt: {ko: 가, en: A}\n    credit: X\n", {"events/huge.png": "huge"},
     "altman-fired.md:9: `huge.png`: the image is 8000 x 5001 (40 megapixels); at most 40"),
    ("media:\n  - image: https://example.com/a.jpg\n    alt: {ko: 가, en: A}\n    credit: X\n", {},
     "altman-fired.md:9: remote image `https://example.com/a.jpg`: every reader's browser would fetch it"),
    ("media:\n  - image: ../../secret.jpg\n    alt: {ko: 가, en: A}\n    credit: X\n", {},
     "altman-fired.md:9: `../../secret.jpg` must be a file name beside the event or in content/media/"),
    ("media:\n  - post: https://x.com/a/status/1\n    author: Someone\n    text: {en: hi}\n", {},
     "altman-fired.md:9: a quoted post needs `date`"),
    ("media:\n  - post: https://x.com/a/status/1\n    author: Someone\n    date: 2023-11-17\n", {},
     "altman-fired.md:9: a quoted post needs `text`"),
    ("media:\n  - post: https://x.com/a/status/1\n    author: greg-brockman\n    date: 2023-11-17\n"
     "    text: {en: hi}\n", {}, "altman-fired.md:10: unknown person `greg-brockman`"),
    ("media:\n  - photo: a.jpg\n", {}, "altman-fired.md:9: a media entry starts with one of `image:`, `post:` or"),
    ("media: a.jpg\n", {}, "altman-fired.md:8: `media` must be a list"),
    ("media:\n  - post: https://x.com/a/status/1\n    author: Someone\n    date: 2023-11-17\n    text: {en: hi}\n"
     "    cite: nosuch\n", {}, "altman-fired.md:13: unknown source `nosuch`"),
], ids=["missing file", "alt missing a language", "no credit", "unreadable", "unsupported format", "too large",
        "remote image", "outside the content folder", "post without date", "post without text", "unknown author key",
        "unknown kind", "not a list", "unknown cited source"])
def test_media_mistakes_are_reported_at_their_line(make_site, media, files, expected):
    if files.get("events/huge.png") == "huge":
        out = io.BytesIO()
        Image.new("1", (8000, 5001)).save(out, "PNG")
        files = {"events/huge.png": out.getvalue()}
    built = make_site({EVENT: with_media(media), **files})
    assert not built.result.ok
    assert any(expected in message for message in built.messages), built.messages


def test_a_warm_build_encodes_nothing_and_derivatives_are_deterministic(tmp_path):
    from conftest import base_files, write_files

    write_files(tmp_path / "content", {**base_files(), EVENT: with_media(MEDIA.split("  - post:")[0]),
                                       "events/photo.jpg": photo()})

    def build(out: str, cache: str) -> None:
        run = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", "content", "--out", out,
                              "--cache", cache], cwd=tmp_path, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr

    build("_site", "cache")
    cached = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("media-*/*")}
    assert len(cached) >= 6
    (tmp_path / "_site/media").joinpath("x").write_text("")  # not ours: kept
    build("_site", "cache")
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("media-*/*")} == cached, \
        "nothing encoded again"
    build("other", "other-cache")  # a cold build elsewhere makes the same bytes
    for path in (tmp_path / "other/media").iterdir():
        assert path.read_bytes() == (tmp_path / "_site/media" / path.name).read_bytes(), path.name


def test_an_edited_image_gets_new_derivatives_and_the_page_follows(make_site):
    first = make_site({EVENT: with_media(MEDIA.split("  - post:")[0]), "events/photo.jpg": photo()})
    before = first.soup("en/events/altman-fired/index.html").select_one("figure img")["src"]
    second = make_site({EVENT: with_media(MEDIA.split("  - post:")[0]), "events/photo.jpg": photo(1000, 600)})
    after = second.soup("en/events/altman-fired/index.html").select_one("figure img")
    assert after["src"] != before and after["width"] == "1000"
    assert not (second.out / before.replace("../", "")).exists(), "the old derivatives are removed"


def test_link_previews_structured_data_and_exports_carry_the_picture(media_site):
    import json

    import feedparser

    page = media_site.soup("en/events/altman-fired/index.html")
    meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in page.select("meta[content]")}
    assert meta["og:image"].startswith("https://example.org/media/") and meta["og:image"].endswith("-1200.jpg")
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == ("1200", "2000", "image/jpeg")
    assert meta["og:image:alt"] == "Blue stripes on orange" and meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    scripts = page.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["url"] == "https://example.org/en/events/altman-fired/" and data["inLanguage"] == "en"
    assert data["about"] == {"@type": "Event", "name": "Altman fired", "startDate": "2023-11-17T12:23-08:00"}
    assert data["workTranslation"] == [{"@type": "NewsArticle", "inLanguage": "ko",
                                        "url": "https://example.org/ko/events/altman-fired/"}]
    assert data["image"]["url"] == meta["og:image"] and data["image"]["creditText"] == "Photo: Test Desk"
    cited = {work["publisher"]["name"]: work for work in data["citation"]}
    assert cited["OpenAI"]["url"] == "https://openai.com/blog/openai-announces-leadership-transition"
    assert cited["연합뉴스"]["inLanguage"] == "ko" and cited["연합뉴스"]["datePublished"] == "2023-11-18"
    founded = media_site.soup("en/events/openai-founded/index.html")
    assert founded.select_one('meta[name="twitter:card"]')["content"] == "summary", "no picture: a summary card"
    assert founded.select_one('meta[property="og:image"]') is None
    slides = {s["unique_id"]: s for s in json.loads((media_site.out / "en/timeline.json").read_text())["events"]}
    assert slides["altman-fired"]["media"] == {
        "url": meta["og:image"], "thumbnail": meta["og:image"].replace("-1200.jpg", "-480.jpg"),
        "alt": "Blue stripes on orange", "caption": "A test photo", "credit": "Photo: Test Desk · CC BY 4.0"}
    assert "media" not in slides["openai-founded"]
    feed = feedparser.parse((media_site.out / "en/feed.xml").read_bytes())
    assert feed.bozo == 0
    entry = next(e for e in feed.entries if e.link.endswith("/altman-fired/"))
    assert [(link.rel, link.href) for link in entry.links if link.rel == "enclosure"] == [("enclosure",
                                                                                          meta["og:image"])]
    assert 'src="https://example.org/media/' in entry.content[0].value and "<figure>" in entry.content[0].value


def test_the_site_picture_stands_in_for_pages_without_one(make_site):
    from conftest import SITE_YAML

    built = make_site({"site.yaml": SITE_YAML + "share_image:\n  image: cover.png\n  alt: {ko: 표지, en: Cover}\n",
                       "media/cover.png": photo(1200, 630, fmt="PNG")})
    assert built.result.ok, built.messages
    page = built.soup("en/index.html")
    assert page.select_one('meta[property="og:image"]')["content"].endswith("-1200.png")
    assert page.select_one('meta[property="og:image:alt"]')["content"] == "Cover"
    assert page.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
    broken = make_site({"site.yaml": SITE_YAML + "share_image:\n  image: nosuch.png\n  alt: {ko: 표지, en: Cover}\n"})
    assert any("site.yaml:" in m and "`nosuch.png` was not found" in m for m in broken.messages), broken.messages


def test_structured_data_cannot_be_closed_by_the_content(make_site):
    title = "ko: 올트먼 해임\n  en: \"</script><script>alert(1)</script>\""
    built = make_site({EVENT: FIRED_MD.replace("ko: 올트먼 해임\n  en: Altman fired", title)})
    assert built.result.ok, built.messages
    html = (built.out / "en/events/altman-fired/index.html").read_text()
    script = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in script and "\\u003c/script\\u003e" in script


@pytest.mark.browser
def test_timelinejs_shows_the_picture_with_its_caption_and_credit(make_site, tmp_path, browser):
    from test_exports import TIMELINE_PAGE, TIMELINEJS

    from quality import require, start_server

    require((TIMELINEJS / "js" / "timeline.js").exists(), "TimelineJS (npm @knight-lab/timelinejs)")
    httpd, base = start_server(tmp_path)
    try:
        built = make_site({EVENT: with_media(), "events/photo.jpg": photo(), "media/poster.png": photo(fmt="PNG")},
                          base_url=base + "_site/")
        assert built.result.ok, built.messages
        (built.out / "tl").symlink_to(TIMELINEJS, target_is_directory=True)
        (built.out / "en.html").write_text(TIMELINE_PAGE.format(lang="en"), encoding="utf-8")
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + "_site/en.html")
        page.wait_for_function("window.timelineLoaded === true", timeout=20_000)
        page.evaluate("timeline.goToId('altman-fired')")
        image = page.wait_for_selector("#altman-fired-slide .tl-media-image, .tl-slide .tl-media-image")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image)
        assert image.get_attribute("alt") == "Blue stripes on orange"
        media = page.eval_on_selector(".tl-slide-content-container:has(.tl-media-image)", "e => e.innerText")
        assert "A test photo" in media and "Photo: Test Desk" in media
        assert all(url.startswith(base) for url in requests), "the picture is the site's own"
        page.close()
    finally:
        httpd.shutdown()
