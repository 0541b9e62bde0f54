"""Old import path of the demos' experiment functions, kept until the notebooks import from ``dlstudy.demos.*``."""

from dlstudy.demos.activations import ACTIVATIONS, activation_data, activation_fn
from dlstudy.demos.learning_rate import run_gradient_descent
from dlstudy.demos.optimizer_race import OPTIMIZERS, SURFACES, Surface, race
from dlstudy.demos.playground import DATASETS, make_mlp, playground_data, train_playground
from dlstudy.demos.regularization import regularization_data, train_regularized
from dlstudy.demos.threshold import threshold_report

__all__ = [
    "ACTIVATIONS", "activation_fn", "activation_data",
    "DATASETS", "playground_data", "make_mlp", "train_playground",
    "run_gradient_descent",
    "Surface", "SURFACES", "OPTIMIZERS", "race",
    "threshold_report",
    "regularization_data", "train_regularized",
]
