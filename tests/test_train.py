"""fit, evaluate, predict, the NaN guard, callbacks (early stopping, schedulers, clipping) and first-batch errors."""

import pytest
import torch
from helpers import accuracy, small_net
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlstudy.callbacks import HOOKS, GradientClipping, LRScheduler, TrainState
from dlstudy.data import TensorLoader, make_moons
from dlstudy.device import set_seed
from dlstudy.train import Callback, EarlyStopping, History, TrainingDiverged, evaluate, fit, predict


def sgd(net, lr=0.1):
    return torch.optim.SGD(net.parameters(), lr=lr)


class ModeSpy(nn.Module):
    """An identity layer that records ``self.training`` at every forward call."""

    def __init__(self):
        super().__init__()
        self.modes = []

    def forward(self, x):
        self.modes.append(self.training)
        return x


def test_fit_lowers_the_loss_and_records_metrics():
    set_seed(0)
    X, y = make_moons(200, noise=0.1)
    net = small_net()
    h = fit(net, TensorLoader(X, y, batch_size=32), nn.CrossEntropyLoss(),
            torch.optim.Adam(net.parameters(), lr=0.05), 30, val_data=(X, y), metrics={"acc": accuracy},
            progress=False)
    assert len(h) == 30 and h["train_loss"][-1] < 0.3 * h["train_loss"][0]
    assert h.keys() == ["train_loss", "train_acc", "val_loss", "val_acc"]
    assert h["val_acc"][-1] > 0.95 and "30 epochs" in repr(h)


def _hand_loop(net, loader, loss_fn, optimizer, num_epochs):
    losses = []
    for _ in range(num_epochs):
        net.train()
        total, count = 0.0, 0
        for X, y in loader:
            loss = loss_fn(net(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total, count = total + loss.item() * len(y), count + len(y)
        losses.append(total / count)
    return losses


@pytest.mark.parametrize("make_loader", [
    lambda X, y: DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True),
    lambda X, y: TensorLoader(X, y, batch_size=16),
])
def test_fit_matches_a_hand_written_loop(make_loader):
    X, y = make_moons(120, noise=0.2)
    results = []
    for use_fit in (False, True):
        set_seed(1)
        net = small_net()
        optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
        loader = make_loader(X, y)
        if use_fit:
            results.append(fit(net, loader, nn.CrossEntropyLoss(), optimizer, 5, progress=False)["train_loss"])
        else:
            results.append(_hand_loop(net, loader, nn.CrossEntropyLoss(), optimizer, 5))
    assert results[0] == pytest.approx(results[1], rel=1e-5)


def test_dataloader_and_tensor_loader_train_identically():
    X, y = make_moons(100, noise=0.2)
    losses = []
    for loader in (DataLoader(TensorDataset(X, y), batch_size=10, shuffle=True), TensorLoader(X, y, batch_size=10)):
        set_seed(2)
        net = small_net()
        losses.append(fit(net, loader, nn.CrossEntropyLoss(), sgd(net), 3, progress=False)["train_loss"])
    assert losses[0] == pytest.approx(losses[1], rel=1e-6)


def test_fit_trains_in_train_mode_even_from_eval_mode_and_restores_it():
    spy = ModeSpy()
    net = nn.Sequential(nn.Linear(2, 2), spy).eval()
    X, y = make_moons(40)
    fit(net, (X, y), nn.CrossEntropyLoss(), sgd(net), 2, val_data=(X, y), progress=False)
    assert spy.modes == [True, False, True, False]          # train batch, validation, train batch, validation
    assert not net.training and next(net.parameters()).device.type == "cpu"


def test_evaluate_runs_a_dropout_model_in_eval_mode_and_restores_train_mode():
    set_seed(0)
    net = nn.Sequential(nn.Linear(2, 16), nn.Dropout(0.5), nn.Linear(16, 2)).train()
    X, y = make_moons(64)
    scores = evaluate(net, TensorLoader(X, y, batch_size=7, shuffle=False), nn.CrossEntropyLoss(), [accuracy])
    assert set(scores) == {"loss", "accuracy"} and net.training
    net.eval()
    with torch.no_grad():
        expected = nn.CrossEntropyLoss()(net(X), y).item()
    net.train()
    assert scores["loss"] == pytest.approx(expected, rel=1e-5)   # dropout was off: no random units dropped
    assert evaluate(net, (X, y), nn.CrossEntropyLoss())["loss"] == pytest.approx(expected, rel=1e-5)


def test_predict_is_repeatable_and_restores_mode():
    net = nn.Sequential(nn.Linear(2, 4), nn.Dropout(0.5), nn.Linear(4, 2)).train()
    X, _ = make_moons(30)
    out1, out2 = predict(net, X), predict(net, X)
    assert torch.equal(out1, out2) and net.training and out1.shape == (30, 2)


def test_nan_guard_names_the_epoch_and_the_learning_rate():
    X = torch.randn(64, 1) * 100
    net = nn.Linear(1, 1)
    with pytest.raises(TrainingDiverged, match=r"epoch \d+: the loss became (nan|inf).*smaller learning rate \(lr=10"):
        fit(net, (X, 5 * X), nn.MSELoss(), sgd(net, lr=10.0), 50, progress=False)


class BreakAt(Callback):
    """At the start of epoch ``epoch``: set the weights to NaN (a divergence), or raise ``error``."""

    def __init__(self, epoch, error=None):
        self.epoch, self.error = epoch, error

    def on_epoch_begin(self, state):
        if state.epoch == self.epoch:
            if self.error is not None:
                raise self.error
            with torch.no_grad():
                for p in state.model.parameters():
                    p.fill_(float("nan"))


def _moons_run(callbacks, num_epochs=30, lr=0.05):
    set_seed(0)
    X, y = make_moons(60, noise=0.3)
    Xv, yv = make_moons(60, noise=0.3, seed=9)
    net = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 2))
    history = fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.Adam(net.parameters(), lr=lr), num_epochs,
                  val_data=(Xv, yv), metrics={"acc": accuracy}, callbacks=callbacks, progress=False)
    return net, history, (Xv, yv)


