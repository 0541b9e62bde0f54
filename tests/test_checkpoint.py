"""Checkpoints: round trip, atomic writes, safe loading, what save refuses, no partial load."""

import os
import signal
from collections import namedtuple
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from dlstudy.checkpoint import CheckpointError, CheckpointMismatch, load_checkpoint, save_checkpoint

Pair = namedtuple("Pair", "a b")


def _net(hidden=8):
    return nn.Sequential(nn.Linear(3, hidden), nn.ReLU(), nn.Linear(hidden, 2))


def _weights(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


def _same(model, weights):
    return all(torch.equal(v, weights[k]) for k, v in model.state_dict().items())


def test_round_trip_gives_identical_predictions(tmp_path):
    torch.manual_seed(0)
    net, X = _net(), torch.randn(5, 3)
    opt = torch.optim.Adam(net.parameters())
    net(X).sum().backward()
    opt.step()
    save_checkpoint(tmp_path / "net.pt", net, opt, epoch=7, note="best")
    other = _net()
    other_opt = torch.optim.Adam(other.parameters())
    meta = load_checkpoint(tmp_path / "net.pt", other, other_opt)
    assert meta == {"epoch": 7, "note": "best"}
    assert torch.equal(net(X), other(X))
    assert other_opt.state_dict()["state"][0]["step"] == 1


def test_wrong_architecture_lists_keys_and_shapes_and_changes_nothing(tmp_path):
    save_checkpoint(tmp_path / "net.pt", _net(8))
    wider = _net(16)
    before = _weights(wider)
    with pytest.raises(CheckpointMismatch, match=r"different shapes: 0.weight: model \(16, 3\), checkpoint \(8, 3\)"):
        load_checkpoint(tmp_path / "net.pt", wider)
    assert _same(wider, before)
    with pytest.raises(CheckpointMismatch, match=r"(?s)missing keys.*'weight'.*unexpected keys.*'0.weight'"):
        load_checkpoint(tmp_path / "net.pt", nn.Linear(3, 2))


def test_failed_write_keeps_the_old_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "net.pt"
    save_checkpoint(path, _net(), epoch=1)

    def broken_save(obj, file):
        file.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", broken_save)
    with pytest.raises(OSError, match="disk full.*earlier checkpoint at that path is unchanged"):
        save_checkpoint(path, _net(), epoch=2)
    monkeypatch.undo()
    assert load_checkpoint(path, _net()) == {"epoch": 1}
    assert os.listdir(tmp_path) == ["net.pt"]


def test_loading_refuses_pickled_code(tmp_path):
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "evil.pt"
    torch.save({"model_state": {}, "metadata": Evil()}, path)
    with pytest.raises(CheckpointError, match=r"(?s)evil.pt.*not a readable dlstudy checkpoint.*weights_only=True"):
        load_checkpoint(path, nn.Linear(1, 1))
    assert not marker.exists()                      # no code ran


def test_missing_file_bare_state_dict_and_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="save_checkpoint"):
        load_checkpoint(tmp_path / "nope.pt", _net())
    torch.save(_net().state_dict(), tmp_path / "bare.pt")
    with pytest.raises(CheckpointError, match=r"bare state_dict.*model.load_state_dict\(torch.load"):
        load_checkpoint(tmp_path / "bare.pt", _net())
    with pytest.raises(IsADirectoryError, match="is a folder"):
        load_checkpoint(tmp_path, _net())
    with pytest.raises(IsADirectoryError, match="is a folder"):
        save_checkpoint(tmp_path, _net())


