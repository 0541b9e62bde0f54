"""Callbacks: everything optional in ``fit`` (progress bar, metrics, early stopping, schedulers, clipping).

``fit`` calls each callback's hooks at fixed points of the loop, always with one argument,
``state`` (a ``TrainState``), that holds the model, the optimizer, the current batch and
the epoch's ``record``. A callback reads and changes ``state``; setting ``state.stop = True``
ends training after the epoch. The hooks, in the order ``fit`` calls them::

    on_train_begin
      on_epoch_begin
        on_batch_begin       # state.X, state.y hold the batch
        on_after_backward    # gradients exist, the step is not taken yet: clipping, gradient statistics
        on_batch_end         # after optimizer.step(): schedulers, per-batch logging
      on_epoch_end           # state.record is complete (and already in state.history)
    on_train_end             # always, also after divergence or an interrupt (state.error says which)

Callbacks run in increasing ``order``; the one table of orders is ``dlstudy.loop.ORDER`` (the data
check at -100, the metric collector at -20, validation at -10, yours at 0, the live plot at
90 and the progress bar at 100). ``Callback``, ``TrainState`` and ``run_epoch`` live in
``dlstudy.loop``, the core these callbacks build on.
"""

import copy
import difflib
import math

import torch

from dlstudy.contract import ArgumentValueError, Choice, Flag, Instance, Number, Optional, Rule, Whole, declare
from dlstudy.loop import HOOKS, ORDER, Callback, CheckData, CollectMetrics, HistoryKeyError, TrainState
from dlstudy.loop import TrainingDiverged
from dlstudy.loop import measure, named_metrics, run_epoch
from dlstudy.checks import check_val_loss
from dlstudy.metrics import ALIASES, DIRECTION, direction
from dlstudy.modes import eval_mode

__all__ = ["HOOKS", "ORDER", "TrainState", "Callback", "CollectMetrics", "Validate", "ProgressBar", "EarlyStopping",
           "LRScheduler", "GradientClipping", "named_metrics"]


class Monitor(Rule):
    """The name of a recorded value, such as ``'val_loss'``; ``example`` shows the call with settings by name."""

    def __init__(self, example="EarlyStopping(patience=3)"):
        self.example = example

    def check(self, value, name):
        if not isinstance(value, str):
            self.fail(name, "the name of a recorded value such as 'val_loss'", value,
                      f"Pass the other settings by name, e.g. {self.example}.")
        return value


def unrecorded(who, monitor, recorded):
    """The error for a watched name that fit did not record, with the fix for its cause (one rule for all).

    >>> print(unrecorded("EarlyStopping", "val_acc", ["train_loss", "val_loss"]))
    EarlyStopping watches 'val_acc', but fit recorded only ['train_loss', 'val_loss']. fit records val_accuracy \
only when it computes that metric: add metrics=['accuracy'] to fit, and watch monitor='val_accuracy'.
    """
    prefix, base = next(((p, monitor[len(p):]) for p in ("train_", "val_") if monitor.startswith(p)), ("", monitor))
    base = ALIASES.get(base, base)
    named = [name for name in ([prefix + base] if prefix else ["val_" + base, "train_" + base]) if name in recorded]
    close = difflib.get_close_matches(monitor, recorded, 1, 0.6)
    if not recorded:
        fix = (f"Nothing was recorded: {who} works during fit, which records values every epoch (evaluate "
               f"measures once). Pass it to fit(..., callbacks=[...]).")
    elif named:
        fix = f"Did you mean monitor={named[0]!r}?"
    elif prefix == "val_" and not any(name.startswith("val_") for name in recorded):
        fix = "Pass val_data=(X_val, y_val) to fit (val_... values are measured on it), or monitor='train_loss'."
    elif base in DIRECTION and base != "loss":
        full = (prefix or "val_") + base
        fix = (f"fit records {full} only when it computes that metric: add metrics=[{base!r}] to fit, and watch "
               f"monitor={full!r}.")
    elif close:
        fix = f"Did you mean monitor={close[0]!r}?"
    elif not prefix:
        fix = "Recorded names start with train_ or val_, e.g. monitor='val_loss' or monitor='train_loss'."
    else:
        fix = "Watch one of the recorded names (a metric of yours is recorded as train_<name> and val_<name>)."
    return HistoryKeyError(f"{who} watches {monitor!r}, but fit recorded only {list(recorded)}. {fix}")


