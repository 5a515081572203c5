"""The guard stage and the free-text screen, timed. A benchmark, not a test: it prints figures.

    .venv/bin/python benchmarks/screen.py [DATASET_DIR]

For the dataset folder (default: the bundled sample) it reads every table, then times the guard
stage alone (column names and the value scan: insight.intake.guard.check_columns and
insight.intake.valuescan.scan_table, as loading runs them), best of three, as wall-clock and CPU seconds. Then it times insight.intake.screen.findings on hostile texts of
20,000 characters (the longest a person may type), the shapes that make a careless regular
expression take quadratic time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from insight.core.contract import FILE_SUFFIXES, TABLES  # noqa: E402
from insight.intake import guard, screen  # noqa: E402
from insight.intake.readers import read_table  # noqa: E402
from insight.intake.valuescan import scan_table  # noqa: E402

HOSTILE = {
    "letters": "a" * 20_000,
    "letters then @": "a" * 19_999 + "@",
    "digits": "1" * 20_000,
    "spaced zeros": "0 " * 10_000,
    "'x at ' repeated": "x at " * 4_000,
    "'x dot ' repeated": "x dot " * 3_333,
    "'Will ' repeated": "Will " * 4_000,
    "'Jane ' repeated": "Jane " * 4_000,
    "'3 people ' repeated": "3 people " * 2_222,
    "'12 Ab ' repeated": "12 Ab " * 3_333,
    "'starts' then spaces": "starts" + " " * 19_994,
    "zero-width characters": "\u200b" * 20_000,
    "full-width digits": "\uff10" * 20_000,
    "'1,' repeated": "1," * 10_000,
}


def guard_stage(folder: Path) -> None:
    paths = [
        (stem, folder / f"{stem}{suffix}")
        for stem in TABLES
        for suffix in FILE_SUFFIXES
        if (folder / f"{stem}{suffix}").exists()
    ]
    runs = []
    for _ in range(3):
        tables = [read_table(path, stem) for stem, path in paths]
        wall, cpu = time.perf_counter(), time.process_time()
        problems = sum(len(guard.check_columns(t)) + len(scan_table(t)) for t in tables)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    rows = max((t.n_rows for t in tables), default=0)
    print(f"guard stage on {folder} ({rows:,} rows in its largest table, {problems} problems)")
    print(f"  best of 3: {min(r[0] for r in runs):.3f} s wall, {min(r[1] for r in runs):.3f} s CPU")


def hostile_texts() -> None:
    print("screen.findings on 20,000-character hostile texts (seconds):")
    for name, text in HOSTILE.items():
        started = time.perf_counter()
        screen.findings(text)
        print(f"  {name:22s} {time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    guard_stage(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "sample_data")
    hostile_texts()
