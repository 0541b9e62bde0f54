"""Show pictures in a notebook: are we in one, a figure as PNG bytes, and display a PNG.

Graph drawing, plots and demos use these three helpers, so every picture in the course is
made the same way: a PNG rendered for high-density screens and shown at its natural size.
"""

import io
import sys

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


def show_png(png, retina=True):
    """Display PNG bytes in the notebook at their natural size (half their pixels when ``retina``)."""
    from IPython.display import Image, display
    display(Image(data=png, format="png", retina=retina))
