"""What a build remembers, one typed record per thing, and how it is kept between processes.

`BuildState` is everything a later build may reuse: the parsed YAML records and Markdown files
(checked against their stamps), the tokens derived from them, the view records and pictures
made from those, and for each page written the dependencies it read and the fingerprint of
their values. `serve` keeps one in memory; a one-off build reads it from and saves it to
`$XDG_CACHE_HOME/yeonpyo/<key>/state.pickle` (or `--cache DIR`), never in content/ or the
output. A damaged file, or one written by other code, is ignored: the build starts afresh.
Only the parts in `KEPT` are saved; the rest is worth keeping within one process only.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem, Problems
from .stamps import FileStamp

log = logging.getLogger(__name__)
_FORMAT = 5
_CODE = Path(__file__).resolve().parent


def default_root() -> Path:
    """`$XDG_CACHE_HOME/yeonpyo`, or `~/.cache/yeonpyo`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "yeonpyo"


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the generator's own code: a new version invalidates everything remembered."""
    digest = hashlib.sha1()
    for path in sorted(_CODE.rglob("*.py")):
        digest.update(path.relative_to(_CODE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class Records:
    """site.yaml, sources, people and tags as last read: their stamps, their combined revision
    (what every Markdown file's validity depends on), the records and their problems."""

    stamps: tuple[FileStamp | None, ...]
    revision: str
    loaded: Any  # (site, sources, people, tags), or None after a problem
    problems: Problems


@dataclass
class Listing:
    """The Markdown files of events/ and pages/, as last listed."""

    files: dict[str, list[str]]
    paths: set[str]  # absolute
    problems: Problems


@dataclass
class ParsedFile:
    """One Markdown file's record (event or page) as last parsed, valid while its stamp and
    the YAML revision hold."""

    stamp: FileStamp | None
    revision: str
    record: Any
    problems: list[Problem]


@dataclass
class Strings:
    languages: tuple[str, ...]
    stamps: tuple[FileStamp | None, ...]
    tables: dict[str, dict[str, str]]
    problems: Problems


@dataclass
class EventTokens:
    """Digests of one event as pages show it: whole, as a list shows it, as the sources pages do."""

    event: Any
    era: str
    full: str
    head: str
    cites: str


@dataclass
class ViewRecord:
    """An event's view in one language, reused while the event, the YAML and its era are unchanged."""

    event: Any
    revision: str
    era: str
    view: Any


@dataclass(frozen=True)
class PageRecord:
    """A page as the last build wrote it: what its context read (dependency keys), the
    fingerprint of their values then, and its file's size and time."""

    path: str  # below the output folder
    template: str
    url: str
    lang: str
    reads: tuple[str, ...]
    fingerprint: str
    size: int
    mtime_ns: int

    def on_disk(self, out: Path) -> bool:
        """Whether the file at this record's path below `out` is still the one the build wrote
        (output files are ours alone: their size and time say so, no hash needed)."""
        try:
            info = os.stat(os.path.join(out, self.path))
        except OSError:
            return False
        return info.st_size == self.size and info.st_mtime_ns == self.mtime_ns


@dataclass
class BuildState:
    records: Records | None = None
    listing: Listing | None = None
    documents: dict[str, ParsedFile] = field(default_factory=dict)  # path -> parsed file
    strings: Strings | None = None
    tokens: dict[str, EventTokens] = field(default_factory=dict)  # slug -> tokens
    records_digest: tuple[str, str] | None = None  # (revision, digest of the YAML records)
    pages: dict[str, PageRecord] = field(default_factory=dict)  # output path -> record
    salt: str | None = None  # what every page depends on, when the views below were made
    views: dict[tuple[str, str], ViewRecord] = field(default_factory=dict)  # (lang, slug) -> view
    charts: dict[str, tuple[str, Any]] = field(default_factory=dict)  # lang -> (key, chart)
    fragments: dict[tuple[str, str, str], tuple[str, Any]] = field(default_factory=dict)  # (url, lang, slug)
    environment: Any = None  # compiled Jinja templates
    foreign: set[str] | None = None  # files in the output folder yeonpyo did not write
    index_behind: set[str] = field(default_factory=set)  # languages whose search bundle is behind
    pictures: dict[str, Any] = field(default_factory=dict)  # image file -> media.Inspected
    with_media: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # event path -> (parsed, inspected)
    encoded: dict[str, bytes] = field(default_factory=dict)  # derivatives, when there is no cache folder

    KEPT = ("records", "listing", "documents", "tokens", "records_digest", "pages", "pictures", "with_media")

    def forget_views(self, salt: str) -> None:
        """Templates, strings, code or YAML changed: every view and picture is made anew."""
        if self.salt != salt:
            self.views, self.charts, self.fragments, self.salt = {}, {}, {}, salt


@dataclass
class StateFile:
    """Where a build's state is kept between processes (or nowhere: `folder` None)."""

    folder: Path | None
    _saved: Any = None

    @classmethod
    def for_project(cls, root: Path | None, content: Path, out: Path) -> StateFile:
        """The state file for this content and output folder; none when `root` is None."""
        if root is None:
            return cls(None)
        key = hashlib.sha1(f"{content.resolve()}\0{out.resolve()}".encode()).hexdigest()[:16]
        return cls(root / key)

    def load(self) -> BuildState:
        state = BuildState()
        if self.folder is None:
            return state
        try:
            with open(self.folder / "state.pickle", "rb") as handle:
                version, kept = pickle.load(handle)
            if version == (_FORMAT, code_fingerprint()):
                for name in BuildState.KEPT:
                    setattr(state, name, kept[name])
                self._saved = self._summary(state)
        except (OSError, EOFError, ValueError, TypeError, KeyError, pickle.UnpicklingError, AttributeError):
            pass  # no state yet, or one we cannot read: start afresh
        return state

    def save(self, state: BuildState) -> None:
        """Write the kept parts atomically, when they changed; a failure only costs speed next time."""
        summary = self._summary(state)
        if self.folder is None or summary == self._saved:
            return
        kept = {name: getattr(state, name) for name in BuildState.KEPT}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f"state.pickle.{os.getpid()}.tmp"
            with open(temporary, "wb") as handle:
                pickle.dump(((_FORMAT, code_fingerprint()), kept), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / "state.pickle")
            self._saved = summary
        except OSError as err:
            log.warning("could not save the build state in %s: %s", self.folder, err)

    @staticmethod
    def _summary(state: BuildState) -> tuple:
        """A cheap picture of the kept parts: the YAML revision, each file's stamp, the pages."""
        return (state.records.revision if state.records else None,
                sorted((path, parsed.stamp) for path, parsed in state.documents.items()),
                sorted((path, record.fingerprint, record.size, record.mtime_ns)
                       for path, record in state.pages.items()))

