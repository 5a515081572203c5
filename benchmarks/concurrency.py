"""Many people at once: one server on the bundled sample, 20 sessions for 60 seconds, each changing
the area and the period again and again; errors and rerun times, as a table.

    .venv/bin/python benchmarks/concurrency.py            # make bench-load
    .venv/bin/python benchmarks/concurrency.py --sessions 20 --seconds 60 --think 0

Why websocket sessions and not 20 browser pages: on a 2-core machine, 20 Chromium pages drawing
plotly and deck.gl in software would measure the browsers fighting the server for the CPU, not
the app. Each session here speaks Streamlit's own protocol on /_stcore/stream exactly as the
browser does (a BackMsg rerun_script with the sidebar's widget states, found in the first run's
deltas), and a rerun's time is from sending the change to the server's script_finished message:
the whole script run, every element serialised and sent. Drawing in the browser comes on top
(the browser tests wait for it). Sessions are spread over the chart pages in standard mode.

Each session waits a "think time" between changes (default 1 to 3 seconds, as a person clicking
through a meeting); --think 0 makes it a stress test. Everything is bounded: the run stops after
--seconds, each rerun times out after --timeout seconds, and the server is stopped at the end.
Only 127.0.0.1 is contacted.

One hostile client beside the ordinary visitors (issue 30: 5 sessions at 4 reruns a second held
another visitor's page for 90 s):

    .venv/bin/python benchmarks/concurrency.py --sessions 1 --hostile 5 --seconds 30
    .venv/bin/python benchmarks/concurrency.py --sessions 1 --hostile 5 --seconds 30 --no-limits

--hostile N opens N more sessions from one client that each send a rerun every 1/--hostile-rate
seconds without waiting for the last to finish; the table is the ordinary visitors' reruns only,
and a line counts what the hostile client sent, had run, and had refused by the rerun limit
(insight.sharing.throttle). With --hostile every session comes as through a reverse proxy on this
machine, each ordinary session with an X-Forwarded-For address of its own and the hostile ones
with one between them, so the limit tells the people apart (all are then viewers, in presenter
mode); --no-limits lifts the server's limits: the "before". Without --hostile the sessions come
from this machine as before (the local user, standard mode) and the limits are lifted, so the
figures measure the pages alone.

Through the proxy (issue 27), sized for a provider: Debian's nginx with deploy/nginx's
configuration (tests/browser/proxy.py) in front of --processes app processes, then the same in
front of one, in one run, side by side, with the ratio:

    .venv/bin/python benchmarks/concurrency.py --via-proxy --sessions 60 --seconds 60

Each session has a route cookie of its own, as each browser gets one from nginx, so the sessions
spread over the processes as people would (the table says how many each process had). Through
the proxy every session is a visitor without sign-in, so a viewer in presenter mode (the app
treats a proxied request so): both runs measure the same pages. The processes share one store:
INSIGHT_DATABASE_URL when set; else, where Debian's postgresql is installed, a new database in a
throwaway cluster (tests/pg.py), its schema made before the processes start, as a provider's
service runs; else one SQLite file. The machine's load average is printed beside the figures:
the host may be shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from components.navigation import CHART_SECTIONS  # noqa: E402
from components.navigation import PAGES as REGISTRY  # noqa: E402
from insight.sharing.turns import TURN_ENV, lease_from_env  # noqa: E402

# url paths of the chart pages, from the app's page registry; the default page (Overview) is at ""
# as in the browser.
PAGES = tuple(
    "" if spec is REGISTRY[0] else spec.url_path
    for spec in REGISTRY
    if spec.section in CHART_SECTIONS and "standard" in spec.modes
)
# Issue 31's targets: p95 by the number of sessions on one process (standard mode, the sample).
TARGETS_P95_S = {20: 1.0, 40: 2.0}
TARGET_CPU_PER_RUN_S = 0.06  # server CPU-seconds per script run (issue 31)


@dataclass
class Session:
    """One person's session: its page, the sidebar widgets and what happened."""

    page: str
    page_hash: str = ""
    widgets: dict[str, tuple[str, list[str]]] = field(
        default_factory=dict
    )  # label -> (id, options)
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    route: str = ""  # through the proxy: the session's route cookie (deploy/nginx/upstream.conf)


