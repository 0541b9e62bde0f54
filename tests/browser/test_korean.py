"""Korean (and every other non-ASCII character of a chapter and of the widgets) renders as glyphs, not empty boxes.

A character the fonts lack is drawn as the same "tofu" box as an unassigned code point (U+0378), so each
character is drawn on a canvas in the element's own font and compared, pixel by pixel, with that box.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
TOFU_CHECK = """([selector, extra]) => {
  const nodes = [...document.querySelectorAll(selector)];
  const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (ch, font) => { ctx.clearRect(0, 0, 64, 64); ctx.font = font; ctx.fillText(ch, 8, 44);
                               return ctx.getImageData(0, 0, 64, 64).data.join(','); };
  const found = new Map();
  for (const node of nodes) {
    const style = getComputedStyle(node), font = `32px ${style.fontFamily}`;
    for (const ch of node.textContent + extra) if (ch.codePointAt(0) > 0x7f && ch.trim()) found.set(ch, font);
  }
  const missing = [];
  for (const [ch, font] of found) if (draw(ch, font) === draw('\\u0378', font)) missing.push(ch);
  return {checked: [...found.keys()].join(''), missing: missing.join('')};
}"""


def _tofu(page, selector, attempts=4):
    """TOFU_CHECK, again after a pause while something is missing: Chromium loads a fallback font (the colour
    emoji of ✅ ⏳) when a page first needs it, and a glyph drawn before that is the empty box."""
    for attempt in range(attempts):
        result = page.evaluate(TOFU_CHECK, [selector, "\u0379"])
        if result["missing"] == "\u0379" or attempt == attempts - 1:
            return result
        page.wait_for_timeout(1000)


def _chapter_with_korean():
    korean = sorted((ROOT / "notebooks").glob("ko/*.ipynb"))              # the Korean edition, where it exists
    return korean[0] if korean else ROOT / "notebooks" / "03_perceptron_and_xor.ipynb"


def test_hangul_and_the_chapters_symbols_render_without_empty_boxes(lab, page):
    chapter = _chapter_with_korean()
    shutil.copy(chapter, lab.root / chapter.name)
    page.goto(f"http://127.0.0.1:{lab.port}/lab/tree/{chapter.name}?token={lab.token}")
    page.locator(".jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown").first.wait_for()
    lab.wait_for_kernel(page)
    page.wait_for_timeout(1000)
    result = _tofu(page, ".jp-RenderedMarkdown p, .jp-RenderedMarkdown li, .jp-RenderedMarkdown td")
    assert "\u0379" in result["missing"], "the check cannot see an empty box, so it proves nothing"
    hangul = [ch for ch in result["checked"] if "\uac00" <= ch <= "\ud7a3"]
    assert len(hangul) >= 10, f"{chapter.name} shows too little Korean to check: {hangul}"
    missing = result["missing"].replace("\u0379", "")
    assert not missing, (f"these characters of {chapter.name} render as empty boxes: {missing!r}. Install a "
                         "font with Hangul: sudo apt install fonts-noto-cjk (see README, 'Korean text').")


def test_the_widgets_draw_their_symbols_as_icons_or_glyphs(lab, page):
    lab.open(page, "glyphs.ipynb", "from dlstudy.demos.live_playground import live_playground\nlive_playground()")
    lab.run_all(page)
    page.locator(".dlp").wait_for()
    for button in (".dlp-play", ".dlp-step", ".dlp-reset", ".dlp-regenerate"):
        assert page.locator(f"{button} svg.dlp-icon").count() == 1           # drawn, needs no font
    assert page.locator(".dlp-play").inner_text().strip() == ""
    result = _tofu(page, ".dlp, .dlp *")
    assert result["missing"] == "\u0379", f"empty boxes in the live playground: {result['missing']!r}"


def test_the_check_sees_hangul_as_empty_boxes_when_no_font_has_it(tmp_path):
    """The same check, in a Chromium whose fontconfig hides every font with Hangul: it must report them."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} was not found")
    fc_list = shutil.which("fc-list")
    files = subprocess.run([fc_list, ":lang=ko", "file"], capture_output=True, text=True).stdout if fc_list else ""
    hidden = "".join(f"<glob>{line.split(':')[0].strip()}</glob>" for line in files.splitlines() if line.strip())
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                      f"<selectfont><rejectfont>{hidden}</rejectfont></selectfont></fontconfig>")
    page_file = tmp_path / "korean.html"
    page_file.write_text('<meta charset="utf-8"><p style="font-family: sans-serif">backpropagation (역전파), '
                         "x₁ → ŷ</p>", encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                    env={**os.environ, "FONTCONFIG_FILE": str(config)})
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            result = page.evaluate(TOFU_CHECK, ["p", ""])
        finally:
            browser.close()
    assert set("역전파") <= set(result["missing"]), result             # seen as boxes without a Korean font
    assert "₁" not in result["missing"] and "→" not in result["missing"]  # and the rest still as glyphs
