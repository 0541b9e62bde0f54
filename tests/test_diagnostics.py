"""Per-layer diagnostics during training: what is recorded, when, and that the numbers are right."""

import pytest
import torch
from torch import nn

from dlstudy.callbacks import GradientClipping
from hypothesis import given, settings, strategies as st

from dlstudy.diagnostics import Diagnostics, activation_stats, dead_fraction, layer_snapshot, saturated_fraction
from dlstudy.train import fit


def _net(std=None):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 3))
    if std is not None:
        for layer in (net[0], net[2]):
            nn.init.normal_(layer.weight, std=std)
    return net


def _data():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(128, 6, generator=g)
    return X, (X[:, 0] > 0).long() + (X[:, 1] > 0).long()


def test_saturation_rules():
    assert saturated_fraction(nn.Tanh(), torch.tensor([0.0, 0.96, -0.98, 0.99])) == 0.5
    assert saturated_fraction(nn.Sigmoid(), torch.tensor([0.01, 0.5, 0.99, 0.5])) == 0.5
    with pytest.raises(TypeError, match="sparsity"):       # a ReLU's zeros are not saturation
        saturated_fraction(nn.ReLU(), torch.tensor([0.0, 0.0, 0.0, 2.0]))
    with pytest.raises(TypeError, match="Tanh"):
        saturated_fraction(nn.GELU(), torch.zeros(3))
    with pytest.raises(TypeError, match="ReLU"):
        activation_stats(nn.GELU(), torch.zeros(3, 2))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 9), units=st.integers(1, 9), seed=st.integers(0, 10_000), kind=st.sampled_from(["relu", "tanh"]))
def test_zero_dead_and_saturated_against_a_loop(n, units, seed, kind):
    g = torch.Generator().manual_seed(seed)
    pre = torch.randn(n, units, generator=g) * 3 + torch.randn(1, units, generator=g) * 4   # some units always flat
    module = nn.ReLU() if kind == "relu" else nn.Tanh()
    a = module(pre)
    flat = [[(v <= 0) if kind == "relu" else (abs(v) > 0.97) for v in row] for row in a.tolist()]
    stats = activation_stats(module, a)
    key = "zero" if kind == "relu" else "saturated"
    assert set(stats) == {"mean", "std", key, "dead"}
    assert stats[key] == pytest.approx(sum(map(sum, flat)) / (n * units))
    assert stats["dead"] == pytest.approx(sum(all(flat[i][j] for i in range(n)) for j in range(units)) / units)
    assert stats["dead"] <= stats[key] + 1e-6          # a dead unit's outputs are all flat


def test_dead_units_of_conv_maps_count_channels():
    a = torch.ones(2, 3, 4, 4)
    a[:, 1] = 0                                         # channel 1 is 0 at every pixel of every image: dead
    a[0, 2, 0, 0] = 0                                   # channel 2 has one zero: alive
    assert dead_fraction(nn.ReLU(), a) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="batch"):
        dead_fraction(nn.ReLU(), torch.zeros(5))


def test_default_relu_layer_is_half_zero_and_not_dead():
    torch.manual_seed(0)
    layer = nn.Sequential(nn.Linear(50, 200), nn.ReLU())
    stats = activation_stats(layer[1], layer(torch.randn(256, 50)))
    assert 0.4 < stats["zero"] < 0.6 and stats["dead"] == 0.0
    with torch.no_grad():
        layer[0].bias[:50] = -100                       # a quarter of the units can never fire
    assert activation_stats(layer[1], layer(torch.randn(256, 50)))["dead"] == pytest.approx(0.25)


def test_layer_snapshot_matches_autograd_and_leaves_grads_alone():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3))
    X, y = torch.randn(7, 4), torch.tensor([0, 1, 2, 0, 1, 2, 0])
    snap = layer_snapshot(net, X, y, nn.CrossEntropyLoss())
    assert list(snap) == ["1", "3"] and all(p.grad is None for p in net.parameters())
    h1 = net[1](net[0](X)).detach().requires_grad_()
    h3 = net[3](net[2](h1))
    h3.retain_grad()
    nn.functional.cross_entropy(net[4](h3), y).backward()
    assert torch.allclose(snap["1"]["act"], h1) and torch.allclose(snap["3"]["act"], h3)
    assert torch.allclose(snap["1"]["grad"], h1.grad, atol=1e-7) and torch.allclose(snap["3"]["grad"], h3.grad, atol=1e-7)


def test_records_every_nth_batch_of_every_layer():
    X, y = _data()
    diag = Diagnostics(every=3)
    net = _net()
    fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 4, batch_size=16,
        progress=False, callbacks=[diag])                     # 4 epochs x 8 batches = 32 batches
    assert diag.steps == list(range(0, 32, 3))
    assert list(diag.activations) == ["1", "3"] and list(diag.params) == ["0", "2", "4"]
    for stats in list(diag.activations.values()) + list(diag.params.values()):
        assert all(len(values) == len(diag.steps) for values in stats.values())
    assert all(len(m._forward_hooks) == 0 for m in net.modules())   # hooks removed at the end
    assert "11 steps" in repr(diag)


def test_numbers_match_a_hand_computation():
    X, y = _data()
    net = _net()
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    diag = Diagnostics(every=1)
    w0 = net[2].weight.detach().clone()
    hidden = net[1](net[0](X)).detach()
    loss = nn.functional.cross_entropy(net(X), y)
    loss.backward()
    grad_norm = net[2].weight.grad.norm().item()
    net.zero_grad()
    fit(net, (X, y), nn.CrossEntropyLoss(), opt, 1, progress=False, callbacks=[diag])
    w1 = net[2].weight.detach()
    assert diag.activations["1"]["mean"][0] == pytest.approx(hidden.mean().item(), abs=1e-6)
    assert diag.activations["1"]["std"][0] == pytest.approx(hidden.std().item(), abs=1e-6)
    assert set(diag.activations["1"]) == {"mean", "std", "saturated", "dead"}
    assert set(diag.activations["3"]) == {"mean", "std", "zero", "dead"}
    assert diag.params["2"]["grad_norm"][0] == pytest.approx(grad_norm, rel=1e-5)
    assert diag.params["2"]["update_ratio"][0] == pytest.approx(((w1 - w0).std() / w1.std()).item(), rel=1e-4)


def test_update_ratio_sees_the_clipped_step():
    X, y = _data()
    ratios = []
    for clip in ([], [GradientClipping(1e-3)]):
        net, diag = _net(), Diagnostics(every=1)
        fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.5), 1, progress=False,
            callbacks=[diag] + clip)
        ratios.append(diag.params["0"]["update_ratio"][0])
    assert ratios[1] < ratios[0] / 10


def test_bad_initialization_shows_up_as_saturation():
    X, y = _data()
    results = {}
    for name, std in (("bad", 3.0), ("good", None)):
        net, diag = _net(std), Diagnostics(every=1)
        fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.05), 5, progress=False,
            callbacks=[diag])
        results[name] = diag.summary()
    assert results["bad"]["1"]["saturated"] > 0.7 > 0.2 > results["good"]["1"]["saturated"]


def test_summary_before_training_says_what_to_do():
    with pytest.raises(RuntimeError, match="callbacks"):
        Diagnostics().summary()
    with pytest.raises(ValueError, match="every"):
        Diagnostics(every=0)


def test_layer_snapshot_of_a_model_without_activations_is_empty():
    assert layer_snapshot(nn.Linear(3, 2), torch.randn(4, 3), torch.tensor([0, 1, 0, 1]), nn.CrossEntropyLoss()) == {}
