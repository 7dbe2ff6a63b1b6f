"""Full-text search with Pagefind: one bundle per language, built from the written pages.

Pagefind's binary runs as a service (`pagefind --service`) and is handed one language's
event and context pages in the order of their paths: its command line reads them in the
order the file system lists them, and its bundle depends on that order, so two builds of the
same site would differ byte for byte. (Its Python wrapper speaks the same protocol, but waits
0.1 s for each answer: 200 s for 2,000 pages.) The bundle is written to a temporary folder
that then replaces `pagefind/<lang>/` with two renames. Languages run one after another,
never at once: at 10,000 events one run over both needs about 1.1 GB, one language about
0.7 GB. Only elements marked `data-pagefind-body` count, without those marked
`data-pagefind-ignore`. A page loads its own language's bundle, so an edit to one language
re-indexes only that language.

The pages are fed between the build's other work (`poll()`), without a thread: a build forks
its workers, and a forked child must not inherit another thread's locks.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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
        self._running: tuple[str, _Service] | None = None
        self._ended: list[str] = []
        for lang in languages:
            self.add(lang)

    def add(self, lang: str) -> None:
        """Index `lang` as soon as Pagefind is free."""
        self.languages.append(lang)
        self._waiting.append(lang)
        self.poll()

    def poll(self, wait: float = 0.0) -> None:
        """Feed the running language's pages, and start the next language once it has ended."""
        if self._running is not None:
            lang, service = self._running
            if not service.pump(wait):
                return
            self._running = None
            self._ended.append(lang)
        if self._waiting:
            lang = self._waiting.pop(0)
            staging = self._staging(lang)
            shutil.rmtree(staging, ignore_errors=True)
            self._running = (lang, _Service(self.site, _searched_pages(self.site, lang), staging))

    def finish(self) -> tuple[list[str], list[str]]:
        """Wait for every language and put its bundle in place; returns the site paths written and deleted."""
        while self._running is not None or self._waiting:
            self.poll(wait=0.05)
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
        self._ended = []
        return written, deleted

    def cancel(self) -> None:
        """Stop: the pages being indexed are not going to be published."""
        self._waiting.clear()
        if self._running is not None:
            self._running[1].stop()
            self._running = None

    def _staging(self, lang: str) -> Path:
        return (self.site / urls.search_index(lang)).with_name(f".{lang}-new{TEMPORARY}")


def _searched_pages(site: Path, lang: str) -> list[str]:
    """The pages a language's index covers (`urls.searched_language`), in the order of their paths."""
    found = []
    for kind in ("events", "pages"):
        folder = site / lang / kind
        if folder.is_dir():
            found += [f"{lang}/{kind}/{entry.name}/index.html" for entry in os.scandir(folder)
                      if os.path.isfile(os.path.join(entry.path, "index.html"))]
    return sorted(found)


# The bundle's prebuilt search interfaces, which this site does not load.
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


class _Service:
    """One `pagefind --service` process indexing `pages` of `site` into `output`.

    Its protocol: requests and answers are base64-encoded JSON, each followed by a comma;
    answers come in the order of the requests. Pages are read and sent a few at a time as
    the pipe takes them, so memory stays flat however long the chronicle is."""

    def __init__(self, site: Path, pages: list[str], output: Path) -> None:
        self.site, self.output = site, output
        self._pages = iter(pages)
        self._process = subprocess.Popen([str(get_executable()), "--service"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for stream in (self._process.stdin, self._process.stdout):
            os.set_blocking(stream.fileno(), False)  # type: ignore[union-attr]
        self._sent = self._answered = 0
        self._outgoing = bytearray()
        self._incoming = bytearray()
        self._index: int | None = None
        self._all_sent = self._done = False
        self._queue({"type": "NewIndex", "config": {"keep_index_url": False}})

    def pump(self, wait: float) -> bool:
        """Move requests and answers as far as the pipes allow (waiting at most `wait`
        seconds for them); True once the bundle is written."""
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        while not self._done:
            if self._index is not None and not self._all_sent and len(self._outgoing) < 1 << 20:
                self._feed()
            writable = [stdin] if self._outgoing else []
            ready, can_write, _ = select.select([stdout], writable, [], wait)
            if not ready and not can_write:
                return False
            if can_write:
                written = os.write(stdin.fileno(), self._outgoing[:1 << 16])
                del self._outgoing[:written]
            if ready:
                chunk = os.read(stdout.fileno(), 1 << 16)
                if not chunk:
                    raise RuntimeError(f"pagefind stopped while indexing {self.site} (exit {self._process.wait()})")
                self._incoming += chunk
                self._answers()
            wait = 0.0
        return True

    def _feed(self) -> None:
        """Queue the next pages, or the request to write the bundle once every page is sent."""
        for relative in self._pages:
            text = (self.site / relative).read_text("utf-8")
            self._queue({"type": "AddFile", "index_id": self._index, "file_path": relative,
                         "url": "/" + relative[: -len("index.html")], "file_contents": text})
            if len(self._outgoing) >= 1 << 20:
                return
        if not self._all_sent:
            self._all_sent = True
            self._queue({"type": "GetFiles", "index_id": self._index})

    def _queue(self, payload: dict[str, Any]) -> None:
        self._sent += 1
        self._outgoing += base64.b64encode(json.dumps({"message_id": self._sent, "payload": payload}).encode()) + b","

    def _answers(self) -> None:
        while b"," in self._incoming:
            end = self._incoming.index(b",")
            answer = json.loads(base64.b64decode(bytes(self._incoming[:end])))
            del self._incoming[: end + 1]
            payload = answer.get("payload", {})
            if payload.get("type") == "Error":
                raise RuntimeError(f"pagefind: {str(payload.get('message'))[:500]}")
            self._answered += 1
            if payload.get("type") == "NewIndex":
                self._index = payload["index_id"]
            elif payload.get("type") == "GetFiles":
                self._write(payload["files"])
                self._done = True
                self.stop()

    def _write(self, files: list[dict[str, str]]) -> None:
        """Write the bundle's files that the site's search loads. (Pagefind 1.5.2 answers its
        own WriteFiles before the files are on disk, so it is asked for their bytes instead;
        its ready-made search UIs are left out: search.js has its own.)"""
        for file in sorted(files, key=lambda f: f["path"]):
            relative = file["path"]
            if relative.startswith(_UNUSED) or ".." in relative.split("/") or relative.startswith("/"):
                continue
            target = self.output / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(file["content"]))

    def stop(self) -> None:
        """End the service (its bundle is written, or not wanted)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]


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
