"""Chapter 00's exercises: a safe NumPy copy, NumPy into the model, standardize, pairwise distances, data to the model."""

import numpy as np
import torch
from torch import nn

from dlstudy.exercises.inputs import describe, draw_int, generator, randn, sizes
from dlstudy.exercises.registry import Rule, expect, exercise
from dlstudy.exercises.rules import computing, reference
from dlstudy.lang import tr

__all__ = []

_CUDA_NUMPY = ("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host "
               "memory first.")


class OnGpu(torch.Tensor):
    """A stand-in for a tensor on a GPU: ``.numpy()`` and ``np.asarray`` refuse it until ``.cpu()`` or ``.to("cpu")``.

    >>> t = torch.ones(2).as_subclass(OnGpu)
    >>> t.detach().cpu().numpy().tolist()
    [1.0, 1.0]
    >>> t.detach().numpy()
    Traceback (most recent call last):
    ...
    TypeError: can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.
    """

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        if name in ("numpy", "__array__") and not kwargs.get("force", False):
            raise TypeError(_CUDA_NUMPY)
        moves = name == "cpu" or (name == "to" and _to_cpu(args[1:], kwargs))
        result = super().__torch_function__(func, types, args, kwargs)
        if moves and isinstance(result, torch.Tensor):
            result = result.as_subclass(torch.Tensor)         # on the "host" now: a plain CPU tensor
        return result


def _to_cpu(args, kwargs):
    target = kwargs.get("device", args[0] if args else None)
    return isinstance(target, (str, torch.device)) and torch.device(target).type == "cpu"


@reference
def safe_numpy(t):
    """A NumPy copy of t's values."""
    return t.detach().cpu().numpy().copy()


@exercise("00.1", title=("A safe way out", "안전하게 꺼내기"),
          no_rule_because="judged by its effects: a NumPy copy that owns its memory, for a tensor that requires "
                          "grad, an integer tensor and a stand-in for a GPU tensor",
          hints=[("Three things stand between a tensor and a safe array: the autograd graph, the device, and shared "
                  "memory.", "텐서와 안전한 배열 사이에는 세 가지가 있어요: 자동 미분 그래프, 장치, 공유 메모리."),
                 ("Leave the graph, copy to the CPU, convert to NumPy, and then copy the array so that it owns its "
                  "memory.", "그래프에서 떼어 내고, CPU로 복사하고, NumPy로 바꾼 뒤, 배열을 복사해 자기 메모리를 "
                  "갖게 하세요.")])
def _test_safe_numpy(answer):
    g = generator()
    n, m = sizes(g, 2, 7)
    cases = [(tr("a float32 tensor that requires grad", "기울기를 추적하는 float32 텐서"),
              randn(g, n, m).requires_grad_(True)),
             (tr("an int64 tensor", "int64 텐서"), torch.randint(-9, 10, (m,), generator=g)),
             (tr("a tensor on a GPU (a CPU stand-in that refuses .numpy() until .cpu())",
                 "GPU에 있는 텐서(.cpu() 전에는 .numpy()를 거부하는 CPU 대역)"),
              randn(g, m, n, dtype=torch.float64).as_subclass(OnGpu))]
    if torch.cuda.is_available():
        cases.append((tr("a tensor on cuda", "cuda에 있는 텐서"), randn(g, n).cuda().requires_grad_(True)))
    for what, t in cases:
        values = t.detach().as_subclass(torch.Tensor).cpu().clone()
        a = answer(t)
        case = f"{what}, {describe(t=values)}"
        expect(isinstance(a, np.ndarray), "return a NumPy array; for {case} yours is {kind}.",
               "NumPy 배열을 돌려주세요. {case}에서 결과: {kind}.", case=case, kind=type(a).__name__)
        expected = values.numpy()
        expect(a.dtype == expected.dtype and a.shape == expected.shape and np.array_equal(a, expected),
               "for {case} your array is not t's values with t's dtype {dtype}.",
               "{case}에서 배열이 t의 값과 dtype {dtype}이(가) 아니에요.", case=case, dtype=expected.dtype)
        if a.size:
            a.reshape(-1)[0] += 100
        expect(torch.equal(t.detach().as_subclass(torch.Tensor).cpu(), values),
               "changing your array changed t ({case}): the array shares t's memory; copy it.",
               "배열을 바꿨더니 t도 바뀌었어요 ({case}): 배열이 t와 메모리를 공유해요. 복사하세요.", case=case)


