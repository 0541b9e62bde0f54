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


ALL_CELLS = CELLS + [
    "from dlstudy.demos.playground import playground\nplayground()",
    "from dlstudy.demos.backprop import backprop_stepper\nbackprop_stepper()",
    "from dlstudy.demos.live_playground import live_playground\nlive_playground(hidden=[8, 8, 8, 8, 8, 8])",
]


@pytest.mark.screen(1280, 800, 2)
def test_every_widget_fits_1280x800_with_the_sidebar_open_and_keeps_its_picture_for_static_views(lab, page):
    lab.open(page, "fit.ipynb", *ALL_CELLS)
    if not page.locator("#jp-left-stack").is_visible():
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab").first.click()     # the file browser, open
    lab.run_all(page)
    for k in range(len(ALL_CELLS)):
        output = _widget(page, k).first
        output.locator(".widget-image, .dlp").first.wait_for(timeout=120 * SECOND)
    page.wait_for_timeout(1000)
    for k in range(len(ALL_CELLS)):
        area = page.locator(".jp-Notebook .jp-Cell").nth(k + 1).locator(".jp-OutputArea")
        right = area.bounding_box()["x"] + area.bounding_box()["width"]
        widest = area.evaluate("""a => Math.max(...[...a.querySelectorAll('.jp-OutputArea-output *')]
            .filter(e => e.offsetParent).map(e => e.getBoundingClientRect().right))""")
        assert widest <= right + 1, f"cell {k + 1} is cut off: its widget reaches {widest:.0f} px, the area ends at {right:.0f}"
        pictures = page.locator(".jp-Notebook .jp-Cell").nth(k + 1).locator(".jp-OutputArea-child",
                                                                           has=page.locator(".jp-RenderedImage"))
        assert pictures.count() == 1 and not pictures.first.is_visible()    # a picture for static views, hidden here
    assert not [e for e in page.errors if "favicon" not in e], page.errors
