"""Full-text search with Pagefind: one index per language, built from the written pages.

Pagefind's command line (much faster here than its Python API, which sends each page over
a pipe) reads the event and context pages straight from the output folder once they are
written, and writes its index to a temporary folder; the index then replaces `pagefind/`
file by file like every other output. Only elements marked `data-pagefind-body` count.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PREFIX = "pagefind/"
GLOB = "{*/events/*/index.html,*/pages/*/index.html}"


def build_index(out: Path) -> dict[str, bytes]:
    """Pagefind's files for the pages in `out`, keyed by output path."""
    with tempfile.TemporaryDirectory(prefix="yeonpyo-pagefind-") as folder:
        done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--glob", GLOB,
                               "--output-path", folder, "--quiet"], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"pagefind failed: {done.stderr or done.stdout}")
        root = Path(folder)
        produced = {PREFIX + p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    entry = PREFIX + "pagefind-entry.json"  # Pagefind lists languages in hash-map order
    if entry in produced:
        produced[entry] = json.dumps(json.loads(produced[entry]), sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode("utf-8")
    return produced


def needs_index(out: Path, changed: list[str]) -> bool:
    """True when an indexed page changed, or there is no index yet."""
    return not (out / PREFIX / "pagefind.js").is_file() or any(
        path.endswith("index.html") and ("/events/" in path or "/pages/" in path) for path in changed)
