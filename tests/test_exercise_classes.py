"""The classes of the second issue-22 review, each closed by design and tested on generated cases.

A. Every check's random inputs carry the deciding cases (``inputs.with_edges``): 0 exactly, saturated values.
B. ``returned`` / ``linear_layer`` hold an answer's return value to the type, shape and dtype promised.
C. The method named by the statement: no ``.data`` where ``torch.no_grad()`` is asked, no ``torch.optim`` in a
   loop by hand, only BCEWithLogitsLoss's operations in 03.5, whose net behaves differently in eval mode.
D. ``scaled_backward``: a backward() whose gradient the check chose, so a dummy backward() cannot pass 01.5.
E. 07.3 allows every elementwise operation and reduction, refuses every pooling function.
Each near miss is checked many times (the checks draw fresh inputs each run): it must fail every time, so a
deciding case present only by luck would show. Each property also runs on a deliberately broken version.
"""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dlstudy.exercises import check, inputs
from dlstudy.exercises.chosen import scaled_backward
from dlstudy.exercises.registry import NotYet
from dlstudy.exercises.returned import linear_layer, returned
from dlstudy.exercises.nodata import no_data
from dlstudy.exercises.rules import RuleBroken

RUNS = 8


def verdicts(exercise, *answers, runs=RUNS):
    """The check's verdicts (True for ✅) over ``runs`` fresh draws."""
    return [check(exercise, *answers) is True for _ in range(runs)]


# ---- A: the deciding inputs are drawn on purpose ----

@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(1, 6), min_size=0, max_size=3), dtype=st.sampled_from([torch.float32, torch.float64]),
       kinds=st.sets(st.sampled_from(sorted(inputs.EDGES)), min_size=1))
def test_with_edges_mixes_in_every_edge_value_that_fits_and_keeps_one_entry_random(shape, dtype, kinds):
    x = torch.full(shape, 7.0, dtype=dtype)
    out = inputs.with_edges(inputs.generator(), x, *sorted(kinds))
    values = [v for kind in sorted(kinds) for v in inputs.edge_values(kind, dtype)]
    fits = values[:max(x.numel() - 1, 0)]
    assert sorted(out.flatten().tolist()) == sorted(fits + [7.0] * (x.numel() - len(fits)))
    assert torch.equal(x, torch.full(shape, 7.0, dtype=dtype))                      # a copy: x is left alone


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_saturated_values_overflow_exp_in_their_dtype_but_not_the_sigmoid(dtype):
    low, high = torch.tensor(inputs.edge_values("saturated", dtype), dtype=dtype)
    assert torch.isinf(torch.exp(high)) and torch.isinf(torch.exp(-low))
    assert torch.isfinite(torch.sigmoid(torch.stack([low, high]))).all()


def test_edge_positions_are_drawn_not_fixed():
    spots = {int(inputs.with_edges(inputs.generator(), torch.ones(9), "zero").argmin()) for _ in range(40)}
    assert len(spots) > 3


@pytest.mark.parametrize("condition", [lambda x: x >= 0, lambda x: ~(x < 0) if False else x.ge(0),
                                       lambda x: torch.logical_not(x.lt(0)) if False else x >= 0.0])
def test_a_leaky_relu_that_puts_zero_in_the_x_branch_fails_every_run(condition):
    def my_leaky_relu(x, slope):
        return torch.where(condition(x), x, slope * x)
    assert not any(verdicts("02.4", my_leaky_relu))


def test_leaky_relu_right_at_zero_passes_every_run():
    def my_leaky_relu(x, slope):
        return torch.where(x <= 0, slope * x, x)
    assert all(verdicts("02.4", my_leaky_relu))


@pytest.mark.parametrize("formula", [
    lambda z: torch.exp(-z) / (1 + torch.exp(-z)) ** 2,
    lambda z: torch.exp(z) / (1 + torch.exp(z)) ** 2,
    lambda z: torch.exp(-z) * torch.sigmoid(z) ** 2])
def test_an_mse_gradient_that_overflows_fails_every_run(formula):
    def mse_sigmoid_grad(z, y):
        return 2 * (torch.sigmoid(z) - y) * formula(z) / z.numel()
    assert not any(verdicts("10.3", mse_sigmoid_grad))


def test_the_mse_gradient_written_stably_passes_every_run():
    def mse_sigmoid_grad(z, y):
        s = torch.sigmoid(z)
        return 2 * (s - y) * s * torch.sigmoid(-z) / z.numel()
    assert all(verdicts("10.3", mse_sigmoid_grad))


