"""`python benchmarks/handout.py [--la CODE] [--runs N]`: how long the meeting's handouts take on
the bundled sample (issue 25's targets: within 5 s each).

Loads the sample once (not timed), then times, wall-clock and CPU, each of:
- the ready-made 9-slide meeting for one LA as a PowerPoint deck (its map drawn by Kaleido);
- the same slides as a PDF (every chart an image, one Kaleido browser);
- the two-page LA summary (its hotspot map drawn by Kaleido).
Each build starts its own Kaleido browser, as a click on the page or the command line does.
The first run of each is cold (tables built for the first time); later runs show the rest.
Then each once more without images (--images off is what a machine without Chromium gets), so
the Python share of the time can be told from the browser's; the browser's share grows with
the machine's load (`uptime` is printed with the figures).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--la", default="E07000236", help="GSS code (default Redditch)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    from insight.intake.load import load_dataset
    from insight.outputs import meetings
    from insight.outputs.deck import build_deck
    from insight.outputs.slides_pdf import build_slides_pdf
    from insight.outputs.summary import build_summary

    ds = load_dataset(ROOT / "sample_data")
    items = meetings.ready_made(ds, args.la)
    jobs = {
        f"deck, {len(items)} slides (.pptx)": lambda: build_deck(ds, items),
        f"slides as PDF, {len(items)} pages": lambda: build_slides_pdf(ds, items),
        "LA summary, 2 pages (PDF)": lambda: build_summary(ds, args.la, partners=[]),
        "deck, no images": lambda: build_deck(ds, items, images=False),
        "slides as PDF, no images": lambda: build_slides_pdf(ds, items, images=False),
        "LA summary, no images": lambda: build_summary(ds, args.la, partners=[], images=False),
    }
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"{'handout':<32} {'run':>3} {'wall s':>7} {'cpu s':>6} {'bytes':>10} images")
    for name, job in jobs.items():
        for run in range(1, (1 if "no images" in name else args.runs) + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            built = job()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(
                f"{name:<32} {run:>3} {wall:>7.2f} {cpu:>6.2f} {len(built.data):>10,} {built.images}"
            )


if __name__ == "__main__":
    main()
