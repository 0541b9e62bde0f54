"""Pictures for chapter 11: the LR finder's curve, learning-rate schedules, per-layer diagnostics and histograms.

Every function returns the matplotlib Figure it drew on; single-panel functions take ``ax=``.
"""

import math

import matplotlib.pyplot as plt
import torch

from dlstudy.contract import Mapping, Number, Optional, Rule, Text, Values, Whole, declare
from dlstudy.plots.common import AX, FIGSIZE, axes_or_new

__all__ = ["plot_lr_finder", "plot_lr_schedules", "plot_diagnostics", "plot_histograms"]   # and two helpers of
# theirs, lr_finder_ylim and diagnostic_panels, called with arguments the plots already checked

TARGET_UPDATE_RATIO = 1e-3   # Karpathy's rule of thumb for std(update) / std(weight)


def lr_finder_ylim(losses, smoothed):
    """y-limits that show the whole smoothed curve and the lowest raw loss, but not the final explosion.

    >>> lr_finder_ylim([2.0, 0.5, 9.0], [2.0, 1.5, 3.0])
    (0.35, 2.6)
    """
    finite = [v for v in list(losses) + list(smoothed) if math.isfinite(v)]
    if not finite:
        raise ValueError("The LR finder recorded no finite loss: there is nothing to draw.")
    low, start = min(finite), smoothed[0] if math.isfinite(smoothed[0]) else max(finite)
    span = max(start - low, 1e-3)
    return round(low - 0.1 * span, 12), round(start + 0.4 * span, 12)


class Finder(Rule):
    """An ``LRFinder`` (what ``lr_find`` returns, or the callback after ``fit``): it has lrs, losses and beta."""

    def check(self, value, name):
        if isinstance(value, type) or not all(hasattr(value, a) for a in ("lrs", "losses", "beta", "suggestion")):
            self.fail(name, "an LRFinder after its run, such as lr_find(model, train_data, loss_fn, optimizer)",
                      value, "Build one with LRFinder(), pass it to fit(..., callbacks=[finder]) first."
                      if isinstance(value, type) else "")
        return value


@declare(finder=Finder(), ax=AX)
def plot_lr_finder(finder, ax=None):
    """The range test's loss against the learning rate (log axis), raw and smoothed, with the suggestion marked."""
    if not getattr(finder, "losses", None):
        raise ValueError("The LR finder has recorded no losses yet: run it with fit(..., callbacks=[finder]) "
                         "or lr_find(...) first.")
    fig, ax = axes_or_new(ax, (6, 3.6))
    smoothed = finder.smoothed
    ax.plot(finder.lrs, finder.losses, color="tab:blue", alpha=0.25, label="loss per batch")
    ax.plot(finder.lrs, smoothed, color="tab:blue", label=f"smoothed (beta={finder.beta})")
    ax.set_ylim(*lr_finder_ylim(finder.losses, smoothed))
    ax.axvline(finder.lr_min, color="gray", linestyle=":", label=f"lowest loss, lr={finder.lr_min:.2g}")
    ax.axvline(finder.suggestion, color="tab:red", linestyle="--",
               label=f"steepest descent, lr={finder.suggestion:.2g}")
    ax.set_xscale("log")
    ax.set(xlabel="learning rate (log scale)", ylabel="training loss", title="Learning-rate range test")
    ax.legend(fontsize=8, loc="lower left")
    return fig


@declare(curves=Mapping(Values(Number(0, example=0.1)), "{'cosine': [0.1, 0.09, ...]}"), ax=AX,
         steps_per_epoch=Optional(Whole(1, 10 ** 6, example=100)))
def plot_lr_schedules(curves, ax=None, steps_per_epoch=None):
    """Draw ``{name: [lr per batch]}`` on one axis; with ``steps_per_epoch`` the x axis counts epochs."""
    fig, ax = axes_or_new(ax, (6, 3.4))
    for name, lrs in curves.items():
        x = range(len(lrs)) if steps_per_epoch is None else [i / steps_per_epoch for i in range(len(lrs))]
        ax.plot(list(x), list(lrs), label=name)
    ax.set(xlabel="batch" if steps_per_epoch is None else "epoch", ylabel="learning rate",
           title="Learning-rate schedules")
    ax.legend(fontsize=8)
    return fig


PANELS = (("act", "std", "activation std", False),
          ("act", "saturated", "saturated (tanh, sigmoid)", False),
          ("act", "zero", "outputs at 0 (ReLU)", False),
          ("act", "dead", "dead units", False),
          ("param", "grad_norm", "gradient norm", True),
          ("param", "update_ratio", "update / data ratio", True))


def diagnostic_panels(runs):
    """The panels ``plot_diagnostics`` draws for these runs: a statistic no layer recorded gets no panel.

    >>> from torch import nn; from dlstudy.diagnostics import Diagnostics
    >>> d = Diagnostics(); d.watch(nn.Sequential(nn.Linear(2, 3), nn.ReLU()))
    >>> [stat for _, stat, _, _ in diagnostic_panels({"": d})]
    ['std', 'zero', 'dead', 'grad_norm', 'update_ratio']
    """
    recorded = {stat for diag in runs.values() for records in (diag.activations, diag.params)
                for stats in records.values() for stat in stats}
    return [panel for panel in PANELS if panel[1] in recorded]


