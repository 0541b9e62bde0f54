"""The playground: pick a 2-D data set and a network, press Train, watch the boundary and the losses.

``train_playground`` is the experiment (a plain function that returns the model, its history
and accuracies); ``playground()`` is the widget that wraps it.
"""

import math

import ipywidgets as W
import torch
from torch import nn

from dlstudy.contract import Function, Key, Number, Optional, Rule, Whole, declare
from dlstudy.demos.base import (
    STYLE, DemoError, Explorer, busy, button, defaults, log_slider, new_figure, single_threaded, slider,
)
from dlstudy.demos.catalog import ACTIVATIONS, CLASS_COLORS, DATASETS, playground_data
from dlstudy.metrics import accuracy
from dlstudy.plots.classifiers import plot_decision_boundary
from dlstudy.plots.curves import plot_history
from dlstudy.train import Callback, TrainingDiverged, fit

__all__ = ["DATASETS", "playground_data", "make_mlp", "train_playground", "playground"]

ACTIVATION = Key(ACTIVATIONS, "activation")
HIDDEN_LAYERS, UNITS = Whole(0, 20, example=1), Whole(1, 1024, example=4)


class PlaygroundData(Rule):
    """What ``playground_data`` returns: a dict of X_train, y_train, X_test, y_test (2-D points, class labels)."""

    def check(self, value, name):
        keys = ("X_train", "y_train", "X_test", "y_test")
        if not isinstance(value, dict) or not all(k in value and torch.is_tensor(value[k]) for k in keys):
            self.fail(name, "what playground_data(...) returns (a dict of X_train, y_train, X_test, y_test)", value)
        shapes_ok = all(value[f"X_{p}"].ndim == 2 and value[f"X_{p}"].shape[1] == 2 and len(value[f"X_{p}"]) > 0
                        and value[f"y_{p}"].shape == (len(value[f"X_{p}"]),) and not value[f"y_{p}"].is_floating_point()
                        and value[f"X_{p}"].is_floating_point() and bool(torch.isfinite(value[f"X_{p}"]).all())
                        and int(value[f"y_{p}"].min()) >= 0 for p in ("train", "test"))
        if not shapes_ok:
            self.fail(name, "finite points X of shape (N, 2) (float) with class labels y of shape (N,) (0, 1, ...)",
                      value, "Make it with playground_data(...).")
        return value


@declare(in_features=Whole(1, 1000, example=2), hidden_layers=HIDDEN_LAYERS, units=UNITS, activation=ACTIVATION,
         num_classes=Whole(2, 100, example=2), error=DemoError)
def make_mlp(in_features=2, hidden_layers=1, units=4, activation="tanh", num_classes=2):
    """An MLP: ``hidden_layers`` x (Linear(units) + activation), then Linear(num_classes) for the logits.

    >>> make_mlp(hidden_layers=2, units=3, activation="relu")
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=3, bias=True)
      (3): ReLU()
      (4): Linear(in_features=3, out_features=2, bias=True)
    )
    """
    layer = ACTIVATIONS[activation].module
    layers, width = [], in_features
    for _ in range(hidden_layers):
        layers += [nn.Linear(width, units), layer()]
        width = units
    return nn.Sequential(*layers, nn.Linear(width, num_classes))


class EveryFewEpochs(Callback):
    """Call ``fn(model, history)`` ``times`` times during training, evenly spaced."""

    def __init__(self, fn, num_epochs, times):
        self.fn, self.every = fn, max(1, math.ceil(num_epochs / max(1, times)))

    def on_epoch_end(self, state):
        if len(state.history) % self.every == 0:
            self.fn(state.model, state.history)


@declare(dataset=Key(DATASETS, "data set"), noise=Number(0, 1, example=0.1),
         train_ratio=Number(0, 1, example=0.7, low_open=True, high_open=True), hidden_layers=HIDDEN_LAYERS,
         units=UNITS, activation=ACTIVATION, lr=Number(0, 10, example=0.1, low_open=True), l2=Number(0, 10, example=0.001),
         epochs=Whole(1, 10 ** 4, example=300), seed=Whole(0, 2 ** 32 - 1, example=0),
         on_update=Optional(Function("a function of (model, history)", "lambda model, history: print(len(history))")),
         num_updates=Whole(1, 1000, example=4), data=Optional(PlaygroundData()), error=DemoError)
