"""Plain words from safe frames: headline titles, text alternatives and talking points.

Everything here reads SAFE frames only (the output of `insight.numbers.disclosure`): `value` and `label`,
never a count. A suppressed or unavailable figure is never described, not even as "a few": a
row whose label is a symbol is skipped. Shares are put in rounded everyday fractions ("about 1 in
3", "just under half") rather than to the percentage point.

Claims of "the most" are only made when the safe figures prove them: in a single-response group
the suppressed cells together hold at most 100 minus the shown shares (plus rounding), so the top
shown share is the largest only if it beats that; in a multi-response row a suppressed cell could
be anything, so with one present the claim is limited to "the ... shown".

Shown figures are ranked only where the small-base rule allows (insight.numbers.certainty): the
table builders hand each function an `Apart` verdict made from the counts, naming the pairs of
cells that differ clearly; without it (`None`) every pair counts as apart, which only tests of
the wording alone use. An area whose figures in a chart are all or mostly `[c]` gets a headline
that says only that too few people can be shown (`mostly_hidden`, `too_few`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeGuard

import numpy as np
import pandas as pd

from insight.core.symbols import CONFIDENTIAL
from insight.numbers.certainty import Apart
from insight.numbers.columns import texts

# Everyday fractions a share is described by, as (numerator, denominator).
_FRACTIONS: tuple[tuple[int, int], ...] = (
    (1, 20),
    (1, 10),
    (1, 8),
    (1, 7),
    (1, 6),
    (1, 5),
    (1, 4),
    (3, 10),
    (1, 3),
    (2, 5),
    (3, 5),
    (2, 3),
    (7, 10),
    (3, 4),
    (4, 5),
    (9, 10),
)
NOTICEABLE_GAP = 3  # percentage points before one share is called higher or lower than another


def share_words(label: str) -> str | None:
    """A safe percentage label in words: "31%" -> "just under 1 in 3"; a symbol -> None."""
    if label == "<1%":
        return "fewer than 1 in 100"
    if label == ">99%":
        return "almost all"
    if not label.endswith("%") or not label[:-1].isdigit():
        return None
    p = int(label[:-1])
    if p == 0:
        return "none"
    if p == 100:
        return "all"
    if p < 4:
        return "fewer than 1 in 20"
    if p > 95:
        return "nearly all"
    if 48 <= p <= 52:
        return "about half"
    if 43 <= p < 48 or 52 < p <= 57:
        return "just under half" if p < 50 else "just over half"
    a, b = min(_FRACTIONS, key=lambda f: abs(p - 100 * f[0] / f[1]))
    gap = p - 100 * a / b
    qualifier = "about" if abs(gap) <= 1.5 else ("just under" if gap < 0 else "just over")
    return f"{qualifier} {a} in {b}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


# Words kept capitalised inside a sentence (proper nouns in the contract's and samples' labels).
PROPER_WORDS = frozenset(
    {"English", "Welsh", "British", "Irish", "Scottish", "Asian", "Black", "White", "African"}
    | {"Caribbean", "Arab", "Gypsy", "Traveller", "Roma", "Jobcentre", "Plus", "NHS", "ESOL"}
)


def mid_sentence(label: str) -> str:
    """A category label as it reads inside a sentence: ordinary words lower case, acronyms
    ("ESOL", "IT", "HGV") and proper nouns ("English", "British") kept: "Addiction or substance
    misuse", "Language or cultural", "ESOL classes", "English language"."""
    words = []
    for word in label.split(" "):
        bare = word.strip(",.;:()")
        keep = (len(bare) > 1 and bare.isupper()) or bare in PROPER_WORDS
        keep = keep or any(ch.isdigit() for ch in bare) or any(ch.isupper() for ch in bare[1:])
        words.append(word if keep else word.lower())
    return " ".join(words)


