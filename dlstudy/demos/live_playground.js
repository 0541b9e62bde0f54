// The live playground's front end: draws what the kernel sends (dlstudy/demos/live_playground.py).
// Colours as in TensorFlow Playground: orange for -1 (class 0), blue for +1 (class 1); in regression the
// same diverging scale shows the value. Frames come as float32 buffers; each is drawn at the next animation
// frame (several arriving at once are drawn once), and every few frames the kernel is told ("drawn"), so it
// never runs far ahead. Per frame the network (edges, neuron pictures, bias marks) is drawn on one canvas
// from positions measured when the layout changes: no DOM attribute changes, no layout reads. The SVG over it
// holds only the edges' invisible hover / click targets, which move only when the layout does.
// What is drawn comes from one place: the frame says which network it belongs to (features, hidden),
// so a frame of the old network never meets the controls of a new one.
const NEG = [245, 147, 34], MID = [232, 234, 235], POS = [8, 119, 189];
const NEG_CSS = `rgb(${NEG.join(",")})`, POS_CSS = `rgb(${POS.join(",")})`;
const SVG = "http://www.w3.org/2000/svg";
const ICONS = {   // drawn, not typed: no font needed for ▶ ⏸ ⏭ ↺
  play: '<path d="M7 4.5v15l12.5-7.5z"/>',
  pause: '<path d="M6 4.5h4.5v15H6zM13.5 4.5H18v15h-4.5z"/>',
  step: '<path d="M5 5v14l10-7zM16 5h3v14h-3z"/>',
  reset: '<path d="M12 5a7 7 0 1 1-6.6 4.7l1.9.6A5 5 0 1 0 12 7v3L7.5 6 12 2z"/>',
  shuffle: '<path d="M4 7h3.5l8 10H20v-2l3 3-3 3v-2h-5.5l-8-10H4zM15.5 7H20V5l3 3-3 3V9h-3.6l-2 2.4-1.3-1.6zM4 17h3.5l2-2.4 1.3 1.6L8.5 19H4z"/>',
};

function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("aria-hidden", "true");
  svg.classList.add("dlp-icon"); svg.innerHTML = ICONS[name];
  return svg;
}

function color(v) {
  const t = Math.max(-1, Math.min(1, v));
  const [a, b, s] = t < 0 ? [MID, NEG, -t] : [MID, POS, t];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * s));
}

function floats(view) {           // a binary buffer (DataView) from the kernel as float32 numbers
  if (!view) return new Float32Array(0);
  if (Array.isArray(view)) return Float32Array.from(view);
  if (view.byteOffset % 4 === 0) return new Float32Array(view.buffer, view.byteOffset, view.byteLength / 4);   // no copy
  return new Float32Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function fit(canvas) {            // the canvas's pixels = device pixels (crisp at any devicePixelRatio)
  const dpr = window.devicePixelRatio || 1, w = canvas.clientWidth, h = canvas.clientHeight;
  const W = Math.max(1, Math.round(w * dpr)), H = Math.max(1, Math.round(h * dpr));
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
  return dpr;
}

const LUT = (() => {             // 256 colours from -1 to +1, as RGBA words (no allocation per pixel)
  const bytes = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) bytes.set([...color(i / 127.5 - 1), 255], 4 * i);
  return new Uint32Array(bytes.buffer);
})();
const scratches = new Map();      // one small n x n canvas (and its pixels) per grid size, made once
function scratchFor(n) {
  let s = scratches.get(n);
  if (!s) {
    const canvas = document.createElement("canvas");
    canvas.width = n; canvas.height = n;
    const ctx = canvas.getContext("2d"), image = ctx.createImageData(n, n);
    s = { canvas, ctx, image, pixels: new Uint32Array(image.data.buffer) };
    scratches.set(n, s);
  }
  return s;
}

