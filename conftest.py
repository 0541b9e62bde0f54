"""pytest setup shared by the unit tests, the doctests and the notebook tests (nbval)."""

import importlib.util
import os
from pathlib import Path

# pytest itself and every Python process the tests start (the notebook kernels
# included) refuse connections that leave this machine: tests/netguard/sitecustomize.py.
_GUARD = Path(__file__).parent / "tests" / "netguard"
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(_GUARD), os.environ.get("PYTHONPATH")) if p)
os.environ.setdefault("MPLBACKEND", "Agg")
_spec = importlib.util.spec_from_file_location("dlstudy_netguard", _GUARD / "sitecustomize.py")
netguard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(netguard)

collect_ignore = ["tests/netguard"]


def pytest_collectstart(collector):
    """Do not compare stderr in notebooks (warnings differ between machines), as nbval documents."""
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb" and hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)
