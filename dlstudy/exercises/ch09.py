"""Chapter 09's exercises: soft-thresholding, inverted dropout, early stopping on a list, deep initialization.

Soft-thresholding and dropout run under allowed-operations rules (and every torch function named
``*dropout*`` is refused, since on the CPU ``F.dropout`` reaches ATen as the same operations as a mask
drawn by hand); early stopping is compared with a reference that lives here, on loss curves with ties
drawn at check time, with dlstudy's ``EarlyStopping`` switched off; the chapter's own ``soft_threshold``,
``dropout_by_hand`` and ``init_weights`` are switched off while the answers run.
"""

import torch
from torch import nn

from dlstudy.exercises.effects import LIBRARIES, chapter_functions, refuse_calls, refuse_torch_functions
from dlstudy.exercises.inputs import draw_int, generator, sizes
from dlstudy.exercises.registry import AnswerError, Rule, exercise, expect
from dlstudy.exercises.rules import reference

__all__ = []

COMPARISONS = {"gt", "ge", "lt", "le", "eq", "ne"}


def _chapter_off(answer, *names):
    return refuse_calls(functions=chapter_functions(answer, *names),
                        why=("write it yourself instead of calling the chapter's version", "챕터의 함수를 부르지 말고 "
                             "직접 쓰세요"))


@reference
def soft_threshold(w, t):
    return torch.sign(w) * torch.clamp(w.abs() - t, min=0.0)


@exercise("09.1", title=("Soft-thresholding", "소프트 임계값"),
          hints=[("Think of each entry as a size and a sign: shrink the size by t, but never below 0.",
                  "각 값을 크기와 부호로 생각하세요. 크기를 t만큼 줄이되 0 아래로는 내려가지 않아요."),
                 ("Subtract t from the absolute value, clamp the result at a minimum of 0, then multiply by the "
                  "sign of the original entry.", "절댓값에서 t를 빼고 그 결과를 최소 0으로 자른 뒤, 원래 값의 "
                  "부호를 곱하세요.")],
          rule=Rule(why=("write it with sign, abs and clamp (or torch.where), not with softshrink",
                         "softshrink 말고 sign, abs, clamp(또는 torch.where)로 쓰세요"), torch_only=True,
                    allow=frozenset({"abs", "sign", "sgn", "sub", "add", "mul", "div", "neg", "clamp", "relu",
                                     "where", "maximum", "minimum", "max", "min", "masked_fill", "logical_and",
                                     "logical_not",
                                     "bitwise_and", "bitwise_not", "copysign"} | COMPARISONS)))
def _soft(my_soft_threshold):
    g = generator()
    n, m = sizes(g, 3, 12)
    for shape, dtype in [((n,), torch.float32), ((m, n + 1), torch.float64), ((2, m, 3), torch.float32)]:
        t = round(0.1 + float(torch.rand((), generator=g)), 2)
        w = (torch.randn(shape, generator=g, dtype=torch.float64) * 1.5).to(dtype)
        flat = w.view(-1)
        flat[:3] = torch.tensor([t, -t, 0.0], dtype=dtype)            # ties: exactly at the threshold, and 0
        before = w.clone()
        with _chapter_off(my_soft_threshold, "soft_threshold"):
            got = my_soft_threshold(w, t)
        expect(torch.equal(w, before), "leave w unchanged (do not change it in place): return a new tensor.",
               "w는 제자리에서 바꾸지 말고 그대로 두세요: 새 텐서를 돌려주세요.")
        expect(torch.is_tensor(got) and got.shape == w.shape and got.dtype == w.dtype, "return a tensor of the same "
               "shape and dtype as w ({shape}, {dtype}).", "w와 같은 모양과 dtype의 텐서를 돌려주세요 ({shape}, "
               "{dtype}).", shape=tuple(shape), dtype=dtype)
        expect(torch.allclose(got, soft_threshold(w, t), atol=1e-6), "move every entry t towards 0 and stop at "
               "exactly 0: entries with |w| <= t become 0 (t = {t}, w of shape {shape}).", "모든 값을 0 쪽으로 t만큼 "
               "옮기고 정확히 0에서 멈추세요: |w| <= t인 값은 0이 돼요 (t = {t}, w의 모양 {shape}).", t=t,
               shape=tuple(shape))


