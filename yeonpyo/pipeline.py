"""One build: load → validate → plan → select → render → index → publish → save, in that order.

    content, strings = validate(...)         the model, or every problem at path:line
    renderer = SiteRenderer(...)             the plan (plan.py) and what is not current (current.py)
    renderer.render(...)                     those pages, the exports, the copied files
    publish...(...)                          into the output folder, with the search bundles
    state_file.save(state)                   what the next build may reuse

How it runs is one `Mode` (mode.py): a one-off build swaps a whole new site in and may fork;
serve's passes write in place, in this process.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import search as search_index
from . import urls
from .checks import editorial_findings
from .content import load_content
from .exports import export_paths
from .mode import BUILD, Mode
from .model import Content
from .output import OutputError, OutputFolder, Stage, WriteReport, refusal
from .plan import PageType
from .problems import Problems
from .publish import Target, publish_changes, swap_in_render
from .render import SiteRenderer, make_environment
from .stamps import stamps_of, still
from .state import BuildState, StateFile, Strings
from .strings import load_strings
from .theme import Theme

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Project:
    """Where a build reads and writes."""

    content: Path
    out: Path
    theme: Theme = field(default_factory=Theme.builtin)  # templates, static files and UI strings
    base_url: str | None = None
    cache: Path | None = None  # where build states are kept; None keeps none between processes
    page_types: tuple[PageType, ...] | None = None  # the kinds of page the site has; None: the standard ones

    @classmethod
    def at(cls, content: Path, out: Path, **options: Any) -> Project:
        """A project whose own `templates/`, `static/` and `strings/` (beside `content/`)
        override the built-in theme."""
        return cls(content, out, Theme.for_project(content.parent), **options)

    def read_folders(self) -> dict[str, Path]:
        """The folders a build reads: the output folder may be none of them, nor hold or lie in one."""
        folders = {"content": self.content}
        for folder in self.theme.folders():  # the project's own first: `templates`, then `built-in templates`
            folders[folder.name if folder.name not in folders else f"built-in {folder.name}"] = folder
        if self.cache is not None:
            folders["cache"] = self.cache
        return folders

    def state_file(self) -> StateFile:
        return StateFile.for_project(self.cache, self.content, self.out)


@dataclass
class BuildResult:
    problems: Problems = field(default_factory=Problems)
    findings: Problems = field(default_factory=Problems)
    report: WriteReport | None = None
    seconds: float = 0.0
    parsed: tuple[str, ...] = ()  # the Markdown files read and checked anew (not remembered)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(project: Project, state: BuildState | None = None, findings: bool = True,
             touched: frozenset[str] | None = None, fork: bool = True
             ) -> tuple[Content | None, dict[str, dict[str, str]], BuildResult]:
    """Load and check everything; the model is None when any content error was found.
    `fork` False keeps the work in this process (serve, which runs threads)."""
    result = BuildResult()
    state = state if state is not None else BuildState()
    content, problems = load_content(project.content, state, touched, fork, project.base_url)
    result.problems.extend(problems)
    languages = content.site.languages if content else ("ko", "en")
    strings = _strings(project.theme, languages, result.problems, state)
    result.findings.items.extend(result.problems.warnings)
    result.problems.warnings.clear()
    if content is not None and findings:
        result.findings.extend(editorial_findings(content))
    return (content if result.ok else None), strings, result


def _strings(theme: Theme, languages: tuple[str, ...], problems: Problems, state: BuildState
             ) -> dict[str, dict[str, str]]:
    """The UI strings, parsed again only when their files change (serve rebuilds often)."""
    paths: list[str | os.PathLike[str]] = [folder / f"{lang}.yaml" for lang in languages for folder in theme.strings]
    hit = state.strings
    if hit is None or hit.languages != languages or not still(hit.stamps, paths):
        found = Problems()
        tables = load_strings(theme.strings, languages, found)
        hit = state.strings = Strings(languages, stamps_of(paths), tables, found)
    problems.extend(hit.problems)
    return hit.tables


def build(project: Project, mode: Mode = BUILD, state: BuildState | None = None,
          touched: frozenset[str] | None = None) -> BuildResult:
    """Build the site; on any problem, `out` is left exactly as it was.

    `state` is what earlier builds remember (serve keeps one in memory, and saves it);
    without it, the project's state file is read and saved. `touched` (serve's quick passes)
    names the files a watcher saw change: the rest are not looked at again until the full pass.
    """
    started = time.perf_counter()
    refused = refusal(project.out, project.read_folders())
    if refused:
        result = BuildResult()
        result.problems.add("", 0, refused)
        return result
    state_file = None  # serve keeps its own state; a one-off build reads and saves the project's
    if state is None:
        state_file = project.state_file()
        state = state_file.load()
    remembered = dict(state.documents)
    content, strings, result = validate(project, state, findings=not mode.quick,
                                        touched=touched if mode.quick else None, fork=mode.fork)
    result.parsed = tuple(sorted(path for path, parsed in state.documents.items()
                                 if remembered.get(path) is not parsed))
    if content is not None:
        folder = OutputFolder(project.out)
        try:
            with folder.locked():
                result.report = _render_and_publish(content, strings, project, state, mode, result.problems, folder)
        except OutputError as err:
            result.problems.add("", 0, str(err))
        except OSError as err:  # the disk is full or read-only, or a folder is not ours to write
            result.problems.add("", 0, f"could not write the site into {folder.path}: {err.strerror or err}; "
                                "the last site is unchanged")
        if result.report is not None:
            state.pages = result.report.records
            if state_file is not None:
                state_file.save(state)
    result.seconds = time.perf_counter() - started
    return result


def _render_and_publish(content: Content, strings: dict[str, dict[str, str]], project: Project, state: BuildState,
                        mode: Mode, problems: Problems, folder: OutputFolder) -> WriteReport | None:
    """Render what is not current and publish it; template mistakes become problems at
    `template:line`, and leave `out` alone."""
    environment = _environment(project.theme, state)
    renderer = SiteRenderer(content, strings, environment, project.theme, project.out, state, mode,
                            project.page_types, project.cache)
    target = _target(folder, state, mode)
    behind, state.index_behind = state.index_behind, set()
    stage: Stage | None = None
    indexing: search_index.Indexing | None = None
    rendered = False
    try:
        if _root_files_clash(renderer, content, problems):
            return None
        folder.check_room(renderer.planned_paths(), target.foreign, (urls.SEARCH,))
        if renderer.renders_everything and mode.atomic and folder.can_swap():
            stage = folder.stage()
            indexing = search_index.Indexing(stage.folder, previous=folder.path)
            renderer.render(stage, _index_as_written(renderer, folder, indexing, behind), indexing.poll)
        else:
            renderer.render()
        rendered = True
    except jinja2.TemplateSyntaxError as err:
        problems.add(err.filename or project.theme.template_path(err.name or "?"), err.lineno,
                     f"template error: {err.message}")
    except Exception as err:  # a template's own mistake ({{ 1/0 }}) is an author's; anything else a bug
        frame = _template_frame(err)
        if frame is None:
            raise
        problems.add(frame[0], frame[1], f"template error: {_error_text(err)}")
    finally:
        if not rendered and stage is not None:  # a template error, or a bug: `out` stays as it was
            if indexing is not None:
                indexing.cancel()
            stage.discard()
    if not rendered:
        return None
    if stage is None:
        report, state.index_behind = publish_changes(renderer, target, behind, mode.quick)
        return report
    try:
        return swap_in_render(renderer, stage, indexing, target)
    finally:
        if indexing is not None:
            indexing.cancel()
        stage.discard()


def _environment(theme: Theme, state: BuildState) -> jinja2.Environment:
    """Jinja over the theme's template folders, kept while the same files win for the same
    names (it re-reads a changed file itself; a new override needs a new lookup)."""
    files = tuple(theme.template_files().items())
    if state.environment is None or state.environment[0] != files:
        state.environment = (files, make_environment(theme.templates))
    return state.environment[1]


def _target(folder: OutputFolder, state: BuildState, mode: Mode) -> Target:
    """Where to publish: what else lives in the folder (a quick pass trusts what the last full one saw)."""
    if mode.quick and state.foreign is not None:
        return Target(folder, state.foreign, False, mode.atomic)
    foreign, first = folder.foreign()
    state.foreign = foreign
    return Target(folder, foreign, first, mode.atomic)


def _root_files_clash(renderer: SiteRenderer, content: Content, problems: Problems) -> bool:
    """content/root/ files may not take a path the site writes itself."""
    generated = set(renderer.files) | set(export_paths(content)) | {urls.static("")[:-1]}
    for path, source in renderer.root_files.items():
        if path in generated or path.startswith((urls.static(""), urls.SEARCH, urls.MEDIA)):
            problems.add(source, 0, f"`{path}` is a path the site writes itself; give the file another name")
    return bool(problems)


def _index_as_written(renderer: SiteRenderer, folder: OutputFolder, indexing: search_index.Indexing,
                      behind: set[str]) -> Callable[[str], None]:
    """Once a language's searched pages are written, index it, if they changed (Pagefind then
    works while the other pages are rendered)."""
    def index(lang: str) -> None:
        written = [path for path, (_size, _time, new) in renderer.staged.items() if new]
        if search_index.stale_languages(folder.path, [lang], written) or lang in behind:
            indexing.add(lang)

    return index


def _template_frame(err: Exception) -> tuple[str, int] | None:
    """The innermost template file and line in an error's traceback, if a template raised it."""
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return frame.filename, frame.lineno or 0
    return ("?", 0) if isinstance(err, jinja2.TemplateError) else None


def _error_text(err: Exception) -> str:
    text = str(err) if isinstance(err, jinja2.TemplateError) else f"{type(err).__name__}: {err}"
    return text[:300]
