"""Chapter 11's schedule explorer in a real JupyterLab: pick a schedule, see the lr curve change, press Train."""

import re

SECOND = 1000   # Playwright counts in milliseconds


def test_the_explorer_redraws_on_a_new_schedule_and_trains_on_click(lab, page, tmp_path):
    from playwright.sync_api import expect   # here: the lab fixture has skipped the test if playwright is missing

    lab.open(page, "schedules.ipynb", "from dlstudy.demos.schedules import schedule_explorer\nschedule_explorer()")
    lab.run_all(page)

    output = page.locator(".jp-OutputArea-output")
    dropdown = output.locator(".widget-dropdown select")
    dropdown.wait_for(timeout=120 * SECOND)                     # the kernel starts and imports torch
    text = output.locator(".widget-html-content").first
    image = output.locator(".widget-image").first
    expect(text).to_contain_text("one-cycle: warm up to lr")
    expect(image).to_have_attribute("src", re.compile(r"^blob:|^data:image/png"))
    before = image.get_attribute("src")

    # A learner picks another schedule: the description and the lr curve change at once, without training.
    dropdown.select_option("step")
    expect(text).to_contain_text("step: multiply the lr by gamma")
    expect(image).not_to_have_attribute("src", before)
    after = image.get_attribute("src")

    # One epoch keeps the test short; then Train: the button is busy, then the result line reports the run.
    epochs = output.locator(".widget-slider", has=page.locator("label", has_text=re.compile(r"^Epochs$")))
    epochs.locator(".noUi-handle").focus()
    page.keyboard.press("Home")                                   # one key, one new value: the minimum, 1
    expect(epochs.locator(".widget-readout")).to_have_text("1")
    expect(image).not_to_have_attribute("src", after)             # the kernel redrew the curve for 1 epoch
    after = image.get_attribute("src")
    output.get_by_role("button", name="Train").click()
    expect(text).to_contain_text("validation accuracy", timeout=120 * SECOND)
    expect(text).to_contain_text("step, lr 0.1, 1 epoch:")
    expect(output.get_by_role("button", name="Train")).to_be_enabled()
    expect(image).not_to_have_attribute("src", after)            # the run was added to the right-hand plot

    image.scroll_into_view_if_needed()
    shot = tmp_path / "schedule_explorer.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
