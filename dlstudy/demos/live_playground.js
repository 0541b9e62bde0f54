// The live playground's front end: draws what the kernel sends (dlstudy/demos/live_playground.py).
// Colours as in TensorFlow Playground: orange for -1 (class 0), blue for +1 (class 1).
const NEG = [245, 147, 34], MID = [232, 234, 235], POS = [8, 119, 189];

function color(v) {
  const t = Math.max(-1, Math.min(1, v));
  const [a, b, s] = t < 0 ? [MID, NEG, -t] : [MID, POS, t];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * s));
}

function paint(canvas, values, n) {
  canvas.width = n; canvas.height = n;
  const ctx = canvas.getContext("2d"), image = ctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const [r, g, b] = color(values[i]);
    image.data.set([r, g, b, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
}

const FEATURE_FN = {
  x1: (a, b) => a, x2: (a, b) => b, x1_sq: (a, b) => a * a, x2_sq: (a, b) => b * b,
  x1_x2: (a, b) => a * b, sin_x1: (a, b) => Math.sin(a), sin_x2: (a, b) => Math.sin(b),
};

function featureValues(name, bounds, n) {
  const [lo, hi] = bounds, out = [];
  for (let row = 0; row < n; row++) {
    const b = hi - (hi - lo) * row / (n - 1);
    for (let col = 0; col < n; col++) out.push(FEATURE_FN[name](lo + (hi - lo) * col / (n - 1), b));
  }
  const scale = Math.max(1e-6, ...out.map(Math.abs));
  return out.map((v) => v / scale);
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
  const s = el("select", { onchange: () => onchange(s.value) });
  for (const [v, text] of options) {
    const o = el("option", { value: String(v) }, text);
    if (String(v) === String(value)) o.selected = true;
    s.append(o);
  }
  return el("label", { class: "dlp-control" }, el("span", {}, label), s);
}

function render({ model, el: root }) {
  root.classList.add("dlp");
  const config = () => ({ ...model.get("config") });
  const setConfig = (change) => { model.set("config", { ...config(), ...change }); model.save_changes(); };
  let frames = 0;
  root.dataset.frames = "0";

  const play = el("button", { class: "dlp-play", title: "Play / Pause", onclick: () => {
    model.set("playing", !model.get("playing")); model.save_changes(); } });
  const stepButton = el("button", { class: "dlp-step", title: "Train one epoch", onclick: () => model.send({ cmd: "step" }) }, "Step");
  const resetButton = el("button", { class: "dlp-reset", title: "Start again from new weights", onclick: () => model.send({ cmd: "reset" }) }, "Reset");
  const epoch = el("div", { class: "dlp-epoch" });
  const controls = el("div", { class: "dlp-controls" });
  const status = el("div", { class: "dlp-status" });
  const features = el("div", { class: "dlp-column dlp-features" });
  const layers = el("div", { class: "dlp-layers" });
  const outputCanvas = el("canvas", { class: "dlp-output-canvas", "data-node": "out:0" });
  const pointsCanvas = el("canvas", { class: "dlp-points-canvas", width: 480, height: 480 });
  const lossText = el("div", { class: "dlp-loss-text" });
  const lossCanvas = el("canvas", { class: "dlp-loss-canvas", width: 400, height: 120 });
  const edges = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  edges.classList.add("dlp-edges");
  const network = el("div", { class: "dlp-network" }, features, layers);
  const output = el("div", { class: "dlp-column dlp-output" }, el("div", { class: "dlp-title" }, "OUTPUT"),
    lossText, el("div", { class: "dlp-output-box" }, outputCanvas, pointsCanvas), lossCanvas);
  root.append(el("div", { class: "dlp-top" }, play, stepButton, resetButton, epoch, controls),
    el("div", { class: "dlp-main" }, edges, network, output), status);
  const main = root.querySelector(".dlp-main");

  function drawControls() {
    const c = config(), o = model.get("options");
    const lrs = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
    const rates = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
    controls.replaceChildren(
      select("Learning rate", lrs.map((v) => [v, String(v)]), c.lr, (v) => setConfig({ lr: Number(v) })),
      select("Activation", Object.entries(o.activations), c.activation, (v) => setConfig({ activation: v })),
      select("Regularization", Object.entries(o.regularizations), c.regularization, (v) => setConfig({ regularization: v })),
      select("Rate", rates.map((v) => [v, String(v)]), c.reg_rate, (v) => setConfig({ reg_rate: Number(v) })),
      select("Data", Object.entries(o.datasets), c.dataset, (v) => setConfig({ dataset: v })),
      select("Noise", [0, 0.05, 0.1, 0.2, 0.3, 0.5].map((v) => [v, String(v)]), c.noise, (v) => setConfig({ noise: Number(v) })),
      select("Batch size", [1, 5, 10, 20, 50, 100].map((v) => [v, String(v)]), c.batch_size, (v) => setConfig({ batch_size: Number(v) })),
    );
  }

  function drawNetwork() {
    const c = config(), o = model.get("options"), f = model.get("frame"), p = model.get("points");
    const n = f.neuron_grid;
    features.replaceChildren(el("div", { class: "dlp-title" }, "FEATURES"));
    for (const [name, label] of Object.entries(o.features)) {
      const on = c.features.includes(name);
      const canvas = el("canvas", { class: "dlp-neuron" + (on ? "" : " dlp-off"), "data-node": "in:" + name,
        title: (on ? "Click to remove " : "Click to add ") + label, onclick: () => setConfig({
          features: on ? c.features.filter((x) => x !== name) : Object.keys(o.features).filter((x) => x === name || c.features.includes(x)) }) });
      paint(canvas, featureValues(name, p.bounds, n), n);
      features.append(el("div", { class: "dlp-feature" }, el("span", {}, label), canvas));
    }
    const header = el("div", { class: "dlp-title" }, `${c.hidden.length} HIDDEN LAYER${c.hidden.length === 1 ? "" : "S"} `,
      el("button", { title: "Add a layer", onclick: () => c.hidden.length < 6 && setConfig({ hidden: [...c.hidden, 2] }) }, "+"),
      el("button", { title: "Remove a layer", onclick: () => c.hidden.length > 0 && setConfig({ hidden: c.hidden.slice(0, -1) }) }, "−"));
    const columns = c.hidden.map((units, k) => {
      const change = (d) => { const hidden = [...c.hidden]; hidden[k] = Math.min(8, Math.max(1, units + d)); setConfig({ hidden }); };
      const column = el("div", { class: "dlp-column" }, el("div", { class: "dlp-units" },
        el("button", { onclick: () => change(1), title: "Add a neuron" }, "+"),
        el("button", { onclick: () => change(-1), title: "Remove a neuron" }, "−"), ` ${units} neuron${units === 1 ? "" : "s"}`));
      for (let j = 0; j < units; j++) {
        column.append(el("canvas", { class: "dlp-neuron", "data-node": `h${k}:${j}`, title: `layer ${k + 1}, neuron ${j + 1}` }));
      }
      return column;
    });
    layers.replaceChildren(header, el("div", { class: "dlp-hidden" }, ...columns));
    drawFrame();
  }

  function drawEdges(f, c) {
    const box = main.getBoundingClientRect();
    edges.setAttribute("width", box.width); edges.setAttribute("height", box.height);
    const centre = (key, side) => {
      const node = main.querySelector(`[data-node="${key}"]`);
      if (!node) return null;
      const r = node.getBoundingClientRect();
      return [(side === "out" ? r.right : r.left) - box.left, r.top + r.height / 2 - box.top];
    };
    const keys = [c.features.map((name) => "in:" + name), ...c.hidden.map((u, k) => [...Array(u).keys()].map((j) => `h${k}:${j}`)), ["out:0"]];
    const lines = [];
    f.weights.forEach((matrix, k) => matrix.forEach((row, i) => row.forEach((w, j) => {
      const a = centre(keys[k][i], "out"), b = centre(keys[k + 1][j], "in");
      if (!a || !b) return;
      const [r, g, bl] = color(w > 0 ? 1 : -1), width = Math.min(6, 0.5 + 2.5 * Math.abs(w));
      lines.push(`<path d="M${a[0]},${a[1]} C${(a[0] + b[0]) / 2},${a[1]} ${(a[0] + b[0]) / 2},${b[1]} ${b[0]},${b[1]}" ` +
        `stroke="rgb(${r},${g},${bl})" stroke-width="${width.toFixed(2)}" fill="none" opacity="0.75"><title>weight ${w}</title></path>`);
    })));
    edges.innerHTML = lines.join("");
  }

  function drawPoints() {
    const p = model.get("points"), [lo, hi] = p.bounds, ctx = pointsCanvas.getContext("2d");
    const s = pointsCanvas.width;
    ctx.clearRect(0, 0, s, s);
    for (const [part, stroke] of [["train", "white"], ["test", "black"]]) {
      for (const [a, b, label] of p[part]) {
        const x = (a - lo) / (hi - lo) * s, y = (hi - b) / (hi - lo) * s;
        ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI);
        ctx.fillStyle = `rgb(${color(label ? 1 : -1).join(",")})`; ctx.fill();
        ctx.lineWidth = 1.5; ctx.strokeStyle = stroke; ctx.stroke();
      }
    }
  }

  function drawLoss(f) {
    const ctx = lossCanvas.getContext("2d"), w = lossCanvas.width, h = lossCanvas.height;
    ctx.clearRect(0, 0, w, h);
    const all = [...f.history.train_loss, ...f.history.test_loss].filter((v) => v !== null && v > 0);
    if (!all.length) return;
    const top = Math.log10(Math.max(...all)), bottom = Math.min(top - 1, Math.log10(Math.min(...all)));
    for (const [key, stroke] of [["test_loss", "#333"], ["train_loss", "#999"]]) {
      const values = f.history[key];
      ctx.beginPath(); ctx.strokeStyle = stroke; ctx.lineWidth = 2;
      values.forEach((v, i) => {
        const x = values.length < 2 ? 0 : i / (values.length - 1) * w;
        const y = v === null || v <= 0 ? h : h - (Math.log10(v) - bottom) / (top - bottom) * (h - 4) - 2;
        i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
      });
      ctx.stroke();
    }
    ctx.fillStyle = "#555"; ctx.font = "11px sans-serif";
    ctx.fillText("loss (log scale): test dark, training light", 4, 12);
  }

  function drawFrame() {
    const f = model.get("frame"), c = config();
    if (!f || !f.boundary) return;
    paint(outputCanvas, f.boundary, f.grid);
    f.neurons.forEach((layer, k) => layer.forEach((values, j) => {
      const canvas = layers.querySelector(`[data-node="h${k}:${j}"]`);
      if (canvas) paint(canvas, values, f.neuron_grid);
    }));
    drawEdges(f, c);
    drawLoss(f);
    epoch.textContent = "Epoch " + String(f.epoch).padStart(6, "0");
    lossText.textContent = `Test loss ${f.test_loss.toFixed(3)}   Training loss ${f.train_loss.toFixed(3)}`;
    frames += 1;
    root.dataset.frames = String(frames);
    root.dataset.epoch = String(f.epoch);
  }

  function drawPlay() {
    play.textContent = model.get("playing") ? "⏸" : "▶";
    root.dataset.playing = String(model.get("playing"));
  }

  model.on("change:frame", drawFrame);
  model.on("change:points", () => { drawPoints(); drawNetwork(); });
  model.on("change:config", () => { drawControls(); drawNetwork(); });
  model.on("change:playing", drawPlay);
  model.on("change:status", () => { status.textContent = model.get("status"); });
  drawControls(); drawPlay(); drawPoints(); drawNetwork();
  status.textContent = model.get("status");
  requestAnimationFrame(() => drawEdges(model.get("frame"), config()));   // after the layout exists
  return () => { model.set("playing", false); model.save_changes(); };
}

export default { render };
