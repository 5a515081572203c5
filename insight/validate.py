"""Contract validation and normalisation: check each table against DATA_CONTRACT.md and, in the
same pass, build the typed frames a `Dataset` holds.

Checks run on each column's distinct values and the answers are mapped back to rows with numpy,
so a million participants cost a few array lookups per column. Every problem names the file, the
column and the spreadsheet row (the first PROBLEMS_LISTED_PER_KIND rows, then a count). Values
from closed lists are quoted in messages to help the fix; free text is never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from insight import geo
from insight.contract import (
    AGE_BANDS,
    ALL_LAS,
    BARRIER_PREFIX,
    BARRIERS,
    DISABILITY,
    ETHNICITIES,
    FALSE_VALUES,
    FUNDED_BY,
    GENDERS,
    INSIGHT_CATEGORIES,
    LAD_2025_TO_2024,
    PLAN_STATUSES,
    PROBLEMS_LISTED_PER_KIND,
    RECOMMENDATIONS,
    REQUIRED_COLUMNS,
    SERVICE_PREFIX,
    SERVICES,
    STATUSES,
    TRUE_VALUES,
)
from insight.meta import MONTH
from insight.model import Meta, Problem, month_index
from insight.readers import RawColumn, RawTable, listed

_WHOLE_NUMBER = re.compile(r"^[+-]?\d+(\.0*)?$")
_SHOWN_CHARS = 40
_CHOICES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "age_band": AGE_BANDS,
    "gender": GENDERS,
    "ethnicity": ETHNICITIES,
    "disability": DISABILITY,
}


def _show(value: str) -> str:
    return repr(value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "...")


class TableCheck:
    """Checks one table's columns, collecting problems, and returns their normalised values."""

    def __init__(self, table: RawTable, meta: Meta | None):
        self.table = table
        self.meta = meta
        self.problems: list[Problem] = []

    def has_columns(self, names: Sequence[str]) -> bool:
        missing = [name for name in names if name not in self.table.by_name]
        for name in missing:
            self.problems.append(
                Problem(
                    "contract",
                    self.table.file,
                    "a required column is missing",
                    column=name,
                    rule="missing_column",
                )
            )
        return not missing

    def column(self, name: str) -> RawColumn | None:
        return self.table.by_name.get(name)

    def flag(self, column: RawColumn, messages: dict[int, str], rule: str) -> None:
        """Report rows whose value's position is in `messages` (-1 is a blank cell)."""
        if not messages:
            return
        bad = np.zeros(len(column.dictionary) + 1, dtype=bool)
        bad[list(messages)] = True
        codes = column.codes
        self.flag_rows(
            column, column.rows_where(bad), lambda row: messages[int(codes[row - 2])], rule
        )

    def flag_rows(
        self, column: RawColumn, rows: np.ndarray, message: str | Callable[[int], str], rule: str
    ) -> None:
        def problem(row: int | None, text: str, rule: str) -> Problem:
            return Problem(
                "contract", self.table.file, text, column=column.name, row=row, rule=rule
            )

        self.problems.extend(listed(rows, message, rule, problem))

    def blank(self, column: RawColumn, what: str) -> dict[int, str]:
        return {-1: f"is blank; expected {what}"}

    # --- kinds of value --------------------------------------------------------------------
    def text(self, name: str, required: bool = True) -> pd.Series:
        column = self.column(name)
        if column is None:
            return pd.Series(pd.NA, index=range(self.table.n_rows), dtype="str")
        if required:
            self.flag(column, self.blank(column, "some text"), "blank")
        return pd.Series(column.text().to_pandas(), dtype="str")

    def choice(self, name: str, allowed: Sequence[str], required: bool = True) -> pd.Categorical:
        """A value from a closed list (matched ignoring case), as a categorical in list order."""
        column = self.column(name)
        if column is None:
            return pd.Categorical.from_codes(
                np.full(self.table.n_rows, -1), categories=list(allowed)
            )
        lookup = {value.lower(): i for i, value in enumerate(allowed)}
        listed = ", ".join(allowed)
        mapped = np.full(len(column.uniques) + 1, -1, dtype=np.int16)
        messages = self.blank(column, f"one of: {listed}") if required else {}
        for position, value in enumerate(column.uniques):
            found = lookup.get(value.lower())
            if found is None:
                messages[position] = f"{_show(value)} is not one of: {listed}"
            else:
                mapped[position] = found
        self.flag(column, messages, "not_in_list")
        return pd.Categorical.from_codes(mapped[column.codes], categories=list(allowed))

    def boolean(self, name: str) -> pd.arrays.BooleanArray:
        column = self.column(name)
        mapped = np.full(len(column.uniques) + 1 if column else 1, -1, dtype=np.int8)
        messages = {}
        for position, value in enumerate(column.uniques if column else ()):
            lowered = value.lower()
            if lowered in TRUE_VALUES:
                mapped[position] = 1
            elif lowered in FALSE_VALUES:
                mapped[position] = 0
            else:
                messages[position] = (
                    f"{_show(value)} is not a yes/no value (use true/false, yes/no, y/n or 1/0; "
                    "blank for unknown)"
                )
        if column is None:
            per_row = np.full(self.table.n_rows, -1, dtype=np.int8)
        else:
            self.flag(column, messages, "not_boolean")
            per_row = mapped[column.codes]
        return pd.arrays.BooleanArray(per_row == 1, per_row < 0)

    def month(self, name: str, in_period: bool = True) -> tuple[pd.Series, np.ndarray]:
        """'YYYY-MM' text and its month index (int32, -1 where invalid)."""
        column = self.column(name)
        assert column is not None
        mapped = np.full(len(column.uniques) + 1, -1, dtype=np.int32)
        messages = self.blank(column, "a month YYYY-MM")
        period = (self.meta.start_index, self.meta.end_index) if self.meta and in_period else None
        for position, value in enumerate(column.uniques):
            if not MONTH.match(value):
                messages[position] = f"{_show(value)} is not a month written YYYY-MM"
                continue
            index = month_index(value)
            if period and not period[0] <= index <= period[1]:
                messages[position] = (
                    f"{value} is outside the dataset period "
                    f"{self.meta.period_start} to {self.meta.period_end}"  # type: ignore[union-attr]
                )
            mapped[position] = index
        self.flag(column, messages, "bad_month")
        return pd.Series(column.text().to_pandas(), dtype="str"), mapped[column.codes]

    def count(self, name: str, minimum: int) -> np.ndarray:
        column = self.column(name)
        assert column is not None
        mapped = np.zeros(len(column.uniques) + 1, dtype=np.int64)
        messages = self.blank(column, "a whole number")
        for position, value in enumerate(column.uniques):
            if not _WHOLE_NUMBER.match(value):
                messages[position] = f"{_show(value)} is not a whole number"
                continue
            number = int(float(value)) if "." in value else int(value)
            if number < minimum:
                low = "negative" if number < 0 else f"below {minimum}"
                messages[position] = f"{number} is {low}; it must be {minimum} or more"
            mapped[position] = number
        self.flag(column, messages, "bad_count")
        return mapped[column.codes]

    def la_code(self, name: str, allow_all: bool = False) -> tuple[np.ndarray, list[str]]:
        """Codes into a list of LAD 2024 codes (2025 codes mapped), -1 where invalid."""
        column = self.column(name)
        assert column is not None
        known = geo.known_codes()
        targets: list[str] = []
        where: dict[str, int] = {}
        mapped = np.full(len(column.uniques) + 1, -1, dtype=np.int32)
        messages = self.blank(column, "an ONS LA code such as E08000025")
        for position, value in enumerate(column.uniques):
            code = value.upper()
            if code == ALL_LAS and allow_all:
                pass
            elif code == ALL_LAS:
                messages[position] = "'ALL' is allowed only in local_provision and la_codes fields"
                continue
            elif code not in known:
                messages[position] = f"{_show(value)} is not a known LA code (ONS LAD 2024)"
                continue
            code = LAD_2025_TO_2024.get(code, code)
            mapped[position] = where.setdefault(code, len(where))
            if len(where) > len(targets):
                targets.append(code)
        self.flag(column, messages, "unknown_la")
        return mapped[column.codes], targets

    def la_series(self, name: str, allow_all: bool = False) -> pd.Series:
        codes, targets = self.la_code(name, allow_all)
        return pd.Series(np.array(targets + [None], dtype=object)[codes], dtype="str")

    def key_list(self, name: str, allowed: Sequence[str], what: str, required: bool) -> pd.Series:
        """Semicolon-separated keys as tuples of str; `ALL` alone is every LA."""
        column = self.column(name)
        if column is None:
            return pd.Series([()] * self.table.n_rows, dtype=object)
        allowed_set = {key.upper() if what == "LA code" else key for key in allowed}
        parsed: list[tuple[str, ...]] = []
        messages = (
            self.blank(column, f"a {what} (or several, separated by ';')") if required else {}
        )
        for position, value in enumerate(column.uniques):
            parts = [part.strip() for part in value.split(";") if part.strip()]
            if what == "LA code":
                parts = [LAD_2025_TO_2024.get(part.upper(), part.upper()) for part in parts]
            else:
                parts = [part.lower() for part in parts]
            unknown = [part for part in parts if part not in allowed_set]
            if what == "LA code" and ALL_LAS in parts:
                unknown = [part for part in unknown if part != ALL_LAS]
                if len(parts) > 1:
                    messages[position] = "'ALL' must stand alone, not with other LA codes"
            if unknown:
                messages[position] = f"{_show(unknown[0])} is not a known {what}"
            parsed.append(tuple(parts))
        self.flag(column, messages, "unknown_key")
        lookup = np.empty(len(parsed) + 1, dtype=object)
        lookup[:-1] = parsed
        lookup[-1] = ()
        return pd.Series(lookup[column.codes], dtype=object)