class Scheduler(Rule):
    """A ``torch.optim.lr_scheduler`` object (an optimizer given here is refused: it would be stepped twice)."""

    def check(self, value, name):
        schedulers = (torch.optim.lr_scheduler.LRScheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
        if isinstance(value, torch.optim.Optimizer):
            self.fail(name, "a learning-rate scheduler", value, "LRScheduler takes the scheduler built on the "
                      "optimizer, e.g. LRScheduler(torch.optim.lr_scheduler.StepLR(optimizer, step_size=10)); "
                      "fit already steps the optimizer.")
        return Instance(schedulers, "a learning-rate scheduler", "torch.optim.lr_scheduler.StepLR(optimizer, "
                        "step_size=10)").check(value, name)


class NormType(Rule):
    """The p of the p-norm: a number above 0, or ``float('inf')`` (the largest absolute gradient)."""

    def check(self, value, name):
        if isinstance(value, float) and value == math.inf:
            return value
        return Number(0, example=2.0, low_open=True).check(value, name)


MONITOR, SCHEDULER = Monitor(), Scheduler()
SCHEDULER_MONITOR = Optional(Monitor("LRScheduler(scheduler, per='epoch', monitor='val_loss')"))


def watched_direction(monitor, metrics, who, state=None):
    """``"max"`` or ``"min"`` for the recorded value ``monitor``, from the metric fit was given, else from its name.

    ``dlstudy.metrics.direction`` is the one source of truth; a value whose direction is unknown
    (your own metric, unmarked) is refused with the fix, never guessed; a name fit will not
    record (a typo) is refused naming the ones it will.
    """
    key = monitor
    for prefix in ("train_", "val_"):
        key = key[len(prefix):] if key.startswith(prefix) else key
    way = direction(metrics[key]) if key in (metrics or {}) else None
    way = way or direction(monitor)
    validates = any(isinstance(c, Validate) for c in getattr(state, "callbacks", ()))
    names = ["train_loss"] + ["val_loss"] * validates + [f"{part}_{k}" for part in ("train", "val")[:1 + validates]
                                                           for k in (metrics or {})]
    if way is None and state is not None and monitor not in names:
        close = difflib.get_close_matches(monitor, names, 1)
        raise ArgumentValueError(
            f"{who} watches {monitor!r}, which fit will not record{f' (did you mean {close[0]!r}?)' if close else ''}"
            f": it records {names}. (val_... needs val_data=..., a metric needs metrics=... in fit; a value that a "
            "callback of yours records needs mode='min' or mode='max'.)")
    if way is None:
        raise ArgumentValueError(
            f"{who} watches {monitor!r}, but whether a higher {monitor} is better is not known. Pass mode='max' "
            "(higher is better, like accuracy) or mode='min' (lower is better, like a loss); or mark your metric "
            "function: my_metric.higher_is_better = True.")
    return way


class Validate(Callback):
    """Measure the model on ``data`` after every epoch: ``val_loss`` and ``val_<metric>`` in the record.

    ``fit(val_data=...)`` adds it; the data was checked once before training (a DataLoader is
    checked batch by batch as it runs).
    """

    order = ORDER["Validate"]

    def __init__(self, data, loss_fn, metrics=None):
        self.data, self.loss_fn, self.metrics = data, loss_fn, named_metrics(metrics)
        self.check = CheckData(data, "val_data")

    @torch.no_grad()
    def on_epoch_end(self, state):
        helpers = [CollectMetrics(self.metrics, prefix="val_")] if self.metrics else []
        if self.check.whole is None:
            helpers.append(self.check)                  # streamed data: every batch, every epoch
        inner = TrainState(state.model, None, self.loss_fn, state.device, callbacks=helpers)
        inner.data_name = "val_data"
        inner.record = state.record
        with eval_mode(state.model):
            inner.emit("on_train_begin")
            try:
                inner.emit("on_epoch_begin")
                state.record["val_loss"] = run_epoch(inner, self.data, measure)
                inner.emit("on_epoch_end")
            finally:
                inner.end()
        check_val_loss(state.record, TrainingDiverged)      # a NaN validation loss is flagged, not plotted


class ProgressBar(Callback):
    """A tqdm bar over the epochs with the last training loss (``fit(progress=True)`` adds it)."""

    order = ORDER["ProgressBar"]
    bar = None

    def on_train_begin(self, state):
        from tqdm.auto import tqdm   # a notebook bar inside Jupyter, text elsewhere
        self.bar = tqdm(total=state.num_epochs, desc="fit", mininterval=0.5, leave=True)

    def on_epoch_end(self, state):
        self.bar.set_postfix_str(f"train_loss={state.record['train_loss']:.4f}", refresh=False)
        self.bar.update(1)

    def on_train_end(self, state):
        if self.bar is not None:
            self.bar.close()


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs; restore the best weights at the end.

    ``mode="min"`` (lower is better) or ``"max"``; by default the metric's own direction
    (``dlstudy.metrics.direction``: "max" for accuracy, precision, recall, f1, roc_auc, "min" for
    losses, mse, mae); for a metric of yours whose direction is unknown, pass ``mode``. The best
    weights come back also when training ends with an error or an interrupt.
    ``history.best_epoch`` tells which epoch it was.

    >>> EarlyStopping(monitor="val_accuracy").mode, EarlyStopping(monitor="train_recall").mode, EarlyStopping().mode
    ('max', 'max', 'min')
    >>> EarlyStopping(patience=0)
    Traceback (most recent call last):
    ...
    dlstudy.contract.ArgumentValueError: patience must be 1 or more; got 0.
    """

    best_epoch, best_state = None, None

    @declare(monitor=MONITOR, patience=Whole(1, example=5), mode=Optional(Choice("min", "max")),
             min_delta=Number(0, example=0.0), restore_best=Flag())
    def __init__(self, monitor="val_loss", patience=5, mode=None, min_delta=0.0, restore_best=True):
        self.monitor, self.patience, self.given_mode = monitor, patience, mode
        self.mode = mode or direction(monitor)      # None until fit's metrics say it (or refuse)
        self.min_delta, self.restore_best = min_delta, restore_best

    def on_train_begin(self, state):
        self.mode = self.given_mode or watched_direction(self.monitor, getattr(state, "metrics", None),
                                                               "EarlyStopping", state)
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch, self.best_state, self.wait = None, None, 0

    def _improved(self, value):
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, state):
        if self.monitor not in state.history:
            raise unrecorded("EarlyStopping", self.monitor, state.history.names())
        values = state.history[self.monitor]
        if self._improved(values[-1]):
            self.best, self.best_epoch, self.wait = values[-1], len(values), 0
            if self.restore_best:
                self.best_state = copy.deepcopy(state.model.state_dict())
        else:
            self.wait += 1
            state.stop = state.stop or self.wait >= self.patience

    def on_train_end(self, state):
        state.history.best_epoch = self.best_epoch
        if self.restore_best and self.best_state is not None:
            state.model.load_state_dict(self.best_state)

    def __repr__(self):
        return f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, mode={self.mode!r})"


class LRScheduler(Callback):
    """Step a ``torch.optim.lr_scheduler`` after every batch (``per="batch"``) or every epoch.

    ``lrs`` lists the learning rate each step (or epoch) used. A ``ReduceLROnPlateau`` steps
    per epoch on the recorded value ``monitor`` (default ``"val_loss"``); other schedulers follow
    their own plan, so ``monitor`` is refused for them (it would change nothing).
    """

    sets_lr = True

    @declare(scheduler=SCHEDULER, per=Choice("batch", "epoch"), monitor=SCHEDULER_MONITOR)
    def __init__(self, scheduler, per="batch", monitor=None):
        plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
        if plateau and per != "epoch":
            raise ValueError("ReduceLROnPlateau watches a value measured once per epoch: use per='epoch'.")
        if monitor is not None and not plateau:
            raise ArgumentValueError(
                f"monitor={monitor!r} has no effect on {type(scheduler).__name__}: it changes the learning rate on "
                "a fixed plan, whatever fit records. Leave monitor out, or use ReduceLROnPlateau(optimizer, "
                "mode='min'), which watches monitor.")
        monitor = "val_loss" if monitor is None else monitor
        self.scheduler, self.per, self.monitor, self.plateau, self.lrs = scheduler, per, monitor, plateau, []

    def on_train_begin(self, state):
        optimizer = getattr(state, "optimizer", None)
        if optimizer is not None and getattr(self.scheduler, "optimizer", optimizer) is not optimizer:
            raise ArgumentValueError(
                "LRScheduler's scheduler was built on another optimizer than the one fit trains with, so fit's "
                "learning rate would never change. Build the scheduler on the optimizer you pass to fit, e.g. "
                "torch.optim.lr_scheduler.StepLR(optimizer, step_size=10).")
        if self.plateau:
            way = watched_direction(self.monitor, getattr(state, "metrics", None), "LRScheduler(ReduceLROnPlateau)",
                                    state)
            if self.scheduler.mode != way:
                better = "higher" if way == "max" else "lower"
                raise ArgumentValueError(
                    f"The ReduceLROnPlateau scheduler has mode={self.scheduler.mode!r}, but a {better} "
                    f"{self.monitor} is better: it would cut the learning rate while {self.monitor} improves. "
                    f"Build it with mode={way!r}: ReduceLROnPlateau(optimizer, mode={way!r}).")

    def _step(self, state):
        self.lrs.append(state.optimizer.param_groups[0]["lr"])
        if self.plateau:
            if self.monitor not in state.record:
                raise unrecorded("LRScheduler", self.monitor, [k for k in state.record if k != "epoch"])
            self.scheduler.step(state.record[self.monitor])
        else:
            try:
                self.scheduler.step()
            except ValueError as error:             # e.g. OneCycleLR stepped past its total_steps
                raise ArgumentValueError(
                    f"The scheduler {type(self.scheduler).__name__} refused its step {len(self.lrs)} "
                    f"(per={self.per!r}): {error}. A schedule built for a number of steps (total_steps, "
                    f"epochs * steps_per_epoch) must cover the whole run: with per='batch' that is "
                    f"num_epochs * len(train_loader) steps, with per='epoch' num_epochs.") from error

    def on_batch_end(self, state):
        if self.per == "batch":
            self._step(state)

    def on_epoch_end(self, state):
        if self.per == "epoch":
            self._step(state)


class GradientClipping(Callback):
    """Scale the gradients down so their total norm is at most ``max_norm``, before each step.

    ``norm_type`` is the norm's order: 2.0 (the default), 1.0, or ``float('inf')`` (the largest gradient).
    ``norms`` keeps each step's norm before clipping (tensors, read them after training).
    """

    @declare(max_norm=Number(0, example=1.0, low_open=True), norm_type=NormType())
    def __init__(self, max_norm, norm_type=2.0):
        self.max_norm, self.norm_type, self.norms = max_norm, norm_type, []

    def on_train_begin(self, state):
        self.norms = []

    def on_after_backward(self, state):
        norm = torch.nn.utils.clip_grad_norm_(state.model.parameters(), self.max_norm, self.norm_type)
        self.norms.append(norm.detach())
