"""``python -m dlstudy doctor``: check that this machine is ready for the course, and say how to fix what is not."""

import importlib.metadata
import platform
import shutil
import sys
from pathlib import Path

__all__ = ["diagnose", "main"]

from dlstudy.graph import GRAPHVIZ_HINT, graphviz_status


def _version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _widgets_extension():
    """True when JupyterLab will find the ipywidgets front-end (jupyterlab_widgets)."""
    return _version("jupyterlab_widgets") is not None


def diagnose():
    """Return a list of (ok, what, detail) rows describing this machine.

    >>> rows = diagnose(); all(len(row) == 3 for row in rows)
    True
    """
    from dlstudy.device import describe_device, DeviceError
    import dlstudy

    rows = [(True, "Python", f"{platform.python_version()} ({sys.executable})")]
    for package, needed in (("torch", True), ("torchvision", True), ("ipywidgets", True),
                            ("torchviz", True), ("jupyterlab", True), ("scikit-learn", True)):
        version = _version(package)
        rows.append((version is not None or not needed, package,
                     version or f"missing: pip install {package} (or re-run 'make lab')"))
    rows.append((True, "dlstudy", f"{dlstudy.__version__} ({Path(dlstudy.__file__).parent})"))
    try:
        rows.append((True, "device", describe_device()))
    except DeviceError as error:
        rows.append((False, "device", str(error)))
    status = graphviz_status()
    rows.append((status == "ok", "Graphviz dot",
                 shutil.which("dot") if status == "ok"
                 else f"{status}: matplotlib draws the graphs instead; {GRAPHVIZ_HINT}"))
    rows.append((_widgets_extension(), "JupyterLab widgets",
                 "jupyterlab_widgets installed" if _widgets_extension()
                 else "missing: pip install jupyterlab_widgets ipywidgets, then restart JupyterLab"))
    notebooks = Path(dlstudy.__file__).resolve().parent.parent / "notebooks"
    rows.append((notebooks.is_dir(), "notebooks",
                 str(notebooks) if notebooks.is_dir() else "not found next to the package (installed without the course?)"))
    return rows


def main(argv=None):
    """Print the doctor's report; exit code 0 unless dlstudy itself cannot be imported."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] != "doctor":
        print("usage: python -m dlstudy doctor")
        return 2
    try:
        rows = diagnose()
    except ImportError as error:
        print(f"dlstudy is broken: {error}. Reinstall it with 'make lab' or pip install -e .")
        return 1
    for ok, what, detail in rows:
        print(f"{'ok ' if ok else 'FIX'}  {what:<20} {detail}")
    problems = sum(not ok for ok, _, _ in rows)
    print("Everything is ready." if problems == 0 else f"{problems} thing(s) to fix, see FIX lines above.")
    return 0
