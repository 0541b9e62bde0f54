"""The live playground in JupyterLab: trains fast, survives every change of its network, works by keyboard,
fits 1280x800 with the sidebar open, and is crisp at devicePixelRatio 1 and 2."""

import json
import os
import random
import subprocess
import sys
import time

import pytest

SETUP = "from dlstudy.demos.live_playground import live_playground\nbox = live_playground()\nbox"
DLP = "document.querySelector('.dlp')"
# Edges shown: drawn on the network canvas (data-edges-drawn) and each with its hover / click target, or -1.
EDGES = (f"(document.querySelectorAll('.dlp path.dlp-edge-hit[d]').length === +{DLP}.dataset.edgesDrawn"
         f" ? +{DLP}.dataset.edgesDrawn : -1)")


def _open(lab, page, *cells):
    lab.open(page, "live.ipynb", *(cells or (SETUP,)))
    lab.run_all(page)
    widget = page.locator(".dlp")
    widget.wait_for()
    page.wait_for_function(f"() => {DLP}.dataset.epoch === '0'")
    return widget


def _edges(hidden, features=2):
    sizes = [features, *hidden, 1]
    return sum(a * b for a, b in zip(sizes, sizes[1:]))


def _shows(page, hidden, features=2):
    """Wait until the widget draws the network ``hidden`` with every edge, and check that it does."""
    state = ("() => [document.querySelector('.dlp').dataset.network, document.querySelectorAll('.dlp path.dlp-edge-hit[d]')"
             ".length, document.querySelector('.dlp').dataset.edgesDrawn, document.querySelector('.dlp-layers-header')"
             ".textContent, document.querySelector('.dlp-status').textContent]")
    try:
        page.wait_for_function(f"h => {DLP}.dataset.network === h", arg=json.dumps(hidden, separators=(",", ":")), timeout=30000)
        page.wait_for_function(f"n => {EDGES} === n", arg=_edges(hidden, features), timeout=30000)
    except Exception as error:
        raise AssertionError(f"expected {hidden} with {_edges(hidden, features)} edges; the page shows "
                             f"{page.evaluate(state)}; errors: {page.errors}") from error
    assert page.locator(".dlp .dlp-hidden-neuron").count() == sum(hidden)
    header = page.locator(".dlp-layers-header").inner_text()
    assert f"{len(hidden)} HIDDEN LAYER" in header


