"""Issue 23: property-based fuzzing of every declared argument of dlstudy's public functions.

Each declared argument (``fn.__contract__``) is replaced, one at a time, in a call that is
otherwise valid, by a value drawn from its declaration (inside: the call must succeed) or
from just outside it (wrong type, text for a number, a class for an object, NaN, Inf,
negative, huge, ...: the call must end in dlstudy's own error whose message names the
argument). A raw error from torch / NumPy / scikit-learn, or a silent success with a value
outside the declaration, fails.
"""

import importlib
import inspect
import math
import pkgutil
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

import dlstudy
from dlstudy import contract as c
from dlstudy.callbacks import EarlyStopping, Monitor, NormType, Scheduler
from dlstudy.checkpoint import CheckpointModel, CheckpointOptimizer, CheckpointPath, MapLocation
from dlstudy.data.splits import Fraction
from dlstudy.loop import Callback, Callbacks, Data, Metrics
from dlstudy.demos.backprop import Graph, Node, Step, example, graph_data
from dlstudy.demos.playground import PlaygroundData
from dlstudy.demos.schedules import Device
from dlstudy.device import resolve_device
from dlstudy.diagnostics import layer_snapshot
from dlstudy.watch import WatchedLoss, WatchedModel, WatchedOptimizer
from dlstudy.display import Drawing, Png, figure_to_png
from dlstudy.graph import Nodes, Output, Params, Table
from dlstudy.plots.classifiers import Names
from dlstudy.plots.common import Axes, FigSize
from dlstudy.plots.curves import KeyNames, Recorded
from dlstudy.plots.images import Kernels
from dlstudy.plots.training import Finder, Runs, Snapshot
from dlstudy.metrics import accuracy
from dlstudy.train import Batches

PACKAGE = str(Path(dlstudy.__file__).resolve().parent)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")                                  # later tests count the open figures
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def declared():
    """{qualified name: (callable, contract)} for every public function or class with a declaration."""
    found = {}
    for info in pkgutil.walk_packages(dlstudy.__path__, "dlstudy."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            target = obj.__init__ if inspect.isclass(obj) else obj
            if getattr(target, "__contract__", None) is not None:
                found.setdefault(f"{obj.__module__}.{name}", (obj, target.__contract__))
    return found


DECLARED = declared()


def _net(features=3, classes=2):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(features, 4), nn.Tanh(), nn.Linear(4, classes))


def _fit_args():
    net = _net()
    X, y = torch.randn(12, 3), torch.arange(12) % 2
    return dict(model=net, train_data=(X, y), loss_fn=nn.CrossEntropyLoss(),
                optimizer=torch.optim.SGD(net.parameters(), lr=0.1), num_epochs=1, progress=False)


def _finder():
    from dlstudy.lr_finder import lr_find
    net = _net()
    return lr_find(net, (torch.randn(12, 3), torch.arange(12) % 2), nn.CrossEntropyLoss(),
                   torch.optim.SGD(net.parameters(), lr=0.1), num_steps=12)


def _diagnostics():
    from dlstudy.diagnostics import Diagnostics
    net, diag = _net(), Diagnostics(every=1)
    dlstudy.train.fit(net, (torch.randn(12, 3), torch.arange(12) % 2), nn.CrossEntropyLoss(),
                      torch.optim.SGD(net.parameters(), lr=0.1), 2, callbacks=[diag], progress=False)
    return diag


def _graph_output():
    x = torch.tensor(2.0, requires_grad=True)
    return x * 3


def _checkpoint_file(saved=False):
    import tempfile
    from dlstudy.checkpoint import save_checkpoint
    path = Path(tempfile.mkdtemp()) / "net.pt"
    if saved:
        save_checkpoint(path, nn.Linear(2, 1))
    return path


def _optimizer():
    return torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)


