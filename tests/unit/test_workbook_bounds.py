"""Issue 30 item 5: a workbook cannot take the server down. Each hostile file is built here, small
on disk: a shared-strings table declaring 150 million entries, one that lies about its count, a
sheet without `r=` references, a part that unpacks too large, too many ZIP entries, and damaged
members (bad CRC, encrypted, Deflate64, corrupt stream) in a workbook and in an uploaded .zip.
Then the reader's separate process: its memory and time limits, and the stale upload folders a
stopped server leaves behind."""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from insight.intake import archive, isolated, limits
from insight.intake.load import validate_folder
from insight.intake.raw import ReadError
from insight.intake.readers import read_table
from insight.intake.xlsx_scan import check_xlsx_size, workbook_sheet_names
from insight.sharing import datasets
from tests.unit import _datasets as ds
from tests.unit.test_limits import _RELS, _TYPES, _WORKBOOK, _WORKBOOK_RELS, hand_made_xlsx

_SST_REL = (
    '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_HEADER = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'


def _with_shared_strings(path: Path, count: int, held: int) -> Path:
    """A workbook whose sharedStrings.xml declares `count` entries and holds `held`."""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><sheetData>{_HEADER}</sheetData></worksheet>'
    )
    strings = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        f'main" count="{count}" uniqueCount="{count}">' + "<si><t>a</t></si>" * held + "</sst>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr(
            "xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.replace("</Relationships>", _SST_REL)
        )
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", strings)
    return path


def test_a_shared_strings_count_of_150_million_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _with_shared_strings(tmp_path / "participants.xlsx", 150_000_000, 10)
    assert path.stat().st_size < 5_000
    with pytest.raises(ReadError) as error:
        check_xlsx_size(path)
    message = str(error.value)
    assert "declares 150,000,000 entries, more than the 2,000,000" in message
    assert limits.ENV_XLSX_STRINGS in message


def test_shared_strings_are_counted_whatever_the_count_attribute_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _with_shared_strings(tmp_path / "participants.xlsx", 1, 5_000)
    monkeypatch.setenv(limits.ENV_XLSX_STRINGS, "1000")
    with pytest.raises(ReadError) as error:
        read_table(path, "participants")
    assert "holds more than the 1,000 entries" in str(error.value)
    monkeypatch.setenv(limits.ENV_XLSX_STRINGS, "5000")
    check_xlsx_size(path)  # exactly at the limit: bounded, not refused


def test_sheet_names_never_parse_the_shared_strings(tmp_path: Path) -> None:
    """The sheet-name guard read the whole workbook through calamine in the server process:
    now it reads only the small workbook part."""
    path = _with_shared_strings(tmp_path / "participants.xlsx", 150_000_000, 10)
    assert workbook_sheet_names(path) == ["participants"]


def _rows_without_references(count: int, cells: int = 1) -> str:
    return ("<row>" + "<c><v>1</v></c>" * cells + "</row>") * count


def test_rows_without_references_are_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hand_made_xlsx(tmp_path / "participants.xlsx", _rows_without_references(10))
    monkeypatch.setenv(limits.ENV_XLSX_ROWS, "5")
    with pytest.raises(ReadError) as error:
        check_xlsx_size(path)
    assert "has a first sheet of more than 5 rows (counted in its XML)" in str(error.value)
    assert limits.ENV_XLSX_ROWS in str(error.value)


def test_cells_without_references_are_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hand_made_xlsx(tmp_path / "participants.xlsx", _rows_without_references(1, 2_000))
    monkeypatch.setenv(limits.ENV_XLSX_ROWS, "5")  # 6 rows of 200 columns: 1,200 cells
    with pytest.raises(ReadError) as error:
        check_xlsx_size(path)
    assert "more than 1,200 cells" in str(error.value)


def test_a_part_other_than_a_sheet_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hand_made_xlsx(tmp_path / "participants.xlsx", _HEADER)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/styles.xml", " " * (3 * limits.MB))
    monkeypatch.setattr(limits, "XLSX_OTHER_PART_MB", 2)
    assert path.stat().st_size < 50_000
    with pytest.raises(ReadError) as error:
        check_xlsx_size(path)
    assert "('xl/styles.xml') that unpacks to 3 MB, more than the 2 MB" in str(error.value)


def test_a_part_that_unpacks_to_more_than_it_declares_is_stopped(tmp_path: Path) -> None:
    """The zip's directory says 100 bytes; the stream holds a megabyte. Reading stops at the
    declared size, whatever the stream holds."""
    path = hand_made_xlsx(tmp_path / "participants.xlsx", _HEADER + "<row/>" * 200_000)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at, length_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        at = data.find(signature)
        while at >= 0:
            (length,) = struct.unpack("<H", data[at + length_at : at + length_at + 2])
            if bytes(data[at + name_at : at + name_at + length]) == name:
                data[at + size_at : at + size_at + 4] = struct.pack("<I", 100)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(ReadError) as error:
        read_table(path, "participants")
    assert "holds more than it declares" in str(error.value)


