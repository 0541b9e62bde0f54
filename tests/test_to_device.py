"""``to_device`` moves every tensor of a batch, whatever container holds it, and keeps the container's type."""

from collections import namedtuple

import torch

from dlstudy.device import to_device

Batch = namedtuple("Batch", "X y")


def test_namedtuple_batches_move_and_stay_namedtuples():
    batch = Batch(torch.ones(2, 3, dtype=torch.float64), [torch.zeros(2), {"mask": torch.ones(2)}])
    moved = to_device(batch, torch.device("meta"))                      # 'meta' stands in for a GPU: a real move, no data
    assert type(moved) is Batch and moved._fields == ("X", "y")
    assert moved.X.device.type == "meta" and moved.X.shape == (2, 3) and moved.X.dtype == torch.float64
    assert moved.y[0].device.type == "meta" and moved.y[1]["mask"].device.type == "meta"
    assert batch.X.device.type == "cpu"                    # the caller's batch is left where it was


def test_plain_tuples_lists_and_other_values():
    moved = to_device((torch.ones(1), [torch.ones(1), "label", 3]), torch.device("meta"))
    assert type(moved) is tuple and type(moved[1]) is list
    assert moved[0].device.type == "meta" and moved[1][0].device.type == "meta" and moved[1][1:] == ["label", 3]
