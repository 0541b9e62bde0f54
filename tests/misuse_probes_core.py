"""Misuses of the training core (fit, evaluate, predict, History, callbacks, metrics in fit, TensorLoader,
checkpoints, lr_find), written as a blind reviewer would, classified like tests/misuse_probes.py.

``python tests/misuse_probes_core.py [-v]`` prints the counts; test_misuse_probes_core.py runs each one.
"""

import copy
import math
import os
import stat
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parent))
from misuse_probes import classify  # noqa: E402

from dlstudy import checkpoint, metrics  # noqa: E402
from dlstudy.callbacks import Callback, EarlyStopping, GradientClipping, LRScheduler  # noqa: E402
from dlstudy.data import TensorLoader  # noqa: E402
from dlstudy.loop import measure  # noqa: E402  (a step that trains nothing: the weights stay as they are)
from dlstudy.train import History, TrainingDiverged, evaluate, fit, predict  # noqa: E402

PROBES = []


def probe(name, expect="refuse", words=None, check=None):
    def add(fn):
        PROBES.append((fn.__name__, fn, expect, words or name, check))
        return fn
    return add


def net(i=3, o=2, seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(i, 8), nn.ReLU(), nn.Linear(8, o))


def sgd(m, lr=0.1):
    return torch.optim.SGD(m.parameters(), lr=lr)


g = torch.Generator().manual_seed(1)
X = torch.randn(40, 3, generator=g)
y = (X[:, 0] > 0).long()
yr = X.sum(1, keepdim=True)
CE, MSE = nn.CrossEntropyLoss(), nn.MSELoss()


def fitc(**kw):
    m = kw.pop("model", None) or net()
    return fit(m, kw.pop("data", (X, y)), kw.pop("loss", CE), kw.pop("opt", None) or sgd(m), kw.pop("epochs", 2),
               progress=False, **kw)


def fitr(**kw):
    m = kw.pop("model", None) or net(3, 1)
    return fitc(model=m, data=kw.pop("data", (X, yr)), loss=kw.pop("loss", MSE), opt=kw.pop("opt", None) or sgd(m, 0.01),
                **kw)


def history_of(error_call):
    """The History that the error raised by ``error_call`` carries (None when it carries none)."""
    try:
        error_call()
    except BaseException as error:  # noqa: B036
        return getattr(error, "history", None)
    return "no error"


# ---------------------------------------------------------------- metrics inside fit
@probe("metrics")
def fit_metric_precision_recall_f1(): fitc(metrics="precision_recall_f1")
@probe("metrics")
def fit_metric_confusion_matrix(): fitc(metrics=["confusion_matrix"])
@probe("metrics")
def fit_metric_roc_curve(): fitc(metrics={"roc": "roc_curve"})
@probe("metrics['bad']")
def fit_metric_returns_vector(): fitc(metrics={"bad": lambda y_hat, y: y_hat.argmax(1) == y})
@probe("metrics['acc']")
def fit_metric_sklearn_order():
    from sklearn.metrics import accuracy_score
    fitc(metrics={"acc": accuracy_score})
@probe("metrics['acc']")
def fit_accuracy_on_regression(): fitr(metrics={"acc": metrics.accuracy})
@probe("metrics['mse']")
def fit_mse_on_classifier(): fitc(metrics="mse")
@probe("metrics['text']")
def fit_metric_returns_text(): fitc(metrics={"text": lambda y_hat, y: "good"})
@probe("metrics['nan']", expect="work", check=lambda h: math.isnan(h["train_nan"][0]))
def fit_metric_returns_nan(): return fitc(metrics={"nan": lambda y_hat, y: float("nan")})


def _auc_ok(h_and_ref):
    h, ref = h_and_ref
    return abs(h["train_auc"][0] - ref) < 1e-9


@probe("metrics", expect="work", check=_auc_ok)
def fit_auc_on_two_class_logits():
    m = net(seed=3); o = sgd(m, 0.0)
    h = fit(m, (X, y), CE, o, 1, metrics={"auc": metrics.roc_auc}, progress=False, step=measure)
    return h, metrics.roc_auc(torch.softmax(m(X), 1)[:, 1].detach(), y)
@probe("scores", expect="work", check=lambda a: a == 1.0)
def roc_auc_two_column_logits(): return metrics.roc_auc(torch.tensor([[0.0, 1.0], [-5.0, 0.5]]), torch.tensor([0, 1]))
@probe("scores", expect="work", check=lambda a: a == 1.0)
def roc_auc_two_column_probabilities():
    return metrics.roc_auc(torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), torch.tensor([0, 1, 0]))
@probe("scores", expect="work", check=lambda r: r[2].tolist() == [math.inf, 5.0, 0.0, -1.0])
def roc_curve_two_column_logit_thresholds_are_log_odds():
    return metrics.roc_curve(torch.tensor([[0.0, 0.0], [0.0, 5.0], [1.0, 0.0]]), torch.tensor([0, 1, 0]))


# ---------------------------------------------------------------- direction of a monitored value
@probe("mode", expect="work", check=lambda es: es.mode == "max")
def early_stopping_val_accuracy(): return EarlyStopping(monitor="val_accuracy")
@probe("mode", expect="work", check=lambda es: es.mode == "max")
def early_stopping_val_recall(): return EarlyStopping(monitor="val_recall")
@probe("mode", expect="work", check=lambda es: es.mode == "max")
def early_stopping_train_accuracy(): return EarlyStopping(monitor="train_accuracy")
@probe("mode", expect="work", check=lambda es: es.mode == "min")
def early_stopping_val_mae(): return EarlyStopping(monitor="val_mae")
@probe("mode", expect="work", check=lambda h: h["val_accuracy"][h.best_epoch - 1] == max(h["val_accuracy"]))
def early_stopping_restores_best_accuracy():
    m = net()
    return fit(m, (X, y), CE, sgd(m, 0.5), 8, val_data=(X, y), metrics="accuracy",
               callbacks=[EarlyStopping(monitor="val_accuracy", patience=100)], progress=False)
