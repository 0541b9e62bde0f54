"""Held-out loops for dlstudy.watch (blind review 4, /work/notes/watch_review4/loops.py, copied unchanged below this
line). Expected kinds decided by the reviewer before running, from watch_advice.KINDS; tests/test_watch_review4.py
corrects the few it found wrong, each with its reason."""
import textwrap

PRELUDE = '''
import copy, math
import numpy as np, torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader
from sklearn import datasets as skd

def blobs(n=600, d=6, C=3, sort=False, std=True, sep=1.5):
    X, y = skd.make_classification(n_samples=n, n_features=d, n_informative=min(d, 4), n_redundant=0, n_classes=C,
                                   n_clusters_per_class=1, class_sep=sep, random_state=SEED)
    if sort:
        o = np.argsort(y, kind="stable"); X, y = X[o], y[o]
    if std:
        X = (X - X.mean(0)) / X.std(0)
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y)

def reg(n=400, d=5, out=1):
    X, y = skd.make_regression(n_samples=n, n_features=d, n_targets=out, noise=5.0, random_state=SEED)
    y = (y - y.mean(0)) / y.std(0)
    y = torch.tensor(y, dtype=torch.float32)
    return torch.tensor(X, dtype=torch.float32), (y.unsqueeze(1) if out == 1 else y)

def digits(scale=16.0, images=False):
    d = skd.load_digits()
    X = torch.tensor(d.data, dtype=torch.float32) / scale
    if images:
        X = X.reshape(-1, 1, 8, 8)
    return X, torch.tensor(d.target)

def moons(n=400):
    X, y = skd.make_moons(n_samples=n, noise=0.2, random_state=SEED)
    X = (X - X.mean(0)) / X.std(0)
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
'''

LOOPS = []


def L(name, expected, code, also_ok=()):
    LOOPS.append({"name": name, "expected": set(expected), "also_ok": set(also_ok), "code": textwrap.dedent(code)})


# =============================== BUGGY: zero_grad ===============================
L("zg_loader_no_zero_grad", {"zero_grad"}, """
X, y = blobs()
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""", also_ok={"lr_high"})

L("zg_once_before_loop", {"zero_grad"}, """
X, y = reg()
model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
def train():
    optimizer.zero_grad()   # 한 번만
    for epoch in range(10):
        for i in range(0, len(X), 40):
            y_hat = model(X[i:i+40])
            loss = loss_fn(y_hat, y[i:i+40])
            loss.backward()
            optimizer.step()
""", also_ok={"lr_high"})

L("zg_per_epoch_only", {"zero_grad"}, """
X, y = blobs(n=640, C=4)
loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
model = nn.Sequential(nn.Linear(6, 24), nn.ReLU(), nn.Linear(24, 4))
optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        optimizer.zero_grad()
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""", also_ok={"lr_high"})

L("zg_adam_regression", {"zero_grad"}, """
X, y = reg(n=300, d=8)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(8):
        perm = torch.randperm(len(X))
        for i in range(0, len(X), 30):
            idx = perm[i:i+30]
            loss = loss_fn(model(X[idx]), y[idx])
            loss.backward()
            optimizer.step()
""", also_ok={"lr_high"})

L("zg_model_zero_grad_after_epoch", {"zero_grad"}, """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 20); self.fc2 = nn.Linear(20, 3)
    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
X, y = blobs()
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.03)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=20, shuffle=True):
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
        model.zero_grad()   # 에폭 끝에서만
""", also_ok={"lr_high"})

L("zg_while_rmsprop", {"zero_grad"}, """
X, y = moons()
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    step = 0
    while step < 120:
        i = (step * 25) % 400
        y_hat = model(X[i:i+25]).squeeze(1)
        loss = loss_fn(y_hat, y[i:i+25])
        loss.backward()
        optimizer.step()
        step += 1
""", also_ok={"lr_high"})

L("zg_cnn_digits", {"zero_grad"}, """
X, y = digits(images=True)
loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8*4*4, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(2):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""", also_ok={"lr_high"})

L("zg_accum_never_cleared_helper", {"zero_grad"}, """
X, y = blobs(n=500, d=10, C=2)
loader = DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()
def train_one_epoch():
    total = 0.0
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)
def train():
    for epoch in range(5):
        train_one_epoch()
""", also_ok={"lr_high"})

# =============================== BUGGY: order ===============================
L("or_step_before_backward", {"order"}, """
X, y = blobs()
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            optimizer.step()
            loss.backward()
""", also_ok={"unchanged", "chance_loss"})

L("or_zero_grad_between", {"order"}, """
X, y = reg()
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(10):
        for i in range(0, 400, 50):
            loss = loss_fn(model(X[i:i+50]), y[i:i+50])
            loss.backward()
            optimizer.zero_grad()
            optimizer.step()
""", also_ok={"unchanged"})

L("or_step_first_no_zero_grad", {"zero_grad"}, """
X, y = blobs(n=480, C=2)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for i in range(0, 480, 48):
            out = model(X[i:i+48])
            loss = loss_fn(out, y[i:i+48])
            optimizer.step()
            loss.backward()
""", also_ok={"order", "lr_high"})

L("or_zero_grad_set_none_between_custom", {"order"}, """
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(6, 32); self.l2 = nn.Linear(32, 3)
    def forward(self, x):
        return self.l2(torch.relu(self.l1(x)))
X, y = blobs()
model = MLP()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True):
            loss = loss_fn(model(xb), yb)
            loss.backward()
            model.zero_grad()
            optimizer.step()
""", also_ok={"unchanged"})

# =============================== BUGGY: no_step ===============================
L("ns_forgot_step", {"no_step"}, """
X, y = blobs()
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
""", also_ok={"unchanged", "chance_loss"})

L("ns_new_optimizer_each_step", {"no_step"}, """
X, y = reg()
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for i in range(0, 400, 40):
            opt = torch.optim.Adam(model.parameters(), lr=1e-2)   # 매번 새로
            opt.zero_grad()
            loss = loss_fn(model(X[i:i+40]), y[i:i+40])
            loss.backward()
            opt.step()
""")

L("ns_forgot_step_regression_while", {"no_step"}, """
X, y = reg(n=200, d=3)
model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
def train():
    it = 0
    while it < 60:
        model.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        it += 1
""", also_ok={"unchanged"})

# =============================== BUGGY: not_optimized / unchanged ===============================
L("no_optimizer_other_model", {"not_optimized"}, """
def make():
    return nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
X, y = blobs()
model_a = make()
model = make()
optimizer = torch.optim.SGD(model_a.parameters(), lr=0.1)   # 다른 모델
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""", also_ok={"unchanged", "chance_loss", "order"})

