"""Loading and validating a content folder into the model; every fault is collected."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from . import markup
from .dates import end_of, instant, local_time_problem, start_of
from .media import body_images, inspect_media, inspect_site, read_media, section_images
from .model import Content, Correction, Event, Page, Person, Section, Site, Source, Tag
from .problems import Problems, shown
from .records import RECORD_FILES, load_records
from .schema import KEY, Fields
from .sections import split_sections
from .stamps import FileStamp, stamps_of, still
from .state import BuildState, Listing, ParsedFile, Records
from .workers import map_forked
from .yamlio import LineDict, load_yaml, read_text, split_front_matter

EVENT_KEYS = {"date", "tz", "end", "approximate", "title", "summary", "order", "key", "tags", "people", "updated",
              "corrections", "media"}
PAGE_KEYS = {"title", "nav", "order", "analysis"}


def load_content(root: Path, state: BuildState | None = None, touched: frozenset[str] | None = None,
                 fork: bool = False, base_url: str | None = None) -> tuple[Content | None, Problems]:
    """Read `root` (site.yaml, sources, people, tags, events/, pages/) into a `Content`.

    `state` (what earlier builds remember) lets an unchanged Markdown file skip parsing and
    checking: its record and problems are reused while it and the YAML files are unchanged.
    `touched`, the absolute paths a file watcher saw change since the last build, lets the
    other files go unlisted and unexamined; None means look at every file. `fork` lets a
    first reading of many files spread over the cores. `base_url` (the command line's)
    replaces site.yaml's, or stands in for it when it has none.
    """
    problems = Problems()
    state = state if state is not None else BuildState()
    yaml_files: list[str | os.PathLike[str]] = [root / name for name in RECORD_FILES]
    records = state.records
    if records is None or not still(records.stamps, yaml_files):
        found = Problems()
        stamps = stamps_of(yaml_files)
        revision = "|".join(stamp.digest if stamp else "-" for stamp in stamps)
        records = state.records = Records(stamps, revision, load_records(root, found, base_url), found)
    revision = records.revision
    problems.extend(records.problems)
    if records.loaded is None:
        return None, problems
    site, sources, people, tags = records.loaded
    site = inspect_site(site, state.pictures, state.with_media, problems, str(root / "site.yaml"))
    documents = state.documents
    listed, reused = _listing(root, state, touched, problems)
    trusted = touched if reused else None  # the watcher's names matched ours: trust what it did not name
    if documents and not reused:  # forget files that are gone (the state is kept between processes)
        for path in set(documents) - {path for paths in listed.values() for path in paths}:
            del documents[path]
    reader = markup.Reader()
    events = [e for e in _load_all(listed["events"], revision, documents, trusted, problems, fork,
                                   lambda path, found: _load_event(path, root, site, sources, people, tags, reader,
                                                                   found)) if e]
    pages = [p for p in _load_all(listed["pages"], revision, documents, trusted, problems, fork,
                                  lambda path, found: _load_page(path, root, site, sources, reader, found)) if p]
    events = [inspect_media(event, state.pictures, state.with_media, problems) for event in events]
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


def _listing(root: Path, state: BuildState, touched: frozenset[str] | None,
             problems: Problems) -> tuple[dict[str, list[str]], bool]:
    """The Markdown files of events/ and pages/, and whether they are the last listing, reused
    while nothing was added, removed or renamed there (every touched path below `root` is a
    listed file still present, or one of the YAML files)."""
    last = state.listing if touched is not None else None
    top = os.path.abspath(root) + os.sep
    if last is not None and touched is not None and all(
            (path in last.paths and os.path.isfile(path)) or (os.path.dirname(path) + os.sep == top
                                                              and path.endswith(".yaml"))
            for path in touched if path.startswith(top)):
        problems.extend(last.problems)
        return last.files, True
    found = Problems()
    listed = {folder: _markdown_files(root / folder, found) for folder in ("events", "pages")}
    if not listed["events"] and not found:
        found.add(root / "events", 0, "there are no events yet: add one with `new <slug>`")
    state.listing = Listing(listed, {os.path.abspath(p) for paths in listed.values() for p in paths}, found)
    problems.extend(found)
    return listed, False


def _load_all(paths: list[str], revision: str, documents: dict[str, ParsedFile], trusted: frozenset[str] | None,
              problems: Problems, fork: bool, load: Any) -> list[Any]:
    """`load` every path, through `_remembered`; a first reading (nothing remembered yet) may
    run on every core (when `fork`), remembering what it read."""
    if documents:
        return [_remembered(path, revision, documents, trusted, problems, load) for path in paths]

    def fresh(path: str) -> ParsedFile:
        stamp = FileStamp.of(path)
        found = Problems()
        record = load(Path(path), found)
        return ParsedFile(stamp, revision, record, list(found.items))

    results = []
    for path, parsed in zip(paths, map_forked(fresh, paths, fork=fork)):
        problems.items.extend(parsed.problems)
        documents[path] = parsed
        results.append(parsed.record)
    return results


def _remembered(path: str, revision: str, documents: dict[str, ParsedFile], trusted: frozenset[str] | None,
                problems: Problems, load: Any) -> Any:
    """`load(path, problems)`, or its remembered result while the file and the YAML are unchanged
    (unchanged: not `trusted` to have changed, or else by its stamp)."""
    hit = documents.get(path)
    if hit is not None and hit.revision == revision and (
            (trusted is not None and os.path.abspath(path) not in trusted)
            or (hit.stamp is not None and hit.stamp.matches(path))):
        if hit.stamp is not None and hit.stamp.racy:  # found unchanged by its bytes: trust its times next time
            hit.stamp = hit.stamp.renewed(path)
        problems.items.extend(hit.problems)
        return hit.record
    stamp = FileStamp.of(path)
    found = Problems()
    result = load(Path(path), found)
    problems.extend(found)
    documents[path] = ParsedFile(stamp, revision, result, list(found.items))
    return result


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
    raw = split_sections(body, body_line, languages, f.path, f.problems)
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
    return Section(lang, text, first_line, parsed.citations, parsed.html, parsed.paragraphs,
                   section_images(parsed.images, lang))


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
    media = read_media(f, path.parent, root, site, people, sources)
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
    event = Event(path.stem, str(path), f.line("date"), when, end, zone, approximate, title, _title_lines(f),
                  event_tags, event_people, sections, updated or (corrections[0].date if corrections else None),
                  corrections, summary, order, turning_point, media)
    body_images(event, problems)
    return event


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
