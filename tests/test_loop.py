"""Issue 23: the training core (dlstudy.loop), whole-data checks, and nothing lost on any exception."""

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlstudy import loop
from dlstudy.callbacks import ORDER, Callback, EarlyStopping, GradientClipping, LRScheduler, ProgressBar, Validate
from dlstudy.data import TensorLoader
from dlstudy.diagnostics import Diagnostics
from dlstudy.loop import CheckData, CollectMetrics, TrainState, run_epoch
from dlstudy.lr_finder import LRFinder
from dlstudy.plots.curves import LivePlot
from dlstudy.train import TrainingDiverged, evaluate, fit


def _data(n=24, features=3, classes=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, features, generator=g), torch.arange(n) % classes


def _net(features=3, classes=2):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(features, 8), nn.ReLU(), nn.Linear(8, classes))


def _sgd(net, lr=0.1):
    return torch.optim.SGD(net.parameters(), lr=lr)


# ---------------------------------------------------------------- the one table of orders

def test_every_callback_takes_its_order_from_the_one_table():
    classes = {"CheckData": CheckData, "CollectMetrics": CollectMetrics, "Validate": Validate,
               "ProgressBar": ProgressBar, "LivePlot": LivePlot, "LRFinder": LRFinder, "Diagnostics": Diagnostics,
               "Callback": Callback}
    assert {name: cls.order for name, cls in classes.items()} == {name: ORDER[name] for name in classes}
    for cls in (EarlyStopping, LRScheduler, GradientClipping):
        assert cls.order == ORDER["Callback"]
    assert ORDER["CheckData"] < ORDER["CollectMetrics"] < ORDER["Validate"] < ORDER["Callback"] < ORDER["ProgressBar"]


# ---------------------------------------------------------------- mutants of the training core

def test_reduce_lr_on_plateau_steps_on_the_monitored_value_not_the_training_loss():
    """Training loss falls every epoch while val_loss never improves: only val_loss may cut the rate."""
    X, y = _data()
    net = _net()
    optimizer = _sgd(net, lr=0.05)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0, factor=0.5)

    class FlatValidation(Callback):
        order = ORDER["Validate"] + 1

        def on_epoch_end(self, state):
            state.record["val_loss"] = 1.0                           # never improves

    h = fit(net, (X, y), nn.CrossEntropyLoss(), optimizer, 5,
            callbacks=[FlatValidation(), LRScheduler(plateau, per="epoch")], progress=False)
    assert all(b < a for a, b in zip(h["train_loss"], h["train_loss"][1:]))         # train_loss improves each epoch
    assert optimizer.param_groups[0]["lr"] < 0.05                                   # cut: val_loss did not improve


def test_reduce_lr_on_plateau_keeps_the_rate_while_the_monitored_value_improves():
    X, y = _data()
    net = _net()
    optimizer = _sgd(net, lr=0.05)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0, factor=0.5)
    train_loss_rises = [3.0, 2.0, 1.0, 4.0, 5.0]                      # never matters: val_loss is watched

    class FakeTrainLoss(Callback):
        order = ORDER["Validate"] + 1

        def on_epoch_end(self, state):
            state.record["train_loss"] = train_loss_rises[state.epoch - 1]
            state.record["val_loss"] = 1.0 / state.epoch                 # improves every epoch

    fit(net, (X, y), nn.CrossEntropyLoss(), optimizer, 5, callbacks=[FakeTrainLoss(), LRScheduler(plateau, per="epoch")],
        progress=False)
    assert optimizer.param_groups[0]["lr"] == 0.05


def test_training_metrics_are_per_epoch_not_pooled_across_epochs():
    X, y = _data(n=12)
    net = _net()
    seen = []

    def count(y_hat, target):
        seen.append(len(target))
        return float(len(target))

    h = fit(net, TensorLoader(X, y, batch_size=5), nn.CrossEntropyLoss(), _sgd(net), 3, metrics={"n": count},
            progress=False)
    assert h["train_n"] == [12.0, 12.0, 12.0] and seen == [12, 12, 12]


