"""The demos' tables, one per catalog, read by the experiment functions and the widgets alike.

A name appears in one table only, in one order: add an activation, an optimizer, a loss
surface or a data set here, and every function and dropdown that lists them gets it.
The playgrounds' 2-D data sets are here too: TensorFlow Playground's Gaussian blobs and its
two regression sets are generated on the CPU from a seed, so every machine draws the same points.
"""

from collections import namedtuple

import math

import torch
from torch import nn

from dlstudy.contract import Key, Number, Whole, declare
from dlstudy.data.sets import Data, make_circles, make_moons, make_spiral, make_xor
from dlstudy.demos.common import DemoError, choose
from dlstudy.plots.common import CLASS_COLORS

__all__ = ["Activation", "ACTIVATIONS", "Optimizer", "OPTIMIZERS", "Surface", "SURFACES", "CLASS_COLORS", "Dataset", "ALL_DATASETS",
           "DATASETS", "REGRESSION_DATASETS", "PROBLEMS", "make_gauss", "make_plane", "make_multi_gauss",
           "playground_data"]

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
RADIUS = 6.0                                     # TensorFlow Playground's points lie in [-6, 6]²
SIZE = dict(n=Whole(1, 10 ** 5, example=200), noise=Number(0, example=0.1), seed=Whole(0, 2 ** 32 - 1, example=0))


def _uniform(n, g, radius=RADIUS):
    return (torch.rand(n, 2, generator=g) * 2 - 1) * radius


@declare(error=DemoError, **SIZE)
def make_gauss(n=200, noise=0.1, seed=0):
    """Two Gaussian blobs around (2, 2) (class 1) and (-2, -2) (class 0), TensorFlow Playground's "Gaussian".

    More noise, wider blobs: the variance grows from 0.5 (noise 0) to 4 (noise 0.5).

    >>> X, y = make_gauss(6); X.shape, y.tolist()
    (torch.Size([6, 2]), [1, 0, 1, 0, 1, 0])
    """
    g = torch.Generator().manual_seed(seed)
    y = (torch.arange(n) + 1) % 2
    std = math.sqrt(0.5 + 3.5 * noise / 0.5)
    X = torch.where(y[:, None] == 1, 2.0, -2.0) + std * torch.randn(n, 2, generator=g)
    return Data(X, y, ["x1", "x2"], ["0", "1"], "gauss")


def _regression(n, noise, seed, label, name):
    """Points uniform in [-6, 6]²; the target is ``label`` at the point moved by noise (as TensorFlow Playground)."""
    g = torch.Generator().manual_seed(seed)
    X = _uniform(n, g)
    moved = X + _uniform(n, g) * noise
    return Data(X, label(moved).float(), ["x1", "x2"], ["target"], name)


@declare(error=DemoError, **SIZE)
def make_plane(n=200, noise=0.1, seed=0):
    """A tilted plane: target (x1 + x2) / 10, between about -1.2 and 1.2 (TensorFlow Playground's "Plane").

    >>> X, y = make_plane(5, noise=0.0); torch.allclose(y, X.sum(1) / 10)
    True
    """
    return _regression(n, noise, seed, lambda X: X.sum(1) / 10, "plane")


GAUSSIANS = torch.tensor([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1.0]])


def _bumps(X):
    """The signed bump (1 at a centre, 0 from distance 2 on) of the nearest of six centres, + and - in turn."""
    distance = torch.cdist(X, GAUSSIANS[:, :2])
    height = GAUSSIANS[:, 2] * (1 - distance / 2).clamp(min=0)
    return height.gather(1, height.abs().argmax(1, keepdim=True)).squeeze(1)


@declare(error=DemoError, **SIZE)
def make_multi_gauss(n=200, noise=0.1, seed=0):
    """Six bumps, up and down in turn; target between -1 and 1 (TensorFlow Playground's "Multi Gaussian").

    >>> _, y = make_multi_gauss(300, noise=0.0); float(y.min()) >= -1 and float(y.max()) <= 1
    True
    """
    return _regression(n, noise, seed, _bumps, "multi_gauss")


DATASETS = {"xor": Dataset("XOR", make_xor), "moons": Dataset("Moons", make_moons),
            "circles": Dataset("Circles", make_circles), "spiral": Dataset("Spiral", make_spiral),
            "gauss": Dataset("Gaussian", make_gauss)}
REGRESSION_DATASETS = {"plane": Dataset("Plane", make_plane), "multi_gauss": Dataset("Multi Gaussian", make_multi_gauss)}
PROBLEMS = {"classification": DATASETS, "regression": REGRESSION_DATASETS}   # problem type -> its data sets
ALL_DATASETS = {**DATASETS, **REGRESSION_DATASETS}


@declare(noise=Number(0, 1, example=0.1), train_ratio=Number(0, 1, example=0.7, low_open=True, high_open=True),
         dataset=Key(ALL_DATASETS, "data set"), n=Whole(4, 10 ** 5, example=200),
         seed=Whole(0, 2 ** 32 - 1, example=0), problem=Key(PROBLEMS, "problem type"), error=DemoError)
def playground_data(dataset="xor", noise=0.1, train_ratio=0.7, n=200, seed=0, problem="classification"):
    """A 2-D data set split into train and test: a dict of X_train, y_train, X_test, y_test.

    Classification sets are split stratified (both parts hold every class, labels 0 / 1);
    ``problem="regression"`` picks from the regression sets, whose targets are float numbers.

    >>> d = playground_data("moons", train_ratio=0.5); len(d["X_train"]), len(d["X_test"])
    (100, 100)
    >>> playground_data("plane", problem="regression")["y_train"].dtype
    torch.float32
    """
    from sklearn.model_selection import train_test_split
    sets = PROBLEMS[problem]
    key = choose(dataset, sets, f"{problem} data set")
    X, y = sets[key].make(n, noise=noise, seed=seed)
    stratify = y.numpy() if sets is DATASETS else None
    try:
        train, test = train_test_split(torch.arange(n).numpy(), train_size=train_ratio, random_state=seed,
                                       stratify=stratify)
    except ValueError as error:                        # too few points for a part to hold every class
        raise DemoError(f"train_ratio={train_ratio} with n={n} leaves a part without every class ({error}). "
                        "Use a train_ratio nearer 0.5, or more points.") from None
    train, test = torch.as_tensor(train), torch.as_tensor(test)
    return {"X_train": X[train], "y_train": y[train], "X_test": X[test], "y_test": y[test]}
