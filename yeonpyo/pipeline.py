"""One build: load → validate → model → render → write, in that order only."""

from __future__ import annotations

import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .cache import BuildCache
from .checks import editorial_findings
from .exports import export_paths
from .content import load_content
from .i18n import load_strings
from .model import Content
from . import search as search_index
from . import urls
from .output import OutputError, OutputFolder, Stage, WriteReport, refusal
from .problems import Problems
from .publish import Target, publish_changes, swap_in_render
from .render import SiteRenderer, make_environment
from .stamps import stamps_of, still

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Project:
    """Where a build reads and writes."""

    content: Path
    templates: Path
    static: Path
    out: Path
    base_url: str | None = None
    cache: Path | None = None  # the cache root; None keeps no cache between processes

    def read_folders(self) -> dict[str, Path]:
        """The folders a build reads: the output folder may be none of them, nor hold or lie in one."""
        folders = {"content": self.content, "templates": self.templates, "static": self.static}
        if self.cache is not None:
            folders["cache"] = self.cache
        return folders


@dataclass
class BuildResult:
    problems: Problems = field(default_factory=Problems)
    findings: Problems = field(default_factory=Problems)
    report: WriteReport | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(project: Project, memo: dict | None = None, findings: bool = True,
             touched: frozenset[str] | None = None, fork: bool = True
             ) -> tuple[Content | None, dict[str, dict[str, str]], BuildResult]:
    """Load and check everything; the model is None when any content error was found.
    `fork` False keeps the work in this process (serve, which runs threads)."""
    result = BuildResult()
    content, problems = load_content(project.content, memo, touched, fork, project.base_url)
    result.problems.extend(problems)
    languages = content.site.languages if content else ("ko", "en")
    strings = _strings(project.templates / "strings", languages, result.problems, memo)
    result.findings.items.extend(result.problems.warnings)
    result.problems.warnings.clear()
    if content is not None and findings:
        result.findings.extend(editorial_findings(content))
    return (content if result.ok else None), strings, result


def _strings(folder: Path, languages: tuple[str, ...], problems: Problems, memo: dict | None
             ) -> dict[str, dict[str, str]]:
    """The UI strings, parsed again only when their files change (serve rebuilds often)."""
    paths: list[str | os.PathLike[str]] = [folder / f"{lang}.yaml" for lang in languages]
    hit = memo.get("strings") if memo is not None else None
    if hit is None or hit[0] != languages or not still(hit[1], paths):
        found = Problems()
        hit = (languages, stamps_of(paths), load_strings(folder, languages, found), found)
        if memo is not None:
            memo["strings"] = hit
    problems.extend(hit[3])
    return hit[2]


def build(project: Project, cache: BuildCache | None = None, quick: bool = False,
          touched: frozenset[str] | None = None) -> BuildResult:
    """Build the site; on any problem, `out` is left exactly as it was.

    `cache` carries rendered Markdown and page fingerprints between builds (serve keeps one
    in memory); without it, the cache under `project.cache` is read and saved. `quick` is
    serve's first pass: pages only, while the search index, feeds and exports keep their last
    files and editorial warnings wait for the full pass that follows the browser's reload.
    `touched` (quick passes only) names the files a watcher saw change: the rest are not
    looked at again until the full pass. A one-off build (no `cache` given) swaps a whole
    new site in; serve's builds write in place.
    """
    started = time.perf_counter()
    refused = refusal(project.out, project.read_folders())
    if refused:
        result = BuildResult()
        result.problems.add("", 0, refused)
        return result
    atomic = cache is None
    cache = cache or BuildCache.open(project.cache, project.content, project.out)
    content, strings, result = validate(project, cache.memo, findings=not quick, touched=touched if quick else None,
                                        fork=not cache.serving)
    if content is not None:
        folder = OutputFolder(project.out)
        try:
            with folder.locked():
                result.report = _render_and_write(content, strings, project, cache, result.problems, quick,
                                                  folder, atomic)
        except OutputError as err:
            result.problems.add("", 0, str(err))
        except OSError as err:  # the disk is full or read-only, or a folder is not ours to write
            result.problems.add("", 0, f"could not write the site into {folder.path}: {err.strerror or err}; "
                                "the last site is unchanged")
        if result.report is not None:
            cache.remember_pages(result.report.records)
            if not quick:  # serve's full pass saves what its quick passes added
                cache.save()
    result.seconds = time.perf_counter() - started
    return result


