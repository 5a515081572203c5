"""insight.outputs.figures builds a chart's figure without plotly's validation (issue 31: it cost
more than the drawing, on every new selection). What validation would have checked is checked
here: for generated safe tables of every kind (bars by category, bars by LA, lines over time,
local provision, empty), in each mode and for print, validating the figure changes nothing, so
the figure the app sends is a valid plotly figure. And the per-LA order worked out on Python
lists is the order pandas' sort gives."""

from __future__ import annotations

import json
import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insight.core.dataset import Meta
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers.tables import SafeTable
from insight.outputs.chart_table import per_la_order, per_la_positions
from insight.outputs.figures import chart, spec

META = Meta("Example Partnership", "West Central", "2024-07", "2025-06", date(2025, 7, 4), "", True)
LAS = ("E08000025", "E08000026", "E08000027", "E08000028", "E08000029")
TEXT = st.text(alphabet="abcdefghij <>&|'", min_size=1, max_size=40)
LABELS = st.sampled_from(["[c]", "[x]", "12%", "7.5%", "100%", "[u]"])


def _value(label: str, number: float) -> float:
    return math.nan if label.startswith("[") else number


@st.composite
def tables(draw: st.DrawFn) -> tuple[SafeTable, Selection]:
    kind = draw(st.sampled_from(["category", "per_la", "trend", "provision", "empty"]))
    mode = draw(st.sampled_from(["standard", "presenter"]))
    la = draw(st.sampled_from((WHOLE_AREA, *LAS)))
    numbers = st.floats(min_value=0, max_value=400, allow_nan=False)
    rows = []
    if kind == "per_la":
        for code in draw(st.lists(st.sampled_from(LAS), min_size=1, max_size=5, unique=True)):
            label = draw(LABELS)
            name = draw(TEXT)
            rows.append((code, name, code, name, _value(label, draw(numbers)), label))
    elif kind != "empty":
        areas = [WHOLE_AREA] if la == WHOLE_AREA else [la, WHOLE_AREA]
        n = draw(st.integers(1, 14))
        if kind == "trend":
            categories = [f"Jan to Mar {2020 + i}" for i in range(n)]
        elif kind == "provision":
            categories = [f"{draw(TEXT)}|{draw(TEXT)}" for _ in range(n)]
        else:
            categories = [draw(TEXT) for _ in range(n)]
        for area in areas:
            for i, category in enumerate(categories):
                label = draw(LABELS)
                rows.append((area, f"Area {area}", f"k{i}" if kind != "provision" else category,
                             category, _value(label, draw(numbers)), label))  # fmt: skip
    frame = pd.DataFrame(
        rows, columns=["area_code", "area", "category_key", "category", "value", "label"]
    )
    frame["suppressed"] = frame["label"].str.startswith("[")
    if kind == "provision":
        frame["over_capacity"] = [draw(st.booleans()) for _ in range(len(frame))]
    if mode == "standard" and draw(st.booleans()):
        frame["count"] = [draw(st.sampled_from(["[c]", "1,235", "40"])) for _ in range(len(frame))]
    key = {"category": "characteristic.gender", "per_la": "la_shares", "trend": "trend.barrier.x",
           "provision": "provision", "empty": "services"}[kind]  # fmt: skip
    table = SafeTable(
        key=key,
        title=draw(TEXT),
        subtitle=draw(TEXT),
        frame=frame,
        mode="standard",
        unit=draw(st.sampled_from(["%", "index"])),
        notes=tuple(draw(st.lists(TEXT, max_size=2))),
        empty_message="Nothing recorded." if kind == "empty" else "",
        symbols=("[c]",) if draw(st.booleans()) else (),
    )
    return table, Selection(la=la, mode=mode)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["screen", "print"]))
def test_validating_the_figure_changes_nothing(made: tuple[SafeTable, Selection], medium: str):
    table, sel = made
    fig = chart(table, META, sel, medium=medium)
    validated = go.Figure(spec(table, META, sel, medium=medium))  # raises on an invalid property
    # as Streamlit sends it (NaN as null, so equal values compare equal)
    assert json.loads(pio.to_json(fig, validate=False)) == json.loads(pio.to_json(validated))


def test_an_invalid_spec_would_be_caught_by_the_check():
    """The check above can fail: plotly's validation refuses what chart() would not."""
    sel = Selection()
    frame = pd.DataFrame(
        {
            "area_code": [WHOLE_AREA],
            "area": ["x"],
            "category_key": ["a"],
            "category": ["a"],
            "value": [5.0],
            "label": ["5%"],
            "suppressed": [False],
        }  # fmt: skip
    )
    made = spec(SafeTable("characteristic.gender", "t", "s", frame, "standard"), META, sel)
    made["data"][0]["orientation"] = "sideways"
    go.Figure(made, _validate=False)  # accepted unvalidated
    with pytest.raises(ValueError, match="orientation"):
        go.Figure(made)


def _pandas_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The per-LA order as pandas' sort gives it (the reference)."""
    shown = pd.to_numeric(frame["value"], errors="coerce")
    shown = shown.where(~frame["label"].astype(str).str.startswith("["))
    ordered = frame.assign(_shown=shown).sort_values(
        ["_shown", "area"], ascending=[False, True], na_position="last", kind="stable"
    )
    return ordered.drop(columns="_shown")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Bury", "Bolton", "Wigan", "Oldham"]),
            LABELS,
            st.sampled_from([0.0, 5.0, 12.5, 40.0, math.nan]),
        ),  # fmt: skip
        min_size=1,
        max_size=12,
    )
)
def test_per_la_order_is_pandas_sort_order(rows: list[tuple[str, str, float]]):
    frame = pd.DataFrame(rows, columns=["area", "label", "value"])
    expected = _pandas_order(frame)
    assert per_la_positions(frame) == [frame.index.get_loc(i) for i in expected.index]
    pd.testing.assert_frame_equal(per_la_order(frame), expected)
