"""Chapter 01's exercises: a derivative by autograd, a central difference, the chain rule by hand, chunks, a loop."""

import torch
import torch.autograd.forward_ad as forward_ad

from dlstudy.exercises.chosen import scaled_backward
from dlstudy.exercises.inputs import describe, draw_int, generator, randn, sizes
from dlstudy.exercises.registry import Rule, expect, exercise
from dlstudy.exercises.returned import returned
from dlstudy.exercises.rules import RuleBroken, reference
from dlstudy.lang import tr

__all__ = []


class _ChosenGradient(torch.autograd.Function):
    """Forward: x³. Backward: a gradient the check chose (``slope``), which no formula or finite difference gives."""

    @staticmethod
    def forward(x, slope):
        return x ** 3

    @staticmethod
    def setup_context(ctx, inputs, output):        # this form also works under torch.func.grad
        ctx.slope = inputs[1]

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.slope, None


def _functions(g):
    """(description, fn) pairs: fresh polynomials and compositions, and one whose backward the check chose."""
    a, b, c = [round(v, 2) for v in (4 * torch.rand(3, generator=g) - 2).tolist()]
    a = round((0.5 + 1.5 * abs(a) / 2) * (1 if a >= 0 else -1), 2)         # |a| >= 0.5: a cubic that bends
    slope = round(3 + 4 * torch.rand((), generator=g).item(), 2)
    return [(f"fn(t) = {a}·t³ + {b}·t² + {c}·t", lambda t: a * t ** 3 + b * t ** 2 + c * t),
            (f"fn(t) = sin({a}·t)·exp({b}·t)", lambda t: torch.sin(a * t) * torch.exp(b * t)),
            (f"fn(t) = t³ with a backward that reports the gradient {slope} (what autograd says, whatever the "
             f"formula)", lambda t: _ChosenGradient.apply(t, slope))]


def _reverse_mode_only(name, func, args):
    """Refuse forward-mode autograd (torch.func.jvp, jacfwd, dual tensors): 01.1 asks for backward()."""
    if forward_ad._current_level >= 0:
        raise RuleBroken(tr("this exercise asks for backward() (reverse-mode autograd), but your code ran forward-mode "
                            "autograd (torch.func.jvp, jacfwd, jacobian(strategy='forward-mode') or dual tensors).",
                            "이 연습은 backward()(역방향 자동 미분)를 쓰라고 하는데, 코드가 순방향 자동 미분 "
                            "(torch.func.jvp, jacfwd, jacobian(strategy='forward-mode') 또는 dual 텐서)을 실행했어요."))


@reference
def derivative_at(fn, x0):
    """fn'(x0) by autograd, in float64."""
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    fn(x).backward()
    return x.grad.item()


@exercise("01.1", title=("A derivative with autograd", "자동 미분으로 구하는 도함수"),
          rule=Rule(why=("call backward() on fn's result", "fn의 결과에 backward()를 호출하세요"),
                    check_op=_reverse_mode_only),
          no_rule_because="judged by its effect: the value must be what backward() reports, and one of the check's "
                          "functions has a backward whose gradient no formula or finite difference gives",
          hints=[("Autograd needs three things: a tensor it tracks, one backward call on the scalar result, and a look "
                  "at the tracked tensor afterwards.", "자동 미분에는 세 가지가 필요해요: 추적하는 텐서, 스칼라 결과에 대한 "
                  "backward 호출 한 번, 그리고 그 뒤에 추적한 텐서를 들여다보기."),
                 ("Make x0 a float tensor with requires_grad switched on, apply fn to it, call backward on the result, "
                  "and return the gradient stored on the tensor as a Python float.",
                  "x0을 requires_grad를 켠 실수 텐서로 만들고, fn을 적용하고, 결과에 backward를 호출한 뒤, 텐서에 "
                  "저장된 기울기를 파이썬 float로 돌려주세요.")])
