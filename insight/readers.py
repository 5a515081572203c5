"""Read one table file (CSV, XLSX or Parquet) into plain text columns, or say in plain words why not.

Every value arrives as text (trimmed; blank is missing) whatever the file format, so the guards and
the contract checks see one shape. Each column is dictionary-encoded once: checks look at the
distinct values (a few dozen for most columns) and map the answers back to rows with numpy.
Messages never quote a file's content: a ragged line or a bad byte is reported by line number only.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from insight.contract import PROBLEMS_LISTED_PER_KIND, REQUIRED_COLUMNS, normalise_column_name
from insight.model import Problem

MONTH_COLUMNS = frozenset({"start_month", "end_month", "month"})
PLAIN_COLUMNS = frozenset({"participant_id"})  # read as plain text, not dictionary-encoded
FIRST_DATA_ROW = 2  # spreadsheet numbering: the header is row 1
_SNIFF_BYTES = 1 << 16
_TITLE_SEARCH_ROWS = 10


class ReadError(Exception):
    """A file that cannot be read at all; the message completes '<file>: ...'."""


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
    def _encoded(self) -> pa.DictionaryArray:
        combined = self.values.combine_chunks()
        if not pa.types.is_dictionary(combined.type):
            combined = pc.dictionary_encode(combined)
        dictionary = _as_text(self.original, combined.dictionary, self.name in MONTH_COLUMNS)
        trimmed = _trimmed(dictionary)
        again = pc.dictionary_encode(trimmed)
        indices = pc.take(again.indices, combined.indices)
        return pa.DictionaryArray.from_arrays(indices, again.dictionary)

    @property
    def dictionary(self) -> pa.Array:
        """The distinct non-blank values (trimmed text)."""
        return self._encoded.dictionary

    @cached_property
    def codes(self) -> np.ndarray:
        """Position of each row's value in `dictionary`, -1 where the cell is blank."""
        indices = self._encoded.indices
        if indices.null_count:
            indices = pc.fill_null(indices, -1)
        return indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)

    @cached_property
    def uniques(self) -> list[str]:
        return self.dictionary.to_pylist()

    def rows_where(self, bad: np.ndarray) -> np.ndarray:
        """Spreadsheet row numbers whose value is flagged in `bad` (one flag per distinct value,
        plus a last flag for blank cells)."""
        return np.flatnonzero(bad[self.codes]) + FIRST_DATA_ROW

    @cached_property
    def _plain_text(self) -> pa.Array:
        return _trimmed(self.values.combine_chunks())

    def text(self) -> pa.Array:
        """The trimmed values, blank as null."""
        if self.plain:
            return self._plain_text
        return pc.take(self.dictionary, self._encoded.indices)

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


