"""Exports that leave the app: chart PNGs (Kaleido) and the briefing pack PDF (fpdf2).

Both are built from safe tables only (insight.numbers.tables, for the selection's mode), carry the caveat
and provenance inside the file, and are recorded in the sharing log (insight.sharing.store) with their
SHA-256. A presenter-mode pack holds no count: presenter tables have no count column, and any
table that does is refused rather than printed.

Kaleido drives the system Chromium; `kaleido_session()` keeps ONE browser open for a whole pack
(kaleido.start_sync_server) with MathJax off, so nothing is fetched from the network.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
import textwrap
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import plotly.graph_objects as go
from fpdf import FPDF

from insight.core.caveat import CAVEAT, SYNTHETIC_MARKER, provenance
from insight.core.dates import date_time, long_date
from insight.core.geo import la_name
from insight.core.model import (
    WHOLE_AREA,
    Dataset,
    Meta,
    Selection,
    period_label,
)
from insight.numbers import tables
from insight.numbers.safe_table import COUNT_COLUMNS
from insight.numbers.tables import SYMBOLS, SafeTable
from insight.outputs.figures import PRINT_MIN_PX, PRINT_WIDTH, chart, footnote
from insight.sharing import store
from insight.sharing.access import Principal

PARA_16 = "Copy this document to your DWP Performance Manager"
NO_CHROMIUM = (
    "Chart images need Chromium (or Chrome), and none was found on this machine. Install it "
    "(Debian: apt-get install chromium) or set BROWSER_PATH to its executable."
)
STAMP_NAME = "insight-stamp"
PNG_WIDTH, PNG_HEIGHT = 1200, 640
# Pack images: drawn PRINT_WIDTH px wide (180 mm at 96 px to the inch, so 12 px prints at 9 pt)
# and rendered at PRINT_SCALE, about 190 dots to the inch on paper.
PRINT_SCALE = 2
CONTENT_MM = 180


# --- names -----------------------------------------------------------------------------------
def area_label(meta: Meta, sel: Selection) -> str:
    if sel.is_whole_area:
        return f"{meta.area_name} (whole area)"
    return f"{la_name(sel.la)} ({sel.la})"


def mode_label(sel: Selection) -> str:
    if sel.mode == "presenter":
        return "Presenter mode: percentages only, no counts"
    return "Standard mode: percentages, with rounded counts only where Annex 7.6 para 13 allows"


def slugify(text: str, max_len: int = 80) -> str:
    """A safe file-name part: ASCII letters, digits and hyphens only (no separators, no dots)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_len].strip("-") or "export"


def export_name(meta: Meta, sel: Selection, what: str, suffix: str) -> str:
    """'restart-insight-<what>-<provider>-<area>-<period>-<mode>-<yyyymmdd>.<suffix>'."""
    area = meta.area_name if sel.is_whole_area else la_name(sel.la)
    parts = ["restart-insight", what, meta.provider_name, area, sel.period, sel.mode]
    stem = "-".join(slugify(p, 40) for p in parts)
    return f"{stem}-{datetime.now(UTC):%Y%m%d}.{suffix}"


# --- chart images ----------------------------------------------------------------------------
class NoChromium(RuntimeError):
    def __init__(self) -> None:
        super().__init__(NO_CHROMIUM)


def chromium_path() -> str | None:
    """BROWSER_PATH if it names an executable, else Chromium or Chrome on PATH, else None."""
    configured = os.environ.get("BROWSER_PATH")
    candidates = [configured] if configured else []
    candidates += [
        shutil.which(name)
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    ]
    candidates.append("/usr/bin/chromium")
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


_kaleido_lock = threading.RLock()
_kaleido_depth = 0


@contextmanager
def kaleido_session() -> Iterator[None]:
    """One Kaleido browser for everything rendered inside (nested sessions share it).

    Kaleido's sync server is one per process and not safe for two callers at once, so a lock
    serialises sessions: a second pack waits for the first.
    """
    global _kaleido_depth
    path = chromium_path()
    if path is None:
        raise NoChromium()
    import kaleido

    with _kaleido_lock:
        if _kaleido_depth == 0:
            kaleido.start_sync_server(path=path, mathjax=False, silence_warnings=True)
        _kaleido_depth += 1
        try:
            yield
        finally:
            _kaleido_depth -= 1
            if _kaleido_depth == 0:
                kaleido.stop_sync_server(silence_warnings=True)


