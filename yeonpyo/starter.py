"""`yeonpyo init DIR`: a new project that builds, and passes `check --strict`, at once.

It holds a `content/` folder (site.yaml with one era and a summary, one source, person and
tag, two example events: one timed in a named zone with a disputed note, one known to the
day), a README for its editors, a `.gitignore`, a `requirements.txt` and a GitHub Pages
workflow. Example texts exist in Korean and English; for any other language the English
text is written with TODO markers, and so is a copy of the English UI strings in
`strings/<lang>.yaml`, so that `check --strict` lists what is left to translate.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .dates import parse_zone
from .i18n import known_language
from .strings import TODO_MARKER
from .theme import Theme

_EXAMPLES: dict[str, dict[str, str]] = {
    "ko": {
        "title": "새 연표",
        "description": "출처를 단 연표.",
        "summary": "연표가 무엇을 다루는지 두세 문장으로 적습니다. 독자가 첫 화면에서 읽는 글입니다.",
        "era": "시작",
        "tag": "발표",
        "person": "홍길동",
        "role": "대변인",
        "first_title": "첫 발표",
        "first_summary": "대변인이 계획을 발표했다.[@example-report]",
        "first_body": "대변인이 기자회견에서 계획을 발표했다.[@example-report]\n\n"
                      "> [!DISPUTED]\n> 발표 시각은 보도마다 다르다. 여기서는 주최 측 공지를 따랐다.[@example-report]",
        "second_title": "후속 보도",
        "second_summary": "다음 날 후속 보도가 나왔다.[@example-report]",
        "second_body": "다음 날 후속 보도가 나왔다.[@example-report]",
    },
    "en": {
        "title": "A new timeline",
        "description": "A timeline with its sources.",
        "summary": "Say in two or three sentences what this timeline is about: readers see it first.",
        "era": "The beginning",
        "tag": "Announcements",
        "person": "Alex Kim",
        "role": "Spokesperson",
        "first_title": "The first announcement",
        "first_summary": "A spokesperson announced the plan.[@example-report]",
        "first_body": "A spokesperson announced the plan at a news conference.[@example-report]\n\n"
                      "> [!DISPUTED]\n> Reports give different times for the announcement; this one follows "
                      "the organisers' notice.[@example-report]",
        "second_title": "A follow-up report",
        "second_summary": "A follow-up report appeared the next day.[@example-report]",
        "second_body": "A follow-up report appeared the next day.[@example-report]",
    },
}
# How a CLDR pattern string keeps a marker: quoted, as literal text.
_PATTERN_KEYS = {"day_heading"}


class StarterError(ValueError):
    """A wrong language or zone, or a folder that already holds a project."""


def init_project(folder: Path, languages: tuple[str, ...], zone: str) -> list[Path]:
    """Write a new project into `folder` (which may exist, but not hold `content/`); the files written."""
    if len(languages) < 2 or len(set(languages)) != len(languages):
        raise StarterError("--languages needs two different languages or more, e.g. ko,en")
    for code in languages:
        if not known_language(code):
            raise StarterError(f"unknown language `{code}`: use a CLDR language code such as ko, en, ja, zh or ar")
    try:
        parse_zone(zone)
    except ValueError as err:
        raise StarterError(str(err)) from None
    if (folder / "content").exists():
        raise StarterError(f"{folder / 'content'} already exists; choose an empty folder")
    files = _files(languages, zone)
    written = []
    for relative, text in files.items():
        path = folder / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as handle:  # never overwrite
                handle.write(text)
        except FileExistsError:
            raise StarterError(f"{path} already exists; choose an empty folder") from None
        except OSError as err:
            raise StarterError(f"cannot write {path}: {err.strerror or err}") from None
        written.append(path)
    return written


def _text(lang: str, key: str) -> str:
    """An example text in `lang`, or the English one marked to translate."""
    if lang in _EXAMPLES:
        return _EXAMPLES[lang][key]
    return f"{TODO_MARKER} {_EXAMPLES['en'][key]}"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _per_language(languages: tuple[str, ...], key: str, indent: str = "  ") -> str:
    return "\n".join(f"{indent}{lang}: {_quoted(_text(lang, key))}" for lang in languages)


def _files(languages: tuple[str, ...], zone: str) -> dict[str, str]:
    files = {
        "content/site.yaml": _site(languages, zone),
        "content/sources.yaml": _SOURCES,
        "content/people.yaml": f"spokesperson:\n  name:\n{_per_language(languages, 'person', '    ')}\n"
                               f"  role:\n{_per_language(languages, 'role', '    ')}\n",
        "content/tags.yaml": f"announcements:\n{_per_language(languages, 'tag')}\n",
        "content/events/2024-first-announcement.md": _event(languages, "first", f"2024-01-15 10:30\ntz: {zone}"),
        "content/events/2024-follow-up.md": _event(languages, "second", "2024-01-16"),
        "README.md": _README,
        ".gitignore": "_site/\n._site.*/\n._site.lock\n._site.writing\n.venv/\n__pycache__/\n",
        "requirements.txt": "# Where the Pages workflow installs yeonpyo from: pin the version or source\nyeonpyo\n",
        ".github/workflows/pages.yml": _WORKFLOW,
    }
    english = Theme.builtin().strings[-1] / "en.yaml"
    for lang in languages:
        if not (Theme.builtin().strings[-1] / f"{lang}.yaml").is_file():
            files[f"strings/{lang}.yaml"] = _strings_to_translate(english.read_text(encoding="utf-8"), lang)
    return files


def _site(languages: tuple[str, ...], zone: str) -> str:
    return (f"# The site's settings: every text in every language of `languages`.\n"
            f"title:\n{_per_language(languages, 'title')}\n"
            f"description:\n{_per_language(languages, 'description')}\n"
            f"summary:\n{_per_language(languages, 'summary')}\n"
            f"base_url: https://example.org/timeline/\n"
            f"languages: [{', '.join(languages)}]\n"
            f"timezone: {zone}\n"
            f"eras:\n  - key: beginning\n    title:\n{_per_language(languages, 'era', '      ')}\n"
            f"    start: 2024\n    end: 2024\n")


def _event(languages: tuple[str, ...], which: str, date: str) -> str:
    sections = "\n\n".join(f"<!-- {lang} -->\n{_text(lang, which + '_body')}" for lang in languages)
    return (f"---\ndate: {date}\ntitle:\n{_per_language(languages, which + '_title')}\n"
            f"summary:\n{_per_language(languages, which + '_summary')}\n"
            f"tags: [announcements]\npeople: [spokesperson]\n---\n{sections}\n")


def _strings_to_translate(english: str, lang: str) -> str:
    """The English UI strings with a TODO on each text, for a language the theme lacks."""
    table = yaml.safe_load(english)
    marked = {key: (f"'{TODO_MARKER}' {text}" if key in _PATTERN_KEYS else f"{TODO_MARKER} {text}") if text else text
              for key, text in table.items()}
    head = f"# Interface strings for `{lang}`, copied from English: translate each text and remove its TODO.\n"
    return head + yaml.safe_dump(marked, allow_unicode=True, sort_keys=False, width=1000)


_SOURCES = """\
# Every source the events cite: key -> what a bibliography needs.
example-report:
  title: An example report
  publisher: Example News
  kind: news-site
  date: 2024-01-15
  lang: en
  url: https://example.org/news/example-report
"""

_README = """\
# A timeline made with yeonpyo

Each event is one Markdown file in `content/events/`, every language in the same file.

    yeonpyo serve            # build, serve at http://127.0.0.1:8000/ and reload on every save
    yeonpyo new <slug>       # a new event with a section per language to fill in
    yeonpyo check --strict   # every problem and every missing translation, as path:line: message
    yeonpyo build            # the site, into _site/

- `content/site.yaml`: the title, the summary on the first screen, languages, time zone, eras.
- `content/sources.yaml`, `people.yaml`, `tags.yaml`: what events cite and name.
- End every factual sentence with its source, `[@source-key]`; `> [!DISPUTED]` marks where
  sources disagree.
- The look: a file in `templates/` or `static/` here replaces the built-in one of the same
  name; `strings/<lang>.yaml` changes interface texts key by key.
"""

_WORKFLOW = """\
# Build the timeline and publish it to GitHub Pages on every push to main.
name: Publish
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - uses: actions/configure-pages@v5
        id: pages
      - name: Build
        run: |
          python -m pip install -q -r requirements.txt
          # A project site lives under /<repository>/: base_url follows it.
          yeonpyo build --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""
