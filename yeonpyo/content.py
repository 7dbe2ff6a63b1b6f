"""Loading and validating a content folder into the model; every fault is collected."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import markup
from .dates import end_of, instant, local_time_problem, parse_zone, start_of
from .model import LANGUAGES, SOURCE_KINDS, Content, Correction, Era, Event, Page, Person, Section, Site, Source, Tag
from .problems import Problems, shown, suggestion
from .schema import KEY, Fields
from .stamps import FileStamp, stamps_of, still
from .workers import map_forked
from .yamlio import LineDict, load_yaml, read_text, split_front_matter

EVENT_KEYS = {"date", "tz", "end", "approximate", "title", "summary", "order", "key", "tags", "people", "updated",
              "corrections"}
PAGE_KEYS = {"title", "nav", "order", "analysis"}
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def load_content(root: Path, memo: dict[str, Any] | None = None, touched: frozenset[str] | None = None,
                 fork: bool = False, base_url: str | None = None) -> tuple[Content | None, Problems]:
    """Read `root` (site.yaml, sources, people, tags, events/, pages/) into a `Content`.

    `memo` (kept by `serve` between builds) lets an unchanged Markdown file skip parsing and
    checking: its record and problems are reused while it and the YAML files are unchanged.
    `touched`, the absolute paths a file watcher saw change since the last build, lets the
    other files go unlisted and unexamined; None means look at every file. `fork` lets a
    first reading of many files spread over the cores. `base_url` (the command line's)
    replaces site.yaml's, or stands in for it when it has none.
    """
    problems = Problems()
    yaml_files: list[str | os.PathLike[str]] = [root / name for name in _RECORD_FILES]
    records = memo.get("records") if memo is not None else None
    if records is None or not still(records[0], yaml_files):
        found = Problems()
        stamps = stamps_of(yaml_files)
        revision = "|".join(stamp.digest if stamp else "-" for stamp in stamps)
        records = (stamps, revision, _load_records(root, found, base_url), found)
        if memo is not None:
            memo["records"] = records
    _stamps, revision, loaded, found = records
    problems.extend(found)
    if loaded is None:
        return None, problems
    site, sources, people, tags = loaded
    documents = memo.setdefault("documents", {}) if memo is not None else None
    listed, reused = _listing(root, memo, touched, problems)
    trusted = touched if reused else None  # the watcher's names matched ours: trust what it did not name
    if documents and not reused:  # forget files that are gone (the memo is kept between processes)
        for path in set(documents) - {path for paths in listed.values() for path in paths}:
            del documents[path]
    reader = markup.Reader()
    events = [e for e in _load_all(listed["events"], revision, documents, trusted, problems, fork,
                                   lambda path, found: _load_event(path, root, site, sources, people, tags, reader,
                                                                   found)) if e]
    pages = [p for p in _load_all(listed["pages"], revision, documents, trusted, problems, fork,
                                  lambda path, found: _load_page(path, root, site, sources, reader, found)) if p]
    events.sort(key=event_order)
    pages.sort(key=lambda p: (p.order, p.slug))
    era_of = _assign_eras(events, site, root, problems)
    if problems:
        return None, problems
    return Content(site, sources, people, tags, tuple(events), tuple(pages), era_of, revision, str(root)), problems


def event_order(event: Event) -> tuple[float, int, int, str]:
    """Events in the order they happened: by the first instant of their period, a coarser
    period first on a tie, then by the author's `order`, then by slug."""
    return instant(event.when, event.zone), event.when.precision_rank, event.order, event.slug


def _load_records(root: Path, problems: Problems, base_url: str | None = None
                  ) -> tuple[Site, dict[str, Source], dict[str, Person], dict[str, Tag]] | None:
    """site.yaml and the keyed files every Markdown file refers to."""
    site = _load_site(root / "site.yaml", problems, base_url)
    if site is None:
        return None
    sources = _load_keyed(root / "sources.yaml", problems, lambda k, f: _source(k, f, site.languages))
    people = _load_keyed(root / "people.yaml", problems, lambda k, f: _person(k, f, site.languages))
    tags = _load_keyed(root / "tags.yaml", problems, lambda k, f: _tag(k, f, site.languages))
    return site, sources, people, tags


# What every Markdown file's validity depends on: its revision is their stamps' digests.
_RECORD_FILES = ("site.yaml", "sources.yaml", "people.yaml", "tags.yaml")


def _listing(root: Path, memo: dict[str, Any] | None, touched: frozenset[str] | None,
             problems: Problems) -> tuple[dict[str, list[str]], bool]:
    """The Markdown files of events/ and pages/, and whether they are the last listing, reused
    while nothing was added, removed or renamed there (every touched path below `root` is a
    listed file still present, or one of the YAML files)."""
    last = memo.get("listing") if memo is not None and touched is not None else None
    top = os.path.abspath(root) + os.sep
    if last is not None and all(
            (path in last[1] and os.path.isfile(path)) or (os.path.dirname(path) + os.sep == top
                                                           and path.endswith(".yaml"))
            for path in touched if path.startswith(top)):  # type: ignore[union-attr]
        problems.extend(last[2])
        return last[0], True
    found = Problems()
    listed = {folder: _markdown_files(root / folder, found) for folder in ("events", "pages")}
    if not listed["events"] and not found:
        found.add(root / "events", 0, "there are no events yet: add one with `new <slug>`")
    if memo is not None:
        memo["listing"] = (listed, {os.path.abspath(p) for paths in listed.values() for p in paths}, found)
    problems.extend(found)
    return listed, False


def _load_all(paths: list[str], revision: str, documents: dict | None, trusted: frozenset[str] | None,
              problems: Problems, fork: bool, load: Any) -> list[Any]:
    """`load` every path, through `_remembered`; a first reading (nothing remembered yet) may
    run on every core, remembering what it read."""
    if not fork or documents is None or documents:
        return [_remembered(path, revision, documents, trusted, problems, load) for path in paths]

    def fresh(path: str) -> tuple[tuple[FileStamp | None, str], Any, list]:
        stamp = FileStamp.of(path)
        found = Problems()
        return (stamp, revision), load(Path(path), found), list(found.items)

    results = []
    for path, (key, result, items) in zip(paths, map_forked(fresh, paths)):
        problems.items.extend(items)
        documents[path] = (key, result, items)
        results.append(result)
    return results


def _remembered(path: str, revision: str, documents: dict | None, trusted: frozenset[str] | None,
                problems: Problems, load: Any) -> Any:
    """`load(path, problems)`, or its remembered result while the file and the YAML are unchanged
    (unchanged: not `trusted` to have changed, or else by its stamp)."""
    if documents is None:
        return load(Path(path), problems)
    hit = documents.get(path)
    if hit is not None and hit[0][1] == revision and (
            (trusted is not None and os.path.abspath(path) not in trusted)
            or (hit[0][0] is not None and hit[0][0].matches(path))):
        if hit[0][0] is not None and hit[0][0].racy:  # found unchanged by its bytes: trust its times next time
            hit = documents[path] = ((hit[0][0].renewed(path), revision), hit[1], hit[2])
        problems.items.extend(hit[2])
        return hit[1]
    stamp = FileStamp.of(path)
    found = Problems()
    result = load(Path(path), found)
    problems.extend(found)
    documents[path] = ((stamp, revision), result, list(found.items))
    return result


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
                                      "home_zones", "eras"}, "site.yaml")
    languages = _languages(f)
    zone = f.zone("timezone") if "timezone" in data else f.required("timezone")
    base_url = base_url_given or f.base_url("base_url")
    title = f.by_language("title", languages)
    description = f.by_language("description", languages)
    reader = markup.Reader()
    summary = {lang: reader.typography(text)
               for lang, text in (f.by_language("summary", languages, required=False) or {}).items()}
    eras = _eras(f, languages, zone)
    home_zones = _home_zones(f, languages)
    if None in (zone, base_url, title, description) or not languages:
        return None
    return Site(title, description, base_url.rstrip("/") + "/", languages, zone, eras, home_zones,  # type: ignore[arg-type]
                summary)


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
    unknown = [str(v) for v in value if v not in LANGUAGES]
    for code in unknown:
        f.error("languages", f"unsupported language {shown(code)}{suggestion(code, set(LANGUAGES))}; "
                f"supported: {', '.join(LANGUAGES)}")
    for code in sorted({str(v) for v in value if value.count(v) > 1}):
        f.error("languages", f"`{code}` is listed twice in `languages`")
    return tuple(dict.fromkeys(str(v) for v in value if v in LANGUAGES))


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
    for key, value in (data or {}).items():
        if not KEY.match(str(key)):
            problems.add(path, data.line_of(key), f"key `{key}` must use a-z, 0-9 and hyphens")  # type: ignore[union-attr]
            continue
        record = make(str(key), _Keyed(value, path, problems, data.line_of(key)))  # type: ignore[union-attr]
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
    f = keyed.fields({"title", "publisher", "kind", "date", "lang", "url", "archive", "no_url", "title_ko", "title_en"},
                     f"source `{key}`")
    title, publisher, date, lang = f.text("title"), f.text("publisher"), f.when("date"), f.text("lang")
    kind = f.text("kind", required=False)
    if kind is not None and kind not in SOURCE_KINDS:
        f.error("kind", f"unknown kind `{kind}`{suggestion(kind, set(SOURCE_KINDS))}; use one of "
                f"{', '.join(SOURCE_KINDS)}")
        kind = None
    url, archive = f.web_url("url"), f.web_url("archive")
    if lang and not _LANG_CODE.match(lang):
        f.error("lang", f"`lang` must be a language code such as ko, en or zh, not `{lang}`")
    translated = {code: text for code in LANGUAGES if (text := f.text(f"title_{code}", required=False))}
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


