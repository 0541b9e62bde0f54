"""Issue 15: a table of bad inputs to dlstudy's public API.

Every row is a call a learner could make by mistake. Each must end in an error that is raised by
dlstudy itself (not deep inside torch, NumPy or scikit-learn), whose message names the problem and a
fix (the row's key words), and none may lose data: where a row touches a checkpoint, a model or a
History, the test checks afterwards that they are intact.
"""

import os
import re
from collections import namedtuple
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from torch.utils.data import DataLoader, TensorDataset

from dlstudy import checkpoint, data, device, explain, metrics, plots
from dlstudy.demos import activations, learning_rate, optimizer_race, playground, regularization, threshold
from dlstudy.train import TrainingDiverged, evaluate, fit, predict

DLSTUDY = str(Path(checkpoint.__file__).resolve().parent)

Row = namedtuple("Row", "name call error words intact", defaults=(None,))


class Context:
    """What a row may use: a temporary folder, monkeypatch, a saved checkpoint and a model to protect."""

    def __init__(self, tmp_path, monkeypatch):
        self.tmp, self.mp = tmp_path, monkeypatch
        torch.manual_seed(0)
        self.net = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2))
        self.path = tmp_path / "best.pt"
        checkpoint.save_checkpoint(self.path, self.net, torch.optim.SGD(self.net.parameters(), lr=0.1), epoch=4)
        self.target = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2))
        self.target_weights = {k: v.clone() for k, v in self.target.state_dict().items()}

    def file(self, name, content):
        path = self.tmp / name
        path.write_bytes(content)
        return path

    def machine(self, *kinds, gpus=1):
        """Pretend this machine has these accelerators (and ``gpus`` CUDA devices)."""
        self.mp.setattr(device, "_is_available", lambda kind: kind == "cpu" or kind in kinds)
        self.mp.setattr(torch.cuda, "device_count", lambda: gpus if "cuda" in kinds else 0)

    def env(self, value):
        self.mp.setenv("DLSTUDY_DEVICE", value)
        return device.get_device()

    def sgd(self, model=None, lr=0.1):
        return torch.optim.SGD((model or self.target).parameters(), lr=lr)

    def fit(self, train_data, loss_fn=None, optimizer=None, num_epochs=2, **kwargs):
        """fit on ``self.target`` (3 features in, 2 outputs), remembering the History on the error."""
        return fit(self.target, train_data, loss_fn or nn.CrossEntropyLoss(), optimizer or self.sgd(), num_epochs,
                   progress=False, **kwargs)


def checkpoint_intact(ctx):
    """The saved checkpoint still loads with its metadata, and the model we loaded into is unchanged."""
    assert not [p for p in ctx.tmp.iterdir() if p.name.endswith(".tmp")]
    fresh = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2))
    assert checkpoint.load_checkpoint(ctx.path, fresh) == {"epoch": 4}
    assert all(torch.equal(v, ctx.net.state_dict()[k]) for k, v in fresh.state_dict().items())
    assert all(torch.equal(v, ctx.target_weights[k]) for k, v in ctx.target.state_dict().items())


class History:                                       # what fit returns: a plain object with records
    def __init__(self):
        self.records = [{"epoch": 1, "train_loss": 0.5}]


def model_unchanged(ctx):
    """fit refused before training: the model's weights are as they were."""
    assert all(torch.equal(v, ctx.target_weights[k]) for k, v in ctx.target.state_dict().items())


def weights_finite_and_history_kept(ctx):
    """Training stopped at the bad batch: no NaN reached the weights, and the error carries the History."""
    assert all(torch.isfinite(v).all() for v in ctx.target.state_dict().values())
    assert ctx.error.history is not None


def _nan_in_third_batch(ctx):
    X = torch.randn(20, 3)
    X[9, 1] = float("nan")
    ctx.fit(data.TensorLoader(X, torch.arange(20) % 2, batch_size=4, shuffle=False))


def _diverging(ctx):
    ctx.target = nn.Linear(3, 1)
    ctx.target_weights = {k: v.clone() for k, v in ctx.target.state_dict().items()}
    X = torch.randn(40, 3) * 100
    try:
        ctx.fit((X, X.sum(1, keepdim=True)), nn.MSELoss(), ctx.sgd(lr=1.0), 5, batch_size=4)
    except TrainingDiverged as error:
        ctx.error = error
        raise


def _nan_validation(ctx):
    X_val = torch.randn(8, 3)
    X_val[0, 0] = float("nan")
    ctx.fit((torch.randn(8, 3), torch.arange(8) % 2), val_data=(X_val, torch.arange(8) % 2))


