"""Metrics for classification and regression on tensors, in ``(preds, target)`` order like torchmetrics.

Classification ``preds`` may be class labels ``(N,)``, probabilities of class 1 ``(N,)``
(a probability >= 0.5 counts as class 1), or scores ``(N, C)`` such as logits or
softmax probabilities (the class with the largest score is the prediction). ``target``
holds class labels ``(N,)``; a column ``(N, 1)`` is read as ``(N,)``. Two-class scores
``(N, 2)`` for the ROC curve become one score of class 1 (``positive_scores``): softmax
probabilities their column 1, logits the log-odds ``z1 - z0`` (ranked as the softmax would).

``DIRECTION`` is the one table of which way each metric is better ("max": higher is better);
``direction`` reads it for a recorded name such as ``"val_accuracy"`` or for a function (your
own metric may say so itself: ``my_metric.higher_is_better = True``). Early stopping and the
schedulers that watch a metric take their direction from it. ``NOT_SCALAR`` lists the metrics that
return several values, so they cannot be a number per epoch in ``fit``.

Conventions, the same as scikit-learn's: rows of the confusion matrix are the true
class and columns the predicted class; precision, recall or F1 whose denominator is 0
count as 0 (``zero_division=0``). Scalars come back as Python floats and tensors on the
CPU (they are small summaries for printing and plotting), whatever device the inputs
were on. The arithmetic never needs float64 on the device, so MPS works too.
"""

import torch

__all__ = ["accuracy", "precision", "recall", "f1", "confusion_matrix", "precision_recall_f1", "roc_curve", "roc_auc",
           "mse", "mae", "positive_scores", "direction", "DIRECTION", "NOT_SCALAR"]

AVERAGES = ("binary", "macro", "micro", "weighted")


MAX_CLASSES = 10_000     # a (C, C) confusion matrix beyond this is a mistake (labels that are not 0..C-1)


def _tensor(x, what):
    """``x`` as a detached tensor of real numbers (lists and NumPy arrays are converted)."""
    if not torch.is_tensor(x):
        try:
            x = torch.as_tensor(x)
        except (TypeError, ValueError, RuntimeError):
            inner = f" of {type(x[0]).__name__}" if isinstance(x, (list, tuple)) and len(x) else ""
            raise TypeError(f"{what} must hold numbers (a tensor, or a list / NumPy array of numbers); "
                            f"got {type(x).__name__}{inner}.") from None
    if x.is_complex():
        raise TypeError(f"{what} must hold real numbers; got a complex tensor. Use x.real or x.abs().")
    if x.is_floating_point() and not torch.isfinite(x).all():
        bad = "NaN" if torch.isnan(x).any() else "inf"
        raise ValueError(f"{what} contains {bad}. Did training diverge (see the loss curve), or is there a "
                         f"{bad} in the data? Find it with torch.nonzero(~torch.isfinite({what})).")
    return x.detach()


def _check_num_classes(num_classes):
    if num_classes is None:
        return
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or not 1 <= num_classes <= MAX_CLASSES:
        raise ValueError(f"num_classes must be a whole number from 1 to {MAX_CLASSES} (or None to infer it from "
                         f"the labels); got {num_classes!r}.")


def _column_to_1d(x):
    return x[:, 0] if x.ndim == 2 and x.shape[1] == 1 else x


def _check_labels(labels, what):
    if labels.numel() == 0:
        raise ValueError(f"{what} is empty: expected at least one sample, got shape {tuple(labels.shape)}.")
    if labels.is_floating_point():
        if torch.isnan(labels).any() or not torch.equal(labels, labels.round()):
            raise ValueError(f"{what} must hold whole-number class labels such as 0, 1, 2; "
                             f"got {labels[labels != labels.round()][0].item()}.")
    labels = labels.long().cpu()
    if labels.min() < 0:
        logits = " If these are logits, pass torch.sigmoid(logits) (or logits > 0)." if what == "preds" else ""
        raise ValueError(f"Class labels must be 0 or more; {what} has {int(labels.min())}.{logits}")
    return labels


def _target_labels(target):
    t = _column_to_1d(_tensor(target, "target"))
    if t.ndim != 1:
        hint = " If it is one-hot, pass target.argmax(1)." if t.ndim == 2 else ""
        raise ValueError(f"target must be class labels of shape (N,) (or a column (N, 1)); "
                         f"got shape {tuple(t.shape)}.{hint}")
    return _check_labels(t, "target")