function paint(canvas, values, n, offset = 0, discretize = false) {   // n x n values, scaled to the canvas
  fit(canvas);
  const s = scratchFor(n);
  for (let i = 0; i < n * n; i++) {
    let v = values[offset + i];
    if (discretize) v = v > 0 ? 1 : -1;
    v = v < -1 ? -1 : v > 1 ? 1 : v;
    s.pixels[i] = LUT[((v + 1) * 127.5 + 0.5) | 0];
  }
  s.ctx.putImageData(s.image, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = !discretize;
  ctx.drawImage(s.canvas, 0, 0, canvas.width, canvas.height);
}

const FEATURE_FN = {
  x1: (a, b) => a, x2: (a, b) => b, x1_sq: (a, b) => a * a, x2_sq: (a, b) => b * b,
  x1_x2: (a, b) => a * b, sin_x1: (a, b) => Math.sin(a), sin_x2: (a, b) => Math.sin(b),
};

function featureValues(name, bounds, n) {
  const [lo, hi] = bounds, out = new Float32Array(n * n);
  for (let row = 0; row < n; row++) {
    const b = hi - (hi - lo) * row / (n - 1);
    for (let col = 0; col < n; col++) out[row * n + col] = FEATURE_FN[name](lo + (hi - lo) * col / (n - 1), b);
  }
  const scale = Math.max(1e-6, ...out.map(Math.abs));
  return out.map((v) => v / scale);
}

function number(v) {             // a loss for people: 0.123, or 1.2e+18 when it has exploded
  return Number.isFinite(v) && Math.abs(v) < 1000 ? v.toFixed(3) : Number(v).toExponential(2);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

function select(label, options, value, onchange) {
  const s = el("select", { "data-key": label, onchange: () => onchange(s.value), onkeydown: (e) => {
    const d = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];   // the same in every browser
    if (!d || e.altKey) return;
    e.preventDefault();
    const i = Math.max(0, Math.min(s.options.length - 1, s.selectedIndex + d));
    if (i !== s.selectedIndex) { s.selectedIndex = i; onchange(s.value); }
  } });
  for (const [v, text] of options) {
    const o = el("option", { value: String(v) }, text);
    if (String(v) === String(value)) o.selected = true;
    s.append(o);
  }
  return el("label", { class: "dlp-control" }, el("span", {}, label), s);
}

function keepFocus(container, build) {   // rebuilding controls must not take the keyboard's focus away
  const active = document.activeElement, key = active && container.contains(active) ? active.dataset.key : null;
  build();
  const again = key && container.querySelector(`[data-key="${key}"]`);
  if (again) again.focus();
}

function niceTicks(lo, hi) {
  const raw = (hi - lo) / 4, p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(Math.round(t / step) * step);
  return ticks;
}

function render({ model, el: root }) {
  root.classList.add("dlp", "dlstudy-live");
  root.setAttribute("data-lm-suppress-shortcuts", "true");   // keys here drive the widget, not JupyterLab's notebook
  root.addEventListener("keydown", (e) => {
    const ours = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", " ", "Enter", "Home", "End", "PageUp", "PageDown"];
    if (ours.includes(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) e.stopPropagation();
  });
  const config = () => ({ ...model.get("config") });
  const setConfig = (change) => { model.set("config", { ...config(), ...change }); model.save_changes(); };
  const setView = (change) => { model.set("view", { ...model.get("view"), ...change }); model.save_changes(); };
  let frames = 0, structure = "", hover = null, decoded = null, acked = 0;
  root.dataset.frames = "0";

  let clickedAt = null;      // when ▶ was pressed: the first frame after it sets data-first-frame (ms)
  const play = el("button", { class: "dlp-play", "aria-label": "Play", onclick: () => {
    if (!model.get("playing")) clickedAt = performance.now();
    model.set("playing", !model.get("playing")); model.save_changes(); } });
  const stepButton = el("button", { class: "dlp-step", title: "Train one epoch", onclick: () => model.send({ cmd: "step" }) },
    icon("step"), "Step");
  const resetButton = el("button", { class: "dlp-reset", title: "Start again from new weights", onclick: () => model.send({ cmd: "reset" }) },
    icon("reset"), "Reset");
  const regenerate = el("button", { class: "dlp-regenerate", title: "New data points (and new weights)",
    onclick: () => model.send({ cmd: "regenerate" }) }, icon("shuffle"), "Regenerate");
  const codeButton = el("button", { class: "dlp-code-button", title: "Python that reproduces this run",
    onclick: () => { codeBox.hidden = !codeBox.hidden; if (!codeBox.hidden) model.send({ cmd: "code" }); } }, "Code");
  const epoch = el("div", { class: "dlp-epoch", "aria-live": "off" });
  const controls = el("div", { class: "dlp-controls" });
  const status = el("div", { class: "dlp-status", role: "status" });
  const codeText = el("pre", { class: "dlp-code" });
  const codeBox = el("div", { class: "dlp-code-box" }, el("div", {}, "Paste this into a cell to run the same training with dlstudy:"), codeText);
  codeBox.hidden = true;
  const header = el("div", { class: "dlp-layers-header" });
  const network = el("div", { class: "dlp-network", role: "group", "aria-label": "network: arrow keys move between neurons" });
  const outputCanvas = el("canvas", { class: "dlp-output-canvas", "data-node": "out:0" });
  const pointsCanvas = el("canvas", { class: "dlp-points-canvas" });
  const ticksX = el("div", { class: "dlp-ticks-x" }), ticksY = el("div", { class: "dlp-ticks-y" });
  const lossText = el("div", { class: "dlp-loss-text" });
  const lossCanvas = el("canvas", { class: "dlp-loss-canvas" });
  const legendLow = el("span", {}), legendHigh = el("span", {}), legendCaption = el("div", { class: "dlp-legend-caption" });
  const legend = el("div", { class: "dlp-legend-box" }, el("div", { class: "dlp-legend" }, legendLow, el("div", { class: "dlp-legend-bar" }),
    legendHigh), legendCaption);
  const showTest = el("input", { type: "checkbox", class: "dlp-show-test", onchange: () => setView({ show_test: showTest.checked }) });
  const discretize = el("input", { type: "checkbox", class: "dlp-discretize", onchange: () => setView({ discretize: discretize.checked }) });
  const edges = document.createElementNS(SVG, "svg");
  edges.classList.add("dlp-edges");
  const netCanvas = el("canvas", { class: "dlp-net-canvas", "aria-hidden": "true" });
  const editor = el("input", { class: "dlp-editor", type: "number", step: "0.1", "aria-label": "new value" });
  editor.hidden = true;
  const output = el("div", { class: "dlp-output" }, el("div", { class: "dlp-title" }, "OUTPUT"), lossText,
    el("div", { class: "dlp-plot" }, ticksY, el("div", { class: "dlp-output-box" }, outputCanvas, pointsCanvas), ticksX),
    legend,
    el("div", { class: "dlp-checks" }, el("label", {}, showTest, "Show test data"), el("label", {}, discretize, "Discretize output")),
    el("div", { class: "dlp-loss-label" }, "Loss (log scale): ", el("b", { class: "dlp-test-key" }, "— test"), " ",
      el("b", { class: "dlp-train-key" }, "— training")), lossCanvas);
  const main = el("div", { class: "dlp-main" }, netCanvas, edges, el("div", { class: "dlp-left" }, header, network), output, editor);
  root.append(el("div", { class: "dlp-top" }, play, stepButton, resetButton, regenerate, epoch, codeButton, controls),
    main, status, codeBox);

  function drawControls() {
    const c = config(), o = model.get("options");
    const lrs = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
    const rates = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
    keepFocus(controls, () => controls.replaceChildren(
      select("Learning rate", lrs.map((v) => [v, String(v)]), c.lr, (v) => setConfig({ lr: Number(v) })),
      select("Activation", Object.entries(o.activations), c.activation, (v) => setConfig({ activation: v })),
      select("Regularization", Object.entries(o.regularizations), c.regularization, (v) => setConfig({ regularization: v })),
      select("Rate", rates.map((v) => [v, String(v)]), c.reg_rate, (v) => setConfig({ reg_rate: Number(v) })),
      select("Problem", Object.entries(o.problems), c.problem, (v) => setConfig({ problem: v, dataset: Object.keys(o.datasets[v])[0] })),
      select("Data", Object.entries(o.datasets[c.problem] || {}), c.dataset, (v) => setConfig({ dataset: v })),
      select("Training data", [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((v) => [v, `${Math.round(v * 100)}%`]),
        c.train_ratio, (v) => setConfig({ train_ratio: Number(v) })),
      select("Noise", [0, 0.05, 0.1, 0.2, 0.3, 0.5].map((v) => [v, String(v)]), c.noise, (v) => setConfig({ noise: Number(v) })),
      select("Batch size", [1, 5, 10, 20, 50, 100].map((v) => [v, String(v)]), c.batch_size, (v) => setConfig({ batch_size: Number(v) })),
    ));
    const v = model.get("view") || {};
    showTest.checked = !!v.show_test; discretize.checked = !!v.discretize;
  }

  function drawHeader() {   // the learner's settings (config); the columns below show the trained network (frame)
    const c = config(), n = c.hidden.length;
    root.dataset.config = JSON.stringify(c.hidden);    // what the learner asked for; data-network: what the kernel trains
    keepFocus(header, () => header.replaceChildren(
      el("button", { class: "dlp-add-layer", "data-key": "add-layer", "aria-label": "Add a hidden layer", title: "Add a layer",
        onclick: () => { const h = config().hidden; if (h.length < 6) setConfig({ hidden: [...h, 2] }); } }, "+"),
      el("button", { class: "dlp-remove-layer", "data-key": "remove-layer", "aria-label": "Remove a hidden layer", title: "Remove a layer",
        onclick: () => { const h = config().hidden; if (h.length > 0) setConfig({ hidden: h.slice(0, -1) }); } }, "−"),
      el("span", { class: "dlp-title" }, ` ${n} HIDDEN LAYER${n === 1 ? "" : "S"}`)));
  }

  function changeUnits(k, d) {
    const hidden = [...config().hidden];
    if (k >= hidden.length) return;                    // the layer was removed meanwhile
    hidden[k] = Math.min(8, Math.max(1, hidden[k] + d));
    setConfig({ hidden });
  }

  function nodeKeys(f) {
    return [f.features.map((name) => "in:" + name), ...f.hidden.map((u, k) => [...Array(u).keys()].map((j) => `h${k}:${j}`)), ["out:0"]];
  }

  function decode(f) {
    const neurons = floats(f.neurons), weights = floats(f.weights), biases = floats(f.biases);
    const sizes = [f.features.length, ...f.hidden, 1], W = [], B = [];
    let wo = 0, bo = 0;
    for (let k = 0; k + 1 < sizes.length; k++) {
      const [a, b] = [sizes[k], sizes[k + 1]];
      W.push([...Array(a).keys()].map((i) => weights.subarray(wo + i * b, wo + (i + 1) * b)));
      B.push(biases.subarray(bo, bo + b)); wo += a * b; bo += b;
    }
    return { f, boundary: floats(f.boundary), neurons, W, B, train: floats(f.train_history), test: floats(f.test_history) };
  }

  function buildNetwork() {
    const c = config(), o = model.get("options"), f = model.get("frame"), p = model.get("points");
    const n = f.neuron_grid;
    const features = el("div", { class: "dlp-column dlp-features" }, el("div", { class: "dlp-title" }, "FEATURES"));
    for (const [name, label] of Object.entries(o.features)) {
      const on = c.features.includes(name);
      const canvas = el("canvas", { class: "dlp-neuron-canvas" });
      const toggle = el("button", { class: "dlp-neuron dlp-feature-toggle" + (on ? "" : " dlp-off"), "data-node": "in:" + name, "data-key": "in:" + name,
        role: "switch", "aria-checked": String(on), "aria-label": `input feature ${label}`,
        title: (on ? "Click to remove " : "Click to add ") + label, onclick: () => {
          const now = config().features;
          setConfig({ features: now.includes(name) ? now.filter((x) => x !== name)
            : Object.keys(o.features).filter((x) => x === name || now.includes(x)) });
        } }, canvas);
      toggle.addEventListener("mouseenter", () => showHover({ feature: name }));
      toggle.addEventListener("mouseleave", () => showHover(null));
      features.append(el("div", { class: "dlp-feature" }, el("span", {}, label), toggle));
      requestAnimationFrame(() => paint(canvas, featureValues(name, p.bounds, n), n));
    }
    const columns = f.hidden.map((units, k) => {
      const column = el("div", { class: "dlp-column dlp-hidden-column" }, el("div", { class: "dlp-units" },
        el("div", {}, el("button", { "data-key": `add:${k}`, onclick: () => changeUnits(k, 1), "aria-label": `Add a neuron to layer ${k + 1}`, title: "Add a neuron" }, "+"),
          el("button", { "data-key": `remove:${k}`, onclick: () => changeUnits(k, -1), "aria-label": `Remove a neuron from layer ${k + 1}`, title: "Remove a neuron" }, "−")),
        el("div", {}, `${units} neuron${units === 1 ? "" : "s"}`)));
      for (let j = 0; j < units; j++) {
        const node = el("div", { class: "dlp-neuron dlp-hidden-neuron", "data-node": `h${k}:${j}`, "data-key": `h${k}:${j}`, tabindex: "-1",
          role: "img", "aria-label": `layer ${k + 1}, neuron ${j + 1}: Enter edits its bias` },
          el("div", { class: "dlp-bias", title: "bias (click to edit)" }));
        node.addEventListener("mouseenter", () => { showHover({ k, j }); entitleBias(k, j, node); });
        node.addEventListener("mouseleave", () => showHover(null));
        node.addEventListener("focus", () => showHover({ k, j }));
        node.addEventListener("blur", () => showHover(null));
        node.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); editBias(k, j, node); } });
        node.querySelector(".dlp-bias").addEventListener("click", () => editBias(k, j, node));
        column.append(node);
      }
      return column;
    });
    keepFocus(network, () => network.replaceChildren(features, ...columns));
    const hiddenNodes = [...network.querySelectorAll(".dlp-hidden-neuron")];
    if (hiddenNodes.length) hiddenNodes[0].tabIndex = 0;
    layout();
  }

  // Arrow keys move between hidden neurons (one tab stop for the whole network).
  network.addEventListener("keydown", (e) => {
    const node = e.target.closest && e.target.closest(".dlp-hidden-neuron");
    if (!node || !["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(e.key)) return;
    const [k, j] = node.dataset.node.slice(1).split(":").map(Number), f = model.get("frame");
    let [K, J] = [k, j];
    if (e.key === "ArrowUp") J = Math.max(0, j - 1);
    if (e.key === "ArrowDown") J = Math.min(f.hidden[k] - 1, j + 1);
    if (e.key === "ArrowLeft") K = Math.max(0, k - 1);
    if (e.key === "ArrowRight") K = Math.min(f.hidden.length - 1, k + 1);
    J = Math.min(J, f.hidden[K] - 1);
    const next = network.querySelector(`[data-node="h${K}:${J}"]`);
    if (next) { e.preventDefault(); node.tabIndex = -1; next.tabIndex = 0; next.focus(); }
  });

  function openEditor(x, y, value, label, send) {
    editor.hidden = false; editor.value = String(Math.round(value * 1000) / 1000);
    editor.style.left = `${x}px`; editor.style.top = `${y}px`;
    editor.setAttribute("aria-label", label); editor.title = label + " (Enter to set, Escape to cancel)";
    editor.onkeydown = (e) => {
      if (e.key === "Enter") { const v = Number(editor.value); if (editor.value !== "" && Number.isFinite(v)) send(v); close(); }
      if (e.key === "Escape") close();
    };
    const back = document.activeElement;
    function close() { editor.hidden = true; editor.onkeydown = null; if (back && back.focus) back.focus(); }
    editor.onblur = () => { editor.hidden = true; };
    editor.focus(); editor.select();
  }

  function editBias(k, j, node) {
    if (!decoded) return;
    const box = main.getBoundingClientRect(), r = node.getBoundingClientRect();
    openEditor(r.left - box.left, r.bottom - box.top + 2, decoded.B[k][j], `bias of layer ${k + 1}, neuron ${j + 1}`,
      (v) => model.send({ cmd: "set_weight", layer: k, i: -1, j, value: v }));
  }

  function layout() {        // scale the network to the width there is; the output wraps below when it must
    const f = model.get("frame"), width = root.clientWidth || 800;
    const columns = 1 + f.hidden.length, outputWidth = 290, minGap = 16, colWidth = 62, featureWidth = 96;
    const needed = featureWidth + f.hidden.length * colWidth + columns * minGap + 30;
    const besides = needed + outputWidth <= width;
    main.classList.toggle("dlp-wrapped", !besides);
    const room = (besides ? width - outputWidth : width) - featureWidth - f.hidden.length * colWidth - 30;
    network.style.columnGap = `${Math.max(minGap, Math.min(70, room / columns))}px`;
    requestAnimationFrame(() => { drawEdges(); drawPoints(); drawFrame(false); });
  }

  let paths = [], geometry = null, hoverEdge = null;
  function buildEdges() {      // one invisible, wide SVG path per weight: its tooltip, hover and click
    const f = model.get("frame"), keys = nodeKeys(f);
    edges.replaceChildren(); paths = []; hoverEdge = null;
    decoded.W.forEach((matrix, k) => matrix.forEach((row, i) => row.forEach((w, j) => {
      const hit = document.createElementNS(SVG, "path"), title = document.createElementNS(SVG, "title");
      hit.classList.add("dlp-edge-hit"); hit.append(title);
      const p = { k, i, j, hit, title, from: keys[k][i], to: keys[k + 1][j] };
      hit.addEventListener("click", (e) => {
        const box = main.getBoundingClientRect();
        openEditor(e.clientX - box.left, e.clientY - box.top, decoded.W[k][i][j], `weight from ${p.from} to ${p.to}`,
          (v) => model.send({ cmd: "set_weight", layer: k, i, j, value: v }));
      });
      hit.addEventListener("mouseenter", () => { hoverEdge = p; entitle(p); drawNet(); });
      hit.addEventListener("mouseleave", () => { if (hoverEdge === p) hoverEdge = null; drawNet(); });
      edges.append(hit);
      paths.push(p);
    })));
  }

  function drawEdges() {       // after a layout change: measure every node once, move the hit targets, redraw
    const box = main.getBoundingClientRect(), nodes = new Map(), biases = new Map();
    for (const node of main.querySelectorAll("[data-node]")) {
      const r = node.getBoundingClientRect(), x = r.left - box.left, y = r.top - box.top;
      nodes.set(node.dataset.node, { x, y, w: r.width, h: r.height, inner: [x + node.clientLeft, y + node.clientTop, node.clientWidth, node.clientHeight] });
      const bias = node.querySelector(".dlp-bias");
      if (bias) {
        const b = bias.getBoundingClientRect();
        biases.set(node.dataset.node, [b.left - box.left + bias.clientLeft, b.top - box.top + bias.clientTop, bias.clientWidth, bias.clientHeight]);
      }
    }
    // The canvas covers the network only (to the output plot's left edge, where the last edges end): fewer pixels
    // to clear, draw and composite every frame.
    let right = 1, bottom = 1;
    for (const [key, r] of nodes) {
      right = Math.max(right, key === "out:0" ? r.x + 2 : r.x + r.w + 8);
      bottom = Math.max(bottom, key === "out:0" ? r.y + r.h / 2 + 8 : r.y + r.h + 8);
    }
    right = Math.ceil(Math.min(right, box.width)); bottom = Math.ceil(Math.min(bottom, box.height));
    geometry = { width: right, height: bottom, nodes, biases };
    edges.setAttribute("width", box.width); edges.setAttribute("height", box.height);
    netCanvas.style.width = `${right}px`; netCanvas.style.height = `${bottom}px`;
    fit(netCanvas);
    for (const p of paths) {
      const a = nodes.get(p.from), b = nodes.get(p.to);
      p.ends = a && b ? [a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2] : null;
      if (!p.ends) continue;
      const [x0, y0, x1, y1] = p.ends, d = (x1 - x0) / 4, xm = (x0 + x1) / 2, ym = (y0 + y1) / 2;
      p.hit.setAttribute("d", `M${x0},${y0} Q${x0 + d},${y0} ${xm},${ym} Q${x1 - d},${y1} ${x1},${y1}`);
    }
    drawNet();
  }

  const atlas = { canvas: document.createElement("canvas"), n: 0, count: 0 };
  function neuronAtlas(values, n, count) {   // every hidden neuron's n x n picture, stacked, in one putImageData
    if (atlas.n !== n || atlas.count !== count) {
      Object.assign(atlas, { n, count });
      atlas.canvas.width = n; atlas.canvas.height = Math.max(1, n * count);
      atlas.ctx = atlas.canvas.getContext("2d");
      atlas.image = atlas.ctx.createImageData(n, Math.max(1, n * count));
      atlas.pixels = new Uint32Array(atlas.image.data.buffer);
    }
    const pixels = atlas.pixels, total = Math.min(values.length, n * n * count);
    for (let i = 0; i < total; i++) {
      let v = values[i];
      v = v < -1 ? -1 : v > 1 ? 1 : v;
      pixels[i] = LUT[((v + 1) * 127.5 + 0.5) | 0];
    }
    atlas.ctx.putImageData(atlas.image, 0, 0);
    return atlas.canvas;
  }

  function drawNet() {         // edges, neuron pictures and bias marks on one canvas: no layout read, no DOM change
    if (!geometry || !decoded) return;
    const f = decoded.f;                               // the frame drawn last (a newer one may wait for its turn)
    const ctx = netCanvas.getContext("2d"), dpr = netCanvas.width / Math.max(1, geometry.width);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, netCanvas.width, netCanvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    let drawn = 0;
    const stroke = (p, w, alpha) => {   // an S of two quadratic curves: about a third cheaper to rasterize than a cubic
      const [x0, y0, x1, y1] = p.ends, d = (x1 - x0) / 4, xm = (x0 + x1) / 2, ym = (y0 + y1) / 2;
      ctx.globalAlpha = alpha; ctx.lineWidth = Math.min(6, 0.5 + 2.5 * Math.abs(w));
      ctx.strokeStyle = w > 0 ? POS_CSS : NEG_CSS;
      ctx.beginPath(); ctx.moveTo(x0, y0); ctx.quadraticCurveTo(x0 + d, y0, xm, ym); ctx.quadraticCurveTo(x1 - d, y1, x1, y1);
      ctx.stroke();
    };
    for (const p of paths) {
      const row = decoded.W[p.k] && decoded.W[p.k][p.i];
      if (!p.ends || !row || row[p.j] === undefined) continue;
      stroke(p, row[p.j], 0.75); drawn += 1;
    }
    if (hoverEdge && hoverEdge.ends && decoded.W[hoverEdge.k]) {    // the edge under the mouse, on top and shaded
      ctx.shadowColor = "#000"; ctx.shadowBlur = 2 * dpr;
      stroke(hoverEdge, decoded.W[hoverEdge.k][hoverEdge.i][hoverEdge.j], 1);
      ctx.shadowColor = "transparent"; ctx.shadowBlur = 0;
    }
    ctx.globalAlpha = 1;
    const n = f.neuron_grid, count = f.hidden.reduce((a, b) => a + b, 0);
    if (count) {
      const source = neuronAtlas(decoded.neurons, n, count);
      ctx.imageSmoothingEnabled = true;
      let i = 0;
      f.hidden.forEach((units, k) => {
        for (let j = 0; j < units; j++, i++) {
          const node = geometry.nodes.get(`h${k}:${j}`), bias = geometry.biases.get(`h${k}:${j}`);
          if (node) { ctx.fillStyle = "#fff"; ctx.fillRect(...node.inner); ctx.drawImage(source, 0, i * n, n, n, ...node.inner); }
          if (bias && decoded.B[k]) { ctx.fillStyle = `rgb(${color(decoded.B[k][j]).join(",")})`; ctx.fillRect(...bias); }
        }
      });
    }
    if (root.dataset.edgesDrawn !== String(drawn)) root.dataset.edgesDrawn = String(drawn);
  }

  function entitle(p) {        // a weight's tooltip (while playing only the hovered edge's, on demand)
    if (p && decoded && decoded.W[p.k]) p.title.textContent = `weight ${decoded.W[p.k][p.i][p.j].toFixed(3)} (click to edit)`;
  }

  function entitleBias(k, j, node) {   // a bias's tooltip (while playing only the hovered neuron's, on demand)
    if (decoded && decoded.B[k] && decoded.B[k][j] !== undefined) node.lastChild.title = `bias ${decoded.B[k][j].toFixed(3)} (click to edit)`;
  }

  function entitleAll() {      // every tooltip, when the network stands still (paused, stepped, edited)
    if (!decoded || model.get("playing")) return;
    for (const p of paths) entitle(p);
    for (const node of network.querySelectorAll(".dlp-hidden-neuron")) {
      const [k, j] = node.dataset.node.slice(1).split(":").map(Number);
      entitleBias(k, j, node);
    }
  }

  function drawPoints() {
    const p = model.get("points"), [lo, hi] = p.bounds, ctx = pointsCanvas.getContext("2d");
    const dpr = fit(pointsCanvas), s = pointsCanvas.width, view = model.get("view") || {};
    const regression = (model.get("frame") || {}).problem === "regression";
    ctx.clearRect(0, 0, s, s);
    for (const [part, stroke] of view.show_test ? [["train", "white"], ["test", "black"]] : [["train", "white"]]) {
      for (const [a, b, label] of p[part]) {
        const x = (a - lo) / (hi - lo) * s, y = (hi - b) / (hi - lo) * s;
        ctx.beginPath(); ctx.arc(x, y, 3.5 * dpr, 0, 2 * Math.PI);
        ctx.fillStyle = `rgb(${color(regression ? label : label ? 1 : -1).join(",")})`; ctx.fill();
        ctx.lineWidth = dpr; ctx.strokeStyle = stroke; ctx.stroke();
      }
    }
    const ticks = niceTicks(lo, hi), at = (t) => `${((t - lo) / (hi - lo) * 100).toFixed(2)}%`;
    ticksX.replaceChildren(...ticks.map((t) => el("span", { style: `left:${at(t)}` }, String(t))));
    ticksY.replaceChildren(...ticks.map((t) => el("span", { style: `bottom:${at(t)}` }, String(t))));
  }

  function drawLoss() {
    const ctx = lossCanvas.getContext("2d"), dpr = fit(lossCanvas), w = lossCanvas.width, h = lossCanvas.height;
    ctx.clearRect(0, 0, w, h);
    let lo = Infinity, hi = -Infinity;                 // the positive, finite losses' range (no arrays made per frame)
    for (const values of [decoded.train, decoded.test]) {
      for (const v of values) if (Number.isFinite(v) && v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
    if (hi < lo) return;
    const top = Math.log10(hi), bottom = Math.min(top - 1, Math.log10(lo));
    for (const [values, stroke] of [[decoded.test, "#333"], [decoded.train, "#999"]]) {
      ctx.beginPath(); ctx.strokeStyle = stroke; ctx.lineWidth = 1.5 * dpr;
      values.forEach((v, i) => {
        const x = values.length < 2 ? 0 : i / (values.length - 1) * w;
        const y = !Number.isFinite(v) || v <= 0 ? h : h - (Math.log10(v) - bottom) / (top - bottom) * (h - 4 * dpr) - 2 * dpr;
        i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
      });
      ctx.stroke();
    }
  }

  function showHover(what) { hover = what; drawOutput(); }

  function drawOutput() {     // the big plot: the boundary, or the neuron / feature under the mouse
    const f = model.get("frame"), view = model.get("view") || {};
    if (!decoded) return;
    if (hover && hover.feature) {
      paint(outputCanvas, featureValues(hover.feature, model.get("points").bounds, f.neuron_grid), f.neuron_grid, 0, view.discretize);
    } else if (hover && hover.k < f.hidden.length && hover.j < f.hidden[hover.k]) {
      const n2 = f.neuron_grid * f.neuron_grid, before = f.hidden.slice(0, hover.k).reduce((a, b) => a + b, 0);
      paint(outputCanvas, decoded.neurons, f.neuron_grid, (before + hover.j) * n2, view.discretize);
    } else {
      paint(outputCanvas, decoded.boundary, f.grid, 0, view.discretize);
    }
    root.dataset.showing = hover ? (hover.feature ? "in:" + hover.feature : `h${hover.k}:${hover.j}`) : "out:0";
  }

  function drawFrame(count = true) {
    const f = model.get("frame");
    if (!f || !f.boundary) return;
    decoded = decode(f);
    const key = JSON.stringify([f.features, f.hidden, config().features]);
    if (key !== structure) { structure = key; buildNetwork(); buildEdges(); drawEdges(); }   // measured now: no frame at old places
    drawOutput();
    drawNet();
    drawLegend(f.problem);
    drawLoss();
    epoch.textContent = "Epoch " + String(f.epoch).padStart(6, "0");
    lossText.textContent = `Test loss ${number(f.test_loss)}   Training loss ${number(f.train_loss)}`;
    if (count) { frames += 1; root.dataset.frames = String(frames); }
    if (count && f.n && f.n - acked >= (f.ack_every || 1)) { acked = f.n; model.send({ cmd: "drawn", n: f.n }); }
    entitleAll();
    if (count && clickedAt !== null) { root.dataset.firstFrame = (performance.now() - clickedAt).toFixed(0); clickedAt = null; }
    root.dataset.epoch = String(f.epoch);
    root.dataset.network = JSON.stringify(f.hidden);
  }

  let legendFor = null;
  function drawLegend(problem) {
    if (problem === legendFor) return;
    legendFor = problem;
    const regression = problem === "regression";
    legendLow.textContent = regression ? "−1" : "−1 class 0"; legendHigh.textContent = regression ? "+1" : "+1 class 1";
    legendCaption.textContent = regression ? "colour: the predicted value (points: their target)" : "colour: 2·P(class 1) − 1";
    root.dataset.problem = problem || "classification";
  }

  let scheduled = false, drawMs = 0;   // frames that arrive within one animation frame are drawn once, the last one
  let received = 0;
  function frameArrived() {    // data-received: frames that came; data-frames: frames drawn (at most one per screen refresh)
    root.dataset.received = String(++received);
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const start = performance.now();
      drawFrame();
      drawMs = 0.9 * drawMs + 0.1 * (performance.now() - start);   // the browser's cost of a frame (data-draw-ms)
      root.dataset.drawMs = drawMs.toFixed(1);
    });
  }

  function drawPlay() {
    const playing = model.get("playing"), error = model.get("error");
    play.replaceChildren(icon(playing ? "pause" : "play"));
    play.setAttribute("aria-label", playing ? "Pause" : "Play"); play.title = playing ? "Pause" : "Play";
    play.disabled = !!error; stepButton.disabled = !!error;
    root.dataset.playing = String(playing);
    main.classList.toggle("dlp-invalid", !!error);
  }

  // While it plays the status line (a live region, which repeats what the counter and the losses show) changes
  // at most every STATUS_MS; it is always drawn at once when it stops, fails or is paused.
  const STATUS_MS = 400;
  let statusAt = 0, statusTimer = null;
  function drawStatus() {
    const wait = statusAt + STATUS_MS - performance.now();
    if (model.get("playing") && !model.get("error") && wait > 0) {
      if (statusTimer === null) statusTimer = setTimeout(() => { statusTimer = null; drawStatus(); }, wait);
      return;
    }
    clearTimeout(statusTimer); statusTimer = null; statusAt = performance.now();
    if (status.textContent !== model.get("status")) status.textContent = model.get("status");
    status.classList.toggle("dlp-error", !!model.get("error"));
  }

  const handlers = {
    "change:frame": frameArrived,
    "change:points": () => drawPoints(),
    "change:config": () => { drawControls(); drawHeader(); structure = ""; drawFrame(false); },
    "change:view": () => { drawControls(); drawPoints(); drawOutput(); },
    "change:playing": () => { drawPlay(); entitleAll(); drawStatus(); },
    "change:error": () => { drawPlay(); drawStatus(); },
    "change:status": drawStatus,
    "change:code": () => { codeText.textContent = model.get("code"); },
  };
  for (const [event, handler] of Object.entries(handlers)) model.on(event, handler);
  const resize = new ResizeObserver(() => layout());
  resize.observe(root);
  const media = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
  const redraw = () => layout();
  media.addEventListener("change", redraw);
  drawControls(); drawHeader(); drawPlay(); drawStatus(); drawFrame(false);
  codeText.textContent = model.get("code");
  return () => {
    for (const [event, handler] of Object.entries(handlers)) model.off(event, handler);
    resize.disconnect(); clearTimeout(statusTimer); media.removeEventListener("change", redraw);
    model.set("playing", false); model.save_changes();
  };
}

export default { render };
