"""Pictures of what a network does: loss curves, decision boundaries, confusion matrices, ROC curves,
functions and their derivatives, images, feature maps, filters and optimizer paths.

Every function returns the matplotlib Figure it drew on. Tensors may live on any device:
a copy is moved to the CPU for drawing, and a model is run where it already is (in eval
mode, without gradients) and left in the mode it was in. Functions that draw a single
panel take ``ax=`` to draw into an Axes you already have.
"""

import inspect
import io
import math
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from dlstudy.graph import _in_notebook
from dlstudy.metrics import confusion_matrix, roc_auc, roc_curve

__all__ = [
    "plot_history", "plot_decision_boundary", "plot_confusion_matrix", "plot_roc", "plot_function",
    "show_images", "plot_feature_maps", "plot_filters", "plot_optimizer_paths", "LivePlot",
]

MAX_IMAGES = 64


def _cpu(x):
    """A detached CPU copy of a tensor (lists and NumPy arrays become tensors)."""
    if torch.is_tensor(x):
        return x.detach().cpu()
    if isinstance(x, (list, tuple)) and x and torch.is_tensor(x[0]):
        return torch.stack([t.detach().cpu() for t in x])
    return torch.as_tensor(np.asarray(x))


def _figure(ax, figsize):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def _colors(num_classes):
    if num_classes <= 10:
        return ListedColormap(plt.get_cmap("tab10").colors[:num_classes])
    return ListedColormap(plt.get_cmap("viridis")(np.linspace(0, 1, num_classes)))


def _run(model, X):
    """``model(X)`` on the model's device, in eval mode and without gradients; the mode is restored."""
    if not isinstance(model, torch.nn.Module):
        with torch.no_grad():
            return model(X)
    weight = next(iter(model.parameters()), None)
    device = weight.device if weight is not None else X.device
    dtype = weight.dtype if weight is not None and weight.is_floating_point() else X.dtype
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(X.to(device=device, dtype=dtype))   # the data goes to the model, never the reverse
    finally:
        model.train(was_training)


# 1. Training curves -----------------------------------------------------------------------

def _history_groups(history, keys):
    """{"loss": ["train_loss", "val_loss"], "acc": [...]}: one panel per quantity."""
    keys = list(history.keys()) if keys is None else list(keys)
    if not keys:
        raise ValueError("The history is empty: train for at least one epoch first.")
    groups = {}
    for key in keys:
        if not len(history[key]):
            raise KeyError(f"The history has no {key!r}; it recorded {list(history.keys())}.")
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
            panel.plot(range(1, len(values) + 1), values, label=label)
        panel.set(title="training history" if single else name, ylabel="value" if single else name, xlabel="epoch")
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))
        panel.legend()


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


class LivePlot:
    """One figure of the loss curves that ``update(history)`` redraws in place in a notebook.

    It uses a display handle, so the picture changes without flicker. It draws at most once
    per ``update`` and at most every ``min_interval`` seconds; ``close()`` draws the last
    state and releases the figure. Outside a notebook it draws into ``.fig`` and shows nothing.

    >>> live = LivePlot(); live.update({"train_loss": [0.9, 0.5]}); live.fig.axes[0].get_title()
    'loss'
    >>> live.close()
    """

    def __init__(self, min_interval=0.5):
        self.fig = Figure(figsize=(5, 3.5))   # not registered with pyplot, so never shown twice
        self.handle = None
        self.min_interval = min_interval
        self._last_draw, self._pending = None, None

    def update(self, history):
        """Redraw the curves from ``history`` and refresh the picture (or wait if it was just drawn)."""
        if self._last_draw is not None and time.monotonic() - self._last_draw < self.min_interval:
            self._pending = history
            return
        self._pending = None
        groups = _history_groups(history, None)
        self.fig.clear()
        self.fig.set_size_inches(5 * len(groups), 3.5)
        _draw_history(history, groups, list(self.fig.subplots(1, len(groups), squeeze=False)[0]))
        self.fig.tight_layout()
        self._last_draw = time.monotonic()
        if _in_notebook():
            from IPython.display import Image, display
            buffer = io.BytesIO()
            self.fig.savefig(buffer, format="png")
            image = Image(data=buffer.getvalue(), format="png")
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


# 2. Classifiers ---------------------------------------------------------------------------

def _grid_classes(model, grid):
    """The class the model predicts at each grid point (CPU, int64)."""
    out = _run(model, grid)
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
    probabilities = bool(out.min() >= 0 and out.max() <= 1)   # the model ends in a sigmoid
    return (out >= (0.5 if probabilities else 0.0)).long()    # logit >= 0 is sigmoid >= 0.5


