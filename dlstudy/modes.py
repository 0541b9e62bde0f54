"""Where a model lives and which mode it is in: ``model_device``, ``eval_mode`` and ``run_model``.

Every helper that runs a learner's model (``evaluate``, ``predict``, the plots, the demos)
asks ``model_device`` where to send the data, and wraps the run in ``eval_mode`` so the
model comes back in the mode it was in, whatever happens inside. Helpers move the data to
the model, never the model to the data.
"""

import contextlib
import itertools

import torch

__all__ = ["model_device", "eval_mode", "run_model"]


def model_device(model, default="cpu"):
    """The device of the model's first parameter (or buffer); ``default`` for a model without any.

    >>> model_device(torch.nn.Linear(2, 1))
    device(type='cpu')
    """
    if isinstance(model, torch.nn.Module):
        for tensor in itertools.chain(model.parameters(), model.buffers()):
            return tensor.device
    return torch.device(default)


@contextlib.contextmanager
def eval_mode(model):
    """Run the block with ``model.eval()`` (dropout off, batch-norm running statistics), then restore the mode.

    >>> net = torch.nn.Dropout(0.5)
    >>> with eval_mode(net):
    ...     net.training
    False
    >>> net.training
    True
    """
    if not isinstance(model, torch.nn.Module):   # a plain function has no mode
        yield model
        return
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


def run_model(model, X):
    """``model(X)`` in eval mode without gradients, with ``X`` sent to the model's device and float dtype.

    ``model`` may also be a plain function of a tensor. The output stays where the model is.

    >>> run_model(torch.nn.Linear(2, 1).double(), torch.zeros(3, 2)).dtype
    torch.float64
    """
    if isinstance(model, torch.nn.Module):
        weight = next(itertools.chain(model.parameters(), model.buffers()), None)
        if weight is not None:
            dtype = weight.dtype if weight.is_floating_point() and X.is_floating_point() else X.dtype
            X = X.to(device=weight.device, dtype=dtype)
    with eval_mode(model), torch.no_grad():
        return model(X)
