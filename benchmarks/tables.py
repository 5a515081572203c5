"""The CPU of a new selection's safe tables (issue 31): every table the chart pages ask for, for
selections not seen before, without Streamlit. A benchmark, not a test: it prints figures.

    .venv/bin/python benchmarks/tables.py                       # the sample, both modes
    .venv/bin/python benchmarks/tables.py --selections 40 --profile 20

It opens the dataset (the bundled sample by default), builds one selection's tables to warm what
is worked out once per dataset (the count cube, the released counts, the official context), then,
for distinct (LA, period, mode) selections in a seeded random order, builds every table the chart
pages draw for a selection with their default choices (the registry's builders, as
insight.service.view.page_view's callers do), each selection cold: its tables are remembered by
the pipeline per selection, so no selection finds another's. Figures are CPU time
(time.process_time), not wall time, so that other work on the machine does not move them:

- per selection: median, p90 and mean CPU ms of all its tables;
- per table (inclusive, in the pages' order: an insight made from others, the headlines, pays
  for the tables it reads when it is asked for first): median CPU ms, the 15 dearest;
- with --profile N: cProfile's N dearest functions by own time over the measured selections.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from insight.core.dataset import Dataset  # noqa: E402
from insight.core.periods import PERIODS  # noqa: E402
from insight.core.selection import MODES, WHOLE_AREA, Selection  # noqa: E402
from insight.numbers import tables  # noqa: E402


def page_tables(ds: Dataset) -> list[tuple[str, tuple[Any, ...]]]:
    """(builder name, arguments) of every table the chart pages draw with their default choices,
    in the order of the navigation (Overview first)."""
    barrier = "digital_skills" if "digital_skills" in ds.barrier_keys else None
    barrier = barrier or (ds.barrier_keys[0] if ds.barrier_keys else None)
    service = ds.service_keys[0] if ds.service_keys else None
    asks: list[tuple[str, tuple[Any, ...]]] = [
        ("headlines", ()),
        ("talking_points", ()),
        ("la_shares", ()),
        *(
            ("characteristic", (name,))
            for name in ("age_band", "gender", "ethnicity", "disability")
        ),
        ("barriers", ()),
        ("services", ()),
        ("hotspot", ()),
        ("claimant_hotspot", ()),
        ("context_beside", ()),
        ("vacancies", ("la",)),
        ("vacancies", ("sector",)),
        *(("job_entries", (by,)) for by in ("sector", "la", "employer")),
        ("insights", (("employer_engagement",),)),
        ("insights", (("area_barrier",),)),
        ("insights", (("what_works", "improvement"), None, None)),
        ("plans", ()),
        ("provision", ()),
    ]
    if barrier is not None:
        asks += [
            ("barrier_by_age", (barrier,)),
            ("barrier_by_la", (barrier,)),
            ("trend", ("barrier", barrier, "quarter")),
            ("trend", ("barrier", barrier, "month")),
        ]
    if service is not None:
        asks.append(("service_by_la", (service,)))
    return asks


def label(name: str, args: tuple[Any, ...]) -> str:
    shown = [a if isinstance(a, str) else "+".join(a) for a in args if a]
    return ".".join([name, *shown])


def build_all(
    ds: Dataset, sel: Selection, asks: list[tuple[str, tuple[Any, ...]]]
) -> dict[str, float]:
    """CPU seconds of each table for `sel`, in order."""
    spent: dict[str, float] = {}
    for name, args in asks:
        started = time.process_time()
        getattr(tables, name)(ds, sel, *args)
        spent[label(name, args)] = time.process_time() - started
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", default=str(ROOT / "sample_data"))
    parser.add_argument("--selections", type=int, default=0, help="at most N (0: every one)")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--repeat", type=int, default=1, help="load and measure N times")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's N dearest")
    args = parser.parse_args()

    from insight.intake.load import load_dataset

    per_selection: list[float] = []
    per_table: dict[str, list[float]] = {}
    profile = cProfile.Profile() if args.profile else None
    for _ in range(args.repeat):
        # a fresh dataset object each time: what the pipeline remembers is per dataset object
        ds = load_dataset(args.dataset)
        asks = page_tables(ds)
        chosen = [
            Selection(la, period, mode)
            for la in (WHOLE_AREA, *ds.la_codes)
            for period in PERIODS
            for mode in MODES
        ]
        random.Random(args.seed).shuffle(chosen)
        warm, rest = chosen[0], chosen[1:]
        if args.selections:
            rest = rest[: args.selections]
        started = time.process_time()
        build_all(ds, warm, asks)
        warm_cpu = time.process_time() - started
        print(
            f"dataset: {len(ds.participants):,} participants; first selection {warm_cpu * 1000:.0f} ms CPU (warm-up, not counted)"
        )
        if profile is not None:
            profile.enable()
        for sel in rest:
            spent = build_all(ds, sel, asks)
            per_selection.append(sum(spent.values()))
            for key, seconds in spent.items():
                per_table.setdefault(key, []).append(seconds)
        if profile is not None:
            profile.disable()

    ms = sorted(s * 1000 for s in per_selection)
    p90 = ms[min(len(ms) - 1, int(0.9 * len(ms)))]
    print(
        f"cold tables per selection ({len(ms)} selections, {len(asks)} tables each): "
        f"median {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, mean {statistics.fmean(ms):.1f} ms CPU"
    )
    print("dearest tables (median CPU ms per selection):")
    medians = sorted(((statistics.median(v) * 1000, k) for k, v in per_table.items()), reverse=True)
    for value, key in medians[:15]:
        print(f"  {value:8.2f}  {key}")
    if profile is not None:
        print(f"cProfile, the {args.profile} dearest functions by own time:")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
