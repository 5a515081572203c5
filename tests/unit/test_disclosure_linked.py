"""Disclosure across linked tables (issue 17) and group disclosure (issue 14): what the figures
shown together, across the period picker and the LA picker, give away. The linked-tables attack
is a linear programme over every published figure (disclosure_lp.py, shared with
benchmarks/disclosure_attack.py)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from insight.core.selection import WHOLE_AREA, Selection
from insight.core.thresholds import Thresholds
from insight.numbers import tables
from insight.numbers.disclosure import RULES, disclose, group_disclosure
from insight.numbers.measure import RAW_COLUMNS, Raw
from insight.outputs import about
from tests.unit.disclosure_lp import attack
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, WALSALL, dataset, people
from tests.unit.tiny_dataset import provision as local_provision

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = Thresholds()
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
BANDS = ["18-24", "25-34", "35-49", "50+"]

# Small cohorts (one LA, start month, age band, answer), sized so that months, quarters and age
# bands land on both sides of the thresholds and nested periods differ by a few people.
cohorts = st.lists(
    st.tuples(
        st.sampled_from([SANDWELL, WALSALL]),
        st.sampled_from(MONTHS),
        st.sampled_from(BANDS),
        st.sampled_from([True, False, False, None]),
        st.integers(1, 14),
    ),
    min_size=3,
    max_size=14,
)


def build(rows: list[tuple]) -> object:
    records: list[dict] = []
    for la, month, band, debt, n in rows:
        records += people(la, n, start_month=month, age_band=band, barrier_debt=debt)
    return dataset(records)


# --- nested periods and zeros beside [c]: the LP attack ----------------------------------------
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking an LP failure takes minutes
)
@given(rows=cohorts)
def test_no_published_figures_narrow_a_suppressed_count_below_min_cell(rows: list[tuple]) -> None:
    """For every LA (and the whole area), with every period's figures combined (nested periods:
    quarter, 6 and 12 months, whole; months within quarters; age bands), every `[c]` count keeps
    at least min_cell possible values, and the LP never rules out the true count."""
    ds = build(rows)
    for la in (SANDWELL, WALSALL, WHOLE_AREA):
        findings, _, obs = attack(ds, la, "debt", "standard")
        for f in findings:
            assert f.low - 1e-6 <= f.truth <= f.high + 1e-6, f  # the attack is sound
            assert f.values >= DEFAULT.min_cell, (f, [o for o in obs if o.count])


# Larger cohorts beside small ones, in three LAs: the audit shows counts beside `[c]` cells
# (count_release), which the small cohorts above rarely let it do.
mixed = st.lists(
    st.tuples(
        st.sampled_from([SANDWELL, WALSALL, BIRMINGHAM]),
        st.sampled_from(MONTHS),
        st.sampled_from(BANDS),
        st.sampled_from([True, False, None]),
        st.one_of(st.integers(1, 4), st.integers(5, 40)),
    ),
    min_size=4,
    max_size=16,
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(rows=mixed)
def test_counts_the_audit_shows_narrow_no_suppressed_figure(rows: list[tuple]) -> None:
    """The audit's counts (count_release), attacked with every figure of every period, month,
    quarter and age band for each LA and the whole area: no `[c]` share or hidden count keeps
    fewer than min_cell possible values, and no count shown is small."""
    ds = build(rows)
    for la in (SANDWELL, WALSALL, BIRMINGHAM, WHOLE_AREA):
        findings, _, obs = attack(ds, la, "debt", "standard")
        for f in findings:
            assert f.low - 1e-6 <= f.truth <= f.high + 1e-6, f
            assert f.values >= DEFAULT.min_cell, (f, [o for o in obs if o.count])
        for o in obs:
            if o.count not in (None, "[c]", "0"):
                assert int(o.count.replace(",", "")) >= DEFAULT.min_cell, o


def test_the_attack_narrows_a_count_when_nested_period_counts_are_shown() -> None:
    """The LP finds the issue's leak when counts are shown beside a [c] (a check on the attack,
    by forging the published figures: a 6-month count, the quarter's count, 0% months)."""
    from scipy.optimize import linprog

    from tests.unit.disclosure_lp import Observation, constraints

    # grid: 4 months x 1 band; month 0 is [c], months 1 and 2 are 0%, month 3 is 50% (so at
    # least 5 people); the 6 months' count reads "5" (5 to 7 people): month 0 holds 0 to 2.
    def cells(*months: int) -> frozenset[int]:
        return frozenset(months)

    obs = [
        Observation(cells(0), "[c]", None, "m0"),
        Observation(cells(1), "0%", None, "m1"),
        Observation(cells(2), "0%", None, "m2"),
        Observation(cells(3), "50%", None, "m3"),
        Observation(cells(0, 1, 2, 3), "20%", "5", "6 months"),
    ]
    a_ub, b_ub, a_eq, b_eq = constraints(obs, 4, 10, 5, 5)
    c = np.zeros(8)
    c[0] = -1.0
    best = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None))
    assert best.status == 0 and -best.fun <= 2 + 1e-6  # 0 to 2: three values


