"""The table view's frame and its neutralised copy are made from Python lists (issue 31: the
pandas route of selecting, copying, renaming, converting and mapping every cell cost several
milliseconds a chart on every new selection). They must be exactly what the pandas route made:
the same columns, headings, row order, index, dtypes and cells (a missing cell stays missing), in
both modes, for generated tables: per-LA tables (reordered) and category tables, hidden cells,
provision's over-capacity flags beside suppressed rows, counts, and text a spreadsheet would run
as a formula.

The reference functions below are the pandas route, written out here as the definition of what
the fast versions must give."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from components.charts import _DISPLAY, display_frame
from insight.core.formula import neutralise, neutralise_frame
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers.safe_table import COUNT_COLUMNS
from insight.numbers.tables import SafeTable
from insight.outputs.chart_table import is_per_la, per_la_order

# text that is plain, a formula, a number a spreadsheet reads as one, or missing
TEXT = st.one_of(
    st.sampled_from(("Dudley", "=cmd()", "+44 7", "-3", "@evil", "\tx", "45%", "[c]", "", "-")),
    st.text(alphabet="=+-@ab12%,.", max_size=6),
    st.none(),
)


def reference_neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell mapped through `neutralise`, and the column names."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            out[name] = column.map(neutralise)
        elif isinstance(column.dtype, pd.CategoricalDtype):
            out[name] = column.astype(object).map(neutralise)
    out.columns = [neutralise(name) for name in out.columns]
    return out


def reference_display(table: SafeTable, sel: Selection) -> pd.DataFrame:
    frame = per_la_order(table.frame) if is_per_la(table) else table.frame
    columns = [c for c in _DISPLAY if c in frame.columns]
    if sel.mode == "presenter":
        columns = [c for c in columns if c not in COUNT_COLUMNS]
    out = frame[columns].copy()
    if "over_capacity" in out.columns:
        over = out["over_capacity"].astype(bool) & ~frame["suppressed"].astype(bool)
        out["over_capacity"] = over.map(lambda v: "Yes: over" if v else "No")
    headings = dict(_DISPLAY)
    headings["label"] = "Index" if table.unit == "index" else "Share"
    return out.rename(columns=headings).astype(str)


@st.composite
def text_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 6))
    columns = draw(st.lists(st.sampled_from(("=name", "area", "label", "note")), unique=True))
    data: dict[str, object] = {
        name: pd.array(draw(st.lists(TEXT, min_size=n, max_size=n)), dtype="str")
        for name in columns
    }
    data["count"] = draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))
    if draw(st.booleans()):  # text kept as Python objects, as a reader may leave it
        data["object"] = pd.Series(draw(st.lists(TEXT, min_size=n, max_size=n)), dtype=object)
    return pd.DataFrame(data)


@settings(max_examples=80, deadline=None)
@given(text_frames())
def test_neutralise_frame_is_every_cell_neutralised(frame: pd.DataFrame) -> None:
    before = frame.copy()
    out = neutralise_frame(frame)
    assert_frame_equal(out, reference_neutralise(frame))
    assert_frame_equal(frame, before)  # the caller's frame is never changed


@st.composite
def safe_tables(draw: st.DrawFn) -> tuple[SafeTable, Selection]:
    per_la = draw(st.booleans())
    n = draw(st.integers(1, 6))
    rows = []
    for i in range(n):
        code = f"E0800{i:04d}"
        value = draw(st.sampled_from((0.0, 12.0, 45.0, 45.2, 100.0, float("nan"))))
        hidden = draw(st.sampled_from(("", "", "[c]", "[x]")))
        row = {
            "area_code": code if per_la else draw(st.sampled_from((WHOLE_AREA, "E08000028"))),
            "area": draw(st.sampled_from(("Dudley", "=Bury", "Luton"))),
            "category_key": code if per_la else f"k{i}",
            "category": draw(TEXT) or "Other",
            "value": value,
            "label": hidden or draw(TEXT),
            "suppressed": hidden == "[c]",
        }
        rows.append(row)
    frame = pd.DataFrame(rows).astype(
        {c: "str" for c in ("area_code", "area", "category_key", "category", "label")}
    )
    if draw(st.booleans()):  # provision: over capacity, counts beside it
        frame["over_capacity"] = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        frame["planned_referrals"] = pd.array(
            draw(st.lists(TEXT, min_size=n, max_size=n)), dtype="str"
        )
        frame["capacity"] = pd.array(draw(st.lists(TEXT, min_size=n, max_size=n)), dtype="str")
    elif draw(st.booleans()):  # extent of need: counts and why one is hidden
        frame["count"] = pd.array(draw(st.lists(TEXT, min_size=n, max_size=n)), dtype="str")
        frame["count_note"] = pd.array(draw(st.lists(TEXT, min_size=n, max_size=n)), dtype="str")
    if draw(st.booleans()):  # a frame cut from a larger one keeps its index
        frame.index = pd.Index(draw(st.permutations(range(10, 10 + n))))
    unit = draw(st.sampled_from(("%", "index")))
    table = SafeTable("probe", "Title", "Subtitle", frame, "standard", unit=unit)
    mode = draw(st.sampled_from(("standard", "presenter")))
    return table, Selection(mode=mode)


@settings(max_examples=80, deadline=None)
@given(safe_tables())
def test_the_table_view_frame_is_the_pandas_route(made: tuple[SafeTable, Selection]) -> None:
    table, sel = made
    out = display_frame(table, sel)
    assert_frame_equal(out, reference_display(table, sel))
    assert_frame_equal(neutralise_frame(out), reference_neutralise(reference_display(table, sel)))
    if sel.mode == "presenter":
        assert not {"Count (rounded)", "Planned referrals (rounded)", "Capacity (rounded)"} & set(
            out.columns
        )
