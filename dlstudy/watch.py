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

How it stays cheap: an ordinary step pays for two hooks that only count (after the model's
forward, before the optimizer's step). The checks run on "probe" steps (Fibonacci numbers and every
61st step: ``is_probe``): from the step before a probe to the probe, watch also hooks
the loss, the ReLU layers and one parameter's gradient. What a probe computes stays on the device
(``dlstudy.watch_probes.Record``): nothing is read while you train, so a GPU never waits for the
watch. Everything is read in one transfer when the findings are asked for: one synchronisation
per run, so at most one per epoch for every check.
"""

import sys
import types
import weakref
from dataclasses import dataclass

import torch
from torch import nn

from dlstudy.contract import Flag, Optional, Rule, declare, shown
from dlstudy.lang import tr
from dlstudy.watch_advice import KINDS, THRESHOLDS, judge
from dlstudy.watch_probes import PROBE_EVERY, PROBE_FIRST, Record, is_probe, next_probe, summarize

__all__ = ["watch", "Watch", "Finding", "KINDS", "THRESHOLDS", "PROBE_FIRST", "PROBE_EVERY", "WatchedModel",
           "WatchedOptimizer", "WatchedLoss"]

MODE_LAYERS = (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout, nn.BatchNorm1d,
               nn.BatchNorm2d, nn.BatchNorm3d)
CLASS_LOSSES = (nn.CrossEntropyLoss, nn.NLLLoss)
GRAPH_AGE = 3                      # a probed loss's graph should be gone this many steps later
WEIGHT_LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)   # a row of their weight is one unit


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


class _Token:
    """Kept in a loss graph's metadata: alive exactly as long as that graph is."""


class _Mark:
    """Hung on a model output: counts it as used when a backward pass reaches it."""

    def __init__(self, counts, train=False):
        self.counts, self.used, self.train = counts, False, train

    def __call__(self, grad):
        if not self.used:
            self.used = True
            self.counts["used_grad_forwards"] += 1
            self.counts["used_train_grad_forwards"] += self.train


def _unhook(handles, tensors):
    """Remove hooks; a tensor left without any hook drops its empty hook table too.

    An empty table still costs a call into Python for that parameter in every backward pass.
    """
    for handle in handles:
        handle.remove()
    for tensor in tensors:
        if tensor is not None and tensor._backward_hooks is not None and not tensor._backward_hooks:
            tensor._backward_hooks = None


class WatchedModel(Rule):
    """The network the loop trains (an nn.Module)."""

    def check(self, value, name):
        if not isinstance(value, nn.Module):
            raise TypeError(tr(f"watch: model must be your network (an nn.Module) or None; got {type(value).__name__}.",
                               f"watch: model에는 네트워크(nn.Module)나 None을 주세요. 받은 것: {type(value).__name__}."))
        if isinstance(value, nn.modules.loss._Loss):
            raise TypeError(tr(f"watch: model must be your network, not the loss; got {type(value).__name__}(). The order "
                               "is watch(model, optimizer, loss_fn).", f"watch: model에는 손실이 아니라 네트워크를 주세요. "
                               f"받은 것: {type(value).__name__}(). 순서는 watch(model, optimizer, loss_fn)예요."))
        return value


class WatchedOptimizer(Rule):
    """The torch.optim optimizer the loop steps."""

    def check(self, value, name):
        if not isinstance(value, torch.optim.Optimizer):
            raise TypeError(tr(f"watch: optimizer must be the torch.optim optimizer your loop steps, e.g. "
                               f"torch.optim.SGD(model.parameters(), lr=lr), or None; got {type(value).__name__}.",
                               f"watch: optimizer에는 루프가 step하는 torch.optim optimizer(예: torch.optim.SGD("
                               f"model.parameters(), lr=lr))나 None을 주세요. 받은 것: {type(value).__name__}."))
        return value


