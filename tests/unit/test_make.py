"""The README's two commands: `make run` installs what the app needs and nothing of the test tools;
`make test` adds them (read from make's own dry run, every step forced)."""

from __future__ import annotations

import subprocess

from tests.conftest import ROOT


def _steps(target: str) -> str:
    out = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_make_run_installs_the_app_but_not_the_test_tools() -> None:
    run = _steps("run")
    assert "uv pip install" in run and " -e ." in run
    assert "--group" not in run
    assert "streamlit run app.py" in run


def test_make_test_adds_the_test_tools_before_the_suite() -> None:
    test = _steps("test")
    assert "--group test" in test
    assert test.index("--group test") < test.index("scripts/test.sh")
