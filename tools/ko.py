"""The Korean edition: translations keyed to the English cells, the build of notebooks/ko, and the drift check.

The English notebooks are the source. ``i18n/ko/<notebook>.yml`` holds, for each markdown cell and each
code cell with comments, the English text that was translated (``en``, with its fingerprint ``sha``) and
its Korean (``ko``). A Korean code cell is the English code with its comments translated: nothing else
may differ. The build writes ``notebooks/ko/`` from the two; the check says what drifted.

    python tools/ko.py sync      # add new cells to the YAML files, mark changed ones (``was:`` = old English)
    python tools/ko.py check     # list every problem (what the test fails on)
    python tools/ko.py build     # write notebooks/ko/*.ipynb (sources) from English + translations
    python tools/ko.py execute   # run the Korean notebooks whose code changed, storing their outputs
    python tools/ko.py todo 02   # the cells of chapter 02 still to translate (or changed since), with their English
    python tools/ko.py put 02 FILE   # FILE: YAML {cell id: Korean text}; stores them and checks each at once
"""

import argparse
import copy
import difflib
import hashlib
import io
import json
import posixpath
import re
import subprocess
import sys
import tokenize
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KO = NOTEBOOKS / "ko"
I18N = ROOT / "i18n" / "ko"
GLOSSARY = NOTEBOOKS / "glossary.md"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LANGUAGE_CELL_ID = "ko-language"
LANGUAGE_CELL = ("# 한국어판: dlstudy가 보여 주는 메시지(연습 문제 확인, 힌트, 오류 설명)를 한국어로 바꿔요.\n"
                 "from dlstudy.lang import set_language\n\n"
                 'set_language("ko")')


def english_notebooks():
    """The English source notebooks, as paths relative to notebooks/ (chapters, then solutions)."""
    found = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + sorted((NOTEBOOKS / "solutions").glob("*.ipynb"))
    return [path.relative_to(NOTEBOOKS).as_posix() for path in found]


def yaml_path(rel):
    return I18N / rel.replace(".ipynb", ".yml")


def fingerprint(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def source(cell):
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


# ---------- YAML: block literals, one entry per cell, in notebook order ----------

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, text):
    style = "|" if "\n" in text or len(text) > 80 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def load(rel):
    """{cell id: entry} of one notebook's translation (empty when there is none yet)."""
    path = yaml_path(rel)
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {entry["id"]: entry for entry in data.get("cells", [])}


def save(rel, entries):
    path = yaml_path(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"notebook": f"notebooks/{rel}", "cells": list(entries)}
    text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(text, encoding="utf-8")


# ---------- code cells: only comments may differ ----------

def _python(code):
    """The cell as plain Python (IPython magics such as %pip turned into calls), for the tokenizer."""
    from IPython.core.inputtransformer2 import TransformerManager
    return TransformerManager().transform_cell(code)


def _tokens(code):
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(_python(code)).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return tokens


def has_comments(code):
    tokens = _tokens(code)
    return bool(tokens) and any(tok.type == tokenize.COMMENT for tok in tokens)


def code_without_comments(code):
    """The code's tokens with comments and blank-line tokens left out: what a translation must keep."""
    tokens = _tokens(code)
    if tokens is None:
        return [code]
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER}
    return [(tok.type, tok.string) for tok in tokens if tok.type not in skip]


def needs_translation(cell):
    text = source(cell).strip()
    if not text:
        return False
    if cell["cell_type"] == "markdown":
        return True
    return cell["cell_type"] == "code" and has_comments(source(cell))


# ---------- the glossary: one Korean name per term ----------

def glossary():
    """[(English names, Korean words)] for each glossary row whose Korean is not the Latin name kept."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if not line.startswith("|") or len(cells) != 4 or not HANGUL.search(cells[1]) or cells[1] == "한국어":
            continue
        if "영문 그대로" in cells[1]:
            continue
        korean = re.sub(r"\([^()\uac00-\ud7a3]*\)", "", cells[1])      # 양성(良性) -> 양성
        words = {w.strip() for w in korean.split(",") if HANGUL.search(w)}
        names = [name.strip() for name in cells[0].split(" / ") if name.strip()]
        rows.append((names, words))
    return rows


def _prose(text):
    """Text without code spans, code blocks, maths, link targets and HTML tags: what a reader reads as words."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<[^>]+>", " ", text)


def _term(name):
    """A pattern for a glossary name in prose: whole words (a Korean particle may follow a Latin name: ReLU를),
    plural s / es allowed, case-sensitive for names written with capitals (MAC is not Mac)."""
    flags = 0 if any(ch.isupper() for ch in name) else re.I
    words = r"\s+".join(re.escape(part) for part in name.split())
    return re.compile(r"(?<![A-Za-z0-9_-])" + words + r"(?:s|es)?(?![A-Za-z0-9_-])", flags)


