"""The guards: refuse a whole dataset that holds personal data (Annex 7.6 para 7) or DWP performance
information (para 5), before anything else looks at it.

Column names are normalised hard before matching ('D.O.B.' -> 'dob', 'NI No' -> 'nino'). Values
are screened in bulk with one RE2 pattern over each column's distinct values, and only the few
that trip the screen are checked precisely in Python. Messages name the file, the column and the
row, never the value that matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow.compute as pc

from insight.contract import BARRIER_PREFIX, SERVICE_PREFIX, TABLES
from insight.model import Problem, ProblemKind
from insight.readers import RawColumn, RawTable, listed

PERSONAL = "para 7"
PERFORMANCE = "para 5"


@dataclass(frozen=True)
class GuardRule:
    name: str
    refuses: str  # what it refuses, in plain words (About page and README list these)
    para: str  # the Annex 7.6 paragraph behind it
    kind: ProblemKind


GUARD_RULES: tuple[GuardRule, ...] = (
    GuardRule(
        "personal_column",
        "A column named like a person's name, National Insurance number, date of birth, "
        "address, full postcode, email address or phone number, however it is spelt "
        "('Client Name', 'NI No', 'D.O.B.', 'Post Code', 'E-mail', 'Tel No' and the like). "
        "In the participants table a postcode district or outward-code column is refused too: "
        "on a row with age band, gender, ethnicity and disability it could single someone out, "
        "and la_code is all the app needs.",
        PERSONAL,
        "personal_data",
    ),
    GuardRule(
        "personal_value",
        "A value in any text column of any table, free text included, that looks like a "
        "National Insurance number, a full UK postcode, an email address or a UK phone number. "
        "A postcode district on its own (such as 'B1' or 'WV10') is allowed.",
        PERSONAL,
        "personal_data",
    ),
    GuardRule(
        "personal_id",
        "A participant_id that looks like a National Insurance number: IDs must be pseudonymous.",
        PERSONAL,
        "personal_data",
    ),
    GuardRule(
        "performance_column",
        "A column of referrals, starts counted as a number, job outcomes, outcome payments or "
        "Customer Satisfaction Survey results. Allowed: start_month (a month, not a count), "
        "planned_referrals in local_provision (planned signposting to local provision) and "
        "sustained in job_entries.",
        PERFORMANCE,
        "performance_data",
    ),
    GuardRule(
        "performance_table",
        "A table file of referrals, starts, job outcomes, outcome payments or satisfaction "
        "survey results, such as referrals.csv, job_outcomes.xlsx or satisfaction_survey.csv.",
        PERFORMANCE,
        "performance_data",
    ),
)
_RULES = {rule.name: rule for rule in GUARD_RULES}


def compact(name: str) -> str:
    """'D.O.B.' -> 'dob', 'NI No' -> 'nino', 'address_line_1' -> 'addressline1'."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


# --- personal data by column name ------------------------------------------------------------
_NAME_WORDS = (
    "firstname",
    "firstnames",
    "lastname",
    "surname",
    "forename",
    "forenames",
    "fullname",
    "givenname",
    "middlename",
    "maidenname",
    "preferredname",
)
_PERSON_WORDS = frozenset(
    {"", "client", "participant", "customer", "claimant", "person", "candidate", "applicant"}
    | {"individual", "learner", "user", "contact", "member", "employee", "patient", "family"}
)
_NINO_NAMES = frozenset({"nino", "ninos", "ninumber", "ninum", "niref", "nireference", "nicode"})
_BIRTH_WORDS = ("dateofbirth", "birthdate", "birthday", "yearofbirth", "birthyear", "monthofbirth")
_PHONE_NAMES = frozenset(
    {"tel", "telno", "telnumber", "mob", "mobno", "mobile", "mobileno", "mobilenumber"}
    | {"contactno", "contactnumber", "fax", "faxno", "faxnumber"}
)
_POSTCODE_PART = ("district", "outward", "area", "sector", "prefix")


