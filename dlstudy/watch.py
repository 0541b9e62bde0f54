"""Watch a training loop you wrote by hand and report its silent mistakes: ``watch(model, optimizer, loss_fn)``.

Nothing in your loop changes. ``watch`` adds hooks: on the model (what goes in, which mode
it is in), on the loss (what it is given), on the optimizer (before each step) and
on the gradients; they are all removed when the block ends. Then it reports each kind of
silent mistake once, with what it saw, why it matters, the fix and the chapter that teaches it.

>>> import torch
>>> from torch import nn
>>> X, y = torch.randn(64, 3, generator=torch.Generator().manual_seed(0)), torch.arange(64) % 2
>>> net = nn.Linear(3, 2); optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
>>> with watch(net, optimizer, nn.CrossEntropyLoss()) as w:
...     for epoch in range(3):
...         for i in range(0, 64, 16):
...             loss = nn.CrossEntropyLoss()(net(X[i:i + 16]), y[i:i + 16])   # a new loss module: not watched
...             loss.backward()                                               # and no zero_grad()
...             optimizer.step()
[zero_grad] gradients are never cleared: each step adds the new gradient to all the old ones.
...
>>> [f.kind for f in w.findings]
['zero_grad']

How it stays cheap: every step pays for three small hooks (after the model's forward, before
the optimizer's step, on one parameter's gradient). The tensor checks run on "probe" iterations
only (iterations 0-4, then at powers of 2 and every 64th: ``is_probe``), and their results stay
on the device: nothing is read while you train, so a GPU is never made to wait. Everything is
read in one transfer when the block ends (``Watch.seen``). So watch needs no epoch boundary: the
checks that compare the start of training with its end use the probe iterations, and a check
that needs a value synchronises once per run, which is at most once per epoch.
"""

import weakref
from dataclasses import dataclass

import torch
from torch import nn

from dlstudy.lang import tr
from dlstudy.watch_advice import KINDS, THRESHOLDS, judge

__all__ = ["watch", "Watch", "Finding", "KINDS", "THRESHOLDS", "PROBE_FIRST", "PROBE_EVERY"]

PROBE_FIRST, PROBE_EVERY = 4, 64   # probe steps: 0 .. PROBE_FIRST - 1, powers of 2, every PROBE_EVERY-th step
RELU_WINDOW = 8                    # a unit is dead when it was 0 on every input of the last 8 probe steps
MODE_LAYERS = (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout, nn.BatchNorm1d,
               nn.BatchNorm2d, nn.BatchNorm3d)
CLASS_LOSSES = (nn.CrossEntropyLoss, nn.NLLLoss)
BINARY_LOSSES = (nn.BCEWithLogitsLoss, nn.BCELoss)


@dataclass(frozen=True)
class Finding:
    """One silent mistake: ``kind`` (a short name), ``message`` (one line), then ``seen``, ``why``, ``fix``, ``see``."""

    kind: str
    message: str
    seen: str
    why: str
    fix: str
    see: str

    def __str__(self):
        return "\n".join([f"[{self.kind}] {self.message}", "  " + tr("Seen: ", "본 것: ") + self.seen,
                          "  " + tr("Why it matters: ", "왜 문제인가요: ") + self.why,
                          "  " + tr("Fix: ", "고치는 법: ") + self.fix, "  " + self.see])


def is_probe(n):
    """Whether step (or backward pass) number ``n`` is checked closely: few early on, then one in PROBE_EVERY.

    >>> [n for n in range(200) if is_probe(n)]
    [0, 1, 2, 3, 4, 8, 16, 32, 64, 128, 192]
    """
    return n < PROBE_FIRST or n % PROBE_EVERY == 0 or n & (n - 1) == 0


class _Token:
    """Hung on a loss's graph: alive exactly as long as that graph is."""

    def __call__(self, *grads):
        return None


class _Mark:
    """Hung on a model output: records whether any backward pass reached it."""

    used = False

    def __call__(self, grad):
        self.used = True


def _to_features(X):
    """(features, samples): features are columns of a table, channels of images."""
    X = X.detach()
    if X.dim() == 1:
        return X.reshape(1, -1)
    if X.dim() == 2:
        return X.t()
    return X.transpose(0, 1).reshape(X.shape[1], -1)