@probe("mode")
def early_stopping_custom_metric_unknown_direction():
    fitc(val_data=(X, y), metrics={"score": lambda y_hat, y: 0.5}, callbacks=[EarlyStopping(monitor="val_score")])
@probe("mode", expect="work", check=lambda h: h.best_epoch is not None)
def early_stopping_custom_metric_with_mode():
    return fitc(val_data=(X, y), metrics={"score": lambda y_hat, y: 0.5},
                callbacks=[EarlyStopping(monitor="val_score", mode="max")])
@probe("mode")
def plateau_mode_min_on_accuracy():
    m = net(); o = sgd(m)
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(o)
    fitc(model=m, opt=o, val_data=(X, y), metrics="accuracy",
         callbacks=[LRScheduler(s, per="epoch", monitor="val_accuracy")])


# ---------------------------------------------------------------- History
@probe("val_acc")
def history_typo():
    h = fitc(val_data=(X, y), metrics="accuracy"); return h["val_acc"]
@probe("history")
def history_integer_index(): return fitc()[0]


# ---------------------------------------------------------------- data forms
@probe("train_data", expect="work", check=lambda h: len(h) == 2)
def fit_dlstudy_data_object():
    from dlstudy.data import make_moons
    d = make_moons(60)
    return fitc(model=net(2, 2), data=d)
@probe("val_data", expect="work", check=lambda h: "val_loss" in h.keys())
def fit_dlstudy_data_as_val():
    from dlstudy.data import make_moons
    d = make_moons(60)
    return fitc(model=net(2, 2), data=d, val_data=d)
@probe("data", expect="work", check=lambda r: "loss" in r)
def evaluate_dlstudy_data_object():
    from dlstudy.data import make_moons
    return evaluate(net(2, 2), make_moons(30), CE)
@probe("train_data")
def fit_triple(): fitc(data=(X, y, y))
@probe("train_data")
def fit_generator_two_epochs(): fitc(data=((X[i:i + 8], y[i:i + 8]) for i in range(0, 40, 8)))
@probe("train_data", expect="work", check=lambda h: len(h) == 1)
def fit_generator_one_epoch(): return fitc(data=((X[i:i + 8], y[i:i + 8]) for i in range(0, 40, 8)), epochs=1)
@probe("batch_size", expect="work", check=lambda h: len(h) == 1)
def fit_batch_size_with_val_loader():
    return fitc(epochs=1, batch_size=8, val_data=TensorLoader(X, y, 16, shuffle=False))
@probe("batch_size")
def fit_batch_size_with_train_loader(): fitc(data=TensorLoader(X, y, 16), batch_size=8)


def _sum_check(r):
    m = net()
    return abs(r["loss"] - float(CE(m(X), y))) < 1e-5


@probe("loss", expect="work", check=_sum_check)
def evaluate_sum_reduction(): return evaluate(net(), TensorLoader(X, y, 8, shuffle=False), nn.CrossEntropyLoss(reduction="sum"))
@probe("loss", expect="work", check=lambda hs: abs(hs[0] - hs[1]) < 1e-5)
def fit_sum_reduction_batch_size_independent():
    m1, m2 = net(), net()
    a = fitc(model=m1, opt=sgd(m1, 0.0), loss=nn.CrossEntropyLoss(reduction="sum"), batch_size=8, epochs=1, step=measure)
    b = fitc(model=m2, opt=sgd(m2, 0.0), loss=nn.CrossEntropyLoss(reduction="sum"), batch_size=40, epochs=1, step=measure)
    return a["train_loss"][0], b["train_loss"][0]


# ---------------------------------------------------------------- batch errors: the fix fits the cause
@probe("drop_last")
def fit_batchnorm_last_batch_of_one():
    m = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    fitc(model=m, data=TensorLoader(X[:33], y[:33], 8))
@probe("step")
def fit_step_returns_only_loss():
    def step(state, Xb, yb):
        loss = state.loss_fn(state.model(Xb), yb); state.optimizer.zero_grad(); loss.backward(); state.optimizer.step()
        return loss
    fitc(step=step)
@probe("detach")
def fit_detached_loss(): fitc(loss=lambda y_hat, t: CE(y_hat.detach(), t))


# ---------------------------------------------------------------- callbacks
class NoState(Callback):
    def on_epoch_end(self): pass


class Camel(Callback):
    def onEpochEnd(self, state): self.called = True


class Ends(Callback):
    def epoch_end(self, state): pass


class TextOrder(Callback):
    order = "first"
    def on_epoch_end(self, state): pass


@probe("(self, state)")
def callback_hook_without_state(): fitc(callbacks=[NoState()])
@probe("onEpochEnd")
def callback_camel_case(): fitc(callbacks=[Camel()])
@probe("epoch_end")
def callback_no_on_prefix(): fitc(callbacks=[Ends()])
@probe("order")
def callback_order_text(): fitc(callbacks=[TextOrder()])
@probe("callbacks")
def evaluate_single_callback_class(): evaluate(net(), (X, y), CE, callbacks=[EarlyStopping])
@probe("callbacks", expect="work", check=lambda r: "loss" in r)
def evaluate_single_callback_not_in_list(): return evaluate(net(), (X, y), CE, callbacks=Callback())
@probe("scheduler")
def scheduler_of_other_optimizer():
    o2 = sgd(nn.Linear(3, 2))
    fitc(callbacks=[LRScheduler(torch.optim.lr_scheduler.StepLR(o2, 1, gamma=0.1), per="epoch")])


