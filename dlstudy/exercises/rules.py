"""The rules an exercise's check enforces while the learner's answer runs, judged by what actually ran.

``allowed(ops, why)`` records every ATen operation the answer executes (a ``TorchDispatchMode`` sees
them however they were called: an alias, ``getattr``, ``torch.special``, an ``nn`` module, a chapter
helper) and refuses the first one outside the list. ``no_autograd(why)`` refuses reverse-mode and
forward-mode autograd (``backward``, ``torch.autograd.grad``, ``grad_fn`` called directly, dual
tensors, ``torch.func.jvp`` / ``jacfwd``). ``torch_only(why)`` makes tensors refuse ``.numpy()``,
``__array__`` and ``.tolist()``, so NumPy, SciPy and scikit-learn cannot do the work.
"""

import contextlib
import os
import sys
import threading

import torch
import torch.autograd.forward_ad as forward_ad
from torch.utils._python_dispatch import TorchDispatchMode

from dlstudy.lang import tr

__all__ = ["RuleBroken", "ALWAYS_ALLOWED", "ELEMENTWISE", "REDUCTIONS", "computing", "family", "Recorder", "allowed",
           "refuse_unlisted", "no_autograd", "refuse_autograd", "refuse_complex_tensors", "torch_only", "python_numbers",
           "answer_running", "reference"]


class RuleBroken(Exception):
    """The answer broke the exercise's rule (an operation it does not allow, autograd where it forbids it...)."""


# Operations that only move, reshape, copy, create or read numbers: they cannot compute an answer.
ALWAYS_ALLOWED = frozenset("""
    alias detach view unsafe_view reshape reshape_alias expand unsqueeze squeeze permute transpose t
    select slice narrow as_strided split split_with_sizes unbind clone contiguous to_copy copy lift_fresh
    lift_fresh_copy empty empty_like empty_strided new_empty new_empty_strided zeros zeros_like ones
    ones_like full full_like fill zero new_zeros new_ones new_full scalar_tensor arange is_same_size
    has_same_storage_numel resolve_conj resolve_neg local_scalar_dense is_nonzero cat stack index
    index_select gather flatten unflatten movedim diagonal squeeze_copy view_copy unsqueeze_copy
    expand_copy permute_copy t_copy set equal linspace eye
""".split())

# Elementwise arithmetic, comparisons and selections, and reductions: no layer (pooling, convolution, a loss), no
# autograd. An exercise whose statement forbids only loops and library layers allows all of them.
ELEMENTWISE = frozenset("""
    abs add sub mul div neg reciprocal pow sqrt rsqrt exp log sign relu clamp maximum minimum fmax fmin where gt ge lt
    le eq ne logical_and logical_or logical_not logical_xor bitwise_and bitwise_or bitwise_not masked_fill index_put
    floor ceil round trunc remainder fmod
""".split())
REDUCTIONS = frozenset("amax amin max min aminmax sum mean prod sort topk kthvalue median argmax argmin cummax cummin "
                       "any all".split())

# Readable names for operations that ATen spells otherwise.
_SYNONYMS = {"rsub": "sub", "true_divide": "div", "divide": "div", "multiply": "mul", "subtract": "sub",
             "negative": "neg", "local_scalar_dense": "local_scalar_dense", "matmul": "mm", "bmm": "mm",
             "mv": "mm", "dot": "mm", "addmm": "mm", "addmv": "mm", "vdot": "mm", "baddbmm": "mm",
             "square": "pow", "float_power": "pow", "greater": "gt", "greater_equal": "ge", "less": "lt",
             "less_equal": "le", "not_equal": "ne", "clip": "clamp", "clamp_min": "clamp", "clamp_max": "clamp",
             "mean": "mean", "special_expit": "sigmoid", "unsafe_view": "unsafe_view"}

_state = threading.local()   # .running: True while a learner's answer runs under a rule


def family(op):
    """The readable name of an ATen operation: no overload, no in-place ``_``, aliases merged.

    >>> family(torch.ops.aten.add_.Tensor), family(torch.ops.aten.rsub.Scalar), family(torch.ops.aten.mv.default)
    ('add', 'sub', 'mm')
    """
    name = op.overloadpacket.__name__.strip("_") if hasattr(op, "overloadpacket") else str(op)
    return _SYNONYMS.get(name, name)


