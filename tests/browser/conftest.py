"""The sealed-browser harness every browser test stands on, on pytest-playwright's fixtures.

- `streamlit_server(name, dataset)`: `streamlit run app.py` on a free loopback port with its own
  INSIGHT_DATASET and INSIGHT_STATE_DIR, polled on /_stcore/health until ready (its output is
  printed if it does not start), stopped at the end of the run. One server per dataset per worker.
- pytest-playwright's `browser` (one Debian Chromium per worker session, headless, told that every
  host but 127.0.0.1/localhost does not exist: `browser_type_launch_args`), `context` and `page`
  (1366 x 900, en-GB: `browser_context_args`), and its screenshot of a failed test
  (scripts/test.sh: --screenshot only-on-failure --output test-artifacts/playwright).
- `sealed`: on pytest-playwright's context and page, records every request (websockets
  included), console error and page error, and fails the test on any request that leaves the
  machine or any error that is not allow-listed with a reason.
- `wait_for_app` / `rerun`: wait until a script run that finished after an action has been drawn
  (runs are counted in Python from the server's script_finished messages on the page's websocket,
  decoded with Streamlit's own protobuf classes, so a fast run cannot be missed) and its plotly
  charts, Leaflet maps and deck.gl maps are drawn. No fixed sleeps.
- `axe`: axe-core's axe.min.js as shipped inside the `axe-playwright-python` package (PyPI, in the
  test dependency group; axe-core is MPL-2.0), injected with add_script_tag. No Node or npm.
- `screenshot`: saves test-artifacts/screenshots/<dataset>/<mode>/<page>.png.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# The test modules import their helpers from `tests.browser.conftest`: put the project root on
# the path and register this module under that name, so they get this very module, not a copy.
_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))
sys.modules.setdefault("tests.browser.conftest", sys.modules[__name__])

from tests.conftest import ROOT, SAMPLE_DIR, chromium_or_skip  # noqa: E402

HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts"
LARGE_PARTICIPANTS = 200_000
LARGE_SEED = 2031
START_TIMEOUT_S = 60
RUN_TIMEOUT_MS = 60_000  # one script run, charts and maps drawn (the large dataset included)
VIEWPORT = {"width": 1366, "height": 900}  # a common projector resolution

ALLOWED_HOSTS = frozenset({"127.0.0.1", "localhost"})
ALLOWED_SCHEMES = frozenset({"data", "blob", "about"})
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]

# Console errors that are not the app's fault, each with the reason it is allowed. Keep it short.
CONSOLE_ALLOWED: tuple[tuple[str, str], ...] = (
    (
        r"status of 404 .* @ http://(127\.0\.0\.1|localhost):\d+/[\w-]+/_stcore/(health|host-config)$",
        "Streamlit's frontend, opened on a page path such as /about, first probes that path as a "
        "possible base URL (/about/_stcore/health) before falling back to /; the 404 is expected.",
    ),
)


# scripts/test.sh runs the suite with pytest-xdist's --dist loadfile: a module's tests run on one
# worker, so a server a module starts for itself (module-scoped: the hostile dataset, the map
# harness, the upload and sign-in servers) starts once per run. (--dist loadgroup did not group
# anything: pytest-xdist 3.8 marks a group by rewriting Item._nodeid, which pytest 9 no longer
# reads.) The sample's server is started once per worker.
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser is a browser test (`-m "not browser"` skips them all)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- the server ------------------------------------------------------------------------------
@dataclass
class Server:
    name: str
    dataset: Path
    url: str
    log: Path
    proc: subprocess.Popen
    state: Path | None = None  # its INSIGHT_STATE_DIR: a test may record in its store

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _streamlit_bin() -> str:
    beside = Path(sys.executable).parent / "streamlit"
    return str(beside if beside.exists() else ROOT / ".venv" / "bin" / "streamlit")


# The harness's browsers click far faster than a person (and the benchmarks faster still), so
# their servers lift the rerun limit (insight.sharing.throttle) unless asked to keep it. The limit
# itself is tested in tests/unit/test_throttle.py and tests/app/test_app_access.py, and measured
# by benchmarks/concurrency.py --hostile, which keeps it.
UNLIMITED_RERUNS = {
    "INSIGHT_RERUN_BURST": "1000000",
    "INSIGHT_RERUNS_PER_MINUTE": "1000000",
    "INSIGHT_SESSIONS_PER_CLIENT": "1000000",
}


def start_server(
    name: str, dataset: Path, state_dir: Path, log_dir: Path, *, rerun_limits: bool = False
) -> Server:
    """`streamlit run app.py` on a free port; returns once /_stcore/health answers. The rerun
    limit is lifted unless `rerun_limits` (then the server's defaults, or the environment's)."""
    port = _free_port()
    log = log_dir / f"streamlit-{name}.log"
    env = {
        **os.environ,
        "INSIGHT_DATASET": str(dataset),
        "INSIGHT_STATE_DIR": str(state_dir),
        "PYTHONUNBUFFERED": "1",
        # The harness's browser is the owner on this machine, as after `make run` (which opts in
        # the same way): the local user is never inferred from a loopback address.
        "INSIGHT_LOCAL_USER": "1",
        **({} if rerun_limits else UNLIMITED_RERUNS),
    }
    cmd = [
        _streamlit_bin(),
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, Path(dataset), f"http://127.0.0.1:{port}", log, proc, state_dir)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if _healthy(server.url):
            return server
        time.sleep(0.25)  # polling a process we cannot await
    stop_server(server)
    print(f"--- streamlit ({name}) output ---\n{server.output()}\n--- end ---")
    pytest.fail(f"streamlit did not become healthy on {server.url} within {START_TIMEOUT_S} s")


def stop_server(server: Server) -> None:
    if server.proc.poll() is not None:
        return
    os.killpg(server.proc.pid, signal.SIGTERM)
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=5)


@pytest.fixture(scope="session")
def streamlit_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str, Path], Server]]:
    """Factory: one running server per name for the whole run, each with its own state folder."""
    servers: dict[str, Server] = {}
    logs = tmp_path_factory.mktemp("streamlit-logs")

    def get(name: str, dataset: Path) -> Server:
        if name not in servers:
            state = tmp_path_factory.mktemp(f"state-{name}")
            servers[name] = start_server(name, dataset, state, logs)
        return servers[name]

    yield get
    for server in servers.values():
        stop_server(server)


@pytest.fixture(scope="session")
def large_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 200,000 synthetic participants (parquet), written once per run."""
    from insight.sample.synthetic import write_sample

    out = tmp_path_factory.mktemp("large-dataset")
    write_sample(out, LARGE_PARTICIPANTS, LARGE_SEED, fmt="parquet")
    return out


