"""The interface pages use: safe tables, end to end from a small dataset."""

from __future__ import annotations

import pandas as pd
import pytest

from insight.core import geo
from insight.core.selection import Selection
from insight.core.thresholds import Thresholds
from insight.numbers import tables
from insight.numbers.disclosure import SAFE_COLUMNS
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, WALSALL, dataset, people

SAFE = list(SAFE_COLUMNS)


def area():
    rows = (
        people(SANDWELL, 20, barrier_mental_health=True, age_band="50+")
        + people(SANDWELL, 20, barrier_debt=True, barrier_mental_health=None)
        + people(BIRMINGHAM, 60, service_skills_training=True, barrier_debt=True)
        + people(BIRMINGHAM, 17, gender="Male", start_month="2025-11")
        + people(WALSALL, 3, start_month="2025-11")
    )
    entries = pd.DataFrame(
        {
            "la_code": [SANDWELL] * 12 + [BIRMINGHAM] * 30,
            "sector": ["Retail"] * 12 + ["Care"] * 30,
            "month": ["2025-03"] * 42,
            "employer": ["Acme"] * 12 + ["Beta"] * 25 + ["Small Co"] * 5,
        }
    )
    provision = pd.DataFrame(
        {
            "organisation": ["Org A", "Org B"],
            "service": ["Debt advice", "Counselling"],
            "la_code": ["ALL", SANDWELL],
            "month": ["2025-02", "2025-03"],
            "capacity": [10, 40],
            "planned_referrals": [13, 3],
            "funded_by": ["local", "other"],
        }
    )
    return dataset(rows, job_entries=entries, local_provision=provision)


def every_table(ds, sel):
    return [
        *(
            tables.characteristic(ds, sel, c)
            for c in ("age_band", "gender", "ethnicity", "disability")
        ),
        tables.barriers(ds, sel),
        tables.services(ds, sel),
        tables.barrier_by_age(ds, sel, "debt"),
        tables.trend(ds, sel, "barrier", "debt", "month"),
        tables.trend(ds, sel, "service", "skills_training", "quarter"),
        tables.la_shares(ds, sel),
        tables.hotspot(ds, sel),
        tables.barrier_by_la(ds, sel, "debt"),
        tables.service_by_la(ds, sel, "skills_training"),
        tables.vacancies(ds, sel, "sector"),
        tables.vacancies(ds, sel, "la"),
        *(tables.job_entries(ds, sel, by) for by in ("sector", "employer", "la")),
        tables.provision(ds, sel),
    ]


@pytest.mark.parametrize("la", [SANDWELL, "all"])
def test_presenter_frames_have_no_count_base_or_total_column(la: str) -> None:
    for table in every_table(area(), Selection(la=la, mode="presenter")):
        extra = ["over_capacity"] if table.key == "provision" else []
        assert list(table.frame.columns) == SAFE + extra, table.key
        assert table.mode == "presenter"


def test_standard_mode_adds_rounded_counts_only_where_the_annex_allows() -> None:
    ds, sel = area(), Selection(la=SANDWELL, mode="standard")
    with_counts = {t.key: t for t in every_table(ds, sel) if set(t.frame.columns) - set(SAFE)}
    assert set(with_counts) == {"barriers", "provision"}
    barriers = with_counts["barriers"].frame.set_index(["area_code", "category_key"])
    assert barriers.loc[(SANDWELL, "debt"), "count"] == "20"
    # Walsall's 3 participants make every debt figure for Walsall [c], so Walsall's count is
    # hidden; the whole area's 80 minus Sandwell's and Birmingham's counts would give it back.
    assert barriers.loc[("all", "debt"), "count"] == "[c]"
    provision = with_counts["provision"].frame.set_index("category_key")
    assert provision.loc[
        "Org A|Debt advice", ["label", "planned_referrals", "capacity"]
    ].tolist() == ["130%", "15", "10"]
    assert bool(provision.loc["Org A|Debt advice", "over_capacity"])
    assert provision.loc["Org B|Counselling", ["label", "planned_referrals"]].tolist() == [
        "[c]",
        "[c]",
    ]


