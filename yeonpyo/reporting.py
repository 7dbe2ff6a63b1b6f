"""What a command prints: problems and warnings as `path:line: message`, and a build's summary."""

from __future__ import annotations

import logging
import os
import sys

from .pipeline import BuildResult, Project
from .problems import Problem

log = logging.getLogger("yeonpyo")


def report(result: BuildResult, what: str, project: Project | None = None) -> int:
    """Print problems and warnings as `path:line: message`; the exit code for them."""
    for problem in result.findings.sorted():
        print(_shown(problem, "warning: "), file=sys.stderr)
    if not result.ok:
        for problem in result.problems.sorted():
            print(_shown(problem), file=sys.stderr)
        count = len(result.problems.sorted())
        suffix = "; the output folder was not changed" if what == "build" else ""
        print(f"{count} problem{'s' if count != 1 else ''}{suffix}", file=sys.stderr)
        return 1
    if result.report is not None and result.report.first and result.report.foreign:
        shown = ", ".join(result.report.foreign[:4]) + ("…" if len(result.report.foreign) > 4 else "")
        log.info("the output folder held %d files yeonpyo did not write (%s); they are kept, and later builds keep "
                 "them too", len(result.report.foreign), shown)
    if result.report is not None:
        r = result.report
        where = f" {project.content} → {project.out}" if project is not None else ""
        log.info("built%s: %d written, %d deleted, %d unchanged in %.0f ms",
                 where, len(r.written), len(r.deleted), r.unchanged, result.seconds * 1000)
    elif what == "check":
        log.info("no problems%s", f" ({len(result.findings)} warnings)" if result.findings else "")
    return 0


def _shown(problem: Problem, prefix: str = "") -> str:
    """`path:line: message` with the path relative to the working folder when inside it (a
    symbolic link is named by its own path, not its target's)."""
    if not problem.path:  # about the command, not a file
        return f"{prefix}{problem.message}"
    path, here = os.path.abspath(problem.path), os.getcwd()
    shown = os.path.relpath(path, here) if path == here or path.startswith(here + os.sep) else problem.path
    return f"{shown}:{problem.line}: {prefix}{problem.message}"
