"""The course's interactive demos, one module per demo: its experiment functions and its widget.

Import from the module you need, e.g. ``from dlstudy.demos.playground import playground``.
"""

__all__ = []
