"""Chapter 04's exercises: Huber per sample, least squares, a gradient step by hand, a cubic fit, a learning rate."""

import math

import torch
import torch.nn.functional as F
from torch import nn

from dlstudy.data import make_linear
from dlstudy.exercises.inputs import describe, draw_int, generator, randn, sizes
from dlstudy.exercises.registry import Rule, expect, exercise
from dlstudy.exercises.returned import returned
from dlstudy.exercises.rules import reference
from dlstudy.lang import tr

__all__ = []


@exercise("04.1", keeps_dtype=True, title=("The Huber loss, per sample", "샘플별 Huber 손실"),
          rule=Rule(why=("write the formula yourself", "공식을 직접 쓰세요"), torch_only=True,
                    allow=frozenset({"sub", "abs", "le", "lt", "ge", "gt", "where", "mul", "pow", "add", "neg", "div",
                                     "minimum", "maximum", "clamp", "sign", "relu"})),
          refuse=("huber_by_hand",),
          hints=[("Compute the absolute residual once; every sample then takes one of the two branches of the formula.",
                  "절댓값 잔차를 한 번 구하세요. 그러면 샘플마다 공식의 두 갈래 중 하나를 따라가요."),
                 ("torch.where chooses, element by element, between two tensors according to a condition: one branch "
                  "where |r| <= delta, the other elsewhere. Leave out the mean.", "torch.where는 조건에 따라 원소마다 두 "
                  "텐서 중 하나를 골라요: |r| <= delta인 곳은 한 갈래, 나머지는 다른 갈래예요. 평균은 내지 마세요.")])
def _test_huber(answer):
    g = generator()
    n, m = sizes(g, 3, 20)
    for shape, delta in [((n, 1), 0.5 + torch.rand((), generator=g).item()), ((m,), 2.5),
                         ((m, 3), 0.2 + 0.3 * torch.rand((), generator=g).item())]:
        delta = round(delta, 3)
        y_hat, y = randn(g, *shape, scale=3.0, shift=0.5), randn(g, *shape)
        got = answer(y_hat.clone(), y.clone(), delta)
        case = describe(y_hat=y_hat, y=y, delta=delta)
        expect(torch.is_tensor(got) and got.shape == y.shape, "return one loss per sample, the shape of y, not the "
               "mean; for {case} yours is {got}.", "평균이 아니라 샘플마다 손실 하나, y와 같은 모양을 돌려주세요. "
               "{case}에서 결과: {got}.", case=case, got=tuple(got.shape) if torch.is_tensor(got) else type(got).__name__)
        expect(torch.allclose(got, F.huber_loss(y_hat, y, reduction="none", delta=delta), atol=1e-5),
               "for {case} your losses differ from 0.5 r² where |r| <= delta, delta (|r| − delta / 2) elsewhere.",
               "{case}에서 손실이 '|r| <= delta이면 0.5 r², 아니면 delta (|r| − delta / 2)'와 달라요.", case=case)


_LSTSQ = frozenset({"linalg_lstsq", "mm", "add", "sub", "mul", "div", "neg", "sum", "mean", "pow",
                    "constant_pad_nd"})                                # F.pad(X, (0, 1), value=1): the ones column


@reference
def _least_squares(X, y):
    """(w, b) of the least-squares fit, in float64."""
    A = torch.cat([X.double(), torch.ones(len(X), 1, dtype=torch.float64)], dim=1)
    theta = torch.linalg.lstsq(A, y.double()).solution
    return theta[:-1], theta[-1, 0].item()


def _check_fit(got, X, y, case, ops):
    expect("linalg_lstsq" in ops, "solve with torch.linalg.lstsq: for {case} your code never ran it (gradient descent "
           "or the normal equations only come close to the least-squares solution).", "torch.linalg.lstsq로 푸세요: "
           "{case}에서 코드가 그것을 실행하지 않았어요 (경사 하강이나 정규 방정식은 최소 제곱 해에 가까워질 뿐이에요).",
           case=case)
    expect(isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (w, b); for {case} yours is {kind}.",
           "(w, b) 쌍을 돌려주세요. {case}에서 결과: {kind}.", case=case, kind=type(got).__name__)
    w, b = got
    d = X.shape[1]
    returned(w, tr("w (one weight per feature)", "w(특성마다 가중치 하나)"), case, shape=(d, 1))
    returned(b, "b", case, kind=float)
    w_best, b_best = _least_squares(X, y)
    expect(abs(float(b) - b_best) < 1e-3 * (1 + abs(b_best)), "for {case} the least-squares bias is {want:.4f}, yours "
           "{got:.4f} (append a column of ones so that the bias is fitted too; b is the last entry).", "{case}에서 최소 "
           "제곱 편향은 {want:.4f}인데 결과는 {got:.4f}예요 (1로 된 열을 붙여 편향도 맞추세요. b는 마지막 값이에요).",
           case=case, want=b_best, got=float(b))
    expect(torch.allclose(w.detach().cpu().double(), w_best, atol=1e-3, rtol=1e-3), "for {case} your w is not the "
           "least-squares weights {want}.", "{case}에서 w가 최소 제곱 가중치 {want}가 아니에요.", case=case,
           want=[round(v, 4) for v in w_best[:, 0].tolist()])