# A valid call of each declared function (only the required arguments and cheap settings); ``None``:
# too slow to run inside its declaration, so only values outside it (refused at the boundary) are drawn.
BASE = {
    "dlstudy.callbacks.EarlyStopping": dict,
    "dlstudy.callbacks.LRScheduler": lambda: dict(scheduler=torch.optim.lr_scheduler.StepLR(_optimizer(), 2)),
    "dlstudy.callbacks.GradientClipping": lambda: dict(max_norm=1.0),
    "dlstudy.data.sets.load_digits": dict,
    "dlstudy.data.sets.make_moons": lambda: dict(n=20),
    "dlstudy.data.sets.make_circles": lambda: dict(n=20),
    "dlstudy.data.sets.make_xor": lambda: dict(n=20),
    "dlstudy.data.sets.make_spiral": lambda: dict(n=20),
    "dlstudy.data.sets.make_linear": lambda: dict(n=20),
    "dlstudy.data.sets.make_polynomial": lambda: dict(n=20),
    "dlstudy.data.sets.load_mnist": None,
    "dlstudy.checkpoint.save_checkpoint": lambda: dict(path=_checkpoint_file(), model=nn.Linear(2, 1)),
    "dlstudy.checkpoint.load_checkpoint": lambda: dict(path=_checkpoint_file(saved=True), model=nn.Linear(2, 1)),
    "dlstudy.data.splits.train_val_test_split": lambda: dict(X=torch.randn(40, 2), y=torch.arange(40) % 2),
    "dlstudy.data.splits.kfold_splits": lambda: dict(y=torch.arange(40) % 2),
    "dlstudy.data.loaders.TensorLoader": lambda: dict(X=torch.randn(10, 2), y=torch.arange(10)),
    "dlstudy.demos.activations.activation_fn": lambda: dict(name="leaky_relu"),
    "dlstudy.demos.activations.activation_data": lambda: dict(name="leaky_relu", num_points=11),
    "dlstudy.demos.catalog.playground_data": lambda: dict(n=40),
    "dlstudy.demos.live.run.problem_of": lambda: dict(dataset="plane"),
    "dlstudy.demos.learning_rate.run_gradient_descent": lambda: dict(num_steps=2),
    "dlstudy.demos.live.run.LiveRun": dict,
    "dlstudy.demos.catalog.make_gauss": dict,
    "dlstudy.demos.catalog.make_plane": dict,
    "dlstudy.demos.catalog.make_multi_gauss": dict,
    "dlstudy.demos.optimizer_race.race": lambda: dict(num_steps=3, optimizers=["sgd"]),
    "dlstudy.demos.playground.train_playground": None,
    "dlstudy.demos.regularization.regularization_data": dict,
    "dlstudy.demos.regularization.train_regularized": None,
    "dlstudy.demos.schedules.make_scheduler": lambda: dict(optimizer=_optimizer(), name="cosine", total_steps=10),
    "dlstudy.demos.schedules.schedule_curve": lambda: dict(name="cosine", lr=0.1, total_steps=5),
    "dlstudy.demos.schedules.digits_data": None,
    "dlstudy.demos.schedules.make_digits_net": dict,
    "dlstudy.demos.schedules.train_with_schedule": None,
    "dlstudy.loop.evaluate": lambda: dict(model=_net(), data=(torch.randn(6, 3), torch.arange(6) % 2),
                                          loss_fn=nn.CrossEntropyLoss()),
    "dlstudy.train.fit": _fit_args,
    "dlstudy.train.predict": lambda: dict(model=_net(), X=torch.randn(5, 3)),
    "dlstudy.lr_finder.LRFinder": dict,
    "dlstudy.demos.live_playground.LivePlayground": dict,
    "dlstudy.demos.live_playground.live_playground": dict,
    "dlstudy.exercises.exercise_ids": lambda: dict(chapter="02"),
    "dlstudy.exercises.check": lambda: dict(exercise_id="99.1"),
    "dlstudy.exercises.hint": lambda: dict(key="99.1"),
    "dlstudy.watch.watch": lambda: dict(model=nn.Linear(2, 1), optimizer=_optimizer(), loss_fn=nn.MSELoss(),
                                        report=False),
    "dlstudy.watch.Watch": lambda: dict(model=nn.Linear(2, 1), optimizer=_optimizer(), loss_fn=nn.MSELoss(),
                                        report=False),
    "dlstudy.lr_finder.lr_find": lambda: {**{k: v for k, v in _fit_args().items() if k not in ("num_epochs", "progress")},
                                          "num_steps": 3},
    "dlstudy.plots.curves.LivePlot": dict,
    "dlstudy.plots.classifiers.plot_confusion_matrix": lambda: dict(preds=torch.tensor([0, 1, 1]),
                                                                    target=torch.tensor([0, 1, 0])),
    "dlstudy.plots.classifiers.plot_roc": lambda: dict(scores=torch.tensor([0.1, 0.8, 0.4, 0.6]),
                                                       target=torch.tensor([0, 1, 0, 1])),
    "dlstudy.plots.paths.plot_optimizer_paths": lambda: dict(loss_fn_2d=lambda x, y: x ** 2 + y ** 2,
                                                             paths={"sgd": torch.zeros(3, 2)}),
    "dlstudy.plots.training.plot_lr_schedules": lambda: dict(curves={"cosine": [0.1, 0.05]}),
    # issue 23, by construction: every public function of the API surface
    "dlstudy.display.figure_to_png": lambda: dict(fig=plt.figure(figsize=(1, 1)), dpi=20),
    "dlstudy.display.show_png": lambda: dict(png=figure_to_png(plt.figure(figsize=(1, 1)), dpi=10)),
    "dlstudy.explain.explain": lambda: dict(error=ValueError("something else")),
    "dlstudy.graph.trace": lambda: dict(output=_graph_output()),
    "dlstudy.graph.show_graph": lambda: dict(output=_graph_output()),
    "dlstudy.graph.render_graph": lambda: dict(nodes=["x", "y"], edges=[("x", "y")]),
    "dlstudy.tools.doctor.main": None,
    "dlstudy.data.sets.Data": lambda: dict(X=torch.zeros(3, 2), y=torch.zeros(3)),
    "dlstudy.demos.backprop.Scalar": lambda: dict(data=1.0),
    "dlstudy.demos.backprop.example": dict,
    "dlstudy.demos.backprop.graph_data": lambda: dict(root=example("shared")),
    "dlstudy.demos.backprop.backward_steps": lambda: dict(root=example("shared")),
    "dlstudy.demos.backprop.picture": lambda: dict(graph=graph_data(example("shared"))),
    "dlstudy.demos.backprop.BackpropStepper": None,
    "dlstudy.demos.backprop.backprop_stepper": None,
    "dlstudy.demos.live.run.FeatureNet": lambda: dict(features=["x1"], hidden=[2], activation="tanh"),
    "dlstudy.demos.playground.make_mlp": dict,
    "dlstudy.demos.schedules.epochs_to_reach": lambda: dict(values=[0.5, 0.9], target=0.8),
    "dlstudy.demos.schedules.schedule_explorer": None,
    "dlstudy.demos.threshold.threshold_report": lambda: dict(scores=torch.tensor([0.1, 0.9]), target=torch.tensor([0, 1])),
    "dlstudy.demos.threshold.threshold_explorer": lambda: dict(scores=torch.tensor([0.1, 0.9]),
                                                               target=torch.tensor([0, 1])),
    "dlstudy.diagnostics.flat_mask": lambda: dict(module=nn.Tanh(), a=torch.zeros(2, 3)),
    "dlstudy.diagnostics.saturated_fraction": lambda: dict(module=nn.Tanh(), a=torch.zeros(2, 3)),
    "dlstudy.diagnostics.dead_fraction": lambda: dict(module=nn.ReLU(), a=torch.zeros(2, 3)),
    "dlstudy.diagnostics.activation_stats": lambda: dict(module=nn.ReLU(), a=torch.zeros(2, 3)),
    "dlstudy.diagnostics.layer_snapshot": lambda: dict(model=_net(), X=torch.randn(4, 3), y=torch.arange(4) % 2,
                                                       loss_fn=nn.CrossEntropyLoss()),
    "dlstudy.diagnostics.Diagnostics": dict,
    "dlstudy.lr_finder.smooth": lambda: dict(losses=[1.0, 0.5]),
    "dlstudy.plots.classifiers.plot_decision_boundary": lambda: dict(model=nn.Linear(2, 2), X=torch.randn(6, 2),
                                                                     y=torch.arange(6) % 2, resolution=10),
    "dlstudy.plots.curves.plot_history": lambda: dict(history={"train_loss": [1.0, 0.5]}),
    "dlstudy.plots.curves.plot_function": lambda: dict(f=torch.sigmoid),
    "dlstudy.plots.images.show_images": lambda: dict(images=torch.rand(2, 4, 4)),
    "dlstudy.plots.images.plot_feature_maps": lambda: dict(model_or_layer=nn.Conv2d(1, 2, 3), image=torch.rand(1, 6, 6)),
    "dlstudy.plots.images.plot_filters": lambda: dict(conv_layer=nn.Conv2d(1, 2, 3)),
    "dlstudy.plots.training.plot_lr_finder": lambda: dict(finder=_finder()),
    "dlstudy.plots.training.plot_diagnostics": lambda: dict(runs=_diagnostics()),
    "dlstudy.plots.training.plot_histograms": lambda: dict(snapshot=layer_snapshot(
        nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)), torch.randn(5, 3), torch.arange(5) % 2,
        nn.CrossEntropyLoss())),
}


