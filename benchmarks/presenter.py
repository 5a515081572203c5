"""Presenter view: how long the audience window takes to show the slide after the presenter's key
press in the presenter view, and what following costs the server.

    .venv/bin/python benchmarks/presenter.py                  # 11-slide meeting, then 20 followers
    .venv/bin/python benchmarks/presenter.py --followers 0    # the two windows only
    .venv/bin/python benchmarks/presenter.py --cpu-only --followers 20 --moves 30

--cpu-only: no Chromium. The followers alone (websockets, as below), the meeting's slide moved
--moves times through the store by this process (as the presenter's window does: live.move on
the same state folder), each move waiting until every follower has received its new slide (at
most MISS_S); prints the server CPU per move and per follower's redraw, the idle looks taken out.
A paired before/after figure for the server's work per follower, which load on the machine
barely moves.

Starts `streamlit run app.py` on a free loopback port on the bundled sample (benchmarks/harness.py),
opens the ready-made meeting (11 slides) in sealed headless Chromium twice, as two browser
contexts (two sessions):
the presenter view at 1366 x 768 and the audience window at 1280 x 720. Walks the meeting once to
warm the server, then times each PageDown pressed in the presenter view: from the key press to
the audience window showing the new slide's counter with its chart drawn (both times read from
the same machine's clock in the pages). Then the same walk with --followers more people following
the meeting: websocket sessions speaking Streamlit's protocol as a browser does (the slides page,
then the follow fragment's automatic reruns every POLL_S seconds, as the browser's timer sends
them, and the click on the slide fragment's hidden button that the page's script makes when the
watcher asks for the slide), each noting when its new slide's counter arrives. Also what a
follower costs the server while nothing moves (server CPU seconds per look at the store), the
slides a follower never received (skipped: a later one came first), and the windows' browser
errors. Figures, not a test; the followers' websockets close before the server stops.
Targets (issue 24): median within 0.5 s alone, within 1 s with 20 followers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from benchmarks.harness import OPEN_TIMEOUT_MS, cpu_seconds, load, served, window  # noqa: E402
from components.presenter import POLL_S, SYNC_KEY  # noqa: E402
from tests.browser.conftest import wait_for_app  # noqa: E402
from tests.conftest import SAMPLE_DIR  # noqa: E402

COUNTER = ".ri-slide-counter"
STEP_TIMEOUT_MS = 30_000
# In the audience window: every 5 ms, when the counter first shows the wanted slide with every
# chart drawn, note the time (Date.now: the same clock as the presenter
# view's key press).
_WATCH = """(wanted) => {
  window.__riShown = null;
  clearInterval(window.__riTimer);
  window.__riTimer = setInterval(() => {  // not requestAnimationFrame: a window not in front
    const shown = document.querySelector('.ri-slide-counter');
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')];
    const drawn = charts.every((gd) => gd._fullLayout && gd.querySelector('.main-svg'));
    if (shown && shown.textContent.includes(wanted) && drawn) {
      window.__riShown = Date.now();
      clearInterval(window.__riTimer);
    }
  }, 5);
}"""
_PRESS = """() => {
  window.__riPressed = null;
  document.addEventListener('keydown', () => { window.__riPressed = Date.now(); },
                            { once: true, capture: true });
}"""


class Follower:
    """One person following the meeting over a websocket, as the browser does: the slides page,
    the watcher fragment's automatic reruns every POLL_S seconds, and, when the watcher asks for
    the slide's redraw (a marker with a new number), the click on the slide fragment's hidden
    button that the page's script makes (components.slides.keys)."""

    def __init__(self, url: str, query: str) -> None:
        self.url, self.query = url, query
        self.page_hash = ""
        self.fragment = ""  # the watcher's (the automatic reruns')
        self.sync: tuple[str, str] | None = None  # the hidden button's widget id and fragment
        self.asked = "0"  # the last redraw asked for and answered (0: none yet)
        self.slides: list[tuple[str, float]] = []  # (counter text, when it arrived: time.time())
        self.looks = 0  # script runs finished (the watcher's, and the slide's redraws)
        self.errors: list[str] = []

    def _first(self) -> bytes:
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_name = "slides"
        return msg.SerializeToString()

    def _look(self) -> bytes:
        msg = BackMsg()
        rerun_ = msg.rerun_script
        rerun_.query_string = self.query
        rerun_.page_script_hash = self.page_hash
        rerun_.fragment_id = self.fragment
        rerun_.is_auto_rerun = True
        return msg.SerializeToString()

    def _click_sync(self) -> bytes:
        assert self.sync is not None
        widget, fragment = self.sync
        msg = BackMsg()
        rerun_ = msg.rerun_script
        rerun_.query_string = self.query
        rerun_.page_script_hash = self.page_hash
        rerun_.fragment_id = fragment
        rerun_.widget_states.widgets.add(id=widget, trigger_value=True)
        return msg.SerializeToString()

    async def _read(self, ws) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await ws.recv())
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    self.page_hash = msg.new_session.page_script_hash or self.page_hash
                elif kind == "auto_rerun":
                    self.fragment = msg.auto_rerun.fragment_id
                elif kind == "script_finished":
                    self.looks += 1
                elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    await self._element(ws, msg)

    async def _element(self, ws, msg: ForwardMsg) -> None:
        element = msg.delta.new_element
        which = element.WhichOneof("type")
        if which == "button" and SYNC_KEY in element.button.id:
            self.sync = (element.button.id, msg.delta.fragment_id)
        elif which == "html":
            body = element.html.body
            if 'class="ri-slide-counter"' in body:
                text = body.split(">Slide ", 1)[1].split("<", 1)[0]
                self.slides.append((text, time.time()))
            elif 'class="ri-follow"' in body and self.sync is not None:
                ask = body.split('data-ask="', 1)[1].split('"', 1)[0]
                if ask != self.asked:
                    self.asked = ask
                    await ws.send(self._click_sync())

    async def run(self, stop: threading.Event) -> None:
        try:
            async with connect(
                f"{self.url.replace('http', 'ws')}/_stcore/stream", max_size=None
            ) as ws:
                await ws.send(self._first())
                reader = asyncio.create_task(self._read(ws))
                while not stop.is_set() and not reader.done():
                    await asyncio.sleep(POLL_S)
                    if self.fragment and self.page_hash:
                        await ws.send(self._look())
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
        except Exception as exc:  # noqa: BLE001 - a failed follower is a figure to report
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def arrived(self, text: str, after: float) -> float | None:
        return next((t for s, t in self.slides if s == text and t >= after), None)


