"""The sealed-browser harness every browser test stands on.

- `streamlit_server(name, dataset)`: `streamlit run app.py` on a free loopback port with its own
  INSIGHT_DATASET and INSIGHT_STATE_DIR, polled on /_stcore/health until ready (its output is
  printed if it does not start), stopped at the end of the run. One server per dataset per run.
- `sealed_browser`: one Debian Chromium per test module (see the fixture for why), headless, told that every host but
  127.0.0.1/localhost does not exist.
- `sealed`: a fresh browser context per test that records every request (websockets included),
  console error and page error, and fails the test on any request that leaves the machine or
  any error that is not allow-listed with a reason.
- `wait_for_app` / `rerun`: wait until a script run that finished after an action has been drawn
  (runs are counted from the server's script_finished messages on the page's websocket, so a
  fast run cannot be missed) and its
  plotly charts, Leaflet maps and deck.gl maps are drawn. No fixed sleeps.
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
import time
import urllib.error
import urllib.request
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


def start_server(name: str, dataset: Path, state_dir: Path, log_dir: Path) -> Server:
    """`streamlit run app.py` on a free port; returns once /_stcore/health answers."""
    port = _free_port()
    log = log_dir / f"streamlit-{name}.log"
    env = {
        **os.environ,
        "INSIGHT_DATASET": str(dataset),
        "INSIGHT_STATE_DIR": str(state_dir),
        "PYTHONUNBUFFERED": "1",
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
    server = Server(name, Path(dataset), f"http://127.0.0.1:{port}", log, proc)
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


# --- the sealed browser ----------------------------------------------------------------------
# One Chromium per test module, not per session: a module that still drives its own
# sync_playwright() (test_deep_links.py, until it moves onto `sealed`) cannot start while another
# Playwright is live in the same thread. Back to scope="session" once every module uses `sealed`.
@pytest.fixture(scope="module")
def sealed_browser() -> Iterator:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=BROWSER_ARGS, headless=True)
        yield browser
        browser.close()


def leaves_machine(url: str) -> bool:
    """True for a URL whose host is not loopback (data:, blob: and about: stay in the page)."""
    parts = urlsplit(url)
    if parts.scheme in ALLOWED_SCHEMES:
        return False
    return (parts.hostname or "") not in ALLOWED_HOSTS


# Counts the script runs the server reports finished (ForwardMsg.script_finished, field 6) on the
# page's websocket, in window.__stRuns.finished, and one frame later in .settled, once React has
# drawn what came with it. Counting the server's messages and not the DOM's script state: a fast
# run can go from "running" back to "notRunning" inside one React batch and never show.
SCRIPT_FINISHED_FIELD = 6
_RUN_COUNTER = """
(() => {
  if (window.__stRuns) return;
  const runs = (window.__stRuns = { finished: 0, settled: 0 });
  const FIELD = __FIELD__;
  const varint = (b, at) => {
    let value = 0, shift = 0, byte;
    do { byte = b[at.i++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return value;
  };
  const finishes = (buffer) => {  // does this ForwardMsg carry script_finished?
    const b = new Uint8Array(buffer), at = { i: 0 };
    while (at.i < b.length) {
      const tag = varint(b, at), field = Math.floor(tag / 8), wire = tag % 8;
      if (field === FIELD) return true;
      if (wire === 0) varint(b, at);
      else if (wire === 2) { const length = varint(b, at); at.i += length; }  // (`at.i += varint()` reads at.i first)
      else if (wire === 1) at.i += 8;
      else if (wire === 5) at.i += 4;
      else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer) || !finishes(event.data)) return;
        const n = ++runs.finished;
        requestAnimationFrame(() => requestAnimationFrame(() => {
          runs.settled = Math.max(runs.settled, n);
        }));
      });
    }
  };
})();
""".replace("__FIELD__", str(SCRIPT_FINISHED_FIELD))


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
def sealed(sealed_browser) -> Iterator[Sealed]:
    """A fresh context per test; fails the test at teardown on an outside request or an error."""
    context = sealed_browser.new_context(
        viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London", service_workers="block"
    )
    context.set_default_timeout(RUN_TIMEOUT_MS)
    context.add_init_script(script=_RUN_COUNTER)
    page = context.new_page()
    sealed = Sealed(context, page)
    context.on("request", lambda request: sealed.requests.append(request.url))
    watched = {id(page)}
    _watch(sealed, page)

    def on_page(new_page) -> None:
        if id(new_page) not in watched:
            watched.add(id(new_page))
            _watch(sealed, new_page)

    context.on("page", on_page)
    yield sealed
    context.close()
    problems = sealed.problems()
    if problems and not sealed.checked:
        pytest.fail("after the test:\n" + "\n".join(problems), pytrace=False)


# --- waiting for Streamlit -------------------------------------------------------------------
_FINISHED = """(after) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const done = !!app && !!window.__stRuns && window.__stRuns.settled > after
    && window.__stRuns.settled === window.__stRuns.finished
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stMain"] [data-stale="true"]')
    && !!document.querySelector('[data-testid="stMain"] [data-testid="stMainBlockContainer"]');
  return done ? window.__stRuns.settled : false;
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
    runs: window.__stRuns,
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
        return page.evaluate(_STATE)
    except Exception as exc:  # noqa: BLE001 - a diagnostic must not hide the real failure
        return {"unavailable": str(exc)}


def runs_finished(page) -> int:
    """How many script runs the server has finished for this page so far (see _RUN_COUNTER)."""
    return int(page.evaluate("() => (window.__stRuns ? window.__stRuns.settled : 0)"))


def wait_for_app(page, after: int = 0, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Wait until a script run has finished since `after` runs had (runs_finished) and the app is
    not running any more, with its charts and maps drawn; then make sure no further run finished
    meanwhile (a page may st.rerun itself, a component may send its value back)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout / 1000
    while True:
        remaining = max(1_000, int((deadline - time.monotonic()) * 1000))
        seen = 0
        for condition, arg in ((_FINISHED, after), (_DRAWN, None)):
            try:
                handle = page.wait_for_function(condition, arg=arg, timeout=remaining, polling=100)
            except PlaywrightTimeout:
                what = "the script run" if condition is _FINISHED else "charts and maps"
                pytest.fail(f"waited {timeout} ms for {what}: {app_state(page)}", pytrace=False)
            seen = seen or int(handle.json_value())  # runs finished when the run was over
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
    "Running orders",
    "Slides",
    "Stakeholder insights",
    "Can I share this?",
    "Exports and sharing log",
    "Data",
    "About this tool",
)
STANDARD_ONLY: tuple[str, ...] = ("Running orders", "Exports and sharing log", "Data")
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


def _find_in_nav(page, narrow):
    """The navigation links `narrow` picks out: among the top-level links, else in the first
    section menu holding any (that menu left open). Empty when no link qualifies."""
    found = narrow(page.locator(NAV_TOP_LINK))
    if found.count():
        return found
    for kind, text in nav_entries(page):
        if kind == "section":
            in_menu = narrow(open_section(page, text))
            if in_menu.count():
                return in_menu
            close_menu(page)
    return found


def nav_link(page, title: str):
    """The navigation link whose text is exactly `title`, its section's menu left open."""
    return _find_in_nav(page, lambda links: links.filter(has_text=_exactly(title)))


def current_page(page) -> str | None:
    """The title the navigation marks as the current page (aria-current="page")."""
    marked = _find_in_nav(page, lambda links: links.and_(page.locator('[aria-current="page"]')))
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
