"""The live playground trains in JupyterLab at 10+ frames per second and draws every neuron."""

import time

SETUP = "from dlstudy.demos.live_playground import live_playground\nbox = live_playground()\nbox"


def test_the_live_playground_plays_pauses_steps_and_resets(lab, page):
    lab.open(page, "live.ipynb", SETUP)
    lab.run_all(page)
    widget = page.locator(".dlp")
    widget.wait_for()
    assert widget.locator("canvas.dlp-neuron").count() == 7 + 4 + 2       # 7 features, hidden layers 4 and 2
    assert widget.locator("svg.dlp-edges path").count() == 2 * 4 + 4 * 2 + 2 * 1

    frames = lambda: int(widget.get_attribute("data-frames"))            # noqa: E731
    before = frames()
    widget.locator(".dlp-play").click()
    clicked = time.monotonic()
    page.wait_for_function("n => +document.querySelector('.dlp').dataset.frames > n", arg=before)
    first_frame = time.monotonic() - clicked
    start_frames, start = frames(), time.monotonic()
    page.wait_for_timeout(3000)
    fps = (frames() - start_frames) / (time.monotonic() - start)
    widget.locator(".dlp-play").click()                                  # pause
    page.wait_for_function("() => document.querySelector('.dlp').dataset.playing === 'false'")
    epoch = int(widget.get_attribute("data-epoch"))
    print(f"live playground: first frame after {first_frame * 1000:.0f} ms, {fps:.1f} frames per second, "
          f"epoch {epoch} after about 3 s")
    assert fps >= 10, f"the playground trained at {fps:.1f} frames per second (expected at least 10)"
    assert first_frame < 1.0 and epoch >= 30

    page.wait_for_timeout(500)
    paused = int(widget.get_attribute("data-epoch"))
    page.wait_for_timeout(700)
    assert int(widget.get_attribute("data-epoch")) == paused             # paused means paused
    widget.locator(".dlp-step").click()
    page.wait_for_function("n => +document.querySelector('.dlp').dataset.epoch === n + 1", arg=paused)
    widget.locator(".dlp-reset").click()
    page.wait_for_function("() => +document.querySelector('.dlp').dataset.epoch === 0")

    widget.locator("label", has_text="Data").locator("select").select_option("circles")
    page.wait_for_function("() => document.querySelector('.dlp-status').textContent.includes('Press')")
    widget.locator('[data-node="in:x1_sq"]').click()                     # add a feature: one more input
    page.wait_for_function("() => document.querySelectorAll('svg.dlp-edges path').length === 3 * 4 + 4 * 2 + 2")
