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

from components import maps_deck, maps_plotly
from components.cache import Memo, digest
from components.text import literal
from insight.core.dataset import Meta
from insight.core.selection import Selection
from insight.numbers.tables import SafeTable
from insight.outputs.mapdata import map_data

Engine = Literal["auto", "plotly", "folium", "pydeck"]
# A map's data and its drawing (a plotly figure, a deck with its JSON, a folium map rendered to
# the text its component is given), made once per
# (components.cache.drawing_key, table content, engine, size) and shared by every session. A map
# carries the area's boundaries (tens of kilobytes): 128 of each stay under 40 MB.
_MAPS: Memo[object] = Memo("maps", 128)
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
    cache: tuple | None = None,
) -> str | None:
    """Draw `table` (one row per LA: area_code, value, label, suppressed) over the LAs `codes`;
    return the LA code the viewer just clicked, or None. With `meta` the plotly map's footer
    carries the chart footer's provider, period, extract date and synthetic flag. With `cache`
    (components.cache.drawing_key of the page's view) the map's data and drawing are cached."""
    if table.is_empty:
        st.info(literal(table.empty_message))
        return None
    chosen = choose_engine(engine, table, sel)
    if chosen not in ("plotly", "pydeck", "folium"):
        raise ValueError(f"unknown map engine {engine!r}")
    presenter = sel.mode == "presenter"
    # sel is part of `cache` (la, period, mode); the codes and meta come from the same view
    base = (cache, table.key, digest(table), codes, height) if cache is not None else None

    def cached(what: tuple, build):  # noqa: ANN001, ANN202 - a value of the kind build makes
        return build() if base is None else _MAPS.make((*base, *what), build)

    data = cached(
        ("data",), lambda: map_data(table, codes, None if sel.is_whole_area else sel.la, meta)
    )
    token: str | None
    if chosen == "plotly":
        fig = cached(
            ("plotly", presenter),
            lambda: maps_plotly.figure(data, height=height, presenter=presenter),
        )
        code = maps_plotly.draw(
            data,
            key=key,
            height=height,
            presenter=presenter,
            alt=table.alt_text or table.title,
            fig=fig,
        )
        token = code
    elif chosen == "pydeck":
        deck = cached(
            ("pydeck", extruded), lambda: maps_deck.deck(data, height=height, extruded=extruded)
        )
        code = maps_deck.draw(data, key=key, height=height, extruded=extruded, built=deck)
        token = code
    else:
        # Imported here, inside a page's script run: streamlit-folium registers its component
        # when first imported, and one first imported by the start-up warming thread (outside any
        # script run) was never served: the map's frame answered 404.
        from components import maps_folium

        # The map is rendered once into the text its component is given, and that text is
        # cached (maps_folium.Rendered: a map object rendered again lost its GeoJSON layer).
        token, code = maps_folium.draw(
            data,
            key=key,
            height=height,
            rendered=lambda tiles: cached(
                ("folium", tiles),
                lambda: maps_folium.render(maps_folium.build(data, tiles=tiles, height=height)),
            ),
        )
    return _new_click(key, token, code)


def _new_click(key: str, token: str | None, code: str | None) -> str | None:
    """A map keeps reporting its last click on every rerun; pass each click on once only, so a
    later change of the sidebar filter is not undone by an old click."""
    seen_key = f"{key}__last_click"
    if token == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = token
    return code
