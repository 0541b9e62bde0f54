"""Tools that let a check judge an answer by its effects: switched-off helpers, a stand-in device, refused functions.

``refuse_calls`` switches off whole modules (dlstudy's training loop, scikit-learn, pandas...) and the
chapter's own helpers while the answer runs, whatever name the answer calls them by. ``host_loader`` hands
out batches that refuse to be computed with until they are moved to the model's device, so forgetting
``X.to(device)`` fails on a CPU-only machine too. ``refuse_torch_functions`` refuses torch functions by
name at the ``__torch_function__`` level, where ``F.dropout`` is still ``dropout`` (on the CPU it reaches
ATen as the same ``bernoulli_``, ``div``, ``mul`` a hand-written mask runs).
"""

import contextlib
import re
import sys

import torch
from torch import nn
from torch.overrides import TorchFunctionMode
from torch.utils.data import DataLoader, TensorDataset

from dlstudy.exercises.rules import RuleBroken
from dlstudy.lang import tr

__all__ = ["OnDevice", "OnCpuByName", "refuse_calls", "chapter_functions", "original", "host_loader", "OnHost", "refuse_torch_functions"]

LIBRARIES = ("numpy", "pandas", "scipy", "sklearn")   # shortcuts outside torch
_LOOKUPS = {"__getattr__", "__dir__"}      # a module attribute looked up (torch asks numpy), not work done


def original(answer):
    """The learner's own function behind the check's guard (``Exercise.guard`` wraps it)."""
    while hasattr(answer, "__wrapped__"):
        answer = answer.__wrapped__
    return answer


def chapter_functions(answer, *names):
    """The code objects of the functions ``names`` in the notebook that defined ``answer`` (its globals).

    >>> def train_by_hand(): pass
    >>> def answer(): pass
    >>> chapter_functions(answer, "train_by_hand", "missing") == {train_by_hand.__code__: "train_by_hand"}
    True
    """
    space = getattr(original(answer), "__globals__", {})
    found = {}
    for name in names:
        value = space.get(name)
        code = getattr(value, "__code__", None) or getattr(getattr(value, "__init__", None), "__code__", None)
        if code is not None:
            found[code] = name
    return found


@contextlib.contextmanager
def refuse_calls(modules=(), functions=None, why=("write it yourself", "직접 써 보세요")):
    """Inside the block a call into ``modules`` (name prefixes) or into ``functions`` (code -> name) raises.

    >>> import json
    >>> with refuse_calls(modules=("json",), why=("parse it yourself", "직접 파싱하세요")):
    ...     json.loads("[1]")
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: your code called json.loads, which this exercise switches off while it runs (parse it yourself).
    >>> json.loads("[1]")
    [1]
    """
    prefixes = tuple(modules)
    functions = dict(functions or {})
    before = sys.getprofile()

    def watch(frame, event, arg):
        if callable(before):            # an outer watcher (another rule, a recorder) keeps seeing every call
            before(frame, event, arg)
        if event != "call":
            return
        module = frame.f_globals.get("__name__") or ""
        code = frame.f_code
        named = functions.get(code)
        if named is None and (code.co_name in _LOOKUPS
                              or not any(module == p or module.startswith(p + ".") for p in prefixes)):
            return
        sys.setprofile(before)
        what = named or f"{module}.{getattr(code, 'co_qualname', code.co_name)}"     # Standardizer.fit, not fit
        raise RuleBroken(tr("your code called {what}, which this exercise switches off while it runs ({why}).",
                            "코드가 {what}을(를) 불렀는데, 이 연습은 답을 실행하는 동안 그것을 꺼 둬요 ({why}).")
                         .format(what=what, why=tr(*why)))

    sys.setprofile(watch)
    try:
        yield
    finally:
        sys.setprofile(before)


# Reading a batch's size, shape or type is fine before it is moved; computing with it is not.
_METADATA = {torch.Tensor.__len__, torch.Tensor.size, torch.Tensor.dim, torch.Tensor.numel, torch.Tensor.nelement,
             torch.Tensor.ndimension, torch.Tensor.__repr__, torch.Tensor.__format__, torch.Tensor.element_size,
             torch.Tensor.is_floating_point, torch.Tensor.__hash__}
