"""The experiments behind the widgets: plain functions that take the knobs and return data.

Each widget in ``dlstudy.widgets`` only binds controls to one of these functions, so you
can call them directly, check their numbers with ``assert``, and reuse them in your own code.
Every function is seeded and runs in well under two seconds on a laptop CPU.
"""

import functools
import math
from collections import namedtuple

import torch
from torch import nn

from dlstudy.data import make_circles, make_moons, make_polynomial, make_spiral, make_xor, make_linear
from dlstudy.metrics import accuracy, confusion_matrix, precision_recall_f1
from dlstudy.train import Callback, TrainingDiverged, evaluate, fit

__all__ = [
    "ACTIVATIONS", "activation_fn", "activation_data",
    "DATASETS", "playground_data", "make_mlp", "train_playground",
    "run_gradient_descent",
    "Surface", "SURFACES", "OPTIMIZERS", "race",
    "threshold_report",
    "regularization_data", "train_regularized",
]


def _single_threaded(function):
    """Run ``function`` on one CPU thread, then restore torch's thread count.

    The models here are tiny: splitting their small matrix products across threads only
    adds waiting, and on a busy 2-core machine it made a 1-second run take over a minute.
    """
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return function(*args, **kwargs)
        finally:
            torch.set_num_threads(threads)
    return wrapper


def _choice(value, options, what):
    """``value`` normalized ("Leaky ReLU" -> "leaky_relu"), or a clear error listing the options."""
    key = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in options:
        raise ValueError(f"Unknown {what} {value!r}; expected one of {', '.join(map(repr, options))}.")
    return key


# 1. Activation functions ------------------------------------------------------------------

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")


