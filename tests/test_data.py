"""Offline data sets, splits, standardization, TensorLoader and the MNIST loader."""

import gzip
import struct

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from dlstudy import data


@pytest.mark.parametrize("loader, shape, classes", [
    (data.load_iris, (150, 4), 3),
    (data.load_breast_cancer, (569, 30), 2),
    (data.load_digits, (1797, 64), 10),
])
def test_classification_sets(loader, shape, classes):
    d = loader()
    assert tuple(d.X.shape) == shape and d.X.dtype == torch.float32
    assert d.y.dtype == torch.int64 and d.y.ndim == 1 and len(d.target_names) == classes
    assert int(d.y.max()) == classes - 1 and len(d.feature_names) == shape[1]


def test_breast_cancer_positive_class_is_malignant():
    d = data.load_breast_cancer()
    assert d.target_names == ["benign", "malignant"] and int(d.y.sum()) == 212


def test_digits_as_images_and_scaled():
    d = data.load_digits(as_images=True)
    assert d.X.shape == (1797, 1, 8, 8) and 0.0 <= float(d.X.min()) and float(d.X.max()) == 1.0


def test_diabetes_is_regression_column():
    X, y = data.load_diabetes()
    assert X.shape == (442, 10) and y.shape == (442, 1) and y.dtype == torch.float32


@pytest.mark.parametrize("make", [data.make_moons, data.make_circles, data.make_xor, data.make_spiral])
def test_generators_are_seeded_and_typed(make):
    a, b, c = make(seed=1), make(seed=1), make(seed=2)
    assert torch.equal(a.X, b.X) and not torch.equal(a.X, c.X)
    assert a.X.dtype == torch.float32 and a.y.dtype == torch.int64 and a.X.shape == (200, 2)


def test_xor_labels_and_regression_generators():
    X, y = data.make_xor(400, noise=0.0)
    assert torch.equal(y, (X[:, 0] != X[:, 1]).long())
    X, y = data.make_linear(200, w=(2.0,), b=1.0, noise=0.0)
    assert torch.allclose(y, 2 * X + 1, atol=1e-5)
    X, y = data.make_polynomial(50, coeffs=(1.0, 0.0, 1.0), noise=0.0)
    assert torch.allclose(y, 1 + X ** 2, atol=1e-5)


def test_split_sizes_stratified_and_standardized_on_train_only():
    X, y = data.load_iris()
    s = data.train_val_test_split(X, y, val_size=0.2, test_size=0.2, standardize=True, seed=0)
    assert [len(p[0]) for p in s[:3]] == [90, 30, 30]
    assert s.val[1].bincount().tolist() == [10, 10, 10]          # stratified
    assert torch.allclose(s.train[0].mean(0), torch.zeros(4), atol=1e-5)
    assert not torch.allclose(s.test[0].mean(0), torch.zeros(4), atol=1e-3)  # fitted on train only
    ids = torch.cat([p[0] for p in s[:3]])
    assert len(torch.unique(s.scaler.inverse_transform(ids), dim=0)) == len(torch.unique(X, dim=0))


def test_split_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="same length.*150 samples in X and 10 in y"):
        data.train_val_test_split(torch.zeros(150, 2), torch.zeros(10))


def test_standardizer_leaves_constant_columns_finite():
    X = torch.tensor([[1.0, 5.0], [3.0, 5.0]])
    assert torch.isfinite(data.Standardizer().fit(X).transform(X)).all()


def test_kfold_covers_every_sample_once():
    folds = data.kfold_splits(data.load_iris().y, k=5)
    seen = torch.cat([val for _, val in folds]).sort().values
    assert torch.equal(seen, torch.arange(150))
    for train, val in folds:
        assert len(set(train.tolist()) & set(val.tolist())) == 0


@pytest.mark.parametrize("shuffle, drop_last, use_generator", [
    (True, False, False), (True, True, False), (False, False, False), (True, False, True)])
