"""Every demo widget renders in JupyterLab, responds to its controls with a new picture, is never upscaled,
and marks its result as stale when a knob moves after a run."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (see conftest.py)").expect

SECOND = 1000
CELLS = [
    "import torch\nfrom dlstudy.demos.activations import activation_explorer\nactivation_explorer()",
    "from dlstudy.demos.learning_rate import lr_explorer\nlr_explorer()",
    "from dlstudy.demos.optimizer_race import optimizer_race\noptimizer_race()",
    "from dlstudy.demos.threshold import threshold_explorer\n"
    "g = torch.Generator().manual_seed(0)\ntarget = torch.rand(200, generator=g) < 0.5\n"
    "scores = (target + torch.randn(200, generator=g)).sigmoid()\nthreshold_explorer(scores, target)",
    "from dlstudy.demos.regularization import regularization_explorer\nregularization_explorer()",
]


def _widget(page, k):
    """The output area of the k-th code cell (cell 0 is the title)."""
    return page.locator(".jp-Notebook .jp-Cell").nth(k + 1).locator(".jp-OutputArea-output")


def _changes_picture(widget, act, timeout=60 * SECOND):
    image = widget.locator(".widget-image").first
    before = image.get_attribute("src")
    act()
    expect(image).not_to_have_attribute("src", before, timeout=timeout)


def _nudge(widget, label):
    slider = widget.locator(".widget-slider", has=widget.page.locator("label", has_text=re.compile(label)))
    slider.locator(".noUi-handle").first.focus()
    widget.page.keyboard.press("ArrowRight")


def test_every_widget_responds_and_is_sharp(lab, page):
    lab.open(page, "widgets.ipynb", *CELLS)
    lab.run_all(page)
    widgets = [_widget(page, k) for k in range(len(CELLS))]
    for widget in widgets:
        widget.locator(".widget-image").first.wait_for(timeout=120 * SECOND)

    activation, lr, race, threshold, regularization = widgets
    _changes_picture(activation, lambda: activation.locator("select").first.select_option(label="Tanh"))
    expect(activation.locator(".widget-html-content").first).to_contain_text("at most 1")
    _changes_picture(lr, lambda: _nudge(lr, r"^Learning rate$"))
    _changes_picture(threshold, lambda: _nudge(threshold, r"^Threshold$"))

    for widget, name in ((race, "Race"), (regularization, "Train")):
        _changes_picture(widget, lambda: widget.locator("button", has_text=name).click())
        result = widget.locator(".widget-html-content").first
        expect(widget.locator("button", has_text=name)).to_be_enabled(timeout=60 * SECOND)
        _nudge(widget, r"^(Steps|Epochs)$")
        expect(result).to_contain_text("Settings changed")             # the old picture is marked stale

    for image in page.locator(".widget-image").all():                   # drawn for the screen, never stretched
        shown, natural = image.evaluate("img => [img.clientWidth, img.naturalWidth]")
        assert 0 < shown <= natural / 2 + 1, f"a picture {natural} px wide is shown {shown} px wide"
