"""A meeting as slides: each item of a running order (chart key, area, period) becomes one slide
with the area's name, a headline, one safe table (or insight cards), the caveat and speaker
notes. Slides are always in presenter mode: their tables carry no count, base or total.

Also the slide's figure: the chart the pages draw, refitted to a slide. Its headline and caveat
move out of the figure into the slide (large heading above, caveat strip below), so the plot can
take the height the window leaves it.

Pure: no streamlit import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from insight.core.contract import INSIGHT_CATEGORIES
from insight.core.dataset import Dataset, Meta
from insight.core.geo import la_name
from insight.core.periods import PERIODS, period_label
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import catalogue, tables
from insight.numbers.tables import SafeTable
from insight.outputs.figures import chart, footer_lines

DEFAULT_PERIOD = "whole"
MAX_CARDS = 3  # insight cards on one slide


@dataclass(frozen=True)
class Item:
    """One entry of a running order, saved (insight.sharing.store.MeetingItem) or ready-made."""

    chart: str
    la: str = WHOLE_AREA
    period: str = DEFAULT_PERIOD
    notes: str = ""


@dataclass(frozen=True)
class Slide:
    number: int  # 1-based
    total: int
    chart: str
    kind: catalogue.Kind
    section: str
    la: str  # the area actually shown (an unknown LA falls back to the whole area)
    area: str  # "Sandwell", or "West Midlands (whole area)"
    period: str
    period_label: str
    headline: str
    subtitle: str = ""  # what the chart measures; the period is said once, in `period_label`
    caution: str = ""  # certainty.SMALL_NUMBERS for an area with few participants (no base)
    table: SafeTable | None = None
    cards: pd.DataFrame | None = None
    message: str = ""  # plain words when there is nothing to draw, and why
    notes: tuple[str, ...] = field(default=())  # speaker notes

    @property
    def counter(self) -> str:
        return f"{self.number} of {self.total}"

    @property
    def selection(self) -> Selection:
        return Selection(la=self.la, period=self.period, mode="presenter")


def area_label(ds: Dataset, la: str) -> str:
    return f"{ds.meta.area_name} (whole area)" if la == WHOLE_AREA else la_name(la)


def ready_made(ds: Dataset, la: str, period: str = DEFAULT_PERIOD) -> list[Item]:
    """The one-click running order for one LA (or the whole area)."""
    return [Item(key, la, period) for key in catalogue.ready_made(ds)]


Builder = Callable[[Dataset, catalogue.Entry, Selection], catalogue.Built]
# The area's talking points (insight.numbers.narrative, from safe tables only): speaker notes for the
# slides on where participants are. Built through the same (cached) builder as the tables.
TALKING_POINTS = catalogue.Entry(
    "talking_points",
    "cards",
    "Where participants are",
    "Talking points",
    lambda ds, sel: tables.talking_points(ds, sel),
)


def _plain_build(ds: Dataset, found: catalogue.Entry, sel: Selection) -> catalogue.Built:
    assert found.build is not None
    return found.build(ds, sel)


def build_slide(
    ds: Dataset, item: Item, number: int, total: int, build: Builder = _plain_build
) -> Slide:
    """The slide for one running-order item. A chart this dataset cannot draw (an unknown key,
    a barrier it does not record) becomes a slide that says so, never an error. `build` makes the
    table (the app passes a cached one)."""
    notes: list[str] = [item.notes.strip()] if item.notes.strip() else []
    la = item.la
    if la != WHOLE_AREA and la not in ds.la_codes:
        notes.append(f"This dataset has no participants in {la[:20]}: the whole area is shown.")
        la = WHOLE_AREA
    period = item.period if item.period in PERIODS else DEFAULT_PERIOD
    # The one selection of this slide: its area and period label, its table, its talking points
    # and its cards are all made from it, so the slide cannot name one area or period and show
    # another.
    sel = Selection(la=la, period=period, mode="presenter")
    base: dict[str, Any] = {  # what every slide of this item carries
        "number": number,
        "total": total,
        "chart": item.chart,
        "la": sel.la,
        "area": area_label(ds, sel.la),
        "period": sel.period,
        "period_label": period_label(ds.meta, sel.period),
    }
    try:
        found = catalogue.entry(item.chart)
    except ValueError as problem:
        return Slide(
            kind="chart",
            section="",
            headline="This slide cannot be shown",
            message=f"{problem}.",
            notes=tuple(notes),
            **base,
        )
    prompt = catalogue.PROMPTS.get(found.section)
    if found.kind == "ask":
        return Slide(
            kind="ask",
            section=found.section,
            headline=catalogue.ASK_HEADLINE,
            notes=tuple([*notes, *([prompt] if prompt else [])]),
            **base,
        )
    try:
        built = build(ds, found, sel)
    except ValueError as problem:
        return Slide(
            kind=found.kind,
            section=found.section,
            headline=found.label,
            message=f"This dataset cannot draw this chart: {problem}.",
            notes=tuple(notes),
            **base,
        )
    if isinstance(built, pd.DataFrame):
        message = "" if len(built) else "No insights of this kind are recorded for this area."
        cards, missing = balanced_cards(built, base["area"])
        return Slide(
            kind=found.kind,
            section=found.section,
            headline=found.label,
            subtitle=missing,
            cards=cards,
            message=message,
            notes=tuple([*notes, *([prompt] if prompt else [])]),
            **base,
        )
    spoken = [built.alt_text] if built.alt_text else []
    if found.section == "Where participants are" and not built.empty_message:
        spoken = [*build(ds, TALKING_POINTS, sel), *spoken]  # type: ignore[misc]
    return Slide(
        kind=found.kind,
        section=found.section,
        headline=built.title,
        subtitle=built.subtitle.removesuffix(f", {base['period_label']}"),
        caution=built.caution,
        table=built,
        message=built.empty_message,
        notes=tuple([*notes, *spoken, *([prompt] if prompt else [])]),
        **base,
    )


# Insight cards that say what works (and what to do more of), and those that say what could be
# improved: a slide of both kinds shows both, balanced (catalogue.INSIGHT_KINDS "what_works").
_WORKS = (INSIGHT_CATEGORIES["what_works"], ("Buy more", "Increase", "Continue"))
_IMPROVE = (INSIGHT_CATEGORIES["improvement"], ("Stop", "Improve"))
_ACROSS = "All Local Authorities"  # commissioning._names for an insight about every LA


def balanced_cards(frame: pd.DataFrame, area: str) -> tuple[pd.DataFrame, str]:
    """At most MAX_CARDS insight cards, and a sentence for a kind the area has none of.

    Where the cards hold both what works and what could be improved, each kind gets half the
    places (what works the odd one), a kind with fewer cards leaving its places to the other;
    within a kind the area's own insights come before those about every LA, and "Buy more" and
    "Increase" before "Continue" (then "Stop" before "Improve"), each in the order recorded.
    Cards of one kind only (employer engagement, area barriers) are taken in that same order."""
    if frame.empty or "category" not in frame:
        return frame.head(MAX_CARDS), ""
    categories = frame["category"].astype(str)
    kinds = {_WORKS[0], _IMPROVE[0]}
    if not categories.isin(kinds).any():
        return _in_order(frame, ()).head(MAX_CARDS), ""
    works = _in_order(frame[categories == _WORKS[0]], _WORKS[1])
    improve = _in_order(frame[categories == _IMPROVE[0]], _IMPROVE[1])
    take_improve = min(len(improve), MAX_CARDS // 2)
    take_works = min(len(works), MAX_CARDS - take_improve)
    take_improve = min(len(improve), MAX_CARDS - take_works)
    cards = pd.concat([works.head(take_works), improve.head(take_improve)], ignore_index=True)
    missing = ""
    if works.empty:
        missing = f"Nothing is recorded yet about what works in {area}."
    elif improve.empty:
        missing = f"Nothing is recorded yet about what could be improved in {area}."
    return cards, missing


def _in_order(frame: pd.DataFrame, recommendations: tuple[str, ...]) -> pd.DataFrame:
    """The area's own insights first, then by the order of `recommendations`, then as recorded."""
    if frame.empty:
        return frame.reset_index(drop=True)
    across = frame["las"].astype(str).eq(_ACROSS).to_numpy() if "las" in frame else None
    said = frame.get("recommendation", pd.Series("", index=frame.index)).astype(str)
    rank = [
        recommendations.index(r) if r in recommendations else len(recommendations) for r in said
    ]
    order = pd.DataFrame(
        {
            "across": across if across is not None else [False] * len(frame),
            "rank": rank,
            "seen": range(len(frame)),
        }
    ).sort_values(["across", "rank", "seen"], kind="stable")
    return frame.iloc[order.index.to_numpy()].reset_index(drop=True)