def _kernel_ms(hidden, frames=30):
    """The kernel's time for one frame (one epoch of training and the frame's arrays), median, in ms."""
    from dlstudy.demos.live_playground import FEATURES, LiveRun
    from dlstudy.demos.live.frames import wire_frame
    run, times = LiveRun(hidden=hidden, features=list(FEATURES)), []
    for _ in range(frames):
        start = time.perf_counter()
        run.step(1)
        wire_frame(run)
        times.append(time.perf_counter() - start)
    return sorted(times)[frames // 2] * 1000


def _no_errors(page):
    errors = [e for e in page.errors if "favicon" not in e]
    assert not errors, "\n".join(errors)


# "2 busy cores": while the speed is measured, other work wants two cores. Before each measurement, with the widget
# paused, the test counts the tasks that want a CPU (on CI: the other pytest-xdist worker running a notebook, whose
# torch uses both cores) and starts spinning processes to make that up to BUSY cores when it is less. The targets
# are asserted whenever that other work wanted at most BUSY_LIMIT cores; beyond it the numbers are recorded only.
BUSY, BUSY_LIMIT = 2, 3
SPIN = "import time\nend = time.monotonic() + 120\nwhile time.monotonic() < end: pass"   # stops by itself, whatever happens


def _wanted_cores(seconds=1.0):
    """Cores' worth of work that wants to run, besides this test: the runnable tasks, sampled for ``seconds``.

    Linux's /proc/stat counts them (the sampling thread itself is one); elsewhere the cores busy meanwhile.
    """
    stat = "/proc/stat"
    if not os.path.exists(stat):
        import psutil
        return psutil.cpu_percent(interval=seconds) / 100 * (os.cpu_count() or 1)
    samples, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        with open(stat) as f:
            samples.append(next(int(line.split()[1]) for line in f if line.startswith("procs_running")) - 1)
        time.sleep(0.01)
    return sum(samples) / len(samples)


def _measure(page, widget, seconds=3.0):
    """Press ▶; the first frame (ms, in the page), frames drawn and frames received per second over ``seconds``.

    Drawn frames are what the learner sees: at most one per screen refresh (several frames that arrive
    between two refreshes are drawn once), so they are the number the targets apply to.
    """
    frames = lambda: int(widget.get_attribute("data-frames"))            # noqa: E731
    handle, before = widget.element_handle(), frames()
    widget.locator(".dlp-play").click()
    page.wait_for_function("([w, n]) => +w.dataset.frames > n", arg=[handle, before], polling="raf")
    first_frame = int(widget.get_attribute("data-first-frame"))
    received = lambda: int(widget.get_attribute("data-received"))        # noqa: E731
    start_frames, start_received, start = frames(), received(), time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    elapsed = time.monotonic() - start
    fps, arrived = (frames() - start_frames) / elapsed, (received() - start_received) / elapsed
    widget.locator(".dlp-play").click()                                  # pause
    page.wait_for_function("w => w.dataset.playing === 'false'", arg=handle)
    return first_frame, fps, arrived


def test_the_live_playground_plays_25_frames_a_second_up_to_6_layers_of_8(lab, page, record_property):
    sizes = {1: [8], 3: [8] * 3, 6: [8] * 6}
    cells = [f"from dlstudy.demos.live_playground import live_playground\nbox{k} = live_playground(hidden={h})\nbox{k}"
             for k, h in sizes.items()]
    lab.open(page, "live.ipynb", *cells)
    lab.run_all(page)
    page.wait_for_function("() => document.querySelectorAll('.dlp[data-epoch=\"0\"]').length === 3")
    page.wait_for_timeout(1000)                                          # JupyterLab settles after running the cells
    results, cores, spinners = {}, os.cpu_count() or 1, []
    try:
        for k, widget in zip(sizes, page.locator(".dlp").all()):
            widget.scroll_into_view_if_needed()
            page.wait_for_timeout(1000)                                         # the last widget's paused picture is drawn
            other = _wanted_cores() - len(spinners)                             # other work than ours and our spinners
            wanted = min(BUSY, max(0, round(BUSY - other)))                      # made up to BUSY cores
            while len(spinners) < wanted:
                spinners.append(subprocess.Popen([sys.executable, "-c", SPIN]))
            while len(spinners) > wanted:
                spinners[-1].kill()
                spinners.pop().wait()
            first_frame, fps, arrived = _measure(page, widget)
            results[k] = dict(fps=round(fps, 1), received_fps=round(arrived, 1), first_frame_ms=first_frame,
                              other=round(other, 2), spinners=len(spinners), load=round(os.getloadavg()[0], 2),
                              browser_ms=float(widget.get_attribute("data-draw-ms")))
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    for k, r in results.items():
        r["kernel_ms"] = round(_kernel_ms(sizes[k]), 1)
    report = (f"live playground on {cores} cores: " + "; ".join(
        f"{k} hidden layer{'s' if k > 1 else ''} of 8: {r['fps']} fps drawn ({r['received_fps']} received), first frame "
        f"{r['first_frame_ms']} ms, other work wanting {r['other']} cores made up to {BUSY} with {r['spinners']} spinning "
        f"processes (load {r['load']}), kernel {r['kernel_ms']} ms and browser {r['browser_ms']} ms per frame"
        for k, r in results.items()))
    print(report)
    record_property("live_playground_speed", json.dumps(results))
    for k, r in results.items():
        assert r["fps"] >= 2 and r["first_frame_ms"] < 1000, report          # on any machine, however busy
        if r["other"] <= BUSY_LIMIT:                                       # 2 busy cores (or fewer)
            assert r["fps"] >= 25 and r["first_frame_ms"] < 150, report
    _no_errors(page)


def test_the_live_playground_pauses_steps_and_resets(lab, page):
    widget = _open(lab, page)
    assert widget.locator(".dlp-neuron").count() == 7 + 4 + 2       # 7 features, hidden layers 4 and 2
    page.wait_for_function(f"() => {EDGES} === 2 * 4 + 4 * 2 + 2 * 1")
    widget.locator(".dlp-play").click()
    page.wait_for_function(f"() => +{DLP}.dataset.epoch >= 30")
    widget.locator(".dlp-play").click()                                  # pause
    page.wait_for_function(f"() => {DLP}.dataset.playing === 'false'")
    page.wait_for_timeout(500)
    paused = int(widget.get_attribute("data-epoch"))
    page.wait_for_timeout(700)
    assert int(widget.get_attribute("data-epoch")) == paused             # paused means paused
    widget.locator(".dlp-step").click()
    page.wait_for_function(f"n => +{DLP}.dataset.epoch === n + 1", arg=paused)
    widget.locator(".dlp-reset").click()
    page.wait_for_function(f"() => +{DLP}.dataset.epoch === 0")

    widget.locator('select[data-key="Data"]').select_option("circles")
    page.wait_for_function("() => document.querySelector('.dlp-status').textContent.includes('Press')")
    widget.locator('[data-node="in:x1_sq"]').click()                     # add a feature: one more input
    page.wait_for_function(f"() => {EDGES} === 3 * 4 + 4 * 2 + 2")
    _no_errors(page)


def test_removing_and_adding_layers_and_neurons_in_any_order_keeps_the_drawing_true(lab, page):
    widget = _open(lab, page)
    widget.locator(".dlp-remove-layer").click()                        # the crash of issue 27: one press of −
    _shows(page, [4])
    hidden, rng = [4], random.Random(27)
    for step in range(40):
        if step == 12:                                                 # and while it trains
            widget.locator(".dlp-play").click()
        if step == 30:
            widget.locator(".dlp-play").click()
        action = rng.choice(["add layer", "remove layer", "add neuron", "remove neuron"] if hidden
                            else ["add layer", "remove layer"])
        if action == "add layer":
            widget.locator(".dlp-add-layer").click()
            hidden = hidden + [2] if len(hidden) < 6 else hidden
        elif action == "remove layer":
            widget.locator(".dlp-remove-layer").click()
            hidden = hidden[:-1]
        else:
            k = rng.randrange(len(hidden))
            name = "Add a neuron to" if action == "add neuron" else "Remove a neuron from"
            widget.get_by_role("button", name=f"{name} layer {k + 1}", exact=True).click()
            hidden = [*hidden]
            hidden[k] = min(8, hidden[k] + 1) if action == "add neuron" else max(1, hidden[k] - 1)
        _shows(page, hidden)
    for _ in range(7):                                                   # down to none, up to six (and no more)
        widget.locator(".dlp-remove-layer").click()
    _shows(page, [])
    for _ in range(7):
        widget.locator(".dlp-add-layer").click()
    _shows(page, [2] * 6)
    epoch = int(widget.get_attribute("data-epoch"))
    widget.locator(".dlp-step").click()                                # the kernel trains what is drawn
    page.wait_for_function(f"n => +{DLP}.dataset.epoch === n + 1", arg=epoch)
    page.wait_for_function("() => document.querySelector('.dlp-status').textContent.startsWith('Epoch')")
    _no_errors(page)


def test_with_every_feature_off_nothing_trains_until_one_is_back(lab, page):
    widget = _open(lab, page)
    widget.locator('[data-node="in:x1"]').click()
    widget.locator('[data-node="in:x2"]').click()
    status = page.locator(".dlp-status")
    page.wait_for_function("() => document.querySelector('.dlp-status').textContent.includes('at least one input')")
    assert widget.locator(".dlp-play").is_disabled() and widget.locator(".dlp-step").is_disabled()
    widget.locator(".dlp-play").click(force=True)                      # a click on the disabled button
    page.wait_for_timeout(1500)
    assert widget.get_attribute("data-epoch") == "0" and widget.get_attribute("data-playing") == "false"
    assert "at least one input" in status.inner_text()
    widget.locator('[data-node="in:x2"]').click()
    _shows(page, [4, 2], features=1)
    page.wait_for_function("() => !document.querySelector('.dlp-play').disabled", timeout=10000)
    _no_errors(page)


def test_every_control_works_by_keyboard_with_visible_focus(lab, page):
    widget = _open(lab, page)
    toggle = widget.locator('[data-node="in:x1_sq"]')
    toggle.focus()
    outline = toggle.evaluate("n => getComputedStyle(n).outlineStyle + ' ' + getComputedStyle(n).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline
    page.keyboard.press("Space")                                       # a feature toggle is a switch
    _shows(page, [4, 2], features=3)
    assert toggle.evaluate("n => n === document.activeElement || n.dataset.key === document.activeElement.dataset.key")
    page.keyboard.press("Enter")
    _shows(page, [4, 2], features=2)

    page.keyboard.press("Tab")                                         # from the features into the network
    for _ in range(12):
        if page.evaluate("() => document.activeElement.classList.contains('dlp-hidden-neuron')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.node") == "h0:0"
    assert widget.get_attribute("data-showing") == "h0:0"               # the big plot shows the focused neuron
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.dataset.node") == "h1:1"
    page.keyboard.press("Enter")                                       # edit its bias by keyboard
    editor = widget.locator(".dlp-editor")
    assert editor.is_visible()
    editor.fill("2.5")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-node=\"h1:1\"] .dlp-bias').title.startsWith('bias 2.500')")

    select = widget.locator('select[data-key="Learning rate"]')
    select.focus()
    page.keyboard.press("ArrowDown")                                   # changes the value at once
    page.wait_for_function("() => document.activeElement && document.activeElement.dataset.key === 'Learning rate'")
    page.wait_for_function("() => document.querySelector('.dlp-status').textContent.includes('Press')")
    add = widget.locator(".dlp-add-layer")
    add.focus()
    page.keyboard.press("Enter")
    _shows(page, [4, 2, 2])
    assert page.evaluate("() => document.activeElement.dataset.key") == "add-layer"   # focus stays
    widget.locator(".dlp-play").focus()
    page.keyboard.press("Space")
    page.wait_for_function(f"() => +{DLP}.dataset.epoch > 3")
    page.keyboard.press("Space")
    page.wait_for_function(f"() => {DLP}.dataset.playing === 'false'")
    _no_errors(page)


def _first_edge_colour(page):
    """Hover the first edge; the (r, g, b) the network canvas shows in its middle (the hovered edge is drawn on top)."""
    middle = page.evaluate("""() => { const p = document.querySelector('.dlp path.dlp-edge-hit'), m = p.getPointAtLength(
        p.getTotalLength() / 2), box = p.ownerSVGElement.getBoundingClientRect(); return [m.x, m.y, box.left, box.top]; }""")
    page.mouse.move(middle[2] + middle[0], middle[3] + middle[1])
    page.wait_for_timeout(100)
    return page.evaluate("""([x, y]) => { const c = document.querySelector('.dlp-net-canvas'), s = c.width / c.clientWidth;
        return [...c.getContext('2d').getImageData(Math.round(x * s), Math.round(y * s), 1, 1).data.slice(0, 3)]; }""", middle)


MEAN_COLOUR = """([selector, x, y, w, h]) => { const c = document.querySelector(selector), r = c.getBoundingClientRect(),
    s = c.width / c.clientWidth, d = c.getContext('2d').getImageData(Math.round((x - r.left) * s), Math.round((y - r.top) * s),
    Math.round(w * s), Math.round(h * s)).data, m = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) m[k] += d[i + k] / (d.length / 4);
    return m; }"""


def test_every_neuron_is_drawn_in_its_place_on_the_network_canvas(lab, page):
    """Each hidden neuron's picture on the network canvas has the colours the big plot shows when it is hovered."""
    widget = _open(lab, page)
    page.wait_for_function(f"() => {EDGES} === 2 * 4 + 4 * 2 + 2 * 1")
    plot = widget.locator(".dlp-output-canvas").bounding_box()
    means = {}
    for node in widget.locator(".dlp-hidden-neuron").all():
        key, box = node.get_attribute("data-node"), node.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function(f"k => {DLP}.dataset.showing === k", arg=key)
        inside = [box["x"] + 2, box["y"] + 2, box["width"] - 4, box["height"] - 4]
        means[key] = (page.evaluate(MEAN_COLOUR, [".dlp-net-canvas", *inside]),
                      page.evaluate(MEAN_COLOUR, [".dlp-output-canvas", plot["x"], plot["y"], plot["width"], plot["height"]]))
    page.mouse.move(0, 0)
    for key, (drawn, shown) in means.items():
        assert max(abs(a - b) for a, b in zip(drawn, shown)) < 12, f"{key}: {drawn} on the network, {shown} in the plot"
    assert len({tuple(round(v) for v in shown) for _, shown in means.values()}) > 1, means   # the pictures differ
    _no_errors(page)


def test_weights_show_on_hover_and_change_on_click(lab, page):
    widget = _open(lab, page)
    edge = widget.locator("path.dlp-edge-hit").first
    title = edge.locator("title").text_content()
    assert title.startswith("weight ")
    box = widget.locator('[data-node="h0:0"]').bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)                      # hover a neuron: the big plot shows it
    page.wait_for_function(f"() => {DLP}.dataset.showing === 'h0:0'")
    page.mouse.move(0, 0)
    page.wait_for_function(f"() => {DLP}.dataset.showing === 'out:0'")
    edge.dispatch_event("click", {"clientX": 300, "clientY": 300})
    editor = widget.locator(".dlp-editor")
    editor.fill("-3")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('path.dlp-edge-hit title').textContent.startsWith('weight -3.000')")
    r, g, b = _first_edge_colour(page)
    assert r > 200 and b < 120, f"a weight of -3 is drawn orange and wide on the canvas, not {(r, g, b)}"
    edge.dispatch_event("click", {"clientX": 300, "clientY": 300})
    editor.fill("3")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('path.dlp-edge-hit title').textContent.startsWith('weight 3.000')")
    r, g, b = _first_edge_colour(page)
    assert b > 150 and r < 60, f"a weight of +3 is drawn blue and wide on the canvas, not {(r, g, b)}"
    assert widget.locator(".dlp-bias").count() == 6                   # a bias mark on every hidden neuron
    widget.locator(".dlp-code-button").click()
    page.wait_for_function("() => document.querySelector('.dlp-code').textContent.includes('LiveRun(')")
    assert "edited weights" in widget.locator(".dlp-code").inner_text()
    _no_errors(page)


