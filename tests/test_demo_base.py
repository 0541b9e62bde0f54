"""What every demo box does: sharp pictures at natural size, stale results marked, a picture for static views."""

import base64

import ipywidgets as W
from matplotlib.figure import Figure

from dlstudy.demos.base import PICTURE_STYLE, Explorer, interact, png_width
from dlstudy.demos.optimizer_race import optimizer_race
from dlstudy.display import figure_to_png
from tests.helpers import NotebookOutputs


def _figure(width):
    fig = Figure(figsize=(width, 2.0))
    fig.add_subplot().plot([0, 1], [1, 0])
    return fig


def test_pictures_hold_twice_the_pixels_they_are_shown_with():
    box = Explorer("Demo", {"lr": W.FloatSlider(value=0.1)})
    for width in (4.0, 8.0):
        box.show(_figure(width))
        pixels = int.from_bytes(box.image.value[16:20], "big")
        shown = int(box.image.layout.width.removesuffix("px"))
        assert pixels == 2 * shown and 0.6 * 80 * width < shown <= 80 * width   # (tight box trims margins)
    assert box.image.layout.max_width == "100%"                 # never wider than the output, never stretched


def test_a_changed_knob_marks_the_last_run_as_stale_until_it_runs_again():
    box = optimizer_race()
    box.button.click()                                           # race with the default settings
    assert not box.stale and "Final loss" in box.result_label.value
    box.controls["num_steps"].value += 10
    assert box.stale and "Settings changed" in box.result_label.value and "Race" in box.result_label.value
    box.button.click()
    assert not box.stale and "Final loss" in box.result_label.value


def test_the_picture_after_a_widget_follows_the_learner_at_the_widgets_size(monkeypatch):
    outputs = NotebookOutputs(monkeypatch)
    box = Explorer("Demo", {"lr": W.FloatSlider(value=0.1)})
    box.show(_figure(4.0))
    box._ipython_display_()
    widget, picture = outputs.shown
    assert "application/vnd.jupyter.widget-view+json" in widget["data"] and "image/png" not in widget["data"]
    assert outputs.png() == box.image.value
    box.show(_figure(3.0))                                       # the learner moves a knob: the picture follows
    assert len(outputs.shown) == 2 and outputs.png() == box.image.value
    shown = picture["metadata"]["image/png"]["width"]
    assert f"{shown}px" == box.image.layout.width and shown == png_width(box.image.value) // 2
    assert PICTURE_STYLE in [child.value for child in box.children if isinstance(child, W.HTML)][-1]
    assert "dlstudy-live" in box._dom_classes


def test_interact_shows_the_figure_and_a_picture_that_follows(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display as real_display
    InteractiveShell.instance()

    def draw(a):                                                     # what plt.show() does in a notebook
        png = figure_to_png(_figure(1.0 + a), dpi=100)
        real_display({"image/png": base64.b64encode(png).decode()}, raw=True)

    outputs = NotebookOutputs(monkeypatch)
    box = interact(draw, a=W.IntSlider(value=1, min=1, max=3))
    pictures = [o for o in outputs.shown if o["id"] is not None]
    assert len(pictures) == 1
    first = outputs.png(outputs.shown.index(pictures[0]))
    box.children[0].value = 3
    assert png_width(base64.b64decode(pictures[0]["data"]["image/png"])) > png_width(first)
    assert "dlstudy-live" in box._dom_classes


def test_small_things_a_learner_trips_on():
    from dlstudy.demos.activations import activation_explorer
    from dlstudy.demos.learning_rate import lr_explorer

    box = activation_explorer()
    assert "(at x = 0)" in box.result_label.value                            # not 1.3e-07
    box.controls["activation"].value = "relu"                                # not "at x = 0": every x > 0
    assert "for every x &gt; 0" in box.result_label.value or "for every x > 0" in box.result_label.value
    box = lr_explorer()
    box.controls["lr"].value = 1.0                                           # diverges
    assert box.result["diverged"]
    fig_labels = box.result_label.value
    assert "diverge" in fig_labels.lower() or "blew" in fig_labels.lower()
    picture = box.image.value
    box.controls["num_steps"].value = 100                                    # after a divergence, Steps shows
    assert box.image.value != picture and "of the 100 steps" in box.result_label.value


def test_racing_again_with_the_same_settings_says_so_and_the_stepper_keeps_its_size():
    from dlstudy.demos.backprop import backprop_stepper

    box = optimizer_race()
    box.button.click()
    assert "same settings" not in box.result_label.value
    box.button.click()
    assert "Race 2 with the same settings" in box.result_label.value
    box.controls["num_steps"].value += 10
    box.button.click()
    assert "same settings" not in box.result_label.value
    stepper = backprop_stepper()
    sizes = set()
    for step in range(len(stepper.steps)):
        stepper.controls["step"].value = step
        sizes.add((png_width(stepper.image.value), stepper.image.layout.width))
    assert len(sizes) == 1, sizes


def test_legends_sit_below_the_plot():
    from matplotlib.figure import Figure

    from dlstudy.demos.base import legend_below

    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="a")
    legend_below(ax)
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.y1 <= ax.get_window_extent().y0                              # entirely under the axes
