"""A CSV's lines are counted (the row-limit guard) and its bytes hashed (the dataset's fingerprint)
in one pass (insight.intake.readers._count_lines, issue 29 item 8): the count is right whatever
the block size, wherever a CRLF or a quoted line break falls; a limit passed in the last block
still refuses; and the fingerprint is the one the old two-pass code gave, for the same files."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.intake import limits, readers
from insight.intake.load import dataset_fingerprint, load_dataset
from insight.intake.raw import ReadError
from insight.intake.readers import read_table
from tests.unit import _datasets as ds

_ENDINGS = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r"}
_LINE_END = re.compile(rb"\r\n|\r|\n")


def _expected_lines(data: bytes) -> int:
    """Data lines as the guard defines them, counted the plain way: every LF, CRLF or lone CR
    ends a line, the first line is the header, and a last line without an end still counts."""
    ends = len(_LINE_END.findall(data))
    return ends - 1 + (0 if data.endswith((b"\n", b"\r")) else 1)


def _old_fingerprint(folder: Path) -> str:
    """load.dataset_fingerprint as it was before the one pass (ee1a392): every file read again."""
    total = hashlib.sha256()
    files = sorted(
        (p for p in folder.iterdir() if not p.is_symlink() and p.is_file() and p.name[0] != "."),
        key=lambda p: p.name,
    )
    for path in files:
        file_hash = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                file_hash.update(block)
        digest = file_hash.hexdigest()
        total.update(path.name.encode("utf-8") + b"\0" + digest.encode("ascii") + b"\0")
    return total.hexdigest()


def _forget_digests() -> None:
    readers._DIGESTS.clear()


@pytest.fixture(autouse=True)
def _no_digests_known() -> Iterator[None]:
    """Each test starts with no digest remembered, as a fresh process does."""
    _forget_digests()
    yield
    _forget_digests()


# --- the count -------------------------------------------------------------------------------
_FIELD = st.text(alphabet="ab1 -", max_size=5)


@st.composite
def _csv_bytes(draw: st.DrawFn) -> bytes:
    """A CSV with one kind of line end, quoted values holding line breaks (the file's own kind,
    or a bare LF in a CRLF file as Excel writes them), with or without a last line end."""
    ending = draw(st.sampled_from(sorted(_ENDINGS)))
    inside = _ENDINGS[ending]
    if ending == "crlf" and draw(st.booleans()):
        inside = b"\n"
    rows = draw(st.lists(st.lists(_FIELD, min_size=2, max_size=2), max_size=12))
    lines = [b"a,b"]
    for first, second in rows:
        cell = first.encode()
        if draw(st.booleans()):
            cell = b'"' + cell + inside + cell + b'"'  # a line break inside a quoted value
        lines.append(cell + b"," + second.encode())
    data = _ENDINGS[ending].join(lines)
    return data + (_ENDINGS[ending] if draw(st.booleans()) else b"")


@settings(max_examples=300, deadline=None)
@given(_csv_bytes(), st.integers(min_value=1, max_value=40), st.booleans())
def test_lines_are_counted_and_hashed_whatever_the_block_size(
    data: bytes, block: int, behind: bool
) -> None:
    """Block sizes from 1 byte up put every boundary everywhere: in a CRLF, between a CR and
    the next line, inside a quoted line break. The digest is the file's, whether its blocks
    were hashed on this thread or on a second one while the next was read and counted."""
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(readers, "_COUNT_BLOCK", block)
        patch.setattr(readers, "_HASH_BEHIND_BYTES", 0 if behind else 1 << 30)
        patch.setattr(readers, "_DIGESTS", {})
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        counted = readers._count_lines(path, limits.current())
        digests = list(readers._DIGESTS.values())
    assert counted == _expected_lines(data)
    assert digests == [hashlib.sha256(data).hexdigest()]


@pytest.mark.parametrize("block", [2, 3, 4, 5])
def test_a_crlf_split_between_two_blocks_is_one_line_end(tmp_path: Path, block: int) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a\r\nb\r\nc\r\n")  # with block 2 the first CRLF splits: "a\r" | "\nb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(readers, "_COUNT_BLOCK", block)
        assert readers._count_lines(path, limits.current()) == 2


def test_a_cr_ending_a_block_then_a_new_line_is_a_line_end(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a\rb\rc")  # blocks "a\r" | "b\r" | "c": each CR ends a line
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(readers, "_COUNT_BLOCK", 2)
        assert readers._count_lines(path, limits.current()) == 2


@pytest.mark.parametrize("ending", sorted(_ENDINGS))
@pytest.mark.parametrize("trailing", [True, False], ids=["line-end-at-end", "none-at-end"])
def test_a_limit_passed_in_the_last_block_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ending: str, trailing: bool
) -> None:
    """Five data lines, read in blocks of 8 bytes, against a limit of four: only the last block
    (or the count at the end) passes the limit, and the file is still refused."""
    end = _ENDINGS[ending]
    data = end.join([b"a,b", *(b"1,2" for _ in range(5))]) + (end if trailing else b"")
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    monkeypatch.setattr(readers, "_COUNT_BLOCK", 8)
    monkeypatch.setenv(limits.ENV_ROWS, "5")
    assert readers._count_lines(path, limits.current()) == 5  # at the limit: read
    monkeypatch.setenv(limits.ENV_ROWS, "4")
    _forget_digests()
    with pytest.raises(ReadError) as error:
        readers._count_lines(path, limits.current())
    message = str(error.value)
    assert message.startswith(("has more than 4 lines", "has 5 lines"))
    assert "reads at most 4 rows" in message and limits.ENV_ROWS in message
    assert not readers._DIGESTS  # a file refused part-read: no digest of part of it


# --- the digest ------------------------------------------------------------------------------
def _watch_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files opened through Path.open from now on, in order."""
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args, **kwargs):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    return opened


