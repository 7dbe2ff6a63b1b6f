"""The editing loop: `serve` end to end over HTTP, live reload in a browser, incremental builds."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIRED_MD, ROOT, base_files, long_chronicle, tree, write_files
from yeonpyo.mode import SERVE_FULL, SERVE_QUICK
from yeonpyo.model import Content
from yeonpyo.pipeline import Project, build
from yeonpyo.plan import PAGE_TYPES, Plan
from yeonpyo.state import BuildState

EVENT = "events/altman-fired.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def wait_for(predicate, seconds: float = 20.0):
    """Poll until `predicate()` is truthy; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.05)
    pytest.fail("timed out waiting for the server")


class Served:
    def __init__(self, content: Path, out: Path, cache: Path) -> None:
        self.content, self.port = content, free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--out", str(out),
             "--cache", str(cache), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        wait_for(lambda: fetch(self.base + "ko/")[0] in (200, 500))

    def edit(self, relative: str, text: str | None) -> None:
        path = self.content / relative
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")

    def stop(self) -> str:
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output


@pytest.fixture
def served(tmp_path):
    content = tmp_path / "content"
    write_files(content, base_files())
    server = Served(content, tmp_path / "_site", tmp_path / "cache")
    yield server
    server.stop()


def test_edits_errors_fixes_and_deletions_over_http(served):
    page = served.base + "en/events/altman-fired/"
    assert "The board fired Sam Altman." in fetch(page)[1]
    served.edit(EVENT, FIRED_MD.replace("The board fired", "The directors dismissed"))
    wait_for(lambda: "The directors dismissed" in fetch(page)[1])

    served.edit(EVENT, FIRED_MD.replace("tags: [board]", "tags: [board"))
    _status, body = wait_for(lambda: (r := fetch(page))[0] == 500 and r)
    assert "altman-fired.md:7: invalid YAML" in body
    assert served.process.poll() is None, "a broken file must not stop the server"
    assert (served.content.parent / "_site" / "en/events/altman-fired/index.html").read_text().count("dismissed")

    served.edit(EVENT, FIRED_MD)
    wait_for(lambda: (r := fetch(page))[0] == 200 and "The board fired" in r[1])

    served.edit("events/openai-founded.md", None)
    wait_for(lambda: fetch(served.base + "en/events/openai-founded/")[0] == 404)
    assert fetch(served.base + "en/")[0] == 200


