"""Issue 23: every headline and talking point is true for any LA, period and dataset.

The property test builds small datasets (LAs of 5 to 60 people, charts wholly `[c]`) and reads
every headline and talking point against the figures shown: nothing suppressed is named or
ranked, nothing is ranked for an area under the small-base rule (insight.numbers.certainty), and
every "more/less" claim holds against the labels on the chart. Then the rule's arithmetic, the
grammar of ties, the official context's reliability flags, the What works cards and the labels
of one slide.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from insight.core.contract import AGE_BANDS, ETHNICITIES, GENDERS
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import place, tables
from insight.numbers.certainty import (
    COMPARISON_RULES,
    MIN_COMPARE_BASE,
    SMALL_NUMBERS,
    Apart,
    apart,
    wilson,
)
from insight.numbers.measure import participants_in
from insight.numbers.narrative import listing, mid_sentence, top_title
from insight.outputs import about, meetings
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, WALSALL, dataset, people

ROOT = Path(__file__).resolve().parents[2]
COVENTRY = "E08000026"
LAS = (SANDWELL, BIRMINGHAM, WALSALL, COVENTRY)

# Words that rank or compare one figure with another. "fewer than 1 in 20" and "fewer than 1 in
# 100" describe a single share and are taken out first.
RANKING = re.compile(
    r"\b(more|less|fewer|larger|smaller|higher|lower|most|largest|highest|much as|rose|fell|"
    r"similar|steady)\b",
    re.IGNORECASE,
)
FRACTION = re.compile(r"fewer than 1 in \d+", re.IGNORECASE)
AGAINST = re.compile(
    r"\b(more|less|larger|smaller|More|Fewer)\b.* than across the area: (\S+) against (\S+)$"
)

cohort = st.tuples(
    st.sampled_from(AGE_BANDS[:4]),
    st.sampled_from(GENDERS[:2]),
    st.sampled_from(ETHNICITIES[:3]),
    st.sampled_from(["Yes", "No"]),
    st.sampled_from([True, False, None]),  # mental health barrier
    st.booleans(),  # transport barrier
    st.booleans(),  # skills training
    st.sampled_from(["2025-02", "2025-05", "2025-08", "2025-11"]),
    st.integers(1, 30),
)
la_people = st.lists(cohort, min_size=1, max_size=4)
areas = st.dictionaries(st.sampled_from(LAS), la_people, min_size=2, max_size=3)


def build(spec: dict[str, list[tuple]]) -> object:
    rows: list[dict] = []
    for la, cohorts in spec.items():
        total = 0
        for age, gender, ethnicity, disability, mental, transport, skills, month, n in cohorts:
            n = min(n, 60 - total)  # LAs of at most 60 people
            if n <= 0:
                break
            total += n
            rows += people(
                la,
                n,
                age_band=age,
                gender=gender,
                ethnicity=ethnicity,
                disability=disability,
                barrier_mental_health=mental,
                barrier_transport=transport,
                service_skills_training=skills,
                start_month=month,
            )
        if total < 5:  # at least 5 people an LA
            rows += people(la, 5 - total, start_month="2025-05")
    return dataset(rows)


def charts(ds: object, sel: Selection) -> list[tables.SafeTable]:
    return [
        *(tables.characteristic(ds, sel, name) for name in ("age_band", "gender", "ethnicity")),
        tables.characteristic(ds, sel, "disability"),
        tables.barriers(ds, sel),
        tables.services(ds, sel),
        tables.barrier_by_age(ds, sel, "mental_health"),
        tables.trend(ds, sel, "barrier", "transport", "quarter"),
        tables.la_shares(ds, sel),
        tables.hotspot(ds, sel),
        tables.barrier_by_la(ds, sel, "transport"),
    ]


def _named(text: str, category: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(category)}(?![\w-])", text, re.IGNORECASE) is not None


def _check_chart(table: tables.SafeTable, la: str, few: bool, sizes: dict[str, int]) -> None:
    title, frame = table.title, table.frame
    local = frame[frame["area_code"] == la]
    per_la = table.key in ("la_shares", "hotspot") or table.key.startswith("barrier_by_la")
    # a suppressed figure is never named in the headline (its category, or its LA in a by-LA table)
    for _, row in frame[frame["suppressed"]].iterrows():
        name = str(row["area"] if per_la else row["category"])
        if per_la or row["area_code"] == la:
            assert not _named(title, name) or name in ("Other",), (title, name)
    # an area under the small-base rule is described, never ranked or compared, and marked; a
    # table by LA ranks only LAs of at least MIN_COMPARE_BASE people, whoever is selected
    ranks = RANKING.search(FRACTION.sub("", title))
    if per_la:
        if ranks:
            for _, row in frame.iterrows():
                if _named(title, str(row["area"])):
                    assert sizes[str(row["area_code"])] >= MIN_COMPARE_BASE, (title, sizes)
    else:
        assert not (few and ranks), title
    if few:
        assert table.caution == SMALL_NUMBERS and not re.search(r"\d", table.caution)
    else:
        assert table.caution == ""
    # all or mostly [c]: the headline says only that too few people can be shown
    if not per_la and not local.empty:
        hidden = int(local["suppressed"].sum())
        if hidden * 2 > hidden + int(local["value"].notna().sum()) and hidden:
            assert title.startswith("Too few participants in "), title
    # every "more/less ... : a against b" claim holds against the labels shown
    found = AGAINST.search(title)
    if found:
        word, mine, theirs = found.groups()
        assert word.lower() in ("more", "larger") or word in ("less", "smaller", "Fewer")
        bigger = word.lower() in ("more", "larger")
        mine_n, theirs_n = float(mine.rstrip("%")), float(theirs.rstrip("%"))
        assert (mine_n > theirs_n) if bigger else (mine_n < theirs_n), title
        assert f"{mine}" in set(local["label"]), (title, list(local["label"]))
        assert not few
    if "much as across the area" in title:
        assert not few and not local["suppressed"].any(), title


THIRTEEN = (("25-34", "Female", "White", "No", True, True, True, "2025-05", 13),)
FIVE = (("25-34", "Male", ETHNICITIES[1], "Yes", None, False, False, "2025-02", 5),)
FIFTY = (
    ("50+", "Female", "White", "No", False, False, False, "2025-05", 30),
    ("18-24", "Male", ETHNICITIES[2], "Yes", True, True, True, "2025-11", 20),
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a shrink would take minutes
)
@given(spec=areas, period=st.sampled_from(["whole", "latest_quarter"]))
@example(spec={SANDWELL: list(THIRTEEN), BIRMINGHAM: list(FIFTY)}, period="whole")
@example(spec={SANDWELL: list(FIVE), WALSALL: list(FIFTY), COVENTRY: list(FIFTY)}, period="whole")
def test_no_headline_ranks_a_hidden_or_small_figure(spec: dict, period: str) -> None:
    """For every LA (5 to 60 people) and the whole area: every chart's headline and the talking
    points name no suppressed figure, rank nothing for an area under the small-base rule (which
    carries the marker), say only "too few" for a mostly `[c]` chart, and every "more/less"
    claim holds against the labels shown."""
    ds = build(spec)
    sizes = {la: participants_in(ds, period, la) for la in (*spec, WHOLE_AREA)}
    for la, n in sizes.items():
        if n == 0:
            continue
        few = n < MIN_COMPARE_BASE
        sel = Selection(la=la, period=period, mode="presenter")
        for table in charts(ds, sel):
            if not table.is_empty:
                _check_chart(table, la, few, sizes)
        for point in tables.talking_points(ds, sel):
            assert not (few and RANKING.search(FRACTION.sub("", point))), point
            assert "[c]" not in point


# --- the rule's arithmetic ----------------------------------------------------------------------
def test_wilson_interval_matches_the_textbook_values() -> None:
    low, high = wilson(np.array([0, 8]), np.array([10, 13]))
    assert low[0] == pytest.approx(0.0, abs=1e-9) and high[0] == pytest.approx(0.2775, abs=1e-4)
    assert low[1] == pytest.approx(0.3552, abs=1e-3) and high[1] == pytest.approx(0.8229, abs=1e-3)


def _raw(rows: list[tuple[str, str, int, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = pd.DataFrame(rows, columns=["area_code", "category_key", "count", "base"])
    safe = raw.assign(value=100 * raw["count"] / raw["base"])[
        ["area_code", "category_key", "value"]
    ]
    return raw, safe


def test_a_thirteen_person_la_is_not_ranked_against_the_area() -> None:
    raw, safe = _raw([("la", "interview", 8, 13), ("all", "interview", 330, 1000)])
    assert not apart(raw, safe)(("la", "interview"), ("all", "interview"))
    raw, safe = _raw([("la", "interview", 40, 60), ("all", "interview", 330, 1000)])
    assert apart(raw, safe)(("la", "interview"), ("all", "interview"))
    # enough people but overlapping intervals: no ranking either
    raw, safe = _raw([("la", "interview", 12, 35), ("all", "interview", 300, 1000)])
    assert not apart(raw, safe)(("la", "interview"), ("all", "interview"))
    # a hidden cell is never apart from anything
    hidden = safe.assign(value=[np.nan, 33.0])
    raw, _ = _raw([("la", "interview", 40, 60), ("all", "interview", 330, 1000)])
    assert not apart(raw, hidden)(("la", "interview"), ("all", "interview"))


def test_a_small_la_gets_the_marker_and_a_plain_headline() -> None:
    rows = people(SANDWELL, 13, service_skills_training=True) + people(SANDWELL, 0)
    rows += people(BIRMINGHAM, 300) + people(BIRMINGHAM, 100, service_skills_training=True)
    ds = dataset(rows)
    table = tables.services(ds, Selection(la=SANDWELL, mode="presenter"))
    assert table.caution == SMALL_NUMBERS
    assert "more" not in table.title and "less" not in table.title, table.title
    slide = meetings.build_slide(ds, meetings.Item("services", SANDWELL), 1, 1)
    assert slide.caution == SMALL_NUMBERS
    big = tables.services(ds, Selection(la=BIRMINGHAM, mode="presenter"))
    assert big.caution == ""


def test_an_all_hidden_chart_says_only_that_too_few_can_be_shown() -> None:
    # 3 ethnic groups of 2 to 4 people in Sandwell: every cell is [c]
    rows = people(SANDWELL, 3, ethnicity="White") + people(SANDWELL, 4, ethnicity=ETHNICITIES[2])
    rows += people(SANDWELL, 2, ethnicity=ETHNICITIES[1]) + people(BIRMINGHAM, 200)
    ds = dataset(rows)
    table = tables.characteristic(ds, Selection(la=SANDWELL, mode="presenter"), "ethnicity")
    assert table.frame.query("area_code == @SANDWELL")["suppressed"].all()
    assert table.title == "Too few participants in Sandwell to show figures by ethnicity"


def test_the_rules_are_on_the_about_page_and_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    body = "\n".join(text for _, text in about.sections(None, "presenter"))
    for rule in COMPARISON_RULES:
        assert rule in readme, rule
        assert rule in body, rule


# --- ties ---------------------------------------------------------------------------------------
def test_ties_are_written_as_english() -> None:
    assert listing(["A"]) == "A"
    assert listing(["A", "B"]) == "A and B"
    assert listing(["A", "B", "C"]) == "A, B and C"
    assert listing(["White", "Black, Black British, Caribbean or African", "Asian"]) == (
        "White; Black, Black British, Caribbean or African; and Asian"
    )
    assert mid_sentence("Addiction or substance misuse") == "addiction or substance misuse"
    assert mid_sentence("ESOL classes") == "ESOL classes"
    assert mid_sentence("English language") == "English language"
    rows = pd.DataFrame(
        {
            "area_code": ["la"] * 4,
            "area": ["la"] * 4,
            "category_key": ["substance", "motivation", "housing", "debt"],
            "category": ["Addiction or substance misuse", "Motivation", "Housing", "Debt"],
            "value": [31.0, 31.0, 31.0, 12.0],
            "label": ["31%", "31%", "31%", "12%"],
            "suppressed": [False] * 4,
        }
    )
    template = "{top} {is_} the most reported barrier{s}{shown} in Here"
    assert top_title(rows, "la", False, template, "x", common=True) == (
        "Addiction or substance misuse, motivation and housing are the most reported barriers "
        "in Here"
    )
    # LA names are proper nouns: kept as they are
    by_la = rows.assign(category=["Sandwell", "Walsall", "Dudley", "Coventry"])
    assert top_title(by_la, None, True, "The largest shares are in {top}", "x") == (
        "The largest shares are in Sandwell, Walsall and Dudley"
    )
    # nothing stands apart under the rule: no "most" at all
    assert top_title(rows, "la", False, template, "fallback", apart=Apart()) == "fallback"


# --- official context: the source's quality marks -----------------------------------------------
MALVERN_HILLS = "E07000235"


def test_a_figure_the_source_notes_as_unreliable_is_flagged() -> None:
    found = place.figure(MALVERN_HILLS, place.INACTIVITY)
    assert not found.reliable and found.label.endswith("[u]"), found
    row = place.comparison(MALVERN_HILLS).set_index("Indicator").loc["Economic inactivity rate"]
    words = row["In words"]
    assert "better" not in words.replace("better or worse", "") and "worse)" not in words
    assert "unreliable" in words and "sample size is small" in words, words


def test_overlapping_intervals_are_similar_never_better_or_worse() -> None:
    local = place.Figure(70.0, "70.0%", "2023-01-01/P1Y", lower=65.0, upper=75.0)
    other = place.Figure(77.0, "77.0%", "2023-01-01/P1Y", lower=74.0, upper=80.0)
    words = place.compare_words("employment_rate_16_64", local, other, "the West Midlands")
    assert words.startswith("similar to the West Midlands"), words
    apart_ = place.Figure(82.0, "82.0%", "2023-01-01/P1Y", lower=81.0, upper=83.0)
    words = place.compare_words("employment_rate_16_64", local, apart_, "England")
    assert words == "below England (82.0%, worse)"
    shaky = place.Figure(90.0, "90.0% [u]", "2023-01-01/P1Y", reliable=False, note="x")
    words = place.compare_words("employment_rate_16_64", local, shaky, "its similar LAs")
    assert "better" not in words and "worse" not in words and "unreliable" in words, words


def test_the_context_copy_marks_every_row_its_source_notes_as_unreliable() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_context", ROOT / "scripts" / "build_context.py"
    )
    assert spec is not None and spec.loader is not None
    build_context = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_context)
    note = "Estimate and confidence interval unreliable since the group sample size is small (3-9)"
    assert build_context.status_of_row("", note) == "u"
    assert build_context.status_of_row("x", note) == "x"
    assert build_context.status_of_row("", "") == ""
    copy = pd.read_csv(place.CONTEXT_DIR / "la_indicators.csv", dtype=str, keep_default_na=False)
    noted = copy[copy["notes"].str.contains("unreliable", case=False)]
    assert len(noted) and set(noted["status"]) <= {"u", "x"}


# --- what works, and one slide's labels -----------------------------------------------------------
def _cards(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"category": c, "title": t, "text": t, "las": las, "recommendation": r}
            for c, r, las, t in [(c, r, las, f"card {i}") for i, (c, r, las) in enumerate(rows)]
        ]
    )


WORKS, IMPROVE = "What works", "What could be improved"


def test_what_works_shows_both_kinds_balanced_the_las_own_first() -> None:
    frame = _cards(
        [
            (IMPROVE, "Stop", "All Local Authorities"),
            (IMPROVE, "Improve", "Sandwell"),
            (IMPROVE, "Improve", "Sandwell"),
            (WORKS, "Continue", "All Local Authorities"),
            (WORKS, "Buy more", "Sandwell"),
            (WORKS, "Increase", "All Local Authorities"),
        ]
    )
    cards, missing = meetings.balanced_cards(frame, "Sandwell")
    assert list(cards["category"]) == [WORKS, WORKS, IMPROVE] and missing == ""
    assert list(cards["recommendation"]) == ["Buy more", "Increase", "Improve"]
    only_improve = frame[frame["category"] == IMPROVE]
    cards, missing = meetings.balanced_cards(only_improve, "Sandwell")
    assert len(cards) == 3 and missing == "Nothing is recorded yet about what works in Sandwell."
    cards, missing = meetings.balanced_cards(frame[frame["category"] == WORKS], "Sandwell")
    assert "what could be improved in Sandwell" in missing


def test_a_slide_names_its_period_once() -> None:
    rows = people(SANDWELL, 40, barrier_transport=True, start_month="2025-02")
    rows += people(SANDWELL, 40, start_month="2025-11") + people(WALSALL, 40)
    ds = dataset(rows, period=("2024-07", "2025-12"))
    item = meetings.Item("trend.barrier.transport.quarter", SANDWELL, "latest_12")
    slide = meetings.build_slide(ds, item, 1, 1)
    assert slide.period_label == "January 2025 to December 2025"
    assert slide.area == "Sandwell" and "Sandwell" in slide.headline
    _, strip = meetings.caveat_text(slide.table, ds.meta)
    assert ds.meta.period_label not in strip and slide.period_label not in slide.subtitle
    assert "Jul 2024" not in slide.subtitle + strip


def test_a_slide_for_another_la_is_about_that_la_throughout() -> None:
    """A chart added from a page with Walsall chosen, in a meeting made for Sandwell: the slide's
    name, headline, notes and table are all Walsall's, from the one selection of the slide."""
    rows = people(SANDWELL, 60, barrier_transport=True) + people(WALSALL, 50, disability="Yes")
    rows += people(WALSALL, 40)
    ds = dataset(rows)
    deck = meetings.slides(
        ds,
        [
            meetings.Item("barriers", SANDWELL, "latest_12"),
            meetings.Item("characteristic.disability", WALSALL, "whole"),
        ],
    )
    walsall = deck[1]
    assert walsall.area == "Walsall" and walsall.la == WALSALL
    assert "Walsall" in walsall.headline and "Sandwell" not in walsall.headline
    assert walsall.table is not None and walsall.table.title == walsall.headline
    assert set(walsall.table.frame["area_code"]) == {WALSALL, WHOLE_AREA}
    assert walsall.period_label == ds.meta.period_label and deck[0].area == "Sandwell"


