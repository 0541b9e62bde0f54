"""Read a network's health while it trains: a ``fit`` callback that records per-layer statistics.

Every ``every`` batches it records, for each activation layer, the mean and standard
deviation of its outputs and where its units sit on a flat part of the activation (no
gradient passes there), three different things:

- ``saturated`` (tanh, sigmoid): the fraction of outputs near the flat ends (|a| > 0.97 for
  tanh, a < 0.03 or a > 0.97 for sigmoid); healthy is a few percent;
- ``zero`` (ReLU): the fraction of outputs equal to 0. That is ReLU's normal sparsity: a
  default-initialized layer has about half its outputs at 0, and still learns;
- ``dead`` (all three): the fraction of *units* that are flat for every input of the batch
  (a ReLU that outputs 0, a tanh stuck at +-1, on every image). Such a unit gets no gradient
  at all; healthy is about 0.

For each weight matrix it records the gradient norm and the update-to-data ratio
``std(w_after - w_before) / std(w_after)``, which should sit near 1e-3 (log10 near -3,
Karpathy's rule of thumb): much smaller and the layer barely learns, much larger and it thrashes.
``layer_snapshot`` returns one batch's activations and their gradients per layer, for histograms.
"""

import torch
from torch import nn

from dlstudy.callbacks import ORDER, Callback
from dlstudy.contract import Function, Instance, Samples, Whole, declare

__all__ = ["FLAT", "flat_mask", "saturated_fraction", "dead_fraction", "activation_stats", "layer_snapshot",
           "Diagnostics"]

# Where each activation is flat (its local gradient is about 0), and the name of the fraction of outputs there.
FLAT = {
    "Tanh": ("|a| > 0.97", "saturated"),
    "Sigmoid": ("a < 0.03 or a > 0.97", "saturated"),
    "ReLU": ("a = 0", "zero"),
}


ACTIVATION = Instance((nn.Tanh, nn.Sigmoid, nn.ReLU), "an activation layer (Tanh, Sigmoid or ReLU)", "nn.ReLU()")
OUTPUTS = Samples(finite=True)


@declare(module=ACTIVATION, a=OUTPUTS)
def flat_mask(module, a):
    """True where output ``a`` of activation ``module`` sits on a flat part of it (local gradient about 0).

    >>> flat_mask(nn.ReLU(), torch.tensor([0.0, 2.0])).tolist()
    [True, False]
    """
    if isinstance(module, nn.Tanh):
        return a.abs() > 0.97
    if isinstance(module, nn.Sigmoid):
        return (a < 0.03) | (a > 0.97)
    if isinstance(module, nn.ReLU):
        return a <= 0
    raise TypeError(f"No rule for {type(module).__name__}: the diagnostics know {', '.join(FLAT)}.")


@declare(module=ACTIVATION, a=OUTPUTS)
def saturated_fraction(module, a):
    """The fraction of tanh / sigmoid outputs ``a`` near the flat ends (ReLU has none: see ``activation_stats``).

    >>> saturated_fraction(nn.Tanh(), torch.tensor([0.0, 0.5, 0.99, -0.999]))
    0.5
    """
    if isinstance(module, nn.ReLU):
        raise TypeError("A ReLU does not saturate: its outputs at 0 are its normal sparsity (about half of them). "
                        "Use activation_stats(module, a)['zero'] for that and ['dead'] for units that are always 0.")
    return flat_mask(module, a).float().mean().item()


@declare(module=ACTIVATION, a=OUTPUTS)
def dead_fraction(module, a):
    """The fraction of units (dimension 1 of ``a``) that are flat for every input of the batch: no gradient at all.

    >>> dead_fraction(nn.ReLU(), torch.tensor([[0.0, 1.0, 0.0, 3.0], [0.0, 0.0, 2.0, 1.0]]))   # unit 0: always 0
    0.25
    """
    flat = flat_mask(module, a)
    if flat.dim() < 2:
        raise ValueError(f"Need a batch of outputs, shape (N, units, ...); got shape {tuple(a.shape)}.")
    per_unit = flat.transpose(0, 1).reshape(flat.shape[1], -1)          # one row per unit, all its outputs
    return per_unit.all(dim=1).float().mean().item()


@declare(module=ACTIVATION, a=OUTPUTS)
def activation_stats(module, a):
    """``mean``, ``std``, ``dead`` and ``saturated`` (tanh, sigmoid) or ``zero`` (ReLU) of a batch of outputs.

    >>> activation_stats(nn.ReLU(), torch.tensor([[0.0, 1.0], [0.0, 3.0]]))
    {'mean': 1.0, 'std': 1.4142135381698608, 'zero': 0.5, 'dead': 0.5}
    """
    a = a.detach()
    return {"mean": a.mean().item(), "std": a.std().item(), _flat_name(module): flat_mask(module, a).float().mean().item(),
            "dead": dead_fraction(module, a)}


