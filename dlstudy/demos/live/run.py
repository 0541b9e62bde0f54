"""The live playground's training session: the data, the network (``FeatureNet``), SGD through ``fit``, the losses.

``LiveRun`` is the experiment behind the widget, a plain object that runs without a browser: make one,
``step`` it a few epochs, and read its ``frame()`` (what the widget draws) or ``points()`` (its data).
"""

import math

import torch
from torch import nn

from dlstudy.contract import Key, Keys, Number, Optional, Values, Whole, declare
from dlstudy.data.loaders import TensorLoader
from dlstudy.demos.common import DemoError, single_threaded
from dlstudy.demos.catalog import ACTIVATIONS, ALL_DATASETS, PROBLEMS, playground_data
from dlstudy.demos.live.frames import GRID, NEURON_GRID, frame_tensors, grids, list_frame
from dlstudy.demos.live.network import FEATURES
from dlstudy.train import Callback, TrainingDiverged, fit

__all__ = ["REGULARIZATIONS", "LOSSES", "FeatureNet", "LiveRun", "problem_of"]

REGULARIZATIONS = ("none", "l1", "l2")
LOSSES = {"classification": nn.BCEWithLogitsLoss, "regression": nn.MSELoss}   # the output: a logit, or a value


@declare(dataset=Key(ALL_DATASETS, "data set"), error=DemoError)
def problem_of(dataset):
    """The problem type whose table holds ``dataset``.

    >>> problem_of("plane"), problem_of("Multi-Gauss"), problem_of("xor")
    ('regression', 'regression', 'classification')
    """
    return next(problem for problem, sets in PROBLEMS.items() if dataset in sets)


class FeatureNet(nn.Module):
    """Input features -> hidden layers (Linear + activation) -> one output (a logit, or a value in regression).

    >>> FeatureNet(["x1", "x2"], [4, 2], "tanh")(torch.zeros(5, 2)).shape
    torch.Size([5])
    """

    @declare(features=Keys(FEATURES, "input feature"), hidden=Values(Whole(1, 64, example=4), min_len=0, example="[4, 2]"),
             activation=Key(ACTIVATIONS, "activation"), error=DemoError)
    def __init__(self, features, hidden, activation):
        super().__init__()
        self.features = features
        self.activation = ACTIVATIONS[activation].function
        sizes = [len(self.features)] + list(hidden)
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        self.out = nn.Linear(sizes[-1], 1)

    def expand(self, X):
        """The chosen features of the points ``X`` (N, 2), as columns (N, F)."""
        return torch.stack([FEATURES[f].fn(X) for f in self.features], dim=1)

    def forward(self, X, activations=None):
        h = self.expand(X)
        for layer in self.hidden:
            h = self.activation(layer(h))
            if activations is not None:
                activations.append(h)
        return self.out(h).squeeze(1)


