"""One declaration per public function: what each argument may be, checked once where the call comes in.

A function states its arguments with ``@declare(name=Rule, ...)``; the rule checks the value,
converts what the course accepts (NumPy numbers, a single callback, a metric by name, ...) and
otherwise raises ``ArgumentTypeError`` or ``ArgumentValueError`` (subclasses of ``TypeError``
and ``ValueError``) with a message that names the argument, what was given and the fix.
The declarations are data: ``fn.__contract__`` lists the rules, and the tests draw arguments
from them (inside and just outside each rule) to fuzz every public function.

>>> @declare(num_epochs=Whole(0, example=10))
... def train(num_epochs): return num_epochs
>>> try:
...     train("5")
... except TypeError as error:
...     print(error)
num_epochs must be a whole number such as 10; got the text '5'. Write the number without quotes: 5.
"""

import copy
import functools
import inspect
import math
import os
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import torch

__all__ = ["ArgumentError", "ArgumentTypeError", "ArgumentValueError", "declare", "Rule", "Whole", "Number",
           "Span", "Flag", "Choice", "Optional", "Instance", "Function", "Samples", "FilePath", "shown", "as_samples",
           "samples_problem", "Key", "Keys", "Text", "Array", "Mapping", "Values", "Anything", "Texts", "Keywords",
           "Converted"]


class ArgumentError(Exception):
    """An argument broke its function's declaration; the message names it, what was given and the fix."""


class ArgumentTypeError(ArgumentError, TypeError):
    """The argument is of the wrong kind (text for a number, a class for an object, ...)."""


class ArgumentValueError(ArgumentError, ValueError):
    """The argument is of the right kind but outside its range."""


def shown(value, limit=60):
    """A short description of ``value`` for a message: ``'0.1'``, ``None``, ``a Tensor of shape (3, 2)``."""
    if torch.is_tensor(value) or isinstance(value, np.ndarray):
        dtype = str(value.dtype).replace("torch.", "")
        return f"a {type(value).__name__} of shape {tuple(value.shape)} and dtype {dtype}"
    if isinstance(value, type):
        return f"the class {value.__name__} itself"
    if isinstance(value, (str, bool, Real, type(None))):
        text = repr(value)
        return text if len(text) <= limit else text[:limit] + "...'"
    return f"a {type(value).__name__}"