def _bce_with_integer_labels(ctx):
    ctx.target = nn.Linear(3, 1)
    ctx.target_weights = {k: v.clone() for k, v in ctx.target.state_dict().items()}
    ctx.fit((X3, y3.reshape(-1, 1)), nn.BCEWithLogitsLoss(), ctx.sgd())


def _lr_nan(ctx):
    optimizer = ctx.sgd()
    optimizer.param_groups[0]["lr"] = float("nan")
    ctx.fit((X3, y3), optimizer=optimizer)


def _pickled_code(ctx):
    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {ctx.tmp / 'pwned'}",))

    torch.save({"model_state": {}, "metadata": Evil()}, ctx.tmp / "evil.pt")
    try:
        checkpoint.load_checkpoint(ctx.tmp / "evil.pt", ctx.target)
    finally:
        assert not (ctx.tmp / "pwned").exists()


def _two_groups(ctx):
    params = list(ctx.target.parameters())
    return torch.optim.SGD([{"params": params[:2]}, {"params": params[2:]}], lr=0.1)


def _mnist_truncated(ctx):
    raw = ctx.tmp / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in data.MNIST_FILES:
        (raw / name).write_bytes(b"\x00\x00\x08\x03")
    data.load_mnist(ctx.tmp)


def _mnist_offline(ctx):
    from urllib.error import URLError

    import torchvision.datasets.mnist as tv_mnist

    def offline(*args, **kwargs):
        raise URLError("[Errno -3] Temporary failure in name resolution")

    ctx.mp.setattr(tv_mnist, "download_and_extract_archive", offline)
    data.load_mnist(ctx.tmp / "mnist", download=True)


