"""The sidebar every page shares: area (whole area or one LA), a fixed period, and the mode.

Each choice is bound to the URL (`?la=<GSS code>` or `all`, `?period=<key>`, `?mode=presenter`) so
a link opens the same view. Entering presenter mode takes one click; leaving it asks first, so a
stray click in a meeting cannot put counts on the projector.

The role decides before the URL does: a viewer is in presenter mode whatever the URL says, and
has no way out of it. For the other roles every spelling of `mode` counts (`?mode=PRESENTER`,
`?Mode=presenter`, `?mode=presenter&mode=standard`): presenter wins wherever it appears.
"""

from __future__ import annotations

import re

import streamlit as st

from components import access
from components.text import literal
from insight.core.periods import PERIODS, period_label
from insight.core.selection import MODES, WHOLE_AREA, Mode, Selection
from insight.service.view import PageView

LA_KEY = "la_select"  # widget keys (session state)
PERIOD_KEY = "period_select"
MODE_KEY = "mode"  # not a widget: set by buttons and the confirmation dialog
PENDING_LA = "pending_la"  # an LA chosen elsewhere (a map), applied before the widget is drawn
NOTICE_KEY = "la_notice"
DEFAULT_PERIOD = "whole"
_AREA_CODE = re.compile(r"[A-Z]\d{8}")  # a GSS code, e.g. E08000025


def area_options(view: PageView) -> list[str]:
    return [WHOLE_AREA, *view.la_codes]


def area_label(view: PageView, code: str) -> str:
    return view.area_label(code)


FITS = 28  # characters a sidebar box shows whole at 1280 px wide (the box cannot wrap its text)


def short_area(view: PageView, code: str) -> str:
    """The area as its box shows it: "Whole area", or an LA's name cut to fit with an ellipsis
    (the whole name is then written under the box)."""
    if code == WHOLE_AREA:
        return "Whole area"
    name = area_label(view, code)
    return name if len(name) <= FITS else name[: FITS - 1].rstrip(" ,") + "…"


def select_la(code: str) -> None:
    """Choose an LA (or `all`) from anywhere on a page, e.g. a map click: updates the session and
    the URL, then reruns. Safe to call after the sidebar widget has been drawn."""
    st.session_state[PENDING_LA] = code
    st.query_params["la"] = code
    st.rerun()


def query_param(name: str) -> str | None:
    """The link's `name` parameter (its last value), or None. Not st.query_params.get: for a
    missing name that raises and catches a KeyError through Streamlit's metrics wrapper, which
    cost a follower's rerun more than its look at the store."""
    value = st.query_params.to_dict().get(name)
    return None if value is None else str(value)


def _first_value(name: str) -> str | None:
    value = query_param(name)
    return value.strip() if value is not None else None


def _resolve_la(view: PageView) -> None:
    """Before the LA widget is drawn: apply a pending choice or the URL, falling back to the whole
    area (with a notice) for a code this dataset does not have."""
    options = area_options(view)
    wanted = st.session_state.pop(PENDING_LA, None)
    if wanted is None and LA_KEY not in st.session_state:
        wanted = _first_value("la")
    if wanted is None:
        if st.session_state.get(LA_KEY) not in options:
            st.session_state[LA_KEY] = WHOLE_AREA
        return
    if wanted not in options:
        # Echo the link's value only when it is shaped like an area code: anything else from a
        # URL (a web address, a phone number, an instruction) is not repeated on the screen.
        asked = f"area '{wanted}'" if _AREA_CODE.fullmatch(wanted) else "an area"
        st.session_state[NOTICE_KEY] = (
            f"The link asked for {asked}, which has no participants in this dataset. "
            f"Showing {area_label(view, WHOLE_AREA)} instead."
        )
        wanted = WHOLE_AREA
    st.session_state[LA_KEY] = wanted


def _resolve_period() -> None:
    if PERIOD_KEY in st.session_state and st.session_state[PERIOD_KEY] in PERIODS:
        return
    wanted = _first_value("period")
    st.session_state[PERIOD_KEY] = wanted if wanted in PERIODS else DEFAULT_PERIOD


def _mode_names() -> list[str]:
    """The URL's parameters named `mode` in any letter case."""
    return [name for name in st.query_params.keys() if name.strip().casefold() == "mode"]


def url_asks_presenter() -> bool:
    """Whether any spelling or repetition of `mode` in the URL says presenter."""
    return any(
        value.strip().casefold() == "presenter"
        for name in _mode_names()
        for value in st.query_params.get_all(name)
    )


def _resolve_mode() -> Mode:
    """A role that may not use standard mode is in presenter mode, whatever the URL or the
    session says. Otherwise `?mode=presenter` (any spelling, anywhere among repeated values)
    opens a session in presenter mode; after that the session's own state rules: leaving
    presenter mode needs the confirmation, never just a URL."""
    if not access.may("standard_mode"):
        st.session_state[MODE_KEY] = "presenter"
        return "presenter"
    if MODE_KEY not in st.session_state:
        st.session_state[MODE_KEY] = "presenter" if url_asks_presenter() else "standard"
    mode = st.session_state.get(MODE_KEY, "standard")
    if mode not in MODES:
        mode = "standard"
    st.session_state[MODE_KEY] = mode
    return mode


