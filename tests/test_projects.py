"""A project of one's own: `init`, overriding the theme file by file, and any languages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, base_files, write_files
from yeonpyo.pipeline import Project, build, validate
from yeonpyo.starter import StarterError, init_project


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_init_writes_a_project_that_builds_and_passes_the_strict_check(tmp_path):
    made = run(tmp_path, "init", "mine")
    assert made.returncode == 0, made.stderr
    project = tmp_path / "mine"
    for name in ("content/site.yaml", "content/sources.yaml", "content/people.yaml", "content/tags.yaml",
                 "README.md", ".gitignore", "requirements.txt", ".github/workflows/pages.yml"):
        assert (project / name).is_file(), name
    assert len(list((project / "content" / "events").glob("*.md"))) == 2
    strict = run(project, "check", "--strict")
    assert strict.returncode == 0, strict.stderr
    built = run(project, "build")  # ./content into ./_site of the folder it runs in
    assert built.returncode == 0, built.stderr
    assert "content → _site" in built.stderr
    page = soup(project / "_site" / "en" / "events" / "2024-first-announcement" / "index.html")
    assert page.select_one(".callout-disputed") is not None
    assert "Asia/Seoul" not in page.get_text() and "GMT+9" not in page.get_text()
    again = run(tmp_path, "init", "mine")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert run(tmp_path, "init", "other", "--languages", "ko").returncode == 2
    assert run(tmp_path, "init", "other", "--languages", "ko,xx").returncode == 2


def test_a_language_without_built_in_strings_gets_a_table_to_translate(tmp_path):
    init_project(tmp_path, ("ja", "en"), "Asia/Tokyo")
    table = (tmp_path / "strings" / "ja.yaml").read_text(encoding="utf-8")
    assert "nav_sources: TODO Sources" in table and "day_heading: '''TODO'' EEEE, MMMM d'" in table
    project = Project.at(tmp_path / "content", tmp_path / "_site")
    content, _strings, result = validate(project)
    assert content is not None and result.ok, result.problems.sorted()
    todo = [str(p) for p in result.findings.sorted() if "TODO" in p.message]
    assert any("strings/ja.yaml" in line and "nav_sources" in line for line in todo)
    assert any("2024-first-announcement.md" in line for line in todo)
    built = build(project)
    assert built.ok, built.problems.sorted()
    page = soup(tmp_path / "_site" / "ja" / "index.html")
    assert page.html["lang"] == "ja" and page.html["dir"] == "ltr"
    assert "2024年1月15日" in page.get_text()  # CLDR's Japanese date, whatever the strings say


def test_three_languages_and_one_written_right_to_left(tmp_path):
    init_project(tmp_path / "three", ("zh", "ko", "en"), "Asia/Shanghai")
    init_project(tmp_path / "rtl", ("ar", "en"), "Asia/Riyadh")
    for name, languages in (("three", ("zh", "ko", "en")), ("rtl", ("ar", "en"))):
        built = build(Project.at(tmp_path / name / "content", tmp_path / name / "_site"))
        assert built.ok, built.problems.sorted()
        chooser = soup(tmp_path / name / "_site" / "index.html")
        assert [a["href"] for a in chooser.select("a[hreflang]")] == [f"{code}/" for code in languages]
        both = soup(tmp_path / name / "_site" / languages[0] / "both" / "index.html")
        assert {side["lang"] for side in both.select(".pair-side")} == set(languages)
    arabic = soup(tmp_path / "rtl" / "_site" / "ar" / "index.html")
    assert arabic.html["dir"] == "rtl"


def test_a_project_overrides_a_template_a_static_file_and_strings_key_by_key(tmp_path):
    write_files(tmp_path / "content", base_files())
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "brand.css").write_text(":root { --accent: #b3261e; }\n")
    (tmp_path / "templates").mkdir()
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert "</head>" in base
    (tmp_path / "templates" / "base.html").write_text(base.replace(
        "</head>", '<link rel="stylesheet" href="{{ link(static(\'brand.css\')) }}">\n</head>', 1))
    (tmp_path / "strings").mkdir()
    (tmp_path / "strings" / "en.yaml").write_text("nav_sources: Bibliography\n")
    project = Project.at(tmp_path / "content", tmp_path / "_site")
    assert build(project).ok
    page = soup(tmp_path / "_site" / "en" / "events" / "altman-fired" / "index.html")
    assert page.select_one('link[href$="static/brand.css"]') is not None
    assert (tmp_path / "_site" / "static" / "brand.css").is_file()
    assert (tmp_path / "_site" / "static" / "style.css").read_bytes() == (ROOT / "static" / "style.css").read_bytes()
    nav = [a.get_text() for a in page.select("nav a")]
    assert "Bibliography" in nav and "Topics" in nav, "one key replaced, the others kept"
    korean = soup(tmp_path / "_site" / "ko" / "events" / "altman-fired" / "index.html")
    assert "출처 목록" in [a.get_text() for a in korean.select("nav a")]
    (tmp_path / "strings" / "en.yaml").write_text("nav_source: Bibliography\n")
    typo = build(project)
    assert [str(p) for p in typo.problems.sorted()] == [
        f"{tmp_path}/strings/en.yaml:1: unknown string `nav_source` (did you mean `nav_sources`?)"]


def test_site_texts_come_from_site_yaml_with_neutral_defaults(make_site):
    from conftest import SITE_YAML

    plain = make_site()
    page = plain.soup("en/index.html")
    assert "sourced" not in page.footer.get_text()
    assert page.select_one("#site-search-input")["placeholder"] == "Events, people, places"
    own = make_site({"site.yaml": SITE_YAML + 'footer: {ko: 모든 문장에 출처, en: "Every line, sourced"}\n'
                                              'search_hint: {ko: "예: 이사회", en: "e.g. the board"}\n'})
    page = own.soup("en/index.html")
    assert "Every line, sourced" in page.footer.get_text()
    assert page.select_one("#site-search-input")["placeholder"] == "e.g. the board"


def test_names_of_the_flagship_chronicle_are_not_in_the_theme():
    for path in [*(ROOT / "templates").rglob("*"), *(ROOT / "static").rglob("*")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for name in ("Altman", "올트먼", "Shear", "Musk", "OpenAI", "오픈AI", "Sutskever"):
                assert name not in text, (path, name)


def test_init_refuses_a_bad_zone(tmp_path):
    with pytest.raises(StarterError, match="zone"):
        init_project(tmp_path, ("ko", "en"), "Mars/Olympus")