def _fits(page, widget, hidden):
    """The widget, its network and its output plot lie inside the notebook's output area."""
    area = page.locator(".jp-OutputArea-output", has=widget).bounding_box()
    for part in (".dlp", ".dlp-left", ".dlp-output-box", ".dlp-loss-canvas"):
        box = widget.locator(part).first.bounding_box() if part != ".dlp" else widget.bounding_box()
        assert box["x"] >= area["x"] - 1 and box["x"] + box["width"] <= area["x"] + area["width"] + 1, \
            f"{part} is cut off with {len(hidden)} hidden layers: {box} outside {area}"
    assert widget.evaluate("n => n.scrollWidth <= n.clientWidth + 1")


def _crisp(page, widget):
    dpr = page.evaluate("devicePixelRatio")
    for canvas in widget.locator("canvas").all():
        if canvas.is_visible():
            width, client = canvas.evaluate("c => [c.width, c.clientWidth]")
            assert width >= round(client * dpr) - 1, f"a canvas of {width} px is shown {client} px wide at {dpr}x"
    small = widget.evaluate("""n => [...n.querySelectorAll('*')].filter(e => e.childNodes.length && [...e.childNodes]
        .some(t => t.nodeType === 3 && t.textContent.trim()) && e.offsetParent && parseFloat(getComputedStyle(e).fontSize) < 11)
        .map(e => e.className + ': ' + e.textContent.slice(0, 20))""")
    assert not small, f"labels under 11 px: {small}"


