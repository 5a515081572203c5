"""Which barrier counts standard mode may show: an audit of every linked figure (issue 26, item 1).

A barrier's rounded count is the only figure in the app that puts an upper bound on a number of
people: every other figure for an area and barrier is a share, and a share says nothing about how
many people stand behind it. So a count shown beside a `[c]` (the count of a period, minus the
people the shown months, quarters or age bands of that period must at least hold) can narrow the
hidden figure to a few values. The old rule hid a count wherever any figure for that area and
barrier was `[c]`, in any period: safe, but it kept 14 of the bundled sample's 208 counts.

Method: *auditing*, the exact test behind optimal secondary suppression. For each area (every LA,
and the whole area) and barrier, one linear programme holds everything the app publishes about
it: the unknowns are the true counts per start month and age band (`y` with the barrier, `k` with
an answer, y <= k), and every shown share, `[x]` and rounded count is a linear constraint on sums
of them, exactly as the attacker of tests/unit/disclosure_lp.py reads them. Which figures are `[c]`
is worked out here with the same rules the tables apply (disclosure.primary, chain_secondary,
`[x]` reading `[c]`), so the programme is the attacker's own. Then, for every `[c]` figure (a
hidden share, or a count hidden beside a shown share), HiGHS finds the least and the most its
count could be; a set of counts may be shown only if every `[c]` keeps at least min_cell possible
values (a `[c]` that shown 0% or `[x]` figures already cover is left out: it is known to be 0).

The counts are added greedily, whole period first, then 12 months, 6 months and the latest quarter,
each kept only if the audit still passes; all four are tried at once first (adding counts only
narrows, so when all four pass, the greedy would keep them all). One HiGHS model per area and
barrier is built once: each count is a row whose bounds are changed, each target a change of the
objective, so every solve after the first starts from the last basis.

Two guards beyond the attack of the tests:
- A refusal must not itself narrow: were a count hidden only when showing it would narrow a `[c]`,
  the hiding would say "the count is small" and narrow the `[c]` all the same. So a count is shown
  only if the audit also passes with that count one rounding step smaller (where such a count is
  possible). Narrowing comes from a count's upper bound, which grows with the count: the smallest
  count the rule shows is then one step above a count that already passes, and the counts it hides
  leave at least the possible values of that passing count.
- The whole area's count minus one LA's count is the rest of the area: it is not shown where that
  would be 1 to min_cell - 1 people, in any LA's view.
- The whole area's count minus the LAs' counts bounds one LA's count: each LA's programme is
  given, for every period whose whole-area count is shown, the interval the whole area's count
  leaves for it were every other LA's count known exactly (more than anyone is told), and the
  whole area's counts go, the latest quarter first, while any LA's `[c]` (or a count it hides)
  is still narrowed with them.

What it does not model: the whole area's own months, quarters and age bands set beside the LAs'
(shares of sums, with no count of their own below the period), and what the refusal of a
whole-area count could say (it rests on the whole area's and every LA's figures at once).

Counts are worked out once per dataset and thresholds, and kept with the participant cube
(`measure.cube`, keyed on the dataset's fingerprint), like every table. Pure: no streamlit import.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import numpy as np
from highspy import _core as highs  # the bare solver: highspy.Highs prints a banner on start

from insight.core.dataset import Dataset
from insight.core.periods import PERIODS
from insight.core.thresholds import Thresholds
from insight.numbers.disclosure import (
    chain_secondary,
    percent,
    percent_labels,
    primary,
    round_count,
)
from insight.numbers.measure import Cube, cube, flag_grids, period_offsets

BIG = 1e7  # a box for every unknown: a bound near it means "no bound"
EPS = 1e-6
INF = highs.kHighsInf
SHOWN, HIDDEN, NOT_AVAILABLE = 0, 1, 2
# The order in which counts are added: the whole period first (the one the issue measures).
PERIOD_KEYS: tuple[str, ...] = tuple(PERIODS)
ORDER: tuple[int, ...] = tuple(
    PERIOD_KEYS.index(p) for p in ("whole", "latest_12", "latest_6", "latest_quarter")
)

Key = tuple[str, str, str]  # (area code, barrier, period)


# --- the figures an area shows for one barrier -----------------------------------------------
@dataclass(frozen=True)
class Figures:
    """Every figure the app shows for one area and barrier, as sets of grid cells
    (month offset * bands + age band), with the tables they are disclosed in."""

    cells: list[np.ndarray]
    member: np.ndarray  # [grid cell, figure] 0/1
    periods: list[int]  # the figure of each period's share (and count), PERIODS order
    # chain tables: (figure ids, chain group per figure); months over the whole period in
    # calendar quarters; per period its age bands and its (cut) quarters
    chains: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)


def figures(
    months: int, bands: int, windows: list[tuple[int, int]], quarter_of: np.ndarray
) -> Figures:
    grid = np.arange(months * bands).reshape(months, bands)
    cells: list[np.ndarray] = []

    def figure(members: np.ndarray) -> int:
        cells.append(np.sort(members.ravel()))
        return len(cells) - 1

    quarter_of = np.asarray(quarter_of)
    month_ids = np.array([figure(grid[m]) for m in range(months)])
    chains = [(month_ids, quarter_of[:months])]
    periods = []
    for first, last in windows:
        periods.append(figure(grid[first : last + 1]))
        band_ids = np.array([figure(grid[first : last + 1, b]) for b in range(bands)])
        chains.append((band_ids, np.zeros(bands, dtype=np.int64)))
        quarters = quarter_of[first : last + 1]
        window = grid[first : last + 1]
        quarter_ids = np.array([figure(window[quarters == q]) for q in np.unique(quarters)])
        chains.append((quarter_ids, np.zeros(len(quarter_ids), dtype=np.int64)))
    member = np.zeros((months * bands, len(cells)), dtype=np.int64)
    for i, c in enumerate(cells):
        member[c, i] = 1
    return Figures(cells, member, periods, chains)


def pattern(ys: np.ndarray, ks: np.ndarray, f: Figures, th: Thresholds) -> np.ndarray:
    """SHOWN, HIDDEN (`[c]`) or NOT_AVAILABLE (`[x]`) per figure, by the tables' own rules: a
    period's share by primary suppression; months, quarters and age bands also by
    chain_secondary, with `[x]` reading `[c]` in a chain table that has a `[c]`."""
    state = np.where(ks > 0, SHOWN, NOT_AVAILABLE)
    first = primary(ys, ks, th) & (ks > 0)
    state[first] = HIDDEN
    for ids, groups in f.chains:
        y, k = ys[ids], ks[ids]
        hidden = chain_secondary(y, k, first[ids], groups) & (k > 0)
        table = np.where(hidden, HIDDEN, np.where(k > 0, SHOWN, NOT_AVAILABLE))
        if hidden.any():
            table[k == 0] = HIDDEN
        state[ids] = table
    return state


def count_interval(y: int, th: Thresholds) -> tuple[float, float]:
    """What a shown rounded count of y people tells: the counts it could stand for."""
    r = int(round_count(np.array([y]), th.round_to)[0])
    if r == 0:
        return 0.0, 0.0
    return float(max(r - th.round_to // 2, th.min_cell)), float(
        r + th.round_to - 1 - th.round_to // 2
    )


# --- one area's programme --------------------------------------------------------------------
Row = tuple[np.ndarray, np.ndarray, float, float]  # (columns, coefficients, lower, upper)


def _share_rows(cells: np.ndarray, n: int, label: str, th: Thresholds) -> list[Row]:
    """What a shown share label tells about its count y and base k (sums over `cells`)."""

    def row(y: float, k: float, low: float, high: float) -> Row:
        cols = [c for c, v in ((cells, y), (cells + n, k)) if v]
        coef = [np.full(len(cells), v) for v in (y, k) if v]
        return np.concatenate(cols), np.concatenate(coef), low, high

    rows = [row(0.0, 1.0, float(th.min_base), INF)]
    if label == "<1%":
        rows.append(row(200.0, -1.0, -INF, 0.0))
    elif label == ">99%":
        rows.append(row(-200.0, 199.0, -INF, 0.0))
    else:
        p = int(label.rstrip("%"))
        if p in (0, 100):
            return [*rows, row(1.0, 0.0 if p == 0 else -1.0, 0.0, 0.0)]
        rows += [row(-100.0, p - 0.5, -INF, 0.0), row(100.0, -(p + 0.5), -INF, 0.0)]
    return [*rows, row(1.0, 0.0, float(th.min_cell), INF), row(1.0, -1.0, -INF, -th.min_cell)]


class Programme:
    """One area and barrier: the linear programme of everything shown, built once. Columns: y
    and k per grid cell, then w per figure. Each period's count is a row whose bounds change;
    each figure has a row w <= its y, and w's bounds (0 unless the figure is a target) let
    `narrowed` push many targets up at once. Only bounds and the objective ever change, so
    HiGHS starts each solve from the last basis (primal simplex: the basis stays feasible when
    only the objective changes)."""

    def __init__(self, area: Area) -> None:
        th, f, n = area.th, area.f, area.n
        self.th, self.f, self.n = th, f, n
        rows: list[Row] = [
            (np.array([c, c + n]), np.array([1.0, -1.0]), -INF, 0.0) for c in range(n)
        ]  # y <= k in every cell
        labels = percent_labels(area.ys, area.ks, percent(area.ys, area.ks))
        for i, cells in enumerate(f.cells):
            if area.state[i] == NOT_AVAILABLE:
                rows.append((cells + n, np.ones(len(cells)), 0.0, 0.0))
            elif area.state[i] == SHOWN:
                rows += _share_rows(cells, n, labels[i], th)
        self.count_rows: dict[int, int] = {}
        for p, fid in enumerate(f.periods):
            self.count_rows[p] = len(rows)
            rows.append((f.cells[fid], np.ones(len(f.cells[fid])), -INF, INF))
        self.w = 2 * n  # the first w column: one per figure that can be a target
        pushable = [i for i in range(len(f.cells)) if area.state[i] == HIDDEN or i in f.periods]
        self.w_of = np.full(len(f.cells), -1)
        self.w_of[pushable] = np.arange(len(pushable))
        for j, i in enumerate(pushable):
            cells = f.cells[i]
            cols = np.concatenate([[self.w + j], cells])
            rows.append((cols, np.concatenate([[1.0], -np.ones(len(cells))]), -INF, 0.0))
        self.size = 2 * n + len(pushable)
        h = highs._Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")
        h.setOptionValue("simplex_strategy", 4)
        upper = np.concatenate([np.full(2 * n, BIG), np.zeros(len(pushable))])
        h.addVars(self.size, np.zeros(self.size), upper)
        sizes = [len(r[0]) for r in rows]
        h.addRows(
            len(rows),
            np.array([r[2] for r in rows]),
            np.array([r[3] for r in rows]),
            int(sum(sizes)),
            np.concatenate([[0], np.cumsum(sizes[:-1])]).astype(np.int32),
            np.concatenate([r[0] for r in rows]).astype(np.int32),
            np.concatenate([r[1] for r in rows]),
        )
        self.h = h
        self.cost = np.zeros(self.size)
        self.caps = np.zeros(len(pushable))
        self.solves = 0

    def set_counts(self, bounds: dict[int, tuple[float, float]]) -> None:
        """The period counts known (by period index), every other period's count unbounded."""
        for p, r in self.count_rows.items():
            low, high = bounds.get(p, (-INF, INF))
            self.h.changeRowBounds(r, low, high)

    def set_caps(self, caps: np.ndarray) -> None:
        """Upper bounds of the w columns (0: the figure is not being pushed up)."""
        changed = np.flatnonzero(caps != self.caps).astype(np.int32)
        if len(changed):
            cols = changed + self.w
            self.h.changeColsBounds(
                len(cols), cols.astype(np.int32), np.zeros(len(cols)), caps[changed]
            )
            self.caps = caps.copy()

    def solve(self, cost: np.ndarray, sense: highs.ObjSense) -> np.ndarray | None:
        """The optimal point for `cost` (None if no point meets every constraint)."""
        changed = np.flatnonzero(cost != self.cost).astype(np.int32)
        if len(changed):
            self.h.changeColsCost(len(changed), changed, cost[changed])
            self.cost = cost.copy()
        self.h.changeObjectiveSense(sense)
        self.h.run()
        self.solves += 1
        if self.h.getModelStatus() != highs.HighsModelStatus.kOptimal:
            return None
        return np.asarray(self.h.getSolution().col_value, dtype=float)

    def narrowed(self, targets: list[int]) -> bool | None:
        """Is any target figure left with fewer than min_cell whole values? None if the counts
        set cannot all be true at once (no data gives them).

        Any two points that meet every constraint bound a target's range from inside, so most
        targets are cleared without a solve of their own: one point holds the least total of
        the targets; then, in rounds, one point holds as many targets as it can at least
        min_cell - 1 above that (the sum of each target's count, capped there, at its most).
        Only a target no round clears gets its own most (and, if that is not enough, its own
        least)."""
        member = self.f.member[:, targets].astype(float)  # [cell, target]
        self.set_caps(np.zeros(len(self.caps)))
        total = np.zeros(self.size)
        total[: self.n] = member.sum(axis=1)
        low_point = self.solve(total, highs.ObjSense.kMinimize)
        if low_point is None:
            return None
        lows = low_point[: self.n] @ member
        need = np.ceil(lows - EPS) + self.th.min_cell - 1
        remaining = np.arange(len(targets))
        while len(remaining):
            columns = self.w_of[np.asarray(targets)[remaining]]
            caps = np.zeros(len(self.caps))
            caps[columns] = need[remaining]
            self.set_caps(caps)
            push = np.zeros(self.size)
            push[self.w + columns] = 1.0
            point = self.solve(push, highs.ObjSense.kMaximize)
            if point is None:
                return None
            reached = point[: self.n] @ member[:, remaining] >= need[remaining] - EPS
            if not reached.any():
                break
            remaining = remaining[~reached]
        self.set_caps(np.zeros(len(self.caps)))
        for j in remaining:
            cost = np.zeros(self.size)
            cost[self.f.cells[targets[j]]] = 1.0
            high = self.solve(cost, highs.ObjSense.kMaximize)
            if high is None:
                return None
            if self._wide(lows[j], float(high @ cost)):
                continue  # the low point's value is at least the least
            low = self.solve(cost, highs.ObjSense.kMinimize)
            if low is None:
                return None
            if not self._wide(float(low @ cost), float(high @ cost)):
                return True
        return False

    def _wide(self, low: float, high: float) -> bool:
        if high >= BIG / 10:
            return True
        return math.floor(high + EPS) - math.ceil(low - EPS) + 1 >= self.th.min_cell


