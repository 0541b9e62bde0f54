"""The training loop you wrote by hand in chapter 06, as one function: ``fit``.

``fit`` checks its arguments and the data once, then repeats ``run_epoch`` (from
``dlstudy.loop``) for ``num_epochs`` with a step on each batch: by default ``train_step``, the
five steps you wrote (forward, loss, clear, backward, step); it calls the callbacks at fixed points.
Everything optional (metrics, validation, progress bar, early stopping, schedulers,
clipping, live plots) is a callback, see ``dlstudy.callbacks``.
"""

import math

import torch

from dlstudy.callbacks import EarlyStopping, ProgressBar, Validate
from dlstudy.checks import check_fit_arguments, divergence_message
from dlstudy.checks import check_data
from dlstudy.contract import ArgumentTypeError, ArgumentValueError, Flag, Function, Optional, Rule, Samples, Whole
from dlstudy.contract import declare
from dlstudy.data.loaders import TensorLoader
from dlstudy.device import to_device
from dlstudy.loop import DEVICE, LOSS, MODEL, OPTIMIZER
from dlstudy.loop import Callback, Callbacks, CheckData, CollectMetrics, History, Metrics, TrainState
from dlstudy.loop import TrainingDiverged, as_pair, batch_error, check_loss, evaluate, may_set_lr, run_epoch
from dlstudy.modes import eval_mode, model_device

__all__ = ["History", "Callback", "EarlyStopping", "TrainState", "TrainingDiverged", "Validate", "run_epoch", "fit",
           "evaluate", "predict"]


class Batches(Rule):
    """Training data: an (X, y) pair, a TensorLoader, a DataLoader or another iterable of (X, y) batches."""

    def check(self, value, name):
        if torch.is_tensor(value):
            raise ArgumentTypeError(f"{name} is a single tensor; fit needs the inputs and the targets: pass (X, y).")
        pair = as_pair(value, name)
        if pair is not None:
            if len(pair[0]) == 0:
                raise ArgumentValueError(f"{name} is empty: X has 0 samples. Pass the data to train on, "
                                         "e.g. (X_train, y_train).")
            return pair
        if isinstance(value, TensorLoader) and len(value) == 0:
            raise ArgumentValueError(
                f"{name} gives no batches: {len(value.X)} samples with batch_size={value.batch_size} and "
                f"drop_last=True drop them all. Use drop_last=False, or batch_size={len(value.X)} or less.")
        if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
            raise ArgumentTypeError(f"Expected {name} as an (X, y) pair of tensors, a TensorLoader or a DataLoader; "
                                    f"got {type(value).__name__}.")
        if hasattr(value, "__len__") and len(value) == 0:
            raise ArgumentValueError(f"{name} gives no batches: it is empty. Check the data set's length "
                                     "(len(dataset)).")
        return value


def iter_once(data):
    """True for an iterator or generator: it runs out after one pass."""
    return hasattr(data, "__next__")


def _loader(data, device, shuffle, batch_size, name, num_epochs=1):
    """Batches of ``data`` (checked by ``Batches``) on ``device``; a pair becomes a TensorLoader."""
    if isinstance(data, tuple):
        return TensorLoader(*data, batch_size or len(data[0]), shuffle=shuffle, device=device)
    if iter_once(data) and num_epochs > 1:
        raise ArgumentTypeError(f"{name} is a {type(data).__name__}: it gives its batches once, so epoch 2 would "
                                f"have none{' (and validation runs every epoch)' if name == 'val_data' else ''}. "
                                f"Pass a list of (X, y) batches (list(...)), a TensorLoader or a DataLoader.")
    if name == "train_data" and batch_size is not None and getattr(data, "batch_size", batch_size) != batch_size:
        raise ArgumentValueError(f"batch_size={batch_size} cannot change {name}: it is a loader that makes batches "
                                 f"of {data.batch_size}. Set the size where the loader is made "
                                 f"(TensorLoader(X, y, batch_size={batch_size})), or leave batch_size out.")
    if isinstance(data, TensorLoader) and data.X.device != device:
        return data.to(device)
    return data


@declare(model=MODEL, train_data=Batches(), loss_fn=LOSS, optimizer=OPTIMIZER, device=Optional(DEVICE),
         num_epochs=Whole(0, example=10), val_data=Optional(Batches()), metrics=Metrics(),
         callbacks=Callbacks(), progress=Flag(), batch_size=Optional(Whole(1, example=32)),
         step=Optional(Function("a training step step(state, X, y) -> (y_hat, loss)", "fit's own train_step")))
