"""The briefing pack's page furniture (fpdf2): the caveat header and provenance footer on every
page, fonts, text made safe to print, images with alt text, and the wide tables a reader expects.
The document is tagged: its language is en-GB and every image carries alt text."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from fpdf import FPDF, ViewerPreferences

from insight.core.caveat import CAVEAT, SYNTHETIC_MARKER, provenance
from insight.core.dataset import Meta
from insight.core.selection import Selection
from insight.numbers.tables import SafeTable
from insight.outputs.chart_table import per_la_order

CONTENT_MM = 180


# Columns of a safe table that may be printed, by mode. Anything else stays out of the PDF.
_SHOWN_COLUMNS = {
    "presenter": (("area", "Area"), ("category", "Category"), ("label", "Share")),
    "standard": (
        ("area", "Area"),
        ("category", "Category"),
        ("label", "Share"),
        ("count", "Count (rounded)"),
        ("planned_referrals", "Planned referrals (rounded)"),
        ("capacity", "Capacity (rounded)"),
    ),
}


# --- the PDF ---------------------------------------------------------------------------------
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _font_files() -> tuple[Path, Path] | None:
    """(regular, bold) DejaVu Sans, or None when not installed (then core Helvetica is used)."""
    override = os.environ.get("INSIGHT_PDF_FONT")
    if override and Path(override).is_file():
        return Path(override), Path(override)
    for folder in _FONT_DIRS:
        regular = Path(folder) / "DejaVuSans.ttf"
        if regular.is_file():
            bold = Path(folder) / "DejaVuSans-Bold.ttf"
            return regular, bold if bold.is_file() else regular
    return None


class PackPDF(FPDF):
    def __init__(self, meta: Meta, sel: Selection, page_format: str | tuple = "A4") -> None:
        super().__init__(format=page_format)
        self.meta, self.sel = meta, sel
        fonts = _font_files()
        self.unicode_font = fonts is not None
        if fonts:
            self.add_font("Body", "", str(fonts[0]))
            self.add_font("Body", "B", str(fonts[1]))
            self.body_font = "Body"
        else:
            self.body_font = "Helvetica"
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_title(self.clean(f"Briefing pack: {meta.provider_name}"))
        self.set_author(self.clean(meta.provider_name))
        self.set_creator("Restart Insight")
        self.set_lang("en-GB")  # tagged: the language, and alt text on every image

    def clean(self, text: str) -> str:
        """Text safe to print: no control or direction-override characters; glyphs the font
        lacks become '?' (latin-1 only with the core font)."""
        text = _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\t", " "))
        if not self.unicode_font:
            return text.encode("latin-1", "replace").decode("latin-1")
        cmap = getattr(self.fonts.get("body"), "cmap", None)  # a TrueType font's glyphs
        if cmap is None:
            return text
        return "".join(c if c == "\n" or ord(c) in cmap else "?" for c in text)

    def write_text(self, text: str, size: float = 10, bold: bool = False, gap: float = 1.5):
        self.set_font(self.body_font, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.clean(text), align="L", markdown=False, new_x="LMARGIN")
        self.ln(gap)

    def write_bullet(self, text: str, size: float = 10, gap: float = 1.0) -> None:
        """A bulleted paragraph whose wrapped lines start under its first word, not the bullet."""
        self.set_font(self.body_font, "", size)
        indent = 5.0
        self.cell(indent, size * 0.5, self.clean("•"))
        self.multi_cell(
            self.w - self.r_margin - self.get_x(), size * 0.5, self.clean(text),
            align="L", markdown=False, new_x="LMARGIN",
        )  # fmt: skip
        self.ln(gap)

    def header(self) -> None:
        self.set_y(6)
        self.set_font(self.body_font, "", 7.5)
        self.set_text_color(61, 61, 61)
        lines = [CAVEAT] + ([SYNTHETIC_MARKER] if self.meta.synthetic else [])
        self.multi_cell(
            0, 3.6, self.clean(" ".join(lines)), align="L", markdown=False, new_x="LMARGIN"
        )
        self.set_draw_color(191, 191, 191)
        self.line(15, self.get_y() + 1, 195, self.get_y() + 1)
        self.set_y(self.get_y() + 4)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.body_font, "", 7.5)
        self.set_text_color(61, 61, 61)
        # one line that cannot wrap: the month abbreviated (insight.core.dates.short_date)
        text = f"{provenance(self.meta, short=True)} · Page {self.page_no()} of {{nb}}"
        self.cell(0, 4, self.clean(text), align="C")
        self.set_text_color(0, 0, 0)


@dataclass(frozen=True)
class Grid:
    """A pack table laid out as a reader expects: categories down, areas across (one column
    per area), with which columns hold numbers and which column (or row) is the chosen LA's."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    marked_column: int | None = None
    marked_row: int | None = None