# ---------------------------------------------------------------- devices, paths, outputs
@probe("device")
def tensorloader_gpu(): TensorLoader(X, y, device="gpu")
@probe("model", expect="work", check=lambda out: isinstance(out, tuple) and out[0].shape == (40, 2))
def predict_tuple_output():
    class M(nn.Module):
        def __init__(self): super().__init__(); self.lin = nn.Linear(3, 2)
        def forward(self, x): return self.lin(x), x
    return predict(M(), X)
@probe("model", expect="work", check=lambda out: out["logits"].shape == (40, 2))
def predict_dict_output():
    class M(nn.Module):
        def __init__(self): super().__init__(); self.lin = nn.Linear(3, 2)
        def forward(self, x): return {"logits": self.lin(x)}
    return predict(M(), X)


@probe("checkpoint")
def checkpoint_read_only_folder():
    """A folder the learner cannot write (simulated: the tests may run as root, which ignores file modes)."""
    folder = Path(tempfile.mkdtemp())
    real = checkpoint.tempfile.mkstemp
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    checkpoint.tempfile.mkstemp = refuse
    try:
        checkpoint.save_checkpoint(folder / "m.pt", net())
    finally:
        checkpoint.tempfile.mkstemp = real
        assert not list(folder.iterdir()), "a file was left behind"


# ---------------------------------------------------------------- nothing lost
class Raises(Callback):
    def __init__(self, hook, error=RuntimeError):
        self.hook, self.error = hook, error
    def __getattribute__(self, name):
        if name.startswith("on_") and name == object.__getattribute__(self, "hook"):
            def raiser(state):
                if state.epoch >= 2 or name == "on_train_begin":
                    raise object.__getattribute__(self, "error")("boom")
            return raiser
        return object.__getattribute__(self, name)


for _hook in ("on_epoch_begin", "on_batch_begin", "on_after_backward", "on_batch_end", "on_epoch_end",
              "on_train_end"):
    def _lost(hook=_hook):
        h = history_of(lambda: fitc(epochs=3, callbacks=[Raises(hook)]))
        return h
    _lost.__name__ = f"history_kept_after_error_in_{_hook}"
    probe("history", expect="work", check=lambda h: isinstance(h, History) and len(h) >= 1)(_lost)


def _interrupted(hook):
    def run():
        m = net(); o = sgd(m)
        h = fit(m, (X, y), CE, o, 3, callbacks=[Raises(hook, KeyboardInterrupt)], progress=False)
        return h
    run.__name__ = f"history_returned_after_ctrl_c_in_{hook}"
    return run


for _hook in ("on_epoch_begin", "on_batch_end", "on_epoch_end", "on_train_end"):
    probe("history", expect="work", check=lambda h: isinstance(h, History) and len(h) >= 1)(_interrupted(_hook))


@probe("history", expect="work", check=lambda h: isinstance(h, History) and len(h) == 2)
def history_kept_after_loss_error_in_epoch_3():
    calls = {"n": 0}
    def loss(y_hat, t):
        calls["n"] += 1
        if calls["n"] > 2:
            raise RuntimeError("boom in the loss")
        return CE(y_hat, t)
    return history_of(lambda: fitc(loss=loss, epochs=4))


@probe("weights", expect="work", check=lambda ok: ok)
def best_weights_restored_after_error():
    m = net(); best = {}
    class Spy(Callback):
        def on_epoch_end(self, state):
            if state.epoch == 1:
                best["w"] = copy.deepcopy(state.model.state_dict())
            if state.epoch == 3:
                raise RuntimeError("late error")
    es = EarlyStopping(monitor="train_loss", patience=100)
    history_of(lambda: fit(m, (X, y), CE, sgd(m, 50.0), 3, callbacks=[es, Spy()], progress=False))
    return es.best_epoch is not None and torch.equal(m[0].weight, es.best_state["0.weight"])


# ================================================================ held-out probes (written as a blind reviewer)
from dlstudy.device import resolve_device, set_seed, to_device  # noqa: E402
from dlstudy.lr_finder import lr_find  # noqa: E402
from torch.nn import functional as F  # noqa: E402

work = {"expect": "work"}
trained = {"expect": "work", "check": lambda h: isinstance(h, History) and len(h) >= 1}


def _loader_of_dicts():
    class Dicts(torch.utils.data.Dataset):
        def __len__(self): return 8
        def __getitem__(self, i): return {"x": X[i], "y": y[i]}
    return DataLoader(Dicts(), batch_size=4)


# fit: arguments
@probe("train_data")
def h_fit_X_y_separately(): fit(net(), X, y, CE, sgd(net()), 2, progress=False)
@probe("num_epochs")
def h_fit_epochs_float(): fitc(epochs=2.0)
@probe("num_epochs")
def h_fit_epochs_bool(): fitc(epochs=True)
@probe("num_epochs", **trained)
def h_fit_epochs_numpy(): return fitc(epochs=np.int64(2))
@probe("num_epochs")
def h_fit_epochs_text(): fitc(epochs="3")
@probe("batch_size")
def h_fit_batch_zero(): fitc(batch_size=0)
@probe("batch_size")
def h_fit_batch_negative(): fitc(batch_size=-5)
@probe("batch_size", **trained)
def h_fit_batch_larger_than_data(): return fitc(batch_size=1000)
@probe("batch_size")
def h_fit_batch_text(): fitc(batch_size="32")
@probe("progress")
def h_fit_progress_text(): fitc(progress="no") if False else fit(net(), (X, y), CE, sgd(net()), 1, progress="no")
@probe("device")
def h_fit_device_cuda_absent():
    if torch.cuda.is_available():
        raise RuntimeError("probe needs a machine without CUDA")
    fitc(device="cuda")
