"""Held-out misuses of the API surface outside the training core (issue 23): plots, demos, data makers and
splits, diagnostics, graph, display, explain, doctor. Written as an adversarial reviewer would, without the
tables of test_bad_inputs.py and misuse_probes.py: wrong types, dtypes, shapes, empty, NaN, Inf, negative,
huge, text for numbers and flags, classes for objects, text for lists.

Each probe: (name, the argument a clear message must name, call, expect, check). ``expect="refuse"``: dlstudy's
own error naming the argument; ``"work"``: a result that ``check`` accepts. ``classify`` (misuse_probes.py)
sorts the outcomes into clear / handled / raw / silent / vague. ``python tests/misuse_probes_api.py [-v]``.
"""

import math
import resource
import signal
import sys
from collections import Counter

import matplotlib
import numpy as np
import torch
from torch import nn

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from misuse_probes import classify  # noqa: E402

from dlstudy import data, diagnostics, display, explain, graph, plots  # noqa: E402
from dlstudy.demos import (activations, backprop, catalog, learning_rate, live_playground, optimizer_race,  # noqa: E402
                           playground, regularization, schedules, threshold)
from dlstudy.lr_finder import smooth  # noqa: E402
from dlstudy.tools import doctor  # noqa: E402

PROBES = []


def P(name, words, call, expect="refuse", check=None):
    PROBES.append((name, call, expect, words, check))


torch.manual_seed(0)
X2, y2 = torch.randn(20, 2), torch.arange(20) % 2
NET2 = nn.Linear(2, 2)
HIST = {"train_loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6]}
IMGS = torch.rand(4, 8, 8)
CONV = nn.Conv2d(1, 3, 3)
BOWL = lambda x, y: x ** 2 + y ** 2  # noqa: E731


def fig_ax():
    return plt.subplots()


torch.manual_seed(1)
SIG_NET = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())


def logit_in_01():
    m = nn.Linear(2, 1)
    with torch.no_grad():
        m.weight[:] = torch.tensor([[0.01, 0.0]])
        m.bias[:] = 0.5
    return m


def diag_run():
    d = diagnostics.Diagnostics(every=1)
    net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 2))
    from dlstudy.train import fit
    fit(net, (X2, y2), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 2, callbacks=[d],
        progress=False)
    return d


def snapshot():
    net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 2))
    return diagnostics.layer_snapshot(net, X2, y2, nn.CrossEntropyLoss())


def nan_at(x, i=0):
    x = x.clone().float()
    x.view(-1)[i] = float("nan")
    return x


# ---------------------------------------------------------------- ax= of every single-panel plot
P("plot_history ax text", "ax", lambda: plots.plot_history(HIST, ax="left"))
P("plot_history ax figure", "ax", lambda: plots.plot_history(HIST, ax=plt.figure()))
P("plot_history ax array of axes", "ax", lambda: plots.plot_history(HIST, ax=plt.subplots(1, 2)[1]))
P("plot_function ax int", "ax", lambda: plots.plot_function(torch.tanh, ax=1))
P("boundary ax tuple", "ax", lambda: plots.plot_decision_boundary(NET2, X2, y2, ax=fig_ax()))
P("confusion ax list", "ax", lambda: plots.plot_confusion_matrix(y2, y2, ax=[1]))
P("roc ax string", "ax", lambda: plots.plot_roc(torch.rand(20), y2, ax="ax"))
P("paths ax dict", "ax", lambda: plots.plot_optimizer_paths(BOWL, {}, ax={}))
P("lr_schedules ax figure", "ax", lambda: plots.plot_lr_schedules({"c": [0.1, 0.05]}, ax=plt.figure()))
P("plot_history ax given works", "ax", lambda: plots.plot_history(HIST, ax=fig_ax()[1]), "work",
  lambda fig: len(fig.axes) == 1)

# ---------------------------------------------------------------- plot_history
P("plot_history list", "history", lambda: plots.plot_history([1.0, 0.5]))
P("plot_history text values", "history", lambda: plots.plot_history({"train_loss": "0.5"}))
P("plot_history tensor values", "history", lambda: plots.plot_history({"train_loss": [torch.tensor(0.5, requires_grad=True)]}))
P("plot_history string in list", "history", lambda: plots.plot_history({"train_loss": [1.0, "0.5"]}))
P("plot_history numpy values work", "history", lambda: plots.plot_history({"train_loss": np.array([1.0, 0.5])}),
  "work", lambda fig: len(fig.axes[0].lines) == 1)
