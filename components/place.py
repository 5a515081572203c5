"""Drawing the official context (insight.numbers.place): comparison tables, similar areas, small trends,
and the self-contained "official context" blocks the Locations and Overview pages add beside the
provider's shares. Every block carries the official source line, never the provider MI caveat as
its source; the provider MI caveat stays on the provider's own figures (the banner, each chart).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from components import access
from components.banner import official_note
from components.cache import Memo, digest
from components.text import literal
from insight.core.formula import csv_bytes
from insight.core.selection import Selection
from insight.numbers import place, tables
from insight.numbers.tables import SafeTable
from insight.outputs import place_trend
from insight.service.release import Export
from insight.service.view import PageView

T = TypeVar("T")
# Official context: tables, sentences and small trend figures made from the official statistics
# installed with the app and the LA codes asked about, the same for everyone who asks with the
# same arguments; made once per (mode, role, call, arguments) and shared by every session. The
# mode and the role are in the key all the same: a cache never serves one mode or role another's.
_OFFICIAL: Memo[Any] = Memo("official context", 1024)
# What `table` draws from a frame (its text made literal, its legend), keyed by the mode, the
# role and the frame's content (components.cache.digest).
_SHOWN: Memo[tuple[pd.DataFrame, str]] = Memo("official tables drawn", 512)


def official(sel: Selection, function: Callable[..., T], *args: Any) -> T:
    """`function(*args)`, a call of insight.numbers.place on official statistics, from the cache.
    What it returns is shared: drawn from, never changed."""
    key = (sel.mode, access.current().role, function.__module__, function.__qualname__, args)
    return _OFFICIAL.make(key, lambda: function(*args))


def _shown(frame: pd.DataFrame, sel: Selection) -> tuple[pd.DataFrame, str]:
    """The frame as a static table shows it (text literal) and its symbols' legend."""
    return _SHOWN.make(
        (sel.mode, access.current().role, digest(frame)),
        lambda: (frame.astype(str).map(literal).rename(columns=literal), place.symbols_used(frame)),
    )


_MODEBAR_PRESENTER = {"displaylogo": False, "displayModeBar": False}
_MODEBAR_STANDARD = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio", "lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
# The columns that fit a 1366 px screen: the sentences are drawn below the table, and the CSV keeps
# every column, the source included.
NO_BREAK = "\u00a0"  # a space a line never breaks at
SHOWN_COLUMNS = tuple(c for c in place.COMPARISON_COLUMNS if c not in ("In words", "Source"))


