"""Chapter 08's exercises: the critical learning rate, textbook momentum, the rotated bowl, Adam's learning rate.

The update function and the rotated bowl are compared with their formulas on parameters, gradients,
learning rates and points drawn at check time; the two numbers are compared with references computed
here, in the package.
"""

import math

import torch

from dlstudy.exercises.inputs import draw_int, generator, sizes
from dlstudy.exercises.registry import exercise, expect
from dlstudy.exercises.rules import reference

__all__ = []


def bowl(x, y):
    """The chapter's ill-conditioned bowl (``SURFACES["bowl"].fn``)."""
    return 0.1 * x ** 2 + 2 * y ** 2


def rosenbrock(x, y):
    """The chapter's Rosenbrock valley (``SURFACES["rosenbrock"].fn``), minimum at (1, 1)."""
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


ROSENBROCK_START, ROSENBROCK_STEPS, ROSENBROCK_THRESHOLD, ARRIVE_BY = (-1.5, 2.0), 500, 1e-2, 350


def _none_is_a_stub(value):
    if value is None:
        raise NotImplementedError


@reference
def critical_lr():
    """2 / λ_max of the Hessian of Rosenbrock at its minimum (1, 1)."""
    H = torch.autograd.functional.hessian(lambda p: rosenbrock(p[0], p[1]),
                                          torch.tensor([1.0, 1.0], dtype=torch.float64))
    return 2 / torch.linalg.eigvalsh(H)[-1].item(), 2 / torch.linalg.eigvalsh(H)[0].item()


@exercise("08.1", title=("The critical learning rate on Rosenbrock", "로젠브록의 임계 학습률"),
          hints=[("Divergence near a minimum is decided by the curvature of the steepest direction there.",
                  "최솟값 근처에서 발산하는지는 가장 가파른 방향의 곡률이 정해요."),
                 ("Ask autograd for the matrix of second derivatives of rosenbrock at (1, 1), take its largest "
                  "eigenvalue (a symmetric matrix has real ones), and divide 2 by it.",
                  "autograd로 (1, 1)에서 rosenbrock의 2차 도함수 행렬을 구하고, 가장 큰 고윳값(대칭 행렬의 고윳값은 "
                  "실수예요)으로 2를 나누세요.")],
          no_rule_because="the answer is one number, compared with 2 / lambda_max computed by the package")
def _critical(critical):
    _none_is_a_stub(critical)
    expect(isinstance(critical, (int, float)) and not isinstance(critical, bool), "critical_lr must be one Python "
           "number (a tensor's .item()), not {kind}.", "critical_lr은 파이썬 숫자 하나여야 해요 (텐서의 .item()). "
           "{kind}이(가) 아니에요.", kind=type(critical).__name__)
    largest, smallest = critical_lr()
    expect(abs(critical - smallest) > 1e-3, "the steepest direction limits the learning rate: use the largest "
           "eigenvalue, not the smallest.", "가장 가파른 방향이 학습률을 제한해요: 가장 작은 고윳값이 아니라 가장 큰 "
           "고윳값을 쓰세요.")
    expect(abs(critical - largest) < 1e-8, "critical_lr is 2 / lambda_max, with lambda_max the largest eigenvalue "
           "of the Hessian at the minimum (1, 1), to 1e-8; yours is {mine:.8g}.", "critical_lr은 2 / lambda_max"
           "예요. lambda_max는 최솟값 (1, 1)에서 헤세 행렬의 가장 큰 고윳값이고, 1e-8까지 맞아야 해요. 지금은 "
           "{mine:.8g}예요.", mine=critical)


@exercise("08.2", title=("The textbook form of momentum", "교과서식 모멘텀"),
          hints=[("Start from momentum_update: the only difference is where the learning rate goes.",
                  "momentum_update에서 시작하세요. 다른 점은 학습률이 들어가는 자리뿐이에요."),
                 ("Update the velocity in state['v'] with the learning rate already applied to the gradient, and "
                  "with the opposite sign; then add the velocity to p in place.",
                  "state['v']의 속도를 갱신할 때 기울기에 학습률을 미리 곱하고 부호를 반대로 하세요. 그다음 p에 "
                  "속도를 제자리에서 더하세요.")],
          no_rule_because="an update is arithmetic on p and state; the check compares p and state['v'] after every "
                          "step with the textbook formula, for parameters, gradients and changing learning rates "
                          "drawn at check time",
          changes=(0, 2))
def _momentum(textbook_momentum_update):
    g = generator()
    for (shape, dtype), give_mu in zip([((draw_int(g, 2, 7),), torch.float64), (tuple(sizes(g, 2, 6)), torch.float32)],
                                       (True, False)):        # mu given (not 0.9), then mu left at its default
        mu = round(0.5 + 0.35 * float(torch.rand((), generator=g)), 3)
        p = torch.randn(shape, generator=g, dtype=torch.float64).to(dtype)
        theta, v, state = p.clone(), torch.zeros(shape, dtype=dtype), {}
        for t in range(1, 9):
            grad = torch.randn(shape, generator=g, dtype=torch.float64).to(dtype)
            lr = float(10 ** (-3 * torch.rand((), generator=g)))            # a learning rate that changes
            before = p.clone()
            with torch.no_grad():
                if give_mu:
                    textbook_momentum_update(p, grad.clone(), state, t, lr=lr, mu=mu)
                else:
                    textbook_momentum_update(p, grad.clone(), state, t, lr=lr)
            step_mu = mu if give_mu else 0.9
            v = step_mu * v - lr * grad
            theta = theta + v
            expect(not torch.equal(p, before), "change p in place (p += ...), as optimizer.step() does.",
                   "optimizer.step()처럼 p를 제자리에서 바꾸세요 (p += ...).")
            expect("v" in state, 'keep the velocity in state["v"].', '속도는 state["v"]에 두세요.')
            tol = 1e-12 if dtype == torch.float64 else 1e-5
            expect(torch.allclose(torch.as_tensor(state["v"], dtype=dtype), v, atol=tol),
                   "the textbook velocity is v = mu * v - lr * g, with the learning rate inside it (PyTorch's "
                   "v = mu * v + g, p -= lr * v is the other form); step {t}, lr = {lr:.3g}, mu = {mu}.",
                   "교과서식 속도는 v = mu * v - lr * g로, 학습률이 속도 안에 있어요 (PyTorch의 v = mu * v + g, "
                   "p -= lr * v는 다른 형태예요). 스텝 {t}, lr = {lr:.3g}, mu = {mu}.", t=t, lr=lr, mu=step_mu)
            expect(torch.allclose(p, theta, atol=tol), "the textbook step is p = p + v.",
                   "교과서식 스텝은 p = p + v예요.")


