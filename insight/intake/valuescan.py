"""Every value of a table through the free-text screen (insight.intake.screen), in bulk.

Both bans, on every column but the pseudonymous participant_id (checked for NI and NHS numbers
only): personal details and small counts of people (para 7), counts of people or outcomes and the
performance vocabulary (para 5). The distinct values of every column are screened in one RE2 pass
for the whole table; only what it catches is checked precisely in Python. The performance
vocabulary is checked on each distinct value of the text columns (a few hundred at most).

Organisation columns (`ORGANISATION_COLUMNS`: employers, sectors, the provision's organisations and
services) hold names of organisations: they are never screened as people's names, street
addresses or postcodes, and a message quotes such a value (it is not personal) so the person
can find and fix it. A personal value is never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from insight.core.problems import Problem
from insight.intake import screen
from insight.intake.guard import row_problems
from insight.intake.raw import RawColumn, RawTable, listed

ORGANISATION_COLUMNS = frozenset(
    {
        ("vacancies", "employer"),
        ("vacancies", "sector"),
        ("job_entries", "employer"),
        ("job_entries", "sector"),
        ("local_provision", "organisation"),
        ("local_provision", "service"),
    }
)
_ID = "participant_id"
_QUOTED = 80  # characters of an organisation's name a message quotes
_WORDLIKE = re.compile(r"[A-Za-z]{2}")


def is_organisation_column(stem: str, column: str) -> bool:
    return (stem, column) in ORGANISATION_COLUMNS


def scan_table(table: RawTable, small_below: int = screen.SMALL_COUNT_BELOW) -> list[Problem]:
    """Problems for every value that holds a personal detail, a count of people or outcomes, or
    the performance vocabulary; each names the file, column and rows, never a personal value."""
    columns = [(column, _values(column)) for column in table.columns]
    arrays = [values for _, values in columns if len(values)]
    if not arrays:
        return []
    hits = pc.match_substring_regex(pa.concat_arrays(arrays), screen.PREFILTER)
    hit_flags = hits.to_numpy(zero_copy_only=False)
    problems: list[Problem] = []
    offset = 0
    performance: dict[str, bool] = {}  # each distinct text checked once ('true' in 30 columns)
    for column, values in columns:
        flags = hit_flags[offset : offset + len(values)]
        offset += len(values)
        if len(values):
            problems += _column(table, column, values, flags, small_below, performance)
    return problems


def _performance(value: str, seen: dict[str, bool]) -> bool:
    """The performance vocabulary in one value; a value without two letters in a row (a month, a
    count, an LA code) holds no word of it."""
    if value not in seen:
        seen[value] = _WORDLIKE.search(value) is not None and bool(screen.performance_words(value))
    return seen[value]


def _values(column: RawColumn) -> pa.Array:
    values = column.text() if column.plain else column.dictionary
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    return values


def _column(
    table: RawTable,
    column: RawColumn,
    values: pa.Array,
    flags: np.ndarray,
    small_below: int,
    performance: dict[str, bool],
) -> list[Problem]:
    organisation = is_organisation_column(table.stem, column.name)
    found: dict[str, list[int]] = {}
    quoted: dict[str, list[str]] = {}
    if column.name == _ID:  # pseudonymous: only an NI or NHS number can make it personal
        for candidate in np.flatnonzero(flags):
            personal = screen.personal_kinds(values[int(candidate)].as_py())
            for kind in set(personal) & {screen.NINO, screen.NHS}:
                found.setdefault(kind, []).append(int(candidate))
    else:
        text = values.to_pylist()
        for position, value in enumerate(text):
            if value is None:
                continue
            kinds: tuple[str, ...] = ()
            if flags[position]:
                kinds = screen.findings(
                    value, small_below=small_below, organisation=organisation, performance=False
                )
            if _performance(value, performance):  # no bulk pattern: each distinct text once
                kinds = tuple(k for k in screen.KINDS if k in kinds or k == screen.PERFORMANCE)
            for kind in kinds:
                found.setdefault(kind, []).append(position)
            if organisation and kinds and not set(kinds) & set(screen.PERSONAL_KINDS):
                for kind in kinds:
                    quoted.setdefault(kind, []).append(value[:_QUOTED])
    return _problems(table, column, values, found, quoted, small_below)


def _rows(column: RawColumn, values: pa.Array, positions: list[int]) -> np.ndarray:
    if column.plain:
        return np.array(positions) + 2
    bad = np.zeros(len(values) + 1, dtype=bool)
    bad[positions] = True
    return column.rows_where(bad)


def _problems(
    table: RawTable,
    column: RawColumn,
    values: pa.Array,
    found: dict[str, list[int]],
    quoted: dict[str, list[str]],
    small_below: int,
) -> list[Problem]:
    name = column.original or f"(unnamed column {table.columns.index(column) + 1})"
    out: list[Problem] = []
    for kind in screen.KINDS:
        if kind not in found:
            continue
        rows = _rows(column, values, found[kind])
        names = ""
        if kind in quoted:
            shown = sorted(set(quoted[kind]))[:3]
            names = " (" + ", ".join(f"'{value}'" for value in shown) + ")"
        if column.name == _ID:
            message = f"a participant_id that looks like {kind}"
            out += row_problems("personal_id", table.file, name, rows, message)
        elif kind == screen.SMALL_COUNT:
            message = (
                f"{screen.SMALL_COUNT} in free text (fewer than {small_below}): write a share, "
                "or leave the number out"
            )
            out += row_problems("small_count", table.file, name, rows, message)
        elif kind in screen.PERSONAL_KINDS:
            out += row_problems(
                "personal_value", table.file, name, rows, f"a value that looks like {kind}"
            )
        else:
            rule = "count_text" if kind == screen.COUNT else "performance_text"
            message = (
                f"{kind} in free text{names}: {screen.NOUNS[kind].split(' (')[0]} may not be "
                "shared; rewrite the text without it"
                if kind == screen.PERFORMANCE
                else f"{kind} in free text{names}: write a share of something that is not an "
                "outcome, or leave the number out"
            )
            out += listed(rows, message, rule, _para5(table.file, name))
    return out


def _para5(file: str, column: str) -> Callable[[int | None, str, str], Problem]:
    def problem(row: int | None, text: str, rule: str) -> Problem:
        return Problem(
            "performance_data", file, text, column=column, row=row, para="para 5", rule=rule
        )

    return problem
