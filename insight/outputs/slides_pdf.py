"""The meeting's slides as a PDF, for people without PowerPoint: one 16:9 page per running-order
slide, in order, with the same title, chart or map, caveat and legend, and footer as the deck
(insight.outputs.deck). Tagged (headings, paragraphs,
figures with their alt text). The speaker notes stay in the deck: one page is one slide.. Charts are the slide figures the app draws, as images from one
Kaleido browser for the whole set; presenter-mode tables only, so no count anywhere.

Pure: no streamlit import.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence

from insight.core.dataset import Dataset
from insight.core.selection import WHOLE_AREA, Selection
from insight.outputs import meetings
from insight.outputs.deck import (
    SLIDE_TEXT_PT,
    Handout,
    ask_lines,
    card_lines,
    caveat_block,
    context_grid,
    context_widths,
    context_words,
    draw_each,
    footer_text,
    handout_name,
    map_alt,
    map_png,
    slides_handout,
    title_lines,
)
from insight.outputs.pack_pdf import TaggedPDF

PAGE_MM = (190.5, 338.67)  # 13.333 x 7.5 inches, 16:9 (fpdf2: width, height given portrait)
CHART_PX = (1200, 470)  # the chart's box on the slide, in px at 96 to the inch


class SlidesPDF(TaggedPDF):
    """16:9 pages; the caveat sits in each slide's own block, so no running header."""

    def header(self) -> None:
        return

    def footer(self) -> None:
        return


def _chart_png(slide: meetings.Slide, ds: Dataset) -> bytes:
    import kaleido

    assert slide.table is not None
    fig = meetings.slide_figure(slide.table, ds.meta, slide.selection)
    opts = {"format": "png", "width": CHART_PX[0], "height": CHART_PX[1], "scale": 1.5}
    return kaleido.calc_fig_sync(fig, opts=opts)


def _render(ds: Dataset, built: Sequence[meetings.Slide], warnings: list[str]) -> dict[int, bytes]:
    wanted = [s for s in built if s.table is not None and not s.message]
    return draw_each(
        wanted,
        lambda slide: map_png(ds, slide) if slide.kind == "map" else _chart_png(slide, ds),
        warnings,
        what="chart",
        instead="The slides carry each chart's text alternative instead.",
    )


def _place(pdf: SlidesPDF, png: bytes, alt: str, top: float, box_h: float) -> None:
    width_px = int.from_bytes(png[16:20], "big")
    height_px = int.from_bytes(png[20:24], "big")
    box_w = pdf.w - 2 * pdf.l_margin
    h = box_h
    w = h * width_px / max(1, height_px)
    if w > box_w:
        w, h = box_w, box_w * height_px / max(1, width_px)
    pdf.image(io.BytesIO(png), x=(pdf.w - w) / 2, y=top, w=w, h=h, alt_text=pdf.clean(alt))


def _cards_size(pdf: SlidesPDF, cards: list[tuple[str, str]], room: float) -> float:
    """The largest type (pt, from slide type down to 12) at which the cards fit their box."""
    for size in (SLIDE_TEXT_PT - 2, 15, 14, 13, 12):
        height = 0.0
        for card_title, text in cards:
            pdf.set_font(pdf.body_font, "B", size + 2)
            height += pdf.text_height(pdf.clean(card_title), size + 2) + 0.5
            pdf.set_font(pdf.body_font, "", size)
            height += pdf.text_height(pdf.clean(text[:600]), size) + 3
        if height <= room:
            return size
    return 12


