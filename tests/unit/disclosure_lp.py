"""The linked-tables attack, as a linear programme (a helper for tests and for
benchmarks/disclosure_attack.py; not a test itself).

For one Local Authority and one barrier, the unknowns are the true counts behind every figure the
app can show for it: per start month and age band, `y` (reporting the barrier) and `k` (with an
answer), y <= k. Every figure the app publishes for that LA and barrier in any period (the
barriers table's share and rounded count, the share by age band, the month and quarter trends) is
read back from the safe tables and turned into linear constraints on sums of those unknowns,
together with everything the published rules tell an attacker (a shown share rests on a base of
at least min_base, a shown non-zero share on at least min_cell people each side, a shown count r
means r - round_to/2 <= y < r + round_to/2 and at least min_cell). Then, for every `[c]` cell,
HiGHS (scipy.optimize.linprog) finds the least and the most its count could be. A cell is
*narrowed* when fewer than min_cell whole values remain.

A `[c]` whose count is 0 only because shown 0% (or `[x]`) figures cover every person in it is
reported apart (`implied_zero`): the room learns nothing about it that the 0% did not already say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from insight.core.contract import AGE_BANDS
from insight.core.dataset import Dataset
from insight.core.periods import PERIODS, month_index, period_window
from insight.core.selection import Mode, Selection
from insight.numbers import tables
from insight.numbers.measure import cube

EPS = 1e-6
BIG = 1e6  # no dataset has a million people in one cell: anything near it is "unbounded"


@dataclass(frozen=True)
class Observation:
    cells: frozenset[int]  # grid cells (month offset * len(AGE_BANDS) + age band)
    label: str  # the share's label: "34%", "<1%", "[c]", "[x]"...
    count: str | None  # the rounded count's label where shown
    where: str  # e.g. "latest_6 age 18-24", "month 2026-02"


@dataclass(frozen=True)
class Finding:
    la: str
    barrier: str
    where: str
    low: float
    high: float  # math.inf when unbounded
    truth: int

    @property
    def values(self) -> float:
        """How many whole counts the published figures leave possible."""
        if math.isinf(self.high):
            return math.inf
        return math.floor(self.high + EPS) - math.ceil(self.low - EPS) + 1


def _grid(ds: Dataset, months: range, bands: range) -> frozenset[int]:
    start = ds.meta.start_index
    return frozenset((m - start) * len(AGE_BANDS) + a for m in months for a in bands)


def _quarter_months(key: str) -> range:
    year, q = key.split("-Q")
    first = int(year) * 12 + (int(q) - 1) * 3
    return range(first, first + 3)


def observations(
    ds: Dataset, la: str, barrier: str, mode: Mode, built: dict | None = None
) -> list[Observation]:
    """Every figure the app shows for this area (an LA code or "all") and barrier, in every
    period. `built`, when given, keeps every safe table made, by (key, la, period): the barriers
    table is made once per LA and period however many barriers are attacked."""
    out: list[Observation] = []
    all_bands = range(len(AGE_BANDS))
    built = {} if built is None else built

    def table(key: str, sel: Selection, make) -> pd.DataFrame:
        if (key, sel.la, sel.period) not in built:
            built[(key, sel.la, sel.period)] = make()
        return built[(key, sel.la, sel.period)].frame

    for period in PERIODS:
        first, last = period_window(ds.meta, period)
        window = range(first, last + 1)
        sel = Selection(la=la, period=period, mode=mode)
        frame = table("barriers", sel, lambda sel=sel: tables.barriers(ds, sel))
        for _, row in frame[
            (frame["area_code"] == la) & (frame["category_key"] == barrier)
        ].iterrows():
            count = str(row["count"]) if "count" in frame else None
            out.append(Observation(_grid(ds, window, all_bands), row["label"], count, period))
        frame = table(
            f"barrier_by_age.{barrier}",
            sel,
            lambda sel=sel: tables.barrier_by_age(ds, sel, barrier),
        )
        for _, row in frame[frame["area_code"] == la].iterrows():
            band = AGE_BANDS.index(row["category_key"])
            cells = _grid(ds, window, range(band, band + 1))
            out.append(
                Observation(cells, row["label"], None, f"{period} age {row['category_key']}")
            )
        for freq in ("month", "quarter"):
            frame = table(
                f"trend.{barrier}.{freq}",
                sel,
                lambda sel=sel, freq=freq: tables.trend(ds, sel, "barrier", barrier, freq),
            )
            for _, row in frame[frame["area_code"] == la].iterrows():
                key = row["category_key"]
                if freq == "month":
                    months = range(month_index(key), month_index(key) + 1)
                else:
                    q = _quarter_months(key)
                    months = range(max(q.start, first), min(q.stop, last + 1))
                cells = _grid(ds, months, all_bands)
                out.append(Observation(cells, row["label"], None, f"{period} {freq} {key}"))
    return out


def _number(label: str) -> int:
    return int(label.replace(",", "").rstrip("%"))


def constraints(
    obs: list[Observation], n_cells: int, min_base: int, min_cell: int, round_to: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(A_ub, b_ub, A_eq, b_eq) over x = (y_0..y_n-1, k_0..k_n-1)."""
    ub: list[tuple[np.ndarray, float]] = []
    eq: list[tuple[np.ndarray, float]] = []

    def row(y: float = 0.0, k: float = 0.0, cells: frozenset[int] = frozenset()) -> np.ndarray:
        r = np.zeros(2 * n_cells)
        index = np.fromiter(cells, dtype=np.int64)
        r[index] = y
        r[n_cells + index] = k
        return r

    for i in range(n_cells):  # y_i <= k_i
        r = np.zeros(2 * n_cells)
        r[i], r[n_cells + i] = 1.0, -1.0
        ub.append((r, 0.0))
    for o in obs:
        c, label = o.cells, o.label
        if label == "[x]":
            eq.append((row(k=1.0, cells=c), 0.0))
        elif label == "[c]":
            pass  # a [c] may stand for a base of 0 too (an [x] beside a [c] reads [c])
        else:
            ub.append((row(k=-1.0, cells=c), -float(min_base)))
            if label == "<1%":
                ub.append((row(y=-1.0, cells=c), -float(min_cell)))
                ub.append((row(y=200.0, k=-1.0, cells=c), 0.0))
                ub.append((row(y=1.0, k=-1.0, cells=c), -float(min_cell)))
            elif label == ">99%":
                ub.append((row(y=-200.0, k=199.0, cells=c), 0.0))
                ub.append((row(y=1.0, k=-1.0, cells=c), -float(min_cell)))
                ub.append((row(y=-1.0, cells=c), -float(min_cell)))
            else:
                p = _number(label)
                if p == 0:
                    eq.append((row(y=1.0, cells=c), 0.0))
                elif p == 100:
                    eq.append((row(y=1.0, k=-1.0, cells=c), 0.0))
                else:
                    ub.append((row(y=-100.0, k=p - 0.5, cells=c), 0.0))
                    ub.append((row(y=100.0, k=-(p + 0.5), cells=c), 0.0))
                    ub.append((row(y=-1.0, cells=c), -float(min_cell)))
                    ub.append((row(y=1.0, k=-1.0, cells=c), -float(min_cell)))
        if o.count is not None and o.count != "[c]":
            r = _number(o.count)
            if r == 0:
                eq.append((row(y=1.0, cells=c), 0.0))
            else:
                low = max(r - round_to // 2, min_cell)
                high = r + round_to - 1 - round_to // 2
                ub.append((row(y=-1.0, cells=c), -float(low)))
                ub.append((row(y=1.0, cells=c), float(high)))

    def stack(rows: list[tuple[np.ndarray, float]]) -> tuple[np.ndarray, np.ndarray]:
        if not rows:
            return np.zeros((0, 2 * n_cells)), np.zeros(0)
        return np.vstack([r for r, _ in rows]), np.array([b for _, b in rows])

    a_ub, b_ub = stack(ub)
    a_eq, b_eq = stack(eq)
    return a_ub, b_ub, a_eq, b_eq


def _implied_zero(target: frozenset[int], obs: list[Observation]) -> bool:
    covered: set[int] = set()
    for o in obs:
        if o.label in ("0%", "[x]") or o.count == "0":
            covered |= o.cells
    return target <= covered


def attack(
    ds: Dataset, la: str, barrier: str, mode: Mode, built: dict | None = None
) -> tuple[list[Finding], int, list[Observation]]:
    """(a finding for every distinct `[c]` cell of this LA and barrier, how many of them were
    left out as implied zeros, the observations used)."""
    th = ds.meta.thresholds
    obs = observations(ds, la, barrier, mode, built)
    n_cells = (ds.meta.end_index - ds.meta.start_index + 1) * len(AGE_BANDS)
    targets: dict[frozenset[int], str] = {}
    for o in obs:
        if o.label == "[c]" or o.count == "[c]" and o.label != "[x]":
            targets.setdefault(o.cells, o.where)
    if not targets:
        return [], 0, obs
    a_ub, b_ub, a_eq, b_eq = constraints(obs, n_cells, th.min_base, th.min_cell, th.round_to)
    c = cube(ds)
    i = c.index(la)
    yes = c.flags[("barrier", barrier)][0]
    if la == "all":
        truth_grid = yes.sum(axis=0).reshape(-1)
    else:
        truth_grid = yes[i].reshape(-1) if i is not None else np.zeros(n_cells, dtype=np.int64)
    findings, implied = [], 0
    for cells, where in targets.items():
        if _implied_zero(cells, obs):
            implied += 1
            continue
        objective = np.zeros(2 * n_cells)
        objective[np.fromiter(cells, dtype=np.int64)] = 1.0
        bounds = []
        for sign in (1.0, -1.0):
            res = linprog(
                sign * objective,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq if len(b_eq) else None,
                b_eq=b_eq if len(b_eq) else None,
                bounds=(0, BIG),  # a box keeps HiGHS from "infeasible or unbounded"
                method="highs",
            )
            if res.status != 0:
                raise AssertionError(f"LP for {la} {barrier} {where}: {res.message}")
            value = sign * res.fun
            bounds.append(math.inf if value > BIG / 10 else value)
        truth = int(truth_grid[np.fromiter(cells, dtype=np.int64)].sum())
        findings.append(Finding(la, barrier, where, bounds[0], bounds[1], truth))
    return findings, implied, obs
