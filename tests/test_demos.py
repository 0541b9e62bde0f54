"""The demos: the science each experiment function shows, and its widget driven like a learner would
(``.value`` changes and ``.click()``), without a browser."""

import math
import re
import time

import ipywidgets as W
import matplotlib.pyplot as plt
import pytest
import torch
from helpers import PNG, scores_and_target as make_scores

from dlstudy import metrics
from dlstudy.demos import activations, learning_rate, optimizer_race, playground, regularization, threshold
from dlstudy.demos.activations import ACTIVATIONS, activation_data, activation_fn
from dlstudy.demos.base import DemoError, Explorer, busy, button
from dlstudy.demos.catalog import OPTIMIZERS, SURFACES
from dlstudy.demos.learning_rate import run_gradient_descent
from dlstudy.demos.optimizer_race import race
from dlstudy.demos.playground import make_mlp, playground_data, train_playground
from dlstudy.demos.regularization import train_regularized
from dlstudy.demos.threshold import threshold_report
from dlstudy.train import TrainingDiverged


@pytest.fixture
def scores_and_target():
    return make_scores(200)


BUILDERS = {
    "ActivationExplorer": activations.activation_explorer,
    "Playground": playground.playground,
    "LRExplorer": learning_rate.lr_explorer,
    "OptimizerRace": optimizer_race.optimizer_race,
    "ThresholdExplorer": lambda: threshold.threshold_explorer(*make_scores()),
    "RegularizationExplorer": regularization.regularization_explorer,
}


@pytest.fixture(scope="module")
def boxes():
    """Each widget built once, as a notebook cell would."""
    return {name: build() for name, build in BUILDERS.items()}


# 1. Activations ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, peak", [("sigmoid", 0.25), ("tanh", 1.0), ("relu", 1.0), ("leaky_relu", 1.0)])
def test_derivative_maximum(name, peak):
    data = activation_data(name)
    assert data["max_derivative"] == pytest.approx(peak, abs=1e-4)
    assert abs(data["argmax"]) < 0.05                       # all four are steepest at x = 0
    assert data["x"].shape == data["y"].shape == data["dy"].shape


def test_derivative_matches_formula_and_finite_differences():
    data = activation_data("sigmoid")
    s = torch.sigmoid(data["x"])
    assert torch.allclose(data["dy"], s * (1 - s), atol=1e-6)
    h = 1e-3
    x = data["x"].double()
    finite = (torch.sigmoid(x + h) - torch.sigmoid(x - h)) / (2 * h)
    assert torch.allclose(data["dy"].double(), finite, atol=1e-5)


def test_relu_is_dead_on_the_left_and_leaky_relu_is_not():
    relu, leaky = activation_data("relu"), activation_data("Leaky ReLU", slope=0.2)
    left = relu["x"] < -0.1
    assert torch.all(relu["dy"][left] == 0)
    assert torch.allclose(leaky["dy"][left], torch.full_like(leaky["dy"][left], 0.2))
    assert leaky["name"] == "leaky_relu"


def test_unknown_activation_lists_the_choices_in_the_catalog_order():
    expected = ", ".join(repr(name) for name in ACTIVATIONS)
    with pytest.raises(DemoError, match=expected):
        activation_fn("swish")


# 2. Playground ----------------------------------------------------------------------------

def test_playground_default_solves_xor_quickly():
    train_playground(epochs=2)                              # warm up torch's lazy imports
    start = time.process_time()                              # CPU time: fair on a busy machine
    result = train_playground()
    elapsed = time.process_time() - start
    assert result["test_acc"] == 1.0 and result["train_acc"] == 1.0
    assert len(result["history"]) == 300
    assert elapsed < 4, f"the default playground run took {elapsed:.1f} s of CPU time"   # about 0.6 s
    assert metrics.accuracy(result["model"](result["data"]["X_test"]), result["data"]["y_test"]) == 1.0