def _test_derivative_at(answer):
    g = generator()
    for i, (what, fn) in enumerate(_functions(g)):
        x0 = round(2.4 * torch.rand((), generator=g).item() - 1.2, 3) if i else draw_int(g, 1, 3)   # an int first
        got = answer(fn, x0)
        case = f"{what}, x0 = {x0}"
        expect(isinstance(got, float), "return a Python float (.item()); for {case} yours is {kind}.",
               "파이썬 float를 돌려주세요 (.item()). {case}에서 결과: {kind}.", case=case, kind=type(got).__name__)
        want = derivative_at(fn, x0)
        if "backward" in what and abs(got - 3 * x0 ** 2) < 1e-3 * (1 + abs(got)):
            expect(False, "use autograd: for {case} your value is the formula's {got:.4g}, not what backward() reports "
                   "({want:.4g}).", "자동 미분을 쓰세요: {case}에서 결과는 공식의 값 {got:.4g}이고, backward()가 "
                   "알려 주는 값({want:.4g})이 아니에요.", case=case, got=got, want=want)
        expect(abs(got - want) <= 1e-4 * (1 + abs(want)), "for {case} autograd gives {want:.6g}, yours {got:.6g}.",
               "{case}에서 자동 미분은 {want:.6g}, 결과는 {got:.6g}이에요.", case=case, want=want, got=got)


@reference
def central_difference(fn, x0, h=1e-6):
    """(fn(x0 + h) − fn(x0 − h)) / 2h in float64."""
    x = torch.tensor(float(x0), dtype=torch.float64)
    return ((fn(x + h) - fn(x - h)) / (2 * h)).item()


@exercise("01.2", title=("Your own gradient check", "직접 만드는 기울기 검사"),
          rule=Rule(why=("a finite difference needs only two evaluations of fn", "유한 차분에는 fn을 두 번 계산하는 것만 "
                         "필요해요"), no_autograd=True),
          no_rule_because="any torch operation may evaluate fn; the rule is no autograd, and the value is compared "
                          "with the float64 central difference for the h given",
          refuse=("numerical_gradient",),
          hints=[("Evaluate fn a little to the right and a little to the left of x0, in double precision.",
                  "x0의 조금 오른쪽과 조금 왼쪽에서 fn을 배정밀도(float64)로 계산하세요."),
                 ("Turn x0 into a float64 tensor, evaluate fn at x0 + h and at x0 - h, divide the difference by 2h, "
                  "and return the result as a Python float.", "x0을 float64 텐서로 바꾸고, x0 + h와 x0 - h에서 fn을 "
                  "계산한 뒤, 차이를 2h로 나눠 파이썬 float로 돌려주세요.")])
def _test_central_difference(answer):
    g = generator()
    cubic, wave = _functions(g)[:2]
    for (what, fn), h in [(wave, None), (cubic, 0.05)]:     # an h of its own: for a·t³ another h is off by a·h²
        x0 = round(2.4 * torch.rand((), generator=g).item() - 1.2, 3)
        got = answer(fn, x0) if h is None else answer(fn, x0, h)
        case = f"{what}, x0 = {x0}" + ("" if h is None else f", h = {h}")
        expect(isinstance(got, float), "return a Python float (.item()); for {case} yours is {kind}.",
               "파이썬 float를 돌려주세요 (.item()). {case}에서 결과: {kind}.", case=case, kind=type(got).__name__)
        want = central_difference(fn, x0, 1e-6 if h is None else h)
        expect(abs(got - want) <= 1e-7 * (1 + abs(want)), "for {case} the float64 central difference is {want:.10g}, "
               "yours {got:.10g} (float32, another h, or a one-sided difference?).", "{case}에서 float64 중앙 차분은 "
               "{want:.10g}인데 결과는 {got:.10g}예요 (float32, 다른 h, 한쪽 차분인가요?).", case=case, want=want, got=got)


def _no_complex(name):
    def method(self, *other):
        if any(isinstance(o, complex) for o in other):
            _refuse_complex()
        return getattr(float, name)(self, *other)
    return method


def _refuse_complex(*_):
    raise RuleBroken(tr("apply the chain rule yourself: your code turned the inputs into complex numbers (the "
                        "complex-step trick is a numerical derivative, not the chain rule).", "연쇄 법칙을 직접 "
                        "적용하세요: 코드가 입력을 복소수로 바꿨어요 (복소 스텝 기법은 연쇄 법칙이 아니라 수치 미분이에요)."))


class _Real(float):
    """A float that refuses to become complex (complex(w, h), w + 1e-30j): the complex-step derivative."""

    __complex__ = _refuse_complex
    locals().update({f"__{op}__": _no_complex(f"__{op}__") for op in
                     "add radd sub rsub mul rmul truediv rtruediv pow rpow".split()})


