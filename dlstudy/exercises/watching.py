"""The exercises whose answer is a hand-written training loop run it under ``dlstudy.watch``.

When such a check says "not yet", it adds what the watch found (gradients never cleared, a model left in
evaluation mode, a softmax before ``CrossEntropyLoss``...), with the watch's own fix, so the message names the
bug and not only its effect on the weights. The learner often builds the optimizer inside the answer:
``watched`` then starts the watch when that optimizer is created over the model's parameters.
"""

import contextlib

import torch

from dlstudy.exercises.registry import NotYet
from dlstudy.lang import tr
from dlstudy.watch import Watch

__all__ = ["LOOP_EXERCISES", "LOOP_KINDS", "watched", "advice", "explained"]

# Every exercise whose answer is a training loop written by hand, and how its check watches it (or why not).
LOOP_EXERCISES = {
    "01.5": "not watched: the loop trains two tensors w and b with no model or optimizer object for a watch to "
            "hook; the check names a missed reset or a missing no_grad from the (w, b) it reaches",
    "03.5": "watched: the net given, and the optimizer the answer builds over its parameters",
    "06.2": "watched: the model, the optimizer and the loss function given",
    "11.2": "watched: the model make_model() builds, and the optimizer the answer builds over its parameters",
}


# The findings about the loop itself. The others (a learning rate, the data's scale, the loss at chance) judge the
# settings and the data, which the check chose: they would be noise in an exercise's message.
LOOP_KINDS = ("zero_grad", "order", "no_step", "not_optimized", "no_grad_params", "softmax", "log_softmax",
              "eval_mode", "train_mode", "graph_kept", "eval_grad")


class watched:
    """``with watched(model, optimizer, loss_fn) as w:`` runs the block under ``dlstudy.watch``; ``w.findings``.

    ``model`` may be a function that returns the model (or None) when the optimizer is built; without an
    optimizer the watch starts when the block builds one over the model's parameters.
    """

    def __init__(self, model, optimizer=None, loss_fn=None):
        self.model, self.optimizer, self.loss_fn, self.watch = model, optimizer, loss_fn, None

    def _start(self, optimizer):
        model = self.model() if callable(self.model) and not isinstance(self.model, torch.nn.Module) else self.model
        if self.watch is not None or model is None:
            return
        ours = {id(p) for p in model.parameters()}
        if not any(id(p) in ours for group in optimizer.param_groups for p in group["params"]):
            return
        self.watch = Watch(model, optimizer, self.loss_fn, report=False)
        self.watch.__enter__()

    def __enter__(self):
        self._init = torch.optim.Optimizer.__init__
        if self.optimizer is not None:
            self._start(self.optimizer)
            return self
        start, init = self._start, self._init

        def init_and_watch(optimizer, *args, **kwargs):
            init(optimizer, *args, **kwargs)
            start(optimizer)
        torch.optim.Optimizer.__init__ = init_and_watch
        return self

    def __exit__(self, *error):
        torch.optim.Optimizer.__init__ = self._init
        if self.watch is not None:
            self.watch.__exit__(None, None, None)
        return False

    @property
    def findings(self):
        """What the watch found (``dlstudy.watch``'s findings), [] if it never started."""
        return self.watch.findings if self.watch is not None else []


def advice(findings, ignore=()):
    """The watch's findings as one sentence each: what it saw and the fix, in the learner's language."""
    kept = [f for f in findings if f.kind in LOOP_KINDS and f.kind not in ignore][:2]
    return "".join(" " + tr("dlstudy.watch saw in your loop: {message} Fix: {fix}",
                            "dlstudy.watch가 루프에서 본 것: {message} 고치는 법: {fix}")
                   .format(message=f.message, fix=f.fix) for f in kept)


@contextlib.contextmanager
def explained(watch, ignore=()):
    """A ``NotYet`` raised inside the block gets the watch's findings added to its message.

    A loop whose result is right but in which the watch saw a bug of the loop itself (a model left in evaluation
    mode, which a network without dropout does not show in its weights) is not yet right either.
    """
    try:
        yield
    except NotYet as error:
        extra = advice(watch.findings, ignore)
        if not extra:
            raise
        raise NotYet(str(error) + extra) from None
    extra = advice(watch.findings, ignore)
    if extra:
        raise NotYet(tr("the result is right, but the loop has a bug that these data do not show.",
                        "결과는 맞지만, 이 데이터로는 드러나지 않는 버그가 루프에 있어요.") + extra)
