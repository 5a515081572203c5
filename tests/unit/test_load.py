"""Loading good datasets: every format, the normalised types, thresholds, fingerprint, progress and
the command line's exit codes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from insight.core.contract import AGE_BANDS, STATUSES
from insight.core.problems import DatasetRefused
from insight.core.thresholds import Thresholds
from insight.intake.load import dataset_fingerprint, load_dataset, validate_folder
from tests.unit import _datasets as ds

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_every_format_loads_the_same(tmp_path: Path, fmt: str) -> None:
    dataset = load_dataset(ds.write(tmp_path, fmt=fmt))
    reference = load_dataset(ds.write(tmp_path / "ref"))
    pd.testing.assert_frame_equal(dataset.participants, reference.participants)
    for name in ("vacancies", "job_entries", "local_provision", "commissioning_plans", "insights"):
        pd.testing.assert_frame_equal(getattr(dataset, name), getattr(reference, name))


def test_typed_parquet_columns_are_read(tmp_path: Path) -> None:
    folder = ds.write(tmp_path, formats={"participants": "parquet", "vacancies": "parquet"})
    frame = pd.read_parquet(folder / "participants.parquet")
    frame["barrier_digital_skills"] = [True, False, None, None, True, False]
    frame["status"] = frame["status"].astype("category")
    frame["start_month"] = pd.to_datetime(frame["start_month"] + "-01")
    frame.to_parquet(folder / "participants.parquet", index=False)
    vacancies = pd.read_parquet(folder / "vacancies.parquet")
    vacancies["positions"] = vacancies["positions"].astype("int64")
    vacancies.to_parquet(folder / "vacancies.parquet", index=False)
    dataset = load_dataset(folder)
    assert dataset.participants["barrier_digital_skills"].tolist()[:2] == [True, False]
    assert dataset.participants["barrier_digital_skills"][2] is pd.NA
    assert dataset.participants["start_month"][0] == "2024-07"
    assert dataset.vacancies is not None and dataset.vacancies["positions"].tolist() == [5, 12]


def test_normalised_types(tmp_path: Path) -> None:
    dataset = load_dataset(ds.write(tmp_path))
    frame = dataset.participants
    assert list(frame.columns[:5]) == [
        "participant_id",
        "la_code",
        "start_month",
        "start_month_index",
        "status",
    ]
    assert frame["participant_id"].dtype == "str"
    assert frame["start_month"].tolist()[:2] == ["2024-07", "2024-08"]
    assert frame["start_month_index"].dtype == "int32"
    assert frame["start_month_index"][0] == 2024 * 12 + 6
    assert list(frame["status"].cat.categories) == list(STATUSES)
    assert list(frame["age_band"].cat.categories) == list(AGE_BANDS)
    assert frame["la_code"].dtype == "category"
    assert frame["barrier_digital_skills"].dtype == "boolean"
    assert dataset.barrier_keys == ("digital_skills", "transport")
    assert dataset.service_keys == ("skills_training", "work_placement")
    assert dataset.la_codes == ("E08000025", "E08000031")
    meta = dataset.meta
    assert (meta.period_start, meta.period_end, meta.extract_date) == (
        "2024-07",
        "2025-06",
        date(2025, 7, 4),
    )
    assert meta.synthetic and meta.performance_manager_email == "pm@example.org"
    assert meta.thresholds == Thresholds()
    assert dataset.source == str(tmp_path) and len(dataset.fingerprint) == 64
    plans = dataset.commissioning_plans
    assert plans is not None
    assert plans["la_codes"].tolist() == [("E08000025", "E08000031"), ("ALL",)]
    assert plans["end_month_index"].dtype == "int32"
    insights = dataset.insights
    assert insights is not None
    assert insights["barriers"].tolist() == [("motivation", "digital_skills"), ("transport",)]


def test_booleans_in_every_spelling_and_blank_is_unknown(tmp_path: Path) -> None:
    data = ds.tables()
    spellings = ["true", "FALSE", "Yes", "no", "Y", "n"]
    values = [*spellings, "1", "0", "", " "]
    template = data["participants"]["rows"][0]
    data["participants"]["rows"] = [
        [f"P{i}", *template[1:8], value, value, value, value] for i, value in enumerate(values)
    ]
    frame = load_dataset(ds.write(tmp_path, data)).participants
    got = frame["barrier_digital_skills"].tolist()
    assert got[:8] == [True, False, True, False, True, False, True, False]
    assert got[8] is pd.NA and got[9] is pd.NA


def test_2025_codes_are_mapped_and_welsh_codes_accepted(tmp_path: Path) -> None:
    data = ds.tables()
    for row, code in enumerate(["E08000038", "E08000039", "W06000015", "w06000015"], start=2):
        ds.set_cell(data, "participants", "la_code", row, code)
    ds.set_cell(data, "vacancies", "la_code", 2, "E08000039")
    ds.set_cell(data, "insights", "la_codes", 2, "E08000038;W06000015")
    dataset = load_dataset(ds.write(tmp_path, data))
    assert dataset.participants["la_code"].tolist()[:4] == [
        "E08000016",
        "E08000019",
        "W06000015",
        "W06000015",
    ]
    assert "E08000038" not in dataset.participants["la_code"].cat.categories
    assert dataset.vacancies is not None and dataset.vacancies["la_code"][0] == "E08000019"
    assert dataset.insights is not None
    assert dataset.insights["la_codes"][0] == ("E08000016", "W06000015")


def test_bom_csv_and_messy_column_names(tmp_path: Path) -> None:
    data = ds.tables()
    ds.rename_column(data, "participants", "participant_id", " Participant ID ")
    ds.rename_column(data, "participants", "age_band", "Age-Band")
    ds.rename_column(data, "participants", "barrier_digital_skills", "Barrier Digital-Skills")
    folder = ds.write(tmp_path, data)
    path = folder / "participants.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    frame = load_dataset(folder).participants
    assert {"participant_id", "age_band", "barrier_digital_skills"} <= set(frame.columns)
    assert frame["participant_id"][0] == "P0001"


def test_closed_lists_ignore_case_and_spaces(tmp_path: Path) -> None:
    data = ds.tables()
    ds.set_cell(data, "participants", "status", 2, " Active ")
    ds.set_cell(data, "participants", "gender", 3, "male")
    frame = load_dataset(ds.write(tmp_path, data)).participants
    assert frame["status"][0] == "active" and frame["gender"][1] == "Male"


def test_optional_tables_are_none_and_extra_columns_dropped(tmp_path: Path) -> None:
    data = {"participants": ds.tables()["participants"]}
    ds.add_column(data, "participants", "notes")
    dataset = load_dataset(ds.write(tmp_path, data))
    assert dataset.vacancies is None and dataset.insights is None
    assert "notes" not in dataset.participants


def test_header_only_participants_is_valid_and_empty(tmp_path: Path) -> None:
    data = ds.tables()
    data["participants"]["rows"] = []
    dataset = load_dataset(ds.write(tmp_path, data))
    assert len(dataset.participants) == 0 and dataset.la_codes == ()


def test_plans_may_run_past_the_period(tmp_path: Path) -> None:
    data = ds.tables()
    ds.set_cell(data, "commissioning_plans", "end_month", 2, "2027-03")
    ds.set_cell(data, "commissioning_plans", "start_month", 3, "2023-01")
    assert validate_folder(ds.write(tmp_path, data)).ok


def test_outward_codes_in_text_are_fine(tmp_path: Path) -> None:
    data = ds.tables()
    ds.set_cell(data, "insights", "text", 2, "Hotspots in B1, WV10 and SW1A; 2024-25 up 12%")
    assert validate_folder(ds.write(tmp_path, data)).ok


def test_stricter_thresholds_accepted(tmp_path: Path) -> None:
    meta = ds.META + "[disclosure]\nmin_base = 20\nmin_cell = 10\nround_to = 10\n"
    dataset = load_dataset(ds.write(tmp_path, meta=meta))
    assert dataset.meta.thresholds == Thresholds(min_base=20, min_cell=10, round_to=10)


def test_looser_thresholds_refused(tmp_path: Path) -> None:
    meta = ds.META + "[disclosure]\nmin_cell = 3\n"
    with pytest.raises(DatasetRefused) as refused:
        load_dataset(ds.write(tmp_path, meta=meta))
    (problem,) = refused.value.report.problems
    assert (problem.file, problem.column) == ("dataset.toml", "disclosure.min_cell")


def test_toml_dates_may_be_bare(tmp_path: Path) -> None:
    meta = ds.META.replace('"2025-07-04"', "2025-07-04")
    assert load_dataset(ds.write(tmp_path, meta=meta)).meta.extract_date == date(2025, 7, 4)


def test_progress_is_reported_in_order(tmp_path: Path) -> None:
    calls: list[tuple[float, str]] = []
    load_dataset(ds.write(tmp_path), progress=lambda f, m: calls.append((f, m)))
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(message for _, message in calls)


def test_fingerprint_follows_the_files(tmp_path: Path) -> None:
    folder = ds.write(tmp_path)
    first = dataset_fingerprint(folder)
    assert first == dataset_fingerprint(folder) == load_dataset(folder).fingerprint
    (folder / "vacancies.csv").write_text("la_code,sector,month,positions\n", encoding="utf-8")
    assert dataset_fingerprint(folder) != first


def test_refusal_keeps_nothing(tmp_path: Path) -> None:
    data = ds.tables()
    ds.set_cell(data, "vacancies", "positions", 2, "-3")
    with pytest.raises(DatasetRefused) as refused:
        load_dataset(ds.write(tmp_path, data))
    assert not refused.value.report.ok
    assert "vacancies.csv, row 2, column 'positions'" in str(refused.value)


def test_bundled_sample_is_valid(sample_dir: Path) -> None:
    dataset = load_dataset(sample_dir)
    assert dataset.meta.synthetic and len(dataset.participants) > 1000


def test_welsh_sample_is_valid(wales_dir: Path) -> None:
    dataset = load_dataset(wales_dir)
    assert all(code.startswith("W06") for code in dataset.la_codes)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "insight", "validate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_exit_codes(tmp_path: Path) -> None:
    good = ds.write(tmp_path / "good")
    data = ds.tables()
    ds.set_cell(data, "participants", "status", 2, "paused")
    bad = ds.write(tmp_path / "bad", data)
    valid = _cli(str(good))
    assert valid.returncode == 0 and "valid" in valid.stdout
    refused = _cli(str(bad))
    assert refused.returncode == 1 and "participants.csv, row 2, column 'status'" in refused.stdout
    assert _cli(str(tmp_path / "missing")).returncode == 2
    assert _cli().returncode == 2


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("perfomance_manager_email", "did you mean 'performance_manager_email'?"),
        ("job_outcomes", ""),
    ],
)
def test_a_setting_dataset_toml_does_not_have_is_refused(tmp_path: Path, key: str, hint: str):
    """A misspelt setting would be lost silently (here the para 16 address); a stray one could
    carry what the annex bans. Either is named, with the near miss when there is one."""
    meta = ds.META.replace("[disclosure]", "") + f'{key} = "120"\n'
    with pytest.raises(DatasetRefused) as refused:
        load_dataset(ds.write(tmp_path, meta=meta))
    (problem,) = [p for p in refused.value.report.problems if p.rule == "meta_unknown_key"]
    assert (problem.file, problem.column) == ("dataset.toml", key)
    assert hint in problem.message and "120" not in problem.message
