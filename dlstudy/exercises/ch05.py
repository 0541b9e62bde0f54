"""Chapter 05's exercises: specificity, cross-entropy by hand, balanced accuracy, the best threshold."""

from fractions import Fraction

import torch
import torch.nn.functional as F

from dlstudy.exercises.inputs import describe, draw_int, generator, randn, sizes
from dlstudy.exercises.registry import Rule, expect, exercise
from dlstudy.exercises.rules import reference
from dlstudy.lang import tr

__all__ = []


def _number(value):
    """``value`` as a float if it is a number or a one-element tensor, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if torch.is_tensor(value) and value.numel() == 1:
        return value.item()
    return None


@exercise("05.1", title=("Specificity", "특이도"),
          no_rule_because="a formula on four counts; it is compared with TN / (TN + FP) on fresh confusion matrices "
                          "whose four counts all differ",
          hints=[("Specificity is the recall of the negative class: which row of the matrix holds the true negatives?",
                  "특이도는 음성 클래스의 재현율이에요. 참 음성은 행렬의 어느 행에 있나요?"),
                 ("Unpack the matrix into its four counts (first row TN, FP; second row FN, TP) and divide TN by the "
                  "sum of the first row.", "행렬을 네 개수로 풀고(첫 행 TN, FP, 둘째 행 FN, TP) TN을 첫 행의 합으로 "
                  "나누세요.")])
def _test_specificity(answer):
    g = generator()
    for _ in range(4):
        tn, fp, fn, tp = torch.randperm(60, generator=g)[:4].add(1).tolist()        # four different counts
        cm = torch.tensor([[tn, fp], [fn, tp]])
        got = _number(answer(cm.clone()))
        expect(got is not None and abs(got - tn / (tn + fp)) < 1e-6, "for cm = [[TN, FP], [FN, TP]] = {cm} the "
               "specificity TN / (TN + FP) is {want:.4f}; yours is {got}.", "cm = [[TN, FP], [FN, TP]] = {cm}에서 특이도 "
               "TN / (TN + FP)는 {want:.4f}인데 결과는 {got}예요.", cm=cm.tolist(), want=tn / (tn + fp), got=got)


_LOG_SUM_EXP = frozenset({"logsumexp", "sub", "mean", "neg", "sum", "div", "add", "mul", "exp", "log", "amax", "max",
                          # picking the true class's logit: masks, one_hot, take_along_dim (and their checks)
                          "eq", "ne", "lt", "le", "gt", "ge", "where", "masked_fill", "one_hot", "scatter", "aminmax",
                          "min", "amin", "remainder"})


@exercise("05.2", keeps_dtype=True, title=("Cross-entropy from logits, by hand", "로짓에서 손으로 구하는 교차 엔트로피"),
          rule=Rule(why=("compute it by hand with torch.logsumexp", "torch.logsumexp로 직접 계산하세요"),
                    torch_only=True, allow=_LOG_SUM_EXP),
          refuse=("torch.distributions",),
          hints=[("The loss of one sample is minus the log of its true class's softmax probability; write that log "
                  "without ever computing the softmax itself.", "샘플 하나의 손실은 정답 클래스 소프트맥스 확률의 로그에 "
                  "마이너스를 붙인 값이에요. 소프트맥스를 계산하지 않고 그 로그를 쓰세요."),
                 ("log softmax(z)_y = z_y - logsumexp(z). Pick each row's true-class logit with integer indexing, "
                  "subtract it from torch.logsumexp over the classes, then take the mean.", "log softmax(z)_y = z_y - "
                  "logsumexp(z)예요. 정수 인덱싱으로 행마다 정답 클래스의 로짓을 고르고, 클래스에 대한 torch.logsumexp에서 "
                  "빼고, 평균을 내세요.")])
def _test_cross_entropy(answer):
    g = generator()
    for n, c in zip(sizes(g, 3, 12), sizes(g, 2, 7)):
        logits = randn(g, n, c, scale=4.0)
        logits[0, : c // 2 + 1] = 1.5                                  # ties within a row
        logits[-1] = torch.linspace(1000.0, -1000.0, c)                # huge logits: exp would overflow
        target = torch.randint(0, c, (n,), generator=g)
        target[:2] = torch.tensor([c - 1, 0])                          # the first and the last class both appear
        got = answer(logits.clone(), target.clone())
        case = describe(logits=logits) + f", target = {target.tolist()}"
        expect(torch.is_tensor(got) and got.shape == (), "return the mean over the batch: one number, a tensor of shape "
               "(); for {case} yours is {got}.", "배치 평균, 즉 모양 ()인 텐서 하나를 돌려주세요. {case}에서 결과: {got}.",
               case=case, got=tuple(got.shape) if torch.is_tensor(got) else type(got).__name__)
        want = F.cross_entropy(logits.double(), target).item()
        expect(torch.isfinite(got).item(), "stay finite for huge logits: for {case} yours is {got}.",
               "큰 로짓에서도 유한해야 해요. {case}에서 결과: {got}.", case=case, got=got.item())
        expect(abs(got.item() - want) <= 1e-4 * (1 + abs(want)), "for {case} the mean cross-entropy is {want:.6g}, "
               "yours {got:.6g} (a sample's loss is logsumexp(z) − z_y).", "{case}에서 평균 교차 엔트로피는 {want:.6g}인데 "
               "결과는 {got:.6g}예요 (샘플의 손실은 logsumexp(z) − z_y).", case=case, want=want, got=got.item())


@exercise("05.3", title=("Balanced accuracy", "균형 정확도"),
          rule=Rule(why=("write it yourself, without scikit-learn", "scikit-learn 없이 직접 쓰세요"), torch_only=True),
          no_rule_because="any torch computation of the two recalls is right; scikit-learn (and NumPy) are refused by "
                          "the torch-only rule, and the value is compared on fresh imbalanced labels",
          refuse=("precision_recall_f1", "compare_metrics"),
          hints=[("Compute one recall per class, each on the samples of that class only.",
                  "클래스마다 그 클래스의 샘플에서만 재현율을 하나씩 구하세요."),
                 ("For class c, keep the predictions where target == c and take the share that equals c; do it for "
                  "c = 0 and c = 1 and average the two.", "클래스 c에 대해 target == c인 예측만 남기고 그중 c와 같은 "
                  "비율을 구하세요. c = 0과 c = 1에 대해 구해 평균을 내세요.")])
def _test_balanced_accuracy(answer):
    g = generator()
    for n, share in zip(sizes(g, 20, 200), (0.1, 0.35)):
        target = (torch.rand(n, generator=g) < share).long()
        target[:2] = torch.tensor([0, 1])                             # both classes present
        for preds in ((torch.rand(n, generator=g) < 0.3).long(), torch.zeros(n, dtype=torch.long)):
            recall = [(preds[target == c] == c).double().mean().item() for c in (0, 1)]
            want = sum(recall) / 2
            got = _number(answer(preds.clone(), target.clone()))
            case = tr("{n} samples, {p} of class 1, {q} predicted 1", "샘플 {n}개, 클래스 1은 {p}개, 1로 예측한 것은 "
                      "{q}개").format(n=n, p=int(target.sum()), q=int(preds.sum()))
            expect(got is not None and abs(got - want) < 1e-6, "for {case} the balanced accuracy (the mean of the two "
                   "classes' recalls) is {want:.4f}; yours is {got}.", "{case}에서 균형 정확도(두 클래스 재현율의 "
                   "평균)는 {want:.4f}인데 결과는 {got}예요.", case=case, want=want, got=got)


def _counts(scores, target, t, strict=False):
    pred = scores > t if strict else scores >= t
    tp = int((pred & (target == 1)).sum())
    return tp, int((pred & (target == 0)).sum()), int((~pred & (target == 1)).sum())


def _f1(counts):
    tp, fp, fn = counts
    return Fraction(2 * tp, 2 * tp + fp + fn) if tp else Fraction(0)


@reference
def best_threshold(scores, target, candidates):
    """The middle (lower middle for an even number) of the candidates with the highest F1, by exact fractions."""
    f1s = [_f1(_counts(scores, target, t)) for t in candidates]
    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]
    return tied[(len(tied) - 1) // 2]


def _middle_by_accuracy(scores, target, candidates):
    correct = [int(((scores >= t).long() == target).sum()) for t in candidates]
    tied = [t for t, c in zip(candidates, correct) if c == max(correct)]
    return tied[(len(tied) - 1) // 2]


def _middle_strict(scores, target, candidates):
    f1s = [_f1(_counts(scores, target, t, strict=True)) for t in candidates]
    tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]
    return tied[(len(tied) - 1) // 2]


def _plateau_case(g, want_even):
    """Scores, 0/1 targets and candidates whose best F1 is tied by an even (or odd >= 3) number of candidates."""
    candidates = [round(i / 20, 2) for i in range(1, 20)]
    for _ in range(1000):
        n = sizes(g, 20, 61)[0]
        target = (torch.rand(n, generator=g) < 0.4).long()
        k = draw_int(g, 3, 6)                       # scores take k levels: plateaus of thresholds of random lengths,
        grid = torch.tensor([round(i / 40, 3) for i in range(2, 40)])   # some levels equal to a candidate (>= vs >)
        levels = grid[torch.randperm(len(grid), generator=g)[:k].sort().values]
        index = (torch.rand(n, generator=g) * (k - 0.5) + 1.5 * target).clamp(max=k - 1e-3).floor().long()
        scores = levels[index]
        counts = [_counts(scores, target, t) for t in candidates]
        best = max(_f1(c) for c in counts)
        tied = [c for c in counts if _f1(c) == best]
        if len(set(tied)) == 1 and (len(tied) % 2 == 0) == want_even and len(tied) >= 2 \
                and best_threshold(scores, target, candidates) not in (_middle_by_accuracy(scores, target, candidates),
                                                                       _middle_strict(scores, target, candidates)):
            return scores, target, candidates       # F1 and >=, not accuracy or >, decide the answer here
    raise RuntimeError("no plateau case found")


@exercise("05.4", title=("Choose the threshold on the validation set", "검증 세트에서 임계값 고르기"),
          no_rule_because="any way of computing F1 is right; the choice is compared with the middle of the tied best "
                          "candidates on fresh scores whose plateaus have odd and even lengths",
          hints=[("Compute the F1 of every candidate first, then look at all candidates that reach the maximum.",
                  "먼저 모든 후보의 F1을 구한 뒤, 최댓값에 닿는 후보를 모두 보세요."),
                 ("Collect, in order, the candidates whose F1 equals the largest F1, and return the middle one of that "
                  "list (the lower middle one when the list has an even length).", "F1이 가장 큰 F1과 같은 후보를 순서대로 "
                  "모으고, 그 목록의 가운데 것을 돌려주세요 (길이가 짝수이면 가운데 둘 중 아래 것).")])
def _test_best_threshold(answer):
    g = generator()
    for want_even in (True, False):
        scores, target, candidates = _plateau_case(g, want_even)
        got = answer(scores.clone(), target.clone(), list(candidates))
        want = best_threshold(scores, target, candidates)
        f1s = [_f1(_counts(scores, target, t)) for t in candidates]
        tied = [t for t, f in zip(candidates, f1s) if f == max(f1s)]
        case = tr("{n} scores, candidates 0.05 to 0.95, the best F1 reached by {tied}", "점수 {n}개, 후보 0.05 ~ 0.95, "
                  "가장 높은 F1에 닿는 후보 {tied}").format(n=len(scores), tied=tied)
        expect(got in candidates, "return one of the candidates; for {case} yours is {got!r}.", "후보 중 하나를 "
               "돌려주세요. {case}에서 결과: {got!r}.", case=case, got=got)
        expect(got == want, "for {case} the middle of the tied candidates is {want} (the lower middle for an even "
               "number); yours is {got}.", "{case}에서 동점 후보의 가운데는 {want}예요 (짝수 개면 가운데 둘 중 아래 것). "
               "결과: {got}.", case=case, want=want, got=got)