def plot_decision_boundary(model, X, y, *, X_test=None, y_test=None, ax=None, title=None, resolution=200):
    """The regions where ``model`` predicts each class, with the points ``X`` (and ``X_test``) on top.

    One output is read as a probability (a model ending in sigmoid) or a logit, thresholded
    at 0.5 / 0; C outputs by argmax. The model stays on its device and in its mode.

    >>> net = torch.nn.Linear(2, 1); X = torch.randn(20, 2); y = (X[:, 0] > 0).long()
    >>> fig = plot_decision_boundary(net, X, y, title="a linear boundary")
    >>> fig.axes[0].get_title(), len(fig.axes[0].collections[-1].get_offsets())
    ('a linear boundary', 20)
    """
    X, y = _cpu(X).float(), _cpu(y).reshape(-1).long()
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary draws two input features: X must have shape (N, 2); "
                         f"got {tuple(X.shape)}.")
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} points but y has {len(y)} labels.")
    points = X
    if (X_test is None) != (y_test is None):
        raise ValueError("Pass X_test and y_test together (the test points and their labels).")
    if X_test is not None:
        X_test, y_test = _cpu(X_test).float(), _cpu(y_test).reshape(-1).long()
        points = torch.cat([X, X_test])
    low, high = points.min(0).values, points.max(0).values
    pad = 0.1 * (high - low) + 0.1
    xs = torch.linspace(float(low[0] - pad[0]), float(high[0] + pad[0]), resolution)
    ys = torch.linspace(float(low[1] - pad[1]), float(high[1] + pad[1]), resolution)
    gx, gy = torch.meshgrid(xs, ys, indexing="xy")
    classes = _grid_classes(model, torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)).reshape(gx.shape)
    labels = [classes.max(), y.max()] + ([y_test.max()] if X_test is not None else [])
    num_classes = max(2, int(max(labels)) + 1)
    cmap = _colors(num_classes)
    fig, ax = _figure(ax, (5, 4.5))
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
    fig, ax = _figure(ax, (1.2 + 0.7 * num_classes, 0.8 + 0.7 * num_classes))
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


def plot_roc(scores, target, threshold=None, ax=None):
    """The ROC curve with its AUC, the chance diagonal and, if given, the point of ``threshold``.

    >>> fig = plot_roc(torch.tensor([0.1, 0.4, 0.35, 0.8]), torch.tensor([0, 0, 1, 1]), threshold=0.5)
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['ROC (AUC = 0.750)', 'chance (AUC = 0.5)']
    """
    fpr, tpr, thresholds = roc_curve(scores, target)
    fig, ax = _figure(ax, (4.5, 4.5))
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


# 3. Functions, images and CNNs ------------------------------------------------------------

def plot_function(f, x_range=(-6, 6), derivative=True, ax=None, label=None):
    """An elementwise function such as ``torch.sigmoid`` and (dashed) its derivative from autograd.

    >>> fig = plot_function(torch.sigmoid)
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['sigmoid', "sigmoid' (autograd)"]
    """
    name = label or getattr(f, "__name__", type(f).__name__)
    name = "f" if name == "<lambda>" else name
    x = torch.linspace(float(x_range[0]), float(x_range[1]), 601, requires_grad=True)
    y = f(x)
    if not torch.is_tensor(y) or y.shape != x.shape:
        got = tuple(y.shape) if torch.is_tensor(y) else type(y).__name__
        raise ValueError(f"f must work elementwise: for x of shape (601,) it should return shape (601,); got {got}.")
    if derivative and not y.requires_grad:
        raise ValueError(f"{name}(x) does not depend on x through autograd, so it has no derivative to "
                         "draw. Use torch operations on x, or pass derivative=False.")
    fig, ax = _figure(ax, (5, 3.5))
    ax.plot(x.detach().numpy(), y.detach().numpy(), label=name)
    if derivative:
        (dy,) = torch.autograd.grad(y.sum(), x)
        ax.plot(x.detach().numpy(), dy.numpy(), "--", label=f"{name}' (autograd)")
    ax.set(xlabel="x", title=f"{name} and its derivative" if derivative else name)
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def _image_grid(count, ncols, size=1.4):
    ncols = max(1, min(ncols, count))
    nrows = math.ceil(count / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + 0.25) * nrows), squeeze=False)
    for extra in axes.flat[count:]:
        extra.remove()
    for ax in axes.flat[:count]:
        ax.set_xticks([])
        ax.set_yticks([])
    return fig, list(axes.flat[:count])


def _to_01(image):
    low, high = image.min(), image.max()
    return (image - low) / (high - low) if high > low else torch.zeros_like(image)


def _as_labels(values, count, what):
    """Labels (or the argmax of scores (N, C)), checked to cover ``count`` images."""
    values = _cpu(values)
    values = values.argmax(1) if values.ndim == 2 and values.shape[1] > 1 else values.reshape(-1).long()
    if len(values) < count:
        raise ValueError(f"{what} has {len(values)} entries for {count} images.")
    return values.tolist()


def _image_title(k, labels, preds, name):
    """``P: 3 | T: 5``, ``P: 3`` or just the label."""
    if preds is None:
        return name(labels[k]) if labels is not None else ""
    return f"P: {name(preds[k])}" + (f" | T: {name(labels[k])}" if labels is not None else "")


