"""Read a network's health while it trains: a ``fit`` callback that records per-layer statistics.

Every ``every`` batches it records, for each activation layer, the mean and standard
deviation of its outputs and the fraction of saturated units (no gradient passes them),
and for each weight matrix the gradient norm and the update-to-weight ratio
``std(w_after - w_before) / std(w_after)``, which should sit near 1e-3 (Karpathy's rule
of thumb): much smaller and the layer barely learns, much larger and it thrashes.
"""

import torch
from torch import nn

from dlstudy.callbacks import ORDER, Callback

__all__ = ["SATURATED", "saturated_fraction", "Diagnostics"]

# When a unit counts as saturated: its local gradient is (almost) zero.
SATURATED = {
    "Tanh": "|a| > 0.97",
    "Sigmoid": "a < 0.03 or a > 0.97",
    "ReLU": "a = 0 (a dead or inactive unit)",
}


def saturated_fraction(module, a):
    """The fraction of outputs ``a`` of activation ``module`` whose local gradient is about 0.

    >>> saturated_fraction(nn.Tanh(), torch.tensor([0.0, 0.5, 0.99, -0.999]))
    0.5
    """
    if isinstance(module, nn.Tanh):
        mask = a.abs() > 0.97
    elif isinstance(module, nn.Sigmoid):
        mask = (a < 0.03) | (a > 0.97)
    elif isinstance(module, nn.ReLU):
        mask = a <= 0
    else:
        raise TypeError(f"No saturation rule for {type(module).__name__}; known: {', '.join(SATURATED)}.")
    return mask.float().mean().item()


class Diagnostics(Callback):
    """Per layer, every ``every`` batches: activation mean / std / saturated, gradient norm, update ratio.

    After ``fit``: ``steps`` (batch numbers, counted from 0 over all epochs),
    ``activations[name]["mean" | "std" | "saturated"]`` and
    ``params[name]["grad_norm" | "update_ratio"]``, each a list with one value per recorded step.

    >>> net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    >>> diag = Diagnostics(every=1); diag.watch(net)
    >>> list(diag.activations), list(diag.params)
    (['1'], ['0', '2'])
    """

    order = ORDER["Diagnostics"]  # after clipping (order 0), so the update ratio sees the update that was really applied

    def __init__(self, every=10):
        if every < 1:
            raise ValueError(f"every must be a positive number of batches; got {every}.")
        self.every = every
        self.steps, self.activations, self.params = [], {}, {}
        self._hooks, self._recording, self._before = [], False, {}

    def watch(self, model):
        """Find the activation layers and the weight matrices of ``model`` and start empty records."""
        self._layers = {name: m for name, m in model.named_modules() if isinstance(m, (nn.Tanh, nn.Sigmoid, nn.ReLU))}
        self._weights = {name.rsplit(".", 1)[0]: p for name, p in model.named_parameters()
                         if name.endswith("weight") and p.dim() >= 2}
        self.steps = []
        self.activations = {name: {"mean": [], "std": [], "saturated": []} for name in self._layers}
        self.params = {name: {"grad_norm": [], "update_ratio": []} for name in self._weights}
        self._step = 0

    def _hook(self, name):
        def record(module, inputs, output):
            if self._recording:
                a = output.detach()
                stats = self.activations[name]
                stats["mean"].append(a.mean().item())
                stats["std"].append(a.std().item())
                stats["saturated"].append(saturated_fraction(module, a))
        return record

    def on_train_begin(self, state):
        self.watch(state.model)
        self._hooks = [m.register_forward_hook(self._hook(name)) for name, m in self._layers.items()]

    def on_batch_begin(self, state):
        self._recording = self._step % self.every == 0

    def on_after_backward(self, state):
        if self._recording:
            for name, p in self._weights.items():
                norm = p.grad.norm().item() if p.grad is not None else 0.0
                self.params[name]["grad_norm"].append(norm)
                self._before[name] = p.detach().clone()

    def on_batch_end(self, state):
        if self._recording:
            for name, p in self._weights.items():
                update = p.detach() - self._before.pop(name)
                self.params[name]["update_ratio"].append((update.std() / p.detach().std()).item())
            self.steps.append(self._step)
        self._recording = False
        self._step += 1

    def on_train_end(self, state):
        for hook in self._hooks:
            hook.remove()
        self._hooks, self._recording, self._before = [], False, {}

    def summary(self, last=5):
        """Mean of each statistic over the last ``last`` recorded steps: ``{layer: {stat: value}}``."""
        if not self.steps:
            raise RuntimeError("Nothing recorded yet: pass the callback to fit(..., callbacks=[diag]) first.")
        table = {}
        for records in (self.activations, self.params):
            for name, stats in records.items():
                table[name] = {stat: sum(v[-last:]) / len(v[-last:]) for stat, v in stats.items() if v}
        return table

    def __repr__(self):
        return (f"Diagnostics(every={self.every}: {len(self.activations)} activation layers, "
                f"{len(self.params)} weight matrices, {len(self.steps)} steps recorded)")
