"""The narrow interface pages use: safe tables for a selection, ready to draw.

The builders are made from the registry's declarations (insight.numbers.registry): each
measures, discloses and narrates in one call, for `sel.mode`. See insight.numbers.participants
for the SafeTable frame's columns.
"""

from __future__ import annotations

from insight.numbers.commissioning import insights, plans, provision
from insight.numbers.labour_market import job_entries, vacancies
from insight.numbers.participants import (
    SYMBOLS,
    Headline,
    SafeTable,
    Unit,
    barrier_by_age,
    barrier_by_la,
    barriers,
    characteristic,
    headlines,
    hotspot,
    la_shares,
    service_by_la,
    services,
    talking_points,
    trend,
)

__all__ = [
    "SYMBOLS",
    "Headline",
    "SafeTable",
    "Unit",
    "barrier_by_age",
    "barrier_by_la",
    "barriers",
    "characteristic",
    "headlines",
    "hotspot",
    "insights",
    "job_entries",
    "la_shares",
    "plans",
    "provision",
    "service_by_la",
    "services",
    "talking_points",
    "trend",
    "vacancies",
]
