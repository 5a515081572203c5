"""Warming at server start (components.context.warm): the first page's tables are made in both
modes through the same cache a page reads, so the first visitor finds them there. It once raised
half-way (a function outside the registry's API), leaving the official context and the headline
chart cold, with only a warning in the server's log."""

from __future__ import annotations

from pathlib import Path

import pytest

from components import context
from insight.core.selection import MODES

ROOT = Path(__file__).resolve().parents[2]
WARMED = ("headlines", "talking_points", "context_beside", "la_shares")


@pytest.fixture(autouse=True)
def _cold(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(ROOT))
    context._LOADED.clear()
    context._TABLES.drop(lambda _key: True)
    yield
    context._LOADED.clear()
    context._TABLES.drop(lambda _key: True)


def _made(fingerprint: str) -> set[tuple[str, str]]:
    """(mode, insight) for every table cached for this dataset, whole area and whole period."""
    return {
        (key[4], key[5].rsplit(".", 1)[-1])
        for key in context._TABLES._items
        if key[0] == fingerprint and key[2:4] == ("all", "whole")
    }


def test_warming_makes_the_first_pages_tables_in_both_modes(sample_dir: Path) -> None:
    context.warm(str(sample_dir))
    fingerprint = context.fingerprint(str(sample_dir))
    made = _made(fingerprint)
    missing = {(mode, name) for mode in MODES for name in WARMED} - made
    assert not missing, f"not warmed: {sorted(missing)}"
    assert context._cached_dataset(str(sample_dir), fingerprint) is not None