# --- tables ----------------------------------------------------------------------------------
def flag_keys(table: RawTable, prefix: str, known: Sequence[str]) -> tuple[str, ...]:
    """barrier_/service_ keys in the table: the contract's order first, then the file's."""
    present = [
        c.name[len(prefix) :]
        for c in table.columns
        if c.name.startswith(prefix) and c.name != prefix
    ]
    ordered = [key for key in known if key in present]
    return tuple(dict.fromkeys(ordered + present))


def check_participants(
    table: RawTable, meta: Meta | None
) -> tuple[list[Problem], pd.DataFrame | None, tuple[str, ...], tuple[str, ...]]:
    check = TableCheck(table, meta)
    if not check.has_columns(REQUIRED_COLUMNS["participants"]):
        return check.problems, None, (), ()
    ids = check.column("participant_id")
    assert ids is not None
    check.flag_rows(ids, ids.blank_rows(), "is blank; expected a pseudonymous ID", "blank")
    text = ids.text()
    if pc.count_distinct(text).as_py() < len(text) - text.null_count:
        _duplicates(check, ids)
    codes, targets = check.la_code("la_code")
    order = sorted(range(len(targets)), key=targets.__getitem__)
    remap = np.full(len(targets) + 1, -1, dtype=np.int32)
    remap[order] = np.arange(len(order))
    month_text, month_idx = check.month("start_month")
    frame: dict[str, object] = {
        "participant_id": pd.Series(text.to_pandas(), dtype="str"),
        "la_code": pd.Categorical.from_codes(remap[codes], categories=sorted(targets)),
        "start_month": month_text,
        "start_month_index": month_idx.astype(np.int32),
    }
    for name, allowed in _CHOICES.items():
        frame[name] = check.choice(name, allowed)
    barriers = flag_keys(table, BARRIER_PREFIX, tuple(BARRIERS))
    services = flag_keys(table, SERVICE_PREFIX, tuple(SERVICES))
    for prefix, keys in ((BARRIER_PREFIX, barriers), (SERVICE_PREFIX, services)):
        for key in keys:
            frame[prefix + key] = check.boolean(prefix + key)
    return check.problems, pd.DataFrame(frame), barriers, services


