"""What an LA map shows, worked out without any drawing library: the join of a one-row-per-LA
SafeTable to the boundaries, colour classes, legend text, hover text and the view to open on.

Every map engine in components/maps*.py draws from `MapData` alone, so the rules (presenter mode
never carries a count; nothing but named columns reaches a map) are tested here once.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from insight.core.colours import CONTEXT_GREY, ORANGE, SEQUENTIAL, SEQUENTIAL_FIVE
from insight.core.dataset import Meta
from insight.core.geo import SHORT_ATTRIBUTION, boundaries, bounds, la_name, lookup, to_2024
from insight.core.symbols import CONFIDENTIAL
from insight.numbers.tables import SYMBOLS, SafeTable
from insight.outputs.chart_table import footer_lines
from insight.outputs.labels import Label, Placed, label_size, place

# DESIGN.md: sequential palette, light to dark for low to high; grey for suppressed.
SUPPRESSED_COLOUR = CONTEXT_GREY
MISSING_COLOUR = "#FFFFFF"
OUTLINE_COLOUR = "#505A5F"
SELECTED_OUTLINE = ORANGE
SUPPRESSED_CLASS = -1
MISSING_CLASS = -2
INDEX_BREAKS = (90.0, 110.0)  # hotspot index: below, about, above proportionate (100)
WEB_MERCATOR_TILE = 512  # MapLibre (plotly) and deck.gl count a zoom-0 world as 512 px

# What a hotspot index is measured against, by table key: the working-age population (the
# default) or the area's claimants (insight.numbers.place.claimant_hotspot). Words only; the index is
# always one share over another.
REFERENCES: dict[str, tuple[str, str]] = {
    "hotspot.claimants": ("the claimant count", "in line with its share of claimants"),
}
DEFAULT_REFERENCE = ("the population", "in line with population")


def reference_of(table: SafeTable) -> tuple[str, str]:
    """(noun, "in line with ...") for an index table's reference."""
    return REFERENCES.get(table.key, DEFAULT_REFERENCE)


# Columns a map may ever read from a SafeTable frame. `count` is read in standard mode only.
_SAFE_COLUMNS = ("area_code", "category_key", "value", "label", "suppressed")


@dataclass(frozen=True)
class ColourClass:
    index: int  # SUPPRESSED_CLASS, MISSING_CLASS, or 0.. from low to high
    colour: str
    text: str  # legend text, e.g. "3% to 5%" or "[c] too few people to show safely"


@dataclass(frozen=True)
class View:
    lon: float
    lat: float
    zoom: float  # Web Mercator zoom for a 512 px world (MapLibre, deck.gl)
    bounds: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


@dataclass(frozen=True, eq=False)
class MapData:
    """Everything a map draws. `frame` has one row per LA in `codes` order with columns code,
    name, value, label, suppressed, klass, colour, tip, lon, lat (and `count` in standard mode
    when the table carries it). `geojson` features hold code, name, label, colour and tip only."""

    frame: pd.DataFrame
    classes: tuple[ColourClass, ...]
    geojson: dict
    title: str
    legend_title: str
    unit: str
    mode: str
    selected: str | None
    # The chart footer's lines (insight.outputs.chart_table.footer_lines): caveat, provider, period, extract
    # date, synthetic flag, notes and source. Empty when the map was made without the metadata.
    footer: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.frame["code"])


def _format_value(value: float, unit: str) -> str:
    return f"{value:.0f}" if unit == "index" else f"{value:.0f}%"


def _key_column(frame: pd.DataFrame, codes: tuple[str, ...]) -> str:
    """Per-LA tables put the LA code in area_code; some put it in category_key instead."""
    if "area_code" in frame and frame["area_code"].astype(str).map(to_2024).isin(codes).any():
        return "area_code"
    return "category_key"


