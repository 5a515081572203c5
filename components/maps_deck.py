"""The pydeck (deck.gl, WebGL) LA map: used for the labour market (vacancy and job-entry
concentration). map_provider=None and a blank local map style (Streamlit would otherwise fetch a
Carto base map), so nothing is fetched from outside; labels are a TextLayer, which deck.gl draws
from the browser's own fonts."""

from __future__ import annotations

import functools
import json
from typing import Any

import pydeck as pdk
import pydeck.bindings.deck as _pydeck_deck
import streamlit as st

from insight.outputs.mapdata import LEGEND_CSS, SELECTED_OUTLINE, MapData, fit_view, legend_html

# pydeck asks, on every Deck it makes (twice with an API key), whether its Jupyter widget can be
# made: an import attempt each time (ipywidgets is not installed here, so always False). The
# answer cannot change while the process runs: ask once.
_pydeck_deck.has_jupyter_extra = functools.cache(_pydeck_deck.has_jupyter_extra)

LAYER_ID = "las"
# No base map: a local MapLibre style with only a white background (see static/maps/README.md).
BLANK_STYLE = "/app/static/maps/blank-style.json"


class _CompactDeck(pdk.Deck):
    """pydeck writes its JSON indented (about 2.5 times the size); the browser needs no spaces.
    Written once: a deck is never changed after it is made (components.maps caches it, and
    st.pydeck_chart asks for its JSON on every rerun)."""

    def to_json(self) -> str:
        written = self.__dict__.get("_compact_json")
        if written is None:
            written = json.dumps(json.loads(super().to_json()), separators=(",", ":"))
            self.__dict__["_compact_json"] = written
        return written


def _rgb(colour: str, alpha: int = 255) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def deck(data: MapData, *, width: int = 800, height: int = 560, extruded: bool = False) -> pdk.Deck:
    """A GeoJsonLayer filled by class (optionally raised by value) and LA name labels. Hover shows
    the feature's `tip` (LA name and safe label) and nothing else."""
    values = dict(zip(data.frame["code"], data.frame["value"], strict=True))
    top = max((v for v in values.values() if v == v), default=1) or 1
    features = []
    for feature in data.geojson["features"]:
        props = dict(feature["properties"])
        chosen = feature["id"] == data.selected
        props["fill"] = _rgb(props["colour"])
        props["line"] = _rgb(SELECTED_OUTLINE if chosen else "#505A5F")
        props["line_width"] = 4 if chosen else 1
        value = values.get(feature["id"])
        props["height"] = 0 if value != value or value is None else round(value / top * 20000)
        features.append({**feature, "properties": props})
    view = fit_view(data.codes, width, height)
    boundaries = pdk.Layer(
        "GeoJsonLayer",
        id=LAYER_ID,
        data={"type": "FeatureCollection", "features": features},
        pickable=True,
        stroked=True,
        filled=True,
        extruded=extruded,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.line_width",
        line_width_units='"pixels"',
        get_elevation="properties.height",
        auto_highlight=True,
        highlight_color=[11, 12, 12, 60],
    )
    labels = pdk.Layer(
        "TextLayer",
        id="labels",
        data=[
            {"position": [row["lon"], row["lat"]], "text": f"{row['name']}\n{row['label']}"}
            for _, row in data.frame.iterrows()
        ],
        get_position="position",
        get_text="text",
        get_size=12,
        get_color=[11, 12, 12],
        background=True,
        get_background_color=[255, 255, 255, 210],
        font_family='"sans-serif"',
        pickable=False,
    )
    return _CompactDeck(
        layers=[boundaries, labels],
        initial_view_state=pdk.ViewState(
            longitude=view.lon,
            latitude=view.lat,
            zoom=view.zoom,
            pitch=40 if extruded else 0,
        ),
        map_provider=None,
        map_style=BLANK_STYLE,
        tooltip={"text": "{tip}"},
    )


def draw(
    data: MapData,
    *,
    key: str,
    height: int,
    extruded: bool = False,
    built: pdk.Deck | None = None,
) -> str | None:
    """Draw the deck (`built` from `data` already, or made here); return the LA code selected by
    a click, if any."""
    event = st.pydeck_chart(
        built if built is not None else deck(data, height=height, extruded=extruded),
        height=height,
        key=key,
        on_select="rerun",
        selection_mode="single-object",
    )
    st.html(f'<style>{LEGEND_CSS}</style><div class="ri-legend">{legend_html(data)}</div>')
    chosen: dict[str, Any] = dict(event or {})
    objects = (chosen.get("selection") or {}).get("objects") or {}
    for obj in objects.get(LAYER_ID, []):
        code = ((obj or {}).get("properties") or {}).get("code")
        if code in set(data.codes):
            return str(code)
    return None
