"""dlstudy.watch reports each silent mistake, alone and two at a time, with the right advice, on loops generated
over data sets, models, optimizers, batch sizes and data scales (the buggy loops a reviewer would write)."""

import copy
import itertools
import random
from functools import lru_cache

import pytest
import torch
from hypothesis import given, settings, strategies as st
from torch import nn

from dlstudy.data import TensorLoader, load_breast_cancer, load_digits, load_iris, make_moons
from dlstudy.lang import set_language
from dlstudy.watch import KINDS, watch
from dlstudy.watch_advice import SEE

# bug -> the kind that must be reported (the bug's own advice)
EXPECTED = {
    "no zero_grad": "zero_grad", "step before backward": "order", "zero_grad between backward and step": "order",
    "no step": "no_step", "optimizer of another model": "not_optimized", "lr = 0": "unchanged",
    "softmax before the loss": "softmax", "eval mode while training": "eval_mode",
    "train mode while evaluating": "train_mode", "total += loss": "graph_kept", "a list of loss tensors": "graph_kept",
    "pixels 0-255": "input_scale", "one feature x 1000": "input_scale", "a constant feature": "constant_input",
    "NaN in the data": "nonfinite_input", "sorted, not shuffled": "sorted_labels", "lr x 100": "lr_high",
    "lr x 1e-5": "lr_low", "dead ReLU": "dead_relu", "deep sigmoid stack": "vanishing",
    ".detach() inside forward": "no_grad_params", "NumPy inside forward": "no_grad_params",
    "evaluation without no_grad": "eval_grad", "labels unrelated to the inputs": "chance_loss",
}
# side effects a bug may also show, because they are true of that loop
ALSO = {
    "lr x 100": {"nonfinite_input", "dead_relu", "chance_loss", "lr_high"},
    "no zero_grad": {"lr_high", "dead_relu"},
    "pixels 0-255": {"lr_high", "dead_relu", "chance_loss"}, "one feature x 1000": {"lr_high", "dead_relu", "chance_loss"},
    "dead ReLU": {"chance_loss", "lr_low", "no_grad_params"}, "deep sigmoid stack": {"chance_loss", "lr_low"},
    ".detach() inside forward": {"chance_loss"}, "NumPy inside forward": {"chance_loss"},
    "sorted, not shuffled": {"lr_high"}, "softmax before the loss": {"chance_loss"},
    "labels unrelated to the inputs": {"lr_low", "dead_relu"},
}
COMBINABLE = ["no zero_grad", "softmax before the loss", "eval mode while training", "train mode while evaluating",
              "total += loss", "pixels 0-255", "a constant feature", "sorted, not shuffled", "evaluation without no_grad",
              ".detach() inside forward", "no step", "one feature x 1000"]


@lru_cache(maxsize=None)
def dataset(name):
    """(X, y, classes, is_image): standardized tables, pixels in [0, 1]."""
    if name == "digits images":
        data = load_digits(as_images=True)
        return data.X, data.y, 10, True
    data = {"iris": load_iris, "cancer": load_breast_cancer, "digits": load_digits,
            "moons": lambda: make_moons(300, noise=0.2, seed=1)}[name]()
    X = data.X if name == "digits" else (data.X - data.X.mean(0)) / data.X.std(0)
    return X, data.y, int(data.y.max()) + 1, False


class Detached(nn.Module):
    """An MLP whose forward cuts the graph after the first layer (by .detach() or through NumPy)."""

    def __init__(self, n_in, n_out, how):
        super().__init__()
        self.first, self.drop, self.second, self.how = nn.Linear(n_in, 32), nn.Dropout(0.2), nn.Linear(32, n_out), how

    def forward(self, x):
        h = self.drop(torch.relu(self.first(x.flatten(1))))
        h = h.detach() if self.how == "detach" else torch.tensor(h.detach().numpy())
        return self.second(h)


