"""Held-out loops for dlstudy.watch, written by hand apart from tests/test_watch_bugs.py: other models (MLP, CNN,
regression, binary, multi-class), other loop styles (DataLoader, manual slicing, full batch), one to three bugs at a
time. Each buggy loop must be reported with its own kind and no misleading extra; each correct loop stays silent."""

from functools import lru_cache

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlstudy.data import load_digits
from dlstudy.watch import watch

CASES = {}


def case(expect, allow=()):
    """Register a loop: ``expect`` the kinds that must be reported, ``allow`` true consequences that may also be."""
    def register(fn):
        CASES[fn.__name__] = (fn, set(expect), set(allow))
        return fn
    return register


# ---- data -----------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def blobs(n=240, classes=3, features=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(classes, features, generator=g) * 2.5
    y = torch.randint(0, classes, (n,), generator=g)
    X = centers[y] + torch.randn(n, features, generator=g)
    return (X - X.mean(0)) / X.std(0), y


@lru_cache(maxsize=None)
def binary(n=256, features=4, seed=1):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, features, generator=g)
    y = ((X[:, 0] - X[:, 1] + 0.5 * X[:, 2] + 0.3 * torch.randn(n, generator=g)) > 0).float()
    return X, y.reshape(-1, 1)


@lru_cache(maxsize=None)
def regression(n=200, features=3, seed=2):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, features, generator=g)
    y = X @ torch.tensor([[1.5], [-2.0], [0.7]])[:features] + 0.1 * torch.randn(n, 1, generator=g)
    return X, y


@lru_cache(maxsize=None)
def digits(n=480):
    data = load_digits(as_images=True)
    return data.X[:n].clone(), data.y[:n].clone()


def mlp(n_in, n_out, hidden=32, act=nn.ReLU, extra=(), seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(n_in, hidden), *extra, act(), nn.Linear(hidden, n_out))


def cnn(seed=0, bn=False):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), *([nn.BatchNorm2d(8)] if bn else []), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 4 * 4, 10))


def batches(X, y, size, seed=0):
    """Manual slicing of a random permutation (a new order every call)."""
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
    return [(X[i], y[i]) for i in order.split(size)]


def kinds(w):
    return {f.kind for f in w.findings}


# ---- the textbook loop, written out in a few styles ----------------------------------------------------------------
def train_dataloader(net, opt, loss_fn, X, y, epochs=6, bs=16, evaluate=True, squash=None, step_first=False,
                     clear_between=False, zero=True, step=True, keep_graph=False, eval_mode=False, eval_train=False,
                     eval_grad=False):
    """A DataLoader loop with switches for the classic mistakes (each switch is one mistake)."""
    loader = DataLoader(TensorDataset(X, y), batch_size=bs, shuffle=True, generator=torch.Generator().manual_seed(3))
    total = 0.0
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(epochs):
            if not eval_mode:
                net.train()
            for Xb, yb in loader:
                if zero and not clear_between:
                    opt.zero_grad()
                out = net(Xb)
                loss = loss_fn(squash(out) if squash else out, yb)
                if step_first:
                    opt.step()
                    loss.backward()
                else:
                    loss.backward()
                    if clear_between:
                        opt.zero_grad()
                    if step:
                        opt.step()
                total = total + (loss if keep_graph else loss.item())
            if evaluate:
                if not eval_train:
                    net.eval()
                if eval_grad:
                    loss_fn(net(X[:64]), y[:64]).item()
                else:
                    with torch.no_grad():
                        loss_fn(net(X[:64]), y[:64]).item()
    return w


def train_slices(net, opt, loss_fn, X, y, epochs=8, bs=20, shuffle=True, sort=False):
    """Manual slicing; ``sort``: the data ordered by label; ``shuffle=False``: the same order every epoch."""
    if sort:
        order = y.reshape(len(y), -1)[:, 0].argsort(stable=True)
        X, y = X[order], y[order]
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(epochs):
            net.train()
            for Xb, yb in (batches(X, y, bs, seed=epoch) if shuffle else zip(X.split(bs), y.split(bs))):
                loss = loss_fn(net(Xb), yb)
                opt.zero_grad(set_to_none=False)
                loss.backward()
                opt.step()
    return w


