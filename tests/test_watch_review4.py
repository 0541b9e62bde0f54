"""The loops of blind review 4 of dlstudy.watch (tests/watch_review4_loops.py, written apart from the rules), then
generated loops for each class of miss that review found (B: a sigmoid blamed on a net that did not learn, C: a loss
that starts above ln C and falls onto it, D: one lucky batch hides a rising loss, E: a loss rebuilt from .item(),
G: an intercept column of ones, H: every feature constant): each fails on the rules before the fix."""

import math

import pytest
import torch

from dlstudy.watch import watch
from dlstudy.watch_advice import judge
from tests.watch_review4_loops import LOOPS as REVIEW, PRELUDE

# Corrections of the review's expectations, each with its reason.
SKIP = {"or_step_first_no_zero_grad": "PyTorch itself raises (an in-place modification error), with or without watch: "
                                      "the bug is not silent"}
EXPECT = {
    # the review's own note: 0-2 of 64 units died, no ReLU died; what is reported is lr_high, which is true
    "dr_deep_relu_killed_by_lr": (set(), {"lr_high", "dead_relu"}),
}
ALSO_OK = {
    # `loss.backward` without () leaves the same trace as a backward on a rebuilt loss (class E): no gradient ever
    # reached the loss or a parameter. The watch sees gradients, not calls, so it names both causes.
    "or_backward_without_parens": {"no_grad_params"},
}
# Class A (clipping / GradScaler read as stale gradients: ok_grad_clipping, ok_clip_grad_value, ok_grad_scaler_cpu)
# is fixed in the probe machinery (Record._fold_grads: a scaled or clamped copy is not an old gradient kept).
LIMITS = {}
# F (a constant feature whose value lies within 0.1 of 0 is exempt as a rare standardized flag) stays a known limit;
# it misses on seed 2 only, so seed 0 (run here) does not show it.
LOOPS = {loop["name"]: loop for loop in REVIEW if loop["name"] not in SKIP}


def run(code, seed=0):
    """Run one loop's code under watch, the way the review did; the kinds found."""
    torch.manual_seed(seed)
    namespace = {"SEED": seed}
    exec(PRELUDE, namespace)
    exec(code, namespace)
    with watch(namespace["model"], namespace["optimizer"], namespace["loss_fn"], report=False) as w:
        namespace["train"]()
    return w


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=LIMITS[name]))
                                  if name in LIMITS else name for name in LOOPS])
def test_review_loop(name):
    loop = LOOPS[name]
    expected, also_ok = EXPECT.get(name, (loop["expected"], loop["also_ok"] | ALSO_OK.get(name, set())))
    found = {f.kind for f in run(loop["code"]).findings}
    assert expected <= found, f"{name}: expected {sorted(expected)}, found {sorted(found)}"
    assert found <= expected | also_ok, f"{name}: also found {sorted(found - expected)}"


# B: outputs in [0, 1] by construction (a tiny last layer with bias 0.5), so only the "did it learn" guard can tell.
BCE_NET = """
X, y = moons(n={n})
hidden = [nn.Linear(2 if i == 0 else 16, 16) for i in range({depth})]
layers = [m for h in hidden for m in (h, nn.{act}())]
last = nn.Linear(16, 1)
with torch.no_grad():
    last.weight.mul_(0.01); last.bias.fill_(0.5)
model = nn.Sequential(*layers, last)
optimizer = torch.optim.{opt}
loss_fn = nn.BCEWithLogitsLoss()
def train():
    for epoch in range(8):
        for i in range(0, len(X), 32):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+32]).squeeze(1), y[i:i+32]).backward()
            optimizer.step()
"""


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("depth, act, opt, cause", [
    (2, "ReLU", "SGD(model.parameters(), lr=1e-7)", "lr_low"),
    (3, "Tanh", "SGD(model.parameters(), lr=3e-8)", "lr_low"),
    (12, "Sigmoid", "Adam(model.parameters(), lr=1e-3)", "vanishing"),
])
def test_sigmoid_not_blamed_on_a_net_that_did_not_learn(seed, depth, act, opt, cause):
    found = {f.kind for f in run(BCE_NET.format(n=320, depth=depth, act=act, opt=opt), seed).findings}
    assert cause in found and "softmax" not in found, found


