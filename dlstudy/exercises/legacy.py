"""Self-checks for the chapter exercises: pass / not yet, hints on request, and rules the check enforces.

``check`` runs an exercise's test and prints whether it passes; it never raises. Hints stay
hidden until you ask for them with ``hint(n)`` (or fail the same check a second time), and come
in order: a nudge first, then the method, never the code. ``forbid`` and ``spy`` let a check
enforce the exercise's own rule ("without torch.tanh", "use autograd"), so the wrong method
cannot pass.
"""

import contextlib
import functools
import importlib
import re
import sys
from collections import Counter

from torch.overrides import TorchFunctionMode

from dlstudy.exercises.rules import RuleBroken

__all__ = ["check", "hint", "forbid", "spy", "require", "count_torch_calls", "RuleBroken", "checked_names",
           "exercise_number"]

_hints = {}      # exercise name -> list of hints
_shown = {}      # exercise name -> how many hints were shown
_failures = {}   # exercise name -> failed checks so far




def checked_names():
    """The names of the exercises checked so far in the old form."""
    return list(_hints)


def exercise_number(name):
    """The exercise number at the start of ``name`` ("3. max_pool" -> "3"), else None."""
    return _number(name)


def _number(name):
    """The exercise number at the start of ``name`` ("3. max_pool" -> "3"), else None."""
    match = re.match(r"\s*(?:Exercise\s+)?(\d+)\b", str(name))
    return match.group(1) if match else None


def _find(key):
    """The registered exercise name for ``key`` (a number such as 3, or the full name)."""
    if key in _hints:
        return key
    matches = [name for name in _hints if _number(name) == str(key)]
    return matches[-1] if matches else None


def _next_hint(name):
    """The next unseen hint of exercise ``name`` as one line, or None when all were shown."""
    hints, shown = _hints.get(name, ()), _shown.get(name, 0)
    if shown >= len(hints):
        return None
    _shown[name] = shown + 1
    return f"💡 Hint {shown + 1} of {len(hints)} for {name}: {hints[shown]}"


def hint(key):
    """Print the next hint of exercise ``key`` (its number or name): a nudge first, then the method.

    >>> _ = check("9. demo", lambda: False, hints=("Think of shapes.", "Use reshape, then sum."))
    ⏳ 9. demo: not yet. Stuck? hint(9) gives a nudge.
    >>> hint(9)
    💡 Hint 1 of 2 for 9. demo: Think of shapes.
    >>> hint(9)
    💡 Hint 2 of 2 for 9. demo: Use reshape, then sum.
    >>> hint(9)
    No more hints for 9. demo: the worked solution is in notebooks/solutions/.
    """
    name = _find(key)
    if name is None:
        known = ", ".join(sorted(_hints)) or "none yet (run an exercise's check cell first)"
        print(f"No exercise {key!r} has been checked in this notebook; checked so far: {known}.")
        return
    line = _next_hint(name)
    print(line or f"No more hints for {name}: the worked solution is in notebooks/solutions/.")


def check(name, test, hints=()):
    """Run ``test()`` and print whether exercise ``name`` passes; returns True or False, never raises.

    An untouched stub raises ``NotImplementedError``: that counts as "not yet". A broken
    rule (``RuleBroken``) is named in the message.

    >>> check("1. sum", lambda: 1 + 1 == 2)
    ✅ 1. sum: pass
    True
    >>> def stub(): raise NotImplementedError
    >>> check("2. stub", stub, hints=("Start from the formula.",))
    ⏳ 2. stub: not yet. Stuck? hint(2) gives a nudge.
    False
    >>> check("2. stub", stub, hints=("Start from the formula.",))
    ⏳ 2. stub: not yet.
    💡 Hint 1 of 1 for 2. stub: Start from the formula.
    False
    """
    if isinstance(hints, str):
        hints = (hints,)
    _hints[name] = list(hints)
    try:
        passed, problem = bool(test()), ""
    except NotImplementedError:
        passed, problem = False, ""
    except RuleBroken as error:
        passed, problem = False, f" Rule: {error}"
    except Exception as error:  # a learner's half-written code may raise anything
        first_line = (str(error).splitlines() or [""])[0][:200]
        passed, problem = False, f" Your code raised {type(error).__name__}: {first_line}."
    if passed:
        print(f"✅ {name}: pass")
        return True
    _failures[name] = _failures.get(name, 0) + 1
    line = f"⏳ {name}: not yet.{problem}"
    if _failures[name] == 1:
        number = _number(name)
        if _hints[name]:
            line += f" Stuck? hint({number if number else repr(name)}) gives a nudge."
        print(line)
    else:
        shown = _next_hint(name)
        print(line + (f"\n{shown}" if shown else ""))
    return False


