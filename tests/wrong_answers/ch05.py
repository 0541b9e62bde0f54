"""Wrong ways to solve chapter 05's exercises; each must fail its check, naming the rule or the failing case."""

F1_LIST = "    f1s = [precision_recall_f1((scores >= t).long(), target)[2] for t in candidates]\n"

WRONG = [
    # 05.1 specificity
    dict(exercise="05.1", code="def specificity(cm):\n    (tn, fp), (fn, tp) = cm.tolist()\n    return tn / (tn + fn)\n",
         expect="the specificity TN / (TN + FP)"),                          # a column, not the row
    dict(exercise="05.1", code="def specificity(cm):\n    (tn, fp), (fn, tp) = cm.tolist()\n    return tp / (tp + fn)\n",
         expect="the specificity TN / (TN + FP)"),                          # the recall
    dict(exercise="05.1", code="def specificity(cm):\n    return 5 / 7\n", expect="the specificity"),   # the spam answer
    dict(exercise="05.1", code="def specificity(cm):\n    (tn, fp), (fn, tp) = cm.tolist()\n    return fp / (tn + fp)\n",
         expect="the specificity"),                                         # the false positive rate
    dict(exercise="05.1", code="def specificity(cm):\n    return cm[0, 0] // cm[0].sum()\n",         # integer division
         expect="the specificity"),
    # 05.2 cross_entropy
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n    return F.cross_entropy(logits, target)\n",
         expect="which this exercise does not allow"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"
                              "    return F.nll_loss(F.log_softmax(logits, dim=1), target)\n",
         expect="operation 'log_softmax'"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"
                              "    return -torch.distributions.Categorical(logits=logits).log_prob(target).mean()\n",
         expect="switches off"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"
                              "    p = torch.softmax(logits, dim=1)\n"
                              "    return -torch.log(p[torch.arange(len(target)), target]).mean()\n",
         expect="operation 'softmax'"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"                           # overflows
                              "    p = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)\n"
                              "    return -torch.log(p[torch.arange(len(target)), target]).mean()\n",
         expect="finite"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"                           # the sum, not the mean
                              "    return (torch.logsumexp(logits, dim=1) - logits[torch.arange(len(target)), target]).sum()\n",
         expect="mean cross-entropy"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"                           # the max, not logsumexp
                              "    return (logits.max(dim=1).values - logits[torch.arange(len(target)), target]).mean()\n",
         expect="mean cross-entropy"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"                           # one loss per sample
                              "    return torch.logsumexp(logits, dim=1) - logits[torch.arange(len(target)), target]\n",
         expect="shape ()"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"                           # the special namespace
                              "    return -torch.special.log_softmax(logits, 1)[torch.arange(len(target)), target].mean()\n",
         expect="operation 'log_softmax'"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"
                              "    return -logits.log_softmax(-1).gather(1, target[:, None]).mean()\n",
         expect="operation 'log_softmax'"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"                           # the wrong column
                              "    return (torch.logsumexp(logits, dim=1) - logits[:, 0]).mean()\n",
         expect="mean cross-entropy"),
    # 05.3 balanced_accuracy
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n"
                              "    return skm.balanced_accuracy_score(target.cpu().numpy(), preds.cpu().numpy())\n",
         expect="torch alone|switches off"),
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n"
                              "    return skm.balanced_accuracy_score(target, preds)\n",
         expect="torch alone|switches off"),
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n"
                              "    return skm.recall_score(target.tolist(), preds.tolist(), average='macro')\n",
         expect="torch alone|switches off"),
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n"
                              "    return precision_recall_f1(preds, target, average='macro')[1]\n",
         expect="switches off"),
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n    return (preds == target).float().mean().item()\n",
         expect="balanced accuracy"),                                       # plain accuracy
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n"                        # precisions, not recalls
                              "    return sum((target[preds == c] == c).float().mean().nan_to_num().item() for c in (0, 1)) / 2\n",
         expect="balanced accuracy"),
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n"                        # class 1 only
                              "    return (preds[target == 1] == 1).float().mean().item()\n",
         expect="balanced accuracy"),
    # 05.4 best_threshold
    dict(exercise="05.4", code="def best_threshold(scores, target, candidates):\n" + F1_LIST +
                              "    return candidates[f1s.index(max(f1s))]\n",
         expect="middle of the tied candidates"),                          # the first of the tied
    dict(exercise="05.4", code="def best_threshold(scores, target, candidates):\n" + F1_LIST +
                              "    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]\n"
                              "    return tied[len(tied) // 2]\n",
         expect="middle of the tied candidates"),                          # the upper middle for an even number
    dict(exercise="05.4", code="def best_threshold(scores, target, candidates):\n" + F1_LIST +
                              "    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]\n"
                              "    return (tied[0] + tied[-1]) / 2\n",
         expect="one of the candidates"),                                  # the middle value, not a candidate
    dict(exercise="05.4", code="def best_threshold(scores, target, candidates):\n" + F1_LIST +
                              "    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]\n"
                              "    return tied[-1]\n",
         expect="middle of the tied candidates"),
    dict(exercise="05.4", code="def best_threshold(scores, target, candidates):\n"            # accuracy, not F1
                              "    accs = [((scores >= t).long() == target).float().mean().item() for t in candidates]\n"
                              "    tied = [t for t, a in zip(candidates, accs) if a == max(accs)]\n"
                              "    return tied[(len(tied) - 1) // 2]\n",
         expect="not yet"),
    dict(exercise="05.4", code="def best_threshold(scores, target, candidates):\n"             # > instead of >=
                              "    f1s = [precision_recall_f1((scores > t).long(), target)[2] for t in candidates]\n"
                              "    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]\n"
                              "    return tied[(len(tied) - 1) // 2]\n",
         expect="not yet"),
    dict(exercise="05.4", code="def best_threshold(scores, target, candidates):\n    return 0.4\n",   # the chapter's number
         expect="not yet"),
    dict(exercise="05.4", code="def _middle_of_best(scores, target, candidates):\n" + F1_LIST +
                              "    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]\n"
                              "    return tied[(len(tied) - 1) // 2]\n"
                              "from dlstudy.exercises.ch05 import best_threshold as _reference\n"
                              "def best_threshold(scores, target, candidates):\n"
                              "    return _reference(scores, target, candidates)\n",
         expect="reference solution"),                                     # the check's own reference
]