@reference
def rotated_bowl(x, y):
    c = 1 / math.sqrt(2)
    return bowl(c * (x - y), c * (x + y))


@exercise("08.3", title=("Turn the bowl by 45°", "그릇을 45° 돌리기"),
          hints=[("Compute the rotated coordinates u and v from x and y first, then evaluate the bowl there.",
                  "먼저 x와 y로 회전한 좌표 u와 v를 구하고, 그 자리에서 bowl을 계산하세요."),
                 ("u is the difference x - y and v the sum x + y, each divided by the square root of 2; return "
                  "bowl(u, v).", "u는 x - y, v는 x + y이고, 각각 2의 제곱근으로 나눠요. bowl(u, v)를 돌려주세요.")],
          no_rule_because="a formula of x and y; the check compares it with bowl(u, v) element by element on "
                          "points drawn at check time, in tensors of several shapes")
def _rotated(answer):
    g = generator()
    shapes = [(draw_int(g, 3, 9),), tuple(sizes(g, 2, 5)), ()]
    for shape, dtype in zip(shapes, (torch.float64, torch.float32, torch.float64)):
        x = (torch.randn(shape, generator=g, dtype=torch.float64) * 2).to(dtype)
        y = (torch.randn(shape, generator=g, dtype=torch.float64) * 2).to(dtype)
        got = answer(x.clone(), y.clone())
        want = rotated_bowl(x, y)
        got = torch.as_tensor(got)
        tol = 1e-10 if dtype == torch.float64 else 1e-5
        expect(got.shape == want.shape and torch.allclose(got.to(want.dtype), want, rtol=tol, atol=tol),
               "rotated_bowl(x, y) is bowl(u, v) with u = (x - y) / sqrt(2) and v = (x + y) / sqrt(2), element by "
               "element for tensors x and y of shape {shape}.", "rotated_bowl(x, y)는 u = (x - y) / sqrt(2), "
               "v = (x + y) / sqrt(2)일 때 bowl(u, v)예요. {shape} 모양의 텐서 x, y에서 원소마다 계산해요.",
               shape=shape)


def _adam_arrival(lr):
    """The step from which Adam stays below the threshold on Rosenbrock (as ``race`` runs it), or None."""
    p = torch.tensor(ROSENBROCK_START, dtype=torch.float32, requires_grad=True)
    optimizer = torch.optim.Adam([p], lr=lr)
    losses = [rosenbrock(*ROSENBROCK_START)]
    for _ in range(ROSENBROCK_STEPS):
        loss = rosenbrock(p[0], p[1])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if not torch.isfinite(p).all() or p.detach().abs().max() > 1e3:
            return None
        losses.append(rosenbrock(p[0], p[1]).item())
    above = [i for i, value in enumerate(losses) if not value < ROSENBROCK_THRESHOLD]
    first = above[-1] + 1 if above else 0
    return first if first < len(losses) else None


@exercise("08.4", title=("Tune Adam on Rosenbrock", "로젠브록에서 Adam 조정하기"),
          hints=[("Adam's steps are about as long as its learning rate, and the valley is more than two units long.",
                  "Adam의 한 걸음은 학습률 정도 길이이고, 골짜기는 두 단위보다 길어요."),
                 ("Look up Adam's best learning rate on Rosenbrock in section 7's sweep, or try a few values between "
                  "0.5 and 2 with race().", "7절의 스윕에서 로젠브록에 가장 좋은 Adam의 학습률을 찾거나, race()로 "
                  "0.5와 2 사이의 값을 몇 개 시도해 보세요.")],
          no_rule_because="the answer is one number; the check runs Adam on Rosenbrock with it")
def _adam(adam_lr):
    _none_is_a_stub(adam_lr)
    expect(isinstance(adam_lr, (int, float)) and not isinstance(adam_lr, bool) and adam_lr > 0,
           "adam_lr is one positive Python number, not {v!r}.", "adam_lr은 양수인 파이썬 숫자 하나예요. {v!r}이(가) "
           "아니에요.", v=adam_lr)
    with torch.random.fork_rng(devices=[]):
        arrived = _adam_arrival(float(adam_lr))
    expect(arrived is not None and arrived <= ARRIVE_BY,
           "with adam_lr = {lr:g} Adam must stay below 1e-2 from step 350 on ({how}).",
           "adam_lr = {lr:g}이면 Adam이 350번째 스텝부터 1e-2 아래에 머물러야 해요 ({how_ko}).", lr=adam_lr,
           how="it never settled there" if arrived is None else f"it settled only at step {arrived}",
           how_ko="거기에 자리 잡지 못했어요" if arrived is None else f"{arrived}번째 스텝에야 자리 잡았어요")