@exercise("09.2", title=("Inverted dropout", "역 드롭아웃"),
          hints=[("Compare one uniform random number per value with p to decide which values survive.",
                  "값마다 균등 분포 난수 하나를 p와 비교해 살아남을 값을 정하세요."),
                 ("Build a 0/1 mask that is 1 where a uniform random number is at least p, multiply x by it and "
                  "divide by 1 - p; in evaluation mode return x as it is.", "균등 분포 난수가 p 이상인 곳은 1인 "
                  "0/1 마스크를 만들어 x에 곱하고 1 - p로 나누세요. 평가 모드에서는 x를 그대로 돌려주세요.")],
          rule=Rule(why=("draw the mask yourself, e.g. from torch.rand_like; nn.Dropout and F.dropout are off",
                         "마스크를 직접 뽑으세요 (예: torch.rand_like). nn.Dropout과 F.dropout은 꺼져 있어요"),
                    torch_only=True,
                    allow=frozenset({"uniform", "rand", "rand_like", "bernoulli", "mul", "div", "where", "masked_fill",
                                     "sub", "add", "reciprocal", "logical_not", "bitwise_not", "neg", "all", "any",
                                     "is_all_true", "bitwise_and", "logical_and"} | COMPARISONS)))
def _dropout(my_dropout):
    g = generator()
    low, high = (round(a + b * float(torch.rand((), generator=g)), 2) for a, b in ((0.1, 0.2), (0.4, 0.25)))
    for p in (low, high):                       # a small and a large p: keeping with probability p shows
        c, length = draw_int(g, 3, 8), draw_int(g, 300, 500)
        x = torch.rand(80, c, length, generator=g) * 2 + 0.5       # no zeros: a zero is a dropped value
        before = x.clone()
        with refuse_torch_functions("dropout", why=("draw the mask yourself", "마스크를 직접 뽑으세요")), \
                _chapter_off(my_dropout, "dropout_by_hand"):
            out, again = my_dropout(x, p, training=True), my_dropout(x, p, training=True)
            evaluation = my_dropout(x, p, training=False)
            try:                              # x on another device ('meta'): a mask made on the CPU cannot meet it
                my_dropout(x.to("meta"), p, training=True)
                on_meta = None
            except AnswerError as error:      # only a device mismatch counts: meta tensors cannot do everything
                text = (str(error.__cause__).splitlines() or [""])[0]
                on_meta = text[:120] if "device" in text and "cpu" in text.lower() else None
        case = f"p = {p}, x of shape {tuple(x.shape)}"
        expect(torch.equal(x, before), "leave x unchanged (do not change it in place): return a new "
               "tensor.", "x는 제자리에서 바꾸지 말고 그대로 두세요: 새 텐서를 돌려주세요.")
        expect(torch.is_tensor(evaluation) and torch.equal(evaluation, x), "in evaluation mode (training=False) "
               "return x unchanged.", "평가 모드(training=False)에서는 x를 그대로 돌려주세요.")
        expect(torch.is_tensor(out) and out.shape == x.shape, "return a tensor of x's shape.",
               "x와 같은 모양의 텐서를 돌려주세요.")
        dropped, dropped_again = out == 0, again == 0
        kept_right = torch.allclose(out[~dropped], (x / (1 - p))[~dropped], rtol=1e-5)
        expect(kept_right, "zero the dropped values and scale the kept ones by 1 / (1 - p) ({case}).",
               "버린 값은 0으로, 남긴 값은 1 / (1 - p)배로 만드세요 ({case}).", case=case)
        share = dropped.float().mean().item()
        expect(abs(share - p) < 0.01, "drop each value with probability p: you dropped {share:.3f} of the values "
               "({case}).", "각 값을 확률 p로 버리세요: 값의 {share:.3f}를 버렸어요 ({case}).", share=share, case=case)
        expect(abs(out.mean().item() / x.mean().item() - 1) < 0.03, "the mean must stay the same (inverted dropout).",
               "평균이 그대로여야 해요 (역 드롭아웃).")
        pairs = [(dropped[..., 1:] & dropped[..., :-1]),                # neighbours along the last axis
                 (dropped[:, 1:] & dropped[:, :-1]), (dropped[1:] & dropped[:-1])]
        independent = all(abs(both.float().mean().item() - p * p) < 0.015 for both in pairs)
        expect(independent and not torch.equal(dropped, dropped_again), "drop each value independently of every other "
               "value (not whole rows or channels), with a new random mask at every call ({case}).",
               "각 값을 다른 값과 독립적으로 버리세요 (행이나 채널 전체가 아니라). 부를 때마다 새 무작위 마스크를 "
               "쓰세요 ({case}).", case=case)
        expect(on_meta is None, "make the mask on x's device (torch.rand_like(x), or device=x.device): for x on "
               "another device your code raised '{error}'. A mask drawn on the CPU (torch.rand(x.shape), NumPy, "
               "random, a CPU probability tensor) fails on a GPU.", "마스크는 x의 장치에서 만드세요 (torch.rand_like(x) "
               "또는 device=x.device). 다른 장치의 x에서 코드가 '{error}' 오류를 냈어요. CPU에서 뽑은 마스크(torch.rand("
               "x.shape), NumPy, random, CPU 확률 텐서)는 GPU에서 실패해요.", error=on_meta)