P("plot_history keys int list", "keys", lambda: plots.plot_history(HIST, keys=[1]))
P("plot_history keys empty", "keys", lambda: plots.plot_history(HIST, keys=[]))
P("plot_history keys one string works", "keys", lambda: plots.plot_history(HIST, keys="val_loss"), "work",
  lambda fig: [line.get_label() for line in fig.axes[0].lines] == ["validation"])
P("plot_history class", "history", lambda: plots.plot_history(dict))
P("plot_history one epoch visible", "history", lambda: plots.plot_history({"train_loss": [0.4]}), "work",
  lambda fig: fig.axes[0].lines[0].get_marker() == "o")

# ---------------------------------------------------------------- plot_function
P("plot_function derivative 'no'", "derivative", lambda: plots.plot_function(torch.tanh, derivative="no"))
P("plot_function derivative 0", "derivative", lambda: plots.plot_function(torch.tanh, derivative=0))
P("plot_function f class", "f", lambda: plots.plot_function(nn.ReLU))
P("plot_function f string", "f", lambda: plots.plot_function("sigmoid"))
P("plot_function x_range text", "x_range", lambda: plots.plot_function(torch.tanh, x_range="(-6, 6)"))
P("plot_function x_range inf", "x_range", lambda: plots.plot_function(torch.tanh, x_range=(-math.inf, 1)))
P("plot_function x_range nan", "x_range", lambda: plots.plot_function(torch.tanh, x_range=(float("nan"), 1)))
P("plot_function label int", "label", lambda: plots.plot_function(torch.tanh, label=3))
P("plot_function module instance works", "f", lambda: plots.plot_function(nn.ReLU()), "work",
  lambda fig: len(fig.axes[0].lines) == 2)
P("plot_function derivative False works", "derivative", lambda: plots.plot_function(torch.tanh, derivative=False),
  "work", lambda fig: len(fig.axes[0].lines) == 1)

# ---------------------------------------------------------------- plot_decision_boundary
P("boundary model class", "model", lambda: plots.plot_decision_boundary(nn.Linear, X2, y2))
P("boundary model text", "model", lambda: plots.plot_decision_boundary("net", X2, y2))
P("boundary resolution huge", "resolution", lambda: plots.plot_decision_boundary(NET2, X2, y2, resolution=10 ** 5))
P("boundary resolution float", "resolution", lambda: plots.plot_decision_boundary(NET2, X2, y2, resolution=50.0))
P("boundary resolution text", "resolution", lambda: plots.plot_decision_boundary(NET2, X2, y2, resolution="100"))
P("boundary X text", "X", lambda: plots.plot_decision_boundary(NET2, "X", y2))
P("boundary X 1-d", "X", lambda: plots.plot_decision_boundary(NET2, torch.randn(20), y2))
P("boundary X inf", "X", lambda: plots.plot_decision_boundary(NET2, X2.clone().index_fill_(0, torch.tensor([3]), math.inf), y2))
P("boundary X complex", "X", lambda: plots.plot_decision_boundary(NET2, X2.to(torch.complex64), y2))
P("boundary y probabilities", "y", lambda: plots.plot_decision_boundary(NET2, X2, torch.rand(20)))
P("boundary y text", "y", lambda: plots.plot_decision_boundary(NET2, X2, ["a"] * 20))
P("boundary y_test alone", "y_test", lambda: plots.plot_decision_boundary(NET2, X2, y2, y_test=y2))
P("boundary title int works or refused", "title", lambda: plots.plot_decision_boundary(NET2, X2, y2, title=5))
P("boundary numpy works", "X", lambda: plots.plot_decision_boundary(NET2, X2.numpy(), y2.numpy(), resolution=20),
  "work", lambda fig: len(fig.axes) == 1)
P("boundary sigmoid model reads probabilities", "model",
  lambda: __import__("dlstudy.plots.classifiers", fromlist=["_grid_classes"])._grid_classes(SIG_NET, X2), "work",
  lambda cls: torch.equal(cls, (SIG_NET(X2).reshape(-1) >= 0.5).long()))
