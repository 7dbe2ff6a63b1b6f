"""Tiny sites written from a dict of files, built end to end (after MkDocs' tests/base.py)."""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from yeonpyo.pipeline import BuildResult, Project, build

ROOT = Path(__file__).resolve().parent.parent

SITE_SETTINGS = """\
title: {ko: 시험 연표, en: Test timeline}
description: {ko: 시험용 사이트, en: A site for tests}
base_url: https://example.org/
languages: [ko, en]
timezone: America/Los_Angeles
"""
SITE_YAML = SITE_SETTINGS + """\
eras:
  - key: early
    title: {ko: 초기, en: Early years}
    start: 2015
    end: 2022
  - key: crisis
    title: {ko: 위기, en: The crisis}
    start: 2023
    end: 2024-06
"""
SOURCES_YAML = """\
openai-post:
  title: OpenAI announces leadership transition
  title_ko: 오픈AI, 경영진 교체 발표
  publisher: OpenAI
  kind: official
  date: 2023-11-17
  lang: en
  url: https://openai.com/blog/openai-announces-leadership-transition
korean-report:
  title: 올트먼 해임
  title_en: Altman fired
  publisher: 연합뉴스
  kind: wire
  date: 2023-11-18
  lang: ko
"""
PEOPLE_YAML = """\
sam-altman:
  name: {ko: 샘 올트먼, en: Sam Altman}
  role: {ko: CEO, en: CEO}
  variants: {ko: [알트만], en: [Altmann]}
"""
TAGS_YAML = "board: {ko: 이사회, en: Board}\n"
FIRED_MD = """\
---
date: 2023-11-17 12:23
title:
  ko: 올트먼 해임
  en: Altman fired
tags: [board]
people: [sam-altman]
---
<!-- ko -->
이사회가 샘 올트먼을 해임했다.[@openai-post] 한국 언론도 전했다.[@korean-report; @openai-post]

<!-- en -->
The board fired Sam Altman.[@openai-post]
"""
FOUNDED_MD = """\
---
date: 2015-12
title:
  ko: 오픈AI 설립
  en: OpenAI founded
---
<!-- ko -->
비영리로 출범했다.[@korean-report]

<!-- en -->
It began as a non-profit.[@korean-report]
"""


def base_files() -> dict[str, str]:
    """A valid two-event site; tests override or add files."""
    return {
        "site.yaml": SITE_YAML,
        "sources.yaml": SOURCES_YAML,
        "people.yaml": PEOPLE_YAML,
        "tags.yaml": TAGS_YAML,
        "events/altman-fired.md": FIRED_MD,
        "events/openai-founded.md": FOUNDED_MD,
    }


@dataclass
class Built:
    result: BuildResult
    out: Path
    content: Path

    def soup(self, relative: str) -> BeautifulSoup:
        """The parsed HTML of one output file."""
        return BeautifulSoup((self.out / relative).read_text(encoding="utf-8"), "html.parser")

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.result.problems.sorted()]


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its POSIX path, with its bytes (a symbolic link as its
    target): the snapshot tests compare before and after."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[relative] = path.read_bytes()
    return found


@pytest.fixture(scope="module")
def strings() -> dict[str, dict[str, str]]:
    """The built-in UI strings of Korean and English."""
    from yeonpyo.problems import Problems
    from yeonpyo.strings import load_strings
    from yeonpyo.theme import Theme

    return load_strings(Theme.builtin().strings, ("ko", "en"), Problems())


@pytest.fixture
def make_site(tmp_path: Path):
    """Build a site from `base_files()` updated with `changes` (None removes a file)."""

    def make(changes: dict[str, str | bytes | None] | None = None, base_url: str | None = None,
             out: Path | None = None) -> Built:
        content = tmp_path / "content"
        files = base_files()
        for name, text in (changes or {}).items():
            if text is None:
                files.pop(name, None)
            else:
                files[name] = text  # type: ignore[assignment]
        if content.exists():
            import shutil

            shutil.rmtree(content)
        write_files(content, files)  # type: ignore[arg-type]
        out = out or tmp_path / "_site"
        project = Project(content, out, base_url=base_url)
        return Built(build(project), out, content)

    return make


def long_chronicle(folder: Path) -> list[Path]:
    """The benchmark's synthetic corpus at 120 events: long enough for a timeline split by year."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from corpus import make_corpus, write_yeonpyo
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    write_yeonpyo(make_corpus(120), folder)
    return sorted((folder / "events").rglob("*.md"))


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> tuple[Path, str]:
    """The project's own content built and served, for the browser tests: (folder, base URL)."""
    from quality import build_real_site, start_server

    out = tmp_path_factory.mktemp("browser") / "_site"
    httpd, base = start_server(out.parent)  # base_url set after the server starts: absolute URLs point at it
    build_real_site(out, base + "_site/")
    yield out, base + "_site/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright (no browser download)."""
    from quality import BROWSER_ARGS, CHROMIUM, require

    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()
