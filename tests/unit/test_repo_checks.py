"""scripts/repo_checks.py: data files only under sample_data/, no large files elsewhere."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("repo_checks", ROOT / "scripts" / "repo_checks.py")
repo_checks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(repo_checks)


def test_data_files_outside_sample_data_are_refused() -> None:
    found = repo_checks.problems(
        ["extract.csv", "tests/fixtures/Participants.XLSX", "notes/jo.parquet"],
        size_of=lambda p: 10,
    )
    assert len(found) == 3
    assert all("outside sample_data/" in line for line in found)


def test_data_files_under_sample_data_and_code_pass() -> None:
    assert (
        repo_checks.problems(
            ["sample_data/participants.csv", "insight/intake/guard.py", "README.md"],
            size_of=lambda p: 10,
        )
        == []
    )


def test_a_large_file_outside_sample_data_is_refused_by_size() -> None:
    found = repo_checks.problems(["static/big.js"], size_of=lambda p: 2 << 20)
    assert found == ["static/big.js: 2,097,152 bytes, over the 1,048,576-byte limit for a file"]
    assert repo_checks.problems(["sample_data/big.geojson"], size_of=lambda p: 9 << 20) == []


def test_this_repository_is_clean() -> None:
    assert repo_checks.problems(repo_checks.tracked()) == []