# --- one area: which counts ------------------------------------------------------------------
class Area:
    """The audit of one area and barrier."""

    def __init__(self, yes: np.ndarray, known: np.ndarray, f: Figures, th: Thresholds) -> None:
        self.th, self.f = th, f
        y_flat, k_flat = yes.ravel().astype(np.int64), known.ravel().astype(np.int64)
        self.ys, self.ks = y_flat @ f.member, k_flat @ f.member
        self.state = pattern(self.ys, self.ks, f, th)
        self.n = len(y_flat)
        # counts that may be shown at all: beside a shown share, in the order they are tried
        self.eligible = [p for p in ORDER if self.state[f.periods[p]] == SHOWN]
        zero_cells = np.zeros(self.n, dtype=bool)
        for i, cells in enumerate(f.cells):
            shown_zero = self.state[i] == SHOWN and self.ys[i] == 0
            if self.state[i] == NOT_AVAILABLE or shown_zero:
                zero_cells[cells] = True
        self.zero_cells = zero_cells
        self._programme: Programme | None = None
        self._passed: dict[
            tuple[frozenset[int], tuple[tuple[int, int], ...], int | None], bool
        ] = {}

    @property
    def programme(self) -> Programme:
        if self._programme is None:
            self._programme = Programme(self)
        return self._programme

    def targets(self, shown: set[int]) -> list[int]:
        """The `[c]` figures with the counts `shown` (one figure per distinct cell set, implied
        zeros left out): every hidden share, and every count hidden beside a shown share."""
        seen: dict[tuple[int, ...], int] = {}
        counts_hidden = {self.f.periods[p] for p in range(len(self.f.periods)) if p not in shown}
        for i, cells in enumerate(self.f.cells):
            hidden = self.state[i] == HIDDEN or (i in counts_hidden and self.state[i] == SHOWN)
            if hidden and not self.zero_cells[cells].all():
                seen.setdefault(tuple(cells.tolist()), i)
        return list(seen.values())

    def interval(self, p: int, shift: int = 0) -> tuple[float, float] | None:
        """The interval a shown count of period p tells; with `shift`, that of a count `shift`
        people smaller (None where no such count could be shown)."""
        y = int(self.ys[self.f.periods[p]]) - shift
        if y < 0 or (0 < y < self.th.min_cell):
            return None
        return count_interval(y, self.th)

    def passes(
        self,
        shown: set[int],
        others: dict[int, int],
        shifted: int | None = None,
    ) -> bool:
        """Does the audit pass with the counts `shown` (and, for `shifted`, that count one
        rounding step smaller, the whole area's with it), given the whole area's counts for the
        periods in `others`, whose values are the rest of the area's people, known exactly?"""
        key = (frozenset(shown), tuple(sorted(others.items())), shifted)
        if key not in self._passed:
            self._passed[key] = self._passes(shown, others, shifted)
        return self._passed[key]

    def _passes(self, shown: set[int], others: dict[int, int], shifted: int | None) -> bool:
        targets = self.targets(shown)
        if not targets:
            return True
        bounds: dict[int, tuple[float, float]] = {}
        for p, rest in others.items():
            step = self.th.round_to if p == shifted else 0
            low, high = count_interval(int(self.ys[self.f.periods[p]]) + rest - step, self.th)
            bounds[p] = (low - rest, high - rest)
        for p in shown:
            own = self.interval(p, self.th.round_to if p == shifted else 0)
            if own is None:  # no smaller count could be shown: no refusal to read
                return True
            low, high = bounds.get(p, (-INF, INF))
            bounds[p] = (max(low, own[0]), min(high, own[1]))
            if bounds[p][0] > bounds[p][1] + EPS:
                return True  # only in the one-step-smaller trial: no data gives it
        programme = self.programme
        programme.set_counts(bounds)
        found = programme.narrowed(targets)
        if found is None:  # counts no data could give: only the one-step-smaller trial
            return shifted is not None
        return not found

    def release(self, others: dict[int, int]) -> set[int]:
        """The periods whose count this area may show: the longest run of `eligible` (whole
        period first) each of whose counts passes the audit, and passes it one step smaller,
        beside the counts before it. The run stops at the first count refused, so what a
        refusal says rests only on counts shown (see the module docstring)."""
        if not self.eligible:
            return set()
        every = set(self.eligible)
        if not self.targets(every):
            return every  # nothing `[c]` at all: every count is safe
        all_pass = self.passes(every, others)  # then every shorter run passes too
        shown: set[int] = set()
        for p in self.eligible:
            trial = shown | {p}
            if not (all_pass or self.passes(trial, others)):
                break
            if not self.passes(trial, others, shifted=p):
                break
            shown = trial
        return shown


