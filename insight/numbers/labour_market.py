"""Safe tables for the local labour market: vacancies and the provider's own job entries.

Shares only, in every mode: vacancy positions and job entries are never shown as counts, and job
entries are never set against participants (that would be a DWP job outcome rate).
"""

from __future__ import annotations

from typing import Literal, cast

from insight.core.dataset import Dataset
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers.certainty import apart
from insight.numbers.disclosure import Safe, disclose
from insight.numbers.measure import (
    EMPLOYER_NOT_RECORDED,
    OTHER_EMPLOYERS,
    count_events,
    employer_groups,
    in_period,
)
from insight.numbers.narrative import capitalise, top_title
from insight.numbers.safe_table import SafeTable, basics, build, empty_frame, ordered

_NOUNS = {"vacancies": "vacancies", "job_entries": "job entries"}
_BY = {"la": "Local Authority", "sector": "sector", "employer": "employer"}


def _events(ds: Dataset, sel: Selection, table_name: str, by: str) -> SafeTable:
    th, period, area = basics(ds, sel)
    noun = _NOUNS[table_name]
    weight = "positions" if table_name == "vacancies" else None
    measured = "vacancy positions" if weight else "recorded job entries"
    subtitle = f"Share of {measured}, by {_BY[by]}, {period}"
    key = f"{table_name}.{by}"
    table = getattr(ds, table_name)
    no_employers = by == "employer" and ("employer" not in table if table is not None else False)
    if table is not None and by == "employer" and not no_employers:
        names = table["employer"].astype("str").str.strip()
        no_employers = bool((table["employer"].isna() | (names == "")).all())
    if table is None or no_employers:
        message = (
            f"This dataset has no {table_name} table."
            if table is None
            else f"This dataset does not record employers for {noun}."
        )
        frame = empty_frame()
        return build(key, sel, Safe(frame, ()), frame, f"{capitalise(noun)}", subtitle, message)
    rows = in_period(ds, table, sel.period)
    column, last = by, cast(tuple[str, ...], ())
    if by == "employer":
        rows = rows.assign(employer_group=employer_groups(rows["employer"], th.min_base))
        column, last = "employer_group", (OTHER_EMPLOYERS, EMPLOYER_NOT_RECORDED)
    raw = count_events(ds, rows, sel.la, column, weight)
    safe = disclose(raw, sel.mode, th)
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
        frame = ordered(safe.frame, WHOLE_AREA, last)
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


def vacancies(ds: Dataset, sel: Selection, by: Literal["sector", "la"]) -> SafeTable:
    """Share of vacancy positions by sector (selection vs whole area) or by LA. Empty table
    (with empty_message) when the dataset has no vacancies table or nothing in the period."""
    return _events(ds, sel, "vacancies", by)


def job_entries(ds: Dataset, sel: Selection, by: Literal["sector", "employer", "la"]) -> SafeTable:
    """Share of the provider's recorded job entries by sector, employer or LA. Shares only, never
    counts, never a rate against participants (that would be a DWP job outcome rate).
    Employers with fewer than min_base job entries across the area in the period are grouped as
    "Other employers"; at most ten are named; blanks are "Employer not recorded"."""
    return _events(ds, sel, "job_entries", by)


__all__ = ["job_entries", "vacancies"]