@reference
def early_stopping_epochs(val_losses, patience):
    """(best_epoch, stop_epoch), epochs from 1: stop after `patience` epochs in a row without a new lowest loss."""
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _ties_improve(val_losses, patience):
    """The usual mistake: an equal loss counted as a new best."""
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss <= best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


@exercise("09.3", title=("Early stopping on a list", "리스트로 하는 조기 종료"),
          hints=[("Walk through the losses once, remembering the best loss so far and how long ago it was.",
                  "손실을 한 번 훑으면서 지금까지의 최저 손실과 그게 얼마나 전이었는지 기억하세요."),
                 ("Keep best_loss, best_epoch and a counter; a strictly lower loss becomes the new best and resets "
                  "the counter, any other loss adds 1; when the counter reaches patience, return the best epoch and "
                  "this epoch; after the loop, return the best epoch and the number of epochs.",
                  "best_loss, best_epoch, 카운터를 두세요. 더 낮은 손실은 새 최저가 되고 카운터를 0으로 돌려요. "
                  "그 밖의 손실은 카운터에 1을 더해요. 카운터가 patience에 닿으면 최저 에폭과 이번 에폭을 "
                  "돌려주고, 루프가 끝나면 최저 에폭과 에폭 수를 돌려주세요.")],
          no_rule_because="plain Python on a list; the check compares it with the rule of EarlyStopping on loss "
                          "curves with ties drawn at check time, with dlstudy's training code switched off")
def _early(answer):
    g = generator()
    cases = [([1.0, 0.8, 0.9, 0.7, 0.75, 0.8, 0.6], 2), ([1.0, 0.9, 0.8], 2),
             ([1.0, 0.9995, 0.999, 0.9985, 0.998], 2)]          # improvements smaller than 1e-3 count too
    for _ in range(60):
        length = draw_int(g, 1, 30)
        curve = (1 / torch.arange(1, length + 1) + 0.1 * torch.rand(length, generator=g)).double().round(decimals=2)
        cases.append((curve.tolist(), draw_int(g, 1, 6)))
    with refuse_calls(("dlstudy.train", "dlstudy.callbacks") + LIBRARIES, why=(
            "write the rule yourself instead of running EarlyStopping", "EarlyStopping을 돌리지 말고 규칙을 직접 "
            "쓰세요")):
        answers = [answer(list(losses), patience) for losses, patience in cases]
    for (losses, patience), got in zip(cases, answers):
        want = early_stopping_epochs(losses, patience)
        expect(isinstance(got, tuple) and len(got) == 2, "return a pair (best_epoch, stop_epoch), not {got!r}.",
               "(best_epoch, stop_epoch) 쌍을 돌려주세요. {got!r}이(가) 아니에요.", got=got)
        if tuple(got) == want:
            continue
        shown = losses if len(losses) <= 12 else losses[:12] + ["..."]
        case = dict(losses=shown, patience=patience, want=want, got=tuple(got))
        expect(tuple(got) != _ties_improve(losses, patience), "an equal loss is no improvement: a new best must be "
               "strictly lower than every earlier loss (patience = {patience}, val_losses = {losses}: {want}, "
               "yours {got}).", "같은 손실은 개선이 아니에요: 새 최저는 앞의 모든 손실보다 엄격히 낮아야 해요 "
               "(patience = {patience}, val_losses = {losses}: {want}, 답 {got}).", **case)
        expect(tuple(got) != (want[0] - 1, want[1] - 1), "count epochs from 1 (patience = {patience}, val_losses = "
               "{losses}: {want}, yours {got}).", "에폭은 1부터 세세요 (patience = {patience}, val_losses = "
               "{losses}: {want}, 답 {got}).", **case)
        expect(False, "stop after `patience` epochs in a row without a new lowest loss (a new best must be strictly "
               "lower than every earlier loss); if that never happens, stop_epoch is the last epoch (patience = "
               "{patience}, val_losses = {losses}: {want}, yours {got}).", "새 최저 없이 `patience` 에폭이 이어지면 "
               "멈춰요 (새 최저는 앞의 모든 손실보다 엄격히 낮아야 해요). 그런 일이 없으면 stop_epoch은 마지막 "
               "에폭이에요 (patience = {patience}, val_losses = {losses}: {want}, 답 {got}).", **case)