def listing(items: Sequence[str]) -> str:
    """English for a list: "a", "a and b", "a, b and c"; items that hold a comma themselves are
    set apart by semicolons ("White; Black, Black British, Caribbean or African; and Asian")."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    if any("," in i for i in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def names_in_sentence(names: Sequence[str], *, first: bool, common: bool) -> str:
    """Tied category names as one phrase: with `common` (ordinary nouns: barriers, services),
    every name but a sentence's first is lower case mid-sentence (`mid_sentence`); proper names
    (LAs, ethnic groups, employers) are kept as they are."""
    if not common:
        return listing(names)
    out = [n if (first and i == 0) else mid_sentence(n) for i, n in enumerate(names)]
    return listing(out)


def comparison(local: str, area: str, clear: bool = True) -> str:
    """ ", more than across the whole area (about 1 in 4)" from two safe labels, or "". `clear`
    is the small-base rule's verdict for the pair (insight.numbers.certainty): where it is False
    the two figures are not ranked, and nothing is said of the area beside them either (their
    likeness is no surer than their difference)."""
    area_words = share_words(area)
    if area_words is None or share_words(local) is None or not clear:
        return ""
    gap = _number(local) - _number(area)
    if gap >= NOTICEABLE_GAP:
        return f", more than across the whole area ({area_words})"
    if gap <= -NOTICEABLE_GAP:
        return f", fewer than across the whole area ({area_words})"
    return f", much as across the whole area ({area_words})"


def _number(label: str) -> float:
    if label == "<1%":
        return 0.0
    if label == ">99%":
        return 100.0
    return float(label.rstrip("%"))


# --- "the most" from safe figures -------------------------------------------------------------
@dataclass(frozen=True)
class Lead:
    categories: tuple[str, ...]  # the top shown categories (more than one on a tie)
    label: str  # their label
    certain: bool  # False when a suppressed cell could be larger


def lead(
    frame: pd.DataFrame, area_code: str | None, exhaustive: bool, apart: Apart | None = None
) -> Lead | None:
    """The category (or tied categories) with the highest shown value in one area's rows (every
    row when `area_code` is None, as in a table by LA). With `apart` (the small-base rule's
    verdict), the lead takes in every category the top one is not clearly apart from, and is
    returned only when each of those is clearly apart from every other shown category; else
    None (no ranking can be said)."""
    # positions and plain arrays, not filtered frames: a frame's filter costs more than this
    mine = _in_area(frame, area_code)
    every_value = frame["value"].to_numpy(dtype="float64")
    shown = mine[~np.isnan(every_value[mine])]
    if not len(shown):
        return None
    values = every_value[shown]
    best = values.max()
    top = shown[values == best]
    if apart is not None:
        cells = _cells_at(frame, shown)
        first = cells[int(values.argmax())]
        group = [i for i, c in enumerate(cells) if values[i] == best or not apart(first, c)]
        others = [i for i in range(len(cells)) if i not in group]
        if any(not apart(cells[g], cells[o]) for g in group for o in others):
            return None
        if not others:
            return None  # nothing shown stands apart from the rest: no "most"
        # largest first; ties in the frame's order (a stable sort)
        top = shown[sorted(group, key=lambda i: -values[i])]
        best = float(every_value[top].min())
    hidden = int(frame["suppressed"].to_numpy()[mine].sum())
    if not hidden:
        certain = True
    elif exhaustive:
        # the suppressed cells together hold at most what the shown shares leave of 100
        slack = 0.5 * len(shown) + 0.5 * hidden
        certain = best > 100 - values.sum() + slack
    else:
        certain = False
    categories = frame["category"].to_numpy()[top]
    return Lead(tuple(categories.tolist()), str(frame["label"].to_numpy()[top[0]]), certain)


def _in_area(frame: pd.DataFrame, area_code: str | None) -> np.ndarray:
    """Positions of one area's rows (every row when `area_code` is None), in frame order."""
    if area_code is None:
        return np.arange(len(frame))
    return np.flatnonzero(frame["area_code"].to_numpy() == area_code)


