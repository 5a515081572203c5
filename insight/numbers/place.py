"""Official context for a place: ONS Explore Local Statistics indicators for each LA beside its
region, its country and its most similar LAs, read from the project's own copy in
sample_data/context/ (made by scripts/build_context.py). Never reads the design folder at run
time and never imports streamlit.

These are official statistics, not the provider's management information: everything here
carries `SOURCE_LINE` (and the producer of each indicator), never the provider MI caveat as its
source. Nothing here divides a provider count by an official figure: where the two meet
(`claimant_hotspot`, `beside_shares`, `talking_point`) each side is a share of its own total,
shown side by side, or an index of one share against the other.
"""

from __future__ import annotations

import math
import statistics
import textwrap
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from insight.core import geo
from insight.core.colours import HIGHLIGHT
from insight.core.dataset import Dataset, Meta
from insight.core.periods import month_index, month_label
from insight.core.selection import Selection
from insight.numbers.certainty import few_people
from insight.numbers.measure import participants_in
from insight.numbers.narrative import capitalise, index_sure, label_of, share_words, shown
from insight.numbers.participants import index_verdict
from insight.numbers.pipeline import Measured
from insight.numbers.safe_table import SafeTable, basics, build, ordered

CONTEXT_DIR = Path(__file__).resolve().parents[2] / "sample_data" / "context"

SOURCE_LINE = (
    "Source: Office for National Statistics (Explore Local Statistics) licensed under the Open "
    "Government Licence v.3.0. Official statistics, not the provider's management information."
)
DFT_LINE = (
    "Source: Department for Transport (Journey Time Statistics, via ONS Explore Local Statistics) "
    "licensed under the Open Government Licence v.3.0. Official statistics, not the provider's "
    "management information."
)
SHORT_SOURCE = "Official statistics: ONS, OGL v3.0 (not provider MI)."

KINDS: dict[str, str] = {
    "global": "Overall (global)",
    "economic": "Economic",
    "demographic": "Demographic",
}
N_SIMILAR = 5  # the median of the five most similar LAs, as ONS Explore Local Statistics shows

# The Analysis Function's symbols for official figures.
OFFICIAL_SYMBOLS: dict[str, str] = {
    "[x]": "not available",
    "[u]": "low reliability (the source flags the estimate as unreliable)",
    "[z]": "not applicable",
}
SUPPRESSED_NOTE = "suppressed by the source"
CLAIMANT = "claimant_count_rate"
INACTIVITY = "economic_inactivity_rate_16_64"
RATE_KEYS = (CLAIMANT, "employment_rate_16_64", INACTIVITY, "unemployment_rate_modelled")


# --- the project's copy --------------------------------------------------------------------
@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str  # "%", "£" or "mins"
    polarity: str  # "higher is better", "lower is better" or "not stated in source"
    source: str  # producer
    source_url: str
    latest_period: str
    status: str  # "Official statistics in development" or "Official statistics"
    survey: str  # the survey behind it, "" when not survey-based
    coverage: str  # "England", "Great Britain", "the UK"
    description: str

    @property
    def direction(self) -> int:
        """+1 higher is better, -1 lower is better, 0 not stated in the source."""
        return {"higher is better": 1, "lower is better": -1}.get(self.polarity, 0)

    @property
    def status_text(self) -> str:
        """ "Official statistics in development; survey-based (Annual Population Survey)"."""
        return self.status + (f"; survey-based ({self.survey})" if self.survey else "")

    @property
    def short_status(self) -> str:
        """ "In development, survey" for a table on a projector; the caption spells it out."""
        short = "In development" if "in development" in self.status else "Official"
        return short + (", survey" if self.survey else "")

    @property
    def source_line(self) -> str:
        return DFT_LINE if self.source == "Department for Transport" else SOURCE_LINE


@lru_cache(maxsize=1)
def indicators() -> dict[str, Indicator]:
    """The indicators in the project's copy, in the order the source lists them."""
    frame = pd.read_csv(CONTEXT_DIR / "indicators.csv", dtype=str, keep_default_na=False)
    return {
        row["indicator"]: Indicator(
            key=row["indicator"],
            label=row["label"],
            unit=row["unit"],
            polarity=row["polarity"],
            source=row["source"],
            source_url=row["source_url"],
            latest_period=row["latest_period"],
            status=row["status"],
            survey=row["survey"],
            coverage=row["coverage"],
            description=row["description"],
        )
        for row in frame.to_dict("records")
    }


@lru_cache(maxsize=1)
def values() -> pd.DataFrame:
    """Indexed by (area_code, indicator, period): value, lower_ci, upper_ci (float, NaN where
    blank), status ("", "x" suppressed, "u" unreliable) and notes."""
    frame = pd.read_csv(
        CONTEXT_DIR / "la_indicators.csv",
        dtype={"area_code": str, "indicator": str, "period": str, "status": str, "notes": str},
        keep_default_na=False,
        na_values={"value": [""], "lower_ci": [""], "upper_ci": [""]},
    )
    return frame.set_index(["area_code", "indicator", "period"]).sort_index()


