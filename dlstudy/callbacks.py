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

Callbacks run in increasing ``order`` (the built-in metric collector runs at -20, validation
at -10, yours at 0, the live plot at 90 and the progress bar at 100).
"""

import copy
import math

import torch

__all__ = ["HOOKS", "TrainState", "Callback", "CollectMetrics", "ProgressBar", "EarlyStopping", "LRScheduler",
           "GradientClipping"]

HOOKS = ("on_train_begin", "on_epoch_begin", "on_batch_begin", "on_after_backward", "on_batch_end",
         "on_epoch_end", "on_train_end")


class Callback:
    """Hooks that ``fit`` calls with ``state``; override the ones you need.

    >>> class CountBatches(Callback):
    ...     def on_train_begin(self, state):
    ...         self.count = 0
    ...     def on_batch_end(self, state):
    ...         self.count += 1
    """

    order = 0   # callbacks run in increasing order

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
        self.epoch, self.batch = 0, 0
        self.X = self.y = self.y_hat = self.loss = None
        self.record = {}
        self.stop, self.stop_batch, self.error = False, False, None
        self.callbacks = sorted(callbacks, key=lambda callback: getattr(callback, "order", 0))
        self.hooks = {hook: [m for m in (getattr(c, hook, None) for c in self.callbacks) if _defines(m, hook)]
                      for hook in HOOKS}   # per hook, only the callbacks that define it: an unused hook costs nothing

    def emit(self, hook):
        """Call ``hook`` (e.g. ``"on_batch_end"``) of every callback, in order."""
        for method in self.hooks[hook]:
            method(self)


class CollectMetrics(Callback):
    """Keep each batch's outputs and labels, then add ``{prefix}{name}`` for each metric to the record.

    ``metrics`` is a dict of name -> ``fn(y_hat, y)`` or a list of functions (named by ``__name__``).
    """

    order = -20

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


def named_metrics(metrics):
    """``{name: fn}`` from a dict, a list of functions (named by ``__name__``) or None.

    >>> def acc(y_hat, y): return 1.0
    >>> list(named_metrics([acc]))
    ['acc']
    """
    if metrics is None:
        return {}
    if isinstance(metrics, dict):
        return dict(metrics)
    return {fn.__name__: fn for fn in metrics}


class ProgressBar(Callback):
    """A tqdm bar over the epochs with the last training loss (``fit(progress=True)`` adds it)."""

    order = 100
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

    ``mode="min"`` (lower is better) or ``"max"``; by default "max" for names ending in
    ``acc``, ``f1`` or ``auc``, else "min". The best weights come back also when training
    ends with an error or an interrupt. ``history.best_epoch`` tells which epoch it was.

    >>> EarlyStopping(monitor="val_acc").mode, EarlyStopping().mode
    ('max', 'min')
    >>> EarlyStopping(patience=0)
    Traceback (most recent call last):
    ...
    ValueError: patience is how many epochs without improvement to wait before stopping: expected 1 or more, got 0.
    """

    best_epoch, best_state = None, None

    def __init__(self, monitor="val_loss", patience=5, mode=None, min_delta=0.0, restore_best=True):
        if not isinstance(monitor, str):
            raise TypeError(f"monitor is the name of a recorded value such as 'val_loss'; got {monitor!r}. "
                            "Pass the patience by name: EarlyStopping(patience=...).")
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ValueError(f"patience is how many epochs without improvement to wait before stopping: "
                             f"expected 1 or more, got {patience!r}.")
        mode = mode or ("max" if monitor.endswith(("acc", "f1", "auc")) else "min")
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' (lower is better) or 'max' (higher is better); got {mode!r}.")
        self.monitor, self.patience, self.mode = monitor, patience, mode
        self.min_delta, self.restore_best = min_delta, restore_best

    def on_train_begin(self, state):
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch, self.best_state, self.wait = None, None, 0

    def _improved(self, value):
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, state):
        values = state.history[self.monitor]
        if not values:
            raise KeyError(f"EarlyStopping watches {self.monitor!r}, but fit recorded only "
                           f"{state.history.keys()}. Pass val_data=... to fit, or monitor='train_loss'.")
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
    per epoch on the recorded value ``monitor`` (default ``"val_loss"``).
    """

    def __init__(self, scheduler, per="batch", monitor="val_loss"):
        if per not in ("batch", "epoch"):
            raise ValueError(f"per must be 'batch' (step after every batch) or 'epoch'; got {per!r}.")
        plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
        if plateau and per != "epoch":
            raise ValueError("ReduceLROnPlateau watches a value measured once per epoch: use per='epoch'.")
        self.scheduler, self.per, self.monitor, self.plateau, self.lrs = scheduler, per, monitor, plateau, []

    def _step(self, state):
        self.lrs.append(state.optimizer.param_groups[0]["lr"])
        if self.plateau:
            if self.monitor not in state.record:
                raise KeyError(f"LRScheduler watches {self.monitor!r}, but this epoch recorded only "
                               f"{[k for k in state.record if k != 'epoch']}.")
            self.scheduler.step(state.record[self.monitor])
        else:
            self.scheduler.step()

    def on_batch_end(self, state):
        if self.per == "batch":
            self._step(state)

    def on_epoch_end(self, state):
        if self.per == "epoch":
            self._step(state)


class GradientClipping(Callback):
    """Scale the gradients down so their total norm is at most ``max_norm``, before each step.

    ``norms`` keeps each step's norm before clipping (tensors, read them after training).
    """

    def __init__(self, max_norm, norm_type=2.0):
        if not max_norm > 0:
            raise ValueError(f"max_norm is the largest gradient norm allowed: expected a positive number, "
                             f"got {max_norm!r}.")
        self.max_norm, self.norm_type, self.norms = max_norm, norm_type, []

    def on_train_begin(self, state):
        self.norms = []

    def on_after_backward(self, state):
        norm = torch.nn.utils.clip_grad_norm_(state.model.parameters(), self.max_norm, self.norm_type)
        self.norms.append(norm.detach())
