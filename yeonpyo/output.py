"""Writing the rendered site: only changed files, stale files removed, never half a build.

A build that keeps some pages renders the others in memory first; only then is the output
folder touched. A changed file is written to a temporary name and renamed over the old one,
so a reader never sees a half-written page, and unchanged files are left alone (rewriting
thousands of files costs seconds; comparing them costs milliseconds). A build that renders
every page writes a new site beside the old one instead and swaps it in (`Stage`).
"""

from __future__ import annotations

import os
import shutil
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
               known: dict[str, PageRecord], spare: str | None = None, walk: bool = True) -> WriteReport:
    """Make `out` hold exactly `files` (path -> bytes, or None: "keep the file, as `known` says").

    Paths under `spare` are left alone (the search index has its own way in). `walk` False
    skips looking for stale files, when the caller knows the set of paths is unchanged.
    """
    out.mkdir(parents=True, exist_ok=True)
    deleted = _remove_stale(out, set(files), spare) if walk else []
    written: list[str] = []
    unchanged, records = 0, {}
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
            _write(target, data)
            written.append(relative)
        if relative in fingerprints:
            info = target.stat()
            records[relative] = PageRecord(fingerprints[relative], info.st_size, info.st_mtime_ns)
    return WriteReport(tuple(sorted(written)), tuple(deleted), unchanged, records)


class Stage:
    """A whole new site, written into a sibling of `out` and swapped in for it at the end.

    A build that renders every page (the first one, or after a template change) writes each
    file from whichever process rendered it, instead of sending the bytes back. A file whose
    bytes equal the old site's is linked to it rather than written, so it keeps its time
    (and a sync to the host skips it). Nothing under `out` changes until `swap()`;
    `discard()` after a failure leaves `out` exactly as it was.
    """

    @staticmethod
    def possible(out: Path) -> bool:
        """Whether `out` can be swapped for a sibling: not when it is a mount point (a container's
        volume, say) or on another file system than its parent; such a folder is written in place."""
        out = out.resolve()
        if not out.exists():
            return True
        return not os.path.ismount(out) and os.stat(out).st_dev == os.stat(out.parent).st_dev

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.folder = self.out.with_name(f".{self.out.name}.new")
        self._retired = self.out.with_name(f".{self.out.name}.old")
        shutil.rmtree(self.folder, ignore_errors=True)  # left by a build that was killed
        self.folder.mkdir(parents=True)

    def write(self, relative: str, data: bytes) -> tuple[int, int, bool]:
        """Put one file in the new site (from any process); returns its size, its modification
        time and whether it differs from the old site's."""
        target = os.path.join(self.folder, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        old = os.path.join(self.out, relative)
        try:
            if os.path.getsize(old) == len(data):
                with open(old, "rb") as handle:
                    same = handle.read() == data
                if same:
                    os.link(old, target)
                    info = os.stat(target)
                    return info.st_size, info.st_mtime_ns, False
        except OSError:
            pass  # no old file (the usual case for a first build), or no links on this file system
        with open(target, "wb") as handle:
            handle.write(data)
            handle.flush()  # a small file is still in the buffer: its size and time are not yet on disk
            info = os.fstat(handle.fileno())
        return info.st_size, info.st_mtime_ns, True

    def swap(self, carry: list[str]) -> list[str]:
        """Put the new site in place with two renames, bringing along the folders of `out`
        named in `carry` (search bundles that did not need rebuilding); returns the paths of
        the old site that the new one no longer has."""
        for folder in carry:
            if (self.out / folder).is_dir() and not (self.folder / folder).exists():
                (self.folder / folder).parent.mkdir(parents=True, exist_ok=True)
                os.rename(self.out / folder, self.folder / folder)
        shutil.rmtree(self._retired, ignore_errors=True)
        old = _all_files(self.out) if self.out.exists() else set()
        if self.out.exists():
            os.rename(self.out, self._retired)
        os.rename(self.folder, self.out)
        shutil.rmtree(self._retired, ignore_errors=True)
        return sorted(old - _all_files(self.out)) if old else []

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _all_files(folder: Path) -> set[str]:
    found = set()
    for parent, _folders, names in os.walk(folder):
        prefix = os.path.relpath(parent, folder).replace(os.sep, "/")
        found.update(name if prefix == "." else f"{prefix}/{name}" for name in names)
    return found


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