@reference
def to_model_input(array, device):
    """A float32 tensor on ``device``."""
    return torch.tensor(array, dtype=torch.float32, device=device)


@exercise("00.2", title=("Into the model", "모델 입력으로"),
          no_rule_because="judged by its effects: dtype float32, the device given (also 'meta', not this "
                          "machine's default) and no memory shared with the array",
          hints=[("One call can copy the numbers, convert the dtype and choose the device at once.",
                  "한 번의 호출로 숫자 복사, dtype 변환, 장치 선택을 한꺼번에 할 수 있어요."),
                 ("Build a new tensor from the array with torch's tensor constructor, passing float32 as the dtype "
                  "and the given device; a tensor built that way never shares the array's memory.",
                  "torch의 tensor 생성자로 배열에서 새 텐서를 만들고, dtype에 float32, device에 주어진 장치를 "
                  "넘기세요. 그렇게 만든 텐서는 배열과 메모리를 공유하지 않아요.")])
def _test_to_model_input(answer):
    rng = np.random.default_rng(int(torch.randint(0, 2**31, (), generator=generator())))
    n, d = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    for device in [torch.device("cpu"), torch.device("meta"), "cpu"]:
        array = rng.normal(3.0, 2.0, size=(n, d))                       # float64, as NumPy makes it
        kept = array.copy()
        x = answer(array, device)
        case = tr("a float64 array of shape {shape} and device={device!r}", "모양 {shape}인 float64 배열과 "
                  "device={device!r}").format(shape=(n, d), device=device)
        expect(torch.is_tensor(x) and x.dtype == torch.float32 and tuple(x.shape) == (n, d),
               "return a float32 tensor of the array's shape; for {case} yours is {got}.",
               "배열과 같은 모양의 float32 텐서를 돌려주세요. {case}에서 결과: {got}.", case=case,
               got=f"{getattr(x, 'dtype', type(x).__name__)} {tuple(getattr(x, 'shape', ()))}")
        expect(x.device.type == torch.device(device).type, "put the tensor on the device you are given: for {case} "
               "it is on '{got}'.", "주어진 장치에 텐서를 두세요. {case}에서 텐서가 '{got}'에 있어요.", case=case,
               got=x.device.type)
        if x.device.type != "meta":
            expect(np.allclose(x.cpu().numpy(), kept, atol=1e-6), "for {case} the values differ from the array's.",
                   "{case}에서 값이 배열과 달라요.", case=case)
            array[0, 0] += 100.0
            expect(x[0, 0].item() != array[0, 0], "changing the array changed your tensor ({case}): they share "
                   "memory; build a new tensor.", "배열을 바꿨더니 텐서도 바뀌었어요 ({case}): 메모리를 공유해요. 새 "
                   "텐서를 만드세요.", case=case)


_STATS = frozenset({"mean", "sum", "sub", "div", "mul", "pow", "sqrt", "rsqrt", "std", "var", "std_mean", "var_mean",
                    "reciprocal", "add", "neg", "clamp", "maximum"})


@reference
def standardize(X):
    """(X − column means) / column standard deviations, dividing by N."""
    return (X - X.mean(dim=0)) / X.std(dim=0, correction=0)