def test_playground_without_hidden_layer_cannot_solve_xor():
    result = train_playground(hidden_layers=0)
    assert result["train_acc"] <= 0.8                     # a line separates at most 3 of the 4 corners


def test_playground_is_repeatable_and_reports_progress():
    seen = []
    a = train_playground("moons", epochs=40, on_update=lambda model, h: seen.append(len(h)), num_updates=4)
    b = train_playground("moons", epochs=40)
    assert seen == [10, 20, 30, 40]
    assert a["history"]["train_loss"] == b["history"]["train_loss"]


@pytest.mark.parametrize("dataset", ["xor", "moons", "circles", "spiral"])
def test_playground_data_split(dataset):
    data = playground_data(dataset, noise=0.2, train_ratio=0.6)
    assert len(data["X_train"]) == 120 and len(data["X_test"]) == 80
    assert data["X_train"].shape[1] == 2 and data["y_train"].dtype == torch.int64
    assert data["y_train"].float().mean().item() == pytest.approx(0.5, abs=0.01)   # stratified


def test_playground_bad_knobs_say_what_was_expected():
    with pytest.raises(ValueError, match="train_ratio must be a number, above 0 and below 1"):
        playground_data(train_ratio=1.5)
    with pytest.raises(ValueError, match="data set 'iris'"):
        playground_data("iris")


def test_make_mlp_depth_and_width():
    net = make_mlp(hidden_layers=3, units=5, activation="sigmoid")
    assert len([m for m in net if isinstance(m, torch.nn.Linear)]) == 4
    assert net(torch.zeros(7, 2)).shape == (7, 2)


# 3. Learning rate -------------------------------------------------------------------------

def test_gradient_descent_converges_to_least_squares():
    result = run_gradient_descent(lr=0.1)
    assert not result["diverged"] and result["status"] == "converged"
    assert result["losses"][-1] == pytest.approx(result["min_loss"], rel=1e-3)
    assert result["w"] == pytest.approx(2.0, abs=0.2) and result["b"] == pytest.approx(1.0, abs=0.2)


def test_too_large_learning_rate_diverges_without_raising():
    result = run_gradient_descent(lr=1.0)
    assert result["diverged"] and result["status"] == "diverged"
    assert "smaller learning rate" in result["message"]
    assert all(math.isfinite(loss) for loss in result["losses"])


def test_the_critical_learning_rate_separates_the_two_regimes():
    critical = run_gradient_descent(lr=0.1)["critical_lr"]
    assert not run_gradient_descent(lr=0.9 * critical)["diverged"]
    assert run_gradient_descent(lr=1.1 * critical)["diverged"]


def test_too_small_learning_rate_is_slow():
    result = run_gradient_descent(lr=1e-3)
    assert result["status"] == "slow" and result["losses"][-1] < result["losses"][0]


# 4. Optimizer race ------------------------------------------------------------------------

def test_race_returns_a_path_per_optimizer():
    result = race("bowl", num_steps=20)
    assert set(result["paths"]) == set(OPTIMIZERS)
    for name, path in result["paths"].items():
        assert path.shape == (21, 2)
        assert torch.equal(path[0], torch.tensor(SURFACES["bowl"].start))
        assert result["losses"][name].shape == (21,)


def test_adam_beats_plain_sgd_on_the_ill_conditioned_bowl():
    result = race("bowl", ["sgd", "adam", "momentum"], num_steps=100)
    assert result["final_loss"]["adam"] < result["final_loss"]["sgd"] / 10
    assert result["final_loss"]["momentum"] < result["final_loss"]["sgd"] / 10


def test_sgd_lingers_at_the_saddle_while_adam_escapes():
    result = race("saddle", ["sgd", "adam"], num_steps=100)
    assert result["final_loss"]["adam"] == pytest.approx(-0.25, abs=1e-3)   # a minimum at (0, +-1)
    assert result["final_loss"]["sgd"] > -0.1


