"""Effects the check chooses, so that only the method the exercise asks for can match the reference.

``scaled_backward(factor)``: while it is active, every ``backward()`` (and ``torch.autograd.backward`` /
``torch.autograd.grad``) reports ``factor`` times the true gradient. A loop that updates with the
gradient backward() stored matches the reference run under the same factor; a loop that calls
backward() only for show and steps with a formula of its own does not.
"""

import contextlib

import torch
from torch.overrides import TorchFunctionMode

__all__ = ["scaled_backward"]


def _ones_like_each(tensors):
    return [torch.ones_like(t) for t in tensors]


def _as_list(value):
    return [value] if torch.is_tensor(value) else list(value)


class _ScaledBackward(TorchFunctionMode):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def _scaled(self, outputs, grads):
        grads = _ones_like_each(outputs) if grads is None else _as_list(grads)
        return [None if g is None else g * self.factor for g in grads]

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if func is torch.Tensor.backward:
            gradient = kwargs.pop("gradient", args[1] if len(args) > 1 else None)
            (gradient,) = self._scaled([args[0]], gradient)
            return func(args[0], gradient, *args[2:], **kwargs)
        if func is torch.autograd.backward:
            tensors = _as_list(kwargs.pop("tensors", args[0]))
            grads = kwargs.pop("grad_tensors", args[1] if len(args) > 1 else None)
            return func(tensors, self._scaled(tensors, grads), *args[2:], **kwargs)
        if func is torch.autograd.grad:
            outputs = _as_list(kwargs.pop("outputs", args[0]))
            inputs = kwargs.pop("inputs", args[1] if len(args) > 1 else None)
            grads = kwargs.pop("grad_outputs", args[2] if len(args) > 2 else None)
            return func(outputs, inputs, self._scaled(outputs, grads), *args[3:], **kwargs)
        return func(*args, **kwargs)


@contextlib.contextmanager
def scaled_backward(factor):
    """Inside the block backward() reports ``factor`` times the gradient.

    >>> w = torch.tensor(3.0, requires_grad=True)
    >>> with scaled_backward(0.5):
    ...     (w * w).backward()
    >>> w.grad.item()
    3.0
    >>> with scaled_backward(0.5):
    ...     torch.autograd.grad(w * w, w)[0].item()
    3.0
    """
    with _ScaledBackward(factor):
        yield
