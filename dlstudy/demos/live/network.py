"""The live playground's input features, computed from (x1, x2), and the grid of points its pictures show.

>>> FEATURES["x1_x2"].fn(torch.tensor([[2.0, 3.0]])).tolist()
[6.0]
"""

from collections import namedtuple

import torch

__all__ = ["Feature", "FEATURES", "plane"]

Feature = namedtuple("Feature", "label fn")   # fn(X) -> one column, computed from x1 = X[:, 0], x2 = X[:, 1]

FEATURES = {
    "x1": Feature("x₁", lambda X: X[:, 0]),
    "x2": Feature("x₂", lambda X: X[:, 1]),
    "x1_sq": Feature("x₁²", lambda X: X[:, 0] ** 2),
    "x2_sq": Feature("x₂²", lambda X: X[:, 1] ** 2),
    "x1_x2": Feature("x₁x₂", lambda X: X[:, 0] * X[:, 1]),
    "sin_x1": Feature("sin x₁", lambda X: torch.sin(X[:, 0])),
    "sin_x2": Feature("sin x₂", lambda X: torch.sin(X[:, 1])),
}


def plane(bounds, n):
    """The n x n grid of points over the square ``bounds`` x ``bounds``, row 0 the top (largest x2).

    >>> plane((-1.0, 1.0), 2).tolist()
    [[-1.0, 1.0], [1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]]
    """
    ticks = torch.linspace(bounds[0], bounds[1], n)
    gy, gx = torch.meshgrid(ticks.flip(0), ticks, indexing="ij")
    return torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
