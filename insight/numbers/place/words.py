"""Official figures in plain words: one figure against another ("above the West Midlands
(5.0%), worse"), a whole sentence for an indicator, the source's reliability flag, and which
indicators stop before the provider's period."""

from __future__ import annotations

from insight.core.dataset import Meta
from insight.core.periods import month_name
from insight.numbers.narrative import capitalise
from insight.numbers.place.official import (
    Figure,
    Indicator,
    _shown_value,
    indicators,
    period_end,
    period_label,
)

UNRELIABLE_WORDS = "an estimate the source flags as unreliable"


def overlapping(local: Figure, other: Figure) -> bool:
    """Do the two figures' 95% confidence intervals overlap, or does either figure lie inside
    the other's interval? Only where the source gives intervals (survey-based figures)."""
    if local.value is None or other.value is None:
        return False

    def inside(value: float, f: Figure) -> bool:
        return f.lower is not None and f.upper is not None and f.lower <= value <= f.upper

    both = None not in (local.lower, local.upper, other.lower, other.upper)
    crossing = both and not (local.upper < other.lower or other.upper < local.lower)  # type: ignore[operator]
    return bool(crossing) or inside(other.value, local) or inside(local.value, other)


def compare_words(indicator: str, local: Figure, other: Figure, other_name: str) -> str:
    """How the local figure stands against another area's, in plain words: "above the West
    Midlands (4.4%)", with "better" or "worse" where the source states a polarity, both figures
    are reliable and their 95% confidence intervals do not overlap (and only there). "Similar to"
    where the intervals overlap (or one figure lies inside the other's interval); equal as shown
    is "the same as"; a figure the source flags as unreliable is never better or worse, and the
    flag is said in words; a missing figure on either side is said, never guessed."""
    ind = indicators()[indicator]
    if not local.shown:
        return ""
    if not other.shown:
        reason = f": {other.note}" if other.note else ""
        return f"no figure for {other_name} for {period_label(local.period)}{reason}"
    assert local.value is not None and other.value is not None
    theirs = other.label if other.reliable else f"{other.label}, {UNRELIABLE_WORDS}"
    if overlapping(local, other):
        return f"similar to {other_name} ({theirs}, within the survey's margin of error)"
    gap = _shown_value(local.value, ind.unit) - _shown_value(other.value, ind.unit)
    if abs(gap) < 1e-9:
        return f"the same as {other_name} ({theirs})"
    side = "above" if gap > 0 else "below"
    if not (local.reliable and other.reliable):  # sentence() says why for the local figure
        return f"{side} {other_name} ({theirs})"
    if ind.direction:
        better = (gap > 0) == (ind.direction > 0)
        return f"{side} {other_name} ({theirs}, {'better' if better else 'worse'})"
    return f"{side} {other_name} ({theirs})"


def the(name: str) -> str:
    """ "the West Midlands", "the North East", but "England", "Sandwell"."""
    regions = {"North East", "North West", "West Midlands", "East Midlands", "South East"}
    regions |= {"South West", "East of England"}
    return f"the {name}" if name in regions else name


# How an indicator reads inside a sentence, where its label alone would not.
_PHRASES = {"no_qualifications_16_64": "share of 16 to 64 year olds with no qualifications"}


def phrase(indicator: str) -> str:
    return _PHRASES.get(indicator, indicators()[indicator].label.lower())


def sentence(
    indicator: str, name: str, local: Figure, others: list[tuple[str, Figure]], whole: bool = False
) -> str:
    """ "Sandwell's claimant count rate was 6.8% in Jan to Dec 2025: above the West Midlands
    (5.0%); above England (4.0%)." With whole=True, `name` is the set of LAs ("the area's 16
    LAs, weighted by working-age population"). A figure not shown is said so, with its reason."""
    label = phrase(indicator)
    period = period_label(local.period)
    subject = f"The {label} across {name}" if whole else f"{capitalise(name)}'s {label}"
    if not local.shown:
        return f"{subject}: no figure for {period} ({local.label}: {local.note})."
    parts = [compare_words(indicator, local, other, the(n)) for n, other in others]
    parts = [p for p in parts if p]
    flag = f" ({flag_words(local)})" if not local.reliable else ""
    tail = f": {'; '.join(parts)}" if parts else ""
    polarity = ""
    if any(p.endswith(("better)", "worse)")) for p in parts):
        polarity = f" The source counts {indicators()[indicator].polarity.split()[0]} as better."
    elif parts and not local.reliable and indicators()[indicator].direction:
        polarity = " Not called better or worse: the source flags the estimate as unreliable."
    return f"{subject} was {local.label}{flag} in {period}{tail}.{polarity}"


def flag_words(f: Figure) -> str:
    """The source's reliability flag in words: "an estimate the source flags as unreliable:
    the group sample size is small (3-9)" (its own note where it gives one)."""
    note = f.note.strip().rstrip(".")
    reason = note.split(" since ", 1)[1] if " since " in note else ""
    return f"{UNRELIABLE_WORDS}: {reason}" if reason else UNRELIABLE_WORDS


def older_than_provider(meta: Meta) -> list[str]:
    """Plain words for each group of indicators whose latest period ends before the provider's
    period starts: "Survey-based figures stop at Dec 2023, before the provider's period (...)"."""
    lines: list[str] = []
    groups: dict[str, list[Indicator]] = {}
    for ind in indicators().values():
        if period_end(ind.latest_period) < meta.start_index:
            group = "Survey-based figures" if ind.survey else f"{ind.label} figures"
            if ind.source == "Department for Transport":
                group = "Travel-time figures"
            groups.setdefault(group, []).append(ind)
    for group, found in groups.items():
        end = max(period_end(i.latest_period) for i in found)
        why = ""
        if group == "Survey-based figures":
            why = (
                " The Annual Population Survey's local figures are suspended until the survey "
                "is reweighted."
            )
        lines.append(
            f"{group} stop at {month_name(end)}, before the provider's period "
            f"({meta.period_label}).{why}"
        )
    return lines
