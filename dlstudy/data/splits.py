"""Splits of a data set: train / validation / test, k folds, and standardization fitted on the training part.

NumPy arrays are accepted (floats become float32, integers int64).
"""

import math
from collections import namedtuple
from numbers import Real

import numpy as np
import torch

from dlstudy.contract import ArgumentTypeError, ArgumentValueError, Flag, Optional, Rule, Samples, Whole, declare
from dlstudy.contract import as_samples

__all__ = ["Split", "Standardizer", "train_val_test_split", "kfold_splits"]

SEED = Whole(0, 2 ** 32 - 1, example=0)


class Fraction(Rule):
    """A fraction of the data from 0 up to (not including) 1, such as 0.15 for 15%."""

    def check(self, value, name):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real) or not math.isfinite(value):
            raise ArgumentTypeError(f"{name} must be a fraction of the data, such as 0.15 for 15%; got {value!r}.")
        if not 0 <= value < 1:
            whole = " For a number of samples, divide it by len(X)." if value >= 1 else ""
            raise ArgumentValueError(f"{name} must be a fraction from 0 up to (not including) 1, such as 0.15 for "
                                     f"15%; got {value}.{whole}")
        return float(value)


Split = namedtuple("Split", "train val test scaler")


class Standardizer:
    """Scale features to mean 0 and standard deviation 1, with statistics from the training data.

    >>> s = Standardizer().fit(torch.tensor([[1.0], [3.0]])); s.transform(torch.tensor([[3.0]]))
    tensor([[1.]])
    """

    @declare(X=Samples(finite=True))
    def fit(self, X):
        if len(X) == 0:
            raise ArgumentValueError("Standardizer.fit got an empty X: it needs at least one sample to compute a mean.")
        X = X if X.is_floating_point() else X.float()
        self.mean = X.mean(dim=0)
        std = X.std(dim=0, unbiased=False)
        self.std = torch.where(std > 0, std, torch.ones_like(std))   # constant columns stay as they are
        return self

    def _checked(self, X, method):
        if not hasattr(self, "mean"):
            raise RuntimeError(f"This Standardizer is not fitted yet, so it cannot {method}. Call "
                               ".fit(X_train) first: the statistics come from the training data only.")
        X = as_samples(X, "X")
        if X.shape[1:] != self.mean.shape:
            raise ValueError(f"This Standardizer was fitted on samples of shape {tuple(self.mean.shape)}, but X has "
                             f"samples of shape {tuple(X.shape[1:])}. Fit and {method} the same features.")
        return X if X.is_floating_point() else X.float()

    def transform(self, X):
        X = self._checked(X, "transform")
        return (X - self.mean.to(X.device)) / self.std.to(X.device)

    def inverse_transform(self, X):
        X = self._checked(X, "inverse_transform")
        return X * self.std.to(X.device) + self.mean.to(X.device)


def _is_classification(y):
    return y.ndim == 1 and not torch.is_floating_point(y)


def _same_length(X, y):
    X, y = as_samples(X, "X"), as_samples(y, "y")
    if len(X) != len(y):
        raise ArgumentValueError(f"X and y must have the same length; got {len(X)} samples in X and {len(y)} in y.")
    if len(X) == 0:
        raise ArgumentValueError("X and y are empty: expected at least one sample.")
    return X, y


def _check_stratified(labels, sizes, n):
    """Stratified parts need every class twice and at least one sample of each class per part."""
    classes, counts = np.unique(labels, return_counts=True)
    if counts.min() < 2:
        rare = classes[counts < 2].tolist()
        raise ValueError(f"A stratified split needs at least 2 samples of every class; class {rare[0]} has only "
                         f"1 (classes with 1 sample: {rare[:10]}). Pass stratify=False (for regression targets "
                         "or rare classes), or collect more samples.")
    for part, size in sizes.items():
        if 0 < size < len(classes):
            raise ValueError(f"A stratified split puts every class in every part, but the {part} part has "
                             f"{size} sample{'s' if size != 1 else ''} of {n} for {len(classes)} classes. Use a "
                             f"larger {part}_size, or stratify=False.")


def _split(index, size, seed, labels, train_test_split):
    """(rest, part): ``size`` of ``index`` (a fraction or 0) split off, stratified when labels are given."""
    if not size:
        return index, index[:0]
    try:
        return train_test_split(index, test_size=size, random_state=seed, stratify=labels)
    except ValueError as error:
        raise ValueError(f"The stratified split is not possible for these labels ({error}). Use larger "
                         "val_size / test_size, or stratify=False.") from None


