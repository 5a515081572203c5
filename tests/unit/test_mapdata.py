"""insight.outputs.mapdata: what an LA map shows, checked without any drawing library."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.outputs.mapdata import (
    MISSING_CLASS,
    SEQUENTIAL,
    SUPPRESSED_CLASS,
    SUPPRESSED_COLOUR,
    classes,
    fit_view,
    join,
    legend_html,
    legend_title,
    map_data,
    outside_urls,
    to_pixels,
    tooltip,
)

_spec = importlib.util.spec_from_file_location(
    "map_harness", Path(__file__).resolve().parents[1] / "browser" / "map_harness.py"
)
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)
WM = harness.WM
wm_table = harness.wm_table


def test_join_gives_one_row_per_la_in_order_with_names_and_reference_points():
    frame = join(wm_table(), WM)
    assert list(frame["code"]) == list(WM)
    assert frame.loc[0, "name"] == "Birmingham"
    assert frame[["lon", "lat"]].notna().all().all()
    assert frame.loc[frame["code"] == "E07000235", "suppressed"].item()


def test_join_marks_las_without_a_row_not_available_and_ignores_other_rows():
    table = wm_table()
    table.frame.loc[len(table.frame)] = {**table.frame.iloc[0].to_dict(), "area_code": "all"}
    frame = join(table, (*WM, "E06000001"))
    assert len(frame) == len(WM) + 1
    assert frame.iloc[-1]["label"] == "[x]"
    data = map_data(table, (*WM, "E06000001"))
    assert data.frame.iloc[-1]["klass"] == MISSING_CLASS
    assert any(c.text.startswith("[x]") for c in data.classes)


def test_join_reads_the_code_from_category_key_when_area_code_is_the_whole_area():
    table = wm_table()
    table.frame["area_code"] = "all"
    assert list(join(table, WM)["label"])[:2] == ["31%", "9%"]


def test_presenter_join_never_carries_a_count_even_if_the_frame_had_one():
    table = wm_table(mode="presenter")
    table.frame["count"] = "1,235"  # a table that should not exist; the map still ignores it
    table.frame["base"] = 99
    data = map_data(table, WM)
    assert "count" not in data.frame and "base" not in data.frame
    assert "1,235" not in json.dumps(data.geojson)
    assert all("about" not in tip and "count" not in tip for tip in data.frame["tip"])


def test_standard_tooltip_may_add_the_rounded_count():
    data = map_data(wm_table(mode="standard"), WM)
    assert data.frame.loc[0, "tip"] == "Birmingham: 31% (about 12,345 people)"
    assert "count [c]" in data.frame.loc[11, "tip"]


def test_tooltip_for_index_and_symbols():
    row = pd.Series({"name": "Dudley", "label": "121"})
    assert tooltip(row, "index", "presenter") == "Dudley: index 121 (100 = in line with population)"
    row = pd.Series({"name": "Malvern Hills", "label": "[c]", "count": "20"})
    text = tooltip(row, "%", "presenter")
    assert text.startswith("Malvern Hills: [c] confidential") and "20" not in text


def test_share_classes_keep_equal_values_together_and_say_their_range():
    values = pd.Series([31.0, 9, 11, 8, 7, 8, 9, 3, 2, 2, 3, 2, 2, 1, 2, 2])
    found, idx = classes(values, "%")
    assert [c.colour for c in found] == list(SEQUENTIAL)
    assert [c.text for c in found] == ["1%", "2% to 7%", "8% to 31%"]
    for value in values.unique():
        assert idx[values == value].nunique() == 1
    assert idx[0] == 2 and idx[13] == 0


def test_share_classes_with_few_distinct_values():
    found, idx = classes(pd.Series([5.0, 5.0, 5.0]), "%")
    assert [c.text for c in found] == ["5%"] and set(idx) == {0}
    found, _ = classes(pd.Series([float("nan")]), "%")
    assert found == []


def test_index_classes_use_fixed_breaks_around_100():
    found, idx = classes(pd.Series([80.0, 100, 130]), "index")
    assert [c.text.split(":")[0] for c in found] == ["Under 90", "90 to 110", "Over 110"]
    assert list(idx) == [0, 1, 2]
    found, idx = classes(pd.Series([120.0, 140]), "index")
    assert len(found) == 1 and found[0].text.startswith("Over 110") and set(idx) == {0}


def test_suppressed_las_are_grey_with_a_legend_entry():
    data = map_data(wm_table(), WM)
    row = data.frame[data.frame["code"] == "E07000235"].iloc[0]
    assert row["klass"] == SUPPRESSED_CLASS and row["colour"] == SUPPRESSED_COLOUR
    assert data.classes[-1].text == "[c] confidential: too few people to show safely"
    unsuppressed = map_data(wm_table(suppressed=()), WM)
    assert all(c.index >= 0 for c in unsuppressed.classes)


def test_legend_states_measure_and_period_and_attribution():
    table = wm_table()
    assert legend_title(table) == table.subtitle
    text = legend_html(map_data(table, WM))
    assert "Share of participants, by Local Authority, Jul 2024 to Jun 2025" in text
    assert "ONS, OGL v3.0" in text and "[c] confidential" in text


def test_legend_escapes_html():
    table = wm_table()
    table = type(table)(**{**table.__dict__, "subtitle": "<script>x</script>"})
    assert "<script>" not in legend_html(map_data(table, WM))


def test_geojson_properties_are_limited_and_ids_are_codes():
    data = map_data(wm_table(), WM, selected="E08000026")
    assert data.selected == "E08000026"
    assert [f["id"] for f in data.geojson["features"]] == list(WM)
    for feature in data.geojson["features"]:
        assert set(feature["properties"]) == {"code", "name", "label", "colour", "tip"}
    assert map_data(wm_table(), WM, selected="W06000015").selected is None


def test_boundaries_sent_for_the_sample_area_are_small():
    size = len(json.dumps(map_data(wm_table(), WM).geojson, separators=(",", ":")))
    assert size < 300_000


def test_fit_view_shows_every_la_inside_the_map():
    view = fit_view(WM, 600, 500)
    lon0, lat0, lon1, lat1 = view.bounds
    for lon, lat in ((lon0, lat0), (lon1, lat1)):
        x, y = to_pixels(view, lon, lat, 600, 500)
        assert 0 <= x <= 600 and 0 <= y <= 500
    assert 6 < view.zoom < 9


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("src=/app/static/leaflet-1.9.4/leaflet.js", []),
        ("http://127.0.0.1:8501/x http://localhost/y", []),
        ("https://cdn.jsdelivr.net/npm/leaflet", ["https://cdn.jsdelivr.net/npm/leaflet"]),
        ("http://localhost.evil.example/x", ["http://localhost.evil.example/x"]),
    ],
)
def test_outside_urls(text, found):
    assert outside_urls(text) == found


# --- issue 10: labels that never overlap at presenter size; the chart footer on the map --------
BLACK_COUNTRY = ("E08000027", "E08000028", "E08000030", "E08000031")  # Dudley .. Wolverhampton


@pytest.mark.parametrize(
    ("width", "height", "font"), [(607, 520, 12), (607, 520, 15), (400, 340, 12)]
)
def test_map_labels_never_overlap_and_the_chosen_la_is_always_labelled(width, height, font):
    from insight.outputs.labels import LABEL_GAP
    from insight.outputs.mapdata import place_labels

    data = map_data(wm_table(), WM, "E08000028")
    view = fit_view(WM, width, height)
    placed = place_labels(data.frame, view, width, height, font, data.selected)
    boxes = [p.box for p in placed if p is not None]
    for n, a in enumerate(boxes):
        assert 0 <= a[0] and 0 <= a[1] and a[2] <= width and a[3] <= height, "inside the map"
        for b in boxes[n + 1 :]:
            apart = a[2] + LABEL_GAP <= b[0] or b[2] + LABEL_GAP <= a[0]
            apart = apart or a[3] + LABEL_GAP <= b[1] or b[3] + LABEL_GAP <= a[1]
            assert apart, f"labels overlap: {a} {b}"
    by_code = dict(zip(data.frame["code"], placed, strict=True))
    assert by_code["E08000028"] is not None, "the chosen LA keeps its label"
    if (width, font) == (607, 15):
        # at the presenter map's own size every Black Country LA still gets a label
        assert all(by_code[code] is not None for code in BLACK_COUNTRY)
        assert any(by_code[code].dx or by_code[code].dy for code in BLACK_COUNTRY), (
            "the cluster is spread out with leader lines"
        )


def test_the_old_reference_points_would_have_overlapped_in_the_black_country():
    """The case the placement exists for: each label on its own LA's reference point."""
    from insight.outputs.labels import label_size as label_box
    from insight.outputs.labels import overlaps as _overlaps

    data = map_data(wm_table(), WM)
    view = fit_view(WM, 607, 520)
    frame = data.frame.set_index("code")
    boxes = []
    for code in BLACK_COUNTRY:
        x, y = to_pixels(view, frame.loc[code, "lon"], frame.loc[code, "lat"], 607, 520)
        w, h = label_box(frame.loc[code, "name"], frame.loc[code, "label"], 15)
        boxes.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    assert any(_overlaps(a, b) for n, a in enumerate(boxes) for b in boxes[n + 1 :])


