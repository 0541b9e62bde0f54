"""`make html`'s pages work offline: every widget shows its picture, the maths is typeset, nothing is fetched."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "jupyter"))
offline_html = pytest.importorskip("offline_html")
pytest.importorskip("jupyter_server_mathjax", reason="make html needs jupyter-server-mathjax (pip install -e '.[test]')")

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

WIDGET = "application/vnd.jupyter.widget-view+json"


def _widget_cells(path):
    import nbformat
    nb = nbformat.read(path, as_version=4)
    return [cell.id for cell in nb.cells if any(WIDGET in o.get("data", {}) for o in cell.get("outputs", []))]


@pytest.mark.parametrize("chapter", ["01_autograd", "03_perceptron_and_xor"])
def test_an_offline_page_shows_every_widget_as_a_picture_and_typesets_the_maths(chapter, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} was not found")
    notebook = ROOT / "notebooks" / f"{chapter}.ipynb"
    assert offline_html.main([str(notebook), "--output", str(tmp_path)]) == 0
    page_path = tmp_path / f"{chapter}.html"
    html = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", page_path.read_text())
    assert not re.search(r"<script[^>]+src=\"https?:|import\(\"https?:|cdnjs", html) and WIDGET not in html
    widgets = _widget_cells(notebook)
    assert widgets, f"{chapter} has no widget to check"
    fetched = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route(lambda url: not url.startswith("file:"), lambda route: (fetched.append(route.request.url),
                                                                              route.abort()))
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                                   "&& document.querySelectorAll('.MathJax, .MathJax_Display').length > 0",
                                   timeout=60000)
            assert page.locator(".MathJax_Error, .merror").count() == 0
            typeset = page.locator(".MathJax, .MathJax_Display").count()
            for k in widgets:                                  # each widget's cell shows a real picture
                images = page.locator(f'[id="cell-id={k}"] .jp-OutputArea-output img')
                assert images.count(), f"cell {k} of {chapter} shows no picture of its widget"
                image = images.last
                size = image.evaluate("img => [img.naturalWidth, img.clientWidth]")
                assert size[0] > 100 and 0 < size[1] <= size[0], size          # never stretched
        finally:
            browser.close()
    assert not fetched, f"the page asked the network for {fetched}"
    assert typeset > 5
