"""GOV.UK dates: one formatter for every date the app shows."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from insight.core.dates import date_time, long_date


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
