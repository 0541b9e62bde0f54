"""``TensorLoader``: batches of in-memory tensors, drawn like a ``DataLoader`` but without per-sample indexing."""

import math

import torch

from dlstudy.contract import ArgumentValueError, Converted, Flag, Instance, Optional, Samples, Whole, declare
from dlstudy.device import resolve_device

__all__ = ["TensorLoader"]


class TensorLoader:
    """Batches of in-memory tensors by slicing a random permutation; iterates like a DataLoader.

    It draws random numbers exactly as ``DataLoader(TensorDataset(X, y), shuffle=True)``
    does, so both give the same batches for the same seed, without per-sample indexing:
    each epoch it shuffles the whole data set once, then yields slices of it (views).
    NumPy arrays are accepted (floats become float32, integers int64).

    >>> loader = TensorLoader(torch.arange(10.0), torch.arange(10), batch_size=4)
    >>> [len(yb) for Xb, yb in loader]
    [4, 4, 2]
    """

    @declare(X=Samples(), y=Samples(), batch_size=Whole(1, example=32), shuffle=Flag(), drop_last=Flag(),
             device=Optional(Converted(resolve_device, "a device this machine has, such as 'cpu'")),
             generator=Optional(Instance(torch.Generator, "a torch.Generator", "torch.Generator().manual_seed(0)")))
    def __init__(self, X, y, batch_size=32, shuffle=True, drop_last=False, device=None, generator=None):
        if len(X) != len(y):
            raise ArgumentValueError(f"X and y must have the same length; got {len(X)} samples in X and {len(y)} in y.")
        if len(X) == 0:
            raise ArgumentValueError("X and y are empty: expected at least one sample.")
        if device is not None:                          # resolve_device checked it ('gpu': DeviceError)
            X, y = X.to(device), y.to(device)
        self.X, self.y = X, y
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.generator = generator
        self._epoch_generator = torch.Generator()  # re-seeded every epoch, as RandomSampler seeds a new one

    def to(self, device):
        """A loader over the same data on ``device`` (the data is moved once)."""
        return TensorLoader(self.X, self.y, self.batch_size, self.shuffle, self.drop_last, device, self.generator)

    def __len__(self):
        n = len(self.X)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self):
        # DataLoader draws one base seed per epoch (for workers), then RandomSampler draws its own seed.
        torch.empty((), dtype=torch.int64).random_(generator=self.generator)
        if not self.shuffle:
            return None
        if self.generator is None:
            g = self._epoch_generator.manual_seed(int(torch.empty((), dtype=torch.int64).random_().item()))
        else:
            g = self.generator
        return torch.randperm(len(self.X), generator=g).to(self.X.device)

    def __iter__(self):
        order = self._order()
        X, y = (self.X, self.y) if order is None else (self.X[order], self.y[order])  # one shuffle per epoch
        stop = len(X) - len(X) % self.batch_size if self.drop_last else len(X)
        if stop == 0:                                   # drop_last and fewer samples than one batch: no batches
            return
        yield from zip(X[:stop].split(self.batch_size), y[:stop].split(self.batch_size))
        if self.shuffle and self.generator is not None:
            torch.randperm(len(self.X), generator=self.generator)  # RandomSampler draws once more at the end


