"""One build: load → validate → model → render → write, in that order only."""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from .cache import BuildCache, PageRecord
from .checks import editorial_findings
from .content import load_content
from .i18n import load_strings
from .model import Content
from . import search as search_index
from . import urls
from .output import Stage, WriteReport, write_site
from .problems import Problems
from .render import SiteRenderer, make_environment

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
    stamps = []
    for lang in languages:
        try:
            info = (folder / f"{lang}.yaml").stat()
            stamps.append((lang, info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append((lang, 0, -1))
    hit = memo.get("strings") if memo is not None else None
    if hit is None or hit[0] != stamps:
        found = Problems()
        hit = (stamps, load_strings(folder, languages, found), found)
        if memo is not None:
            memo["strings"] = hit
    problems.extend(hit[2])
    return hit[1]


def build(project: Project, cache: BuildCache | None = None, quick: bool = False,
          touched: frozenset[str] | None = None) -> BuildResult:
    """Build the site; on any problem, `out` is left exactly as it was.

    `cache` carries rendered Markdown and page fingerprints between builds (serve keeps one
    in memory); without it, the cache under `project.cache` is read and saved. `quick` is
    serve's first pass: pages only, while the search index, feeds and exports keep their last
    files and editorial warnings wait for the full pass that follows the browser's reload.
    `touched` (quick passes only) names the files a watcher saw change: the rest are not
    looked at again until the full pass.
    """
    started = time.perf_counter()
    cache = cache or BuildCache.open(project.cache, project.content, project.out)
    content, strings, result = validate(project, cache.memo, findings=not quick, touched=touched if quick else None,
                                        fork=not cache.serving)
    if content is not None:
        result.report = _render_and_write(content, strings, project, cache, result.problems, quick)
        if result.report is not None:
            cache.remember_pages(result.report.records)
            if not quick:  # serve's full pass saves what its quick passes added
                cache.save()
    result.seconds = time.perf_counter() - started
    return result


def _render_and_write(content: Content, strings: dict[str, dict[str, str]], project: Project, cache: BuildCache,
                      problems: Problems, quick: bool) -> WriteReport | None:
    """Render and write; template mistakes become problems at `template:line`, and leave `out` alone."""
    env = cache.memo.get("environment") or make_environment(project.templates)  # compiled templates
    cache.memo["environment"] = env  # Jinja re-reads a template whose file changed (auto_reload)
    renderer = SiteRenderer(content, strings, env, project.templates, project.out, cache, quick)
    stage: Stage | None = None
    indexing: search_index.Indexing | None = None
    rendered = False
    try:
        renderer.plan()
        if not renderer.renders_everything or not Stage.possible(project.out):
            renderer.render(project.static)
            return _write_changes(renderer, project, cache, quick)
        stage = Stage(project.out)
        indexing = None if quick else search_index.Indexing(stage.folder)
        behind = set(cache.memo.pop("index_stale", ()))  # languages whose bundle is behind its pages

        def index_searched_pages(lang: str) -> None:  # Pagefind works while the other pages are rendered
            written = [path for path, (_size, _time, new) in renderer.staged.items() if new]
            if search_index.stale_languages(project.out, [lang], written) or lang in behind:
                if indexing is None:
                    cache.memo.setdefault("index_stale", set()).add(lang)  # the full pass after the reload
                else:
                    indexing.add(lang)

        renderer.render(project.static, stage, index_searched_pages, lambda: indexing and indexing.poll())
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
    if not rendered or stage is None:
        return None
    return _swap_in(renderer, stage, indexing, project, cache)


def _write_changes(renderer: SiteRenderer, project: Project, cache: BuildCache, quick: bool) -> WriteReport:
    """Write what changed into `out`, then re-index the languages whose searched pages changed."""
    out, languages = project.out, renderer.content.site.languages
    paths = renderer.paths  # the same paths as the last build in this process: no stale files
    report = write_site(out, renderer.files, renderer.fingerprints, cache.pages, spare=urls.SEARCH,
                        walk=cache.memo.get("paths") != paths)
    cache.memo["paths"] = paths
    stale = set(cache.memo.pop("index_stale", ()))
    stale.update(search_index.stale_languages(out, languages, [*report.written, *report.deleted]))
    if quick and (out / urls.SEARCH).is_dir():
        if stale:
            cache.memo["index_stale"] = stale  # the full pass after the reload re-indexes
        return report
    written, deleted = search_index.Indexing(out, [lang for lang in languages if lang in stale]).finish()
    if not quick:
        deleted += search_index.remove_other_bundles(out, languages)
    return replace(report, written=report.written + tuple(written), deleted=report.deleted + tuple(deleted))


def _swap_in(renderer: SiteRenderer, stage: Stage, indexing: search_index.Indexing | None, project: Project,
             cache: BuildCache) -> WriteReport:
    """Finish the new site's search bundles, bring along those that did not change, swap it in."""
    languages = renderer.content.site.languages
    written = sorted(path for path, (_size, _time, changed) in renderer.staged.items() if changed)
    unchanged = len(renderer.staged) - len(written)
    indexed = set()
    if indexing is not None:
        index_written, _ = indexing.finish()
        written += index_written
        indexed = set(indexing.languages)
    deleted = stage.swap(carry=[urls.search_index(lang) for lang in languages if lang not in indexed])
    cache.memo["paths"] = renderer.paths
    records = {path: PageRecord(renderer.fingerprints[path], *renderer.staged[path][:2])
               for path in renderer.fingerprints if path in renderer.staged}
    return WriteReport(tuple(written), tuple(deleted), unchanged, records)


def _template_frame(err: Exception) -> tuple[str, int] | None:
    """The innermost template file and line in an error's traceback, if a template raised it."""
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return Path(frame.filename).name, frame.lineno or 0
    return ("?", 0) if isinstance(err, jinja2.TemplateError) else None


def _error_text(err: Exception) -> str:
    text = str(err) if isinstance(err, jinja2.TemplateError) else f"{type(err).__name__}: {err}"
    return text[:300]
