"""Issue 23, the review's held-out classes: generated cases for each class fixed on branch rc.

Each test draws cases of one class (History read as a mapping, val_data's labels, a watched name
fit did not record, arguments that would do nothing, names that collide, device arguments,
checkpoint paths and metadata) and asserts one of two outcomes: the right result, or dlstudy's
own error naming the argument and the fix.
"""

import copy
import math
import pickle

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from dlstudy.callbacks import EarlyStopping, GradientClipping, LRScheduler, unrecorded
from dlstudy.checkpoint import load_checkpoint, save_checkpoint
from dlstudy.contract import ArgumentError, ArgumentTypeError, ArgumentValueError
from dlstudy.data import TensorLoader
from dlstudy.device import DeviceError, to_device
from dlstudy.loop import Callback, History, HistoryAttributeError, HistoryKeyError
from dlstudy.train import fit

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
CE = nn.CrossEntropyLoss()


def _data(n=24, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 3, generator=g)
    return X, (X[:, 0] > 0).long()


def _fit(model=None, data=None, optimizer=None, num_epochs=1, **kw):
    model = model or nn.Linear(3, 2)
    optimizer = optimizer or torch.optim.SGD(model.parameters(), lr=0.1)
    return fit(model, data if data is not None else _data(), CE, optimizer, num_epochs, progress=False, **kw)


# ---------------------------------------------------------------- History is a read-only mapping of names

NAMES = st.sampled_from(["train_loss", "val_loss", "train_accuracy", "val_f1", "lr", "note"])
VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5), st.text(max_size=5),
                   st.none(), st.builds(lambda v: torch.tensor(v), st.floats(-3, 3)), st.booleans())


@SETTINGS
@given(st.lists(st.dictionaries(NAMES, VALUES, min_size=1, max_size=4), min_size=1, max_size=4))
def test_history_reads_like_a_mapping_of_its_names(records):
    h = History()
    for epoch, record in enumerate(records, 1):
        h.append({"epoch": epoch, **record})
    names = list(dict.fromkeys(k for r in records for k in r))
    assert list(h) == names and len(h) == len(records)
    assert dict(h) == {k: [r[k] for r in records if k in r] for k in names} == dict(h.items())
    assert h.values() == [h[k] for k in names]
    assert all(k in h for k in names) and "val_acc" not in h and 0 not in h
    text = repr(h)                                      # any recorded value: text, None, a tensor, NaN
    assert text.startswith(f"History({len(records)} epochs")
    assert list(copy.deepcopy(h)) == names and list(pickle.loads(pickle.dumps(h))) == names


@SETTINGS
@given(st.sampled_from([0, -1, 1, "val_acc", "train_los", "loss"]), st.sampled_from(["history", "items2", "keys_"]))
def test_history_refuses_unknown_keys_indexes_and_attributes_with_the_names(key, attribute):
    h = History()
    h.append({"epoch": 1, "train_loss": 0.5, "val_loss": 0.6, "val_accuracy": 0.9})
    with pytest.raises(HistoryKeyError, match=r"train_loss.*val_loss.*val_accuracy"):
        h[key]
    with pytest.raises(HistoryAttributeError, match=r"history\['train_loss'\]") as error:
        getattr(h, attribute)
    assert isinstance(error.value, AttributeError) and not hasattr(h, attribute)


def test_a_callback_writing_text_into_the_record_keeps_the_printout():
    class Note(Callback):
        def on_epoch_end(self, state):
            state.record["note"] = "lr halved"
            state.record["grad"] = torch.ones(2)

    h = _fit(callbacks=[Note()], num_epochs=2)
    assert "note='lr halved'" in repr(h) and h["note"] == ["lr halved"] * 2


# ---------------------------------------------------------------- val_data: the same label checks as train_data

BAD_LABELS = st.sampled_from(["float", "column", "float column", "one-hot float 3", "out of range"])


def _bad(y, kind):
    return {"float": y.float(), "column": y[:, None], "float column": y[:, None].float(),
            "one-hot float 3": nn.functional.one_hot(y, 3).float(), "out of range": y + 2}[kind]


@SETTINGS
@given(BAD_LABELS, st.integers(5, 40), st.integers(0, 3))
def test_val_data_labels_get_the_train_data_message_before_any_step(kind, n, seed):
    X, y = _data(n, seed)
    bad = _bad(y, kind)
    with pytest.raises((TypeError, ValueError)) as on_train:
        _fit(data=(X, bad))
    model = nn.Linear(3, 2)
    before = copy.deepcopy(model.state_dict())
    with pytest.raises(type(on_train.value)) as on_val:
        _fit(model=model, data=(X, y), val_data=(X, bad))
    message = str(on_val.value)
    assert "val_data" in message and str(on_train.value).replace("train_data", "val_data") in message
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())   # refused before the first step


