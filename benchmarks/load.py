"""`python benchmarks/load.py --participants N` (`make bench`): time loading and every measure on a
large synthetic dataset.

Writes the synthetic sample twice (participants as Parquet and as CSV) to a temporary folder, then
runs each stage in a fresh Python process so its peak memory is its own:

- a bare `pandas.read_csv(engine="pyarrow")` of participants.csv, the floor any CSV load stands on;
- load + guard + validate (`insight.intake.load.load_dataset`) of each folder, and its ratio to the floor;
- every safe table for the whole area and for one LA (then for five other LAs: their median),
  and a page's worth (the characteristics, barriers, services, LA shares and hotspot tables)
  for one LA, as a Streamlit rerun would ask.

Peak memory is the process's peak resident set size (VmHWM from /proc/self/status on Linux,
else `resource.getrusage(...).ru_maxrss`) at the end of the stage, which includes the interpreter and the libraries imported (pandas, pyarrow,
numpy); the baseline column is that same peak just before the stage started, so the difference is
what the stage itself added at its peak. Times are wall-clock (`time.perf_counter`) beside the
process's CPU time (`time.process_time`, every thread's), steadier on a shared machine; the report
gives the load average too. Arrow reads CSV on several threads, so a stage's CPU time can exceed
its wall time on an idle machine.

One read or load says little on a shared machine, and the ratio of two single runs even less: the
bare read and the two loads are each run `--runs` times (5 unless told), taken in turn (bare, CSV,
Parquet, bare, ...) so a busy spell falls on all three alike, and each figure in their table is the
median of its runs; a ratio is one median over the other. The measures are run once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from insight.cli import positive_count  # noqa: E402
from insight.core.contract import CHARACTERISTICS  # noqa: E402
from insight.core.dataset import Dataset  # noqa: E402
from insight.core.selection import WHOLE_AREA, Selection  # noqa: E402

Stage = Callable[[Path], dict[str, float]]


def _say(text: str = "") -> None:
    """bench is a command-line report: its output is the point."""
    print(text, flush=True)  # noqa: T201


def _peak_mb() -> float:
    """This process's peak resident set size so far, in MB. VmHWM (Linux) starts afresh at exec;
    ru_maxrss is the fallback, but it inherits the peak of the process that forked this one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


# --- what is timed ---------------------------------------------------------------------------
def page_tables(ds: Dataset, sel: Selection) -> list[object]:
    """A page's worth: what the Participants page asks for on an LA or period change."""
    from insight.numbers import tables

    out: list[object] = [tables.characteristic(ds, sel, name) for name in CHARACTERISTICS]
    out += [tables.barriers(ds, sel), tables.services(ds, sel)]
    out += [tables.la_shares(ds, sel), tables.hotspot(ds, sel)]
    return out


def every_table(ds: Dataset, sel: Selection) -> list[object]:
    """Every safe table the interface offers for one selection, every barrier and service."""
    from insight.numbers import tables

    out = page_tables(ds, sel)
    for barrier in ds.barrier_keys:
        out += [tables.barrier_by_age(ds, sel, barrier), tables.barrier_by_la(ds, sel, barrier)]
        out += [tables.trend(ds, sel, "barrier", barrier, f) for f in ("month", "quarter")]
    for service in ds.service_keys:
        out.append(tables.service_by_la(ds, sel, service))
        out += [tables.trend(ds, sel, "service", service, f) for f in ("month", "quarter")]
    out += [tables.vacancies(ds, sel, "sector"), tables.vacancies(ds, sel, "la")]
    out += [tables.job_entries(ds, sel, by) for by in ("sector", "employer", "la")]
    out += [tables.provision(ds, sel), tables.plans(ds, sel), tables.insights(ds, sel)]
    out += [tables.headlines(ds, sel), tables.talking_points(ds, sel)]
    return out


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _both(work: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): on a busy machine the CPU figure is the
    steadier one."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


# --- stages, each run in its own process -----------------------------------------------------
def _bare_read(folder: Path) -> dict[str, float]:
    import pandas as pd

    base = _peak_mb()
    seconds, cpu = _both(lambda: pd.read_csv(folder / "participants.csv", engine="pyarrow"))
    return {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "base_mb": base}


def _load(folder: Path) -> dict[str, float]:
    from insight.intake.load import load_dataset

    base = _peak_mb()
    seconds, cpu = _both(lambda: load_dataset(folder))
    return {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "base_mb": base}


