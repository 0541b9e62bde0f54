"""The live playground's experiment (LiveRun) and widget, without a browser."""

import ast
import asyncio
import time
from pathlib import Path

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlstudy.demos.base import DemoError, png_width
from dlstudy.demos.catalog import DATASETS, PROBLEMS, REGRESSION_DATASETS, make_gauss, make_multi_gauss, make_plane, playground_data
from dlstudy.demos.live_playground import FEATURES, FeatureNet, LivePlayground, LiveRun
from dlstudy.demos.live.frames import wire_frame as _wire
from tests.helpers import NotebookOutputs


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
    assert repr(box).startswith("LivePlayground(problem='classification', dataset='xor', noise=0.1")
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


# --- data sets: TensorFlow Playground's Gaussian, Plane and Multi Gaussian, seeded on the CPU ---------------

@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 300), noise=st.sampled_from([0.0, 0.05, 0.1, 0.3, 0.5]), seed=st.integers(0, 2 ** 32 - 1))
def test_every_generated_data_set_has_its_shape_labels_and_seed(n, noise, seed):
    for make in (make_gauss, make_plane, make_multi_gauss):
        X, y = make(n, noise=noise, seed=seed)
        again = make(n, noise=noise, seed=seed)
        assert X.shape == (n, 2) and X.dtype == torch.float32 and len(y) == n
        assert torch.equal(X, again.X) and torch.equal(y, again.y)            # the seed decides everything
        assert torch.isfinite(X).all() and torch.isfinite(y.float()).all()
    X, y = make_gauss(n, noise=noise, seed=seed)
    assert y.dtype == torch.int64 and set(y.tolist()) <= {0, 1} and abs(int(y.sum()) - n / 2) <= 0.5
    for make in (make_plane, make_multi_gauss):
        X, y = make(n, noise=noise, seed=seed)
        assert y.dtype == torch.float32 and X.abs().max() <= 6
    if n > 20:
        assert not torch.equal(make_plane(n, seed=seed).X, make_plane(n, seed=seed ^ 1).X)


def test_the_regression_targets_follow_tensorflow_playgrounds_formulas():
    X, y = make_plane(500, noise=0.0)
    assert torch.allclose(y, (X[:, 0] + X[:, 1]) / 10) and -1.2 <= y.min() < -0.8 and 0.8 < y.max() <= 1.2
    X, y = make_multi_gauss(2000, noise=0.0)
    centres = torch.tensor([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]])
    signs = torch.tensor([1, -1, 1, -1, 1, -1.0])
    for centre, sign in zip(centres, signs):                                   # a bump of height ±1 at each centre
        near = (X - centre).norm(dim=1) < 0.3
        assert near.any() and (y[near] * sign > 0.85).all()
    far = torch.cdist(X, centres).min(1).values > 2
    assert (y[far] == 0).all() and y.abs().max() <= 1
    X, y = make_gauss(2000, noise=0.0)
    assert torch.allclose(X[y == 1].mean(0), torch.tensor([2.0, 2.0]), atol=0.1)
    assert torch.allclose(X[y == 0].mean(0), torch.tensor([-2.0, -2.0]), atol=0.1)
    assert X[y == 1].std(0).mean() == pytest.approx(0.5 ** 0.5, rel=0.1)        # variance 0.5 ... 4 with the noise
    assert make_gauss(2000, noise=0.5).X[:1000].std(0).mean() > 1.5


@pytest.mark.parametrize("problem, dataset", [(p, d) for p, sets in PROBLEMS.items() for d in sets])
def test_playground_data_splits_every_set_of_every_problem(problem, dataset):
    d = playground_data(dataset, noise=0.2, train_ratio=0.3, problem=problem)
    assert len(d["X_train"]) == 60 and len(d["X_test"]) == 140
    if problem == "classification":
        assert set(d["y_train"].tolist()) == set(d["y_test"].tolist()) == {0, 1}   # stratified
    else:
        assert d["y_train"].dtype == torch.float32
    with pytest.raises(DemoError, match=f"Unknown {problem} data set"):
        playground_data(next(iter(PROBLEMS[{"classification": "regression"}.get(problem, "classification")])),
                        problem=problem)


