"""Optimizers racing on 2-D loss surfaces: ``race`` and the ``optimizer_race`` widget."""

import math

import ipywidgets as W
import torch

from dlstudy.contract import Key, Keys, Mapping, Number, Optional, Span, Whole, declare
from dlstudy.demos.base import (
    STYLE, DemoError, Explorer, busy, button, legend_below, log_slider, new_figure, single_threaded,
    slider,
)
from dlstudy.demos.catalog import OPTIMIZERS, SURFACES, Surface
from dlstudy.plots.paths import plot_optimizer_paths

__all__ = ["Surface", "SURFACES", "OPTIMIZERS", "race", "optimizer_race"]

TICKED = ("sgd", "momentum", "adam")   # the widget starts with these three in the race


def _descend(fn, start, make_optimizer, num_steps):
    """The points visited by an optimizer on ``fn(x, y)``; stops early if it flies off to infinity."""
    p = torch.tensor(start, dtype=torch.float32, requires_grad=True)
    optimizer = make_optimizer([p])
    path = [p.detach().clone()]
    for _ in range(num_steps):
        loss = fn(p[0], p[1])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if not torch.isfinite(p).all() or p.detach().abs().max() > 1e3:
            return torch.stack(path), True
        path.append(p.detach().clone())
    return torch.stack(path), False


@declare(surface=Key(SURFACES, "surface"), optimizers=Keys(OPTIMIZERS, "optimizer"),
         lrs=Optional(Mapping(Number(0, 100, example=0.1, low_open=True), "{'sgd': 0.1}", empty=True,
                              keys=Key(OPTIMIZERS, "optimizer"))),
         num_steps=Whole(1, 10 ** 4, example=100), start=Optional(Span((-1.5, 1.0), ordered=False)), error=DemoError)
@single_threaded
def race(surface="bowl", optimizers=tuple(OPTIMIZERS), lrs=None, num_steps=100, start=None):
    """Run each optimizer from the same start on a 2-D loss surface; return paths and losses per step.

    ``optimizers`` are names from ``OPTIMIZERS``; ``lrs`` maps names to learning rates (missing
    ones use the surface's defaults in ``SURFACES[surface].lrs``). Returns a dict: ``"paths"``
    {name: tensor (num_steps + 1, 2), shorter if it diverged}, ``"losses"`` {name: tensor},
    ``"final_loss"`` {name: float}, ``"diverged"`` {name: bool}, ``"lrs"``, ``"surface"``,
    ``"loss_fn"``, ``"x_range"``, ``"y_range"``, ``"start"``.

    >>> r = race("bowl", ["sgd", "adam"], num_steps=100)
    >>> r["paths"]["adam"].shape, r["final_loss"]["adam"] < r["final_loss"]["sgd"]
    (torch.Size([101, 2]), True)
    """
    key, names = surface, optimizers
    surf = SURFACES[key]
    chosen = {**surf.lrs, **(lrs or {})}
    start = surf.start if start is None else tuple(start)
    paths, losses, diverged = {}, {}, {}
    for name in names:
        build = OPTIMIZERS[name].build
        paths[name], diverged[name] = _descend(surf.fn, start, lambda ps: build(ps, chosen[name]), num_steps)
        losses[name] = surf.fn(paths[name][:, 0], paths[name][:, 1])
    return {"paths": paths, "losses": losses, "diverged": diverged,
            "final_loss": {name: (math.inf if diverged[name] else losses[name][-1].item()) for name in names},
            "lrs": {name: chosen[name] for name in names}, "surface": key, "loss_fn": surf.fn,
            "x_range": surf.x_range, "y_range": surf.y_range, "start": start}


def _draw(paths, losses, surf):
    fig, (left, right) = new_figure()
    plot_optimizer_paths(surf.fn, {OPTIMIZERS[n].label: path for n, path in paths.items()}, surf.x_range,
                         surf.y_range, ax=left)
    left.plot(*surf.start, "k*", markersize=12, label="start")
    left.set_title(surf.description, fontsize=9)
    legend_below(left)
    for name, loss in losses.items():
        right.plot(loss, label=OPTIMIZERS[name].label)
    if losses:
        positive = all(float(loss.min()) > 0 for loss in losses.values())
        right.set_yscale("log" if positive else "linear")          # the saddle's loss goes below 0
        legend_below(right)
    right.set(xlabel="step", ylabel="loss", title="loss per step")
    return fig


def optimizer_race():
    """Race optimizers from the same start on a 2-D loss surface; paths and loss per step."""
    surface = W.Dropdown(options=[(s.label, name) for name, s in SURFACES.items()], value="bowl",
                         description="Loss surface", style=STYLE)
    controls, rows = {"surface": surface}, []
    for name, optimizer in OPTIMIZERS.items():
        controls[name] = W.Checkbox(value=name in TICKED, description=optimizer.label, indent=False,
                                    layout=W.Layout(width="110px"))
        controls[f"{name}_lr"] = log_slider("learning rate", SURFACES[surface.value].lrs[name], -4, 0)
        rows.append(W.HBox([controls[name], controls[f"{name}_lr"]]))
    controls["num_steps"] = slider(W.IntSlider, "Steps", 100, 10, 300, 10)
    box = Explorer("OptimizerRace", controls, button("Race"),
                   rows=[W.HBox([surface, controls["num_steps"]]), W.VBox(rows)])

    def new_surface(_=None):
        surf = SURFACES[surface.value]
        for name in OPTIMIZERS:
            controls[f"{name}_lr"].value = surf.lrs[name]
        box.show(_draw({}, {}, surf), "Tick optimizers, set their learning rates, then press <b>Race</b>.")

    last = {"settings": None, "count": 0}

    def run():
        names = [name for name in OPTIMIZERS if controls[name].value]
        if not names:
            raise DemoError("Tick at least one optimizer.")
        result = box.result = race(surface.value, names, {n: controls[f"{n}_lr"].value for n in names},
                                   controls["num_steps"].value)
        ranking = sorted(names, key=lambda n: result["final_loss"][n])
        text = ", ".join(f"{OPTIMIZERS[n].label} "
                         f"{'diverged' if result['diverged'][n] else format(result['final_loss'][n], '.3g')}"
                         for n in ranking)
        fig = _draw(result["paths"], result["losses"], SURFACES[surface.value])
        settings = box.values()
        last["count"] = last["count"] + 1 if settings == last["settings"] else 1
        last["settings"] = settings
        again = (f"Race {last['count']} with the same settings: the same result, because every optimizer starts "
                 "from the same point and nothing in the race is random. Change a learning rate or the steps. "
                 if last["count"] > 1 else "")
        box.show(fig, f"{again}Final loss after {controls['num_steps'].value} steps, best first: <b>{text}</b>")

    surface.observe(new_surface, "value")
    box.button.on_click(lambda _: busy(box, run, "Racing..."))
    new_surface()
    return box