@pytest.mark.screen(1280, 800, 2)
def test_it_fits_1280x800_with_the_sidebar_open_and_is_crisp_at_2x(lab, page):
    widget = _open(lab, page, "from dlstudy.demos.live_playground import live_playground\n"
                              "box = live_playground(hidden=[8, 8, 8])\nbox")
    sidebar = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if not sidebar.count():
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab").first.click()   # open the file browser
    page.wait_for_timeout(500)
    assert page.locator("#jp-left-stack").is_visible()
    _shows(page, [8, 8, 8])
    _fits(page, widget, [8, 8, 8])
    _crisp(page, widget)
    for _ in range(3):
        widget.locator(".dlp-add-layer").click()
    _shows(page, [8, 8, 8, 2, 2, 2])
    for k in (3, 4, 5):
        for _ in range(6):
            widget.get_by_role("button", name=f"Add a neuron to layer {k + 1}", exact=True).click()
    _shows(page, [8] * 6)
    page.wait_for_timeout(300)
    _fits(page, widget, [8] * 6)
    _crisp(page, widget)
    _no_errors(page)


@pytest.mark.screen(1280, 800, 1)
def test_it_is_crisp_at_1x_and_has_ticks_a_legend_test_data_and_discretized_output(lab, page):
    widget = _open(lab, page)
    _crisp(page, widget)
    assert widget.locator(".dlp-ticks-x span").count() >= 3 and widget.locator(".dlp-legend-bar").is_visible()
    points = lambda: widget.locator(".dlp-points-canvas").screenshot()   # noqa: E731
    plot = lambda: widget.locator(".dlp-output-canvas").screenshot()     # noqa: E731
    before, smooth = points(), plot()
    widget.get_by_label("Show test data").check()
    page.wait_for_timeout(300)
    assert points() != before
    widget.get_by_label("Discretize output").check()
    page.wait_for_timeout(300)
    assert plot() != smooth
    widget.locator(".dlp-regenerate").click()                          # new data
    page.wait_for_function("() => document.querySelector('.dlp-status').textContent.includes('Press')")
    page.wait_for_timeout(300)
    assert points() != before
    widget.locator('select[data-key="Training data"]').select_option("0.8")
    page.wait_for_function(f"() => {DLP}.dataset.epoch === '0'")
    _no_errors(page)


