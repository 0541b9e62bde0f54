"""Self-checks for the chapter exercises: ``check("02.1", sigmoid_derivative)`` prints ✅ pass or ⏳ not yet.

A check runs the exercise's test, which lives in the package (``dlstudy.exercises.chNN``), on fresh
random inputs, with the exercise's rule in force while your answer runs (the operations it allows, no
autograd where the gradient is by hand, torch only). It never raises. ``hint("02.1")`` (or ``hint(1)``)
prints the next hint: a nudge first, then the method, never the code; a second failed check shows the
next hint by itself.
"""

import importlib
import pkgutil
import re

import torch

from dlstudy.contract import Anything, Key, declare
from dlstudy.exercises.effects import LIBRARIES, chapter_functions, refuse_calls
from dlstudy.exercises.kept import dtype_mismatch
from dlstudy.exercises.registry import EXERCISES, AnswerError, NotYet
from dlstudy.exercises.rules import RuleBroken
from dlstudy.lang import tr

__all__ = ["check", "hint", "exercise_ids", "RuleBroken", "NotYet"]

_ID = re.compile(r"^(\d\d)\.(\d+)$")
_shown = {}      # exercise id -> hints shown so far
_failures = {}   # exercise id -> failed checks so far
_checked = []    # exercise ids checked in this kernel, most recent last


def _lookup(exercise_id):
    """The registered exercise, importing its chapter module on first use; None if there is none."""
    match = _ID.match(str(exercise_id))
    if not match:
        return None
    if exercise_id not in EXERCISES:
        try:
            importlib.import_module(f"dlstudy.exercises.ch{match.group(1)}")
        except ModuleNotFoundError:
            return None
    return EXERCISES.get(exercise_id)


CHAPTERS = sorted(info.name[2:] for info in pkgutil.iter_modules(__path__) if re.fullmatch(r"ch\d\d", info.name))
NEVER_RAISES = ("any value: check and hint never raise by design; an unknown id prints ⏳ (or a line) naming it "
                "with the fix")


@declare(chapter=Key(CHAPTERS, "a chapter with exercises"))
def exercise_ids(chapter):
    """The ids of chapter ``chapter``'s exercises ("02" -> ["02.1", ...]).

    >>> exercise_ids("02")[:2]
    ['02.1', '02.2']
    """
    importlib.import_module(f"dlstudy.exercises.ch{chapter}")
    return sorted((i for i in EXERCISES if i.startswith(f"{chapter}.")), key=lambda i: int(i.split(".")[1]))


def _name(ex):
    return f"{ex.id} {tr(*ex.title)}"


def _next_hint(ex):
    shown = _shown.get(ex.id, 0)
    if shown >= len(ex.hints):
        return None
    _shown[ex.id] = shown + 1
    return tr("💡 Hint {n} of {total} for {name}: {text}", "💡 {name} 힌트 {n}/{total}: {text}").format(
        n=shown + 1, total=len(ex.hints), name=_name(ex), text=tr(*ex.hints[shown]))


@declare(key=Anything(NEVER_RAISES))
def hint(key):
    """Print the next hint of exercise ``key`` ("02.1", or its number 1 within the chapter checked last).

    >>> hint("02.1")
    💡 Hint 1 of 2 for 02.1 The sigmoid's derivative by hand: The sigmoid's derivative is built from the sigmoid's own output.
    """
    exercise_id = str(key)
    if not _ID.match(exercise_id):
        recent = [i for i in reversed(_checked) if i.split(".")[1] == exercise_id]
        if not recent:
            print(tr(f"No exercise {key!r} has been checked in this notebook yet: run its check cell first, or "
                     f"ask by its full id, e.g. hint(\"NN.{key}\").",
                     f"이 노트북에서 아직 {key!r}번 연습을 검사하지 않았어요. 먼저 검사 셀을 실행하거나, "
                     f"hint(\"NN.{key}\")처럼 전체 번호로 물어보세요."))
            return
        exercise_id = recent[0]
    ex = _lookup(exercise_id)
    if ex is None:
        print(tr(f"There is no exercise {exercise_id!r}.", f"{exercise_id!r} 연습은 없어요."))
        return
    print(_next_hint(ex) or tr(f"No more hints for {_name(ex)}: the worked solution is in notebooks/solutions/.",
                               f"{_name(ex)}의 힌트는 여기까지예요. 풀이는 notebooks/solutions/에 있어요."))


_DTYPE_WORDS = {"Double": "float64", "Float": "float32", "Half": "float16", "Long": "int64", "Int": "int32"}