P("boundary logits in [0,1] read as logits", "model",
  lambda: __import__("dlstudy.plots.classifiers", fromlist=["_grid_classes"])._grid_classes(logit_in_01(), X2),
  "work", lambda cls: bool((cls == 1).all()))
P("boundary model is a function works", "model",
  lambda: plots.plot_decision_boundary(lambda X: X @ torch.ones(2, 2), X2, y2, resolution=20), "work",
  lambda fig: len(fig.axes) == 1)

# ---------------------------------------------------------------- confusion matrix / ROC
P("confusion preds text", "preds", lambda: plots.plot_confusion_matrix("0110", y2))
P("confusion target 2-d", "target", lambda: plots.plot_confusion_matrix(y2, y2.reshape(4, 5)))
P("confusion preds nan", "preds", lambda: plots.plot_confusion_matrix(nan_at(y2), y2))
P("confusion normalize 'yes'", "normalize", lambda: plots.plot_confusion_matrix(y2, y2, normalize="yes"))
P("confusion class_names string", "class_names", lambda: plots.plot_confusion_matrix(y2, y2, class_names="ab"))
P("confusion class_names empty", "class_names", lambda: plots.plot_confusion_matrix(y2, y2, class_names=[]))
P("confusion class_names dict works", "class_names",
  lambda: plots.plot_confusion_matrix(y2, y2, class_names={0: "no", 1: "yes"}), "work",
  lambda fig: [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["no", "yes"])
P("roc scores nan", "scores", lambda: plots.plot_roc(nan_at(torch.rand(20)), y2))
P("roc scores 3-d", "scores", lambda: plots.plot_roc(torch.rand(20, 2, 1), y2))
P("roc target text", "target", lambda: plots.plot_roc(torch.rand(20), "0101"))
P("roc threshold inf", "threshold", lambda: plots.plot_roc(torch.rand(20), y2, threshold=math.inf))
P("roc threshold bool", "threshold", lambda: plots.plot_roc(torch.rand(20), y2, threshold=True))

# ---------------------------------------------------------------- images
P("show_images probabilities as preds", "preds", lambda: plots.show_images(IMGS, preds=torch.rand(4)))
P("show_images ncols huge", "ncols", lambda: plots.show_images(IMGS, ncols=10 ** 6))
P("show_images ncols text", "ncols", lambda: plots.show_images(IMGS, ncols="4"))
P("show_images nan image", "images", lambda: plots.show_images(nan_at(IMGS)))
P("show_images text", "images", lambda: plots.show_images("digits.png"))
P("show_images 5-d", "images", lambda: plots.show_images(torch.rand(1, 1, 1, 8, 8)))
P("show_images labels text", "labels", lambda: plots.show_images(IMGS, labels="1234"))
P("show_images class_names string", "class_names", lambda: plots.show_images(IMGS, labels=[0, 1, 0, 1], class_names="ab"))
P("show_images uint8 works", "images", lambda: plots.show_images((IMGS * 255).to(torch.uint8)), "work",
  lambda fig: len(fig.axes) == 4)
P("show_images labels (N,1) works", "labels", lambda: plots.show_images(IMGS, labels=torch.tensor([[1], [2], [3], [4]])),
  "work", lambda fig: fig.axes[0].get_title() == "1")
P("feature maps model class", "model_or_layer", lambda: plots.plot_feature_maps(nn.Conv2d, torch.rand(1, 8, 8)))
P("feature maps max_maps 0", "max_maps", lambda: plots.plot_feature_maps(CONV, torch.rand(1, 8, 8), max_maps=0))
P("feature maps max_maps text", "max_maps", lambda: plots.plot_feature_maps(CONV, torch.rand(1, 8, 8), max_maps="4"))
P("feature maps image text", "image", lambda: plots.plot_feature_maps(CONV, "cat.png"))
P("feature maps image nan", "image", lambda: plots.plot_feature_maps(CONV, nan_at(torch.rand(1, 8, 8))))
P("feature maps image 1-d", "image", lambda: plots.plot_feature_maps(CONV, torch.rand(64)))
P("filters class", "conv_layer", lambda: plots.plot_filters(nn.Conv2d))
P("filters text", "conv_layer", lambda: plots.plot_filters("conv1"))
P("filters nan weight", "conv_layer", lambda: plots.plot_filters(nan_at(torch.rand(2, 1, 3, 3))))
P("filters weight tensor works", "conv_layer", lambda: plots.plot_filters(torch.rand(2, 1, 3, 3)), "work",
  lambda fig: len(fig.axes) == 2)

# ---------------------------------------------------------------- optimizer paths, chapter 11 plots
P("paths list not dict", "paths", lambda: plots.plot_optimizer_paths(BOWL, [torch.zeros(3, 2)]))
P("paths value text", "paths", lambda: plots.plot_optimizer_paths(BOWL, {"sgd": "path"}))
P("paths value 1-d", "paths", lambda: plots.plot_optimizer_paths(BOWL, {"sgd": torch.zeros(3)}))
P("paths key int", "paths", lambda: plots.plot_optimizer_paths(BOWL, {1: torch.zeros(3, 2)}))
P("paths loss class", "loss_fn_2d", lambda: plots.plot_optimizer_paths(nn.MSELoss, {}))
P("paths x_range reversed", "x_range", lambda: plots.plot_optimizer_paths(BOWL, {}, x_range=(2, -2)))
P("paths list of points works", "paths",
  lambda: plots.plot_optimizer_paths(BOWL, {"sgd": [torch.tensor([1.0, 1.0]), torch.tensor([0.5, 0.5])]}), "work",
  lambda fig: len(fig.axes[0].lines) == 1)
P("lr_schedules text lr", "curves", lambda: plots.plot_lr_schedules({"a": ["0.1", 0.05]}))
P("lr_schedules list not dict", "curves", lambda: plots.plot_lr_schedules([0.1, 0.05]))
P("lr_schedules negative lr", "curves", lambda: plots.plot_lr_schedules({"a": [0.1, -0.05]}))
P("lr_schedules nan lr", "curves", lambda: plots.plot_lr_schedules({"a": [0.1, float("nan")]}))
P("lr_schedules steps_per_epoch 0", "steps_per_epoch", lambda: plots.plot_lr_schedules({"a": [0.1]}, steps_per_epoch=0))
P("lr_schedules tensor works", "curves", lambda: plots.plot_lr_schedules({"a": torch.tensor([0.1, 0.05])}), "work",
  lambda fig: len(fig.axes[0].lines) == 1)
P("lr_finder plot of a class", "finder", lambda: plots.plot_lr_finder(dict))
P("lr_finder plot of a list", "finder", lambda: plots.plot_lr_finder([0.1, 0.2]))
P("diagnostics plot of a class", "runs", lambda: plots.plot_diagnostics(diagnostics.Diagnostics))
P("diagnostics plot of a model", "runs", lambda: plots.plot_diagnostics(NET2))
P("diagnostics plot figsize text", "figsize", lambda: plots.plot_diagnostics(diag_run(), figsize="big"))
P("diagnostics plot figsize negative", "figsize", lambda: plots.plot_diagnostics(diag_run(), figsize=(-3, 2)))
P("histograms of a model", "snapshot", lambda: plots.plot_histograms(NET2))
P("histograms bins 0", "bins", lambda: plots.plot_histograms(snapshot(), bins=0))
P("histograms bins huge", "bins", lambda: plots.plot_histograms(snapshot(), bins=10 ** 7))
P("histograms title int", "title", lambda: plots.plot_histograms(snapshot(), title=3))

# ---------------------------------------------------------------- data makers, Data, splits
P("make_xor n 1e12", "n", lambda: data.make_xor(n=10 ** 12))
P("make_moons n 1e12 float", "n", lambda: data.make_moons(n=1e12))
P("make_circles factor 1", "factor", lambda: data.make_circles(factor=1.0))
P("make_circles noise text", "noise", lambda: data.make_circles(noise="0.1"))
P("make_spiral num_classes huge", "num_classes", lambda: data.make_spiral(num_classes=10 ** 6))
P("make_linear w empty", "w", lambda: data.make_linear(w=()))
P("make_linear w 2-d", "w", lambda: data.make_linear(w=[[1.0, 2.0]]))
P("make_linear w text", "w", lambda: data.make_linear(w="2"))
P("make_linear w nan", "w", lambda: data.make_linear(w=[float("nan")]))
P("make_linear w huge", "w", lambda: data.make_linear(w=torch.ones(10 ** 6)))
P("make_linear b text", "b", lambda: data.make_linear(b="1"))
P("make_linear b inf", "b", lambda: data.make_linear(b=math.inf))
P("make_polynomial coeffs 2-d", "coeffs", lambda: data.make_polynomial(coeffs=[[1.0, 2.0]]))
P("make_polynomial coeffs empty", "coeffs", lambda: data.make_polynomial(coeffs=[]))
P("make_polynomial coeffs dict", "coeffs", lambda: data.make_polynomial(coeffs={"a": 1}))
P("make_polynomial coeffs degree 100", "coeffs", lambda: data.make_polynomial(coeffs=[1.0] * 100))
P("make_polynomial numpy coeffs work", "coeffs", lambda: data.make_polynomial(10, coeffs=np.array([1.0, 2.0])),
  "work", lambda d: d.X.shape == (10, 1))
P("make_xor seed negative", "seed", lambda: data.make_xor(seed=-1))
P("make_xor seed text", "seed", lambda: data.make_xor(seed="42"))
P("load_digits as_images 'yes'", "as_images", lambda: data.load_digits(as_images="yes"))
P("Data X text", "X", lambda: data.Data("X", torch.zeros(3)))
P("Data feature_names string", "feature_names", lambda: data.Data(torch.zeros(3, 2), torch.zeros(3), feature_names="ab"))
P("Data name int", "name", lambda: data.Data(torch.zeros(3, 2), torch.zeros(3), name=3))
P("split X text", "X", lambda: data.train_val_test_split("X", y2))
P("split y None", "y", lambda: data.train_val_test_split(X2, None))
P("split X list of tensors", "X", lambda: data.train_val_test_split([X2[:10], X2[10:]], y2))
P("split stratify 'yes'", "stratify", lambda: data.train_val_test_split(X2, y2, stratify="yes"))
P("split seed float", "seed", lambda: data.train_val_test_split(X2, y2, seed=1.5))
P("kfold k huge", "k", lambda: data.kfold_splits(y2, k=10 ** 6))
P("kfold y text", "y", lambda: data.kfold_splits("0101"))

# ---------------------------------------------------------------- diagnostics, smooth
P("Diagnostics every text", "every", lambda: diagnostics.Diagnostics(every="10"))
P("Diagnostics every 0", "every", lambda: diagnostics.Diagnostics(every=0))
P("Diagnostics every float", "every", lambda: diagnostics.Diagnostics(every=2.5))
P("Diagnostics every None", "every", lambda: diagnostics.Diagnostics(every=None))
P("flat_mask Linear", "module", lambda: diagnostics.flat_mask(nn.Linear(2, 2), torch.zeros(2)))
P("flat_mask class", "module", lambda: diagnostics.flat_mask(nn.ReLU, torch.zeros(2)))
P("activation_stats a text", "a", lambda: diagnostics.activation_stats(nn.ReLU(), "outputs"))
P("activation_stats a nan", "a", lambda: diagnostics.activation_stats(nn.Tanh(), nan_at(torch.zeros(2, 3))))
P("dead_fraction list works", "a", lambda: diagnostics.dead_fraction(nn.ReLU(), [[0.0, 1.0], [0.0, 2.0]]), "work",
  lambda v: v == 0.5)
P("layer_snapshot model class", "model", lambda: diagnostics.layer_snapshot(nn.Sequential, X2, y2, nn.CrossEntropyLoss()))
P("layer_snapshot loss class", "loss_fn", lambda: diagnostics.layer_snapshot(NET2, X2, y2, nn.CrossEntropyLoss))
P("layer_snapshot y length", "y", lambda: diagnostics.layer_snapshot(
    nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2)), X2, y2[:5], nn.CrossEntropyLoss()))
