"""Chapter 11's exercises: cosine with warmup, an "overfit one batch" check, a diagnosis, the LR finder's smoothing.

The schedule and the smoothing are compared with formulas that live here, for settings drawn at check
time, with PyTorch's schedulers, dlstudy's helpers and NumPy / pandas / SciPy switched off;
``can_overfit`` is judged by its effect: the model it trained must hold the weights of Adam's steps
from the same start, and its verdict must match the loss those steps reach.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from dlstudy.device import get_device
from dlstudy.exercises.effects import LIBRARIES, OnDevice, refuse_calls
from dlstudy.exercises.inputs import draw_int, generator
from dlstudy.exercises.registry import Rule, exercise, expect
from dlstudy.exercises.rules import reference
from dlstudy.exercises.watching import explained, watched

__all__ = []

HELPERS = ("dlstudy.train", "dlstudy.callbacks", "dlstudy.lr_finder", "dlstudy.demos", "dlstudy.metrics")


@reference
def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):
    if step < warmup_steps:
        return peak_lr * (0.01 + 0.99 * step / warmup_steps)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return peak_lr * 0.5 * (1 + math.cos(math.pi * progress))


@exercise("11.1", title=("Cosine with warmup, as a formula", "공식으로 쓰는 워밍업 + 코사인"),
          hints=[("Two cases: inside the warmup and after it. At step == warmup_steps the lr is exactly peak_lr.",
                  "두 경우가 있어요: 워밍업 안과 그 뒤. step == warmup_steps에서 lr은 정확히 peak_lr이에요."),
                 ("After the warmup, measure how far you are through the remaining steps as a fraction that goes "
                  "from 0 to 1; the lr is the peak times one half of one plus the cosine of pi times that fraction.",
                  "워밍업 뒤에는 남은 스텝 중 얼마나 왔는지를 0에서 1로 가는 비율로 재세요. lr은 최고값 × "
                  "(1 + cos(pi × 그 비율)) / 2예요.")],
          rule=Rule(why=("compute the formula yourself with math.cos; PyTorch's schedulers are off",
                         "math.cos로 공식을 직접 계산하세요. PyTorch의 스케줄러는 꺼져 있어요"),
                    allow=frozenset({"cos", "add", "sub", "mul", "div", "neg", "pow"})))
def _cosine(answer):
    g = generator()
    settings = []
    for _ in range(3):
        warm = draw_int(g, 1, 25)
        settings.append((round(10 ** (-2.3 + 2.3 * float(torch.rand((), generator=g))), 4), warm,
                         warm + draw_int(g, 3, 100)))
    with refuse_calls(("torch.optim.lr_scheduler",) + HELPERS + LIBRARIES,
                      why=("compute the formula yourself", "공식을 직접 계산하세요")):
        answers = [[answer(t, peak, warm, total) for t in range(total)] for peak, warm, total in settings]
    for (peak, warm, total), got in zip(settings, answers):
        want = [cosine_with_warmup(t, peak, warm, total) for t in range(total)]
        case = f"peak_lr = {peak}, warmup_steps = {warm}, total_steps = {total}"
        expect(all(isinstance(v, float) for v in got), "return a plain Python float for each step.",
               "스텝마다 파이썬 float 하나를 돌려주세요.")
        expect(abs(got[0] - peak / 100) < 1e-9 * peak, "step 0 is peak_lr / 100: the warmup starts at 1% of the "
               "peak ({case}).", "스텝 0은 peak_lr / 100이에요: 워밍업은 최고값의 1%에서 시작해요 ({case}).", case=case)
        bad = [t for t in range(total) if abs(got[t] - want[t]) > 1e-6 * peak]
        expect(not [t for t in bad if t < warm], "during the warmup, rise linearly: peak_lr * (0.01 + 0.99 * step / "
               "warmup_steps); step {t} is off ({case}).", "워밍업 동안은 직선으로 올라가요: peak_lr * (0.01 + 0.99 * "
               "step / warmup_steps). 스텝 {t}이(가) 틀려요 ({case}).", t=bad[0] if bad else 0, case=case)
        expect(not bad, "after the warmup, half a cosine from peak_lr to 0 over total_steps - warmup_steps steps; "
               "step {t} should be {want:.6g}, yours is {got:.6g} ({case}).", "워밍업 뒤에는 total_steps - "
               "warmup_steps 스텝 동안 peak_lr에서 0까지 코사인 반 주기로 내려가요. 스텝 {t}은(는) {want:.6g}여야 "
               "하는데 {got:.6g}이에요 ({case}).", t=bad[0] if bad else 0, want=want[bad[0]] if bad else 0,
               got=got[bad[0]] if bad else 0, case=case)


def _net(features, hidden, classes, seed, softmax, device):
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layers = [nn.Linear(features, hidden), nn.ReLU(), nn.Linear(hidden, classes)]
        return nn.Sequential(*layers, *([nn.Softmax(dim=1)] if softmax else [])).to(device)


@reference
def _overfit_reference(model, X, y, steps, lr, optimizer=torch.optim.Adam):
    """Adam's steps on one batch; (loss at the last step, loss after training, the trained weights)."""
    opt = optimizer(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        opt.step()
    with torch.no_grad():
        after = F.cross_entropy(model(X), y).item()
    return loss.item(), after, [p.detach().clone() for p in model.parameters()]


THRESHOLD, MARGIN = 0.05, 1e-3


def _step_counts(model, X, y, lr, max_steps=160):
    """(steps whose last loss is just above 0.05, steps whose last loss is just below it, past the first step
    below), each with the loss after the last step on the same side; None if the loss never gets there."""
    opt, losses = torch.optim.Adam(model.parameters(), lr=lr), []
    for _ in range(max_steps):
        opt.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())                     # losses[s - 1]: the last loss of a run of s steps
        if len(losses) > 3 and losses[-3] < THRESHOLD - MARGIN:
            break
    above = [s for s in range(1, len(losses)) if losses[s - 1] > THRESHOLD + MARGIN and losses[s] > THRESHOLD + MARGIN]
    first_below = next((s for s in range(1, len(losses) + 1) if losses[s - 1] < THRESHOLD - MARGIN), None)
    if not above or first_below is None or first_below + 1 >= len(losses):
        return None
    return max(above), first_below + 1     # one step past the first loss below 0.05: stopping early shows