def slides(ds: Dataset, items: Sequence[Item], build: Builder = _plain_build) -> list[Slide]:
    return [build_slide(ds, item, n, len(items), build) for n, item in enumerate(items, start=1)]


# --- the slide's figure ----------------------------------------------------------------------
SLIDE_FONT = {"base": 16, "bar": 17, "dense_bar": 13, "tick": 15}


def caveat_text(table: SafeTable | None, meta: Meta) -> tuple[str, str]:
    """(the caveat sentence, everything else the chart's footer says: provenance, synthetic
    marker, the table's notes, its symbol legend and its source with any ONS attribution)."""
    if table is None:
        from insight.core.caveat import CAVEAT, caveat_lines

        return CAVEAT, " · ".join(_without_period(caveat_lines(meta)[1:], meta))
    lines = footer_lines(table, meta)
    return lines[0], " · ".join(_without_period(lines[1:], meta))


def _without_period(lines: list[str], meta: Meta) -> list[str]:
    """The strip's lines with the dataset's own period taken out of the provenance line: a slide
    names the period it shows once, at its top (Slide.place), and the strip of a "latest 12
    months" slide said the whole dataset's period beside it."""
    from insight.core.caveat import provenance

    extracted = f"{meta.extract_date.day} {meta.extract_date:%b %Y}"
    plain = f"{meta.provider_name} · data extracted {extracted}"
    return [plain if line == provenance(meta) else line for line in lines]


