"""A meeting as slides: each item of a running order (chart key, area, period) becomes one slide
with the area's name, a headline, one safe table (or insight cards), the caveat and speaker
notes. Slides are always in presenter mode: their tables carry no count, base or total.

Also the slide's figure: the chart the pages draw, refitted to a slide. Its headline and caveat
move out of the figure into the slide (large heading above, caveat strip below), so the plot can
take the height the window leaves it.

Pure: no streamlit import.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from insight.core.contract import INSIGHT_CATEGORIES
from insight.core.dataset import Dataset, Meta
from insight.core.dates import long_date
from insight.core.geo import la_name
from insight.core.periods import PERIODS, period_label
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import catalogue, tables
from insight.numbers.place import SOURCE_LINE, symbols_used
from insight.numbers.place import the as place_the
from insight.numbers.tables import SYMBOLS, SafeTable
from insight.outputs.chart_table import footer_lines
from insight.outputs.figures import chart, footnote

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
    context: pd.DataFrame | None = None  # official statistics, as labels (catalogue.PLACE)
    source: str = ""  # a source beside the provider's (the official statistics' line)

    @property
    def counter(self) -> str:
        return f"{self.number} of {self.total}"

    @property
    def selection(self) -> Selection:
        return Selection(la=self.la, period=self.period, mode="presenter")


def area_label(ds: Dataset, la: str) -> str:
    return f"{ds.meta.area_name} (whole area)" if la == WHOLE_AREA else la_name(la)


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


def ready_made(
    ds: Dataset, la: str, period: str = DEFAULT_PERIOD, build: Builder | None = None
) -> list[Item]:
    """The one-click running order for one LA (or the whole area): the annex's sections in
    order (catalogue.ready_made), the trend of the LA's most reported barrier after the barriers,
    and within each section the slides where the LA differs most from the whole area first
    (difference: the largest gap between the LA's and the area's shown percentages in one
    category, `difference`; slides without one keep their place after those with one). Made
    once per dataset, area and period."""
    key = (ds.fingerprint, la, period)
    with _READY_LOCK:
        if key in _READY:
            return list(_READY[key])
    build = build or _plain_build
    sel = Selection(la=la, period=period, mode="presenter")
    keys = list(catalogue.ready_made(ds))
    trend = _trend_key(ds, sel, build)
    if trend and "barriers" in keys:
        keys.insert(keys.index("barriers") + 1, trend)
    gaps = {k: difference(_table(ds, k, sel, build)) for k in keys}
    sections = {k: catalogue.entry(k).section for k in keys}
    place = {k: i for i, k in enumerate(keys)}
    keys.sort(
        key=lambda k: (
            catalogue.SECTIONS.index(sections[k]),
            gaps[k] is None,
            -(gaps[k] or 0.0),
            place[k],
        )
    )
    items = [Item(k, la, period) for k in keys]
    with _READY_LOCK:
        _READY[key] = tuple(items)
        while len(_READY) > _KEEP_READY:
            _READY.pop(next(iter(_READY)))
    return items


_READY: dict[tuple[str, str, str], tuple[Item, ...]] = {}
_READY_LOCK = threading.Lock()
_KEEP_READY = 64


def _table(ds: Dataset, key: str, sel: Selection, build: Builder) -> SafeTable | None:
    """The chart's safe table for this selection, or None (a map, cards, the ask, a chart this
    dataset cannot draw)."""
    found = catalogue.entry(key)
    if found.kind != "chart" or found.build is None:
        return None
    try:
        built = build(ds, found, sel)
    except ValueError:
        return None
    return built if isinstance(built, SafeTable) else None


def difference(table: SafeTable | None) -> float | None:
    """How far the LA's figures stand from the whole area's in a chart of both: the largest gap,
    in percentage points, between the two shown percentages of one category. Only figures the
    slide shows count (a hidden one, [c] or [x], is never compared); None for a chart without
    the LA beside the area, or without one category shown for both."""
    if table is None or table.unit != "%" or table.is_empty or table.key.startswith("trend"):
        return None
    frame = table.frame
    codes = frame["area_code"].astype(str)
    areas = list(dict.fromkeys(codes))
    if len(areas) != 2 or WHOLE_AREA not in areas:
        return None
    mine = [a for a in areas if a != WHOLE_AREA][0]
    shown = frame[~frame["label"].astype(str).isin(SYMBOLS)]
    values = pd.to_numeric(shown["value"], errors="coerce")
    by_area = {
        area: dict(
            zip(shown.loc[codes == area, "category_key"], values[codes == area], strict=True)
        )
        for area in (mine, WHOLE_AREA)
    }
    gaps = [
        abs(v - by_area[WHOLE_AREA][k])
        for k, v in by_area[mine].items()
        if k in by_area[WHOLE_AREA] and pd.notna(v) and pd.notna(by_area[WHOLE_AREA][k])
    ]
    return max(gaps) if gaps else None


def _trend_key(ds: Dataset, sel: Selection, build: Builder) -> str | None:
    """The quarterly trend of the barrier most reported in the LA (the whole area's, for the
    whole area), by the shown percentages only; None when no barrier is shown."""
    table = _table(ds, "barriers", sel, build)
    if table is None or table.is_empty:
        return None
    frame = table.frame
    mine = frame[frame["area_code"].astype(str) == sel.la]
    shown = mine[~mine["label"].astype(str).isin(SYMBOLS)]
    values = pd.to_numeric(shown["value"], errors="coerce")
    if not values.notna().any():
        return None
    top = str(shown.loc[values.idxmax(), "category_key"])
    key = f"trend.barrier.{top}.quarter"
    return key if catalogue.is_known(key) else None


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
    if found.kind == "context" and isinstance(built, pd.DataFrame):
        return Slide(
            kind="context",
            section=found.section,
            headline=_context_headline(base["area"], la, built),
            subtitle="Official statistics (ONS Explore Local Statistics), each at its latest "
            "period: not the provider's management information",
            context=built.drop(columns=[catalogue.CONTEXT_WORDS]),
            source=_with_symbols(built.drop(columns=[catalogue.CONTEXT_WORDS]), SOURCE_LINE),
            notes=tuple([*notes, *built[catalogue.CONTEXT_WORDS].astype(str)]),
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
# Type in px of a 1280 x 720 slide (the slide is scaled with the window, components.style): a
# projected deck's floor is 18 pt, 24 px; nothing on a slide's chart is under 20 px.
SLIDE_FONT = {"base": 20, "bar": 20, "tick": 20, "legend": 20, "note": 20}
# The slide's chart area at 1280 x 720 (px, measured in Chromium): every chart and map is drawn at
# this size and scaled with the window with the rest of the slide (components.style).
SLIDE_SIZE = (1216, 356)
# The chart's plot height on a 1280 x 720 slide (its chart area less the legend and a note), and
# the room one category needs there: a labelled bar, a pair of labelled bars (the LA beside the
# whole area: each bar as thick as a label, so the two labels never meet), or a line of a
# category's name. A chart with more categories than fit shows the largest and says how many
# more there are.
SLIDE_PLOT_PX = SLIDE_SIZE[1] - 48 - 10  # less the legend's row and the foot's margin
NOTE_PX = 40  # a note's row, when not every category fits
ROW_PX = {1: 28, 2: 58}  # per category: one bar, a pair of bars (each bar as thick as a label)
LINE_PX = 26  # per line of a category's name
PAIR_GAP = 0.06  # plotly's bargap for paired bars: nearly all of a category's room is bar


def caveat_text(table: SafeTable | None, meta: Meta, source: str = "") -> tuple[str, str]:
    """(the caveat sentence, everything else the chart's footer says: provenance, synthetic
    marker, the table's notes, its symbol legend and its source with any ONS attribution; and
    `source`, a slide's official statistics' source line)."""
    from insight.core.caveat import CAVEAT, caveat_lines

    lines = [CAVEAT, *caveat_lines(meta)[1:]] if table is None else footer_lines(table, meta)
    extra = [source] if source else []
    return lines[0], " · ".join([*_without_period(lines[1:], meta), *extra])


def _without_period(lines: list[str], meta: Meta) -> list[str]:
    """The strip's lines with the dataset's own period taken out of the provenance line: a slide
    names the period it shows once, at its top (Slide.place), and the strip of a "latest 12
    months" slide said the whole dataset's period beside it."""
    from insight.core.caveat import provenance

    plain = f"{meta.provider_name} · data extracted {long_date(meta.extract_date)}"
    return [plain if line == provenance(meta) else line for line in lines]


