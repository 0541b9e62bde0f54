"""Save and load a model's ``state_dict`` safely: atomic writes, ``weights_only`` loading.

``save_checkpoint`` only writes what a safe load can read back (NumPy numbers, arrays and
paths are converted; anything else is refused with a message naming the key), and
``load_checkpoint`` checks the whole file against the model and optimizer before it
changes either of them.
"""

import io
import os
import pickle
import re
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path, PurePath

import numpy as np
import torch

from dlstudy.contract import Anything, ArgumentValueError, FilePath, Optional, Rule, declare
from dlstudy.device import DeviceError, resolve_device

__all__ = ["save_checkpoint", "load_checkpoint", "CheckpointError", "CheckpointMismatch", "CheckpointPath",
           "CheckpointModel", "CheckpointOptimizer", "MapLocation"]

UNREADABLE = "this file is not a readable dlstudy checkpoint (truncated or corrupted?)"


class CheckpointError(RuntimeError):
    """The file cannot be used as a checkpoint (unreadable, or without the part you asked for)."""


class CheckpointMismatch(CheckpointError):
    """The checkpoint was saved from a model (or optimizer) with other layers or shapes."""


# ---------------------------------------------------------------- arguments

def _arguments(path, model, optimizer, metadata):
    """``path, model, optimizer`` given by position or by name; any other name (even ``model``) is metadata."""
    if path is None and "path" in metadata:
        path = metadata.pop("path")
    if model is None and "model" in metadata:
        model = metadata.pop("model")
    if optimizer is None and isinstance(metadata.get("optimizer"), (torch.optim.Optimizer, type)):
        optimizer = metadata.pop("optimizer")
    return path, model, optimizer, metadata


def _as_path(path, caller):
    if isinstance(path, torch.nn.Module):
        raise TypeError(f"{caller}(path, model, ...) takes the file path first and the model second; "
                        f"got a {type(path).__name__} as the path. Swap the two arguments.")
    if isinstance(path, str) and path.rstrip().endswith(("/", os.sep)) and path.strip() not in ("/", os.sep):
        raise ArgumentValueError(f"path={path!r} ends with a slash, so it names a folder, but a checkpoint is a "
                                 f"file. Give a file name inside it, e.g. {path.rstrip() + 'model.pt'!r}.")
    return FilePath().check(path, "path")                 # text or a Path; '~/model.pt' is in your home folder


def _check_model(model, caller):
    if isinstance(model, type) and issubclass(model, torch.nn.Module):
        raise TypeError(f"{caller} expects a model object, but got the class {model.__name__} itself. "
                        f"Build the model first: {model.__name__}(...).")
    if isinstance(model, dict):
        raise TypeError(f"{caller} expects the model (an nn.Module) as its second argument; got a "
                        f"{type(model).__name__} (a state_dict?). Build the model, e.g. net = Net(...), and "
                        "pass net itself.")
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"{caller} expects the model (an nn.Module) as its second argument; "
                        f"got {type(model).__name__}.")


def _check_optimizer(optimizer, caller):
    if optimizer is not None and not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"{caller} expects an optimizer such as torch.optim.SGD(model.parameters(), lr=0.1) "
                        f"(or None) as its third argument; got {type(optimizer).__name__}.")


class CheckpointPath(Rule):
    """The checkpoint file: text or a Path (``~`` expanded), not a folder name ending in a slash, not the model."""

    def __init__(self, caller):
        self.caller = caller

    def check(self, value, name):
        return _as_path(value, self.caller)


class CheckpointModel(Rule):
    """The model object (not its class, not its state_dict)."""

    def __init__(self, caller):
        self.caller = caller

    def check(self, value, name):
        _check_model(value, self.caller)
        return value


class CheckpointOptimizer(Rule):
    """A torch.optim optimizer, or None."""

    def __init__(self, caller):
        self.caller = caller

    def check(self, value, name):
        _check_optimizer(value, self.caller)
        return value


class MapLocation(Rule):
    """Where the weights are read to first: a device this machine has, or 'meta' (shapes only)."""

    def check(self, value, name):
        if str(value) == "meta":                                    # meta: shapes only, no data to move
            return value
        try:
            return resolve_device(value, name)                      # the one device converter
        except DeviceError as problem:
            raise ArgumentValueError(f"{name} must be a device such as 'cpu' or 'cuda' (or None to load into "
                                     f"the model where it is); got {value!r}. {problem}") from None


# ---------------------------------------------------------------- saving

_PLAIN = (type(None), bool, int, float, complex, str, bytes)


def _reads_back(value):
    """True when ``torch.load(..., weights_only=True)`` reads ``value`` back."""
    buffer = io.BytesIO()
    try:
        torch.save(value, buffer)
        buffer.seek(0)
        torch.load(buffer, weights_only=True)
    except Exception:
        return False
    return True