P("smooth losses text", "losses", lambda: smooth("1.0, 0.5"))
P("smooth losses nan", "losses", lambda: smooth([1.0, float("nan")]))
P("smooth beta 1", "beta", lambda: smooth([1.0, 0.5], beta=1.0))
P("smooth beta text", "beta", lambda: smooth([1.0, 0.5], beta="0.9"))
P("smooth tensor works", "losses", lambda: smooth(torch.tensor([1.0, 1.0])), "work", lambda v: len(v) == 2 and all(abs(a - 1.0) < 1e-9 for a in v))

# ---------------------------------------------------------------- demos
P("activation_fn name int", "name", lambda: activations.activation_fn(3))
P("activation_fn name class", "name", lambda: activations.activation_fn(nn.ReLU))
P("activation_data num_points huge", "num_points", lambda: activations.activation_data("relu", num_points=10 ** 9))
P("activation_data slope inf", "slope", lambda: activations.activation_data("leaky_relu", slope=math.inf))
P("activation_data 'Leaky ReLU' works", "name", lambda: activations.activation_data("Leaky ReLU"), "work",
  lambda d: d["name"] == "leaky_relu")
P("gradient descent lr text", "lr", lambda: learning_rate.run_gradient_descent(lr="0.1"))
P("gradient descent num_steps huge", "num_steps", lambda: learning_rate.run_gradient_descent(num_steps=10 ** 9))
P("gradient descent lr huge", "lr", lambda: learning_rate.run_gradient_descent(lr=1e9))
P("race optimizers string", "Put the name in a list: ['sgd']", lambda: optimizer_race.race(optimizers="sgd", num_steps=3))
P("race optimizers empty", "optimizers", lambda: optimizer_race.race(optimizers=[], num_steps=3))
P("race optimizers unknown", "optimizers", lambda: optimizer_race.race(optimizers=["sgdd"], num_steps=3))
P("race lrs list", "lrs", lambda: optimizer_race.race(optimizers=["sgd"], lrs=[0.1], num_steps=3))
P("race lrs text value", "lrs", lambda: optimizer_race.race(optimizers=["sgd"], lrs={"sgd": "0.1"}, num_steps=3))
P("race lrs unknown key", "lrs", lambda: optimizer_race.race(optimizers=["sgd"], lrs={"sgdd": 0.1}, num_steps=3))
P("race surface int", "surface", lambda: optimizer_race.race(surface=1, num_steps=3))
P("race start nan", "start", lambda: optimizer_race.race(start=(float("nan"), 0.0), num_steps=3))
P("race num_steps huge", "num_steps", lambda: optimizer_race.race(num_steps=10 ** 8))
P("race tuple of names works", "optimizers", lambda: optimizer_race.race(optimizers=("sgd", "Adam"), num_steps=3),
  "work", lambda r: set(r["paths"]) == {"sgd", "adam"})
