"""A live playground in the spirit of TensorFlow Playground, with real PyTorch in the kernel.

``LiveRun`` is the experiment: a small network on a 2-D data set (classification or regression),
trained a few epochs at a time, and ``frame()``, the picture of its state as small arrays (the
output over the plane, each hidden neuron's output, every weight, the losses). ``live_playground()``
is the widget: the browser draws the network and those arrays on canvases, 25 or more times a
second while training runs, with Play / Pause / Step / Reset. Its parts live in ``dlstudy.demos.live``:
the training session (``run``), the network (``network``), the arrays sent to the browser (``frames``) and
the static picture (``picture``); this module is the widget.
"""

import asyncio
import math
import time
from pathlib import Path

import anywidget
import torch
import traitlets

from dlstudy.contract import Keywords, declare
from dlstudy.demos.base import DemoError
from dlstudy.demos.catalog import ACTIVATIONS, PROBLEMS
from dlstudy.demos.live.frames import wire_frame
from dlstudy.demos.live.network import FEATURES
from dlstudy.demos.live.picture import frame_picture
from dlstudy.demos.live.run import FeatureNet, LiveRun, problem_of
from dlstudy.demos.pictures import Picture

__all__ = ["FEATURES", "FeatureNet", "LiveRun", "LivePlayground", "live_playground"]

SETTINGS = Keywords(**LiveRun.__init__.__contract__)     # config: LiveRun's settings, each by its rule


class LivePlayground(anywidget.AnyWidget):
    """The live playground widget: settings in ``config``, the current picture in ``frame``.

    While it plays, the kernel trains and sends frames while fewer than ``in_flight`` of them wait to be
    drawn: frames never pile up on a busy machine. The browser says "drawn" once every ``ack_every``
    frames, not after each, because every message to the kernel makes JupyterLab show the kernel busy
    and then idle, which cost the browser more than drawing the frame.
    """

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
    fps_cap = 40.0                                   # frames per second at most (headroom over 25 on a busy machine)
    epochs_per_frame = 1
    ack_every = 10                                   # the browser says "drawn" after this many frames
    in_flight = 25                                   # frames sent and not yet drawn, at most (then wait)
    wait_for_browser = 0.25                          # seconds at most to wait for the browser to draw a frame
    picture_delay = 0.5                              # seconds of calm before the picture follows a change

    @declare(config=SETTINGS, error=DemoError)
    def __init__(self, **config):
        super().__init__()
        self.options = {"problems": {"classification": "Classification", "regression": "Regression"},
                        "datasets": {problem: {k: d.label for k, d in sets.items()} for problem, sets in PROBLEMS.items()},
                        "features": {k: f.label for k, f in FEATURES.items()},
                        "activations": {k: a.label for k, a in ACTIVATIONS.items()},
                        "regularizations": {"none": "None", "l1": "L1", "l2": "L2"}}
        self.view = {"show_test": False, "discretize": False}
        self._task = self._picture_handle = None
        self.picture, self.edited, self._edits, self._drawn, self.pictures = Picture(), False, 0, None, 0
        self._sent = self._acked = 0                 # frames sent while playing, and the last the browser drew
        if "problem" not in config:                                     # the data set says which problem it is
            config["problem"] = problem_of(config.get("dataset", "xor"))
        if "dataset" not in config and config["problem"] in PROBLEMS:   # a problem's first data set by default
            config["dataset"] = next(iter(PROBLEMS[config["problem"]]))
        self.config = {"problem": "classification", "dataset": "xor", "noise": 0.1, "train_ratio": 0.5,
                       "features": ["x1", "x2"], "hidden": [4, 2], "activation": "tanh", "lr": 0.3,
                       "regularization": "none", "reg_rate": 0.0, "batch_size": 10, "seed": 0} | config
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
        with self.hold_sync():
            self.points = self.run.points()
            self.frame = wire_frame(self.run)
            self.status = "Press ▶ to train."
        self._picture_soon()

    def step(self, epochs=1):
        """Train ``epochs`` epochs and show the new frame (the ⏭ button); nothing while the settings are bad."""
        if self.error:
            return
        self.run.step(epochs)
        self._show()

    def _show(self):
        """Send the run's frame and status in one message (and stop playing if it diverged)."""
        self._sent += 1
        with self.hold_sync():
            self.frame = wire_frame(self.run) | {"n": self._sent, "ack_every": self.ack_every}
            if self.run.diverged:
                self.playing = False
                self.status = self.run.diverged
            else:
                self.status = f"Epoch {self.run.epoch}: test loss {self.run.history['test_loss'][-1]:.3f}"
        if not self.playing:
            self._picture_soon()

    def set_weight(self, layer, i, j, value):
        """Set the weight from neuron ``i`` of ``layer`` to neuron ``j`` of the next (i = -1: ``j``'s bias)."""
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
        if cmd == "drawn":                             # the browser drew frame n
            self._acked = max(self._acked, int(content.get("n") or 0))
        elif cmd == "step":
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
            if self._picture_handle is not None:       # no picture while it plays
                self._picture_handle.cancel()
            self._task = asyncio.get_event_loop().create_task(self._play())
        elif not change["new"]:
            self._picture_soon()

    async def _play(self):
        """Train and send frames until paused: at most ``fps_cap`` a second, ``in_flight`` frames ahead of the browser."""
        self._acked = self._sent
        while self.playing and not self.run.diverged:
            started = time.perf_counter()
            self.run.step(self.epochs_per_frame)
            while self._sent >= self._acked + self.in_flight and time.perf_counter() - started < self.wait_for_browser:
                await asyncio.sleep(0.005)             # the browser is still drawing: let its messages in
            self._show()                               # even if paused meanwhile: the epoch was trained
            await asyncio.sleep(max(0.001, 1 / self.fps_cap - (time.perf_counter() - started)))

    def _picture_soon(self):
        """Redraw the static picture once the learner pauses (not while it plays), once per burst of changes."""
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
            self._drawn, self.pictures = state, self.pictures + 1

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


@declare(config=SETTINGS, error=DemoError)
def live_playground(**config):
    """The live playground: press ▶ and watch every neuron, the output and the losses change as it trains."""
    return LivePlayground(**config)
