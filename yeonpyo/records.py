"""The YAML records every Markdown file refers to: site.yaml, sources, people and tags."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import markup
from .dates import end_of, parse_zone, start_of
from .i18n import known_language
from .media import locate_file
from .model import SOURCE_KINDS, Era, Figure, Person, Site, Source, Tag
from .problems import Problems, shown, suggestion
from .schema import KEY, Fields
from .yamlio import LineDict, load_yaml, read_text

# What every Markdown file's validity depends on: its revision is their stamps' digests.
RECORD_FILES = ("site.yaml", "sources.yaml", "people.yaml", "tags.yaml")
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def load_records(root: Path, problems: Problems, base_url: str | None = None
                  ) -> tuple[Site, dict[str, Source], dict[str, Person], dict[str, Tag]] | None:
    """site.yaml and the keyed files every Markdown file refers to."""
    site = _load_site(root / "site.yaml", problems, base_url)
    if site is None:
        return None
    sources = _load_keyed(root / "sources.yaml", problems, lambda k, f: _source(k, f, site.languages))
    people = _load_keyed(root / "people.yaml", problems, lambda k, f: _person(k, f, site.languages))
    tags = _load_keyed(root / "tags.yaml", problems, lambda k, f: _tag(k, f, site.languages))
    return site, sources, people, tags


def _load_mapping(path: Path, problems: Problems, required: bool) -> LineDict | None:
    """A YAML file holding one mapping; an optional file may be missing (not empty, if required)."""
    if not os.path.lexists(path):
        if required:
            problems.add(path, 0, "file is missing")
        return None
    before = len(problems)
    text = read_text(path, problems)
    data = load_yaml(text, path, problems) if text is not None else None
    if len(problems) > before:
        return None
    if data is None:
        if required:
            problems.add(path, 1, "the file is empty; it needs the site's settings (see the README)")
        return None
    if not isinstance(data, LineDict):
        problems.add(path, 1, "expected a mapping of `key: value` lines")
        return None
    return data


def _load_site(path: Path, problems: Problems, base_url_given: str | None = None) -> Site | None:
    """site.yaml; `base_url_given` (the command line's) stands in for a missing `base_url`."""
    data = _load_mapping(path, problems, required=True)
    if data is None:
        return None
    f = Fields(data, path, problems, {"title", "description", "summary", "base_url", "languages", "timezone",
                                      "home_zones", "eras", "events_per_page", "sources_per_page", "footer",
                                      "search_hint", "share_image"}, "site.yaml")
    languages = _languages(f)
    zone = f.zone("timezone") if "timezone" in data else f.required("timezone")
    base_url = base_url_given or f.base_url("base_url")
    title = f.by_language("title", languages)
    description = f.by_language("description", languages)
    reader = markup.Reader()
    summary = _site_text(f, "summary", languages, reader)
    eras = _eras(f, languages, zone)
    home_zones = _home_zones(f, languages)
    footer, search_hint = (_site_text(f, key, languages, reader) for key in ("footer", "search_hint"))
    share_image = _share_image(f, path.parent, languages, title or {})
    if zone is None or base_url is None or title is None or description is None or not languages:
        return None
    return Site(title, description, base_url.rstrip("/") + "/", languages, zone, eras, home_zones, summary,
                footer, search_hint, _per_page(f, "events_per_page"), _per_page(f, "sources_per_page"), share_image)


def _share_image(f: Fields, root: Path, languages: tuple[str, ...], title: dict[str, str]) -> Figure | None:
    """`share_image: {image: cover.png, alt: {…}}`: the picture link previews show for pages
    without one of their own (a file in content/media/ or content/), credited to the site."""
    if "share_image" not in f.data:
        return None
    entry = Fields(f.data["share_image"], f.path, f.problems, {"image", "alt"}, "`share_image`", f.line("share_image"))
    name, alt = entry.text("image"), entry.by_language("alt", languages)
    file = locate_file(name, root, root, f.problems, f.path, entry.line("image")) if name else None
    if file is None or alt is None or name is None:
        return None
    return Figure("image", name, file, entry.data.line, alt, {}, title)


def _site_text(f: Fields, key: str, languages: tuple[str, ...], reader: markup.Reader) -> dict[str, str]:
    """An optional text per language (`footer`, `search_hint`), with typographic quotes."""
    given = f.by_language(key, languages, required=False) or {}
    return {lang: reader.typography(text) for lang, text in given.items()}


def _per_page(f: Fields, key: str) -> int:
    """`events_per_page`, `sources_per_page`: how long a list may be before it is split by year."""
    default: int = getattr(Site, key)  # the dataclass's default
    value = f.integer(key, default)
    if not 1 <= value <= 10_000:
        f.error(key, f"`{key}` must be between 1 and 10000")
        return default
    return value


# Readers of these languages see times elsewhere beside their own unless site.yaml says otherwise.
DEFAULT_HOME_ZONES = {"ko": "Asia/Seoul"}


def _home_zones(f: Fields, languages: tuple[str, ...]) -> dict[str, ZoneInfo]:
    """`home_zones: {ko: Asia/Seoul}`: the zone each language's readers live in (`none` for
    readers in many zones); a time elsewhere is shown beside their own."""
    given = f.data.get("home_zones")
    if given is None:
        given = LineDict()
        given.line, given.lines, given.duplicates = f.line("home_zones"), {}, []
    elif not isinstance(given, LineDict):
        f.error("home_zones", "`home_zones` needs a zone per language, e.g. {ko: Asia/Seoul}")
        given = LineDict()
    zones = {}
    for lang in languages:
        name = given.get(lang, DEFAULT_HOME_ZONES.get(lang, "none"))
        if name == "none":
            continue
        try:
            zones[lang] = parse_zone(name)
        except ValueError as err:
            f.problems.add(f.path, given.line_of(lang), f"`home_zones.{lang}`: {err}")
    for lang in given:
        if lang not in languages:
            f.problems.add(f.path, given.line_of(lang), f"unknown language `{lang}` in `home_zones`")
    return zones


def _languages(f: Fields) -> tuple[str, ...]:
    value = f.required("languages")
    if not isinstance(value, list) or not value:
        if value is not None:
            f.error("languages", "`languages` must be a list such as [ko, en]")
        return ()
    known = [str(v) for v in value if known_language(str(v))]
    for code in (str(v) for v in value if not known_language(str(v))):
        f.error("languages", f"unknown language {shown(code)}: use a CLDR language code such as ko, en, ja, zh or ar")
    for code in sorted({str(v) for v in value if value.count(v) > 1}):
        f.error("languages", f"`{code}` is listed twice in `languages`")
    if len(set(known)) == 1 and len(known) == len(value):
        f.error("languages", "a timeline needs two languages or more, such as [ko, en]")
    return tuple(dict.fromkeys(known))


# An era this short is told day by day unless site.yaml says otherwise (`days: false`).
DAY_BY_DAY_DAYS = 7


def _eras(f: Fields, languages: tuple[str, ...], zone: ZoneInfo | None) -> tuple[Era, ...]:
    value = f.data.get("eras", [])
    if not isinstance(value, list):
        f.error("eras", "`eras` must be a list of eras")
        return ()
    eras: list[Era] = []
    for item in value:
        era = Fields(item, f.path, f.problems, {"key", "title", "start", "end", "days"}, "an era", f.line("eras"))
        key, title = era.text("key"), era.by_language("title", languages)
        start, end = era.when("start"), era.when("end")
        short = bool(start and end and zone and (end_of(end, zone) - start_of(start, zone)).days <= DAY_BY_DAY_DAYS)
        by_day = era.flag("days") if "days" in era.data else short
        if key and not KEY.match(key):
            era.error("key", f"era key `{key}` must use a-z, 0-9 and hyphens")
        elif key in {e.key for e in eras}:
            era.error("key", f"era `{key}` is defined twice")
        if key and title and start and end:
            eras.append(Era(key, title, start, end, by_day))
    return tuple(eras)


def _load_keyed(path: Path, problems: Problems, make: Any) -> dict[str, Any]:
    """A `key -> record` file (sources, people, tags); missing means empty."""
    data = _load_mapping(path, problems, required=False)
    records: dict[str, Any] = {}
    if data is None:
        return records
    for key, value in data.items():
        if not KEY.match(str(key)):
            problems.add(path, data.line_of(key), f"key `{key}` must use a-z, 0-9 and hyphens")
            continue
        record = make(str(key), _Keyed(value, path, problems, data.line_of(key)))
        if record is not None:
            records[str(key)] = record
    return records


class _Keyed:
    """Defers building `Fields` until the record knows its allowed keys."""

    def __init__(self, value: Any, path: Path, problems: Problems, line: int) -> None:
        self.value, self.path, self.problems, self.line = value, path, problems, line

    def fields(self, allowed: set[str], what: str) -> Fields:
        return Fields(self.value, self.path, self.problems, allowed, what, self.line)


def _source(key: str, keyed: _Keyed, languages: tuple[str, ...]) -> Source | None:
    f = keyed.fields({"title", "publisher", "kind", "date", "lang", "url", "archive", "no_url",
                      *(f"title_{code}" for code in languages)}, f"source `{key}`")
    title, publisher, date, lang = f.text("title"), f.text("publisher"), f.when("date"), f.text("lang")
    kind = f.text("kind", required=False)
    if kind is not None and kind not in SOURCE_KINDS:
        f.error("kind", f"unknown kind `{kind}`{suggestion(kind, set(SOURCE_KINDS))}; use one of "
                f"{', '.join(SOURCE_KINDS)}")
        kind = None
    url, archive = f.web_url("url"), f.web_url("archive")
    if lang and not _LANG_CODE.match(lang):
        f.error("lang", f"`lang` must be a language code such as ko, en or zh, not `{lang}`")
    translated = {code: text for code in languages if (text := f.text(f"title_{code}", required=False))}
    no_url = f.by_language("no_url", languages, required=False)
    if no_url and (url or archive):
        f.error("no_url", "`no_url` explains a missing address, but this source has one")
    if not (title and publisher and date and lang):
        return None
    return Source(key, title, publisher, date, lang, url, archive, translated, str(keyed.path), keyed.line, kind,
                  no_url)


def _person(key: str, keyed: _Keyed, languages: tuple[str, ...]) -> Person | None:
    f = keyed.fields({"name", "role", "variants"}, f"person `{key}`")
    name, role = f.by_language("name", languages), f.by_language("role", languages)
    variants: dict[str, tuple[str, ...]] = {}
    raw = f.data.get("variants") or {}
    if not isinstance(raw, dict):
        f.error("variants", "`variants` needs a list per language, e.g. {ko: [알트만]}")
    else:
        for lang, spellings in raw.items():
            if lang not in languages or not isinstance(spellings, list):
                f.error("variants", f"`variants.{lang}` must be a list for one of {', '.join(languages)}")
            else:
                variants[lang] = tuple(str(s) for s in spellings if str(s).strip())
    return Person(key, name, role, variants) if name and role else None


def _tag(key: str, keyed: _Keyed, languages: tuple[str, ...]) -> Tag | None:
    holder = LineDict({"label": keyed.value})
    holder.line, holder.lines, holder.duplicates = keyed.line, {"label": keyed.line}, []
    label = Fields(holder, keyed.path, keyed.problems, {"label"}, f"tag `{key}`").by_language("label", languages)
    return Tag(key, label) if label else None