P("train_playground on_update text", "on_update", lambda: playground.train_playground(on_update="print", epochs=2))
P("train_playground on_update class", "on_update", lambda: playground.train_playground(on_update=dict, epochs=2))
P("train_playground data list", "data", lambda: playground.train_playground(data=[X2, y2], epochs=2))
P("train_playground data bad dict", "data", lambda: playground.train_playground(data={"X_train": X2}, epochs=2))
P("train_playground dataset int", "dataset", lambda: playground.train_playground(dataset=3, epochs=2))
P("train_playground epochs huge", "epochs", lambda: playground.train_playground(epochs=10 ** 9))
P("train_playground noise text", "noise", lambda: playground.train_playground(noise="0.1", epochs=2))
P("train_playground units huge", "units", lambda: playground.train_playground(units=10 ** 7, epochs=2))
P("train_playground num_updates 0", "num_updates", lambda: playground.train_playground(num_updates=0, epochs=2))
P("make_mlp activation text unknown", "activation", lambda: playground.make_mlp(activation="softmax"))
P("make_mlp in_features text", "in_features", lambda: playground.make_mlp(in_features="2"))
P("make_mlp num_classes 1", "num_classes", lambda: playground.make_mlp(num_classes=1))
P("make_mlp hidden_layers huge", "hidden_layers", lambda: playground.make_mlp(hidden_layers=10 ** 5))
P("make_mlp 3 inputs works", "in_features", lambda: playground.make_mlp(in_features=3, units=5), "work",
  lambda m: m[0].in_features == 3 and m[0].out_features == 5)
