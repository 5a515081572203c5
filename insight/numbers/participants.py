"""The participant insights' stages: what each measures (insight.numbers.measure) and how it
narrates its safe frame (insight.numbers.narrative) into a SafeTable.

Neither stage discloses: insight.numbers.pipeline does, by the rule each insight declares in
insight.numbers.registry, between the two. A narrate stage is given a `Measured` (the selection,
its arguments, the raw counts and their safe frame) and reads its figures from the safe frame;
the raw counts only feed the small-base rule's verdict (insight.numbers.certainty), which never
states a count. Pages call the builders in insight.numbers.tables, never these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import pandas as pd

from insight.core import geo
from insight.core.contract import (
    CHARACTERISTIC_LABELS,
    CHARACTERISTICS,
    barrier_label,
    service_label,
)
from insight.core.dataset import Dataset
from insight.core.selection import WHOLE_AREA, Selection
from insight.core.symbols import CONFIDENTIAL
from insight.numbers.certainty import SMALL_NUMBERS, Apart, apart, few_people
from insight.numbers.disclosure import NOT_AVAILABLE, Safe
from insight.numbers.measure import (
    Kind,
    Raw,
    area_name,
    count_barrier_by_age,
    count_characteristic,
    count_flag_by_la,
    count_flags,
    count_la_shares,
    count_trend,
    keys_of,
    participants_in,
    whole_area_name,
)
from insight.numbers.narrative import (
    NOTICEABLE_GAP,
    article,
    capitalise,
    difference_title,
    index_sure,
    index_words,
    is_residual,
    label_of,
    mostly_hidden,
    share_words,
    too_few,
    top_title,
    trend_title,
)
from insight.numbers.narrative import talking_points as narrative_points
from insight.numbers.pipeline import Measured
from insight.numbers.presenter_text import refuse
from insight.numbers.safe_table import (
    Headline,
    SafeTable,
    basics,
    build,
    drop_empty_areas,
    ordered,
    shown_strings,
)


def _stages(m: Measured) -> tuple[Dataset, Selection, tuple[Any, ...], Raw, Safe]:
    """(dataset, selection, arguments, raw counts, safe frame) of an insight that measures."""
    if m.raw is None or m.safe is None:
        raise ValueError("this insight measures counts of its own")
    return m.ds, m.sel, m.args, m.raw, m.safe


def reference_of(m: Measured, raw: Raw) -> pd.Series:
    """The reference population an index rule divides by, for the raw table's LAs."""
    if m.rule.reference is None:
        raise ValueError(f"rule {m.rule.name!r} has no reference population")
    return m.rule.reference(list(raw.frame["area_code"]))


# --- participants ----------------------------------------------------------------------------
def check_characteristic(ds: Dataset, name: str) -> None:
    if name not in CHARACTERISTICS:
        raise ValueError(
            f"unknown characteristic {name!r}; expected one of {', '.join(CHARACTERISTICS)}"
        )


def measure_characteristic(ds: Dataset, sel: Selection, name: str) -> Raw:
    return count_characteristic(ds, sel.period, sel.la, name)


def characteristic(m: Measured) -> SafeTable:
    """Share of participants by one characteristic (age_band, gender, ethnicity, disability).
    Rows: the selected LA and the whole area (or the whole area alone), each summing to 100."""
    ds, sel, (name,), raw, safe = _stages(m)
    _, period, area = basics(ds, sel)
    verdict = apart(raw.frame, safe.frame)
    few = _few(ds, sel)
    frame, message = drop_empty_areas(ds, sel, safe.frame)
    noun = CHARACTERISTIC_LABELS[name].lower()
    notes = tuple(
        f"{area_name(ds, code)}: every figure is hidden, because the groups shown would all be "
        "none (or one would be everyone), which would tell you which groups the few hidden "
        "people are in."
        for code in safe.hidden_whole
        if code in set(frame["area_code"])
    )
    fallback = f"{CHARACTERISTIC_LABELS[name]} of participants in {area}"
    if mostly_hidden(frame, sel.la):
        title = too_few(area, f"figures by {noun}")
    elif name == "disability":
        words = share_words(label_of(frame, sel.la, "Yes") or "")
        title = (
            f"{capitalise(words)} participants in {area} report a disability" if words else fallback
        )
    else:
        common = {"age_band": "age band", "ethnicity": "ethnic group"}.get(name, noun)
        template = "{top} {is_} the most common " + common + "{s} among participants in {area}"
        title = top_title(
            frame,
            sel.la,
            True,
            template,
            fallback,
            apart=verdict,
            common=name in ("gender", "age_band"),
            area=area,
        )
    if not sel.is_whole_area and not mostly_hidden(frame, sel.la):
        how = _CHARACTERISTIC_DIFFERENCE[name]
        title = _against_area(frame, sel, how, area, title, verdict, few)
    return build(
        f"characteristic.{name}",
        sel,
        safe,
        frame,
        title,
        f"Share of participants, by {noun}, {period}",
        message,
        notes=notes,
        caution=SMALL_NUMBERS if few else "",
        verdict=verdict,
    )


