"""dlstudy.exercises: check("NN.k", answer) never raises, hints come in order, every exercise states its rule.

No exercise relies on a list of forbidden names: the old form (forbid / spy / require) is gone, and no check, no
chapter and no solutions notebook uses it.
"""

import importlib

import pytest
import torch

import dlstudy.exercises as exercises
import json
import re
from pathlib import Path

from dlstudy.exercises import check, exercise_ids, hint
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
    for name in ("_shown", "_failures"):
        monkeypatch.setattr(exercises, name, {})
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


def rule_violations(registered):
    """The exercises with neither an allowed-operations rule nor a stated reason why they need none."""
    bad = []
    for exercise_id, ex in registered.items():
        has_rule = isinstance(ex.rule, Rule) and ex.rule.allow is not None \
            and all(isinstance(op, str) for op in ex.rule.allow)                  # empty: pure Python
        if not (has_rule or (isinstance(ex.no_rule_because, str) and len(ex.no_rule_because) > 30)):
            bad.append(exercise_id)
    return bad


def test_every_exercise_has_an_allowed_operations_rule_or_says_why_not():
    registered = _load_all()
    assert len(registered) == 55 and {i[:2] for i in registered} == set(CHAPTERS)
    assert rule_violations(registered) == []
    # the test can fail: an exercise that loses its rule, or whose reason is empty, is named
    import dataclasses
    broken = dict(registered)
    broken["02.1"] = dataclasses.replace(registered["02.1"], rule=Rule(why=("w", "w"), torch_only=True))
    broken["05.4"] = dataclasses.replace(registered["05.4"], no_rule_because="")
    assert rule_violations(broken) == ["02.1", "05.4"]


ROOT = Path(__file__).resolve().parents[1]
FORBID_LIST = re.compile(r"\b(forbid|spy|require|count_torch_calls)\b|dlstudy\.exercises\.legacy|exercises import legacy")


def forbid_list_users():
    """Checks, chapters and solutions that rely on a list of forbidden names (the old forbid / spy / require)."""
    users = [str(p.relative_to(ROOT)) for p in (ROOT / "dlstudy" / "exercises").glob("*.py")
             if FORBID_LIST.search(p.read_text())]
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + \
            sorted((ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and ("dlstudy.exercises" in source or "check(" in source) \
                    and FORBID_LIST.search(source):
                users.append(f"{path.relative_to(ROOT)} cell {cell.get('id')}")
    return users


def test_no_exercise_relies_on_a_forbid_list():
    assert forbid_list_users() == []
    assert not hasattr(exercises, "forbid") and not hasattr(exercises, "spy") and not hasattr(exercises, "require")
    assert not (ROOT / "dlstudy" / "exercises" / "legacy.py").exists()


def test_the_forbid_list_scan_can_fail(tmp_path):
    fake = tmp_path / "dlstudy" / "exercises"
    fake.mkdir(parents=True)
    (fake / "ch99.py").write_text("from dlstudy.exercises.legacy import forbid\n")
    (tmp_path / "notebooks" / "solutions").mkdir(parents=True)
    cell = {"cell_type": "code", "id": "x1", "source": ["from dlstudy.exercises import check, spy\n"]}
    (tmp_path / "notebooks" / "99_x.ipynb").write_text(json.dumps({"cells": [cell]}))
    globals()["ROOT"], saved = tmp_path, ROOT
    try:
        assert forbid_list_users() == ["dlstudy/exercises/ch99.py", "notebooks/99_x.ipynb cell x1"]
    finally:
        globals()["ROOT"] = saved


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
