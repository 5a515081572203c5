"""The catalogue of what a meeting can show: a chart key, read with an area and a period, names
one safe table (or the cards of one kind of insight) and how to draw it.

A chart key is the key of the SafeTable it draws (`barriers`, `characteristic.age_band`,
`barrier_by_age.digital_skills`, `trend.barrier.transport.quarter`, `vacancies.sector`, ...),
`map.` and a per-LA table's key for its map (`map.la_shares`), `insights.<kind>` for text
insights, and `ask` for the slide that asks the room for its own insights. So a page's chart
can be added to a meeting by its table's key, and the slide rebuilds the same table for the
meeting's area and period, in presenter mode, from the same builders the pages use. Which
tables a meeting can show, their section, label and whether they can be a map, are read from
the registry (insight.numbers.registry): the catalogue adds the ask slide, the place in official
statistics and the ready-made running order.

Pure: no streamlit import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeAlias

import pandas as pd

from insight.core import geo
from insight.core.dataset import Dataset
from insight.core.selection import Selection
from insight.numbers import place, registry
from insight.numbers.registry import INSIGHT_KINDS
from insight.numbers.safe_table import SafeTable

Kind = Literal["chart", "map", "cards", "context", "ask"]
Built: TypeAlias = SafeTable | pd.DataFrame

# The annex's four areas, as a meeting runs through them.
SECTIONS: tuple[str, ...] = (
    "Where participants are",
    "Who participants are",
    "Barriers",
    "Service usage",
    "Labour market",
    "Commissioning",
    "What works",
    "Over to you",
)
# What the presenter might ask the room after each section (speaker notes).
PROMPTS: dict[str, str] = {
    "Where participants are": "Does this match where your services see most demand?",
    "Who participants are": "Are there groups here your organisation reaches, or finds hard to reach?",
    "Barriers": "Which of these barriers do your services already help with?",
    "Service usage": "Is there local provision participants could use alongside these?",
    "Labour market": "Which employers or sectors are recruiting that we should know about?",
    "Commissioning": "Do these plans duplicate anything you already fund or run?",
    "What works": "What have you seen work locally that we could learn from?",
    "Over to you": "Record what partners say, with their organisation, before the meeting ends.",
}
ASK = "ask"
ASK_HEADLINE = "What we would like to hear from you"
PLACE = "place"  # "The place": official context for the area beside its region and similar LAs


@dataclass(frozen=True)
class Entry:
    key: str
    kind: Kind
    section: str
    label: str  # what the chart is, for a running order list ("Barriers reported")
    build: Callable[[Dataset, Selection], Built] | None  # None for the ask slide


CONTEXT_WORDS = "In words"  # the context frame's column of sentences (speaker notes, not shown)


def official_context(ds: Dataset, sel: Selection) -> pd.DataFrame:
    """The place in official statistics, for a slide: each rate (claimant count, employment,
    economic inactivity, unemployment) for the LA beside its region (its country outside
    England) and the median of its five most similar LAs, or for the whole area (its LAs
    weighted by working-age population) beside the region and country its LAs share. Labels
    only, as the source gives them ([u], [x] included); the sentence for each in CONTEXT_WORDS.
    Official figures: nothing here is the provider's, so nothing here is a count."""
    rows = []
    if sel.is_whole_area:
        codes = ds.la_codes
        region = place.common_comparator(codes, place.region_of)
        country = place.common_comparator(codes, place.country_of)
        subject = f"the area's {len(codes)} LAs (weighted by working-age population)"
        for key in place.RATE_KEYS:
            local = place.whole_area(codes, key)
            others = [
                (place.area_name(c), place.figure(c, key, local.period))
                for c in (region, country)
                if c
            ]
            row = {"Indicator": place.indicators()[key].label, "The area (weighted)": local.label}
            row.update({name: f.label for name, f in others})
            row["Period"] = place.period_label(local.period)
            row[CONTEXT_WORDS] = place.sentence(key, subject, local, others, whole=True)
            rows.append(row)
        return pd.DataFrame(rows)
    code = geo.to_2024(sel.la)
    name = geo.la_name(code)
    near = place.region_of(code) or place.country_of(code)
    for key in place.RATE_KEYS:
        local = place.figure(code, key)
        others = [(place.area_name(near), place.figure(near, key, local.period))] if near else []
        others.append(
            ("its five most similar LAs", place.neighbour_median(code, key, "global", local.period))
        )
        row = {"Indicator": place.indicators()[key].label, name: local.label}
        row.update(
            {
                n if n != "its five most similar LAs" else "Similar LAs (median of five)": f.label
                for n, f in others
            }
        )
        row["Period"] = place.period_label(local.period)
        row[CONTEXT_WORDS] = place.sentence(key, name, local, others)
        rows.append(row)
    return pd.DataFrame(rows)


def entry(key: str) -> Entry:
    """The catalogue entry for a chart key. ValueError (a plain message) for an unknown key."""
    if not isinstance(key, str) or not key or len(key) > 200:
        raise ValueError("a chart key is a short piece of text")
    if key == ASK:
        return Entry(key, "ask", "Over to you", ASK_HEADLINE, None)
    if key == PLACE:
        return Entry(
            key,
            "context",
            "Labour market",
            "The place: official statistics beside the region and similar LAs",
            official_context,
        )
    if key.startswith("insights."):
        name = key.removeprefix("insights.")
        if name not in INSIGHT_KINDS:
            raise ValueError(f"no kind of insight is called {name!r}")
    if key.startswith("map."):
        table_key = key.removeprefix("map.")
        found = registry.current().find(table_key)
        if found is None or not found.mappable:
            raise ValueError(f"{table_key!r} has no map: only a table with one row per LA has")
        return Entry(key, "map", found.section, f"Map: {found.label}", found.build)
    found = registry.current().find(key)
    if found is None:
        raise ValueError(f"no chart is called {key!r}")
    return Entry(
        key,
        "cards" if found.insight.chart == "cards" else "chart",
        found.section,
        found.label,
        found.build,
    )


def is_known(key: str) -> bool:
    try:
        entry(key)
    except ValueError:
        return False
    return True


def addable(table_key: str, *, as_map: bool = False) -> str | None:
    """The chart key under which a page's table (or its map) can join a meeting, or None."""
    key = f"map.{table_key}" if as_map else table_key
    return key if is_known(key) else None


def ready_made(ds: Dataset) -> tuple[str, ...]:
    """The one-click running order, in the annex's order: where participants are, who they are,
    barriers, service usage, labour market (the provider's figures, then the place in official
    statistics), commissioning, what works, then the room's turn. Charts whose table this dataset
    does not have are left out. (insight.outputs.meetings.ready_made adds the trend of the LA's
    most reported barrier and orders each section by how far the LA differs from the area.)"""
    keys = [
        "map.la_shares",
        "characteristic.age_band",
        "characteristic.disability",
        "barriers",
        "services",
    ]
    if ds.vacancies is not None:
        keys.append("vacancies.sector")
    elif ds.job_entries is not None:
        keys.append("job_entries.sector")
    keys.append(PLACE)
    if ds.local_provision is not None:
        keys.append("provision")
    if ds.insights is not None:
        keys.append("insights.what_works")
    keys.append(ASK)
    return tuple(keys)


__all__ = [
    "ASK",
    "ASK_HEADLINE",
    "CONTEXT_WORDS",
    "PLACE",
    "PROMPTS",
    "SECTIONS",
    "Entry",
    "addable",
    "entry",
    "is_known",
    "official_context",
    "ready_made",
]
