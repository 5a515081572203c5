"""How many barrier counts standard mode shows, and what the audit behind them costs (issue 26).

    .venv/bin/python benchmarks/count_audit.py [DATASET_DIR]
    .venv/bin/python benchmarks/count_audit.py --participants 1000000

Runs `insight.numbers.count_release.release` (one HiGHS model per area and barrier; see its
docstring) on a dataset, the bundled sample by default or a synthetic one of N participants, and
prints for every period how many LA x barrier counts (and whole-area counts) the barriers table
shows, the seconds it took (wall clock and the process's CPU time, steadier on a shared machine),
the LPs solved, and the time of a barriers table made after it (a page rerun: the audit is kept
with the dataset). The rule before it (a count only where no figure for that barrier and area was
`[c]`) showed 14 of the sample's 208 counts in every period. Asserts nothing.

Measured 6 Dec 2026 (2 shared cores, load average 13 to 25): the sample, 189 of 208 for the
whole period, 174 for 12 months, 149 for 6 months, 130 for the latest quarter (whole-area 13,
10, 7 and 4 of 13), in 10.4 to 12.6 s CPU (33 to 62 s wall), about 5,700 LPs; 1,000,000
participants, 208 of 208 in every period, 1.1 s CPU (4.1 s wall), 390 LPs; a barriers table
after it 0.04 to 0.08 s. benchmarks/disclosure_attack.py on the sample: 0 of 3,470 `[c]` cells
narrowed below 5 values.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from insight.core.periods import PERIODS  # noqa: E402
from insight.core.selection import WHOLE_AREA, Selection  # noqa: E402
from insight.intake.load import load_dataset  # noqa: E402
from insight.numbers import tables  # noqa: E402
from insight.numbers.count_release import release  # noqa: E402


def report(folder: Path) -> None:
    ds = load_dataset(folder)
    wall, cpu = time.perf_counter(), time.process_time()
    found = release(ds)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pairs = len(ds.la_codes) * len(ds.barrier_keys)
    print(f"dataset: {folder} ({len(ds.participants):,} participants)")
    for period in PERIODS:
        las = sum(1 for code, _, p in found.keys if p == period and code != WHOLE_AREA)
        area = sum(1 for code, _, p in found.keys if p == period and code == WHOLE_AREA)
        print(
            f"{period}: {las} of {pairs} LA x barrier counts shown, "
            f"{area} of {len(ds.barrier_keys)} whole-area counts"
        )
    print(f"audit: {wall:.1f} s wall, {cpu:.1f} s CPU, {found.solves} LPs solved")
    sel = Selection(la=ds.la_codes[0], period="latest_quarter")
    rerun = time.perf_counter()
    tables.barriers(ds, sel)
    print(f"a barriers table after it (a page rerun): {time.perf_counter() - rerun:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", default=str(ROOT / "sample_data"))
    parser.add_argument("--participants", type=int, help="write a synthetic dataset of N first")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.participants is None:
        report(Path(args.dataset))
        return
    from insight.sample.synthetic import write_sample

    with tempfile.TemporaryDirectory() as folder:
        write_sample(Path(folder), args.participants, args.seed, fmt="parquet")
        report(Path(folder))


if __name__ == "__main__":
    main()