def _one_line(error):
    text = (str(error).splitlines() or [""])[0]
    text = text if len(text) <= 300 else text[:297] + "..."
    return text if text.endswith((".", "!", "?", "…", ")")) or not text else text + "."


def _switch_off_helpers(ex):
    """answer -> a context manager in which the chapter's functions (and modules) in ``ex.refuse`` raise."""
    names = [name for name in ex.refuse if "." not in name]
    modules = tuple(name for name in ex.refuse if "." in name)          # e.g. "torch.distributions"
    if ex.rule is not None and ex.rule.torch_only:                       # scikit-learn on Python numbers too
        modules += LIBRARIES
    why = ex.rule.why if ex.rule is not None else ("write it yourself", "직접 써 보세요")
    return lambda answer: refuse_calls(modules, chapter_functions(answer, *names), why)


def _sentence(error):
    """The check's message in one line, its first word capitalized when it is a plain word ("for", "return")."""
    text = (str(error).splitlines() or [""])[0]
    text = text if len(text) <= 600 else text[:597] + "..."
    return text[:1].upper() + text[1:] if re.match(r"([a-z]{3,}|a|an|in|no|on|of|to|if|at|by|do) ", text) else text


@declare(exercise_id=Anything(NEVER_RAISES))
def check(exercise_id, *answers):
    """Run exercise ``exercise_id``'s test on your answer(s) and print ✅ or ⏳; returns True or False, never raises.

    >>> import torch
    >>> check("02.1", lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)))
    ✅ 02.1 The sigmoid's derivative by hand: pass
    True
    >>> def stub(x): raise NotImplementedError
    >>> check("02.1", stub)
    ⏳ 02.1 The sigmoid's derivative by hand: not yet. Stuck? hint("02.1") gives a nudge.
    False
    """
    ex = _lookup(exercise_id)
    if ex is None:
        print(tr(f"⏳ There is no exercise {exercise_id!r}; check the id in the check cell.",
                 f"⏳ {exercise_id!r} 연습은 없어요. 검사 셀의 번호를 확인하세요."))
        return False
    if exercise_id in _checked:
        _checked.remove(exercise_id)
    _checked.append(exercise_id)
    problem = ""
    try:
        with torch.random.fork_rng(devices=[]):        # the check's random numbers leave the learner's alone
            ex.run(*answers, around=_switch_off_helpers(ex))
        passed = True
    except NotImplementedError:
        passed = False
    except RuleBroken as error:
        passed, problem = False, " " + tr("Rule: ", "규칙: ") + _sentence(error)
    except NotYet as error:
        passed, problem = False, " " + _sentence(error)
    except AnswerError as wrapped:
        error = wrapped.__cause__
        passed, problem = False, " " + tr("Your code raised {kind}: {text}", "코드에서 {kind} 오류가 났어요: {text}") \
            .format(kind=type(error).__name__, text=_one_line(error))
    except Exception as error:  # the answer returned something the check could not use
        mismatch = dtype_mismatch(str(error))
        passed, problem = False, " " + (tr("Keep the inputs' dtype: your answer gave {a} numbers where the check "
                                           "works with {b} (a .double() / .float(), or a constant of another dtype?).",
                                           "입력의 dtype을 유지하세요: 검사는 {b}로 계산하는데 답이 {a}를 돌려줬어요 "
                                           "(.double() / .float()나 다른 dtype의 상수인가요?).").format(
            a=_DTYPE_WORDS.get(mismatch[0], mismatch[0]), b=_DTYPE_WORDS.get(mismatch[1], mismatch[1]))
            if mismatch else tr("The check could not use your answer ({kind}: {text}).",
                                          "검사기가 답을 쓸 수 없었어요 ({kind}: {text}).") \
            .format(kind=type(error).__name__, text=_one_line(error)))
    if passed:
        print(tr("✅ {name}: pass", "✅ {name}: 통과").format(name=_name(ex)))
        return True
    _failures[exercise_id] = _failures.get(exercise_id, 0) + 1
    line = tr("⏳ {name}: not yet.", "⏳ {name}: 아직이에요.").format(name=_name(ex)) + problem
    if _failures[exercise_id] == 1:
        print(line + tr(f" Stuck? hint(\"{exercise_id}\") gives a nudge.",
                        f" 막히면 hint(\"{exercise_id}\")로 힌트를 볼 수 있어요."))
    else:
        shown = _next_hint(ex)
        print(line + (f"\n{shown}" if shown else ""))
    return False
