"""A prototype for issue 26 item 1, measured, NOT wired into the app: which periods' barrier
counts an area could show if the attack were run before anything is shown.

    .venv/bin/python benchmarks/count_audit.py [DATASET_DIR]

Prints, for every period, how many LA x barrier counts this audit would let the barriers table
show (today's rule, pipeline.barrier_counts_allowed, shows 14 of 208 in every period), and the
seconds it took. On the bundled sample (2 shared cores, 6 Dec 2026): 168 of 208 for the latest
quarter, 6 and 12 months, 172 of 208 for the whole period (target 150), in 256 s (target 10 s).
It stays out of the app until it is fast enough: every LP is solved from scratch (scipy's
linprog); keeping one HiGHS model per area and changing only the objective is the next step, then
the LP property tests of tests/unit/test_disclosure_linked.py over the published figures.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from insight.core.periods import PERIODS  # noqa: E402
from insight.core.thresholds import Thresholds  # noqa: E402
from insight.intake.load import load_dataset  # noqa: E402
from insight.numbers.disclosure import percent, primary, round_count  # noqa: E402
from insight.numbers.measure import flag_grids, period_offsets  # noqa: E402

BIG = 1e7
EPS = 1e-6
# Periods by index in core.periods.PERIODS order (latest_quarter, latest_6, latest_12, whole).
CANDIDATES: tuple[frozenset[int], ...] = (frozenset({0, 1, 2, 3}), frozenset({3}), frozenset())


class _Rows:
    """Sparse linear constraints over x = (y_0..y_n-1, k_0..k_n-1)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: list[tuple[np.ndarray, np.ndarray, float]] = []  # (index, value, bound)
        self.eq: list[tuple[np.ndarray, np.ndarray, float]] = []

    def add(self, cells: np.ndarray, y: float, k: float, bound: float, eq: bool = False) -> None:
        index = (
            np.concatenate([cells, cells + self.n])
            if (y and k)
            else (cells if y else cells + self.n)
        )
        value = (
            np.concatenate([np.full(len(cells), y), np.full(len(cells), k)])
            if (y and k)
            else np.full(len(cells), y if y else k)
        )
        (self.eq if eq else self.rows).append((index, value, float(bound)))

    def matrix(self, eq: bool) -> tuple[csr_matrix | None, np.ndarray | None]:
        rows = self.eq if eq else self.rows
        if not rows:
            return None, None
        data = np.concatenate([v for _, v, _ in rows])
        cols = np.concatenate([i for i, _, _ in rows])
        starts = np.repeat(np.arange(len(rows)), [len(i) for i, _, _ in rows])
        a = csr_matrix((data, (starts, cols)), shape=(len(rows), 2 * self.n))
        return a, np.array([b for _, _, b in rows])


def _share(rows: _Rows, cells: np.ndarray, y: int, k: int, th: Thresholds) -> None:
    """What a shown share (worked out from the true y of k) tells: as in insight.numbers.audit."""
    rows.add(cells, 0.0, -1.0, -th.min_base)
    p = int(percent(np.array([y]), np.array([k]))[0])
    if p == 0 and y > 0:  # "<1%"
        rows.add(cells, -1.0, 0.0, -th.min_cell)
        rows.add(cells, 200.0, -1.0, 0.0)
    elif p == 100 and y < k:  # ">99%"
        rows.add(cells, -200.0, 199.0, 0.0)
        rows.add(cells, 1.0, -1.0, -th.min_cell)
    elif p == 0:
        rows.add(cells, 1.0, 0.0, 0.0, eq=True)
        return
    elif p == 100:
        rows.add(cells, 1.0, -1.0, 0.0, eq=True)
        return
    else:
        rows.add(cells, -100.0, p - 0.5, 0.0)
        rows.add(cells, 100.0, -(p + 0.5), 0.0)
    rows.add(cells, -1.0, 0.0, -th.min_cell)
    rows.add(cells, 1.0, -1.0, -th.min_cell)