@reference
def sigmoid_neuron_grads(w, b, x, y):
    """(dL/dw, dL/db) by autograd in float64."""
    w, b = (torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for v in (w, b))
    ((torch.sigmoid(w * x + b) - y) ** 2).backward()
    return w.grad.item(), b.grad.item()


@exercise("01.3", title=("The chain rule by hand", "손으로 하는 연쇄 법칙"),
          rule=Rule(why=("apply the chain rule yourself", "연쇄 법칙을 직접 적용하세요"), no_autograd=True,
                    no_complex=True),
          no_rule_because="plain Python arithmetic on floats is the method (no list of torch operations fits); the "
                          "rule is no autograd and no complex numbers (the complex step would match autograd to "
                          "1e-16), and the values must match autograd's to 1e-12, which no finite difference reaches",
          refuse=("sympy.core",),                   # symbolic differentiation is not the chain rule by hand
          hints=[("Go backwards from the loss: how L changes with a, how a changes with u, and how u changes with w "
                  "and with b.", "손실에서 거꾸로 가세요: a에 따라 L이, u에 따라 a가, w와 b에 따라 u가 어떻게 변하나요?"),
                 ("With a = σ(wx + b): dL/da = 2(a − y), da/du = a(1 − a), du/dw = x and du/db = 1. Multiply the "
                  "factors along the path to w, and along the path to b.", "a = σ(wx + b)일 때 dL/da = 2(a − y), "
                  "da/du = a(1 − a), du/dw = x, du/db = 1이에요. w로 가는 길과 b로 가는 길의 인수를 곱하세요.")])
def _test_sigmoid_neuron_grads(answer):
    g = generator()
    for _ in range(4):
        w, b, x = [round(v, 3) for v in (4 * torch.rand(3, generator=g) - 2).tolist()]
        y = round(torch.rand((), generator=g).item(), 3)
        got = answer(*map(_Real, (w, b, x, y)))
        case = f"w = {w}, b = {b}, x = {x}, y = {y}"
        expect(isinstance(got, (tuple, list)) and len(got) == 2 and all(isinstance(v, (float, int)) for v in got),
               "return the pair (dL/dw, dL/db) as two floats; for {case} yours is {got!r}.",
               "(dL/dw, dL/db) 두 float의 쌍을 돌려주세요. {case}에서 결과: {got!r}.", case=case, got=got)
        want = sigmoid_neuron_grads(w, b, x, y)
        expect(all(abs(m - r) <= 1e-12 * (1 + abs(r)) for m, r in zip(got, want)),
               "for {case} autograd gives ({w_:.12g}, {b_:.12g}), yours ({mw:.12g}, {mb:.12g}) (the chain rule is "
               "exact; a finite difference is not).", "{case}에서 자동 미분은 ({w_:.12g}, {b_:.12g}), 결과는 "
               "({mw:.12g}, {mb:.12g})예요 (연쇄 법칙은 정확하고, 유한 차분은 그렇지 않아요).", case=case,
               w_=want[0], b_=want[1], mw=float(got[0]), mb=float(got[1]))


@exercise("01.4", title=("Accumulate on purpose", "일부러 누적하기"),
          no_rule_because="judged by its effect on w.grad: one accumulation per chunk of X.chunk(num_chunks), each "
                          "the chunk's gradient, starting from a reset gradient",
          hints=[("Start from a clean gradient, and let backward add up the pieces for you.",
                  "깨끗한 기울기에서 시작하고, 조각들은 backward가 더하게 하세요."),
                 ("Reset w's gradient, loop over the chunks of X and of y together, call backward on each chunk's "
                  "summed squared error, and return a copy of w's gradient.", "w의 기울기를 초기화하고, X와 y의 조각을 "
                  "함께 돌면서 각 조각의 제곱 오차 합에 backward를 호출한 뒤, w의 기울기 복사본을 돌려주세요.")])
