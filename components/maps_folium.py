"""The folium (Leaflet) LA map, drawn through streamlit-folium, with nothing from a CDN.

folium lists Leaflet, jQuery, Bootstrap and Font Awesome on CDNs as every map's default JS/CSS;
streamlit-folium loads those lists into its iframe. Here the lists hold only the Leaflet we ship in
static/ (served at /app/static/), there are no base tiles unless the viewer opts in, and the
legend is plain HTML (a branca colormap legend would pull d3 from a CDN).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import branca.element
import folium
import streamlit
import streamlit as st
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

# streamlit-folium's own pieces (0.27, pinned in constraints.txt): what st_folium computes before it calls its component,
# used here so the computing is done once per map, not on every rerun (see Rendered).
from streamlit_folium import (
    _component_func,
    _get_header,
    _get_html,
    _get_map_string,
    generate_js_hash,
    get_full_id,
)

from components.cache import Memo
from components.text import literal
from insight.core.geo import SHORT_ATTRIBUTION
from insight.outputs.map_plan import LABEL_FONT_PX, ZOOM_SNAP, Plan, plan
from insight.outputs.mapdata import (
    LEGEND_CSS,
    OUTLINE_COLOUR,
    SELECTED_OUTLINE,
    MapData,
    area_bounds,
    label_html,
    legend_html,
    short_name,
)

LEAFLET = "/app/static/leaflet-1.9.4"
LOCAL_JS = [("leaflet", f"{LEAFLET}/leaflet.js")]
LOCAL_CSS = [("leaflet_css", f"{LEAFLET}/leaflet.css")]
RETURNED = ["last_object_clicked", "last_active_drawing"]

# Rendering a map makes branca Elements from text rendered a moment before (each layer's
# "add to map" line, its includes), and each Element compiles its text as a jinja2 template:
# three quarters of a map's rendering time went to compiling, on every rerun. A compiled template
# is immutable and safe to share, so branca's Elements take it from this memo, keyed by the
# source and options, so nothing is compiled twice. Most of that text, though, is new on every
# map (it names the map's elements by fresh ids, and the GeoJSON layer's style function lists
# every LA's colour: 22 kB) and holds no template syntax at all: it is taken as the text it
# renders to (_Text), never compiled nor kept.
_TEMPLATES: Memo[Template] = Memo("folium templates", 4096)
_SYNTAX = ("{{", "{%", "{#", "\r")  # jinja2's markers, and the line ends it rewrites


class _Text:
    """A template of plain text: renders, as jinja2 does, to its text less one final newline."""

    def __init__(self, source: str):
        self.text = source[:-1] if source.endswith("\n") else source

    def render(self, *_: Any, **__: Any) -> str:
        return self.text

    @property
    def module(self) -> Any:  # no macros (branca's MacroElement looks for header/html/script)
        return _NO_MACROS


class _NoMacros:
    pass


_NO_MACROS = _NoMacros()


def _compiled(source: str, *args: Any, **options: Any) -> Template | _Text:
    if not args and not options and not any(mark in source for mark in _SYNTAX):
        return _Text(source)
    return _TEMPLATES.make(
        (source, args, tuple(sorted(options.items()))), lambda: Template(source, *args, **options)
    )


branca.element.Template = _compiled


class _Legend(MacroElement):
    """A Leaflet control holding prebuilt HTML (the legend), plus the map's white background."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-container { background: #FFFFFF; font-family: "Source Sans", sans-serif; }
          {{ this.css }}
          .ri-label { font-size: 11px; color: #0B0C0C; text-align: center; white-space: nowrap;
                      display: table; margin: 0 auto;  /* as wide as its text, centred */
                      text-shadow: 0 0 3px #FFFFFF, 0 0 3px #FFFFFF, 0 0 3px #FFFFFF; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "topright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "ri-legend");
            div.innerHTML = {{ this.body_json }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, body: str):
        super().__init__()
        self._name = "Legend"
        self.css = LEGEND_CSS
        self.body_json = json.dumps(body)


class _Attribution(MacroElement):
    """The attribution corner: the ONS boundaries' attribution, and Leaflet credited as plain text
    (Leaflet 1.9's default prefix is a link with a flag icon)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix("Leaflet");
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text_json }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text_json = json.dumps(html.escape(text))


class _Labels(MacroElement):
    """Each LA's name and safe label where insight.outputs.map_plan placed it (on its point, or
    on a leader line drawn from the point), as non-interactive div markers (a folium Marker
    would first load Leaflet's default marker image), in the app's typeface."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          @font-face { font-family: "Source Sans"; src: url({{ this.font_url }}) format("woff2");
                       font-weight: 200 900; font-display: block; }
          .ri-label-icon { display: flex; align-items: center; justify-content: center; }
          .ri-label { font-family: "Source Sans", sans-serif; font-size: {{ this.font_px }}px;
                      line-height: 1.25; color: #0B0C0C; text-align: center; white-space: nowrap;
                      background: rgba(255, 255, 255, 0.85); padding: 0 3px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        // Leaflet guesses its marker image folder from leaflet.css; before the stylesheet has
        // applied, the guess drops a slash (".../leaflet-1.9.4marker-icon.png", a 404). Say it.
        L.Icon.Default.imagePath = {{ this.image_path_json }};
        (function (map) {
            // Placed in Python at the zoom the map opens on, none overlapping; zooming in only
            // spreads them. Zooming out, a label (and its leader) that would overlap one shown
            // already, in priority order (the chosen LA, then the highest values), is hidden.
            var labels = {{ this.labels_json }}.map(function (l) {
                var line = l.leader ? L.polyline(l.leader, {color: "#0B0C0C", weight: 1,
                    interactive: false}).addTo(map) : null;
                var marker = L.marker([l.lat, l.lon], {interactive: false, keyboard: false,
                    icon: L.divIcon({className: "ri-label-icon", html: l.html,
                                     iconSize: [l.w, l.h], iconAnchor: [l.w / 2, l.h / 2]})}
                    ).addTo(map);
                return {marker: marker, line: line};
            });
            function declutter() {
                var shown = [];
                labels.forEach(function (l) {
                    var icon = l.marker.getElement();
                    if (!icon) { return; }
                    var box = (icon.firstElementChild || icon).getBoundingClientRect();
                    var clash = shown.some(function (s) {
                        return box.left < s.right + 2 && box.right > s.left - 2 &&
                               box.top < s.bottom + 2 && box.bottom > s.top - 2;
                    });
                    icon.style.visibility = clash ? "hidden" : "visible";
                    if (l.line) { l.line.setStyle({opacity: clash ? 0 : 1}); }
                    if (!clash) { shown.push(box); }
                });
            }
            map.on("zoomend moveend resize", declutter);
            // And while the map settles after opening (the frame sized, a zoom animated, the
            // typeface drawn: a pass that measured one of those half done hid labels that have
            // room), a few more passes: sixteen boxes, a fraction of a millisecond each.
            map.whenReady(function () {
                [0, 100, 250, 500, 1000, 2000].forEach(function (ms) {
                    setTimeout(declutter, ms);
                });
            });
            // The boxes are measured as drawn: again whenever a label's size changes (the
            // app's typeface arriving after a fallback was laid out, which left two labels
            // hidden for good when the last pass had measured the wider fallback).
            if (window.ResizeObserver) {
                var sized = new ResizeObserver(function () { declutter(); });
                labels.forEach(function (l) {
                    var icon = l.marker.getElement();
                    if (icon) { sized.observe(icon.firstElementChild || icon); }
                });
            } else if (document.fonts) { document.fonts.ready.then(declutter); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: MapData, made: Plan):
        super().__init__()
        self._name = "Labels"
        self.image_path_json = json.dumps(f"{LEAFLET}/images/")
        self.font_url = json.dumps(font_url())
        self.font_px = LABEL_FONT_PX
        frame = {
            str(code): (str(name), str(label))
            for code, name, label in zip(
                data.frame["code"], data.frame["name"], data.frame["label"], strict=True
            )
        }
        by_code = {label.code: label for label in made.labels}
        self.labels_json = json.dumps(
            [
                {
                    "lat": spot.lat,
                    "lon": spot.lon,
                    "w": round(spot.width, 1),
                    "h": round(spot.height, 1),
                    "leader": [list(end) for end in spot.leader] if spot.leader else None,
                    "html": label_html(
                        short_name(frame[str(code)][0]), frame[str(code)][1], spot.lines
                    ),
                }
                for code in label_order(data)
                if (spot := by_code.get(str(code))) is not None
            ]
        )


@lru_cache(maxsize=1)
def font_url() -> str:
    """Where the browser finds the app's typeface: Streamlit's own Source Sans 3, served by the
    app's server with Streamlit's page (nothing from anywhere else)."""
    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    found = sorted(media.glob("SourceSansVF-Upright*.woff2"))
    return f"/static/media/{found[0].name}" if found else ""


def label_order(data: MapData) -> list[str]:
    """The LAs' codes in the order their labels claim room: the chosen LA first, then the highest
    shown value (the hotspots a meeting asks about), then the largest by extent; hidden ([c])
    values last. (A stable sort, as pandas' of the same keys, without a frame made for it.)"""
    frame = data.frame
    codes = [str(c) for c in frame["code"]]
    shown = frame["value"].where(~frame["suppressed"].astype(bool)).astype(float)
    values = (-shown.fillna(float("-inf"))).tolist()  # highest first; a hidden value last
    extent = [
        -min(lon1 - lon0, lat1 - lat0)
        for lon0, lat0, lon1, lat1 in (area_bounds((code,)) for code in codes)
    ]
    ranked = sorted(
        range(len(codes)), key=lambda i: (codes[i] != data.selected, values[i], extent[i])
    )
    return [codes[i] for i in ranked]


def build(data: MapData, *, tiles: bool = False, height: int = 680) -> folium.Map:
    """The folium map, `height` px tall: LAs filled by class, each named where map_plan placed
    its label, hover shows only the LA and its safe label."""
    data = replace(data, frame=data.frame.assign(name=[short_name(n) for n in data.frame["name"]]))
    made = plan(data, height)
    fmap = folium.Map(
        location=[made.lat, made.lon],
        zoom_start=made.zoom,  # type: ignore[arg-type]  # Leaflet takes a snapped fraction
        tiles=None,
        zoom_snap=ZOOM_SNAP,
        control_scale=True,
    )
    fmap.default_js = list(LOCAL_JS)
    fmap.default_css = list(LOCAL_CSS)
    if tiles:
        folium.TileLayer("OpenStreetMap", opacity=0.5).add_to(fmap)
    selected = data.selected

    def style(feature: dict) -> dict:
        chosen = feature["id"] == selected
        return {
            "fillColor": feature["properties"]["colour"],
            "fillOpacity": 0.8 if tiles else 1.0,
            "color": SELECTED_OUTLINE if chosen else OUTLINE_COLOUR,
            "weight": 4 if chosen else 1,
        }

    folium.GeoJson(
        data.geojson,
        name="Local Authorities",
        style_function=style,
        highlight_function=lambda _: {"weight": 3, "color": "#0B0C0C"},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=False),
    ).add_to(fmap)
    _Labels(data, made).add_to(fmap)
    _Legend(legend_html(data, made.unlabelled)).add_to(fmap)
    _Attribution(SHORT_ATTRIBUTION).add_to(fmap)
    return fmap


@dataclass(frozen=True, eq=False)
class Rendered:
    """A folium map rendered once into the text streamlit-folium's component is given: the
    Leaflet script, the header and body HTML, the map's id, its bounds and zoom (the component's
    default return value), and the JS and CSS it loads. Only text: immutable, shared by every
    session drawing the same map, and sent as it is on every rerun.

    Why not keep the folium map object: streamlit-folium renames a map's elements while it
    renders it (its ids become "0", ...), so a map object rendered again for another session
    named a GeoJSON layer its new script no longer defined ("geo_json_... is not defined" in the
    browser). Why not build it on every rerun: building and rendering a map cost a fifth to two
    fifths of the Overview's and Locations' reruns."""

    script: str
    header: str
    html: str
    map_id: str
    defaults: dict[str, Any]
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    hashes: dict[str, str] = field(default_factory=dict)

    def hash_for(self, key: str) -> str:
        """streamlit-folium's component key for this map drawn under `key` (a digest of the
        script, kept: a map's script is hundreds of kilobytes)."""
        found = self.hashes.get(key)
        if found is None:
            found = self.hashes[key] = generate_js_hash(self.script, key, False)
        return found


def render(fmap: folium.Map) -> Rendered:
    """What `st_folium(fmap, returned_objects=RETURNED)` gives its component, made once. The
    order is streamlit-folium's own: the root rendered, the map rendered, its HTML and header
    read, then its Leaflet script, which renames the map's elements (so the map is used once)."""
    fmap.get_root().render()
    fmap.render()
    body = _get_html(fmap)
    header = _get_header(fmap)
    script = _get_map_string(fmap)
    map_id = get_full_id(fmap)
    everything: dict[str, Any] = {
        "last_object_clicked": None,
        "last_active_drawing": None,
        "zoom": fmap.options.get("zoom"),
    }
    if "bounds" in RETURNED:  # folium walks every point of the boundaries for them: only if sent
        (south, west), (north, east) = fmap.get_bounds()
        everything["bounds"] = {
            "_southWest": {"lat": south, "lng": west},
            "_northEast": {"lat": north, "lng": east},
        }
    css: dict[str, None] = {}
    js: dict[str, None] = {}
    for element in _elements(fmap):
        css.update(dict.fromkeys(href for _, href in getattr(element, "default_css", [])))
        js.update(dict.fromkeys(src for _, src in getattr(element, "default_js", [])))
    return Rendered(
        script=script,
        header=header,
        html=body,
        map_id=map_id,
        defaults={k: v for k, v in everything.items() if k in RETURNED},
        css_links=tuple(css),
        js_links=tuple(js),
    )


def _elements(element: Any) -> Iterator[Any]:
    """The map and every element under it that loads JS or CSS of its own."""
    if isinstance(element, JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


def show(made: Rendered, *, key: str, height: int) -> dict | None:
    """The rendered map in streamlit-folium's component, full width: as `st_folium(fmap,
    key=key, height=height, use_container_width=True, returned_objects=RETURNED)` would send it
    (tests/app/test_maps.py compares the two); what the viewer last clicked."""
    component_key = made.hash_for(key)

    def changed() -> None:
        st.session_state[key] = st.session_state.get(component_key, {})

    return _component_func(
        script=made.script,
        header=made.header,
        html=made.html,
        id=made.map_id,
        key=component_key,
        height=height,
        width=None,
        returned_objects=RETURNED,
        default=made.defaults,
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(made.css_links),
        js_links=list(made.js_links),
        on_change=changed,
        wrap_longitude=False,
    )


def draw(
    data: MapData,
    *,
    key: str,
    height: int,
    rendered: Callable[[bool], Rendered] | None = None,
) -> tuple[str | None, str | None]:
    """Draw the map with an opt-in for online tiles (`rendered(tiles)`: the map made from `data`
    and rendered already, or made here); return (click token, LA code clicked)."""
    tiles = st.checkbox(
        "Show an OpenStreetMap base map (needs internet; off for meetings)",
        value=False,
        key=f"{key}__tiles",
    )
    made = rendered(tiles) if rendered is not None else render(build(data, tiles=tiles))
    state = show(made, key=key, height=height)
    if data.footer:  # the provenance every chart carries: provider, period, extract date
        st.caption(literal("\n".join(data.footer)))
    clicked = (state or {}).get("last_object_clicked")
    drawing = (state or {}).get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("code")
    if not clicked or code not in set(data.codes):
        return None, None
    return json.dumps(clicked, sort_keys=True), str(code)
