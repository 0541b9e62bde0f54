"""Pictures for chapter 11: the LR finder's curve, learning-rate schedules, per-layer diagnostics.

Every function returns the matplotlib Figure it drew on; single-panel functions take ``ax=``.
"""

import matplotlib.pyplot as plt

from dlstudy.contract import Optional, Whole, declare
from dlstudy.plots.common import axes_or_new

__all__ = ["plot_lr_finder", "plot_lr_schedules", "plot_diagnostics"]

TARGET_UPDATE_RATIO = 1e-3   # Karpathy's rule of thumb for std(update) / std(weight)


def plot_lr_finder(finder, ax=None):
    """The range test's loss against the learning rate (log axis), raw and smoothed, with the suggestion marked."""
    if not getattr(finder, "losses", None):
        raise ValueError("The LR finder has recorded no losses yet: run it with fit(..., callbacks=[finder]) "
                         "or lr_find(...) first.")
    fig, ax = axes_or_new(ax, (6, 3.6))
    smoothed = finder.smoothed
    ax.plot(finder.lrs, finder.losses, color="tab:blue", alpha=0.25, label="loss per batch")
    ax.plot(finder.lrs, smoothed, color="tab:blue", label="smoothed")
    low = min(smoothed)
    ax.set_ylim(low - 0.1 * (smoothed[0] - low), smoothed[0] + 0.3 * (smoothed[0] - low) + 1e-3)
    ax.axvline(finder.lr_min, color="gray", linestyle=":", label=f"lowest loss, lr={finder.lr_min:.2g}")
    ax.axvline(finder.suggestion, color="tab:red", linestyle="--",
               label=f"steepest descent, lr={finder.suggestion:.2g}")
    ax.set_xscale("log")
    ax.set(xlabel="learning rate (log scale)", ylabel="training loss", title="Learning-rate range test")
    ax.legend(fontsize=8, loc="lower left")
    return fig


@declare(steps_per_epoch=Optional(Whole(1, example=100)))
def plot_lr_schedules(curves, ax=None, steps_per_epoch=None):
    """Draw ``{name: [lr per batch]}`` on one axis; with ``steps_per_epoch`` the x axis counts epochs."""
    if not isinstance(curves, dict):
        raise TypeError(f"curves must map a name to the lr of each batch, such as {{'cosine': [0.1, 0.09, ...]}}; "
                        f"got {type(curves).__name__}.")
    if not curves:
        raise ValueError("Give at least one schedule as {name: [lr per batch, ...]}.")
    fig, ax = axes_or_new(ax, (6, 3.4))
    for name, lrs in curves.items():
        x = range(len(lrs)) if steps_per_epoch is None else [i / steps_per_epoch for i in range(len(lrs))]
        ax.plot(list(x), list(lrs), label=name)
    ax.set(xlabel="batch" if steps_per_epoch is None else "epoch", ylabel="learning rate",
           title="Learning-rate schedules")
    ax.legend(fontsize=8)
    return fig


PANELS = (("act", "mean", "activation mean", False), ("act", "std", "activation std", False),
          ("act", "saturated", "saturated fraction", False), ("param", "grad_norm", "gradient norm", True),
          ("param", "update_ratio", "update / weight ratio", True))


def plot_diagnostics(runs, figsize=None):
    """Per-layer statistics over training, one row of five panels per run.

    ``runs`` is a ``Diagnostics`` or ``{title: Diagnostics}`` (e.g. a bad and a fixed network side by side).
    The update-ratio panel marks the 1e-3 rule of thumb.
    """
    runs = runs if isinstance(runs, dict) else {"": runs}
    for title, diag in runs.items():
        if not getattr(diag, "steps", None):
            raise ValueError(f"Diagnostics {title!r} recorded nothing: pass it to fit(..., callbacks=[diag]) first.")
    fig, axes = plt.subplots(len(runs), len(PANELS), figsize=figsize or (15, 2.9 * len(runs)), squeeze=False)
    for row, (title, diag) in zip(axes, runs.items()):
        for ax, (kind, stat, label, log) in zip(row, PANELS):
            records = diag.activations if kind == "act" else diag.params
            for name, stats in records.items():
                values = stats[stat]
                ax.plot(diag.steps[:len(values)], values, label=f"layer {name}")
            if log:
                ax.set_yscale("log")
            if stat == "update_ratio":
                ax.axhline(TARGET_UPDATE_RATIO, color="gray", linestyle="--", linewidth=1)
            if stat == "saturated":
                ax.set_ylim(-0.03, 1.03)
            ax.set_title(f"{title}: {label}" if title else label, fontsize=9)
            ax.set_xlabel("batch", fontsize=8)
            ax.tick_params(labelsize=7)
        row[0].legend(fontsize=7)
        row[3].legend(fontsize=7)
    fig.tight_layout()
    return fig
