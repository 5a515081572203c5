"""What reading a table file gives, whatever its format: a `RawTable` of `RawColumn`s, every value as
trimmed text (blank is missing), each column dictionary-encoded once so checks look at its distinct
values and map the answers back to rows with numpy; `ReadError` when a file cannot be read at all,
and the messages every reader shares (too many rows or columns)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from insight.core.contract import PROBLEMS_LISTED_PER_KIND, normalise_column_name
from insight.core.problems import Problem
from insight.intake import limits as _limits

MONTH_COLUMNS = frozenset({"start_month", "end_month", "month"})
PLAIN_COLUMNS = frozenset({"participant_id"})  # read as plain text, not dictionary-encoded
FIRST_DATA_ROW = 2  # spreadsheet numbering: the header is row 1


class ReadError(Exception):
    """A file that cannot be read at all; the message completes '<file>: ...'."""


class _Encoding(NamedTuple):
    """A column dictionary-encoded: only its few distinct values are trimmed and encoded again,
    while the rows keep the reader's codes (never re-encoded one by one)."""

    distinct: pa.Array  # the distinct non-blank trimmed values: RawColumn.dictionary
    trimmed: pa.Array  # each value as read, trimmed (null for blank), then null for a null cell
    rows: np.ndarray  # each row's position in `trimmed` (int32)
    remap: np.ndarray  # a position in `trimmed` to one in `distinct`, -1 for blank
    same: bool  # `remap` is the identity (no value trimmed away or merged, no null cell)


@dataclass
class RawColumn:
    """One column, as read; checks see it as trimmed text (blank is missing) through its distinct
    values (`dictionary`) and a code per row (`codes`, -1 for blank)."""

    original: str  # the name as the file spells it
    name: str  # normalised (contract.normalise_column_name)
    values: pa.ChunkedArray  # text, dictionary-encoded text, or a Parquet type

    @property
    def plain(self) -> bool:
        """Read as plain text (one value per row, not encoded): a high-cardinality column such as
        participant_id, checked row by row without building a dictionary unless it must."""
        return pa.types.is_string(self.values.type) and "_encoded" not in self.__dict__

    @cached_property
    def _encoded(self) -> _Encoding:
        combined = self.values.combine_chunks()
        if not pa.types.is_dictionary(combined.type):
            combined = pc.dictionary_encode(combined)
        read = as_text(self.original, combined.dictionary, self.name in MONTH_COLUMNS)
        trimmed = _trimmed(read)
        again = pc.dictionary_encode(trimmed)
        indices = combined.indices
        nulls = indices.null_count
        if nulls:  # a null cell (Parquet) takes the position after the last value as read
            indices = pc.fill_null(indices, len(read))
            trimmed = pa.concat_arrays([trimmed, pa.nulls(1, pa.string())])
        remap = np.full(len(trimmed), -1, dtype=np.int32)
        remap[: len(read)] = pc.fill_null(again.indices, -1).to_numpy(zero_copy_only=False)
        rows = indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
        # trimming merged no two values and blanked none: the codes as read stand as they are
        same = not nulls and again.indices.null_count == 0 and len(again.dictionary) == len(read)
        return _Encoding(again.dictionary, trimmed, rows, remap, same)

    @property
    def dictionary(self) -> pa.Array:
        """The distinct non-blank values (trimmed text)."""
        return self._encoded.distinct

    @cached_property
    def codes(self) -> np.ndarray:
        """Position of each row's value in `dictionary`, -1 where the cell is blank."""
        encoded = self._encoded
        return encoded.rows if encoded.same else encoded.remap[encoded.rows]

    def per_row(self, per_value: np.ndarray) -> np.ndarray:
        """`per_value[codes]` (an entry for each distinct value, then one for a blank cell), in
        one gather over the rows as read."""
        if "codes" in self.__dict__:
            return per_value[self.codes]
        encoded = self._encoded
        return per_value[encoded.remap][encoded.rows]

    def counts(self) -> np.ndarray:
        """How many rows hold each distinct value, then how many are blank, counted over the
        rows as read."""
        encoded = self._encoded
        size = len(encoded.distinct)
        as_read = np.bincount(encoded.rows, minlength=len(encoded.remap))
        into = np.where(encoded.remap < 0, size, encoded.remap)
        return np.bincount(into, weights=as_read, minlength=size + 1).astype(np.int64)

    @cached_property
    def uniques(self) -> list[str]:
        return self.dictionary.to_pylist()

    def rows_where(self, bad: np.ndarray) -> np.ndarray:
        """Spreadsheet row numbers whose value is flagged in `bad` (one flag per distinct value,
        plus a last flag for blank cells)."""
        return np.flatnonzero(self.per_row(bad)) + FIRST_DATA_ROW

    @cached_property
    def _plain_text(self) -> pa.Array:
        return _trimmed(self.values.combine_chunks())

    def text(self) -> pa.Array:
        """The trimmed values, blank as null."""
        if self.plain:
            return self._plain_text
        encoded = self._encoded
        return pc.take(encoded.trimmed, encoded.rows)

    def blank_rows(self) -> np.ndarray:
        if self.plain:
            return np.flatnonzero(self._plain_text.is_null().to_numpy(zero_copy_only=False)) + 2
        bad = np.zeros(len(self.dictionary) + 1, dtype=bool)
        bad[-1] = True
        return self.rows_where(bad)


