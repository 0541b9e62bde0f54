"""A live run's state as the small arrays the browser draws, from one batched forward pass per frame.

``frame_tensors(run)`` evaluates the network once over two fixed grids (the output picture's and the
neurons'), collecting every hidden neuron on the way; ``wire_frame(run)`` packs those tensors as float32
bytes, which the widget sends as binary buffers (no JSON numbers); ``list_frame(run)`` rounds them into
lists for people and tests. ``run`` is a ``LiveRun`` (its ``net``, ``bounds``, ``problem`` and ``history``).
"""

import math

import torch

from dlstudy.demos.common import single_threaded
from dlstudy.demos.live.network import plane

__all__ = ["GRID", "NEURON_GRID", "HISTORY", "grids", "frame_tensors", "wire_frame", "list_frame"]

GRID, NEURON_GRID = 48, 24            # pixels per side of the output picture and of each neuron's picture
HISTORY = 400                         # the loss curve shows the last 400 epochs


def grids(bounds, grid=GRID, neuron_grid=NEURON_GRID):
    """Both grids' points in one (grid² + neuron_grid², 2) tensor: made once per run, used by every frame."""
    return torch.cat([plane(bounds, grid), plane(bounds, neuron_grid)])


@torch.no_grad()
@single_threaded
def frame_tensors(run, grid=GRID, neuron_grid=NEURON_GRID):
    """The run's state as float32 tensors, from one batched forward pass over both grids.

    ``boundary`` (grid * grid, row 0 the top): 2 P(class 1) - 1 in classification, the predicted value in
    regression (both drawn on the scale -1..1); ``neurons``: one (units, neuron_grid²) tensor per hidden
    layer, each neuron scaled to -1..1; ``weights`` (inputs, outputs) and ``biases`` per layer; and the
    structure they belong to (``features``, ``hidden``).
    """
    points = run.grid_points if (grid, neuron_grid) == (GRID, NEURON_GRID) else grids(run.bounds, grid, neuron_grid)
    activations = []
    output = run.net(points, activations)[:grid * grid]
    boundary = output if run.problem == "regression" else torch.sigmoid(output) * 2 - 1
    neurons = [(h / h.abs().amax(dim=0).clamp(min=1e-6)).T for h in (h[grid * grid:] for h in activations)]
    layers = [*run.net.hidden, run.net.out]
    return {"boundary": boundary, "neurons": neurons, "grid": grid, "neuron_grid": neuron_grid,
            "weights": [layer.weight.detach().T for layer in layers], "biases": [layer.bias.detach() for layer in layers],
            "features": list(run.net.features), "hidden": [layer.out_features for layer in run.net.hidden]}


def _bytes(tensors):
    """Tensors flattened into one float32 byte string (the browser reads it as a Float32Array)."""
    flat = [x.reshape(-1) for x in tensors]
    return torch.cat(flat).to(torch.float32).numpy().tobytes() if flat else b""


def wire_frame(run, error=""):
    """The frame the browser draws: arrays as float32 bytes (sent as binary buffers), the rest as JSON."""
    t = frame_tensors(run)
    start = max(0, len(run.history["train_loss"]) - HISTORY)
    history = torch.tensor([run.history["train_loss"][start:], run.history["test_loss"][start:]])
    return {"epoch": run.epoch, "train_loss": run.history["train_loss"][-1], "test_loss": run.history["test_loss"][-1],
            "diverged": run.diverged, "error": error, "problem": run.problem, "grid": t["grid"],
            "neuron_grid": t["neuron_grid"], "features": t["features"], "hidden": t["hidden"],
            "boundary": _bytes([t["boundary"]]), "neurons": _bytes(t["neurons"]), "weights": _bytes(t["weights"]),
            "biases": _bytes(t["biases"]), "train_history": _bytes([history[0]]), "test_history": _bytes([history[1]]),
            "history_start": start}


def list_frame(run, grid=GRID, neuron_grid=NEURON_GRID):
    """The run's state as small rounded lists: boundary, neurons, weights, biases, losses."""
    t = frame_tensors(run, grid, neuron_grid)

    def rounded(x):
        return [round(v, 2) for v in x.reshape(-1).tolist()]

    return {"epoch": run.epoch, "problem": run.problem, "train_loss": run.history["train_loss"][-1],
            "test_loss": run.history["test_loss"][-1],
            "history": {k: [round(v, 4) if math.isfinite(v) else None for v in vals[-HISTORY:]]
                        for k, vals in run.history.items()},
            "boundary": rounded(t["boundary"]), "grid": grid, "neuron_grid": neuron_grid,
            "neurons": [[rounded(n) for n in layer] for layer in t["neurons"]],
            "weights": [[[round(w, 3) for w in row] for row in layer.tolist()] for layer in t["weights"]],
            "biases": [[round(b, 3) for b in layer.tolist()] for layer in t["biases"]],
            "features": t["features"], "hidden": t["hidden"], "diverged": run.diverged}
