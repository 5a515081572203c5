"""Kept datasets have an audience (issue 30): a viewer opens only those kept for viewers, and a
name kept for another audience answers exactly as a name that is not kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.intake.load import dataset_fingerprint, validate_folder
from insight.sharing import datasets
from insight.sharing.access import ROLES

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def test_by_default_only_data_managers_open_a_kept_dataset() -> None:
    kept = datasets.keep("board-pack", SAMPLE)
    assert datasets.audience("board-pack") == "data_manager"
    assert datasets.open_kept("board-pack", "data_manager") == kept
    assert datasets.open_kept("board-pack", "analyst") is None
    assert datasets.open_kept("board-pack", "viewer") is None
    # a name that is not kept gets the very same answer: guessing learns nothing
    assert datasets.open_kept("no-such-dataset", "viewer") is None
    assert datasets.names_for("viewer") == [] and datasets.names_for("data_manager") == [
        "board-pack"
    ]


@pytest.mark.parametrize(
    ("audience", "opens_for"),
    [
        ("data_manager", {"data_manager"}),
        ("analyst", {"analyst", "data_manager"}),
        ("viewer", {"viewer", "analyst", "data_manager"}),
    ],
)
def test_the_audience_chosen_when_keeping_decides_who_opens_it(audience, opens_for) -> None:
    datasets.keep("shared", SAMPLE, audience=audience)
    assert {role for role in ROLES if datasets.open_kept("shared", role)} == opens_for
    assert datasets.open_kept("shared", "administrator") is None, "an unknown role opens nothing"


def test_the_audience_can_be_changed_and_goes_with_the_dataset(tmp_path: Path) -> None:
    kept = datasets.keep("monthly", SAMPLE, audience="viewer")
    assert datasets.set_audience("monthly", "analyst")
    assert datasets.open_kept("monthly", "viewer") is None
    assert not datasets.set_audience("absent", "viewer")
    kept = datasets.keep("monthly", SAMPLE, replace=True)  # replaced: the new choice, the default
    assert datasets.audience("monthly") == "data_manager"
    datasets.remove("monthly")
    assert not kept.exists()


def test_the_audience_file_is_not_part_of_the_dataset(tmp_path: Path) -> None:
    """The dot file changes neither the checks nor the content key (the same files, whoever may
    open them, are the same dataset)."""
    datasets.keep("a", SAMPLE, audience="viewer")
    kept = datasets.keep("b", SAMPLE)
    assert (kept / datasets.AUDIENCE_FILE).is_file()
    assert dataset_fingerprint(datasets.kept_folder("a")) == dataset_fingerprint(kept)
    assert validate_folder(kept).ok


def test_a_damaged_or_missing_audience_is_the_narrowest(tmp_path: Path) -> None:
    kept = datasets.keep("old", SAMPLE, audience="viewer")
    (kept / datasets.AUDIENCE_FILE).write_text("everyone\n", encoding="utf-8")
    assert datasets.audience("old") == "data_manager"
    (kept / datasets.AUDIENCE_FILE).unlink()  # kept before audiences existed
    assert datasets.audience("old") == "data_manager"
    assert datasets.open_kept("old", "viewer") is None


def test_an_unknown_audience_is_refused_before_anything_is_kept() -> None:
    with pytest.raises(datasets.UploadError, match="not an audience"):
        datasets.keep("x", SAMPLE, audience="everyone")  # type: ignore[arg-type]
    assert datasets.kept_names() == []
