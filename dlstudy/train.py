"""The training loop you wrote by hand in chapter 06, as one function: ``fit``.

Read ``fit`` from top to bottom: it is the four-step loop (forward, loss, backward,
step) with a little bookkeeping around it. ``evaluate`` and ``predict`` run a model
without training it, and callbacks such as ``EarlyStopping`` hook into each epoch.
"""

import copy
import math

import torch

from dlstudy.data import TensorLoader
from dlstudy.device import to_device

__all__ = ["History", "Callback", "EarlyStopping", "TrainingDiverged", "fit", "evaluate", "predict"]


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite, so training was stopped."""


class History:
    """Per-epoch results of ``fit``: ``history["train_loss"]`` is a list, one value per epoch.

    >>> h = History(); h.append({"epoch": 1, "train_loss": 0.5}); h["train_loss"]
    [0.5]
    """

    def __init__(self):
        self.records = []      # one dict per epoch
        self.best_epoch = None  # set by EarlyStopping(restore_best=True)

    def append(self, record):
        self.records.append(record)

    def __getitem__(self, key):
        return [record[key] for record in self.records if key in record]

    def __len__(self):
        return len(self.records)

    def keys(self):
        """The names that were recorded, e.g. ``['train_loss', 'val_loss', 'val_acc']``."""
        return [key for key in self.records[-1] if key != "epoch"] if self.records else []

    def plot(self, **kwargs):
        """Draw the loss (and metric) curves; see ``dlstudy.plots.plot_history``."""
        from dlstudy.plots import plot_history
        return plot_history(self, **kwargs)

    def __repr__(self):
        if not self.records:
            return "History(0 epochs)"
        last = ", ".join(f"{k}={v:.4f}" for k, v in self.records[-1].items() if k != "epoch")
        return f"History({len(self.records)} epochs, last: {last})"


class Callback:
    """Hooks that ``fit`` calls; override the ones you need. Return True from ``on_epoch_end`` to stop."""

    def on_train_begin(self, model, history):
        pass

    def on_epoch_end(self, model, history):
        return False

    def on_train_end(self, model, history):
        pass


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs; optionally restore the best weights.

    >>> EarlyStopping(patience=3).patience
    3
    """

    def __init__(self, patience=5, monitor="val_loss", min_delta=0.0, restore_best=True):
        self.patience, self.monitor, self.min_delta, self.restore_best = patience, monitor, min_delta, restore_best

    def on_train_begin(self, model, history):
        self.best, self.best_epoch, self.best_state, self.wait = math.inf, None, None, 0

    def on_epoch_end(self, model, history):
        values = history[self.monitor]
        if not values:
            raise KeyError(f"EarlyStopping watches {self.monitor!r}, but fit recorded only "
                           f"{history.keys()}. Pass val_data=... to fit, or monitor='train_loss'.")
        if values[-1] < self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = values[-1], len(values), 0
            if self.restore_best:
                self.best_state = copy.deepcopy(model.state_dict())
            return False
        self.wait += 1
        return self.wait >= self.patience

    def on_train_end(self, model, history):
        history.best_epoch = self.best_epoch
        if self.restore_best and self.best_state is not None:
            model.load_state_dict(self.best_state)


def _model_device(model):
    """The device of the model's first parameter (the CPU for a model without parameters)."""
    first = next(iter(model.parameters()), None)
    return first.device if first is not None else torch.device("cpu")


def _as_loader(data, device, shuffle, batch_size):
    """Turn an (X, y) pair, a TensorLoader or a DataLoader into batches on ``device``."""
    if isinstance(data, (tuple, list)) and len(data) == 2 and all(torch.is_tensor(t) for t in data):
        X, y = data
        return TensorLoader(X, y, batch_size or len(X), shuffle=shuffle, device=device)
    if isinstance(data, TensorLoader):
        return data.to(device) if data.X.device != device else data
    if hasattr(data, "__iter__"):
        return data
    raise TypeError(f"Expected training data as an (X, y) pair of tensors, a TensorLoader or a "
                    f"DataLoader; got {type(data).__name__}.")


def _check_inputs(X, model):
    """Catch the most common first-batch mistake, float64 data, before the forward pass."""
    weight = next(iter(model.parameters()), None)
    if weight is not None and X.is_floating_point() and X.dtype != weight.dtype:
        raise TypeError(f"X is {str(X.dtype)[6:]} but the model's weights are {str(weight.dtype)[6:]}. "
                        "Convert the data with X.float() (NumPy arrays arrive as float64).")


def _check_outputs(y_hat, y):
    """Turn shape and label mistakes into messages a learner can act on, before the loss hides them."""
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


def _check_finite(loss, epoch, optimizer):
    """Stop with a helpful message when the loss is NaN or infinite."""
    if not math.isfinite(loss):
        lr = optimizer.param_groups[0].get("lr")
        raise TrainingDiverged(
            f"Training stopped at epoch {epoch}: the loss became {loss}. The updates grew until the "
            f"numbers overflowed. Try a smaller learning rate (lr={lr} now; try {lr / 10:g}), "
            "standardize the inputs, or check the data for NaN values.")


def _named_metrics(metrics):
    if metrics is None:
        return {}
    if isinstance(metrics, dict):
        return dict(metrics)
    return {fn.__name__: fn for fn in metrics}


