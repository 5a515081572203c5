"""Commissioning: planned referrals to local provision against capacity, commissioning plans and
qualitative insights, for a selection.

Planned referrals and capacity are the counts annex para 13 allows; they appear (rounded) in
standard mode only. Plans and insights are text and pass through as labelled text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from insight.core.contract import (
    ALL_LAS,
    INSIGHT_CATEGORIES,
    RECOMMENDATIONS,
    barrier_label,
    label_from_key,
)
from insight.core.dataset import Dataset
from insight.core.periods import month_index, month_label
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers.measure import Raw, count_provision, la_name
from insight.numbers.pipeline import Measured, remember
from insight.numbers.safe_table import SafeTable, basics, build


# --- commissioning ---------------------------------------------------------------------------
def measure_provision(ds: Dataset, sel: Selection) -> Raw:
    return count_provision(ds, sel.period, sel.la)


def provision(m: Measured) -> SafeTable:
    """Per organisation (category = organisation and service): planned referrals as a percentage of
    capacity in the period (unit "%", can exceed 100). Extra column `over_capacity` (bool).
    Standard mode adds `planned_referrals` and `capacity` as rounded count labels (annex para 13
    allows these); presenter mode carries neither."""
    ds, sel, safe = m.ds, m.sel, m.safe
    if safe is None:
        raise ValueError("provision measures planned referrals")
    _, period, area = basics(ds, sel)
    # Ranked by use of capacity, fullest first; a service without a figure ([c]) goes last
    # whatever it hides, so the order reveals nothing about it.
    frame = safe.frame.sort_values(
        ["value", "category"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)
    over = int(frame["over_capacity"].sum())
    if ds.local_provision is None:
        message = "This dataset has no local_provision table."
    elif frame.empty:
        message = f"No referrals to local provision are planned for {area} in {period}."
    else:
        message = ""
    if frame.empty:
        title = "Planned referrals to local provision"
    elif over:
        verb = "is" if over == 1 else "are"
        title = f"{over} of {len(frame)} local services {verb} planned beyond capacity in {area}"
    else:
        title = f"No local service is planned beyond capacity in {area}"
    return build(
        "provision",
        sel,
        safe,
        frame,
        title,
        f"Planned referrals as a share of capacity, by organisation and service, {period}",
        message,
        notes=(
            "Over 100% means more referrals are planned than the organisation has places.",
            "Provision for every Local Authority is counted in each one.",
        ),
    )


def _touches(codes: Iterable[str] | None, la: str) -> bool:
    return la == WHOLE_AREA or ALL_LAS in tuple(codes or ()) or la in tuple(codes or ())


def _names(codes: Iterable[str] | None) -> str:
    listed = tuple(codes or ())
    return "All Local Authorities" if ALL_LAS in listed else ", ".join(la_name(c) for c in listed)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


# The texts below read the dataset, the selection's LA and the filters only: not the period, not
# the mode (text passes through as labelled text in both). So each is made once per LA and filters
# (pipeline.remember) and serves every period and mode: a new period or mode costs nothing, where
# it cost tens of milliseconds a rerun on the Labour market, Commissioning and What works pages.
def plans(m: Measured) -> pd.DataFrame:
    """Commissioning plans touching the selection: title, description, las (names), barrier
    (label), start, end (month labels), status (label). Text only. Plans look ahead, so they are
    not cut to the selected period."""
    return remember(m.ds, ("commissioning.plans", m.sel.la), lambda: _plans(m.ds, m.sel.la))


def _plans(ds: Dataset, la: str) -> pd.DataFrame:
    columns = ["title", "description", "las", "barrier", "start", "end", "status"]
    table = ds.commissioning_plans
    if table is None:
        return pd.DataFrame(columns=columns, dtype="str")
    rows = table[[_touches(c, la) for c in table["la_codes"]]]
    barrier = rows["barrier"] if "barrier" in rows else pd.Series("", index=rows.index)
    return pd.DataFrame(
        {
            "title": rows["title"].map(_text),
            "description": rows["description"].map(_text),
            "las": rows["la_codes"].map(_names),
            "barrier": barrier.map(lambda k: barrier_label(_text(k)) if _text(k) else ""),
            "start": rows["start_month"].map(lambda m: month_label(month_index(str(m)))),
            "end": rows["end_month"].map(lambda m: month_label(month_index(str(m)))),
            "status": rows["status"].map(lambda s: label_from_key(_text(s))),
        },
        columns=columns,
    ).reset_index(drop=True)


def insights(m: Measured) -> pd.DataFrame:
    """Qualitative insights touching the selection, filtered: category (label), title, text,
    las (names), barriers (labels), approach, recommendation (label). Text only. Arguments:
    categories (a tuple of keys, () for all), barrier, recommendation (None for any)."""
    key = ("commissioning.insights", m.sel.la, m.args)
    return remember(m.ds, key, lambda: _insights(m.ds, m.sel.la, *m.args))


# Each column of the insights a page shows: (the dataset's column it is made from, or None for
# the barrier keys, how one cell of it is written).
_INSIGHT_CELLS: dict[str, tuple[str | None, Callable[[Any], str]]] = {
    "category": ("category", lambda c: INSIGHT_CATEGORIES.get(str(c), str(c))),
    "title": ("title", _text),
    "text": ("text", _text),
    "las": ("la_codes", _names),
    "barriers": (None, lambda b: ", ".join(barrier_label(k) for k in b or ())),
    "approach": ("approach", lambda a: label_from_key(_text(a)) if _text(a) else ""),
    "recommendation": ("recommendation", lambda r: RECOMMENDATIONS.get(_text(r), _text(r))),
}


def _insights(
    ds: Dataset,
    la: str,
    categories: tuple[str, ...],
    barrier: str | None,
    recommendation: str | None,
) -> pd.DataFrame:
    columns = list(_INSIGHT_CELLS)
    table = ds.insights
    if table is None:
        return pd.DataFrame(columns=columns, dtype="str")
    # the filters on the rows as Python lists: a few dozen rows filtered and mapped column by
    # column in pandas cost more than ten milliseconds an LA
    n = len(table)
    codes = table["la_codes"].tolist()
    kinds = table["category"].tolist()
    barrier_keys = table["barriers"].tolist() if "barriers" in table else [()] * n
    wanted = table["recommendation"].tolist() if "recommendation" in table else None
    keep = [
        i
        for i in range(n)
        if _touches(codes[i], la)
        and (not categories or kinds[i] in categories)
        and (not barrier or barrier in tuple(barrier_keys[i] or ()))
        and (not recommendation or wanted is None or wanted[i] == recommendation)
    ]
    if not keep:  # no rows: pandas' own empty columns, as the rows mapped would give
        rows = table.iloc[[]]
        blank = pd.Series("", index=rows.index)
        no_barriers = pd.Series([], index=rows.index, dtype=object)
        keys = rows["barriers"] if "barriers" in rows else no_barriers
        return pd.DataFrame(
            {
                name: (keys if source is None else rows[source] if source in rows else blank).map(
                    cell
                )
                for name, (source, cell) in _INSIGHT_CELLS.items()
            },
            columns=columns,
        ).reset_index(drop=True)
    out: dict[str, object] = {}
    for name, (source, cell) in _INSIGHT_CELLS.items():
        if source in table and isinstance(table[source].dtype, pd.CategoricalDtype):
            # a categorical column (a reader's choice) mapped stays categorical, as it did
            out[name] = table[source].iloc[keep].map(cell).reset_index(drop=True)
            continue
        if source is None:
            values = [barrier_keys[i] for i in keep]
        elif source in table:
            every = table[source].tolist()
            values = [every[i] for i in keep]
        else:
            values = [""] * len(keep)
        out[name] = [cell(value) for value in values]
    return pd.DataFrame(out, columns=columns)
