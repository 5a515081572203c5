"""Contract validation: every rule refuses with file, column and row; malformed files get a plain
message, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from insight.core.problems import Report
from insight.intake.load import validate_folder
from tests.unit import _datasets as ds

Change = Callable[[dict], None]


def cell(stem: str, column: str, row: int, value: str) -> Change:
    return lambda data: ds.set_cell(data, stem, column, row, value)


def _duplicate_id(data: dict) -> None:
    ds.set_cell(data, "participants", "participant_id", 5, "P0002")


def _drop(stem: str, column: str) -> Change:
    return lambda data: ds.drop_column(data, stem, column)


def _second_status(data: dict) -> None:
    ds.add_column(data, "participants", "Status ", ["active"] * 6)


# (change, file, column, row, words in the message)
CONTRACT_CASES: dict[str, tuple[Change, str, str | None, int | None, str]] = {
    "missing column": (
        _drop("participants", "status"),
        "participants.csv",
        "status",
        None,
        "missing",
    ),
    "missing vacancy column": (
        _drop("vacancies", "positions"),
        "vacancies.csv",
        "positions",
        None,
        "missing",
    ),
    "unknown LA": (
        cell("participants", "la_code", 3, "E08999999"),
        "participants.csv",
        "la_code",
        3,
        "not a known LA code",
    ),
    "ALL in participants": (
        cell("participants", "la_code", 4, "ALL"),
        "participants.csv",
        "la_code",
        4,
        "'ALL' is allowed only",
    ),
    "ALL in vacancies": (
        cell("vacancies", "la_code", 2, "ALL"),
        "vacancies.csv",
        "la_code",
        2,
        "'ALL' is allowed only",
    ),
    "status": (
        cell("participants", "status", 2, "paused"),
        "participants.csv",
        "status",
        2,
        "'paused' is not one of",
    ),
    "age band": (
        cell("participants", "age_band", 3, "16-17"),
        "participants.csv",
        "age_band",
        3,
        "not one of",
    ),
    "gender": (
        cell("participants", "gender", 4, "F"),
        "participants.csv",
        "gender",
        4,
        "not one of",
    ),
    "ethnicity": (
        cell("participants", "ethnicity", 5, "Martian"),
        "participants.csv",
        "ethnicity",
        5,
        "not one of",
    ),
    "disability": (
        cell("participants", "disability", 6, "Maybe"),
        "participants.csv",
        "disability",
        6,
        "not one of",
    ),
    "blank status": (
        cell("participants", "status", 7, ""),
        "participants.csv",
        "status",
        7,
        "blank",
    ),
    "funded_by": (
        cell("local_provision", "funded_by", 2, "council"),
        "local_provision.csv",
        "funded_by",
        2,
        "not one of",
    ),
    "plan status": (
        cell("commissioning_plans", "status", 3, "done"),
        "commissioning_plans.csv",
        "status",
        3,
        "not one of",
    ),
    "insight category": (
        cell("insights", "category", 2, "misc"),
        "insights.csv",
        "category",
        2,
        "not one of",
    ),
    "recommendation": (
        cell("insights", "recommendation", 3, "abolish"),
        "insights.csv",
        "recommendation",
        3,
        "not one of",
    ),
    "plan barrier": (
        cell("commissioning_plans", "barrier", 2, "loneliness"),
        "commissioning_plans.csv",
        "barrier",
        2,
        "not a known barrier key",
    ),
    "insight barriers": (
        cell("insights", "barriers", 3, "transport;flying"),
        "insights.csv",
        "barriers",
        3,
        "'flying' is not a known barrier key",
    ),
    "start month format": (
        cell("participants", "start_month", 2, "July 2024"),
        "participants.csv",
        "start_month",
        2,
        "not a month written YYYY-MM",
    ),
    "start month period": (
        cell("participants", "start_month", 3, "2023-01"),
        "participants.csv",
        "start_month",
        3,
        "outside the dataset period",
    ),
    "vacancy month 13": (
        cell("vacancies", "month", 2, "2025-13"),
        "vacancies.csv",
        "month",
        2,
        "YYYY-MM",
    ),
    "job entry month period": (
        cell("job_entries", "month", 3, "2026-01"),
        "job_entries.csv",
        "month",
        3,
        "outside the dataset period",
    ),
    "provision month period": (
        cell("local_provision", "month", 2, "2024-06"),
        "local_provision.csv",
        "month",
        2,
        "outside",
    ),
    "plan end before start": (
        cell("commissioning_plans", "end_month", 2, "2024-12"),
        "commissioning_plans.csv",
        "end_month",
        2,
        "before start_month",
    ),
    "plan month format": (
        cell("commissioning_plans", "start_month", 3, "2025/01"),
        "commissioning_plans.csv",
        "start_month",
        3,
        "YYYY-MM",
    ),
    "duplicate id": (_duplicate_id, "participants.csv", "participant_id", 5, "also on row 3"),
    "blank id": (
        cell("participants", "participant_id", 6, " "),
        "participants.csv",
        "participant_id",
        6,
        "blank",
    ),
    "positions zero": (
        cell("vacancies", "positions", 2, "0"),
        "vacancies.csv",
        "positions",
        2,
        "1 or more",
    ),
    "positions fraction": (
        cell("vacancies", "positions", 3, "1.5"),
        "vacancies.csv",
        "positions",
        3,
        "not a whole number",
    ),
    "capacity negative": (
        cell("local_provision", "capacity", 2, "-1"),
        "local_provision.csv",
        "capacity",
        2,
        "negative",
    ),
    "planned referrals text": (
        cell("local_provision", "planned_referrals", 3, "ten"),
        "local_provision.csv",
        "planned_referrals",
        3,
        "not a whole number",
    ),
    "boolean": (
        cell("participants", "barrier_transport", 4, "maybe"),
        "participants.csv",
        "barrier_transport",
        4,
        "not a yes/no value",
    ),
    "sustained": (
        cell("job_entries", "sustained", 2, "sometimes"),
        "job_entries.csv",
        "sustained",
        2,
        "not a yes/no",
    ),
    "ALL with others": (
        cell("insights", "la_codes", 2, "ALL;E08000025"),
        "insights.csv",
        "la_codes",
        2,
        "stand alone",
    ),
    "unknown code in list": (
        cell("commissioning_plans", "la_codes", 3, "E08000025;X1"),
        "commissioning_plans.csv",
        "la_codes",
        3,
        "'X1' is not a known LA code",
    ),
    "blank insight text": (cell("insights", "text", 3, ""), "insights.csv", "text", 3, "blank"),
    "duplicate column": (_second_status, "participants.csv", "status", None, "same name"),
}


@pytest.mark.parametrize("case", list(CONTRACT_CASES))
def test_contract_rule_refuses_with_file_column_and_row(tmp_path: Path, case: str) -> None:
    change, file, column, row, words = CONTRACT_CASES[case]
    data = ds.tables()
    change(data)
    report = validate_folder(ds.write(tmp_path, data))
    assert not report.ok
    matches = [
        p
        for p in report.problems
        if p.kind == "contract" and (p.file, p.column, p.row) == (file, column, row)
    ]
    assert matches, report.text()
    assert any(words in p.message for p in matches), report.text()
    assert len(report.problems) == len(matches), "one change, one problem: " + report.text()


# --- dataset.toml -----------------------------------------------------------------------------
META_CASES: dict[str, tuple[str | None, str | None, str]] = {
    "missing toml": (None, None, "missing"),
    "bad toml": ('provider_name = "unclosed\n', None, "not valid TOML"),
    "missing key": (
        ds.META.replace('provider_name = "Test Employment Partnership"\n', ""),
        "provider_name",
        "missing",
    ),
    "blank key": (
        ds.META.replace('area_name = "Test Area"', 'area_name = " "'),
        "area_name",
        "missing or blank",
    ),
    "period format": (ds.META.replace('"2024-07"', '"July 2024"'), "period_start", "YYYY-MM"),
    "period backwards": (
        ds.META.replace('"2024-07"', '"2025-09"'),
        "period_start",
        "after period_end",
    ),
    "extract date": (ds.META.replace('"2025-07-04"', '"04/07/2025"'), "extract_date", "ISO date"),
    "looser min_base": (ds.META + "[disclosure]\nmin_base = 5\n", "disclosure.min_base", "looser"),
    "looser round_to": (ds.META + "[disclosure]\nround_to = 1\n", "disclosure.round_to", "looser"),
    "threshold not int": (
        ds.META + '[disclosure]\nmin_cell = "10"\n',
        "disclosure.min_cell",
        "whole number",
    ),
    "unknown threshold": (
        ds.META + "[disclosure]\nmax_base = 10\n",
        "disclosure.max_base",
        "not a disclosure setting",
    ),
    "synthetic not bool": (
        ds.META.replace("synthetic = true", 'synthetic = "yes"'),
        "synthetic",
        "true or false",
    ),
}


@pytest.mark.parametrize("case", list(META_CASES))
def test_dataset_toml_problems_name_the_key(tmp_path: Path, case: str) -> None:
    meta, key, words = META_CASES[case]
    folder = ds.write(tmp_path, meta=meta)
    if meta is None:
        (folder / "dataset.toml").unlink(missing_ok=True)
    report = validate_folder(folder)
    problems = [p for p in report.problems if p.file == "dataset.toml"]
    assert problems and all(p.kind == "contract" for p in problems), report.text()
    assert any(p.column == key and words in p.message for p in problems), report.text()


def test_missing_participants_table(tmp_path: Path) -> None:
    data = ds.tables()
    del data["participants"]
    report = validate_folder(ds.write(tmp_path, data))
    assert [p.rule for p in report.problems] == ["missing_table"]
    assert "participants table is missing" in report.text()


def test_two_files_for_one_table(tmp_path: Path) -> None:
    folder = ds.write(tmp_path, formats={"vacancies": "csv"})
    ds.write_table(folder / "vacancies.xlsx", ds.VACANCIES["columns"], ds.VACANCIES["rows"])
    report = validate_folder(folder)
    assert [p.rule for p in report.problems] == ["two_files"]
    assert "vacancies.csv and vacancies.xlsx" in report.text()


def test_many_problems_are_listed_then_counted(tmp_path: Path) -> None:
    data = ds.tables()
    template = data["participants"]["rows"][0]
    data["participants"]["rows"] = [
        [f"P{i:04d}", *template[1:3], "paused", *template[4:]] for i in range(50)
    ]
    report = validate_folder(ds.write(tmp_path, data))
    # one problem for the one value, with its count and first rows, not a line per row
    (listed,) = [p for p in report.problems if p.rule.startswith("not_in_list")]
    assert listed.row == 2
    assert "'paused' is not one of" in listed.message
    assert "(50 rows: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 40 more)" in listed.message


def test_many_different_bad_values_are_listed_then_counted(tmp_path: Path) -> None:
    data = ds.tables()
    template = data["participants"]["rows"][0]
    data["participants"]["rows"] = [
        [f"P{i:04d}", *template[1:3], f"paused{i % 25}", *template[4:]] for i in range(50)
    ]
    report = validate_folder(ds.write(tmp_path, data))
    listed = [p for p in report.problems if p.rule == "not_in_list"]
    assert len(listed) == 20 and all("(2 rows: " in p.message for p in listed)
    (rest,) = [p for p in report.problems if p.rule == "not_in_list_more"]
    assert "5 more different values with this kind of problem, in 10 rows" in rest.message


def test_la_names_in_la_code_suggest_prepare_and_a_near_match_column_is_named(
    tmp_path: Path,
) -> None:
    data = ds.tables()
    ds.set_cell(data, "participants", "la_code", 3, "Sandwell")
    data["vacancies"]["columns"] = [
        "Month Of" if c == "month" else c for c in data["vacancies"]["columns"]
    ]
    report = validate_folder(ds.write(tmp_path, data))
    (named,) = [p for p in report.problems if p.rule == "unknown_la"]
    assert (named.row, named.column) == (3, "la_code")
    assert "'Sandwell' is an LA name, not a code (E08000028)" in named.message
    assert "Prepare" in named.message
    (missing,) = [p for p in report.problems if p.rule == "missing_column"]
    assert "'Month Of' looks like month: rename it" in missing.message


def test_personal_data_no_longer_hides_the_other_problems(tmp_path: Path) -> None:
    data = ds.tables()
    ds.set_cell(data, "insights", "text", 2, "Call 0121 496 0000 to book")
    ds.set_cell(data, "participants", "status", 3, "paused")
    ds.set_cell(data, "participants", "la_code", 4, "B1 1AA")
    report = validate_folder(ds.write(tmp_path, data))
    kinds = {p.kind for p in report.problems}
    assert kinds == {"personal_data", "contract"}
    assert any("'paused'" in p.message for p in report.problems)
    assert "B1 1AA" not in report.text() and "0121 496 0000" not in report.text()


# --- malformed files --------------------------------------------------------------------------
def _junk(name: str, content: bytes) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        for old in folder.glob(name.split(".")[0] + ".*"):
            old.unlink()
        (folder / name).write_bytes(content)

    return write


_VALID_CSV = b"participant_id,la_code,start_month,status,age_band,gender,ethnicity,disability\n"
_ROW = b"P1,E08000025,2024-07,active,18-24,Male,White,No\n"
MALFORMED: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "ragged": (
        _junk("participants.csv", _VALID_CSV + _ROW + _ROW + b"P3,E08000025,2024-07,active\n"),
        "participants.csv",
        "line 4 has 4 fields but the header has 8",
    ),
    "binary junk": (
        _junk("participants.csv", bytes(range(256)) * 4),
        "participants.csv",
        "binary data",
    ),
    "utf-16": (
        _junk("participants.csv", (_VALID_CSV + _ROW).decode().encode("utf-16")),
        "participants.csv",
        "not UTF-8",
    ),
    "cp1252": (
        _junk(
            "participants.csv",
            _VALID_CSV + "P1,E08000025,2024-07,active,18-24,Male,Café,No\n".encode("cp1252"),
        ),
        "participants.csv",
        "not UTF-8: line 2",
    ),
    "empty": (_junk("participants.csv", b""), "participants.csv", "empty"),
    "corrupt parquet": (
        _junk("participants.parquet", b"PAR1" + b"\x00" * 100),
        "participants.parquet",
        "not a valid Parquet file",
    ),
    "csv title line": (
        _junk("participants.csv", b"Participants 2024-25\n" + _VALID_CSV + _ROW),
        "participants.csv",
        "first line is not the header",
    ),
    "xlsx not zip": (
        _junk("vacancies.xlsx", b"la_code,sector\n"),
        "vacancies.xlsx",
        "not a valid .xlsx workbook",
    ),
    "old xls": (
        _junk("insights.xls", b"\xd0\xcf\x11\xe0"),
        "insights.xls",
        "'.xls' files are not read",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_file_gets_a_plain_message(tmp_path: Path, case: str) -> None:
    spoil, file, words = MALFORMED[case]
    folder = ds.write(tmp_path)
    spoil(folder)
    report = validate_folder(folder)
    problems = [p for p in report.problems if p.file == file]
    assert problems and problems[0].kind == "file", report.text()
    assert words in problems[0].message, report.text()
    assert "Traceback" not in report.text() and "pyarrow" not in report.text()


def test_excel_title_row_is_named(tmp_path: Path) -> None:
    folder = ds.write(tmp_path, formats={"vacancies": "xlsx"})
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Vacancies known to the provider, 2024-25"])
    sheet.append(ds.VACANCIES["columns"])
    for row in ds.VACANCIES["rows"]:
        sheet.append(row)
    book.save(folder / "vacancies.xlsx")
    report = validate_folder(folder)
    assert [p.file for p in report.problems] == ["vacancies.xlsx"]
    assert "first row is not the header" in report.text() and "row 2" in report.text()


def test_ragged_csv_message_does_not_quote_the_line(tmp_path: Path) -> None:
    folder = ds.write(tmp_path)
    line = b"P9,E08000025,2024-07,active,18-24,Male,White,No,Secret Name Here\n"
    (folder / "participants.csv").write_bytes(_VALID_CSV + line)
    report = validate_folder(folder)
    assert "line 2 has 9 fields" in report.text() and "Secret" not in report.text()


def test_a_report_is_a_report(tmp_path: Path) -> None:
    assert isinstance(validate_folder(tmp_path / "nowhere"), Report)
