"""Read one table file (CSV, XLSX or Parquet) into plain text columns, or say in plain words why not.

Every value arrives as text (trimmed; blank is missing) whatever the file format, so the guards and
the contract checks see one shape. Each column is dictionary-encoded once: checks look at the
distinct values (a few dozen for most columns) and map the answers back to rows with numpy.
Messages never quote a file's content: a ragged line or a bad byte is reported by line number only.
"""

from __future__ import annotations

import csv
import html
import re
import string
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from insight.core.contract import PROBLEMS_LISTED_PER_KIND, REQUIRED_COLUMNS, normalise_column_name
from insight.core.problems import Problem
from insight.intake import archive, isolated
from insight.intake import limits as _limits

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
    """Read a table file; raises ReadError with a plain message when it cannot be read, is too
    large for the limits in force (insight.intake.limits), or is damaged in a way no check foresaw."""
    suffix = path.suffix.lower()
    limits = _limits.current()
    check_file_size(path, limits)
    try:
        if suffix == ".csv":
            names, arrays = _read_csv(path, limits)
        elif suffix == ".xlsx":
            names, arrays = _read_xlsx(path, stem, limits)
        elif suffix == ".parquet":
            names, arrays = _read_parquet(path, limits)
        else:  # pragma: no cover - load only passes contract suffixes
            raise ReadError(f"'{suffix}' files are not read; use .csv, .xlsx or .parquet")
    except ReadError:
        raise
    except (Exception, RecursionError) as error:  # noqa: BLE001 - bad input must not crash a page
        # The exception's own text may quote the file's content: name only its kind.
        raise ReadError(
            "could not be read: the file is damaged or not laid out as a table "
            f"({type(error).__name__}). Open it, save it again as .csv (UTF-8), .xlsx or "
            ".parquet, and try again"
        ) from None
    if len(names) > limits.columns:
        raise ReadError(_too_many_columns(len(names), limits))
    n_rows = len(arrays[0]) if arrays else 0
    if n_rows > limits.rows:
        raise ReadError(_too_many_rows(f"has {n_rows:,} rows", limits))
    columns = [
        RawColumn(str(name) if name is not None else "", _norm(name), values)
        for name, values in zip(names, arrays, strict=True)
    ]
    return RawTable(stem=stem, file=path.name, n_rows=n_rows, columns=columns)


# --- limits ----------------------------------------------------------------------------------
def check_file_size(path: Path, limits: _limits.Limits | None = None) -> None:
    """Refuse a file larger than INSIGHT_MAX_FILE_MB, from its size on disk alone."""
    limits = limits or _limits.current()
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise ReadError(
            f"is {size / _limits.MB:,.0f} MB, more than the {limits.file_mb:,} MB this server "
            f"reads ({_limits.ENV_FILE_MB}). Split the table or ask whoever runs the server to "
            "raise the limit"
        )


def _too_many_rows(what: str, limits: _limits.Limits) -> str:
    return (
        f"{what}; this server reads at most {limits.rows:,} rows a table ({_limits.ENV_ROWS}). "
        "Share a smaller extract or ask whoever runs the server to raise the limit"
    )


def _too_many_columns(count: int, limits: _limits.Limits) -> str:
    return (
        f"has {count:,} columns, more than the {limits.columns:,} any table may have: is it the "
        "right file, or are there stray cells far to the right of the table?"
    )


def _norm(name: object) -> str:
    return "" if name is None else normalise_column_name(name)


# --- CSV -------------------------------------------------------------------------------------
def _read_csv(path: Path, limits: _limits.Limits) -> tuple[list[str], list[pa.ChunkedArray]]:
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
    # A line ends at LF, CRLF or a lone CR (old Mac files): the header is what comes before.
    first_line = _LINE_END.split(head.removeprefix(b"\xef\xbb\xbf"), maxsplit=1)[0]
    try:
        header_text = first_line.decode("utf-8")
    except UnicodeDecodeError:
        raise ReadError(_not_utf8(1)) from None
    names = next(csv.reader([header_text]), [])
    if not any(name.strip() for name in names):
        raise ReadError("the first line is blank: it should hold the column names")
    if len(names) > limits.columns:
        raise ReadError(_too_many_columns(len(names), limits))
    _count_lines(path, limits)
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