@lru_cache(maxsize=1)
def _rows() -> dict[tuple[str, str, str], tuple]:
    """(area_code, indicator, period) -> (value, lower_ci, upper_ci, status, notes): the copy as a
    dict, so a figure is one lookup (a MultiIndex .loc per figure cost a page 1.4 s a rerun)."""
    frame = values().reset_index()
    keys = zip(frame["area_code"], frame["indicator"], frame["period"], strict=True)
    rows = zip(
        frame["value"],
        frame["lower_ci"],
        frame["upper_ci"],
        frame["status"],
        frame["notes"],
        strict=True,
    )
    return dict(zip(keys, rows, strict=True))


@cache
def periods(indicator: str) -> tuple[str, ...]:
    """The indicator's periods in the copy, oldest first."""
    found = {key[2] for key in _rows() if key[1] == indicator}
    return tuple(sorted(found, key=lambda p: p.split("/")[0]))


@lru_cache(maxsize=1)
def areas() -> pd.DataFrame:
    """Indexed by area_code: area_name, kind (lad, region, country, gb), region_code,
    country_code."""
    frame = pd.read_csv(CONTEXT_DIR / "areas.csv", dtype=str, keep_default_na=False)
    return frame.set_index("area_code")


@lru_cache(maxsize=1)
def neighbours() -> pd.DataFrame:
    """area_code, neighbour_code, rank, kind: each LA's most similar GB LAs, ONS's ranks."""
    return pd.read_csv(CONTEXT_DIR / "la_neighbours.csv", dtype={"rank": int}).sort_values(
        ["area_code", "kind", "rank"]
    )


@lru_cache(maxsize=1)
def _area_facts() -> dict[str, tuple[str, str, str]]:
    """area_code -> (name, region_code, country_code)."""
    table = areas()
    return {
        str(code): (str(name), str(region), str(country))
        for code, name, region, country in zip(
            table.index,
            table["area_name"],
            table["region_code"],
            table["country_code"],
            strict=True,
        )
    }


def area_name(code: str) -> str:
    found = _area_facts().get(code)
    return found[0] if found else geo.la_name(code)


def region_of(code: str) -> str | None:
    """The LA's English region code, or None outside England."""
    found = _area_facts().get(geo.to_2024(code))
    return (found[1] or None) if found else None


def country_of(code: str) -> str | None:
    found = _area_facts().get(geo.to_2024(code))
    return (found[2] or None) if found else None


# --- periods ---------------------------------------------------------------------------------
def period_label(period: str) -> str:
    """'2023-01-01/P1Y' -> 'Jan to Dec 2023'; '2025-04-30' -> 'Apr 2025'."""
    start = period.split("/")[0]
    first = month_index(start[:7])
    if "/P1Y" in period:
        return f"{month_label(first)[:3]} to {month_label(first + 11)}"
    return month_label(first)


def period_end(period: str) -> int:
    """The last month a period covers, as a month index (insight.core.periods.month_index)."""
    first = month_index(period.split("/")[0][:7])
    return first + 11 if "/P1Y" in period else first


# --- one figure ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One official figure as shown: its value (None where there is none to show), label (the
    value with its unit, or an Analysis Function symbol), period, and why it is missing."""

    value: float | None
    label: str
    period: str
    lower: float | None = None
    upper: float | None = None
    reliable: bool = True
    note: str = ""  # "suppressed by the source", "no figure for ... in the source", ...

    @property
    def shown(self) -> bool:
        return self.value is not None


def format_value(value: float, unit: str) -> str:
    if unit == "£":
        return f"£{value:,.2f}"
    if unit == "mins":
        return f"{value:.1f} mins"
    return f"{value:.1f}%"


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def figure(code: str, indicator: str, period: str | None = None) -> Figure:
    """An area's figure for one period (the indicator's latest when None). A period the source
    has no row for, a suppressed value and an unreliable one each get their symbol and a note."""
    ind = indicators()[indicator]
    period = period or ind.latest_period
    code = geo.to_2024(code)
    row = _rows().get((code, indicator, period))
    if row is None:
        where = f"; it covers {ind.coverage} only" if ind.coverage == "England" else ""
        return Figure(
            None,
            "[x]",
            period,
            note=f"no figure for {area_name(code)} for {period_label(period)} in the source{where}",
        )
    raw_value, raw_lower, raw_upper, status, notes = row
    if status != "x" and "unreliable" in str(notes).lower():
        status = "u"  # the source's note says so even where its status column is blank
    value = _number(raw_value)
    if status == "x" or (value is None and status != "u"):
        return Figure(None, "[x]", period, note=SUPPRESSED_NOTE)
    lower, upper = _number(raw_lower), _number(raw_upper)
    if status == "u":
        note = str(notes) or "the source flags this estimate as unreliable"
        if value is None:
            return Figure(None, "[u]", period, reliable=False, note=note)
        label = f"{format_value(value, ind.unit)} [u]"
        return Figure(value, label, period, lower, upper, reliable=False, note=note)
    if value is None:  # only a [u] figure may have no value, and it returned above
        return Figure(None, "[x]", period, note=SUPPRESSED_NOTE)
    return Figure(value, format_value(value, ind.unit), period, lower, upper)


def series(code: str, indicator: str) -> list[Figure]:
    """Every period of the indicator in the project's copy, oldest first, for a small trend."""
    code = geo.to_2024(code)
    return [figure(code, indicator, p) for p in periods(indicator)]