_PROPERTIES = {"shape", "device", "dtype", "ndim", "is_cuda", "requires_grad", "layout", "is_leaf", "grad_fn",
               "names", "is_sparse", "is_quantized", "is_meta", "is_mps"}
_MOVES = {torch.Tensor.to, torch.Tensor.cuda, torch.Tensor.cpu}


def _names_a_device(func, args, kwargs):
    """Whether the ``.to`` / ``.cuda`` / ``.cpu`` call says where the tensor goes (not only a dtype)."""
    if func is not torch.Tensor.to:
        return True
    if "device" in kwargs or "other" in kwargs:
        return True
    return any(isinstance(a, (torch.device, str, int, torch.Tensor)) and not isinstance(a, bool) for a in args[1:])


def _hard_codes_cpu(func, args, kwargs):
    """Whether a move names the CPU itself (``.cpu()``, ``.to("cpu")``): right here, wrong on a GPU machine."""
    if func is torch.Tensor.cpu:
        return True
    if func is not torch.Tensor.to:
        return False
    named = [kwargs.get("device")] + list(args[1:])
    return any(isinstance(a, str) and a.split(":")[0].strip().lower() == "cpu" for a in named)


def _refuse_cpu(what):
    raise RuleBroken(tr("do not hard-code the CPU: move tensors with .to(device), the model's device ({what}: it "
                        "runs here, but on a GPU the model is on 'cuda' and it fails with 'Expected all tensors to "
                        "be on the same device').",
                        "CPU를 코드에 박아 넣지 마세요: 텐서는 모델의 장치로 .to(device)로 옮기세요 ({what}. 여기서는 "
                        "돌지만 GPU에서는 모델이 'cuda'에 있어서 'Expected all tensors to be on the same device' 오류가 "
                        "나요).").format(what=what))


class OnDevice(torch.Tensor):
    """A tensor already on the model's device: computing with it is fine, moving it to the CPU by name is refused.

    >>> X = torch.ones(2).as_subclass(OnDevice)
    >>> type(X * 2).__name__, type(X.to(torch.float64)).__name__
    ('Tensor', 'Tensor')
    >>> X.cpu()
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: do not hard-code the CPU: move tensors with .to(device), the model's device (your code moved the check's tensor with .cpu(...) to the CPU by name: it runs here, but on a GPU the model is on 'cuda' and it fails with 'Expected all tensors to be on the same device').
    """

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if _hard_codes_cpu(func, args, kwargs):
            _refuse_cpu(tr("your code moved the check's tensor with .{name}(...) to the CPU by name",
                           "코드가 검사의 텐서를 .{name}(...)으로 CPU에 옮겼어요").format(
                               name=getattr(func, "__name__", str(func))))
        with torch._C.DisableTorchFunctionSubclass():
            return func(*args, **kwargs)     # results are plain tensors: only the check's own inputs watch


def _tensors(values):
    for v in values:
        if isinstance(v, torch.Tensor):
            yield v
        elif isinstance(v, (list, tuple)):
            yield from _tensors(v)


class OnCpuByName(torch.Tensor):
    """A batch moved with ``.cpu()`` / ``.to("cpu")``: on a GPU it would not meet the model's weights.

    It refuses to be computed with the model's parameters (or anything that requires grad); results stay marked.
    """

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in _MOVES and not _hard_codes_cpu(func, args, kwargs) and _names_a_device(func, args, kwargs):
            with torch._C.DisableTorchFunctionSubclass():
                return func(args[0].as_subclass(torch.Tensor), *args[1:], **kwargs)    # moved to the device again
        with torch._C.DisableTorchFunctionSubclass():
            meets_model = any(isinstance(t, nn.Parameter) or (t.requires_grad and not isinstance(t, OnCpuByName))
                              for t in _tensors(list(args) + list(kwargs.values())))
        if meets_model:
            _refuse_cpu(tr("your code moved a batch to the CPU by name (.cpu() or .to('cpu')) and computed it with the "
                           "model's weights", "코드가 배치를 이름으로 CPU에 옮기고(.cpu()나 .to('cpu')) 모델의 가중치와 "
                           "계산했어요"))
        with torch._C.DisableTorchFunctionSubclass():
            out = func(*args, **kwargs)
        if isinstance(out, torch.Tensor) and not isinstance(out, nn.Parameter):
            return out.as_subclass(OnCpuByName)
        return out


