"""Every guarded answer must leave its inputs alone, and keep the dtype where the exercise says so (kept.py).

Generated cases: random shapes and dtypes, one in-place change drawn from many ways of writing it (an
in-place method, an augmented assignment, an indexed write, a resize, .data); the same answer written
without the in-place change passes. The check's own text is tested too (the name of the learner's argument).
"""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dlstudy.exercises import check
from dlstudy.exercises.kept import dtype_change, dtype_mismatch, same, snapshot
from dlstudy.exercises.registry import EXERCISES, NotYet, exercise, expect

_IN_PLACE = {
    "add_": lambda x: x.add_(1),
    "augmented": lambda x: x.__isub__(x.mean()),
    "sigmoid_": lambda x: x.sigmoid_(),
    "index": lambda x: x.view(-1).__setitem__(0, 123.0),
    "data": lambda x: x.data.mul_(2),
    "resize_": lambda x: x.resize_(0),
    "copy_": lambda x: x.copy_(torch.zeros_like(x) + 7),
}


@pytest.fixture(autouse=True)
def no_test_exercises_left():
    yield
    for exercise_id in [k for k in EXERCISES if k.startswith("99.")]:
        del EXERCISES[exercise_id]


def _register(exercise_id, changes=(), keeps_dtype=False, call=lambda answer: answer(torch.ones(3))):
    @exercise(exercise_id, title=("t", "t"), hints=[("a", "가"), ("b", "나")], no_rule_because="a test exercise "
              "registered by tests/test_exercise_kept.py", changes=changes, keeps_dtype=keeps_dtype)
    def _test(answer):
        expect(call(answer) is not None, "returned None", "None")
    return EXERCISES[exercise_id]


@settings(max_examples=40, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), how=st.sampled_from(sorted(_IN_PLACE)),
       dtype=st.sampled_from([torch.float32, torch.float64]), position=st.integers(0, 2))
def test_any_in_place_change_of_any_argument_is_caught_and_named(shape, how, dtype, position):
    ex = _register("99.1")
    args = [torch.randn(*shape, dtype=dtype) for _ in range(3)]

    def answer(a, bb, c):
        _IN_PLACE[how]((a, bb, c)[position])
        return a + 1

    with pytest.raises(NotYet, match=f"changed its argument {['a', 'bb', 'c'][position]} in place"):
        ex.guard(answer)(*args)

    def clean(a, bb, c):
        x = (a, bb, c)[position].clone()
        _IN_PLACE[how](x)
        return x

    ex.guard(clean)(*[torch.randn(*shape, dtype=dtype) for _ in range(3)])     # the same change on a copy passes


def test_nan_inputs_unchanged_pass_and_changes_lets_the_asked_argument_change():
    x = torch.tensor([float("nan"), 1.0])
    assert same(x, snapshot(x))
    ex = _register("99.2", changes=(0,))
    ex.guard(lambda p, q: p.add_(1))(torch.ones(2), torch.ones(2))                 # p may change
    with pytest.raises(NotYet, match="argument q in place"):
        ex.guard(lambda p, q: q.add_(1))(torch.ones(2), torch.ones(2))
    with pytest.raises(NotYet, match="argument q in place"):                      # by keyword too
        ex.guard(lambda p, q: q.add_(1))(torch.ones(2), q=torch.ones(2))


def test_modules_lists_and_dicts_are_kept_too():
    ex = _register("99.3")
    net = nn.Linear(2, 1)
    with pytest.raises(NotYet, match="argument model in place"):
        ex.guard(lambda model: model.weight.data.zero_())(net)
    with pytest.raises(NotYet, match="argument losses in place"):
        ex.guard(lambda losses: losses.__setitem__(0, 9.0))([1.0, 2.0])
    with pytest.raises(NotYet, match="argument state in place"):
        ex.guard(lambda state: state.update(v=1))({})
    ex.guard(lambda model, losses: [model(torch.ones(2)), sorted(losses)])(net, [2.0, 1.0])   # reading is fine