@probe("device", **trained)
def h_fit_device_upper(): return fitc(device="CPU")
@probe("device", **trained)
def h_fit_device_torch(): return fitc(device=torch.device("cpu"))
@probe("device")
def h_fit_device_number_text(): fitc(device="0")
@probe("metrics", **trained)
def h_fit_metrics_empty_dict(): return fitc(metrics={})
@probe("metrics", **trained)
def h_fit_metrics_empty_list(): return fitc(metrics=[])
@probe("metrics", expect="work", check=lambda h: h.keys() == ["train_loss", "train_accuracy"])
def h_fit_metrics_duplicate_names(): return fitc(metrics=["accuracy", "accuracy"])
@probe("accurcy")
def h_fit_metric_typo(): fitc(metrics={"acc": "accurcy"})
@probe("metrics")
def h_fit_metrics_number(): fitc(metrics=42)
@probe("metrics['acc']")
def h_fit_metric_none(): fitc(metrics={"acc": None})
@probe("metrics", expect="work", check=lambda h: abs(h["train_ce"][0] - h["train_loss"][0]) < 0.2)
def h_fit_loss_as_metric(): return fitc(metrics={"ce": nn.CrossEntropyLoss()}, epochs=1)
@probe("metrics", expect="work", check=lambda h: "train_accuracy" in h.keys())
def h_fit_metric_function_alone(): return fitc(metrics=metrics.accuracy)
@probe("metrics")
def h_fit_metric_empty_key(): fitc(metrics={"": metrics.accuracy})
@probe("metrics")
def h_fit_metric_number_key(): fitc(metrics={1: metrics.accuracy})
@probe("metrics['precision']")
def h_fit_precision_multiclass(): fitc(model=net(3, 3), data=(X, torch.arange(40) % 3), metrics="precision")
@probe("metrics", expect="work", check=lambda h: 0 <= h["train_f1"][0] <= 1)
def h_fit_f1_binary(): return fitc(metrics=["f1", "recall", "precision"])
@probe("val_data")
def h_fit_val_single_tensor(): fitc(val_data=X)
@probe("val_data")
def h_fit_val_length_mismatch(): fitc(val_data=(X, y[:10]))
@probe("val_data")
def h_fit_val_empty_list(): fitc(val_data=[])
@probe("train_data")
def h_fit_train_empty_list(): fitc(data=[])
@probe("train_data")
def h_fit_train_zero_samples(): fitc(data=(X[:0], y[:0]))
@probe("train_data")
def h_fit_train_y_none(): fitc(data=(X, None))
@probe("train_data")
def h_fit_train_X_none(): fitc(data=(None, y))
@probe("train_data")
def h_fit_train_dict(): fitc(data={"X": X, "y": y})
@probe("train_data")
def h_fit_train_path_text(): fitc(data="data.csv")
@probe("DataLoader")
def h_fit_tensordataset_unbatched(): fitc(data=TensorDataset(X, y))
@probe("train_data")
def h_fit_dataloader_of_dicts(): fitc(data=_loader_of_dicts())
@probe("train_data", **trained)
def h_fit_dataloader_lists(): return fitc(data=DataLoader(TensorDataset(X, y), batch_size=8))
@probe("train_data", **trained)
def h_fit_y_python_list(): return fitc(data=(X, y.tolist()))
@probe("train_data", **trained)
def h_fit_X_float64_numpy(): return fitc(data=(X.double().numpy(), y.numpy()))
@probe("squeeze")
def h_fit_ce_column_labels(): fitc(data=(X, y[:, None]))
@probe("long")
def h_fit_ce_float_labels(): fitc(data=(X, y.float()))
@probe("train_data", **trained)
def h_fit_ce_soft_targets(): return fitc(data=(X, F.one_hot(y, 2).float()))
@probe("float")
def h_fit_bce_long_column(): fitr(loss=nn.BCEWithLogitsLoss(), data=(X, y[:, None]))
@probe("y")
def h_fit_bce_two_outputs(): fitc(loss=nn.BCEWithLogitsLoss(), data=(X, y.float()))
@probe("shape")
def h_fit_mse_two_targets_one_output(): fitr(data=(X, torch.randn(40, 2)))
@probe("loss", **trained)
def h_fit_functional_loss(): return fitc(loss=F.cross_entropy)
@probe("loss_fn")
def h_fit_loss_text(): fitc(loss="mse")
@probe("loss_fn")
def h_fit_loss_module_F(): fitc(loss=F)
@probe("lr")
def h_fit_negative_lr():
    m = net(); o = sgd(m); o.param_groups[0]["lr"] = -0.1; fitc(model=m, opt=o)
@probe("optimizer", **trained)
def h_fit_optimizer_part_of_model(): m = net(); return fitc(model=m, opt=torch.optim.SGD(m[2].parameters(), lr=0.1))
@probe("mode", expect="work", check=lambda m: m.training is False)
def h_fit_restores_eval_mode(): m = net(); m.eval(); fitc(model=m); return m
@probe("step")
def h_fit_step_returns_none(): fitc(step=lambda state, Xb, yb: None)
@probe("step")
def h_fit_step_text(): fitc(step="sgd")
@probe("step")
def h_fit_step_returns_float_loss():
    fitc(step=lambda state, Xb, yb: (state.model(Xb), 0.5))
@probe("step", **trained)
def h_fit_step_custom_ok():
    def step(state, Xb, yb):
        y_hat = state.model(Xb); loss = state.loss_fn(y_hat, yb)
        state.optimizer.zero_grad(); loss.backward(); state.optimizer.step()
        return y_hat, loss
    return fitc(step=step)
@probe("step")
def h_fit_step_class(): fitc(step=nn.Linear)