class OnHost(torch.Tensor):
    """A batch where the loader made it: it refuses to be computed with until ``.to(device)`` moves it."""

    target = torch.device("cpu")   # the model's device, set by host_loader

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in _MOVES:
            if _hard_codes_cpu(func, args, kwargs):       # on a CPU machine the CPU *is* the target: remember it
                with torch._C.DisableTorchFunctionSubclass():
                    return func(args[0].as_subclass(torch.Tensor), *args[1:], **kwargs).as_subclass(OnCpuByName)
            plain = args[0].as_subclass(torch.Tensor)
            with torch._C.DisableTorchFunctionSubclass():
                out = func(plain, *args[1:], **kwargs)
            moved = out.device == cls.target and _names_a_device(func, args, kwargs)
            return out if moved else out.as_subclass(OnHost)
        owner = getattr(func, "__self__", None)
        is_property = getattr(func, "__name__", "") == "__get__" and getattr(owner, "__name__", "") in _PROPERTIES
        if func in _METADATA or is_property:
            with torch._C.DisableTorchFunctionSubclass():
                return func(*args, **kwargs)
        name = getattr(func, "__name__", None) or str(func)
        raise RuleBroken(tr("move every batch to the model's device before computing with it: X, y = X.to(device), "
                            "y.to(device) (your code ran {name} on a batch that was still where the loader made it; "
                            "on a GPU that fails with 'Expected all tensors to be on the same device').",
                            "계산하기 전에 모든 배치를 모델의 장치로 옮기세요: X, y = X.to(device), y.to(device) "
                            "(코드가 로더가 만든 자리에 그대로 있는 배치로 {name}을(를) 실행했어요. GPU에서는 "
                            "'Expected all tensors to be on the same device' 오류가 나요).").format(name=name))


def _collate_on_host(samples):
    columns = zip(*samples)
    return [torch.stack(column).as_subclass(OnHost) for column in columns]


def host_loader(X, y, batch_size, device, order=None):
    """A ``DataLoader`` over ``(X, y)`` whose batches must be moved to ``device`` before any computation.

    ``order`` (a list of indices) is the shuffled order of every pass: the same each time the loader is
    iterated, so a check can replay it.

    >>> loader = host_loader(torch.ones(5, 2), torch.zeros(5), 2, torch.device("cpu"))
    >>> X, y = next(iter(loader))
    >>> len(X), type(X.to(torch.device("cpu"))).__name__
    (2, 'Tensor')
    >>> X.sum()
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: move every batch to the model's device before computing with it: X, y = X.to(device), y.to(device) (your code ran sum on a batch that was still where the loader made it; on a GPU that fails with 'Expected all tensors to be on the same device').
    """
    OnHost.target = torch.device(device)
    if OnHost.target.type == "cuda" and OnHost.target.index is None:
        OnHost.target = torch.device("cuda", torch.cuda.current_device())
    return DataLoader(TensorDataset(X, y), batch_size=batch_size, sampler=order, collate_fn=_collate_on_host,
                      generator=torch.Generator())   # each pass draws its seed from here, not from the global RNG


class refuse_torch_functions(TorchFunctionMode):
    """Inside ``with refuse_torch_functions(pattern, why):`` a torch function whose name matches raises.

    >>> import torch.nn.functional as F
    >>> with refuse_torch_functions("dropout", why=("draw the mask yourself", "마스크를 직접 뽑으세요")):
    ...     F.dropout(torch.ones(3), 0.5)
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: your code called torch's dropout, which this exercise does not allow (draw the mask yourself).
    """

    def __init__(self, pattern, why):
        super().__init__()
        self.pattern, self.why = re.compile(pattern), why

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "") or ""
        if self.pattern.search(name):
            raise RuleBroken(tr("your code called torch's {name}, which this exercise does not allow ({why}).",
                                "코드가 torch의 {name}을(를) 불렀는데, 이 연습에서는 쓸 수 없어요 ({why}).")
                             .format(name=name, why=tr(*self.why)))
        return func(*args, **(kwargs or {}))
