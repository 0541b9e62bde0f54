"""The course never reaches the network: a guard blocks it, and everything still works."""

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import conftest
from dlstudy import data
from helpers import COLAB_CELL, NETWORK

ROOT = Path(__file__).resolve().parents[1]
guard = conftest.netguard


def test_guard_blocks_outside_addresses_before_anything_is_sent(monkeypatch):
    sent = []
    monkeypatch.setattr(guard, "_real_connect", lambda sock, address: sent.append(address))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(guard.NetworkBlocked, match="offline"):
            sock.connect(("192.0.2.1", 80))          # TEST-NET-1: documentation-only address
        sock.connect(("127.0.0.1", 9))                # loopback is allowed through
    assert sent == [("127.0.0.1", 9)]
    with pytest.raises(guard.NetworkBlocked, match="name lookup"):
        socket.getaddrinfo("example.org", 443)


def test_guard_is_active_in_child_processes_such_as_notebook_kernels():
    code = "import socket; print(socket.socket.connect.__name__, socket.getaddrinfo.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["guarded_connect", "guarded_getaddrinfo"]


def test_every_data_set_loads_with_the_network_blocked():
    assert socket.socket.connect.__name__ == "guarded_connect"
    for load in (data.load_iris, data.load_breast_cancer, data.load_digits, data.load_diabetes,
                 data.make_moons, data.make_circles, data.make_xor, data.make_spiral,
                 data.make_linear, data.make_polynomial):
        assert len(load()) > 0


def test_sample_images_ship_with_scikit_learn():
    from sklearn.datasets import load_sample_image
    assert load_sample_image("china.jpg").shape == (427, 640, 3)


def test_no_notebook_downloads_anything():
    for path in ROOT.glob("notebooks/**/*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        def uncommented(text):
            return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        # the Colab-only install cell, which does nothing here (its comment is translated in notebooks/ko)
        code = "\n".join(uncommented("".join(c["source"])) for c in cells if c["cell_type"] == "code")
        code = code.replace(uncommented(COLAB_CELL), "")
        for word in NETWORK:
            assert word not in code, f"{path.name} fetches from the network ({word})"