# --- the dataset ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Release:
    keys: frozenset[Key]
    solves: int  # LPs solved, for benchmarks/count_audit.py


_CACHE: WeakKeyDictionary[Cube, dict[Thresholds, Release]] = WeakKeyDictionary()
_LOCK = threading.Lock()


def released_counts(ds: Dataset) -> frozenset[Key]:
    """(area code, barrier, period) for every barrier count the barriers table may show in
    standard mode: LAs and the whole area ("all"), periods as in core.periods.PERIODS."""
    return release(ds).keys


def release(ds: Dataset) -> Release:
    """`released_counts` with its cost; worked out once per dataset and thresholds."""
    key, th = cube(ds), ds.meta.thresholds
    with _LOCK:
        found = _CACHE.get(key, {}).get(th)
    if found is not None:
        return found
    keys: set[Key] = set()
    solves = 0
    windows, quarter_of = period_offsets(ds)
    for barrier in ds.barrier_keys:
        codes, yes, known = flag_grids(ds, "barrier", barrier)
        shown, n = _barrier(yes, known, windows, quarter_of, th)
        solves += n
        keys.update(
            (codes[a], barrier, PERIOD_KEYS[p]) for a, periods in enumerate(shown) for p in periods
        )
    found = Release(frozenset(keys), solves)
    with _LOCK:
        _CACHE.setdefault(key, {})[th] = found
    return found