def start_followers(
    n: int, url: str, query: str
) -> tuple[list[Follower], threading.Event, threading.Thread]:
    """`n` followers in a thread of their own; set the event, then join the thread, to close
    every websocket before the server stops (else each connection's end is an error)."""
    followers = [Follower(url, query) for _ in range(n)]
    stop = threading.Event()

    def main() -> None:
        async def everyone() -> None:
            await asyncio.gather(*(f.run(stop) for f in followers))

        asyncio.run(everyone())

    thread = threading.Thread(target=main, name="followers", daemon=True)
    thread.start()
    return followers, stop, thread


def walk(presenter, audience, total: int, leftovers: list[int]) -> list[tuple[float, float]]:
    """(key press time, audience shown time) for each PageDown over the deck, seconds since the
    epoch; the presenter view shows the slide before the next press. `leftovers` gets, for each
    step, how many slide counters beyond one the audience window holds (a slide left behind)."""
    steps = []
    for number in range(2, total + 1):
        presenter.evaluate(_PRESS)
        audience.evaluate(_WATCH, f"Slide {number} of")
        presenter.keyboard.press("PageDown")
        try:
            audience.wait_for_function(
                "() => window.__riShown !== null", polling=50, timeout=STEP_TIMEOUT_MS
            )
        except PlaywrightTimeout:
            print(
                f"slide {number}: not shown after {STEP_TIMEOUT_MS // 1000} s: audience "
                f"{audience.locator(COUNTER).all_inner_texts()}, presenter "
                f"{presenter.locator(COUNTER).all_inner_texts()}"
            )
            raise
        _settled(presenter, f"Slide {number} of")
        leftovers.append(audience.locator(COUNTER).count() - 1)
        steps.append(
            (
                presenter.evaluate("window.__riPressed") / 1000,
                audience.evaluate("window.__riShown") / 1000,
            )
        )
    return steps


def _settled(presenter, wanted: str) -> None:
    """The presenter view shows the slide too (its slide's fragment has run), so the next key
    press is not given to the buttons of the slide before."""
    presenter.wait_for_function(
        "(wanted) => [...document.querySelectorAll('.ri-slide-counter')]"
        ".some((e) => e.textContent.includes(wanted))",
        arg=wanted,
        polling=50,
    )


def home(presenter, audience) -> None:
    audience.evaluate(_WATCH, "Slide 1 of")
    presenter.keyboard.press("Home")
    audience.wait_for_function("() => window.__riShown !== null", polling=50)
    _settled(presenter, "Slide 1 of")


