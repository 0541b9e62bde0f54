"""fit, evaluate, predict, the NaN guard, early stopping and clear first-batch errors."""

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlstudy.data import TensorLoader, make_moons
from dlstudy.device import set_seed
from dlstudy.train import Callback, EarlyStopping, History, TrainingDiverged, evaluate, fit, predict


def accuracy(y_hat, y):
    return (y_hat.argmax(1) == y).float().mean()


def _net():
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))


def test_fit_lowers_the_loss_and_records_metrics():
    set_seed(0)
    X, y = make_moons(200, noise=0.1)
    net = _net()
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
        net = _net()
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
        net = _net()
        losses.append(fit(net, loader, nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 3,
                          progress=False)["train_loss"])
    assert losses[0] == pytest.approx(losses[1], rel=1e-6)


def test_fit_restores_mode_and_keeps_device():
    net = _net().eval()
    X, y = make_moons(40)
    fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 2, progress=False)
    assert not net.training and next(net.parameters()).device.type == "cpu"


def test_nan_guard_names_the_epoch_and_the_learning_rate():
    X = torch.randn(64, 1) * 100
    net = nn.Linear(1, 1)
    with pytest.raises(TrainingDiverged, match=r"epoch \d+: the loss became (nan|inf).*smaller learning rate \(lr=10"):
        fit(net, (X, 5 * X), nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=10.0), 50, progress=False)


def test_early_stopping_restores_the_best_weights():
    set_seed(0)
    X, y = make_moons(60, noise=0.3)
    Xv, yv = make_moons(60, noise=0.3, seed=9)
    net = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 2))
    stop = EarlyStopping(patience=3)
    h = fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.Adam(net.parameters(), lr=0.05), 300,
            val_data=(Xv, yv), callbacks=[stop], progress=False)
    assert len(h) < 300 and len(h) == h.best_epoch + 3
    best = min(h["val_loss"])
    assert h["val_loss"][h.best_epoch - 1] == best
    assert evaluate(net, (Xv, yv), nn.CrossEntropyLoss())["loss"] == pytest.approx(best, rel=1e-5)


def test_early_stopping_without_validation_data_says_what_to_do():
    X, y = make_moons(20)
    net = _net()
    with pytest.raises(KeyError, match="val_data"):
        fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 2,
            callbacks=[EarlyStopping()], progress=False)


def test_callbacks_are_called_in_order():
    calls = []

    class Spy(Callback):
        def on_train_begin(self, model, history):
            calls.append("begin")

        def on_epoch_end(self, model, history):
            calls.append(len(history))
            return len(history) == 2

        def on_train_end(self, model, history):
            calls.append("end")

    X, y = make_moons(20)
    net = _net()
    fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 5, callbacks=[Spy()],
        progress=False)
    assert calls == ["begin", 1, 2, "end"]


@pytest.mark.parametrize("X, y, net, message", [
    (torch.randn(8, 2, dtype=torch.float64), torch.zeros(8, dtype=torch.long), nn.Linear(2, 2), "float64.*X.float"),
    (torch.randn(8, 2), torch.randn(8), nn.Linear(2, 1), r"shape \(8, 1\) but y has shape \(8,\)"),
    (torch.randn(8, 2), torch.full((8,), 3), nn.Linear(2, 3), r"labels must be in 0..2.*from 3 to 3"),
])
def test_first_batch_mistakes_get_clear_errors(X, y, net, message):
    loss = nn.CrossEntropyLoss() if not y.is_floating_point() else nn.MSELoss()
    with pytest.raises((TypeError, ValueError), match=message):
        fit(net, (X, y), loss, torch.optim.SGD(net.parameters(), lr=0.1), 1, progress=False)


def test_bad_training_data_type():
    net = nn.Linear(1, 1)
    with pytest.raises(TypeError, match=r"\(X, y\) pair"):
        fit(net, 42, nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=0.1), 1, progress=False)


def test_evaluate_and_predict_restore_mode():
    net = nn.Sequential(nn.Linear(2, 4), nn.Dropout(0.5), nn.Linear(4, 2)).train()
    X, y = make_moons(30)
    scores = evaluate(net, TensorLoader(X, y, batch_size=7, shuffle=False), nn.CrossEntropyLoss(), [accuracy])
    assert set(scores) == {"loss", "accuracy"} and net.training
    out1, out2 = predict(net, X), predict(net, X)
    assert torch.equal(out1, out2) and net.training and out1.shape == (30, 2)


def test_history_plot_and_repr():
    h = History()
    assert repr(h) == "History(0 epochs)" and h.keys() == []
    h.append({"epoch": 1, "train_loss": 1.0, "val_loss": 2.0})
    assert h["val_loss"] == [2.0] and "train_loss=1.0000" in repr(h)


def test_progress_bar_runs(capsys):
    X, y = make_moons(20)
    net = _net()
    fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1), 3, progress=True)
    assert "fit" in capsys.readouterr().err