@exercise("00.3", keeps_dtype=True, title=("Standardize every column", "모든 열 표준화하기"),
          rule=Rule(why=("compute the column means and standard deviations with torch and broadcasting",
                         "열의 평균과 표준편차를 torch와 브로드캐스팅으로 계산하세요"), torch_only=True, allow=_STATS),
          hints=[("A mean over dim 0 has shape (D,), and (D,) broadcasts against (N, D): one line, no loop.",
                  "dim 0에 대한 평균은 모양이 (D,)이고, (D,)는 (N, D)에 브로드캐스팅돼요: 반복문 없이 한 줄이에요."),
                 ("Subtract the column means and divide by the column standard deviations; tell torch's std to "
                  "divide by N (a correction of 0), as NumPy does.", "열 평균을 빼고 열 표준편차로 나누세요. torch의 "
                  "std가 NumPy처럼 N으로 나누도록 correction=0을 주세요.")])
def _test_standardize(answer):
    g = generator()
    counts = []
    for n, d in zip(sizes(g, 5, 12), sizes(g, 2, 40)):
        scale = 0.5 + 4 * torch.rand(d, generator=g)
        X = randn(g, n, d) * scale + randn(g, d, scale=5.0)           # columns of their own mean and spread
        Z = answer(X.clone())
        counts.append(len(computing(answer.ops)))
        case = describe(X=X)
        expect(torch.is_tensor(Z) and Z.shape == X.shape, "return a tensor of X's shape; for {case} yours is {got}.",
               "X와 같은 모양의 텐서를 돌려주세요. {case}에서 결과: {got}.", case=case,
               got=tuple(Z.shape) if torch.is_tensor(Z) else type(Z).__name__)
        expected = standardize(X.double())
        expect(torch.allclose(Z.double(), expected, atol=1e-3), "for {case} your values differ from (X − mean) / std "
               "with the std dividing by N (correction=0).", "{case}에서 값이 (X − 평균) / 표준편차(N으로 나눔, "
               "correction=0)와 달라요.", case=case)
    expect(counts[0] == counts[1], "use broadcasting, not a Python loop: your code ran {a} computing operations on one X "
           "and {b} on an X of another size.", "파이썬 반복문 말고 브로드캐스팅을 쓰세요: 한 X에서 계산 연산 {a}개, 크기가 다른 X에서 "
           "{b}개를 실행했어요.", a=counts[0], b=counts[1])


@reference
def pairwise_sq_dists(A, B):
    """‖A_i − B_j‖² for every pair of rows."""
    return ((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=2)


@exercise("00.4", keeps_dtype=True, title=("All distances at once", "모든 거리를 한 번에"),
          rule=Rule(why=("build the distances from broadcasting: subtract, square, sum",
                         "브로드캐스팅으로 거리를 만드세요: 빼고, 제곱하고, 더하기"), torch_only=True,
                    allow=frozenset({"sub", "pow", "mul", "sum", "add", "mm", "neg", "abs", "sqrt", "clamp"})),
          hints=[("Give A and B size-1 dimensions in different places, so that every row of A meets every row of B.",
                  "A와 B에 크기 1인 차원을 서로 다른 자리에 넣어서, A의 모든 행이 B의 모든 행과 만나게 하세요."),
                 ("View A as (N, 1, D) and B as (1, M, D), subtract, square, and sum over the last dimension.",
                  "A를 (N, 1, D), B를 (1, M, D)로 보고, 빼고, 제곱하고, 마지막 차원으로 더하세요.")])
def _test_pairwise_sq_dists(answer):
    g = generator()
    counts = []
    for n, m, d in zip(sizes(g, 2, 14), sizes(g, 15, 30), sizes(g, 1, 6)):   # every size differs between calls
        d += 30 * (d in (n, m))                                                 # N, M, D differ: a wrong dim fails
        A, B = randn(g, n, d, shift=1.0), randn(g, m, d, scale=2.0)
        D = answer(A.clone(), B.clone())
        counts.append(len(computing(answer.ops)))
        case = describe(A=A, B=B)
        expect(torch.is_tensor(D) and D.shape == (n, m), "return the (N, M) matrix; for {case} yours is {got}.",
               "(N, M) 행렬을 돌려주세요. {case}에서 결과: {got}.", case=case,
               got=tuple(D.shape) if torch.is_tensor(D) else type(D).__name__)
        expect(torch.allclose(D.double(), pairwise_sq_dists(A.double(), B.double()), atol=1e-3, rtol=1e-4),
               "for {case} your values differ from the squared distances ‖A_i − B_j‖².",
               "{case}에서 값이 거리의 제곱 ‖A_i − B_j‖²와 달라요.", case=case)
    expect(counts[0] == counts[1], "use broadcasting, not a Python loop: your code ran {a} computing operations on one "
           "pair of inputs and {b} on a pair of other sizes.", "파이썬 반복문 말고 브로드캐스팅을 쓰세요: 한 입력에서 계산 연산 {a}개, "
           "크기가 다른 입력에서 {b}개를 실행했어요.", a=counts[0], b=counts[1])


class _Recording(nn.Module):
    """A model with one weight of ``dtype`` on ``device``; forward records the device and dtype it was given."""

    def __init__(self, d, dtype, device):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(d, dtype=dtype, device=device))
        self.seen = None

    def forward(self, X):
        self.seen = (X.device.type, X.dtype)
        return X            # no computation: the first operation on 'meta' costs seconds of imports


