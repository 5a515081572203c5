"""Who may see what, in the real browser against real servers (issue 12).

- Sign-in: a local OpenID Connect provider (oidc-provider-mock, on 127.0.0.1, a free port) and the
  app configured for it in a secrets file of the test's own. Each of the three roles signs in and
  finds the pages its role reaches in the navigation, and the pages it does not reach neither in
  the navigation nor by typing their URL. Before signing in and after signing out, a typed URL
  shows the sign-in page and nothing else (checked once, for the role that reaches most: what
  happens before sign-in and after sign-out does not depend on who it was).
- Served beyond this machine without sign-in: the server listens on 0.0.0.0, as a careless team
  server would, and the browser comes from 127.0.0.1. Why this is honest: the rule (insight.sharing.access)
  makes a session local only when the local user is opted in (INSIGHT_LOCAL_USER=1, as `make run`
  sets; this server has it too, to show it does not open a wildcard server) AND the server's
  configured address is loopback AND the browser is on loopback AND no proxy forwarded the
  request, so a server on 0.0.0.0 is "beyond localhost" for every visitor, its own machine's
  browser included. Nothing in the app is switched by the test: it is the same server a team
  would start. (A browser on another machine cannot take part in a sealed test; the
  client-address half of the rule is covered in tests/unit/test_access.py, and a loopback peer
  without the opt-in in tests/app/test_app_access.py.) The same visitor finds no saved meeting
  on the Slides page, and following a meeting's link sees its slides but not its speaker notes,
  nor in the presenter view (which refuses a viewer).
  The same test sends a proxy's X-Forwarded-For header to a loopback-only server: also a viewer.
- Nothing leaves the machine: the server is started with the very command `make run` runs (read
  from `make -n run`, the local-user opt-in included), with an audit hook (sitecustomize.py on PYTHONPATH, sys.addaudithook) that
  writes every socket connect and every name lookup of the server process to a file. A browser
  opens two pages and a WebSocket arrives from a foreign origin (which made Streamlit look up the
  machine's addresses); then every connection and lookup must have been to this machine.
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import (
    ROOT,
    SAMPLE_DIR,
    START_TIMEOUT_S,
    Server,
    _free_port,
    _healthy,
    _streamlit_bin,
    current_page,
    nav_titles,
    stop_server,
    wait_for_run,
)

pytestmark = pytest.mark.browser

RESTRICTED = {"Data": "data", "Exports and sharing log": "sharing"}  # title -> URL path
ROLES_TOML = """
data_manager = ["dana@provider.example"]
analyst = ["provider.example"]
"""
PEOPLE = {  # e-mail -> (role, the restricted pages it reaches)
    "dana@provider.example": ("data manager", {"Data", "Exports and sharing log"}),
    "alex@provider.example": ("analyst", {"Exports and sharing log"}),
    "vic@council.example": ("viewer", set()),
}


def start(name: str, cmd: list[str], url: str, env: dict[str, str], log_dir: Path) -> Server:
    """Start a server from `cmd`; returns once /_stcore/health answers at `url`."""
    log = log_dir / f"streamlit-{name}.log"
    full_env = {
        # the local-user opt-in only where a server is given it here, never from the test's own
        **{name: value for name, value in os.environ.items() if name != "INSIGHT_LOCAL_USER"},
        "INSIGHT_DATASET": str(SAMPLE_DIR),
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=full_env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, SAMPLE_DIR, url, log, proc)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and proc.poll() is None:
        if _healthy(url):
            return server
        time.sleep(0.25)  # polling a process we cannot await
    stop_server(server)
    pytest.fail(f"{name} did not start on {url}:\n{server.output()}")


def run_cmd(port: int, *extra: str) -> list[str]:
    return [_streamlit_bin(), "run", "app.py", "--server.port", str(port), *extra]


# Typing the URL of a page the role does not reach: Streamlit logs this and runs the main page.
# Expected in these tests, and only this; every other console error still fails them.
NOT_FOUND = "The page that you have requested does not seem to exist. Running the app's main page."


def assert_clean(sealed) -> None:
    """The harness's check (nothing left the machine, no error), with NOT_FOUND expected."""
    sealed.checked = True
    problems = [p for p in sealed.problems() if NOT_FOUND not in p]
    assert not problems, "\n".join(problems)


