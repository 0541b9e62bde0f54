"""dlstudy.exercises: hints only on request and in order, rules that catch the wrong method, and nothing left patched."""

import pytest
import torch

from dlstudy import exercises
from dlstudy.exercises import RuleBroken, check, forbid, hint, require, spy


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch):
    for name in ("_hints", "_shown", "_failures"):
        monkeypatch.setattr(exercises, name, {})


def test_the_first_failure_shows_no_hint_and_later_ones_reveal_them_in_order(capsys):
    hints = ("Think about the shapes.", "Reshape, then sum over axis 1.")
    assert check("3. blocks", lambda: False, hints=hints) is False
    first = capsys.readouterr().out
    assert "hint(3)" in first and hints[0] not in first and "Hint 1" not in first
    check("3. blocks", lambda: False, hints=hints)
    assert "Hint 1 of 2 for 3. blocks: Think about the shapes." in capsys.readouterr().out
    hint(3)
    assert "Hint 2 of 2" in capsys.readouterr().out
    hint("3. blocks")
    assert "No more hints" in capsys.readouterr().out
    hint(7)
    assert "No exercise 7" in capsys.readouterr().out


def test_a_forbidden_function_names_the_rule_and_is_restored(capsys):
    x = torch.linspace(-2, 2, 5)

    def wrong():
        with forbid("torch.tanh", "torch.Tensor.tanh", "torch.nn.functional.tanh"):
            return torch.allclose(x.tanh(), torch.tanh(x))

    assert check("2. tanh", wrong) is False
    assert "Rule: this exercise asks you not to use torch.Tensor.tanh" in capsys.readouterr().out
    assert torch.equal(torch.tanh(x), x.tanh()) and torch.nn.functional.tanh(x).shape == (5,)


def test_functions_come_back_even_when_the_answer_raises():
    with pytest.raises(ZeroDivisionError):
        with forbid("torch.exp"), spy("torch.Tensor.backward"):
            1 / 0
    assert torch.exp(torch.zeros(1)).item() == 1.0
    assert getattr(torch.Tensor.backward, "__wrapped__", None) is None


def test_spy_counts_calls_and_require_names_the_rule(capsys):
    def by_autograd():
        x = torch.tensor(3.0, requires_grad=True)
        with spy("torch.Tensor.backward") as calls:
            (x ** 2).backward()
        require(calls["torch.Tensor.backward"] == 1, "use autograd: call .backward()")
        return x.grad.item() == 6.0

    def by_hand():
        with spy("torch.Tensor.backward") as calls:
            grad = 2 * 3.0
        require(calls["torch.Tensor.backward"] == 1, "use autograd: call .backward()")
        return grad == 6.0

    assert check("1. autograd", by_autograd) is True
    assert check("1b. by hand", by_hand) is False
    assert "Rule: use autograd: call .backward()" in capsys.readouterr().out


def test_errors_in_the_learners_code_are_reported_not_raised(capsys):
    assert check("4. broken", lambda: [][1]) is False
    assert "Your code raised IndexError" in capsys.readouterr().out
    with pytest.raises(RuleBroken):
        require(False, "no loops")
    with pytest.raises(ValueError, match="dotted name"):
        with forbid("nonexistent_module_xyz.f"):
            pass
