"""Chapter 11's pictures: the LR finder keeps the raw minimum in view, diagnostics panels follow what was recorded."""

import math

import matplotlib
import pytest
import torch
from hypothesis import given, settings, strategies as st
from torch import nn

matplotlib.use("Agg")

from dlstudy.diagnostics import Diagnostics, layer_snapshot  # noqa: E402
from dlstudy.lr_finder import smooth  # noqa: E402
from dlstudy.plots.training import diagnostic_panels, lr_finder_ylim, plot_diagnostics, plot_histograms  # noqa: E402
from dlstudy.train import fit  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(losses=st.lists(st.floats(0.01, 50.0), min_size=2, max_size=80), beta=st.sampled_from([0.0, 0.5, 0.9, 0.98]))
def test_ylim_shows_the_raw_minimum_and_the_whole_smoothed_start(losses, beta):
    smoothed = smooth(losses, beta)
    low, high = lr_finder_ylim(losses, smoothed)
    assert low < min(losses) and low < min(smoothed)             # the lowest raw loss is never cut off
    assert high > smoothed[0]
    assert low < high


def test_ylim_ignores_non_finite_losses_and_rejects_nothing_to_draw():
    low, high = lr_finder_ylim([2.0, 1.0, math.inf], [2.0, 1.5, math.inf])
    assert math.isfinite(low) and math.isfinite(high) and low < 1.0
    with pytest.raises(ValueError, match="no finite loss"):
        lr_finder_ylim([math.nan], [math.nan])


def _trained(net):
    torch.manual_seed(0)
    X, y = torch.randn(64, 5), torch.randint(0, 3, (64,))
    diag = Diagnostics(every=2)
    fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 3, batch_size=16,
        progress=False, callbacks=[diag])
    return diag


def test_panels_follow_the_activation_kinds():
    relu = _trained(nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 3)))
    tanh = _trained(nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3)))
    assert [p[1] for p in diagnostic_panels({"": relu})] == ["std", "zero", "dead", "grad_norm", "update_ratio"]
    assert [p[1] for p in diagnostic_panels({"": tanh})] == ["std", "saturated", "dead", "grad_norm", "update_ratio"]
    fig = plot_diagnostics({"relu": relu, "tanh": tanh})
    assert len(fig.axes) == 2 * 6


def test_a_layer_with_zero_gradients_is_named_in_the_legend_not_dropped():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3))
    with torch.no_grad():
        net[0].bias.fill_(-100.0)                              # layer 1 dead: layers 0 and 2 get zero gradients
        net[2].bias.fill_(0.5)
    diag = _trained(net)
    fig = plot_diagnostics(diag)
    grad_ax = [ax for ax in fig.axes if ax.get_title().startswith("gradient norm")][0]
    labels = [t.get_text() for t in grad_ax.get_legend().get_texts()]
    assert labels[0] == "0: 0 (not drawn on a log axis)" and labels[1] == "2: 0 (not drawn on a log axis)"
    assert labels[2] == "4"                                     # layer names exactly as in print(model)


def test_histograms_draw_one_line_per_layer():
    net = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3))
    snap = layer_snapshot(net, torch.randn(32, 5), torch.randint(0, 3, (32,)), nn.CrossEntropyLoss())
    fig = plot_histograms(snap, title="t")
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    with pytest.raises(ValueError, match="no activation layers"):
        plot_histograms({})
