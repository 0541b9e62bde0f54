"""Tools that let a check judge an answer by its effects: switched-off helpers, a stand-in device, refused functions.

``refuse_calls`` switches off whole modules (dlstudy's training loop, scikit-learn, pandas...) and the
chapter's own helpers while the answer runs, whatever name the answer calls them by. ``host_loader`` hands
out batches that refuse to be computed with until they are moved to the model's device, so forgetting
``X.to(device)`` fails on a CPU-only machine too. ``refuse_torch_functions`` refuses torch functions by
name at the ``__torch_function__`` level, where ``F.dropout`` is still ``dropout`` (on the CPU it reaches
ATen as the same ``bernoulli_``, ``div``, ``mul`` a hand-written mask runs).
"""

import contextlib
import gc
import re
import sys

import torch
from torch import nn
from torch.overrides import TorchFunctionMode
from torch.utils.data import DataLoader, TensorDataset

from dlstudy.exercises.rules import RuleBroken
from dlstudy.lang import tr

__all__ = ["OnDevice", "OnCpuByName", "OnModelDevice", "refuse_calls", "chapter_functions", "original", "host_loader", "OnHost", "refuse_torch_functions"]

LIBRARIES = ("numpy", "pandas", "scipy", "sklearn")   # shortcuts outside torch
_LOOKUPS = {"__getattr__", "__dir__"}
_OWN = ("torch", "dlstudy")                 # their own calls into NumPy (printing, conversions) are not the answer's      # a module attribute looked up (torch asks numpy), not work done


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


def _function_of(frame):
    """The function object running in ``frame`` (its closure matched, so one of many wrappers sharing a code)."""
    code = frame.f_code
    free = [frame.f_locals.get(name) for name in code.co_freevars]
    for candidate in gc.get_referrers(code):
        if getattr(candidate, "__code__", None) is code and \
                [cell.cell_contents for cell in (candidate.__closure__ or ())] == free:
            return candidate
    return None


def _public(frame):
    """(module, readable name) of the function running in ``frame``, as its own ``functools.wraps`` names it."""
    function = _function_of(frame)
    module = getattr(function, "__module__", None) or frame.f_globals.get("__name__") or ""
    name = getattr(function, "__qualname__", None) or getattr(frame.f_code, "co_qualname", frame.f_code.co_name)
    return module, name.removesuffix(".__init__")                    # StandardScaler(), not StandardScaler.__init__


def _in(module, prefixes):
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _library(frame):
    """Whether ``frame`` runs torch's code or Python's own machinery (an import), not the learner's or dlstudy's."""
    module, name = frame.f_globals.get("__name__") or "", frame.f_code.co_filename
    return _in(module, ("torch", "importlib")) or name.startswith("<frozen")


def _called(frame, prefixes, functions):
    """The outermost refused call on the way from the learner's code to ``frame``, in the course's words.

    ``fit`` checks its arguments through a wrapper before it runs: the refused frame is then a rule's ``check``,
    but the call the learner made is ``fit`` (the wrapper carries fit's name and module). dlstudy's own frames on
    the way count too: ``evaluate`` is named, not the metric it calls.
    """
    named, outer = None, frame
    while outer is not None:
        code = outer.f_code
        module, name = _public(outer)
        if code in functions:
            named = functions[code]
        elif _in(module, prefixes) or (_in(module, ("dlstudy",)) and not _in(module, ("dlstudy.exercises",))):
            public = ".".join(part for part in module.split(".") if not part.startswith("_"))
            named = tr("{name} (from {module})", "{module}의 {name}").format(name=name, module=public)
        elif named is not None:
            break
        outer = outer.f_back
    return named


def _from_library(frame, prefixes):
    """Whether the refused call chain at ``frame`` was entered from torch or an import, not from the learner."""
    outer = frame                  # torch's decorators (@torch.no_grad() on predict) only pass the call on
    while outer is not None and _in(outer.f_globals.get("__name__") or "", prefixes + ("torch.utils._contextlib",)):
        outer = outer.f_back
    return outer is not None and _library(outer)


@contextlib.contextmanager
def refuse_calls(modules=(), functions=None, why=("write it yourself", "직접 써 보세요")):
    """Inside the block a call into ``modules`` (name prefixes) or into ``functions`` (code -> name) raises.

    The message names the outermost refused call the learner's code made (``fit``, not a helper ``fit`` runs).

    >>> import json
    >>> with refuse_calls(modules=("json",), why=("parse it yourself", "직접 파싱하세요")):
    ...     json.loads("[1]")
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: your code called loads (from json), which this exercise switches off while it runs (parse it yourself).
    >>> json.loads("[1]")
    [1]
    """
    prefixes = tuple(modules)
    functions = dict(functions or {})
    before = sys.getprofile()

    def refuse(what):
        sys.setprofile(before)
        raise RuleBroken(tr("your code called {what}, which this exercise switches off while it runs ({why}).",
                            "코드가 {what}을(를) 불렀는데, 이 연습은 답을 실행하는 동안 그것을 꺼 둬요 ({why}).")
                         .format(what=what, why=tr(*why)))

    def watch(frame, event, arg):
        if callable(before):            # an outer watcher (another rule, a recorder) keeps seeing every call
            before(frame, event, arg)
        if event == "c_call":           # a function written in C (numpy's, math's) called from Python
            module = getattr(arg, "__module__", None) or getattr(getattr(arg, "__self__", None), "__name__", "")
            caller = frame.f_globals.get("__name__") or ""
            if isinstance(module, str) and _in(module, prefixes) and not _in(caller, prefixes + _OWN):
                refuse(tr("{name} (from {module})", "{module}의 {name}").format(name=arg.__name__, module=module))
            return
        if event != "call":
            return
        code = frame.f_code
        if code not in functions and (code.co_name in _LOOKUPS or code.co_name == "<module>" or
                                      not _in(frame.f_globals.get("__name__") or "", prefixes) or
                                      _from_library(frame, prefixes)):
            return                      # torch importing numpy.fft, or asking numpy.__getattr__: not the answer's
        refuse(_called(frame, prefixes, functions))

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


