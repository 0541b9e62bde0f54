"""Chapter 02's exercises: the sigmoid's derivative, tanh from the sigmoid, merged linear layers, Leaky ReLU, dead units."""

import torch
import torch.nn.functional as F
from torch import nn

from dlstudy.exercises.inputs import describe, draw_int, generator, randn, sizes
from dlstudy.exercises.registry import Rule, expect, exercise
from dlstudy.exercises.returned import linear_layer
from dlstudy.exercises.rules import reference
from dlstudy.lang import tr

__all__ = []

ARITHMETIC = {"add", "sub", "mul", "div", "neg", "reciprocal"}


def _shapes(g):
    """A 0-d, a 1-d (odd or even length) and a non-square 2-d shape."""
    n, m = sizes(g, 3, 12)
    return [(), (n,), (m, n + 1)]


@reference
def sigmoid_derivative(x):
    """σ(x)(1 − σ(x))."""
    s = torch.sigmoid(x)
    return s * (1 - s)


@exercise("02.1", keeps_dtype=True, title=("The sigmoid's derivative by hand", "시그모이드의 도함수를 손으로"),
          rule=Rule(why=("use the formula σ(x)(1 − σ(x))", "공식 σ(x)(1 − σ(x))를 쓰세요"), no_autograd=True,
                    torch_only=True, allow=frozenset({"sigmoid", "exp", "pow", "abs"} | ARITHMETIC)),
          refuse=("derivative",),
          hints=[("The sigmoid's derivative is built from the sigmoid's own output.",
                  "시그모이드의 도함수는 시그모이드 자신의 출력으로 만들어져요."),
                 ("Compute s = σ(x) once with torch's sigmoid, then return s times (1 − s).",
                  "torch의 sigmoid로 s = σ(x)를 한 번 계산하고, s × (1 − s)를 돌려주세요.")])
def _test_sigmoid_derivative(answer):
    g = generator()
    for shape, dtype in zip(_shapes(g), (torch.float64, torch.float32, torch.float64)):
        x = randn(g, *shape, scale=6.0, dtype=dtype, edges=("zero", "saturated"))   # 0.25 at 0; exp(|x|) overflows
        got = answer(x.clone())
        case = describe(x=x)
        expect(torch.is_tensor(got) and got.shape == x.shape, "return a tensor of x's shape; for {case} yours is {got}.",
               "x와 같은 모양의 텐서를 돌려주세요. {case}에서 결과: {got}.", case=case, got=_shape_of(got))
        _finite_where(got, x, "σ(x)(1 − σ(x))")
        want = sigmoid_derivative(x.double())
        error = (got.double() - want).abs().max().item() if x.numel() else 0.0
        expect(error < (1e-14 if dtype == torch.float64 else 1e-7), "σ(x)(1 − σ(x)) is exact: on {case} yours is off by up to {error:.2g} (a finite "
               "difference or another formula?).", "σ(x)(1 − σ(x))는 정확한 공식이에요. {case}에서 최대 {error:.2g}만큼 "
               "달라요 (유한 차분이나 다른 공식인가요?).", case=case, error=error)


def _finite_where(got, x, formula):
    """NotYet when ``got`` has NaN or inf where x is finite (an exponential overflowed)."""
    bad = ~torch.isfinite(got.detach()) & torch.isfinite(x)
    if bool(bad.any()):
        expect(False, "your formula gives {v} at x = {x:g}: an exponential overflows to inf there (inf / inf is NaN); "
               "{formula} stays finite for every x.", "x = {x:g}에서 식이 {v}이(가) 돼요: 거기서 지수 함수가 inf로 "
               "넘쳐요 (inf / inf는 NaN). {formula}는 모든 x에서 유한해요.", v=got.detach()[bad][0].item(),
               x=x[bad][0].item(), formula=formula)


def _shape_of(value):
    return f"shape {tuple(value.shape)}" if torch.is_tensor(value) else type(value).__name__


@reference
def tanh_from_sigmoid(x):
    """2σ(2x) − 1."""
    return 2 * torch.sigmoid(2 * x) - 1


@exercise("02.2", keeps_dtype=True, title=("tanh from the sigmoid", "시그모이드로 만드는 tanh"),
          rule=Rule(why=("build tanh from the sigmoid: 2σ(2x) − 1", "시그모이드로 tanh를 만드세요: 2σ(2x) − 1"),
                    torch_only=True, allow=frozenset({"sigmoid", "exp"} | ARITHMETIC)),
          refuse=("tanh",),
          hints=[("The formula in the exercise says it all: which input does the sigmoid get, and how do you stretch "
                  "(0, 1) onto (−1, 1)?", "연습의 공식에 다 있어요. 시그모이드에 무엇을 넣고, (0, 1)을 어떻게 "
                  "(−1, 1)로 늘일까요?"),
                 ("Apply torch's sigmoid to twice the input, multiply the result by 2 and subtract 1.",
                  "입력의 두 배에 torch의 sigmoid를 적용하고, 결과에 2를 곱한 뒤 1을 빼세요.")])