def test_a_maps_footer_carries_the_charts_provenance_lines():
    from datetime import date

    from insight.core.dataset import Meta
    from insight.outputs.chart_table import footer_lines

    meta = Meta(
        "Test Provider", "Test Area", "2025-01", "2025-12", date(2026, 1, 5), synthetic=True
    )
    table = wm_table()
    data = map_data(table, WM, meta=meta)
    assert list(data.footer) == footer_lines(table, meta)
    text = " ".join(data.footer)
    for words in (
        "Test Provider",
        "January 2025 to December 2025",
        "extracted 5 January 2026",
        "Synthetic data",
    ):
        assert words in text
    assert map_data(table, WM).footer == (), "no metadata, no provenance to claim"


def test_an_areas_bounds_are_kept_per_set_of_las_and_are_what_a_fresh_walk_gives():
    """mapdata.area_bounds keeps insight.core.geo.bounds per set of LAs (issue 31: every new
    selection walked every boundary point again): another selection of the same LAs takes them
    from the cache, equal to a fresh walk, and the view fitted to them is the same; a map of other
    LAs works out its own."""
    from insight.core.geo import bounds
    from insight.outputs.mapdata import area_bounds

    area_bounds.cache_clear()
    first = fit_view(WM, 760, 680)
    hits = area_bounds.cache_info().hits
    assert fit_view(WM, 760, 680) == first  # another selection, the same LAs
    assert area_bounds.cache_info().hits == hits + 1
    assert area_bounds(WM) == bounds(WM)
    area_bounds.cache_clear()
    assert fit_view(WM, 760, 680) == first  # fresh
    fewer = area_bounds(WM[:5])
    assert area_bounds.cache_info().misses == 2
    assert fewer == bounds(WM[:5]) != bounds(WM)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.0, 9.0, 31.0])), min_size=16, max_size=16
    ),
    hidden=st.lists(st.booleans(), min_size=16, max_size=16),
    chosen=st.sampled_from([None, *WM]),
)
def test_the_folium_labels_claim_room_in_the_order_a_stable_sort_of_their_keys_gives(
    values, hidden, chosen
):
    """components.maps_folium.label_order sorts in Python (issue 31: a frame made and sorted per
    map): the same order as pandas' stable sort of the keys, ties (equal shares, hidden and
    missing values) kept in the LAs' order."""
    from components.maps_folium import label_order
    from insight.outputs.mapdata import area_bounds

    table = wm_table()
    table.frame["value"] = [float("nan") if v is None else v for v in values]
    table.frame["suppressed"] = hidden
    data = map_data(table, WM, chosen)
    frame = data.frame
    shown = frame["value"].where(~frame["suppressed"].astype(bool)).astype(float)
    extent = [min(b[2] - b[0], b[3] - b[1]) for b in (area_bounds((c,)) for c in frame["code"])]
    ranked = frame.assign(
        _others=frame["code"] != data.selected,
        _value=-shown.fillna(float("-inf")),
        _extent=[-e for e in extent],
    ).sort_values(["_others", "_value", "_extent"], kind="stable")
    assert label_order(data) == list(ranked["code"])