def _close(a, b):
    return all(p.shape == q.shape and (p - q).abs().max().item() <= 1e-4 + 1e-3 * q.abs().max().item()
               for p, q in zip(a, b))


@exercise("11.2", title=('An "overfit one batch" check', '"배치 하나 과적합" 점검'),
          hints=[("It is chapter 06's training loop on one batch, repeated; compare the last loss with 0.05.",
                  "06장의 학습 루프를 배치 하나로 반복하는 거예요. 마지막 손실을 0.05와 비교하세요."),
                 ("Build the model and an Adam optimizer over its parameters with the given lr. Then, steps times: "
                  "clear the gradients, compute the cross-entropy of the model's output on X against y, "
                  "backpropagate it and step. Return whether the last loss, as a Python number, is below 0.05.",
                  "모델을 만들고 주어진 lr로 그 파라미터에 대한 Adam 옵티마이저를 만드세요. 그다음 steps번: 기울기를 "
                  "지우고, X에 대한 모델 출력과 y의 교차 엔트로피를 계산해 역전파하고 스텝하세요. 마지막 손실을 "
                  "파이썬 숫자로 바꿔 0.05보다 작은지 돌려주세요.")],
          no_rule_because="a training loop may run any operation; the check compares the weights of the model it "
                          "trained with exactly `steps` of Adam's steps from the same start, for step counts whose "
                          "last loss lies just above and just below 0.05 (so another threshold or another number of "
                          "steps shows), runs the loop under dlstudy.watch, and switches off dlstudy's fit")
