"""The guards: refuse a whole dataset that holds personal data (Annex 7.6 para 7) or DWP performance
information (para 5), before anything else looks at it.

Column names are normalised hard before matching ('D.O.B.' -> 'dob', 'NI No' -> 'nino'); every
column name (category columns included), every file name in the folder and every sheet name of a
workbook goes through the performance check, misspellings and abbreviations included. Values are
screened by insight.intake.screen: in bulk with one RE2 pattern over each table's distinct values, then
precisely in Python for the few that trip it. Messages name the file, the column and the row, never
the value that matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from insight.core.contract import (
    BARRIER_PREFIX,
    BARRIERS,
    META_FILE,
    SERVICE_PREFIX,
    SERVICES,
    TABLES,
)
from insight.core.dataset import Meta
from insight.core.problems import Problem, ProblemKind
from insight.intake import screen
from insight.intake.raw import RawTable, listed
from insight.intake.vocabulary import performance_name_terms, performance_terms

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
        "A column named like a person's name, National Insurance number, NHS number, date of "
        "birth, address, full postcode, email address or phone number, however it is spelt "
        "('Client Name', 'full_name_of_client', 'NI No', 'nhs_number', 'D.O.B.', 'Post Code', "
        "'E-mail', 'Tel No' and the like). In the participants table a postcode district or "
        "outward-code column is refused too: on a row with age band, gender, ethnicity and "
        "disability it could single someone out, and la_code is all the app needs.",
        PERSONAL,
        "personal_data",
    ),
    GuardRule(
        "personal_value",
        "A value in any column of any table, free text included, that holds a National "
        "Insurance number or a full UK postcode however it is spaced or punctuated, an email "
        "address (spelt-out ones such as 'name at example dot com' too), a UK phone number with "
        "any separators, an NHS number (its check digit valid), a date of birth, a house number "
        "and street, or a person's name (a title such as Mr or Dr and a name, or a common "
        "forename and a surname). A postcode district on its own (such as 'B1' or 'WV10') is "
        "allowed.",
        PERSONAL,
        "personal_data",
    ),
    GuardRule(
        "personal_id",
        "A participant_id that looks like a National Insurance number or an NHS number: IDs "
        "must be pseudonymous.",
        PERSONAL,
        "personal_data",
    ),
    GuardRule(
        "small_count",
        "Free text that counts a few people ('3 people in Trafford found work', 'two of our "
        "participants'): from 1 to 9, or under the dataset's minimum cell if that is higher. "
        "With a place and a date such a count can point at someone. Percentages, money, years, "
        "larger numbers and counts of anything else ('3 sessions a week') are allowed.",
        PERSONAL,
        "personal_data",
    ),
    GuardRule(
        "performance_column",
        "A column of referrals, starts counted as a number, job outcomes, earnings outcomes, "
        "sustainment, outcome payments or Customer Satisfaction Survey results, in any table and "
        "including barrier_ and service_ category columns, however it is spelt or abbreviated "
        "('JobOutcomes', 'JO', 'referal_count', 'sustainment_rate', 'CSS'). Allowed: "
        "start_month (a month, not a count), planned_referrals in local_provision (planned "
        "signposting to local provision) and sustained in job_entries.",
        PERFORMANCE,
        "performance_data",
    ),
    GuardRule(
        "undeclared_flag",
        "A barrier_ or service_ column whose key is neither one of the contract's keys nor "
        "declared with its label in dataset.toml's [barriers] or [services] table: the keys are "
        "a closed list, so a column such as service_into_work or service_earnings_threshold "
        "cannot show a DWP performance measure as a service's share. A declared key is shown "
        "only after a data manager has signed it off on the Data page.",
        PERFORMANCE,
        "performance_data",
    ),
    GuardRule(
        "performance_words",
        "A column, file or sheet name, a declared key or label, or free text, holding a word "
        "of a DWP performance measure (insight/intake/vocabulary.py): into work, in work, "
        "employed, found work, hired, placements, sustained (employment, jobs, sust), earnings "
        "threshold, job start, JSO, OP, PRaP, J.O., jobout, commenced, customer service "
        "standards or satisfaction in any spelling (C.S.S., c_s_s, cust_sat, NPS), and the Welsh "
        "canlyniad swydd, canlyniadau, atgyfeiriad(au), cychwyn, cychwyniadau, taliad "
        "canlyniad. Matched as whole words after folding case and separators. In free text the "
        "words that are also plain English or Welsh refuse only within four words of a figure "
        "('31% into work'); 'self-employed' and 'in-work support' are not matched.",
        PERFORMANCE,
        "performance_data",
    ),
    GuardRule(
        "performance_table",
        "Any file in the dataset folder, or any sheet of a workbook in it, named as a table of "
        "referrals, starts, job outcomes, sustainment, outcome payments or satisfaction survey "
        "results, such as referrals.csv, JO.csv, job_outcomes.xlsx or a sheet named "
        "'JobOutcomes'.",
        PERFORMANCE,
        "performance_data",
    ),
)
_RULES = {rule.name: rule for rule in GUARD_RULES}


__all__ = [
    "GUARD_RULES",
    "check_columns",
    "check_file_names",
    "check_flags",
    "check_sheet_names",
    "compact",
    "performance_name_terms",
    "performance_reason",
    "performance_terms",
    "personal_column_reason",
]


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
_FULL_NAME_WORDS = ("fullname", "firstname", "lastname", "surname", "forename", "givenname")
_NHS_NAMES = frozenset({"nhs", "nhsid", "nhsref", "nhsnumber", "nhsno", "nhsnum", "chino"})
_PERSON_WORDS = frozenset(
    {"", "client", "participant", "customer", "claimant", "person", "candidate", "applicant"}
    | {"individual", "learner", "user", "contact", "member", "employee", "patient", "family"}
    | {"clients", "participants", "customers", "claimants", "persons", "people", "patients"}
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
    words = name_words(name)
    if (
        any(key.endswith(word) for word in _NAME_WORDS)
        or any(word in key for word in _FULL_NAME_WORDS)
        or (
            key.endswith(("name", "names"))
            and key.removesuffix("s").removesuffix("name") in _PERSON_WORDS
        )
        or ({"name", "names"} & set(words) and _PERSON_WORDS.intersection(words))
    ):
        return "a column for people's names"
    if key in _NHS_NAMES or key.startswith(("nhsnumber", "nhsno", "nhsnum", "chinumber")):
        return "a column for NHS numbers"
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


# --- DWP performance information by column, file or sheet name -----------------------------
_ALLOWED_PERFORMANCE_LOOKALIKES = {
    ("local_provision", "plannedreferrals"),
    ("job_entries", "sustained"),
}
_COUNT_WORDS = ("count", "num", "total", "volume", "achieved", "rate", "pct", "percent")
_COUNT_TOKENS = frozenset(
    {"n", "no", "nos", "number", "numbers", "sum", "qty", "quantity", "figure", "figures"}
)
# The programme's vocabulary, matched within the compacted name allowing a slip of the keyboard
# (one edit): 'referal', 'refferal', 'sustainmant', 'satisfation'.
_FUZZY_WORDS: tuple[tuple[str, str], ...] = (
    ("referral", "referrals"),
    ("refferal", "referrals"),  # two slips from 'referral', and common
    ("outcome", "job outcomes"),
    ("sustainment", "job outcome sustainment"),
    ("payment", "outcome payments"),
    ("satisfaction", "Customer Satisfaction Survey results"),
)
# Abbreviations, matched as whole words of the name ('JO.csv', 'jo_rate', 'CSS score').
_ABBREVIATIONS: dict[str, str] = {
    "jo": "job outcomes",
    "jos": "job outcomes",
    "eo": "earnings outcomes",
    "eos": "earnings outcomes",
    "css": "Customer Satisfaction Survey results",
    "csat": "Customer Satisfaction Survey results",
    "cssat": "Customer Satisfaction Survey results",
}
_WORDS = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_REFERRED = re.compile(r"(?<![pd])ref+er+ed")  # not 'preferred' or 'deferred'
_FUZZY_LIMIT = 300  # characters of a name searched for misspellings


def name_words(name: str) -> list[str]:
    """'JobOutcomes' -> ['job', 'outcomes'], 'referal_count' -> ['referal', 'count']."""
    return [word.lower() for word in _WORDS.findall(str(name))]


def performance_reason(stem: str, name: str) -> str | None:
    """Why a column (or, with stem '', a table file's stem or a sheet's name) looks like DWP
    performance information, or None. Category columns (barrier_*, service_*) are checked too:
    'service_job_outcome' would show job outcomes as a service's share."""
    key = compact(name)
    if not key or (stem, key) in _ALLOWED_PERFORMANCE_LOOKALIKES:
        return None
    words = name_words(name)
    for word in words:
        if word in _ABBREVIATIONS:
            return _ABBREVIATIONS[word]
    if _REFERRED.search(key):
        return "referrals"
    for word, reason in _FUZZY_WORDS:
        if _contains_roughly(key[:_FUZZY_LIMIT], word):
            return reason
    if "sustain" in key and (
        any(count in key for count in _COUNT_WORDS) or _COUNT_TOKENS.intersection(words)
    ):
        return "job outcome sustainment"
    if key.startswith("startmonth"):
        return None
    if (
        key.startswith("starts")
        or key.endswith("starts")
        or "starts" in words
        or (
            "start" in key
            and (any(count in key for count in _COUNT_WORDS) or _COUNT_TOKENS.intersection(words))
        )
    ):
        return "starts counted as a number"
    if not stem and "survey" in key:
        return "Customer Satisfaction Survey results"
    return None


