"""The folium (Leaflet) map's plan, worked out before it is drawn: the view it opens on, at a
fixed zoom, and each LA's label placed at that zoom (insight.outputs.labels, the rule every map
keeps), given in latitude and longitude so that Leaflet draws it where it was planned.

The map's height is known; its width is the page's column, which varies with the window, so the
labels are placed in a column `PLAN_WIDTH` wide (the narrowest at 1280 px with the sidebar open)
centred in whatever width it gets. Zooming in only spreads the labels further apart (they are
fixed to the ground, their size is not), so none overlaps at any closer zoom; zooming out, the
map hides the labels that would (components.maps_folium).

This module never imports streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from insight.outputs.labels import leader
from insight.outputs.mapdata import MapData, View, fit_view, mercator, place_labels, to_pixels

PLAN_WIDTH = 760  # px: the map's column at a 1280 x 720 window, sidebar open
LABEL_FONT_PX = 13  # the labels' type size (Source Sans 3)
ZOOM_SNAP = 0.25  # Leaflet's zoomSnap for the map
LEGEND_WIDTH = 300  # px, mapdata.LEGEND_CSS's max-width with its padding
LEGEND_LINE_PX = 13 * 1.35


@dataclass(frozen=True)
class PlannedLabel:
    """One LA's label on the folium map: where its centre goes, how many lines it takes, and its
    leader line from the LA's point to the label's edge (None when it sits on its point)."""

    code: str
    lat: float
    lon: float
    lines: int
    width: float
    height: float
    leader: tuple[tuple[float, float], tuple[float, float]] | None  # ((lat, lon), (lat, lon))


@dataclass(frozen=True)
class Plan:
    lat: float
    lon: float
    zoom: float  # Leaflet's zoom (a 256 px world), a multiple of ZOOM_SNAP
    labels: tuple[PlannedLabel, ...]
    unlabelled: tuple[str, ...]  # "Name value" of each LA with no room for its label


def _to_lonlat(view: View, x: float, y: float, width: float, height: float) -> tuple[float, float]:
    """The inverse of mapdata.to_pixels."""
    scale = 512 * 2**view.zoom
    cx, cy = mercator(view.lon, view.lat)
    wx, wy = cx + (x - width / 2) / scale, cy + (y - height / 2) / scale
    lon = wx * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * wy))))
    return lon, lat


def legend_box(data: MapData, width: float) -> tuple[float, float, float, float]:
    """The room the legend takes in the map's top right corner (px), for the labels to avoid:
    its title over about two lines, a line a colour class, the attribution over two."""
    lines = 2 + len(data.classes) + 2
    return (width - LEGEND_WIDTH - 10, 0.0, width, 10 + 16 + lines * LEGEND_LINE_PX)


def plan(data: MapData, height: int, width: int = PLAN_WIDTH) -> Plan:
    """Where the map opens (centre and a snapped zoom that shows every LA in width x height)
    and where each LA's label goes at that zoom."""
    fitted = fit_view(data.codes, width, height, padding=0.04)
    zoom = math.floor((fitted.zoom + 1) / ZOOM_SNAP) * ZOOM_SNAP  # Leaflet's 256 px world
    view = View(lon=fitted.lon, lat=fitted.lat, zoom=zoom - 1, bounds=fitted.bounds)
    taken = [
        legend_box(data, width),
        (0.0, 0.0, 44.0, 84.0),  # the zoom buttons
        (0.0, height - 30.0, 110.0, float(height)),  # the scale
        (width - 330.0, height - 18.0, float(width), float(height)),  # the attribution
    ]
    placed = place_labels(
        data.frame, view, width, height, LABEL_FONT_PX, data.selected, taken=taken
    )
    labels: list[PlannedLabel] = []
    missing: list[str] = []
    for row, spot in zip(data.frame.itertuples(index=False), placed, strict=True):
        if spot is None:
            missing.append(f"{row.name} {row.label}")
            continue
        x, y = to_pixels(view, float(row.lon), float(row.lat), width, height)
        lon, lat = _to_lonlat(view, x + spot.dx, y + spot.dy, width, height)
        line = leader((x, y), spot)
        ends = None
        if line is not None:
            (x0, y0), (x1, y1) = line
            lon0, lat0 = _to_lonlat(view, x0, y0, width, height)
            lon1, lat1 = _to_lonlat(view, x1, y1, width, height)
            ends = ((lat0, lon0), (lat1, lon1))
        labels.append(
            PlannedLabel(
                code=str(row.code),
                lat=lat,
                lon=lon,
                lines=spot.lines,
                width=spot.box[2] - spot.box[0],
                height=spot.box[3] - spot.box[1],
                leader=ends,
            )
        )
    return Plan(view.lat, view.lon, zoom, tuple(labels), tuple(missing))
