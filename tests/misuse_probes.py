"""Held-out misuses for issue 23 (written without the table of test_bad_inputs.py): run, classify, count.

Each probe is a call a learner could make by mistake, and what a right outcome is: ``refuse`` (dlstudy's
own error whose message names ``name``) or ``work`` (a result that ``check`` accepts). Outcomes:
clear, handled, raw (an error from torch / NumPy / scikit-learn / matplotlib), silent (a wrong result
or a misuse accepted), lost (the model, a History or a file damaged). ``python tests/misuse_probes.py``.
"""

import inspect
import math
import os
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

import matplotlib
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import dlstudy  # noqa: E402
from dlstudy import checkpoint, data, metrics, plots  # noqa: E402
from dlstudy.callbacks import Callback, EarlyStopping, GradientClipping, LRScheduler  # noqa: E402
from dlstudy.demos import activations, catalog, learning_rate, optimizer_race, schedules, threshold  # noqa: E402
from dlstudy.explain import explain  # noqa: E402
from dlstudy.train import evaluate, fit, predict  # noqa: E402

PACKAGE = str(Path(dlstudy.__file__).resolve().parent)
PROBES = []


def probe(name, expect="refuse", words=None, check=None):
    def add(fn):
        PROBES.append((fn.__name__, fn, expect, words or name, check))
        return fn
    return add


def net(i=3, o=2):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(i, 8), nn.ReLU(), nn.Linear(8, o))


def sgd(m, lr=0.1):
    return torch.optim.SGD(m.parameters(), lr=lr)


X3, y3 = torch.randn(30, 3), torch.arange(30) % 2
CE = nn.CrossEntropyLoss()


def fit3(**kw):
    m = kw.pop("model", None) or net()
    return fit(m, kw.pop("data", (X3, y3)), kw.pop("loss", CE), kw.pop("opt", None) or sgd(m), kw.pop("epochs", 2),
               progress=False, **kw)


# ---------------------------------------------------------------- fit: data
@probe("train_data")
def fit_X_bool(): fit3(data=(X3 > 0, y3))
@probe("train_data")
def fit_X_int32(): fit3(data=(X3.int(), y3))
@probe("train_data")
def fit_X_uint8_images(): fit3(data=((X3.abs() * 50).to(torch.uint8), y3))
@probe("train_data")
def fit_X_complex(): fit3(data=(X3.to(torch.complex64), y3))
@probe("train_data")
def fit_y_negative_label(): fit3(data=(X3, y3 - 1))
@probe("train_data")
def fit_labels_bad_in_last_batch():
    y = y3.clone(); y[-1] = 9; fit3(data=data.TensorLoader(X3, y, batch_size=8, shuffle=False))
@probe("train_data")
def fit_y_inf_regression():
    m = net(3, 1); y = torch.randn(30, 1); y[4] = math.inf; fit3(model=m, data=(X3, y), loss=nn.MSELoss())
@probe("train_data")
def fit_X_wrong_features(): fit3(data=(torch.randn(30, 5), y3))
@probe("train_data")
def fit_X_and_y_lengths(): fit3(data=(X3, y3[:20]))
@probe("train_data")
def fit_numpy_strings(): fit3(data=(np.array([["a", "b", "c"]] * 30), y3))
@probe("val_data")
def fit_val_wrong_features(): fit3(val_data=(torch.randn(10, 4), y3[:10]))
@probe("val_data")
def fit_val_labels_out_of_range(): fit3(val_data=(X3, y3 + 5))
@probe("val_data")
def fit_val_single_tensor(): fit3(val_data=X3)
@probe("val_data")
def fit_val_int_X(): fit3(val_data=(X3.long(), y3))
@probe("train_data", expect="work", check=lambda h: len(h) == 2)
def fit_list_of_two_batches(): return fit3(data=[(X3[:15], y3[:15]), (X3[15:], y3[15:])])
@probe("train_data", expect="work", check=lambda h: len(h) == 2)
def fit_numpy_pair(): return fit3(data=(X3.numpy(), y3.numpy()))
@probe("train_data")
def fit_dict_data(): fit3(data={"X": X3, "y": y3})
@probe("train_data")
def fit_dataloader_with_nan_batch():
    X = X3.clone(); X[25, 1] = math.nan; fit3(data=DataLoader(TensorDataset(X, y3), batch_size=8))
