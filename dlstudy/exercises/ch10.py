"""Chapter 10's exercises: sigmoid and log for Value, a linear layer's backward, MSE through a sigmoid, gradient check.

The gradients by hand run with autograd switched off in every form (``backward``, ``autograd.grad``,
``torch.func``, dual tensors and ``jvp`` / ``jacfwd``, a ``grad_fn`` called directly) and under an
allowed-operations rule, on shapes drawn at check time, and are compared with formulas that live here.
"""

import itertools
import math

import torch
import torch.nn.functional as F

from dlstudy.exercises.effects import chapter_functions, original, refuse_calls
from dlstudy.exercises.inputs import draw_int, generator, randn, sizes
from dlstudy.exercises.registry import EXERCISES, AnswerError, Rule, exercise, expect
from dlstudy.exercises.rules import reference

__all__ = []

ARITHMETIC = {"add", "sub", "mul", "div", "neg", "reciprocal"}


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


@exercise("10.1", title=("sigmoid and log for Value", "Value의 sigmoid와 log"),
          hints=[("Copy the pattern of tanh in section 4: one new Value made from v, and a _backward that adds the "
                  "local derivative times out.grad to v.grad.", "4절의 tanh 패턴을 따라 하세요: v로 만든 새 Value "
                  "하나, 그리고 국소 도함수 × out.grad를 v.grad에 더하는 _backward."),
                 ("Sigmoid: the forward value is 1 over (1 plus e to the minus x), its local derivative is the output "
                  "times (1 minus the output). Log: the forward value is the natural log of x, its local derivative "
                  "is 1 over x. Add to v.grad with +=, never assign.", "시그모이드: 순전파 값은 1 / (1 + e^(-x))이고 "
                  "국소 도함수는 출력 × (1 - 출력)이에요. 로그: 순전파 값은 x의 자연로그이고 국소 도함수는 1 / x예요. "
                  "v.grad에는 =가 아니라 +=로 더하세요.")],
          rule=Rule(why=("work on Python floats with math.exp and math.log", "math.exp와 math.log로 파이썬 실수를 "
                         "다루세요"), allow=frozenset(), python_ok=frozenset({"exp", "log", "tanh"})))
