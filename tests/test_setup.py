"""The project's own setup files agree with each other and with the README."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from helpers import REPOSITORY

ROOT = Path(__file__).resolve().parents[1]
CONDA_TO_PIP = {"pytorch": "torch", "python-graphviz": "graphviz"}
CONDA_ONLY = {"python", "pip", "graphviz"}  # conda's graphviz is the `dot` program itself


def _name(requirement):
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def _pyproject_names():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    test = {_name(r) for r in project["optional-dependencies"]["test"]}
    return runtime, test


def _environment_names():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    names = set()
    for item in env["dependencies"]:
        if isinstance(item, dict):
            names |= {_name(r) for r in item["pip"] if not r.startswith("-e")}
        elif _name(item) not in CONDA_ONLY:
            names.add(CONDA_TO_PIP.get(_name(item), _name(item)))
    return env, names


def test_environment_yml_matches_pyproject():
    runtime, test = _pyproject_names()
    env, names = _environment_names()
    assert env["name"] == "dlstudy"
    assert env["channels"] == ["conda-forge"], "only conda-forge: the pytorch channel stopped after 2.5"
    assert "python=3.11" in env["dependencies"]
    assert "graphviz" in [_name(d) for d in env["dependencies"] if isinstance(d, str)], "the dot binary"
    assert names - (runtime | test) == set(), f"in environment.yml only: {names - (runtime | test)}"
    assert (runtime | test) - names == set(), f"in pyproject.toml only: {(runtime | test) - names}"


def test_drift_check_notices_a_missing_package(tmp_path, monkeypatch):
    broken = (ROOT / "environment.yml").read_text().replace("  - scikit-learn>=1.3\n", "")
    (tmp_path / "environment.yml").write_text(broken)
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    runtime, test = _pyproject_names()
    _, names = _environment_names()
    assert "scikit-learn" in (runtime | test) - names


def test_binder_installs_the_environment_then_the_package():
    """repo2docker installs environment.yml before it copies the repository, so `-e .` must wait for postBuild."""
    env, _ = _environment_names()
    pip = [r for item in env["dependencies"] if isinstance(item, dict) for r in item["pip"]]
    assert not [r for r in pip if r.startswith("-e")], "environment.yml cannot install the repository itself"
    post_build = ROOT / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    assert "python -m pip install --no-deps -e ." in post_build.read_text()
    out = subprocess.run(["bash", "-n", str(post_build)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_pyproject_has_lower_bounds_only():
    runtime, _ = _pyproject_names()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [r for r in project["dependencies"] if "==" in r or "<" in r]
    assert {"torch", "torchvision", "matplotlib", "ipywidgets", "torchviz", "graphviz", "scikit-learn",
            "tqdm", "jupyterlab", "ipykernel", "setuptools"} <= runtime


def test_readme_quick_start_and_ci_use_make():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1]
    commands = re.findall(r"^make \w+$", quick, flags=re.M)
    assert commands[:2] == ["make lab", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_makefile_targets():
    out = subprocess.run(["make", "-n", "-C", str(ROOT), "lab", "test", "execute", "doctor"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "jupyter lab notebooks/" in out.stdout and "pytest" in out.stdout
    assert "nbconvert" in out.stdout and "--execute" in out.stdout and "dlstudy doctor" in out.stdout
    assert "--nbval-lax" not in (ROOT / "pyproject.toml").read_text() + (ROOT / "Makefile").read_text()


def test_readme_covers_running_elsewhere_and_troubleshooting():
    readme = (ROOT / "README.md").read_text()
    slug = REPOSITORY.removeprefix("https://github.com/")
    for place in ("On a GPU", "On Google Colab", "On Binder", "On a class JupyterHub"):
        assert f"**{place}" in readme
    assert f"colab.research.google.com/github/{slug}/" in readme and f"mybinder.org/v2/gh/{slug}/" in readme
    trouble = readme.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    for problem in ("dot", "Widgets", "MPS", "CUDA out of memory", "make execute"):
        assert problem in trouble, f"troubleshooting does not mention {problem}"
    for image in re.findall(r'src="([^"]+\.png)"', readme):
        assert (ROOT / image).exists(), f"README shows a missing picture: {image}"
    assert "## What the course does not cover" in readme
