"""Draw a SafeTable: the figure (with its caveat inside), a text alternative, a table view of the
same safe figures, and in standard mode the downloads.

Presenter mode: plotly's own download button is removed, no download is offered, and the table
view is a static table of percentages (st.dataframe carries its own export control).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import export, maps, slides
from components.controls import select_la
from components.text import literal
from insight.core.dataset import Meta
from insight.core.formula import csv_bytes, neutralise_frame
from insight.core.selection import Selection
from insight.numbers.safe_table import COUNT_COLUMNS
from insight.numbers.tables import SafeTable
from insight.outputs.figures import chart, footer_lines
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
    standard mode and only where the safe table carries them."""
    frame = table.frame
    columns = [c for c in _DISPLAY if c in frame.columns]
    if sel.mode == "presenter":
        columns = [c for c in columns if c not in COUNT_COLUMNS]
    out = frame[columns].copy()
    if "over_capacity" in out.columns:
        # never "over" on a suppressed row: that would bound its hidden planned referrals
        over = out["over_capacity"].astype(bool) & ~frame["suppressed"].astype(bool)
        out["over_capacity"] = over.map(lambda v: "Yes: over" if v else "No")
    headings = dict(_DISPLAY)
    headings["label"] = "Index" if table.unit == "index" else "Share"
    return out.rename(columns=headings).astype(str)


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
    meta, sel = view.meta, view.selection
    if table.is_empty:
        st.info(literal(table.empty_message))
        return
    if table.caution:  # the small-base rule's marker (insight.numbers.certainty): no base
        st.markdown(f"**{literal(table.caution)}**")
    fig = chart(table, meta, sel)
    st.plotly_chart(
        fig,
        key=f"chart_{key}",
        config=_modebar(table, sel),
        theme=None,
        width="stretch",
        alt=table.alt_text or table.title,
    )
    _printed_alt_text(table, sel)
    table_view(table, view, key=key)
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


def table_view(table: SafeTable, view: PageView, *, key: str) -> None:
    meta, sel = view.meta, view.selection
    frame = display_frame(table, sel)
    with st.expander(f"Table: {literal(table.title)}"):
        if sel.mode == "presenter":
            if table.alt_text:
                st.caption(f"Text alternative: {literal(table.alt_text)}")
            # st.table renders markdown in every cell, index and header: keep dataset text literal.
            shown = frame.map(literal).rename(columns=literal)
            st.table(shown.set_index(shown.columns[0]) if len(shown.columns) > 1 else shown)
            return
        # Streamlit's own CSV export is off (client.disableDataExport): the logged button below is
        # the table's only download; formulas are neutralised on screen all the same.
        st.dataframe(neutralise_frame(frame), hide_index=True, width="stretch", key=f"table_{key}")
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
    clicked = maps.la_map(table, sel, key=key, codes=view.la_codes, meta=view.meta)
    _printed_alt_text(table, sel)
    if sel.mode == "standard":
        slides.add_to_meeting(table.key, sel, key=f"map_{key}", as_map=True)
    if clicked and clicked != sel.la:
        select_la(clicked)
