"""The meeting as a PowerPoint deck (python-pptx): one 16:9 slide per running-order slide, in
order, each with its title (the area and period, then the headline) in the title placeholder,
the chart as a native, editable chart (bar or line) or the map as a picture, the caveat and the
symbol legend, a footer with provider, period and extract date, and speaker notes.

Count-free all the way down. The slides come from insight.outputs.meetings, always in presenter
mode, so their safe tables hold no count column; a native chart embeds an Excel workbook that
anyone can open, so only the figures the slide shows go into it: each value is read back from
the table's printed label ("52%" is 52, "[c]" an empty cell), never the unrounded value, and
nothing else (no count, base or total) is in the chart, the notes or the document properties.

Also the slide content both handouts share (insight.outputs.slides_pdf draws the same slides
as a PDF): the title lines, the caveat and legend, the footer and the notes.

Pure: no streamlit import.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import pandas as pd

from insight.core.caveat import CAVEAT, SYNTHETIC_MARKER
from insight.core.colours import CONTEXT_GREY, HIGHLIGHT
from insight.core.dataset import Dataset, Meta
from insight.core.dates import long_date
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers.tables import SYMBOLS, SafeTable
from insight.outputs import meetings, notes
from insight.outputs import png as chart_images  # module: tests set its chromium_path
from insight.outputs.chart_table import is_per_la, per_la_order, symbol_legend
from insight.outputs.names import slugify
from insight.outputs.png import NO_CHROMIUM, kaleido_session, print_png

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5  # 16:9
TREND_PREFIX = "trend"
MAP_ALT = "Map of the Local Authorities, each shaded by its figure and labelled with it. "
_LEADING_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Handout:
    """A built handout: the deck, the slides as a PDF, or the LA summary."""

    data: bytes
    file_name: str
    kind: str  # the sharing log's kind: "deck", "slides" or "summary"
    included: tuple[str, ...]  # what it holds, in words
    warnings: tuple[str, ...] = ()
    images: int = 0
    seconds: float = 0.0
    sha256: str = field(default="")
    # The safe tables whose figures it shows: the sharing log's disclosure statement is the attack
    # run on exactly these (insight.service.release.record).
    tables: tuple[SafeTable, ...] = field(default=(), repr=False, compare=False)


def tables_of(built: Sequence[meetings.Slide]) -> tuple[SafeTable, ...]:
    """The safe tables a run of slides draws (charts and maps; not cards, context or the ask)."""
    return tuple(slide.table for slide in built if slide.table is not None)


# --- what every slide says, in both handouts -------------------------------------------------
def title_lines(slide: meetings.Slide) -> tuple[str, str]:
    """(the area and period, the headline): the slide's title, in that order."""
    return f"{slide.area} · {slide.period_label}", slide.headline


def caveat_block(slide: meetings.Slide, meta: Meta) -> list[str]:
    """The caveat, the table's notes, and the legend of `[c]` and any other symbol used: on every
    slide, so a slide copied out of the deck still carries them."""
    lines = [CAVEAT]
    if meta.synthetic:
        lines.append(SYNTHETIC_MARKER)
    table = slide.table
    if table is not None:
        lines.extend(n for n in table.notes if not n.lower().startswith("counts "))
    legend = symbol_legend(table) if table is not None else ""
    if "[c]" not in legend:
        legend = "; ".join(filter(None, [f"[c] = {SYMBOLS['[c]']}", legend]))
    lines.append(legend)
    if slide.context is not None and slide.source:  # official statistics: symbols and source
        lines.append(slide.source)
    if table is not None and not table.is_empty and "label" in table.frame:
        hidden = table.frame[table.frame["label"].astype(str).str.startswith("[")]
        if len(hidden):  # a chart leaves a symbol's bar out: say where
            where = [f"{r.area}: {r.category} {r.label}" for r in hidden.itertuples(index=False)]
            if is_per_la(table):
                where = [f"{r.area} {r.label}" for r in hidden.itertuples(index=False)]
            lines.append("Not shown in the chart: " + "; ".join(where) + ".")
    return lines