def full_batch(net, opt, loss_fn, X, y, steps=150):
    with watch(net, opt, loss_fn, report=False) as w:
        for _ in range(steps):
            opt.zero_grad()
            loss_fn(net(X), y).backward()
            opt.step()
    return w


# ---- gradients never cleared / in the wrong place ----------------------------------------------------------------
@case(["zero_grad"], allow=["lr_high"])
def no_zero_grad_cnn():
    X, y = digits()
    net = cnn()
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=2e-3), nn.CrossEntropyLoss(), X, y, epochs=3,
                            bs=32, zero=False)


@case(["zero_grad"], allow=["lr_high"])
def no_zero_grad_regression():
    X, y = regression()
    net = nn.Linear(3, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.01), nn.MSELoss(), X, y, zero=False)


@case(["zero_grad"], allow=["lr_high"])
def zero_grad_outside_the_batch_loop():
    X, y = blobs()
    net = mlp(5, 3)
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(6):
            opt.zero_grad()                          # once per epoch: the batches add up
            for Xb, yb in batches(X, y, 24, seed=epoch):
                loss_fn(net(Xb), yb).backward()
                opt.step()
    return w


@case(["zero_grad"], allow=["lr_high"])
def model_zero_grad_of_another_model():
    X, y = binary()
    net, other = mlp(4, 1), mlp(4, 1, seed=1)
    opt = torch.optim.RMSprop(net.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(5):
            for Xb, yb in batches(X, y, 32, seed=epoch):
                other.zero_grad()                    # clears the wrong model
                loss_fn(net(Xb), yb).backward()
                opt.step()
    return w


@case(["order"])
def zero_grad_between_backward_and_step():
    X, y = blobs()
    net = mlp(5, 3)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.CrossEntropyLoss(), X, y,
                            clear_between=True)


@case(["order"])
def zero_grad_keeps_zeros_between_backward_and_step():
    X, y = regression()
    net = mlp(3, 1, hidden=16)
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    loss_fn = nn.MSELoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(5):
            for Xb, yb in batches(X, y, 20, seed=epoch):
                loss_fn(net(Xb), yb).backward()
                opt.zero_grad(set_to_none=False)     # zeros, not None
                opt.step()
    return w


@case(["order"])
def step_before_backward_cnn():
    X, y = digits()
    net = cnn()
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9), nn.CrossEntropyLoss(),
                            X, y, epochs=3, bs=32, step_first=True)


@case(["order"])
def step_before_backward_binary():
    X, y = binary()
    net = mlp(4, 1, act=nn.Tanh)
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.BCEWithLogitsLoss(), X, y,
                            step_first=True)


@case(["no_step"])
def no_step_regression():
    X, y = regression()
    net = mlp(3, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.MSELoss(), X, y, step=False)


@case(["no_step"])
def optimizer_built_in_the_loop():
    X, y = blobs()
    net = mlp(5, 3)
    opt, loss_fn = torch.optim.Adam(net.parameters(), lr=1e-2), nn.CrossEntropyLoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(5):
            for Xb, yb in batches(X, y, 32, seed=epoch):
                step_opt = torch.optim.Adam(net.parameters(), lr=1e-2)   # forgets Adam's state every step
                step_opt.zero_grad()
                loss_fn(net(Xb), yb).backward()
                step_opt.step()
    return w


# ---- parameters that cannot learn ----------------------------------------------------------------------------------
@case(["not_optimized"])
def frozen_model():
    X, y = blobs()
    net = mlp(5, 3)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for p in net.parameters():
        p.requires_grad_(False)
    loss_fn = nn.CrossEntropyLoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(4):
            for Xb, yb in batches(X, y, 32, seed=epoch):
                opt.zero_grad()
                loss = loss_fn(net(Xb), yb)
                if loss.requires_grad:
                    loss.backward()
                opt.step()
    return w


@case(["not_optimized"])
def optimizer_of_another_model_cnn():
    X, y = digits()
    net, twin = cnn(), cnn(seed=1)
    return train_dataloader(net, torch.optim.Adam(twin.parameters(), lr=1e-3), nn.CrossEntropyLoss(), X, y,
                            epochs=2, bs=32)


@case(["not_optimized"])
def optimizer_built_before_the_model_was_replaced():
    X, y = binary()
    net = mlp(4, 1)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    net = mlp(4, 1, hidden=64, seed=3)               # a new model; the optimizer holds the old one's tensors
    return train_dataloader(net, opt, nn.BCEWithLogitsLoss(), X, y)


