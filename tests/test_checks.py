"""dlstudy.checks: what fit checks before and during training, each with the fix in its message."""

import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from dlstudy.checks import check_batch, check_fit_arguments, check_val_loss, divergence_message, lr_hint
from dlstudy.train import fit


def _args(**changes):
    net = nn.Linear(2, 3)
    args = dict(model=net, loss_fn=nn.CrossEntropyLoss(), optimizer=torch.optim.SGD(net.parameters(), lr=0.1),
                num_epochs=5, batch_size=None)
    args.update(changes)
    return args


@pytest.mark.parametrize("changes, error, words", [
    (dict(num_epochs=-1), ValueError, "num_epochs must be 0 or more; got -1"),
    (dict(num_epochs=2.5), TypeError, r"num_epochs must be a whole number such as 10; got 2.5\."),
    (dict(num_epochs=10.0), TypeError, r"got 10.0 \(write it without the decimal point\)"),
    (dict(batch_size=0), ValueError, "batch_size must be 1 or more; got 0"),
    (dict(batch_size=-8), ValueError, "batch_size must be 1 or more; got -8"),
    (dict(batch_size=16.5), TypeError, "batch_size must be a whole number such as 32"),
    (dict(model=nn.Linear), TypeError, r"model must be a model \(an nn.Module\) object; got the class Linear itself.*Linear\(...\)"),
    (dict(model="net"), TypeError, r"model must be a model \(an nn.Module\) such as nn.Linear\(2, 1\); got 'net'"),
    (dict(loss_fn=nn.MSELoss), TypeError, r"loss_fn must be .*Pass an instance: MSELoss\(\) \(with parentheses\)"),
    (dict(loss_fn="mse"), TypeError, r"loss_fn must be a loss such as nn.MSELoss\(\)"),
    (dict(optimizer=torch.optim.SGD), TypeError, r"optimizer must be .*Build it for this model: SGD\(model.parameters\(\), lr=0.01\)"),
    (dict(optimizer="adam"), TypeError, r"torch.optim.SGD\(model.parameters\(\), lr=0.01\); got 'adam'"),
    (dict(optimizer=torch.optim.SGD(nn.Linear(2, 3).parameters(), lr=0.1)), ValueError,
     r"none of this model's parameters: it was built for another model.*torch.optim.SGD\(model.parameters\(\)"),
])
def test_fit_arguments(changes, error, words):
    """Each alone by fit's declaration, the model and optimizer together by check_fit_arguments."""
    with pytest.raises(error, match=words):
        fit(train_data=(torch.randn(4, 2), torch.arange(4) % 3), progress=False, **_args(**changes))


@pytest.mark.parametrize("lr", [float("nan"), float("inf"), -0.1])
def test_a_learning_rate_that_is_not_one(lr):
    net = nn.Linear(2, 3)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    optimizer.param_groups[0]["lr"] = lr                       # SGD itself refuses only some of these
    with pytest.raises(ValueError, match=rf"lr={lr} is not a learning rate; give a positive number such as "
                                         r"lr=0.01.*lr=0.01\)"):
        check_fit_arguments(net, optimizer)


def test_good_arguments_pass_and_a_partly_frozen_model_is_fine():
    net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 3))
    check_fit_arguments(net, torch.optim.SGD(net[1].parameters(), lr=0.1))