def test_counting_a_csv_remembers_its_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The digest taken while counting is the file's SHA-256, and the fingerprint uses it
    without opening the file again."""
    folder = ds.write(tmp_path)
    path = folder / "participants.csv"
    monkeypatch.setattr(readers, "_COUNT_BLOCK", 64)  # many blocks
    read_table(path, "participants")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    assert readers._DIGESTS[key] == hashlib.sha256(path.read_bytes()).hexdigest()
    opened = _watch_opens(monkeypatch)
    readers.file_digest(path)
    assert opened == []


def test_loading_reads_each_csv_once_for_the_count_and_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = ds.write(tmp_path)
    old = _old_fingerprint(folder)
    opened = _watch_opens(monkeypatch)
    assert load_dataset(folder).fingerprint == old
    # the header sniff opens each CSV once and the one pass once: never a third time
    csvs = sorted(path.name for path in folder.glob("*.csv"))
    assert csvs and all(opened.count(name) == 2 for name in csvs), opened


@pytest.mark.parametrize("ending", sorted(_ENDINGS))
def test_the_fingerprint_is_the_old_one(tmp_path: Path, ending: str, monkeypatch) -> None:
    """For the same files, the fingerprint loading gives (digests taken while counting, in
    blocks small enough to split lines) is the one the old code gave, and so is the one asked
    for before loading."""
    folder = ds.write(tmp_path / "d")
    for path in folder.glob("*.csv"):
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", _ENDINGS[ending]))
    old = _old_fingerprint(folder)
    monkeypatch.setattr(readers, "_COUNT_BLOCK", 37)
    assert load_dataset(folder).fingerprint == old
    _forget_digests()
    assert dataset_fingerprint(folder) == old == load_dataset(folder).fingerprint


def test_the_bundled_samples_fingerprint_is_the_old_one(sample_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sample"
    shutil.copytree(sample_dir, folder)
    old = _old_fingerprint(folder)
    assert load_dataset(folder).fingerprint == old
    _forget_digests()
    assert dataset_fingerprint(folder) == old


def test_a_changed_file_is_hashed_again(tmp_path: Path) -> None:
    folder = ds.write(tmp_path)
    first = load_dataset(folder).fingerprint
    path = folder / "vacancies.csv"
    path.write_bytes(path.read_bytes() + b"E08000025,Retail,2024-08,3,Shop Co\r\n")
    assert load_dataset(folder).fingerprint == _old_fingerprint(folder) != first