def _count(rows: _Rows, cells: np.ndarray, y: int, th: Thresholds) -> None:
    r = int(round_count(np.array([y]), th.round_to)[0])
    if y == 0:
        rows.add(cells, 1.0, 0.0, 0.0, eq=True)
        return
    rows.add(cells, -1.0, 0.0, -max(r - th.round_to // 2, th.min_cell))
    rows.add(cells, 1.0, 0.0, r + th.round_to - 1 - th.round_to // 2)


def _figures(
    months: int, bands: int, windows: list[tuple[int, int]], quarter_of: np.ndarray
) -> tuple[list[np.ndarray], list[list[int]], list[int]]:
    """(cells of every figure, chain groups of figure ids, the figure id of each period)."""
    grid = np.arange(months * bands).reshape(months, bands)
    figures: list[np.ndarray] = []
    chains: list[list[int]] = []

    def figure(cells: np.ndarray) -> int:
        figures.append(np.sort(cells.ravel()))
        return len(figures) - 1

    month_ids = [figure(grid[m]) for m in range(months)]
    for q in np.unique(quarter_of):
        chains.append([month_ids[m] for m in np.flatnonzero(quarter_of == q)])
    period_ids = []
    for first, last in windows:
        period_ids.append(figure(grid[first : last + 1]))
        chains.append([figure(grid[first : last + 1, b]) for b in range(bands)])
        quarters = quarter_of[first : last + 1]
        chains.append([figure(grid[first : last + 1][quarters == q]) for q in np.unique(quarters)])
    return figures, chains, period_ids


def _narrowed(rows: _Rows, targets: list[np.ndarray], th: Thresholds) -> bool:
    a_ub, b_ub = rows.matrix(False)
    a_eq, b_eq = rows.matrix(True)
    for cells in targets:
        objective = np.zeros(2 * rows.n)
        objective[cells] = 1.0
        found = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=(0, BIG),
                method="highs",
            )
            if result.status != 0:
                return True  # cannot tell: treat as narrowed, show no count
            found.append(sign * result.fun)
        low, high = found
        if high < BIG / 10 and math.floor(high + EPS) - math.ceil(low - EPS) + 1 < th.min_cell:
            return True
    return False


def safe_count_periods(
    yes: np.ndarray,
    known: np.ndarray,
    windows: list[tuple[int, int]],
    quarter_of: np.ndarray,
    th: Thresholds,
) -> list[frozenset[int]]:
    """Per area (the rows of yes/known, [area, month, age band]): the periods (indices into
    `windows`) whose rounded count it may show, the first safe set of CANDIDATES."""
    yes = np.asarray(yes, dtype=np.int64)
    known = np.asarray(known, dtype=np.int64)
    areas, months, bands = yes.shape
    figures, chains, period_ids = _figures(months, bands, windows, np.asarray(quarter_of))
    out: list[frozenset[int]] = []
    for area in range(areas):
        y_flat, k_flat = yes[area].ravel(), known[area].ravel()
        ys = np.array([y_flat[c].sum() for c in figures])
        ks = np.array([k_flat[c].sum() for c in figures])
        hidden = primary(ys, ks, th) & (ks > 0)
        base = _Rows(months * bands)
        base.add(np.arange(months * bands), 1.0, -1.0, 0.0)  # y <= k, cell by cell
        for i, cells in enumerate(figures):
            if ks[i] == 0 and not hidden.any():
                base.add(cells, 0.0, 1.0, 0.0, eq=True)  # "[x]": nobody with an answer
            elif ks[i] > 0 and not hidden[i]:
                _share(base, cells, int(ys[i]), int(ks[i]), th)
        targets: set[int] = {int(i) for i in np.flatnonzero(hidden)}
        for chain in chains:
            live = [i for i in chain if ks[i] > 0]
            if sum(bool(hidden[i]) for i in live) == 1:
                # a shown 0% beside a lone [c] is pinned by its own share here, not by any count
                targets.update(i for i in live if hidden[i] or ys[i] > 0)
        chosen: frozenset[int] = frozenset()
        for candidate in CANDIDATES:
            rows = _Rows(months * bands)
            rows.rows, rows.eq = list(base.rows), list(base.eq)
            extra = set(targets)
            for p, fid in enumerate(period_ids):
                if ks[fid] == 0:
                    continue
                if p in candidate and not hidden[fid] and ys[fid] >= th.min_cell:
                    _count(rows, figures[fid], int(ys[fid]), th)
                elif not hidden[fid]:
                    extra.add(fid)  # a hidden count beside a shown share
            if not candidate or not _narrowed(rows, [figures[i] for i in sorted(extra)], th):
                chosen = candidate
                break
        out.append(chosen)
    return out


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "sample_data"
    ds = load_dataset(folder)
    windows, quarter_of = period_offsets(ds)
    started = time.perf_counter()
    shown = dict.fromkeys(range(len(windows)), 0)
    pairs = 0
    for barrier in ds.barrier_keys:
        _, yes, known = flag_grids(ds, "barrier", barrier)
        for periods in safe_count_periods(yes, known, windows, quarter_of, ds.meta.thresholds)[:-1]:
            pairs += 1
            for p in periods:
                shown[p] += 1
    seconds = time.perf_counter() - started
    for p, name in enumerate(PERIODS):
        print(f"{name}: {shown[p]} of {pairs} LA x barrier counts safe to show")
    print(f"audit: {seconds:.1f} s for {len(ds.barrier_keys)} barriers")


if __name__ == "__main__":
    main()
