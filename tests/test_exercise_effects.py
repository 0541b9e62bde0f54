"""What the checks judge by effect: the outermost refused call by name, Python numbers under the allowed list,
complex numbers refused, a CPU-by-name batch on a CPU-only machine, and the watch's findings in "not yet".

Each class is tested on held-out spellings written here, not in tests/wrong_answers/.
"""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import dlstudy.exercises as exercises
from dlstudy.device import get_device
from dlstudy.exercises import check
from dlstudy.exercises import effects
from dlstudy.exercises.effects import refuse_calls
from dlstudy.exercises.rules import RuleBroken
from dlstudy.exercises.watching import LOOP_EXERCISES, LOOP_KINDS
from dlstudy.lang import set_language

device = get_device()


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    for name in ("_shown", "_failures"):
        monkeypatch.setattr(exercises, name, {})
    monkeypatch.setattr(exercises, "_checked", [])
    set_language("en")


def _refusal(call, modules):
    with pytest.raises(RuleBroken) as caught:
        with refuse_calls(modules, why=("write it yourself", "직접 써 보세요")):
            call()
    return str(caught.value)


def _calls_of_refused_helpers():
    from dlstudy.callbacks import EarlyStopping
    from dlstudy.loop import evaluate
    from dlstudy.train import fit, predict
    net, X, y = nn.Linear(3, 2), torch.randn(8, 3), torch.arange(8) % 2
    return {"fit": (lambda: fit(net, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), 0.1), 1),
                    ("dlstudy.train",)),
            "predict": (lambda: predict(net, X), ("dlstudy.train",)),
            "evaluate": (lambda: evaluate(net, (X, y), nn.CrossEntropyLoss()), ("dlstudy.loop",)),
            "EarlyStopping": (lambda: EarlyStopping(patience=2), ("dlstudy.callbacks",))}


def test_a_refusal_names_the_outermost_public_call_the_learner_made():
    for name, (call, modules) in _calls_of_refused_helpers().items():
        message = _refusal(call, modules)
        assert f"called {name} (from " in message, message
        assert "check" not in message.split("(from")[0], message      # not Batches.check or another inner helper


def test_mutation_naming_the_innermost_frame_is_caught(monkeypatch):
    monkeypatch.setattr(effects, "_called", lambda frame, prefixes, functions: frame.f_code.co_qualname)
    message = _refusal(_calls_of_refused_helpers()["fit"][0], ("dlstudy.train",))
    assert "called fit (from " not in message


def test_fit_in_a_loop_exercise_is_refused_by_its_name(capsys):
    from dlstudy.train import fit

    def can_overfit(make_model, X, y, steps=200, lr=0.01):
        model = make_model()
        fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=lr), num_epochs=steps)
        return True

    assert check("11.2", can_overfit) is False
    out = capsys.readouterr().out
    assert "fit (from dlstudy.train)" in out and "Batches" not in out


def test_python_numbers_are_judged_by_the_allowed_list(capsys):
    def tanh_by_math(x):
        return torch.tensor([math.tanh(float(v)) for v in x.reshape(-1)], dtype=x.dtype).reshape(x.shape)

    def exp_by_math(x):                  # the sigmoid's derivative from math.exp: exp is allowed in 02.1
        out = torch.empty_like(x)
        for i, v in enumerate(x.reshape(-1)):
            v = float(v)
            s = 1 / (1 + math.exp(-v)) if v > -700 else 0.0
            out.view(-1)[i] = s * (1 - s)
        return out

    assert check("02.2", tanh_by_math) is False
    assert "operation 'tanh'" in capsys.readouterr().out
    assert check("02.1", exp_by_math) is True
    assert check("07.2", lambda n, k, p, s: math.floor((n + 2 * p - k) / s) + 1) is True


def _complex_steps():
    h = 1e-30

    def by_float(w, b, x, y):
        L = lambda w, b: (1 / (1 + math.e ** (-(w * x + b))) - y) ** 2         # noqa: E731
        return L(complex(float(w), h), float(b)).imag / h, L(float(w), complex(float(b), h)).imag / h

    def by_literal(w, b, x, y):
        L = lambda w, b: (1 / (1 + math.e ** (-(w * x + b))) - y) ** 2         # noqa: E731
        return L(float(w) + h * 1j, float(b)).imag / h, L(float(w), float(b) + h * 1j).imag / h

    def by_torch(w, b, x, y):
        W = torch.tensor(float(w), dtype=torch.complex128) + h * 1j
        return ((torch.sigmoid(W * x + b) - y) ** 2).imag.item() / h, 0.0
    return [by_float, by_literal, by_torch]