def _cells_at(frame: pd.DataFrame, at: np.ndarray) -> list[tuple[str, str]]:
    """(area_code, category_key) of the rows at positions `at`: the keys an `Apart` names."""
    codes, keys = frame["area_code"].to_numpy()[at], frame["category_key"].to_numpy()[at]
    return [(str(a), str(k)) for a, k in zip(codes, keys, strict=True)]


def mostly_hidden(frame: pd.DataFrame, area_code: str) -> bool:
    """All or most (more than half) of an area's figures in a chart are `[c]`: its headline then
    says only that too few people can be shown."""
    mine = frame["area_code"].to_numpy() == area_code
    hidden = int(frame["suppressed"].to_numpy()[mine].sum())
    shown_here = int((~np.isnan(frame["value"].to_numpy(dtype="float64")[mine])).sum())
    return hidden > 0 and hidden * 2 > hidden + shown_here


def too_few(area: str, what: str) -> str:
    """The headline of a chart whose area's figures are all or mostly `[c]`."""
    return f"Too few participants in {area} to show {what}"


# Groups that gather what is left over (or not known): they never lead a headline.
RESIDUAL_WORDS = ("other", "not recorded", "unknown", "prefer not to say", "not known")


def is_residual(category: str) -> bool:
    """ "Other small employers", "Other employers", "Other", "Employer not recorded", "Unknown"."""
    name = str(category).strip().lower()
    return name.split(" ", 1)[0] == "other" or any(
        name == word or name.endswith(" " + word) for word in RESIDUAL_WORDS
    )


def top_title(
    frame: pd.DataFrame,
    area_code: str | None,
    exhaustive: bool,
    template: str,
    fallback: str,
    *,
    apart: Apart | None = None,
    common: bool = False,
    **words: str,
) -> str:
    """A headline from `template` with {top}, {is_}, {has}, {s}, {shown} and {among} filled from
    the lead: "Mental health {is_} the most reported barrier{s}{shown} in Sandwell"; tied leads
    read as English ("Addiction or substance misuse, motivation and housing are the most reported
    barriers": `common` names are lower case mid-sentence). Falls back when nothing is shown,
    the top is 0, the claim is uncertain and the template cannot say so, or the small-base rule
    (`apart`) does not let the lead be told from the rest.
    A residual group ("Other employers", "Unknown") never leads: when one is as large as the
    largest named group, no named group can be called the largest either, so it falls back."""
    found = lead(frame, area_code, exhaustive, apart)
    if found is None or len(found.categories) > 3 or found.label in ("0%", "0"):
        return fallback
    if any(is_residual(c) for c in found.categories):
        return fallback
    if not found.certain and "{shown}" not in template and "{among}" not in template:
        return fallback
    tie = len(found.categories) > 1
    return template.format(
        top=names_in_sentence(found.categories, first=template.startswith("{top}"), common=common),
        is_="are" if tie else "is",
        has="have" if tie else "has",
        s="s" if tie else "",
        shown="" if found.certain else " shown",
        among="" if found.certain else " (of those shown)",
        **words,
    )


