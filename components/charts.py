"""Draw a SafeTable: the figure (with its caveat inside), a text alternative, a table view of the
same safe figures, and in standard mode the downloads.

Presenter mode: plotly's own download button is removed, no download is offered, and the table
view is a static table of percentages (st.dataframe carries its own export control).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import export, maps, slides
from components.cache import Memo, digest, drawing_key
from components.controls import select_la
from components.text import literal
from insight.core.dataset import Meta
from insight.core.formula import csv_bytes, neutralise_frame
from insight.core.selection import Selection
from insight.numbers.safe_table import COUNT_COLUMNS
from insight.numbers.tables import SafeTable
from insight.outputs.chart_table import footer_lines, is_per_la, per_la_positions
from insight.outputs.figures import chart
from insight.service.view import PageView

# Columns of a SafeTable frame a person reads, in order, with their headings.
_DISPLAY = {
    "area": "Area",
    "category": "Category",
    "label": "Share",
    "count": "Count (rounded)",
    "count_note": "Why a count is hidden",
    "planned_referrals": "Planned referrals (rounded)",
    "capacity": "Capacity (rounded)",
    "over_capacity": "Over capacity",
}
_MODEBAR_PRESENTER = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["toImage", "sendDataToCloud", "editInChartStudio"],
    "displayModeBar": False,
}


def display_frame(table: SafeTable, sel: Selection) -> pd.DataFrame:
    """The table view: labels (with their symbols), never the raw value column; counts only in
    standard mode and only where the safe table carries them. A per-LA table's rows come in its
    chart's order (largest first, hidden figures last).

    Made column by column from Python lists into pandas' text dtype (what `astype(str)` of the
    chosen columns gives: a missing cell stays missing), not by selecting, copying, renaming and
    converting the frame: those cost milliseconds a chart on every new selection."""
    frame = table.frame
    columns = [c for c in _DISPLAY if c in frame.columns]
    if sel.mode == "presenter":
        columns = [c for c in columns if c not in COUNT_COLUMNS]
    rows = per_la_positions(frame) if is_per_la(table) else None
    index = frame.index if rows is None else frame.index[rows]

    def cells(name: str) -> list:
        values = frame[name].tolist()
        return values if rows is None else [values[i] for i in rows]

    headings = dict(_DISPLAY)
    headings["label"] = "Index" if table.unit == "index" else "Share"
    out = {}
    for name in columns:
        values = cells(name)
        if name == "over_capacity":
            # never "over" on a suppressed row: that would bound its hidden planned referrals
            hidden = cells("suppressed")
            values = [
                "Yes: over" if bool(o) and not bool(h) else "No"
                for o, h in zip(values, hidden, strict=True)
            ]
        out[headings[name]] = pd.array(values, dtype="str")
    return pd.DataFrame(out, index=index)


# A chart's figure and its table view, made once per (dataset content, thresholds, selection,
# mode, role, table content) and shared by every session (components.cache). Bounded: a figure
# and its frames are tens of kilobytes; 512 of them stay well under 50 MB.
_DRAWN: Memo[tuple[go.Figure, pd.DataFrame]] = Memo("chart figures", 512)


def drawn(
    table: SafeTable, view: PageView, role: str | None = None
) -> tuple[go.Figure, pd.DataFrame]:
    """The table's figure and the frame its table view shows (literal text in presenter mode,
    formulas neutralised in standard mode), from the cache. Never changed after they are made.
    `role`: the person's role when drawn outside a script run (components.context.warm)."""
    sel = view.selection

    def make() -> tuple[go.Figure, pd.DataFrame]:
        frame = display_frame(table, sel)
        if sel.mode == "presenter":
            # st.table renders markdown in every cell, index and header: keep dataset text literal.
            shown = frame.map(literal).rename(columns=literal)
            shown = shown.set_index(shown.columns[0]) if len(shown.columns) > 1 else shown
        else:
            shown = neutralise_frame(frame)
        return chart(table, view.meta, sel), shown

    return _DRAWN.make((drawing_key(view, role), "chart", table.key, digest(table)), make)


