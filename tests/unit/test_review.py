"""Issue 30: the sign-off and review records (who, when), and the shareable dataset every page,
slide and export is built from (insight.sharing.review, bound in by insight.service.view)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.dataset import Dataset
from insight.core.selection import Selection
from insight.intake.load import load_dataset
from insight.numbers import tables
from insight.service.view import page_view
from insight.sharing import review, store
from insight.sharing.access import NotAllowed, Principal
from tests.unit._unreviewed import (
    EMPLOYER,
    INSIGHT_TEXT,
    KEY,
    LABEL,
    MARK,
    ORGANISATION,
    write_unreviewed,
)
from tests.unit.tiny_dataset import SANDWELL, people
from tests.unit.tiny_dataset import dataset as tiny

ANALYST = Principal("analyst@provider.example", "analyst", signed_in=True)
MANAGER = Principal("lead@provider.example", "data_manager", signed_in=True)


@pytest.fixture(scope="module")
def unreviewed(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_unreviewed(tmp_path_factory.mktemp("unreviewed") / "data", 1500))


def _texts(frame: pd.DataFrame) -> str:
    return frame.astype(str).to_string()


# --- the records ----------------------------------------------------------------------------
def test_a_sign_off_records_who_and_when_and_only_a_data_manager_signs() -> None:
    with pytest.raises(NotAllowed, match="a data manager does"):
        store.sign_off_flag("service", KEY, LABEL, by=ANALYST)
    assert store.flag_signoffs() == []
    before = datetime.now(UTC).replace(microsecond=0)
    record = store.sign_off_flag("service", KEY, LABEL, by=MANAGER)
    assert (record.kind, record.key, record.label, record.signed_by) == (
        "service",
        KEY,
        LABEL,
        MANAGER.user,
    )
    assert datetime.fromisoformat(record.signed_utc) >= before
    again = store.sign_off_flag("service", KEY, LABEL)  # the first record is kept
    assert again == record and store.flag_signoffs() == [record]


def test_a_text_review_records_who_when_and_the_dataset(unreviewed: Dataset) -> None:
    with pytest.raises(NotAllowed):
        review.record_review(unreviewed, by=ANALYST)
    record = review.record_review(unreviewed, by=MANAGER)
    key, rows = review.text_key(unreviewed)
    assert (record.text_key, record.fingerprint, record.rows, record.reviewed_by) == (
        key,
        unreviewed.fingerprint,
        rows,
        MANAGER.user,
    )
    assert record.reviewed_utc and store.text_review(key) == record
    assert review.status(unreviewed).reviewed


# --- the shareable dataset -------------------------------------------------------------------
def test_before_review_no_text_and_no_unsigned_key_is_in_the_shareable_dataset(
    unreviewed: Dataset,
) -> None:
    status = review.status(unreviewed)
    assert not status.reviewed and [d.key for d in status.pending] == [KEY]
    shown = review.shareable(unreviewed, status)
    assert shown.fingerprint != unreviewed.fingerprint
    for table in ("insights", "commissioning_plans", "local_provision", "vacancies"):
        text = _texts(getattr(shown, table))
        assert MARK not in text and review.PLACEHOLDER in text, table
    assert KEY not in shown.service_keys and f"service_{KEY}" not in shown.participants
    # names are numbered, so shares by them stay true: as many sectors as before
    assert shown.vacancies["sector"].nunique() == unreviewed.vacancies["sector"].nunique()
    assert set(shown.vacancies["sector"]) <= {f"{review.PLACEHOLDER} ({n})" for n in range(1, 20)}


def test_after_review_and_sign_off_the_dataset_is_shown_whole(unreviewed: Dataset) -> None:
    review.record_review(unreviewed, by=MANAGER)
    store.sign_off_flag("service", KEY, LABEL, by=MANAGER)
    status = review.status(unreviewed)
    assert status.reviewed and not status.pending and status.notes() == ()
    assert review.shareable(unreviewed, status) is unreviewed


def test_a_new_label_needs_a_new_sign_off(unreviewed: Dataset) -> None:
    store.sign_off_flag("service", KEY, "Something else", by=MANAGER)
    assert [d.key for d in review.status(unreviewed).pending] == [KEY]


def test_no_text_reaches_a_table_a_slide_or_the_ready_made_meeting_before_review(
    unreviewed: Dataset,
) -> None:
    """The view is the mechanism: every bound call gets the shareable dataset."""
    for mode in ("presenter", "standard"):
        view = page_view(unreviewed, Selection(mode=mode))  # type: ignore[arg-type]
        assert MARK not in _texts(view.table(tables.insights))
        assert MARK not in _texts(view.table(tables.plans))
        assert ORGANISATION not in view.table(tables.provision).frame.to_string()
        assert EMPLOYER not in view.table(tables.vacancies, "employer").frame.to_string()
        assert KEY not in view.service_keys
        assert LABEL not in view.table(tables.services).frame.to_string()
    view = page_view(unreviewed, Selection(mode="presenter"))
    items = view.ready_made("all", "whole")
    for number, item in enumerate(items, 1):
        slide = view.slide(item, number, len(items))
        words = " ".join(map(str, vars(slide).values()))
        assert MARK not in words and INSIGHT_TEXT not in words, item.chart


def test_the_review_sheet_is_for_standard_mode_only(unreviewed: Dataset) -> None:
    sheet = page_view(unreviewed, Selection(mode="standard")).review_sheet()
    assert INSIGHT_TEXT in [item.value for item in sheet.items]
    assert [d.label for d in sheet.declared if d.key == KEY] == [LABEL]
    with pytest.raises(PermissionError):
        page_view(unreviewed, Selection(mode="presenter")).review_sheet()


# --- the bundled sample ----------------------------------------------------------------------
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def test_the_sample_is_reviewed_by_its_catalogue_and_its_keys_signed() -> None:
    status = review.status(load_dataset(SAMPLE))
    assert status.reviewed and status.review is not None
    assert status.review.reviewed_by == review.CATALOGUE_REVIEWER
    assert not status.pending and len(status.signed) == 3


def test_one_changed_word_in_the_sample_needs_a_review(tmp_path: Path) -> None:
    folder = shutil.copytree(
        SAMPLE, tmp_path / "copy", ignore=shutil.ignore_patterns("geo", "context", "README.md")
    )
    plans = pd.read_csv(folder / "commissioning_plans.csv", dtype=str, keep_default_na=False)
    plans.loc[0, "description"] = plans.loc[0, "description"] + " Quokka."
    plans.to_csv(folder / "commissioning_plans.csv", index=False)
    assert not review.status(load_dataset(folder)).reviewed


def test_the_samples_keys_are_signed_only_for_synthetic_data(tmp_path: Path) -> None:
    folder = shutil.copytree(
        SAMPLE, tmp_path / "real", ignore=shutil.ignore_patterns("geo", "context", "README.md")
    )
    meta = (folder / "dataset.toml").read_text(encoding="utf-8")
    (folder / "dataset.toml").write_text(
        meta.replace("synthetic = true", "synthetic = false"), encoding="utf-8"
    )
    assert len(review.status(load_dataset(folder)).pending) == 3


# --- property: no unreviewed value survives into the shareable dataset --------------------------
_WORDS = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "Zs", "P")), min_size=1, max_size=30
).filter(lambda t: t.strip() != "")


@settings(max_examples=60, deadline=None)
@given(
    sectors=st.lists(_WORDS, min_size=1, max_size=6),
    employers=st.lists(_WORDS, min_size=1, max_size=6),
    texts=st.lists(_WORDS, min_size=1, max_size=4),
)
def test_no_unreviewed_value_is_in_the_shareable_dataset(
    sectors: list[str], employers: list[str], texts: list[str]
) -> None:
    n = max(len(sectors), len(employers))
    vacancies = pd.DataFrame(
        {
            "la_code": [SANDWELL] * n,
            "sector": pd.Series([sectors[i % len(sectors)] for i in range(n)], dtype="str"),
            "month": ["2025-03"] * n,
            "positions": [3] * n,
            "employer": pd.Series([employers[i % len(employers)] for i in range(n)], dtype="str"),
        }
    )
    insights = pd.DataFrame(
        {
            "category": ["what_works"] * len(texts),
            "title": pd.Series(texts, dtype="str"),
            "text": pd.Series(texts, dtype="str"),
            "la_codes": [("ALL",)] * len(texts),
            "barriers": [()] * len(texts),
            "approach": pd.Series([pd.NA] * len(texts), dtype="str"),
            "recommendation": [None] * len(texts),
        }
    )
    ds = tiny(people(SANDWELL, 12), vacancies=vacancies, insights=insights)
    shown = review.shareable(ds, review.status(ds))
    originals = {v.strip() for v in [*sectors, *employers, *texts]}
    for table, column in (
        ("vacancies", "sector"),
        ("vacancies", "employer"),
        ("insights", "title"),
        ("insights", "text"),
    ):
        values = set(getattr(shown, table)[column].dropna())
        assert values and all(v.startswith(review.PLACEHOLDER) for v in values)
        assert not (values & originals)
    # names stay distinct, so shares by them are true
    assert shown.vacancies["sector"].nunique() == vacancies["sector"].nunique()


def test_the_command_lines_pack_is_made_from_the_shareable_dataset(
    unreviewed: Dataset, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    """`python -m insight export` goes through the same gate (a full pack takes 30 s; this
    catches the dataset handed to it)."""
    from insight import cli
    from insight.service import release

    handed: list[Dataset] = []

    def catch(ds, sel, **kwargs):
        handed.append(ds)
        raise RuntimeError("stop here")

    monkeypatch.setattr(release, "export_pack", catch)
    folder = Path(unreviewed.source)
    assert cli.main(["export", "--dataset", str(folder), "--out", str(tmp_path / "p.pdf")]) == 1
    [ds] = handed
    assert MARK not in _texts(ds.insights) and f"service_{KEY}" not in ds.participants
    assert "not yet reviewed for sharing" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["pptx", "summary"])
def test_the_command_lines_handouts_are_made_from_the_shareable_dataset(
    unreviewed: Dataset, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys, fmt: str
) -> None:
    """The deck, slide PDF and summary from `python -m insight export --format` go through the
    gate too: they were made from the dataset as loaded, unreviewed text and all."""
    from insight import cli
    from insight.service import release

    handed: list[Dataset] = []

    def catch(ds, fmt, **kwargs):
        handed.append(ds)
        raise RuntimeError("stop here")

    monkeypatch.setattr(release, "export_handout", catch)
    folder = Path(unreviewed.source)
    la = unreviewed.la_codes[0]
    args = ["export", "--dataset", str(folder), "--format", fmt, "--la", la]
    args += ["--meeting", "auto"] if fmt == "pptx" else []
    assert cli.main([*args, "--out", str(tmp_path / f"h.{fmt}")]) == 1
    [ds] = handed
    assert MARK not in _texts(ds.insights) and f"service_{KEY}" not in ds.participants
    assert "not yet reviewed for sharing" in capsys.readouterr().err
