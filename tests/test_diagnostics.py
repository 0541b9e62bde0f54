"""Per-layer diagnostics during training: what is recorded, when, and that the numbers are right."""

import pytest
import torch
from torch import nn

from dlstudy.callbacks import GradientClipping
from dlstudy.diagnostics import Diagnostics, saturated_fraction
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
    assert saturated_fraction(nn.ReLU(), torch.tensor([0.0, 0.0, 0.0, 2.0])) == 0.75
    with pytest.raises(TypeError, match="Tanh"):
        saturated_fraction(nn.GELU(), torch.zeros(3))


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