def _contains_roughly(text: str, word: str) -> bool:
    """`word` occurs in `text` give or take one slip: a letter left out, added, changed, or two
    neighbours swapped ('referal', 'refferal', 'sustainmant', 'satisfation')."""
    if word in text:
        return True
    variants = _slips(word)
    for size in (len(word) - 1, len(word), len(word) + 1):
        for start in range(0, len(text) - size + 1):
            if text[start : start + size] in variants:
                return True
    return False


@cache
def _slips(word: str) -> frozenset[str]:
    """Every spelling one slip away from `word` (a few hundred strings, made once)."""
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {left + right[1:] for left, right in splits if right}
    out |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    out |= {left + c + right[1:] for left, right in splits if right for c in letters}
    out |= {left + c + right for left, right in splits for c in letters}
    return frozenset(out)


def _flag_column(name: str) -> bool:
    """barrier_/service_ columns are validated as booleans, so their names cannot carry a
    personal value (they still go through the performance check)."""
    lowered = str(name).strip().lower()
    return lowered.startswith((BARRIER_PREFIX, SERVICE_PREFIX))


def check_file_names(names: list[str]) -> list[Problem]:
    """Files of DWP performance information anywhere in the folder: referrals.csv, JO.csv,
    job_outcomes.xlsx, sustainment_rates.txt."""
    problems = []
    for file_name in names:
        stem = file_name.rsplit(".", 1)[0]
        if stem.lower() in TABLES:
            continue
        reason = performance_reason("", stem)
        if reason:
            problems.append(_guard("performance_table", file_name, f"a table of {reason}"))
        elif terms := performance_name_terms(stem):
            problems.append(_guard("performance_words", file_name, _named_with(terms, "file")))
    return problems