DATASETS = ("sample", "large")


def dataset_dir(request: pytest.FixtureRequest, name: str) -> Path:
    return SAMPLE_DIR if name == "sample" else request.getfixturevalue("large_dataset")


def server_for(request: pytest.FixtureRequest, name: str) -> Server:
    """The session's server for a dataset name in DATASETS."""
    factory = request.getfixturevalue("streamlit_server")
    return factory(name, dataset_dir(request, name))


@pytest.fixture(scope="session")
def sample_server(streamlit_server: Callable[[str, Path], Server]) -> Server:
    return streamlit_server("sample", SAMPLE_DIR)


# --- the sealed browser: pytest-playwright's fixtures ------------------------------------------
# pytest-playwright owns Playwright, the browser (session-scoped: one Chromium per xdist worker),
# each test's context and page, and the artefacts of a failed test (--screenshot only-on-failure
# --output test-artifacts/playwright, set in scripts/test.sh). These two overrides make its
# browser Debian's Chromium, told that every host but this machine does not exist, and its
# contexts the projector-sized, British ones every test expects.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_or_skip(),
        "args": BROWSER_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {
        **browser_context_args,
        "viewport": VIEWPORT,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "service_workers": "block",
    }


def leaves_machine(url: str) -> bool:
    """True for a URL whose host is not loopback (data:, blob: and about: stay in the page)."""
    parts = urlsplit(url)
    if parts.scheme in ALLOWED_SCHEMES:
        return False
    return (parts.hostname or "") not in ALLOWED_HOSTS


