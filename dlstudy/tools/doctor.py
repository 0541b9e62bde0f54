"""``python -m dlstudy doctor``: check that this machine is ready for the course, and say how to fix what is not."""

import importlib.metadata
import platform
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["diagnose", "korean_font", "main"]

from dlstudy.contract import Optional, Texts, declare
from dlstudy.graph import GRAPHVIZ_HINT, graphviz_status
from dlstudy.lang import tr


def _version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _widgets_extension():
    """True when JupyterLab will find the ipywidgets front-end (jupyterlab_widgets)."""
    return _version("jupyterlab_widgets") is not None


def korean_font():
    """(ok, detail) for the fonts that draw Hangul: fontconfig's answer where it runs (Linux), else trust the system.

    >>> ok, detail = korean_font(); isinstance(ok, bool) and isinstance(detail, str)
    True
    """
    from dlstudy.lang import tr
    fc_list = shutil.which("fc-list")
    if fc_list is None:                      # macOS and Windows ship Korean fonts with the system
        return True, tr("not checked (no fc-list): macOS and Windows include Korean fonts",
                        "확인하지 않음 (fc-list 없음): macOS와 Windows에는 한글 글꼴이 들어 있어요")
    try:
        found = subprocess.run([fc_list, ":lang=ko", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        found = ""
    families = sorted({line.split(",")[0].strip() for line in found.splitlines() if line.strip()})
    if families:
        return True, ", ".join(families[:3]) + (" ..." if len(families) > 3 else "")
    return False, tr("missing: Korean text shows as empty boxes in the browser; "
                     "sudo apt install fonts-noto-cjk (Debian / Ubuntu), then reload JupyterLab",
                     "없음: 브라우저에서 한글이 빈 네모로 보여요. "
                     "sudo apt install fonts-noto-cjk (Debian / Ubuntu) 후 JupyterLab을 새로 고치세요")


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
                     version or tr(f"missing: pip install {package} (or re-run 'make lab')",
                                f"없어요: pip install {package}(또는 'make lab'을 다시 실행)")))
    rows.append((True, "dlstudy", f"{dlstudy.__version__} ({Path(dlstudy.__file__).parent})"))
    try:
        rows.append((True, "device", describe_device()))
    except DeviceError as error:
        rows.append((False, "device", str(error)))
    status = graphviz_status()
    rows.append((status == "ok", "Graphviz dot",
                 shutil.which("dot") if status == "ok"
                 else tr(f"{status}: matplotlib draws the graphs instead; {GRAPHVIZ_HINT}",
                         f"{status}: 대신 matplotlib이 그래프를 그려요. {GRAPHVIZ_HINT}")))
    rows.append((_widgets_extension(), "JupyterLab widgets",
                 tr("jupyterlab_widgets installed", "jupyterlab_widgets 설치됨") if _widgets_extension()
                 else tr("missing: pip install jupyterlab_widgets ipywidgets, then restart JupyterLab",
                         "없어요: pip install jupyterlab_widgets ipywidgets 후 JupyterLab을 다시 시작하세요")))
    ok, detail = korean_font()
    rows.append((ok, "Korean font", detail))
    notebooks = Path(dlstudy.__file__).resolve().parent.parent / "notebooks"
    rows.append((notebooks.is_dir(), "notebooks",
                 str(notebooks) if notebooks.is_dir()
                 else tr("not found next to the package (installed without the course?)",
                         "패키지 옆에 없어요(과정 없이 패키지만 설치했나요?)")))
    return rows


@declare(argv=Optional(Texts()))
def main(argv=None):
    """Print the doctor's report; exit code 0 unless dlstudy itself cannot be imported."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] != "doctor":
        print("usage: python -m dlstudy doctor")
        return 2
    try:
        rows = diagnose()
    except ImportError as error:
        print(tr(f"dlstudy is broken: {error}. Reinstall it with 'make lab' or pip install -e .",
                 f"dlstudy가 망가졌어요: {error}. 'make lab' 또는 pip install -e .로 다시 설치하세요."))
        return 1
    for ok, what, detail in rows:
        print(f"{'ok ' if ok else 'FIX'}  {what:<20} {detail}")
    problems = sum(not ok for ok, _, _ in rows)
    print(tr("Everything is ready.", "모두 준비됐어요.") if problems == 0
          else tr(f"{problems} thing(s) to fix, see FIX lines above.",
                  f"고칠 것이 {problems}개 있어요. 위의 FIX 줄을 보세요."))
    return 0
