"""The Korean edition cannot drift: every English cell has a translation of its current text, the Korean code is
the English code (comments aside), the glossary's Korean is used, and notebooks/ko is what the build writes.

The drift rules themselves are tested on a small course made in a temporary folder: editing an English markdown
cell, a code cell or a code comment makes the check fail and name the cell; translating again makes it pass.
"""

import importlib.util
import io
import random
import tokenize
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("ko_tool", ROOT / "tools" / "ko.py")
ko = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ko)

ENGLISH = ko.english_notebooks()
ROWS = ko.glossary()


@pytest.mark.parametrize("rel", ENGLISH)
def test_the_korean_notebook_is_in_step_with_the_english_one(rel):
    found = ko.problems(rel, ROWS) + ko.build_differences(rel)
    assert not found, f"{len(found)} problems; fix them, then `make ko`:\n" + "\n".join(found[:30])


def test_every_korean_notebook_has_an_english_source():
    korean = sorted(p.relative_to(ko.KO).as_posix() for p in ko.KO.rglob("*.ipynb")
                    if ".ipynb_checkpoints" not in p.parts)
    assert korean == sorted(ENGLISH)


def test_korean_notebooks_speak_korean_from_their_first_cells():
    for rel in ENGLISH:
        nb = nbformat.read(ko.KO / rel, as_version=4)
        codes = [c for c in nb.cells if c.cell_type == "code"]
        assert codes[1].id == ko.LANGUAGE_CELL_ID and 'set_language("ko")' in codes[1].source, rel


# ---------- the rules, on a course made for the test ----------