def test_a_median_of_similar_las_is_as_reliable_as_its_middle_figure() -> None:
    period = "2023-01-01/P1Y"
    sure = [place.Figure(v, f"{v}%", period) for v in (10.0, 12.0, 20.0)]
    shaky = place.Figure(15.0, "15.0% [u]", period, reliable=False, note="unreliable")
    middle_shaky = place.median_of([sure[0], shaky, sure[2]], "%", period, 5)
    assert middle_shaky.label == "15.0% [u]" and not middle_shaky.reliable
    edge_shaky = place.median_of(
        [sure[0], sure[1], shaky.__class__(30.0, "30.0% [u]", period, reliable=False)],
        "%",
        period,
        5,
    )
    assert edge_shaky.label == "12.0%" and edge_shaky.reliable
    assert "includes an estimate the source flags as unreliable" in edge_shaky.note


def test_job_entries_are_ranked_only_under_the_rule() -> None:
    entries = pd.DataFrame(
        {
            "la_code": [SANDWELL] * 12 + [BIRMINGHAM] * 40,
            "sector": ["Retail"] * 8 + ["Care"] * 4 + ["Care"] * 30 + ["Retail"] * 10,
            "month": ["2025-03"] * 52,
        }
    )
    ds = dataset(people(SANDWELL, 40) + people(BIRMINGHAM, 40), job_entries=entries)
    whole = tables.job_entries(ds, Selection(mode="presenter"), "sector")
    assert whole.title == "Care has the largest share of job entries in Test Area"  # 34 of 52
    small = tables.job_entries(ds, Selection(la=SANDWELL, mode="presenter"), "sector")
    assert "largest" not in small.title, small.title  # 8 of 12 against 4 of 12: not ranked