def _value_header(table: SafeTable) -> str:
    return "Index" if table.unit == "index" else "Share"


def grid(table: SafeTable, sel: Selection) -> Grid:
    """The safe table's printable columns, wide. Per-LA tables (one row per LA) keep one row per
    LA, the chosen LA's row marked; breakdowns get one column per area, the chosen LA's marked.
    In standard mode a rounded count the table carries sits in brackets after its share."""
    frame = table.frame
    allowed = {c for c, _ in _SHOWN_COLUMNS[sel.mode]}
    extras = [(c, h) for c, h in _SHOWN_COLUMNS[sel.mode][3:] if c in frame.columns]
    per_la = "category" in frame and frame["area"].astype(str).equals(frame["category"].astype(str))
    if per_la:  # largest first, a symbol's row last whatever it hides: the chart's order
        frame = per_la_order(frame)
        headers = ["Local Authority", _value_header(table), *(h for _, h in extras)]
        rows = [
            (str(r["category"]), str(r["label"]), *(str(r[c]) for c, _ in extras))
            for _, r in frame.iterrows()
        ]
        codes = frame["area_code"].astype(str).tolist()
        marked = codes.index(sel.la) if not sel.is_whole_area and sel.la in codes else None
        return Grid(
            tuple(headers), tuple(rows), (False,) + (True,) * (len(headers) - 1), marked_row=marked
        )
    codes = list(dict.fromkeys(frame["area_code"].astype(str)))
    categories = list(dict.fromkeys(frame["category"].astype(str)))
    cells = {(str(r["area_code"]), str(r["category"])): r for _, r in frame.iterrows()}
    names = {str(c): str(a) for c, a in zip(frame["area_code"], frame["area"], strict=True)}
    if len(codes) == 1:  # one area: its share, then each count column of its own
        code = codes[0]
        headers = ["Category", f"{names[code]}: {_value_header(table).lower()}"]
        headers += [h for _, h in extras]
        rows = [
            (cat, str(cells[code, cat]["label"]), *(str(cells[code, cat][c]) for c, _ in extras))
            for cat in categories
        ]
        marked = 1 if not sel.is_whole_area and code == sel.la else None
        numeric = (False,) + (True,) * (len(headers) - 1)
        return Grid(tuple(headers), tuple(rows), numeric, marked_column=marked)
    with_count = "count" in frame.columns and "count" in allowed

    def cell(code: str, cat: str) -> str:
        record = cells.get((code, cat))
        if record is None:
            return "[x]"
        text = str(record["label"])
        return f"{text} ({record['count']})" if with_count else text

    headers = ["Category"] + [
        f"{names[c]} (chosen LA)" if c == sel.la and not sel.is_whole_area else names[c]
        for c in codes
    ]
    rows = [(cat, *(cell(c, cat) for c in codes)) for cat in categories]
    marked = codes.index(sel.la) + 1 if not sel.is_whole_area and sel.la in codes else None
    return Grid(tuple(headers), tuple(rows), (False,) + (True,) * len(codes), marked_column=marked)


def grid_caption(table: SafeTable, sel: Selection, shown: Grid) -> str:
    if table.unit == "index":
        measure = "Index (100 = in proportion)"
    else:  # the subtitle's measure: "Share of recorded job entries, by sector, Jul ..."
        measure = (table.subtitle or "Share").split(",")[0].strip()
    if (
        len(shown.headers) > 2
        and shown.marked_row is None
        and any("(" in c for row in shown.rows for c in row[1:])
    ):
        return f"{measure}; in brackets, the count rounded to the nearest 5."
    return f"{measure}."


def _widths(shown: Grid) -> tuple[float, ...]:
    first = 70 if len(shown.headers) > 2 else 110
    rest = (180 - first) / max(1, len(shown.headers) - 1)
    return (first, *([rest] * (len(shown.headers) - 1)))


def grid_height(pdf: PackPDF, shown: Grid) -> float:
    """The height (mm) the table will take: each row as tall as its longest cell's lines."""
    pdf.set_font(pdf.body_font, "", 9)
    total = 0.0
    for row in (shown.headers, *shown.rows):
        lines = max(
            len(pdf.multi_cell(w - 2, 5, pdf.clean(cell), dry_run=True, output="LINES"))  # type: ignore[arg-type]
            for cell, w in zip(row, _widths(shown), strict=True)
        )
        total += 5 * lines + 0.6
    return total


def text_height(pdf: PackPDF, text: str, size: float) -> float:
    """The height (mm) of PackPDF.write_text's paragraph, gap left out."""
    pdf.set_font(pdf.body_font, "", size)
    found = pdf.multi_cell(
        0, size * 0.5, pdf.clean(text), markdown=False, dry_run=True, output="HEIGHT"
    )
    return float(found)  # type: ignore[arg-type]