def stamp_lines(
    meta: Meta, sel: Selection, *, with_caveat: bool = True, wrap: int = 150
) -> list[str]:
    """Plain-text lines stamped inside every exported image: the caveat (unless the figure
    already carries it), then source, area, period, mode and extract date."""
    lines = textwrap.wrap(CAVEAT, wrap) if with_caveat else []
    opening = f"Source: {meta.provider_name} management information" if with_caveat else "Export"
    source = (
        f"{opening} · {area_label(meta, sel)} · {period_label(meta, sel.period)} · "
        f"{mode_label(sel).split(':')[0]} · extracted "
        f"{meta.extract_date.day} {meta.extract_date:%b %Y}"
    )
    lines += textwrap.wrap(source, wrap)
    if meta.synthetic and with_caveat:
        lines.append(SYNTHETIC_MARKER)
    return lines


def _carries_caveat(fig: go.Figure) -> bool:
    opening = CAVEAT[:60]
    return any(opening in (a.text or "") for a in fig.layout.annotations if a.name != STAMP_NAME)


def stamp(
    fig: go.Figure, meta: Meta, sel: Selection, *, size: int = 11, wrap: int = 150
) -> go.Figure:
    """A copy of the figure with the caveat, source, LA, period and mode stamped at its foot.

    The caveat is added unless the figure's own footer already carries it. Dataset text is
    HTML-escaped, so plotly shows markup in a provider or area name as text.
    Stamping a stamped figure replaces the stamp rather than adding a second.
    """
    out = go.Figure(fig)
    kept = [a for a in out.layout.annotations if a.name != STAMP_NAME]
    margin_b = out.layout.margin.b if out.layout.margin.b is not None else 80
    lines = stamp_lines(meta, sel, with_caveat=not _carries_caveat(out), wrap=wrap)
    annotation = footnote(lines, yshift=-(margin_b - 4), size=size, name=STAMP_NAME)
    line_px = int(size * 1.45)
    out.update_layout(
        annotations=[*kept, annotation],
        margin={"b": margin_b + line_px * len(lines) + 8},
        height=(out.layout.height or PNG_HEIGHT) + line_px * len(lines) + 8,
    )
    return out


def figure_png(
    fig: go.Figure,
    meta: Meta,
    sel: Selection,
    *,
    width: int = PNG_WIDTH,
    scale: int = 1,
    stamp_size: int = 11,
    stamp_wrap: int = 150,
) -> bytes:
    """PNG bytes of the stamped figure. Uses the open Kaleido session, or opens one for this."""
    stamped = stamp(fig, meta, sel, size=stamp_size, wrap=stamp_wrap)
    import kaleido

    opts = {"format": "png", "width": width, "height": stamped.layout.height, "scale": scale}
    with kaleido_session():
        return kaleido.calc_fig_sync(stamped, opts=opts)


# --- the chart catalogue for packs -----------------------------------------------------------
@dataclass(frozen=True)
class ChartSpec:
    key: str
    label: str
    build: Callable[[Dataset, Selection], SafeTable]


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("la_shares", "Where participants live", lambda d, s: tables.la_shares(d, s)),
    ChartSpec("hotspot", "Hotspots against population", lambda d, s: tables.hotspot(d, s)),
    *(
        ChartSpec(
            f"characteristic.{name}",
            f"Participants by {name.replace('_', ' ')}",
            lambda d, s, name=name: tables.characteristic(d, s, name),
        )
        for name in ("age_band", "gender", "ethnicity", "disability")
    ),
    ChartSpec("barriers", "Barriers to work", lambda d, s: tables.barriers(d, s)),
    ChartSpec("services", "Service usage", lambda d, s: tables.services(d, s)),
    ChartSpec(
        "vacancies.sector", "Vacancies by sector", lambda d, s: tables.vacancies(d, s, "sector")
    ),
    ChartSpec(
        "job_entries.sector",
        "Job entries by sector",
        lambda d, s: tables.job_entries(d, s, "sector"),
    ),
    ChartSpec("provision", "Planned referrals and capacity", lambda d, s: tables.provision(d, s)),
)
CHART_KEYS: tuple[str, ...] = tuple(spec.key for spec in CHARTS)
_CHARTS_BY_KEY = {spec.key: spec for spec in CHARTS}

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


def _checked(table: SafeTable, sel: Selection) -> SafeTable:
    """Refuse a table built for another mode, or a presenter table carrying a count column."""
    if table.mode != sel.mode:
        raise ValueError(f"table {table.key} was built for {table.mode} mode, not {sel.mode}")
    if sel.mode == "presenter":
        leaked = [c for c in table.frame.columns if c in COUNT_COLUMNS]
        if leaked:
            raise ValueError(f"presenter table {table.key} carries count columns {leaked}")
    return table


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


