"""The project's copy of the official figures (sample_data/context/, made by
scripts/build_context.py): the indicators, each area's figure for a period, the areas' names and
regions, and how a period and a figure are shown. Everything else in insight.numbers.place starts
from here; nothing here reads the provider's data."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from insight.core import geo
from insight.core.periods import MONTHS, month_index, month_name

CONTEXT_DIR = Path(__file__).resolve().parents[3] / "sample_data" / "context"

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
    """'2023-01-01/P1Y' -> 'January to December 2023'; '2025-04-30' -> 'April 2025' (months in
    full, as GOV.UK writes dates in words)."""
    start = period.split("/")[0]
    first = month_index(start[:7])
    if "/P1Y" in period:
        return f"{MONTHS[first % 12]} to {month_name(first + 11)}"
    return month_name(first)


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


def _shown_value(value: float, unit: str) -> float:
    """The value as its label shows it: pence for pay, one decimal place otherwise."""
    return round(value, 2 if unit == "£" else 1)