def _pred_labels(preds):
    """(labels on the CPU, C when preds are scores (N, C), else None)."""
    p = _column_to_1d(_tensor(preds, "preds"))
    if p.ndim == 2 and p.shape[1] >= 2:
        return p.argmax(1).cpu(), p.shape[1]
    if p.ndim != 1:
        raise ValueError(f"preds must be labels (N,), probabilities (N,) or scores (N, C); "
                         f"got shape {tuple(p.shape)}.")
    if p.numel() and p.is_floating_point() and not torch.equal(p, p.round()):
        if torch.isnan(p).any() or p.min() < 0 or p.max() > 1:
            raise ValueError(f"preds of shape (N,) with fractions are read as probabilities of class 1, "
                             f"but they range from {p.min().item():.4g} to {p.max().item():.4g}. "
                             "For logits pass torch.sigmoid(logits); for labels pass whole numbers.")
        return (p >= 0.5).long().cpu(), None
    return _check_labels(p, "preds"), None


def _labels_and_classes(preds, target, num_classes=None):
    """Predicted and true labels (CPU, int64) and the number of classes."""
    _check_num_classes(num_classes)
    pred, num_scores = _pred_labels(preds)
    true = _target_labels(target)
    if len(pred) != len(true):
        raise ValueError(f"preds has {len(pred)} samples but target has {len(true)}; "
                         "they must have the same length.")
    if num_scores is not None:
        if num_classes not in (None, num_scores):
            raise ValueError(f"preds has scores for {num_scores} classes but num_classes={num_classes}.")
        if int(true.max()) >= num_scores:
            raise ValueError(f"target has label {int(true.max())}, but preds has scores for only "
                             f"{num_scores} classes (labels 0..{num_scores - 1}).")
        num_classes = num_scores
    seen = int(max(pred.max(), true.max())) + 1
    if num_classes is None:
        if seen > MAX_CLASSES:
            where = "target" if int(true.max()) + 1 == seen else "preds"
            raise ValueError(f"{where} has the label {seen - 1}, so there would be {seen} classes. Class labels "
                             "must be 0, 1, ..., C-1: number the classes from 0 (e.g. with torch.unique(y, "
                             "return_inverse=True)[1]).")
        return pred, true, seen
    if seen > num_classes:
        where = "target" if int(true.max()) >= num_classes else "preds"
        raise ValueError(f"Class labels must be in 0..{num_classes - 1} for num_classes={num_classes}; "
                         f"{where} has label {seen - 1}.")
    return pred, true, num_classes


def _confusion(pred, true, num_classes):
    counts = torch.bincount(true * num_classes + pred, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)


def accuracy(preds, target):
    """The fraction of samples whose predicted class equals the target class.

    >>> accuracy(torch.tensor([[2.0, 0.1], [0.3, 0.9], [0.8, 0.2]]), torch.tensor([0, 1, 1]))
    0.6666666666666666
    """
    pred, true, _ = _labels_and_classes(preds, target)
    return int((pred == true).sum()) / len(true)


def confusion_matrix(preds, target, num_classes=None):
    """Counts as a (C, C) LongTensor: row = true class, column = predicted class (as in scikit-learn).

    >>> confusion_matrix(torch.tensor([0, 1, 1, 1]), torch.tensor([0, 0, 1, 1]))
    tensor([[1, 1],
            [0, 2]])
    """
    pred, true, num_classes = _labels_and_classes(preds, target, num_classes)
    return _confusion(pred, true, num_classes)


def _ratio(a, b):
    return a / b if b else 0.0


def _prf(tp, fp, fn):
    """Precision, recall and F1 from counts, 0 where the denominator is 0."""
    return _ratio(tp, tp + fp), _ratio(tp, tp + fn), _ratio(2 * tp, 2 * tp + fp + fn)


def precision_recall_f1(preds, target, average="binary", num_classes=None):
    """Precision, recall and F1 as a tuple of floats; class 1 is positive for ``average="binary"``.

    ``"macro"`` averages the per-class values, ``"weighted"`` weights them by each class's
    number of true samples, ``"micro"`` pools the counts of all classes. The classes are
    ``0..num_classes-1``, or (``num_classes=None``) those that occur in preds or target.

    >>> precision_recall_f1(torch.tensor([1, 1, 0, 0]), torch.tensor([1, 0, 1, 1]))
    (0.5, 0.3333333333333333, 0.4)
    >>> p, r, f1 = precision_recall_f1(torch.tensor([0, 2, 1, 2]), torch.tensor([0, 1, 1, 2]), average="macro")
    >>> round(f1, 4)
    0.7778
    """
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}; got {average!r}.")
    given = num_classes is not None
    pred, true, num_classes = _labels_and_classes(preds, target, num_classes)
    if average == "binary":
        if num_classes > 2:
            raise ValueError(f"average='binary' is for labels 0 and 1, but the labels go up to "
                             f"{num_classes - 1}. Use average='macro', 'micro' or 'weighted'.")
        cm = _confusion(pred, true, 2)
        return _prf(int(cm[1, 1]), int(cm[0, 1]), int(cm[1, 0]))
    cm = _confusion(pred, true, num_classes)
    classes = torch.arange(num_classes) if given else torch.unique(torch.cat([pred, true]))
    tp = cm.diag()[classes]
    fp, fn, support = cm.sum(0)[classes] - tp, cm.sum(1)[classes] - tp, cm.sum(1)[classes]
    tp, fp, fn, support = tp.tolist(), fp.tolist(), fn.tolist(), support.tolist()
    if average == "micro":
        return _prf(sum(tp), sum(fp), sum(fn))
    per_class = [_prf(*counts) for counts in zip(tp, fp, fn)]
    if average == "macro":
        return tuple(sum(values[i] for values in per_class) / len(per_class) for i in range(3))
    return tuple(sum(s * values[i] for s, values in zip(support, per_class)) / sum(support) for i in range(3))