def _render_and_write(content: Content, strings: dict[str, dict[str, str]], project: Project, cache: BuildCache,
                      problems: Problems, quick: bool, folder: OutputFolder, atomic: bool) -> WriteReport | None:
    """Render and publish; template mistakes become problems at `template:line`, and leave `out` alone."""
    env = cache.memo.get("environment") or make_environment(project.templates)  # compiled templates
    cache.memo["environment"] = env  # Jinja re-reads a template whose file changed (auto_reload)
    renderer = SiteRenderer(content, strings, env, project.templates, project.out, cache, quick)
    if quick and "foreign" in cache.memo:  # serve's quick pass trusts what its last full pass saw
        target = Target(folder, cache.memo["foreign"], False, atomic)
    else:
        foreign, first = folder.foreign()
        target = Target(folder, foreign, first, atomic)
        cache.memo["foreign"] = foreign
    stage: Stage | None = None
    indexing: search_index.Indexing | None = None
    behind = set(cache.memo.pop("index_stale", ()))  # languages whose bundle is behind its pages
    rendered = False
    try:
        renderer.plan()
        generated = set(renderer.files) | set(export_paths(content)) | {urls.static("")[:-1]}
        for path, source in renderer.root_files.items():
            if path in generated or path.startswith((urls.static(""), urls.SEARCH)):
                problems.add(source, 0, f"`{path}` is a path the site writes itself; give the file another name")
        if problems:
            return None
        folder.check_room(renderer.planned_paths(project.static), target.foreign, (urls.SEARCH,))
        if renderer.renders_everything and atomic and folder.can_swap():
            stage = folder.stage()
            indexing = search_index.Indexing(stage.folder, previous=folder.path)

            def index_searched_pages(lang: str) -> None:  # Pagefind works while the other pages are rendered
                written = [path for path, (_size, _time, new) in renderer.staged.items() if new]
                if search_index.stale_languages(folder.path, [lang], written) or lang in behind:
                    indexing.add(lang)  # type: ignore[union-attr]

            renderer.render(project.static, stage, index_searched_pages, lambda: indexing and indexing.poll())
        else:
            renderer.render(project.static)
        rendered = True
    except jinja2.TemplateSyntaxError as err:
        problems.add(project.templates / (err.name or "?"), err.lineno, f"template error: {err.message}")
    except Exception as err:  # a template's own mistake ({{ 1/0 }}) is an author's; anything else a bug
        frame = _template_frame(err)
        if frame is None:
            raise
        problems.add(project.templates / frame[0], frame[1], f"template error: {_error_text(err)}")
    finally:
        if not rendered and stage is not None:  # a template error, or a bug: `out` stays as it was
            if indexing is not None:
                indexing.cancel()
            stage.discard()
    if not rendered:
        return None
    if stage is None:
        report, still_behind = publish_changes(renderer, target, behind, quick)
        if still_behind:
            cache.memo["index_stale"] = still_behind  # the full pass after the reload re-indexes
        return report
    try:
        return swap_in_render(renderer, stage, indexing, target)
    finally:
        if indexing is not None:
            indexing.cancel()
        stage.discard()


def _template_frame(err: Exception) -> tuple[str, int] | None:
    """The innermost template file and line in an error's traceback, if a template raised it."""
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return Path(frame.filename).name, frame.lineno or 0
    return ("?", 0) if isinstance(err, jinja2.TemplateError) else None


def _error_text(err: Exception) -> str:
    text = str(err) if isinstance(err, jinja2.TemplateError) else f"{type(err).__name__}: {err}"
    return text[:300]
