"""Checks that ``fit`` runs before and during training, so a mistake ends in advice, not a raw error.

Each function raises ``ValueError`` or ``TypeError`` with what was expected, what was given and
what to do, in the course's words, or returns nothing when all is well. ``divergence_message``
words the stop when the loss becomes NaN.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["check_fit_arguments", "check_batch", "check_outputs", "check_data", "check_classes", "check_loss_value",
           "data_summary", "divergence_message", "lr_hint", "check_val_loss"]

CLASS_LOSSES = (nn.CrossEntropyLoss, nn.NLLLoss)
CLASS_FUNCTIONS = (F.cross_entropy, F.nll_loss)
FLOAT_LOSSES = (nn.BCEWithLogitsLoss, nn.BCELoss, nn.MSELoss, nn.L1Loss, nn.HuberLoss, nn.SmoothL1Loss)
FLOAT_FUNCTIONS = (F.binary_cross_entropy_with_logits, F.binary_cross_entropy, F.mse_loss, F.l1_loss,
                   F.huber_loss, F.smooth_l1_loss)


def lr_hint(lr):
    """Advice about the learning rate after a divergence: a tenth of it, or a number if it is none.

    >>> lr_hint(0.5), lr_hint(float("nan"))[:16]
    ('lr=0.5 now; try 0.05', 'lr=nan is not a ')
    """
    lr = lr.item() if torch.is_tensor(lr) else lr
    if not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        return f"lr={lr} is not a learning rate; give a positive number such as lr=0.01"
    return f"lr={lr:g} now; try {lr / 10:g}"


def _loss_name(loss_fn):
    return getattr(loss_fn, "__name__", type(loss_fn).__name__)


def check_fit_arguments(model, optimizer):
    """Refuse a model and optimizer that would train nothing (``fit``'s declaration checked each alone), with the fix.

    >>> net = nn.Linear(2, 1); check_fit_arguments(net, torch.optim.SGD(net.parameters(), lr=0.1))
    >>> check_fit_arguments(net, torch.optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1))
    Traceback (most recent call last):
    ...
    ValueError: The optimizer holds none of this model's parameters: it was built for another model, so training would change nothing. Build it for this one: torch.optim.SGD(model.parameters(), ...).
    """
    for group in optimizer.param_groups:
        lr = group.get("lr")
        lr = lr.item() if torch.is_tensor(lr) else lr
        if isinstance(lr, (int, float)) and (not math.isfinite(lr) or lr < 0):
            raise ValueError(f"{lr_hint(lr)}. The optimizer's learning rate must be a number above 0, "
                             f"e.g. torch.optim.{type(optimizer).__name__}(model.parameters(), lr=0.01).")
    if not any(True for _ in model.parameters()):
        raise ValueError(f"The model ({type(model).__name__}) has no parameters, so there is nothing to train. Give it "
                         "layers with weights, e.g. nn.Linear(in_features, out_features).")
    if not any(p.requires_grad for p in model.parameters()):
        raise ValueError("Every parameter of the model is frozen (requires_grad=False), so training would change "
                         "nothing. Unfreeze the layers to train: for p in model.parameters(): p.requires_grad_(True).")
    model_params = {id(p) for p in model.parameters()}
    optimizer_params = [p for group in optimizer.param_groups for p in group["params"]]
    if model_params and not any(id(p) in model_params for p in optimizer_params):
        raise ValueError(f"The optimizer holds none of this model's parameters: it was built for another "
                         f"model, so training would change nothing. Build it for this one: "
                         f"torch.optim.{type(optimizer).__name__}(model.parameters(), ...).")


def _shape(t):
    return tuple(t.shape)


def _dtype(t):
    return str(t.dtype).replace("torch.", "")


def check_batch(y_hat, y, loss_fn=None):
    """Check the first batch's outputs ``y_hat`` against the targets ``y`` for ``loss_fn``.

    >>> check_batch(torch.zeros(10, 2), torch.zeros(10), nn.CrossEntropyLoss())
    Traceback (most recent call last):
    ...
    TypeError: CrossEntropyLoss takes class labels, and class labels must be integer (y.long()); got y of dtype
    float32 with shape (10,). Convert them once, where the data is made: y = y.long().
    """
    if not (torch.is_tensor(y_hat) and torch.is_tensor(y)):
        return
    name = _loss_name(loss_fn)
    if y_hat.ndim == 0 or y_hat.shape[0] != y.shape[0]:
        raise ValueError(f"The model returned {y_hat.shape[0] if y_hat.ndim else 'one number'} predictions "
                         f"for a batch of {y.shape[0]} targets (y_hat {_shape(y_hat)}, y {_shape(y)}). Check "
                         "forward(): it must return one row per sample.")
    if isinstance(loss_fn, CLASS_LOSSES) or loss_fn in CLASS_FUNCTIONS:
        _check_class_targets(y_hat, y, name)
    elif isinstance(loss_fn, FLOAT_LOSSES) or loss_fn in FLOAT_FUNCTIONS:
        if not y.is_floating_point():
            reshape = ".reshape(-1, 1)" if y_hat.ndim == 2 and y_hat.shape[1] == 1 and y.ndim == 1 else ""
            raise TypeError(f"{name} computes with float targets, but y is {_dtype(y)}: convert it with "
                            f"y.float(){reshape} (targets of shape {_shape(y_hat)}, like the output).")
    if y.is_floating_point() and y_hat.shape != y.shape:
        if y.ndim == 1 and y_hat.ndim == 2 and y_hat.shape[1] > 1:
            raise ValueError(f"y_hat has shape {_shape(y_hat)} but y has shape {_shape(y)}. If y holds class labels "
                             "(for CrossEntropyLoss), class labels must be integer: y.long(). If it holds "
                             f"{y_hat.shape[1]} numbers per sample, give y the shape {_shape(y_hat)}.")
        raise ValueError(f"y_hat has shape {_shape(y_hat)} but y has shape {_shape(y)}; the loss would broadcast "
                         "them and learn the wrong thing. Make them match, e.g. y.reshape(-1, 1) or "
                         "y_hat.squeeze(1).")
    if not y.is_floating_point() and y_hat.ndim == 2 and y.ndim == 1 and len(y):
        if y.min() < 0 or y.max() >= y_hat.shape[1]:
            raise ValueError(f"Class labels must be in 0..{y_hat.shape[1] - 1} for a model with "
                             f"{y_hat.shape[1]} outputs; got labels from {int(y.min())} to {int(y.max())}.")


def _check_class_targets(y_hat, y, name):
    if y_hat.ndim == 1:
        raise ValueError(f"{name} needs one score per class, y_hat of shape (N, C), but the model returned "
                         f"{_shape(y_hat)}. Give the last layer one output per class (nn.Linear(..., C)); for "
                         "two classes with one output use nn.BCEWithLogitsLoss instead.")
    if y.is_floating_point():
        if y.shape == y_hat.shape:
            return                                       # class probabilities as targets: allowed
        column = ".squeeze(1)" if y.ndim == 2 and y.shape[1] == 1 else ""
        raise TypeError(f"{name} takes class labels, and class labels must be integer (y.long()); got y of "
                        f"dtype {_dtype(y)} with shape {_shape(y)}. Convert them once, where the data is made: "
                        f"y = y.long(){column}.")
    if y.ndim == 2 and y.shape[1] == 1:
        raise ValueError(f"{name} wants one class label per sample, shape ({y.shape[0]},), but y has shape "
                         f"{_shape(y)}: use y.squeeze(1).")
    if y.ndim == 2 and y.shape == y_hat.shape:
        raise ValueError(f"{name} wants class labels of shape ({y.shape[0]},), but y looks one-hot "
                         f"{_shape(y)}: use y.argmax(1).")
    if y.dtype not in (torch.int64, torch.uint8):
        raise TypeError(f"{name} needs class labels of dtype int64, but y is {_dtype(y)}: use y.long().")


def divergence_message(loss, epoch, batch=None, optimizer=None, X=None):
    """Why training stopped at a NaN or infinite loss, where, and what to try.

    >>> message = divergence_message(float("nan"), 3, 7, X=torch.tensor([[1.0, float("nan")]]))
    >>> message.split(":")[0], "this batch of X contains NaN" in message
    ('Training stopped at epoch 3, batch 7', True)
    """
    where = f"epoch {epoch}" + (f", batch {batch}" if batch is not None else "")
    kept = (" The weights are those from before this batch: nothing was updated with it."
            if batch is not None else "")
    if torch.is_tensor(X) and X.is_floating_point() and not torch.isfinite(X).all():
        return (f"Training stopped at {where}: the loss became {loss}, because this batch of X contains "
                f"NaN or infinite values.{kept} Clean the data first: find them with "
                "torch.nonzero(~torch.isfinite(X)) and drop or fill those rows.")
    lr = optimizer.param_groups[0].get("lr") if optimizer is not None else None
    lr = lr.item() if torch.is_tensor(lr) else lr
    return (f"Training stopped at {where}: the loss became {loss}. The updates grew until the numbers "
            f"overflowed.{kept} Try a smaller learning rate ({lr_hint(lr)}), standardize the inputs, or "
            "check the data for NaN values.")


def check_val_loss(record, error=ValueError):
    """Refuse a NaN or infinite validation loss while the training loss is finite, naming the likely cause.

    >>> check_val_loss({"epoch": 2, "train_loss": 0.3, "val_loss": float("nan")})
    Traceback (most recent call last):
    ...
    ValueError: val_loss became nan at epoch 2 while train_loss is 0.3: the validation data gives a loss that is
    not a number. Check it for NaN values (torch.isnan(X_val).any()) and that its targets fit the model
    (labels 0..C-1, the same dtype and shape as the training targets).
    """
    value = record.get("val_loss")
    if value is not None and not math.isfinite(value):
        raise error(
            f"val_loss became {value} at epoch {record.get('epoch')} while train_loss is "
            f"{record.get('train_loss'):.4g}: the validation data gives a loss that is not a number. Check it for "
            "NaN values (torch.isnan(X_val).any()) and that its targets fit the model (labels 0..C-1, the same "
            "dtype and shape as the training targets).")


def data_summary(x):
    """A few words about ``x`` for a message: ``a Tensor of shape (3, 2) and dtype float32``, ``a str``."""
    if torch.is_tensor(x):
        return f"a tensor of shape {_shape(x)} and dtype {_dtype(x)}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {len(x)} items"
    return f"a {type(x).__name__}"


def _is_class_loss(loss_fn):
    return isinstance(loss_fn, CLASS_LOSSES) or loss_fn in CLASS_FUNCTIONS


def _first_weight(model):
    if not isinstance(model, nn.Module):
        return None
    return next((p for p in model.parameters() if p.is_floating_point()), None)


def check_data(X, y, model, loss_fn, name):
    """Check all of ``X`` and ``y`` once before training; returns the class labels' (min, max), or None.

    >>> check_data(torch.tensor([[1.0], [float("nan")]]), torch.tensor([0, 1]), nn.Linear(1, 2), None, "train_data")
    Traceback (most recent call last):
    ...
    ValueError: train_data's X contains 1 NaN or infinite value (in 1 of its 2 samples): the loss would be NaN.
    Find them with torch.nonzero(~torch.isfinite(X)), then drop or fill those rows before training.
    """
    if not (torch.is_tensor(X) and torch.is_tensor(y)):
        return None
    if X.is_complex() or y.is_complex():
        which = "X" if X.is_complex() else "y"
        raise TypeError(f"{name}'s {which} holds complex numbers ({_dtype(X if which == 'X' else y)}); a model "
                        f"computes with real numbers. Use {which}.real or {which}.abs().")
    weight = _first_weight(model)
    embedding = isinstance(model, nn.Module) and any(isinstance(m, (nn.Embedding, nn.EmbeddingBag))
                                                     for m in model.modules())
    if weight is not None and not X.is_floating_point() and not embedding:
        fix = "X = X.float() / 255 (pixel values 0-255 become 0-1)" if X.dtype == torch.uint8 else "X = X.float()"
        raise TypeError(f"{name}'s X is {_dtype(X)}, but the model computes with {_dtype(weight)} weights. Convert "
                        f"the data once, where it is made: {fix}.")
    if weight is not None and X.is_floating_point() and X.dtype != weight.dtype:
        fix = (f"X = X.float()" if weight.dtype == torch.float32 else
               f"model.float() (the model is {_dtype(weight)}; the course works in float32), or "
               f"X = X.to(torch.{_dtype(weight)})")
        raise TypeError(f"{name}'s X is {_dtype(X)} but the model's weights are {_dtype(weight)}: convert one of them "
                        f"so they match: {fix}. NumPy arrays arrive as float64.")
    for which, t in (("X", X), ("y", y)):
        if t.is_floating_point() and t.numel() and not torch.isfinite(t.sum()):   # one pass; NaN and Inf spread
            bad = ~torch.isfinite(t)
            if bad.any():
                rows = int(bad.reshape(len(t), -1).any(1).sum()) if t.ndim else 1
                count = int(bad.sum())
                raise ValueError(f"{name}'s {which} contains {count} NaN or infinite value{'s' if count != 1 else ''} "
                                 f"(in {rows} of its {len(t)} samples): the loss would be NaN. Find them with "
                                 f"torch.nonzero(~torch.isfinite({which})), then drop or fill those rows before "
                                 "training.")
    if len(y) == 0:
        return None
    if isinstance(loss_fn, (nn.BCEWithLogitsLoss, nn.BCELoss)) or loss_fn in (
            F.binary_cross_entropy_with_logits, F.binary_cross_entropy):
        if y.is_floating_point() and (y.min() < 0 or y.max() > 1):
            raise ValueError(f"{_loss_name(loss_fn)} needs targets between 0 and 1, but {name}'s y goes from "
                             f"{y.min().item():g} to {y.max().item():g}. For more than two classes use "
                             "nn.CrossEntropyLoss with labels 0..C-1; for numbers use nn.MSELoss.")
    if _is_class_loss(loss_fn) and not y.is_floating_point():
        ignore = getattr(loss_fn, "ignore_index", -100)
        labels = y[y != ignore] if (y == ignore).any() else y
        if len(labels) and labels.min() < 0:
            raise ValueError(f"Class labels must be 0 or more, but {name}'s y has {int(labels.min())}. Number "
                             "the classes 0, 1, ..., C-1, e.g. with torch.unique(y, return_inverse=True)[1].")
        return (int(labels.min()), int(labels.max())) if len(labels) else None
    return None


def check_classes(labels, y_hat, loss_fn, name):
    """Refuse class labels (``(min, max)`` from ``check_data``) that the model's outputs have no score for."""
    if labels is None or not _is_class_loss(loss_fn) or not torch.is_tensor(y_hat) or y_hat.ndim < 2:
        return
    classes = y_hat.shape[1]
    if labels[1] >= classes:
        raise ValueError(f"Class labels must be in 0..{classes - 1} for a model with {classes} outputs, but "
                         f"{name}'s y goes up to {labels[1]}. Give the last layer one output per class "
                         f"(nn.Linear(..., {labels[1] + 1})), or number the classes from 0.")


