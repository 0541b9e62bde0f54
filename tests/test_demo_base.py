"""What every demo box does: sharp pictures at natural size, stale results marked, a picture for static views."""

import base64

import ipywidgets as W
from matplotlib.figure import Figure

from dlstudy.demos.base import Explorer
from dlstudy.demos.optimizer_race import optimizer_race


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


def test_the_display_carries_the_current_picture_for_views_without_a_kernel():
    box = Explorer("Demo", {"lr": W.FloatSlider(value=0.1)})
    assert "image/png" not in box._repr_mimebundle_()            # nothing drawn yet
    box.show(_figure(4.0))
    data = box._repr_mimebundle_()
    assert base64.b64decode(data["image/png"]) == box.image.value
    assert data["text/plain"] == "Demo(lr=0.1)" and "application/vnd.jupyter.widget-view+json" in data


def test_small_things_a_learner_trips_on():
    from dlstudy.demos.activations import activation_explorer
    from dlstudy.demos.learning_rate import lr_explorer

    assert "(at x = 0)" in activation_explorer().result_label.value          # not 1.3e-07
    box = lr_explorer()
    box.controls["lr"].value = 1.0                                           # diverges
    assert box.result["diverged"]
    fig_labels = box.result_label.value
    assert "diverge" in fig_labels.lower() or "blew" in fig_labels.lower()


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