L("no_head_replaced_after_optimizer", {"not_optimized"}, """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 32), nn.ReLU())
        self.head = nn.Linear(32, 2)
    def forward(self, x):
        return self.head(self.body(x))
X, y = blobs(C=3)
model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
model.head = nn.Linear(32, 3)   # 클래스 수를 고침
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for i in range(0, 600, 50):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+50]), y[i:i+50])
            loss.backward()
            optimizer.step()
""")

L("no_model_rebuilt_after_optimizer", {"not_optimized"}, """
X, y = reg()
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))   # 셀을 다시 실행
loss_fn = nn.MSELoss()
def train():
    for epoch in range(10):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+40]), y[i:i+40])
            loss.backward()
            optimizer.step()
""", also_ok={"unchanged", "order"})

L("no_cnn_fc_replaced", {"not_optimized"}, """
X, y = digits(images=True)
class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 6, 3, padding=1)
        self.fc = nn.Linear(6 * 4 * 4, 10)
    def forward(self, x):
        return self.fc(F.max_pool2d(F.relu(self.conv(x)), 2).flatten(1))
model = CNN()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
model.fc = nn.Linear(6 * 4 * 4, 10)
loss_fn = nn.CrossEntropyLoss()
def train():
    for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
        optimizer.zero_grad()
        loss_fn(model(xb), yb).backward()
        optimizer.step()
""")

L("un_lr_zero", {"unchanged"}, """
X, y = blobs()
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""", also_ok={"lr_low", "chance_loss"})

L("un_frozen_with_requires_grad_hack", {"not_optimized"}, """
X, y = reg()
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
for p in model.parameters():
    p.requires_grad = False          # 모든 층을 얼림
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+40]), y[i:i+40])
            loss.requires_grad_(True)   # 에러가 나서 추가함
            loss.backward()
            optimizer.step()
""", also_ok={"unchanged", "no_grad_params", "order"})

L("un_loss_rewrapped_tensor", {"no_grad_params"}, """
X, y = blobs(C=2)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=30, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss = torch.tensor(loss.item(), requires_grad=True)
            loss.backward()
            optimizer.step()
""", also_ok={"unchanged", "order", "chance_loss"})

L("un_lr_zero_adam_sched", {"unchanged"}, """
X, y = reg(d=4)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda e: 0.0)   # 실수: 0을 곱함
loss_fn = nn.MSELoss()
def train():
    scheduler.step()
    for epoch in range(6):
        for i in range(0, 400, 50):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+50]), y[i:i+50]).backward()
            optimizer.step()
""", also_ok={"lr_low"})

