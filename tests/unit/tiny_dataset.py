"""A tiny factory of in-memory Datasets for the insight core's tests (no loader, no files).

rows = people("E08000028", 12, age_band="50+", barrier_digital_skills=True)
ds = dataset(rows + people("E08000025", 30))
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from insight.core.contract import BARRIERS, CHARACTERISTICS, SERVICES
from insight.core.dataset import Dataset, Meta
from insight.core.periods import month_index
from insight.core.thresholds import Thresholds

SANDWELL, BIRMINGHAM, WALSALL = "E08000028", "E08000025", "E08000030"
DEFAULTS = {
    "start_month": "2025-01",
    "status": "active",
    "age_band": "25-34",
    "gender": "Female",
    "ethnicity": "White",
    "disability": "No",
}


def people(la: str, n: int, **values: object) -> list[dict]:
    """n identical participants in one LA; flags not given are False."""
    row: dict[str, object] = {"la_code": la, **DEFAULTS}
    row.update({f"barrier_{k}": False for k in BARRIERS})
    row.update({f"service_{k}": False for k in SERVICES})
    row.update(values)
    return [dict(row) for _ in range(n)]


def dataset(
    rows: list[dict],
    thresholds: Thresholds | None = None,
    period: tuple[str, str] = ("2025-01", "2025-12"),
    **tables: pd.DataFrame | None,
) -> Dataset:
    """A Dataset with the loader's column types; optional tables get their `month_index`."""
    frame = pd.DataFrame(rows)
    frame.insert(0, "participant_id", [f"P{i:06d}" for i in range(len(frame))])
    frame["la_code"] = frame["la_code"].astype("category")
    frame["start_month_index"] = frame["start_month"].map(month_index).astype("int32")
    for name, values in CHARACTERISTICS.items():
        frame[name] = pd.Categorical(frame[name], categories=list(values))
    barrier_keys = tuple(c.removeprefix("barrier_") for c in frame if c.startswith("barrier_"))
    service_keys = tuple(c.removeprefix("service_") for c in frame if c.startswith("service_"))
    for column in frame:
        if column.startswith(("barrier_", "service_")):
            frame[column] = frame[column].astype("boolean")
    for table in tables.values():
        if table is not None and "month" in table:
            table["month_index"] = table["month"].map(month_index)
    meta = Meta(
        provider_name="Test Provider",
        area_name="Test Area",
        period_start=period[0],
        period_end=period[1],
        extract_date=date(2026, 1, 5),
        synthetic=True,
        thresholds=thresholds or Thresholds(),
    )
    return Dataset(
        meta=meta,
        participants=frame,
        barrier_keys=barrier_keys,
        service_keys=service_keys,
        **tables,
    )


def provision(plans: list[tuple[int, int]], la: str = SANDWELL) -> pd.DataFrame:
    """A local-provision table of one service per (planned referrals, capacity) pair, one
    organisation each, all in `la` in June 2025."""
    n = len(plans)
    return pd.DataFrame(
        {
            "organisation": [f"Org {i}" for i in range(n)],
            "service": ["Advice"] * n,
            "la_code": [la] * n,
            "month": ["2025-06"] * n,
            "planned_referrals": [p for p, _ in plans],
            "capacity": [c for _, c in plans],
            "funded_by": ["local"] * n,
        }
    )
