"""Slides: how long the next slide takes to appear in the browser after a clicker's key press.

    .venv/bin/python benchmarks/slides.py                         # the bundled sample
    .venv/bin/python benchmarks/slides.py --participants 1000000  # a generated dataset

Starts `streamlit run app.py` on a free loopback port (the browser tests' harness), opens the
ready-made running order (`?meeting=auto&la=<code>`) in sealed headless Chromium at 1280 x 720
(or `--size 1920x1080`), walks it once to warm the server, then times each PageDown over the whole meeting:
from the key press to the new slide's script run finished and its chart or map drawn (the same
wait the browser tests use). Prints every step, the median and the slowest. Figures, not a test:
nothing here passes or fails. Targets (issue 10): median under 1 s with 1,000,000 participants,
under 0.5 s with the sample.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.harness import OPEN_TIMEOUT_MS, cpu_seconds, load, served, window  # noqa: E402
from tests.browser.conftest import rerun, wait_for_app  # noqa: E402
from tests.conftest import SAMPLE_DIR  # noqa: E402

COUNTER = ".ri-slide-counter"
# In the page: the time of each key press, then on every frame whether the new slide's counter is
# on screen and whether the slide is drawn (the app not running, nothing stale, every plotly chart
# or map drawn). Timed in the page, so the figures are not the harness's polling interval.
_TIMER = """
(() => {
  window.__slideTimes = [];
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'PageDown') return;
    const t0 = performance.now();
    const counter = document.querySelector('.ri-slide-counter');
    const wanted = counter ? `Slide ${parseInt(counter.textContent.split(' ')[1], 10) + 1} of` : '';
    let seen = null;
    const frame = () => {
      const now = performance.now();
      const shown = document.querySelector('.ri-slide-counter');
      if (seen === null && shown && shown.textContent.startsWith(wanted)) seen = now - t0;
      const app = document.querySelector('[data-testid="stApp"]');
      const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
      const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')];
      const drawn = charts.every((gd) => gd._fullLayout && gd.querySelector('.main-svg'));
      const stale = document.querySelector('[data-testid="stMain"] [data-stale="true"]');
      if (seen !== null && idle && drawn && !stale) {
        window.__slideTimes.push({ server: seen, drawn: now - t0 });
        return;
      }
      if (now - t0 < 120000) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, true);
})();
"""


def walk(page, slides: int, pid: int) -> list[tuple[float, float, float]]:
    """(counter, drawn, server CPU) seconds for each PageDown over the whole deck: to the new
    slide's counter on screen, to the whole slide drawn, and the CPU time the server spent."""
    page.evaluate(_TIMER)
    cpu = []
    for number in range(2, slides + 1):
        before = cpu_seconds(pid)
        rerun(page, lambda: page.keyboard.press("PageDown"))
        page.locator(COUNTER).filter(has_text=f"Slide {number} of").wait_for()
        page.wait_for_function(f"() => window.__slideTimes.length >= {number - 1}")
        cpu.append(cpu_seconds(pid) - before)
    times = page.evaluate("window.__slideTimes")
    return [(t["server"] / 1000, t["drawn"] / 1000, c) for t, c in zip(times, cpu, strict=True)]


def line(steps: list[tuple[float, float, float]]) -> str:
    return " ".join(f"{drawn:.2f}({server:.2f},{cpu:.2f})" for server, drawn, cpu in steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=0, help="0: the bundled sample")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--la", default="E08000028", help="GSS code, or all (default Sandwell)")
    parser.add_argument("--passes", type=int, default=2, help="timed walks after the warm one")
    parser.add_argument(
        "--size", default="1280x720", help="the window, WIDTHxHEIGHT (default 1280x720)"
    )
    args = parser.parse_args()
    width, _, height = args.size.partition("x")
    if not (width.isdigit() and height.isdigit()):
        parser.error(f"--size takes WIDTHxHEIGHT, such as 1920x1080, not {args.size!r}")

    with tempfile.TemporaryDirectory(prefix="bench-slides-data-") as tmp:
        if args.participants:
            from insight.sample.synthetic import write_sample

            dataset = Path(tmp) / "dataset"
            started = time.perf_counter()
            write_sample(dataset, args.participants, args.seed, fmt="parquet")
            print(
                f"dataset: {args.participants:,} participants written in "
                f"{time.perf_counter() - started:.1f} s"
            )
        else:
            dataset = SAMPLE_DIR
            print("dataset: the bundled sample")
        with served("slides", dataset) as (server, browser):
            page = window(browser, int(width), int(height))
            started = time.perf_counter()
            page.goto(f"{server.url}/?meeting=auto&la={args.la}")
            wait_for_app(page, timeout=OPEN_TIMEOUT_MS)
            total = int(page.locator(COUNTER).inner_text().rsplit(" ", 1)[-1])
            print(
                f"first slide drawn {time.perf_counter() - started:.2f} s after opening "
                f"the link (dataset opened by the server meanwhile); {total} slides"
            )
            warm = walk(page, total, server.proc.pid)
            print(
                "seconds to the next slide drawn (to its counter on screen, "
                "server CPU seconds for the step):"
            )
            print("warm-up walk: " + line(warm))
            timed: list[tuple[float, float, float]] = []
            for n in range(args.passes):
                page.goto(f"{server.url}/slides?meeting=auto&la={args.la}&slide=1")
                wait_for_app(page, timeout=OPEN_TIMEOUT_MS)
                steps = walk(page, total, server.proc.pid)
                timed.extend(steps)
                print(f"pass {n + 1}:       " + line(steps))
    drawn = [d for _, d, _ in timed]
    shown = [s for s, _, _ in timed]
    cpu = [c for _, _, c in timed]
    print(
        f"next slide, key press to drawn: median {statistics.median(drawn):.2f} s, slowest "
        f"{max(drawn):.2f} s; to its counter on screen: median {statistics.median(shown):.2f}"
        f" s; server CPU a step: median {statistics.median(cpu):.2f} s; {len(timed)} steps "
        f"at {args.size} ({load()})"
    )


if __name__ == "__main__":
    main()
