"""The output folder is the build's alone, and changes all at once.

What is refused before any write, what survives every build (files yeonpyo did not write),
and "the previous site or the new one, byte for byte" under SIGKILL at random moments, a
fault at each step of the swap, a full disk and two builds started together."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIRED_MD, ROOT, base_files, tree, write_files

MANIFEST = ".yeonpyo-manifest"



def yeonpyo(cwd: Path, *args: str, script: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, *(script or [str(ROOT / "build.py")]), *args]
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding content/ (the test site) and its own copy of templates/ and static/."""
    write_files(tmp_path / "content", base_files())
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "static", tmp_path / "static")
    return tmp_path


# --- 1. refused before any write ----------------------------------------------------------

@pytest.mark.parametrize("out, expected", [
    ("/", "--out / is the root of the file system; choose a folder for the site, such as _site"),
    (".", "--out . holds the folder you are working in; choose a folder inside it, such as _site"),
    ("..", "--out .. holds the folder you are working in"),
    ("content", "--out content is the content folder"),
    ("content/events", "--out content/events is inside the content folder"),
    ("content/..", "--out content/.. holds the folder you are working in"),
    ("TEMPLATES", "is the built-in templates folder"),
    ("STATIC/css", "/css is inside the built-in static folder"),
    ("templates", "--out templates is the templates folder"),  # the project's own, overriding the theme
    ("notes.txt", "--out notes.txt is a file, not a folder; choose a folder for the site"),
    ("HOME", "is your home folder; choose a folder for the site"),
])
def test_an_output_folder_that_would_destroy_data_is_refused(project, out, expected):
    (project / "notes.txt").write_text("keep me")
    home = project / "home"
    home.mkdir()
    before = tree(project)
    argument = str(home) if out == "HOME" else out.replace("TEMPLATES", str(ROOT / "templates")).replace(
        "STATIC", str(ROOT / "static"))
    theirs = {name: tree(ROOT / name) for name in ("templates", "static")}
    env_home = {"HOME": str(home)}
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", argument],
                         cwd=project, capture_output=True, text=True, timeout=60, env={**os.environ, **env_home})
    assert run.returncode == 1, run.stderr
    assert expected in run.stderr and len(run.stderr.strip().splitlines()) <= 2, run.stderr
    assert "Traceback" not in run.stderr
    assert tree(project) == before, "nothing was written or deleted"
    assert {name: tree(ROOT / name) for name in ("templates", "static")} == theirs


def test_a_build_into_the_clone_itself_is_refused_and_deletes_nothing(tmp_path):
    clone = tmp_path / "clone"  # the working tree as a fresh clone has it, with a repository
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    subprocess.run(["git", "init", "-q"], cwd=clone, check=True)
    before = tree(clone)
    run = yeonpyo(clone, "build", "--out", ".", script=[str(clone / "build.py")])
    assert run.returncode == 1 and "holds the folder you are working in" in run.stderr, run.stderr
    assert tree(clone) == before


# --- 2. files yeonpyo did not write are kept ------------------------------------------------

def test_files_the_build_did_not_write_survive_every_build(project):
    out = project / "_site"
    write_files(out, {"CNAME": "timeline.example.org\n", ".nojekyll": "", "photos/a.jpg": "not a jpeg",
                      "ko/notes.txt": "a user's file inside a folder the site uses"})
    theirs = tree(out)
    first = yeonpyo(project, "build", "--content", "content", "--out", "_site")
    assert first.returncode == 0, first.stderr
    assert "the output folder held 4 files yeonpyo did not write (.nojekyll, CNAME, ko/notes.txt, photos/a.jpg…)" \
        not in first.stderr  # listed as they sort, four at most
    assert "held 4 files yeonpyo did not write" in first.stderr and "they are kept" in first.stderr
    for step in ({"events/altman-fired.md": FIRED_MD.replace("fired", "dismissed")},  # an incremental build
                 {"events/openai-founded.md": None}):  # a page and its folder go away
        write_files(project / "content", {k: v for k, v in step.items() if v is not None})
        for name in (k for k, v in step.items() if v is None):
            (project / "content" / name).unlink()
        run = yeonpyo(project, "build", "--content", "content", "--out", "_site")
        assert run.returncode == 0 and "did not write" not in run.stderr, run.stderr  # said once, the first time
        assert {path: data for path, data in tree(out).items() if path in theirs} == theirs
    shutil.rmtree(project / ".cache")  # a build that renders every page again swaps a whole new site in
    (project / "templates" / "event.html").write_text((project / "templates" / "event.html").read_text() + "\n")
    run = yeonpyo(project, "build", "--content", "content", "--out", "_site", "--cache", str(project / ".c2"))
    assert run.returncode == 0, run.stderr
    assert {path: data for path, data in tree(out).items() if path in theirs} == theirs
    manifest = (out / MANIFEST).read_text().splitlines()
    assert "CNAME" not in manifest and "ko/index.html" in manifest
    assert "ko/events/openai-founded/index.html" not in manifest
    assert not (out / "ko/events/openai-founded").exists()