# fit: callbacks
@probe("callbacks")
def h_cb_text(): fitc(callbacks="EarlyStopping")
@probe("callbacks[0]")
def h_cb_none(): fitc(callbacks=[None])
@probe("callbacks", **trained)
def h_cb_two_early_stoppings(): return fitc(callbacks=[EarlyStopping(monitor="train_loss"), EarlyStopping("train_loss")])
@probe("callbacks", **trained)
def h_cb_tuple(): return fitc(callbacks=(EarlyStopping(monitor="train_loss"),))
@probe("callbacks[0]")
def h_cb_print(): fitc(callbacks=[print])
@probe("callbacks[0]")
def h_cb_lambda(): fitc(callbacks=[lambda state: None])
@probe("callbacks", **trained)
def h_cb_float_order(): return fitc(callbacks=[type("C", (Callback,), {"order": 5.5})()])
@probe("callbacks", **trained)
def h_cb_duck_typed():
    class Duck:
        def on_epoch_end(self, state): state.record["seen"] = 1.0
    return fitc(callbacks=[Duck()])
@probe("on_epoch_end")
def h_cb_hook_not_callable(): fitc(callbacks=[type("C", (Callback,), {"on_epoch_end": 5})()])
@probe("callbacks", **trained)
def h_cb_hook_varargs(): return fitc(callbacks=[type("C", (Callback,), {"on_epoch_end": lambda self, state, *a: None})()])
@probe("state")
def h_cb_hook_keyword_only():
    exec_ns = {}
    exec("def on_epoch_end(self, *, state): pass", exec_ns)
    fitc(callbacks=[type("C", (Callback,), {"on_epoch_end": exec_ns["on_epoch_end"]})()])
@probe("stop", expect="work", check=lambda h: len(h) == 1)
def h_cb_stop_first_epoch():
    return fitc(epochs=5, callbacks=[type("C", (Callback,), {"on_epoch_end": lambda self, s: setattr(s, "stop", True)})()])
@probe("stop_batch", expect="work", check=lambda h: len(h) == 1)
def h_cb_stop_batch():
    return fitc(epochs=5, data=TensorLoader(X, y, 8), callbacks=[
        type("C", (Callback,), {"on_batch_end": lambda self, s: setattr(s, "stop_batch", True)})()])
@probe("record", expect="work", check=lambda h: h["extra"] == [1.0, 1.0])
def h_cb_adds_to_record():
    return fitc(callbacks=[type("C", (Callback,), {"on_epoch_end": lambda self, s: s.record.update(extra=1.0)})()])
@probe("history", expect="work", check=lambda h: isinstance(h, History) and len(h) == 2)
def h_cb_raises_stopiteration():
    def hook(self, state):
        if state.epoch == 2:
            raise StopIteration
    return history_of(lambda: fitc(callbacks=[type("C", (Callback,), {"on_epoch_end": hook})()]))
@probe("max_norm")
def h_clip_zero(): GradientClipping(0)
@probe("max_norm")
def h_clip_text(): GradientClipping("1")
@probe("max_norm")
def h_clip_negative(): GradientClipping(-1)
@probe("norm_type", expect="work", check=lambda h: len(h) == 2)
def h_clip_inf_norm(): return fitc(callbacks=[GradientClipping(1.0, norm_type=float("inf"))])
@probe("norm_type")
def h_clip_norm_text(): GradientClipping(1.0, norm_type="inf")
@probe("patience")
def h_es_patience_float(): EarlyStopping(patience=2.5)
@probe("patience")
def h_es_patience_text(): EarlyStopping(patience="3")
@probe("monitor")
def h_es_monitor_number(): EarlyStopping(3)
@probe("patience", expect="work", check=lambda es: es.patience == 3)
def h_es_positional(): return EarlyStopping("val_loss", 3)
@probe("min_delta")
def h_es_negative_delta(): EarlyStopping(min_delta=-0.1)
@probe("mode")
def h_es_mode_word(): EarlyStopping(mode="maximum")
@probe("mode")
def h_es_mode_upper(): EarlyStopping(mode="MAX")
@probe("restore_best")
def h_es_restore_text(): EarlyStopping(restore_best="yes")
@probe("val_data")
def h_es_val_metric_without_val(): fitc(metrics="accuracy", callbacks=[EarlyStopping(monitor="val_accuracy")])
@probe("val_los")
def h_es_monitor_typo(): fitc(val_data=(X, y), callbacks=[EarlyStopping(monitor="val_los")])
@probe("best_epoch", expect="work", check=lambda hs: hs[1].best_epoch is not None and len(hs[1]) >= 1)
def h_es_reused():
    es = EarlyStopping(monitor="train_loss", patience=1)
    return fitc(callbacks=[es]), fitc(callbacks=[es])
@probe("per")
def h_sched_per_step(): LRScheduler(torch.optim.lr_scheduler.StepLR(sgd(net()), 1), per="step")
@probe("scheduler")
def h_sched_optimizer(): LRScheduler(sgd(net()))
@probe("scheduler")
def h_sched_class(): LRScheduler(torch.optim.lr_scheduler.StepLR)
@probe("per")
def h_sched_plateau_per_batch(): LRScheduler(torch.optim.lr_scheduler.ReduceLROnPlateau(sgd(net())), per="batch")
@probe("total_steps")
def h_sched_onecycle_too_short():
    m = net(); o = sgd(m)
    s = torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=2)
    fitc(model=m, opt=o, data=TensorLoader(X, y, 8), callbacks=[LRScheduler(s)])
@probe("lrs", expect="work", check=lambda s: len(s.lrs) == 2 and s.lrs[1] < s.lrs[0])
def h_sched_step_per_epoch():
    m = net(); o = sgd(m); s = LRScheduler(torch.optim.lr_scheduler.StepLR(o, 1, gamma=0.5), per="epoch")
    fitc(model=m, opt=o, callbacks=[s]); return s
@probe("val_loss")
def h_sched_plateau_without_val():
    m = net(); o = sgd(m)
    fitc(model=m, opt=o, callbacks=[LRScheduler(torch.optim.lr_scheduler.ReduceLROnPlateau(o), per="epoch")])

