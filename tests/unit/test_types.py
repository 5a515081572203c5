"""mypy finds no error in the app: insight/, components/, the page scripts and app.py ([tool.mypy]
in pyproject.toml). A test, so that the type check runs on one core while the rest of the suite
runs on the other: run on its own before the suite, it kept a core idle for about 15 s on a fresh
clone."""

from __future__ import annotations

from tests.conftest import venv_tool


def test_mypy_finds_no_error_in_the_app() -> None:
    out = venv_tool("mypy", timeout=600)
    assert out.returncode == 0, out.stdout[-5000:] + out.stderr[-2000:]
    assert out.stdout.startswith("Success: no issues found in "), out.stdout[-2000:]