def _value_ops(value_sigmoid, value_log):
    Value = getattr(original(value_sigmoid), "__globals__", {}).get("Value")
    expect(Value is not None, "define value_sigmoid and value_log in the notebook that defines Value.",
           "Value를 정의한 노트북에서 value_sigmoid와 value_log를 정의하세요.")
    backward = EXERCISES["10.1"].guard(lambda v: v.backward())     # your _backward runs under the rule too
    g = generator()
    cases = [(value_sigmoid, "value_sigmoid", _sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x)),
              [0.0] + [round(12 * float(torch.rand((), generator=g)) - 6, 4) for _ in range(3)]),
             (value_log, "value_log", math.log, lambda x: 1 / x,
              [1.0] + [round(0.05 + 20 * float(torch.rand((), generator=g)), 4) for _ in range(3)])]
    for fn, name, forward, derivative, points in cases:
        for x0 in points:
            x, scale = Value(x0), round(0.5 + 3 * float(torch.rand((), generator=g)), 3)
            out = fn(x)
            expect(isinstance(out, Value) and tuple(out._prev) == (x,), "{name} must return ONE new Value made from "
                   "v (its _prev is (v,)), with its own _backward.", "{name}은(는) v로 만든 새 Value 하나를 돌려줘야 "
                   "해요 (_prev가 (v,)). 자기만의 _backward도 있어야 해요.", name=name)
            expect(math.isclose(out.data, forward(x0), rel_tol=1e-9), "{name}({x0}) is {want:.6g}, not {got:.6g}.",
                   "{name}({x0})은(는) {got:.6g}이 아니라 {want:.6g}예요.", name=name, x0=x0, want=forward(x0),
                   got=out.data)
            backward(out * scale)
            want = scale * derivative(x0)
            expect(math.isclose(x.grad, want, rel_tol=1e-9), "the gradient of {scale} * {name}(v) at v = {x0} is "
                   "{want:.6g}, yours {got:.6g}: add the local derivative times out.grad to v.grad.",
                   "v = {x0}에서 {scale} * {name}(v)의 기울기는 {want:.6g}인데 {got:.6g}이 나왔어요. 국소 도함수 × "
                   "out.grad를 v.grad에 더하세요.", scale=scale, name=name, x0=x0, want=want, got=x.grad)
        x0 = points[-1]
        x = Value(x0)
        backward(x * fn(x))                      # x feeds two operations: the two gradients must add up
        want = forward(x0) + x0 * derivative(x0)
        expect(math.isclose(x.grad, want, rel_tol=1e-9), "in v * {name}(v) the value v feeds two operations and "
               "their gradients must add up: use v.grad += ..., never v.grad = ....", "v * {name}(v)에서 v는 두 "
               "연산에 쓰이므로 두 기울기가 더해져야 해요: v.grad = ...가 아니라 v.grad += ...를 쓰세요.", name=name)
        a0, b0 = points[1], points[2]                # two nodes of the same kind in one graph, each with its own v
        a, b = Value(a0), Value(b0)
        backward(fn(a) * fn(b))
        want = (derivative(a0) * forward(b0), forward(a0) * derivative(b0))
        expect(math.isclose(a.grad, want[0], rel_tol=1e-9) and math.isclose(b.grad, want[1], rel_tol=1e-9),
               "in {name}(a) * {name}(b) each node must send its gradient to its own input: a = {a0}, b = {b0} give "
               "({wa:.6g}, {wb:.6g}), yours ({ga:.6g}, {gb:.6g}) (a _backward that reads its node from a shared or "
               "global variable instead of its own closure?).", "{name}(a) * {name}(b)에서 각 노드는 자기 입력에 "
               "기울기를 보내야 해요: a = {a0}, b = {b0}이면 ({wa:.6g}, {wb:.6g})인데 결과는 ({ga:.6g}, {gb:.6g})예요 "
               "(_backward가 자기 클로저가 아니라 공유 변수나 전역 변수에서 노드를 읽나요?).", name=name, a0=a0, b0=b0,
               wa=want[0], wb=want[1], ga=a.grad, gb=b.grad)
    x0 = round(0.2 + 3 * float(torch.rand((), generator=g)), 4)
    x = Value(x0)
    backward(value_sigmoid(x) + value_log(x))
    want = _sigmoid(x0) * (1 - _sigmoid(x0)) + 1 / x0
    expect(math.isclose(x.grad, want, rel_tol=1e-9), "one value feeding value_sigmoid and value_log gets the sum of "
           "both gradients: add to v.grad with +=.", "value_sigmoid와 value_log에 함께 쓰인 값은 두 기울기의 합을 "
           "받아요: v.grad에 +=로 더하세요.")


@reference
def linear_backward(X, W, b, grad_out):
    return grad_out @ W.T, X.T @ grad_out, grad_out.sum(dim=0)


@exercise("10.2", keeps_dtype=True, title=("The backward pass of a linear layer, for a batch", "배치에 대한 선형 층의 역전파"),
          hints=[("Each gradient has the shape of its own tensor: dW is (D, M). Which product of X or W with "
                  "grad_out has that shape?", "각 기울기는 자기 텐서와 모양이 같아요: dW는 (D, M)이에요. X나 W와 "
                  "grad_out의 어떤 곱이 그 모양일까요?"),
                 ("Write one entry, Y[n, m] = sum over d of X[n, d] W[d, m], plus b[m]. W[d, m] appears in every row "
                  "n, so its gradient sums X[n, d] times grad_out[n, m] over n: a matrix product that runs over the "
                  "batch index. X[n, d] meets every W[d, m], so its sum runs over m. And b[m] is added to every row.",
                  "원소 하나를 써 보세요: Y[n, m] = d에 대한 X[n, d] W[d, m]의 합 + b[m]. W[d, m]은 모든 행 n에 "
                  "나오므로 그 기울기는 n에 대해 X[n, d] × grad_out[n, m]을 더해요: 배치 인덱스를 도는 행렬 곱이에요. "
                  "X[n, d]는 모든 W[d, m]과 만나므로 m에 대해 더해요. 그리고 b[m]은 모든 행에 더해져요.")],
          rule=Rule(why=("write the formulas of section 7", "7절의 공식을 쓰세요"), no_autograd=True, torch_only=True,
                    allow=frozenset({"mm", "sum", "mul", "add"})))
