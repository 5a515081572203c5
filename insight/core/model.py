"""The few typed things every layer passes around: a loaded dataset, its metadata, the disclosure
thresholds, a validation report, and the viewer's selection (LA, period, mode).

Pages and components talk to `insight` in these terms only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd

from insight.core.contract import PROBLEMS_LISTED_PER_KIND

Mode = Literal["presenter", "standard"]
MODES: tuple[Mode, ...] = ("standard", "presenter")


# --- disclosure thresholds -------------------------------------------------------------------
@dataclass(frozen=True)
class Thresholds:
    """Disclosure control settings. The defaults are the loosest allowed; a dataset may only make
    them stricter (see `Thresholds.stricter_than_default`)."""

    min_base: int = 10  # a percentage whose base is under this is [c]
    min_cell: int = 5  # a numerator, or base minus numerator, from 1 to min_cell-1 is [c]
    round_to: int = 5  # counts, where shown at all, are rounded to a multiple of this

    def looser_than_default(self) -> list[str]:
        """Names of the settings that are looser than the defaults (each is a refusal)."""
        default = Thresholds()
        return [
            name
            for name in ("min_base", "min_cell", "round_to")
            if getattr(self, name) < getattr(default, name)
        ]


DEFAULT_THRESHOLDS = Thresholds()


# --- months ----------------------------------------------------------------------------------
def month_index(text: str) -> int:
    """'2025-06' -> a whole number that orders months (year * 12 + month - 1)."""
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def month_text(index: int) -> str:
    """Inverse of `month_index`: 24305 -> '2025-06'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_label(index: int) -> str:
    """24305 -> 'Jun 2025'."""
    return f"{_MONTH_NAMES[index % 12]} {index // 12}"


# --- metadata --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Meta:
    provider_name: str
    area_name: str
    period_start: str  # YYYY-MM
    period_end: str  # YYYY-MM
    extract_date: date
    performance_manager_email: str | None = None
    synthetic: bool = False
    thresholds: Thresholds = DEFAULT_THRESHOLDS

    @property
    def start_index(self) -> int:
        return month_index(self.period_start)

    @property
    def end_index(self) -> int:
        return month_index(self.period_end)

    @property
    def period_label(self) -> str:
        return f"{month_label(self.start_index)} to {month_label(self.end_index)}"


# --- the loaded dataset ----------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Dataset:
    """A dataset that passed every guard and contract check.

    `participants` columns after loading: participant_id (str), la_code (category, LAD 2024 codes),
    start_month (str 'YYYY-MM'), start_month_index (int32, see `month_index`), status, age_band,
    gender, ethnicity, disability (categoricals in contract order), barrier_<key> and
    service_<key> (pandas nullable 'boolean'; <NA> means unknown).
    Optional tables are None when absent. Their month columns are 'YYYY-MM' strings with a
    matching `<name>_index` int column; `la_codes` and `barriers` fields are tuples of str
    (`("ALL",)` for every LA).
    """

    meta: Meta
    participants: pd.DataFrame
    vacancies: pd.DataFrame | None = None
    job_entries: pd.DataFrame | None = None
    local_provision: pd.DataFrame | None = None
    commissioning_plans: pd.DataFrame | None = None
    insights: pd.DataFrame | None = None
    fingerprint: str = ""  # SHA-256 over the dataset's files: the cache key
    source: str = ""  # folder it was loaded from, for messages and the sharing log
    barrier_keys: tuple[str, ...] = ()
    service_keys: tuple[str, ...] = ()

    @property
    def la_codes(self) -> tuple[str, ...]:
        """The LAs that have participants, in code order."""
        counts = self.participants["la_code"].value_counts(sort=False)
        return tuple(sorted(str(code) for code, n in counts.items() if n > 0))


# --- validation report -----------------------------------------------------------------------
ProblemKind = Literal["personal_data", "performance_data", "contract", "file"]