def test_divergence_at_epoch_k_keeps_k_minus_1_epochs_and_restores_the_best_weights():
    set_seed(0)
    X, y = make_moons(60, noise=0.3)
    Xv, yv = make_moons(60, noise=0.3, seed=9)
    net = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 2))
    with pytest.raises(TrainingDiverged) as caught:
        fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.Adam(net.parameters(), lr=0.05), 30,
            val_data=(Xv, yv), callbacks=[EarlyStopping(patience=100), BreakAt(5)], progress=False)
    history = caught.value.history
    assert len(history) == 4 and history.best_epoch is not None          # epochs 1-4; epoch 5 diverged
    assert all(torch.isfinite(p).all() for p in net.parameters())        # not the NaN weights of epoch 5
    best = min(history["val_loss"])
    assert evaluate(net, (Xv, yv), nn.CrossEntropyLoss())["loss"] == pytest.approx(best, rel=1e-5)


def test_an_interrupt_returns_the_history_so_far_and_restores_the_best(capsys):
    net, history, val = _moons_run([EarlyStopping(patience=100), BreakAt(5, KeyboardInterrupt())])
    assert len(history) == 4 and "interrupted after 4 complete epochs" in capsys.readouterr().out
    best = min(history["val_loss"])
    assert evaluate(net, val, nn.CrossEntropyLoss())["loss"] == pytest.approx(best, rel=1e-5)


def test_early_stopping_restores_the_best_weights():
    stop = EarlyStopping(patience=3)
    net, h, val = _moons_run([stop], num_epochs=300)
    assert len(h) < 300 and len(h) == h.best_epoch + 3
    best = min(h["val_loss"])
    assert h["val_loss"][h.best_epoch - 1] == best
    assert evaluate(net, val, nn.CrossEntropyLoss())["loss"] == pytest.approx(best, rel=1e-5)


def test_early_stopping_on_accuracy_keeps_the_highest_epoch():
    stop = EarlyStopping(monitor="val_acc", patience=4)
    assert stop.mode == "max"
    net, h, val = _moons_run([stop], num_epochs=60, lr=0.2)
    accs = h["val_acc"]
    assert max(accs) > min(accs) and h.best_epoch == accs.index(max(accs)) + 1
    assert len(h) == h.best_epoch + 4
    assert evaluate(net, val, metrics={"acc": accuracy})["acc"] == pytest.approx(max(accs))


@pytest.mark.parametrize("patience", [0, -1, 2.5])
def test_early_stopping_rejects_a_patience_below_one(patience):
    with pytest.raises((TypeError, ValueError), match="patience must be .*1 or more|patience must be a whole number"):
        EarlyStopping(patience=patience)