def _test_chunked_gradient(answer):
    g = generator()
    n_rows, d = sizes(g, 7, 13)[0], draw_int(g, 2, 4)
    X, y = randn(g, n_rows, d, dtype=torch.float64), randn(g, n_rows, dtype=torch.float64)
    w = randn(g, d, dtype=torch.float64).requires_grad_(True)
    seen = []
    w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.detach().clone()))
    # first a num_chunks whose X.chunk split differs from X.tensor_split's (so chunks made another way show)
    deciding = [k for k in range(5, n_rows) if [len(c) for c in X.chunk(k)] != [len(c) for c in X.tensor_split(k)]]
    first = deciding[draw_int(g, 0, len(deciding) - 1)]
    for num_chunks, old in ((first, None), (draw_int(g, 2, 4), randn(g, d, dtype=torch.float64))):
        w.grad = old      # first a fresh w (no gradient yet: w.grad is None), then an old gradient to be reset
        chunks = list(zip(X.chunk(num_chunks), y.chunk(num_chunks)))
        pieces = [2 * X_c.T @ (X_c @ w.detach() - y_c) for X_c, y_c in chunks]
        seen.clear()
        got = answer(w, X, y, num_chunks)
        case = tr("X of shape {shape}, num_chunks = {k} (X.chunk gives {c} chunks)", "모양 {shape}인 X, num_chunks = {k} "
                  "(X.chunk는 조각 {c}개)").format(shape=(n_rows, d), k=num_chunks, c=len(chunks))
        expect(len(seen) == len(chunks), "call backward() once per chunk, on a loss of w: for {case} w's gradient was "
               "accumulated {k} times.", "조각마다 w의 손실에 backward()를 한 번씩 호출하세요: {case}에서 w의 기울기가 "
               "{k}번 누적됐어요.", case=case, k=len(seen))
        total = torch.cumsum(torch.stack(pieces), 0)
        expect(torch.allclose(torch.stack(seen), total, atol=1e-8), "reset w.grad first, then let each chunk of "
               "X.chunk(num_chunks) add its gradient: for {case} the accumulated gradients are not those chunks' running "
               "sums (an old gradient left in w.grad, or chunks made another way?).", "먼저 w.grad를 초기화한 뒤 "
               "X.chunk(num_chunks)의 조각마다 기울기를 더하세요: {case}에서 누적된 기울기가 그 조각 기울기의 누적합이 "
               "아니에요 (w.grad에 예전 기울기가 남았거나, 조각을 다르게 나눴나요?).", case=case)
        expect(torch.is_tensor(got) and got.shape == w.shape and torch.allclose(got, total[-1], atol=1e-8),
               "return a copy of w.grad after the last chunk; for {case} yours differs.",
               "마지막 조각 뒤의 w.grad 복사본을 돌려주세요. {case}에서 결과가 달라요.", case=case)
        expect(got is not w.grad and (w.grad is None or got.data_ptr() != w.grad.data_ptr()),
               "return a copy of w.grad (.clone()), not w.grad itself: the next backward would change it.",
               "w.grad 자체가 아니라 복사본(.clone())을 돌려주세요. 다음 backward가 값을 바꿔요.")


@reference
def fit_line(X, y, lr=0.5, num_steps=100):
    """Gradient descent from w = b = 0 on mean((X w + b − y)²)."""
    w = torch.zeros(1, dtype=X.dtype, requires_grad=True)
    b = torch.zeros(1, dtype=X.dtype, requires_grad=True)
    for _ in range(num_steps):
        ((X * w + b - y) ** 2).mean().backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return w.item(), b.item()


@exercise("01.5", title=("A training loop by hand", "손으로 쓰는 학습 루프"),
          rule=Rule(why=("update w and b by hand inside torch.no_grad(), with the gradients backward() stored",
                         "backward()가 저장한 기울기로 torch.no_grad() 안에서 w와 b를 직접 갱신하세요"),
                    derive_from=frozenset({"autograd"}), no_data=True),
          no_rule_because="judged by its effects: (w, b) after exactly num_steps steps from zero (not converged, so a "
                          "closed form or a missed reset shows); the returned numbers must be computed from the "
                          "gradients autograd produced (a dummy backward() next to a formula does not count), and a "
                          "second run with a backward() that reports a gradient scaled by a factor the check draws "
                          "must match the reference under the same factor (so only updates that read w.grad and "
                          "b.grad match); no .data, no torch.optim",
          refuse=("descend", "dlstudy.train", "torch.optim"),
          hints=[("It is the loop of section 9: the same five steps, repeated num_steps times.",
                  "9절의 루프예요: 같은 다섯 단계를 num_steps번 반복해요."),
                 ("Start w and b at zero with gradients tracked; in each step predict, take the mean squared error, "
                  "call backward, update both inside no_grad, then zero both gradients.", "w와 b를 기울기를 추적하는 "
                  "0으로 시작하세요. 매 단계에서 예측하고, 평균 제곱 오차를 구하고, backward를 호출하고, no_grad 안에서 "
                  "둘을 갱신한 뒤, 두 기울기를 0으로 만드세요.")])