def show_images(images, labels=None, preds=None, ncols=8, class_names=None):
    """A grid of images titled ``P: 3 | T: 5`` (prediction | truth); wrong predictions in red.

    ``images`` is (N, H, W), (N, 1, H, W) or (N, 3, H, W); at most 64 are shown.
    ``preds`` may be labels or scores (N, C). Each image is scaled to its own range.

    >>> fig = show_images(torch.rand(3, 8, 8), labels=torch.tensor([1, 2, 3]), preds=torch.tensor([1, 0, 3]))
    >>> [a.get_title() for a in fig.axes]
    ['P: 1 | T: 1', 'P: 0 | T: 2', 'P: 3 | T: 3']
    """
    images = _cpu(images).float()
    if images.ndim == 4 and images.shape[1] in (1, 3):
        images = images[:, 0] if images.shape[1] == 1 else images.permute(0, 2, 3, 1)
    elif images.ndim != 3:
        raise ValueError(f"images must have shape (N, H, W), (N, 1, H, W) or (N, 3, H, W); got "
                         f"{tuple(images.shape)}. Reshape flat rows first, e.g. X.reshape(-1, 8, 8).")
    total, count = len(images), min(len(images), MAX_IMAGES)
    labels = None if labels is None else _as_labels(labels, count, "labels")
    preds = None if preds is None else _as_labels(preds, count, "preds")
    name = (lambda k: str(class_names[k])) if class_names is not None else str
    fig, axes = _image_grid(count, ncols)
    for k, ax in enumerate(axes):
        ax.imshow(_to_01(images[k]).numpy(), cmap="gray", vmin=0, vmax=1)
        wrong = preds is not None and labels is not None and preds[k] != labels[k]
        ax.set_title(_image_title(k, labels, preds, name), fontsize=9, color="red" if wrong else "black")
        if wrong:
            for spine in ax.spines.values():
                spine.set(color="red", linewidth=2)
    if total > count:
        fig.suptitle(f"the first {count} of {total} images")
    fig.tight_layout()
    return fig


def plot_feature_maps(model_or_layer, image, max_maps=16):
    """The feature maps a conv layer (or the conv part of a model) makes from one image.

    >>> fig = plot_feature_maps(torch.nn.Conv2d(1, 4, 3), torch.rand(1, 8, 8))
    >>> len(fig.axes), fig.axes[0].get_title()
    (4, 'map 0')
    """
    image = _cpu(image).float()
    if image.ndim == 2:
        image = image[None]
    if image.ndim == 3:
        image = image[None]
    if image.ndim != 4 or len(image) != 1:
        raise ValueError(f"image must be one image: (H, W), (C, H, W) or (1, C, H, W); got {tuple(image.shape)}.")
    maps = _run(model_or_layer, image)
    if not torch.is_tensor(maps) or maps.ndim != 4:
        got = tuple(maps.shape) if torch.is_tensor(maps) else type(maps).__name__
        raise ValueError(f"Feature maps have shape (1, K, H, W), but this returned {got}. Pass only the "
                         "convolutional part, e.g. model[:2] or the conv layer itself.")
    maps = maps[0].detach().cpu().float()
    count = min(len(maps), max_maps)
    fig, axes = _image_grid(count, 8, size=1.5)
    for k, ax in enumerate(axes):
        ax.imshow(maps[k].numpy(), cmap="viridis")
        ax.set_title(f"map {k}", fontsize=9)
    fig.suptitle(f"{count} of {len(maps)} feature maps, each {maps.shape[1]}x{maps.shape[2]}", fontsize=10)
    fig.tight_layout()
    return fig


def plot_filters(conv_layer):
    """The learned kernels of an ``nn.Conv2d`` (or its weight (out, in, kh, kw)), one picture each.

    Kernels with 3 input channels are shown in colour; with more, input channel 0 of each.

    >>> fig = plot_filters(torch.nn.Conv2d(1, 6, 3))
    >>> len(fig.axes), fig.axes[5].get_title()
    (6, 'filter 5')
    """
    weight = conv_layer.weight if isinstance(conv_layer, torch.nn.Conv2d) else conv_layer
    if not torch.is_tensor(weight) or weight.ndim != 4:
        raise ValueError(f"plot_filters needs an nn.Conv2d or a weight of shape (out, in, kh, kw); got "
                         f"{tuple(weight.shape) if torch.is_tensor(weight) else type(conv_layer).__name__}.")
    weight = weight.detach().cpu().float()
    out_channels, in_channels = weight.shape[:2]
    count = min(out_channels, MAX_IMAGES)
    fig, axes = _image_grid(count, 8, size=1.2)
    for k, ax in enumerate(axes):
        kernel = weight[k].permute(1, 2, 0) if in_channels == 3 else weight[k, 0]
        ax.imshow(_to_01(kernel).numpy(), cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"filter {k}", fontsize=9)
    note = "" if in_channels in (1, 3) else f", input channel 0 of {in_channels}"
    fig.suptitle(f"{count} of {out_channels} filters, {weight.shape[2]}x{weight.shape[3]}{note}", fontsize=10)
    fig.tight_layout()
    return fig


# 4. Optimizers ----------------------------------------------------------------------------

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
    paths = {str(name): _cpu(path).float() for name, path in paths.items()}
    for name, path in paths.items():
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"paths[{name!r}] must be points of shape (steps, 2); got {tuple(path.shape)}.")
    fig, ax = _figure(ax, (5.5, 4.5))
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
