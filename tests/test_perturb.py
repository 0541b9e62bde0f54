"""The portability run's perturbation (tests/perturb) really changes float32 results, and only slightly."""

import importlib.util
from pathlib import Path

import torch
import torch.nn.functional as F

_spec = importlib.util.spec_from_file_location("perturb", Path(__file__).parent / "perturb" / "perturb.py")
perturb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(perturb)


def test_rounding_changes_the_last_bits_only():
    x = torch.randn(10_000, generator=torch.Generator().manual_seed(0))
    rounded = perturb.round_mantissa(x, drop_bits=4)
    relative = ((rounded - x).abs() / x.abs()).max().item()
    assert 0 < relative <= 2.0 ** -19
    assert (rounded != x).float().mean() > 0.5
    assert torch.equal(perturb.round_mantissa(x.double()), x.double())   # float64 untouched


def test_install_wraps_linear_and_keeps_gradients(monkeypatch):
    for owner, name in perturb.TARGETS:
        monkeypatch.setattr(owner, name, getattr(owner, name))      # restored after the test
    g = torch.Generator().manual_seed(1)
    X, W = torch.randn(64, 32, generator=g), torch.randn(8, 32, generator=g, requires_grad=True)
    exact = F.linear(X, W)
    perturb.install()
    changed = F.linear(X, W)
    assert not torch.equal(changed, exact) and torch.allclose(changed, exact, rtol=1e-5)
    changed.sum().backward()
    assert torch.allclose(W.grad, X.sum(0).expand(8, -1))
    assert not torch.equal(X @ W.T, exact)                              # the @ operator too
