"""Generated loops (seeded random sizes, data and settings) for the bug classes of the third blind review of
dlstudy.watch: each class fixed by design must hold beyond the review's own loops (tests/test_watch_review3.py)."""

import math
import random

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlstudy.watch import watch

SEEDS = range(3)


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def table(r, n=None, d=None, classes=3):
    """A standardized table with class structure: (X, y, d)."""
    n, d = n or r.choice([240, 320, 400]), d or r.randint(4, 12)
    g = torch.Generator().manual_seed(r.randint(0, 10 ** 6))
    y = torch.randint(0, classes, (n,), generator=g)
    X = torch.randn(classes, d, generator=g)[y] * 1.5 + torch.randn(n, d, generator=g)
    return (X - X.mean(0)) / X.std(0), y, d


def fit(model, optimizer, loss_fn, X, y, epochs, bs, shuffle=True, seed=0, between=None):
    g = torch.Generator().manual_seed(seed)
    with watch(model, optimizer, loss_fn, report=False) as w:
        for epoch in range(epochs):
            model.train()
            order = torch.randperm(len(X), generator=g) if shuffle else torch.arange(len(X))
            for i in range(0, len(X), bs):
                idx = order[i:i + bs]
                optimizer.zero_grad()
                loss_fn(model(X[idx]), y[idx]).backward()
                optimizer.step()
            if between:
                between(model)
    return w


def kinds(w):
    return {f.kind for f in w.findings}


def check(found, expected, also=()):
    assert set(expected) <= found <= set(expected) | set(also), (sorted(found), sorted(expected))


# ---- A: the loss trend is judged on means of several probes, and only blamed on the lr with large steps ----------
@pytest.mark.parametrize("seed", SEEDS)
def test_a_noisy_batches_with_a_good_lr_stay_silent(seed):
    r = random.Random(seed)
    g = torch.Generator().manual_seed(seed)
    n, d = r.choice([256, 384]), r.randint(3, 8)
    X = torch.randn(n, d, generator=g)
    noise = torch.distributions.StudentT(2.0).sample((n, 1)) * r.choice([0.5, 1.0])
    y = X @ torch.randn(d, 1, generator=g) * 2 + noise                   # heavy tails, unshuffled slices
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Linear(32, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2) if seed % 2 else \
        torch.optim.SGD(model.parameters(), lr=0.01)
    check(kinds(fit(model, optimizer, nn.MSELoss(), X, y, r.randint(3, 6), r.choice([8, 16]), shuffle=False)), [])