def fit(model, train_data, loss_fn, optimizer, num_epochs, *, val_data=None, metrics=None, device=None,
        callbacks=None, progress=True, live_plot=False, batch_size=None):
    """Train ``model`` for ``num_epochs`` and return a ``History`` of losses and metrics per epoch.

    ``train_data`` is an ``(X, y)`` pair (one batch of ``batch_size``, or all of it), a
    ``TensorLoader`` or a ``DataLoader``. ``device=None`` trains where the model already is.

    >>> net = torch.nn.Linear(1, 1); X = torch.randn(32, 1); y = 3 * X
    >>> h = fit(net, (X, y), torch.nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=0.1), 50, progress=False)
    >>> h["train_loss"][-1] < 0.01
    True
    """
    device = _model_device(model) if device is None else torch.device(device)
    model.to(device)
    was_training = model.training
    train_loader = _as_loader(train_data, device, True, batch_size)
    val_loader = None if val_data is None else _as_loader(val_data, device, False, batch_size)
    metrics, callbacks, history = _named_metrics(metrics), list(callbacks or []), History()
    plot = None
    if live_plot:
        from dlstudy.plots import LivePlot
        plot = LivePlot()
    from tqdm.auto import tqdm
    epochs = tqdm(range(1, num_epochs + 1), desc="fit", disable=not progress, mininterval=0.5, leave=True)
    for callback in callbacks:
        callback.on_train_begin(model, history)
    try:
        for epoch in epochs:
            model.train()
            total_loss, count, outputs = torch.zeros((), device=device), 0, []
            for X, y in train_loader:
                X, y = to_device(X, device), to_device(y, device)    # no-op when already there
                if epoch == 1 and count == 0:
                    _check_inputs(X, model)
                y_hat = model(X)                                     # 1. forward
                if epoch == 1 and count == 0:
                    _check_outputs(y_hat, y)
                loss = loss_fn(y_hat, y)                             # 2. loss
                optimizer.zero_grad(set_to_none=True)                # 3. clear old gradients
                loss.backward()                                      # 4. backward
                optimizer.step()                                     # 5. step
                total_loss += loss.detach() * len(y)                 # summed on the device, no .item()
                count += len(y)
                if metrics:
                    outputs.append((y_hat.detach(), y))
            record = {"epoch": epoch, "train_loss": total_loss.item() / count}   # one sync per epoch
            _check_finite(record["train_loss"], epoch, optimizer)
            if metrics:
                y_hat_all, y_all = torch.cat([o[0] for o in outputs]), torch.cat([o[1] for o in outputs])
                record.update({f"train_{name}": float(fn(y_hat_all, y_all)) for name, fn in metrics.items()})
            if val_loader is not None:
                scores = evaluate(model, val_loader, loss_fn, metrics)
                record.update({f"val_{name}": value for name, value in scores.items()})
            history.append(record)
            epochs.set_postfix_str(f"train_loss={record['train_loss']:.4f}", refresh=False)
            if plot is not None:
                plot.update(history)
            if any([callback.on_epoch_end(model, history) for callback in callbacks]):
                break
        for callback in callbacks:
            callback.on_train_end(model, history)
    finally:
        epochs.close()
        if plot is not None:
            plot.close()
        model.train(was_training)
    return history


def _batches(data, device):
    """Yield (X, y) batches on ``device`` from a pair, a TensorLoader or a DataLoader."""
    if isinstance(data, (tuple, list)) and len(data) == 2 and all(torch.is_tensor(t) for t in data):
        yield data[0].to(device), data[1].to(device)
        return
    for X, y in data:
        yield to_device(X, device), to_device(y, device)


@torch.no_grad()
def evaluate(model, data, loss_fn=None, metrics=None):
    """Mean loss and metrics of ``model`` on ``data``, in eval mode without gradients.

    >>> net = torch.nn.Linear(2, 3); X, y = torch.randn(8, 2), torch.zeros(8, dtype=torch.long)
    >>> sorted(evaluate(net, (X, y), torch.nn.CrossEntropyLoss()))
    ['loss']
    """
    device, was_training = _model_device(model), model.training
    model.eval()
    try:
        total_loss, count, outputs = torch.zeros((), device=device), 0, []
        for X, y in _batches(data, device):
            y_hat = model(X)
            if loss_fn is not None:
                total_loss += loss_fn(y_hat, y) * len(y)
            count += len(y)
            outputs.append((y_hat, y))
    finally:
        model.train(was_training)
    scores = {"loss": total_loss.item() / count} if loss_fn is not None else {}
    named = _named_metrics(metrics)
    if named:
        y_hat_all, y_all = torch.cat([o[0] for o in outputs]), torch.cat([o[1] for o in outputs])
        scores.update({name: float(fn(y_hat_all, y_all)) for name, fn in named.items()})
    return scores


@torch.no_grad()
def predict(model, X):
    """The model's outputs for ``X`` (eval mode, no gradients), on the device ``X`` came from.

    >>> predict(torch.nn.Linear(2, 1), torch.zeros(5, 2)).shape
    torch.Size([5, 1])
    """
    was_training = model.training
    model.eval()
    try:
        return model(X.to(_model_device(model))).to(X.device)
    finally:
        model.train(was_training)
