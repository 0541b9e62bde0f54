"""A live playground in the spirit of TensorFlow Playground, with real PyTorch in the kernel.

``LiveRun`` is the experiment: a small network on a 2-D data set, trained a few epochs at a
time, and ``frame()``, the picture of its state as small arrays (the decision boundary, each
hidden neuron's output over the input plane, every weight, the losses). ``live_playground()``
is the widget: the browser draws the network and those arrays on canvases, ten or more times
a second while training runs, with Play / Pause / Step / Reset.
"""

import asyncio
import base64
import math
import time
from collections import namedtuple
from pathlib import Path

import anywidget
import torch
import traitlets
from torch import nn

from dlstudy.contract import Number, Whole, declare
from dlstudy.demos.base import DemoError, choose, single_threaded
from dlstudy.demos.catalog import ACTIVATIONS, DATASETS, playground_data
from dlstudy.display import figure_to_png
from dlstudy.data.loaders import TensorLoader
from dlstudy.train import Callback, TrainingDiverged, fit

__all__ = ["FEATURES", "FeatureNet", "LiveRun", "LivePlayground", "live_playground", "frame_picture"]

Feature = namedtuple("Feature", "label fn")   # fn(X) -> one column, computed from x1 = X[:, 0], x2 = X[:, 1]

FEATURES = {
    "x1": Feature("x₁", lambda X: X[:, 0]),
    "x2": Feature("x₂", lambda X: X[:, 1]),
    "x1_sq": Feature("x₁²", lambda X: X[:, 0] ** 2),
    "x2_sq": Feature("x₂²", lambda X: X[:, 1] ** 2),
    "x1_x2": Feature("x₁x₂", lambda X: X[:, 0] * X[:, 1]),
    "sin_x1": Feature("sin x₁", lambda X: torch.sin(X[:, 0])),
    "sin_x2": Feature("sin x₂", lambda X: torch.sin(X[:, 1])),
}
REGULARIZATIONS = ("none", "l1", "l2")
GRID, NEURON_GRID = 48, 24            # pixels per side of the output picture and of each neuron's picture


class FeatureNet(nn.Module):
    """Input features -> hidden layers (Linear + activation) -> one logit for class 1.

    >>> FeatureNet(["x1", "x2"], [4, 2], "tanh")(torch.zeros(5, 2)).shape
    torch.Size([5])
    """

    def __init__(self, features, hidden, activation):
        super().__init__()
        self.features = [choose(f, FEATURES, "input feature") for f in features]
        if not self.features:
            raise DemoError("Choose at least one input feature (x₁, x₂, ...): the network needs an input.")
        self.activation = ACTIVATIONS[choose(activation, ACTIVATIONS, "activation")].function
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
    """

    @declare(noise=Number(0, 1, example=0.1), lr=Number(0, 10, example=0.3, low_open=True),
             reg_rate=Number(0, 10, example=0.001), batch_size=Whole(1, example=10), error=DemoError)
    def __init__(self, dataset="xor", noise=0.1, train_ratio=0.5, features=("x1", "x2"), hidden=(4, 2),
                 activation="tanh", lr=0.3, regularization="none", reg_rate=0.0, batch_size=10, seed=0):
        if isinstance(hidden, (str, int)) or any(isinstance(u, bool) or not isinstance(u, int) or u < 1
                                                  for u in hidden):
            raise DemoError(f"Each hidden layer needs at least one neuron; got layer sizes {hidden!r}.")
        self.regularization = choose(regularization, REGULARIZATIONS, "regularization")
        self.reg_rate, self.batch_size, self.lr = reg_rate, batch_size, lr
        self.data = playground_data(dataset, noise, train_ratio, seed=seed)
        everything = torch.cat([self.data["X_train"], self.data["X_test"]])
        mean, std = everything.mean(dim=0), everything.std(dim=0)       # centred, as in TensorFlow Playground
        for part in ("train", "test"):
            self.data[f"X_{part}"] = (self.data[f"X_{part}"] - mean) / std
            self.data[f"y_{part}"] = self.data[f"y_{part}"].float()
        everything = (everything - mean) / std
        margin = 0.1 * (everything.max() - everything.min())
        self.bounds = [round(float(everything.min() - margin), 2), round(float(everything.max() + margin), 2)]
        torch.manual_seed(seed)
        self.net = FeatureNet(features, list(hidden), activation)
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
        logits = self.net(self.data[f"X_{part}"])
        return nn.functional.binary_cross_entropy_with_logits(logits, self.data[f"y_{part}"]).item()

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

    @single_threaded                                  # tiny model: one thread is fastest
    def step(self, epochs=1):
        """Train ``epochs`` more epochs of mini-batch SGD with ``fit`` (stops, and says why, if the loss diverges)."""
        if self.diverged:
            return
        try:
            fit(self.net, self.loader, nn.BCEWithLogitsLoss(), self.optimizer, epochs, step=self._train_step,
                callbacks=[_Record(self)], progress=False)
        except TrainingDiverged:
            self._diverged(math.inf)

    def _diverged(self, last):
        self.diverged = (f"Diverged at epoch {self.epoch}: the training loss rose to {last:.3g} "
                         f"(it started at {self.history['train_loss'][0]:.3g}). The steps overshoot: "
                         f"lower the learning rate (now {self.lr:g}) and press Reset.")

    @torch.no_grad()
    @single_threaded
    def frame(self, grid=GRID, neuron_grid=NEURON_GRID):
        """The run's state as small arrays: boundary (grid x grid, -1..1), neurons, weights, losses."""
        lo, hi = self.bounds

        def plane(n):
            ticks = torch.linspace(lo, hi, n)
            gy, gx = torch.meshgrid(ticks.flip(0), ticks, indexing="ij")    # row 0 is the top (largest x2)
            return torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)

        def rounded(t):
            return [round(v, 2) for v in t.reshape(-1).tolist()]

        boundary = torch.sigmoid(self.net(plane(grid))) * 2 - 1
        activations = []
        self.net(plane(neuron_grid), activations)
        neurons = []
        for h in activations:
            scale = h.abs().amax(dim=0).clamp(min=1e-6)
            neurons.append([rounded(h[:, j] / scale[j]) for j in range(h.shape[1])])
        layers = [*self.net.hidden, self.net.out]
        return {"epoch": self.epoch, "train_loss": self.history["train_loss"][-1],
                "test_loss": self.history["test_loss"][-1],
                "history": {k: [round(v, 4) if math.isfinite(v) else None for v in vals[-400:]]
                            for k, vals in self.history.items()},
                "boundary": rounded(boundary), "grid": grid, "neuron_grid": neuron_grid, "neurons": neurons,
                "weights": [[[round(w, 3) for w in row] for row in layer.weight.T.tolist()] for layer in layers],
                "diverged": self.diverged}

    def points(self):
        """The data for drawing: train and test points as [x1, x2, label], and the plane's bounds."""
        return {part: [[round(a, 3), round(b, 3), int(c)] for (a, b), c in
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


def frame_picture(run):
    """A PNG of the run's decision boundary and points (what a notebook shows without its kernel)."""
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.figure import Figure

    frame, points = run.frame(), run.points()
    cmap = LinearSegmentedColormap.from_list("tfp", ["#f59322", "#e8eaeb", "#0877bd"])
    fig = Figure(figsize=(3.2, 3.2))
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.88))
    lo, hi = points["bounds"]
    ax.imshow(torch.tensor(frame["boundary"]).reshape(frame["grid"], -1), extent=(lo, hi, lo, hi),
              cmap=cmap, vmin=-1, vmax=1)
    for part, marker in (("train", "o"), ("test", "^")):
        xs = torch.tensor(points[part]) if points[part] else torch.zeros(0, 3)
        ax.scatter(xs[:, 0], xs[:, 1], c=["#0877bd" if c else "#f59322" for c in xs[:, 2].tolist()],
                   marker=marker, s=14, edgecolors="white", linewidths=0.6)
    ax.set_xticks([]), ax.set_yticks([])
    ax.set_title(f"epoch {frame['epoch']}: test loss {frame['test_loss']:.3f}", fontsize=9)
    return figure_to_png(fig)


