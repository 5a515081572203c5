"""The LA map drawn as plotly shapes from the ONS boundaries (no tiles, no map library, nothing
fetched): `print_map` for the briefing pack, the handouts and the LA summary, `slide_map` for a
meeting slide. Both draw a `MapData` (insight.outputs.mapdata: the joined, classified and
described table) in the charts' type and palette (insight.outputs.figures).

This module never imports streamlit.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from insight.core.caveat import caveat_lines
from insight.core.colours import ORANGE, SEQUENTIAL
from insight.core.dataset import Meta
from insight.core.geo import SHORT_ATTRIBUTION
from insight.outputs.figures import (
    FONT_FAMILY,
    FONT_SIZES,
    FOOTER_WRAP,
    PRINT_WIDTH,
    TEXT_COLOUR,
    escape,
    footnote,
)
from insight.outputs.labels import Placed, text_width
from insight.outputs.mapdata import (
    MapData,
    fit_view,
    place_labels,
    short_name,
    to_pixels,
    unplaced,
    unplaced_sentence,
)


def label_text(name: str, label: str, spot: Placed) -> str:
    """An LA's label as plotly text: its name over its value in bold, or both on one line."""
    joint = "<br>" if spot.lines == 2 else " "
    return f"{escape(name)}{joint}<b>{escape(label)}</b>"


# --- the hotspot map for print ----------------------------------------------------------------
MAP_HEIGHT = 640  # px; the legend sits in the map's empty top right corner


def _shapes(data: MapData, project) -> list[dict]:  # noqa: ANN001 - (lon, lat) -> (x, y)
    """The LAs as filled plotly shapes in px (`project`): one trace per colour class, so the
    legend names each class, and the chosen LA's orange outline."""
    by_class: dict[int, tuple[list, list]] = {c.index: ([], []) for c in data.classes}
    klass_of = dict(zip(data.frame["code"], data.frame["klass"], strict=True))
    selected: tuple[list, list] = ([], [])
    for feature in data.geojson["features"]:
        xs, ys = by_class[int(klass_of[feature["id"]])]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            ring = polygon[0]  # outer ring; holes are filled by their neighbours
            points = [project(lon, lat) for lon, lat in ring]
            xs.extend([p[0] for p in points] + [None])
            ys.extend([p[1] for p in points] + [None])
            if feature["id"] == data.selected:
                selected[0].extend([p[0] for p in points] + [None])
                selected[1].extend([p[1] for p in points] + [None])
    traces: list[dict] = []
    for klass in data.classes:
        xs, ys = by_class[klass.index]
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "fill": "toself",
                "fillcolor": klass.colour,
                "line": {"color": "#505A5F", "width": 0.8},
                "name": escape(klass.text),
                "hoverinfo": "skip",
            }
        )
    if selected[0]:
        traces.append(
            {
                "type": "scatter",
                "x": selected[0],
                "y": selected[1],
                "mode": "lines",
                "line": {"color": ORANGE, "width": 3},
                "name": "Chosen Local Authority (orange outline)",
                "hoverinfo": "skip",
            }
        )
    return traces


def _la_label(x: float, y: float, row: object, spot: Placed) -> dict:
    """An LA's name and label at (x, y) in px, over two lines or on one as placed, moved by the
    placement's offset with a leader line."""
    return {
        "x": x,
        "y": y,
        "xref": "x",
        "yref": "y",
        "text": label_text(str(getattr(row, "name", "")), str(getattr(row, "label", "")), spot),
        "showarrow": spot.has_leader,
        "ax": spot.dx,
        "ay": spot.dy,
        "arrowcolor": TEXT_COLOUR,
        "arrowwidth": 1,
        "arrowhead": 0,
    }