def _context_table(pdf: SlidesPDF, slide: meetings.Slide, top: float) -> None:
    """Official statistics as a table in slide type, one Figure whose alt text says every row
    in words (a drawn grid, as the summary's chart: tagged whole, never half a table)."""
    headers, rows = context_grid(slide)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    widths = [width * share for share in context_widths(len(headers))]
    line = SLIDE_TEXT_PT * 0.5  # mm per line, as write_text spaces it
    y = top + 2
    with pdf.tag("Figure", alt=context_words(slide)):
        for r, values in enumerate([headers, *rows]):
            pdf.set_font(pdf.body_font, "B" if r == 0 else "", SLIDE_TEXT_PT)
            lines = max(
                len(pdf.multi_cell(w - 3, line, pdf.clean(v), dry_run=True, output="LINES"))  # type: ignore[arg-type]
                for v, w in zip(values, widths, strict=True)
            )
            height = lines * line + 3
            if r == 0:
                pdf.set_fill_color(243, 242, 241)
                pdf.rect(pdf.l_margin, y, width, height, style="F")
            x = pdf.l_margin
            for c, (text, w) in enumerate(zip(values, widths, strict=True)):
                pdf.set_font(pdf.body_font, "B" if r == 0 or c == 1 else "", SLIDE_TEXT_PT)
                pdf.set_xy(x + 1.5, y + 1.5)
                align = "L" if c in (0, len(values) - 1) else "R"
                pdf.multi_cell(w - 3, line, pdf.clean(text), align=align, markdown=False)
                x += w
            y += height
            pdf.set_draw_color(177, 180, 182)
            pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
    pdf.set_y(y + 2)


def build_slides_pdf(
    ds: Dataset, items: Sequence[meetings.Item], *, title: str = "", images: bool = True
) -> Handout:
    started = time.perf_counter()
    built = meetings.slides(ds, items)
    warnings: list[str] = []
    pictures = _render(ds, built, warnings) if images else {}
    area = built[0].area if built else ds.meta.area_name
    heading = title or f"Partnership meeting: {area}"
    la = items[0].la if items else WHOLE_AREA
    pdf = SlidesPDF(ds.meta, Selection(la=la, mode="presenter"), heading, PAGE_MM)
    pdf.set_margins(12.7, 8, 12.7)
    pdf.set_auto_page_break(False)
    for slide in built:
        pdf.add_page(orientation="L")
        pdf.start_section(pdf.clean(slide.headline))
        where, headline = title_lines(slide)
        pdf.set_y(8)
        pdf.write_text(where, size=12, gap=0.5)
        pdf.write_text(headline, size=20, bold=True, gap=3, kind="H1")
        top = pdf.get_y()
        caveat = caveat_block(slide, ds.meta)
        pdf.set_font(pdf.body_font, "", 8.5)
        caveat_h = sum(pdf.text_height(pdf.clean(c), 8.5) for c in caveat)
        caveat_top = pdf.h - 12 - caveat_h
        box_h = caveat_top - top - 3
        png = pictures.get(slide.number)
        if png is not None:
            alt = map_alt(slide) if slide.kind == "map" else (slide.table.alt_text or headline)  # type: ignore[union-attr]
            _place(pdf, png, alt, top, box_h)
        elif slide.table is not None and not slide.message:
            pdf.write_text(slide.table.subtitle, size=12, gap=2)
            pdf.write_text(slide.table.alt_text, size=14)
        elif slide.kind == "cards" and slide.cards is not None and len(slide.cards):
            cards = card_lines(slide.cards)
            size = _cards_size(pdf, cards, box_h)
            for card_title, text in cards:
                pdf.write_text(card_title, size=size + 2, bold=True, gap=0.5, kind="H2")
                pdf.write_text(text[:600], size=size, gap=3)
        elif slide.context is not None and not slide.message:
            _context_table(pdf, slide, top)
        elif slide.kind == "ask":
            for line in ask_lines():
                pdf.write_text(line, size=18, gap=4)
        else:
            pdf.write_text(slide.message or "Nothing to show.", size=16)
        pdf.set_y(caveat_top)
        pdf.set_text_color(61, 61, 61)
        for line in caveat:
            pdf.write_text(line, size=8.5, gap=0)
        pdf.set_y(pdf.h - 8)
        pdf.write_text(footer_text(slide, ds.meta), size=8, gap=0)
        pdf.set_text_color(0, 0, 0)
    data = bytes(pdf.output())
    name = handout_name(ds.meta, la, "slides", "pdf")
    return slides_handout(data, "slides", name, built, warnings, len(pictures), started)


__all__ = ["build_slides_pdf"]