# --- counting script runs ----------------------------------------------------------------------
# The server says a script run is over with a ForwardMsg whose type is script_finished. Each
# message on the page's websocket is decoded here, in Python, with Streamlit's own protobuf class
# (as benchmarks/concurrency.py does), so a run is counted even when it goes from "running" back to
# "notRunning" inside one React batch and never shows in the DOM. The page itself only counts the
# binary messages it has handled (no decoding: it knows nothing of Streamlit's protocol), and
# marks them settled one frame after React has drawn them; a run is drawn once the page has
# settled the message that finished it.
STREAM_PATH = "/_stcore/stream"
POLL_MS = 50  # how often the server's messages are looked at while waiting for a run
_MESSAGE_COUNTER = """
(() => {
  if (window.__stMessages) return;
  const seen = (window.__stMessages = { socket: 0, received: 0, settled: 0 });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      const socket = ++seen.socket;  // a new connection is counted afresh, as in Python
      seen.received = 0;
      seen.settled = 0;
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer) || socket !== seen.socket) return;
        const n = ++seen.received;
        requestAnimationFrame(() => requestAnimationFrame(() => {
          if (socket === seen.socket) seen.settled = Math.max(seen.settled, n);
        }));
      });
    }
  };
})();
"""


class _Socket:
    """One connection's messages: how many, and which of them finished a run (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.messages = 0  # binary messages received, as the page counts them
        self.finished_at: list[int] = []  # the message number of each script_finished
        self.statuses: list[str] = []  # and its status (FINISHED_SUCCESSFULLY, ...)

    def on_frame(self, payload: str | bytes) -> None:
        if not isinstance(payload, bytes):
            return
        from google.protobuf.message import DecodeError
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        try:
            msg = ForwardMsg.FromString(payload)
        except DecodeError:
            msg = None
        with self._lock:
            self.messages += 1
            if msg is not None and msg.WhichOneof("type") == "script_finished":
                self.finished_at.append(self.messages)
                self.statuses.append(ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished))

    def snapshot(self) -> tuple[int, int, str]:
        """(runs finished, the message number of the last one's script_finished, its status)."""
        with self._lock:
            if not self.finished_at:
                return 0, 0, ""
            return len(self.finished_at), self.finished_at[-1], self.statuses[-1]


class Runs:
    """The script runs of one page's current document: counted on its latest websocket to the
    app. A new document (a load, a reload) starts again from none: its socket is the first one
    opened after the page's last navigation request, so a socket of the previous document is
    never taken for it, whichever of the new document's load and its socket Playwright reports
    first (and a navigation that only downloads a file leaves the document's socket alone)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._socket: _Socket | None = None
        self._socket_navigation = 0  # the navigation request the current socket came after
        self._navigations = 0  # navigation requests of the page's main frame so far

    def on_navigation_request(self) -> None:
        with self._lock:
            self._navigations += 1

    def on_websocket(self, ws) -> None:
        if urlsplit(ws.url).path.endswith(STREAM_PATH):
            socket_ = _Socket()
            ws.on("framereceived", socket_.on_frame)
            with self._lock:
                self._socket, self._socket_navigation = socket_, self._navigations

    def on_new_document(self, _page) -> None:
        with self._lock:
            if self._socket_navigation < self._navigations:  # the socket is the last document's
                self._socket = None

    def snapshot(self) -> tuple[int, int, str]:
        with self._lock:
            socket_ = self._socket
        return socket_.snapshot() if socket_ else (0, 0, "")

    def statuses(self) -> list[str]:
        with self._lock:
            socket_ = self._socket
        return list(socket_.statuses) if socket_ else []


_RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # page -> Runs


def _count_runs(page) -> None:
    if page in _RUNS:
        return
    runs = _RUNS[page] = Runs()

    def on_request(request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            runs.on_navigation_request()  # (a navigation request always has its frame)

    page.on("request", on_request)
    page.on("websocket", runs.on_websocket)
    page.on("domcontentloaded", runs.on_new_document)


def watch_runs(context) -> None:
    """Count the script runs of every page of `context`, from now on (the `sealed` fixture does
    this for its own context; a test that opens another context calls it before its first page)."""
    context.add_init_script(script=_MESSAGE_COUNTER)
    for page in context.pages:
        _count_runs(page)
    context.on("page", _count_runs)


def _runs(page) -> Runs:
    if page not in _RUNS:
        pytest.fail("this page's script runs are not counted: call watch_runs(its context) first")
    return _RUNS[page]


@dataclass
class Sealed:
    """A fresh context and page with everything they asked the network for, and every error."""

    context: object
    page: object
    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    checked: bool = False  # assert_clean ran: teardown need not report the same problems again

    @property
    def outside(self) -> list[str]:
        return [url for url in [*self.requests, *self.websockets] if leaves_machine(url)]

    def errors(self) -> list[str]:
        allowed = [pattern for pattern, _reason in CONSOLE_ALLOWED]
        console = [e for e in self.console_errors if not any(re.search(p, e) for p in allowed)]
        return [
            *(f"console: {e}" for e in console),
            *(f"page error: {e}" for e in self.page_errors),
        ]

    def problems(self) -> list[str]:
        return [*(f"request left the machine: {u}" for u in self.outside), *self.errors()]

    def assert_clean(self) -> None:
        """No request left the machine, no console error, no page error."""
        self.checked = True
        problems = self.problems()
        assert not problems, "\n".join(problems)


def _watch(sealed: Sealed, page) -> None:
    page.on("websocket", lambda ws: sealed.websockets.append(ws.url))
    page.on(
        "console",
        lambda msg: (
            sealed.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: sealed.page_errors.append(str(exc)))
    page.on("dialog", lambda dialog: (sealed.dialogs.append(dialog.message), dialog.dismiss()))


@pytest.fixture
def sealed(context, request: pytest.FixtureRequest) -> Iterator[Sealed]:
    """pytest-playwright's fresh context and page for this test, every request, error and script
    run of theirs recorded; fails the test at teardown on an outside request or an error."""
    context.set_default_timeout(RUN_TIMEOUT_MS)
    watch_runs(context)
    sealed = Sealed(context, None)
    context.on("request", lambda req: sealed.requests.append(req.url))
    context.on("page", lambda new_page: _watch(sealed, new_page))  # the first page too
    sealed.page = request.getfixturevalue("page")  # pytest-playwright's: context.new_page()
    yield sealed
    context.close()  # pytest-playwright's close: its screenshot of a failed test is taken here
    problems = sealed.problems()
    if problems and not sealed.checked:
        pytest.fail("after the test:\n" + "\n".join(problems), pytrace=False)


# --- waiting for Streamlit -------------------------------------------------------------------
# True once the page has drawn the message that finished the run (its number on the socket, from
# Python) and the app is connected, not running, with nothing stale and its main block drawn.
_SETTLED = """(at) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && !!window.__stMessages && window.__stMessages.settled >= at
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stMain"] [data-stale="true"]')
    && !!document.querySelector('[data-testid="stMain"] [data-testid="stMainBlockContainer"]');
}"""


# No skeleton left, every plotly chart drawn (SVG marks, or the map canvas for map traces), every Leaflet map in a
# component iframe drawn with its LA shapes, every deck.gl map with a sized canvas.
_DRAWN = """() => {
  // A lazily loaded element (plotly, deck.gl) shows a skeleton until its code has arrived.
  if (document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"], [data-testid="stMain"] [data-testid="stSkeletonElement"]')) return false;
  for (const gd of document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')) {
    if (!gd._fullLayout || !gd._fullData) return false;
    const isMap = gd._fullData.some((t) => /map/.test(t.type || ''));
    if (isMap) {
      const canvas = gd.querySelector('canvas');
      if (!canvas || canvas.width === 0) return false;
      const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
      if (sub && sub.map && typeof sub.map.loaded === 'function' && !sub.map.loaded()) return false;
    } else if (gd.querySelectorAll('.main-svg g.trace path, .main-svg g.trace text, .main-svg g.slice path').length === 0) {
      return false;
    }
  }
  for (const frame of document.querySelectorAll('iframe')) {
    const doc = frame.contentDocument;
    if (!doc) continue;
    if (doc.querySelector('.folium-map, .leaflet-container') && !doc.querySelector('.leaflet-container path.leaflet-interactive')) return false;
  }
  for (const deck of document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')) {
    const canvas = deck.querySelector('canvas');
    if (!canvas || canvas.width === 0) return false;
  }
  return true;
}"""


_STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')];
  return {
    url: location.href,
    script: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'),
    messages: window.__stMessages,
    stale: document.querySelectorAll('[data-testid="stMain"] [data-stale="true"]').length,
    status: (document.querySelector('[data-testid="stStatusWidget"]') || {}).innerText || '',
    charts: charts.map((gd) => (gd._fullData || []).map((t) => t.type).join(',') + ':' +
      gd.querySelectorAll('.main-svg g.trace path').length + ' paths, ' +
      gd.querySelectorAll('canvas').length + ' canvas'),
    exception: [...document.querySelectorAll('[data-testid="stException"]')].map((e) => e.innerText),
  };
}"""


def app_state(page) -> dict:
    """What the app looks like now, for a failure message."""
    try:
        state = page.evaluate(_STATE)
    except Exception as exc:  # noqa: BLE001 - a diagnostic must not hide the real failure
        state = {"unavailable": str(exc)}
    if page in _RUNS:
        state["runs"] = _RUNS[page].statuses()
    return state


def runs_finished(page) -> int:
    """How many script runs the server has finished for this page's document so far."""
    return _runs(page).snapshot()[0]


# A run that ended early because another was asked for (a page's st.rerun, a page not found
# running the main page instead) is not the run to wait for: the next one is.
EARLY = "FINISHED_EARLY_FOR_RERUN"


def wait_for_run(page, after: int = 0, timeout: int = RUN_TIMEOUT_MS) -> int:
    """Wait until a script run has finished since `after` runs had (runs_finished), not early for
    a rerun, the page has drawn what came with it and the app is not running; returns the runs
    finished by then. Does not wait for charts and maps (wait_for_app does)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    runs = _runs(page)
    deadline = time.monotonic() + timeout / 1000
    while True:
        finished, at, status = runs.snapshot()
        while finished <= after or status == EARLY:
            if time.monotonic() > deadline:
                pytest.fail(
                    f"waited {timeout} ms for the script run: {app_state(page)}", pytrace=False
                )
            page.wait_for_timeout(POLL_MS)  # lets Playwright deliver the server's messages
            finished, at, status = runs.snapshot()
        remaining = max(1_000, int((deadline - time.monotonic()) * 1000))
        try:
            page.wait_for_function(_SETTLED, arg=at, timeout=remaining, polling=100)
        except PlaywrightTimeout:
            pytest.fail(f"waited {timeout} ms for the script run: {app_state(page)}", pytrace=False)
        if runs.snapshot()[0] == finished:
            return finished
        after = finished  # another run finished while the page drew the last: settle on it too


def wait_for_app(page, after: int = 0, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Wait until a script run has finished since `after` runs had (runs_finished) and the app is
    not running any more, with its charts and maps drawn; then make sure no further run finished
    meanwhile (a page may st.rerun itself, a component may send its value back)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout / 1000
    while True:
        remaining = max(1_000, int((deadline - time.monotonic()) * 1000))
        seen = wait_for_run(page, after, remaining)
        remaining = max(1_000, int((deadline - time.monotonic()) * 1000))
        try:
            page.wait_for_function(_DRAWN, timeout=remaining, polling=100)
        except PlaywrightTimeout:
            pytest.fail(
                f"waited {timeout} ms for charts and maps: {app_state(page)}", pytrace=False
            )
        state = page.get_attribute('[data-testid="stApp"]', "data-test-script-state")
        if state == "notRunning" and runs_finished(page) == seen:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"Streamlit kept rerunning: {app_state(page)}", pytrace=False)
        after = seen  # another run finished while the charts were drawn: settle on it too


def rerun(page, action: Callable[[], object], timeout: int = RUN_TIMEOUT_MS) -> None:
    """Do something that makes Streamlit rerun (a click, a choice) and wait for that run."""
    before = runs_finished(page)
    action()
    wait_for_app(page, after=before, timeout=timeout)


STILL_MS = 250  # how long an element's box must keep still before click_when_still clicks it


def click_when_still(locator, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Scroll `locator` into view and click it once its box has kept still for STILL_MS. An
    expander draws its content after it opens (a dataframe loads its rows lazily), and a click
    sent while that content settles can miss the button below it without any error."""
    locator.scroll_into_view_if_needed(timeout=timeout)
    page = locator.page
    deadline = time.monotonic() + timeout / 1000
    last, still_since = None, time.monotonic()
    while True:
        box = locator.bounding_box()
        now = time.monotonic()
        if box != last:
            last, still_since = box, now
        elif box is not None and (now - still_since) * 1000 >= STILL_MS:
            break
        if now > deadline:
            pytest.fail(f"{locator} never kept still for {STILL_MS} ms", pytrace=False)
        page.wait_for_timeout(POLL_MS)
    locator.click(timeout=timeout)


def open_app(page, server: Server, query: str = "", path: str = "") -> None:
    """Load the app (optionally a page path and a query string) and wait for the first run."""
    url = f"{server.url}/{path}" + (f"?{query}" if query else "")
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)