@case(["not_optimized"])
def optimizer_built_before_the_last_layer_was_replaced():
    X, y = blobs(classes=4)
    net = mlp(5, 3)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    net[2] = nn.Linear(32, 4)                        # 4 classes after all: a new layer the optimizer never saw
    return train_slices(net, opt, nn.CrossEntropyLoss(), X, y)


@case(["unchanged"])
def learning_rate_zero():
    X, y = regression()
    net = mlp(3, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.0), nn.MSELoss(), X, y)


# ---- what the loss is given ------------------------------------------------------------------------------------------
@case(["softmax"], allow=["chance_loss"])
def softmax_inside_the_model():
    X, y = blobs(classes=4)
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 4), nn.Softmax(dim=1))
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.CrossEntropyLoss(), X, y)


@case(["softmax"], allow=["chance_loss"])
def softmax_in_the_loop_cnn():
    X, y = digits()
    net = cnn()
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=2e-3), nn.CrossEntropyLoss(), X, y, epochs=3,
                            bs=32, squash=lambda t: t.softmax(1))


@case(["softmax"])
def sigmoid_before_bce_with_logits():
    X, y = binary()
    net = mlp(4, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.BCEWithLogitsLoss(), X, y,
                            squash=torch.sigmoid)


@case(["softmax"])
def sigmoid_layer_before_bce_with_logits():
    X, y = binary()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
    return train_slices(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.BCEWithLogitsLoss(), X, y)


@case(["softmax"])
def softmax_before_nll():
    X, y = blobs()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 3), nn.Softmax(dim=1))
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.NLLLoss(), X, y)


@case(["log_softmax"])
def raw_scores_into_nll():
    X, y = blobs()
    net = mlp(5, 3)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.01), nn.NLLLoss(), X, y, epochs=3)


# ---- modes ------------------------------------------------------------------------------------------------------------
@case(["eval_mode"])
def eval_mode_while_training_dropout():
    X, y = blobs()
    net = mlp(5, 3, extra=[nn.Dropout(0.3)])
    net.eval()
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.CrossEntropyLoss(), X, y,
                            eval_mode=True)


@case(["eval_mode"])
def eval_mode_while_training_batchnorm_cnn():
    X, y = digits()
    net = cnn(bn=True).eval()
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.CrossEntropyLoss(), X, y, epochs=2,
                            bs=32, eval_mode=True, evaluate=False)


@case(["train_mode"])
def train_mode_while_evaluating_batchnorm():
    X, y = blobs()
    net = mlp(5, 3, extra=[nn.BatchNorm1d(32)])
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.CrossEntropyLoss(), X, y,
                            eval_train=True)


@case(["train_mode"])
def train_mode_while_evaluating_dropout_regression():
    X, y = regression()
    net = mlp(3, 1, extra=[nn.Dropout(0.2)])
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.MSELoss(), X, y, eval_train=True)


@case(["eval_grad"])
def evaluation_without_no_grad():
    X, y = binary()
    net = mlp(4, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.BCEWithLogitsLoss(), X, y,
                            eval_grad=True)


@case(["eval_grad"])
def training_accuracy_with_gradients_every_step():
    X, y = blobs()
    net = mlp(5, 3)
    opt, loss_fn = torch.optim.SGD(net.parameters(), lr=0.1), nn.CrossEntropyLoss()
    correct = 0
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(4):
            for Xb, yb in batches(X, y, 24, seed=epoch):
                opt.zero_grad()
                loss_fn(net(Xb), yb).backward()
                opt.step()
                correct += (net(Xb).argmax(1) == yb).sum().item()    # a second forward, graph recorded for nothing
    return w


# ---- graphs kept alive -----------------------------------------------------------------------------------------------
@case(["graph_kept"])
def running_total_of_tensors():
    X, y = regression()
    net = mlp(3, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.MSELoss(), X, y, keep_graph=True)