def _rerun(session: Session, values: dict[str, str] | None = None, query: str = "") -> bytes:
    msg = BackMsg()
    rerun = msg.rerun_script
    rerun.query_string = query
    if session.page_hash:
        rerun.page_script_hash = session.page_hash
    else:
        rerun.page_name = session.page  # the first run finds the page by its url path
    for label, value in (values or {}).items():
        widget = rerun.widget_states.widgets.add()
        widget.id = session.widgets[label][0]
        widget.string_value = value
    return msg.SerializeToString()


async def _run(ws, session: Session, payload: bytes, timeout: float) -> float:
    """Send one rerun; read until script_finished; note sidebar widgets and exceptions."""
    start = time.perf_counter()
    await ws.send(payload)
    async with asyncio.timeout(timeout):
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "navigation" and not session.page_hash:
                session.page_hash = msg.navigation.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "selectbox":
                    box = element.selectbox
                    session.widgets[box.label] = (box.id, list(box.options))
                elif element.WhichOneof("type") == "exception":
                    session.errors.append(
                        f"{session.page or 'overview'}: {element.exception.message[:120]}"
                    )
            elif kind == "page_not_found":
                session.errors.append(f"{session.page or 'overview'}: page not found")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    session.errors.append(
                        f"{session.page or 'overview'}: script finished with status {status}"
                    )
                return time.perf_counter() - start


# Documentation addresses (RFC 5737), only ever written in a header: each ordinary session is a
# person of their own, the hostile sessions one client.
ORDINARY_CLIENTS = "198.51.100.{}"
HOSTILE_CLIENT = "203.0.113.66"


def _stream(url: str, client: str | None, route: str = ""):
    """A websocket to the app: from this machine, or for `client` as through a reverse proxy on
    this machine; with `route`, the route cookie nginx chooses the app process by."""
    headers = {"X-Forwarded-For": client} if client else {}
    if route:
        from tests.browser.proxy import ROUTE

        headers["Cookie"] = f"{ROUTE}={route}"
    return connect(
        f"{url.replace('http', 'ws')}/_stcore/stream",
        max_size=None,
        additional_headers=headers or None,
    )


async def person(
    url: str,
    session: Session,
    until: float,
    think: tuple[float, float],
    timeout: float,
    seed: int,
    proxied: bool = False,
) -> None:
    rng = random.Random(seed)
    client = ORDINARY_CLIENTS.format(seed % 250 + 1) if proxied else None
    try:
        async with _stream(url, client, session.route) as ws:
            await _run(ws, session, _rerun(session), timeout)  # the first load, not timed
            if {"Area", "Period"} - session.widgets.keys():
                session.errors.append(
                    f"{session.page or 'overview'}: the sidebar filters were not found"
                )
                return
            while time.monotonic() < until:
                values = {label: rng.choice(opts) for label, (_id, opts) in session.widgets.items()}
                values = {k: v for k, v in values.items() if k in ("Area", "Period")}
                session.times.append(await _run(ws, session, _rerun(session, values), timeout))
                await asyncio.sleep(rng.uniform(*think))
    except TimeoutError:
        session.errors.append(
            f"{session.page or 'overview'}: no script_finished within {timeout} s"
        )
    except Exception as exc:  # noqa: BLE001 - every failure of a session is a result to report
        session.errors.append(f"{session.page or 'overview'}: {type(exc).__name__}: {exc}")


@dataclass
class Hostile:
    """What one hostile session sent, had run to the end, and had refused by the limit."""

    page: str
    sent: int = 0
    finished: int = 0
    refused: int = 0
    capped: bool = False  # its first run was refused: one session too many for its client
    errors: list[str] = field(default_factory=list)


