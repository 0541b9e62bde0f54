"""What every demo shares: the ``Explorer`` box, sliders and buttons, and the error a demo shows.

Each demo module holds its experiment functions (plain functions that return data, tested
without a browser) and one builder that wraps them in an ``Explorer`` (an ``ipywidgets.VBox``).
A builder displays nothing; put the box last in a cell to show it. Its parts are attributes,
so code and tests can drive it: ``box.controls`` (name -> slider, dropdown, ...), ``box.button``
(Train / Race, or None when the picture follows the sliders), ``box.result_label`` (the
numbers, as HTML), ``box.image`` (the figure, as PNG) and ``box.result`` (what the
experiment function last returned).
"""

import functools
import html
import inspect
import math

import ipywidgets as W
import torch
from matplotlib.figure import Figure

from dlstudy.demos.pictures import PICTURE_CSS, PICTURE_STYLE, Picture, interact, pad_png, png_width
from dlstudy.demos.common import DemoError, choose, single_threaded
from dlstudy.display import RETINA, figure_to_png

__all__ = ["DemoError", "Explorer", "STYLE", "ERROR_COLOR", "choose", "whole", "positive", "defaults",
           "single_threaded", "new_figure", "legend_below", "slider", "log_slider", "button", "busy",
           # the pictures that follow a widget live in dlstudy.demos.pictures; here for the demos that import them
           "Picture", "PICTURE_CSS", "PICTURE_STYLE", "png_width", "pad_png", "interact"]

STYLE = {"description_width": "initial"}
ERROR_COLOR = "#c0392b"
WIDGET_DPI = 80   # the widgets' pictures are shown at 80 pixels per inch of figure, to fit beside the controls
STALE_COLOR = "#7f8c8d"


class Explorer(W.VBox):
    """A box of controls, a result line and a picture; its repr lists the knobs (stable in notebooks).

    >>> Explorer("Demo", {"lr": W.FloatLogSlider(value=0.1, min=-3, max=0), "epochs": W.IntSlider(value=30)})
    Demo(lr=0.1, epochs=30)
    """

    def __init__(self, name, controls, button=None, rows=None):
        self.name, self.controls, self.button = name, controls, button
        self.result_label = W.HTML()
        self.image = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self.result = None
        self.stale = False
        self.picture = Picture()
        rows = rows if rows is not None else [W.HBox(list(controls.values()))]
        style = W.HTML(PICTURE_STYLE, layout=W.Layout(display="none"))
        super().__init__(rows + ([button] if button else []) + [self.result_label, self.image, style])
        self.add_class("dlstudy-live")
        if button is not None:   # the picture shows the last run: say so as soon as a knob moves
            for control in controls.values():
                control.observe(lambda change: self.mark_stale(), "value")

    def show(self, fig, text=None, color=None):
        """Put the figure (as PNG) and, if given, a line of text in place of the old ones.

        The PNG holds twice the pixels it is shown with, so it stays sharp on high-density
        screens, and it is never stretched wider than its natural size.
        """
        png = self.image.value = figure_to_png(fig, dpi=WIDGET_DPI * RETINA)
        self.image.layout.width = f"{png_width(png) // RETINA}px"
        self.picture.update(png)
        self.stale = False
        if text is not None:
            self.say(text, color)

    def show_png(self, png, text=None, color=None):
        """Like ``show``, for a picture that is already PNG bytes (drawn at twice the pixels it is shown with)."""
        self.image.value = png
        self.image.layout.width = f"{png_width(png) // RETINA}px"
        self.picture.update(png)
        self.stale = False
        if text is not None:
            self.say(text, color)

    def mark_stale(self):
        """The settings changed since the picture was drawn: fade it and say what to press."""
        if self.button is None or self.button.disabled:
            return
        self.stale = True
        self.say(f"Settings changed: the picture shows the last run. Press <b>{self.button.description}</b> "
                 "to run with the new settings.", STALE_COLOR)

    def say(self, text, color=None):
        """Replace the result line with ``text`` (HTML), optionally in a colour."""
        style = f' style="color:{color}"' if color else ""
        self.result_label.value = f"<span{style}>{text}</span>"

    def values(self):
        """The current value of every control, by name."""
        return {key: control.value for key, control in self.controls.items()}

    def __repr__(self):
        knobs = ", ".join(f"{key}={control.value!r}" for key, control in self.controls.items())
        return f"{self.name}({knobs})"

    def _ipython_display_(self):
        """The widget, then its picture as an output of its own that follows every change (``Picture``)."""
        from IPython.display import display
        display(super()._repr_mimebundle_(), raw=True)
        self.picture.display()