def print_map(data: MapData, meta: Meta) -> go.Figure:
    """A static LA map for the briefing pack, drawn as filled plotly shapes from the ONS
    boundaries (no tiles, no map library, nothing fetched): one trace per colour class so the
    legend names each class, each LA's name and label on it, the chosen LA outlined, the measure
    as the legend's title and the caveat and ONS attribution in the footer. PRINT_WIDTH wide,
    every text at least PRINT_MIN_PX."""
    sizes = FONT_SIZES["print"]
    width, height = PRINT_WIDTH - 8, MAP_HEIGHT
    view = fit_view(data.codes, width - 90, height, padding=0.03)  # room for pushed labels

    def project(lon: float, lat: float) -> tuple[float, float]:
        x, y = to_pixels(view, lon, lat, width, height)
        return x, height - y  # plotly's y runs up

    traces = _shapes(data, project)
    # Labels that never overlap (mapdata.place_labels, as on screen): each on its LA if clear,
    # else beside it with a leader line; one with no clear room anywhere is left off the map and
    # named with its figure under it, so no label hides another LA's value.
    annotations = []
    legend_box = (width - 270.0, 0.0, float(width), 26.0 + 20.0 * (len(data.classes) + 4))
    placed = place_labels(
        data.frame, view, width, height, sizes["footer"], data.selected, taken=[legend_box]
    )
    for row, spot in zip(data.frame.itertuples(index=False), placed, strict=True):
        if spot is None:
            continue
        x, y = project(float(row.lon), float(row.lat))
        moved = spot.has_leader
        dark = str(row.colour) in SEQUENTIAL[1:] and not moved
        annotations.append(
            {
                **_la_label(x, y, row, spot),
                "bgcolor": "rgba(255,255,255,0.85)" if moved else None,
                "font": {"size": sizes["footer"], "color": "#FFFFFF" if dark else TEXT_COLOUR},
            }
        )
    footer: list[str] = []
    notes = [*caveat_lines(meta), SHORT_ATTRIBUTION]
    missing = unplaced_sentence(unplaced(data.frame, placed))
    if missing:
        notes.insert(0, missing)
    for line in notes:
        footer.extend(textwrap.wrap(line, FOOTER_WRAP["print"]) or [""])
    footer_px = int(len(footer) * sizes["footer"] * 1.45) + 16
    plot_px = MAP_HEIGHT
    annotations.append(footnote(footer, yshift=-10, size=sizes["footer"]))
    layout = {
        "template": "none",
        "width": PRINT_WIDTH,
        "height": plot_px + footer_px + 30,
        "margin": {"l": 4, "r": 4, "t": 10, "b": footer_px + 20},
        "font": {"family": FONT_FAMILY, "size": sizes["base"], "color": TEXT_COLOUR},
        "xaxis": {"visible": False, "range": [0, width]},
        "yaxis": {"visible": False, "range": [0, height]},
        "showlegend": True,
        "legend": {
            "x": 1,
            "xanchor": "right",
            "y": 1,
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.9)",
            "title": {"text": "<br>".join(textwrap.wrap(escape(data.legend_title), 34))},
            "font": {"size": sizes["base"]},
        },
        "annotations": annotations,
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "meta": {"unlabelled": missing},
    }
    return go.Figure({"data": traces, "layout": layout})


def unlabelled(fig: go.Figure) -> str:
    """The sentence naming the LAs a map figure had no room to label ('' when every LA is), for
    its text alternative."""
    meta = fig.layout.meta
    return str(meta.get("unlabelled", "")) if isinstance(meta, dict) else ""


# --- the LA map on a slide ----------------------------------------------------------------------
SLIDE_MAP_SHARE = 0.7  # of the width; the legend sits to the right
SLIDE_MAP_FONT = 20  # px on a 1280 x 720 slide


NOTE_WRAP = 28  # characters a line of the note naming LAs without a label


def _note_box(lines: list[str], height: int) -> tuple[float, float, float, float]:
    """The room (px from the map's top left) the note takes in the bottom left corner."""
    wide = max(text_width(line, SLIDE_MAP_FONT) for line in lines) + 8
    tall = len(lines) * SLIDE_MAP_FONT * 1.3 + 8
    return (0.0, height - tall, wide, float(height))