def _test_tanh_from_sigmoid(answer):
    g = generator()
    for shape in _shapes(g):
        x = randn(g, *shape, scale=3.0, edges=("saturated", "zero"))         # exp(2|x|) overflows float32 there
        got = answer(x.clone())
        sigmoids = sum(name in ("sigmoid", "exp") for name in answer.ops)
        expect(sigmoids <= 2, "build tanh from the sigmoid, as the formula 2σ(2x) − 1 says: your code ran {n} "
               "exponentials or sigmoids (the chapter's tanh by hand runs four).", "공식 2σ(2x) − 1처럼 "
               "시그모이드로 tanh를 만드세요: 코드가 지수 함수나 시그모이드를 {n}번 실행했어요 (이 장의 tanh는 4번이에요).",
               n=sigmoids)
        case = describe(x=x)
        expect(torch.is_tensor(got) and got.shape == x.shape, "return a tensor of x's shape; for {case} yours is {got}.",
               "x와 같은 모양의 텐서를 돌려주세요. {case}에서 결과: {got}.", case=case, got=_shape_of(got))
        _finite_where(got, x, "2σ(2x) − 1")
        expect(torch.allclose(got, torch.tanh(x), atol=1e-6), "your values differ from tanh on {case}.",
               "{case}에서 값이 tanh와 달라요.", case=case)


@reference
def merge_linear(lin1, lin2):
    """One nn.Linear with weight W2 W1 and bias W2 b1 + b2."""
    merged = nn.Linear(lin1.in_features, lin2.out_features)
    with torch.no_grad():
        merged.weight.copy_(lin2.weight @ lin1.weight)
        merged.bias.copy_(lin2.weight @ lin1.bias + lin2.bias)
    return merged


@exercise("02.3", title=("Merge two linear layers", "선형 층 두 개 합치기"),
          rule=Rule(why=("set the weight and bias inside torch.no_grad()", "가중치와 편향은 torch.no_grad() 안에서 "
                         "정하세요"), no_data=True),
          no_rule_because="the merged layer's weight and bias are compared with W2·W1 and W2·b1 + b2 on layers of "
                          "fresh random sizes (any way of computing them is right); the rule refuses .data",
          hints=[("Multiply out W2(W1 x + b1) + b2 and read off one weight matrix and one bias.",
                  "W2(W1 x + b1) + b2를 전개해서 가중치 행렬 하나와 편향 하나를 읽어 내세요."),
                 ("Create an nn.Linear from lin1's inputs to lin2's outputs; inside no_grad, copy the product W2·W1 "
                  "into its weight and W2·b1 + b2 into its bias.",
                  "lin1의 입력 수에서 lin2의 출력 수로 가는 nn.Linear를 만들고, no_grad 안에서 가중치에 W2·W1을, "
                  "편향에 W2·b1 + b2를 복사하세요.")])
