"""The registry of exercises: each chapter module registers its exercises' tests, rules and hints here.

An exercise states its rule (``Rule``: the allowed operations, no autograd, torch only) or says in
``no_rule_because`` why it needs none. While the learner's answer runs, the rule is in force and the
package's reference solutions refuse to run.
"""

import contextlib
import functools
from dataclasses import dataclass

from dlstudy.exercises.rules import Recorder, RuleBroken, _autograd_in, allowed, answer_running, torch_only
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
    """What the answer may run: ``allow`` (operation families, None = any), ``no_autograd``, ``torch_only``."""

    why: tuple
    allow: frozenset = None
    no_autograd: bool = False
    torch_only: bool = False
    lists: bool = True        # with torch_only: refuse .tolist() too

    @contextlib.contextmanager
    def active(self):
        """Enforce the rule inside the block; yields the recorder (its ``names``: the operations that ran)."""
        with contextlib.ExitStack() as stack:
            if self.torch_only:
                stack.enter_context(torch_only(self.why, lists=self.lists))
            if self.allow is not None:
                recorder = stack.enter_context(allowed(self.allow, self.why))
            else:
                recorder = stack.enter_context(Recorder())
            if self.no_autograd:
                check_op, why = recorder.refuse, self.why

                def refuse(name, func, args):
                    reason = _autograd_in(name, args)
                    if reason:
                        raise RuleBroken(tr("this exercise computes the gradient without autograd ({why}), but "
                                            "{reason}.", "이 연습은 자동 미분 없이 기울기를 구해요 ({why}). 그런데 "
                                            "{reason}.").format(why=tr(*why), reason=reason))
                    if check_op is not None:
                        check_op(name, func, args)
                recorder.refuse = refuse
            yield recorder


@dataclass
class Exercise:
    """One exercise: id ("02.1"), title (en, ko), test(*answers), hints [(en, ko), ...], and its rule."""

    id: str
    title: tuple
    test: object
    hints: list
    rule: Rule = None
    no_rule_because: str = None

    def guard(self, answer):
        """``answer`` wrapped so that each call runs under the rule, with the references locked.

        After each call, the wrapper's ``ops`` lists the operation families that call ran.
        """
        if not callable(answer) or isinstance(answer, type):
            return answer

        @functools.wraps(answer)
        def guarded(*args, **kwargs):
            with answer_running(), (self.rule.active() if self.rule else Recorder()) as recorder:
                try:
                    return answer(*args, **kwargs)
                except (NotImplementedError, RuleBroken, NotYet):
                    raise
                except Exception as error:
                    raise AnswerError(error) from error
                finally:
                    guarded.ops = recorder.names
        guarded.ops = []
        return guarded

    def run(self, *answers):
        """Run the test on the learner's answers; raises NotImplementedError, NotYet, RuleBroken or theirs."""
        return self.test(*[self.guard(answer) for answer in answers])


def exercise(exercise_id, title, hints, rule=None, no_rule_because=None):
    """Register the decorated test as exercise ``exercise_id``; it must have a rule or say why it has none."""
    if (rule is None) == (no_rule_because is None):
        raise ValueError(f"exercise {exercise_id}: give exactly one of rule= and no_rule_because=")

    def register(test):
        EXERCISES[exercise_id] = Exercise(exercise_id, title, test, list(hints), rule, no_rule_because)
        return test
    return register
