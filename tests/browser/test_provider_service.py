"""One service for a whole provider, run here (issue 27): Debian's nginx on loopback with the
configuration in deploy/nginx, in front of two app processes started with the ExecStart line of
deploy/systemd/insight@.service, sharing one cookie secret, one PostgreSQL database (Debian's
postgresql, a throwaway cluster: tests/pg.py; its schema made by insight-migrate.service's
command) and one data folder.

- Through the proxy, without a browser: /_stcore/metrics is refused however it is spelt (while a
  process itself still serves it: there is something to block); a Host that is not allowed gets
  no answer at all (444); a new browser gets its route cookie and a routed one does not; the
  WebSocket handshake passes through (101).
- In sealed Chromium: a data manager signs in through the OIDC mock, keeps a dataset through
  process A and opens it through process B, records a stakeholder insight through A and reads it
  through B, builds and downloads a briefing pack, presents a meeting through A while its
  audience window follows through B (the presenter view's link between two windows reaching two
  processes), and then process A is killed with SIGKILL mid-meeting: the presenter's window
  reconnects through nginx to B and the meeting goes on from its URL at the same slide, and
  nothing recorded (the insight, the pack's sharing-log entry, the kept dataset) is lost.

Which process serves a browser is chosen the way nginx chooses it: by the route cookie. The test
finds a cookie value for each process by asking the proxy and reading its access log (the log
format names the upstream), then gives each browser context the value for the process it wants.
"""

from __future__ import annotations

import base64
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.conftest import (
    RUN_TIMEOUT_MS,
    SAMPLE_DIR,
    VIEWPORT,
    Server,
    _free_port,
    _streamlit_bin,
    leaves_machine,
    stop_server,
    wait_for_run,
    watch_runs,
)
from tests.browser.proxy import (
    DEPLOY,
    ROOT,
    ROUTE,
    nginx_binary,
    start_nginx,
    stop_nginx,
    upstream_of,
)
from tests.browser.test_signin import oidc_provider, sign_in, sign_in_files, start  # noqa: F401
from tests.browser.test_upload import WALES_PROVIDER, wales_zip  # noqa: F401

UNIT = DEPLOY / "systemd" / "insight@.service"
MIGRATE = DEPLOY / "systemd" / "insight-migrate.service"
DANA = "dana@provider.example"  # a data manager in test_signin's roles
KEPT = "wales-shared"
INSIGHT_TEXT = "Partners asked for the housing barrier by ward at the next board"
WALSALL = "E08000030"
MEETING = f"meeting=auto&la={WALSALL}&period=whole"
COUNTER = ".ri-slide-counter"


def nginx_or_skip() -> str:
    """Debian's nginx; in CI its absence is a failure (.ci/run installs it), elsewhere a skip."""
    found = nginx_binary()
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("nginx is not installed; .ci/run installs it with apt-get")
    pytest.skip("Debian's nginx is not installed (apt-get install -y nginx): no proxy to test")


# --- the app processes: the systemd unit's own command line --------------------------------------
def unit_command(unit: Path, port: int = 0, secrets: Path | None = None) -> list[str]:
    """A unit's ExecStart (insight@.service for instance `port`, insight-migrate.service), with
    this checkout in place of /opt/restart-insight and the test's secrets file in place of
    /etc/restart-insight's."""
    text = unit.read_text(encoding="utf-8")
    assert "WorkingDirectory=/opt/restart-insight" in text  # the test runs it from ROOT
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    venv = Path(_streamlit_bin()).parent
    given = {
        "/opt/restart-insight/.venv/bin/streamlit": str(venv / "streamlit"),
        "/opt/restart-insight/.venv/bin/python": str(venv / "python"),
        "%i": str(port),
        "${INSIGHT_HOST}": "127.0.0.1",
        "/etc/restart-insight/secrets.toml": str(secrets),
    }
    words = [given.get(word, word) for word in shlex.split(line.removeprefix("ExecStart="))]
    assert not [w for w in words if "/opt/" in w or "/etc/" in w], words
    return words