def _measures(folder: Path) -> dict[str, float]:
    from insight.intake.load import load_dataset
    from insight.numbers.measure import cube

    ds = load_dataset(folder)
    la = ds.la_codes[len(ds.la_codes) // 2]
    base = _peak_mb()
    out: dict[str, float] = {}
    for key, work in (
        ("cube", lambda: cube(ds)),
        ("every_area", lambda: every_table(ds, Selection(WHOLE_AREA, "whole"))),
        ("every_la", lambda: every_table(ds, Selection(la, "whole", "presenter"))),
        ("page_la", lambda: page_tables(ds, Selection(la, "latest_12", "presenter"))),
        ("page_period", lambda: page_tables(ds, Selection(la, "latest_quarter"))),
    ):
        out[f"{key}_s"], out[f"{key}_cpu"] = _both(work)
    # one run says little on a shared machine: every table for five other LAs, each a selection
    # new to the process, and their median
    others = [code for code in ds.la_codes if code != la][:5]
    runs = [_both(lambda c=c: every_table(ds, Selection(c, "whole", "presenter"))) for c in others]
    out["every_la_median_s"] = statistics.median(wall for wall, _ in runs)
    out["every_la_median_cpu"] = statistics.median(cpu for _, cpu in runs)
    out["tables"] = float(len(every_table(ds, Selection(la))))
    out["peak_mb"], out["base_mb"] = _peak_mb(), base
    return out


STAGES: dict[str, Stage] = {"bare_read": _bare_read, "load": _load, "measures": _measures}


def _write(folder: Path, participants: int, seed: int, fmt: str) -> dict[str, float]:
    from insight.sample.synthetic import write_sample

    return {"seconds": _timed(lambda: write_sample(folder, participants, seed, fmt=fmt))}


def run_stage(name: str, folder: str) -> None:
    """Entry point of a stage's own process: run it and write its figures as one JSON line."""
    if name.startswith("write:"):
        _, participants, seed, fmt = name.split(":")
        _say(json.dumps(_write(Path(folder), int(participants), int(seed), fmt)))
        return
    _say(json.dumps(STAGES[name](Path(folder))))


def _in_fresh_process(name: str, folder: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--stage", name, str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"bench stage {name} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load_average() -> str:
    """The machine's load average: on a shared machine the wall times mean little without it."""
    try:
        return ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    except OSError:
        return "unknown"


# --- the report ------------------------------------------------------------------------------
def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the runs of one stage."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def run_bench(participants: int, seed: int, runs: int) -> None:
    """Generate, load and measure a dataset of `participants` rows; print a table of figures."""
    with tempfile.TemporaryDirectory(prefix="insight-bench-") as tmp:
        folders = {fmt: Path(tmp) / fmt for fmt in ("parquet", "csv")}
        for fmt, folder in folders.items():
            # in a child process, so this one stays small (a child inherits its parent's peak)
            seconds = _in_fresh_process(f"write:{participants}:{seed}:{fmt}", folder)["seconds"]
            size = (folder / f"participants.{fmt}").stat().st_size / 1e6
            _say(
                f"wrote {participants:,} participants as {fmt} ({size:,.0f} MB) in {seconds:.1f} s"
            )
        timed: dict[str, list[dict[str, float]]] = {"bare": [], "csv": [], "parquet": []}
        for _ in range(runs):  # in turn, so a busy spell on the machine falls on all three
            timed["bare"].append(_in_fresh_process("bare_read", folders["csv"]))
            for fmt in ("csv", "parquet"):
                timed[fmt].append(_in_fresh_process("load", folders[fmt]))
        bare = _medians(timed["bare"])
        loads = {fmt: _medians(timed[fmt]) for fmt in ("parquet", "csv")}
        measures = _in_fresh_process("measures", folders["parquet"])

    _say()
    _say(f"Restart Insight bench: {participants:,} participants, seed {seed}")
    _say("Each stage in a fresh process; peak = its peak RSS (VmHWM), base = the same before it.")
    _say(
        f"Reads and loads: each figure the median of {runs} runs, taken in turn (bare, CSV, "
        "Parquet, ...); a ratio is median over median."
    )
    _say(f"Load average (1, 5, 15 min) at the end: {_load_average()}")
    _say(
        f"{'stage':<44}{'seconds':>9}{'x bare':>8}{'CPU s':>8}{'x bare':>8}"
        f"{'peak MB':>9}{'base MB':>9}"
    )
    rows = [("bare pandas.read_csv(engine='pyarrow'), CSV", bare)]
    rows += [(f"load + guard + validate, {fmt}", figures) for fmt, figures in loads.items()]
    for label, figures in rows:
        ratio = figures["seconds"] / bare["seconds"]
        cpu_ratio = figures["cpu"] / bare["cpu"]
        _say(
            f"{label:<44}{figures['seconds']:>9.2f}{ratio:>8.1f}"
            f"{figures['cpu']:>8.2f}{cpu_ratio:>8.1f}"
            f"{figures['peak_mb']:>9.0f}{figures['base_mb']:>9.0f}"
        )
    _say()
    spread = ", ".join(
        f"{name} {min(run['seconds'] for run in found):.2f}-{max(run['seconds'] for run in found):.2f}"
        for name, found in timed.items()
    )
    _say(f"Wall seconds, lowest to highest of the {runs} runs: {spread}")
    _say()
    _say(f"Measures on the Parquet dataset ({measures['tables']:.0f} tables for one selection):")
    _say(f"  {'':<62}{'wall s':>8}{'CPU s':>8}")
    for key, label in (
        ("cube", "count participants into the LA x month cube (once per dataset)"),
        ("every_area", "every table, whole area"),
        ("every_la", "every table, one LA (presenter)"),
        ("every_la_median", "every table, one LA: median of 5 other LAs (presenter)"),
        ("page_la", "a page's worth for one LA (rerun on LA change)"),
        ("page_period", "a page's worth after a period change"),
    ):
        _say(f"  {label:<62}{measures[key + '_s']:>8.3f}{measures[key + '_cpu']:>8.3f}")
    _say(
        f"  peak RSS {measures['peak_mb']:.0f} MB (before measuring: {measures['base_mb']:.0f} MB)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=positive_count, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--runs", type=positive_count, default=5, help="runs of the bare read and of each load"
    )
    parser.add_argument("--stage", nargs=2, metavar=("NAME", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_stage(*args.stage)
    else:
        run_bench(args.participants, args.seed, args.runs)