def test_gauss_is_easy_for_a_network_without_hidden_layers():
    run = LiveRun(dataset="gauss", hidden=[], lr=0.1)
    run.step(10)
    with torch.no_grad():
        accuracy = ((run.net(run.data["X_test"]) > 0).float() == run.data["y_test"]).float().mean()
    assert accuracy > 0.95 and "gauss" in DATASETS


# --- regression in the live playground -------------------------------------------------------------------

@pytest.mark.parametrize("dataset, hidden, lr, epochs, ratio", [
    ("plane", [], 0.03, 30, 0.01),                                             # a plane: one linear layer
    ("multi_gauss", [8, 8], 0.1, 200, 0.8),                                    # six bumps: slow, as in TF Playground
])
def test_regression_learns_with_mse_and_a_linear_output(dataset, hidden, lr, epochs, ratio):
    run = LiveRun(problem="regression", dataset=dataset, hidden=hidden, lr=lr, noise=0.0)
    first = run.history["test_loss"][0]
    run.step(epochs)
    with torch.no_grad():
        y_hat = run.net(run.data["X_test"])
    mse = torch.nn.functional.mse_loss(y_hat, run.data["y_test"]).item()
    assert run.history["test_loss"][-1] == pytest.approx(mse, rel=1e-5)         # the loss is MSE
    assert mse < ratio * first and run.history["train_loss"][-1] < ratio * run.history["train_loss"][0]
    t = run.frame_tensors(grid=6, neuron_grid=3)
    from dlstudy.demos.live.network import plane
    with torch.no_grad():                                                      # the picture is the value itself
        assert torch.allclose(t["boundary"], run.net(plane(run.bounds, 6)), atol=1e-6)
    points = run.points()
    assert all(isinstance(label, float) for _, _, label in points["train"] + points["test"])


def test_classification_and_regression_use_their_own_loss_and_data():
    c, r = LiveRun(), LiveRun(problem="regression", dataset="plane")
    assert isinstance(c.loss_fn, torch.nn.BCEWithLogitsLoss) and isinstance(r.loss_fn, torch.nn.MSELoss)
    assert c.frame()["problem"] == "classification" and r.frame()["problem"] == "regression"
    assert -1 <= min(c.frame()["boundary"]) and max(c.frame()["boundary"]) <= 1
    with pytest.raises(DemoError, match="Unknown regression data set 'xor'"):
        LiveRun(problem="regression", dataset="xor")
    with pytest.raises(DemoError, match="Unknown problem type"):
        LiveRun(problem="ranking")
    assert LiveRun(dataset="multi gauss").problem == "regression" and LiveRun(dataset="gauss").problem == "classification"
    assert LivePlayground(dataset="plane").config["problem"] == "regression"


@pytest.mark.parametrize("config", [
    dict(problem="regression", dataset="multi_gauss", hidden=[3], activation="relu", lr=0.03),
    dict(problem="regression", hidden=[2, 2], regularization="l2", reg_rate=0.01, lr=0.01, seed=4),
    dict(problem="classification", dataset="gauss", hidden=[], noise=0.3, train_ratio=0.8),
])
def test_the_code_button_reproduces_a_regression_or_classification_run(config):
    box = LivePlayground(**config)
    box.step(5)
    scope = {}
    exec(box.python_code(), scope)
    assert scope["run"].problem == box.run.problem and scope["run"].epoch == 5
    assert scope["frame"]["test_loss"] == box.run.frame()["test_loss"]
    assert scope["frame"]["boundary"] == box.run.frame()["boundary"]


def test_the_widget_switches_problem_and_data_set_in_any_order():
    box = LivePlayground(problem="regression")
    assert box.config["dataset"] == "plane" and box.frame["problem"] == "regression"
    assert set(box.options["datasets"]["regression"]) == set(REGRESSION_DATASETS)
    for change in ({"problem": "classification", "dataset": "gauss"}, {"hidden": []},
                   {"problem": "regression", "dataset": "multi_gauss"}, {"hidden": [8] * 6}, {"dataset": "plane"},
                   {"problem": "classification", "dataset": "spiral"}):
        box.step(2)
        box.config = box.config | change
        assert not box.error and box.frame["problem"] == box.run.problem == box.config["problem"]
        assert box.frame["epoch"] == 0 and box.frame["hidden"] == box.config["hidden"]
        regression = box.run.problem == "regression"
        assert all(isinstance(label, float if regression else int) for _, _, label in box.points["train"])
    box.config = box.config | {"problem": "regression"}                        # the data set is not a regression set
    assert "Unknown regression data set 'spiral'" in box.error and "'plane'" in box.error


