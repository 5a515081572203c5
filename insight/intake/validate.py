"""Contract validation and normalisation: check each table against DATA_CONTRACT.md and, in the
same pass, build the typed frames a `Dataset` holds.

Checks run on each column's distinct values and the answers are mapped back to rows with numpy,
so a million participants cost a few array lookups per column. Every problem names the file, the
column and the spreadsheet row (the first PROBLEMS_LISTED_PER_KIND rows, then a count). Values
from closed lists are quoted in messages to help the fix; free text is never quoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor, Future

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from insight.core import geo
from insight.core.contract import (
    AGE_BANDS,
    BARRIER_PREFIX,
    BARRIERS,
    DISABILITY,
    ETHNICITIES,
    FUNDED_BY,
    GENDERS,
    INSIGHT_CATEGORIES,
    PLAN_STATUSES,
    PROBLEMS_LISTED_PER_KIND,
    RECOMMENDATIONS,
    REQUIRED_COLUMNS,
    SERVICE_PREFIX,
    SERVICES,
    STATUSES,
)
from insight.core.dataset import Meta
from insight.core.problems import Problem
from insight.intake.checks import TableCheck
from insight.intake.raw import RawColumn, RawTable

_CHOICES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "age_band": AGE_BANDS,
    "gender": GENDERS,
    "ethnicity": ETHNICITIES,
    "disability": DISABILITY,
}


# --- tables ----------------------------------------------------------------------------------
def flag_keys(table: RawTable, prefix: str, known: Sequence[str]) -> tuple[str, ...]:
    """barrier_/service_ keys in the table: the contract's order first, then the file's."""
    present = [
        c.name[len(prefix) :]
        for c in table.columns
        if c.name.startswith(prefix) and c.name != prefix
    ]
    ordered = [key for key in known if key in present]
    return tuple(dict.fromkeys(ordered + present))


def ids_repeat_soon(table: RawTable, pool: Executor) -> Future[bool] | None:
    """Start finding out, on `pool`, whether any participant_id is given twice (trimmed, blanks
    aside): the hashing of a million IDs runs in Arrow, without the GIL, while this thread
    screens the tables. For `check_participants`; None without a participant_id column."""
    ids = table.by_name.get("participant_id")
    if ids is None:
        return None
    text = ids.text()  # made here: a column's cached values are never made on two threads
    return pool.submit(_repeats, text)


def _repeats(text: pa.Array) -> bool:
    # pc.unique (with null as one value if any) hashes once; count_distinct costs twice as much
    return len(pc.unique(text)) - (text.null_count > 0) < len(text) - text.null_count


def check_participants(
    table: RawTable, meta: Meta | None, repeats: Future[bool] | None = None
) -> tuple[list[Problem], pd.DataFrame | None, tuple[str, ...], tuple[str, ...]]:
    """The participants table checked and typed; `repeats`, from `ids_repeat_soon` on the same
    table, says whether any participant_id is given twice (found here when not given)."""
    check = TableCheck(table, meta)
    if not check.has_columns(REQUIRED_COLUMNS["participants"]):
        return check.problems, None, (), ()
    ids = check.column("participant_id")
    assert ids is not None
    check.flag_rows(ids, ids.blank_rows(), "is blank; expected a pseudonymous ID", "blank")
    text = ids.text()
    if repeats.result() if repeats is not None else _repeats(text):
        _duplicates(check, ids)
    codes, targets = check.la_code("la_code")
    order = sorted(range(len(targets)), key=targets.__getitem__)
    remap = np.full(len(targets) + 1, -1, dtype=np.int32)
    remap[order] = np.arange(len(order))
    month_text, month_idx = check.month("start_month")
    frame: dict[str, object] = {
        "participant_id": pd.Series(text.to_pandas(), dtype="str"),
        "la_code": pd.Categorical.from_codes(remap[codes], categories=sorted(targets)),
        "start_month": month_text,
        "start_month_index": month_idx.astype(np.int32),
    }
    for name, allowed in _CHOICES.items():
        frame[name] = check.choice(name, allowed)
    barriers = flag_keys(table, BARRIER_PREFIX, tuple(BARRIERS))
    services = flag_keys(table, SERVICE_PREFIX, tuple(SERVICES))
    for prefix, keys in ((BARRIER_PREFIX, barriers), (SERVICE_PREFIX, services)):
        for key in keys:
            frame[prefix + key] = check.boolean(prefix + key)
    return check.problems, pd.DataFrame(frame), barriers, services


def _duplicates(check: TableCheck, ids: RawColumn) -> None:
    codes = ids.codes
    filled = codes[codes >= 0]
    if len(filled) == len(ids.dictionary):
        return
    counts = np.bincount(filled, minlength=len(ids.dictionary))
    repeated = np.append(counts > 1, False)
    rows = ids.rows_where(repeated)
    first_row: dict[int, int] = {}
    messages: dict[int, str] = {}
    for row in rows:
        code = int(codes[row - 2])
        if code in first_row:
            messages.setdefault(code, f"this participant_id is also on row {first_row[code]}")
        else:
            first_row[code] = int(row)
    # report only the repeats, not the first sighting
    later = np.array([row for row in rows if first_row[int(codes[row - 2])] != row], dtype=np.int64)
    check.flag_rows(
        ids,
        later,
        lambda row: f"duplicate participant_id (also on row {first_row[int(codes[row - 2])]})",
        "duplicate_id",
    )


def check_optional(
    table: RawTable, meta: Meta | None, barrier_keys: Sequence[str]
) -> tuple[list[Problem], pd.DataFrame | None]:
    """vacancies, job_entries, local_provision, commissioning_plans or insights."""
    check = TableCheck(table, meta)
    if not check.has_columns(REQUIRED_COLUMNS[table.stem]):
        return check.problems, None
    build = _BUILDERS[table.stem]
    frame = build(check, tuple(barrier_keys))
    return check.problems, frame


def _month_columns(check: TableCheck, name: str, in_period: bool = True) -> dict[str, object]:
    text, index = check.month(name, in_period)
    return {name: text, f"{name}_index": index.astype(np.int32)}


def _vacancies(check: TableCheck, _: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": check.la_series("la_code"),
            "sector": check.text("sector"),
            **_month_columns(check, "month"),
            "positions": check.count("positions", 1),
            "employer": check.text("employer", required=False),
        }
    )


def _job_entries(check: TableCheck, _: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": check.la_series("la_code"),
            "sector": check.text("sector"),
            **_month_columns(check, "month"),
            "employer": check.text("employer", required=False),
            "sustained": check.boolean("sustained"),
        }
    )


def _local_provision(check: TableCheck, _: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "organisation": check.text("organisation"),
            "service": check.text("service"),
            "la_code": check.la_series("la_code", allow_all=True),
            **_month_columns(check, "month"),
            "capacity": check.count("capacity", 0),
            "planned_referrals": check.count("planned_referrals", 0),
            "funded_by": check.choice("funded_by", FUNDED_BY),
        }
    )


def _plans(check: TableCheck, barriers: tuple[str, ...]) -> pd.DataFrame:
    starts = _month_columns(check, "start_month", in_period=False)
    ends = _month_columns(check, "end_month", in_period=False)
    start_idx, end_idx = starts["start_month_index"], ends["end_month_index"]
    backwards = (start_idx >= 0) & (end_idx >= 0) & (end_idx < start_idx)  # type: ignore[operator]
    for row in np.flatnonzero(backwards)[:PROBLEMS_LISTED_PER_KIND]:
        check.problems.append(
            Problem(
                "contract",
                check.table.file,
                "end_month is before start_month",
                column="end_month",
                row=int(row) + 2,
                rule="plan_order",
            )
        )
    barrier = check.key_list("barrier", barriers, "barrier key", required=False)
    return pd.DataFrame(
        {
            "title": check.text("title"),
            "description": check.text("description", required=False),
            "la_codes": check.key_list("la_codes", sorted(geo.known_codes()), "LA code", True),
            "barrier": pd.Series([parts[0] if parts else pd.NA for parts in barrier], dtype="str"),
            **starts,
            **ends,
            "status": check.choice("status", PLAN_STATUSES),
        }
    )


def _insights(check: TableCheck, barriers: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": check.choice("category", tuple(INSIGHT_CATEGORIES)),
            "title": check.text("title"),
            "text": check.text("text"),
            "la_codes": check.key_list("la_codes", sorted(geo.known_codes()), "LA code", True),
            "barriers": check.key_list("barriers", barriers, "barrier key", required=False),
            "approach": check.text("approach", required=False),
            "recommendation": check.choice(
                "recommendation", tuple(RECOMMENDATIONS), required=False
            ),
        }
    )


_BUILDERS = {
    "vacancies": _vacancies,
    "job_entries": _job_entries,
    "local_provision": _local_provision,
    "commissioning_plans": _plans,
    "insights": _insights,
}


def barrier_vocabulary(barrier_keys: Sequence[str]) -> tuple[str, ...]:
    """Keys a plan's `barrier` or an insight's `barriers` may use: the annex's and the dataset's."""
    return tuple(dict.fromkeys([*BARRIERS, *barrier_keys]))


__all__ = ["barrier_vocabulary", "check_optional", "check_participants"]
