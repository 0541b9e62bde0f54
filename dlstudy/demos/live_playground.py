"""A live playground in the spirit of TensorFlow Playground, with real PyTorch in the kernel.

``LiveRun`` is the experiment: a small network on a 2-D data set, trained a few epochs at a
time, and ``frame()``, the picture of its state as small arrays (the decision boundary, each
hidden neuron's output over the input plane, every weight, the losses). ``live_playground()``
is the widget: the browser draws the network and those arrays on canvases, ten or more times
a second while training runs, with Play / Pause / Step / Reset.
"""

import asyncio
import math
import time
from collections import namedtuple
from pathlib import Path

import anywidget
import torch
import traitlets
from torch import nn

from dlstudy.contract import Key, Keys, Number, Values, Whole, declare
from dlstudy.demos.base import DemoError, Picture, single_threaded
from dlstudy.demos.catalog import ACTIVATIONS, DATASETS, playground_data
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
    """

    @declare(dataset=Key(DATASETS, "data set"), noise=Number(0, 1, example=0.1),
             train_ratio=Number(0, 1, example=0.5, low_open=True, high_open=True),
             features=Keys(FEATURES, "input feature"), hidden=Values(Whole(1, 64, example=4), min_len=0, example="[4, 2]"),
             activation=Key(ACTIVATIONS, "activation"), lr=Number(0, 10, example=0.3, low_open=True),
             regularization=Key(REGULARIZATIONS, "regularization"), reg_rate=Number(0, 10, example=0.001),
             batch_size=Whole(1, 10 ** 4, example=10), seed=Whole(0, 2 ** 32 - 1, example=0), error=DemoError)
    def __init__(self, dataset="xor", noise=0.1, train_ratio=0.5, features=("x1", "x2"), hidden=(4, 2),
                 activation="tanh", lr=0.3, regularization="none", reg_rate=0.0, batch_size=10, seed=0):
        self.regularization = regularization
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

    @declare(epochs=Whole(0, 10 ** 4, example=10), error=DemoError)
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
    def frame_tensors(self, grid=GRID, neuron_grid=NEURON_GRID):
        """The run's state as float32 tensors, from one batched forward pass over both planes.

        ``boundary`` (grid * grid, -1..1, row 0 the top), ``neurons`` (one (units, neuron_grid**2)
        tensor per hidden layer, each neuron scaled to -1..1), ``weights`` and ``biases`` (one per layer,
        (inputs, outputs) and (outputs,)), and the structure they belong to (``features``, ``hidden``).
        """
        lo, hi = self.bounds

        def plane(n):
            ticks = torch.linspace(lo, hi, n)
            gy, gx = torch.meshgrid(ticks.flip(0), ticks, indexing="ij")    # row 0 is the top (largest x2)
            return torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)

        activations = []
        logits = self.net(torch.cat([plane(grid), plane(neuron_grid)]), activations)
        boundary = torch.sigmoid(logits[:grid * grid]) * 2 - 1
        neurons = []
        for h in activations:
            h = h[grid * grid:]
            neurons.append((h / h.abs().amax(dim=0).clamp(min=1e-6)).T.contiguous())
        layers = [*self.net.hidden, self.net.out]
        return {"boundary": boundary, "neurons": neurons, "grid": grid, "neuron_grid": neuron_grid,
                "weights": [layer.weight.T.detach() for layer in layers],
                "biases": [layer.bias.detach() for layer in layers],
                "features": list(self.net.features), "hidden": [layer.out_features for layer in self.net.hidden]}

    def frame(self, grid=GRID, neuron_grid=NEURON_GRID):
        """The run's state as small lists: boundary (grid x grid, -1..1), neurons, weights, losses."""
        t = self.frame_tensors(grid, neuron_grid)

        def rounded(x):
            return [round(v, 2) for v in x.reshape(-1).tolist()]

        return {"epoch": self.epoch, "train_loss": self.history["train_loss"][-1],
                "test_loss": self.history["test_loss"][-1],
                "history": {k: [round(v, 4) if math.isfinite(v) else None for v in vals[-400:]]
                            for k, vals in self.history.items()},
                "boundary": rounded(t["boundary"]), "grid": grid, "neuron_grid": neuron_grid,
                "neurons": [[rounded(n) for n in layer] for layer in t["neurons"]],
                "weights": [[[round(w, 3) for w in row] for row in layer.tolist()] for layer in t["weights"]],
                "biases": [[round(b, 3) for b in layer.tolist()] for layer in t["biases"]],
                "features": t["features"], "hidden": t["hidden"], "diverged": self.diverged}

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