def precision(preds, target, average="binary", num_classes=None):
    """The fraction of predicted positives that are positive: ``precision_recall_f1(...)[0]``.

    >>> precision(torch.tensor([1, 1, 0, 0]), torch.tensor([1, 0, 1, 1]))
    0.5
    """
    return precision_recall_f1(preds, target, average, num_classes)[0]


def recall(preds, target, average="binary", num_classes=None):
    """The fraction of positives that are predicted positive: ``precision_recall_f1(...)[1]``.

    >>> recall(torch.tensor([1, 1, 0, 0]), torch.tensor([1, 0, 1, 1]))
    0.3333333333333333
    """
    return precision_recall_f1(preds, target, average, num_classes)[1]


def f1(preds, target, average="binary", num_classes=None):
    """The harmonic mean of precision and recall: ``precision_recall_f1(...)[2]``.

    >>> f1(torch.tensor([1, 1, 0, 0]), torch.tensor([1, 0, 1, 1]))
    0.4
    """
    return precision_recall_f1(preds, target, average, num_classes)[2]


def positive_scores(scores):
    """One score per sample for class 1: ``(N,)`` and ``(N, 1)`` as given; ``(N, 2)`` by its kind.

    Rows of ``(N, 2)`` that are probabilities (in [0, 1], summing to 1) give their column 1;
    other rows are logits and give ``z1 - z0``, the log-odds of class 1 (the logit a one-output
    model would give; 0 means probability 0.5). Both order the samples as the softmax
    probability of class 1 does, without rounding it to 1.0, so the ROC curve and AUC agree.

    >>> positive_scores(torch.tensor([[0.0, 1.0], [-5.0, 0.5]]))
    tensor([1.0000, 5.5000])
    >>> positive_scores(torch.tensor([[0.9, 0.1], [0.2, 0.8]]))
    tensor([0.1000, 0.8000])
    """
    s = _column_to_1d(_tensor(scores, "scores"))
    if s.ndim == 2 and s.shape[1] == 2:
        s = s if s.is_floating_point() else s.float()
        one = torch.ones((), dtype=s.dtype, device=s.device)
        probabilities = bool(((s >= 0) & (s <= 1)).all() and torch.allclose(s.sum(1), one, atol=1e-4))
        return s[:, 1] if probabilities else s[:, 1] - s[:, 0]
    return s


def _binary_scores(scores, target):
    """Scores of class 1 and 0/1 targets, both on the CPU, checked."""
    s = positive_scores(scores)
    if s.ndim != 1:
        raise ValueError(f"scores must be one score per sample, shape (N,) (or (N, 2) for two classes); "
                         f"got shape {tuple(s.shape)}. The ROC curve is for two classes.")
    true = _target_labels(target)
    if len(s) != len(true):
        raise ValueError(f"scores has {len(s)} samples but target has {len(true)}; "
                         "they must have the same length.")
    if int(true.max()) > 1:
        raise ValueError(f"The ROC curve is for two classes: target must hold 0 and 1; got label {int(true.max())}.")
    s = s.cpu()
    s = s if s.is_floating_point() else s.float()
    if torch.isnan(s).any():
        raise ValueError("scores contain NaN.")
    positives = int(true.sum())
    if positives in (0, len(true)):
        raise ValueError(f"Only one class present in target (all {len(true)} samples are {int(true[0])}): "
                         "the ROC curve and its AUC are not defined. Use data with both classes.")
    return s, true


