"""Slides: how long the next slide takes to appear in the browser after a clicker's key press.

    .venv/bin/python benchmarks/slides.py                         # the bundled sample
    .venv/bin/python benchmarks/slides.py --participants 1000000  # a generated dataset

Starts `streamlit run app.py` on a free loopback port (the browser tests' harness), opens the
ready-made running order (`?meeting=auto&la=<code>`, 9 slides) in sealed headless Chromium at
1280 x 720, walks it once to warm the server, then times each PageDown over the whole meeting:
from the key press to the new slide's script run finished and its chart or map drawn (the same
wait the browser tests use). Prints every step, the median and the slowest. Figures, not a test:
nothing here passes or fails. Targets (issue 10): median under 1 s with 1,000,000 participants,
under 0.5 s with the sample.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    _RUN_COUNTER,
    BROWSER_ARGS,
    rerun,
    start_server,
    stop_server,
    wait_for_app,
)
from tests.conftest import CHROMIUM, SAMPLE_DIR  # noqa: E402

COUNTER = ".ri-slide-counter"


def walk(page, slides: int) -> list[float]:
    """Seconds from each PageDown to the next slide drawn, over the whole deck."""
    times = []
    for number in range(2, slides + 1):
        started = time.perf_counter()
        rerun(page, lambda: page.keyboard.press("PageDown"))
        page.locator(COUNTER).filter(has_text=f"Slide {number} of").wait_for()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=0, help="0: the bundled sample")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--la", default="E08000028", help="GSS code, or all (default Sandwell)")
    parser.add_argument("--passes", type=int, default=2, help="timed walks after the warm one")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-slides-") as tmp:
        work = Path(tmp)
        if args.participants:
            from insight.sample import write_sample

            dataset = work / "dataset"
            started = time.perf_counter()
            write_sample(dataset, args.participants, args.seed, fmt="parquet")
            print(
                f"dataset: {args.participants:,} participants written in "
                f"{time.perf_counter() - started:.1f} s"
            )
        else:
            dataset = SAMPLE_DIR
            print("dataset: the bundled sample")
        (work / "state").mkdir()
        (work / "logs").mkdir()
        server = start_server("bench-slides", dataset, work / "state", work / "logs")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True
                )
                context = browser.new_context(viewport={"width": 1280, "height": 720})
                context.set_default_timeout(180_000)
                context.add_init_script(script=_RUN_COUNTER)
                page = context.new_page()
                started = time.perf_counter()
                page.goto(f"{server.url}/?meeting=auto&la={args.la}")
                wait_for_app(page, timeout=180_000)
                total = int(page.locator(COUNTER).inner_text().rsplit(" ", 1)[-1])
                print(
                    f"first slide drawn {time.perf_counter() - started:.2f} s after opening "
                    f"the link (dataset opened by the server meanwhile); {total} slides"
                )
                warm = walk(page, total)
                print("warm-up walk (s): " + " ".join(f"{t:.2f}" for t in warm))
                timed: list[float] = []
                for n in range(args.passes):
                    page.goto(f"{server.url}/slides?meeting=auto&la={args.la}&slide=1")
                    wait_for_app(page, timeout=180_000)
                    steps = walk(page, total)
                    timed.extend(steps)
                    print(f"pass {n + 1} (s):       " + " ".join(f"{t:.2f}" for t in steps))
                browser.close()
        finally:
            stop_server(server)
    load = os.getloadavg()[0]
    print(
        f"next slide, key press to drawn: median {statistics.median(timed):.2f} s, "
        f"slowest {max(timed):.2f} s, over {len(timed)} steps "
        f"(load average {load:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