def test_every_declared_function_is_fuzzed():
    assert set(DECLARED) == set(BASE), set(DECLARED) ^ set(BASE)
    assert len(DECLARED) >= 30


# ---------------------------------------------------------------- values inside and just outside a rule

TEXT_NUMBERS = st.sampled_from(["3", "0.1", "1e-3", "ten", "", " 5 "])
NOT_NUMBERS = st.one_of(TEXT_NUMBERS, st.sampled_from([None, True, False, [1, 2], complex(1, 1), {"a": 1}, nn.Linear]))


def outside(rule):
    """Values the rule must refuse."""
    if isinstance(rule, c.Optional):
        return outside(rule.rule).filter(lambda v: v is not None)
    if isinstance(rule, c.Whole):
        values = [NOT_NUMBERS, st.floats(allow_nan=True).filter(lambda v: not float(v).is_integer()),
                  st.sampled_from([float("nan"), float("inf"), 2.0, np.float64(3.0)])]
        if rule.low is not None:
            values.append(st.integers(max_value=rule.low - 1).map(lambda v: max(v, -10 ** 30)))
        if rule.high is not None:
            values.append(st.integers(min_value=rule.high + 1, max_value=rule.high + 10 ** 30))
        return st.one_of(values)
    if isinstance(rule, (c.Number, Fraction)):
        values = [NOT_NUMBERS, st.sampled_from([float("nan"), float("inf"), -float("inf"), torch.zeros(2)])]
        low, high = (0, 1) if isinstance(rule, Fraction) else (rule.low, rule.high)
        low_open = False if isinstance(rule, Fraction) else rule.low_open
        high_open = True if isinstance(rule, Fraction) else rule.high_open
        if low is not None:
            below = st.floats(max_value=low, allow_nan=False, allow_infinity=False)
            values.append(below.filter(lambda v: v <= low if low_open else v < low))
        if high is not None:
            above = st.floats(min_value=high, allow_nan=False, allow_infinity=False)
            values.append(above.filter(lambda v: v >= high if high_open else v > high))
        return st.one_of(values)
    if isinstance(rule, c.Flag):
        return st.sampled_from(["no", "yes", "False", 0, 1, None, 0.0, [True]])
    if isinstance(rule, c.Choice):
        return st.one_of(st.text(max_size=8).filter(lambda v: v not in rule.options), st.sampled_from([None, 1, 0.5]))
    if isinstance(rule, c.Span):
        values = [st.sampled_from([3, None, "ab", (1,), (1, 2, 3), ("a", "b"), (float("nan"), 1.0), (0.0, float("inf"))])]
        if rule.ordered:
            values.append(st.tuples(st.floats(-10, 10), st.floats(-10, 10)).filter(lambda p: p[0] >= p[1]))
        return st.one_of(values)
    if isinstance(rule, c.Instance):
        kinds = rule.kinds if isinstance(rule.kinds, tuple) else (rule.kinds,)
        return st.sampled_from([kinds[0], "adam", 3, None, [1], nn.Linear(2, 1) if nn.Module not in kinds else "net"])
    if isinstance(rule, c.Function):
        return st.sampled_from([nn.MSELoss, 3, "mse", None, [1]])
    if isinstance(rule, c.Samples):
        values = [st.sampled_from([["a", "b"], "text", torch.tensor(3.0), [[torch.ones(2)], [torch.ones(2)]],
                                   np.array([1 + 2j, 3j]), None, {"a": 1}])]
        if rule.finite:
            values.append(st.sampled_from([torch.tensor([1.0, float("nan")]), np.array([float("inf"), 1.0])]))
        return st.one_of(values)
    if isinstance(rule, Monitor):
        return st.sampled_from([3, None, 2.5, ["val_loss"]])
    if isinstance(rule, Scheduler):
        return st.sampled_from(["step", _optimizer(), torch.optim.lr_scheduler.StepLR, 3])
    if isinstance(rule, Metrics):
        return st.sampled_from(["acuracy", 3, [3], {"acc": "nope"}, {"acc": 3}, nn.Linear, "mse_loss"])
    if isinstance(rule, Callbacks):
        class Typo(Callback):
            def on_epoch_ends(self, state):
                pass
        return st.sampled_from([EarlyStopping, [EarlyStopping], Typo(), [Typo()], 3, "early", [object()],
                                torch.optim.lr_scheduler.StepLR(_optimizer(), 2)])
    if isinstance(rule, Batches):
        return st.sampled_from([torch.randn(12, 3), "data.csv", 3, {"X": 1}, (torch.randn(12, 3), torch.arange(5)),
                                (torch.zeros(0, 3), torch.zeros(0, dtype=torch.long)), ([["a"]], [0]), None])
    if isinstance(rule, Names):
        return st.sampled_from(["cat dog", 3, 2.5, {"a": 1}])
    return outside_api(rule)


