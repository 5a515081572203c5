"""A workbook bounded from its zip before anything parses it: a hand-written pre-scan of the
.xlsx's parts and XML (`check_xlsx_size`: entry count, unpacked sizes, the first sheet's declared
size, and one streaming pass that counts its rows, cells and shared strings and looks for a
reference beyond the limits), and its sheet names read from the small workbook part alone
(`workbook_sheet_names`). Nothing here holds a whole sheet in memory."""

from __future__ import annotations

import html
import re
import string
import zipfile
import zlib
from pathlib import Path

from insight.intake import archive, isolated
from insight.intake import limits as _limits
from insight.intake.raw import (
    ReadError,
    too_many_columns,
)

# --- Excel -----------------------------------------------------------------------------------
NOT_XLSX = (
    "is not a valid .xlsx workbook (it is not a zip-based Excel file: was another kind "
    "of file renamed .xlsx, or is it an old .xls?)"
)
DAMAGED_XLSX = (
    "is a damaged .xlsx workbook: its first sheet could not be read. Open it in Excel, save it "
    "again, and try again"
)


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


def xlsx_too_big(height: int, width: int, limits: _limits.Limits) -> str:
    if width > limits.columns:
        return too_many_columns(width, limits)
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
        raise ReadError(DAMAGED_XLSX) from None


_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE file: an old .xls, or an encrypted .xlsx


def _not_xlsx(path: Path) -> str:
    with path.open("rb") as handle:
        if handle.read(len(_CFB)) == _CFB:
            return (
                "is not a .xlsx workbook this server can read: it is either password-protected "
                "(Excel encrypts the whole file) or an old .xls. Save it again as .xlsx without "
                "a password"
            )
    return NOT_XLSX


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
                    raise ReadError(xlsx_too_big(height, width, limits) + " (its declared size)")
            root = _ROOT_PREFIX.search(data[:65536])
            prefix = root.group(1) if root else b""
            first = False
        cut = data.rfind(b">") + 1
        carry = data[cut:]
        match = far.search(data, 0, cut)
        if match is not None:
            letters, digits = match.group(1), match.group(2)
            if letters is not None:
                raise ReadError(xlsx_too_big(0, _column_number(letters.decode()), limits))
            raise ReadError(xlsx_too_big(int(digits), 0, limits))
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