def visit(page, server: Server, query: str = "", path: str = "") -> None:
    """Open a URL and wait for its script run to be drawn. Not the harness's open_app: that
    also waits for every chart and map to be drawn, which these tests do not look at, and which
    on a loaded machine took longer than its minute on the Overview (two runs failed so)."""
    url = f"{server.url}/{path}" + (f"?{query}" if query else "")
    page.goto(url, wait_until="domcontentloaded")
    wait_for_run(page)


def shows(page, text: str) -> None:
    """Wait until `text` is on screen (a rerun may still be redrawing the sidebar)."""
    page.get_by_text(text, exact=False).first.wait_for()


def body(page) -> str:
    return page.inner_text("body")


def check_pages(page, server: Server, reaches: set[str]) -> None:
    """The navigation offers the restricted pages this role reaches and no other; each one it
    does not reach is not opened by typing its URL either (Streamlit runs the default page)."""
    titles = nav_titles(page)
    assert "Overview" in titles and "Stakeholder insights" in titles
    assert {t for t in titles if t in RESTRICTED} == reaches
    for title, path in RESTRICTED.items():
        visit(page, server, path=path)
        if title in reaches:
            assert current_page(page) == title
            assert page.locator("h1").first.inner_text().strip().startswith(title.split()[0])
        else:
            assert current_page(page) == "Overview", f"{path} opened by typing its URL"
            assert "Open another dataset" not in body(page)
            assert "Briefing pack" not in body(page)


# --- served beyond this machine without sign-in ----------------------------------------------
SPEAKER_NOTE = "Ask the council about the bus contract before this slide"


def saved_meeting(state_dir: Path) -> int:
    """A meeting an analyst saved, with a speaker note, in the server's own state folder."""
    from insight.sharing import store
    from insight.sharing.access import Principal

    ana = Principal("ana@provider.example", "analyst", True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INSIGHT_STATE_DIR", str(state_dir))
        made = store.create_meeting("Sandwell employment board", "2026-03-12", by=ana)
        store.add_meeting_item(
            made.id, chart="barriers", la="all", period="whole", notes=SPEAKER_NOTE, by=ana
        )
    return made.id


@pytest.fixture(scope="module")
def wildcard_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, int]]:
    """The app on 0.0.0.0 (every interface), no sign-in configured, reached via 127.0.0.1; the
    local user opted in as `make run` does (which must not open a server on every interface).
    With a saved meeting (its id beside the server)."""
    tmp = tmp_path_factory.mktemp("wildcard")
    meeting = saved_meeting(tmp / "s")
    port = _free_port()
    cmd = run_cmd(port, "--server.address", "0.0.0.0", "--server.headless", "true")
    env = {"INSIGHT_STATE_DIR": str(tmp / "s"), "INSIGHT_LOCAL_USER": "1"}
    server = start("wildcard", cmd, f"http://127.0.0.1:{port}", env, tmp)
    yield server, meeting
    stop_server(server)