# ---------------------------------------------------------------- a watched name fit did not record

MONITORS = st.sampled_from(["val_acc", "val_accuracy", "loss", "acc", "val_f1", "train_recall", "val_los",
                            "valid_loss", "val_score"])


@SETTINGS
@given(MONITORS, st.booleans(), st.sampled_from([None, "accuracy", ["f1"]]))
def test_a_watched_name_not_recorded_gets_the_fix_for_its_cause(monitor, with_val, metrics):
    kw = dict(val_data=_data(10, 1)) if with_val else {}
    try:
        h = _fit(metrics=metrics, callbacks=[EarlyStopping(monitor=monitor, mode="max", patience=50)], **kw)
    except HistoryKeyError as error:
        message = str(error)
        assert f"EarlyStopping watches {monitor!r}" in message
        assert not (with_val and "Pass val_data" in message)     # never "pass val_data" when it was passed
        assert with_val or not monitor.startswith("val_") or "Pass val_data" in message
        if "Did you mean monitor=" in message:
            guess = message.split("Did you mean monitor=")[1].split("?")[0].strip("'")
            assert guess in error.args[0] and guess != monitor
        if "add metrics=" in message:
            assert metrics is None or monitor.split("_", 1)[-1] not in str(metrics)
    else:
        assert monitor in h


@SETTINGS
@given(MONITORS, st.lists(st.sampled_from(["train_loss", "val_loss", "train_accuracy", "val_accuracy"]),
                          min_size=1, unique=True))
def test_unrecorded_is_one_rule_for_early_stopping_and_schedulers(monitor, recorded):
    for who in ("EarlyStopping", "LRScheduler"):
        error = unrecorded(who, monitor, recorded)
        assert isinstance(error, (KeyError, ArgumentError)) and str(error).startswith(f"{who} watches {monitor!r}")
        assert ("Pass val_data" in str(error)) == (monitor.startswith("val_") and
                                                   not any(r.startswith("val_") for r in recorded) and
                                                   f"{monitor}" not in recorded)


def test_a_training_callback_in_evaluate_is_sent_to_fit():
    from dlstudy.train import evaluate
    for callback in (EarlyStopping(), EarlyStopping(monitor="val_accuracy", mode="max")):
        with pytest.raises(HistoryKeyError, match=r"Nothing was recorded.*Pass it to fit") as error:
            evaluate(nn.Linear(3, 2), _data(), CE, callbacks=callback)
        assert "Pass val_data" not in str(error.value)


def _optimizer(kind=torch.optim.SGD, lr=0.1, model=None):
    return kind((model or nn.Linear(3, 2)).parameters(), lr=lr)


@SETTINGS
@given(st.sampled_from([3, 2.5, ["val_loss"], True]))
def test_a_monitor_that_is_not_a_name_is_shown_with_the_class_it_was_given_to(monitor):
    with pytest.raises(ArgumentTypeError, match=r"LRScheduler\(scheduler, per='epoch'"):
        LRScheduler(torch.optim.lr_scheduler.StepLR(_optimizer(), 1), per="epoch", monitor=monitor)
    with pytest.raises(ArgumentTypeError, match=r"EarlyStopping\(patience=3\)"):
        EarlyStopping(monitor)


# ---------------------------------------------------------------- arguments that would do nothing

SCHEDULERS = st.sampled_from([lambda o: torch.optim.lr_scheduler.StepLR(o, 1),
                              lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9),
                              lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 5)])


@SETTINGS
@given(SCHEDULERS, st.sampled_from(["val_loss", "val_accuracy", "train_loss"]), st.sampled_from(["batch", "epoch"]))
def test_monitor_is_refused_where_the_scheduler_never_reads_it(make, monitor, per):
    optimizer = _optimizer()
    with pytest.raises(ArgumentValueError, match=rf"monitor={monitor!r} has no effect"):
        LRScheduler(make(optimizer), per=per, monitor=monitor)
    assert LRScheduler(make(optimizer), per=per).monitor == "val_loss"
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min")
    assert LRScheduler(plateau, per="epoch", monitor=monitor).monitor == monitor


