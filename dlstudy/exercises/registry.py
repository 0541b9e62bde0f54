"""The registry of exercises: each chapter module registers its exercises' tests, rules and hints here.

An exercise states its rule (``Rule``: the allowed operations, no autograd, torch only) or says in
``no_rule_because`` why it needs none. While the learner's answer runs, the rule is in force and the
package's reference solutions refuse to run.
"""

import contextlib
import functools
import inspect
from dataclasses import dataclass

from dlstudy.exercises.nodata import no_data
from dlstudy.exercises.rules import (Recorder, RuleBroken, answer_running, python_numbers, refuse_autograd,
                                     refuse_complex_tensors, refuse_unlisted, torch_only)
from dlstudy.exercises.kept import dtype_change, same, snapshot
from dlstudy.lang import tr

__all__ = ["NotYet", "AnswerError", "expect", "Rule", "Exercise", "exercise", "EXERCISES"]

EXERCISES = {}   # "02.1" -> Exercise


class NotYet(Exception):
    """The answer runs but gives a wrong result; the message names the case."""


class AnswerError(Exception):
    """The learner's answer raised ``error`` (kept as ``__cause__``); the check reports it in one line."""


def expect(condition, en, ko, **values):
    """Raise ``NotYet`` with the message (in the learner's language, formatted with ``values``) unless ``condition``.

    >>> expect(True, "fine", "좋아요")
    >>> expect(False, "wrong on {case}", "{case}에서 틀려요", case="X of shape (3,)")
    Traceback (most recent call last):
    ...
    dlstudy.exercises.registry.NotYet: wrong on X of shape (3,)
    """
    if not condition:
        raise NotYet(tr(en, ko).format(**values))


@dataclass(frozen=True)
class Rule:
    """What the answer may run while it runs.

    ``allow``: the operation families it may run (None: any); ``no_autograd``: no autograd in any form;
    ``torch_only``: no NumPy / SciPy / scikit-learn (``lists``: nor ``.tolist()``); ``no_complex``: no complex
    numbers (Python's ``1j``, ``complex()``, ``cmath``, complex tensors); ``no_data``: no ``.data`` (changes inside
    ``torch.no_grad()``); ``check_op(name, func,
    args)``: one more test of each operation, raising ``RuleBroken``; ``why``: the rule in words (en, ko).
    """

    why: tuple
    allow: frozenset = None
    no_autograd: bool = False
    torch_only: bool = False
    lists: bool = True
    check_op: object = None
    derive_from: frozenset = None      # recorder.derived(result): computed from one of these operations' outputs
    no_complex: bool = False           # no complex numbers (Python's or torch's): the complex step is not by hand
    python_ok: frozenset = frozenset()  # math functions allowed on Python numbers only (math.exp in 10.1's Value)
    no_data: bool = False              # no tensor.data: changes go through torch.no_grad()

    def refuse(self, name, func, args):
        """Raise ``RuleBroken`` if the operation breaks the rule."""
        if self.no_autograd:
            refuse_autograd(name, args, self.why)
        if self.allow is not None:
            refuse_unlisted(name, self.allow, self.why)
        if self.no_complex:
            refuse_complex_tensors(name, args, self.why)
        if self.check_op is not None:
            self.check_op(name, func, args)

    @contextlib.contextmanager
    def active(self):
        """Enforce the rule inside the block; yields the recorder (its ``names``: the operations that ran)."""
        with contextlib.ExitStack() as stack:
            if self.torch_only:
                stack.enter_context(torch_only(self.why, lists=self.lists))
            if self.allow is not None or self.no_complex:
                stack.enter_context(python_numbers(self))
            if self.no_data:
                stack.enter_context(no_data(self.why))
            yield stack.enter_context(Recorder(self.refuse, derive_from=self.derive_from))