def join(table: SafeTable, codes: tuple[str, ...]) -> pd.DataFrame:
    """One row per LA in `codes`: code, name, value, label, suppressed, lon, lat (+ count in
    standard mode when present). LAs the table has no row for get label "[x]"."""
    codes = tuple(dict.fromkeys(to_2024(c) for c in codes))
    source = table.frame
    key = _key_column(source, codes)
    wanted = [c for c in _SAFE_COLUMNS if c in source and c != key] + [key]
    with_count = table.mode == "standard" and "count" in source
    if with_count:
        wanted.append("count")
    rows = source[wanted].copy()
    rows["code"] = rows[key].astype(str).map(to_2024)
    rows = rows[rows["code"].isin(codes)].drop_duplicates("code").set_index("code")
    out = pd.DataFrame(index=pd.Index(codes, name="code"))
    out["name"] = [la_name(c) for c in codes]
    out["value"] = pd.to_numeric(rows["value"], errors="coerce").reindex(out.index)
    out["label"] = rows["label"].reindex(out.index).fillna("[x]").astype(str)
    suppressed = rows["suppressed"].reindex(out.index) if "suppressed" in rows else None
    out["suppressed"] = (
        suppressed.fillna(False).astype(bool)
        if suppressed is not None
        else out["label"].eq(CONFIDENTIAL)
    ) | out["label"].eq(CONFIDENTIAL)
    if with_count:
        out["count"] = rows["count"].reindex(out.index).fillna("").astype(str)
    ref = lookup().reindex(list(codes))
    out["lon"] = ref["lon"].to_numpy(dtype=float)
    out["lat"] = ref["lat"].to_numpy(dtype=float)
    return out.reset_index()