def difference_title(
    frame: pd.DataFrame,
    area_code: str,
    whole_area: str,
    template: str,
    more: tuple[str, str] = ("more", "less"),
    *,
    apart: Apart | None = None,
    **words: str,
) -> str | None:
    """How an LA differs from the whole area, from the category with the widest noticeable gap
    between two shown shares: "Transport is reported less in Sandwell than across the area: 9%
    against 12%". `template` takes {category}, {more}, {local} and {whole} (and `words`). None
    when no shown share differs by NOTICEABLE_GAP points or more and clearly (`apart`, the
    small-base rule). Residual groups are skipped."""
    # plain arrays, not filtered frames: a frame's filter costs more than the whole loop
    codes = frame["area_code"].to_numpy()
    keys, labels = texts(frame["category_key"]), texts(frame["label"])
    local, whole = np.flatnonzero(codes == area_code), np.flatnonzero(codes == whole_area)
    whole_by_key = dict(zip(keys[whole].tolist(), labels[whole].tolist(), strict=True))
    best: tuple[float, str, str, str] | None = None
    for key, category, label in zip(
        keys[local].tolist(),
        texts(frame["category"])[local].tolist(),
        labels[local].tolist(),
        strict=True,
    ):
        other = whole_by_key.get(key)
        if other is None or is_residual(category):
            continue
        if share_words(label) is None or share_words(other) is None:
            continue
        if apart is not None and not apart((area_code, key), (whole_area, key)):
            continue
        gap = _number(label) - _number(other)
        if abs(gap) >= NOTICEABLE_GAP and (best is None or abs(gap) > abs(best[0])):
            best = (gap, category, label, other)
    if best is None:
        return None
    gap, category, label, other = best
    return template.format(
        category=category,
        more=more[0] if gap > 0 else more[1],
        local=label,
        whole=other,
        **words,
    )


def alt_text(frame: pd.DataFrame, what: str, limit: int = 12) -> str:
    """ "<What>. Sandwell: Mental health 31%, Debt 12%, Housing not shown." A table with one row
    per area (by LA) reads "Birmingham 64%, Sandwell 13%, Coventry not shown": ranked by value,
    largest first and the areas not shown last, so a list cut at `limit` never leaves out the
    largest. It names no chart type: the same text serves the bar chart, the line chart over time
    and the map of the same table."""
    areas = frame["area"].tolist()
    labels = frame["label"].tolist()
    one_per_area = len(set(areas)) == len(areas)
    if one_per_area and "value" in frame.columns and len(frame) > 1:
        # largest first, ties in table order, values not shown last (as a stable sort would)
        values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
        order = sorted(range(len(values)), key=lambda i: (values[i] != values[i], -values[i]))
        areas, labels = [areas[i] for i in order], [labels[i] for i in order]
    names = areas if one_per_area else frame["category"].tolist()
    groups: dict[str, list[str]] = {}
    for area, name, label in zip(areas, names, labels, strict=True):
        said = label if share_words(label) is not None or label.isdigit() else "not shown"
        groups.setdefault("" if one_per_area else area, []).append(f"{name} {said}")
    parts = [f"{what[:1].upper()}{what[1:]}."]
    for area, items in groups.items():
        more = f" and {len(items) - limit} more in the table" if len(items) > limit else ""
        lead_in = f"{area}: " if area else ""
        parts.append(f"{lead_in}{', '.join(items[:limit])}{more}.")
    if CONFIDENTIAL in labels:
        parts.append("Figures not shown are for too few people to share safely.")
    return " ".join(parts)


