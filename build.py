#!/usr/bin/env python3
"""Build, check or serve the timeline site. Run `python build.py --help`."""

from pathlib import Path

from yeonpyo.cli import main

if __name__ == "__main__":
    raise SystemExit(main(root=Path(__file__).resolve().parent))
