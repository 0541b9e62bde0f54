"""What ``dlstudy.watch`` records on its probe steps: tensors kept on the device, read in one transfer at the end.

A ``Record`` only appends tensors to lists while the loop runs: it never calls ``.item()`` or
``.tolist()`` and never puts a tensor in a Python ``if``, so a GPU never waits for it. ``Record.read()``
moves everything to the host at once (the one synchronisation of a watched run) and ``summarize``
turns it into the plain numbers that ``dlstudy.watch_advice.judge`` reads.

>>> [n for n in range(200) if is_probe(n)]
[0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 61, 89, 122, 144, 183]
"""

import bisect
import math

import torch

__all__ = ["PROBE_FIRST", "PROBE_EVERY", "RELU_WINDOW", "is_probe", "next_probe", "feature_dims", "Record", "summarize"]

PROBE_FIRST, PROBE_EVERY = 4, 61   # the first probes (the start of training); then one step in 61 at least
RELU_WINDOW = 8                    # a unit is dead when it was 0 on every input of the last 8 probe steps
FIBONACCI = [0, 1]
while FIBONACCI[-1] < 2 ** 40:
    FIBONACCI.append(FIBONACCI[-1] + FIBONACCI[-2])
FIBONACCI = sorted(set(FIBONACCI))
_IS_FIBONACCI = frozenset(FIBONACCI)


def is_probe(n):
    """Whether step number ``n`` (from 0) is checked closely: Fibonacci numbers, then also every 61st step.

    Neither falls on the same batch of every epoch when epochs have 16, 32, 100 ... batches, so the probes see
    batches from the start, the middle and the end of epochs.
    """
    return n in _IS_FIBONACCI or n % PROBE_EVERY == 0


