"""Checkpoints: round trip, atomic writes, weights_only loading, wrong-architecture errors."""

import os

import pytest
import torch
from torch import nn

from dlstudy.checkpoint import CheckpointMismatch, load_checkpoint, save_checkpoint


def _net(hidden=8):
    return nn.Sequential(nn.Linear(3, hidden), nn.ReLU(), nn.Linear(hidden, 2))


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


def test_wrong_architecture_lists_keys_and_shapes(tmp_path):
    save_checkpoint(tmp_path / "net.pt", _net(8))
    with pytest.raises(CheckpointMismatch, match=r"different shapes: 0.weight: model \(16, 3\), checkpoint \(8, 3\)"):
        load_checkpoint(tmp_path / "net.pt", _net(16))
    with pytest.raises(CheckpointMismatch, match=r"(?s)missing keys.*'weight'.*unexpected keys.*'0.weight'"):
        load_checkpoint(tmp_path / "net.pt", nn.Linear(3, 2))


def test_failed_write_keeps_the_old_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "net.pt"
    save_checkpoint(path, _net(), epoch=1)

    def broken_save(obj, file):
        file.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(path, _net(), epoch=2)
    monkeypatch.undo()
    assert load_checkpoint(path, _net()) == {"epoch": 1}
    assert os.listdir(tmp_path) == ["net.pt"]


def test_loading_refuses_pickled_code(tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    path = tmp_path / "evil.pt"
    torch.save({"model_state": {}, "metadata": Evil()}, path)
    with pytest.raises(Exception, match="[Ww]eights only load failed|Unsupported global"):
        load_checkpoint(path, nn.Linear(1, 1))


def test_missing_file_and_foreign_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="save_checkpoint"):
        load_checkpoint(tmp_path / "nope.pt", _net())
    torch.save(_net().state_dict(), tmp_path / "bare.pt")
    with pytest.raises(CheckpointMismatch, match="not a dlstudy checkpoint"):
        load_checkpoint(tmp_path / "bare.pt", _net())
