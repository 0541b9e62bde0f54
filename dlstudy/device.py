"""Pick a device (CUDA, MPS or CPU), move data to it, and seed every random generator."""

import os
import random

import numpy as np
import torch

__all__ = ["get_device", "describe_device", "to_device", "set_seed", "DeviceError"]

ENV_VAR = "DLSTUDY_DEVICE"


class DeviceError(RuntimeError):
    """A device was asked for that this machine does not have."""


def _is_available(kind):
    """True when this machine can run tensors on a device of this kind."""
    if kind == "cpu":
        return True
    if kind == "cuda":
        return torch.cuda.is_available()
    if kind == "mps":
        mps = getattr(torch.backends, "mps", None)
        return mps is not None and mps.is_available()
    return False


def _auto_choice():
    """Return (device type, reason) for the best accelerator here, else the CPU."""
    accelerator = getattr(torch, "accelerator", None)
    if accelerator is not None and hasattr(accelerator, "is_available"):
        if accelerator.is_available():
            kind = accelerator.current_accelerator().type
            if kind in ("cuda", "mps"):
                return kind, f"torch.accelerator found a {kind.upper()} device"
    for kind in ("cuda", "mps"):
        if _is_available(kind):
            return kind, f"{kind.upper()} is available"
    return "cpu", "no CUDA or MPS device was found"


def _choose():
    """Return (torch.device, reason), honouring the DLSTUDY_DEVICE variable."""
    forced = os.environ.get(ENV_VAR, "").strip().lower()
    if forced:
        kind = forced.split(":")[0]
        if kind not in ("cpu", "cuda", "mps"):
            raise DeviceError(
                f"{ENV_VAR}={forced!r} is not a device name. "
                f"Expected 'cpu', 'cuda', 'cuda:N' or 'mps'. Unset it to choose automatically."
            )
        if not _is_available(kind):
            raise DeviceError(
                f"{ENV_VAR}={forced!r} asks for {kind.upper()}, but this machine has none. "
                f"Use {ENV_VAR}=cpu, or unset it to choose automatically."
            )
        return torch.device(forced), f"{ENV_VAR}={forced} asked for it"
    kind, reason = _auto_choice()
    return torch.device(kind), reason


def get_device():
    """Return the best device here: CUDA, then MPS, then CPU (``DLSTUDY_DEVICE`` overrides).

    >>> get_device().type in ("cpu", "cuda", "mps")
    True
    """
    return _choose()[0]


def describe_device():
    """Say in one line which device was chosen and why.

    >>> describe_device().startswith("Using ")
    True
    """
    device, reason = _choose()
    text = f"Using {device.type.upper()}"
    if device.type == "cuda":
        text += f" ({torch.cuda.get_device_name(device)})"
    if device.type == "mps":
        text += " (Apple GPU; float32 only, MPS has no float64)"
    return f"{text}: {reason}."


def to_device(obj, device):
    """Move tensors, also inside tuples, lists and dicts, to ``device``.

    >>> batch = to_device({"X": torch.ones(2), "y": [torch.zeros(1)]}, "cpu")
    >>> batch["y"][0].device.type
    'cpu'
    """
    device = torch.device(device)
    if torch.is_tensor(obj):
        if device.type == "mps" and obj.dtype == torch.float64:
            raise TypeError(
                "MPS has no float64. Expected float32 tensors, got a float64 tensor. "
                "Convert it first with .float() (or torch.tensor(..., dtype=torch.float32))."
            )
        return obj.to(device)
    if isinstance(obj, dict):
        return {key: to_device(value, device) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        moved = [to_device(value, device) for value in obj]
        return type(obj)(moved) if not hasattr(obj, "_fields") else type(obj)(*moved)
    return obj


def set_seed(seed=0):
    """Seed Python's ``random``, NumPy and torch (all devices) and turn off TF32, so runs repeat.

    >>> set_seed(0); a = torch.rand(1); set_seed(0); bool(torch.equal(a, torch.rand(1)))
    True
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    # The same numbers on every GPU: no TF32 shortcuts, no per-machine choice of convolution algorithm.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = False