# --- rank among all areas -------------------------------------------------------------------
RANKED_COUNTRIES = ("E", "W")  # England and Wales, as ONS Explore Local Statistics ranks them
RANKED_WHERE = "England and Wales"


@cache
def _ranked_values(indicator: str, period: str) -> dict[str, float]:
    """Every LA of England and Wales with a figure for this indicator and period (unreliable ones
    included: they have a figure), as its label shows it."""
    unit = indicators()[indicator].unit
    lads = areas().index[areas()["kind"] == "lad"]
    found: dict[str, float] = {}
    for code in lads:
        if not str(code).startswith(RANKED_COUNTRIES):
            continue
        f = figure(str(code), indicator, period)
        if f.value is not None:
            found[str(code)] = _shown_value(f.value, unit)
    return found


@dataclass(frozen=True)
class Rank:
    """Where an LA stands among the LAs of England and Wales with a figure: `position` counted
    from the highest (or the lowest, `highest` False), shared by ties (`joint`), of `of`."""

    position: int
    of: int
    highest: bool
    joint: bool
    reliable: bool = True
    note: str = ""

    @property
    def short(self) -> str:
        """ "joint 12th highest of 318" (with " [u]" for a figure the source flags)."""
        words = f"{'joint ' if self.joint else ''}{ordinal(self.position)}"
        words += f" {'highest' if self.highest else 'lowest'} of {self.of}"
        return words + ("" if self.reliable else " [u]")


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_in(values: dict[str, float], code: str) -> tuple[int, int, bool, bool] | None:
    """(position, of, highest, joint) for `code` among `values`: counted from the highest, or from
    the lowest when that is nearer; ties share a position. None when `code` has no value."""
    if code not in values:
        return None
    mine = values[code]
    above = sum(1 for v in values.values() if v > mine)
    below = sum(1 for v in values.values() if v < mine)
    joint = sum(1 for v in values.values() if v == mine) > 1
    highest = above <= below
    return (above + 1 if highest else below + 1), len(values), highest, joint


def rank(code: str, indicator: str, period: str | None = None) -> Rank | None:
    """The LA's rank among the LAs of England and Wales with a figure for the indicator and
    period (its latest by default). None outside England and Wales or where it has no figure."""
    period = period or indicators()[indicator].latest_period
    code = geo.to_2024(code)
    found = rank_in(_ranked_values(indicator, period), code)
    if found is None:
        return None
    local = figure(code, indicator, period)
    return Rank(*found, reliable=local.reliable, note=local.note)


def rank_words(code: str, indicator: str, period: str | None = None) -> str:
    """ "It has the joint 12th highest claimant count rate of the 318 LAs in England and Wales with
    a figure for Jan to Dec 2025." with the source's flag in words for an unreliable figure, and
    why there is no rank where there is none."""
    ind = indicators()[indicator]
    period = period or ind.latest_period
    found = rank(code, indicator, period)
    when = period_label(period)
    if found is None:
        if not geo.to_2024(code).startswith(RANKED_COUNTRIES):
            return f"Not ranked: the ranks cover the LAs of {RANKED_WHERE} only."
        return f"Not ranked: no figure for {when}."
    flag = "" if found.reliable else f" (unreliable: {_short_reason(found.note)})"
    side = "highest" if found.highest else "lowest"
    joint = "joint " if found.joint else ""
    return (
        f"It has the {joint}{ordinal(found.position)} {side} {phrase(indicator)} of the "
        f"{found.of} LAs in {RANKED_WHERE} with a figure for {when}{flag}."
    )


def _short_reason(note: str) -> str:
    """ "small sample" for the source's "... unreliable since the group sample size is small";
    its own reason otherwise, or "flagged by the source"."""
    text = note.lower()
    if "sample size is small" in text or "small sample" in text:
        return "small sample"
    reason = note.split(" since ", 1)[1].strip().rstrip(".") if " since " in note else ""
    return reason or "flagged by the source"


