"""Putting a rendered site into the output folder, with its search bundles.

Two ways, chosen by the caller: a one-off build (what people deploy from) is all or
nothing, a whole new site swapped in (`output.Stage`); `serve` writes in place, in two
phases, for speed. Either way only files yeonpyo wrote are replaced or removed, and the
manifest is rewritten to list exactly the files this build left.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from . import search as search_index
from . import urls
from .output import OutputFolder, Stage, WriteReport, files_under, unchanged_on_disk
from .render import SiteRenderer


@dataclass(frozen=True)
class Target:
    """Where a build publishes and what it must leave alone."""

    folder: OutputFolder
    foreign: set[str]  # files in the folder yeonpyo did not write
    first: bool  # no build wrote here before
    atomic: bool  # all or nothing (a one-off build); False: in place (serve)


def swap_in_render(renderer: SiteRenderer, stage: Stage, indexing: search_index.Indexing | None,
                   target: Target) -> WriteReport:
    """A site rendered straight into a stage: finish its search bundles, bring along the
    bundles that did not change and the folder's other files, swap it in."""
    languages = renderer.content.site.languages
    written = sorted(path for path, (_size, _time, changed) in renderer.staged.items() if changed)
    unchanged = len(renderer.staged) - len(written)
    indexed: set[str] = set()
    if indexing is not None:
        written += indexing.finish()[0]
        indexed = set(indexing.languages)
    _keep_bundles(stage, target, [lang for lang in languages if lang not in indexed])
    return _finish_stage(renderer, stage, target, written, unchanged)


def publish_changes(renderer: SiteRenderer, target: Target, pending: set[str], quick: bool
                    ) -> tuple[WriteReport, set[str]]:
    """A site rendered in memory (the pages whose inputs changed): write what differs from
    the folder, remove what the site no longer has, re-index the languages whose searched
    pages changed (a quick pass leaves that to the next full one). Returns the report and the
    languages whose bundle is still behind."""
    folder, languages = target.folder, renderer.content.site.languages
    out = folder.path
    paths = renderer.paths
    changed = {path: data for path, data in renderer.files.items()
               if data is not None and not unchanged_on_disk(out, path, data)}
    listed = folder.manifest()
    previous = listed or set()
    stale = {path for path in previous if not path.startswith(urls.SEARCH)} - paths
    behind = set(pending) | set(search_index.stale_languages(out, languages, [*changed, *stale]))
    indexed = [] if quick and (out / urls.SEARCH).is_dir() else [lang for lang in languages if lang in behind]
    unchanged = len(paths) - len(changed)
    if not changed and not stale and not indexed and not target.first:
        return _report(renderer, target, [], [], unchanged), behind - set(indexed)
    if target.atomic and folder.can_swap():
        stage = folder.stage()
        try:
            for path, data in changed.items():
                stage.write(path, data)
            stage.keep(paths - set(changed))
            written = sorted(changed)
            if indexed:
                written += search_index.Indexing(stage.folder, indexed, previous=out).finish()[0]
            _keep_bundles(stage, target, [lang for lang in languages if lang not in indexed])
            return _finish_stage(renderer, stage, target, written, unchanged), set()
        finally:
            stage.discard()  # nothing left once it is swapped in
    deleted = folder.write_in_place(dict(changed), stale)
    written = sorted(changed)
    if indexed:
        index_written, index_deleted = search_index.Indexing(out, indexed).finish()
        written += index_written
        deleted += index_deleted
    if not quick:
        deleted += search_index.remove_other_bundles(out, languages)
    # What the folder holds of ours now: the last list and what this pass wrote and deleted (a
    # walk of the whole folder costs a quick pass tens of ms), or, with no list, what is there.
    ours = (listed | set(written)) - set(deleted) if listed is not None else folder.present() - target.foreign
    folder.write_manifest(ours)
    return _report(renderer, target, written, deleted, unchanged), behind - set(indexed)


def _keep_bundles(stage: Stage, target: Target, languages: Iterable[str]) -> None:
    """Link the search bundles that need no new index from the old site into the new one."""
    out = target.folder.path
    for lang in languages:
        bundle = out / urls.search_index(lang)
        if bundle.is_dir():
            prefix = urls.search_index(lang)
            stage.keep(prefix + path for path in sorted(files_under(bundle)))


def _finish_stage(renderer: SiteRenderer, stage: Stage, target: Target, written: list[str],
                  unchanged: int) -> WriteReport:
    """Bring the folder's other files into the new site and swap it in (or, where the folder
    cannot be swapped, write the new site into it in place)."""
    folder = target.folder
    stage.keep(sorted(target.foreign))
    ours = set(stage.files()) - target.foreign
    previous = folder.manifest() or set()
    if not stage.swap(ours):  # a bind mount from the same file system: write it in place instead
        new = {path: file for path, file in stage.files().items()
               if path not in target.foreign and not _same_file(file, folder.path / path)}
        folder.write_in_place(new, previous - ours)
        folder.write_manifest(ours)
    return _report(renderer, target, written, sorted(previous - ours), unchanged)


def _same_file(new: os.PathLike[str], old: os.PathLike[str]) -> bool:
    try:
        if os.path.samefile(new, old):
            return True
        with open(new, "rb") as first, open(old, "rb") as second:
            return first.read() == second.read()
    except OSError:
        return False


def _report(renderer: SiteRenderer, target: Target, written: list[str], deleted: list[str],
            unchanged: int) -> WriteReport:
    """What was written, and what the next build remembers of each page: what it read, the
    fingerprint of those values, and its file's size and time."""
    records = {}
    fresh = set(written)
    for path in sorted(renderer.paths):
        kept = renderer.kept.get(path)
        if kept is not None and path not in fresh:  # its file is the one the record names
            records[path] = kept
            continue
        try:
            info = os.stat(target.folder.path / path)
        except OSError:
            continue
        record = renderer.record(path, info.st_size, info.st_mtime_ns)
        if record is not None:
            records[path] = record
    return WriteReport(tuple(sorted(written)), tuple(sorted(deleted)), unchanged, records,
                       tuple(sorted(target.foreign)), target.first, renderer.rendered)