# Files an editor leaves beside the ones it edits: never content.
_LEFTOVER = re.compile(r"^(\.#.*|#.*#|.*~|\..*\.sw[a-p]|.*\.(bak|orig|tmp|swp))$")


def _markdown_files(folder: Path, problems: Problems) -> list[str]:
    """Markdown files below `folder`, in any subfolder; a stem used twice is an error.

    Hidden files and folders and editors' leftovers (`.#x.md`, `x.md~`, `.x.md.swp`) are
    skipped; `.MD` and `.markdown` files are named in a warning (only `.md` is read); a
    symbolic link to a folder is an error (links to files are followed)."""
    found = []
    for where, dirs, names in os.walk(folder):
        for name in sorted(dirs):
            if os.path.islink(os.path.join(where, name)):
                problems.add(Path(where) / name, 0, "a symbolic link to a folder is not followed; move the files here")
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(where, d)))
        parts = tuple(os.path.relpath(where, folder).split(os.sep))
        for name in names:
            if name.startswith(".") or _LEFTOVER.match(name):
                continue
            if name.endswith(".md"):
                found.append((parts, name, os.path.join(where, name)))
            elif name.lower().endswith((".md", ".markdown", ".mdown")):
                problems.warn(Path(where) / name, 0, "not read: only files ending in `.md` are content; rename it")
    first: dict[str, str] = {}
    kept = []
    for _parts, name, path in sorted(found):
        stem = name[:-3]
        if stem in first:
            problems.add(Path(path), 1, f"slug `{stem}` is used twice: here and in {first[stem]}")
        else:
            first[stem] = path
            if KEY.match(stem):
                kept.append(path)
        if not KEY.match(stem):
            problems.add(Path(path), 1, f"bad slug {shown(stem)}: a file name may use only a-z, 0-9 and hyphens")
    return kept


