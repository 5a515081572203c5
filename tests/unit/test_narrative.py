"""Plain words from safe frames: fractions, titles, and talking points that never describe a
suppressed figure."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.contract import barrier_label
from insight.core.selection import Selection
from insight.numbers import tables
from insight.numbers.narrative import comparison, lead, share_words, top_title
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, WALSALL, dataset, people


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
        == "A and B are the most reported barriers in Here"
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


# --- issue 10: headlines true to the series, residual groups, LA against the whole area -------
def series(values: list[float | None], area: str = "E08000028") -> pd.DataFrame:
    return frame([(area, f"2025-Q{n + 1}", v) for n, v in enumerate(values)])


@pytest.mark.parametrize(
    ("values", "headline"),
    [
        ([20, 27, 21], "rose from 20% to 27% and fell back to 21%"),
        ([30, 22, 29], "fell from 30% to 22% and rose again to 29%"),
        ([25, 31, 19, 26], "varied between 19% and 31%, ending at 26%"),
        ([25, 26, 24, 25], "held steady at about 25%"),
        ([10, 30, 15], "rose from 10% to 15% in Sandwell, after a peak of 30%"),
        ([20, 24, 28], "rose from 20% to 28% in Sandwell"),
    ],
)
def test_trend_headline_follows_the_whole_series(values: list[float], headline: str) -> None:
    from insight.numbers.narrative import trend_title

    title = trend_title(series(values), "E08000028", "reporting debt", "Sandwell", "fallback")
    assert headline in title
    if max(values) - min(values) >= 3:
        assert "held steady" not in title, "a 3-point swing is not steady"


@pytest.mark.parametrize(
    "residual", ["Other small employers", "Other employers", "Other", "Employer not recorded"]
)
def test_a_residual_group_never_leads_a_headline(residual: str) -> None:
    rows = frame([("all", residual, 40), ("all", "Tesco", 20), ("all", "Boots", 10)])
    template = "{top} {has} the largest share of job entries"
    assert top_title(rows, "all", True, template, "Job entries by employer") == (
        "Job entries by employer"
    ), "no named employer may be called the largest while the residual group is larger"
    named_first = frame([("all", "Tesco", 45), ("all", residual, 30), ("all", "Boots", 25)])
    assert top_title(named_first, "all", True, template, "fallback") == (
        "Tesco has the largest share of job entries"
    )


def test_an_la_headline_says_how_it_differs_from_the_whole_area() -> None:
    from insight.numbers.narrative import difference_title

    rows = frame(
        [
            (SANDWELL, "Transport", 9),
            (SANDWELL, "Mental health", 31),
            (SANDWELL, "Other", 2),
            ("all", "Transport", 12),
            ("all", "Mental health", 31),
            ("all", "Other", 20),
        ]
    )
    template = (
        "{category} is reported {more} in {area} than across the area: {local} against {whole}"
    )
    assert difference_title(rows, SANDWELL, "all", template, area="Sandwell") == (
        "Transport is reported less in Sandwell than across the area: 9% against 12%"
    ), "the widest gap among named groups; 'Other' (18 points) never leads"
    same = rows.assign(label=rows["label"].where(rows["category"] != "Transport", "31%"))
    same = same[same["category"] != "Other"]
    same.loc[same["category"] == "Transport", "value"] = 31.0
    assert difference_title(same, SANDWELL, "all", template, area="Sandwell") is None


def test_la_tables_headline_compares_with_the_whole_area() -> None:
    rows = people(SANDWELL, 40, disability="Yes") + people(SANDWELL, 60) + people(BIRMINGHAM, 300)
    ds, sel = dataset(rows), Selection(la=SANDWELL, mode="presenter")
    assert tables.characteristic(ds, sel, "disability").title == (
        "More participants in Sandwell report a disability than across the area: 40% against 10%"
    )
    # everyone is 25-34 everywhere: no difference to report, and the headline says so
    assert tables.characteristic(ds, sel, "age_band").title == (
        "25-34 is the most common age band among participants in Sandwell, much as across the area"
    )
    whole = tables.characteristic(ds, Selection(mode="presenter"), "disability").title
    assert "across the area" not in whole, "the whole area is not compared with itself"


def test_alt_text_by_la_ranks_by_value_and_never_drops_the_largest() -> None:
    from insight.numbers.narrative import alt_text

    values = [5, 9, 7, 31, 6, 8, 4, 10, 3, 11, 12, 2, 1, 30, 14, None]
    rows = frame([(f"LA{n:02d}", "Transport", v) for n, v in enumerate(values)])
    text = alt_text(rows, "share reporting transport", limit=12)
    listed = text.split(". ", 1)[1]
    assert listed.startswith("LA03 31%, LA13 30%, LA14 14%"), listed
    assert "and 4 more in the table" in listed
    for dropped in ("LA12", "LA11", "LA08", "LA15"):  # the three smallest and the hidden one
        assert dropped not in listed


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=2, max_size=20))
def test_alt_text_by_la_lists_largest_first_ties_in_table_order_hidden_last(values) -> None:
    """Ties (few distinct values here) keep the table's order; hidden figures come last, in the
    table's order too."""
    from insight.numbers.narrative import alt_text

    rows = frame([(f"LA{n:02d}", "Transport", v) for n, v in enumerate(values)])
    listed = alt_text(rows, "share reporting transport", limit=len(values)).split(". ", 1)[1]
    shown = [n for n, v in enumerate(values) if v is not None]
    expected = sorted(shown, key=lambda n: -values[n]) + [
        n for n, v in enumerate(values) if v is None
    ]
    names = [item.split(" ", 1)[0] for item in listed.rstrip(".").split(", ")]
    assert names == [f"LA{n:02d}" for n in expected]