def edges(rule):
    """Values just outside ``rule`` that are always tried (each shape an Array refuses, NaN, empty, too long)."""
    rule = rule.rule if isinstance(rule, c.Optional) else rule
    if not isinstance(rule, c.Array):
        return []
    ok = rule.ndim or (1,)
    values = [torch.zeros((2,) * d) for d in range(1, 6) if rule.ndim is not None and d not in ok]
    values += [_nan_tensor(ok[0])] if rule.finite else []
    values += [torch.zeros((0,) + (2,) * (ok[0] - 1))] if rule.min_len >= 1 else []
    values += [torch.zeros(rule.max_len + 1)] if rule.max_len is not None and 1 in ok else []
    values += [torch.ones((2,) * ok[0], dtype=torch.bool)] if not rule.bool_ok else []
    return values


def _nan_tensor(ndim):
    x = torch.zeros((2,) * ndim)
    x.view(-1)[0] = float("nan")
    return x


JUNK = st.sampled_from([3, "text", 2.5, None, [1], {"a": 1}, nn.Linear(2, 1), nn.Linear, object()])


def outside_api(rule):
    """Values outside the rules of the API surface (names, texts, arrays, mappings, plots' own rules)."""
    if isinstance(rule, c.Key):
        first = next(iter(rule.options))
        return st.sampled_from([3, None, 2.5, True, [first], nn.ReLU, "no_such_name", ""])
    if isinstance(rule, c.Keys):
        first = next(iter(rule.key.options))
        return st.sampled_from([first, 3, None, [3], ["no_such_name"], {first: 1}, [[first]]]
                               + ([] if rule.empty else [[]]))
    if isinstance(rule, c.Text):
        return st.sampled_from([3, None, ["a"], nn.Linear, 2.5, b"bytes"])
    if isinstance(rule, c.Texts):
        return st.sampled_from(["x1", 3, None, 2.5, {"a"}])
    if isinstance(rule, c.Array):
        ok = rule.ndim or (1,)
        values = [st.sampled_from([["a", "b"], "text", None, {"a": 1}, np.array([1 + 2j, 3j]), nn.Linear])]
        wrong = sorted((d for d in range(0, 6) if d not in ok), key=lambda d: (d == 0, d))   # 0-d: a number
        if rule.ndim is not None and wrong:
            values += [st.just(torch.zeros((2,) * wrong[0])), st.sampled_from(wrong).map(lambda d: torch.zeros((2,) * d))]
        if rule.finite:
            values.append(st.sampled_from(ok).map(_nan_tensor))
        if rule.min_len >= 1:
            values.append(st.sampled_from(ok).map(lambda d: torch.zeros((0,) + (2,) * (d - 1))))
        if rule.max_len is not None:
            values.append(st.just(torch.zeros(rule.max_len + 1)) if 1 in ok else st.nothing())
        if not rule.bool_ok:
            values.append(st.sampled_from(ok).map(lambda d: torch.ones((2,) * d, dtype=torch.bool)))
        return st.one_of(values)
    if isinstance(rule, c.Mapping):
        return st.sampled_from([3, "a", [1], None, {3: 0.1}, {"sgd": "fast"}, {"sgd": None}]
                               + ([] if rule.empty else [{}]))
    if isinstance(rule, c.Values):
        values = [st.sampled_from(["0.1", 3, {"a": 1}, ["x"], [float("nan")], [None], [True], None])]
        if rule.min_len >= 1:
            values.append(st.just([]))
        return st.one_of(values)
    if isinstance(rule, c.Keywords):
        return st.sampled_from([{"no_such_setting": 1}] + [{key: "x"} for key in rule.rules])
    if isinstance(rule, Axes):
        return st.sampled_from(["ax", 3, np.array([1, 2])]).map(lambda v: v) | st.builds(lambda: plt.figure())
    if isinstance(rule, FigSize):
        return st.sampled_from([(0, 3), (3,), "big", (1e9, 2), (None, 2), 5, (float("nan"), 2)])
    if isinstance(rule, Recorded):
        return st.sampled_from([None, 3, "hist", {"train_loss": "abc"}, {"train_loss": [torch.tensor(1.0)]},
                                {"train_loss": ["0.1"]}, {"train_loss": [True]}, {3: [1.0]}, nn.Linear])
    if isinstance(rule, KeyNames):
        return st.sampled_from([3, [], [3], {"a": 1}, 2.5])
    if isinstance(rule, Kernels):
        broken = nn.Conv2d(1, 2, 3)
        with torch.no_grad():
            broken.weight[0, 0, 0, 0] = float("nan")
        return st.sampled_from([nn.Conv2d, nn.Linear(2, 2), torch.zeros(3), "conv", broken, None])
    if isinstance(rule, (Finder, Runs, Snapshot, PlaygroundData, Node, Graph, Step)):
        return JUNK
    if isinstance(rule, Output):
        return st.sampled_from([3, "z", None, torch.tensor(2.0), [torch.tensor(1.0, requires_grad=True)]])
    if isinstance(rule, Params):
        return st.sampled_from([3, "x", ["x"], {"x": 3}, nn.Linear, None])
    if isinstance(rule, Nodes):
        return st.sampled_from(["xy", 3, None, {"x": 1}] + ([[("x",)], ["xy"]] if rule.pairs else []))
    if isinstance(rule, Table):
        return st.sampled_from([3, "x", ["x"]])
    if isinstance(rule, Png):
        return st.sampled_from([b"not a png", "picture.png", 3, None, bytearray(b"x")])
    if isinstance(rule, Drawing):
        return st.sampled_from([3, "fig", None, object]) | st.builds(lambda: plt.subplots()[1])
    if isinstance(rule, Data):
        return st.sampled_from([torch.randn(6, 3), "data.csv", 3, {"X": 1}, (torch.randn(6, 3), torch.arange(5)),
                                (torch.randn(6, 3), torch.arange(6), torch.arange(6)), ([["a"]], [0]), None])
    if isinstance(rule, Device) or isinstance(rule, c.Converted) and rule.convert is resolve_device:
        return st.sampled_from(["gpu", 3.5, "cuda:x", "tpu", [0], "cuda:99"])
    if isinstance(rule, WatchedModel):
        return st.sampled_from(["net", 3, nn.Linear, _optimizer(), [nn.Linear(2, 1)]])
    if isinstance(rule, WatchedOptimizer):
        return st.sampled_from(["adam", 3, torch.optim.SGD, nn.Linear(2, 1)])
    if isinstance(rule, WatchedLoss):
        return st.sampled_from([torch.nn.functional.cross_entropy, "mse", 3, nn.MSELoss])
    if isinstance(rule, CheckpointPath):
        return st.sampled_from([3, None, "", nn.Linear(2, 1), ["data"], 2.5, "checkpoints/"])
    if isinstance(rule, CheckpointModel):
        return st.sampled_from([nn.Linear, {"weight": torch.zeros(1)}, "net", 3, None])
    if isinstance(rule, CheckpointOptimizer):
        by_name_is_metadata = rule.caller == "save_checkpoint"      # save_checkpoint(..., optimizer='adam'): a key
        return st.sampled_from([torch.optim.SGD, torch.optim.Adam] + ([] if by_name_is_metadata else
                                                                      ["adam", 3, nn.Linear(2, 1)]))
    if isinstance(rule, MapLocation):
        return st.sampled_from(["gpu", 3.5, "cuda:x", "tpu", [0]])
    if isinstance(rule, c.FilePath):
        return st.sampled_from([3, None, "", nn.Linear(2, 1), ["data"], 2.5])
    if isinstance(rule, NormType):
        return st.sampled_from(["inf", "2", 0, -1.0, float("nan"), float("-inf"), None, True])
    raise AssertionError(f"no strategy for {type(rule).__name__}: add one")