def classes(
    values: pd.Series,
    unit: str,
    reference: tuple[str, str] = DEFAULT_REFERENCE,
    most: int = 3,
) -> tuple[list[ColourClass], pd.Series]:
    """Colour classes for the shown values and each value's class index.

    Index maps use fixed breaks around 100 (below / about / above proportionate). Shares use up to
    `most` classes (3, or 5 on a slide) holding about as many LAs each; equal values always share
    a class, and a class's text is the range of the values actually in it."""
    shown = values.dropna()
    if unit == "index":
        low, high = INDEX_BREAKS
        idx = shown.map(lambda v: 0 if v < low else (1 if v <= high else 2))
        noun, in_line = reference
        texts = {
            0: f"Under {low:.0f}: fewer than {noun} suggests",
            1: f"{low:.0f} to {high:.0f}: about {in_line}",
            2: f"Over {high:.0f}: more than {noun} suggests",
        }
        used = sorted(set(idx))
        palette = _palette(len(used))
        renumber = {old: new for new, old in enumerate(used)}
        out = [ColourClass(renumber[k], palette[renumber[k]], texts[k]) for k in used]
        return out, idx.map(renumber).reindex(values.index)
    ordered = sorted(shown)
    n = len(ordered)
    cuts = sorted({ordered[(n * k) // most] for k in range(1, most)} - {ordered[0]}) if n else []
    idx = shown.map(lambda v: sum(v >= c for c in cuts))
    used = sorted(set(idx))
    palette = _palette(len(used)) if most <= 3 else _palette_five(len(used))
    out = []
    for new, old in enumerate(used):
        members = shown[idx == old]
        lo, hi = members.min(), members.max()
        text = (
            _format_value(lo, unit)
            if lo == hi
            else f"{_format_value(lo, unit)} to {_format_value(hi, unit)}"
        )
        out.append(ColourClass(new, palette[new], text))
    renumber = {old: new for new, old in enumerate(used)}
    return out, idx.map(renumber).reindex(values.index)


def _palette(k: int) -> tuple[str, ...]:
    return {0: (), 1: (SEQUENTIAL[1],), 2: (SEQUENTIAL[0], SEQUENTIAL[2])}.get(k, SEQUENTIAL)


def _palette_five(k: int) -> tuple[str, ...]:
    """k of the five shades, light to dark, spread out (the middle ones first when few)."""
    picks = {0: (), 1: (2,), 2: (1, 3), 3: (1, 2, 3), 4: (0, 1, 2, 3), 5: (0, 1, 2, 3, 4)}
    return tuple(SEQUENTIAL_FIVE[i] for i in picks[k])


SUPPRESSED = ColourClass(SUPPRESSED_CLASS, SUPPRESSED_COLOUR, f"[c] {SYMBOLS['[c]']}")
MISSING = ColourClass(MISSING_CLASS, MISSING_COLOUR, f"[x] {SYMBOLS['[x]']}")


def tooltip(
    row: pd.Series, unit: str, mode: str, reference: tuple[str, str] = DEFAULT_REFERENCE
) -> str:
    """Hover text: the LA's name and its safe label, nothing else in presenter mode. Standard mode
    adds the rounded count where the table carries one."""
    label = str(row["label"])
    if label in SYMBOLS:
        text = f"{row['name']}: {label} {SYMBOLS[label]}"
    elif unit == "index":
        text = f"{row['name']}: index {label} (100 = {reference[1]})"
    else:
        text = f"{row['name']}: {label}"
    count = str(row.get("count", "")) if mode == "standard" else ""
    if count and count != "nan":
        text += f" (about {count} people)" if count != CONFIDENTIAL else f" (count {CONFIDENTIAL})"
    return text


def map_data(
    table: SafeTable,
    codes: tuple[str, ...],
    selected: str | None = None,
    meta: Meta | None = None,
    most: int = 3,
) -> MapData:
    """Join, classify and describe a per-LA SafeTable for drawing. With `meta`, the map's footer
    carries the same lines as a chart of the same table. `most`: the most colour classes of a
    share map (a slide's map has room in its legend for five)."""
    frame = join(table, codes)
    shown = frame["value"].where(~frame["suppressed"])
    reference = reference_of(table)
    found, idx = classes(shown, table.unit, reference, most)
    frame["klass"] = idx.fillna(MISSING_CLASS).astype(int)
    frame.loc[frame["suppressed"], "klass"] = SUPPRESSED_CLASS
    extra = [SUPPRESSED] if frame["suppressed"].any() else []
    if frame["klass"].eq(MISSING_CLASS).any():
        extra.append(MISSING)
    all_classes = tuple(found + extra)
    colour_of = {c.index: c.colour for c in all_classes}
    frame["colour"] = frame["klass"].map(colour_of)
    # Each row as a dict (tooltip reads its name, label and count as text): a pandas row apiece
    # cost a map more than its drawing.
    frame["tip"] = [
        tooltip(row, table.unit, table.mode, reference) for row in frame.to_dict("records")
    ]
    return MapData(
        frame=frame,
        classes=all_classes,
        geojson=feature_collection(frame),
        title=table.title,
        legend_title=legend_title(table),
        unit=table.unit,
        mode=table.mode,
        selected=to_2024(selected) if selected and selected in set(frame["code"]) else None,
        footer=tuple(footer_lines(table, meta)) if meta is not None else (),
    )


def legend_title(table: SafeTable) -> str:
    """The measure and the period: the table's subtitle, or its title when it has none."""
    return table.subtitle or table.title


def feature_collection(frame: pd.DataFrame) -> dict:
    """The boundaries of the joined LAs, properties limited to code, name, label, colour, tip."""
    by_code = {
        str(code): row
        for code, row in zip(
            frame["code"], frame[["name", "label", "colour", "tip"]].to_dict("records"), strict=True
        )
    }
    features = []
    for feature in boundaries(tuple(frame["code"]))["features"]:
        row = by_code[feature["id"]]
        features.append(
            {
                "type": "Feature",
                "id": feature["id"],
                "properties": {
                    "code": feature["id"],
                    "name": str(row["name"]),
                    "label": str(row["label"]),
                    "colour": str(row["colour"]),
                    "tip": str(row["tip"]),
                },
                "geometry": feature["geometry"],
            }
        )
    return {"type": "FeatureCollection", "features": features}


LEGEND_CSS = """
.ri-legend { background: #FFFFFF; padding: 8px 10px; border: 1px solid #B1B4B6;
             font-size: 13px; line-height: 1.35; max-width: 300px; color: #0B0C0C; }
.ri-legend .sw { display: inline-block; width: 14px; height: 14px; margin-right: 6px;
                 vertical-align: -2px; border: 1px solid #505A5F; }
.ri-legend .src { font-size: 11px; color: #3D3D3D; margin-top: 6px; }
.ri-legend .unlabelled { margin-top: 6px; }
"""


def legend_html(data: MapData, unlabelled: Sequence[str] = ()) -> str:
    """The legend as HTML: the measure and period, one swatch per class (class `sw`), the LAs
    the map had no room to label with their values (class `unlabelled`), the ONS attribution
    (class `src`). Text is escaped; colour is never the only carrier (labels say it)."""
    rows = "".join(
        f'<div><span class="sw" style="background:{c.colour}"></span>{html.escape(c.text)}</div>'
        for c in data.classes
    )
    missing = unplaced_sentence(unlabelled)
    if missing:
        rows += f'<div class="unlabelled">{html.escape(missing)}</div>'
    return (
        f"<div><b>{html.escape(data.legend_title)}</b></div>{rows}"
        f'<div class="src">{html.escape(SHORT_ATTRIBUTION)}</div>'
    )


def short_name(name: str) -> str:
    """An LA's name as a map label says it: "Herefordshire, County of" -> "Herefordshire"."""
    return str(name).split(",")[0]


def label_html(name: str, label: str, lines: int = 2) -> str:
    """An LA's on-map label: its name over its safe label, or both on one line."""
    joint = "<br>" if lines == 2 else " "
    return f'<div class="ri-label">{html.escape(name)}{joint}<b>{html.escape(label)}</b></div>'


# --- view ------------------------------------------------------------------------------------
def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator in world units (0..1 across, 0 at the top)."""
    x = (lon + 180.0) / 360.0
    siny = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + siny) / (1 - siny)) / (4 * math.pi)
    return x, y


@lru_cache(maxsize=1024)
def area_bounds(codes: tuple[str, ...]) -> tuple[float, float, float, float]:
    """insight.core.geo.bounds, once per set of LAs: the boundaries are the app's own file, fixed
    for the process, and walking every point of them cost a new map a fifth of its building."""
    return bounds(codes)


def fit_view(codes: tuple[str, ...], width: int, height: int, padding: float = 0.06) -> View:
    """Centre and zoom that show these LAs in a width x height px map, with a margin."""
    box = area_bounds(tuple(codes))
    x0, y1 = mercator(box[0], box[1])
    x1, y0 = mercator(box[2], box[3])
    span_x = max(x1 - x0, 1e-9) * (1 + 2 * padding)
    span_y = max(y1 - y0, 1e-9) * (1 + 2 * padding)
    zoom = math.log2(
        min(width / (span_x * WEB_MERCATOR_TILE), height / (span_y * WEB_MERCATOR_TILE))
    )
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    lon = cx * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * cy))))
    return View(lon=lon, lat=lat, zoom=round(zoom, 3), bounds=box)


def to_pixels(view: View, lon: float, lat: float, width: int, height: int) -> tuple[float, float]:
    """Pixel position (from the map's top left) of a point in a map showing `view`."""
    scale = WEB_MERCATOR_TILE * 2**view.zoom
    cx, cy = mercator(view.lon, view.lat)
    x, y = mercator(lon, lat)
    return width / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale


def place_labels(
    frame: pd.DataFrame,
    view: View,
    width: int,
    height: int,
    font_px: float,
    first: str | None = None,
    taken: Sequence[tuple[float, float, float, float]] = (),
) -> list[Placed | None]:
    """Each LA's label placed on a width x height px map showing `view`, in type of `font_px`
    (insight.outputs.labels.place: on its point when clear, else on a short leader; never over
    another label, leader or LA's point; None when there is no room anywhere, and the map then
    names it in words). The chosen LA (`first`) claims room first, then the others from the
    highest value to the lowest (the hotspots a meeting asks about; a hidden value last), then
    the largest on screen first, clear of the `taken` boxes (a legend over the map)."""
    points = [
        to_pixels(view, lon, lat, width, height)
        for lon, lat in zip(frame["lon"], frame["lat"], strict=True)
    ]
    sizes = _pixel_widths(frame, view, width, height)
    codes = frame["code"].astype(str).tolist()
    labels = [
        Label(
            x,
            y,
            *label_size(str(name), str(label), font_px),
            one_line=label_size(str(name), str(label), font_px, lines=1),
        )
        for (x, y), name, label in zip(points, frame["name"], frame["label"], strict=True)
    ]
    shown = frame["value"].where(~frame["suppressed"].astype(bool)).astype(float).fillna(-1.0)
    values = shown.tolist()
    order = sorted(range(len(codes)), key=lambda i: (codes[i] != first, -values[i], -sizes[i]))
    return place(labels, width, height, order=order, taken=taken)


def unplaced(frame: pd.DataFrame, placed: Sequence[Placed | None]) -> list[str]:
    """ "Name value" of each LA whose label found no room: the words a map writes under itself
    (and into its text alternative) so that every LA is still named."""
    return [
        f"{row.name} {row.label}"
        for row, spot in zip(frame.itertuples(index=False), placed, strict=True)
        if spot is None
    ]


def unplaced_sentence(names: Sequence[str]) -> str:
    """The sentence under a map naming the LAs its labels had no room for, or ''."""
    if not names:
        return ""
    return "Not labelled on the map for want of room: " + "; ".join(names) + "."


def _pixel_widths(frame: pd.DataFrame, view: View, width: int, height: int) -> list[float]:
    """Smaller side of each LA's bounding box on screen, in px."""
    out = []
    for code in frame["code"]:
        lon0, lat0, lon1, lat1 = area_bounds((str(code),))
        x0, y0 = to_pixels(view, lon0, lat1, width, height)
        x1, y1 = to_pixels(view, lon1, lat0, width, height)
        out.append(min(x1 - x0, y1 - y0))
    return out


def outside_urls(text: str) -> list[str]:
    """Every http(s) URL in `text` that is not on this machine (127.0.0.1 or localhost)."""
    found = re.findall(r"https?://[^\s\"'<>)\\]+", text)
    return [u for u in found if not re.match(r"https?://(127\.0\.0\.1|localhost)([:/]|$)", u)]