def official_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV, its last lines the source and symbols; text a spreadsheet would run as a
    formula is neutralised (insight.core.formula), as in every CSV the app writes."""
    legend = place.symbols_used(frame)
    notes = [place.SOURCE_LINE] + ([legend] if legend else [])
    extra = pd.DataFrame({frame.columns[0]: ["", *notes]})
    return csv_bytes(pd.concat([frame, extra], ignore_index=True))


def _logged_csv(frame: pd.DataFrame, view: PageView, sel: Selection, key: str, file_name: str):
    """A callable for the deferred download: makes the CSV and records it in the sharing log
    (kind 'csv'), under the person pressing it (read now, in the script run)."""
    by = access.current()

    def deferred() -> bytes:
        data = official_csv(frame)
        view.record(sel, Export("csv", [f"official_context.{key}"], data, file_name, by=by))
        return data

    return deferred


def table(
    frame: pd.DataFrame,
    sel: Selection,
    *,
    key: str,
    file_name: str = "",
    view: PageView | None = None,
    static: bool = False,
    csv: pd.DataFrame | None = None,
) -> None:
    """A table of official figures: static in presenter mode (and wherever `static`, so long
    words wrap instead of being cut); in standard mode a CSV whose last lines are the source and
    symbols (`csv`, the whole table, or the one shown), given `file_name` and the `view` whose
    sharing log records the download."""
    if frame.empty:
        st.info("No official figures to show here.")
        return
    shown, legend = _shown(frame, sel)
    if sel.mode == "presenter" or static:
        st.table(shown.set_index(shown.columns[0]))
    else:
        st.dataframe(frame, hide_index=True, width="stretch", key=f"place_df_{key}")
    if sel.mode == "standard" and file_name and view is not None:
        whole = frame if csv is None else csv
        st.download_button(
            "Download this table (CSV)",
            _logged_csv(whole, view, sel, key, file_name),  # made and logged when pressed
            file_name=file_name,
            mime="text/csv",
            key=f"place_csv_{key}",
            on_click="ignore",
        )
    st.caption(literal(f"{legend}. {place.SOURCE_LINE}" if legend else place.SOURCE_LINE))


STATUS_WORDS = (
    "In development: official statistics in development. Survey: an estimate from a sample "
    "survey (Annual Population Survey, or for pay the Annual Survey of Hours and Earnings), with a "
    "95% confidence interval in standard mode."
)
RANK_WORDS = (
    "Rank: among the LAs of England and Wales with a figure for the period, ties sharing a "
    "place; [u] beside a figure or rank: the source flags the estimate as unreliable."
)


def fold(label: str, sel: Selection):  # noqa: ANN201
    """A part of the page folded away in presenter mode (an expander the presenter opens when
    the room asks), shown as it is in standard mode."""
    return st.expander(label) if sel.mode == "presenter" else st.container()


def comparison(
    frame: pd.DataFrame, sel: Selection, *, key: str, view: PageView | None = None
) -> None:
    """The comparison table and its sentences: the columns that fit a 1366 px screen, static so
    nothing is cut off, status in short (the caption spells it out); the CSV keeps every column.
    In presenter mode the interval is left out and the sentences are folded."""
    columns = [c for c in SHOWN_COLUMNS if c in frame.columns]
    no_interval = "95% CI" in frame.columns and not frame["95% CI"].astype(bool).any()
    if "95% CI" in columns and (sel.mode == "presenter" or no_interval):
        columns.remove("95% CI")
    shown = _short_status(frame, tuple(columns))
    # "Jan to Dec 2025" on one line: in presenter mode it wrapped onto three in a narrow column
    shown = shown.assign(Period=shown["Period"].astype(str).str.replace(" ", NO_BREAK))
    ranked = place.RANK_COLUMN in columns  # an LA's table; the whole area has no rank
    st.caption(literal(STATUS_WORDS + (f" {RANK_WORDS}" if ranked else "")))
    table(
        shown,
        sel,
        key=key,
        file_name=f"official_context_{key}.csv",
        view=view,
        static=True,
        csv=frame,
    )
    with fold("Each figure in words", sel):
        st.markdown("\n".join(f"- {literal(w)}" for w in frame["In words"]))


def _short_status(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    short = {i.status_text: i.short_status for i in place.indicators().values()}
    return frame[list(columns)].assign(Status=frame["Status"].map(lambda s: short.get(s, s)))


def trends(
    code: str | tuple[str, ...],
    sel: Selection,
    compare: str | None,
    per_row: int = 2,
    keys: tuple[str, ...] | None = None,
) -> None:
    """A small trend for each indicator (or those in `keys`): the LA, or the area's LAs weighted,
    against its region (or country)."""
    shown = list(keys or place.indicators())
    name = place.area_name(code) if isinstance(code, str) else "the area"

    config = _MODEBAR_PRESENTER if sel.mode == "presenter" else _MODEBAR_STANDARD
    for start in range(0, len(shown), per_row):
        for column, key in zip(st.columns(per_row), shown[start : start + per_row], strict=False):
            fig = official(sel, place_trend.trend_figure, code, key, sel.mode, compare)
            ind = place.indicators()[key]
            words = official(sel, place_trend.trend_alt, code, key, compare)
            with column:
                st.plotly_chart(
                    fig,
                    key=f"place_trend_{key}",
                    config=config,
                    theme=None,
                    width="stretch",
                    alt=f"{ind.label} over time for {name}. {words}",
                )
                if sel.mode == "standard":  # presenter mode: the chart's accessible name only
                    st.caption(f"Text alternative: {literal(words)}")


def beside_shares(view: PageView, shares: SafeTable, *, key: str) -> None:
    """The self-contained block for Locations and Overview: the LA's (or each LA's) share of
    participants next to its share of the working-age population and its claimant and inactivity
    rates, with a talking point, each source named. Cached per dataset and selection."""
    if shares.is_empty:
        return
    frame, point = view.table(tables.context_beside)
    sel = view.selection
    with st.container(key=f"official_context_{key}"):
        st.subheader("Official context beside these shares")
        if point:
            st.markdown(f"- {literal(point)}")
        table(frame, sel, key=key)
        st.caption(
            "Shares of participants are the provider's management information (the caveat "
            "above applies). Population shares and rates are official statistics. They sit side "
            "by side: no figure divides one by the other."
        )


__all__ = [
    "beside_shares",
    "official",
    "comparison",
    "fold",
    "official_csv",
    "official_note",
    "table",
    "trends",
]
