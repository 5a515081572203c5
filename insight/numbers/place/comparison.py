"""The official context as tables for a page: one LA beside its region, country and similar
LAs, the whole area, the area's LAs listed, an LA's most similar LAs."""

from __future__ import annotations

import pandas as pd

from insight.core import geo
from insight.numbers.place.compare import (
    RANKED_WHERE,
    common_comparator,
    neighbour_median,
    rank,
    rank_words,
    similar,
    whole_area,
)
from insight.numbers.place.official import (
    CLAIMANT,
    INACTIVITY,
    N_SIMILAR,
    OFFICIAL_SYMBOLS,
    RATE_KEYS,
    Figure,
    area_name,
    country_of,
    figure,
    format_value,
    indicators,
    period_label,
    region_of,
)
from insight.numbers.place.words import (
    sentence,
)

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
    """The 95% interval in its figure's unit and rounding: "64.6% to 75.0%", "£534.13 to £600.87"."""
    if f.lower is None or f.upper is None:
        return ""
    return f"{format_value(f.lower, unit)} to {format_value(f.upper, unit)}"


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
    is None): the listed set, in value order of its first indicator (highest first; an LA with
    no figure for it last, then by name)."""
    inds = indicators()
    chosen = [inds[k] for k in keys] if keys else list(inds.values())
    rows, order = [], []
    for code in codes:
        row = {"Local Authority": geo.la_name(code)}
        for ind in chosen:
            row[ind.label] = figure(code, ind.key).label
        rows.append(row)
        first = figure(code, chosen[0].key).value if chosen else None
        order.append((first is None, -(first or 0.0), row["Local Authority"]))
    ranked = [row for _, row in sorted(zip(order, rows, strict=True), key=lambda pair: pair[0])]
    return pd.DataFrame(ranked, columns=["Local Authority", *(ind.label for ind in chosen)])


def similar_table(code: str, kind: str, codes: tuple[str, ...], n: int = N_SIMILAR) -> pd.DataFrame:
    """The LA's most similar LAs of this kind, with their claimant, employment and inactivity
    rates; those in the provider's own area marked."""
    mine = {geo.to_2024(c) for c in codes}
    keys = (CLAIMANT, "employment_rate_16_64", INACTIVITY)
    inds = indicators()
    rows = []
    for position, other in enumerate(similar(code, kind, n), start=1):
        row = {
            "Rank": str(position),
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
