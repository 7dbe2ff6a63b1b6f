"""Full-text search with Pagefind: one index per language, built from the rendered pages.

Pagefind's command line (much faster here than its Python API, which sends each page
over a pipe) indexes a temporary copy and writes into a temporary folder and its files join the rest of the output in
memory, so the search index is swapped in with the pages it describes, never half-built.
Only elements marked `data-pagefind-body` (event and context pages) are indexed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PREFIX = "pagefind/"


def search_files(files: dict[str, bytes | None], out: Path, indexed: list[str],
                 refresh: bool = True) -> dict[str, bytes | None]:
    """Pagefind's output files for the pages at `indexed` (output paths); None means "keep".

    With `refresh` False an existing index is kept even if pages changed: `serve` reloads the
    browser first and brings the index up to date in a second build right after.
    """
    previous = sorted(p.relative_to(out).as_posix() for p in (out / PREFIX).rglob("*") if p.is_file()) \
        if (out / PREFIX).is_dir() else []
    if previous and (not refresh or all(files.get(path, b"") is None for path in indexed)):
        return {path: None for path in previous}  # no indexed page changed: the index stands
    with tempfile.TemporaryDirectory(prefix="yeonpyo-pagefind-") as folder:
        site, index = Path(folder) / "site", Path(folder) / "index"
        for path in indexed:
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[path] if files[path] is not None else (out / path).read_bytes())
        done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(index),
                               "--quiet"], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"pagefind failed: {done.stderr or done.stdout}")
        produced = {PREFIX + p.relative_to(index).as_posix(): p.read_bytes()
                    for p in sorted(index.rglob("*")) if p.is_file()}
    entry = PREFIX + "pagefind-entry.json"  # Pagefind lists languages in hash-map order
    if entry in produced:
        produced[entry] = json.dumps(json.loads(produced[entry]), sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode("utf-8")
    return produced
