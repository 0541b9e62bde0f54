"""Show pictures in a notebook: are we in one, a figure as PNG bytes, and display a PNG.

Graph drawing, plots and demos use these three helpers, so every picture in the course is
made the same way: a PNG rendered for high-density screens and shown at its natural size.
"""

import io
import sys

from dlstudy.contract import Flag, Number, Rule, declare

__all__ = ["in_notebook", "figure_to_png", "show_png"]

SCREEN_DPI = 100   # dots per inch of a figure at its natural size
RETINA = 2         # PNGs hold twice the pixels, so they stay sharp on high-density screens


def in_notebook():
    """True inside a Jupyter kernel (where a PNG can be displayed), without importing IPython.

    >>> in_notebook()
    False
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and hasattr(shell, "kernel")


class Drawing(Rule):
    """A matplotlib Figure (``fig = plt.figure()`` or ``fig, ax = plt.subplots()``)."""

    def check(self, value, name):
        if isinstance(value, type) or not hasattr(value, "savefig"):
            fix = "Pass its figure: ax.figure." if hasattr(value, "figure") and hasattr(value, "plot") else ""
            self.fail(name, "a matplotlib Figure, such as fig from fig, ax = plt.subplots()", value, fix)
        return value


@declare(fig=Drawing(), dpi=Number(1, 1200, example=200), close=Flag())
def figure_to_png(fig, dpi=SCREEN_DPI * RETINA, close=True):
    """The matplotlib figure ``fig`` as PNG bytes (closed afterwards unless ``close=False``).

    >>> import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
    >>> figure_to_png(plt.figure(figsize=(1, 1)))[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    if close:
        import matplotlib.pyplot as plt
        plt.close(fig)
    return buffer.getvalue()


class Png(Rule):
    """The bytes of a PNG picture, such as ``figure_to_png(fig)``."""

    def check(self, value, name):
        if not isinstance(value, bytes) or not value.startswith(b"\x89PNG\r\n\x1a\n") or len(value) < 24:
            self.fail(name, "the bytes of a PNG picture, such as figure_to_png(fig)", value)
        return value


@declare(png=Png(), retina=Flag())
def show_png(png, retina=True):
    """Display PNG bytes in the notebook at their natural size (half their pixels when ``retina``)."""
    from IPython.display import Image, display
    display(Image(data=png, format="png", retina=retina))
