"""Optimizer paths: the contours of a 2-D loss surface with each optimizer's steps on top."""

import inspect

import numpy as np
import torch

from dlstudy.contract import Array, Function, Mapping, Span, declare
from dlstudy.plots.common import AX, axes_or_new, to_cpu

__all__ = ["plot_optimizer_paths"]


def _surface(loss_fn_2d, X, Y):
    """Evaluate ``loss_fn_2d(x, y)`` (or ``loss_fn_2d(p)`` with p (..., 2)) on a grid."""
    try:
        required = [p for p in inspect.signature(loss_fn_2d).parameters.values()
                    if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        required = [None, None]
    with torch.no_grad():
        Z = loss_fn_2d(X, Y) if len(required) >= 2 else loss_fn_2d(torch.stack([X, Y], -1))
    if not torch.is_tensor(Z) or Z.shape != X.shape:
        got = tuple(Z.shape) if torch.is_tensor(Z) else type(Z).__name__
        raise ValueError(f"loss_fn_2d must work elementwise on a grid: for x and y of shape {tuple(X.shape)} "
                         f"it should return that shape; got {got}.")
    return Z.detach().cpu().float()


PATH = Array(ndim=(2,), finite=False, what="points visited, shape (steps, 2)", example="torch.zeros(3, 2)",
             stack=True)


@declare(loss_fn_2d=Function("a function of x and y", "lambda x, y: x ** 2 + y ** 2"),
         paths=Mapping(PATH, "{'sgd': tensor of shape (steps, 2)}", empty=True),
         x_range=Span((-2, 2)), y_range=Span((-2, 2)), ax=AX)
def plot_optimizer_paths(loss_fn_2d, paths, x_range=(-2, 2), y_range=(-2, 2), ax=None):
    """Contours of a 2-D loss surface ``loss_fn_2d(x, y)`` with each optimizer's path on top.

    ``paths`` maps a name to the points visited, a tensor of shape (steps, 2).

    >>> bowl = lambda x, y: x ** 2 + 3 * y ** 2
    >>> fig = plot_optimizer_paths(bowl, {"sgd": torch.tensor([[-1.5, 1.0], [-1.2, 0.4], [-1.0, 0.2]])})
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['sgd']
    """
    xs = torch.linspace(float(x_range[0]), float(x_range[1]), 200)
    ys = torch.linspace(float(y_range[0]), float(y_range[1]), 200)
    X, Y = torch.meshgrid(xs, ys, indexing="xy")
    Z = _surface(loss_fn_2d, X, Y)
    paths = {name: to_cpu(path).float() for name, path in paths.items()}
    for name, path in paths.items():
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"paths[{name!r}] must be points of shape (steps, 2); got {tuple(path.shape)}.")
    fig, ax = axes_or_new(ax, (5.5, 4.5))
    finite = Z[torch.isfinite(Z)].numpy()
    levels = np.unique(np.quantile(finite, np.linspace(0, 1, 25))) if finite.size else []
    if len(levels) > 1:
        ax.contour(X.numpy(), Y.numpy(), Z.numpy(), levels=levels, cmap="viridis", linewidths=0.7)
    for name, path in paths.items():
        ax.plot(path[:, 0].numpy(), path[:, 1].numpy(), ".-", markersize=3, linewidth=1.2, label=name)
    ax.set(xlim=x_range, ylim=y_range, xlabel="x", ylabel="y", title="optimizer paths")
    if paths:
        ax.legend(loc="best")
    return fig