@pytest.mark.parametrize("content", ["empty", "truncated", "text", "numpy", "tensor"])
def test_unreadable_files_are_named(tmp_path, content):
    good = tmp_path / "good.pt"
    save_checkpoint(good, _net(), epoch=1)
    raw = good.read_bytes()
    path = tmp_path / "broken.pt"
    if content == "numpy":
        np.save(tmp_path / "a.npy", np.ones(3))
        path.write_bytes((tmp_path / "a.npy").read_bytes())
    elif content == "tensor":
        torch.save(torch.ones(3), path)
    else:
        path.write_bytes({"empty": b"", "truncated": raw[: len(raw) // 2], "text": b"hello"}[content])
    net = _net()
    before = _weights(net)
    with pytest.raises(CheckpointError, match="broken.pt: this file is not a readable dlstudy checkpoint"):
        load_checkpoint(path, net)
    assert _same(net, before)


def test_unreadable_file_message_says_truncated_or_corrupted(tmp_path):
    (tmp_path / "cut.pt").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(CheckpointError, match=r"cut.pt: this file is not a readable dlstudy checkpoint "
                                              r"\(truncated or corrupted\?\)"):
        load_checkpoint(tmp_path / "cut.pt", _net())


def test_numpy_numbers_arrays_and_paths_are_converted_so_the_file_loads(tmp_path):
    path = tmp_path / "net.pt"
    save_checkpoint(path, _net(), val_acc=np.float64(0.9), loss=np.float32(0.25), epoch=np.int64(3),
                    best=np.bool_(True), scores=np.array([0.5, 0.75]), folder=tmp_path,
                    nested={"lr": [np.float64(0.1), (np.int32(2), Path("a/b"))]}, names=np.array(["a", "b"]))
    meta = load_checkpoint(path, _net())
    assert meta["val_acc"] == 0.9 and type(meta["val_acc"]) is float
    assert meta["loss"] == 0.25 and meta["epoch"] == 3 and type(meta["epoch"]) is int and meta["best"] is True
    assert torch.equal(meta["scores"], torch.tensor([0.5, 0.75], dtype=torch.float64))
    assert meta["folder"] == str(tmp_path) and meta["names"] == ["a", "b"]
    assert meta["nested"] == {"lr": [0.1, (2, str(Path("a/b")))]}


def test_numpy_learning_rate_in_the_optimizer_is_converted(tmp_path):
    net = _net()
    opt = torch.optim.SGD(net.parameters(), lr=np.float64(0.1))
    save_checkpoint(tmp_path / "net.pt", net, opt)
    other = _net()
    other_opt = torch.optim.SGD(other.parameters(), lr=0.5)
    load_checkpoint(tmp_path / "net.pt", other, other_opt)
    assert other_opt.param_groups[0]["lr"] == 0.1


class History:                                   # stands in for dlstudy.train.History
    def __init__(self):
        self.records = [{"epoch": 1, "train_loss": 0.5}]


@pytest.mark.parametrize("value, words", [
    (History(), r"history, a History.*history=history.records"),
    (Pair(1, 2), r"history, a Pair.*_asdict\(\)"),
    (lambda x: x, r"history, a function.*str\(value\)"),
    ({"inner": [1, History()]}, r"history\['inner'\]\[1\], a History"),
])
def test_what_a_safe_load_cannot_read_is_refused_and_nothing_is_written(tmp_path, value, words):
    path = tmp_path / "net.pt"
    save_checkpoint(path, _net(), epoch=1)
    with pytest.raises(TypeError, match=r"(?s)save_checkpoint cannot store " + words):
        save_checkpoint(path, _net(), epoch=2, history=value)
    assert load_checkpoint(path, _net()) == {"epoch": 1}        # the old checkpoint is intact
    assert os.listdir(tmp_path) == ["net.pt"]


def test_optimizer_with_other_param_groups_changes_nothing(tmp_path):
    net = _net()
    save_checkpoint(tmp_path / "net.pt", net, torch.optim.SGD(net.parameters(), lr=0.1))
    target = _net()
    before = _weights(target)
    params = list(target.parameters())
    opt = torch.optim.SGD([{"params": params[:2]}, {"params": params[2:], "lr": 0.01}], lr=0.1)
    with pytest.raises(CheckpointMismatch, match=r"parameter groups hold \[4\] tensors.*\[2, 2\].*Nothing was loaded"):
        load_checkpoint(tmp_path / "net.pt", target, opt)
    assert _same(target, before)                         # no partial load
    assert opt.param_groups[1]["lr"] == 0.01


def test_optimizer_of_another_kind_or_model_is_refused(tmp_path):
    net = _net()
    save_checkpoint(tmp_path / "net.pt", net, torch.optim.Adam(net.parameters()))
    target = _net()
    before = _weights(target)
    with pytest.raises(CheckpointMismatch, match=r"state of a Adam, but this optimizer is a SGD.*torch.optim.Adam"):
        load_checkpoint(tmp_path / "net.pt", target, torch.optim.SGD(target.parameters(), lr=0.1))
    with pytest.raises(CheckpointMismatch, match="none of the model's parameters.*another model"):
        load_checkpoint(tmp_path / "net.pt", target, torch.optim.Adam(_net().parameters()))
    net(torch.randn(4, 3)).sum().backward()
    opt = torch.optim.Adam(net.parameters())
    opt.step()
    save_checkpoint(tmp_path / "net.pt", net, opt)
    reversed_opt = torch.optim.Adam(list(target.parameters())[::-1])
    with pytest.raises(CheckpointMismatch, match=r"'exp_avg' for parameter #0 has shape \(8, 3\), but that "
                                                 r"parameter has shape \(2,\)"):
        load_checkpoint(tmp_path / "net.pt", target, reversed_opt)
    assert _same(target, before)


def test_optimizer_requested_from_a_checkpoint_without_one(tmp_path):
    save_checkpoint(tmp_path / "net.pt", _net(), epoch=1)
    target = _net()
    before = _weights(target)
    with pytest.raises(CheckpointError, match=r"holds no optimizer state.*save_checkpoint\(path, model, optimizer\)"):
        load_checkpoint(tmp_path / "net.pt", target, torch.optim.SGD(target.parameters(), lr=0.1))
    assert _same(target, before)


@pytest.mark.filterwarnings("ignore:for .*copying from a non-meta parameter")
def test_metadata_tensors_stay_on_the_cpu_whatever_the_device(tmp_path):
    """Issue 13 item 5: torch.set_rng_state(meta["rng"]) must work after loading onto a GPU.

    The meta device stands in for a GPU: it is not the CPU, and set_rng_state refuses its tensors.
    """
    path = tmp_path / "net.pt"
    state = torch.get_rng_state()
    save_checkpoint(path, _net(), rng=state, extra={"t": torch.ones(2)})
    for model, where in [(_net().to("meta"), "meta"), (_net().to("meta"), None), (_net(), None)]:
        meta = load_checkpoint(path, model, map_location=where)
        assert meta["rng"].device.type == "cpu" and meta["extra"]["t"].device.type == "cpu"
        torch.set_rng_state(meta["rng"])
        assert torch.equal(torch.get_rng_state(), state)


def test_map_location_moves_only_the_weights(tmp_path):
    path = tmp_path / "net.pt"
    save_checkpoint(path, _net(), rng=torch.get_rng_state())
    model = _net()
    meta = load_checkpoint(path, model, map_location="cpu")
    assert meta["rng"].device.type == "cpu"
    with pytest.raises(ValueError, match="map_location must be a device such as 'cpu'.*got 'gpu'"):
        load_checkpoint(path, model, map_location="gpu")


def test_argument_mistakes_are_named(tmp_path):
    net = _net()
    with pytest.raises(TypeError, match=r"takes the file path first.*Swap the two arguments"):
        save_checkpoint(net, tmp_path / "net.pt")
    with pytest.raises(TypeError, match=r"got the class Sequential itself.*Sequential\(...\)"):
        save_checkpoint(tmp_path / "net.pt", nn.Sequential)
    with pytest.raises(TypeError, match=r"an optimizer such as torch.optim.SGD.*got str"):
        save_checkpoint(tmp_path / "net.pt", net, "adam")
    with pytest.raises(TypeError, match=r"the model \(an nn.Module\).*got a OrderedDict \(a state_dict\?\)"):
        load_checkpoint(tmp_path / "net.pt", net.state_dict())
    assert os.listdir(tmp_path) == []


def test_stale_temp_files_of_the_same_target_are_removed(tmp_path):
    path = tmp_path / "net.pt"
    dead = 2 ** 22 + 12345                                  # above Linux's default pid_max: no such process
    stale = [f".net.pt.{dead}-abcdefgh.tmp", ".net.pt.abc_1234.tmp", f".net.pt.{os.getpid()}-zzzzzzzz.tmp"]
    kept = [f".net.pt.{os.getppid()}-abcdefgh.tmp",          # a live process may still be writing it
            f".other.pt.{dead}-abcdefgh.tmp", ".net.pt.notes.txt", "net.pt.tmp"]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"x" * 100)
    save_checkpoint(path, _net())
    left = sorted(os.listdir(tmp_path))
    if os.name == "posix":
        assert left == sorted(kept + ["net.pt"])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_save_killed_half_way_leaves_a_temp_file_that_the_next_save_removes(tmp_path):
    path = tmp_path / "net.pt"
    save_checkpoint(path, _net(), epoch=1)
    pid = os.fork()
    if pid == 0:                                            # the child: killed while writing
        try:
            def dying_save(obj, file):
                file.write(b"half a checkpoint")
                file.flush()
                os.kill(os.getpid(), signal.SIGKILL)

            torch.save = dying_save
            save_checkpoint(path, _net(), epoch=2)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert len(os.listdir(tmp_path)) == 2                   # net.pt and the killed save's temp file
    assert load_checkpoint(path, _net()) == {"epoch": 1}    # the old checkpoint survived the kill
    save_checkpoint(path, _net(), epoch=3)
    assert os.listdir(tmp_path) == ["net.pt"]


def test_a_failure_while_loading_the_model_rolls_the_optimizer_back(tmp_path, monkeypatch):
    net = _net()
    save_checkpoint(tmp_path / "net.pt", net, torch.optim.SGD(net.parameters(), lr=0.1))
    target = _net()
    opt = torch.optim.SGD(target.parameters(), lr=0.5)

    def fails(state):
        raise RuntimeError("a load hook failed")

    monkeypatch.setattr(target, "load_state_dict", fails)
    with pytest.raises(RuntimeError, match="a load hook failed"):
        load_checkpoint(tmp_path / "net.pt", target, opt)
    assert opt.param_groups[0]["lr"] == 0.5


def test_two_threads_saving_the_same_file_do_not_delete_each_others_temp_file(tmp_path, monkeypatch):
    import threading
    path, real_save = tmp_path / "net.pt", torch.save
    started, release = threading.Event(), threading.Event()

    def slow_save(obj, file):
        if obj["metadata"].get("slow"):
            started.set()
            release.wait(10)
        real_save(obj, file)

    monkeypatch.setattr(torch, "save", slow_save)
    errors = []
    slow = threading.Thread(target=lambda: errors.extend(_try(lambda: save_checkpoint(path, _net(), slow=1))))
    slow.start()
    assert started.wait(10)
    save_checkpoint(path, _net(), fast=1)                 # must not remove the slow save's temp file
    release.set()
    slow.join(10)
    assert errors == [] and load_checkpoint(path, _net()) == {"slow": 1}


def _try(call):
    try:
        call()
    except Exception as error:      # noqa: BLE001 - reported to the test
        return [error]
    return []