class LivePlayground(anywidget.AnyWidget):
    """The live playground widget: settings in ``config``, the current picture in ``frame``."""

    _esm = Path(__file__).with_name("live_playground.js")
    _css = Path(__file__).with_name("live_playground.css")
    config = traitlets.Dict().tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)
    points = traitlets.Dict().tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    fps_cap = 30.0                                   # frames per second at most
    epochs_per_frame = 1

    def __init__(self, **config):
        super().__init__()
        self.options = {"datasets": {k: d.label for k, d in DATASETS.items()},
                        "features": {k: f.label for k, f in FEATURES.items()},
                        "activations": {k: a.label for k, a in ACTIVATIONS.items()},
                        "regularizations": {"none": "None", "l1": "L1", "l2": "L2"}}
        self._task = None
        self.config = {"dataset": "xor", "noise": 0.1, "train_ratio": 0.5, "features": ["x1", "x2"],
                       "hidden": [4, 2], "activation": "tanh", "lr": 0.3, "regularization": "none",
                       "reg_rate": 0.0, "batch_size": 10} | config
        self.reset()
        self.observe(lambda change: self.reset(), "config")
        self.observe(self._play_changed, "playing")
        self.on_msg(self._message)

    def reset(self):
        """Start again from fresh weights with the current settings."""
        self.playing = False
        try:
            self.run = LiveRun(**self.config)
        except DemoError as error:
            self.status = str(error)
            return
        self.points = self.run.points()
        self.frame = self.run.frame()
        self.status = "Press ▶ to train."

    def step(self, epochs=1):
        """Train ``epochs`` epochs and show the new frame (the ⏭ button)."""
        self.run.step(epochs)
        self._show()

    def _show(self):
        self.frame = self.run.frame()
        if self.run.diverged:
            self.playing = False
            self.status = self.run.diverged
        else:
            self.status = f"Epoch {self.run.epoch}: test loss {self.frame['test_loss']:.3f}"

    def _message(self, widget, content, buffers):
        if content.get("cmd") == "step":
            self.step()
        elif content.get("cmd") == "reset":
            self.reset()

    def _play_changed(self, change):
        if change["new"] and (self._task is None or self._task.done()):
            self._task = asyncio.get_event_loop().create_task(self._play())

    async def _play(self):
        while self.playing and not self.run.diverged:
            started = time.perf_counter()
            self.run.step(self.epochs_per_frame)
            self._show()
            await asyncio.sleep(max(0.001, 1 / self.fps_cap - (time.perf_counter() - started)))

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs)      # anywidget returns (data, metadata)
        data = dict(data, **{"image/png": base64.b64encode(frame_picture(self.run)).decode("ascii"),
                             "text/plain": repr(self)})
        return data, metadata

    def __repr__(self):
        knobs = ", ".join(f"{k}={v!r}" for k, v in self.config.items())
        return f"LivePlayground({knobs})"


def live_playground(**config):
    """The live playground: press ▶ and watch every neuron, the boundary and the losses change as it trains."""
    return LivePlayground(**config)
