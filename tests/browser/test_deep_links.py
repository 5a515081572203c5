"""Deep links on a freshly started server open inside the frame: the banner, the page asked for,
the LA from the URL, and no "Page not found" notice (Streamlit's legacy pages/ mode would show
one for the first session; app.py's st.App entry point turns that mode off at server start).

Each test starts its own `streamlit run app.py`, so the link is the server's very first session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from insight.core.caveat import CAVEAT
from tests.browser.conftest import (
    leaves_machine,
    nav_titles,
    start_server,
    stop_server,
    wait_for_run,
    watch_runs,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SANDWELL = "E08000028"


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[str]:
    """A new `streamlit run app.py` on a free port, ready when /_stcore/health answers (the
    shared harness prints the server's output if it does not start). Not the session's shared
    server: the link must be this server's first visitor."""
    server = start_server("fresh", ROOT / "sample_data", tmp_path / "state", tmp_path)
    try:
        yield server.url
    finally:
        stop_server(server)


@pytest.fixture
def page(context):
    """pytest-playwright's page (its sealed Chromium, 1366 x 900), recording every request that
    would leave the machine."""
    watch_runs(context)
    tab = context.new_page()
    tab.outside = []  # requests that would leave the machine
    tab.on("request", lambda r: tab.outside.append(r.url) if leaves_machine(r.url) else None)
    return tab


def open_link(tab, url: str, heading: str = "") -> str:
    """Open a link as the first visitor, wait for the run to finish and be drawn (a "Page not
    found" notice comes from the server before its script_finished), check the frame and the
    notice, and return the page's text."""
    tab.goto(url, timeout=60_000)
    tab.wait_for_selector(f"h1:has-text('{heading}')" if heading else "h1", timeout=60_000)
    wait_for_run(tab)
    body = tab.inner_text("body")
    assert CAVEAT in body, "the caveat banner (the frame) is missing"
    assert "Page not found" not in body and "does not seem to exist" not in body
    assert not tab.outside, f"requests left the machine: {tab.outside}"
    return body


def test_deep_link_on_a_fresh_server_opens_inside_the_frame(fresh_server: str, page) -> None:
    open_link(page, f"{fresh_server}/participants_barriers?la={SANDWELL}", "Barriers")
    area = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    assert area.locator("input").first.input_value() == "Sandwell", "?la= was not honoured"
    assert "/participants_barriers" in page.url and f"la={SANDWELL}" in page.url


def test_presenter_deep_link_on_a_fresh_server(fresh_server: str, page) -> None:
    link = f"{fresh_server}/participants_characteristics?mode=presenter"
    assert "Presenter mode is on" in open_link(page, link, "Characteristics")
    titles = nav_titles(page)
    assert "Overview" in titles and "Barriers" in titles
    assert "Data" not in titles and "Exports and sharing log" not in titles


def test_presenter_link_to_the_data_page_does_not_open_it(fresh_server: str, page) -> None:
    """A page left out of presenter mode: a link to it says so in plain words (issue 10), inside
    the frame, never Streamlit's "Page not found" and never the page itself."""
    body = open_link(page, f"{fresh_server}/data?mode=presenter", "Data")
    assert "The Data page is not shown in presenter mode" in body
    assert "Open another dataset" not in body, "presenter mode must not reach the Data page"
    assert "Data" not in nav_titles(page), "and the navigation still leaves it out"