def test_tensor_loader_matches_dataloader_sample_for_sample(shuffle, drop_last, use_generator):
    X, y = torch.randn(103, 3), torch.arange(103)
    g1 = torch.Generator().manual_seed(7) if use_generator else None
    g2 = torch.Generator().manual_seed(7) if use_generator else None
    ours = data.TensorLoader(X, y, batch_size=16, shuffle=shuffle, drop_last=drop_last, generator=g1)
    theirs = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=shuffle, drop_last=drop_last, generator=g2)
    assert len(ours) == len(theirs)
    torch.manual_seed(0)
    a = [yb for _ in range(3) for _, yb in ours]
    torch.manual_seed(0)
    b = [yb for _ in range(3) for _, yb in theirs]
    assert len(a) == len(b) and all(torch.equal(p, q) for p, q in zip(a, b))


def test_tensor_loader_leaves_the_global_random_state_as_dataloader_does():
    X, y = torch.randn(10, 2), torch.arange(10)
    torch.manual_seed(0)
    list(data.TensorLoader(X, y, batch_size=4))
    after_ours = torch.rand(1)
    torch.manual_seed(0)
    list(DataLoader(TensorDataset(X, y), batch_size=4, shuffle=True))
    assert torch.equal(after_ours, torch.rand(1))


def test_tensor_loader_to_device_and_errors():
    loader = data.TensorLoader(torch.zeros(5, 2), torch.zeros(5), batch_size=2).to("cpu")
    assert loader.X.device.type == "cpu" and len(loader) == 3
    with pytest.raises(ValueError, match="same length"):
        data.TensorLoader(torch.zeros(5, 2), torch.zeros(4))


def _write_idx(path, array, magic):
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">I", magic) + b"".join(struct.pack(">I", n) for n in array.shape))
        f.write(bytes(array.flatten().tolist()))