def _settled(page, timeout=30000):
    """Wait until the kernel trains the network the learner asked for (or says why it cannot)."""
    page.wait_for_function(f"""() => {{ const w = {DLP};
        return document.querySelector('.dlp-status').classList.contains('dlp-error') || w.dataset.network === w.dataset.config; }}""",
                           timeout=timeout)


def test_switching_problem_and_data_set_in_any_order_trains_what_it_shows(lab, page):
    widget = _open(lab, page)
    problem, data = widget.locator('select[data-key="Problem"]'), widget.locator('select[data-key="Data"]')
    points = lambda: widget.locator(".dlp-points-canvas").screenshot()   # noqa: E731
    classification = points()
    problem.select_option("regression")                                   # before training
    page.wait_for_function(f"() => {DLP}.dataset.problem === 'regression'")
    assert data.input_value() == "plane" and sorted(data.locator("option").all_inner_texts()) == ["Multi Gaussian", "Plane"]
    assert "predicted value" in widget.locator(".dlp-legend-caption").inner_text() and points() != classification
    widget.locator(".dlp-step").click()
    page.wait_for_function(f"() => {DLP}.dataset.epoch === '1'")
    steps = [("data", "multi_gauss"), ("add layer", None), ("play", None), ("problem", "classification"),
             ("data", "gauss"), ("remove layer", None), ("remove layer", None), ("play", None), ("problem", "regression"),
             ("remove layer", None), ("play", None), ("data", "plane"), ("add layer", None), ("play", None),
             ("problem", "classification"), ("data", "spiral")]
    for action, value in steps:                                          # after training, while playing, with layers
        if action == "data":
            data.select_option(value)
        elif action == "problem":
            problem.select_option(value)
        elif action == "play":
            widget.locator(".dlp-play").click()
            page.wait_for_timeout(400)
        else:
            widget.locator(".dlp-add-layer" if action == "add layer" else ".dlp-remove-layer").click()
        _settled(page)
        if action in ("data", "problem"):
            page.wait_for_function("v => document.querySelector('.dlp select[data-key=\"Data\"]').value === v || !v",
                                   arg=value if action == "data" else None)
    page.wait_for_function(f"() => {DLP}.dataset.problem === 'classification'")
    assert data.input_value() == "spiral" and "class 1" in widget.locator(".dlp-legend").inner_text()
    widget.locator(".dlp-play").click()
    page.wait_for_function(f"() => +{DLP}.dataset.epoch > 5")
    _no_errors(page)