def _is_footer(annotation: dict) -> bool:
    """The chart's footer: the paper-anchored note hanging below the plot (figures.footnote)."""
    return (
        annotation.get("yref") == "paper"
        and annotation.get("y") == 0
        and annotation.get("yanchor") == "top"
    )


def _one_line(labels: Iterable[object] | None) -> list[str]:
    return [str(label).replace("<br>", " ") for label in (labels or ())]


def slide_figure(table: SafeTable, meta: Meta, sel: Selection) -> go.Figure:
    """The page's chart for this table, refitted to a slide: no title (the slide's heading says
    it), no footer (the slide's caveat strip says it), margins only for the legend, a reference
    line's label and the axis ticks, and no fixed height, so the plot fills the box the slide
    gives it. Edited as a plain dict and validated once (plotly's update machinery cost 200 ms
    a slide on a busy machine)."""
    spec = chart(table, meta, sel).to_dict()
    layout = spec["layout"]
    kept = [a for a in layout.get("annotations", ()) if not _is_footer(a)]
    legend = bool(layout.get("showlegend"))
    reference = any(a.get("yref") == "y domain" for a in kept)
    top = 8 + (38 if legend else 0) + (28 if reference else 0)
    ticks = 2 if table.key.startswith("trend") else 1
    bottom = int(SLIDE_FONT["tick"] * 1.3 * ticks) + 14
    layout["annotations"] = kept
    layout.pop("title", None)
    layout.pop("height", None)
    layout["autosize"] = True
    layout["margin"] = {"t": top, "b": bottom, "l": 10, "r": 60, "autoexpand": True}
    layout["font"] = {**layout.get("font", {}), "size": SLIDE_FONT["base"]}
    # At the figure's top edge: a reference line's label sits between it and the plot.
    layout["legend"] = {
        **layout.get("legend", {}),
        "font": {"size": SLIDE_FONT["base"]},
        "yref": "container",
        "y": 1.0,
        "yanchor": "top",
    }
    for axis in ("xaxis", "yaxis"):
        layout[axis] = {**layout.get(axis, {}), "tickfont": {"size": SLIDE_FONT["tick"]}}
    # One line a category label: the slide is wide, and two-line labels overlapped on a
    # 13-barrier chart 380 px tall. Bar labels shrink where many bars share the height.
    bars = [trace for trace in spec["data"] if trace.get("type") == "bar"]
    size = (
        SLIDE_FONT["bar"]
        if sum(len(t.get("y", ())) for t in bars) <= 16
        else SLIDE_FONT["dense_bar"]
    )
    for trace in bars:
        trace["y"] = _one_line(trace.get("y"))
        trace["textfont"] = {**trace.get("textfont", {}), "size": size}
    if layout["yaxis"].get("categoryarray") is not None:
        layout["yaxis"]["categoryarray"] = _one_line(layout["yaxis"]["categoryarray"])
    return go.Figure(spec)


__all__ = [
    "Item",
    "Slide",
    "area_label",
    "build_slide",
    "caveat_text",
    "ready_made",
    "slide_figure",
    "slides",
]