def _named_with(terms: list[str], what: str) -> str:
    return (
        f"this {what} is named with '{terms[0]}', the word of a DWP performance measure: rename "
        f"or remove the {what}"
    )


def check_sheet_names(file_name: str, sheets: list[str]) -> list[Problem]:
    """Sheets of DWP performance information in a workbook, whichever sheet the app reads:
    an XLSX whose second sheet is 'JobOutcomes' is refused."""
    problems = []
    for position, sheet in enumerate(sheets, start=1):
        reason = performance_reason("", sheet)
        if reason:
            problems.append(
                _guard(
                    "performance_table",
                    file_name,
                    f"sheet {position} ('{sheet}') is named as a table of {reason}",
                )
            )
        elif terms := performance_name_terms(sheet):
            problems.append(
                _guard(
                    "performance_words",
                    file_name,
                    f"sheet {position} ('{sheet}') is named with '{terms[0]}', the word of a DWP "
                    "performance measure: rename or remove the sheet",
                )
            )
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
        elif (table.stem, compact(column.original)) not in _ALLOWED_PERFORMANCE_LOOKALIKES and (
            terms := performance_name_terms(column.original)
        ):
            problems.append(
                _guard(
                    "performance_words",
                    table.file,
                    _named_with(terms, "column"),
                    column.original,
                )
            )
    return problems


# --- para 5 by allow-list: the closed list of barrier and service keys ------------------------
def check_flags(table: RawTable, meta: Meta | None) -> list[Problem]:
    """Every barrier_/service_ column of the participants table must be one of the contract's
    keys or a key dataset.toml declares with its label ([barriers], [services]): anything else
    refuses the dataset, whatever its name."""
    if table.stem != "participants" or meta is None:  # no meta: its own problem is reported
        return []
    known = {
        BARRIER_PREFIX: (set(BARRIERS), {k for k, _ in meta.declared_barriers}),
        SERVICE_PREFIX: (set(SERVICES), {k for k, _ in meta.declared_services}),
    }
    problems = []
    for column in table.columns:
        for prefix, (contract, declared) in known.items():
            if not column.name.startswith(prefix) or column.name == prefix:
                continue
            key = column.name[len(prefix) :]
            if key in contract or key in declared:
                continue
            section = "barriers" if prefix == BARRIER_PREFIX else "services"
            what = (
                "a barrier participants face"
                if section == "barriers"
                else "support the provider gives"
            )
            listed_keys = ", ".join(sorted(contract | declared))
            problems.append(
                _guard(
                    "undeclared_flag",
                    table.file,
                    f"'{key}' is not one of the {section[:-1]} keys ({listed_keys}). If it is "
                    f"{what}, declare it in {META_FILE} under [{section}] "
                    f'with its label, e.g. {key} = "Its label", and a data manager signs it off '
                    "on the Data page; if it is a result (a job outcome, into work, "
                    "sustainment), remove the column: DWP performance information is never shared",
                    column.original,
                )
            )
    return problems


# --- personal data and small counts by value -----------------------------------------------
_ID_KINDS = frozenset({screen.NINO, screen.NHS})


def looks_personal(text: str) -> str | None:
    """What personal datum a value looks like ('a National Insurance number', ...), or None."""
    kinds = screen.personal_kinds(text)
    return kinds[0] if kinds else None


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
