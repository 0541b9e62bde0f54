"""Curves: loss and metrics per epoch (``plot_history``, the ``LivePlot`` callback) and functions.

Every function returns the matplotlib Figure it drew on; ``ax=`` draws into an Axes you have.
"""

import math
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from dlstudy.callbacks import ORDER, Callback
from dlstudy.contract import ArgumentValueError, Flag, Function, Number, Optional, Rule, Span, Text, declare, shown
from dlstudy.display import figure_to_png, in_notebook
from dlstudy.plots.common import AX, axes_or_new

__all__ = ["plot_history", "LivePlot", "plot_function"]


class Recorded(Rule):
    """What ``fit`` returns (a History) or a dict of lists of numbers: ``{'train_loss': [0.9, 0.5]}``."""

    def check(self, value, name):
        if not (hasattr(value, "keys") and hasattr(value, "__getitem__")) or isinstance(value, type):
            self.fail(name, "what fit returns (a History) or a dict of lists such as {'train_loss': [0.9, 0.5]}",
                      value)
        curves = {}
        for key in value.keys():
            values = value[key]
            if not isinstance(key, str) or isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
                self.fail(name, "a dict of lists of numbers, such as {'train_loss': [0.9, 0.5]}",
                          values, f"Its entry {key!r} is {shown(values)}.")
            values = values.tolist() if hasattr(values, "tolist") else list(values)
            if any(isinstance(v, (bool, str)) or not isinstance(v, (int, float)) for v in values):
                bad = next(v for v in values if isinstance(v, (bool, str)) or not isinstance(v, (int, float)))
                self.fail(name, "a dict of lists of numbers, such as {'train_loss': [0.9, 0.5]}", bad,
                          f"{key!r} holds {shown(bad)}; record float(loss), not the tensor or text.")
            curves[key] = [float(v) for v in values]
            bad = [i for i, v in enumerate(curves[key]) if not math.isfinite(v)]
            if bad:                                      # a line skips NaN without a trace: say it instead
                raise (self.error or ArgumentValueError)(
                    f"{name}[{key!r}] holds {curves[key][bad[0]]} at epoch {bad[0] + 1}, which a curve cannot show "
                    f"(the training diverged there?). Plot the epochs before it, e.g. "
                    f"{{{key!r}: {name}[{key!r}][:{bad[0]}]}}, or lower the learning rate and train again.")
        return curves


class KeyNames(Rule):
    """One recorded name (``'val_loss'``, wrapped into a list on purpose) or a list of names."""

    def check(self, value, name):
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, (list, tuple)) or not names or not all(isinstance(k, str) for k in names):
            self.fail(name, "a recorded name such as 'val_loss' or a list of names", value)
        return list(names)


HISTORY = Recorded()


def _history_groups(history, keys):
    """{"loss": ["train_loss", "val_loss"], "acc": [...]}: one panel per quantity."""
    recorded = list(history.keys())
    keys = recorded if keys is None else keys
    if not keys:
        raise ValueError("The history is empty: train for at least one epoch first.")
    groups = {}
    for key in keys:
        if key not in recorded:
            raise KeyError(f"The history has no {key!r}; it recorded {recorded}. (val_... needs val_data, "
                           "a metric needs metrics=... in fit.)")
        if not len(history[key]):
            raise ValueError(f"The history's {key!r} has no values yet: train for at least one epoch first.")
        name = key.split("_", 1)[1] if key.startswith(("train_", "val_")) else key
        groups.setdefault(name, []).append(key)
    return groups


def _draw_history(history, groups, panels):
    """Draw each group into its own panel, or every key into one panel when ``panels`` has one."""
    single = len(panels) == 1 and len(groups) > 1
    for panel, (name, keys) in zip(panels * len(groups) if single else panels, groups.items()):
        for key in keys:
            values = [float(v) for v in history[key]]
            label = key if single else {"train": "train", "val": "validation"}.get(key.split("_")[0], key)
            panel.plot(range(1, len(values) + 1), values, label=label, marker="o" if len(values) == 1 else None)
        panel.set(title="training history" if single else name, ylabel="value" if single else name, xlabel="epoch")
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))
        panel.legend()


@declare(history=HISTORY, keys=Optional(KeyNames()), ax=AX)
def plot_history(history, keys=None, ax=None):
    """Loss and metrics per epoch, train next to validation: one panel per quantity (one in ``ax``).

    ``history`` is what ``fit`` returns, or a dict of lists such as ``{"train_loss": [...]}``.

    >>> fig = plot_history({"train_loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.7, 0.6], "val_acc": [0.5, 0.7, 0.8]})
    >>> [a.get_title() for a in fig.axes], [len(a.lines) for a in fig.axes]
    (['loss', 'acc'], [2, 1])
    """
    groups = _history_groups(history, keys)
    if ax is not None:
        _draw_history(history, groups, [ax])
        return ax.figure
    fig, axes = plt.subplots(1, len(groups), figsize=(5 * len(groups), 3.5), squeeze=False)
    _draw_history(history, groups, list(axes[0]))
    fig.tight_layout()
    return fig


