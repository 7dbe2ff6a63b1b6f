"""Whether a file changed since it was last read: one rule, used for every input a build remembers.

A file's size and modification time alone miss real edits: `cp -p`, `rsync -t` and `tar x`
restore an old time, and two saves within one tick of the file system's clock keep it. So a
stamp also holds the inode and the change time (which no tool can set back) and a hash of the
bytes, and follows git's "racily clean" rule: a file modified within a second of being
stamped may still change within that same tick, so it is compared by its bytes next time.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass

RACY_NS = 1_000_000_000  # coarser than any file system's clock in use here (ext4, tmpfs: ns; FAT: 2 s is not)


@dataclass(frozen=True)
class FileStamp:
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: str
    racy: bool  # modified too close to the moment it was stamped to trust its times

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FileStamp | None:
        """The stamp of a file as it is now; None when it cannot be read or is not a plain
        file (opening a named pipe would wait for a writer forever)."""
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                return None
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        return cls._from(info, data)

    @classmethod
    def _from(cls, info: os.stat_result, data: bytes) -> FileStamp:
        now = time.time_ns()
        racy = max(info.st_mtime_ns, info.st_ctime_ns) >= now - RACY_NS
        return cls(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, hashlib.sha1(data).hexdigest(), racy)

    def matches(self, path: str | os.PathLike[str]) -> bool:
        """Whether the file still holds what it held when stamped: by its times when those can
        be trusted, else by its bytes."""
        try:
            info = os.stat(path)
        except OSError:
            return False
        if info.st_size != self.size or not stat.S_ISREG(info.st_mode):
            return False
        if (not self.racy and (info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
                == (self.mtime_ns, self.ctime_ns, self.inode)):
            return True
        try:
            with open(path, "rb") as handle:
                return hashlib.sha1(handle.read()).hexdigest() == self.digest
        except OSError:
            return False

    def renewed(self, path: str | os.PathLike[str]) -> FileStamp:
        """This stamp with the file's present times (after `matches`), so that a file found
        unchanged by its bytes is trusted by its times next time."""
        stamp = FileStamp.of(path)
        return stamp if stamp is not None and stamp.digest == self.digest else self


def stamps_of(paths: list[str | os.PathLike[str]]) -> tuple[FileStamp | None, ...]:
    """The stamps of several files (None for one that is missing)."""
    return tuple(FileStamp.of(path) for path in paths)


def still(stamps: tuple[FileStamp | None, ...], paths: list[str | os.PathLike[str]]) -> bool:
    """Whether each file still matches its stamp (a missing file still missing)."""
    return all(os.path.lexists(path) is False if stamp is None else stamp.matches(path)
               for stamp, path in zip(stamps, paths))