@case(["graph_kept"])
def history_of_loss_tensors_cnn():
    X, y = digits()
    net = cnn()
    opt, loss_fn, history = torch.optim.Adam(net.parameters(), lr=2e-3), nn.CrossEntropyLoss(), []
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(2):
            for Xb, yb in batches(X, y, 32, seed=epoch):
                loss = loss_fn(net(Xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                history.append(loss)                 # every graph kept
    return w


@case(["graph_kept"])
def epoch_total_of_tensors():
    X, y = blobs(n=480)
    net = mlp(5, 3)
    opt, loss_fn = torch.optim.SGD(net.parameters(), lr=0.1), nn.CrossEntropyLoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(4):
            epoch_loss = 0
            for Xb, yb in batches(X, y, 16, seed=epoch):
                loss = loss_fn(net(Xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                epoch_loss += loss
            print_value = float(epoch_loss) / 30       # read once per epoch, but the graphs were kept all epoch
            assert print_value == print_value
    return w


# ---- the inputs ------------------------------------------------------------------------------------------------------
@case(["input_scale"], allow=["lr_high", "dead_relu", "chance_loss"])
def pixels_0_255_cnn():
    X, y = digits()
    net = cnn()
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-3), nn.CrossEntropyLoss(), X * 255, y,
                            epochs=2, bs=32)


@case(["input_scale"], allow=["lr_high", "dead_relu", "chance_loss"])
def pixels_0_255_flattened_mlp():
    X, y = digits()
    net = mlp(64, 10)
    return train_slices(net, torch.optim.SGD(net.parameters(), lr=0.01), nn.CrossEntropyLoss(),
                        (X * 255).round().reshape(len(X), -1), y, epochs=3, bs=32)


@case(["input_scale"], allow=["lr_high", "dead_relu"])
def features_in_metres_and_millimetres():
    X, y = regression()
    X = X.clone()
    X[:, 1] *= 1000
    net = mlp(3, 1)
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-3), nn.MSELoss(), X, y)


@case(["input_scale"], allow=["lr_high", "dead_relu", "chance_loss"])
def raw_income_feature_binary():
    X, y = binary()
    X = X.clone()
    X[:, 3] = X[:, 3] * 15000 + 40000               # an unscaled income column
    net = mlp(4, 1)
    return train_slices(net, torch.optim.Adam(net.parameters(), lr=1e-3), nn.BCEWithLogitsLoss(), X, y)


@case(["constant_input"], allow=["dead_relu", "lr_high"])      # the unscaled 7.0 spikes the loss: units die (true)
def constant_column_regression():
    X, y = regression()
    X = torch.cat([X, torch.full((len(X), 1), 7.0)], 1)
    net = mlp(4, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.MSELoss(), X, y)


@case(["constant_input"])
def standardized_then_a_column_overwritten():
    X, y = blobs(features=6)
    X = X.clone()
    X[:, 4] = -1.25
    net = mlp(6, 3)
    return train_slices(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.CrossEntropyLoss(), X, y)


@case(["nonfinite_input"])
def nan_in_one_row():
    X, y = regression()
    X = X.clone()
    X[150, 2] = float("nan")
    net = mlp(3, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.MSELoss(), X, y, evaluate=False)


@case(["nonfinite_input"])
def inf_after_dividing_by_a_zero_std():
    X, y = blobs()
    X = X.clone()
    X[:, 2] = 0.0
    X[17, 2] = 1.0
    X = X / (X != 0).float().mean(0, keepdim=True).where(X[:1] > 99, torch.zeros(1, 5))   # divides a column by 0
    net = mlp(5, 3)
    return train_slices(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.CrossEntropyLoss(), X, y)


@case(["nonfinite_input"])
def nan_label_in_regression():
    X, y = regression()
    y = y.clone()
    y[123] = float("nan")
    net = mlp(3, 1)
    return train_slices(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.MSELoss(), X, y, epochs=5)


@case(["nonfinite_input"])
def nan_pixels_cnn():
    X, y = digits()
    X = X.clone()
    X[300, 0, 3, 3] = float("nan")
    net = cnn()
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=2e-3), nn.CrossEntropyLoss(), X, y, epochs=2,
                            bs=32, evaluate=False)


# ---- the labels --------------------------------------------------------------------------------------------------------
@case(["sorted_labels"], allow=["lr_high"])
def sorted_by_class_never_shuffled():
    X, y = blobs(n=300, classes=3)
    net = mlp(5, 3)
    return train_slices(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.CrossEntropyLoss(), X, y, shuffle=False,
                        sort=True)


