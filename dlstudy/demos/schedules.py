"""Chapter 11's schedule explorer: learning-rate schedules, their curves, and training with them.

The experiment functions return data (unit-tested without a browser); ``schedule_explorer``
wraps them in a widget: pick a schedule and its parameters, see the lr curve at once, press
Train to see the training curves on 4,000 real MNIST digits next to the earlier runs.
"""

import functools
import html
import math
import warnings

import ipywidgets as W
import torch
from matplotlib.ticker import MaxNLocator
from torch import nn
from torch.optim import lr_scheduler

from dlstudy.callbacks import LRScheduler
from dlstudy.data import TensorLoader, load_mnist_sample
from dlstudy.contract import ArgumentValueError, Choice, Instance, Keywords, Number, Optional, Rule, Values, Whole, declare
from dlstudy.device import DeviceError, resolve_device
from dlstudy.demos.base import STALE_COLOR, STYLE, DemoError, Explorer, busy, button, log_slider, new_figure, single_threaded, slider
from dlstudy.metrics import accuracy
from dlstudy.train import TrainingDiverged, fit

__all__ = ["SCHEDULES", "make_scheduler", "schedule_curve", "digits_data", "make_digits_net",
           "train_with_schedule", "epochs_to_reach", "schedule_explorer"]

# name -> what it does, in words (the widget's dropdown shows the names)
SCHEDULES = {
    "constant": "the same lr for every batch",
    "step": "multiply the lr by gamma at 1/3 and 2/3 of training (StepLR)",
    "cosine": "from lr down to 0 along half a cosine (CosineAnnealingLR)",
    "one-cycle": "warm up to lr, then anneal to almost 0; momentum moves the other way (OneCycleLR)",
    "linear warmup": "rise linearly from lr/100 to lr over the warmup, then constant (LinearLR)",
    "warmup + cosine": "linear warmup, then cosine down to 0 (SequentialLR of LinearLR and CosineAnnealingLR)",
}


SCHEDULE = Choice(*SCHEDULES)
WARMUP, GAMMA = Number(0, 1, example=0.1, high_open=True), Number(0, 1, example=0.1, low_open=True)
TOTAL_STEPS = Whole(2, 10 ** 6, example=100)
SETTINGS = Keywords(warmup=WARMUP, gamma=GAMMA)       # what **params may hold: make_scheduler's settings


class Device(Rule):
    """A device this machine has ('cpu', 'cuda', 'mps' or a torch.device); ``resolve_device`` says which exist."""

    def check(self, value, name):
        try:
            return resolve_device(value)
        except DeviceError as problem:                   # a RuntimeError: a wrong argument here is a ValueError
            raise (self.error or ArgumentValueError)(f"{name}: {problem}") from None


@declare(optimizer=Instance(torch.optim.Optimizer, "an optimizer", "torch.optim.SGD(model.parameters(), lr=0.1)"),
         name=SCHEDULE, total_steps=TOTAL_STEPS, warmup=WARMUP, gamma=GAMMA, error=DemoError)
def make_scheduler(optimizer, name, total_steps, *, warmup=0.1, gamma=0.1):
    """A ``torch.optim.lr_scheduler`` for schedule ``name`` over ``total_steps`` batches (call ``.step()`` per batch).

    ``warmup`` is the fraction of the steps spent warming up (one-cycle: rising to the peak);
    ``gamma`` is the step schedule's factor. The optimizer's lr is the peak.
    """
    warmup_steps = max(1, round(warmup * total_steps))
    if name == "constant":
        return lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    if name == "step":
        return lr_scheduler.StepLR(optimizer, step_size=math.ceil(total_steps / 3), gamma=gamma)
    if name == "cosine":
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
    if name == "one-cycle":
        peak = optimizer.param_groups[0]["lr"]
        return lr_scheduler.OneCycleLR(optimizer, max_lr=peak, total_steps=total_steps,
                                       pct_start=max(warmup, 1.5 / total_steps))   # torch divides by each phase length
    warm = lr_scheduler.LinearLR(optimizer, start_factor=0.01, end_factor=1.0, total_iters=warmup_steps)
    if name == "linear warmup":
        return warm
    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps - warmup_steps)
    with warnings.catch_warnings():  # torch < 2.3 warns about an argument SequentialLR itself passes
        warnings.simplefilter("ignore", UserWarning)
        return lr_scheduler.SequentialLR(optimizer, [warm, cosine], milestones=[warmup_steps])


