"""Property-based fuzzing: event files made of valid and hostile pieces.

Whatever the file holds: the build never raises; what `check` accepts, `build` builds; and a
failed build leaves the output folder as it was. Bounded (examples and size) so that CI stays
well within its time; run with `--hypothesis-seed` to replay a failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import base_files, tree, write_files
from yeonpyo.pipeline import Project, build, validate

# Each file has at most one hostile part (the others valid), so that the generated files
# exercise every check one at a time and about one in eight builds a site.
PARTS = ("none", "date", "zone", "title", "summary", "extra", "body", "frame")
VALID_DATES = ["2023-11-17", "2023-11-17 12:23", "2023-11-20 morning", "2016", "2023-11", "2024-11-03 01:30 -07:00"]
HOSTILE_DATES = ["2024-03-10 02:30", "2024-11-03 01:30", "9999-01-01", "2023-02-30", "'12:23'",
                 "!!timestamp 2023-11-17", "[2023]", "", "2023-11-17 25:00", "0001-01-01 00:00", "2023-11-17 noon",
                 "&d 2023"]
VALID_ZONES = ["", "tz: Asia/Seoul", "tz: America/New_York"]
HOSTILE_ZONES = ["tz: localtime", "tz: Mars/Base", "tz: 5", "tz: [a]", "tz: posixrules", "tz: ''"]
VALID_TEXTS = ["제목", "Title", "yes", "1.50", "null title", "\"quoted: yes\"", "<b>bold</b>", "x" * 300]
HOSTILE_TEXTS = ["null", "''", "&a x", "*a", "!!binary aGk=", "[unclosed", "{ko: x}", "\x00", "line\u2028break", "|"]
VALID_MARKDOWN = [
    "본문이다.[@openai-post]", "Text.[@korean-report; @openai-post]", "[x](<a b>) 본문.[@openai-post]",
    "[x](https://example.org) 본문.[@openai-post]", "> [!NOTE]\n> 참고.[@openai-post]",
    "> [!DISPUTED]\n> 엇갈린다.[@korean-report]", "`[@nobody]` 코드.[@openai-post]", "- 목록.[@openai-post]\n  - 안쪽",
    "# 제목", "| a | b |\n|---|---|\n| 1 | 2 |", "*emphasis* and **strong**", "<!-- comment -->",
    "'quotes' and \"more\"", "", "\t\tindented code", "&amp; &lt;", "\\[@openai-post]", "\u200bzero width",
]
HOSTILE_MARKDOWN = [
    "[@nobody]", "[@]", "[@openai-post", "<script>alert(1)</script>", "<span\nonclick=x>", "[x](javascript:alert(1))",
    "[x](java&#115;cript:1)", "![img](x.png)", "> [!WARN]\n> x", "```\n\n<b>x</b>\n\n```", "[" * 20, "(" * 30,
    "<!-- kr -->", "&#0;", "\x1b[31m", "[a](" * 3000,
]
EXTRAS = ["tags: [board]", "people: [sam-altman]", "order: 2", "approximate: true", "end: 2023-11-22",
          "updated: 2024-01-01", "corrections:\n  - date: 2024-01-02\n    en: Fixed."]
HOSTILE_EXTRAS = ["tags: [bored]", "order: first", "approximate: maybe", "end: 2020", "titel: typo", "corrections: [x]",
                  "people: sam-altman: x", "updated: [1]"]


@st.composite
def event_files(draw: st.DrawFn) -> str:
    """An event file with at most one hostile part."""
    bad = draw(st.sampled_from(PARTS))

    def pick(part: str, valid: list[str], hostile: list[str]) -> str:
        return draw(st.sampled_from(hostile if bad == part else valid))

    lines = [f"date: {pick('date', VALID_DATES, HOSTILE_DATES)}", pick("zone", VALID_ZONES, HOSTILE_ZONES)]
    lines += ["title:", f"  ko: {pick('title', VALID_TEXTS, HOSTILE_TEXTS)}",
              f"  en: {draw(st.sampled_from(VALID_TEXTS))}"]
    if draw(st.booleans()) or bad == "summary":
        lines += ["summary:", f"  en: {pick('summary', VALID_MARKDOWN[:3], HOSTILE_MARKDOWN[:8] + HOSTILE_TEXTS)}"]
    lines += draw(st.lists(st.sampled_from(EXTRAS), max_size=3, unique=True))
    if bad == "extra":
        lines.append(draw(st.sampled_from(HOSTILE_EXTRAS)))
    body = [draw(st.lists(st.sampled_from(VALID_MARKDOWN), min_size=1, max_size=4)) for _ in range(2)]
    if bad == "body":
        body[draw(st.integers(0, 1))].insert(0, draw(st.sampled_from(HOSTILE_MARKDOWN)))
    sections = [f"<!-- {lang} -->\n" + "\n\n".join(pieces) for lang, pieces in zip(("ko", "en"), body)]
    opening, closing = "---\n", "---\n"
    if bad == "frame":
        opening, closing = draw(st.sampled_from([("", "---\n"), ("---\n", ""), ("\ufeff---\n", "---\n"),
                                                 ("---\r\n", "---\r\n"), ("---\n", "--- \n")]))
    front = "\n".join(line for line in lines if line)
    return f"{opening}{front}\n{closing}" + "\n".join(sections)



@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("fuzz")
    write_files(root / "content", base_files())
    project = Project(root / "content", root / "out")
    assert build(project).ok
    return root, root / "out", tree(root / "out")


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=event_files())
def test_no_event_file_crashes_check_or_build_or_damages_the_site(workspace, text):
    root, out, good = workspace
    content = root / "content"
    (content / "events" / "fuzzed.md").write_text(text, encoding="utf-8", newline="")
    project = Project(content, out)
    try:
        _content, _strings, checked = validate(project)
        built = build(project)  # neither may raise: every fault is a problem at path:line
        event("built" if built.ok else "refused: " + built.problems.sorted()[0].message[:40])
        assert all(problem.path and problem.line >= 0 for problem in built.problems.items)
        if checked.ok:
            assert built.ok, [str(p) for p in built.problems.sorted()]
        if not built.ok:
            assert tree(out) == good, "a failed build leaves the output as it was"
    finally:
        (content / "events" / "fuzzed.md").unlink()
        if tree(out) != good:  # a build that succeeded: back to the shared site for the next example
            assert build(project).ok
            assert tree(out) == good
        shutil.rmtree(root / ".out.new", ignore_errors=True)
