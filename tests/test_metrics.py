"""dlstudy.metrics agrees with scikit-learn on random inputs (hypothesis) and explains bad input."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from sklearn import metrics as skm

from dlstudy.metrics import accuracy, confusion_matrix, mae, mse, precision_recall_f1, roc_auc, roc_curve

FAST = settings(max_examples=50, deadline=None, database=None)   # a few seconds in all
TOL = dict(rel=1e-6, abs=1e-9)
pytestmark = pytest.mark.filterwarnings("ignore:A single label was found")   # sklearn, one-class cases


@st.composite
def labels(draw, max_classes=4):
    """(preds, target, num_classes): random labels, so some classes are never predicted."""
    n = draw(st.integers(1, 30))
    num_classes = draw(st.integers(1, max_classes))
    cls = st.integers(0, num_classes - 1)
    preds = draw(st.lists(cls, min_size=n, max_size=n))
    target = draw(st.lists(cls, min_size=n, max_size=n))
    return torch.tensor(preds), torch.tensor(target), num_classes


@st.composite
def binary_scores(draw):
    """(scores, target) with both classes present and scores drawn from few values, so ties are common."""
    n = draw(st.integers(2, 30))
    values = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]) | st.floats(0, 1, width=32)
    scores = draw(st.lists(values, min_size=n, max_size=n))
    target = [0, 1] + draw(st.lists(st.integers(0, 1), min_size=n - 2, max_size=n - 2))
    return torch.tensor(scores, dtype=torch.float32), torch.tensor(target)


@FAST
@given(labels())
def test_accuracy_matches_sklearn(case):
    preds, target, _ = case
    assert accuracy(preds, target) == pytest.approx(skm.accuracy_score(target, preds), **TOL)


@FAST
@given(st.integers(1, 20), st.integers(2, 5), st.data())
def test_accuracy_of_scores_uses_argmax(n, num_classes, data):
    scores = torch.tensor(data.draw(st.lists(st.lists(st.sampled_from([0.0, 0.5, 1.0, -2.0]),
                                                      min_size=num_classes, max_size=num_classes),
                                             min_size=n, max_size=n)))
    target = torch.tensor(data.draw(st.lists(st.integers(0, num_classes - 1), min_size=n, max_size=n)))
    expected = skm.accuracy_score(target.numpy(), scores.numpy().argmax(1))
    assert accuracy(scores, target) == pytest.approx(expected, **TOL)


@FAST
@given(labels())
def test_confusion_matrix_matches_sklearn(case):
    preds, target, num_classes = case
    expected = skm.confusion_matrix(target, preds, labels=list(range(num_classes)))
    cm = confusion_matrix(preds, target, num_classes=num_classes)
    assert cm.dtype == torch.int64 and cm.tolist() == expected.tolist()
    inferred = int(max(preds.max(), target.max())) + 1
    assert confusion_matrix(preds, target).shape == (inferred, inferred)


@FAST
@given(labels(max_classes=2))
def test_binary_precision_recall_f1_matches_sklearn(case):
    preds, target, _ = case
    expected = skm.precision_recall_fscore_support(target, preds, average="binary", pos_label=1,
                                                   labels=[0, 1], zero_division=0)[:3]
    assert precision_recall_f1(preds, target) == pytest.approx(expected, **TOL)


@FAST
@given(labels(), st.sampled_from(["macro", "micro", "weighted"]), st.booleans())
def test_averaged_precision_recall_f1_matches_sklearn(case, average, give_num_classes):
    preds, target, num_classes = case
    sk_labels = list(range(num_classes)) if give_num_classes else None
    expected = skm.precision_recall_fscore_support(target, preds, average=average, labels=sk_labels,
                                                   zero_division=0)[:3]
    got = precision_recall_f1(preds, target, average=average,
                              num_classes=num_classes if give_num_classes else None)
    assert got == pytest.approx(expected, **TOL)


@FAST
@given(binary_scores())
def test_roc_curve_matches_sklearn(case):
    scores, target = case
    fpr, tpr, thresholds = roc_curve(scores, target)
    sk_fpr, sk_tpr, sk_thresholds = skm.roc_curve(target.numpy(), scores.numpy(), drop_intermediate=False)
    np.testing.assert_allclose(fpr.numpy(), sk_fpr, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(tpr.numpy(), sk_tpr, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(thresholds.numpy(), sk_thresholds, rtol=1e-6)
    assert roc_auc(scores, target) == pytest.approx(skm.roc_auc_score(target.numpy(), scores.numpy()), **TOL)


@FAST
@given(st.integers(1, 30), st.sampled_from([(), (1,), (3,)]), st.data())
def test_mse_and_mae_match_sklearn(n, extra, data):
    values = st.floats(-1e3, 1e3, width=32)
    shape = (n, *extra)
    size = int(np.prod(shape))
    preds = torch.tensor(data.draw(st.lists(values, min_size=size, max_size=size))).reshape(shape)
    target = torch.tensor(data.draw(st.lists(values, min_size=size, max_size=size))).reshape(shape)
    p, t = preds.double().reshape(n, -1).numpy(), target.double().reshape(n, -1).numpy()
    assert mse(preds, target) == pytest.approx(skm.mean_squared_error(t, p), **TOL)
    assert mae(preds, target) == pytest.approx(skm.mean_absolute_error(t, p), **TOL)


def test_a_class_never_predicted_counts_as_zero_precision():
    preds, target = torch.tensor([0, 0, 0, 0]), torch.tensor([0, 1, 2, 2])
    assert confusion_matrix(preds, target).tolist() == [[1, 0, 0], [1, 0, 0], [2, 0, 0]]
    p, r, f1 = precision_recall_f1(preds, target, average="macro")
    assert (p, r) == pytest.approx((0.25 / 3, 1 / 3))
    assert precision_recall_f1(torch.zeros(4, dtype=torch.long), torch.tensor([0, 1, 0, 1])) == (0.0, 0.0, 0.0)


def test_probabilities_and_columns_are_read_as_documented():
    probs = torch.tensor([[0.9], [0.2], [0.5], [0.49]])          # (N, 1) probabilities of class 1
    target = torch.tensor([[1.0], [0.0], [1.0], [1.0]])          # (N, 1) float labels, as for BCE
    assert accuracy(probs, target) == 0.75
    assert confusion_matrix(probs, target).tolist() == [[1, 0], [1, 2]]
    assert accuracy(np.array([0, 1]), [0, 0]) == 0.5             # NumPy arrays and lists work too
    assert accuracy(torch.tensor([True, False]), torch.tensor([True, True])) == 0.5


def test_ties_and_perfect_scores():
    assert roc_auc(torch.full((6,), 0.3), torch.tensor([0, 1, 0, 1, 1, 0])) == 0.5
    assert roc_auc(torch.tensor([0.1, 0.2, 0.8, 0.9]), torch.tensor([0, 0, 1, 1])) == 1.0
    fpr, tpr, thresholds = roc_curve(torch.tensor([[0.9, 0.1], [0.2, 0.8]]), torch.tensor([0, 1]))  # (N, 2)
    assert tpr.tolist() == [0.0, 1.0, 1.0] and thresholds[0] == float("inf")
    assert fpr.dtype == torch.float32 and fpr.device.type == "cpu"


@pytest.mark.parametrize("call, message", [
    (lambda: accuracy(torch.tensor([0, 1, 1]), torch.tensor([0, 1])), "preds has 3 samples but target has 2"),
    (lambda: accuracy(torch.zeros(4, 3), torch.zeros(4, 3)), r"shape \(N,\).*got shape \(4, 3\).*argmax"),
    (lambda: accuracy(torch.tensor([]), torch.tensor([])), "empty"),
    (lambda: accuracy(torch.tensor([-1.5, 2.0]), torch.tensor([0, 1])), "torch.sigmoid"),
    (lambda: accuracy(torch.zeros(3, 2), torch.tensor([0, 1, 2])), "target has label 2.*only 2 classes"),
    (lambda: accuracy(torch.tensor([0, 1]), torch.tensor([0.0, 0.5])), "whole-number class labels"),
    (lambda: confusion_matrix(torch.tensor([0, 3]), torch.tensor([0, 1]), num_classes=3),
     r"0\.\.2 for num_classes=3; preds has label 3"),
    (lambda: confusion_matrix(torch.tensor([0, -1]), torch.tensor([0, 1])), "0 or more"),
    (lambda: precision_recall_f1(torch.tensor([0, 2]), torch.tensor([0, 1])), "average='macro'"),
    (lambda: precision_recall_f1(torch.tensor([0, 1]), torch.tensor([0, 1]), average="mean"), "one of"),
    (lambda: roc_auc(torch.tensor([0.2, 0.4]), torch.tensor([1, 1])), "Only one class present"),
    (lambda: roc_curve(torch.tensor([0.2, 0.4]), torch.tensor([0, 2])), "two classes"),
    (lambda: roc_curve(torch.zeros(3, 3), torch.tensor([0, 1, 1])), r"got shape \(3, 3\)"),
    (lambda: roc_auc(torch.tensor([0.2, float("nan")]), torch.tensor([0, 1])), "NaN"),
    (lambda: mse(torch.zeros(4, 2), torch.zeros(4)), r"shape \(4, 2\) but target has shape \(4,\)"),
    (lambda: mae(torch.zeros(0), torch.zeros(0)), "empty"),
])
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: accuracy("cat", torch.tensor([0])), r"preds must hold numbers \(a tensor, or a list / NumPy array"),
    (lambda: accuracy(["a", "b"], [0, 1]), "got list of str"),
    (lambda: mse(None, torch.zeros(2)), "preds must hold numbers.*got NoneType"),
    (lambda: accuracy(torch.tensor([1 + 1j]), torch.tensor([1])), "real numbers; got a complex tensor"),
])
def test_wrong_types_are_named(call, message):
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: accuracy(torch.tensor([[float("nan"), 1.0], [0.0, 1.0]]), torch.tensor([0, 1])),
     r"preds contains NaN\. Did training diverge"),
    (lambda: accuracy(torch.tensor([float("inf"), 0.0]), torch.tensor([1, 0])), "preds contains inf"),
    (lambda: mse(torch.tensor([float("nan")]), torch.tensor([1.0])), "preds contains NaN"),
    (lambda: mae(torch.tensor([1.0]), torch.tensor([float("inf")])), "target contains inf"),
    (lambda: confusion_matrix(torch.tensor([0, 1]), torch.tensor([0, 1]), num_classes=0),
     "num_classes must be a whole number from 1 to 10000.*got 0"),
    (lambda: confusion_matrix(torch.tensor([0, 1]), torch.tensor([0, 1]), num_classes=2.5), "got 2.5"),
    (lambda: precision_recall_f1(torch.tensor([0, 1]), torch.tensor([0, 1]), "macro", num_classes="3"), "got '3'"),
    (lambda: confusion_matrix(torch.tensor([0, 10 ** 6]), torch.tensor([0, 1])),
     r"preds has the label 1000000, so there would be 1000001 classes.*number the classes from 0"),
    (lambda: accuracy(torch.tensor([[2.0], [-1.0]]), torch.tensor([1, 0])), r"preds has -1\. If these are logits"),
])
def test_non_finite_values_and_impossible_class_counts(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_inputs_on_a_gpu():
    preds, target = torch.tensor([0.9, 0.2, 0.7], device="cuda"), torch.tensor([1, 0, 0], device="cuda")
    assert accuracy(preds, target) == pytest.approx(2 / 3)
    assert confusion_matrix(preds, target).device.type == "cpu"
    assert roc_auc(preds, target) == 1.0
    assert mse(preds, target.float()) == pytest.approx((0.01 + 0.04 + 0.49) / 3)