# How an LA's headline says it differs from the whole area (narrative.difference_title):
# (template, (word when higher, word when lower), the one category compared, or None for all).
_AGAINST = " than across the area: {local} against {whole}"
_FLAG_DIFFERENCE = {
    "barrier": ("{category} is reported {more} in {area}" + _AGAINST, ("more", "less"), None),
    "service": ("{category} is used {more} in {area}" + _AGAINST, ("more", "less"), None),
}
_CHARACTERISTIC_DIFFERENCE = {
    "age_band": (
        "Participants aged {category} are a {more} share in {area}" + _AGAINST,
        ("larger", "smaller"),
        None,
    ),
    "gender": (
        "{category} participants are a {more} share in {area}" + _AGAINST,
        ("larger", "smaller"),
        None,
    ),
    "ethnicity": (
        "Participants of {category} ethnicity are a {more} share in {area}" + _AGAINST,
        ("larger", "smaller"),
        None,
    ),
    "disability": (
        "{more} participants in {area} report a disability" + _AGAINST,
        ("More", "Fewer"),
        "Yes",
    ),
}


def _against_area(
    frame: pd.DataFrame,
    sel: Selection,
    how: tuple[str, tuple[str, str], str | None],
    area: str,
    title: str,
    verdict: Apart,
    few: bool,
) -> str:
    """The LA's headline set against the whole area's: the widest noticeable difference that is
    clear under the small-base rule, or the LA's own finding "much as across the area" where
    every one of the LA's figures is shown, the LA is not small, and none differs noticeably
    from the area's; otherwise the LA's own finding alone."""
    template, more, only = how
    rows = frame if only is None else frame[frame["category_key"] == only]
    found = difference_title(rows, sel.la, WHOLE_AREA, template, more, apart=verdict, area=area)
    if found:
        return found
    return title + ", much as across the area" if _level(rows, sel.la, few) else title


def _level(rows: pd.DataFrame, la: str, few: bool) -> bool:
    """Is every figure of the LA shown, beside a shown whole-area figure less than
    NOTICEABLE_GAP points away (residual groups aside), in an LA that is not small?"""
    if few:
        return False
    # read once as Python lists: a frame filtered and indexed per call cost more than the test
    codes = rows["area_code"].tolist()
    keys = rows["category_key"].tolist()
    values = rows["value"].tolist()
    local = [i for i, code in enumerate(codes) if code == la]
    if not local or any(values[i] != values[i] for i in local):  # none, or a figure not shown
        return False
    whole: dict = {}
    for i, code in enumerate(codes):
        if code == WHOLE_AREA:
            whole.setdefault(keys[i], values[i])
    categories = rows["category"].tolist()
    for i in local:
        key, category, value = keys[i], categories[i], values[i]
        other = whole.get(key)
        if is_residual(str(category)):
            continue
        if other is None or other != other or abs(float(value) - float(other)) >= NOTICEABLE_GAP:
            return False
    return True


def _few(ds: Dataset, sel: Selection) -> bool:
    """Did the selected area have fewer than certainty.MIN_COMPARE_BASE participants?"""
    return few_people(participants_in(ds, sel.period, sel.la))


def measure_flags(kind: Kind) -> Callable[[Dataset, Selection], Raw]:
    def measured(ds: Dataset, sel: Selection) -> Raw:
        return count_flags(ds, sel.period, sel.la, kind)

    return measured


