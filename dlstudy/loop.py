"""The core that ``fit``, ``evaluate`` and every callback build on: ``TrainState``, ``run_epoch``, ``evaluate``.

``run_epoch`` runs a step over the batches of one epoch and calls the callbacks' hooks
around each batch; ``fit`` (in ``dlstudy.train``) repeats it with a training step,
``evaluate`` runs it once with a step that only measures. ``ORDER`` is the one table of
the order in which the callbacks run.
"""

import difflib
import inspect
import math
import traceback
from numbers import Real
from pathlib import Path

import numpy as np
import torch

from dlstudy.checks import check_classes, check_data, check_loss_value, check_outputs, data_summary
from dlstudy.checks import divergence_message
from dlstudy.contract import ArgumentError, ArgumentTypeError, ArgumentValueError, Converted, Function, Instance
from dlstudy.contract import Optional
from dlstudy.contract import Rule, Samples, shown
from dlstudy.contract import declare
from dlstudy.device import resolve_device, to_device
from dlstudy.modes import eval_mode, model_device

__all__ = ["HOOKS", "ORDER", "TrainingDiverged", "HistoryKeyError", "HistoryAttributeError", "History", "Callback", "TrainState", "CollectMetrics",
           "named_metrics", "Metrics", "CheckData", "batch_error", "Callbacks", "MODEL", "LOSS", "as_pair",
           "check_loss", "run_epoch",
           "OPTIMIZER", "DEVICE", "Data", "Optimizer", "evaluate"]

PACKAGE = str(Path(__file__).resolve().parent)
HOOKS = ("on_train_begin", "on_epoch_begin", "on_batch_begin", "on_after_backward", "on_batch_end",
         "on_epoch_end", "on_train_end")

# The order in which callbacks run (smaller first), in one table. A callback of yours runs at 0.
ORDER = {"CheckData": -100,        # the data and the model's first outputs, before anything else looks
         "LRFinder": -10,          # sets the learning rate before anyone reads it
         "CollectMetrics": -20,    # the epoch's metrics ...
         "Validate": -10,          # ... and validation results go into the record first
         "Callback": 0,            # yours, EarlyStopping, LRScheduler, GradientClipping
         "Diagnostics": 10,        # after clipping, so it sees the update that was applied
         "LivePlot": 90,           # draws the complete record
         "ProgressBar": 100}       # prints last


