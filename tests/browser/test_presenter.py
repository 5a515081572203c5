"""Presenter mode in the real browser (issue 10 item 3), at 1280 x 720 and 1366 x 768: the
leave-presenter dialog closes on each of its buttons and afterwards the mode the screen shows,
the URL and the session's mode agree, then and after the next navigation (before, "Switch" left
the page in presenter mode until the next navigation, which then showed counts without warning).
`/overview` opens the Overview; a page left out of presenter mode says so in plain words."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import Sealed, current_page, go_to_page, open_app, rerun

pytestmark = pytest.mark.browser

SANDWELL = "E08000028"
VIEWPORTS = [{"width": 1280, "height": 720}, {"width": 1366, "height": 768}]
SIDEBAR = '[data-testid="stSidebar"]'
DIALOG = '[role="dialog"]'
PRESENTER_ON = "Presenter mode is on"


def url_mode(page) -> str:
    return parse_qs(urlsplit(page.url).query).get("mode", ["standard"])[0]


def screen_mode(page) -> str:
    """The mode the screen shows, read from the sidebar: its statement and its one mode button."""
    sidebar = page.locator(SIDEBAR).inner_text()
    presenter = PRESENTER_ON in sidebar and "Leave presenter mode" in sidebar
    standard = "Switch to presenter mode" in sidebar and PRESENTER_ON not in sidebar
    assert presenter != standard, f"the sidebar shows both modes or neither: {sidebar!r}"
    return "presenter" if presenter else "standard"


def assert_agree(page, mode: str) -> None:
    assert page.locator(DIALOG).count() == 0, "the dialog is still open"
    assert screen_mode(page) == mode
    assert url_mode(page) == mode, page.url
    # standard mode prints text alternatives under the charts; presenter mode never does
    printed = page.get_by_text("Text alternative:", exact=False).first
    assert printed.is_visible() == (mode == "standard")


def ask_to_leave(page) -> None:
    rerun(page, page.locator(SIDEBAR).get_by_role("button", name="Leave presenter mode").click)
    page.locator(DIALOG).wait_for(state="visible")
    assert "Leave presenter mode?" in page.locator(DIALOG).inner_text()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_leave_presenter_dialog_closes_on_each_button_and_mode_matches_url(
    sealed: Sealed, sample_server, viewport: dict
) -> None:
    page = sealed.page
    page.set_viewport_size(viewport)
    open_app(page, sample_server, f"mode=presenter&la={SANDWELL}", "participants_barriers")
    assert_agree(page, "presenter")

    ask_to_leave(page)
    stay = page.locator(DIALOG).get_by_role("button", name="Stay in presenter mode")
    rerun(page, stay.click)
    page.locator(DIALOG).wait_for(state="detached")
    assert_agree(page, "presenter")

    ask_to_leave(page)
    leave = page.locator(DIALOG).get_by_role("button", name="Switch to standard mode")
    rerun(page, leave.click)
    page.locator(DIALOG).wait_for(state="detached")
    assert_agree(page, "standard")
    assert current_page(page) == "Barriers", "leaving presenter mode stays on the page"

    go_to_page(page, "Characteristics")  # the next navigation: still standard, URL too
    assert_agree(page, "standard")
    sealed.assert_clean()


def test_overview_path_opens_the_overview(sealed: Sealed, sample_server) -> None:
    page = sealed.page
    page.set_viewport_size(VIEWPORTS[0])
    open_app(page, sample_server, f"mode=presenter&la={SANDWELL}", "overview")
    body = page.inner_text("body")
    assert "Page not found" not in body and "does not seem to exist" not in body
    assert page.locator("h1").first.inner_text().startswith("Overview")
    assert current_page(page) == "Overview"
    assert url_mode(page) == "presenter" and f"la={SANDWELL}" in page.url
    # issue 29 item 5.5: a wrapped label does not push its card's figure below its neighbours'
    tops = page.evaluate(
        "() => [...document.querySelectorAll('p.ri-card-value')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(tops) >= 2 and len(set(tops)) == 1, tops
    sealed.assert_clean()


def test_a_page_left_out_of_presenter_mode_says_so(sealed: Sealed, sample_server) -> None:
    page = sealed.page
    page.set_viewport_size(VIEWPORTS[1])
    open_app(page, sample_server, "mode=presenter", "data")
    body = page.inner_text("body")
    assert "The Data page is not shown in presenter mode" in body
    assert "Page not found" not in body and "Open another dataset" not in body
    assert url_mode(page) == "presenter"
    sealed.assert_clean()
