"""Read one table file (CSV, XLSX or Parquet) into plain text columns, or say in plain words why not.

Every value arrives as text (trimmed; blank is missing) whatever the file format, so the guards and
the contract checks see one shape. Each column is dictionary-encoded once: checks look at the
distinct values (a few dozen for most columns) and map the answers back to rows with numpy.
Messages never quote a file's content: a ragged line or a bad byte is reported by line number only.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from insight.contract import REQUIRED_COLUMNS, normalise_column_name
from insight.model import Problem

MONTH_COLUMNS = frozenset({"start_month", "end_month", "month"})
FIRST_DATA_ROW = 2  # spreadsheet numbering: the header is row 1
_SNIFF_BYTES = 1 << 16
_TITLE_SEARCH_ROWS = 10


class ReadError(Exception):
    """A file that cannot be read at all; the message completes '<file>: ...'."""


@dataclass
class RawColumn:
    """One column as trimmed text, with its distinct values and a code per row (-1 = blank)."""

    original: str  # the name as the file spells it
    name: str  # normalised (contract.normalise_column_name)
    values: pa.ChunkedArray

    @cached_property
    def _encoded(self) -> pa.DictionaryArray:
        raw = self.values.combine_chunks() if self.values.num_chunks != 1 else self.values.chunk(0)
        first = pc.dictionary_encode(raw)
        trimmed = pc.utf8_trim_whitespace(first.dictionary)
        trimmed = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
        again = pc.dictionary_encode(trimmed)
        return pa.DictionaryArray.from_arrays(
            pc.take(again.indices, first.indices), again.dictionary
        )

    @property
    def dictionary(self) -> pa.Array:
        """The distinct non-blank values (trimmed)."""
        return self._encoded.dictionary

    @cached_property
    def codes(self) -> np.ndarray:
        """Position of each row's value in `dictionary`, -1 where the cell is blank."""
        return pc.fill_null(self._encoded.indices, -1).to_numpy().astype(np.int32, copy=False)

    @cached_property
    def uniques(self) -> list[str]:
        return self.dictionary.to_pylist()

    def rows_where(self, bad: np.ndarray) -> np.ndarray:
        """Spreadsheet row numbers whose value is flagged in `bad` (one flag per distinct value,
        plus a last flag for blank cells)."""
        return np.flatnonzero(bad[self.codes]) + FIRST_DATA_ROW

    def text(self) -> pa.Array:
        """The trimmed values, blank as null."""
        return pc.take(self.dictionary, self._encoded.indices)


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
                        f"two columns have the same name once case, spaces and hyphens are "
                        f"set aside ('{seen[column.name]}' and '{column.original}')",
                        column=column.name,
                        rule="duplicate_column",
                    )
                )
            else:
                seen[column.name] = column.original
        return problems


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
                    column_types={name: pa.string() for name in names},
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
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError):
        raise ReadError(
            "is not a valid Parquet file (it may be damaged, cut short, or another kind of file "
            "renamed .parquet)"
        ) from None
    arrays = [
        _as_text(name, column)
        for name, column in zip(table.column_names, table.columns, strict=True)
    ]
    return table.column_names, arrays


def _as_text(name: str, column: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_string(kind):
        return column
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return column.cast(pa.string())
    if pa.types.is_floating(kind):
        column = pc.if_else(pc.is_nan(column), pa.scalar(None, kind), column)
    if pa.types.is_temporal(kind) and not pa.types.is_time(kind):
        pattern = "%Y-%m" if _norm(name) in MONTH_COLUMNS else "%Y-%m-%d"
        return pc.strftime(column, format=pattern)
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return column.cast(pa.string())
    try:
        return column.cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        raise ReadError(
            f"column '{name}' has a type that cannot be read as text ({kind})"
        ) from None
