"""GOV.UK dates: one formatter for every date the app shows."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.dates import date_time, long_date, short_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01", "1 December 2026"),
        (date(2025, 7, 4), "4 July 2025"),
        ("2026-12-01T14:24:01+00:00", "1 December 2026"),
        (datetime(2026, 1, 31, 23, 59, tzinfo=UTC), "31 January 2026"),
    ],
)
def test_long_date(value, expected):
    assert long_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01T14:05:59+00:00", "14:05 on 1 December 2026"),
        ("2026-12-01T09:03:00", "09:03 on 1 December 2026"),
        (
            datetime(2026, 12, 1, 1, 5, tzinfo=timezone(timedelta(hours=2))),
            "23:05 on 30 November 2026",
        ),
        ("2026-12-01", "1 December 2026"),
    ],
)
def test_date_time_in_utc(value, expected):
    assert date_time(value) == expected


@pytest.mark.parametrize("bad", ["", "yesterday", "2026-13-01", "2026-12-01T25:00"])
def test_bad_values_say_so(bad):
    with pytest.raises(ValueError, match="not an ISO date"):
        long_date(bad)


def test_short_date_abbreviates_the_month_only():
    assert short_date("2026-07-03") == "3 Jul 2026"
    assert short_date(datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=2)))) == (
        "31 Dec 2025"
    )


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_the_extract_date_is_written_in_full_wherever_a_line_can_wrap(extracted):
    """The banner and chart footers (caveat.provenance), an image's stamp (png.stamp_lines) and a
    slide's strip (meetings) say "extracted 3 July 2026"; only the pack's page footer, one line
    that cannot wrap, abbreviates the month."""
    from insight.core.caveat import provenance
    from insight.core.dataset import Meta
    from insight.core.selection import Selection
    from insight.outputs.meetings import _without_period
    from insight.outputs.png import stamp_lines

    meta = Meta("Test Provider", "Test Area", "2025-01", "2025-12", extracted)
    full = f"extracted {extracted.day} {extracted:%B %Y}"
    assert provenance(meta).endswith(full)
    assert full in " ".join(stamp_lines(meta, Selection(), wrap=400))
    assert _without_period([provenance(meta)], meta) == [f"Test Provider · data {full}"]
    assert provenance(meta, short=True).endswith(f"extracted {short_date(extracted)}")
