"""The linked-tables attack on a dataset, run by hand: prints figures, asserts nothing.

    .venv/bin/python benchmarks/disclosure_attack.py [DATASET_DIR] [--mode standard|presenter]

For every LA and every barrier it combines every figure the app shows for it in every period (the
barriers table's shares and rounded counts, shares by age band, month and quarter trends) in one
linear programme (tests/unit/disclosure_lp.py, the same code the property tests use) and reports
the `[c]` cells whose count is left with fewer than min_cell possible values. It also counts the
`[c]` labels across the pages' tables for every area and period: the cost of the rules.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "unit")]

from disclosure_lp import attack  # noqa: E402

from insight.core.contract import CHARACTERISTICS  # noqa: E402
from insight.core.periods import PERIODS  # noqa: E402
from insight.core.selection import WHOLE_AREA, Selection  # noqa: E402
from insight.intake.load import load_dataset  # noqa: E402
from insight.numbers import tables  # noqa: E402


def cost(ds, built: dict) -> Counter:
    """Published labels ([c] and all) across the pages' tables for every area (each LA and the
    whole area) and period, in standard mode (presenter mode shows the same shares, no counts)."""
    for la in (WHOLE_AREA, *ds.la_codes):
        for period in PERIODS:
            sel = Selection(la=la, period=period, mode="standard")
            makers: dict[str, tuple] = {
                "barriers": (tables.barriers,),
                "services": (tables.services,),
                "la_shares": (tables.la_shares,),
                "provision": (tables.provision,),
            }
            for name in CHARACTERISTICS:
                makers[name] = (tables.characteristic, name)
            for key in ds.barrier_keys:
                makers[f"barrier_by_age.{key}"] = (tables.barrier_by_age, key)
                for freq in ("month", "quarter"):
                    makers[f"trend.{key}.{freq}"] = (tables.trend, "barrier", key, freq)
            for name, (make, *args) in makers.items():
                if (name, la, period) not in built:
                    built[(name, la, period)] = make(ds, sel, *args)
    tally: Counter = Counter()
    for (name, _, _), table in built.items():
        kind = name.split(".")[0]
        for column in ("label", "count", "planned_referrals"):
            if column in table.frame:
                values = table.frame[column].astype(str)
                tally[f"{kind} {column} cells"] += len(values)
                tally[f"{kind} {column} [c]"] += int((values == "[c]").sum())
                tally[f"ALL {column} cells"] += len(values)
                tally[f"ALL {column} [c]"] += int((values == "[c]").sum())
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", default=str(ROOT / "sample_data"))
    parser.add_argument("--mode", choices=("standard", "presenter"), default="standard")
    parser.add_argument("--no-cost", action="store_true", help="skip counting [c] labels")
    args = parser.parse_args()
    ds = load_dataset(args.dataset)
    started = time.perf_counter()
    targets = implied = 0
    narrowed = []
    built: dict = {}
    for la in ds.la_codes:
        for barrier in ds.barrier_keys:
            findings, skipped, _ = attack(ds, la, barrier, args.mode, built)
            targets += len(findings) + skipped
            implied += skipped
            wrong = [f for f in findings if not f.low - 1e-6 <= f.truth <= f.high + 1e-6]
            if wrong:
                raise SystemExit(f"the LP excludes a true count: {wrong[0]}")
            narrowed += [f for f in findings if f.values < ds.meta.thresholds.min_cell]
    seconds = time.perf_counter() - started
    print(f"dataset: {args.dataset}  mode: {args.mode}")
    print(f"LAs x barriers attacked: {len(ds.la_codes) * len(ds.barrier_keys)}")
    print(f"distinct [c] cells attacked: {targets} ({implied} covered by shown 0% figures)")
    print(
        f"[c] cells narrowed below {ds.meta.thresholds.min_cell} possible values: {len(narrowed)}"
    )
    for f in narrowed:
        print(f"  {f.la} {f.barrier} {f.where}: [{f.low:.2f}, {f.high:.2f}] (true {f.truth})")
    print(f"attack time: {seconds:.1f} s")
    if not args.no_cost:
        if args.mode != "standard":
            built.clear()  # count standard-mode labels
        for key, value in sorted(cost(ds, built).items()):
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
