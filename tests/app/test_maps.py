"""The LA maps as data: each engine's spec, in both modes, from tests/browser/map_harness.py.

No counts reach a presenter map; no URL off the machine is in any map spec in either mode (no
tiles unless the viewer opts in, no CDN); each map carries every LA of the area.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from insight.outputs.mapdata import outside_urls
from insight.sample.text import PRESETS

HARNESS = Path(__file__).resolve().parents[1] / "browser" / "map_harness.py"
WM = tuple(la.code for la in PRESETS["west-midlands"].las)  # the sample's 16 LAs
WM_COUNT = len(WM)
COUNT_TEXTS = ("12,345", "3,615", "4,410", "(about ", "people)")


def run(engine: str, mode: str, unit: str = "%", la: str | None = None) -> AppTest:
    at = AppTest.from_file(str(HARNESS), default_timeout=60)
    at.query_params["engine"] = engine
    at.query_params["mode"] = mode
    at.query_params["unit"] = unit
    if la:
        at.query_params["la"] = la
    at.run()
    assert not at.exception, at.exception
    return at


def _decode(node):
    """Plotly may send arrays as {"dtype", "bdata"} (base64 typed arrays): decode them."""
    if isinstance(node, dict):
        if set(node) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            return array.reshape(node["shape"]).tolist() if "shape" in node else array.tolist()
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def spec_text(at: AppTest, engine: str) -> tuple[str, dict]:
    """The map's spec as the browser receives it, as text and parsed."""
    if engine == "plotly":
        spec = _decode(json.loads(at.get("plotly_chart")[0].proto.spec))
    elif engine == "folium":
        spec = json.loads(at.get("component_instance")[0].proto.json_args)
    else:
        spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return json.dumps(spec), spec


@pytest.mark.parametrize("engine", ["plotly", "folium", "pydeck"])
@pytest.mark.parametrize("mode", ["presenter", "standard"])
def test_no_url_off_the_machine_in_any_map(engine, mode):
    text, _ = spec_text(run(engine, mode, la="E08000026"), engine)
    assert outside_urls(text) == []


@pytest.mark.parametrize("engine", ["plotly", "folium", "pydeck"])
@pytest.mark.parametrize("unit", ["%", "index"])
def test_presenter_maps_carry_no_counts(engine, unit):
    text, _ = spec_text(run(engine, "presenter", unit), engine)
    for count in COUNT_TEXTS:
        assert count not in text, (engine, count)
    assert '"count"' not in text


def test_standard_folium_tooltip_may_show_the_rounded_count():
    text, _ = spec_text(run("folium", "standard"), "folium")
    assert "Birmingham: 31% (about 12,345 people)" in text


def test_plotly_map_draws_every_la_with_white_bg_and_attribution():
    _, spec = spec_text(run("plotly", "presenter", la="E08000027"), "plotly")
    layout = spec["layout"]
    assert layout["map"]["style"] == "white-bg"
    chorus = [
        t for t in spec["data"] if t["type"] == "choroplethmap" and t["name"] != "Selected: Dudley"
    ]
    assert sorted(c for t in chorus for c in t["locations"]) == sorted(WM)
    assert any(t["name"] == "Selected: Dudley" for t in spec["data"])
    assert not any(t["type"] == "scattermap" for t in spec["data"])  # map text fetches glyphs
    texts = " ".join(a["text"] for a in layout["annotations"])
    assert "ONS, OGL v3.0" in texts and "not accredited" in texts
    assert "Jul 2024 to Jun 2025" in layout["legend"]["title"]["text"].replace("<br>", " ")
    assert any(t["name"].startswith("[c]") for t in spec["data"])
    for trace in chorus:
        assert trace["hovertemplate"] == "%{text}<extra></extra>"
        assert "customdata" not in trace


def test_folium_map_loads_only_local_leaflet_and_no_tiles_by_default():
    at = run("folium", "standard")
    _, args = spec_text(at, "folium")
    assert args["js_links"] == ["/app/static/leaflet-1.9.4/leaflet.js"]
    assert args["css_links"] == ["/app/static/leaflet-1.9.4/leaflet.css"]
    assert "tileLayer" not in args["script"]
    assert "d3" not in json.dumps(args["js_links"])
    assert set(args["returned_objects"]) == {"last_object_clicked", "last_active_drawing"}
    assert args["script"].count('"code": "E') >= WM_COUNT
    assert "needs internet" in at.checkbox[0].label and at.checkbox[0].value is False
    assert (HARNESS.parents[2] / "static" / "leaflet-1.9.4" / "leaflet.js").exists()
    # Leaflet's own guess at its image folder can drop a slash; the map names the folder, which
    # holds the images.
    assert 'L.Icon.Default.imagePath = "/app/static/leaflet-1.9.4/images/";' in args["script"]
    assert (HARNESS.parents[2] / "static" / "leaflet-1.9.4" / "images" / "marker-icon.png").exists()


def test_folium_tiles_only_when_opted_in():
    at = run("folium", "standard")
    at.checkbox[0].check().run()
    _, args = spec_text(at, "folium")
    assert "tile.openstreetmap.org" in args["script"]