def _modebar(table: SafeTable, sel: Selection) -> dict:
    if sel.mode == "presenter":
        return dict(_MODEBAR_PRESENTER)
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio", "lasso2d", "select2d"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": table.key.replace(".", "_"),
            "scale": 2,
        },
    }


def render(table: SafeTable, view: PageView, *, key: str) -> None:
    """One chart, its text alternative and its table view, for the view's selection. An empty
    table says why, plainly."""
    sel = view.selection
    if table.is_empty:
        st.info(literal(table.empty_message))
        return
    if table.caution:  # the small-base rule's marker (insight.numbers.certainty): no base
        st.markdown(f"**{literal(table.caution)}**")
    fig, shown = drawn(table, view)
    st.plotly_chart(
        fig,
        key=f"chart_{key}",
        config=_modebar(table, sel),
        theme=None,
        width="stretch",
        alt=table.alt_text or table.title,
    )
    _printed_alt_text(table, sel)
    table_view(table, view, key=key, shown=shown)
    if sel.mode == "standard":
        export.png_download(fig, table, view, key=f"png_{key}")
        slides.add_to_meeting(table.key, sel, key=key)


def _printed_alt_text(table: SafeTable, sel: Selection) -> None:
    """The text alternative under the chart in standard mode. In presenter mode it is not
    printed in large grey type under every chart: the chart carries it as its accessible name
    (screen readers), and the table view opens with it."""
    if table.alt_text and sel.mode != "presenter":
        st.caption(f"Text alternative: {literal(table.alt_text)}")


def safe_csv(table: SafeTable, meta: Meta, sel: Selection) -> bytes:
    """The table view as CSV, followed by the caveat and source lines the chart carries; text
    that a spreadsheet would run as a formula is neutralised (insight.core.formula)."""
    frame = display_frame(table, sel)
    notes = pd.DataFrame({frame.columns[0]: ["", *footer_lines(table, meta)]})
    return csv_bytes(pd.concat([frame, notes], ignore_index=True))


def table_view(
    table: SafeTable, view: PageView, *, key: str, shown: pd.DataFrame | None = None
) -> None:
    """The table view under a chart (`shown`: its frame as components.charts.drawn made it)."""
    meta, sel = view.meta, view.selection
    if shown is None:
        shown = drawn(table, view)[1]
    with st.expander(f"Table: {literal(table.title)}"):
        if sel.mode == "presenter":
            if table.alt_text:
                st.caption(f"Text alternative: {literal(table.alt_text)}")
            st.table(shown)  # dataset text made literal (drawn)
            return
        # Streamlit's own CSV export is off (client.disableDataExport): the logged button below is
        # the table's only download; formulas are neutralised on screen all the same.
        st.dataframe(shown, hide_index=True, width="stretch", key=f"table_{key}")
        export.csv_download(
            table,
            view,
            lambda: safe_csv(table, meta, sel),
            file_name=f"{table.key.replace('.', '_')}.csv",
            key=f"csv_{key}",
        )


def map_view(table: SafeTable, view: PageView, *, key: str) -> None:
    """A choropleth of a one-row-per-LA safe table over the view's LAs (components.maps). A click
    on an LA selects it for every page. The map carries the chart footer's provenance lines."""
    sel = view.selection
    if table.is_empty:
        st.info(literal(table.empty_message))
        return
    clicked = maps.la_map(
        table, sel, key=key, codes=view.la_codes, meta=view.meta, cache=drawing_key(view)
    )
    _printed_alt_text(table, sel)
    if sel.mode == "standard":
        slides.add_to_meeting(table.key, sel, key=f"map_{key}", as_map=True)
    if clicked and clicked != sel.la:
        select_la(clicked)
