"""Device choice (CUDA, MPS and CPU mocked), DLSTUDY_DEVICE, to_device and set_seed."""

import random

import numpy as np
import pytest
import torch

from dlstudy import device as dev
from dlstudy.device import DeviceError, describe_device, get_device, set_seed, to_device


@pytest.fixture
def machine(monkeypatch):
    """Pretend the machine has the accelerators named in ``machine.set(...)``."""
    monkeypatch.delenv("DLSTUDY_DEVICE", raising=False)

    class Machine:
        def set(self, *kinds, accelerator_api=True):
            monkeypatch.setattr(dev, "_is_available", lambda kind: kind == "cpu" or kind in kinds)
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


def test_to_device_refuses_float64_on_mps():
    with pytest.raises(TypeError, match="MPS has no float64.*float32"):
        to_device(torch.zeros(2, dtype=torch.float64), torch.device("mps"))


def test_set_seed_repeats_python_numpy_and_torch():
    set_seed(3)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    set_seed(3)
    assert first == (random.random(), np.random.rand(), torch.rand(1).item())