def test_race_matches_a_hand_written_sgd_step():
    lr = 0.1
    result = race("bowl", ["sgd"], lrs={"sgd": lr}, num_steps=1)
    x, y = SURFACES["bowl"].start
    expected = torch.tensor([x - lr * 0.2 * x, y - lr * 4 * y])
    assert torch.allclose(result["paths"]["sgd"][1], expected)


def test_race_reports_divergence_instead_of_crashing():
    result = race("rosenbrock", ["sgd"], lrs={"SGD": 0.1}, num_steps=50)
    assert result["diverged"]["sgd"] and result["final_loss"]["sgd"] == math.inf
    assert torch.isfinite(result["paths"]["sgd"]).all()


def test_race_rejects_unknown_names():
    with pytest.raises(ValueError, match="optimizer 'lbfgs'"):
        race("bowl", ["lbfgs"])
    with pytest.raises(ValueError, match="surface"):
        race("himmelblau")


# 5. Threshold -----------------------------------------------------------------------------

@pytest.mark.parametrize("threshold", [0.0, 0.2, 0.5, 0.73, 1.01])
def test_threshold_report_agrees_with_metrics_and_sklearn(scores_and_target, threshold):
    from sklearn import metrics as skm
    scores, target = scores_and_target
    report = threshold_report(scores, target, threshold)
    preds = (scores >= threshold).long()
    tn, fp, fn, tp = skm.confusion_matrix(target, preds, labels=[0, 1]).ravel().tolist()
    assert (report["tn"], report["fp"], report["fn"], report["tp"]) == (tn, fp, fn, tp)
    assert report["precision"] == pytest.approx(skm.precision_score(target, preds, zero_division=0))
    assert report["recall"] == pytest.approx(skm.recall_score(target, preds, zero_division=0))
    assert report["f1"] == pytest.approx(skm.f1_score(target, preds, zero_division=0))
    assert report["accuracy"] == pytest.approx(metrics.accuracy(preds, target))
    assert report["tpr"] == report["recall"]


def test_threshold_point_lies_on_the_roc_curve(scores_and_target):
    scores, target = scores_and_target
    fpr, tpr, thresholds = metrics.roc_curve(scores, target)
    for i in (1, 50, len(thresholds) - 1):
        report = threshold_report(scores, target, thresholds[i].item())
        assert report["fpr"] == pytest.approx(fpr[i].item()) and report["tpr"] == pytest.approx(tpr[i].item())


def test_raising_the_threshold_trades_recall_for_precision(scores_and_target):
    low, high = (threshold_report(*scores_and_target, t) for t in (0.3, 0.8))
    assert high["recall"] < low["recall"] and high["precision"] > low["precision"]


def test_threshold_report_shape_error():
    with pytest.raises(ValueError, match=r"scores must be 1-d .*got shape"):
        threshold_report(torch.rand(4, 3), torch.zeros(4))


# 6. Regularization ------------------------------------------------------------------------

def test_the_plain_network_over_fits():
    result = train_regularized()
    assert result["val_loss"] > 2 * result["train_loss"]
    assert len(result["history"]["val_loss"]) == 200


@pytest.mark.parametrize("knob", [{"dropout": 0.5}, {"weight_decay": 1.0}])
def test_dropout_and_weight_decay_shrink_the_gap(knob):
    plain, regularized = train_regularized(), train_regularized(**knob)
    assert regularized["gap"] < 0.85 * plain["gap"]


def test_regularized_model_is_left_in_train_mode_and_dropout_is_checked():
    assert train_regularized(dropout=0.3, epochs=3)["model"].training
    with pytest.raises(ValueError, match="dropout must be a number, 0 or more and below 1"):
        train_regularized(dropout=1.0)


# Widgets --------------------------------------------------------------------------------

def _count_changes(widget, name="value"):
    changes = []
    widget.observe(lambda change: changes.append(change.new), name)
    return changes


