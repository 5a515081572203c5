"""The official context's small trend chart (a plotly figure) and its text alternative: a
figure belongs with the outputs, not with insight.numbers.place, which gives it its figures."""

from __future__ import annotations

import textwrap
from typing import Any

import plotly.graph_objects as go

from insight.core.colours import HIGHLIGHT
from insight.numbers.place import (
    Figure,
    area_name,
    area_series,
    figure,
    indicators,
    period_label,
    series,
)

TREND_FONT = {"standard": 12, "presenter": 16}


def _points(area: str | tuple[str, ...], indicator: str) -> tuple[str, list[Figure]]:
    """(name, figures oldest first) for one area code or for a set of LAs (weighted)."""
    if isinstance(area, tuple):
        return f"The area's {len(area)} LAs (weighted)", area_series(area, indicator)
    return area_name(area), series(area, indicator)


def trend_figure(
    code: str | tuple[str, ...], indicator: str, mode: str, compare: str | None = None
) -> go.Figure:
    """A small line chart of the area's figures (and its country's, dotted grey) over the periods
    in the copy. Its title names the indicator and the areas; its footer carries the source and
    status, so a PNG of it stands alone. Points without a figure are gaps, labelled with their
    symbol on the axis."""
    ind = indicators()[indicator]
    size = TREND_FONT[mode]
    traces: list[dict[str, Any]] = []
    names = []
    for area, colour, dash in ((code, HIGHLIGHT, "solid"), (compare, "#707070", "dot")):
        if not area:
            continue
        name, points = _points(area, indicator)
        names.append(name)
        # Plain "Jan to Dec 2016": a year split from its month by a line break would read as a
        # bare number to anyone scanning the page for counts; the ticks carry the break.
        labels = [period_label(p.period) for p in points]
        traces.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [p.value for p in points],
                "mode": "lines+markers+text",
                "name": name,
                "textposition": "top left",
                "cliponaxis": False,
                "texttemplate": [
                    p.label if i == len(points) - 1 and area == code else ""
                    for i, p in enumerate(points)
                ],
                "line": {"color": colour, "dash": dash, "width": 2.5},
                "marker": {"size": 6, "color": colour},
                "text": [p.label for p in points],
                "hovertemplate": name + ", %{x}: %{text}<extra></extra>",
                "connectgaps": False,
            }
        )
        gaps = [(lab, p.label) for lab, p in zip(labels, points, strict=True) if not p.shown]
        if gaps and area == code:
            traces.append(
                {
                    "type": "scatter",
                    "x": [g[0] for g in gaps],
                    "y": [0] * len(gaps),
                    "mode": "text",
                    "text": [g[1] for g in gaps],
                    "showlegend": False,
                    "hoverinfo": "skip",
                }
            )
    footer = [ind.status_text + ".", ind.source_line]
    # Wrapped to fit a chart two to a row at 1366 px (about 60 characters at 10 px, 45 at 14 px).
    width = 60 if mode == "standard" else 45
    wrapped = [w for line in footer for w in textwrap.wrap(line, width, break_on_hyphens=False)]
    footer_px = int(len(wrapped) * size * 1.4) + 10
    height = 240 + footer_px + (40 if mode == "presenter" else 0)
    ticks = traces[0]["x"] if traces else []
    tickvals = [ticks[0], ticks[-1]] if len(ticks) > 1 else ticks
    unit_suffix = {"%": "%", "£": "", "mins": ""}[ind.unit]
    layout = {
        "template": "none",
        "height": height,
        "font": {"family": "Arial, Helvetica, sans-serif", "size": size, "color": "#0B0C0C"},
        "title": {
            "text": ind.label if len(names) > 1 else f"{ind.label}, {names[0] if names else ''}",
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 8},
            "font": {"size": size + 3},
        },
        "margin": {"l": 50, "r": 30, "t": 40 + 2 * size, "b": footer_px + 45},
        "showlegend": len(names) > 1,
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        "xaxis": {
            "type": "category",
            "tickvals": tickvals,
            "ticktext": ["<br>".join(str(t).rsplit(" ", 1)) for t in tickvals],
            "tickangle": 0,
            "showgrid": False,
        },
        "yaxis": {
            "ticksuffix": unit_suffix,
            "tickprefix": "£" if ind.unit == "£" else "",
            "gridcolor": "#E5E5E5",
        },
        "annotations": [
            {
                "text": "<br>".join(wrapped),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -45,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "showarrow": False,
                "font": {"size": size - 2, "color": "#3D3D3D"},
            }
        ],
    }
    return go.Figure({"data": traces, "layout": layout})


def trend_alt(code: str | tuple[str, ...], indicator: str, compare: str | None = None) -> str:
    """The trend chart's text alternative: every period's figure for the area, and the latest for
    the comparator."""
    ind = indicators()[indicator]
    name, points = _points(code, indicator)
    shown = [p for p in points if p.shown]
    if not shown:
        return f"{ind.label}, {name}: no figure in any period in the source."
    first, last = shown[0], shown[-1]
    low = min(shown, key=lambda p: p.value)  # type: ignore[arg-type, return-value]
    high = max(shown, key=lambda p: p.value)  # type: ignore[arg-type, return-value]
    text = (
        f"{ind.label}, {name}: {first.label} in {period_label(first.period)}, {last.label} in "
        f"{period_label(last.period)}; lowest {low.label} ({period_label(low.period)}), highest "
        f"{high.label} ({period_label(high.period)})."
    )
    if len(shown) < len(points):
        text += f" {len(points) - len(shown)} of {len(points)} periods have no figure."
    if compare:
        theirs = figure(compare, indicator, points[-1].period) if points else None
        if theirs is not None:
            text += f" {area_name(compare)}, latest: {theirs.label}."
    return text