@exercise("04.2", title=("Ordinary least squares for any number of features", "특성 수에 상관없는 최소 제곱법"),
          rule=Rule(why=("solve the least-squares problem with torch.linalg.lstsq",
                         "최소 제곱 문제를 torch.linalg.lstsq로 푸세요"), torch_only=True, allow=_LSTSQ),
          refuse=("ols_line", "fit_polynomial"),
          hints=[("The bias is one more weight whose feature is always 1.", "편향은 특성이 늘 1인 가중치 하나예요."),
                 ("Append a column of ones to X, solve with torch.linalg.lstsq, then split the solution: every row but "
                  "the last is w, the last row is b (as a float).", "X에 1로 된 열을 붙이고 torch.linalg.lstsq로 푼 뒤 해를 "
                  "나누세요: 마지막 행을 뺀 나머지가 w, 마지막 행이 b(float)예요.")])
def _test_ols(answer):
    g = generator()
    for n, d in zip(sizes(g, 12, 40), [1, draw_int(g, 2, 5)]):
        X = randn(g, n, d, scale=2.0, shift=1.0)
        y = X @ randn(g, d, 1, scale=2.0) + 3 * torch.rand((), generator=g) - 1.5 + 0.1 * randn(g, n, 1)
        got = answer(X.clone(), y.clone())
        _check_fit(got, X, y, describe(X=X, y=y), answer.ops)


@reference
def gd_step(w, b, X, y, lr):
    """w − lr (2/N) Xᵀ(ŷ − y), b − lr (2/N) Σ(ŷ − y)."""
    error = X @ w + b - y
    return w - lr * 2 * X.T @ error / len(X), b - lr * 2 * error.mean()


@exercise("04.3", keeps_dtype=True, title=("One step of gradient descent, by hand", "손으로 하는 경사 하강 한 단계"),
          rule=Rule(why=("compute the gradients with the formulas", "공식으로 기울기를 계산하세요"), no_autograd=True,
                    torch_only=True, allow=frozenset({"mm", "sub", "add", "mul", "div", "mean", "sum", "neg", "pow"})),
          refuse=("gradient_descent_by_hand", "train_line", "fit_line"),
          hints=[("Predict with the current w and b first; both gradients are built from the error y_hat - y.",
                  "먼저 지금의 w와 b로 예측하세요. 두 기울기 모두 오차 y_hat - y로 만들어져요."),
                 ("The error has shape (N, 1). X transposed times the error, times 2 / N, is the gradient of w; 2 times "
                  "the mean error is the gradient of b. Step against both, scaled by lr.", "오차의 모양은 (N, 1)이에요. X의 "
                  "전치 곱하기 오차에 2 / N을 곱한 것이 w의 기울기, 평균 오차의 2배가 b의 기울기예요. 둘 다 lr만큼 반대로 "
                  "움직이세요.")])
def _test_gd_step(answer):
    g = generator()
    for n, d in zip(sizes(g, 5, 30), sizes(g, 1, 4)):
        X, y = randn(g, n, d, shift=0.5), randn(g, n, 1, scale=2.0)
        w, b = randn(g, d, 1), randn(g)
        lr = round(0.01 + 0.2 * torch.rand((), generator=g).item(), 3)
        got = answer(w.clone(), b.clone(), X.clone(), y.clone(), lr)
        case = describe(w=w, b=b, X=X, y=y, lr=lr)
        expect(isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (new_w, new_b); for {case} yours "
               "is {kind}.", "(new_w, new_b) 쌍을 돌려주세요. {case}에서 결과: {kind}.", case=case,
               kind=type(got).__name__)
        new_w, new_b = gd_step(w, b, X, y, lr)
        returned(got[0], tr("the new w", "새 w"), case, like=w)
        returned(got[1], tr("the new b (a scalar tensor, like b: a mean or a full sum over the error)",
                            "새 b(b처럼 스칼라 텐서: 오차 전체의 평균이나 합)"), case, like=b)
        expect(torch.allclose(got[0], new_w, atol=1e-5) and torch.allclose(got[1], new_b, atol=1e-5),
               "for {case} one step is w − lr·(2/N) Xᵀ(ŷ − y) and b − lr·(2/N) Σ(ŷ − y); yours differs.",
               "{case}에서 한 단계는 w − lr·(2/N) Xᵀ(ŷ − y)와 b − lr·(2/N) Σ(ŷ − y)인데 결과가 달라요.", case=case)