def test_without_the_edges_the_overflowing_formula_would_pass(monkeypatch):
    """The mutation: with_edges switched off, the 10.3 near miss passes (so the edges are what catches it)."""
    monkeypatch.setattr(inputs, "with_edges", lambda g, x, *kinds: x)
    import dlstudy.exercises.ch10 as ch10
    monkeypatch.setattr(ch10, "randn", lambda g, *shape, **kw: inputs.randn(g, *shape, **{**kw, "edges": ()}))

    def mse_sigmoid_grad(z, y):
        e = torch.exp(-z)
        return 2 * (1 / (1 + e) - y) * e / (1 + e) ** 2 / z.numel()
    assert any(verdicts("10.3", mse_sigmoid_grad, runs=3))


# ---- B: the returned value's type, shape and dtype ----

@settings(max_examples=80, deadline=None)
@given(shape=st.lists(st.integers(1, 4), max_size=3), other=st.lists(st.integers(1, 4), max_size=3),
       dtype=st.sampled_from([torch.float32, torch.float64, torch.int64]),
       other_dtype=st.sampled_from([torch.float32, torch.float64, torch.int64]))
def test_returned_accepts_exactly_the_promised_shape_and_dtype(shape, other, dtype, other_dtype):
    promised, value = torch.zeros(shape, dtype=dtype), torch.zeros(other, dtype=other_dtype)
    try:
        returned(value, "x", "a case", like=promised)
        accepted = True
    except NotYet:
        accepted = False
    assert accepted == (tuple(shape) == tuple(other) and dtype == other_dtype)


@pytest.mark.parametrize("value, kind, ok", [(1.5, float, True), (torch.tensor(1.5), float, False), (1, float, False),
                                             (3, int, True), (True, int, False), (3.0, int, False)])
def test_returned_holds_python_numbers_to_their_type(value, kind, ok):
    try:
        returned(value, "b", "a case", kind=kind)
        assert ok
    except NotYet as error:
        assert not ok and "must be a Python" in str(error)


@settings(max_examples=40, deadline=None)
@given(n_in=st.integers(1, 5), n_out=st.integers(1, 5), built_in=st.integers(1, 5), built_out=st.integers(1, 5))
def test_linear_layer_refuses_metadata_that_disagrees(n_in, n_out, built_in, built_out):
    layer = nn.Linear(built_in, built_out)
    layer.weight = nn.Parameter(torch.zeros(n_out, n_in))
    layer.bias = nn.Parameter(torch.zeros(n_out))
    try:
        linear_layer(layer, n_in, n_out, "the merged layer", "a case")
        accepted = True
    except NotYet:
        accepted = False
    assert accepted == ((built_in, built_out) == (n_in, n_out))


@pytest.mark.parametrize("new_b", [lambda b, g: (b - g).reshape(1), lambda b, g: (b - g).reshape(1, 1),
                                   lambda b, g: (b - g).item(), lambda b, g: (b - g).double()])
def test_a_gd_step_whose_b_only_broadcasts_like_b_fails_every_run(new_b):
    def gd_step(w, b, X, y, lr):
        err = X @ w + b - y
        return w - lr * 2 * X.T @ err / len(X), new_b(b, lr * 2 * err.mean())
    assert not any(verdicts("04.3", gd_step, runs=4))


@pytest.mark.parametrize("dtype, ok", [(torch.float32, True), (torch.float64, False), (torch.float16, False)])
def test_box_kernel_is_float32(dtype, ok):
    def box_kernel(k):
        return torch.full((k, k), 1 / k ** 2, dtype=dtype)
    assert verdicts("07.4", box_kernel, runs=2) == [ok, ok]


# ---- C: the method the statement names ----

def test_no_data_refuses_the_learners_data_and_lets_torch_use_it():
    w = torch.zeros(2, requires_grad=True)
    with no_data(("why", "왜")):
        for attempt in (lambda: w.data, lambda: setattr(w, "data", torch.ones(2)), lambda: w.data.add_(1)):
            with pytest.raises(RuleBroken, match="tensor.data"):
                attempt()
        layer = nn.Linear(3, 2).double()                      # torch's own .data (Module._apply) goes on
        with torch.no_grad():
            w -= 1.0
    assert layer.weight.dtype == torch.float64 and w.data.tolist() == [-1.0, -1.0]
    assert "data" not in torch.Tensor.__dict__                 # restored


def _fit_line(update, backward=lambda loss, w, b: loss.backward()):
    def fit_line(X, y, lr=0.5, num_steps=100):
        w, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
        for _ in range(num_steps):
            loss = ((X * w + b - y) ** 2).mean()
            backward(loss, w, b)
            update(w, b, X, y, lr)
            w.grad, b.grad = None, None
        return w.item(), b.item()
    return fit_line