def _linear(answer):
    g = generator()
    n1, n2 = sizes(g, 2, 17)
    for N, D, M in [(n1, draw_int(g, 2, 9), draw_int(g, 2, 9)), (1, draw_int(g, 3, 8), draw_int(g, 2, 5)),
                    (n2, draw_int(g, 5, 12), draw_int(g, 1, 4))]:
        X, W = torch.randn(N, D, generator=g, dtype=torch.float64), torch.randn(D, M, generator=g, dtype=torch.float64)
        b = torch.randn(M, generator=g, dtype=torch.float64)
        grad_out = torch.randn(N, M, generator=g, dtype=torch.float64)
        got = answer(X.clone(), W.clone(), b.clone(), grad_out.clone())
        expect(isinstance(got, (tuple, list)) and len(got) == 3, "return three tensors: (dX, dW, db).",
               "텐서 세 개를 돌려주세요: (dX, dW, db).")
        for name, mine, want, of in zip(["dX", "dW", "db"], got, linear_backward(X, W, b, grad_out), (X, W, b)):
            expect(torch.is_tensor(mine) and mine.shape == of.shape, "{name} must have the shape of what it is the "
                   "gradient of, {shape} here (N={N}, D={D}, M={M}).", "{name}은(는) 기울기를 구하는 대상과 모양이 "
                   "같아야 해요. 여기서는 {shape}예요 (N={N}, D={D}, M={M}).", name=name, shape=tuple(of.shape),
                   N=N, D=D, M=M)
            expect(torch.allclose(mine, want, rtol=0, atol=1e-10), "{name} is wrong for N={N}, D={D}, M={M}: check "
                   "which index the sum runs over.", "N={N}, D={D}, M={M}에서 {name}이(가) 틀려요. 합이 어느 "
                   "인덱스를 도는지 확인하세요.", name=name, N=N, D=D, M=M)


@reference
def mse_sigmoid_grad(z, y):
    s = torch.sigmoid(z)
    return 2 * (s - y) * s * (1 - s) / z.numel()


@exercise("10.3", keeps_dtype=True, title=("The gradient of MSE through a sigmoid output", "시그모이드 출력을 지난 MSE의 기울기"),
          hints=[("Three links in the chain: the mean, the square, the sigmoid. Multiply their local derivatives.",
                  "연쇄에 고리가 셋 있어요: 평균, 제곱, 시그모이드. 각 국소 도함수를 곱하세요."),
                 ("With s the sigmoid of z: the mean gives 1/n to each entry, the square gives 2 times (s minus y), "
                  "the sigmoid gives s times (1 minus s). The gradient is their product, entry by entry.",
                  "s를 z의 시그모이드라 하면: 평균은 각 원소에 1/n을, 제곱은 2 × (s - y)를, 시그모이드는 "
                  "s × (1 - s)를 줘요. 기울기는 원소마다 이것들의 곱이에요.")],
          rule=Rule(why=("derive dL/dz with the chain rule", "연쇄 법칙으로 dL/dz를 유도하세요"), no_autograd=True,
                    torch_only=True, allow=frozenset({"sigmoid", "exp", "tanh", "pow"} | ARITHMETIC)))