def test_the_chain_rule_by_hand_refuses_the_complex_step_and_accepts_python_floats(capsys):
    """01.3's method is plain Python on floats (math.exp), so leaving torch is right there; the complex step is
    a numerical derivative that matches autograd to 1e-16, so it is refused however the complex number is made."""
    for answer in _complex_steps():
        assert check("01.3", answer) is False
        assert "complex numbers" in capsys.readouterr().out

    def chain_rule(w, b, x, y):
        a = 1 / (1 + math.exp(-(w * x + b)))
        d = 2 * (a - y) * a * (1 - a)
        return float(d * x), float(d)
    assert check("01.3", chain_rule) is True


def _accuracy(compare):
    def accuracy_by_hand(model, loader):
        model.eval()
        correct, seen = 0, 0
        with torch.no_grad():
            for X, y in loader:
                correct += compare(model(X.to(device)).argmax(dim=1), y).sum().item()
                seen += len(y)
        return correct / seen
    return accuracy_by_hand


def test_a_batch_moved_to_the_cpu_by_name_fails_on_a_cpu_only_machine_too(capsys):
    wrong = [lambda p, y: p == y.cpu(), lambda p, y: p == y.to("cpu"), lambda p, y: p.cpu() == y.to(device),
             lambda p, y: p == y]
    for compare in wrong:
        assert check("06.3", _accuracy(compare)) is False
        assert "device" in capsys.readouterr().out
    for compare in (lambda p, y: p.cpu() == y.cpu(), lambda p, y: p == y.to(device)):
        assert check("06.3", _accuracy(compare)) is True


def _epoch(bug):
    def train_one_epoch(model, loader, loss_fn, optimizer):
        model.eval() if bug == "eval" else model.train()
        total, seen = 0.0, 0
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            if bug != "zero_grad":
                optimizer.zero_grad()
            y_hat = model(X)
            loss = loss_fn(torch.softmax(y_hat, dim=1) if bug == "softmax" else y_hat, y)
            loss.backward()
            optimizer.step()
            total, seen = total + loss.item() * len(y), seen + len(y)
        return total / seen
    return train_one_epoch


def _overfit(bug):
    def can_overfit(make_model, X, y, steps=200, lr=0.01):
        model = make_model()
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        model.eval() if bug == "eval" else model.train()
        for _ in range(steps):
            if bug != "zero_grad":
                optimizer.zero_grad()
            y_hat = model(X)
            loss = F.cross_entropy(torch.softmax(y_hat, dim=1) if bug == "softmax" else y_hat, y)
            loss.backward()
            optimizer.step()
        return loss.item() < 0.05
    return can_overfit


def _xor(bug):
    def train_xor(net, X, y, lr=1.0, num_epochs=300):
        optimizer, loss_fn, losses = torch.optim.SGD(net.parameters(), lr=lr), nn.BCEWithLogitsLoss(), []
        for _ in range(num_epochs):
            loss = loss_fn(net(X), y)
            if bug != "zero_grad":
                optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses
    return train_xor


WATCH_SAYS = {"zero_grad": "gradients are never cleared", "eval": "eval mode", "softmax": "softmax"}


@pytest.mark.parametrize("exercise_id, loop, bugs", [("06.2", _epoch, ("zero_grad", "eval", "softmax")),
                                                    ("11.2", _overfit, ("zero_grad",)),
                                                    ("03.5", _xor, ("zero_grad",))])
def test_a_buggy_hand_written_loop_is_not_yet_and_the_message_names_the_bug(capsys, exercise_id, loop, bugs):
    for bug in bugs:
        assert check(exercise_id, loop(bug)) is False
        out = capsys.readouterr().out
        assert "dlstudy.watch saw in your loop" in out and WATCH_SAYS[bug] in out, (bug, out)
    assert check(exercise_id, loop(None)) is True
    assert "dlstudy.watch" not in capsys.readouterr().out


def test_every_hand_written_loop_exercise_is_watched_or_says_why_not():
    from pathlib import Path
    source = {i: (Path(exercises.__file__).parent / f"ch{i[:2]}.py").read_text() for i in LOOP_EXERCISES}
    for exercise_id, how in LOOP_EXERCISES.items():
        assert how.startswith(("watched:", "not watched:")) and len(how) > 40
        assert ("watched(" in source[exercise_id]) == how.startswith("watched:"), exercise_id
    assert {"zero_grad", "eval_mode", "softmax"} <= set(LOOP_KINDS) and "lr_high" not in LOOP_KINDS
