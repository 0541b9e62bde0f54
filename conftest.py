"""pytest setup shared by the unit tests, the doctests and the notebook tests (nbval)."""

import importlib.util
import json
import os
from pathlib import Path

import matplotlib

# pytest itself and every Python process the tests start (the notebook kernels
# included) refuse connections that leave this machine: tests/netguard/sitecustomize.py.
_GUARD = Path(__file__).parent / "tests" / "netguard"
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(_GUARD), os.environ.get("PYTHONPATH")) if p)
# DLSTUDY_PERTURB=1 (make test-portable): every notebook kernel rounds matmul / convolution
# outputs to fewer bits, as another machine would (tests/perturb/perturb.py).
if os.environ.get("DLSTUDY_PERTURB"):
    os.environ["IPYTHONDIR"] = str(Path(__file__).parent / "tests" / "perturb" / "ipython")
matplotlib.use("Agg")  # pytest's own process draws off-screen; notebook kernels keep their inline backend
_spec = importlib.util.spec_from_file_location("dlstudy_netguard", _GUARD / "sitecustomize.py")
netguard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(netguard)

collect_ignore = ["tests/netguard", "tests/perturb", "tests/wrong_answers", "tests/right_answers"]  # tables, not tests


def pytest_collectstart(collector):
    """Do not compare stderr in notebooks (warnings differ between machines), as nbval documents."""
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb" and hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)


_notebook_seconds = {}


def pytest_runtest_logreport(report):
    """Add up how long each notebook took (kernel start included); `python -m dlstudy bench` prints it."""
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] = _notebook_seconds.get(path, 0.0) + report.duration


def pytest_sessionfinish(session):
    if _notebook_seconds:
        target = Path(__file__).parent / ".notebook-times.json"
        target.write_text(json.dumps({k: round(v, 2) for k, v in sorted(_notebook_seconds.items())}, indent=1))
