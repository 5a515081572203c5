"""insight.numbers.place's rank among all areas (issue 29 item 6): where an LA stands among the
LAs of England and Wales with a figure for the indicator and period, ties sharing a place, the
count said, the source's reliability flag beside it; and each interval rounded as its figure."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from insight.numbers import place
from insight.numbers.place import compare

COPY = Path(__file__).resolve().parents[2] / "sample_data" / "context"
SANDWELL = "E08000028"
CARDIFF = "W06000015"


def _copy_rows(indicator: str, period: str) -> dict[str, dict[str, str]]:
    """The committed copy's rows for one indicator and period, read with the csv module."""
    with (COPY / "la_indicators.csv").open(encoding="utf-8") as f:
        return {
            r["area_code"]: r
            for r in csv.DictReader(f)
            if r["indicator"] == indicator and r["period"] == period
        }


def _lads() -> set[str]:
    with (COPY / "areas.csv").open(encoding="utf-8") as f:
        return {r["area_code"] for r in csv.DictReader(f) if r["kind"] == "lad"}


def test_ties_share_a_place_and_the_nearer_end_counts() -> None:
    values = {"a": 9.0, "b": 7.5, "c": 7.5, "d": 3.0, "e": 2.0, "f": 1.0}
    assert place.rank_in(values, "a") == (1, 6, True, False)
    assert place.rank_in(values, "b") == (2, 6, True, True)
    assert place.rank_in(values, "c") == (2, 6, True, True)
    assert place.rank_in(values, "e") == (2, 6, False, False), "second lowest, not fifth highest"
    assert place.rank_in(values, "f") == (1, 6, False, False)


def test_an_area_without_a_figure_is_not_ranked_nor_counted() -> None:
    values = {"a": 2.0, "b": 1.0}
    assert place.rank_in(values, "missing") is None
    assert place.rank_in(values, "a") == (1, 2, True, False), "of the 2 with a figure"


@given(st.lists(st.integers(0, 30), min_size=1, max_size=40))
def test_a_rank_counts_those_strictly_beyond_it(raw: list[int]) -> None:
    values = {f"la{i}": v / 10 for i, v in enumerate(raw)}
    for code, mine in values.items():
        position, of, highest, joint = place.rank_in(values, code)  # type: ignore[misc]
        assert of == len(values)
        beyond = [v for v in values.values() if (v > mine if highest else v < mine)]
        assert position == len(beyond) + 1
        assert joint == (list(values.values()).count(mine) > 1)
        assert 1 <= position <= (of + 1) // 2 + 1, "counted from the nearer end"


def test_the_count_is_the_las_of_england_and_wales_with_a_figure() -> None:
    for ind in place.indicators().values():
        rows = _copy_rows(ind.key, ind.latest_period)
        expected = {
            code
            for code, r in rows.items()
            if code in _lads() and code[0] in "EW" and r["value"] != "" and r["status"] != "x"
        }
        ranked = set(compare._ranked_values(ind.key, ind.latest_period))
        assert ranked == expected, ind.key
        assert any(c.startswith("W") for c in ranked) == (ind.coverage != "England")
        assert not any(c.startswith("S") for c in ranked), "Scotland is not ranked"


def test_sandwell_and_cardiff_against_the_copy() -> None:
    ind = place.indicators()[place.CLAIMANT]
    rows = _copy_rows(ind.key, ind.latest_period)
    ew = {c: float(r["value"]) for c, r in rows.items() if c in _lads() and c[0] in "EW"}
    for code in (SANDWELL, CARDIFF):
        found = place.rank(code, place.CLAIMANT)
        assert found is not None and found.of == len(ew)
        higher = sum(1 for v in ew.values() if v > ew[code])
        lower = sum(1 for v in ew.values() if v < ew[code])
        assert found.position == min(higher, lower) + 1
        assert found.joint == (list(ew.values()).count(ew[code]) > 1)
    words = place.rank_words(SANDWELL, place.CLAIMANT)
    sandwell = place.rank(SANDWELL, place.CLAIMANT)
    assert sandwell is not None
    assert f"{place.ordinal(sandwell.position)} highest claimant count rate" in words
    assert (
        f"of the {len(ew)} LAs in England and Wales with a figure for January to December 2025"
        in words
    )


