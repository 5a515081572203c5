"""How long the loader takes to refuse input too large for its limits (issue 14) and to read a
100,000-row workbook (issue 11 item 6). A benchmark, not a test: it prints figures.

    .venv/bin/python benchmarks/limits.py [--xlsx-participants 100000]

Each case is a dataset folder in a temporary directory, checked with `validate_folder` (what
`python -m insight validate` runs) in this process, with the default limits:
- a 2 GB participants.csv (a sparse file: its size is real, its bytes are never read);
- a CSV of 1,200,000 participants (over INSIGHT_MAX_ROWS), refused while its lines are counted;
- a 1.5 MB workbook whose sheet declares A1:Z1048576 and holds a million empty rows;
- a 1.5 KB workbook holding one stray cell at Z1000000 and declaring nothing;
- a valid workbook of --xlsx-participants rows, read through python-calamine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def _workbook(path: Path, header: list[str], rows: str, dimension: str = "") -> None:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for i, name in enumerate(header)
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main">{declared}<sheetData><row r="1">{cells}</row>{rows}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _PARTS.items():
            book.writestr(name, text)
        book.writestr("xl/worksheets/sheet1.xml", sheet)


def _timed(folder: Path) -> tuple[float, str]:
    from insight.intake.load import validate_folder

    started = time.perf_counter()
    report = validate_folder(folder)
    seconds = time.perf_counter() - started
    first = next((p.text() for p in report.problems), "valid")
    return seconds, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xlsx-participants", type=int, default=100_000)
    args = parser.parse_args()

    from insight.sample.synthetic import write_sample

    results: list[tuple[str, str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        write_sample(base, 2_000, 7, fmt="csv")
        header = (base / "participants.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        columns = header.split(",")

        def case(name: str, build) -> None:
            folder = Path(tmp) / name.replace(" ", "_")
            shutil.copytree(base, folder)
            (folder / "participants.csv").unlink()
            build(folder)
            size = sum(p.stat().st_size for p in folder.glob("participants.*"))
            seconds, first = _timed(folder)
            results.append((name, f"{size / 1e6:,.3f} MB", seconds, first))

        def sparse_2gb(folder: Path) -> None:
            with (folder / "participants.csv").open("wb") as handle:
                handle.write((header + "\n").encode())
                handle.truncate(2 * 1024**3)

        def rows_1_2m(folder: Path) -> None:
            body = (base / "participants.csv").read_text(encoding="utf-8").split("\n", 1)[1]
            lines = [line for line in body.split("\n") if line]
            with (folder / "participants.csv").open("w", encoding="utf-8") as handle:
                handle.write(header + "\n")
                for copy in range(600):
                    handle.write(
                        "\n".join(f"{line.split(',', 1)[0]}-{copy},{line.split(',', 1)[1]}"
                                  for line in lines) + "\n"
                    )  # fmt: skip

        def declares_a_million(folder: Path) -> None:
            empty = "".join(f'<row r="{i}" spans="1:26"/>' for i in range(2, 1_000_001))
            _workbook(folder / "participants.xlsx", columns, empty, "A1:Z1048576")

        def one_stray_cell(folder: Path) -> None:
            stray = '<row r="1000000"><c r="Z1000000"><v>1</v></c></row>'
            _workbook(folder / "participants.xlsx", columns, stray)

        def real_workbook(folder: Path) -> None:
            out = Path(tmp) / "xlsx"
            write_sample(out, args.xlsx_participants, 7, fmt="xlsx")
            shutil.copy(out / "participants.xlsx", folder / "participants.xlsx")

        case("2 GB CSV", sparse_2gb)
        case("1,200,000-row CSV", rows_1_2m)
        case("xlsx declaring A1:Z1048576", declares_a_million)
        case("xlsx, one cell at Z1000000", one_stray_cell)
        case(f"xlsx, {args.xlsx_participants:,} rows", real_workbook)

    print(f"{'case':32} {'on disk':>12} {'seconds':>9}  first problem")
    for name, size, seconds, first in results:
        print(f"{name:32} {size:>12} {seconds:9.2f}  {first[:110]}")


if __name__ == "__main__":
    main()
