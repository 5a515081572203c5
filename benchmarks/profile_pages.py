"""Where a rerun's server time goes, page by page (issue 31): a sampling profiler's view of the
reruns of each chart page, as a table of shares by kind of work. A benchmark: it prints figures.

    .venv/bin/python benchmarks/profile_pages.py                      # the sample, standard mode
    .venv/bin/python benchmarks/profile_pages.py --mode presenter --reruns 12
    .venv/bin/python benchmarks/profile_pages.py --page participants/locations.py --top 25

Each chart page is opened through app.py with Streamlit's AppTest (the script run and every
element marshalled into its message, as on the server, without the websocket), once to warm it,
then rerun --reruns times changing the LA and the period in turn, as benchmarks/concurrency.py's
sessions do. Meanwhile a thread samples the script's stack every --interval seconds and puts
each sample in one bucket, by the innermost frame that names a kind of work:

    measures     insight/numbers/measure.py (counting), and pandas under it
    disclosure   insight/numbers/disclosure, safe_table, certainty, tables
    narrative    insight/numbers/narrative, presenter_text, talking points
    context      the official context: insight/numbers/place.py, components/place.py
    plotly       building plotly figures: insight/outputs/figures.py, mapdata, plotly's objects
    folium       folium, branca and jinja2 (the Leaflet map's HTML)
    pydeck       pydeck (the deck.gl map's JSON)
    serialise    turning elements into messages: plotly.io.to_json, a figure's to_dict, Arrow for
                 tables, protobuf and the message hash
    cache copy   st.cache_data's copy of a cached value (a pickle round trip on every hit)
    streamlit    the rest of Streamlit's script run (widgets, session state, navigation)
    app          app.py and components/ (the frame, sidebar, banner, cards, controls)
    other        anything else (the store, the review gate, the standard library)

Sending the bytes over the websocket is not in it (benchmarks/concurrency.py measures the
whole: script run, serialising and sending, per rerun and in server CPU-seconds).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUCKETS = (
    "measures",
    "disclosure",
    "narrative",
    "context",
    "plotly",
    "folium",
    "pydeck",
    "serialise",
    "cache copy",
    "streamlit",
    "app",
    "other",
)

# (a piece of a frame's file path, its function name or "" for any, the bucket): the first rule a
# frame matches names its bucket; frames are looked at from the innermost outwards, and a frame
# no rule names (pandas, numpy, the standard library) passes the sample on to its caller.
RULES: tuple[tuple[str, str, str], ...] = (
    ("/plotly/io/", "", "serialise"),
    ("/plotly/basedatatypes.py", "to_dict", "serialise"),
    ("/plotly/basedatatypes.py", "to_plotly_json", "serialise"),
    ("/google/protobuf/", "", "serialise"),
    ("/streamlit/runtime/forward_msg_cache.py", "", "serialise"),
    ("/streamlit/dataframe_util.py", "", "serialise"),
    ("/streamlit/elements/lib/pandas_styler_utils.py", "", "serialise"),
    ("/streamlit/elements/arrow.py", "", "serialise"),
    ("/streamlit/elements/plotly_chart.py", "", "serialise"),
    ("/streamlit/elements/deck_gl_json_chart.py", "", "serialise"),
    ("/streamlit/runtime/caching/", "", "cache copy"),
    ("/folium/", "", "folium"),
    ("/branca/", "", "folium"),
    ("/jinja2/", "", "folium"),
    ("/streamlit_folium/", "", "folium"),
    ("/components/maps_folium.py", "", "folium"),
    ("/pydeck/", "", "pydeck"),
    ("/components/maps_deck.py", "", "pydeck"),
    ("/insight/numbers/measure.py", "", "measures"),
    ("/insight/numbers/narrative.py", "", "narrative"),
    ("/insight/numbers/presenter_text.py", "", "narrative"),
    ("/insight/numbers/tables.py", "talking_points", "narrative"),
    ("/insight/numbers/place.py", "", "context"),
    ("/components/place.py", "", "context"),
    ("/insight/numbers/", "", "disclosure"),
    ("/insight/outputs/figures.py", "", "plotly"),
    ("/insight/outputs/mapdata.py", "", "plotly"),
    ("/components/maps_plotly.py", "", "plotly"),
    ("/_plotly_utils/", "", "plotly"),
    ("/plotly/", "", "plotly"),
    ("/streamlit/", "", "streamlit"),
    ("/components/", "", "app"),
    (str(ROOT / "app.py"), "", "app"),
)


def bucket(frame) -> str:
    """The bucket of one sampled stack (its innermost frame first)."""
    while frame is not None:
        path, name = frame.f_code.co_filename, frame.f_code.co_name
        for piece, function, found in RULES:
            if piece in path and (not function or function == name):
                return found
        frame = frame.f_back
    return "other"


class Sampler:
    """Samples every thread but its own (AppTest runs the script on a thread of its own) every
    `interval` seconds while `on` is set, counting buckets."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.counts: Counter[str] = Counter()
        self.functions: Counter[str] = Counter()
        self.on = threading.Event()
        self.stop = threading.Event()
        self.main = threading.get_ident()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        me = threading.get_ident()
        while not self.stop.is_set():
            if self.on.is_set():
                for ident, frame in sys._current_frames().items():  # noqa: SLF001 - a profiler
                    if ident == me or not hasattr(frame, "f_code") or _idle(frame):
                        continue
                    found = bucket(frame)
                    self.counts[found] += 1
                    self.functions[f"{found}: {_ours(frame)}"] += 1
            time.sleep(self.interval)