def activation_fn(name, slope=0.01):
    """The activation ``name`` as a function of a tensor (``slope`` is Leaky ReLU's negative slope).

    >>> activation_fn("leaky_relu", slope=0.1)(torch.tensor([-2.0, 3.0]))
    tensor([-0.2000,  3.0000])
    """
    name = _choice(name, ACTIVATIONS, "activation")
    if name == "leaky_relu":
        return lambda x: torch.nn.functional.leaky_relu(x, slope)
    return {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[name]


def activation_data(name, slope=0.01, x_range=(-6.0, 6.0), num_points=601):
    """The activation and its derivative (by autograd) on a grid, and where the derivative peaks.

    Returns a dict with ``"x"``, ``"y"``, ``"dy"`` (tensors), ``"max_derivative"``, ``"argmax"``
    (the x where the derivative is largest), ``"name"`` and ``"fn"``.

    >>> round(activation_data("sigmoid")["max_derivative"], 4)
    0.25
    """
    fn = activation_fn(name, slope)
    x = torch.linspace(x_range[0], x_range[1], num_points, requires_grad=True)
    y = fn(x)
    (dy,) = torch.autograd.grad(y.sum(), x)   # each y[i] depends only on x[i]
    i = int(dy.argmax())
    return {"name": _choice(name, ACTIVATIONS, "activation"), "fn": fn, "x": x.detach(), "y": y.detach(),
            "dy": dy, "max_derivative": dy[i].item(), "argmax": x[i].item()}


# 2. The playground ------------------------------------------------------------------------

DATASETS = {"xor": make_xor, "moons": make_moons, "circles": make_circles, "spiral": make_spiral}


def playground_data(dataset="xor", noise=0.1, train_ratio=0.7, n=200, seed=0):
    """A 2-D data set split (stratified) into train and test: a dict of X_train, y_train, X_test, y_test.

    >>> d = playground_data("moons", train_ratio=0.5); len(d["X_train"]), len(d["X_test"])
    (100, 100)
    """
    from sklearn.model_selection import train_test_split
    if not 0 < train_ratio < 1:
        raise ValueError(f"train_ratio is the fraction of points used for training: expected a number "
                         f"between 0 and 1, got {train_ratio}.")
    X, y = DATASETS[_choice(dataset, DATASETS, "data set")](n, noise=noise, seed=seed)
    train, test = train_test_split(torch.arange(n).numpy(), train_size=train_ratio, random_state=seed,
                                   stratify=y.numpy())
    train, test = torch.as_tensor(train), torch.as_tensor(test)
    return {"X_train": X[train], "y_train": y[train], "X_test": X[test], "y_test": y[test]}


def make_mlp(in_features=2, hidden_layers=1, units=4, activation="tanh", num_classes=2):
    """An MLP: ``hidden_layers`` x (Linear(units) + activation), then Linear(num_classes) for the logits.

    >>> make_mlp(hidden_layers=2, units=3, activation="relu")
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=3, bias=True)
      (3): ReLU()
      (4): Linear(in_features=3, out_features=2, bias=True)
    )
    """
    module = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": nn.LeakyReLU}
    act = module[_choice(activation, ACTIVATIONS, "activation")]
    layers, width = [], in_features
    for _ in range(hidden_layers):
        layers += [nn.Linear(width, units), act()]
        width = units
    return nn.Sequential(*layers, nn.Linear(width, num_classes))


class _EveryFewEpochs(Callback):
    """Call ``fn(model, history)`` ``times`` times during training, evenly spaced."""

    def __init__(self, fn, num_epochs, times):
        self.fn, self.every = fn, max(1, math.ceil(num_epochs / max(1, times)))

    def on_epoch_end(self, state):
        if len(state.history) % self.every == 0:
            self.fn(state.model, state.history)


@_single_threaded
def train_playground(dataset="xor", noise=0.1, train_ratio=0.7, hidden_layers=1, units=4, activation="tanh",
                     lr=0.1, l2=0.0, epochs=300, seed=0, on_update=None, num_updates=4):
    """Train an MLP classifier on a 2-D data set with Adam (full batch); return model, history and accuracies.

    ``l2`` is the L2 penalty (Adam's ``weight_decay``). ``on_update(model, history)`` is called
    ``num_updates`` times while training runs (the widget redraws there). Returns a dict with
    ``"model"``, ``"history"`` (train/val loss and accuracy per epoch; "val" is the test split
    here), ``"train_acc"``, ``"test_acc"`` and ``"data"`` (from ``playground_data``).

    >>> result = train_playground()   # XOR, 1 hidden layer of 4 tanh units
    >>> result["test_acc"]
    1.0
    """
    data = playground_data(dataset, noise, train_ratio, seed=seed)
    torch.manual_seed(seed)
    num_classes = int(data["y_train"].max()) + 1
    model = make_mlp(2, hidden_layers, units, activation, num_classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=l2)
    callbacks = [] if on_update is None else [_EveryFewEpochs(on_update, epochs, num_updates)]
    history = fit(model, (data["X_train"], data["y_train"]), nn.CrossEntropyLoss(), optimizer, epochs,
                  val_data=(data["X_test"], data["y_test"]), metrics={"acc": accuracy},
                  callbacks=callbacks, progress=False)
    return {"model": model, "history": history, "train_acc": history["train_acc"][-1],
            "test_acc": history["val_acc"][-1], "data": data}


# 3. Learning rate -------------------------------------------------------------------------

@_single_threaded
def run_gradient_descent(lr, num_steps=50, seed=0):
    """Full-batch gradient descent on y = 2x + 1 + noise with ``lr``; a diverging run is reported, not raised.

    Returns a dict: ``"losses"`` (one per step, before the update; finite ones only), ``"diverged"``,
    ``"status"`` ("diverged", "slow" or "converged"), ``"message"`` (the reason in words),
    ``"critical_lr"`` (2 / the largest curvature: above it, gradient descent diverges),
    ``"min_loss"`` (the least-squares optimum), ``"w"``, ``"b"``, ``"history"``, ``"model"``, ``"data"``.

    >>> run_gradient_descent(lr=0.05)["status"], run_gradient_descent(lr=1.0)["diverged"]
    ('converged', True)
    """
    X, y = make_linear(100, w=(2.0,), b=1.0, noise=0.5, seed=seed)
    A = torch.cat([X, torch.ones_like(X)], dim=1)                       # columns: x, 1
    hessian = 2 * A.T @ A / len(X)                                      # of the MSE in (w, b)
    critical_lr = 2 / torch.linalg.eigvalsh(hessian).max().item()
    min_loss = torch.mean((A @ torch.linalg.lstsq(A, y).solution - y) ** 2).item()
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.zero_(), model.bias.zero_()                      # every run starts at w = b = 0
    try:
        history = fit(model, (X, y), nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=lr), num_steps,
                      progress=False)
    except TrainingDiverged as error:
        history = error.history                                         # the steps before the overflow
    losses = history["train_loss"]
    diverged = len(losses) < num_steps or not math.isfinite(losses[-1]) or losses[-1] > losses[0]
    if diverged:
        status = "diverged"
        message = (f"Diverged: lr={lr:.3g} is above the critical learning rate {critical_lr:.3g}, so every "
                   "step jumps past the minimum and lands higher up the other side; the loss grows "
                   "until the numbers overflow. Use a smaller learning rate.")
    elif losses[-1] > 1.05 * min_loss:
        status = "slow"
        message = (f"Too slow: after {num_steps} steps the loss is {losses[-1]:.3g}, still above the best "
                   f"possible {min_loss:.3g}. lr={lr:.3g} takes tiny steps; try a larger one "
                   f"(below {critical_lr:.3g}).")
    else:
        status = "converged"
        message = f"Converged: the loss reached {losses[-1]:.3g} (the best possible is {min_loss:.3g})."
    return {"losses": losses, "diverged": diverged, "status": status, "message": message, "lr": lr,
            "critical_lr": critical_lr, "min_loss": min_loss, "w": model.weight.item(), "b": model.bias.item(),
            "history": history, "model": model, "data": (X, y)}


