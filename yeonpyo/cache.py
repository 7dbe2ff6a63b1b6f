"""What a build remembers between runs: parsed content files (their Markdown converted) and
each page's input fingerprint.

Kept under `$XDG_CACHE_HOME/yeonpyo/` (or `--cache DIR`), never in content/ or the output,
one folder per (content, output) pair. A fresh process thus skips parsing files unchanged
since (by size and time, as `serve` does) and Jinja for pages
whose inputs did not change; `serve` keeps it in memory too. A damaged or foreign cache
file, or one written by other code, is ignored, never trusted: the build then starts afresh.
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

log = logging.getLogger(__name__)
_FORMAT = 4
# The parts of `memo` kept between processes: the YAML records and parsed Markdown files
# (checked against each file's size and time), and the tokens derived from them. Pickled
# together, so that the tokens still name the very records they were made from.
_KEPT = ("records", "records_digest", "documents", "tokens")
_CODE = Path(__file__).resolve().parent


def default_root() -> Path:
    """`$XDG_CACHE_HOME/yeonpyo`, or `~/.cache/yeonpyo`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "yeonpyo"


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the generator's own code: a new version invalidates every cached page."""
    digest = hashlib.sha1()
    for path in sorted(_CODE.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class PageRecord:
    fingerprint: str
    size: int
    mtime_ns: int


@dataclass
class BuildCache:
    """The pages written by the last build, and what `memo` keeps of the content."""

    folder: Path | None = None
    pages: dict[str, PageRecord] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # parsed files, views, tokens (_KEPT of it on disk)
    serving: bool = False  # `serve` keeps more in `memo` between its builds (page fragments)
    _dirty: bool = False
    _kept: Any = None  # what the memo's kept parts were when loaded, to see whether they changed

    @classmethod
    def open(cls, root: Path | None, content: Path, out: Path) -> "BuildCache":
        """The cache for this content and output folder; empty when `root` is None."""
        if root is None:
            return cls()
        key = hashlib.sha1(f"{content.resolve()}\0{out.resolve()}".encode()).hexdigest()[:16]
        cache = cls(root / key)
        try:
            with open(cache.folder / "cache.pickle", "rb") as handle:  # type: ignore[operator]
                version, pages, kept = pickle.load(handle)
            if version == (_FORMAT, code_fingerprint()):
                cache.pages = pages
                cache.memo.update(kept)
                cache._kept = cache._kept_state()
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError):
            pass  # no cache yet, or one we cannot read: start afresh
        return cache

    def _kept_state(self) -> tuple:
        """A cheap summary of the kept memo: the YAML revision and each file's stamp."""
        records, documents = self.memo.get("records"), self.memo.get("documents", {})
        return (records[1] if records else None, sorted((path, hit[0]) for path, hit in documents.items()))

    def remember_pages(self, pages: dict[str, PageRecord]) -> None:
        if pages != self.pages:
            self.pages, self._dirty = pages, True

    def save(self) -> None:
        """Write the cache atomically; a failure only costs speed next time."""
        kept = self._kept_state()
        if self.folder is None or not (self._dirty or kept != self._kept):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f"cache.pickle.{os.getpid()}.tmp"
            with open(temporary, "wb") as handle:
                pickle.dump(((_FORMAT, code_fingerprint()), self.pages,
                             {key: self.memo[key] for key in _KEPT if key in self.memo}), handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / "cache.pickle")
            self._dirty, self._kept = False, kept
        except OSError as err:
            log.warning("could not save the build cache in %s: %s", self.folder, err)
