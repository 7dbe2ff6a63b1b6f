"""The project's own content: strict check, valid HTML on every page, links that resolve."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from test_site import resolve

from conftest import ROOT
from quality import build_real_site, require

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_strict_check_passes_on_the_real_content():
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--strict"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def published_site(tmp_path_factory) -> Path:
    """The real site as published, with site.yaml's own base_url (the browser tests' `real_site`
    is built for the local server they read it from)."""
    return build_real_site(tmp_path_factory.mktemp("real") / "_site")


def test_every_page_passes_the_nu_html_checker(published_site):
    require(VNU.exists() and shutil.which("java") is not None, "the Nu checker (npm ci) and Java")
    done = subprocess.run(["java", "-XX:-UsePerfData", "-jar", str(VNU), "--skip-non-html", "--format", "json",
                           "--stdout", str(published_site)], capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stdout)["messages"]
    errors = [(m.get("url", "").split("_site/")[-1], m.get("lastLine"), m["message"])
              for m in messages if m["type"] == "error"]
    assert errors == []
    assert len(list(published_site.rglob("*.html"))) > 100


@pytest.mark.parametrize("base_url", [None, "https://example.org/deep/sub/path/"])
def test_every_internal_link_and_fragment_resolves(tmp_path, base_url):
    out = build_real_site(tmp_path / "_site", base_url)
    ids: dict[Path, set[str]] = {}
    for page in sorted(out.rglob("*.html")):
        relative = page.relative_to(out).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link"], href=True):
            href = tag["href"]
            if urlsplit(href).scheme or relative == "404.html":
                continue
            target, fragment = resolve(out, relative, href)
            assert target.is_file(), f"{relative}: {href}"
            if fragment:
                if target not in ids:
                    ids[target] = {t["id"] for t in BeautifulSoup(target.read_text(), "html.parser").find_all(id=True)}
                assert fragment in ids[target], f"{relative}: {href}"
