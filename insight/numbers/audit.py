"""What protected an export, in plain words: the disclosure statement kept with every sharing-log
entry (issue 26, item 4).

`audit(tables, th)` reads exactly the safe tables an export carries and runs the attack on them:
for each area of each table the unknowns are the true counts behind its figures (per row, the
people in the category `y` and its base `k`; in a single-response breakdown one base for the
area, which the categories sum to), and every figure shown is a linear constraint on them (a
share p% means p - 1/2 <= 100 y / k < p + 1/2 on a base of at least min_base with at least
min_cell people each side; "0%" means y = 0; a rounded count r means y within r - round_to/2 and
r + round_to/2, and at least min_cell). Then HiGHS (scipy.optimize.linprog) finds, for every
`[c]` figure (a hidden share or a hidden count), the least and the most its count could be. A
figure is *narrowed* when fewer than min_cell whole values remain. The attacker here holds only
what was exported; the tests attack the app's every figure at once
(tests/unit/test_disclosure_linked.py).

Pure: no streamlit import.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from insight.core.symbols import CONFIDENTIAL, NOT_AVAILABLE
from insight.core.thresholds import Thresholds
from insight.numbers.disclosure import RULES
from insight.numbers.safe_table import SafeTable

BIG = 1e7  # a box for HiGHS: a bound near it means "no bound"
EPS = 1e-6


@dataclass(frozen=True)
class Audit:
    tables: int  # tables read
    shown: int  # figures shown (shares, indices and counts)
    hidden: int  # figures `[c]`
    targets: int  # hidden figures the attack tried to narrow
    narrowed: int  # of those, left with fewer than min_cell possible values

    def statement(self, th: Thresholds) -> str:
        """The statement for the sharing log, in words a Performance Manager can read."""
        return (
            f"Protected by disclosure control: a share is hidden ([c]) where it rests on fewer "
            f"than {th.min_base} people or where {th.min_cell - 1} or fewer people are in the "
            f"group or outside it; counts are rounded to the nearest {th.round_to}; and "
            f"{len(RULES)} further rules hide figures that others could reveal "
            f"(listed on the About page). This export holds {self.tables} "
            f"{'table' if self.tables == 1 else 'tables'}: {self.shown} figures shown and "
            f"{self.hidden} hidden. An attack combining every figure in the export "
            f"(a linear programme) could narrow {self.narrowed} of the hidden figures to fewer "
            f"than {th.min_cell} possible values."
        )

    def one_line(self, numbers: bool = True) -> str:
        """The statement in one line, for the PDF; with `numbers` False (presenter mode, which
        shows no absolute number) the same finding in words."""
        if not numbers:
            found = "none" if self.narrowed == 0 else "some"
            return (
                "Disclosure control: figures for small groups are hidden ([c]); an attack "
                f"combining every figure in this pack could narrow {found} of them."
            )
        return (
            f"Disclosure control: {self.shown} figures shown, {self.hidden} hidden; "
            f"{self.narrowed} hidden figures could be narrowed by combining the figures here."
        )


# Tables whose rows are the LAs of one breakdown of the area's participants (they sum to 100).
PER_LA_SHARES = frozenset({"la_shares"})


def _single(table: SafeTable) -> bool:
    """Do the rows of one area partition one base (a single-response breakdown)?"""
    return not table.multi_response and not table.key.startswith(("trend.", "barrier_by_age"))


def _is_figure(label: str) -> bool:
    return label.replace(",", "").lstrip("<>").rstrip("%").isdigit()


def _number(label: str) -> int:
    return int(label.replace(",", "").rstrip("%"))


def _is_share(label: str) -> bool:
    text = label.lstrip("<>")
    return text.endswith("%") and text[:-1].isdigit()


class _Programme:
    """Linear constraints over named unknowns, solved for each target's least and most."""

    def __init__(self) -> None:
        self.names: dict[str, int] = {}
        self.ub: list[tuple[dict[str, float], float]] = []
        self.eq: list[tuple[dict[str, float], float]] = []

    def var(self, name: str) -> str:
        self.names.setdefault(name, len(self.names))
        return name

    def le(self, terms: dict[str, float], bound: float) -> None:
        self.ub.append(({self.var(n): v for n, v in terms.items()}, bound))

    def equal(self, terms: dict[str, float], bound: float) -> None:
        self.eq.append(({self.var(n): v for n, v in terms.items()}, bound))

    def _matrix(self, rows: list[tuple[dict[str, float], float]]) -> tuple[np.ndarray, np.ndarray]:
        a = np.zeros((len(rows), len(self.names)))
        for i, (terms, _) in enumerate(rows):
            for name, value in terms.items():
                a[i, self.names[name]] += value
        return a, np.array([b for _, b in rows], dtype=float)

    def values(self, target: str) -> float:
        """How many whole values the target can take (math.inf when unbounded)."""
        a_ub, b_ub = self._matrix(self.ub)
        a_eq, b_eq = self._matrix(self.eq)
        objective = np.zeros(len(self.names))
        objective[self.names[target]] = 1.0
        found = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective,
                A_ub=a_ub if len(b_ub) else None,
                b_ub=b_ub if len(b_ub) else None,
                A_eq=a_eq if len(b_eq) else None,
                b_eq=b_eq if len(b_eq) else None,
                bounds=(0, BIG),
                method="highs",
            )
            if result.status != 0:  # infeasible cannot happen for true figures; count it open
                return math.inf
            found.append(sign * result.fun)
        low, high = found
        if high > BIG / 10:
            return math.inf
        return math.floor(high + EPS) - math.ceil(low - EPS) + 1


