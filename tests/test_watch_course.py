"""dlstudy.watch stays silent on every correct training loop of the course (chapters 03, 04, 06, 08, 09, 11 and
their solutions), reproduced here with the chapters' data, models and hyperparameters."""

import math

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlstudy.data import TensorLoader, load_breast_cancer, load_digits, make_linear, make_xor, train_val_test_split
from dlstudy.demos.optimizer_race import SURFACES
from dlstudy.demos.schedules import digits_data, make_digits_net
from dlstudy.device import set_seed
from dlstudy.train import fit
from dlstudy.watch import watch

LOOPS = {}


def loop(name):
    def register(fn):
        LOOPS[name] = fn
        return fn
    return register


# ---- chapter 03 ----------------------------------------------------------------------------------------------------
X4 = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TRUTH = {"AND": torch.tensor([0.0, 0.0, 0.0, 1.0]), "OR": torch.tensor([0.0, 1.0, 1.0, 1.0]),
         "XOR": torch.tensor([0.0, 1.0, 1.0, 0.0])}


class Perceptron(nn.Module):
    def __init__(self, input_size=2):
        super().__init__()
        self.linear = nn.Linear(input_size, 1)

    def forward(self, x):
        return self.linear(x)


class XORNet(nn.Module):
    def __init__(self, input_size=2, hidden_size=4, output_size=1):
        super().__init__()
        self.hidden, self.activation = nn.Linear(input_size, hidden_size), nn.Tanh()
        self.output = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        return self.output(self.activation(self.hidden(x)))


def gate_data(gate, n=200, noise=0.1, seed=2):
    X, _ = make_xor(n, noise=noise, seed=seed)
    return X, TRUTH[gate][torch.arange(n) % 4].reshape(-1, 1)