@SETTINGS
@given(st.sampled_from([torch.optim.SGD, torch.optim.Adam, torch.optim.RMSprop, torch.optim.Adagrad]))
def test_lr_zero_is_refused_unless_something_raises_it(kind):
    model = nn.Linear(3, 2)
    optimizer = _optimizer(kind, 0.0, model)
    with pytest.raises(ArgumentValueError, match=r"optimizer has lr=0.*lr=0.01"):
        _fit(model=model, optimizer=optimizer)
    warmup = torch.optim.lr_scheduler.LambdaLR(_optimizer(kind, 0.1, model), lambda step: step / 10)
    assert len(_fit(model=model, optimizer=warmup.optimizer, callbacks=[LRScheduler(warmup)])) == 1

    class Warmup(Callback):
        def on_batch_begin(self, state):
            state.optimizer.param_groups[0]["lr"] = 0.01

    assert len(_fit(model=model, optimizer=_optimizer(kind, 0.0, model), callbacks=[Warmup()])) == 1


@SETTINGS
@given(st.sampled_from([float("inf"), 1.0, 2.0, 3.0]), st.floats(0.01, 5.0))
def test_gradient_clipping_takes_every_norm_torch_takes(norm_type, max_norm):
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    clip = GradientClipping(max_norm, norm_type=norm_type)
    _fit(model=copy.deepcopy(model), callbacks=[clip])      # one batch: the norm of the first gradient
    X, y = _data()
    CE(model(X), y).backward()
    grads = torch.cat([p.grad.flatten() for p in model.parameters()])
    expected = grads.abs().max() if math.isinf(norm_type) else grads.norm(norm_type)
    assert torch.allclose(clip.norms[0], expected)
    for bad in (float("nan"), -float("inf"), 0.0, -1.0):
        with pytest.raises(ArgumentValueError, match="norm_type"):
            GradientClipping(max_norm, norm_type=bad)


# ---------------------------------------------------------------- names that collide

@SETTINGS
@given(st.integers(2, 4))
def test_metrics_with_the_same_name_are_refused_not_dropped(count):
    metrics = [lambda y_hat, y, i=i: float(i) for i in range(count)]
    with pytest.raises(ArgumentValueError, match=r"two metrics named '<lambda>'.*dict"):
        _fit(metrics=metrics)
    assert _fit(metrics=["accuracy", "accuracy"]).keys() == ["train_loss", "train_accuracy"]   # the same one twice
    named = {f"m{i}": fn for i, fn in enumerate(metrics)}
    assert [_fit(metrics=named)[f"train_m{i}"] for i in range(count)] == [[float(i)] for i in range(count)]


@SETTINGS
@given(st.dictionaries(st.sampled_from(["model", "optimizer", "path", "epoch", "note"]),
                       st.one_of(st.text(max_size=6), st.integers(0, 9)), max_size=4))
def test_any_metadata_name_is_stored_even_model_optimizer_and_path(tmp_path_factory, metadata):
    file = tmp_path_factory.mktemp("ck") / "net.pt"
    model = nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    save_checkpoint(file, model, optimizer, **metadata)
    assert load_checkpoint(file, nn.Linear(2, 1)) == metadata
    save_checkpoint(path=file, model=model, optimizer=optimizer)     # by name, as the docs spell them
    target = nn.Linear(2, 1)
    assert load_checkpoint(file, target, torch.optim.SGD(target.parameters(), lr=1.0)) == {}


@SETTINGS
@given(st.sampled_from(["newdir/", "a/b/", "newdir//", "x/ "]))
def test_a_path_ending_in_a_slash_is_a_folder_not_a_checkpoint_file(tmp_path_factory, name):
    folder = tmp_path_factory.mktemp("ck")
    text = str(folder) + "/" + name
    with pytest.raises(ArgumentValueError, match=r"ends with a slash.*model\.pt"):
        save_checkpoint(text, nn.Linear(2, 1))
    with pytest.raises(ArgumentValueError, match=r"ends with a slash"):
        load_checkpoint(text, nn.Linear(2, 1))
    assert list(folder.iterdir()) == []                  # nothing written


# ---------------------------------------------------------------- device arguments: one converter

NOT_HERE = st.sampled_from(["gpu", "tpu", "cuda:x", 3, 7, "nvidia", 2.5, [0]]
                           + ([] if torch.cuda.is_available() else ["cuda", "cuda:0", torch.device("cuda")])
                           + ([] if torch.backends.mps.is_available() else ["mps"]))


@SETTINGS
@given(NOT_HERE)
def test_every_device_argument_gets_the_device_message(device):
    X, y = _data()
    with pytest.raises(DeviceError, match="device"):
        to_device(X, device)
    with pytest.raises(DeviceError, match="device"):
        TensorLoader(X, y, device=device)
    with pytest.raises(DeviceError, match="This machine has"):
        _fit(device=device)