# --- similar areas ---------------------------------------------------------------------------
def similar(code: str, kind: str = "global", n: int = N_SIMILAR) -> list[str]:
    """The LA's n most similar GB LAs of this kind, most similar first (ONS's ranks)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of similarity {kind!r}; expected one of {', '.join(KINDS)}")
    table = neighbours()
    rows = table[(table["area_code"] == geo.to_2024(code)) & (table["kind"] == kind)]
    return rows["neighbour_code"].head(n).astype(str).tolist()


def median_of(figures: list[Figure], unit: str, period: str, of: int) -> Figure:
    """The median of the figures that have a value. "[x]" when none has; the note says how
    many of the LAs it is the median of, and that unreliable ones are included."""
    found = [f.value for f in figures if f.value is not None]
    if not found:
        return Figure(None, "[x]", period, note=f"none of the {of} similar LAs has a figure")
    middle = statistics.median(found)
    note = f"median of {len(found)} similar LAs"
    if len(found) < of:
        note += f" ({of - len(found)} of {of} have no figure)"
    if any(not f.reliable for f in figures if f.value is not None):
        note += "; includes an estimate the source flags as unreliable"
    # The median is as reliable as the figure(s) it is taken from (the middle one, or two).
    ranked = sorted((f for f in figures if f.value is not None), key=lambda f: f.value or 0.0)
    half = len(ranked) // 2
    middle_ones = ranked[half : half + 1] if len(ranked) % 2 else ranked[half - 1 : half + 1]
    reliable = all(f.reliable for f in middle_ones)
    label = format_value(middle, unit) + ("" if reliable else " [u]")
    return Figure(middle, label, period, reliable=reliable, note=note)


def neighbour_median(
    code: str, indicator: str, kind: str = "global", period: str | None = None
) -> Figure:
    """The median of the indicator across the LA's five most similar LAs, for the same period."""
    ind = indicators()[indicator]
    period = period or ind.latest_period
    found = [figure(other, indicator, period) for other in similar(code, kind)]
    return median_of(found, ind.unit, period, N_SIMILAR)


def similar_within(codes: tuple[str, ...], kind: str = "global") -> list[tuple[str, str]]:
    """Pairs (a, b) of the provider's own LAs where b is among a's five most similar LAs."""
    mine = {geo.to_2024(c) for c in codes}
    return [(a, b) for a in sorted(mine) for b in similar(a, kind) if b in mine]


# --- the whole area --------------------------------------------------------------------------
def whole_area(codes: tuple[str, ...], indicator: str, period: str | None = None) -> Figure:
    """The area's LAs combined, weighted by their working-age population (mid-2022), for rates
    only; "[z]" for pay and travel times (a median of medians is not a median: the LAs are
    listed instead), and "[x]" when any LA has no figure for the period."""
    ind = indicators()[indicator]
    period = period or ind.latest_period
    if ind.unit != "%":
        return Figure(None, "[z]", period, note="not combined: see each LA")
    found = [figure(c, indicator, period) for c in codes]
    missing = [geo.la_name(c) for c, f in zip(codes, found, strict=True) if f.value is None]
    if missing:
        return Figure(None, "[x]", period, note=f"no figure for {', '.join(missing)}")
    weights = geo.population(codes).to_numpy(dtype="float64")
    total = float(weights.sum())
    value = sum(w * f.value for w, f in zip(weights, found, strict=True)) / total
    value = round(value, 1)
    note = "weighted by working-age population (mid-2022); not an ONS figure"
    reliable = all(f.reliable for f in found)
    label = format_value(value, ind.unit) + ("" if reliable else " [u]")
    return Figure(value, label, period, reliable=reliable, note=note)


def common_comparator(codes: tuple[str, ...], of) -> str | None:  # noqa: ANN001
    found = {of(c) for c in codes}
    return found.pop() if len(found) == 1 else None


# --- wording ---------------------------------------------------------------------------------
def _shown_value(value: float, unit: str) -> float:
    """The value as its label shows it: pence for pay, one decimal place otherwise."""
    return round(value, 2 if unit == "£" else 1)


UNRELIABLE_WORDS = "an estimate the source flags as unreliable"


def overlapping(local: Figure, other: Figure) -> bool:
    """Do the two figures' 95% confidence intervals overlap, or does either figure lie inside
    the other's interval? Only where the source gives intervals (survey-based figures)."""
    if local.value is None or other.value is None:
        return False

    def inside(value: float, f: Figure) -> bool:
        return f.lower is not None and f.upper is not None and f.lower <= value <= f.upper

    both = None not in (local.lower, local.upper, other.lower, other.upper)
    crossing = both and not (local.upper < other.lower or other.upper < local.lower)  # type: ignore[operator]
    return bool(crossing) or inside(other.value, local) or inside(local.value, other)


def compare_words(indicator: str, local: Figure, other: Figure, other_name: str) -> str:
    """How the local figure stands against another area's, in plain words: "above the West
    Midlands (4.4%)", with "better" or "worse" where the source states a polarity, both figures
    are reliable and their 95% confidence intervals do not overlap (and only there). "Similar to"
    where the intervals overlap (or one figure lies inside the other's interval); equal as shown
    is "the same as"; a figure the source flags as unreliable is never better or worse, and the
    flag is said in words; a missing figure on either side is said, never guessed."""
    ind = indicators()[indicator]
    if not local.shown:
        return ""
    if not other.shown:
        reason = f": {other.note}" if other.note else ""
        return f"no figure for {other_name} for {period_label(local.period)}{reason}"
    assert local.value is not None and other.value is not None
    theirs = other.label if other.reliable else f"{other.label}, {UNRELIABLE_WORDS}"
    if overlapping(local, other):
        return f"similar to {other_name} ({theirs}, within the survey's margin of error)"
    gap = _shown_value(local.value, ind.unit) - _shown_value(other.value, ind.unit)
    if abs(gap) < 1e-9:
        return f"the same as {other_name} ({theirs})"
    side = "above" if gap > 0 else "below"
    if not (local.reliable and other.reliable):  # sentence() says why for the local figure
        return f"{side} {other_name} ({theirs})"
    if ind.direction:
        better = (gap > 0) == (ind.direction > 0)
        return f"{side} {other_name} ({theirs}, {'better' if better else 'worse'})"
    return f"{side} {other_name} ({theirs})"


