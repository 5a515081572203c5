"""Speaker notes worth saying: the default notes for one slide, written for the presenter and
read in the presenter view (never on the projected slide).

For a built slide (insight.outputs.meetings.Slide): what the chart shows, in one sentence; where
the LA differs most from the whole area and from its most similar LAs in the provider's area
(ONS's similar areas, insight.numbers.place); the caveat to say aloud where figures are hidden for
small numbers or flagged as unreliable; and a question to put to the room. The presenter's own
notes for the slide come before these (`presenter_notes`).

Only the safe tables' shown percentages are read: a hidden (`[c]`) figure is never compared, a
note never holds a count, a base or a total. The chart's text alternative stays its accessible
name on the slide; it is not repeated here.

Pure: no streamlit import.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from insight.core.selection import WHOLE_AREA
from insight.numbers import catalogue, place
from insight.numbers.narrative import NOTICEABLE_GAP
from insight.outputs.meetings import Slide

SIMILAR_SHOWN = 3  # at most this many of the LA's most similar LAs are compared
# Words in a table's notes that mark a figure the room should hear a warning about.
RELIABILITY_WORDS = ("unreliable", "few people", "small", "margin of error", "treat with care")


def similar_las(la: str, la_codes: Sequence[str], n: int = SIMILAR_SHOWN) -> list[str]:
    """The LA's most similar LAs (ONS, most similar first) that are in the provider's area."""
    if la == WHOLE_AREA:
        return []
    mine = set(la_codes)
    try:
        found = place.similar(la)
    except (ValueError, KeyError):
        return []
    return [code for code in found if code in mine and code != la][:n]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) < 2 else text


def _mid(label: str) -> str:
    """A category label inside a sentence: its first letter lower case unless it is a name or an
    acronym (a second capital), or holds a digit (an age band, a quarter: "Jul to Sep 2025")."""
    word = label.split(" ", 1)[0]
    if any(ch.isupper() for ch in word[1:]) or any(ch.isdigit() for ch in label):
        return label
    return _lower_first(label)


def _shown(label: object) -> bool:
    text = str(label)
    return text.endswith("%") and text[:-1].lstrip("<>").isdigit()


def _rows(frame: pd.DataFrame, area_code: str) -> pd.DataFrame:
    return frame[frame["area_code"].astype(str) == area_code]


def _values(frame: pd.DataFrame, area_code: str) -> dict[str, tuple[str, float, str]]:
    """category_key -> (category, value, label) for the area's shown percentages."""
    rows = _rows(frame, area_code)
    return {
        str(key): (str(cat), float(value), str(label))
        for key, cat, value, label in zip(
            rows["category_key"], rows["category"], rows["value"], rows["label"], strict=True
        )
        if _shown(label) and value == value
    }


def _per_la(slide: Slide) -> bool:
    """A table with one row per LA (the map's): its rows are the LAs themselves."""
    frame = slide.table.frame if slide.table is not None else None
    return frame is not None and bool((frame["area_code"] == frame["category_key"]).all())


# --- the sentences ---------------------------------------------------------------------------
def shows(slide: Slide) -> str:
    """What the slide shows, in one sentence naming its area and period."""
    area = slide.area
    if slide.kind == "ask":
        return (
            f"This slide hands over to the room: ask partners what they see in {area}, and record "
            "each point with its organisation before the meeting ends."
        )
    if slide.message and slide.cards is None:
        return f"There is nothing to draw on this slide for {area}, {slide.period_label}: say why."
    if slide.cards is not None:
        return (
            f"The cards are what the provider's own staff recorded for {area} "
            f"({_lower_first(slide.headline)}): observations to discuss, not measured figures."
        )
    if slide.context is not None:  # the place: official statistics, not the provider's own
        return (
            f"The table sets official labour-market rates for {area} beside its region and "
            "similar areas: ONS statistics, not the provider's management information."
        )
    measure = _lower_first(slide.subtitle or slide.headline)
    if measure.split(" ", 1)[0] in ("share", "planned", "shares"):
        measure = f"the {measure}"
    if slide.kind == "map" or _per_la(slide):
        where = f"across {area}" if slide.la == WHOLE_AREA else f"with {area} among them"
        return f"The map shows {measure}, LA by LA {where}."
    frame = slide.table.frame if slide.table is not None else pd.DataFrame()
    beside = (
        slide.la != WHOLE_AREA
        and "area_code" in frame
        and bool((frame["area_code"] == WHOLE_AREA).any())
    )
    return f"The chart shows {measure}, for {area}" + (
        ", beside the whole area." if beside else "."
    )


def _largest_gap(
    local: dict[str, tuple[str, float, str]], others: dict[str, list[float]]
) -> tuple[str, float] | None:
    """The category where the local share is furthest from the others' middle (their mean),
    and the gap, among categories shown on both sides; None when none is."""
    gaps = {
        key: local[key][1] - sum(vals) / len(vals) for key, vals in others.items() if key in local
    }
    if not gaps:
        return None
    key = max(gaps, key=lambda k: (abs(gaps[k]), k))
    return key, gaps[key]