def _test_fit_line(answer):
    g = generator()
    slope, intercept = [round(v, 2) for v in (4 * torch.rand(2, generator=g) - 2).tolist()]
    n = sizes(g, 20, 40)[0]
    X = torch.linspace(-0.5, 1.5, n).unsqueeze(1)                    # not centred: w and b interact
    y = slope * X + intercept + 0.1 * randn(g, n, 1)
    lr, num_steps = round(0.1 + 0.3 * torch.rand((), generator=g).item(), 2), draw_int(g, 6, 15)
    factor = round(0.5 + 0.3 * torch.rand((), generator=g).item(), 2)   # a backward() that reports factor × the gradient
    got = answer(X.clone(), y.clone(), lr=lr, num_steps=num_steps)
    case = describe(X=X) + tr(", y = {a}·x + {b} + noise, lr = {lr}, num_steps = {k}", ", y = {a}·x + {b} + 잡음, "
                              "lr = {lr}, num_steps = {k}").format(a=slope, b=intercept, lr=lr, k=num_steps)
    expect(isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (w, b); for {case} yours is {got!r}.",
           "(w, b) 쌍을 돌려주세요. {case}에서 결과: {got!r}.", case=case, got=got)
    for name, value in zip("wb", got):
        returned(value, name, case, kind=float)
    passes = answer.recorder.backward_passes
    expect(all(v in answer.recorder.derived_items for v in got), "train by gradient descent with autograd: your w "
           "and b are not computed from the gradients backward() produced (a formula for the gradient next to a "
           "backward() whose result is not used?).", "자동 미분으로 경사 하강을 하세요: w와 b가 backward()가 만든 "
           "기울기로 계산되지 않았어요 (사용하지 않는 backward() 옆에서 기울기 공식을 썼나요?).")
    expect(passes >= num_steps, "train by gradient descent with autograd: one backward() per step ({k} steps); your "
           "code ran {p} backward passes.", "자동 미분으로 경사 하강을 하세요: 단계마다 backward() 한 번 ({k}단계). "
           "코드가 역전파를 {p}번 실행했어요.", k=num_steps, p=passes)
    want = fit_line(X, y, lr=lr, num_steps=num_steps)
    expect(all(abs(a - b) < 1e-4 for a, b in zip(got, want)), "for {case} {k} steps of gradient descent from zero give "
           "w = {w:.5f}, b = {b:.5f}; yours are {gw:.5f}, {gb:.5f} (gradients reset every step? updates inside no_grad?).",
           "{case}에서 0부터 경사 하강 {k}단계는 w = {w:.5f}, b = {b:.5f}인데 결과는 {gw:.5f}, {gb:.5f}예요 (매 단계 "
           "기울기를 초기화했나요? no_grad 안에서 갱신했나요?).", case=case, k=num_steps, w=want[0], b=want[1],
           gw=got[0], gb=got[1])
    with scaled_backward(factor):
        got = answer(X.clone(), y.clone(), lr=lr, num_steps=num_steps)
        want = fit_line(X, y, lr=lr, num_steps=num_steps)
    expect(all(abs(a - b) < 1e-4 for a, b in zip(got, want)), "update w and b with the gradients backward() stored "
           "in w.grad and b.grad: when backward() reports {f}× the true gradient (the check can make it do so), "
           "gradient descent moves {f}× as far, and your steps do not (a backward() called only for show, and a "
           "formula of your own?).", "backward()가 w.grad와 b.grad에 저장한 기울기로 w와 b를 갱신하세요: backward()가 "
           "실제 기울기의 {f}배를 알려 주면(검사기는 그렇게 만들 수 있어요) 경사 하강은 {f}배만큼 움직이는데, 코드의 "
           "단계는 그렇지 않아요 (backward()는 보여 주기로만 부르고 따로 쓴 공식으로 갱신했나요?).", f=factor)

