"""Blank templates of the data contract, made from the contract's constants: an XLSX workbook (one
sheet per table with its headers, the allowed values as in-cell dropdowns, and a Notes sheet that
explains each column) and a ZIP of CSV files with the headers (plus dataset.toml to fill in).

Fill in a table sheet, save it as <table>.xlsx (first sheet) or .csv, and check it on the Data
page. The dropdowns help; they do not replace the checks.
"""

from __future__ import annotations

import io
import zipfile

from insight.core.contract import (
    ALL_LAS,
    BARRIER_PREFIX,
    BARRIERS,
    CLOSED_VALUES,
    FALSE_VALUES,
    OPTIONAL_COLUMNS,
    PLAN_STATUSES,
    REQUIRED_COLUMNS,
    SERVICE_PREFIX,
    SERVICES,
    STATUSES,
    TABLES,
    TRUE_VALUES,
)

SHEET_ROWS = 1_048_576  # an .xlsx sheet's last row: each dropdown covers every row below the header


def header_width(column: str) -> float:
    """A column wide enough for its bold header, in Excel's character units: a bold character
    is about a fifth wider than the unit, and the filter arrow and padding take about three."""
    return max(12.0, round(len(column) * 1.2 + 3, 1))


_YES_NO = ("yes", "no")

# Support many providers record beyond the contract's keys (the sample's slides show them): in the
# template as columns, declared with their labels in its dataset.toml, to keep or delete. Like any
# provider key they are shown only after a data manager signs them off on the Data page.
DECLARED_EXAMPLES: dict[str, dict[str, str]] = {
    "barriers": {"caring_responsibilities": "Caring responsibilities"},
    "services": {"interview_training": "Interview training", "digital_support": "Digital support"},
}


def columns(table: str) -> list[str]:
    """The template's headers: required, then optional, then (participants) every barrier and
    service flag the contract names, each followed by the declared examples."""
    names = [*REQUIRED_COLUMNS[table], *OPTIONAL_COLUMNS[table]]
    if table == "participants":
        names += [BARRIER_PREFIX + key for key in [*BARRIERS, *DECLARED_EXAMPLES["barriers"]]]
        names += [SERVICE_PREFIX + key for key in [*SERVICES, *DECLARED_EXAMPLES["services"]]]
    return names


def allowed_values(table: str, column: str) -> tuple[str, ...] | None:
    """The closed list a column's dropdown offers, or None for free values."""
    if column.startswith((BARRIER_PREFIX, SERVICE_PREFIX)) or column == "sustained":
        return _YES_NO
    if column == "status":
        return PLAN_STATUSES if table == "commissioning_plans" else STATUSES
    if table == "commissioning_plans" and column == "barrier":
        return tuple(BARRIERS)
    return CLOSED_VALUES.get(column)


def _declared_example(column: str) -> tuple[str, str] | None:
    """('barriers' or 'services', label) for a declared example's column, else None."""
    for section, prefix in (("barriers", BARRIER_PREFIX), ("services", SERVICE_PREFIX)):
        key = column.removeprefix(prefix)
        if column.startswith(prefix) and key in DECLARED_EXAMPLES[section]:
            return section, DECLARED_EXAMPLES[section][key]
    return None


def note(table: str, column: str) -> str:
    """What goes in a column, in plain words (the Notes sheet)."""
    required = column in REQUIRED_COLUMNS[table]
    need = "Required." if required else "Optional."
    allowed = allowed_values(table, column)
    declared = _declared_example(column)
    if declared:
        section, label = declared
        return (
            f"Optional. The provider's own {section[:-1]} ({label}): declared with its label under "
            f"[{section}] in dataset.toml, and shown only once a data manager has signed it off "
            "on the Data page. Delete the column and its line there if you do not record it."
        )
    if column.startswith(BARRIER_PREFIX):
        key = column[len(BARRIER_PREFIX) :]
        return (
            f"Optional. Does the participant face this barrier ({BARRIERS.get(key, key)})? "
            f"yes or no ({'/'.join(sorted(TRUE_VALUES))} or {'/'.join(sorted(FALSE_VALUES))} "
            "also read); blank means not known."
        )
    if column.startswith(SERVICE_PREFIX):
        key = column[len(SERVICE_PREFIX) :]
        return (
            f"Optional. Is the participant in this service now ({SERVICES.get(key, key)})? "
            "yes or no; blank means not known. Add service_<name> columns for others."
        )
    texts = {
        "participant_id": "A pseudonymous ID, unique per participant. Never a National "
        "Insurance number, name or anything that identifies the person.",
        "la_code": "The ONS code of the Local Authority District (LAD 2024), e.g. E08000025. "
        "Names are not read here: use Prepare on the Data page to turn names or postcodes "
        "into codes.",
        "la_codes": f"One or more LA codes separated by ';', or {ALL_LAS} for every LA.",
        "start_month": "The month written YYYY-MM, e.g. 2024-07.",
        "end_month": "The month written YYYY-MM, not before start_month.",
        "month": "The month written YYYY-MM, inside the dataset's period.",
        "positions": "A whole number, 1 or more.",
        "capacity": "Places that month: a whole number, 0 or more.",
        "planned_referrals": "Planned signposting to this provision: a whole number, 0 or more.",
        "sector": "The employer's sector, in words.",
        "employer": "The employer's name (an organisation, never a person).",
        "organisation": "The organisation that runs the provision.",
        "service": "The service, in words.",
        "title": "A short title.",
        "description": "What the plan is, in words. No personal details.",
        "text": "The insight, in words. No personal details.",
        "barriers": "Barrier keys separated by ';' (e.g. housing;debt).",
        "approach": "A short key for the approach, e.g. app, web_portal.",
    }
    text = texts.get(column, "")
    if allowed:
        text = (text + " " if text else "") + "One of: " + ", ".join(allowed) + "."
    return f"{need} {text}".strip()