class LiveRun:
    """One training run of the playground: the data, the network, SGD, and its losses so far.

    >>> run = LiveRun(dataset="circles", features=["x1_sq", "x2_sq"], hidden=[3], lr=0.3)
    >>> run.step(60); run.frame()["test_loss"] < 0.2
    True
    >>> run = LiveRun(problem="regression", dataset="plane", hidden=[], lr=0.01)
    >>> run.step(20); run.frame()["test_loss"] < 0.01
    True
    """

    @declare(dataset=Key(ALL_DATASETS, "data set"),
             noise=Number(0, 1, example=0.1), train_ratio=Number(0, 1, example=0.5, low_open=True, high_open=True),
             features=Keys(FEATURES, "input feature"), hidden=Values(Whole(1, 64, example=4), min_len=0, example="[4, 2]"),
             activation=Key(ACTIVATIONS, "activation"), lr=Number(0, 10, example=0.3, low_open=True),
             regularization=Key(REGULARIZATIONS, "regularization"), reg_rate=Number(0, 10, example=0.001),
             batch_size=Whole(1, 10 ** 4, example=10), seed=Whole(0, 2 ** 32 - 1, example=0),
             problem=Optional(Key(PROBLEMS, "problem type")), error=DemoError)
    def __init__(self, dataset="xor", noise=0.1, train_ratio=0.5, features=("x1", "x2"), hidden=(4, 2),
                 activation="tanh", lr=0.3, regularization="none", reg_rate=0.0, batch_size=10, seed=0,
                 problem=None):
        self.problem = problem_of(dataset) if problem is None else problem
        self.regularization = regularization
        self.reg_rate, self.batch_size, self.lr = reg_rate, batch_size, lr
        self.data = playground_data(dataset, noise, train_ratio, seed=seed, problem=self.problem)
        everything = torch.cat([self.data["X_train"], self.data["X_test"]])
        mean, std = everything.mean(dim=0), everything.std(dim=0)       # centred, as in TensorFlow Playground
        for part in ("train", "test"):
            self.data[f"X_{part}"] = (self.data[f"X_{part}"] - mean) / std
            self.data[f"y_{part}"] = self.data[f"y_{part}"].float()
        everything = (everything - mean) / std
        margin = 0.1 * (everything.max() - everything.min())
        self.bounds = [round(float(everything.min() - margin), 2), round(float(everything.max() + margin), 2)]
        self.grid_points = grids(self.bounds)                            # every frame evaluates these points
        torch.manual_seed(seed)
        self.net = FeatureNet(features, list(hidden), activation)
        self.loss_fn = LOSSES[self.problem]()
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=lr)
        self.loader = TensorLoader(self.data["X_train"], self.data["y_train"], self.batch_size,
                                   generator=torch.Generator().manual_seed(seed))
        self.epoch, self.history = 0, {"train_loss": [], "test_loss": []}
        self.diverged = None
        self._record()

    def _penalty(self):
        weights = [layer.weight for layer in [*self.net.hidden, self.net.out]]
        if self.regularization == "l1":
            return self.reg_rate * sum(w.abs().sum() for w in weights)
        if self.regularization == "l2":
            return self.reg_rate * sum((w ** 2).sum() for w in weights) / 2
        return 0.0

    @torch.no_grad()
    def _loss(self, part):
        return self.loss_fn(self.net(self.data[f"X_{part}"]), self.data[f"y_{part}"]).item()

    def _record(self):
        for part in ("train", "test"):
            self.history[f"{part}_loss"].append(self._loss(part))

    def _train_step(self, state, X, y):
        """fit's five steps, with the L1 / L2 penalty added to the loss that is differentiated."""
        y_hat = self.net(X)
        loss = state.loss_fn(y_hat, y)
        self.optimizer.zero_grad()
        (loss + self._penalty()).backward()
        self.optimizer.step()
        return y_hat, loss

    @declare(epochs=Whole(0, 10 ** 4, example=10), error=DemoError)
    @single_threaded                                  # tiny model: one thread is fastest
    def step(self, epochs=1):
        """Train ``epochs`` more epochs of mini-batch SGD with ``fit`` (stops, and says why, if the loss diverges)."""
        if self.diverged:
            return
        try:
            fit(self.net, self.loader, self.loss_fn, self.optimizer, epochs, step=self._train_step,
                callbacks=[_Record(self)], progress=False)
        except TrainingDiverged:
            self._diverged(math.inf)

    def _diverged(self, last):
        self.diverged = (f"Diverged at epoch {self.epoch}: the training loss rose to {last:.3g} "
                         f"(it started at {self.history['train_loss'][0]:.3g}). The steps overshoot: "
                         f"lower the learning rate (now {self.lr:g}) and press Reset.")

    def frame_tensors(self, grid=GRID, neuron_grid=NEURON_GRID):
        """The run's state as float32 tensors from one batched forward pass (see ``frames.frame_tensors``)."""
        return frame_tensors(self, grid, neuron_grid)

    def frame(self, grid=GRID, neuron_grid=NEURON_GRID):
        """The run's state as small lists: output (grid x grid, -1..1), neurons, weights, losses."""
        return list_frame(self, grid, neuron_grid)

    def points(self):
        """The data for drawing: train and test points as [x1, x2, label or target], and the plane's bounds."""
        label = (lambda v: round(v, 3)) if self.problem == "regression" else int
        return {part: [[round(a, 3), round(b, 3), label(c)] for (a, b), c in
                       zip(self.data[f"X_{part}"].tolist(), self.data[f"y_{part}"].tolist())]
                for part in ("train", "test")} | {"bounds": self.bounds}


class _Record(Callback):
    """After each epoch: count it, record both losses, stop when the loss has grown tenfold."""

    def __init__(self, run):
        self.run = run

    def on_epoch_end(self, state):
        run = self.run
        run.epoch += 1
        run._record()
        last = run.history["train_loss"][-1]
        if not math.isfinite(last) or last > 10 * max(run.history["train_loss"][0], 0.1):
            run._diverged(last)
            state.stop = True