def slide_map(data: MapData, width: int, height: int) -> go.Figure:
    """An LA map for a slide, width x height px, drawn as SVG shapes (like the pack's map), so
    it scales with the slide as crisply as a chart: every text 20 px, each LA's name and label
    where it has room (components.maps_plotly's rule: labels never overlap; one without room is
    left off, its LA still coloured and in the table), the legend in words ("the lowest", "the
    highest") beside it. No title and no footer: the slide's heading and caveat strip say them."""
    map_w = int(width * SLIDE_MAP_SHARE)
    view = fit_view(data.codes, map_w, height, padding=0.02)

    def project(lon: float, lat: float) -> tuple[float, float]:
        x, y = to_pixels(view, lon, lat, map_w, height)
        return x, height - y

    traces = _shapes(data, project)
    shown = [c for c in data.classes if c.index >= 0]
    for trace, klass in zip(traces, data.classes, strict=False):
        if len(shown) > 1 and klass.index == 0:
            trace["name"] += ": the lowest"
        elif len(shown) > 1 and klass.index == len(shown) - 1:
            trace["name"] += ": the highest"
    frame = data.frame.assign(name=[short_name(n) for n in data.frame["name"]])
    placed = place_labels(frame, view, map_w, height, SLIDE_MAP_FONT, data.selected)
    # An LA with no room for its label is named in words in the map's bottom left corner, and
    # the labels are placed again clear of that corner (and of any corner a note of other words
    # needed a moment before), until the note's corner is one they were placed clear of.
    taken: list[tuple[float, float, float, float]] = []
    for _ in range(4):
        missing = unplaced_sentence(unplaced(frame, placed))
        box = _note_box(textwrap.wrap(missing, NOTE_WRAP), height) if missing else None
        if box is None or box in taken:
            break
        taken.append(box)
        placed = place_labels(
            frame, view, map_w, height, SLIDE_MAP_FONT, data.selected, taken=taken
        )
    missing = unplaced_sentence(unplaced(frame, placed))
    note = textwrap.wrap(missing, NOTE_WRAP)
    annotations = []
    for row, spot in zip(frame.itertuples(index=False), placed, strict=True):
        if spot is None:
            continue
        x, y = project(float(row.lon), float(row.lat))
        chosen = row.code == data.selected
        annotations.append(
            {
                **_la_label(x, y, row, spot),
                "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": ORANGE if chosen else "rgba(0,0,0,0)",
                "borderwidth": 2 if chosen else 0,
                "borderpad": 1,
                "font": {"size": SLIDE_MAP_FONT, "color": TEXT_COLOUR},
            }
        )
    if missing:  # named in the map's bottom left corner, kept clear of labels (_note_box)
        annotations.append(
            {
                "x": 0,
                "y": 0,
                "xref": "x",
                "yref": "y",
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "text": "<br>".join(escape(line) for line in note),
                "font": {"size": SLIDE_MAP_FONT, "color": TEXT_COLOUR},
            }
        )
    layout = {
        "template": "none",
        "width": width,
        "height": height,
        "autosize": False,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "font": {"family": FONT_FAMILY, "size": SLIDE_MAP_FONT, "color": TEXT_COLOUR},
        "xaxis": {"visible": False, "range": [0, map_w], "domain": [0, SLIDE_MAP_SHARE]},
        "yaxis": {"visible": False, "range": [0, height]},
        "showlegend": True,
        "legend": {
            "x": SLIDE_MAP_SHARE + 0.02,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "title": {"text": "<br>".join(textwrap.wrap(escape(data.legend_title), 30))},
            "font": {"size": SLIDE_MAP_FONT},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        "annotations": annotations,
        "dragmode": False,
        "hovermode": False,
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "meta": {"unlabelled": missing},
    }
    return go.Figure({"data": traces, "layout": layout})