def _draw_series(ax, steps, values, name, log):
    """One layer's line; on a log axis, values <= 0 cannot be drawn, so the legend says so."""
    if log and values and all(v <= 0 for v in values):
        ax.plot([], [], linestyle=":", label=f"{name}: 0 (not drawn on a log axis)")
        return
    shown = [v if (v > 0 or not log) else float("nan") for v in values]
    ax.plot(steps[:len(shown)], shown, label=name)


class Runs(Rule):
    """A ``Diagnostics`` that recorded training, or ``{title: Diagnostics}``."""

    def check(self, value, name):
        runs = value if isinstance(value, dict) else {"": value}
        if not runs:
            self.fail(name, "a Diagnostics or {title: Diagnostics}", value)
        for title, diag in runs.items():
            if not isinstance(title, str) or isinstance(diag, type) or not all(
                    hasattr(diag, a) for a in ("steps", "activations", "params")):
                self.fail(name, "a Diagnostics (fit(..., callbacks=[diag])) or {title: Diagnostics}", diag,
                          "Build one with Diagnostics(), pass it to fit, then draw it." if isinstance(diag, type)
                          else "")
            if not diag.steps:
                raise ValueError(f"{name}: Diagnostics {title!r} recorded nothing: pass it to "
                                 "fit(..., callbacks=[diag]) first.")
        return runs


class Snapshot(Rule):
    """What ``layer_snapshot(model, X, y, loss_fn)`` returns: ``{layer: {'act': tensor, 'grad': tensor}}``."""

    def check(self, value, name):
        if not isinstance(value, dict) or not all(isinstance(v, dict) and torch.is_tensor(v.get("act")) and
                                                  torch.is_tensor(v.get("grad")) for v in value.values()):
            self.fail(name, "what layer_snapshot(model, X, y, loss_fn) returns", value)
        if not value:
            raise ValueError(f"{name}: the snapshot has no activation layers (Tanh, Sigmoid or ReLU) to draw.")
        return value


@declare(runs=Runs(), figsize=Optional(FIGSIZE))
def plot_diagnostics(runs, figsize=None):
    """Per-layer statistics over training, one row of panels per run, layers named as in ``print(model)``.

    ``runs`` is a ``Diagnostics`` or ``{title: Diagnostics}`` (e.g. a bad and a fixed network side by side).
    The update-ratio panel marks the 1e-3 rule of thumb; a layer whose values are all 0 on a log panel is
    listed in that panel's legend instead of vanishing.
    """
    panels = diagnostic_panels(runs)
    fig, axes = plt.subplots(len(runs), len(panels), figsize=figsize or (2.7 * len(panels), 2.9 * len(runs)),
                             squeeze=False)
    for row, (title, diag) in zip(axes, runs.items()):
        for ax, (kind, stat, label, log) in zip(row, panels):
            records = diag.activations if kind == "act" else diag.params
            for name, stats in records.items():
                if stat in stats:
                    _draw_series(ax, diag.steps, stats[stat], name, log)
            if log:
                ax.set_yscale("log")
            if stat == "update_ratio":
                ax.axhline(TARGET_UPDATE_RATIO, color="gray", linestyle="--", linewidth=1)
            if stat in ("saturated", "zero", "dead"):
                ax.set_ylim(-0.03, 1.03)
            ax.set_title(f"{title}: {label}" if title else label, fontsize=9)
            ax.set_xlabel("batch", fontsize=8)
            ax.tick_params(labelsize=7)
            if stat in ("std", "grad_norm"):
                ax.legend(fontsize=7, title="layer", title_fontsize=7)
    fig.tight_layout()
    return fig


@declare(snapshot=Snapshot(), title=Text("'tanh network'"), bins=Whole(2, 1000, example=60), figsize=FIGSIZE)
def plot_histograms(snapshot, title="", bins=60, figsize=(11, 3.2)):
    """Makemore-style histograms of one batch, one line per layer: activations (left), their gradients (right).

    ``snapshot`` is ``dlstudy.diagnostics.layer_snapshot(model, X, y, loss_fn)``.
    """
    fig, axes = plt.subplots(1, 2, figsize=figsize)
    for ax, key, what in ((axes[0], "act", "activations"), (axes[1], "grad", "gradients of the activations")):
        for name, tensors in snapshot.items():
            values = tensors[key].flatten().float()
            counts = values.histc(bins, values.min().item(), values.max().item() + 1e-12)
            edges = [values.min().item() + (values.max().item() + 1e-12 - values.min().item()) * (i + 0.5) / bins
                     for i in range(bins)]
            ax.plot(edges, (counts / counts.sum()).tolist(), label=f"{name}: std {values.std().item():.2g}")
        ax.set(xlabel=what, ylabel="fraction of values", title=f"{title}: {what}" if title else what)
        ax.legend(fontsize=7, title="layer", title_fontsize=7)
    fig.tight_layout()
    return fig