# Slide type: 18 pt is 24 px on a 13.333-inch slide projected 1280 px wide, what the back of a
# meeting room reads; nothing a reader must read on a slide is drawn smaller than SLIDE_MIN_PT.
SLIDE_TEXT_PT = 18
SLIDE_MIN_PT = 12
NOTE_EMU = 12700 * 28  # a one-line note under a chart: 28 pt


def context_grid(slide: meetings.Slide) -> tuple[list[str], list[list[str]]]:
    """The official statistics slide's table as the screen shows it: a row per indicator, the
    area's column next, then what it stands beside, then the period (headers, rows)."""
    frame = slide.context
    assert frame is not None
    return [str(c) for c in frame.columns], [
        [str(v) for v in row] for row in frame.itertuples(index=False)
    ]


def context_widths(columns: int) -> list[float]:
    """Each column's share of the table's width: the indicator's and the period's wide enough
    for their words on one or two lines at slide type, the figures' the rest, alike."""
    if columns < 3:
        return [1.0 / max(1, columns)] * columns
    middle = (1.0 - 0.28 - 0.2) / (columns - 2)
    return [0.28, *([middle] * (columns - 2)), 0.2]


def context_words(slide: meetings.Slide) -> str:
    """The table in sentences, for its alt text: "Claimant count rate (Jan to Dec 2025):
    Malvern Hills 2.3%, West Midlands 5.3%, ...". The period column is the last."""
    headers, rows = context_grid(slide)
    return " ".join(
        f"{row[0]} ({row[-1]}): "
        + ", ".join(f"{h} {v}" for h, v in zip(headers[1:-1], row[1:-1], strict=True))
        + "."
        for row in rows
    )


def caveat_height_in(lines: Sequence[str], chars_per_line: int = 175) -> float:
    """Inches the caveat block needs at 9 pt across the slide."""
    wrapped = sum(max(1, -(-len(line) // chars_per_line)) for line in lines)
    return 0.15 * wrapped + 0.12


def footer_text(slide: meetings.Slide, meta: Meta) -> str:
    extracted = long_date(meta.extract_date)
    return (
        f"{meta.provider_name} management information · {slide.period_label} · extracted "
        f"{extracted} · slide {slide.counter}"
    )


def slide_notes(slide: meetings.Slide, item: meetings.Item) -> str:
    """The slide's speaker notes: the presenter's own first, then the default notes written for
    the presenter (insight.outputs.notes, as the presenter view shows them, without the
    comparison with similar LAs, which would build every chart again for each of them)."""
    return "\n".join(notes.presenter_notes(item.notes, slide))


def card_lines(cards: pd.DataFrame) -> list[tuple[str, str]]:
    """(title, text) of each insight card on a slide."""
    out = []
    for row in cards.itertuples(index=False):
        title = str(getattr(row, "title", "") or "")
        category = str(getattr(row, "category", "") or "")
        out.append((f"{category}: {title}" if category else title, str(getattr(row, "text", ""))))
    return out


def ask_lines() -> list[str]:
    return [
        "What are you seeing in your own services that these figures do not show?",
        "Which of these findings matter most to your organisation, and why?",
        "What should we look at together before the next meeting?",
    ]


def shown_value(label: object) -> float | None:
    """The figure a label shows ("52%" is 52.0, "1.5" is 1.5), or None for a symbol."""
    found = _LEADING_NUMBER.match(str(label).replace(",", ""))
    return float(found.group(1)) if found else None


@dataclass(frozen=True)
class ChartData:
    """What a native chart holds: categories, and each series' name, shown values and colour."""

    kind: str  # "bar" or "line"
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...], str], ...]
    unit: str
    decimals: int
    highlight: tuple[bool, ...] = ()  # per category, for one-series per-LA bars