@dataclass
class Service:
    proxy: Server  # nginx: its url is the one people use
    a: Server
    b: Server
    routes: dict[str, str]  # "a" / "b" -> a route cookie value nginx sends to that process
    folder: Path
    state: Path
    data: Path
    database: str  # INSIGHT_DATABASE_URL of both processes

    def access_log(self) -> list[str]:
        path = self.folder / "access.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def served_since(self, since: int, *, streams: bool = True) -> set[str]:
        """The processes (a, b) that answered the requests logged since line `since` (a WebSocket
        is logged when it closes; its page's other requests as they are answered)."""
        names = {self.a.url.rsplit(":", 1)[1]: "a", self.b.url.rsplit(":", 1)[1]: "b"}
        return {
            names[upstream_of(line)]
            for line in self.access_log()[since:]
            if upstream_of(line) in names and (streams or "/_stcore/stream" not in line)
        }


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, dict(reply.headers.items()), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def find_routes(proxy_url: str, service_log: Path, ports: dict[str, int]) -> dict[str, str]:
    """A route cookie value for each process, found by asking the proxy and reading which
    upstream its access log names."""
    found: dict[str, str] = {}
    for n in range(200):
        value = f"route-{n}"
        status, _, _ = _get(f"{proxy_url}/_stcore/health", {"Cookie": f"{ROUTE}={value}"})
        assert status == 200
        # nginx writes the access log line after the answer has gone: wait for it to land.
        deadline = time.monotonic() + 5
        while True:
            last = service_log.read_text(encoding="utf-8").splitlines()[-1]
            if f"route={value}" in last or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert f"route={value}" in last, last
        for name, port in ports.items():
            if upstream_of(last) == str(port):
                found.setdefault(name, value)
        if len(found) == len(ports):
            return found
    pytest.fail(f"no route found to every process: {found}")


@pytest.fixture(scope="module")
def service(
    oidc_provider: str,  # noqa: F811
    postgres_cluster,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Service]:
    """nginx in front of processes A and B, sharing one PostgreSQL database (a new one in the
    run's throwaway cluster, tests/pg.py), one data folder and one secrets file; the schema
    made first by insight-migrate.service's command, as the units order it."""
    nginx = nginx_or_skip()
    folder = tmp_path_factory.mktemp("provider")
    database = postgres_cluster.create_database("provider")
    state, data = folder / "state", folder / "data"
    port, a_port, b_port = _free_port(), _free_port(), _free_port()
    url = f"http://127.0.0.1:{port}"
    # one secrets file, so one cookie secret, for both processes
    secrets, roles = sign_in_files(folder, url, oidc_provider)
    env = {
        "INSIGHT_DATABASE_URL": database,
        "INSIGHT_STATE_DIR": str(state),
        "INSIGHT_DATA_DIR": str(data),
        "INSIGHT_ROLES": str(roles),
    }
    servers: list[Server] = []
    proc = None
    try:
        migrated = subprocess.run(
            unit_command(MIGRATE),
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        for name, app_port in (("a", a_port), ("b", b_port)):
            servers.append(
                start(
                    f"provider-{name}",
                    unit_command(UNIT, app_port, secrets),
                    f"http://127.0.0.1:{app_port}",
                    env,
                    folder,
                )
            )
        proc = start_nginx(nginx, folder, port, (a_port, b_port))
        proxy = Server("nginx", SAMPLE_DIR, url, folder / "error.log", proc, state)
        routes = find_routes(url, folder / "access.log", {"a": a_port, "b": b_port})
        yield Service(proxy, servers[0], servers[1], routes, folder, state, data, database)
    finally:
        if proc is not None:
            stop_nginx(proc)
        for server in servers:
            stop_server(server)
        from insight.sharing import store

        store.dispose(database)
        postgres_cluster.drop_database(database)


def _command(*words: str):
    """A command that, given its last arguments, runs to its end with its output captured."""

    def run(more: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*words, *more], capture_output=True, text=True, timeout=60, check=False
        )

    return run


