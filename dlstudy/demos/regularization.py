"""Over-fitting and its cures: ``train_regularized`` (dropout, weight decay) and the ``regularization_explorer``."""

import ipywidgets as W
import torch
from torch import nn

from dlstudy.data import make_polynomial
from dlstudy.contract import Number, Whole, declare
from dlstudy.demos.base import (
    DemoError, Explorer, busy, button, defaults, legend_below, new_figure, single_threaded, slider,
)
from dlstudy.demos.catalog import CLASS_COLORS
from dlstudy.plots.curves import plot_history
from dlstudy.train import TrainingDiverged, evaluate, fit, predict

__all__ = ["regularization_data", "train_regularized", "regularization_explorer"]


@declare(seed=Whole(0, 2 ** 32 - 1, example=0), error=DemoError)
def regularization_data(seed=0):
    """20 noisy training points of a parabola (x in [-1, 1]) and 100 validation points, as a dict.

    >>> {k: tuple(v.shape) for k, v in regularization_data().items()}
    {'X_train': (20, 1), 'y_train': (20, 1), 'X_val': (100, 1), 'y_val': (100, 1)}
    """
    X, y = make_polynomial(120, coeffs=(0.0, 1.0, -0.3), noise=1.0, seed=seed)
    X = X / 3                                                     # inputs in [-1, 1]
    return {"X_train": X[:20], "y_train": y[:20], "X_val": X[20:], "y_val": y[20:]}


@declare(dropout=Number(0, 1, example=0.5, high_open=True), weight_decay=Number(0, 10, example=0.01),
         epochs=Whole(1, 10 ** 4, example=200), seed=Whole(0, 2 ** 32 - 1, example=0), error=DemoError)
@single_threaded
def train_regularized(dropout=0.0, weight_decay=0.0, epochs=200, seed=0):
    """Fit a wide MLP to 20 noisy points of a parabola (it over-fits); return curves and final losses.

    ``dropout`` is the drop probability after each hidden layer; ``weight_decay`` is AdamW's
    decoupled weight decay. The final ``"train_loss"`` and ``"val_loss"`` are measured in eval mode
    (dropout off) by ``evaluate``; ``"gap"`` = val - train. Also ``"history"``, ``"model"``, ``"data"``.

    >>> plain, dropped = train_regularized(), train_regularized(dropout=0.5)
    >>> dropped["gap"] < plain["gap"]
    True
    """
    data = regularization_data(seed)
    train, val = (data["X_train"], data["y_train"]), (data["X_val"], data["y_val"])
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Dropout(dropout),
                          nn.Linear(64, 64), nn.Tanh(), nn.Dropout(dropout), nn.Linear(64, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.03, weight_decay=weight_decay)
    history = fit(model, train, nn.MSELoss(), optimizer, epochs, val_data=val, progress=False)
    train_loss, val_loss = evaluate(model, train, nn.MSELoss())["loss"], evaluate(model, val, nn.MSELoss())["loss"]
    return {"history": history, "train_loss": train_loss, "val_loss": val_loss, "gap": val_loss - train_loss,
            "model": model, "data": data}


def _draw_data(ax, data):
    ax.scatter(data["X_val"][:, 0], data["y_val"][:, 0], s=8, color="lightgray", label="validation")
    ax.scatter(data["X_train"][:, 0], data["y_train"][:, 0], s=25, color=CLASS_COLORS[0], label="train")


def regularization_explorer():
    """Dropout and weight decay on a network that over-fits 20 points: train vs validation curves."""
    start = defaults(train_regularized)
    controls = {"dropout": slider(W.FloatSlider, "Dropout", start["dropout"], 0.0, 0.8, 0.05, ".2f"),
                "weight_decay": slider(W.FloatSlider, "Weight decay", start["weight_decay"], 0.0, 3.0, 0.1, ".1f"),
                "epochs": slider(W.IntSlider, "Epochs", start["epochs"], 50, 500, 50)}
    box = Explorer("RegularizationExplorer", controls, button("Train"))
    previous = []

    def run():
        result = box.result = train_regularized(**box.values())
        fig, (left, right) = new_figure()
        plot_history(result["history"], keys=["train_loss", "val_loss"], ax=left)
        left.set_yscale("log")
        for line, label in zip(left.get_lines(), ("train loss while training (dropout on)", "validation loss")):
            line.set_label(label)
        legend_below(left, ncol=1)
        data = result["data"]
        _draw_data(right, data)
        X_all = torch.cat([data["X_train"], data["X_val"]])
        x = torch.linspace(float(X_all.min()), float(X_all.max()), 200).reshape(-1, 1)
        right.plot(x[:, 0], predict(result["model"], x)[:, 0], color="red", label="network")   # dropout off
        right.legend(loc="best")
        right.set_title("what the network learned")
        before = f" (last run: {previous[-1]:.3f})" if previous else ""
        previous.append(result["gap"])
        box.show(fig, f"Train loss {result['train_loss']:.3f}, validation loss {result['val_loss']:.3f}: "
                      f"<b>gap {result['gap']:.3f}</b>{before}. Both measured after training with dropout off, "
                      "so the train loss is lower than the curve, which was recorded with dropout on.")

    box.button.on_click(lambda _: busy(box, run, "Training...", expected=(TrainingDiverged,)))
    fig, (left, right) = new_figure()
    _draw_data(right, regularization_data())
    right.legend(loc="best")
    right.set_title("20 training points: easy to memorize")
    left.set_axis_off()
    box.show(fig, "Set dropout and weight decay, then press <b>Train</b>.")
    return box