def chart_data(table: SafeTable, sel: Selection) -> ChartData:
    """The table's shown figures as a chart's data: per-LA tables largest first (symbols last,
    so the order reveals nothing), breakdowns one series per area (the chosen LA first), trends
    one line per area."""
    frame = table.frame
    labels = frame["label"].astype(str)
    decimals = 1 if labels.str.contains(r"\d\.\d", regex=True).any() else 0
    if is_per_la(table):
        shown = per_la_order(frame)  # the page's chart and table view's order
        cats = tuple(str(c) for c in shown["area"])
        values = tuple(shown_value(v) for v in shown["label"])
        chosen = tuple(
            not sel.is_whole_area and str(c) == sel.la for c in shown["area_code"].astype(str)
        )
        return ChartData(
            "bar",
            cats,
            (("Local Authority", values, HIGHLIGHT),),
            table.unit,
            decimals,
            highlight=chosen,
        )
    categories = tuple(dict.fromkeys(frame["category"].astype(str)))
    codes = list(dict.fromkeys(frame["area_code"].astype(str)))
    series = []
    for code in codes:
        part = frame[frame["area_code"].astype(str) == code]
        by_cat = {
            str(c): shown_value(v) for c, v in zip(part["category"], part["label"], strict=True)
        }
        colour = HIGHLIGHT if len(codes) == 1 or code == sel.la else CONTEXT_GREY
        name = str(part["area"].iloc[0])
        series.append((name, tuple(by_cat.get(c) for c in categories), colour))
    kind = "line" if table.key.startswith(TREND_PREFIX) else "bar"
    return ChartData(kind, categories, tuple(series), table.unit, decimals)


def number_format(data: ChartData) -> str:
    digits = "0.0" if data.decimals else "0"
    return f'{digits}"%"' if data.unit == "%" else digits


# --- images: the map (one Kaleido browser for the whole deck) --------------------------------
def map_png(ds: Dataset, slide: meetings.Slide) -> bytes:
    """The slide's map as a static picture (filled shapes, no tiles), in the open session."""
    from insight.outputs.map_figure import print_map
    from insight.outputs.mapdata import map_data

    assert slide.table is not None
    selected = None if slide.la == WHOLE_AREA else slide.la
    data = map_data(slide.table, tuple(ds.la_codes), selected)
    return print_png(print_map(data, ds.meta), ds.meta, slide.selection)


def map_alt(slide: meetings.Slide) -> str:
    return MAP_ALT + (slide.table.alt_text if slide.table is not None else "")


def draw_each(
    wanted: Sequence[meetings.Slide],
    draw: Callable[[meetings.Slide], bytes],
    warnings: list[str],
    *,
    what: str,
    instead: str,
) -> dict[int, bytes]:
    """PNG of each slide in `wanted` (by slide number), drawn by `draw` in one Kaleido session.
    Without Chromium, none, and a warning that says what the handout does `instead`; a slide
    that fails is tried once more (a loaded machine's browser may fail once, then draw it),
    then left to a warning: one bad picture must not sink the handout."""
    if not wanted:
        return {}
    if chart_images.chromium_path() is None:
        warnings.append(f"{NO_CHROMIUM} {instead}")
        return {}
    out: dict[int, bytes] = {}
    with kaleido_session():
        for slide in wanted:
            for attempt in (1, 2):
                try:
                    out[slide.number] = draw(slide)
                    break
                except Exception as exc:
                    if attempt == 2:
                        warnings.append(f"The {what} '{slide.headline}' could not be drawn: {exc}")
    return out


def render_maps(
    ds: Dataset, built: Sequence[meetings.Slide], warnings: list[str]
) -> dict[int, bytes]:
    """PNG of every map slide (by slide number); problems are warnings."""
    wanted = [s for s in built if s.kind == "map" and s.table is not None and not s.message]
    return draw_each(
        wanted,
        lambda slide: map_png(ds, slide),
        warnings,
        what="map",
        instead="Map slides show the figures as a chart instead.",
    )


def included_words(built: Sequence[meetings.Slide]) -> tuple[str, ...]:
    """What a handout holds, in words, for the sharing log: one entry a slide."""
    return tuple(f"{s.number}. {s.headline} ({s.area}, {s.period_label})" for s in built)