def test_early_stopping_checks_mode_and_monitor():
    assert EarlyStopping(monitor="val_loss").mode == "min" and EarlyStopping(monitor="train_f1").mode == "max"
    assert EarlyStopping(monitor="val_acc", mode="min").mode == "min"
    with pytest.raises(ValueError, match="mode"):
        EarlyStopping(mode="lowest")
    with pytest.raises(TypeError, match="patience="):
        EarlyStopping(3)


def test_early_stopping_without_validation_data_says_what_to_do():
    X, y = make_moons(20)
    net = small_net()
    with pytest.raises(KeyError, match="val_data"):
        fit(net, (X, y), nn.CrossEntropyLoss(), sgd(net), 2, callbacks=[EarlyStopping()], progress=False)


def test_early_stopping_driven_by_hand_with_a_state():
    history = History()
    state = TrainState(model=nn.Linear(1, 1), history=history)
    stop = EarlyStopping(patience=2, restore_best=False)
    stop.on_train_begin(state)
    for epoch, loss in enumerate([1.0, 0.8, 0.9, 0.85, 0.7], start=1):
        history.append({"epoch": epoch, "val_loss": loss})
        stop.on_epoch_end(state)
        if state.stop:
            break
    assert (stop.best_epoch, len(history)) == (2, 4)


class Recorder(Callback):
    """Records every hook call (overrides every hook, so fit calls each)."""

    def __init__(self, name, log, order=0):
        self.name, self.log, self.order = name, log, order


for _hook in HOOKS:
    setattr(Recorder, _hook, lambda self, state, _hook=_hook: self.log.append((self.name, _hook, state.epoch)))


def test_every_callback_gets_every_hook_in_order():
    log = []
    X, y = make_moons(20)
    net = small_net()
    fit(net, TensorLoader(X, y, batch_size=10), nn.CrossEntropyLoss(), sgd(net), 2,
        callbacks=[Recorder("a", log), Recorder("b", log), Recorder("first", log, order=-1)], progress=False)
    expected = [("on_train_begin", 0)]
    for epoch in (1, 2):
        expected += [("on_epoch_begin", epoch)] + [("on_batch_begin", epoch), ("on_after_backward", epoch),
                                                   ("on_batch_end", epoch)] * 2 + [("on_epoch_end", epoch)]
    expected += [("on_train_end", 2)]
    for name in ("a", "b", "first"):
        assert [(hook, epoch) for who, hook, epoch in log if who == name] == expected
    assert [who for who, hook, _ in log if hook == "on_train_begin"] == ["first", "a", "b"]


def test_a_callback_sees_the_batch_and_can_stop_training():
    seen = []

    class StopAfterThree(Callback):
        def on_batch_end(self, state):
            seen.append((state.batch, tuple(state.X.shape), state.loss.ndim, state.y_hat.shape[1]))
            state.stop_batch = len(seen) == 3

    X, y = make_moons(40)
    net = small_net()
    h = fit(net, TensorLoader(X, y, batch_size=10), nn.CrossEntropyLoss(), sgd(net), 5,
            callbacks=[StopAfterThree()], progress=False)
    assert seen == [(0, (10, 2), 0, 2), (1, (10, 2), 0, 2), (2, (10, 2), 0, 2)] and len(h) == 1


def test_a_scheduler_callback_steps_per_batch_or_per_epoch():
    X, y = make_moons(40)
    for per, steps in (("batch", 12), ("epoch", 3)):
        net = small_net()
        optimizer = sgd(net, lr=0.1)
        schedule = LRScheduler(torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5), per=per)
        fit(net, TensorLoader(X, y, batch_size=10), nn.CrossEntropyLoss(), optimizer, 3, callbacks=[schedule],
            progress=False)
        assert schedule.lrs == pytest.approx([0.1 * 0.5 ** k for k in range(steps)])
        assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * 0.5 ** steps)
    with pytest.raises(ValueError, match="per must be"):
        LRScheduler(torch.optim.lr_scheduler.StepLR(optimizer, 1), per="step")


