"""The loader's limits (insight.intake.limits): a file too large, a table with too many rows or columns, or
a workbook whose first sheet declares or holds more than the limits is refused before it is read
whole, with a plain message naming the limit and the setting that raises it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from insight.core.problems import DatasetRefused
from insight.intake import limits
from insight.intake.load import load_dataset, refuse_oversized, validate_folder
from insight.intake.raw import ReadError
from insight.intake.readers import read_table
from insight.intake.xlsx_scan import check_xlsx_size
from tests.unit import _datasets as ds

_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="participants" sheetId="1" r:id="rId7"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values, start=1)
    )
    return f'<row r="{number}">{cells}</row>'


def hand_made_xlsx(path: Path, rows: str, dimension: str | None = None) -> Path:
    """A minimal workbook written by hand, so its first sheet can declare or hold anything."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main">{declared}<sheetData>{rows}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _participants_xlsx(folder: Path, extra_rows: str = "", dimension: str | None = None) -> Path:
    """The test dataset with participants as a hand-made workbook (plus `extra_rows`)."""
    columns = ds.PARTICIPANTS["columns"]
    rows = [_row(1, columns)] + [
        _row(i, row) for i, row in enumerate(ds.PARTICIPANTS["rows"], start=2)
    ]
    (folder / "participants.csv").unlink()
    return hand_made_xlsx(folder / "participants.xlsx", "".join(rows) + extra_rows, dimension)


def _refusal(folder: Path, file: str) -> str:
    report = validate_folder(folder)
    problems = [p for p in report.problems if p.file == file]
    assert problems and problems[0].kind == "file", report.text()
    return problems[0].message


# --- settings --------------------------------------------------------------------------------
def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.ENV_FILE_MB, "20")
    monkeypatch.setenv(limits.ENV_ROWS, "1_000")
    monkeypatch.setenv(limits.ENV_XLSX_ROWS, "5,000")  # never more than INSIGHT_MAX_ROWS
    monkeypatch.setenv(limits.ENV_DATASETS, "2")
    monkeypatch.setenv(limits.ENV_XLSX_STRINGS, "10,000")
    monkeypatch.setenv(limits.ENV_XLSX_MEMORY_MB, "512")
    monkeypatch.setenv(limits.ENV_XLSX_SECONDS, "9")
    assert limits.current() == limits.Limits(
        file_mb=20,
        rows=1000,
        xlsx_rows=1000,
        datasets=2,
        xlsx_strings=10_000,
        xlsx_memory_mb=512,
        xlsx_seconds=9,
    )