def test_load_mnist_reads_local_files(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    images = torch.randint(0, 256, (3, 28, 28), dtype=torch.uint8)
    labels = torch.tensor([3, 1, 4], dtype=torch.uint8)
    for prefix in ("train", "t10k"):
        _write_idx(raw / f"{prefix}-images-idx3-ubyte.gz", images, 2051)
        _write_idx(raw / f"{prefix}-labels-idx1-ubyte.gz", labels, 2049)
        for name in (f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"):
            with gzip.open(raw / f"{name}.gz") as src:
                (raw / name).write_bytes(src.read())
    d = data.load_mnist(tmp_path, train=True)
    assert d.X.shape == (3, 1, 28, 28) and d.y.tolist() == [3, 1, 4]
    assert torch.allclose(d.X[0, 0], images[0].float() / 255)


def test_load_mnist_offline_error_names_digits(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"load_digits\(\).*download=True"):
        data.load_mnist(tmp_path / "nothing")


# ---------------------------------------------------------------- bad input (issue 15)

@pytest.mark.parametrize("kwargs, error, words", [
    (dict(val_size=0.5, test_size=0.5), ValueError, r"val_size \+ test_size must be below 1.*got 0.5 \+ 0.5 = 1.0"),
    (dict(val_size=0.7, test_size=0.4), ValueError, r"got 0.7 \+ 0.4 = 1.1\."),
    (dict(val_size=1.5), ValueError, r"val_size must be a fraction from 0 up to \(not including\) 1.*got 1.5"),
    (dict(test_size=30), ValueError,
     r"test_size must be a fraction.*got 30\. For a number of samples, divide it by len\(X\)"),
    (dict(test_size=-0.1), ValueError, r"test_size must be a fraction.*got -0.1"),
    (dict(val_size="0.2"), TypeError, r"val_size must be a fraction of the data, such as 0.15.*got '0.2'"),
    (dict(val_size=float("nan")), TypeError, r"val_size must be a fraction.*got nan"),
])
def test_split_fractions_are_checked_in_the_learners_numbers(kwargs, error, words):
    X, y = data.load_iris()
    with pytest.raises(error, match=words):
        data.train_val_test_split(X, y, **kwargs)


def test_split_sizes_of_zero_give_empty_parts():
    X, y = data.load_iris()
    s = data.train_val_test_split(X, y, val_size=0.2, test_size=0)
    assert [len(p[0]) for p in s[:3]] == [120, 30, 0] and s.test[0].shape == (0, 4)
    s = data.train_val_test_split(X, y, val_size=0, test_size=0.2)
    assert [len(p[0]) for p in s[:3]] == [120, 0, 30]


def test_split_of_too_little_data_or_too_rare_classes():
    with pytest.raises(ValueError, match="3 samples are too few for val_size=0.4 and test_size=0.4.*nothing is left"):
        data.train_val_test_split(torch.zeros(3, 2), torch.zeros(3, 1), 0.4, 0.4)
    y = torch.tensor([0] * 10 + [1] * 10 + [2])
    with pytest.raises(ValueError, match="at least 2 samples of every class; class 2 has only 1.*stratify=False"):
        data.train_val_test_split(torch.zeros(21, 2), y)
    y = torch.arange(10).repeat(3)
    with pytest.raises(ValueError, match=r"the val part has 5 samples of 30 for 10 classes.*larger val_size"):
        data.train_val_test_split(torch.zeros(30, 2), y, 0.15, 0.35)
    with pytest.raises(ValueError, match="X and y are empty"):
        data.train_val_test_split(torch.zeros(0, 2), torch.zeros(0))


def test_numpy_arrays_are_accepted_as_the_loaders_would_give_them():
    X, y = data.load_iris()
    s = data.train_val_test_split(X.double().numpy(), y.int().numpy(), 0.2, 0.2)
    assert s.train[0].dtype == torch.float32 and s.train[1].dtype == torch.int64
    assert [len(p[0]) for p in s[:3]] == [90, 30, 30] and s.val[1].bincount().tolist() == [10, 10, 10]
    loader = data.TensorLoader(X.numpy(), [0, 1, 2] * 50, batch_size=50, shuffle=False)
    Xb, yb = next(iter(loader))
    assert Xb.dtype == torch.float32 and yb.tolist()[:3] == [0, 1, 2]
    assert len(data.kfold_splits(y.numpy(), k=3)) == 3


@pytest.mark.parametrize("X", [np.array(["a", "b"]), "hello", None, {"a": 1}, torch.tensor(3.0)])
def test_what_cannot_be_a_tensor_is_named(X):
    with pytest.raises((TypeError, ValueError), match=r"torch.as_tensor|one row per sample"):
        data.TensorLoader(X, torch.zeros(2), batch_size=1)


@pytest.mark.parametrize("batch_size, error, words", [
    (0, ValueError, "batch_size must be 1 or more; got 0"),
    (-4, ValueError, "batch_size must be 1 or more; got -4"),
    (2.5, TypeError, r"batch_size must be a whole number such as 32; got 2.5\."),
    (32.0, TypeError, r"got 32.0 \(write it without the decimal point\)"),
    (None, TypeError, "batch_size must be a whole number"),
])
def test_tensor_loader_batch_size_is_checked(batch_size, error, words):
    with pytest.raises(error, match=words):
        data.TensorLoader(torch.zeros(5, 2), torch.zeros(5), batch_size=batch_size)


def test_tensor_loader_without_batches_yields_nothing_and_empty_data_is_refused():
    loader = data.TensorLoader(torch.zeros(5, 2), torch.zeros(5), batch_size=8, drop_last=True)
    assert len(loader) == 0 and list(loader) == []
    assert list(DataLoader(TensorDataset(torch.zeros(5, 2), torch.zeros(5)), batch_size=8, drop_last=True)) == []
    with pytest.raises(ValueError, match="X and y are empty: expected at least one sample"):
        data.TensorLoader(torch.zeros(0, 2), torch.zeros(0))
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        data.TensorLoader(torch.zeros(5, 2), torch.zeros(5), generator=0)


def test_kfold_with_too_many_folds():
    with pytest.raises(ValueError, match=r"k=10 folds need at least 10 samples; y has 6\. Use k=6 or fewer"):
        data.kfold_splits(torch.zeros(6), k=10)
    with pytest.raises(ValueError, match=r"no class has 5 samples \(the largest has 3\)\. Use k=3 or fewer"):
        data.kfold_splits(torch.tensor([0, 0, 0, 1, 1, 1]), k=5)
    with pytest.raises(ValueError, match="k must be from 2 to 1000; got 1"):
        data.kfold_splits(torch.zeros(6), k=1)


def test_standardizer_mistakes():
    with pytest.raises(RuntimeError, match=r"not fitted yet.*\.fit\(X_train\) first"):
        data.Standardizer().transform(torch.zeros(2, 3))
    scaler = data.Standardizer().fit(torch.tensor([[1, 2], [3, 4]]))          # integers are fine
    assert torch.equal(scaler.transform(torch.tensor([[3.0, 4.0]])), torch.tensor([[1.0, 1.0]]))
    with pytest.raises(ValueError, match=r"fitted on samples of shape \(2,\), but X has samples of shape \(3,\)"):
        scaler.transform(torch.zeros(4, 3))
    with pytest.raises(ValueError, match="empty X"):
        data.Standardizer().fit(torch.zeros(0, 3))


@pytest.mark.parametrize("call, words", [
    (lambda: data.make_moons(-5), "n must be from 2 to 1000000; got -5"),
    (lambda: data.make_xor(2.5), "n must be a whole number"),
    (lambda: data.make_spiral(num_classes=0), "num_classes must be from 1 to 100; got 0"),
    (lambda: data.make_linear(noise=-1), "noise must be a number, 0 or more"),
    (lambda: data.make_circles(noise=float("nan")), "noise must be a number, 0 or more"),
])
def test_generators_check_their_arguments(call, words):
    with pytest.raises((TypeError, ValueError), match=words):
        call()


def _mnist_files(raw, count=3):
    raw.mkdir(parents=True, exist_ok=True)
    images = torch.randint(0, 256, (count, 28, 28), dtype=torch.uint8)
    labels = torch.arange(count, dtype=torch.uint8) % 10
    for prefix in ("train", "t10k"):
        for name, array, magic in ((f"{prefix}-images-idx3-ubyte", images, 2051),
                                   (f"{prefix}-labels-idx1-ubyte", labels, 2049)):
            header = struct.pack(">I", magic) + b"".join(struct.pack(">I", n) for n in array.shape)
            (raw / name).write_bytes(header + bytes(array.flatten().tolist()))


@pytest.mark.parametrize("cut", [0, 10, 100])
def test_load_mnist_with_truncated_files_names_them(tmp_path, cut):
    raw = tmp_path / "MNIST" / "raw"
    _mnist_files(raw)
    assert len(data.load_mnist(tmp_path)) == 3
    images = raw / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:cut])
    with pytest.raises(ValueError, match=rf"could not be read \(truncated or corrupted\?\).*train-images-idx3-ubyte "
                                         rf"\({cut} bytes, expected 47040016\).*download=True"):
        data.load_mnist(tmp_path)


def test_load_mnist_download_offline_says_what_to_do(tmp_path, monkeypatch, capsys):
    from urllib.error import URLError

    import torchvision.datasets.mnist as tv_mnist

    def offline(*args, **kwargs):
        raise URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(tv_mnist, "download_and_extract_archive", offline)
    with pytest.raises(ConnectionError, match=r"Could not download MNIST \(no network\?\).*load_digits\(\).*"
                                              r"copy the four MNIST files"):
        data.load_mnist(tmp_path, download=True)
