"""Full-text search with Pagefind: one index per language, built from the written pages.

Pagefind's own binary (much faster here than its Python API, which sends each page over a
pipe, and than `python -m pagefind`, which starts another interpreter first) reads the event
and context pages from the output folder. It starts as soon as those pages are written and
runs while the rest of the site is written; its index goes to `out/.pagefind-new/`, which
then replaces `pagefind/` with two renames. Only elements marked `data-pagefind-body` count.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from pagefind_bin import get_executable

from . import urls

PREFIX = "pagefind/"
_STAGING, _RETIRED = ".pagefind-new", ".pagefind-old"  # beside pagefind/, on the same file system


class Indexing:
    """One run of Pagefind over `out`, started at once and finished by `finish()`."""

    def __init__(self, out: Path) -> None:
        self.out, self.staging = out, out / _STAGING
        shutil.rmtree(self.staging, ignore_errors=True)
        self._process = subprocess.Popen(
            [str(get_executable()), "--site", str(out), "--glob", urls.SEARCHED_GLOB,
             "--output-path", str(self.staging), "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def finish(self) -> tuple[list[str], list[str]]:
        """Wait for the index and put it in place; returns the output paths written and deleted."""
        output, _ = self._process.communicate()
        if self._process.returncode != 0:
            raise RuntimeError(f"pagefind failed: {output}")
        entry = self.staging / "pagefind-entry.json"  # Pagefind lists languages in hash-map order
        if entry.is_file():
            entry.write_text(json.dumps(json.loads(entry.read_text("utf-8")), sort_keys=True, ensure_ascii=False,
                                        separators=(",", ":")), "utf-8")
        target, retired = self.out / PREFIX, self.out / _RETIRED
        before = _files(target)
        shutil.rmtree(retired, ignore_errors=True)
        if target.is_dir():
            target.rename(retired)
        self.staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
        after = _files(target)
        return [PREFIX + p for p in sorted(after)], [PREFIX + p for p in sorted(before - after)]


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def needs_index(out: Path, changed: list[str]) -> bool:
    """True when a searched page changed, or there is no index yet."""
    return not (out / PREFIX / "pagefind.js").is_file() or any(urls.searched(path) for path in changed)
