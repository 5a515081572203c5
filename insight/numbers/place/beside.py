"""Where official figures meet the provider's own safe shares: the claimant hotspot index,
shares of participants beside shares of the working-age population, and the one talking point.
Each side is a share of its own total, shown side by side or as an index of one share against the
other: never a provider count divided by an official figure."""

from __future__ import annotations

import math

import pandas as pd

from insight.core import geo
from insight.core.dataset import Dataset
from insight.core.selection import Selection
from insight.numbers.certainty import few_people
from insight.numbers.measure import participants_in
from insight.numbers.narrative import index_sure, label_of, share_words, shown
from insight.numbers.participants import index_verdict
from insight.numbers.pipeline import Measured
from insight.numbers.place.official import (
    CLAIMANT,
    INACTIVITY,
    SOURCE_LINE,
    area_name,
    country_of,
    figure,
    indicators,
    period_label,
    region_of,
)
from insight.numbers.place.words import (
    compare_words,
    the,
)
from insight.numbers.safe_table import SafeTable, basics, build, ordered


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