class Recorder(TorchDispatchMode):
    """Records the family of every ATen operation run inside it; ``refuse(op_name, func, args)`` may raise.

    >>> with Recorder() as ops:
    ...     _ = torch.exp(-torch.ones(3)).sum()
    >>> ops.names
    ['ones', 'neg', 'exp', 'sum']
    """

    def __init__(self, refuse=None, derive_from=None):
        super().__init__()
        self.names, self.by_engine, self.refuse = [], [], refuse
        self.derive_from, self._derived = derive_from, {}     # id -> tensor (kept alive, so ids stay unique)
        self._storages, self.derived_items = set(), []         # storages written from derived values; their .item()s

    def derived(self, value):
        """Whether ``value`` was computed from the output of an operation in ``derive_from`` (an index counts
        only through the tensor it reads from, not through its indices: a lookup table is not derived).
        ``"autograd"`` in ``derive_from`` stands for every operation the autograd engine runs (the gradients);
        a tensor written in place from a derived value (``w -= lr * w.grad``, ``optimizer.step()``) is derived.

        >>> with Recorder(derive_from={"ge"}) as ops:
        ...     x = torch.tensor([0.0, 1.0]); y = (x >= 0.5).float() * 2; z = torch.tensor([5.0, 6.0])[x.long()]
        >>> ops.derived(y), ops.derived(z)
        (True, False)
        >>> w = torch.zeros(1, requires_grad=True)
        >>> with Recorder(derive_from={"autograd"}) as ops:
        ...     (3 * w).sum().backward()
        ...     with torch.no_grad():
        ...         w -= 0.1 * w.grad
        ...     got, other = w.item(), torch.tensor(1.5).item()
        >>> ops.derived(w), got in ops.derived_items, other in ops.derived_items
        (True, True, False)
        """
        return isinstance(value, torch.Tensor) and (id(value) in self._derived or self._storage(value) in self._storages)

    @staticmethod
    def _storage(t):
        try:
            return t.untyped_storage().data_ptr()
        except (RuntimeError, NotImplementedError):
            return None

    def _mark(self, t):
        self._derived[id(t)] = t
        storage = self._storage(t)
        if storage:
            self._storages.add(storage)

    def _track(self, name, func, args, kwargs, out, engine):
        sources = args[:1] if name in ("index", "index_select", "gather", "take") else \
            list(args) + list((kwargs or {}).values())
        flat = [t for a in sources for t in (a if isinstance(a, (list, tuple)) else [a])]
        if name == "local_scalar_dense" and flat and self.derived(flat[0]):
            self.derived_items.append(out)
            return
        if name in self.derive_from or (engine and "autograd" in self.derive_from) or \
                any(isinstance(t, torch.Tensor) and self.derived(t) for t in flat):
            for t in (out if isinstance(out, (list, tuple)) else [out]):
                if isinstance(t, torch.Tensor):
                    self._mark(t)
            for argument, value in zip(func._schema.arguments, args):         # written in place: w -= ..., add_
                if argument.alias_info is not None and argument.alias_info.is_write:
                    for t in (value if isinstance(value, (list, tuple)) else [value]):
                        if isinstance(t, torch.Tensor):
                            self._mark(t)

    @classmethod
    def _should_skip_dynamo(cls):
        return False      # keeps torch from importing torch._dynamo (seconds) on a mode's first use; nothing compiles here

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = family(func)
        self.names.append(name)
        engine = torch._C._current_autograd_node() is not None
        self.by_engine.append(engine)
        if self.refuse is not None:
            self.refuse(name, func, args)
        out = func(*args, **(kwargs or {}))
        if self.derive_from:
            self._track(name, func, args, kwargs, out, engine)
        return out

    @property
    def backward_passes(self):
        """How many times the autograd engine ran (backward, autograd.grad) inside the block.

        >>> x = torch.ones(2, requires_grad=True)
        >>> with Recorder() as ops:
        ...     for _ in range(3):
        ...         (x * x).sum().backward()
        >>> ops.backward_passes
        3
        """
        flags = [False] + self.by_engine
        return sum(1 for before, now in zip(flags, flags[1:]) if now and not before)


def computing(names):
    """The operations in ``names`` that compute something (reshaping, copying and indexing left out): how many of
    them ran shows a Python loop, while views and permutes vary with the shapes (einsum on D = 1 or D > 1).

    >>> computing(["unsqueeze", "sub", "permute", "view", "mm", "view"])
    ['sub', 'mm']
    """
    return [name for name in names if name not in ALWAYS_ALLOWED]


def _readable(ops):
    return ", ".join(sorted(ops)) or tr("no computing operation", "계산하는 연산은 없음")


