"""How long the loader takes to refuse input too large for its limits (issue 14) and to read a
100,000-row workbook (issue 11 item 6). A benchmark, not a test: it prints figures.

    .venv/bin/python benchmarks/limits.py [--xlsx-participants 100000]

Each case is a dataset folder in a temporary directory, checked with `validate_folder` (what
`python -m insight validate` runs) in this process, with the default limits:
- a 2 GB participants.csv (a sparse file: its size is real, its bytes are never read);
- a CSV of 1,200,000 participants (over INSIGHT_MAX_ROWS), refused while its lines are counted;
- a 1.5 MB workbook whose sheet declares A1:Z1048576 and holds a million empty rows;
- a 1.5 KB workbook holding one stray cell at Z1000000 and declaring nothing;
- a 6 MB workbook whose shared-strings table holds 150,000,000 entries (issue 30 item 5);
- the same, its count attribute saying 1 (so the entries must be counted as they unpack);
- a workbook whose shared-strings table declares 150,000,000 entries and holds 1,000,000;
- a workbook of 1,000,000 rows with no `r=` references;
- a workbook (a ZIP) of 600,000 directory entries;
- a valid workbook of --xlsx-participants rows, read through python-calamine.

Each case runs in a process of its own under an address-space cap (--cap-mb, default 4096, so a
case that would take the machine's memory stops at the cap instead): the figures are its wall
time, its own peak RSS, and the peak RSS of any process it started (the workbook reader's).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
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


def _one_case(folder: Path) -> None:
    """Run in the case's own process: print its figures as JSON."""
    seconds, first = _timed(folder)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "first": first, "rss": own, "child_rss": children}))


def _capped(folder: Path, cap_mb: int) -> tuple[float, str, float, float]:
    def cap() -> None:
        limit = cap_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--case", str(folder)],
        capture_output=True,
        text=True,
        preexec_fn=cap,  # the benchmark runs no threads
        check=False,
    )
    seconds = time.perf_counter() - started
    try:
        found = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return seconds, f"CRASHED (exit {done.returncode}) at the {cap_mb} MB cap: {tail}", -1, -1
    return found["seconds"], found["first"], found["rss"], found["child_rss"]


def _shared_strings_book(path: Path, held: int, count: int) -> None:
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
        "</worksheet>"
    )
    rels = _PARTS["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in _PARTS.items():
            book.writestr(name, rels if name == "xl/_rels/workbook.xml.rels" else text)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(
                '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                f'spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">'.encode()
            )
            block = b"<si><t>a</t></si>" * 100_000
            for _ in range(held // 100_000):
                out.write(block)
            out.write(b"</sst>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xlsx-participants", type=int, default=100_000)
    parser.add_argument("--cap-mb", type=int, default=4096)
    parser.add_argument("--case", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case is not None:
        _one_case(args.case)
        return

    from insight.sample.synthetic import write_sample

    results: list[tuple[str, str, float, str, float, float]] = []
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
            seconds, first, rss, child_rss = _capped(folder, args.cap_mb)
            results.append((name, f"{size / 1e6:,.3f} MB", seconds, first, rss, child_rss))
            shutil.rmtree(folder)

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

        def strings_150m(folder: Path) -> None:
            _shared_strings_book(folder / "participants.xlsx", 150_000_000, 150_000_000)

        def strings_150m_count_1(folder: Path) -> None:
            _shared_strings_book(folder / "participants.xlsx", 150_000_000, 1)

        def declares_150m(folder: Path) -> None:
            _shared_strings_book(folder / "participants.xlsx", 1_000_000, 150_000_000)

        def no_references(folder: Path) -> None:
            bare = "<row><c><v>1</v></c></row>" * 1_000_000
            _workbook(folder / "participants.xlsx", columns, bare)

        def entries_600k(folder: Path) -> None:
            with zipfile.ZipFile(folder / "participants.xlsx", "w") as book:
                for n in range(600_000):
                    book.writestr(zipfile.ZipInfo(f"d{n}/"), b"")

        case("2 GB CSV", sparse_2gb)
        case("1,200,000-row CSV", rows_1_2m)
        case("xlsx declaring A1:Z1048576", declares_a_million)
        case("xlsx, one cell at Z1000000", one_stray_cell)
        case("xlsx, 150M shared strings", strings_150m)
        case("xlsx, 150M strings, count=1", strings_150m_count_1)
        case("xlsx, count=150M, holds 1M", declares_150m)
        case("xlsx, 1M rows without r=", no_references)
        case("xlsx, 600,000 dir entries", entries_600k)
        case(f"xlsx, {args.xlsx_participants:,} rows", real_workbook)

    print(
        f"{'case':32} {'on disk':>12} {'seconds':>9} {'peak MB':>8} {'reader MB':>9}  first problem"
    )
    for name, size, seconds, first, rss, child_rss in results:
        print(f"{name:32} {size:>12} {seconds:9.2f} {rss:8.0f} {child_rss:9.0f}  {first[:100]}")


if __name__ == "__main__":
    main()