def test_training_accuracy_is_the_accuracy_of_that_epochs_outputs():
    X, y = _data(n=40)
    net = _net()
    outputs = []

    class Keep(Callback):
        def on_epoch_begin(self, state):
            outputs.append([])

        def on_batch_end(self, state):
            outputs[-1].append((state.y_hat.detach().argmax(1) == state.y).float().sum().item())

    h = fit(net, TensorLoader(X, y, batch_size=8), nn.CrossEntropyLoss(), _sgd(net, 0.5), 4,
            metrics="accuracy", callbacks=Keep(), progress=False)
    assert h["train_accuracy"] == pytest.approx([sum(o) / 40 for o in outputs])
    assert len(set(h["train_accuracy"])) > 1


# ---------------------------------------------------------------- nothing lost on any exception

class Boom(Callback):
    def __init__(self, hook, at_epoch=2, error=RuntimeError):
        self.hook, self.at_epoch, self.error = hook, at_epoch, error
        setattr(self, hook, self.fire)

    def fire(self, state):
        if state.epoch >= self.at_epoch or self.hook in ("on_train_end", "on_train_begin"):
            raise self.error("boom")


@pytest.mark.parametrize("hook", ["on_epoch_begin", "on_batch_begin", "on_after_backward", "on_batch_end",
                                  "on_epoch_end", "on_train_end"])
def test_a_callback_raising_anywhere_keeps_the_history_and_restores_the_best_weights(hook):
    X, y = _data()
    net = _net()
    stopper = EarlyStopping(monitor="train_loss", patience=10)
    callback = Boom(hook)
    callback.order = ORDER["Callback"] - 1 if hook == "on_train_end" else ORDER["Callback"]
    with pytest.raises(RuntimeError, match="boom") as info:
        fit(net, (X, y), nn.CrossEntropyLoss(), _sgd(net), 4, callbacks=[callback, stopper], progress=False)
    history = info.value.history
    finished = 4 if hook == "on_train_end" else 1 if hook != "on_epoch_end" else 2
    assert len(history) == finished and history.best_epoch == min(finished, 4 if hook == "on_train_end" else 1)
    assert net.training


def test_ctrl_c_in_the_end_hooks_still_runs_the_others_and_returns_the_history(capsys):
    X, y = _data()
    net = _net()
    stopper = EarlyStopping(monitor="train_loss", patience=10)
    interrupt = Boom("on_train_end", error=KeyboardInterrupt)
    interrupt.order = -50                                      # before EarlyStopping's end hook
    h = fit(net, (X, y), nn.CrossEntropyLoss(), _sgd(net), 3, callbacks=[interrupt, stopper], progress=False)
    assert len(h) == 3 and h.best_epoch == 3 and "interrupted" in capsys.readouterr().out


def test_a_loss_error_in_a_later_epoch_keeps_the_finished_epochs():
    X, y = _data()
    net = _net()
    calls = []

    def flaky_loss(y_hat, target):
        calls.append(1)
        if len(calls) > 2:
            raise RuntimeError("the loss broke")
        return nn.functional.cross_entropy(y_hat, target)

    with pytest.raises(RuntimeError, match="the loss broke") as info:
        fit(net, (X, y), flaky_loss, _sgd(net), 5, progress=False)
    assert len(info.value.history) == 2


# ---------------------------------------------------------------- whole data, checked once

def test_labels_out_of_range_in_a_later_batch_stop_before_the_first_step():
    X, y = _data(n=20)
    y[17] = 5
    net = _net()
    before = [p.clone() for p in net.parameters()]
    with pytest.raises(ValueError, match=r"labels must be in 0..1 .* train_data's y goes up to 5"):
        fit(net, TensorLoader(X, y, batch_size=4, shuffle=False), nn.CrossEntropyLoss(), _sgd(net), 1, progress=False)
    assert all(torch.equal(a, b) for a, b in zip(before, net.parameters()))


def test_a_dataloader_is_checked_batch_by_batch_and_names_the_batch():
    X, y = _data(n=20)
    X[13, 0] = float("inf")
    net = _net()
    with pytest.raises(ValueError, match=r"train_data \(batch 4\)'s X contains 1 NaN or infinite value"):
        fit(net, DataLoader(TensorDataset(X, y), batch_size=4), nn.CrossEntropyLoss(), _sgd(net), 1, progress=False)
    X, y = _data(n=20)
    y[18] = 7
    with pytest.raises(ValueError, match=r"batch 5.*goes up to 7"):
        fit(net, DataLoader(TensorDataset(X, y), batch_size=4), nn.CrossEntropyLoss(), _sgd(net), 1, progress=False)