@SETTINGS
@given(NOT_HERE)
def test_map_location_gets_the_device_message_and_the_model_is_unchanged(tmp_path_factory, device):
    file = tmp_path_factory.mktemp("ck") / "net.pt"
    save_checkpoint(file, nn.Linear(2, 1))
    model = nn.Linear(2, 1)
    before = copy.deepcopy(model.state_dict())
    with pytest.raises(ArgumentValueError, match=r"map_location must be a device.*This machine has"):
        load_checkpoint(file, model, map_location=device)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


@SETTINGS
@given(st.sampled_from([np.float64, np.float32, np.int32, np.int64, np.uint8, np.bool_]), st.integers(1, 4))
def test_to_device_turns_numpy_arrays_into_tensors_as_everywhere_in_dlstudy(dtype, n):
    array = (np.arange(n * 2).reshape(n, 2) % 2).astype(dtype)
    moved = to_device({"X": array, "pair": (array, [array])}, "cpu")
    for tensor in (moved["X"], moved["pair"][0], moved["pair"][1][0]):
        assert torch.is_tensor(tensor) and np.array_equal(tensor.numpy(), array)
        assert tensor.dtype == (torch.bool if dtype is np.bool_ else torch.float32 if array.dtype.kind == "f"
                                else torch.int64)


@SETTINGS
@given(st.sampled_from([torch.complex64, torch.complex128]), st.sampled_from(["X", "y"]))
def test_tensor_loader_refuses_complex_numbers_naming_the_argument(dtype, which):
    X, y = _data()
    data = {"X": X, "y": y}
    data[which] = data[which].to(dtype)
    with pytest.raises(ArgumentTypeError, match=rf"{which} holds complex numbers \(complex.*\.real"):
        TensorLoader(data["X"], data["y"])
    with pytest.raises(ArgumentTypeError, match=rf"train_data\[{'XY'.index(which.upper())}\] \({which}\) holds complex"):
        _fit(data=(data["X"], data["y"]))


# ---------------------------------------------------------------- data sets: a pair, and no empty class

@SETTINGS
@given(st.sampled_from(["load_iris", "make_moons", "make_xor"]), st.sampled_from([2, 3, -3, "X", 1.0, True, slice(0, 1)]))
def test_a_data_set_indexes_as_its_pair_and_refuses_the_rest_with_the_fix(maker, index):
    from dlstudy import data
    made = getattr(data, maker)()
    X, y = made
    assert made[0] is X and made[1] is y and made[-1] is y and made[-2] is X and made[:2] == (X, y)
    if isinstance(index, slice):
        assert made[index] == (X, y)[index]
        return
    with pytest.raises(ArgumentTypeError, match=r"data\[0\] is X and data\[1\] is y"):
        made[index]


@SETTINGS
@given(st.integers(2, 30), st.integers(1, 40))
def test_make_spiral_never_leaves_a_class_without_samples(num_classes, n):
    from dlstudy.data import make_spiral
    if n < num_classes:
        with pytest.raises(ArgumentValueError, match=rf"n={n} samples cannot fill num_classes={num_classes}"):
            make_spiral(n, num_classes=num_classes)
    else:
        assert make_spiral(n, num_classes=num_classes).y.bincount(minlength=num_classes).min() >= 1


@SETTINGS
@given(st.lists(st.floats(0.01, 5), min_size=1, max_size=6), st.sampled_from([float("nan"), float("inf"), -float("inf")]),
       st.data())
def test_plot_history_names_a_value_a_curve_cannot_show(values, bad, data):
    from dlstudy.plots import plot_history
    at = data.draw(st.integers(0, len(values)))
    curve = values[:at] + [bad] + values[at:]
    with pytest.raises(ArgumentValueError, match=rf"history\['val_loss'\] holds {bad} at epoch {at + 1}"):
        plot_history({"train_loss": values + [0.1], "val_loss": curve})
    assert len(plot_history({"train_loss": values}).axes[0].lines) == 1


@SETTINGS
@given(st.integers(2, 4), st.integers(0, 5))
def test_a_list_of_numpy_batches_trains_as_the_same_tensor_batches(count, seed):
    X, y = _data(8 * count, seed)
    tensors = [(X[i::count], y[i::count]) for i in range(count)]
    arrays = [(Xb.double().numpy(), yb.numpy()) for Xb, yb in tensors]       # NumPy: float64 and int64
    histories = []
    for batches in (tensors, arrays):
        torch.manual_seed(seed)
        histories.append(_fit(model=nn.Linear(3, 2), data=batches, num_epochs=2)["train_loss"])
    assert histories[0] == pytest.approx(histories[1], rel=1e-6)
