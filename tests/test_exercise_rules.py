"""dlstudy.exercises.rules judges what ran, however it was spelled: generated programs, every autograd door.

Each property is a function that returns the violations it finds, so the same function is run once on the
real rules (no violation) and once on a deliberately broken rule (a mutation it must catch).
"""

import numpy as np
import pytest
import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from dlstudy.exercises import rules
from dlstudy.exercises.rules import Recorder, RuleBroken, allowed, answer_running, family, no_autograd, reference, torch_only

WHY = ("test", "테스트")

# Each family, written several ways: a function, a method, an alias, an nn module, torch.special, an operator.
SPELLINGS = {
    "exp": [torch.exp, lambda x: x.exp(), lambda x: getattr(torch, "exp")(x)],
    "neg": [torch.neg, torch.negative, lambda x: -x],
    "sigmoid": [torch.sigmoid, torch.special.expit, F.sigmoid, nn.Sigmoid(), lambda x: x.sigmoid()],
    "tanh": [torch.tanh, lambda x: x.tanh(), nn.Tanh(), F.tanh],
    "relu": [torch.relu, F.relu, nn.ReLU(), lambda x: x.relu()],
    "abs": [torch.abs, torch.absolute, lambda x: x.abs(), abs],
    "add": [lambda x: x + 1.5, lambda x: torch.add(x, x), lambda x: x.add(2)],
    "sub": [lambda x: x - 1.5, lambda x: torch.subtract(x, 2), lambda x: 1.0 - x],
    "mul": [lambda x: x * 0.5, lambda x: torch.mul(x, x), lambda x: torch.multiply(x, 3)],
    "sin": [torch.sin, lambda x: x.sin()],
    "where": [lambda x: torch.where(torch.ones_like(x, dtype=torch.bool), x, x)],
}
FAMILIES = sorted(SPELLINGS)

programs = st.lists(st.tuples(st.sampled_from(FAMILIES), st.integers(0, 10)), min_size=1, max_size=6)
subsets = st.sets(st.sampled_from(FAMILIES))


def run(program, x):
    for name, k in program:
        spellings = SPELLINGS[name]
        x = spellings[k % len(spellings)](x)
    return x


def allowed_violations(program, ops):
    """Where ``allowed(ops)`` disagrees with the families the program uses (raising iff one is not in ops)."""
    used = [name for name, _ in program]
    outside = [name for name in used if name not in ops]
    try:
        with allowed(ops, WHY):
            run(program, torch.linspace(-1, 1, 5))
    except RuleBroken as error:
        if not outside:
            return [f"refused {program} under {sorted(ops)}: {error}"]
        if f"'{outside[0]}'" not in str(error):
            return [f"message {error} does not name {outside[0]!r}"]
        return []
    return [f"allowed {program} under {sorted(ops)} though it runs {outside}"] if outside else []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs, subsets)
def test_allowed_refuses_exactly_the_operations_outside_the_list_however_spelled(program, ops):
    assert allowed_violations(program, ops) == []


def test_mutation_a_rule_that_lets_everything_through_is_caught(monkeypatch):
    monkeypatch.setattr(rules, "ALWAYS_ALLOWED", rules.ALWAYS_ALLOWED | {"tanh", "sigmoid"})
    assert allowed_violations([("tanh", 0)], {"exp"}) and allowed_violations([("sigmoid", 1)], set())


def test_mutation_a_family_that_ignores_aliases_is_caught(monkeypatch):
    monkeypatch.setattr(rules, "_SYNONYMS", {})
    assert allowed_violations([("sub", 2)], {"sub"})           # 1 - x runs aten.rsub: it must count as sub


def test_family_merges_overloads_in_place_forms_and_aliases():
    aten = torch.ops.aten
    assert family(aten.add.Tensor) == family(aten.add_.Tensor) == family(aten.add.Scalar) == "add"
    assert family(aten.rsub.Scalar) == "sub" and family(aten.mv.default) == family(aten.mm.default) == "mm"
    assert family(aten._softmax.default) == "softmax"