def next_probe(n):
    """The first probe step at ``n`` or after it.

    >>> [next_probe(n) for n in (0, 4, 56, 62, 145)]
    [0, 5, 61, 89, 183]
    """
    return min(FIBONACCI[bisect.bisect_left(FIBONACCI, n)], -(-n // PROBE_EVERY) * PROBE_EVERY)


def feature_dims(X):
    """The dimensions to reduce so that one value per feature remains: samples, and the positions of an image.

    >>> feature_dims(torch.zeros(8, 3)), feature_dims(torch.zeros(8, 3, 5, 5)), feature_dims(torch.zeros(8))
    ((0,), (0, 2, 3), (0,))
    """
    return (0,) + tuple(range(2, X.dim()))


def _median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else None


class Record:
    """Lists of tensors, one entry per probe step, and the parameters as they were at the start.

    A probe costs a handful of tensor operations: inputs and gradient pairs are kept as they are (folded
    into summaries every ``FOLD`` probes, so memory stays bounded), ReLU outputs for the last
    ``RELU_WINDOW`` probes; the arithmetic that turns them into numbers runs once, in ``read``.
    """

    FOLD = 16                                  # inputs kept before they are folded into running min / max / sums

    def __init__(self, params):
        self.start = torch.cat([p.detach().reshape(-1) for p in params]) if params else None
        self.inputs, self.losses, self.outputs, self.grads, self.ratios, self.grad_norms = [], [], [], [], [], []
        self.grad_pairs = []                   # (.grad, what the last backward passes added): compared in _fold_grads
        self.folded = None                     # (sum of squares, min, max) per feature of the inputs folded so far
        self.alive = {}                        # ReLU layer name -> the outputs of the last RELU_WINDOW probes
        self.grad_sizes = (1, 1)               # numbers in the first and the last weight layer (for an RMS)
        self.input_samples = 0
        self._features = None
        self.rows = {}                         # weight layer name -> which rows (units) ever got a non-zero gradient

    def input(self, X):
        """Keep a probed batch (NaN or Inf anywhere shows in its summary); per-feature statistics come later."""
        features = X.shape[1] if X.dim() > 1 else 1
        shape = (features,) + tuple(X.shape[2:])
        if not X.is_floating_point() or X.dim() == 0 or (self._features not in (None, shape)):
            return                                                     # another kind of input: keep the first
        self._features = shape
        self.inputs.append(X.detach() if X.requires_grad else X)
        self.input_samples += X.numel() // features                    # values per feature: samples x positions
        if len(self.inputs) >= self.FOLD:
            self._fold()

    def _fold(self):
        """Per feature, over the batches kept so far and the summary before: sum of squares, min, max."""
        X = torch.cat([x.reshape(len(x), *self._features) for x in self.inputs])
        X = X if X.dtype == torch.float64 else X.float()               # float16 squares overflow
        dims = feature_dims(X)          # over columns these are many times faster than vector_norm or aminmax
        parts = (X.square().sum(dim=dims).reshape(-1), X.amin(dim=dims).reshape(-1), X.amax(dim=dims).reshape(-1))
        if self.folded is not None:
            parts = (parts[0] + self.folded[0], torch.minimum(parts[1], self.folded[1]),
                     torch.maximum(parts[2], self.folded[2]))
        self.folded, self.inputs = parts, []

    def gradient(self, grad, contrib):
        """Largest |.grad - what the backward passes since the last step added|, largest |.grad|, largest |added|."""
        if grad.numel() == 0 or grad.shape != contrib.shape:
            return
        pair = [(t.to_dense() if t.is_sparse else t).reshape(-1)[:4096] for t in (grad, contrib)]   # bounded copy
        self.grad_pairs.append(torch.stack(pair))                     # one copy now; the arithmetic later
        if len(self.grad_pairs) >= self.FOLD:
            self._fold_grads()

    def _fold_grads(self):
        """Per kept pair: largest |.grad - added|, largest |.grad|, largest |added| (one row per probe).

        A .grad that is the added gradient scaled down by one factor (clip_grad_norm_, a GradScaler's unscale_)
        or clamped (clip_grad_value_) holds nothing old, so its difference counts as 0 (told apart from an old
        gradient kept only when the watched parameter has 4 numbers or more).
        """
        pairs = torch.stack(self.grad_pairs).reshape(len(self.grad_pairs), 2, -1).float()
        now, added = pairs[:, 0], pairs[:, 1]
        size, tiny = added.abs().amax(1), torch.finfo(torch.float32).tiny
        factor = (now * added).sum(1) / (added * added).sum(1).clamp_min(tiny)
        scaled = (factor >= 0) & (factor <= 1 + 1e-6) & \
            ((now - factor[:, None] * added).abs().amax(1) <= 1e-5 * size + tiny)
        limit = now.abs().amax(1, keepdim=True)
        clamped = (now - added.clamp(-limit, limit)).abs().amax(1) <= 1e-6 * size + tiny
        shrunk = (scaled | clamped) & (now.shape[1] >= 4)           # fewer numbers: any shrunk copy looks scaled
        stale = torch.where(shrunk, 0.0, (now - added).abs().amax(1))
        self.grads.append(torch.stack([stale, now.abs().amax(1), added.abs().amax(1)], 1))
        self.grad_pairs = []

    def before_update(self, weights):
        """A copy of the weight layers (detached views) and their norms, before a step's update."""
        if len(weights) == 1:                                          # one layer: plain ops are cheaper
            return [weights[0].clone()], [torch.linalg.vector_norm(weights[0])]
        return torch._foreach_mul(weights, 1.0), torch._foreach_norm(weights)

    def update(self, before, weights):
        """Each weight layer's update-to-weight ratio: |after - before| / |before|."""
        copies, norms = before
        if len(weights) == 1:
            self.ratios.append(([torch.linalg.vector_norm(copies[0].sub_(weights[0]))], norms))
            return
        torch._foreach_sub_(copies, weights)
        self.ratios.append((torch._foreach_norm(copies), norms))

    def gradient_norms(self, first, last):
        """The gradient norms of the first and the last weight layer (vanishing gradients: the first is tiny)."""
        self.grad_sizes = (first.numel(), last.numel())
        self.grad_norms.append(torch._foreach_norm([first, last]))

    def grad_rows(self, named):
        """Add up |.grad| of weight layers, ``[(name, grad), ...]``, in one foreach call: a row (a unit) that
        stays 0 never got a gradient (NaN counts as one); ``read`` looks at the rows."""
        names, grads = [n for n, _ in named], [g for _, g in named]
        if names and all(n in self.rows and self.rows[n].shape == g.shape for n, g in named):
            torch._foreach_add_([self.rows[n] for n in names], torch._foreach_abs(grads))
            return
        for name, grad in named:                               # the first probe, or layers that changed
            kept = self.rows.get(name)
            if kept is None:
                self.rows[name] = grad.abs().float()
            elif kept.shape == grad.shape:
                kept.add_(grad.abs())

    def output(self, y_hat, y, kind):
        """What the loss was given (kept, and judged at the end): ``kind`` is "classes", "logits" or "probabilities"."""
        if not self.outputs or (self.outputs[0][2] == kind and self.outputs[0][0].shape[1:] == y_hat.shape[1:]):
            self.outputs.append((y_hat.detach(), y.detach() if y.requires_grad else y, kind))

    def relu(self, name, output):
        """Keep the layer's output of the last RELU_WINDOW probes: a unit with 0 on every input is dead."""
        kept = self.alive.setdefault(name, [])
        if kept and kept[0].shape[1:] != output.shape[1:]:
            return
        kept.append(output.detach())
        del kept[:-RELU_WINDOW]

    def read(self, params):
        """Everything, as Python lists of numbers, in one transfer from the device."""
        rows = lambda parts: [torch.stack([t for row in parts for t in row]).float().reshape(len(parts), -1)] \
            if parts else []                                          # noqa: E731 (one (probes, width) tensor)
        if self.grad_pairs:
            self._fold_grads()
        grads = [torch.cat(self.grads)] if self.grads else []
        tensors = {"losses": rows([(loss,) for loss in self.losses]), "grads": grads,
                   "ratios": [r / n for r, n in zip(rows([r for r, _ in self.ratios]), rows([n for _, n in self.ratios]))],
                   "grad_norms": rows(self.grad_norms)}
        if self.inputs:
            self._fold()
        if self.folded is not None:            # per feature, over every probed batch: RMS, min, max
            squares, lows, highs = self.folded
            tensors.update(in_rms=[squares.div(self.input_samples).sqrt()], in_min=[lows], in_max=[highs])
        for name, kept in self.alive.items():
            out = torch.cat(kept)
            tensors[f"relu:{name}"] = [out.amax(dim=feature_dims(out)).reshape(-1) > 0]
        tensors.update({f"rows:{name}": [summed.reshape(len(summed), -1).ne(0).any(1)]
                        for name, summed in self.rows.items()})
        if self.start is not None:
            now = torch.cat([p.detach().reshape(-1) for p in params])
            tensors["params_change"] = [(now - self.start).abs().sum().reshape(1)]   # 0: unchanged, NaN: not finite
        tensors.update(self._outputs())
        shapes, flat = {}, []
        for name, parts in tensors.items():
            shapes[name] = [tuple(t.shape) for t in parts]
            flat += [t.detach().float().reshape(-1) for t in parts]
        device = flat[0].device if flat else torch.device("cpu")
        values = torch.cat([t.to(device) for t in flat]).cpu().tolist() if flat else []
        out, start = {}, 0
        for name, sizes in shapes.items():
            rows = []
            for shape in sizes:
                n = math.prod(shape)
                rows.append(values[start:start + n])
                start += n
            out[name] = rows
        for name in ("losses", "grads", "ratios", "grad_norms"):     # one row per probe
            if out[name]:
                width = math.prod(shapes[name][0][1:])
                out[name] = [out[name][0][i:i + width] for i in range(0, len(out[name][0]), width)]
        return out

    def _outputs(self):
        """What the loss was given on the probe steps: are they probabilities, and how many classes per batch."""
        if not self.outputs:
            return {}
        kind = self.outputs[0][2]
        pairs = [(y_hat, y) for y_hat, y, _ in self.outputs]
        y_hat = torch.cat([p[0].float() for p in pairs])
        ids = torch.cat([torch.full((len(p[0]),), i, dtype=torch.long) for i, p in enumerate(pairs)]).to(y_hat.device)
        probes, out = len(pairs), {"output_probes": [torch.tensor([float(len(pairs))])]}
        low, high = y_hat.amin(dim=tuple(range(1, y_hat.dim()))), y_hat.amax(dim=tuple(range(1, y_hat.dim())))
        in_unit = (low >= 0) & (high <= 1)
        if kind == "classes":
            rows = in_unit & ((y_hat.sum(1) - 1).abs() < 1e-3)
            raw = torch.zeros(probes, device=y_hat.device).index_add_(0, ids, (y_hat.logsumexp(1).abs() > 1e-3).float())
            out["probability_outputs"] = [rows.all().float().reshape(1) * probes]
            out["not_log_probabilities"] = [(raw > 0).sum().float().reshape(1)]
            if all(y.dim() == 1 and not y.is_floating_point() for _, y in pairs):
                classes = y_hat.shape[1]
                y = torch.cat([p[1] for p in pairs]).to(y_hat.device)
                out["label_counts"] = [torch.zeros(probes * classes, device=y_hat.device).index_add_(
                    0, ids * classes + y, torch.ones_like(y, dtype=torch.float)).reshape(probes, classes)]
        else:
            if kind == "logits":
                out["probability_outputs"] = [in_unit.all().float().reshape(1) * probes]
                out["output_spread"] = [(high.max() > low.min()).float().reshape(1)]
            if all(y.numel() == len(y) for _, y in pairs):
                y = torch.cat([p[1].reshape(-1).float() for p in pairs]).to(y_hat.device)
                positive = torch.zeros(probes, device=y_hat.device).index_add_(0, ids, y)
                sizes = torch.zeros(probes, device=y_hat.device).index_add_(0, ids, torch.ones_like(y))
                out["label_counts"] = [torch.stack([sizes - positive, positive], 1)]
                out["binary_targets"] = [((y == 0) | (y == 1)).all().float().reshape(1)]
        out["label_sizes"] = [torch.tensor([float(len(p[1])) for p in pairs])]
        return out


def _inputs(v, seen):
    """Input statistics over the probed batches: scale, range, constant features, NaN or Inf."""
    rms, low, high = v["in_rms"][0], v["in_min"][0], v["in_max"][0]
    if not math.isfinite(sum(rms) + sum(low) + sum(high)):        # float64 sums of float32 values cannot overflow
        seen["input_nonfinite"] = True
        return
    seen["input_rms"], seen["input_ranges"] = rms, [h - lo for lo, h in zip(low, high)]
    seen["input_min"], seen["input_max"], seen["input_features"] = min(low), max(high), len(rms)
    constant = [lo for lo, h in zip(low, high) if lo == h]
    counts = {}
    for x in constant:
        counts[x] = counts.get(x, 0) + 1
    background = {x for x, n in counts.items() if n >= 3}                    # pixels that are always off
    if seen.get("input_pixels"):
        background.add(0.0)                       # an edge pixel is 0 on every checked image; a table's column is not
    # A rare flag after standardization sits at -p / sqrt(p(1-p)), about -sqrt(p), wherever it is off: seen constant on
    # the checked samples only when p is below about 1 / samples, so |value| < 0.1; a bug (a column overwritten, every
    # row the same sample) leaves ordinary values.
    background |= {x for x in constant if 0 < abs(x) < 0.1}
    seen["constant_features"] = sum(x not in background for x in constant)
    if len(constant) == len(rms) and seen.get("input_samples", 0) > 1:
        seen["constant_features"] = len(rms)


def _labels(v, seen):
    """Classes per probed batch, against what shuffled batches of the same sizes would hold."""
    counts, sizes = v["label_counts"][0], v["label_sizes"][0]
    classes = len(counts) // len(sizes)
    rows = [counts[i * classes:(i + 1) * classes] for i in range(len(sizes))]
    total = [sum(column) for column in zip(*rows)]
    shares = [c / sum(total) for c in total] if sum(total) else []
    seen["label_batches"], seen["label_sizes"] = len(sizes), min(sizes)
    seen["label_classes"] = sum(c > 0 for c in total)
    seen["classes_per_batch"] = sum(sum(c > 0 for c in row) for row in rows) / len(rows)
    seen["expected_classes"] = sum(sum(1 - (1 - p) ** b for p in shares) for b in sizes) / len(sizes)


def summarize(v, seen, record_sizes=(1, 1)):
    """Add to ``seen`` (a dict of counts) the plain numbers that the rules read, from what ``Record.read`` returned."""
    losses = [row[0] for row in v["losses"]]
    seen["losses"] = losses
    seen["loss_nonfinite"] = not all(math.isfinite(x) for x in losses)
    change = v.get("params_change", [[0.0]])[0][0]
    seen["params_unchanged"] = seen["optimizer_params"] if change == 0 else 0
    seen["params_nonfinite"] = not math.isfinite(change)
    for name in ("output_probes", "probability_outputs", "not_log_probabilities", "output_spread"):
        if name in v:
            seen[name] = round(v[name][0][0])                            # counts of probed batches
    if "in_rms" in v:
        _inputs(v, seen)
    if "label_counts" in v and v.get("binary_targets", [[1]])[0][0] == 1:
        _labels(v, seen)
    grads = [row for row in v["grads"] if math.isfinite(sum(row))]     # after a NaN, nothing can be compared
    seen["stale_grads"] = sum(stale > 0 and not (now == 0 and added > 0) for stale, now, added in grads)
    seen["cleared_grads"] = sum(now == 0 and added > 0 for _, now, added in grads)
    seen["stale_grad_checks"] = len(grads)
    per_step = [max(row) for row in v["ratios"] if row]
    per_step = [r for r in per_step if math.isfinite(r)]       # a weight that starts at 0 gives inf: dropped
    if per_step:
        seen["update_ratio"] = _median(per_step)
        seen["update_ratio_start"] = _median(per_step[:PROBE_FIRST])
    scale = (record_sizes[1] / record_sizes[0]) ** 0.5        # RMS = norm / sqrt(size)
    ratios = [first / last * scale for first, last in v["grad_norms"] if last > 0]
    if ratios:
        seen["grad_ratio"] = _median(ratios)
    seen["relu_dead"] = [(name[5:], sum(1 for a in rows[0] if a == 0), len(rows[0]))
                         for name, rows in v.items() if name.startswith("relu:")]
    seen["zero_grad_rows"] = [(name[5:], sum(1 for a in rows[0] if a == 0), len(rows[0]))
                              for name, rows in v.items() if name.startswith("rows:")]
    first_bad = next((i for i, x in enumerate(losses) if not math.isfinite(x)), None)
    if first_bad is None and seen["params_nonfinite"]:
        first_bad = len(losses)
    if first_bad is not None:                        # where the run stopped being finite, and what came before
        seen["nonfinite_at"] = first_bad
        seen["ratios_before_nonfinite"] = [max(row) for row in v["ratios"][:first_bad] if row]
    return seen