def trend_title(
    frame: pd.DataFrame,
    area_code: str,
    measure: str,
    area: str,
    fallback: str,
    apart: Apart | None = None,
    few: bool = False,
) -> str:
    """ "The share reporting mental health rose from 25% to 31% in Sandwell", from the shown
    points, true to the whole series: a share that rose 7 points and fell back "rose from 20% to
    27% and fell back to 21%", never "held steady"; one that ends higher after a peak says so.
    Where a noticeable move between the first, last, highest or lowest point is not clear under
    the small-base rule (`apart`), or the area is small (`few`: not even "held steady"), the
    headline gives the first and latest figures and no direction."""
    mine = _in_area(frame, area_code)
    every_value = frame["value"].to_numpy(dtype="float64")
    at = mine[~np.isnan(every_value[mine])]
    if len(at) < 2:
        return fallback
    values = every_value[at]
    labels = [str(label) for label in frame["label"].to_numpy()[at]]
    first, last = values[0], values[-1]
    high, low = int(values.argmax()), int(values.argmin())
    gap = last - first
    where = f" in {area}"
    if apart is not None:
        cells = _cells_at(frame, at)
        ends = (0, len(values) - 1)
        moves = {(a, b) for a in (*ends, high, low) for b in ends if a != b}
        if few or any(
            abs(values[a] - values[b]) >= NOTICEABLE_GAP and not apart(cells[a], cells[b])
            for a, b in moves
        ):
            return (
                f"The share {measure} in {area} was {labels[0]} at first and {labels[-1]} in "
                "the latest shown"
            )
    if abs(gap) < NOTICEABLE_GAP:
        peak = values[high] - max(first, last) >= NOTICEABLE_GAP
        dip = min(first, last) - values[low] >= NOTICEABLE_GAP
        if peak and dip:
            return (
                f"The share {measure} varied between {labels[low]} and {labels[high]}, ending at "
                f"{labels[-1]}{where}"
            )
        if peak:
            return (
                f"The share {measure} rose from {labels[0]} to {labels[high]} and fell back to "
                f"{labels[-1]}{where}"
            )
        if dip:
            return (
                f"The share {measure} fell from {labels[0]} to {labels[low]} and rose again to "
                f"{labels[-1]}{where}"
            )
        return f"The share {measure} held steady at about {labels[-1]}{where}"
    verb = "rose" if gap > 0 else "fell"
    text = f"The share {measure} {verb} from {labels[0]} to {labels[-1]}{where}"
    if gap > 0 and values[high] - last >= NOTICEABLE_GAP:
        text += f", after a peak of {labels[high]}"
    elif gap < 0 and last - values[low] >= NOTICEABLE_GAP:
        text += f", after a low of {labels[low]}"
    return text


def index_words(label: str, sure: bool = True) -> str | None:
    """A hotspot index label in words, relative to the working-age population. None where the
    small-base rule does not let it be said (`sure` False: see `index_sure`)."""
    if not label.isdigit() or not sure:
        return None
    index = int(label)
    if index >= 115:
        return "more participants than its working-age population would suggest"
    if index <= 85:
        return "fewer participants than its working-age population would suggest"
    return "about as many participants as its working-age population would suggest"


def index_sure(label: str | None, cell: tuple[str, str], apart: Apart | None, few: bool) -> bool:
    """May an index be put in words? Never for a small area (`few`); above 115 or below 85
    ("more"/"fewer" participants than the population would suggest) only where its interval
    leaves 100 out; "about as many" otherwise."""
    if apart is None or label is None or not label.isdigit():
        return apart is None
    if few:
        return False
    return 85 < int(label) < 115 or apart.clear_of_reference(cell)


def label_of(frame: pd.DataFrame, area_code: str, category_key: str) -> str | None:
    """The label of one cell, or None when the cell is absent."""
    codes, keys = frame["area_code"].to_numpy(), frame["category_key"].to_numpy()
    hit = np.flatnonzero((codes == area_code) & (keys == category_key))
    return None if not len(hit) else str(frame["label"].to_numpy()[hit[0]])


def shown(label: str | None) -> TypeGuard[str]:
    return label is not None and (share_words(label) is not None or label.isdigit())


# --- talking points -------------------------------------------------------------------------
def _participants(words: str) -> str:
    """ "about 1 in 3" -> "About 1 in 3 participants"; "about half" -> "About half of
    participants"; "none" -> "No participants"."""
    if words == "none":
        return "No participants"
    if words.endswith("half"):
        return capitalise(words) + " of participants"
    return capitalise(words) + " participants"


def _beyond(frame: pd.DataFrame, category: str, apart: Apart | None) -> bool:
    """Is the index of the LA called `category` (a table by LA) clearly away from 100?"""
    if apart is None:
        return True
    codes = frame.loc[frame["category"] == category, "area_code"].astype(str)
    return any(apart.clear_of_reference((code, code)) for code in codes)


