"""dlstudy: the helper package of the dlstudy deep-learning course.

Import what you need from its modules, e.g. ``from dlstudy.train import fit``.
The package itself imports nothing heavy, so ``import dlstudy`` is quick.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