def test_validation_data_gets_the_same_checks_before_training():
    X, y = _data()
    net = _net()
    with pytest.raises(ValueError, match=r"val_data's y goes up to 3"):
        fit(net, (X, y), nn.CrossEntropyLoss(), _sgd(net), 2, val_data=(X, y + 2), progress=False)
    with pytest.raises(TypeError, match=r"val_data's X is int64"):
        fit(net, (X, y), nn.CrossEntropyLoss(), _sgd(net), 2, val_data=(X.long(), y), progress=False)


def test_the_whole_data_is_read_once_per_fit_not_once_per_epoch(monkeypatch):
    import dlstudy.loop as core
    calls = []
    original = core.check_data
    monkeypatch.setattr(core, "check_data", lambda *a: calls.append(a[-1]) or original(*a))
    X, y = _data()
    net = _net()
    fit(net, (X, y), nn.CrossEntropyLoss(), _sgd(net), 5, val_data=(X, y), progress=False)
    assert sorted(calls) == ["train_data", "val_data"]


# ---------------------------------------------------------------- the step is an argument

def test_fit_takes_the_training_step_and_the_default_is_the_five_steps():
    X, y = _data()
    a, b = _net(), _net()
    seen = []

    def my_step(state, X, y):                          # the five steps, written again by hand
        seen.append(len(y))
        y_hat = state.model(X)
        loss = state.loss_fn(y_hat, y)
        state.optimizer.zero_grad()
        loss.backward()
        state.optimizer.step()
        return y_hat, loss

    torch.manual_seed(1)
    ha = fit(a, (X, y), nn.CrossEntropyLoss(), _sgd(a), 3, progress=False)
    torch.manual_seed(1)
    hb = fit(b, (X, y), nn.CrossEntropyLoss(), _sgd(b), 3, progress=False, step=my_step)
    assert ha["train_loss"] == hb["train_loss"] and seen == [24, 24, 24]
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def test_the_live_playground_trains_through_fit(monkeypatch):
    import dlstudy.demos.live.run as live
    calls = []
    monkeypatch.setattr(live, "fit", lambda *a, **k: calls.append(k["step"]) or fit(*a, **k))
    run = live.LiveRun()
    run.step(3)
    assert run.epoch == 3 and len(calls) == 1 and calls[0].__name__ == "_train_step"


def test_run_epoch_and_train_state_are_the_core_that_evaluate_uses():
    X, y = _data()
    net = _net()
    state = TrainState(net, None, nn.CrossEntropyLoss(), torch.device("cpu"), callbacks=[])
    mean = run_epoch(state, [(X[:10], y[:10]), (X[10:], y[10:])], loop.measure)
    assert mean == pytest.approx(evaluate(net, (X, y), nn.CrossEntropyLoss())["loss"], rel=1e-5)


def test_a_nan_loss_on_the_cpu_stops_at_the_batch_and_keeps_the_history():
    X, y = _data()
    net = _net()

    class Poison(Callback):
        def on_epoch_begin(self, state):
            if state.epoch == 3:
                with torch.no_grad():
                    net[0].weight.fill_(float("nan"))

    with pytest.raises(TrainingDiverged) as info:
        fit(net, (X, y), nn.CrossEntropyLoss(), _sgd(net), 5, callbacks=[Poison()], progress=False)
    assert len(info.value.history) == 2


def test_on_a_gpu_streamed_batches_are_checked_at_the_end_of_the_epoch_before_anything_else():
    """The GPU path (no .item() per batch), run on the CPU: the bad batch is named before EarlyStopping sees it."""
    X, y = _data(n=20)
    X[13, 0] = float("nan")
    net = _net()
    seen = []

    class LikeAGpu(Callback):
        order = ORDER["CheckData"] - 1

        def on_train_begin(self, state):
            state.check_each_batch = False

    class Saver(Callback):
        def on_epoch_end(self, state):
            seen.append(state.epoch)

    with pytest.raises(ValueError, match=r"train_data's X contains NaN or infinite values in batch 4 of this epoch"):
        fit(net, DataLoader(TensorDataset(X, y), batch_size=4), nn.CrossEntropyLoss(), _sgd(net), 2,
            callbacks=[LikeAGpu(), Saver()], progress=False)
    assert seen == []