def _read_document(path: Path, allowed: set[str], what: str, problems: Problems
                   ) -> tuple[Fields, str, int] | None:
    text = read_text(path, problems)
    parts = split_front_matter(text, path, problems) if text is not None else None
    if parts is None:
        return None
    front, body, body_line = parts
    before = len(problems)
    data = load_yaml(front, path, problems, first_line=2)
    if data is None and len(problems) == before:
        problems.add(path, 2, "front matter is empty")
    if data is None:
        return None
    return Fields(data, path, problems, allowed, what), body, body_line


def _sections(f: Fields, body: str, body_line: int, title: dict[str, str] | None, languages: tuple[str, ...],
              sources: dict[str, Source], reader: markup.Reader) -> dict[str, Section]:
    raw = markup.split_sections(body, body_line, languages, f.path, f.problems)
    sections = {lang: _section(lang, s.text, s.first_line, sources, reader, f) for lang, s in raw.items()}
    for lang in languages:
        has_title, has_body = bool(title and lang in title), lang in sections
        if has_title and not has_body:
            f.error("title", f"`title.{lang}` is given but there is no `<!-- {lang} -->` section")
        elif has_body and not has_title and title is not None:
            f.problems.add(f.path, sections[lang].first_line - 1, f"`<!-- {lang} -->` section has no `title.{lang}`")
    if not sections and title is not None:
        f.problems.add(f.path, body_line, "no language section: add `<!-- ko -->` and `<!-- en -->` sections")
    return sections


def _section(lang: str, text: str, first_line: int, sources: dict[str, Source], reader: markup.Reader,
             f: Fields) -> Section:
    parsed = reader.read(text, first_line, sources, f.path, f.problems)
    return Section(lang, text, first_line, parsed.citations, parsed.html, parsed.paragraphs)


def _titles(f: Fields, languages: tuple[str, ...], reader: markup.Reader) -> dict[str, str] | None:
    """`title: {ko: …, en: …}`, with typographic quotes and apostrophes as in the body."""
    titles = f.by_language("title", languages, every=False)
    return {lang: reader.typography(text) for lang, text in titles.items()} if titles else None


def _summary(f: Fields, sections: dict[str, Section], languages: tuple[str, ...], sources: dict[str, Source],
             reader: markup.Reader) -> dict[str, Section]:
    """`summary: {ko: …, en: …}`: one or two cited sentences per language, Markdown like the body."""
    texts = f.by_language("summary", languages, every=False, required=False) or {}
    lines = f.data.get("summary")
    summary = {}
    for lang, text in texts.items():
        line = lines.line_of(lang) if isinstance(lines, LineDict) else f.line("summary")
        if lang not in sections:
            f.problems.add(f.path, line, f"`summary.{lang}` is given but there is no `<!-- {lang} -->` section")
        section = summary[lang] = _section(lang, text, line, sources, reader, f)
        if section.html and (len(section.paragraphs) != 1 or section.html.count("<p") != 1
                             or not section.html.startswith("<p>")):
            f.problems.add(f.path, line, f"`summary.{lang}` must be one paragraph of one or two sentences; "
                           "the rest belongs in the body")
    return summary


