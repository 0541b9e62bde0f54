"""Device choice (CUDA, MPS and CPU mocked), DLSTUDY_DEVICE, to_device and set_seed."""

import random

import numpy as np
import pytest
import torch

from dlstudy import device as dev
from dlstudy.device import (DeviceError, available_devices, describe_device, get_device, resolve_device, set_seed,
                            to_device)


@pytest.fixture
def machine(monkeypatch):
    """Pretend the machine has the accelerators named in ``machine.set(...)``."""
    monkeypatch.delenv("DLSTUDY_DEVICE", raising=False)

    class Machine:
        def set(self, *kinds, accelerator_api=True, num_gpus=1):
            monkeypatch.setattr(dev, "_is_available", lambda kind: kind == "cpu" or kind in kinds)
            monkeypatch.setattr(torch.cuda, "device_count", lambda: num_gpus if "cuda" in kinds else 0)
            if accelerator_api:
                found = next((k for k in ("cuda", "mps") if k in kinds), None)

                class Accelerator:
                    @staticmethod
                    def is_available():
                        return found is not None

                    @staticmethod
                    def current_accelerator():
                        return torch.device(found) if found else None

                monkeypatch.setattr(torch, "accelerator", Accelerator, raising=False)
            else:
                monkeypatch.delattr(torch, "accelerator", raising=False)

    return Machine()


@pytest.mark.parametrize("api", [True, False])
def test_prefers_cuda_then_mps_then_cpu(machine, api):
    machine.set("cuda", "mps", accelerator_api=api)
    assert get_device().type == "cuda"
    machine.set("mps", accelerator_api=api)
    assert get_device().type == "mps"
    machine.set(accelerator_api=api)
    assert get_device().type == "cpu"
    assert "no CUDA or MPS" in describe_device()


def test_environment_variable_forces_a_device(machine, monkeypatch):
    machine.set("cuda")
    monkeypatch.setenv("DLSTUDY_DEVICE", "cpu")
    assert get_device() == torch.device("cpu")
    assert "DLSTUDY_DEVICE=cpu" in describe_device()


def test_asking_for_a_missing_device_is_a_clear_error(machine, monkeypatch):
    machine.set()
    monkeypatch.setenv("DLSTUDY_DEVICE", "cuda")
    with pytest.raises(DeviceError, match="asks for CUDA, but this machine has none.*DLSTUDY_DEVICE=cpu"):
        get_device()
    monkeypatch.setenv("DLSTUDY_DEVICE", "gpu")
    with pytest.raises(DeviceError, match="not a device name"):
        get_device()


def test_mps_description_mentions_float32(machine):
    machine.set("mps")
    assert "float64" in describe_device()


def test_to_device_moves_nested_containers():
    batch = {"X": torch.ones(2), "pair": (torch.zeros(1), [torch.arange(3)]), "name": "keep"}
    moved = to_device(batch, "cpu")
    assert moved["name"] == "keep" and isinstance(moved["pair"], tuple)
    assert torch.equal(moved["pair"][1][0], torch.arange(3))


def test_to_device_refuses_float64_on_mps(monkeypatch):
    monkeypatch.setattr(dev, "_is_available", lambda kind: True)     # as on a Mac, before any move
    with pytest.raises(TypeError, match="MPS has no float64.*float32"):
        to_device(torch.zeros(2, dtype=torch.float64), torch.device("mps"))


def test_set_seed_repeats_python_numpy_and_torch():
    set_seed(3)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    set_seed(3)
    assert first == (random.random(), np.random.rand(), torch.rand(1).item())


def test_available_devices_lists_every_gpu(machine):
    machine.set("cuda", num_gpus=2)
    assert available_devices() == ["cpu", "cuda:0", "cuda:1"]
    machine.set("mps")
    assert available_devices() == ["cpu", "mps"]


@pytest.mark.parametrize("value, words", [
    ("cuda:5", r"asks for CUDA device 5, but this machine has 1 CUDA device \(numbered from 0\)\. "
               r"This machine has: cpu, cuda:0\. Use DLSTUDY_DEVICE=cpu"),
    ("cuda:1", r"asks for CUDA device 1.*has 1 CUDA device"),
    ("cuda:abc", r"device number after 'cuda:' must be a whole number, 0 or more; got 'abc'.*cpu, cuda:0"),
    ("cuda:-1", r"must be a whole number, 0 or more; got '-1'"),
    ("cuda:1.5", r"must be a whole number, 0 or more; got '1.5'"),
    ("gpu", r"not a device name.*For a GPU write 'cuda' \(NVIDIA\) or 'mps' \(Apple\).*cpu, cuda:0"),
])
def test_environment_variable_with_a_device_this_machine_lacks(machine, monkeypatch, value, words):
    machine.set("cuda", num_gpus=1)
    monkeypatch.setenv("DLSTUDY_DEVICE", value)
    with pytest.raises(DeviceError, match=words):
        get_device()


def test_environment_variable_with_a_valid_index(machine, monkeypatch):
    machine.set("cuda", num_gpus=2)
    monkeypatch.setenv("DLSTUDY_DEVICE", " CUDA:1 ")
    assert get_device() == torch.device("cuda", 1)


@pytest.mark.parametrize("value, words", [
    ("gpu", r"device='gpu' is not a device name.*'cuda' \(NVIDIA\).*This machine has: cpu\. Pass one of those"),
    ("cuda", r"device='cuda' asks for CUDA, but this machine has none\. This machine has: cpu\."),
    ("mps:1", r"asks for MPS"),
    (1.0, r"device must be a device name such as 'cpu'.*got float"),
])
def test_resolve_device_lists_what_exists(machine, value, words):
    machine.set()
    with pytest.raises(DeviceError, match=words):
        resolve_device(value)


def test_resolve_device_accepts_names_devices_and_none(machine):
    machine.set("cuda", num_gpus=2)
    assert resolve_device("cuda:1") == torch.device("cuda", 1)
    assert resolve_device(torch.device("cpu")) == torch.device("cpu")
    assert resolve_device(0) == torch.device("cuda", 0)
    assert resolve_device(None) == torch.device("cuda")
    with pytest.raises(DeviceError, match="asks for CUDA device 2, but this machine has 2 CUDA devices"):
        resolve_device(torch.device("cuda", 2))
    machine.set("mps")
    with pytest.raises(DeviceError, match="asks for MPS device 1, but this machine has 1 MPS device"):
        resolve_device("mps:1")


@pytest.mark.parametrize("seed", [-1, 2 ** 32, 1.5, "42", None, True])
def test_set_seed_refuses_what_numpy_or_torch_would_reject(seed):
    with pytest.raises(ValueError, match=r"set_seed expects a whole number from 0 to 2\*\*32 - 1"):
        set_seed(seed)
