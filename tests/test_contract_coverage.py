"""Issue 23, by construction: every argument of every public function and class of dlstudy is declared.

The test walks the ``__all__`` of every dlstudy module. For each public function, and each public
class's ``__init__``, the declaration (``@declare``, read from ``__contract__``) must name EVERY
parameter of its signature, so no argument can reach a function unchecked. Parameters whose names
start with ``_`` are private (micrograd's ``Scalar(data, _prev, _op)``). Exceptions, records
(namedtuples) and the declaration rules themselves are not functions of the course.

Two lists say where the walk does not (yet) ask for a declaration, each entry with its reason:
``INTERNAL`` modules (machinery that public functions call with arguments they already checked) and
``PENDING`` names owned by another part of the work (strict xfail: the test fails as soon as one is
declared, so the entry is then removed). test_contract_fuzz.py walks the same ``__all__``s for
declarations: every declared function needs a valid base call there, and every rule a strategy of
values just outside it (an unknown kind of rule fails there).
"""

import importlib
import inspect
import pkgutil

import pytest

import dlstudy
from dlstudy import contract as c

INTERNAL = {
    "dlstudy.contract": "the declaration machinery itself",
    "dlstudy.checks": "the training core's data checks, called by fit / evaluate with declared arguments",
    "dlstudy.modes": "run_model / eval_mode, called by evaluate, predict and the plots after their declarations",
    "dlstudy.plots.common": "helpers the plots call with arguments they already checked",
    "dlstudy.demos.base": "the widgets' machinery (Explorer, sliders); the experiment functions are declared",
    "dlstudy.tools.bench": "the benchmark command (python -m dlstudy bench), not a learner's function",
    "dlstudy.watch_advice": "the words of watch's findings, called by watch",
    "dlstudy.exercises.effects": "the exercise checks' machinery (check() never raises by design)",
    "dlstudy.exercises.inputs": "the exercise checks' machinery",
    "dlstudy.exercises.kept": "the exercise checks' machinery",
    "dlstudy.exercises.chosen": "the exercise checks' machinery (backward() reporting a scaled gradient)",
    "dlstudy.exercises.nodata": "the exercise checks' machinery (no .data while the answer runs)",
    "dlstudy.exercises.returned": "the exercise checks' machinery (the returned value's type, shape and dtype)",
    "dlstudy.exercises.watching": "the exercise checks' machinery (runs the learner's loop under watch)",
    "dlstudy.demos.common": "the demos' own validation helpers (choose reads a name the declarations already typed)",
    "dlstudy.demos.pictures": "the pictures that follow a widget: called by the widgets with their own state",
    "dlstudy.demos.live.frames": "the live playground's frames, built from a LiveRun whose arguments are declared",
    "dlstudy.demos.live.network": "the live playground's feature table and grid, used by LiveRun after its declaration",
    "dlstudy.demos.live.picture": "the live playground's static picture, drawn from a declared LiveRun",
    "dlstudy.tools.bench_watch": "the benchmark command's watch table (python -m dlstudy bench), not a learner's function",
    "dlstudy.watch_probes": "what watch's probe steps record, called by watch's hooks",
    "dlstudy.exercises.registry": "the exercise checks' machinery",
    "dlstudy.exercises.rules": "the exercise checks' machinery",
}

# Names of a public module that are the training core's machinery, not a learner's function: fit and evaluate
# build them from arguments their declarations already checked (a callback written in chapter 08 reads a
# TrainState; it never builds one).
CORE = "the training core's machinery, built and called by fit / evaluate after their declarations"
MACHINERY = {
    **{f"dlstudy.loop.{n}": CORE for n in ("TrainState", "CollectMetrics", "named_metrics", "CheckData",
                                           "batch_error", "as_pair", "check_loss", "run_epoch")},
    "dlstudy.callbacks.Validate": CORE + " (fit adds it for val_data)",
    "dlstudy.watch.Finding": "a record watch builds from what it saw (judge); learners read its fields, never build one",
}

