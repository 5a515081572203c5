"""Plotly figures for safe tables: one builder, used by the app and by the PDF export.

A figure carries everything a screenshot needs to stand on its own: the headline title, the
measure and period, the caveat, provenance and source, and a legend for any symbol used. It draws
only what the SafeTable frame carries (value and label, and `count` only where the table has one
and the mode is standard), so a presenter-mode figure holds no count anywhere: not in a bar
label, not in a hover, not in the footer.

This module never imports streamlit.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from insight.core.colours import CATEGORICAL, CONTEXT_GREY, DARK_GREY, HIGHLIGHT
from insight.core.dataset import Meta
from insight.core.selection import Selection
from insight.numbers.tables import SafeTable
from insight.outputs.chart_table import footer_lines, is_per_la, per_la_positions

# Analysis Function palette (DESIGN.md, from afcharts), in order, and the highlight pair.
PALETTE: tuple[str, ...] = CATEGORICAL
TEXT_COLOUR = "#0B0C0C"  # GOV.UK text
REFERENCE_COLOUR = DARK_GREY

# Type sizes in px: a projector wants larger type than a laptop.
FONT_SIZES: dict[str, dict[str, int]] = {
    "standard": {"base": 14, "title": 19, "subtitle": 14, "footer": 11, "bar": 13},
    "presenter": {"base": 19, "title": 25, "subtitle": 18, "footer": 14, "bar": 18},
    # The briefing pack: drawn PRINT_WIDTH px wide for 180 mm of A4 (96 px to the inch), so 12 px
    # prints at 9 pt. The pack's page heading carries the headline, so the image has no title.
    "print": {"base": 13, "title": 0, "subtitle": 0, "footer": 12, "bar": 13},
}
PRINT_WIDTH = 680  # px: A4's 180 mm content width at 96 px to the inch
PRINT_MIN_PX = 12  # 9 pt at 96 px to the inch
# The app's typeface (Streamlit's "sans serif" theme font), so charts match the page's text.
FONT_FAMILY = '"Source Sans", "Source Sans Pro", "Source Sans 3", sans-serif'
FOOTER_WRAP = {"standard": 125, "presenter": 95, "print": 100}  # characters per footer line
# Characters per headline line: plotly never wraps a title, and a long one ran off the figure on
# a 1280-wide projector in presenter mode (80 characters at 25 px need about 900 px).
TITLE_WRAP = {"standard": 80, "presenter": 60, "print": 80}
ROW_HEIGHT = {"standard": 30, "presenter": 42, "print": 28}  # px per bar row
LABEL_WRAP = {
    "standard": 32,
    "presenter": 24,
    "print": 26,
}  # characters per line of a category label
MAX_POINT_LABELS = 12  # a line with more points labels only its latest
LABEL_SHARE = 0.3  # share of the width kept for category labels in bar charts
# Local provision labels a service with its organisation on a second line: a wider label column
# keeps each to one line of each (at 24 characters they wrapped to 3 or 4 lines on a projector).
PROVISION_LABEL_SHARE = {"standard": 0.45, "presenter": 0.5, "print": 0.45}
NEAR_LINE = 10  # a bar label this close under the 100% line goes inside its bar
PROVISION_LABEL_WRAP = {"standard": 52, "presenter": 48, "print": 40}
TIME_AXIS_SHARE = 0.07  # share of the width kept for the value axis of a time chart

# Tables whose figure is a reference against 100 (proportionate, or full capacity).
_REFERENCE_100 = {
    "index": "100 = proportionate to working-age population",
    "hotspot.claimants": "100 = proportionate to the area's claimants",
}
_TIME_PREFIX = "trend"
# Plotly's "none" template as go.Figure's validation spells it out: the figure is not validated
# (see `chart`), and plotly.js reads a template only as an object.
_NO_TEMPLATE: dict = {"data": {"scatter": [{"type": "scatter"}]}}


def chart(table: SafeTable, meta: Meta, sel: Selection, *, medium: str = "screen") -> go.Figure:
    """The figure for a safe table: horizontal bars by category (selection against the whole
    area), bars by LA (the chosen LA highlighted), or lines over time for trends.

    medium="print" draws it for the briefing pack: PRINT_WIDTH px wide, every text at least
    PRINT_MIN_PX (9 pt printed), and no title (the pack page's heading is the headline).

    The figure is written as one plain dict from the table's columns read once as Python lists
    (pandas' per-column operations on a frame of a dozen rows cost more than the drawing), and
    handed to go.Figure without plotly's validation: validating a chart cost 5 to 10 ms, more
    than building it, on every new selection of every chart. What it would have checked is
    checked by the tests instead (tests/unit/test_figure_spec.py: for generated tables in every
    mode and medium, the validated figure is the same as this one)."""
    return go.Figure(spec(table, meta, sel, medium=medium), _validate=False)


def spec(table: SafeTable, meta: Meta, sel: Selection, *, medium: str = "screen") -> dict:
    """The figure of `chart` as plotly's plain dict ({"data": [...], "layout": {...}})."""
    style = "print" if medium == "print" else sel.mode
    if table.is_empty:
        out = _empty_spec(table)
        plot_px = 160
    elif table.key.startswith(_TIME_PREFIX):
        out = _time_spec(table, sel, style)
        plot_px = 12 * FONT_SIZES[style]["base"] * 2
    else:
        cols = _columns(table.frame)
        if is_per_la(table):
            out = _per_la_spec(table, sel, style)
            labels = set(_wrapped(cols["area"], style))
        else:
            out = _category_spec(table, sel, style, cols)
            labels = set(_category_labels(cols, style))
        base = FONT_SIZES[style]["base"]
        lines = sum(label.count("<br>") + 1 for label in labels)
        plot_px = max(_length(cols) * ROW_HEIGHT[style], int(lines * base * 1.5) + 10 * len(labels))
    _finish(out, table, meta, style, plot_px, axes=not table.is_empty)
    return out


# --- a safe table's columns as lists ---------------------------------------------------------
Columns = dict[str, list]


def _columns(frame: pd.DataFrame) -> Columns:
    """Every column of a frame as a Python list, in one pass."""
    return {str(c): frame[c].tolist() for c in frame.columns}


def _take(cols: Columns, rows: list[int]) -> Columns:
    """The given rows of every column, in that order."""
    return {c: [values[i] for i in rows] for c, values in cols.items()}


def _length(cols: Columns) -> int:
    return len(next(iter(cols.values()), []))


def _number(value: object) -> float:
    """A cell as a number, NaN where it is none (pd.to_numeric(errors="coerce") for one cell)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _numbers(values: list) -> list[float]:
    return [_number(v) for v in values]


# --- figure kinds: each returns {"data": [...], "layout": {...}} ------------------------------
def _areas(cols: Columns) -> list[str]:
    """Area codes in row order, the selected LA before the whole area."""
    return list(dict.fromkeys(str(c) for c in cols["area_code"]))


def _by_area(cols: Columns) -> list[tuple[str, Columns]]:
    """Each area's rows (in row order), the areas in the order they first appear."""
    codes = [str(c) for c in cols["area_code"]]
    return [
        (area, _take(cols, [i for i, c in enumerate(codes) if c == area]))
        for area in dict.fromkeys(codes)
    ]


def _area_colour(area_code: str, sel: Selection, n_areas: int) -> str:
    if n_areas == 1:
        return HIGHLIGHT
    return HIGHLIGHT if area_code == sel.la else CONTEXT_GREY


def _hover(sel: Selection, rows: Columns) -> tuple[str, list]:
    """Hover template showing the safe label, and the rounded count only in standard mode where
    the table carries one."""
    template = "%{customdata[0]}<br>%{customdata[1]}: <b>%{customdata[2]}</b>"
    columns = ["area", "category", "label"]
    if sel.mode == "standard" and "count" in rows:
        template += "<br>Count (rounded): %{customdata[3]}"
        columns.append("count")
    data = [
        list(cells) for cells in zip(*([str(v) for v in rows[c]] for c in columns), strict=True)
    ]
    return template + "<extra></extra>", data


def _bar_values(rows: Columns) -> tuple[list[float], list[str]]:
    """Bar lengths (0 for a symbol, so its label sits at the bar's position) and bar labels."""
    values = [0.0 if math.isnan(v) else v for v in _numbers(rows["value"])]
    over = rows.get("over_capacity") or [False] * len(values)
    labels = [
        str(label) + (" ▲ over capacity" if bool(o) else "")
        for label, o in zip(rows.get("label") or [""] * len(values), over, strict=True)
    ]
    return values, labels


def _hbar(sel: Selection, rows: Columns, name: str, colour: object, style: str) -> dict:
    """Horizontal bars for some rows of a safe table: labelled (a symbol sits where its bar
    would be), hatched where over capacity, hover showing only what the table carries."""
    values, labels = _bar_values(rows)
    template, data = _hover(sel, rows)
    marker: dict = {"color": colour}
    patterns = _patterns(rows)
    if patterns is not None:
        marker["pattern"] = patterns
    # A label just short of the 100% line would run into it: it goes inside its bar, in white.
    near = "over_capacity" in rows and colour == HIGHLIGHT
    inside = [near and 100 - NEAR_LINE <= v <= 100 for v in values]
    return {
        "type": "bar",
        "orientation": "h",
        "y": _category_labels(rows, style),
        "x": values,
        "text": labels,
        "textposition": ["inside" if i else "outside" for i in inside],
        "insidetextanchor": "end",
        "insidetextfont": {"color": "#FFFFFF", "size": FONT_SIZES[style]["bar"]},
        "textfont": {"size": FONT_SIZES[style]["bar"]},
        "cliponaxis": False,
        "name": name,
        "marker": marker,
        "customdata": data,
        "hovertemplate": template,
    }


def _category_spec(table: SafeTable, sel: Selection, style: str, cols: Columns) -> dict:
    parts = _by_area(cols)
    traces = [
        _hbar(sel, part, str(part["area"][0]), _area_colour(code, sel, len(parts)), style)
        for code, part in parts
    ]
    layout: dict = {
        "barmode": "group",
        "showlegend": len(parts) > 1,
        "yaxis": {
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": list(dict.fromkeys(_category_labels(cols, style))),
        },
    }
    if "over_capacity" in cols:
        _reference_line(layout, 100, "100% = every place taken")
    return {"data": traces, "layout": layout}


def _wrapped(categories: list, style: str) -> list[str]:
    """Category labels broken over lines, so long names (an organisation and its service) do not
    push the bars off the figure."""
    width = LABEL_WRAP[style]
    return [
        "<br>".join(textwrap.wrap(escape(str(c)), width, break_long_words=False) or [""])
        for c in categories
    ]


def _category_labels(rows: Columns, style: str) -> list[str]:
    """Axis labels for the rows. Local provision ('Organisation|Service' keys) reads as the
    service with its organisation on a second, grey line, rather than one long wrapped name."""
    keys = [str(k) for k in rows["category_key"]] if "category_key" in rows else None
    if "over_capacity" not in rows or keys is None or not all("|" in k for k in keys):
        return _wrapped(rows["category"], style)
    width = PROVISION_LABEL_WRAP[style]
    out = []
    for key in keys:
        organisation, _, service = key.partition("|")
        lines = textwrap.wrap(escape(service), width, break_long_words=False) or [""]
        lines += [
            f'<span style="color:{REFERENCE_COLOUR}">{line}</span>'
            for line in textwrap.wrap(escape(organisation), width, break_long_words=False)
        ]
        out.append("<br>".join(lines))
    return out


def _patterns(rows: Columns) -> dict | None:
    """A hatched bar where an organisation is over capacity: meaning not by colour alone."""
    if "over_capacity" not in rows:
        return None
    return {"shape": ["/" if bool(v) else "" for v in rows["over_capacity"]]}


def _per_la_spec(table: SafeTable, sel: Selection, style: str) -> dict:
    """One labelled bar per LA, largest first so the chart reads as a ranking; LAs without a
    figure (`[c]`, `[x]`) go last whatever they hide, so the order reveals nothing about them.
    The chosen LA is highlighted against grey, and not by colour alone: its name and its figure
    are bold and its bar is outlined."""
    cols = _take(_columns(table.frame), per_la_positions(table.frame))
    codes = [str(c) for c in cols["area_code"]]
    chosen = [not sel.is_whole_area and code == sel.la for code in codes]
    colours = [HIGHLIGHT if sel.is_whole_area or pick else CONTEXT_GREY for pick in chosen]
    bars = _hbar(sel, cols, "Local Authority", colours, style)
    names = _wrapped(cols["area"], style)
    bars["y"] = [
        f"<b>{name}</b>" if pick else name for name, pick in zip(names, chosen, strict=True)
    ]
    bars["text"] = [
        f"<b>{text}</b>" if pick else text for text, pick in zip(bars["text"], chosen, strict=True)
    ]
    bars["marker"]["line"] = {
        "color": [TEXT_COLOUR if pick else "rgba(0,0,0,0)" for pick in chosen],
        "width": [2 if pick else 0 for pick in chosen],
    }
    layout: dict = {
        "showlegend": False,
        "yaxis": {"autorange": "reversed", "categoryorder": "array", "categoryarray": bars["y"]},
    }
    if table.unit == "index":
        _reference_line(layout, 100, _REFERENCE_100.get(table.key, _REFERENCE_100["index"]))
    return {"data": [bars], "layout": layout}


def _time_spec(table: SafeTable, sel: Selection, style: str) -> dict:
    cols = _columns(table.frame)
    parts = _by_area(cols)
    traces: list[dict] = []
    for area_code, part in parts:
        values = _numbers(part["value"])
        template, data = _hover(sel, part)
        colour = _area_colour(area_code, sel, len(parts))
        traces.append(
            {
                "type": "scatter",
                "x": _time_labels(part["category"]),
                "y": values,
                "mode": "lines+markers+text",
                "text": _point_labels(part, labelled=colour == HIGHLIGHT),
                "textposition": "top center",
                "name": str(part["area"][0]),
                "line": {
                    "color": colour,
                    "width": 3,
                    "dash": "solid" if colour == HIGHLIGHT else "dot",
                },
                "marker": {"color": colour, "size": 8},
                "customdata": data,
                "hovertemplate": template,
                "connectgaps": False,
            }
        )
        hidden = [i for i, v in enumerate(values) if math.isnan(v)]
        if hidden:
            # A symbol is drawn where its point would be, on the axis, so it is never a gap alone.
            suppressed = _take(part, hidden)
            traces.append(
                {
                    "type": "scatter",
                    "x": _time_labels(suppressed["category"]),
                    "y": [0] * len(hidden),
                    "mode": "text",
                    "text": [str(v) for v in suppressed["label"]],
                    "textposition": "top center",
                    "textfont": {"color": colour},
                    "showlegend": False,
                    "hoverinfo": "skip",
                }
            )
    ticks = list(dict.fromkeys(_time_labels(cols["category"])))
    step = -(-len(ticks) // MAX_POINT_LABELS)  # every month when few, else every 2nd or 3rd
    layout = {
        "showlegend": len(parts) > 1,
        "xaxis": {
            "type": "category",
            "tickangle": 0,
            "tickmode": "array",
            "tickvals": ticks[::step],
        },
    }
    return {"data": traces, "layout": layout}


def _time_labels(categories: list) -> list[str]:
    """'Jul to Sep 2025' -> 'Jul to Sep<br>2025': two short lines, no rotated labels."""
    return ["<br>".join(escape(str(c)).rsplit(" ", 1)) for c in categories]


def _point_labels(part: Columns, labelled: bool) -> list[str]:
    """Label the highlighted line's points (all of them when few, else the latest); the grey
    comparison line is read from the hover and the table."""
    labels = [str(v) for v in part["label"]]
    if not labelled:
        return [""] * len(labels)
    if len(labels) <= MAX_POINT_LABELS:
        return labels
    return [""] * (len(labels) - 1) + labels[-1:]


def _reference_line(layout: dict, at: float, text: str) -> None:
    """A dashed vertical line across the plot at `at`, its label above the plot."""
    layout.setdefault("shapes", []).append(
        {
            "type": "line",
            "x0": at,
            "x1": at,
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "y domain",
            "line": {"color": REFERENCE_COLOUR, "dash": "dash", "width": 1.5},
        }
    )
    layout.setdefault("annotations", []).append(
        {
            "text": text,
            "showarrow": False,
            "x": at,
            "xref": "x",
            "y": 1,
            "yref": "y domain",
            "xanchor": "right",  # ends at its line: centred, it ran off the figure's edge
            "yanchor": "bottom",
        }
    )


def _empty_spec(table: SafeTable) -> dict:
    note = {
        "text": table.empty_message or "Nothing to show.",
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
    }
    layout = {"annotations": [note], "xaxis": {"visible": False}, "yaxis": {"visible": False}}
    return {"data": [], "layout": layout}


# --- shared layout ---------------------------------------------------------------------------
def _finish(
    spec: dict, table: SafeTable, meta: Meta, style: str, plot_px: int, axes: bool = True
) -> None:
    sizes = FONT_SIZES[style]
    wrap = FOOTER_WRAP[style]
    footer: list[str] = []
    for line in footer_lines(table, meta):
        footer.extend(textwrap.wrap(line, wrap) or [""])
    footer_px = int(len(footer) * sizes["footer"] * 1.45) + 16
    plot_px = max(200, plot_px)
    layout = spec["layout"]
    printed = style == "print"
    title = textwrap.wrap(table.title, TITLE_WRAP[style], break_long_words=False) or [""]
    if printed:  # no title: room for the legend and a reference line's label only
        title = [""]
    top_px = (
        (20 + sizes["base"] * 2 if printed else 70 + sizes["title"] * 2)
        + int((len(title) - 1) * sizes["title"] * 1.3)
        + (sizes["base"] * 2 if layout.get("showlegend") else 0)
    )
    # The value-axis tick labels sit between the plot and the footer: one line, or two for time.
    tick_lines = 2 if table.key.startswith(_TIME_PREFIX) else 1
    tick_px = int(sizes["base"] * 1.3 * tick_lines) + 14 if axes else 0
    height = top_px + plot_px + tick_px + footer_px + 20
    # Plotly anchors a title's top as if it had one line; each further line would rise above the
    # figure's edge, so the title comes down by that much.
    title_drop_px = 8 + (len(title) - 1) * sizes["title"] * 1.25
    layout.update(
        template=_NO_TEMPLATE,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        font={
            "family": FONT_FAMILY,
            "size": sizes["base"],
            "color": TEXT_COLOUR,
        },
        title={
            "text": "<br>".join(escape(line) for line in title),
            "subtitle": {
                "text": "" if printed else escape(table.subtitle),
                "font": {"size": sizes["subtitle"] or sizes["base"]},
            },
            "font": {"size": sizes["title"] or sizes["base"]},
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": 1 - title_drop_px / height,
            "yanchor": "top",
            "yref": "container",
        },
        height=height,
        margin={"l": 10, "r": 50, "t": top_px, "b": tick_px + footer_px + 20, "autoexpand": True},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": sizes["base"]},
        },
        uniformtext={"minsize": sizes["bar"] - 2, "mode": "show"},
        hoverlabel={"font": {"size": sizes["base"]}},
        separators=".,",
    )
    layout.setdefault("annotations", []).append(
        footnote(footer, yshift=-tick_px, size=sizes["footer"])
    )
    if not axes:
        return
    # No value-axis title: the subtitle states the measure, and a title there would crowd the
    # footer. Percent ticks carry their % sign.
    value_axis = {
        "title": {"text": ""},
        "rangemode": "tozero",
        "ticksuffix": "%" if table.unit == "%" else "",
        "showgrid": True,
        "gridcolor": "#E5E5E5",
        "zeroline": True,
        "zerolinecolor": "#3D3D3D",
        "range": [0, _axis_max(table)],
    }
    if table.key.startswith(_TIME_PREFIX):
        _axis(layout, "yaxis", value_axis)
        _axis(
            layout,
            "xaxis",
            {"title": {"text": ""}, "showgrid": False, "domain": [TIME_AXIS_SHARE, 1.0]},
        )
    else:
        # Category labels sit inside the figure's left third, so the title, legend and footer
        # (placed on the paper's left edge) line up with the figure's edge, not the bars'.
        share = (
            PROVISION_LABEL_SHARE[style] if "over_capacity" in table.frame.columns else LABEL_SHARE
        )
        _axis(layout, "xaxis", {**value_axis, "domain": [share, 1.0]})
        _axis(
            layout,
            "yaxis",
            {
                "title": {"text": ""},
                "showgrid": False,
                "ticksuffix": "  ",
                "ticklabelstandoff": 6,  # every line of a two-line label clear of the axis
                "automargin": True,
            },
        )


def _axis(layout: dict, name: str, settings: dict) -> None:
    layout[name] = {**layout.get(name, {}), **settings}


def _axis_max(table: SafeTable) -> float:
    """The value axis always starts at zero; leave headroom for the bar labels."""
    values = [v for v in _numbers(table.frame["value"].tolist()) if not math.isnan(v)]
    top = float(max(values)) if values else 0.0
    frame = table.frame
    if "over_capacity" in frame.columns and any(bool(v) for v in frame["over_capacity"].tolist()):
        return max(top, 100.0) * 1.7  # room for "▲ over capacity" beside the longest bar
    if table.unit == "%" and top <= 100:
        return max(10.0, min(100.0, top * 1.25) if top < 80 else 100.0) * 1.12
    return max(top, 100.0) * 1.22


def footnote(lines: list[str], *, yshift: float, size: int, name: str | None = None) -> dict:
    """Lines of small grey text under the plot, left-aligned at the figure's foot: the chart's
    caveat footer, and the stamp a PNG export adds. Each line is kept literal."""
    note = {
        "text": "<br>".join(escape(line) for line in lines),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "yshift": yshift,
        "align": "left",
        "showarrow": False,
        "font": {"size": size, "color": "#3D3D3D"},
    }
    if name is not None:
        note["name"] = name
    return note


def escape(text: str) -> str:
    """Plotly renders a small HTML subset in titles and annotations; keep text literal."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