def glossary_problems(english, korean, rows=None):
    """Terms the English text uses that the translation names neither by the glossary's Korean nor in Latin."""
    rows = glossary() if rows is None else rows
    en, ko = _prose(english), _prose(korean)
    squeezed = re.sub(r"\s+", "", ko)
    found = []
    # longest names first, each match blanked out, so "gradient descent" is not also read as "gradient"
    names = sorted(((name, words) for names, words in rows for name in names), key=lambda nw: -len(nw[0]))
    for name, words in names:
        pattern = _term(name)
        if not pattern.search(en):
            continue
        en = pattern.sub(" ", en)
        if pattern.search(ko) or any(re.sub(r"\s+", "", word) in squeezed for word in words):
            continue
        found.append(f"'{name}' must be translated as {' or '.join(sorted(words))} (or kept as {name})")
    return found


# ---------- what is wrong with one notebook's translation ----------

def problems(rel, rows=None):
    """Every reason the Korean edition of notebook ``rel`` is not in step with the English one."""
    nb = nbformat.read(NOTEBOOKS / rel, as_version=4)
    entries = load(rel)
    found, ids = [], set()
    for cell in nb.cells:
        ids.add(cell.id)
        if not needs_translation(cell):
            continue
        where = f"{rel}, cell {cell.id} ({cell.cell_type})"
        entry = entries.get(cell.id)
        text = source(cell)
        if entry is None or not (entry.get("ko") or "").strip():
            found.append(f"{where}: no translation yet. Run `python tools/ko.py sync`, then write its `ko:`.")
            continue
        if entry.get("en") != text or entry.get("sha") != fingerprint(text) or "was" in entry:
            before = entry.get("was", entry.get("en", ""))
            diff = "\n".join(difflib.unified_diff(before.splitlines(), text.splitlines(),
                                                  "translated English", "English now", lineterm="", n=1))
            found.append(f"{where}: the English changed since it was translated; update `ko:` "
                         f"(then delete `was:`; `sync` sets `en:`):\n{diff}")
            continue
        ko = entry["ko"]
        if cell.cell_type == "code" and code_without_comments(ko) != code_without_comments(text):
            found.append(f"{where}: the Korean code differs from the English in more than comments.")
        elif cell.cell_type == "markdown" and not HANGUL.search(ko):
            found.append(f"{where}: the translation has no Korean text.")
        for term in glossary_problems(text, ko, rows) if cell.cell_type == "markdown" else ():
            found.append(f"{where}: glossary: {term}.")
    for stale in sorted(set(entries) - ids):
        found.append(f"{rel}, cell {stale}: translated, but no such English cell any more; `sync` removes it.")
    return found


def sync(rel):
    """Bring one YAML file in step with the English: new cells added, changed ones marked with ``was``."""
    nb = nbformat.read(NOTEBOOKS / rel, as_version=4)
    entries, out = load(rel), []
    for cell in nb.cells:
        if not needs_translation(cell):
            continue
        text, entry = source(cell), dict(entries.get(cell.id) or {})
        if not entry:
            entry = {"id": cell.id, "type": cell.cell_type, "sha": fingerprint(text), "en": text, "ko": ""}
        elif entry.get("en") != text:
            entry.setdefault("was", entry.get("en", ""))
            entry.update(sha=fingerprint(text), en=text)
        out.append({key: entry[key] for key in ("id", "type", "sha", "en", "was", "ko") if key in entry})
    save(rel, out)


# ---------- the build ----------

LINK = re.compile(r"(\]\(|src=\")([^)\"#\s]+)")


def _relink(markdown, rel):
    """Relative links of notebooks/<rel>, rewritten for notebooks/ko/<rel>: to the Korean page when there is one."""
    here = posixpath.dirname(f"notebooks/{rel}")
    there = posixpath.dirname(f"notebooks/ko/{rel}")

    def fix(match):
        target = match.group(2)
        if re.match(r"^[a-z]+:", target) or target.startswith("/"):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(here, target))
        if resolved.startswith("notebooks/") and resolved.endswith(".ipynb"):
            korean = "notebooks/ko/" + resolved[len("notebooks/"):]
            if (ROOT / korean).exists() or (NOTEBOOKS / resolved[len("notebooks/"):]).exists():
                resolved = korean
        return match.group(1) + posixpath.relpath(resolved, there)
    return LINK.sub(fix, markdown)


def build(rel):
    """The Korean notebook of ``rel``: the English cells with translated text, outputs left empty."""
    nb = nbformat.read(NOTEBOOKS / rel, as_version=4)
    entries = load(rel)
    ko = copy.deepcopy(nb)
    cells = []
    for cell in ko.cells:
        entry = entries.get(cell.id)
        korean = (entry or {}).get("ko") or ""
        # code only from a translation of the current English (never stale code); prose even while it is stale
        if korean.strip() and (entry.get("en") == source(cell) or cell.cell_type == "markdown"):
            cell.source = korean.rstrip("\n")
        if cell.cell_type == "markdown":
            cell.source = _relink(source(cell), rel)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), -1)
    language = nbformat.v4.new_code_cell(LANGUAGE_CELL)
    language.id = LANGUAGE_CELL_ID
    cells.insert(first_code + 1, language)
    ko.cells = cells
    ko.metadata["dlstudy"] = {"edition": "ko", "source": f"notebooks/{rel}"}
    return ko