@settings(max_examples=30, deadline=None)
@given(given_dtype=st.sampled_from([torch.float16, torch.float32, torch.float64]),
       returned=st.sampled_from([torch.float16, torch.float32, torch.float64]), tupled=st.booleans())
def test_keeps_dtype_refuses_any_other_floating_dtype(given_dtype, returned, tupled):
    ex = _register("99.4", keeps_dtype=True)

    def answer(x, target):
        out = (x * 2).to(returned)
        return (out, 1.0) if tupled else out

    args = torch.ones(3, dtype=given_dtype), torch.zeros(3, dtype=torch.long)      # integer inputs do not count
    if returned == given_dtype:
        ex.guard(answer)(*args)
    else:
        with pytest.raises(NotYet, match="keep the inputs' dtype"):
            ex.guard(answer)(*args)
    assert (dtype_change(answer(*args), args) is None) == (returned == given_dtype)


def test_torchs_dtype_mismatch_error_becomes_a_dtype_message(capsys):
    assert dtype_mismatch("expected Float did not match Double") == ("Float", "Double")
    _register("99.5", call=lambda answer: torch.allclose(answer(torch.ones(3)), torch.ones(3, dtype=torch.float64)))
    check("99.5", lambda x: x)
    out = capsys.readouterr().out
    assert "Keep the inputs' dtype: your answer gave float32 numbers where the check works with float64" in out
    assert "could not use" not in out


def test_chapter_exercises_refuse_in_place_and_dtype_mistakes(capsys):
    def standardize(X):
        X -= X.mean(0)
        return X / X.std(0, correction=0)
    assert not check("00.3", standardize)
    assert "changed its argument X in place" in capsys.readouterr().out
    assert not check("00.3", lambda X: ((X - X.mean(0)) / X.std(0, correction=0)).double())
    assert "Keep the inputs' dtype" in capsys.readouterr().out
    assert check("00.3", lambda X: (X - X.mean(0)) / X.std(0, correction=0))


_EPOCH = '''def train_one_epoch(model, loader, loss_fn, optimizer):
    model.train(); total, seen = 0.0, 0
    for X, y in loader:
        X, y = {move}
        optimizer.zero_grad(); loss = loss_fn(model(X), y); loss.backward(); optimizer.step()
        total += loss.item() * len(y); seen += len(y)
    return total / seen
'''


@pytest.mark.parametrize("move, right", [("X.cpu(), y.cpu()", False), ("X.to('cpu'), y.to('cpu')", False),
                                         ("X.to(device), y.cpu()", False),
                                         ("X.to(device), y.to(device)", True),
                                         ("X.to(device=device), y.to(device, non_blocking=True)", True)])
def test_a_batch_moved_to_the_cpu_by_name_fails_on_a_cpu_machine_too(capsys, move, right):
    from dlstudy.device import get_device
    scope = {"torch": torch, "device": get_device()}
    exec(_EPOCH.format(move=move), scope)
    assert check("06.2", scope["train_one_epoch"]) == right
    assert right or "hard-code the CPU" in capsys.readouterr().out


def test_the_evaluation_loop_may_compare_on_the_cpu_but_not_run_the_model_there(capsys):
    from dlstudy.device import get_device
    device = get_device()

    def fine(model, loader):
        model.eval(); right = n = 0
        with torch.no_grad():
            for X, y in loader:
                X, y = X.to(device), y.to(device)
                right += (model(X).argmax(1).cpu() == y.cpu()).sum().item(); n += len(y)
        return right / n

    def hard_coded(model, loader):
        model.eval(); right = n = 0
        with torch.no_grad():
            for X, y in loader:
                X, y = X.cpu(), y.cpu()
                right += (model(X).argmax(1) == y).sum().item(); n += len(y)
        return right / n

    assert check("06.3", fine)
    assert not check("06.3", hard_coded)
    assert "hard-code the CPU" in capsys.readouterr().out
