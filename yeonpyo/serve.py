"""The dev server: a thin shell around `build()` that survives any author error.

livereload 2.7.1 serves and reloads; its own watcher is not used, because it polls only
every 0.8 s, ignores changes within 3 s of its last reload and runs one callback per
changed file. Ours (watchfiles: inotify on Linux, polling where that is missing) hears a
save at once, waits until a burst of saves (a `git checkout`) has been quiet for
BURST_MS, rebuilds once and tells the browsers to reload at once.
"""

from __future__ import annotations

import errno
import gc
import html
import json
import logging
import mimetypes
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import watchfiles

from .mode import SERVE_FULL, SERVE_QUICK, Mode
from .pipeline import BuildResult, Project, build
from .problems import Problem
from .reporting import report
from .state import BuildState

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
        while not self._stop.is_set():
            present = [folder for folder in self.folders if folder.is_dir()]
            changes_seen = watchfiles.watch(
                *present, step=BURST_MS, debounce=BURST_LIMIT_MS, stop_event=self._stop,
                rust_timeout=int(IDLE_SECONDS * 1000), yield_on_timeout=True, raise_interrupt=False)
            for changes in changes_seen:
                if changes:
                    self.on_change({path for _kind, path in changes})
                    idle_owed = True
                elif idle_owed:
                    idle_owed = False
                    self.on_idle()
                if [folder for folder in self.folders if folder.is_dir()] != present:
                    break  # a folder was deleted (its watch is gone) or came back: watch anew
            else:
                return
            self._stop.wait(0.2)
            self.on_change({str(folder) for folder in self.folders})
            idle_owed = True

    def stop(self) -> None:
        self._stop.set()


class SiteApp:
    """A WSGI app serving only files inside the output folder, or the last build's errors,
    and only to this machine: a request whose `Host` is not the address served (or
    localhost) is refused, so a page elsewhere cannot read drafts through DNS rebinding."""

    def __init__(self, out: Path, hosts: set[str] | None = None, project: Path | None = None) -> None:
        self.out = out.resolve()
        self.hosts = hosts  # the Host headers accepted (None: any, for tests of the app alone)
        self.project = project or Path.cwd()  # error pages name files relative to it
        self.failure: BuildResult | None = None
        self.crash: str | None = None  # a build that raised: the browser shows it too

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        head = environ.get("REQUEST_METHOD") == "HEAD"
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self._respond(start_response, "405 Method Not Allowed", "text/plain; charset=utf-8",
                                 b"Only GET and HEAD\n", head, [("Allow", "GET, HEAD")])
        if self.hosts is not None and environ.get("HTTP_HOST", "").lower() not in self.hosts:
            return self._respond(start_response, "403 Forbidden", "text/plain; charset=utf-8",
                                 b"This server answers only requests addressed to it by name\n", head)
        if self.failure is not None or self.crash is not None:
            page = error_page(self.failure, self.project) if self.failure is not None else crash_page(self.crash or "")
            return self._respond(start_response, "500 Build Failed", "text/html; charset=utf-8",
                                 page.encode("utf-8"), head)
        target = self.resolve(environ.get("PATH_INFO", "/"))
        if target is None:
            missing = self.out / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found"
            return self._respond(start_response, "404 Not Found", "text/html; charset=utf-8", body, head)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/json"):
            kind += "; charset=utf-8"
        try:
            body = target.read_bytes()
        except OSError:  # replaced or removed by a build just now
            return self._respond(start_response, "404 Not Found", "text/plain; charset=utf-8", b"Not found\n", head)
        return self._respond(start_response, "200 OK", kind, body, head)

    def resolve(self, path_info: str) -> Path | None:
        """The file a request path names, or None when it is missing, outside the folder or
        not a name a file can have (too long, a NUL byte)."""
        path = unquote(unquote(path_info))
        if "\0" in path or "\\" in path:
            return None
        try:
            candidate = (self.out / path.lstrip("/")).resolve()
            if candidate != self.out and self.out not in candidate.parents:
                return None
            if candidate.is_dir():
                candidate = candidate / "index.html"
            return candidate if candidate.is_file() else None
        except (OSError, ValueError):  # a segment longer than the file system allows, say
            return None

    @staticmethod
    def _respond(start_response: Callable, status: str, kind: str, body: bytes, head: bool = False,
                 extra: list[tuple[str, str]] | None = None) -> list[bytes]:
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store"), *(extra or [])])
        return [body]  # for HEAD too: the container sends only the headers, with this length


