"""Which barrier counts standard mode shows (insight.numbers.count_release, issue 26 item 1).

The LP attack over every published figure is tests/unit/test_disclosure_linked.py's property
test (it reads the tables, so it attacks exactly what this module lets them show); these tests
pin the audit's own rules on small hand-made areas."""

from __future__ import annotations

import numpy as np
from tiny_dataset import BIRMINGHAM, SANDWELL, dataset, people

from insight.core.selection import WHOLE_AREA, Selection
from insight.core.thresholds import Thresholds
from insight.numbers import count_release, tables
from insight.numbers.count_release import ORDER, Area, figures, release, released_counts

TH = Thresholds()
WHOLE = ORDER[0]  # the whole period is tried first


def one_area(november: int) -> Area:
    """15 months, one age band: month 0 holds 2 of 30 people with the barrier (a `[c]`), month 1
    none of 30 (a 0% beside it, hidden with it), month 13 `november` of `november` (100%). The
    latest 12 months hold month 13 alone, so only the whole period's count reaches month 0."""
    months = 15
    yes, known = np.zeros((months, 1), int), np.zeros((months, 1), int)
    yes[0], known[0] = 2, 30
    known[1] = 30
    yes[13], known[13] = november, november
    windows = [(12, 14), (9, 14), (3, 14), (0, 14)]
    return Area(yes, known, figures(months, 1, windows, np.arange(months) // 3), TH)


def test_a_count_that_would_narrow_a_c_is_hidden() -> None:
    # 12 people: a count "10" says 8 to 12, and month 13's 100% says at least 10 there, so
    # month 0 would hold 0 to 2
    area = one_area(10)
    assert not area.passes({WHOLE}, {})
    assert WHOLE not in area.release({})


def test_a_count_is_hidden_where_one_step_smaller_would_narrow() -> None:
    """13 people: the count "15" (13 to 17) leaves month 0 eight values, but a refusal at "10"
    alone would then say "10", so "15" is refused too; at 18 people ("20") both pass."""
    area = one_area(11)
    assert area.passes({WHOLE}, {})
    assert not area.passes({WHOLE}, {}, shifted=WHOLE)
    assert WHOLE not in area.release({})
    larger = one_area(16)
    assert larger.passes({WHOLE}, {}, shifted=WHOLE)
    assert WHOLE in larger.release({})


def test_a_count_beside_a_c_it_cannot_narrow_is_shown() -> None:
    """Sandwell's debt share is shown in every period, with one month of 2 people `[c]`: the old
    rule hid every Sandwell debt count; 30 more people in November leave that month 25 or more
    possible values, so the counts are shown, and the `[c]` month stays `[c]`."""
    rows = (
        people(SANDWELL, 30, barrier_debt=False, start_month="2025-07")
        + people(SANDWELL, 28, barrier_debt=False, start_month="2025-08")
        + people(SANDWELL, 2, barrier_debt=True, start_month="2025-08")
        + people(SANDWELL, 30, barrier_debt=True, start_month="2025-11")
        + people(BIRMINGHAM, 40, barrier_debt=True, start_month="2025-02")
        + people(BIRMINGHAM, 40, barrier_debt=False, start_month="2025-02")
    )
    ds = dataset(rows)
    frame = tables.barriers(ds, Selection(la=SANDWELL, period="whole")).frame
    row = frame[(frame["area_code"] == SANDWELL) & (frame["category_key"] == "debt")]
    assert row["count"].iloc[0] == "30"
    month = tables.trend(ds, Selection(la=SANDWELL, period="whole"), "barrier", "debt", "month")
    labels = month.frame[month.frame["area_code"] == SANDWELL].set_index("category_key")["label"]
    assert labels["2025-08"] == "[c]"
    assert (SANDWELL, "debt", "whole") in released_counts(ds)


def test_the_whole_area_count_goes_where_one_la_leaves_a_small_rest() -> None:
    """Sandwell 40 of 100, Birmingham 3 of 50: the whole area's 43 less Sandwell's 40 would give
    Birmingham's 3, so the whole area's count is hidden in every LA's view; Sandwell's stays."""
    rows = people(SANDWELL, 40, barrier_debt=True) + people(SANDWELL, 60, barrier_debt=False)
    rows += people(BIRMINGHAM, 3, barrier_debt=True) + people(BIRMINGHAM, 47, barrier_debt=False)
    ds = dataset(rows)
    for la in (SANDWELL, BIRMINGHAM, WHOLE_AREA):
        frame = tables.barriers(ds, Selection(la=la, period="whole")).frame
        counts = frame[frame["category_key"] == "debt"].set_index("area_code")["count"]
        assert counts[WHOLE_AREA] == "[c]", la
        if la == SANDWELL:
            assert counts[SANDWELL] == "40"
    assert (WHOLE_AREA, "debt", "whole") not in released_counts(ds)


def test_a_hidden_count_says_why_and_the_note_names_the_rule() -> None:
    area_rows = people(SANDWELL, 30, barrier_debt=False, start_month="2025-07")
    area_rows += people(SANDWELL, 28, barrier_debt=False, start_month="2025-08")
    area_rows += people(SANDWELL, 2, barrier_debt=True, start_month="2025-08")
    area_rows += people(SANDWELL, 10, barrier_debt=True, start_month="2025-11")
    table = tables.barriers(dataset(area_rows), Selection(la=SANDWELL, period="whole"))
    row = table.frame[
        (table.frame["area_code"] == SANDWELL) & (table.frame["category_key"] == "debt")
    ]
    assert row["label"].iloc[0] != "[c]" and row["count"].iloc[0] == "[c]"
    assert row["count_note"].iloc[0] == "hidden so that other figures cannot reveal a small group"
    assert any("could narrow down a hidden figure" in note for note in table.notes)


def test_the_audit_runs_once_per_dataset() -> None:
    ds = dataset(people(SANDWELL, 40, barrier_debt=True) + people(SANDWELL, 40))
    first = release(ds)
    assert release(ds) is first
    assert count_release.released_counts(ds) == first.keys
    other = dataset(people(SANDWELL, 40, barrier_debt=True) + people(SANDWELL, 40))
    assert release(other) is not first