class _PackPDF(FPDF):
    def __init__(self, meta: Meta, sel: Selection) -> None:
        super().__init__(format="A4")
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
        font = self.fonts.get("body")
        if font is None:
            return text
        return "".join(c if c == "\n" or ord(c) in font.cmap else "?" for c in text)

    def write_text(self, text: str, size: float = 10, bold: bool = False, gap: float = 1.5):
        self.set_font(self.body_font, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.clean(text), align="L", markdown=False, new_x="LMARGIN")
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
        text = f"{provenance(self.meta)} · Page {self.page_no()} of {{nb}}"
        self.cell(0, 4, self.clean(text), align="C")
        self.set_text_color(0, 0, 0)


@dataclass(frozen=True)
class Pack:
    pdf: bytes
    file_name: str
    included: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    images: int = 0
    seconds: float = 0.0
    sha256: str = field(default="")


def _cover(pdf: _PackPDF, ds: Dataset, sel: Selection, note: str, points: Sequence[str]) -> None:
    meta = ds.meta
    pdf.add_page()
    pdf.write_text("Briefing pack", size=22, bold=True, gap=3)
    pdf.write_text(meta.provider_name, size=14, bold=True, gap=4)
    rows = [
        ("Area", area_label(meta, sel)),
        ("Period", period_label(meta, sel.period)),
        ("Extract date", long_date(meta.extract_date)),
        ("Mode", mode_label(sel)),
        ("Built", f"{date_time(datetime.now(UTC))} UTC"),
    ]
    if note:
        rows.append(("Meeting or recipient", note))
    for label, value in rows:
        pdf.write_text(f"{label}: {value}", size=11, gap=1)
    pdf.ln(4)
    email = meta.performance_manager_email
    reminder = f"{PARA_16}" + (f" ({email})." if email else ".")
    pdf.set_fill_color(232, 240, 247)
    pdf.set_font(pdf.body_font, "B", 11)
    pdf.multi_cell(0, 6, pdf.clean(reminder), fill=True, align="L", markdown=False, new_x="LMARGIN")
    pdf.set_font(pdf.body_font, "", 9)
    pdf.multi_cell(
        0,
        4.5,
        "Annex 7.6 para 16: any written information or presentation shared with local "
        "stakeholders containing a provider's service delivery information should also be "
        "copied to the DWP Performance Manager.",
        fill=True,
        align="L",
        markdown=False,
        new_x="LMARGIN",
    )
    pdf.ln(3)
    pdf.write_text(
        "This is the provider's own information. It is not accredited or sponsored by the "
        "Department for Work and Pensions in any way (Annex 7.6 para 15).",
        size=9,
        gap=4,
    )
    if points:
        pdf.write_text("Talking points", size=13, bold=True)
        for point in points:
            pdf.write_text(f"•  {point}", size=10, gap=1)


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
    if per_la:
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


def _grid_caption(table: SafeTable, sel: Selection, shown: Grid) -> str:
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


def _draw_grid(pdf: _PackPDF, shown: Grid) -> None:
    from fpdf.fonts import FontFace

    marked_fill = (221, 234, 245)
    first = 70 if len(shown.headers) > 2 else 110
    rest = (180 - first) / max(1, len(shown.headers) - 1)
    widths = (first, *([rest] * (len(shown.headers) - 1)))
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
            style = FontFace(emphasis="BOLD", fill_color=marked_fill)
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


def _image(pdf: _PackPDF, png: bytes, alt: str) -> None:
    """The image across the content width, moved to a fresh page if it would not fit."""
    width_px = int.from_bytes(png[16:20], "big")
    height_px = int.from_bytes(png[20:24], "big")
    height_mm = CONTENT_MM * height_px / max(1, width_px)
    if pdf.get_y() + height_mm > pdf.h - pdf.b_margin and pdf.get_y() > 60:
        pdf.add_page()
    pdf.image(io.BytesIO(png), w=CONTENT_MM, alt_text=pdf.clean(alt))
    pdf.ln(2)