def crash_page(message: str) -> str:
    """What the browser shows when a build raised instead of reporting problems (a bug)."""
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build crashed</title></head>"
            f"<body><h1>The build crashed</h1><p>This is a bug in yeonpyo, not in your files; the terminal shows the "
            f"details. Save again to retry.</p><pre>{html.escape(message)}</pre></body></html>")


def error_page(result: BuildResult, project: Path | None = None) -> str:
    """A page listing the build's problems, files named relative to the project; it replaces
    the site until they are fixed."""
    here = os.path.abspath(project or Path.cwd())

    def shown(problem: Problem) -> str:
        path = os.path.abspath(problem.path) if problem.path else ""
        if path.startswith(here + os.sep):
            path = os.path.relpath(path, here)
        return f"{path}:{problem.line}: {problem.message}" if problem.path else problem.message

    items = "\n".join(f"<li><code>{html.escape(shown(p))}</code></li>" for p in result.problems.sorted())
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title>"
            "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}"
            "li{margin:.4rem 0}code{white-space:pre-wrap;word-break:break-word}</style></head>"
            f"<body><h1>Build failed</h1><p>Fix these and save; the page reloads by itself.</p>"
            f"<ul class=\"problems\">{items}</ul></body></html>")


def serve(project: Project, host: str, port: int, full: bool = False) -> int:
    """Build, serve `project.out` with live reload, rebuild on every change; never exits on bad
    content. `full` renders every page on every save (when the quick pass is in doubt)."""
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    if _port_busy(host, port):
        log.error("port %d on %s is busy: stop the other server or pass --port", port, host)
        return 1
    app = SiteApp(project.out, _local_names(host, port), project.content.resolve().parent)
    quick, settled = (SERVE_QUICK, SERVE_FULL) if not full else (SERVE_QUICK.rendering_everything(),
                                                                    SERVE_FULL.rendering_everything())
    state_file = project.state_file()
    state = state_file.load()
    _rebuild(project, state, settled, app)
    state_file.save(state)
    _settle_memory()
    loop = IOLoop.current()

    def on_change(changed: set[str]) -> None:
        _rebuild(project, state, quick, app, changed)
        loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    def on_idle() -> None:  # search, feeds, exports and warnings, once the editor pauses
        if app.failure is None:
            _rebuild(project, state, settled, app)
            state_file.save(state)
        _settle_memory()

    server = _local_server(app, app.hosts or set())
    server.watch(str(project.out / ".never-changes"))  # keeps livereload from watching the cwd itself
    watcher = Watcher([project.content, *project.theme.folders()], on_change, on_idle)
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