def _layers(model):
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


@exercise("09.4", title=("Initialize a deep network", "깊은 신경망 초기화"),
          hints=[("Visit every module of the model and treat the nn.Linear ones; the activation decides the rule.",
                  "모델의 모든 모듈을 돌면서 nn.Linear만 다루세요. 어떤 규칙을 쓸지는 활성화 함수가 정해요."),
                 ("Loop over model.modules(); for each nn.Linear use torch.nn.init's Xavier normal function for "
                  "tanh or its Kaiming normal function with nonlinearity='relu' for ReLU on the weight, and its zeros "
                  "function on the bias.", "model.modules()를 돌면서 nn.Linear마다 가중치에는 tanh면 torch.nn.init의 "
                  "Xavier normal 함수를, ReLU면 nonlinearity='relu'로 Kaiming normal 함수를 쓰고, 편향에는 zeros "
                  "함수를 쓰세요.")],
          no_rule_because="initialization may be written in many ways; the check measures every layer's weights "
                          "(std, normal tails) and biases in networks drawn at check time, with the chapter's "
                          "init_weights switched off",
          changes=(0,))
def _init(init_deep):
    g = generator()
    for nonlinearity in ("tanh", "relu"):
        act = nn.Tanh if nonlinearity == "tanh" else nn.ReLU
        widths = [draw_int(g, 90, 160), draw_int(g, 200, 300), draw_int(g, 60, 100), draw_int(g, 150, 250)]
        inner = nn.Sequential(nn.Linear(widths[1], widths[2]), act(), nn.Linear(widths[2], widths[3]))
        model = nn.Sequential(nn.Linear(widths[0], widths[1]), act(), nn.Sequential(inner, act()),
                              nn.Linear(widths[3], draw_int(g, 80, 120)))
        with torch.no_grad():
            for layer in _layers(model):
                layer.bias.fill_(0.5)
        with _chapter_off(init_deep, "init_weights"):
            init_deep(model, nonlinearity)
        for k, layer in enumerate(_layers(model), start=1):
            fan_out, fan_in = layer.weight.shape
            expected = (2 / (fan_in + fan_out)) ** 0.5 if nonlinearity == "tanh" else (2 / fan_in) ** 0.5
            rule = ("Xavier normal for tanh: std sqrt(2 / (fan_in + fan_out))" if nonlinearity == "tanh"
                    else "Kaiming normal for ReLU: std sqrt(2 / fan_in)")
            std = layer.weight.detach().std().item()
            expect(abs(std / expected - 1) < 0.05, "{rule}; layer {k} ({fan_in} -> {fan_out}, in a nested "
                   "Sequential too) has std {std:.4f}, expected {expected:.4f}.", "{rule}. {k}번째 층 ({fan_in} -> "
                   "{fan_out}, 안쪽 Sequential 안의 층도 포함)의 표준편차가 {std:.4f}인데 {expected:.4f}여야 해요.",
                   rule=rule, k=k, fan_in=fan_in, fan_out=fan_out, std=std, expected=expected)
            tails = (layer.weight.detach().abs() > 2 * std).float().mean().item()   # normal: 4.6 %, uniform: 0
            expect(tails > 0.03, "{rule}, from a normal distribution (the _normal_ init, not _uniform_).",
                   "{rule}, 정규 분포에서 뽑아요 (_uniform_이 아니라 _normal_ 초기화).", rule=rule)
            expect(bool((layer.bias == 0).all()), "set every bias to 0 (layer {k} still has other biases).",
                   "모든 편향을 0으로 두세요 ({k}번째 층의 편향이 0이 아니에요).", k=k)
