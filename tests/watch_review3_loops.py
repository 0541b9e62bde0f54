"""Held-out loops for dlstudy.watch, written blind (review 3).

Each entry: name, expected (kinds that must be reported), also_ok (acceptable extra consequences),
code (defines model, optimizer, loss_fn, train()). PRELUDE is executed first in each namespace.
Expected sets were decided from the bug and the KINDS in watch_advice.py BEFORE running.
"""
import textwrap

PRELUDE = textwrap.dedent('''
import math, copy, functools
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from sklearn import datasets as skd

@functools.lru_cache(None)
def _digits():
    d = skd.load_digits()
    return torch.tensor(d.data, dtype=torch.float32), torch.tensor(d.target)

def digits():            # 1797 x 64, values 0..16, labels 0..9
    X, y = _digits(); return X.clone(), y.clone()

@functools.lru_cache(None)
def _cancer():
    d = skd.load_breast_cancer()
    return torch.tensor(d.data, dtype=torch.float32), torch.tensor(d.target, dtype=torch.float32)

def cancer():            # 569 x 30 raw features, float labels 0/1
    X, y = _cancer(); return X.clone(), y.clone()

def wine():
    d = skd.load_wine(); return torch.tensor(d.data, dtype=torch.float32), torch.tensor(d.target)

def iris():
    d = skd.load_iris(); return torch.tensor(d.data, dtype=torch.float32), torch.tensor(d.target)

def moons(n=400, seed=0):
    X, y = skd.make_moons(n, noise=0.2, random_state=seed)
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)

def standardize(X):
    return (X - X.mean(0)) / X.std(0)

def blobs(n=512, d=8, C=4, seed=0, sep=2.0):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(C, d, generator=g) * sep / math.sqrt(d) * 2
    y = torch.randint(0, C, (n,), generator=g)
    X = centers[y] + torch.randn(n, d, generator=g)
    return X, y

def regression(n=400, d=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g); w = torch.randn(d, 1, generator=g)
    return X, X @ w + 0.1 * torch.randn(n, 1, generator=g)
''')


def L(name, expected, code, also_ok=(), note=""):
    return {"name": name, "expected": set(expected), "also_ok": set(also_ok), "code": textwrap.dedent(code),
            "note": note}


DIVERGE = {"lr_high", "dead_relu"}          # consequences of steps that grow
SQUASH = {"chance_loss", "lr_low", "vanishing"}

