"""The glossary's Korean is the Korean the chapters use: one Korean word per term, everywhere.

A chapter glosses a key term at first use as **English term (한국어)**. For every glossary row, the
chapter its Chapter column links to must gloss the term, with Korean words that the row lists; and any
other chapter that glosses the same term must use the row's Korean words too. A row whose Korean is
"Name (영문 그대로)" says that Korean texts keep the Latin name (RMSProp, AdamW): its chapter names it
in bold instead of glossing it.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GLOSSARY = NOTEBOOKS / "glossary.md"
CHAPTERS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
GLOSS = re.compile(r"\*\*([^*()]+?) \(([^()*]*[\uac00-\ud7a3][^()*]*)\)\*\*")  # **term (한국어)**
CHAPTER_LINK = re.compile(r"\]\(([0-9][0-9]_[^)/]+\.ipynb)\)")
LATIN_KEPT = "(영문 그대로)"


def korean_words(text):
    """The Korean alternatives of a gloss: "과적합, 과대적합" -> {"과적합", "과대적합"}.

    Alternatives without Hangul (an acronym such as MLP, a Latin name, hanja in brackets) are left out.
    """
    text = re.sub(r"\([^()\uac00-\ud7a3]*\)", "", text)  # 양성(良性) -> 양성
    words = (re.sub(r"\s+", " ", part).strip() for part in text.split(","))
    return {word for word in words if HANGUL.search(word)}


def glossary_entries(glossary=GLOSSARY):
    """(English names, Korean cell, linked chapter file names) for every row of the glossary table."""
    entries = []
    for line in Path(glossary).read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if not line.startswith("|") or len(cells) != 4 or not HANGUL.search(cells[1]) or cells[1] == "한국어":
            continue
        names = [name.strip() for name in cells[0].split(" / ")]
        entries.append((names, cells[1], CHAPTER_LINK.findall(cells[3])))
    return entries


def markdown_of(notebook):
    """All markdown of a notebook as one string."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    return "\n".join("".join(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "markdown")


def first_glosses(markdown):
    """{english name (lower case): Korean of its first gloss}; "**SGD, stochastic ... (확률적 ...)**" glosses both names."""
    first = {}
    for match in GLOSS.finditer(markdown):
        term = match.group(1).strip()
        for name in [term] + [part.strip() for part in term.split(", ")]:
            first.setdefault(name.lower(), match.group(2).strip())
    return first


def korean_mismatches(notebook, glossary=GLOSSARY):
    """Every term whose Korean in this chapter differs from the glossary's, as readable strings (empty: consistent)."""
    notebook = Path(notebook)
    markdown = markdown_of(notebook)
    glossed = first_glosses(markdown)
    problems = []
    for names, korean, chapters in glossary_entries(glossary):
        listed = " / ".join(names)
        used = [(name, glossed[name.lower()]) for name in names if name.lower() in glossed]
        if korean.endswith(LATIN_KEPT):
            if notebook.name in chapters and not any(
                    re.search(rf"\*\*[^*]*\b{re.escape(name)}\b[^*]*\*\*", markdown) for name in names):
                problems.append(f"{listed}: the glossary keeps the Latin name; write it in **bold** at first use")
            continue
        if notebook.name in chapters and not used:
            problems.append(f"{listed}: listed for this chapter in the glossary, but never glossed as "
                            f"**{names[0]} ({korean})**")
        for name, chapter_korean in used[:1]:
            extra = korean_words(chapter_korean) - korean_words(korean)
            if extra or not korean_words(chapter_korean):
                problems.append(f"{name}: the chapter writes ({chapter_korean}), the glossary ({korean})")
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_glossary_term_has_the_glossarys_korean_in_the_chapters(path):
    assert korean_mismatches(path) == [], "make the chapter's gloss and notebooks/glossary.md agree"


def _glossary_and_chapter(tmp_path, glossary_rows, markdown):
    glossary = tmp_path / "glossary.md"
    glossary.write_text("| English | 한국어 | Definition | Chapter |\n|---|---|---|---|\n" + glossary_rows,
                        encoding="utf-8")
    chapter = tmp_path / "09_demo.ipynb"
    chapter.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": [markdown]}],
                                   "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return glossary, chapter


ROWS = ("| fan-in | 팬인, 입력 수 | Inputs of a unit. | [09](09_demo.ipynb) |\n"
        "| overfitting | 과대적합, 과적합 | Memorizing. | [04](04_other.ipynb) |\n"
        "| RMSProp | RMSProp (영문 그대로) | An optimizer. | [09](09_demo.ipynb) |\n")


def test_a_consistent_chapter_passes(tmp_path):
    glossary, chapter = _glossary_and_chapter(
        tmp_path, ROWS, "Its **fan-in (팬인)** and **overfitting (과적합, 과대적합)**; then **RMSProp**.")
    assert korean_mismatches(chapter, glossary) == []


def test_a_deliberately_inconsistent_chapter_fails(tmp_path):
    glossary, chapter = _glossary_and_chapter(
        tmp_path, ROWS, "Its **fan-in (입력 뉴런 수)**, **overfitting (오버피팅)**; later **fan-in (팬인)**; RMSProp.")
    assert korean_mismatches(chapter, glossary) == [
        "fan-in: the chapter writes (입력 뉴런 수), the glossary (팬인, 입력 수)",   # first use decides
        "overfitting: the chapter writes (오버피팅), the glossary (과대적합, 과적합)",  # another chapter's term
        "RMSProp: the glossary keeps the Latin name; write it in **bold** at first use",
    ]


def test_a_term_listed_for_a_chapter_that_never_glosses_it_fails(tmp_path):
    glossary, chapter = _glossary_and_chapter(
        tmp_path, ROWS + "| layer normalization | 층 정규화 | Per sample. | [09](09_demo.ipynb) |\n",
        "Its **fan-in (팬인, 입력 수)** and **RMSProp**; layer normalization is not taught.")
    assert korean_mismatches(chapter, glossary) == [
        "layer normalization: listed for this chapter in the glossary, but never glossed as "
        "**layer normalization (층 정규화)**"]
