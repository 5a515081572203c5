"""The blank templates: made from the contract, with dropdowns of the allowed values, and a blank
template that, filled in with valid values, passes the contract's own checks."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from insight.core.contract import AGE_BANDS, GENDERS, REQUIRED_COLUMNS, STATUSES, TABLES
from insight.intake import template
from insight.intake.load import validate_folder

ROOT = Path(__file__).resolve().parents[2]


def _book():
    return load_workbook(io.BytesIO(template.xlsx_bytes()))


def test_the_workbook_has_a_sheet_per_table_with_its_headers_and_a_notes_sheet():
    book = _book()
    assert book.sheetnames[: len(TABLES)] == list(TABLES)
    assert "Notes" in book.sheetnames
    for table in TABLES:
        headers = [cell.value for cell in book[table][1]]
        assert headers[: len(REQUIRED_COLUMNS[table])] == list(REQUIRED_COLUMNS[table])
    participants = [cell.value for cell in book["participants"][1]]
    assert "barrier_mental_health" in participants and "service_work_placement" in participants


def _dropdowns(sheet) -> dict[str, list[str]]:
    """Column header -> the values its dropdown lists (read back through the Lists sheet)."""
    book = sheet.parent
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    out = {}
    for check in sheet.data_validations.dataValidation:
        assert check.type == "list"
        ref = check.formula1.split("!")[1].replace("$", "")
        first, last = ref.split(":")
        values = [c[0].value for c in book["Lists"][f"{first}:{last}"]]
        for cells in str(check.sqref).split():
            out[headers[cells.split(":")[0].rstrip("0123456789")]] = values
    return out


def test_closed_lists_are_in_cell_dropdowns():
    book = _book()
    drop = _dropdowns(book["participants"])
    assert drop["status"] == list(STATUSES)
    assert drop["age_band"] == list(AGE_BANDS)
    assert drop["gender"] == list(GENDERS)
    assert drop["barrier_housing"] == ["yes", "no"]
    assert "participant_id" not in drop and "la_code" not in drop
    plans = _dropdowns(book["commissioning_plans"])
    assert plans["status"] == ["planned", "in_progress", "complete"]
    assert book["Lists"].sheet_state == "hidden"


def test_every_column_has_a_note():
    notes = {
        (row[0], row[1]): row[2]
        for row in _book()["Notes"].iter_rows(min_row=2, values_only=True)
        if row[1]
    }
    for table in TABLES:
        for column in template.columns(table):
            assert notes[(table, column)], (table, column)
    assert "One of: active, completed, left" in notes[("participants", "status")]
    assert "Required." in notes[("participants", "la_code")]
    assert "Prepare" in notes[("participants", "la_code")]


def test_the_csv_template_filled_in_passes_the_checks(tmp_path):
    with zipfile.ZipFile(io.BytesIO(template.csv_zip_bytes())) as archive:
        names = set(archive.namelist())
        assert {f"{t}.csv" for t in TABLES} | {"dataset.toml", "NOTES.txt"} == names
        for table in TABLES:
            header = archive.read(f"{table}.csv").decode("utf-8").strip().split(",")
            assert header == template.columns(table)
        archive.extract("dataset.toml", tmp_path)
        archive.extract("participants.csv", tmp_path)
    row = {
        "participant_id": "P1",
        "la_code": "E08000025",
        "start_month": "2024-08",
        "status": "active",
        "age_band": "25-34",
        "gender": "Female",
        "ethnicity": "White",
        "disability": "No",
    }
    with (tmp_path / "participants.csv").open("a", newline="", encoding="utf-8") as handle:
        csv.DictWriter(handle, template.columns("participants")).writerow(row)
    report = validate_folder(tmp_path)
    assert report.ok, report.text()


def test_dropdowns_cover_every_row_and_headers_fit_their_columns():
    """A 6,000-row participants sheet gets its dropdowns on the last row too (they stopped at
    row 5,001), and no header is wider than its column (14-character columns cut them)."""
    book = _book()
    for table in TABLES:
        sheet = book[table]
        for check in sheet.data_validations.dataValidation:
            for cells in str(check.sqref).split():
                first, last = cells.split(":")
                assert first.endswith("2") and last.endswith("1048576"), (table, cells)
        for cell in sheet[1]:
            width = sheet.column_dimensions[cell.column_letter].width
            assert width >= len(cell.value) * 1.2, (table, cell.value, width)


def test_the_template_covers_every_contract_column_and_the_samples_own_keys(tmp_path):
    """Every contract column, and the interview-training, digital-support and caring columns the
    sample's own slides show, declared with their labels in the template's dataset.toml."""
    import tomllib

    from insight.core.contract import BARRIER_PREFIX, BARRIERS, SERVICE_PREFIX, SERVICES
    from insight.sample.synthetic import DECLARED_BARRIERS, DECLARED_SERVICES

    participants = template.columns("participants")
    for key in [*BARRIERS, *DECLARED_BARRIERS]:
        assert BARRIER_PREFIX + key in participants
    for key in [*SERVICES, *DECLARED_SERVICES]:
        assert SERVICE_PREFIX + key in participants
    for table in TABLES:
        assert set(REQUIRED_COLUMNS[table]) <= set(template.columns(table))
    meta = tomllib.loads(template.META_TEMPLATE)
    assert meta["barriers"] == DECLARED_BARRIERS and meta["services"] == DECLARED_SERVICES
    assert "signed it off" in template.note("participants", "service_digital_support")
