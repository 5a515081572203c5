"""Debian's nginx on loopback with deploy/nginx's configuration, in front of app processes: for
the provider service's test (test_provider_service.py) and `benchmarks/concurrency.py
--via-proxy`. The configuration is a main file of our own (every path in one folder, loopback
only) that includes deploy/nginx/upstream.conf, its `server` lines pointed at the app processes,
and deploy/nginx/app.conf unchanged, inside a server block like the site file's, beside a default
server that closes any other Host without an answer, as the site file's does."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

from tests.browser.conftest import _healthy

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ROUTE = "insight_route"  # the cookie deploy/nginx/upstream.conf sets and routes by
START_TIMEOUT_S = 30


def nginx_binary() -> str | None:
    """Debian's nginx (/usr/sbin is not on every PATH), or None."""
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def nginx_config(folder: Path, port: int, app_ports: Sequence[int]) -> Path:
    """Write the configuration into `folder` (which holds its pid, logs and temporary files):
    nginx on 127.0.0.1:`port`, one upstream `server` line for each of `app_ports`."""
    upstream = (DEPLOY / "nginx" / "upstream.conf").read_text(encoding="utf-8")
    lines = re.findall(r"^ *server 127\.0\.0\.1:86\d\d .*$", upstream, re.MULTILINE)
    assert len(lines) >= 1, "upstream.conf names no app process"
    ours = "\n".join(
        lines[0].replace(re.search(r"127\.0\.0\.1:\d+", lines[0]).group(), f"127.0.0.1:{p}")  # type: ignore[union-attr]
        for p in app_ports
    )
    upstream = upstream.replace("\n".join(lines), ours)
    (folder / "upstream.conf").write_text(upstream, encoding="utf-8")
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    # Run as root (CI), nginx would hand its workers to `nobody`, who cannot enter a 0700
    # temporary folder; as anyone else the directive does not apply.
    user = "user root root;" if os.geteuid() == 0 else ""
    config = folder / "nginx.conf"
    config.write_text(
        textwrap.dedent(
            f"""\
            {user}
            worker_processes 1;
            pid {folder}/nginx.pid;
            error_log {folder}/error.log notice;
            events {{ worker_connections 1024; }}
            http {{
                client_body_temp_path {temp["body"]};
                proxy_temp_path {temp["proxy"]};
                fastcgi_temp_path {temp["fastcgi"]};
                uwsgi_temp_path {temp["uwsgi"]};
                scgi_temp_path {temp["scgi"]};
                include {folder}/upstream.conf;
                server {{
                    listen 127.0.0.1:{port} default_server;
                    server_name _;
                    access_log off;
                    return 444;
                }}
                server {{
                    listen 127.0.0.1:{port};
                    server_name 127.0.0.1;
                    server_tokens off;
                    access_log {folder}/access.log insight;
                    include {DEPLOY}/nginx/app.conf;
                }}
            }}
            """
        ),
        encoding="utf-8",
    )
    return config


def start_nginx(nginx: str, folder: Path, port: int, app_ports: Sequence[int]) -> subprocess.Popen:
    """nginx in the foreground (its own process group), once /_stcore/health answers through it.
    Raises RuntimeError, with its log, when it does not start."""
    config = nginx_config(folder, port, app_ports)
    log = folder / "nginx.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log"),
             "-g", "daemon off;"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _healthy(f"http://127.0.0.1:{port}"):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_nginx(proc)
            errors = (folder / "error.log").read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"nginx did not start:\n{log.read_text()}\n{errors}")
        time.sleep(0.1)  # polling a process we cannot await
    return proc


def stop_nginx(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=15)


def upstream_of(line: str) -> str:
    """The app process (its port) that answered a request of the access log, "" for none: the
    last address of `up=` (a request passed on from a process that is down names both)."""
    if " up=" not in line:
        return ""
    found = re.findall(r"127\.0\.0\.1:(\d+)", line.split(" up=", 1)[1])
    return found[-1] if found else ""