def from_area(slide: Slide) -> tuple[str, str | None]:
    """(the sentence on where the LA differs most from the whole area, the category it names or
    None). Empty for the whole area, a map or cards."""
    if slide.table is None or slide.la == WHOLE_AREA or _per_la(slide) or slide.message:
        return "", None
    frame = slide.table.frame
    local, area = _values(frame, slide.la), _values(frame, WHOLE_AREA)
    found = _largest_gap(local, {k: [v[1]] for k, v in area.items()})
    if found is None:
        return "", None
    key, gap = found
    if abs(gap) < NOTICEABLE_GAP:
        return (
            f"{slide.area} is within a few points of the whole area on every figure shown here.",
            None,
        )
    category, _, label = local[key]
    few = " Some of its figures are hidden for small numbers: treat the gap with care."
    return (
        f"Where {slide.area} differs most from the whole area: {_mid(category)}, {label} "
        f"against {area[key][2]} across the area." + (few if _any_hidden(frame, slide.la) else ""),
        category,
    )


def _any_hidden(frame: pd.DataFrame, area_code: str) -> bool:
    rows = _rows(frame, area_code)
    return "suppressed" in rows and bool(rows["suppressed"].astype(bool).any())


def from_similar(slide: Slide, similar: Sequence[Slide], codes: Sequence[str]) -> str:
    """The sentence on the LA beside its most similar LAs in the provider's area. `codes` are
    those LAs (none: say there is no like-for-like comparison); `similar` their slides of the
    same chart, when the caller built them (a map's table holds every LA already)."""
    if slide.table is None or slide.la == WHOLE_AREA or slide.message:
        return ""
    if not codes:
        return (
            f"None of {slide.area}'s most similar LAs (ONS) is in this provider's area, so there "
            "is no like-for-like comparison here."
        )
    frame = slide.table.frame
    if _per_la(slide):
        shown = _values(frame, slide.la)
        parts = [f"{slide.area} {shown[slide.la][2]}"] if slide.la in shown else []
        for code in codes:
            values = _values(frame, code)
            if code in values:
                parts.append(f"{values[code][0]} {values[code][2]}")
        if len(parts) < 2:
            return ""
        joint = "; " if any("," in part for part in parts) else ", "
        return "Beside its most similar LAs in this area (ONS): " + joint.join(parts) + "."
    names = [other.area for other in similar if other.la in codes]
    local = _values(frame, slide.la)
    others: dict[str, list[float]] = {}
    labels: dict[str, list[str]] = {}
    for other in similar:
        if other.table is None or other.la == slide.la:
            continue
        for key, (_, value, label) in _values(other.table.frame, other.la).items():
            others.setdefault(key, []).append(value)
            labels.setdefault(key, []).append(f"{label} in {other.area}")
    found = _largest_gap(local, others)
    if found is None:
        return ""
    key, gap = found
    if abs(gap) < NOTICEABLE_GAP:
        return (
            f"{slide.area} is within a few points of its most similar LAs in this area "
            f"({_listing(names)}) on every figure shown here."
        )
    category, _, label = local[key]
    return (
        f"Beside its most similar LAs in this area (ONS), {slide.area} differs most on "
        f"{_mid(category)}: {label}, against {_listing(labels[key])}."
    )


def _listing(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    joint = "; " if any("," in item for item in items) else ", "
    return joint.join(items[:-1]) + (";" if joint == "; " else "") + " and " + items[-1]


def caveats(slide: Slide) -> list[str]:
    """What to say aloud about hidden or unreliable figures (nothing when there is none)."""
    out: list[str] = []
    if slide.table is not None and not slide.message:
        frame = slide.table.frame
        code = slide.la if not _per_la(slide) else None
        rows = frame if code is None else _rows(frame, code)
        hidden = int(rows["suppressed"].astype(bool).sum()) if "suppressed" in rows else 0
        shown = sum(_shown(label) for label in rows["label"])
        if hidden and not shown:
            out.append(
                f"Too few people in {slide.area} to show these figures: say they are hidden to "
                "protect people, not that they are zero, and compare nothing."
            )
        elif hidden:
            out.append(
                f"Some figures for {slide.area} are hidden as [c]: too few people are behind "
                "them. Say they are not zero, only too few to show."
            )
        for note in slide.table.notes:
            if any(word in note.lower() for word in RELIABILITY_WORDS):
                out.append(f"Say aloud: {note}")
    return out


def question(slide: Slide, standout: str | None) -> str:
    """A question to put to the room."""
    if standout:
        return (
            f"Ask the room: {slide.area} stands out on {_mid(standout)}. Does that match what "
            "your services see?"
        )
    section = catalogue.PROMPTS.get(slide.section)
    if slide.kind == "ask" or not section:
        return f"Ask the room: what are partners seeing in {slide.area} that this does not show?"
    return f"Ask the room: {section}"


def default_notes(
    slide: Slide, similar: Sequence[Slide] = (), similar_codes: Sequence[str] | None = None
) -> str:
    """The default speaker notes for a built slide, one point a line: what it shows, where the
    LA differs most from the area and from its most similar LAs (`similar_codes`: those in the
    provider's area, `similar_las`; `similar`: the same chart built for each of them; leave
    both out to skip that comparison), the caveat to say aloud, and a question for the room."""
    area_line, standout = from_area(slide)
    lines = [shows(slide), area_line]
    if similar_codes is not None:
        lines.append(from_similar(slide, similar, similar_codes))
    lines.extend(caveats(slide))
    lines.append(question(slide, standout))
    return "\n".join(line for line in lines if line)


def presenter_notes(own: str, slide: Slide, similar: Sequence[Slide] = (), **kwargs) -> list[str]:
    """The presenter's own notes first (as they wrote them), then the default notes, one point
    an item."""
    mine = [own.strip()] if own and own.strip() else []
    return [*mine, *default_notes(slide, similar, **kwargs).split("\n")]


__all__ = [
    "caveats",
    "default_notes",
    "from_area",
    "from_similar",
    "presenter_notes",
    "question",
    "shows",
    "similar_las",
]
