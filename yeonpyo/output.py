"""Writing the rendered site: only changed files, stale files removed, never half a build.

Everything is rendered and checked in memory first; only then is the output folder touched.
Each file is written to a temporary name and renamed over the old one, so a reader never
sees a half-written file, and unchanged files are left alone (rewriting thousands of files
costs seconds; comparing them costs milliseconds).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .cache import PageRecord


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int
    records: dict[str, PageRecord]  # what was left on disk, for the next build's cache


def write_site(out: Path, files: dict[str, bytes | None], fingerprints: dict[str, str],
               known: dict[str, PageRecord], own: str = "", spare: str | None = None,
               walk: bool = True) -> WriteReport:
    """Make `out` hold exactly `files` (path -> bytes, or None: "keep the file, as `known` says").

    Only paths under the prefix `own` are managed, and paths under `spare` are left alone:
    the pages and the search index are written in two steps, each owning its part. `walk`
    False skips looking for stale files, when the caller knows the set of paths is unchanged.
    """
    out.mkdir(parents=True, exist_ok=True)
    written, unchanged, records = [], 0, {}
    for relative in sorted(files):
        data = files[relative]
        if data is None and relative in known:  # kept as the last build left it
            unchanged += 1
            records[relative] = known[relative]
            continue
        target = out / relative
        if data is None or (target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data):
            unchanged += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            written.append(relative)
        if relative in fingerprints:
            info = target.stat()
            records[relative] = PageRecord(fingerprints[relative], info.st_size, info.st_mtime_ns)
    deleted = _remove_stale(out, set(files), own, spare) if walk else []
    return WriteReport(tuple(written), tuple(deleted), unchanged, records)


def _remove_stale(out: Path, keep: set[str], own: str, spare: str | None) -> list[str]:
    deleted = []
    for path in sorted((out / own).rglob("*") if (out / own).is_dir() else [], reverse=True):
        relative = path.relative_to(out).as_posix()
        if spare and relative.startswith(spare):
            continue
        if path.is_file() or path.is_symlink():
            if relative not in keep:
                path.unlink()
                deleted.append(relative)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return sorted(deleted)