def _load_event(path: Path, root: Path, site: Site, sources: dict[str, Source], people: dict[str, Person],
                tags: dict[str, Tag], reader: markup.Reader, problems: Problems) -> Event | None:
    read = _read_document(path, EVENT_KEYS, "an event", problems)
    if read is None:
        return None
    f, body, body_line = read
    when, end, zone = f.when("date"), f.when("end", required=False), f.zone("tz", site.zone)
    title = _titles(f, site.languages, reader)
    sections = _sections(f, body, body_line, title, site.languages, sources, reader)
    summary = _summary(f, sections, site.languages, sources, reader)
    event_tags, event_people = f.keys("tags", tags, "tag"), f.keys("people", people, "person")
    approximate, order = f.flag("approximate"), f.integer("order", 0)
    turning_point = f.by_language("key", site.languages, required=False) or {}
    for lang, label in turning_point.items():
        if len(label) > 40:
            f.problems.add(f.path, f.data["key"].line_of(lang), f"`key.{lang}` labels the event on the chart: "
                           f"at most 40 characters, not {len(label)}")
    updated, corrections = f.when("updated", required=False), _corrections(f, site.languages)
    for field_name, value in (("date", when), ("end", end)):
        problem = local_time_problem(value, zone) if value and zone else None
        if problem:
            f.error(field_name, f"`{field_name}`: {problem}")
    if when and end and zone and end_of(end, zone) <= start_of(when, zone):
        f.error("end", "`end` is before `date`")
    if corrections and updated and corrections[0].date.sort_key > updated.sort_key:
        f.error("updated", "`updated` is older than the newest correction")
    if not (when and zone and title and sections):
        return None
    return Event(path.stem, str(path), f.line("date"), when, end, zone, approximate, title, _title_lines(f),
                 event_tags, event_people, sections, updated or (corrections[0].date if corrections else None),
                 corrections, summary, order, turning_point)


def _corrections(f: Fields, languages: tuple[str, ...]) -> tuple[Correction, ...]:
    """`corrections:` as a list of {date, ko, en}, returned newest first."""
    value = f.data.get("corrections", [])
    if not isinstance(value, list):
        f.error("corrections", "`corrections` must be a list of {date, ko, en} entries")
        return ()
    found = []
    for item in value:
        entry = Fields(item, f.path, f.problems, {"date", *languages}, "a correction", f.line("corrections"))
        date = entry.when("date")
        text = {lang: t for lang in languages if (t := entry.text(lang, required=False))}
        if not text:
            entry.error("date", f"a correction needs its text in {' or '.join(languages)}")
        elif date:
            found.append(Correction(date, text))
    return tuple(sorted(found, key=lambda c: c.date.sort_key, reverse=True))


def _load_page(path: Path, root: Path, site: Site, sources: dict[str, Source], reader: markup.Reader,
               problems: Problems) -> Page | None:
    read = _read_document(path, PAGE_KEYS, "a page", problems)
    if read is None:
        return None
    f, body, body_line = read
    title = _titles(f, site.languages, reader)
    sections = _sections(f, body, body_line, title, site.languages, sources, reader)
    nav = f.by_language("nav", site.languages, every=False, required=False) or title
    order, analysis = f.integer("order", 0), f.flag("analysis")
    if not (title and sections and nav):
        return None
    return Page(path.stem, str(path), title, _title_lines(f), nav, order, analysis, sections)


def _title_lines(f: Fields) -> dict[str, int]:
    titles = f.data.get("title")
    return {str(lang): titles.line_of(lang) for lang in titles} if isinstance(titles, LineDict) else {}


def _assign_eras(events: list[Event], site: Site, root: Path, problems: Problems) -> dict[str, str]:
    """Each event's era by its start instant; eras include their whole stated end period."""
    spans = [(instant(e.start, site.zone), end_of(e.end, site.zone).timestamp(), e.key)
             for e in site.eras]  # instants as POSIX seconds: comparing them is cheap across zones
    era_of: dict[str, str] = {}
    for event in events:
        moment = instant(event.when, event.zone)
        found = next((key for start, end, key in spans if start <= moment < end), None)
        if found is None and site.eras:
            problems.add(event.path, event.line, f"the date is outside every era in {root / 'site.yaml'}; "
                         "add or widen an era")
        era_of[event.slug] = found or ""
    return era_of
