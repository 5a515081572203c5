"""The guards: personal data (Annex 7.6 para 7) and DWP performance information (para 5) refuse the
whole dataset, with a message naming file, column, row and paragraph, never the value."""

from __future__ import annotations

from pathlib import Path

import _datasets as ds
import pytest

from insight.contract import REQUIRED_COLUMNS
from insight.guard import GUARD_RULES, looks_personal, performance_reason, personal_column_reason
from insight.load import load_dataset, validate_folder
from insight.model import DatasetRefused, Problem, Report


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
    ("vacancies", "employer", 3, "Shop at SW1A 1AA", "postcode"),
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