P("train_regularized weight_decay text", "weight_decay", lambda: regularization.train_regularized(weight_decay="0.1"))
P("train_regularized epochs huge", "epochs", lambda: regularization.train_regularized(epochs=10 ** 9))
P("train_regularized dropout 1", "dropout", lambda: regularization.train_regularized(dropout=1.0))
P("playground_data dataset unknown", "dataset", lambda: catalog.playground_data("mooons"))
P("playground_data n huge", "n", lambda: catalog.playground_data(n=10 ** 9))
P("make_scheduler name unknown", "name", lambda: schedules.make_scheduler(torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1), "cosin", 10))
P("make_scheduler one-cycle 10 steps works", "name",
  lambda: schedules.make_scheduler(torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1), "one-cycle", 10), "work",
  lambda s: s is not None)
P("schedule_curve unknown setting", "warm", lambda: schedules.schedule_curve("cosine", 0.1, 10, warm=0.1))
P("schedule_curve gamma text", "gamma", lambda: schedules.schedule_curve("step", 0.1, 10, gamma="0.5"))
P("schedule_curve lr text", "lr", lambda: schedules.schedule_curve("step", "0.1", 10))
P("schedule_curve total_steps huge", "total_steps", lambda: schedules.schedule_curve("step", 0.1, 10 ** 9))
P("train_with_schedule device gpu", "device", lambda: schedules.train_with_schedule("cosine", 0.1, 1, device="gpu"))
P("train_with_schedule name int", "name", lambda: schedules.train_with_schedule(3, 0.1, 1))
P("epochs_to_reach target text", "target", lambda: schedules.epochs_to_reach([0.5, 0.9], "0.9"))
P("epochs_to_reach values text", "values", lambda: schedules.epochs_to_reach("0.5 0.9", 0.9))
P("epochs_to_reach values nan", "values", lambda: schedules.epochs_to_reach([float("nan"), 0.9], 0.8))
P("epochs_to_reach History list works", "values", lambda: schedules.epochs_to_reach(np.array([0.5, 0.9]), 0.8), "work",
  lambda e: e == 2)