def _refused(msg: ForwardMsg) -> bool:
    """Whether a delta is the rerun limit's sentence (an alert naming it)."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return False
    element = msg.delta.new_element
    return element.WhichOneof("type") == "alert" and ("Too many" in element.alert.body)


async def hostile(url: str, record: Hostile, until: float, rate: float, timeout: float) -> None:
    """Send a rerun every 1/rate s, never waiting for the last, until `until`; read everything
    the server sends meanwhile (a client that stops reading would only stall itself)."""
    session = Session(record.page)
    try:
        async with _stream(url, HOSTILE_CLIENT) as ws:
            await _run(ws, session, _rerun(session), timeout)  # the first load
            record.capped = not session.widgets  # refused: no page, so no filters drawn
            rng = random.Random(record.page)

            async def read() -> None:
                while True:
                    msg = ForwardMsg()
                    msg.ParseFromString(await ws.recv())
                    if msg.WhichOneof("type") == "script_finished":
                        record.finished += 1
                    elif _refused(msg):
                        record.refused += 1

            reader = asyncio.create_task(read())
            try:
                while time.monotonic() < until:
                    options = {k: v for k, v in session.widgets.items() if k in ("Area", "Period")}
                    values = {label: rng.choice(opts) for label, (_id, opts) in options.items()}
                    await ws.send(_rerun(session, values))
                    record.sent += 1
                    await asyncio.sleep(1 / rate)
            finally:
                reader.cancel()
    except Exception as exc:  # noqa: BLE001 - a refused or dropped session is a result
        record.errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")


async def first_visitors(url: str, after: float, timeout: float) -> None:
    """The Overview's first page for the first visitor `after` seconds after the server answered
    (what warming at start is for), then for a second new visitor (a new session, the dataset
    open): each time from the request to script_finished."""
    await asyncio.sleep(after)
    for who in ("first visitor after start", "a new visitor after that"):
        session = Session("")
        try:
            async with _stream(url, None) as ws:
                took = await _run(ws, session, _rerun(session), timeout)
        except (TimeoutError, OSError) as exc:  # a busy machine: a finding, not a traceback
            print(f"{who}: no first page within {timeout:.0f} s ({type(exc).__name__})")
            continue
        print(
            f"{who}: first page in {took:.2f} s"
            + (f" ({session.errors})" if session.errors else "")
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def target_line(sessions: int, p95: float, *, errors: bool) -> str:
    """Whether this run met issue 31's target for its number of sessions (20 sessions: p95 within
    1.0 s; 40: within 2.0 s; no errors), or the targets when it ran with another number."""
    target = TARGETS_P95_S.get(sessions)
    if target is None:
        targets = "; ".join(f"{n} sessions p95 <= {t} s" for n, t in TARGETS_P95_S.items())
        return f"targets (issue 31): {targets}, no errors; this run had {sessions} sessions"
    met = not errors and p95 <= target
    return (
        f"target (issue 31): {sessions} sessions, no errors and p95 <= {target} s -> "
        f"{'met' if met else 'NOT met'}"
    )


def report(sessions: list[Session], seconds: float, think: tuple[float, float]) -> bool:
    """Print the table; True when no session had an error."""
    rows = [("page", "sessions", "reruns", "errors", "median s", "p95 s", "max s")]
    for page in PAGES:
        mine = [s for s in sessions if s.page == page]
        times = [t for s in mine for t in s.times]
        errors = sum(len(s.errors) for s in mine)
        if times:
            rows.append(
                (page or "overview", str(len(mine)), str(len(times)), str(errors),
                 f"{statistics.median(times):.2f}", f"{percentile(times, 0.95):.2f}",
                 f"{max(times):.2f}")
            )  # fmt: skip
    times = [t for s in sessions for t in s.times]
    errors = [e for s in sessions for e in s.errors]
    if times:
        rows.append(
            ("all", str(len(sessions)), str(len(times)), str(len(errors)),
             f"{statistics.median(times):.2f}", f"{percentile(times, 0.95):.2f}", f"{max(times):.2f}")
        )  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print(f"\n{len(sessions)} sessions for {seconds:.0f} s, think time {think[0]}-{think[1]} s")
    for i, row in enumerate(rows):
        print(
            "  ".join(
                c.ljust(w) if j == 0 else c.rjust(w)
                for j, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if i == 0 or i == len(rows) - 2:
            print("  ".join("-" * w for w in widths))
    p95 = percentile(times, 0.95) if times else float("inf")
    print(f"\nreruns per second: {len(times) / seconds:.1f}")
    for error in errors[:20]:
        print(f"error: {error}")
    print(target_line(len(sessions), p95, errors=bool(errors)))
    return not errors


async def drive(
    url: str, args: argparse.Namespace, routed: bool = False
) -> tuple[list[Session], list[Hostile]]:
    sessions = [
        Session(PAGES[i % len(PAGES)], route=f"bench-{i}" if routed else "")
        for i in range(args.sessions)
    ]
    hostiles = [Hostile(PAGES[i % len(PAGES)]) for i in range(args.hostile)]
    until = time.monotonic() + args.seconds
    think = (args.think, args.think * 3) if args.think else (0.0, 0.0)
    await asyncio.gather(
        *(
            person(url, s, until, think, args.timeout, seed=i, proxied=bool(hostiles))
            for i, s in enumerate(sessions)
        ),
        *(hostile(url, h, until, args.hostile_rate, args.timeout) for h in hostiles),
    )
    return sessions, hostiles


def report_hostile(hostiles: list[Hostile]) -> None:
    if not hostiles:
        return
    sent = sum(h.sent for h in hostiles)
    finished = sum(h.finished for h in hostiles)
    refused = sum(h.refused for h in hostiles)
    dropped = [h for h in hostiles if h.errors or not h.sent]
    capped = sum(h.capped for h in hostiles)
    print(
        f"hostile client: {len(hostiles)} sessions sent {sent} reruns; {finished} script runs "
        f"ended, {refused} of them refused by the rerun limit ({finished - refused} ran the "
        f"page); {capped} sessions refused as one too many; {len(dropped)} dropped"
    )
    for h in dropped[:5]:
        print(f"  hostile {h.page or 'overview'}: {'; '.join(h.errors) or 'sent nothing'}")


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) used so far by this process, or by process `pid` from /proc."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of process `pid`, in MB, from /proc."""
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return tuple(int(status[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="least pause between changes (s); the most is 3x; 0 for none",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="longest wait for one rerun (s)"
    )
    parser.add_argument("--dataset", type=Path, default=ROOT / "sample_data")
    parser.add_argument(
        "--hostile", type=int, default=0, help="sessions of one hostile client (see above)"
    )
    parser.add_argument(
        "--hostile-rate", type=float, default=4.0, help="reruns a second per hostile session"
    )
    parser.add_argument(
        "--first-after",
        type=float,
        default=10.0,
        help="the first visitor comes this many seconds after the server answers, then a second "
        "new visitor; both first pages timed (negative: none)",
    )
    parser.add_argument(
        "--no-limits",
        action="store_true",
        help="lift the server's rerun limits (the 'before' of --hostile)",
    )
    parser.add_argument(
        "--via-proxy",
        action="store_true",
        help="through nginx to --processes app processes, then to one (see above)",
    )
    parser.add_argument("--processes", type=int, default=2, help="with --via-proxy")
    parser.add_argument(
        "--turn-seconds",
        type=float,
        default=None,
        help="the server's INSIGHT_TURN_SECONDS (insight.sharing.turns): 0 lets every script run "
        "go at once, the 'before' of taking turns; default: the server's own",
    )
    args = parser.parse_args()
    if args.turn_seconds is not None:
        os.environ[TURN_ENV] = str(args.turn_seconds)
    if args.via_proxy:
        return via_proxy(args)

    from tests.browser.conftest import start_server, stop_server

    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(
            "bench",
            args.dataset,
            Path(tmp),
            Path(tmp),
            rerun_limits=bool(args.hostile) and not args.no_limits,
        )
        try:
            print(f"server on {server.url} with {args.dataset}")
            lease = lease_from_env()
            print(
                f"script runs take turns, each for at most {lease:g} s ({TURN_ENV})"
                if lease > 0
                else f"script runs all at once ({TURN_ENV}=0)"
            )
            print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            if args.first_after >= 0:
                asyncio.run(first_visitors(server.url, args.first_after, args.timeout))
            started = time.monotonic()
            client0, server0 = cpu_seconds(), cpu_seconds(server.proc.pid)
            sessions, hostiles = asyncio.run(drive(server.url, args))
            elapsed = time.monotonic() - started
            client, busy = cpu_seconds() - client0, cpu_seconds(server.proc.pid) - server0
            no_errors = report(sessions, elapsed, (args.think, args.think * 3))
            report_hostile(hostiles)
            rss, peak = memory_mb(server.proc.pid)
            print(
                f"CPU over the run: server {busy:.0f} s, this client {client:.0f} s, "
                f"of {os.cpu_count()} cores x {elapsed:.0f} s = {os.cpu_count() * elapsed:.0f} s"
            )
            # Each session's first page load is a script run too (not timed above): the server's
            # CPU is shared over every run it did. Less sensitive to the machine's other load
            # than the times (load average below), so the figure to compare across runs.
            runs = sum(len(s.times) for s in sessions) + len(sessions)
            print(
                f"server CPU per script run: {busy / max(runs, 1):.3f} s over {runs} runs "
                f"(goal {TARGET_CPU_PER_RUN_S} s); load average at the end: "
                f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
            )
            print(f"server memory at the end: {rss:.0f} MB resident, {peak:.0f} MB peak")
        finally:
            stop_server(server)
    return 0 if no_errors else 1  # a figure over target is a finding; a failed session an error


# --- through the proxy (issue 27) ---------------------------------------------------------------
TARGET_PROXY_P95_S = 1.0  # 60 sessions through nginx to 2 processes


@dataclass
class ProxyRun:
    processes: int
    sessions: list[Session]
    seconds: float
    server_cpu: float
    load: tuple[float, float]  # 1-minute load average at the start and the end
    spread: dict[str, int]  # app port -> WebSocket sessions it served
    memory: list[float]  # each process's peak resident MB

    @property
    def times(self) -> list[float]:
        return [t for s in self.sessions for t in s.times]

    @property
    def errors(self) -> int:
        return sum(len(s.errors) for s in self.sessions)


async def warm(urls: list[str], timeout: float) -> None:
    """Every chart page's first run on each process, straight to it and as through a proxy (a
    viewer, presenter mode, as the measured sessions are): the dataset opened and the caches
    filled before the clock starts, so neither run is charged for starting its processes."""

    async def one(url: str) -> None:
        for page in PAGES:
            session = Session(page)
            async with _stream(url, "198.51.100.1") as ws:
                await _run(ws, session, _rerun(session), timeout)

    await asyncio.gather(*(one(url) for url in urls))


def proxy_run(nginx: str, processes: int, args: argparse.Namespace) -> ProxyRun:
    """Start `processes` app processes and nginx in front of them, drive the sessions through
    nginx, stop everything; the figures."""
    from collections import Counter

    from tests.browser.conftest import _free_port, start_server, stop_server
    from tests.browser.proxy import start_nginx, stop_nginx, upstream_of

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "nginx").mkdir()
        servers, proxy = [], None
        try:
            os.environ["INSIGHT_STATE_DIR"] = str(folder / "state")
            if os.environ.get("INSIGHT_DATABASE_URL"):  # the schema first, as the units do
                subprocess.run(
                    [sys.executable, "-m", "insight", "db", "upgrade"],
                    cwd=ROOT, check=True, capture_output=True, timeout=300,
                )  # fmt: skip
            for n in range(processes):
                servers.append(start_server(f"bench-{n}", args.dataset, folder / "state", folder))
            port = _free_port()
            ports = [int(server.url.rsplit(":", 1)[1]) for server in servers]
            proxy = start_nginx(nginx, folder / "nginx", port, ports)
            print(f"\nnginx on 127.0.0.1:{port} in front of {processes} process(es): {ports}")
            warmed = time.monotonic()
            asyncio.run(warm([server.url for server in servers], args.timeout * 4))
            print(
                f"each process warmed (every chart page once) in {time.monotonic() - warmed:.0f} s"
            )
            load0 = os.getloadavg()[0]
            cpu0 = [cpu_seconds(server.proc.pid) for server in servers]
            started = time.monotonic()
            sessions, _ = asyncio.run(drive(f"http://127.0.0.1:{port}", args, routed=True))
            elapsed = time.monotonic() - started
            busy = sum(
                cpu_seconds(server.proc.pid) - c for server, c in zip(servers, cpu0, strict=True)
            )
            load1 = os.getloadavg()[0]
            memory = [memory_mb(server.proc.pid)[1] for server in servers]
        finally:
            if proxy is not None:
                stop_nginx(proxy)
            for server in servers:
                stop_server(server)
        log = (folder / "nginx" / "access.log").read_text(encoding="utf-8").splitlines()
        spread = Counter(upstream_of(line) for line in log if "/_stcore/stream" in line)
    think = (args.think, args.think * 3) if args.think else (0.0, 0.0)
    report(sessions, elapsed, think)
    return ProxyRun(processes, sessions, elapsed, busy, (load0, load1), dict(spread), memory)


def via_proxy(args: argparse.Namespace) -> int:
    """--via-proxy: --processes app processes behind nginx, then one, side by side."""
    from tests.browser.proxy import nginx_binary

    nginx = nginx_binary()
    if nginx is None:
        print("Debian's nginx is not installed (apt-get install nginx): nothing to measure")
        return 2
    counts = list(dict.fromkeys((args.processes, 1)))
    cluster = None
    if not os.environ.get("INSIGHT_DATABASE_URL"):
        from tests.pg import Cluster, binaries

        found = binaries()
        if found is not None:
            cluster = Cluster(found).start()
            os.environ["INSIGHT_DATABASE_URL"] = cluster.create_database("bench")
    where = "PostgreSQL" if os.environ.get("INSIGHT_DATABASE_URL") else "SQLite"
    print(
        f"{args.sessions} sessions for {args.seconds:.0f} s through nginx, to "
        f"{' then '.join(str(c) for c in counts)} app process(es); {os.cpu_count()} cores, one {where} store"
    )
    try:
        runs = [proxy_run(nginx, count, args) for count in counts]
    finally:
        if cluster is not None:
            cluster.stop()
    rows = [("", *(f"{r.processes} process(es)" for r in runs))]
    rows += [
        ("reruns", *(str(len(r.times)) for r in runs)),
        ("reruns a second", *(f"{len(r.times) / r.seconds:.1f}" for r in runs)),
        ("errors", *(str(r.errors) for r in runs)),
        (
            "median rerun s",
            *(f"{statistics.median(r.times):.2f}" if r.times else "-" for r in runs),
        ),
        ("p95 rerun s", *(f"{percentile(r.times, 0.95):.2f}" if r.times else "-" for r in runs)),
        ("max rerun s", *(f"{max(r.times):.2f}" if r.times else "-" for r in runs)),
        ("sessions per process", *("/".join(str(n) for n in r.spread.values()) for r in runs)),
        ("server CPU s", *(f"{r.server_cpu:.0f}" for r in runs)),
        ("CPU s per rerun", *(f"{r.server_cpu / max(len(r.times), 1):.3f}" for r in runs)),
        ("peak MB per process", *("/".join(f"{m:.0f}" for m in r.memory) for r in runs)),
        ("load average (1 min) start/end", *(f"{r.load[0]:.1f}/{r.load[1]:.1f}" for r in runs)),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print(
        f"\nside by side: {args.sessions} sessions, {args.seconds:.0f} s each, through nginx, "
        f"one {where} store"
    )
    for row in rows:
        print(
            "  ".join(
                c.ljust(w) if j == 0 else c.rjust(w)
                for j, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    if len(runs) == 2 and runs[0].times and runs[1].times:
        many, one = runs
        print(
            f"ratio ({many.processes} processes against 1): p95 "
            f"{percentile(one.times, 0.95) / percentile(many.times, 0.95):.2f}x lower, reruns a "
            f"second {(len(many.times) / many.seconds) / (len(one.times) / one.seconds):.2f}x"
        )
    first = runs[0]
    met = (
        bool(first.times)
        and not first.errors
        and percentile(first.times, 0.95) <= TARGET_PROXY_P95_S
    )
    print(
        f"target: {first.processes} processes, no errors and p95 <= {TARGET_PROXY_P95_S} s -> "
        f"{'met' if met else 'NOT met'}"
    )
    return 0 if all(not r.errors for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
