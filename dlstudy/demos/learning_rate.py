"""The learning rate: gradient descent on a line fit, ``run_gradient_descent``, and the ``lr_explorer`` widget."""

import html
import math

import ipywidgets as W
import torch
from torch import nn

from dlstudy.data import make_linear
from dlstudy.contract import Number, Whole, declare
from dlstudy.demos.base import (
    DemoError, Explorer, defaults, legend_below, log_slider, new_figure, single_threaded, slider,
)
from dlstudy.plots.curves import plot_history
from dlstudy.train import TrainingDiverged, fit

__all__ = ["run_gradient_descent", "lr_explorer"]

STATUS_COLORS = {"diverged": "#c0392b", "slow": "#d35400", "converged": "#1e8449"}


@declare(lr=Number(0, 100, example=0.05, low_open=True), num_steps=Whole(1, 10 ** 4, example=50),
         seed=Whole(0, 2 ** 32 - 1, example=0), error=DemoError)
@single_threaded
def run_gradient_descent(lr=0.05, num_steps=50, seed=0):
    """Full-batch gradient descent on y = 2x + 1 + noise with ``lr``; a diverging run is reported, not raised.

    Returns a dict: ``"losses"`` (one per step, before the update; finite ones only), ``"diverged"``,
    ``"status"`` ("diverged", "slow" or "converged"), ``"message"`` (the reason in words),
    ``"critical_lr"`` (2 / the largest curvature: above it, gradient descent diverges),
    ``"min_loss"`` (the least-squares optimum), ``"w"``, ``"b"``, ``"history"``, ``"model"``, ``"data"``.

    >>> run_gradient_descent(lr=0.05)["status"], run_gradient_descent(lr=1.0)["diverged"]
    ('converged', True)
    """
    X, y = make_linear(100, w=(2.0,), b=1.0, noise=0.5, seed=seed)
    A = torch.cat([X, torch.ones_like(X)], dim=1)                       # columns: x, 1
    hessian = 2 * A.T @ A / len(X)                                      # of the MSE in (w, b)
    critical_lr = 2 / torch.linalg.eigvalsh(hessian).max().item()
    min_loss = torch.mean((A @ torch.linalg.lstsq(A, y).solution - y) ** 2).item()
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.zero_(), model.bias.zero_()                      # every run starts at w = b = 0
    try:
        history = fit(model, (X, y), nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=lr), num_steps,
                      progress=False)
    except TrainingDiverged as error:
        history = error.history                                         # the steps before the overflow
    losses = history["train_loss"]
    diverged = len(losses) < num_steps or not math.isfinite(losses[-1]) or losses[-1] > losses[0]
    if diverged:
        status = "diverged"
        message = (f"Diverged: lr={lr:.3g} is above the critical learning rate {critical_lr:.3g}, so every "
                   "step jumps past the minimum and lands higher up the other side; the loss grows "
                   "until the numbers overflow. Use a smaller learning rate.")
    elif losses[-1] > 1.05 * min_loss:
        status = "slow"
        message = (f"Too slow: after {num_steps} steps the loss is {losses[-1]:.3g}, still above the best "
                   f"possible {min_loss:.3g}. lr={lr:.3g} takes tiny steps; try a larger one "
                   f"(below {critical_lr:.3g}).")
    else:
        status = "converged"
        message = f"Converged: the loss reached {losses[-1]:.3g} (the best possible is {min_loss:.3g})."
    return {"losses": losses, "diverged": diverged, "status": status, "message": message, "lr": lr,
            "critical_lr": critical_lr, "min_loss": min_loss, "w": model.weight.item(), "b": model.bias.item(),
            "history": history, "model": model, "data": (X, y)}


def lr_explorer():
    """Gradient descent on a line fit with a log-scale learning-rate slider; divergence is explained."""
    start = defaults(run_gradient_descent)
    controls = {"lr": log_slider("Learning rate", start["lr"], -4, 0),
                "num_steps": slider(W.IntSlider, "Steps", start["num_steps"], 10, 200, 10)}
    box = Explorer("LRExplorer", controls)

    def update(_=None):
        result = box.result = run_gradient_descent(controls["lr"].value, controls["num_steps"].value)
        fig, (left, right) = new_figure()
        plot_history({"train_loss": result["losses"]}, ax=left)
        if not result["diverged"]:                                      # (off the chart when it blows up)
            left.axhline(result["min_loss"], color="gray", linestyle="--", label="best possible (least squares)")
        left.set_yscale("log")
        left.set_xlim(0, controls["num_steps"].value)               # the steps asked for, even after an overflow
        left.set_xlabel("step")
        legend_below(left)
        left.set_title("loss per step")
        X, y = result["data"]
        right.scatter(X[:, 0], y[:, 0], s=12, color="gray", label="data")
        if not result["diverged"]:
            line = torch.stack([X.min(), X.max()])                       # across the data's range
            right.plot(line, result["w"] * line + result["b"], color="red",
                       label=f"y = {result['w']:.2f} x + {result['b']:.2f}")
        right.set_title("the fitted line" if not result["diverged"] else "no line: the weights blew up")
        right.legend(loc="upper left")
        steps = controls["num_steps"].value
        ran = (f" The loss overflowed after {len(result['losses'])} of the {steps} steps, so more steps change nothing."
               if len(result["losses"]) < steps else "")
        box.show(fig, html.escape(result["message"] + ran), STATUS_COLORS[result["status"]])

    for control in controls.values():
        control.observe(update, "value")
    update()
    return box