def _context_headline(area: str, la: str, frame: pd.DataFrame) -> str:
    """ "Sandwell beside the West Midlands and similar areas", naming the columns it shows."""
    others = [c for c in frame.columns[2:] if c not in ("Period", catalogue.CONTEXT_WORDS)]
    if la == WHOLE_AREA:
        return f"{area} beside {_and([place_the(c) for c in others]) or 'official figures'}"
    near = [place_the(c) for c in others if not c.startswith("Similar LAs")]
    return f"{area} beside {_and([*near, 'similar areas'])}: official statistics"


def _with_symbols(frame: pd.DataFrame, source: str) -> str:
    """The source line, after what each symbol the official figures show means ("[u] = low
    reliability ..."): a slide that shows "7.3% [u]" says what [u] is, on screen and in print."""
    legend = symbols_used(frame)
    return f"{legend}. {source}" if legend else source


def _and(parts: list[str]) -> str:
    return (
        parts[0]
        if len(parts) == 1
        else ", ".join(parts[:-1]) + " and " + parts[-1]
        if parts
        else ""
    )


def _is_footer(annotation: dict) -> bool:
    """The chart's footer: the paper-anchored note hanging below the plot (figures.footnote)."""
    return (
        annotation.get("yref") == "paper"
        and annotation.get("y") == 0
        and annotation.get("yanchor") == "top"
    )