def slides_handout(
    data: bytes,
    kind: str,
    file_name: str,
    built: Sequence[meetings.Slide],
    warnings: Sequence[str],
    images: int,
    started: float,
) -> Handout:
    """A run of slides made a deck ("deck") or a PDF ("slides"): what its slides hold in words,
    the safe tables they draw, the time since `started` (time.perf_counter) and its SHA-256."""
    return Handout(
        data=data,
        file_name=file_name,
        kind=kind,
        included=included_words(built),
        tables=tables_of(built),
        warnings=tuple(warnings),
        images=images,
        seconds=time.perf_counter() - started,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def handout_name(meta: Meta, la: str, what: str, suffix: str) -> str:
    from insight.core.geo import la_name

    area = meta.area_name if la == WHOLE_AREA else la_name(la)
    parts = ["restart-insight", what, meta.provider_name, area]
    stem = "-".join(slugify(p, 40) for p in parts)
    return f"{stem}-{datetime.now(UTC):%Y%m%d}.{suffix}"


# --- the deck ---------------------------------------------------------------------------------
def build_deck(
    ds: Dataset,
    items: Sequence[meetings.Item],
    *,
    title: str = "",
    images: bool = True,
    mode: str = "presenter",
) -> Handout:
    """The running order as a .pptx: count-free by default (presenter-mode tables, shown
    figures only). mode="standard" adds, under each chart, the rounded counts its standard-mode
    table carries (only where Annex 7.6 para 13 allows them: the disclosure layer decides) and
    says so on every slide; the charts and their workbooks still hold shares only."""
    if mode not in ("presenter", "standard"):
        raise ValueError("mode must be 'presenter' or 'standard'")
    from pptx import Presentation
    from pptx.util import Emu

    started = time.perf_counter()
    built = meetings.slides(ds, items)
    warnings: list[str] = []
    pictures = render_maps(ds, built, warnings) if images else {}
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 16:9 exactly
    layout = deck.slide_layouts[5]  # "Title Only": the title is a title placeholder
    for slide, item in zip(built, items, strict=True):
        counts = standard_counts(ds, slide) if mode == "standard" else None
        _add_slide(deck, layout, ds.meta, slide, item, pictures.get(slide.number), counts)
    la = items[0].la if items else WHOLE_AREA
    _properties(
        deck, ds.meta, title or f"Partnership meeting: {built[0].area if built else ''}", mode
    )
    out = io.BytesIO()
    deck.save(out)
    data = out.getvalue()
    name = handout_name(ds.meta, la, f"slides-{mode}", "pptx")
    return slides_handout(data, "deck", name, built, warnings, len(pictures), started)


STANDARD_NOTE = (
    "Standard mode: percentages, with rounded counts only where Annex 7.6 para 13 allows them."
)
COUNT_COLUMNS_SHOWN = (
    ("count", "count"),
    ("planned_referrals", "planned referrals"),
    ("capacity", "capacity"),
)


def standard_counts(ds: Dataset, slide: meetings.Slide) -> str:
    """The rounded counts a standard-mode deck shows under a chart, in words: those the slide's
    table carries in standard mode (the disclosure layer leaves out every count the annex does
    not allow), or a sentence saying this slide has none."""
    from insight.numbers import catalogue

    none = "No count on this slide: the annex does not call for one here."
    if slide.table is None or slide.message:
        return none
    try:
        table = catalogue.entry(slide.chart).build(  # type: ignore[misc]
            ds, Selection(la=slide.la, period=slide.period, mode="standard")
        )
    except ValueError:
        return none
    if not isinstance(table, SafeTable) or table.is_empty:
        return none
    frame = table.frame
    present = [(c, words) for c, words in COUNT_COLUMNS_SHOWN if c in frame.columns]
    if not present:
        return none
    parts, hidden = [], 0
    for row in frame.to_dict("records"):
        shown = [(c, w) for c, w in present if not str(row[c]).startswith("[")]
        if not shown:  # a count the annex or the disclosure rules keep back: no figure to list
            hidden += 1
            continue
        where = (
            row["category"]
            if row["area"] == row["category"]
            else f"{row['category']}, {row['area']}"
        )
        parts.append(f"{where}: " + ", ".join(f"{words} {row[c]}" for c, words in shown))
    if hidden:
        parts.append(f"{hidden} more {'is' if hidden == 1 else 'are'} [c]")
    if not parts[:-1] and hidden:
        return f"Every count on this slide is [c] ({SYMBOLS['[c]']})."
    return "Rounded to the nearest 5 (Annex 7.6 para 13): " + "; ".join(parts) + "."


def _properties(deck, meta: Meta, title: str, mode: str) -> None:  # noqa: ANN001
    """Every core property set on purpose: the template's own (its title, 'python-pptx' as
    author, a revision number) would otherwise travel with the file."""
    now = datetime.now(UTC).replace(tzinfo=None)
    props = deck.core_properties
    props.title = title
    props.author = meta.provider_name
    props.last_modified_by = meta.provider_name
    props.subject = (
        "Partnership meeting slides (Annex 7.6): percentages only, no counts"
        if mode == "presenter"
        else f"Partnership meeting slides (Annex 7.6). {STANDARD_NOTE}"
    )
    props.comments = CAVEAT
    props.keywords = "Restart Scheme; provider management information"
    props.category = "Provider management information"
    props.content_status = "Not accredited or sponsored by DWP"
    props.identifier = ""
    props.language = "en-GB"
    props.version = ""
    props.revision = 1
    props.created = now
    props.modified = now
    props.last_printed = now


def _text_box(slide, x, y, w, h, lines: Sequence[str], size: int, *, bold_first: bool = False,
              colour: str = "0B0C0C", name: str = ""):  # fmt: skip  # noqa: ANN001, ANN202
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    box = slide.shapes.add_textbox(x, y, w, h)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = _clean(line)
        run.font.size = Pt(size)
        run.font.bold = bold_first and i == 0
        run.font.color.rgb = RGBColor.from_string(colour)
    return box


_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)


