"""The narrow interface pages use: safe tables for a selection, ready to draw.

Each function measures (insight.measure), discloses (insight.disclosure) and narrates
(insight.narrative) in one call. What comes back has already been through disclosure control for
`sel.mode`: in presenter mode a SafeTable's frame has NO count, base or total column at all.
Pages and components draw these and never compute on counts.

SafeTable.frame columns (one row per area x category, in display order):
    area_code      str    LA GSS code, or "all" for the whole area
    area           str    LA name, or the dataset's area name + " (whole area)"
    category_key   str    e.g. "50+", "digital_skills", "2025-04", an LA code, a sector
    category       str    display label for the category
    value          float  whole-number percentage (or index for unit "index"); NaN if not shown
    label          str    "34%", "112", or a symbol: "[c]" suppressed, "[x]" not available,
                          "[z]" not applicable
    suppressed     bool   True where label is "[c]"
  standard mode only, and only for tables where the annex allows counts (planned referrals and
  capacity; extent of need):
    count          str    count rounded to thresholds.round_to, "1,235", or "[c]"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from insight.model import Dataset, Mode, Selection

Unit = Literal["%", "index"]
SYMBOLS: dict[str, str] = {
    "[c]": "confidential: too few people to show safely",
    "[x]": "not available",
    "[z]": "not applicable",
}


@dataclass(frozen=True, eq=False)
class SafeTable:
    key: str  # stable id, e.g. "characteristic.age_band", "barrier_by_age.digital_skills"
    title: str  # headline that states the finding, from safe figures only
    subtitle: str  # the measure and the period, e.g. "Share of participants, by age band, Jul 2024 to Jun 2025"
    frame: pd.DataFrame  # see module docstring
    mode: Mode
    unit: Unit = "%"
    multi_response: bool = False  # categories can overlap (barriers, services)
    notes: tuple[str, ...] = ()  # e.g. "Participants may report more than one barrier."
    alt_text: str = ""  # a text alternative for the chart, from safe figures only
    empty_message: str = ""  # non-empty when there is nothing to show, saying why
    symbols: tuple[str, ...] = field(default=())  # symbols used in `frame.label`, for the legend

    @property
    def is_empty(self) -> bool:
        return bool(self.empty_message)


@dataclass(frozen=True)
class Headline:
    """One headline figure for the Overview: a share, never a count."""

    label: str  # "Report a mental health barrier"
    value: str  # "31%" or "[c]"
    comparison: str = ""  # "Whole area: 27%" when an LA is selected


def _todo(name: str) -> NotImplementedError:
    return NotImplementedError(f"insight.tables.{name} is not built yet")


# --- participants ----------------------------------------------------------------------------
def characteristic(ds: Dataset, sel: Selection, name: str) -> SafeTable:
    """Share of participants by one characteristic (age_band, gender, ethnicity, disability).
    Rows: the selected LA and the whole area (or the whole area alone), each summing to 100."""
    raise _todo("characteristic")


def barriers(ds: Dataset, sel: Selection) -> SafeTable:
    """Share reporting each barrier (multi-response; blanks excluded from each barrier's base).
    Rows: selected LA and whole area. Standard mode may add `count` (extent of need)."""
    raise _todo("barriers")


def barrier_by_age(ds: Dataset, sel: Selection, barrier: str) -> SafeTable:
    """Share of each age band reporting one barrier, for the selection and the whole area."""
    raise _todo("barrier_by_age")


def services(ds: Dataset, sel: Selection) -> SafeTable:
    """Share of participants in each service element now (multi-response)."""
    raise _todo("services")


def trend(
    ds: Dataset,
    sel: Selection,
    kind: Literal["barrier", "service"],
    key: str,
    freq: Literal["month", "quarter"] = "quarter",
) -> SafeTable:
    """Share reporting a barrier (or in a service) by start month or quarter, within the period.
    category_key is "YYYY-MM" or "YYYY-Qn" in time order."""
    raise _todo("trend")


def la_shares(ds: Dataset, sel: Selection) -> SafeTable:
    """Per LA (area_code = category_key = LA code): share of the area's participants. Sums to 100."""
    raise _todo("la_shares")


def hotspot(ds: Dataset, sel: Selection) -> SafeTable:
    """Per LA: hotspot index = LA share of participants / LA share of working-age population x 100
    (100 = proportionate), unit "index". Suppressed where the LA share is."""
    raise _todo("hotspot")


def barrier_by_la(ds: Dataset, sel: Selection, barrier: str) -> SafeTable:
    """Per LA: share of that LA's participants reporting the barrier."""
    raise _todo("barrier_by_la")


def service_by_la(ds: Dataset, sel: Selection, service: str) -> SafeTable:
    """Per LA: share of that LA's participants in the service element now."""
    raise _todo("service_by_la")


def headlines(ds: Dataset, sel: Selection) -> list[Headline]:
    """Overview figures: the LA's share of the area's participants, the most reported barriers,
    the share in skills training and in a work placement. Shares only, in every mode."""
    raise _todo("headlines")


def talking_points(ds: Dataset, sel: Selection) -> list[str]:
    """Plain-words talking points from safe tables only; a suppressed figure is never described."""
    raise _todo("talking_points")


# --- local labour market ---------------------------------------------------------------------
def vacancies(ds: Dataset, sel: Selection, by: Literal["sector", "la"]) -> SafeTable:
    """Share of vacancy positions by sector (selection vs whole area) or by LA. Empty table
    (with empty_message) when the dataset has no vacancies table or nothing in the period."""
    raise _todo("vacancies")


def job_entries(ds: Dataset, sel: Selection, by: Literal["sector", "employer", "la"]) -> SafeTable:
    """Share of the provider's recorded job entries by sector, employer or LA. Shares only, never
    counts, never a rate against participants (that would be a DWP job outcome rate)."""
    raise _todo("job_entries")


# --- commissioning ---------------------------------------------------------------------------
def provision(ds: Dataset, sel: Selection) -> SafeTable:
    """Per organisation (category = organisation and service): planned referrals as a percentage of
    capacity in the period (unit "%", can exceed 100). Extra column `over_capacity` (bool).
    Standard mode adds `planned_referrals` and `capacity` as rounded count labels (annex para 13
    allows these); presenter mode carries neither."""
    raise _todo("provision")


def plans(ds: Dataset, sel: Selection) -> pd.DataFrame:
    """Commissioning plans touching the selection: title, description, las (names), barrier
    (label), start, end (month labels), status (label). Text only."""
    raise _todo("plans")


def insights(
    ds: Dataset,
    sel: Selection,
    categories: tuple[str, ...] = (),
    barrier: str | None = None,
    recommendation: str | None = None,
) -> pd.DataFrame:
    """Qualitative insights touching the selection, filtered: category (label), title, text,
    las (names), barriers (labels), approach, recommendation (label). Text only."""
    raise _todo("insights")