@case(["sorted_labels"], allow=["lr_high"])
def sorted_digits_dataloader_without_shuffle():
    X, y = digits()
    order = y.argsort(stable=True)
    X, y = X[order], y[order]
    net = cnn()
    opt, loss_fn = torch.optim.Adam(net.parameters(), lr=2e-3), nn.CrossEntropyLoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(3):
            for Xb, yb in DataLoader(TensorDataset(X, y), batch_size=32):     # shuffle=False by default
                opt.zero_grad()
                loss_fn(net(Xb), yb).backward()
                opt.step()
    return w


@case(["sorted_labels"], allow=["lr_high"])
def sorted_binary_labels():
    X, y = binary()
    net = mlp(4, 1)
    return train_slices(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.BCEWithLogitsLoss(), X, y, shuffle=False,
                        sort=True, bs=16)


@case(["chance_loss"], allow=["lr_low"])
def labels_shuffled_apart_from_the_inputs():
    X, y = blobs(n=480, classes=4)
    y = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(9))]
    net = mlp(5, 4, hidden=16)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.01), nn.CrossEntropyLoss(), X, y, epochs=8,
                            bs=32)


# ---- learning rate, activations, gradients ---------------------------------------------------------------------------
@case(["lr_high"], allow=["dead_relu", "chance_loss"])
def learning_rate_far_too_large_sgd():
    X, y = regression()
    net = mlp(3, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=2.0), nn.MSELoss(), X, y, evaluate=False)


@case(["lr_high"], allow=["dead_relu", "chance_loss"])
def learning_rate_far_too_large_adam_cnn():
    X, y = digits()
    net = cnn()
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1.0), nn.CrossEntropyLoss(), X, y, epochs=2,
                            bs=32)


@case(["lr_high"], allow=["dead_relu", "chance_loss"])
def learning_rate_too_large_full_batch():
    X, y = blobs()
    net = mlp(5, 3)
    return full_batch(net, torch.optim.SGD(net.parameters(), lr=30.0), nn.CrossEntropyLoss(), X, y, steps=100)


@case(["lr_low"], allow=["chance_loss"])
def learning_rate_far_too_small_adam():
    X, y = blobs()
    net = mlp(5, 3)
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-8), nn.CrossEntropyLoss(), X, y)


@case(["lr_low"], allow=["chance_loss"])
def learning_rate_far_too_small_sgd_regression():
    X, y = regression()
    net = mlp(3, 1)
    return full_batch(net, torch.optim.SGD(net.parameters(), lr=1e-7), nn.MSELoss(), X, y, steps=80)


@case(["dead_relu"], allow=["chance_loss", "lr_low", "no_grad_params"])
def relu_layer_killed_by_a_negative_bias():
    X, y = blobs()
    net = mlp(5, 3, hidden=64)
    with torch.no_grad():
        net[0].bias.fill_(-20.0)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.CrossEntropyLoss(), X, y)


@case(["dead_relu"], allow=["chance_loss", "lr_low", "no_grad_params"])
def dead_relus_in_a_cnn():
    X, y = digits()
    net = cnn()
    with torch.no_grad():
        net[0].bias.fill_(-10.0)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.CrossEntropyLoss(), X, y, epochs=2,
                            bs=32)


@case(["vanishing"], allow=["chance_loss", "lr_low"])
def ten_sigmoid_layers():
    X, y = blobs()
    torch.manual_seed(0)
    layers = [nn.Linear(5, 32), nn.Sigmoid()] + [m for _ in range(9) for m in (nn.Linear(32, 32), nn.Sigmoid())]
    net = nn.Sequential(*layers, nn.Linear(32, 3))
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.CrossEntropyLoss(), X, y, epochs=3)


@case(["vanishing"], allow=["chance_loss", "lr_low"])
def deep_tanh_with_tiny_init():
    X, y = regression()
    torch.manual_seed(0)
    net = nn.Sequential(*[m for i in range(8) for m in (nn.Linear(3 if i == 0 else 24, 24), nn.Tanh())], nn.Linear(24, 1))
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, nn.Linear):
                layer.weight.mul_(0.2)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.MSELoss(), X, y, epochs=3)