def _barrier(
    yes: np.ndarray,
    known: np.ndarray,
    windows: list[tuple[int, int]],
    quarter_of: np.ndarray,
    th: Thresholds,
) -> tuple[list[set[int]], int]:
    """Per area (rows of yes/known [area, month, age band], the whole area last): the periods
    whose count it may show; and the LPs solved."""
    areas, months, bands = yes.shape
    f = figures(months, bands, windows, quarter_of)
    audits = [Area(yes[a], known[a], f, th) for a in range(areas)]
    whole = audits[-1]
    las = audits[:-1]
    whole_shown = {
        p
        for p in whole.release({})
        if not any(1 <= whole.ys[f.periods[p]] - la.ys[f.periods[p]] < th.min_cell for la in las)
    }  # the whole area's count less one LA's would otherwise give the rest, a small group

    def rest(a: int, periods: set[int]) -> dict[int, int]:
        """The area's people outside LA a, for each period whose whole-area count is shown."""
        return {p: int(whole.ys[f.periods[p]] - las[a].ys[f.periods[p]]) for p in periods}

    # Each LA's counts, audited beside the whole area's; then the whole area's counts go (the
    # latest quarter first) while any LA's `[c]`, or a count it hides, is still narrowed by them.
    # Fewer whole-area counts only widen what an LA's audit allows, so an LA that passed stays
    # passed, and only the LA that failed is audited again.
    shown = [area.release(rest(a, whole_shown)) for a, area in enumerate(las)]
    unchecked = list(range(len(las)))
    drop = [p for p in reversed(ORDER)]
    while whole_shown and unchecked:
        a = unchecked[0]
        if las[a].passes(shown[a], rest(a, whole_shown)):
            unchecked.pop(0)
            continue
        whole_shown.discard(next(p for p in drop if p in whole_shown))
        shown[a] = las[a].release(rest(a, whole_shown))
    solves = sum(a.programme.solves for a in audits if a._programme is not None)
    return [*shown, whole_shown], solves