@contextlib.contextmanager
def allowed(ops, why):
    """Inside the block only the operation families ``ops`` (plus reshaping, copying, indexing) may run.

    >>> x = torch.tensor([0.0, 1.0])
    >>> by_hand = {"exp", "neg", "add", "div", "reciprocal", "mul"}     # 1 / t runs reciprocal, then mul
    >>> with allowed(by_hand, why=("write the sigmoid yourself", "직접 써 보세요")):
    ...     _ = 1 / (1 + torch.exp(-x))
    >>> with allowed(by_hand, why=("write the sigmoid yourself", "직접 써 보세요")):
    ...     _ = torch.special.expit(x)
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: your code ran the operation 'sigmoid', which this exercise does not allow (write the sigmoid yourself). Allowed: add, div, exp, mul, neg, reciprocal, plus reshaping, copying and indexing.
    """
    ops = frozenset(ops)
    with Recorder(lambda name, func, args: refuse_unlisted(name, ops, why)) as recorder:
        yield recorder


# Code that runs inside the answer's call but is not the answer: torch formatting a tensor for print() (the
# learner's debugging), and the probes of the dlstudy.watch that a loop exercise's check runs around the answer.
_NOT_THE_ANSWER = frozenset({"torch._tensor_str", "dlstudy.watch", "dlstudy.watch_probes"})