METRICS = ("dlstudy.loop imports dlstudy.metrics (the Metrics rule finds a metric by its name), so metrics importing "
           "contract makes loop level 3 and the tower 7 levels (test_layers): needs the name table split from the "
           "declared functions")
PENDING = {
    **{f"dlstudy.metrics.{n}": METRICS for n in ("accuracy", "confusion_matrix", "precision_recall_f1", "roc_curve",
                                              "roc_auc", "mse", "mae", "precision", "recall", "f1", "direction",
                                              "positive_scores")},
    **{f"dlstudy.device.{n}": ("device.py importing contract makes loop (which imports device) level 3 and the tower 7 levels (test_layers); "
        "resolve_device is itself the converter of every other device argument (contract.Converted)")
       for n in ("resolve_device", "to_device", "set_seed")},
    **{f"dlstudy.lang.{n}": "declaring lang.py (lang importing contract) makes the exercise checks 7 levels deep (test_layers)"
       for n in ("set_language", "tr")},
}


def _is_function_of_the_course(obj):
    if not callable(obj) or not (inspect.isclass(obj) or inspect.isfunction(obj)):
        return False
    if inspect.isclass(obj) and issubclass(obj, (BaseException, tuple, str, c.Rule)):
        return False                                  # errors, records (namedtuples), text, declaration rules
    return True


def public():
    """{qualified name: object} for every public function and class in any module's ``__all__``."""
    found = {}
    for info in pkgutil.walk_packages(dlstudy.__path__, "dlstudy."):
        if info.name.endswith("__main__") or info.name in INTERNAL:
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            qualified = f"{getattr(obj, '__module__', '')}.{getattr(obj, '__name__', '')}"
            if _is_function_of_the_course(obj) and obj.__module__ != "dlstudy.contract" \
                    and qualified not in MACHINERY:                # as_samples: the rules' own
                found.setdefault(qualified, obj)
    return found


PUBLIC = public()


def parameters(obj):
    """The parameters a caller can pass (not ``self``, not private ``_names``)."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    if target is object.__init__:
        return target, []                             # a class without an __init__ of its own
    names = [p for p in inspect.signature(target).parameters.values()
             if p.name != "self" and not p.name.startswith("_") and p.kind is not p.VAR_POSITIONAL]
    return target, [p.name for p in names]


def test_the_walk_finds_the_course_api():
    for name in ("dlstudy.plots.classifiers.plot_decision_boundary", "dlstudy.demos.optimizer_race.race",
                 "dlstudy.data.sets.make_xor", "dlstudy.diagnostics.Diagnostics", "dlstudy.lr_finder.smooth",
                 "dlstudy.graph.show_graph", "dlstudy.train.fit"):
        assert name in PUBLIC
    assert len(PUBLIC) >= 100
    assert set(PENDING) <= set(PUBLIC), set(PENDING) - set(PUBLIC)
    assert "dlstudy.loop.evaluate" in PUBLIC and "dlstudy.loop.Callback" not in PENDING


def test_the_machinery_left_out_of_the_walk_exists_and_is_not_declared_work_left_undone():
    """Each MACHINERY name is in its module's __all__ (so the list is kept honest) and is no learner's entry point."""
    for name in MACHINERY:
        module, _, attr = name.rpartition(".")
        assert attr in importlib.import_module(module).__all__, name
    assert not set(MACHINERY) & set(PENDING)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_parameter_of_a_public_function_is_declared(name, request):
    if name in PENDING:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"pending: {PENDING[name]}"))
    target, names = parameters(PUBLIC[name])
    if not names:
        return                                        # nothing a caller could get wrong but the count
    contract = getattr(target, "__contract__", None)
    assert contract is not None, f"{name} has no declaration: add @declare(...) for {names}"
    missing = [n for n in names if n not in contract]
    assert not missing, f"{name} does not declare {missing}"
