"""A widget's static picture follows the learner: after playing and saving, the notebook file (and so GitHub,
nbviewer and `make html`) shows the last state, at the widget's size; while the widget lives, the picture hides."""

import base64
import json
import sys
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (see conftest.py)").expect

ROOT = Path(__file__).resolve().parents[2]
CELLS = ["from dlstudy.demos.live_playground import live_playground\nlive_playground()",
         "from dlstudy.demos.activations import activation_explorer\nactivation_explorer()"]


def _saved_pictures(lab, page, name):
    """Save (as autosave would) and return, per code cell, the PNG outputs and their metadata from the file."""
    page.get_by_role("menuitem", name="File", exact=True).click()   # the menu: the focus may be in a widget
    page.get_by_role("menuitem", name="Save Notebook", exact=False).first.click()
    page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')")
    page.wait_for_timeout(1000)
    cells = [c for c in json.loads((lab.root / name).read_text())["cells"] if c["cell_type"] == "code"]
    return [[(o["data"]["image/png"], o.get("metadata", {})) for o in c["outputs"] if "image/png" in o.get("data", {})]
            for c in cells]


def test_the_saved_picture_is_the_learners_last_state_and_hides_while_the_widget_lives(lab, page):
    lab.open(page, "pictures.ipynb", *CELLS)
    lab.run_all(page)
    widget = page.locator(".dlp")
    widget.wait_for()
    page.locator(".widget-image").first.wait_for()
    for picture in page.locator(".jp-OutputArea-child", has=page.locator(".jp-RenderedImage")).all():
        expect(picture).to_be_hidden()                               # the live widget is what the learner sees
    page.wait_for_timeout(1500)
    (live_before, live_meta), (explorer_before, explorer_meta) = [p[-1] for p in _saved_pictures(lab, page, "pictures.ipynb")]
    assert live_meta["image/png"]["width"] == 768 and 0 < explorer_meta["image/png"]["width"] < 800

    widget.locator(".dlp-play").click()                              # the learner plays, pauses, switches to ReLU
    page.wait_for_function("() => +document.querySelector('.dlp').dataset.epoch >= 20")
    widget.locator(".dlp-play").click()
    page.wait_for_function("() => document.querySelector('.dlp').dataset.playing === 'false'")
    page.locator(".widget-dropdown select").first.select_option(label="ReLU")
    page.wait_for_timeout(4000)                                      # the picture follows once the learner pauses
    (live_after, _), (explorer_after, _) = [p[-1] for p in _saved_pictures(lab, page, "pictures.ipynb")]
    assert live_after != live_before and explorer_after != explorer_before
    shown = page.locator(".jp-OutputArea-output .widget-image").first.get_attribute("src")
    assert not shown.startswith("data:") or explorer_after in shown

    sys.path.insert(0, str(ROOT / "jupyter"))
    offline_html = pytest.importorskip("offline_html")
    pytest.importorskip("jupyter_server_mathjax")
    html = offline_html.render(lab.root / "pictures.ipynb", lab.root)
    text = html.read_text()
    assert live_after in text and explorer_after in text and live_before not in text   # the last state, offline
    assert base64.b64decode(live_after)[:4] == b"\x89PNG"
