"""Aggregation: raw tables of counts and bases for a selection. Nothing here is safe to show.

Participants are counted once per dataset into a small cube (LA x start month x category) with
numpy's bincount; every participant measure for any LA and period is then a slice and a sum of
that cube, so changing the LA or the period costs microseconds, not a pass over a million rows.
The optional tables (vacancies, job entries, local provision) are small and grouped with pandas.

A raw table (`Raw`) has one row per area x category with `count` (numerator) and `base`
(denominator). Rows sharing a `group` partition their base when `Raw.exhaustive` (single-response:
the shares sum to 100); otherwise every row is its own yes/no split (multi-response).
Only `insight.numbers.disclosure` turns these into something a page may draw.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from insight.core import geo
from insight.core.contract import (
    AGE_BANDS,
    ALL_LAS,
    BARRIER_PREFIX,
    CHARACTERISTICS,
    SERVICE_PREFIX,
    barrier_label,
    service_label,
)
from insight.core.dataset import Dataset
from insight.core.periods import PERIODS, month_index, month_label, month_text, period_window
from insight.core.selection import WHOLE_AREA

Kind = Literal["barrier", "service"]
RAW_COLUMNS: tuple[str, ...] = (
    "area_code",
    "area",
    "group",
    "category_key",
    "category",
    "count",
    "base",
)
OTHER_EMPLOYERS = "Other employers"
EMPLOYER_NOT_RECORDED = "Employer not recorded"
NAMED_EMPLOYERS_MAX = 10  # job entries name at most this many employers; the rest are grouped


@dataclass(frozen=True, eq=False)
class Raw:
    """Counts and bases, one row per area x category (columns `RAW_COLUMNS`)."""

    frame: pd.DataFrame
    exhaustive: bool  # rows of one `group` partition its base: their shares sum to 100


@dataclass(frozen=True, eq=False)
class Cube:
    """Participant counts by LA (axis 0, `la_codes` order) and start month (axis 1, from `first`)."""

    la_codes: tuple[str, ...]
    first: int
    people: np.ndarray  # [la, month]
    characteristics: dict[str, np.ndarray]  # name -> [la, month, category in contract order]
    flags: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]  # (kind, key) -> (yes, known)
    # yes and known are [la, month, age band]: reporting the barrier (in the service) and
    # having any answer at all (blank = unknown, left out of the base)

    def index(self, la: str) -> int | None:
        try:
            return self.la_codes.index(la)
        except ValueError:
            return None


# --- caching: one cube per dataset -----------------------------------------------------------
_BY_FINGERPRINT: OrderedDict[str, tuple[int, Cube]] = OrderedDict()
_BY_IDENTITY: WeakKeyDictionary[Dataset, Cube] = WeakKeyDictionary()
_FINGERPRINTS_KEPT = 4
_LOCK = threading.Lock()


def cube(ds: Dataset) -> Cube:
    """The participant cube for `ds`, built once. Keyed on `ds.fingerprint` (a hash of the files,
    so the same data loaded twice shares it) or, for a dataset built in memory without one, on
    the object itself. The cube holds raw counts only: disclosure runs on every call, so mode and
    thresholds never need to be part of this key. Safe to call from several threads (Streamlit
    sessions); at worst two threads build the same cube once each."""
    with _LOCK:
        found = _BY_IDENTITY.get(ds) if not ds.fingerprint else None
        entry = _BY_FINGERPRINT.get(ds.fingerprint) if ds.fingerprint else None
        if entry is not None and entry[0] == len(ds.participants):
            _BY_FINGERPRINT.move_to_end(ds.fingerprint)
            found = entry[1]
    if found is not None:
        return found
    built = _build_cube(ds)
    with _LOCK:
        if not ds.fingerprint:
            _BY_IDENTITY[ds] = built
        else:
            _BY_FINGERPRINT[ds.fingerprint] = (len(ds.participants), built)
            while len(_BY_FINGERPRINT) > _FINGERPRINTS_KEPT:
                _BY_FINGERPRINT.popitem(last=False)
    return built


def _codes(series: pd.Series, categories: tuple[str, ...]) -> np.ndarray:
    """Integer codes of `series` in the order of `categories` (-1 for anything else)."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype) and tuple(dtype.categories) == categories:
        return series.cat.codes.to_numpy()
    return pd.Categorical(series.astype("str"), categories=list(categories)).codes


