"""The search index: the same pages give the same bundle, whatever order the disk lists them in."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from conftest import FIRED_MD, tree
from yeonpyo.search import Indexing


def bundle(site: Path, lang: str) -> dict[str, bytes]:
    return tree(site / "pagefind" / lang)


def test_the_bundle_does_not_depend_on_the_order_files_are_listed_in():
    # tmpfs lists a folder's entries newest first: pages written in opposite orders are listed so
    root = Path(tempfile.mkdtemp(dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    try:
        pages = {f"ko/events/e{n:02d}/index.html": f"<html lang=ko><body><main data-pagefind-body><h1>사건 {n}</h1>"
                 f"<p>올트먼 이사회 {n} 해임 {'복귀 ' * (n % 5)}</p></main></body></html>" for n in range(40)}
        sites = []
        for name, order in (("a", sorted(pages)), ("b", sorted(pages, reverse=True))):
            site = root / name
            for relative in order:
                (site / relative).parent.mkdir(parents=True, exist_ok=True)
                (site / relative).write_text(pages[relative], encoding="utf-8")
            Indexing(site, ["ko"]).finish()
            sites.append(site)
        assert (os.listdir(sites[0] / "ko" / "events") != os.listdir(sites[1] / "ko" / "events")
                or root.parent != Path("/dev/shm"))
        assert bundle(sites[0], "ko") == bundle(sites[1], "ko")
    finally:
        shutil.rmtree(root)


def test_an_edit_keeps_the_times_of_the_index_files_it_does_not_change(make_site):
    first = make_site()
    times = {p: p.stat().st_mtime_ns for p in (first.out / "pagefind" / "en").rglob("*") if p.is_file()}
    edited = make_site({"events/altman-fired.md": FIRED_MD.replace("The board fired", "The directors fired")})
    after = {p: p.stat().st_mtime_ns for p in (edited.out / "pagefind" / "en").rglob("*") if p.is_file()}
    kept = [p for p in after if p in times and after[p] == times[p]]
    assert any(p.name.endswith(".pf_fragment") for p in kept), "unchanged fragments keep their times"
    assert any(p not in times or after[p] != times[p] for p in after), "the changed page's files are new"