def _overfit(can_overfit):
    g, device = generator(), get_device()
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])   # the first optimizer imports torch._dynamo: not inside
    for _ in range(5):
        n, features, classes, hidden = draw_int(g, 16, 30), draw_int(g, 8, 20), draw_int(g, 3, 5), draw_int(g, 48, 80)
        X = torch.randn(n, features, generator=g).to(device)
        y = torch.randint(0, classes, (n,), generator=g).to(device)       # random labels: only memorizing fits them
        lr, seed = round(0.006 + 0.006 * float(torch.rand((), generator=g)), 4), draw_int(g, 0, 2 ** 30)
        counts = _step_counts(_net(features, hidden, classes, seed, False, device), X, y, lr)
        if counts is not None:
            break
    above, below = counts
    for steps, softmax in ((above, False), (below, False), (below, True)):   # then the softmax bug of section 3
        made = []

        def make_model():
            made.append(_net(features, hidden, classes, seed, softmax, device))
            return made[-1]

        with refuse_calls(HELPERS, why=("write the training loop yourself", "학습 루프를 직접 쓰세요")), \
                watched(lambda: made[-1] if made else None) as watch:
            verdict = can_overfit(make_model, X.as_subclass(OnDevice), y.as_subclass(OnDevice), steps=steps, lr=lr)
        last, after, weights = _overfit_reference(_net(features, hidden, classes, seed, softmax, device), X, y,
                                                  steps, lr)
        case = f"{steps} steps, lr = {lr}, {n} samples" + (", a model ending in a softmax" if softmax else "")
        with explained(watch, ignore=("softmax",) if softmax else ()):       # the check's softmax, not yours
            expect(made, "build the model with make_model().", "make_model()로 모델을 만드세요.")
            mine = [list(m.parameters()) for m in made]
            if not any(_close([p.detach() for p in ps], weights) for ps in mine):
                adamw = _overfit_reference(_net(features, hidden, classes, seed, softmax, device), X, y, steps, lr,
                                           optimizer=torch.optim.AdamW)[2]
                expect(not any(_close([p.detach() for p in ps], adamw) for ps in mine), "use torch.optim.Adam: "
                       "AdamW also decays the weights, another optimizer.", "torch.optim.Adam을 쓰세요: AdamW는 "
                       "가중치도 줄이는 다른 옵티마이저예요.")
                expect(False, "train the model make_model() built with torch.optim.Adam(model.parameters(), lr=lr) "
                       "for exactly `steps` steps of zero_grad, forward, cross-entropy loss, backward and step "
                       "({case}): the weights after your loop differ from those steps (another number of steps, or "
                       "a loop that stops early?).", "make_model()이 만든 모델을 torch.optim.Adam(model.parameters(), "
                       "lr=lr)로 정확히 `steps`번, zero_grad, 순전파, 교차 엔트로피 손실, 역전파, 스텝 순서로 "
                       "학습하세요 ({case}). 루프가 끝난 가중치가 그 결과와 달라요 (스텝 수가 다르거나, 일찍 멈추는 "
                       "루프인가요?).", case=case)
            expect(isinstance(verdict, bool), "return True or False (e.g. loss.item() < 0.05), not {kind}.",
                   "True나 False를 돌려주세요 (예: loss.item() < 0.05). {kind}이(가) 아니에요.",
                   kind=type(verdict).__name__)
            expect(verdict == (last < THRESHOLD), "the last loss is {loss:.4f} ({case}), so the answer is {want}; "
                   "yours is {got}: compare the last loss with 0.05 (not another threshold).", "마지막 손실이 "
                   "{loss:.4f}이므로 ({case}) 답은 {want}인데 {got}이(가) 나왔어요. 마지막 손실을 (다른 기준이 아니라) "
                   "0.05와 비교하세요.", loss=last, case=case, want=last < THRESHOLD, got=verdict)


@exercise("11.3", title=("Find the bug from the diagnostics", "진단으로 버그 찾기"),
          hints=[("The activation panels show one line per activation layer; one of them sits at the top of the "
                  "dead-units panel. What kind of layer is it (see print(mystery))?",
                  "활성화 패널에는 활성화 층마다 선이 하나씩 있어요. 그중 하나가 죽은 유닛 패널의 맨 위에 있어요. "
                  "그 층은 어떤 종류인가요 (print(mystery)를 보세요)?"),
                 ("A ReLU unit that outputs 0 for every input is called dead (a healthy ReLU layer outputs 0 about half "
                  "the time, but never for every input); name the layer whose dead fraction is near 1.",
                  "모든 입력에 0을 내는 ReLU 유닛을 죽은(dead) 유닛이라고 해요(건강한 ReLU 층도 출력의 절반쯤은 0이지만, "
                  "모든 입력에 0은 아니에요). 죽은 비율이 1에 가까운 층의 이름을 쓰세요.")],
          no_rule_because="the answers are a name and a word read off a plot")