def test_pydeck_map_has_no_base_map_and_safe_tooltip():
    _, spec = spec_text(run("pydeck", "presenter"), "pydeck")
    assert "mapProvider" not in spec or spec["mapProvider"] is None
    assert spec["mapStyle"] == "/app/static/maps/blank-style.json"
    layer = next(layer for layer in spec["layers"] if layer["id"] == "las")
    assert len(layer["data"]["features"]) == WM_COUNT
    props = layer["data"]["features"][0]["properties"]
    assert set(props) <= {
        "code",
        "name",
        "label",
        "colour",
        "tip",
        "fill",
        "line",
        "line_width",
        "height",
    }
    assert (HARNESS.parents[2] / "static" / "maps" / "blank-style.json").exists()


def test_auto_engine_follows_the_mode():
    at = run("auto", "presenter")
    assert at.get("plotly_chart") and not at.get("component_instance")
    at = run("auto", "standard")
    assert at.get("component_instance") and not at.get("plotly_chart")


def _args_without_ids(kwargs: dict) -> dict:
    """A component's arguments with folium's random element ids (32 hex digits) blanked, and the
    session callback left out, so two renders of maps built alike compare."""
    text = json.dumps({k: v for k, v in kwargs.items() if k != "on_change"}, sort_keys=True)
    return json.loads(re.sub(r"[0-9a-f]{32}", "<id>", text))


@pytest.mark.parametrize("tiles", [False, True])
def test_folium_render_kept_once_sends_what_st_folium_sends(monkeypatch, tiles):
    """components.maps caches a folium map as the text its component is given (issue 31: the
    map was built and rendered on every rerun). That text is what streamlit-folium's own
    st_folium sends for the same map, and drawing it again (another session, another rerun)
    sends it unchanged, every GeoJSON layer its script names defined in it."""
    import streamlit_folium

    from components import maps_folium
    from insight.outputs.mapdata import map_data
    from tests.browser.map_harness import wm_table

    sent: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.append(kw))
    monkeypatch.setattr(maps_folium, "_component_func", lambda **kw: sent.append(kw))
    data = map_data(wm_table(), WM, "E08000026", None)
    streamlit_folium.st_folium(
        maps_folium.build(data, tiles=tiles),
        key="m",
        height=500,
        use_container_width=True,
        returned_objects=maps_folium.RETURNED,
    )
    made = maps_folium.render(maps_folium.build(data, tiles=tiles))
    maps_folium.show(made, key="m", height=500)
    maps_folium.show(made, key="m", height=500)
    library, first, again = sent
    assert _args_without_ids(first) == _args_without_ids(library)
    assert first["key"] == library["key"]  # the same component, not remounted
    assert {k: v for k, v in again.items() if k != "on_change"} == {
        k: v for k, v in first.items() if k != "on_change"
    }
    script = again["script"]
    named = set(re.findall(r"\bgeo_json_\w+", script))
    defined = set(re.findall(r"(?:\bvar|\bfunction) (geo_json_\w+)", script))
    assert named and named == defined, named - defined
    assert ("tile.openstreetmap.org" in script) is tiles


@pytest.mark.parametrize("mode", ["standard", "presenter"])
@pytest.mark.parametrize("la", [None, "E08000026", "E07000235"])
@pytest.mark.parametrize("unit", ["%", "index"])
def test_the_plotly_map_is_valid_without_being_validated(mode, la, unit):
    """components.maps_plotly hands plotly its map unvalidated (issue 31: validating the
    boundaries cost a seventh of a new selection in presenter mode): validating it changes
    nothing, an LA hidden ([c]) and a selected one included."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from components import maps_plotly
    from insight.outputs.mapdata import map_data
    from tests.browser.map_harness import wm_table

    data = map_data(wm_table(mode, unit, ("E07000235", WM[3])), WM, la, None)
    fig = maps_plotly.figure(data, height=680, presenter=mode == "presenter")
    validated = go.Figure(fig.to_dict())  # raises on an invalid property
    assert json.loads(pio.to_json(fig, validate=False)) == json.loads(pio.to_json(validated))
    assert fig.layout.template.layout.to_plotly_json()  # plotly's default template, as before


def test_the_plotly_map_names_an_la_as_the_other_maps_do():
    """The presenter page's map labels an LA by its short name ("Herefordshire", as the slide,
    print and folium maps do), and its hover still gives the full name."""
    from components import maps_plotly
    from insight.core.geo import la_name
    from insight.outputs.mapdata import map_data, short_name
    from tests.browser.map_harness import wm_table

    data = map_data(wm_table("presenter", "%", ()), WM, None, None)
    fig = maps_plotly.figure(data, height=680, presenter=True)
    labels = " ".join(a.text for a in fig.layout.annotations if a.text)
    hovers = " ".join(" ".join(t.text) for t in fig.data if t.text is not None)
    long = [la_name(code) for code in WM if la_name(code) != short_name(la_name(code))]
    assert long, "the area has an LA whose name the maps shorten"
    for name in long:
        assert short_name(name) in labels and name not in labels
        assert name in hovers