def test_an_unreliable_figure_says_so_beside_its_rank() -> None:
    key = "no_qualifications_16_64"
    period = place.indicators()[key].latest_period
    flagged = [c for c, r in _copy_rows(key, period).items() if r["status"] == "u" and r["value"]]
    assert flagged, "the copy has unreliable figures to rank"
    found = place.rank(flagged[0], key)
    assert found is not None and not found.reliable and found.short.endswith(" [u]")
    assert "(unreliable: small sample)" in place.rank_words(flagged[0], key)
    reliable = place.rank(SANDWELL, place.CLAIMANT)
    assert reliable is not None and "[u]" not in reliable.short
    assert "unreliable" not in place.rank_words(SANDWELL, place.CLAIMANT)


def test_no_rank_outside_england_and_wales_or_without_a_figure() -> None:
    assert place.rank("S12000033", place.CLAIMANT) is None
    assert "England and Wales only" in place.rank_words("S12000033", place.CLAIMANT)
    car = "travel_time_employment_centre_car"
    assert place.rank(CARDIFF, car) is None, "travel times cover England only"
    assert place.rank_words(CARDIFF, car) == "Not ranked: no figure for January to December 2019."


def test_ordinals() -> None:
    got = [place.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)]
    assert got == "1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 23rd 101st 111th 112th".split()


def _unit_and_places(shown: str) -> tuple[str, str, int]:
    """ "£1,534.13" -> ("£", "", 2); "64.6%" -> ("", "%", 1): the unit around the number and its
    decimal places."""
    found = re.fullmatch(r"([^\d]*)([\d,]+)(?:\.(\d+))?([^\d]*)", shown)
    assert found, shown
    return found[1], found[4], len(found[3] or "")


def test_every_interval_carries_its_figures_unit_and_rounding() -> None:
    """ "£577.83 to £624.97" beside "£600.50", never a bare "577.83 to 624.97"."""
    seen = set()
    for code in (SANDWELL, CARDIFF):
        frame = place.comparison(code)
        for label, value, interval in zip(
            frame["Indicator"], frame["Value"], frame["95% CI"], strict=True
        ):
            if not interval or not re.search(r"\d", value):
                continue
            low, high = interval.split(" to ")
            unit = _unit_and_places(value)
            assert _unit_and_places(low) == unit == _unit_and_places(high), (label, value, interval)
            seen.add(unit[:2])
    assert {("£", ""), ("", "%")} <= seen, "both units were tried"
    pay = place.comparison(SANDWELL).set_index("Indicator").loc["Gross median weekly pay", "95% CI"]
    assert pay.count("£") == 2 and "474.199" not in pay


def test_every_la_and_indicator_reads_true() -> None:
    """Each LA of England and Wales, each indicator: the words and the short form say the same
    rank, the right count and the flag exactly where the figure is flagged."""
    lads = sorted(c for c in _lads() if c[0] in "EW")
    for ind in place.indicators().values():
        values = compare._ranked_values(ind.key, ind.latest_period)
        for code in lads:
            found = place.rank(code, ind.key)
            words = place.rank_words(code, ind.key)
            if code not in values:
                assert found is None and words.startswith("Not ranked: no figure"), code
                continue
            assert found is not None and found.of == len(values)
            assert f"{place.ordinal(found.position)} " in found.short
            assert f" {place.ordinal(found.position)} " in words and f"the {found.of} LAs" in words
            assert found.joint == ("joint" in words) == found.short.startswith("joint")
            flagged = not place.figure(code, ind.key).reliable
            assert ("(unreliable:" in words) == flagged == found.short.endswith("[u]"), code
