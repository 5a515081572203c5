"""Plain words from safe frames: fractions, titles, and talking points that never describe a
suppressed figure."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tiny_dataset import BIRMINGHAM, SANDWELL, WALSALL, dataset, people

from insight import tables
from insight.contract import barrier_label
from insight.model import Selection
from insight.narrative import comparison, lead, share_words, top_title


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("33%", "about 1 in 3"),
        ("28%", "just under 3 in 10"),
        ("50%", "about half"),
        ("46%", "just under half"),
        ("55%", "just over half"),
        ("60%", "about 3 in 5"),
        ("25%", "about 1 in 4"),
        ("12%", "about 1 in 8"),
        ("2%", "fewer than 1 in 20"),
        ("0%", "none"),
        ("<1%", "fewer than 1 in 100"),
        ("100%", "all"),
        (">99%", "almost all"),
        ("97%", "nearly all"),
        ("[c]", None),
        ("[x]", None),
    ],
)
def test_share_words(label: str, words: str | None) -> None:
    assert share_words(label) == words


def test_comparisons_need_a_noticeable_gap() -> None:
    assert comparison("33%", "25%") == ", more than across the whole area (about 1 in 4)"
    assert comparison("20%", "25%") == ", fewer than across the whole area (about 1 in 4)"
    assert comparison("26%", "25%") == ", much as across the whole area (about 1 in 4)"
    assert comparison("26%", "[c]") == ""


def frame(rows: list[tuple[str, str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": [r[0] for r in rows],
            "area": [r[0] for r in rows],
            "category_key": [r[1] for r in rows],
            "category": [r[1] for r in rows],
            "value": [float("nan") if r[2] is None else r[2] for r in rows],
            "label": ["[c]" if r[2] is None else f"{r[2]:.0f}%" for r in rows],
            "suppressed": [r[2] is None for r in rows],
        }
    )


def test_the_most_is_claimed_only_when_the_safe_figures_prove_it() -> None:
    # 40 + 35 shown: the two hidden cells share at most 25 + rounding, so A is the largest
    proven = frame([("la", "A", 40), ("la", "B", 35), ("la", "C", None), ("la", "D", None)])
    assert lead(proven, "la", exhaustive=True).certain
    # 30 + 20 shown: the hidden cells could hold 50, one of them more than A
    unproven = frame([("la", "A", 30), ("la", "B", 20), ("la", "C", None), ("la", "D", None)])
    assert not lead(unproven, "la", exhaustive=True).certain
    # multi-response: a hidden cell could be anything
    assert not lead(proven, "la", exhaustive=False).certain
    template = "{top} {is_} the most reported barrier{s}{shown} in Here"
    assert (
        top_title(proven, "la", False, template, "x")
        == "A is the most reported barrier shown in Here"
    )
    assert top_title(unproven, "la", True, "{top} is the most common", "fallback") == "fallback"
    tie = frame([("la", "A", 30), ("la", "B", 30)])
    assert (
        top_title(tie, "la", False, template, "x")
        == "A and B are jointly the most reported barriers in Here"
    )


def test_talking_points_compare_an_la_with_the_whole_area() -> None:
    rows = (
        people(SANDWELL, 40, barrier_mental_health=True)
        + people(SANDWELL, 60)
        + people(BIRMINGHAM, 50, barrier_mental_health=True)
        + people(BIRMINGHAM, 250)
    )
    points = tables.talking_points(dataset(rows), Selection(la=SANDWELL, mode="presenter"))
    assert (
        "About 2 in 5 participants in Sandwell report a mental health barrier, more than across "
        "the whole area (just under 1 in 4)." in points
    )
    assert not any(ch.isdigit() and "%" in p for p in points for ch in p)


flag = st.sampled_from([True, False, None])


@settings(max_examples=15, deadline=None)
@given(
    groups=st.lists(
        st.tuples(
            st.sampled_from([SANDWELL, BIRMINGHAM, WALSALL]), st.integers(1, 12), flag, flag, flag
        ),
        min_size=1,
        max_size=12,
    )
)
def test_talking_points_never_mention_a_suppressed_category(groups: list[tuple]) -> None:
    rows = []
    for la, n, debt, housing, transport in groups:
        rows += people(
            la, n, barrier_debt=debt, barrier_housing=housing, barrier_transport=transport
        )
    ds = dataset(rows)
    for la in (SANDWELL, "all"):
        sel = Selection(la=la, mode="presenter")
        points = " ".join(tables.talking_points(ds, sel))
        barriers = tables.barriers(ds, sel).frame
        hidden = barriers[(barriers["area_code"] == la) & barriers["label"].str.startswith("[")]
        for key in hidden["category_key"]:
            assert barrier_label(key).lower() not in points.lower()
        shares = tables.la_shares(ds, sel).frame
        if la != "all" and shares.set_index("area_code")["label"].get(la, "[c]").startswith("["):
            assert "of the area's participants" not in points
        for title in (
            tables.barriers(ds, sel).title,
            tables.characteristic(ds, sel, "age_band").title,
        ):
            for key in hidden["category_key"]:
                assert barrier_label(key) not in title
