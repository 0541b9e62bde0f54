"""A notebook saved after running and opened again (new kernel) still shows its widgets' pictures."""

import json
import urllib.request

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (see conftest.py)").expect

SECOND = 1000
CELL = "from dlstudy.demos.optimizer_race import optimizer_race\nbox = optimizer_race()\nbox"


def test_a_saved_notebook_reopens_with_its_pictures(lab, page):
    lab.open(page, "reopen.ipynb", CELL)
    lab.run_all(page)
    image = page.locator(".jp-OutputArea-output .widget-image").first
    image.wait_for(timeout=120 * SECOND)
    page.keyboard.press("Control+s")                                  # save, as the learner's autosave would
    saved = lab.root / "reopen.ipynb"
    page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')")
    page.wait_for_timeout(1000)
    state = json.loads(saved.read_text())["metadata"].get("widgets", {})
    assert "application/vnd.jupyter.widget-state+json" in state, "JupyterLab did not save the widget state"

    page.goto("about:blank")                                          # close the page, end its kernel:
    base = f"http://127.0.0.1:{lab.port}/api/sessions"                # a new kernel knows none of the widgets
    for session in json.load(urllib.request.urlopen(f"{base}?token={lab.token}", timeout=10)):
        urllib.request.urlopen(urllib.request.Request(f"{base}/{session['id']}?token={lab.token}", method="DELETE"),
                               timeout=30)
    page.goto(f"http://127.0.0.1:{lab.port}/lab/tree/reopen.ipynb?token={lab.token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    lab.wait_for_kernel(page)
    reopened = page.locator(".jp-OutputArea-output .widget-image").first
    reopened.wait_for(timeout=60 * SECOND)
    expect(page.locator(".jp-OutputArea-output", has_text="model not found")).to_have_count(0)
    assert reopened.get_attribute("src").startswith("blob:") or "base64" in reopened.get_attribute("src")
    assert reopened.evaluate("img => img.naturalWidth") > 100             # the picture itself, not a placeholder
