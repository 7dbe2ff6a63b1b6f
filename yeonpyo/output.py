"""Writing the rendered site: only changed files, stale files removed, never half a build.

Everything is rendered and checked in memory first; only then is the output folder touched.
A changed file is written to a temporary name and renamed over the old one, so a reader never
sees a half-written page, and unchanged files are left alone (rewriting thousands of files
costs seconds; comparing them costs milliseconds).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .cache import PageRecord


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int
    records: dict[str, PageRecord]  # what was left on disk, for the next build's cache


def write_site(out: Path, files: dict[str, bytes | None], fingerprints: dict[str, str],
               known: dict[str, PageRecord], spare: str | None = None,
               walk: bool = True, first: tuple[Callable[[str], bool], Callable[[list[str]], None]] | None = None
               ) -> WriteReport:
    """Make `out` hold exactly `files` (path -> bytes, or None: "keep the file, as `known` says").

    Paths under `spare` are left alone (the search index has its own way in). `walk` False
    skips looking for stale files, when the caller knows the set of paths is unchanged.
    With `first` = (wanted, ready), stale
    files go first, then the files `wanted(path)` accepts, then `ready(changed)` is called
    with those of them written or deleted (the search indexer starts on them), then the rest.
    """
    out.mkdir(parents=True, exist_ok=True)
    deleted = _remove_stale(out, set(files), spare) if walk else []
    wanted, ready = first or (lambda path: False, None)
    written: list[str] = []
    unchanged, records = 0, {}
    for relative in sorted(files, key=lambda path: (not wanted(path), path)):
        if ready is not None and not wanted(relative):
            ready([path for path in [*written, *deleted] if wanted(path)])
            ready = None
        data = files[relative]
        if data is None and relative in known:  # kept as the last build left it
            unchanged += 1
            records[relative] = known[relative]
            continue
        target = out / relative
        if data is None or (target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data):
            unchanged += 1
        else:
            _write(target, data)
            written.append(relative)
        if relative in fingerprints:
            info = target.stat()
            records[relative] = PageRecord(fingerprints[relative], info.st_size, info.st_mtime_ns)
    if ready is not None:
        ready([path for path in [*written, *deleted] if wanted(path)])
    return WriteReport(tuple(sorted(written)), tuple(deleted), unchanged, records)


def _write(target: Path, data: bytes) -> None:
    """A file that exists is replaced by renaming a full copy over it, so that no reader sees
    it half-written; a new file has no earlier version to protect and is written in place
    (creating a file and renaming it costs three times as much on this machine's ext4)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "xb") as handle:
            handle.write(data)
        return
    except FileExistsError:
        pass
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _remove_stale(out: Path, keep: set[str], spare: str | None) -> list[str]:
    """Delete files under `out` that are not in `keep` (nor under `spare`), then the folders
    left empty; returns the deleted paths, relative to `out`."""
    deleted = []
    top = str(out)
    for folder, folders, names in os.walk(top, topdown=False):
        relative = os.path.relpath(folder, out).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        if spare and prefix.startswith(spare):
            continue
        for name in names:
            if prefix + name not in keep:
                os.unlink(os.path.join(folder, name))
                deleted.append(prefix + name)
        for name in folders:  # a symbolic link to a folder is listed here, and is stale unless kept
            path = os.path.join(folder, name)
            if os.path.islink(path) and prefix + name not in keep:
                os.unlink(path)
                deleted.append(prefix + name)
        if folder != top and not os.listdir(folder):
            os.rmdir(folder)
    return sorted(deleted)