def _diagnosis(broken_layer, symptom):
    if broken_layer is None or symptom is None:
        raise NotImplementedError
    activations = ("1", "3", "5")         # the ReLU layers of mystery_net, named as in the plot's legend
    expect(str(broken_layer) in activations, "broken_layer is the name of an activation layer in the legend: one "
           "of {names}.", "broken_layer는 범례에 있는 활성화 층의 이름이에요: {names} 중 하나.", names=list(activations))
    expect(str(broken_layer) == "3", "look at the dead-units panel: which layer is at (or near) 1?",
           "죽은 유닛 패널을 보세요: 어느 층이 1에 (또는 거의 1에) 있나요?")
    expect(str(symptom).strip().lower() == "dead", "a ReLU cannot saturate at ±1 as tanh does; what is a ReLU unit that always outputs "
           "0?", "ReLU는 tanh처럼 ±1에서 포화할 수 없어요. 항상 0을 내는 ReLU 유닛을 뭐라고 하나요?")


@reference
def smooth_losses(losses, beta=0.98):
    smoothed, avg = [], 0.0
    for i, loss in enumerate(losses, start=1):
        avg = beta * avg + (1 - beta) * loss
        smoothed.append(avg / (1 - beta ** i))
    return smoothed


@exercise("11.4", title=("The LR finder's smoothing", "LR 파인더의 평활화"),
          hints=[("Keep one running number, the average, and update it with each loss in turn.",
                  "평균이라는 숫자 하나를 계속 들고 다니며 손실마다 차례로 갱신하세요."),
                 ("Start the average at 0. For each loss in turn, mix it into the average with weight 1 - beta (the "
                  "old average keeps weight beta), then append the average divided by one minus beta to the power "
                  "of the loss's position, counted from 1.", "평균을 0에서 시작하세요. 손실마다 차례로 가중치 "
                  "1 - beta로 평균에 섞고(이전 평균은 가중치 beta), 평균을 1 - beta^(1부터 센 손실의 위치)로 나눈 "
                  "값을 추가하세요.")],
          no_rule_because="plain Python on a list of floats; the check compares it with the formula on lists "
                          "drawn at check time, with dlstudy's smooth, NumPy, pandas and SciPy switched off")
def _smooth(answer):
    g = generator()
    cases = [([2.0] * draw_int(g, 2, 5), 0.9)]
    for _ in range(3):
        length = draw_int(g, 1, 40)
        beta = round(float(torch.rand((), generator=g)) * 0.99, 3)
        cases.append(((torch.rand(length, generator=g) * 3).tolist(), beta))
    with refuse_calls(HELPERS + LIBRARIES, why=("write the moving average yourself", "이동 평균을 직접 쓰세요")):
        answers = [answer(list(losses), beta) for losses, beta in cases]
    for (losses, beta), got in zip(cases, answers):
        want = smooth_losses(losses, beta)
        expect(isinstance(got, list) and len(got) == len(losses), "return a list with one value per loss.",
               "손실마다 값 하나씩 담은 리스트를 돌려주세요.")
        expect(abs(got[0] - losses[0]) < 1e-9, "with the bias correction the first smoothed value equals the first "
               "loss: divide the average by 1 - beta ** i.", "편향 보정을 하면 첫 평활값은 첫 손실과 같아요: 평균을 "
               "1 - beta ** i로 나누세요.")
        expect(all(abs(a - r) < 1e-9 for a, r in zip(got, want)), "a_i = beta * a_(i-1) + (1 - beta) * loss_i, "
               "starting from a_0 = 0, then a_i / (1 - beta ** i) (beta = {beta}, {n} losses).",
               "a_i = beta * a_(i-1) + (1 - beta) * loss_i, a_0 = 0에서 시작하고 a_i / (1 - beta ** i)예요 "
               "(beta = {beta}, 손실 {n}개).", beta=beta, n=len(losses))
