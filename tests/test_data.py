"""Offline data sets, splits, standardization, TensorLoader and the MNIST loader."""

import gzip
import struct

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
