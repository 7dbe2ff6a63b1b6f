"""The dev server: a thin shell around `build()` that survives any author error.

livereload 2.7.1 serves and reloads; its own watcher is not used, because it polls only
every 0.8 s, ignores changes within 3 s of its last reload and runs one callback per
changed file. Ours (watchfiles: inotify on Linux, polling where that is missing) hears a
save at once, waits until a burst of saves (a `git checkout`) has been quiet for
BURST_MS, rebuilds once and tells the browsers to reload at once.
"""

from __future__ import annotations

import errno
import html
import logging
import mimetypes
import os
import threading
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

import watchfiles

from .cache import BuildCache
from .pipeline import BuildResult, Project, build

log = logging.getLogger(__name__)
BURST_MS = 10  # a burst of saves ends after this much quiet
BURST_LIMIT_MS = 1000  # a longer burst is built in pieces
IDLE_SECONDS = 1.0  # the full pass (search index, feeds, exports) waits for a pause in editing


class Watcher(threading.Thread):
    """Calls `on_change(changed_paths)` once per burst of changes below `folders`, then
    `on_idle()` once they have been quiet for IDLE_SECONDS."""

    def __init__(self, folders: list[Path], on_change: Callable[[set[str]], None],
                 on_idle: Callable[[], None] = lambda: None) -> None:
        super().__init__(daemon=True, name="yeonpyo-watcher")
        self.folders, self.on_change, self.on_idle = folders, on_change, on_idle
        self._stop = threading.Event()

    def run(self) -> None:
        idle_owed = False
        changes_seen = watchfiles.watch(
            *self.folders, step=BURST_MS, debounce=BURST_LIMIT_MS, stop_event=self._stop,
            rust_timeout=int(IDLE_SECONDS * 1000), yield_on_timeout=True, raise_interrupt=False)
        for changes in changes_seen:
            if changes:
                self.on_change({path for _kind, path in changes})
                idle_owed = True
            elif idle_owed:
                idle_owed = False
                self.on_idle()

    def stop(self) -> None:
        self._stop.set()


class SiteApp:
    """A WSGI app serving only files inside the output folder, or the last build's errors."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.failure: BuildResult | None = None

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        if self.failure is not None:
            return self._respond(start_response, "500 Build Failed", "text/html; charset=utf-8",
                                 error_page(self.failure).encode("utf-8"))
        target = self.resolve(environ.get("PATH_INFO", "/"))
        if target is None:
            missing = self.out / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found"
            return self._respond(start_response, "404 Not Found", "text/html; charset=utf-8", body)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/json"):
            kind += "; charset=utf-8"
        return self._respond(start_response, "200 OK", kind, target.read_bytes())

    def resolve(self, path_info: str) -> Path | None:
        """The file a request path names, or None when it is missing or outside the folder."""
        path = unquote(unquote(path_info))
        if "\0" in path or "\\" in path:
            return None
        candidate = (self.out / path.lstrip("/")).resolve()
        if candidate != self.out and self.out not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    @staticmethod
    def _respond(start_response: Callable, status: str, kind: str, body: bytes) -> list[bytes]:
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]


def error_page(result: BuildResult) -> str:
    """A page listing the build's problems; it replaces the site until they are fixed."""
    items = "\n".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in result.problems.sorted())
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title>"
            "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}"
            "li{margin:.4rem 0}code{white-space:pre-wrap;word-break:break-word}</style></head>"
            f"<body><h1>Build failed</h1><p>Fix these and save; the page reloads by itself.</p>"
            f"<ul class=\"problems\">{items}</ul></body></html>")


def serve(project: Project, host: str, port: int) -> int:
    """Build, serve `project.out` with live reload, rebuild on every change; never exits on bad content."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    from .cli import report

    app = SiteApp(project.out)
    cache = BuildCache.open(project.cache, project.content, project.out)
    cache.serving = True
    _rebuild(project, cache, app, report)
    loop = IOLoop.current()

    def on_change(changed: set[str]) -> None:
        _rebuild(project, cache, app, report, changed, quick=True)
        loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    def on_idle() -> None:  # search, feeds, exports and warnings, once the editor pauses
        if app.failure is None:
            _rebuild(project, cache, app, report)

    server = Server(app)
    server.watch(str(project.out / ".never-changes"))  # keeps livereload from watching the cwd itself
    watcher = Watcher([project.content, project.templates, project.static], on_change, on_idle)
    watcher.start()
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            log.error("port %d on %s is busy: stop the other server or pass --port", port, host)
            return 1
        raise
    finally:
        watcher.stop()
    return 0


def _rebuild(project: Project, cache: BuildCache, app: SiteApp, report: Callable,
             changed: set[str] | None = None, quick: bool = False) -> bool:
    """One build whose failure is shown, never raised: the server must outlive any edit."""
    try:
        result = build(project, cache, quick, frozenset(os.path.abspath(p) for p in changed or ()))
    except Exception:  # noqa: BLE001 - a bug in a build must not stop the editor's server
        log.exception("the build crashed")
        return False
    app.failure = None if result.ok else result
    if not result.ok or result.report is None:
        report(result, "build")
        return False
    names = ", ".join(sorted(Path(p).name for p in changed or ())[:3]) + ("…" if len(changed or ()) > 3 else "")
    written, deleted = len(result.report.written), len(result.report.deleted)
    if not quick and changed is None and not written and not deleted:
        return True  # the follow-up full pass found nothing more to do: stay quiet
    log.info("%s%d pages written, %d deleted in %.0f ms", f"{names}: " if names else "", written, deleted,
             result.seconds * 1000)
    return result.ok