# evaluate
@probe("data")
def h_ev_single_tensor(): evaluate(net(), X, CE)
@probe("data", expect="work", check=lambda r: r == {})
def h_ev_no_loss(): return evaluate(net(), (X, y))
@probe("loss_fn")
def h_ev_loss_text(): evaluate(net(), (X, y), "accuracy")
@probe("metrics", expect="work", check=lambda r: 0 <= r["accuracy"] <= 1)
def h_ev_metric_name(): return evaluate(net(), (X, y), CE, metrics="accuracy")
@probe("mode", expect="work", check=lambda m: m.training)
def h_ev_keeps_train_mode(): m = net(); m.train(); evaluate(m, TensorLoader(X, y, 8), CE); return m
@probe("data")
def h_ev_labels_out_of_range(): evaluate(net(), (X, y + 5), CE)
@probe("data")
def h_ev_nan_X(): Xn = X.clone(); Xn[3, 1] = math.nan; evaluate(net(), (Xn, y), CE)
@probe("model")
def h_ev_optimizer_as_model(): evaluate(sgd(net()), (X, y), CE)
@probe("data", expect="work", check=lambda r: "loss" in r)
def h_ev_dataloader(): return evaluate(net(), DataLoader(TensorDataset(X, y), batch_size=7), CE)
@probe("loss_fn")
def h_ev_loss_class(): evaluate(net(), (X, y), nn.MSELoss)
@probe("data", expect="work", check=lambda r: "loss" in r)
def h_ev_generator(): return evaluate(net(), ((X[i:i + 8], y[i:i + 8]) for i in range(0, 40, 8)), CE)
@probe("val_loss")
def h_ev_with_early_stopping(): evaluate(net(), (X, y), CE, callbacks=[EarlyStopping()])
@probe("metrics['mae']")
def h_ev_mae_on_classifier(): evaluate(net(), (X, y), CE, metrics=["mae"])
@probe("data")
def h_ev_triple(): evaluate(net(), (X, y, y), CE)

# predict
@probe("X")
def h_pr_pair(): predict(net(), (X, y))
@probe("X", expect="work", check=lambda p: torch.is_tensor(p) and p.shape == (40, 2))
def h_pr_numpy(): return predict(net(), X.numpy())
@probe("X", expect="work", check=lambda p: p.shape == (2, 2))
def h_pr_list(): return predict(net(), [[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]])
@probe("X")
def h_pr_int(): predict(net(), X.long())
@probe("X")
def h_pr_nan(): Xn = X.clone(); Xn[0, 0] = math.nan; predict(net(), Xn)
@probe("shape")
def h_pr_wrong_features(): predict(net(), torch.randn(5, 4))
@probe("model")
def h_pr_swapped(): predict(X, net())
@probe("model")
def h_pr_class(): predict(nn.Linear, X)
@probe("mode", expect="work", check=lambda m: m.training)
def h_pr_keeps_mode(): m = net(); m.train(); predict(m, X); return m
@probe("X")
def h_pr_loader(): predict(net(), TensorLoader(X, y))
@probe("X", expect="work", check=lambda p: not p.requires_grad)
def h_pr_requires_grad(): return predict(net(), X.clone().requires_grad_(True))
@probe("X")
def h_pr_text(): predict(net(), "X.csv")

# History
@probe("History", expect="work", check=lambda v: v[0] == [1, 2] and v[1] is True and v[2] is False)
def h_hist_epoch_and_contains(): h = fitc(); return h["epoch"], "train_loss" in h, "val_loss" in h
@probe("val_loss")
def h_hist_val_without_val(): fitc()["val_loss"]
@probe("records")
def h_hist_negative_index(): fitc()[-1]
@probe("records")
def h_hist_slice(): fitc()[0:2]
@probe("best_epoch", expect="work", check=lambda h: h.best_epoch is None)
def h_hist_best_without_es(): return fitc()
@probe("train_acc")
def h_hist_short_name(): fitc(metrics="accuracy")["train_acc"]

# TensorLoader
@probe("batch_size")
def h_tl_batch_zero(): TensorLoader(X, y, 0)
@probe("batch_size")
def h_tl_batch_text(): TensorLoader(X, y, "8")
@probe("batch_size")
def h_tl_batch_float(): TensorLoader(X, y, 8.0)
@probe("batch_size")
def h_tl_batch_none(): TensorLoader(X, y, None)
@probe("y")
def h_tl_length_mismatch(): TensorLoader(X, y[:5])
@probe("y")
def h_tl_missing_y(): TensorLoader(X)
@probe("shuffle")
def h_tl_shuffle_text(): TensorLoader(X, y, shuffle="False")
@probe("generator")
def h_tl_generator_int(): TensorLoader(X, y, generator=42)
@probe("device")
def h_tl_cuda_absent():
    if torch.cuda.is_available():
        raise RuntimeError("probe needs a machine without CUDA")
    TensorLoader(X, y, device="cuda")
@probe("device", expect="work", check=lambda t: t.X.device.type == "cpu")
def h_tl_cpu(): return TensorLoader(X, y, device="cpu")
@probe("X", expect="work", check=lambda t: t.X.dtype == torch.float32 and len(t) == 5)
def h_tl_numpy(): return TensorLoader(X.double().numpy(), y.numpy(), 8)
@probe("device")
def h_tl_to_gpu(): TensorLoader(X, y, 8).to("gpu")
@probe("X")
def h_tl_text(): TensorLoader(["a", "b"], [0, 1])
@probe("X")
def h_tl_pair_as_X(): TensorLoader((X, y), y)
@probe("batches", expect="work", check=lambda n: n == [8, 8, 8, 8, 8])
def h_tl_sizes(): return [len(b) for b, _ in TensorLoader(X, y, 8)]