# --- navigation ------------------------------------------------------------------------------
# The navigation a person should see, in order (the titles app.py gives st.Page). Presenter mode
# leaves the standard-only pages out of the navigation altogether.
PAGES: tuple[str, ...] = (
    "Overview",
    "Locations",
    "Characteristics",
    "Barriers",
    "Service usage",
    "Trends",
    "Vacancies and job entries",
    "The place",
    "Plans and local provision",
    "Delivery insights",
    "Meetings",
    "Slides",
    "Stakeholder insights",
    "Can I share this?",
    "Exports and sharing log",
    "Data",
    "About this tool",
)
STANDARD_ONLY: tuple[str, ...] = ("Exports and sharing log", "Data")
MODES: tuple[str, ...] = ("standard", "presenter")
# The navigation runs along the top (st.navigation(position="top")): a page without a section is
# a link, each section a button opening a menu of its pages. The viewport is wide enough for every
# section to show (no "N more" overflow menu).
NAV = '[data-testid="stTopNav"]'
NAV_TOP_LINK = f'{NAV} a[data-testid="stTopNavLink"]'
NAV_SECTION = f'{NAV} [data-testid="stTopNavSection"]'
NAV_MENU_LINK = 'a[data-testid="stTopNavDropdownLink"]'  # in a popover, outside the nav element
_NAV_ENTRIES = """() => [...document.querySelectorAll(
    '[data-testid="stTopNav"] [data-testid="stTopNavLink"], [data-testid="stTopNav"] [data-testid="stTopNavSection"]'
  )].map((e) => [e.getAttribute('data-testid') === 'stTopNavLink' ? 'link' : 'section', e.innerText.trim()])"""


