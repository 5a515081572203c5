"""The narrow interface pages use: safe tables for a selection, ready to draw.

Each builder here is made from its declaration in insight.numbers.registry and runs the one
pipeline (insight.numbers.pipeline): measure (insight.numbers.measure), disclose by the declared
rule (insight.numbers.disclosure), narrate (insight.numbers.narrative). What comes back has
already been through disclosure control for `sel.mode`: in presenter mode a SafeTable's frame has
NO count, base or total column at all. Pages and components draw these and never compute on
counts.

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
    count_note     str    beside a "[c]" count, why it is hidden (disclosure.HIDDEN_SMALL or
                          HIDDEN_LINKED); "" beside a count shown
"""

from __future__ import annotations

from insight.core.symbols import SYMBOLS
from insight.numbers.registry import build
from insight.numbers.safe_table import Headline, SafeTable, Unit

# (ds, sel): per LA, its share of the area's participants
la_shares = build("la_shares")
# (ds, sel): per LA, the hotspot index against the working-age population
hotspot = build("hotspot")
# (ds, sel): per LA, the hotspot index against the area's claimants (shares against shares)
claimant_hotspot = build("claimant_hotspot")
# (ds, sel): (official figures beside the LA shares, a talking point or None)
context_beside = build("context_beside")
# (ds, sel, name): shares by one characteristic (age_band, gender, ethnicity, disability)
characteristic = build("characteristic")
# (ds, sel): shares reporting each barrier; standard mode adds counts of need
barriers = build("barriers")
# (ds, sel): shares in each service element now
services = build("services")
# (ds, sel, by): vacancy positions by "sector" or "la"
vacancies = build("vacancies")
# (ds, sel, by): job entries by "sector", "employer" or "la"
job_entries = build("job_entries")
# (ds, sel): planned referrals against capacity
provision = build("provision")
# (ds, sel, barrier): one barrier by age band
barrier_by_age = build("barrier_by_age")
# (ds, sel, barrier): one barrier by LA
barrier_by_la = build("barrier_by_la")
# (ds, sel, service): one service element by LA
service_by_la = build("service_by_la")
# (ds, sel, kind, key, freq="quarter"): one barrier or service by start month or quarter
trend = build("trend")
# (ds, sel): the Overview's headline figures
headlines = build("headlines")
# (ds, sel): talking points in plain words
talking_points = build("talking_points")
# (ds, sel): commissioning plans touching the selection (text)
plans = build("plans")
# (ds, sel, categories=(), barrier=None, recommendation=None): qualitative insights (text)
insights = build("insights")

__all__ = [
    "SYMBOLS",
    "Headline",
    "SafeTable",
    "Unit",
    "barrier_by_age",
    "barrier_by_la",
    "barriers",
    "characteristic",
    "claimant_hotspot",
    "context_beside",
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