# =============================== BUGGY: softmax / sigmoid ===============================
L("sm_sequential_softmax_ce", {"softmax"}, """
X, y = blobs(C=4)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 4), nn.Softmax(dim=1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low", "vanishing"})

L("sm_forward_softmax_class", {"softmax"}, """
class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(64, 64); self.out = nn.Linear(64, 10)
    def forward(self, x):
        return F.softmax(self.out(F.relu(self.hidden(x))), dim=1)
X, y = digits()
model = Classifier()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low"})

L("sm_sigmoid_bcewithlogits_seq", {"softmax"}, """
X, y = moons()
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(20):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+40]).squeeze(1), y[i:i+40])
            loss.backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low"})

L("sm_torch_sigmoid_in_loop", {"softmax"}, """
X, y = blobs(n=500, d=8, C=2)
y = y.float()
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            prob = torch.sigmoid(model(xb)).squeeze(1)
            loss = loss_fn(prob, yb)
            loss.backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low"})

L("sm_softmax_in_loop_cnn", {"softmax"}, """
X, y = digits(images=True)
model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 6 * 6, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(2):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            probs = torch.softmax(model(xb), dim=1)
            loss = loss_fn(probs, yb)
            loss.backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low"})

L("sm_sigmoid_forward_class_binary", {"softmax"}, """
class Net(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc1 = nn.Linear(d, 32); self.fc2 = nn.Linear(32, 1)
    def forward(self, x):
        return torch.sigmoid(self.fc2(torch.relu(self.fc1(x))))
d = skd.load_breast_cancer()
Xn = (d.data - d.data.mean(0)) / d.data.std(0)
X, y = torch.tensor(Xn, dtype=torch.float32), torch.tensor(d.target, dtype=torch.float32).unsqueeze(1)
model = Net(30)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(10):
        perm = torch.randperm(len(X))
        for i in range(0, len(X), 64):
            idx = perm[i:i+64]
            optimizer.zero_grad()
            loss = loss_fn(model(X[idx]), y[idx])
            loss.backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low"})

L("sm_softmax_nll", {"softmax"}, """
X, y = blobs(C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3), nn.Softmax(dim=1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.NLLLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low"})

L("lsm_nll_raw_logits", {"log_softmax"}, """
X, y = blobs(C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.NLLLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""", also_ok={"lr_high"})

# =============================== BUGGY: modes ===============================
L("em_eval_before_training_dropout", {"eval_mode"}, """
X, y = blobs(n=600, d=10, C=3)
model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    model.eval()
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

L("em_evaluate_sets_eval_never_back", {"eval_mode"}, """
X, y = blobs(n=800, d=8, C=3)
Xtr, ytr, Xva, yva = X[:600], y[:600], X[600:], y[600:]
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def evaluate():
    model.eval()
    with torch.no_grad():
        return (model(Xva).argmax(1) == yva).float().mean().item()
def train():
    model.train()
    for epoch in range(8):
        for xb, yb in DataLoader(TensorDataset(Xtr, ytr), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        evaluate()
""")

L("em_batchnorm_eval", {"eval_mode"}, """
X, y = reg(n=400, d=6)
model = nn.Sequential(nn.Linear(6, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
def train():
    model.eval()
    for epoch in range(10):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+40]), y[i:i+40])
            loss.backward()
            optimizer.step()
""")

L("em_cnn_bn_eval_after_first_epoch", {"eval_mode"}, """
X, y = digits(images=True)
model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                      nn.Linear(8 * 16, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
Xtr, ytr, Xva, yva = X[:1400], y[:1400], X[1400:], y[1400:]
def train():
    model.train()
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(Xtr, ytr), batch_size=100, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            acc = (model(Xva).argmax(1) == yva).float().mean()
""")

L("tm_eval_no_eval_call_dropout", {"train_mode"}, """
X, y = blobs(n=700, d=8, C=3)
Xtr, ytr, Xva, yva = X[:500], y[:500], X[500:], y[500:]
model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(Xtr, ytr), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        with torch.no_grad():
            val_loss = loss_fn(model(Xva), yva).item()
""")

L("tm_bn_evaluate_helper", {"train_mode"}, """
X, y = reg(n=500, d=6)
model = nn.Sequential(nn.Linear(6, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
loss_fn = nn.MSELoss()
def evaluate(Xe, ye):
    with torch.no_grad():
        return loss_fn(model(Xe), ye).item()
def train_one_epoch():
    model.train()
    for i in range(0, 400, 40):
        optimizer.zero_grad()
        loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
        optimizer.step()
def train():
    for epoch in range(6):
        train_one_epoch()
        evaluate(X[400:], y[400:])
""")

L("tm_cnn_dropout_test_acc", {"train_mode"}, """
X, y = digits(images=True)
class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1); self.drop = nn.Dropout(0.25); self.fc = nn.Linear(8 * 16, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2).flatten(1)
        return self.fc(self.drop(x))
model = CNN()
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(2):
        model.train()
        for xb, yb in DataLoader(TensorDataset(X[:1500], y[:1500]), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
    with torch.no_grad():
        acc = (model(X[1500:]).argmax(1) == y[1500:]).float().mean()
""")

# =============================== BUGGY: graph kept ===============================
L("gk_total_plus_loss", {"graph_kept"}, """
X, y = blobs()
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        total = 0
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss
        print_value = total / 19
""")

L("gk_list_append", {"graph_kept"}, """
X, y = reg()
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
history = []
def train():
    for epoch in range(10):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+40]), y[i:i+40])
            loss.backward()
            optimizer.step()
            history.append(loss)
""")

L("gk_running_average", {"graph_kept"}, """
X, y = moons()
model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    running = 0.0
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb).squeeze(1), yb)
            loss.backward()
            optimizer.step()
            running = 0.9 * running + 0.1 * loss
""")

L("gk_helper_epoch_sum", {"graph_kept"}, """
X, y = digits()
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
def train_one_epoch():
    epoch_loss = 0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        epoch_loss = epoch_loss + loss
    return epoch_loss / len(loader)
def train():
    losses = []
    for epoch in range(3):
        losses.append(train_one_epoch())
""")

# =============================== BUGGY: eval with grad ===============================
L("eg_val_without_no_grad", {"eval_grad"}, """
X, y = blobs(n=800, C=3)
Xtr, ytr, Xva, yva = X[:600], y[:600], X[600:], y[600:]
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(8):
        model.train()
        for xb, yb in DataLoader(TensorDataset(Xtr, ytr), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        val_loss = loss_fn(model(Xva), yva).item()
""")

L("eg_every_k_steps", {"eval_grad"}, """
X, y = reg(n=500)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.MSELoss()
def train():
    step = 0
    for epoch in range(10):
        for i in range(0, 400, 20):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+20]), y[i:i+20]).backward()
            optimizer.step()
            step += 1
            if step % 25 == 0:
                val = loss_fn(model(X[400:]), y[400:]).item()
""")

L("eg_train_accuracy_per_epoch", {"eval_grad"}, """
X, y = digits()
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=128, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        acc = (model(X).argmax(dim=1) == y).float().mean().item()
""")

L("eg_evaluate_helper_with_eval_only", {"eval_grad"}, """
X, y = blobs(n=600, d=8, C=2)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 2))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def evaluate(loader):
    model.eval()
    correct = 0
    for xb, yb in loader:
        correct += (model(xb).argmax(1) == yb).sum().item()
    model.train()
    return correct
def train():
    tr = DataLoader(TensorDataset(X[:480], y[:480]), batch_size=32, shuffle=True)
    va = DataLoader(TensorDataset(X[480:], y[480:]), batch_size=60)
    for epoch in range(5):
        model.train()
        for xb, yb in tr:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        evaluate(va)
""")

# =============================== BUGGY: inputs ===============================
L("is_digits_0_255_mlp", {"input_scale"}, """
X, y = digits(scale=1 / 16)     # 0..255 픽셀
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"lr_high", "dead_relu"})

L("is_features_1000x", {"input_scale"}, """
X, y = blobs(n=600, d=4, C=2)
X = X * torch.tensor([1.0, 1000.0, 0.5, 3.0])
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"lr_high", "dead_relu"})

L("is_house_prices_raw", {"input_scale"}, """
g = torch.Generator().manual_seed(SEED)
n = 300
area = 50 + 150 * torch.rand(n, 1, generator=g)          # m^2
rooms = torch.randint(1, 6, (n, 1), generator=g).float()
year = 1970 + 50 * torch.rand(n, 1, generator=g)
X = torch.cat([area, rooms, year], dim=1)
y = (0.02 * area + 0.3 * rooms + 0.01 * (year - 1970) + 0.1 * torch.randn(n, 1, generator=g))
y = (y - y.mean()) / y.std()
model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-7)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(20):
        for i in range(0, n, 30):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+30]), y[i:i+30]).backward()
            optimizer.step()
""", also_ok={"lr_high", "lr_low"})

L("is_cnn_0_255", {"input_scale"}, """
X, y = digits(scale=1 / 16, images=True)
model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    model.train()
    for epoch in range(2):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"lr_high", "dead_relu"})

L("is_wine_raw", {"input_scale"}, """
d = skd.load_wine()
X, y = torch.tensor(d.data, dtype=torch.float32), torch.tensor(d.target)
model = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(20):
        perm = torch.randperm(len(X))
        for i in range(0, len(X), 16):
            idx = perm[i:i+16]
            optimizer.zero_grad()
            loss_fn(model(X[idx]), y[idx]).backward()
            optimizer.step()
""", also_ok={"lr_high", "dead_relu"})

L("is_breast_cancer_raw_logreg", {"input_scale"}, """
d = skd.load_breast_cancer()
X, y = torch.tensor(d.data, dtype=torch.float32), torch.tensor(d.target, dtype=torch.float32)
model = nn.Linear(30, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(30):
        optimizer.zero_grad()
        loss = loss_fn(model(X).squeeze(1), y)
        loss.backward()
        optimizer.step()
""", also_ok={"lr_high", "lr_low"})

L("ci_constant_column", {"constant_input"}, """
X, y = blobs(n=600, d=6, C=3)
X[:, 3] = 1.0          # 결측값을 1로 채움 (실수)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

L("ci_first_sample_broadcast", {"constant_input"}, """
X, y = reg(n=400, d=5)
X[:, 0] = X[0, 0]      # 잘못된 인덱싱
model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(10):
        for i in range(0, 400, 50):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+50]), y[i:i+50]).backward()
            optimizer.step()
""")

L("ci_all_rows_same_sample", {"constant_input"}, """
X, y = blobs(n=400, d=5, C=2)
Xb = X[0].repeat(len(X), 1)      # 모든 행이 같은 샘플
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(Xb, y), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

L("nf_std_zero_division", {"nonfinite_input"}, """
X, y = blobs(n=500, d=6, C=3, std=False)
X[:, 2] = 5.0
X = (X - X.mean(0)) / X.std(0)     # 0으로 나눔 -> NaN
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=25, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"constant_input"})

L("nf_one_nan_row", {"nonfinite_input"}, """
X, y = blobs(n=600, d=6, C=3)
X[37, 1] = float('nan')
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

L("nf_log_of_zero", {"nonfinite_input"}, """
X, y = reg(n=400, d=4)
X[:, 3] = torch.log(X[:, 3].clamp(min=0))      # log(0) = -inf
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
            optimizer.step()
""")

L("nf_nan_target", {"nonfinite_input"}, """
X, y = reg(n=400, d=5)
y[123] = float('nan')       # 결측 타깃
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"lr_high"})

L("nf_missing_values_many", {"nonfinite_input"}, """
g = torch.Generator().manual_seed(SEED)
X, y = blobs(n=500, d=8, C=2)
mask = torch.rand(X.shape, generator=g) < 0.01
X[mask] = float('nan')
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for i in range(0, 500, 50):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+50]), y[i:i+50]).backward()
            optimizer.step()
""")

# =============================== BUGGY: labels ===============================
L("sl_sorted_loader_no_shuffle", {"sorted_labels"}, """
X, y = blobs(n=600, C=3, sort=True)
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=False)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

L("sl_sorted_manual_slicing_digits", {"sorted_labels"}, """
X, y = digits()
order = torch.argsort(y, stable=True)
X, y = X[order], y[order]
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for i in range(0, len(X), 50):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+50]), y[i:i+50]).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

L("sl_sorted_binary_bce", {"sorted_labels"}, """
X, y = blobs(n=500, d=5, C=2, sort=True)
y = y.float()
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=25):
            optimizer.zero_grad()
            loss_fn(model(xb).squeeze(1), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

L("sl_labels_all_one_class", {"sorted_labels"}, """
X, y = blobs(n=600, C=2)
y = (X[:, 0] > 100).long()          # 잘못된 임계값: 전부 0
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

L("sl_sorted_blobs_4class_helper", {"sorted_labels"}, """
X, y = blobs(n=800, d=6, C=4, sort=True)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 4))
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train_one_epoch(bs=40):
    for i in range(0, len(X), bs):
        xb, yb = X[i:i+bs], y[i:i+bs]
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
def train():
    for epoch in range(4):
        train_one_epoch()
""", also_ok={"chance_loss"})

# =============================== BUGGY: chance ===============================
L("ch_random_labels", {"chance_loss"}, """
g = torch.Generator().manual_seed(SEED)
X = torch.randn(2000, 10, generator=g)
y = torch.randint(0, 4, (2000,), generator=g)       # 레이블이 입력과 무관
model = nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 4))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

L("ch_X_shuffled_not_y", {"chance_loss"}, """
X, y = blobs(n=1500, d=6, C=3)
perm = torch.randperm(len(X))
X = X[perm]        # y는 섞지 않음
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for i in range(0, 1500, 30):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+30]), y[i:i+30]).backward()
            optimizer.step()
""")

# =============================== BUGGY: learning rate ===============================
L("lrh_sgd_lr10_regression", {"lr_high"}, """
X, y = reg(n=400, d=5)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=10.0)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
            optimizer.step()
""", also_ok={"dead_relu"})

L("lrh_adam_lr1_classification", {"lr_high"}, """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1.0)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"dead_relu", "chance_loss"})