def check_outputs(y_hat, y, loss_fn=None):
    """Raise a clear error when the model's outputs ``y_hat`` cannot match the targets ``y`` (for ``loss_fn``).

    >>> check_outputs((torch.zeros(4, 3), torch.zeros(4)), torch.tensor([0, 1, 2, 2]))
    Traceback (most recent call last):
    ...
    TypeError: The model's forward returned a tuple, but fit and evaluate need one tensor of outputs (one row per
    sample). Return only the outputs the loss needs, e.g. return logits; or train it with your own step:
    fit(..., step=my_step).
    """
    if not torch.is_tensor(y_hat):
        raise TypeError(f"The model's forward returned a {type(y_hat).__name__}, but fit and evaluate need one "
                        "tensor of outputs (one row per sample). Return only the outputs the loss needs, e.g. "
                        "return logits; or train it with your own step: fit(..., step=my_step).")
    check_batch(y_hat, y, loss_fn)


def check_loss_value(loss, loss_fn):
    """Refuse a loss that is not one number (a loss with reduction='none' gives one per sample)."""
    if not torch.is_tensor(loss):
        raise TypeError(f"The loss function {_loss_name(loss_fn)} returned a {type(loss).__name__}, not a tensor: "
                        "compute it with torch operations, e.g. ((y_hat - y) ** 2).mean().")
    if loss.ndim != 0:
        raise ValueError(f"The loss must be one number, but {_loss_name(loss_fn)} returned a tensor of shape "
                         f"{_shape(loss)} (reduction='none'?). Use the default reduction='mean', or end your loss "
                         "with .mean().")