BUGGY = [
    # ---------------------------------------------------------------- zero_grad
    L("zg_missing_dataloader_sgd", {"zero_grad"}, '''
        torch.manual_seed(1)
        X, y = blobs()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for xb, yb in loader:
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        ''', DIVERGE),
    L("zg_missing_custom_adam_slicing", {"zero_grad"}, '''
        torch.manual_seed(2)
        X, y = cancer(); X = standardize(X)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.hidden = nn.Linear(30, 16)
                self.out = nn.Linear(16, 1)
            def forward(self, x):
                return self.out(torch.relu(self.hidden(x)))
        model = Net()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(10):
                perm = torch.randperm(len(X))
                for i in range(0, len(X), 64):
                    idx = perm[i:i + 64]
                    loss = loss_fn(model(X[idx]).squeeze(1), y[idx])
                    loss.backward()
                    optimizer.step()
        ''', DIVERGE),
    L("zg_once_before_loop", {"zero_grad"}, '''
        torch.manual_seed(3)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        def train():
            optimizer.zero_grad()          # once, before everything
            for epoch in range(5):
                for i in range(0, 400, 20):
                    loss = loss_fn(model(X[i:i+20]), y[i:i+20])
                    loss.backward()
                    optimizer.step()
        ''', DIVERGE | {"nonfinite_input"}, note="nonfinite only acceptable if diverged... judged by hand"),
    L("zg_once_per_epoch", {"zero_grad"}, '''
        torch.manual_seed(4)
        X, y = digits(); X = X / 16
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                optimizer.zero_grad()      # per epoch, not per batch
                for xb, yb in loader:
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        ''', DIVERGE),
    L("zg_cnn_rmsprop", {"zero_grad"}, '''
        torch.manual_seed(5)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(8 * 16, 10))
        optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    y_hat = model(xb)
                    loss = loss_fn(y_hat, yb)
                    loss.backward()
                    optimizer.step()
        ''', DIVERGE),
    L("zg_while_fullbatch_bce", {"zero_grad"}, '''
        torch.manual_seed(6)
        X, y = moons()
        model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            step = 0
            while step < 40:
                loss = loss_fn(model(X).squeeze(-1), y)
                loss.backward()
                optimizer.step()
                step += 1
        ''', DIVERGE),
    L("zg_functional_loss_in_loop", {"zero_grad"}, '''
        torch.manual_seed(7)
        X, y = blobs(C=3)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.02)
        loss_fn = nn.CrossEntropyLoss()         # given to watch, but the loop uses F.cross_entropy
        def train():
            for epoch in range(4):
                for i in range(0, 512, 32):
                    loss = F.cross_entropy(model(X[i:i+32]), y[i:i+32])
                    loss.backward()
                    optimizer.step()
        ''', DIVERGE),
    L("zg_clears_the_other_optimizer", {"zero_grad"}, '''
        torch.manual_seed(8)
        X, y = regression(d=4)
        old_model = nn.Linear(4, 1)
        old_opt = torch.optim.SGD(old_model.parameters(), lr=0.1)    # left over from an earlier cell
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 40):
                    old_opt.zero_grad()                               # wrong optimizer
                    loss = loss_fn(model(X[i:i+40]), y[i:i+40])
                    loss.backward()
                    optimizer.step()
        ''', DIVERGE),
    L("zg_batch_size_1", {"zero_grad"}, '''
        torch.manual_seed(9)
        X, y = iris(); X = standardize(X)
        perm = torch.randperm(150)[:60]; X, y = X[perm], y[perm]
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for i in range(60):
                    loss = loss_fn(model(X[i:i+1]), y[i:i+1])
                    loss.backward()
                    optimizer.step()
        ''', DIVERGE),
    L("zg_every_10_steps_only", {"zero_grad"}, '''
        torch.manual_seed(10)
        X, y = blobs(n=640)
        loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            step = 0
            for epoch in range(3):
                for xb, yb in loader:
                    if step % 10 == 0:
                        optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                    step += 1
        ''', DIVERGE),

    # ---------------------------------------------------------------- order
    L("order_step_before_backward", {"order"}, '''
        torch.manual_seed(11)
        X, y = blobs()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    optimizer.step()
                    loss.backward()
        ''', {"unchanged"}),
    L("order_zero_grad_between", {"order"}, '''
        torch.manual_seed(12)
        X, y = cancer(); X = standardize(X)
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(4):
                for xb, yb in loader:
                    loss = loss_fn(model(xb).squeeze(1), yb)
                    loss.backward()
                    optimizer.zero_grad()
                    optimizer.step()
        ''', {"unchanged"}),
    L("order_while_rmsprop_model_zero_grad_between", {"order"}, '''
        torch.manual_seed(13)
        X, y = regression(d=5)
        model = nn.Sequential(nn.Linear(5, 10), nn.ReLU(), nn.Linear(10, 1))
        optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()
        def train():
            i = 0
            while i < 60:
                s = (i * 25) % 400
                loss = loss_fn(model(X[s:s+25]), y[s:s+25])
                loss.backward()
                model.zero_grad()
                optimizer.step()
                i += 1
        ''', {"unchanged"}),
    L("order_cnn_step_first", {"order"}, '''
        torch.manual_seed(14)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        loader = DataLoader(TensorDataset(X, y), batch_size=128, shuffle=True)
        class CNN(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 6, 3)
                self.fc = nn.Linear(6 * 6 * 6, 10)
            def forward(self, x):
                return self.fc(torch.flatten(F.relu(self.conv(x)), 1))
        model = CNN()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    optimizer.step()
                    loss_fn(model(xb), yb).backward()
        ''', {"unchanged"}),

    # ---------------------------------------------------------------- no step
    L("nostep_forgot_step", {"no_step"}, '''
        torch.manual_seed(15)
        X, y = blobs()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
        ''', {"unchanged", "chance_loss"}),
    L("nostep_new_optimizer_each_step", {"no_step"}, '''
        torch.manual_seed(16)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 50):
                    opt = torch.optim.Adam(model.parameters(), lr=1e-2)   # a new one every step
                    opt.zero_grad()
                    loss = loss_fn(model(X[i:i+50]), y[i:i+50])
                    loss.backward()
                    opt.step()
        '''),
    L("nostep_scheduler_only", {"no_step"}, '''
        torch.manual_seed(17)
        import warnings; warnings.filterwarnings("ignore")
        X, y = blobs(C=3)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(4):
                for i in range(0, 512, 64):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+64]), y[i:i+64])
                    loss.backward()
                scheduler.step()
        ''', {"unchanged"}),

    # ---------------------------------------------------------------- optimizer / frozen / unchanged
    L("notopt_other_instance", {"not_optimized"}, '''
        torch.manual_seed(18)
        X, y = blobs()
        def make():
            return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        model = make()
        optimizer = torch.optim.SGD(make().parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+32]), y[i:i+32])
                    loss.backward()
                    optimizer.step()
        ''', {"unchanged"}),
    L("notopt_model_recreated_after_optimizer", {"not_optimized"}, '''
        torch.manual_seed(19)
        X, y = cancer(); X = standardize(X)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.net = nn.Sequential(nn.Linear(30, 8), nn.ReLU(), nn.Linear(8, 1))
            def forward(self, x):
                return self.net(x).squeeze(-1)
        model = Net()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        model = Net()                 # the cell that builds the model was run again
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 569, 64):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+64]), y[i:i+64])
                    loss.backward()
                    optimizer.step()
        ''', {"unchanged"}),
    L("notopt_head_replaced_after_optimizer", {"not_optimized"}, '''
        torch.manual_seed(20)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 5))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        model[2] = nn.Linear(32, 10)          # oops, 10 classes: replaced the head after building the optimizer
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        '''),
    L("notopt_submodule_only", {"not_optimized"}, '''
        torch.manual_seed(21)
        X, y = blobs()
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.features = nn.Sequential(nn.Linear(8, 32), nn.ReLU())
                self.classifier = nn.Linear(32, 4)
            def forward(self, x):
                return self.classifier(self.features(x))
        model = Net()
        optimizer = torch.optim.SGD(model.features.parameters(), lr=0.05)   # meant model.parameters()
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+32]), y[i:i+32])
                    loss.backward()
                    optimizer.step()
        '''),
    L("notopt_all_frozen_with_extra_param", {"not_optimized"}, '''
        torch.manual_seed(22)
        X, y = blobs(C=3)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
        for p in model.parameters():
            p.requires_grad = False          # meant to freeze only the first layer
        temperature = nn.Parameter(torch.ones(()))
        optimizer = torch.optim.SGD([temperature], lr=0.01)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 64):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+64]) / temperature, y[i:i+64])
                    loss.backward()
                    optimizer.step()
        '''),
    L("notopt_deepcopy_after_optimizer", {"not_optimized"}, '''
        torch.manual_seed(23)
        X, y = regression()
        base = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(base.parameters(), lr=0.01)
        model = copy.deepcopy(base)            # "keep the original safe" -- but the optimizer holds base
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+40]), y[i:i+40])
                    loss.backward()
                    optimizer.step()
        ''', {"unchanged"}),
    L("unchanged_lr_zero", {"unchanged"}, '''
        torch.manual_seed(24)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+32]), y[i:i+32])
                    loss.backward()
                    optimizer.step()
        ''', {"lr_low", "chance_loss"}),

    # ---------------------------------------------------------------- softmax / sigmoid before the loss
    L("softmax_sequential_ce", {"softmax"}, '''
        torch.manual_seed(25)
        X, y = digits(); X = X / 16
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10), nn.Softmax(dim=1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        ''', SQUASH),
    L("softmax_custom_forward_adam", {"softmax"}, '''
        torch.manual_seed(26)
        X, y = blobs()
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(8, 16), nn.Linear(16, 4)
            def forward(self, x):
                return F.softmax(self.fc2(F.relu(self.fc1(x))), dim=-1)
        model = Net()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[idx]), y[idx])
                    loss.backward()
                    optimizer.step()
        ''', SQUASH),
    L("sigmoid_sequential_bcewithlogits", {"softmax"}, '''
        torch.manual_seed(27)
        X, y = moons()
        loader = DataLoader(TensorDataset(X, y.unsqueeze(1)), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        ''', SQUASH),
    L("sigmoid_in_forward_bcewithlogits_cancer", {"softmax"}, '''
        torch.manual_seed(28)
        X, y = cancer(); X = standardize(X)
        class Logistic(nn.Module):
            def __init__(self):
                super().__init__()
                self.linear = nn.Linear(30, 1)
            def forward(self, x):
                return torch.sigmoid(self.linear(x)).squeeze(1)
        model = Logistic()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(10):
                for i in range(0, 569, 57):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+57]), y[i:i+57])
                    loss.backward()
                    optimizer.step()
        ''', SQUASH),
    L("softmax_before_nllloss", {"softmax"}, '''
        torch.manual_seed(29)
        X, y = iris(); X = standardize(X)
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3), nn.Softmax(dim=1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.NLLLoss()
        def train():
            for epoch in range(20):
                perm = torch.randperm(150)
                for i in range(0, 150, 30):
                    idx = perm[i:i+30]
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[idx]), y[idx])
                    loss.backward()
                    optimizer.step()
        ''', SQUASH | {"log_softmax"}),
    L("softmax_cnn", {"softmax"}, '''
        torch.manual_seed(30)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        loader = DataLoader(TensorDataset(X, y), batch_size=100, shuffle=True)
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(128, 10), nn.Softmax(dim=1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        ''', SQUASH),
    L("softmax_applied_in_loop", {"softmax"}, '''
        torch.manual_seed(31)
        X, y = wine(); X = standardize(X)
        model = nn.Sequential(nn.Linear(13, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(10):
                perm = torch.randperm(len(X))
                for i in range(0, len(X), 16):
                    idx = perm[i:i+16]
                    optimizer.zero_grad()
                    probs = torch.softmax(model(X[idx]), dim=1)
                    loss = loss_fn(probs, y[idx])
                    loss.backward()
                    optimizer.step()
        ''', SQUASH),
    L("softmax_two_classes", {"softmax"}, '''
        torch.manual_seed(32)
        X, y = moons(); y = y.long()
        model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2), nn.Softmax(dim=-1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(30):
                perm = torch.randperm(400)
                for i in range(0, 400, 100):
                    idx = perm[i:i+100]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        ''', SQUASH),
    L("nllloss_raw_logits", {"log_softmax"}, '''
        torch.manual_seed(33)
        X, y = blobs(C=3)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.NLLLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 512, 64):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+64]), y[i:i+64])
                    loss.backward()
                    optimizer.step()
        ''', {"lr_high"}),
    L("softmax_but_loop_uses_functional_ce", {"softmax"}, '''
        torch.manual_seed(34)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4), nn.Softmax(dim=1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()          # passed to watch; the loop calls F.cross_entropy
        def train():
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss = F.cross_entropy(model(X[i:i+32]), y[i:i+32])
                    loss.backward()
                    optimizer.step()
        ''', SQUASH, note="watch cannot see the loss inputs: a design limit (docs say use the module)"),

    # ---------------------------------------------------------------- eval mode while training
    L("evalmode_before_training_dropout", {"eval_mode"}, '''
        torch.manual_seed(35)
        X, y = blobs()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            model.eval()
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        '''),
    L("evalmode_after_validation_10x8", {"eval_mode"}, '''
        torch.manual_seed(36)
        X, y = blobs(n=320)
        Xv, yv = blobs(n=100, seed=9)
        loader = DataLoader(TensorDataset(X, y), batch_size=40, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            model.train()
            for epoch in range(10):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    acc = (model(Xv).argmax(1) == yv).float().mean().item()
                # forgot model.train()
        '''),
    L("evalmode_after_validation_5x10", {"eval_mode"}, '''
        torch.manual_seed(37)
        X, y = blobs(n=500)
        Xv, yv = blobs(n=100, seed=9)
        loader = DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            model.train()
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    val_loss = loss_fn(model(Xv), yv).item()
        ''', note="4 of 5 epochs trained in eval mode"),
    L("evalmode_batchnorm", {"eval_mode"}, '''
        torch.manual_seed(38)
        X, y = cancer(); X = standardize(X)
        model = nn.Sequential(nn.Linear(30, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            model.train(False)
            for epoch in range(5):
                perm = torch.randperm(569)
                for i in range(0, 569, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[idx]).squeeze(1), y[idx])
                    loss.backward()
                    optimizer.step()
        '''),
    L("evalmode_cnn_after_val_20_epochs", {"eval_mode"}, '''
        torch.manual_seed(39)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        Xt, yt, Xv, yv = X[:600], y[:600], X[600:800], y[600:800]
        loader = DataLoader(TensorDataset(Xt, yt), batch_size=100, shuffle=True)
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(),
                              nn.Dropout(0.2), nn.Linear(8 * 64, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(20):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    acc = (model(Xv).argmax(1) == yv).float().mean()
        '''),

    # ---------------------------------------------------------------- train mode while evaluating
    L("trainmode_eval_dropout_each_epoch", {"train_mode"}, '''
        torch.manual_seed(40)
        X, y = blobs()
        Xv, yv = blobs(n=128, seed=5)
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                model.train()
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                with torch.no_grad():                   # no model.eval()
                    acc = (model(Xv).argmax(1) == yv).float().mean()
        '''),
    L("trainmode_eval_batchnorm_end", {"train_mode"}, '''
        torch.manual_seed(41)
        X, y = cancer(); X = standardize(X)
        model = nn.Sequential(nn.Linear(30, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 64):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+64]).squeeze(1), y[i:i+64]).backward()
                    optimizer.step()
            with torch.no_grad():
                acc = ((model(X[512:]).squeeze(1) > 0).float() == y[512:]).float().mean()
        '''),
    L("trainmode_inference_mode", {"train_mode"}, '''
        torch.manual_seed(42)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.4), nn.Linear(64, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 1500, 100):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+100]), y[i:i+100]).backward()
                    optimizer.step()
                with torch.inference_mode():
                    acc = (model(X[1500:]).argmax(1) == y[1500:]).float().mean()
        '''),
    L("trainmode_train_called_before_eval", {"train_mode"}, '''
        torch.manual_seed(43)
        X, y = blobs(C=3)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def evaluate(m, Xe, ye):
            m.train()                      # wrong call
            with torch.no_grad():
                return (m(Xe).argmax(1) == ye).float().mean().item()
        def train():
            for epoch in range(4):
                model.train()
                for i in range(0, 448, 64):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+64]), y[i:i+64]).backward()
                    optimizer.step()
                evaluate(model, X[448:], y[448:])
        '''),

    # ---------------------------------------------------------------- graph kept by a running total
    L("graph_total_plus_equals_loss", {"graph_kept"}, '''
        torch.manual_seed(44)
        X, y = blobs()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                total = 0
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                    total += loss
        '''),
    L("graph_list_of_losses", {"graph_kept"}, '''
        torch.manual_seed(45)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.MSELoss()
        history = []
        def train():
            for epoch in range(5):
                for i in range(0, 400, 25):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+25]), y[i:i+25])
                    loss.backward()
                    optimizer.step()
                    history.append(loss)
        '''),
    L("graph_weighted_running_sum", {"graph_kept"}, '''
        torch.manual_seed(46)
        X, y = digits(); X = X / 16
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                running = 0.0
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                    running = running + loss * xb.size(0)
                epoch_loss = running / len(loader.dataset)
        '''),
    L("graph_while_history_append", {"graph_kept"}, '''
        torch.manual_seed(47)
        X, y = moons()
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            losses, step = [], 0
            while step < 100:
                idx = torch.randint(0, 400, (32,))
                optimizer.zero_grad()
                loss = loss_fn(model(X[idx]).squeeze(1), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss)
                step += 1
        '''),

    # ---------------------------------------------------------------- inputs not standardized
    L("scale_255_images_cnn", {"input_scale"}, '''
        torch.manual_seed(48)
        X, y = digits(); X = (X * 255 / 16).round().reshape(-1, 1, 8, 8)     # pixels 0..255
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 64, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        ''', DIVERGE),
    L("scale_cancer_raw_logistic", {"input_scale"}, '''
        torch.manual_seed(49)
        X, y = cancer()                                   # raw: area ~ 1000, smoothness ~ 0.1
        model = nn.Linear(30, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(10):
                perm = torch.randperm(569)
                for i in range(0, 569, 64):
                    idx = perm[i:i+64]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]).squeeze(1), y[idx]).backward()
                    optimizer.step()
        ''', DIVERGE | {"lr_low"}),
    L("scale_features_1000x_apart_small", {"input_scale"}, '''
        torch.manual_seed(50)
        g = torch.Generator().manual_seed(50)
        Z = torch.randn(500, 4, generator=g)
        X = Z * torch.tensor([0.001, 0.002, 1.0, 2.0])    # two features in metres, two in millimetres... 1000x apart
        y = (Z @ torch.tensor([1.0, -1.0, 1.0, 0.5]) > 0).float()
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 500, 50):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+50]).squeeze(1), y[i:i+50]).backward()
                    optimizer.step()
        ''', DIVERGE, note="half the features tiny: max/median ratio"),
    L("scale_age_income_regression", {"input_scale"}, '''
        torch.manual_seed(51)
        g = torch.Generator().manual_seed(51)
        age = 20 + 50 * torch.rand(400, 1, generator=g)
        income = 20000 + 80000 * torch.rand(400, 1, generator=g)
        X = torch.cat([age, income], 1)
        y = (0.02 * (age - 45) + (income - 60000) / 40000 + 0.1 * torch.randn(400, 1, generator=g))
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        ''', DIVERGE),
    L("scale_255_mlp_flattened", {"input_scale"}, '''
        torch.manual_seed(52)
        X, y = digits(); X = X * 16                         # 0..256 "pixels"
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', DIVERGE),
    L("scale_wine_raw", {"input_scale"}, '''
        torch.manual_seed(53)
        X, y = wine()                                       # proline ~ 750, hue ~ 1
        model = nn.Sequential(nn.Linear(13, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(20):
                perm = torch.randperm(178)
                for i in range(0, 178, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        ''', DIVERGE),
    L("scale_one_feature_in_grams", {"input_scale"}, '''
        torch.manual_seed(54)
        X, y = regression(d=6)
        X = X.clone(); X[:, 0] = X[:, 0] * 1000                # one feature 1000x the others
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
                    optimizer.step()
        ''', DIVERGE | {"lr_low"}),

    # ---------------------------------------------------------------- constant features
    L("constant_column_of_ones", {"constant_input"}, '''
        torch.manual_seed(55)
        X, y = blobs()
        X = X.clone(); X[:, 3] = 1.0                          # overwritten column
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("constant_column_of_zeros_tabular", {"constant_input"}, '''
        torch.manual_seed(56)
        X, y = cancer(); X = standardize(X)
        X[:, 5] = 0.0                                          # a column lost upstream
        model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(569)
                for i in range(0, 569, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]).squeeze(1), y[idx]).backward()
                    optimizer.step()
        ''', note="0.0 is treated as image background"),
    L("constant_every_row_same_sample", {"constant_input"}, '''
        torch.manual_seed(57)
        X, y = regression()
        X = X[0].repeat(400, 1)                                # bug: X[0] instead of X
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
                    optimizer.step()
        '''),
    L("constant_feature_regression_value", {"constant_input"}, '''
        torch.manual_seed(58)
        X, y = regression(d=5)
        X = torch.cat([X, torch.full((400, 1), 3.7)], 1)        # a "year" column that is the same everywhere
        model = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 1))
        optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
        loss_fn = nn.SmoothL1Loss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 50):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+50]), y[i:i+50]).backward()
                    optimizer.step()
        '''),

    # ---------------------------------------------------------------- NaN / Inf
    L("nan_in_one_row", {"nonfinite_input"}, '''
        torch.manual_seed(59)
        X, y = blobs()
        X = X.clone(); X[301, 2] = float("nan")
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("inf_in_features_no_shuffle", {"nonfinite_input"}, '''
        torch.manual_seed(60)
        X, y = regression()
        X = X.clone(); X[217, 0] = float("inf")
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(4):
                for i in range(0, 400, 20):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+20]), y[i:i+20]).backward()
                    optimizer.step()
        '''),
    L("nan_in_regression_targets", {"nonfinite_input"}, '''
        torch.manual_seed(61)
        X, y = regression()
        y = y.clone(); y[123] = float("nan")                     # a missing target
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(3):
                perm = torch.randperm(400)
                for i in range(0, 400, 25):
                    idx = perm[i:i+25]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        ''', note="NaN in the labels, not in X"),
    L("nan_from_zero_std_standardization", {"nonfinite_input"}, '''
        torch.manual_seed(62)
        X, y = blobs()
        X = X.clone(); X[:, 7] = 2.0
        X = (X - X.mean(0)) / X.std(0)                            # 0 / 0 in column 7
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 512, 64):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+64]), y[i:i+64]).backward()
                    optimizer.step()
        ''', {"constant_input"}),
    L("neg_inf_from_log_of_zero", {"nonfinite_input"}, '''
        torch.manual_seed(63)
        g = torch.Generator().manual_seed(63)
        counts = torch.poisson(torch.full((300, 5), 3.0), generator=g)
        y = (counts.sum(1) > 15).float()
        X = torch.log(counts)                                     # log(0) = -inf for zero counts
        model = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 300, 30):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+30]).squeeze(1), y[i:i+30]).backward()
                    optimizer.step()
        '''),

    # ---------------------------------------------------------------- labels that do not vary
    L("sorted_digits_no_shuffle", {"sorted_labels"}, '''
        torch.manual_seed(64)
        X, y = digits(); X = X / 16
        order = torch.argsort(y, stable=True); X, y = X[order], y[order]
        loader = DataLoader(TensorDataset(X, y), batch_size=32)          # shuffle defaults to False
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_high"}),
    L("sorted_blobs_manual_slices", {"sorted_labels"}, '''
        torch.manual_seed(65)
        X, y = blobs(n=600)
        order = torch.argsort(y); X, y = X[order], y[order]
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 600, 50):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+50]), y[i:i+50]).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_high"}),
    L("sorted_cancer_binary_bce", {"sorted_labels"}, '''
        torch.manual_seed(66)
        X, y = cancer(); X = standardize(X)
        order = torch.argsort(y); X, y = X[order], y[order]
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=False)
        model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(4):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb).squeeze(1), yb).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_high"}),
    L("labels_all_zero_bug", {"sorted_labels"}, '''
        torch.manual_seed(67)
        X, _ = blobs(C=3)
        y = torch.zeros(512, dtype=torch.long)                  # bug: labels never filled in
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                perm = torch.randperm(512)
                for i in range(0, 512, 64):
                    idx = perm[i:i+64]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        '''),
    L("sorted_iris_small_batches", {"sorted_labels"}, '''
        torch.manual_seed(68)
        X, y = iris(); X = standardize(X)                          # iris comes sorted by class
        loader = DataLoader(TensorDataset(X, y), batch_size=10)
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(10):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_high"}),
    L("labels_all_one_binary", {"sorted_labels"}, '''
        torch.manual_seed(69)
        X, y = moons()
        y = (y >= 0).float()                                       # bug: every label is 1
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]).squeeze(1), y[i:i+40]).backward()
                    optimizer.step()
        '''),

    # ---------------------------------------------------------------- loss stuck at ln(C)
    L("chance_labels_shuffled_apart", {"chance_loss"}, '''
        torch.manual_seed(70)
        X, y = digits(); X = X / 16
        y = y[torch.randperm(len(y))]                              # bug: shuffled y without X
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("chance_binary_random_labels", {"chance_loss"}, '''
        torch.manual_seed(71)
        g = torch.Generator().manual_seed(71)
        X = torch.randn(1000, 10, generator=g)
        y = torch.randint(0, 2, (1000,), generator=g).float()      # labels unrelated to X
        model = nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(4):
                perm = torch.randperm(1000)
                for i in range(0, 1000, 50):
                    idx = perm[i:i+50]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]).squeeze(1), y[idx]).backward()
                    optimizer.step()
        '''),

    # ---------------------------------------------------------------- learning rate
    L("lr_high_sgd_5", {"lr_high"}, '''
        torch.manual_seed(72)
        X, y = blobs()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"dead_relu"}),
    L("lr_high_adam_1", {"lr_high"}, '''
        torch.manual_seed(73)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1.0)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                perm = torch.randperm(1797)
                for i in range(0, 1797, 64):
                    idx = perm[i:i+64]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        ''', {"dead_relu"}),
    L("lr_high_regression_diverges", {"lr_high"}, '''
        torch.manual_seed(74)
        X, y = regression(d=10)
        model = nn.Linear(10, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=1.5)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(10):
                for i in range(0, 400, 100):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+100]), y[i:i+100]).backward()
                    optimizer.step()
        '''),
    L("lr_high_cnn_sgd", {"lr_high"}, '''
        torch.manual_seed(75)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 36, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=3.0)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"dead_relu"}),
    L("lr_high_rmsprop", {"lr_high"}, '''
        torch.manual_seed(76)
        X, y = cancer(); X = standardize(X)
        model = nn.Sequential(nn.Linear(30, 32), nn.Tanh(), nn.Linear(32, 1))
        optimizer = torch.optim.RMSprop(model.parameters(), lr=0.5)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(10):
                perm = torch.randperm(569)
                for i in range(0, 569, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]).squeeze(1), y[idx]).backward()
                    optimizer.step()
        '''),
    L("lr_low_sgd_1e-6", {"lr_low"}, '''
        torch.manual_seed(77)
        X, y = blobs()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"chance_loss"}),
    L("lr_low_adam_1e-7", {"lr_low"}, '''
        torch.manual_seed(78)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-7)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
                    optimizer.step()
        '''),
    L("lr_low_cnn_sgd_1e-5", {"lr_low"}, '''
        torch.manual_seed(79)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 36, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"chance_loss"}),

    # ---------------------------------------------------------------- dead ReLUs
    L("dead_relu_negative_bias_sequential", {"dead_relu"}, '''
        torch.manual_seed(80)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        nn.init.constant_(model[0].bias, -6.0)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        ''', {"chance_loss"}),
    L("dead_relu_functional_relu", {"dead_relu"}, '''
        torch.manual_seed(81)
        X, y = blobs()
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(8, 32), nn.Linear(32, 4)
                nn.init.constant_(self.fc1.bias, -6.0)
            def forward(self, x):
                return self.fc2(F.relu(self.fc1(x)))
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        ''', {"chance_loss"}, note="F.relu is not a module"),
    L("dead_relu_deep_three_layers", {"dead_relu"}, '''
        torch.manual_seed(82)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
        nn.init.constant_(model[2].bias, -8.0)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
                    optimizer.step()
        ''', note="3 weight layers: first-layer gradient is exactly 0, the vanishing rule may misfire"),
    L("dead_relu_cnn_conv_bias", {"dead_relu"}, '''
        torch.manual_seed(83)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 36, 10))
        nn.init.constant_(model[0].bias, -5.0)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"chance_loss"}),

    # ---------------------------------------------------------------- vanishing gradients
    L("vanishing_deep_sigmoid_sequential", {"vanishing"}, '''
        torch.manual_seed(84)
        X, y = blobs()
        layers = [nn.Linear(8, 32), nn.Sigmoid()]
        for _ in range(7):
            layers += [nn.Linear(32, 32), nn.Sigmoid()]
        model = nn.Sequential(*layers, nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_low"}),
    L("vanishing_modulelist_tanh_small_init", {"vanishing"}, '''
        torch.manual_seed(85)
        X, y = regression()
        class Deep(nn.Module):
            def __init__(self, depth=8):
                super().__init__()
                self.layers = nn.ModuleList([nn.Linear(6, 32)] + [nn.Linear(32, 32) for _ in range(depth)])
                self.out = nn.Linear(32, 1)
                for layer in self.layers:
                    nn.init.normal_(layer.weight, std=0.02)
            def forward(self, x):
                for layer in self.layers:
                    x = torch.tanh(layer(x))
                return self.out(x)
        model = Deep()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
                    optimizer.step()
        ''', {"lr_low", "chance_loss"}),
    L("vanishing_head_defined_first", {"vanishing"}, '''
        torch.manual_seed(86)
        X, y = blobs()
        class Deep(nn.Module):
            def __init__(self):
                super().__init__()
                self.head = nn.Linear(32, 4)                                  # defined first
                self.body = nn.Sequential(nn.Linear(8, 32), nn.Sigmoid(),
                                          *[m for _ in range(7) for m in (nn.Linear(32, 32), nn.Sigmoid())])
            def forward(self, x):
                return self.head(self.body(x))
        model = Deep()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_low"}, note="first/last by registration order"),
    L("vanishing_deep_sigmoid_adam", {"vanishing"}, '''
        torch.manual_seed(87)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 32), nn.Sigmoid(), *[m for _ in range(8) for m in (nn.Linear(32, 32), nn.Sigmoid())],
                              nn.Linear(32, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_low"}),

    # ---------------------------------------------------------------- broken graph in forward
    L("broken_detach_in_forward", {"no_grad_params"}, '''
        torch.manual_seed(88)
        X, y = blobs()
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.act, self.fc2 = nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4)
            def forward(self, x):
                h = self.act(self.fc1(x)).detach()
                return self.fc2(h)
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        '''),
    L("broken_item_in_forward", {"no_grad_params"}, '''
        torch.manual_seed(89)
        X, y = regression()
        class Scaled(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(6, 16), nn.Linear(16, 1)
                self.scale = nn.Parameter(torch.tensor(1.0))
            def forward(self, x):
                return self.fc2(torch.relu(self.fc1(x))) * self.scale.item()
        model = Scaled()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
                    optimizer.step()
        '''),
    L("broken_numpy_in_forward", {"no_grad_params"}, '''
        torch.manual_seed(90)
        X, y = cancer(); X = standardize(X)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(30, 16), nn.Linear(16, 1)
            def forward(self, x):
                h = self.fc1(x).detach().numpy()
                h = torch.from_numpy(np.maximum(h, 0))          # ReLU in NumPy
                return self.fc2(h).squeeze(1)
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 569, 64):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+64]), y[i:i+64]).backward()
                    optimizer.step()
        '''),
    L("broken_whole_output_rewrapped", {"no_grad_params"}, '''
        torch.manual_seed(91)
        X, y = blobs(C=3)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
            def forward(self, x):
                out = self.net(x).detach().numpy()
                return torch.tensor(out, requires_grad=True)    # "fixes" the error backward() gave
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        ''', {"chance_loss"}, note="no parameter gets a gradient at all"),
    L("broken_torch_tensor_in_forward", {"no_grad_params"}, '''
        torch.manual_seed(92)
        import warnings; warnings.filterwarnings("ignore")
        X, y = digits(); X = X / 16
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(64, 32), nn.Linear(32, 10)
            def forward(self, x):
                h = torch.tensor(torch.relu(self.fc1(x)))      # copies without the graph
                return self.fc2(h)
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("broken_cnn_detach_features", {"no_grad_params"}, '''
        torch.manual_seed(93)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        class CNN(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
                self.fc = nn.Linear(128, 10)
            def forward(self, x):
                features = self.conv(x).flatten(1).detach()
                return self.fc(features)
        model = CNN()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),

    # ---------------------------------------------------------------- evaluation with gradients on
    L("evalgrad_per_epoch_validation", {"eval_grad"}, '''
        torch.manual_seed(94)
        X, y = blobs()
        Xv, yv = blobs(n=128, seed=3)
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                model.train()
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                model.eval()
                val_loss = loss_fn(model(Xv), yv).item()          # no torch.no_grad()
        '''),
    L("evalgrad_once_at_end", {"eval_grad"}, '''
        torch.manual_seed(95)
        X, y = cancer(); X = standardize(X)
        model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 500, 50):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+50]).squeeze(1), y[i:i+50]).backward()
                    optimizer.step()
            model.eval()
            acc = ((model(X[500:]).squeeze(1) > 0).float() == y[500:]).float().mean()
        ''', note="a single evaluation forward: threshold n >= 2"),
    L("evalgrad_train_and_test_acc_at_end", {"eval_grad"}, '''
        torch.manual_seed(96)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 1400, 100):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+100]), y[i:i+100]).backward()
                    optimizer.step()
            train_acc = (model(X[:1400]).argmax(1) == y[:1400]).float().mean()
            test_acc = (model(X[1400:]).argmax(1) == y[1400:]).float().mean()
        '''),
    L("evalgrad_val_every_step", {"eval_grad"}, '''
        torch.manual_seed(97)
        X, y = regression()
        Xv, yv = regression(n=100, seed=1)
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(3):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
                    optimizer.step()
                    val = loss_fn(model(Xv), yv).item()
        '''),
    L("evalgrad_val_loader_each_epoch", {"eval_grad"}, '''
        torch.manual_seed(98)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        train_loader = DataLoader(TensorDataset(X[:1500], y[:1500]), batch_size=100, shuffle=True)
        val_loader = DataLoader(TensorDataset(X[1500:], y[1500:]), batch_size=100)
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(512, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                model.train()
                for xb, yb in train_loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                model.eval()
                correct = 0
                for xb, yb in val_loader:
                    correct += (model(xb).argmax(1) == yb).sum().item()
        '''),
]

COMBOS = [
    L("combo_no_zero_grad_and_total_loss", {"zero_grad", "graph_kept"}, '''
        torch.manual_seed(101)
        X, y = cancer(); X = standardize(X)
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                total = 0.0
                for xb, yb in loader:
                    loss = loss_fn(model(xb).squeeze(1), yb)
                    loss.backward()
                    optimizer.step()
                    total += loss
        ''', DIVERGE),
    L("combo_softmax_and_eval_mode", {"softmax", "eval_mode"}, '''
        torch.manual_seed(102)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 4), nn.Softmax(dim=1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            model.eval()
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        ''', SQUASH),
    L("combo_255_images_and_sorted", {"input_scale", "sorted_labels"}, '''
        torch.manual_seed(103)
        X, y = digits(); X = (X * 255 / 16).reshape(-1, 1, 8, 8)
        order = torch.argsort(y); X, y = X[order], y[order]
        loader = DataLoader(TensorDataset(X, y), batch_size=64)
        model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 36, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', DIVERGE | {"chance_loss"}),
    L("combo_no_zero_grad_and_eval_with_grad", {"zero_grad", "eval_grad"}, '''
        torch.manual_seed(104)
        X, y = blobs()
        Xv, yv = blobs(n=128, seed=4)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 64):
                    loss = loss_fn(model(X[i:i+64]), y[i:i+64])
                    loss.backward()
                    optimizer.step()
                val_acc = (model(Xv).argmax(1) == yv).float().mean().item()
        ''', DIVERGE),
    L("combo_zero_grad_between_and_history", {"order", "graph_kept"}, '''
        torch.manual_seed(105)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        def train():
            history = []
            for epoch in range(5):
                for i in range(0, 400, 40):
                    loss = loss_fn(model(X[i:i+40]), y[i:i+40])
                    loss.backward()
                    optimizer.zero_grad()
                    optimizer.step()
                    history.append(loss)
        ''', {"unchanged"}),
    L("combo_train_mode_eval_and_total_loss", {"train_mode", "graph_kept"}, '''
        torch.manual_seed(106)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X[:1500], y[:1500]), batch_size=50, shuffle=True)
        def train():
            for epoch in range(3):
                epoch_loss = 0
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                    epoch_loss += loss
                with torch.no_grad():
                    acc = (model(X[1500:]).argmax(1) == y[1500:]).float().mean()
        '''),
    L("combo_softmax_and_sorted", {"softmax", "sorted_labels"}, '''
        torch.manual_seed(107)
        X, y = blobs(n=600)
        order = torch.argsort(y); X, y = X[order], y[order]
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4), nn.Softmax(dim=1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=50, shuffle=False)
        def train():
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', SQUASH),
    L("combo_lr_low_and_eval_with_grad", {"lr_low", "eval_grad"}, '''
        torch.manual_seed(108)
        X, y = cancer(); X = standardize(X)
        model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 500, 50):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+50]).squeeze(1), y[i:i+50]).backward()
                    optimizer.step()
                val = loss_fn(model(X[500:]).squeeze(1), y[500:]).item()
        ''', {"chance_loss"}),
    L("combo_detach_and_eval_mode", {"no_grad_params", "eval_mode"}, '''
        torch.manual_seed(109)
        X, y = blobs()
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.drop, self.fc2 = nn.Linear(8, 32), nn.Dropout(0.3), nn.Linear(32, 4)
            def forward(self, x):
                h = torch.relu(self.fc1(x)).detach()
                return self.fc2(self.drop(h))
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            model.eval()
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        '''),
    L("combo_no_step_and_total_loss", {"no_step", "graph_kept"}, '''
        torch.manual_seed(110)
        X, y = moons()
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                total = 0
                for i in range(0, 400, 20):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+20]).squeeze(1), y[i:i+20])
                    loss.backward()
                    total = total + loss
        ''', {"unchanged"}),
    L("combo_constant_feature_and_lr_high", {"constant_input", "lr_high"}, '''
        torch.manual_seed(111)
        X, y = blobs()
        X = X.clone(); X[:, 0] = 5.0
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        ''', {"dead_relu"}),
    L("combo_recreated_model_and_total_loss", {"not_optimized", "graph_kept"}, '''
        torch.manual_seed(112)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                total = 0
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+32]), y[i:i+32])
                    loss.backward()
                    optimizer.step()
                    total += loss
        ''', {"unchanged"}),
    L("combo_sigmoid_bcewithlogits_and_raw_features", {"softmax", "input_scale"}, '''
        torch.manual_seed(113)
        X, y = cancer()
        model = nn.Sequential(nn.Linear(30, 8), nn.ReLU(), nn.Linear(8, 1), nn.Sigmoid())
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(569)
                for i in range(0, 569, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]).squeeze(1), y[idx]).backward()
                    optimizer.step()
        ''', SQUASH | DIVERGE),
    L("combo_eval_no_grad_missing_and_train_mode", {"eval_grad", "train_mode"}, '''
        torch.manual_seed(114)
        X, y = blobs()
        Xv, yv = blobs(n=128, seed=8)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 512, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
                val_loss = loss_fn(model(Xv), yv).item()      # neither eval() nor no_grad()
        ''', note="train_mode only counts no-grad forwards"),
    L("combo_nan_batch_and_no_zero_grad", {"nonfinite_input", "zero_grad"}, '''
        torch.manual_seed(115)
        X, y = regression()
        X = X.clone(); X[55, 1] = float("nan")
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(3):
                for i in range(0, 400, 25):
                    loss = loss_fn(model(X[i:i+25]), y[i:i+25])
                    loss.backward()
                    optimizer.step()
        ''', note="after the NaN, grads are NaN: stale check drops non-finite rows"),
    L("combo_vanishing_and_sorted", {"vanishing", "sorted_labels"}, '''
        torch.manual_seed(116)
        X, y = blobs(n=640)
        order = torch.argsort(y); X, y = X[order], y[order]
        model = nn.Sequential(nn.Linear(8, 32), nn.Sigmoid(), *[m for _ in range(7) for m in (nn.Linear(32, 32), nn.Sigmoid())],
                              nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 640, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_low"}),
    L("combo_graph_kept_and_lr_too_high", {"graph_kept", "lr_high"}, '''
        torch.manual_seed(117)
        X, y = regression(d=10)
        model = nn.Linear(10, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=1.5)
        loss_fn = nn.MSELoss()
        def train():
            losses = []
            for epoch in range(10):
                for i in range(0, 400, 100):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+100]), y[i:i+100])
                    loss.backward()
                    optimizer.step()
                    losses.append(loss)
        '''),
]

CORRECT = [
    L("ok_mlp_dataloader_sgd", set(), '''
        torch.manual_seed(201)
        X, y = blobs()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        '''),
    L("ok_cancer_adam_bce_custom", set(), '''
        torch.manual_seed(202)
        X, y = cancer(); X = standardize(X)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(30, 16), nn.Linear(16, 1)
            def forward(self, x):
                return self.fc2(F.relu(self.fc1(x))).squeeze(-1)
        model = Net()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.BCEWithLogitsLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(10):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_regression_randperm_slices", set(), '''
        torch.manual_seed(203)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(10):
                perm = torch.randperm(400)
                for i in range(0, 400, 20):
                    idx = perm[i:i+20]
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[idx]), y[idx])
                    loss.backward()
                    optimizer.step()
        '''),
    L("ok_full_batch_linear_regression", set(), '''
        torch.manual_seed(204)
        X, y = regression(d=3)
        model = nn.Linear(3, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(30):
                optimizer.zero_grad()
                loss = loss_fn(model(X), y)
                loss.backward()
                optimizer.step()
        '''),
    L("ok_batch_size_1_sgd", set(), '''
        torch.manual_seed(205)
        X, y = iris(); X = standardize(X)
        perm = torch.randperm(150)[:64]; X, y = X[perm], y[perm]
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for i in torch.randperm(64).tolist():
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+1]), y[i:i+1]).backward()
                    optimizer.step()
        '''),
    L("ok_cnn_digits_adam", set(), '''
        torch.manual_seed(206)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(16 * 16, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_dropout_train_eval_switch", set(), '''
        torch.manual_seed(207)
        X, y = blobs()
        Xv, yv = blobs(n=128, seed=7)
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(10):
                model.train()
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    val_loss = loss_fn(model(Xv), yv).item()
        '''),
    L("ok_batchnorm_mlp", set(), '''
        torch.manual_seed(208)
        X, y = cancer(); X = standardize(X)
        model = nn.Sequential(nn.Linear(30, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(5):
                model.train()
                perm = torch.randperm(500)
                for i in range(0, 500, 50):
                    idx = perm[i:i+50]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]).squeeze(1), y[idx]).backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    acc = ((model(X[500:]).squeeze(1) > 0).float() == y[500:]).float().mean()
        '''),
    L("ok_gradient_accumulation", set(), '''
        torch.manual_seed(209)
        X, y = digits(); X = X / 16
        loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        accum = 4
        def train():
            for epoch in range(2):
                optimizer.zero_grad()
                for i, (xb, yb) in enumerate(loader):
                    loss = loss_fn(model(xb), yb) / accum
                    loss.backward()
                    if (i + 1) % accum == 0:
                        optimizer.step()
                        optimizer.zero_grad()
        '''),
    L("ok_gradient_accumulation_zero_at_cycle_start", set(), '''
        torch.manual_seed(210)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for j in range(0, 400, 80):
                    optimizer.zero_grad()
                    for k in range(j, j + 80, 20):
                        (loss_fn(model(X[k:k+20]), y[k:k+20]) / 4).backward()
                    optimizer.step()
        '''),
    L("ok_while_loop_steps", set(), '''
        torch.manual_seed(211)
        X, y = moons()
        model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            step = 0
            while step < 150:
                idx = torch.randint(0, 400, (32,))
                optimizer.zero_grad()
                loss = loss_fn(model(X[idx]).squeeze(1), y[idx])
                loss.backward()
                optimizer.step()
                step += 1
        '''),
    L("ok_rmsprop_regression", set(), '''
        torch.manual_seed(212)
        X, y = regression(d=8)
        model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 1))
        optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(8):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_sgd_momentum_weight_decay", set(), '''
        torch.manual_seed(213)
        X, y = wine(); X = standardize(X)
        model = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
        def train():
            for epoch in range(15):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_moons_bcewithlogits_sequential", set(), '''
        torch.manual_seed(214)
        X, y = moons()
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.BCEWithLogitsLoss()
        loader = DataLoader(TensorDataset(X, y.unsqueeze(1)), batch_size=40, shuffle=True)
        def train():
            for epoch in range(20):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_bceloss_with_sigmoid", set(), '''
        torch.manual_seed(215)
        X, y = cancer(); X = standardize(X)
        model = nn.Sequential(nn.Linear(30, 8), nn.ReLU(), nn.Linear(8, 1), nn.Sigmoid())
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.BCELoss()
        def train():
            for epoch in range(10):
                perm = torch.randperm(569)
                for i in range(0, 569, 64):
                    idx = perm[i:i+64]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]).squeeze(1), y[idx]).backward()
                    optimizer.step()
        '''),
    L("ok_nllloss_log_softmax", set(), '''
        torch.manual_seed(216)
        X, y = iris(); X = standardize(X)
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3), nn.LogSoftmax(dim=1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.NLLLoss()
        def train():
            for epoch in range(20):
                perm = torch.randperm(150)
                for i in range(0, 150, 30):
                    idx = perm[i:i+30]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        '''),
    L("ok_ce_on_log_softmax", set(), '''
        torch.manual_seed(217)
        X, y = blobs()
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(8, 32), nn.Linear(32, 4)
            def forward(self, x):
                return F.log_softmax(self.fc2(torch.relu(self.fc1(x))), dim=1)
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()     # CE of log-probabilities is the same loss
        def train():
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        '''),
    L("ok_item_totals_and_history", set(), '''
        torch.manual_seed(218)
        X, y = digits(); X = X / 16
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        history = []
        def train():
            for epoch in range(3):
                total, total_d = 0.0, torch.zeros(())
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(xb)
                    total_d += loss.detach()
                    history.append(loss.item())
        '''),
    L("ok_step_lr_scheduler", set(), '''
        torch.manual_seed(219)
        X, y = blobs(C=3)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(8):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                scheduler.step()
        '''),
    L("ok_finetune_head_frozen_backbone", set(), '''
        torch.manual_seed(220)
        X, y = digits(); X = X / 16
        backbone = nn.Sequential(nn.Linear(64, 32), nn.ReLU())
        head = nn.Linear(32, 10)
        model = nn.Sequential(backbone, head)
        for p in backbone.parameters():
            p.requires_grad = False
        optimizer = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1e-2)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_functional_loss_module_given", set(), '''
        torch.manual_seed(221)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()        # given to watch; the loop uses F.cross_entropy
        def train():
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    F.cross_entropy(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        '''),
    L("ok_ce_plus_l2_penalty", set(), '''
        torch.manual_seed(222)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 512, 64):
                    idx = perm[i:i+64]
                    optimizer.zero_grad()
                    penalty = sum((p ** 2).sum() for p in model.parameters())
                    loss = loss_fn(model(X[idx]), y[idx]) + 1e-4 * penalty
                    loss.backward()
                    optimizer.step()
        '''),
    L("ok_two_heads_two_losses", set(), '''
        torch.manual_seed(223)
        X, y = blobs(C=3)
        target = X[:, :1] * 2 + 1
        class TwoHeads(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(nn.Linear(8, 32), nn.ReLU())
                self.cls, self.reg = nn.Linear(32, 3), nn.Linear(32, 1)
            def forward(self, x):
                h = self.body(x)
                return self.cls(h), self.reg(h)
        model = TwoHeads()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        mse = nn.MSELoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    logits, value = model(X[idx])
                    loss = loss_fn(logits, y[idx]) + 0.5 * mse(value, target[idx])
                    loss.backward()
                    optimizer.step()
        '''),
    L("ok_huber_regression_adamw_clip", set(), '''
        torch.manual_seed(224)
        X, y = regression(d=6)
        model = nn.Sequential(nn.Linear(6, 32), nn.GELU(), nn.Linear(32, 1))
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
        loss_fn = nn.HuberLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=25, shuffle=True)
        def train():
            for epoch in range(6):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                    optimizer.step()
        '''),
    L("ok_iris_full_batch_adam_30", set(), '''
        torch.manual_seed(225)
        X, y = iris(); X = standardize(X)
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(30):
                optimizer.zero_grad()
                loss = loss_fn(model(X), y)
                loss.backward()
                optimizer.step()
        '''),
    L("ok_deep_relu_kaiming", set(), '''
        torch.manual_seed(226)
        X, y = digits(); X = X / 16
        layers = [nn.Linear(64, 64), nn.ReLU()]
        for _ in range(6):
            layers += [nn.Linear(64, 64), nn.ReLU()]
        model = nn.Sequential(*layers, nn.Linear(64, 10))
        for m in model:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu"); nn.init.zeros_(m.bias)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_tanh_sine_fit", set(), '''
        torch.manual_seed(227)
        X = torch.linspace(-3, 3, 200).unsqueeze(1)
        y = torch.sin(X)
        model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(30):
                perm = torch.randperm(200)
                for i in range(0, 200, 50):
                    idx = perm[i:i+50]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        '''),
    L("ok_eval_only_at_end_no_grad", set(), '''
        torch.manual_seed(228)
        X, y = cancer(); X = standardize(X)
        model = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            model.train()
            for epoch in range(6):
                perm = torch.randperm(500)
                for i in range(0, 500, 25):
                    idx = perm[i:i+25]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]).squeeze(1), y[idx]).backward()
                    optimizer.step()
            model.eval()
            with torch.no_grad():
                acc = ((model(X[500:]).squeeze(1) > 0).float() == y[500:]).float().mean()
            model.train()
        '''),
    L("ok_autoencoder", set(), '''
        torch.manual_seed(229)
        X, _ = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 64))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()
        loader = DataLoader(TensorDataset(X), batch_size=64, shuffle=True)
        def train():
            for epoch in range(3):
                for (xb,) in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), xb).backward()
                    optimizer.step()
        '''),
    L("ok_zero_grad_set_to_none_false", set(), '''
        torch.manual_seed(230)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad(set_to_none=False)
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        '''),
    L("ok_model_zero_grad_at_end", set(), '''
        torch.manual_seed(231)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(400)
                for i in range(0, 400, 32):
                    idx = perm[i:i+32]
                    loss = loss_fn(model(X[idx]), y[idx])
                    loss.backward()
                    optimizer.step()
                    model.zero_grad()                   # cleared after the step: also right
        '''),
    L("ok_cnn_batchnorm_dropout2d", set(), '''
        torch.manual_seed(232)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        Xt, yt, Xv, yv = X[:1500], y[:1500], X[1500:], y[1500:]
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.Dropout2d(0.1),
                              nn.MaxPool2d(2), nn.Flatten(), nn.Linear(128, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(Xt, yt), batch_size=50, shuffle=True)
        def train():
            for epoch in range(2):
                model.train()
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    acc = (model(Xv).argmax(1) == yv).float().mean()
        '''),
    L("ok_embedding_bag_of_tokens", set(), '''
        torch.manual_seed(233)
        g = torch.Generator().manual_seed(233)
        tokens = torch.randint(0, 50, (600, 6), generator=g)
        y = (tokens < 25).sum(1).gt(3).long()
        class BoW(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(50, 16)
                self.fc = nn.Linear(16, 2)
            def forward(self, t):
                return self.fc(self.emb(t).mean(1))
        model = BoW()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(tokens, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(3):
                for tb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(tb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_imbalanced_binary_shuffled", set(), '''
        torch.manual_seed(234)
        g = torch.Generator().manual_seed(234)
        X = torch.randn(1000, 5, generator=g)
        y = (X[:, 0] + 0.3 * torch.randn(1000, generator=g) > 1.3).float()      # about 10% positives
        model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.BCEWithLogitsLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb).squeeze(1), yb).backward()
                    optimizer.step()
        '''),
    L("ok_many_classes_small_batches", set(), '''
        torch.manual_seed(235)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X[:800], y[:800]), batch_size=4, shuffle=True)
        def train():
            for epoch in range(1):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_early_stopping_checkpoint", set(), '''
        torch.manual_seed(236)
        X, y = regression()
        Xv, yv = regression(n=100, seed=2)
        model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.MSELoss()
        def train():
            best, bad = float("inf"), 0
            for epoch in range(30):
                model.train()
                perm = torch.randperm(400)
                for i in range(0, 400, 50):
                    idx = perm[i:i+50]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    val = loss_fn(model(Xv), yv).item()
                if val < best - 1e-4:
                    best, bad, state = val, 0, copy.deepcopy(model.state_dict())
                else:
                    bad += 1
                    if bad >= 3:
                        break
            model.load_state_dict(state)
        '''),
    L("ok_teacher_student_distillation", set(), '''
        torch.manual_seed(237)
        X, y = blobs()
        teacher = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 4)).eval()
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        kl = nn.KLDivLoss(reduction="batchmean")
        def train():
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    with torch.no_grad():
                        soft = F.softmax(teacher(X[idx]), dim=1)
                    optimizer.zero_grad()
                    out = model(X[idx])
                    loss = loss_fn(out, y[idx]) + kl(F.log_softmax(out, 1), soft)
                    loss.backward()
                    optimizer.step()
        '''),
    L("ok_noise_augmentation_reduction_sum", set(), '''
        torch.manual_seed(238)
        X, y = moons()
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.002)
        loss_fn = nn.BCEWithLogitsLoss(reduction="sum")
        def train():
            for epoch in range(10):
                perm = torch.randperm(400)
                for i in range(0, 400, 40):
                    idx = perm[i:i+40]
                    xb = X[idx] + 0.05 * torch.randn(len(idx), 2)
                    optimizer.zero_grad()
                    loss_fn(model(xb).squeeze(1), y[idx]).backward()
                    optimizer.step()
        '''),
    L("ok_label_smoothing_class_weights", set(), '''
        torch.manual_seed(239)
        X, y = wine(); X = standardize(X)
        model = nn.Sequential(nn.Linear(13, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
        loss_fn = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 0.8, 1.2]), label_smoothing=0.1)
        def train():
            for epoch in range(15):
                perm = torch.randperm(178)
                for i in range(0, 178, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        '''),
    L("ok_manual_sgd_no_optimizer", set(), '''
        torch.manual_seed(240)
        X, y = regression(d=4)
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = None                         # the learner updates by hand (chapter 04 style)
        loss_fn = nn.MSELoss()
        lr = 0.05
        def train():
            for epoch in range(10):
                for i in range(0, 400, 40):
                    loss = loss_fn(model(X[i:i+40]), y[i:i+40])
                    model.zero_grad()
                    loss.backward()
                    with torch.no_grad():
                        for p in model.parameters():
                            p -= lr * p.grad
        '''),
    L("ok_converges_to_zero", set(), '''
        torch.manual_seed(241)
        X = torch.randn(64, 3)
        y = X @ torch.tensor([[1.0], [-2.0], [0.5]])
        model = nn.Linear(3, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(100):
                optimizer.zero_grad()
                loss_fn(model(X), y).backward()
                optimizer.step()
        '''),
    L("ok_logistic_regression_single_layer", set(), '''
        torch.manual_seed(242)
        X, y = cancer(); X = standardize(X)
        model = nn.Linear(30, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(10):
                perm = torch.randperm(569)
                for i in range(0, 569, 64):
                    idx = perm[i:i+64]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]).squeeze(1), y[idx]).backward()
                    optimizer.step()
        '''),
    L("ok_digits_slow_sgd", set(), '''
        torch.manual_seed(243)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.02)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_eval_mode_no_mode_layers", set(), '''
        torch.manual_seed(244)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 448, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
                with torch.no_grad():                   # no dropout/BN: train mode is harmless
                    acc = (model(X[448:]).argmax(1) == y[448:]).float().mean()
        '''),
    L("ok_digits_raw_0_16_scaled_std", set(), '''
        torch.manual_seed(245)
        X, y = digits()
        mean, std = X.mean(0), X.std(0).clamp_min(1e-6)
        X = (X - mean) / std                              # standardized, constant pixels stay 0
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_sequence_of_epochs_long_run", set(), '''
        torch.manual_seed(246)
        X, y = blobs(n=256)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
        def train():
            for epoch in range(15):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("ok_one_hot_features", set(), '''
        torch.manual_seed(247)
        g = torch.Generator().manual_seed(247)
        cat = torch.randint(0, 5, (500,), generator=g)
        num = torch.randn(500, 3, generator=g)
        X = torch.cat([F.one_hot(cat, 5).float(), num], 1)
        y = ((cat >= 2).float() + num[:, 0] > 0.8).float()
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.BCEWithLogitsLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True)
        def train():
            for epoch in range(5):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb).squeeze(1), yb).backward()
                    optimizer.step()
        '''),
    L("ok_adam_digits_converged_long", set(), '''
        torch.manual_seed(248)
        X, y = iris(); X = standardize(X)
        model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 3))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=15, shuffle=True)
        def train():
            for epoch in range(30):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
]

CORRECT += [
    L("ok_regression_heavy_tailed_noise_small_batches", set(), """
        torch.manual_seed(250)
        g = torch.Generator().manual_seed(250)
        X = torch.randn(400, 5, generator=g)
        noise = torch.distributions.StudentT(2.0).sample((400, 1))
        y = X @ torch.tensor([[1.0], [0.5], [-1.0], [0.0], [2.0]]) + noise
        model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True)
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """),
    L("ok_tabular_rare_flag_standardized", set(), """
        torch.manual_seed(251)
        g = torch.Generator().manual_seed(251)
        num = torch.randn(1000, 4, generator=g)
        flag = (torch.rand(1000, 1, generator=g) < 0.01).float()          # a rare yes/no column
        X = standardize(torch.cat([num, flag], 1))
        y = (num[:, 0] + num[:, 1] > 0).long()
        model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """),
    L("ok_embedding_large_vocab_mlp", set(), """
        torch.manual_seed(252)
        g = torch.Generator().manual_seed(252)
        tokens = torch.randint(0, 5000, (800, 8), generator=g)
        y = (tokens % 2).sum(1).gt(4).long()
        model = nn.Sequential(nn.Embedding(5000, 16), nn.Flatten(), nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 2))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(tokens, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(3):
                for tb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(tb), yb).backward()
                    optimizer.step()
        """),
    L("ok_siamese_two_forwards_one_backward", set(), """
        torch.manual_seed(253)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(4):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    out_clean = model(X[idx])
                    out_noisy = model(X[idx] + 0.1 * torch.randn(len(idx), 8))
                    loss = loss_fn(out_clean, y[idx]) + loss_fn(out_noisy, y[idx])
                    loss.backward()
                    optimizer.step()
        """),
    L("ok_lbfgs_closure", set(), """
        torch.manual_seed(254)
        X, y = regression(d=4)
        model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
        optimizer = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=5)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(10):
                def closure():
                    optimizer.zero_grad()
                    loss = loss_fn(model(X), y)
                    loss.backward()
                    return loss
                optimizer.step(closure)
        """, note="step(closure): the backward passes happen inside step"),
    L("ok_onecycle_schedule", set(), """
        torch.manual_seed(255)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=3 * len(loader))
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                    scheduler.step()
        """),
    L("ok_linear_warmup_from_zero", set(), """
        torch.manual_seed(256)
        X, y = blobs(n=1024)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, s / 100))
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(6):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                    scheduler.step()
        """, note="warmup from lr 0: the first probes see tiny updates"),
    L("ok_autocast_bf16", set(), """
        torch.manual_seed(257)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(4):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    with torch.autocast("cpu", dtype=torch.bfloat16):
                        loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
        """),
    L("ok_shared_relu_module_inplace", set(), """
        torch.manual_seed(258)
        X, y = cancer(); X = standardize(X)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2, self.fc3 = nn.Linear(30, 32), nn.Linear(32, 16), nn.Linear(16, 1)
                self.act = nn.ReLU(inplace=True)
            def forward(self, x):
                return self.fc3(self.act(self.fc2(self.act(self.fc1(x))))).squeeze(1)
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = nn.BCEWithLogitsLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(4):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """),
    L("ok_double_precision", set(), """
        torch.manual_seed(259)
        X, y = regression(); X, y = X.double(), y.double()
        model = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 1)).double()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(400)
                for i in range(0, 400, 40):
                    idx = perm[i:i+40]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        """),
    L("ok_deep_tanh_xavier_layernorm", set(), """
        torch.manual_seed(260)
        X, y = blobs()
        layers = []
        for i in range(6):
            layers += [nn.Linear(8 if i == 0 else 32, 32), nn.LayerNorm(32), nn.Tanh()]
        model = nn.Sequential(*layers, nn.Linear(32, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """),
    L("ok_mnist_like_pixels_0_1_mlp", set(), """
        torch.manual_seed(261)
        X, y = digits(); X = X / 16                       # like ToTensor(): pixels in [0, 1]
        model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=128, shuffle=True)
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """),
]

# Debatable loops: reported separately (not counted as buggy or correct).
DEBATABLE = [
    L("debatable_best_loss_tensor_kept", set(), """
        torch.manual_seed(270)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            best = None
            for epoch in range(5):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[idx]), y[idx])
                    loss.backward()
                    optimizer.step()
                    if best is None or loss < best:
                        best = loss                  # one tensor kept: one graph, memory does not grow
        """, {"graph_kept"}, note="one graph kept, not growing: graph_kept's 'memory grows every step' would be untrue"),
]

LOOPS = BUGGY + COMBOS + CORRECT

BUGGY += [
    L("evalmode_after_validation_3x20", {"eval_mode"}, """
        torch.manual_seed(300)
        X, y = blobs(n=640)
        Xv, yv = blobs(n=128, seed=11)
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    acc = (model(Xv).argmax(1) == yv).float().mean()
        """, note="2 of 3 epochs trained in eval mode"),
    L("lr_high_sgd_momentum_spiky", {"lr_high"}, """
        torch.manual_seed(301)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=2.0, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """, {"dead_relu"}),
    L("lr_high_sgd_50_to_nan", {"lr_high"}, """
        torch.manual_seed(302)
        X, y = blobs()
        model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=50.0)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                perm = torch.randperm(512)
                for i in range(0, 512, 32):
                    idx = perm[i:i+32]
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        """),
    L("scale_one_tiny_feature", {"input_scale"}, """
        torch.manual_seed(303)
        X, y = blobs(C=3)
        X = X.clone(); X[:, 0] = X[:, 0] * 1e-3               # one feature in kilo-units: 1000x smaller
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """),
    L("nan_in_unprobed_batch_classification", {"nonfinite_input"}, """
        torch.manual_seed(304)
        X, y = blobs(n=640)
        X = X.clone(); X[10 * 32 + 5, 4] = float("nan")       # in batch 10 of every epoch (never a probe)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 640, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        """),
    L("nan_target_regression_unshuffled", {"nonfinite_input"}, """
        torch.manual_seed(305)
        X, y = regression()
        y = y.clone(); y[7 * 25 + 3] = float("nan")            # batch 7 of every epoch
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(3):
                for i in range(0, 400, 25):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+25]), y[i:i+25]).backward()
                    optimizer.step()
        """),
    L("chance_output_layer_zeroed_by_bug", {"chance_loss"}, """
        torch.manual_seed(306)
        X, y = digits(); X = X / 16
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(64, 32), nn.Linear(32, 10)
            def forward(self, x):
                h = torch.relu(self.fc1(x))
                return self.fc2(h * 0.0)            # bug: a mask that is always 0
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
        def train():
            for epoch in range(3):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """, {"dead_relu", "no_grad_params", "unchanged"}),
]

LOOPS = BUGGY + COMBOS + CORRECT

CORRECT += [
    L("ok_regression_unshuffled_slices_adam", set(), """
        torch.manual_seed(310)
        X, y = regression()
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(3):
                for i in range(0, 400, 40):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
                    optimizer.step()
        """),
    L("ok_regression_shuffled_short_run_sgd", set(), """
        torch.manual_seed(311)
        X, y = regression(d=8, seed=3)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
        def train():
            for epoch in range(2):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """),
    L("ok_diabetes_regression", set(), """
        torch.manual_seed(312)
        d = skd.load_diabetes()
        X = standardize(torch.tensor(d.data, dtype=torch.float32))
        y = torch.tensor(d.target, dtype=torch.float32).unsqueeze(1)
        y = (y - y.mean()) / y.std()
        model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()
        loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
        def train():
            for epoch in range(10):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        """),
]

LOOPS = BUGGY + COMBOS + CORRECT
