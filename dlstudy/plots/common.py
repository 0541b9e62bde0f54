"""What every plotting module shares: CPU copies of tensors, a new or given Axes, the class colours."""

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes as _MatplotlibAxes
from matplotlib.colors import ListedColormap, to_hex

from dlstudy.contract import Number, Optional, Rule

__all__ = ["CLASS_COLORS", "class_cmap", "to_cpu", "axes_or_new", "Axes", "AX", "FigSize", "FIGSIZE"]

CLASS_COLORS = tuple(to_hex(c) for c in plt.get_cmap("tab10").colors)   # class k is drawn in CLASS_COLORS[k]


def class_cmap(num_classes):
    """A colormap with one colour per class: ``CLASS_COLORS`` up to 10 classes, viridis beyond.

    >>> class_cmap(2).colors == list(CLASS_COLORS[:2])
    True
    """
    if num_classes <= len(CLASS_COLORS):
        return ListedColormap(list(CLASS_COLORS[:num_classes]))
    return ListedColormap(plt.get_cmap("viridis")(np.linspace(0, 1, num_classes)))


def to_cpu(x):
    """A detached CPU copy of a tensor (lists of tensors are stacked; lists and arrays become tensors).

    >>> to_cpu([1.0, 2.0])
    tensor([1., 2.], dtype=torch.float64)
    """
    if torch.is_tensor(x):
        return x.detach().cpu()
    if isinstance(x, (list, tuple)) and x and torch.is_tensor(x[0]):
        return torch.stack([t.detach().cpu() for t in x])
    return torch.as_tensor(np.asarray(x))


def axes_or_new(ax, figsize):
    """``(figure, ax)`` for drawing into ``ax``, or a new pyplot figure of ``figsize`` when ``ax`` is None."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


class Axes(Rule):
    """A matplotlib Axes to draw into (``fig, ax = plt.subplots()``); a Figure, an array of Axes or text is refused."""

    def check(self, value, name):
        if isinstance(value, _MatplotlibAxes):
            return value
        fix = "Pass one panel, e.g. ax=axes[0]." if isinstance(value, (np.ndarray, list, tuple)) else \
            "Pass one of its panels: fig.axes[0], or make one with fig, ax = plt.subplots()." \
            if hasattr(value, "axes") and hasattr(value, "savefig") else \
            "Make one with fig, ax = plt.subplots(), or leave ax out for a new figure."
        self.fail(name, "a matplotlib Axes (one panel)", value, fix)


AX = Optional(Axes())      # ``ax=None``: a new figure


class FigSize(Rule):
    """A figure size in inches: two numbers (width, height), each above 0 and at most 50."""

    def check(self, value, name):
        inches = Number(0, 50, example=6, low_open=True)
        try:
            width, height = (inches.check(v, name) for v in value)
        except (TypeError, ValueError):
            self.fail(name, "two numbers (width, height) in inches, each above 0 and at most 50, such as (11, 3.2)",
                      value)
        return (width, height)


FIGSIZE = FigSize()