def _not_the_answer():
    """Whether the operation is run by print()'s formatting or by the check's dlstudy.watch, not by the answer."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_globals.get("__name__") in _NOT_THE_ANSWER:
            return True
        frame = frame.f_back
    return False


_RANDOM = frozenset("uniform normal bernoulli rand randn randint randperm random exponential geometric "
                    "cauchy log_normal multinomial rand_like randn_like randint_like".split())


def refuse_unlisted(name, ops, why):
    """Raise ``RuleBroken`` naming ``name`` unless it is in ``ops`` or always allowed (or autograd's own work)."""
    if torch._C._current_autograd_node() is not None:
        return                                   # the derivatives of allowed operations (autograd's own work)
    if name not in ops and name not in ALWAYS_ALLOWED and not _not_the_answer():
        raise RuleBroken(tr("your code ran the operation '{name}'{random}, which this exercise does not allow ({why}). "
                            "Allowed: {ops}, plus reshaping, copying and indexing.",
                            "코드가 연산 '{name}'{random}을(를) 실행했는데, 이 연습에서는 쓸 수 없어요 ({why}). "
                            "쓸 수 있는 연산: {ops}, 그리고 모양 바꾸기, 복사, 인덱싱.")
                         .format(name=name, why=tr(*why), ops=_readable(ops),
                                 random=tr(" (random numbers: creating a layer such as nn.Conv2d draws its weights, "
                                           "and random functions draw them)", " (난수: nn.Conv2d 같은 층을 만들면 "
                                           "가중치를 뽑고, 무작위 함수도 난수를 뽑아요)") if name in _RANDOM else ""))


def _inside(module):
    """The names of the functions of ``module`` on the call stack (torch.func runs the answer's function from there)."""
    frame, names = sys._getframe(2), []
    while frame is not None:
        if frame.f_globals.get("__name__") == module:
            names.append(getattr(frame.f_code, "co_qualname", frame.f_code.co_name))
        frame = frame.f_back
    return names


def _autograd_in(name, args):
    """Why the operation ``name`` on ``args`` is autograd at work, or None."""
    if torch._C._current_autograd_node() is not None:
        return tr("backward() ran (reverse-mode autograd)", "backward()가 실행됐어요 (역방향 자동 미분)")
    if forward_ad._current_level >= 0:
        return tr("forward-mode autograd ran (dual tensors, torch.func.jvp or jacfwd)",
                  "순방향 자동 미분이 실행됐어요 (dual 텐서, torch.func.jvp 또는 jacfwd)")
    transforms = _inside("torch._functorch.eager_transforms")
    if any("jvp" in name or "jacfwd" in name for name in transforms):
        return tr("forward-mode autograd ran (torch.func.jvp or jacfwd)", "순방향 자동 미분이 실행됐어요 "
                  "(torch.func.jvp 또는 jacfwd)")
    if transforms:
        return tr("torch.func took a derivative (grad, vjp, jacrev, jvp or jacfwd: autograd under another name)",
                  "torch.func가 도함수를 구했어요 (grad, vjp, jacrev, jvp, jacfwd: 이름만 다른 자동 미분)")
    if name.endswith("_backward"):
        return tr(f"autograd's own derivative formula '{name}' ran (a grad_fn called directly?)",
                  f"자동 미분의 도함수 공식 '{name}'이(가) 실행됐어요 (grad_fn을 직접 호출했나요?)")
    if any(isinstance(a, torch.Tensor) and a.requires_grad for a in args):
        return tr("a tensor that requires grad was used (requires_grad=True records a graph for autograd)",
                  "requires_grad=True인 텐서를 썼어요 (자동 미분을 위한 그래프를 기록해요)")
    return None


@contextlib.contextmanager
def no_autograd(why):
    """Inside the block autograd in any form (backward, grad, grad_fn, dual tensors, jvp) raises ``RuleBroken``.

    >>> x = torch.tensor(2.0)
    >>> with no_autograd(why=("use the formula", "공식을 쓰세요")):
    ...     _ = 3 * x ** 2
    >>> with no_autograd(why=("use the formula", "공식을 쓰세요")):
    ...     _ = torch.func.grad(torch.sin)(x)
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: this exercise computes the gradient without autograd (use the formula), but torch.func took a derivative (grad, vjp, jacrev, jvp or jacfwd: autograd under another name).
    """
    with Recorder(lambda name, func, args: refuse_autograd(name, args, why)) as recorder:
        yield recorder


def refuse_autograd(name, args, why):
    """Raise ``RuleBroken`` if the operation ``name`` on ``args`` is autograd at work (see ``no_autograd``)."""
    reason = _autograd_in(name, args)
    if reason:
        raise RuleBroken(tr("this exercise computes the gradient without autograd ({why}), but {reason}.",
                            "이 연습은 자동 미분 없이 기울기를 구해요 ({why}). 그런데 {reason}.")
                         .format(why=tr(*why), reason=reason))


def refuse_complex_tensors(name, args, why):
    """Raise ``RuleBroken`` if the operation computes with complex tensors (a complex step in torch)."""
    if any(isinstance(a, torch.Tensor) and a.is_complex() for a in args) or name in ("view_as_real", "real", "imag"):
        _refuse_complex(why)


def _refusing(method, why, original):
    def refuse(self, *args, **kwargs):
        if sys._getframe(1).f_globals.get("__name__", "").startswith("torch."):
            return original(self, *args, **kwargs)          # torch's own use (print formats with tolist)
        raise RuleBroken(tr("this exercise is solved with torch alone ({why}); your code called tensor.{m}(), "
                            "which hands the numbers to NumPy or Python lists (NumPy, SciPy and scikit-learn "
                            "shortcuts do not count).",
                            "이 연습은 torch만으로 풀어요 ({why}). 코드가 tensor.{m}()을 호출해 숫자를 NumPy나 "
                            "파이썬 리스트로 넘겼어요 (NumPy, SciPy, scikit-learn으로 우회하면 안 돼요).")
                         .format(why=tr(*why), m=method))
    return refuse


@contextlib.contextmanager
def torch_only(why, lists=True):
    """Inside the block tensors refuse ``.numpy()``, ``__array__`` (and ``.tolist()`` unless ``lists=False``).

    >>> import numpy as np
    >>> with torch_only(why=("use broadcasting", "브로드캐스팅을 쓰세요")):
    ...     np.asarray(torch.ones(2))
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: this exercise is solved with torch alone (use broadcasting); your code called tensor.__array__(), which hands the numbers to NumPy or Python lists (NumPy, SciPy and scikit-learn shortcuts do not count).
    >>> np.asarray(torch.ones(2)).tolist()
    [1.0, 1.0]
    """
    names = ["numpy", "__array__"] + (["tolist"] if lists else [])
    saved = {name: torch.Tensor.__dict__.get(name) for name in names}
    try:
        for name in names:
            setattr(torch.Tensor, name, _refusing(name, why, getattr(torch.Tensor, name)))
        yield
    finally:
        for name, original in saved.items():
            if original is None:
                delattr(torch.Tensor, name)
            else:
                setattr(torch.Tensor, name, original)


# Python's math functions, named by the operation family they compute: an answer that leaves torch for Python
# numbers (x.item(), float(t)) is judged by the same allowed list.
_MATH_FAMILIES = {"exp": "exp", "expm1": "exp", "exp2": "exp", "log": "log", "log1p": "log", "log2": "log",
                  "log10": "log", "sqrt": "sqrt", "cbrt": "pow", "pow": "pow", "fabs": "abs", "tanh": "tanh",
                  "sinh": "sinh", "cosh": "cosh", "sin": "sin", "cos": "cos", "tan": "tan", "asin": "asin",
                  "acos": "acos", "atan": "atan", "atan2": "atan2", "asinh": "asinh", "acosh": "acosh",
                  "atanh": "atanh", "floor": "floor", "ceil": "ceil", "trunc": "trunc", "fsum": "sum", "prod": "prod",
                  "erf": "erf", "erfc": "erfc", "gamma": "lgamma", "lgamma": "lgamma", "hypot": "hypot",
                  "dist": "dist", "fmod": "remainder", "remainder": "remainder", "copysign": "copysign"}


_LIBRARY_FILES = tuple(sorted({sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.dirname(__file__))}))