def _per_move(moving: tuple[float, float], idle: float, moves: int, who: str) -> str:
    """Server CPU a move costs: what the walk spent beyond looking (the idle rate), per move."""
    spent, elapsed = moving
    return (
        f"server CPU per move with {who}: {1000 * max(0.0, spent - idle * elapsed) / moves:.0f} ms "
        f"({spent:.2f} s over {elapsed:.1f} s for {moves} moves, looks taken out)"
    )


def summary(name: str, delays: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(delays):.2f} s, slowest {max(delays):.2f} s "
        f"({len(delays)} steps)"
    )


def cpu_only(args) -> None:
    """Server CPU per move and per follower, without a browser (see the module's docstring)."""
    import tempfile

    from tests.browser.conftest import start_server, stop_server

    query = f"meeting=auto&la={args.la}&period=whole"
    with tempfile.TemporaryDirectory(prefix="bench-presenter-cpu-") as tmp:
        work = Path(tmp)
        (work / "state").mkdir()
        (work / "logs").mkdir()
        server = start_server("presenter-cpu", SAMPLE_DIR, work / "state", work / "logs")
        os.environ["INSIGHT_STATE_DIR"] = str(work / "state")  # this process moves the slides
        from insight.sharing import live
        from insight.sharing.access import LOCAL

        meeting = live.meeting_key("auto", args.la, "whole")
        followers, stop, thread = start_followers(args.followers, server.url, query)
        try:
            _cpu_moves(args, server.proc.pid, followers, live, LOCAL, meeting)
        finally:
            stop.set()
            thread.join(timeout=10)
            stop_server(server)
    errors = [e for f in followers for e in f.errors]
    if errors:
        print(f"follower errors ({len(errors)}): " + "; ".join(errors[:5]))
    print(load())


