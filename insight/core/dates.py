"""Dates and times as GOV.UK writes them: "1 December 2026", "14:05 on 1 December 2026".

Everything the app shows a person goes through these; the stores keep ISO 8601 text. Times are
UTC (where a time is shown, its label says so). The month is abbreviated ("1 Dec 2026",
`short_date`) only where a line cannot wrap: the briefing pack's running page footer, one line at
7.5 pt across the page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def _parse(value: date | datetime | str) -> date | datetime:
    if isinstance(value, date):  # datetime is a date too
        return value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not an ISO date or time: {text!r}") from exc


def long_date(value: date | datetime | str) -> str:
    """'1 December 2026' (no leading zero, month in full)."""
    day = _parse(value)
    if isinstance(day, datetime) and day.tzinfo is not None:
        day = day.astimezone(UTC)
    return f"{day.day} {day:%B %Y}"


def short_date(value: date | datetime | str) -> str:
    """'1 Dec 2026': for a line that cannot wrap (the pack's page footer) only; else long_date."""
    day = _parse(value)
    if isinstance(day, datetime) and day.tzinfo is not None:
        day = day.astimezone(UTC)
    return f"{day.day} {day:%b %Y}"


def date_time(value: date | datetime | str) -> str:
    """'14:05 on 1 December 2026' in UTC; a plain date gives the date alone."""
    moment = _parse(value)
    if not isinstance(moment, datetime):
        return long_date(moment)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment:%H:%M} on {long_date(moment)}"
