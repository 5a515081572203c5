"""LA maps: a choropleth of a one-row-per-LA SafeTable, in the library that suits the page.

- plotly (go.Choroplethmap on "white-bg"): presenter mode and the Overview. Fixed, legible.
- folium (Leaflet via streamlit-folium, Leaflet served from static/): standard mode's
  Participants > Locations. Pan, zoom, hover; opt-in OpenStreetMap tiles for online use.
- pydeck (deck.gl, map_provider=None): the labour market (vacancies, job entries).

Each works with no internet. `la_map` returns the LA code the viewer has just clicked, once per
click, so the page can make the sidebar filter follow (components.controls.select_la).
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

from components import maps_deck, maps_folium, maps_plotly
from components.text import literal
from insight.core.dataset import Meta
from insight.core.selection import Selection
from insight.numbers.tables import SafeTable
from insight.outputs.mapdata import map_data

Engine = Literal["auto", "plotly", "folium", "pydeck"]
LABOUR_MARKET_KEYS = ("vacancies", "job_entries")


def choose_engine(engine: Engine, table: SafeTable, sel: Selection) -> str:
    """`auto`: plotly in presenter mode; pydeck for labour-market tables; folium otherwise."""
    if engine != "auto":
        return engine
    if sel.mode == "presenter":
        return "plotly"
    if table.key.startswith(LABOUR_MARKET_KEYS):
        return "pydeck"
    return "folium"


def la_map(
    table: SafeTable,
    sel: Selection,
    *,
    key: str,
    codes: tuple[str, ...],
    engine: Engine = "auto",
    height: int = 680,
    extruded: bool = False,
    meta: Meta | None = None,
) -> str | None:
    """Draw `table` (one row per LA: area_code, value, label, suppressed) over the LAs `codes`;
    return the LA code the viewer just clicked, or None. With `meta` the plotly map's footer
    carries the chart footer's provider, period, extract date and synthetic flag."""
    if table.is_empty:
        st.info(literal(table.empty_message))
        return None
    data = map_data(table, codes, None if sel.is_whole_area else sel.la, meta)
    chosen = choose_engine(engine, table, sel)
    token: str | None
    if chosen == "plotly":
        code = maps_plotly.draw(
            data,
            key=key,
            height=height,
            presenter=sel.mode == "presenter",
            alt=table.alt_text or table.title,
        )
        token = code
    elif chosen == "pydeck":
        code = maps_deck.draw(data, key=key, height=height, extruded=extruded)
        token = code
    elif chosen == "folium":
        token, code = maps_folium.draw(data, key=key, height=height)
    else:
        raise ValueError(f"unknown map engine {engine!r}")
    return _new_click(key, token, code)


def _new_click(key: str, token: str | None, code: str | None) -> str | None:
    """A map keeps reporting its last click on every rerun; pass each click on once only, so a
    later change of the sidebar filter is not undone by an old click."""
    seen_key = f"{key}__last_click"
    if token == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = token
    return code