class HistoryKeyError(ArgumentError, KeyError):
    """A History was read with a name it did not record (or with a number); the message lists the names."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


class HistoryAttributeError(ArgumentError, AttributeError):
    """A History was asked for an attribute it does not have (``history.history``, Keras's habit)."""


def _short(value):
    """A recorded value for a one-line summary: numbers to 4 decimals, anything else (text, a tensor) shortened."""
    if torch.is_tensor(value) and value.numel() == 1:
        value = value.item()
    if isinstance(value, Real) and not isinstance(value, bool):
        return f"{value:.4f}"
    return shown(value, limit=20)


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite, so training was stopped; ``.history`` holds the epochs before it."""

    history = None


class History:
    """Per-epoch results of ``fit``: ``history["train_loss"]`` is a list, one value per epoch.

    >>> h = History(); h.append({"epoch": 1, "train_loss": 0.5}); h["train_loss"]
    [0.5]
    >>> list(h), "train_loss" in h, len(h)
    (['train_loss'], True, 1)
    """

    def __init__(self):
        self.records = []       # one dict per epoch
        self.best_epoch = None  # set by EarlyStopping

    def append(self, record):
        self.records.append(record)

    def __getitem__(self, key):
        if not isinstance(key, str):
            raise HistoryKeyError(
                f"A History is read by the name of a recorded value, e.g. history['train_loss'] (one value per "
                f"epoch); got {shown(key)}. The record of epoch 1 is history.records[0]; the names are "
                f"history.keys() = {self.keys()}.")
        values = [record[key] for record in self.records if key in record]
        if self.records and not values:
            close = difflib.get_close_matches(key, self.names(), 1)
            raise HistoryKeyError(
                f"The history has no {key!r}{f' (did you mean {close[0]!r}?)' if close else ''}; it recorded "
                f"{self.names()}. (val_... needs val_data=..., a metric needs metrics=... in fit.)")
        return values

    def __contains__(self, key):
        return any(key in record for record in self.records)

    def __iter__(self):
        """The recorded names, as a dict's keys: ``for key in history``, ``list(history)``, ``dict(history)``."""
        return iter(self.names())

    def items(self):
        """``(name, values)`` pairs, as a dict's ``items()``: ``[('train_loss', [0.7, 0.5]), ...]``."""
        return [(key, self[key]) for key in self.names()]

    def values(self):
        """The lists of values, one per recorded name, as a dict's ``values()``."""
        return [self[key] for key in self.names()]

    def __getattr__(self, name):
        if name.startswith("__") or name in ("records", "best_epoch"):   # copy, pickle, half-built objects
            raise AttributeError(name)
        keras = " (Keras keeps the lists in history.history; here the History itself holds them)" \
            if name == "history" else ""
        raise HistoryAttributeError(
            f"A History has no attribute {name!r}{keras}. Read a recorded value by its name, "
            f"history['train_loss']; the names are {self.names()}; history.records lists one dict per epoch.")

    def names(self):
        """Every name recorded in any epoch, in the order they first appeared."""
        return list(dict.fromkeys(key for record in self.records for key in record if key != "epoch"))

    def __len__(self):
        return len(self.records)

    def keys(self):
        """The names that were recorded, e.g. ``['train_loss', 'val_loss', 'val_acc']`` (those of every epoch)."""
        return self.names()

    def __repr__(self):
        if not self.records:
            return "History(0 epochs)"
        last = ", ".join(f"{k}={_short(v)}" for k, v in self.records[-1].items() if k != "epoch")
        return f"History({len(self.records)} epochs, last: {last})"


class Callback:
    """Hooks that ``fit`` calls with ``state``; override the ones you need (see ``dlstudy.callbacks``).

    >>> class CountBatches(Callback):
    ...     def on_train_begin(self, state):
    ...         self.count = 0
    ...     def on_batch_end(self, state):
    ...         self.count += 1
    """

    order = ORDER["Callback"]
    sets_lr = False        # True for the callbacks that change the optimizer's learning rate (schedulers)

    def on_train_begin(self, state):
        """Before the first epoch."""

    def on_epoch_begin(self, state):
        """At the start of each epoch (``state.epoch`` counts from 1)."""

    def on_batch_begin(self, state):
        """Before the forward pass of a batch (``state.X``, ``state.y``)."""

    def on_after_backward(self, state):
        """After ``loss.backward()``, before ``optimizer.step()``: the gradients are there."""

    def on_batch_end(self, state):
        """After ``optimizer.step()`` (``state.y_hat``, ``state.loss`` hold this batch)."""

    def on_epoch_end(self, state):
        """After each epoch; ``state.record`` is complete. Set ``state.stop = True`` to stop."""

    def on_train_end(self, state):
        """At the end, always (``state.error`` is the exception that ended training, or None)."""


def may_set_lr(callback):
    """True when ``callback`` may change the learning rate: dlstudy's say so (``sets_lr``), yours may if they
    have a hook that runs before a step."""
    if type(callback).__module__.startswith("dlstudy."):
        return bool(getattr(callback, "sets_lr", False))
    return any(_defines(getattr(callback, hook, None), hook) for hook in HOOKS[:3])


def _defines(method, hook):
    """True when ``method`` does something: it exists and is not ``Callback``'s empty default."""
    return method is not None and getattr(method, "__func__", None) is not getattr(Callback, hook)


class TrainState:
    """What the callbacks see and change during ``fit``: model, optimizer, batch, record, stop flags.

    Attributes: ``model, optimizer, loss_fn, device, history, num_epochs, epoch`` (from 1),
    ``batch`` (from 0 within the epoch), ``X, y, y_hat, loss`` (the current batch; ``loss``
    is a tensor), ``record`` (this epoch's results), ``stop`` (stop after this epoch),
    ``stop_batch`` (stop now), ``error`` (the exception that ended training, or None),
    ``metrics`` (name -> metric function, as given to ``fit``).

    >>> state = TrainState(callbacks=[]); state.emit("on_epoch_end"); state.stop
    False
    """

    def __init__(self, model=None, optimizer=None, loss_fn=None, device=None, history=None, num_epochs=0,
                 callbacks=()):
        self.model, self.optimizer, self.loss_fn, self.device = model, optimizer, loss_fn, device
        self.history, self.num_epochs = history, num_epochs
        self.epoch, self.batch, self.batches, self.data_name = 0, 0, None, "data"
        self.X = self.y = self.y_hat = self.loss = None
        self.record, self.metrics = {}, {}     # metrics: name -> fn, as fit was given them
        self.stop, self.stop_batch, self.error = False, False, None
        self.check_each_batch = device is None or torch.device(device).type == "cpu"   # .item() makes a GPU wait
        self.callbacks = sorted(callbacks, key=lambda callback: getattr(callback, "order", 0))
        self.hooks = {hook: [m for m in (getattr(c, hook, None) for c in self.callbacks) if _defines(m, hook)]
                      for hook in HOOKS}   # per hook, only the callbacks that define it: an unused hook costs nothing

    def emit(self, hook):
        """Call ``hook`` (e.g. ``"on_batch_end"``) of every callback, in order."""
        for method in self.hooks[hook]:
            method(self)

    def end(self):
        """Call every ``on_train_end``, even when one raises; return the first exception (or None)."""
        first = None
        for method in self.hooks["on_train_end"]:
            try:
                method(self)
            except BaseException as error:         # noqa: B036 - the others must still restore what they hold
                first = first or error
        return first


def named_metrics(metrics):
    """``{name: fn}`` from a dict, a list of functions (named by ``__name__``), one function, a name or None.

    >>> def acc(y_hat, y): return 1.0
    >>> list(named_metrics([acc])), list(named_metrics("accuracy"))
    (['acc'], ['accuracy'])
    """
    return Metrics().check(metrics, "metrics")


def _metric_names(known):
    return [n for n in known.__all__ if n in known.DIRECTION or n in known.NOT_SCALAR]


NOT_SCALAR_FIX = {"precision_recall_f1": "Use 'precision', 'recall' and 'f1': one number each.",
                  "confusion_matrix": "Compute it after training: confusion_matrix(predict(model, X), y).",
                  "roc_curve": "Record 'roc_auc' (its one-number summary) and draw the curve after training: "
                               "roc_curve(predict(model, X), y)."}


class Metrics(Rule):
    """Metrics: a dict name -> ``fn(y_hat, y)``, a list of functions or names, one function, one name, or None.

    Each metric gives one number per epoch: the metrics that return several values (``NOT_SCALAR``
    in ``dlstudy.metrics``) and scikit-learn's functions, which take ``(y_true, y_pred)``, are refused.
    """

    def check(self, value, name):
        from dlstudy import metrics as known
        if value is None:
            return {}
        items = value.items() if isinstance(value, dict) else None
        if items is None:
            values = [value] if callable(value) or isinstance(value, str) else value
            if not isinstance(values, (list, tuple)):
                self.fail(name, "a dict such as {'acc': accuracy}, a list of metric functions or a name such as "
                          "'accuracy'", value)
            items = [(getattr(v, "__name__", v), v) for v in values]
        out, names = {}, _metric_names(known)
        for key, fn in items:
            where = f"{name}[{key!r}]"
            if not isinstance(key, str) or not key:
                self.fail(f"a key of {name}", "a name such as 'acc'", key)
            if isinstance(fn, str):
                if fn not in names:
                    close = difflib.get_close_matches(fn, names, 1)
                    self.fail(where, f"a metric function or the name of one in dlstudy.metrics "
                              f"({', '.join(n for n in names if n not in known.NOT_SCALAR)})", fn,
                              f"Did you mean {close[0]!r}?" if close else "", ArgumentValueError)
                fn = getattr(known, fn)
            Function("a metric function fn(y_hat, y)", "accuracy").check(fn, where)
            own = getattr(fn, "__name__", "")
            if getattr(known, own, None) is fn and own in known.NOT_SCALAR:
                raise ArgumentValueError(f"{where} is {own}, which returns {known.NOT_SCALAR[own]}; fit records "
                                         f"one number per metric and epoch. {NOT_SCALAR_FIX[own]}")
            if str(getattr(fn, "__module__", "")).startswith("sklearn"):
                raise ArgumentTypeError(
                    f"{where} is scikit-learn's {own}, which takes (y_true, y_pred) with class labels; fit calls "
                    f"a metric as fn(y_hat, y) with the model's outputs (logits) first. Use dlstudy's metric by "
                    f"name, e.g. 'accuracy', or wrap it: lambda y_hat, y: {own}(y.cpu(), y_hat.argmax(1).cpu()).")
            if key in out and out[key] is not fn:       # two functions called <lambda>: one would be dropped
                raise ArgumentValueError(
                    f"{name} has two metrics named {key!r}, so fit would record only one of them. Name each one "
                    f"with a dict: metrics={{'acc': accuracy, 'my_score': lambda y_hat, y: ...}}.")
            out[key] = fn
        return out


def _task_hint(y_hat, y):
    if torch.is_tensor(y) and torch.is_tensor(y_hat) and y.is_floating_point() and y_hat.shape == y.shape:
        return "This model predicts numbers: use a regression metric such as 'mse' or 'mae'."
    if torch.is_tensor(y) and not y.is_floating_point():
        return ("This model is a classifier (y holds class labels): use 'accuracy', 'precision', 'recall', 'f1' "
                "or 'roc_auc' (two classes).")
    return "A metric is called as fn(y_hat, y): the model's outputs first, then the targets."


def metric_value(where, fn, y_hat, y):
    """``fn(y_hat, y)`` as one float; an error or a result of several values names ``where`` (e.g. metrics['acc'])."""
    try:
        value = fn(y_hat, y)
    except ArgumentError:
        raise
    except Exception as error:                          # noqa: BLE001 - any metric's error, reworded with its name
        kind = ArgumentTypeError if isinstance(error, TypeError) else ArgumentValueError
        raise kind(f"{where} failed on the outputs y_hat {_describe(y_hat)} and the targets y {_describe(y)}: "
                   f"{type(error).__name__}: {str(error).strip()} {_task_hint(y_hat, y)}") from error
    if torch.is_tensor(value) and value.numel() == 1 and not value.is_complex():
        value = value.item()
    if isinstance(value, np.generic) and np.ndim(value) == 0 and np.isrealobj(value):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ArgumentTypeError(f"{where} returned {shown(value)}, but a metric must return one number per epoch, "
                                "e.g. (y_hat.argmax(1) == y).float().mean() rather than y_hat.argmax(1) == y.")
    return float(value)


def _squeezed(name):
    return name.lower().replace("_", "")


class Callbacks(Rule):
    """A list of callback objects (one alone is put in a list).

    Refused: classes, torch schedulers (wrap them in ``LRScheduler``), misspelled hooks (``on_epoch_ends``,
    ``onEpochEnd``, ``epoch_end``), hooks that do not take ``state``, an ``order`` that is not a number.
    """

    def check(self, value, name):
        if value is None:
            return []
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        for i, callback in enumerate(values):
            where = f"{name}[{i}]" if isinstance(value, (list, tuple)) else name
            if isinstance(callback, type):
                self.fail(where, "a callback object", callback,
                          f"Build it first: {callback.__name__}(...) (with parentheses).")
            if isinstance(callback, (torch.optim.lr_scheduler.LRScheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)):
                self.fail(where, "a callback", callback, "A torch scheduler is not a callback: wrap it, "
                          "LRScheduler(scheduler) (from dlstudy.callbacks), so that fit steps it.")
            names = [n for n in dir(type(callback)) if not n.startswith("__")]
            hooks = [n for n in names if n in HOOKS]
            misspelled = [n for n in names if n not in HOOKS and (n.startswith("on_") or difflib.get_close_matches(
                _squeezed(n), [_squeezed(h) for h in HOOKS], 1, cutoff=0.85))]
            if misspelled:
                close = difflib.get_close_matches(_squeezed(misspelled[0]), [_squeezed(h) for h in HOOKS], 1, 0.6)
                guess = HOOKS[[_squeezed(h) for h in HOOKS].index(close[0])] if close else None
                raise ArgumentValueError(
                    f"{where} ({type(callback).__name__}) defines {misspelled[0]}, which fit never calls"
                    f"{f': did you mean {guess}?' if guess else '.'} The hooks are {', '.join(HOOKS)}.")
            if not hooks:
                self.fail(where, "a callback (a subclass of dlstudy.callbacks.Callback, or an object with hooks "
                          "such as on_epoch_end(self, state))", callback)
            for hook in hooks:
                _check_hook(getattr(callback, hook), hook, where, type(callback).__name__)
            order = getattr(callback, "order", 0)
            if isinstance(order, bool) or not isinstance(order, Real) or order != order:
                raise ArgumentTypeError(f"{where}.order must be a number (smaller runs first; yours run at 0, see "
                                        f"dlstudy.loop.ORDER); got {shown(order)}.")
        return values


def _check_hook(method, hook, where, kind):
    """A hook must be callable with one argument, ``state``."""
    if not callable(method):
        raise ArgumentTypeError(f"{where}.{hook} must be a method {hook}(self, state); got {shown(method)}.")
    try:
        inspect.signature(method).bind(None)
    except TypeError:
        raise ArgumentTypeError(f"{where} ({kind}) has {hook}{inspect.signature(method)}, but fit calls every hook "
                                f"with one argument, the training state: write def {hook}(self, state):") from None
    except ValueError:                                 # no signature (a builtin): trust it
        pass


MODEL = Instance(torch.nn.Module, "a model (an nn.Module)", "nn.Linear(2, 1)")
SAMPLES = Samples()          # X or y of a pair: converted from NumPy / lists, complex numbers refused
LOSS = Function("a loss", "nn.MSELoss() or nn.CrossEntropyLoss()")


class Optimizer(Instance):
    """A ``torch.optim`` optimizer object; the class itself gets "build it for this model: SGD(model.parameters(), ...)"."""

    def __init__(self):
        super().__init__(torch.optim.Optimizer, "a torch.optim optimizer", "torch.optim.SGD(model.parameters(), lr=0.01)")

    def check(self, value, name):
        if isinstance(value, type) and issubclass(value, torch.optim.Optimizer):
            self.fail(name, "an optimizer object", value,
                      f"Build it for this model: {value.__name__}(model.parameters(), lr=0.01).")
        return super().check(value, name)


class Data(Rule):
    """Data to measure, as batches: an (X, y) pair (or a data set of dlstudy.data), a TensorLoader, a DataLoader, a list of batches."""

    def check(self, value, name):
        pair = as_pair(value, name)
        if pair is not None:
            return [pair]                                # a pair is one batch (and draws no random numbers)
        if torch.is_tensor(value) or not hasattr(value, "__iter__") or isinstance(value, (str, bytes, dict)):
            raise ArgumentTypeError(f"{name} must be an (X, y) pair, a TensorLoader or a DataLoader; got "
                                    f"{data_summary(value)}.")
        return value


OPTIMIZER = Optimizer()
DEVICE = Converted(resolve_device, "a device this machine has, such as 'cpu'")   # DeviceError names the argument


def as_pair(data, name):
    """``(X, y)`` tensors when ``data`` is a pair (tensors, NumPy arrays or lists, or dlstudy's ``Data``), else None."""
    if _is_data_set(data):
        data = (data.X, data.y)                       # what make_moons, load_iris, ... return: X, y = data
    if isinstance(data, (tuple, list)) and len(data) != 2 and len(data) and \
            all(torch.is_tensor(part) or isinstance(part, np.ndarray) for part in data):
        raise ArgumentTypeError(f"{name} is a {type(data).__name__} of {len(data)} tensors; fit and evaluate take "
                                f"two, (X, y): the inputs and the targets. Pass {name}=(X, y).")
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        return None
    if any(isinstance(part, (tuple, list)) and len(part) == 2 and isinstance(part[0], (torch.Tensor, np.ndarray))
           for part in data):
        return None                                   # a list of two (X, y) batches, not one pair
    X, y = (SAMPLES.check(part, f"{name}[{i}] ({'X' if i == 0 else 'y'})") for i, part in enumerate(data))
    if len(X) != len(y):
        raise ArgumentValueError(f"{name} holds X and y of different lengths: {len(X)} samples in X, {len(y)} in y. "
                                 "Each sample needs its target: pass (X, y) with one row each.")
    return X, y


def _is_data_set(data):
    """dlstudy's ``Data`` (features ``X``, targets ``y``, unpacks as ``X, y``): not a loader, not an iterator."""
    return (torch.is_tensor(getattr(data, "X", None)) and torch.is_tensor(getattr(data, "y", None))
            and not hasattr(data, "batch_size") and not hasattr(data, "__next__") and not isinstance(data, tuple))


def check_loss(state, loss):
    """Refuse a loss that is not one number, and (on the CPU) stop at a NaN before it reaches the weights."""
    if not torch.is_tensor(loss) or loss.ndim != 0:
        check_loss_value(loss, state.loss_fn)
    if state.check_each_batch and not math.isfinite(loss.item()):    # on the CPU .item() costs no wait
        count = len(state.batches) if hasattr(state.batches, "__len__") else None
        batch = None if count == 1 else (f"{state.batch + 1} of {count}" if count else state.batch + 1)
        raise TrainingDiverged(divergence_message(loss.item(), state.epoch, batch, state.optimizer, state.X))


def _describe(t):
    return f"of shape {tuple(t.shape)} and dtype {str(t.dtype).replace('torch.', '')}" if torch.is_tensor(t) else \
        f"a {type(t).__name__}"


# The advice for an error inside a training step, by what PyTorch said (the first match wins).
STEP_ADVICE = (
    (("more than 1 value per channel",), "BatchNorm cannot normalise a batch of one sample in training mode: the "
     "last batch held 1 sample. Drop it with TensorLoader(X, y, batch_size, drop_last=True) (or DataLoader(..., "
     "drop_last=True)), or pick a batch_size that divides the number of samples."),
    (("does not require grad", "does not have a grad_fn"), "The loss is not connected to the model's weights: "
     "something detached it (.detach(), .item(), torch.no_grad() or a NumPy round trip inside the loss or "
     "forward). Compute the loss from the model's outputs with torch operations only."),
    (("cannot unpack", "not enough values to unpack", "too many values to unpack", "iteration over a 0-d tensor"),
     "A training step must return (y_hat, loss): step(state, X, y) -> (the model's outputs, the loss tensor)."),
    (("mat1 and mat2", "shapes cannot be multiplied", "size mismatch", "Expected input batch_size",
      "expected input", "Given groups", "must match the size", "doesn't match the broadcast"),
     "Check that X has the shape the first layer expects (nn.Linear(in_features, ...) takes X of shape (N, "
     "in_features)) and print the shapes inside forward."),
)


def _step_advice(error):
    text = str(error)
    for needles, advice in STEP_ADVICE:
        if any(needle in text for needle in needles):
            return advice
    return "Print the shapes and dtypes inside forward and the loss to find the line that fails."


def batch_error(error, name, X, y=None, batch=None):
    """``error`` (raised by torch or your model on a batch of ``name``) again, naming the data and the likely fix."""
    frames = [frame.filename for frame in traceback.extract_tb(error.__traceback__)]
    if frames and frames[-1].startswith(PACKAGE) or isinstance(error, ArgumentError):
        return error                                   # dlstudy's own message already says it all
    where = f"{name}{f' (batch {batch + 1})' if batch is not None else ''}: X {_describe(X)}"
    where += f", y {_describe(y)}" if y is not None else ""
    message = (f"The model could not run on {where}. {type(error).__name__}: {str(error).strip()}. "
               f"{_step_advice(error)} dlstudy.explain.explain(error) has more advice.")
    try:
        return type(error)(message)
    except Exception:                                  # noqa: BLE001 - an error type that takes other arguments
        return error


def run_epoch(state, batches, step):
    """One pass over ``batches``: ``step(state, X, y) -> (y_hat, loss)`` on each batch; returns the mean loss.

    The mean is per sample: each batch's mean loss weighted by its size, or for a loss with
    ``reduction='sum'`` the batches' sums divided by the number of samples, so the number does
    not depend on the batch size.

    ``fit``'s step trains (the five steps), ``evaluate``'s only measures. On a GPU the losses
    are summed on the device and read with one ``.item()`` at the end: reading each batch's
    loss would make the GPU wait for every batch; on the CPU each is read as a number.
    """
    total, total_cpu, count, state.batches = torch.zeros((), device=state.device), 0.0, 0, batches
    per_sum = getattr(state.loss_fn, "reduction", "mean") == "sum"     # the loss per sample either way
    for state.batch, batch in enumerate(batches):
        if not isinstance(batch, (tuple, list)) or len(batch) != 2:
            raise ArgumentTypeError(f"Batch {state.batch + 1} of {state.data_name} is {data_summary(batch)}, not an "
                                    "(X, y) pair: a Dataset's __getitem__ must return (x, y).")
        state.X, state.y = to_device(batch[0], state.device), to_device(batch[1], state.device)
        state.emit("on_batch_begin")
        try:
            out = step(state, state.X, state.y)
        except (RuntimeError, ValueError, TypeError, IndexError) as error:
            translated = batch_error(error, state.data_name, state.X, state.y, state.batch)
            if translated is error:
                raise
            raise translated from error
        if not isinstance(out, (tuple, list)) or len(out) != 2 or not torch.is_tensor(out[1]):
            raise ArgumentTypeError(f"step returned {shown(out)}, but a training step must return (y_hat, loss): "
                                    "the model's outputs and the loss tensor, e.g. return y_hat, loss.")
        state.y_hat, state.loss = out
        if state.loss.ndim != 0:
            check_loss_value(state.loss, state.loss_fn)          # one number per batch, with the fix
        n = len(state.y) if hasattr(state.y, "__len__") else 1
        weight = 1 if per_sum else n                             # reduction='sum': the batch's sum already
        if state.check_each_batch:
            total_cpu += state.loss.item() * weight               # the CPU: a float, no tensor arithmetic
        else:
            total += state.loss.detach() * weight                 # a GPU: summed there, read once below
        count += n
        state.emit("on_batch_end")
        if state.stop_batch:
            break
    if count == 0:
        raise ArgumentValueError("The data gave no batches: it is empty (or drop_last dropped every sample).")
    return (total_cpu if state.check_each_batch else total.item()) / count


class CollectMetrics(Callback):
    """Keep each batch's outputs and labels, then add ``{prefix}{name}`` for each metric to the record.

    ``metrics`` is a dict of name -> ``fn(y_hat, y)`` or a list of functions (named by ``__name__``).
    """

    order = ORDER["CollectMetrics"]

    def __init__(self, metrics, prefix="train_"):
        self.metrics, self.prefix, self.outputs = named_metrics(metrics), prefix, []

    def on_train_begin(self, state):
        self.outputs = []

    def on_batch_end(self, state):
        self.outputs.append((state.y_hat.detach(), state.y))

    def on_epoch_end(self, state):
        outputs, self.outputs = self.outputs, []          # this epoch's outputs only, never pooled across epochs
        if self.metrics and outputs:
            y_hat, y = torch.cat([o[0] for o in outputs]), torch.cat([o[1] for o in outputs])
            state.record.update({self.prefix + name: metric_value(f"metrics[{name!r}]", fn, y_hat, y)
                                 for name, fn in self.metrics.items()})


class CheckData(Callback):
    """Check the data before the first step: all of it once when it is in memory, else every batch.

    ``data`` is what ``run_epoch`` will iterate: a list with one ``(X, y)`` pair, a TensorLoader
    (its ``X`` and ``y``) or a DataLoader (checked batch by batch: on the CPU at once, on a GPU
    at the end of the epoch, before anything else sees the record). A forward hook compares the
    first outputs with the targets, before the loss hides a mistake or a step changes a weight.
    """

    order = ORDER["CheckData"]

    def __init__(self, data, name, iterated=True):
        pair = data[0] if isinstance(data, list) and len(data) == 1 else data
        X, y = getattr(pair, "X", None), getattr(pair, "y", None)
        if isinstance(pair, tuple):
            X, y = pair
        self.whole = (X, y) if torch.is_tensor(X) and torch.is_tensor(y) else None
        self.name, self.iterated, self.handle = name, iterated, None   # iterated: the batches run_epoch runs
        self.state_y = self.loss_fn = self.classes = None

    def on_train_begin(self, state):
        self.labels, self.flags, self.first = None, [], True
        if self.whole is not None:
            self.labels = check_data(*self.whole, state.model, state.loss_fn, self.name)
        self.loss_fn = state.loss_fn
        if self.iterated or self.whole is not None:
            self.handle = state.model.register_forward_hook(self._first_outputs)

    def _first_outputs(self, module, args, y_hat):
        self.remove()
        check_classes(self.labels, y_hat, self.loss_fn, self.name)     # all the labels, naming the data
        if self.iterated and self.state_y is not None:
            check_outputs(y_hat, self.state_y, self.loss_fn)
        elif self.whole is not None and torch.is_tensor(y_hat) and y_hat.ndim:   # val_data: its y against these
            y = self.whole[1][:len(y_hat)]                                     # outputs' form, before any step
            try:
                check_outputs(y_hat[:len(y)], y.to(y_hat.device), self.loss_fn)
            except (TypeError, ValueError) as problem:
                raise type(problem)(f"In {self.name}: {problem}") from None
        self.classes = y_hat.shape[1] if torch.is_tensor(y_hat) and y_hat.ndim == 2 else None

    def on_batch_begin(self, state):
        if not self.iterated:
            return
        self.state_y = state.y
        if self.whole is not None:
            return
        where = f"{self.name} (batch {state.batch + 1})"
        if state.check_each_batch:
            labels = check_data(state.X, state.y, state.model, state.loss_fn, where)
            if not self.first and self.classes:
                check_classes(labels, torch.empty(0, self.classes or 0), state.loss_fn, where)
        elif torch.is_tensor(state.X) and state.X.is_floating_point():   # on a GPU: no waiting, checked per epoch
            self.flags.append(~torch.isfinite(state.X).all())
        self.first = False

    def on_epoch_end(self, state):
        if self.flags:
            bad = torch.stack(self.flags).nonzero()
            self.flags = []
            if len(bad):
                raise ArgumentValueError(f"{self.name}'s X contains NaN or infinite values in batch {int(bad[0]) + 1} "
                                         "of this epoch: the loss is NaN from there on. Find them with "
                                         "torch.nonzero(~torch.isfinite(X)) and clean the data set.")

    def remove(self):
        if self.handle is not None:
            self.handle.remove()
            self.handle = None

    def on_train_end(self, state):
        self.remove()


def measure(state, X, y):
    """``evaluate``'s step: the outputs and the loss, nothing trained."""
    y_hat = state.model(X)
    loss = state.loss_fn(y_hat, y) if state.loss_fn is not None else y_hat.new_zeros(())
    if not torch.is_tensor(loss) or loss.ndim != 0:
        check_loss_value(loss, state.loss_fn)
    return y_hat, loss


@declare(model=MODEL, data=Data(), loss_fn=Optional(LOSS), metrics=Metrics(), callbacks=Callbacks())
@torch.no_grad()
def evaluate(model, data, loss_fn=None, metrics=None, callbacks=()):
    """Mean loss and metrics of ``model`` on ``data``, in eval mode without gradients.

    ``data`` is an ``(X, y)`` pair (one batch), a TensorLoader or a DataLoader; the whole of a
    pair or a TensorLoader is checked first (NaN, label dtype and range).

    >>> net = torch.nn.Linear(2, 3); X, y = torch.randn(8, 2), torch.zeros(8, dtype=torch.long)
    >>> sorted(evaluate(net, (X, y), torch.nn.CrossEntropyLoss()))
    ['loss']
    """
    batches = data                                        # Data made a pair a list of one batch
    helpers = [CheckData(batches, "data")] + ([CollectMetrics(metrics, prefix="")] if metrics else [])
    state = TrainState(model, None, loss_fn, model_device(model), History(), callbacks=helpers + callbacks)
    with eval_mode(model):
        state.emit("on_train_begin")
        try:
            state.emit("on_epoch_begin")
            loss = run_epoch(state, batches, measure)
            state.record = {"loss": loss} if loss_fn is not None else {}
            state.emit("on_epoch_end")
        finally:
            state.end()
    return state.record