class WatchedLoss(Rule):
    """The loss module the loop calls (a module, so watch sees what it is given)."""

    def check(self, value, name):
        if isinstance(value, type) and issubclass(value, nn.Module):
            raise TypeError(tr(f"watch: loss_fn must be a loss module; got {shown(value)}: add () to create one, e.g. "
                               f"{value.__name__}().", f"watch: loss_fn에는 손실 모듈을 주세요. 받은 것: "
                               f"{shown(value)}: ()를 붙여 만드세요. 예: {value.__name__}()."))
        if not isinstance(value, nn.Module):
            kind = getattr(value, "__name__", type(value).__name__)
            raise TypeError(tr(f"watch: loss_fn must be the loss module your loop calls, e.g. nn.CrossEntropyLoss(), "
                               f"or None; got {kind}. Use the module (nn.CrossEntropyLoss() rather than "
                               "F.cross_entropy) in your loop too, so watch can see what the loss is given.",
                               f"watch: loss_fn에는 루프가 호출하는 손실 모듈(예: nn.CrossEntropyLoss())이나 None을 "
                               f"주세요. 받은 것: {kind}. 루프에서도 모듈(F.cross_entropy 대신 nn.CrossEntropyLoss())을 "
                               "쓰면 watch가 손실에 들어가는 값을 볼 수 있어요."))
        return value