def _test_merge_linear(answer):
    g = generator()
    for _ in range(2):
        n_in, n_hidden, n_out = draw_int(g, 1, 7), draw_int(g, 2, 9), draw_int(g, 1, 6)
        if n_out == n_in:
            n_out += 1                                          # never square: a transposed product shows
        lin1, lin2 = nn.Linear(n_in, n_hidden), nn.Linear(n_hidden, n_out)
        with torch.no_grad():
            for p in [*lin1.parameters(), *lin2.parameters()]:
                p.copy_(randn(g, *p.shape))
        before = [p.detach().clone() for p in [*lin1.parameters(), *lin2.parameters()]]
        merged = answer(lin1, lin2)
        case = tr("nn.Linear({a}, {b}) then nn.Linear({b}, {c})", "nn.Linear({a}, {b}) 다음 nn.Linear({b}, {c})") \
            .format(a=n_in, b=n_hidden, c=n_out)
        linear_layer(merged, n_in, n_out, tr("the merged layer", "합친 층"), case)
        expect(all(torch.equal(a, b) for a, b in zip(before, [*lin1.parameters(), *lin2.parameters()])),
               "leave lin1 and lin2 unchanged: build a new layer.", "lin1과 lin2는 그대로 두고 새 층을 만드세요.")
        expect(not ({id(p) for p in merged.parameters()} & {id(p) for p in [*lin1.parameters(), *lin2.parameters()]}),
               "the merged layer must own its weight and bias, not share lin1's or lin2's.",
               "합친 층은 lin1이나 lin2의 것을 공유하지 말고 자기 가중치와 편향을 가져야 해요.")
        with torch.no_grad():
            W, b = lin2.weight @ lin1.weight, lin2.weight @ lin1.bias + lin2.bias
            expect(merged.weight.shape == W.shape and merged.bias is not None and merged.bias.shape == b.shape,
                   "for {case} the merged weight must have shape {w} and the bias {b}; yours are {w2} and {b2}.",
                   "{case}에서 합친 가중치의 모양은 {w}, 편향은 {b}여야 해요. 결과는 {w2}, {b2}예요.", case=case,
                   w=tuple(W.shape), b=tuple(b.shape), w2=tuple(merged.weight.shape),
                   b2=None if merged.bias is None else tuple(merged.bias.shape))
            X = randn(g, draw_int(g, 2, 9), n_in)
            expect(torch.allclose(merged.weight, W, atol=1e-5) and torch.allclose(merged.bias, b, atol=1e-5)
                   and torch.allclose(F.linear(X, merged.weight, merged.bias), lin2(lin1(X)), atol=1e-4)
                   and torch.allclose(merged(X), lin2(lin1(X)), atol=1e-4),
                   "for {case} your layer's outputs differ from the two layers': the weight is W2·W1 and the bias "
                   "W2·b1 + b2.", "{case}에서 층의 출력이 두 층의 출력과 달라요: 가중치는 W2·W1, 편향은 W2·b1 + b2예요.",
                   case=case)


@reference
def my_leaky_relu(x, slope):
    """x where x > 0, else slope · x."""
    return torch.where(x > 0, x, slope * x)


@exercise("02.4", keeps_dtype=True, title=("Leaky ReLU with any slope", "기울기를 고를 수 있는 Leaky ReLU"),
          rule=Rule(why=("write it with torch.where: x where x > 0, else slope * x",
                         "torch.where로 쓰세요: x > 0이면 x, 아니면 slope * x"),
                    torch_only=True, allow=frozenset({"where", "gt", "ge", "lt", "le", "mul", "neg"})),
          refuse=("leaky_relu",),
          hints=[("Two cases: keep x where it is positive, scale it by slope everywhere else.",
                  "경우는 둘이에요: 양수인 곳은 x 그대로, 나머지는 slope를 곱해요."),
                 ("Use torch.where with the condition x > 0, choosing x itself or slope times x.",
                  "조건 x > 0으로 torch.where를 써서 x 자신과 slope × x 중에서 고르세요.")])
def _test_my_leaky_relu(answer):
    g = generator()
    slopes = [0.0, round(0.01 + 0.3 * torch.rand((), generator=g).item(), 3), round(1.2 + torch.rand((), generator=g).item(), 3)]
    for shape, slope, dtype in zip(_shapes(g), slopes, (torch.float64, torch.float32, torch.float64)):
        x = randn(g, *shape, scale=3.0, dtype=dtype, edges=("zero",))     # at 0 exactly x > 0 is false: slope
        case = describe(x=x, slope=slope)
        x_in = x.clone().requires_grad_(True)
        got = answer(x_in, slope)
        expect(torch.is_tensor(got) and got.shape == x.shape and torch.allclose(got.detach(), F.leaky_relu(x, slope)),
               "on {case} your values differ from x where x > 0, slope * x elsewhere.",
               "{case}에서 값이 'x > 0이면 x, 아니면 slope * x'와 달라요.", case=case)
        weights = randn(g, *shape, dtype=dtype)
        expect(got.requires_grad, "let the gradient flow: your result does not depend on x for autograd "
               "(a detach() somewhere?).", "기울기가 흐르게 하세요: autograd가 보기에 결과가 x에 의존하지 않아요 "
               "(어딘가에서 detach()했나요?).")
        (got * weights).sum().backward()
        expected = torch.where(x > 0, weights, slope * weights)
        expect(x_in.grad is not None, "let the gradient reach x (a detach() somewhere?).",
               "기울기가 x까지 가게 하세요 (어딘가에서 detach()했나요?).")
        at_zero = (x == 0) & ~torch.isclose(x_in.grad, expected)
        expect(not bool(at_zero.any()), "at x = 0 exactly, x > 0 is false, so the value is slope * x and the gradient "
               "is slope ({slope}), as F.leaky_relu's; on {case} yours is not (the condition x >= 0 or x < 0 puts 0 in "
               "the other branch).", "x = 0에서는 x > 0이 거짓이라 값은 slope * x이고 기울기는 F.leaky_relu처럼 slope "
               "({slope})예요. {case}에서는 달라요 (조건 x >= 0이나 x < 0은 0을 다른 가지에 넣어요).", slope=slope,
               case=case)
        expect(torch.allclose(x_in.grad, expected), "the gradient must be 1 where x > 0 and slope elsewhere; on {case} "
               "yours is not (a detach() in one branch?).", "기울기는 x > 0인 곳에서 1, 나머지에서 slope여야 해요. "
               "{case}에서는 달라요 (한쪽 가지에서 detach()했나요?).", case=case)