def _mse(answer):
    g = generator()
    a, b = sizes(g, 2, 9)
    for shape in [(draw_int(g, 3, 20),), (a, 1), (a, b), (2, b, 3)]:
        z = randn(g, *shape, scale=2.0, dtype=torch.float64, edges=("saturated", "zero"))   # exp(-z) overflows
        y = torch.rand(shape, generator=g, dtype=torch.float64)
        got = answer(z.clone(), y.clone())
        expect(torch.is_tensor(got) and got.shape == z.shape, "return a tensor shaped like z, {shape} here.",
               "z와 같은 모양의 텐서를 돌려주세요. 여기서는 {shape}예요.", shape=shape)
        bad = ~torch.isfinite(got)
        expect(not bool(bad.any()), "dL/dz must stay finite for every z: at z = {z:g} yours is {v} (exp(-z) "
               "overflows to inf there and inf / inf is NaN); write it with s = σ(z) and s (1 - s), which stay finite.",
               "dL/dz는 모든 z에서 유한해야 해요: z = {z:g}에서 결과가 {v}예요 (거기서 exp(-z)가 inf로 넘치고 inf / inf는 "
               "NaN이에요). s = σ(z)와 s (1 - s)로 쓰면 유한해요.", z=z[bad][0].item() if bad.any() else 0.0,
               v=got[bad][0].item() if bad.any() else 0.0)
        expect(torch.allclose(got, mse_sigmoid_grad(z, y), rtol=0, atol=1e-12), "dL/dz is wrong for z of shape "
               "{shape}: n is the number of entries of z (z.numel()), and the sigmoid's derivative s (1 - s) "
               "belongs to the chain.", "{shape} 모양의 z에서 dL/dz가 틀려요. n은 z의 원소 수(z.numel())이고, "
               "시그모이드의 도함수 s (1 - s)도 연쇄에 들어가요.", shape=shape)


@reference
def central_differences(f, t, h):
    """(f(t + h) - f(t - h)) / 2h for every entry of t, nudged in place through its indices (any strides)."""
    grad = torch.zeros_like(t)
    for index in itertools.product(*(range(n) for n in t.shape)):
        old = t[index].item()
        t[index] = old + h
        up = f().item()
        t[index] = old - h
        down = f().item()
        t[index] = old
        grad[index] = (up - down) / (2 * h)
    return grad


_NOT_CONTIGUOUS = ("t can be a non-contiguous tensor (here a permuted view, as W.T is): t.view(-1) refuses it and "
                   "t.reshape(-1) copies it, so f never sees the nudge; nudge t's own entries through their indices, "
                   "for index in itertools.product(*(range(n) for n in t.shape)): t[index] = ...",
                   "t는 연속이 아닌 텐서일 수 있어요 (여기서는 W.T처럼 축을 바꾼 뷰): t.view(-1)은 거부하고 "
                   "t.reshape(-1)은 복사해서 f가 바뀐 값을 보지 못해요. 인덱스로 t의 원소를 직접 바꾸세요: "
                   "for index in itertools.product(*(range(n) for n in t.shape)): t[index] = ...")


@exercise("10.4", keeps_dtype=True, title=("A gradient check of a 1-D convolution", "1차원 합성곱의 기울기 검사"),
          hints=[("Nudge one entry at a time through a flat view of t (a view shares t's memory, chapter 00), and "
                  "remember the value you changed.", "t의 평평한 뷰로 한 번에 한 원소씩 살짝 바꾸고(뷰는 t와 메모리를 "
                  "공유해요, 00장), 바꾼 값을 기억하세요."),
                 ("For each index of t (itertools.product over the ranges of t.shape: it works for a transposed t too, "
                  "where a flat view does not): save the entry, set it to old + h and evaluate f, set it to old - h "
                  "and evaluate f again, put the old value back, and store the difference divided by 2h.",
                  "t의 인덱스마다(t.shape의 range들에 대한 itertools.product: 평평한 뷰와 달리 전치된 t에서도 돼요): "
                  "값을 저장하고, old + h로 바꿔 f를 계산하고, old - h로 바꿔 f를 다시 계산한 뒤, 원래 값을 "
                  "돌려놓고, 차를 2h로 나눠 저장하세요.")],
          rule=Rule(why=("a gradient check uses nothing but the forward pass", "기울기 검사는 순전파만 써요"),
                    no_autograd=True, torch_only=True, lists=False),
          no_rule_because="f may run any operation, so no list of operations fits; autograd in any form and NumPy "
                          "are refused, the chapter's numerical_gradients is switched off, and the result is compared "
                          "with central differences for the h you are given, for a non-contiguous t too (the "
                          "convolution's weight is a permuted view)",
          changes=(1,))