def test_served_on_every_interface_without_sign_in_is_viewer_only(sealed, wildcard_server):
    wildcard_server, meeting = wildcard_server
    page = sealed.page
    visit(page, wildcard_server, query="mode=standard")
    shows(page, "presenter mode is the only mode")
    shows(page, "Visitor (viewer)")
    assert page.get_by_role("button", name="Leave presenter mode...").count() == 0
    assert page.locator('[data-testid="stDownloadButton"]').count() == 0, "no exports"
    assert "mode=presenter" in page.url
    check_pages(page, wildcard_server, set())
    # spelled otherwise, or repeated: still presenter, still no way to the Data page
    for query in ("mode=STANDARD&mode=standard", "MODE=standard"):
        visit(page, wildcard_server, query=query, path="data")
        assert current_page(page) == "Overview"
        shows(page, "presenter mode is the only mode")
    visit(page, wildcard_server, path="stakeholder_insights")
    assert page.get_by_role("button", name="Save insight").count() == 0, "a viewer records nothing"
    # Meetings: no list of the saved ones; a meeting's link shows its slides, never its notes.
    visit(page, wildcard_server, path="slides")
    page.get_by_role("button", name="Present the ready-made meeting", exact=False).wait_for()
    assert "Saved meetings" not in body(page) and "Sandwell employment board" not in body(page)
    # The notes live only in the presenter view (`&view=presenter`): the audience window holds
    # none, not even in its HTML, and a viewer asking for the presenter view is refused it.
    visit(page, wildcard_server, query=f"meeting={meeting}")
    shows(page, "Slide 1 of 1")
    assert page.get_by_text("Speaker notes").count() == 0
    assert SPEAKER_NOTE not in page.content(), "a viewer never reads the speaker notes"
    visit(page, wildcard_server, query=f"meeting={meeting}&view=presenter")
    shows(page, "The presenter view is for the person giving the presentation")
    assert (
        page.locator(".ri-pv-notes").count() == 0 and page.get_by_text("Speaker notes").count() == 0
    )
    assert SPEAKER_NOTE not in page.content(), "not even by asking for the presenter view"
    assert_clean(sealed)


@pytest.fixture(scope="module")
def loopback_server(sample_server: Server) -> Server:
    """The app on 127.0.0.1, no sign-in configured: the worker's shared sample server is exactly
    that (`--server.address 127.0.0.1`, no secrets file), so no server is started for this."""
    return sample_server


def test_on_this_machine_the_local_user_but_through_a_proxy_a_viewer(sealed, loopback_server):
    page = sealed.page
    visit(page, loopback_server)
    shows(page, "Local user (data manager)")
    assert {"Data", "Exports and sharing log"} <= set(nav_titles(page))
    proxied = sealed.context.new_page()
    sealed.context.set_extra_http_headers({"X-Forwarded-For": "203.0.113.9"})
    visit(proxied, loopback_server, query="mode=standard")
    shows(proxied, "Visitor (viewer)")
    check_pages(proxied, loopback_server, set())
    assert_clean(sealed)


# --- sign-in against a local OpenID Connect provider ------------------------------------------
def _strip_outside_css(response):
    """The provider's pages link a stylesheet on a CDN: nothing may leave the machine, so the
    link is taken out before the page reaches the browser."""
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        kept = [line for line in html.splitlines() if "cdn.jsdelivr.net" not in line]
        response.set_data("\n".join(kept))
    return response


@pytest.fixture(scope="module")
def oidc_provider() -> Iterator[str]:
    """oidc-provider-mock on 127.0.0.1 and a free port; knows each person's e-mail claim."""
    oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
    from werkzeug.serving import make_server

    provider = oidc_provider_mock.app(
        user_claims=[
            oidc_provider_mock.User(sub=email, claims={"email": email, "email_verified": True})
            for email in PEOPLE
        ]
    )
    provider.after_request(_strip_outside_css)
    # The provider has no favicon; the browser asks for one and would log the 404 as an error.
    provider.add_url_rule("/favicon.ico", "favicon", lambda: ("", 204))
    server = make_server("127.0.0.1", 0, provider, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=10) as reply:
        assert json.load(reply)["issuer"] == url
    yield url
    server.shutdown()
    thread.join(timeout=10)