def personal_column_reason(stem: str, name: str) -> str | None:
    """Why a column name looks like personal data, or None."""
    key = compact(name)
    if not key or _flag_column(name):
        return None
    if any(key.endswith(word) for word in _NAME_WORDS) or (
        key.endswith(("name", "names"))
        and key.removesuffix("s").removesuffix("name") in _PERSON_WORDS
    ):
        return "a column for people's names"
    if key in _NINO_NAMES or "nationalinsurance" in key or "insuranceno" in key:
        return "a column for National Insurance numbers"
    if key == "dob" or key.startswith("dob") or any(word in key for word in _BIRTH_WORDS):
        return "a column for dates of birth"
    if "email" in key or key in {"mail", "emailaddress"}:
        return "a column for email addresses"
    if (
        ("phone" in key and "smartphone" not in key)
        or key in _PHONE_NAMES
        or key.startswith(("telephone", "telno", "mobileno", "mobilenumber"))
    ):
        return "a column for phone numbers"
    if "postcode" in key or "postalcode" in key or "postcod" in key or key in {"zip", "zipcode"}:
        if any(part in key for part in _POSTCODE_PART):
            if stem == "participants":
                return (
                    "a postcode district column: on a participant's row, with their "
                    "characteristics, it could identify them (use la_code)"
                )
            return None
        return "a column for postcodes"
    if (
        "address" in key
        or "street" in key
        or key.startswith("addr")
        or key
        in {
            "houseno",
            "housenumber",
            "housename",
            "flatno",
        }
    ):
        return "a column for addresses"
    return None


# --- DWP performance information by column or file name --------------------------------------
_ALLOWED_PERFORMANCE_LOOKALIKES = {
    ("local_provision", "plannedreferrals"),
    ("job_entries", "sustained"),
}
_COUNT_WORDS = ("count", "num", "total", "volume", "achieved", "rate")


def performance_reason(stem: str, name: str) -> str | None:
    """Why a column (or, with stem '', a table file's stem) looks like DWP performance
    information, or None."""
    key = compact(name)
    if not key or _flag_column(name) or (stem, key) in _ALLOWED_PERFORMANCE_LOOKALIKES:
        return None
    if "referral" in key or "referred" in key:
        return "referrals"
    if key.startswith("startmonth"):
        return None
    if (
        key.startswith("starts")
        or key.endswith("starts")
        or ("start" in key and any(word in key for word in _COUNT_WORDS))
    ):
        return "starts counted as a number"
    if "payment" in key:
        return "outcome payments"
    if "outcome" in key:
        return "job outcomes"
    if "csat" in key or "satisfaction" in key or key in {"css", "cssscore", "cssresult"}:
        return "Customer Satisfaction Survey results"
    if not stem and "survey" in key:
        return "Customer Satisfaction Survey results"
    return None


def _flag_column(name: str) -> bool:
    """barrier_/service_ columns are validated as booleans, so their names cannot carry a value."""
    lowered = str(name).strip().lower()
    return lowered.startswith((BARRIER_PREFIX, SERVICE_PREFIX))


def check_file_names(names: list[str]) -> list[Problem]:
    """Table files of DWP performance information, e.g. referrals.csv or job_outcomes.xlsx."""
    problems = []
    for file_name in names:
        stem = file_name.rsplit(".", 1)[0]
        if stem.lower() in TABLES:
            continue
        reason = performance_reason("", stem)
        if reason:
            problems.append(_guard("performance_table", file_name, f"a table of {reason}"))
    return problems


def check_columns(table: RawTable) -> list[Problem]:
    """Column names that look like personal data or DWP performance information."""
    problems = []
    for column in table.columns:
        reason = personal_column_reason(table.stem, column.original)
        if reason:
            problems.append(_guard("personal_column", table.file, reason, column.original))
        reason = performance_reason(table.stem, column.original)
        if reason:
            problems.append(
                _guard("performance_column", table.file, f"a column of {reason}", column.original)
            )
    return problems