P("threshold_report scores nan", "scores", lambda: threshold.threshold_report(torch.tensor([0.1, float("nan")]), torch.tensor([0, 1])))
P("threshold_report scores bool", "scores", lambda: threshold.threshold_report(torch.tensor([True, False]), torch.tensor([1, 0])))
P("threshold_report threshold text", "threshold", lambda: threshold.threshold_report(torch.rand(4), torch.tensor([0, 1, 0, 1]), "0.5"))
P("threshold_report threshold inf", "threshold", lambda: threshold.threshold_report(torch.rand(4), torch.tensor([0, 1, 0, 1]), math.inf))
P("threshold_report target nan", "target", lambda: threshold.threshold_report(torch.rand(2), torch.tensor([0.0, float("nan")])))
P("threshold_report lists work", "scores", lambda: threshold.threshold_report([0.2, 0.9], [0, 1]), "work",
  lambda r: r["tp"] == 1 and r["tn"] == 1)
P("example name unknown", "name", lambda: backprop.example("mlp"))
P("example name int", "name", lambda: backprop.example(1))
P("graph_data of a tensor", "root", lambda: backprop.graph_data(torch.tensor(1.0)))
P("graph_data of a list", "root", lambda: backprop.graph_data([backprop.example()]))
P("backward_steps of a class", "root", lambda: backprop.backward_steps(backprop.Scalar))
P("picture step int", "step", lambda: backprop.picture(backprop.graph_data(backprop.example()), step=999))
P("picture step text", "step", lambda: backprop.picture(backprop.graph_data(backprop.example()), step="1"))
P("picture of a root", "graph", lambda: backprop.picture(backprop.example()))
P("Scalar data text", "data", lambda: backprop.Scalar("2.0"))
P("Scalar label int", "label", lambda: backprop.Scalar(2.0, label=3))
P("LiveRun features string", "Put the name in a list: ['x1']", lambda: live_playground.LiveRun(features="x1"))
P("LiveRun hidden string", "hidden", lambda: live_playground.LiveRun(hidden="4,2"))
P("LiveRun hidden float", "hidden", lambda: live_playground.LiveRun(hidden=[4.5]))
P("LiveRun hidden huge", "hidden", lambda: live_playground.LiveRun(hidden=[10 ** 6]))
P("LiveRun dataset int", "dataset", lambda: live_playground.LiveRun(dataset=0))
P("LiveRun regularization None", "regularization", lambda: live_playground.LiveRun(regularization=None))
P("LiveRun activation class", "activation", lambda: live_playground.LiveRun(activation=nn.Tanh))
P("LiveRun seed text", "seed", lambda: live_playground.LiveRun(seed="0"))
P("LiveRun train_ratio 1", "train_ratio", lambda: live_playground.LiveRun(train_ratio=1.0))
P("LiveRun batch_size huge", "batch_size", lambda: live_playground.LiveRun(batch_size=10 ** 9))
P("LiveRun.step epochs text", "epochs", lambda: live_playground.LiveRun().step("10"))
P("LiveRun.step epochs huge", "epochs", lambda: live_playground.LiveRun().step(10 ** 9))
P("FeatureNet features string", "Put the name in a list: ['x1']", lambda: live_playground.FeatureNet("x1", [2], "tanh"))
P("FeatureNet hidden int", "hidden", lambda: live_playground.FeatureNet(["x1"], 2, "tanh"))