class LivePlot(Callback):
    """A callback for ``fit``: one figure of the loss curves, redrawn in place in a notebook after each epoch.

    ``fit(..., callbacks=[LivePlot()])``. You can also drive it yourself with ``update(history)``.

    It uses a display handle, so the picture changes without flicker. It draws at most once
    per ``update`` and at most every ``min_interval`` seconds; ``close()`` draws the last
    state and releases the figure. Outside a notebook it draws into ``.fig`` and shows nothing.

    >>> live = LivePlot(); live.update({"train_loss": [0.9, 0.5]}); live.fig.axes[0].get_title()
    'loss'
    >>> live.close()
    """

    order = ORDER["LivePlot"]   # after the metrics, validation and early stopping of the epoch

    @declare(min_interval=Number(0, example=0.5))
    def __init__(self, min_interval=0.5):
        self.fig = Figure(figsize=(5, 3.5))   # not registered with pyplot, so never shown twice
        self.handle = None
        self.min_interval = min_interval
        self._last_draw, self._pending = None, None

    def on_epoch_end(self, state):
        self.update(state.history)

    def on_train_end(self, state):
        self.close()

    def update(self, history):
        """Redraw the curves from ``history`` and refresh the picture (or wait if it was just drawn)."""
        if self._last_draw is not None and time.monotonic() - self._last_draw < self.min_interval:
            self._pending = history
            return
        self._pending = None
        history = HISTORY.check(history, "history")
        groups = _history_groups(history, None)
        self.fig.clear()
        self.fig.set_size_inches(5 * len(groups), 3.5)
        _draw_history(history, groups, list(self.fig.subplots(1, len(groups), squeeze=False)[0]))
        self.fig.tight_layout()
        self._last_draw = time.monotonic()
        if in_notebook():
            from IPython.display import Image, display
            image = Image(data=figure_to_png(self.fig, close=False), format="png", retina=True)
            if self.handle is None:
                self.handle = display(image, display_id=True)
            else:
                self.handle.update(image)

    def close(self):
        """Draw the final state if an update was skipped, then release the figure."""
        if self._pending is not None:
            self._last_draw = None
            self.update(self._pending)
        plt.close(self.fig)

    def __repr__(self):
        return f"LivePlot({'showing' if self.handle is not None else 'not shown yet'})"


@declare(f=Function("a function of a tensor", "torch.sigmoid"), x_range=Span((-6, 6)), derivative=Flag(), ax=AX,
         label=Optional(Text("'sigmoid'")))
def plot_function(f, x_range=(-6, 6), derivative=True, ax=None, label=None):
    """An elementwise function such as ``torch.sigmoid`` and (dashed) its derivative from autograd.

    >>> fig = plot_function(torch.sigmoid)
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['sigmoid', "sigmoid' (autograd)"]
    """
    name = label or getattr(f, "__name__", type(f).__name__)
    name = "f" if name == "<lambda>" else name
    low, high = x_range
    if isinstance(f, np.ufunc):
        raise TypeError(f"f is NumPy's np.{f.__name__}, which cannot follow autograd. Use the torch version, "
                        f"torch.{f.__name__}, or write f with torch operations.")
    x = torch.linspace(low, high, 601, requires_grad=True)
    try:
        y = f(x)
    except Exception as error:
        raise TypeError(f"{name}(x) failed on the tensor x of shape (601,): {str(error).splitlines()[0]} "
                        "f must take a torch tensor: use torch functions (torch.exp, not math.exp or "
                        "np.exp).") from None
    if not torch.is_tensor(y) or y.shape != x.shape:
        got = tuple(y.shape) if torch.is_tensor(y) else type(y).__name__
        raise ValueError(f"f must work elementwise: for x of shape (601,) it should return shape (601,); got {got}.")
    if derivative and not y.requires_grad:
        raise ValueError(f"{name}(x) does not depend on x through autograd, so it has no derivative to "
                         "draw. Use torch operations on x, or pass derivative=False.")
    fig, ax = axes_or_new(ax, (5, 3.5))
    ax.plot(x.detach().numpy(), y.detach().numpy(), label=name)
    if derivative:
        (dy,) = torch.autograd.grad(y.sum(), x)
        ax.plot(x.detach().numpy(), dy.numpy(), "--", label=f"{name}' (autograd)")
    ax.set(xlabel="x", title=f"{name} and its derivative" if derivative else name)
    ax.grid(alpha=0.3)
    ax.legend()
    return fig