L("lrh_momentum_lr3", {"lr_high"}, """
X, y = moons()
model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=3.0, momentum=0.9)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=20, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb).squeeze(1), yb).backward()
            optimizer.step()
""")

L("lrh_linear_regression_lr5_fullbatch", {"lr_high"}, """
X, y = reg(n=300, d=5)
model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(50):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
""")

L("lrh_rmsprop_lr05", {"lr_high"}, """
X, y = digits()
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.5)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"dead_relu", "chance_loss"})

L("lrl_sgd_1e-7", {"lr_low"}, """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-7)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

L("lrl_adam_1e-8", {"lr_low"}, """
X, y = reg(n=400, d=5)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-8)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(8):
        for i in range(0, 400, 50):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+50]), y[i:i+50]).backward()
            optimizer.step()
""")

L("lrl_cnn_sgd_1e-6", {"lr_low"}, """
X, y = digits(images=True)
model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 64, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
        optimizer.zero_grad()
        loss_fn(model(xb), yb).backward()
        optimizer.step()
""", also_ok={"chance_loss"})

L("lrl_bce_custom_1e-7", {"lr_low"}, """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
    def forward(self, x):
        return self.net(x).squeeze(1)
X, y = moons()
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-7)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

# =============================== BUGGY: dead relu / vanishing ===============================
L("dr_negative_bias_init", {"dead_relu"}, """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 3))
with torch.no_grad():
    model[0].bias.fill_(-10.0)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

L("dr_F_relu_custom_negative_bias", {"dead_relu"}, """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(5, 64); self.fc2 = nn.Linear(64, 1)
        nn.init.constant_(self.fc1.bias, -8.0)
    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
X, y = reg(n=400, d=5)
model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
            optimizer.step()
""")

L("dr_deep_relu_killed_by_lr", {"dead_relu"}, """
X, y = reg(n=400, d=5)
model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
            optimizer.step()
""", also_ok={"lr_high", "nonfinite_input"})

L("va_deep_sigmoid_seq", {"vanishing"}, """
X, y = blobs(n=600, d=6, C=3)
layers = [nn.Linear(6, 32), nn.Sigmoid()]
for _ in range(8):
    layers += [nn.Linear(32, 32), nn.Sigmoid()]
model = nn.Sequential(*layers, nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low"})

L("va_deep_tanh_small_init", {"vanishing"}, """
class Deep(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(5 if i == 0 else 32, 32) for i in range(10)])
        for l in self.layers:
            nn.init.normal_(l.weight, std=0.05)
        self.out = nn.Linear(32, 1)
    def forward(self, x):
        for l in self.layers:
            x = torch.tanh(l(x))
        return self.out(x)
X, y = reg(n=400, d=5)
model = Deep()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
            optimizer.step()
""", also_ok={"lr_low"})

L("va_deep_sigmoid_binary_modulelist", {"vanishing"}, """
class Deep(nn.Module):
    def __init__(self, depth=12):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(2 if i == 0 else 16, 16) for i in range(depth)])
        self.out = nn.Linear(16, 1)
    def forward(self, x):
        for layer in self.hidden:
            x = torch.sigmoid(layer(x))
        return self.out(x).squeeze(1)
X, y = moons()
model = Deep()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low"})

