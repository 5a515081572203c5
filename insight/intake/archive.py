"""ZIP archives (an .xlsx workbook, an uploaded .zip) opened within limits, with plain messages.

Python's `zipfile` reads the whole central directory when an archive is opened: 600,000 folder
entries cost seconds and hundreds of MB before anything can be refused. So the entry count is
read first from the archive's end record (`entry_count`), and `open_zip` refuses too many.

A member is read by `stream`, which decompresses it here (raw Deflate through zlib, or stored)
rather than trusting the sizes the archive declares: it stops as soon as a member yields more
than it declared or more than the caller allows, and checks the CRC at the end. An encrypted
member, a compression method other than Deflate or none (Deflate64, bzip2, LZMA, ...), a bad CRC
and a corrupt stream each raise `ArchiveError` with words a person can act on, never a traceback.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_LOCAL = b"PK\x03\x04"
_TAIL = 22 + 0xFFFF + 20  # the end record, its longest comment, and a zip64 locator before it
_BLOCK = 1 << 22  # compressed bytes read at a time
_OUT = 1 << 24  # at most this many unpacked bytes from one call to zlib
METHODS = {
    zipfile.ZIP_STORED: "none",
    zipfile.ZIP_DEFLATED: "Deflate",
    9: "Deflate64",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
    93: "Zstandard",
    98: "PPMd",
}


class ArchiveError(Exception):
    """An archive or one of its members that cannot be read; the message completes
    '<archive>: ...' and never quotes the content."""


def entry_count(handle: BinaryIO) -> int | None:
    """The number of entries (files and folders) the archive's end record declares, read
    without reading the central directory; None when there is no end record (not a ZIP)."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    start = max(0, size - _TAIL)
    handle.seek(start)
    tail = handle.read(size - start)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    (total,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if total != 0xFFFF or at < 20 or tail[at - 20 : at - 16] != _ZIP64_LOCATOR:
        return total
    (offset,) = struct.unpack("<Q", tail[at - 12 : at - 4])
    handle.seek(offset)
    record = handle.read(56)
    if len(record) < 56 or record[:4] != _ZIP64_EOCD:
        return total
    (total64,) = struct.unpack("<Q", record[32:40])
    return total64


def open_zip(source: Path | bytes, max_entries: int, what: str = "archive") -> zipfile.ZipFile:
    """The archive, opened only once its end record declares at most `max_entries` entries.
    Raises ArchiveError (too many entries) or zipfile.BadZipFile (not a ZIP)."""
    if isinstance(source, bytes):
        _refuse_many(io.BytesIO(source), max_entries, what)
        return zipfile.ZipFile(io.BytesIO(source))
    with Path(source).open("rb") as handle:
        _refuse_many(handle, max_entries, what)
    return zipfile.ZipFile(source)  # it opens, and closes, its own handle


def _refuse_many(handle: BinaryIO, max_entries: int, what: str) -> None:
    count = entry_count(handle)
    if count is not None and count > max_entries:
        raise ArchiveError(
            f"the {what} holds {count:,} entries (files and folders), more than the "
            f"{max_entries:,} this server opens: is it the right file?"
        )


def member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why this member cannot be read here (encrypted, or compressed by a method other than
    Deflate or none), in words; None when it can be."""
    if info.flag_bits & 0x1:
        return (
            f"'{shown(info.filename)}' inside it is encrypted (password-protected): save it "
            "again without a password"
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        method = METHODS.get(info.compress_type, f"method {info.compress_type}")
        return (
            f"'{shown(info.filename)}' inside it is compressed with {method}, which this "
            "server does not read: save it again with ordinary (Deflate) compression, as Excel "
            "and the usual ZIP tools do"
        )
    return None


def shown(name: str) -> str:
    """A member's name as a message may show it: printable, and short."""
    kept = "".join(char if char.isprintable() else "?" for char in name)
    return kept[:80]


def stream(
    book: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int | None = None
) -> Iterator[bytes]:
    """The member's bytes, in blocks, decompressed here: raises ArchiveError when it is
    encrypted or compressed by another method, yields more than it declares (or than
    `max_bytes`), fails its CRC, or its compressed stream is corrupt or cut short."""
    problem = member_problem(info)
    if problem:
        raise ArchiveError(problem)
    name = shown(info.filename)
    damaged = f"is damaged: '{name}' inside it "
    allowed = info.file_size if max_bytes is None else min(info.file_size, max_bytes)
    handle = book.fp
    if handle is None:  # pragma: no cover - the archive was closed
        raise ArchiveError("was closed before it was read")
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != _LOCAL:
        raise ArchiveError(damaged + "cannot be found where the archive says it is")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    crc = 0
    produced = 0

    def checked(data: bytes) -> bytes:
        nonlocal crc, produced
        produced += len(data)
        if produced > allowed:
            if max_bytes is not None and produced > max_bytes and max_bytes < info.file_size:
                raise ArchiveError(f"'{name}' inside it unpacks to more than {max_bytes:,} bytes")
            raise ArchiveError(damaged + "holds more than it declares")
        crc = zlib.crc32(data, crc)
        return data

    try:
        while left > 0:
            raw = handle.read(min(_BLOCK, left))
            if not raw:
                raise ArchiveError(damaged + "is cut short")
            left -= len(raw)
            if inflater is None:
                yield checked(raw)
                continue
            yield checked(inflater.decompress(raw, _OUT))
            while inflater.unconsumed_tail:
                yield checked(inflater.decompress(inflater.unconsumed_tail, _OUT))
        if inflater is not None:
            yield checked(inflater.flush())
            if not inflater.eof:
                raise ArchiveError(damaged + "is cut short")
    except zlib.error:
        raise ArchiveError(damaged + "could not be decompressed (its data is corrupt)") from None
    if produced != info.file_size:
        raise ArchiveError(damaged + "holds less than it declares")
    if crc != info.CRC:
        raise ArchiveError(damaged + "fails its checksum (CRC)")


def read_member(book: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """A small member whole, through `stream`."""
    return b"".join(stream(book, info, max_bytes))


__all__ = [
    "ArchiveError",
    "entry_count",
    "member_problem",
    "open_zip",
    "read_member",
    "shown",
    "stream",
]