class Watch:
    """The context manager that ``watch`` returns; after the block, ``findings`` lists what it found."""

    def __init__(self, model=None, optimizer=None, loss_fn=None, report=True):
        if model is not None and not isinstance(model, nn.Module):
            raise TypeError(tr(f"watch: model must be your network (an nn.Module) or None; got {type(model).__name__}.",
                               f"watch: model에는 네트워크(nn.Module)나 None을 주세요. 받은 것: {type(model).__name__}."))
        if optimizer is not None and not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(tr(f"watch: optimizer must be the torch.optim optimizer your loop steps, e.g. "
                               f"torch.optim.SGD(model.parameters(), lr=lr), or None; got {type(optimizer).__name__}.",
                               f"watch: optimizer에는 루프가 step하는 torch.optim optimizer(예: torch.optim.SGD("
                               f"model.parameters(), lr=lr))나 None을 주세요. 받은 것: {type(optimizer).__name__}."))
        if model is None and optimizer is None:
            raise TypeError(tr("watch: give it the model, the optimizer, or both: watch(model, optimizer, loss_fn).",
                               "watch: model이나 optimizer, 또는 둘 다 주세요: watch(model, optimizer, loss_fn)."))
        if loss_fn is not None and not isinstance(loss_fn, nn.Module):
            name = getattr(loss_fn, "__name__", type(loss_fn).__name__)
            raise TypeError(tr(f"watch: loss_fn must be the loss module your loop calls, e.g. nn.CrossEntropyLoss(), "
                               f"or None; got {name}. Use the module (nn.CrossEntropyLoss() rather than "
                               "F.cross_entropy) in your loop too, so watch can see what the loss is given.",
                               f"watch: loss_fn에는 루프가 호출하는 손실 모듈(예: nn.CrossEntropyLoss())이나 None을 "
                               f"주세요. 받은 것: {name}. 루프에서도 모듈(F.cross_entropy 대신 nn.CrossEntropyLoss())을 "
                               "쓰면 watch가 손실에 들어가는 값을 볼 수 있어요."))
        self.model, self.optimizer, self.loss_fn, self.auto_report = model, optimizer, loss_fn, report
        self._seen, self._handles, self._entered = None, [], False

    # ---- setting up and tearing down -------------------------------------------------------------------------
    def __enter__(self):
        if self._entered:
            raise RuntimeError(tr("watch: this watch was already used; start a new one: with watch(...) as w:",
                                  "watch: 이미 쓴 watch예요. 새로 시작하세요: with watch(...) as w:"))
        self._entered = True
        groups = self.optimizer.param_groups if self.optimizer is not None else [{"params": self.model.parameters()}]
        self.params = [p for g in groups for p in g["params"] if p.requires_grad]
        self._start = [p.detach().clone() for p in self.params]
        self._named = dict(self.model.named_parameters()) if self.model is not None else {}
        self._weights = [p for p in self.params if p.dim() >= 2]
        self.mode_layers = self.model is not None and any(
            isinstance(m, MODE_LAYERS) and getattr(m, "p", 1) > 0 for m in self.model.modules())
        self._relus = [(n, m) for n, m in self.model.named_modules() if isinstance(m, nn.ReLU)] if self.model else []
        self.steps = self.backwards = 0
        self.counts = dict.fromkeys(["steps_without_backward", "steps_after_clear", "eval_mode_steps",
                                     "train_mode_no_grad_forwards", "no_grad_forwards", "graph_checks", "graphs_kept"], 0)
        self._probe, self._backward_seen, self._contrib, self._sentinel = True, False, None, None
        self._since_backward, self._held, self._held_marked, self._marks = 0, None, False, []
        self._last_training, self._input_done, self._loss_done, self._relu_handles = True, False, False, []
        self._iter_probe, self._trained = True, False    # forward and loss probes follow backward passes
        self._device = {}                 # name -> tensor accumulated on the device, read once in _read()
        self._losses, self._tokens, self._ratios, self._grad_rms, self._before = [], [], [], [], None
        self._has_grad, self._batch_sizes, self._classes, self._calls = set(), [], 0, {}
        self._relu_alive, self._relu_done, self._relu_probes, self._in_sums = {}, {}, 0, []
        self._loss_name = type(self.loss_fn).__name__ if self.loss_fn is not None else None
        self._loss_handle = None
        # Every step pays for three hooks only: after the model's forward, before the optimizer's step, and on one
        # parameter's gradient. The loss and the ReLU layers are hooked on probe iterations only.
        if self.model is not None:
            self._handles.append(self.model.register_forward_hook(self._after_forward))
        if self.optimizer is not None:
            self._handles.append(self.optimizer.register_step_pre_hook(self._before_step))
        self._grad_handles = [p.register_hook(self._grad_hook(p)) for p in self.params]
        self._arm()
        return self

    def __exit__(self, error_type, error, traceback):
        for handle in self._handles + self._grad_handles + self._relu_handles + [self._loss_handle]:
            if handle is not None:
                handle.remove()
        self._handles, self._grad_handles, self._relu_handles, self._held, self._loss_handle = [], [], [], None, None
        self._finish_ratio()
        if error_type is None and self.auto_report and self.findings:
            self.report()
        return False

    # ---- hooks -------------------------------------------------------------------------------------------------
    def _add(self, name, value, op=torch.add):
        old = self._device.get(name)
        self._device[name] = value if old is None else op(old, value)

    def _arm(self):
        """The next iteration is a probe: hook the loss and the ReLU layers until its forward and loss are seen."""
        self._iter_probe, self._input_done, self._loss_done = True, False, False
        if self.loss_fn is not None and self._loss_handle is None:
            self._loss_handle = self.loss_fn.register_forward_hook(self._after_loss)
        if self._relus and not self._relu_handles:
            self._relu_probes += 1
            if self._relu_probes % RELU_WINDOW == 1 and self._relu_probes > 1:   # keep the last finished window
                self._relu_done, self._relu_alive = self._relu_alive, {}
            self._relu_handles = [m.register_forward_hook(self._relu_hook(n)) for n, m in self._relus]

    def _probing(self):
        """Probe this forward or loss: a probe iteration, and not an evaluation (eval mode after training)."""
        return self._iter_probe and (self.model is None or self.model.training or not self._trained)

    def _input_stats(self, X):
        F = _to_features(X).float()
        if "in_sum" in self._device and self._device["in_sum"].shape[0] != F.shape[0]:
            return                                             # another kind of input: keep the first
        self._add("in_sum", F.sum(1))
        self._add("in_sq", (F * F).sum(1))
        low, high = torch.aminmax(F, dim=1)
        self._add("in_min", low, torch.minimum)
        self._add("in_max", high, torch.maximum)
        self._add("in_n", torch.tensor(float(F.shape[1])))

    def _relu_hook(self, name):
        def record(module, args, output):
            if not (torch.is_grad_enabled() and self._probing()):
                return
            alive = _to_features(output) > 0
            self._relu_alive[name] = alive.any(1) if name not in self._relu_alive else \
                self._relu_alive[name] | alive.any(1)
        return record

    def _after_forward(self, module, args, output):
        if not torch.is_grad_enabled():
            self.counts["no_grad_forwards"] += 1
            if module.training and self.mode_layers:
                self.counts["train_mode_no_grad_forwards"] += 1
            return
        self._last_training = module.training
        self._trained |= module.training
        X = args[0] if args else None
        if isinstance(X, torch.Tensor) and X.is_floating_point():
            self._in_sums.append((X.detach() if X.requires_grad else X).sum())   # NaN or Inf anywhere: sum NaN or Inf
            if len(self._in_sums) >= 256:
                self._in_sums = [torch.stack(self._in_sums).sum()]
            if self._probing() and not self._input_done:
                self._input_done = True
                self._input_stats(X)
                for handle in self._relu_handles:
                    handle.remove()
                self._relu_handles = []
        if not (isinstance(output, torch.Tensor) and output.requires_grad):
            return
        marked = self._since_backward >= 1        # a second forward before any backward: is it ever used?
        if marked:
            for tensor in ([output] if self._held_marked or self._held is None else [self._held, output]):
                self._marks.append(_Mark())
                tensor.register_hook(self._marks[-1])
        self._held, self._held_marked = output, marked
        self._since_backward += 1

    def _check_graph(self):
        """Is the graph of a probed loss still alive three iterations later? Only if something keeps it."""
        step, token = self._tokens.pop(0)
        self.counts["graph_checks"] += 1
        self.counts["graphs_kept"] += token() is not None

    def _after_loss(self, module, args, output):
        if not (isinstance(output, torch.Tensor) and output.requires_grad) or self._loss_done or not self._probing():
            return
        self._loss_done = True
        self._loss_handle.remove()
        self._loss_handle = None
        if output.dim() == 0:
            self._losses.append(output.detach().float())
        token = _Token()
        if output.grad_fn is not None:
            output.grad_fn.register_prehook(token)
        self._tokens.append((self.backwards, weakref.ref(token)))     # checked three iterations later
        if len(args) >= 2 and isinstance(args[0], torch.Tensor) and isinstance(args[1], torch.Tensor):
            self._output_stats(args[0].detach(), args[1].detach())

    def _output_stats(self, y_hat, y):
        ones = torch.ones((), device=y_hat.device)
        if isinstance(self.loss_fn, CLASS_LOSSES) and y_hat.dim() == 2 and y_hat.shape[1] >= 2:
            self._classes = y_hat.shape[1]
            low, high = torch.aminmax(y_hat)
            probs = (low >= 0) & (high <= 1) & ((y_hat.sum(1) - 1).abs() < 1e-3).all()
            self._add("probability_outputs", probs.float())
            if isinstance(self.loss_fn, nn.NLLLoss):
                self._add("not_log_probabilities", (y_hat.float().logsumexp(1).abs().max() > 1e-3).float())
            self._add("output_probes", ones)
            if y.dim() == 1 and not y.is_floating_point():
                counts = torch.zeros(self._classes, device=y.device).index_add_(0, y, torch.ones_like(y, dtype=torch.float))
                self._labels(y, counts)
        elif isinstance(self.loss_fn, BINARY_LOSSES):
            self._classes = 2
            if isinstance(self.loss_fn, nn.BCEWithLogitsLoss):
                low, high = torch.aminmax(y_hat)
                self._add("probability_outputs", ((low >= 0) & (high <= 1)).float())
                self._add("output_spread", (high > low).float(), torch.maximum)
                self._add("output_probes", ones)
            if y.dim() >= 1 and y.numel() == y.shape[0]:
                y = y.reshape(-1).float()
                self._add("binary_targets", ((y == 0) | (y == 1)).all().float(), torch.minimum)
                self._labels(y, torch.stack([(1 - y).sum(), y.sum()]))

    def _labels(self, y, counts):
        self._add("classes_per_batch", (counts > 0).sum().float())
        self._add("label_counts", counts.float())
        self._batch_sizes.append(len(y))

    def _grad_hook(self, p):
        def arrived(grad):
            before = self.backwards
            if self._sentinel is None:              # before the first step every parameter counts its own
                self._calls[p] = self._calls.get(p, 0) + 1
                self.backwards = max(self.backwards, self._calls[p])
            elif p is self._sentinel:
                self.backwards += 1
                self._contrib = grad if self._contrib is None else self._contrib + grad
            else:
                return
            if self.backwards > before:             # a new iteration: the next forward and loss may be probed
                n = self.backwards
                if self._tokens and n >= self._tokens[0][0] + 3:
                    self._check_graph()
                if is_probe(n):
                    self._arm()
                else:
                    self._iter_probe = False
            self._since_backward, self._held, self._backward_seen = 0, None, True
        return arrived

    def _before_step(self, optimizer, args, kwargs):
        self._finish_ratio()
        if self._sentinel is None and self.steps == 0:
            self._pick_sentinel()
        if not self._backward_seen:
            self.counts["steps_without_backward"] += 1
        elif self._sentinel is not None and self._contrib is not None:
            grad = self._sentinel.grad
            if grad is None:
                self.counts["steps_after_clear"] += 1
            elif self._probe:
                contrib = self._contrib
                self._add("stale_grads", ((grad - contrib).abs() > 0).any().float())
                self._add("cleared_grads", ((grad == 0).all() & (contrib != 0).any()).float())
                self._add("stale_grad_checks", torch.ones((), device=grad.device))
        if self.mode_layers and not self._last_training:
            self.counts["eval_mode_steps"] += 1
        if self._probe:
            self._has_grad.update(id(p) for p in self.params if p.grad is not None)
            self._before = [w.detach().clone() for w in self._weights]
            first, last = self._weights[0].grad if self._weights else None, self._weights[-1].grad if self._weights else None
            if len(self._weights) >= 3 and first is not None and last is not None:   # vanishing: first vs last layer
                self._grad_rms.append(torch.stack([first.detach().float().pow(2).mean(),
                                                   last.detach().float().pow(2).mean()]).sqrt())
        self.steps += 1                              # what follows holds from here to the next step
        self._contrib, self._backward_seen = None, False
        self._probe = is_probe(self.steps)

    def _pick_sentinel(self):
        """After the first backward, one parameter that gets gradients is enough to watch them all."""
        with_grad = [p for p in self.params if p.grad is not None]
        self._sentinel = with_grad[-1] if with_grad else (self.params[-1] if self.params else None)
        for handle in self._grad_handles:
            handle.remove()
        self._grad_handles = [self._sentinel.register_hook(self._grad_hook(self._sentinel))] if self._sentinel is not None else []
        if self._backward_seen and self._sentinel is not None and self._sentinel.grad is not None:
            self._contrib = self._sentinel.grad.detach().clone()   # the first step: cleared by definition

    def _finish_ratio(self):
        """The update-to-weight ratio of the last probe step: its weights before, and now (after its update)."""
        if self._before is not None:
            after = [w.detach() for w in self._weights]
            ratios = [(a - b).float().norm() / b.float().norm() for a, b in zip(after, self._before)]
            if ratios:                               # a weight that starts at 0 gives inf: dropped when read
                self._ratios.append(torch.stack(ratios))
            self._before = None

    # ---- results ----------------------------------------------------------------------------------------------
    def _read(self):
        """Everything the hooks kept on the device, as plain Python numbers: the one synchronisation of a run."""
        tensors = dict(self._device)
        if self._in_sums:
            tensors["in_total"] = torch.stack(self._in_sums).sum()
        tensors["losses"] = torch.stack(self._losses) if self._losses else torch.zeros(0)
        tensors["ratios"] = torch.stack(self._ratios) if self._ratios else torch.zeros(0)   # (probes, layers)
        tensors["grad_rms"] = torch.stack(self._grad_rms) if self._grad_rms else torch.zeros(0, 2)
        tensors["unchanged"] = torch.stack([(p.detach() == s).all() for p, s in zip(self.params, self._start)]) \
            if self.params else torch.zeros(0)
        relus = self._relu_done or self._relu_alive
        for name, alive in relus.items():
            tensors[f"relu:{name}"] = alive
        device = self.params[0].device if self.params else torch.device("cpu")
        parts = [t.detach().float().reshape(-1).to(device) for t in tensors.values()]
        values = torch.cat(parts).cpu().tolist() if parts else []
        flat, start = {}, 0
        for name, part in zip(tensors, parts):
            flat[name], start = values[start:start + part.numel()], start + part.numel()
        return flat

    @property
    def seen(self):
        """What the watch saw, as plain numbers (the input of ``dlstudy.watch_advice.judge``)."""
        v = self._read()
        one = {name: values[0] for name, values in v.items() if len(values) == 1}
        seen = dict(self.counts, steps=self.steps, backwards=self.backwards, loss_name=self._loss_name,
                    classes=self._classes, losses=v["losses"], model_params=0)
        for name in ("stale_grads", "stale_grad_checks", "probability_outputs", "not_log_probabilities",
                     "output_probes", "output_spread"):
            seen[name] = int(one.get(name, 0)) if name != "output_spread" else one.get(name, 0)
        seen["loss_nonfinite"] = any(x != x or abs(x) == float("inf") for x in v["losses"])
        layers = max(1, len(self._weights))
        per_step = [max(v["ratios"][i:i + layers]) for i in range(0, len(v["ratios"]), layers)]
        per_step = [r for r in per_step if r == r and r != float("inf")]   # the largest relative change per step
        if per_step:
            seen["update_ratio"] = sorted(per_step)[len(per_step) // 2]
            start = sorted(per_step[:PROBE_FIRST])
            seen["update_ratio_start"] = start[len(start) // 2]
        if "in_sum" in v:
            n = v["in_n"][0]
            sums, squares = v["in_sum"], v["in_sq"]
            finite = all(abs(x) != float("inf") and x == x for x in sums + squares + v.get("in_total", []))
            seen["input_nonfinite"] = not finite
            if finite:
                seen["input_rms"] = [(q / n) ** 0.5 for q in squares]
                seen["input_ranges"] = [hi - lo for lo, hi in zip(v["in_min"], v["in_max"])]
                seen["input_min"], seen["input_max"] = min(v["in_min"]), max(v["in_max"])
                seen["input_features"] = len(sums)
                constant = [lo for lo, hi in zip(v["in_min"], v["in_max"]) if lo == hi]
                background = {x for x in constant if constant.count(x) >= 3} | {0.0}   # pixels that are always off
                seen["constant_features"] = sum(x not in background for x in constant)
                if all(lo == hi for lo, hi in zip(v["in_min"], v["in_max"])) and n > 1:
                    seen["constant_features"] = len(sums)
        if "label_counts" in v and v.get("binary_targets", [1])[0] == 1:
            counts = v["label_counts"]
            total = sum(counts)
            shares = [c / total for c in counts] if total else []
            seen["label_batches"], seen["label_sizes"] = len(self._batch_sizes), min(self._batch_sizes)
            seen["label_classes"] = sum(c > 0 for c in counts)
            seen["classes_per_batch"] = v["classes_per_batch"][0] / len(self._batch_sizes)
            seen["expected_classes"] = sum(sum(1 - (1 - p) ** b for p in shares)
                                           for b in self._batch_sizes) / len(self._batch_sizes)
        if self.model is not None and self.optimizer is not None:
            trainable = [p for p in self.model.parameters() if p.requires_grad]
            optimized = {id(p) for g in self.optimizer.param_groups for p in g["params"]}
            seen["model_tensors"] = len(list(self.model.parameters()))
            seen["model_frozen"] = seen["model_tensors"] > 0 and not trainable
            seen["model_params"] = len(trainable)
            seen["params_not_in_optimizer"] = sum(id(p) not in optimized for p in trainable)
        if self.model is not None:
            names = {id(p): n for n, p in self._named.items()}
            has_grad = self._has_grad or {id(p) for p in self.params if p.grad is not None}   # no step: look now
            if has_grad:
                seen["params_without_grad"] = [names[id(p)] for p in self.params
                                               if id(p) not in has_grad and id(p) in names]
        seen["optimizer_params"], seen["weight_layers"] = len(self.params), len(self._weights)
        seen["params_unchanged"] = int(sum(v["unchanged"]))
        grad_rms = v["grad_rms"]
        if grad_rms:
            pairs = [(grad_rms[i], grad_rms[i + 1]) for i in range(0, len(grad_rms), 2)]
            ratios = sorted(a / b for a, b in pairs if b > 0)
            if ratios:
                seen["grad_ratio"] = ratios[len(ratios) // 2]
        seen["relu_dead"] = [(name, sum(1 for a in v[f"relu:{name}"] if a == 0), len(v[f"relu:{name}"]))
                             for name in (self._relu_done or self._relu_alive)]
        seen["unused_grad_forwards"] = sum(not mark.used for mark in self._marks)
        return seen

    @property
    def findings(self):
        """The silent mistakes found: a list of ``Finding`` (``kind``, ``message``, ``seen``, ``why``, ``fix``, ``see``)."""
        if self._handles:
            raise RuntimeError(tr("watch: the findings are ready when the `with watch(...)` block has ended.",
                                  "watch: 결과는 `with watch(...)` 블록이 끝난 뒤에 나와요."))
        if self._seen is None:
            self._seen = self.seen if self._entered else {}
        return [Finding(kind, *(tr(*text) for text in texts))       # judged again: in the language chosen now
                for kind, *texts in judge(self._seen)] if self._seen else []

    def report(self):
        """Print every finding, or one line saying that nothing was found."""
        if not self.findings:
            print(tr(f"dlstudy.watch: no silent mistakes found in {self.steps} steps.",
                     f"dlstudy.watch: step {self.steps}번에서 조용한 실수를 찾지 못했어요."))
        for finding in self.findings:
            print(finding)


def watch(model=None, optimizer=None, loss_fn=None, report=True):
    """Watch the training loop in the ``with`` block; print what it finds at the end (``report=False``: stay quiet).

    >>> net = nn.Linear(2, 1); w = watch(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.MSELoss())
    >>> with w:
    ...     pass
    >>> w.findings
    []
    """
    return Watch(model, optimizer, loss_fn, report)
