"""Right answers to chapter 05's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="05.1", code="def specificity(cm):\n    return (cm[0, 0] / cm[0].sum()).item()\n"),
    dict(exercise="05.1", code="def specificity(cm):\n    tn, fp = cm[0].tolist()\n    return tn / (tn + fp)\n"),
    dict(exercise="05.1", code="def specificity(cm):\n    return cm[0, 0].float() / (cm[0, 0] + cm[0, 1])\n"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"
                              "    picked = logits.gather(1, target.unsqueeze(1)).squeeze(1)\n"
                              "    return (logits.logsumexp(dim=-1) - picked).mean()\n"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"                           # the max trick by hand
                              "    m = logits.max(dim=1, keepdim=True).values\n"
                              "    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))\n"
                              "    return torch.mean(lse - logits[range(len(target)), target])\n"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"                           # a one-hot mask
                              "    true_logit = (F.one_hot(target, logits.shape[1]) * logits).sum(dim=1)\n"
                              "    return (torch.logsumexp(logits, dim=1) - true_logit).mean()\n"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"
                              "    picked = torch.take_along_dim(logits, target[:, None], dim=1).squeeze(1)\n"
                              "    return (logits.logsumexp(1) - picked).sum() / len(target)\n"),
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n"
                              "    tpr = ((preds == 1) & (target == 1)).sum() / (target == 1).sum()\n"
                              "    tnr = ((preds == 0) & (target == 0)).sum() / (target == 0).sum()\n"
                              "    return ((tpr + tnr) / 2).item()\n"),
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n"
                              "    cm = confusion_matrix(preds, target)\n"
                              "    return float((cm[0, 0] / cm[0].sum() + cm[1, 1] / cm[1].sum()) / 2)\n"),
    dict(exercise="05.4", code="def best_threshold(scores, target, candidates):\n"
                              "    def f1(t):\n"
                              "        p = scores >= t\n"
                              "        tp = (p & (target == 1)).sum().item()\n"
                              "        return 2 * tp / (p.sum().item() + (target == 1).sum().item())\n"
                              "    f1s = [f1(t) for t in candidates]\n"
                              "    best = [t for t, f in zip(candidates, f1s) if f == max(f1s)]\n"
                              "    return best[(len(best) - 1) // 2]\n"),
    dict(exercise="05.4", code="def best_threshold(scores, target, candidates):\n"
                              "    f1s = [skm.f1_score(target.cpu().numpy(), (scores >= t).long().cpu().numpy()) "
                              "for t in candidates]\n"
                              "    idx = [i for i, f in enumerate(f1s) if f == max(f1s)]\n"
                              "    return candidates[idx[(len(idx) - 1) // 2]]\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='05.1', code='def specificity(cm):\n    tn, fp = cm[0].tolist()\n    return tn / (tn + fp)\n'),
    dict(exercise='05.2', code='def cross_entropy(logits, target):\n    lse = torch.logsumexp(logits, dim=1)\n    return (lse - logits.gather(1, target[:, None])[:, 0]).mean()\n'),
    dict(exercise='05.2', code='import torch.nn.functional as F\ndef cross_entropy(logits, target):\n    z = (F.one_hot(target, logits.shape[1]) * logits).sum(1)\n    return (torch.logsumexp(logits, 1) - z).mean()\n'),
    dict(exercise='05.3', code='def balanced_accuracy(preds, target):\n    r1 = (preds[target == 1] == 1).float().mean()\n    r0 = (preds[target == 0] == 0).float().mean()\n    return ((r0 + r1) / 2).item()\n'),
    dict(exercise='05.4', code='def best_threshold(scores, target, candidates):\n    f1s = []\n    for t in candidates:\n        p = scores >= t\n        tp = (p & (target == 1)).sum().item(); fp = (p & (target == 0)).sum().item(); fn = (~p & (target == 1)).sum().item()\n        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)\n    best = max(f1s)\n    tied = [t for t, f in zip(candidates, f1s) if abs(f - best) < 1e-12]\n    return tied[(len(tied) - 1) // 2]\n'),
    dict(exercise='05.4', code='from sklearn.metrics import f1_score\ndef best_threshold(scores, target, candidates):\n    f1s = [f1_score(target.tolist(), (scores >= t).long().tolist(), zero_division=0) for t in candidates]\n    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]\n    return tied[(len(tied) - 1) // 2]\n'),
]