@dataclass
class Exercise:
    """One exercise: id ("02.1"), title (en, ko), test(*answers), hints [(en, ko), ...], and its rule."""

    id: str
    title: tuple
    test: object
    hints: list
    rule: Rule = None
    no_rule_because: str = None
    refuse: tuple = ()        # the chapter's own functions that solve the exercise: switched off while it runs
    changes: object = ()      # arguments (positions, keyword names) the answer is asked to change; "*": any
    keeps_dtype: bool = False  # a floating result must have the floating inputs' dtype
    around: object = None     # set by run(): answer -> a context manager around each of its calls

    def guard(self, answer):
        """``answer`` wrapped so that each call runs under the rule, with the references locked.

        After each call, the wrapper's ``ops`` lists the operation families that call ran, and ``recorder``
        is its ``Recorder`` (``backward_passes``: how often the autograd engine ran).
        """
        if not callable(answer) or isinstance(answer, type):
            return answer

        around = self.around or (lambda answer: contextlib.nullcontext())

        @functools.wraps(answer)
        def guarded(*args, **kwargs):
            kept = self._snapshots(args, kwargs)
            with answer_running(), around(answer), \
                    (self.rule.active() if self.rule else Recorder()) as recorder:
                try:
                    result = answer(*args, **kwargs)
                except NotImplementedError as error:
                    if str(error):                      # torch's "not implemented", not the untouched stub
                        raise AnswerError(error) from error
                    raise
                except (RuleBroken, NotYet):
                    raise
                except Exception as error:
                    raise AnswerError(error) from error
                finally:
                    guarded.ops, guarded.recorder = recorder.names, recorder
            self._inputs_kept(answer, args, kwargs, kept)
            if self.keeps_dtype:
                changed = dtype_change(result, list(args) + list(kwargs.values()))
                expect(changed is None, "keep the inputs' dtype: for {want} inputs your answer returns {got} "
                       "(a .double() / .float() or a float64 constant changes it).", "입력의 dtype을 유지하세요: "
                       "{want} 입력에 대해 답이 {got}을(를) 돌려줘요 (.double() / .float()나 float64 상수가 바꿔요).",
                       got=str(changed and changed[0])[6:], want=str(changed and changed[1])[6:])
            return result
        guarded.ops, guarded.recorder = [], None
        return guarded

    def _snapshots(self, args, kwargs):
        """Copies of the arguments the exercise does not ask the answer to change (see ``changes``)."""
        if self.changes == "*":
            return {}
        kept = {i: snapshot(a) for i, a in enumerate(args) if i not in self.changes}
        kept.update({k: snapshot(a) for k, a in kwargs.items() if k not in self.changes})
        return kept

    def _inputs_kept(self, answer, args, kwargs, kept):
        """Raise ``NotYet`` naming the first argument that the call changed in place."""
        try:
            names = list(inspect.signature(answer).parameters)
        except (TypeError, ValueError):
            names = []
        for where, snap in kept.items():
            value = args[where] if isinstance(where, int) else kwargs[where]
            if not same(value, snap):
                name = where if isinstance(where, str) else names[where] if where < len(names) else \
                    tr("number {n}", "{n}번째").format(n=where + 1)
                expect(False, "leave your inputs as they are: your code changed its argument {name} in place "
                       "(X -= ..., x.sigmoid_(), w[...] = ... or an optimizer step write into the caller's "
                       "tensor); compute new tensors instead (X = X - ...).", "입력은 그대로 두세요: 코드가 인자 "
                       "{name}을(를) 제자리에서 바꿨어요 (X -= ..., x.sigmoid_(), w[...] = ..., 옵티마이저 step은 "
                       "호출한 쪽의 텐서에 써요). 대신 새 텐서를 만드세요 (X = X - ...).", name=name)

    def run(self, *answers, around=None):
        """Run the test on the learner's answers; raises NotImplementedError, NotYet, RuleBroken or AnswerError.

        ``around(answer)``, if given, is one more context manager for every call of an answer (``check``
        switches off the chapter's own helpers named in ``refuse`` with it).
        """
        self.around = around
        try:
            return self.test(*[self.guard(answer) for answer in answers])
        finally:
            self.around = None


def exercise(exercise_id, title, hints, rule=None, no_rule_because=None, refuse=(), changes=(), keeps_dtype=False):
    """Register the decorated test as exercise ``exercise_id``.

    It needs an allowed-operations rule, or ``no_rule_because`` saying why not (a rule without an
    allowed list, e.g. no autograd or torch only, may come with that reason). ``refuse`` names the
    chapter notebook's own functions that would solve the exercise, and modules (dotted names such as
    "torch.distributions") that would; they are switched off while the answer runs. Every call must leave
    its arguments as they were, except those in ``changes`` (positions or keyword names; "*": all);
    ``keeps_dtype``: a floating result must keep the floating inputs' dtype (float32 in, float32 out).
    """
    if (rule is None or rule.allow is None) and not no_rule_because:
        raise ValueError(f"exercise {exercise_id}: give an allowed-operations rule (Rule(allow=...)) or say in "
                         "no_rule_because= why the exercise needs none")

    def register(test):
        EXERCISES[exercise_id] = Exercise(exercise_id, title, test, list(hints), rule, no_rule_because, tuple(refuse),
                                          changes=changes if changes == "*" else tuple(changes),
                                          keeps_dtype=keeps_dtype)
        return test
    return register