def _cpu_moves(args, pid: int, followers: list[Follower], live, by, meeting: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not all(f.fragment and f.slides for f in followers):
        time.sleep(0.2)
    ready = sum(1 for f in followers if f.fragment and f.slides)
    total = int(followers[0].slides[-1][0].rsplit(" ", 1)[-1])
    print(f"{ready} of {args.followers} followers connected; {total} slides; poll {POLL_S} s")
    _settle(pid)
    print(f"load average at the start {os.getloadavg()[0]:.1f}")
    # Warm: one walk over the deck (every slide's figure made once, as in a real meeting).
    for n in [*range(1, total), 0]:
        _move_and_wait(live, by, meeting, total, n, followers, [])
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(args.idle)
    idle = (cpu_seconds(pid) - cpu0) / (time.monotonic() - t0)
    print(f"server CPU while nothing moves: {idle:.3f} s/s")
    waits: list[float] = []
    missed: list[int] = []
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    for i in range(args.moves):
        to = (i + 1) % total
        waits.append(_move_and_wait(live, by, meeting, total, to, followers, missed))
    spent, elapsed = cpu_seconds(pid) - cpu0, time.monotonic() - t0
    per_move = max(0.0, spent - idle * elapsed) / args.moves
    print(
        f"server CPU per move: {1000 * per_move:.0f} ms, per follower "
        f"{1000 * per_move / max(ready, 1):.1f} ms ({spent:.2f} s over {elapsed:.1f} s for "
        f"{args.moves} moves, idle looks taken out)"
    )
    print(summary("move to the last follower's counter", waits))
    print(f"follower-moves not received within {MISS_S:.0f} s: {sum(missed)}")


MISS_S = 5.0
SETTLED = 0.5  # server CPU s/s below which 20 idle followers leave it (0.2 measured)


def _settle(pid: int) -> None:
    """Wait until the server's start-up work (app.py warms its caches in a thread) is over: two
    3-second windows in a row under SETTLED s/s of CPU, else after 3 minutes say so. Without
    this, the warming thread's CPU counts as the followers' on a busy machine."""
    calm, deadline = 0, time.monotonic() + 180
    while calm < 2 and time.monotonic() < deadline:
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        time.sleep(3)
        rate = (cpu_seconds(pid) - cpu0) / (time.monotonic() - t0)
        calm = calm + 1 if rate < SETTLED else 0
    if calm < 2:
        print(f"the server's CPU did not settle under {SETTLED} s/s in 3 minutes")


def _move_and_wait(
    live, by, meeting: str, total: int, to: int, followers: list[Follower], missed: list[int]
) -> float:
    """Move the slide through the store; seconds until every follower received it (at most
    MISS_S: the followers still without it then count in `missed`)."""
    t0 = time.time()
    live.move(meeting, by.user, by, total=total, to=to)
    wanted = f"{to + 1} of {total}"
    deadline = time.monotonic() + MISS_S
    while True:
        got = [f.arrived(wanted, t0) for f in followers]
        if all(g is not None for g in got) or time.monotonic() > deadline:
            missed.append(sum(1 for g in got if g is None))
            return max((g for g in got if g is not None), default=t0 + MISS_S) - t0
        time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--la", default="E08000028", help="GSS code, or all (default Sandwell)")
    parser.add_argument("--followers", type=int, default=20)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds to measure polling")
    parser.add_argument("--cpu-only", action="store_true", help="followers only, no Chromium")
    parser.add_argument("--moves", type=int, default=30, help="moves, with --cpu-only")
    args = parser.parse_args()
    if args.cpu_only:
        cpu_only(args)
        return

    query = f"meeting=auto&la={args.la}&period=whole"
    with served("presenter", SAMPLE_DIR) as (server, browser):
        pid = server.proc.pid
        errors: list[str] = []
        audience = window(browser, 1280, 720, errors)
        presenter = window(browser, 1366, 768, errors)
        audience.goto(f"{server.url}/slides?{query}&slide=1")
        wait_for_app(audience, timeout=OPEN_TIMEOUT_MS)
        presenter.goto(f"{server.url}/slides?{query}&view=presenter")
        wait_for_app(presenter, timeout=OPEN_TIMEOUT_MS)
        try:
            total = int(audience.locator(COUNTER).inner_text().rsplit(" ", 1)[-1])
            print(f"dataset: the bundled sample; {total} slides; follow poll {POLL_S} s")
            print(f"load average at the start {os.getloadavg()[0]:.1f}")
            leftovers: list[int] = []
            walk(presenter, audience, total, leftovers)  # warm-up
            home(presenter, audience)
            cpu0, t0 = cpu_seconds(pid), time.monotonic()
            alone = [b - a for a, b in walk(presenter, audience, total, leftovers)]
            moving = (cpu_seconds(pid) - cpu0, time.monotonic() - t0)
            print("key press to audience shown, s: " + " ".join(f"{d:.2f}" for d in alone))
            print(summary("two windows", alone))
            home(presenter, audience)

            cpu0, t0 = cpu_seconds(pid), time.monotonic()
            time.sleep(args.idle)
            idle_cpu = (cpu_seconds(pid) - cpu0) / (time.monotonic() - t0)
            print(f"server CPU while the two windows follow, nothing moving: {idle_cpu:.3f} s/s")
            print(_per_move(moving, idle_cpu, total - 1, "two windows"))
            if args.followers:
                _crowd(args, server, presenter, audience, total, query, leftovers)
            print(f"slides left behind in the audience window: {sum(leftovers)}")
        finally:
            print(f"browser errors in the two windows: {len(errors)}")
            for text in sorted(set(errors))[:3]:
                print(f"  {text[:300]}")
    print(load())


def _crowd(args, server, presenter, audience, total: int, query: str, leftovers: list[int]) -> None:
    """The walk again with --followers more people following; their websockets closed before
    the server stops."""
    pid = server.proc.pid
    followers, stop, thread = start_followers(args.followers, server.url, query)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not all(f.fragment and f.slides for f in followers):
            time.sleep(0.2)
        ready = sum(1 for f in followers if f.fragment and f.slides)
        looks0 = sum(f.looks for f in followers)
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        time.sleep(args.idle)
        spent = cpu_seconds(pid) - cpu0
        looks = sum(f.looks for f in followers) - looks0
        elapsed = time.monotonic() - t0
        print(
            f"{ready} of {args.followers} followers connected; while nothing moves: "
            f"{looks / elapsed:.0f} looks/s, server CPU {spent / elapsed:.3f} s/s, "
            f"{1000 * (spent / max(looks, 1)):.2f} ms CPU per look (two windows' share included)"
        )
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        steps = walk(presenter, audience, total, leftovers)
        moving = (cpu_seconds(pid) - cpu0, time.monotonic() - t0)
        print(_per_move(moving, spent / elapsed, total - 1, f"{ready} followers"))
        crowd = [b - a for a, b in steps]
        print(summary(f"audience window with {ready} followers", crowd))
        reached = []
        for number, (pressed, _shown) in zip(range(2, total + 1), steps, strict=True):
            for f in followers:
                got = f.arrived(f"{number} of {total}", pressed)
                if got is not None:
                    reached.append(got - pressed)
        if reached:
            print(summary("followers (counter received, not drawn)", reached))
        missed = sum(
            1
            for number in range(2, total + 1)
            for f in followers
            if f.arrived(f"{number} of {total}", steps[0][0]) is None
        )
        print(f"slides a follower never received: {missed}")
    finally:
        stop.set()
        thread.join(timeout=10)
    errors = [e for f in followers for e in f.errors]
    if errors:
        print(f"follower errors ({len(errors)}): " + "; ".join(errors[:5]))


if __name__ == "__main__":
    main()