def _clear_notice() -> None:
    st.session_state.pop(NOTICE_KEY, None)


def _leave_presenter() -> None:
    if not access.may("standard_mode"):
        return
    st.session_state[MODE_KEY] = "standard"
    for name in _mode_names():
        st.query_params.pop(name, None)


@st.dialog("Leave presenter mode?")
def _confirm_leave() -> None:
    """A dialog runs as a fragment: a click in it reruns only the dialog, so the page behind it
    would stay in presenter mode (and the URL say presenter) until the next navigation, which
    then showed counts without warning. Each button therefore ends in a whole-app rerun: the
    dialog closes, and the screen, the URL and the mode agree at once."""
    st.write(
        "Standard mode can show rounded counts and offers downloads and the Data page. "
        "If this screen is shared or projected, stay in presenter mode."
    )
    stay, leave = st.columns(2)
    if stay.button("Stay in presenter mode", type="primary", key="stay_presenter"):
        st.rerun()  # scope "app": closes the dialog, nothing changes
    # The callback changes the mode before any script runs (so the choice holds even when the
    # dialog is not drawn again); the rerun then redraws the whole app from it.
    if leave.button("Switch to standard mode", key="leave_presenter", on_click=_leave_presenter):
        st.rerun()


def _enter_presenter() -> None:
    st.session_state[MODE_KEY] = "presenter"


def _mode_controls(mode: Mode) -> None:
    st.sidebar.subheader("Mode")
    if not access.may("standard_mode"):
        st.sidebar.markdown("**Presenter mode:** percentages only, no counts, no downloads.")
        st.sidebar.caption("Your role is viewer: presenter mode is the only mode.")
        return
    if mode == "presenter":
        st.sidebar.markdown("**Presenter mode is on:** percentages only, no counts, no downloads.")
        if st.sidebar.button("Leave presenter mode...", key="ask_leave_presenter"):
            _confirm_leave()
    else:
        st.sidebar.caption(
            "Standard mode: percentages first, rounded counts where the annex allows them."
        )
        st.sidebar.button(
            "Switch to presenter mode",
            key="enter_presenter",
            type="primary",
            on_click=_enter_presenter,
            help="For a projector or screen share: percentages only, larger type.",
        )


def sidebar(view: PageView) -> Selection:
    """Draw the shared controls for the view's dataset and return the selection; keeps the URL
    in step."""
    mode = _resolve_mode()
    _resolve_la(view)
    _resolve_period()
    st.sidebar.subheader("Filters")
    la = st.sidebar.selectbox(
        "Area",
        area_options(view),
        key=LA_KEY,
        format_func=lambda code: short_area(view, code),
        on_change=_clear_notice,
        help="The whole contract package area, or one Local Authority set against it.",
    )
    if short_area(view, str(la)) != area_label(view, str(la)):  # the whole of it, wrapped
        st.sidebar.caption(literal(area_label(view, str(la))))
    period = st.sidebar.selectbox(
        "Period",
        list(PERIODS),
        key=PERIOD_KEY,
        format_func=PERIODS.__getitem__,
        help="Fixed periods only, so figures cannot be differenced between custom ranges.",
    )
    st.sidebar.caption(period_label(view.meta, str(period)))
    _mode_controls(mode)
    sel = Selection(la=str(la), period=str(period), mode=mode)
    _write_url(sel)
    return sel


def _write_url(sel: Selection) -> None:
    """Keep `la`, `period` and `mode` in the URL in step; other parameters are left alone."""
    wanted = {
        "la": sel.la,
        "period": sel.period,
        "mode": "presenter" if sel.mode == "presenter" else None,
    }
    for name in _mode_names():  # one spelling of `mode` only, written below
        if name != "mode":
            st.query_params.pop(name, None)
    for name, value in wanted.items():
        if value is None:
            st.query_params.pop(name, None)
        elif st.query_params.get_all(name) != [value]:
            st.query_params[name] = value


def not_in_mode(title: str, mode: Mode) -> None:
    """What a link to a page this mode leaves out opens: a plain statement, never the page."""
    st.title(title)
    if mode == "presenter":
        st.info(
            f"The {title} page is not shown in presenter mode: it can show counts or make files "
            "to share. Use the pages along the top, or leave presenter mode (in the sidebar) on "
            "a screen that is not shared.",
            icon=":material/visibility_off:",
        )
    else:
        st.info(f"The {title} page is not shown in {mode} mode.")


def notice() -> str | None:
    """A message about the link (an unknown LA code), shown until the LA is changed."""
    return st.session_state.get(NOTICE_KEY)


__all__ = ["not_in_mode", "notice", "select_la", "sidebar"]
