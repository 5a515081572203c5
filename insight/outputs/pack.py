"""The briefing pack PDF: a cover with the Annex 7.6 reminders and talking points, then a page
per chart (image, text alternative, notes and the wide table), the hotspot map and stakeholders'
insights.

Built from safe tables only (insight.numbers.tables, for the selection's mode): a presenter-mode
pack holds no count, because a presenter-mode SafeTable cannot hold a count column."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from insight.core.dataset import Dataset, Meta
from insight.core.dates import date_time, long_date
from insight.core.geo import la_name
from insight.core.periods import period_label
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import registry, tables
from insight.numbers.audit import audit
from insight.numbers.safe_table import COUNT_COLUMNS
from insight.numbers.tables import SYMBOLS, SafeTable
from insight.outputs import png as chart_images  # module: tests set its chromium_path
from insight.outputs.figures import chart
from insight.outputs.names import area_label, export_name, mode_label
from insight.outputs.pack_pdf import (
    PackPDF,
    draw_grid,
    grid,
    grid_caption,
    grid_height,
    place_image,
    text_height,
)
from insight.outputs.png import NO_CHROMIUM, kaleido_session, print_png
from insight.sharing import store

PARA_16 = "Copy this document to your DWP Performance Manager"


# --- the chart catalogue for packs: the registry's insights with a place in the pack ---------
@dataclass(frozen=True)
class ChartSpec:
    key: str
    label: str
    build: Callable[[Dataset, Selection], SafeTable]


def charts() -> tuple[ChartSpec, ...]:
    """The pack's charts, in order, as the registry declares them (insight.numbers.registry)."""
    return tuple(ChartSpec(key, label, build) for key, label, build in registry.current().pack())


CHARTS: tuple[ChartSpec, ...] = charts()
CHART_KEYS: tuple[str, ...] = tuple(spec.key for spec in CHARTS)
CHARTS_BY_KEY = {spec.key: spec for spec in CHARTS}


def _checked(table: SafeTable, sel: Selection) -> SafeTable:
    """Refuse a table built for another mode, or a presenter table carrying a count column."""
    if table.mode != sel.mode:
        raise ValueError(f"table {table.key} was built for {table.mode} mode, not {sel.mode}")
    if sel.mode == "presenter":
        leaked = [c for c in table.frame.columns if c in COUNT_COLUMNS]
        if leaked:
            raise ValueError(f"presenter table {table.key} carries count columns {leaked}")
    return table


@dataclass(frozen=True)
class Pack:
    pdf: bytes
    file_name: str
    included: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    images: int = 0
    seconds: float = 0.0
    sha256: str = field(default="")


def _cover(
    pdf: PackPDF,
    ds: Dataset,
    sel: Selection,
    note: str,
    points: Sequence[str],
    protection: str = "",
) -> None:
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
    if protection:  # what protected the pack (insight.numbers.audit), in one line
        pdf.write_text(protection, size=9, gap=4)
    if points:
        pdf.write_text("Talking points", size=13, bold=True)
        for point in points:
            pdf.write_bullet(point, size=10, gap=1)


def _chart_section(pdf: PackPDF, table: SafeTable, png: bytes | None, sel: Selection) -> None:
    """One page per chart: the headline once (the page heading; the image has no title), the
    measure and period, the image (its text alternative its alt text), its notes, then the wide
    table."""
    pdf.add_page()
    pdf.start_section(pdf.clean(table.title))
    pdf.write_text(table.title, size=14, bold=True, gap=1)
    pdf.write_text(table.subtitle, size=10, gap=3)
    if table.is_empty:
        pdf.write_text(table.empty_message, size=10)
        return
    shown = grid(table, sel)
    caption = grid_caption(table, sel, shown)
    # The text alternative is the image's alt text; printed only in place of a missing image (on
    # paper it repeated the table below it, and squeezed the chart to a size nobody could read).
    alt = f"Text alternative: {table.alt_text}" if table.alt_text and not png else ""
    texts = [alt, *table.notes]
    # What goes under the chart, measured first: the chart shrinks (to MIN_IMAGE_MM at least)
    # so that its text and its whole table stay on its page.
    after = sum(text_height(pdf, t, 9) + 1.5 for t in [*texts, caption] if t)
    table_mm = grid_height(pdf, shown)
    if png:
        place_image(pdf, png, table.alt_text or table.title, reserve=after + table_mm + 8)
    for text in texts:
        if text:
            pdf.write_text(text, size=9, gap=1)
    pdf.ln(1)
    if pdf.get_y() + table_mm + 6 > pdf.h - pdf.b_margin and table_mm < 200:
        pdf.add_page()  # the whole table on the next page, never a few rows left over
    pdf.write_text(caption, size=9, gap=1)
    draw_grid(pdf, shown)
    used = [s for s in table.symbols if s in SYMBOLS]
    if used:
        pdf.ln(1)
        pdf.write_text("; ".join(f"{s} {SYMBOLS[s]}" for s in used), size=9)


