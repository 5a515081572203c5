"""The plotly LA map: go.Choroplethmap on the "white-bg" style, which needs nothing from outside.

Labels are layout annotations, not a Scattermap text layer: MapLibre draws map text with glyphs
fetched from fonts.openmaptiles.org, even on "white-bg", so map text would break offline. The
figure has a fixed size and pan/zoom are off, so the annotations stay on their LAs.
"""

from __future__ import annotations

import functools
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from insight.core.caveat import CAVEAT
from insight.core.geo import SHORT_ATTRIBUTION
from insight.outputs.figures import FONT_FAMILY, footnote
from insight.outputs.map_figure import label_text, unlabelled
from insight.outputs.mapdata import (
    SELECTED_OUTLINE,
    MapData,
    fit_view,
    place_labels,
    short_name,
    to_pixels,
    unplaced,
    unplaced_sentence,
)

WIDTH = 1000
MAP_SHARE = 0.62  # of the plot width; the legend sits to the right
MARGIN = {"l": 10, "r": 10, "t": 90, "b": 70, "autoexpand": False}
FOOTER_WRAP = 150  # characters per footer line
FOOTER_PX = {False: 11, True: 13}  # footer type size, standard and presenter


def figure(data: MapData, height: int = 600, presenter: bool = False) -> go.Figure:
    """A choropleth of `data`: one trace per colour class (so the legend names each class), LA
    name and safe label on every area, caveat and ONS attribution in the footer."""
    # Presenter type is read across a room: 18 px legend, 15 px labels, 24 px title.
    font = 18 if presenter else 13
    footer_px = FOOTER_PX[presenter]
    footer = _footer(data)
    margin = {**MARGIN, "b": 16 + int(len(footer) * footer_px * 1.4)}
    map_w = int((WIDTH - margin["l"] - margin["r"]) * MAP_SHARE)
    map_h = height - margin["t"] - margin["b"]
    view = fit_view(data.codes, map_w, map_h)
    # Labels name an LA as the slide and folium maps do ("Herefordshire"); its hover keeps the
    # full name (the tip).
    frame = data.frame.assign(name=[short_name(n) for n in data.frame["name"]])
    codes = [str(c) for c in frame["code"].tolist()]
    tips = frame["tip"].tolist()
    klasses = frame["klass"].tolist()
    traces: list[dict] = []
    for klass in data.classes:
        rows = [i for i, k in enumerate(klasses) if k == klass.index]
        wanted = {codes[i] for i in rows}
        traces.append(
            {
                "type": "choroplethmap",
                "geojson": {
                    "type": "FeatureCollection",
                    "features": [f for f in data.geojson["features"] if f["id"] in wanted],
                },
                "locations": [codes[i] for i in rows],
                "z": [1] * len(rows),
                "colorscale": [[0, klass.colour], [1, klass.colour]],
                "showscale": False,
                "marker": {"line": {"color": "#505A5F", "width": 1}},
                "text": [tips[i] for i in rows],
                "hovertemplate": "%{text}<extra></extra>",
                "name": _wrap(klass.text, 28),
                "showlegend": True,
                "legendrank": 1000 + klass.index if klass.index >= 0 else 2000 - klass.index,
                "selected": {"marker": {"opacity": 1}},
                "unselected": {"marker": {"opacity": 1}},
            }
        )
    if data.selected:
        row = frame[frame["code"] == data.selected].iloc[0]
        traces.append(
            {
                "type": "choroplethmap",
                "geojson": {
                    "type": "FeatureCollection",
                    "features": [f for f in data.geojson["features"] if f["id"] == data.selected],
                },
                "locations": [data.selected],
                "z": [1],
                "colorscale": [[0, row["colour"]], [1, row["colour"]]],
                "showscale": False,
                "marker": {"line": {"color": SELECTED_OUTLINE, "width": 4}},
                "text": [row["tip"]],
                "hovertemplate": "%{text}<extra></extra>",
                "name": f"Selected: {row['name']}",
                "legendrank": 3000,
            }
        )
    placed = place_labels(frame, view, map_w, map_h, font - 3, data.selected)
    missing = unplaced_sentence(unplaced(frame, placed))
    if missing:  # every LA named: those without room for a label, in words under the map
        footer = [*_wrap(missing, FOOTER_WRAP).split("<br>"), *footer]
        margin = {**MARGIN, "b": 16 + int(len(footer) * footer_px * 1.4)}
        map_h = height - margin["t"] - margin["b"]
        view = fit_view(data.codes, map_w, map_h)
        placed = place_labels(frame, view, map_w, map_h, font - 3, data.selected)
    annotations = []
    for (_, row), spot in zip(frame.iterrows(), placed, strict=True):
        if spot is None:
            continue  # no clear room at this size: the LA keeps its colour, hover and table row
        px, py = to_pixels(view, row["lon"], row["lat"], map_w, map_h)
        leader = spot.has_leader
        chosen = row["code"] == data.selected
        annotations.append(
            {
                "x": px / map_w * MAP_SHARE,
                "y": 1 - py / map_h,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "middle",
                "text": label_text(str(row["name"]), str(row["label"]), spot),
                "showarrow": leader,
                "ax": spot.dx,
                "ay": spot.dy,
                "arrowwidth": 1,
                "arrowhead": 0,
                "arrowcolor": "#0B0C0C",
                "font": {"size": font - 3, "color": "#0B0C0C"},
                "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": SELECTED_OUTLINE if chosen else "rgba(0,0,0,0)",
                "borderwidth": 2 if chosen else 0,
                "borderpad": 1,
            }
        )
    annotations.append(footnote(footer, yshift=-8, size=footer_px))
    layout = dict(
        meta={"unlabelled": missing},
        template=_default_template(),
        width=WIDTH,
        height=height,
        margin=margin,
        font={"family": FONT_FAMILY},  # the page's typeface, not plotly's default Open Sans/Arial
        title={
            "text": data.title,
            "subtitle": {"text": data.legend_title, "font": {"size": font - 2}},
            "font": {"size": font + 6 if presenter else font + 4},
        },
        map={
            "style": "white-bg",
            "center": {"lon": view.lon, "lat": view.lat},
            "zoom": view.zoom,
            "domain": {"x": [0, MAP_SHARE], "y": [0, 1]},
        },
        legend={
            "x": MAP_SHARE + 0.02,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "title": {"text": _wrap(data.legend_title, 34)},
            "font": {"size": font},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        dragmode=False,
        clickmode="event+select",
        annotations=annotations,
        paper_bgcolor="#FFFFFF",
    )
    # One plain dict, not validated: validating the LAs' boundaries cost a seventh of a new
    # selection's rerun in presenter mode. tests/app/test_maps.py checks that validating it
    # changes nothing.
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


@functools.cache
def _default_template() -> dict:
    """The template a validated go.Figure() is given (plotly's default), as a plain dict."""
    return go.Figure().to_dict()["layout"]["template"]


def _footer(data: MapData) -> list[str]:
    """The chart footer's lines (caveat, provider, period, extract date, synthetic flag, notes,
    source and ONS attribution), wrapped; the caveat and attribution alone without them."""
    lines = list(data.footer) or [CAVEAT, SHORT_ATTRIBUTION]
    if SHORT_ATTRIBUTION not in " ".join(lines):
        lines.append(SHORT_ATTRIBUTION)
    return [part for line in lines for part in _wrap(line, FOOTER_WRAP).split("<br>")]


def _wrap(text: str, width: int) -> str:
    lines: list[str] = []
    for part in text.split("<br>"):
        line = ""
        for word in part.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return "<br>".join(lines)


def draw(
    data: MapData,
    *,
    key: str,
    height: int,
    presenter: bool,
    alt: str | None = None,
    fig: go.Figure | None = None,
) -> str | None:
    """Draw the figure (`fig`, made from `data` already, or made here); return the LA code
    currently selected by a click on the map, if any."""
    if fig is None:
        fig = figure(data, height=height, presenter=presenter)
    event = st.plotly_chart(
        fig,
        key=key,
        width="content",
        on_select="rerun",
        selection_mode="points",
        config={"scrollZoom": False, "displaylogo": False, "doubleClick": False},
        alt=" ".join(p for p in (alt or data.title, unlabelled(fig)) if p),  # every LA named
    )
    chosen: dict[str, Any] = dict(event or {})
    points = (chosen.get("selection") or {}).get("points") or []
    for point in points:
        code = point.get("location")
        if code in set(data.codes):
            return str(code)
    return None