def whole(value, name, minimum=1, example=100):
    """``value`` if it is a whole number of at least ``minimum``, else a DemoError saying what is expected.

    >>> whole(5, "num_steps")
    5
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DemoError(f"{name} must be a whole number of {minimum} or more, such as {example}; got {value!r}.")
    return value


def positive(value, name, example=0.1, zero=False):
    """``value`` if it is a finite number above 0 (or 0 with ``zero=True``), else a DemoError.

    >>> positive(0.1, "lr")
    0.1
    """
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0 or (value == 0 and not zero):
        least = "0 or more" if zero else "above 0"
        raise DemoError(f"{name} must be a number {least}, such as {example}; got {value!r}.")
    return value


def defaults(function):
    """The default value of each keyword of ``function``: the widgets start where the function does.

    >>> defaults(lambda lr=0.1, epochs=30: None)
    {'lr': 0.1, 'epochs': 30}
    """
    return {name: p.default for name, p in inspect.signature(function).parameters.items()
            if p.default is not p.empty}



def new_figure(ncols=2, width=10.0, height=3.8, left=0.7, bottom=0.5):
    """A Figure outside pyplot (so the notebook never shows it a second time) with fixed margins in inches."""
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=left / width, right=1 - 0.2 / width, bottom=bottom / height, top=1 - 0.35 / height,
                        wspace=0.25)
    return fig, fig.subplots(1, ncols, squeeze=False)[0]


def legend_below(ax, ncol=3):
    """Put ``ax``'s legend under the plot, where it can never hide a curve or a tick."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=min(ncol, len(handles)),
                  fontsize=8, frameon=False)


def slider(kind, description, value, low, high, step, fmt=None):
    """A slider (``W.IntSlider``, ``W.FloatSlider``) that acts when released, not while dragged."""
    extra = {"readout_format": fmt} if fmt else {}
    return kind(value=value, min=low, max=high, step=step, description=description, style=STYLE,
                continuous_update=False, **extra)


def log_slider(description, value, low_exp, high_exp):
    """A slider over powers of ten, from 10**low_exp to 10**high_exp (learning rates)."""
    return W.FloatLogSlider(value=value, base=10, min=low_exp, max=high_exp, step=0.1, description=description,
                            style=STYLE, continuous_update=False, readout_format=".3g")


def button(description):
    """The demo's action button (Train, Race)."""
    return W.Button(description=description, button_style="primary", icon="play")


def busy(box, run, busy_text, expected=()):
    """Run ``run()`` with the button disabled, and enabled again whatever happens.

    ``DemoError`` and the ``expected`` errors the demo names (e.g. ``TrainingDiverged``) are
    explained in the box. Anything else is a bug: the box says so and the error is raised,
    so it is never hidden.
    """
    label = box.button.description
    box.button.disabled, box.button.description = True, busy_text
    try:
        run()
    except (DemoError, *expected) as error:
        box.say(html.escape(str(error)), ERROR_COLOR)
    except Exception as error:              # a button's errors go to a log the learner never sees: show it
        box.say(html.escape(f"Something went wrong: {type(error).__name__}: {error}"), ERROR_COLOR)
        raise
    finally:
        box.button.disabled, box.button.description = False, label