@loop("03 one step, slowly")
def ch03_one_step():
    set_seed(0)
    perceptron = Perceptron()
    optimizer, bce = torch.optim.SGD(perceptron.parameters(), lr=1.0), nn.BCEWithLogitsLoss()
    with watch(perceptron, optimizer, bce, report=False) as w:
        loss = bce(perceptron(X4), TRUTH["AND"].reshape(-1, 1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return w


def ch03_train(net, X, y, lr=1.0, num_epochs=300):
    optimizer, loss_fn = torch.optim.SGD(net.parameters(), lr=lr), nn.BCEWithLogitsLoss()
    with watch(net, optimizer, loss_fn, report=False) as w:
        net.train()
        losses = []
        for epoch in range(num_epochs):
            y_hat = net(X)
            loss = loss_fn(y_hat, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        with torch.no_grad():
            net.eval()
            (net(X) > 0).float().eq(y).float().mean().item()
    return w


for _gate in ["AND", "OR", "XOR"]:
    loop(f"03 train a perceptron on {_gate}")(
        lambda gate=_gate: (set_seed(0), ch03_train(Perceptron(), *gate_data(gate)))[1])
loop("03 train XORNet")(lambda: (set_seed(0), ch03_train(XORNet(hidden_size=4), *gate_data("XOR")))[1])
loop("03 solution train_xor")(lambda: (set_seed(0), ch03_train(XORNet(hidden_size=4), X4, TRUTH["XOR"].reshape(-1, 1)))[1])


@loop("03 fifty perceptrons per learning rate")
def ch03_sweep():
    y_xor4, per_run_bce, watches = TRUTH["XOR"].reshape(-1, 1), nn.BCEWithLogitsLoss(reduction="none"), []
    for lr_try in [0.01, 0.1, 1.0, 10.0]:
        set_seed(0)
        many = nn.Linear(2, 50)
        optimizer = torch.optim.SGD(many.parameters(), lr=lr_try)
        with watch(many, optimizer, per_run_bce, report=False) as w:
            for epoch in range(200):
                run_losses = per_run_bce(many(X4), y_xor4.expand(-1, 50)).mean(dim=0)
                optimizer.zero_grad()
                run_losses.sum().backward()
                optimizer.step()
        watches.append(w)
    return watches


# ---- chapter 04 ----------------------------------------------------------------------------------------------------
def zero_line():
    net = nn.Linear(1, 1)
    with torch.no_grad():
        net.weight.zero_()
        net.bias.zero_()
    return net


@loop("04 torch.optim.SGD on the line")
def ch04_line():
    X, y = make_linear(100, w=(2.0,), b=1.0, noise=0.5, seed=0)
    net, loss_fn = zero_line(), nn.MSELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    with watch(net, optimizer, loss_fn, report=False) as w:
        for _ in range(100):
            loss = loss_fn(net(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return w


@loop("04 batch, stochastic and mini-batch")
def ch04_train_line():
    X, y = make_linear(100, w=(2.0,), b=1.0, noise=0.5, seed=0)
    watches = []
    for batch_size in (len(X), 1, 10):
        net, loss_fn = zero_line(), nn.MSELoss()
        optimizer = torch.optim.SGD(net.parameters(), lr=0.02)
        loader = TensorLoader(X, y, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(0))
        cost_per_update, path = [], []
        with watch(net, optimizer, loss_fn, report=False) as w:
            for epoch in range(10):
                for X_batch, y_batch in loader:
                    loss = loss_fn(net(X_batch), y_batch)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    with torch.no_grad():
                        cost_per_update.append(loss_fn(net(X), y).item())
                    path.append((net.weight.item(), net.bias.item()))
        watches.append(w)
    return watches


@loop("04 MSE, MAE and Huber with an outlier")
def ch04_fit_line():
    X, y = make_linear(30, w=(2.0,), b=1.0, noise=0.5, seed=1)
    y[int(X[:, 0].argmax())] += 40.0
    watches = []
    for loss_fn in (nn.MSELoss(), nn.L1Loss(), nn.HuberLoss(delta=1.0)):
        net = zero_line()
        optimizer = torch.optim.Adam(net.parameters(), lr=0.1)
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=600)
        with watch(net, optimizer, loss_fn, report=False) as w:
            for _ in range(600):
                loss = loss_fn(net(X), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                schedule.step()
        watches.append(w)
    return watches


@loop("04 MyModel on diabetes with fit")
def ch04_mymodel():
    from dlstudy.data import load_diabetes
    data = load_diabetes()
    split = train_val_test_split(data.X, data.y, standardize=True, seed=0)
    X, y = split.train
    y = (y - y.mean()) / y.std()
    set_seed(0)
    net = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 1))
    optimizer, loss_fn = torch.optim.Adam(net.parameters(), lr=0.01), nn.MSELoss()
    with watch(net, optimizer, loss_fn, report=False) as w:
        fit(net, (X, y.reshape(-1, 1)), loss_fn, optimizer, 30, batch_size=32, progress=False)
    return w


# ---- chapter 06 ----------------------------------------------------------------------------------------------------
class CancerNet(nn.Module):
    def __init__(self, num_features=30, hidden_size=32, dropout=0.2):
        super().__init__()
        self.hidden, self.drop, self.out = nn.Linear(num_features, hidden_size), nn.Dropout(dropout), nn.Linear(hidden_size, 2)

    def forward(self, x):
        return self.out(self.drop(torch.relu(self.hidden(x))))


def cancer():
    data = load_breast_cancer()
    split = train_val_test_split(data.X, data.y, val_size=0.15, test_size=0.15, seed=0)
    (X_train, y_train), (X_val, y_val) = split.train, split.val
    mu, sigma = X_train.mean(0), X_train.std(0, unbiased=False)
    return TensorDataset((X_train - mu) / sigma, y_train), TensorDataset((X_val - mu) / sigma, y_val)


def evaluate_by_hand(model, loader, loss_fn):
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            y_hat = model(X)
            total_loss += loss_fn(y_hat, y).item() * len(y)
            correct += (y_hat.argmax(dim=1) == y).sum().item()
            seen += len(y)
    return total_loss / seen, correct / seen


@loop("06 train_by_hand with evaluation")
def ch06_train_by_hand():
    train_ds, val_ds = cancer()
    set_seed(0)
    model = CancerNet()
    optimizer, loss_fn = torch.optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss()
    train_loader, val_loader = DataLoader(train_ds, batch_size=64, shuffle=True), DataLoader(val_ds, batch_size=128)
    record = {"train_loss": [], "val_loss": []}
    with watch(model, optimizer, loss_fn, report=False) as w:
        for epoch in range(20):
            model.train()
            total_loss, seen = 0.0, 0
            for X, y in train_loader:
                optimizer.zero_grad()
                y_hat = model(X)
                loss = loss_fn(y_hat, y)
                loss.backward()
                optimizer.step()
                total_loss += loss.item() * len(y)
                seen += len(y)
            record["train_loss"].append(total_loss / seen)
            record["val_loss"].append(evaluate_by_hand(model, val_loader, loss_fn)[0])
    return w


@loop("06 solution train_one_epoch")
def ch06_solution():
    train_ds, _ = cancer()
    set_seed(0)
    model = CancerNet()
    optimizer, loss_fn = torch.optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss()
    loader = DataLoader(train_ds, batch_size=64, shuffle=True)
    with watch(model, optimizer, loss_fn, report=False) as w:
        for epoch in range(5):
            model.train()
            total_loss, seen = 0.0, 0
            for X, y in loader:
                optimizer.zero_grad()
                loss = loss_fn(model(X), y)
                loss.backward()
                optimizer.step()
                total_loss += loss.item() * len(y)
                seen += len(y)
    return w


@loop("06 fit with validation")
def ch06_fit():
    train_ds, val_ds = cancer()
    set_seed(0)
    model = CancerNet()
    optimizer, loss_fn = torch.optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss()
    with watch(model, optimizer, loss_fn, report=False) as w:
        fit(model, DataLoader(train_ds, batch_size=64, shuffle=True), loss_fn, optimizer, 20,
            val_data=DataLoader(val_ds, batch_size=128), progress=False)
    return w


# ---- chapter 08 ----------------------------------------------------------------------------------------------------
@loop("08 torch.optim on the parabola")
def ch08_parabola():
    w = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1)
    with watch(None, optimizer, report=False) as watcher:
        for step in range(30):
            loss = (w - 3) ** 2
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return watcher


@loop("08 descend_with_torch on the bowl, every optimizer")
def ch08_descend():
    bowl, start = SURFACES["bowl"].fn, SURFACES["bowl"].start
    makers = [lambda ps: torch.optim.SGD(ps, lr=0.01), lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9),
              lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True),
              lambda ps: torch.optim.Adagrad(ps, lr=0.5), lambda ps: torch.optim.RMSprop(ps, lr=0.01),
              lambda ps: torch.optim.Adam(ps, lr=0.1)]
    watches = []
    for make in makers:
        p = torch.tensor(start, dtype=torch.float64).requires_grad_(True)
        optimizer = make([p])
        with watch(None, optimizer, report=False) as w:
            for _ in range(200):
                loss = bowl(p[0], p[1])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        watches.append(w)
    return watches


