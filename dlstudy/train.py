"""The training loop you wrote by hand in chapter 06, as one function: ``fit``.

``fit`` holds the five steps you wrote (forward, loss, clear, backward, step) as its
``train_step``; ``run_epoch`` runs a step over the batches of one epoch and is shared by
``fit`` (which trains) and ``evaluate`` (which only measures). ``fit`` repeats it for
``num_epochs`` and calls the callbacks at fixed points;
everything optional (metrics, validation, progress bar, early stopping, schedulers,
clipping, live plots) is a callback, see ``dlstudy.callbacks``.
"""

import math

import torch

from dlstudy.callbacks import Callback, CollectMetrics, EarlyStopping, ProgressBar, TrainState
from dlstudy.checks import check_batch, check_fit_arguments, check_val_loss, divergence_message
from dlstudy.data import TensorLoader, as_samples
from dlstudy.device import resolve_device, to_device
from dlstudy.modes import eval_mode, model_device

__all__ = ["History", "Callback", "EarlyStopping", "TrainState", "TrainingDiverged", "CheckFirstBatch",
           "Validate", "run_epoch", "fit", "evaluate", "predict"]


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite, so training was stopped; ``.history`` holds the epochs before it."""

    history = None


class History:
    """Per-epoch results of ``fit``: ``history["train_loss"]`` is a list, one value per epoch.

    >>> h = History(); h.append({"epoch": 1, "train_loss": 0.5}); h["train_loss"]
    [0.5]
    """

    def __init__(self):
        self.records = []      # one dict per epoch
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


class CheckFirstBatch(Callback):
    """Turn the most common first-batch mistakes (float64 data, shapes, labels) into clear errors.

    Before the first forward pass it compares the data's dtype with the weights'; a one-time
    forward hook then compares the model's output with the targets, before the loss hides it.
    """

    order = -100
    done, handle = False, None

    def on_train_begin(self, state):
        self.done, self.handle = False, None

    def on_batch_begin(self, state):
        if self.done:
            return
        self.done = True
        weight = next(iter(state.model.parameters()), None)
        X, y = state.X, state.y
        if torch.is_tensor(X) and weight is not None and X.is_floating_point() and X.dtype != weight.dtype:
            raise TypeError(f"X is {str(X.dtype)[6:]} but the model's weights are {str(weight.dtype)[6:]}. "
                            "Convert the data with X.float() (NumPy arrays arrive as float64).")

        def check(module, args, y_hat):
            self.remove()
            if torch.is_tensor(y_hat) and torch.is_tensor(y):
                check_outputs(y_hat, y, state.loss_fn)

        self.handle = state.model.register_forward_hook(check)

    def remove(self):
        if self.handle is not None:
            self.handle.remove()
            self.handle = None

    def on_batch_end(self, state):
        self.remove()

    def on_train_end(self, state):
        self.remove()


def check_outputs(y_hat, y, loss_fn=None):
    """Raise a clear error when the model's outputs ``y_hat`` cannot match the targets ``y`` (for ``loss_fn``).

    >>> check_outputs(torch.zeros(4, 3), torch.tensor([0, 1, 2, 3]))
    Traceback (most recent call last):
    ...
    ValueError: Class labels must be in 0..2 for a model with 3 outputs; got labels from 0 to 3.
    """
    check_batch(y_hat, y, loss_fn)        # dlstudy.checks: labels per loss (y.long(), y.float(), y.squeeze(1))


class Validate(Callback):
    """Measure the model on ``data`` after every epoch: ``val_loss`` and ``val_<metric>`` in the record."""

    order = -10

    def __init__(self, data, loss_fn, metrics=None):
        self.data, self.loss_fn, self.metrics = data, loss_fn, metrics

    def on_epoch_end(self, state):
        scores = evaluate(state.model, self.data, self.loss_fn, self.metrics)
        state.record.update({f"val_{name}": value for name, value in scores.items()})
        check_val_loss(state.record, TrainingDiverged)      # a NaN validation loss is flagged, not plotted


def _is_pair(data):
    return isinstance(data, (tuple, list)) and len(data) == 2 and all(torch.is_tensor(t) for t in data)


def _as_loader(data, device, shuffle, batch_size, name="train_data"):
    """Turn an (X, y) pair (tensors or NumPy arrays), a TensorLoader or a DataLoader into batches on ``device``."""
    if isinstance(data, (tuple, list)) and len(data) == 2 and not _is_pair(data):
        data = tuple(as_samples(part, f"{name}[{i}]") for i, part in enumerate(data))   # NumPy arrays, lists
    if _is_pair(data):
        X, y = data
        if len(X) == 0:
            raise ValueError(f"{name} is empty: X has 0 samples. Pass the data to train on, e.g. (X_train, y_train).")
        return TensorLoader(X, y, batch_size or len(X), shuffle=shuffle, device=device)
    if isinstance(data, TensorLoader):
        if len(data) == 0:
            raise ValueError(f"{name} gives no batches: {len(data.X)} samples with batch_size={data.batch_size} and "
                             f"drop_last=True drop them all. Use drop_last=False, or batch_size={len(data.X)} or less.")
        return data.to(device) if data.X.device != device else data
    if torch.is_tensor(data):
        raise TypeError(f"{name} is a single tensor; fit needs the inputs and the targets: pass (X, y).")
    if hasattr(data, "__iter__") and not isinstance(data, (str, bytes, dict)):
        if hasattr(data, "__len__") and len(data) == 0:
            raise ValueError(f"{name} gives no batches: it is empty. Check the data set's length (len(dataset)).")
        return data
    raise TypeError(f"Expected {name} as an (X, y) pair of tensors, a TensorLoader or a "
                    f"DataLoader; got {type(data).__name__}.")


def run_epoch(state, batches, step):
    """One pass over ``batches``: ``step(X, y) -> (y_hat, loss)`` on each batch; returns the mean loss.

    ``fit``'s step trains (the five steps), ``evaluate``'s only measures. The losses are summed
    on the device and read with one ``.item()`` at the end: reading each batch's loss would
    make a GPU wait for every batch.
    """
    total, count = torch.zeros((), device=state.device), 0
    for state.batch, (X, y) in enumerate(batches):
        state.X, state.y = to_device(X, state.device), to_device(y, state.device)   # no-op when already there
        state.emit("on_batch_begin")
        state.y_hat, state.loss = step(state.X, state.y)
        total += state.loss.detach() * len(state.y)
        count += len(state.y)
        state.emit("on_batch_end")
        if state.stop_batch:
            break
    if count == 0:
        raise ValueError("The data gave no batches: it is empty (or drop_last dropped every sample).")
    return total.item() / count


def _check_finite(loss, epoch, optimizer):
    """Stop with a helpful message when the loss is NaN or infinite."""
    if not math.isfinite(loss):
        raise TrainingDiverged(divergence_message(loss, epoch, optimizer=optimizer))


def _batch_name(state, loader):
    """The batch to name in a divergence message (None when an epoch is a single batch)."""
    count = len(loader) if hasattr(loader, "__len__") else None
    return None if count == 1 else (f"{state.batch + 1} of {count}" if count else state.batch + 1)


def fit(model, train_data, loss_fn, optimizer, num_epochs, *, val_data=None, metrics=None, device=None,
        callbacks=None, progress=True, batch_size=None):
    """Train ``model`` for ``num_epochs`` and return a ``History`` of losses and metrics per epoch.

    ``train_data`` is an ``(X, y)`` pair (one batch of ``batch_size``, or all of it), a
    ``TensorLoader`` or a ``DataLoader``. ``device=None`` trains where the model already is.
    On a NaN loss it raises ``TrainingDiverged`` (``.history`` holds the epochs before);
    on an interrupt (Ctrl+C, the Stop button) it returns the history so far. Either way the
    callbacks' ``on_train_end`` runs first, so ``EarlyStopping`` restores the best weights.

    >>> net = torch.nn.Linear(1, 1); X = torch.randn(32, 1); y = 3 * X
    >>> h = fit(net, (X, y), torch.nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=0.1), 50, progress=False)
    >>> h["train_loss"][-1] < 0.01
    True
    """
    check_fit_arguments(model, loss_fn, optimizer, num_epochs, batch_size)   # dlstudy.checks: clear messages
    device = model_device(model) if device is None else resolve_device(device)
    train_loader = _as_loader(train_data, device, True, batch_size)
    model.to(device)
    helpers = [CheckFirstBatch()] + ([CollectMetrics(metrics)] if metrics else [])
    if val_data is not None:
        helpers.append(Validate(_as_loader(val_data, device, False, batch_size, "val_data"), loss_fn, metrics))
    helpers += [ProgressBar()] if progress else []
    state = TrainState(model, optimizer, loss_fn, device, History(), num_epochs, helpers + list(callbacks or []))
    was_training = model.training

    # Reading a batch's loss costs nothing on the CPU but makes a GPU wait; there the loss is checked per epoch.
    check_each_batch = state.device.type == "cpu"

    def train_step(X, y):
        y_hat = model(X)                                     # 1. forward
        loss = loss_fn(y_hat, y)                             # 2. loss
        if check_each_batch and not torch.isfinite(loss):    # stop at this batch, before NaN reaches the weights
            raise TrainingDiverged(divergence_message(loss.item(), state.epoch, _batch_name(state, train_loader),
                                                      optimizer, X))
        optimizer.zero_grad(set_to_none=True)                # 3. clear old gradients
        loss.backward()                                      # 4. backward
        state.y_hat, state.loss = y_hat, loss
        state.emit("on_after_backward")                      # the gradients are there: clipping, statistics
        optimizer.step()                                     # 5. step
        return y_hat, loss

    try:
        state.emit("on_train_begin")
        for state.epoch in range(1, num_epochs + 1):
            model.train()
            state.record = {"epoch": state.epoch}
            state.emit("on_epoch_begin")
            state.record["train_loss"] = run_epoch(state, train_loader, train_step)
            _check_finite(state.record["train_loss"], state.epoch, optimizer)
            state.history.append(state.record)
            state.emit("on_epoch_end")         # metrics, validation, early stopping, progress bar
            if state.stop or state.stop_batch:
                break
    except KeyboardInterrupt as error:         # Ctrl+C or the Stop button: keep what was learned
        state.error = error
    except BaseException as error:             # divergence, a bad batch, a bug: the end hooks still run
        state.error = error
        if isinstance(error, TrainingDiverged):
            error.history = state.history
        raise
    finally:
        state.emit("on_train_end")
        model.train(was_training)
    if isinstance(state.error, KeyboardInterrupt):
        print(f"Training interrupted after {len(state.history)} complete epochs; fit returns their history.")
    return state.history


@torch.no_grad()
def evaluate(model, data, loss_fn=None, metrics=None):
    """Mean loss and metrics of ``model`` on ``data``, in eval mode without gradients.

    >>> net = torch.nn.Linear(2, 3); X, y = torch.randn(8, 2), torch.zeros(8, dtype=torch.long)
    >>> sorted(evaluate(net, (X, y), torch.nn.CrossEntropyLoss()))
    ['loss']
    """
    if isinstance(data, (tuple, list)) and len(data) == 2 and not _is_pair(data):
        data = tuple(as_samples(part, f"data[{i}]") for i, part in enumerate(data))   # NumPy arrays, lists
    batches = [data] if _is_pair(data) else data    # a pair is one batch (and draws no random numbers)
    collect = [CollectMetrics(metrics, prefix="")] if metrics else []
    state = TrainState(model, None, loss_fn, model_device(model), callbacks=collect)

    def measure(X, y):
        y_hat = model(X)
        return y_hat, (loss_fn(y_hat, y) if loss_fn is not None else y_hat.new_zeros(()))

    with eval_mode(model):
        state.emit("on_epoch_begin")
        loss = run_epoch(state, batches, measure)
    state.record = {"loss": loss} if loss_fn is not None else {}
    state.emit("on_epoch_end")
    return state.record


@torch.no_grad()
def predict(model, X):
    """The model's outputs for ``X`` (eval mode, no gradients), on the device ``X`` came from.

    >>> predict(torch.nn.Linear(2, 1), torch.zeros(5, 2)).shape
    torch.Size([5, 1])
    """
    X = as_samples(X, "X")                          # NumPy arrays and lists are converted (float32 / int64)
    with eval_mode(model):
        return model(X.to(model_device(model))).to(X.device)