def _settle_memory() -> None:
    """Collect garbage while the editor pauses, then freeze what is left (the state the next
    passes reuse): the collector then never walks it during a quick pass, where a full walk
    of a long chronicle's state cost tens of ms."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _local_names(host: str, port: int) -> set[str]:
    """The Host headers a browser on this machine sends for the served address."""
    names = {host, "localhost", "127.0.0.1", "[::1]"}
    return {f"{name}:{port}".lower() for name in names} | ({f"{host}".lower()} if port == 80 else set())


def _port_busy(host: str, port: int) -> bool:
    """Whether another program listens on the port (checked before the first build, so that a
    second `serve` says so at once instead of rebuilding the first one's folder)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            return err.errno == errno.EADDRINUSE
    return False


# livereload's own snippet: loads its client from this server's port.
_LIVE_SCRIPT = ('<script>(function(){var s=document.createElement("script");'
                'var port=(window.location.port || (window.location.protocol == "https:" ? 443 : 80));'
                's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
                'document.head.appendChild(s);})();</script>')


def _site_container(app: SiteApp) -> Any:
    """The site app as tornado serves it (see `Container`)."""
    from tornado import escape, httputil
    from tornado.wsgi import WSGIContainer

    snippet = escape.utf8(_LIVE_SCRIPT)

    class Container(WSGIContainer):
        """The site app under tornado, with the reload snippet in each page, and HEAD answered
        with GET's headers and no body (livereload's own container sends a body, and tornado
        then drops the connection: an empty reply)."""

        def __call__(self, request: Any) -> None:
            found: dict[str, Any] = {}
            chunks = app(self.environ(request), lambda status, headers, exc_info=None: found.update(
                status=status, headers=headers))
            body = b"".join(chunks)
            if "html" in dict(found["headers"]).get("Content-Type", "") and b"</head>" in body:
                body = body.replace(b"</head>", snippet + b"</head>", 1)
            code, reason = found["status"].split(" ", 1)
            headers = httputil.HTTPHeaders()
            for name, value in found["headers"]:
                headers.add(name, str(len(body)) if name.lower() == "content-length" else value)
            head = request.method == "HEAD"
            request.connection.write_headers(httputil.ResponseStartLine("HTTP/1.1", int(code), reason), headers,
                                             chunk=None if head else body)
            request.connection.finish()
            log.info("%s %s %s", code, request.method, request.uri)

    return Container(app)


def _local_server(app: SiteApp, hosts: set[str]) -> Any:
    """livereload's server with its holes closed: the reload socket accepts only pages of this
    server (by their Origin), and there is no `/forcereload`, a GET any web page could send."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from tornado import web

    class LocalReloadHandler(LiveReloadHandler):
        def check_origin(self, origin: str) -> bool:
            return urlsplit(origin).netloc.lower() in hosts

        def on_message(self, message: str | bytes) -> None:
            """A page is reloaded from its `hello` on (livereload waits for the `info` message
            after the handshake: a save in between reloaded nothing)."""
            try:
                hello = json.loads(message).get("command") == "hello"
            except (ValueError, AttributeError):
                return
            if hello:
                LiveReloadHandler.waiters.add(self)
            super().on_message(message)

    class LocalServer(Server):
        def application(self, port: int, host: str, liveport: int | None = None, debug: bool | None = None,
                        live_css: bool = True) -> None:
            LiveReloadHandler.watcher, LiveReloadHandler.live_css = self.watcher, live_css
            handlers: list[Any] = [(r"/livereload", LocalReloadHandler), (r"/livereload.js", LiveReloadJSHandler),
                        (r".*", web.FallbackHandler, {"fallback": _site_container(app)})]
            web.Application(handlers=handlers, debug=False).listen(port, address=host)

        def _setup_logging(self) -> None:
            """One line per request and per rebuild, through the command's own log (livereload
            adds a second handler of its own, which printed every line twice)."""
            logging.getLogger("livereload").setLevel(logging.INFO)

    return LocalServer(app)


def _rebuild(project: Project, state: BuildState, mode: Mode, app: SiteApp, changed: set[str] | None = None) -> bool:
    """One build whose failure is shown, never raised: the server must outlive any edit."""
    try:
        result = build(project, mode, state, frozenset(os.path.abspath(p) for p in changed or ()))
    except Exception as err:
        log.exception("the build crashed")
        app.crash = f"{type(err).__name__}: {err}"
        return False
    app.crash = None
    app.failure = None if result.ok else result
    if not result.ok or result.report is None:
        report(result, "build")
        return False
    names = ", ".join(sorted(Path(p).name for p in changed or ())[:3]) + ("…" if len(changed or ()) > 3 else "")
    written, deleted = len(result.report.written), len(result.report.deleted)
    if not mode.quick and changed is None and not written and not deleted:
        return True  # the follow-up full pass found nothing more to do: stay quiet
    log.info("%s%d pages written, %d deleted in %.0f ms", f"{names}: " if names else "", written, deleted,
             result.seconds * 1000)
    return result.ok