@pytest.mark.parametrize("bad", ["", "lots", "-5", "0", "1.5"])
def test_a_bad_setting_keeps_the_default(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    for name in (
        limits.ENV_FILE_MB,
        limits.ENV_ROWS,
        limits.ENV_XLSX_ROWS,
        limits.ENV_DATASETS,
        limits.ENV_XLSX_STRINGS,
        limits.ENV_XLSX_MEMORY_MB,
        limits.ENV_XLSX_SECONDS,
    ):
        monkeypatch.setenv(name, bad)
    assert limits.current() == limits.Limits()


def test_the_limits_are_described_with_their_settings() -> None:
    text = " ".join(limits.describe(limits.Limits(file_mb=7, rows=1234, xlsx_rows=99)))
    for words in ("7 MB", "1,234 rows", "99 rows", limits.ENV_FILE_MB, limits.ENV_DATASETS):
        assert words in text


# --- file size -------------------------------------------------------------------------------
def test_a_file_over_the_size_limit_is_refused_from_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = ds.write(tmp_path)
    with (folder / "vacancies.csv").open("ab") as handle:
        handle.truncate(3 * limits.MB)  # 3 MB: the rest of the file is zero bytes, never read
    monkeypatch.setenv(limits.ENV_FILE_MB, "2")
    with pytest.raises(DatasetRefused) as refused:
        refuse_oversized(folder)
    (problem,) = refused.value.report.problems
    assert problem.file == "vacancies.csv" and problem.rule == "too_large"
    assert (
        "is 3 MB, more than the 2 MB" in problem.message and limits.ENV_FILE_MB in problem.message
    )
    with pytest.raises(DatasetRefused):
        load_dataset(folder)
    assert "more than the 2 MB" in _refusal(folder, "vacancies.csv")


# --- rows ------------------------------------------------------------------------------------
def test_csv_rows_over_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = ds.write(tmp_path)
    rows = len(ds.PARTICIPANTS["rows"])
    monkeypatch.setenv(limits.ENV_ROWS, str(rows))
    assert len(load_dataset(folder).participants) == rows  # exactly at the limit: read
    monkeypatch.setenv(limits.ENV_ROWS, str(rows - 1))
    message = _refusal(folder, "participants.csv")
    assert f"has more than {rows - 1} lines; this server reads at most {rows - 1} rows" in message
    assert limits.ENV_ROWS in message


def test_csv_line_count_stops_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A CSV far over the limit is refused once the limit is passed, without counting the rest:
    the message says 'more than', not how many."""
    path = tmp_path / "vacancies.csv"
    line = b"E08000025,Retail,2024-07,5\r"  # lone CR line ends count too
    path.write_bytes(b"la_code,sector,month,positions\r" + line * 2_000_000)
    monkeypatch.setenv(limits.ENV_ROWS, "1000")
    with pytest.raises(ReadError) as error:
        read_table(path, "vacancies")
    assert str(error.value).startswith("has more than 1,000 lines")


def test_parquet_rows_over_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = ds.write(tmp_path, formats={"participants": "parquet"})
    monkeypatch.setenv(limits.ENV_ROWS, "3")
    message = _refusal(folder, "participants.parquet")
    assert "has 6 rows; this server reads at most 3 rows" in message


def test_too_many_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "vacancies.csv"
    header = ",".join(["la_code", "sector", "month", "positions"] + [f"x{i}" for i in range(300)])
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(ReadError) as error:
        read_table(path, "vacancies")
    assert "has 304 columns, more than the 200" in str(error.value)


# --- workbooks -------------------------------------------------------------------------------
def test_a_workbook_declaring_a_million_rows_is_refused_before_reading(tmp_path: Path) -> None:
    """The probe's file: 1.5 MB, its sheet declaring a whole Excel sheet of 1,048,576 rows (what
    Excel writes once whole columns are formatted), with a million empty rows in its XML."""
    folder = ds.write(tmp_path)
    empty_rows = "".join(f'<row r="{i}" spans="1:26"/>' for i in range(8, 1_000_001))
    path = _participants_xlsx(folder, empty_rows, dimension="A1:Z1048576")
    assert path.stat().st_size > 1_000_000
    with pytest.raises(ReadError) as error:
        check_xlsx_size(path)  # from the zip: nothing parsed
    assert "1,048,576 rows deep" in str(error.value) and "declared size" in str(error.value)
    message = _refusal(folder, "participants.xlsx")
    assert "more than the 250,000 rows" in message and ".csv or .parquet" in message


def test_one_stray_cell_far_below_is_found_though_nothing_is_declared(tmp_path: Path) -> None:
    """1.5 KB on disk, but one cell at Z1000000 makes a reader build a 26-million-cell grid."""
    folder = ds.write(tmp_path)
    path = _participants_xlsx(folder, '<row r="1000000"><c r="Z1000000"><v>1</v></c></row>')
    assert path.stat().st_size < 5_000
    assert "1,000,000 rows deep" in _refusal(folder, "participants.xlsx")


def test_one_stray_cell_far_to_the_right_is_found(tmp_path: Path) -> None:
    folder = ds.write(tmp_path)
    _participants_xlsx(folder, '<row r="9"><c r="XFD9"><v>1</v></c></row>')
    assert "has 16,384 columns, more than the 200" in _refusal(folder, "participants.xlsx")


def test_a_declared_size_within_the_limits_is_read(tmp_path: Path) -> None:
    folder = ds.write(tmp_path / "x")
    _participants_xlsx(folder, dimension="A1:L7")
    reference = load_dataset(ds.write(tmp_path / "csv"))
    pd.testing.assert_frame_equal(load_dataset(folder).participants, reference.participants)


def test_xlsx_rows_over_their_own_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = ds.write(tmp_path)
    _participants_xlsx(folder)  # no declared size: the scan of the XML finds row 7
    monkeypatch.setenv(limits.ENV_XLSX_ROWS, "5")
    assert "7 rows deep, more than the 5 rows" in _refusal(folder, "participants.xlsx")
    monkeypatch.setenv(limits.ENV_XLSX_ROWS, "6")
    assert validate_folder(folder).ok


def test_a_sheet_that_unpacks_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = ds.write(tmp_path)
    padding = "<row r='7'/>" + " " * (5 * limits.MB)  # compresses to a few KB
    path = _participants_xlsx(folder, padding)
    monkeypatch.setenv(limits.ENV_FILE_MB, "1")
    assert path.stat().st_size < limits.MB
    assert "unpacks to 5 MB, more than the 4 MB" in _refusal(folder, "participants.xlsx")


def test_readme_and_about_name_every_limit_with_its_default() -> None:
    from insight.outputs.about import sections

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    about = dict(sections(None))["Limits on this server"]
    defaults = limits.Limits()
    for name, default in (
        (limits.ENV_FILE_MB, defaults.file_mb),
        (limits.ENV_ROWS, defaults.rows),
        (limits.ENV_XLSX_ROWS, defaults.xlsx_rows),
        (limits.ENV_DATASETS, defaults.datasets),
        (limits.ENV_XLSX_STRINGS, defaults.xlsx_strings),
        (limits.ENV_XLSX_MEMORY_MB, defaults.xlsx_memory_mb),
        (limits.ENV_XLSX_SECONDS, defaults.xlsx_seconds),
    ):
        assert f"| `{name}` | {default:,} |" in readme, f"README misses {name}"
        assert f"`{name}`" in about and f"{default:,}" in about, f"About misses {name}"


def test_one_size_limit_the_server_and_the_page_agree() -> None:
    """Issue 29: the upload box said 200 MB (Streamlit's default) while the page said 500 MB.
    Streamlit's server.maxUploadSize is set to the table limit's default, and the box enforces,
    and the page states, limits.upload_mb: never more than the server accepts."""
    import tomllib

    config = tomllib.loads(
        (Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text("utf-8")
    )
    server_mb = config["server"]["maxUploadSize"]
    assert server_mb == limits.DEFAULT_FILE_MB
    assert limits.upload_mb(server_mb, limits.Limits()) == limits.DEFAULT_FILE_MB
    assert limits.upload_mb(server_mb, limits.Limits(file_mb=50)) == 50  # a lower table limit
    assert limits.upload_mb(server_mb, limits.Limits(file_mb=9_000)) == server_mb  # the ceiling