# ---- the graph broken inside forward -----------------------------------------------------------------------------------
class Broken(nn.Module):
    def __init__(self, n_in, n_out, how):
        super().__init__()
        torch.manual_seed(0)
        self.body, self.head, self.how = nn.Sequential(nn.Linear(n_in, 24), nn.ReLU()), nn.Linear(24, n_out), how

    def forward(self, x):
        h = self.body(x.flatten(1))
        if self.how == "detach":
            h = h.detach()
        elif self.how == "numpy":
            h = torch.from_numpy(h.detach().numpy() * 1.0)
        elif self.how == "item":
            h = torch.tensor([[v.item() for v in row] for row in h])
        return self.head(h)


@case(["no_grad_params"], allow=["chance_loss"])
def detach_inside_forward():
    X, y = blobs()
    net = Broken(5, 3, "detach")
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.CrossEntropyLoss(), X, y)


@case(["no_grad_params"], allow=["chance_loss"])
def numpy_inside_forward_regression():
    X, y = regression()
    net = Broken(3, 1, "numpy")
    return train_slices(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.MSELoss(), X, y, epochs=4)


@case(["no_grad_params"], allow=["chance_loss"])
def item_inside_forward_binary():
    X, y = binary(n=96)
    net = Broken(4, 1, "item")
    return train_slices(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.BCEWithLogitsLoss(), X, y, epochs=3, bs=32)


# ---- two or three mistakes at once -------------------------------------------------------------------------------------
@case(["zero_grad", "graph_kept"], allow=["lr_high"])
def no_zero_grad_and_total_of_tensors():
    X, y = blobs()
    net = mlp(5, 3)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.02), nn.CrossEntropyLoss(), X, y, zero=False,
                            keep_graph=True)


@case(["softmax", "train_mode"], allow=["chance_loss"])
def softmax_and_dropout_left_on():
    X, y = blobs()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Dropout(0.4), nn.Linear(32, 3), nn.Softmax(dim=1))
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.CrossEntropyLoss(), X, y,
                            eval_train=True)


@case(["input_scale", "sorted_labels"], allow=["lr_high", "dead_relu", "chance_loss"])
def raw_pixels_sorted():
    X, y = digits()
    order = y.argsort(stable=True)
    net = mlp(64, 10)
    return train_slices(net, torch.optim.Adam(net.parameters(), lr=1e-3), nn.CrossEntropyLoss(),
                        X[order].reshape(len(X), -1) * 255, y[order], shuffle=False, epochs=3, bs=32)


@case(["order", "eval_grad"])
def step_first_and_evaluation_with_gradients():
    X, y = binary()
    net = mlp(4, 1)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.BCEWithLogitsLoss(), X, y,
                            step_first=True, eval_grad=True)


@case(["not_optimized", "graph_kept"])
def wrong_optimizer_and_a_list_of_losses():
    X, y = regression()
    net, old = mlp(3, 1), mlp(3, 1, seed=5)
    return train_dataloader(net, torch.optim.SGD(old.parameters(), lr=0.05), nn.MSELoss(), X, y, keep_graph=True)


@case(["constant_input", "eval_mode"])
def constant_feature_and_eval_mode():
    X, y = blobs()
    X = X.clone()
    X[:, 0] = 3.0
    net = mlp(5, 3, extra=[nn.Dropout(0.5)]).eval()
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.CrossEntropyLoss(), X, y,
                            eval_mode=True)


@case(["no_step", "softmax"])
def no_step_and_softmax():
    X, y = blobs()
    net = mlp(5, 3)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.CrossEntropyLoss(), X, y, step=False,
                            squash=lambda t: torch.softmax(t, 1))


@case(["zero_grad", "input_scale", "train_mode"], allow=["lr_high", "dead_relu", "chance_loss"])
def three_mistakes_regression():
    X, y = regression()
    net = mlp(3, 1, extra=[nn.Dropout(0.2)])
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=1e-4), nn.MSELoss(), X * 500, y, zero=False,
                            eval_train=True)


@case(["softmax", "eval_grad", "graph_kept"], allow=["chance_loss"])
def three_mistakes_cnn():
    X, y = digits()
    net = cnn()
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=2e-3), nn.CrossEntropyLoss(), X, y, epochs=3,
                            bs=32, squash=lambda t: t.softmax(1), eval_grad=True, keep_graph=True)