def _flat_name(module):
    """What the fraction of flat outputs is called for this activation: "zero" (ReLU) or "saturated"."""
    flat_mask(module, torch.zeros(1))                                   # an unknown activation raises here
    return "zero" if isinstance(module, nn.ReLU) else "saturated"


@declare(model=Instance(nn.Module, "a model", "nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))"),
         X=Samples(finite=True), y=Samples(finite=True), loss_fn=Function("a loss", "nn.CrossEntropyLoss()"))
def layer_snapshot(model, X, y, loss_fn):
    """One batch through ``model``: ``{layer: {"act": outputs, "grad": d loss / d outputs}}`` per activation layer.

    The gradients come from ``torch.autograd.grad``, so no parameter's ``.grad`` changes.

    >>> net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    >>> snap = layer_snapshot(net, torch.randn(5, 3), torch.tensor([0, 1, 0, 1, 1]), nn.CrossEntropyLoss())
    >>> list(snap), tuple(snap["1"]["act"].shape), tuple(snap["1"]["grad"].shape)
    (['1'], (5, 4), (5, 4))
    """
    layers = {name: m for name, m in model.named_modules() if isinstance(m, (nn.Tanh, nn.Sigmoid, nn.ReLU))}
    if not layers:
        return {}                                                       # nothing to look at (plot_histograms says so)
    if len(X) != len(y):
        raise ValueError(f"X and y must have one row per sample each; got {len(X)} rows in X and {len(y)} in y.")
    outputs = {}
    hooks = [m.register_forward_hook(lambda m, i, out, name=name: outputs.__setitem__(name, out))
             for name, m in layers.items()]
    try:
        with torch.enable_grad():
            try:
                loss = loss_fn(model(X), y)
            except (RuntimeError, ValueError, IndexError, TypeError) as error:
                raise ValueError(f"loss_fn(model(X), y) failed for X of shape {tuple(X.shape)} and y of shape "
                                 f"{tuple(y.shape)}: {str(error).splitlines()[0]} Pass the batch the model and "
                                 "the loss were made for (X as in training, y as the loss expects).") from None
            grads = torch.autograd.grad(loss, [outputs[name] for name in layers], allow_unused=True)
    finally:
        for hook in hooks:
            hook.remove()
    return {name: {"act": outputs[name].detach().cpu(),
                   "grad": (torch.zeros_like(outputs[name]) if g is None else g).detach().cpu()}
            for name, g in zip(layers, grads)}


class Diagnostics(Callback):
    """Per layer, every ``every`` batches: activation statistics, gradient norm, update-to-data ratio.

    After ``fit``: ``steps`` (batch numbers, counted from 0 over all epochs),
    ``activations[name]["mean" | "std" | "dead"]`` plus ``"saturated"`` (tanh, sigmoid) or ``"zero"`` (ReLU),
    and ``params[name]["grad_norm" | "update_ratio"]``, each a list with one value per recorded step.

    >>> net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    >>> diag = Diagnostics(every=1); diag.watch(net)
    >>> list(diag.activations), list(diag.params)
    (['1'], ['0', '2'])
    """

    order = ORDER["Diagnostics"]  # after clipping (order 0), so the update ratio sees the update that was really applied

    @declare(every=Whole(1, 10 ** 6, example=10))
    def __init__(self, every=10):
        self.every = every
        self.steps, self.activations, self.params = [], {}, {}
        self._hooks, self._recording, self._before = [], False, {}

    def watch(self, model):
        """Find the activation layers and the weight matrices of ``model`` and start empty records."""
        self._layers = {name: m for name, m in model.named_modules() if isinstance(m, (nn.Tanh, nn.Sigmoid, nn.ReLU))}
        self._weights = {name.rsplit(".", 1)[0]: p for name, p in model.named_parameters()
                         if name.endswith("weight") and p.dim() >= 2}
        self.steps = []
        self.activations = {name: {"mean": [], "std": [], _flat_name(m): [], "dead": []}
                            for name, m in self._layers.items()}
        self.params = {name: {"grad_norm": [], "update_ratio": []} for name in self._weights}
        self._step = 0

    def _hook(self, name):
        def record(module, inputs, output):
            if self._recording:
                for stat, value in activation_stats(module, output).items():
                    self.activations[name][stat].append(value)
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
