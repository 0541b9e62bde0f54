"""What every demo shares at the bottom of the tower: its error, reading a name, and one CPU thread for tiny models."""

import functools

import torch

__all__ = ["DemoError", "choose", "single_threaded"]


class DemoError(ValueError):
    """A demo cannot run with these settings; the message says why, in the learner's words."""


def choose(value, options, what):
    """``value`` normalized ("Leaky ReLU" -> "leaky_relu"), or a DemoError listing the options.

    >>> choose("Leaky ReLU", ["relu", "leaky_relu"], "activation")
    'leaky_relu'
    """
    key = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in options:
        raise DemoError(f"Unknown {what} {value!r}; expected one of {', '.join(map(repr, options))}.")
    return key


def single_threaded(function):
    """Run ``function`` on one CPU thread, then restore torch's thread count.

    The demos' models are tiny: splitting their small matrix products across threads only
    adds waiting, and on a busy 2-core machine it made a 1-second run take over a minute.

    >>> single_threaded(torch.get_num_threads)()
    1
    """
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return function(*args, **kwargs)
        finally:
            torch.set_num_threads(threads)
    return wrapper
