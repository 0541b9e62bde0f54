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