def _idle(frame) -> bool:
    """The main thread waiting for the script thread (AppTest's own wait), not working; or a
    stack that is not a frame chain (seen: a thread's entry read as a dict mid-switch)."""
    if "/streamlit/testing/" in frame.f_code.co_filename:
        return True
    while frame is not None:
        code = getattr(frame, "f_code", None)
        if code is None or code.co_name in ("wait", "join", "_wait_for_tstate_lock"):
            return True
        frame = frame.f_back
    return False


def _ours(frame) -> str:
    """The innermost frame of the app's own code (insight/, components/, pages/, app.py)."""
    while frame is not None:
        path = frame.f_code.co_filename
        if path.startswith(str(ROOT)) and "/.venv/" not in path and "/benchmarks/" not in path:
            return f"{_short(path)}:{frame.f_code.co_name}:{frame.f_lineno}"
        frame = frame.f_back
    return "(no app frame)"


def _short(path: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=ROOT / "sample_data")
    parser.add_argument("--mode", choices=("standard", "presenter"), default="standard")
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.002, help="sampling interval (s)")
    parser.add_argument("--page", action="append", help="only these pages (path under pages/)")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="no sampling: the process's CPU-seconds per rerun instead (less sensitive to a "
        "busy machine than the times)",
    )
    parser.add_argument(
        "--top",
        type=int,
        default=0,
        help="also list the N busiest functions (selections new to the process)",
    )
    args = parser.parse_args()
    if args.cpu and args.top:
        parser.error("--top needs the sampler, which --cpu leaves off: give one or the other")

    os.environ["INSIGHT_DATASET"] = str(args.dataset)
    os.environ.setdefault("INSIGHT_STATE_DIR", tempfile.mkdtemp(prefix="profile-state-"))
    os.environ.setdefault("INSIGHT_LOCAL_USER", "1")  # the owner on this machine, as make run

    from streamlit.testing.v1 import AppTest

    from components.controls import LA_KEY, MODE_KEY, PERIOD_KEY
    from components.navigation import CHART_SECTIONS, PAGES

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )
    sampler = Sampler(args.interval)
    if not args.cpu:
        sampler.thread.start()
    chart_pages = [
        spec.path for spec in PAGES if spec.section in CHART_SECTIONS and args.mode in spec.modes
    ]
    wanted = {name.removeprefix("pages/").removesuffix(".py") for name in args.page or ()}
    pages = [
        page
        for page in chart_pages
        if not wanted or {page.removeprefix("pages/").removesuffix(".py"), Path(page).stem} & wanted
    ]
    if not pages:
        names = ", ".join(Path(page).stem for page in chart_pages)
        parser.error(f"no chart page is called {', '.join(sorted(wanted))}; the pages: {names}")
    rows: dict[bool, list] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    for page in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        if args.mode == "presenter":
            at.session_state[MODE_KEY] = "presenter"
        at.run()
        at.switch_page(page).run()
        n_las = min(6, len(at.selectbox(key=LA_KEY).options))
        n_periods = min(4, len(at.selectbox(key=PERIOD_KEY).options))
        # the sequence starts from the first LA and period, so the second pass repeats the first
        at.selectbox(key=LA_KEY).select_index(0)
        at.selectbox(key=PERIOD_KEY).select_index(0)
        at.run()
        for seen in (False, True):  # new selections, then the same ones again
            sampler.counts.clear()
            if not seen:
                before = dict(sampler.functions)
            times = []
            cpu0 = time.process_time()
            for i in range(args.reruns):
                if i % 2 == 0:
                    at.selectbox(key=LA_KEY).select_index((i // 2 + 1) % n_las)
                else:
                    at.selectbox(key=PERIOD_KEY).select_index((i // 2 + 1) % n_periods)
                sampler.on.set()
                t0 = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - t0)
                sampler.on.clear()
                if at.exception:
                    print(f"  {page}: exception {at.exception[0].message[:200]}")
            counts = dict(sampler.counts)
            cpu[seen].append((time.process_time() - cpu0) / args.reruns)
            if not seen:
                fresh = Counter({k: v - before.get(k, 0) for k, v in sampler.functions.items()})
            rows[seen].append(
                (
                    page.removeprefix("pages/"),
                    statistics.median(times),
                    counts,
                    sum(counts.values()) or 1,
                )
            )
        if args.top:
            print(f"\n{page}: busiest innermost functions, selections new to the process (samples)")
            for name, n in fresh.most_common(args.top):
                print(f"  {n:6d}  {name}")
    sampler.stop.set()
    if args.cpu:
        print(f"\n{args.mode} mode, {args.reruns} reruns a page: CPU-seconds per rerun (process)")
        print(f"{'page':<34} {'new selections':>15} {'the same again':>15}")
        for n, (page, *_rest) in enumerate(rows[False]):
            print(f"{page:<34} {cpu[False][n]:>15.3f} {cpu[True][n]:>15.3f}")
        print(
            f"{'mean of the pages':<34} {statistics.mean(cpu[False]):>15.3f} "
            f"{statistics.mean(cpu[True]):>15.3f}"
        )
        return
    for seen, title in ((False, "selections new to the process"), (True, "the same again")):
        mine = rows[seen]
        shown = [b for b in BUCKETS if any(r[2].get(b) for r in mine)]
        head = f"{'page':<34} {'median s':>8} " + " ".join(f"{b[:10]:>10}" for b in shown)
        print(f"\n{args.mode} mode, {args.reruns} reruns a page, {title}: share of the rerun time")
        print(head)
        print("-" * len(head))
        for page, median, counts, total in mine:
            cells = " ".join(f"{100 * counts.get(b, 0) / total:>9.0f}%" for b in shown)
            print(f"{page:<34} {median:>8.3f} {cells}")


if __name__ == "__main__":
    main()