def _flags(m: Measured, kind: Kind) -> SafeTable:
    ds, sel, _, raw, safe = _stages(m)
    th, period, area = basics(ds, sel)
    verdict = apart(raw.frame, safe.frame)
    few = _few(ds, sel)
    frame, message = drop_empty_areas(ds, sel, ordered(safe.frame, sel.la))
    if kind == "barrier":
        template = "{top} {is_} the most reported barrier{s}{shown} in {area}"
        fallback, what = f"Barriers reported by participants in {area}", "reporting each barrier"
        notes = ["Participants may report more than one barrier.", _BLANKS]
        if "count" in frame:
            notes.append(f"Counts show the extent of need, rounded to the nearest {th.round_to}.")
            if (frame["count"] == CONFIDENTIAL).any():
                notes.append(_COUNTS_HIDDEN)
    else:
        template = "{top} {is_} the most used service element{s}{shown} in {area}"
        fallback, what = (
            f"Service elements participants in {area} are in now",
            "in each service element now",
        )
        notes = ["Participants may be in more than one service element.", _BLANKS]
    if not keys_of(ds, kind):
        message = message or f"This dataset records no {kind} columns."
    if mostly_hidden(frame, sel.la):
        title = too_few(area, f"figures by {kind}")
    else:
        title = top_title(
            frame, sel.la, False, template, fallback, apart=verdict, common=True, area=area
        )
        if not sel.is_whole_area:
            title = _against_area(frame, sel, _FLAG_DIFFERENCE[kind], area, title, verdict, few)
    return build(
        f"{kind}s",
        sel,
        safe,
        frame,
        title,
        f"Share of participants {what}, {period}",
        message,
        multi_response=True,
        notes=tuple(notes),
        caution=SMALL_NUMBERS if few else "",
        verdict=verdict,
    )


_BLANKS = "Where a participant's answer is not known they are left out of that share."
_COUNTS_HIDDEN = (
    "A count is [c] where, set beside every other figure for that barrier and area in any "
    "period, month, quarter or age band, it could narrow down a hidden figure."
)


def barriers(m: Measured) -> SafeTable:
    """Share reporting each barrier (multi-response; blanks excluded from each barrier's base).
    Rows: selected LA and whole area. Standard mode adds `count` (extent of need)."""
    return _flags(m, "barrier")


def services(m: Measured) -> SafeTable:
    """Share of participants in each service element now (multi-response)."""
    return _flags(m, "service")


def check_key(ds: Dataset, kind: Kind, key: str, *_: object) -> None:
    if key not in keys_of(ds, kind):
        raise ValueError(f"this dataset has no {kind} {key!r}")


def check_barrier(ds: Dataset, barrier: str) -> None:
    check_key(ds, "barrier", barrier)


def check_service(ds: Dataset, service: str) -> None:
    check_key(ds, "service", service)


def _measure_words(kind: Kind, key: str) -> tuple[str, str]:
    """(label, "reporting a digital skills barrier" / "in skills training")."""
    if kind == "barrier":
        label = barrier_label(key)
        return label, f"reporting {article(label.lower())} barrier"
    label = service_label(key)
    return label, f"in {label.lower()}"


def measure_barrier_by_age(ds: Dataset, sel: Selection, barrier: str) -> Raw:
    return count_barrier_by_age(ds, sel.period, sel.la, barrier)


def barrier_by_age(m: Measured) -> SafeTable:
    """Share of each age band reporting one barrier, for the selection and the whole area."""
    ds, sel, (barrier,), raw, safe = _stages(m)
    _, period, area = basics(ds, sel)
    verdict = apart(raw.frame, safe.frame)
    few = _few(ds, sel)
    frame, message = drop_empty_areas(ds, sel, safe.frame)
    label, measure = _measure_words("barrier", barrier)
    shown_bands = frame[frame["category_key"] != "Unknown"]
    if mostly_hidden(frame, sel.la):
        title = too_few(area, f"the {label.lower()} barrier by age band")
    else:
        title = top_title(
            shown_bands,
            sel.la,
            False,
            label + " is reported most by participants aged {top} in {area}{among}",
            f"{label} barrier by age band in {area}",
            apart=verdict,
            area=area,
        )
    return build(
        f"barrier_by_age.{barrier}",
        sel,
        safe,
        frame,
        title,
        f"Share of each age band {measure}, {period}",
        message,
        multi_response=True,
        notes=(_BLANKS,),
        caution=SMALL_NUMBERS if few else "",
        verdict=verdict,
    )


def measure_trend(
    ds: Dataset, sel: Selection, kind: Kind, key: str, freq: Literal["month", "quarter"]
) -> Raw:
    """Quarters in the period; months over the whole period (the rule cuts them to the period,
    so a month reads the same in every period: a month hidden in one period's chart is hidden
    in all)."""
    period = sel.period if freq == "quarter" else "whole"
    return count_trend(ds, period, sel.la, kind, key, freq)


