"""The default for everyone (issue 29): a data manager makes a kept dataset, kept for everyone, the
one every session opens when its link names none; nobody else may; a role it is no longer kept
for falls back; removing it clears the setting. Kept on the server (the store's one
server_settings table), so every process sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.sharing import datasets, store
from insight.sharing.access import NotAllowed, Principal

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
MANAGER = Principal("dm@example.org", "data_manager", signed_in=True)
ANALYST = Principal("an@example.org", "analyst", signed_in=True)
VIEWER = Principal("vi@example.org", "viewer", signed_in=True)


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datasets, "DEFAULT_RECHECK_S", 0.0)


@pytest.mark.parametrize("who", [ANALYST, VIEWER])
def test_only_a_data_manager_makes_a_dataset_the_default(who: Principal) -> None:
    datasets.keep("for-all", SAMPLE, audience="viewer")
    with pytest.raises(NotAllowed, match="a data manager does"):
        datasets.set_default("for-all", by=who)
    assert datasets.default_name() is None and store.setting(datasets.DEFAULT_SETTING) is None


def test_everyone_opens_the_default_and_who_set_it_is_kept() -> None:
    kept = datasets.keep("for-all", SAMPLE, audience="viewer")
    datasets.set_default("for-all", by=MANAGER)
    for role in ("viewer", "analyst", "data_manager"):
        assert datasets.default_for(role) == kept
    found = store.setting(datasets.DEFAULT_SETTING)
    assert found is not None and (found.value, found.set_by) == ("for-all", "dm@example.org")
    datasets.set_default(None, by=MANAGER)
    assert datasets.default_for("viewer") is None


def test_a_dataset_not_kept_for_everyone_cannot_be_the_default_nor_stay_one_for_others() -> None:
    datasets.keep("managers", SAMPLE)
    with pytest.raises(datasets.UploadError, match="open it to everyone first"):
        datasets.set_default("managers", by=MANAGER)
    with pytest.raises(datasets.UploadError, match="no kept dataset"):
        datasets.set_default("never-kept", by=MANAGER)
    datasets.keep("wide", SAMPLE, audience="viewer")
    datasets.set_default("wide", by=MANAGER)
    datasets.set_audience("wide", "analyst")  # narrowed afterwards: viewers fall back
    assert datasets.default_for("viewer") is None
    assert datasets.default_for("analyst") == datasets.kept_folder("wide")


def test_removing_the_default_dataset_clears_the_setting() -> None:
    datasets.keep("for-all", SAMPLE, audience="viewer")
    datasets.set_default("for-all", by=MANAGER)
    datasets.remove("for-all")
    assert store.setting(datasets.DEFAULT_SETTING) is None
    datasets.keep("for-all", SAMPLE, audience="viewer")  # kept again: not the default again
    assert datasets.default_name() is None