def test_a_real_sigmoid_before_bce_with_logits_is_still_found():
    code = BCE_NET.format(n=320, depth=2, act="ReLU", opt="Adam(model.parameters(), lr=1e-2)").replace(
        "model = nn.Sequential(*layers, last)", "model = nn.Sequential(*layers, last, nn.Sigmoid())")
    assert "softmax" in {f.kind for f in run(code).findings}


# C: labels unrelated to the inputs, C classes; a fresh net starts a few percent above ln C and falls onto it.
RANDOM_LABELS = """
g = torch.Generator().manual_seed(SEED)
X = torch.randn(2000, {d}, generator=g)
y = torch.randint(0, {C}, (2000,), generator=g)
model = nn.Sequential(nn.Linear({d}, 8), nn.ReLU(), nn.Linear(8, {C}))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(4):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
"""


@pytest.mark.parametrize("seed, d, C", [(0, 10, 4), (1, 10, 4), (2, 10, 4), (0, 6, 3), (1, 12, 5)])
def test_chance_loss_after_a_start_above_ln_c(seed, d, C):
    w = run(RANDOM_LABELS.format(d=d, C=C), seed)
    assert "chance_loss" in {f.kind for f in w.findings}, w.seen["losses"]


def test_chance_fall_is_measured_from_ln_c_in_judge():
    for C in (3, 4, 10):
        for above in (1.03, 1.05, 1.07):
            chance = math.log(C)
            losses = [chance * above] * 3 + [chance * 1.01] * 9
            seen = {"losses": losses, "classes": C, "steps": 120, "weight_layers": 2}
            assert [k for k, *_ in judge(seen)] == ["chance_loss"], (C, above)
            seen["losses"] = [chance * 1.3] * 3 + [chance * 1.01] * 9     # a slow learner from well above: silent
            assert [k for k, *_ in judge(seen)] == [], (C, above)


# D: a loss that bounces up with big steps, one batch of the last probes lucky and low.
@pytest.mark.parametrize("n", [8, 12, 16, 20])
def test_one_lucky_batch_does_not_hide_a_rising_loss(n):
    k = n // 4
    first = [0.78, 0.43, 1.07, 0.9, 0.6][:k] + [0.8] * max(0, k - 5)
    middle = [1.5] * (n - 2 * k)
    last = [4.2, 1.8, 4.9, 3.7, 4.4][:k] + [4.0] * max(0, k - 5)
    last[1] = 0.33                                            # one lucky batch, below every early one
    seen = {"losses": first + middle + last, "update_ratio": 0.10, "update_ratio_start": 0.52, "weight_layers": 2,
            "steps": 100}
    assert "lr_high" in [k for k, *_ in judge(seen)]


@pytest.mark.parametrize("seed", range(6))
def test_outlier_batches_late_in_a_good_run_are_not_a_large_lr(seed):
    """The other side of D: a few batches 5-10x dearer (outliers), the typical late batch better than early on."""
    g = torch.Generator().manual_seed(seed)
    noise = (0.8 + 0.4 * torch.rand(16, generator=g)).tolist()
    losses = [3.0 * x for x in noise[:4]] + [1.5 * x for x in noise[4:12]] + [0.6 * x for x in noise[12:]]
    for i in torch.randperm(16, generator=g)[:5].tolist():            # outliers anywhere, some among the last
        losses[i] = 15.0 * noise[i]                                   # below 10x the first: not a spike
    seen = {"losses": losses, "update_ratio": 0.07, "update_ratio_start": 0.2, "weight_layers": 2, "steps": 160}
    if min(losses[-4:]) < 0.5 * min(losses[:4]):                      # the ordinary late batches are much lower
        assert "lr_high" not in [k for k, *_ in judge(seen)], losses


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_lr_high_momentum_loop_on_the_seed_that_missed():
    assert "lr_high" in {f.kind for f in run(LOOPS["lrh_momentum_lr3"]["code"], 2).findings}