def inside(rule):
    """Values the rule must accept (kept small, so the call stays fast)."""
    if isinstance(rule, c.Optional):
        inner = inside(rule.rule)
        return st.none() if inner is None else st.one_of(st.none(), inner)
    if isinstance(rule, c.Whole):
        low = rule.low if rule.low is not None else -5
        high = min(rule.high, low + 30) if rule.high is not None else low + 30
        return st.one_of(st.integers(low, high), st.integers(low, high).map(np.int64))
    if isinstance(rule, c.Number):
        low = rule.low if rule.low is not None else -5.0
        high = min(rule.high, low + 5) if rule.high is not None else low + 5
        return st.floats(low, high, exclude_min=rule.low_open, exclude_max=rule.high_open, allow_nan=False)
    if isinstance(rule, Fraction):
        return st.floats(0, 0.3)
    if isinstance(rule, c.Flag):
        return st.sampled_from([True, False, np.bool_(True)])
    if isinstance(rule, c.Choice):
        return st.sampled_from(rule.options)
    if isinstance(rule, c.Span):
        pair = st.tuples(st.floats(-5, 5), st.floats(0.5, 5)).map(lambda p: (p[0], p[0] + p[1]))
        return pair if rule.ordered else st.tuples(st.floats(-1, 1), st.floats(-1, 1))
    if isinstance(rule, Metrics):
        return st.sampled_from([None, "accuracy", accuracy, ["accuracy"], {"acc": accuracy}])
    if isinstance(rule, Callbacks):
        return st.sampled_from([None, EarlyStopping(monitor="train_loss"), [EarlyStopping(monitor="train_loss")], []])
    if isinstance(rule, c.Samples):
        return st.integers(1, 3).map(lambda k: torch.linspace(-1, 1, k))
    if isinstance(rule, Names):
        return st.sampled_from([["a", "b"], ("no", "yes", "maybe"), np.array(["x", "y"])])
    if isinstance(rule, NormType):
        return st.one_of(st.floats(0.5, 5), st.just(float("inf")))
    return inside_api(rule)   # None: no inside draws for objects (models, schedulers, data): the base call covers them


