"""Disclosure control: turn a raw table of counts into the safe frame a page may draw.

The rules (DESIGN.md, "Disclosure control"; thresholds from the dataset, never looser than the
defaults):

- Primary suppression: a percentage is `[c]` when its base is 1 to min_base-1, or its numerator,
  or its base minus numerator, is 1 to min_cell-1. A numerator of 0 (0%) or equal to the base
  (100%) is shown when the base is big enough: it describes everyone, not a few people.
- A base of 0 has no percentage at all: `[x]` (not available).
- Linked tables (issue 17): see `RULES` below, `chain_secondary` and `group_disclosure`;
  tests/unit/test_disclosure_linked.py attacks them with a linear programme over every figure
  shown.
- Secondary suppression: in a single-response breakdown the shares of one group sum to 100, so a
  lone `[c]` could be recovered by subtraction. Where exactly one cell of a group is suppressed
  the next smallest shown cell is suppressed too, preferring a non-zero cell (a zero hidden beside
  a small cell would leave the small cell's share on show as the difference).
  Multi-response cells (barriers, services) are each their own yes/no split with their own
  base and no total is shown, so the complement rule above protects them alone; but months,
  quarters and age bands are parts of a period's share shown elsewhere, so they get
  `chain_secondary` (a 0% beside a lone `[c]` first) and `[x]` reads `[c]` beside a `[c]`.
- Group disclosure: a single-response group whose shown cells beside a `[c]` are all 0%, or
  one 100%, is hidden whole (`group_disclosure`); the table says why in a note.
- Percentages are whole numbers, rounded half up (12.5% -> 13%) with exact integer arithmetic.
  A non-zero share under 0.5% reads "<1%" and a share short of everyone over 99.5% reads ">99%",
  so a rounded figure never claims "none" or "all" when that is not so.
- Counts, only where the annex allows them and only in standard mode, are rounded to the nearest
  multiple of round_to (half up); 1 to min_cell-1 is `[c]`, 0 stays 0, and a count beside a
  suppressed percentage is `[c]` too. A barrier's count is shown only where an audit of every
  linked figure finds it safe (insight.numbers.count_release, issue 26; the tables pass its
  answer as `count_allowed`); there too a whole-area count goes where it and one LA's count
  would differ by 1 to min_cell-1 (subtraction would reveal a small remainder).
- Presenter mode: the safe frame has no count, base or total column at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight.core.selection import Mode
from insight.core.symbols import CONFIDENTIAL, NOT_APPLICABLE, NOT_AVAILABLE, SYMBOL_ORDER
from insight.core.thresholds import Thresholds
from insight.numbers.measure import Raw

SAFE_COLUMNS: tuple[str, ...] = (
    "area_code",
    "area",
    "category_key",
    "category",
    "value",
    "label",
    "suppressed",
)
# The rules beyond the thresholds, in plain words: the About page and the README state each one
# verbatim (a test holds them to it).
RULES: tuple[str, ...] = (
    "Where a breakdown shows a total and exactly one cell is suppressed, the next smallest cell "
    "is suppressed too, so no figure can be recovered by subtraction.",
    "Where the figures shown beside a `[c]` in a breakdown would all be 0% (or one would be "
    "100%), the whole breakdown for that area and period is `[c]`, and a note under the chart "
    "says why: otherwise the room would learn which groups the few hidden people are in.",
    "A barrier's rounded count is shown only where an audit finds it safe: every figure shown "
    "for that barrier and area, in every period, month, quarter and age band, is set out with "
    "the count as a linear programme, and the count is shown only if every `[c]` beside it "
    "keeps at least `min_cell` possible values, both with the count and with a count one "
    "rounding step smaller (so that hiding a count tells nothing either). Counts are tried for "
    "the whole period first, then 12 months, 6 months and the latest quarter, stopping at the "
    "first that fails. The whole area's count is shown only where, even with every other LA's "
    "count known exactly, it would narrow no LA's `[c]`.",
    "In the month, quarter and age-band charts, where exactly one cell of an area is `[c]` "
    "(for months, within each calendar quarter), another joins it, a 0% first; a month reads "
    "the same in every period.",
    "In those charts `[x]` reads `[c]` for any area that has a `[c]`, so the symbols cannot show "
    "in which months or age bands a small group started.",
    "An LA with fewer than `min_base` participants in the period has its share of the area's "
    "participants shown as `[c]`, like all its own figures, so a suppressed LA share cannot be "
    "told from the one suppressed beside it by whether the LA's own figures are shown.",
    "Planned referrals are never flagged as over capacity on a `[c]` row.",
)
# What a count is: the one list of columns that hold an absolute number of people (or places). No
# presenter-mode frame may carry one; `insight.numbers.safe_table.SafeTable` refuses to be built with one,
# and the table view, the pack and the slides read this same constant.
COUNT_COLUMNS: frozenset[str] = frozenset(
    {"count", "base", "total", "n", "numerator", "planned_referrals", "capacity", "group"}
)


# Why a count is `[c]`, on the row itself (the `count_note` column, its table view and CSV). The
# two reasons tell nothing the symbols do not: a share that is `[c]` is already known to be for
# too few people (or to be hidden beside one that is), and a count hidden beside a shown share is
# hidden by the linked-table rules. Which of the group or its remainder is small is never said.
HIDDEN_SMALL = "fewer than {min_cell} people, or a figure that would reveal such a group"
HIDDEN_LINKED = "hidden so that other figures cannot reveal a small group"


def hidden_count_notes(
    share_hidden: np.ndarray, count_labels: list[str], th: Thresholds
) -> list[str]:
    """The reason beside each `[c]` count ("" beside a count shown): HIDDEN_SMALL where the
    row's share is `[c]` too, HIDDEN_LINKED where the share is shown."""
    small = HIDDEN_SMALL.format(min_cell=th.min_cell)
    return [
        "" if label != CONFIDENTIAL else (small if hidden else HIDDEN_LINKED)
        for label, hidden in zip(count_labels, np.asarray(share_hidden, bool), strict=True)
    ]