def trend(m: Measured) -> SafeTable:
    """Share reporting a barrier (or in a service) by start month or quarter, within the period.
    category_key is "YYYY-MM" or "YYYY-Qn" in time order."""
    ds, sel, (kind, key, freq), raw, safe = _stages(m)
    _, period, area = basics(ds, sel)
    verdict = apart(raw.frame, safe.frame)
    few = _few(ds, sel)
    frame, message = drop_empty_areas(ds, sel, safe.frame)
    label, measure = _measure_words(kind, key)
    if mostly_hidden(frame, sel.la):
        title = too_few(area, f"the share {measure} over time")
    else:
        fallback = f"{label} over time in {area}"
        title = trend_title(frame, sel.la, measure, area, fallback, verdict, few)
    by = "start quarter" if freq == "quarter" else "start month"
    return build(
        f"trend.{kind}.{key}.{freq}",
        sel,
        safe,
        frame,
        title,
        f"Share of participants {measure}, by {by}, {period}",
        message,
        notes=(_BLANKS, "A quarter cut by the period's edge covers only its months inside it."),
        caution=SMALL_NUMBERS if few else "",
        verdict=verdict,
    )


def measure_la_shares(ds: Dataset, sel: Selection) -> Raw:
    """LA shares. An LA with 1 to min_base-1 participants has every figure of its own hidden, so
    its share is `[c]` too (the rule's `small_las`)."""
    return count_la_shares(ds, sel.period)


def la_shares(m: Measured) -> SafeTable:
    """Per LA (area_code = category_key = LA code): share of the area's participants. Sums to 100."""
    ds, sel, _, raw, safe = _stages(m)
    _, period, area = basics(ds, sel)
    frame = ordered(safe.frame, None)
    words = share_words(label_of(frame, sel.la, sel.la) or "")
    verdict = apart(raw.frame, safe.frame, own=True)
    if not sel.is_whole_area and words:
        title = f"{area} has {words} of the area's participants"
    else:
        title = top_title(
            frame,
            None,
            True,
            "The largest share{s} of the area's participants {is_} in {top}",
            "Share of the area's participants by Local Authority",
            apart=verdict,
        )
    message = _no_one_in_area(ds, sel, period)
    return build(
        "la_shares",
        sel,
        safe,
        frame,
        title,
        f"Share of the area's participants, by Local Authority, {period}",
        message,
        caution=SMALL_NUMBERS if _few(ds, sel) else "",
        verdict=verdict,
    )


def _no_one_in_area(ds: Dataset, sel: Selection, period: str) -> str:
    if participants_in(ds, sel.period, WHOLE_AREA):
        return ""
    return f"No participants started in {whole_area_name(ds)} in {period}."


def population(codes: list[str]) -> pd.Series:
    """Each LA's working-age population (ONS mid-2022, 16 to 64): the hotspot's reference."""
    pop = geo.lookup()["population_16_64"].reindex([geo.to_2024(c) for c in codes])
    return pd.Series(pop.to_numpy(dtype="float64"), index=codes)


def hotspot(m: Measured) -> SafeTable:
    """Per LA: hotspot index = LA share of participants / LA share of working-age population x 100
    (100 = proportionate), unit "index". Suppressed where the LA share is."""
    ds, sel, _, raw, safe = _stages(m)
    _, period, area = basics(ds, sel)
    verdict = index_verdict(raw, safe, reference_of(m, raw))
    few = _few(ds, sel)
    frame = ordered(safe.frame, None)
    label = label_of(frame, sel.la, sel.la)
    words = index_words(label or "", index_sure(label, (sel.la, sel.la), verdict, few))
    if not sel.is_whole_area and words:
        title = f"{area} has {words}"
    else:
        title = top_title(
            frame,
            None,
            False,
            "For the working-age population, participants are most concentrated in {top}{among}",
            "Participants for each Local Authority's working-age population",
            apart=verdict,
        )
    message = _no_one_in_area(ds, sel, period)
    return build(
        "hotspot",
        sel,
        safe,
        frame,
        title,
        f"Hotspot index: share of participants over share of working-age population (100 = in "
        f"proportion), {period}",
        message,
        unit="index",
        notes=("Working-age population: ONS mid-2022 estimates, ages 16 to 64.",),
        caution=SMALL_NUMBERS if few else "",
        verdict=verdict,
    )


