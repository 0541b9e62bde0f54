"""The package's layers import only downwards: read every ``import`` in dlstudy/ (no code runs)."""

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dlstudy"
CORE = {"dlstudy.lang", "dlstudy.device", "dlstudy.data", "dlstudy.data.sets", "dlstudy.data.splits",
        "dlstudy.data.loaders", "dlstudy.contract", "dlstudy.loop", "dlstudy.metrics", "dlstudy.checkpoint", "dlstudy.train",
        "dlstudy.callbacks", "dlstudy.modes", "dlstudy.exercises", "dlstudy.explain", "dlstudy.checks",
        "dlstudy.lr_finder", "dlstudy.diagnostics", "dlstudy.watch", "dlstudy.watch_advice"}
DRAWING = ("matplotlib", "IPython.display", "IPython.core.display", "ipywidgets", "graphviz", "dlstudy.display",
           "dlstudy.graph", "dlstudy.plots", "dlstudy.demos", "dlstudy.tools")
MAX_LEVELS = 6   # contract -> loop -> callbacks -> train -> demos / bench -> __main__ (issue 23)


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@lru_cache(maxsize=None)
def imports(module):
    """(imported module, imported names) for every import statement in ``module``, at any depth."""
    found = []
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = tuple(alias.name for alias in node.names)
            submodules = [f"{node.module}.{name}" for name in names if f"{node.module}.{name}" in MODULES]
            found += [(name, ()) for name in submodules] or [(node.module, names)]
    return found


def edges(module):
    """The dlstudy modules that ``module`` imports (``dlstudy`` itself only for its version)."""
    return sorted({name for name, _ in imports(module) if name in MODULES and name != "dlstudy"})


@lru_cache(maxsize=None)
def levels(module):
    """1 for a module that imports no other dlstudy module, else 1 + the deepest it imports."""
    return 1 + max((levels(other) for other in edges(module)), default=0)


@pytest.mark.parametrize("module", sorted(CORE & set(MODULES)))
def test_core_never_imports_drawing_or_widgets(module):
    bad = [name for name, _ in imports(module) if name.startswith(DRAWING)]
    assert not bad, f"{module} imports {bad}: the core must not depend on drawing, widgets or tools"


def test_no_private_name_is_imported_across_modules():
    private = [f"{module}: from {source} import {name}" for module in MODULES for source, names in imports(module)
               if source.startswith("dlstudy") for name in names if name.startswith("_") and name != "__version__"]
    assert not private


def test_the_import_tower_is_at_most_six_levels():
    deepest = {module: levels(module) for module in MODULES}
    assert max(deepest.values()) <= MAX_LEVELS, sorted(deepest.items(), key=lambda item: -item[1])[:5]


def test_the_checker_sees_real_edges():
    assert "dlstudy.callbacks" in edges("dlstudy.train") and levels("dlstudy.device") == 1
    assert "dlstudy.plots.classifiers" in edges("dlstudy.demos.playground")


def test_test_modules_never_import_each_other():
    tests = Path(__file__).resolve().parent
    found = [f"{path.relative_to(tests)} imports {name}" for path in sorted(tests.rglob("test_*.py"))
             for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, (ast.Import, ast.ImportFrom))
             for name in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])
             if name.split(".")[-1].startswith("test_")]
    assert not found, f"{found}: shared constants belong in tests/helpers.py"
