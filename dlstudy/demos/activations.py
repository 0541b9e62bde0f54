"""Activation functions and their derivatives: ``activation_data`` and the ``activation_explorer`` widget."""

import ipywidgets as W
import torch

from dlstudy.contract import Key, Number, Span, Whole, declare
from dlstudy.demos.base import STYLE, DemoError, Explorer, new_figure, slider
from dlstudy.demos.catalog import ACTIVATIONS
from dlstudy.plots.curves import plot_function

__all__ = ["ACTIVATIONS", "activation_fn", "activation_data", "activation_explorer"]


@declare(name=Key(ACTIVATIONS, "activation"), slope=Number(0, 10, example=0.01), error=DemoError)
def activation_fn(name, slope=0.01):
    """The activation ``name`` as a function of a tensor (``slope`` is Leaky ReLU's negative slope).

    >>> activation_fn("leaky_relu", slope=0.1)(torch.tensor([-2.0, 3.0]))
    tensor([-0.2000,  3.0000])
    """
    function = ACTIVATIONS[name].function
    return (lambda x: function(x, slope)) if name == "leaky_relu" else function


@declare(name=Key(ACTIVATIONS, "activation"), slope=Number(0, 10, example=0.01), x_range=Span((-6.0, 6.0)),
         num_points=Whole(2, 10 ** 5, example=601), error=DemoError)
def activation_data(name, slope=0.01, x_range=(-6.0, 6.0), num_points=601):
    """The activation and its derivative (by autograd) on a grid, and where the derivative peaks.

    Returns a dict with ``"x"``, ``"y"``, ``"dy"`` (tensors), ``"max_derivative"``, ``"argmax"``
    (the first x where the derivative is largest), ``"argmax_range"`` (the first and last such x: ReLU's
    slope is largest for every x > 0), ``"name"`` and ``"fn"``.

    >>> round(activation_data("sigmoid")["max_derivative"], 4)
    0.25
    """
    key = name
    fn = activation_fn(key, slope)
    x = torch.linspace(x_range[0], x_range[1], num_points, requires_grad=True)
    y = fn(x)
    (dy,) = torch.autograd.grad(y.sum(), x)   # each y[i] depends only on x[i]
    i = int(dy.argmax())
    top = (dy >= dy[i] - 1e-6 * dy[i].abs()).nonzero().flatten()     # every x where the slope is at its largest
    return {"name": key, "fn": fn, "x": x.detach(), "y": y.detach(), "dy": dy, "max_derivative": dy[i].item(),
            "argmax": x[i].item(), "argmax_range": (x[top[0]].item(), x[top[-1]].item())}


def activation_explorer():
    """Sigmoid, tanh, ReLU or Leaky ReLU with its derivative; the derivative's maximum is marked."""
    controls = {
        "activation": W.Dropdown(options=[(a.label, name) for name, a in ACTIVATIONS.items()], value="sigmoid",
                                 description="Activation", style=STYLE),
        "slope": slider(W.FloatSlider, "Leaky ReLU slope", 0.1, 0.0, 0.5, 0.01, ".2f"),
    }
    box = Explorer("ActivationExplorer", controls)

    def update(_=None):
        name, slope = controls["activation"].value, controls["slope"].value
        controls["slope"].disabled = name != "leaky_relu"
        data = box.result = activation_data(name, slope)
        fig, (ax,) = new_figure(1, 6.5, 3.6)
        plot_function(data["fn"], ax=ax, label=ACTIVATIONS[name].label)
        ax.plot([data["argmax"]], [data["max_derivative"]], "o", color="red",
                label=f"largest slope {data['max_derivative']:.3g}")
        ax.legend(loc="upper left")
        first, last = (round(v, 1) + 0.0 for v in data["argmax_range"])   # 1.3e-07 is 0 (and never -0.0)
        step = (data["x"][1] - data["x"][0]).item()
        if last - first <= 2 * step:                         # one point: sigmoid and tanh at 0
            where = f"at x = {round(data['argmax'], 2) + 0.0:g}"
        elif last >= data["x"][-1].item() - step:            # the whole right side: ReLU, Leaky ReLU
            where = f"for every x > {first:g}"
        else:
            where = f"for every x from {first:g} to {last:g}"
        box.show(fig, f"The derivative is at most <b>{data['max_derivative']:.3g}</b> ({where}). "
                      "Backpropagation multiplies one such factor per layer.")

    for control in controls.values():
        control.observe(update, "value")
    update()
    return box