def _clean(text: str) -> str:
    """Text XML can hold and a reader sees as written: no control or direction characters."""
    return _CONTROL.sub("", str(text))


def _describe(shape, alt: str) -> None:  # noqa: ANN001
    """Alt text: the descr attribute of the shape's cNvPr, which PowerPoint shows as Alt Text."""
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")[0]
    c_nv_pr.set("descr", _clean(alt))


def _add_slide(deck, layout, meta: Meta, slide: meetings.Slide, item: meetings.Item,
               picture: bytes | None, counts: str | None = None) -> None:  # fmt: skip  # noqa: ANN001
    """Shapes in reading order: title, chart (or map, cards, words), caveat and legend, footer."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    page = deck.slides.add_slide(layout)
    title = page.shapes.title
    title.left, title.top = Inches(0.5), Inches(0.25)
    title.width, title.height = Inches(SLIDE_W_IN - 1), Inches(1.2)
    where, headline = title_lines(slide)
    frame = title.text_frame
    frame.word_wrap = True
    frame.paragraphs[0].text = _clean(where)
    frame.paragraphs[0].font.size = Pt(16)
    frame.paragraphs[0].font.color.rgb = RGBColor.from_string("3D3D3D")
    head = frame.add_paragraph()
    head.text = _clean(headline)
    head.font.size = Pt(26 if len(headline) < 90 else 22)
    head.font.bold = True
    for para in frame.paragraphs:
        para.alignment = 1  # left
    caveat = caveat_block(slide, meta)
    if counts is not None:  # a standard-mode deck says so, and gives its counts, on every slide
        caveat = [STANDARD_NOTE, counts, *caveat]
    caveat_h = caveat_height_in(caveat)
    caveat_top = 6.95 - caveat_h
    body_top, body_h = Inches(1.55), Inches(max(2.5, caveat_top - 1.6))
    left, width = Inches(0.5), Inches(SLIDE_W_IN - 1)
    table = slide.table
    if picture is not None:  # the map at the left, its figures as a native chart beside it
        used = _add_picture(page, picture, map_alt(slide), body_top, body_h, left)
        if table is not None:
            gap = Inches(0.3)
            _add_chart(page, table, slide.selection, left + used + gap, body_top,
                       width - used - gap, body_h)  # fmt: skip
    elif table is not None and not slide.message:
        _add_chart(page, table, slide.selection, left, body_top, width, body_h)
    elif slide.kind == "cards" and slide.cards is not None and len(slide.cards):
        lines: list[str] = []
        for heading, text in card_lines(slide.cards):
            lines += [heading, text[:600]]
        box = _text_box(page, left, body_top, width, body_h, lines, 16, name="Insights")
        for i, para in enumerate(box.text_frame.paragraphs):
            para.runs[0].font.bold = i % 2 == 0
            para.space_before = Pt(10 if i % 2 == 0 else 2)
    elif slide.kind == "ask":
        _text_box(page, left, body_top, width, body_h, ask_lines(), 22, name="Questions")
    elif slide.context is not None and not slide.message:
        _add_context(page, slide, left, body_top, width)
    else:
        _text_box(page, left, body_top, width, body_h, [slide.message or "Nothing to show."], 20)
    _text_box(
        page, left, Inches(caveat_top), width, Inches(caveat_h), caveat, 9,
        colour="3D3D3D", name="Caveat and legend",
    )  # fmt: skip
    _text_box(
        page, left, Inches(7.02), width, Inches(0.35), [footer_text(slide, meta)], 9,
        colour="3D3D3D", name="Footer",
    )  # fmt: skip
    page.notes_slide.notes_text_frame.text = _clean(slide_notes(slide, item))


def _add_picture(page, png: bytes, alt: str, top, height, left) -> int:  # noqa: ANN001
    """The picture as tall as the box allows (at most half the slide wide); returns its width."""
    from pptx.util import Inches

    width_px = int.from_bytes(png[16:20], "big")
    height_px = int.from_bytes(png[20:24], "big")
    h = height
    w = int(h * width_px / max(1, height_px))
    max_w = Inches(SLIDE_W_IN / 2)
    if w > max_w:
        w, h = max_w, int(max_w * height_px / max(1, width_px))
    pic = page.shapes.add_picture(io.BytesIO(png), left, top, w, h)
    pic.name = "Map"
    _describe(pic, alt)
    return int(w)


def _add_context(page, slide: meetings.Slide, left, top, width) -> None:  # noqa: ANN001
    """Official statistics as a native table in slide type: the header row and the area's
    column bold, figures right-aligned, the indicator's column the widest."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    headers, rows = context_grid(slide)
    row_h = Inches(0.6)
    shape = page.shapes.add_table(len(rows) + 1, len(headers), left, top, width, row_h)
    shape.name = "Official statistics"
    _describe(shape, context_words(slide))
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for column, share in zip(table.columns, context_widths(len(headers)), strict=True):
        column.width = Emu(int(width * share))
    for r, values in enumerate([headers, *rows]):
        table.rows[r].height = row_h
        for c, text in enumerate(values):
            cell = table.cell(r, c)
            cell.text = _clean(text)
            para = cell.text_frame.paragraphs[0]
            para.alignment = PP_ALIGN.LEFT if c in (0, len(values) - 1) else PP_ALIGN.RIGHT
            para.runs[0].font.size = Pt(SLIDE_TEXT_PT)
            para.runs[0].font.bold = r == 0 or c == 1