@pytest.mark.parametrize("seed", SEEDS)
def test_a_a_far_too_large_lr_is_reported(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    torch.manual_seed(seed)
    width = r.choice([16, 32])
    model = nn.Sequential(nn.Linear(d, width), nn.ReLU(), nn.Linear(width, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=r.choice([5.0, 10.0, 20.0]))
    check(kinds(fit(model, optimizer, nn.CrossEntropyLoss(), X, y, 4, r.choice([16, 32]))), ["lr_high"],
          ["dead_relu", "chance_loss"])


@pytest.mark.parametrize("seed", SEEDS)
def test_a_a_tiny_lr_is_lr_low_and_never_also_lr_high(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Linear(32, 3))
    lr = r.choice([1e-8, 1e-7])
    optimizer = torch.optim.Adam(model.parameters(), lr=lr) if seed % 2 else torch.optim.SGD(model.parameters(), lr=lr)
    check(kinds(fit(model, optimizer, nn.CrossEntropyLoss(), X, y, 3, 16, shuffle=False)), ["lr_low"], ["chance_loss"])


# ---- B: a NaN / Inf in a batch that is never probed -------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_b_nonfinite_in_an_unprobed_batch(seed):
    r = random.Random(seed)
    n, d = 320, r.randint(3, 8)
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g)
    y = X @ torch.randn(d, 1, generator=g) + 0.1 * torch.randn(n, 1, generator=g)
    bs = 16                                  # 20 batches per epoch, unshuffled: batch 6, 9 or 11 is never a probe
    row = r.choice([6, 9, 11]) * bs + r.randint(0, bs - 1)
    if seed % 2:
        X[row, r.randint(0, d - 1)] = r.choice([float("nan"), float("inf")])
    else:
        y[row, 0] = float("nan")
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    check(kinds(fit(model, optimizer, nn.MSELoss(), X, y, 3, bs, shuffle=False)), ["nonfinite_input"])


@pytest.mark.parametrize("seed", SEEDS)
def test_b_nonfinite_after_noisy_batches_is_still_a_bad_batch(seed):
    r = random.Random(seed)
    n, d, bs = 320, r.randint(3, 6), 16
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g)
    noise = torch.tensor([r.choice([0.1, 2.0, 5.0]) for _ in range(n // bs)]).repeat_interleave(bs).reshape(-1, 1)
    y = X @ torch.randn(d, 1, generator=g) + noise * torch.randn(n, 1, generator=g)   # batch losses differ 100x
    y[r.choice([9, 11]) * bs + r.randint(0, bs - 1), 0] = float("nan")
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    check(kinds(fit(model, optimizer, nn.MSELoss(), X, y, 2, bs, shuffle=False)), ["nonfinite_input"])


class ZeroMasked(nn.Module):
    """Plain parameters (no nn.Linear to look at) and a hidden layer multiplied by a mask that is always 0."""

    def __init__(self, d, hidden):
        super().__init__()
        self.W1, self.W2 = nn.Parameter(torch.randn(d, hidden) * 0.3), nn.Parameter(torch.randn(hidden, 3) * 0.3)
        self.b = nn.Parameter(torch.zeros(3))

    def forward(self, x):
        return (torch.tanh(x @ self.W1) * 0.0) @ self.W2 + self.b


@pytest.mark.parametrize("seed", SEEDS)
def test_c_gradients_exactly_0_are_not_a_small_lr(seed):
    r = random.Random(seed)
    X, y, d = table(r, n=480)
    torch.manual_seed(seed)
    model = ZeroMasked(d, r.choice([8, 16]))
    w = fit(model, torch.optim.SGD(model.parameters(), lr=0.05), nn.CrossEntropyLoss(), X, y, 4, 16)
    assert "lr_low" not in kinds(w), kinds(w)


# ---- C: dead units from F.relu / torch.relu (no module to hook) -------------------------------------------------
class FunctionalNet(nn.Module):
    def __init__(self, d, hidden, bias, use_torch_relu):
        super().__init__()
        self.fc1, self.fc2, self.act = nn.Linear(d, hidden), nn.Linear(hidden, 3), use_torch_relu
        nn.init.constant_(self.fc1.bias, bias)

    def forward(self, x):
        h = self.fc1(x)
        return self.fc2(torch.relu(h) if self.act else F.relu(h))


@pytest.mark.parametrize("seed", SEEDS)
def test_c_dead_units_behind_a_functional_relu(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    torch.manual_seed(seed)
    model = FunctionalNet(d, r.choice([16, 32, 64]), r.choice([-8.0, -10.0, -20.0]), seed % 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=r.choice([0.01, 0.05]))
    check(kinds(fit(model, optimizer, nn.CrossEntropyLoss(), X, y, 3, 32)), ["dead_relu"], ["chance_loss"])


@pytest.mark.parametrize("seed", SEEDS)
def test_c_a_healthy_functional_relu_is_silent(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    torch.manual_seed(seed)
    model = FunctionalNet(d, r.choice([16, 32]), 0.0, seed % 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    check(kinds(fit(model, optimizer, nn.CrossEntropyLoss(), X, y, 3, 32)), [])


@pytest.mark.parametrize("seed", SEEDS)
def test_c_unused_outputs_are_not_dead_units(seed):
    r = random.Random(seed)
    X, y, d = table(r, classes=2)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 16), nn.ReLU(), nn.Linear(16, r.choice([10, 20])))
    loss_fn, optimizer = nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1)
    g = torch.Generator().manual_seed(seed)
    with watch(model, optimizer, loss_fn, report=False) as w:
        for epoch in range(3):
            for idx in torch.randperm(len(X), generator=g).split(16):
                optimizer.zero_grad()
                loss_fn(model(X[idx])[:, :2], y[idx]).backward()      # only 2 of the outputs are used
                optimizer.step()
    check(kinds(w), [])


# ---- D: eval mode left on after the validation of each epoch ----------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_d_eval_after_validation_without_train(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Dropout(r.choice([0.3, 0.5])), nn.Linear(32, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    epochs, bs = r.randint(2, 6), r.choice([16, 20, 32])

    def validate(m):
        m.eval()
        with torch.no_grad():
            m(X[:64])

    g = torch.Generator().manual_seed(seed)
    with watch(model, optimizer, nn.CrossEntropyLoss(), report=False) as w:
        model.train()                                   # once, before the loop: the bug is not calling it again
        for epoch in range(epochs):
            order = torch.randperm(len(X), generator=g)
            for i in range(0, len(X), bs):
                idx = order[i:i + bs]
                optimizer.zero_grad()
                nn.functional.cross_entropy(model(X[idx]), y[idx]).backward()
                optimizer.step()
            validate(model)
    check(kinds(w), ["eval_mode"])


# ---- E / F: feature scales and constant columns of a table ------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_e_one_or_more_tiny_features_of_a_table(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    X = X.clone()
    for j in r.sample(range(d), r.randint(1, max(1, d // 2))):
        X[:, j] *= r.choice([1e-3, 5e-4])
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Linear(32, 3))
    check(kinds(fit(model, torch.optim.SGD(model.parameters(), lr=0.05), nn.CrossEntropyLoss(), X, y, 3, 32)),
          ["input_scale"], ["lr_high", "chance_loss"])


@pytest.mark.parametrize("seed", SEEDS)
def test_f_a_zeroed_column_of_a_table_is_constant(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    X = X.clone()
    X[:, r.randint(0, d - 1)] = r.choice([0.0, 0.0, 3.0])
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Linear(32, 3))
    check(kinds(fit(model, torch.optim.Adam(model.parameters(), lr=1e-2), nn.CrossEntropyLoss(), X, y, 3, 32)),
          ["constant_input"], ["lr_high", "dead_relu"])


@pytest.mark.parametrize("seed", SEEDS)
def test_f_a_rare_standardized_flag_is_not_constant(seed):
    r = random.Random(seed)
    X, y, d = table(r, n=2000)
    flag = torch.zeros(len(X), 1)
    flag[torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))[:r.choice([1, 2, 3])]] = 1.0
    flag = (flag - flag.mean()) / flag.std()           # about -0.03 wherever it is off
    X = torch.cat([X, flag], 1)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d + 1, 32), nn.ReLU(), nn.Linear(32, 3))
    check(kinds(fit(model, torch.optim.SGD(model.parameters(), lr=0.05), nn.CrossEntropyLoss(), X, y, 1, 32)), [])


# ---- G / H / I: a graph cut everywhere, the head registered first, no optimizer -------------------------------
class Rewrapped(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d, hidden), nn.Linear(hidden, 3)

    def forward(self, x):
        out = self.fc2(F.relu(self.fc1(x)))
        return torch.tensor(out.detach().numpy(), requires_grad=True)      # the learner's "fix" of the error


@pytest.mark.parametrize("seed", SEEDS)
def test_g_backward_reaches_no_parameter(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    torch.manual_seed(seed)
    model = Rewrapped(d, r.choice([8, 16]))
    w = fit(model, torch.optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss(), X, y, 2, 32)
    check(kinds(w), ["no_grad_params"])
    assert "4 parameter tensor(s)" in next(f.seen for f in w.findings)


class HeadFirst(nn.Module):
    def __init__(self, d, depth, width):
        super().__init__()
        self.head = nn.Linear(width, 3)                                   # registered before the body
        layers = [nn.Linear(d, width), nn.Sigmoid()]
        for _ in range(depth):
            layers += [nn.Linear(width, width), nn.Sigmoid()]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.head(self.body(x))


@pytest.mark.parametrize("seed", SEEDS)
def test_h_vanishing_with_the_head_registered_first(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    torch.manual_seed(seed)
    model = HeadFirst(d, r.randint(8, 10), r.choice([16, 32]))
    check(kinds(fit(model, torch.optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss(), X, y, 3, 32)),
          ["vanishing"], ["chance_loss", "lr_low"])


@pytest.mark.parametrize("seed", SEEDS)
def test_i_manual_updates_without_an_optimizer_are_silent(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 16), nn.ReLU(), nn.Linear(16, 3))
    lr = r.choice([0.05, 0.1])
    with watch(model, None, nn.CrossEntropyLoss(), report=False) as w:
        for epoch in range(3):
            for i in range(0, len(X), 32):
                loss = nn.functional.cross_entropy(model(X[i:i + 32]), y[i:i + 32])
                loss.backward()
                with torch.no_grad():
                    for p in model.parameters():
                        p -= lr * p.grad
                        p.grad = None
    check(kinds(w), [])


# ---- K: a short correct BCEWithLogits run whose logits happen to lie in [0, 1] ---------------------------------
def logits_in_unit(seed, squash, steps):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(400, 2, generator=g)
    y = ((X[:, 0] - X[:, 1] + 0.3 * torch.randn(400, generator=g)) > 0).float().reshape(-1, 1)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
    with torch.no_grad():                              # every logit starts in [0, 1]
        model[2].weight.mul_(0.01)
        model[2].bias.fill_(0.5)
    optimizer, loss_fn = torch.optim.SGD(model.parameters(), lr=0.05), nn.BCEWithLogitsLoss()
    with watch(model, optimizer, loss_fn, report=False) as w:
        for step in range(steps):
            i = (step * 20) % 400
            optimizer.zero_grad()
            out = model(X[i:i + 20])
            loss_fn(torch.sigmoid(out) if squash else out, y[i:i + 20]).backward()
            optimizer.step()
    return kinds(w)


@pytest.mark.parametrize("seed", range(3))
def test_k_short_bce_with_logits_runs_are_silent(seed):
    check(logits_in_unit(seed, False, random.Random(seed).randint(10, 30)), [])


@pytest.mark.parametrize("seed", range(2))
def test_k_a_sigmoid_before_bce_with_logits_is_still_reported(seed):
    check(logits_in_unit(seed, True, 200), ["softmax"], ["chance_loss", "lr_low", "vanishing"])


def test_a_long_run_without_steps_keeps_its_inputs():
    """The forward-order hooks stay until the first step: after hundreds of forwards they must not touch the input."""
    X, y, d = table(random.Random(0))
    model = nn.Sequential(nn.Linear(d, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3))
    optimizer, loss_fn = torch.optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss()
    with watch(model, optimizer, loss_fn, report=False) as w:
        for i in range(300):
            optimizer.zero_grad()
            loss_fn(model(X[:16]), y[:16]).backward()            # and never optimizer.step()
    check(kinds(w), ["no_step"])


@pytest.mark.parametrize("seed", SEEDS)
def test_l_evaluation_with_gradients_in_train_mode_is_also_train_mode(seed):
    r = random.Random(seed)
    X, y, d = table(r)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3))
    optimizer, loss_fn = torch.optim.SGD(model.parameters(), lr=0.05), nn.CrossEntropyLoss()
    forget_eval = seed % 2 == 0
    with watch(model, optimizer, loss_fn, report=False) as w:
        for epoch in range(r.randint(3, 5)):
            model.train()
            for i in range(0, len(X), 32):
                optimizer.zero_grad()
                loss_fn(model(X[i:i + 32]), y[i:i + 32]).backward()
                optimizer.step()
            if not forget_eval:
                model.eval()
            loss_fn(model(X[:64]), y[:64]).item()                    # no torch.no_grad()
    check(kinds(w), ["eval_grad", "train_mode"] if forget_eval else ["eval_grad"])