def _by_hand(w, b, X, y, lr):
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad


def _by_data(w, b, X, y, lr):
    w.data -= lr * w.grad
    b.data -= lr * b.grad


def _by_formula(w, b, X, y, lr):
    with torch.no_grad():
        r = X * w + b - y
        w -= lr * 2 * (r * X).mean()
        b -= lr * 2 * r.mean()


def test_01_5_the_hand_update_passes_and_data_or_a_formula_fails_every_run():
    assert all(verdicts("01.5", _fit_line(_by_hand), runs=4))
    assert not any(verdicts("01.5", _fit_line(_by_data), runs=4))
    assert not any(verdicts("01.5", _fit_line(_by_formula), runs=4))
    assert all(verdicts("01.5", _fit_line(_by_hand, lambda loss, w, b: torch.autograd.backward(loss)), runs=2))


def test_01_5_refuses_torch_optim():
    def fit_line(X, y, lr=0.5, num_steps=100):
        w, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([w, b], lr=lr)
        for _ in range(num_steps):
            opt.zero_grad()
            F.mse_loss(X * w + b, y).backward()
            opt.step()
        return w.item(), b.item()
    assert not any(verdicts("01.5", fit_line, runs=2))


def _train_xor(loss_of, before=lambda net: None):
    def train_xor(net, X, y, lr=1.0, num_epochs=300):
        before(net)
        optimizer, losses = torch.optim.SGD(net.parameters(), lr=lr), []
        for _ in range(num_epochs):
            loss = loss_of(net(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses
    return train_xor


@pytest.mark.parametrize("loss_of, ok", [
    (nn.BCEWithLogitsLoss(), True), (F.binary_cross_entropy_with_logits, True),
    (lambda z, y: nn.BCELoss()(torch.sigmoid(z), y), False),
    (lambda z, y: F.binary_cross_entropy(z.sigmoid(), y), False),
    (lambda z, y: -(y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)).mean(), False),
    (lambda z, y: (y * F.softplus(-z) + (1 - y) * F.softplus(z)).mean(), False)])
def test_03_5_only_bce_with_logits_passes(loss_of, ok):
    assert verdicts("03.5", _train_xor(loss_of), runs=3) == [ok] * 3


@pytest.mark.parametrize("before", [lambda net: net.eval(), lambda net: net.train(False)])
def test_03_5_eval_mode_fails_every_run(before):
    assert not any(verdicts("03.5", _train_xor(nn.BCEWithLogitsLoss(), before), runs=3))


# ---- D: the gradient used must be backward's ----

@settings(max_examples=30, deadline=None)
@given(factor=st.floats(0.1, 3.0), how=st.sampled_from(["backward", "autograd.backward", "autograd.grad", "gradient"]))
def test_scaled_backward_scales_every_reverse_mode_entry(factor, how):
    w = torch.tensor([1.5, -2.0], requires_grad=True)
    with scaled_backward(factor):
        loss = (w ** 3).sum()
        if how == "backward":
            loss.backward()
            grad = w.grad
        elif how == "autograd.backward":
            torch.autograd.backward([loss])
            grad = w.grad
        elif how == "gradient":
            loss.backward(gradient=torch.tensor(2.0))
            grad = w.grad / 2
        else:
            (grad,) = torch.autograd.grad(loss, w)
    assert torch.allclose(grad, factor * 3 * w.detach() ** 2)
    w.grad = None
    (w ** 3).sum().backward()                                     # outside the block: the true gradient again
    assert torch.allclose(w.grad, 3 * w.detach() ** 2)


def _by_formula_touching_grad(w, b, X, y, lr):
    with torch.no_grad():                       # a formula, with the stored gradient mixed in times zero
        r = X * w + b - y
        w -= lr * 2 * (r * X).mean() + 0 * w.grad.sum()
        b -= lr * 2 * r.mean() + 0 * b.grad.sum()


def test_a_dummy_backward_fails_by_either_guard_and_without_both_it_would_pass(monkeypatch):
    """01.5 has two guards: w, b derived from autograd's gradients (ex2) and a scaled backward() (ex3)."""
    dummy = _fit_line(_by_formula, lambda loss, w, b: torch.ones(1, requires_grad=True).sum().backward())
    touching = _fit_line(_by_formula_touching_grad)
    assert not any(verdicts("01.5", dummy, runs=4))
    assert not any(verdicts("01.5", touching, runs=4))
    import dlstudy.exercises.ch01 as ch01
    monkeypatch.setattr(ch01, "scaled_backward", lambda factor: scaled_backward(1.0))      # the mutation
    assert not any(verdicts("01.5", dummy, runs=2))          # still caught: w, b are not derived from the gradients
    assert all(verdicts("01.5", touching, runs=2))           # derived in name only: only the scaling catches it
    assert all(verdicts("01.5", _fit_line(_by_hand), runs=2))


# ---- E: every max pooling without loops or pooling functions passes ----

def _blocks(x):
    H, W = x.shape
    return x.reshape(H // 2, 2, W // 2, 2).permute(0, 2, 1, 3).reshape(H // 2, W // 2, 4)


RIGHT_POOLS = [
    lambda x: torch.fmax(torch.fmax(x[0::2], x[1::2])[:, 0::2], torch.fmax(x[0::2], x[1::2])[:, 1::2]),
    lambda x: -(-_blocks(x)).amin(-1),
    lambda x: _blocks(x).sort(-1).values[..., -1],
    lambda x: _blocks(x).topk(1).values[..., 0],
    lambda x: _blocks(x).kthvalue(4, -1).values,
    lambda x: torch.where(x[0::2] > x[1::2], x[0::2], x[1::2]).unfold(1, 2, 2).max(-1).values,
    lambda x: torch.clamp(x[0::2], min=x[1::2]).unfold(1, 2, 2).amax(-1),
]
WRONG_POOLS = [
    lambda x: F.max_pool2d(x[None, None], 2)[0, 0],
    lambda x: F.max_pool2d_with_indices(x[None, None], 2)[0][0, 0],
    lambda x: F.adaptive_max_pool2d(x[None, None], (x.shape[0] // 2, x.shape[1] // 2))[0, 0],
    lambda x: F.max_pool3d(x[None, None, None], (1, 2, 2))[0, 0, 0],
    lambda x: -F.avg_pool2d(-x[None, None], 2)[0, 0],
]


@pytest.mark.parametrize("i", range(len(RIGHT_POOLS)))
def test_07_3_every_max_pooling_without_loops_passes(i):
    def max_pool_2x2(x):
        return RIGHT_POOLS[i](x)
    assert all(verdicts("07.3", max_pool_2x2, runs=3))


@pytest.mark.parametrize("i", range(len(WRONG_POOLS)))
def test_07_3_every_pooling_function_is_refused(i, capsys):
    def max_pool_2x2(x):
        return WRONG_POOLS[i](x)
    assert not any(verdicts("07.3", max_pool_2x2, runs=2))
    assert "does not allow" in capsys.readouterr().out


# ---- messages that name the rule broken ----

@pytest.mark.parametrize("exercise, answer, words", [
    ("01.1", lambda fn, x0: torch.func.jacfwd(fn)(torch.tensor(float(x0))).item(), "forward-mode autograd"),
    ("01.1", lambda fn, x0: torch.func.jvp(fn, (torch.tensor(float(x0)),), (torch.ones(()),))[1].item(),
     "forward-mode autograd"),
    ("10.3", lambda z, y: torch.func.grad(lambda z: ((torch.sigmoid(z) - y) ** 2).mean())(z), "torch.func took"),
    ("10.3", lambda z, y: torch.func.jacrev(lambda z: ((torch.sigmoid(z) - y) ** 2).mean())(z), "torch.func took")])
def test_autograd_under_another_name_is_named(exercise, answer, words, capsys):
    assert check(exercise, answer) is not True
    out = capsys.readouterr().out
    assert words in out and "NotImplementedError" not in out and "'mean'" not in out


# ---- F: a loop shows in the computing operations, not in views whose number varies with the shapes ----

def test_einsum_runs_as_many_computing_operations_for_any_d_and_passes_00_4():
    from dlstudy.exercises.rules import Recorder, computing

    def pairwise_sq_dists(A, B):
        D = A[:, None] - B[None]
        return torch.einsum("nmd,nmd->nm", D, D)
    counts = set()
    for d in (1, 2, 5):
        with Recorder() as ops:
            pairwise_sq_dists(torch.randn(3, d), torch.randn(4, d))
        counts.add(len(computing(ops.names)) - 2)                 # the two randn calls
    assert counts == {2}
    assert all(verdicts("00.4", pairwise_sq_dists, runs=10))


def test_a_loop_over_rows_still_fails_00_4():
    def pairwise_sq_dists(A, B):
        return torch.stack([((a - B) ** 2).sum(dim=1) for a in A])
    assert not any(verdicts("00.4", pairwise_sq_dists, runs=4))
