"""Disclosure control: the rules of DESIGN.md, by example and by property."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.selection import Selection
from insight.core.thresholds import Thresholds
from insight.numbers import tables
from insight.numbers.disclosure import (
    SAFE_COLUMNS,
    disclose,
    percent,
    primary,
    round_count,
    secondary,
)
from insight.numbers.measure import RAW_COLUMNS, Raw
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, WALSALL, dataset, people

DEFAULT = Thresholds()
LABEL = re.compile(r"^(<1%|>99%|\d+%|\d+|\[c\]|\[x\]|\[z\])$")


def raw(
    counts: list[int], base: int | None = None, exhaustive: bool = True, group: str = "g"
) -> Raw:
    base = sum(counts) if base is None else base
    rows = [("all", "Area", group, f"k{i}", f"Cat {i}", n, base) for i, n in enumerate(counts)]
    return Raw(pd.DataFrame(rows, columns=list(RAW_COLUMNS)), exhaustive)


def two_groups(a: list[int], b: list[int]) -> Raw:
    frame = pd.concat([raw(a, group="la").frame, raw(b, group="all").frame], ignore_index=True)
    return Raw(frame, exhaustive=True)


# --- arithmetic ------------------------------------------------------------------------------
def test_percentages_round_half_up_exactly() -> None:
    assert percent([1, 3, 1, 1, 0, 7], [8, 8, 200, 3, 10, 7]).tolist() == [13, 38, 1, 33, 0, 100]
    assert percent([5], [0]).tolist() == [0]


def test_counts_round_half_up_to_the_multiple_and_never_to_zero() -> None:
    assert round_count([0, 5, 7, 8, 12, 13, 1234], 5).tolist() == [0, 5, 5, 10, 10, 15, 1235]
    assert round_count([5, 15, 7], 10).tolist() == [10, 20, 10]
    assert round_count([3], 20).tolist() == [20]


# --- primary ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("count", "base", "hidden"),
    [
        (0, 10, False),  # 0% of enough people is shown
        (10, 10, False),  # 100% of enough people is shown
        (5, 10, False),
        (4, 10, True),  # numerator 1..4
        (1, 50, True),
        (6, 10, True),  # complement 4
        (46, 50, True),
        (45, 50, False),
        (0, 9, True),  # base under 10
        (9, 9, True),
        (0, 0, False),  # no base at all: [x], not [c]
    ],
)
def test_primary_suppression(count: int, base: int, hidden: bool) -> None:
    assert bool(primary(np.array([count]), np.array([base]), DEFAULT)[0]) is hidden


def test_stricter_settings_move_the_lines() -> None:
    strict = Thresholds(min_base=20, min_cell=10, round_to=10)
    assert primary(np.array([8, 13, 12]), np.array([40, 18, 20]), strict).tolist() == [
        True,
        True,
        True,
    ]
    assert primary(np.array([8, 13, 12]), np.array([40, 18, 20]), DEFAULT).tolist() == [
        False,
        False,
        False,
    ]


# --- secondary -------------------------------------------------------------------------------
def test_a_lone_suppressed_cell_takes_the_next_smallest_non_zero_cell_with_it() -> None:
    safe = disclose(raw([3, 50, 0, 60, 20]), "presenter", DEFAULT).frame
    assert safe["suppressed"].tolist() == [True, False, False, False, True]
    assert safe["label"].tolist() == ["[c]", "38%", "0%", "45%", "[c]"]


def test_a_zero_is_taken_only_when_no_non_zero_cell_is_left() -> None:
    hidden = secondary(np.array([3, 0, 0]), np.array([True, False, False]), np.array(["g"] * 3))
    assert hidden.tolist() == [True, True, False]


def test_two_suppressed_cells_need_no_more() -> None:
    safe = disclose(raw([3, 2, 50, 60]), "presenter", DEFAULT).frame
    assert safe["suppressed"].tolist() == [True, True, False, False]


def test_multi_response_cells_stand_alone() -> None:
    safe = disclose(raw([3, 40, 50], base=60, exhaustive=False), "presenter", DEFAULT).frame
    assert safe["suppressed"].tolist() == [True, False, False]


def test_each_area_is_its_own_group() -> None:
    safe = disclose(two_groups([3, 40, 50], [30, 40, 50]), "presenter", DEFAULT).frame
    assert safe["suppressed"].tolist() == [True, True, False, False, False, False]


# --- labels and columns ----------------------------------------------------------------------
def test_labels_never_round_a_few_to_none_or_most_to_all() -> None:
    safe = disclose(raw([5, 1990, 5], base=2000, exhaustive=False), "presenter", DEFAULT).frame
    assert safe["label"].tolist() == ["<1%", ">99%", "<1%"]


def test_presenter_frames_have_no_count_column_and_standard_ones_round() -> None:
    r = raw([7, 40, 53], base=120, exhaustive=False)
    assert list(disclose(r, "presenter", DEFAULT, counts=True).frame.columns) == list(SAFE_COLUMNS)
    standard = disclose(r, "standard", DEFAULT, counts=True)
    assert standard.frame["count"].tolist() == ["5", "40", "55"]
    assert "count" not in disclose(r, "standard", DEFAULT).frame


def test_counts_beside_suppressed_shares_are_suppressed_too() -> None:
    safe = disclose(raw([3, 50, 60, 20]), "standard", DEFAULT, counts=True)
    assert safe.frame["count"].tolist() == ["[c]", "50", "60", "[c]"]
    assert safe.symbols == ("[c]",)


# --- properties ------------------------------------------------------------------------------
cells = st.lists(st.integers(0, 40), min_size=2, max_size=8)
thresholds = st.builds(
    Thresholds,
    min_base=st.integers(10, 40),
    min_cell=st.integers(5, 12),
    round_to=st.sampled_from([5, 10, 20]),
)


@settings(max_examples=150, deadline=None)
@given(counts=cells, extra=st.integers(0, 30), th=thresholds, exhaustive=st.booleans())
def test_no_shown_share_rests_on_too_few_people(
    counts: list[int], extra: int, th: Thresholds, exhaustive: bool
) -> None:
    base = sum(counts) if exhaustive else max(counts) + extra
    frame = disclose(raw(counts, base, exhaustive), "standard", th, counts=True).frame
    for n, (_, row) in zip(counts, frame.iterrows(), strict=True):
        if pd.isna(row["value"]):
            continue
        assert base >= th.min_base
        assert not 1 <= n < th.min_cell
        assert not 1 <= base - n < th.min_cell
        assert LABEL.match(row["label"])
        if row["count"] != "[c]":
            assert int(row["count"].replace(",", "")) % th.round_to == 0


@settings(max_examples=150, deadline=None)
@given(a=cells, b=cells, th=thresholds)
def test_no_single_response_group_has_exactly_one_suppressed_cell(
    a: list[int], b: list[int], th: Thresholds
) -> None:
    frame = disclose(two_groups(a, b[: len(a)] + b[len(a) :]), "presenter", th).frame
    frame["group"] = ["la"] * len(a) + ["all"] * len(b)
    for _, rows in frame.groupby("group"):
        hidden = int(rows["suppressed"].sum())
        assert hidden != 1
        if hidden:
            # what 100 minus the shown shares leaves is shared by two or more hidden cells
            assert (rows["label"] == "[c]").sum() >= 2


@settings(max_examples=100, deadline=None)
@given(counts=cells, th=thresholds)
def test_stricter_thresholds_never_show_more(counts: list[int], th: Thresholds) -> None:
    loose = disclose(raw(counts), "presenter", DEFAULT).frame["suppressed"]
    strict = disclose(raw(counts), "presenter", th).frame["suppressed"]
    base = np.full(len(counts), sum(counts))
    assert (primary(np.array(counts), base, th) >= primary(np.array(counts), base, DEFAULT)).all()
    assert strict.sum() >= loose.sum()


people_rows = st.lists(
    st.tuples(
        st.sampled_from([SANDWELL, BIRMINGHAM, WALSALL]),
        st.sampled_from(["18-24", "25-34", "50+"]),
        st.sampled_from(["Female", "Male", "Other"]),
        st.sampled_from([True, False, None]),
        st.sampled_from(["2025-01", "2025-05", "2025-11"]),
    ),
    min_size=1,
    max_size=60,
)
NUMBER = re.compile(r"\d+")
FRACTION = re.compile(r"\b\d+ in \d+\b")


@settings(max_examples=15, deadline=None)
@given(rows=people_rows, th=thresholds)
def test_presenter_frames_carry_shares_and_nothing_else(rows: list[tuple], th: Thresholds) -> None:
    records = []
    for la, age, gender, debt, month in rows:
        records += people(la, 3, age_band=age, gender=gender, barrier_debt=debt, start_month=month)
    ds = dataset(records, thresholds=th)
    for la in (SANDWELL, "all"):
        sel = Selection(la=la, period="latest_6", mode="presenter")
        built = [
            tables.characteristic(ds, sel, "gender"),
            tables.barriers(ds, sel),
            tables.services(ds, sel),
            tables.barrier_by_age(ds, sel, "debt"),
            tables.trend(ds, sel, "barrier", "debt", "month"),
            tables.la_shares(ds, sel),
            tables.hotspot(ds, sel),
            tables.barrier_by_la(ds, sel, "debt"),
        ]
        for table in built:
            assert list(table.frame.columns) == list(SAFE_COLUMNS), table.key
            for _, row in table.frame.iterrows():
                assert LABEL.match(row["label"]), row["label"]
                numbers = NUMBER.findall(row["label"])
                if numbers and row["label"][0].isdigit():
                    assert float(numbers[0]) == row["value"]
                assert (
                    not NUMBER.search(row["category"] + row["area"])
                    or row["category_key"]
                    in (
                        "18-24",
                        "25-34",
                        "35-49",
                        "50+",
                    )
                    or row["category_key"].startswith("2025")
                )
            for text in (table.title, table.subtitle, table.alt_text, *table.notes):
                # "about 3 in 5" is a shown share in words, not a count
                for number in NUMBER.findall(FRACTION.sub("", text)):
                    assert number in table.frame["label"].str.cat() or number in (
                        "2025",
                        "2022",
                        "100",
                        "16",
                        "64",
                        "18",
                        "24",
                        "25",
                        "34",
                        "35",
                        "49",
                        "50",
                    ), (table.key, text)