@declare(name=SCHEDULE, lr=Number(0, 100, example=0.1, low_open=True), total_steps=TOTAL_STEPS, params=SETTINGS,
         error=DemoError)
def schedule_curve(name, lr, total_steps, **params):
    """The lr that each of ``total_steps`` batches trains with, as a list (no model is trained).

    >>> [round(v, 3) for v in schedule_curve("step", 0.1, 6, gamma=0.5)]
    [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
    """
    weight = nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([weight], lr=lr, momentum=0.9)
    scheduler = make_scheduler(optimizer, name, total_steps, **params)
    lrs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for _ in range(total_steps):
            lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
    return lrs


@functools.lru_cache(maxsize=1)
def _digits(num_train):
    X, y = load_mnist_sample()
    X = X.reshape(len(X), -1)
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
    train, val = order[:num_train], order[num_train:]
    mean, std = X[train].mean(), X[train].std()
    return (X[train] - mean) / std, y[train], (X[val] - mean) / std, y[val]


@declare(num_train=Whole(1, 4999, example=4000), error=DemoError)
def digits_data(num_train=4000):
    """The 5,000 real MNIST digits as flat standardized vectors: ``(X_train, y_train, X_val, y_val)``.

    >>> X_train, y_train, X_val, y_val = digits_data()
    >>> tuple(X_train.shape), tuple(X_val.shape)
    ((4000, 784), (1000, 784))
    """
    return tuple(t.clone() for t in _digits(num_train))


@declare(hidden_size=Whole(1, 10 ** 4, example=128), error=DemoError)
def make_digits_net(hidden_size=128):
    """The chapter's digit classifier: 784 pixels -> ``hidden_size`` ReLU units -> 10 logits."""
    return nn.Sequential(nn.Linear(784, hidden_size), nn.ReLU(), nn.Linear(hidden_size, 10))


@declare(name=SCHEDULE, lr=Number(0, 100, example=0.1, low_open=True), num_epochs=Whole(1, 100, example=3),
         batch_size=Whole(1, 4000, example=64), seed=Whole(0, 2 ** 32 - 1, example=0), device=Optional(Device()),
         params=SETTINGS, error=DemoError)
@single_threaded
def train_with_schedule(name, lr, num_epochs, *, batch_size=64, seed=0, device=None, **params):
    """Train the digit net with SGD (momentum 0.9) and schedule ``name`` stepped after every batch.

    Returns a dict: ``history`` (per epoch: train_loss, train_acc, val_loss, val_acc) and
    ``lrs`` (the lr of every batch).
    """
    X_train, y_train, X_val, y_val = digits_data()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = make_digits_net()                       # built on the CPU from the seed, then moved
        if device is not None:
            net = net.to(device)
        optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
        loader = TensorLoader(X_train, y_train, batch_size)
        scheduler = LRScheduler(make_scheduler(optimizer, name, num_epochs * len(loader), **params), per="batch")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            history = fit(net, loader, nn.CrossEntropyLoss(), optimizer, num_epochs, val_data=(X_val, y_val),
                          metrics={"acc": accuracy}, callbacks=[scheduler], progress=False)
    return {"history": history, "lrs": scheduler.lrs, "name": name, "lr": lr}


@declare(values=Values(Number(example=0.9), min_len=0, example="history['val_acc']"), target=Number(example=0.9),
         error=DemoError)
