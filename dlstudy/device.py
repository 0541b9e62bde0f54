"""Pick a device (CUDA, MPS or CPU), move data to it, and seed every random generator."""

import os
import random

import numpy as np
import torch

__all__ = ["get_device", "describe_device", "available_devices", "resolve_device", "to_device", "set_seed",
           "DeviceError"]

ENV_VAR = "DLSTUDY_DEVICE"


class DeviceError(RuntimeError, ValueError):
    """A device was asked for that this machine does not have (a wrong argument's value: also a ValueError)."""


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


def available_devices():
    """The devices this machine has, by name: ``['cpu']``, plus ``'cuda:0'``, ... and ``'mps'``.

    >>> available_devices()[0]
    'cpu'
    """
    names = ["cpu"]
    if _is_available("cuda"):
        names += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    if _is_available("mps"):
        names.append("mps")
    return names


def _parse(device, what, fix):
    """``device`` as a torch.device this machine has, or a DeviceError that lists what it has."""
    here = f"This machine has: {', '.join(available_devices())}."
    if isinstance(device, int) and not isinstance(device, bool):
        device = f"cuda:{device}"                          # torch reads a bare number as a CUDA index
    if isinstance(device, torch.device):
        device = str(device)
    if not isinstance(device, str):
        raise DeviceError(f"{what} must be a device name such as 'cpu', 'cuda' or 'mps' (or a torch.device); "
                          f"got {type(device).__name__}. {here}")
    text = device.strip().lower()
    kind, _, index = text.partition(":")
    if kind not in ("cpu", "cuda", "mps"):
        gpu = " For a GPU write 'cuda' (NVIDIA) or 'mps' (Apple)." if kind in ("gpu", "nvidia", "metal") else ""
        raise DeviceError(f"{what}={device!r} is not a device name. Expected 'cpu', 'cuda', 'cuda:N' or "
                          f"'mps'.{gpu} {here} {fix}")
    if not _is_available(kind):
        raise DeviceError(f"{what}={device!r} asks for {kind.upper()}, but this machine has none. "
                          f"{here} {fix}")
    if not index:
        return torch.device(kind)
    if not index.isdigit():
        raise DeviceError(f"{what}={device!r}: the device number after '{kind}:' must be a whole number, 0 or "
                          f"more; got {index!r}. {here} {fix}")
    count = torch.cuda.device_count() if kind == "cuda" else 1
    if int(index) >= count:
        raise DeviceError(f"{what}={device!r} asks for {kind.upper()} device {int(index)}, but this machine has "
                          f"{count} {kind.upper()} device{'s' if count != 1 else ''} (numbered from 0). {here} {fix}")
    return torch.device(kind, int(index))


def resolve_device(device=None, name="device"):
    """``device`` ('cpu', 'cuda', 'cuda:1', 'mps' or a torch.device) checked against this machine.

    The one converter for every device argument (``name`` is the argument's name in the message).
    ``None`` picks the best device, as ``get_device()`` does. A device the machine does not
    have raises ``DeviceError`` listing the devices it has.

    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if device is None:
        return get_device()
    return _parse(device, name, f"Pass one of those, or {name}=None.")


def _choose():
    """Return (torch.device, reason), honouring the DLSTUDY_DEVICE variable."""
    forced = os.environ.get(ENV_VAR, "").strip()
    if forced:
        fix = f"Use {ENV_VAR}=cpu, or unset it to choose automatically."
        device = _parse(forced, ENV_VAR, fix)
        return device, f"{ENV_VAR}={forced.lower()} asked for it"
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
    """Move tensors, also inside tuples, lists and dicts, to ``device`` (checked by ``resolve_device``).

    NumPy arrays become tensors on the way, as everywhere in dlstudy: floats float32, integers int64.

    >>> batch = to_device({"X": torch.ones(2), "y": [torch.zeros(1)]}, "cpu")
    >>> batch["y"][0].device.type
    'cpu'
    >>> to_device(np.zeros(3), "cpu").dtype
    torch.float32
    """
    if device is None:                                  # where to? refused, never guessed
        _parse(device, "device", "Pass one of those, e.g. to_device(x, 'cpu').")
    device = device if isinstance(device, torch.device) and _known(device) else resolve_device(device)
    return _moved(obj, device)


def _known(device):
    """True for a torch.device this machine has (fit's batches skip the full check); ``meta`` holds no data."""
    if device.type == "meta":
        return True
    if device.type == "cuda":
        return _is_available("cuda") and (device.index is None or device.index < torch.cuda.device_count())
    return device.type == "cpu" or device.type == "mps" and _is_available("mps")


def _moved(obj, device):
    if isinstance(obj, np.ndarray) and obj.dtype.kind in "biuf":
        obj = torch.from_numpy(obj)
        obj = obj.float() if obj.is_floating_point() else obj.long() if obj.dtype != torch.bool else obj
    if torch.is_tensor(obj):
        if device.type == "mps" and obj.dtype == torch.float64:
            raise TypeError(
                "MPS has no float64. Expected float32 tensors, got a float64 tensor. "
                "Convert it first with .float() (or torch.tensor(..., dtype=torch.float32))."
            )
        return obj.to(device)
    if isinstance(obj, dict):
        return {key: _moved(value, device) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        moved = [_moved(value, device) for value in obj]
        return type(obj)(moved) if not hasattr(obj, "_fields") else type(obj)(*moved)
    return obj


def set_seed(seed=0):
    """Seed Python's ``random``, NumPy and torch (all devices) and turn off TF32, so runs repeat.

    >>> set_seed(0); a = torch.rand(1); set_seed(0); bool(torch.equal(a, torch.rand(1)))
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2 ** 32:
        raise ValueError(f"set_seed expects a whole number from 0 to 2**32 - 1, such as 0 or 42; got {seed!r}.")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    # The same numbers on every GPU: no TF32 shortcuts, no per-machine choice of convolution algorithm.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = False