def test_the_whole_area_count_stays_when_no_la_count_is_hidden() -> None:
    rows = people(SANDWELL, 20, barrier_debt=True) + people(BIRMINGHAM, 60, barrier_debt=True)
    rows += people(BIRMINGHAM, 20, barrier_debt=False)
    frame = tables.barriers(dataset(rows), Selection(la=SANDWELL)).frame
    counts = frame[frame["category_key"] == "debt"].set_index("area_code")["count"]
    assert counts[SANDWELL] == "20" and counts[WHOLE_AREA] == "80"


def test_a_month_reads_the_same_in_every_period() -> None:
    ds = build(
        [
            (SANDWELL, "2025-10", "25-34", True, 2),
            (SANDWELL, "2025-10", "25-34", False, 12),
            (SANDWELL, "2025-11", "25-34", False, 12),
            (SANDWELL, "2025-12", "25-34", True, 8),
            (SANDWELL, "2025-12", "25-34", False, 8),
        ]
    )
    seen: dict[str, set[str]] = {}
    for period in ("latest_quarter", "latest_6", "latest_12", "whole"):
        table = tables.trend(ds, Selection(la=SANDWELL, period=period), "barrier", "debt", "month")
        for _, row in table.frame[table.frame["area_code"] == SANDWELL].iterrows():
            seen.setdefault(row["category_key"], set()).add(row["label"])
    assert all(len(labels) == 1 for labels in seen.values()), seen
    assert seen["2025-10"] == {"[c]"} and seen["2025-11"] == {"[c]"}  # the 0% beside it goes


# --- [x] against [c]: where a small group started ----------------------------------------------
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=cohorts,
    freq=st.sampled_from(["month", "quarter"]),
    mode=st.sampled_from(["standard", "presenter"]),
)
def test_no_trend_shows_x_beside_c(rows: list[tuple], freq: str, mode: str) -> None:
    """An area's trend never mixes `[x]` (nobody) and `[c]` (a few): the two together would say
    in which months a small group started."""
    ds = build(rows)
    for la in (SANDWELL, WALSALL):
        for period in ("latest_6", "whole"):
            sel = Selection(la=la, period=period, mode=mode)
            for table in (
                tables.trend(ds, sel, "barrier", "debt", freq),
                tables.barrier_by_age(ds, sel, "debt"),
            ):
                for _, labels in table.frame.groupby("area_code")["label"]:
                    assert not ({"[x]", "[c]"} <= set(labels)), (table.key, list(labels))
                assert (table.frame["label"] == "[c]").eq(table.frame["suppressed"]).all()


def test_an_la_with_seven_participants_shows_every_month_alike() -> None:
    """The issue's example: 7 participants starting in 4 of 12 months."""
    rows = []
    for month, n in (("2025-02", 2), ("2025-05", 1), ("2025-06", 3), ("2025-09", 1)):
        rows += people(WALSALL, n, start_month=month, barrier_debt=month == "2025-06")
    rows += people(SANDWELL, 200, barrier_debt=True) + people(SANDWELL, 200)
    sel = Selection(la=WALSALL, period="whole", mode="presenter")
    table = tables.trend(dataset(rows), sel, "barrier", "debt", "month")
    labels = table.frame[table.frame["area_code"] == WALSALL]["label"]
    assert len(labels) == 12 and set(labels) == {"[c]"}


# --- over capacity -----------------------------------------------------------------------------
@settings(max_examples=15, deadline=None)
@given(
    plans=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), min_size=1, max_size=6),
    mode=st.sampled_from(["standard", "presenter"]),
)
def test_over_capacity_is_never_shown_on_a_suppressed_row(
    plans: list[tuple[int, int]], mode: str
) -> None:
    provision = local_provision(plans)
    ds = dataset(people(SANDWELL, 20), local_provision=provision)
    frame = tables.provision(ds, Selection(la=SANDWELL, mode=mode)).frame
    rows = frame.set_index("category_key")  # ranked by use of capacity: find each by its key
    assert len(rows) == len(plans)
    for i, (planned, capacity) in enumerate(plans):
        row = rows.loc[f"Org {i}|Advice"]
        assert bool(row["over_capacity"]) == (not row["suppressed"] and planned > capacity)
        if 1 <= planned < DEFAULT.min_cell:
            assert row["label"] == "[c]" and not row["over_capacity"]


