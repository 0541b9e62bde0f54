"""The checks of chapters 06-11: their references agree with the library they stand for, and their tools hold.

The references in ``dlstudy.exercises.ch06`` ... ``ch11`` replace the notebooks' check-cell code; each is
compared here with what it stands for (``nn.Conv2d``, ``race``, ``schedule_curve``, ``lr_finder.smooth``,
``EarlyStopping`` as ``fit`` drives it) on generated cases. The effect tools (the stand-in device, the
switched-off modules, refused torch functions) are tested on both sides: what they refuse and what they let
through.
"""

import sys
from types import SimpleNamespace

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dlstudy.exercises import ch07, ch08, ch09, ch11, check, effects
from dlstudy.exercises.effects import host_loader, refuse_calls, refuse_torch_functions
from dlstudy.exercises.rules import RuleBroken


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), k=st.integers(1, 7), p=st.integers(0, 3), s=st.integers(1, 4))
def test_the_output_size_reference_is_what_a_real_convolution_gives(n, k, p, s):
    if n + 2 * p < k:
        return
    real = nn.Conv2d(1, 1, k, padding=p, stride=s)(torch.zeros(1, 1, n, n)).shape[-1]
    assert ch07._output_size(n, k, p, s) == real


def test_the_surfaces_and_adams_arrival_are_those_of_the_chapters_race():
    from dlstudy.demos.catalog import SURFACES
    from dlstudy.demos.optimizer_race import race
    x, y = torch.randn(50, dtype=torch.float64), torch.randn(50, dtype=torch.float64)
    assert torch.equal(ch08.bowl(x, y), SURFACES["bowl"].fn(x, y))
    assert torch.equal(ch08.rosenbrock(x, y), SURFACES["rosenbrock"].fn(x, y))
    assert ch08.ROSENBROCK_START == SURFACES["rosenbrock"].start
    for lr in (0.1, 0.8, 3.0):
        losses = race("rosenbrock", ["adam"], lrs={"adam": lr}, num_steps=ch08.ROSENBROCK_STEPS)["losses"]["adam"]
        above = torch.nonzero(~(losses < ch08.ROSENBROCK_THRESHOLD))
        first = 0 if len(above) == 0 else int(above.max()) + 1
        assert ch08._adam_arrival(lr) == (first if first < len(losses) else None)


def test_the_critical_learning_rate_is_two_over_the_largest_curvature():
    largest, smallest = ch08.critical_lr()
    # the Hessian of Rosenbrock at (1, 1) is [[802, -400], [-400, 200]]
    eigenvalues = torch.linalg.eigvalsh(torch.tensor([[802.0, -400.0], [-400.0, 200.0]], dtype=torch.float64))
    assert abs(largest - 2 / eigenvalues[-1].item()) < 1e-12 and smallest > largest


@settings(max_examples=40, deadline=None)
@given(peak=st.floats(0.001, 1.0), warm=st.integers(1, 20), rest=st.integers(2, 60))
def test_the_cosine_reference_is_the_chapters_scheduler(peak, warm, rest):
    from dlstudy.demos.schedules import schedule_curve
    total = warm + rest
    curve = schedule_curve("warmup + cosine", peak, total, warmup=warm / total)
    ours = [ch11.cosine_with_warmup(t, peak, warm, total) for t in range(total)]
    assert max(abs(a - b) for a, b in zip(ours, curve)) < 1e-7 * peak


@settings(max_examples=40, deadline=None)
@given(losses=st.lists(st.floats(0, 5), min_size=1, max_size=40), beta=st.floats(0, 0.99))
def test_the_smoothing_reference_is_the_lr_finders(losses, beta):
    from dlstudy.lr_finder import smooth
    assert ch11.smooth_losses(losses, beta) == pytest.approx(smooth(losses, beta), rel=1e-12, abs=1e-12)


def _as_fit_drives_it(val_losses, patience):
    from dlstudy.train import EarlyStopping, History
    callback, state = EarlyStopping(patience=patience, restore_best=False), SimpleNamespace(history=History(), stop=False)
    callback.on_train_begin(state)
    for epoch, loss in enumerate(val_losses, start=1):
        state.history.append({"epoch": epoch, "val_loss": loss})
        callback.on_epoch_end(state)
        if state.stop:
            break
    return callback.best_epoch, len(state.history)


