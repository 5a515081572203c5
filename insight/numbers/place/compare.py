"""Official figures against other areas: an LA's most similar LAs and their median, the
whole area's LAs combined, and an LA's rank among the LAs of England and Wales."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import cache

from insight.core import geo
from insight.numbers.place.official import (
    KINDS,
    N_SIMILAR,
    Figure,
    _shown_value,
    areas,
    figure,
    format_value,
    indicators,
    neighbours,
    period_label,
    periods,
)
from insight.numbers.place.words import phrase


# --- similar areas ---------------------------------------------------------------------------
def similar(code: str, kind: str = "global", n: int = N_SIMILAR) -> list[str]:
    """The LA's n most similar GB LAs of this kind, most similar first (ONS's ranks)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of similarity {kind!r}; expected one of {', '.join(KINDS)}")
    return list(_similar_lists().get((geo.to_2024(code), kind), ())[:n])


@cache
def _similar_lists() -> dict[tuple[str, str], tuple[str, ...]]:
    """(LA code, kind) -> its similar LAs, most similar first: the neighbours table read once
    into lists (filtering the whole table for each LA asked about cost milliseconds a call, and
    the place page asks for every indicator)."""
    out: dict[tuple[str, str], list[str]] = {}
    table = neighbours()
    for area, kind, neighbour in zip(
        table["area_code"].astype(str),
        table["kind"].astype(str),
        table["neighbour_code"].astype(str),
        strict=True,
    ):
        out.setdefault((area, kind), []).append(neighbour)
    return {key: tuple(codes) for key, codes in out.items()}


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


def area_series(codes: tuple[str, ...], indicator: str) -> list[Figure]:
    """The whole area's weighted figure for every period in the copy (rates only)."""
    return [whole_area(codes, indicator, p) for p in periods(indicator)]


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
