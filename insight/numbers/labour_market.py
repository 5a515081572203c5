"""Safe tables for the local labour market: vacancies and the provider's own job entries.

Shares only, in every mode: vacancy positions and job entries are never shown as counts, and job
entries are never set against participants (that would be a DWP job outcome rate).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

import pandas as pd

from insight.core.dataset import Dataset
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers.certainty import apart
from insight.numbers.disclosure import Safe
from insight.numbers.measure import (
    EMPLOYER_NOT_RECORDED,
    OTHER_EMPLOYERS,
    Raw,
    count_events,
    employer_groups,
    event_sums,
    events_by_area,
    in_period,
)
from insight.numbers.narrative import capitalise, top_title
from insight.numbers.pipeline import Measured
from insight.numbers.safe_table import SafeTable, basics, build, empty_frame, ordered

_NOUNS = {"vacancies": "vacancies", "job_entries": "job entries"}
_BY = {"la": "Local Authority", "sector": "sector", "employer": "employer"}


def _no_employers(ds: Dataset, table_name: str, by: str) -> bool:
    table = getattr(ds, table_name)
    if table is None or by != "employer":
        return False
    if "employer" not in table:
        return True
    # every row of the table read: once per dataset (_remember), not on every selection
    return _remember(ds, (table_name, "no employers"), lambda: _blank(table["employer"]))


def _blank(employers: pd.Series) -> bool:
    names = employers.astype("str").str.strip()
    return bool((employers.isna() | (names == "")).all())


def measure_events(table_name: str) -> Callable[[Dataset, Selection, str], Raw | None]:
    """Vacancy positions (weighted) or job entries in the period, by `by`; None where the
    dataset has no such table, or records no employers for a table by employer."""

    def measured(ds: Dataset, sel: Selection, by: str) -> Raw | None:
        table = getattr(ds, table_name)
        if table is None or _no_employers(ds, table_name, by):
            return None
        rows, column = _rows(ds, table_name, sel.period, by)
        weight = "positions" if table_name == "vacancies" else None
        if by == "la":  # one group, the whole area, a row per LA: the same for every LA chosen
            return _remember(ds, (table_name, sel.period, by, "raw"), lambda: count_events(
                ds, rows, sel.la, column, weight))  # fmt: skip
        # by sector or employer: the period's sums for every area, grouped once, then one area's
        sums = _remember(ds, (table_name, sel.period, by, "sums"), lambda: event_sums(
            rows, column, weight))  # fmt: skip
        return events_by_area(ds, sums, sel.la)

    return measured


# What every selection of a period shares, per dataset object (a weak key: a dataset dropped
# takes it along): the table's rows in the period, its employers grouped, and the table by LA.
# At most tables x periods x (by) entries per dataset; raw counts, never shown as they are.
_SHARED: WeakKeyDictionary[Dataset, dict[tuple[str, ...], Any]] = WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


def _remember(ds: Dataset, key: tuple[str, ...], make: Callable[[], Any]) -> Any:
    with _SHARED_LOCK:
        found = _SHARED.get(ds, {}).get(key)
    if found is not None:
        return found
    made = make()
    with _SHARED_LOCK:
        _SHARED.setdefault(ds, {})[key] = made
    return made


def _rows(ds: Dataset, table_name: str, period: str, by: str) -> tuple[pd.DataFrame, str]:
    """(the table's rows in the period, the column to count them by): employers grouped as
    shown (`employer_groups`) for a table by employer."""

    def make() -> pd.DataFrame:
        rows = in_period(ds, getattr(ds, table_name), period)
        if by != "employer":
            return rows
        min_base = ds.meta.thresholds.min_base
        return rows.assign(employer_group=employer_groups(rows["employer"], min_base))

    grouped = by == "employer"
    rows = _remember(ds, (table_name, period, "employer" if grouped else "", "rows"), make)
    return rows, "employer_group" if grouped else by


def events(table_name: str) -> Callable[[Measured], SafeTable]:
    """The narrate stage of vacancies or job entries."""

    def narrated(m: Measured) -> SafeTable:
        return _events(m, table_name)

    return narrated


def _events(m: Measured, table_name: str) -> SafeTable:
    ds, sel, (by,), raw, safe = m.ds, m.sel, m.args, m.raw, m.safe
    _, period, area = basics(ds, sel)
    noun = _NOUNS[table_name]
    weight = "positions" if table_name == "vacancies" else None
    measured = "vacancy positions" if weight else "recorded job entries"
    subtitle = f"Share of {measured}, by {_BY[by]}, {period}"
    key = f"{table_name}.{by}"
    if raw is None or safe is None:
        message = (
            f"This dataset has no {table_name} table."
            if getattr(ds, table_name) is None
            else f"This dataset does not record employers for {noun}."
        )
        frame = empty_frame()
        return build(key, sel, Safe(frame, ()), frame, f"{capitalise(noun)}", subtitle, message)
    last = (OTHER_EMPLOYERS, EMPLOYER_NOT_RECORDED) if by == "employer" else ()
    # Job entries are people: the small-base rule (insight.numbers.certainty) decides what may
    # be ranked. Vacancy positions are places an employer offers, not a sample of people.
    verdict = apart(raw.frame, safe.frame, own=by == "la") if weight is None else None
    if by == "la":
        frame = ordered(safe.frame, None)
        title = top_title(
            frame,
            None,
            True,
            "The largest share{s} of the area's " + noun + " {is_} in {top}",
            f"The area's {noun} by Local Authority",
            apart=verdict,
        )
        none_here = raw.frame["base"].sum() == 0
    else:
        bases = raw.frame.groupby("area_code", sort=False)["base"].first()
        empty = set(bases[bases == 0].index)
        # the chosen LA's own order (the whole area's when it has no rows): page, pack and deck
        # draw the rows in this order
        here = sel.la if (safe.frame["area_code"] == sel.la).any() else WHOLE_AREA
        frame = ordered(safe.frame, here, last)
        frame = frame[~frame["area_code"].isin(empty)].reset_index(drop=True)
        title = top_title(
            frame[~frame["category_key"].isin(last)],
            sel.la,
            True,
            "{top} {has} the largest share" + "{shown} of " + noun + " in {area}",
            f"{capitalise(noun)} by {by} in {area}",
            apart=verdict,
            common=by == "sector",  # sectors are ordinary words; employers are names
            area=area,
        )
        none_here = sel.la in empty
    message = f"No {noun} recorded in {area} in {period}." if none_here else ""
    return build(key, sel, safe, frame, title, subtitle, message)


__all__ = ["events", "measure_events"]
