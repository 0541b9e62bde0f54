"""The benchmark's variants all compute the same thing, so its timings compare like with like; ``python -m dlstudy bench`` runs it."""

import pytest
from helpers import IRIS

import dlstudy.__main__ as cli
from dlstudy.tools import bench


def test_every_variant_reaches_the_floor_loss():
    losses = bench.check_same_losses(IRIS)
    assert set(losses) == set(bench.VARIANTS)
    assert max(losses.values()) - min(losses.values()) < 1e-5


def test_a_variant_that_differs_is_caught(monkeypatch):
    wrong = dict(bench.VARIANTS, broken=lambda m, X, y, b, e: 123.0)
    monkeypatch.setattr(bench, "VARIANTS", wrong)
    with pytest.raises(AssertionError, match="broken"):
        bench.check_same_losses(IRIS)


def test_timing_returns_a_median_per_variant(monkeypatch):
    monkeypatch.setitem(bench.WORKLOADS, IRIS, bench.WORKLOADS[IRIS][:3] + (2,))
    medians = bench.time_variants(IRIS, repeats=1)
    assert set(medians) == set(bench.VARIANTS) and all(t > 0 for t in medians.values())


def test_tensor_loader_is_timed_against_data_loader_on_the_same_data():
    times = bench.time_loaders(IRIS, repeats=1)
    assert set(times) == {"TensorLoader", "DataLoader(TensorDataset)"} and all(t > 0 for t in times.values())


def test_lightning_reaches_the_floor_loss_when_installed():
    pytest.importorskip("lightning")
    floor, _ = bench.run_variant("floor", IRIS, num_epochs=2)
    lightning, _ = bench.run_variant("Lightning", IRIS, num_epochs=2)
    assert abs(lightning - floor) < 1e-5


def test_python_m_dlstudy_bench_runs_the_benchmark(monkeypatch):
    runs = []
    monkeypatch.setattr(bench, "main", lambda: runs.append("bench"))
    assert cli.main(["bench"]) == 0 and runs == ["bench"]


def test_the_live_plot_variant_passes_the_callback():
    assert "fit + LivePlot callback" in bench.VARIANTS