@probe("train_data")
def fit_bce_targets_zero_to_two():
    m = net(3, 1); fit3(model=m, data=(X3, (torch.arange(30) % 3).float().reshape(-1, 1)), loss=nn.BCEWithLogitsLoss())

# ---------------------------------------------------------------- fit: arguments
@probe("num_epochs")
def fit_epochs_text(): fit3(epochs="5")
@probe("num_epochs")
def fit_epochs_none(): fit3(epochs=None)
@probe("batch_size")
def fit_batch_size_text(): fit3(batch_size="16")
@probe("batch_size")
def fit_batch_size_with_loader(): fit3(data=data.TensorLoader(X3, y3, batch_size=8), batch_size=16)
@probe("callbacks", expect="work", check=lambda h: h.best_epoch is not None)
def fit_single_callback(): return fit3(callbacks=EarlyStopping(monitor="train_loss"))
@probe("callbacks")
def fit_callback_class(): fit3(callbacks=[GradientClipping])
@probe("callbacks")
def fit_torch_scheduler_as_callback():
    m = net(); o = sgd(m); fit3(model=m, opt=o, callbacks=[torch.optim.lr_scheduler.StepLR(o, 1)])
@probe("on_epoch_ends")
def fit_misspelled_hook():
    class Log(Callback):
        def on_epoch_ends(self, state): pass
    fit3(callbacks=[Log()])
@probe("callbacks")
def fit_callback_function(): fit3(callbacks=[lambda state: None])
@probe("metrics", expect="work", check=lambda h: "train_accuracy" in h.keys())
def fit_metrics_function(): return fit3(metrics=metrics.accuracy)
@probe("metrics", expect="work", check=lambda h: "train_accuracy" in h.keys())
def fit_metrics_name(): return fit3(metrics="accuracy")
@probe("metrics")
def fit_metrics_typo(): fit3(metrics="acc")
@probe("metrics")
def fit_metrics_number(): fit3(metrics=0.5)
@probe("progress")
def fit_progress_text(): m = net(); fit(m, (X3, y3), CE, sgd(m), 1, progress="no")
@probe("model")
def fit_frozen_model():
    m = net(); [p.requires_grad_(False) for p in m.parameters()]; fit3(model=m, opt=torch.optim.SGD(m.parameters(), lr=0.1))
@probe("loss")
def fit_loss_reduction_none(): fit3(loss=nn.CrossEntropyLoss(reduction="none"))
@probe("forward")
def fit_model_returns_tuple():
    class Two(nn.Module):
        def __init__(self): super().__init__(); self.l = nn.Linear(3, 2)
        def forward(self, x): return self.l(x), x
    fit3(model=Two())
@probe("forward")
def fit_model_returns_dict():
    class D(nn.Module):
        def __init__(self): super().__init__(); self.l = nn.Linear(3, 2)
        def forward(self, x): return {"logits": self.l(x)}
    fit3(model=D())
@probe("loss_fn")
def fit_loss_is_text(): fit3(loss="cross_entropy")
@probe("device")
def fit_device_number(): fit3(device=3.5)
@probe("step")
def fit_step_not_callable(): fit3(step="sgd")
@probe("model", expect="work", check=lambda h: len(h) == 2)
def fit_double_model_double_data():
    m = net().double(); return fit3(model=m, data=(X3.double(), y3))
@probe("model.float()")
def fit_double_model_float_data(): fit3(model=net().double())

# ---------------------------------------------------------------- nothing lost
@probe("history", expect="work", check=lambda r: r)
def lost_history_on_end_hook_error():
    class Bad(Callback):
        def on_train_end(self, state): raise RuntimeError("oops")
    try:
        fit3(callbacks=[Bad()], epochs=3)
    except RuntimeError as error:
        return len(error.history) == 3
@probe("history", expect="work", check=lambda r: r)
def lost_best_weights_on_callback_error():
    m = net(); stop = EarlyStopping(monitor="train_loss")

    class Bad(Callback):
        def on_epoch_end(self, state):
            if state.epoch == 3: raise ValueError("bad")
    try:
        fit3(model=m, callbacks=[stop, Bad()], epochs=5)
    except ValueError as error:
        return error.history.best_epoch == 3 and len(error.history) == 3