def fit(model, train_data, loss_fn, optimizer, num_epochs, *, val_data=None, metrics=None, device=None,
        callbacks=None, progress=True, batch_size=None, step=None):
    """Train ``model`` for ``num_epochs`` and return a ``History`` of losses and metrics per epoch.

    ``train_data`` is an ``(X, y)`` pair or a data set of ``dlstudy.data`` (batches of
    ``batch_size``, or all of it in one), a ``TensorLoader``, a ``DataLoader`` or a list of
    ``(X, y)`` batches; all of a pair or a TensorLoader is checked before the first step.
    The recorded loss is the mean per sample (a loss with ``reduction='sum'`` is divided by
    the number of samples). ``device=None`` trains where the model already is. ``step(state, X, y)``
    is what is done to each batch (by default ``train_step`` below: the five steps). Whatever
    ends training (a NaN loss raises ``TrainingDiverged``, a callback's error, Ctrl+C), the
    callbacks' ``on_train_end`` runs, so ``EarlyStopping`` restores the best weights, and the
    history of the finished epochs is kept: returned after an interrupt, ``error.history`` otherwise.

    >>> net = torch.nn.Linear(1, 1); X = torch.randn(32, 1); y = 3 * X
    >>> h = fit(net, (X, y), torch.nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=0.1), 50, progress=False)
    >>> h["train_loss"][-1] < 0.01
    True
    """
    check_fit_arguments(model, optimizer)      # what needs both: lr, trainable parameters, the optimizer's model
    if step is None:
        _check_lr_moves(optimizer, callbacks)
    device = model_device(model) if device is None else device      # checked by the declaration (resolve_device)
    train_loader = _loader(train_data, device, True, batch_size, "train_data", num_epochs)
    helpers = [CheckData(train_loader, "train_data")] + ([CollectMetrics(metrics)] if metrics else [])
    if val_data is not None:
        val_loader = _loader(val_data, device, False, batch_size, "val_data", num_epochs)
        helpers += [CheckData(val_loader, "val_data", iterated=False), Validate(val_loader, loss_fn, metrics)]
    helpers += [ProgressBar()] if progress else []
    model.to(device)
    state = TrainState(model, optimizer, loss_fn, device, History(), num_epochs, helpers + callbacks)
    state.data_name, state.metrics = "train_data", metrics      # metrics: the directions EarlyStopping reads
    was_training = model.training

    def train_step(state, X, y):
        y_hat = model(X)                                     # 1. forward
        loss = loss_fn(y_hat, y)                             # 2. loss
        check_loss(state, loss)                              # one number? NaN? (stop before it reaches the weights)
        optimizer.zero_grad(set_to_none=True)                # 3. clear old gradients
        loss.backward()                                      # 4. backward
        state.y_hat, state.loss = y_hat, loss
        state.emit("on_after_backward")                      # the gradients are there: clipping, statistics
        optimizer.step()                                     # 5. step
        return y_hat, loss

    step = step or train_step
    try:
        state.emit("on_train_begin")
        for state.epoch in range(1, num_epochs + 1):
            model.train()
            state.record = {"epoch": state.epoch}
            state.emit("on_epoch_begin")
            state.record["train_loss"] = run_epoch(state, train_loader, step)     # the batches, one step each
            _check_finite(state, helpers[0])   # on a GPU, NaN data and a NaN loss are found here, once per epoch
            state.history.append(state.record)
            state.emit("on_epoch_end")         # metrics, validation, early stopping, progress bar
            if state.stop or state.stop_batch:
                break
    except BaseException as error:             # a NaN, a bad batch, a callback's bug, Ctrl+C: keep what was learned
        state.error = error
    end_error = state.end()                    # every on_train_end runs (EarlyStopping restores the best weights)
    model.train(was_training)
    return _finish(state, state.error or end_error)


def _check_lr_moves(optimizer, callbacks):
    """Refuse a learning rate of 0 in every group when no callback can raise it: the steps would change nothing."""
    rates = [group.get("lr") for group in optimizer.param_groups]
    if all(isinstance(lr, (int, float)) and lr == 0 for lr in rates) and not any(map(may_set_lr, callbacks)):
        raise ArgumentValueError(
            f"optimizer has lr=0, so every step would leave the weights as they are: training would change nothing. "
            f"Give it a learning rate above 0, e.g. torch.optim.{type(optimizer).__name__}(model.parameters(), "
            "lr=0.01) (or a scheduler in callbacks=[LRScheduler(...)] that raises it).")


def _check_finite(state, check_data):
    """Stop at a NaN or infinite epoch loss, blaming the data when a batch of it held NaN (GPU runs)."""
    if not math.isfinite(state.record["train_loss"]):
        check_data.on_epoch_end(state)          # names the batch of NaN data, if that is the cause
        raise TrainingDiverged(divergence_message(state.record["train_loss"], state.epoch, None, state.optimizer))


def _finish(state, error):
    """The history, or ``error`` carrying it (an interrupt returns the history)."""
    if error is None:
        return state.history
    if isinstance(error, KeyboardInterrupt):
        print(f"Training interrupted after {len(state.history)} complete epochs; fit returns their history.")
        return state.history
    try:
        error.history = state.history
    except AttributeError:                     # an exception type that takes no attributes
        pass
    raise error


@declare(model=MODEL, X=Samples())             # NumPy arrays and lists are converted (float32 / int64)
@torch.no_grad()
def predict(model, X):
    """The model's outputs for ``X`` (eval mode, no gradients), on the device ``X`` came from.

    A model that returns a tuple or a dict of tensors gets them all back, each moved.

    >>> predict(torch.nn.Linear(2, 1), torch.zeros(5, 2)).shape
    torch.Size([5, 1])
    """
    check_data(X, X.new_zeros(len(X), dtype=torch.float32), model, None, "predict")   # dtype, NaN
    with eval_mode(model):
        try:
            y_hat = model(X.to(model_device(model)))
        except (RuntimeError, ValueError, TypeError, IndexError) as error:
            translated = batch_error(error, "the X given to predict", X)
            if translated is error:
                raise
            raise translated from error
    return to_device(y_hat, X.device)          # a tuple or dict of outputs comes back whole
