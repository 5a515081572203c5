"""When a sentence may rank two shares: the small-base rule, worked out where the counts are.

A headline that says "Interview training is used more in Trafford: 62% against 33%" about a
13-person LA tells the room something the data cannot support: 8 people of 13 is 62%, but 5 of
13 (38%) or 11 of 13 (85%) would be no surprise from the same LA. So a sentence may call one share
more, less, higher, lower or the largest only where

1. each of the two shares is of at least `MIN_COMPARE_BASE` (30) people, and
2. their 95% Wilson score intervals do not overlap.

Why this rule: the Wilson interval is the standard interval for a proportion from a small sample
(it stays inside 0 to 100% and keeps close to its 95% coverage down to a few tens of people,
unlike the plain "p plus or minus 2 standard errors"); two intervals that do not overlap mean the
two shares differ clearly (more strictly than a 5% test of the difference, so a headline errs
towards saying less). Below about 30 people even the Wilson interval's coverage wobbles, and the
13-person LA above already has intervals that barely miss each other by luck of the split, so a
minimum base comes first. The LA's own people are also in the whole area's share, which makes
the two shares more alike, never less: the rule stays on the cautious side.

The verdict (`Apart`) names pairs of cells, never a count or a base: it is what the narrative is
given, so presenter mode still never receives a number of people. `few_people` says only whether
an area had fewer than `MIN_COMPARE_BASE` participants in the period: the slide then carries
`SMALL_NUMBERS`, which states no base.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from insight.numbers.columns import items, texts

MIN_COMPARE_BASE = 30  # people in each share before a sentence may rank it
Z95 = 1.959963984540054
SMALL_NUMBERS = "Based on few people: treat with care"

# The rule in plain words: the About page and the README state each one verbatim (a test holds
# them to it), beside disclosure.RULES.
COMPARISON_RULES: tuple[str, ...] = (
    f"A headline or talking point calls one share more, less, higher, lower or the largest only "
    f"where both shares are of at least {MIN_COMPARE_BASE} people and their 95% Wilson score "
    "intervals do not overlap; otherwise it gives the figures without ranking them.",
    f"A chart or slide for an area with fewer than {MIN_COMPARE_BASE} participants in the period "
    f'says "{SMALL_NUMBERS}" (and never how many people).',
    "Where all or most of an area's figures in a chart are `[c]`, its headline says only that "
    "too few people can be shown.",
)

Cell = tuple[str, str]  # (area_code, category_key)


def wilson(count: np.ndarray, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval (low, high) of count/base, as fractions; (0, 1) where base is 0."""
    n = np.asarray(base, dtype="float64")
    k = np.asarray(count, dtype="float64")
    safe_n = np.where(n > 0, n, 1.0)
    p = k / safe_n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * safe_n)) / (1 + z2 / safe_n)
    half = Z95 / (1 + z2 / safe_n) * np.sqrt(p * (1 - p) / safe_n + z2 / (4 * safe_n * safe_n))
    low = np.where(n > 0, centre - half, 0.0)
    high = np.where(n > 0, centre + half, 1.0)
    return low, high


@dataclass(frozen=True, eq=False)
class Apart:
    """Which pairs of shown cells of one table differ clearly enough to be ranked (`__call__`).
    Holds cell keys only. `Apart.everything()` is the verdict for frames with no counts behind
    them (tests of the wording alone)."""

    pairs: frozenset[frozenset[Cell]] = field(default_factory=frozenset)
    all_apart: bool = False
    # cells whose interval (scaled, for an index) leaves out the reference value (100 for a
    # hotspot index): "more (fewer) participants than the population would suggest" is clear
    beyond: frozenset[Cell] = field(default_factory=frozenset)

    def __call__(self, a: Cell, b: Cell) -> bool:
        return self.all_apart or frozenset((a, b)) in self.pairs

    def clear_of_reference(self, cell: Cell) -> bool:
        return self.all_apart or cell in self.beyond

    @classmethod
    def everything(cls) -> Apart:
        return cls(all_apart=True)


def apart(
    raw: pd.DataFrame,
    safe: pd.DataFrame,
    scale: np.ndarray | None = None,
    reference: float | None = None,
    own: bool = False,
) -> Apart:
    """The verdict for a table: `raw` has area_code, category_key, count and base (measure's raw
    frame), `safe` the disclosed frame (its `value` is NaN where nothing is shown). A pair is
    apart where both cells are shown, both bases are at least MIN_COMPARE_BASE and their Wilson
    intervals do not overlap. For an index (a share over a fixed official share), `scale` turns
    each row's share interval into the index's (x 100 / population share), and a cell is
    `beyond` the `reference` (100) where its whole interval is on one side of it. With `own`
    (an LA's share of the area's participants, whose base is the whole area), the cell's own
    count must also be at least MIN_COMPARE_BASE: an LA of 12 people is not ranked against
    another however large the area is."""
    shown = {
        (str(a), str(k))
        for a, k, v in zip(
            items(safe["area_code"]),
            items(safe["category_key"]),
            items(safe["value"]),
            strict=True,
        )
        if v == v  # not NaN
    }
    keys = list(
        zip(
            texts(raw["area_code"]).tolist(),
            texts(raw["category_key"]).tolist(),
            strict=True,
        )
    )
    count = raw["count"].to_numpy(dtype="float64")
    base = raw["base"].to_numpy(dtype="float64")
    people = np.minimum(base, count) if own else base
    keep = np.array(
        [k in shown and b >= MIN_COMPARE_BASE for k, b in zip(keys, people, strict=True)],
        dtype=bool,
    )
    idx = np.flatnonzero(keep)
    if not len(idx):
        return Apart()
    low, high = wilson(count[idx], base[idx])
    if scale is not None:
        factor = np.asarray(scale, dtype="float64")[idx]
        usable = ~np.isnan(factor)
        low, high = np.where(usable, low * factor, np.nan), np.where(usable, high * factor, np.nan)
    beyond: frozenset[Cell] = frozenset()
    if reference is not None:
        out = (low > reference) | (high < reference)
        beyond = frozenset(keys[i] for i, o in zip(idx, out, strict=True) if o)
    # intervals [low_i, high_i] and [low_j, high_j] are disjoint when one ends before the other
    disjoint = (high[:, None] < low[None, :]) | (high[None, :] < low[:, None])
    first, second = np.nonzero(np.triu(disjoint, k=1))
    pairs = frozenset(
        frozenset((keys[idx[i]], keys[idx[j]])) for i, j in zip(first, second, strict=True)
    )
    return Apart(pairs, beyond=beyond)


def few_people(participants: int) -> bool:
    """An area with 1 to MIN_COMPARE_BASE - 1 participants: its figures carry SMALL_NUMBERS."""
    return 0 < participants < MIN_COMPARE_BASE


__all__ = [
    "COMPARISON_RULES",
    "MIN_COMPARE_BASE",
    "SMALL_NUMBERS",
    "Apart",
    "apart",
    "few_people",
    "wilson",
]
