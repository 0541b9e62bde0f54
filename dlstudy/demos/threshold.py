"""The decision threshold of a binary classifier: ``threshold_report`` and the ``threshold_explorer`` widget."""

import ipywidgets as W
import torch

from dlstudy.contract import Array, Number, declare
from dlstudy.demos.base import DemoError, Explorer, legend_below, new_figure, slider
from dlstudy.metrics import confusion_matrix, precision_recall_f1
from dlstudy.plots.classifiers import plot_confusion_matrix, plot_roc

__all__ = ["threshold_report", "threshold_explorer"]


SCORES = Array(ndim=(1,), what="scores, one per sample (for a model: torch.sigmoid(predict(model, X)))",
               example="torch.tensor([0.1, 0.8])", min_len=0, bool_ok=False)
TARGET = Array(ndim=(1, 2), what="class labels 0 and 1, one per sample", example="torch.tensor([0, 1])", min_len=0)
THRESHOLD = Number(example=0.5)


def _check(scores, target, threshold):
    """Scores (N,) of a binary classifier and its 0/1 targets, on the CPU."""
    scores, target = scores.detach().cpu(), target.detach().cpu()
    if scores.ndim != 1 or scores.shape != target.reshape(-1).shape:
        raise DemoError(f"Expected one score per sample: scores of shape (N,) and target of shape (N,); "
                        f"got scores {tuple(scores.shape)} and target {tuple(target.shape)}.")
    if len(target) and not bool(((target == 0) | (target == 1)).all()):
        raise DemoError("The threshold is for a binary classifier: target must hold 0 and 1 only; got "
                        f"{sorted(set(target.reshape(-1).tolist()) - {0, 1})[:5]}. For more classes, use argmax.")
    return scores, target.reshape(-1)


@declare(scores=SCORES, target=TARGET, threshold=THRESHOLD, error=DemoError)
def threshold_report(scores, target, threshold=0.5):
    """Confusion counts and metrics when ``score >= threshold`` means "positive" (class 1).

    Returns a dict with ``"tp"``, ``"fp"``, ``"tn"``, ``"fn"`` (ints), ``"precision"``, ``"recall"``,
    ``"f1"``, ``"accuracy"``, ``"fpr"``, ``"tpr"`` (floats; 0 where a denominator is 0) and ``"threshold"``.

    >>> r = threshold_report(torch.tensor([0.1, 0.4, 0.35, 0.8]), torch.tensor([0, 0, 1, 1]), 0.5)
    >>> r["tp"], r["fp"], r["recall"], r["fpr"]
    (1, 0, 0.5, 0.0)
    """
    scores, target = _check(scores, target, threshold)
    preds = (scores >= threshold).long()
    (tn, fp), (fn, tp) = confusion_matrix(preds, target, num_classes=2).tolist()
    precision, recall, f1 = precision_recall_f1(preds, target, num_classes=2)
    return {"threshold": float(threshold), "tp": tp, "fp": fp, "tn": tn, "fn": fn, "precision": precision,
            "recall": recall, "f1": f1, "accuracy": (tp + tn) / len(target),
            "fpr": fp / (fp + tn) if fp + tn else 0.0, "tpr": recall}


@declare(scores=SCORES, target=TARGET, threshold=THRESHOLD, error=DemoError)
def threshold_explorer(scores, target, threshold=0.5):
    """A threshold slider for a binary classifier's scores: confusion matrix, metrics and the ROC point."""
    scores, target = _check(scores, target, threshold)
    scores = scores.float()
    low, high = round(float(scores.min()), 2), round(float(scores.max()), 2)
    if 0 <= low and high <= 1:                                       # probabilities: the whole [0, 1]
        low, high = 0.0, 1.0
    value = min(max(threshold, low), high)
    controls = {"threshold": slider(W.FloatSlider, "Threshold", value, low, high, round((high - low) / 100, 4),
                                    ".2f")}
    box = Explorer("ThresholdExplorer", controls)

    def update(_=None):
        t = controls["threshold"].value
        r = box.result = threshold_report(scores, target, t)
        fig, (left, right) = new_figure(2, 9.5, 4.2, left=1.0, bottom=0.9)
        plot_confusion_matrix((scores >= t).long(), target, class_names=["0 (neg)", "1 (pos)"], ax=left)
        plot_roc(scores, target, threshold=t, ax=right)
        legend_below(right, ncol=2)
        box.show(fig, f"Threshold {t:.2f}: <b>precision {r['precision']:.3f}, recall {r['recall']:.3f}, "
                      f"F1 {r['f1']:.3f}</b>, accuracy {r['accuracy']:.3f}; TP {r['tp']}, FP {r['fp']}, "
                      f"TN {r['tn']}, FN {r['fn']}; FPR {r['fpr']:.3f}, TPR {r['tpr']:.3f}")

    controls["threshold"].observe(update, "value")
    update()
    return box
