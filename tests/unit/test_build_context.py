"""scripts/build_context.py: the project's copy of the official context figures.

On a small made-up bundle: codes outside the LAD 2024 lookup are left out and listed with the
reason, Northern Ireland neighbours are skipped, only the latest periods are kept, code notes are
dropped and value notes kept. On the committed copy: every LAD code is in the LAD 2024 lookup,
and (where the design folder is beside the project) rebuilding gives the same files.
"""

from __future__ import annotations

import csv
import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "build_context", ROOT / "scripts" / "build_context.py"
)
build_context = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_context)

COPY = ROOT / "sample_data" / "context"
LOOKUP = ROOT / "sample_data" / "geo" / "lad_lookup.csv"


def _write(path: Path, columns: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(rows)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    _write(
        shared / "geo" / "lad_2024_lookup.csv",
        [
            "lad_code",
            "lad_name",
            "lad_name_welsh",
            "country_code",
            "country_name",
            "region_code",
            "region_name",
        ],
        [
            ["E08000028", "Sandwell", "", "E92000001", "England", "E12000005", "West Midlands"],
            [
                "E08000016",
                "Barnsley",
                "",
                "E92000001",
                "England",
                "E12000003",
                "Yorkshire and The Humber",
            ],
            ["W06000015", "Cardiff", "Caerdydd", "W92000004", "Wales", "", ""],
            ["N09000003", "Belfast", "", "N92000002", "Northern Ireland", "", ""],
        ],
    )
    description = (
        "Percentage (official statistics in development), in Great Britain, for 2004 to 2023."
    )
    _write(
        shared / "context" / "indicators.csv",
        ["indicator", "label", "unit", "polarity", "source", "source_url", "licence", "latest_period", "description"],
        [
            ["employment_rate_16_64", "Employment rate (Great Britain)", "%", "higher is better",
             "Office for National Statistics", "https://example.invalid/a", "OGL", "2023-01-01/P1Y", description],
            ["travel_time_employment_centre_car", "Travel time by car", "mins", "lower is better",
             "Department for Transport", "https://example.invalid/b", "OGL", "2019-01-01/P1Y",
             "Minutes (official statistics in development), in England, for 2014 to 2019."],
        ],
    )  # fmt: skip
    rows = []
    for year in range(2004, 2024):  # 20 periods: only the latest KEEP_PERIODS are kept
        period = f"{year}-01-01/P1Y"
        rows.append(
            ["E08000028", "Sandwell", "employment_rate_16_64", period, 70, "%", 65, 75, "", ""]
        )
        rows.append(
            ["E92000001", "England", "employment_rate_16_64", period, 76, "%", 75.6, 76.4, "", ""]
        )
        rows.append(
            [
                "K02000001",
                "United Kingdom",
                "employment_rate_16_64",
                period,
                75,
                "%",
                "",
                "",
                "",
                "",
            ]
        )
    rows.append(
        [
            "E08000016",
            "Barnsley",
            "employment_rate_16_64",
            "2023-01-01/P1Y",
            72,
            "%",
            67,
            77,
            "",
            "Obsolete code since 2025 (replaced by E08000038 Barnsley)",
        ]
    )
    rows.append(
        [
            "W06000015",
            "Cardiff",
            "employment_rate_16_64",
            "2023-01-01/P1Y",
            "",
            "%",
            "",
            "",
            "u",
            "Estimate and confidence interval unreliable since the group sample size is small (3-9)",
        ]
    )
    rows.append(
        [
            "E07000004",
            "Aylesbury Vale",
            "travel_time_employment_centre_car",
            "2019-01-01/P1Y",
            9,
            "mins",
            "",
            "",
            "",
            "",
        ]
    )
    rows.append(
        [
            "E08000028",
            "Sandwell",
            "travel_time_employment_centre_car",
            "2019-01-01/P1Y",
            7.3,
            "mins",
            "",
            "",
            "",
            "",
        ]
    )
    _write(
        shared / "context" / "la_indicators.csv",
        ["area_code", "area_name", "indicator", "period", "value", "unit", "lower_ci", "upper_ci", "status", "notes"],
        rows,
    )  # fmt: skip
    _write(
        shared / "context" / "la_neighbours.csv",
        ["area_code", "neighbour_code", "rank", "kind"],
        [
            ["E08000028", "N09000003", 1, "global"],
            ["E08000028", "E08000016", 2, "global"],
            ["E08000028", "W06000015", 3, "global"],
            ["W06000015", "E08000028", 1, "economic"],
        ],
    )
    return shared


def test_codes_outside_the_lad_2024_lookup_are_left_out_and_listed(
    bundle: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    found = build_context.build(bundle, out)
    assert found["dropped"] == {"E07000004": "Aylesbury Vale"}
    kept = {row["area_code"] for row in _rows(out / "la_indicators.csv")}
    assert "E07000004" not in kept
    assert {"E08000028", "E08000016", "W06000015", "E92000001"} <= kept
    assert "K02000001" not in kept, "the UK is not a comparator the app shows"
    attribution = (out / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "- E07000004 Aylesbury Vale" in attribution
    assert "pre-2019 LA codes" in attribution
    assert "Open Government Licence v.3.0" in attribution
    assert "4972c588d0c192839afc8fa54ae82cb3dc7721ed" in attribution


def test_only_the_latest_periods_are_kept_and_code_notes_dropped(
    bundle: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_context.build(bundle, out)
    rows = _rows(out / "la_indicators.csv")
    sandwell = [
        r["period"]
        for r in rows
        if r["area_code"] == "E08000028" and r["indicator"] == "employment_rate_16_64"
    ]
    assert len(sandwell) == build_context.KEEP_PERIODS
    assert (
        sandwell[-1] == "2023-01-01/P1Y"
        and sandwell[0] == f"{2024 - build_context.KEEP_PERIODS}-01-01/P1Y"
    )
    barnsley = next(r for r in rows if r["area_code"] == "E08000016")
    assert barnsley["notes"] == "", "a note about the code, not the value, is dropped"
    cardiff = next(r for r in rows if r["area_code"] == "W06000015")
    assert cardiff["status"] == "u" and cardiff["value"] == ""
    assert "unreliable" in cardiff["notes"], "the source's reliability note is kept"


def test_neighbours_skip_northern_ireland_and_keep_ranks(bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_context.build(bundle, out)
    rows = _rows(out / "la_neighbours.csv")
    sandwell = [(r["neighbour_code"], r["rank"]) for r in rows if r["area_code"] == "E08000028"]
    assert sandwell == [("E08000016", "2"), ("W06000015", "3")]


def test_indicator_metadata_gains_status_survey_and_coverage(bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_context.build(bundle, out)
    found = {r["indicator"]: r for r in _rows(out / "indicators.csv")}
    employment = found["employment_rate_16_64"]
    assert employment["label"] == "Employment rate"
    assert employment["status"] == "Official statistics in development"
    assert employment["survey"] == "Annual Population Survey"
    assert employment["coverage"] == "Great Britain"
    assert found["travel_time_employment_centre_car"]["coverage"] == "England"
    assert found["travel_time_employment_centre_car"]["survey"] == ""
    areas = {r["area_code"]: r for r in _rows(out / "areas.csv")}
    assert areas["E08000028"]["region_code"] == "E12000005"
    assert (
        areas["W06000015"]["region_code"] == ""
        and areas["W06000015"]["country_code"] == "W92000004"
    )


def test_every_lad_code_in_the_committed_copy_is_in_the_lad_2024_lookup() -> None:
    lookup = {row["lad_code"] for row in _rows(LOOKUP)}
    codes = {r["area_code"] for r in _rows(COPY / "la_indicators.csv")}
    codes |= {r["area_code"] for r in _rows(COPY / "la_neighbours.csv")}
    codes |= {r["neighbour_code"] for r in _rows(COPY / "la_neighbours.csv")}
    lads = {c for c in codes if c.startswith(build_context.LAD_PREFIXES)}
    assert len(lads) == 350, "every GB LAD (LAD 2024) has figures"
    assert lads <= lookup, sorted(lads - lookup)[:10]
    comparators = codes - lads
    assert comparators == {f"E1200000{i}" for i in range(1, 10)} | set(build_context.COMPARATORS)


SHARED = Path(os.environ.get("INSIGHT_SHARED_DIR", ROOT.parent / "shared"))


@pytest.mark.skipif(
    not (SHARED / "context" / "la_indicators.csv").exists(),
    reason="no design folder beside the project",
)
def test_rebuilding_from_the_design_folder_gives_the_committed_copy(tmp_path: Path) -> None:
    found = build_context.build(SHARED, tmp_path)
    assert len(found["dropped"]) == 47, (
        "the 47 pre-2019 travel-time codes the bundle's README lists"
    )
    for name in (
        "indicators.csv",
        "la_indicators.csv",
        "la_neighbours.csv",
        "areas.csv",
        "ATTRIBUTION.md",
    ):
        assert (tmp_path / name).read_bytes() == (COPY / name).read_bytes(), name
