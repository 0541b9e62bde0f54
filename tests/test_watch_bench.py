"""The benchmark of dlstudy.watch on the course's loop shapes compares like with like: the watched loop ends with the
bare loop's loss (the watch changes nothing) and finds nothing (the loops are correct)."""

import pytest

from dlstudy.tools import bench_watch


@pytest.mark.parametrize("name", list(bench_watch.COURSE_LOOPS))
def test_watched_and_bare_loops_end_with_the_same_loss(name):
    bare, _ = bench_watch.run_loop(name, watched=False)
    watched, _ = bench_watch.run_loop(name, watched=True)      # raises if the watch finds anything
    assert bare == watched


def test_timing_gives_medians_and_an_overhead():
    bare, watched, overhead = bench_watch.time_watch("04 line 1-1, MSE, SGD, batch 10", repeats=1)
    assert bare > 0 and watched > 0 and overhead == pytest.approx(watched / bare - 1)


def test_the_table_has_a_row_per_loop(monkeypatch, capsys):
    monkeypatch.setattr(bench_watch, "time_watch", lambda name, repeats: (0.010, 0.0105, 0.05))
    monkeypatch.setattr(bench_watch, "run_loop", lambda name, watched: (1.0, 0.01))
    results = bench_watch.print_watch(repeats=1)
    out = capsys.readouterr().out
    assert set(results) == set(bench_watch.COURSE_LOOPS)
    assert all(name in out for name in bench_watch.COURSE_LOOPS) and out.count("+5.0%") == len(results)


def test_a_watch_that_changes_the_loop_is_caught(monkeypatch):
    monkeypatch.setattr(bench_watch, "run_loop", lambda name, watched: (1.0 + watched, 0.01))
    with pytest.raises(AssertionError, match="watched loop ended with loss"):
        bench_watch.print_watch(repeats=1)
