"""Run `build.py` with a fault injected at the N-th file-system call: a SIGKILL (as a crash or
a power cut would stop the build there) or ENOSPC (a full disk).

    python tests/faultrun.py kill N build --content … --out …
    python tests/faultrun.py nospace N build …
    python tests/faultrun.py count 0 build …     (prints how many calls a build makes)

The calls counted are the ones that change the file system: creating, linking, renaming,
replacing and deleting files, and writing to a file opened for writing."""

from __future__ import annotations

import builtins
import errno
import os
import shutil
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

mode, target = sys.argv[1], int(sys.argv[2])
calls = 0


def _fault() -> None:
    global calls
    calls += 1
    if calls == target:
        if mode == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == "nospace":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _counted(function):  # type: ignore[no-untyped-def]
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        _fault()
        return function(*args, **kwargs)
    return wrapper


for name in ("link", "rename", "replace", "unlink", "rmdir", "symlink", "mkdir"):
    setattr(os, name, _counted(getattr(os, name)))
shutil.rmtree = _counted(shutil.rmtree)
real_open = builtins.open


def _open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
    handle = real_open(file, mode, *args, **kwargs)
    if any(flag in mode for flag in "wax+"):
        write = handle.write

        def counted_write(data):  # type: ignore[no-untyped-def]
            _fault()
            return write(data)
        handle.write = counted_write
    return handle


builtins.open = _open

from yeonpyo.cli import main  # noqa: E402 - after the patches, so that the package sees them

try:
    code = main(sys.argv[3:], root=ROOT)
finally:
    if mode == "count":
        print(f"calls={calls}", file=sys.stderr)
raise SystemExit(code)
