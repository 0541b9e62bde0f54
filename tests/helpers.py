"""Constants and small builders shared by the unit tests (test modules never import each other)."""

import base64
import tomllib
from pathlib import Path

import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]

PNG = b"\x89PNG"                       # the first bytes of every PNG image
IRIS = "iris MLP 4-16-3, batch 16"     # the benchmark's smallest workload

# what a notebook must not contain (it would fetch from the network)
NETWORK = ("download=True", "urlopen", "urlretrieve", "requests.get", "wget ", "curl ", "http://", "https://")
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Repository"]
COLAB_CELL = f"""\
# On Google Colab: install the course's helper package the first time. Anywhere else this cell does nothing.
import importlib.util
import sys

if "google.colab" in sys.modules and importlib.util.find_spec("dlstudy") is None:
    %pip install --quiet "dlstudy @ git+{REPOSITORY}\""""


def accuracy(y_hat, y):
    """Fraction of rows whose largest score is the label (a metric for ``fit``)."""
    return (y_hat.argmax(1) == y).float().mean()


def small_net(hidden=16):
    """A 2-input, 2-class MLP for the moons and XOR data sets."""
    return nn.Sequential(nn.Linear(2, hidden), nn.Tanh(), nn.Linear(hidden, 2))


def scores_and_target(n=120, seed=0):
    """Binary scores in (0, 1) that separate the classes imperfectly, with their 0/1 targets."""
    g = torch.Generator().manual_seed(seed)
    target = torch.randint(0, 2, (n,), generator=g)
    return torch.sigmoid(2.0 * target - 1.0 + torch.randn(n, generator=g)), target


class NotebookOutputs:
    """What a notebook would store: the outputs shown, by display_id, replaced in place on update."""

    def __init__(self, monkeypatch):
        import IPython.display
        self.shown = []
        monkeypatch.setattr(IPython.display, "display", self.display)
        monkeypatch.setattr(IPython.display, "update_display", self.update)

    def display(self, data, raw=False, metadata=None, display_id=None):
        self.shown.append({"data": data, "metadata": metadata or {}, "id": display_id})

    def update(self, data, raw=False, metadata=None, display_id=None):
        for output in self.shown:
            if output["id"] == display_id:
                output.update(data=data, metadata=metadata or {})

    def png(self, k=-1):
        return base64.b64decode(self.shown[k]["data"]["image/png"])