def chart_type_sizes(data: ChartData, height_emu: int) -> tuple[int, int]:
    """(axis and legend, bar label) type sizes in points for a native chart this tall: slide
    type (SLIDE_TEXT_PT) where each bar has the room, else as large as a bar's own height allows
    (a label taller than its bar would run into the next), never under 9 pt. A line chart's
    labels sit on its points: one size below its axes'."""
    if data.kind == "line":
        return SLIDE_TEXT_PT, SLIDE_TEXT_PT - 2
    plot_pt = height_emu / 12700 * 0.75  # the plot area: the frame less its legend and axis
    row_pt = plot_pt / max(1, len(data.categories))
    bar_pt = row_pt / (max(1, len(data.series)) + 0.6)  # the gap between categories included
    label = int(max(9, min(SLIDE_TEXT_PT, bar_pt * 1.1)))
    tick = int(max(SLIDE_MIN_PT, min(SLIDE_TEXT_PT, row_pt * 0.8)))
    return tick, label


def fit_bars(data: ChartData, height_emu: int) -> tuple[ChartData, str]:
    """Keep the bar categories a chart this tall labels at SLIDE_MIN_PT or more: the largest by
    the first series' shown value, in the chart's order, and the chosen LA always, as the screen
    slide does (meetings._fit_bars). Returns the data and the note saying what was left out
    ("" when nothing was)."""
    if data.kind != "bar":
        return data, ""
    plot_pt = height_emu / 12700 * 0.75
    row_pt = SLIDE_MIN_PT / 1.1 * (max(1, len(data.series)) + 0.6)
    room = max(1, int(plot_pt / row_pt))
    if len(data.categories) <= room:
        return data, ""
    first = data.series[0][1]
    chosen = [bool(h) for h in data.highlight] or [False] * len(data.categories)
    score = [float("-inf") if v is None else v for v in first]
    best = sorted(range(len(score)), key=lambda i: (not chosen[i], -score[i], i))[:room]
    keep = sorted(best)
    picked = replace(
        data,
        categories=tuple(data.categories[i] for i in keep),
        series=tuple((n, tuple(v[i] for i in keep), c) for n, v, c in data.series),
        highlight=tuple(chosen[i] for i in keep) if data.highlight else (),
    )
    ranked = all(v > float("-inf") for v, c in zip(score, chosen, strict=True) if not c)
    note = meetings.showing_note(len(keep), len(score), ranked, any(chosen[i] for i in keep))
    return picked, note