def the(name: str) -> str:
    """ "the West Midlands", "the North East", but "England", "Sandwell"."""
    regions = {"North East", "North West", "West Midlands", "East Midlands", "South East"}
    regions |= {"South West", "East of England"}
    return f"the {name}" if name in regions else name


# How an indicator reads inside a sentence, where its label alone would not.
_PHRASES = {"no_qualifications_16_64": "share of 16 to 64 year olds with no qualifications"}


def phrase(indicator: str) -> str:
    return _PHRASES.get(indicator, indicators()[indicator].label.lower())


def sentence(
    indicator: str, name: str, local: Figure, others: list[tuple[str, Figure]], whole: bool = False
) -> str:
    """ "Sandwell's claimant count rate was 6.8% in Jan to Dec 2025: above the West Midlands
    (5.0%); above England (4.0%)." With whole=True, `name` is the set of LAs ("the area's 16
    LAs, weighted by working-age population"). A figure not shown is said so, with its reason."""
    label = phrase(indicator)
    period = period_label(local.period)
    subject = f"The {label} across {name}" if whole else f"{capitalise(name)}'s {label}"
    if not local.shown:
        return f"{subject}: no figure for {period} ({local.label}: {local.note})."
    parts = [compare_words(indicator, local, other, the(n)) for n, other in others]
    parts = [p for p in parts if p]
    flag = f" ({flag_words(local)})" if not local.reliable else ""
    tail = f": {'; '.join(parts)}" if parts else ""
    polarity = ""
    if any(p.endswith(("better)", "worse)")) for p in parts):
        polarity = f" The source counts {indicators()[indicator].polarity.split()[0]} as better."
    elif parts and not local.reliable and indicators()[indicator].direction:
        polarity = " Not called better or worse: the source flags the estimate as unreliable."
    return f"{subject} was {local.label}{flag} in {period}{tail}.{polarity}"


def flag_words(f: Figure) -> str:
    """The source's reliability flag in words: "an estimate the source flags as unreliable:
    the group sample size is small (3-9)" (its own note where it gives one)."""
    note = f.note.strip().rstrip(".")
    reason = note.split(" since ", 1)[1] if " since " in note else ""
    return f"{UNRELIABLE_WORDS}: {reason}" if reason else UNRELIABLE_WORDS


def older_than_provider(meta: Meta) -> list[str]:
    """Plain words for each group of indicators whose latest period ends before the provider's
    period starts: "Survey-based figures stop at Dec 2023, before the provider's period (...)"."""
    lines: list[str] = []
    groups: dict[str, list[Indicator]] = {}
    for ind in indicators().values():
        if period_end(ind.latest_period) < meta.start_index:
            group = "Survey-based figures" if ind.survey else f"{ind.label} figures"
            if ind.source == "Department for Transport":
                group = "Travel-time figures"
            groups.setdefault(group, []).append(ind)
    for group, found in groups.items():
        end = max(period_end(i.latest_period) for i in found)
        why = ""
        if group == "Survey-based figures":
            why = (
                " The Annual Population Survey's local figures are suspended until the survey "
                "is reweighted."
            )
        lines.append(
            f"{group} stop at {month_label(end)}, before the provider's period "
            f"({meta.period_label}).{why}"
        )
    return lines


# --- tables for the page -------------------------------------------------------------------
RANK_COLUMN = f"Rank in {RANKED_WHERE}"
COMPARISON_COLUMNS = (
    "Indicator",
    "Period",
    "Value",
    "95% CI",
    "Region",
    "Country",
    "Similar LAs (median of 5)",
    RANK_COLUMN,
    "In words",
    "Status",
    "Source",
)


def _ci(f: Figure, unit: str) -> str:
    """The 95% interval rounded as its figure is: "64.6 to 75.0", "534.13 to 600.87"."""
    if f.lower is None or f.upper is None:
        return ""
    places = 2 if unit == "£" else 1
    return f"{f.lower:,.{places}f} to {f.upper:,.{places}f}"