@settings(max_examples=80, deadline=None)
@given(losses=st.lists(st.sampled_from([0.5, 0.6, 0.7, 0.8, 0.9]), min_size=1, max_size=25),
       patience=st.integers(1, 6))
def test_the_early_stopping_reference_is_dlstudys_callback(losses, patience):
    assert ch09.early_stopping_epochs(losses, patience) == _as_fit_drives_it(losses, patience)


def test_a_batch_refuses_to_be_computed_with_until_it_is_moved_to_the_device():
    loader = host_loader(torch.randn(7, 3), torch.arange(7), 3, torch.device("cpu"))
    X, y = next(iter(loader))
    assert len(X) == 3 and X.shape == (3, 3) and y.size(0) == 3 and X.dtype == torch.float32   # reading is fine
    for compute in (lambda: X.sum(), lambda: nn.Linear(3, 2)(X), lambda: X + 1, lambda: X[0],
                    lambda: X.to(torch.float64).sum(), lambda: F.cross_entropy(torch.zeros(3, 7), y)):
        with pytest.raises(RuleBroken, match="device"):
            compute()
    for move in (lambda t: t.to(torch.device("cpu")), lambda t: t.to(torch.device("cpu"), non_blocking=True),
                 lambda t: t.to(device=torch.device("cpu")), lambda t: t.to(torch.zeros(1))):
        moved = move(X)
        assert type(moved) is effects.OnModelDevice and torch.equal(moved, X.as_subclass(torch.Tensor))
    for by_name in (lambda t: t.to("cpu"), lambda t: t.cpu()):     # right here, wrong on a GPU: refused too
        with pytest.raises(RuleBroken, match="CPU"):
            nn.Linear(3, 2)(by_name(X))


def test_switched_off_modules_and_functions_refuse_under_any_name_and_the_profiler_is_restored():
    import json
    loads = json.loads

    def helper():
        return 1

    before = sys.getprofile()
    with pytest.raises(RuleBroken, match="json"):
        with refuse_calls(("json",)):
            loads("[1]")                       # an alias is the same code
    with pytest.raises(RuleBroken, match="helper"):
        with refuse_calls(functions={helper.__code__: "helper"}):
            alias = helper
            alias()
    with refuse_calls(("json",)):
        assert helper() == 1                   # everything else runs
    assert sys.getprofile() is before


def test_an_inner_refusal_keeps_the_outer_one_working():
    import json
    with pytest.raises(RuleBroken, match="json"):
        with refuse_calls(("json",)), refuse_calls(("csv",)):
            json.dumps([1])


def test_torch_functions_are_refused_by_name_whatever_the_route():
    x = torch.ones(4, 3, 5)
    for route in (lambda: F.dropout(x, 0.5), lambda: nn.Dropout(0.5)(x), lambda: F.dropout1d(x, 0.5),
                  lambda: F.dropout2d(x[None], 0.5), lambda: torch.dropout(x, 0.5, True)):
        with pytest.raises(RuleBroken, match="dropout"):
            with refuse_torch_functions("dropout", why=("draw the mask yourself", "마스크를 직접 뽑으세요")):
                route()
    with refuse_torch_functions("dropout", why=("draw the mask yourself", "마스크를 직접 뽑으세요")):
        assert (x * (torch.rand_like(x) >= 0.5)).shape == x.shape


def test_a_stub_is_not_yet_and_every_exercise_of_06_to_11_is_registered(capsys):
    from dlstudy.exercises import exercise_ids
    ids = [i for chapter in ("06", "07", "08", "09", "10", "11") for i in exercise_ids(chapter)]
    assert len(ids) == 26

    def stub(*args, **kwargs):
        raise NotImplementedError

    for exercise_id in ids:
        answers = {"08.1": (None,), "08.4": (None,), "10.1": (stub, stub), "11.3": (None, None)}
        assert check(exercise_id, *answers.get(exercise_id, (stub,))) is False
    assert capsys.readouterr().out.count("not yet") == len(ids)
