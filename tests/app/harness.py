"""The one way the app tests open the app: AppTest on app.py (the frame: mode, role, filters,
banner), then a switch to the page, as a user following a link. Query parameters go in the URL
before the first run, as a typed or shared link would carry them; a signed-in user comes with the
sign-in secrets, as after an OpenID Connect login.

`AppTest.switch_page` refuses a page until a run has registered the navigation, so the first
run is always the frame's default page (the Overview).

`page_alone` is the other way, for a page's own behaviour: its script run by itself with the
selection (and the principal) the frame would have put in the session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from components import navigation
from insight.core.selection import Selection
from insight.sharing.access import Principal

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 180  # seconds a run may take: the Data page's checks on a slow, shared machine
FIRST_PAGE = navigation.PAGES[0].path


def open_app(
    *,
    timeout: float = TIMEOUT,
    user: dict[str, Any] | None = None,
    auth: dict[str, Any] | None = None,
    **params: str | list[str],
) -> AppTest:
    """The app through app.py, run once (the frame's default page), with `params` in its URL and,
    given `user`, that user signed in under the sign-in secrets `auth`."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for name, value in params.items():
        at.query_params[name] = value
    if user is not None:
        assert auth is not None, "a signed-in user needs the sign-in secrets"
        at.secrets["auth"] = auth
        at.user = user
    return at.run()


def open_page(
    path: str | None = None,
    mode: str = "standard",
    *,
    timeout: float = TIMEOUT,
    user: dict[str, Any] | None = None,
    auth: dict[str, Any] | None = None,
    **params: str | list[str],
) -> AppTest:
    """The app run through app.py with `params` in its URL (and `mode=presenter` in presenter
    mode), switched to the page at `path` (None: stay on the first page)."""
    if mode == "presenter":
        params["mode"] = "presenter"
    at = open_app(timeout=timeout, user=user, auth=auth, **params)
    if path and path != FIRST_PAGE:
        at.switch_page(path).run()
    return at


def opened(path: str | None = None, mode: str = "standard", **kwargs: Any) -> AppTest:
    """`open_page`, having run without an exception (the exceptions' texts if not)."""
    at = open_page(path, mode, **kwargs)
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_alone(
    path: str | Path,
    sel: Selection,
    *,
    principal: Principal | None = None,
    timeout: float = TIMEOUT,
) -> AppTest:
    """One page script (a path from the project root) run by itself with `sel` (and `principal`)
    in the session, as the frame leaves them; the caller puts the root on sys.path, as
    `streamlit run app.py` does."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    at.session_state["selection"] = sel
    if principal is not None:
        at.session_state["principal"] = principal
    return at.run()
