"""The demos' tables, one per catalog, read by the experiment functions and the widgets alike.

A name appears in one table only, in one order: add an activation, an optimizer or a loss
surface here, and every function and dropdown that lists them gets it.
"""

from collections import namedtuple

import torch
from torch import nn

from dlstudy.contract import Key, Number, Whole, declare
from dlstudy.data.sets import make_circles, make_moons, make_spiral, make_xor
from dlstudy.demos.base import DemoError
from dlstudy.plots.common import CLASS_COLORS

__all__ = ["Activation", "ACTIVATIONS", "Optimizer", "OPTIMIZERS", "Surface", "SURFACES", "CLASS_COLORS", "Dataset",
           "DATASETS", "playground_data"]

# label: for people; function: of a tensor (Leaky ReLU's also takes the slope); module: the layer class
Activation = namedtuple("Activation", "label function module")

ACTIVATIONS = {
    "sigmoid": Activation("Sigmoid", torch.sigmoid, nn.Sigmoid),
    "tanh": Activation("Tanh", torch.tanh, nn.Tanh),
    "relu": Activation("ReLU", torch.relu, nn.ReLU),
    "leaky_relu": Activation("Leaky ReLU", nn.functional.leaky_relu, nn.LeakyReLU),
}

Optimizer = namedtuple("Optimizer", "label build")   # build(params, lr) -> a torch.optim optimizer

OPTIMIZERS = {
    "sgd": Optimizer("SGD", lambda params, lr: torch.optim.SGD(params, lr=lr)),
    "momentum": Optimizer("Momentum", lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9)),
    "nesterov": Optimizer("Nesterov", lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True)),
    "adagrad": Optimizer("Adagrad", lambda params, lr: torch.optim.Adagrad(params, lr=lr)),
    "rmsprop": Optimizer("RMSProp", lambda params, lr: torch.optim.RMSprop(params, lr=lr, alpha=0.9)),
    "adam": Optimizer("Adam", lambda params, lr: torch.optim.Adam(params, lr=lr)),
}

Surface = namedtuple("Surface", "fn start x_range y_range lrs description label")

SURFACES = {
    "bowl": Surface(lambda x, y: 0.1 * x ** 2 + 2 * y ** 2, (-1.8, 1.0), (-2, 2), (-1.5, 1.5),
                    dict(sgd=0.1, momentum=0.1, nesterov=0.1, adagrad=0.5, rmsprop=0.05, adam=0.1),
                    "ill-conditioned bowl 0.1x² + 2y²: steep across, flat along", "Ill-conditioned bowl"),
    "rosenbrock": Surface(lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2, (-1.5, 2.0), (-2, 2), (-1, 3),
                          dict(sgd=1e-3, momentum=1e-3, nesterov=1e-3, adagrad=0.5, rmsprop=0.02, adam=0.1),
                          "Rosenbrock (1-x)² + 100(y-x²)²: a curved valley, minimum at (1, 1)", "Rosenbrock valley"),
    "saddle": Surface(lambda x, y: x ** 2 + 0.25 * y ** 4 - 0.5 * y ** 2, (-1.5, 1e-3), (-2, 2), (-1.5, 1.5),
                      dict(sgd=0.05, momentum=0.05, nesterov=0.05, adagrad=0.5, rmsprop=0.05, adam=0.1),
                      "saddle x² + y⁴/4 - y²/2: flat saddle at (0, 0), minima at (0, ±1)", "Saddle point"),
}

Dataset = namedtuple("Dataset", "label make")   # make(n, noise=..., seed=...) -> (X, y)

DATASETS = {"xor": Dataset("XOR", make_xor), "moons": Dataset("Moons", make_moons),
            "circles": Dataset("Circles", make_circles), "spiral": Dataset("Spiral", make_spiral)}


@declare(noise=Number(0, 1, example=0.1), train_ratio=Number(0, 1, example=0.7, low_open=True, high_open=True),
         dataset=Key(DATASETS, "data set"), n=Whole(4, 10 ** 5, example=200), seed=Whole(0, 2 ** 32 - 1, example=0),
         error=DemoError)
def playground_data(dataset="xor", noise=0.1, train_ratio=0.7, n=200, seed=0):
    """A 2-D data set split (stratified) into train and test: a dict of X_train, y_train, X_test, y_test.

    >>> d = playground_data("moons", train_ratio=0.5); len(d["X_train"]), len(d["X_test"])
    (100, 100)
    """
    from sklearn.model_selection import train_test_split
    X, y = DATASETS[dataset].make(n, noise=noise, seed=seed)
    try:
        train, test = train_test_split(torch.arange(n).numpy(), train_size=train_ratio, random_state=seed,
                                       stratify=y.numpy())
    except ValueError as error:                        # too few points for a part to hold every class
        raise DemoError(f"train_ratio={train_ratio} with n={n} leaves a part without every class ({error}). "
                        "Use a train_ratio nearer 0.5, or more points.") from None
    train, test = torch.as_tensor(train), torch.as_tensor(test)
    return {"X_train": X[train], "y_train": y[train], "X_test": X[test], "y_test": y[test]}