CASES = [(name, argument) for name, (_, contract) in sorted(DECLARED.items()) for argument in contract
         if not isinstance(contract[argument], c.Anything)]          # Anything: no value is outside it


def inside_api(rule):
    """Values the API surface's rules must accept (None: the base call covers the rule)."""
    if isinstance(rule, c.Key):
        return st.sampled_from(sorted(rule.options))
    if isinstance(rule, c.Keys):
        return st.lists(st.sampled_from(sorted(rule.key.options)), min_size=1, max_size=2)
    if isinstance(rule, c.Text):
        return st.text(max_size=10)
    if isinstance(rule, c.Values) and isinstance(rule.number, c.Number):
        low = rule.number.low if rule.number.low is not None else -5.0
        return st.lists(st.floats(low, low + 5, allow_nan=False), min_size=max(rule.min_len, 1), max_size=4)
    if isinstance(rule, Axes):
        return st.builds(lambda: plt.subplots()[1])
    if isinstance(rule, FigSize):
        return st.tuples(st.floats(1, 12), st.floats(1, 6))
    return None


def _call(name, argument, value):
    function, _ = DECLARED[name]
    kwargs = BASE[name]() if BASE[name] is not None else {}
    kwargs[argument] = value
    plt.close("all")
    if BASE[name] is None:                     # the required arguments are filled with anything: it must stop first
        parameters = inspect.signature(function).parameters
        for key, p in parameters.items():
            if key not in kwargs and p.default is p.empty and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
                kwargs[key] = "cosine" if key == "name" else 0.1 if key == "lr" else 1
    return function(**kwargs)


