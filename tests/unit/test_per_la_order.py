"""A per-LA table's rows come in one order wherever it is drawn: the page's chart and table view
(insight.outputs.chart_table.per_la_order), the deck's native chart (deck.chart_data) and the
pack's printed table (pack_pdf.grid). Each once sorted by itself, and they disagreed on ties
("45%" from 45.2 and 44.9) and on "<1%" and ">99%", which the deck put last as if hidden.

Generated tables: ties in value and in label, hidden cells (`[c]`, `[x]`) whose value is anything
(even the largest), "<1%" and ">99%", and the chosen LA anywhere or nowhere."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers.tables import SafeTable
from insight.outputs.chart_table import is_per_la, per_la_order
from insight.outputs.deck import chart_data, shown_value
from insight.outputs.pack_pdf import grid

NAMES = ("Barnet", "Bury", "Dudley", "Halton", "Luton", "Poole", "Rugby", "Sandwell", "Wigan")
# few values, so ties are common; 44.9 and 45.2 both read "45%"
VALUES = (0.0, 0.3, 12.0, 44.9, 45.0, 45.2, 99.8, 100.0)


def _label(value: float) -> str:
    if 0 < value < 0.5:
        return "<1%"
    if 99.5 < value < 100:
        return ">99%"
    return f"{value:.0f}%"


@st.composite
def per_la_tables(draw: st.DrawFn) -> tuple[SafeTable, Selection]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=len(NAMES), unique=True))
    rows = []
    for i, name in enumerate(names):
        value = draw(st.sampled_from(VALUES))
        hidden = draw(st.sampled_from(("", "", "[c]", "[x]")))
        code = f"E0800{i:04d}"
        rows.append(
            {
                "area_code": code,
                "area": name,
                "category": name,
                "category_key": code,
                "value": value,
                "label": hidden or _label(value),
                "suppressed": bool(hidden),
            }
        )
    frame = pd.DataFrame(rows)
    table = SafeTable("la_share", "Shares by LA", "Share of participants", frame, "presenter")
    chosen = draw(st.sampled_from([WHOLE_AREA, *frame["area_code"]]))
    return table, Selection(la=chosen, mode="presenter")


@settings(max_examples=80, deadline=None)
@given(per_la_tables())
def test_the_page_the_deck_and_the_pack_draw_per_la_rows_in_one_order(made) -> None:
    table, sel = made
    assert is_per_la(table)
    page = per_la_order(table.frame)
    order = page["area"].tolist()
    deck = chart_data(table, sel)
    pack = grid(table, sel)
    assert list(deck.categories) == order
    assert [row[0] for row in pack.rows] == order
    # the figures travel with their rows, and the chosen LA is the one marked
    assert list(deck.series[0][1]) == [shown_value(v) for v in page["label"]]
    assert [row[1] for row in pack.rows] == page["label"].tolist()
    codes = page["area_code"].tolist()
    assert list(deck.highlight) == [c == sel.la for c in codes]
    assert pack.marked_row == (None if sel.is_whole_area else codes.index(sel.la))
    # the one order itself: figures largest first (name breaks a tie), every hidden row last
    hidden = page["label"].str.startswith("[").tolist()
    assert hidden == sorted(hidden)
    shown = page[~page["label"].str.startswith("[")]
    keys = list(zip(-shown["value"], shown["area"], strict=True))
    assert keys == sorted(keys)