def draw_grid(pdf: PackPDF, shown: Grid) -> None:
    from fpdf.fonts import FontFace

    marked_fill = (221, 234, 245)
    widths = _widths(shown)
    pdf.set_font(pdf.body_font, "", 9)
    with pdf.table(
        markdown=False,
        first_row_as_headings=True,
        line_height=5,
        col_widths=widths,
        width=180,
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=(243, 242, 241)),
    ) as table:
        heading = table.row()
        for i, text in enumerate(shown.headers):
            style: FontFace | None = FontFace(emphasis="BOLD", fill_color=marked_fill)
            align = "RIGHT" if shown.numeric[i] else "LEFT"
            heading.cell(
                pdf.clean(text), align=align, style=style if i == shown.marked_column else None
            )
        for r, values in enumerate(shown.rows):
            row = table.row()
            for i, text in enumerate(values):
                marked = i == shown.marked_column or r == shown.marked_row
                style = FontFace(emphasis="BOLD", fill_color=marked_fill) if marked else None
                row.cell(
                    pdf.clean(text), align="RIGHT" if shown.numeric[i] else "LEFT", style=style
                )


MIN_IMAGE_MM = 60  # a chart drawn smaller than this to keep its table beside it gets too small


def place_image(pdf: PackPDF, png: bytes, alt: str, reserve: float = 0.0) -> None:
    """The image across the content width, moved to a fresh page if it would not fit. With
    `reserve` (mm wanted under it for its text and table), it is drawn smaller, centred, so
    that what follows stays on its page, down to MIN_IMAGE_MM tall."""
    width_px = int.from_bytes(png[16:20], "big")
    height_px = int.from_bytes(png[20:24], "big")
    height_mm = CONTENT_MM * height_px / max(1, width_px)
    room = pdf.h - pdf.b_margin - pdf.get_y() - reserve - 2
    if reserve and height_mm > room:
        height_mm = max(MIN_IMAGE_MM, room)
    if pdf.get_y() + height_mm > pdf.h - pdf.b_margin and pdf.get_y() > 60:
        pdf.add_page()
    width_mm = min(CONTENT_MM, height_mm * width_px / max(1, height_px))
    pdf.image(
        io.BytesIO(png),
        x=pdf.l_margin + (CONTENT_MM - width_mm) / 2,
        w=width_mm,
        h=width_mm * height_px / max(1, width_px),
        alt_text=pdf.clean(alt),
    )
    pdf.ln(2)


# --- tagged documents: the slides as a PDF and the LA summary ---------------------------------
_XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"""


class TaggedPDF(PackPDF):
    """A PackPDF whose every text is tagged: headings as H1 and H2, the rest as P, images as
    Figure with their alt text (fpdf2's own), the running header and footer as P too (they
    carry the caveat and provenance), the title shown as the window's title and declared in
    XMP. Text is placed whole on a page: a block that would not fit starts the next page, so
    no tagged sequence is split across two."""

    def __init__(
        self, meta: Meta, sel: Selection, title: str, page_format: str | tuple = "A4"
    ) -> None:
        super().__init__(meta, sel, page_format)
        self.set_title(self.clean(title))
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.set_xmp_metadata(_XMP.format(title=escape(self.clean(title))))

    @contextmanager
    def tag(self, kind: str = "P", alt: str | None = None) -> Iterator[None]:
        """Everything drawn inside is one structure element of this kind (a Figure with its
        alt text)."""
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        alt_text = self.clean(alt) if alt else None
        self._add_marked_content(struct_type=f"/{kind}", mcid=mcid, alt_text=alt_text)
        self._out(f"/{kind} <</MCID {mcid}>> BDC")
        try:
            yield
        finally:
            self._out("EMC")

    def write_text(self, text: str, size: float = 10, bold: bool = False, gap: float = 1.5,
                   kind: str = "P", width: float = 0) -> None:  # fmt: skip
        if not str(text).strip():
            return
        self.set_font(self.body_font, "B" if bold else "", size)
        text = self.clean(text)
        height = self.text_height(text, size, width)
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()
        with self.tag(kind):
            self.multi_cell(width, size * 0.5, text, align="L", markdown=False, new_x="LMARGIN")
        self.ln(gap)

    def text_height(self, text: str, line: float, width: float = 0) -> float:
        """The height, in mm, that `text` takes in the current font (nothing is drawn)."""
        found = self.multi_cell(
            width, line * 0.5, text, align="L", markdown=False, dry_run=True, output="HEIGHT"
        )
        return float(found)  # type: ignore[arg-type]

    def header(self) -> None:
        with self.tag("P"):
            super().header()

    def footer(self) -> None:
        with self.tag("P"):
            super().footer()