@exercise("00.5", title=("Data goes where the model is", "데이터는 모델이 있는 곳으로"),
          no_rule_because="judged by what the model receives: the device and dtype of its own weights, with a "
                          "stand-in device ('meta') so that the device part fails on a CPU-only machine too",
          hints=[("A model has no device of its own, but each of its parameters has a device and a dtype.",
                  "모델 자체에는 장치가 없지만, 모델의 파라미터마다 장치와 dtype이 있어요."),
                 ("Take the model's first parameter, move X to that parameter's device and dtype in one call, then "
                  "run the model on the moved X.", "모델의 첫 파라미터를 꺼내, 한 번의 호출로 X를 그 파라미터의 장치와 "
                  "dtype으로 옮긴 뒤, 옮긴 X로 모델을 실행하세요.")])
def _test_forward_like_model(answer):
    g = generator()
    n, d = sizes(g, 2, 9)
    for X, dtype, device in [(randn(g, n, d), torch.float64, "meta"), (randn(g, n, d, dtype=torch.float64),
                                                                     torch.float32, "meta"),
                             (randn(g, n, d, dtype=torch.float16), torch.float64, "cpu")]:
        model = _Recording(d, dtype, device)
        answer(model, X)
        case = tr("X {x} on 'cpu', a model with {w} weights on '{device}'", "'cpu'의 {x} X와 '{device}'에 {w} 가중치가 "
                  "있는 모델").format(x=str(X.dtype)[6:], w=str(dtype)[6:], device=device)
        seen = model.seen or ("nothing", "nothing")
        expect(seen == (device, dtype), "give X the device and the dtype of the model's own weights: for {case} the "
               "model got X as {got} on '{where}'.", "X를 모델 가중치의 장치와 dtype으로 바꾸세요: {case}에서 모델이 "
               "'{where}'의 {got} X를 받았어요.", case=case, got=str(seen[1]).replace("torch.", ""), where=seen[0])
    model = nn.Sequential(nn.Linear(d, draw_int(g, 1, 4)), nn.Tanh()).double()     # no .weight of its own
    X = randn(g, n, d)
    out = answer(model, X.clone())
    with torch.no_grad():
        expected = model(X.double())
    expect(torch.is_tensor(out) and out.shape == expected.shape and torch.allclose(out.detach(), expected),
           "return the model's output on the moved X; for an nn.Sequential in float64 and X float32 of shape {shape} "
           "yours differs.", "옮긴 X에 대한 모델의 출력을 돌려주세요. float64 nn.Sequential과 모양 {shape}의 float32 X에서 "
           "결과가 달라요.", shape=(n, d))
