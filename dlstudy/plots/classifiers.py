"""Classifiers: decision boundaries, the confusion matrix and the ROC curve.

A model is run where it already is (in eval mode; autograd records the run only so that its last
operation, a sigmoid or not, can be read) and left in the mode it was in; the data goes to the model, never the reverse.
"""

import numpy as np
import torch

from dlstudy.contract import Array, Flag, Function, Number, Optional, Rule, Text, Whole, declare
from dlstudy.metrics import confusion_matrix, roc_auc, roc_curve
from dlstudy.modes import eval_mode, model_device
from dlstudy.plots.common import AX, axes_or_new, class_cmap, to_cpu

__all__ = ["plot_decision_boundary", "plot_confusion_matrix", "plot_roc"]


def _grid_classes(model, grid):
    """The class the model predicts at each grid point (CPU, int64), from one run of the model."""
    out, probabilities = _run_and_read(model, grid)
    if not torch.is_tensor(out):
        raise TypeError(f"The model must return a tensor; it returned {type(out).__name__}.")
    out = out.detach().cpu()
    if out.ndim == 2 and out.shape[1] > 1:
        return out.argmax(1)                          # (N, C) scores: the largest wins
    if out.shape not in ((len(grid),), (len(grid), 1)):
        raise ValueError(f"For inputs of shape {tuple(grid.shape)} the model returned shape {tuple(out.shape)}; "
                         "expected (N,), (N, 1) (binary) or (N, C) (C classes).")
    out = out.reshape(-1)
    if not out.is_floating_point():
        return out.long()                             # already class labels
    if probabilities is None:                         # autograd cannot tell: judge by the range
        probabilities = bool(out.min() >= 0 and out.max() <= 1)
    return (out >= (0.5 if probabilities else 0.0)).long()    # logit >= 0 is sigmoid >= 0.5


_SHAPE_OPS = ("View", "Squeeze", "Unsqueeze", "Reshape", "Select", "Slice", "ToCopy", "Clone", "Flatten", "Expand",
              "Permute", "Transpose", "TBackward", "Index", "Alias")


def _run_and_read(model, grid):
    """``(model(grid), ends_in_sigmoid)``: the model runs once in eval mode, with autograd recording only so
    that its last operation can be read (a sigmoid: its outputs are probabilities; else logits; None: unknown)."""
    weight = next((t for t in model.parameters()), None) if isinstance(model, torch.nn.Module) else None
    x = grid.to(model_device(model))
    if weight is not None and weight.is_floating_point():
        x = x.to(weight.dtype)
    x.requires_grad_(True)
    with eval_mode(model), torch.enable_grad():
        out = model(x)
    node = out.grad_fn if torch.is_tensor(out) else None
    while node is not None and type(node).__name__.startswith(_SHAPE_OPS) and node.next_functions:
        node = node.next_functions[0][0]
    return (out.detach() if torch.is_tensor(out) else out), (
        None if node is None else type(node).__name__.startswith("Sigmoid"))


def _class_labels(y, name):
    """Class labels as int64: floats must be whole numbers (a probability would silently become class 0)."""
    if y.is_floating_point() and (not torch.isfinite(y).all() or not torch.equal(y, y.round())):
        bad = y[~torch.isfinite(y) | (y != y.round())][0].item()
        raise ValueError(f"{name} must hold class labels, whole numbers such as 0 and 1; got {bad}. For "
                         f"probabilities, pass ({name} >= 0.5).long().")
    return y.long()


POINTS = Array(ndim=(2,), what="points, one row per point", example="X of shape (N, 2)")
LABELS = Array(ndim=(1, 2), what="class labels, one per point", example="torch.tensor([0, 1, 1])")


@declare(model=Function("a model", "nn.Linear(2, 2), or a function of a tensor"), X=POINTS, y=LABELS,
         X_test=Optional(POINTS), y_test=Optional(LABELS), ax=AX, title=Optional(Text("'a linear boundary'")),
         resolution=Whole(2, 1000, example=200))