def _learners(frame):
    """Whether ``frame`` runs the learner's code (a notebook cell, a test file), not Python's, torch's, dlstudy's or
    an installed library's (``torch`` imports ``mpmath`` on first use, and mpmath calls ``math.log``)."""
    name = frame.f_code.co_filename
    return not name.startswith(("<frozen", "<string>")) and not name.startswith(_LIBRARY_FILES)


def _complex_in(code):
    """Whether a code object builds complex numbers: a complex literal (1j), complex(...) or cmath."""
    return any(isinstance(c, complex) or (hasattr(c, "co_consts") and _complex_in(c)) for c in code.co_consts) \
        or bool({"complex", "cmath"} & set(code.co_names))


def _refuse_complex(why):
    raise RuleBroken(tr("your code computed with complex numbers ({why}): the complex-step trick is a numerical "
                        "derivative, not the method this exercise asks for.", "코드가 복소수로 계산했어요 ({why}). "
                        "복소 스텝 기법은 수치 미분이지, 이 연습이 요구하는 방법이 아니에요.").format(why=tr(*why)))


@contextlib.contextmanager
def python_numbers(rule):
    """Judge the learner's Python-number computations by ``rule`` too: its ``math`` calls by the allowed list
    (``math.tanh`` is the operation 'tanh' however the numbers got out of torch), and complex numbers
    (``cmath``, ``complex(...)``, ``1j``) when the rule refuses them.

    >>> import math
    >>> notebook = {"__name__": "__main__", "math": math}          # the learner's code runs in a notebook
    >>> exec(compile("def answer(v): return math.exp(v) + math.tanh(v)", "/tmp/cell.py", "exec"), notebook)
    >>> with python_numbers(type("R", (), {"allow": frozenset({"exp"}), "no_complex": False, "why": ("w", "w")})):
    ...     notebook["answer"](1.0)
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: your code ran the operation 'tanh', which this exercise does not allow (w). Allowed: exp, plus reshaping, copying and indexing.
    """
    before = sys.getprofile()

    def watch(frame, event, arg):
        if callable(before):
            before(frame, event, arg)
        if event == "c_call" and _learners(frame):
            module = getattr(getattr(arg, "__self__", None), "__name__", None)
            if module == "cmath" and rule.no_complex:
                sys.setprofile(before)
                _refuse_complex(rule.why)
            family = _MATH_FAMILIES.get(getattr(arg, "__name__", "")) if module == "math" else None
            allowed = None if rule.allow is None else rule.allow | getattr(rule, "python_ok", frozenset())
            if family is not None and allowed is not None and family not in allowed:
                sys.setprofile(before)
                refuse_unlisted(family, allowed, rule.why)
        elif event == "call" and rule.no_complex and _learners(frame) and _complex_in(frame.f_code):
            sys.setprofile(before)
            _refuse_complex(rule.why)

    sys.setprofile(watch)
    try:
        yield
    finally:
        sys.setprofile(before)


@contextlib.contextmanager
def answer_running():
    """Mark the block as the learner's answer running: the package's ``reference`` functions refuse to run."""
    before = getattr(_state, "running", False)
    _state.running = True
    try:
        yield
    finally:
        _state.running = before


def reference(function):
    """Decorate a check's reference solution: it refuses to run while a learner's answer runs.

    >>> @reference
    ... def double(x): return 2 * x
    >>> double(2)
    4
    >>> with answer_running():
    ...     double(2)
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: your code called the check's own reference solution (double); write the answer yourself.
    """
    def guarded(*args, **kwargs):
        if getattr(_state, "running", False):
            raise RuleBroken(tr("your code called the check's own reference solution ({name}); write the answer "
                                "yourself.", "코드가 검사기의 모범 답안({name})을 불렀어요. 답은 직접 써 보세요.")
                             .format(name=function.__name__))
        return function(*args, **kwargs)
    guarded.__name__, guarded.__doc__ = function.__name__, function.__doc__     # no __wrapped__: nothing to unwrap
    return guarded