def _duplicates(check: TableCheck, ids: RawColumn) -> None:
    codes = ids.codes
    filled = codes[codes >= 0]
    if len(filled) == len(ids.dictionary):
        return
    counts = np.bincount(filled, minlength=len(ids.dictionary))
    repeated = np.append(counts > 1, False)
    rows = ids.rows_where(repeated)
    first_row: dict[int, int] = {}
    messages = {}
    for row in rows:
        code = int(codes[row - 2])
        if code in first_row:
            messages.setdefault(code, f"this participant_id is also on row {first_row[code]}")
        else:
            first_row[code] = int(row)
    # report only the repeats, not the first sighting
    later = np.array([row for row in rows if first_row[int(codes[row - 2])] != row], dtype=np.int64)
    check.flag_rows(
        ids,
        later,
        lambda row: f"duplicate participant_id (also on row {first_row[int(codes[row - 2])]})",
        "duplicate_id",
    )


def check_optional(
    table: RawTable, meta: Meta | None, barrier_keys: Sequence[str]
) -> tuple[list[Problem], pd.DataFrame | None]:
    """vacancies, job_entries, local_provision, commissioning_plans or insights."""
    check = TableCheck(table, meta)
    if not check.has_columns(REQUIRED_COLUMNS[table.stem]):
        return check.problems, None
    build = _BUILDERS[table.stem]
    frame = build(check, tuple(barrier_keys))
    return check.problems, frame


