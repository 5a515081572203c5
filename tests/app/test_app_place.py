"""The place (Labour market > The place): official context for an English and a Welsh LA and for
the whole area, in both modes, through the router. Official figures are labelled as such, with
their source and status; the provider MI caveat stays; presenter mode shows no provider count;
the Locations and Overview pages show the context beside the provider's shares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.text import literal
from insight.core import geo
from insight.core.caveat import CAVEAT, OFFICIAL_NOTE
from insight.intake.load import load_dataset
from insight.numbers import place
from insight.outputs import place_trend
from tests.app.app_scan import raw_counts, screen_numbers, screen_text
from tests.app.harness import ROOT, open_page

PAGE = "pages/labour_market/place.py"
# These pages show official statistics (claimant counts, populations) by design; under 1,000
# their numbers collide with provider counts by chance, so the screen scan here starts at 1,000.
# Every presenter text is also held to insight.numbers.presenter_text.check where it is made.
OFFICIAL_FLOOR = 1000


@pytest.fixture(params=["sample", "wales"])
def dataset(request, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """(dataset folder, an LA in it): Sandwell in the West Midlands sample, the Welsh dataset's
    largest LA."""
    folder = sample_dir if request.param == "sample" else request.getfixturevalue("wales_dir")
    monkeypatch.setenv("INSIGHT_DATASET", str(folder))
    monkeypatch.syspath_prepend(str(ROOT))
    ds = load_dataset(folder)
    code = (
        "E08000028"
        if request.param == "sample"
        else str(ds.participants["la_code"].value_counts().idxmax())
    )
    return folder, code


def shows(text: str, value: str) -> bool:
    """A figure appears as written (a dataframe) or as literal markdown (a static table)."""
    return value in text or literal(value) in text


def _words(text: str) -> str:
    """What AppTest shows of markdown written through `literal`."""
    return literal(text)


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_the_place_for_an_la(mode: str, dataset: tuple[Path, str]) -> None:
    folder, code = dataset
    at = open_page(PAGE, mode, la=code)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.startswith("The place — "), "the area is named in the heading"
    text = screen_text(at)
    assert CAVEAT in text, "the provider MI caveat banner stays"
    assert _words(OFFICIAL_NOTE) in text, "the official figures are said not to be provider MI"
    assert _words(place.SOURCE_LINE) in text
    assert "Official statistics in development" in text
    # The LA's latest claimant rate and its country's, as the source has them.
    claimant = place.figure(code, place.CLAIMANT)
    country = place.figure(place.country_of(code), place.CLAIMANT)
    assert shows(text, claimant.label) and shows(text, country.label)
    name = geo.la_name(code)
    assert _words(f"{name}'s claimant count rate was {claimant.label}") in text
    median = place.neighbour_median(code, place.CLAIMANT)
    assert shows(text, median.label)
    # Older data said in plain words (the provider's period starts after the APS stops).
    assert _words("Survey-based figures stop at December 2023") in text
    # A trend for each indicator, each with its own source line inside the figure.
    charts = at.get("plotly_chart")
    assert len(charts) == len(place.indicators())
    specs = [c.proto.spec.replace("\\u003cbr\\u003e", " ").replace("<br>", " ") for c in charts]
    assert all("Open Government Licence" in spec for spec in specs)
    if code.startswith("W"):
        assert _words("covers England only") in text, "Welsh LAs have no travel-time figures"
        assert "Wales" in text
    else:
        assert "West Midlands" in text
    if mode == "presenter":
        assert not at.get("download_button"), "presenter mode offers no download"
        counts = raw_counts(folder, OFFICIAL_FLOOR)
        leaked = sorted(int(n) for n in screen_numbers(at) if n.is_integer() and int(n) in counts)
        assert not leaked, f"provider counts on screen in presenter mode: {leaked[:10]}"
    else:
        assert at.get("download_button"), "standard mode offers the table as CSV"


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_the_place_for_the_whole_area(mode: str, dataset: tuple[Path, str]) -> None:
    folder, _ = dataset
    at = open_page(PAGE, mode)
    assert not at.exception, [e.value for e in at.exception]
    text = screen_text(at)
    ds = load_dataset(folder)
    assert _words(f"the area's {len(ds.la_codes)} LAs (weighted by working-age population)") in text
    assert "not an ONS figure" in text
    assert _words("Rank: among the LAs") not in text, (
        "the whole area is not ranked, and says nothing of it"
    )
    for code in ds.la_codes:
        assert shows(text, geo.la_name(code)), "each LA is listed"
    assert CAVEAT in text


def test_similar_kind_changes_the_neighbours(dataset: tuple[Path, str]) -> None:
    _, code = dataset
    at = open_page(PAGE, "standard", la=code)
    first = place.similar(code, "global")
    second = place.similar(code, "economic")
    assert first != second, "the test needs an LA whose neighbour lists differ"
    at.segmented_control(key="place_kind").set_value("economic").run()
    assert not at.exception
    text = screen_text(at)
    for other in second:
        assert shows(text, geo.la_name(other))


def test_locations_switches_the_hotspot_reference_to_claimants(
    sample_dir: Path, monkeypatch
) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.syspath_prepend(str(ROOT))
    at = open_page("pages/participants/locations.py", "standard", la="E08000028")
    at.radio(key="locations_measure").set_value("Hotspot index").run()
    at.radio(key="locations_reference").set_value("Claimant count").run()
    assert not at.exception, [e.value for e in at.exception]
    text = screen_text(at)
    assert "share of participants over share of claimants" in text
    assert "not a rate of participants per claimant" in text


@pytest.mark.parametrize(
    "page_path", ["pages/participants/locations.py", "pages/overview/overview.py"]
)
@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_context_beside_the_shares(
    page_path: str, mode: str, sample_dir: Path, monkeypatch
) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.syspath_prepend(str(ROOT))
    at = open_page(page_path, mode, la="E08000028")
    assert not at.exception, [e.value for e in at.exception]
    text = screen_text(at)
    claimant = place.figure("E08000028", place.CLAIMANT)
    assert _words(f"its claimant rate is {claimant.label}") in text
    assert _words("above the West Midlands") in text
    assert literal(place.SOURCE_LINE) in text
    if mode == "presenter":
        counts = raw_counts(sample_dir, OFFICIAL_FLOOR)
        leaked = sorted(int(n) for n in screen_numbers(at) if n.is_integer() and int(n) in counts)
        assert not leaked, leaked[:10]


def test_the_area_name_is_shown_as_text_not_markdown(
    tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 30 item 7: an area name holding a web address and link markdown rendered as a live
    link in the whole-area header; it is the dataset's text, shown as written."""
    import shutil

    folder = tmp_path / "linked"
    shutil.copytree(sample_dir, folder, ignore=shutil.ignore_patterns("geo", "context"))
    meta = (folder / "dataset.toml").read_text(encoding="utf-8")
    area = "See www.example.com and [this](http://evil.example)"
    lines = [
        f'area_name = "{area}"' if line.startswith("area_name") else line
        for line in meta.splitlines()
    ]
    (folder / "dataset.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("INSIGHT_DATASET", str(folder))
    monkeypatch.syspath_prepend(str(ROOT))
    at = open_page(PAGE, "standard", la="all")
    assert not at.exception, [e.value for e in at.exception]
    headers = [h.value for h in at.header]
    assert any(h.startswith(literal(area) + ":") for h in headers), headers
    assert not any("](http" in h or "www.example" in h for h in headers)


def test_a_dataset_link_is_never_echoed(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.syspath_prepend(str(ROOT))
    at = open_page(PAGE, "standard", dataset="PRaP-ranking-2nd-of-8")
    shown = " ".join(w.value for w in at.warning)
    assert "The dataset this link asks for cannot be opened" in shown
    assert "PRaP" not in shown and "ranking" not in shown


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_each_indicator_ranks_the_la_among_all_areas(mode: str, dataset: tuple[Path, str]) -> None:
    """Issue 29 items 5 and 6: each indicator's rank among the LAs of England and Wales with its
    reliability flag, intervals rounded as their figures, and no text-alternative paragraph
    printed in presenter mode (the chart's accessible name carries it)."""
    _, code = dataset
    at = open_page(PAGE, mode, la=code)
    assert not at.exception, [e.value for e in at.exception]
    text = screen_text(at)
    claimant = place.rank(code, place.CLAIMANT)
    assert claimant is not None
    assert shows(text, claimant.short), "the rank sits in the comparison table"
    assert _words(place.rank_words(code, place.CLAIMANT)) in text, "and in words"
    assert f"of the {claimant.of} LAs in England and Wales" in text
    assert _words("Rank: among the LAs of England and Wales with a figure for the period") in text
    for ind in place.indicators().values():
        found = place.rank(code, ind.key)
        assert found is None or shows(text, found.short), ind.key
    assert not at.dataframe, "static tables: long labels wrap instead of being cut"
    periods = [p for t in at.table if "Period" in t.value.columns for p in t.value["Period"]]
    assert periods and all(" " not in p for p in periods), "a period never wraps in its column"
    folded = {e.label for e in at.main.expander}
    assert ({"Each figure in words", "Each indicator over time"} <= folded) == (mode == "presenter")
    charts = at.get("plotly_chart")
    assert charts and all(" over time for " in c.proto.alt for c in charts)
    printed = [c.value for c in at.main.caption if c.value.startswith("Text alternative")]
    if mode == "presenter":
        assert not printed, "presenter mode prints no text alternatives"
        assert all(
            place_trend.trend_alt(code, k)[:20] in " ".join(c.proto.alt for c in charts)
            for k in place.indicators()
        ), "they are the charts' accessible names"
        assert "95% CI" not in text
    else:
        assert len(printed) == len(charts)
        frame = place.comparison(code)
        for interval in frame["95% CI"]:
            assert not interval or shows(text, interval)
        low = place.figure(code, "gross_median_weekly_pay").lower
        assert low is not None and shows(text, f"£{low:,.2f} to £")
        assert not re.search(r"\d\.\d{3,} to ", text), "no unrounded interval"