X4, y4 = torch.randn(40, 4), torch.arange(40) % 4
X3, y3 = torch.randn(12, 3), torch.arange(12) % 2
X2, y2 = torch.randn(20, 2), torch.arange(20) % 2
SAVE, LOAD = checkpoint.save_checkpoint, checkpoint.load_checkpoint
ROWS = [
    # ---------------------------------------------------------------- checkpoints
    Row("save History as metadata", lambda c: SAVE(c.path, c.net, epoch=5, history=History()), TypeError,
        [r"cannot store history, a History", r"weights_only=True", r"history=history.records"], checkpoint_intact),
    Row("save a namedtuple", lambda c: SAVE(c.path, c.net, split=data.Split(1, 2, 3, None)), TypeError,
        [r"cannot store split, a Split", r"_asdict\(\)"], checkpoint_intact),
    Row("save a function", lambda c: SAVE(c.path, c.net, loss=lambda a, b: a - b), TypeError,
        [r"cannot store loss, a function", r"str\(value\)"], checkpoint_intact),
    Row("save a model inside the metadata", lambda c: SAVE(c.path, c.net, teacher=nn.Linear(2, 2)), TypeError,
        [r"cannot store teacher, a Linear", r"state_dict\(\)"], checkpoint_intact),
    Row("save with path and model swapped", lambda c: SAVE(c.net, c.path), TypeError,
        [r"file path first and the model second", "Swap the two arguments"], checkpoint_intact),
    Row("save the model class, not a model", lambda c: SAVE(c.path, nn.Linear), TypeError,
        [r"got the class Linear itself", r"Linear\(...\)"], checkpoint_intact),
    Row("save with an optimizer name", lambda c: SAVE(c.path, c.net, "adam"), TypeError,
        [r"expects an optimizer such as torch.optim.SGD", "got str"], checkpoint_intact),
    Row("save to a folder", lambda c: SAVE(c.tmp, c.net), IsADirectoryError,
        [r"is a folder", r"model.pt"], checkpoint_intact),
    Row("load a file that does not exist", lambda c: LOAD(c.tmp / "nope.pt", c.target), FileNotFoundError,
        [r"No checkpoint at .*nope.pt", r"save_checkpoint\("], checkpoint_intact),
    Row("load an empty file", lambda c: LOAD(c.file("empty.pt", b""), c.target), checkpoint.CheckpointError,
        [r"empty.pt: this file is not a readable dlstudy checkpoint \(truncated or corrupted\?\)", "Save it again"],
        checkpoint_intact),
    Row("load a truncated checkpoint",
        lambda c: LOAD(c.file("cut.pt", c.path.read_bytes()[:300]), c.target), checkpoint.CheckpointError,
        [r"cut.pt: this file is not a readable dlstudy checkpoint \(truncated or corrupted\?\)"], checkpoint_intact),
    Row("load a text file", lambda c: LOAD(c.file("notes.pt", b"hello world"), c.target), checkpoint.CheckpointError,
        [r"notes.pt: this file is not a readable dlstudy checkpoint"], checkpoint_intact),
    Row("load a saved tensor", lambda c: (torch.save(torch.ones(3), c.tmp / "t.pt"), LOAD(c.tmp / "t.pt", c.target)),
        checkpoint.CheckpointError, [r"not a readable dlstudy checkpoint: it holds a Tensor", "save_checkpoint"],
        checkpoint_intact),
    Row("load a bare state_dict",
        lambda c: (torch.save(c.net.state_dict(), c.tmp / "sd.pt"), LOAD(c.tmp / "sd.pt", c.target)),
        checkpoint.CheckpointError, [r"bare state_dict", r"model.load_state_dict\(torch.load\(path, weights_only=True"],
        checkpoint_intact),
    Row("load a file with pickled code", _pickled_code, checkpoint.CheckpointError,
        [r"not a readable dlstudy checkpoint", r"safe loader \(weights_only=True\) refuses", "state_dict"],
        checkpoint_intact),
    Row("load into another architecture",
        lambda c: LOAD(c.path, nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 2))),
        checkpoint.CheckpointMismatch, [r"different shapes: 0.weight: model \(16, 3\), checkpoint \(8, 3\)",
                                        "same layers and sizes"], checkpoint_intact),
    Row("load an optimizer with other param groups", lambda c: LOAD(c.path, c.target, _two_groups(c)),
        checkpoint.CheckpointMismatch, [r"parameter groups hold \[4\] tensors", r"\[2, 2\]", "Nothing was loaded"],
        checkpoint_intact),
    Row("load into an optimizer of another kind",
        lambda c: LOAD(c.path, c.target, torch.optim.Adam(c.target.parameters())), checkpoint.CheckpointMismatch,
        [r"state of a SGD, but this optimizer is a Adam", r"torch.optim.SGD\(model.parameters\(\)"],
        checkpoint_intact),
    Row("load into an optimizer of another model", lambda c: LOAD(c.path, c.target, c.sgd(nn.Sequential(
        nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2)))), checkpoint.CheckpointMismatch,
        [r"holds none of the model's parameters", r"model.parameters\(\)"], checkpoint_intact),
    Row("load an optimizer the file does not hold",
        lambda c: (SAVE(c.tmp / "plain.pt", c.net), LOAD(c.tmp / "plain.pt", c.target, c.sgd())),
        checkpoint.CheckpointError, [r"holds no optimizer state", r"save_checkpoint\(path, model, optimizer\)"],
        checkpoint_intact),
    Row("load with map_location='gpu'", lambda c: LOAD(c.path, c.target, map_location="gpu"), ValueError,
        [r"map_location must be a device such as 'cpu' or 'cuda'", "got 'gpu'"], checkpoint_intact),
    Row("load into a state_dict", lambda c: LOAD(c.path, c.target.state_dict()), TypeError,
        [r"got a OrderedDict \(a state_dict\?\)", r"Build the model"], checkpoint_intact),
    # ---------------------------------------------------------------- data
    Row("split with val + test = 1", lambda c: data.train_val_test_split(X4, y4, val_size=0.5, test_size=0.5),
        ValueError, [r"val_size \+ test_size must be below 1", r"got 0.5 \+ 0.5 = 1.0", "E.g. val_size=0.15"]),
    Row("split with val_size=1.5", lambda c: data.train_val_test_split(X4, y4, val_size=1.5), ValueError,
        [r"val_size must be a fraction from 0 up to \(not including\) 1", "got 1.5"]),
    Row("split with a count, not a fraction", lambda c: data.train_val_test_split(X4, y4, test_size=10),
        ValueError, [r"test_size must be a fraction", r"divide it by len\(X\)"]),
    Row("split with a string", lambda c: data.train_val_test_split(X4, y4, val_size="0.2"), TypeError,
        [r"val_size must be a fraction of the data, such as 0.15", "got '0.2'"]),
    Row("split too little data", lambda c: data.train_val_test_split(torch.zeros(3, 2), torch.zeros(3, 1), 0.4, 0.4),
        ValueError, [r"3 samples are too few", r"nothing is left for training", "smaller fractions"]),
    Row("split a class with one sample", lambda c: data.train_val_test_split(torch.zeros(21, 2),
        torch.tensor([0] * 10 + [1] * 10 + [2])), ValueError, [r"class 2 has only 1", "stratify=False"]),
    Row("split a part smaller than the classes", lambda c: data.train_val_test_split(torch.zeros(30, 2),
        torch.arange(10).repeat(3), 0.15, 0.35), ValueError, [r"val part has 5 samples of 30 for 10 classes",
                                                               r"larger val_size, or stratify=False"]),
    Row("split empty data", lambda c: data.train_val_test_split(torch.zeros(0, 2), torch.zeros(0)), ValueError,
        [r"X and y are empty", "at least one sample"]),
    Row("split X and y of different lengths", lambda c: data.train_val_test_split(torch.zeros(150, 2), torch.zeros(10)),
        ValueError, [r"same length; got 150 samples in X and 10 in y"]),
    Row("split strings", lambda c: data.train_val_test_split(np.array(["a", "b"]), np.array([0, 1])), TypeError,
        [r"X must be a tensor or a NumPy array of numbers", r"torch.as_tensor"]),
    Row("TensorLoader batch_size=0", lambda c: data.TensorLoader(X4, y4, batch_size=0), ValueError,
        ["batch_size must be 1 or more; got 0"]),
    Row("TensorLoader batch_size=-4", lambda c: data.TensorLoader(X4, y4, batch_size=-4), ValueError,
        ["batch_size must be 1 or more; got -4"]),
    Row("TensorLoader batch_size=2.5", lambda c: data.TensorLoader(X4, y4, batch_size=2.5), TypeError,
        [r"batch_size must be a whole number such as 32; got 2.5"]),
    Row("TensorLoader batch_size=32.0", lambda c: data.TensorLoader(X4, y4, batch_size=32.0), TypeError,
        [r"got 32.0 \(write it without the decimal point\)"]),
    Row("TensorLoader of empty data", lambda c: data.TensorLoader(torch.zeros(0, 2), torch.zeros(0)), ValueError,
        ["X and y are empty"]),
    Row("TensorLoader of a list of strings", lambda c: data.TensorLoader(["a", "b"], [0, 1]), TypeError,
        [r"got list of text\. Convert it with torch.as_tensor"]),
    Row("TensorLoader of one number", lambda c: data.TensorLoader(torch.tensor(3.0), torch.tensor(1.0)), ValueError,
        [r"one row per sample; got a single number"]),
    Row("TensorLoader with a seed as generator", lambda c: data.TensorLoader(X4, y4, generator=0), TypeError,
        [r"generator must be a torch.Generator such as torch.Generator\(\).manual_seed\(0\); got 0"]),
    Row("kfold with k=1", lambda c: data.kfold_splits(y4, k=1), ValueError, ["k must be from 2 to 1000; got 1"]),
    Row("kfold with more folds than samples", lambda c: data.kfold_splits(torch.zeros(6), k=10), ValueError,
        [r"k=10 folds need at least 10 samples; y has 6", "Use k=6 or fewer"]),
    Row("stratified kfold with too few per class", lambda c: data.kfold_splits(torch.tensor([0, 0, 0, 1, 1, 1]), k=5),
        ValueError, [r"no class has 5 samples \(the largest has 3\)", "stratify=False"]),
    Row("Standardizer used before fit", lambda c: data.Standardizer().transform(X4), RuntimeError,
        [r"not fitted yet", r"\.fit\(X_train\) first"]),
    Row("Standardizer on other features", lambda c: data.Standardizer().fit(X4).transform(torch.zeros(2, 3)),
        ValueError, [r"fitted on samples of shape \(4,\), but X has samples of shape \(3,\)"]),
    Row("Standardizer fitted on nothing", lambda c: data.Standardizer().fit(torch.zeros(0, 3)), ValueError,
        ["empty X"]),
    Row("make_moons with n=-5", lambda c: data.make_moons(-5), ValueError, ["n must be from 2 to 1000000; got -5"]),
    Row("make_xor with n=2.5", lambda c: data.make_xor(2.5), TypeError, ["n must be a whole number"]),
    Row("make_spiral with no classes", lambda c: data.make_spiral(num_classes=0), ValueError,
        ["num_classes must be from 1 to 100; got 0"]),
    Row("make_linear with negative noise", lambda c: data.make_linear(noise=-1), ValueError,
        ["noise must be a number, 0 or more"]),
    Row("load_mnist without the files", lambda c: data.load_mnist(c.tmp / "none"), FileNotFoundError,
        [r"MNIST files were not found", r"load_digits\(\)", "download=True"]),
    Row("load_mnist with truncated files", _mnist_truncated, ValueError,
        [r"could not be read \(truncated or corrupted\?\)", r"\(4 bytes, expected 47040016\)", "download=True"]),
    Row("load_mnist(download=True) offline", _mnist_offline, ConnectionError,
        [r"Could not download MNIST \(no network\?\)", r"load_digits\(\)", "copy the four MNIST files"]),
    # ---------------------------------------------------------------- device
    Row("DLSTUDY_DEVICE=cuda:5 on a 1-GPU machine", lambda c: (c.machine("cuda", gpus=1), c.env("cuda:5")),
        device.DeviceError, [r"asks for CUDA device 5, but this machine has 1 CUDA device",
                             r"This machine has: cpu, cuda:0", "DLSTUDY_DEVICE=cpu"]),
    Row("DLSTUDY_DEVICE=cuda:abc", lambda c: (c.machine("cuda"), c.env("cuda:abc")), device.DeviceError,
        [r"device number after 'cuda:' must be a whole number, 0 or more; got 'abc'", "cpu, cuda:0"]),
    Row("DLSTUDY_DEVICE=cuda:-1", lambda c: (c.machine("cuda"), c.env("cuda:-1")), device.DeviceError,
        [r"must be a whole number, 0 or more; got '-1'"]),
    Row("DLSTUDY_DEVICE=gpu", lambda c: (c.machine(), c.env("gpu")), device.DeviceError,
        [r"'gpu' is not a device name", r"write 'cuda' \(NVIDIA\) or 'mps' \(Apple\)", "This machine has: cpu"]),
    Row("DLSTUDY_DEVICE=cuda without a GPU", lambda c: (c.machine(), c.env("cuda")), device.DeviceError,
        [r"asks for CUDA, but this machine has none", "DLSTUDY_DEVICE=cpu"]),
    Row("resolve_device('gpu')", lambda c: (c.machine("cuda", gpus=2), device.resolve_device("gpu")),
        device.DeviceError, [r"device='gpu' is not a device name", r"cpu, cuda:0, cuda:1", "Pass one of those"]),
    Row("resolve_device(1.0)", lambda c: (c.machine(), device.resolve_device(1.0)), device.DeviceError,
        [r"device must be a device name such as 'cpu'", "got float"]),
    Row("set_seed(-1)", lambda c: device.set_seed(-1), ValueError, [r"whole number from 0 to 2\*\*32 - 1"]),
    Row("set_seed('42')", lambda c: device.set_seed("42"), ValueError, [r"such as 0 or 42; got '42'"]),
    # ---------------------------------------------------------------- metrics
    Row("accuracy with lengths that differ", lambda c: metrics.accuracy(torch.tensor([0, 1, 1]), torch.tensor([0, 1])),
        ValueError, ["preds has 3 samples but target has 2", "same length"]),
    Row("accuracy with one-hot targets", lambda c: metrics.accuracy(torch.rand(3, 2), torch.eye(2)[[0, 1, 1]]),
        ValueError, [r"target must be class labels of shape \(N,\)", r"target.argmax\(1\)"]),
    Row("accuracy of NaN predictions", lambda c: metrics.accuracy(torch.full((2, 3), float("nan")),
                                                                  torch.tensor([0, 1])),
        ValueError, [r"preds contains NaN", "Did training diverge"]),
    Row("accuracy with fractional labels", lambda c: metrics.accuracy(torch.tensor([0, 1]), torch.tensor([0.0, 0.5])),
        ValueError, ["whole-number class labels"]),
    Row("accuracy of logits of shape (N,)", lambda c: metrics.accuracy(torch.tensor([-1.5, 2.0]), torch.tensor([0, 1])),
        ValueError, [r"probabilities of class 1", r"torch.sigmoid\(logits\)"]),
    Row("confusion_matrix with num_classes=0", lambda c: metrics.confusion_matrix(torch.tensor([0]), torch.tensor([0]),
        num_classes=0), ValueError, ["num_classes must be a whole number from 1"]),
    Row("confusion_matrix of labels like 1000000", lambda c: metrics.confusion_matrix(torch.tensor([0, 10 ** 6]),
        torch.tensor([0, 1])), ValueError, [r"there would be 1000001 classes", "number the classes from 0"]),
    Row("precision_recall_f1 with average='mean'", lambda c: metrics.precision_recall_f1(torch.tensor([0, 1]),
        torch.tensor([0, 1]), average="mean"), ValueError, [r"average must be one of \('binary', 'macro'"]),
    Row("binary precision of three classes", lambda c: metrics.precision_recall_f1(torch.tensor([0, 2]),
        torch.tensor([0, 1])), ValueError, [r"average='binary' is for labels 0 and 1", "average='macro'"]),
    Row("roc_auc with one class", lambda c: metrics.roc_auc(torch.tensor([0.2, 0.4]), torch.tensor([1, 1])),
        ValueError, ["Only one class present", "Use data with both classes"]),
    Row("mse of shapes that differ", lambda c: metrics.mse(torch.zeros(4, 2), torch.zeros(4)), ValueError,
        [r"shape \(4, 2\) but target has shape \(4,\)", "same shape"]),
    Row("accuracy of strings", lambda c: metrics.accuracy(["cat", "dog"], [0, 1]), TypeError,
        [r"preds must hold numbers", "got list of str"]),
    # ---------------------------------------------------------------- fit
    Row("fit on empty data", lambda c: c.fit((torch.zeros(0, 3), torch.zeros(0, dtype=torch.long))), ValueError,
        [r"train_data is empty: X has 0 samples", r"\(X_train, y_train\)"], model_unchanged),
    Row("fit with batch_size=0", lambda c: c.fit((X3, y3), batch_size=0), ValueError,
        ["batch_size must be 1 or more; got 0"], model_unchanged),
    Row("fit with batch_size=-8", lambda c: c.fit((X3, y3), batch_size=-8), ValueError,
        ["batch_size must be 1 or more; got -8"], model_unchanged),
    Row("fit with batch_size=32.0", lambda c: c.fit((X3, y3), batch_size=32.0), TypeError,
        [r"batch_size must be a whole number such as 32; got 32.0 \(write it without the decimal point\)"],
        model_unchanged),
    Row("fit with num_epochs=-3", lambda c: c.fit((X3, y3), num_epochs=-3), ValueError,
        ["num_epochs must be 0 or more; got -3"], model_unchanged),
    Row("fit with num_epochs=2.5", lambda c: c.fit((X3, y3), num_epochs=2.5), TypeError,
        [r"num_epochs must be a whole number such as 10; got 2.5"], model_unchanged),
    Row("fit with an optimizer of another model", lambda c: c.fit((X3, y3), optimizer=c.sgd(nn.Linear(3, 2))),
        ValueError, [r"holds none of this model's parameters", r"torch.optim.SGD\(model.parameters\(\), ...\)"],
        model_unchanged),
    Row("fit with lr=nan", _lr_nan, ValueError,
        [r"lr=nan is not a learning rate; give a positive number such as lr=0.01"], model_unchanged),
    Row("fit with the loss class", lambda c: c.fit((X3, y3), loss_fn=nn.CrossEntropyLoss), TypeError,
        [r"loss_fn must be a loss", r"Pass an instance: CrossEntropyLoss\(\) \(with parentheses\)"], model_unchanged),
    Row("fit the model class", lambda c: fit(nn.Linear, (X3, y3), nn.MSELoss(), c.sgd(), 2), TypeError,
        [r"model must be a model", r"got the class Linear itself", r"Build one first: Linear\(...\)"], model_unchanged),
    Row("fit on device='gpu'", lambda c: (c.machine(), c.fit((X3, y3), device="gpu")), device.DeviceError,
        [r"device='gpu' is not a device name", r"write 'cuda' \(NVIDIA\) or 'mps' \(Apple\)", "This machine has: cpu"],
        model_unchanged),
    Row("fit on device='cuda:3' without that GPU", lambda c: (c.machine("cuda", gpus=1), c.fit((X3, y3),
        device="cuda:3")), device.DeviceError, [r"asks for CUDA device 3, but this machine has 1", "cuda:0"],
        model_unchanged),
    Row("fit with float class labels", lambda c: c.fit((X3, y3.float())), TypeError,
        [r"CrossEntropyLoss takes class labels, and class labels must be integer \(y.long\(\)\)",
         r"got y of dtype float32 with shape \(12,\)"], model_unchanged),
    Row("fit with (N, 1) class labels", lambda c: c.fit((X3, y3.reshape(-1, 1))), ValueError,
        [r"one class label per sample, shape \(12,\), but y has shape \(12, 1\): use y.squeeze\(1\)"],
        model_unchanged),
    Row("fit BCE with integer labels", _bce_with_integer_labels, TypeError,
        [r"BCEWithLogitsLoss computes with float targets, but y is int64: convert it with y.float\(\)"],
        model_unchanged),
    Row("fit on a TensorLoader without batches", lambda c: c.fit(data.TensorLoader(X3, y3, batch_size=16,
        drop_last=True)), ValueError, [r"train_data gives no batches: 12 samples with batch_size=16 and "
                                       r"drop_last=True", r"drop_last=False, or batch_size=12 or less"],
        model_unchanged),
    Row("fit with an empty validation DataLoader", lambda c: c.fit((X3, y3), val_data=DataLoader(
        TensorDataset(torch.zeros(0, 3), torch.zeros(0)))), ValueError,
        [r"val_data gives no batches: it is empty", r"len\(dataset\)"], model_unchanged),
    Row("fit on a single tensor", lambda c: c.fit(X3), TypeError,
        [r"train_data is a single tensor", r"pass \(X, y\)"], model_unchanged),
    Row("fit on a string", lambda c: c.fit("data.csv"), TypeError,
        [r"Expected train_data as an \(X, y\) pair of tensors, a TensorLoader or a DataLoader; got str"],
        model_unchanged),
    Row("fit on data with NaN in its third batch", _nan_in_third_batch, ValueError,   # issue 23: all checked first
        [r"train_data's X contains 1 NaN or infinite value \(in 1 of its 20 samples\)",
         r"torch.nonzero\(~torch.isfinite\(X\)\)"], model_unchanged),
    Row("fit with a learning rate that diverges mid-epoch", _diverging, TrainingDiverged,
        [r"epoch 1, batch \d+ of 10: the loss became (inf|nan)", r"lr=1 now; try 0.1", "standardize the inputs"],
        weights_finite_and_history_kept),
    Row("fit with NaN in the validation data", _nan_validation, ValueError,
        [r"val_data's X contains 1 NaN or infinite value", r"torch.nonzero\(~torch.isfinite\(X\)\)"],
        model_unchanged),
    Row("predict on text", lambda c: predict(c.target, ["a", "b"]), TypeError,
        [r"X must be a tensor or a NumPy array of numbers", r"torch.as_tensor"], model_unchanged),
    Row("evaluate on an empty DataLoader", lambda c: evaluate(c.target, DataLoader(TensorDataset(torch.zeros(0, 3),
        torch.zeros(0))), nn.CrossEntropyLoss()), ValueError, [r"gave no batches", "empty"], model_unchanged),
    # ---------------------------------------------------------------- plots
    Row("decision boundary with resolution=0", lambda c: plots.plot_decision_boundary(nn.Linear(2, 2), X2, y2,
        resolution=0), ValueError, [r"resolution must be from 2 to 1000; got 0"]),
    Row("decision boundary of empty X", lambda c: plots.plot_decision_boundary(nn.Linear(2, 2), torch.zeros(0, 2),
        torch.zeros(0)), ValueError, [r"X must hold at least 1 of its points", "got 0"]),
    Row("decision boundary of a 3-feature model", lambda c: plots.plot_decision_boundary(nn.Linear(3, 2), X2, y2),
        ValueError, [r"cannot take points with 2 features; its first layer expects 3", r"X of shape \(N, 2\)"]),
    Row("decision boundary with NaN in X", lambda c: plots.plot_decision_boundary(nn.Linear(2, 2),
        torch.tensor([[float("nan"), 0.0], [1.0, 1.0]]), torch.tensor([0, 1])), ValueError,
        [r"X contains 1 NaN", r"torch.nonzero\(~torch.isfinite\(X\)\)"]),
    Row("decision boundary of probabilities as y", lambda c: plots.plot_decision_boundary(nn.Linear(2, 2), X2,
        torch.rand(20)), ValueError, [r"y must hold class labels, whole numbers such as 0 and 1",
                                      r"\(y >= 0.5\).long\(\)"]),
    Row("plot_history of an empty list", lambda c: plots.plot_history({"train_loss": []}), ValueError,
        [r"'train_loss' has no values yet", "train for at least one epoch"]),
    Row("plot_history of a key never recorded", lambda c: plots.plot_history({"train_loss": [1.0]}, keys=["val_acc"]),
        KeyError, [r"no 'val_acc'; it recorded \['train_loss'\]", r"metrics=... in fit"]),
    Row("plot_history(None)", lambda c: plots.plot_history(None), TypeError,
        [r"history must be what fit returns \(a History\) or a dict of lists", "got None"]),
    Row("show_images([])", lambda c: plots.show_images([]), ValueError, [r"images must be 3-d or 4-d", r"X\[:16\]", r"got shape \(0,\)"]),
    Row("show_images with ncols=0", lambda c: plots.show_images(torch.rand(3, 8, 8), ncols=0), ValueError,
        ["ncols must be from 1 to 64; got 0"]),
    Row("show_images with too few class names", lambda c: plots.show_images(torch.rand(3, 8, 8),
        labels=torch.tensor([0, 1, 2]), class_names=["a", "b"]), ValueError,
        [r"class_names has 2 names, but a label is 2", "one name per class"]),
    Row("plot_function(np.tanh)", lambda c: plots.plot_function(np.tanh), TypeError,
        [r"NumPy's np.tanh, which cannot follow autograd", "torch.tanh"]),
    Row("plot_function of a math function", lambda c: plots.plot_function(lambda x: np.exp(x)), TypeError,
        [r"f\(x\) failed on the tensor x", r"torch.exp, not math.exp or np.exp"]),
    Row("plot_function with a reversed range", lambda c: plots.plot_function(torch.tanh, x_range=(6, -6)), ValueError,
        [r"x_range must be two numbers \(low, high\) with low < high"]),
    Row("plot_feature_maps(nn.Linear)", lambda c: plots.plot_feature_maps(nn.Linear(8, 2), torch.rand(1, 8, 8)),
        ValueError, [r"needs a convolutional layer \(an nn.Conv2d object\)", "Linear has no convolution"]),
    # ---------------------------------------------------------------- demos
    Row("threshold_explorer with strings", lambda c: threshold.threshold_explorer(["a", "b"], [0, 1]),
        ValueError, [r"scores must be a tensor or a NumPy array of numbers", r"got list of text", r"predict\(model, X\)"]),
    Row("threshold_explorer(None, None)", lambda c: threshold.threshold_explorer(None, None), ValueError,
        [r"scores must be a tensor or a NumPy array of numbers", "got NoneType"]),
    Row("threshold_report with threshold=None", lambda c: threshold.threshold_report(torch.tensor([0.2, 0.9]),
        torch.tensor([0, 1]), None), ValueError, [r"threshold must be a number such as 0.5", "got None"]),
    Row("threshold_report of three classes", lambda c: threshold.threshold_report(torch.rand(3), torch.tensor([0, 1,
        2])), ValueError, [r"target must hold 0 and 1 only; got \[2\]", "argmax"]),
    Row("train_playground(epochs=0)", lambda c: playground.train_playground(epochs=0), ValueError,
        [r"epochs must be from 1 to 10000; got 0"]),
    Row("train_playground(lr=nan)", lambda c: playground.train_playground(lr=float("nan")), ValueError,
        [r"lr must be a number, above 0 and at most 10, such as 0.1; got nan"]),
    Row("make_mlp(hidden_layers=-1)", lambda c: playground.make_mlp(hidden_layers=-1), ValueError,
        [r"hidden_layers must be from 0 to 20; got -1"]),
    Row("make_mlp(units=0)", lambda c: playground.make_mlp(units=0), ValueError,
        [r"units must be from 1 to 1024; got 0"]),
    Row("race(num_steps=-5)", lambda c: optimizer_race.race(num_steps=-5), ValueError,
        [r"num_steps must be from 1 to 10000; got -5"]),
    Row("run_gradient_descent(lr=nan)", lambda c: learning_rate.run_gradient_descent(lr=float("nan")), ValueError,
        [r"lr must be a number, above 0 and at most 100, such as 0.05; got nan"]),
    Row("run_gradient_descent(num_steps=0)", lambda c: learning_rate.run_gradient_descent(num_steps=0), ValueError,
        [r"num_steps must be from 1 to 10000; got 0"]),
    Row("activation_data with no points", lambda c: activations.activation_data("relu", num_points=0), ValueError,
        [r"num_points must be from 2 to 100000; got 0"]),
    Row("train_regularized(epochs=-1)", lambda c: regularization.train_regularized(epochs=-1), ValueError,
        [r"epochs must be from 1 to 10000; got -1"]),
    # ---------------------------------------------------------------- explain
    Row("explain a string", lambda c: explain.explain("mat1 and mat2 shapes"), TypeError,
        [r"error must be an exception such as error, from except Exception as error:", "got 'mat1 and mat2 shapes'"]),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_bad_input_names_the_problem_and_a_fix_and_loses_nothing(row, tmp_path, monkeypatch):
    monkeypatch.delenv("DLSTUDY_DEVICE", raising=False)
    plt.close("all")
    ctx = Context(tmp_path, monkeypatch)
    with pytest.raises(row.error) as info:
        row.call(ctx)
    message = str(info.value)
    for words in row.words:
        assert re.search(words, message), f"{words!r} not in: {message}"
    innermost = info.traceback[-1].path
    assert str(innermost).startswith(DLSTUDY), f"raised in {innermost}, not by dlstudy: {message}"
    if row.intact is not None:
        monkeypatch.undo()
        row.intact(ctx)
    assert plt.get_fignums() == [], "a refused plot left a figure open"


def test_the_table_is_large_and_has_unique_names():
    assert len(ROWS) >= 120 and len({row.name for row in ROWS}) == len(ROWS)