def _share(p: _Programme, y: str, k: str, label: str, th: Thresholds) -> None:
    """The constraints a shown share label puts on its count y and base k."""
    p.le({y: 1.0, k: -1.0}, 0.0)
    if label == CONFIDENTIAL or not _is_share(label):
        return
    p.le({k: -1.0}, -float(th.min_base))
    if label == "<1%":
        p.le({y: -1.0}, -float(th.min_cell))
        p.le({y: 200.0, k: -1.0}, 0.0)
    elif label == ">99%":
        p.le({y: -200.0, k: 199.0}, 0.0)
        p.le({y: 1.0, k: -1.0}, -float(th.min_cell))
    else:
        pct = _number(label)
        if pct == 0:
            p.equal({y: 1.0}, 0.0)
            return
        if pct == 100:
            p.equal({y: 1.0, k: -1.0}, 0.0)
            return
        p.le({y: -100.0, k: pct - 0.5}, 0.0)
        p.le({y: 100.0, k: -(pct + 0.5)}, 0.0)
    p.le({y: -1.0}, -float(th.min_cell))
    p.le({y: 1.0, k: -1.0}, -float(th.min_cell))


def _count(p: _Programme, y: str, label: str, th: Thresholds) -> None:
    if label == CONFIDENTIAL or not label.replace(",", "").isdigit():
        return
    r = _number(label)
    if r == 0:
        p.equal({y: 1.0}, 0.0)
        return
    p.le({y: -1.0}, -float(max(r - th.round_to // 2, th.min_cell)))
    p.le({y: 1.0}, float(r + th.round_to - 1 - th.round_to // 2))


def _area(rows: pd.DataFrame, single: bool, th: Thresholds) -> tuple[int, int]:
    """(targets, narrowed) for one area's rows of one table (or the whole of a per-LA table)."""
    p = _Programme()
    targets: list[str] = []
    ys = []
    for i, row in enumerate(rows.itertuples(index=False)):
        y = p.var(f"y{i}")
        k = p.var("k" if single else f"k{i}")
        ys.append(y)
        label = str(row.label)
        if label == NOT_AVAILABLE and not single:
            p.equal({k: 1.0}, 0.0)
        _share(p, y, k, label, th)
        count = str(getattr(row, "count", ""))
        if count:
            _count(p, y, count, th)
        if label == CONFIDENTIAL or count == CONFIDENTIAL:
            targets.append(y)
    if single and ys:
        p.equal({**{y: 1.0 for y in ys}, "k": -1.0}, 0.0)
    narrowed = sum(1 for t in targets if p.values(t) < th.min_cell)
    return len(targets), narrowed


def audit(tables: Iterable[SafeTable], th: Thresholds) -> Audit:
    """The attack on exactly these safe tables (see the module docstring)."""
    read = shown = hidden = targets = narrowed = 0
    for table in tables:
        read += 1
        frame = table.frame
        columns = [c for c in ("label", "count", "planned_referrals", "capacity") if c in frame]
        for column in columns:
            values = frame[column].astype(str)
            hidden += int((values == CONFIDENTIAL).sum())
            shown += sum(1 for v in values if _is_figure(v))
        if table.unit != "%" or "planned_referrals" in frame or frame.empty:
            continue  # an index or a share of capacity: no count of people to narrow
        groups = (
            [frame]
            if table.key in PER_LA_SHARES
            else [g for _, g in frame.groupby("area_code", sort=False)]
        )
        for rows in groups:
            t, n = _area(rows, _single(table), th)
            targets += t
            narrowed += n
    return Audit(read, shown, hidden, targets, narrowed)