def _roc_counts(scores, target):
    """False and true positives at each distinct threshold, from the highest score down."""
    s, true = _binary_scores(scores, target)
    order = torch.argsort(s, descending=True, stable=True)
    s, true = s[order], true[order]
    last = torch.cat([torch.nonzero(s[1:] != s[:-1]).flatten(), torch.tensor([len(s) - 1])])
    tps = torch.cumsum(true, 0)[last]
    fps = last + 1 - tps
    zero = torch.zeros(1, dtype=torch.long)
    thresholds = torch.cat([torch.tensor([float("inf")], dtype=s.dtype), s[last]])
    return torch.cat([zero, fps]), torch.cat([zero, tps]), thresholds


def roc_curve(scores, target):
    """``(fpr, tpr, thresholds)`` tensors: one point per distinct score, highest threshold first.

    A sample counts as positive when its score >= the threshold; the first threshold is
    ``inf`` (nothing positive), as in scikit-learn's ``roc_curve(..., drop_intermediate=False)``.

    >>> fpr, tpr, thresholds = roc_curve(torch.tensor([0.1, 0.4, 0.35, 0.8]), torch.tensor([0, 0, 1, 1]))
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    fps, tps, thresholds = _roc_counts(scores, target)
    return fps.float() / fps[-1], tps.float() / tps[-1], thresholds


def roc_auc(scores, target):
    """The area under the ROC curve: the chance that a random positive scores above a random negative.

    >>> roc_auc(torch.tensor([0.1, 0.4, 0.35, 0.8]), torch.tensor([0, 0, 1, 1]))
    0.75
    """
    fps, tps, _ = _roc_counts(scores, target)
    twice_area = int(((fps[1:] - fps[:-1]) * (tps[1:] + tps[:-1])).sum())   # trapezoids, exact in integers
    return twice_area / (2 * int(fps[-1]) * int(tps[-1]))


def _regression_pair(preds, target):
    p, t = _tensor(preds, "preds"), _tensor(target, "target")
    if p.shape != t.shape and p.ndim + t.ndim == 3 and p.numel() == t.numel():
        p, t = _column_to_1d(p), _column_to_1d(t)   # (N, 1) against (N,)
    if p.shape != t.shape:
        raise ValueError(f"preds has shape {tuple(p.shape)} but target has shape {tuple(t.shape)}; "
                         "they must have the same shape.")
    if p.numel() == 0:
        raise ValueError("preds and target are empty: expected at least one value.")
    dtype = torch.float32 if p.device.type == "mps" else torch.float64   # MPS has no float64
    return p.to(dtype), t.to(device=p.device, dtype=dtype)


def mse(preds, target):
    """Mean squared error: the mean of (preds - target) ** 2.

    >>> mse(torch.tensor([1.0, 2.0, 4.0]), torch.tensor([1.0, 2.0, 1.0]))
    3.0
    """
    p, t = _regression_pair(preds, target)
    return ((p - t) ** 2).mean().item()


def mae(preds, target):
    """Mean absolute error: the mean of |preds - target|.

    >>> mae(torch.tensor([[1.0], [2.0], [4.0]]), torch.tensor([1.0, 2.0, 1.0]))
    1.0
    """
    p, t = _regression_pair(preds, target)
    return (p - t).abs().mean().item()


# Which way each metric is better: the one source of truth for early stopping and schedulers.
DIRECTION = {"accuracy": "max", "precision": "max", "recall": "max", "f1": "max", "roc_auc": "max",
             "mse": "min", "mae": "min", "loss": "min"}
ALIASES = {"acc": "accuracy", "auc": "roc_auc", "f1_score": "f1", "prec": "precision", "rec": "recall"}
NOT_SCALAR = {"confusion_matrix": "a (C, C) matrix", "roc_curve": "three tensors (fpr, tpr, thresholds)",
              "precision_recall_f1": "three numbers (precision, recall, f1)"}
for _name, _way in DIRECTION.items():
    if _name in globals():
        globals()[_name].higher_is_better = _way == "max"


def direction(metric):
    """``"max"`` when higher is better, ``"min"`` when lower is, ``None`` when unknown, for a name or a function.

    A recorded name loses its ``train_`` / ``val_`` prefix; a function says it with ``higher_is_better``
    (scikit-learn's ``*_score`` functions are better higher, ``*_error`` / ``*_loss`` lower).

    >>> direction("val_accuracy"), direction("train_loss"), direction(mae), direction("val_score")
    ('max', 'min', 'min', None)
    """
    if callable(metric):
        flag = getattr(metric, "higher_is_better", None)
        if isinstance(flag, bool):
            return "max" if flag else "min"
        name = getattr(metric, "__name__", "")
        return "max" if name.endswith("_score") else "min" if name.endswith(("_error", "_loss")) else None
    if not isinstance(metric, str):
        return None
    for prefix in ("train_", "val_"):
        metric = metric[len(prefix):] if metric.startswith(prefix) else metric
    return DIRECTION.get(ALIASES.get(metric, metric))
