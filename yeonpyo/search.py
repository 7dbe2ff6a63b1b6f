"""Full-text search with Pagefind: one bundle per language, built from the written pages.

Pagefind's own binary (much faster here than its Python API, which sends each page over a
pipe, and than `python -m pagefind`, which starts another interpreter first) reads one
language's event and context pages from a site folder and writes that language's bundle to
`pagefind/.<lang>-new/`, which then replaces `pagefind/<lang>/` with two renames. The
languages run one after another, never at once: at 10,000 events one run over both needs
about 1.1 GB, one language about 0.7 GB. Only elements marked `data-pagefind-body` count,
without those marked `data-pagefind-ignore`. A page loads its own language's bundle, so an
edit to one language re-indexes only that language.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable

from pagefind_bin import get_executable

from . import urls
from .output import TEMPORARY


class Indexing:
    """Pagefind over some languages of `site`, one language at a time.

    `add(lang)` says a language's pages are written; its run starts once no other runs.
    `poll()` starts the next when one has ended, so a build that polls while it works on
    keeps Pagefind busy; `finish()` waits for the rest and puts every bundle in place.
    """

    def __init__(self, site: Path, languages: Iterable[str] = (), previous: Path | None = None) -> None:
        self.site = site
        self.previous = previous or site  # the site whose bundles these replace: unchanged files keep their times
        self.languages: list[str] = []
        self._waiting: list[str] = []
        self._running: tuple[str, subprocess.Popen[bytes], tempfile._TemporaryFileWrapper] | None = None
        self._ended: list[str] = []
        for lang in languages:
            self.add(lang)

    def add(self, lang: str) -> None:
        """Index `lang` as soon as Pagefind is free."""
        self.languages.append(lang)
        self._waiting.append(lang)
        self.poll()

    def poll(self) -> None:
        """Start the next language if none is running."""
        if self._running is not None:
            lang, process, log = self._running
            if process.poll() is None:
                return
            self._running = None
            log.seek(0)
            output = log.read().decode("utf-8", "replace")
            log.close()
            if process.returncode != 0:
                raise RuntimeError(f"pagefind failed for {lang}: {output[-2000:]}")
            self._ended.append(lang)
        if self._waiting:
            lang = self._waiting.pop(0)
            staging = self._staging(lang)
            shutil.rmtree(staging, ignore_errors=True)
            log = tempfile.TemporaryFile()  # not a pipe: a long report would fill it and stall Pagefind
            self._running = (lang, subprocess.Popen(
                [str(get_executable()), "--site", str(self.site), "--glob", urls.searched_glob(lang),
                 "--output-path", str(staging), "--silent"], stdout=log, stderr=subprocess.STDOUT), log)

    def finish(self) -> tuple[list[str], list[str]]:
        """Wait for every language and put its bundle in place; returns the site paths written and deleted."""
        while self._running is not None:
            self._running[1].wait()
            self.poll()
        written: list[str] = []
        deleted: list[str] = []
        for lang in self._ended:
            staging, target = self._staging(lang), self.site / urls.search_index(lang)
            _sort_entry(staging / "pagefind-entry.json")
            _link_unchanged(staging, self.previous / urls.search_index(lang))
            before = _files(target)
            retired = target.with_name(f".{lang}-old{TEMPORARY}")
            shutil.rmtree(retired, ignore_errors=True)
            if target.is_dir():
                target.rename(retired)
            staging.rename(target)
            shutil.rmtree(retired, ignore_errors=True)
            after = _files(target)
            prefix = urls.search_index(lang)
            written += [prefix + p for p in sorted(after)]
            deleted += [prefix + p for p in sorted(before - after)]
        return written, deleted

    def cancel(self) -> None:
        """Stop: the pages being indexed are not going to be published."""
        self._waiting.clear()
        if self._running is not None:
            self._running[1].kill()
            self._running[1].wait()
            self._running[2].close()
            self._running = None

    def _staging(self, lang: str) -> Path:
        return (self.site / urls.search_index(lang)).with_name(f".{lang}-new{TEMPORARY}")


def _sort_entry(entry: Path) -> None:
    """Pagefind writes its entry file's keys in hash-map order; sorted, builds are byte-identical."""
    if entry.is_file():
        entry.write_text(json.dumps(json.loads(entry.read_text("utf-8")), sort_keys=True, ensure_ascii=False,
                                    separators=(",", ":")), "utf-8")


def _link_unchanged(new: Path, old: Path) -> None:
    """Put the old bundle's file in place of each new one with the same bytes, so that it keeps
    its time (a sync to the host skips it); Pagefind names most files by their content."""
    for relative in _files(new):
        fresh, kept = new / relative, old / relative
        try:
            if kept.stat().st_size != fresh.stat().st_size or kept.read_bytes() != fresh.read_bytes():
                continue
            temporary = fresh.with_name(fresh.name + TEMPORARY)
            os.link(kept, temporary)
            os.replace(temporary, fresh)
        except OSError:
            continue  # no old file, or no links here: the new copy stays


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def stale_languages(out: Path, languages: Iterable[str], changed: Iterable[str]) -> list[str]:
    """The languages whose bundle is missing or covers a page that changed, in site order."""
    touched = {urls.searched_language(path) for path in changed}
    return [lang for lang in languages
            if lang in touched or not (out / urls.search_index(lang) / "pagefind.js").is_file()]


def remove_other_bundles(out: Path, languages: Iterable[str]) -> list[str]:
    """Delete the bundles of languages the site no longer has (and any older layout's files);
    returns the deleted paths."""
    folder, keep = out / urls.SEARCH, {urls.search_index(lang) for lang in languages}
    deleted: list[str] = []
    if not folder.is_dir():
        return deleted
    for entry in sorted(folder.iterdir()):
        relative = urls.SEARCH + entry.name + ("/" if entry.is_dir() else "")
        if relative in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            deleted += [relative + p for p in sorted(_files(entry))]
            shutil.rmtree(entry)
        else:
            deleted.append(relative.rstrip("/"))
            entry.unlink()
    return deleted