def _sources(nb):
    return [(c.id, c.cell_type, source(c)) for c in nb.cells]


def build_differences(rel):
    """Cells of the committed notebooks/ko/<rel> whose source differs from what the build writes."""
    path = KO / rel
    if not path.exists():
        return [f"notebooks/ko/{rel} is missing: run `make ko`."]
    built, committed = _sources(build(rel)), _sources(nbformat.read(path, as_version=4))
    if built == committed:
        return []
    ids = [i for (i, _, _), other in zip(built, committed) if (i, _, _) != other] if len(built) == len(committed) else []
    return [f"notebooks/ko/{rel} differs from what the build writes (cells {ids[:5] or 'added or removed'}): "
            "run `make ko`."]


def write(rel):
    """Write notebooks/ko/<rel>; keep the stored outputs of cells whose source did not change. True if changed."""
    path, new = KO / rel, build(rel)
    old = nbformat.read(path, as_version=4) if path.exists() else None
    if old is not None and _sources(old) == _sources(new):
        return False
    if old is not None:
        before = {c.id: c for c in old.cells}
        for cell in new.cells:
            prior = before.get(cell.id)
            if cell.cell_type == "code" and prior is not None and source(prior) == source(cell):
                cell.outputs, cell.execution_count = prior.outputs, prior.execution_count
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new, path)
    return True


def execute(paths, jobs=2):
    """Run each notebook top to bottom in place (two at a time: one kernel per core)."""
    def run(path):
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                        "--log-level=WARN", "--ExecutePreprocessor.timeout=600", path.name],
                       cwd=path.parent, check=True)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, paths))


def todo(rel, limit=None):
    """The cells of ``rel`` that need a (new) translation, as text to read: id, type, English, old English."""
    sync(rel)                                     # records the English each stale translation was made from
    nb = nbformat.read(NOTEBOOKS / rel, as_version=4)
    wanted = [p.split(",")[1].split()[1] for p in problems(rel) if p.startswith(rel + ", cell ")]
    blocks = []
    for cell in nb.cells:
        if cell.id in wanted:
            entry = load(rel).get(cell.id, {})
            old = f"\n--- English it was translated from (update the Korean to the change):\n{entry['was']}" if "was" in entry else ""
            blocks.append(f"=== {cell.id} ({cell.cell_type})\n{source(cell)}{old}")
    return blocks[:limit] if limit else blocks


def put(rel, patch):
    """Store the Korean of a {cell id: text} patch in rel's YAML file; return the problems left in those cells."""
    sync(rel)
    entries = load(rel)
    unknown = sorted(set(patch) - set(entries))
    for cell_id, text in patch.items():
        if cell_id in entries:
            entries[cell_id]["ko"] = str(text).rstrip("\n")
            entries[cell_id].pop("was", None)
    save(rel, entries.values())
    left = [p for p in problems(rel) if any(f"cell {cell_id} " in p for cell_id in patch)]
    return [f"{rel}: no cell {cell_id} needs a translation" for cell_id in unknown] + left


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sync", "check", "build", "execute", "todo", "put"])
    parser.add_argument("--limit", type=int, default=None, help="todo: at most this many cells")
    parser.add_argument("notebooks", nargs="*", help="notebooks/ relative paths or name prefixes (default: all)")
    args = parser.parse_args(argv)
    patch_file = None
    if args.command == "put":
        if len(args.notebooks) != 2:
            parser.error("put needs a notebook and a YAML file: put 02 my_patch.yml")
        args.notebooks, patch_file = args.notebooks[:1], args.notebooks[1]
    chosen = [rel for rel in english_notebooks()
              if not args.notebooks or any(rel.startswith(p) for p in args.notebooks)]
    if args.command == "sync":
        for rel in chosen:
            sync(rel)
        print(f"synced {len(chosen)} translation files in {I18N.relative_to(ROOT)}")
    elif args.command == "check":
        rows = glossary()
        found = [p for rel in chosen for p in problems(rel, rows) + build_differences(rel)]
        print("\n".join(found) or "The Korean edition is in step with the English one.")
        return 1 if found else 0
    elif args.command == "todo":
        for rel in chosen:
            print("\n\n".join(todo(rel, args.limit)))
    elif args.command == "put":
        if len(chosen) != 1:
            parser.error(f"put: {args.notebooks[0]!r} names {len(chosen)} notebooks; name exactly one")
        patch = yaml.safe_load(Path(patch_file).read_text(encoding="utf-8")) or {}
        left = put(chosen[0], {str(k): v for k, v in patch.items()})
        print("\n".join(left) or f"stored {len(patch)} translations in {yaml_path(chosen[0]).relative_to(ROOT)}")
        return 1 if left else 0
    elif args.command == "build":
        changed = [rel for rel in chosen if write(rel)]
        print(f"wrote {len(changed)} Korean notebooks: {', '.join(changed) or 'none changed'}")
    elif args.command == "execute":
        changed = [KO / rel for rel in chosen if write(rel) or any(
            c.cell_type == "code" and c.source.strip() and c.execution_count is None
            for c in nbformat.read(KO / rel, as_version=4).cells)]
        execute(changed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