@case(["no_grad_params", "sorted_labels"], allow=["chance_loss", "lr_high"])
def detach_and_sorted():
    X, y = blobs(n=300)
    net = Broken(5, 3, "detach")
    return train_slices(net, torch.optim.SGD(net.parameters(), lr=0.05), nn.CrossEntropyLoss(), X, y, shuffle=False,
                        sort=True)


# ---- correct loops: every one silent ----------------------------------------------------------------------------------
@case([])
def correct_dataloader_cnn():
    X, y = digits()
    net = cnn()
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=2e-3), nn.CrossEntropyLoss(), X, y, epochs=3,
                            bs=32)


@case([])
def correct_cnn_with_batchnorm_and_momentum():
    X, y = digits()
    net = cnn(bn=True)
    return train_dataloader(net, torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9), nn.CrossEntropyLoss(), X,
                            y, epochs=3, bs=32)


@case([])
def correct_slices_set_to_none_false():
    X, y = blobs()
    net = mlp(5, 3)
    return train_slices(net, torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9), nn.CrossEntropyLoss(), X, y)


@case([])
def correct_grad_none_by_hand():
    X, y = regression()
    net = mlp(3, 1)
    opt, loss_fn = torch.optim.Adam(net.parameters(), lr=1e-2), nn.MSELoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(6):
            for Xb, yb in batches(X, y, 25, seed=epoch):
                for p in net.parameters():
                    p.grad = None
                loss_fn(net(Xb), yb).backward()
                opt.step()
    return w


@case([])
def correct_model_zero_grad_at_the_end():
    X, y = binary()
    net = mlp(4, 1, act=nn.Tanh)
    opt, loss_fn = torch.optim.SGD(net.parameters(), lr=0.1), nn.BCEWithLogitsLoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(6):
            for Xb, yb in batches(X, y, 32, seed=epoch):
                loss_fn(net(Xb), yb).backward()
                opt.step()
                net.zero_grad()                      # clearing after the step is as good as before the forward
    return w


@case([])
def correct_gradient_accumulation():
    X, y = blobs(n=480)
    net = mlp(5, 3)
    opt, loss_fn, accumulate = torch.optim.SGD(net.parameters(), lr=0.05), nn.CrossEntropyLoss(), 4
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(4):
            for i, (Xb, yb) in enumerate(batches(X, y, 8, seed=epoch)):
                (loss_fn(net(Xb), yb) / accumulate).backward()
                if (i + 1) % accumulate == 0:
                    opt.step()
                    opt.zero_grad()
            net.eval()
            with torch.no_grad():
                loss_fn(net(X[:100]), y[:100])
            net.train()
    return w


@case([])
def correct_schedulers_and_clipping():
    X, y = blobs()
    net = mlp(5, 3, extra=[nn.Dropout(0.2)])
    opt, loss_fn = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9), nn.CrossEntropyLoss()
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.2, total_steps=60)
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(6):
            net.train()
            for Xb, yb in batches(X, y, 24, seed=epoch):
                opt.zero_grad()
                loss_fn(net(Xb), yb).backward()
                nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                opt.step()
                schedule.step()
            net.eval()
            with torch.inference_mode():
                net(X).argmax(1)
    return w


@case([])
def correct_step_lr_adamw_regression():
    X, y = regression()
    net = mlp(3, 1)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-2, weight_decay=1e-2)
    schedule = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    w = train_dataloader(net, opt, nn.MSELoss(), X, y, epochs=6)
    schedule.step()
    return w


@case([])
def correct_sigmoid_output_with_bce_loss():
    X, y = binary()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.BCELoss(), X, y)


@case([])
def correct_label_smoothing():
    X, y = blobs(classes=4)
    net = mlp(5, 4)
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.CrossEntropyLoss(label_smoothing=0.1),
                            X, y)


@case([])
def correct_class_weights():
    X, y = blobs(classes=3)
    net = mlp(5, 3)
    return train_slices(net, torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9),
                        nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5])), X, y)


@case([])
def correct_log_softmax_with_nll():
    X, y = blobs()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 3), nn.LogSoftmax(dim=1))
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.NLLLoss(), X, y)