def _text_number(value):
    """``' Write the number without quotes: 5.'`` for text that holds a number, else ``''``."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return ""
        return f" Write the number without quotes: {value.strip()}."
    return ""


class Rule:
    """What one argument may be. ``check(value, name)`` returns the (converted) value or raises."""

    error = None      # set by declare: the error classes of the function (e.g. a demo's DemoError)

    def check(self, value, name):
        return value

    def fail(self, name, expected, value, fix="", kind=ArgumentTypeError):
        message = f"{name} must be {expected}; got {shown(value)}." + (f" {fix}" if fix else "")
        raise (self.error or kind)(message)


class Whole(Rule):
    """A whole number in ``[low, high]`` (``None`` for no bound); NumPy integers are accepted."""

    def __init__(self, low=None, high=None, example=10):
        self.low, self.high, self.example = low, high, example

    def check(self, value, name):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
            if isinstance(value, str) and _text_number(value):
                raise (self.error or ArgumentTypeError)(
                    f"{name} must be a whole number such as {self.example}; got the text {value!r}."
                    f"{_text_number(value)}")
            tail = " (write it without the decimal point)" if isinstance(value, float) and value.is_integer() else ""
            raise (self.error or ArgumentTypeError)(
                f"{name} must be a whole number such as {self.example}; got {shown(value)}{tail}.")
        if self.low is not None and value < self.low or self.high is not None and value > self.high:
            span = (f"from {self.low} to {self.high}" if self.low is not None and self.high is not None
                    else f"{self.low} or more" if self.low is not None else f"{self.high} or less")
            raise (self.error or ArgumentValueError)(f"{name} must be {span}; got {value}.")
        return int(value)


class Number(Rule):
    """A finite real number in a range: ``low < x`` (``low_open``) or ``low <= x``, and ``x <= high``."""

    def __init__(self, low=None, high=None, example=0.1, low_open=False, high_open=False):
        self.low, self.high, self.example, self.low_open, self.high_open = low, high, example, low_open, high_open

    def span(self):
        parts = []
        if self.low is not None:
            parts.append(f"above {self.low}" if self.low_open else f"{self.low} or more")
        if self.high is not None:
            parts.append(f"below {self.high}" if self.high_open else f"at most {self.high}")
        return " and ".join(parts)

    def check(self, value, name):
        if torch.is_tensor(value) and value.numel() == 1 and not value.is_complex():
            value = value.item()
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
            raise (self.error or ArgumentTypeError)(
                f"{name} must be a number such as {self.example}; got "
                f"{'the text ' + repr(value) if isinstance(value, str) else shown(value)}.{_text_number(value)}")
        value = float(value) if not isinstance(value, Integral) else int(value)
        low_bad = self.low is not None and (value <= self.low if self.low_open else value < self.low)
        high_bad = self.high is not None and (value >= self.high if self.high_open else value > self.high)
        if not math.isfinite(value) or low_bad or high_bad:
            span = self.span()
            raise (self.error or ArgumentValueError)(
                f"{name} must be a {'finite ' if not span else ''}number{', ' + span if span else ''}, such as "
                f"{self.example}; got {value!r}.")
        return value


class Span(Rule):
    """Two finite numbers: ``(low, high)`` with low < high (``ordered``), or any point ``(x, y)``."""

    def __init__(self, example=(-6.0, 6.0), ordered=True):
        self.example, self.ordered = example, ordered

    def check(self, value, name):
        what = "two numbers (low, high) with low < high" if self.ordered else "two numbers (x, y)"
        try:
            low, high = (Number().check(v, name) for v in value)
        except (TypeError, ValueError):
            raise (self.error or ArgumentTypeError)(
                f"{name} must be {what}, such as {self.example}; got {shown(value)}.") from None
        if self.ordered and not low < high:
            raise (self.error or ArgumentValueError)(f"{name} must be {what}, such as {self.example}; got {value!r}.")
        return (low, high)


class Flag(Rule):
    """``True`` or ``False`` (text such as ``'no'`` is refused: any non-empty text would count as True)."""

    def check(self, value, name):
        if not isinstance(value, (bool, np.bool_)):
            fix = f"Write {value.strip().lower() in ('yes', 'true', '1', 'y')} without quotes." \
                if isinstance(value, str) else ""
            self.fail(name, "True or False", value, fix)
        return bool(value)


class Choice(Rule):
    """One of a few names (``'min'`` or ``'max'``)."""

    def __init__(self, *options):
        self.options = options

    def check(self, value, name):
        if value not in self.options or not isinstance(value, str):
            self.fail(name, "one of " + ", ".join(map(repr, self.options)), value, kind=ArgumentValueError)
        return value


class Optional(Rule):
    """``None`` or what ``rule`` accepts."""

    def __init__(self, rule):
        self.rule = rule

    def check(self, value, name):
        return None if value is None else self.rule.check(value, name)


class Instance(Rule):
    """An object of ``kinds`` (the class itself is refused with "build it first: Name(...)")."""

    def __init__(self, kinds, what, example):
        self.kinds, self.what, self.example = kinds, what, example

    def check(self, value, name):
        if isinstance(value, type) and issubclass(value, self.kinds):
            self.fail(name, f"{self.what} object", value, f"Build one first: {value.__name__}(...) (with parentheses).")
        if not isinstance(value, self.kinds):
            self.fail(name, f"{self.what} such as {self.example}", value)
        return value


class Function(Rule):
    """Something to call: a function, or an object such as ``nn.MSELoss()`` (a class is refused)."""

    def __init__(self, what, example):
        self.what, self.example = what, example

    def check(self, value, name):
        if isinstance(value, type):
            self.fail(name, f"{self.what} such as {self.example}", value,
                      f"Pass an instance: {value.__name__}() (with parentheses).")
        if not callable(value):
            self.fail(name, f"{self.what} such as {self.example}", value)
        return value


class FilePath(Rule):
    """A file or folder path: text or a ``pathlib.Path``; ``~`` is expanded to your home folder.

    >>> FilePath().check("~/model.pt", "path") == Path.home() / "model.pt"
    True
    """

    def __init__(self, example="'model.pt'"):
        self.example = example

    def check(self, value, name):
        if isinstance(value, torch.nn.Module) or not isinstance(value, (str, os.PathLike)) or value == "":
            self.fail(name, f"a path such as {self.example} (text or a pathlib.Path)", value)
        return Path(value).expanduser()


def samples_problem(x, name):
    """Why ``x`` cannot be a tensor of samples (``None`` when it can), naming ``name``."""
    if isinstance(x, (list, tuple)) and any(torch.is_tensor(v) or isinstance(v, (list, tuple, np.ndarray))
                                             and len(v) and torch.is_tensor(v[0]) for v in x):
        return (f"{name} is a {type(x).__name__} of tensors, not one tensor of samples. Stack them with "
                f"torch.stack(...) or torch.cat(...); for a list of (X, y) batches, pass the list itself as the data.")
    return None


def as_samples(x, what="X"):
    """``x`` as a tensor of samples: NumPy arrays and lists are converted (floats to float32, integers to int64).

    >>> as_samples(np.array([[1.0, 2.0]])).dtype, as_samples([0, 1, 1], "y").dtype
    (torch.float32, torch.int64)
    """
    if torch.is_tensor(x):
        if x.ndim == 0:
            raise ArgumentValueError(f"{what} must hold one row per sample; got a single number "
                                     f"(a 0-d tensor {x.item()!r}).")
        return x
    problem = samples_problem(x, what)
    if problem:
        raise ArgumentTypeError(problem)
    try:
        array = np.asarray(x)
    except Exception:
        array = np.asarray(None)
    if array.dtype.kind not in "biuf" or array.ndim == 0:
        kind = {"U": "text", "S": "bytes", "O": "Python objects", "c": "complex numbers"}.get(
            array.dtype.kind, str(array.dtype))
        raise ArgumentTypeError(
            f"{what} must be a tensor or a NumPy array of numbers with one row per sample; got "
            f"{type(x).__name__}{f' of {kind}' if array.ndim else ''}. Convert it with "
            "torch.as_tensor(...) (then .float() for features, .long() for class labels).")
    tensor = torch.as_tensor(array)
    return tensor.float() if tensor.is_floating_point() else tensor.long()


class Samples(Rule):
    """A tensor of samples (NumPy arrays and lists are converted by ``as_samples``); ``finite`` refuses NaN / Inf."""

    def __init__(self, finite=False):
        self.finite = finite

    def check(self, value, name):
        x = as_samples(value, name)
        if x.is_complex():
            raise (self.error or ArgumentTypeError)(
                f"{name} holds complex numbers ({str(x.dtype).replace('torch.', '')}); a model computes with real "
                "numbers: keep the real part (.real) or the magnitude (.abs()).")
        if self.finite and x.is_floating_point() and not torch.isfinite(x).all():
            bad = int((~torch.isfinite(x)).sum())
            raise (self.error or ArgumentValueError)(
                f"{name} contains {bad} NaN or infinite value{'s' if bad != 1 else ''}: every result computed "
                f"from it would be NaN. Find them with torch.nonzero(~torch.isfinite({name})), then drop or "
                "fill those rows first.")
        return x


def declare(error=None, *, named=None, **rules):
    """Check the arguments named in ``rules`` on every call (``error``: one exception class for all).

    The wrapped function gets the converted values; ``fn.__contract__`` holds the rules. An argument
    called ``error`` or ``named`` is declared through ``named={"error": rule}``.
    """
    rules = {**rules, **(named or {})}

    def wrap(function):
        signature = inspect.signature(function)
        own = {name: _with_error(rule, error) if error is not None else rule for name, rule in rules.items()}
        unknown = set(own) - set(signature.parameters)
        assert not unknown, f"declare names arguments {function.__name__} does not have: {unknown}"

        extra = next((p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD), None)
        only = {p.name for p in signature.parameters.values() if p.kind is p.POSITIONAL_ONLY} if extra else set()

        @functools.wraps(function)
        def checked(*args, **kwargs):
            named = {key: kwargs.pop(key) for key in only & set(kwargs)}   # f(x, /, **more): x= goes to more
            try:
                bound = signature.bind(*args, **kwargs)
                if named:
                    bound.arguments.setdefault(extra, {}).update(named)
            except TypeError as problem:
                pair = sum(torch.is_tensor(a) for a in args) >= 2 and any(
                    "data" in p for p in signature.parameters)
                hint = " X and y go together, as one argument: the pair (X, y)." if pair else ""
                raise ArgumentTypeError(f"{function.__name__}{signature}: {problem}.{hint}") from None
            bound.apply_defaults()
            arguments = bound.arguments
            for name, rule in own.items():
                if name in arguments:
                    arguments[name] = rule.check(arguments[name], name)
            return function(*bound.args, **bound.kwargs)

        checked.__contract__ = own
        return checked
    return wrap


def _with_error(rule, error):
    """A copy of ``rule`` (and of an inner rule) that raises ``error``."""
    rule = copy.copy(rule)
    rule.error = error
    if isinstance(rule, Optional):
        rule.rule = _with_error(rule.rule, error)
    return rule


# ---------------------------------------------------------------- rules for names, texts, arrays and mappings

class Key(Rule):
    """One name from ``options`` (a dict or list), written as the learner likes: ``'Leaky ReLU'`` is ``'leaky_relu'``."""

    def __init__(self, options, what):
        self.options, self.what = options, what

    def check(self, value, name):
        listed = ", ".join(map(repr, self.options))
        if not isinstance(value, str):
            self.fail(name, f"the name of {self.what}, one of {listed}", value)
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        if key not in self.options:
            raise (self.error or ArgumentValueError)(f"Unknown {self.what} {value!r} for {name}; expected one of "
                                                     f"{listed}.")
        return key


class Keys(Rule):
    """A list of names from ``options``; a bare text is refused (it would be read letter by letter)."""

    def __init__(self, options, what, empty=False):
        self.key, self.empty = Key(options, what), empty

    def check(self, value, name):
        if isinstance(value, str):
            self.fail(name, f"a list of names, such as [{value!r}]", value, f"Put the name in a list: [{value!r}].")
        if not isinstance(value, (list, tuple)):
            self.fail(name, f"a list of names from {', '.join(map(repr, self.key.options))}", value)
        if not value and not self.empty:
            first = next(iter(self.key.options))
            raise (self.error or ArgumentValueError)(f"{name} must be a list of at least one {self.key.what}, such as "
                                                     f"[{first!r}]; got an empty {type(value).__name__}.")
        self.key.error = self.error
        return [self.key.check(v, f"{name}[{i}]") for i, v in enumerate(value)]


class Text(Rule):
    """A piece of text, such as a title or a label (a number is refused: write it in quotes)."""

    def __init__(self, example="'my title'"):
        self.example = example

    def check(self, value, name):
        if not isinstance(value, str):
            self.fail(name, f"text such as {self.example}", value)
        return value


class Array(Samples):
    """A tensor (NumPy arrays and lists are converted once) with ``ndim`` in a set, ``min_len`` to ``max_len`` rows."""

    def __init__(self, ndim=None, finite=True, min_len=1, what="values", example="torch.tensor([0.1, 0.9])",
                 max_len=None, bool_ok=True, fix="", stack=False):
        super().__init__(finite=finite)
        self.fix, self.stack = fix, stack
        self.ndim, self.min_len, self.what, self.example, self.max_len = ndim, min_len, what, example, max_len
        self.bool_ok = bool_ok

    def check(self, value, name):
        if self.stack and isinstance(value, (list, tuple)) and value and all(torch.is_tensor(v) for v in value):
            try:
                value = torch.stack([v.detach().cpu() for v in value])      # a list of points recorded one by one
            except RuntimeError:
                self.fail(name, f"a tensor of {self.what}", value, "Its tensors have different shapes.")
        try:
            x = super().check(value, name)
        except ArgumentTypeError as problem:
            raise (self.error or type(problem))(f"{problem} ({name} holds {self.what}, such as "
                                                f"{self.example}.)") from None
        except ArgumentValueError as problem:
            raise (self.error or type(problem))(str(problem)) from None
        if x.dtype == torch.bool and not self.bool_ok:
            raise (self.error or ArgumentTypeError)(f"{name} must hold numbers ({self.what}); got True / False "
                                                    f"values. Use {name}.float() if they are really numbers.")
        if self.ndim is not None and x.ndim not in self.ndim:
            shapes = " or ".join(f"{d}-d" for d in self.ndim)
            raise (self.error or ArgumentValueError)(f"{name} must be {shapes} ({self.what}, such as {self.example}); "
                                                     f"got shape {tuple(x.shape)}.{' ' + self.fix if self.fix else ''}")
        if len(x) < self.min_len or self.max_len is not None and len(x) > self.max_len:
            most = f" and at most {self.max_len}" if self.max_len is not None else ""
            raise (self.error or ArgumentValueError)(f"{name} must hold at least {self.min_len}{most} of its "
                                                     f"{self.what}; got {len(x)}.")
        return x


class Mapping(Rule):
    """A dict whose keys are text and whose values ``values`` accepts (``{'sgd': 0.1}``); ``empty`` allows ``{}``."""

    def __init__(self, values, example, empty=False, keys=None):
        self.values, self.example, self.empty, self.keys = values, example, empty, keys

    def check(self, value, name):
        if not isinstance(value, dict):
            self.fail(name, f"a dict such as {self.example}", value)
        if not value and not self.empty:
            self.fail(name, f"a dict of at least one entry, such as {self.example}", value, kind=ArgumentValueError)
        self.values.error = self.error
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.fail(name, f"a dict with names (text) as keys, such as {self.example}", key)
            if self.keys is not None:
                self.keys.error = self.error
                key = self.keys.check(key, f"a key of {name}")
            out[key] = self.values.check(item, f"{name}[{key!r}]")
        return out


class Values(Rule):
    """A list (or 1-d tensor / array) of finite numbers in ``number``'s range, at least ``min_len`` of them."""

    def __init__(self, number, min_len=1, example="[0.1, 0.05, 0.01]"):
        self.number, self.min_len, self.example = number, min_len, example

    def check(self, value, name):
        if torch.is_tensor(value) or isinstance(value, np.ndarray):
            value = value.tolist() if value.ndim == 1 else value
        if isinstance(value, (str, dict)) or not isinstance(value, (list, tuple, range)):
            self.fail(name, f"a list of numbers such as {self.example}", value)
        if len(value) < self.min_len:
            self.fail(name, f"a list of at least {self.min_len} number{'s' if self.min_len != 1 else ''}, such as "
                            f"{self.example}", value, kind=ArgumentValueError)
        self.number.error = self.error
        return [self.number.check(v, f"{name}[{i}]") for i, v in enumerate(value)]