class Watch:
    """The context manager that ``watch`` returns; after the block, ``findings`` lists what it found."""

    @declare(model=Optional(WatchedModel()), optimizer=Optional(WatchedOptimizer()), loss_fn=Optional(WatchedLoss()),
             report=Flag())
    def __init__(self, model=None, optimizer=None, loss_fn=None, report=True):
        if model is None and optimizer is None:
            raise TypeError(tr("watch: give it the model, the optimizer, or both: watch(model, optimizer, loss_fn).",
                               "watch: model이나 optimizer, 또는 둘 다 주세요: watch(model, optimizer, loss_fn)."))
        if loss_fn is not None and optimizer is not None:
            optimized = {id(p) for g in optimizer.param_groups for p in g["params"]}
            if optimized and optimized <= {id(p) for p in loss_fn.parameters()}:   # the network passed as the loss
                raise TypeError(tr(f"watch: loss_fn must be the loss, but the optimizer trains its parameters: got "
                                   f"{type(loss_fn).__name__}. The order is watch(model, optimizer, loss_fn).",
                                   f"watch: loss_fn에는 손실을 주세요. optimizer가 그 파라미터를 학습해요: 받은 것 "
                                   f"{type(loss_fn).__name__}. 순서는 watch(model, optimizer, loss_fn)예요."))
        self.model, self.optimizer, self.loss_fn, self.auto_report = model, optimizer, loss_fn, report
        self._seen, self._handles, self._entered, self.steps = None, [], False, 0

    # ---- setting up and tearing down -------------------------------------------------------------------------
    def __enter__(self):
        if self._entered:
            raise RuntimeError(tr("watch: this watch was already used; start a new one: with watch(...) as w:",
                                  "watch: 이미 쓴 watch예요. 새로 시작하세요: with watch(...) as w:"))
        self._entered = True
        groups = self.optimizer.param_groups if self.optimizer is not None else [{"params": self.model.parameters()}]
        self.params = [p for g in groups for p in g["params"] if p.requires_grad]
        self._weights = [p for p in self.params if p.dim() >= 2]
        self._weight_views = [w.detach() for w in self._weights]     # share storage: they see every update
        model = self.model
        self.mode_layers = model is not None and any(isinstance(m, MODE_LAYERS) and getattr(m, "p", 1) > 0
                                                     for m in model.modules())
        self._relus = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.ReLU)] if model else []
        self._units = [(n, m.weight) for n, m in model.named_modules() if isinstance(m, WEIGHT_LAYERS)
                       and m.weight.requires_grad][:8] if model else []          # dead units, from gradient rows
        self.record = Record(self.params)
        self.steps = self.backwards = self.ticks = 0
        self.counts = dict.fromkeys(["steps_without_backward", "steps_after_clear", "eval_mode_steps", "mode_checks",
                                     "train_mode_no_grad_forwards", "no_grad_forwards", "graph_checks", "graphs_kept",
                                     "marked_grad_forwards", "used_grad_forwards", "grad_forwards", "eval_grad_forwards",
                                     "loss_backwards", "marked_train_grad_forwards", "used_train_grad_forwards"], 0)
        # The clock: a tick ends each iteration, at the optimizer's step (or at each backward pass while no step has
        # come). Between ticks the hot path only counts; at the tick numbered self._next there is work to do.
        self._next, self._forwards, self._held, self._per_tick = 0, 0, [], 1
        self._state_param, self._held_state, self._held_training = (self.params[-1] if self.params else None), None, True
        self._window, self._window_handles, self._sentinel, self._before = False, [], None, None
        self._tokens, self._has_grad, self._loss_name = [], set(), type(self.loss_fn).__name__ if self.loss_fn else None
        if model is not None:
            self._handles.append(model.register_forward_hook(self._after_forward))
        self._order, self._order_handles = [], self._forward_order(model)
        if self.optimizer is not None:
            self._handles.append(self.optimizer.register_step_pre_hook(self._before_step))
        self._calls = [0] * len(self.params)       # until the first step, every parameter counts its backward passes
        self._grad_handles = [p.register_hook(self._counter(i)) for i, p in enumerate(self.params)]
        self._open()                                # step 0 is a probe
        return self

    def __exit__(self, error_type, error, traceback):
        self._close()
        _unhook(self._handles + self._grad_handles, self.params)
        self._handles, self._grad_handles, self._held = [], [], []
        self._drop_order_hooks()
        if self._before is not None:                # the last probe's update has happened by now
            self.record.update(self._before, self._weight_views)
            self._before = None
        if error_type is None and self.auto_report and self.findings:
            self.report()
        return False

    # ---- the hot path: what every step pays for ------------------------------------------------------------------
    def _after_forward(self, module, args, output):
        if not torch.is_grad_enabled():                       # an evaluation
            self.counts["no_grad_forwards"] += 1
            if module.training and self.mode_layers:
                self.counts["train_mode_no_grad_forwards"] += 1
            return
        self._forwards += 1
        self.counts["grad_forwards"] += 1
        if self.mode_layers and not module.training:          # a Python bool: every forward, probes or not
            self.counts["eval_grad_forwards"] += 1
        if self._window:                                      # the last forward before the tick is the one trained
            self._pending_input, self._pending_training = (args[0] if args else None), module.training
        if self._forwards > self._per_tick:                   # more forwards than backward passes: are they used?
            self._mark(output, module.training)
        else:
            if not self._held:
                self._held_state, self._held_training = self._grad_state(), module.training
            self._held.append(output)

    def _before_step(self, optimizer, args, kwargs):
        self.steps += 1
        tick = self.ticks
        self.ticks = tick + 1
        self._forwards = 0
        self._held.clear()
        if tick >= self._next:
            self._step_work(tick)

    def _counter(self, i):
        def arrived(grad):                                    # before the first step: one hook per parameter
            self._calls[i] += 1
            if self._calls[i] > self.backwards:               # a new backward pass
                self.backwards = self._calls[i]
                self._window_backwards += 1
                if self.steps == 0 and self.backwards >= 2:   # no step yet: each backward pass ends an iteration
                    tick = self.ticks
                    self.ticks = tick + 1
                    self._forwards = 0
                    self._held.clear()
                    self._tick(tick)
                    self._next = self.ticks                   # the first step always has work
        return arrived

    def _sentinel_grad(self, grad):                           # during a probe window, after the first step
        self._window_backwards += 1
        self._contrib = grad if self._contrib is None else self._contrib + grad

    # ---- probe windows: from the tick before a probe step to its tick -------------------------------------------
    def _open(self):
        """Hook the loss, the ReLU layers and one gradient until the next tick; forget what the last window kept."""
        self._window, self._window_backwards, self._contrib = True, 0, None
        self._pending_input, self._pending_training, self._pending_loss, self._relu_out = None, True, None, {}
        if self._window_handles:
            return
        if self.loss_fn is not None:
            self._window_handles.append(self.loss_fn.register_forward_hook(self._after_loss))
        self._window_handles += [m.register_forward_hook(self._relu_hook(n)) for n, m in self._relus]
        if self._sentinel is not None:
            self._window_handles.append(self._sentinel.register_hook(self._sentinel_grad))

    def _close(self):
        self._window = False
        _unhook(self._window_handles, [self._sentinel])
        self._window_handles = []

    def _after_loss(self, module, args, output):
        if torch.is_grad_enabled() and isinstance(output, torch.Tensor) and output.requires_grad:
            self._pending_loss = (output, args)
            output.register_hook(self._loss_reached)          # backward ran, even if it reaches no parameter

    def _loss_reached(self, grad):
        self.counts["loss_backwards"] += 1

    def _relu_hook(self, name):
        def record(module, args, output):
            if torch.is_grad_enabled():
                self._relu_out[name] = output
        return record

    def _grad_state(self):
        """Which .grad tensor one parameter holds, and how often it was written: a backward pass changes it."""
        grad = self._state_param.grad if self._state_param is not None else None
        return None if grad is None else (id(grad), grad._version)

    def _mark(self, output, training):
        """Hang a _Mark on this output, and on the earlier ones of this tick unless a backward pass came since."""
        state = self._grad_state()
        used = state is not None and state != self._held_state       # (zero_grad's None is not a backward pass)
        held = [] if used else [(tensor, self._held_training) for tensor in self._held]
        for tensor, train in held + [(output, training)]:
            if isinstance(tensor, torch.Tensor) and tensor.requires_grad:
                train = bool(train and self.mode_layers)            # dropout or batch norm in train mode
                self.counts["marked_grad_forwards"] += 1
                self.counts["marked_train_grad_forwards"] += train
                tensor.register_hook(_Mark(self.counts, train))
        self._held.clear()

    # ---- the ticks where there is work ---------------------------------------------------------------------------
    def _step_work(self, tick):
        """The step numbered self.steps - 1 is about to update the weights."""
        n = self.steps - 1
        if n == 0:
            self._first_step()
        if self._before is not None:                           # the update of the step before has happened
            self.record.update(self._before, self._weight_views)
            self._before = None
        if self._window:
            self._probe_step(n)
        self._tick(tick)
        if self._window and self._weights:        # the next step is a probe: this step's update is measured there
            self._before = self.record.before_update(self._weight_views)

    def _first_step(self):
        """Watch one parameter that gets gradients from now on; drop the hooks on every parameter."""
        with_grad = [p for p in self.params if p.grad is not None]
        if self.backwards and not with_grad:
            self.counts["steps_after_clear"] += 1
        # a weight rather than a bias: its many directions tell a clipped gradient from one that kept old ones
        weights = [p for p in with_grad if p.dim() >= 2]
        self._sentinel = (weights or with_grad or self.params or [None])[-1]
        self._state_param = self._sentinel
        _unhook(self._grad_handles + self._window_handles, self.params)    # the next window hooks the sentinel
        self._grad_handles, self._window_handles = [], []
        self._drop_order_hooks()
        if self._order:                                  # first and last weight layer as the forward ran them
            rank = {pid: i for i, pid in reversed(list(enumerate(self._order)))}
            middle = len(self._order) - 0.5              # a layer forward never ran: neither first nor last
            self._weights.sort(key=lambda p: rank.get(id(p), middle))

    def _forward_order(self, model):
        """Forward pre-hooks until the first step: the order in which the weight layers run."""
        weights = {id(p) for p in self._weights}
        if model is None or len(weights) < 2:
            return []
        def note(module, args):                          # returns None: a pre-hook's value would replace the input
            if len(self._order) < 256:
                self._order.append(id(module.weight))
        return [m.register_forward_pre_hook(note) for m in model.modules()
                if isinstance(getattr(m, "weight", None), torch.Tensor) and id(m.weight) in weights]

    def _drop_order_hooks(self):
        for handle in self._order_handles:
            handle.remove()
        self._order_handles = []

    def _probe_step(self, n):
        """Checks at a probe step, before its update: were the gradients fresh, the mode right, the graph whole?"""
        seen_backward = self.backwards > 0 if n == 0 else self._window_backwards > 0
        grad = self._sentinel.grad if self._sentinel is not None else None
        if not seen_backward:
            self.counts["steps_without_backward"] += 1
        elif n > 0 and self._sentinel is not None:
            if grad is None:
                self.counts["steps_after_clear"] += 1
            elif self._contrib is not None:
                self.record.gradient(grad.detach() if grad.requires_grad else grad, self._contrib)
        self._per_tick = max(self._per_tick, self._window_backwards)
        self.counts["mode_checks"] += 1
        self.counts["eval_mode_steps"] += self.mode_layers and not self._pending_training
        if len(self._has_grad) < len(self.params):
            self._has_grad.update(id(p) for p in self.params if p.grad is not None)
        first, last = (self._weights[0].grad, self._weights[-1].grad) if len(self._weights) >= 3 else (None, None)
        if first is not None and last is not None:
            self.record.gradient_norms(first.detach(), last.detach())
        self.record.grad_rows([(name, weight.grad.detach()) for name, weight in self._units if weight.grad is not None])

    def _tick(self, tick):
        """The end of iteration ``tick``: keep what its probe window saw, check old graphs, open the next window."""
        while self._tokens and self._tokens[0][0] <= tick:
            self.counts["graph_checks"] += 1
            self.counts["graphs_kept"] += self._tokens.pop(0)[1]() is not None
        if self._window:
            self._commit(tick)
        if is_probe(tick + 1):
            self._open()
            self._next = tick + 1
        else:
            self._close()
            self._next = next_probe(tick + 2) - 1                  # open the window one tick before the probe
        if self._tokens:
            self._next = min(self._next, self._tokens[0][0])

    def _commit(self, tick):
        """What the probe iteration's forward pass and loss saw, recorded on the device."""
        if isinstance(self._pending_input, torch.Tensor):
            self.record.input(self._pending_input)
        for name, output in self._relu_out.items():
            self.record.relu(name, output)
        if self._pending_loss is not None:
            loss, args = self._pending_loss
            if loss.dim() == 0:
                self.record.losses.append(loss.detach())
            if loss.grad_fn is not None:
                token = _Token()
                loss.grad_fn.metadata["dlstudy.watch"] = token
                self._tokens.append((tick + GRAPH_AGE, weakref.ref(token)))
            if len(args) >= 2 and isinstance(args[0], torch.Tensor) and isinstance(args[1], torch.Tensor):
                self._output(args[0], args[1])
        self._pending_input, self._pending_loss, self._relu_out = None, None, {}

    def _output(self, y_hat, y):
        if isinstance(self.loss_fn, CLASS_LOSSES) and y_hat.dim() == 2 and y_hat.shape[1] >= 2:
            self.record.output(y_hat, y, "classes")
        elif isinstance(self.loss_fn, (nn.BCEWithLogitsLoss, nn.BCELoss)):
            self.record.output(y_hat, y, "logits" if isinstance(self.loss_fn, nn.BCEWithLogitsLoss) else "probabilities")

    # ---- results ----------------------------------------------------------------------------------------------
    @property
    def seen(self):
        """What the watch saw, as plain numbers (the input of ``dlstudy.watch_advice.judge``)."""
        seen = dict(self.counts, steps=self.steps, backwards=self.backwards, loss_name=self._loss_name,
                    classes=0, model_params=0, optimizer_params=len(self.params), weight_layers=len(self._weights),
                    input_samples=self.record.input_samples, optimizer_given=self.optimizer is not None)
        shape = self.record._features
        seen["input_pixels"] = shape is not None and (len(shape) > 1 or shape[0] >= 64)   # images, or 64+ columns
        kinds = {kind for _, _, kind in self.record.outputs}
        if self.record.outputs:
            seen["classes"] = self.record.outputs[0][0].shape[1] if "classes" in kinds else 2
        summarize(self.record.read(self.params), seen, self.record.grad_sizes)
        if self._weights:                              # the output layer's rows are outputs, not hidden units
            output = {name for name, weight in self._units if weight is self._weights[-1]}
            seen["zero_grad_rows"] = [row for row in seen.get("zero_grad_rows", []) if row[0] not in output]
        if self.model is not None and self.optimizer is not None:
            trainable = [p for p in self.model.parameters() if p.requires_grad]
            optimized = {id(p) for g in self.optimizer.param_groups for p in g["params"]}
            seen["model_tensors"] = len(list(self.model.parameters()))
            seen["model_frozen"] = seen["model_tensors"] > 0 and not trainable
            seen["model_params"] = len(trainable)
            seen["params_not_in_optimizer"] = sum(id(p) not in optimized for p in trainable)
        seen["backward_reached_no_param"] = (self.counts["loss_backwards"] > 0 and self.backwards == 0
                                             and not self._has_grad and all(p.grad is None for p in self.params))
        # LBFGS runs its backward passes inside step(closure): the step comes before them, by design
        seen["closure_optimizer"] = isinstance(self.optimizer, torch.optim.LBFGS)
        if self.model is not None:
            names = {id(p): n for n, p in self.model.named_parameters()}
            has_grad = self._has_grad or {id(p) for p in self.params if p.grad is not None}   # no step: look now
            if has_grad or seen["backward_reached_no_param"]:
                seen["params_without_grad"] = [names[id(p)] for p in self.params
                                               if id(p) not in has_grad and id(p) in names]
        seen["unused_grad_forwards"] = self.counts["marked_grad_forwards"] - self.counts["used_grad_forwards"]
        seen["unused_train_grad_forwards"] = (self.counts["marked_train_grad_forwards"]
                                              - self.counts["used_train_grad_forwards"])
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
        if not self._entered:
            print(tr("dlstudy.watch: nothing watched yet (0 steps): run your loop inside `with watch(...) as w:`, then "
                     "call w.report().", "dlstudy.watch: 아직 본 것이 없어요(step 0번): `with watch(...) as w:` 안에서 "
                     "루프를 실행한 뒤 w.report()를 호출하세요."))
            return
        if not self.findings:
            print(tr(f"dlstudy.watch: no silent mistakes found in {self.steps} steps.",
                     f"dlstudy.watch: step {self.steps}번에서 조용한 실수를 찾지 못했어요."))
        for finding in self.findings:
            print(finding)


@declare(**Watch.__init__.__contract__)
def watch(model=None, optimizer=None, loss_fn=None, report=True):
    """Watch the training loop in the ``with`` block; print what it finds at the end (``report=False``: stay quiet).

    >>> net = nn.Linear(2, 1); w = watch(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.MSELoss())
    >>> with w:
    ...     pass
    >>> w.findings
    []
    """
    return Watch(model, optimizer, loss_fn, report)


class CallableModule(types.ModuleType):
    """This module, callable: ``dlstudy.watch(model, optimizer, loss_fn)`` is ``watch(model, optimizer, loss_fn)``.

    >>> import dlstudy
    >>> net = nn.Linear(2, 1)
    >>> with dlstudy.watch(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.MSELoss()) as w:
    ...     pass
    >>> w.findings
    []
    """

    def __call__(self, model=None, optimizer=None, loss_fn=None, report=True):
        return watch(model, optimizer, loss_fn, report)


sys.modules[__name__].__class__ = CallableModule
