"""Disclosure-control thresholds: the defaults are the loosest allowed, and a dataset's
dataset.toml may only make them stricter (insight.intake.meta checks that)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """Disclosure control settings. The defaults are the loosest allowed; a dataset may only make
    them stricter (`insight.intake.meta` refuses a looser one, naming the setting)."""

    min_base: int = 10  # a percentage whose base is under this is [c]
    min_cell: int = 5  # a numerator, or base minus numerator, from 1 to min_cell-1 is [c]
    round_to: int = 5  # counts, where shown at all, are rounded to a multiple of this


DEFAULT_THRESHOLDS = Thresholds()