@loop("08 the digits MLP with each optimizer (fit)")
def ch08_digits():
    data = load_digits()
    split = train_val_test_split(data.X, data.y, seed=0)
    (X_train, y_train), (X_val, y_val) = split.train, split.val
    chosen = {"sgd": (torch.optim.SGD, 0.1), "momentum": (lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9), 0.1),
              "adam": (torch.optim.Adam, 0.001), "rmsprop": (torch.optim.RMSprop, 0.001),
              "adagrad": (torch.optim.Adagrad, 0.1)}
    watches = []
    for make, lr in chosen.values():
        set_seed(0)
        net = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
        loader = TensorLoader(X_train, y_train, batch_size=128, generator=torch.Generator().manual_seed(0))
        optimizer, loss_fn = make(net.parameters(), lr=lr), nn.CrossEntropyLoss()
        with watch(net, optimizer, loss_fn, report=False) as w:
            fit(net, loader, loss_fn, optimizer, 10, val_data=(X_val, y_val), progress=False)
        watches.append(w)
    return watches


# ---- chapter 09 ----------------------------------------------------------------------------------------------------
@loop("09 L2 and L1 by autograd on a weight vector")
def ch09_penalties():
    gen = torch.Generator().manual_seed(0)
    X_lin = torch.randn(100, 20, generator=gen, dtype=torch.float64)
    w_true = torch.zeros(20, dtype=torch.float64)
    w_true[:5] = torch.tensor([3.0, -2.0, 1.5, -1.0, 0.5], dtype=torch.float64)
    y_lin = X_lin @ w_true + 0.5 * torch.randn(100, generator=gen, dtype=torch.float64)
    watches = []
    for penalty in (lambda w: 1.0 / 2 * (w ** 2).sum(), lambda w: 0.1 * w.abs().sum()):
        w = torch.zeros(20, dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=0.3)
        with watch(None, optimizer, report=False) as watcher:
            for _ in range(500):
                loss = ((X_lin @ w - y_lin) ** 2).mean() / 2 + penalty(w)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        watches.append(watcher)
    return watches


