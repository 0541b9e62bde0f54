"""What ``dlstudy.watch`` costs on the course's own loops: the same loop timed with and without it.

Each loop is a chapter's hand-written loop (train the epoch, then evaluate under ``torch.no_grad()``),
on that chapter's data and model. Both variants train the same model on the same batches and must end
with the same loss (the watch changes nothing); they are timed interleaved, the warm-up round dropped,
and the overhead is the median over rounds of (watched / bare - 1). The watched time includes reading
the findings at the end of the block, as a learner's ``with watch(...)`` does.
"""

import contextlib
import functools
import statistics
import time

import torch
from torch import nn

from dlstudy.data import TensorLoader, load_breast_cancer, load_digits, load_mnist_sample, make_linear, make_moons
from dlstudy.device import set_seed
from dlstudy.watch import watch

__all__ = ["COURSE_LOOPS", "run_loop", "time_watch", "print_watch"]


def _standardized(X):
    return (X - X.mean(0)) / X.std(0).clamp_min(1e-6)


def _line():
    data = make_linear(100, w=(2.0,), b=1.0, noise=0.5, seed=0)
    return data.X, data.y, nn.Linear(1, 1), nn.MSELoss(), lambda ps: torch.optim.SGD(ps, lr=0.02), 10, 20


def _moons():
    data = make_moons(200, noise=0.2, seed=0)
    net = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
    return (data.X, data.y.float().reshape(-1, 1), net, nn.BCEWithLogitsLoss(),
            lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), 16, 15)


def _cancer():
    data = load_breast_cancer()
    net = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 2))
    return _standardized(data.X), data.y, net, nn.CrossEntropyLoss(), lambda ps: torch.optim.Adam(ps, lr=1e-3), 64, 10


@functools.lru_cache(maxsize=1)
def _mnist():
    return load_mnist_sample()


def _mnist_mlp():
    data = _mnist()
    order = torch.randperm(len(data.X), generator=torch.Generator().manual_seed(0))   # the file is sorted by digit
    X = data.X[order].reshape(len(data.X), -1)
    net = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                        nn.Linear(64, 10))
    return ((X - X.mean()) / X.std(), data.y[order], net, nn.CrossEntropyLoss(),
            lambda ps: torch.optim.SGD(ps, lr=0.02), 64, 2)


def _digits_cnn():
    data = load_digits(as_images=True)
    net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 4 * 4, 10))
    return data.X, data.y, net, nn.CrossEntropyLoss(), lambda ps: torch.optim.Adam(ps, lr=5e-3), 64, 2


# name: builder of (X, y, model, loss_fn, make_optimizer, batch size, epochs)
COURSE_LOOPS = {
    "04 line 1-1, MSE, SGD, batch 10": _line,
    "03 moons MLP 2-16-1, BCEWithLogits, batch 16": _moons,
    "06 cancer MLP 30-32-2 + dropout, Adam, batch 64": _cancer,
    "11 MNIST MLP 784-64-64-64-10, SGD, batch 64": _mnist_mlp,
    "07 digits CNN 16-32 maps, Adam, batch 64": _digits_cnn,
}


def _train(model, loss_fn, optimizer, loader, X_val, y_val, num_epochs):
    """The chapter-06 loop: a training epoch (loss.item() per step), then an evaluation under no_grad."""
    for _ in range(num_epochs):
        model.train()
        total = 0.0
        for Xb, yb in loader:
            loss = loss_fn(model(Xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
        model.eval()
        with torch.no_grad():
            val_loss = loss_fn(model(X_val), y_val).item()
    return val_loss


def run_loop(name, watched, seed=0):
    """Train one course loop from ``seed`` (``watched``: inside ``dlstudy.watch``); return (validation loss, seconds).

    >>> bare, _ = run_loop("04 line 1-1, MSE, SGD, batch 10", watched=False)
    >>> watched, _ = run_loop("04 line 1-1, MSE, SGD, batch 10", watched=True)
    >>> bare == watched
    True
    """
    X, y, model, loss_fn, make_optimizer, batch_size, num_epochs = COURSE_LOOPS[name]()
    set_seed(seed)
    for layer in model.modules():
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()
    n_val = len(X) // 5
    loader = TensorLoader(X[n_val:], y[n_val:], batch_size, generator=torch.Generator().manual_seed(seed))
    optimizer = make_optimizer(model.parameters())
    start = time.perf_counter()
    with watch(model, optimizer, loss_fn, report=False) if watched else contextlib.nullcontext() as w:
        loss = _train(model, loss_fn, optimizer, loader, X[:n_val], y[:n_val], num_epochs)
    findings = w.findings if watched else []           # timed too: a learner's watch reads them at the end
    seconds = time.perf_counter() - start
    if findings:
        raise AssertionError(f"{name}: dlstudy.watch found {[f.kind for f in findings]} in a correct course loop")
    return loss, seconds


def time_watch(name, repeats=9):
    """(bare seconds, watched seconds, overhead): medians of interleaved runs, warm-up dropped."""
    bare, watched, ratios = [], [], []
    for round_ in range(repeats + 1):
        order = (False, True) if round_ % 2 else (True, False)      # neither variant always runs first
        times = {flag: run_loop(name, flag)[1] for flag in order}
        if round_ > 0:
            bare.append(times[False])
            watched.append(times[True])
            ratios.append(times[True] / times[False] - 1)
    return statistics.median(bare), statistics.median(watched), statistics.median(ratios)


def print_watch(repeats=9):
    """The table of ``python -m dlstudy bench``: each course loop, bare and watched."""
    print(f"\n{'dlstudy.watch on the course loops':<50}{'bare ms':>9}{'watched ms':>12}{'overhead':>10}")
    results = {}
    for name in COURSE_LOOPS:
        bare_loss, watched_loss = run_loop(name, False)[0], run_loop(name, True)[0]
        if bare_loss != watched_loss:
            raise AssertionError(f"{name}: the watched loop ended with loss {watched_loss}, the bare one {bare_loss}")
        results[name] = time_watch(name, repeats)
        bare, watched, overhead = results[name]
        print(f"  {name:<48}{bare * 1e3:>9.1f}{watched * 1e3:>12.1f}{overhead:>+10.1%}")
    return results