# =============================== BUGGY: broken graph ===============================
L("bg_detach_in_forward", {"no_grad_params"}, """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 32), nn.ReLU())
        self.head = nn.Linear(32, 3)
    def forward(self, x):
        h = self.body(x).detach()
        return self.head(h)
X, y = blobs()
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

L("bg_numpy_in_forward", {"no_grad_params"}, """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(5, 16); self.fc2 = nn.Linear(16, 1)
    def forward(self, x):
        h = self.fc1(x)
        h = torch.from_numpy(np.tanh(h.detach().numpy()))   # numpy 활성화
        return self.fc2(h)
X, y = reg()
model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
            optimizer.step()
""")

L("bg_item_gate", {"no_grad_params"}, """
class Gated(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate = nn.Linear(6, 1); self.fc = nn.Linear(6, 3)
    def forward(self, x):
        g = torch.sigmoid(self.gate(x)).mean().item()
        return self.fc(x) * g
X, y = blobs()
model = Gated()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=30, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

L("bg_tolist_rewrap", {"no_grad_params"}, """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1); self.fc = nn.Linear(4 * 64, 10)
    def forward(self, x):
        h = F.relu(self.conv(x))
        h = torch.tensor(h.tolist())       # 리스트로 바꿨다가 다시
        return self.fc(h.flatten(1))
X, y = digits(images=True)
X, y = X[:640], y[:640]
model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
        optimizer.zero_grad()
        loss_fn(model(xb), yb).backward()
        optimizer.step()
""")

L("bg_detach_first_of_deep", {"no_grad_params"}, """
X, y = reg(n=400, d=5)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(5, 32); self.b = nn.Linear(32, 32); self.c = nn.Linear(32, 1)
    def forward(self, x):
        x = F.relu(self.a(x))
        x = F.relu(self.b(x.detach()))
        return self.c(x)
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(6):
        for i in range(0, 400, 32):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
            optimizer.step()
""")

# =============================== BUGGY: combinations of two ===============================
L("C_zg_softmax", {"zero_grad", "softmax"}, """
X, y = blobs(C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3), nn.Softmax(dim=1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_high"})

L("C_zg_eval_grad", {"zero_grad", "eval_grad"}, """
X, y = reg(n=500)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(6):
        for i in range(0, 400, 40):
            loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
            optimizer.step()
        val = loss_fn(model(X[400:]), y[400:]).item()
""", also_ok={"lr_high"})

L("C_softmax_sorted", {"softmax", "sorted_labels"}, """
X, y = blobs(n=600, C=3, sort=True)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3), nn.Softmax(dim=1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=30):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

L("C_pixels255_graph_kept", {"input_scale", "graph_kept"}, """
X, y = digits(scale=1 / 16)
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
loss_fn = nn.CrossEntropyLoss()
def train():
    total = 0
    for epoch in range(2):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss
""", also_ok={"lr_high", "dead_relu"})

L("C_eval_mode_and_eval_grad", {"eval_mode", "eval_grad"}, """
X, y = blobs(n=700, d=8, C=3)
model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    model.train()
    for epoch in range(8):
        for xb, yb in DataLoader(TensorDataset(X[:500], y[:500]), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        val_loss = loss_fn(model(X[500:]), y[500:]).item()
""")

L("C_train_mode_eval_graph_kept", {"train_mode", "graph_kept"}, """
X, y = reg(n=500, d=6)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
def train():
    hist = []
    for epoch in range(6):
        run = 0
        for i in range(0, 400, 25):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+25]), y[i:i+25])
            loss.backward()
            optimizer.step()
            run += loss
        with torch.no_grad():
            hist.append((run, loss_fn(model(X[400:]), y[400:])))
""")

L("C_constant_and_lr_low", {"constant_input", "lr_low"}, """
X, y = blobs(n=600, d=6, C=3)
X[:, 0] = 2.5
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-7)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

L("C_nan_and_sorted", {"nonfinite_input", "sorted_labels"}, """
X, y = blobs(n=600, C=3, sort=True)
X[450, 2] = float('nan')
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for i in range(0, 600, 30):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+30]), y[i:i+30]).backward()
            optimizer.step()
""")

L("C_old_optimizer_and_eval_grad", {"not_optimized", "eval_grad"}, """
X, y = blobs(n=700, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 3))
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X[:500], y[:500]), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        acc = (model(X[500:]).argmax(1) == y[500:]).float().mean().item()
""", also_ok={"unchanged", "order"})

L("C_detach_and_graph_kept", {"no_grad_params", "graph_kept"}, """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(5, 32); self.dec = nn.Linear(32, 1)
    def forward(self, x):
        return self.dec(torch.relu(self.enc(x)).detach())
X, y = reg()
model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
def train():
    losses = []
    for epoch in range(5):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+40]), y[i:i+40])
            loss.backward()
            optimizer.step()
            losses.append(loss)
""")

L("C_vanishing_and_scale", {"vanishing", "input_scale"}, """
X, y = blobs(n=600, d=4, C=2)
X = X * torch.tensor([1.0, 2000.0, 1.0, 1.0])
layers = []
for i in range(8):
    layers += [nn.Linear(4 if i == 0 else 32, 32), nn.Sigmoid()]
