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
from dlstudy.data import TensorLoader
from dlstudy.device import to_device
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
                check_outputs(y_hat, y)

        self.handle = state.model.register_forward_hook(check)

    def remove(self):
        if self.handle is not None:
            self.handle.remove()
            self.handle = None

    def on_batch_end(self, state):
        self.remove()

    def on_train_end(self, state):
        self.remove()


def check_outputs(y_hat, y):
    """Raise a clear ValueError when the model's outputs ``y_hat`` cannot match the targets ``y``.

    >>> check_outputs(torch.zeros(4, 3), torch.tensor([0, 1, 2, 3]))
    Traceback (most recent call last):
    ...
    ValueError: Class labels must be in 0..2 for a model with 3 outputs; got labels from 0 to 3.
    """
    if y_hat.shape[0] != y.shape[0]:
        raise ValueError(f"The model returned {y_hat.shape[0]} predictions for a batch of {y.shape[0]} "
                         f"targets (y_hat {tuple(y_hat.shape)}, y {tuple(y.shape)}). Check forward().")
    if y.is_floating_point() and y_hat.shape != y.shape:
        raise ValueError(f"y_hat has shape {tuple(y_hat.shape)} but y has shape {tuple(y.shape)}; the loss "
                         "would broadcast them and learn the wrong thing. Make them match, e.g. "
                         "y.reshape(-1, 1) or y_hat.squeeze(1).")
    if not y.is_floating_point() and y_hat.ndim == 2 and y.ndim == 1:
        if y.min() < 0 or y.max() >= y_hat.shape[1]:
            raise ValueError(f"Class labels must be in 0..{y_hat.shape[1] - 1} for a model with "
                             f"{y_hat.shape[1]} outputs; got labels from {int(y.min())} to {int(y.max())}.")


class Validate(Callback):
    """Measure the model on ``data`` after every epoch: ``val_loss`` and ``val_<metric>`` in the record."""

    order = -10

    def __init__(self, data, loss_fn, metrics=None):
        self.data, self.loss_fn, self.metrics = data, loss_fn, metrics

    def on_epoch_end(self, state):
        scores = evaluate(state.model, self.data, self.loss_fn, self.metrics)
        state.record.update({f"val_{name}": value for name, value in scores.items()})


def _is_pair(data):
    return isinstance(data, (tuple, list)) and len(data) == 2 and all(torch.is_tensor(t) for t in data)


def _as_loader(data, device, shuffle, batch_size):
    """Turn an (X, y) pair, a TensorLoader or a DataLoader into batches on ``device``."""
    if _is_pair(data):
        X, y = data
        return TensorLoader(X, y, batch_size or len(X), shuffle=shuffle, device=device)
    if isinstance(data, TensorLoader):
        return data.to(device) if data.X.device != device else data
    if hasattr(data, "__iter__"):
        return data
    raise TypeError(f"Expected training data as an (X, y) pair of tensors, a TensorLoader or a "
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
        lr = optimizer.param_groups[0].get("lr")
        raise TrainingDiverged(
            f"Training stopped at epoch {epoch}: the loss became {loss}. The updates grew until the "
            f"numbers overflowed. Try a smaller learning rate (lr={lr} now; try {lr / 10:g}), "
            "standardize the inputs, or check the data for NaN values.")


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
    device = model_device(model) if device is None else torch.device(device)
    model.to(device)
    train_loader = _as_loader(train_data, device, True, batch_size)
    helpers = [CheckFirstBatch()] + ([CollectMetrics(metrics)] if metrics else [])
    if val_data is not None:
        helpers.append(Validate(_as_loader(val_data, device, False, batch_size), loss_fn, metrics))
    helpers += [ProgressBar()] if progress else []
    state = TrainState(model, optimizer, loss_fn, device, History(), num_epochs, helpers + list(callbacks or []))
    was_training = model.training

    def train_step(X, y):
        y_hat = model(X)                                     # 1. forward
        loss = loss_fn(y_hat, y)                             # 2. loss
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
    with eval_mode(model):
        return model(X.to(model_device(model))).to(X.device)
