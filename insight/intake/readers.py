"""Read one table file (CSV, XLSX or Parquet) into plain text columns, or say in plain words why not.

Every value arrives as text (trimmed; blank is missing) whatever the file format, so the guards and
the contract checks see one shape. Each column is dictionary-encoded once: checks look at the
distinct values (a few dozen for most columns) and map the answers back to rows with numpy.
Messages never quote a file's content: a ragged line or a bad byte is reported by line number only.

CSV and Parquet are read here; a workbook through insight.intake.xlsx (read in a limited child
process) once insight.intake.xlsx_scan has bounded it from its zip. What a read gives is defined
in insight.intake.raw."""

from __future__ import annotations

import csv
import hashlib
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from insight.intake import limits as _limits
from insight.intake.raw import (
    PLAIN_COLUMNS,
    RawColumn,
    RawTable,
    ReadError,
    as_text,
    norm,
    too_many_columns,
    too_many_rows,
)
from insight.intake.xlsx import read_xlsx

_SNIFF_BYTES = 1 << 16
# Arrow parses a CSV a block at a time, on several threads, each block's dictionaries its own:
# 4 MB blocks rather than its 1 MB leave a quarter as many to unify into one per column.
_PARSE_BLOCK = 4 << 20


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
            names, arrays = read_xlsx(path, stem, limits)
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
        raise ReadError(too_many_columns(len(names), limits))
    n_rows = len(arrays[0]) if arrays else 0
    if n_rows > limits.rows:
        raise ReadError(too_many_rows(f"has {n_rows:,} rows", limits))
    columns = [
        RawColumn(str(name) if name is not None else "", norm(name), values)
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
        raise ReadError(too_many_columns(len(names), limits))
    _count_lines(path, limits)
    for newlines in (False, True):
        try:
            table = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(block_size=_PARSE_BLOCK),
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
_HASH_BEHIND_BYTES = 1 << 20  # from this size a CSV is hashed on a second thread as it is counted
_LF, _CR = 0x0A, 0x0D


def _count_lines(path: Path, limits: _limits.Limits) -> int:
    """Refuse a CSV with more data lines than INSIGHT_MAX_ROWS, counting line ends as the file
    streams past and stopping at the limit: a 2 GB file is refused after reading only as much
    of it as the limit allows. A line end is LF, CRLF or a lone CR (in a block that holds both
    LF and CR, the larger of their counts). Returns the data lines counted.

    The same pass hashes the bytes (SHA-256, as `file_digest` does) and remembers the digest
    against the file's size and modification time, so the dataset's fingerprint does not read
    the file a second time. A file whose digest is already known is only counted. A large
    file's blocks are hashed on a second thread (hashlib lets go of the GIL) while this one
    counts them, each block read into the buffer the hash has finished with."""
    with path.open("rb", buffering=0) as handle:
        before = os.fstat(handle.fileno())
        key = _digest_key(path, before)
        digest = None if key in _DIGESTS else hashlib.sha256()
        behind = digest is not None and before.st_size >= _HASH_BEHIND_BYTES
        length = min(_COUNT_BLOCK, before.st_size + 1)
        buffers = [bytearray(length) for _ in range(2 if behind else 1)]
        ends = read = 0
        last = -1  # the last byte read so far (-1 before any)
        with ThreadPoolExecutor(1) if behind else nullcontext() as pool:
            hashing: Future[None] | None = None
            turn = 0
            while size := handle.readinto(block := buffers[turn % len(buffers)]):
                turn += 1  # the next block goes into the other buffer, if there are two
                if pool is not None and digest is not None:
                    if hashing is not None:
                        hashing.result()  # blocks are hashed in order, one at a time
                    hashing = pool.submit(digest.update, memoryview(block)[:size])
                elif digest is not None:
                    digest.update(memoryview(block)[:size])
                if last == _CR and block[0] != _LF:
                    ends += 1  # the last block's final CR was a line end of its own
                # a CR that ends the block waits to see whether an LF follows (CRLF is one end)
                returns = block.count(b"\r", 0, size) if block.find(b"\r", 0, size) >= 0 else 0
                last = block[size - 1]
                ends += max(block.count(b"\n", 0, size), returns - (last == _CR))
                read += size
                if ends - 1 > limits.rows:  # the header takes one line end
                    raise ReadError(too_many_rows(f"has more than {limits.rows:,} lines", limits))
            if hashing is not None:
                hashing.result()
        after = os.fstat(handle.fileno())
    ends += last == _CR
    data_lines = ends - 1 + (0 if last in (_LF, _CR) else 1)
    if data_lines > limits.rows:
        raise ReadError(too_many_rows(f"has {data_lines:,} lines", limits))
    if digest is not None and read == after.st_size and _digest_key(path, after) == key:
        _DIGESTS[key] = digest.hexdigest()  # the file did not change while it was read
    return data_lines


# --- digests ---------------------------------------------------------------------------------
_DIGESTS: dict[tuple[str, int, int], str] = {}  # (resolved path, size, mtime_ns) -> SHA-256
_DIGEST_BLOCK = 1 << 20


def _digest_key(path: Path, stat: os.stat_result) -> tuple[str, int, int]:
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, hex. Remembered against the file's size and modification
    time, so asking again costs a `stat` once the file has been read (here, or while a CSV's
    lines were counted)."""
    key = _digest_key(path, path.stat())
    known = _DIGESTS.get(key)
    if known is None:
        file_hash = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(_DIGEST_BLOCK), b""):
                file_hash.update(block)
        known = _DIGESTS[key] = file_hash.hexdigest()
    return known


def _csv_type(name: str) -> pa.DataType:
    """Plain text for participant_id (a million distinct values); dictionary text for the rest."""
    if norm(name) in PLAIN_COLUMNS:
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
        raise ReadError(too_many_rows(f"has {metadata.num_rows:,} rows", limits))
    if metadata.num_columns > limits.columns:
        raise ReadError(too_many_columns(metadata.num_columns, limits))
    try:
        schema = pq.read_schema(path)
        encode = [
            field.name
            for field in schema
            if norm(field.name) not in PLAIN_COLUMNS
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
            as_text(name, column.slice(0, 1).combine_chunks(), False)  # refuse odd types early
        columns.append(column)
    return table.column_names, columns