def test_a_burst_of_changes_draws_the_picture_once_after_the_burst(monkeypatch):
    monkeypatch.setattr(LivePlayground, "picture_delay", 0.05)

    async def burst():
        box = LivePlayground()
        for lr in (0.1, 0.03, 1.0):
            box.config = box.config | {"lr": lr}
        box.step(), box.step()
        assert box.pictures == 0                                                   # nothing drawn during the burst
        await asyncio.sleep(0.4)
        return box

    box = asyncio.run(burst())
    assert box.pictures == 1 and box.picture.png[:4] == b"\x89PNG"


def test_the_picture_is_cheap_enough_to_never_stall_play():
    from dlstudy.demos.live.picture import frame_picture
    run = LiveRun(problem="regression", dataset="multi_gauss", hidden=[8] * 6, features=list(FEATURES))
    frame_picture(run)
    start = time.process_time()
    png = frame_picture(run, "an error")
    assert time.process_time() - start < 0.5 and png[:4] == b"\x89PNG"          # matplotlib took about 1 s


def test_playing_stays_a_few_frames_ahead_of_the_browser(monkeypatch):
    monkeypatch.setattr(LivePlayground, "wait_for_browser", 0.2)
    monkeypatch.setattr(LivePlayground, "in_flight", 3)          # a short window: the waiting shows within 0.8 s

    async def play(ack):
        box = LivePlayground()
        box.playing = True
        deadline = time.perf_counter() + 0.8
        while time.perf_counter() < deadline:
            if ack:
                box._message(box, {"cmd": "drawn", "n": box._sent}, [])            # a browser that keeps up
            await asyncio.sleep(0.005)
        box.playing = False
        await asyncio.sleep(0.05)
        return box._sent

    silent, drawing = asyncio.run(play(False)), asyncio.run(play(True))
    assert silent <= LivePlayground.in_flight + 0.8 / 0.2 + 1 and drawing > silent + 3, (silent, drawing)


def test_the_live_playground_is_split_into_parts_that_import_no_other_demo():
    demos = Path(__file__).resolve().parent.parent / "dlstudy" / "demos"
    allowed = {"dlstudy.demos.base", "dlstudy.demos.catalog", "dlstudy.demos.common", "dlstudy.demos.pictures"}
    for path in [demos / "live_playground.py", *sorted((demos / "live").glob("*.py"))]:
        tree = ast.parse(path.read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        others = {m for m in imported if m.startswith("dlstudy.demos") and m not in allowed
                  and not m.startswith("dlstudy.demos.live.")}
        assert not others, f"{path.name} imports {others}"
        assert len(path.read_text().splitlines()) <= 250 and "__all__" in path.read_text() and ast.get_docstring(tree)


def test_pausing_while_a_frame_trains_still_shows_that_epoch(monkeypatch):
    monkeypatch.setattr(LivePlayground, "wait_for_browser", 0.5)

    async def play_then_pause():
        box = LivePlayground()
        box.playing = True
        while box._sent < LivePlayground.in_flight:                 # no browser draws: the kernel soon waits
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        box.playing = False                                         # paused while a trained frame waits to be sent
        await asyncio.sleep(0.6)
        return box

    box = asyncio.run(play_then_pause())
    assert box.run.epoch > 0 and box.frame["epoch"] == box.run.epoch and box.status.startswith(f"Epoch {box.run.epoch}:")


def test_the_browser_is_asked_to_say_drawn_only_every_few_frames_and_the_kernel_never_waits_for_it():
    box = LivePlayground()
    box.step()
    assert box.frame["ack_every"] == box.ack_every > 1 and box.frame["n"] == 1
    # A "drawn" comes after ack_every frames and takes a while to arrive: meanwhile the kernel must keep sending.
    assert box.in_flight >= 2 * box.ack_every
