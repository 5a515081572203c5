"""Server-side rerun time of every page when the LA or the period changes (issue 3's target:
0.5 s or less with 1,000,000 participants). A benchmark, not a test: it prints figures.

    .venv/bin/python benchmarks/rerun.py --participants 1000000

It writes a synthetic dataset (Parquet) to a temporary folder, opens app.py with Streamlit's
AppTest (the script run itself, without a browser or websocket), loads each page once, then
times reruns that change the LA or the period in turn. The first run of a page pays for the
dataset load and the per-dataset count cube; the reruns are what a person changing a filter
waits for on the server.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


# Pages that draw the participant and labour market figures (the ones filters change).
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reruns", type=int, default=6)
    args = parser.parse_args()

    from streamlit.testing.v1 import AppTest

    from components.controls import LA_KEY, PERIOD_KEY
    from components.navigation import CHART_SECTIONS, PAGES
    from insight.sample.synthetic import write_sample

    folder = Path(tempfile.mkdtemp(prefix="rerun-bench-"))
    started = time.perf_counter()
    write_sample(folder, args.participants, args.seed, preset="west-midlands", fmt="parquet")
    print(
        f"dataset: {args.participants:,} participants, written in {time.perf_counter() - started:.1f} s"
    )
    os.environ["INSIGHT_DATASET"] = str(folder)
    os.environ.setdefault("INSIGHT_STATE_DIR", str(folder / "state"))
    os.environ.setdefault("INSIGHT_LOCAL_USER", "1")  # the owner on this machine, as after make run

    # AppTest calls Streamlit outside a script run once per page; its warning about that would
    # interleave with the table. (A filter, not a level: Streamlit resets its loggers' levels.)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )
    las = ("E08000028", "E08000025", "E06000051", "E07000235", "all")
    periods = ("latest_quarter", "latest_12", "whole", "latest_6")
    print(f"{'page':<40} {'first run s':>11} {'median rerun s':>15} {'max rerun s':>12}")
    worst = 0.0
    for page in [spec.path for spec in PAGES if spec.section in CHART_SECTIONS]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()
        t0 = time.perf_counter()
        at.switch_page(page).run()
        first = time.perf_counter() - t0
        times = []
        for i in range(args.reruns):
            widget = at.selectbox(key=LA_KEY) if i % 2 == 0 else at.selectbox(key=PERIOD_KEY)
            value = las[i // 2 % len(las)] if i % 2 == 0 else periods[i // 2 % len(periods)]
            widget.set_value(value)
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
            if at.exception:
                print(f"  {page}: exception {at.exception[0].message}")
        worst = max(worst, max(times))
        print(f"{page:<40} {first:>11.2f} {statistics.median(times):>15.3f} {max(times):>12.3f}")
    print(f"slowest rerun on any page: {worst:.3f} s (target 0.5 s)")


if __name__ == "__main__":
    main()
