"""Issue 23: the declarations (dlstudy.contract) and the misuses the issue lists, one test per class."""

import os

import numpy as np
import pytest
import torch
from torch import nn

from dlstudy import checkpoint, contract, plots
from dlstudy.contract import ArgumentTypeError, ArgumentValueError, Flag, Number, Whole, declare
from dlstudy.data import TensorLoader, train_val_test_split
from dlstudy.explain import explain


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")                                  # later tests count the open figures


@declare(n=Whole(1, 10, example=5), lr=Number(0, example=0.1, low_open=True), quiet=Flag())
def _f(n, lr=0.1, quiet=False):
    return n, lr, quiet


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(n="5"), ArgumentTypeError, r"n must be a whole number such as 5; got the text '5'\. Write the number "
                                      r"without quotes: 5\."),
    (dict(n=5.0), ArgumentTypeError, r"got 5.0 \(write it without the decimal point\)"),
    (dict(n=True), ArgumentTypeError, r"n must be a whole number such as 5; got True"),
    (dict(n=11), ArgumentValueError, r"n must be from 1 to 10; got 11"),
    (dict(n=3, lr=0), ArgumentValueError, r"lr must be a number, above 0, such as 0.1; got 0"),
    (dict(n=3, lr=float("nan")), ArgumentValueError, r"lr must be a number, above 0, such as 0.1; got nan"),
    (dict(n=3, lr="fast"), ArgumentTypeError, r"lr must be a number such as 0.1; got the text 'fast'\.$"),
    (dict(n=3, quiet="no"), ArgumentTypeError, r"quiet must be True or False; got 'no'\. Write False without quotes"),
    (dict(n=3, quiet=1), ArgumentTypeError, r"quiet must be True or False; got 1\."),
    (dict(n=3, extra=1), ArgumentTypeError, r"_f\(n, lr=0.1, quiet=False\): got an unexpected keyword"),
])
def test_a_rule_names_the_argument_the_value_and_the_fix(kwargs, error, words):
    with pytest.raises(error, match=words):
        _f(**kwargs)


def test_accepted_values_are_converted_to_plain_python():
    assert _f(np.int64(3), np.float32(0.5), np.bool_(True)) == (3, 0.5, True)
    assert type(_f(np.int64(3))[0]) is int and _f(3, torch.tensor(0.25))[1] == 0.25
    assert _f.__contract__["n"].low == 1                       # the declaration is data the tests read


def test_shuffle_no_is_refused_not_read_as_true():
    with pytest.raises(TypeError, match="shuffle must be True or False; got 'no'"):
        TensorLoader(torch.zeros(4, 1), torch.zeros(4), shuffle="no")


def test_one_nan_with_standardize_is_refused_instead_of_spreading_to_every_split():
    X = torch.randn(30, 2)
    X[4, 1] = float("nan")
    train_val_test_split(X, torch.arange(30) % 2)              # without standardize the NaN row is just data
    with pytest.raises(ValueError, match=r"X contains NaN .*in 1 of its 30 samples.*standardize=True"):
        train_val_test_split(X, torch.arange(30) % 2, standardize=True)


def test_save_and_load_expand_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    checkpoint.save_checkpoint("~/m.pt", nn.Linear(2, 1), epoch=2)
    assert (tmp_path / "m.pt").exists() and not (tmp_path / "~").exists()
    assert checkpoint.load_checkpoint("~/m.pt", nn.Linear(2, 1)) == {"epoch": 2}


def test_an_unwritable_folder_is_named_and_nothing_is_left_behind(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(checkpoint.tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError, match=r"Could not write the checkpoint .*m.pt: Permission denied .*"
                                              r"Nothing was written"):
        checkpoint.save_checkpoint(tmp_path / "m.pt", nn.Linear(2, 1))
    assert os.listdir(tmp_path) == []


def test_show_images_refuses_probabilities_as_predictions_and_takes_scores():
    images = torch.rand(3, 8, 8)
    with pytest.raises(ValueError, match=r"preds holds fractions .*\(preds >= 0.5\).long\(\)"):
        plots.show_images(images, preds=torch.tensor([0.9, 0.2, 0.6]))
    fig = plots.show_images(images, preds=torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]))
    assert [a.get_title() for a in fig.axes] == ["P: 1", "P: 0", "P: 1"]


def test_plot_history_after_one_epoch_draws_a_visible_point():
    fig = plots.plot_history({"train_loss": [0.7], "val_loss": [0.8]})
    assert [line.get_marker() for line in fig.axes[0].lines] == ["o", "o"]
    fig = plots.plot_history({"train_loss": [0.7, 0.5]})
    assert fig.axes[0].lines[0].get_marker() in (None, "None", "")


def test_explain_tells_a_double_model_to_convert_the_model():
    try:
        nn.Linear(2, 1).double()(torch.zeros(1, 2))
    except RuntimeError as error:
        advice = explain(error)
    assert "model = model.float()" in advice and "X = X.float()" not in advice
    try:
        nn.Linear(2, 1)(torch.zeros(1, 2, dtype=torch.float64))
    except RuntimeError as error:
        assert "X = X.float()" in explain(error)


def test_explain_gives_the_super_advice_only_for_nn_modules_own_attributes():
    class Mine(nn.Module):
        def __init__(self):
            super().__init__()

    for name in ("_my_hooks", "_hooks_seen", "_grad_hooks"):
        try:
            getattr(Mine(), name)
        except AttributeError as error:
            assert explain(error) is None, name

    class Forgot(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(2, 1)

    with pytest.raises(AttributeError) as info:
        Forgot()
    assert "super().__init__()" in explain(info.value)


def test_samples_refuse_a_list_of_tensors_instead_of_stacking_it():
    with pytest.raises(TypeError, match=r"X is a list of tensors.*torch.stack"):
        contract.as_samples([torch.zeros(2), torch.zeros(2)], "X")