def _numerical(numerical_gradient):
    g = generator()
    refused = chapter_functions(numerical_gradient, "numerical_gradients")

    def chapter():
        return refuse_calls(functions=refused, why=("write it yourself", "직접 쓰세요"))
    C, L, K, Fn = draw_int(g, 2, 3), draw_int(g, 8, 14), draw_int(g, 2, 5), draw_int(g, 2, 4)
    x = torch.randn(1, C, L, generator=g, dtype=torch.float64)
    w = torch.randn(K, C, Fn, generator=g, dtype=torch.float64).permute(2, 1, 0)    # (Fn, C, K), not contiguous
    b = torch.randn(Fn, generator=g, dtype=torch.float64)
    target = torch.randn(1, Fn, L - K + 1, generator=g, dtype=torch.float64)
    calls = [0]

    def loss():
        calls[0] += 1
        return ((F.conv1d(x, w, b) - target) ** 2).sum()

    leaves = [t.clone().requires_grad_() for t in (x, w, b)]
    ((F.conv1d(*leaves) - target) ** 2).sum().backward()

    def judge(name, t, leaf):
        before, calls[0] = t.clone(), 0
        try:
            with chapter():
                got = numerical_gradient(loss, t)
        except AnswerError as error:
            expect(t.is_contiguous() or "view" not in str(error.__cause__), *_NOT_CONTIGUOUS)
            raise
        expect(torch.equal(t, before), "put every entry back after nudging it: t must end unchanged.",
               "살짝 바꾼 원소는 모두 원래대로 돌려놓으세요: t는 처음 그대로 끝나야 해요.")
        expect(2 * t.numel() <= calls[0] <= 2 * t.numel() + 1, "use central differences, f() twice per entry: "
               "about {want} calls for {n} entries; yours made {got}.", "중심 차분을 쓰세요. 원소마다 f()를 두 번: "
               "원소 {n}개에 약 {want}번인데 {got}번 불렀어요.", want=2 * t.numel(), n=t.numel(), got=calls[0])
        expect(torch.is_tensor(got) and got.shape == t.shape, "return a tensor shaped like t, {shape} here.",
               "t와 같은 모양의 텐서를 돌려주세요. 여기서는 {shape}예요.", shape=tuple(t.shape))
        expect(t.is_contiguous() or got.abs().max() > 0 or leaf.grad.abs().max() == 0, *_NOT_CONTIGUOUS)
        expect(torch.allclose(got, leaf.grad, rtol=0, atol=1e-6), "the gradient of the convolution's loss for {name} "
               "is wrong by more than 1e-6: (f(t + h) - f(t - h)) / 2h for each entry.", "{name}에 대한 합성곱 손실의 "
               "기울기가 1e-6보다 많이 틀려요: 원소마다 (f(t + h) - f(t - h)) / 2h예요.", name=name)
    judge("x", x, leaves[0])
    judge("b", b, leaves[2])
    t = torch.randn(draw_int(g, 3, 7), generator=g, dtype=torch.float64)       # a curved function, a large h
    scale = torch.randn(t.shape, generator=g, dtype=torch.float64)
    h = 10.0 ** -draw_int(g, 2, 3)
    t_ref = t.clone()

    def curved_at(u):
        return lambda: (torch.exp(3 * u) * scale).sum()

    with chapter():
        got = numerical_gradient(curved_at(t), t, h)
    want = central_differences(curved_at(t_ref), t_ref, h)
    expect(torch.equal(t, t_ref), "put every entry back after nudging it: t must end unchanged.",
           "살짝 바꾼 원소는 모두 원래대로 돌려놓으세요: t는 처음 그대로 끝나야 해요.")
    expect(torch.is_tensor(got) and got.shape == t.shape and torch.allclose(got, want, rtol=1e-8, atol=0),
           "use the h you are given (here h = {h:g}) and the central difference (f(t + h) - f(t - h)) / 2h.",
           "주어진 h(여기서는 h = {h:g})와 중심 차분 (f(t + h) - f(t - h)) / 2h를 쓰세요.", h=h)
    judge("w", w, leaves[1])          # last: a permuted view, which t.view(-1) refuses
