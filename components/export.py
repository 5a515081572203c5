"""Download buttons: a chart as a stamped PNG (caveat, source, LA, period, mode inside), and a
safe table as CSV (formulas neutralised, insight.core.formula).

Each file is made only when its button is pressed (a deferred download) and recorded in the
sharing log with its SHA-256, like every other export. Presenter mode shows no download at all. Where no Chromium is found the page says so once per session, and points
to the chart's own toolbar download, which keeps the caveat because it is inside the figure.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from components import access
from insight.numbers.tables import SafeTable
from insight.outputs import png as chart_images  # module: tests set its chromium_path
from insight.outputs.names import export_name, slugify
from insight.outputs.png import figure_png
from insight.service.release import Export
from insight.service.view import PageView

_SAID_NO_CHROMIUM = "_export_said_no_chromium"
NO_CHROMIUM_NOTE = (
    "Chart images (PNG) cannot be made here: Chromium was not found on this machine. The "
    "camera icon in each chart's own toolbar still downloads an image that carries the caveat "
    "and source."
)


def _png_maker(fig: go.Figure, table: SafeTable, view: PageView, file_name: str):
    """A callable for the deferred download: draws the PNG and logs it, without Streamlit. The
    person is read now, in the script run: the download itself runs outside it."""
    by = access.current()
    sel = view.selection

    def make() -> bytes:
        png = figure_png(fig, view.meta, sel)
        view.record(sel, Export("png", [table.key], png, file_name, by=by))
        return png

    return make


_CHROMIUM: list = [None, 0.0, None]  # (the lookup function, when, what it found)
CHROMIUM_RECHECK_S = 30.0


def _chromium() -> str | None:
    """insight.outputs.png.chromium_path, looked up at most every CHROMIUM_RECHECK_S seconds:
    every chart of every rerun asked, and each asking searched PATH for four names. (A test that
    replaces the lookup function is asked at once.)"""
    lookup, when, found = _CHROMIUM
    now = time.monotonic()
    if lookup is not chart_images.chromium_path or now - when > CHROMIUM_RECHECK_S:
        found = chart_images.chromium_path()
        _CHROMIUM[:] = [chart_images.chromium_path, now, found]
    return found


def png_download(fig: go.Figure, table: SafeTable, view: PageView, *, key: str) -> None:
    """A 'Download PNG' button for this chart (the view's selection). Does nothing in presenter
    mode."""
    sel = view.selection
    if sel.mode == "presenter" or table.is_empty or not access.may("exports"):
        return
    if _chromium() is None:
        if not st.session_state.get(_SAID_NO_CHROMIUM):
            st.session_state[_SAID_NO_CHROMIUM] = True
            st.info(NO_CHROMIUM_NOTE)
        return
    file_name = export_name(view.meta, sel, slugify(table.key, 40), "png")
    st.download_button(
        "Download PNG (with caveat)",
        data=_png_maker(fig, table, view, file_name),
        file_name=file_name,
        mime="image/png",
        key=key,
        on_click="ignore",
        icon=":material/download:",
        help="The image carries the caveat, source, area, period and mode. Each download is "
        "recorded in the sharing log.",
    )


def _csv_maker(make: Callable[[], bytes], table: SafeTable, view: PageView, file_name: str):
    """A callable for the deferred download: makes the CSV and logs it, without Streamlit. The
    person is read now, in the script run (the download runs outside it), and the log entry is
    theirs: a signed-in person's address, not "local user"."""
    sel = view.selection
    by = access.current()

    def deferred() -> bytes:
        data = make()
        view.record(sel, Export("csv", [table.key], data, file_name, by=by))
        return data

    return deferred


def csv_download(
    table: SafeTable, view: PageView, make: Callable[[], bytes], *, file_name: str, key: str
) -> None:
    """A 'Download this safe table (CSV)' button; `make` returns the CSV's bytes (already
    neutralised). Pressing it records the file in the sharing log. Nothing in presenter mode."""
    if view.selection.mode == "presenter" or table.is_empty or not access.may("exports"):
        return
    st.download_button(
        "Download this safe table (CSV)",
        _csv_maker(make, table, view, file_name),  # made when pressed, not on every rerun
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        help="The same rounded, suppressed figures as the chart, with the caveat as a note. "
        "Each download is recorded in the sharing log.",
    )