_LINE_END = re.compile(rb"\r\n|\r|\n")
_COUNT_BLOCK = 1 << 24


def _count_lines(path: Path, limits: _limits.Limits) -> None:
    """Refuse a CSV with more data lines than INSIGHT_MAX_ROWS, counting line ends as the file
    streams past and stopping at the limit: a 2 GB file is refused after reading only as much
    of it as the limit allows. A line end is LF, CRLF or a lone CR."""
    ends = 0
    last = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_COUNT_BLOCK), b""):
            ends += max(block.count(b"\n"), block.count(b"\r"))
            last = block[-1:]
            if ends - 1 > limits.rows:  # the header takes one line end
                raise ReadError(_too_many_rows(f"has more than {limits.rows:,} lines", limits))
    data_lines = ends - 1 + (0 if last in (b"\n", b"\r") else 1)
    if data_lines > limits.rows:
        raise ReadError(_too_many_rows(f"has {data_lines:,} lines", limits))


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
_NOT_XLSX = (
    "is not a valid .xlsx workbook (it is not a zip-based Excel file: was another kind "
    "of file renamed .xlsx, or is it an old .xls?)"
)
_DAMAGED_XLSX = (
    "is a damaged .xlsx workbook: its first sheet could not be read. Open it in Excel, save it "
    "again, and try again"
)


def _read_xlsx(
    path: Path, stem: str, limits: _limits.Limits
) -> tuple[list[str], list[pa.ChunkedArray]]:
    """The first sheet, once the workbook has been bounded from its zip without parsing it
    (check_xlsx_size), read in a separate process under a memory and a time limit
    (insight.intake.isolated): a workbook no check foresaw stops that process, not the server."""
    check_xlsx_size(path, limits)
    try:
        answer = isolated.run("sheet", path, stem, limits.xlsx_memory_mb, limits.xlsx_seconds)
    except isolated.IsolatedError as error:
        raise ReadError(str(error)) from None
    return isolated.columns_from_ipc(answer)


def read_xlsx_here(
    path: Path, stem: str, limits: _limits.Limits
) -> tuple[list[str], list[pa.ChunkedArray]]:
    """The first sheet, read by python-calamine (Rust) in this process: only ever called in the
    limited child process (insight.intake.isolated), after check_xlsx_size in the parent."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError, TypeError):
        raise ReadError(_NOT_XLSX) from None
    try:
        if not book.sheet_names:
            raise ReadError("the workbook has no sheets")
        sheet = book.get_sheet_by_index(0)
        if sheet.height > limits.xlsx_rows + 1 or sheet.width > limits.columns:
            raise ReadError(_xlsx_too_big(sheet.height, sheet.width, limits))
        # From A1, blank rows and columns included, so row numbers in messages are Excel's.
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, TypeError, KeyError, IndexError):
        raise ReadError(_DAMAGED_XLSX) from None
    finally:
        book.close()
    while rows and all(_blank(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ReadError("the first sheet is empty (not even a header row)")
    _check_header_row(rows, stem)
    width = max(len(row) for row in rows)
    header = list(rows[0]) + [None] * (width - len(rows[0]))
    names = ["" if _blank(cell) else _header_text(cell) for cell in header]
    body = [
        row if len(row) == width else [*row, *([None] * (width - len(row)))] for row in rows[1:]
    ]
    del rows
    columns = []
    for position, cells in enumerate(zip(*body, strict=True) if body else [[]] * width):
        month = _norm(names[position]) in MONTH_COLUMNS
        if all(type(cell) is str for cell in cells):
            values = pa.array(cells, pa.string())  # the common case: no conversion per cell
        else:
            values = pa.array([_cell_text(cell, month) for cell in cells], pa.string())
        if _norm(names[position]) not in PLAIN_COLUMNS:
            values = pc.dictionary_encode(values)  # as a CSV is read: fewer bytes to hand back
        columns.append(pa.chunked_array([values]))
    return names, columns


def sheet_names_here(path: Path) -> list[str]:
    """A workbook's sheet names read by python-calamine, in the limited child process."""
    from python_calamine import CalamineWorkbook

    try:
        return [str(name) for name in CalamineWorkbook.from_path(str(path)).sheet_names]
    except Exception:  # noqa: BLE001 - a damaged workbook has no names to guard
        return []


