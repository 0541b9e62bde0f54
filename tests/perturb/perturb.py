"""Make every float32 matrix product and convolution slightly less exact, as another machine would.

Another CPU (other SIMD kernels), another BLAS or a GPU adds up the same products in
another order, so its float32 results differ in the last bits. This module rounds the
output of every matmul, linear layer and convolution to fewer mantissa bits (4 fewer by
default, a relative change of about 2e-6), deterministically and without touching any
random number generator. A notebook whose stored outputs still match under it prints
only what survives such differences. Gradients flow through unchanged.

Used by ``make test-portable`` through the IPython startup file beside it
(``DLSTUDY_PERTURB=1`` makes conftest.py point IPYTHONDIR there); not part of the course.
"""

import functools
import os

import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import _disable_current_modes

DROP_BITS = int(os.environ.get("DLSTUDY_PERTURB_BITS", "4"))

TARGETS = [(torch, "matmul"), (torch, "mm"), (torch, "bmm"), (torch, "addmm"),
           (torch.Tensor, "matmul"), (torch.Tensor, "__matmul__"), (torch.Tensor, "mm"),
           (F, "linear"), (F, "conv1d"), (F, "conv2d")]


def round_mantissa(t, drop_bits=DROP_BITS):
    """``t`` with its float32 values rounded to ``23 - drop_bits`` mantissa bits (other dtypes unchanged)."""
    if not torch.is_tensor(t) or t.dtype != torch.float32 or drop_bits <= 0:
        return t
    with torch.no_grad():
        bits = t.detach().contiguous().view(torch.int32)
        half, mask = 1 << (drop_bits - 1), ~((1 << drop_bits) - 1)
        rounded = ((bits + half) & mask).view(torch.float32)
        rounded = torch.where(torch.isfinite(t.detach()), rounded, t.detach())
    return t + (rounded - t.detach()) if t.requires_grad else rounded


def _wrap(function):
    @functools.wraps(function)
    def perturbed(*args, **kwargs):
        out = function(*args, **kwargs)
        # the rounding is this test harness, not the learner's code: an exercise check that records the
        # operations an answer runs (a TorchDispatchMode) must not see it
        with _disable_current_modes():
            return round_mantissa(out)
    perturbed.__dlstudy_perturbed__ = True
    return perturbed


def install():
    """Wrap the matmul / linear / convolution functions of torch (once)."""
    for owner, name in TARGETS:
        original = getattr(owner, name)
        if not getattr(original, "__dlstudy_perturbed__", False):
            setattr(owner, name, _wrap(original))