# ---------------------------------------------------------------- evaluate / predict
@probe("data")
def evaluate_single_tensor(): evaluate(net(), X3, CE)
@probe("loss_fn")
def evaluate_loss_class(): evaluate(net(), (X3, y3), nn.CrossEntropyLoss)
@probe("data")
def evaluate_labels_out_of_range(): evaluate(net(), (X3, y3 + 3), CE)
@probe("metrics", expect="work", check=lambda r: 0 <= r["accuracy"] <= 1)
def evaluate_metric_name(): return evaluate(net(), (X3, y3), CE, metrics="accuracy")
@probe("predict")
def predict_uint8(): predict(net(), (X3.abs() * 40).to(torch.uint8))
@probe("X", expect="work", check=lambda out: out.shape == (30, 2))
def predict_numpy(): return predict(net(), X3.numpy())
@probe("model")
def predict_model_class(): predict(nn.Linear, X3)

# ---------------------------------------------------------------- data
@probe("shuffle")
def loader_shuffle_text(): data.TensorLoader(X3, y3, shuffle="no")
@probe("drop_last")
def loader_drop_last_number(): data.TensorLoader(X3, y3, drop_last=2)
@probe("n")
def moons_n_text(): data.make_moons("100")
@probe("noise")
def circles_noise_nan(): data.make_circles(noise=math.nan)
@probe("factor")
def circles_factor_two(): data.make_circles(factor=2.0)
@probe("seed")
def xor_negative_seed(): data.make_xor(seed=-1)
@probe("X")
def split_nan_standardize():
    X = torch.randn(40, 2); X[3, 0] = math.nan; data.train_val_test_split(X, torch.arange(40) % 2, standardize=True)
@probe("standardize")
def split_standardize_text(): data.train_val_test_split(X3, y3, standardize="yes")
@probe("k")
def kfold_k_float(): data.kfold_splits(y3, k=5.0)
@probe("X")
def standardizer_nan(): data.Standardizer().fit(torch.tensor([[1.0], [math.nan]]))
@probe("w")
def linear_w_text(): data.make_linear(w=("a", "b"))

# ---------------------------------------------------------------- checkpoints
@probe("path", expect="work", check=lambda r: r == {"epoch": 1})
def checkpoint_tilde():
    home = tempfile.mkdtemp(); old = os.environ.get("HOME"); os.environ["HOME"] = home
    try:
        checkpoint.save_checkpoint("~/m.pt", net(), epoch=1)
        return checkpoint.load_checkpoint("~/m.pt", net())
    finally:
        os.environ["HOME"] = old or ""
@probe("path")
def checkpoint_path_none(): checkpoint.save_checkpoint(None, net())
@probe("model")
def checkpoint_load_into_optimizer():
    folder = Path(tempfile.mkdtemp()); m = net(); checkpoint.save_checkpoint(folder / "a.pt", m)
    checkpoint.load_checkpoint(folder / "a.pt", sgd(m))

# ---------------------------------------------------------------- metrics
@probe("preds")
def accuracy_nan_scores(): metrics.accuracy(torch.tensor([[math.nan, 1.0]]), torch.tensor([0]))
@probe("average")
def prf_average_none(): metrics.precision_recall_f1(y3, y3, average=None)
@probe("num_classes")
def confusion_num_classes_text(): metrics.confusion_matrix(y3, y3, num_classes="2")
@probe("target")
def roc_auc_three_classes(): metrics.roc_auc(torch.rand(6), torch.tensor([0, 1, 2, 0, 1, 2]))
@probe("target", expect="work", check=lambda v: abs(v - 1.0) < 1e-9)
def accuracy_numpy_lists(): return metrics.accuracy(np.array([0, 1, 1]), [0, 1, 1])