@dataclass(frozen=True)
class Problem:
    """One reason a dataset is refused. `row` is the 1-based data row as a person counts it in a
    spreadsheet (header is row 1, so the first data row is row 2); None when the problem is about a
    whole file or column."""

    kind: ProblemKind
    file: str
    message: str
    column: str | None = None
    row: int | None = None
    para: str | None = None  # the annex paragraph behind a guard, e.g. "para 7"
    rule: str = ""  # a short stable name of the rule broken, used to group and count

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def text(self) -> str:
        suffix = f" (Annex 7.6 {self.para})" if self.para else ""
        return f"{self.where()}: {self.message}{suffix}"


_KIND_HEADINGS: dict[str, str] = {
    "personal_data": "Personal data found: the dataset is refused and nothing from it is kept",
    "performance_data": "DWP performance information found: the dataset is refused",
    "file": "Files that could not be read",
    "contract": "Contract errors",
}


@dataclass(frozen=True)
class Report:
    """What validation found. Empty `problems` means the dataset passed."""

    problems: tuple[Problem, ...] = ()
    source: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def grouped(self) -> list[tuple[str, list[Problem], int]]:
        """(heading, first problems of each rule up to the limit, number left out) per kind."""
        out: list[tuple[str, list[Problem], int]] = []
        for kind, heading in _KIND_HEADINGS.items():
            of_kind = [p for p in self.problems if p.kind == kind]
            if not of_kind:
                continue
            shown: list[Problem] = []
            left_out = 0
            per_rule: dict[str, int] = {}
            for problem in of_kind:
                seen = per_rule.get(problem.rule, 0)
                per_rule[problem.rule] = seen + 1
                if seen < PROBLEMS_LISTED_PER_KIND:
                    shown.append(problem)
                else:
                    left_out += 1
            out.append((heading, shown, left_out))
        return out

    def text(self) -> str:
        if self.ok:
            return f"{self.source or 'Dataset'}: valid."
        lines = [f"{self.source or 'Dataset'}: refused ({len(self.problems)} problems)."]
        for heading, shown, left_out in self.grouped():
            lines.append("")
            lines.append(heading + ":")
            lines.extend(f"  - {p.text()}" for p in shown)
            if left_out:
                lines.append(f"  ... and {left_out} more of the same kinds")
        return "\n".join(lines)


class DatasetRefused(Exception):
    """Raised by `insight.intake.load.load_dataset` when a dataset fails a guard or the contract."""

    def __init__(self, report: Report):
        super().__init__(report.text())
        self.report = report


# --- the viewer's selection ------------------------------------------------------------------
PERIODS: dict[str, str] = {
    "latest_quarter": "Latest quarter",
    "latest_6": "Latest 6 months",
    "latest_12": "Latest 12 months",
    "whole": "Whole period",
}
WHOLE_AREA = "all"


@dataclass(frozen=True)
class Selection:
    """What the sidebar chose: an LA code or `WHOLE_AREA`, a period key, and the mode."""

    la: str = WHOLE_AREA
    period: str = "whole"
    mode: Mode = "standard"

    @property
    def is_whole_area(self) -> bool:
        return self.la == WHOLE_AREA


def period_window(meta: Meta, period: str) -> tuple[int, int]:
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


def period_label(meta: Meta, period: str) -> str:
    first, last = period_window(meta, period)
    if first == last:
        return month_label(first)
    return f"{month_label(first)} to {month_label(last)}"


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """Order-preserving de-duplication."""
    return tuple(dict.fromkeys(values))


__all__ = [
    "DEFAULT_THRESHOLDS",
    "MODES",
    "PERIODS",
    "WHOLE_AREA",
    "Dataset",
    "DatasetRefused",
    "Meta",
    "Mode",
    "Problem",
    "Report",
    "Selection",
    "Thresholds",
    "month_index",
    "month_label",
    "month_text",
    "period_label",
    "period_window",
]