def read_table(path: Path, stem: str) -> RawTable:
    """Read a table file; raises ReadError with a plain message when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        names, arrays = _read_csv(path)
    elif suffix == ".xlsx":
        names, arrays = _read_xlsx(path, stem)
    elif suffix == ".parquet":
        names, arrays = _read_parquet(path)
    else:  # pragma: no cover - load only passes contract suffixes
        raise ReadError(f"'{suffix}' files are not read; use .csv, .xlsx or .parquet")
    n_rows = len(arrays[0]) if arrays else 0
    columns = [
        RawColumn(str(name) if name is not None else "", _norm(name), values)
        for name, values in zip(names, arrays, strict=True)
    ]
    return RawTable(stem=stem, file=path.name, n_rows=n_rows, columns=columns)


def _norm(name: object) -> str:
    return "" if name is None else normalise_column_name(name)


# --- CSV -------------------------------------------------------------------------------------
def _read_csv(path: Path) -> tuple[list[str], list[pa.ChunkedArray]]:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head.lstrip(b"\xef\xbb\xbf").strip():
        raise ReadError("the file is empty (not even a header row)")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("is not UTF-8: it looks like UTF-16. Save it as 'CSV UTF-8' and try again")
    if b"\x00" in head:
        raise ReadError(
            "is not a CSV text file: it holds binary data (was another kind of file renamed .csv?)"
        )
    first_line = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    try:
        header_text = first_line.decode("utf-8")
    except UnicodeDecodeError:
        raise ReadError(_not_utf8(1)) from None
    names = next(csv.reader([header_text]), [])
    if not any(name.strip() for name in names):
        raise ReadError("the first line is blank: it should hold the column names")
    for newlines in (False, True):
        try:
            table = pacsv.read_csv(
                path,
                parse_options=pacsv.ParseOptions(newlines_in_values=newlines),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: _csv_type(name) for name in names},
                    strings_can_be_null=False,
                    null_values=[],
                ),
            )
            return table.column_names, table.columns
        except pa.ArrowInvalid as error:
            text = str(error)
            if "UTF8" in text:
                raise ReadError(_not_utf8(_first_bad_utf8_line(path))) from None
            if "Expected" not in text or newlines:
                raise ReadError(_ragged(path, len(names))) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _csv_type(name: str) -> pa.DataType:
    """Plain text for participant_id (a million distinct values); dictionary text for the rest."""
    if _norm(name) in PLAIN_COLUMNS:
        return pa.string()
    return pa.dictionary(pa.int32(), pa.string())


def _not_utf8(line: int) -> str:
    return (
        f"is not UTF-8: line {line} has bytes that are not UTF-8 (perhaps saved as Windows "
        "'ANSI'/cp1252 or UTF-16). Save it as 'CSV UTF-8' and try again"
    )


def _first_bad_utf8_line(path: Path) -> int:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data.count(b"\n", 0, error.start) + 1
    return 1  # pragma: no cover - pyarrow and Python agree on UTF-8


def _ragged(path: Path, expected: int) -> str:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            for record in reader:
                if record and len(record) != expected:
                    if expected == 1 and reader.line_num == 2:
                        return (
                            "the first line is not the header: it holds one value, like a title. "
                            "The first line must hold the column names"
                        )
                    return (
                        f"line {reader.line_num} has {len(record)} fields but the header has "
                        f"{expected}; every line needs the same number of fields"
                    )
    except (csv.Error, UnicodeDecodeError):
        pass
    return "could not be read as CSV (check the quoting and the number of fields on each line)"


# --- Excel -----------------------------------------------------------------------------------
def _read_xlsx(path: Path, stem: str) -> tuple[list[str], list[pa.ChunkedArray]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ReadError(
            "is not a valid .xlsx workbook (it is not a zip-based Excel file: was another kind "
            "of file renamed .xlsx, or is it an old .xls?)"
        ) from None
    try:
        if not book.worksheets:
            raise ReadError("the workbook has no sheets")
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError):
        raise ReadError("is a damaged .xlsx workbook: its first sheet could not be read") from None
    finally:
        book.close()
    while rows and all(_blank(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ReadError("the first sheet is empty (not even a header row)")
    _check_header_row(rows, stem)
    header = rows[0]
    width = max(len(row) for row in rows)
    header = header + [None] * (width - len(header))
    names = ["" if _blank(cell) else str(cell).strip() for cell in header]
    columns = []
    for position, name in enumerate(names):
        month = _norm(name) in MONTH_COLUMNS
        cells = [
            _cell_text(row[position] if position < len(row) else None, month) for row in rows[1:]
        ]
        columns.append(pa.chunked_array([pa.array(cells, pa.string())]))
    return names, columns


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _check_header_row(rows: list[list[object]], stem: str) -> None:
    """The first row must hold the column names; say so when a title or blank row sits above."""
    expected = set(REQUIRED_COLUMNS.get(stem, ()))
    for number, row in enumerate(rows[:_TITLE_SEARCH_ROWS], start=1):
        names = {_norm(cell) for cell in row if not _blank(cell)}
        if names & expected:
            if number > 1:
                raise ReadError(
                    f"the first row is not the header: the column names are on row {number}. "
                    f"Delete the {number - 1} row(s) above them (a title above the table is "
                    "not allowed)"
                )
            return
    filled = [cell for cell in rows[0] if not _blank(cell)]
    if len(rows) > 1 and len(filled) <= 1:
        raise ReadError(
            "the first row is not the header: it holds at most one value, like a title. The "
            "first row must hold the column names"
        )


def _cell_text(cell: object, month: bool) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        if month and cell.day == 1:
            return cell.strftime("%Y-%m")
        return cell.strftime("%Y-%m-%d")
    return str(cell)


# --- Parquet ---------------------------------------------------------------------------------
def _read_parquet(path: Path) -> tuple[list[str], list[pa.ChunkedArray]]:
    try:
        schema = pq.read_schema(path)
        encode = [
            field.name
            for field in schema
            if _norm(field.name) not in PLAIN_COLUMNS
            and (pa.types.is_string(field.type) or pa.types.is_large_string(field.type))
        ]
        table = pq.read_table(path, read_dictionary=encode)
    except (pa.ArrowException, OSError, ValueError):
        raise ReadError(
            "is not a valid Parquet file (it may be damaged, cut short, or another kind of file "
            "renamed .parquet)"
        ) from None
    columns = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            column = column.cast(pa.string())
        elif not (pa.types.is_string(kind) or pa.types.is_dictionary(kind)):
            _as_text(name, column.slice(0, 1).combine_chunks(), False)  # refuse odd types early
        columns.append(column)
    return table.column_names, columns


def _as_text(name: str, values: pa.Array, month: bool) -> pa.Array:
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
