"""The learning-rate range test: smoothing, the lr sweep, stopping, suggestions, and leaving no trace."""

import math

import pytest
import torch
from torch import nn

from dlstudy.lr_finder import LRFinder, lr_find, smooth
from dlstudy.train import TrainingDiverged, fit


def _problem(seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(256, 5, generator=g)
    y = (X[:, 0] + X[:, 1] > 0).long()
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2))
    return net, X, y


def test_smooth_is_a_bias_corrected_moving_average():
    assert smooth([]) == []
    assert smooth([3.0, 3.0, 3.0], beta=0.9) == pytest.approx([3.0, 3.0, 3.0])  # no pull towards 0
    values = [1.0, 2.0, 0.5, 4.0]
    avg, expected = 0.0, []
    for i, v in enumerate(values, start=1):
        avg = 0.7 * avg + 0.3 * v
        expected.append(avg / (1 - 0.7 ** i))
    assert smooth(values, beta=0.7) == pytest.approx(expected)
    assert smooth(values, beta=0.0) == pytest.approx(values)
    with pytest.raises(ValueError, match="beta"):
        smooth(values, beta=1.0)


def test_lr_grows_geometrically_from_start_to_end():
    finder = LRFinder(start_lr=1e-6, end_lr=1.0, num_steps=7)
    lrs = [finder.lr_at(i) for i in range(7)]
    assert lrs[0] == pytest.approx(1e-6) and lrs[-1] == pytest.approx(1.0)
    ratios = [b / a for a, b in zip(lrs, lrs[1:])]
    assert ratios == pytest.approx([10.0] * 6)
    with pytest.raises(ValueError, match="start_lr"):
        LRFinder(start_lr=1.0, end_lr=0.1)


def test_range_test_records_stops_on_explosion_and_restores_the_model():
    net, X, y = _problem()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    before = {k: v.clone() for k, v in net.state_dict().items()}
    rng_before = torch.random.get_rng_state()
    finder = lr_find(net, (X, y), nn.CrossEntropyLoss(), optimizer, start_lr=1e-4, end_lr=1e4, num_steps=200)
    assert torch.equal(torch.random.get_rng_state(), rng_before)          # caller's random stream untouched
    assert all(torch.equal(before[k], v) for k, v in net.state_dict().items())
    assert optimizer.param_groups[0]["lr"] == 0.01 and not optimizer.state  # optimizer as it was
    assert 10 < len(finder.losses) < 200                                   # stopped early: the loss exploded
    assert finder.lrs == pytest.approx([finder.lr_at(i) for i in range(len(finder.lrs))])
    assert finder.lrs[0] < finder.lr_steep <= finder.lr_min < finder.lrs[-1]
    assert finder.suggestion == finder.lr_steep
    assert "suggestion" in repr(finder)


def test_suggestion_trains_better_than_far_too_small_or_far_too_large():
    net, X, y = _problem(1)
    finder = lr_find(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1),
                     start_lr=1e-5, end_lr=100, num_steps=100)
    losses = {}
    for factor in (0.001, 1, 1000):
        net, X, y = _problem(1)
        try:
            h = fit(net, (X, y), nn.CrossEntropyLoss(),
                    torch.optim.SGD(net.parameters(), lr=finder.suggestion * factor), 30, progress=False)
            losses[factor] = h["train_loss"][-1]
        except TrainingDiverged:
            losses[factor] = math.inf
    assert losses[1] < losses[0.001] and losses[1] < losses[1000]


def test_finder_works_as_a_plain_callback_in_fit():
    net, X, y = _problem()
    finder = LRFinder(start_lr=1e-3, end_lr=1.0, num_steps=20)
    fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 50, progress=False,
        callbacks=[finder])
    assert len(finder.losses) == 20 and finder.lrs[-1] == pytest.approx(1.0)


def test_reading_results_before_running_says_what_to_do():
    finder = LRFinder()
    assert "not run yet" in repr(finder)
    with pytest.raises(RuntimeError, match="callbacks"):
        finder.lr_min
