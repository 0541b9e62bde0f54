"""Exercises cannot be passed the wrong way: each wrong method in tests/wrong_answers/chNN.py fails its check.

For chapter NN, the worked solutions notebook runs top to bottom in a kernel (every check
passes there); then, for each wrong answer, its code redefines the learner's object and the
exercise's own check cell runs again. Its output must say "not yet" and name the broken rule.
"""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "notebooks" / "solutions"
TABLES = sorted((Path(__file__).parent / "wrong_answers").glob("ch[0-9][0-9].py"))


def wrong_answers(table):
    """The WRONG list of one tests/wrong_answers/chNN.py file."""
    spec = importlib.util.spec_from_file_location(table.stem, table)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WRONG


def check_cell(nb, exercise):
    """The source of the code cell that calls check() for ``exercise``."""
    pattern = re.compile(r"check\(\s*[\"']" + re.escape(exercise) + r"[\"']")
    cells = [c.source for c in nb.cells if c.cell_type == "code" and pattern.search(c.source)]
    if len(cells) != 1:
        raise AssertionError(f"expected one check cell for {exercise!r}, found {len(cells)}")
    return cells[0]


def run_wrong_answers(solutions, cases):
    """Run the solutions notebook, then each wrong answer and its check; return each check's output."""
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


def test_every_chapter_with_exercises_has_a_wrong_answers_table():
    chapters = {p.name[:2] for p in SOLUTIONS.glob("[0-9][0-9]_*_solutions.ipynb")}
    assert chapters and chapters == {t.stem[2:] for t in TABLES}


@pytest.mark.parametrize("table", TABLES, ids=[t.stem for t in TABLES])
def test_each_wrong_method_fails_its_check_and_names_the_rule(table):
    cases = wrong_answers(table)
    assert cases, f"{table.name} lists no wrong answers"
    (solutions,) = SOLUTIONS.glob(f"{table.stem[2:]}_*_solutions.ipynb")
    outputs = run_wrong_answers(solutions, cases)
    for case, output in zip(cases, outputs):
        assert "not yet" in output and case["expect"] in output, (
            f"{solutions.name}, exercise {case['exercise']!r}: the wrong answer\n{case['code']}\n"
            f"should fail with {case['expect']!r}; the check printed: {output!r}")
