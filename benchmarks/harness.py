"""What the browser benchmarks share (benchmarks/slides.py, benchmarks/presenter.py): the app
served on a free loopback port from a temporary folder (the browser tests' own server harness,
tests/browser/conftest.py), sealed headless Chromium, windows of a given size, and a process's CPU
time. The server and the browser are always stopped, whatever happens in between."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    BROWSER_ARGS,
    Server,
    start_server,
    stop_server,
    watch_runs,
)
from tests.conftest import CHROMIUM  # noqa: E402

OPEN_TIMEOUT_MS = 180_000  # a first page may wait for the server to open a large dataset


@contextmanager
def served(name: str, dataset: Path) -> Iterator[tuple[Server, Any]]:
    """(the server, the Chromium browser): `streamlit run app.py` on `dataset` with a state
    folder of its own, stopped (and the browser closed) on the way out."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        work = Path(tmp)
        (work / "state").mkdir()
        (work / "logs").mkdir()
        server = start_server(f"bench-{name}", dataset, work / "state", work / "logs")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True
                )
                try:
                    yield server, browser
                finally:
                    browser.close()
        finally:
            stop_server(server)


def window(browser: Any, width: int, height: int, errors: list[str] | None = None) -> Any:
    """A page in a browser context (a session) of its own, `width` x `height`, counting its
    script runs (tests.browser.conftest.watch_runs); the page's console errors and uncaught
    exceptions go to `errors`, when given (a figure to report: a browser that stopped drawing)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(OPEN_TIMEOUT_MS)
    watch_runs(context)
    page = context.new_page()
    if errors is not None:
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "response",
            lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
    return page


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    """The load averages and the cores, for a figure's context."""
    return f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"


__all__ = ["OPEN_TIMEOUT_MS", "ROOT", "cpu_seconds", "load", "served", "window"]
