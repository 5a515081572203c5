"""What prepare shows before it does anything (issue 29): each mapped column's distinct values, what
each becomes and on how many rows, the ones it cannot map first, personal values and postcodes
never quoted; the description read from the data and the file; `prepare --dry-run` prints the
same and writes nothing; and the one upload box's routing of a dataset and a raw extract."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.intake import prepare, preview, routing

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Client Ref", "Full Name", "Council", "Date Started", "Status", "Age", "Sex"]
HEADER += ["Ethnicity", "Disabled", "Home Postcode"]
ROWS = [
    ["C1", "Jane Smith", "Sandwell", "01/08/2024", "Live", "27", "F", "White", "N", "B1 1AA"],
    ["C2", "John Smith", "Caerdydd", "2/9/24", "Completed", "55", "M", "Asian", "Y", "CF10 1AA"],
    ["C3", "Ann Lee", "Sandwel", "15/09/2024", "Live", "19", "F", "Black", "N", "WS1 1AA"],
    ["C4", "Bo Lee", "Sandwell MBC", "15/09/2024", "Live", "19", "F", "Black", "N", ""],
    ["C5", "Al Lee", "QQ123456C", "15/09/2024", "Live", "19", "F", "Black", "N", "B1 1AA"],
]


def write_extract(folder: Path, rows: list[list[str]] = ROWS, name: str = "extract.csv") -> Path:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def result_of(path: Path, without_la: bool = False) -> prepare.PrepareResult:
    raw = prepare.read_raw(path)
    recipe = prepare.suggest_recipe(raw)
    if without_la:
        del recipe.columns["la_code"]
    return prepare.prepare(raw, recipe)


def by_column(result: prepare.PrepareResult) -> dict[str, preview.ColumnPreview]:
    return {p.column: p for p in result.preview}


def test_each_value_shows_what_it_becomes_and_its_rows_unmapped_first(tmp_path: Path) -> None:
    la = by_column(result_of(write_extract(tmp_path)))["la_code"]
    assert la.raw_column == "Council"
    first = la.values[:2]
    assert all(not v.mapped for v in first), "the values it cannot map come first"
    assert {v.raw for v in first} == {"'Sandwel'", "a value that looks like a National "
                                      "Insurance number (not shown)"}  # fmt: skip
    assert "did you mean Sandwell?" in next(v.why for v in first if v.raw == "'Sandwel'")
    rest = {v.raw: (v.becomes, v.rows) for v in la.values[2:]}
    assert rest == {
        "'Sandwell'": ("E08000028 Sandwell", 1),
        "'Sandwell MBC'": ("E08000028 Sandwell", 1),
        "'Caerdydd'": ("W06000015 Cardiff", 1),
    }
    assert la.unmapped_rows == 2
    assert "QQ123456C" not in "\n".join(la.lines())


def test_ages_dates_and_codes_become_bands_months_and_labels_with_counts(tmp_path: Path) -> None:
    columns = by_column(result_of(write_extract(tmp_path)))
    ages = {v.raw: (v.becomes, v.rows) for v in columns["age_band"].values}
    assert ages == {"'19'": ("18-24", 3), "'27'": ("25-34", 1), "'55'": ("50+", 1)}
    months = {v.raw: (v.becomes, v.rows) for v in columns["start_month"].values}
    assert months["'15/09/2024'"] == ("2024-09 (September 2024)", 3)
    assert months["'2/9/24'"] == ("2024-09 (September 2024)", 1)
    assert [v.rows for v in columns["start_month"].values] == [3, 1, 1], "most rows first"
    gender = {v.raw: (v.becomes, v.rows) for v in columns["gender"].values}
    assert gender == {"'F'": ("Female", 4), "'M'": ("Male", 1)}
    assert columns["participant_id"].note == "kept as written (5 values, not listed)"
    assert columns["participant_id"].values == ()


def test_postcodes_are_never_listed_only_the_las_they_give(tmp_path: Path) -> None:
    la = by_column(result_of(write_extract(tmp_path), without_la=True))["la_code"]
    assert la.via == "from postcodes, then dropped"
    assert not la.values[0].mapped and la.values[0].raw == "blank postcodes"
    birmingham = next(v for v in la.values if v.becomes == "E08000025 Birmingham")
    assert (birmingham.raw, birmingham.rows) == ("1 postcode (not shown)", 2)
    text = "\n".join(la.lines())
    for postcode in ("B1 1AA", "CF10 1AA", "WS1 1AA"):
        assert postcode not in text


def test_columns_with_unmapped_values_are_listed_first(tmp_path: Path) -> None:
    result = result_of(write_extract(tmp_path))
    ordered = preview.ordered(result.preview)
    assert ordered[0].column == "la_code"
    assert all(not p.unmapped for p in ordered[1:])
    assert preview.text(result.preview).index("'Council'") < preview.text(result.preview).index(
        "'Sex'"
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(["Sandwell", "Dudley", "Nowhere", "Cardiff", "", "Wolverhamton"]),
             min_size=1, max_size=30)
)  # fmt: skip
def test_the_counts_add_up_to_every_row_and_unmapped_come_first(councils: list[str]) -> None:
    """For any column: every row is counted once, and no mapped value precedes an unmapped one."""
    import numpy as np

    uniques = sorted({c for c in councils if c})
    codes = np.array([uniques.index(c) if c else -1 for c in councils], dtype=np.int32)
    mapped = [prepare.la_from_text(u) for u in uniques]
    found = preview.column_preview("la_code", "Council", uniques, mapped, codes, limit=3)
    assert sum(v.rows for v in found.values) + found.more_rows == len(councils)
    flags = [v.mapped for v in found.values if v.raw != preview.BLANK]
    assert flags == sorted(flags), "unmapped (False) before mapped (True)"


# --- the description ----------------------------------------------------------------------------
def test_the_description_comes_from_the_data_and_the_file(tmp_path: Path) -> None:
    rows = [r for r in ROWS if r[2] != "Sandwel" and r[2] != "QQ123456C"]
    result = result_of(write_extract(tmp_path, rows))
    assert result.ok
    found = preview.describe(result.output, ["start_month"], "MI extract 03.07.2026.csv")
    assert (found.period_start, found.period_end) == ("2024-08", "2024-09")
    assert found.extract_date == date(2026, 7, 3) and found.extract_from == "the file's name"
    dated = preview.describe(result.output, ["start_month"], "x.csv", modified=date(2025, 1, 2))
    assert dated.extract_date == date(2025, 1, 2)
    assert dated.extract_from == "the file's modified date"
    assert preview.describe(None, [], "x.csv", today=date(2026, 1, 1)).period_start is None


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("extract_2026-07-03.csv", date(2026, 7, 3)),
        ("extract20260703.xlsx", date(2026, 7, 3)),
        ("MI 3-7-2026.csv", date(2026, 7, 3)),
        ("extract_2026-02-30.csv", None),
        ("extract.csv", None),
        ("clients 12345678.csv", None),
    ],
)
def test_a_date_in_the_file_name(name: str, day: date | None) -> None:
    assert preview.date_in_name(name) == day


# --- prepare --dry-run ----------------------------------------------------------------------------
def test_dry_run_prints_the_preview_and_writes_nothing(tmp_path: Path) -> None:
    extract = write_extract(tmp_path)
    os.utime(extract, (1_783_036_800, 1_783_036_800))  # 3 July 2026
    before = sorted(p.name for p in tmp_path.iterdir())
    done = subprocess.run(
        [sys.executable, "-m", "insight", "prepare", str(extract), "--dry-run"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # a value cannot be mapped: nothing to write
    out = done.stdout
    assert "'Sandwel' -> NOT MAPPED" in out
    assert out.index("NOT MAPPED") < out.index("'Sandwell' -> E08000028 Sandwell (1 row)")
    assert "'19' -> 18-24 (3 rows)" in out
    assert "Extract date: 3 July 2026 (from the file's modified date)." in out
    assert "Dry run: nothing was written." in out
    for personal in ("QQ123456C", "Jane Smith", "B1 1AA"):
        assert personal not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "nothing written"

    fixed = write_extract(tmp_path, [r for r in ROWS if r[2] not in ("Sandwel", "QQ123456C")])
    out_dir = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "insight", "prepare", str(fixed), "--dry-run", "--out",
         str(out_dir)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Period in the data: 2024-08 to 2024-09." in done.stdout
    assert not out_dir.exists(), "--dry-run writes nothing, even with --out"


# --- one place to bring data ----------------------------------------------------------------------
def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


CONTRACT_CSV = b"participant_id,la_code,start_month,status,age_band,gender,ethnicity,disability\n"
RAW_CSV = ",".join(HEADER).encode() + b"\n"


@pytest.mark.parametrize(
    ("files", "kind"),
    [
        ([("dataset.zip", _zip(["participants.csv", "dataset.toml"]))], "dataset"),
        ([("participants.csv", CONTRACT_CSV), ("dataset.toml", b"x = 1")], "dataset"),
        ([("participants.csv", CONTRACT_CSV)], "dataset"),
        ([("participants.csv", CONTRACT_CSV), ("vacancies.csv", b"month\n")], "dataset"),
        ([("participants.xlsx", b"PK")], "dataset"),
        ([("Restart MI July.csv", RAW_CSV)], "extract"),
        ([("participants.csv", RAW_CSV)], "extract"),  # named like a table, shaped like an extract
        ([("extract.xlsx", b"PK")], "extract"),
        ([("extract.csv", RAW_CSV), ("recipe.toml", b"version = 1")], "extract"),
        ([("extract.csv", RAW_CSV), ("last.toml", b"[columns]\nla_code = 'x'")], "extract"),
        ([("dataset.zip", b"PK"), ("recipe.toml", b"")], "unknown"),
        ([("notes.toml", b"a = 1")], "unknown"),
        ([], "unknown"),
    ],
)
def test_one_box_recognises_a_dataset_or_a_raw_extract(
    files: list[tuple[str, bytes]], kind: str
) -> None:
    found = routing.route(files)
    assert found.kind == kind, found.why
    if kind == "extract":
        assert found.extract is not None and found.extract.endswith((".csv", ".xlsx"))
        has_recipe = any(n.endswith(".toml") for n, _ in files)
        assert (found.recipe is not None) == has_recipe


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        (
            "2024-08",
            "2024-09",
            "the period August 2024 to September 2024 from the data's first and last",
        ),
        ("2024-08", "2024-08", "the period August 2024, the data's only month,"),
        (None, None, "Filled in: the extract date 3 July 2026 from the file's name."),
    ],
)
def test_the_filled_in_sentence_reads_true_for_one_month_or_none(
    first: str | None, last: str | None, words: str
) -> None:
    assert words in preview.filled_in(first, last, date(2026, 7, 3), "the file's name")
