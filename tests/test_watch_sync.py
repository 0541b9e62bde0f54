"""dlstudy.watch never makes the accelerator wait while the loop trains: every value it reads from the device is read
in one transfer after the block, however many steps and epochs ran. On CPU the reads are counted: a dispatch mode
sees every operator that needs a device value on the host, and the Tensor methods that copy to the host are wrapped;
a read counts when a dlstudy.watch frame asked for it. On CUDA, torch's sync debug mode turns any sync into an error."""

import sys
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode

from dlstudy.watch import watch

WATCH_FILES = {str(path) for path in (Path(__file__).resolve().parents[1] / "dlstudy").glob("watch*.py")}
# operators whose result a CUDA device must hand to the host (a value, or a shape that depends on values)
SYNC_OPS = {"_local_scalar_dense", "is_nonzero", "equal", "nonzero", "masked_select", "unique_dim", "_unique",
            "_unique2", "unique_consecutive", "bincount", "repeat_interleave", "histc", "allclose"}
HOST_METHODS = ("item", "tolist", "cpu", "numpy", "__bool__", "__float__", "__int__", "__index__")


def _from_watch():
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename in WATCH_FILES:
            return True
        frame = frame.f_back
    return False


class Reads(TorchDispatchMode):
    """Counts device-to-host reads asked for by dlstudy.watch while it is active."""

    def __init__(self, monkeypatch):
        super().__init__()
        self.count, self.what = 0, []
        for name in HOST_METHODS:
            original = getattr(torch.Tensor, name)

            def counted(tensor, *args, _original=original, _name=name, **kwargs):
                if _from_watch():
                    self.count += 1
                    self.what.append(_name)
                return _original(tensor, *args, **kwargs)
            monkeypatch.setattr(torch.Tensor, name, counted)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = func.overloadpacket.__name__
        boolean_index = name in ("index", "index_put", "index_put_") and any(
            isinstance(t, torch.Tensor) and t.dtype == torch.bool for t in (args[1] if len(args) > 1 and
                                                                            isinstance(args[1], (list, tuple)) else []))
        if (name in SYNC_OPS or boolean_index) and _from_watch():
            self.count += 1
            self.what.append(name)
        return func(*args, **(kwargs or {}))


def _data(n, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 6, generator=g)
    return X, (X[:, 0] + X[:, 1] > 0).long() + (X[:, 2] > 1).long()


def _loop(net, optimizer, loss_fn, X, y, num_epochs, batch_size, evaluate=True):
    """A loop that reads nothing itself: the running total stays a tensor, the order is drawn once."""
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(1))
    for _ in range(num_epochs):
        net.train()
        total = torch.zeros(())
        for index in order.split(batch_size):
            loss = loss_fn(net(X[index]), y[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.detach()
        if evaluate:
            net.eval()
            with torch.no_grad():
                loss_fn(net(X[:32]), y[:32])


def _reads(monkeypatch, num_epochs, net_kind="mlp", batch_size=8):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 3))
    if net_kind == "bn":
        net = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 3))
    optimizer, loss_fn = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9), nn.CrossEntropyLoss()
    X, y = _data(128)
    with monkeypatch.context() as patch:
        counter = Reads(patch)
        with counter:
            with watch(net, optimizer, loss_fn, report=False) as w:
                _loop(net, optimizer, loss_fn, X, y, num_epochs, batch_size)
            during, what = counter.count, list(counter.what)
            kinds = [f.kind for f in w.findings]
        after = counter.count - during
    return during, after, kinds, what


@pytest.mark.parametrize("net_kind", ["mlp", "bn"])
def test_nothing_is_read_while_the_loop_runs_and_one_transfer_at_the_end(monkeypatch, net_kind):
    short = _reads(monkeypatch, 2, net_kind)         # 32 steps
    long = _reads(monkeypatch, 9, net_kind)          # 144 steps, 9 evaluations
    assert short[0] == long[0] == 0, (short[3], long[3])
    assert short[1] == long[1] and 1 <= long[1] <= 2, (short[1], long[1])   # .cpu() and .tolist() of one tensor
    assert short[2] == long[2] == []


def test_the_counter_sees_a_read_in_the_watch(monkeypatch):
    """The counter is not blind: a watch that read one value per step would be caught."""
    import dlstudy.watch_probes as probes
    original = probes.Record.input

    def reading_input(self, X):
        original(self, X)
        float(X.sum())                                 # a read, as a careless check would do it
    monkeypatch.setattr(probes.Record, "input", reading_input)
    short, long = _reads(monkeypatch, 1), _reads(monkeypatch, 3)
    assert 0 < short[0] < long[0]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_on_cuda_the_loop_never_synchronises():
    device = torch.device("cuda")
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 3)).to(device)
    optimizer, loss_fn = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9), nn.CrossEntropyLoss()
    X, y = (t.to(device) for t in _data(256))
    _loop(net, optimizer, loss_fn, X, y, 1, 16, evaluate=False)        # warm-up: kernels loaded, state created
    torch.cuda.synchronize()
    with watch(net, optimizer, loss_fn, report=False) as w:
        torch.cuda.set_sync_debug_mode("error")
        try:
            _loop(net, optimizer, loss_fn, X, y, 10, 16, evaluate=False)
        finally:
            torch.cuda.set_sync_debug_mode("default")
    assert w.findings == []
