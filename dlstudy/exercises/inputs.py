"""Fresh held-out inputs for the checks, drawn at check time from a seed nobody can read in advance.

Every check draws its own cases with ``generator()``: several sizes (odd and even), ties, asymmetric
data, non-square shapes, so that an answer tuned to one example, or to the shape of one example,
fails. ``describe`` turns a case into words, so a failure message says how to reproduce it.

Random numbers almost never land on the values where a near-miss formula differs from the right one, so
a check mixes them in on purpose with ``with_edges`` (or ``randn(..., edges=...)``); ``EDGES`` lists them.
"""

import math
import secrets

import torch

from dlstudy.lang import tr

__all__ = ["EDGES", "edge_values", "with_edges", "generator", "draw_int", "sizes", "randn", "ties", "describe"]

# The deciding cases every generator can mix into its random numbers (kind -> what it decides).
EDGES = {
    "zero": "0 exactly: a branch point (x > 0 against x >= 0) decides the value or the gradient there",
    "saturated": "-big and +big, big = ln(the dtype's largest number) + 10: exp(|x|) overflows to inf there, so a "
                 "formula that divides two exponentials gives inf / inf = NaN (a sigmoid stays finite)",
    "one": "1 and -1 exactly: where |x| = 1 or a threshold of 1 switches (Huber with delta 1, clamps)",
}


def edge_values(kind, dtype=torch.float32):
    """The values of the edge ``kind`` (a key of ``EDGES``) for ``dtype``.

    >>> edge_values("zero"), edge_values("saturated"), edge_values("saturated", torch.float64)
    ([0.0], [-98.0, 98.0], [-719.0, 719.0])
    """
    if kind == "zero":
        return [0.0]
    if kind == "one":
        return [-1.0, 1.0]
    if kind == "saturated":
        big = float(math.floor(math.log(torch.finfo(dtype).max)) + 10)
        return [-big, big]
    raise ValueError(f"unknown edge kind {kind!r}; known: {sorted(EDGES)}")


def with_edges(g, x, *kinds):
    """A copy of ``x`` with the values of the edge ``kinds`` written at distinct random positions (as many as fit
    while one entry at least stays random: a single number stays random).

    >>> x = with_edges(generator(), torch.ones(2, 3), "zero", "saturated")
    >>> sorted(x.flatten().tolist())
    [-98.0, 0.0, 1.0, 1.0, 1.0, 98.0]
    """
    x = x.clone()
    values = [v for kind in kinds for v in edge_values(kind, x.dtype)][:max(x.numel() - 1, 0)]
    if values:
        where = torch.randperm(x.numel(), generator=g)[:len(values)]
        x.view(-1)[where] = torch.tensor(values, dtype=x.dtype)
    return x



def generator():
    """A CPU ``torch.Generator`` seeded unpredictably (``secrets``): the learner's RNG is left alone.

    >>> generator().initial_seed() != generator().initial_seed()
    True
    """
    return torch.Generator().manual_seed(secrets.randbits(62))


def draw_int(g, low, high):
    """One integer in [low, high] from ``g``.

    >>> 3 <= draw_int(generator(), 3, 5) <= 5
    True
    """
    return int(torch.randint(low, high + 1, (), generator=g))


def sizes(g, low, high, count=2):
    """``count`` different sizes in [low, high], at least one odd and one even (when count >= 2).

    >>> s = sizes(generator(), 2, 9)
    >>> len(s) == 2 and {n % 2 for n in s} == {0, 1} and all(2 <= n <= 9 for n in s)
    True
    """
    odd = [n for n in range(low, high + 1) if n % 2]
    even = [n for n in range(low, high + 1) if n % 2 == 0]
    picked = [odd[draw_int(g, 0, len(odd) - 1)], even[draw_int(g, 0, len(even) - 1)]][:count]
    rest = [n for n in range(low, high + 1) if n not in picked]
    while len(picked) < count and rest:
        picked.append(rest.pop(draw_int(g, 0, len(rest) - 1)))
    return picked if draw_int(g, 0, 1) else picked[::-1]


def randn(g, *shape, scale=1.0, shift=0.0, dtype=torch.float32, edges=()):
    """Normal numbers of ``shape``, scaled and shifted (asymmetric data: the shift moves the mean off zero), with
    the ``edges`` (kinds of ``EDGES``) mixed in.

    >>> randn(generator(), 3, 2, shift=5.0).mean().item() > 2
    True
    >>> 0.0 in randn(generator(), 5, edges=("zero",)).tolist(), randn(generator(), edges=("zero",)).item() != 0
    (True, True)
    """
    return with_edges(g, (torch.randn(shape, generator=g, dtype=torch.float64) * scale + shift).to(dtype), *edges)


def ties(g, *shape, values=(0.0, 1.0, 2.0), dtype=torch.float32):
    """A tensor of ``shape`` whose entries repeat a few ``values``: ties everywhere.

    >>> set(ties(generator(), 20).tolist()) <= {0.0, 1.0, 2.0}
    True
    """
    index = torch.randint(len(values), shape, generator=g)
    return torch.tensor(values, dtype=dtype)[index]


def describe(**named):
    """Tensors and numbers in words: shape, dtype and value range, so a learner can rebuild the case.

    >>> describe(X=torch.tensor([[1.0, -2.0]]), lr=0.1)
    'X of shape (1, 2) float32 with values from -2 to 1, lr = 0.1'
    """
    parts = []
    for name, value in named.items():
        if isinstance(value, torch.Tensor):
            dtype = str(value.dtype).replace("torch.", "")
            shape = tuple(value.shape)
            if value.numel() and value.device.type != "meta" and not value.dtype.is_complex:
                low, high = value.detach().min().item(), value.detach().max().item()
                parts.append(tr("{name} of shape {shape} {dtype} with values from {low:.3g} to {high:.3g}",
                                "모양 {shape}인 {dtype} {name}(값 {low:.3g} ~ {high:.3g})")
                             .format(name=name, shape=shape, dtype=dtype, low=low, high=high))
            else:
                parts.append(tr("{name} of shape {shape} {dtype}", "모양 {shape}인 {dtype} {name}")
                             .format(name=name, shape=shape, dtype=dtype))
        else:
            parts.append(f"{name} = {value!r}")
    return ", ".join(parts)
