"""The command line: `init`, `build` (the default), `check [--strict]`, `serve`, `new`."""

from __future__ import annotations

import argparse
import datetime
import logging
import sys
from pathlib import Path

from .pipeline import Project, build, validate
from .reporting import report
from .scaffold import ScaffoldError, new_event
from .schema import base_url_problem
from .starter import StarterError, init_project
from .state import default_root

log = logging.getLogger("yeonpyo")


COMMANDS = {"init", "build", "check", "serve", "new"}


def _parser(root: Path, prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Build a multilingual timeline site with its sources.")
    commands = parser.add_subparsers(dest="command", metavar="{init,build,check,serve,new}")
    init = commands.add_parser("init", help="start a new timeline project in a folder")
    init.add_argument("folder", type=Path, help="where to write it (it may exist, but not hold content/)")
    init.add_argument("--languages", default="ko,en", help="two or more CLDR language codes (default: ko,en)")
    init.add_argument("--timezone", default="Asia/Seoul", help="the site's IANA time zone (default: Asia/Seoul)")

    def site_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=root / "content",
                       help="content folder (default: ./content); templates/, static/ and strings/ beside it "
                            "override the built-in theme")
        p.add_argument("--out", type=Path, default=root / "_site", help="output folder (default: ./_site)")
        p.add_argument("--base-url", type=_base_url,
                       help="the address the site will live at (instead of site.yaml's base_url), "
                            "e.g. https://example.org/timeline/")
        p.add_argument("--cache", type=Path, default=None,
                       help="cache folder (default: $XDG_CACHE_HOME/yeonpyo); makes rebuilds fast")

    site_options(commands.add_parser("build", help="build content/ into _site/ (the default)"))
    check = commands.add_parser("check", help="validate only; report every problem as path:line: message")
    site_options(check)
    check.add_argument("--strict", action="store_true",
                       help="also fail on missing translations, uncited sources, name variants and TODOs")
    new = commands.add_parser("new", help="write a new event file with both language sections to fill in")
    new.add_argument("slug", help="the file name without .md: a-z, 0-9 and hyphens")
    new.add_argument("--date", help="YYYY, YYYY-MM, YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (default: today)")
    new.add_argument("--tz", help="IANA time zone, e.g. Asia/Seoul (default: the site's)")
    new.add_argument("--content", type=Path, default=root / "content", help="content folder (default: ./content)")
    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild/reload on every change")
    site_options(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--full", action="store_true",
                       help="render every page on every save (slower; for when a quick pass seems to miss a change)")
    return parser


def _base_url(value: str) -> str:
    problem = base_url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    """Run one command; 0 on success, 1 on content problems, 2 on a wrong command line."""
    root = root or Path()  # the working folder: paths stay as the user gave them
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS | {"-h", "--help"}:
        argv.insert(0, "build")  # `build` is the default command, options and all
    args = _parser(root, Path(sys.argv[0]).name or "yeonpyo").parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    command = args.command
    if command == "new":
        return _new(args)
    if command == "init":
        return _init(args)
    project = Project.at(args.content, args.out, base_url=args.base_url, cache=args.cache or default_root())
    if command == "check":
        return _check(project, args.strict)
    if command == "serve":
        from .serve import serve  # the dev server's dependencies load only when serving

        return serve(project, args.host, args.port, args.full)
    result = build(project)
    return report(result, "build", project)


def _new(args: argparse.Namespace) -> int:
    """Scaffold an event; a wrong argument or an existing file is a command-line error (2)."""
    try:
        path = new_event(args.content / "events", args.slug, args.date, args.tz, datetime.date.today())
    except ScaffoldError as err:
        print(f"new: {err}", file=sys.stderr)
        return 2
    log.info("wrote %s: replace its TODO markers (check --strict lists them)", path)
    return 0


def _init(args: argparse.Namespace) -> int:
    """Start a project; a wrong argument or a folder already holding one is a command-line error (2)."""
    languages = tuple(code.strip() for code in args.languages.split(",") if code.strip())
    try:
        written = init_project(args.folder, languages, args.timezone)
    except StarterError as err:
        print(f"init: {err}", file=sys.stderr)
        return 2
    log.info("wrote %d files in %s; next: cd %s && yeonpyo serve", len(written), args.folder, args.folder)
    return 0


def _check(project: Project, strict: bool) -> int:
    _, _, result = validate(project)
    if strict:
        result.problems.extend(result.findings)
        result.findings.items.clear()
    return report(result, "check")
