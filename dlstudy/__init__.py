"""dlstudy: the helper package of the dlstudy deep-learning course.

Import what you need from its modules, e.g. ``from dlstudy.train import fit``.
The package itself imports nothing heavy, so ``import dlstudy`` is quick.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]


def __getattr__(name):
    """``dlstudy.watch(model, optimizer, loss_fn)`` after a plain ``import dlstudy``: the module loads when used.

    >>> import dlstudy
    >>> callable(dlstudy.watch)
    True
    """
    if name == "watch":
        import importlib
        return importlib.import_module("dlstudy.watch")
    raise AttributeError(f"module 'dlstudy' has no attribute {name!r}")
