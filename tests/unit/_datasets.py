"""A tiny valid dataset, as plain Python rows, that tests change one thing at a time and write."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import pandas as pd

from insight.core.contract import PARTICIPANT_COLUMNS, PROVISION_COLUMNS

META = """provider_name = "Test Employment Partnership"
area_name = "Test Area"
period_start = "2024-07"
period_end = "2025-06"
extract_date = "2025-07-04"
performance_manager_email = "pm@example.org"
synthetic = true
"""

PARTICIPANTS = {
    "columns": [
        *PARTICIPANT_COLUMNS,
        "barrier_digital_skills",
        "barrier_transport",
        "service_skills_training",
        "service_work_placement",
    ],
    "rows": [
        [
            "P0001",
            "E08000025",
            "2024-07",
            "active",
            "18-24",
            "Female",
            "White",
            "No",
            "true",
            "false",
            "yes",
            "no",
        ],
        [
            "P0002",
            "E08000025",
            "2024-08",
            "completed",
            "25-34",
            "Male",
            "Asian or Asian British",
            "Yes",
            "false",
            "true",
            "no",
            "yes",
        ],
        [
            "P0003",
            "E08000031",
            "2024-09",
            "left",
            "35-49",
            "Other",
            "Mixed or Multiple ethnic groups",
            "No",
            "1",
            "0",
            "y",
            "n",
        ],
        [
            "P0004",
            "E08000031",
            "2025-01",
            "active",
            "50+",
            "Prefer not to say",
            "Black, Black British, Caribbean or African",
            "Prefer not to say",
            "",
            "",
            "",
            "",
        ],
        [
            "P0005",
            "E08000025",
            "2025-06",
            "active",
            "Unknown",
            "Female",
            "Other ethnic group",
            "No",
            "TRUE",
            "False",
            "Yes",
            "No",
        ],
        [
            "P0006",
            "E08000031",
            "2025-03",
            "completed",
            "25-34",
            "Female",
            "Prefer not to say",
            "Yes",
            "false",
            "false",
            "no",
            "no",
        ],
    ],
}
VACANCIES = {
    "columns": ["la_code", "sector", "month", "positions", "employer"],
    "rows": [
        ["E08000025", "Retail", "2024-10", "5", "Shop Co"],
        ["E08000031", "Logistics", "2025-02", "12", "Haulage Ltd"],
    ],
}
JOB_ENTRIES = {
    "columns": ["la_code", "sector", "month", "employer", "sustained"],
    "rows": [
        ["E08000025", "Retail", "2024-11", "Shop Co", "yes"],
        ["E08000031", "Care", "2025-04", "Care Homes Ltd", ""],
    ],
}
LOCAL_PROVISION = {
    "columns": list(PROVISION_COLUMNS),
    "rows": [
        ["Digital Hub", "Digital skills", "E08000025", "2025-01", "40", "12", "local"],
        ["Bus Pass Scheme", "Travel support", "ALL", "2025-02", "100", "0", "provider"],
    ],
}
COMMISSIONING_PLANS = {
    "columns": [
        "title",
        "description",
        "la_codes",
        "barrier",
        "start_month",
        "end_month",
        "status",
    ],
    "rows": [
        [
            "Digital drop-ins",
            "Weekly sessions in B1 and WV10 libraries",
            "E08000025;E08000031",
            "digital_skills",
            "2025-01",
            "2025-12",
            "planned",
        ],
        ["Travel passes", "", "ALL", "", "2024-07", "2025-06", "in_progress"],
    ],
}
INSIGHTS = {
    "columns": ["category", "title", "text", "la_codes", "barriers", "approach", "recommendation"],
    "rows": [
        [
            "what_works",
            "Job clubs",
            "Weekly job clubs in 2024 helped people into work.",
            "E08000025",
            "motivation;digital_skills",
            "interview_training",
            "increase",
        ],
        ["area_barrier", "Rural buses", "Few buses after 6pm.", "ALL", "transport", "", ""],
    ],
}
TABLES = {
    "participants": PARTICIPANTS,
    "vacancies": VACANCIES,
    "job_entries": JOB_ENTRIES,
    "local_provision": LOCAL_PROVISION,
    "commissioning_plans": COMMISSIONING_PLANS,
    "insights": INSIGHTS,
}


def tables() -> dict[str, dict[str, list]]:
    """A fresh, deep copy of the valid tables to change."""
    return copy.deepcopy(TABLES)


def write(
    folder: Path,
    data: dict[str, dict[str, list]] | None = None,
    meta: str = META,
    fmt: str = "csv",
    formats: dict[str, str] | None = None,
) -> Path:
    """Write the dataset into `folder` (tables in `fmt`, or per table in `formats`)."""
    folder.mkdir(parents=True, exist_ok=True)
    if meta is not None:
        (folder / "dataset.toml").write_text(meta, encoding="utf-8")
    for stem, table in (data if data is not None else tables()).items():
        kind = (formats or {}).get(stem, fmt)
        write_table(folder / f"{stem}.{kind}", table["columns"], table["rows"])
    return folder


def write_table(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)
        return
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_excel(path, index=False)


def set_cell(data: dict, stem: str, column: str, row: int, value: str) -> None:
    """Set one cell; `row` counts like a spreadsheet (row 2 is the first data row)."""
    table = data[stem]
    table["rows"][row - 2][table["columns"].index(column)] = value


def add_column(data: dict, stem: str, column: str, values: list[str] | None = None) -> None:
    table = data[stem]
    table["columns"].append(column)
    for i, row in enumerate(table["rows"]):
        row.append(values[i] if values else "x")


def rename_column(data: dict, stem: str, old: str, new: str) -> None:
    columns = data[stem]["columns"]
    columns[columns.index(old)] = new


def drop_column(data: dict, stem: str, column: str) -> None:
    table = data[stem]
    index = table["columns"].index(column)
    del table["columns"][index]
    for row in table["rows"]:
        del row[index]
