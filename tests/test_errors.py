"""Every author mistake is reported as `path:line: message`, and the last good site survives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIRED_MD, ROOT, tree

EVENT = "events/altman-fired.md"


def event_with(front: str = "", body: str = "<!-- ko -->\n본문.[@openai-post]\n\n<!-- en -->\nBody.[@openai-post]\n") -> str:
    return f"---\ndate: 2023-11-17\ntitle:\n  ko: 제목\n  en: Title\n{front}---\n{body}"


CASES = {
    "malformed YAML": (event_with("tags: [board\n"), "events/altman-fired.md:7: invalid YAML"),
    "misspelled key": (event_with("titel: x\n"), "events/altman-fired.md:6: unknown key `titel` in an event (did you mean `title`?)"),
    "missing date": ("---\ntitle:\n  ko: 제목\n  en: Title\n---\n<!-- ko -->\n본문.\n<!-- en -->\nBody.\n",
                     "events/altman-fired.md:2: an event needs `date`"),
    "impossible date": (event_with().replace("2023-11-17", "2023-02-30"),
                        "events/altman-fired.md:2: `date`: `2023-02-30` is not a real date (day is out of range for month)"),
    "time alone": (event_with().replace("2023-11-17", "12:23"),
                   "events/altman-fired.md:2: `date`: `12:23` is not a date; use YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DD HH:MM or "
                   "a part of the day such as YYYY-MM-DD morning (afternoon, evening, night)"),
    "unknown zone": (event_with("tz: Mars/Olympus\n"),
                     "events/altman-fired.md:6: `tz`: unknown time zone `Mars/Olympus` (use an IANA name such as Asia/Seoul)"),
    "unknown source": (event_with(body="<!-- ko -->\n본문.[@openai-pots]\n<!-- en -->\nBody.[@openai-post]\n"),
                       "events/altman-fired.md:8: unknown source `openai-pots` (did you mean `openai-post`?); add it to sources.yaml"),
    "unknown person": (event_with("people: [sam-altmann]\n"),
                       "events/altman-fired.md:6: unknown person `sam-altmann` (did you mean `sam-altman`?)"),
    "unknown tag": (event_with("tags: [bored]\n"), "events/altman-fired.md:6: unknown tag `bored` (did you mean `board`?)"),
    "text outside markers": (event_with(body="Stray text.\n<!-- ko -->\n본문.\n<!-- en -->\nBody.\n"),
                             "events/altman-fired.md:7: text outside the language markers: start it with `<!-- ko -->` or `<!-- en -->`"),
    "unknown marker": (event_with(body="<!-- kr -->\n본문.\n<!-- en -->\nBody.\n"),
                       "events/altman-fired.md:7: unknown language marker `<!-- kr -->` (did you mean `ko`?); use one of ko, en"),
    "empty file": ("", "events/altman-fired.md:1: file is empty; an event needs front matter between `---` lines"),
    "no front matter": ("Just text\n", "events/altman-fired.md:1: no front matter: the file must start with a `---` line"),
    "raw HTML": (event_with(body="<!-- ko -->\n본문 <span>x</span>.\n<!-- en -->\nBody.\n"),
                 "events/altman-fired.md:8: raw HTML `<span>` is not allowed (it would bypass escaping); write Markdown instead"),
    "script tag": (event_with(body="<!-- ko -->\n본문.\n<!-- en -->\n<script>alert(1)</script>\n"),
                   "events/altman-fired.md:10: raw HTML `<script>alert(1)</script>` is not allowed (it would bypass escaping); "
                   "write Markdown instead"),
    "javascript link": (event_with(body="<!-- ko -->\n[본문](javascript:alert(1))\n<!-- en -->\nBody.\n"),
                        "events/altman-fired.md:8: link `javascript:alert(1)` is not allowed; links must be http(s), mailto or relative"),
    "empty language key": (event_with().replace("  en: Title\n", "  en: ''\n"), "events/altman-fired.md:5: `title.en` is empty"),
    "title without section": (event_with(body="<!-- ko -->\n본문.\n"),
                              "events/altman-fired.md:3: `title.en` is given but there is no `<!-- en -->` section"),
    "end before start": (event_with("end: 2023-11-01\n"), "events/altman-fired.md:6: `end` is before `date`"),
    "outside every era": (event_with().replace("2023-11-17", "2030-01-01"),
                          "events/altman-fired.md:2: the date is outside every era in"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_mistake_is_reported_with_file_and_line(make_site, name):
    text, expected = CASES[name]
    built = make_site({EVENT: text})
    assert not built.result.ok
    assert any(m.endswith(expected) or expected in m for m in built.messages), built.messages
    assert any(m.startswith(str(built.content / expected.split(":")[0])) for m in built.messages)
    assert not built.out.exists(), "nothing may be written when the content has a problem"


def test_source_url_must_be_http(make_site):
    sources = "bad:\n  title: T\n  publisher: P\n  date: 2023\n  lang: en\n  url: javascript:alert(1)\n"
    built = make_site({"sources.yaml": sources, EVENT: event_with(body="<!-- ko -->\n본문.[@bad]\n<!-- en -->\nB.[@bad]\n")})
    assert any(m.endswith("sources.yaml:6: `url` must be an http:// or https:// URL, not `javascript:alert(1)`")
               for m in built.messages), built.messages


def test_duplicate_and_bad_slugs_name_both_files(make_site):
    built = make_site({"events/2023/altman-fired.md": FIRED_MD, "events/Bad_Slug.md": FIRED_MD})
    messages = "\n".join(built.messages)
    assert "slug `altman-fired` is used twice: here and in" in messages
    assert "bad slug `Bad_Slug`: a file name may use only a-z, 0-9 and hyphens" in messages


def test_non_utf8_file_is_reported(make_site):
    built = make_site({EVENT: b"---\ndate: 2023\n" + "title: {ko: 제목}\n".encode("euc-kr")})
    assert any("altman-fired.md:3: file is not UTF-8" in m for m in built.messages), built.messages


def test_bom_and_crlf_files_just_work(make_site):
    built = make_site({EVENT: "\ufeff" + FIRED_MD.replace("\n", "\r\n")})
    assert built.result.ok, built.messages
    assert "이사회가 샘 올트먼을 해임했다." in built.soup("ko/events/altman-fired/index.html").get_text()


def test_all_problems_are_reported_together(make_site):
    built = make_site({EVENT: event_with("titel: x\ntags: [bored]\n"), "events/other.md": ""})
    assert len(built.messages) >= 3


def test_failed_build_leaves_the_last_good_site_untouched(make_site):
    good = make_site()
    assert good.result.ok
    before = tree(good.out)
    bad = make_site({EVENT: event_with("titel: x\n")})
    assert not bad.result.ok
    assert tree(bad.out) == before


def test_template_error_is_reported_not_raised(make_site, tmp_path, monkeypatch):

    from yeonpyo.pipeline import Project, build

    built = make_site()
    templates = built.content.parent / "templates"  # the project's own, beside content/
    out = tmp_path / "other"
    assert build(Project.at(built.content, out)).ok
    before = tree(out)
    templates.mkdir()
    (templates / "event.html").write_text("{% extends 'base.html' %}\n{% block main %}{{ event.nosuch }}{% endblock %}\n")
    result = build(Project.at(built.content, out))  # every page renders again: a new site
    assert not result.ok
    assert any("event.html:2: template error" in str(p) for p in result.problems.items), result.problems.items
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".other")) == [".other.lock"], \
        "no half-built site is left"


def test_an_output_folder_that_cannot_be_swapped_is_written_in_place(make_site, tmp_path):
    """A bind mount from the same file system (a container's volume) looks like any folder,
    but renaming it fails with EBUSY: the new site is then written into it in place."""
    import subprocess as sp

    first = make_site()
    expected = tree(first.out)
    source, out = tmp_path / "volume", tmp_path / "mounted"
    source.mkdir()
    out.mkdir()
    (source / "CNAME").write_text("timeline.example.org\n")
    if sp.run(["mount", "--bind", str(source), str(out)], capture_output=True).returncode != 0:
        pytest.skip("bind mounts need root (CI runs as root)")
    try:
        for _ in range(2):  # a first build, then one that renders every page again
            built = make_site(out=out)
            assert built.result.ok, built.messages
            files = tree(out)
            assert files.pop("CNAME") == b"timeline.example.org\n", "a file yeonpyo did not write is kept"
            assert files.pop(".yeonpyo-manifest")
            assert files == {path: data for path, data in expected.items() if path != ".yeonpyo-manifest"}
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".mounted")) == [".mounted.lock"]
    finally:
        sp.run(["umount", str(out)], check=True)


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_cli_reports_problems_with_exit_1_and_no_traceback(make_site, tmp_path):
    built = make_site({EVENT: event_with("titel: x\n")})
    done = run_cli("check", "--content", str(built.content), cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "content/events/altman-fired.md:6: unknown key `titel` in an event (did you mean `title`?)" in done.stderr


def test_cli_wrong_command_line_exits_2():
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("check", "--no-such-option").returncode == 2


def test_strict_check_fails_on_missing_translation_and_uncited_source(make_site, tmp_path):
    only_en = "---\ndate: 2016\ntitle:\n  en: English only\n---\n<!-- en -->\nText.[@openai-post]\n"
    unused = "unused:\n  title: Never cited\n  publisher: Nobody\n  date: 2020\n  lang: en\n"
    from conftest import SOURCES_YAML

    built = make_site({"events/openai-founded.md": only_en, "sources.yaml": SOURCES_YAML + unused})
    assert built.result.ok, "a missing language still builds"
    loose = run_cli("check", "--content", str(built.content), cwd=tmp_path)
    strict = run_cli("check", "--strict", "--content", str(built.content), cwd=tmp_path)
    assert loose.returncode == 0 and strict.returncode == 1
    assert "openai-founded.md:1: no `ko` translation yet" in strict.stderr
    assert "sources.yaml:16: source `unused` is never cited" in strict.stderr


def test_strict_check_holds_every_paragraph_to_a_credible_source(make_site, tmp_path):
    sources = ("forum-post:\n  title: A repost\n  publisher: A forum\n  kind: forum\n  date: 2023\n  lang: ko\n"
               "  url: https://forum.example/1\n"
               "wire-story:\n  title: A report\n  publisher: A wire\n  kind: wire\n  date: 2023\n  lang: en\n"
               "no-kind:\n  title: Something\n  publisher: Somebody\n  date: 2023\n  lang: en\n")
    body = ("<!-- ko -->\n근거 없는 문단.\n\n포럼만 인용한 문단.[@forum-post]\n\n"
            "> [!DISPUTED]\n> 통신과 포럼이 엇갈린다.[@forum-post; @wire-story]\n\n- 목록 항목\n\n"
            "<!-- en -->\nA paragraph.[@wire-story]\n\nAnother.[@no-kind]\n")
    event = ("---\ndate: 2023-11-17\ntitle:\n  ko: 제목\n  en: Title\nsummary:\n  en: Cited only to a forum.[@forum-post]\n"
             "---\n" + body)
    built = make_site({"sources.yaml": sources, "events/altman-fired.md": event, "events/openai-founded.md": None})
    assert built.result.ok
    strict = run_cli("check", "--strict", "--content", str(built.content), cwd=tmp_path).stderr
    for expected in ["altman-fired.md:10: a paragraph with no citation: cite the source of each sentence",
                     "altman-fired.md:12: this paragraph rests only on weak sources (forum): cite a credible one beside them",
                     "altman-fired.md:17: a paragraph with no citation",
                     "altman-fired.md:7: this paragraph rests only on weak sources (forum)",
                     "altman-fired.md:4: no `summary.ko` yet: one or two cited sentences the timeline shows",
                     "sources.yaml:8: source `wire-story` (wire) has no `url` or `archive`: add the address readers "
                     "can check it at",
                     "sources.yaml:14: source `no-kind` has no `kind` (one of wire,"]:
        assert expected in strict, strict
    for line in (14, 15, 19, 21):  # the disputed note cites a wire; the English paragraphs cite something
        assert f"altman-fired.md:{line}: " not in strict, strict


def test_strict_check_flags_name_variants_with_the_canonical_spelling(make_site, tmp_path):
    text = FIRED_MD.replace("샘 올트먼을", "알트만을")
    built = make_site({EVENT: text})
    strict = run_cli("check", "--strict", "--content", str(built.content), cwd=tmp_path)
    assert "altman-fired.md:10: `알트만` is spelled `샘 올트먼` on this site" in strict.stderr


FORMAT_CASES = {
    "summary in a missing language": (event_with("summary:\n  ko: 요약.[@openai-post]\n  fr: Résumé.\n"),
                                      "events/altman-fired.md:8: unknown language `fr` in `summary`"),
    "summary of two paragraphs": (event_with("summary:\n  en: |\n    One.[@openai-post]\n\n    Two.[@openai-post]\n"),
                                  "events/altman-fired.md:7: `summary.en` must be one paragraph of one or two "
                                  "sentences; the rest belongs in the body"),
    "summary citing an unknown source": (event_with("summary:\n  en: Fired.[@nobody]\n"),
                                         "events/altman-fired.md:7: unknown source `nobody`; add it to sources.yaml"),
    "order that is not a number": (event_with("order: first\n"), "events/altman-fired.md:6: `order` must be a whole number"),
    "time in a DST gap": (event_with().replace("2023-11-17", "2024-03-10 02:30"),
                          "events/altman-fired.md:2: `date`: 2024-03-10 02:30 does not exist in America/Los_Angeles "
                          "(the clocks skip it); check the time"),
    "repeated local time": (event_with().replace("2023-11-17", "2024-11-03 01:30"),
                            "events/altman-fired.md:2: `date`: 2024-11-03 01:30 happens twice in America/Los_Angeles"),
    "unknown day period": (event_with().replace("2023-11-17", "2023-11-17 noonish"),
                           "events/altman-fired.md:2: `date`: `2023-11-17 noonish` is not a date"),
    "unknown source kind": ("", ""),
}
SOURCES_WITH_KIND = ("openai-post:\n  title: T\n  publisher: OpenAI\n  kind: offical\n  date: 2023\n  lang: en\n"
                     "korean-report:\n  title: T\n  publisher: P\n  kind: wire\n  date: 2023\n  lang: ko\n")


@pytest.mark.parametrize("name", sorted(FORMAT_CASES))
def test_each_format_mistake_is_reported_with_file_and_line(make_site, name):
    text, expected = FORMAT_CASES[name]
    if name == "unknown source kind":
        built = make_site({"sources.yaml": SOURCES_WITH_KIND})
        expected = ("sources.yaml:4: unknown kind `offical` (did you mean `official`?); use one of wire, newspaper, "
                    "broadcaster, magazine, news-site, official, filing, social, paper, book, blog, newsletter, "
                    "aggregator, forum, wiki")
    else:
        built = make_site({EVENT: text})
    assert not built.result.ok
    assert any(m.endswith(expected) or expected in m for m in built.messages), built.messages
