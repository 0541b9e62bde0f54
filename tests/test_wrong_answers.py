"""Exercises cannot be passed the wrong way, and every right way passes.

For chapter NN, the worked solutions notebook runs top to bottom in a kernel (every check passes
there); then each case of tests/right_answers/chNN.py and tests/wrong_answers/chNN.py redefines the
learner's object and the exercise's own check cell (``check("NN.k", ...)``) runs again. A right answer
must print ✅ pass; a wrong one must print "not yet" and the expected words (the rule it broke or the
failing case; "a|b": either words, for a shortcut refused by whichever rule meets it first). The checks draw fresh random inputs, so every run is a new held-out test.
"""

import functools
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "notebooks" / "solutions"
HERE = Path(__file__).parent
WRONG_TABLES = sorted((HERE / "wrong_answers").glob("ch[0-9][0-9].py"))
RIGHT_TABLES = sorted((HERE / "right_answers").glob("ch[0-9][0-9].py"))


def table(path, name):
    """The list ``name`` (WRONG or RIGHT) of one tests/*_answers/chNN.py file, or [] when there is none."""
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def check_cell(nb, exercise):
    """The source of the code cell that calls check() for ``exercise`` ("02.1")."""
    pattern = re.compile(r"check\(\s*[\"']" + re.escape(exercise) + r"[\"']")
    cells = [c.source for c in nb.cells if c.cell_type == "code" and pattern.search(c.source)]
    if len(cells) != 1:
        raise AssertionError(f"expected one check cell for {exercise!r}, found {len(cells)}")
    return cells[0]


def run_cases(solutions, cases):
    """Run the solutions notebook, then each case's code and its exercise's check cell; return each check's output."""
    nb = nbformat.read(solutions, as_version=4)
    original, appended = nbformat.read(solutions, as_version=4), []  # check cells are looked up before appending
    for case in cases:
        nb.cells.append(nbformat.v4.new_code_cell(case["code"]))
        nb.cells.append(nbformat.v4.new_code_cell(check_cell(original, case["exercise"])))
        appended.append(nb.cells[-1])
    NotebookClient(nb, timeout=600, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(solutions.parent)}}).execute()
    return ["".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
            for cell in appended]


@functools.lru_cache(maxsize=None)
def outputs(chapter):
    """(right cases, their outputs, wrong cases, their outputs) of chapter ``chapter``, from one kernel."""
    right = table(HERE / "right_answers" / f"ch{chapter}.py", "RIGHT")
    wrong = table(HERE / "wrong_answers" / f"ch{chapter}.py", "WRONG")
    (solutions,) = SOLUTIONS.glob(f"{chapter}_*_solutions.ipynb")
    printed = run_cases(solutions, right + wrong)   # right answers first: a wrong one may redefine a chapter name
    return right, printed[:len(right)], wrong, printed[len(right):]


def test_every_chapter_with_exercises_has_a_wrong_answers_table():
    chapters = {p.name[:2] for p in SOLUTIONS.glob("[0-9][0-9]_*_solutions.ipynb")}
    assert chapters and chapters == {t.stem[2:] for t in WRONG_TABLES}


@pytest.mark.parametrize("table_path", WRONG_TABLES, ids=[t.stem for t in WRONG_TABLES])
def test_each_wrong_method_fails_its_check_and_names_the_rule(table_path):
    _, _, cases, printed = outputs(table_path.stem[2:])
    assert cases, f"{table_path.name} lists no wrong answers"
    failures = [f"exercise {case['exercise']!r}: the wrong answer\n{case['code']}\nshould fail with "
                f"{case['expect']!r}; the check printed: {output!r}"
                for case, output in zip(cases, printed)
                if not ("not yet" in output and any(words in output for words in case["expect"].split("|")))]
    assert not failures, f"{len(failures)} of {len(cases)} wrong answers:\n\n" + "\n\n".join(failures)


@pytest.mark.parametrize("table_path", RIGHT_TABLES, ids=[t.stem for t in RIGHT_TABLES])
def test_each_right_answer_passes_its_check(table_path):
    cases, printed, _, _ = outputs(table_path.stem[2:])
    assert cases, f"{table_path.name} lists no right answers"
    failures = [f"exercise {case['exercise']!r}: the right answer\n{case['code']}\nshould pass; the check printed: "
                f"{output!r}" for case, output in zip(cases, printed) if "✅" not in output or "not yet" in output]
    assert not failures, f"{len(failures)} of {len(cases)} right answers:\n\n" + "\n\n".join(failures)
