"""Checks that ``fit`` runs before and during training, so a mistake ends in advice, not a raw error.

Each function raises ``ValueError`` or ``TypeError`` with what was expected, what was given and
what to do, in the course's words, or returns nothing when all is well. ``divergence_message``
words the stop when the loss becomes NaN.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["check_fit_arguments", "check_batch", "divergence_message", "lr_hint", "check_val_loss"]

CLASS_LOSSES = (nn.CrossEntropyLoss, nn.NLLLoss)
CLASS_FUNCTIONS = (F.cross_entropy, F.nll_loss)
FLOAT_LOSSES = (nn.BCEWithLogitsLoss, nn.BCELoss, nn.MSELoss, nn.L1Loss, nn.HuberLoss, nn.SmoothL1Loss)
FLOAT_FUNCTIONS = (F.binary_cross_entropy_with_logits, F.binary_cross_entropy, F.mse_loss, F.l1_loss,
                   F.huber_loss, F.smooth_l1_loss)


def _whole(value, name, minimum, example):
    if isinstance(value, bool) or not isinstance(value, int):
        tail = " (write it without the decimal point)" if isinstance(value, float) and value.is_integer() else ""
        raise TypeError(f"{name} must be a whole number such as {example}; got {value!r}{tail}.")
    if value < minimum:
        raise ValueError(f"{name} must be {minimum} or more; got {value}.")


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


def check_fit_arguments(model, loss_fn, optimizer, num_epochs, batch_size=None):
    """Refuse arguments of ``fit`` that would fail later or train nothing, with the fix.

    >>> net = nn.Linear(2, 1); check_fit_arguments(net, nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=0.1), 5)
    >>> check_fit_arguments(net, nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=0.1), -1)
    Traceback (most recent call last):
    ...
    ValueError: num_epochs must be 0 or more; got -1.
    """
    if isinstance(model, type) and issubclass(model, nn.Module):
        raise TypeError(f"fit expects a model object, but got the class {model.__name__} itself. Build it first: "
                        f"model = {model.__name__}(...).")
    if not isinstance(model, nn.Module):
        raise TypeError(f"fit expects the model (an nn.Module) first; got {type(model).__name__}.")
    if isinstance(loss_fn, type):
        raise TypeError(f"loss_fn is the class {loss_fn.__name__}; pass an instance: {loss_fn.__name__}() "
                        "(with parentheses).")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a loss such as nn.MSELoss() or nn.CrossEntropyLoss(); "
                        f"got {type(loss_fn).__name__}.")
    if isinstance(optimizer, type):
        raise TypeError(f"optimizer is the class {optimizer.__name__}; build it for this model: "
                        f"{optimizer.__name__}(model.parameters(), lr=0.01).")
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim optimizer such as torch.optim.SGD(model.parameters(), "
                        f"lr=0.01); got {type(optimizer).__name__}.")
    _whole(num_epochs, "num_epochs", 0, 10)
    if batch_size is not None:
        _whole(batch_size, "batch_size", 1, 32)
    for group in optimizer.param_groups:
        lr = group.get("lr")
        lr = lr.item() if torch.is_tensor(lr) else lr
        if isinstance(lr, (int, float)) and (not math.isfinite(lr) or lr < 0):
            raise ValueError(f"{lr_hint(lr)}. The optimizer's learning rate must be a number above 0, "
                             f"e.g. torch.optim.{type(optimizer).__name__}(model.parameters(), lr=0.01).")
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
