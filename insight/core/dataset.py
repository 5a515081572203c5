"""A loaded dataset and its metadata: what passed every guard and contract check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd

from insight.core.periods import month_index, months_label
from insight.core.thresholds import DEFAULT_THRESHOLDS, Thresholds


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
    # the provider's own keys declared in dataset.toml, with their labels (key -> label)
    declared_barriers: tuple[tuple[str, str], ...] = ()
    declared_services: tuple[tuple[str, str], ...] = ()

    @property
    def start_index(self) -> int:
        return month_index(self.period_start)

    @property
    def end_index(self) -> int:
        return month_index(self.period_end)

    @property
    def period_label(self) -> str:
        return months_label(self.start_index, self.end_index)


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

    @cached_property
    def la_codes(self) -> tuple[str, ...]:
        """The LAs that have participants, in code order. Counted once per dataset (it never
        changes after its checks): every slide a follower redraws asks for it."""
        counts = self.participants["la_code"].value_counts(sort=False)
        return tuple(sorted(str(code) for code, n in counts.items() if n > 0))