def test_shares_and_titles_by_hand() -> None:
    ds, sel = area(), Selection(la=SANDWELL)
    barriers = tables.barriers(ds, sel)
    # Issue 10 had the headline say mental health is reported more (100% against 20%); issue 23's
    # small-base rule: Sandwell's mental health share is of 20 people (under 30), so it is not
    # ranked at all, and the headline describes. Sandwell has 40 participants: no marker.
    assert barriers.title == "Barriers reported by participants in Sandwell"
    assert barriers.caution == ""
    rows = barriers.frame.set_index(["area_code", "category_key"])["label"]
    assert rows[(SANDWELL, "mental_health")] == "100%"  # 20 of the 20 with an answer
    assert rows[(SANDWELL, "debt")] == "50%"
    assert rows[("all", "debt")] == "67%"  # 80 of 120
    assert barriers.multi_response and barriers.notes
    assert (
        barriers.subtitle
        == "Share of participants reporting each barrier, January 2025 to December 2025"
    )
    age = tables.characteristic(ds, sel, "age_band")
    assert age.frame.groupby("area_code")["value"].sum().to_dict() == {
        SANDWELL: 100.0,
        "all": 100.0,
    }
    assert "Sandwell" in age.alt_text and "50%" in age.alt_text


def test_la_shares_and_hotspot_by_hand() -> None:
    ds, sel = area(), Selection(la=SANDWELL, mode="presenter")
    shares = tables.la_shares(ds, sel).frame.set_index("area_code")
    # Walsall's 3 of 120 is [c], so the next smallest (Sandwell, 40) goes with it
    assert shares["label"].to_dict() == {BIRMINGHAM: "64%", SANDWELL: "[c]", WALSALL: "[c]"}
    hot = tables.hotspot(ds, sel)
    assert hot.unit == "index"
    frame = hot.frame.set_index("area_code")
    pop = geo.population([BIRMINGHAM, SANDWELL, WALSALL])
    expected = round(100 * (77 / 120) / (pop[BIRMINGHAM] / pop.sum()))
    assert frame.loc[BIRMINGHAM, "label"] == str(expected)
    assert frame.loc[SANDWELL, "label"] == "[c]" and frame.loc[WALSALL, "label"] == "[c]"
    assert hot.symbols == ("[c]",)


def test_stricter_thresholds_suppress_more() -> None:
    ds_loose = area()
    strict = dataset(
        ds_loose.participants.drop(columns=["participant_id", "start_month_index"]).to_dict(
            "records"
        ),
        thresholds=Thresholds(min_base=30, min_cell=25),
    )
    for la in (SANDWELL, "all"):
        sel = Selection(la=la)
        loose = sum(int(t.frame["suppressed"].sum()) for t in every_table(ds_loose, sel)[:13])
        tight = sum(int(t.frame["suppressed"].sum()) for t in every_table(strict, sel)[:13])
        assert tight > loose


def test_an_la_with_no_participants_says_so() -> None:
    ds = area()
    sel = Selection(la="E08000027")  # Dudley: not in the dataset
    table = tables.characteristic(ds, sel, "gender")
    assert table.is_empty
    assert (
        table.empty_message == "No participants started in Dudley in January 2025 to December 2025."
    )
    assert set(table.frame["area_code"]) == {"all"}
    assert tables.talking_points(ds, sel) == []


def test_an_empty_period_says_so() -> None:
    ds = dataset(people(SANDWELL, 30, start_month="2025-01"))
    sel = Selection(la=SANDWELL, period="latest_quarter")
    for table in (tables.barriers(ds, sel), tables.characteristic(ds, sel, "age_band")):
        assert (
            table.empty_message
            == "No participants started in Sandwell in October 2025 to December 2025."
        )
        assert table.frame.empty
    assert tables.la_shares(ds, sel).is_empty
    assert tables.trend(ds, sel, "barrier", "debt").frame["label"].eq("[x]").all()


def test_missing_optional_tables_say_so() -> None:
    ds = dataset(people(SANDWELL, 30))
    sel = Selection(la=SANDWELL)
    assert (
        tables.vacancies(ds, sel, "sector").empty_message == "This dataset has no vacancies table."
    )
    assert (
        tables.job_entries(ds, sel, "la").empty_message == "This dataset has no job_entries table."
    )
    assert tables.provision(ds, sel).empty_message == "This dataset has no local_provision table."
    assert tables.plans(ds, sel).empty and tables.insights(ds, sel).empty


def test_job_entries_by_employer_group_small_employers() -> None:
    ds = area()
    table = tables.job_entries(ds, Selection(la="all"), "employer")
    rows = table.frame.set_index("category_key")["label"].to_dict()
    assert rows == {"Beta": "60%", "Acme": "29%", "Other employers": "12%"}
    assert table.title == "Beta has the largest share of job entries in Test Area"
    none_here = tables.job_entries(ds, Selection(la=WALSALL), "sector")
    assert (
        none_here.empty_message
        == "No job entries recorded in Walsall in January 2025 to December 2025."
    )