def _chart_section(pdf: _PackPDF, table: SafeTable, png: bytes | None, sel: Selection) -> None:
    """One page per chart: the headline once (the page heading; the image has no title), the
    measure and period, the image, its text alternative and notes, then the wide table."""
    pdf.add_page()
    pdf.start_section(pdf.clean(table.title))
    pdf.write_text(table.title, size=14, bold=True, gap=1)
    pdf.write_text(table.subtitle, size=10, gap=3)
    if table.is_empty:
        pdf.write_text(table.empty_message, size=10)
        return
    if png:
        _image(pdf, png, table.alt_text or table.title)
    if table.alt_text:
        pdf.write_text(f"Text alternative: {table.alt_text}", size=9)
    for note in table.notes:
        pdf.write_text(note, size=9, gap=1)
    shown = grid(table, sel)
    pdf.ln(1)
    pdf.write_text(_grid_caption(table, sel, shown), size=9, gap=1)
    _draw_grid(pdf, shown)
    used = [s for s in table.symbols if s in SYMBOLS]
    if used:
        pdf.ln(1)
        pdf.write_text("; ".join(f"{s} {SYMBOLS[s]}" for s in used), size=9)


MAP_HEADING = "Map: where participants are more or fewer than the population suggests"


def _map_section(pdf: _PackPDF, table: SafeTable, png: bytes) -> None:
    pdf.add_page()
    pdf.start_section(MAP_HEADING)
    pdf.write_text(MAP_HEADING, size=14, bold=True, gap=1)
    pdf.write_text(table.subtitle, size=10, gap=3)
    alt = "Map of the Local Authorities, each shaded by its hotspot index and labelled with it. "
    _image(pdf, png, alt + (table.alt_text or ""))
    pdf.write_text(
        "Each Local Authority is labelled with its index; the legend names each shade. The same "
        "figures are in the hotspot table.",
        size=9,
    )


def _insights_section(pdf: _PackPDF, insights: Sequence[store.StakeholderInsight]) -> None:
    pdf.add_page()
    pdf.write_text("What partners told us", size=14, bold=True, gap=1)
    pdf.write_text(
        "Stakeholders' own insights, recorded by the provider in or after meetings "
        "(Annex 7.6 para 10). They are the stakeholders' views, shown as given.",
        size=9,
        gap=3,
    )
    for item in insights:
        where = "Whole area" if item.la == WHOLE_AREA else la_name(item.la)
        pdf.write_text(
            f"{item.organisation} · {where} · {item.theme} · {long_date(item.shared_on)}", 10, True
        )
        pdf.write_text(item.text, size=10, gap=3)


