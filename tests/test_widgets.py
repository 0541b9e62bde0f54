"""The widget layer, driven like a learner would (``.value`` changes and ``.click()``), without a browser."""

import re

import ipywidgets as W
import matplotlib.pyplot as plt
import pytest
import torch

from dlstudy import widgets
from dlstudy.experiments import SURFACES, threshold_report
from dlstudy.train import TrainingDiverged

PNG = b"\x89PNG"


def _scores_and_target():
    g = torch.Generator().manual_seed(0)
    target = torch.randint(0, 2, (120,), generator=g)
    return torch.sigmoid(2.0 * target - 1.0 + torch.randn(120, generator=g)), target


@pytest.fixture
def scores_and_target():
    return _scores_and_target()


BUILDERS = {
    "ActivationExplorer": widgets.activation_explorer,
    "Playground": widgets.playground,
    "LRExplorer": widgets.lr_explorer,
    "OptimizerRace": widgets.optimizer_race,
    "ThresholdExplorer": lambda: widgets.threshold_explorer(*_scores_and_target()),
    "RegularizationExplorer": widgets.regularization_explorer,
}


@pytest.fixture(scope="module")
def boxes():
    """Each widget built once, as a notebook cell would."""
    return {name: build() for name, build in BUILDERS.items()}


def _count_changes(widget, name="value"):
    changes = []
    widget.observe(lambda change: changes.append(change.new), name)
    return changes


def test_every_builder_returns_a_box_and_shows_nothing(capsys):
    for name, build in BUILDERS.items():
        box = build()
        assert isinstance(box, widgets.Explorer) and isinstance(box, W.VBox)
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
    box = widgets.activation_explorer()
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
    box = widgets.playground()
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
    box = widgets.playground()
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
    box = widgets.playground()
    labels = {c.description for c in box.controls.values()}
    assert {"Data set", "Noise", "Hidden layers", "Hidden units", "Activation", "Learning rate",
            "L2 penalty", "Epochs"} <= labels
    assert isinstance(box.controls["lr"], W.FloatLogSlider)
    assert not any(getattr(c, "continuous_update", False) for c in box.controls.values())


def test_a_failed_run_is_explained_and_the_button_comes_back(monkeypatch):
    box = widgets.playground()

    def diverge(**knobs):
        raise TrainingDiverged("Training stopped at epoch 3: the loss became nan. Try a smaller learning rate.")

    monkeypatch.setattr(widgets, "train_playground", diverge)
    box.button.click()
    assert "smaller learning rate" in box.result_label.value and not box.button.disabled

    def bug(**knobs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(widgets, "train_playground", bug)
    box.button.click()                                     # ipywidgets logs the error; the box shows it
    assert "RuntimeError: a bug" in box.result_label.value
    assert not box.button.disabled and box.button.description == "Train"


def test_lr_explorer_shows_divergence_without_crashing():
    box = widgets.lr_explorer()
    assert isinstance(box.controls["lr"], W.FloatLogSlider) and box.button is None
    assert "Converged" in box.result_label.value
    box.controls["lr"].value = 1.0
    assert box.result["diverged"] and "Diverged" in box.result_label.value
    assert "critical learning rate" in box.result_label.value
    box.controls["lr"].value = 1e-3
    assert "Too slow" in box.result_label.value


def test_optimizer_race_runs_on_the_button():
    box = widgets.optimizer_race()
    assert box.result is None and box.button.description == "Race"
    box.button.click()
    assert set(box.result["paths"]) == {"sgd", "momentum", "adam"}
    assert "best first: <b>Adam" in box.result_label.value
    box.controls["nesterov"].value = True
    box.controls["sgd_lr"].value = 0.01
    box.button.click()
    assert "nesterov" in box.result["paths"] and box.result["lrs"]["sgd"] == pytest.approx(0.01)


def test_optimizer_race_surface_resets_the_learning_rates_and_needs_an_optimizer():
    box = widgets.optimizer_race()
    box.controls["surface"].value = "rosenbrock"
    assert box.controls["sgd_lr"].value == pytest.approx(SURFACES["rosenbrock"].lrs["sgd"])
    for name in ("sgd", "momentum", "adam"):
        box.controls[name].value = False
    box.button.click()
    assert "Tick at least one optimizer" in box.result_label.value and not box.button.disabled


def test_threshold_explorer_agrees_with_threshold_report(scores_and_target):
    scores, target = scores_and_target
    box = widgets.threshold_explorer(scores, target)
    assert box.controls["threshold"].value == 0.5 and box.result == threshold_report(scores, target, 0.5)
    box.controls["threshold"].value = 0.8
    report = threshold_report(scores, target, 0.8)
    assert box.result == report
    assert f"precision {report['precision']:.3f}" in box.result_label.value


def test_threshold_explorer_takes_logits_and_checks_shapes(scores_and_target):
    scores, target = scores_and_target
    box = widgets.threshold_explorer(torch.logit(scores), target, threshold=0.0)
    slider = box.controls["threshold"]
    assert slider.min < 0 < slider.max and slider.value == 0.0
    with pytest.raises(ValueError, match="shape"):
        widgets.threshold_explorer(scores[:10], target)


def test_regularization_explorer_compares_with_the_last_run():
    box = widgets.regularization_explorer()
    assert box.button.description == "Train" and box.result is None
    box.button.click()
    plain_gap = box.result["gap"]
    assert "last run" not in box.result_label.value
    box.controls["dropout"].value = 0.5
    box.button.click()
    assert box.result["gap"] < plain_gap
    assert f"(last run: {plain_gap:.3f})" in box.result_label.value
    assert box.result["model"].training                    # the widget restored train mode after drawing