def _one_line(labels: Iterable[object] | None) -> list[str]:
    """A category's name on one line: a wrapped name joined by a space, a second part in its
    own span (a service's organisation) after a middle dot, so the two do not read as one."""
    return [_joined(str(label)) for label in labels or ()]


_SPAN_WRAP = re.compile(r"</span><br><span[^>]*>")  # a span's own words, wrapped onto two lines


def _joined(label: str) -> str:
    label = _SPAN_WRAP.sub(" ", label)
    return label.replace("<br><span", " · <span", 1).replace("<br>", " ")


def slide_figure(table: SafeTable, meta: Meta, sel: Selection) -> go.Figure:
    """The page's chart for this table, refitted to a slide: no title (the slide's heading says
    it), no footer (the slide's caveat strip says it), every text 20 px on a 1280 x 720 slide,
    margins only for the legend, a reference line's label, the ticks and a note, drawn at the
    slide's chart area (SLIDE_SIZE) and scaled with the window by the slide. A bar chart's value axis carries no
    ticks (every bar has its label); one with more bars than the slide has room for shows the
    largest and says in words how many more there are. Edited as a plain dict and validated
    once (plotly's update machinery cost 200 ms a slide on a busy machine)."""
    spec = chart(table, meta, sel).to_dict()
    layout = spec["layout"]
    kept = [a for a in layout.get("annotations", ()) if not _is_footer(a)]
    for annotation in kept:
        annotation["font"] = {**annotation.get("font", {}), "size": SLIDE_FONT["note"]}
        if annotation.get("yref") == "y domain":  # a reference line's label ends at its line:
            annotation["xanchor"] = "right"  # centred on 100%, the slide PDF cut "taken" off
    legend = bool(layout.get("showlegend"))
    reference = any(a.get("yref") == "y domain" for a in kept)
    bars = [trace for trace in spec["data"] if trace.get("type") == "bar"]
    note = _fit_bars(spec, bars, sel) if bars else ""
    if note:
        kept.append(footnote([note], yshift=-8, size=SLIDE_FONT["note"]))
    top = 8 + (40 if legend else 0) + (32 if reference else 0)
    ticks = 2 if table.key.startswith("trend") else (0 if bars else 1)
    bottom = int(SLIDE_FONT["tick"] * 1.3 * ticks) + 10 + (40 if note else 0)
    layout["annotations"] = kept
    layout.pop("title", None)
    layout["width"], layout["height"] = SLIDE_SIZE
    layout["autosize"] = False
    layout["margin"] = {"t": top, "b": bottom, "l": 10, "r": 70, "autoexpand": True}
    layout["font"] = {**layout.get("font", {}), "size": SLIDE_FONT["base"]}
    layout["hoverlabel"] = {"font": {"size": SLIDE_FONT["base"]}}
    layout["uniformtext"] = {"minsize": SLIDE_FONT["bar"], "mode": "show"}
    # At the figure's top edge: a reference line's label sits between it and the plot.
    layout["legend"] = {
        **layout.get("legend", {}),
        "font": {"size": SLIDE_FONT["legend"]},
        "yref": "container",
        "y": 1.0,
        "yanchor": "top",
    }
    for axis in ("xaxis", "yaxis"):
        layout[axis] = {**layout.get(axis, {}), "tickfont": {"size": SLIDE_FONT["tick"]}}
    if bars:  # every bar has its label: the value axis's ticks and grid would only crowd it
        layout["xaxis"].update(showticklabels=False, showgrid=False)
    for trace in spec["data"]:
        if trace.get("type") == "bar" or trace.get("mode", "").endswith("text"):
            trace["textfont"] = {**trace.get("textfont", {}), "size": SLIDE_FONT["bar"]}
    return go.Figure(spec)