def _plans() -> pd.DataFrame:
    """Two commissioning plans: one for every LA, one for Birmingham."""
    return pd.DataFrame(
        {
            "title": ["Debt hub", "Bus passes"],
            "description": ["Advice", "Travel"],
            "la_codes": [("ALL",), (BIRMINGHAM,)],
            "barrier": ["debt", None],
            "start_month": ["2025-02", "2026-01"],
            "end_month": ["2025-06", "2026-03"],
            "status": ["in_progress", "planned"],
        }
    )


def test_plans_and_insights_touching_the_selection() -> None:
    plans = _plans()
    ds = dataset(people(SANDWELL, 30), commissioning_plans=plans)
    sandwell = tables.plans(ds, Selection(la=SANDWELL))
    assert sandwell.to_dict("records") == [
        {
            "title": "Debt hub",
            "description": "Advice",
            "las": "All Local Authorities",
            "barrier": "Debt and financial issues",
            "start": "Feb 2025",
            "end": "Jun 2025",
            "status": "In progress",
        }
    ]
    assert len(tables.plans(ds, Selection())) == 2


def test_commissioning_texts_are_made_once_per_la_and_filters() -> None:
    """Plans and insights read the LA and the filters, not the period or the mode: each is made
    once per LA and filters and served to every period and mode; another LA, other filters or
    another dataset object gets its own, and forgetting the dataset makes them afresh, equal."""
    from insight.numbers import pipeline

    plans = _plans()
    insights = pd.DataFrame(
        {
            "category": ["what_works", "employer_engagement"],
            "title": ["Peer groups", "Warehouse days"],
            "text": ["Met weekly", "Open days"],
            "la_codes": [(SANDWELL,), ("ALL",)],
        }
    )
    ds = dataset(
        people(SANDWELL, 30) + people(BIRMINGHAM, 30),
        commissioning_plans=plans,
        insights=insights,
    )
    first = tables.plans(ds, Selection(SANDWELL, "whole", "standard"))
    assert tables.plans(ds, Selection(SANDWELL, "latest_quarter", "presenter")) is first
    assert list(first["title"]) == ["Debt hub"]
    birmingham = tables.plans(ds, Selection(BIRMINGHAM, "whole", "standard"))
    assert list(birmingham["title"]) == ["Debt hub", "Bus passes"]
    works = tables.insights(ds, Selection(SANDWELL), ("what_works",))
    assert (
        tables.insights(ds, Selection(SANDWELL, "latest_month", "presenter"), ("what_works",))
        is works
    )
    assert list(works["title"]) == ["Peer groups"]
    employers = tables.insights(ds, Selection(SANDWELL), ("employer_engagement",))
    assert list(employers["title"]) == ["Warehouse days"]
    assert list(tables.insights(ds, Selection(BIRMINGHAM), ("what_works",))["title"]) == []
    # another dataset object with other plans never sees the first one's
    other = dataset(people(SANDWELL, 30), commissioning_plans=plans.iloc[1:])
    assert list(tables.plans(other, Selection(SANDWELL))["title"]) == []
    pipeline.forget(ds)
    again = tables.plans(ds, Selection(SANDWELL, "whole", "standard"))
    assert again is not first and again.equals(first)


def test_headlines_are_shares_only() -> None:
    heads = tables.headlines(area(), Selection(la=SANDWELL))
    assert heads[0].value == "[c]"
    assert all(h.value.endswith("%") or h.value.startswith("[") for h in heads)
    assert any(h.comparison.startswith("Whole area: ") for h in heads)


def test_the_bundled_sample_end_to_end(sample_dir) -> None:
    load = pytest.importorskip("insight.intake.load")
    if not (sample_dir / "dataset.toml").exists():
        pytest.skip("no bundled sample yet")
    ds = load.load_dataset(sample_dir)
    la = ds.la_codes[0]
    for mode in ("presenter", "standard"):
        for table in every_table(ds, Selection(la=la, period="latest_quarter", mode=mode)):
            assert table.title and table.subtitle
            if mode == "presenter":
                assert not {"count", "base", "planned_referrals", "capacity"} & set(table.frame)
    assert tables.talking_points(ds, Selection(la=la))