def _entries(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for n in range(count):
            book.writestr(zipfile.ZipInfo(f"d{n}/"), b"")
    return buffer.getvalue()


def test_too_many_entries_are_refused_from_the_end_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count comes from the archive's end record: the directory is never read."""
    data = _entries(datasets.MAX_ENTRIES + 1)
    assert archive.entry_count(io.BytesIO(data)) == datasets.MAX_ENTRIES + 1

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the directory was read")

    monkeypatch.setattr(archive.zipfile, "ZipFile", never)
    with pytest.raises(datasets.UploadError) as error:
        datasets.unpack_uploads([datasets.Upload("tables.zip", data)], tmp_path / "up")
    assert f"holds {datasets.MAX_ENTRIES + 1:,} entries (files and folders)" in str(error.value)
    path = tmp_path / "participants.xlsx"
    path.write_bytes(data)
    monkeypatch.setattr(limits, "XLSX_MAX_ENTRIES", 1000)
    with pytest.raises(ReadError) as error:
        read_table(path, "participants")
    assert "the workbook holds 1,001 entries" in str(error.value)


# --- damaged members -------------------------------------------------------------------------
def _patched(data: bytes, name: bytes, *, flags: int = 0, method: int | None = None) -> bytes:
    """`data` with the named member's flags or-ed with `flags` and its method set, in both its
    local header and its directory entry."""
    out = bytearray(data)
    # signature, offset of the flags, of the method, of the name's length, of the name
    for signature, flag_at, method_at, length_at, name_at in (
        (b"PK\x03\x04", 6, 8, 26, 30),
        (b"PK\x01\x02", 8, 10, 28, 46),
    ):
        at = out.find(signature)
        while at >= 0:
            (length,) = struct.unpack("<H", out[at + length_at : at + length_at + 2])
            if bytes(out[at + name_at : at + name_at + length]) == name:
                (old,) = struct.unpack("<H", out[at + flag_at : at + flag_at + 2])
                out[at + flag_at : at + flag_at + 2] = struct.pack("<H", old | flags)
                if method is not None:
                    out[at + method_at : at + method_at + 2] = struct.pack("<H", method)
            at = out.find(signature, at + 4)
    return bytes(out)


def _stored_zip(members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as book:
        for name, body in members.items():
            book.writestr(name, body)
    return buffer.getvalue()


_BODY = b"la_code,sector,month,positions\nE08000025,Retail,2024-07,5\n"


def _bad_crc(data: bytes) -> bytes:
    return data.replace(b"E08000025,Retail", b"E08000025,Retaim", 1)


def _corrupt(data: bytes) -> bytes:
    at = data.find(b"PK\x03\x04") + 30 + len("vacancies.csv")
    return data[:at] + bytes([0xFF] * 8) + data[at + 8 :]


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda d: _bad_crc(_stored_zip({"vacancies.csv": _BODY})), "fails its checksum (CRC)"),
        (
            lambda d: _patched(_stored_zip({"vacancies.csv": _BODY}), b"vacancies.csv", flags=1),
            "is encrypted (password-protected)",
        ),
        (
            lambda d: _patched(
                _stored_zip({"vacancies.csv": _BODY}, zipfile.ZIP_DEFLATED),
                b"vacancies.csv",
                method=9,
            ),
            "compressed with Deflate64",
        ),
        (
            lambda d: _corrupt(_stored_zip({"vacancies.csv": _BODY * 50}, zipfile.ZIP_DEFLATED)),
            "could not be decompressed",
        ),
    ],
    ids=["bad CRC", "encrypted", "Deflate64", "corrupt stream"],
)
def test_a_damaged_zip_member_gets_a_plain_message(tmp_path: Path, damage, words: str) -> None:
    data = damage(None)
    with pytest.raises(datasets.UploadError) as error:
        datasets.unpack_uploads([datasets.Upload("tables.zip", data)], tmp_path / "up")
    assert words in str(error.value) and "'vacancies.csv'" in str(error.value)


def test_damaged_workbook_parts_get_a_plain_message(tmp_path: Path) -> None:
    path = hand_made_xlsx(tmp_path / "participants.xlsx", _HEADER)
    data = path.read_bytes()
    path.write_bytes(_patched(data, b"xl/worksheets/sheet1.xml", method=9))
    with pytest.raises(ReadError) as error:
        read_table(path, "participants")
    assert "'xl/worksheets/sheet1.xml' inside it is compressed with Deflate64" in str(error.value)
    path.write_bytes(_patched(data, b"xl/workbook.xml", flags=1))
    with pytest.raises(ReadError) as error:
        read_table(path, "participants")
    assert "'xl/workbook.xml' inside it is encrypted" in str(error.value)


