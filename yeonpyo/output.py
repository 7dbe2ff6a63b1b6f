"""Writing the site: the output folder is yeonpyo's alone, and changes all at once.

- **Only what we wrote.** Each build lists the files it wrote in a manifest inside the
  output folder (`.yeonpyo-manifest`). Stale files are removed only from that list; anything
  else in the folder (`CNAME`, `.nojekyll`, a user's `photos/`) is kept through every build.
- **All or nothing.** A one-off build writes a whole new site beside the old one (unchanged
  files hard-linked, so they keep their times and cost no copy) and swaps the two folders
  with one atomic `renameat2(RENAME_EXCHANGE)`: killed at any moment, the output folder holds
  the previous site or the new one, byte for byte. Where that cannot be done (a mount point,
  another file system, no `renameat2`), files are written in two phases: every new file
  under a temporary name first (a full disk fails here, and the temporaries are removed),
  then renamed over the old ones. `serve` writes that way too, for speed.
- **One build at a time** per output folder, through an `fcntl.flock` lock beside it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import shutil
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .state import PageRecord

log = logging.getLogger(__name__)

MANIFEST = ".yeonpyo-manifest"
_MANIFEST_HEADER = "# The files the last yeonpyo build wrote here; other files in this folder are left alone."
TEMPORARY = ".yeonpyo-tmp"  # the suffix of a file being written in place: ours, whatever a kill left


class OutputError(Exception):
    """The site cannot be written (a full disk, a file in the way); the message says why."""


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int
    records: dict[str, PageRecord]  # what was left on disk, for the next build's cache
    foreign: tuple[str, ...] = ()  # files in the folder that yeonpyo did not write (kept)
    first: bool = False  # no build had written into this folder before
    rendered: tuple[str, ...] = ()  # the pages and files rendered anew (written or found identical)


def refusal(out: Path, protected: dict[str, Path]) -> str | None:
    """Why `out` must not be an output folder, or None.

    A build replaces the output folder's contents, so it may not be `/`, the home folder,
    the working folder or one above it, nor be, hold or lie inside a folder the build reads
    (`protected`: name -> path, such as content, templates and static)."""
    target = out.resolve()
    if target.exists() and not target.is_dir():
        return f"--out {out} is a file, not a folder; choose a folder for the site"
    if target == Path(target.anchor):
        return f"--out {out} is the root of the file system; choose a folder for the site, such as _site"
    here, home = Path.cwd().resolve(), Path.home().resolve()
    if target == home:
        return f"--out {out} is your home folder; choose a folder for the site, such as _site"
    if target == here or target in here.parents:
        return f"--out {out} holds the folder you are working in; choose a folder inside it, such as _site"
    for name, folder in protected.items():
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target) or target.is_relative_to(folder):
            where = "is" if target == folder else "holds" if folder.is_relative_to(target) else "is inside"
            return f"--out {out} {where} the {name} folder ({folder}); choose a separate folder for the site"
    return None


class OutputFolder:
    """The output folder: what the last build wrote there, what else is there, and how to
    write the next site into it."""

    def __init__(self, out: Path) -> None:
        self.path = out.resolve()
        self._lock = self.path.with_name(f".{self.path.name}.lock")
        # There while files are written in place: a build killed then left temporaries to find.
        self._writing = self.path.with_name(f".{self.path.name}.writing")
        self.stage_path = self.path.with_name(f".{self.path.name}.new")
        self._retired = self.path.with_name(f".{self.path.name}.old")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder's lock: a second build waits (saying so) until the first is done."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self._lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.info("another build is writing %s; waiting for it to finish", self.path)
                fcntl.flock(handle, fcntl.LOCK_EX)
            self._recover()
            yield
        finally:
            os.close(handle)  # closing releases the lock

    def _recover(self) -> None:
        """Undo what a killed build left: a swap cut between its two renames (where there is no
        atomic exchange), a half-written stage, temporary files written in place."""
        if not self.path.exists() and self._retired.is_dir():
            os.rename(self._retired, self.path)
        for leftover in (self.stage_path, self._retired):
            shutil.rmtree(leftover, ignore_errors=True)
        search = self.path / urls.SEARCH  # where a search bundle is staged beside the one it replaces
        if search.is_dir():
            for entry in os.scandir(search):
                if entry.name.endswith(TEMPORARY):
                    shutil.rmtree(entry.path, ignore_errors=True)
        if self.path.is_dir() and self._writing.exists():  # (a walk of a big site costs tens of ms)
            for parent, folders, names in os.walk(self.path):
                for name in names:
                    if name.endswith(TEMPORARY):
                        os.unlink(os.path.join(parent, name))
                for name in [name for name in folders if name.endswith(TEMPORARY)]:
                    shutil.rmtree(os.path.join(parent, name), ignore_errors=True)
                    folders.remove(name)
            self._writing.unlink()

    @contextlib.contextmanager
    def _in_place(self) -> Iterator[None]:
        """Mark the folder as being written in place until the block ends (or the build dies)."""
        self._writing.touch()
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                self._writing.unlink()

    def manifest(self) -> set[str] | None:
        """The files the last build wrote, or None when no build wrote here (or the list is damaged)."""
        try:
            lines = (self.path / MANIFEST).read_text("utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return None
        if not lines or lines[0] != _MANIFEST_HEADER:
            return None
        return {line for line in lines[1:] if line}

    def present(self) -> set[str]:
        """Every file and symbolic link in the folder (relative, `/`-separated), but the manifest."""
        return files_under(self.path) - {MANIFEST} if self.path.is_dir() else set()

    def foreign(self) -> tuple[set[str], bool]:
        """The files yeonpyo did not write, and whether no build had written here before."""
        manifest = self.manifest()
        present = self.present()
        return (present - manifest if manifest is not None else present), manifest is None

    def check_room(self, paths: Iterable[str], foreign: set[str], owned_prefixes: tuple[str, ...]) -> None:
        """Refuse to overwrite a file yeonpyo did not write (or to write under one)."""
        paths = set(paths)
        folders = _parents(paths)
        clashes = sorted(path for path in foreign  # in the way of a file, of a folder we need, or under one
                         if path in paths or path in folders or path.startswith(owned_prefixes)
                         or not paths.isdisjoint(_parents([path])))
        if clashes:
            shown = ", ".join(clashes[:5]) + (f" and {len(clashes) - 5} more" if len(clashes) > 5 else "")
            raise OutputError(f"{self.path} holds files yeonpyo did not write where the site goes ({shown}); "
                              "move them away, or build into another folder")

    def can_swap(self) -> bool:
        """Whether a new site can be swapped in for this folder: not a mount point or a folder on
        another file system than its parent (a container's volume, say). A bind mount from the
        same file system looks like neither; its swap fails and is then written in place."""
        if not self.path.exists():
            return True
        return not os.path.ismount(self.path) and os.stat(self.path).st_dev == os.stat(self.path.parent).st_dev

    def write_in_place(self, files: Mapping[str, bytes | Path], remove: Iterable[str]) -> list[str]:
        """Write `files` (bytes, or a file to copy) in two phases and delete `remove` (stale
        files this tool wrote); returns the paths deleted. A failure in the first phase (a
        full disk) changes nothing and leaves no temporary file."""
        self.path.mkdir(parents=True, exist_ok=True)
        with self._in_place():
            return self._write_in_place(files, remove)

    def _write_in_place(self, files: Mapping[str, bytes | Path], remove: Iterable[str]) -> list[str]:
        temporaries: list[tuple[str, str]] = []
        try:
            for relative in sorted(files):
                target = os.path.join(self.path, relative)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                temporary = f"{target}.{os.getpid()}{TEMPORARY}"
                data = files[relative]
                if isinstance(data, Path):
                    shutil.copyfile(data, temporary)
                else:
                    with open(temporary, "wb") as handle:
                        handle.write(data)
                temporaries.append((temporary, target))
        except OSError as err:
            for temporary, _target in temporaries:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            raise OutputError(f"could not write the site into {self.path}: {err.strerror or err}; "
                              "the last site is unchanged") from None
        for temporary, target in temporaries:
            os.replace(temporary, target)
        return _remove(self.path, remove)

    def write_manifest(self, paths: Iterable[str]) -> None:
        """List the files this build left in the folder (written whole, then renamed into place)."""
        data = _manifest(paths)
        if unchanged_on_disk(self.path, MANIFEST, data):
            return
        temporary = self.path / f"{MANIFEST}.{os.getpid()}{TEMPORARY}"
        with self._in_place():
            try:
                temporary.write_bytes(data)
            except OSError as err:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise OutputError(f"could not write {self.path / MANIFEST}: {err.strerror or err}") from None
            os.replace(temporary, self.path / MANIFEST)

    def stage(self) -> Stage:
        """A new, empty site beside this folder (what a killed build left there is gone)."""
        shutil.rmtree(self.stage_path, ignore_errors=True)
        self.stage_path.mkdir(parents=True)
        return Stage(self)


@dataclass
class Stage:
    """A whole new site written beside the output folder and swapped in for it at the end.

    A file whose bytes equal the old site's is hard-linked to it rather than written, so it
    keeps its time (and a sync to the host skips it). Nothing in the output folder changes
    until `swap()`; `discard()` after a failure leaves it exactly as it was."""

    output: OutputFolder
    linked: set[str] = field(default_factory=set)

    @property
    def folder(self) -> Path:
        return self.output.stage_path

    def write(self, relative: str, data: bytes) -> tuple[int, int, bool]:
        """Put one file in the new site (from any process); returns its size, its modification
        time and whether it differs from the old site's."""
        target = os.path.join(self.folder, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        old = os.path.join(self.output.path, relative)
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

    def keep(self, paths: Iterable[str]) -> None:
        """Bring files of the old site into the new one unchanged (hard links; copies where a
        link cannot be made); a symbolic link stays a link."""
        for relative in paths:
            source, target = os.path.join(self.output.path, relative), os.path.join(self.folder, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.islink(source):
                os.symlink(os.readlink(source), target)
                continue
            try:
                os.link(source, target)
            except OSError as err:
                if err.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                    raise
                shutil.copy2(source, target)
            self.linked.add(relative)

    def swap(self, keep_paths: set[str]) -> bool:
        """Write the manifest, then put the new site in place: one atomic exchange where the
        system has it, else two renames (a kill between them is undone by the next build).
        Returns False, changing nothing, when the folder cannot be swapped (a bind mount)."""
        self.write(MANIFEST, _manifest(keep_paths))
        out = self.output.path
        if not out.exists():
            os.rename(self.folder, out)
            return True
        try:
            if _exchange(self.folder, out):
                shutil.rmtree(self.folder, ignore_errors=True)  # the old site, now here
                return True
            os.rename(out, self.output._retired)
        except OSError as err:
            if err.errno in (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES, errno.EINVAL):
                return False
            raise
        os.rename(self.folder, out)
        shutil.rmtree(self.output._retired, ignore_errors=True)
        return True

    def files(self) -> dict[str, Path]:
        """Every file of the new site, for writing it in place instead."""
        return {relative: self.folder / relative for relative in files_under(self.folder) - {MANIFEST}}

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 with RENAME_EXCHANGE); False where the
    system or the file system cannot, so that the caller renames twice instead."""
    function = getattr(_LIBC, "renameat2", None) if _LIBC is not None else None
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


try:
    _LIBC: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True)
except OSError:  # pragma: no cover - a Python without a C library to load
    _LIBC = None
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _manifest(paths: Iterable[str]) -> bytes:
    return ("\n".join([_MANIFEST_HEADER, *sorted(paths)]) + "\n").encode("utf-8")


def _parents(paths: Iterable[str]) -> set[str]:
    """Every folder above the given paths (`a/b/c` -> `a`, `a/b`)."""
    found: set[str] = set()
    for path in paths:
        parts = path.split("/")[:-1]
        found.update("/".join(parts[:index]) for index in range(1, len(parts) + 1))
    return found


def files_under(folder: Path) -> set[str]:
    """Files and symbolic links under `folder`, relative; folders are not listed (nor followed)."""
    found: set[str] = set()
    for parent, folders, names in os.walk(folder):
        prefix = os.path.relpath(parent, folder).replace(os.sep, "/")
        entries = names + [name for name in folders if os.path.islink(os.path.join(parent, name))]
        found.update(name if prefix == "." else f"{prefix}/{name}" for name in entries)
    return found


def _remove(out: Path, paths: Iterable[str]) -> list[str]:
    """Delete these files (ours, from the manifest), then the folders they leave empty."""
    deleted = []
    folders = set()
    for relative in sorted(paths):
        target = os.path.join(out, relative)
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(info.st_mode):
            continue  # a file of ours that someone replaced by a folder: not ours to delete
        os.unlink(target)
        deleted.append(relative)
        folders.update(_parents([relative]))
    for folder in sorted(folders, key=lambda f: -f.count("/")):
        with contextlib.suppress(OSError):  # not empty: something else lives there
            os.rmdir(os.path.join(out, folder))
    return deleted


def unchanged_on_disk(out: Path, relative: str, data: bytes) -> bool:
    """Whether the output file already holds exactly `data`."""
    target = os.path.join(out, relative)
    try:
        if os.path.getsize(target) != len(data):
            return False
        with open(target, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False