@loop("09 weight decay vs L2 in the loss")
def ch09_weight_decay():
    data = load_digits()
    X_train, y_train = train_val_test_split(data.X, data.y, seed=0).train
    X, y = X_train[:256], y_train[:256]
    loss_fn, watches = nn.CrossEntropyLoss(), []
    for make, penalty in ((lambda ps: torch.optim.SGD(ps, lr=0.5, weight_decay=0.01), 0.0),
                          (lambda ps: torch.optim.SGD(ps, lr=0.5), 0.01), (lambda ps: torch.optim.SGD(ps, lr=0.5), 0.0)):
        set_seed(0)
        model = nn.Linear(64, 10)
        optimizer = make(model.parameters())
        with watch(model, optimizer, loss_fn, report=False) as w:
            for _ in range(30):
                loss = loss_fn(model(X), y) + penalty / 2 * sum((p ** 2).sum() for p in model.parameters())
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        watches.append(w)
    return watches


@loop("09 the small MLP, with and without dropout (fit, full batch, Adam)")
def ch09_small():
    data = load_digits()
    split = train_val_test_split(data.X, data.y, seed=0)
    (X_train, y_train), (X_val, y_val) = split.train, split.val
    watches = []
    for p in (0.0, 0.5):
        set_seed(0)
        net = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(p), nn.Linear(256, 256), nn.ReLU(),
                            nn.Dropout(p), nn.Linear(256, 10))
        optimizer, loss_fn = torch.optim.Adam(net.parameters(), lr=1e-3), nn.CrossEntropyLoss()
        with watch(net, optimizer, loss_fn, report=False) as w:
            fit(net, (X_train[:100], y_train[:100]), loss_fn, optimizer, 100, val_data=(X_val, y_val), progress=False)
        watches.append(w)
    return watches


@loop("09 a deep net with batch norm (fit)")
def ch09_batch_norm():
    data = load_digits()
    X_train, y_train = train_val_test_split(data.X, data.y, seed=0).train
    layers = [nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU()]
    for _ in range(4):
        layers += [nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU()]
    set_seed(0)
    net = nn.Sequential(*layers, nn.Linear(64, 10))
    optimizer, loss_fn = torch.optim.SGD(net.parameters(), lr=0.1), nn.CrossEntropyLoss()
    with watch(net, optimizer, loss_fn, report=False) as w:
        fit(net, TensorLoader(X_train, y_train, 64), loss_fn, optimizer, 5, progress=False)
    return w


# ---- chapter 11 ----------------------------------------------------------------------------------------------------
@loop("11 range test by hand")
def ch11_range_test():
    X_train, y_train, _, _ = digits_data()
    torch.manual_seed(0)
    net, loss_fn = make_digits_net(), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.0, momentum=0.9)
    torch.manual_seed(0)
    lrs, losses = [], []
    with watch(net, optimizer, loss_fn, report=False) as w:
        for step, (X, y) in enumerate(TensorLoader(X_train, y_train, 64)):
            if step == 63:
                break
            lr = 1e-4 * (1e-1 / 1e-4) ** (step / 62)
            for group in optimizer.param_groups:
                group["lr"] = lr
            loss = loss_fn(net(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            lrs.append(lr)
            losses.append(loss.item())
    return w


@loop("11 solution can_overfit (functional loss)")
def ch11_can_overfit():
    g = torch.Generator().manual_seed(11)
    X, y = torch.randn(24, 20, generator=g), torch.randint(0, 5, (24,), generator=g)
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 5))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    with watch(model, optimizer, report=False) as w:
        for _ in range(150):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(X), y)
            loss.backward()
            optimizer.step()
        assert loss.item() < 0.05
    return w


@loop("11 one-cycle schedule with fit")
def ch11_schedule():
    from dlstudy.callbacks import LRScheduler
    X_train, y_train, X_val, y_val = digits_data()
    torch.manual_seed(0)
    net, loss_fn = make_digits_net(), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    loader = TensorLoader(X_train, y_train, 64)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=3 * len(loader))
    with watch(net, optimizer, loss_fn, report=False) as w:
        fit(net, loader, loss_fn, optimizer, 3, val_data=(X_val, y_val), callbacks=[LRScheduler(scheduler)],
            progress=False)
    return w


@pytest.mark.parametrize("name", list(LOOPS))
def test_watch_is_silent_on_the_course_loops(name):
    result = LOOPS[name]()
    watches = result if isinstance(result, list) else [result]
    for w in watches:
        assert w.steps > 0, f"{name}: the watch saw no step"
        assert w.findings == [], f"{name}: {[str(f) for f in w.findings]}"
