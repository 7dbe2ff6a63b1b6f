"""Shared set-up for the tests that look at the real built site: a build, a server, a browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from conftest import ROOT
from yeonpyo.pipeline import Project, build

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REQUIRED = os.environ.get("YEONPYO_REQUIRE_BROWSER") == "1"
HOW_TO = ("install Debian's chromium and fonts-noto-cjk (apt-get install --no-install-recommends chromium "
          "fonts-noto-cjk) and run `npm ci` for the validators; CI sets YEONPYO_REQUIRE_BROWSER=1")


def require(ok: bool, what: str) -> None:
    """Skip with instructions locally; fail in CI, where nothing may be skipped."""
    if ok:
        return
    if REQUIRED:
        pytest.fail(f"{what} is missing: {HOW_TO}")
    pytest.skip(f"{what} is missing: {HOW_TO}")


def build_real_site(out: Path, base_url: str | None = None) -> Path:
    """Build the project's own content into `out`; the build must succeed."""
    if out.exists():
        shutil.rmtree(out)
    result = build(Project(ROOT / "content", out, base_url=base_url))
    assert result.ok, [str(p) for p in result.problems.sorted()]
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def start_server(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A static server for `folder` on a free loopback port, and its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


class Visit:
    """A page opened in the browser, recording every request and console error."""

    def __init__(self, browser, url: str, width: int = 1280, scheme: str = "light", height: int = 800,
                 touch: bool = False) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme,
                                     has_touch=touch)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.page.close()