# --- the site file as installed --------------------------------------------------------------------
def test_the_site_file_with_its_includes_passes_nginx_s_own_check(tmp_path: Path) -> None:
    """deploy/nginx/restart-insight.conf (TLS, the default server, both includes) is a
    configuration nginx accepts, with its /etc paths pointed at this checkout and a throwaway
    certificate."""
    nginx = nginx_or_skip()
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: no certificate to check the TLS server with")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subject = "/CN=insight.provider.example"
    made = _command(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1")
    assert made([*("-subj", subject, "-keyout", str(key), "-out", str(cert))]).returncode == 0
    site = (DEPLOY / "nginx" / "restart-insight.conf").read_text(encoding="utf-8")
    paths = {
        "/etc/nginx/restart-insight/": f"{DEPLOY}/nginx/",
        "/etc/ssl/certs/insight.provider.example.pem": str(cert),
        "/etc/ssl/private/insight.provider.example.key": str(key),
        "/var/log/nginx/": f"{tmp_path}/",
    }
    for installed, here in paths.items():
        assert installed in site, installed
        site = site.replace(installed, here)
    if os.geteuid() != 0:  # nginx -t binds the listening ports: unprivileged ones stand in
        for privileged in (80, 443):
            site = re.sub(rf"(listen (\[::\]:)?){privileged}\b", rf"\g<1>{_free_port()}", site)
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        # (the log of a server that names none: nginx's own default is under /var/log)
        f"http {{\n    access_log {tmp_path}/access.log;\n    include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    test = _command(nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"))
    checked = test(["-c", str(tmp_path / "nginx.conf")])
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