def plot_decision_boundary(model, X, y, *, X_test=None, y_test=None, ax=None, title=None, resolution=200):
    """The regions where ``model`` predicts each class, with the points ``X`` (and ``X_test``) on top.

    One output is read as a probability when the model's last operation is a sigmoid (thresholded
    at 0.5), else as a logit (thresholded at 0); C outputs by argmax. The model stays on its device and in its mode.

    >>> net = torch.nn.Linear(2, 1); X = torch.randn(20, 2); y = (X[:, 0] > 0).long()
    >>> fig = plot_decision_boundary(net, X, y, title="a linear boundary")
    >>> fig.axes[0].get_title(), len(fig.axes[0].collections[-1].get_offsets())
    ('a linear boundary', 20)
    """
    X, y = to_cpu(X).float(), _class_labels(to_cpu(y).reshape(-1), "y")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary draws two input features: X must have shape (N, 2); "
                         f"got {tuple(X.shape)}.")
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} points but y has {len(y)} labels.")
    points = X
    if (X_test is None) != (y_test is None):
        raise ValueError("Pass X_test and y_test together (the test points and their labels).")
    if X_test is not None:
        X_test, y_test = to_cpu(X_test).float(), _class_labels(to_cpu(y_test).reshape(-1), "y_test")
        if X_test.ndim != 2 or X_test.shape[1] != 2 or len(X_test) != len(y_test) or not torch.isfinite(X_test).all():
            raise ValueError(f"X_test must be finite points of shape (N, 2) like X, with one label each in y_test; "
                             f"got X_test {tuple(X_test.shape)} and y_test {tuple(y_test.shape)}.")
        points = torch.cat([X, X_test])
    low, high = points.min(0).values, points.max(0).values
    pad = 0.1 * (high - low) + 0.1
    xs = torch.linspace(float(low[0] - pad[0]), float(high[0] + pad[0]), resolution)
    ys = torch.linspace(float(low[1] - pad[1]), float(high[1] + pad[1]), resolution)
    gx, gy = torch.meshgrid(xs, ys, indexing="xy")
    try:
        classes = _grid_classes(model, torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)).reshape(gx.shape)
    except RuntimeError as error:
        modules = model.modules() if isinstance(model, torch.nn.Module) else []
        first = next((m for m in modules if hasattr(m, "in_features")), None)
        expects = f"; its first layer expects {first.in_features} (in_features)" if first is not None else ""
        raise ValueError(f"model cannot take points with 2 features{expects}. plot_decision_boundary draws "
                         "models of two inputs, X of shape (N, 2). PyTorch said: "
                         f"{str(error).splitlines()[0]}") from None
    labels = [classes.max(), y.max()] + ([y_test.max()] if X_test is not None else [])
    num_classes = max(2, int(max(labels)) + 1)
    cmap = class_cmap(num_classes)
    fig, ax = axes_or_new(ax, (5, 4.5))
    ax.contourf(gx.numpy(), gy.numpy(), classes.numpy(), levels=np.arange(num_classes + 1) - 0.5,
                cmap=cmap, alpha=0.3)
    style = dict(cmap=cmap, vmin=-0.5, vmax=num_classes - 0.5, edgecolors="k", linewidths=0.5)
    ax.scatter(X[:, 0].numpy(), X[:, 1].numpy(), c=y.numpy(), s=25, label="train", **style)
    if X_test is not None:
        ax.scatter(X_test[:, 0].numpy(), X_test[:, 1].numpy(), c=y_test.numpy(), s=40, marker="^",
                   label="test", **style)
        ax.legend(loc="best")
    ax.set(xlabel="x1", ylabel="x2", title="decision boundary" if title is None else title)
    return fig


class Names(Rule):
    """Class names: a list (or tuple) of names, one per class."""

    def check(self, value, name):
        if isinstance(value, dict) and sorted(value) == list(range(len(value))):
            return [value[k] for k in range(len(value))]           # {0: 'cat', 1: 'dog'}
        if isinstance(value, str) or not isinstance(value, (list, tuple)) and not hasattr(value, "tolist"):
            self.fail(name, "a list of names, one per class, such as ['cat', 'dog']", value)
        names = list(value.tolist() if hasattr(value, "tolist") else value)
        if not names:
            self.fail(name, "a list of names, one per class, such as ['cat', 'dog']", value)
        return names


