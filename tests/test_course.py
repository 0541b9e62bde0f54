"""Course hygiene without a kernel: template parts, clean stored outputs, solutions, glossary."""

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from helpers import COLAB_CELL, NETWORK, REPOSITORY

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GLOSSARY = NOTEBOOKS / "glossary.md"
CHAPTERS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]_*_solutions.ipynb"))
EXPECTED = ["00_tensors_and_devices", "01_autograd", "02_sigmoid_and_activations", "03_perceptron_and_xor",
            "04_regression", "05_classification_and_evaluation", "06_training_workflow", "07_cnn",
            "08_optimizers", "09_regularization_and_initialization", "10_backprop_from_scratch",
            "11_training_in_practice"]
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
GLOSSED = re.compile(r"\*\*([^*()]+?) \(([^()*]*[\uac00-\ud7a3][^()*]*)\)\*\*")
TIMERS = ("perf_counter", "timeit", "time.time(", "process_time")
HINT_SHOWN = ("💡", "Hint:")
MAX_BYTES = 1_500_000


def _source(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def _assigns(code):
    return any(re.match(r"^\s*[\w\s,.\[\]]+?\s*[+\-*/]?=(?!=)", line) for line in code.splitlines())


def notebook_problems(path, chapter=True):
    """Every hygiene problem of one notebook, as readable strings (empty when clean)."""
    problems, path = [], Path(path)
    if path.stat().st_size > MAX_BYTES:
        problems.append(f"size {path.stat().st_size / 1e6:.2f} MB > 1.5 MB: use fewer or smaller figures")
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(_source(c) for c in nb.cells if c.cell_type == "markdown")
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    if chapter:
        number = path.name[:2]
        if not nb.cells or not re.match(rf"# {number}\. \S", _source(nb.cells[0])):
            problems.append(f"the first cell must start with the title '# {number}. ...'")
        if "What you will be able to do" not in markdown:
            problems.append("no 'What you will be able to do' goals")
        for heading in ("## Summary", "## Exercises"):
            if not re.search(rf"^{heading}\b", markdown, flags=re.M):
                problems.append(f"no '{heading}' section")
        if "glossary" not in markdown.lower():
            problems.append("no link to the glossary")
    if not code_cells or _source(code_cells[0]) != COLAB_CELL:
        problems.append("the first code cell must be the Colab install cell (COLAB_CELL in tests/helpers.py)")
    counts = [c.execution_count for c in code_cells if _source(c).strip()]
    if counts != list(range(1, len(counts) + 1)):
        problems.append(f"code cells were not executed top to bottom in one run: {counts[:12]}...")
    for i, cell in enumerate(code_cells):
        code = _source(cell)
        raises, ignored = "NBVAL_RAISES_EXCEPTION" in code, "NBVAL_IGNORE_OUTPUT" in code
        for out in cell.get("outputs", []):
            if out.output_type == "error" and not raises:
                problems.append(f"code cell {i + 1} stored an error ({out.ename}) without NBVAL_RAISES_EXCEPTION")
            data = out.get("data", {})
            if "image/svg+xml" in data:
                problems.append(f"code cell {i + 1} stores an SVG figure (use PNG)")
            texts = [out.get("text", "")] + [data.get(k, "") for k in ("text/plain", "text/html")]
            if not ignored and any(ADDRESS.search("".join(t)) for t in texts):
                problems.append(f"code cell {i + 1} prints a memory address in a compared output")
        shown = "".join(out.get("text", "") for out in cell.get("outputs", []) if out.output_type == "stream")
        if any(marker in shown for marker in HINT_SHOWN):
            problems.append(f"code cell {i + 1} stores an exercise hint in its output (hints only on request)")
        if re.search(r"\bassert\b", code) and any(timer in code for timer in TIMERS):
            problems.append(f"code cell {i + 1} asserts in a cell that measures time (no timing asserts)")
        for word in NETWORK:
            if word in code and code != COLAB_CELL:
                problems.append(f"code cell {i + 1} reaches for the network ({word})")
        if ignored and _assigns(code):
            following = code_cells[i + 1] if i + 1 < len(code_cells) else None
            if following is None or "assert" not in _source(following):
                problems.append(f"code cell {i + 1} ignores its output but the next cell asserts nothing")
    return problems


def glossary_rows(glossary=GLOSSARY):
    """The glossary table's rows, without its header and separator lines."""
    return [line for line in Path(glossary).read_text(encoding="utf-8").splitlines() if line.startswith("|")][2:]


def glossary_terms(glossary=GLOSSARY):
    """English terms (lower case) in the glossary's table; a row may list synonyms as "a / b"."""
    first_cells = [row.strip("|").split("|")[0] for row in glossary_rows(glossary)]
    return {name.strip().lower() for cell in first_cells for name in cell.split(" / ")}


def glossed_terms(path):
    """Terms a notebook introduces as **term (한국어)**."""
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(_source(c) for c in nb.cells if c.cell_type == "markdown")
    return {m.group(1).strip() for m in GLOSSED.finditer(text)}


def missing_from_glossary(path, glossary=GLOSSARY):
    """Terms a notebook glosses in Korean that the glossary lacks; "hyperbolic tangent, tanh" may be two rows."""
    known = glossary_terms(glossary)

    def found(term):
        return term.lower() in known or all(name.lower() in known for name in term.split(", "))

    return sorted(term for term in glossed_terms(path) if not found(term))


def test_every_chapter_has_its_solutions_notebook():
    names = [p.stem for p in CHAPTERS]
    assert names and names == EXPECTED[:len(names)], "chapters are named as in the course map"
    assert [p.stem for p in SOLUTIONS] == [f"{name}_solutions" for name in names]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_hygiene(path):
    assert notebook_problems(path) == []


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solutions_hygiene_and_every_check_passes(path):
    assert notebook_problems(path, chapter=False) == []
    text = path.read_text(encoding="utf-8")
    assert "✅" in text and "⏳" not in text, "a self-check in the solutions does not pass"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_check_themselves_without_raising(path):
    text = path.read_text(encoding="utf-8")
    assert "from dlstudy.exercises import check" in text and "⏳" in text


CORE_TERMS = """tensor, gradient, autograd, backpropagation, chain rule, loss function, cost function, MSE, MAE,
Huber loss, cross-entropy, NLL, BCE, sigmoid, tanh, ReLU, Leaky ReLU, vanishing gradient, perceptron, MLP,
decision boundary, epoch, batch, mini-batch, learning rate, optimizer, momentum, Adam, RMSProp, Adagrad,
overfitting, regularization, L1 regularization, L2 regularization, weight decay, dropout, batch normalization,
early stopping, data augmentation, convolution, kernel, filter, feature map, padding, stride, pooling, flatten,
confusion matrix, precision, recall, F1 score, ROC curve, AUC, cross-validation"""


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_glossed_terms_are_in_the_glossary(path):
    assert glossed_terms(path), "a chapter glosses its key terms as **term (한국어)**"
    assert missing_from_glossary(path) == [], "add these terms to notebooks/glossary.md"


def test_glossary_covers_the_core_terms_and_is_linked_from_the_readme():
    known = glossary_terms()
    core = [term.strip() for term in CORE_TERMS.split(",")]
    assert [term for term in core if term.lower() not in known] == []
    rows = glossary_rows()
    assert all(row.count(" | ") == 3 for row in rows), "every row has English, 한국어, Definition, Chapter"
    assert all(re.search(r"[\uac00-\ud7a3]", row.split(" | ")[1]) for row in rows), "every row has a Korean name"
    for row in rows:
        for chapter in re.findall(r"\]\(([^)]+\.ipynb)\)", row):
            assert (NOTEBOOKS / chapter).exists(), f"{row[:40]}... links to a missing chapter {chapter}"
    assert "notebooks/glossary.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_glossary_check_catches_a_term_the_glossary_lacks(tmp_path):
    glossary = tmp_path / "glossary.md"
    glossary.write_text("| English | 한국어 | Definition | Chapter |\n|---|---|---|---|\n"
                        "| tanh / hyperbolic tangent | 하이퍼볼릭 탄젠트 | An S-curve. | [02](02.ipynb) |\n")
    text = "The **hyperbolic tangent, tanh (하이퍼볼릭 탄젠트)** and the **perceptron (퍼셉트론)**."
    path = _write(tmp_path, [nbformat.v4.new_markdown_cell(text)])
    assert missing_from_glossary(path, glossary) == ["perceptron"]


def _write(tmp_path, cells, name="03_broken.ipynb"):
    nb = nbformat.v4.new_notebook(cells=cells)
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_the_checks_catch_a_deliberately_broken_notebook(tmp_path):
    error = nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=[])
    svg = nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg/>", "text/plain": "<Figure>"})
    address = nbformat.v4.new_output("execute_result", data={"text/plain": "<Net object at 0x7f3a2c1d9e80>"},
                                     execution_count=3)
    cells = [
        nbformat.v4.new_markdown_cell("# A chapter without the template"),
        nbformat.v4.new_code_cell("x = 1 / 0", execution_count=1, outputs=[error]),
        nbformat.v4.new_code_cell("plt.plot([1, 2])", execution_count=2, outputs=[svg]),
        nbformat.v4.new_code_cell("net", execution_count=3, outputs=[address]),
        nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\nacc = train()", execution_count=5),
        nbformat.v4.new_code_cell("print(acc)", execution_count=6),
        nbformat.v4.new_code_cell("load_mnist('data', download=True)", execution_count=7),
        nbformat.v4.new_code_cell("check('1. f', test, hints=('nudge',))", execution_count=8, outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="⏳ 1. f: not yet. Hint: torch.full((k, k), 1)")]),
        nbformat.v4.new_code_cell("t = time.perf_counter(); f(); assert time.perf_counter() - t < 1",
                                  execution_count=9),
    ]
    found = "\n".join(notebook_problems(_write(tmp_path, cells)))
    for expected in ("title '# 03. ...'", "goals", "Colab install cell", "'## Summary'", "'## Exercises'", "glossary",
                     "top to bottom", "stored an error (ValueError)", "SVG", "memory address",
                     "next cell asserts nothing", "network (download=True)", "stores an exercise hint",
                     "measures time"):
        assert expected in found, f"not caught: {expected}"
    big = _write(tmp_path, [nbformat.v4.new_markdown_cell("x" * (MAX_BYTES + 10))], name="09_big.ipynb")
    assert any("MB > 1.5 MB" in p for p in notebook_problems(big))


