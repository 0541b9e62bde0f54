"""The live playground's experiment (LiveRun) and widget, without a browser."""

import pytest
import torch

from dlstudy.demos.base import DemoError
from dlstudy.demos.base import png_width
from tests.helpers import NotebookOutputs
from dlstudy.demos.live_playground import FEATURES, FeatureNet, LivePlayground, LiveRun, _wire


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
    (dict(features=[]), "features must be a list of at least one input feature, such as \\['x1'\\]; got an empty list"),
    (dict(features=["x3"]), "Unknown input feature"),
    (dict(hidden=[4, 0]), r"hidden\[1\] must be from 1 to 64; got 0"),
    (dict(lr=float("nan")), "lr must be a number"),
    (dict(batch_size=0), "batch_size must be from 1 to 10000; got 0"),
    (dict(regularization="l3"), "Unknown regularization"),
])
def test_bad_settings_get_a_clear_message(kwargs, words):
    with pytest.raises(DemoError, match=words):
        LiveRun(**kwargs)


def test_the_widget_resets_on_new_settings_steps_on_request_and_shows_a_picture(monkeypatch):
    outputs = NotebookOutputs(monkeypatch)
    box = LivePlayground()
    assert repr(box).startswith("LivePlayground(dataset='xor', noise=0.1")
    box._ipython_display_()
    widget, picture = outputs.shown
    assert "application/vnd.jupyter.widget-view+json" in widget["data"] and widget["data"]["text/plain"] == repr(box)
    assert outputs.png()[:4] == b"\x89PNG" and picture["metadata"]["image/png"]["width"] == png_width(outputs.png()) // 2
    first = outputs.png()
    box._message(box, {"cmd": "step"}, [])
    assert box.frame["epoch"] == 1 and box.status.startswith("Epoch 1")
    assert outputs.png() != first and len(outputs.shown) == 2       # the picture follows the learner, in place
    box.config = box.config | {"dataset": "circles", "hidden": [3]}
    assert box.frame["epoch"] == 0 and box.frame["hidden"] == [3] and box.run.epoch == 0
    assert len(box.points["train"]) + len(box.points["test"]) == 200


def test_with_bad_settings_nothing_trains_and_the_message_stays():
    box = LivePlayground()
    box.step(3)
    box.config = box.config | {"features": []}
    assert "at least one input feature" in box.status and box.error
    box.playing = True                                              # ▶ does nothing
    assert not box.playing
    box.step(5)
    box._message(box, {"cmd": "step"}, [])
    assert box.frame["epoch"] == 3 and "at least one input feature" in box.status
    box.config = box.config | {"features": ["x2"]}
    assert not box.error and box.frame["epoch"] == 0 and box.frame["features"] == ["x2"]
    with pytest.raises(DemoError, match="at least one input feature"):
        LivePlayground(features=[])


def test_the_wire_frame_is_binary_and_matches_the_list_frame():
    run = LiveRun(features=["x1", "x2", "x1_x2"], hidden=[3, 2])
    run.step(3)
    wire, frame = _wire(run), run.frame()
    assert all(isinstance(wire[k], bytes) for k in ("boundary", "neurons", "weights", "biases", "train_history"))
    floats = lambda b: torch.frombuffer(bytearray(b), dtype=torch.float32)   # noqa: E731
    assert torch.allclose(floats(wire["boundary"]), torch.tensor(frame["boundary"]), atol=0.006)
    assert torch.allclose(floats(wire["neurons"]), torch.tensor([v for layer in frame["neurons"] for n in layer for v in n]),
                          atol=0.006)
    assert torch.allclose(floats(wire["weights"]), torch.cat([torch.tensor(w).flatten() for w in frame["weights"]]),
                          atol=6e-4)
    assert len(floats(wire["train_history"])) == 4 and wire["hidden"] == [3, 2]


@pytest.mark.parametrize("hidden", [[], [1], [8] * 6, [2, 7, 1]])
def test_one_batched_forward_pass_gives_every_neuron_as_a_separate_pass_would(hidden):
    run = LiveRun(features=list(FEATURES), hidden=hidden, seed=len(hidden))
    t = run.frame_tensors(grid=7, neuron_grid=5)
    ticks = torch.linspace(*run.bounds, 5)
    gy, gx = torch.meshgrid(ticks.flip(0), ticks, indexing="ij")
    activations = []
    with torch.no_grad():
        run.net(torch.stack([gx.reshape(-1), gy.reshape(-1)], 1), activations)
    for h, drawn in zip(activations, t["neurons"]):
        assert torch.allclose((h / h.abs().amax(0).clamp(min=1e-6)).T, drawn, atol=1e-6)
    assert t["boundary"].shape == (49,) and [n.shape[0] for n in t["neurons"]] == hidden


def test_edited_weights_change_the_network_and_the_code_reproduces_the_run():
    box = LivePlayground(dataset="circles", hidden=[3])
    box.step(7)
    scope = {}
    exec(box.python_code(), scope)                                  # the Code button's cell
    assert scope["run"].epoch == 7 and scope["frame"]["test_loss"] == box.run.frame()["test_loss"]
    box.set_weight(0, 1, 2, -2.5)
    box.set_weight(1, -1, 0, 0.75)                                  # i = -1: the bias
    assert box.run.net.hidden[0].weight[2, 1].item() == -2.5 and box.run.net.out.bias[0].item() == 0.75
    assert "edited weights" in box.python_code()
    for bad in ({"layer": 0, "i": 0, "j": 0, "value": "abc"}, {"layer": 0, "i": 9, "j": 0, "value": 1},
                {"layer": 5, "i": 0, "j": 0, "value": 1}, {"layer": 0, "i": 0, "j": 0, "value": float("nan")}):
        box.status = ""
        box._message(box, {"cmd": "set_weight", **bad}, [])
        assert "unchanged" in box.status, bad
    assert box.run.net.hidden[0].weight[2, 1].item() == -2.5
    box._message(box, {"cmd": "regenerate"}, [])
    assert box.config["seed"] == 1 and box.run.epoch == 0 and not box.edited
