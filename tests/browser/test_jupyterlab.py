"""The playground in a real JupyterLab, driven by Chromium: run all cells, press Train, move a slider.

Select it with ``pytest -m browser`` (or leave it out with ``-m "not browser"``). The server
and browser fixtures are in ``conftest.py`` beside this file.
"""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (see conftest.py)").expect

SECOND = 1000   # Playwright counts in milliseconds


def test_playground_trains_in_jupyterlab(lab, page, tmp_path):
    lab.open(page, "playground.ipynb", "from dlstudy.demos.playground import playground\nbox = playground()\nbox")
    lab.run_all(page)

    output = page.locator(".jp-OutputArea-output")
    train = output.locator("button", has_text="Train")
    train.wait_for(timeout=120 * SECOND)                   # the kernel starts and imports torch
    result = output.locator(".widget-html-content").first
    image = output.locator(".widget-image").first
    expect(result).to_contain_text("press Train")
    before = result.inner_text()

    train.click()
    expect(result).to_contain_text("Test accuracy: 100.0%", timeout=60 * SECOND)
    expect(train).to_be_enabled()
    assert result.inner_text() != before
    trained_image = image.get_attribute("src")

    # Move the Epochs slider one step right with the keyboard (300 -> 350), then train again.
    epochs = output.locator(".widget-slider", has=page.locator("label", has_text=re.compile(r"^Epochs$")))
    epochs.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    expect(epochs.locator(".widget-readout")).to_have_text("350")
    expect(result).to_contain_text("Settings changed")
    train.click()
    expect(result).to_contain_text("after 350 epochs", timeout=60 * SECOND)
    assert image.get_attribute("src") != trained_image      # the picture was redrawn in place

    output.first.scroll_into_view_if_needed()
    shot = tmp_path / "playground.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
