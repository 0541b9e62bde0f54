"""The live playground's experiment (LiveRun) and widget, without a browser."""

import base64

import pytest
import torch

from dlstudy.demos.base import DemoError
from dlstudy.demos.live_playground import FEATURES, FeatureNet, LivePlayground, LiveRun


def test_a_frame_has_the_boundary_every_neuron_and_every_weight():
    run = LiveRun(features=["x1", "x2", "x1_x2"], hidden=[3, 2])
    frame = run.frame(grid=10, neuron_grid=5)
    assert len(frame["boundary"]) == 100 and all(-1 <= v <= 1 for v in frame["boundary"])
    assert [len(layer) for layer in frame["neurons"]] == [3, 2]
    assert all(len(n) == 25 and max(map(abs, n)) == pytest.approx(1, abs=0.01) for layer in frame["neurons"] for n in layer)
    shapes = [(len(w), len(w[0])) for w in frame["weights"]]
    assert shapes == [(3, 3), (3, 2), (2, 1)]                        # (inputs, outputs) per layer
    assert torch.allclose(torch.tensor(frame["weights"][0]), run.net.hidden[0].weight.T, atol=5e-4)
    assert frame["epoch"] == 0 and len(frame["history"]["train_loss"]) == 1


def test_training_learns_xor_and_the_boundary_matches_the_labels():
    run = LiveRun()                                                  # XOR, x1 and x2, layers 4 and 2
    first = run.frame()["test_loss"]
    run.step(150)
    frame = run.frame()
    assert run.epoch == 150 and len(frame["history"]["test_loss"]) == 151
    assert first > 0.6 and frame["test_loss"] < 0.1
    with torch.no_grad():                                            # the picture is the model's prediction
        predicted = (run.net(run.data["X_test"]) > 0).float()
    assert (predicted == run.data["y_test"]).float().mean() > 0.95


def test_the_same_seed_gives_the_same_run():
    a, b = LiveRun(seed=3), LiveRun(seed=3)
    a.step(5), b.step(5)
    assert a.frame() == b.frame()


def test_features_decide_the_inputs_and_circles_need_squares():
    squares = LiveRun(dataset="circles", features=["x1_sq", "x2_sq"], hidden=[2], lr=0.3)
    squares.step(60)
    assert squares.frame()["test_loss"] < 0.2
    x = torch.tensor([[0.5, -2.0]])
    assert torch.allclose(FeatureNet(list(FEATURES), [1], "relu").expand(x),
                          torch.tensor([[0.5, -2.0, 0.25, 4.0, -1.0, 0.4794, -0.9093]]), atol=1e-4)


def test_l1_drives_more_weights_to_zero_than_l2_and_both_shrink_them():
    runs = {reg: LiveRun(features=list(FEATURES), hidden=[4], regularization=reg, reg_rate=0.03)
            for reg in ("none", "l1", "l2")}
    for run in runs.values():
        run.step(100)
    weights = {reg: run.net.hidden[0].weight.abs() for reg, run in runs.items()}
    near_zero = {reg: (w < 0.01).float().mean().item() for reg, w in weights.items()}
    assert near_zero["l1"] > 0.8 and near_zero["l1"] > near_zero["l2"] + 0.2 and near_zero["none"] < 0.1
    assert weights["l1"].norm() < weights["none"].norm() and weights["l2"].norm() < weights["none"].norm()


def test_a_diverging_run_stops_and_says_why():
    run = LiveRun(lr=10.0, hidden=[8, 8], features=list(FEATURES))        # tanh: the loss jumps to 12
    run.step(50)
    assert run.diverged and "Diverged at epoch" in run.diverged and "lower the learning rate" in run.diverged
    stopped_at = run.epoch
    run.step(5)
    assert run.epoch == stopped_at and run.frame()["diverged"] == run.diverged


@pytest.mark.parametrize("kwargs, words", [
    (dict(features=[]), "at least one input feature"),
    (dict(features=["x3"]), "Unknown input feature"),
    (dict(hidden=[4, 0]), "at least one neuron"),
    (dict(lr=float("nan")), "lr must be a number"),
    (dict(batch_size=0), "batch_size must be 1 or more"),
    (dict(regularization="l3"), "Unknown regularization"),
])
def test_bad_settings_get_a_clear_message(kwargs, words):
    with pytest.raises(DemoError, match=words):
        LiveRun(**kwargs)


def test_the_widget_resets_on_new_settings_steps_on_request_and_shows_a_picture():
    box = LivePlayground()
    assert repr(box).startswith("LivePlayground(dataset='xor', noise=0.1")
    box._message(box, {"cmd": "step"}, [])
    assert box.frame["epoch"] == 1 and box.status.startswith("Epoch 1")
    box.config = box.config | {"dataset": "circles", "hidden": [3]}
    assert box.frame["epoch"] == 0 and len(box.frame["neurons"]) == 1 and box.run.epoch == 0
    assert len(box.points["train"]) + len(box.points["test"]) == 200
    box.config = box.config | {"features": []}
    assert "at least one input feature" in box.status
    data, _ = box._repr_mimebundle_()
    assert base64.b64decode(data["image/png"])[:4] == b"\x89PNG"       # seen where no kernel runs
    assert data["text/plain"] == repr(box) and "application/vnd.jupyter.widget-view+json" in data