model = nn.Sequential(*layers, nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low"})

L("C_no_step_graph_kept", {"no_step", "graph_kept"}, """
X, y = blobs(n=600, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    total = 0
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            total = total + loss
""", also_ok={"unchanged", "chance_loss"})

L("C_lr_high_eval_grad", {"lr_high", "eval_grad"}, """
X, y = reg(n=500, d=5)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=8.0)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(6):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
            optimizer.step()
        val = loss_fn(model(X[400:]), y[400:])
""", also_ok={"dead_relu"})

L("C_sigmoid_bcelogits_train_mode_eval", {"softmax", "train_mode"}, """
X, y = moons(n=500)
model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1), nn.Sigmoid())
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(15):
        for xb, yb in DataLoader(TensorDataset(X[:400], y[:400]), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb).squeeze(1), yb).backward()
            optimizer.step()
        with torch.no_grad():
            acc = ((model(X[400:]).squeeze(1) > 0.5).float() == y[400:]).float().mean()
""", also_ok={"chance_loss", "lr_low"})

L("C_dead_relu_eval_grad", {"dead_relu", "eval_grad"}, """
X, y = blobs(n=700, C=3)
model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 3))
nn.init.constant_(model[0].bias, -12.0)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X[:500], y[:500]), batch_size=25, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model(X[500:])
""", also_ok={"chance_loss"})

L("C_zg_input_scale", {"zero_grad", "input_scale"}, """
d = skd.load_wine()
X, y = torch.tensor(d.data, dtype=torch.float32), torch.tensor(d.target)
model = nn.Sequential(nn.Linear(13, 16), nn.ReLU(), nn.Linear(16, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True):
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"lr_high", "dead_relu"})

L("C_eval_mode_sorted", {"eval_mode", "sorted_labels"}, """
X, y = blobs(n=600, C=3, sort=True)
model = nn.Sequential(nn.Linear(6, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    model.eval()
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=30, shuffle=False):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss"})

L("C_nll_raw_graph_kept", {"log_softmax", "graph_kept"}, """
X, y = digits()
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.NLLLoss()
def train():
    for epoch in range(2):
        epoch_loss = 0
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            epoch_loss += loss
""", also_ok={"lr_high"})

L("C_order_and_eval_grad", {"order", "eval_grad"}, """
X, y = blobs(n=700, C=2)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X[:500], y[:500]), batch_size=25, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            optimizer.step()
            loss.backward()
        acc = (model(X[500:]).argmax(1) == y[500:]).float().mean()
""", also_ok={"unchanged", "chance_loss"})

L("C_random_labels_eval_mode", {"chance_loss", "eval_mode"}, """
g = torch.Generator().manual_seed(SEED)
X = torch.randn(2000, 10, generator=g)
y = torch.randint(0, 3, (2000,), generator=g)
model = nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Dropout(0.3), nn.Linear(8, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    model.eval()
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

L("C_vanishing_zero_grad", {"vanishing", "zero_grad"}, """
layers = [nn.Linear(6, 32), nn.Sigmoid()]
for _ in range(9):
    layers += [nn.Linear(32, 32), nn.Sigmoid()]
model = nn.Sequential(*layers, nn.Linear(32, 3))
X, y = blobs(C=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"chance_loss", "lr_low", "lr_high"})

# =============================== CORRECT loops (must be silent) ===============================
def OK(name, code, also_ok=()):
    L("ok_" + name, set(), code, also_ok)


OK("loader_mlp_sgd", """
X, y = blobs()
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(10):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""")

OK("manual_slicing_adam_regression", """
X, y = reg(n=400, d=8)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(15):
        perm = torch.randperm(len(X))
        for i in range(0, len(X), 32):
            idx = perm[i:i+32]
            optimizer.zero_grad()
            loss_fn(model(X[idx]), y[idx]).backward()
            optimizer.step()
""")

OK("sequential_bce_binary", """
X, y = moons()
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(20):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb).squeeze(1), yb).backward()
            optimizer.step()
""")

OK("cnn_digits_eval_each_epoch", """
X, y = digits(images=True)
Xtr, ytr, Xva, yva = X[:1400], y[:1400], X[1400:], y[1400:]
model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        model.train()
        for xb, yb in DataLoader(TensorDataset(Xtr, ytr), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            acc = (model(Xva).argmax(1) == yva).float().mean().item()
""")

OK("grad_accumulation_4", """
X, y = blobs(n=640, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
accum = 4
def train():
    loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
    for epoch in range(5):
        optimizer.zero_grad()
        for i, (xb, yb) in enumerate(loader):
            loss = loss_fn(model(xb), yb) / accum
            loss.backward()
            if (i + 1) % accum == 0:
                optimizer.step()
                optimizer.zero_grad()
""")

OK("grad_accumulation_2_leftover", """
X, y = reg(n=330, d=5)
model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(8):
        optimizer.zero_grad()
        n = 0
        for i in range(0, 330, 20):
            loss_fn(model(X[i:i+20]), y[i:i+20]).div(2).backward()
            n += 1
            if n % 2 == 0:
                optimizer.step(); optimizer.zero_grad()
        if n % 2:
            optimizer.step(); optimizer.zero_grad()
""")

OK("zero_grad_set_to_none_false", """
X, y = blobs(C=2)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad(set_to_none=False)
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("model_zero_grad", """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 32); self.fc2 = nn.Linear(32, 3)
    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
X, y = blobs()
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            model.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""")

OK("steplr_scheduler", """
X, y = digits()
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        scheduler.step()
""")

OK("adamw_weight_decay", """
X, y = blobs(n=600, d=10, C=4)
model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 4))
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("sgd_weight_decay_nesterov", """
X, y = reg(n=400, d=6)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=1e-4)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("grad_clipping", """
X, y = reg(n=400, d=5)
model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(8):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+40]), y[i:i+40])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
            optimizer.step()
