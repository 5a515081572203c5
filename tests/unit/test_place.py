"""insight.numbers.place: official context figures, the neighbour median, comparison wording, the whole
area, and where official figures meet the provider's (never a provider count over an official
one)."""

from __future__ import annotations

import csv
import dataclasses
import statistics
from pathlib import Path

import pandas as pd
import pytest

from insight.core import geo
from insight.core.dataset import Meta
from insight.core.selection import Selection
from insight.intake.load import load_dataset
from insight.numbers import place, tables
from insight.numbers.place import beside
from insight.outputs import place_trend

ROOT = Path(__file__).resolve().parents[2]
COPY = ROOT / "sample_data" / "context"
SANDWELL = "E08000028"


def _csv_value(code: str, indicator: str, period: str) -> dict[str, str] | None:
    """A row of the committed copy read with the csv module, independent of insight.numbers.place."""
    with (COPY / "la_indicators.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if (row["area_code"], row["indicator"], row["period"]) == (code, indicator, period):
                return row
    return None


# --- figures -----------------------------------------------------------------------------------
def test_latest_figure_is_the_sources_value_with_its_unit():
    ind = place.indicators()[place.CLAIMANT]
    raw = _csv_value(SANDWELL, place.CLAIMANT, ind.latest_period)
    found = place.figure(SANDWELL, place.CLAIMANT)
    assert found.value == float(raw["value"])
    assert found.label == f"{float(raw['value']):.1f}%"
    assert found.period == ind.latest_period


def test_a_suppressed_value_is_x_with_its_reason():
    with (COPY / "la_indicators.csv").open(encoding="utf-8") as f:
        row = next(
            r for r in csv.DictReader(f) if r["status"] == "x" and r["area_code"][:3] != "E12"
        )
    found = place.figure(row["area_code"], row["indicator"], row["period"])
    assert found.label == "[x]" and found.value is None
    assert found.note == place.SUPPRESSED_NOTE


def test_an_unreliable_value_is_marked_u():
    with (COPY / "la_indicators.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["status"] == "u"]
    with_value = [r for r in rows if r["value"]]
    without = [r for r in rows if not r["value"]]
    assert without, "the copy should hold an unreliable estimate with no value"
    blank = place.figure(without[0]["area_code"], without[0]["indicator"], without[0]["period"])
    assert blank.label == "[u]" and not blank.reliable
    for r in with_value[:1]:
        shown = place.figure(r["area_code"], r["indicator"], r["period"])
        assert shown.label.endswith(" [u]") and shown.value == float(r["value"])


def test_a_missing_period_is_x_and_says_which_period():
    found = place.figure(SANDWELL, place.CLAIMANT, "1999-01-01/P1Y")
    assert found.label == "[x]"
    assert "January to December 1999" in found.note and "Sandwell" in found.note


def test_an_england_only_indicator_says_so_for_a_welsh_la():
    found = place.figure("W06000015", "travel_time_employment_centre_car")
    assert found.label == "[x]" and "covers England only" in found.note


def test_period_labels():
    assert place.period_label("2023-01-01/P1Y") == "January to December 2023"
    assert place.period_label("2025-04-30") == "April 2025"
    assert place.period_end("2023-01-01/P1Y") - place.period_end("2022-01-01/P1Y") == 12


# --- the neighbour median ----------------------------------------------------------------------
def test_neighbour_median_is_the_median_of_the_five_most_similar():
    ind = place.indicators()[place.CLAIMANT]
    with (COPY / "la_neighbours.csv").open(encoding="utf-8") as f:
        ranked = sorted(
            (int(r["rank"]), r["neighbour_code"])
            for r in csv.DictReader(f)
            if r["area_code"] == SANDWELL and r["kind"] == "global"
        )
    five = [code for _, code in ranked[:5]]
    assert place.similar(SANDWELL, "global") == five
    expected = statistics.median(
        float(_csv_value(code, place.CLAIMANT, ind.latest_period)["value"]) for code in five
    )
    found = place.neighbour_median(SANDWELL, place.CLAIMANT)
    assert found.value == pytest.approx(expected)
    assert found.note == "median of 5 similar LAs"


def test_neighbour_median_leaves_out_a_suppressed_neighbour_and_says_so():
    figures = [
        place.Figure(4.0, "4.0%", "p"),
        place.Figure(None, "[x]", "p", note=place.SUPPRESSED_NOTE),
        place.Figure(6.0, "6.0%", "p"),
        place.Figure(5.0, "5.0%", "p"),
        place.Figure(9.0, "9.0%", "p"),
    ]
    found = place.median_of(figures, "%", "p", 5)
    assert found.value == 5.5 and found.label == "5.5%"
    assert "1 of 5 have no figure" in found.note
    none = place.median_of([place.Figure(None, "[x]", "p")] * 5, "%", "p", 5)
    assert none.label == "[x]" and none.value is None


def test_neighbour_median_for_a_missing_period_is_x():
    found = place.neighbour_median(SANDWELL, place.CLAIMANT, "global", "1999-01-01/P1Y")
    assert found.label == "[x]"


def test_unknown_kind_of_similarity_is_refused_plainly():
    with pytest.raises(ValueError, match="expected one of global, economic, demographic"):
        place.similar(SANDWELL, "cultural")


def test_las_of_the_area_similar_to_each_other():
    codes = (SANDWELL, "E08000030", "E06000019")
    pairs = place.similar_within(codes, "global")
    for a, b in pairs:
        assert b in place.similar(a, "global") and a in codes and b in codes
    expected = [(a, b) for a in sorted(codes) for b in place.similar(a) if b in codes]
    assert pairs == expected


# --- comparison wording ------------------------------------------------------------------------
CLAIMANT_LOCAL = place.Figure(5.2, "5.2%", "2025-01-01/P1Y")


def test_above_and_below_without_polarity_say_no_better_or_worse():
    above = place.compare_words(
        place.CLAIMANT, CLAIMANT_LOCAL, place.Figure(4.4, "4.4%", "p"), "the West Midlands"
    )
    assert above == "above the West Midlands (4.4%)"
    below = place.compare_words(
        place.CLAIMANT, CLAIMANT_LOCAL, place.Figure(6.1, "6.1%", "p"), "Wales"
    )
    assert below == "below Wales (6.1%)"
    same = place.compare_words(
        place.CLAIMANT, CLAIMANT_LOCAL, place.Figure(5.2, "5.2%", "p"), "Wales"
    )
    assert same == "the same as Wales (5.2%)"


def test_polarity_stated_by_the_source_drives_better_or_worse():
    local = place.Figure(69.8, "69.8%", "2023-01-01/P1Y", lower=68.0, upper=71.6)
    words = place.compare_words(
        "employment_rate_16_64", local, place.Figure(76.0, "76.0%", "p"), "England"
    )
    assert words == "below England (76.0%, worse)"
    inactive = place.Figure(25.7, "25.7%", "2023-01-01/P1Y", lower=24.0, upper=27.0)
    words = place.compare_words(
        place.INACTIVITY, inactive, place.Figure(21.0, "21.0%", "p"), "England"
    )
    assert words == "above England (21.0%, worse)"
    text = place.sentence(
        place.INACTIVITY, "Sandwell", inactive, [("England", place.Figure(21.0, "21.0%", "p"))]
    )
    assert text.endswith("above England (21.0%, worse). The source counts lower as better.")


def test_a_comparator_inside_the_confidence_interval_is_similar():
    local = place.Figure(25.7, "25.7%", "2023-01-01/P1Y", lower=20.7, upper=30.7)
    words = place.compare_words(
        place.INACTIVITY, local, place.Figure(21.2, "21.2%", "p"), "the West Midlands"
    )
    assert words.startswith("similar to the West Midlands (21.2%")
    assert "better" not in words and "worse" not in words


def test_a_suppressed_comparator_is_said_not_guessed():
    other = place.Figure(None, "[x]", "2025-01-01/P1Y", note=place.SUPPRESSED_NOTE)
    words = place.compare_words(place.CLAIMANT, CLAIMANT_LOCAL, other, "Wales")
    assert words == "no figure for Wales for January to December 2025: suppressed by the source"


def test_a_suppressed_local_figure_is_said_in_the_sentence():
    local = place.Figure(None, "[x]", "2023-01-01/P1Y", note=place.SUPPRESSED_NOTE)
    assert place.compare_words(place.CLAIMANT, local, CLAIMANT_LOCAL, "Wales") == ""
    text = place.sentence(place.CLAIMANT, "Isles of Scilly", local, [("England", CLAIMANT_LOCAL)])
    assert text == (
        "Isles of Scilly's claimant count rate: no figure for January to December 2023 "
        "([x]: suppressed by the source)."
    )


def test_a_missing_period_reads_in_the_sentence():
    local = place.figure(SANDWELL, place.CLAIMANT, "1999-01-01/P1Y")
    text = place.sentence(place.CLAIMANT, "Sandwell", local, [])
    assert text.startswith(
        "Sandwell's claimant count rate: no figure for January to December 1999 ([x]: "
    )


def test_sentence_for_sandwell_reads_as_the_issue_asks():
    local = place.figure(SANDWELL, place.CLAIMANT)
    region = place.figure("E12000005", place.CLAIMANT)
    text = place.sentence(place.CLAIMANT, "Sandwell", local, [("West Midlands", region)])
    side = "above" if local.value > region.value else "below"
    assert text == (
        f"Sandwell's claimant count rate was {local.label} in January to December 2025: "
        f"{side} the West Midlands ({region.label})."
    )


def test_comparison_table_for_a_welsh_la_has_no_region():
    frame = place.comparison("W06000015")
    assert set(frame["Region"]) == {"[z]"}
    claimant = frame[frame["Indicator"] == "Claimant count rate"].iloc[0]
    assert claimant["Country"] == place.figure("W92000004", place.CLAIMANT).label
    assert "Wales" in claimant["In words"]
    assert claimant["Status"] == "Official statistics in development"


def test_older_data_is_said_in_plain_words():
    meta = Meta("P", "A", "2024-07", "2025-06", pd.Timestamp("2025-07-04").date())
    lines = place.older_than_provider(meta)
    assert any(
        line.startswith(
            "Survey-based figures stop at December 2023, before the provider's period (July 2024 to June 2025)"
        )
        for line in lines
    )
    assert any(line.startswith("Travel-time figures stop at December 2019") for line in lines)
    assert not any("Claimant" in line for line in lines), "the claimant count reaches 2025"
    early = Meta("P", "A", "2019-01", "2019-12", pd.Timestamp("2020-01-04").date())
    assert place.older_than_provider(early) == []


# --- the whole area ----------------------------------------------------------------------------
def test_whole_area_rate_is_weighted_by_working_age_population():
    codes = (SANDWELL, "E08000030", "E08000031")
    pop = geo.population(codes)
    rates = [place.figure(c, place.CLAIMANT).value for c in codes]
    expected = sum(p * r for p, r in zip(pop, rates, strict=True)) / pop.sum()
    found = place.whole_area(codes, place.CLAIMANT)
    assert found.value == round(expected, 1)
    assert "weighted by working-age population" in found.note and "not an ONS figure" in found.note


def test_whole_area_does_not_combine_medians_and_says_when_an_la_is_missing():
    codes = (SANDWELL, "E08000030")
    assert place.whole_area(codes, "gross_median_weekly_pay").label == "[z]"
    with_wales = (SANDWELL, "W06000015")
    missing = place.whole_area(with_wales, "travel_time_employment_centre_car")
    assert missing.label == "[z]"
    scilly = ("E06000053", SANDWELL)  # Isles of Scilly: APS figures suppressed
    found = place.whole_area(scilly, place.INACTIVITY)
    assert found.label == "[x]" and "Isles of Scilly" in found.note


# --- where official figures meet the provider's ------------------------------------------------
@pytest.fixture(scope="module")
def sample():
    return load_dataset(ROOT / "sample_data")


def _doubled(ds):
    """The same dataset with every participant twice: every provider count doubles, every share
    stays."""
    people = pd.concat([ds.participants, ds.participants], ignore_index=True)
    return dataclasses.replace(ds, participants=people, fingerprint=ds.fingerprint + "-doubled")


def test_claimant_hotspot_is_shares_against_shares(sample):
    """No figure divides a provider count by an official count: doubling every provider count,
    or scaling every LA's claimants alike, leaves every index as it was; and each index is the
    LA's share of participants over its share of claimants."""
    sel = Selection()
    found = tables.claimant_hotspot(sample, sel).frame.set_index("area_code")["label"]
    doubled = tables.claimant_hotspot(_doubled(sample), sel).frame.set_index("area_code")["label"]
    assert found.to_dict() == doubled.to_dict()
    counts = sample.participants["la_code"].astype(str).value_counts()
    claimants = place.claimant_weights(tuple(counts.index))
    for code in counts.index:
        share_people = counts[code] / counts.sum()
        share_claimants = claimants[code] / claimants.sum()
        assert abs(int(found[code]) - 100 * share_people / share_claimants) <= 0.5 + 1e-9


def test_claimant_hotspot_does_not_move_when_all_claimants_scale(sample, monkeypatch):
    sel = Selection()
    found = tables.claimant_hotspot(sample, sel).frame["label"].tolist()
    real = place.claimant_weights
    monkeypatch.setattr(beside, "claimant_weights", lambda codes: real(codes) * 3)
    assert tables.claimant_hotspot(sample, sel).frame["label"].tolist() == found


def test_context_beside_shares_is_the_same_whatever_the_provider_counts(sample):
    sel = Selection(la=SANDWELL)
    shares = tables.la_shares(sample, sel)
    frame = place.beside_shares(sample, sel, shares)
    twice = place.beside_shares(_doubled(sample), sel, tables.la_shares(_doubled(sample), sel))
    pd.testing.assert_frame_equal(frame, twice)
    assert (
        frame.iloc[0]["Share of participants (provider MI)"]
        == shares.frame.set_index("area_code").loc[SANDWELL, "label"]
    )
    point = place.talking_point(sample, sel, shares)
    assert point == place.talking_point(
        _doubled(sample), sel, tables.la_shares(_doubled(sample), sel)
    )
    region = place.figure("E12000005", place.CLAIMANT)
    local = place.figure(SANDWELL, place.CLAIMANT)
    assert point.startswith(
        f"Sandwell has {frame.iloc[0]['Share of participants (provider MI)']} of the area's participants and "
    )
    assert (
        f"its claimant rate is {local.label} (January to December 2025), above the West Midlands ({region.label})."
        in point
    )


def test_talking_point_is_left_out_for_a_suppressed_share(sample):
    sel = Selection(la=SANDWELL)
    shares = tables.la_shares(sample, sel)
    frame = shares.frame.copy()
    frame.loc[frame["area_code"] == SANDWELL, ["label", "value", "suppressed"]] = [
        "[c]",
        float("nan"),
        True,
    ]
    hidden = dataclasses.replace(shares, frame=frame)
    assert place.talking_point(sample, sel, hidden) is None
    assert place.talking_point(sample, Selection(), shares) is None, "not for the whole area"


def test_trend_figure_carries_its_source_and_status():
    fig = place_trend.trend_figure(SANDWELL, "employment_rate_16_64", "presenter", "E12000005")
    footer = fig.layout.annotations[0].text.replace("<br>", " ")
    assert "Office for National Statistics" in footer and "Open Government Licence" in footer
    assert "Official statistics in development; survey-based" in footer
    assert "not the provider's management information" in footer
    assert [t.name for t in fig.data if t.name] == ["Sandwell", "West Midlands"]
    dft = place_trend.trend_figure(SANDWELL, "travel_time_employment_centre_car", "standard")
    assert "Department for Transport" in dft.layout.annotations[0].text.replace("<br>", " ")


@pytest.mark.parametrize("keys", place.LISTED_GROUPS)
def test_each_las_figures_are_listed_in_value_order_of_the_first_indicator(keys):
    """Issue 29 item 5: every table in value order. The listed figures run from the highest
    value of the group's first indicator down, LAs without a figure for it last."""
    codes = (  # Black Country, Birmingham, the Marches and one Welsh LA (Powys)
        "E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030",
        "E08000031", "E06000019", "E06000051", "E06000020", "W06000023",
    )  # fmt: skip
    frame = place.listed(codes, keys)
    assert sorted(frame["Local Authority"]) == sorted(geo.la_name(c) for c in codes)
    by_name = {geo.la_name(c): place.figure(c, keys[0]).value for c in codes}
    values = [by_name[name] for name in frame["Local Authority"]]
    shown = [v for v in values if v is not None]
    assert shown == sorted(shown, reverse=True)
    assert values == shown + [None] * (len(values) - len(shown))  # the missing ones last