# --- XLSX ------------------------------------------------------------------------------------
def xlsx_bytes() -> bytes:
    """The workbook: a sheet per contract table, then Notes and Lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    lists = book.create_sheet("Lists")  # the dropdowns' values, one column per list
    list_ranges: dict[tuple[str, ...], str] = {}
    for table in TABLES:
        sheet = book.create_sheet(table)
        sheet.append(columns(table))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for position, column in enumerate(columns(table), start=1):
            letter = get_column_letter(position)
            sheet.column_dimensions[letter].width = header_width(column)
            allowed = allowed_values(table, column)
            if not allowed:
                continue
            if allowed not in list_ranges:
                at = get_column_letter(len(list_ranges) + 1)
                for row, value in enumerate(allowed, start=1):
                    lists[f"{at}{row}"] = value
                list_ranges[allowed] = f"{quote_sheetname('Lists')}!${at}$1:${at}${len(allowed)}"
            check = DataValidation(
                type="list",
                formula1=list_ranges[allowed],
                allow_blank=column not in REQUIRED_COLUMNS[table],
                showErrorMessage=True,
                errorStyle="warning" if column == "barrier" else "stop",  # providers add keys
                errorTitle="Not an allowed value",
                error="Choose one of the values in the list.",
            )
            check.add(f"{letter}2:{letter}{SHEET_ROWS}")
            sheet.add_data_validation(check)
    notes = book.create_sheet("Notes")
    notes.append(["table", "column", "what goes in it"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for table in TABLES:
        for column in columns(table):
            notes.append([table, column, note(table, column)])
    notes.append([])
    notes.append(
        [
            "",
            "",
            "Save each table as its own file named after its sheet (participants.xlsx: first "
            "sheet, or participants.csv), add dataset.toml, and check it on the Data page. No "
            "personal data (names, NI numbers, dates of birth, addresses, postcodes, email, "
            "phone) and no DWP performance information (referrals, starts counts, job outcomes, "
            "outcome payments, satisfaction results).",
        ]
    )
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 26
    notes.column_dimensions["C"].width = 110
    book.move_sheet("Lists", offset=len(book.sheetnames))
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- CSV -------------------------------------------------------------------------------------
META_TEMPLATE = """provider_name = "Your organisation"
area_name = "Your contract package area"
period_start = "2024-07"  # YYYY-MM, first month covered
period_end = "2025-06"  # YYYY-MM, last month covered
extract_date = "2025-07-04"  # the date the MI was extracted
synthetic = false

# The provider's own keys beyond the contract's, with their labels (delete what you do not record;
# each is shown once a data manager has signed it off on the Data page)
"""
META_TEMPLATE += "".join(
    f"\n[{section}]\n" + "".join(f'{key} = "{label}"\n' for key, label in keys.items())
    for section, keys in DECLARED_EXAMPLES.items()
)


def csv_zip_bytes() -> bytes:
    """A ZIP of one header-only CSV per table (UTF-8), dataset.toml and NOTES.txt."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            archive.writestr(f"{table}.csv", ",".join(columns(table)) + "\n")
        archive.writestr("dataset.toml", META_TEMPLATE)
        lines = [
            f"{table}.{column}: {note(table, column)}"
            for table in TABLES
            for column in columns(table)
        ]
        archive.writestr("NOTES.txt", "\n".join(lines) + "\n")
    return out.getvalue()


__all__ = ["allowed_values", "columns", "csv_zip_bytes", "note", "xlsx_bytes"]