def index_verdict(raw: Raw, safe: Safe, population: pd.Series) -> Apart:
    """The small-base verdict for a hotspot index: each LA's share interval scaled to the index
    (x 100 / its share of `population`, people or claimants), apart from another's, or clear
    of 100."""
    frame = raw.frame
    pop = population.reindex(frame["area_code"].astype(str)).to_numpy(dtype="float64")
    count = frame["count"].to_numpy(dtype="float64")
    known = ~np.isnan(pop)
    area_pop, area_count = float(pop[known].sum()), float(count[known].sum())
    base = frame["base"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 100 * base * area_pop / (area_count * pop)
    scale = np.where(known & np.isfinite(scale), scale, np.nan)
    return apart(frame, safe.frame, scale=scale, reference=100.0, own=True)


def measure_flag_by_la(kind: Kind) -> Callable[[Dataset, Selection, str], Raw]:
    def measured(ds: Dataset, sel: Selection, key: str) -> Raw:
        return count_flag_by_la(ds, sel.period, kind, key)

    return measured


def _flag_by_la(m: Measured, kind: Kind) -> SafeTable:
    ds, sel, (key,), raw, safe = _stages(m)
    _, period, _ = basics(ds, sel)
    verdict = apart(raw.frame, safe.frame)
    frame = ordered(safe.frame.assign(category_key=safe.frame["area_code"]), None)
    frame = frame.assign(category_key=key)
    label, measure = _measure_words(kind, key)
    title = top_title(
        frame.assign(category=frame["area"]),
        None,
        False,
        "The share " + measure + " is highest in {top}{among}",
        f"{label} by Local Authority",
        apart=verdict,
    )
    return build(
        f"{kind}_by_la.{key}",
        sel,
        safe,
        frame,
        title,
        f"Share of each Local Authority's participants {measure}, {period}",
        multi_response=True,
        notes=(_BLANKS,),
        caution=SMALL_NUMBERS if _few(ds, sel) else "",
        verdict=verdict,
    )


def barrier_by_la(m: Measured) -> SafeTable:
    """Per LA: share of that LA's participants reporting the barrier."""
    return _flag_by_la(m, "barrier")


def service_by_la(m: Measured) -> SafeTable:
    """Per LA: share of that LA's participants in the service element now."""
    return _flag_by_la(m, "service")


def headlines(m: Measured) -> list[Headline]:
    """Overview figures: the LA's share of the area's participants, the most reported barriers,
    the share in skills training and in a work placement. Shares only, in every mode."""
    ds, sel = m.ds, m.sel
    out: list[Headline] = []
    if not sel.is_whole_area:
        share = label_of(m.other("la_shares", ds, sel).frame, sel.la, sel.la)
        out.append(Headline("Share of the area's participants", share or NOT_AVAILABLE))
    for table, keys, phrase in (
        (m.other("barriers", ds, sel), None, "Report {a} barrier"),
        (m.other("services", ds, sel), ("skills_training", "work_placement"), "In {the} now"),
    ):
        rows = table.frame[table.frame["area_code"] == sel.la]
        if keys is None:
            rows = rows[rows["value"] > 0].head(2)
        else:
            rows = rows[rows["category_key"].isin(keys)]
        for _, row in rows.iterrows():
            name = str(row["category"]).lower()
            area_label = label_of(table.frame, WHOLE_AREA, str(row["category_key"]))
            out.append(
                Headline(
                    phrase.format(a=article(name), the=name),
                    str(row["label"]),
                    "" if sel.is_whole_area else f"Whole area: {area_label or NOT_AVAILABLE}",
                )
            )
    if sel.mode == "presenter":
        texts = [t for h in out for t in (h.label, h.value, h.comparison)]
        refuse("the Overview headlines", texts)
    return out


def talking_points(m: Measured) -> list[str]:
    """Plain-words talking points from safe tables only; a suppressed figure is never described."""
    ds, sel, other = m.ds, m.sel, m.other
    _, _, area = basics(ds, sel)
    if participants_in(ds, sel.period, sel.la) == 0:
        return []
    built = {
        "barriers": other("barriers", ds, sel),
        "services": other("services", ds, sel),
        "la_shares": other("la_shares", ds, sel),
        "hotspot": other("hotspot", ds, sel),
        "age": other("characteristic", ds, sel, "age_band"),
        "disability": other("characteristic", ds, sel, "disability"),
    }
    # every table here is made with its verdict (the small-base rule's pairs of cells)
    verdicts = {name: table.verdict or Apart() for name, table in built.items()}
    points = narrative_points(
        area_code=sel.la,
        area=area,
        **{name: table.frame for name, table in built.items()},
        whole_area=WHOLE_AREA,
        apart=verdicts,
        few=_few(ds, sel),
    )
    if sel.mode == "presenter":
        shown = set().union(*(shown_strings(table.frame) for table in built.values()))
        refuse("the talking points", points, shown)
    return points
