"""Default speaker notes (insight.outputs.notes): every slide of every LA's ready-made meeting
has notes that name its area and hold no count; and over generated safe tables (hypothesis,
hidden cells included) a note never compares a hidden figure and every figure it quotes is one
the chart shows."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.symbols import CONFIDENTIAL
from insight.intake.load import load_dataset
from insight.numbers.safe_table import SafeTable
from insight.outputs import meetings, notes

SANDWELL = "E08000028"
WALSALL = "E08000030"


@pytest.fixture(scope="module")
def ds(sample_dir: Path):
    return load_dataset(sample_dir)


def _numbers_left(text: str, slide: meetings.Slide) -> list[str]:
    """Numbers in a note that are not a shown percentage: the period's words and the chart's
    own category labels ("18-24", "50+") taken out first."""
    rest = text.replace(slide.period_label, " ")
    if slide.table is not None:
        for label in sorted(map(str, slide.table.frame["category"]), key=len, reverse=True):
            rest = rest.replace(label, " ")
    rest = re.sub(r"[<>]?\d+%", " ", rest)
    return re.findall(r"\d[\d,.]*", rest)


def test_every_slide_of_every_area_has_notes_naming_it_and_no_count(ds) -> None:
    period = "latest_12"
    built: dict[tuple[str, str], meetings.Slide] = {}  # each LA's slide of each chart, once

    def slide_for(chart: str, la: str, n: int, total: int) -> meetings.Slide:
        if (chart, la) not in built:
            built[chart, la] = meetings.build_slide(ds, meetings.Item(chart, la, period), n, total)
        return built[chart, la]

    for la in ("all", *ds.la_codes):
        items = meetings.ready_made(ds, la, period)
        codes = notes.similar_las(la, ds.la_codes)
        for n, item in enumerate(items, start=1):
            slide = slide_for(item.chart, la, n, len(items))
            similar = [slide_for(item.chart, c, n, len(items)) for c in codes]
            said = notes.default_notes(slide, similar, codes)
            lines = said.split("\n")
            assert len(lines) >= 2 and all(line.strip() for line in lines), (la, item.chart)
            assert slide.area in said, (la, item.chart, said)
            assert "Ask the room" in lines[-1]
            assert not _numbers_left(said, slide), (la, item.chart, said)
            if slide.table is not None and slide.table.alt_text:
                assert slide.table.alt_text not in said  # the alt text is not the note


def test_the_presenters_own_notes_come_first(ds) -> None:
    item = meetings.Item("barriers", SANDWELL, "whole", "Thank the council for the venue")
    slide = meetings.build_slide(ds, item, 1, 1)
    said = notes.presenter_notes(item.notes, slide)
    assert said[0] == "Thank the council for the venue"
    assert said[1].startswith("The chart shows the share of participants reporting")
    assert notes.presenter_notes("  ", slide)[0].startswith("The chart shows")


def test_sandwell_beside_the_area_and_its_similar_las(ds) -> None:
    codes = notes.similar_las(SANDWELL, ds.la_codes)
    assert codes and all(c in ds.la_codes for c in codes) and SANDWELL not in codes
    item = meetings.Item("barriers", SANDWELL, "whole")
    slide = meetings.build_slide(ds, item, 1, 1)
    similar = [meetings.build_slide(ds, meetings.Item("barriers", c), 1, 1) for c in codes]
    said = notes.default_notes(slide, similar, codes)
    assert "Where Sandwell differs most from the whole area: transport or accessibility" in said
    assert "Sandwell stands out on transport or accessibility" in said
    lonely = meetings.build_slide(ds, meetings.Item("barriers", "E08000029"), 1, 1)  # Solihull
    assert "no like-for-like comparison" in notes.default_notes(lonely, [], [])


# --- generated tables --------------------------------------------------------------------------
CATEGORIES = ("Mental health", "Digital skills", "Housing", "Transport", "Childcare")
cell = st.one_of(st.integers(0, 100), st.just(None))  # None: hidden as [c]


def _slide(local: list[int | None], area: list[int | None], la: str = SANDWELL) -> meetings.Slide:
    rows = []
    for code, values in ((la, local), ("all", area)):
        for name, value in zip(CATEGORIES, values, strict=True):
            rows.append(
                {
                    "area_code": code,
                    "area": code,
                    "category_key": name.lower(),
                    "category": name,
                    "value": float("nan") if value is None else float(value),
                    "label": CONFIDENTIAL if value is None else f"{value}%",
                    "suppressed": value is None,
                }
            )
    table = SafeTable(
        key="barriers",
        title="A headline",
        subtitle="Share of participants reporting each barrier, Jul 2024 to Jun 2025",
        frame=pd.DataFrame(rows),
        mode="presenter",
        multi_response=True,
    )
    return meetings.Slide(
        number=1,
        total=1,
        chart="barriers",
        kind="chart",
        section="Barriers",
        la=la,
        area="Sandwell",
        period="whole",
        period_label="Jul 2024 to Jun 2025",
        headline=table.title,
        subtitle=table.subtitle,
        table=table,
    )


@settings(max_examples=80, deadline=None)
@given(
    local=st.lists(cell, min_size=5, max_size=5),
    area=st.lists(cell, min_size=5, max_size=5),
    similar=st.lists(st.lists(cell, min_size=5, max_size=5), max_size=3),
)
def test_notes_compare_only_shown_figures_and_quote_them_truly(local, area, similar) -> None:
    slide = _slide(local, area)
    others = [_slide(values, area, la=f"E0800003{n}") for n, values in enumerate(similar)]
    for other, n in zip(others, range(len(others)), strict=True):
        object.__setattr__(other, "area", f"Similar {'ABC'[n]}")
    said = notes.default_notes(slide, others, [o.la for o in others])
    assert "Sandwell" in said and not _numbers_left(said, slide)
    shown = {c: v for c, v in zip(CATEGORIES, local, strict=True) if v is not None}
    found = re.search(r"differs most from the whole area: ([a-z ]+), (\d+)% against (\d+)%", said)
    if found:
        name = found.group(1)
        category = next(c for c in CATEGORIES if c.lower() == name)
        at = CATEGORIES.index(category)
        assert local[at] is not None and area[at] is not None  # both shown
        assert (int(found.group(2)), int(found.group(3))) == (local[at], area[at])
        gaps = [
            abs(lv - av)
            for lv, av in zip(local, area, strict=True)
            if lv is not None and av is not None
        ]
        assert abs(local[at] - area[at]) == max(gaps) >= 3
    if not shown:
        assert "Too few people in Sandwell" in said and "differs most" not in said
    elif len(shown) < 5:
        assert "hidden as [c]" in said