def _add_chart(page, table: SafeTable, sel: Selection, left, top, width, height) -> None:  # noqa: ANN001
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.util import Pt

    data, note = fit_bars(chart_data(table, sel), int(height) - NOTE_EMU)
    if note:  # under the chart, which gives up the note's height
        height = int(height) - NOTE_EMU
        _text_box(page, left, top + height, width, NOTE_EMU, [note], SLIDE_MIN_PT, name="Note")
    fmt = number_format(data)
    source = CategoryChartData(number_format=fmt)
    source.categories = [_clean(c) for c in data.categories]
    for name, values, _ in data.series:
        source.add_series(_clean(name), values, number_format=fmt)
    kind = XL_CHART_TYPE.LINE_MARKERS if data.kind == "line" else XL_CHART_TYPE.BAR_CLUSTERED
    frame = page.shapes.add_chart(kind, left, top, width, height, source)
    frame.name = "Chart"
    _describe(frame, table.alt_text or table.title)
    chart = frame.chart
    chart.has_title = False
    bars = len(data.categories) * len(data.series)
    tick_pt, label_pt = chart_type_sizes(data, int(height))
    chart.font.size = Pt(tick_pt)
    chart.has_legend = len(data.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = fmt
    labels.number_format_is_linked = False
    labels.font.size = Pt(label_pt)
    if data.kind == "bar":
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        plot.gap_width = 60 if bars <= 16 else 35
        chart.category_axis.reverse_order = True  # the first category at the top, as on screen
        chart.category_axis.tick_labels.font.size = Pt(tick_pt)
    chart.value_axis.minimum_scale = 0  # a trend too: from 30% to 32% is not a leap, as on screen
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.tick_labels.number_format = fmt
    chart.value_axis.tick_labels.number_format_is_linked = False
    for (_name, _, colour), series in zip(data.series, plot.series, strict=True):
        if data.kind == "line":
            series.format.line.color.rgb = RGBColor.from_string(colour.lstrip("#"))
            series.format.line.width = Pt(2.5)
            series.smooth = False
            if len(data.series) > 1 and colour != HIGHLIGHT:  # as on screen: the LA's labelled,
                series.data_labels.show_value = False  # the area's a grey line beside it
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#"))
    if data.highlight and any(data.highlight):  # per-LA bars: the chosen LA dark, others grey
        series = plot.series[0]
        for i, chosen in enumerate(data.highlight):
            point = series.points[i]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(
                (HIGHLIGHT if chosen else CONTEXT_GREY).lstrip("#")
            )


__all__ = [
    "Handout",
    "build_deck",
    "caveat_block",
    "chart_data",
    "footer_text",
    "title_lines",
]