def test_a_file_in_the_way_of_the_site_is_not_overwritten(project):
    out = project / "_site"
    write_files(out, {"404.html": "my own error page", "sitemap.xml/x": "a folder where a file goes"})
    before = tree(out)
    run = yeonpyo(project, "build", "--content", "content", "--out", "_site")
    assert run.returncode == 1, run.stderr
    assert "holds files yeonpyo did not write where the site goes (404.html, sitemap.xml/x)" in run.stderr
    assert tree(out) == before


# --- 3. all or nothing ------------------------------------------------------------------------

def _versions(project: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Two contents that differ in one event (and so in a few pages and the search index)."""
    many = {f"events/extra-{n}.md": FIRED_MD.replace("올트먼 해임", f"사건 {n}").replace("Altman fired", f"Event {n}")
            for n in range(12)}
    first = base_files() | many
    second = first | {"events/altman-fired.md": FIRED_MD.replace("The board fired", "The directors dismissed"),
                      "events/openai-founded.md": FIRED_MD.replace("2023-11-17 12:23", "2016-03")}
    return first, second


def _use(project: Path, files: dict[str, str]) -> None:
    shutil.rmtree(project / "content")
    write_files(project / "content", files)


def _built(project: Path, files: dict[str, str], name: str) -> dict[str, bytes]:
    """What a complete build of `files` writes (in a folder of its own)."""
    _use(project, files)
    run = yeonpyo(project, "build", "--content", "content", "--out", name, "--cache", str(project / f".cache-{name}"))
    assert run.returncode == 0, run.stderr
    return tree(project / name)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["incremental", "full"])
def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new(project, path):
    first, second = _versions(project)
    sites = {"first": _built(project, first, "expect-first"), "second": _built(project, second, "expect-second")}
    out, cache = project / "_site", project / ".cache-kills"
    _use(project, first)
    assert yeonpyo(project, "build", "--content", "content", "--out", "_site", "--cache", str(cache)).returncode == 0
    state, random_ = "first", random.Random(20231117)
    durations, kills, outcomes = [], 0, {"first": 0, "second": 0}
    for _ in range(60):
        if kills >= 32:
            break
        goal = "second" if state == "first" else "first"
        _use(project, first if goal == "first" else second)
        if path == "full":
            shutil.rmtree(cache, ignore_errors=True)  # no cache: every page is rendered and a new site swapped in
        env = {**os.environ, "XDG_CACHE_HOME": str(project / ".cache")}
        command = [sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", "_site",
                   "--cache", str(cache)]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        typical = sorted(durations)[len(durations) // 2] if durations else 0.8
        time.sleep(random_.uniform(0.2, 1.0) * typical)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        if process.returncode == 0:
            durations.append(time.perf_counter() - started)
        assert out.is_dir(), "the output folder always exists"
        now = tree(out)
        state = next((name for name, site in sites.items() if site == now), None)  # type: ignore[assignment]
        assert state is not None, f"a mixed site after a kill: {sorted(set(now) ^ set(sites[goal]))[:5]}"
        outcomes[state] += 1
    assert kills >= 30, (kills, durations)
    assert all(count > 0 for count in outcomes.values()), outcomes  # kills landed before and after the swap
    again = yeonpyo(project, "build", "--content", "content", "--out", "_site", "--cache", str(cache))
    assert again.returncode == 0 and not [p.name for p in project.iterdir() if p.name.startswith("._site.")
                                          and p.name != "._site.lock"], "a killed build's leftovers are cleaned up"


def _fault_run(project: Path, mode: str, n: int, cache: Path) -> subprocess.CompletedProcess[str]:
    return yeonpyo(project, "build", "--content", "content", "--out", "_site", "--cache", str(cache),
                   script=[str(ROOT / "tests" / "faultrun.py"), mode, str(n)])


@pytest.mark.slow
@pytest.mark.parametrize("path", ["incremental", "full"])
def test_a_fault_at_each_step_of_the_swap_leaves_a_whole_site(project, path):
    """A SIGKILL at the n-th change to the file system, for n spread over a whole build,
    leaves the old site or the new; ENOSPC there fails with a message and changes nothing."""
    first, second = _versions(project)
    sites = [_built(project, first, "expect-first"), _built(project, second, "expect-second")]
    cache = project / ".cache-faults"
    _use(project, first)
    assert yeonpyo(project, "build", "--content", "content", "--out", "_site", "--cache", str(cache)).returncode == 0
    _use(project, second)
    if path == "full":
        shutil.rmtree(cache)
    probe = cache.with_name(".cache-probe")
    shutil.copytree(cache, probe) if cache.exists() else None
    shutil.copytree(project / "_site", project / "probe-site")
    counted = yeonpyo(project, "build", "--content", "content", "--out", "probe-site", "--cache", str(probe),
                      script=[str(ROOT / "tests" / "faultrun.py"), "count", "0"])
    total = int(counted.stderr.rsplit("calls=", 1)[1])
    steps = sorted({1, 2, 3, total - 2, total - 1, total, *range(1, total, max(1, total // 12))})
    for n in steps:
        shutil.rmtree(project / "_site")
        write_files(project, {})
        _use(project, first)
        assert yeonpyo(project, "build", "--content", "content", "--out", "_site", "--cache",
                       str(project / ".cache-restore")).returncode == 0
        _use(project, second)
        shutil.rmtree(cache, ignore_errors=True)
        if path == "incremental":
            shutil.copytree(project / ".cache-restore", cache)
        killed = _fault_run(project, "kill", n, cache)
        assert killed.returncode in (0, -signal.SIGKILL), killed.stderr
        assert tree(project / "_site") in sites, f"a mixed site after a kill at step {n} of {total}"
    before = tree(project / "_site")
    for n in steps[::3]:
        run = _fault_run(project, "nospace", n, project / ".cache-nospace")
        if run.returncode == 0:
            continue  # the fault hit work that does not write the site (the cache, say)
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        assert "No space left on device" in run.stderr and "the last site is unchanged" in run.stderr, run.stderr
        assert tree(project / "_site") in (before, sites[1])
        assert not list((project / "_site").rglob("*yeonpyo-tmp*")), "no temporary file is left"
        before = tree(project / "_site")


def test_a_full_disk_is_a_clear_error_and_the_old_site_stays(project):
    disk = project / "small-disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    try:
        first, second = _versions(project)
        _use(project, first)
        run = yeonpyo(project, "build", "--content", "content", "--out", str(disk / "_site"))
        assert run.returncode == 0, run.stderr
        before = tree(disk / "_site")
        written = sum(len(data) for data in before.values())
        (disk / "filler").write_bytes(b"\0" * (8 * 1_048_576 - 2 * written - 200_000))
        huge = second | {f"events/big-{n}.md": FIRED_MD.replace("The board fired Sam Altman.", "Words. " * 2000)
                         for n in range(20)}
        _use(project, huge)
        run = yeonpyo(project, "build", "--content", "content", "--out", str(disk / "_site"))
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        assert "No space left on device; the last site is unchanged" in run.stderr, run.stderr
        assert tree(disk / "_site") == before
        assert sorted(p.name for p in disk.iterdir()) == ["._site.lock", "_site", "filler"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_two_builds_at_once_take_turns(project):
    first, _second = _versions(project)
    _use(project, first)
    env = {**os.environ, "XDG_CACHE_HOME": str(project / ".cache")}
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", "_site"]
    runs = [subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [(run.wait(timeout=120), run.communicate()) for run in runs]
    assert [code for code, _ in results] == [0, 0], results
    assert not any("Traceback" in err for _, (_out, err) in results)
    assert tree(project / "_site") == _built(project, first, "expect")


def test_files_in_content_root_reach_the_site_root(project):
    write_files(project / "content", {"root/CNAME": "timeline.example.org\n", "root/.well-known/security.txt": "x\n"})
    run = yeonpyo(project, "build", "--content", "content", "--out", "_site")
    assert run.returncode == 0, run.stderr
    assert (project / "_site" / "CNAME").read_text() == "timeline.example.org\n"
    assert (project / "_site" / ".well-known" / "security.txt").is_file()
    (project / "content" / "root" / "CNAME").unlink()
    assert yeonpyo(project, "build", "--content", "content", "--out", "_site").returncode == 0
    assert not (project / "_site" / "CNAME").exists(), "a file of content/root/ is the build's: removed with it"
    write_files(project / "content", {"root/sitemap.xml": "<mine/>"})
    clash = yeonpyo(project, "build", "--content", "content", "--out", "_site")
    assert clash.returncode == 1
    assert "root/sitemap.xml:0: `sitemap.xml` is a path the site writes itself" in clash.stderr
