"""The wheel, as a new user meets it: installed into a fresh virtual environment, far from
this checkout, it starts a project, builds it, serves it, takes overrides and other languages."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel built from this checkout installed in it; its bin folder."""
    where = tmp_path_factory.mktemp("install")
    source = where / "source"  # what the wheel is made of, copied: the build writes nothing into the checkout
    for name in ("pyproject.toml", "README.md"):
        source.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    for name in ("yeonpyo", "templates", "static"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(where / "dist"),
                            str(source)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    wheel = next((where / "dist").glob("yeonpyo-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("yeonpyo/templates/base.html", "yeonpyo/templates/strings/en.yaml",
                 "yeonpyo/templates/strings/ko.yaml", "yeonpyo/static/style.css", "yeonpyo/chart/axis.py"):
        assert name in names, name
    subprocess.run([sys.executable, "-m", "venv", str(where / "venv")], check=True, timeout=300)
    pip = subprocess.run([str(where / "venv" / "bin" / "pip"), "install", "-q", str(wheel)],
                         capture_output=True, text=True, timeout=900)
    assert pip.returncode == 0, pip.stderr
    return where / "venv" / "bin"


def run(bin_folder: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_folder}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(bin_folder / "yeonpyo"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


def test_the_installed_command_starts_builds_and_serves_a_project(installed, tmp_path):
    made = run(installed, tmp_path, "init", "news")
    assert made.returncode == 0, made.stderr
    project = tmp_path / "news"
    assert run(installed, project, "check", "--strict").returncode == 0
    built = run(installed, project, "build")
    assert built.returncode == 0, built.stderr
    assert (project / "_site" / "ko" / "index.html").is_file()
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    server = subprocess.Popen([str(installed / "yeonpyo"), "serve", "--port", str(port)], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, page = time.monotonic() + 60, ""
        while time.monotonic() < deadline and "</html>" not in page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.2)
        assert "The first announcement" in page
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_the_installed_theme_is_overridden_file_by_file(installed, tmp_path):
    assert run(installed, tmp_path, "init", "news").returncode == 0
    project = tmp_path / "news"
    (project / "strings").mkdir()
    (project / "strings" / "en.yaml").write_text("nav_sources: Bibliography\n")
    (project / "templates").mkdir()
    (project / "templates" / "label.html").write_text(
        "{% extends 'base.html' %}{% block main %}<h1 class='ours'>{{ entry.text }}</h1>{% endblock %}\n")
    built = run(installed, project, "build")
    assert built.returncode == 0, built.stderr
    tag = (project / "_site" / "en" / "tags" / "announcements" / "index.html").read_text()
    assert "<h1 class='ours'>Announcements</h1>" in tag and ">Bibliography<" in tag


def test_the_installed_command_builds_a_japanese_and_english_site(installed, tmp_path):
    made = run(installed, tmp_path, "init", "ja", "--languages", "ja,en", "--timezone", "Asia/Tokyo")
    assert made.returncode == 0, made.stderr
    built = run(installed, tmp_path / "ja", "build")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "ja" / "_site" / "ja" / "index.html").read_text()
    assert '<html lang="ja" dir="ltr"' in page and "2024年1月15日" in page
    strict = run(installed, tmp_path / "ja", "check", "--strict")
    assert strict.returncode == 1 and "strings/ja.yaml" in strict.stderr and "TODO" in strict.stderr
