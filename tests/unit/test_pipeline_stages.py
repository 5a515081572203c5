"""The pipeline's measure and disclose stages, made once for what they read (issue 31): insights
that count alike count once, a table by LA is counted and disclosed once for every LA of a
period, and a table made from kept stages is the very table made afresh."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insight.core.selection import MODES, WHOLE_AREA, Selection
from insight.numbers import pipeline, registry, tables
from insight.numbers.safe_table import SafeTable
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, WALSALL, dataset, people


def counting(name: str, calls: list[Selection]) -> pipeline.Insight:
    """The registry's insight `name`, its measure noting each selection it is called for."""
    insight = registry.REGISTRY.named(name)
    measure = insight.measure
    assert measure is not None

    def measured(ds: Any, sel: Selection, *args: Any) -> Any:
        calls.append(sel)
        return measure(ds, sel, *args)

    return dataclasses.replace(insight, measure=measured)


def small_area() -> Any:
    return dataset(
        people(SANDWELL, 30, barrier_debt=True)
        + people(BIRMINGHAM, 50, start_month="2025-11")
        + people(WALSALL, 4)
    )


def test_a_table_by_la_is_counted_once_for_every_la_and_mode_of_a_period() -> None:
    ds, calls = small_area(), []
    insight = counting("la_shares", calls)
    made = [
        pipeline.run(insight, ds, Selection(la, "whole", mode), (), registry._other)
        for la in (SANDWELL, BIRMINGHAM, WHOLE_AREA)
        for mode in MODES
    ]
    assert len(calls) == 1
    assert [t.title for t in made[:2]] != [t.title for t in made[2:4]]  # each LA's own words
    pipeline.run(insight, ds, Selection(SANDWELL, "latest_6"), (), registry._other)
    assert len(calls) == 2  # another period is counted again


def test_a_table_of_one_la_is_counted_once_per_la_not_per_mode() -> None:
    ds, calls = small_area(), []
    insight = counting("barriers", calls)
    for la in (SANDWELL, BIRMINGHAM):
        for mode in MODES:
            pipeline.run(insight, ds, Selection(la, "whole", mode), (), registry._other)
    assert [sel.la for sel in calls] == [SANDWELL, BIRMINGHAM]


def test_forget_drops_the_kept_stages() -> None:
    ds, calls = small_area(), []
    insight = counting("la_shares", calls)
    pipeline.run(insight, ds, Selection(SANDWELL), (), registry._other)
    pipeline.forget(ds)
    pipeline.run(insight, ds, Selection(BIRMINGHAM), (), registry._other)
    assert len(calls) == 2


def every_table(ds: Any, sel: Selection) -> list[Any]:
    return [
        tables.la_shares(ds, sel),
        tables.hotspot(ds, sel),
        tables.claimant_hotspot(ds, sel),
        tables.barrier_by_la(ds, sel, "debt"),
        tables.service_by_la(ds, sel, "skills_training"),
        tables.barriers(ds, sel),
        tables.characteristic(ds, sel, "age_band"),
        tables.trend(ds, sel, "barrier", "debt", "month"),
        tables.headlines(ds, sel),
        tables.talking_points(ds, sel),
    ]


def assert_same(a: Any, b: Any) -> None:
    if isinstance(a, SafeTable):
        assert isinstance(b, SafeTable)
        pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
        assert a.texts == b.texts and a.symbols == b.symbols
        assert repr(a.verdict) == repr(b.verdict)  # an Apart compares by identity
    else:
        assert a == b


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(0, 40), min_size=3, max_size=3),
    debt=st.integers(1, 12),
    month=st.sampled_from(["2025-01", "2025-07", "2025-11"]),
)
def test_tables_made_from_kept_stages_are_the_tables_made_afresh(
    sizes: list[int], debt: int, month: str
) -> None:
    """Tiny LAs, empty LAs and all-[c] tables included: every LA's tables, made after every
    other LA's of the period (kept stages), equal its tables made on a fresh dataset."""
    rows = people(SANDWELL, debt, barrier_debt=True, service_skills_training=True)
    for la, n in zip((SANDWELL, BIRMINGHAM, WALSALL), sizes, strict=True):
        rows += people(la, n, start_month=month)
    shared = dataset(rows)
    order = [Selection(la, period, mode) for period in ("whole", "latest_quarter") for mode in MODES
             for la in (SANDWELL, BIRMINGHAM, WALSALL, WHOLE_AREA)]  # fmt: skip
    kept = {sel: every_table(shared, sel) for sel in order}
    for sel in order[:: max(1, len(order) // 8)]:
        fresh = every_table(dataset(rows), sel)
        for a, b in zip(kept[sel], fresh, strict=True):
            assert_same(a, b)