@declare(X=Samples(), y=Samples(), val_size=Fraction(), test_size=Fraction(), stratify=Optional(Flag()), standardize=Flag(), seed=SEED)
def train_val_test_split(X, y, val_size=0.15, test_size=0.15, *, stratify=None, standardize=False, seed=0):
    """Split into train / validation / test (stratified for class labels), optionally standardized.

    The standardizer is fitted on the training part only, then applied to all three.
    NumPy arrays are accepted (floats become float32, integers int64); a size of 0 gives an
    empty part.

    >>> from dlstudy.data import load_iris
    >>> X, y = load_iris(); s = train_val_test_split(X, y, 0.2, 0.2)
    >>> len(s.train[0]), len(s.val[0]), len(s.test[0])
    (90, 30, 30)
    """
    from sklearn.model_selection import train_test_split
    X, y = _same_length(X, y)
    if standardize and X.is_floating_point() and not torch.isfinite(X).all():
        bad = int((~torch.isfinite(X)).any(1).sum()) if X.ndim > 1 else int((~torch.isfinite(X)).sum())
        raise ArgumentValueError(f"X contains NaN or infinite values (in {bad} of its {len(X)} samples), so "
                                 "standardize=True would make those features NaN in every split. Drop or fill "
                                 "those rows first (find them with torch.nonzero(~torch.isfinite(X))).")
    if val_size + test_size >= 1:
        raise ValueError(f"val_size + test_size must be below 1, so that data is left for training; got "
                         f"{val_size} + {test_size} = {round(val_size + test_size, 10)}. "
                         "E.g. val_size=0.15, test_size=0.15.")
    if stratify is None:
        stratify = _is_classification(y)
    n, index = len(X), np.arange(len(X))
    labels = y.cpu().numpy() if stratify else None
    n_test = math.ceil(test_size * n)
    n_val = math.ceil(val_size / (1 - test_size) * (n - n_test)) if val_size else 0
    if n - n_test - n_val < 1:
        raise ValueError(f"{n} samples are too few for val_size={val_size} and test_size={test_size}: the test part "
                         f"takes {n_test} and the validation part {n_val}, and nothing is left for training. "
                         "Use more data or smaller fractions.")
    if stratify:
        _check_stratified(labels, {"val": n_val, "test": n_test}, n)
    rest, test = _split(index, n_test, seed, labels, train_test_split)
    train, val = _split(rest, val_size / (1 - test_size) if val_size else 0, seed,
                        labels[rest] if stratify else None, train_test_split)
    parts = [(X[torch.as_tensor(i)], y[torch.as_tensor(i)]) for i in (train, val, test)]
    scaler = None
    if standardize:
        scaler = Standardizer().fit(parts[0][0])
        parts = [(scaler.transform(Xp), yp) for Xp, yp in parts]
    return Split(*parts, scaler)


@declare(y=Samples(), k=Whole(2, 1000, example=5), stratify=Optional(Flag()), seed=SEED)
def kfold_splits(y, k=5, *, stratify=None, seed=0):
    """Return k (train_index, val_index) pairs; every sample is in exactly one validation fold.

    >>> from dlstudy.data import load_iris
    >>> folds = kfold_splits(load_iris().y, k=5); len(folds), len(folds[0][1])
    (5, 30)
    """
    from sklearn.model_selection import KFold, StratifiedKFold
    if k > len(y):
        raise ValueError(f"k={k} folds need at least {k} samples; y has {len(y)}. Use k={max(2, len(y))} or fewer.")
    if stratify is None:
        stratify = _is_classification(y)
    if stratify:
        most = int(np.unique(y.cpu().numpy(), return_counts=True)[1].max())
        if k > most:
            raise ValueError(f"Stratified k-fold puts every class in every fold, but no class has {k} samples "
                             f"(the largest has {most}). Use k={max(2, most)} or fewer, or stratify=False.")
    splitter = (StratifiedKFold if stratify else KFold)(n_splits=k, shuffle=True, random_state=seed)
    labels = y.cpu().numpy()
    return [(torch.as_tensor(tr), torch.as_tensor(va)) for tr, va in splitter.split(labels, labels)]


