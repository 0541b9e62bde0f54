"""The learning-rate range test (fast.ai's "LR finder") as a ``fit`` callback.

Train for a few hundred batches while the learning rate grows exponentially from tiny
to huge, record the loss after every batch, smooth it, and stop once it explodes. Two
rules of thumb read a learning rate off the curve: where the smoothed loss falls fastest
(``lr_steep``, the ``suggestion``) and a tenth of where it is lowest (``lr_min / 10``).
The model and the optimizer are restored afterwards, so the test leaves no trace.
"""

import copy
import math

import torch

from dlstudy.callbacks import ORDER, Callback
from dlstudy.contract import Number, Optional, Values, Whole, declare
from dlstudy.loop import DEVICE, LOSS, MODEL, OPTIMIZER
from dlstudy.train import Batches, TrainingDiverged, fit

__all__ = ["smooth", "LRFinder", "lr_find"]


@declare(losses=Values(Number(example=0.5), min_len=0, example="[2.3, 2.1, 1.9]"),
         beta=Number(0, 1, example=0.98, high_open=True))
def smooth(losses, beta=0.98):
    """Exponential moving average with bias correction, the LR finder's smoothing.

    ``avg = beta * avg + (1 - beta) * loss`` starting from 0, then ``avg / (1 - beta ** step)``,
    so the first value equals the first loss instead of being pulled towards 0.

    >>> [round(v, 3) for v in smooth([1.0, 1.0, 4.0], beta=0.5)]
    [1.0, 1.0, 2.714]
    """
    return _smooth(losses, beta)


def _smooth(losses, beta):
    smoothed, avg = [], 0.0
    for step, loss in enumerate(losses, start=1):
        avg = beta * avg + (1 - beta) * float(loss)
        smoothed.append(avg / (1 - beta ** step))
    return smoothed


class LRFinder(Callback):
    """Raise the lr from ``start_lr`` to ``end_lr`` over ``num_steps`` batches; stop when the loss explodes.

    After ``fit``: ``lrs`` and ``losses`` (raw) per batch, ``smoothed``, ``lr_min`` (lowest
    smoothed loss) and ``suggestion`` (``lr_steep``: where the smoothed loss falls fastest).
    The model's weights and the optimizer's state are put back at the end of training.

    >>> finder = LRFinder(start_lr=1e-4, end_lr=1.0, num_steps=5)
    >>> [f"{finder.lr_at(i):.0e}" for i in range(5)]
    ['1e-04', '1e-03', '1e-02', '1e-01', '1e+00']
    """

    order = ORDER["LRFinder"]  # set the lr before any other callback looks at it
    sets_lr = True

    @declare(start_lr=Number(0, example=1e-5, low_open=True), end_lr=Number(0, example=10.0, low_open=True),
             num_steps=Whole(2, example=100), beta=Number(0, 1, example=0.98, high_open=True),
             diverge=Number(1, example=4.0, low_open=True))
    def __init__(self, start_lr=1e-5, end_lr=10.0, num_steps=100, beta=0.98, diverge=4.0):
        if not 0 < start_lr < end_lr:
            raise ValueError(f"Need 0 < start_lr < end_lr; got start_lr={start_lr}, end_lr={end_lr}.")
        if num_steps < 2:
            raise ValueError(f"num_steps must be at least 2; got {num_steps}.")
        self.start_lr, self.end_lr, self.num_steps = start_lr, end_lr, num_steps
        self.beta, self.diverge = beta, diverge
        self.lrs, self.losses = [], []

    def lr_at(self, step):
        """The learning rate of batch ``step`` (0-based): evenly spaced on a log scale."""
        return self.start_lr * (self.end_lr / self.start_lr) ** (step / (self.num_steps - 1))

    def on_train_begin(self, state):
        self.lrs, self.losses = [], []
        self._saved = copy.deepcopy(state.model.state_dict()), copy.deepcopy(state.optimizer.state_dict())

    def on_batch_begin(self, state):
        lr = self.lr_at(len(self.lrs))
        for group in state.optimizer.param_groups:
            group["lr"] = lr

    def on_batch_end(self, state):
        loss = float(state.loss.detach())
        self.lrs.append(state.optimizer.param_groups[0]["lr"])
        self.losses.append(loss)
        smoothed = self.smoothed
        if (len(self.lrs) >= self.num_steps or not math.isfinite(loss)
                or smoothed[-1] > self.diverge * min(smoothed)):
            state.stop_batch = True

    def on_train_end(self, state):
        model_state, optimizer_state = self._saved
        state.model.load_state_dict(model_state)
        state.optimizer.load_state_dict(optimizer_state)

    @property
    def smoothed(self):
        """The recorded losses, smoothed by ``smooth(losses, beta)``."""
        return _smooth(self.losses, self.beta)       # a loss that exploded to inf is part of the record

    @property
    def lr_min(self):
        """The learning rate at which the smoothed loss was lowest."""
        if not self.losses:
            raise RuntimeError("The LR finder has no losses yet: pass it to fit(..., callbacks=[finder]) first.")
        smoothed = self.smoothed
        return self.lrs[smoothed.index(min(smoothed))]

    @property
    def lr_steep(self):
        """The learning rate where the smoothed loss falls fastest: the most negative slope against log lr,
        measured across 10 batches (5 either side), left of the lowest point."""
        smoothed, lrs = self.smoothed, self.lrs
        if len(smoothed) < 2:
            raise RuntimeError("The LR finder needs at least 2 recorded batches to measure a slope.")
        logs = [math.log(lr) for lr in lrs]
        last = len(smoothed) - 1
        slopes = []
        for i in range(smoothed.index(min(smoothed)) + 1):
            lo, hi = max(i - 5, 0), min(i + 5, last)
            slopes.append((smoothed[hi] - smoothed[lo]) / (logs[hi] - logs[lo]))
        return lrs[slopes.index(min(slopes))]

    @property
    def suggestion(self):
        """A learning rate to train with: ``lr_steep``, where the loss falls fastest."""
        return self.lr_steep

    def __repr__(self):
        if not self.losses:
            return f"LRFinder({self.start_lr:g} -> {self.end_lr:g}, {self.num_steps} steps, not run yet)"
        return f"LRFinder({len(self.losses)} steps, lowest loss at lr={self.lr_min:.2g}, suggestion={self.suggestion:.2g})"


@declare(model=MODEL, train_data=Batches(), loss_fn=LOSS, optimizer=OPTIMIZER, device=Optional(DEVICE),
         **{name: rule for name, rule in LRFinder.__init__.__contract__.items() if name != "diverge"})
def lr_find(model, train_data, loss_fn, optimizer, *, start_lr=1e-5, end_lr=10.0, num_steps=100,
            beta=0.98, device=None):
    """Run the range test with ``fit`` and return the ``LRFinder``; model and optimizer are left as they were."""
    finder = LRFinder(start_lr=start_lr, end_lr=end_lr, num_steps=num_steps, beta=beta)
    pair = isinstance(train_data, (tuple, list))                # an (X, y) pair is one batch per epoch
    num_epochs = math.ceil(num_steps / (1 if pair else max(1, len(train_data))))
    with torch.random.fork_rng(devices=[]):  # the test draws batches; keep the caller's random stream
        try:
            fit(model, train_data, loss_fn, optimizer, num_epochs, device=device, callbacks=[finder], progress=False)
        except TrainingDiverged:
            pass  # the loss exploded at the largest rates: that is the end of the test, not an error
    return finder