def _ranked(frame: pd.DataFrame, area_code: str) -> pd.DataFrame:
    rows = frame[(frame["area_code"] == area_code) & frame["value"].notna()]
    return rows.sort_values("value", ascending=False, kind="stable")


def talking_points(
    *,
    area_code: str,
    area: str,
    barriers: pd.DataFrame,
    services: pd.DataFrame,
    la_shares: pd.DataFrame,
    hotspot: pd.DataFrame,
    age: pd.DataFrame,
    disability: pd.DataFrame,
    whole_area: str = "all",
    apart: Mapping[str, Apart] | None = None,
    few: bool = False,
) -> list[str]:
    """Talking points for one area from safe frames. With an LA selected, each figure is
    compared with the whole area where both are shown and the small-base rule lets them be
    ranked (`apart`: the verdict per frame, by the argument's name; `few`: the area had fewer
    than certainty.MIN_COMPARE_BASE participants)."""
    points: list[str] = []
    is_la = area_code != whole_area
    verdicts = dict(apart or {})

    def clear(name: str, key: str) -> bool:
        found = verdicts.get(name)
        return found is None or found((area_code, key), (whole_area, key))

    if is_la:
        share = label_of(la_shares, area_code, area_code)
        if shown(share):
            text = f"{area} has {share_words(share)} of the area's participants"
            index = label_of(hotspot, area_code, area_code)
            sure = index_sure(index, (area_code, area_code), verdicts.get("hotspot"), few)
            words = index_words(index, sure) if index else None
            points.append(f"{text}: {words}." if words else f"{text}.")
    else:
        top = lead(la_shares, None, exhaustive=True, apart=verdicts.get("la_shares"))
        if top and top.certain and len(top.categories) == 1:
            points.append(
                f"{top.categories[0]} has the largest share of the area's participants "
                f"({share_words(top.label)})."
            )
        hot = lead(hotspot, None, exhaustive=False, apart=verdicts.get("hotspot"))
        if (
            hot
            and hot.certain
            and len(hot.categories) == 1
            and int(hot.label) >= 115
            and _beyond(hotspot, hot.categories[0], verdicts.get("hotspot"))
        ):
            points.append(
                f"For its working-age population, {hot.categories[0]} has the highest "
                "concentration of participants in the area."
            )
    for _, row in _ranked(barriers, area_code).head(2).iterrows():
        words = share_words(str(row["label"]))
        if words is None or words == "none":
            continue
        other = label_of(barriers, whole_area, str(row["category_key"])) if is_la else None
        key = str(row["category_key"])
        compare = comparison(str(row["label"]), other, clear("barriers", key)) if other else ""
        barrier = article(str(row["category"]).lower()) + " barrier"
        points.append(f"{_participants(words)} in {area} report {barrier}{compare}.")
    for _, row in _ranked(services, area_code).iterrows():
        words = share_words(str(row["label"]))
        if words is None or words == "none":
            continue
        other = label_of(services, whole_area, str(row["category_key"])) if is_la else None
        key = str(row["category_key"])
        compare = comparison(str(row["label"]), other, clear("services", key)) if other else ""
        points.append(
            f"{_participants(words)} in {area} are in {str(row['category']).lower()} now{compare}."
        )
    found = lead(age, area_code, exhaustive=True, apart=verdicts.get("age"))
    if (
        found
        and found.certain
        and len(found.categories) == 1
        and found.categories[0] != "Unknown"
        and share_words(found.label) not in ("all", "almost all")
    ):
        points.append(
            f"The largest age group among participants in {area} is {found.categories[0]} "
            f"({share_words(found.label)})."
        )
    yes = label_of(disability, area_code, "Yes")
    if shown(yes) and (words := share_words(str(yes))) and words != "none":
        other = label_of(disability, whole_area, "Yes") if is_la else None
        compare = comparison(str(yes), other, clear("disability", "Yes")) if other else ""
        points.append(f"{_participants(words)} in {area} report a disability{compare}.")
    return points