# ---------------------------------------------------------------- plots
@probe("preds")
def show_images_probabilities(): plots.show_images(torch.rand(4, 8, 8), preds=torch.rand(4))
@probe("ncols")
def show_images_ncols_text(): plots.show_images(torch.rand(4, 8, 8), ncols="4")
@probe("history", expect="work", check=lambda fig: fig.axes[0].lines[0].get_marker() == "o")
def plot_history_one_epoch(): return plots.plot_history({"train_loss": [0.5]})
@probe("resolution")
def boundary_resolution_text(): plots.plot_decision_boundary(nn.Linear(2, 2), torch.randn(10, 2), torch.arange(10) % 2,
                                                             resolution="100")
@probe("x_range")
def plot_function_range_text(): plots.plot_function(torch.tanh, x_range="-6, 6")

# ---------------------------------------------------------------- callbacks
@probe("scheduler")
def lr_scheduler_optimizer(): LRScheduler(sgd(net()))
@probe("per")
def lr_scheduler_per_step(): LRScheduler(torch.optim.lr_scheduler.StepLR(sgd(net()), 1), per="step")
@probe("patience")
def early_stopping_patience_text(): EarlyStopping(patience="3")
@probe("max_norm")
def clipping_text(): GradientClipping("1.0")

# ---------------------------------------------------------------- demos
@probe("lr")
def gd_lr_text(): learning_rate.run_gradient_descent(lr="0.1")
@probe("num_points")
def activation_points_text(): activations.activation_data("relu", num_points="50")
@probe("num_steps")
def race_steps_float(): optimizer_race.race(num_steps=10.5)
@probe("lrs")
def race_lrs_text(): optimizer_race.race(lrs={"sgd": "fast"}, num_steps=3)
@probe("threshold")
def threshold_text(): threshold.threshold_report(torch.rand(4), torch.tensor([0, 1, 0, 1]), "0.5")
@probe("total_steps")
def schedule_steps_text(): schedules.schedule_curve("cosine", 0.1, "100")
@probe("noise")
def playground_noise_text(): catalog.playground_data(noise="0.2")

# ---------------------------------------------------------------- explain
@probe(".float()", expect="work", check=lambda advice: advice is not None and "model.float()" in advice)
def explain_double_model():
    try:
        nn.Linear(2, 1).double()(torch.zeros(1, 2))
    except RuntimeError as error:
        return explain(error)
@probe("hook", expect="work", check=lambda advice: advice is None)
def explain_own_hook_attribute():
    class M(nn.Module):
        def __init__(self): super().__init__()
    try:
        M()._my_hooks_list
    except AttributeError as error:
        return explain(error)


# ---------------------------------------------------------------- second batch: corners not worked on first
from dlstudy.plots import (plot_confusion_matrix, plot_feature_maps, plot_filters, plot_lr_schedules,  # noqa: E402
                           plot_optimizer_paths, plot_roc)
from dlstudy.device import set_seed, to_device  # noqa: E402
from dlstudy.plots.curves import LivePlot  # noqa: E402


@probe("normalize")
def confusion_plot_normalize_text(): plot_confusion_matrix(y3, y3, normalize="rows")
@probe("class_names")
def confusion_plot_class_names_number(): plot_confusion_matrix(y3, y3, class_names=3)
@probe("threshold")
def roc_plot_threshold_text(): plot_roc(torch.rand(30), y3, threshold="0.5")
@probe("scores")
def roc_plot_nan(): plot_roc(torch.full((30,), math.nan), y3)
@probe("max_maps")
def feature_maps_zero(): plot_feature_maps(nn.Conv2d(1, 4, 3), torch.rand(1, 8, 8), max_maps=0)
@probe("image")
def feature_maps_wrong_channels(): plot_feature_maps(nn.Conv2d(3, 4, 3), torch.rand(1, 8, 8))
@probe("conv_layer")
def filters_of_linear(): plot_filters(nn.Linear(3, 2))
@probe("paths")
def optimizer_paths_text(): plot_optimizer_paths(lambda x, y: x ** 2 + y ** 2, "sgd")
@probe("y_range")
def optimizer_paths_y_range(): plot_optimizer_paths(lambda x, y: x ** 2 + y ** 2, {"sgd": torch.zeros(3, 2)},
                                                    y_range=(2, -2))