def test_reduce_on_plateau_steps_on_the_monitored_value():
    X, y = make_moons(40)
    net = small_net()
    optimizer = sgd(net, lr=0.1)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=0)
    fit(net, (X, y), nn.CrossEntropyLoss(), optimizer, 3, val_data=(X, y), progress=False,
        callbacks=[LRScheduler(plateau, per="epoch", monitor="val_loss")])
    with pytest.raises(ValueError, match="per='epoch'"):
        LRScheduler(plateau)


def test_gradient_clipping_limits_each_step():
    X, y = make_moons(40)
    moves = {}
    for max_norm in (None, 0.01):
        set_seed(0)
        net = small_net()
        before = torch.nn.utils.parameters_to_vector(net.parameters()).clone()
        clip = [GradientClipping(max_norm)] if max_norm else []
        fit(net, (X, y), nn.CrossEntropyLoss(), sgd(net, lr=1.0), 1, callbacks=clip, progress=False)
        moves[max_norm] = (torch.nn.utils.parameters_to_vector(net.parameters()) - before).norm().item()
        if clip:
            assert len(clip[0].norms) == 1 and clip[0].norms[0] > 0.01
    assert moves[0.01] == pytest.approx(0.01, rel=1e-3) and moves[None] > 0.05   # one SGD step of lr 1
    with pytest.raises(ValueError, match="max_norm"):
        GradientClipping(0)


@pytest.mark.parametrize("X, y, net, message", [
    (torch.randn(8, 2, dtype=torch.float64), torch.zeros(8, dtype=torch.long), nn.Linear(2, 2), "float64.*X.float"),
    (torch.randn(8, 2), torch.randn(8), nn.Linear(2, 1), r"shape \(8, 1\) but y has shape \(8,\)"),
    (torch.randn(8, 2), torch.full((8,), 3), nn.Linear(2, 3), r"labels must be in 0..2.*goes up to 3"),
    (torch.randn(8, 2), torch.zeros(4, dtype=torch.long), nn.Linear(2, 3), r"8 predictions for a batch of 4"),
])
def test_first_batch_mistakes_get_clear_errors(X, y, net, message):
    loss = nn.CrossEntropyLoss() if not y.is_floating_point() else nn.MSELoss()
    loader = [(X, y)]
    with pytest.raises((TypeError, ValueError), match=message):
        fit(net, loader, loss, sgd(net), 1, progress=False)
    assert not net._forward_hooks                       # the one-time check left no hook behind


def test_bad_training_data_type_and_empty_data():
    net = nn.Linear(1, 1)
    with pytest.raises(TypeError, match=r"\(X, y\) pair"):
        fit(net, 42, nn.MSELoss(), sgd(net), 1, progress=False)
    with pytest.raises(ValueError, match="no batches"):
        fit(net, [], nn.MSELoss(), sgd(net), 1, progress=False)


def test_history_repr_and_keys():
    h = History()
    assert repr(h) == "History(0 epochs)" and h.keys() == []
    h.append({"epoch": 1, "train_loss": 1.0, "val_loss": 2.0})
    h.append({"epoch": 2, "train_loss": 0.5, "val_loss": 1.5})
    assert h["val_loss"] == [2.0, 1.5] and h.keys() == ["train_loss", "val_loss"]
    assert repr(h) == "History(2 epochs, last: train_loss=0.5000, val_loss=1.5000)"


def test_progress_bar_runs(capsys):
    X, y = make_moons(20)
    net = small_net()
    fit(net, (X, y), nn.CrossEntropyLoss(), sgd(net), 3, progress=True)
    err = capsys.readouterr().err
    assert "fit" in err and "3/3" in err


def test_an_error_in_a_callback_is_the_error_you_see():
    class Broken(Callback):
        def on_train_begin(self, state):
            raise RuntimeError("boom")

    X, y = make_moons(20)
    net = small_net()
    with pytest.raises(RuntimeError, match="boom"):     # not an AttributeError from another callback's end hook
        fit(net, (X, y), nn.CrossEntropyLoss(), sgd(net), 2, val_data=(X, y), progress=True,
            callbacks=[Broken(), EarlyStopping()])


def test_a_callback_may_be_any_object_with_some_hooks():
    class Counter:                                     # not a Callback subclass: only the hooks it has are called
        epochs = 0

        def on_epoch_end(self, state):
            self.epochs += 1

    counter = Counter()
    X, y = make_moons(20)
    net = small_net()
    fit(net, (X, y), nn.CrossEntropyLoss(), sgd(net), 3, callbacks=[counter], progress=False)
    assert counter.epochs == 3