def test_a_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "participants.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(ReadError) as error:
        read_table(path, "participants")
    assert "password-protected" in str(error.value)


# --- the separate process ----------------------------------------------------------------------
def test_the_workbook_is_read_in_a_child_process_under_its_memory_limit(tmp_path: Path) -> None:
    """A workbook within every bound the zip shows, whose one cell holds 400 MB of text: the
    child reading it stops at its memory limit, and the server (this process) carries on."""
    big = (
        "<row r='1'><c r='A1' t='inlineStr'><is><t>"
        + "a" * (400 * limits.MB)
        + "</t></is></c></row>"
    )
    path = hand_made_xlsx(tmp_path / "participants.xlsx", big)
    del big
    with pytest.raises(isolated.IsolatedError) as error:
        isolated.run("sheet", path, "participants", 600, 60)
    assert "within the 600 MB of memory" in str(error.value)
    assert limits.ENV_XLSX_MEMORY_MB in str(error.value)


def test_the_child_is_stopped_at_its_time_limit(tmp_path: Path) -> None:
    folder = ds.write(tmp_path)
    path = hand_made_xlsx(folder / "participants.xlsx", _HEADER)
    with pytest.raises(isolated.IsolatedError) as error:
        isolated.run("sheet", path, "participants", 3072, 0.01)
    assert "took longer than the 0 seconds" in str(error.value)
    assert limits.ENV_XLSX_SECONDS in str(error.value)


def test_the_child_limits_its_own_address_space(tmp_path: Path) -> None:
    """RLIMIT_AS is set in the child, before it opens the file."""
    code = (
        "import resource, sys; from insight.intake import isolated; "
        "isolated._limit_self(700, 30); print(resource.getrlimit(resource.RLIMIT_AS)[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert int(out.stdout) == 700 << 20


# --- stale upload folders ----------------------------------------------------------------------
def test_stale_upload_folders_are_removed_at_start(tmp_path: Path) -> None:
    ours = datasets.staging_folder()
    (ours / "participants.csv").write_text("x", encoding="utf-8")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = datasets.datasets_dir() / f".upload.{dead.pid}.abc"
    stale.mkdir()
    alive = datasets.datasets_dir() / f".upload.{os.getppid()}.abc"
    alive.mkdir()
    kept = datasets.keep("kept", ds.write(tmp_path / "d"))
    removed = datasets.remove_stale()
    assert stale.name in removed and ours.name in removed  # this server has no upload yet
    assert not stale.exists() and not ours.exists()
    assert alive.exists() and kept.exists()  # another running server's, and a kept dataset
    shutil.rmtree(alive)


def test_a_kept_dataset_holds_only_the_contract_columns(tmp_path: Path) -> None:
    from insight.intake.load import load_dataset

    folder = ds.write(tmp_path / "d")
    text = (folder / "participants.csv").read_text(encoding="utf-8").splitlines()
    (folder / "participants.csv").write_text(
        "\n".join([text[0] + ",case_notes"] + [line + ",seen at home" for line in text[1:]]) + "\n",
        encoding="utf-8",
    )
    loaded = load_dataset(folder)
    kept = datasets.keep("trimmed", folder, columns=datasets.contract_columns(loaded))
    header = (kept / "participants.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (
        "case_notes" not in header and "seen at home" not in (kept / "participants.csv").read_text()
    )
    assert header.replace('"', "").split(",")[:2] == ["participant_id", "la_code"]
    again = load_dataset(kept)
    assert list(again.participants.columns) == list(loaded.participants.columns)
    assert validate_folder(kept).ok


def test_sheet_names_read_here_match_the_readers(tmp_path: Path) -> None:
    """The names the guard sees come from the small workbook part, read here: the same as
    python-calamine gives (in the limited child), entities and all."""
    path = hand_made_xlsx(tmp_path / "participants.xlsx", _HEADER)
    named = _WORKBOOK.replace(
        'name="participants"', 'name="PRaP &amp; extract &#8211; Q1"'
    ).replace("</sheets>", '<sheet name=\'notes\' sheetId="2" r:id="rId8"/></sheets>')
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts["xl/workbook.xml"] = named.encode()
    parts["xl/_rels/workbook.xml.rels"] = _WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    here = workbook_sheet_names(path)
    assert here == ["PRaP & extract \u2013 Q1", "notes"]
    apart = isolated.names_from_lines(isolated.run("names", path, "", 3072, 60))
    assert apart == here
