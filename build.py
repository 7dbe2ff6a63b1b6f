#!/usr/bin/env python3
"""Build, check or serve a timeline from a checkout: `python build.py --help` (installed, the
same command is `yeonpyo`). Paths are relative to the working folder, as with `yeonpyo`."""

from yeonpyo.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