def _resolve(dotted):
    """``"torch.Tensor.tanh"`` -> (the object that holds it, "tanh")."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:-1]:
            owner = getattr(owner, attr)
        return owner, parts[-1]
    raise ValueError(f"Cannot find {dotted!r}; expected a dotted name such as 'torch.tanh'.")


@contextlib.contextmanager
def _patched(names, make_replacement):
    """Replace each dotted name by ``make_replacement(name, original)`` inside the block."""
    saved, main = [], vars(sys.modules["__main__"])
    try:
        for dotted in names:
            owner, attr = _resolve(dotted)
            original = getattr(owner, attr)
            replacement = make_replacement(dotted, original)
            setattr(owner, attr, replacement)
            saved.append((owner, attr, original))
            # the same object imported under a name of its own (from torch.nn.functional import dropout)
            for alias in [name for name, value in main.items() if value is original]:
                main[alias] = replacement
                saved.append((main, alias, original))
        yield
    finally:
        for owner, attr, original in reversed(saved):
            if owner is main:
                main[attr] = original
            else:
                setattr(owner, attr, original)


@contextlib.contextmanager
def forbid(*names, why=""):
    """Inside the block, calling any of ``names`` (dotted, e.g. ``"torch.tanh"``) raises ``RuleBroken``.

    >>> import math
    >>> with forbid("math.sqrt"):
    ...     math.sqrt(4.0)
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: this exercise asks you not to use math.sqrt; write it yourself.
    >>> math.sqrt(4.0)
    2.0
    """
    def replacement(dotted, original):
        def refuse(*args, **kwargs):
            raise RuleBroken(f"this exercise asks you not to use {dotted}; {why or 'write it yourself'}.")
        return refuse
    with _patched(names, replacement):
        yield


@contextlib.contextmanager
def spy(*names):
    """Count the calls of ``names`` inside the block; yields a Counter keyed by name.

    >>> import math
    >>> with spy("math.sqrt") as calls:
    ...     _ = math.sqrt(4.0) + math.sqrt(9.0)
    >>> calls["math.sqrt"]
    2
    """
    calls = Counter()

    def replacement(dotted, original):
        @functools.wraps(original)
        def counted(*args, **kwargs):
            calls[dotted] += 1
            return original(*args, **kwargs)
        return counted
    with _patched(names, replacement):
        yield calls


def require(condition, rule):
    """Raise ``RuleBroken(rule)`` unless ``condition`` holds; use it inside a check's test.

    >>> require(True, "use autograd")
    >>> require(False, "use autograd: call .backward()")
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: use autograd: call .backward()
    """
    if not condition:
        raise RuleBroken(rule)


class count_torch_calls(TorchFunctionMode):
    """Count the torch operations run inside ``with count_torch_calls() as counter:``; a Python loop runs many.

    A check uses it for the rule "no Python loops": tensor code needs a few operations
    whatever the size of the input, a loop over elements one or more per element.

    >>> import torch
    >>> x = torch.arange(10.0)
    >>> with count_torch_calls() as vectorized:
    ...     _ = x.sum()
    >>> with count_torch_calls() as looped:
    ...     _ = sum(x[i] for i in range(10))
    >>> vectorized.calls, looped.calls
    (1, 20)
    """

    def __init__(self):
        super().__init__()
        self.calls = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.calls += 1
        return func(*args, **(kwargs or {}))