def assert_own_error(error, argument):
    """dlstudy raised it, at its boundary, naming the argument."""
    frames = [frame.filename for frame in inspect.getinnerframes(error.__traceback__)]
    assert frames[-1].startswith(PACKAGE), f"raw error from {frames[-1]}: {type(error).__name__}: {error}"
    assert isinstance(error, (TypeError, ValueError)), f"{type(error).__name__}: {error}"
    assert argument in str(error), f"the message does not name {argument!r}: {error}"


@pytest.mark.parametrize("name, argument", CASES, ids=[f"{n.split('.')[-1]}-{a}" for n, a in CASES])
def test_values_just_outside_a_declaration_get_dlstudys_message_naming_the_argument(name, argument):
    rule = DECLARED[name][1][argument]

    def judge(value):
        try:
            _call(name, argument, value)
        except Exception as error:             # noqa: BLE001 - judged below
            assert_own_error(error, argument)
        else:
            raise AssertionError(f"{name}({argument}={value!r}) was accepted, outside its declaration")

    for value in edges(rule):                  # tried every time: hypothesis stops early on small spaces
        judge(value)
    FUZZ(given(value=outside(rule))(judge))()


FAST = [(n, a) for n, a in CASES if BASE[n] is not None and inside(DECLARED[n][1][a]) is not None
        and n not in ("dlstudy.demos.live.run.LiveRun",)]


@pytest.mark.parametrize("name, argument", FAST, ids=[f"{n.split('.')[-1]}-{a}" for n, a in FAST])
def test_values_inside_a_declaration_are_accepted(name, argument):
    rule = DECLARED[name][1][argument]

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(value=inside(rule))
    def run(value):
        try:
            _call(name, argument, value)
        except Exception as error:             # noqa: BLE001 - a combination may still be refused, by dlstudy
            frames = [f.filename for f in inspect.getinnerframes(error.__traceback__)]
            assert frames[-1].startswith(PACKAGE), f"raw error for {argument}={value!r}: {error}"
    run()


# ---------------------------------------------------------------- results checked against a reference

@FUZZ
@given(n=st.integers(2, 60), noise=st.floats(0, 0.5), seed=st.integers(0, 2 ** 32 - 1))
def test_data_makers_inside_their_declaration_give_n_samples(n, noise, seed):
    from dlstudy.data import make_circles, make_moons, make_spiral, make_xor
    for maker in (make_moons, make_circles, make_xor, make_spiral):
        X, y = maker(n, noise=noise, seed=seed)
        assert X.shape == (n, 2) and X.dtype == torch.float32 and y.dtype == torch.int64 and torch.isfinite(X).all()


@FUZZ
@given(n=st.integers(1, 40), batch_size=st.integers(1, 50), drop_last=st.booleans())
def test_tensor_loader_batches_cover_the_data_like_a_dataloader(n, batch_size, drop_last):
    from torch.utils.data import DataLoader, TensorDataset

    from dlstudy.data import TensorLoader
    X, y = torch.arange(n * 2.0).reshape(n, 2), torch.arange(n)
    ours = [len(b) for _, b in TensorLoader(X, y, batch_size, shuffle=False, drop_last=drop_last)]
    theirs = [len(b) for _, b in DataLoader(TensorDataset(X, y), batch_size, shuffle=False, drop_last=drop_last)]
    assert ours == theirs


def _labels(draw_dtype):
    return st.tuples(st.integers(1, 30), st.integers(2, 5), st.integers(0, 10 ** 6), draw_dtype)