PREDS = Array(ndim=(1, 2), what="class labels or scores (N, C)", example="torch.tensor([0, 1, 1])")


@declare(preds=PREDS, target=Array(ndim=(1,), what="class labels", example="torch.tensor([0, 1, 0])"),
         class_names=Optional(Names()), normalize=Flag(), ax=AX)
def plot_confusion_matrix(preds, target, class_names=None, normalize=False, ax=None):
    """The confusion matrix as a picture: rows are the true class, columns the predicted class.

    ``normalize=True`` divides each row by its count, so the diagonal shows each class's recall.

    >>> fig = plot_confusion_matrix(torch.tensor([0, 1, 1, 2]), torch.tensor([0, 1, 2, 2]))
    >>> len(fig.axes[0].texts), fig.axes[0].get_xlabel()
    (9, 'predicted class')
    """
    counts = confusion_matrix(preds, target)
    if class_names is not None:
        if len(class_names) < len(counts):
            raise ValueError(f"class_names has {len(class_names)} names, but the labels go up to {len(counts) - 1}.")
        counts = confusion_matrix(preds, target, num_classes=len(class_names))
    num_classes = len(counts)
    values = counts.double()
    if normalize:
        values = values / values.sum(1, keepdim=True).clamp(min=1)
    vmax = 1.0 if normalize else max(float(values.max()), 1.0)
    fig, ax = axes_or_new(ax, (1.2 + 0.7 * num_classes, 0.8 + 0.7 * num_classes))
    ax.imshow(values.numpy(), cmap="Blues", vmin=0, vmax=vmax)
    for i in range(num_classes):
        for j in range(num_classes):
            value = float(values[i, j])
            ax.text(j, i, f"{value:.2f}" if normalize else str(int(value)), ha="center", va="center",
                    color="white" if value > vmax / 2 else "black")
    names = [str(name) for name in (class_names or range(num_classes))]
    rotation = 45 if max(len(name) for name in names) > 3 else 0
    ax.set_xticks(range(num_classes), names, rotation=rotation)
    ax.set_yticks(range(num_classes), names)
    ax.set(xlabel="predicted class", ylabel="true class",
           title="confusion matrix" + (" (each row sums to 1)" if normalize else ""))
    return fig


@declare(scores=Array(ndim=(1, 2), what="scores, one per sample", example="torch.tensor([0.1, 0.8])"),
         target=Array(ndim=(1,), what="class labels 0 and 1", example="torch.tensor([0, 1])"),
         threshold=Optional(Number(example=0.5)), ax=AX)
def plot_roc(scores, target, threshold=None, ax=None):
    """The ROC curve with its AUC, the chance diagonal and, if given, the point of ``threshold``.

    >>> fig = plot_roc(torch.tensor([0.1, 0.4, 0.35, 0.8]), torch.tensor([0, 0, 1, 1]), threshold=0.5)
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['ROC (AUC = 0.750)', 'chance (AUC = 0.5)']
    """
    fpr, tpr, thresholds = roc_curve(scores, target)
    fig, ax = axes_or_new(ax, (4.5, 4.5))
    ax.plot(fpr.numpy(), tpr.numpy(), label=f"ROC (AUC = {roc_auc(scores, target):.3f})")
    ax.plot([0, 1], [0, 1], "--", color="gray", label="chance (AUC = 0.5)")
    if threshold is not None:
        i = int((thresholds >= threshold).sum()) - 1       # predicted positive: score >= threshold
        ax.scatter([float(fpr[i])], [float(tpr[i])], s=60, color="red", zorder=3,
                   label=f"threshold {threshold:g}: FPR {float(fpr[i]):.2f}, TPR {float(tpr[i]):.2f}")
    ax.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), aspect="equal", title="ROC curve",
           xlabel="false positive rate (FPR)", ylabel="true positive rate (TPR = recall)")
    ax.legend(loc="lower right")
    return fig