def sign_in_files(folder: Path, url: str, oidc_provider: str) -> tuple[Path, Path]:
    """A secrets file (sign-in through the provider, a fresh cookie secret, the app at `url`)
    and a roles file, in `folder`."""
    secrets = folder / "secrets.toml"
    secrets.write_text(
        textwrap.dedent(
            f"""\
            [auth]
            redirect_uri = "{url}/oauth2callback"
            cookie_secret = "test-only-{os.urandom(16).hex()}"
            client_id = "restart-insight-test"
            client_secret = "test-only"
            server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"
            client_kwargs = {{ scope = "openid profile email" }}
            """
        ),
        encoding="utf-8",
    )
    roles = folder / "roles.toml"
    roles.write_text(ROLES_TOML, encoding="utf-8")
    return secrets, roles


@pytest.fixture(scope="module")
def signin_server(oidc_provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app with sign-in configured in a secrets file of the test's own, and a roles file."""
    tmp = tmp_path_factory.mktemp("signin")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    secrets, roles = sign_in_files(tmp, url, oidc_provider)
    cmd = run_cmd(port, "--server.address", "127.0.0.1", "--secrets.files", str(secrets))
    env = {"INSIGHT_STATE_DIR": str(tmp / "s"), "INSIGHT_ROLES": str(roles)}
    server = start("signin", cmd, url, env, tmp)
    yield server
    stop_server(server)


def shows_only_sign_in(page, server: Server) -> None:
    """A typed URL to a restricted page, not signed in: the sign-in page and nothing else."""
    visit(page, server, path="data")
    page.get_by_role("button", name="Sign in").first.wait_for()  # a redirected run may still draw
    assert page.get_by_role("button", name="Sign in").count() == 1
    assert "Open another dataset" not in body(page) and "Heartwood" not in body(page)


def sign_in(page, server: Server, email: str) -> None:
    """Sign in through the provider's own form, as a person does, and wait for the app. (The
    main page first: a typed URL's "page not found" notice leaves the sign-in button inert.)"""
    visit(page, server)
    assert not nav_titles(page), "no page is offered before signing in"
    assert "Heartwood" not in body(page), "no data before signing in"
    page.get_by_role("button", name="Sign in").click()
    page.get_by_placeholder("sub").first.wait_for()
    page.get_by_placeholder("sub").first.fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server.url}/**")
    wait_for_run(page)


@pytest.mark.parametrize("email", list(PEOPLE))
def test_each_role_signs_in_and_reaches_only_its_pages(sealed, signin_server, email):
    page = sealed.page
    role, reaches = PEOPLE[email]
    sign_in(page, signin_server, email)
    if role == "viewer":  # presenter mode: the sidebar names the role, never the address
        shows(page, "presenter mode is the only mode")
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Viewer", exact=True).wait_for()
        assert email not in sidebar.inner_text()
    else:  # analyst or above: standard mode, named, with the way into presenter mode
        shows(page, f"{email} ({role})")
        page.get_by_role("button", name="Switch to presenter mode").wait_for()
    check_pages(page, signin_server, reaches)
    assert_clean(sealed)


def test_signing_out_ends_it_and_a_typed_url_shows_only_the_sign_in_page(sealed, signin_server):
    """Before signing in and after signing out, a typed URL to the Data page shows the sign-in
    page and nothing else; signing out also ends the provider's session."""
    page = sealed.page
    email = "dana@provider.example"  # the data manager: the role that reaches most
    shows_only_sign_in(page, signin_server)
    sign_in(page, signin_server, email)
    shows(page, f"{email} (data manager)")
    page.get_by_role("button", name="Sign out").click()
    # The app clears its sign-in cookie and sends the browser to the provider to end its session
    # there too; the provider's confirmation returns to the app.
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signin_server.url}/**")
    shows_only_sign_in(page, signin_server)
    assert not nav_titles(page), "no page is offered after signing out"
    assert_clean(sealed)


# --- nothing leaves the machine ---------------------------------------------------------------
_AUDIT = '''
"""Test-only: record the socket connections and name lookups of this Python process."""
import json, os, sys

_log = os.environ.get("INSIGHT_TEST_CONNECT_LOG")
if _log:
    def _record(event, args):
        if event == "socket.connect":
            sock, address = args
            entry = {"event": event, "family": int(sock.family), "address": list(address)
                     if isinstance(address, tuple) else str(address)}
        elif event == "socket.getaddrinfo":
            entry = {"event": event, "host": str(args[0]), "port": str(args[1])}
        elif event in ("socket.gethostbyname", "socket.gethostbyaddr"):
            entry = {"event": event, "host": str(args[0])}
        elif event == "socket.sendto":
            entry = {"event": event, "address": list(args[1]) if isinstance(args[1], tuple) else str(args[1])}
        else:
            return
        with open(_log, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\\n")

    with open(_log, "a", encoding="utf-8") as out:
        out.write(json.dumps({"event": "installed", "argv": sys.argv}) + "\\n")
    sys.addaudithook(_record)
'''

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "", "None"}


def make_run_command(port: int) -> tuple[list[str], dict[str, str]]:
    """The command `make run` runs, as make itself prints it (the venv's own setup left out),
    and the environment it sets before it (VAR=value words)."""
    bin_dir = str(Path(_streamlit_bin()).parent)
    printed = subprocess.run(
        ["make", "-s", "-n", "-o", ".venv/.installed", "run", f"PORT={port}", f"BIN={bin_dir}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    words = shlex.split(printed)
    env = {}
    while words and "=" in words[0] and not words[0].startswith("/"):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[:3] == [_streamlit_bin(), "run", "app.py"], printed
    return words, env


def foreign_origin_websocket(port: int) -> int:
    """A WebSocket handshake from a page on another site: Streamlit's origin check used to look
    up this machine's addresses (8.8.8.8, checkip.amazonaws.com) to decide. Returns the status."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            (
                "GET /_stcore/stream HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Protocol: streamlit\r\n"
                "Origin: http://elsewhere.example\r\n\r\n"
            ).encode()
        )
        status_line = sock.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])


def is_this_machine(entry: dict) -> bool:
    if entry["event"] == "socket.connect" and entry["family"] == socket.AF_UNIX:
        return True
    host = entry.get("host")
    if host is None:
        address = entry["address"]
        host = address[0] if isinstance(address, list) else address
    from insight.sharing.access import is_loopback

    return host in LOOPBACK_NAMES or is_loopback(host)


def test_make_run_serves_on_loopback_and_nothing_leaves_the_machine(sealed, tmp_path):
    port = _free_port()
    cmd, make_env = make_run_command(port)
    assert "--server.address" in cmd and cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert make_env == {"INSIGHT_LOCAL_USER": "1"}, "make run, and only it, opts in the local user"
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_AUDIT, encoding="utf-8")
    log = tmp_path / "connections.jsonl"
    env = {
        **make_env,
        "INSIGHT_STATE_DIR": str(tmp_path / "state"),
        "INSIGHT_TEST_CONNECT_LOG": str(log),
        "PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        ),
    }
    server = start("make-run", cmd, f"http://127.0.0.1:{port}", env, tmp_path)
    try:
        listening = subprocess.run(
            ["ss", "-Htln", f"sport = :{port}"], capture_output=True, text=True, check=False
        ).stdout
        if listening.strip():  # where ss exists: the socket is bound to loopback only
            assert all("127.0.0.1:" in line for line in listening.splitlines()), listening
        page = sealed.page
        visit(page, server)
        shows(page, "Local user (data manager)")  # the opt-in make run sets
        visit(page, server, path="participants_barriers")
        assert foreign_origin_websocket(port) in {400, 403}, "a foreign origin is refused"
        time.sleep(1)  # the origin check runs in the server: let it write its record
    finally:
        stop_server(server)
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    installed = [e for e in entries if e["event"] == "installed"]
    assert any("streamlit" in " ".join(e["argv"]) for e in installed), "hook not in the server"
    outside = [e for e in entries if e["event"] != "installed" and not is_this_machine(e)]
    assert not outside, f"the server tried to reach outside hosts: {outside}"
    assert_clean(sealed)
    print(f"{len(entries) - len(installed)} connections and lookups recorded, all on this machine")