# metrics called directly
@probe("target")
def h_m_accuracy_swapped(): metrics.accuracy(y, torch.randn(40, 2))
@probe("preds", expect="work", check=lambda a: 0 <= a <= 1)
def h_m_accuracy_float_labels(): return metrics.accuracy(torch.randn(40, 2), y.float())
@probe("samples")
def h_m_accuracy_length(): metrics.accuracy(torch.randn(30, 2), y)
@probe("empty")
def h_m_accuracy_empty(): metrics.accuracy(torch.zeros(0, 2), torch.zeros(0, dtype=torch.long))
@probe("preds", expect="work", check=lambda a: a == 0.5)
def h_m_accuracy_lists(): return metrics.accuracy([0, 1, 1, 0], [0, 1, 0, 1])
@probe("preds", expect="work", check=lambda a: a == 1.0)
def h_m_accuracy_numpy(): return metrics.accuracy(np.array([0, 1]), np.array([0, 1]))
@probe("macro")
def h_m_precision_multiclass_default(): metrics.precision(torch.tensor([0, 1, 2]), torch.tensor([0, 2, 1]))
@probe("average")
def h_m_recall_average_upper(): metrics.recall(torch.tensor([0, 1]), torch.tensor([0, 1]), average="Macro")
@probe("num_classes")
def h_m_f1_num_classes_float(): metrics.f1(torch.tensor([0, 1]), torch.tensor([0, 1]), "macro", 1.5)
@probe("f1", expect="work", check=lambda f: f == 0.0)
def h_m_f1_all_negative(): return metrics.f1(torch.tensor([0, 0, 0]), torch.tensor([1, 0, 1]))
@probe("class")
def h_m_auc_one_class(): metrics.roc_auc(torch.rand(5), torch.ones(5, dtype=torch.long))
@probe("scores")
def h_m_auc_three_columns(): metrics.roc_auc(torch.rand(6, 3), torch.tensor([0, 1, 0, 1, 0, 1]))
@probe("scores")
def h_m_auc_nan(): metrics.roc_auc(torch.tensor([0.1, math.nan]), torch.tensor([0, 1]))
@probe("two classes")
def h_m_auc_three_labels(): metrics.roc_auc(torch.rand(3), torch.tensor([0, 1, 2]))
@probe("scores", expect="work", check=lambda a: a == 1.0)
def h_m_auc_integer_scores(): return metrics.roc_auc(torch.tensor([0, 3, 1, 5]), torch.tensor([0, 1, 0, 1]))
@probe("target")
def h_m_auc_swapped(): metrics.roc_auc(torch.tensor([0, 1, 0, 1]), torch.tensor([0.1, 0.9, 0.3, 0.7]))
@probe("preds", expect="work", check=lambda v: abs(v - 1 / 3) < 1e-9)
def h_m_mse_column(): return metrics.mse(torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([1.0, 2.0, 4.0]))
@probe("shape")
def h_m_mse_two_columns(): metrics.mse(torch.randn(4, 2), torch.randn(4))
@probe("preds", expect="work", check=lambda v: v == 1.0)
def h_m_mae_ints(): return metrics.mae(torch.tensor([1, 2]), torch.tensor([2, 3]))
@probe("target")
def h_m_mse_text(): metrics.mse(torch.tensor([1.0]), ["a"])
@probe("num_classes")
def h_m_cm_zero(): metrics.confusion_matrix(torch.tensor([0]), torch.tensor([0]), num_classes=0)
@probe("num_classes")
def h_m_cm_label_too_big(): metrics.confusion_matrix(torch.tensor([0, 3]), torch.tensor([0, 1]), num_classes=2)

# checkpoints
def _ckpt_dir():
    return Path(tempfile.mkdtemp())


@probe("path")
def h_ck_swapped(): checkpoint.save_checkpoint(net(), _ckpt_dir() / "m.pt")
@probe("path")
def h_ck_empty_path(): checkpoint.save_checkpoint("", net())
@probe("path")
def h_ck_number_path(): checkpoint.save_checkpoint(123, net())
@probe("path", expect="work", check=lambda p: p.exists() and "~" not in str(p))
def h_ck_home():
    old = os.environ.get("HOME"); os.environ["HOME"] = str(_ckpt_dir())
    try:
        return checkpoint.save_checkpoint("~/sub/m.pt", net())
    finally:
        os.environ["HOME"] = old
@probe("folder")
def h_ck_folder(): checkpoint.save_checkpoint(_ckpt_dir(), net())
@probe("History")
def h_ck_metadata_history(): checkpoint.save_checkpoint(_ckpt_dir() / "m.pt", net(), history=fitc())
@probe("optimizer")
def h_ck_optimizer_is_model(): checkpoint.save_checkpoint(_ckpt_dir() / "m.pt", net(), net())
@probe("checkpoint")
def h_ck_load_missing(): checkpoint.load_checkpoint(_ckpt_dir() / "none.pt", net())
@probe("shape", expect="refuse")
def h_ck_load_other_model():
    p = checkpoint.save_checkpoint(_ckpt_dir() / "m.pt", net(3, 2)); m = net(4, 2); w = m[0].weight.clone()
    try:
        checkpoint.load_checkpoint(p, m)
    finally:
        assert torch.equal(w, m[0].weight), "the model was changed"
@probe("checkpoint")
def h_ck_load_corrupted():
    p = _ckpt_dir() / "m.pt"; p.write_bytes(b"not a checkpoint"); checkpoint.load_checkpoint(p, net())
@probe("model")
def h_ck_load_no_model(): checkpoint.load_checkpoint(checkpoint.save_checkpoint(_ckpt_dir() / "m.pt", net()))
@probe("weights", expect="work", check=lambda ok: ok)
def h_ck_roundtrip():
    a, b = net(seed=1), net(seed=2); p = checkpoint.save_checkpoint(_ckpt_dir() / "m.pt", a)
    checkpoint.load_checkpoint(p, b); return torch.equal(a[0].weight, b[0].weight)
