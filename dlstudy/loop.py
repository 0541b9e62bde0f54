"""The core that ``fit``, ``evaluate`` and every callback build on: ``TrainState``, ``run_epoch``, ``evaluate``.

``run_epoch`` runs a step over the batches of one epoch and calls the callbacks' hooks
around each batch; ``fit`` (in ``dlstudy.train``) repeats it with a training step,
``evaluate`` runs it once with a step that only measures. ``ORDER`` is the one table of
the order in which the callbacks run.
"""

import difflib
import traceback
from pathlib import Path

import torch

from dlstudy.checks import check_classes, check_data, check_loss_value, check_outputs, data_summary
from dlstudy.checks import divergence_message
from dlstudy.contract import ArgumentError, ArgumentTypeError, ArgumentValueError, Function, Instance, Optional
from dlstudy.contract import Rule, as_samples
from dlstudy.contract import declare
from dlstudy.device import to_device
from dlstudy.modes import eval_mode, model_device

__all__ = ["HOOKS", "ORDER", "TrainingDiverged", "History", "Callback", "TrainState", "CollectMetrics",
           "named_metrics", "Metrics", "CheckData", "batch_error", "Callbacks", "MODEL", "LOSS", "as_pair",
           "check_loss", "run_epoch",
           "evaluate"]

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


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite, so training was stopped; ``.history`` holds the epochs before it."""

    history = None


class History:
    """Per-epoch results of ``fit``: ``history["train_loss"]`` is a list, one value per epoch.

    >>> h = History(); h.append({"epoch": 1, "train_loss": 0.5}); h["train_loss"]
    [0.5]
    """

    def __init__(self):
        self.records = []       # one dict per epoch
        self.best_epoch = None  # set by EarlyStopping

    def append(self, record):
        self.records.append(record)

    def __getitem__(self, key):
        return [record[key] for record in self.records if key in record]

    def __len__(self):
        return len(self.records)

    def keys(self):
        """The names that were recorded, e.g. ``['train_loss', 'val_loss', 'val_acc']``."""
        return [key for key in self.records[-1] if key != "epoch"] if self.records else []

    def __repr__(self):
        if not self.records:
            return "History(0 epochs)"
        last = ", ".join(f"{k}={v:.4f}" for k, v in self.records[-1].items() if k != "epoch")
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


def _defines(method, hook):
    """True when ``method`` does something: it exists and is not ``Callback``'s empty default."""
    return method is not None and getattr(method, "__func__", None) is not getattr(Callback, hook)


class TrainState:
    """What the callbacks see and change during ``fit``: model, optimizer, batch, record, stop flags.

    Attributes: ``model, optimizer, loss_fn, device, history, num_epochs, epoch`` (from 1),
    ``batch`` (from 0 within the epoch), ``X, y, y_hat, loss`` (the current batch; ``loss``
    is a tensor), ``record`` (this epoch's results), ``stop`` (stop after this epoch),
    ``stop_batch`` (stop now), ``error`` (the exception that ended training, or None).

    >>> state = TrainState(callbacks=[]); state.emit("on_epoch_end"); state.stop
    False
    """

    def __init__(self, model=None, optimizer=None, loss_fn=None, device=None, history=None, num_epochs=0,
                 callbacks=()):
        self.model, self.optimizer, self.loss_fn, self.device = model, optimizer, loss_fn, device
        self.history, self.num_epochs = history, num_epochs
        self.epoch, self.batch, self.batches, self.data_name = 0, 0, None, "data"
        self.X = self.y = self.y_hat = self.loss = None
        self.record = {}
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


class Metrics(Rule):
    """Metrics: a dict name -> ``fn(y_hat, y)``, a list of functions or names, one function, one name, or None."""

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
        out = {}
        for key, fn in items:
            if isinstance(fn, str):
                if fn not in known.__all__:
                    close = difflib.get_close_matches(fn, known.__all__, 1)
                    self.fail(f"{name}[{key!r}]", f"a metric function or the name of one in dlstudy.metrics "
                              f"({', '.join(known.__all__)})", fn,
                              f"Did you mean {close[0]!r}?" if close else "", ArgumentValueError)
                fn = getattr(known, fn)
            Function("a metric function fn(y_hat, y)", "accuracy").check(fn, f"{name}[{key!r}]")
            out[str(key)] = fn
        return out