def frame_picture(run, error=""):
    """A PNG of what the widget shows (features, hidden neurons, weights, boundary, losses), for views without a kernel."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from PIL import Image

    t, points = run.frame_tensors(), run.points()
    cmap = LinearSegmentedColormap.from_list("tfp", ["#f59322", "#e8eaeb", "#0877bd"])
    columns = [t["features"], *[[f"h{k}:{j}" for j in range(u)] for k, u in enumerate(t["hidden"])]]
    width, height = 9.6, 4.2                                       # inches: 768 x 336 px as shown
    fig = Figure(figsize=(width, height), dpi=80 * 2)              # twice the pixels it is shown with
    net = fig.add_axes((0, 0, 1, 1))                               # one axes in inches for the whole network
    net.set_xlim(0, width), net.set_ylim(0, height), net.set_axis_off()
    left, right, top = 0.75, 5.6, height - 0.55
    size = min(0.42, (top - 0.2) / max(len(c) for c in columns) * 0.8)
    xs = [left + (right - left) * c / max(1, len(columns) - 1) for c in range(len(columns))]
    g = torch.linspace(*points["bounds"], t["neuron_grid"])
    gy, gx = torch.meshgrid(g.flip(0), g, indexing="ij")
    plane = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)
    centres = []
    for c, column in enumerate(columns):
        step = (top - 0.2) / max(1, len(column))
        centres.append([(xs[c], top - step * (r + 0.5)) for r in range(len(column))])
        for r, (x, y) in enumerate(centres[-1]):
            if c == 0:
                values = FEATURES[column[r]].fn(plane)
                values = values / values.abs().max().clamp(min=1e-6)
                net.text(x - size / 2 - 0.06, y, FEATURES[column[r]].label, ha="right", va="center", fontsize=9)
            else:
                values = t["neurons"][c - 1][r]
            net.imshow(values.reshape(t["neuron_grid"], -1).numpy(), cmap=cmap, vmin=-1, vmax=1, interpolation="nearest",
                       extent=(x - size / 2, x + size / 2, y - size / 2, y + size / 2), zorder=3)
            net.add_patch(Rectangle(
                (x - size / 2, y - size / 2), size, size, fill=False, lw=0.6, ec="#999", zorder=4))
    out, segments, colors, widths = (right + 0.55, top - (top - 0.2) / 2), [], [], []
    for k, weights in enumerate(t["weights"]):
        ends = centres[k + 1] if k + 1 < len(centres) else [out]
        for i, a in enumerate(centres[k]):
            for j, b in enumerate(ends):
                w = float(weights[i, j])
                segments.append([(a[0] + size / 2, a[1]), (b[0] - (size / 2 if k + 1 < len(centres) else 0), b[1])])
                colors.append("#0877bd" if w > 0 else "#f59322")
                widths.append(min(4, 0.3 + 1.5 * abs(w)))
    net.add_collection(LineCollection(segments, colors=colors, linewidths=widths, alpha=0.7, zorder=2))
    titles = ["FEATURES"] + [f"{u} neuron{'s' if u > 1 else ''}" for u in t["hidden"]]
    for x, title in zip(xs, titles):
        net.text(x, height - 0.3, title, ha="center", fontsize=9, color="#555")
    net.set_aspect("auto")
    ax = fig.add_axes((0.665, 0.3, 0.3 * height / width * 2.2, 0.62))
    lo, hi = points["bounds"]
    ax.imshow(t["boundary"].reshape(t["grid"], -1).numpy(), extent=(lo, hi, lo, hi), cmap=cmap, vmin=-1, vmax=1)
    for part, edge in (("train", "white"), ("test", "black")):
        xy = torch.tensor(points[part]) if points[part] else torch.zeros(0, 3)
        ax.scatter(xy[:, 0].numpy(), xy[:, 1].numpy(), c=["#0877bd" if c else "#f59322" for c in xy[:, 2].tolist()],
                   s=10, edgecolors=edge, linewidths=0.5)
    ax.tick_params(labelsize=8)
    ax.set_title(f"epoch {run.epoch}: test loss {run.history['test_loss'][-1]:.3f}, "
                 f"training loss {run.history['train_loss'][-1]:.3f}", fontsize=9)
    loss_ax = fig.add_axes((0.665, 0.06, 0.3, 0.13))
    for key, color in (("test_loss", "#333"), ("train_loss", "#999")):
        loss_ax.plot(run.history[key], color=color, lw=1)
    loss_ax.set_yticks([]), loss_ax.tick_params(labelsize=8)
    loss_ax.set_xlim(0, max(1, len(run.history["train_loss"]) - 1))
    loss_ax.set_title("loss: test dark, training light", fontsize=8, loc="left")
    if error:
        fig.text(0.01, 0.01, error, color="#c0392b", fontsize=9)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    buffer = io.BytesIO()                                          # 128 colours: a third of the bytes
    image.quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(buffer, "PNG")
    return buffer.getvalue()


def _wire(run, error=""):
    """The frame the browser draws: numbers as float32 bytes (sent as binary buffers), the rest as JSON."""
    t = run.frame_tensors()

    def buffer(tensors):
        flat = [x.reshape(-1) for x in tensors] or [torch.zeros(0)]
        return torch.cat(flat).to(torch.float32).numpy().tobytes()

    history = {k: torch.tensor(v[-400:], dtype=torch.float32) for k, v in run.history.items()}
    return {"epoch": run.epoch, "train_loss": run.history["train_loss"][-1], "test_loss": run.history["test_loss"][-1],
            "diverged": run.diverged, "error": error, "grid": t["grid"], "neuron_grid": t["neuron_grid"],
            "features": t["features"], "hidden": t["hidden"], "boundary": buffer([t["boundary"]]),
            "neurons": buffer(t["neurons"]), "weights": buffer(t["weights"]), "biases": buffer(t["biases"]),
            "train_history": buffer([history["train_loss"]]), "test_history": buffer([history["test_loss"]]),
            "history_start": max(0, len(run.history["train_loss"]) - 400)}


class LivePlayground(anywidget.AnyWidget):
    """The live playground widget: settings in ``config``, the current picture in ``frame``."""

    _esm = Path(__file__).with_name("live_playground.js")
    _css = Path(__file__).with_name("live_playground.css")
    config = traitlets.Dict().tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)
    points = traitlets.Dict().tag(sync=True)
    view = traitlets.Dict().tag(sync=True)           # what only the browser uses: show test data, discretize
    playing = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)     # the settings cannot train: why (▶ and Step are off)
    code = traitlets.Unicode("").tag(sync=True)      # Python that reproduces the run (the Code button)
    fps_cap = 30.0                                   # frames per second at most
    epochs_per_frame = 1
    picture_delay = 1.0                              # seconds of calm before the picture follows a change

    def __init__(self, **config):
        super().__init__()
        self.options = {"datasets": {k: d.label for k, d in DATASETS.items()},
                        "features": {k: f.label for k, f in FEATURES.items()},
                        "activations": {k: a.label for k, a in ACTIVATIONS.items()},
                        "regularizations": {"none": "None", "l1": "L1", "l2": "L2"}}
        self.view = {"show_test": False, "discretize": False}
        self._task = self._picture_handle = None
        self.picture, self.edited, self._edits, self._drawn = Picture(), False, 0, None
        self.config = {"dataset": "xor", "noise": 0.1, "train_ratio": 0.5, "features": ["x1", "x2"],
                       "hidden": [4, 2], "activation": "tanh", "lr": 0.3, "regularization": "none",
                       "reg_rate": 0.0, "batch_size": 10, "seed": 0} | config
        self.run = None
        self.reset()
        if self.run is None:
            raise DemoError(self.error)
        self.observe(lambda change: self.reset(), "config")
        self.observe(self._play_changed, "playing")
        self.on_msg(self._message)

    def reset(self):
        """Start again from fresh weights with the current settings (on bad settings, say why and stop)."""
        self.playing = False
        try:
            self.run = LiveRun(**self.config)
        except DemoError as error:
            self.error = self.status = str(error)
            self.frame = dict(self.frame, error=self.error)
            self._picture_soon()
            return
        self.error, self.edited = "", False
        self.points = self.run.points()
        self.frame = _wire(self.run)
        self.status = "Press ▶ to train."
        self._picture_soon()

    def step(self, epochs=1):
        """Train ``epochs`` epochs and show the new frame (the ⏭ button); nothing while the settings are bad."""
        if self.error:
            return
        self.run.step(epochs)
        self._show()

    def _show(self):
        self.frame = _wire(self.run)
        if self.run.diverged:
            self.playing = False
            self.status = self.run.diverged
        else:
            self.status = f"Epoch {self.run.epoch}: test loss {self.run.history['test_loss'][-1]:.3f}"
        if not self.playing:
            self._picture_soon()

    def set_weight(self, layer, i, j, value):
        """Set the weight from neuron ``i`` of ``layer`` to neuron ``j`` of the next (j = -1: ``j``'s bias)."""
        layers = [*self.run.net.hidden, self.run.net.out]
        ok = 0 <= layer < len(layers) and -1 <= i < layers[layer].in_features and 0 <= j < layers[layer].out_features
        if not ok or not math.isfinite(value):
            raise DemoError(f"No weight ({layer}, {i}, {j}) to set to {value!r}: the network has {len(layers)} "
                            "layers of weights, and a weight must be a finite number.")
        with torch.no_grad():
            if i < 0:
                layers[layer].bias[j] = value
            else:
                layers[layer].weight[j, i] = value
        self.edited, self._edits = True, self._edits + 1
        self._show()

    def python_code(self):
        """Python that reproduces this run without the widget (the Code button shows it)."""
        args = ", ".join(f"{k}={v!r}" for k, v in self.config.items())
        edited = ("\n# You edited weights by hand in the widget: this run starts from the original weights."
                  if self.edited else "")
        return (f"from dlstudy.demos.live_playground import LiveRun\n{edited}\n"
                f"run = LiveRun({args})\nrun.step({self.run.epoch})\n"
                f"frame = run.frame()\nprint(f\"epoch {{run.epoch}}: test loss {{frame['test_loss']:.3f}}, "
                f"training loss {{frame['train_loss']:.3f}}\")\n").replace("\n\n", "\n")

    def _message(self, widget, content, buffers):
        cmd = content.get("cmd")
        if cmd == "step":
            self.step()
        elif cmd == "reset":
            self.reset()
        elif cmd == "regenerate":                      # new data (and weights): the next seed
            self.config = self.config | {"seed": self.config.get("seed", 0) + 1}
        elif cmd == "set_weight" and not self.error:
            try:
                self.set_weight(int(content["layer"]), int(content["i"]), int(content["j"]), float(content["value"]))
            except (DemoError, KeyError, TypeError, ValueError):
                self.status = "That is not a weight of this network or not a number: the weight is unchanged."
        elif cmd == "code" and self.run is not None:
            self.code = self.python_code()

    def _play_changed(self, change):
        if change["new"] and self.error:
            self.playing = False
        elif change["new"] and (self._task is None or self._task.done()):
            self._task = asyncio.get_event_loop().create_task(self._play())
        elif not change["new"]:
            self._picture_soon()

    async def _play(self):
        while self.playing and not self.run.diverged:
            started = time.perf_counter()
            self.run.step(self.epochs_per_frame)
            self._show()
            await asyncio.sleep(max(0.001, 1 / self.fps_cap - (time.perf_counter() - started)))

    def _picture_soon(self):
        """Redraw the static picture once the learner pauses (not while it plays: that would cost frames)."""
        if self._picture_handle is not None:
            self._picture_handle.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:                           # plain Python: no loop, draw now
            self._refresh_picture()
            return
        self._picture_handle = loop.call_later(self.picture_delay, self._refresh_picture)

    def _refresh_picture(self):
        self._picture_handle = None
        state = (id(self.run), self.run.epoch if self.run else None, self._edits, self.error)
        if self.run is not None and not self.playing and state != self._drawn:     # draw each state once
            self.picture.update(frame_picture(self.run, self.error))
            self._drawn = state

    def _ipython_display_(self):
        """The widget, then its picture as an output of its own that follows the learner (``Picture``)."""
        from IPython.display import display
        data, metadata = super()._repr_mimebundle_()      # anywidget returns (data, metadata)
        display(dict(data, **{"text/plain": repr(self)}), raw=True, metadata=metadata)
        if self.picture.png is None:
            self._refresh_picture()
        self.picture.display()

    def __repr__(self):
        knobs = ", ".join(f"{k}={v!r}" for k, v in self.config.items())
        return f"LivePlayground({knobs})"


def live_playground(**config):
    """The live playground: press ▶ and watch every neuron, the boundary and the losses change as it trains."""
    return LivePlayground(**config)
