"""deploy/nginx/upstream.conf closes an idle connection to an app process before the process does.

Streamlit serves through uvicorn, which drops a connection idle for its keep-alive timeout. A
request nginx sent down a connection closing at that moment failed ("upstream prematurely closed
connection"), so nginx marked the process down for 10 s and sent the person's window to another
process mid-meeting (seen in tests/browser/test_provider_service.py under CI load)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import uvicorn
from streamlit.web.server.starlette import starlette_server

UPSTREAM = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "upstream.conf"


def _nginx_idle_seconds() -> int:
    found = re.search(r"^\s*keepalive_timeout\s+(\d+)s;", UPSTREAM.read_text(), re.MULTILINE)
    assert found, "upstream.conf sets no keepalive_timeout: nginx keeps idle connections 60 s"
    return int(found.group(1))


def _app_idle_seconds() -> float:
    # Streamlit leaves uvicorn's keep-alive at its default: if it ever sets one, read it here.
    assert "timeout_keep_alive" not in inspect.getsource(starlette_server)
    return inspect.signature(uvicorn.Config).parameters["timeout_keep_alive"].default


def test_nginx_lets_go_of_an_idle_connection_before_the_app_process_does() -> None:
    assert _nginx_idle_seconds() < _app_idle_seconds()