class Callbacks(Rule):
    """A list of callback objects (one alone is put in a list); classes, schedulers and misspelled hooks are refused."""

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
            hooks = [n for n in dir(type(callback)) if n.startswith("on_")]
            if not hooks:
                self.fail(where, "a callback (a subclass of dlstudy.callbacks.Callback, or an object with hooks "
                          "such as on_epoch_end(self, state))", callback)
            unknown = [n for n in hooks if n not in HOOKS]
            if unknown:
                close = difflib.get_close_matches(unknown[0], HOOKS, 1)
                raise ArgumentValueError(
                    f"{where} ({type(callback).__name__}) defines {unknown[0]}, which fit never calls"
                    f"{f': did you mean {close[0]}?' if close else '.'} The hooks are {', '.join(HOOKS)}.")
        return values


MODEL = Instance(torch.nn.Module, "a model (an nn.Module)", "nn.Linear(2, 1)")
LOSS = Function("a loss", "nn.MSELoss() or nn.CrossEntropyLoss()")


def as_pair(data, name):
    """``(X, y)`` tensors when ``data`` is a pair (tensors, NumPy arrays or lists), else None."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        return None
    if any(isinstance(part, (tuple, list)) and len(part) == 2 and torch.is_tensor(part[0]) for part in data):
        return None                                   # a list of two (X, y) batches, not one pair
    X, y = (as_samples(part, f"{name}[{i}] ({'X' if i == 0 else 'y'})") for i, part in enumerate(data))
    if len(X) != len(y):
        raise ArgumentValueError(f"{name} holds X and y of different lengths: {len(X)} samples in X, {len(y)} in y. "
                                 "Each sample needs its target: pass (X, y) with one row each.")
    return X, y


def check_loss(state, loss):
    """Refuse a loss that is not one number, and (on the CPU) stop at a NaN before it reaches the weights."""
    if not torch.is_tensor(loss) or loss.ndim != 0:
        check_loss_value(loss, state.loss_fn)
    if state.check_each_batch and not torch.isfinite(loss):
        count = len(state.batches) if hasattr(state.batches, "__len__") else None
        batch = None if count == 1 else (f"{state.batch + 1} of {count}" if count else state.batch + 1)
        raise TrainingDiverged(divergence_message(loss.item(), state.epoch, batch, state.optimizer, state.X))


def _describe(t):
    return f"of shape {tuple(t.shape)} and dtype {str(t.dtype).replace('torch.', '')}" if torch.is_tensor(t) else \
        f"a {type(t).__name__}"


def batch_error(error, name, X, y=None, batch=None):
    """``error`` (raised by torch or your model on a batch of ``name``) again, naming the data and its shapes."""
    frames = [frame.filename for frame in traceback.extract_tb(error.__traceback__)]
    if frames and frames[-1].startswith(PACKAGE) or isinstance(error, ArgumentError):
        return error                                   # dlstudy's own message already says it all
    where = f"{name}{f' (batch {batch + 1})' if batch is not None else ''}: X {_describe(X)}"
    where += f", y {_describe(y)}" if y is not None else ""
    message = (f"The model could not run on {where}. {type(error).__name__}: {str(error).strip()}. Check that "
               "X has the shape the first layer expects (nn.Linear(in_features, ...) takes X of shape (N, "
               "in_features)) and print the shapes inside forward; dlstudy.explain.explain(error) has more advice.")
    try:
        return type(error)(message)
    except Exception:                                  # noqa: BLE001 - an error type that takes other arguments
        return error


def run_epoch(state, batches, step):
    """One pass over ``batches``: ``step(state, X, y) -> (y_hat, loss)`` on each batch; returns the mean loss.

    ``fit``'s step trains (the five steps), ``evaluate``'s only measures. The losses are summed
    on the device and read with one ``.item()`` at the end: reading each batch's loss would
    make a GPU wait for every batch.
    """
    total, count, state.batches = torch.zeros((), device=state.device), 0, batches
    for state.batch, batch in enumerate(batches):
        if not isinstance(batch, (tuple, list)) or len(batch) != 2:
            raise ArgumentTypeError(f"Batch {state.batch + 1} of {state.data_name} is {data_summary(batch)}, not an "
                                    "(X, y) pair: a Dataset's __getitem__ must return (x, y).")
        state.X, state.y = to_device(batch[0], state.device), to_device(batch[1], state.device)
        state.emit("on_batch_begin")
        try:
            state.y_hat, state.loss = step(state, state.X, state.y)
        except (RuntimeError, ValueError, TypeError, IndexError) as error:
            translated = batch_error(error, state.data_name, state.X, state.y, state.batch)
            if translated is error:
                raise
            raise translated from error
        total += state.loss.detach() * len(state.y)
        count += len(state.y)
        state.emit("on_batch_end")
        if state.stop_batch:
            break
    if count == 0:
        raise ArgumentValueError("The data gave no batches: it is empty (or drop_last dropped every sample).")
    return total.item() / count


class CollectMetrics(Callback):
    """Keep each batch's outputs and labels, then add ``{prefix}{name}`` for each metric to the record.

    ``metrics`` is a dict of name -> ``fn(y_hat, y)`` or a list of functions (named by ``__name__``).
    """

    order = ORDER["CollectMetrics"]

    def __init__(self, metrics, prefix="train_"):
        self.metrics, self.prefix, self.outputs = named_metrics(metrics), prefix, []

    def on_epoch_begin(self, state):
        self.outputs = []

    def on_batch_end(self, state):
        self.outputs.append((state.y_hat.detach(), state.y))

    def on_epoch_end(self, state):
        if self.metrics and self.outputs:
            y_hat, y = torch.cat([o[0] for o in self.outputs]), torch.cat([o[1] for o in self.outputs])
            state.record.update({self.prefix + name: float(fn(y_hat, y)) for name, fn in self.metrics.items()})
        self.outputs = []


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
        if self.iterated or self.labels is not None:
            self.handle = state.model.register_forward_hook(self._first_outputs)

    def _first_outputs(self, module, args, y_hat):
        self.remove()
        check_classes(self.labels, y_hat, self.loss_fn, self.name)     # all the labels, naming the data
        if self.iterated and self.state_y is not None:
            check_outputs(y_hat, self.state_y, self.loss_fn)
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


@declare(model=MODEL, loss_fn=Optional(LOSS), metrics=Metrics())
@torch.no_grad()
def evaluate(model, data, loss_fn=None, metrics=None, callbacks=()):
    """Mean loss and metrics of ``model`` on ``data``, in eval mode without gradients.

    ``data`` is an ``(X, y)`` pair (one batch), a TensorLoader or a DataLoader; the whole of a
    pair or a TensorLoader is checked first (NaN, label dtype and range).

    >>> net = torch.nn.Linear(2, 3); X, y = torch.randn(8, 2), torch.zeros(8, dtype=torch.long)
    >>> sorted(evaluate(net, (X, y), torch.nn.CrossEntropyLoss()))
    ['loss']
    """
    pair = as_pair(data, "data")
    if pair is None and (torch.is_tensor(data) or not hasattr(data, "__iter__")
                         or isinstance(data, (str, bytes, dict))):
        raise ArgumentTypeError(f"data must be an (X, y) pair, a TensorLoader or a DataLoader; got "
                                f"{data_summary(data)}.")
    batches = [pair] if pair is not None else data       # a pair is one batch (and draws no random numbers)
    helpers = [CheckData(batches, "data")] + ([CollectMetrics(metrics, prefix="")] if metrics else [])
    state = TrainState(model, None, loss_fn, model_device(model), callbacks=helpers + list(callbacks))
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