def test_every_builder_returns_a_box_and_shows_nothing(capsys):
    for name, build in BUILDERS.items():
        box = build()
        assert isinstance(box, Explorer) and isinstance(box, W.VBox)
        assert box.result_label in box.children and box.image in box.children
        assert box.controls and all(c.description for c in box.controls.values())   # every knob has a label
        assert bytes(box.image.value).startswith(PNG)
    assert capsys.readouterr().out == ""
    assert plt.get_fignums() == []                         # no pyplot figure left to show at cell end


@pytest.mark.parametrize("name", BUILDERS)
def test_reprs_are_stable_and_hold_no_addresses(boxes, name):
    first, second = repr(boxes[name]), repr(BUILDERS[name]())
    assert first == second and first.startswith(name + "(")
    assert not re.search(r"0x[0-9a-f]{4,}", first)
    assert boxes[name]._repr_mimebundle_()["text/plain"] == first[:110] + ("…" if len(first) > 110 else "")


def test_activation_explorer_follows_the_dropdown():
    box = activations.activation_explorer()
    assert "0.25" in box.result_label.value and box.controls["slope"].disabled
    image = bytes(box.image.value)
    box.controls["activation"].value = "relu"
    assert box.result["max_derivative"] == 1.0 and "<b>1</b>" in box.result_label.value
    assert bytes(box.image.value) != image
    box.controls["activation"].value = "leaky_relu"
    assert not box.controls["slope"].disabled
    box.controls["slope"].value = 0.3
    assert box.result["dy"].min().item() == pytest.approx(0.3)


def test_playground_trains_on_the_button_only():
    box = playground.playground()
    assert box.button.description == "Train" and "press <b>Train</b>" in box.result_label.value
    assert bytes(box.image.value).startswith(PNG)
    box.controls["units"].value = 5                        # a model knob: nothing is trained
    assert "Settings changed" in box.result_label.value and box.result is None
    box.controls["units"].value = 4
    disabled, images = _count_changes(box.button, "disabled"), _count_changes(box.image)
    box.button.click()
    assert disabled == [True, False] and not box.button.disabled
    assert 2 <= len(images) <= 4                            # a few redraws while training, no flicker
    assert "Test accuracy: 100.0%" in box.result_label.value
    assert box.result["test_acc"] == 1.0 and box.button.description == "Train"


def test_playground_data_knobs_redraw_the_preview():
    box = playground.playground()
    image = bytes(box.image.value)
    box.controls["dataset"].value = "spiral"
    assert bytes(box.image.value) != image and bytes(box.image.value).startswith(PNG)
    box.controls["noise"].value = 0.3
    box.controls["hidden_layers"].value = 2
    box.controls["units"].value = 8
    box.controls["epochs"].value = 100
    box.button.click()
    assert box.result["data"]["X_train"].shape == (140, 2) and len(box.result["history"]) == 100
    assert "after 100 epochs" in box.result_label.value


def test_playground_controls_use_learner_words_and_a_log_lr_slider():
    box = playground.playground()
    labels = {c.description for c in box.controls.values()}
    assert {"Data set", "Noise", "Hidden layers", "Hidden units", "Activation", "Learning rate",
            "L2 penalty", "Epochs"} <= labels
    assert isinstance(box.controls["lr"], W.FloatLogSlider)
    assert not any(getattr(c, "continuous_update", False) for c in box.controls.values())


def test_a_failed_run_is_explained_and_the_button_comes_back(monkeypatch):
    box = playground.playground()

    def diverge(**knobs):
        raise TrainingDiverged("Training stopped at epoch 3: the loss became nan. Try a smaller learning rate.")

    monkeypatch.setattr(playground, "train_playground", diverge)
    box.button.click()
    assert "smaller learning rate" in box.result_label.value and not box.button.disabled
    assert "Something went wrong" not in box.result_label.value

    for bug in (RuntimeError("a bug"), ValueError("a library bug")):    # a ValueError is a bug too: not hidden
        def broken(**knobs):
            raise bug
        monkeypatch.setattr(playground, "train_playground", broken)
        box.button.click()                                 # ipywidgets logs the error; the box shows it
        assert f"Something went wrong: {type(bug).__name__}: {bug}" in box.result_label.value
        assert not box.button.disabled and box.button.description == "Train"