# --- personal data by value ------------------------------------------------------------------
_SCREEN = "|".join(
    (
        r"[a-z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[a-d]",  # National Insurance number
        r"[a-z]\d[a-z\d]? ?\d[a-z]{2}",  # full postcode
        r"@[a-z0-9-]+\.",  # email
        r"\+ ?44|\(?0[1-9]\d{1,3}\)?[ -]?\d{3,4}[ -]?\d{3,4}",  # phone
    )
)
_NINO = re.compile(
    r"(?<![a-z0-9])[a-z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[a-d](?![a-z0-9])", re.I
)
_POSTCODE = re.compile(
    r"(?<![a-z0-9])(?:[a-pr-uwyz][a-hk-y]?\d[a-z\d]?|gir) ?\d[abd-hjlnp-uw-z]{2}(?![a-z0-9])",
    re.I,
)
_EMAIL = re.compile(r"[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.I)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+ ?44 ?(?:\(0\) ?)?|0)\d{2,4}|\(0\d{2,4}\))[ -]?\d{3,4}[ -]?\d{3,4}(?!\w)"
)
_VALUE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a National Insurance number", _NINO),
    ("a full UK postcode", _POSTCODE),
    ("an email address", _EMAIL),
    ("a UK phone number", _PHONE),
)


def looks_personal(text: str) -> str | None:
    """What personal datum a value looks like ('a National Insurance number', ...), or None."""
    for label, pattern in _VALUE_KINDS:
        if label == "a UK phone number":
            if any(_is_phone(match.group()) for match in pattern.finditer(text)):
                return label
        elif pattern.search(text):
            return label
    return None


def _is_phone(text: str) -> bool:
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return len(digits) in (10, 11) and digits[0] == "0" and digits[1] in "1235789"


def scan_values(table: RawTable) -> list[Problem]:
    """Values that look like personal data, in every column of the table."""
    problems: list[Problem] = []
    for column in table.columns:
        problems.extend(_scan_column(table, column))
    return problems


def _scan_column(table: RawTable, column: RawColumn) -> list[Problem]:
    problems: list[Problem] = []
    name = column.original or f"(unnamed column {table.columns.index(column) + 1})"
    for label, rows in _personal_rows(column).items():
        if column.name == "participant_id" and label == "a National Insurance number":
            rule, message = (
                "personal_id",
                "a participant_id that looks like a National Insurance number",
            )
        else:
            rule, message = "personal_value", f"a value that looks like {label}"
        problems.extend(row_problems(rule, table.file, name, rows, message))
    return problems


def _personal_rows(column: RawColumn) -> dict[str, np.ndarray]:
    """Spreadsheet rows by the kind of personal datum their value looks like.

    Screens the distinct values (or, for a plain column, every row) with one RE2 pattern, then
    checks only what the screen caught, precisely, in Python.
    """
    values = column.text() if column.plain else column.dictionary
    if len(values) == 0:
        return {}
    screened = pc.match_substring_regex(values, _SCREEN, ignore_case=True)
    candidates = np.flatnonzero(screened.to_numpy(zero_copy_only=False))
    flagged: dict[str, list[int]] = {}
    for position, value in zip(candidates, values.take(candidates).to_pylist(), strict=True):
        label = looks_personal(value)
        if label:
            flagged.setdefault(label, []).append(int(position))
    if column.plain:
        return {label: np.array(rows) + 2 for label, rows in flagged.items()}
    out = {}
    for label, positions in flagged.items():
        bad = np.zeros(len(values) + 1, dtype=bool)
        bad[positions] = True
        out[label] = column.rows_where(bad)
    return out


def row_problems(
    rule: str, file: str, column: str, rows: np.ndarray, message: str
) -> list[Problem]:
    """One guard problem per row, the first PROBLEMS_LISTED_PER_KIND of them, then a count."""

    def problem(row: int | None, text: str, rule_name: str) -> Problem:
        return _guard(rule, file, text, column, row, rule_name)

    return listed(rows, message, rule, problem)


def _guard(
    rule: str,
    file: str,
    message: str,
    column: str | None = None,
    row: int | None = None,
    rule_name: str | None = None,
) -> Problem:
    spec = _RULES[rule]
    return Problem(
        spec.kind, file, message, column=column, row=row, para=spec.para, rule=rule_name or rule
    )
