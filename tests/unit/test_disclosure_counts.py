"""Issue 26, item 2: a reason on every hidden count, in the table and its CSV.

A `[c]` count says why on its own row (`count_note`): "fewer than 5 people, or a figure that would
reveal such a group" where its share is `[c]` too, and "hidden so that other figures cannot reveal
a small group" where the share is shown and the linked-table rules hide the count. A count shown
has no reason; presenter mode has neither counts nor reasons.
"""

from __future__ import annotations

import io

import pandas as pd

from insight.core.selection import Selection
from insight.core.symbols import CONFIDENTIAL
from insight.numbers import tables
from insight.numbers.disclosure import HIDDEN_LINKED, HIDDEN_SMALL
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, dataset, people


def _rows() -> list[dict]:
    """Sandwell: 70 people, debt shown (12 of 70) but one month holds 2 of 30, and everyone who
    started in November (10) has a debt barrier: a count of 12 ("10", so 8 to 12) would leave
    that month 0 to 2, so the audit hides it; transport 3 of 70 (its share and count are [c]).
    Birmingham: no [c] anywhere for debt."""
    return (
        people(SANDWELL, 30, barrier_debt=False, start_month="2025-07")
        + people(SANDWELL, 28, barrier_debt=False, start_month="2025-08")
        + people(SANDWELL, 2, barrier_debt=True, barrier_transport=True, start_month="2025-08")
        + people(SANDWELL, 9, barrier_debt=True, start_month="2025-11")
        + people(SANDWELL, 1, barrier_debt=True, barrier_transport=True, start_month="2025-11")
        + people(BIRMINGHAM, 40, barrier_debt=True, start_month="2025-02")
        + people(BIRMINGHAM, 40, barrier_debt=False, start_month="2025-02")
    )


def _row(frame: pd.DataFrame, la: str, key: str) -> pd.Series:
    return frame[(frame["area_code"] == la) & (frame["category_key"] == key)].iloc[0]


def test_a_hidden_count_says_why_on_its_row() -> None:
    frame = tables.barriers(dataset(_rows()), Selection(la=SANDWELL)).frame
    debt = _row(frame, SANDWELL, "debt")
    assert debt["label"] != CONFIDENTIAL and debt["count"] == CONFIDENTIAL
    assert debt["count_note"] == HIDDEN_LINKED
    transport = _row(frame, SANDWELL, "transport")
    assert transport["label"] == CONFIDENTIAL and transport["count"] == CONFIDENTIAL
    assert transport["count_note"] == HIDDEN_SMALL.format(min_cell=5)
    shown = _row(frame, BIRMINGHAM, "debt") if BIRMINGHAM in set(frame["area_code"]) else None
    assert shown is None or shown["count_note"] == ""
    # every [c] count has a reason, every count shown has none
    hidden = frame["count"] == CONFIDENTIAL
    assert (frame.loc[hidden, "count_note"] != "").all()
    assert (frame.loc[~hidden, "count_note"] == "").all()


def test_the_reason_is_in_the_table_view_and_its_csv() -> None:
    from components.charts import display_frame, safe_csv

    ds = dataset(_rows())
    sel = Selection(la=SANDWELL)
    table = tables.barriers(ds, sel)
    view = display_frame(table, sel)
    assert "Why a count is hidden" in view.columns
    csv = pd.read_csv(io.BytesIO(safe_csv(table, ds.meta, sel)), dtype=str, keep_default_na=False)
    reasons = set(csv["Why a count is hidden"])
    assert HIDDEN_LINKED in reasons and HIDDEN_SMALL.format(min_cell=5) in reasons


def test_presenter_mode_has_no_count_and_no_reason() -> None:
    frame = tables.barriers(dataset(_rows()), Selection(la=SANDWELL, mode="presenter")).frame
    assert "count" not in frame and "count_note" not in frame