@pytest.mark.parametrize("y_hat, y, loss_fn, error, words", [
    (torch.zeros(10, 2), torch.zeros(10), nn.CrossEntropyLoss(), TypeError,
     r"class labels must be integer \(y.long\(\)\); got y of dtype float32 with shape \(10,\)"),
    (torch.zeros(10, 2), torch.zeros(10, 1), nn.CrossEntropyLoss(), TypeError, r"y = y.long\(\).squeeze\(1\)"),
    (torch.zeros(10, 2), torch.zeros(10, 1, dtype=torch.long), nn.CrossEntropyLoss(), ValueError,
     r"one class label per sample, shape \(10,\), but y has shape \(10, 1\): use y.squeeze\(1\)"),
    (torch.zeros(10, 2), torch.zeros(10, 2, dtype=torch.long), F.cross_entropy, ValueError, r"y.argmax\(1\)"),
    (torch.zeros(10), torch.zeros(10, dtype=torch.long), nn.CrossEntropyLoss(), ValueError,
     r"needs one score per class.*nn.BCEWithLogitsLoss"),
    (torch.zeros(10, 3), torch.zeros(10, dtype=torch.int32), nn.NLLLoss(), TypeError, r"int64.*y.long\(\)"),
    (torch.zeros(10, 1), torch.zeros(10, 1, dtype=torch.long), nn.BCEWithLogitsLoss(), TypeError,
     r"BCEWithLogitsLoss computes with float targets, but y is int64: convert it with y.float\(\)"),
    (torch.zeros(10, 1), torch.zeros(10, dtype=torch.long), nn.BCEWithLogitsLoss(), TypeError,
     r"y.float\(\).reshape\(-1, 1\)"),
    (torch.zeros(10, 1), torch.zeros(10, dtype=torch.long), F.mse_loss, TypeError, r"mse_loss computes with float"),
    (torch.zeros(10, 1), torch.zeros(10), nn.MSELoss(), ValueError,
     r"y_hat has shape \(10, 1\) but y has shape \(10,\); the loss would broadcast.*y.reshape\(-1, 1\)"),
    (torch.zeros(10, 2), torch.zeros(10), None, ValueError, r"class labels must be integer: y.long\(\)"),
    (torch.zeros(8, 2), torch.zeros(10, dtype=torch.long), nn.CrossEntropyLoss(), ValueError,
     r"returned 8 predictions for a batch of 10 targets"),
    (torch.zeros(()), torch.zeros(10), nn.MSELoss(), ValueError, r"returned one number predictions"),
    (torch.zeros(4, 3), torch.tensor([0, 1, 2, 3]), nn.CrossEntropyLoss(), ValueError,
     r"Class labels must be in 0..2 for a model with 3 outputs; got labels from 0 to 3"),
])
def test_first_batch_mistakes_get_advice_that_works(y_hat, y, loss_fn, error, words):
    with pytest.raises(error, match=words):
        check_batch(y_hat, y, loss_fn)


@pytest.mark.parametrize("y_hat, y, loss_fn", [
    (torch.zeros(10, 2), torch.zeros(10, dtype=torch.long), nn.CrossEntropyLoss()),
    (torch.zeros(10, 2), torch.softmax(torch.randn(10, 2), 1), nn.CrossEntropyLoss()),    # probabilities
    (torch.zeros(10, 1), torch.zeros(10, 1), nn.BCEWithLogitsLoss()),
    (torch.zeros(10, 1), torch.zeros(10, 1), lambda a, b: ((a - b) ** 2).mean()),
    (torch.zeros(10, 3), torch.zeros(10, dtype=torch.uint8), nn.CrossEntropyLoss()),
])
def test_correct_batches_pass(y_hat, y, loss_fn):
    check_batch(y_hat, y, loss_fn)


def test_following_the_advice_fixes_the_float_label_mistake():
    """Issue 15: the old advice (y.reshape(-1, 1)) looped; following this one trains."""
    y_hat, y, loss_fn = torch.zeros(10, 2), torch.zeros(10), nn.CrossEntropyLoss()
    with pytest.raises(TypeError, match=r"y.long\(\)"):
        check_batch(y_hat, y, loss_fn)
    check_batch(y_hat, y.long(), loss_fn)
    assert math.isfinite(loss_fn(y_hat, y.long()).item())


def test_divergence_messages_name_the_batch_and_advise():
    net = nn.Linear(2, 1)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    message = divergence_message(float("nan"), 3, 7, opt, X=torch.ones(2, 2))
    assert message.startswith("Training stopped at epoch 3, batch 7: the loss became nan.")
    assert "nothing was updated with it" in message and "lr=0.5 now; try 0.05" in message
    opt.param_groups[0]["lr"] = float("nan")
    assert "try nan" not in divergence_message(float("nan"), 1, 0, opt)
    assert "lr=nan is not a learning rate; give a positive number such as lr=0.01" in divergence_message(
        float("nan"), 1, 0, opt)
    assert "contains NaN or infinite values" in divergence_message(float("nan"), 1, 2, opt,
                                                                   X=torch.tensor([[float("nan")]]))
    assert lr_hint(torch.tensor(0.1)) == "lr=0.1 now; try 0.01" and lr_hint(None).startswith("lr=None is not")


def test_val_loss_not_a_number_is_flagged():
    check_val_loss({"epoch": 1, "train_loss": 0.5, "val_loss": 0.7})
    check_val_loss({"epoch": 1, "train_loss": 0.5})
    with pytest.raises(ValueError, match=r"val_loss became inf at epoch 4 while train_loss is 0.5.*torch.isnan"):
        check_val_loss({"epoch": 4, "train_loss": 0.5, "val_loss": float("inf")})
