"""Chapter 10's backprop stepper in a real JupyterLab: run the cell, move the slider, see the drawing change."""

import re

SECOND = 1000   # Playwright counts in milliseconds


def test_the_stepper_redraws_when_its_slider_moves(lab, page, tmp_path):
    from playwright.sync_api import expect   # here: the lab fixture has skipped the test if playwright is missing

    lab.open(page, "stepper.ipynb", "from dlstudy.demos.backprop import backprop_stepper\nbackprop_stepper()")
    lab.run_all(page)

    output = page.locator(".jp-OutputArea-output")
    stepper = output.locator(".widget-slider", has=page.locator("label", has_text=re.compile(r"^backward step$")))
    stepper.wait_for(timeout=120 * SECOND)                      # the kernel starts and imports torch
    text = output.locator(".widget-html-content").first
    image = output.locator(".widget-image").first
    expect(text).to_contain_text("Step 0 of 11")
    expect(image).to_have_attribute("src", re.compile(r"^blob:|^data:image/png"))
    before = image.get_attribute("src")

    # Move the slider with the keyboard, as a learner can: three steps to the right.
    stepper.locator(".noUi-handle").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(stepper.locator(".widget-readout")).to_have_text("3")
    expect(text).to_contain_text("Step 3 of 11")
    expect(text).to_contain_text("n = s + b with grad 0.5")
    expect(image).not_to_have_attribute("src", before)           # the graph was redrawn in place
    after = image.get_attribute("src")

    # Jump to the last step: x1 is the last leaf, and its gradient is final.
    page.keyboard.press("End")
    expect(stepper.locator(".widget-readout")).to_have_text("11")
    expect(text).to_contain_text("x1 is a leaf")
    expect(image).not_to_have_attribute("src", after)

    stepper.scroll_into_view_if_needed()
    shot = tmp_path / "stepper.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