def comparison(code: str, kind: str = "global") -> pd.DataFrame:
    """One row per indicator for one LA: its latest value beside its region (England only), its
    country and the median of its five most similar LAs, with the words, status and source."""
    code = geo.to_2024(code)
    name = geo.la_name(code)
    region, country = region_of(code), country_of(code)
    rows = []
    for ind in indicators().values():
        local = figure(code, ind.key)
        reg = figure(region, ind.key, local.period) if region else None
        cty = figure(country, ind.key, local.period) if country else None
        med = neighbour_median(code, ind.key, kind, local.period)
        place_rank = rank(code, ind.key, local.period)
        others = [(area_name(region), reg)] if region and reg else []
        others += [(area_name(country), cty)] if country and cty else []
        others.append(("its five most similar LAs", med))
        rows.append(
            {
                "Indicator": ind.label,
                "Period": period_label(local.period),
                "Value": local.label,
                "95% CI": _ci(local, ind.unit),
                "Region": reg.label if reg else "[z]",
                "Country": cty.label if cty else "[x]",
                "Similar LAs (median of 5)": med.label,
                RANK_COLUMN: place_rank.short if place_rank else "not ranked",
                "In words": sentence(ind.key, name, local, others)
                + f" {rank_words(code, ind.key, local.period)}",
                "Status": ind.status_text,
                "Source": ind.source,
            }
        )
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def area_comparison(codes: tuple[str, ...]) -> pd.DataFrame:
    """The whole area: rates weighted by working-age population, honestly labelled; pay and travel
    times not combined ([z]); the region and country where all the area's LAs share one."""
    region = common_comparator(codes, region_of)
    country = common_comparator(codes, country_of)
    rows = []
    for ind in indicators().values():
        local = whole_area(codes, ind.key)
        reg = figure(region, ind.key, local.period) if region else None
        cty = figure(country, ind.key, local.period) if country else None
        others = [(area_name(region), reg)] if region and reg else []
        others += [(area_name(country), cty)] if country and cty else []
        subject = f"the area's {len(codes)} LAs (weighted by working-age population)"
        words = (
            f"{ind.label} is not combined across the area's LAs (a median or an average time of "
            "LAs is not the area's): see each LA below."
            if local.label == "[z]"
            else sentence(ind.key, subject, local, others, whole=True)
        )
        rows.append(
            {
                "Indicator": ind.label,
                "Period": period_label(local.period),
                "Value": local.label,
                "95% CI": "",
                "Region": reg.label if reg else "[z]",
                "Country": cty.label if cty else "[z]",
                "In words": words,
                "Status": ind.status_text,
                "Source": ind.source,
            }
        )
    columns = [c for c in COMPARISON_COLUMNS if c not in ("Similar LAs (median of 5)", RANK_COLUMN)]
    return pd.DataFrame(rows, columns=columns)


LISTED_GROUPS: tuple[tuple[str, ...], ...] = (
    RATE_KEYS,
    ("no_qualifications_16_64", "gross_median_weekly_pay"),
    (
        "travel_time_employment_centre_car",
        "travel_time_employment_centre_pt_walk",
        "travel_time_employment_centre_cycle",
    ),
)


def listed(codes: tuple[str, ...], keys: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Each of the area's LAs with its latest figure for each indicator (every one when `keys`
    is None): the listed set."""
    inds = indicators()
    chosen = [inds[k] for k in keys] if keys else list(inds.values())
    rows = []
    for code in codes:
        row = {"Local Authority": geo.la_name(code)}
        for ind in chosen:
            row[ind.label] = figure(code, ind.key).label
        rows.append(row)
    return pd.DataFrame(rows)


def similar_table(code: str, kind: str, codes: tuple[str, ...], n: int = N_SIMILAR) -> pd.DataFrame:
    """The LA's most similar LAs of this kind, with their claimant, employment and inactivity
    rates; those in the provider's own area marked."""
    mine = {geo.to_2024(c) for c in codes}
    keys = (CLAIMANT, "employment_rate_16_64", INACTIVITY)
    inds = indicators()
    rows = []
    for rank, other in enumerate(similar(code, kind, n), start=1):
        row = {
            "Rank": str(rank),
            "Local Authority": geo.la_name(other),
            "In the provider's area": "Yes" if other in mine else "No",
        }
        for key in keys:
            row[inds[key].label] = figure(other, key).label
        rows.append(row)
    return pd.DataFrame(rows)


def symbols_used(frame: pd.DataFrame) -> str:
    """ "[x] = not available; [u] = low reliability ..." for the symbols a table shows."""
    text = " ".join(frame.astype(str).to_numpy().ravel())
    return "; ".join(f"{s} = {w}" for s, w in OFFICIAL_SYMBOLS.items() if s in text)


# --- small trend ---------------------------------------------------------------------------
TREND_FONT = {"standard": 12, "presenter": 16}


def area_series(codes: tuple[str, ...], indicator: str) -> list[Figure]:
    """The whole area's weighted figure for every period in the copy (rates only)."""
    return [whole_area(codes, indicator, p) for p in periods(indicator)]


def _points(area: str | tuple[str, ...], indicator: str) -> tuple[str, list[Figure]]:
    """(name, figures oldest first) for one area code or for a set of LAs (weighted)."""
    if isinstance(area, tuple):
        return f"The area's {len(area)} LAs (weighted)", area_series(area, indicator)
    return area_name(area), series(area, indicator)


