"""Work spread over forked processes: the same results, in order, and failures that surface."""

from __future__ import annotations

import os

import pytest

from yeonpyo import workers


def test_results_come_back_in_order_from_every_process():
    results = workers.map_forked(lambda n: (n * n, os.getpid()), range(100), processes=2)
    assert [square for square, _ in results] == [n * n for n in range(100)]
    assert len({pid for _, pid in results}) == 2, "half of the items ran in a child"
    assert results[0][1] == os.getpid(), "this process takes the first share"


def test_few_items_stay_in_this_process():
    assert set(workers.map_forked(lambda n: os.getpid(), range(5), processes=2)) == {os.getpid()}


def test_a_failure_in_a_child_is_raised_here_with_its_traceback():
    def fail_late(n: int) -> int:
        if n == 90:
            raise ValueError("item 90 is bad")
        return n

    with pytest.raises(workers.WorkerError, match="item 90 is bad"):
        workers.map_forked(fail_late, range(100), processes=2)


def test_tick_runs_while_this_process_waits():
    import time

    ticks = []
    workers.map_forked(lambda n: time.sleep(0.01 if n >= 50 else 0), range(100), tick=lambda: ticks.append(1),
                       processes=2)
    assert len(ticks) > 50, "after each own item, and while the child works on"


def test_no_spool_files_are_left_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    workers.map_forked(lambda n: n, range(64), processes=2)
    with pytest.raises(workers.WorkerError):
        workers.map_forked(lambda n: 1 // (n - 60), range(64), processes=2)
    assert list(tmp_path.iterdir()) == []
