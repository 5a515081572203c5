"""Reading files whatever shape they arrive in: .xlsx through python-calamine (dates, numbers,
title and blank rows, damaged XML), CSV with old Mac line ends, a dataset.toml nested thousands
deep or with values out of bounds, and the command line's one-line errors (never a traceback)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from insight.intake.load import load_dataset, validate_folder
from insight.intake.raw import ReadError
from insight.intake.readers import read_table
from tests.unit import _datasets as ds

ROOT = Path(__file__).resolve().parents[2]


def _workbook(path: Path, rows: list[list[object]], *, at_row: int = 1) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=at_row + offset, column=column, value=value)
    book.save(path)
    return path


def _texts(path: Path, stem: str) -> dict[str, list[str | None]]:
    table = read_table(path, stem)
    return {column.name: column.values.to_pylist() for column in table.columns}


# --- .xlsx through calamine ------------------------------------------------------------------
def test_xlsx_dates_numbers_and_booleans_read_as_their_text(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "vacancies.xlsx",
        [
            ["la_code", "sector", "month", "positions"],
            ["E08000025", "Retail", datetime(2024, 7, 1), 5],
            ["E08000025", "Retail", date(2024, 8, 15), 5.0],
            ["E08000025", True, 45474, 12.5],
        ],
    )
    assert _texts(path, "vacancies") == {
        "la_code": ["E08000025"] * 3,
        "sector": ["Retail", "Retail", "true"],
        # a date on the 1st in a month column is its month; any other date stays a date; a bare
        # number is not guessed to be a date
        "month": ["2024-07", "2024-08-15", "45474"],
        "positions": ["5", "5", "12.5"],
    }


def test_xlsx_loads_the_same_as_csv(tmp_path: Path) -> None:
    from_xlsx = load_dataset(ds.write(tmp_path / "x", formats={"participants": "xlsx"}))
    from_csv = load_dataset(ds.write(tmp_path / "c"))
    pd.testing.assert_frame_equal(from_xlsx.participants, from_csv.participants)


def test_xlsx_blank_rows_above_the_header_are_counted(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "vacancies.xlsx",
        [ds.VACANCIES["columns"], *ds.VACANCIES["rows"]],
        at_row=3,
    )
    with pytest.raises(ReadError) as error:
        read_table(path, "vacancies")
    assert "column names are on row 3" in str(error.value)
    assert "Delete the 2 row(s) above" in str(error.value)


def test_xlsx_header_only_sheet_has_no_rows(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "vacancies.xlsx", [ds.VACANCIES["columns"]])
    table = read_table(path, "vacancies")
    assert table.n_rows == 0 and [c.name for c in table.columns] == ds.VACANCIES["columns"]


def _replace_part(path: Path, part: str, change) -> None:
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda xml: xml[: len(xml) // 2], id="cut-short"),
        pytest.param(lambda xml: xml.replace(b'r="A2"', b'r="!!"', 1), id="bad-cell-reference"),
        pytest.param(lambda xml: xml.replace(b'<c r="A2"', b'<c r="A2" t=', 1), id="bad-attribute"),
        pytest.param(lambda xml: b"\x00\x01 not xml at all", id="not-xml"),
    ],
)
def test_xlsx_with_damaged_xml_is_a_plain_problem(tmp_path: Path, damage) -> None:
    folder = ds.write(tmp_path, formats={"participants": "xlsx"})
    _replace_part(folder / "participants.xlsx", "xl/worksheets/sheet1.xml", damage)
    report = validate_folder(folder)
    problems = [p for p in report.problems if p.file == "participants.xlsx"]
    assert problems and problems[0].kind == "file", report.text()
    assert "damaged" in problems[0].message, report.text()
    assert "Traceback" not in report.text() and "Error" not in report.text()


def test_xlsx_with_damaged_workbook_part_is_a_plain_problem(tmp_path: Path) -> None:
    folder = ds.write(tmp_path, formats={"participants": "xlsx"})
    _replace_part(folder / "participants.xlsx", "xl/workbook.xml", lambda xml: b"<workbook")
    report = validate_folder(folder)
    (problem,) = [p for p in report.problems if p.file == "participants.xlsx"]
    assert problem.kind == "file" and "xlsx workbook" in problem.message, report.text()


# --- CSV line ends ---------------------------------------------------------------------------
@pytest.mark.parametrize("ending", [b"\r", b"\r\n"], ids=["cr-only", "crlf"])
def test_csv_with_old_mac_or_windows_line_ends_loads_the_same(tmp_path: Path, ending) -> None:
    folder = ds.write(tmp_path / "d")
    for name in ("participants.csv", "vacancies.csv"):
        path = folder / name
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", ending))
    dataset = load_dataset(folder)
    reference = load_dataset(ds.write(tmp_path / "ref"))
    pd.testing.assert_frame_equal(dataset.participants, reference.participants)
    pd.testing.assert_frame_equal(dataset.vacancies, reference.vacancies)


def test_cr_only_csv_with_a_ragged_line_names_the_line(tmp_path: Path) -> None:
    folder = ds.write(tmp_path)
    path = folder / "participants.csv"
    lines = path.read_bytes().replace(b"\r\n", b"\n").rstrip(b"\n").split(b"\n")
    lines[2] = lines[2] + b",Secret Extra"
    path.write_bytes(b"\r".join(lines) + b"\r")
    report = validate_folder(folder)
    (problem,) = [p for p in report.problems if p.file == "participants.csv"]
    assert "line 3 has" in problem.message and "Secret" not in report.text()


# --- dataset.toml ----------------------------------------------------------------------------
DEEP = 5_000
META_BOUNDS: dict[str, tuple[str, str, str]] = {
    "nested arrays": ("x = " + "[" * DEEP + "]" * DEEP + "\n", "", "nested too deeply"),
    "nested inline tables": ("x = " + "{a = " * DEEP + "1" + "}" * DEEP + "\n", "", "nested"),
    "huge min_base": ("[disclosure]\nmin_base = 100000000000000000000\n", "min_base", "1,000"),
    "float min_base": ("[disclosure]\nmin_base = 1e20\n", "min_base", "whole number"),
    "min_cell over 100": ("[disclosure]\nmin_cell = 101\n", "min_cell", "strictest allowed"),
    "round_to over 100": ("[disclosure]\nround_to = 1000\n", "round_to", "strictest allowed"),
}


@pytest.mark.parametrize("case", list(META_BOUNDS))
def test_dataset_toml_out_of_bounds_is_refused_plainly(tmp_path: Path, case: str) -> None:
    extra, key, words = META_BOUNDS[case]
    report = validate_folder(ds.write(tmp_path, meta=ds.META + extra))
    problems = [p for p in report.problems if p.file == "dataset.toml"]
    assert problems, report.text()
    assert any(words in p.message and key in (p.column or "") for p in problems), report.text()


@pytest.mark.parametrize(
    ("start", "end", "extract", "key", "words"),
    [
        ("2014-12", "2015-06", "2015-07-04", "period_start", "from 2015 to 2040"),
        ("2040-01", "2041-01", "2041-02-01", "period_end", "from 2015 to 2040"),
        ("2015-01", "2025-02", "2025-03-01", "period_start", "at most ten years"),
        ("2024-07", "2025-06", "2025-06-29", "extract_date", "before the period ends"),
    ],
)
def test_period_and_extract_date_are_bounded(
    tmp_path: Path, start: str, end: str, extract: str, key: str, words: str
) -> None:
    meta = (
        ds.META.replace('"2024-07"', f'"{start}"')
        .replace('"2025-06"', f'"{end}"')
        .replace('"2025-07-04"', f'"{extract}"')
    )
    report = validate_folder(ds.write(tmp_path, meta=meta))
    problems = [p for p in report.problems if p.file == "dataset.toml"]
    assert any(p.column == key and words in p.message for p in problems), report.text()


def test_the_strictest_thresholds_and_a_ten_year_period_are_accepted(tmp_path: Path) -> None:
    meta = ds.META + "[disclosure]\nmin_base = 1000\nmin_cell = 100\nround_to = 100\n"
    meta = meta.replace('"2024-07"', '"2015-07"')  # 2015-07 to 2025-06: exactly ten years
    report = validate_folder(ds.write(tmp_path, meta=meta))
    assert not [p for p in report.problems if p.file == "dataset.toml"], report.text()


def test_extract_date_on_the_last_day_of_the_period_is_accepted(tmp_path: Path) -> None:
    meta = ds.META.replace('"2025-07-04"', '"2025-06-30"')
    assert load_dataset(ds.write(tmp_path, meta=meta)).meta.extract_date == date(2025, 6, 30)


# --- the command line never shows a traceback ------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "insight", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_validate_of_a_deeply_nested_toml_exits_1_with_the_problem(tmp_path: Path) -> None:
    folder = ds.write(tmp_path, meta=ds.META + "x = " + "[" * DEEP + "]" * DEEP + "\n")
    done = _cli("validate", str(folder))
    assert done.returncode == 1, done.stderr
    assert "nested too deeply" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("sample", "--out", "/dev/null/x", "--participants", "50"), id="sample"),
        pytest.param(("export", "--dataset", "/nowhere", "--out", "/tmp/x.pdf"), id="export"),
    ],
)
def test_every_verb_fails_in_one_line(args: tuple[str, ...]) -> None:
    done = _cli(*args)
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("verb", ["sample"])
def test_a_bad_count_is_a_usage_error(verb: str) -> None:
    extra = ("--out", "/tmp/never-written")
    done = _cli(verb, "--participants", "-5", *extra)
    assert done.returncode == 2 and "should be 1 or more" in done.stderr
    assert "Traceback" not in done.stderr


def test_one_line_cuts_a_quoted_traceback_to_its_last_line() -> None:
    from insight.cli import one_line

    error = RuntimeError(
        "stage failed: Traceback (most recent call last):\n  File x, line 1\nValueError: bad n"
    )
    assert one_line(error) == "stage failed: ValueError: bad n"
    assert one_line(KeyError()) == "KeyError"