def _month_columns(check: TableCheck, name: str, in_period: bool = True) -> dict[str, object]:
    text, index = check.month(name, in_period)
    return {name: text, f"{name}_index": index.astype(np.int32)}


def _vacancies(check: TableCheck, _: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": check.la_series("la_code"),
            "sector": check.text("sector"),
            **_month_columns(check, "month"),
            "positions": check.count("positions", 1),
            "employer": check.text("employer", required=False),
        }
    )


def _job_entries(check: TableCheck, _: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": check.la_series("la_code"),
            "sector": check.text("sector"),
            **_month_columns(check, "month"),
            "employer": check.text("employer", required=False),
            "sustained": check.boolean("sustained"),
        }
    )


def _local_provision(check: TableCheck, _: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "organisation": check.text("organisation"),
            "service": check.text("service"),
            "la_code": check.la_series("la_code", allow_all=True),
            **_month_columns(check, "month"),
            "capacity": check.count("capacity", 0),
            "planned_referrals": check.count("planned_referrals", 0),
            "funded_by": check.choice("funded_by", FUNDED_BY),
        }
    )


def _plans(check: TableCheck, barriers: tuple[str, ...]) -> pd.DataFrame:
    starts = _month_columns(check, "start_month", in_period=False)
    ends = _month_columns(check, "end_month", in_period=False)
    start_idx, end_idx = starts["start_month_index"], ends["end_month_index"]
    backwards = (start_idx >= 0) & (end_idx >= 0) & (end_idx < start_idx)  # type: ignore[operator]
    for row in np.flatnonzero(backwards)[:PROBLEMS_LISTED_PER_KIND]:
        check.problems.append(
            Problem(
                "contract",
                check.table.file,
                "end_month is before start_month",
                column="end_month",
                row=int(row) + 2,
                rule="plan_order",
            )
        )
    barrier = check.key_list("barrier", barriers, "barrier key", required=False)
    return pd.DataFrame(
        {
            "title": check.text("title"),
            "description": check.text("description", required=False),
            "la_codes": check.key_list("la_codes", sorted(geo.known_codes()), "LA code", True),
            "barrier": pd.Series([parts[0] if parts else pd.NA for parts in barrier], dtype="str"),
            **starts,
            **ends,
            "status": check.choice("status", PLAN_STATUSES),
        }
    )


def _insights(check: TableCheck, barriers: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": check.choice("category", tuple(INSIGHT_CATEGORIES)),
            "title": check.text("title"),
            "text": check.text("text"),
            "la_codes": check.key_list("la_codes", sorted(geo.known_codes()), "LA code", True),
            "barriers": check.key_list("barriers", barriers, "barrier key", required=False),
            "approach": check.text("approach", required=False),
            "recommendation": check.choice(
                "recommendation", tuple(RECOMMENDATIONS), required=False
            ),
        }
    )


_BUILDERS = {
    "vacancies": _vacancies,
    "job_entries": _job_entries,
    "local_provision": _local_provision,
    "commissioning_plans": _plans,
    "insights": _insights,
}


def barrier_vocabulary(barrier_keys: Sequence[str]) -> tuple[str, ...]:
    """Keys a plan's `barrier` or an insight's `barriers` may use: the annex's and the dataset's."""
    return tuple(dict.fromkeys([*BARRIERS, *barrier_keys]))


__all__ = ["TableCheck", "barrier_vocabulary", "check_optional", "check_participants"]