def test_the_table_view_never_says_over_on_a_suppressed_row() -> None:
    from components.charts import display_frame

    provision = pd.DataFrame(
        {
            "organisation": ["Org A", "Org B"],
            "service": ["Advice", "Advice"],
            "la_code": [SANDWELL, SANDWELL],
            "month": ["2025-06", "2025-06"],
            "planned_referrals": [3, 12],
            "capacity": [1, 10],
            "funded_by": ["local", "local"],
        }
    )
    sel = Selection(la=SANDWELL)
    table = tables.provision(dataset(people(SANDWELL, 20), local_provision=provision), sel)
    shown = display_frame(table, sel).set_index("Category")["Over capacity"]
    assert shown["Org A: Advice"] == "No" and shown["Org B: Advice"] == "Yes: over"
    assert table.title.startswith("1 of 2 local services")


# --- group disclosure --------------------------------------------------------------------------
def test_a_breakdown_whose_shown_cells_are_all_zero_is_hidden_whole() -> None:
    """Issue 14's Malvern Hills example: White [c], Prefer not to say [c], every other group 0%."""
    rows = people(SANDWELL, 8, ethnicity="White") + people(
        SANDWELL, 4, ethnicity="Prefer not to say"
    )
    rows += people(BIRMINGHAM, 60, ethnicity="White") + people(
        BIRMINGHAM, 40, ethnicity="Asian or Asian British"
    )
    table = tables.characteristic(
        dataset(rows), Selection(la=SANDWELL, mode="presenter"), "ethnicity"
    )
    local = table.frame[table.frame["area_code"] == SANDWELL]
    assert set(local["label"]) == {"[c]"} and local["suppressed"].all()
    assert not table.frame[table.frame["area_code"] == WHOLE_AREA]["suppressed"].all()
    assert any("every figure is hidden" in n and "Sandwell" in n for n in table.notes)
    assert re.search(r"\d", " ".join(table.notes)) is None  # said in words, no figure


def test_a_hundred_percent_beside_a_suppressed_remainder_hides_the_group() -> None:
    hidden, whole = group_disclosure(
        np.array([10, 0, 0, 30, 0]),
        np.array([10, 10, 10, 30, 30]),
        np.array([False, True, False, False, False]),
        np.array(["a", "a", "a", "b", "b"]),
    )
    assert hidden.tolist() == [True, True, True, False, False] and whole == ("a",)


def exhaustive(counts: list[int]) -> Raw:
    base = sum(counts)
    rows = [("all", "Area", "g", f"k{i}", f"Cat {i}", n, base) for i, n in enumerate(counts)]
    return Raw(pd.DataFrame(rows, columns=list(RAW_COLUMNS)), exhaustive=True)


@settings(max_examples=150, deadline=None)
@given(counts=st.lists(st.integers(0, 30), min_size=2, max_size=8))
def test_no_breakdown_shows_only_zeros_or_a_hundred_beside_a_c(counts: list[int]) -> None:
    frame = disclose(exhaustive(counts), "presenter", DEFAULT).frame
    labels = frame["label"].tolist()
    if "[c]" in labels:
        shown = [label for label in labels if label != "[c]"]
        assert not shown or (set(shown) != {"0%"} and "100%" not in shown), labels


# --- the primary [c] cannot be picked out across the LA picker ---------------------------------
@settings(max_examples=15, deadline=None)
@given(sizes=st.lists(st.integers(0, 60), min_size=3, max_size=7))
def test_a_suppressed_la_share_is_not_told_apart_by_its_own_figures(sizes: list[int]) -> None:
    """Every LA whose own figures are hidden (1 to min_base-1 participants) has its share hidden
    too, and a secondary `[c]` is such an LA whenever one is left: so whether an LA's own
    figures are shown never says which `[c]` share is the small one."""
    codes = [
        "E08000025",
        "E08000026",
        "E08000027",
        "E08000028",
        "E08000029",
        "E08000030",
        "E08000031",
    ]
    rows = []
    for code, n in zip(codes, sizes, strict=False):
        rows += people(code, n)
    if not rows:
        return
    ds = dataset(rows)
    frame = tables.la_shares(ds, Selection(mode="presenter")).frame.set_index("area_code")
    own = {code: n for code, n in zip(codes, sizes, strict=False)}
    for code, row in frame.iterrows():
        n = own[code]
        if 1 <= n < DEFAULT.min_base:
            assert row["label"] == "[c]", (code, n)
        own_hidden = tables.characteristic(ds, Selection(la=code, mode="presenter"), "gender")
        local = own_hidden.frame[own_hidden.frame["area_code"] == code]
        if row["label"] == "[c]" and not local.empty:
            # either its own figures are hidden, or no LA with hidden figures had a share to hide
            small_shown = [
                c
                for c, m in own.items()
                if 1 <= m < DEFAULT.min_base and frame.loc[c, "label"] != "[c]"
            ]
            assert local["suppressed"].all() or not small_shown


# --- the rules as written ----------------------------------------------------------------------
def test_the_readme_and_the_about_page_state_every_disclosure_rule() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    body = "\n".join(text for _, text in about.sections(None))
    for rule in RULES:
        assert rule in readme, f"README misses: {rule}"
        assert rule in body, f"About page misses: {rule}"
