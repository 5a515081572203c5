"""The suite never writes to the state folder of the person running it."""

from __future__ import annotations

import os

import pytest

from insight.sharing import store


def test_state_dir_is_a_pytest_temporary_folder_even_when_the_shell_sets_one(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Run with INSIGHT_STATE_DIR set in the shell (e.g. `INSIGHT_STATE_DIR=~/x make test`): the
    autouse fixture in tests/conftest.py still points every test at a throwaway folder."""
    base = tmp_path_factory.getbasetemp().resolve()
    assert store.state_dir().resolve().is_relative_to(base)
    assert os.environ["INSIGHT_STATE_DIR"].startswith(str(base))