@FUZZ
@given(params=_labels(st.sampled_from([torch.int64, torch.int32, torch.uint8, torch.float32])))
def test_accuracy_matches_scikit_learn_for_any_label_dtype(params):
    from sklearn.metrics import accuracy_score
    n, classes, seed, dtype = params
    g = torch.Generator().manual_seed(seed)
    preds, target = (torch.randint(0, classes, (n,), generator=g).to(dtype) for _ in range(2))
    assert accuracy(preds, target) == pytest.approx(accuracy_score(target.long().numpy(), preds.long().numpy()))


FEATURES = st.sampled_from([torch.float32, torch.float64, torch.int64, torch.uint8, torch.bool, torch.complex64])


@FUZZ
@given(dtype=FEATURES, n=st.integers(0, 12), width=st.integers(1, 4), bad=st.sampled_from([None, "nan", "inf"]),
       label_shift=st.sampled_from([0, 0, 2, -1]))
def test_fit_on_any_data_trains_correctly_or_names_the_data(dtype, n, width, bad, label_shift):
    torch.manual_seed(0)
    X = (torch.rand(n, width) * 4).to(dtype)
    if bad and n and X.is_floating_point():
        X[n // 2, 0] = float(bad)
    y = (torch.arange(n) % 2) + (label_shift if n else 0)
    net = nn.Linear(3, 2)
    before = {k: v.clone() for k, v in net.state_dict().items()}
    try:
        history = dlstudy.train.fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 2,
                                    progress=False)
    except Exception as error:                 # noqa: BLE001 - judged below
        frames = [f.filename for f in inspect.getinnerframes(error.__traceback__)]
        assert frames[-1].startswith(PACKAGE), f"raw error: {type(error).__name__}: {error}"
        assert any(word in str(error) for word in ("train_data", "X", "y", "labels")), str(error)
        assert all(torch.equal(v, before[k]) for k, v in net.state_dict().items()), "refused after a step"
        return
    ok = dtype == torch.float32 and width == 3 and n > 0 and bad is None and label_shift == 0
    assert ok, f"trained on X {dtype} {tuple(X.shape)}, {bad}, labels shifted by {label_shift}"
    assert len(history) == 2 and all(math.isfinite(v) for v in history["train_loss"])


# ---------------------------------------------------------------- classes of misuse, across every declaration

def _rules_of(kinds):
    """(name, argument) of every declared argument whose rule (inside Optional) is one of ``kinds``."""
    found = []
    for name, (_, contract) in sorted(DECLARED.items()):
        for argument, rule in contract.items():
            inner = rule.rule if isinstance(rule, c.Optional) else rule
            if isinstance(inner, kinds) and BASE[name] is not None:
                found.append((name, argument))
    return found


LISTS = _rules_of((c.Keys, c.Texts, c.Values, c.Mapping, Names))


@pytest.mark.parametrize("name, argument", LISTS, ids=[f"{n.split('.')[-1]}-{a}" for n, a in LISTS])
def test_a_bare_text_is_never_read_letter_by_letter_as_a_list(name, argument):
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(text=st.text(alphabet="abcxyz_- 0123456789.,", min_size=2, max_size=12))
    def run(text):
        try:
            _call(name, argument, text)
        except Exception as error:             # noqa: BLE001 - judged below
            assert_own_error(error, argument)
            assert repr(text) in str(error), f"the message is about a part of the text, not {text!r}: {error}"
        else:
            raise AssertionError(f"{name}({argument}={text!r}) read a text as a list")
    run()


FLAGS = _rules_of((c.Flag,))


@pytest.mark.parametrize("name, argument", FLAGS, ids=[f"{n.split('.')[-1]}-{a}" for n, a in FLAGS])
def test_a_flag_given_as_text_or_number_is_refused_not_read_as_truthy(name, argument):
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(value=st.one_of(st.text(max_size=6), st.integers(-3, 3), st.floats(allow_nan=True)))
    def run(value):
        try:
            _call(name, argument, value)
        except Exception as error:             # noqa: BLE001 - judged below
            assert_own_error(error, argument)
        else:
            raise AssertionError(f"{name}({argument}={value!r}) was read as a flag")
    run()


SIZES = [(n, a) for n, a in _rules_of((c.Whole,)) if (DECLARED[n][1][a].rule if isinstance(
    DECLARED[n][1][a], c.Optional) else DECLARED[n][1][a]).high is None]


def test_sizes_of_the_api_surface_have_an_upper_bound():
    """A count without a maximum lets 10**12 through (memory, or a run that never ends); the core is fitc's."""
    core = ("dlstudy.train.", "dlstudy.loop.", "dlstudy.callbacks.", "dlstudy.data.loaders.", "dlstudy.lr_finder.",
            "dlstudy.plots.curves.LivePlot")
    unbounded = [f"{n}({a})" for n, a in SIZES if not n.startswith(core) and a not in ("seed",)]
    assert not unbounded, unbounded