def test_busy_explains_demo_errors_and_raises_everything_else():
    box = Explorer("Demo", {"lr": W.FloatSlider()}, button("Go"))

    def fail(error):
        def run():
            raise error
        return run

    busy(box, fail(DemoError("Tick at least one optimizer.")), "Going...")
    assert "Tick at least one" in box.result_label.value and "wrong" not in box.result_label.value
    with pytest.raises(ValueError, match="library"):
        busy(box, fail(ValueError("a library bug")), "Going...")
    assert "Something went wrong: ValueError" in box.result_label.value and not box.button.disabled


def test_the_playground_makes_its_data_once_per_click(monkeypatch):
    box = playground.playground()
    calls = []
    real = playground.playground_data
    monkeypatch.setattr(playground, "playground_data", lambda *a, **k: calls.append(a) or real(*a, **k))
    box.controls["epochs"].value = 50
    box.button.click()
    assert len(calls) == 1 and box.result["data"]["X_train"].shape == (140, 2)


def test_lr_explorer_shows_divergence_without_crashing():
    box = learning_rate.lr_explorer()
    assert isinstance(box.controls["lr"], W.FloatLogSlider) and box.button is None
    assert "Converged" in box.result_label.value
    box.controls["lr"].value = 1.0
    assert box.result["diverged"] and "Diverged" in box.result_label.value
    assert "critical learning rate" in box.result_label.value
    box.controls["lr"].value = 1e-3
    assert "Too slow" in box.result_label.value


def test_optimizer_race_runs_on_the_button():
    box = optimizer_race.optimizer_race()
    assert box.result is None and box.button.description == "Race"
    box.button.click()
    assert set(box.result["paths"]) == {"sgd", "momentum", "adam"}
    assert "best first: <b>Adam" in box.result_label.value
    box.controls["nesterov"].value = True
    box.controls["sgd_lr"].value = 0.01
    box.button.click()
    assert "nesterov" in box.result["paths"] and box.result["lrs"]["sgd"] == pytest.approx(0.01)


def test_optimizer_race_surface_resets_the_learning_rates_and_needs_an_optimizer():
    box = optimizer_race.optimizer_race()
    box.controls["surface"].value = "rosenbrock"
    assert box.controls["sgd_lr"].value == pytest.approx(SURFACES["rosenbrock"].lrs["sgd"])
    for name in ("sgd", "momentum", "adam"):
        box.controls[name].value = False
    box.button.click()
    assert "Tick at least one optimizer" in box.result_label.value and not box.button.disabled


def test_threshold_explorer_agrees_with_threshold_report(scores_and_target):
    scores, target = scores_and_target
    box = threshold.threshold_explorer(scores, target)
    assert box.controls["threshold"].value == 0.5 and box.result == threshold_report(scores, target, 0.5)
    box.controls["threshold"].value = 0.8
    report = threshold_report(scores, target, 0.8)
    assert box.result == report
    assert f"precision {report['precision']:.3f}" in box.result_label.value


def test_threshold_explorer_takes_logits_and_checks_shapes(scores_and_target):
    scores, target = scores_and_target
    box = threshold.threshold_explorer(torch.logit(scores), target, threshold=0.0)
    slider = box.controls["threshold"]
    assert slider.min < 0 < slider.max and slider.value == 0.0
    with pytest.raises(ValueError, match="shape"):
        threshold.threshold_explorer(scores[:10], target)


def test_regularization_explorer_compares_with_the_last_run():
    box = regularization.regularization_explorer()
    assert box.button.description == "Train" and box.result is None
    box.button.click()
    plain_gap = box.result["gap"]
    assert "last run" not in box.result_label.value
    box.controls["dropout"].value = 0.5
    box.button.click()
    assert box.result["gap"] < plain_gap
    assert f"(last run: {plain_gap:.3f})" in box.result_label.value
    assert box.result["model"].training                    # the widget restored train mode after drawing
