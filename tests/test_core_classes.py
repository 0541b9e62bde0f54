"""Issue 23, the training core's classes of misuse, each tested with generated cases (hypothesis).

One rule per class: the direction of a monitored value comes from ``dlstudy.metrics.direction``;
a metric gives one number per epoch and its errors name ``metrics['key']``; History names its keys;
(N, 2) scores go through ``positive_scores``; the reported loss is per sample whatever the reduction
and batch size; callbacks' hooks, orders and optimizers are checked; data forms are read or refused.
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from dlstudy import metrics
from dlstudy.callbacks import Callback, EarlyStopping, LRScheduler
from dlstudy.contract import ArgumentError
from dlstudy.data import TensorLoader
from dlstudy.loop import HOOKS, History, HistoryKeyError, measure
from dlstudy.train import evaluate, fit

FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)


def _net(features=3, outputs=2, seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(features, 4), nn.Tanh(), nn.Linear(4, outputs))


def _data(n=24, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 3, generator=g)
    return X, (X[:, 0] > 0).long()


def _scripted(values, higher_is_better=None):
    """A metric that returns ``values`` one epoch after another (direction declared or not)."""
    calls = iter(values)

    def scripted(y_hat, y):
        return next(calls)
    if higher_is_better is not None:
        scripted.higher_is_better = higher_is_better
    return scripted


# ---------------------------------------------------------------- one source of truth for directions
@FUZZ
@given(st.sampled_from(sorted(metrics.DIRECTION)), st.sampled_from(["", "train_", "val_"]))
def test_early_stopping_takes_the_direction_of_every_known_metric_from_the_one_table(name, prefix):
    assert EarlyStopping(monitor=prefix + name).mode == metrics.DIRECTION[name]


@FUZZ
@given(names.filter(lambda n: metrics.direction(n) is None))
def test_an_unknown_metric_without_a_mode_is_refused_and_with_a_mode_it_runs(name):
    X, y = _data()
    model = _net()
    with pytest.raises(ArgumentError, match="mode="):
        fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 2,
            metrics={name: _scripted([0.1, 0.2])}, callbacks=[EarlyStopping(monitor=f"train_{name}")], progress=False)
    h = fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 2,
            metrics={name: _scripted([0.1, 0.2])}, callbacks=[EarlyStopping(monitor=f"train_{name}", mode="max")],
            progress=False)
    assert h.best_epoch == 2


@FUZZ
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=2, max_size=6), st.booleans(),
       st.sampled_from(["acc", "loss_like", "score", "mae"]))
def test_early_stopping_keeps_the_best_epoch_in_the_metrics_own_direction(values, higher, key):
    """The function's declaration wins over what its key's name suggests (``{'mae': my_accuracy}``)."""
    X, y = _data()
    model = _net()
    es = EarlyStopping(monitor=f"train_{key}", patience=100)
    h = fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.0), len(values),
            metrics={key: _scripted(values, higher)}, callbacks=[es], progress=False, step=measure)
    best = (max if higher else min)(values)
    assert es.mode == ("max" if higher else "min")
    assert h.best_epoch == values.index(best) + 1


@FUZZ
@given(st.lists(st.floats(0.05, 1, allow_nan=False), min_size=3, max_size=6), st.booleans())
def test_reduce_lr_on_plateau_steps_on_the_monitored_metric_in_its_direction(values, higher):
    """The rate is cut exactly after the epochs whose monitored value did not improve (patience 0)."""
    X, y = _data()
    model = _net()
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="max" if higher else "min", factor=0.5,
                                                         patience=0, threshold=0)
    scheduler = LRScheduler(plateau, per="epoch", monitor="train_quality")
    fit(model, (X, y), nn.CrossEntropyLoss(), optimizer, len(values), progress=False,
        metrics={"quality": _scripted(values, higher)}, callbacks=[scheduler])
    best, expected, lr = values[0], [], 1.0
    for v in values:
        expected.append(lr)
        if v == values[0] and not expected[1:]:
            continue
        improved = v > best if higher else v < best
        best = v if improved else best
        lr = lr if improved else lr / 2
    assert scheduler.lrs == expected


@FUZZ
@given(st.booleans())
def test_a_plateau_scheduler_of_the_wrong_mode_is_refused_with_the_right_one(higher):
    X, y = _data()
    model = _net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min" if higher else "max")
    with pytest.raises(ArgumentError, match=f"mode={'max' if higher else 'min'!r}"):
        fit(model, (X, y), nn.CrossEntropyLoss(), optimizer, 1, progress=False,
            metrics={"quality": _scripted([0.5], higher)},
            callbacks=[LRScheduler(plateau, per="epoch", monitor="train_quality")])


# ---------------------------------------------------------------- metrics inside fit
@FUZZ
@given(st.sampled_from([0.25, 1, np.float32(0.5), np.int64(2), torch.tensor(0.75), torch.tensor([0.5])]))
def test_a_metric_may_return_any_single_number(value):
    X, y = _data()
    model = _net()
    h = fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 1,
            metrics={"m": lambda y_hat, t: value}, progress=False)
    assert h["train_m"] == [float(value if not torch.is_tensor(value) else value.item())]


@FUZZ
@given(st.integers(2, 5), names)
def test_a_metric_of_several_values_or_text_is_refused_naming_its_key(size, key):
    X, y = _data()
    model = _net()
    for bad in (torch.ones(size), [0.5] * size, "good", None):
        with pytest.raises(ArgumentError, match=f"metrics\\[{key!r}\\]") as error:
            fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 1,
                metrics={key: lambda y_hat, t, bad=bad: bad}, progress=False)
        assert len(error.value.history) == 1       # nothing lost: the epoch is kept


@FUZZ
@given(st.sampled_from(sorted(metrics.NOT_SCALAR)), st.sampled_from(["name", "function", "list"]))
def test_metrics_of_several_values_are_refused_before_training(name, form):
    given_metrics = {"name": name, "function": {"m": getattr(metrics, name)}, "list": [name]}[form]
    model = _net()
    weight = model[0].weight.clone()
    with pytest.raises(ArgumentError, match="one number"):
        fit(model, _data(), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 1,
            metrics=given_metrics, progress=False)
    assert torch.equal(model[0].weight, weight)


@pytest.mark.parametrize("name", ["accuracy_score", "f1_score", "mean_squared_error", "roc_auc_score"])
def test_scikit_learn_metrics_are_refused_with_the_argument_order(name):
    import sklearn.metrics
    with pytest.raises(ArgumentError, match="y_true, y_pred"):
        fit(_net(), _data(), nn.CrossEntropyLoss(), torch.optim.SGD(_net().parameters(), lr=0.1), 1,
            metrics={"m": getattr(sklearn.metrics, name)}, progress=False)


@pytest.mark.parametrize("metric, model, data, loss", [
    ("accuracy", _net(3, 1), (torch.randn(20, 3), torch.randn(20, 1)), nn.MSELoss()),
    ("mse", _net(3, 2), _data(20), nn.CrossEntropyLoss()),
    ("roc_auc", _net(3, 3), (torch.randn(20, 3), torch.arange(20) % 3), nn.CrossEntropyLoss())])
def test_a_metric_that_does_not_fit_the_task_names_its_key_and_the_task(metric, model, data, loss):
    with pytest.raises(ArgumentError, match=f"metrics\\['{metric}'\\].*(regression|classifier|fn\\(y_hat, y\\))"):
        fit(model, data, loss, torch.optim.SGD(model.parameters(), lr=0.1), 1, metrics=metric, progress=False)


# ---------------------------------------------------------------- (N, 2) scores: one rule
def _pairwise_auc(scores, target):
    """The AUC by its definition: the chance that a positive scores above a negative (ties count half)."""
    pos, neg = scores[target == 1], scores[target == 0]
    above = (pos[:, None] > neg[None, :]).double() + 0.5 * (pos[:, None] == neg[None, :]).double()
    return float(above.mean())


@FUZZ
@given(st.integers(4, 30), st.integers(0, 10_000), st.floats(0.1, 50))
def test_two_column_logits_are_ranked_as_their_softmax_without_rounding(n, seed, scale):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(n, 2, generator=g) * scale
    target = torch.arange(n) % 2
    exact = _pairwise_auc((logits[:, 1] - logits[:, 0]).double(), target)      # the softmax's order, exactly
    assert metrics.roc_auc(logits, target) == pytest.approx(exact, abs=1e-12)
    probabilities = torch.softmax(logits.double(), 1)
    assert torch.equal(metrics.positive_scores(probabilities), probabilities[:, 1])
    assert metrics.roc_auc(probabilities, target) == pytest.approx(_pairwise_auc(probabilities[:, 1], target))


def test_fit_records_the_auc_of_the_softmax_probabilities():
    X, y = _data(40, seed=3)
    model = _net(seed=3)
    h = fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.0), 1,
            metrics={"auc": metrics.roc_auc}, progress=False, step=measure)
    assert h["train_auc"][0] == metrics.roc_auc(torch.softmax(model(X), 1)[:, 1].detach(), y)


# ---------------------------------------------------------------- History
@FUZZ
@given(st.lists(names, min_size=1, max_size=4, unique=True), names)
def test_history_reads_recorded_names_and_refuses_others_naming_them(keys, asked):
    h = History()
    for epoch in (1, 2):
        h.append({"epoch": epoch, **{k: float(epoch) for k in keys}})
    if asked in keys:
        assert h[asked] == [1.0, 2.0]
    else:
        with pytest.raises(HistoryKeyError, match=repr(asked)) as error:
            h[asked]
        assert all(k in str(error.value) for k in keys)


@FUZZ
@given(st.one_of(st.integers(-3, 3), st.slices(3), st.none()))
def test_history_refuses_numbers_and_slices_with_the_fix(index):
    h = History()
    h.append({"epoch": 1, "train_loss": 0.5})
    with pytest.raises(HistoryKeyError, match="records"):
        h[index]


# ---------------------------------------------------------------- the loss is per sample
@FUZZ
@given(st.integers(1, 24), st.sampled_from([nn.CrossEntropyLoss, nn.MSELoss, nn.L1Loss]))
def test_the_reported_loss_is_per_sample_for_any_batch_size_and_reduction(batch_size, loss_class):
    X, y = _data(24)
    classes = loss_class is nn.CrossEntropyLoss
    model = _net(3, 2 if classes else 1)
    y = y if classes else X.sum(1, keepdim=True)
    reference = float(loss_class()(model(X), y))
    for reduction in ("mean", "sum"):
        loss = loss_class(reduction=reduction)
        got = evaluate(model, TensorLoader(X, y, batch_size, shuffle=False), loss)["loss"]
        assert got == pytest.approx(reference, rel=1e-5)
        h = fit(model, TensorLoader(X, y, batch_size), loss, torch.optim.SGD(model.parameters(), lr=0.0), 1,
                progress=False, step=measure)
        assert h["train_loss"][0] == pytest.approx(reference, rel=1e-5)


# ---------------------------------------------------------------- callbacks
def _misspellings(hook):
    words = hook[3:].split("_")
    return [hook + "s", hook[3:], "on" + "".join(w.title() for w in words), hook.replace("_", ""),
            hook.upper(), "on_" + "_".join(reversed(words)), hook.replace("begin", "start")]


@FUZZ
@given(st.sampled_from(HOOKS), st.integers(0, 6))
def test_a_misspelled_hook_is_refused_naming_it(hook, which):
    wrong = _misspellings(hook)[which]
    if wrong in HOOKS:
        return
    Bad = type("Bad", (Callback,), {wrong: lambda self, state: None})
    with pytest.raises(ArgumentError, match=wrong):
        fit(_net(), _data(), nn.CrossEntropyLoss(), torch.optim.SGD(_net().parameters(), lr=0.1), 1,
            callbacks=[Bad()], progress=False)


@FUZZ
@given(st.sampled_from(HOOKS), st.integers(0, 3))
def test_a_hook_that_cannot_take_state_is_refused(hook, arguments):
    signature = ["", "self, state, extra", "self, state, a, b", ""][arguments]
    namespace = {}
    exec(f"def {hook}({signature or 'self' if arguments != 3 else ''}): pass", namespace)
    if arguments == 3:
        namespace[hook] = staticmethod(lambda: None)
    Bad = type("Bad", (Callback,), {hook: namespace[hook]})
    with pytest.raises(ArgumentError, match="state"):
        evaluate(_net(), _data(), nn.CrossEntropyLoss(), callbacks=Bad())


@FUZZ
@given(st.one_of(st.text(max_size=4), st.none(), st.booleans(), st.just(float("nan")), st.just([1])))
def test_an_order_that_is_not_a_number_is_refused(order):
    Bad = type("Bad", (Callback,), {"order": order, "on_epoch_end": lambda self, state: None})
    with pytest.raises(ArgumentError, match="order"):
        fit(_net(), _data(), nn.CrossEntropyLoss(), torch.optim.SGD(_net().parameters(), lr=0.1), 1,
            callbacks=[Bad()], progress=False)


def test_every_dlstudy_callback_passes_the_callback_rule():
    from dlstudy.callbacks import GradientClipping, ProgressBar
    from dlstudy.diagnostics import Diagnostics
    from dlstudy.loop import Callbacks
    from dlstudy.lr_finder import LRFinder
    from dlstudy.plots import LivePlot
    model = _net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    every = [EarlyStopping(), GradientClipping(1.0), ProgressBar(), Diagnostics(), LRFinder(), LivePlot(),
             LRScheduler(torch.optim.lr_scheduler.StepLR(optimizer, 1))]
    assert Callbacks().check(every, "callbacks") == every


@pytest.mark.parametrize("per", ["batch", "epoch"])
def test_a_scheduler_built_on_another_optimizer_is_refused_before_a_step(per):
    model = _net()
    other = torch.optim.SGD(nn.Linear(3, 2).parameters(), lr=0.1)
    weight = model[0].weight.clone()
    with pytest.raises(ArgumentError, match="another optimizer"):
        fit(model, _data(), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 2, progress=False,
            callbacks=[LRScheduler(torch.optim.lr_scheduler.StepLR(other, 1), per=per)])
    assert torch.equal(model[0].weight, weight)


# ---------------------------------------------------------------- data forms
@FUZZ
@given(st.integers(3, 5), st.integers(1, 30))
def test_a_tuple_of_more_than_two_tensors_is_refused(parts, n):
    X, y = _data(n)
    with pytest.raises(ArgumentError, match=f"train_data is a tuple of {parts} tensors"):
        fit(_net(), (X, y) + (y,) * (parts - 2), nn.CrossEntropyLoss(),
            torch.optim.SGD(_net().parameters(), lr=0.1), 1, progress=False)


@FUZZ
@given(st.integers(2, 5), st.sampled_from(["train_data", "val_data"]))
def test_a_generator_for_several_epochs_is_refused_and_for_one_it_trains(epochs, where):
    X, y = _data()
    model = _net()
    batches = ((X[i:i + 8], y[i:i + 8]) for i in range(0, 24, 8))
    data = {"train_data": batches, "val_data": (X, y)}
    val = batches if where == "val_data" else None
    with pytest.raises(ArgumentError, match=f"{where} is a generator"):
        fit(model, data["train_data"] if where == "train_data" else (X, y), nn.CrossEntropyLoss(),
            torch.optim.SGD(model.parameters(), lr=0.1), epochs, val_data=val, progress=False)
    one = fit(model, ((X[i:i + 8], y[i:i + 8]) for i in range(0, 24, 8)), nn.CrossEntropyLoss(),
              torch.optim.SGD(model.parameters(), lr=0.1), 1, progress=False)
    assert len(one) == 1


@FUZZ
@given(st.integers(1, 24), st.integers(1, 24))
def test_batch_size_sets_pairs_only_and_never_refuses_a_validation_loader(batch_size, val_batch_size):
    X, y = _data()
    model = _net()
    h = fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 1,
            batch_size=batch_size, val_data=TensorLoader(X, y, val_batch_size, shuffle=False), progress=False)
    assert h["val_loss"][0] == pytest.approx(evaluate(model, (X, y), nn.CrossEntropyLoss())["loss"], rel=1e-5)
    if batch_size != val_batch_size:
        with pytest.raises(ArgumentError, match=f"batch_size={batch_size}"):
            fit(model, TensorLoader(X, y, val_batch_size), nn.CrossEntropyLoss(),
                torch.optim.SGD(model.parameters(), lr=0.1), 1, batch_size=batch_size, progress=False)


@FUZZ
@given(st.sampled_from(["make_moons", "make_xor", "make_circles", "make_spiral"]))
def test_dlstudys_own_data_sets_train_and_evaluate_as_their_pair(maker):
    from dlstudy import data
    made = getattr(data, maker)(40) if maker != "make_xor" else data.make_xor(40)
    classes = int(made.y.max()) + 1
    model = _net(made.X.shape[1], classes)
    h = fit(model, made, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.0), 1,
            val_data=made, progress=False, step=measure)
    assert h["train_loss"][0] == pytest.approx(evaluate(model, (made.X, made.y), nn.CrossEntropyLoss())["loss"],
                                               rel=1e-5)
    assert h["val_loss"] == [evaluate(model, made, nn.CrossEntropyLoss())["loss"]]