def trend_figure(
    code: str | tuple[str, ...], indicator: str, mode: str, compare: str | None = None
) -> go.Figure:
    """A small line chart of the area's figures (and its country's, dotted grey) over the periods
    in the copy. Its title names the indicator and the areas; its footer carries the source and
    status, so a PNG of it stands alone. Points without a figure are gaps, labelled with their
    symbol on the axis."""
    ind = indicators()[indicator]
    size = TREND_FONT[mode]
    traces: list[dict[str, Any]] = []
    names = []
    for area, colour, dash in ((code, HIGHLIGHT, "solid"), (compare, "#707070", "dot")):
        if not area:
            continue
        name, points = _points(area, indicator)
        names.append(name)
        # Plain "Jan to Dec 2016": a year split from its month by a line break would read as a
        # bare number to anyone scanning the page for counts; the ticks carry the break.
        labels = [period_label(p.period) for p in points]
        traces.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [p.value for p in points],
                "mode": "lines+markers+text",
                "name": name,
                "textposition": "top left",
                "cliponaxis": False,
                "texttemplate": [
                    p.label if i == len(points) - 1 and area == code else ""
                    for i, p in enumerate(points)
                ],
                "line": {"color": colour, "dash": dash, "width": 2.5},
                "marker": {"size": 6, "color": colour},
                "text": [p.label for p in points],
                "hovertemplate": name + ", %{x}: %{text}<extra></extra>",
                "connectgaps": False,
            }
        )
        gaps = [(lab, p.label) for lab, p in zip(labels, points, strict=True) if not p.shown]
        if gaps and area == code:
            traces.append(
                {
                    "type": "scatter",
                    "x": [g[0] for g in gaps],
                    "y": [0] * len(gaps),
                    "mode": "text",
                    "text": [g[1] for g in gaps],
                    "showlegend": False,
                    "hoverinfo": "skip",
                }
            )
    footer = [ind.status_text + ".", ind.source_line]
    # Wrapped to fit a chart two to a row at 1366 px (about 60 characters at 10 px, 45 at 14 px).
    width = 60 if mode == "standard" else 45
    wrapped = [w for line in footer for w in textwrap.wrap(line, width, break_on_hyphens=False)]
    footer_px = int(len(wrapped) * size * 1.4) + 10
    height = 240 + footer_px + (40 if mode == "presenter" else 0)
    ticks = traces[0]["x"] if traces else []
    tickvals = [ticks[0], ticks[-1]] if len(ticks) > 1 else ticks
    unit_suffix = {"%": "%", "£": "", "mins": ""}[ind.unit]
    layout = {
        "template": "none",
        "height": height,
        "font": {"family": "Arial, Helvetica, sans-serif", "size": size, "color": "#0B0C0C"},
        "title": {
            "text": ind.label if len(names) > 1 else f"{ind.label}, {names[0] if names else ''}",
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 8},
            "font": {"size": size + 3},
        },
        "margin": {"l": 50, "r": 30, "t": 40 + 2 * size, "b": footer_px + 45},
        "showlegend": len(names) > 1,
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        "xaxis": {
            "type": "category",
            "tickvals": tickvals,
            "ticktext": ["<br>".join(str(t).rsplit(" ", 1)) for t in tickvals],
            "tickangle": 0,
            "showgrid": False,
        },
        "yaxis": {
            "ticksuffix": unit_suffix,
            "tickprefix": "£" if ind.unit == "£" else "",
            "gridcolor": "#E5E5E5",
        },
        "annotations": [
            {
                "text": "<br>".join(wrapped),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -45,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "showarrow": False,
                "font": {"size": size - 2, "color": "#3D3D3D"},
            }
        ],
    }
    return go.Figure({"data": traces, "layout": layout})


def trend_alt(code: str | tuple[str, ...], indicator: str, compare: str | None = None) -> str:
    """The trend chart's text alternative: every period's figure for the area, and the latest for
    the comparator."""
    ind = indicators()[indicator]
    name, points = _points(code, indicator)
    shown = [p for p in points if p.shown]
    if not shown:
        return f"{ind.label}, {name}: no figure in any period in the source."
    first, last = shown[0], shown[-1]
    low = min(shown, key=lambda p: p.value)  # type: ignore[arg-type, return-value]
    high = max(shown, key=lambda p: p.value)  # type: ignore[arg-type, return-value]
    text = (
        f"{ind.label}, {name}: {first.label} in {period_label(first.period)}, {last.label} in "
        f"{period_label(last.period)}; lowest {low.label} ({period_label(low.period)}), highest "
        f"{high.label} ({period_label(high.period)})."
    )
    if len(shown) < len(points):
        text += f" {len(points) - len(shown)} of {len(points)} periods have no figure."
    if compare:
        theirs = figure(compare, indicator, points[-1].period) if points else None
        if theirs is not None:
            text += f" {area_name(compare)}, latest: {theirs.label}."
    return text


# --- beside the provider's own figures -----------------------------------------------------
def claimant_weights(codes: tuple[str, ...]) -> pd.Series:
    """Each LA's estimated number of claimants (claimant rate x mid-2022 working-age population):
    official figures only, used as the reference population of a hotspot index. NaN where the
    rate is not available."""
    codes24 = [geo.to_2024(c) for c in codes]
    pop = geo.lookup()["population_16_64"].reindex(codes24).to_numpy(dtype="float64")
    rates = [figure(c, CLAIMANT).value for c in codes24]
    estimated = [
        p * r / 100 if r is not None and not math.isnan(p) else float("nan")
        for p, r in zip(pop, rates, strict=True)
    ]
    return pd.Series(estimated, index=list(codes)).round()


def claimant_reference(codes: list[str]) -> pd.Series:
    """The claimant hotspot's reference population (`claimant_weights`), for a rule."""
    return claimant_weights(tuple(codes))


