"""Old import path of the widgets, kept until the notebooks import from ``dlstudy.demos.*``.

Each demo now lives in one module of ``dlstudy.demos`` with its experiment functions.
"""

from dlstudy.demos.activations import activation_explorer
from dlstudy.demos.base import Explorer
from dlstudy.demos.learning_rate import lr_explorer
from dlstudy.demos.optimizer_race import optimizer_race
from dlstudy.demos.playground import playground, train_playground
from dlstudy.demos.regularization import regularization_explorer
from dlstudy.demos.threshold import threshold_explorer

__all__ = ["Explorer", "activation_explorer", "playground", "train_playground", "lr_explorer", "optimizer_race",
           "threshold_explorer", "regularization_explorer"]