@reference
def dead_units(layer, X):
    """True for each unit whose pre-activation is ≤ 0 on every row of X."""
    with torch.no_grad():
        return (layer(X) <= 0).all(dim=0)


@exercise("02.5", title=("Find the dead units", "죽은 유닛 찾기"),
          no_rule_because="the mask is compared with the units whose pre-activation is ≤ 0 on every row, on fresh "
                          "layers and inputs; any way of computing it is right",
          refuse=("dead_unit", "count_dead"),
          hints=[("A unit is dead when its pre-activation is ≤ 0 for every row of X: look at one column of layer(X) "
                  "at a time.", "한 유닛은 X의 모든 행에서 사전 활성값이 0 이하일 때 죽어 있어요. layer(X)의 열을 "
                  "하나씩 보세요."),
                 ("Compute layer(X) without gradients, compare it with 0, and reduce over the rows (dim 0) with all.",
                  "기울기 없이 layer(X)를 계산하고 0과 비교한 뒤, 행 방향(dim 0)으로 all을 적용하세요.")])
def _test_dead_units(answer):
    g = generator()
    for _ in range(2):
        n_rows, n_in = sizes(g, 10, 20)[0], draw_int(g, 2, 5)              # more rows than units
        n_out = draw_int(g, 5, 9)
        X = torch.randint(1, 3, (n_rows, n_in), generator=g).float()    # 1s and 2s: exact sums, ties
        layer = nn.Linear(n_in, n_out)
        with torch.no_grad():
            layer.weight.copy_(torch.randint(-3, 4, (n_out, n_in), generator=g).float())
            z = X @ layer.weight.T
            status = torch.randint(0, 3, (n_out,), generator=g)        # 0 dead, 1 dead exactly at 0, 2 alive
            status[:3] = torch.tensor([0, 1, 2])[torch.randperm(3, generator=g)]
            margin = torch.tensor([2.0 ** -12, 1.0, 2.0])[torch.randint(0, 3, (n_out,), generator=g)]  # exact
            margin[status == 2] = margin[status == 2].clamp(max=1.0)
            margin[(status == 2).nonzero()[0]] = 2.0 ** -12             # one unit alive on one row, barely
            bias = torch.where(status == 0, -z.max(0).values - margin,
                               torch.where(status == 1, -z.max(0).values, -z.max(0).values + margin))
            layer.bias.copy_(bias)
        expected = dead_units(layer, X)
        mask = answer(layer, X.clone())
        case = tr("nn.Linear({a}, {b}) on X of shape {shape}", "모양 {shape}인 X에 대한 nn.Linear({a}, {b})") \
            .format(a=n_in, b=n_out, shape=(n_rows, n_in))
        expect(torch.is_tensor(mask) and mask.dtype == torch.bool and mask.shape == (n_out,),
               "return a boolean tensor with one entry per output unit, shape ({n},); yours is {got}.",
               "출력 유닛마다 하나씩, 모양 ({n},)인 불리언 텐서를 돌려주세요. 결과: {got}.", n=n_out,
               got=f"{_shape_of(mask)} {getattr(mask, 'dtype', '')}")
        expect(torch.equal(mask.cpu(), expected), "for {case} your mask is {got}, but the dead units (pre-activation "
               "≤ 0 on every row, a pre-activation of exactly 0 included) are {want}.",
               "{case}에서 결과 마스크는 {got}인데, 죽은 유닛(모든 행에서 사전 활성값이 0 이하, 정확히 0 포함)은 "
               "{want}예요.", case=case, got=mask.int().tolist(), want=expected.int().tolist())
        layer.zero_grad()
        torch.relu(layer(X)).sum().backward()               # the chapter's claim: dead units get no gradient
        no_gradient = (layer.weight.grad == 0).all(dim=1) & (layer.bias.grad == 0)
        if not torch.equal(no_gradient, expected):
            raise AssertionError("dead units and units without gradient disagree")
