"""Months and the fixed reporting periods: months as ordered whole numbers, their labels, and the
window of months each period key covers within a dataset's period."""

from __future__ import annotations

from typing import Protocol


class Span(Protocol):
    """What a period is cut from: the first and last month of a dataset's period, as month
    indices (insight.core.dataset.Meta has both). A protocol, so this module needs nothing of
    the dataset's: the dataset imports the months from here, never the other way."""

    @property
    def start_index(self) -> int: ...

    @property
    def end_index(self) -> int: ...


def month_index(text: str) -> int:
    """'2025-06' -> a whole number that orders months (year * 12 + month - 1)."""
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def month_text(index: int) -> str:
    """Inverse of `month_index`: 24305 -> '2025-06'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def month_label(index: int) -> str:
    """24305 -> 'Jun 2025': abbreviated, where a month must be short (an axis, a narrow column);
    a period written in words uses `month_name`."""
    return f"{_MONTH_NAMES[index % 12]} {index // 12}"


def month_name(index: int) -> str:
    """24305 -> 'June 2025': the month in full, as GOV.UK writes dates in words."""
    return f"{MONTHS[index % 12]} {index // 12}"


PERIODS: dict[str, str] = {
    "latest_quarter": "Latest quarter",
    "latest_6": "Latest 6 months",
    "latest_12": "Latest 12 months",
    "whole": "Whole period",
}


def period_window(meta: Span, period: str) -> tuple[int, int]:
    """(first, last) month index, inclusive, of a fixed period within the dataset's period.

    `latest_quarter` is the latest whole calendar quarter inside the period (or the last three
    months when the period holds no whole quarter); `latest_6` and `latest_12` are rolling windows
    ending at period_end; `whole` is the dataset's whole period.
    """
    start, end = meta.start_index, meta.end_index
    if period == "whole":
        return start, end
    if period == "latest_6":
        return max(start, end - 5), end
    if period == "latest_12":
        return max(start, end - 11), end
    if period == "latest_quarter":
        q_end = end - ((end % 12) + 1) % 3  # last month of the latest whole quarter
        if q_end - 2 >= start:
            return q_end - 2, q_end
        return max(start, end - 2), end
    raise ValueError(f"unknown period {period!r}; expected one of {', '.join(PERIODS)}")


def period_label(meta: Span, period: str) -> str:
    """The period in words, months in full: 'July 2024 to June 2025', or 'June 2025'."""
    first, last = period_window(meta, period)
    return months_label(first, last)


def months_label(first: int, last: int, *, short: bool = False) -> str:
    """'July 2024 to June 2025' (a month index each, inclusive); 'June 2025' for one month.
    `short` abbreviates the months ('Jul 2024 to Jun 2025') for a line that cannot wrap."""
    name = month_label if short else month_name
    if first == last:
        return name(first)
    return f"{name(first)} to {name(last)}"
