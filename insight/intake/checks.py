"""The kinds of value a contract column holds (text, closed list, yes/no, month, count, LA code,
list of keys): each checked on the column's distinct values, with problems per row, and returned
in its normalised form."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from insight.core import geo
from insight.core.contract import (
    ALL_LAS,
    FALSE_VALUES,
    LAD_2025_TO_2024,
    PROBLEMS_LISTED_PER_KIND,
    REQUIRED_COLUMNS,
    TRUE_VALUES,
)
from insight.core.dataset import Meta
from insight.core.periods import month_index
from insight.core.problems import Problem
from insight.intake.guard import looks_personal
from insight.intake.meta import MONTH
from insight.intake.raw import RawColumn, RawTable, listed

_WHOLE_NUMBER = re.compile(r"^[+-]?\d+(\.0*)?$")
_SHOWN_CHARS = 40
ROWS_QUOTED = 10  # row numbers quoted for one problem before 'and N more'
PREPARE_HINT = "use Prepare on the Data page (or python -m insight prepare)"


def _show(value: str) -> str:
    """A value quoted in a message; one that looks like personal data is described, never quoted
    (the contract checks run even when the guards have found personal data)."""
    personal = looks_personal(value)
    if personal:
        return f"a value that looks like {personal} (not shown)"
    return repr(value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "...")


def rows_text(rows: np.ndarray) -> str:
    """'3 rows: 2, 5, 9' or '5,000 rows: 2, 3, ... and 4,990 more'."""
    count = len(rows)
    shown = ", ".join(str(int(row)) for row in rows[:ROWS_QUOTED])
    more = f" and {count - ROWS_QUOTED:,} more" if count > ROWS_QUOTED else ""
    return f"{count:,} {'row' if count == 1 else 'rows'}: {shown}{more}"


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
                    "a required column is missing" + self._near_match(name),
                    column=name,
                    rule="missing_column",
                )
            )
        return not missing

    def _near_match(self, name: str) -> str:
        """': 'Local Authority' looks like la_code: rename it or use Prepare ...', or ''."""
        from insight.intake.recipe import suggest_for_missing

        contract = set(REQUIRED_COLUMNS.get(self.table.stem, ()))
        spare = [c.original for c in self.table.columns if c.name not in contract and c.original]
        hint = suggest_for_missing(spare, name, self.table.stem)
        if hint is None:
            return ""
        return f": '{hint[:_SHOWN_CHARS]}' looks like {name}: rename it, or {PREPARE_HINT}"

    def column(self, name: str) -> RawColumn | None:
        return self.table.by_name.get(name)

    def flag(self, column: RawColumn, messages: dict[int, str], rule: str) -> None:
        """Report the values whose position is in `messages` (-1 is a blank cell): one problem
        per distinct value, with the count of rows and the first of them, most rows first."""
        if not messages:
            return
        counts = column.counts()
        found = [p for p in messages if counts[p] > 0]
        found.sort(key=lambda position: (-counts[position], position))
        for position in found[:PROBLEMS_LISTED_PER_KIND]:
            one = np.zeros(len(counts), dtype=bool)
            one[position] = True
            self.flag_rows(column, column.rows_where(one), messages[position], rule)
        rest = found[PROBLEMS_LISTED_PER_KIND:]
        if rest:
            total = int(sum(counts[p] for p in rest))
            self.problems.append(
                Problem(
                    "contract",
                    self.table.file,
                    f"{len(rest):,} more different values with this kind of problem, in "
                    f"{total:,} rows",
                    column=column.name,
                    rule=f"{rule}_more",
                )
            )

    def flag_rows(
        self, column: RawColumn, rows: np.ndarray, message: str | Callable[[int], str], rule: str
    ) -> None:
        """One problem for rows that share a message (with their count and first rows); a
        message that differs by row gives a problem per row, the first few, then a count."""
        if not len(rows):
            return
        if isinstance(message, str):
            self.problems.append(
                Problem(
                    "contract",
                    self.table.file,
                    f"{message} ({rows_text(rows)})",
                    column=column.name,
                    row=int(rows[0]),
                    rule=rule,
                )
            )
            return

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
        return pd.Categorical.from_codes(column.per_row(mapped), categories=list(allowed))

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
            per_row = column.per_row(mapped)
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
        return pd.Series(column.text().to_pandas(), dtype="str"), column.per_row(mapped)

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
        return column.per_row(mapped)

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
                messages[position] = self._unknown_la(value)
                continue
            code = LAD_2025_TO_2024.get(code, code)
            mapped[position] = where.setdefault(code, len(where))
            if len(where) > len(targets):
                targets.append(code)
        self.flag(column, messages, "unknown_la")
        return column.per_row(mapped), targets

    @staticmethod
    def _unknown_la(value: str) -> str:
        from insight.intake.mapping import la_from_text

        named = la_from_text(value)
        if named is not None:
            return (
                f"{_show(value)} is an LA name, not a code ({named}): {PREPARE_HINT} to turn "
                "names into codes"
            )
        return f"{_show(value)} is not a known LA code (ONS LAD 2024)"

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
        return pd.Series(column.per_row(lookup), dtype=object)
