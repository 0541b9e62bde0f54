"""Fresh held-out inputs for the checks, drawn at check time from a seed nobody can read in advance.

Every check draws its own cases with ``generator()``: several sizes (odd and even), ties, asymmetric
data, non-square shapes, so that an answer tuned to one example, or to the shape of one example,
fails. ``describe`` turns a case into words, so a failure message says how to reproduce it.
"""

import secrets

import torch

from dlstudy.lang import tr

__all__ = ["generator", "draw_int", "sizes", "randn", "ties", "describe"]


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


def randn(g, *shape, scale=1.0, shift=0.0, dtype=torch.float32):
    """Normal numbers of ``shape``, scaled and shifted (asymmetric data: the shift moves the mean off zero).

    >>> randn(generator(), 3, 2, shift=5.0).mean().item() > 2
    True
    """
    return (torch.randn(shape, generator=g, dtype=torch.float64) * scale + shift).to(dtype)


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