class Anything(Rule):
    """Any value is right here (``why`` says what the function does with it); nothing is converted."""

    def __init__(self, why):
        self.why = why


class Texts(Rule):
    """A list of names (``['x1', 'x2']``; a tuple or an array of them too): a bare text is refused."""

    def check(self, value, name):
        if isinstance(value, str) or not isinstance(value, (list, tuple)) and not hasattr(value, "tolist"):
            self.fail(name, "a list of names such as ['x1', 'x2']", value,
                      f"Put the name in a list: [{value!r}]." if isinstance(value, str) else "")
        return [str(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]


class Keywords(Rule):
    """The extra keywords of ``**params``: only the names in ``rules``, each checked by its rule."""

    def __init__(self, **rules):
        self.rules = rules

    def check(self, value, name):
        unknown = sorted(set(value) - set(self.rules))
        if unknown:
            raise (self.error or ArgumentTypeError)(
                f"{unknown[0]} is not a setting here; the extra settings ({name}) are "
                f"{', '.join(self.rules) or 'none'}.")
        out = {}
        for key, item in value.items():
            self.rules[key].error = self.error
            out[key] = self.rules[key].check(item, key)
        return out


class Converted(Rule):
    """What a converter of its own checks and converts (``resolve_device`` for every device argument).

    ``convert(value, name)`` returns the converted value or raises an error (a ``ValueError`` or
    ``TypeError``) whose message already names the argument, what was given and the fix.

    >>> Converted(lambda v, name: abs(v), "a number").check(-2, "x")
    2
    """

    def __init__(self, convert, what):
        self.convert, self.what = convert, what

    def check(self, value, name):
        try:
            return self.convert(value, name)
        except (TypeError, ValueError) as problem:
            if self.error is None or isinstance(problem, self.error):
                raise
            raise self.error(str(problem)) from None