_OOXML_SUFFIXES = (".xlsx", ".xlsm")
_SHEET_NAME = re.compile(rb"<(?:[\w.-]+:)?sheet\b[^>]*?\bname\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def workbook_sheet_names(path: Path) -> list[str]:
    """A workbook's sheet names, for the guard on sheet names, without letting the workbook near
    the server's memory: an .xlsx or .xlsm is bounded (its entry count) and only its small
    workbook part is read, here; any other workbook (.xls, .xlsb, .ods) is opened in the limited
    child process. [] when it cannot be opened (the reader reports a damaged table file)."""
    limits = _limits.current()
    try:
        if path.suffix.lower() in _OOXML_SUFFIXES:
            with archive.open_zip(path, _limits.XLSX_MAX_ENTRIES, "workbook") as book:
                info = book.NameToInfo.get("xl/workbook.xml")
                if info is not None and info.file_size <= _SMALL_PART:
                    text = archive.read_member(book, info, _SMALL_PART)
                    return [
                        html.unescape((double or single).decode("utf-8"))
                        for double, single in _SHEET_NAME.findall(text)
                    ]
            check_xlsx_size(path, limits)  # laid out otherwise: bounded, then read apart
        if path.stat().st_size > limits.file_bytes:
            return []
        return isolated.names_from_lines(
            isolated.run("names", path, "", limits.xlsx_memory_mb, limits.xlsx_seconds)
        )
    except (archive.ArchiveError, isolated.IsolatedError, ReadError, KeyError, OSError, ValueError):
        return []
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, UnicodeDecodeError):
        return []


def _header_text(cell: object) -> str:
    text = _cell_text(cell, False)
    return "" if text is None else text.strip()


def _xlsx_too_big(height: int, width: int, limits: _limits.Limits) -> str:
    if width > limits.columns:
        return _too_many_columns(width, limits)
    return (
        f"has a first sheet {height:,} rows deep, more than the {limits.xlsx_rows:,} rows this "
        f"server reads from a workbook ({_limits.ENV_XLSX_ROWS}). Save a table that large as "
        ".csv or .parquet (both read far faster), or delete stray cells far below the table"
    )