def build(kind, n_in, n_out, image, bugs):
    if ".detach() inside forward" in bugs or "NumPy inside forward" in bugs:
        return Detached(n_in, n_out, "detach" if ".detach() inside forward" in bugs else "numpy")
    if "deep sigmoid stack" in bugs:
        layers = [nn.Linear(n_in, 32), nn.Sigmoid()]
        for _ in range(8):
            layers += [nn.Linear(32, 32), nn.Sigmoid()]
        return nn.Sequential(nn.Flatten(), *layers, nn.Linear(32, n_out))
    if image and kind == "cnn":
        return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(8 * 4 * 4, n_out))
    extra = {"mlp": [], "dropout": [nn.Dropout(0.3)], "batchnorm": [nn.BatchNorm1d(32)]}[kind if kind in
                                                                                         ("mlp", "dropout", "batchnorm") else "mlp"]
    return nn.Sequential(nn.Flatten(), nn.Linear(n_in, 32), *extra, nn.ReLU(), nn.Linear(32, n_out))


OPTIMIZERS = {"sgd": (torch.optim.SGD, 0.1), "momentum": (lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9), 0.03),
              "adam": (torch.optim.Adam, 0.01), "rmsprop": (torch.optim.RMSprop, 0.003)}


def run(bugs=(), data="iris", model="mlp", optimizer="sgd", batch_size=16, num_epochs=8, seed=0):
    """A chapter-06 loop with the given bugs put in; returns the finished watch."""
    bugs = set(bugs)
    X, y, classes, image = dataset(data)
    X, y = X.clone(), y.clone()
    g = torch.Generator().manual_seed(seed)
    if "pixels 0-255" in bugs:
        X = X * 255
    if "one feature x 1000" in bugs:                     # the feature that varies most
        column = int(X.reshape(len(X), -1).std(0).argmax())
        X.reshape(len(X), -1)[:, column] *= 1000
    if "a constant feature" in bugs:
        X.reshape(len(X), -1)[:, 1] = 2.5
    if "NaN in the data" in bugs:
        X.reshape(len(X), -1)[int(torch.randint(len(X) // 5, len(X), (1,), generator=g)), 0] = float("nan")
    if "labels unrelated to the inputs" in bugs:
        y = y[torch.randperm(len(y), generator=g)]
    if "sorted, not shuffled" in bugs:
        order = y.argsort(stable=True)
        X, y = X[order], y[order]
    binary = classes == 2 and data == "moons"
    n_in = X[0].numel()
    if "eval mode while training" in bugs or "train mode while evaluating" in bugs:
        model = model if model in ("dropout", "batchnorm") else "dropout"
    torch.manual_seed(seed)
    net = build(model, n_in, 1 if binary else classes, image, bugs)
    if "dead ReLU" in bugs:
        with torch.no_grad():
            next(m for m in net.modules() if isinstance(m, (nn.Linear, nn.Conv2d))).bias.fill_(-30.0)
    make, lr = OPTIMIZERS[optimizer]
    lr = lr * 100 if "lr x 100" in bugs else lr * 1e-5 if "lr x 1e-5" in bugs else 0.0 if "lr = 0" in bugs else lr
    opt = make((copy.deepcopy(net) if "optimizer of another model" in bugs else net).parameters(), lr=lr)
    loss_fn = nn.BCEWithLogitsLoss() if binary else nn.CrossEntropyLoss()
    if binary:
        y = y.float().reshape(-1, 1)
    n_val = len(X) // 5
    loader = TensorLoader(X[n_val:], y[n_val:], batch_size, shuffle="sorted, not shuffled" not in bugs, generator=g)
    X_val, y_val = X[:n_val], y[:n_val]
    squash = (torch.sigmoid if binary else lambda t: torch.softmax(t, dim=1)) if "softmax before the loss" in bugs \
        else (lambda t: t)
    total, losses = 0.0, []
    with watch(net, opt, loss_fn, report=False) as w:
        net.eval() if "eval mode while training" in bugs else net.train()
        for epoch in range(num_epochs):
            if "eval mode while training" not in bugs:
                net.train()
            for Xb, yb in loader:
                if "step before backward" in bugs:
                    opt.zero_grad()
                    loss = loss_fn(squash(net(Xb)), yb)
                    opt.step()
                    loss.backward()
                elif "zero_grad between backward and step" in bugs:
                    loss = loss_fn(squash(net(Xb)), yb)
                    loss.backward()
                    opt.zero_grad()
                    opt.step()
                else:
                    if "no zero_grad" not in bugs:
                        opt.zero_grad()
                    loss = loss_fn(squash(net(Xb)), yb)
                    loss.backward()
                    if "no step" not in bugs:
                        opt.step()
                if "total += loss" in bugs:
                    total += loss
                elif "a list of loss tensors" in bugs:
                    losses.append(loss)
                else:
                    total += loss.item()
            if "train mode while evaluating" not in bugs:
                net.eval()
            if "evaluation without no_grad" in bugs:
                for i in range(0, n_val, 32):
                    loss_fn(net(X_val[i:i + 32]), y_val[i:i + 32]).item()
            else:
                with torch.no_grad():
                    for i in range(0, n_val, 32):
                        loss_fn(net(X_val[i:i + 32]), y_val[i:i + 32]).item()
    return w


def variant(bug, index):
    """The index-th generated setting for a bug: data set, model, optimizer, batch size (seeded, reproducible)."""
    r = random.Random(f"{bug}/{index}")
    data = r.choice(["digits images"] if bug == "pixels 0-255" else ["iris", "cancer", "digits", "moons"])
    if bug in ("sorted, not shuffled",):
        data = r.choice(["iris", "digits", "moons"])
    model = r.choice(["cnn", "mlp"] if data == "digits images" else ["mlp", "dropout", "batchnorm"])
    optimizer = r.choice(list(OPTIMIZERS))
    if bug == "lr x 100" and optimizer == "rmsprop":
        optimizer = "adam"
    return dict(data=data, model=model, optimizer=optimizer, batch_size=r.choice([8, 16, 32, 50]), seed=index)


def kinds(w):
    return {f.kind for f in w.findings}


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("index", range(3))
@pytest.mark.parametrize("bug", list(EXPECTED))
def test_each_bug_is_reported_with_its_advice(bug, index):
    settings_ = variant(bug, index)
    w = run([bug], **settings_)
    found = kinds(w)
    assert EXPECTED[bug] in found, f"{bug} {settings_}: found {found}"
    assert found <= {EXPECTED[bug]} | ALSO.get(bug, set()), f"{bug} {settings_}: also found {found}"
    finding = next(f for f in w.findings if f.kind == EXPECTED[bug])
    assert finding.message and "\n" not in finding.message and finding.fix and finding.see.startswith("See chapter")


# pairs whose second bug hides the evidence of the first: no step() means no step to check, a model always in
# eval mode cannot also evaluate in train mode, and an image has channels, not columns, to be constant
EXCLUSIVE = {frozenset(["no zero_grad", "no step"]), frozenset(["eval mode while training", "no step"]),
             frozenset(["eval mode while training", "train mode while evaluating"]),
             frozenset(["pixels 0-255", "a constant feature"])}
PAIRS = [pair for pair in itertools.combinations(COMBINABLE, 2) if frozenset(pair) not in EXCLUSIVE]


@pytest.mark.parametrize("pair", PAIRS[::2])
def test_two_bugs_at_once_are_both_reported(pair):
    settings_ = variant("+".join(pair), 0)
    if "pixels 0-255" in pair:
        settings_.update(data="digits images", model="mlp")
    w = run(pair, **settings_)
    found = kinds(w)
    missing = {EXPECTED[b] for b in pair} - found
    assert not missing, f"{pair} {settings_}: missing {missing}, found {found}"


@pytest.mark.parametrize("index", range(4))
def test_correct_generated_loops_are_silent(index):
    settings_ = variant("correct", index)
    w = run([], **settings_)
    assert kinds(w) == set(), f"{settings_}: {[str(f) for f in w.findings]}"


@settings(max_examples=6, deadline=None)
@given(data=st.sampled_from(["iris", "cancer", "moons"]), optimizer=st.sampled_from(list(OPTIMIZERS)),
       batch_size=st.integers(4, 64), scale=st.sampled_from([1.0, 3.0]), zero_grad=st.booleans())
def test_zero_grad_is_reported_exactly_when_it_is_missing(data, optimizer, batch_size, scale, zero_grad):
    w = run([] if zero_grad else ["no zero_grad"], data=data, optimizer=optimizer, batch_size=batch_size, num_epochs=3)
    assert ("zero_grad" in kinds(w)) == (not zero_grad)


def test_every_kind_has_advice_in_both_languages_and_a_real_section():
    assert set(EXPECTED.values()) <= set(KINDS)
    w = run(["no zero_grad"])
    english = str(w.findings[0])
    set_language("ko")
    try:
        korean = str(w.findings[0])
    finally:
        set_language("en")
    assert english != korean and "고치는 법" in korean and w.findings[0].message not in korean