# 4. Optimizer race ------------------------------------------------------------------------

Surface = namedtuple("Surface", "fn start x_range y_range lrs description")

SURFACES = {
    "bowl": Surface(lambda x, y: 0.1 * x ** 2 + 2 * y ** 2, (-1.8, 1.0), (-2, 2), (-1.5, 1.5),
                    dict(sgd=0.1, momentum=0.1, nesterov=0.1, adagrad=0.5, rmsprop=0.05, adam=0.1),
                    "ill-conditioned bowl 0.1x² + 2y²: steep across, flat along"),
    "rosenbrock": Surface(lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2, (-1.5, 2.0), (-2, 2), (-1, 3),
                          dict(sgd=1e-3, momentum=1e-3, nesterov=1e-3, adagrad=0.5, rmsprop=0.02, adam=0.1),
                          "Rosenbrock (1-x)² + 100(y-x²)²: a curved valley, minimum at (1, 1)"),
    "saddle": Surface(lambda x, y: x ** 2 + 0.25 * y ** 4 - 0.5 * y ** 2, (-1.5, 1e-3), (-2, 2), (-1.5, 1.5),
                      dict(sgd=0.05, momentum=0.05, nesterov=0.05, adagrad=0.5, rmsprop=0.05, adam=0.1),
                      "saddle x² + y⁴/4 - y²/2: flat saddle at (0, 0), minima at (0, ±1)"),
}

OPTIMIZERS = {
    "sgd": lambda params, lr: torch.optim.SGD(params, lr=lr),
    "momentum": lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9),
    "nesterov": lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True),
    "adagrad": lambda params, lr: torch.optim.Adagrad(params, lr=lr),
    "rmsprop": lambda params, lr: torch.optim.RMSprop(params, lr=lr, alpha=0.9),
    "adam": lambda params, lr: torch.optim.Adam(params, lr=lr),
}


def _descend(fn, start, make_optimizer, num_steps):
    """The points visited by an optimizer on ``fn(x, y)``; stops early if it flies off to infinity."""
    p = torch.tensor(start, dtype=torch.float32, requires_grad=True)
    optimizer = make_optimizer([p])
    path = [p.detach().clone()]
    for _ in range(num_steps):
        loss = fn(p[0], p[1])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if not torch.isfinite(p).all() or p.detach().abs().max() > 1e3:
            return torch.stack(path), True
        path.append(p.detach().clone())
    return torch.stack(path), False


@_single_threaded
def race(surface="bowl", optimizers=tuple(OPTIMIZERS), lrs=None, num_steps=100, start=None):
    """Run each optimizer from the same start on a 2-D loss surface; return paths and losses per step.

    ``lrs`` maps names to learning rates (missing ones use the surface's defaults in
    ``SURFACES[surface].lrs``). Returns a dict: ``"paths"`` {name: tensor (num_steps + 1, 2),
    shorter if it diverged}, ``"losses"`` {name: tensor}, ``"final_loss"`` {name: float},
    ``"diverged"`` {name: bool}, ``"lrs"``, ``"surface"``, ``"loss_fn"``, ``"x_range"``, ``"y_range"``, ``"start"``.

    >>> r = race("bowl", ["sgd", "adam"], num_steps=100)
    >>> r["paths"]["adam"].shape, r["final_loss"]["adam"] < r["final_loss"]["sgd"]
    (torch.Size([101, 2]), True)
    """
    key = _choice(surface, SURFACES, "surface")
    surf = SURFACES[key]
    names = [_choice(name, OPTIMIZERS, "optimizer") for name in optimizers]
    chosen = {**surf.lrs, **{_choice(k, OPTIMIZERS, "optimizer"): v for k, v in (lrs or {}).items()}}
    start = surf.start if start is None else tuple(start)
    paths, losses, diverged = {}, {}, {}
    for name in names:
        paths[name], diverged[name] = _descend(surf.fn, start, lambda ps: OPTIMIZERS[name](ps, chosen[name]),
                                               num_steps)
        losses[name] = surf.fn(paths[name][:, 0], paths[name][:, 1])
    return {"paths": paths, "losses": losses, "diverged": diverged,
            "final_loss": {name: (math.inf if diverged[name] else losses[name][-1].item()) for name in names},
            "lrs": {name: chosen[name] for name in names}, "surface": key, "loss_fn": surf.fn,
            "x_range": surf.x_range, "y_range": surf.y_range, "start": start}