@case([])
def correct_multilabel_bce_with_logits():
    X, _ = binary()
    y = torch.stack([X[:, 0] > 0, X[:, 1] + X[:, 2] > 0, X[:, 3] < 0.5], 1).float()
    net = mlp(4, 3)
    return train_dataloader(net, torch.optim.Adam(net.parameters(), lr=1e-2), nn.BCEWithLogitsLoss(), X, y)


@case([])
def correct_huber_full_batch():
    X, y = regression()
    net = nn.Linear(3, 1)
    return full_batch(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.HuberLoss(), X, y, steps=120)


@case([])
def correct_evaluation_every_few_steps():
    X, y = blobs()
    net = mlp(5, 3, extra=[nn.BatchNorm1d(32)])
    opt, loss_fn = torch.optim.Adam(net.parameters(), lr=1e-2), nn.CrossEntropyLoss()
    with watch(net, opt, loss_fn, report=False) as w:
        step = 0
        for epoch in range(5):
            for Xb, yb in batches(X, y, 20, seed=epoch):
                net.train()
                opt.zero_grad()
                loss_fn(net(Xb), yb).backward()
                opt.step()
                step += 1
                if step % 5 == 0:
                    net.eval()
                    with torch.no_grad():
                        loss_fn(net(X[:50]), y[:50]).item()
    return w


@case([])
def correct_losses_as_numbers():
    X, y = digits()
    net = cnn()
    opt, loss_fn, history = torch.optim.RMSprop(net.parameters(), lr=1e-3), nn.CrossEntropyLoss(), []
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(3):
            for Xb, yb in DataLoader(TensorDataset(X, y), batch_size=48, shuffle=True):
                loss = loss_fn(net(Xb), yb)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                history.append(loss.detach())        # detached: no graph kept
    return w


@case([])
def correct_two_param_groups():
    X, y = blobs()
    net = mlp(5, 3)
    opt = torch.optim.SGD([{"params": net[0].parameters(), "lr": 0.05}, {"params": net[2].parameters()}], lr=0.1,
                          momentum=0.9)
    return train_dataloader(net, opt, nn.CrossEntropyLoss(), X, y)


@case([])
def correct_fine_tuning_a_frozen_body():
    X, y = blobs()
    net = mlp(5, 3)
    for p in net[0].parameters():
        p.requires_grad_(False)                      # a frozen first layer, the head trained: on purpose
    opt = torch.optim.Adam(net[2].parameters(), lr=1e-2)
    return train_dataloader(net, opt, nn.CrossEntropyLoss(), X, y)


@case([])
def correct_leaky_relu_and_kaiming():
    X, y = regression()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 32), nn.LeakyReLU(0.1), nn.Linear(32, 32), nn.LeakyReLU(0.1), nn.Linear(32, 1))
    for layer in net:
        if isinstance(layer, nn.Linear):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="leaky_relu")
    return train_slices(net, torch.optim.Adam(net.parameters(), lr=3e-3), nn.MSELoss(), X, y)


@case([])
def correct_one_pass_per_step_evaluation_inside_no_grad():
    X, y = binary()
    net = mlp(4, 1, extra=[nn.Dropout(0.3)])
    opt, loss_fn = torch.optim.SGD(net.parameters(), lr=0.2), nn.BCEWithLogitsLoss()
    with watch(net, opt, loss_fn, report=False) as w:
        for epoch in range(5):
            for Xb, yb in batches(X, y, 32, seed=epoch):
                net.train()
                out = net(Xb)
                loss = loss_fn(out, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                net.eval()
                with torch.no_grad():
                    (torch.sigmoid(net(Xb)) > 0.5).float().eq(yb).float().mean()
    return w


@pytest.mark.parametrize("name", list(CASES))
def test_held_out_loop(name):
    fn, expect, allow = CASES[name]
    found = kinds(fn())
    assert expect <= found, f"{name}: expected {sorted(expect)}, found {sorted(found)}"
    assert found <= expect | allow, f"{name}: also found {sorted(found - expect - allow)}"


def test_enough_held_out_loops():
    buggy = [name for name, (_, expect, _) in CASES.items() if expect]
    correct = [name for name, (_, expect, _) in CASES.items() if not expect]
    combos = [name for name in buggy if len(CASES[name][1]) >= 2]
    assert len(buggy) >= 60 and len(correct) >= 20 and len(combos) >= 10, (len(buggy), len(correct), len(combos))
