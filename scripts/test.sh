#!/usr/bin/env bash
# The whole suite: lint, format, repository checks, then the unit, app and browser tests (the type
# check, mypy, among them: tests/unit/test_types.py) in one pytest-xdist session on both cores
# (one Chromium per worker, from pytest-playwright; each worker starts the servers its tests need
# once).
# Called by `make test` (and so by .ci/run). Arguments, if any, go to one plain pytest run instead.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
scripts/apt_test_deps.sh  # Debian's chromium, nginx and postgresql, where missing (as root)
# The suite starts about 25 Python processes (its two workers, a server per dataset, the sign-in
# and deep-link servers, each command-line test). Where PYTHONDONTWRITEBYTECODE is set, as on this
# project's CI, each of them compiled Streamlit, pandas and plotly again on import (7.8 s against
# 3.7 s from bytecode): Python may write its bytecode here, into .venv/ and the git-ignored
# __pycache__/ folders, so each module is compiled once.
unset PYTHONDONTWRITEBYTECODE
$BIN/ruff check .
$BIN/ruff format --check .
$BIN/python scripts/repo_checks.py
if [ "$#" -gt 0 ]; then
  exec $BIN/python -m pytest "$@"
fi
# One session for every layer, on both cores, a module's tests on one worker (its fixtures and
# servers made once), the modules handed out longest first (tests/conftest.py: MODULE_SECONDS), so
# that what is left at the end is short and both workers finish together. A failed browser test
# leaves pytest-playwright's screenshot in test-artifacts/playwright/.
$BIN/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder tests \
  --screenshot only-on-failure --output test-artifacts/playwright
