"""``python -m dlstudy doctor`` reports the device and Graphviz, and gives fixes."""

import subprocess
import sys

import dlstudy.__main__ as cli
from dlstudy.tools import doctor


def test_doctor_runs_and_reports_device_and_graphviz():
    out = subprocess.run([sys.executable, "-m", "dlstudy", "doctor"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "device" in out.stdout and "Using " in out.stdout and "Graphviz dot" in out.stdout


def test_doctor_flags_missing_dot_with_install_hint(monkeypatch, capsys):
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    assert doctor.main(["doctor"]) == 0
    text = capsys.readouterr().out
    assert "FIX  Graphviz dot" in text and "apt install graphviz" in text and "brew install graphviz" in text


def test_doctor_flags_a_broken_dot(monkeypatch, capsys, tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert doctor.main(["doctor"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "Graphviz dot" in line)
    assert line.startswith("FIX") and "broken" in line and "apt install graphviz" in line


def test_doctor_and_command_line_usage(capsys):
    assert doctor.main(["nonsense"]) == 2
    assert cli.main(["nonsense"]) == 2 and "doctor | bench" in capsys.readouterr().out


def test_doctor_checks_for_a_font_that_draws_hangul(monkeypatch, tmp_path, capsys):
    fake = tmp_path / "fc-list"
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    fake.write_text("#!/bin/sh\nexit 0\n")                               # fontconfig finds no Korean font
    fake.chmod(0o755)
    assert doctor.main(["doctor"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "Korean font" in line)
    assert line.startswith("FIX") and "fonts-noto-cjk" in line
    fake.write_text("#!/bin/sh\necho 'Noto Sans CJK KR,Noto Sans CJK KR Regular'\n")
    ok, detail = doctor.korean_font()
    assert ok and detail == "Noto Sans CJK KR"


def test_doctor_speaks_korean_when_asked():
    import os
    env = dict(os.environ, DLSTUDY_LANG="ko")
    out = subprocess.run([sys.executable, "-m", "dlstudy", "doctor"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] in ("모두 준비됐어요.",) or "고칠 것이" in out.stdout.splitlines()[-1]