def test_a_clean_notebook_passes_and_glossed_terms_are_found(tmp_path):
    cells = [
        nbformat.v4.new_markdown_cell("# 03. Title\n\n**What you will be able to do**\n\n[glossary](glossary.md)\n\n"
                                      "The **perceptron (퍼셉트론)** is old."),
        nbformat.v4.new_code_cell(COLAB_CELL, execution_count=1),
        nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\nacc = 0.99", execution_count=2),
        nbformat.v4.new_code_cell("assert acc > 0.9", execution_count=3),
        nbformat.v4.new_markdown_cell("## Summary\n\n## Exercises"),
    ]
    path = _write(tmp_path, cells)
    assert notebook_problems(path) == []
    assert glossed_terms(path) == {"perceptron"}


def test_notebooks_are_valid_json_with_a_python_kernel():
    for path in CHAPTERS + SOLUTIONS:
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
        assert meta["kernelspec"]["name"] == "python3", path.name


def _run_colab_cell(monkeypatch, on_colab, installed):
    """Run the Colab cell as IPython would, recording the magics it calls instead of running them."""
    from IPython.core.inputtransformer2 import TransformerManager
    import importlib.util
    calls = []

    class FakeShell:
        def run_line_magic(self, name, line):
            calls.append((name, line))

    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", object())
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object() if installed else None)
    exec(TransformerManager().transform_cell(COLAB_CELL), {"get_ipython": FakeShell})
    return calls


def test_the_colab_cell_installs_from_the_repository_only_on_colab_and_only_once(monkeypatch):
    assert _run_colab_cell(monkeypatch, on_colab=False, installed=False) == []
    assert _run_colab_cell(monkeypatch, on_colab=True, installed=True) == []
    [(magic, line)] = _run_colab_cell(monkeypatch, on_colab=True, installed=False)
    assert magic == "pip" and line == f'install --quiet "dlstudy @ git+{REPOSITORY}"'