@probe("fn")
def h_ck_metadata_lambda(): checkpoint.save_checkpoint(_ckpt_dir() / "m.pt", net(), fn=lambda: 1)
@probe("files", expect="work", check=lambda left: left == ["m.pt"])
def h_ck_interrupt_leaves_old_file():
    folder = _ckpt_dir(); checkpoint.save_checkpoint(folder / "m.pt", net(), epoch=1)
    real = torch.save
    def interrupted(*a, **k): raise KeyboardInterrupt
    torch.save = interrupted
    try:
        checkpoint.save_checkpoint(folder / "m.pt", net(), epoch=2)
    except KeyboardInterrupt:
        pass
    finally:
        torch.save = real
    return sorted(p.name for p in folder.iterdir())

# lr_find
@probe("start_lr")
def h_lr_start_zero(): m = net(); lr_find(m, (X, y), CE, sgd(m), start_lr=0)
@probe("start_lr")
def h_lr_start_text(): m = net(); lr_find(m, (X, y), CE, sgd(m), start_lr="1e-5")
@probe("end_lr")
def h_lr_end_below_start(): m = net(); lr_find(m, (X, y), CE, sgd(m), start_lr=1.0, end_lr=0.1)
@probe("weights", expect="work", check=lambda ok: ok)
def h_lr_restores():
    m = net(); o = sgd(m); w = m[0].weight.clone(); lr_find(m, TensorLoader(X, y, 8), CE, o, num_steps=20)
    return torch.equal(w, m[0].weight) and o.param_groups[0]["lr"] == 0.1
@probe("train_data")
def h_lr_single_tensor(): m = net(); lr_find(m, X, CE, sgd(m))
@probe("weights", expect="work", check=lambda ok: ok)
def h_lr_dataloader():
    m = net(); w = m[0].weight.clone(); lr_find(m, DataLoader(TensorDataset(X, y), batch_size=8), CE, sgd(m), num_steps=10)
    return torch.equal(w, m[0].weight)
@probe("num_steps")
def h_lr_steps_zero(): m = net(); lr_find(m, (X, y), CE, sgd(m), num_steps=0)

# device helpers
@probe("device")
def h_dev_cuda_letter(): resolve_device("cuda:x")
@probe("seed")
def h_dev_seed_text(): set_seed("0")
@probe("seed")
def h_dev_seed_negative(): set_seed(-1)
@probe("device")
def h_dev_to_device_none(): to_device(X, None)
@probe("device", expect="work", check=lambda t: t.device.type == "cpu")
def h_dev_to_device_cpu(): return to_device(X, "cpu")

# nothing lost
@probe("history", expect="work", check=lambda h: isinstance(h, History) and len(h) == 2)
def h_lost_diverged_epoch_3():
    m = net(3, 1); calls = {"n": 0}
    def loss(y_hat, t):
        calls["n"] += 1
        return MSE(y_hat, t) * (math.inf if calls["n"] > 2 else 1)
    return history_of(lambda: fit(m, (X, yr), loss, sgd(m, 0.01), 4, progress=False))
@probe("history", expect="work", check=lambda h: isinstance(h, History) and len(h) == 1)
def h_lost_metric_error_epoch_1(): return history_of(lambda: fitc(metrics={"bad": lambda a, b: 1 / 0}))
@probe("history", expect="work", check=lambda h: isinstance(h, History) and len(h) == 2)
def h_lost_ctrl_c_in_loss():
    calls = {"n": 0}
    def loss(y_hat, t):
        calls["n"] += 1
        if calls["n"] > 2:
            raise KeyboardInterrupt
        return CE(y_hat, t)
    return fitc(loss=loss, epochs=5)
@probe("history", expect="work", check=lambda h: isinstance(h, History) and len(h) == 2)
def h_lost_systemexit_in_hook():
    def hook(self, state):
        if state.epoch == 2:
            raise SystemExit(1)
    return history_of(lambda: fitc(epochs=3, callbacks=[type("C", (Callback,), {"on_epoch_end": hook})()]))
@probe("model", expect="work", check=lambda m: m.training is False)
def h_lost_mode_after_error():
    m = net(); m.eval(); history_of(lambda: fitc(model=m, data=(X, y + 7))); return m
@probe("history", expect="work", check=lambda h: isinstance(h, History) and len(h) == 2)
def h_lost_val_nan_at_epoch_2():
    Xv = X.clone(); calls = {"n": 0}
    class Poison(Callback):
        order = -50
        def on_epoch_end(self, state):
            if state.epoch == 2:
                Xv[0, 0] = math.nan
    return history_of(lambda: fitc(epochs=3, val_data=(Xv, y), callbacks=[Poison()]))
@probe("weights", expect="work", check=lambda ok: ok)
def h_lost_best_weights_after_ctrl_c():
    m = net(); es = EarlyStopping(monitor="train_loss", patience=100)
    def hook(self, state):
        if state.epoch == 3:
            raise KeyboardInterrupt
    fit(m, (X, y), CE, sgd(m, 0.5), 5, callbacks=[es, type("C", (Callback,), {"on_epoch_end": hook})()],
        progress=False)
    return torch.equal(m[0].weight, es.best_state["0.weight"])


if __name__ == "__main__":
    counts, lines = Counter(), []
    for name, fn, expect, words, check in PROBES:
        outcome, detail = classify(fn, expect, words, check)
        counts[outcome] += 1
        lines.append(f"{outcome:8} {name}: {detail}")
    for line in lines:
        if "-v" in sys.argv or not line.startswith(("clear", "handled")):
            print(line)
    bad = counts["raw"] + counts["silent"]
    print(f"{len(PROBES)} probes: {dict(counts)}; raw + silent = {bad} ({100 * bad / len(PROBES):.1f}%)")