def _any_on_host(args, kwargs):
    return any(isinstance(t, OnHost) for t in _tensors(list(args) + list(kwargs.values())))


def _wrap(out, cls):
    """Tensor results (not parameters) marked as ``cls``; tuples and lists of them too."""
    if isinstance(out, torch.Tensor) and not isinstance(out, nn.Parameter):
        return out.as_subclass(cls)
    if isinstance(out, (tuple, list)) and any(isinstance(o, torch.Tensor) for o in out):
        return type(out)(_wrap(o, cls) for o in out) if not hasattr(out, "_fields") else out
    return out


class OnCpuByName(torch.Tensor):
    """A batch moved with ``.cpu()`` / ``.to("cpu")``: on a GPU it would not meet the model's weights.

    It refuses to be computed with the model's parameters, anything that requires grad, or a tensor on the model's
    device (``OnModelDevice``: the model's outputs, batches moved with ``.to(device)``); results stay marked.
    """

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if _any_on_host(args, kwargs):
            return OnHost.__torch_function__(func, types, args, kwargs)
        if func in _MOVES and not _hard_codes_cpu(func, args, kwargs) and _names_a_device(func, args, kwargs):
            with torch._C.DisableTorchFunctionSubclass():
                out = func(args[0].as_subclass(torch.Tensor), *args[1:], **kwargs)
            return out.as_subclass(OnModelDevice)                                 # moved to the device again
        with torch._C.DisableTorchFunctionSubclass():
            meets_model = any(isinstance(t, (nn.Parameter, OnModelDevice)) or
                              (t.requires_grad and not isinstance(t, OnCpuByName))
                              for t in _tensors(list(args) + list(kwargs.values())))
        if meets_model:
            _refuse_cpu(tr("your code moved a tensor to the CPU by name (.cpu() or .to('cpu')) and computed it with "
                           "the model's weights or with a tensor on the model's device (its outputs, a batch moved "
                           "with .to(device)); move both with .to(device), or both with .cpu()",
                           "코드가 텐서를 이름으로 CPU에 옮기고(.cpu()나 .to('cpu')) 모델의 가중치나 모델 장치의 텐서"
                           "(모델 출력, .to(device)로 옮긴 배치)와 계산했어요. 둘 다 .to(device)로, 또는 둘 다 .cpu()로 "
                           "옮기세요"))
        with torch._C.DisableTorchFunctionSubclass():
            out = func(*args, **kwargs)
        return _wrap(out, OnCpuByName)


class OnModelDevice(torch.Tensor):
    """A batch moved with ``.to(device)`` and everything computed from it (the model's outputs too): on the model's
    device. Moving it to the CPU by name marks the copy ``OnCpuByName``; the two refuse to meet, as on a GPU.

    >>> X = torch.ones(3).as_subclass(OnModelDevice)
    >>> type(X * 2).__name__, (X.cpu() == X.cpu()).all().item()
    ('OnModelDevice', True)
    >>> X == X.cpu()
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: do not hard-code the CPU: move tensors with .to(device), the model's device (your code moved a tensor to the CPU by name (.cpu() or .to('cpu')) and computed it with the model's weights or with a tensor on the model's device (its outputs, a batch moved with .to(device)); move both with .to(device), or both with .cpu(): it runs here, but on a GPU the model is on 'cuda' and it fails with 'Expected all tensors to be on the same device').
    """

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if _any_on_host(args, kwargs):                 # a batch not moved yet meets this one: OnHost says so
            return OnHost.__torch_function__(func, types, args, kwargs)
        if func in _MOVES and _hard_codes_cpu(func, args, kwargs):
            with torch._C.DisableTorchFunctionSubclass():
                return func(args[0].as_subclass(torch.Tensor), *args[1:], **kwargs).as_subclass(OnCpuByName)
        if any(isinstance(t, OnCpuByName) for t in _tensors(list(args) + list(kwargs.values()))):
            return OnCpuByName.__torch_function__(func, types, args, kwargs)
        with torch._C.DisableTorchFunctionSubclass():
            out = func(*args, **kwargs)
        return _wrap(out, OnModelDevice)


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
            return out.as_subclass(OnModelDevice if moved else OnHost)
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
    (2, 'OnModelDevice')
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