@dataclass(frozen=True, eq=False)
class Safe:
    frame: pd.DataFrame  # SAFE_COLUMNS, plus `count` and `count_note` where allowed (standard)
    symbols: tuple[str, ...]  # symbols used anywhere in the frame, in legend order
    hidden_whole: tuple[str, ...] = ()  # groups hidden whole (group disclosure), by group key


# --- arithmetic ------------------------------------------------------------------------------
def percent(count: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Whole-number percentages, rounded half up, exactly: floor(100 * count / base + 1/2).
    0 where the base is 0."""
    count = np.asarray(count, dtype=np.int64)
    base = np.asarray(base, dtype=np.int64)
    safe_base = np.where(base > 0, base, 1)
    return np.where(base > 0, (200 * count + safe_base) // (2 * safe_base), 0)


def ratio_index(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """100 * numerator / denominator as a whole number, rounded half up; -1 where undefined."""
    num = np.asarray(numerator, dtype=np.int64)
    den = np.asarray(denominator, dtype=np.int64)
    safe = np.where(den > 0, den, 1)
    return np.where(den > 0, (200 * num + safe) // (2 * safe), -1)


def round_count(count: np.ndarray, round_to: int) -> np.ndarray:
    """Counts rounded half up to a multiple of round_to; a non-zero count never rounds to 0."""
    count = np.asarray(count, dtype=np.int64)
    rounded = (count + round_to // 2) // round_to * round_to
    return np.where((count > 0) & (rounded == 0), round_to, rounded)


# --- suppression -----------------------------------------------------------------------------
def primary(count: np.ndarray, base: np.ndarray, th: Thresholds) -> np.ndarray:
    """True where a percentage count/base may not be shown (base 0 is handled as `[x]`)."""
    count = np.asarray(count, dtype=np.int64)
    base = np.asarray(base, dtype=np.int64)
    rest = base - count

    def small(n: np.ndarray) -> np.ndarray:
        return (n >= 1) & (n < th.min_cell)

    return ((base >= 1) & (base < th.min_base)) | small(count) | small(rest)


def secondary(
    count: np.ndarray,
    suppressed: np.ndarray,
    groups: np.ndarray,
    prefer: np.ndarray | None = None,
) -> np.ndarray:
    """Suppression widened so that no group has exactly one suppressed cell: the next smallest
    shown cell of such a group joins it (a non-zero one when there is one; ties go to the first
    in display order). Where `prefer` marks cells whose own breakdowns are hidden elsewhere, one
    of those is taken first, so other tables cannot tell which of the two is the small one."""
    count = np.asarray(count, dtype=np.int64)
    out = np.asarray(suppressed, dtype=bool).copy()
    groups = np.asarray(groups)
    preferred = np.ones(len(count), dtype=bool) if prefer is None else np.asarray(prefer, bool)
    for group in pd.unique(groups):
        members = np.flatnonzero(groups == group)
        if out[members].sum() != 1:
            continue
        shown = members[~out[members]]
        if not len(shown):
            continue
        nonzero = shown[count[shown] > 0]
        pools = (nonzero[preferred[nonzero]], nonzero, shown)
        pool = next(p for p in pools if len(p))
        out[pool[np.argmin(count[pool])]] = True
    return out


def chain_secondary(
    count: np.ndarray, base: np.ndarray, suppressed: np.ndarray, groups: np.ndarray
) -> np.ndarray:
    """Secondary suppression along a chain (the months of a quarter, the quarters or the age
    bands of a period) whose enclosing cell is shown elsewhere: where exactly one cell of a group
    is suppressed, another joins it, a shown 0% first (a 0% beside a lone `[c]` says the `[c]`
    holds everything the enclosing share counts), else the smallest."""
    count = np.asarray(count, dtype=np.int64)
    base = np.asarray(base, dtype=np.int64)
    out = np.asarray(suppressed, dtype=bool).copy()
    groups = np.asarray(groups)
    for group in pd.unique(groups):
        members = np.flatnonzero((groups == group) & (base > 0))
        if out[members].sum() != 1:
            continue
        shown = members[~out[members]]
        if not len(shown):
            continue
        zeros = shown[count[shown] == 0]
        pool = zeros if len(zeros) else shown
        out[pool[np.argmin(count[pool])]] = True
    return out


def group_disclosure(
    count: np.ndarray, base: np.ndarray, suppressed: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Single-response groups to hide whole: where every shown cell beside a `[c]` is 0%, or one
    is 100%, the room would learn that everyone in the group is in the hidden cells (or in the
    100% one), which is what suppression is there to stop. Returns (suppressed, groups hidden)."""
    count = np.asarray(count, dtype=np.int64)
    base = np.asarray(base, dtype=np.int64)
    out = np.asarray(suppressed, dtype=bool).copy()
    groups = np.asarray(groups)
    whole: list[str] = []
    for group in pd.unique(groups):
        members = np.flatnonzero((groups == group) & (base > 0))
        hidden = out[members]
        if not hidden.any() or hidden.all():
            continue
        shown = members[~hidden]
        if (count[shown] == 0).all() or (count[shown] == base[shown]).any():
            out[members] = True
            whole.append(str(group))
    return out, tuple(whole)


def suppress(raw: Raw, th: Thresholds, prefer: np.ndarray | None = None) -> np.ndarray:
    """Which cells of a raw table are `[c]`: primary, then secondary where shares sum to 100,
    then whole groups where what is left shown would give the hidden cells away."""
    return _suppress(raw, th, prefer)[0]


def _suppress(
    raw: Raw,
    th: Thresholds,
    prefer: np.ndarray | None = None,
    also: np.ndarray | None = None,
) -> tuple[np.ndarray, tuple[str, ...]]:
    frame = raw.frame
    count, base = frame["count"].to_numpy(), frame["base"].to_numpy()
    hidden = primary(count, base, th)
    if also is not None:
        hidden |= np.asarray(also, dtype=bool)
    whole: tuple[str, ...] = ()
    if raw.exhaustive:
        groups = frame["group"].to_numpy()
        hidden = secondary(count, hidden, groups, prefer)
        hidden, whole = group_disclosure(count, base, hidden, groups)
    return hidden, whole


# --- labels ----------------------------------------------------------------------------------
def percent_labels(count: np.ndarray, base: np.ndarray, pct: np.ndarray) -> list[str]:
    out = []
    for n, b, p in zip(count, base, pct, strict=True):
        if p == 0 and n > 0:
            out.append("<1%")
        elif p == 100 and n < b:
            out.append(">99%")
        else:
            out.append(f"{p}%")
    return out


def count_labels(count: np.ndarray, hidden: np.ndarray, th: Thresholds) -> list[str]:
    """Rounded counts as text ("1,235"), `[c]` where hidden or 1 to min_cell-1."""
    count = np.asarray(count, dtype=np.int64)
    rounded = round_count(count, th.round_to)
    small = (count >= 1) & (count < th.min_cell)
    return [
        CONFIDENTIAL if h or s else f"{r:,}" for r, h, s in zip(rounded, hidden, small, strict=True)
    ]


def symbols_in(*columns: pd.Series) -> tuple[str, ...]:
    used: set[str] = set()
    for column in columns:
        used.update(str(v) for v in column.unique())
    return tuple(s for s in SYMBOL_ORDER if s in used)


# --- the safe frame --------------------------------------------------------------------------
def _text(column: pd.Series) -> object:
    """A raw column as the safe frame's text: its own array where it is text already (no round
    trip through Python objects), else its values as text."""
    if column.dtype == "str":
        return column.array.copy()
    return column.astype("str").to_numpy()


def _safe_frame(
    raw: pd.DataFrame, value: np.ndarray, labels: np.ndarray, hidden: np.ndarray
) -> pd.DataFrame:
    """The columns every safe frame has (SAFE_COLUMNS), and nothing from the raw table else."""
    return pd.DataFrame(
        {
            "area_code": _text(raw["area_code"]),
            "area": _text(raw["area"]),
            "category_key": _text(raw["category_key"]),
            "category": _text(raw["category"]),
            "value": np.asarray(value, dtype="float64"),
            "label": pd.array(labels, dtype="str"),
            "suppressed": np.asarray(hidden, dtype=bool),
        }
    )


def disclose(
    raw: Raw,
    mode: Mode,
    th: Thresholds,
    counts: bool = False,
    *,
    chains: np.ndarray | None = None,
    count_allowed: np.ndarray | None = None,
    prefer: np.ndarray | None = None,
    also: np.ndarray | None = None,
) -> Safe:
    """The safe frame of a table of shares. `counts=True` adds the rounded `count` column in
    standard mode (only for what the annex allows: extent of need; only on rows where
    `count_allowed`, when given, is True); presenter mode never has it.

    `chains` (multi-response tables whose rows are parts of a cell shown elsewhere: months,
    quarters, age bands) names each row's chain group for `chain_secondary`, and makes `[x]`
    read `[c]` in every area that has a `[c]`, so the symbols cannot tell where a small group
    is. `prefer` steers single-response secondary suppression (see `secondary`); `also` marks
    cells to treat as primary suppressions besides the thresholds' own."""
    frame = raw.frame
    count, base = frame["count"].to_numpy(), frame["base"].to_numpy()
    hidden, whole = _suppress(raw, th, prefer, also)
    hidden &= base > 0
    if chains is not None:
        hidden = chain_secondary(count, base, hidden, chains)
        areas = frame["area_code"].astype("str").to_numpy()
        masked = np.isin(areas, areas[hidden]) & (base == 0)
    else:
        masked = np.zeros(len(base), dtype=bool)
    pct = percent(count, base)
    labels = np.array(percent_labels(count, base, pct), dtype=object)
    labels[hidden] = CONFIDENTIAL
    labels[(base == 0) & ~masked] = NOT_AVAILABLE
    labels[masked] = CONFIDENTIAL
    shown = ~hidden & (base > 0)
    safe = _safe_frame(frame, np.where(shown, pct, np.nan), labels, hidden | masked)
    columns = [safe["label"]]
    if counts and mode == "standard":
        no_count = hidden.copy()
        if count_allowed is not None:
            no_count |= ~np.asarray(count_allowed, dtype=bool)
        labels_of_counts = count_labels(count, no_count, th)
        safe["count"] = pd.Series(labels_of_counts, dtype="str")
        notes = hidden_count_notes(hidden | masked | (base == 0), labels_of_counts, th)
        safe["count_note"] = pd.Series(notes, dtype="str")
        columns.append(safe["count"])
    return Safe(safe, symbols_in(*columns), whole)


def disclose_provision(raw: Raw, mode: Mode, th: Thresholds) -> Safe:
    """Planned referrals as a percentage of capacity (may exceed 100), with `over_capacity`.

    Planned referrals are participants, so a plan for 1 to min_cell-1 is `[c]` (percentage and
    count alike); capacity is places, not people, so a small organisation's capacity is not a
    reason to hide that it would be overloaded: that is what the annex wants seen. Capacity 0
    has no percentage (`[z]`). `over_capacity` is never True on a `[c]` row. Standard mode adds rounded `planned_referrals` and `capacity`.
    """
    frame = raw.frame
    planned, capacity = frame["count"].to_numpy(), frame["base"].to_numpy()
    hidden = (planned >= 1) & (planned < th.min_cell)
    pct = ratio_index(planned, capacity)
    no_capacity = capacity <= 0
    labels = np.array([f"{p}%" for p in pct], dtype=object)
    labels[no_capacity] = NOT_APPLICABLE
    labels[hidden] = CONFIDENTIAL
    shown = ~hidden & ~no_capacity
    safe = _safe_frame(frame, np.where(shown, pct, np.nan), labels, hidden)
    # Never on a `[c]` row: for 1 to min_cell-1 planned referrals the flag would bound the
    # capacity, and with it the hidden number of planned referrals.
    safe["over_capacity"] = ~hidden & (planned > capacity)
    columns = [safe["label"]]
    if mode == "standard":
        safe["planned_referrals"] = pd.Series(count_labels(planned, hidden, th), dtype="str")
        no_hide = np.zeros(len(capacity), dtype=bool)
        safe["capacity"] = pd.Series(count_labels(capacity, no_hide, th), dtype="str")
        columns += [safe["planned_referrals"], safe["capacity"]]
    return Safe(safe, symbols_in(*columns))


def disclose_index(shares: Safe, raw_shares: Raw, population: pd.Series) -> Safe:
    """The hotspot index per LA: its share of the area's participants over its share of the
    area's working-age population, x 100 (100 = proportionate), whole numbers rounded half up.
    `[c]` exactly where the LA's share is (primary or secondary), `[x]` where the LA's population
    is not known. The area's population is that of its LAs with a known population."""
    frame = raw_shares.frame
    count = frame["count"].to_numpy(dtype=np.int64)
    codes = frame["area_code"].astype("str")
    pop = population.reindex(codes).to_numpy(dtype="float64")
    known = ~np.isnan(pop)
    pop_int = np.where(known, pop, 0).astype(np.int64)
    area_count = int(count[known].sum())
    area_pop = int(pop_int.sum())
    index = ratio_index(count * area_pop, np.where(known, area_count * pop_int, 0))
    hidden = shares.frame["suppressed"].to_numpy()
    available = known & (index >= 0)
    labels = np.array([str(i) for i in index], dtype=object)
    labels[~available] = NOT_AVAILABLE
    labels[hidden] = CONFIDENTIAL
    safe = shares.frame[list(SAFE_COLUMNS[:4])].copy()
    safe["value"] = np.where(available & ~hidden, index, np.nan).astype("float64")
    safe["label"] = pd.Series(labels, dtype="str", index=safe.index)
    safe["suppressed"] = hidden
    return Safe(safe, symbols_in(safe["label"]))