def claimant_hotspot(m: Measured) -> SafeTable:
    """Per LA: the LA's share of the area's participants over its share of the area's claimants
    (estimated from the claimant count rate and the working-age population), x 100. Shares against
    shares: never participants divided by claimants, which would read as a referral rate."""
    ds, sel, raw, safe = m.ds, m.sel, m.raw, m.safe
    if raw is None or safe is None:
        raise ValueError("the claimant hotspot measures LA shares")
    _, period, area = basics(ds, sel)
    weights = claimant_weights(tuple(raw.frame["area_code"].astype(str)))
    frame = ordered(safe.frame, None)
    ind = indicators()[CLAIMANT]
    latest = period_label(ind.latest_period)
    label = label_of(frame, sel.la, sel.la) or ""
    few = few_people(participants_in(ds, sel.period, sel.la))
    sure = index_sure(label, (sel.la, sel.la), index_verdict(raw, safe, weights), few)
    if not sel.is_whole_area and label.isdigit() and sure:
        words = (
            "more participants than its share of claimants would suggest"
            if int(label) >= 115
            else "fewer participants than its share of claimants would suggest"
            if int(label) <= 85
            else "about as many participants as its share of claimants would suggest"
        )
        title = f"{area} has {words}"
    else:
        title = "Participants against each Local Authority's share of the area's claimants"
    message = "" if raw.frame["count"].sum() else f"No participants started in {area} in {period}."
    return build(
        "hotspot.claimants",
        sel,
        safe,
        frame,
        title,
        "Hotspot index: share of participants over share of claimants (100 = in proportion), "
        f"{period}",
        message,
        unit="index",
        notes=(
            f"Claimants: ONS claimant count rate, {latest}, times the ONS mid-2022 "
            "population, ages 16 to 64 (an estimate of each LA's share of the area's claimants).",
            "Shares against shares: not a rate of participants per claimant.",
            SOURCE_LINE,
        ),
    )


def population_shares(codes: tuple[str, ...]) -> dict[str, float]:
    """Each LA's share of the area's working-age population, in % (official figures only)."""
    pop = geo.population(codes).astype("float64")
    total = float(pop.sum())
    return {c: 100 * float(p) / total for c, p in zip(codes, pop, strict=True)}


def beside_shares(ds: Dataset, sel: Selection, la_shares: SafeTable) -> pd.DataFrame:
    """One row per LA: its share of the area's participants (the safe label, as the provider's
    table shows it), its share of the area's working-age population, and its latest claimant and
    economic inactivity rates (official). No column combines the two sources."""
    codes = ds.la_codes
    pop = population_shares(codes)
    inds = indicators()
    rows = []
    for code in codes:
        share = label_of(la_shares.frame, code, code) or "[x]"
        rows.append(
            {
                "Local Authority": geo.la_name(code),
                "Share of participants (provider MI)": share,
                "Share of working-age population (ONS)": f"{pop[code]:.0f}%",
                f"{inds[CLAIMANT].label} ({period_label(inds[CLAIMANT].latest_period)})": (
                    figure(code, CLAIMANT).label
                ),
                f"{inds[INACTIVITY].label} ({period_label(inds[INACTIVITY].latest_period)})": (
                    figure(code, INACTIVITY).label
                ),
            }
        )
    frame = pd.DataFrame(rows)
    if not sel.is_whole_area:
        frame = frame[frame["Local Authority"] == geo.la_name(sel.la)]
    return frame.reset_index(drop=True)


def talking_point(ds: Dataset, sel: Selection, la_shares: SafeTable) -> str | None:
    """ "Sandwell has 13% of the area's participants and 11% of its working-age population; its
    claimant rate is 6.8%, above the West Midlands (5.0%)." None for the whole area, or where
    the LA's share is not shown."""
    if sel.is_whole_area:
        return None
    code = geo.to_2024(sel.la)
    share = label_of(la_shares.frame, sel.la, sel.la)
    if not shown(share) or share_words(str(share)) is None:
        return None
    pop = population_shares(ds.la_codes).get(sel.la)
    name = geo.la_name(code)
    text = f"{name} has {share} of the area's participants"
    if pop is not None:
        text += f" and {pop:.0f}% of its working-age population"
    local = figure(code, CLAIMANT)
    if local.shown:
        comparator = region_of(code) or country_of(code)
        words = ""
        if comparator:
            other = figure(comparator, CLAIMANT, local.period)
            words = compare_words(CLAIMANT, local, other, the(area_name(comparator)))
        text += f"; its claimant rate is {local.label} ({period_label(local.period)})"
        text += f", {words}" if words else ""
    return text + "."


def context_beside(m: Measured) -> tuple[pd.DataFrame, str | None]:
    """`beside_shares` and `talking_point` from the selection's safe LA shares, in one call a
    page can cache (PageView.table)."""
    ds, sel = m.ds, m.sel
    shares = m.other("la_shares", ds, sel)
    if shares.is_empty:
        return pd.DataFrame(), None
    return beside_shares(ds, sel, shares), talking_point(ds, sel, shares)