def epochs_to_reach(values, target):
    """The first epoch (from 1) whose value is at least ``target``, or None if none is.

    >>> epochs_to_reach([0.5, 0.8, 0.95, 0.9], 0.9)
    3
    """
    return next((epoch for epoch, value in enumerate(values, start=1) if value >= target), None)


def _draw(box, runs, curve, steps_per_epoch):
    fig, (left, right) = new_figure(2, 10.0, 3.6)
    left.plot([i / steps_per_epoch for i in range(len(curve))], curve, color="black")
    left.set(xlabel="epoch", ylabel="learning rate", title="lr of every batch (this setting)")
    for run in runs:
        right.plot(range(1, len(run["history"]) + 1), run["history"]["val_acc"], "o-", label=run["label"])
    right.set(xlabel="epoch", ylabel="validation accuracy", title="your training runs (the latest 4)")
    for ax in (left, right):                                         # epochs are whole numbers
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    if runs:
        right.legend(fontsize=8, loc="lower right")
    else:
        right.text(0.5, 0.5, "press Train", ha="center", va="center", transform=right.transAxes, color="gray")
    box.show(fig)


@declare(max_runs=Whole(1, 20, example=4), error=DemoError)
def schedule_explorer(max_runs=4):
    """Choose a schedule and its knobs, see its lr curve; press Train to compare runs on the real digits."""
    steps_per_epoch = math.ceil(len(_digits(4000)[0]) / 64)
    controls = {
        "schedule": W.Dropdown(options=list(SCHEDULES), value="one-cycle", description="Schedule", style=STYLE),
        "lr": log_slider("Peak learning rate", 0.1, -3, 0),
        "num_epochs": slider(W.IntSlider, "Epochs", 4, 1, 10, 1),
        "warmup": slider(W.FloatSlider, "Warmup fraction", 0.3, 0.0, 0.5, 0.05, ".2f"),
        "gamma": slider(W.FloatSlider, "Step gamma", 0.1, 0.05, 0.9, 0.05, ".2f"),
    }
    box = Explorer("ScheduleExplorer", controls, button("Train"),
                   rows=[W.HBox([controls["schedule"], controls["lr"], controls["num_epochs"]]),
                         W.HBox([controls["warmup"], controls["gamma"]])])
    box.runs = []

    def redraw(_=None):
        s = box.values()
        controls["warmup"].disabled = s["schedule"] not in ("one-cycle", "linear warmup", "warmup + cosine")
        controls["gamma"].disabled = s["schedule"] != "step"
        curve = schedule_curve(s["schedule"], s["lr"], s["num_epochs"] * steps_per_epoch,
                               warmup=s["warmup"], gamma=s["gamma"])
        _draw(box, box.runs, curve, steps_per_epoch)
        about = html.escape(f"{s['schedule']}: {SCHEDULES[s['schedule']]}")
        if box.runs and _ is not None:        # a knob moved after a run: its numbers are not for these settings
            box.stale = True
            box.say(f"Settings changed: the left plot shows the new schedule; press <b>Train</b> to train "
                    f"with it. {about}", STALE_COLOR)
        else:
            box.say(about)

    def train():
        s = box.values()
        result = box.result = train_with_schedule(s["schedule"], s["lr"], s["num_epochs"],
                                                  warmup=s["warmup"], gamma=s["gamma"])
        result["label"] = f"{s['schedule']}, lr {s['lr']:.2g}"
        box.runs = (box.runs + [result])[-max_runs:]
        redraw(None)
        h = result["history"]
        epochs = f"{s['num_epochs']} epoch" + ("s" if s["num_epochs"] != 1 else "")
        box.say(html.escape(f"{result['label']}, {epochs}: validation accuracy "
                            f"{h['val_acc'][-1]:.0%}, training loss {h['train_loss'][-1]:.3f}"), "#1e8449")

    for control in controls.values():
        control.observe(redraw, "value")
    box.button.on_click(lambda _: busy(box, train, "Training...", expected=(TrainingDiverged,)))
    redraw()
    return box
