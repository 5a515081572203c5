"""The slide heading's first line (insight.outputs.slide_head) and periods written in words with
their months in full (insight.core.periods), as GOV.UK writes dates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.periods import MONTHS, PERIODS, month_index, month_name, period_label
from insight.outputs.labels import text_width
from insight.outputs.slide_head import (
    AREA_REM,
    GAP_REM,
    HEAD_WIDTH,
    KICKER_REM,
    REM,
    SLACK,
    SMALLEST_AREA_REM,
    head_line,
)

_words = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=70
)


@settings(max_examples=200, deadline=None)
@given(_words, _words)
def test_the_area_and_the_period_share_one_line_or_the_period_goes_above(area, kicker):
    line = head_line(area, kicker)
    assert SMALLEST_AREA_REM <= line.area_rem <= AREA_REM
    name = text_width(area, line.area_rem * REM, bold=True) * SLACK
    beside = text_width(kicker, KICKER_REM * REM) * SLACK + GAP_REM * REM
    if not line.stacked:
        assert name + beside <= HEAD_WIDTH + 0.5, "the two fit on one line, nothing wraps"
    else:  # even the smallest name leaves no room beside it
        smallest = text_width(area, SMALLEST_AREA_REM * REM, bold=True) * SLACK
        assert smallest + beside > HEAD_WIDTH
    if text_width(area, AREA_REM * REM, bold=True) * SLACK + beside <= HEAD_WIDTH:
        assert line.area_rem == AREA_REM and not line.stacked


def test_the_sample_areas_long_name_shrinks_beside_its_period_and_a_short_one_does_not():
    """What was seen: "Where participants are · Jul 2024 to Jun 2026" wrapped onto a second line
    beside "West Midlands and the Marches (whole area)" on a 1920 x 1080 slide."""
    kicker = "Where participants are · July 2024 to June 2026"
    long = head_line("West Midlands and the Marches (whole area)", kicker)
    assert not long.stacked and long.area_rem < AREA_REM
    assert head_line("Birmingham", kicker).area_rem == AREA_REM
    assert head_line("Malvern Hills", kicker).area_rem == AREA_REM


@dataclass(frozen=True)
class _Span:
    start_index: int
    end_index: int


@given(st.integers(2000 * 12, 2100 * 12), st.integers(0, 40), st.sampled_from(list(PERIODS)))
def test_periods_in_words_write_their_months_in_full(start, length, period):
    text = period_label(_Span(start, start + length), period)
    assert re.fullmatch(r"(\w+ \d{4})( to \w+ \d{4})?", text)
    assert all(word in MONTHS for word in re.findall(r"([A-Z][a-z]+) \d{4}", text))
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b", text)


def test_month_names():
    assert month_name(month_index("2025-06")) == "June 2025"
    assert period_label(_Span(month_index("2024-07"), month_index("2025-06")), "whole") == (
        "July 2024 to June 2025"
    )
    assert (
        period_label(_Span(month_index("2025-05"), month_index("2025-05")), "whole") == "May 2025"
    )