# ---------------------------------------------------------------- graph, display, explain, doctor
P("show_graph output float", "output", lambda: graph.show_graph(3.0))
P("show_graph params list", "params", lambda: graph.show_graph(torch.ones(1, requires_grad=True) * 2, params=[1]))
P("show_graph params value text", "params", lambda: graph.show_graph(torch.ones(1, requires_grad=True) * 2, params={"x": "x"}))
P("show_graph show_values 'yes'", "show_values", lambda: graph.show_graph(torch.ones(1, requires_grad=True) * 2, show_values="yes"))
P("trace output list", "output", lambda: graph.trace([torch.ones(1, requires_grad=True)]))
P("render_graph nodes string", "nodes", lambda: graph.render_graph("xy", []))
P("render_graph edges not pairs", "edges", lambda: graph.render_graph(["x", "y"], ["xy"]))
P("render_graph labels list", "labels", lambda: graph.render_graph(["x"], [], labels=["x"]))
P("render_graph highlight string", "highlight", lambda: graph.render_graph(["x"], [], highlight="x"))
P("figure_to_png of an Axes", "fig", lambda: display.figure_to_png(fig_ax()[1]))
P("figure_to_png dpi text", "dpi", lambda: display.figure_to_png(plt.figure(), dpi="100"))
P("figure_to_png close 'no'", "close", lambda: display.figure_to_png(plt.figure(), close="no"))
P("show_png text", "png", lambda: display.show_png("figure.png"))
P("explain a string", "error", lambda: explain.explain("shapes cannot be multiplied"))
P("explain a class", "error", lambda: explain.explain(RuntimeError))
P("doctor main argv string", "argv", lambda: doctor.main("doctor"))


class TookTooLong(BaseException):
    """A probe ran past its time: a size without an upper bound was accepted."""


def judged(fn, expect, words, check, seconds=20):
    """``classify`` with a time limit and a result that may not even print (both count as silent)."""
    state = {"done": False}

    def alarm(signum, frame):
        if not state["done"]:
            raise TookTooLong(f"still running after {seconds} s")
    signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)   # again every 0.5 s: one may land where it is ignored
    try:
        try:
            result = classify(fn, expect, words, check)
        finally:
            state["done"] = True
    except TookTooLong as error:                       # a BaseException: classify does not catch it
        result = "silent", f"accepted and ran on: {error}"
    except Exception as error:                         # noqa: BLE001 - the result itself is broken
        result = "silent", f"accepted; the result is broken: {type(error).__name__}: {error}"[:200]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return result


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (8 * 2 ** 30, resource.RLIM_INFINITY))   # a huge size fails fast
    counts = Counter()
    for name, fn, expect, words, check in PROBES:
        outcome, detail = judged(fn, expect, words, check)
        counts[outcome] += 1
        line = f"{outcome:8} {name}: {detail}"
        if "-v" in sys.argv or not line.startswith(("clear", "handled")):
            print(line, flush=True)
    bad = counts["raw"] + counts["silent"]
    print(f"{len(PROBES)} probes: {dict(counts)}; raw + silent = {bad} ({100 * bad / len(PROBES):.1f}%)")
