"""Save and load a model's ``state_dict`` safely: atomic writes, ``weights_only`` loading."""

import os
import tempfile
from pathlib import Path

import torch

__all__ = ["save_checkpoint", "load_checkpoint", "CheckpointMismatch"]


class CheckpointMismatch(RuntimeError):
    """The checkpoint was saved from a model with other layers or shapes."""


def save_checkpoint(path, model, optimizer=None, **metadata):
    """Write the model's (and optimizer's) state and ``metadata`` to ``path`` atomically.

    The file is written next to ``path`` first and renamed at the end, so a crash
    half-way never leaves a broken checkpoint in place of a good one.

    >>> import tempfile, pathlib; folder = pathlib.Path(tempfile.mkdtemp())
    >>> save_checkpoint(folder / "net.pt", torch.nn.Linear(2, 1), epoch=3).name
    'net.pt'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "model_state": model.state_dict(),
        "model_class": type(model).__name__,
        "metadata": metadata,
    }
    if optimizer is not None:
        checkpoint["optimizer_state"] = optimizer.state_dict()
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            torch.save(checkpoint, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        if os.path.exists(tmp_name):
            os.remove(tmp_name)
        raise
    return path


def _compare(expected, found):
    """Describe missing, unexpected and differently shaped keys between two state dicts."""
    missing = [k for k in expected if k not in found]
    unexpected = [k for k in found if k not in expected]
    shapes = [f"{k}: model {tuple(expected[k].shape)}, checkpoint {tuple(found[k].shape)}"
              for k in expected if k in found and expected[k].shape != found[k].shape]
    lines = []
    if missing:
        lines.append(f"missing keys (in the model, not in the checkpoint): {missing}")
    if unexpected:
        lines.append(f"unexpected keys (in the checkpoint, not in the model): {unexpected}")
    if shapes:
        lines.append("different shapes: " + "; ".join(shapes))
    return lines


def load_checkpoint(path, model, optimizer=None, map_location=None):
    """Load a checkpoint into ``model`` (and ``optimizer``) and return its metadata.

    Loads with ``weights_only=True``, so a file cannot run code. A checkpoint of another
    architecture raises ``CheckpointMismatch`` listing the missing and unexpected keys.

    >>> import tempfile, pathlib; path = pathlib.Path(tempfile.mkdtemp()) / "net.pt"
    >>> _ = save_checkpoint(path, torch.nn.Linear(2, 1), epoch=3)
    >>> load_checkpoint(path, torch.nn.Linear(2, 1))
    {'epoch': 3}
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No checkpoint at {path}. Save one first with save_checkpoint({str(path)!r}, model).")
    if map_location is None:
        first = next(iter(model.parameters()), None)
        map_location = first.device if first is not None else "cpu"
    checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    if not isinstance(checkpoint, dict) or "model_state" not in checkpoint:
        raise CheckpointMismatch(f"{path} is not a dlstudy checkpoint (no 'model_state'). "
                                 "For a bare state_dict use model.load_state_dict(torch.load(path, weights_only=True)).")
    problems = _compare(model.state_dict(), checkpoint["model_state"])
    if problems:
        raise CheckpointMismatch(
            f"{path} was saved from a {checkpoint.get('model_class')} that does not match this "
            f"{type(model).__name__}:\n  " + "\n  ".join(problems) +
            "\nBuild the model with the same layers and sizes as when you saved it, then load again.")
    model.load_state_dict(checkpoint["model_state"])
    if optimizer is not None and "optimizer_state" in checkpoint:
        optimizer.load_state_dict(checkpoint["optimizer_state"])
    return checkpoint["metadata"]
