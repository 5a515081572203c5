"""The guards: personal data (Annex 7.6 para 7) and DWP performance information (para 5) refuse the
whole dataset, with a message naming file, column, row and paragraph, never the value."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.contract import REQUIRED_COLUMNS
from insight.core.problems import DatasetRefused, Problem, Report
from insight.intake.guard import (
    GUARD_RULES,
    compact,
    looks_personal,
    performance_reason,
    personal_column_reason,
)
from insight.intake.load import load_dataset, sheet_names, validate_folder
from insight.intake.raw import RawColumn, RawTable
from insight.intake.valuescan import scan_table
from tests.unit import _datasets as ds
from tests.unit.test_screen import _DETAILS


def _only(report: Report, kind: str) -> list[Problem]:
    assert not report.ok, "expected the dataset to be refused"
    found = [p for p in report.problems if p.kind == kind]
    assert found, report.text()
    return found


# --- personal data by column name -------------------------------------------------------------
PERSONAL_COLUMNS = [
    "Client Name",
    "first_name",
    "surname",
    "full name",
    "NI No",
    "NINO",
    "national_insurance_number",
    "D.O.B.",
    "dob",
    "date_of_birth",
    "birth date",
    "address",
    "address_line_1",
    "street",
    "post_code",
    "postcode",
    "email",
    "e-mail",
    "phone",
    "telephone",
    "mobile",
    "tel_no",
    "postcode_district",
]


@pytest.mark.parametrize("column", PERSONAL_COLUMNS)
def test_personal_column_name_refused(tmp_path: Path, column: str) -> None:
    data = ds.tables()
    ds.add_column(data, "participants", column)
    report = validate_folder(ds.write(tmp_path, data))
    found = _only(report, "personal_data")
    assert any(
        p.file == "participants.csv" and p.column == column and p.para == "para 7" for p in found
    ), report.text()
    assert "Annex 7.6 para 7" in report.text()


@pytest.mark.parametrize(
    ("stem", "column"),
    [("participants", name) for table in REQUIRED_COLUMNS.values() for name in table]
    + [
        ("vacancies", "employer"),
        ("job_entries", "sustained"),
        ("participants", "service_phone_support"),
        ("participants", "barrier_digital_skills"),
        ("vacancies", "postcode_district"),
        ("commissioning_plans", "description"),
        ("participants", "employer_name"),
        ("vacancies", "organisation_name"),
    ],
)
def test_contract_and_harmless_column_names_pass(stem: str, column: str) -> None:
    assert personal_column_reason(stem, column) is None
    assert performance_reason(stem, column) is None or column == "planned_referrals"


def test_planned_referrals_allowed_only_as_planned_signposting() -> None:
    assert performance_reason("local_provision", "planned_referrals") is None
    assert performance_reason("participants", "planned_referrals") == "referrals"


# --- DWP performance information -------------------------------------------------------------
PERFORMANCE_COLUMNS = [
    ("participants", "referrals"),
    ("participants", "number_of_referrals"),
    ("vacancies", "referral_count"),
    ("participants", "starts"),
    ("participants", "num_starts"),
    ("participants", "start_count"),
    ("job_entries", "job_outcomes"),
    ("job_entries", "outcome"),
    ("job_entries", "outcomes_achieved"),
    ("job_entries", "outcome_payment"),
    ("participants", "csat"),
    ("participants", "satisfaction_score"),
    ("insights", "Customer Satisfaction"),
]


@pytest.mark.parametrize(("stem", "column"), PERFORMANCE_COLUMNS)
def test_performance_column_refused(tmp_path: Path, stem: str, column: str) -> None:
    data = ds.tables()
    ds.add_column(data, stem, column, ["3"] * len(data[stem]["rows"]))
    report = validate_folder(ds.write(tmp_path, data))
    found = _only(report, "performance_data")
    assert any(
        p.file == f"{stem}.csv" and p.column == column and p.para == "para 5" for p in found
    ), report.text()
    assert "Annex 7.6 para 5" in report.text()


@pytest.mark.parametrize(
    "file_name", ["referrals.csv", "job_outcomes.xlsx", "satisfaction_survey.csv", "starts.parquet"]
)
def test_performance_table_file_refused(tmp_path: Path, file_name: str) -> None:
    folder = ds.write(tmp_path)
    (folder / file_name).write_bytes(b"la_code,count\nE08000025,5\n")
    found = _only(validate_folder(folder), "performance_data")
    assert [(p.file, p.para, p.rule) for p in found] == [(file_name, "para 5", "performance_table")]


def test_start_month_planned_referrals_and_sustained_pass(tmp_path: Path) -> None:
    # the valid dataset has all three; it must load
    dataset = load_dataset(ds.write(tmp_path))
    assert "start_month" in dataset.participants
    assert dataset.local_provision is not None
    assert dataset.local_provision["planned_referrals"].tolist() == [12, 0]


# --- personal data by value -------------------------------------------------------------------
PERSONAL_VALUES = [
    ("insights", "text", 3, "Spoke to QQ 12 34 56 C about it", "National Insurance"),
    ("participants", "participant_id", 4, "AB123456C", "National Insurance"),
    ("commissioning_plans", "description", 2, "Hub at B1 1AA", "postcode"),
    ("commissioning_plans", "description", 3, "Shop at SW1A 1AA", "postcode"),
    ("insights", "title", 2, "visit wv10 6qh", "postcode"),
    ("job_entries", "employer", 2, "jo.bloggs@example.com", "email"),
    ("insights", "text", 2, "Call 0121 496 0000 to book", "phone"),
    ("vacancies", "sector", 2, "07700 900123", "phone"),
    ("local_provision", "organisation", 3, "Hub +44 7700 900123", "phone"),
    ("commissioning_plans", "title", 3, "Ring (0121) 4960000", "phone"),
    ("participants", "gender", 7, "ab 12 34 56 d", "National Insurance"),
]


@pytest.mark.parametrize(("stem", "column", "row", "value", "kind"), PERSONAL_VALUES)
def test_personal_value_refused_with_row_and_without_echo(
    tmp_path: Path, stem: str, column: str, row: int, value: str, kind: str
) -> None:
    data = ds.tables()
    ds.set_cell(data, stem, column, row, value)
    report = validate_folder(ds.write(tmp_path, data))
    found = _only(report, "personal_data")
    match = [p for p in found if p.file == f"{stem}.csv" and p.column == column and p.row == row]
    assert match and kind in match[0].message and match[0].para == "para 7", report.text()
    text = report.text()
    assert value not in text
    assert value.replace(" ", "") not in text.replace(" ", "")
    # the contract checks run too (every problem at once) but describe such a value, never
    # quote it
    contract = [p for p in report.problems if p.kind == "contract"]
    assert all("not shown" in p.message for p in contract if p.column == column), report.text()


def test_participant_id_like_nino_has_its_own_rule(tmp_path: Path) -> None:
    data = ds.tables()
    ds.set_cell(data, "participants", "participant_id", 2, "QQ123456C")
    report = validate_folder(ds.write(tmp_path, data))
    assert [p.rule for p in report.problems] == ["personal_id"]


def test_refused_load_raises_and_report_never_holds_the_value(tmp_path: Path) -> None:
    data = ds.tables()
    secrets = ["QQ 12 34 56 C", "jane.doe@example.org", "07700 900123", "WV10 6QH"]
    for row, secret in enumerate(secrets, start=2):
        ds.set_cell(
            data,
            "insights" if row < 4 else "participants",
            "text" if row < 4 else "participant_id",
            row,
            secret,
        )
    with pytest.raises(DatasetRefused) as refused:
        load_dataset(ds.write(tmp_path, data))
    text = refused.value.report.text() + str(refused.value)
    for secret in secrets:
        assert secret not in text and secret.lower() not in text.lower()


def test_many_matches_are_listed_then_counted(tmp_path: Path) -> None:
    data = ds.tables()
    template = data["participants"]["rows"][0]
    data["participants"]["rows"] = [
        [f"Q{i:03d}" if j == 0 else v for j, v in enumerate(template)] for i in range(30)
    ]
    for row in range(2, 32):
        ds.set_cell(data, "participants", "gender", row, f"x{row}@example.org")
    report = validate_folder(ds.write(tmp_path, data))
    rows = [p.row for p in report.problems if p.rule == "personal_value"]
    assert rows == list(range(2, 22))
    assert any("10 more rows" in p.message for p in report.problems)


# --- no false positives -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Weekly sessions in B1 and WV10",
        "In 2024-07 and 2025",
        "Helped 1200 people",
        "Call centre jobs in M1",
        "Rolled out 01/02/2024",
        "Between 10:00 and 12:00",
        "P000000123",
        "RS-000001",
        "E08000025",
        "Ref 123456",
        "version 2.0.1",
    ],
)
def test_harmless_text_is_not_personal(text: str) -> None:
    assert looks_personal(text) is None


@pytest.mark.parametrize(
    "text",
    ["QQ 12 34 56 C", "AB123456C", "B1 1AA", "SW1A 1AA", "wv10 6qh", "a@b.co.uk", "0121 496 0000"]
    + ["07700 900123", "+44 7700 900123", "(0121) 4960000", "+44 (0)121 496 0000"],
)
def test_personal_text_is_recognised(text: str) -> None:
    assert looks_personal(text) is not None


def test_guard_rules_are_plain_and_complete() -> None:
    names = {rule.name for rule in GUARD_RULES}
    assert {"personal_column", "personal_value", "performance_column", "performance_table"} <= names
    for rule in GUARD_RULES:
        assert rule.para in ("para 5", "para 7")
        assert len(rule.refuses) > 40 and rule.refuses.endswith(".")


# --- issue 14, para 5: every name through the performance check ------------------------------
LEAKED_PERFORMANCE_COLUMNS = [
    ("participants", "service_job_outcome"),  # a category column: shown as a service's share
    ("participants", "barrier_referrals"),
    ("participants", "service_sustainment"),
    ("participants", "referal_count"),
    ("participants", "refferal_count"),
    ("participants", "Referals"),
    ("participants", "JO"),
    ("participants", "jo_rate"),
    ("participants", "JOs"),
    ("job_entries", "sustainment_rate"),
    ("job_entries", "sustainmant"),
    ("job_entries", "sustained_count"),
    ("job_entries", "JobOutcomes"),
    ("job_entries", "job-outcome"),
    ("job_entries", "Job Outcme"),
    ("job_entries", "earnings_outcome"),
    ("job_entries", "EO"),
    ("job_entries", "outcome_payment"),
    ("job_entries", "OP paymnet"),
    ("participants", "NumStarts"),
    ("participants", "starts"),
    ("participants", "no_of_starts"),
    ("participants", "CSS"),
    ("participants", "CSSScore"),
    ("insights", "customer satisfaction"),
    ("insights", "Customer Satisfation"),
    ("insights", "csat"),
]


@pytest.mark.parametrize(("stem", "column"), LEAKED_PERFORMANCE_COLUMNS)
def test_performance_vocabulary_refused_however_spelt(
    tmp_path: Path, stem: str, column: str
) -> None:
    data = ds.tables()
    ds.add_column(data, stem, column, ["true"] * len(data[stem]["rows"]))
    report = validate_folder(ds.write(tmp_path, data))
    found = _only(report, "performance_data")
    assert any(p.file == f"{stem}.csv" and p.column == column for p in found), report.text()


def test_a_service_job_outcome_column_never_reaches_a_page(tmp_path: Path) -> None:
    """The issue's leak: 'Job outcome is the most used service element ... 31%' in presenter
    mode. The column now refuses the dataset, so no page can show it."""
    data = ds.tables()
    ds.add_column(data, "participants", "service_job_outcome", ["yes"] * 6)
    with pytest.raises(DatasetRefused) as refused:
        load_dataset(ds.write(tmp_path, data))
    found = {(p.rule, p.column, p.para) for p in refused.value.report.problems}
    assert found == {
        ("performance_column", "service_job_outcome", "para 5"),
        ("undeclared_flag", "service_job_outcome", "para 5"),  # not a key of the closed list
    }


@pytest.mark.parametrize(
    "name",
    ["start_month", "start_date", "planned_referrals", "sustained", "service_skills_training"]
    + ["barrier_numeracy", "service_interview_training", "service_digital_support", "positions"]
    + ["preferred_contact_method", "income_band", "description", "recommendation", "approach"]
    + ["barrier_caring_responsibilities", "service_restart_support", "capacity", "funded_by"],
)
def test_contract_and_ordinary_names_are_not_performance(name: str) -> None:
    stem = {"planned_referrals": "local_provision", "sustained": "job_entries"}.get(
        name, "participants"
    )
    assert performance_reason(stem, name) is None


@pytest.mark.parametrize(
    "file_name",
    ["JO.csv", "JobOutcomes.csv", "job-outcomes.parquet", "referal_list.csv", "Sustainment.xlsx"]
    + ["CSS results.csv", "earnings outcomes.txt", "outcome_payments.json", "Starts by LA.csv"],
)
def test_every_file_name_in_the_folder_is_checked(tmp_path: Path, file_name: str) -> None:
    folder = ds.write(tmp_path)
    (folder / file_name).write_bytes(b"la_code,count\nE08000025,5\n")
    found = _only(validate_folder(folder), "performance_data")
    assert [(p.file, p.rule) for p in found] == [(file_name, "performance_table")]


def _workbook(path: Path, sheets: list[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = sheets[0]
    book.active.append(list(ds.PARTICIPANTS["columns"]))
    for row in ds.PARTICIPANTS["rows"]:
        book.active.append(row)
    for name in sheets[1:]:
        book.create_sheet(name).append(["la_code", "count"])
    book.save(path)


@pytest.mark.parametrize(
    ("file_name", "sheets"),
    [
        ("participants.xlsx", ["participants", "JobOutcomes"]),
        ("participants.xlsx", ["Sheet1", "referals"]),
        ("notes.xlsx", ["Notes", "Sustainment rates"]),
    ],
)
def test_every_sheet_name_of_a_workbook_is_checked(
    tmp_path: Path, file_name: str, sheets: list[str]
) -> None:
    data = ds.tables()
    if file_name == "participants.xlsx":
        del data["participants"]
    folder = ds.write(tmp_path, data)
    _workbook(folder / file_name, sheets)
    found = _only(validate_folder(folder), "performance_data")
    assert [(p.file, p.rule) for p in found] == [(file_name, "performance_table")]
    assert f"sheet 2 ('{sheets[1]}')" in found[0].message


def test_a_workbook_with_harmless_sheet_names_loads(tmp_path: Path) -> None:
    data = ds.tables()
    del data["participants"]
    folder = ds.write(tmp_path, data)
    _workbook(folder / "participants.xlsx", ["participants", "Notes"])
    assert validate_folder(folder).ok


@pytest.mark.parametrize("file_name", ["participants.xlsx", "notes.xlsx", "old.xls", "x.ods"])
def test_a_damaged_workbook_does_not_crash_the_sheet_check(tmp_path: Path, file_name: str) -> None:
    data = ds.tables()
    if file_name == "participants.xlsx":
        del data["participants"]
    folder = ds.write(tmp_path, data)
    (folder / file_name).write_bytes(b"PK\x03\x04 not really a workbook" * 10)
    assert sheet_names(folder / file_name) == []
    report = validate_folder(folder)
    assert not any(p.rule == "performance_table" for p in report.problems)
    if file_name == "participants.xlsx":
        assert any(p.file == file_name and p.rule == "unreadable" for p in report.problems)
    else:
        assert report.ok


# --- issue 14, para 7: column names -----------------------------------------------------------
@pytest.mark.parametrize(
    "column",
    ["full_name_of_client", "name_of_client", "Client's full name", "participant names"]
    + ["nhs_number", "NHS No", "NHS", "nhs_num", "CHI number"],
)
def test_more_personal_column_names_refused(tmp_path: Path, column: str) -> None:
    data = ds.tables()
    ds.add_column(data, "participants", column)
    found = _only(validate_folder(ds.write(tmp_path, data)), "personal_data")
    assert [(p.column, p.rule) for p in found] == [(column, "personal_column")]


# --- issue 14, para 7: values, and the What works card ----------------------------------------
ISSUE_VALUES = [
    ("Jane Doe found work in retail", "a person's name"),
    ("Support for Mr Smith helped", "a person's name"),
    ("DOB 12/03/1985, now in work", "a date of birth"),
    ("born on 3 March 1985", "a date of birth"),
    ("Lives at 12 Acacia Avenue", "a street address"),
    ("Flat 3, 14 High Street", "a street address"),
    ("Ref AB.12.34.56.C", "a National Insurance number"),
    ("Hub at B1  1AA", "a full UK postcode"),
    ("name at example dot com", "an email address"),
    ("name [at] example [dot] com", "an email address"),
    ("Call 07700.900.123", "a UK phone number"),
    ("+44 (0)7700 900123", "a UK phone number"),
    ("NHS 943 476 5919", "an NHS number"),
    ("3 people in Trafford found work", "a small count of people"),
]


@pytest.mark.parametrize(("value", "kind"), ISSUE_VALUES)
def test_what_works_text_with_a_personal_detail_is_refused(
    tmp_path: Path, value: str, kind: str
) -> None:
    """Each example that reached a presenter-mode What works card now refuses the dataset, so
    the What works page (which shows only a loaded dataset) cannot show it."""
    data = ds.tables()
    assert data["insights"]["rows"][0][0] == "what_works"
    ds.set_cell(data, "insights", "text", 2, value)
    with pytest.raises(DatasetRefused) as refused:
        load_dataset(ds.write(tmp_path, data))
    report = refused.value.report
    match = [p for p in report.problems if p.column == "text" and p.row == 2]
    assert match and kind in match[0].message, report.text()
    assert value not in report.text() and compact(value) not in compact(report.text())


def test_small_count_has_its_own_rule_and_row(tmp_path: Path) -> None:
    data = ds.tables()
    ds.set_cell(data, "commissioning_plans", "description", 3, "two of our participants")
    report = validate_folder(ds.write(tmp_path, data))
    [problem] = report.problems
    assert (problem.rule, problem.file, problem.column, problem.row) == (
        "small_count",
        "commissioning_plans.csv",
        "description",
        3,
    )
    assert "small count of people" in problem.message


@pytest.mark.parametrize(
    "value",
    ["In 2024 we helped", "40% of places were taken", "£3,000 fund"]
    + ["3 sessions a week", "Level 2 course", "one in five people"],
)
def test_other_figures_in_free_text_pass(tmp_path: Path, value: str) -> None:
    data = ds.tables()
    ds.set_cell(data, "insights", "text", 2, value)
    assert validate_folder(ds.write(tmp_path, data)).ok


def test_a_stricter_minimum_cell_raises_the_small_count(tmp_path: Path) -> None:
    data = ds.tables()
    ds.set_cell(data, "insights", "text", 2, "15 people joined")
    default = validate_folder(ds.write(tmp_path / "default", data))
    assert [p.rule for p in default.problems] == ["count_text"]  # any count: para 5 and 13
    strict = ds.META + "\n[disclosure]\nmin_cell = 20\n"
    report = validate_folder(ds.write(tmp_path / "strict", data, meta=strict))
    assert [p.rule for p in report.problems] == ["small_count"]
    assert "fewer than 20" in report.problems[0].message


def test_participant_id_like_an_nhs_number_is_personal_id(tmp_path: Path) -> None:
    data = ds.tables()
    ds.set_cell(data, "participants", "participant_id", 2, "9434765919")
    report = validate_folder(ds.write(tmp_path, data))
    assert [p.rule for p in report.problems] == ["personal_id"]


# --- issue 14, para 7: symbolic links ---------------------------------------------------------
@pytest.mark.parametrize("target", ["file", "table", "folder"])
def test_symbolic_links_are_refused_and_not_read(tmp_path: Path, target: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "other_providers_data.csv"
    secret.write_text("participant_id,name\nX1,Jane Doe\n", encoding="utf-8")
    data = ds.tables()
    if target == "table":
        data.pop("vacancies")
    folder = ds.write(tmp_path / "dataset", data)
    link = {"file": "notes.csv", "table": "vacancies.csv", "folder": "extra"}[target]
    (folder / link).symlink_to(outside if target == "folder" else secret)
    report = validate_folder(folder)
    assert [(p.file, p.rule) for p in report.problems] == [(link, "symlink")]
    assert "Jane Doe" not in report.text() and "name" not in {p.column for p in report.problems}
    with pytest.raises(DatasetRefused):
        load_dataset(folder)


# --- property: a guard message never holds what was found ---------------------------------------
@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
    _DETAILS,
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
)
def test_no_detail_found_in_a_dataset_is_echoed_in_a_problem(
    before: str, detail: str, after: str
) -> None:
    text = f"{before}\n{detail}\n{after}"
    column = RawColumn("text", "text", pa.chunked_array([[text, "Buses stop at 6pm"]]))
    problems = scan_table(RawTable("insights", "insights.csv", 2, [column]))
    assert problems and all(p.row == 2 and p.column == "text" for p in problems)
    report = Report(tuple(problems), "folder").text()
    assert detail not in report and compact(detail) not in compact(report)