@exercise("04.4", title=("A cubic fit", "3차 다항식 맞추기"),
          rule=Rule(why=("fit x, x², x³ by least squares with torch.linalg.lstsq (your ols_fit)",
                         "x, x², x³을 torch.linalg.lstsq(여러분의 ols_fit)로 최소 제곱 적합하세요"), torch_only=True,
                    allow=_LSTSQ | {"cumprod"}),                      # cumprod: torch.linalg.vander's features
          refuse=("fit_polynomial",),
          hints=[("Polynomial regression is linear regression on the features x, x^2, x^3.",
                  "다항 회귀는 특성 x, x^2, x^3에 대한 선형 회귀예요."),
                 ("Build the degree-3 features with poly_features and fit them with your ols_fit from exercise 2 (or "
                  "torch.linalg.lstsq with a column of ones); return its w and b.", "poly_features로 3차 특성을 만들고 "
                  "연습 2의 ols_fit(또는 1로 된 열을 붙인 torch.linalg.lstsq)으로 맞춘 뒤 w와 b를 돌려주세요.")])
def _test_cubic(answer):
    g = generator()
    for n in sizes(g, 15, 50):
        low = -2.5 + torch.rand((), generator=g).item()
        x = low + (2.0 - low) * torch.rand(n, 1, generator=g)           # not symmetric around 0
        coeffs = randn(g, 4, scale=1.5)
        y = coeffs[0] + coeffs[1] * x + coeffs[2] * x ** 2 + coeffs[3] * x ** 3 + 0.3 * randn(g, n, 1)
        features = torch.cat([x, x ** 2, x ** 3], dim=1)
        case = describe(X=x, y=y)
        got = answer(x.clone(), y.clone())
        _check_fit(got, features, y, case, answer.ops)


def gradient_descent_status(lr, num_steps=20):
    """The status of the chapter's run_gradient_descent(lr, num_steps): "converged", "slow" or "diverged".

    >>> gradient_descent_status(0.05, 50), gradient_descent_status(1.0)
    ('converged', 'diverged')
    """
    X, y = make_linear(100, w=(2.0,), b=1.0, noise=0.5, seed=0)
    A = torch.cat([X, torch.ones_like(X)], dim=1)
    min_loss = torch.mean((A @ torch.linalg.lstsq(A, y).solution - y) ** 2).item()
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.zero_(), model.bias.zero_()
    optimizer, losses = torch.optim.SGD(model.parameters(), lr=lr), []
    for _ in range(num_steps):
        loss = F.mse_loss(model(X), y)
        if not math.isfinite(loss.item()):
            return "diverged"
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if losses[-1] > losses[0]:
        return "diverged"
    return "slow" if losses[-1] > 1.05 * min_loss else "converged"


@exercise("04.5", title=("A learning rate that converges fast", "빨리 수렴하는 학습률"),
          no_rule_because="the answer is a number; the check runs the chapter's 20 steps of gradient descent with it",
          hints=[("Each step multiplies the distance to the minimum by |1 - lr * lambda| along each direction of the "
                  "bowl (section 5); both factors must shrink fast.", "한 단계마다 최솟값까지의 거리가 그릇의 방향마다 "
                  "|1 - lr * lambda|배가 돼요 (5절). 두 인수 모두 빨리 줄어야 해요."),
                 ("Stay below 2 / lambda_max, about 0.32, but not far below it: try a few values between 0.05 and 0.3 "
                  "in the widget of section 5.", "2 / lambda_max(약 0.32)보다 작되 너무 작지 않게 하세요. 5절의 위젯에서 "
                  "0.05와 0.3 사이의 값 몇 개를 시험해 보세요.")])
def _test_good_lr(good_lr):
    if good_lr is None:
        raise NotImplementedError
    expect(isinstance(good_lr, (int, float)) and not isinstance(good_lr, bool) and good_lr > 0,
           "good_lr must be a positive number; yours is {lr!r}.", "good_lr는 양수여야 해요. 결과: {lr!r}.", lr=good_lr)
    status = gradient_descent_status(float(good_lr))
    expect(status != "diverged", "lr = {lr} diverges: stay below the critical learning rate, about 0.32.",
           "lr = {lr}는 발산해요: 임계 학습률(약 0.32)보다 작게 하세요.", lr=good_lr)
    expect(status == "converged" or good_lr > 0.16, "lr = {lr} is too small: after 20 steps the run is still "
           "{status!r}.", "lr = {lr}는 너무 작아요: 20단계 뒤에도 상태가 {status!r}예요.", lr=good_lr, status=status)
    expect(status == "converged", "lr = {lr} is close to the critical learning rate (about 0.32): the steep direction "
           "zigzags and after 20 steps the run is still {status!r}; take a smaller lr.", "lr = {lr}는 임계 학습률(약 "
           "0.32)에 가까워요: 가파른 방향으로 지그재그해서 20단계 뒤에도 상태가 {status!r}예요. 더 작은 lr을 고르세요.",
           lr=good_lr, status=status)