def test_serves_nothing_outside_the_output_folder(served):
    for path in ("../pyproject.toml", "%2e%2e/pyproject.toml", "%252e%252e/pyproject.toml",
                 "static/..%2f..%2fpyproject.toml", "..%5c..%5cpyproject.toml"):
        with socket.create_connection(("127.0.0.1", served.port)) as s:
            s.sendall(f"GET /{path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
            reply = s.recv(65536).decode("latin-1")
        assert reply.split()[1] in ("400", "403", "404"), (path, reply[:80])
        assert "[project]" not in reply


def test_busy_port_gets_a_clear_message(served, tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(served.content),
                           "--out", str(tmp_path / "other"), "--port", str(served.port)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"port {served.port} on 127.0.0.1 is busy" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.browser
def test_an_open_page_reloads_by_itself(served, browser):
    page = browser.new_page()
    page.goto(served.base + "en/events/altman-fired/")
    page.wait_for_function("() => [...document.scripts].some(s => s.src.includes('livereload'))")
    # until livereload.js has shaken hands with the server (a save before then would reload nothing)
    page.wait_for_function("() => window.LiveReload && LiveReload.connector && LiveReload.connector.protocol > 0",
                           timeout=15000)
    for word in ("first", "second"):  # two saves in a row: livereload's 3 s rule must not swallow one
        served.edit(EVENT, FIRED_MD.replace("The board fired", f"The {word} board fired"))
        page.wait_for_function(f"() => document.body.innerText.includes('The {word} board fired')",
                               timeout=10000)
    page.close()


def test_a_burst_of_saves_is_built_once_and_a_pause_brings_the_full_pass(tmp_path):
    """A `git checkout` writes many files within milliseconds: one rebuild, not one per file."""
    import threading

    from yeonpyo.serve import IDLE_SECONDS, Watcher

    calls: list[set[str]] = []
    idle = threading.Event()
    watcher = Watcher([tmp_path], calls.append, idle.set)
    watcher.start()
    time.sleep(0.5)  # let the watch start
    for number in range(30):
        (tmp_path / f"event-{number}.md").write_text("x")
    assert idle.wait(IDLE_SECONDS + 5), "the full pass follows a pause"
    watcher.stop()
    assert len(calls) == 1 and len(calls[0]) == 30


def test_incremental_builds_equal_a_full_build_after_a_series_of_edits(tmp_path):
    content = tmp_path / "content"
    write_files(content, base_files())
    incremental = Project(content, tmp_path / "inc", cache=tmp_path / "cache")
    edits = [
        {EVENT: FIRED_MD.replace("The board fired", "The board dismissed")},
        {"events/new-one.md": FIRED_MD.replace("Altman fired", "Second").replace("올트먼 해임", "둘째")},
        {"events/openai-founded.md": None},
        {"sources.yaml": (content / "sources.yaml").read_text().replace("publisher: OpenAI", "publisher: OpenAI Inc.")},
        {"events/new-one.md": None, EVENT: FIRED_MD},
    ]
    assert build(incremental).ok
    for step in edits:
        for name, text in step.items():
            (content / name).unlink() if text is None else (content / name).write_text(text)
        assert build(incremental).ok  # each a fresh process, with the state the last one saved
        fresh = tmp_path / "full"
        assert build(Project(content, fresh)).ok
        assert tree(incremental.out) == tree(fresh)
        import shutil

        shutil.rmtree(fresh)
    # a fresh process with the disk cache renders nothing again
    again = build(incremental)
    assert again.ok and again.report.written == ()
    kept = incremental.state_file().load().documents
    assert len(kept) == len(list((content / "events").rglob("*.md"))), "a build with nothing to render keeps the cache"


def test_a_fresh_process_parses_only_the_files_that_changed(tmp_path):
    content = tmp_path / "content"
    write_files(content, base_files())
    project = Project(content, tmp_path / "out", cache=tmp_path / "cache")
    names = lambda paths: sorted(Path(path).name for path in paths)
    first = build(project)
    assert first.ok and names(first.parsed) == ["altman-fired.md", "openai-founded.md"]
    assert "en/events/altman-fired/index.html" in first.report.rendered
    again = build(project)
    assert again.ok and again.parsed == (), "the state on disk holds the parsed files"
    assert again.report.rendered == (), "and what every page was made from: none is rendered again"
    (content / "events" / "altman-fired.md").write_text(FIRED_MD.replace("The board fired", "The directors fired"))
    edited = build(project)
    assert edited.ok and names(edited.parsed) == ["altman-fired.md"]
    assert {"en/events/altman-fired/index.html", "ko/events/altman-fired/index.html"} <= set(edited.report.rendered)
    assert "en/events/openai-founded/index.html" not in edited.report.rendered
    assert "en/events/altman-fired/index.html" in edited.report.written
    (content / "events" / "openai-founded.md").unlink()
    assert build(project).ok
    documents = project.state_file().load().documents
    assert [Path(path).name for path in documents] == ["altman-fired.md"], "a deleted file is forgotten"


def _replace(path: Path, pattern: str, replacement: str) -> None:
    import re

    text, count = re.subn(pattern, replacement, path.read_text(), count=1, flags=re.M)
    assert count == 1, (path, pattern)
    path.write_text(text)


ERA_TEMPLATE = """<!doctype html><html lang="{{ lang }}"><title>{{ era }}</title>
<ol>{% for e in events %}<li>{{ e.title.value }}: {{ e.date.text }}</li>{% endfor %}</ol></html>
"""


def era_pages(plan: Plan, content: Content, strings: dict[str, dict[str, str]], lang: str) -> None:
    """A page type a site adds of its own: one page per era, naming its events (through `reads`)."""
    for era in content.site.eras:
        name = f"era-events:{lang}:{era.key}"
        plan.layout[name] = tuple(e.slug for e in content.events if content.era_of[e.slug] == era.key)
        plan.add("era.html", f"{lang}/eras/{era.key}/", lang, None, lambda reads, era=era, name=name: dict(
            era=era.title[lang], events=[reads.head(lang, e) for e in reads.listed(name)]))


def _picture(path: Path, colour: tuple[int, int, int]) -> None:
    from PIL import Image

    Image.new("RGB", (640, 360), colour).save(path, "PNG")


def test_only_dependent_pages_are_rendered_and_incremental_equals_full_on_a_long_chronicle(tmp_path):
    """Every kind of edit, each built incrementally (as serve does: quick pass, then full) and
    compared byte for byte with a fresh full build; a body edit renders only its own pages
    and the timeline and side-by-side parts holding it."""
    import dataclasses
    import shutil

    content, templates, strings = tmp_path / "content", tmp_path / "templates", tmp_path / "strings"
    events = long_chronicle(content)
    templates.mkdir()
    strings.mkdir()
    (templates / "event.html").write_text((ROOT / "templates" / "event.html").read_text())  # an override
    project = Project.at(content, tmp_path / "inc", cache=tmp_path / "cache")
    state = BuildState()  # kept in memory between builds, with page fragments, as serve does
    assert build(project, SERVE_FULL, state).ok
    a, b, c, d = events[10], events[60], events[100], events[30]
    slug = a.stem

    def add_page_type() -> None:
        nonlocal project
        (templates / "era.html").write_text(ERA_TEMPLATE)
        project = dataclasses.replace(project, page_types=(*PAGE_TYPES, era_pages))

    edits = [
        ("body", lambda: (_replace(a, r"^(<!-- ko -->\n)", r"\1덧붙임. "),
                          _replace(a, r"^(<!-- en -->\n)", r"\1Addendum. "))),
        ("title", lambda: _replace(b, r"^  en: \"", '  en: "Retitled: ')),
        ("date moves to another year", lambda: _replace(c, r"^date: \d{4}", "date: 2016")),
        ("tags", lambda: _replace(a, r"^tags: \[.*\]", "tags: [funding, board]")),
        ("a picture added", lambda: (_picture(a.with_name("pic.png"), (40, 90, 200)), _replace(
            a, r"^(tags: .*)$", r"\1\nmedia:\n  - image: pic.png\n    alt: {ko: 그림, en: A picture}\n"
                                r"    credit: Test"))),
        ("the picture's file replaced", lambda: _picture(a.with_name("pic.png"), (200, 90, 40))),
        ("a new citation", lambda: _replace(b, r"^(<!-- en -->\n)", r"\1Also reported.[@bloomberg-2016-06-10-2] ")),
        ("new event", lambda: a.with_name("copied-event.md").write_text(a.read_text())),  # with its picture
        ("rename", lambda: a.rename(a.with_name("renamed-event.md"))),
        ("delete", lambda: b.unlink()),
        ("sources.yaml", lambda: _replace(content / "sources.yaml", r"^  publisher: \"Bloomberg\"",
                                          '  publisher: "Bloomberg News"')),
        ("template", lambda: _replace(templates / "event.html", r"^(\{% block main %\})$", r"\1<!-- edited -->")),
        ("UI string overridden", lambda: (strings / "en.yaml").write_text("nav_sources: Reading\n")),
        ("built-in template overridden", lambda: (templates / "label.html").write_text(
            (ROOT / "templates" / "label.html").read_text().replace("<h1>", '<h1 class="override">'))),
        ("site setting", lambda: _replace(content / "site.yaml", r"^(  en: .*)\"$", r'\1, revised"')),
        ("site setting that splits pages anew", lambda: (content / "site.yaml").write_text(
            (content / "site.yaml").read_text() + "events_per_page: 25\n")),
        ("a page type added", add_page_type),
        ("a title shown on the new page type", lambda: _replace(d, r"^  en: \"", '  en: "Renamed: ')),
    ]

    def stamps() -> dict[str, tuple[int, int]]:
        return {str(p.resolve()): (p.stat().st_mtime_ns, p.stat().st_size)
                for folder in (content, templates, strings) for p in folder.rglob("*") if p.is_file()}

    for number, (what, edit) in enumerate(edits):
        before = stamps()
        edit()
        after = stamps()
        # as a watcher says
        touched = frozenset(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        quick = build(project, SERVE_QUICK, state, touched)
        assert quick.ok, (what, quick.problems.sorted())
        if what == "body":
            pages = {p for p in quick.report.written if p.endswith(".html")}
            year = slug[:4]
            assert pages == {f"ko/events/{slug}/index.html", f"en/events/{slug}/index.html",
                             f"ko/{year}/index.html", f"en/{year}/index.html", f"ko/both/{year}/index.html",
                             f"en/both/{year}/index.html"}, pages
        if what == "a title shown on the new page type":
            era_pages_rendered = [p for p in quick.report.rendered if p.split("/")[1:2] == ["eras"]]
            assert len(era_pages_rendered) == 2, "the era page holding it, in each language, and no other"
        fresh = tmp_path / f"fresh-{number}"
        assert build(dataclasses.replace(project, out=fresh, cache=None)).ok
        pages_of = lambda root: {path: data for path, data in tree(root).items() if path.endswith(".html")}
        assert pages_of(project.out) == pages_of(fresh), f"quick pass after {what}"
        assert build(project, SERVE_FULL, state).ok
        assert tree(project.out) == tree(fresh), what
        shutil.rmtree(fresh)
    assert any(path.startswith("en/eras/") for path in tree(project.out))


def test_new_scaffolds_an_event_and_refuses_to_overwrite(tmp_path):
    content = tmp_path / "content"
    write_files(content, base_files())
    run = lambda *a: subprocess.run([sys.executable, str(ROOT / "build.py"), "new", *a, "--content", str(content)],
                                    capture_output=True, text=True)
    assert run("board-meets", "--date", "2023-11-18 09:30", "--tz", "Asia/Seoul").returncode == 0
    text = (content / "events" / "board-meets.md").read_text()
    assert "date: 2023-11-18 09:30\ntz: Asia/Seoul\n" in text and "<!-- ko -->" in text and "<!-- en -->" in text
    again = run("board-meets")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert (content / "events" / "board-meets.md").read_text() == text
    strict = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--strict", "--content", str(content)],
                            capture_output=True, text=True)
    assert strict.returncode == 1 and "board-meets.md:5: `TODO` left in the `ko` text" in strict.stderr
    assert run("Bad_Slug").returncode == 2


def test_quick_pass_then_full_pass_leaves_a_fresh_search_index_and_exports(tmp_path):
    content = tmp_path / "content"
    write_files(content, base_files())
    project = Project(content, tmp_path / "out", cache=tmp_path / "cache")
    state = BuildState()
    assert build(project, SERVE_FULL, state).ok
    (content / EVENT).write_text(FIRED_MD.replace("The board fired", "The quokka board fired"))
    quick = build(project, SERVE_QUICK, state)
    assert quick.ok and "en/events/altman-fired/index.html" in quick.report.written
    assert "quokka" not in (project.out / "en/feed.xml").read_text(), "exports wait for the full pass"
    full = build(project, SERVE_FULL, state)
    assert "quokka" in (project.out / "en/feed.xml").read_text()
    assert any(path.startswith("pagefind/") for path in full.report.written), "the index is rebuilt"
    fresh = tmp_path / "fresh"
    assert build(Project(content, fresh)).ok
    assert tree(project.out) == tree(fresh)


def request(served, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """A raw HTTP request (urllib would fix up the Host header)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    connection.putrequest(method, path, skip_host=True)
    for name, value in {"Host": f"127.0.0.1:{served.port}", **(headers or {})}.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def test_the_dev_server_speaks_http_properly_and_only_to_this_machine(served):
    status, headers, body = request(served, "/ko/", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000, "HEAD answers like GET, bodiless"
    assert request(served, "/" + "a" * 300 + "/")[0] == 404, "an over-long path segment is not found, not a crash"
    assert request(served, "/ko/", headers={"Host": "attacker.example"})[0] == 403, "DNS rebinding is refused"
    assert request(served, "/ko/", headers={"Host": f"localhost:{served.port}"})[0] == 200
    assert request(served, "/forcereload")[0] == 404, "no reload on a GET that any page could send"
    assert request(served, "/ko/", "POST")[0] == 405
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    assert request(served, "/livereload", headers={**upgrade, "Origin": "http://attacker.example"})[0] == 403


def test_the_error_page_names_files_relative_to_the_project(served):
    served.edit(EVENT, FIRED_MD.replace("tags: [board]", "tags: [bored]"))
    _status, body = wait_for(lambda: (r := fetch(served.base + "ko/"))[0] == 500 and r)
    assert "content/events/altman-fired.md:6: unknown tag `bored`" in body
    assert str(served.content.parent) not in body, "no absolute path of the machine on the page"


def test_serve_recovers_when_the_content_folder_is_deleted_and_made_again(served, tmp_path):
    import shutil

    saved = tmp_path / "saved"
    shutil.copytree(served.content, saved)
    shutil.rmtree(served.content)
    wait_for(lambda: fetch(served.base + "ko/")[0] == 500)  # site.yaml is missing: the page says so
    shutil.copytree(saved, served.content)
    served.edit(EVENT, FIRED_MD.replace("The board fired", "The directors let go of"))
    wait_for(lambda: "The directors let go of" in fetch(served.base + "en/events/altman-fired/")[1], seconds=30)


def test_override_folders_made_while_serving_take_effect(served):
    project = served.content.parent
    (project / "strings").mkdir()
    (project / "strings" / "en.yaml").write_text("skip_link: Jump to the story\n", "utf-8")
    wait_for(lambda: "Jump to the story" in fetch(served.base + "en/")[1], seconds=30)
    assert "Jump to the story" not in fetch(served.base + "ko/")[1], "only the English strings are overridden"
    (project / "static").mkdir()
    (project / "static" / "house.txt").write_text("our own file\n", "utf-8")
    wait_for(lambda: fetch(served.base + "static/house.txt")[1] == "our own file\n", seconds=30)
