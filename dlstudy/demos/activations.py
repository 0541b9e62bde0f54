"""Activation functions and their derivatives: ``activation_data`` and the ``activation_explorer`` widget."""

import ipywidgets as W
import torch

from dlstudy.contract import Number, Span, declare
from dlstudy.demos.base import STYLE, DemoError, Explorer, choose, new_figure, slider, whole
from dlstudy.demos.catalog import ACTIVATIONS
from dlstudy.plots.curves import plot_function

__all__ = ["ACTIVATIONS", "activation_fn", "activation_data", "activation_explorer"]


@declare(slope=Number(0, example=0.01), error=DemoError)
def activation_fn(name, slope=0.01):
    """The activation ``name`` as a function of a tensor (``slope`` is Leaky ReLU's negative slope).

    >>> activation_fn("leaky_relu", slope=0.1)(torch.tensor([-2.0, 3.0]))
    tensor([-0.2000,  3.0000])
    """
    name = choose(name, ACTIVATIONS, "activation")
    function = ACTIVATIONS[name].function
    return (lambda x: function(x, slope)) if name == "leaky_relu" else function


@declare(slope=Number(0, example=0.01), x_range=Span((-6.0, 6.0)), error=DemoError)
def activation_data(name, slope=0.01, x_range=(-6.0, 6.0), num_points=601):
    """The activation and its derivative (by autograd) on a grid, and where the derivative peaks.

    Returns a dict with ``"x"``, ``"y"``, ``"dy"`` (tensors), ``"max_derivative"``, ``"argmax"``
    (the x where the derivative is largest), ``"name"`` and ``"fn"``.

    >>> round(activation_data("sigmoid")["max_derivative"], 4)
    0.25
    """
    key = choose(name, ACTIVATIONS, "activation")
    whole(num_points, "num_points", 2, 601)
    fn = activation_fn(key, slope)
    x = torch.linspace(x_range[0], x_range[1], num_points, requires_grad=True)
    y = fn(x)
    (dy,) = torch.autograd.grad(y.sum(), x)   # each y[i] depends only on x[i]
    i = int(dy.argmax())
    return {"name": key, "fn": fn, "x": x.detach(), "y": y.detach(), "dy": dy, "max_derivative": dy[i].item(),
            "argmax": x[i].item()}


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
        at = round(data["argmax"], 2) + 0.0                  # the grid's 1.3e-07 is x = 0 (and never -0.0)
        box.show(fig, f"The derivative is at most <b>{data['max_derivative']:.3g}</b> (at x = "
                      f"{at:g}). Backpropagation multiplies one such factor per layer.")

    for control in controls.values():
        control.observe(update, "value")
    update()
    return box