# The used range a sheet declares: <dimension ref="A1:Z1000000"/>, near the start of its XML.
_DIMENSION = re.compile(
    rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*[\"']"
    rb"(?:[A-Za-z]{0,3}\d*:)?([A-Za-z]{0,3})(\d*)[\"']"
)
_SHEET_REL = re.compile(rb"<(?:[\w.-]+:)?sheet\b[^>]*?\b[\w.-]+:id\s*=\s*[\"']([^\"']+)")
_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>")
_SMALL_PART = 1 << 20  # workbook.xml and its rels are read whole only up to this size
_SCAN_BLOCK = 1 << 24


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _first_sheet_parts(book: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The zip entry of the workbook's first sheet (through workbook.xml and its rels), or every
    worksheet entry when that cannot be worked out."""
    names = {info.filename: info for info in book.infolist()}
    sheets = [info for name, info in names.items() if name.startswith("xl/worksheets/")]
    sheets = [info for info in sheets if info.filename.endswith(".xml")]
    try:
        workbook = names["xl/workbook.xml"]
        rels = names["xl/_rels/workbook.xml.rels"]
        if workbook.file_size > _SMALL_PART or rels.file_size > _SMALL_PART:
            return sheets
        first = _SHEET_REL.search(book.read(workbook))
        if first is None:
            return sheets
        for tag in _REL.findall(book.read(rels)):
            rel_id = re.search(rb"\bId\s*=\s*[\"']([^\"']+)", tag)
            target = re.search(rb"\bTarget\s*=\s*[\"']([^\"']+)", tag)
            if rel_id and target and rel_id.group(1) == first.group(1):
                name = target.group(1).decode("utf-8", "replace")
                name = name.lstrip("/") if name.startswith("/") else "xl/" + name
                return [names[name]] if name in names else sheets
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return sheets
    return sheets


def check_xlsx_size(path: Path, limits: _limits.Limits | None = None) -> None:
    """Refuse a workbook too large for the limits before any of it is parsed, from the zip alone:
    the entry count (from the zip's end record, before its directory is read); every part's
    unpacked size and their total; the `<dimension>` the first sheet declares; and one pass over
    the first sheet's and the shared strings' unpacked XML, decompressed here (so a part cannot
    unpack to more than it declares), that counts rows, cells and shared strings and looks for a
    cell or row reference beyond the limits (a sheet may declare nothing, or less than it holds;
    one stray cell at Z1000000 makes a reader build a grid of 26 million cells; rows and cells
    without `r=` references are placed one after another; and 150 million shared strings in 6 MB
    would take the server's memory)."""
    limits = limits or _limits.current()
    try:
        with archive.open_zip(path, _limits.XLSX_MAX_ENTRIES, "workbook") as book:
            sheets = _first_sheet_parts(book)
            for info in sheets:
                if info.file_size > limits.sheet_bytes:
                    raise ReadError(
                        f"has a first sheet that unpacks to {info.file_size / _limits.MB:,.0f} "
                        f"MB, more than the {limits.sheet_bytes // _limits.MB:,} MB this server "
                        f"reads ({_limits.ENV_FILE_MB}). Save a table that large as .csv or "
                        ".parquet"
                    )
            strings = _shared_strings_parts(book)
            _check_parts(book, limits, {info.filename for info in (*sheets, *strings)})
            for info in sheets:
                _scan_sheet(book, info, limits)
            for info in strings:
                _scan_shared_strings(book, info, limits)
    except ReadError:
        raise
    except archive.ArchiveError as error:
        raise ReadError(f"cannot be read: {error}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise ReadError(_not_xlsx(path)) from None
    except (OSError, ValueError, RuntimeError, NotImplementedError, zlib.error):
        raise ReadError(_DAMAGED_XLSX) from None


_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE file: an old .xls, or an encrypted .xlsx


def _not_xlsx(path: Path) -> str:
    with path.open("rb") as handle:
        if handle.read(len(_CFB)) == _CFB:
            return (
                "is not a .xlsx workbook this server can read: it is either password-protected "
                "(Excel encrypts the whole file) or an old .xls. Save it again as .xlsx without "
                "a password"
            )
    return _NOT_XLSX


def _check_parts(book: zipfile.ZipFile, limits: _limits.Limits, big: set[str]) -> None:
    """Every part of the workbook within its bound, from the zip's directory: the sheets and
    shared strings (`big`, scanned as they unpack) within the whole workbook's, any other XML
    part within XLSX_OTHER_PART_MB."""
    total = 0
    small = _limits.XLSX_OTHER_PART_MB * _limits.MB
    for info in book.infolist():
        problem = archive.member_problem(info)
        if problem:
            raise ReadError(f"cannot be read: {problem}")
        name = info.filename.lower()
        big_allowed = info.filename in big or name.startswith("xl/worksheets/")
        if name.endswith((".xml", ".rels")) and not big_allowed and info.file_size > small:
            raise ReadError(
                f"has a part ('{archive.shown(info.filename)}') that unpacks to "
                f"{info.file_size / _limits.MB:,.0f} MB, more than the "
                f"{_limits.XLSX_OTHER_PART_MB:,} MB such a part may have: is the workbook "
                "damaged? Save it again, or save the table as .csv"
            )
        total += info.file_size
    if total > limits.sheet_bytes:
        raise ReadError(
            f"unpacks to {total / _limits.MB:,.0f} MB in all, more than the "
            f"{limits.sheet_bytes // _limits.MB:,} MB this server reads from a workbook "
            f"({_limits.ENV_FILE_MB}). Save a table that large as .csv or .parquet"
        )


_ROOT_PREFIX = re.compile(rb"<([\w.-]+):(?:worksheet|sst)\b")
_SST_COUNT = re.compile(rb"\b(?:count|uniqueCount)\s*=\s*[\"']\s*(\d+)")


def _shared_strings_parts(book: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Every part that could be the shared-strings table: named so, or a workbook relation of
    the sharedStrings type."""
    names = {info.filename: info for info in book.infolist()}
    found = {name for name in names if "sharedstrings" in name.lower()}
    rels = names.get("xl/_rels/workbook.xml.rels")
    if rels is not None and rels.file_size <= _SMALL_PART:
        for tag in _REL.findall(archive.read_member(book, rels, _SMALL_PART)):
            target = re.search(rb"\bTarget\s*=\s*[\"']([^\"']+)", tag)
            if target and b"sharedStrings" in tag:
                name = target.group(1).decode("utf-8", "replace")
                name = name.lstrip("/") if name.startswith("/") else "xl/" + name
                if name in names:
                    found.add(name)
    return [names[name] for name in sorted(found)]


def _too_many_strings(what: str, limits: _limits.Limits) -> str:
    return (
        f"has a shared-strings table that {what} ({_limits.ENV_XLSX_STRINGS}). Is it the right "
        "file? Save the table as .csv or .parquet, or ask whoever runs the server to raise the "
        "limit"
    )


def _scan_shared_strings(
    book: zipfile.ZipFile, info: zipfile.ZipInfo, limits: _limits.Limits
) -> None:
    """The count the table declares, then the `<si>` entries it holds, counted as it unpacks."""
    if info.file_size > limits.sheet_bytes:
        raise ReadError(
            _too_many_strings(
                f"unpacks to {info.file_size / _limits.MB:,.0f} MB, more than the "
                f"{limits.sheet_bytes // _limits.MB:,} MB this server reads",
                limits,
            )
        )
    held = 0
    carry = b""
    first = True
    prefix = b""
    for block in archive.stream(book, info):
        data = carry + block
        cut = data.rfind(b">") + 1
        carry = data[cut:]
        if first:
            head = data[: data.find(b"<si") if b"<si" in data else cut]
            root = _ROOT_PREFIX.search(head)
            prefix = root.group(1) if root else b""
            for declared in _SST_COUNT.findall(head):
                if int(declared) > limits.xlsx_strings:
                    raise ReadError(
                        _too_many_strings(
                            f"declares {int(declared):,} entries, more than the "
                            f"{limits.xlsx_strings:,} this server reads",
                            limits,
                        )
                    )
            first = False
        held += _count_tags(data, b"si", prefix, cut)
        if held > limits.xlsx_strings:
            raise ReadError(
                _too_many_strings(
                    f"holds more than the {limits.xlsx_strings:,} entries this server reads", limits
                )
            )


def _count_tags(data: bytes, tag: bytes, prefix: bytes, end: int) -> int:
    """How many `<tag` (or `<prefix:tag`) elements open in `data`, at most over-counted by the
    few other elements whose names start the same (`<cols`, `<rowBreaks`: outside the sheet's
    data, and harmless against a bound far above them); one pass, as fast as memchr."""
    return data.count(b"<" + (prefix + b":" if prefix else b"") + tag, 0, end)


def _greater_than(limit: str, alphabet: str, longest: int) -> str:
    """A regex for the strings over `alphabet` (digits, or column letters) of at most `longest`
    characters that stand for more than `limit`: any longer string, or one as long that is larger
    at its first difference. Matching only what is over the limit keeps the scan cheap: a sheet
    within its limits gives it nothing to do."""
    longer = f"[{alphabet[0]}-{alphabet[-1]}]{{{len(limit) + 1},{longest}}}"
    same = [
        f"{limit[:i]}[{alphabet[alphabet.index(char) + 1]}-{alphabet[-1]}]"
        f"[{alphabet[0]}-{alphabet[-1]}]{{{len(limit) - i - 1}}}"
        for i, char in enumerate(limit)
        if char != alphabet[-1]
    ]
    return "|".join([longer, *same])


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _far_reference(limits: _limits.Limits) -> re.Pattern[bytes]:
    """A cell or row reference (r="AB12", r="12") beyond the limits: group 1 a column too far
    right, group 2 a row too deep (the header row is one more than xlsx_rows)."""
    letters = string.ascii_uppercase
    columns = _greater_than(_column_letters(limits.columns), letters, 3)
    rows = _greater_than(str(limits.xlsx_rows + 1), string.digits, 12)
    return re.compile(f'r="(?:({columns})[0-9]|[A-Z]{{0,3}}({rows})")'.encode())


def _scan_sheet(book: zipfile.ZipFile, info: zipfile.ZipInfo, limits: _limits.Limits) -> None:
    """One pass over the sheet's XML as it unpacks: its declared size, any reference beyond the
    limits, and the rows and cells it holds counted (those without `r=` references included:
    a reader places them one after another)."""
    far = _far_reference(limits)
    most_rows = limits.xlsx_rows + 1
    most_cells = most_rows * limits.columns
    rows = cells = 0
    carry = b""
    first = True
    prefix = b""
    for block in archive.stream(book, info):
        data = carry + block
        if first:
            before_data = data[:65536].split(b"sheetData", 1)[0]
            declared = _DIMENSION.search(before_data)
            if declared:
                letters, digits = declared.group(1).decode(), declared.group(2).decode()
                height = int(digits) if digits else 0
                width = _column_number(letters) if letters else 0
                if height > most_rows or width > limits.columns:
                    raise ReadError(_xlsx_too_big(height, width, limits) + " (its declared size)")
            root = _ROOT_PREFIX.search(data[:65536])
            prefix = root.group(1) if root else b""
            first = False
        cut = data.rfind(b">") + 1
        carry = data[cut:]
        match = far.search(data, 0, cut)
        if match is not None:
            letters, digits = match.group(1), match.group(2)
            if letters is not None:
                raise ReadError(_xlsx_too_big(0, _column_number(letters.decode()), limits))
            raise ReadError(_xlsx_too_big(int(digits), 0, limits))
        rows += _count_tags(data, b"row", prefix, cut)
        cells += _count_tags(data, b"c", prefix, cut)
        if rows > most_rows:
            raise ReadError(
                f"has a first sheet of more than {limits.xlsx_rows:,} rows (counted in its XML), "
                f"more than this server reads from a workbook ({_limits.ENV_XLSX_ROWS}). Save a "
                "table that large as .csv or .parquet (both read far faster), or delete stray "
                "rows below the table"
            )
        if cells > most_cells:
            raise ReadError(
                f"has a first sheet of more than {most_cells:,} cells, more than "
                f"{most_rows:,} rows of {limits.columns:,} columns ({_limits.ENV_XLSX_ROWS}). "
                "Save a table that large as .csv or .parquet, or delete stray cells"
            )


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _check_header_row(rows: Sequence[Sequence[object]], stem: str) -> None:
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
def _read_parquet(path: Path, limits: _limits.Limits) -> tuple[list[str], list[pa.ChunkedArray]]:
    try:
        metadata = pq.read_metadata(path)
    except (pa.ArrowException, OSError, ValueError):
        raise ReadError(
            "is not a valid Parquet file (it may be damaged, cut short, or another kind of file "
            "renamed .parquet)"
        ) from None
    if metadata.num_rows > limits.rows:
        raise ReadError(_too_many_rows(f"has {metadata.num_rows:,} rows", limits))
    if metadata.num_columns > limits.columns:
        raise ReadError(_too_many_columns(metadata.num_columns, limits))
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
