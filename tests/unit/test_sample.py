"""The synthetic sample: reproducible from its seed, valid under the contract, and realistic
enough that the pages have something true to show (and something small enough to suppress)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insight.core import contract, geo
from insight.core.periods import month_index
from insight.sample.synthetic import write_sample

BUNDLED_PARTICIPANTS, BUNDLED_SEED = 40_000, 2024
NOT_GENERATED = {"README.md"}  # hand-written files beside the generated ones; geo/ is a folder


def _generated_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in NOT_GENERATED)


def _read(folder: Path, stem: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{stem}.csv", dtype=str, keep_default_na=False)


def _meta(folder: Path) -> dict:
    return tomllib.loads((folder / contract.META_FILE).read_text(encoding="utf-8"))


def _share_true(column: pd.Series) -> float:
    known = column[column != ""]
    return float((known == "true").mean())


@pytest.fixture(scope="module")
def people(sample_dir: Path) -> pd.DataFrame:
    return _read(sample_dir, "participants")


# --- reproducible --------------------------------------------------------------------------------
def test_bundled_sample_regenerates_byte_for_byte(sample_dir: Path, tmp_path: Path) -> None:
    write_sample(tmp_path, BUNDLED_PARTICIPANTS, BUNDLED_SEED)
    assert _generated_files(tmp_path) == _generated_files(sample_dir)
    for name in _generated_files(sample_dir):
        assert (tmp_path / name).read_bytes() == (sample_dir / name).read_bytes(), (
            f"sample_data/{name} is stale: run `make sample` and commit it"
        )


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path, fmt: str) -> None:
    first, again, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_sample(first, 1_500, 3, fmt=fmt)
    write_sample(again, 1_500, 3, fmt=fmt)
    write_sample(other, 1_500, 4, fmt=fmt)
    files = _generated_files(first)
    assert f"participants.{fmt}" in files
    for name in files:
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    table = f"participants.{fmt}"
    assert (first / table).read_bytes() != (other / table).read_bytes()


def test_a_new_format_replaces_the_old_copy_of_a_table(tmp_path: Path) -> None:
    write_sample(tmp_path, 500, 1, fmt="csv")
    write_sample(tmp_path, 500, 1, fmt="parquet")
    assert not (tmp_path / "participants.csv").exists()
    back = pd.read_parquet(tmp_path / "participants.parquet")
    assert len(back) == 500
    assert str(back["barrier_digital_skills"].dtype) == "boolean"


def test_unknown_preset_or_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="preset"):
        write_sample(tmp_path, 10, 1, preset="atlantis")
    with pytest.raises(ValueError, match="format"):
        write_sample(tmp_path, 10, 1, fmt="json")


# --- valid under the contract ----------------------------------------------------------------------
def test_bundled_sample_passes_validation_and_loads(sample_dir: Path) -> None:
    from insight.intake.load import load_dataset, validate_folder

    report = validate_folder(sample_dir)
    assert report.ok, report.text()
    dataset = load_dataset(sample_dir)
    assert dataset.meta.synthetic
    assert len(dataset.participants) == BUNDLED_PARTICIPANTS
    assert "caring_responsibilities" in dataset.barrier_keys


def test_wales_sample_passes_validation(wales_dir: Path) -> None:
    from insight.intake.load import validate_folder

    report = validate_folder(wales_dir)
    assert report.ok, report.text()


def test_every_contract_table_and_meta_field_is_there(sample_dir: Path) -> None:
    for stem in contract.TABLES:
        frame = _read(sample_dir, stem)
        assert set(contract.REQUIRED_COLUMNS[stem]) <= set(frame.columns), stem
        assert len(frame) > 0, stem
    meta = _meta(sample_dir)
    assert set(contract.META_REQUIRED) <= set(meta)
    assert meta["synthetic"] is True
    assert meta["performance_manager_email"].endswith("@example.org")
    assert (meta["period_start"], meta["period_end"]) == ("2024-07", "2026-06")


def test_every_value_is_in_its_list_and_every_month_in_the_period(
    sample_dir: Path, people: pd.DataFrame
) -> None:
    meta = _meta(sample_dir)
    first, last = month_index(meta["period_start"]), month_index(meta["period_end"])
    for column, allowed in contract.CHARACTERISTICS.items():
        assert set(people[column]) <= set(allowed), column
    assert set(people["status"]) <= set(contract.STATUSES)
    flags = [c for c in people if c.startswith((contract.BARRIER_PREFIX, contract.SERVICE_PREFIX))]
    for column in flags:
        assert set(people[column]) <= {"true", "false", ""}, column
    assert people["participant_id"].is_unique
    assert people["participant_id"].str.fullmatch(r"RS-\d{6,}").all()
    months = {"participants": ["start_month"], "commissioning_plans": ["start_month", "end_month"]}
    for stem in ("vacancies", "job_entries", "local_provision"):
        months[stem] = ["month"]
    for stem, columns in months.items():
        frame = _read(sample_dir, stem)
        assert set(frame["la_code"] if "la_code" in frame else []) <= geo.known_codes() | {"ALL"}
        for column in columns:
            index = frame[column].map(month_index)
            assert index.between(first, last).all(), f"{stem}.{column}"
    plans, insights = _read(sample_dir, "commissioning_plans"), _read(sample_dir, "insights")
    assert set(plans["status"]) == set(contract.PLAN_STATUSES)
    assert set(plans["barrier"]) - {""} <= set(contract.BARRIERS)
    assert set(insights["category"]) == set(contract.INSIGHT_CATEGORIES)
    assert set(insights["recommendation"]) - {""} <= set(contract.RECOMMENDATIONS)
    for keys in insights["barriers"]:
        assert set(filter(None, keys.split(";"))) <= set(contract.BARRIERS), keys
    provision = _read(sample_dir, "local_provision")
    assert set(provision["funded_by"]) <= set(contract.FUNDED_BY)


_PERSONAL = {
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", re.IGNORECASE),
    "phone": re.compile(r"(\+44|\b0)\d[\d ]{8,11}\d\b"),
    "NI number": re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE),
}


def test_no_value_looks_like_personal_data(sample_dir: Path) -> None:
    for stem in contract.TABLES:
        text = (sample_dir / f"{stem}.csv").read_text(encoding="utf-8")
        for kind, pattern in _PERSONAL.items():
            found = pattern.search(text)
            assert found is None, f"{stem}: {kind} {found.group() if found else ''}"


def test_text_never_mentions_dwp_performance_information(sample_dir: Path) -> None:
    banned = re.compile(r"outcome|satisfaction|number of (referrals|starts)", re.IGNORECASE)
    for stem in ("insights", "commissioning_plans", "local_provision"):
        text = (sample_dir / f"{stem}.csv").read_text(encoding="utf-8")
        assert not banned.search(text), stem


# --- realistic ---------------------------------------------------------------------------------
def test_digital_skills_barrier_rises_with_age(people: pd.DataFrame) -> None:
    by_age = people.groupby("age_band")["barrier_digital_skills"].apply(_share_true)
    assert by_age["50+"] > by_age["18-24"] + 0.25
    assert by_age["18-24"] < by_age["25-34"] < by_age["35-49"] < by_age["50+"]


def test_childcare_barrier_peaks_at_25_34_and_for_women(people: pd.DataFrame) -> None:
    by_age = people.groupby("age_band")["barrier_childcare"].apply(_share_true)
    assert by_age["25-34"] > by_age["50+"] + 0.1
    by_gender = people.groupby("gender")["barrier_childcare"].apply(_share_true)
    assert by_gender["Female"] > 2 * by_gender["Male"]


def test_language_and_transport_follow_place(people: pd.DataFrame) -> None:
    by_la = people.groupby("la_code")
    language = by_la["barrier_language"].apply(_share_true)
    assert language["E08000025"] > 3 * language["E06000051"]  # Birmingham vs Shropshire
    transport = by_la["barrier_transport"].apply(_share_true)
    rural = ["E06000051", "E06000019", "E07000235", "E07000238"]
    assert transport[rural].min() > 2 * transport["E08000025"]
    white = people.groupby("la_code")["ethnicity"].apply(lambda s: (s == "White").mean())
    assert white["E08000025"] < 0.6 < 0.9 < white["E07000235"]


def test_overall_shares_are_plausible(people: pd.DataFrame) -> None:
    assert 0.25 <= (people["disability"] == "Yes").mean() <= 0.35
    assert 0.25 <= _share_true(people["barrier_mental_health"]) <= 0.35
    assert 0.0 < (people["age_band"] == "Unknown").mean() < 0.05
    assert 0.0 < (people["gender"] == "Other").mean() < 0.02
    for column in [c for c in people if c.startswith(contract.BARRIER_PREFIX)]:
        assert 0.03 <= (people[column] == "").mean() <= 0.08, column
    assert set(people["status"]) == set(contract.STATUSES)
    starts = people["start_month"].value_counts().sort_index()
    assert starts.iloc[0] < 0.5 * starts.iloc[6]  # the first months ramp up


def test_las_follow_working_age_population_with_clear_hotspots(people: pd.DataFrame) -> None:
    share = people["la_code"].value_counts(normalize=True).sort_index()
    population = geo.population(share.index).to_numpy(dtype=float)
    population /= population.sum()
    index = share.to_numpy() / population * 100
    assert len(share) == 16
    assert np.corrcoef(share.to_numpy(), population)[0, 1] > 0.9
    assert index.min() <= 70 and index.max() >= 130


def test_some_cells_are_small_enough_to_suppress(people: pd.DataFrame) -> None:
    cells = people.groupby(["la_code", "gender"]).size()
    assert ((cells >= 1) & (cells < 10)).any()
    caring = people[people["barrier_caring_responsibilities"] == "true"]
    assert caring.groupby("la_code").size().min() < 10


def test_a_few_local_organisations_are_planned_past_capacity(sample_dir: Path) -> None:
    provision = _read(sample_dir, "local_provision")
    over = provision[provision["planned_referrals"].astype(int) > provision["capacity"].astype(int)]
    assert 2 <= over["organisation"].nunique() <= 3
    assert over["month"].min() >= "2026-03"  # recent months only
    assert 15 <= provision["organisation"].nunique() <= 25


def test_catalogue_sizes(sample_dir: Path) -> None:
    assert 8 <= len(_read(sample_dir, "commissioning_plans")) <= 12
    assert 25 <= len(_read(sample_dir, "insights")) <= 40
    vacancies = _read(sample_dir, "vacancies")
    positions = vacancies["positions"].astype(int)
    assert positions.between(1, 40).all() and positions.median() < positions.mean()
    by_la = vacancies.assign(n=positions).groupby("la_code")["n"].sum()
    assert by_la.idxmax() == "E08000025"  # concentrated in the city
    entries = _read(sample_dir, "job_entries")
    assert set(entries["sustained"]) == {"true", "false", ""}


def test_wales_preset_uses_only_welsh_las(wales_dir: Path) -> None:
    people = _read(wales_dir, "participants")
    codes = set(people["la_code"])
    assert all(code.startswith("W06") for code in codes)
    assert len(codes) == 12
    assert set(geo.lookup().loc[sorted(codes), "country_name"]) == {"Wales"}
    for stem in ("vacancies", "job_entries", "local_provision"):
        assert set(_read(wales_dir, stem)["la_code"]) - {"ALL"} <= codes, stem
    meta = _meta(wales_dir)
    assert month_index(meta["period_end"]) - month_index(meta["period_start"]) == 11
    assert len(people) == 6_000