# 5. Threshold -----------------------------------------------------------------------------

def threshold_report(scores, target, threshold=0.5):
    """Confusion counts and metrics when ``score >= threshold`` means "positive" (class 1).

    Returns a dict with ``"tp"``, ``"fp"``, ``"tn"``, ``"fn"`` (ints), ``"precision"``, ``"recall"``,
    ``"f1"``, ``"accuracy"``, ``"fpr"``, ``"tpr"`` (floats; 0 where a denominator is 0) and ``"threshold"``.

    >>> r = threshold_report(torch.tensor([0.1, 0.4, 0.35, 0.8]), torch.tensor([0, 0, 1, 1]), 0.5)
    >>> r["tp"], r["fp"], r["recall"], r["fpr"]
    (1, 0, 0.5, 0.0)
    """
    scores, target = torch.as_tensor(scores).detach().cpu(), torch.as_tensor(target).detach().cpu()
    if scores.ndim != 1 or scores.shape != target.reshape(-1).shape:
        raise ValueError(f"Expected one score per sample: scores of shape (N,) and target of shape (N,); "
                         f"got scores {tuple(scores.shape)} and target {tuple(target.shape)}.")
    preds = (scores >= threshold).long()
    (tn, fp), (fn, tp) = confusion_matrix(preds, target, num_classes=2).tolist()
    precision, recall, f1 = precision_recall_f1(preds, target, num_classes=2)
    return {"threshold": float(threshold), "tp": tp, "fp": fp, "tn": tn, "fn": fn, "precision": precision,
            "recall": recall, "f1": f1, "accuracy": (tp + tn) / len(target),
            "fpr": fp / (fp + tn) if fp + tn else 0.0, "tpr": recall}


# 6. Regularization ------------------------------------------------------------------------

def regularization_data(seed=0):
    """20 noisy training points of a parabola (x in [-1, 1]) and 100 validation points, as a dict.

    >>> {k: tuple(v.shape) for k, v in regularization_data().items()}
    {'X_train': (20, 1), 'y_train': (20, 1), 'X_val': (100, 1), 'y_val': (100, 1)}
    """
    X, y = make_polynomial(120, coeffs=(0.0, 1.0, -0.3), noise=1.0, seed=seed)
    X = X / 3                                                     # inputs in [-1, 1]
    return {"X_train": X[:20], "y_train": y[:20], "X_val": X[20:], "y_val": y[20:]}


@_single_threaded
def train_regularized(dropout=0.0, weight_decay=0.0, epochs=200, seed=0):
    """Fit a wide MLP to 20 noisy points of a parabola (it over-fits); return curves and final losses.

    ``dropout`` is the drop probability after each hidden layer; ``weight_decay`` is AdamW's
    decoupled weight decay. The final ``"train_loss"`` and ``"val_loss"`` are measured in eval mode
    (dropout off) by ``evaluate``; ``"gap"`` = val - train. Also ``"history"``, ``"model"``, ``"data"``.

    >>> plain, dropped = train_regularized(), train_regularized(dropout=0.5)
    >>> dropped["gap"] < plain["gap"]
    True
    """
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout is the probability of zeroing a unit: expected 0 <= dropout < 1, got {dropout}.")
    data = regularization_data(seed)
    train, val = (data["X_train"], data["y_train"]), (data["X_val"], data["y_val"])
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Dropout(dropout),
                          nn.Linear(64, 64), nn.Tanh(), nn.Dropout(dropout), nn.Linear(64, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.03, weight_decay=weight_decay)
    history = fit(model, train, nn.MSELoss(), optimizer, epochs, val_data=val, progress=False)
    train_loss, val_loss = evaluate(model, train, nn.MSELoss())["loss"], evaluate(model, val, nn.MSELoss())["loss"]
    return {"history": history, "train_loss": train_loss, "val_loss": val_loss, "gap": val_loss - train_loss,
            "model": model, "data": data}