def _refusal(value, where):
    """The message for a value that a safe load could not read back."""
    kind = type(value).__name__
    if kind == "History" and hasattr(value, "records"):
        fix = f"store its records, a list of dicts of numbers: {where.split('[')[0]}=history.records"
    elif hasattr(value, "_asdict"):
        fix = "store a plain dict: value._asdict()"
    elif hasattr(value, "__dataclass_fields__"):
        fix = "store a plain dict: dataclasses.asdict(value)"
    elif isinstance(value, torch.nn.Module):
        fix = "store its weights, value.state_dict() (the model you save is stored already)"
    elif isinstance(value, torch.optim.Optimizer):
        fix = "pass it as the third argument: save_checkpoint(path, model, optimizer)"
    else:
        fix = "store its numbers or its text instead, e.g. float(value), value.tolist() or str(value)"
    return (f"save_checkpoint cannot store {where}, a {kind}: the safe loader "
            "(torch.load(..., weights_only=True)) could not read it back, so the checkpoint would never "
            f"load. Fix: {fix}. A checkpoint holds numbers, strings, lists, tuples, dicts and tensors "
            "(NumPy numbers and arrays and paths are converted for you).")


def _storable(value, where):
    """``value`` with NumPy numbers, NumPy arrays and paths converted to what a safe load reads."""
    if isinstance(value, np.generic):                     # np.float64(0.9) -> 0.9 (np.float64 is a float)
        return _storable(value.item(), where)
    if isinstance(value, _PLAIN) or torch.is_tensor(value):
        return value
    if isinstance(value, np.ndarray):                     # numbers -> a tensor, anything else -> a list
        if value.dtype.kind in "biufc":
            try:
                return torch.from_numpy(np.array(value))
            except TypeError:
                pass
        return _storable(value.tolist(), where)
    if isinstance(value, PurePath):
        return str(value)
    if type(value) in (dict, OrderedDict):
        items = [(k, v, _storable(k, f"{where} (a key)"), _storable(v, f"{where}[{k!r}]")) for k, v in value.items()]
        if all(k is k2 and v is v2 for k, v, k2, v2 in items):
            return value                                  # unchanged: keeps a state_dict's _metadata
        return type(value)((k2, v2) for _, _, k2, v2 in items)
    if type(value) in (list, tuple):
        items = [_storable(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return value if all(a is b for a, b in zip(items, value)) else type(value)(items)
    if _reads_back(value):
        return value
    raise TypeError(_refusal(value, where))


_WRITING = set()           # temporary files this process is writing right now
_WRITING_LOCK = threading.Lock()
_TEMP_TAIL = re.compile(r"(?:(\d+)-)?[a-z0-9_]{8}")   # "<pid>-<random>" (or "<random>" before pids)


def _process_gone(pid, age):
    """True when the process that wrote a temporary file has ended (on Windows: the file is old)."""
    if os.name != "posix":
        return age > 3600
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _remove_stale_temp_files(path):
    """Delete ``.NAME.*.tmp`` files of this target that a killed save left behind."""
    prefix = f".{path.name}."
    for entry in os.scandir(path.parent):
        name = entry.name
        match = name.startswith(prefix) and name.endswith(".tmp") and _TEMP_TAIL.fullmatch(name[len(prefix):-4])
        if not match:
            continue
        pid = int(match.group(1)) if match.group(1) else None
        with _WRITING_LOCK:
            if entry.path in _WRITING:
                continue
        try:
            age = time.time() - entry.stat().st_mtime
            if pid is None or pid == os.getpid() or _process_gone(pid, age):
                os.remove(entry.path)
        except OSError:
            pass                                        # gone already, or not ours to delete


# path, model and optimizer are positional-only, so a metadata key may share their names: given by name, they are
# taken from the metadata (_arguments) and checked there by the same rules.
SAVE = dict(path=Optional(CheckpointPath("save_checkpoint")), model=Optional(CheckpointModel("save_checkpoint")),
            optimizer=CheckpointOptimizer("save_checkpoint"),
            metadata=Anything("any names; each value is checked when stored (_storable: what a safe load reads)"))


@declare(**SAVE)
def save_checkpoint(path=None, model=None, optimizer=None, /, **metadata):
    """Write the model's (and optimizer's) state and ``metadata`` to ``path`` atomically.

    The file is written next to ``path`` first and renamed at the end, so a crash
    half-way never leaves a broken checkpoint in place of a good one; temporary files
    that a killed save left behind are removed by the next save. Metadata must be what
    a safe load reads back: NumPy numbers become Python numbers, NumPy arrays tensors,
    paths strings, and anything else (e.g. a ``History``) is refused with a fix. Any name is a
    metadata key, also ``model='resnet'`` after the model itself.

    >>> import tempfile, pathlib; folder = pathlib.Path(tempfile.mkdtemp())
    >>> save_checkpoint(folder / "net.pt", torch.nn.Linear(2, 1), epoch=3, model="linear").name
    'net.pt'
    """
    path, model, optimizer, metadata = _arguments(path, model, optimizer, metadata)
    path, model = SAVE["path"].rule.check(path, "path"), SAVE["model"].rule.check(model, "model")   # also by name
    optimizer = SAVE["optimizer"].check(optimizer, "optimizer")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder. Give save_checkpoint a file name inside it, "
                                f"e.g. {str(path / 'model.pt')!r}.")
    checkpoint = {
        "model_state": _storable(model.state_dict(), "model.state_dict()"),
        "model_class": type(model).__name__,
        "metadata": {key: _storable(value, key) for key, value in metadata.items()},
    }
    if optimizer is not None:
        checkpoint["optimizer_state"] = _storable(optimizer.state_dict(), "optimizer.state_dict()")
        checkpoint["optimizer_class"] = type(optimizer).__name__
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temp_files(path)
        handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp")
    except OSError as error:
        raise type(error)(f"Could not write the checkpoint {path}: {error.strerror or error} (the folder "
                          f"{path.parent} cannot be written to). Nothing was written. Save to a folder you can "
                          "write, e.g. save_checkpoint('checkpoints/model.pt', model).") from None
    with _WRITING_LOCK:
        _WRITING.add(tmp_name)
    try:
        with os.fdopen(handle, "wb") as file:
            torch.save(checkpoint, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp_name, path)
    except BaseException as error:
        if os.path.exists(tmp_name):
            os.remove(tmp_name)
        if isinstance(error, OSError):
            raise OSError(f"Could not write the checkpoint {path}: {error}. Nothing was replaced: an earlier "
                          "checkpoint at that path is unchanged. Free some disk space or save to another "
                          "folder.") from error
        raise
    finally:
        with _WRITING_LOCK:
            _WRITING.discard(tmp_name)
    return path


# ---------------------------------------------------------------- loading

def _read(path):
    """The checkpoint dict, every tensor on the CPU, read with ``weights_only=True``."""
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        found = re.search(r"GLOBAL ([\w.]+)", str(error))
        reason = f" (here: {found.group(1)})" if found else ""
        raise CheckpointError(
            f"{path}: {UNREADABLE.split(' (')[0]}: it holds Python objects other than tensors, numbers, "
            f"strings, lists and dicts{reason}, and the safe loader (weights_only=True) refuses to run them. "
            "If it is a whole pickled model, rebuild the model and load a state_dict instead. Only for a "
            "file you made yourself: torch.load(path, weights_only=False) runs what is inside.") from None
    except PermissionError as error:
        raise PermissionError(f"Cannot read the checkpoint {path}: {error.strerror}. "
                              "Check the file's permissions or copy it somewhere you can read.") from None
    except Exception as error:
        raise CheckpointError(f"{path}: {UNREADABLE} torch.load said: {type(error).__name__}: "
                              f"{str(error).splitlines()[0] if str(error) else 'no details'}. "
                              "Save it again, or load an earlier copy.") from None
    if isinstance(checkpoint, dict) and "model_state" in checkpoint and isinstance(checkpoint["model_state"], dict):
        checkpoint.setdefault("metadata", {})
        return checkpoint
    if isinstance(checkpoint, dict) and checkpoint and all(torch.is_tensor(v) for v in checkpoint.values()):
        raise CheckpointError(
            f"{path}: {UNREADABLE.split(' (')[0]}: it holds a bare state_dict (keys like "
            f"{next(iter(checkpoint))!r}), not save_checkpoint's format (no 'model_state'). Load it with "
            "model.load_state_dict(torch.load(path, weights_only=True)).")
    raise CheckpointError(f"{path}: {UNREADABLE.split(' (')[0]}: it holds a {type(checkpoint).__name__}, "
                          "not the dict with 'model_state' that save_checkpoint writes. Save the model with "
                          "save_checkpoint(path, model) and load that file.")


def _compare(expected, found):
    """Describe missing, unexpected and differently shaped keys between two state dicts."""
    missing = [k for k in expected if k not in found]
    unexpected = [k for k in found if k not in expected]
    shapes = [f"{k}: model {tuple(expected[k].shape)}, checkpoint {tuple(found[k].shape)}"
              for k in expected if k in found and torch.is_tensor(expected[k]) and torch.is_tensor(found[k])
              and expected[k].shape != found[k].shape]
    lines = []
    if missing:
        lines.append(f"missing keys (in the model, not in the checkpoint): {missing}")
    if unexpected:
        lines.append(f"unexpected keys (in the checkpoint, not in the model): {unexpected}")
    if shapes:
        lines.append("different shapes: " + "; ".join(shapes))
    return lines


def _optimizer_problems(checkpoint, model, optimizer):
    """Why the saved optimizer state cannot go into ``optimizer`` (an empty list when it can)."""
    saved = checkpoint["optimizer_state"]
    saved_class = checkpoint.get("optimizer_class")
    if saved_class and saved_class != type(optimizer).__name__:
        return [f"it holds the state of a {saved_class}, but this optimizer is a {type(optimizer).__name__}: "
                f"build a torch.optim.{saved_class}(model.parameters(), ...) and load again"]
    groups = [group["params"] for group in optimizer.param_groups]
    saved_groups = [group["params"] for group in saved.get("param_groups", [])]
    if [len(g) for g in groups] != [len(g) for g in saved_groups]:
        return [f"its parameter groups hold {[len(g) for g in saved_groups]} tensors, this optimizer's "
                f"{[len(g) for g in groups]}: build the optimizer as when you saved it "
                "(same model, same groups), then load again"]
    params = dict(zip((i for g in saved_groups for i in g), (p for g in groups for p in g)))
    for index, state in saved.get("state", {}).items():
        for name, value in state.items():
            param = params.get(index)
            if param is not None and torch.is_tensor(value) and value.ndim and value.shape != param.shape:
                return [f"its {name!r} for parameter #{index} has shape {tuple(value.shape)}, but that "
                        f"parameter has shape {tuple(param.shape)}: was the optimizer built for another model?"]
    model_params = {id(p) for p in model.parameters()}
    if model_params and not any(id(p) in model_params for g in groups for p in g):
        return ["this optimizer holds none of the model's parameters (it was built for another model): "
                f"build it with torch.optim.{type(optimizer).__name__}(model.parameters(), ...)"]
    return []


@declare(path=CheckpointPath("load_checkpoint"), model=CheckpointModel("load_checkpoint"),
         optimizer=CheckpointOptimizer("load_checkpoint"), map_location=Optional(MapLocation()))
def load_checkpoint(path, model, optimizer=None, map_location=None):
    """Load a checkpoint into ``model`` (and ``optimizer``) and return its metadata.

    Loads with ``weights_only=True``, so a file cannot run code. Everything is checked
    before anything changes: a checkpoint of another architecture raises
    ``CheckpointMismatch`` listing the missing, unexpected and differently shaped keys,
    and leaves the model and optimizer as they were. The weights are copied into the
    model where it is (``map_location``, if given, is where they are read to first);
    tensors in the metadata, such as a saved random-number state, always stay on the CPU.

    >>> import tempfile, pathlib; path = pathlib.Path(tempfile.mkdtemp()) / "net.pt"
    >>> _ = save_checkpoint(path, torch.nn.Linear(2, 1), epoch=3)
    >>> load_checkpoint(path, torch.nn.Linear(2, 1))
    {'epoch': 3}
    """
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a checkpoint file. Give the file inside it, "
                                f"e.g. {str(path / 'model.pt')!r}.")
    if not path.exists():
        raise FileNotFoundError(f"No checkpoint at {path}. Save one first with save_checkpoint({str(path)!r}, model).")
    checkpoint = _read(path)
    problems = _compare(model.state_dict(), checkpoint["model_state"])
    if problems:
        raise CheckpointMismatch(
            f"{path} was saved from a {checkpoint.get('model_class')} that does not match this "
            f"{type(model).__name__}:\n  " + "\n  ".join(problems) +
            "\nBuild the model with the same layers and sizes as when you saved it, then load again.")
    if optimizer is not None:
        if "optimizer_state" not in checkpoint:
            raise CheckpointError(
                f"{path} holds no optimizer state: it was saved without an optimizer, so this optimizer cannot "
                "be restored. Load the model alone, load_checkpoint(path, model), and start the optimizer "
                "afresh; to resume training later, save with save_checkpoint(path, model, optimizer).")
        problems = _optimizer_problems(checkpoint, model, optimizer)
        if problems:
            raise CheckpointMismatch(f"{path}: the optimizer state does not fit this optimizer: {problems[0]}. "
                                     "Nothing was loaded; the model and optimizer are unchanged.")
    state = checkpoint["model_state"]
    if map_location is not None:
        state = {k: v.to(map_location) if torch.is_tensor(v) else v for k, v in state.items()}
    before = optimizer.state_dict() if optimizer is not None else None
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer_state"])
    try:
        model.load_state_dict(state)
    except BaseException:
        if optimizer is not None:
            optimizer.load_state_dict(before)       # no partial load
        raise
    return checkpoint["metadata"]
