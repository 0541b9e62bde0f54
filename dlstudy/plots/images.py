"""Images: a grid of images with predictions, the feature maps of a conv layer, learned filters."""

import math

import matplotlib.pyplot as plt
import torch

from dlstudy.contract import Array, Instance, Optional, Rule, Whole, as_samples, declare
from dlstudy.modes import run_model
from dlstudy.plots.classifiers import Names
from dlstudy.plots.common import to_cpu

__all__ = ["MAX_IMAGES", "show_images", "plot_feature_maps", "plot_filters"]

MAX_IMAGES = 64


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
    values = to_cpu(as_samples(values, what))
    if values.ndim == 2 and values.shape[1] > 1:
        values = values.argmax(1)
    elif values.is_floating_point() and not torch.equal(values, values.round()):
        raise ValueError(f"{what} holds fractions such as {values.reshape(-1)[0].item():.3g}, not class labels: "
                         f"pass labels, e.g. {what}.argmax(1) for scores of shape (N, C) or ({what} >= 0.5).long() "
                         "for probabilities of class 1.")
    values = values.reshape(-1).long()
    if len(values) < count:
        raise ValueError(f"{what} has {len(values)} entries for {count} images: give one per image "
                         f"(e.g. {what}[:{count}] of the same samples).")
    return values.tolist()


def _image_title(k, labels, preds, name):
    """``P: 3 | T: 5``, ``P: 3`` or just the label."""
    if preds is None:
        return name(labels[k]) if labels is not None else ""
    return f"P: {name(preds[k])}" + (f" | T: {name(labels[k])}" if labels is not None else "")


CLASSES = Optional(Array(ndim=(1, 2), what="class labels (or scores (N, C)), one per image",
                         example="torch.tensor([3, 5])"))


@declare(images=Array(ndim=(3, 4), what="images (N, H, W), (N, 1, H, W) or (N, 3, H, W)", example="X[:16]",
                      fix="Reshape flat rows first, e.g. X.reshape(-1, 8, 8)."),
         labels=CLASSES, preds=CLASSES, ncols=Whole(1, MAX_IMAGES, example=8), class_names=Optional(Names()))
def show_images(images, labels=None, preds=None, ncols=8, class_names=None):
    """A grid of images titled ``P: 3 | T: 5`` (prediction | truth); wrong predictions in red.

    ``images`` is (N, H, W), (N, 1, H, W) or (N, 3, H, W); at most 64 are shown.
    ``preds`` may be labels or scores (N, C). Each image is scaled to its own range.

    >>> fig = show_images(torch.rand(3, 8, 8), labels=torch.tensor([1, 2, 3]), preds=torch.tensor([1, 0, 3]))
    >>> [a.get_title() for a in fig.axes]
    ['P: 1 | T: 1', 'P: 0 | T: 2', 'P: 3 | T: 3']
    """
    images = to_cpu(images).float()
    if images.numel() == 0:
        raise ValueError(f"images is empty (shape {tuple(images.shape)}): pass at least one image, e.g. X[:16].")
    if images.ndim == 4 and images.shape[1] in (1, 3):
        images = images[:, 0] if images.shape[1] == 1 else images.permute(0, 2, 3, 1)
    elif images.ndim != 3:
        raise ValueError(f"images must have shape (N, H, W), (N, 1, H, W) or (N, 3, H, W); got "
                         f"{tuple(images.shape)}. Reshape flat rows first, e.g. X.reshape(-1, 8, 8).")
    total, count = len(images), min(len(images), MAX_IMAGES)
    labels = None if labels is None else _as_labels(labels, count, "labels")
    preds = None if preds is None else _as_labels(preds, count, "preds")
    name = (lambda k: str(class_names[k])) if class_names is not None else str
    highest = max(labels or [0], default=0), max(preds or [0], default=0)
    if class_names is not None and max(highest) >= len(class_names):
        raise ValueError(f"class_names has {len(class_names)} names, but a label is {max(highest)}: give one name "
                         f"per class, for classes 0..{max(highest)}.")
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


@declare(model_or_layer=Instance(torch.nn.Module, "a conv layer or model", "nn.Conv2d(1, 4, 3) or model[:2]"),
         image=Array(ndim=(2, 3, 4), what="one image (H, W), (C, H, W) or (1, C, H, W)", example="X[0]"),
         max_maps=Whole(1, MAX_IMAGES, example=16))
def plot_feature_maps(model_or_layer, image, max_maps=16):
    """The feature maps a conv layer (or the conv part of a model) makes from one image.

    >>> fig = plot_feature_maps(torch.nn.Conv2d(1, 4, 3), torch.rand(1, 8, 8))
    >>> len(fig.axes), fig.axes[0].get_title()
    (4, 'map 0')
    """
    if not any(
            isinstance(m, torch.nn.modules.conv._ConvNd) for m in model_or_layer.modules()):
        kind = type(model_or_layer).__name__
        raise ValueError(f"model_or_layer: plot_feature_maps needs a convolutional layer (an nn.Conv2d object) or the "
                         f"convolutional part of a model, e.g. model[:2]; {kind} has no convolution.")
    image = to_cpu(image).float()
    if image.ndim == 2:
        image = image[None]
    if image.ndim == 3:
        image = image[None]
    if image.ndim != 4 or len(image) != 1:
        raise ValueError(f"image must be one image: (H, W), (C, H, W) or (1, C, H, W); got {tuple(image.shape)}.")
    conv = next(m for m in model_or_layer.modules() if isinstance(m, torch.nn.modules.conv._ConvNd))
    if image.shape[1] != conv.in_channels:
        raise ValueError(f"image has {image.shape[1]} channel(s) but the first convolution, {conv}, takes "
                         f"{conv.in_channels}: give image the shape ({conv.in_channels}, H, W), e.g. a colour image "
                         "for 3 channels, or image[None] for one grey image of shape (H, W).")
    maps = run_model(model_or_layer, image)
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


class Kernels(Rule):
    """An ``nn.Conv2d`` or its weight, a tensor of shape (out, in, kh, kw)."""

    def check(self, value, name):
        if isinstance(value, type):
            self.fail(name, "an nn.Conv2d object", value, f"Build one first: {value.__name__}(...), or pass a "
                                                          "trained model's layer, e.g. model[0].")
        weight = value.weight if isinstance(value, torch.nn.Conv2d) else value
        if not torch.is_tensor(weight) or weight.ndim != 4:
            self.fail(name, "an nn.Conv2d or a weight of shape (out, in, kh, kw)", value)
        if not torch.isfinite(weight).all():
            self.fail(name, "a layer with finite weights", value, "Its weights hold NaN or infinite values.")
        return value


@declare(conv_layer=Kernels())
def plot_filters(conv_layer):
    """The learned kernels of an ``nn.Conv2d`` (or its weight (out, in, kh, kw)), one picture each.

    Kernels with 3 input channels are shown in colour; with more, input channel 0 of each.

    >>> fig = plot_filters(torch.nn.Conv2d(1, 6, 3))
    >>> len(fig.axes), fig.axes[5].get_title()
    (6, 'filter 5')
    """
    weight = conv_layer.weight if isinstance(conv_layer, torch.nn.Conv2d) else conv_layer
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