AUTOGRAD_DOORS = {
    "backward": lambda x: (lambda t: (torch.sigmoid(t).sum().backward(), t.grad)[1])(x.clone().requires_grad_()),
    "autograd.grad": lambda x: (lambda t: torch.autograd.grad(torch.sigmoid(t).sum(), t)[0])(x.clone().requires_grad_()),
    "torch.func.grad": lambda x: torch.func.vmap(torch.func.grad(torch.sigmoid))(x),
    "torch.func.vjp": lambda x: torch.func.vjp(torch.sigmoid, x)[1](torch.ones_like(x))[0],
    "torch.func.jvp": lambda x: torch.func.jvp(torch.sigmoid, (x,), (torch.ones_like(x),))[1],
    "torch.func.jacfwd": lambda x: torch.func.jacfwd(torch.sigmoid)(x),
    "torch.func.jacrev": lambda x: torch.func.jacrev(torch.sigmoid)(x),
    "jacobian forward-mode": lambda x: torch.autograd.functional.jacobian(torch.sigmoid, x, strategy="forward-mode",
                                                                          vectorize=True),
    "jacobian": lambda x: torch.autograd.functional.jacobian(torch.sigmoid, x),
    "dual tensors": lambda x: _dual(x),
    "grad_fn called": lambda x: (lambda s: s.grad_fn(torch.ones_like(s)))(torch.sigmoid(x.clone().requires_grad_())),
    "aten backward op": lambda x: torch.ops.aten.sigmoid_backward(torch.ones_like(x), torch.sigmoid(x)),
    "requires_grad tensor": lambda x: torch.sigmoid(x.clone().requires_grad_()) * 2,
}


def _dual(x):
    with fwAD.dual_level():
        return fwAD.unpack_dual(torch.sigmoid(fwAD.make_dual(x, torch.ones_like(x)))).tangent


def autograd_violations(refuse_autograd=rules.refuse_autograd):
    """The autograd doors that no_autograd leaves open, and plain programs it refuses."""
    found = []
    for name, door in AUTOGRAD_DOORS.items():
        try:
            with Recorder(lambda op, func, args: refuse_autograd(op, args, WHY)):
                door(torch.linspace(-1, 1, 3))
            found.append(f"{name} passed")
        except RuleBroken:
            pass
        except Exception as error:                          # torch refusing the door is fine too
            if "autograd" not in str(error).lower() and "grad" not in str(error).lower():
                found.append(f"{name}: {error}")
    with Recorder(lambda op, func, args: refuse_autograd(op, args, WHY)):
        run([(f, 0) for f in FAMILIES], torch.linspace(-1, 1, 3))
    return found


def test_no_autograd_closes_every_door_and_lets_plain_code_run():
    assert autograd_violations() == []
    with pytest.raises(RuleBroken, match="forward-mode"), no_autograd(WHY):
        AUTOGRAD_DOORS["torch.func.jvp"](torch.ones(2))
    with no_autograd(WHY):
        assert torch.allclose(torch.sigmoid(torch.zeros(2)) * 4, torch.full((2,), 2.0))


def test_mutation_a_no_autograd_that_only_watches_requires_grad_is_caught():
    def only_requires_grad(op, args, why):
        if any(isinstance(a, torch.Tensor) and a.requires_grad for a in args):
            raise RuleBroken("requires grad")
    missed = autograd_violations(only_requires_grad)
    assert any("jvp" in m for m in missed) and any("aten backward op" in m for m in missed)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 5))
def test_recorder_counts_backward_passes(n):
    w = torch.ones(3, requires_grad=True)
    with Recorder() as recorder:
        for _ in range(n):
            (w * w).sum().backward()
            w.grad = None
    assert recorder.backward_passes == n


def test_torch_only_refuses_numpy_and_lists_and_restores_them():
    t = torch.ones(3)
    for escape in (lambda: t.numpy(), lambda: np.asarray(t), lambda: t.tolist(), lambda: t.numpy(force=True)):
        with pytest.raises(RuleBroken, match="torch alone"):
            with torch_only(WHY):
                escape()
    with pytest.raises(ZeroDivisionError):
        with torch_only(WHY):
            1 / 0
    assert t.numpy().tolist() == t.tolist() == [1.0, 1.0, 1.0] and np.asarray(t).shape == (3,)
    with torch_only(WHY, lists=False):
        assert t.tolist() == [1.0, 1.0, 1.0]


def test_a_reference_refuses_to_run_inside_an_answer_and_runs_outside():
    @reference
    def double(x):
        return 2 * x
    with answer_running(), pytest.raises(RuleBroken, match="reference solution"):
        double(1)
    assert double(2) == 4


def test_printing_a_tensor_to_debug_breaks_no_rule(capsys):
    small, big = torch.tensor([1.5, float("nan"), -2.0]), torch.randn(200, 300)
    with allowed({"exp"}, WHY), torch_only(WHY):
        print(small, big, f"{small[0]:.2f}")
    assert "nan" in capsys.readouterr().out
    with pytest.raises(RuleBroken), allowed({"exp"}, WHY):
        torch.tanh(small)