""")

OK("batchnorm_mlp_eval", """
X, y = blobs(n=800, d=8, C=3)
model = nn.Sequential(nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        model.train()
        for xb, yb in DataLoader(TensorDataset(X[:600], y[:600]), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val = loss_fn(model(X[600:]), y[600:]).item()
""")

OK("early_stopping_deepcopy", """
X, y = blobs(n=800, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    best, best_state, patience = float('inf'), None, 0
    for epoch in range(30):
        model.train()
        for xb, yb in DataLoader(TensorDataset(X[:600], y[:600]), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val = loss_fn(model(X[600:]), y[600:]).item()
        if val < best - 1e-4:
            best, best_state, patience = val, copy.deepcopy(model.state_dict()), 0
        else:
            patience += 1
            if patience >= 3:
                break
    model.load_state_dict(best_state)
""")

OK("mixed_loss_l2_penalty", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(8):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            l2 = sum((p ** 2).sum() for p in model.parameters())
            loss = loss_fn(model(xb), yb) + 1e-4 * l2
            loss.backward()
            optimizer.step()
""")

OK("mixed_loss_two_heads", """
class TwoHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 32), nn.ReLU())
        self.cls = nn.Linear(32, 3); self.reg = nn.Linear(32, 1)
    def forward(self, x):
        h = self.body(x)
        return self.cls(h), self.reg(h)
X, y = blobs(n=600, d=6, C=3)
t = X[:, :1] * 0.5
model = TwoHead()
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
mse = nn.MSELoss()
def train():
    for epoch in range(8):
        for xb, yb, tb in DataLoader(TensorDataset(X, y, t), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            logits, r = model(xb)
            loss = loss_fn(logits, yb) + 0.5 * mse(r, tb)
            loss.backward()
            optimizer.step()
""")

OK("eval_every_k_inference_mode", """
X, y = blobs(n=900, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    step = 0
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X[:700], y[:700]), batch_size=20, shuffle=True):
            model.train()
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            step += 1
            if step % 20 == 0:
                model.eval()
                with torch.inference_mode():
                    val = loss_fn(model(X[700:]), y[700:]).item()
""")

OK("frozen_body_trained_head", """
X, y = blobs(n=600, d=6, C=3)
body = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
for p in body.parameters():
    p.requires_grad = False           # "사전학습된" 부분
head = nn.Linear(32, 3)
model = nn.Sequential(body, head)
optimizer = torch.optim.Adam(head.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(8):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("frozen_cnn_features_filter_optimizer", """
X, y = digits(images=True)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Linear(128, 10)
    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))
model = Net()
model.features.requires_grad_(False)
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(2):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("short_10_steps", """
X, y = blobs(n=320, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for i in range(0, 320, 32):
        optimizer.zero_grad()
        loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
        optimizer.step()
""")

OK("short_30_steps_adam", """
X, y = reg(n=300, d=5)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.MSELoss()
def train():
    for step in range(30):
        i = (step * 10) % 300
        optimizer.zero_grad()
        loss_fn(model(X[i:i+10]), y[i:i+10]).backward()
        optimizer.step()
""")

OK("long_1500_tiny_steps", """
X, y = reg(n=300, d=3)
model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
def train():
    for step in range(1500):
        i = (step * 4) % 300
        optimizer.zero_grad()
        loss_fn(model(X[i:i+4]), y[i:i+4]).backward()
        optimizer.step()
""")

OK("long_1200_steps_mlp_bs8", """
X, y = blobs(n=400, d=6, C=2)
model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.02)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(24):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("full_batch_gd_regression", """
X, y = reg(n=200, d=4)
model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(200):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
""")

OK("batch_size_1_sgd", """
X, y = moons(n=200)
model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for xb, yb in DataLoader(TensorDataset(X, y), batch_size=1, shuffle=True):
        optimizer.zero_grad()
        loss_fn(model(xb).squeeze(1), yb).backward()
        optimizer.step()
""")

OK("while_loop_step_counter", """
X, y = blobs(n=500, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 24), nn.ReLU(), nn.Linear(24, 3))
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    step, max_steps = 0, 150
    while step < max_steps:
        idx = torch.randint(0, len(X), (32,))
        optimizer.zero_grad()
        loss = loss_fn(model(X[idx]), y[idx])
        loss.backward()
        optimizer.step()
        step += 1
""")

OK("helpers_train_one_epoch_evaluate", """
X, y = blobs(n=800, d=8, C=4)
tr = DataLoader(TensorDataset(X[:600], y[:600]), batch_size=32, shuffle=True)
va = DataLoader(TensorDataset(X[600:], y[600:]), batch_size=100)
model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train_one_epoch():
    model.train()
    total = 0.0
    for xb, yb in tr:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    return total / 600
def evaluate():
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in va:
            correct += (model(xb).argmax(1) == yb).sum().item()
    return correct / 200
def train():
    for epoch in range(6):
        train_one_epoch(); evaluate()
""")

OK("log_softmax_nll", """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32); self.fc2 = nn.Linear(32, 10)
    def forward(self, x):
        return F.log_softmax(self.fc2(F.relu(self.fc1(x))), dim=1)
X, y = digits()
model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.NLLLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("log_softmax_before_ce_harmless", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3), nn.LogSoftmax(dim=1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()   # CE(log_softmax(z)) == CE(z): 결과는 같음
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("onecycle_scheduler_per_step", """
X, y = blobs(n=640, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=8 * len(loader))
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(8):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            scheduler.step()
""")

OK("reduce_on_plateau", """
X, y = reg(n=500, d=5)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=1)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(12):
        model.train()
        for i in range(0, 400, 25):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+25]), y[i:i+25]).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val = loss_fn(model(X[400:]), y[400:]).item()
        scheduler.step(val)
""")

OK("warmup_lambdalr", """
X, y = digits()
model = nn.Sequential(nn.Linear(64, 48), nn.ReLU(), nn.Linear(48, 10))
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / 20))
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            scheduler.step()
""")

OK("digits_mlp_scaled_16", """
X, y = digits()
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("total_loss_item", """
X, y = reg(n=400, d=5)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
def train():
    history = []
    for epoch in range(10):
        total = 0.0
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item()
        history.append(total / 10)
""")

OK("losses_append_detach", """
X, y = blobs(n=600, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    losses = []
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
    return torch.stack(losses).mean()
""")

OK("standardize_train_stats_breast_cancer", """
d = skd.load_breast_cancer()
X, y = torch.tensor(d.data, dtype=torch.float32), torch.tensor(d.target, dtype=torch.float32)
g = torch.Generator().manual_seed(SEED)
perm = torch.randperm(len(X), generator=g)
tr, te = perm[:450], perm[450:]
mean, std = X[tr].mean(0), X[tr].std(0)
X = (X - mean) / std
model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X[tr], y[tr]), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb).squeeze(1), yb).backward()
            optimizer.step()
""")

OK("shallow_tanh_net", """
X, y = moons()
model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(15):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb).squeeze(1), yb).backward()
            optimizer.step()
""")

OK("ten_class_adam", """
X, y = blobs(n=1000, d=12, C=10, sep=2.0)
model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("multi_output_regression", """
X, y = reg(n=400, d=6, out=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(10):
        for i in range(0, 400, 32):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
            optimizer.step()
""")

OK("bce_pos_weight_imbalanced", """
X, y = blobs(n=600, d=6, C=2)
keep = (y == 0) | (torch.arange(600) % 5 == 0)
X, y = X[keep], y[keep].float()
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(4.0))
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb).squeeze(1), yb).backward()
            optimizer.step()
""")

OK("deep_leakyrelu_kaiming", """
layers = []
for i in range(6):
    lin = nn.Linear(6 if i == 0 else 32, 32)
    nn.init.kaiming_normal_(lin.weight, nonlinearity='leaky_relu')
    layers += [lin, nn.LeakyReLU(0.01)]
model = nn.Sequential(*layers, nn.Linear(32, 3))
X, y = blobs(n=600, C=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("moons_full_batch_50_epochs", """
X, y = moons(n=300)
model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(50):
        optimizer.zero_grad()
        loss = loss_fn(model(X).squeeze(1), y)
        loss.backward()
        optimizer.step()
""")

OK("cnn_bn_dropout_modes", """
X, y = digits(images=True)
class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2))
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(128, 10)
    def forward(self, x):
        return self.fc(self.drop(self.conv(x).flatten(1)))