def _flag_arrays(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(yes, known) boolean arrays of a nullable boolean column (<NA> = unknown)."""
    values = series.astype("boolean").array
    known = ~np.asarray(values.isna())
    yes = np.asarray(values.fillna(False), dtype=bool)
    return yes, known


def _build_cube(ds: Dataset) -> Cube:
    people = ds.participants
    las = ds.la_codes
    first, last = ds.meta.start_index, ds.meta.end_index
    n_la, n_month, n_age = len(las), last - first + 1, len(AGE_BANDS)
    la = _codes(people["la_code"], las).astype(np.int64)
    if "start_month_index" in people:
        month = people["start_month_index"].to_numpy(dtype=np.int64) - first
    else:
        month = people["start_month"].map(month_index).to_numpy(dtype=np.int64) - first
    keep = (la >= 0) & (month >= 0) & (month < n_month)
    cell = la * n_month + month  # one integer per (LA, month)

    def tally(key: np.ndarray, mask: np.ndarray, width: int) -> np.ndarray:
        counts = np.bincount(key[mask], minlength=n_la * n_month * width)
        return counts.reshape(n_la, n_month, width) if width > 1 else counts.reshape(n_la, n_month)

    chars: dict[str, np.ndarray] = {}
    for name, categories in CHARACTERISTICS.items():
        code = _codes(people[name], categories).astype(np.int64)
        chars[name] = tally(cell * len(categories) + code, keep & (code >= 0), len(categories))
    age = _codes(people["age_band"], AGE_BANDS).astype(np.int64)
    aged = keep & (age >= 0)
    cell_age = cell * n_age + age
    flags: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for kind, prefix, keys in (
        ("barrier", BARRIER_PREFIX, ds.barrier_keys),
        ("service", SERVICE_PREFIX, ds.service_keys),
    ):
        for key in keys:
            yes, known = _flag_arrays(people[prefix + key])
            flags[(kind, key)] = (
                tally(cell_age, aged & yes, n_age),
                tally(cell_age, aged & known, n_age),
            )
    return Cube(las, first, tally(cell, keep, 1), chars, flags)


# --- areas and windows -----------------------------------------------------------------------
@lru_cache(maxsize=1024)
def la_name(code: str) -> str:
    """The LA's name, remembered (the geography is fixed while the app runs)."""
    return geo.la_name(code)


def whole_area_name(ds: Dataset) -> str:
    return f"{ds.meta.area_name} (whole area)"


def area_name(ds: Dataset, code: str) -> str:
    return whole_area_name(ds) if code == WHOLE_AREA else la_name(code)


def areas(ds: Dataset, la: str) -> list[tuple[str, str]]:
    """(code, name) of the rows a selection shows: the LA then the whole area, or the area alone."""
    rows = [(WHOLE_AREA, whole_area_name(ds))]
    if la != WHOLE_AREA:
        rows.insert(0, (la, la_name(la)))
    return rows


def _months(ds: Dataset, period: str) -> slice:
    first, last = period_window(ds.meta, period)
    return slice(first - ds.meta.start_index, last - ds.meta.start_index + 1)


def _pick(c: Cube, array: np.ndarray, code: str) -> np.ndarray:
    """The whole area's (summed over LAs) or one LA's slice of a cube array."""
    if code == WHOLE_AREA:
        return array.sum(axis=0)
    i = c.index(code)
    return array[i] if i is not None else np.zeros(array.shape[1:], dtype=array.dtype)


def _raw(rows: list[tuple], exhaustive: bool) -> Raw:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(RAW_COLUMNS)
    data: dict[str, object] = {
        name: list(values) for name, values in zip(RAW_COLUMNS, columns, strict=True)
    }
    data["count"] = np.asarray(data["count"], dtype=np.int64)
    data["base"] = np.asarray(data["base"], dtype=np.int64)
    return Raw(pd.DataFrame(data), exhaustive)


def participants_in(ds: Dataset, period: str, la: str) -> int:
    """Participants who started in the period in the LA (or the whole area)."""
    c = cube(ds)
    return int(_pick(c, c.people, la)[_months(ds, period)].sum())


def _label(kind: Kind, key: str) -> str:
    return barrier_label(key) if kind == "barrier" else service_label(key)


def keys_of(ds: Dataset, kind: Kind) -> tuple[str, ...]:
    return ds.barrier_keys if kind == "barrier" else ds.service_keys


# --- participant measures --------------------------------------------------------------------
def count_characteristic(ds: Dataset, period: str, la: str, name: str) -> Raw:
    """Participants by one characteristic, per area; each area's categories partition its base."""
    c, months = cube(ds), _months(ds, period)
    rows = []
    for code, area in areas(ds, la):
        counts = _pick(c, c.characteristics[name], code)[months].sum(axis=0)
        base = int(counts.sum())
        for key, n in zip(CHARACTERISTICS[name], counts, strict=True):
            rows.append((code, area, code, key, key, int(n), base))
    return _raw(rows, exhaustive=True)


def count_flags(ds: Dataset, period: str, la: str, kind: Kind) -> Raw:
    """Per area and barrier (or service): participants reporting it over those with an answer."""
    c, months = cube(ds), _months(ds, period)
    rows = []
    for code, area in areas(ds, la):
        for key in keys_of(ds, kind):
            yes, known = (_pick(c, a, code)[months].sum() for a in c.flags[(kind, key)])
            rows.append((code, area, f"{code}:{key}", key, _label(kind, key), int(yes), int(known)))
    return _raw(rows, exhaustive=False)


def count_barrier_by_age(ds: Dataset, period: str, la: str, barrier: str) -> Raw:
    """Per area and age band: participants reporting one barrier over those with an answer."""
    c, months = cube(ds), _months(ds, period)
    rows = []
    for code, area in areas(ds, la):
        yes, known = (_pick(c, a, code)[months].sum(axis=0) for a in c.flags[("barrier", barrier)])
        for i, band in enumerate(AGE_BANDS):
            rows.append((code, area, f"{code}:{band}", band, band, int(yes[i]), int(known[i])))
    return _raw(rows, exhaustive=False)


def _quarter(index: int) -> str:
    return f"{index // 12:04d}-Q{index % 12 // 3 + 1}"


def count_trend(
    ds: Dataset, period: str, la: str, kind: Kind, key: str, freq: Literal["month", "quarter"]
) -> Raw:
    """Per area and start month (or calendar quarter) in the period: reporting over answered.
    A quarter cut by the period's edge covers only its months inside the period (see label)."""
    c = cube(ds)
    first, last = period_window(ds.meta, period)
    months = list(range(first, last + 1))
    buckets: dict[str, list[int]] = {}
    for m in months:
        buckets.setdefault(_quarter(m) if freq == "quarter" else month_text(m), []).append(m)
    rows = []
    for code, area in areas(ds, la):
        yes, known = (_pick(c, a, code).sum(axis=-1) for a in c.flags[(kind, key)])
        for bucket, members in buckets.items():
            idx = [m - c.first for m in members]
            label = month_label(members[0])
            if len(members) > 1:
                label = f"{month_label(members[0])[:3]} to {month_label(members[-1])}"
            rows.append(
                (
                    code,
                    area,
                    f"{code}:{bucket}",
                    bucket,
                    label,
                    int(yes[idx].sum()),
                    int(known[idx].sum()),
                )
            )
    return _raw(rows, exhaustive=False)


def count_la_shares(ds: Dataset, period: str) -> Raw:
    """Participants per LA over the area's participants: one group that sums to 100."""
    c = cube(ds)
    per_la = c.people[:, _months(ds, period)].sum(axis=1)
    base = int(per_la.sum())
    rows = [
        (code, la_name(code), WHOLE_AREA, code, la_name(code), int(n), base)
        for code, n in zip(c.la_codes, per_la, strict=True)
    ]
    return _raw(rows, exhaustive=True)


def count_flag_by_la(ds: Dataset, period: str, kind: Kind, key: str) -> Raw:
    """Per LA: participants reporting one barrier (in one service) over those with an answer."""
    c, months = cube(ds), _months(ds, period)
    yes, known = (a[:, months].sum(axis=(1, 2)) for a in c.flags[(kind, key)])
    rows = [
        (code, la_name(code), code, key, _label(kind, key), int(y), int(k))
        for code, y, k in zip(c.la_codes, yes, known, strict=True)
    ]
    return _raw(rows, exhaustive=False)


def flag_grids(ds: Dataset, kind: Kind, key: str) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """(area codes: every LA then the whole area, yes, known): [area, month, age band] counts of
    one barrier (or service) from the dataset's first month, for checks across linked tables."""
    c = cube(ds)
    yes, known = c.flags[(kind, key)]
    return (
        (*c.la_codes, WHOLE_AREA),
        np.concatenate([yes, yes.sum(axis=0, keepdims=True)]),
        np.concatenate([known, known.sum(axis=0, keepdims=True)]),
    )


def period_offsets(ds: Dataset) -> tuple[list[tuple[int, int]], np.ndarray]:
    """(each period's (first, last) month offset from the dataset's first month, a calendar
    quarter id per month offset)."""
    start = ds.meta.start_index
    windows = []
    for period in PERIODS:
        first, last = period_window(ds.meta, period)
        windows.append((first - start, last - start))
    months = np.arange(start, ds.meta.end_index + 1)
    return windows, months // 3


# --- optional tables -------------------------------------------------------------------------
def in_period(ds: Dataset, table: pd.DataFrame, period: str) -> pd.DataFrame:
    """Rows of an optional table whose `month` lies in the period."""
    first, last = period_window(ds.meta, period)
    if "month_index" in table:
        index = table["month_index"].to_numpy()
    else:
        index = table["month"].map(month_index).to_numpy()
    return table[(index >= first) & (index <= last)]


def employer_groups(entries: pd.Series, keep_at_least: int) -> pd.Series:
    """Employer names as shown: the largest employers (at least `keep_at_least` entries across
    the area, at most NAMED_EMPLOYERS_MAX) by name, every other as "Other employers", blanks as
    "Employer not recorded"."""
    names = entries.astype("str").str.strip()
    blank = entries.isna() | (names == "")
    sizes = names[~blank].value_counts()
    named = sizes[sizes >= keep_at_least].index[:NAMED_EMPLOYERS_MAX]
    grouped = names.where(names.isin(named), OTHER_EMPLOYERS)
    return grouped.where(~blank, EMPLOYER_NOT_RECORDED)


def count_events(
    ds: Dataset,
    rows_in_period: pd.DataFrame,
    la: str,
    by: str,
    weight: str | None,
) -> Raw:
    """Shares of events (vacancy positions when `weight` is "positions", job entry rows otherwise)
    by `by` ("la" or a column such as sector or a grouped employer), one exhaustive group per area.
    By "la" there is one group, the whole area, with a row per LA."""
    amounts = rows_in_period[weight] if weight else pd.Series(1, index=rows_in_period.index)
    codes = rows_in_period["la_code"].astype("str")
    if by == "la":
        per_la = amounts.groupby(codes).sum()
        las = sorted(set(ds.la_codes) | set(per_la.index))
        base = int(per_la.sum())
        out = [
            (code, la_name(code), WHOLE_AREA, code, la_name(code), int(per_la.get(code, 0)), base)
            for code in las
        ]
        return _raw(out, exhaustive=True)
    return events_by_area(ds, event_sums(rows_in_period, by, weight), la)


@dataclass(frozen=True)
class EventSums:
    """Events in a period summed by `by` (a column such as sector), for the whole area and for
    each LA: what count_events gives every selection of that period, grouped once. `categories`
    every key, sorted; `whole` and `per_la[code]` the sums by key (a key absent: none)."""

    categories: tuple[str, ...]
    whole: dict[str, Any]
    per_la: dict[str, dict[str, Any]]


def event_sums(rows_in_period: pd.DataFrame, by: str, weight: str | None) -> EventSums:
    """The sums count_events takes by `by` ("la" aside), for every area at once."""
    amounts = rows_in_period[weight] if weight else pd.Series(1, index=rows_in_period.index)
    codes = rows_in_period["la_code"].astype("str")
    keys = rows_in_period[by].astype("str")
    per_la: dict[str, dict[str, Any]] = {}
    for (code, key), total in amounts.groupby([codes, keys], sort=False).sum().items():
        per_la.setdefault(str(code), {})[str(key)] = total
    return EventSums(tuple(sorted(keys.unique())), amounts.groupby(keys).sum().to_dict(), per_la)


def events_by_area(ds: Dataset, sums: EventSums, la: str) -> Raw:
    """count_events' rows for the selection `la` from the period's EventSums: one exhaustive
    group per area (the LA and the whole area), a row per category."""
    out: list[tuple] = []
    for code, area in areas(ds, la):
        found = sums.whole if code == WHOLE_AREA else sums.per_la.get(code, {})
        base = int(sum(found.values())) if found else 0
        out.extend((code, area, code, k, k, int(found.get(k, 0)), base) for k in sums.categories)
    return _raw(out, exhaustive=True)


def count_provision(ds: Dataset, period: str, la: str) -> Raw:
    """Per organisation and service: planned referrals (count) against capacity (base) in the
    period. Rows for `ALL` apply to every LA. Not a share of people: the base is places."""
    table = ds.local_provision
    rows: list[tuple] = []
    if table is not None and len(table):
        rows_in = in_period(ds, table, period)
        codes = rows_in["la_code"].astype("str")
        if la != WHOLE_AREA:
            rows_in = rows_in[(codes == la) | (codes == ALL_LAS)]
        sums = rows_in.groupby(["organisation", "service"], sort=True, observed=True)[
            ["planned_referrals", "capacity"]
        ].sum()
        area = area_name(ds, la)
        for (organisation, service), values in sums.iterrows():
            key = f"{organisation}|{service}"
            rows.append(
                (
                    la,
                    area,
                    la,
                    key,
                    f"{organisation}: {service}",
                    int(values["planned_referrals"]),
                    int(values["capacity"]),
                )
            )
    return _raw(rows, exhaustive=False)