def _fit_bars(spec: dict, bars: list[dict], sel: Selection) -> str:
    """Keep the categories a 1280 x 720 slide has room for, each bar with its label: the
    largest by the first (highlighted) trace's shown value, in the chart's order, and the
    chosen LA always. One line a category name. Returns the note saying what was left out
    ("" when nothing was)."""
    layout = spec["layout"]
    for trace in bars:
        trace["y"] = _one_line(trace.get("y"))
    order = _one_line(layout.get("yaxis", {}).get("categoryarray")) or list(
        dict.fromkeys(y for t in bars for y in t["y"])
    )
    layout.setdefault("yaxis", {})["categoryarray"] = order
    per = min(2, len(bars))
    lines = max((str(c).count("<br>") + 1 for c in order), default=1)
    if per == 2:
        layout["bargap"], layout["bargroupgap"] = PAIR_GAP, 0.0
    pitch = max(ROW_PX[per], lines * LINE_PX)
    if len(order) * pitch <= SLIDE_PLOT_PX:
        return ""
    room = max(1, (SLIDE_PLOT_PX - NOTE_PX) // pitch)
    first = bars[0]
    score: dict[str, float] = {}
    for y, x, text in zip(first["y"], first["x"], first.get("text", first["x"]), strict=False):
        score[y] = float(x) if str(text).strip("<b>/ ") not in SYMBOLS else float("-inf")
    widths = (first.get("marker", {}).get("line", {}) or {}).get("width")
    chosen = [y for y, w in zip(first["y"], widths or (), strict=False) if w]  # per LA: outlined
    best = sorted(order, key=lambda c: (c not in chosen, -score.get(c, float("-inf"))))[:room]
    keep = [c for c in order if c in set(best)]
    for trace in bars:
        picked = [i for i, y in enumerate(trace["y"]) if y in set(keep)]
        _take(trace, picked, len(trace["y"]))
    layout["yaxis"]["categoryarray"] = keep
    # "The largest" only when it is known: every bar kept shows its figure, and no bar left out
    # hides one ([c] stands for a small number, which may be larger than a kept 0%).
    ranked = all(score.get(c, float("-inf")) > float("-inf") for c in order if c not in chosen)
    return showing_note(len(keep), len(order), ranked, bool(chosen) and not sel.is_whole_area)


def showing_note(kept: int, total: int, ranked: bool, chosen: bool) -> str:
    """What a slide that keeps `kept` of `total` bars says of the rest: "the largest" only when
    `ranked` (every bar left out shows a figure), and the chosen LA named when `chosen` kept."""
    which = f"the {_words(kept)} largest" if ranked else _words(kept)
    if chosen:
        largest = "the " if ranked else ""
        which = f"{largest}{_words(kept - 1)}{' largest' if ranked else ''} and the chosen Local Authority"
    more = total - kept
    return (
        f"Showing {which} of {_words(total)}: {_words(more)} more "
        f"{'is' if more == 1 else 'are'} not on this slide."
    )


def _take(trace: dict, picked: list[int], n: int) -> None:
    """Keep the picked points of every per-point list of a trace (nested ones too)."""
    for key, value in list(trace.items()):
        if isinstance(value, dict):
            _take(value, picked, n)
        elif isinstance(value, list | tuple) and len(value) == n and key != "colorscale":
            trace[key] = [value[i] for i in picked]


_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def _words(n: int) -> str:
    """A number under 100 in words ("fourteen"), so no figure on a slide reads as a count."""
    if 0 <= n < 20:
        return _UNITS[n]
    if 20 <= n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens - 2] + (f"-{_UNITS[unit]}" if unit else "")
    return "over ninety-nine" if n > 99 else str(n)


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