# E: a loss rebuilt so that no graph leads back to the model.
REWRAPPED = """
X, y = blobs(C={C}, d=6)
model = nn.Sequential(nn.Linear(6, {h}), nn.ReLU(), nn.Linear({h}, {C}))
optimizer = torch.optim.{opt}
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(3):
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=30, shuffle=True):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss = {rewrap}
            loss.backward()
            optimizer.step()
"""


@pytest.mark.parametrize("rewrap, opt, h, C", [
    ("torch.tensor(loss.item(), requires_grad=True)", "Adam(model.parameters(), lr=1e-3)", 16, 2),
    ("loss.detach().requires_grad_()", "SGD(model.parameters(), lr=0.1)", 8, 3),
    ("loss.detach().clone().requires_grad_(True)", "SGD(model.parameters(), lr=0.1, momentum=0.9)", 32, 4),
])
def test_a_rebuilt_loss_is_a_broken_graph_and_no_text_claims_no_backward(rewrap, opt, h, C):
    w = run(REWRAPPED.format(rewrap=rewrap, opt=opt, h=h, C=C))
    assert "no_grad_params" in {f.kind for f in w.findings}
    for finding in w.findings:
        assert "no loss.backward()" not in str(finding) and "loss.backward() 없이" not in str(finding), str(finding)


# G: the textbook design matrix: a column of ones, and a linear layer without bias.
INTERCEPT = """
X, y = reg(d={d})
X = torch.cat([{value} * torch.ones(len(X), 1), X], dim=1)
model = nn.Linear({d} + 1, 1, bias={bias})
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
def train():
    for epoch in range(5):
        for i in range(0, len(X), 40):
            optimizer.zero_grad()
            loss_fn(model(X[i:i+40]), y[i:i+40]).backward()
            optimizer.step()
"""


@pytest.mark.parametrize("d", [2, 4, 7])
def test_an_intercept_column_is_not_a_constant_feature(d):
    assert not run(INTERCEPT.format(d=d, value=1.0, bias=False)).findings


@pytest.mark.parametrize("value, bias", [(2.0, False), (1.0, True)])
def test_other_constant_columns_are_still_found(value, bias):
    assert "constant_input" in {f.kind for f in run(INTERCEPT.format(d=4, value=value, bias=bias)).findings}


# H: every row the same sample: each unit is on or off for all inputs alike; dead_relu's advice would be wrong.
SAME_ROWS = """
X, y = blobs(n=400, d={d}, C={C})
Xb = X[0].repeat(len(X), 1)
model = nn.Sequential(nn.Linear({d}, {h}), nn.ReLU(), nn.Linear({h}, {C}))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
def train():
    for epoch in range(5):
        for xb, yb in DataLoader(TensorDataset(Xb, y), batch_size=40, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
"""


@pytest.mark.parametrize("seed, d, C, h", [(0, 5, 2, 16), (1, 5, 2, 16), (2, 4, 3, 8), (3, 6, 2, 4)])
def test_all_constant_inputs_hide_their_consequences(seed, d, C, h):
    assert {f.kind for f in run(SAME_ROWS.format(d=d, C=C, h=h), seed).findings} == {"constant_input"}


def test_all_constant_hides_dead_relu_in_judge_but_one_constant_does_not():
    seen = {"input_features": 3, "constant_features": 3, "input_ranges": [0.0] * 3, "input_rms": [0.5] * 3,
            "relu_dead": [["1", 15, 16]]}
    assert [k for k, *_ in judge(seen)] == ["constant_input"]
    seen.update(constant_features=1, input_ranges=[0.0, 2.0, 2.0])
    assert [k for k, *_ in judge(seen)] == ["constant_input", "dead_relu"]
