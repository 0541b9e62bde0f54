"""Offline data sets, splits, standardization and a fast in-memory loader (``from dlstudy.data import ...``).

The parts live in ``dlstudy.data.sets`` (the data sets), ``dlstudy.data.splits`` (train / validation
/ test, k folds, standardization) and ``dlstudy.data.loaders`` (``TensorLoader``).
"""

from dlstudy.contract import as_samples
from dlstudy.data.loaders import TensorLoader
from dlstudy.data.sets import (MNIST_FILES, Data, load_breast_cancer, load_diabetes, load_digits, load_iris,
                               load_mnist, load_mnist_sample, make_circles, make_linear, make_moons,
                               make_polynomial, make_spiral, make_xor)
from dlstudy.data.splits import Split, Standardizer, kfold_splits, train_val_test_split

__all__ = ["Data", "load_iris", "load_breast_cancer", "load_digits", "load_diabetes", "make_moons", "make_circles",
           "make_xor", "make_spiral", "make_linear", "make_polynomial", "Split", "Standardizer",
           "train_val_test_split", "kfold_splits", "TensorLoader", "load_mnist", "load_mnist_sample", "as_samples",
           "MNIST_FILES"]
