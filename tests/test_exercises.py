"""dlstudy.exercises: check("NN.k", answer) never raises, hints come in order, every exercise states its rule.

The old form check("1. name", test, hints=...) with forbid / spy / require (dlstudy.exercises.legacy) is
tested at the end while chapters still use it.
"""

import importlib

import pytest
import torch

import dlstudy.exercises as exercises
from dlstudy.exercises import RuleBroken, check, exercise_ids, forbid, hint, require, spy
from dlstudy.exercises import legacy
from dlstudy.exercises.registry import EXERCISES, Rule
from dlstudy.lang import set_language

CHAPTERS = [f"{n:02d}" for n in range(12)]


def _load_all():
    for chapter in CHAPTERS:
        try:
            importlib.import_module(f"dlstudy.exercises.ch{chapter}")
        except ModuleNotFoundError:
            pass
    return dict(EXERCISES)


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    for module, names in ((exercises, ("_shown", "_failures")), (legacy, ("_hints", "_shown", "_failures"))):
        for name in names:
            monkeypatch.setattr(module, name, {})
    monkeypatch.setattr(exercises, "_checked", [])
    set_language("en")
    yield
    set_language("en")


def sigmoid_derivative(x):
    s = torch.sigmoid(x)
    return s * (1 - s)


def test_a_right_answer_passes_and_a_stub_is_not_yet_without_a_scary_message(capsys):
    assert check("02.1", sigmoid_derivative) is True
    assert capsys.readouterr().out == "✅ 02.1 The sigmoid's derivative by hand: pass\n"

    def stub(x):
        raise NotImplementedError  # your code here

    assert check("02.1", stub) is False
    out = capsys.readouterr().out
    assert out.startswith("⏳ 02.1") and "not yet" in out and "raised" not in out and "Rule" not in out


def test_hints_come_in_order_and_only_on_request_or_after_a_second_failure(capsys):
    wrong = lambda x: torch.sigmoid(x)                                      # noqa: E731
    check("02.1", wrong)
    first = capsys.readouterr().out
    ex = EXERCISES["02.1"]
    assert 'hint("02.1")' in first and tr_en(ex.hints[0]) not in first
    check("02.1", wrong)
    assert "Hint 1 of 2" in capsys.readouterr().out
    hint(1)                                                                 # the number, in the chapter checked last
    assert "Hint 2 of 2" in capsys.readouterr().out
    hint("02.1")
    assert "No more hints" in capsys.readouterr().out
    hint(9)
    assert "No exercise 9" in capsys.readouterr().out
    hint("99.1")
    assert "There is no exercise" in capsys.readouterr().out


def tr_en(pair):
    return pair[0]


def test_the_learners_exception_is_reported_in_one_line_and_a_wrong_id_is_named(capsys):
    assert check("02.1", lambda x: [][1]) is False
    assert "Your code raised IndexError" in capsys.readouterr().out
    assert check("02.9", sigmoid_derivative) is False
    assert "There is no exercise '02.9'" in capsys.readouterr().out
    assert check("02.4", lambda x: x) is False                              # wrong number of arguments
    assert "Your code raised TypeError" in capsys.readouterr().out


def test_korean_messages(capsys):
    set_language("ko")
    check("02.1", lambda x: torch.sigmoid(x))
    out = capsys.readouterr().out
    assert "아직이에요" in out and "시그모이드의 도함수를 손으로" in out


def test_the_check_leaves_the_learners_random_numbers_alone():
    torch.manual_seed(3)
    state = torch.get_rng_state()
    check("03.5", lambda net, X, y, lr=1.0, num_epochs=300: [])
    check("02.3", lambda lin1, lin2: torch.nn.Linear(lin1.in_features, lin2.out_features))
    assert torch.equal(torch.get_rng_state(), state)


def test_the_package_reference_refuses_to_be_the_answer(capsys):
    from dlstudy.exercises import ch02
    assert check("02.1", ch02.sigmoid_derivative) is False
    assert "reference solution" in capsys.readouterr().out
    assert torch.allclose(ch02.sigmoid_derivative(torch.zeros(1)), torch.tensor([0.25]))   # works outside a check


def test_every_exercise_has_an_allowed_operations_rule_or_says_why_not():
    registered = _load_all()
    assert {i[:2] for i in registered} >= {"00", "01", "02", "03", "04", "05"}
    for exercise_id, ex in registered.items():
        has_rule = isinstance(ex.rule, Rule) and ex.rule.allow is not None
        assert has_rule or (isinstance(ex.no_rule_because, str) and len(ex.no_rule_because) > 30), exercise_id
        if has_rule:
            assert all(isinstance(op, str) for op in ex.rule.allow), exercise_id      # empty: pure Python


def test_every_exercise_speaks_both_languages_and_has_a_nudge_and_a_method():
    for exercise_id, ex in _load_all().items():
        assert len(ex.title) == 2 and all(ex.title), exercise_id
        assert len(ex.hints) >= 2 and all(len(h) == 2 and all(h) for h in ex.hints), exercise_id
        if ex.rule is not None:
            assert len(ex.rule.why) == 2 and all(ex.rule.why), exercise_id


def test_registering_without_a_rule_or_a_reason_is_refused():
    from dlstudy.exercises.registry import exercise
    with pytest.raises(ValueError, match="no_rule_because"):
        exercise("99.1", ("t", "t"), [("a", "a")])(lambda answer: None)
    with pytest.raises(ValueError):
        exercise("99.1", ("t", "t"), [("a", "a")], rule=Rule(why=("w", "w"), torch_only=True))(lambda a: None)
    assert "99.1" not in EXERCISES


def test_exercise_ids_lists_a_chapter_in_order():
    assert exercise_ids("05") == ["05.1", "05.2", "05.3", "05.4"]
    assert exercise_ids("00") == [f"00.{k}" for k in range(1, 6)]


# --- the old form, kept while chapters use it -------------------------------------------------------------

def test_legacy_check_forbid_spy_and_require(capsys):
    x = torch.linspace(-2, 2, 5)

    def uses_tanh():
        with forbid("torch.tanh", "torch.Tensor.tanh", "torch.nn.functional.tanh"):
            return torch.allclose(x.tanh(), torch.tanh(x))

    assert check("2. tanh", uses_tanh) is False
    assert "Rule: this exercise asks you not to use torch.Tensor.tanh" in capsys.readouterr().out
    assert torch.equal(torch.tanh(x), x.tanh())
    with spy("torch.Tensor.backward") as calls:
        y = torch.tensor(3.0, requires_grad=True)
        (y ** 2).backward()
    assert calls["torch.Tensor.backward"] == 1
    with pytest.raises(RuleBroken):
        require(False, "no loops")
    check("3. blocks", lambda: False, hints=("Think about the shapes.", "Reshape."))
    hint(3)
    assert "Hint 1 of 2 for 3. blocks" in capsys.readouterr().out
