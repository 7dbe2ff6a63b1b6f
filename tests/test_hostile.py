"""Hostile and careless input: whatever an author (or an attacker) writes, `check` and `build`
answer with `path:line: message` and exit 1, never a traceback, and never leave the output changed.

Each row is an input that crashed the build, hung it or slipped past the checks before; the
message is the one a user now reads."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, base_files, write_files

EVENT = "events/altman-fired.md"
SITE = base_files()["site.yaml"]


def event(body: str = "<!-- ko -->\n본문.[@openai-post]\n\n<!-- en -->\nBody.[@openai-post]\n", front: str = "",
          date: str = "2023-11-17") -> str:
    return f"---\ndate: {date}\ntitle:\n  ko: 제목\n  en: Title\n{front}---\n{body}"


def body(ko: str, en: str = "Body.[@openai-post]") -> str:
    return event(f"<!-- ko -->\n{ko}\n\n<!-- en -->\n{en}\n")


ALIAS_BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
HTML = "(it would bypass escaping); write Markdown instead"
LINK = "is not allowed; links must be http(s), mailto or relative"

CASES: dict[str, tuple[dict[str, str | None], str]] = {
    # Markdown: the checks see what Python-Markdown parses
    "citation between fake fences": (
        {EVENT: body("본문.[@openai-post]\n\n```\n\n[@nobody] <script>x</script>\n\n```")},
        f"altman-fired.md:12: raw HTML `<script>` is not allowed {HTML}"),
    "entity-encoded javascript link": ({EVENT: body("[x](java&#115;cript:alert(1)) 본문.[@openai-post]")},
                                       f"altman-fired.md:8: link `javascript:alert(1)` {LINK}"),
    "javascript link with a tab": ({EVENT: body("[x](java\tscript:alert(1)) 본문.[@openai-post]")},
                                   f"altman-fired.md:8: link `javascript:alert(1)` {LINK}"),
    "reference link to javascript": ({EVENT: body("[x][1] 본문.[@openai-post]\n\n[1]: javascript:alert(1)")},
                                     f"altman-fired.md:10: link `javascript:alert(1)` {LINK}"),
    "raw HTML split over lines": ({EVENT: body("본문 <span\nonclick=x>y</span>.[@openai-post]")},
                                  f"altman-fired.md:8: raw HTML `<span onclick=x>` is not allowed {HTML}"),
    "svg onload": ({EVENT: body("<svg/onload=alert(1)> 본문.[@openai-post]")},
                   f"altman-fired.md:8: raw HTML `<svg/onload=alert(1)>` is not allowed {HTML}"),
    "an image inside a sentence": ({EVENT: body("![사진](photo.jpg) 본문.[@openai-post]")},
                                   "altman-fired.md:8: an image must stand in a paragraph of its own"),
    "a remote image": ({EVENT: body("본문.[@openai-post]\n\n![사진](https://tracker.example/p.gif)")},
                       "altman-fired.md:10: remote image `https://tracker.example/p.gif`"),
    "a protocol-relative image": ({EVENT: body("본문.[@openai-post]\n\n![사진](//tracker.example/p.gif)")},
                                  "altman-fired.md:10: remote image `//tracker.example/p.gif`"),
    "an image without alt text": ({EVENT: body("본문.[@openai-post]\n\n![](photo.jpg)")},
                                  "altman-fired.md:10: an image needs its alt text in this language"),
    "an image not listed in media": ({EVENT: body("본문.[@openai-post]\n\n![사진](photo.jpg)")},
                                     "altman-fired.md:10: `photo.jpg` is shown in the text but not listed under "
                                     "`media:`"),
    "unknown note type": ({EVENT: body("> [!WARNING]\n> 본문.[@openai-post]")},
                          "altman-fired.md:8: unknown note type `[!WARNING]`; use [!NOTE] or [!DISPUTED]"),
    "300 nested brackets": ({EVENT: body("[" * 300 + "x" + "]" * 300 + ".[@openai-post]")},
                            "altman-fired.md:8: more than 16 brackets are open at once here; simplify the text"),
    "a 40 KB line of nested brackets": ({EVENT: body("[a" * 20000)},
                                        "altman-fired.md:8: the text is 40,001 characters long; split it"),
    "unclosed links, 10,000 times": ({EVENT: body("[a](" * 10000)}, "altman-fired.md:8: the text is 40,001"),
    "unclosed links in one paragraph": ({EVENT: body("[a](b " * 10 + "[a] " * 400)},
                                        "altman-fired.md:8: one paragraph holds more than 400 brackets"),
    "a list 250 levels deep": ({EVENT: body("".join("  " * i + "- x\n" for i in range(40)))},
                               "the text is indented or quoted more than 32 levels deep; flatten it"),
    "quotes 250 levels deep": ({EVENT: body(">" * 250 + " x")},
                               "altman-fired.md:8: the text is indented or quoted more than 32 levels deep"),
    # YAML: plain data only
    "alias bomb": ({EVENT: event(front=ALIAS_BOMB)},
                   "altman-fired.md:6: YAML anchors and aliases (`&name`, `*name`) are not allowed here"),
    "!!timestamp": ({EVENT: event(date="!!timestamp 2023-02-30")},
                    "altman-fired.md:2: the YAML tag `!!timestamp` is not allowed here; write plain text"),
    "!!int abc": ({EVENT: event(front="order: !!int abc\n")}, "altman-fired.md:6: the YAML tag `!!int` is not allowed"),
    "!!float abc": ({EVENT: event(front="order: !!float abc\n")}, "altman-fired.md:6: the YAML tag `!!float`"),
    "!!bool maybe": ({EVENT: event(front="approximate: !!bool maybe\n")}, "altman-fired.md:6: the YAML tag `!!bool`"),
    "!!binary": ({"tags.yaml": "board: !!binary aGVsbG8=\n"}, "tags.yaml:1: the YAML tag `!!binary` is not allowed"),
    "!!python/object": ({"people.yaml": "x: !!python/object/apply:os.system [ls]\n"},
                        "people.yaml:1: the YAML tag `!!python/object/apply:os.system` is not allowed"),
    "nesting too deep": ({"tags.yaml": "board: " + "[" * 20 + "]" * 20 + "\n"},
                         "tags.yaml:1: nested more than 12 levels deep"),
    "two YAML documents": ({"tags.yaml": "board: {ko: 이사회, en: Board}\n---\nx: 1\n"},
                           "tags.yaml:2: a second YAML document (`---`); a file holds one"),
    "a 25 MB value is not printed back": ({"tags.yaml": "board: {ko: 이사회, en: Board}\n" + "k" * 3_000_000 + ": x\n"},
                                          "tags.yaml:0: the file is 3,000,0"),
    # characters XML cannot carry, invisible line breaks
    "NUL": ({EVENT: body("본문\x00.[@openai-post]")}, "altman-fired.md:8: the character U+0000 (NULL) is not allowed"),
    "form feed": ({EVENT: body("본문\f.[@openai-post]")}, "altman-fired.md:8: the character U+000C (FORM FEED)"),
    "escape": ({EVENT: body("본문\x1b[31m.[@openai-post]")}, "altman-fired.md:8: the character U+001B (ESCAPE)"),
    "U+FFFE": ({EVENT: body("본문\ufffe.[@openai-post]")}, "altman-fired.md:8: the character U+FFFE (a noncharacter)"),
    "line separator": ({EVENT: body("본문\u2028.[@openai-post]")},
                       "altman-fired.md:8: the character U+2028 (LINE SEPARATOR)"),
    "next line": ({"tags.yaml": "board: {ko: 이사회\u0085, en: Board}\n"},
                  "tags.yaml:1: the character U+0085 (NEXT LINE)"),
    # dates and zones
    "year 9999": ({EVENT: event(date="9999-12-31")},
                  "altman-fired.md:2: `date`: the year 9999 is outside the years this site can show (1000-9998)"),
    "an era ending in 9999": ({"site.yaml": SITE.replace("end: 2024-06", "end: 9999")},
                              "site.yaml:14: `end`: the year 9999 is outside the years this site can show"),
    "year 1 at midnight east of UTC": ({EVENT: event(front="tz: Asia/Seoul\n", date="0001-01-01 00:00")},
                                       "altman-fired.md:2: `date`: the year 1 is outside the years"),
    "a time in the spring-forward gap": ({EVENT: event(date="2024-03-10 02:30")},
                                         "altman-fired.md:2: `date`: 2024-03-10 02:30 does not exist in "
                                         "America/Los_Angeles (the clocks skip it); check the time"),
    "a time the clocks repeat": ({EVENT: event(date="2024-11-03 01:30")},
                                 "altman-fired.md:2: `date`: 2024-11-03 01:30 happens twice in America/Los_Angeles "
                                 "(the clocks go back); add the offset, `2024-11-03 01:30 -07:00` or `-08:00`"),
    "tz localtime": ({EVENT: event(front="tz: localtime\n")}, "altman-fired.md:6: `tz`: unknown time zone `localtime`"),
    "tz posixrules": ({EVENT: event(front="tz: posixrules\n")},
                      "altman-fired.md:6: `tz`: unknown time zone `posixrules`"),
    # site.yaml
    "languages listed twice": ({"site.yaml": SITE.replace("[ko, en]", "[ko, en, ko]")},
                               "site.yaml:4: `ko` is listed twice in `languages`"),
    "empty site.yaml": ({"site.yaml": ""}, "site.yaml:1: the file is empty; it needs the site's settings"),
    "missing site.yaml": ({"site.yaml": None}, "site.yaml:0: file is missing"),
    "a newline in base_url": ({"site.yaml": SITE.replace("base_url: https://example.org/",
                                                          'base_url: "https://example.org/\\nDisallow: /"')},
                              "site.yaml:3: `base_url`: `https://example.org/\\nDisallow: /` is not an http:// or "
                              "https:// URL (no spaces or control characters)"),
    "base_url without a host": ({"site.yaml": SITE.replace("base_url: https://example.org/", "base_url: https:///x")},
                                "site.yaml:3: `base_url`: `https:///x` needs a host name"),
    "no events and no pages": ({EVENT: None, "events/openai-founded.md": None},
                               "events:0: there are no events yet: add one with `new <slug>`"),
    # text fields take the text as written
    "a source URL with a space": ({"sources.yaml": base_files()["sources.yaml"].replace(
        "https://openai.com/blog/openai-announces-leadership-transition", '"https://openai.com/a b"')},
        "sources.yaml:8: `url` has spaces or characters a URL cannot hold: `https://openai.com/a b`"),
}


def build_in(tmp_path: Path, changes: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    files: dict[str, str] = base_files()
    for name, text in changes.items():
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text
    write_files(tmp_path / "content", files)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("the last good site")
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", "out"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_a_message_never_a_traceback(tmp_path, name):
    changes, expected = CASES[name]
    started = time.perf_counter()
    run = build_in(tmp_path, changes)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert expected in run.stderr, run.stderr
    assert all(len(line) < 400 for line in run.stderr.splitlines()), "a message never prints a whole value"
    assert os.listdir(tmp_path / "out") == ["keep.txt"], "a failed build leaves the output as it was"
    assert time.perf_counter() - started < 20, "refused quickly, not after minutes of parsing"


def test_text_fields_take_the_text_as_written(make_site):
    fired = event(front="").replace("ko: 제목", "ko: yes").replace("en: Title", "en: 1.50")
    built = make_site({EVENT: fired})
    assert built.result.ok, built.messages
    assert built.soup("ko/events/altman-fired/index.html").h1.get_text() == "yes"
    assert built.soup("en/events/altman-fired/index.html").h1.get_text() == "1.50"


def test_a_citation_in_code_is_code_not_a_citation(make_site):
    built = make_site({EVENT: body("본문.[@openai-post] `[@nobody]` 코드.")})
    assert built.result.ok, built.messages
    code = built.soup("ko/events/altman-fired/index.html").select_one(".prose code")
    assert code.get_text() == "[@nobody]"


def test_a_link_in_angle_brackets_with_a_space_is_fine(make_site):
    built = make_site({EVENT: body("[문서](<a b>) 본문.[@openai-post]")})
    assert built.result.ok, built.messages


def run_build(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("kind, expected", [
    ("dangling symlink", "altman-fired.md:0: the file is a broken symbolic link"),
    ("symlink loop", "altman-fired.md:0: the file cannot be read: Too many levels of symbolic links"),
    ("fifo", "altman-fired.md:0: not a regular file (a pipe, socket or device); content must be plain files"),
    ("link to /dev/zero", "altman-fired.md:0: not a regular file (a pipe, socket or device)"),
    ("tags.yaml is a folder", "tags.yaml:0: expected a file, found a folder"),
    ("a link to a folder", "events/elsewhere:0: a symbolic link to a folder is not followed; move the files here"),
])
def test_files_that_are_not_plain_files_are_named(tmp_path, kind, expected):
    write_files(tmp_path / "content", base_files())
    target = tmp_path / "content" / EVENT
    target.unlink()
    if kind == "dangling symlink":
        target.symlink_to(tmp_path / "nowhere.md")
    elif kind == "symlink loop":
        target.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "link to /dev/zero":
        target.symlink_to("/dev/zero")
    elif kind == "tags.yaml is a folder":
        write_files(tmp_path / "content", {EVENT: base_files()[EVENT]})
        (tmp_path / "content" / "tags.yaml").unlink()
        (tmp_path / "content" / "tags.yaml").mkdir()
    else:
        write_files(tmp_path / "content", {EVENT: base_files()[EVENT]})
        (tmp_path / "other").mkdir()
        (tmp_path / "content" / "events" / "elsewhere").symlink_to(tmp_path / "other")
    run = run_build(tmp_path, "check", "--content", "content")
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert expected in run.stderr, run.stderr


def test_a_symlinked_event_file_is_followed_and_named_by_its_own_path(tmp_path):
    write_files(tmp_path / "content", base_files())
    elsewhere = tmp_path / "drafts" / "fired.md"
    write_files(tmp_path / "drafts", {"fired.md": body("본문 <b>굵게</b>.[@openai-post]")})
    (tmp_path / "content" / EVENT).unlink()
    (tmp_path / "content" / EVENT).symlink_to(elsewhere)
    run = run_build(tmp_path, "check", "--content", "content")
    assert "content/events/altman-fired.md:8: raw HTML `<b>`" in run.stderr, run.stderr


def test_editor_leftovers_are_ignored_and_other_extensions_warned_about(tmp_path):
    files = base_files() | {"events/.#altman-fired.md": "junk", "events/altman-fired.md~": "junk",
                            "events/.altman-fired.md.swp": "junk", "events/#altman-fired.md#": "junk",
                            "events/notes.MD": "junk", "events/draft.markdown": "junk"}
    write_files(tmp_path / "content", files)
    (tmp_path / "content" / "events" / ".#lock.md").symlink_to("root@host.1234")  # what Emacs leaves: a dead link
    run = run_build(tmp_path, "check", "--content", "content")
    assert run.returncode == 0, run.stderr
    assert "events/notes.MD:0: warning: not read: only files ending in `.md` are content; rename it" in run.stderr
    assert "events/draft.markdown:0: warning: not read" in run.stderr
    strict = run_build(tmp_path, "check", "--strict", "--content", "content")
    assert strict.returncode == 1 and "notes.MD:0: not read" in strict.stderr


@pytest.mark.parametrize("url, expected", [
    ("javascript:alert(1)//", "`javascript:alert(1)//` is not an http:// or https:// URL"),
    ("https://example.org/\nDisallow: /", "is not an http:// or https:// URL (no spaces or control characters)"),
    ("https:///timeline/", "needs a host name"),
])
def test_a_bad_base_url_on_the_command_line_is_refused(tmp_path, url, expected):
    write_files(tmp_path / "content", base_files())
    run = run_build(tmp_path, "build", "--content", "content", "--out", "out", "--base-url", url)
    assert run.returncode == 2 and expected in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert not (tmp_path / "out").exists()


def test_the_base_url_option_fills_a_missing_base_url(tmp_path):
    files = base_files() | {"site.yaml": SITE.replace("base_url: https://example.org/\n", "")}
    write_files(tmp_path / "content", files)
    assert run_build(tmp_path, "check", "--content", "content").returncode == 1
    run = run_build(tmp_path, "build", "--content", "content", "--out", "out", "--base-url", "https://news.example/tl")
    assert run.returncode == 0, run.stderr
    assert "https://news.example/tl/ko/" in (tmp_path / "out" / "sitemap.xml").read_text()


def test_new_with_a_content_folder_that_is_a_file(tmp_path):
    (tmp_path / "content").write_text("not a folder")
    run = run_build(tmp_path, "new", "some-event", "--content", "content")
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert "cannot write content/events/some-event.md" in run.stderr


def test_a_template_that_raises_is_a_template_error(tmp_path):

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "event.html"  # overrides the built-in template of that name
    page.write_text((ROOT / "templates" / "event.html").read_text().replace("{% block main %}",
                                                                            "{% block main %}{{ 1/0 }}"))
    from yeonpyo.pipeline import Project, build

    write_files(tmp_path / "content", base_files())
    result = build(Project.at(tmp_path / "content", tmp_path / "out"))
    line = page.read_text().split("\n").index(next(x for x in page.read_text().split("\n") if "1/0" in x)) + 1
    assert [str(p) for p in result.problems.sorted()] == [
        f"{tmp_path}/templates/event.html:{line}: template error: ZeroDivisionError: division by zero"]
    assert not (tmp_path / "out").exists()
