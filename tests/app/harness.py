"""The one way the app tests open the app: AppTest on app.py (the frame: mode, role, filters,
banner), then a switch to the page, as a user following a link. Query parameters go in the URL
before the first run, as a typed or shared link would carry them.

`AppTest.switch_page` refuses a page until a run has registered the navigation, so the first
run is always the frame's default page (the Overview)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from components import navigation

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 120
FIRST_PAGE = navigation.PAGES[0].path


def open_page(
    path: str | None = None, mode: str = "standard", *, timeout: float = TIMEOUT, **params: str
) -> AppTest:
    """The app run through app.py with `params` in its URL (and `mode=presenter` in presenter
    mode), switched to the page at `path` (None: stay on the first page)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if mode == "presenter":
        at.query_params["mode"] = "presenter"
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if path and path != FIRST_PAGE:
        at.switch_page(path).run()
    return at