model = CNN()
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(2):
        model.train()
        for xb, yb in DataLoader(TensorDataset(X[:1500], y[:1500]), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            acc = (model(X[1500:]).argmax(1) == y[1500:]).float().mean()
""")

OK("nograd_eval_no_mode_layers", """
X, y = blobs(n=700, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X[:500], y[:500]), batch_size=25, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        with torch.no_grad():                   # no dropout / batch norm: mode does not matter
            acc = (model(X[500:]).argmax(1) == y[500:]).float().mean()
""")

OK("huber_regression", """
X, y = reg(n=400, d=5)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.SmoothL1Loss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("label_smoothing_ce", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("zero_grad_after_step", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
""")

OK("stratified_sorted_but_shuffled_loader", """
X, y = blobs(n=600, C=3, sort=True)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
    for epoch in range(6):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("one_hot_feature_column", """
X, y = blobs(n=600, d=5, C=2)
g = torch.Generator().manual_seed(SEED)
cat = torch.randint(0, 3, (600,), generator=g)
X = torch.cat([X, F.one_hot(cat, 3).float()], dim=1)
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=30, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("closure_free_lbfgs_like_adam_small_lr_ok", """
X, y = reg(n=400, d=5)
model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

# ---- added after the first run (same rule: expectations written before running these) ----
L("tm_eval_without_parens", {"train_mode"}, """
X, y = blobs(n=700, d=8, C=3)
model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        model.train()
        for xb, yb in DataLoader(TensorDataset(X[:500], y[:500]), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval                      # 괄호 없음: 아무 일도 안 함
        with torch.no_grad():
            acc = (model(X[500:]).argmax(1) == y[500:]).float().mean()
""")

L("em_train_without_parens", {"eval_mode"}, """
X, y = blobs(n=700, d=8, C=3)
model = nn.Sequential(nn.Linear(8, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(8):
        model.train                     # 괄호 없음
        for xb, yb in DataLoader(TensorDataset(X[:500], y[:500]), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            acc = (model(X[500:]).argmax(1) == y[500:]).float().mean()
""")

OK("warmup_from_zero_lambda", """
X, y = blobs(n=640, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
warmup = 100
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, s / warmup))
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(15):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            scheduler.step()
""")

OK("linearlr_warmup_start_factor_1e-3", """
X, y = reg(n=400, d=5)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1e-3, total_iters=50)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(15):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=20, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            scheduler.step()
""")

OK("clip_grad_value", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.05)
            optimizer.step()
""")

OK("grad_scaler_cpu", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scaler = torch.amp.GradScaler("cpu")
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            scaler.scale(loss_fn(model(xb), yb)).backward()
            scaler.step(optimizer)
            scaler.update()
""")

OK("sigmoid_with_bceloss", """
X, y = moons()
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.BCELoss()
def train():
    for epoch in range(15):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb).squeeze(1), yb).backward()
            optimizer.step()
""")

OK("softmax_then_log_nll", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3), nn.Softmax(dim=1))
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.NLLLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(torch.log(model(xb) + 1e-8), yb).backward()
            optimizer.step()
""")

OK("bce_weak_features_imbalanced", """
g = torch.Generator().manual_seed(SEED)
X = torch.randn(800, 6, generator=g)
y = ((torch.rand(800, generator=g) + 0.1 * X[:, 0]) < 0.7).float()    # 70% positives, weak signal
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(8):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb).squeeze(1), yb).backward()
            optimizer.step()
""")

OK("frozen_bn_backbone_kept_in_eval", """
X, y = blobs(n=600, d=6, C=3)
backbone = nn.Sequential(nn.Linear(6, 32), nn.BatchNorm1d(32), nn.ReLU())
backbone.requires_grad_(False)
model = nn.Sequential(backbone, nn.Linear(32, 3))
optimizer = torch.optim.Adam(model[1].parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        model.train()
        backbone.eval()                 # keep the frozen BN statistics
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("two_forwards_per_step_consistency", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    model.train()
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            a = model(xb)
            b = model(xb + 0.05 * torch.randn_like(xb))
            loss = loss_fn(a, yb) + 0.5 * F.mse_loss(a, b)
            loss.backward()
            optimizer.step()
""")

OK("lbfgs_closure_full_batch", """
X, y = reg(n=300, d=5)
model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))
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
""")

OK("zero_grad_after_forward", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
""")

OK("deep_relu_default_init_adam", """
layers = [nn.Linear(6, 64), nn.ReLU()]
for _ in range(7):
    layers += [nn.Linear(64, 64), nn.ReLU()]
model = nn.Sequential(*layers, nn.Linear(64, 3))
X, y = blobs(n=600, d=6, C=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""", also_ok={"vanishing"})

OK("last_loss_reference_only", """
X, y = reg(n=400, d=5)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
def train():
    last = None
    for epoch in range(10):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+40]), y[i:i+40])
            loss.backward()
            optimizer.step()
            last = loss                 # one reference, replaced every step
    return last.item()
""")

OK("time_series_sorted_regression", """
t = torch.linspace(0, 6, 600).unsqueeze(1)
X = torch.cat([torch.sin(t), torch.cos(t), (t - 3) / 1.7], dim=1)
y = torch.sin(2 * t) + 0.05 * torch.randn(600, 1)
model = nn.Sequential(nn.Linear(3, 32), nn.Tanh(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(10):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

# ---- batch 3 (expectations written before running) ----
L("zg_zero_grad_without_parens", {"zero_grad"}, """
X, y = blobs()
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad          # 괄호 없음
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
""", also_ok={"lr_high"})

L("or_backward_without_parens", {"order"}, """
X, y = reg()
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(8):
        for i in range(0, 400, 40):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i+40]), y[i:i+40])
            loss.backward                # 괄호 없음
            optimizer.step()
""", also_ok={"unchanged", "no_step"})

L("ns_step_without_parens", {"no_step"}, """
X, y = blobs(C=2)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step               # 괄호 없음
""", also_ok={"unchanged"})

L("C_zero_grad_no_parens_and_train_mode_eval", {"zero_grad", "train_mode"}, """
X, y = blobs(n=700, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.02)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(X[:500], y[:500]), batch_size=25, shuffle=True):
            optimizer.zero_grad
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        with torch.no_grad():
            acc = (model(X[500:]).argmax(1) == y[500:]).float().mean()
""", also_ok={"lr_high"})

OK("embedding_bag_token_ids", """
g = torch.Generator().manual_seed(SEED)
X = torch.randint(0, 500, (600, 12), generator=g)
y = (X < 250).sum(1).gt(6).long()
class Bag(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(500, 16); self.fc = nn.Linear(16, 2)
    def forward(self, ids):
        return self.fc(self.emb(ids).mean(1))
model = Bag()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("intercept_column_of_ones", """
X, y = reg(n=300, d=4)
X = torch.cat([torch.ones(len(X), 1), X], dim=1)     # 절편 열
model = nn.Linear(5, 1, bias=False)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(20):
        for i in range(0, 300, 30):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+30]), y[i:i+30]).backward()
            optimizer.step()
""")

OK("retain_graph_harmless", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(6):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward(retain_graph=True)
            optimizer.step()
""")

OK("cosine_to_zero", """
X, y = digits()
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=4 * len(loader), eta_min=0.0)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            scheduler.step()
""")

OK("long_3000_steps_adam_tiny", """
X, y = moons(n=200)
model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for step in range(3000):
        i = (step * 2) % 200
        optimizer.zero_grad()
        loss_fn(model(X[i:i+2]).squeeze(1), y[i:i+2]).backward()
        optimizer.step()
""")

OK("set_grad_enabled_eval", """
X, y = blobs(n=700, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
def run_epoch(Xs, ys, training):
    model.train(training)
    with torch.set_grad_enabled(training):
        for xb, yb in DataLoader(TensorDataset(Xs, ys), batch_size=50, shuffle=training):
            loss = loss_fn(model(xb), yb)
            if training:
                optimizer.zero_grad(); loss.backward(); optimizer.step()
def train():
    for epoch in range(6):
        run_epoch(X[:500], y[:500], True)
        run_epoch(X[500:], y[500:], False)
""")

OK("adam_lr_1e-2_course_default", """
X, y = blobs(n=600, d=6, C=3)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(15):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")

OK("noisy_labels_hard_but_learnable", """
X, y = blobs(n=1200, d=6, C=3, sep=0.6)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
""")
