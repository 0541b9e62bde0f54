"""The registry of exercises: each chapter module registers its exercises' tests, rules and hints here.

An exercise states its rule (``Rule``: the allowed operations, no autograd, torch only) or says in
``no_rule_because`` why it needs none. While the learner's answer runs, the rule is in force and the
package's reference solutions refuse to run.
"""

import contextlib
import functools
from dataclasses import dataclass

from dlstudy.exercises.rules import (Recorder, RuleBroken, answer_running, refuse_autograd, refuse_unlisted,
                                     torch_only)
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
    ``torch_only``: no NumPy / SciPy / scikit-learn (``lists``: nor ``.tolist()``); ``check_op(name, func,
    args)``: one more test of each operation, raising ``RuleBroken``; ``why``: the rule in words (en, ko).
    """

    why: tuple
    allow: frozenset = None
    no_autograd: bool = False
    torch_only: bool = False
    lists: bool = True
    check_op: object = None

    def refuse(self, name, func, args):
        """Raise ``RuleBroken`` if the operation breaks the rule."""
        if self.no_autograd:
            refuse_autograd(name, args, self.why)
        if self.allow is not None:
            refuse_unlisted(name, self.allow, self.why)
        if self.check_op is not None:
            self.check_op(name, func, args)

    @contextlib.contextmanager
    def active(self):
        """Enforce the rule inside the block; yields the recorder (its ``names``: the operations that ran)."""
        with contextlib.ExitStack() as stack:
            if self.torch_only:
                stack.enter_context(torch_only(self.why, lists=self.lists))
            yield stack.enter_context(Recorder(self.refuse))


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
            with answer_running(), around(answer), \
                    (self.rule.active() if self.rule else Recorder()) as recorder:
                try:
                    return answer(*args, **kwargs)
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
        guarded.ops, guarded.recorder = [], None
        return guarded

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


def exercise(exercise_id, title, hints, rule=None, no_rule_because=None, refuse=()):
    """Register the decorated test as exercise ``exercise_id``.

    It needs an allowed-operations rule, or ``no_rule_because`` saying why not (a rule without an
    allowed list, e.g. no autograd or torch only, may come with that reason). ``refuse`` names the
    chapter notebook's own functions that would solve the exercise, and modules (dotted names such as
    "torch.distributions") that would; they are switched off while the answer runs.
    """
    if (rule is None or rule.allow is None) and not no_rule_because:
        raise ValueError(f"exercise {exercise_id}: give an allowed-operations rule (Rule(allow=...)) or say in "
                         "no_rule_because= why the exercise needs none")

    def register(test):
        EXERCISES[exercise_id] = Exercise(exercise_id, title, test, list(hints), rule, no_rule_because, tuple(refuse))
        return test
    return register