MAP_HEADING = "Map: where participants are more or fewer than the population suggests"


def _map_section(pdf: PackPDF, table: SafeTable, png: bytes) -> None:
    pdf.add_page()
    pdf.start_section(MAP_HEADING)
    pdf.write_text(MAP_HEADING, size=14, bold=True, gap=1)
    pdf.write_text(table.subtitle, size=10, gap=3)
    alt = "Map of the Local Authorities, each shaded by its hotspot index and labelled with it. "
    place_image(pdf, png, alt + (table.alt_text or ""))
    pdf.write_text(
        "Each Local Authority is labelled with its index; the legend names each shade. The same "
        "figures are in the hotspot table.",
        size=9,
    )


def _insights_section(pdf: PackPDF, insights: Sequence[store.StakeholderInsight]) -> None:
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
    chart_keys: Sequence[str] | None = None,
    *,
    insights: Sequence[store.StakeholderInsight] = (),
    note: str = "",
    images: bool = True,
) -> Pack:
    """The briefing pack PDF for the selection, from safe tables built for `sel.mode` only; the
    registry's pack charts when `chart_keys` is None."""
    started = time.perf_counter()
    by_key = {spec.key: spec for spec in charts()}
    chart_keys = list(by_key) if chart_keys is None else list(chart_keys)
    unknown = [k for k in chart_keys if k not in by_key]
    if unknown:
        raise ValueError(f"unknown charts: {', '.join(unknown)}")
    warnings: list[str] = []
    built = [_checked(by_key[k].build(ds, sel), sel) for k in chart_keys]
    try:
        points = list(tables.talking_points(ds, sel))
    except NotImplementedError:
        points = []
    hotspot = next((t for t in built if t.key == "hotspot" and not t.is_empty), None)
    pngs: dict[int, bytes] = {}  # by position
    map_png = None
    if images and not all(t.is_empty for t in built):
        if chart_images.chromium_path() is None:
            warnings.append(NO_CHROMIUM + " The pack has tables and text alternatives instead.")
        else:
            # One Kaleido browser for the charts and the map: starting one is most of an image's
            # cost (about 4.5 s of a pack's 15 s, when the map had a browser of its own).
            with kaleido_session():
                pngs = _render_all(built, ds.meta, sel, warnings)
                map_png = _render_map(ds, hotspot, sel, warnings) if hotspot else None
    pdf = PackPDF(ds.meta, sel)
    checked = audit([t for t in built if isinstance(t, SafeTable)], ds.meta.thresholds)
    _cover(pdf, ds, sel, note, points, checked.one_line(numbers=sel.mode == "standard"))
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
    """PNG per non-empty table (by position), inside build_pack's Kaleido session. Problems
    become warnings."""
    out: dict[int, bytes] = {}
    for position, table in enumerate(built):
        if table.is_empty:
            continue
        try:
            out[position] = print_png(chart(table, meta, sel, medium="print"), meta, sel)
        except Exception as exc:  # one bad chart must not sink the pack
            warnings.append(f"The chart '{table.title}' could not be drawn: {exc}")
    return out


def _render_map(ds: Dataset, table: SafeTable, sel: Selection, warnings: list[str]) -> bytes | None:
    """The hotspot map as a static image (filled shapes, no tiles), inside build_pack's Kaleido
    session, or None with a warning."""
    from insight.outputs.map_figure import print_map
    from insight.outputs.mapdata import map_data

    try:
        data = map_data(table, tuple(ds.la_codes), None if sel.is_whole_area else sel.la)
        return print_png(print_map(data, ds.meta), ds.meta, sel)
    except Exception as exc:  # the map must not sink the pack
        warnings.append(f"The hotspot map could not be drawn: {exc}")
        return None