@probe("curves")
def lr_schedules_list(): plot_lr_schedules([0.1, 0.2])
@probe("seed")
def set_seed_float(): set_seed(1.5)
@probe("device")
def to_device_typo(): to_device(torch.ones(2), "gpu")
@probe("min_interval")
def liveplot_negative(): LivePlot(min_interval=-1)
@probe("preds")
def mse_nan(): metrics.mse(torch.tensor([math.nan, 1.0]), torch.tensor([1.0, 1.0]))
@probe("target")
def mae_strings(): metrics.mae(torch.tensor([1.0, 2.0]), ["a", "b"])
@probe("scores", expect="work", check=lambda r: len(r) == 3)    # (N, 2): the documented two-class scores
def roc_curve_two_d(): return metrics.roc_curve(torch.rand(6, 2), torch.tensor([0, 1, 0, 1, 0, 1]))
@probe("every")
def diagnostics_every_zero():
    from dlstudy.diagnostics import Diagnostics
    Diagnostics(every=0)
@probe("num_steps")
def lr_find_steps_text():
    from dlstudy.lr_finder import lr_find
    m = net(); lr_find(m, (X3, y3), CE, sgd(m), num_steps="50")
@probe("end_lr")
def lr_finder_reversed():
    from dlstudy.lr_finder import LRFinder
    LRFinder(start_lr=1.0, end_lr=1e-3)
@probe("labels")
def show_images_labels_text(): plots.show_images(torch.rand(3, 8, 8), labels=["cat", "dog", "cow"])
@probe("images")
def show_images_flat(): plots.show_images(torch.rand(4, 64))
@probe("keys")
def plot_history_keys_number(): plots.plot_history({"train_loss": [1.0, 0.5]}, keys=3)
@probe("X_test")
def boundary_test_features(): plots.plot_decision_boundary(nn.Linear(2, 2), torch.randn(10, 2), torch.arange(10) % 2,
                                                           X_test=torch.randn(5, 3), y_test=torch.arange(5) % 2)
@probe("y")
def boundary_y_length(): plots.plot_decision_boundary(nn.Linear(2, 2), torch.randn(10, 2), torch.arange(7) % 2)
@probe("history", expect="work", check=lambda h: h["train_loss"] == [] or len(h) == 0)
def fit_zero_epochs(): return fit3(epochs=0)
@probe("model")
def evaluate_state_dict(): evaluate(net().state_dict(), (X3, y3), CE)
@probe("y", expect="work", check=lambda h: len(h) == 2)
def fit_regression_column():
    m = net(3, 1); return fit3(model=m, data=(X3, torch.randn(30, 1)), loss=nn.MSELoss())
@probe("y")
def fit_regression_flat_target():
    m = net(3, 1); fit3(model=m, data=(X3, torch.randn(30)), loss=nn.MSELoss())
@probe("optimizer")
def fit_optimizer_class(): fit3(opt=torch.optim.Adam)
@probe("device", expect="work", check=lambda h: len(h) == 2)
def fit_device_cpu_string(): return fit3(device="cpu")

def classify(fn, expect, words, check):
    plt.close("all")
    try:
        result = fn()
    except Exception as error:                                  # noqa: BLE001
        frames = [f.filename for f in traceback.extract_tb(error.__traceback__)]
        own = frames and frames[-1].startswith(PACKAGE)
        if not own:
            return "raw", f"{type(error).__name__}: {str(error)[:150]} ({frames[-1] if frames else '?'})"
        if expect == "work":
            return "silent", f"refused a right call: {error}"
        return ("clear" if words in str(error) else "vague"), f"{type(error).__name__}: {str(error)[:150]}"
    if expect == "refuse":
        return "silent", f"accepted: {result!r}"[:200]
    return ("handled" if check(result) else "silent"), repr(result)[:120]


if __name__ == "__main__":
    counts, lines = Counter(), []
    for name, fn, expect, words, check in PROBES:
        outcome, detail = classify(fn, expect, words, check)
        counts[outcome] += 1
        lines.append(f"{outcome:8} {name}: {detail}")
    verbose = "-v" in sys.argv
    for line in lines:
        if verbose or not line.startswith(("clear", "handled")):
            print(line)
    bad = counts["raw"] + counts["silent"]
    print(f"{len(PROBES)} probes: {dict(counts)}; raw + silent = {bad} ({100 * bad / len(PROBES):.1f}%)")