@pytest.mark.screen(1280, 800, 2)
def test_thirty_random_actions_at_1280x800_2x_with_the_sidebar_open_break_nothing(lab, page):
    """An adversarial learner: every control in a seeded random order; afterwards the widget, the kernel and the
    picture agree, nothing is cut off, and the page logged no error."""
    widget = _open(lab, page)
    sidebar = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if not sidebar.count():
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab").first.click()   # open the file browser
    page.wait_for_timeout(500)
    rng, log = random.Random(int(os.environ.get("DLSTUDY_SEED", "27"))), []
    selects = ["Problem", "Data", "Learning rate", "Activation", "Regularization", "Rate", "Training data", "Noise",
               "Batch size"]

    def act(name):
        if name == "select":
            key = rng.choice(selects)
            select = widget.locator(f'select[data-key="{key}"]')
            value = rng.choice(select.locator("option").evaluate_all("os => os.map(o => o.value)"))
            select.select_option(value)
            return f"{key}={value}"
        if name == "feature":
            feature = rng.choice(["x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2"])
            widget.locator(f'[data-node="in:{feature}"]').click()
            return f"feature {feature}"
        if name in ("add neuron", "remove neuron"):
            layers = json.loads(widget.get_attribute("data-config"))
            if not layers:
                return "no layer"
            k = rng.randrange(len(layers))
            label = "Add a neuron to" if name == "add neuron" else "Remove a neuron from"
            widget.get_by_role("button", name=f"{label} layer {k + 1}", exact=True).click()
            return f"{name} {k}"
        if name == "hover":
            nodes = widget.locator(".dlp-hidden-neuron, .dlp-feature-toggle").all()
            box = rng.choice(nodes).bounding_box()
            page.mouse.move(box["x"] + 5, box["y"] + 5)
            return "hover"
        if name == "edit weight":
            edges = widget.locator("path.dlp-edge-hit").all()
            if not edges:
                return "no edge"
            rng.choice(edges).dispatch_event("click", {"clientX": 300, "clientY": 300})
            widget.locator(".dlp-editor").fill(str(rng.choice([-2, 0.5, 3])))
            page.keyboard.press("Enter")
            return "edit weight"
        selector = {"play": ".dlp-play", "step": ".dlp-step", "reset": ".dlp-reset", "regenerate": ".dlp-regenerate",
                    "add layer": ".dlp-add-layer", "remove layer": ".dlp-remove-layer", "code": ".dlp-code-button",
                    "show test": ".dlp-show-test", "discretize": ".dlp-discretize"}[name]
        button = widget.locator(selector)
        if button.is_disabled():
            return f"{name} (disabled)"
        button.click()
        return name

    names = ["select"] * 6 + ["feature"] * 2 + ["add neuron", "remove neuron", "hover", "edit weight", "play", "play",
             "step", "reset", "regenerate", "add layer", "remove layer", "code", "show test", "discretize"]
    for _ in range(30):
        log.append(act(rng.choice(names)))
        try:
            _settled(page)
        except Exception as error:
            raise AssertionError(f"after {log}: {page.errors}") from error
    if widget.get_attribute("data-playing") == "true":
        widget.locator(".dlp-play").click()
    page.wait_for_function(f"() => {DLP}.dataset.playing === 'false'")
    _settled(page)
    page.wait_for_timeout(500)
    if not widget.locator(".dlp-status.dlp-error").count():
        status, epoch = widget.locator(".dlp-status").inner_text(), widget.locator(".dlp-epoch").inner_text()
        if status.startswith("Epoch"):                                    # the counter and the status agree
            assert int(epoch.split()[-1]) == int(status.split()[1].rstrip(":")), (epoch, status, log)
        assert widget.get_attribute("data-network") == widget.get_attribute("data-config"), log
        if widget.locator(".dlp-code-box").is_hidden():
            widget.locator(".dlp-code-button").click()
        else:
            widget.locator(".dlp-code-button").click()
            widget.locator(".dlp-code-button").click()
        hidden, epoch = json.loads(widget.get_attribute("data-network")), int(widget.get_attribute("data-epoch"))
        expected = [f"hidden={hidden!r}", f"run.step({epoch})"]            # the kernel's settings and epoch say the same
        try:
            page.wait_for_function("e => e.every(t => document.querySelector('.dlp-code').textContent.includes(t))",
                                   arg=expected, timeout=20000)
        except Exception as error:
            raise AssertionError(f"{expected} not in {widget.locator('.dlp-code').inner_text()}; after {log}") from error
    _fits(page, widget, json.loads(widget.get_attribute("data-config")))
    _crisp(page, widget)
    _no_errors(page)
    print("actions:", log)