def build_pack(
    ds: Dataset,
    sel: Selection,
    chart_keys: Sequence[str] = CHART_KEYS,
    *,
    insights: Sequence[store.StakeholderInsight] = (),
    note: str = "",
    images: bool = True,
) -> Pack:
    """The briefing pack PDF for the selection, from safe tables built for `sel.mode` only."""
    started = time.perf_counter()
    unknown = [k for k in chart_keys if k not in _CHARTS_BY_KEY]
    if unknown:
        raise ValueError(f"unknown charts: {', '.join(unknown)}")
    warnings: list[str] = []
    built = [_checked(_CHARTS_BY_KEY[k].build(ds, sel), sel) for k in chart_keys]
    try:
        points = list(tables.talking_points(ds, sel))
    except NotImplementedError:
        points = []
    pngs = _render_all(built, ds.meta, sel, warnings) if images else {}  # by position
    hotspot = next((t for t in built if t.key == "hotspot" and not t.is_empty), None)
    map_png = _render_map(ds, hotspot, sel, warnings) if images and hotspot else None
    pdf = _PackPDF(ds.meta, sel)
    _cover(pdf, ds, sel, note, points)
    for position, table in enumerate(built):
        _chart_section(pdf, table, pngs.get(position), sel)
        if table is hotspot and map_png:
            _map_section(pdf, table, map_png)
    if insights:
        _insights_section(pdf, insights)
    data = bytes(pdf.output())
    included = [*chart_keys, *(["hotspot_map"] if map_png else [])]
    included += ["talking_points"] if points else []
    if insights:
        included.append(f"stakeholder_insights:{len(insights)}")
    return Pack(
        pdf=data,
        file_name=export_name(ds.meta, sel, "briefing-pack", "pdf"),
        included=tuple(included),
        warnings=tuple(warnings),
        images=len(pngs) + (1 if map_png else 0),
        seconds=time.perf_counter() - started,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _render_all(
    built: Sequence[SafeTable], meta: Meta, sel: Selection, warnings: list[str]
) -> dict[int, bytes]:
    """PNG per non-empty table (by position), all through one Kaleido browser. Problems
    become warnings."""
    if all(t.is_empty for t in built):
        return {}
    if chromium_path() is None:
        warnings.append(NO_CHROMIUM + " The pack has tables and text alternatives instead.")
        return {}
    out: dict[int, bytes] = {}
    with kaleido_session():
        for position, table in enumerate(built):
            if table.is_empty:
                continue
            try:
                out[position] = print_png(chart(table, meta, sel, medium="print"), meta, sel)
            except Exception as exc:  # one bad chart must not sink the pack
                warnings.append(f"The chart '{table.title}' could not be drawn: {exc}")
    return out


def print_png(fig: go.Figure, meta: Meta, sel: Selection) -> bytes:
    """A pack image: PRINT_WIDTH px wide (180 mm at 96 px to the inch) at PRINT_SCALE, its
    stamp at PRINT_MIN_PX (9 pt printed)."""
    return figure_png(
        fig,
        meta,
        sel,
        width=PRINT_WIDTH,
        scale=PRINT_SCALE,
        stamp_size=PRINT_MIN_PX,
        stamp_wrap=100,
    )


def _render_map(ds: Dataset, table: SafeTable, sel: Selection, warnings: list[str]) -> bytes | None:
    """The hotspot map as a static image (filled shapes, no tiles), or None with a warning."""
    from insight.outputs.figures import print_map
    from insight.outputs.mapdata import map_data

    if chromium_path() is None:
        return None  # _render_all has said so
    try:
        data = map_data(table, tuple(ds.la_codes), None if sel.is_whole_area else sel.la)
        with kaleido_session():
            return print_png(print_map(data, ds.meta), ds.meta, sel)
    except Exception as exc:  # the map must not sink the pack
        warnings.append(f"The hotspot map could not be drawn: {exc}")
        return None


# --- the sharing log -------------------------------------------------------------------------
def record(
    ds: Dataset,
    sel: Selection,
    *,
    kind: store.ExportKind,
    included: Sequence[str],
    data: bytes,
    file_name: str,
    note: str = "",
    by: Principal | None = None,
) -> store.LogEntry:
    """Log one export of `data` (its SHA-256, not the bytes), made by `by` (the local user when
    None)."""
    return store.add_log(
        kind=kind,
        provider=ds.meta.provider_name,
        source=ds.source,
        fingerprint=ds.fingerprint,
        la=sel.la,
        la_name=ds.meta.area_name if sel.is_whole_area else la_name(sel.la),
        period=sel.period,
        period_label=period_label(ds.meta, sel.period),
        mode=sel.mode,
        included=list(included),
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        note=note,
        by=by,
    )


def export_pack(
    ds: Dataset,
    sel: Selection,
    chart_keys: Sequence[str] = CHART_KEYS,
    *,
    insights: Sequence[store.StakeholderInsight] = (),
    note: str = "",
    write_to: Path | None = None,
    by: Principal | None = None,
) -> tuple[Pack, store.LogEntry]:
    """Build the pack, write it (atomically) where asked, and record it in the sharing log."""
    store.check_text("note", note)  # the note is printed in the pack: screen it before writing
    pack = build_pack(ds, sel, chart_keys, insights=insights, note=note)
    if write_to is not None:
        _write_atomic(write_to, pack.pdf)
    file_name = write_to.name if write_to is not None else pack.file_name
    entry = record(
        ds,
        sel,
        kind="pack",
        included=pack.included,
        data=pack.pdf,
        file_name=file_name,
        note=note,
        by=by,
    )
    return pack, entry


def mailto_link(email: str | None, entry: store.LogEntry) -> str:
    """A mailto: URL to the Performance Manager, subject and summary prefilled, all encoded.
    The app sends nothing itself."""
    what = store.EXPORT_KINDS.get(entry.kind, entry.kind)
    subject = f"Restart Insight: {what} shared, {entry.la_name}, {entry.period_label}"
    body = "\n".join(
        [
            "Copied to you under Annex 7.6 para 16.",
            "",
            f"What: {what} ({entry.file_name})",
            f"When (UTC): {date_time(entry.created_utc)}",
            f"Provider: {entry.provider}",
            f"Area: {entry.la_name}",
            f"Period: {entry.period_label}",
            f"Mode: {entry.mode}",
            f"Included: {', '.join(entry.included)}",
            f"Meeting or recipient: {entry.note or 'not noted'}",
            f"SHA-256: {entry.sha256}",
            "",
            CAVEAT,
        ]
    )
    address = quote(email or "", safe="@")
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


# --- command line ----------------------------------------------------------------------------
def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".pack-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