WRONG += [   # the earlier table's cases, kept
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n    return nn.CrossEntropyLoss()(logits, target)\n",
         expect="which this exercise does not allow"),
    dict(exercise="05.2",
         code="def cross_entropy(logits, target):\n    return F.nll_loss(torch.log(torch.softmax(logits, dim=1)), target)\n",
         expect="operation 'softmax'"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n"
                              "    return nn.NLLLoss()(logits - torch.logsumexp(logits, dim=1, keepdim=True), target)\n",
         expect="operation 'nll_loss"),
    dict(exercise="05.3", code="def balanced_accuracy(preds, target):\n"
                              "    tp = ((preds == 1) & (target == 1)).sum().item()\n"
                              "    return 0.5 * (tp / max(int((target == 1).sum()), 1) + 1.0)\n",   # class 0 assumed perfect
         expect="balanced accuracy"),
    # issue-22 review: classes fixed in the framework (inputs kept, dtype kept, fixed inputs, method)
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n    logits -= logits.max(1, keepdim=True).values\n    return (logits.exp().sum(1).log() - logits[torch.arange(len(target)), target]).mean()\n", expect="in place"),
    dict(exercise="05.2", code="def cross_entropy(logits, target):\n    l = logits.double()\n    return (torch.logsumexp(l, 1) - l[torch.arange(len(target)), target]).mean()\n", expect="dtype"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='05.1', code='def specificity(cm): return (cm[1, 1] / cm[1].sum()).item()\n',
         expect='not yet'),
    dict(exercise='05.1', code='def specificity(cm): return (cm[0, 0] / cm[:, 0].sum()).item()\n',
         expect='not yet'),
    dict(exercise='05.1', code='def specificity(cm): return (cm[0, 0] // cm[0].sum()).item()\n',
         expect='not yet'),
    dict(exercise='05.2', code='import torch.nn.functional as F\ndef cross_entropy(logits, target): return F.cross_entropy(logits, target)\n',
         expect='Your code ran the operation'),
    dict(exercise='05.2', code='import torch.nn.functional as F\ndef cross_entropy(logits, target): return F.nll_loss(F.log_softmax(logits, 1), target)\n',
         expect='Your code ran the operation'),
    dict(exercise='05.2', code='def cross_entropy(logits, target):\n    p = torch.softmax(logits, 1)\n    return -torch.log(p[torch.arange(len(target)), target]).mean()\n',
         expect='Your code ran the operation'),
    dict(exercise='05.2', code='def cross_entropy(logits, target):\n    e = torch.exp(logits)\n    return (torch.log(e.sum(1)) - logits[torch.arange(len(target)), target]).mean()\n',
         expect='Stay finite for huge logits: for logits of shape'),
    dict(exercise='05.2', code='def cross_entropy(logits, target): return (torch.logsumexp(logits, 1) - logits[torch.arange(len(target)), target]).sum()\n',
         expect='For logits of shape'),
    dict(exercise='05.2', code='def cross_entropy(logits, target): return -torch.log_softmax(logits, 1)[torch.arange(len(target)), target].mean()\n',
         expect='Your code ran the operation'),
    dict(exercise='05.2', code='def cross_entropy(logits, target): return -torch.special.log_softmax(logits, 1)[torch.arange(len(target)), target].mean()\n',
         expect='Your code ran the operation'),
    dict(exercise='05.3', code='def balanced_accuracy(preds, target): return (preds == target).float().mean().item()\n',
         expect='not yet'),
    dict(exercise='05.3', code='from sklearn.metrics import balanced_accuracy_score\ndef balanced_accuracy(preds, target): return balanced_accuracy_score(target, preds)\n',
         expect='Your code called balanced_accuracy_score (from'),
    dict(exercise='05.3', code='def balanced_accuracy(preds, target): return (preds[target == 1] == 1).float().mean().item()\n',
         expect='not yet'),
    dict(exercise='05.3', code='def balanced_accuracy(preds, target):\n    p1 = (target[preds == 1] == 1).float().mean()\n    r0 = (preds[target == 0] == 0).float().mean()\n    return ((p1 + r0) / 2).item()\n',
         expect='not yet'),
    dict(exercise='05.3', code='from sklearn.metrics import balanced_accuracy_score\ndef balanced_accuracy(preds, target): return balanced_accuracy_score([int(v) for v in target], [int(v) for v in preds])\n',
         expect='Your code called balanced_accuracy_score (from'),
    dict(exercise='05.4', code='def best_threshold(scores, target, candidates):\n    f1s = []\n    for t in candidates:\n        p = scores >= t\n        tp = (p & (target == 1)).sum().item(); fp = (p & (target == 0)).sum().item(); fn = (~p & (target == 1)).sum().item()\n        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)\n    return candidates[f1s.index(max(f1s))]\n',
         expect='not yet'),
    dict(exercise='05.4', code='def best_threshold(scores, target, candidates):\n    f1s = []\n    for t in candidates:\n        p = scores >= t\n        tp = (p & (target == 1)).sum().item(); fp = (p & (target == 0)).sum().item(); fn = (~p & (target == 1)).sum().item()\n        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)\n    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]\n    return tied[len(tied) // 2]\n',
         expect='not yet'),
    dict(exercise='05.4', code='def best_threshold(scores, target, candidates):\n    f1s = []\n    for t in candidates:\n        p = scores >= t\n        tp = (p & (target == 1)).sum().item(); fp = (p & (target == 0)).sum().item(); fn = (~p & (target == 1)).sum().item()\n        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)\n    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]\n    return round(sum(tied) / len(tied), 2)\n',
         expect='Return one of the candidates; for'),
]