def listed(
    rows: np.ndarray,
    message: str | Callable[[int], str],
    rule: str,
    problem: Callable[[int | None, str, str], Problem],
) -> list[Problem]:
    """A problem per row for the first PROBLEMS_LISTED_PER_KIND rows, then one that counts the
    rest (under the rule name + '_more', so a report lists it rather than folding it away)."""
    out = [
        problem(int(row), message if isinstance(message, str) else message(int(row)), rule)
        for row in rows[:PROBLEMS_LISTED_PER_KIND]
    ]
    more = len(rows) - PROBLEMS_LISTED_PER_KIND
    if more > 0:
        out.append(problem(None, f"{more:,} more rows with this problem", f"{rule}_more"))
    return out


def _trimmed(values: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


@dataclass
class RawTable:
    stem: str  # the contract's table name
    file: str  # the file name, for messages
    n_rows: int
    columns: list[RawColumn] = field(default_factory=list)  # every column, in file order

    @cached_property
    def by_name(self) -> dict[str, RawColumn]:
        """The first column of each normalised name."""
        out: dict[str, RawColumn] = {}
        for column in self.columns:
            if column.name:
                out.setdefault(column.name, column)
        return out

    def duplicate_columns(self) -> list[Problem]:
        seen: dict[str, str] = {}
        problems = []
        for column in self.columns:
            if not column.name:
                continue
            if column.name in seen:
                problems.append(
                    Problem(
                        "contract",
                        self.file,
                        _same_name(seen[column.name], column.original),
                        column=column.name,
                        rule="duplicate_column",
                    )
                )
            else:
                seen[column.name] = column.original
        return problems


def _same_name(first: str, second: str) -> str:
    if first == second:
        return f"two columns are named '{first}'"
    return (
        "two columns have the same name once case, spaces and hyphens are set aside "
        f"('{first}' and '{second}')"
    )


def too_many_rows(what: str, limits: _limits.Limits) -> str:
    return (
        f"{what}; this server reads at most {limits.rows:,} rows a table ({_limits.ENV_ROWS}). "
        "Share a smaller extract or ask whoever runs the server to raise the limit"
    )


def too_many_columns(count: int, limits: _limits.Limits) -> str:
    return (
        f"has {count:,} columns, more than the {limits.columns:,} any table may have: is it the "
        "right file, or are there stray cells far to the right of the table?"
    )


def norm(name: object) -> str:
    return "" if name is None else normalise_column_name(name)


def as_text(name: str, values: pa.Array, month: bool) -> pa.Array:
    """A column's distinct values as text (Parquet columns may be typed)."""
    kind = values.type
    if pa.types.is_string(kind):
        return values
    if pa.types.is_floating(kind):
        values = pc.if_else(pc.is_nan(values), pa.scalar(None, kind), values)
    if pa.types.is_temporal(kind) and not pa.types.is_time(kind):
        return pc.strftime(values, format="%Y-%m" if month else "%Y-%m-%d")
    try:
        return values.cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        raise ReadError(
            f"column '{name}' has a type that cannot be read as text ({kind})"
        ) from None
