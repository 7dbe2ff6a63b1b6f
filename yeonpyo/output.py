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


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int


def write_site(out: Path, files: dict[str, bytes]) -> WriteReport:
    """Make `out` hold exactly `files` (relative POSIX path -> bytes)."""
    out.mkdir(parents=True, exist_ok=True)
    written, unchanged = [], 0
    for relative in sorted(files):
        target = out / relative
        data = files[relative]
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written.append(relative)
    deleted = _remove_stale(out, set(files))
    return WriteReport(tuple(written), tuple(deleted), unchanged)


def _remove_stale(out: Path, keep: set[str]) -> list[str]:
    deleted = []
    for path in sorted(out.rglob("*"), reverse=True):
        relative = path.relative_to(out).as_posix()
        if path.is_file() or path.is_symlink():
            if relative not in keep:
                path.unlink()
                deleted.append(relative)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return sorted(deleted)