# --- through the proxy, without a browser -------------------------------------------------------
def _raw(port: int, request: bytes) -> bytes:
    """Send a raw request; return everything the server answered before closing or pausing."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        try:
            while chunk := sock.recv(4096):
                received += chunk
                if b"\r\n\r\n" in received:
                    break
        except TimeoutError:
            pass
        return received


def test_the_proxy_blocks_metrics_allows_only_its_host_routes_and_upgrades(service: Service):
    url = service.proxy.url
    # The day's test below kills A; pytest may run it first (it is parametrised by browser).
    alive = "a" if service.a.proc.poll() is None else "b"
    port = int(url.rsplit(":", 1)[1])
    assert _get(f"{service.b.url}/_stcore/metrics")[0] == 200, (
        "a process itself serves them"
    )  # B: the day below kills A
    for path in ("/_stcore/metrics", "//_stcore/metrics", "/_stcore/metrics/", "/_STCORE/Metrics"):
        status, _, body = _get(f"{url}{path}")
        assert status == 404, path
        assert b"session" not in body
    # An unknown Host: the connection is closed with no answer at all (444).
    for host in ("evil.example", "localhost", f"127.0.0.2:{port}"):
        answer = _raw(port, f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert answer == b"", (host, answer[:80])
    # A new browser gets a route cookie; a browser that has one keeps it (no new cookie).
    status, headers, _ = _get(f"{url}/")
    assert status == 200
    cookie = headers.get("Set-Cookie", "")
    assert cookie.startswith(f"{ROUTE}=") and "HttpOnly" in cookie and "Path=/" in cookie
    routed = _get(f"{url}/", {"Cookie": f"{ROUTE}={service.routes['b']}"})[1]
    assert "Set-Cookie" not in routed
    # The same route always reaches the same process.
    before = len(service.access_log())
    for _ in range(4):
        _get(f"{url}/_stcore/health", {"Cookie": f"{ROUTE}={service.routes[alive]}"})
    assert service.served_since(before) == {alive}
    # The WebSocket handshake passes through nginx to the app.
    key = base64.b64encode(os.urandom(16)).decode()
    answer = _raw(
        port,
        (
            f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {url}\r\nCookie: {ROUTE}={service.routes[alive]}\r\n\r\n"
        ).encode(),
    )
    assert answer.startswith(b"HTTP/1.1 101"), answer[:200]


# --- in the browser -------------------------------------------------------------------------------
def routed_context(browser, service: Service, process: str, storage_state=None):
    """A browser context whose every request nginx sends to `process` (a or b)."""
    context = browser.new_context(
        viewport=VIEWPORT,
        locale="en-GB",
        timezone_id="Europe/London",
        service_workers="block",
        storage_state=storage_state,
        accept_downloads=True,
    )
    context.set_default_timeout(RUN_TIMEOUT_MS)
    context.add_cookies(
        [{"name": ROUTE, "value": service.routes[process], "url": service.proxy.url}]
    )
    watch_runs(context)
    return context


def visit(page, service: Service, path: str = "", query: str = "") -> None:
    page.goto(
        f"{service.proxy.url}/{path}" + (f"?{query}" if query else ""),
        wait_until="domcontentloaded",
    )
    wait_for_run(page)


def slide_number(page) -> int:
    text = page.locator(COUNTER).first.inner_text()
    found = re.search(r"Slide (\d+) of", text)
    assert found, text
    return int(found.group(1))


def shows_slide(page, number: int, timeout: int = RUN_TIMEOUT_MS) -> None:
    page.locator(COUNTER).filter(has_text=re.compile(rf"Slide {number} of")).first.wait_for(
        timeout=timeout
    )


def test_a_provider_s_day_through_two_processes_and_one_dying_mid_meeting(
    browser,
    service: Service,
    wales_zip: bytes,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contexts = []
    outside: list[str] = []
    try:
        # --- process A: sign in, keep a dataset, record an insight ----------------------------
        on_a = routed_context(browser, service, "a")
        contexts.append(on_a)
        on_a.on("request", lambda r: outside.append(r.url) if leaves_machine(r.url) else None)
        page = on_a.new_page()
        start_line = len(service.access_log())
        sign_in(page, service.proxy, DANA)
        page.get_by_text(f"{DANA} (data manager)").first.wait_for()

        visit(page, service, path="data")
        main = page.get_by_test_id("stMain")
        box = main.get_by_test_id("stFileUploader").first  # the one box for either kind
        before = wait_for_run(page)
        box.locator('input[type="file"]').set_input_files(
            files=[{"name": "wales.zip", "mimeType": "application/zip", "buffer": wales_zip}]
        )
        main.get_by_text("Recognised: a contract dataset").first.wait_for(timeout=120_000)
        wait_for_run(page, after=before)
        form = main.get_by_test_id("stForm").first
        form.get_by_label("Keep it as").fill(KEPT)
        before = wait_for_run(page)
        form.get_by_role("button", name="Check and keep").click()
        main.get_by_text(f"kept as '{KEPT}'").first.wait_for(timeout=120_000)
        wait_for_run(page, after=before)
        assert (service.data / KEPT / "dataset.toml").is_file(), "kept in INSIGHT_DATA_DIR"

        visit(page, service, path="stakeholder_insights")
        main.get_by_label("Organisation").first.fill("Walsall Council employment team")
        main.get_by_label("What they shared").first.fill(INSIGHT_TEXT)
        before = wait_for_run(page)
        main.get_by_role("button", name="Save insight").click()
        main.get_by_text("Saved.").wait_for()
        assert service.served_since(start_line) == {"a"}, "all of that through process A"

        # --- process B: the same person (the same signed cookie), the kept dataset, the insight --
        on_b = routed_context(browser, service, "b", storage_state=on_a.storage_state())
        contexts.append(on_b)
        on_b.on("request", lambda r: outside.append(r.url) if leaves_machine(r.url) else None)
        other = on_b.new_page()
        start_line = len(service.access_log())
        visit(other, service, query=f"dataset={KEPT}&mode=presenter")
        other.get_by_text(WALES_PROVIDER).first.wait_for()
        assert "Heartwood" not in other.get_by_test_id("stApp").inner_text()

        visit(other, service, path="stakeholder_insights")
        other.get_by_text(f"{DANA} (data manager)").first.wait_for()  # signed in on B too
        other.get_by_text(INSIGHT_TEXT).first.wait_for()

        visit(other, service, path="sharing")
        # One chart (its image drawn by Chromium in the app process) keeps the build short: the
        # point here is the download through the proxy, not the pack (tests/unit/test_export.py).
        from insight.outputs.pack import CHARTS

        charts = other.get_by_test_id("stMultiSelect").first
        before = wait_for_run(other)
        charts.get_by_role("button", name="Clear all").click()
        before = wait_for_run(other, after=before)
        charts.click()
        other.get_by_role("option", name=CHARTS[2].label).click()  # a bar chart
        before = wait_for_run(other, after=before)
        other.keyboard.press("Escape")
        assert charts.get_by_text(CHARTS[0].label).count() == 0
        other.get_by_role("button", name="Build briefing pack").click()
        button = other.get_by_role("button", name="Download briefing pack (PDF)")
        button.wait_for(timeout=240_000)
        wait_for_run(other, after=before)
        with other.expect_download(timeout=60_000) as caught:
            button.click()
        pdf = caught.value.path().read_bytes()
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        assert service.served_since(start_line) == {"b"}, "all of that through process B"

        # --- a meeting: the presenter through A, its audience window through B ----------------
        presenter = on_a.new_page()
        visit(presenter, service, path="slides", query=f"{MEETING}&view=presenter")
        audience = other
        visit(audience, service, path="slides", query=f"{MEETING}&slide=1")
        shows_slide(presenter, 1)
        before = wait_for_run(presenter)
        presenter.keyboard.press("PageDown")
        wait_for_run(presenter, after=before)
        shows_slide(audience, 2)  # the other process's window follows, through the store

        # --- process A dies mid-meeting -------------------------------------------------------
        # The presenter's window reconnects by itself (Streamlit's own retry), nginx sends it to
        # B, and B runs the page from its URL: the same meeting, at the slide the store holds.
        line = len(service.access_log())
        with presenter.expect_websocket(timeout=90_000):
            os.kill(service.a.proc.pid, signal.SIGKILL)
            service.a.proc.wait(timeout=10)
        wait_for_run(presenter)  # the first run on the new connection
        shows_slide(presenter, 2)
        assert presenter.locator(".ri-pv-notes li").count() > 0, "still the signed-in presenter"
        # (A's old WebSocket is logged as it breaks: everything else since was answered by B)
        assert service.served_since(line, streams=False) == {"b"}, "back through B"
        before = wait_for_run(presenter)
        presenter.keyboard.press("PageDown")
        wait_for_run(presenter, after=before)
        shows_slide(presenter, 3)
        shows_slide(audience, 3)  # and the audience window still follows it

        # --- nothing recorded is lost --------------------------------------------------------
        from insight.sharing import datasets, store

        monkeypatch.setenv("INSIGHT_DATABASE_URL", service.database)
        monkeypatch.setenv("INSIGHT_STATE_DIR", str(service.state))
        monkeypatch.setenv("INSIGHT_DATA_DIR", str(service.data))
        assert [i.text for i in store.list_insights()] == [INSIGHT_TEXT]
        packs = [entry for entry in store.list_log() if entry.kind == "pack"]
        assert len(packs) == 1 and packs[0].owner == DANA
        kept = datasets.version(KEPT)
        assert kept is not None and kept.version == 1 and datasets.kept_names() == [KEPT]
        assert store.integrity_check() == "ok"
        assert not outside, outside
    finally:
        for context in contexts:
            context.close()