def test_a_presenter_mode_safe_table_cannot_be_made_with_a_count_column() -> None:
    """One rule for what a count is (insight.numbers.disclosure.COUNT_COLUMNS), enforced where the safe
    table is made: every count column refuses a presenter-mode table, and standard mode may carry
    the counts the annex allows."""
    import pandas as pd

    from insight.numbers.safe_table import COUNT_COLUMNS, CountInPresenterMode, SafeTable

    for column in sorted(COUNT_COLUMNS):
        frame = pd.DataFrame({"area_code": ["E08000028"], "label": ["40%"], column: [25]})
        with pytest.raises(CountInPresenterMode, match=column):
            SafeTable("probe", "Title", "Subtitle", frame, "presenter")
        assert SafeTable("probe", "Title", "Subtitle", frame, "standard").frame.shape == (1, 3)
    shares = pd.DataFrame({"area_code": ["E08000028"], "label": ["40%"], "value": [40.0]})
    assert SafeTable("probe", "Title", "Subtitle", shares, "presenter").mode == "presenter"


# --- one build per dataset, selection and arguments (insight.numbers.pipeline) -------------------
def test_a_table_is_built_once_per_dataset_selection_and_mode() -> None:
    """A measured table asked for twice is the same object; the other mode, another period or
    argument, or another dataset with the same rows gets its own, never the first one's."""
    from insight.numbers import pipeline

    ds = area()
    standard = tables.barriers(ds, Selection(SANDWELL, "whole", "standard"))
    assert tables.barriers(ds, Selection(SANDWELL, "whole", "standard")) is standard
    presenter = tables.barriers(ds, Selection(SANDWELL, "whole", "presenter"))
    assert presenter is not standard
    assert "count" in standard.frame and "count" not in presenter.frame
    assert tables.barriers(ds, Selection(SANDWELL, "latest_quarter")) is not standard
    age = tables.characteristic(ds, Selection(SANDWELL), "age_band")
    assert tables.characteristic(ds, Selection(SANDWELL), "gender") is not age
    # another dataset object (a replaced dataset) never sees the first one's tables
    fewer = dataset(people(SANDWELL, 20, barrier_mental_health=True) + people(BIRMINGHAM, 40))
    other = tables.barriers(fewer, Selection(SANDWELL, "whole", "standard"))
    assert other is not standard
    assert not other.frame.equals(standard.frame)
    pipeline.forget(ds)
    again = tables.barriers(ds, Selection(SANDWELL, "whole", "standard"))
    assert again is not standard and again.frame.equals(standard.frame)


def test_made_from_other_tables_are_made_afresh() -> None:
    """Headlines and talking points are not remembered (they are made from remembered tables):
    each call is a new list, equal to the last."""
    ds = area()
    sel = Selection(SANDWELL, mode="presenter")
    first, second = tables.talking_points(ds, sel), tables.talking_points(ds, sel)
    assert first == second and first is not second
    assert tables.headlines(ds, sel) is not tables.headlines(ds, sel)


def test_job_entries_by_each_grouping_from_the_rows_a_period_shares() -> None:
    """A period's rows are kept once per dataset for every grouping: by sector, by employer and
    by LA each still count by their own column, whichever was asked for first."""
    ds = area()
    sel = Selection(la=SANDWELL)
    keys = {
        by: set(tables.job_entries(ds, sel, by).frame["category_key"])
        for by in ("sector", "la", "employer", "sector")
    }
    assert keys["sector"] == {"Retail", "Care"}
    assert keys["employer"] == {"Acme", "Beta", "Other employers"}
    assert keys["la"] >= {SANDWELL, BIRMINGHAM}
    by_la = tables.job_entries(ds, sel, "la")
    assert tables.job_entries(ds, Selection(la=BIRMINGHAM), "la").frame.equals(by_la.frame)


def test_whether_employers_are_recorded_is_read_per_dataset() -> None:
    """Whether a dataset's job entries record employers is read once per dataset: a dataset whose
    employers are all blank says so in every selection, and another dataset object with the same
    entries and employers filled in draws its employers."""
    entries = area().job_entries
    blank = dataset(people(SANDWELL, 30), job_entries=entries.assign(employer=["  "] * 42))
    for la in (SANDWELL, BIRMINGHAM):
        table = tables.job_entries(blank, Selection(la=la), "employer")
        assert table.empty_message == "This dataset does not record employers for job entries."
    named = dataset(people(SANDWELL, 30), job_entries=entries)
    table = tables.job_entries(named, Selection(la=SANDWELL), "employer")
    assert not table.is_empty and "Acme" in set(table.frame["category_key"])
