"""What every answer must leave alone: its inputs (values, shape, dtype) and, where asked, the inputs' dtype.

``snapshot(value)`` copies a tensor, a module's parameters and buffers, or a list / tuple / dict of them;
``same(value, snap)`` says whether ``value`` still equals that copy (NaN equals NaN). ``dtype_change(result,
inputs)`` names a floating result whose dtype is not the inputs' floating dtype.
"""

import math
import re

import torch
from torch import nn

__all__ = ["snapshot", "same", "dtype_change", "dtype_mismatch"]

_UNKNOWN = object()


def snapshot(value):
    """A copy of ``value`` to compare with later (``_UNKNOWN`` for objects the check does not look into).

    >>> x = torch.ones(2); s = snapshot(x); _ = x.add_(1); same(x, s)
    False
    >>> s = snapshot([1.0, torch.zeros(1)]); same([1.0, torch.zeros(1)], s)
    True
    """
    if isinstance(value, torch.Tensor):
        with torch._C.DisableTorchFunctionSubclass():       # the check's watching tensors (OnHost...) stay quiet
            copy = None if value.device.type == "meta" else value.detach().clone().as_subclass(torch.Tensor)
            return ("tensor", tuple(value.shape), value.dtype, copy)
    if isinstance(value, nn.Module):
        return ("module", {name: snapshot(t) for name, t in value.state_dict(keep_vars=True).items()})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [snapshot(v) for v in value])
    if isinstance(value, dict):
        return ("dict", {k: snapshot(v) for k, v in value.items()})
    if isinstance(value, (int, float, bool, str, complex)) or value is None:
        return ("plain", value)
    return _UNKNOWN


def _same_tensor(value, snap):
    with torch._C.DisableTorchFunctionSubclass():
        return _same_plain(value, snap)


def _same_plain(value, snap):
    _, shape, dtype, copy = snap
    if not isinstance(value, torch.Tensor) or tuple(value.shape) != shape or value.dtype != dtype:
        return False
    if copy is None or value.device.type == "meta":
        return True
    now = value.detach().as_subclass(torch.Tensor).to("cpu")
    copy = copy.to("cpu")
    if now.dtype.is_floating_point or now.dtype.is_complex:
        return bool(((now == copy) | (now.isnan() & copy.isnan())).all())
    return torch.equal(now, copy)


def same(value, snap):
    """Whether ``value`` still equals its ``snapshot``."""
    if snap is _UNKNOWN:
        return True
    kind = snap[0]
    if kind == "tensor":
        return _same_tensor(value, snap)
    if kind == "module":
        now = value.state_dict(keep_vars=True)
        return now.keys() == snap[1].keys() and all(same(now[k], s) for k, s in snap[1].items())
    if kind in ("list", "tuple"):
        return isinstance(value, (list, tuple)) and len(value) == len(snap[1]) and \
            all(same(v, s) for v, s in zip(value, snap[1]))
    if kind == "dict":
        return isinstance(value, dict) and value.keys() == snap[1].keys() and \
            all(same(value[k], s) for k, s in snap[1].items())
    old = snap[1]
    if isinstance(old, float) and isinstance(value, float) and math.isnan(old) and math.isnan(value):
        return True
    return type(value) is type(old) and value == old


def _floating(values):
    """The floating dtypes of the tensors in ``values`` (one level into lists, tuples and dicts)."""
    found = []
    for value in values:
        inner = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
        found += [v.dtype for v in inner if isinstance(v, torch.Tensor) and v.dtype.is_floating_point]
    return found


def dtype_change(result, inputs):
    """(got, want) if a floating tensor in ``result`` has another dtype than the floating tensors in ``inputs``.

    >>> dtype_change(torch.ones(2).double(), [torch.ones(2)])
    (torch.float64, torch.float32)
    >>> dtype_change((torch.ones(2), 3.0), [torch.ones(2)]) is None
    True
    """
    wanted = set(_floating(inputs))
    if len(wanted) != 1:
        return None                       # no floating input, or several dtypes: nothing to keep
    want = wanted.pop()
    for got in _floating([result]):
        if got != want:
            return got, want
    return None


def dtype_mismatch(text):
    """The two dtype names in torch's "Double did not match Float" error text, or None.

    >>> dtype_mismatch("Double did not match Float")
    ('Double', 'Float')
    """
    found = re.search(r"\b(Double|Float|Half|BFloat16|Long|Int|Bool|ComplexFloat|ComplexDouble) did not match "
                      r"(Double|Float|Half|BFloat16|Long|Int|Bool|ComplexFloat|ComplexDouble)\b", text)
    return found.groups() if found else None