@single_threaded
def train_playground(dataset="xor", noise=0.1, train_ratio=0.7, hidden_layers=1, units=4, activation="tanh",
                     lr=0.1, l2=0.0, epochs=300, seed=0, on_update=None, num_updates=4, data=None):
    """Train an MLP classifier on a 2-D data set with Adam (full batch); return model, history and accuracies.

    ``l2`` is the L2 penalty (Adam's ``weight_decay``). ``on_update(model, history)`` is called
    ``num_updates`` times while training runs (the widget redraws there). ``data`` is what
    ``playground_data`` returns, when you already have it. Returns a dict with ``"model"``,
    ``"history"`` (train/val loss and accuracy per epoch; "val" is the test split here),
    ``"train_acc"``, ``"test_acc"`` and ``"data"``.

    >>> result = train_playground()   # XOR, 1 hidden layer of 4 tanh units
    >>> result["test_acc"]
    1.0
    """
    data = playground_data(dataset, noise, train_ratio, seed=seed) if data is None else data
    torch.manual_seed(seed)
    num_classes = int(data["y_train"].max()) + 1
    model = make_mlp(2, hidden_layers, units, activation, num_classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=l2)
    callbacks = [] if on_update is None else [EveryFewEpochs(on_update, epochs, num_updates)]
    history = fit(model, (data["X_train"], data["y_train"]), nn.CrossEntropyLoss(), optimizer, epochs,
                  val_data=(data["X_test"], data["y_test"]), metrics={"acc": accuracy},
                  callbacks=callbacks, progress=False)
    return {"model": model, "history": history, "train_acc": history["train_acc"][-1],
            "test_acc": history["val_acc"][-1], "data": data}


def _draw_data(ax, data):
    for part, marker, size in (("train", "o", 25), ("test", "^", 40)):
        X, y = data[f"X_{part}"], data[f"y_{part}"]
        colors = [CLASS_COLORS[int(c)] for c in y]
        ax.scatter(X[:, 0], X[:, 1], c=colors, marker=marker, s=size, edgecolors="k", linewidths=0.5, label=part)
    ax.legend(loc="best")
    ax.set_title("the data (press Train)")


def playground():
    """A PyTorch playground: pick data and a network, press Train, watch the boundary and the losses."""
    start = defaults(train_playground)
    controls = {
        "dataset": W.Dropdown(options=[(d.label, name) for name, d in DATASETS.items()], value=start["dataset"],
                              description="Data set", style=STYLE),
        "noise": slider(W.FloatSlider, "Noise", start["noise"], 0.0, 0.5, 0.05, ".2f"),
        "train_ratio": slider(W.FloatSlider, "Training share", start["train_ratio"], 0.1, 0.9, 0.1, ".0%"),
        "hidden_layers": slider(W.IntSlider, "Hidden layers", start["hidden_layers"], 0, 4, 1),
        "units": slider(W.IntSlider, "Hidden units", start["units"], 1, 16, 1),
        "activation": W.Dropdown(options=[(a.label, name) for name, a in ACTIVATIONS.items()],
                                 value=start["activation"], description="Activation", style=STYLE),
        "lr": log_slider("Learning rate", start["lr"], -3, 0),
        "l2": W.SelectionSlider(options=[("0", 0.0), ("0.0001", 1e-4), ("0.001", 1e-3), ("0.01", 1e-2),
                                         ("0.1", 0.1)], value=start["l2"], description="L2 penalty", style=STYLE,
                                continuous_update=False),
        "epochs": slider(W.IntSlider, "Epochs", start["epochs"], 50, 1000, 50),
    }
    c = list(controls.values())
    box = Explorer("Playground", controls, button("Train"), rows=[W.HBox(c[:3]), W.HBox(c[3:6]), W.HBox(c[6:])])

    def current_data():
        k = box.values()
        return playground_data(k["dataset"], k["noise"], k["train_ratio"])

    def draw(model, history, data, text):
        fig, (left, right) = new_figure()
        plot_decision_boundary(model, data["X_train"], data["y_train"], X_test=data["X_test"],
                               y_test=data["y_test"], ax=left, resolution=120,
                               title=f"decision boundary after {len(history)} epochs")
        plot_history(history, keys=["train_loss", "val_loss"], ax=right)
        right.set_yscale("log")                               # a spike must not flatten the rest of the curve
        right.set_title("loss, log scale (validation = the test points)")
        box.show(fig, text)

    def preview(_=None):
        fig, (left, right) = new_figure()
        _draw_data(left, current_data())
        right.set_axis_off()
        box.show(fig, "Choose the knobs, then press <b>Train</b>.")

    def train():
        k, data = box.values(), current_data()          # the data is made once per click

        def on_update(model, history):
            if len(history) < k["epochs"]:
                draw(model, history, data, f"Training... epoch {len(history)} of {k['epochs']}, "
                                           f"test accuracy {history['val_acc'][-1]:.1%}")

        result = box.result = train_playground(**k, data=data, on_update=on_update, num_updates=3)
        losses = result["history"]["train_loss"]
        peak = max(range(len(losses)), key=losses.__getitem__)
        spike = (f" The loss spiked to {losses[peak]:.3g} at epoch {peak + 1} (a step overshot: try a smaller "
                 "learning rate) before it came back down." if peak > 0 and losses[peak] > 2 * losses[0] else "")
        draw(result["model"], result["history"], data,
             f"<b>Test accuracy: {result['test_acc']:.1%}</b> (train {result['train_acc']:.1%}) after "
             f"{k['epochs']} epochs, final train loss {losses[-1]:.4f}.{spike}")

    for key in ("dataset", "noise", "train_ratio"):
        controls[key].observe(preview, "value")
    box.button.on_click(lambda _: busy(box, train, "Training...", expected=(TrainingDiverged,)))
    preview()
    return box