CHAPTER = [
    ("md1", "markdown", "## 1. The learning rate\n\nA **learning rate (학습률)** too large makes the loss explode."),
    ("code1", "code", "lr = 0.1  # the learning rate\nprint(f\"lr = {lr}\")"),
    ("code2", "code", "x = 1 + 1\nprint(x)"),
]
KOREAN = {
    "md1": "## 1. 학습률\n\n**학습률(learning rate)**이 너무 크면 손실이 폭발해요.",
    "code1": "lr = 0.1  # 학습률\nprint(f\"lr = {lr}\")",
}


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A one-chapter course in tmp_path, translated; the tool pointed at it."""
    notebooks = tmp_path / "notebooks"
    (notebooks / "solutions").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    for cell_id, kind, text in CHAPTER:
        cell = nbformat.v4.new_markdown_cell(text) if kind == "markdown" else nbformat.v4.new_code_cell(text)
        cell.id = cell_id
        nb.cells.append(cell)
    nbformat.write(nb, notebooks / "01_demo.ipynb")
    (notebooks / "glossary.md").write_text(
        "| English | 한국어 | Definition | Chapter |\n|---|---|---|---|\n"
        "| learning rate | 학습률 | The step size. | [01](01_demo.ipynb) |\n"
        "| loss | 손실 | What training makes small. | [01](01_demo.ipynb) |\n", encoding="utf-8")
    for name, value in dict(ROOT=tmp_path, NOTEBOOKS=notebooks, KO=notebooks / "ko", I18N=tmp_path / "i18n" / "ko",
                            GLOSSARY=notebooks / "glossary.md").items():
        monkeypatch.setattr(ko, name, value)
    ko.sync("01_demo.ipynb")
    assert ko.put("01_demo.ipynb", dict(KOREAN)) == []
    ko.write("01_demo.ipynb")
    assert ko.problems("01_demo.ipynb") == [] and ko.build_differences("01_demo.ipynb") == []
    return notebooks / "01_demo.ipynb"


def edit(path, cell_id, new_text):
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c.id == cell_id).source = new_text
    nbformat.write(nb, path)


@pytest.mark.parametrize("cell_id, new_text", [
    ("md1", CHAPTER[0][2].replace("too large", "ten times too large")),     # a markdown cell
    ("code1", CHAPTER[1][2].replace("0.1", "0.2")),                          # code
    ("code1", CHAPTER[1][2].replace("the learning rate", "the step size")),  # only a comment
])
def test_an_english_edit_is_named_with_its_diff_until_translated_again(course, cell_id, new_text):
    edit(course, cell_id, new_text)
    found = ko.problems("01_demo.ipynb")
    assert len(found) == 1 and f"cell {cell_id} " in found[0] and "01_demo" in found[0]
    assert "English changed" in found[0] and "+" + new_text.splitlines()[0 if cell_id != "md1" else 2] in found[0]
    built = next(c for c in ko.build("01_demo.ipynb").cells if c.id == cell_id)
    if cell_id == "code1":                                      # never stale code in the Korean notebook
        assert ko.code_without_comments(built.source) == ko.code_without_comments(new_text)
    ko.sync("01_demo.ipynb")
    assert ko.problems("01_demo.ipynb"), "sync alone must not silence the drift"
    korean = (new_text.replace("# the learning rate", "# 학습률").replace("# the step size", "# 보폭")
              if cell_id == "code1" else KOREAN[cell_id] + " 열 배나요.")
    assert ko.put("01_demo.ipynb", {cell_id: korean}) == []
    assert ko.build_differences("01_demo.ipynb"), "the Korean notebook must be rebuilt"
    ko.write("01_demo.ipynb")
    assert ko.problems("01_demo.ipynb") == [] and ko.build_differences("01_demo.ipynb") == []


def test_a_new_english_cell_needs_a_translation(course):
    nb = nbformat.read(course, as_version=4)
    cell = nbformat.v4.new_markdown_cell("One more paragraph.")
    cell.id = "md2"
    nb.cells.append(cell)
    nbformat.write(nb, course)
    assert any("cell md2 " in p and "no translation" in p for p in ko.problems("01_demo.ipynb"))


def test_a_hand_edited_korean_notebook_is_caught(course):
    edit(ko.KO / "01_demo.ipynb", "code2", "x = 1 + 2\nprint(x)")
    assert ko.build_differences("01_demo.ipynb")


def test_korean_code_may_differ_only_in_comments(course):
    wrong = KOREAN["code1"].replace('print(f"lr = {lr}")', 'print(f"학습률 = {lr}")')
    found = ko.put("01_demo.ipynb", {"code1": wrong})
    assert found and "more than comments" in found[0]


@pytest.mark.parametrize("korean, ok", [
    ("## 1. 학습 속도\n\n**학습 속도**가 너무 크면 손실이 폭발해요.", False),    # another Korean name
    ("## 1. 학습률\n\n학습률이 너무 크면 로스가 폭발해요.", False),              # 'loss' not as 손실
    ("## 1. learning rate\n\nlearning rate가 너무 크면 손실이 폭발해요.", True),  # the Latin name kept
    (KOREAN["md1"], True),
])
def test_glossary_terms_keep_the_glossary_name(course, korean, ok):
    found = ko.put("01_demo.ipynb", {"md1": korean})
    assert (found == []) == ok, found


def test_links_point_to_the_korean_pages(course):
    text = "See [chapter 01](01_demo.ipynb), the [glossary](glossary.md) and [the site](https://pytorch.org)."
    assert ko._relink(text, "01_demo.ipynb") == (
        "See [chapter 01](01_demo.ipynb), the [glossary](../glossary.md) and [the site](https://pytorch.org).")
    assert ko._relink("[back](../01_demo.ipynb)", "solutions/01_demo_solutions.ipynb") == "[back](../01_demo.ipynb)"


# ---------- the code rule, on every code cell of the course ----------

CODE_CELLS = [c.source for rel in ENGLISH for c in nbformat.read(ko.NOTEBOOKS / rel, as_version=4).cells
              if c.cell_type == "code" and ko.has_comments(c.source)]


def _mutations(code, rng):
    """The code with every comment in Korean (must pass), and with one code token changed (must fail)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    lines = code.splitlines(keepends=True)
    commented = code
    for tok in reversed([t for t in tokens if t.type == tokenize.COMMENT]):
        row, col = tok.start
        line = lines[row - 1]
        lines[row - 1] = line[:col] + "# 한국어 주석" + line[col + len(tok.string):]
    commented = "".join(lines)
    names = [t for t in tokens if t.type in (tokenize.NAME, tokenize.NUMBER, tokenize.STRING, tokenize.OP)]
    tok = rng.choice(names)
    row, col = tok.start
    lines = code.splitlines(keepends=True)
    lines[row - 1] = lines[row - 1][:col] + tok.string + "x" + lines[row - 1][col + len(tok.string):]
    return commented, "".join(lines)


def test_comments_may_change_and_any_code_token_may_not():
    rng = random.Random(7)
    plain = [c for c in CODE_CELLS if "%" not in c and "!" not in c.split("#")[0]]
    assert len(plain) > 50
    for code in rng.sample(plain, 60):
        commented, broken = _mutations(code, rng)
        assert ko.code_without_comments(commented) == ko.code_without_comments(code), code
        assert ko.code_without_comments(broken) != ko.code_without_comments(code), broken


def test_translation_files_are_plain_yaml_keyed_by_cell_id():
    for path in sorted(ko.I18N.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids = [entry["id"] for entry in data["cells"]]
        assert len(ids) == len(set(ids)), path
        assert all({"id", "type", "sha", "en", "ko"} <= set(entry) for entry in data["cells"]), path