def _exactly(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def nav_entries(page) -> list[tuple[str, str]]:
    """The top navigation in order: ("link", page title) or ("section", section name)."""
    return [tuple(entry) for entry in page.evaluate(_NAV_ENTRIES)]


def open_section(page, name: str):
    """Open a section's menu (a click on its button); return the menu's page links."""
    button = page.locator(NAV_SECTION).filter(has_text=_exactly(name))
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    links = page.locator(NAV_MENU_LINK)
    links.first.wait_for()
    return links


def close_menu(page) -> None:
    page.keyboard.press("Escape")
    page.locator(NAV_MENU_LINK).first.wait_for(state="detached")


def nav_titles(page) -> list[str]:
    """Every page the navigation offers, in order, each section's menu opened in turn."""
    titles = []
    for kind, text in nav_entries(page):
        if kind == "link":
            titles.append(text)
        else:
            titles.extend(t.strip() for t in open_section(page, text).all_inner_texts())
            close_menu(page)
    return titles


# The section whose menu held each page's link when it was last looked for: looking there first
# saves opening and closing every section before it (a walk looks up each page twice, to click
# its link and to see it marked current). Only an order to look in; what is found is still read
# from the navigation on screen, and every section is looked in when the first guess fails.
_SECTION_OF: dict[str, str] = {}


def _find_in_nav(page, narrow, first: str | None = None) -> tuple[object, str | None]:
    """The navigation links `narrow` picks out, and the section they were found in (None for the
    top-level links): among the top-level links, else in the first section menu holding any
    (that menu left open), section `first` looked in first. Empty when no link qualifies."""
    found = narrow(page.locator(NAV_TOP_LINK))
    if found.count():
        return found, None
    sections = [text for kind, text in nav_entries(page) if kind == "section"]
    if first in sections:
        sections.remove(first)
        sections.insert(0, first)
    for section in sections:
        in_menu = narrow(open_section(page, section))
        if in_menu.count():
            return in_menu, section
        close_menu(page)
    return found, None


def nav_link(page, title: str):
    """The navigation link whose text is exactly `title`, its section's menu left open."""
    found, section = _find_in_nav(
        page, lambda links: links.filter(has_text=_exactly(title)), _SECTION_OF.get(title)
    )
    if section:
        _SECTION_OF[title] = section
    return found


def current_page(page, expect: str | None = None) -> str | None:
    """The title the navigation marks as the current page (aria-current="page"). `expect`, the
    page it should be, only says where to look first."""
    marked, _section = _find_in_nav(
        page,
        lambda links: links.and_(page.locator('[aria-current="page"]')),
        _SECTION_OF.get(expect) if expect else None,
    )
    if not marked.count():
        return None
    title = marked.first.inner_text().strip()
    if page.locator(NAV_MENU_LINK).count():
        close_menu(page)
    return title


def go_to_page(page, title: str) -> None:
    """Open a page the way a person does: click its link in the navigation (in its section's
    menu, for a page in a section)."""
    link = nav_link(page, title)
    assert link.count() == 1, f"{title!r} is not in the navigation: {nav_titles(page)}"
    rerun(page, link.first.click)


# --- artefacts and axe -----------------------------------------------------------------------
def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def screenshot(page, dataset: str, mode: str, title: str) -> Path:
    out = ARTIFACTS / "screenshots" / dataset / mode / f"{slug(title)}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out))
    return out


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's axe.min.js from the axe-playwright-python wheel (installed with the test group)."""
    import axe_playwright_python

    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    if not path.exists():
        pytest.fail(f"axe-core is missing from axe-playwright-python: {path}")
    return path


AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


def run_axe(page, axe_path: Path, tags: tuple[str, ...] = AXE_TAGS) -> list[dict]:
    """Run axe-core over the page and its component iframes; return every violation. Nothing is
    excused: the one exclusion there was (list markup in Streamlit's sidebar navigation) went
    with the move of the navigation to the top."""
    for frame in page.frames:
        if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
            frame.add_script_tag(path=str(axe_path))
    result = page.evaluate(
        """async (tags) => await window.axe.run(document, {
             runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
           })""",
        list(tags),
    )
    return result["violations"]
