"""Wrong ways to solve chapter 05's exercises; each must fail its check with a message naming the rule."""

WRONG = [
    dict(exercise="1. specificity",
         code="def specificity(cm):\n    (tn, fp), (fn, tp) = cm.tolist()\n    return tp / (tp + fn)\n",   # recall
         expect="specificity is TN / (TN + FP)"),
    dict(exercise="1. specificity",
         code="def specificity(cm):\n    return 5 / 7\n",                                               # memorized
         expect="your answer is wrong on other matrices"),
    dict(exercise="1. specificity",
         code="def specificity(cm):\n    (tn, fp), (fn, tp) = cm.tolist()\n    return tn / (tn + fn)\n",   # wrong box
         expect="specificity is TN / (TN + FP)"),
    dict(exercise="2. cross-entropy by hand",
         code="def cross_entropy(logits, target):\n    return F.cross_entropy(logits, target)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.cross_entropy"),
    dict(exercise="2. cross-entropy by hand",
         code="def cross_entropy(logits, target):\n    return nn.CrossEntropyLoss()(logits, target)\n",
         expect="Rule: this exercise asks you not to use torch.nn.CrossEntropyLoss"),
    dict(exercise="2. cross-entropy by hand",
         code="def cross_entropy(logits, target):\n    return F.nll_loss(F.log_softmax(logits, dim=1), target)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.log_softmax"),
    dict(exercise="2. cross-entropy by hand",
         code="def cross_entropy(logits, target):\n    return F.nll_loss(torch.log(torch.softmax(logits, dim=1)), target)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.nll_loss"),
    dict(exercise="2. cross-entropy by hand",
         code="def cross_entropy(logits, target):\n"
              "    return nn.NLLLoss()(logits - torch.logsumexp(logits, dim=1, keepdim=True), target)\n",
         expect="Rule: this exercise asks you not to use torch.nn.NLLLoss"),
    dict(exercise="2. cross-entropy by hand",
         code="def cross_entropy(logits, target):\n"
              "    p = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)\n"         # unstable softmax
              "    return -torch.log(p[torch.arange(len(target)), target]).mean()\n",
         expect="stay finite for huge logits"),
    dict(exercise="2. cross-entropy by hand",
         code="def cross_entropy(logits, target):\n"
              "    return (torch.logsumexp(logits, dim=1) - logits[torch.arange(len(target)), target]).sum()\n",  # sum
         expect="average it over the batch"),
    dict(exercise="3. balanced accuracy",
         code="def balanced_accuracy(preds, target):\n"
              "    return skm.balanced_accuracy_score(target.cpu().numpy(), preds.cpu().numpy())\n",
         expect="Rule: this exercise asks you not to use sklearn.metrics.balanced_accuracy_score"),
    dict(exercise="3. balanced accuracy",
         code="def balanced_accuracy(preds, target):\n    return (preds == target).float().mean().item()\n",  # accuracy
         expect="the always-'healthy' model must score 0.5"),
    dict(exercise="3. balanced accuracy",
         code="def balanced_accuracy(preds, target):\n"
              "    tp = ((preds == 1) & (target == 1)).sum().item()\n"
              "    return 0.5 * (tp / max(int((target == 1).sum()), 1) + 1.0)\n",             # class 0 assumed perfect
         expect="average the recall of class 0 and the recall of class 1"),
    dict(exercise="4. best threshold",
         code="def best_threshold(scores, target, candidates):\n"
              "    f1s = [precision_recall_f1((scores >= t).long(), target)[2] for t in candidates]\n"
              "    return candidates[f1s.index(max(f1s))]\n",                               # the first best one
         expect="return the middle one of the candidates"),
    dict(exercise="4. best threshold",
         code="def best_threshold(scores, target, candidates):\n    return 0.4\n",              # memorized
         expect="your answer is wrong on other scores"),
]
