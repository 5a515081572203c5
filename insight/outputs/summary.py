"""A two-page A4 summary for one Local Authority, to send after a meeting: the LA's name, the
provider, the period and the caveat; where the LA differs most from the whole area (ranked, in
words and a small chart); the hotspot map; the official context beside the region and similar
LAs with the source's reliability flags; what works and what the provider plans; and what
partners told us. Tagged PDF (headings, paragraphs, figures with alt text).

Count-free: every figure comes from presenter-mode safe tables, and the differences are worked
out from the percentages the tables show (their labels), never from a hidden figure: a share
shown as `[c]` is left out of the ranking altogether.

Pure: no streamlit import.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from insight.core.caveat import CAVEAT, OFFICIAL_NOTE
from insight.core.dataset import Dataset
from insight.core.dates import date_time, long_date
from insight.core.geo import la_name
from insight.core.periods import period_label
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import place, tables
from insight.numbers.tables import SafeTable
from insight.outputs import png as chart_images  # module: tests set its chromium_path
from insight.outputs.deck import Handout, handout_name, shown_value
from insight.outputs.meetings import balanced_cards
from insight.outputs.pack import PARA_16
from insight.outputs.pack_pdf import TaggedPDF
from insight.outputs.png import NO_CHROMIUM, kaleido_session, print_png
from insight.sharing import store

TOP = 5  # differences ranked
MAX_ITEMS = 3  # insights, plans and partners' words on page 2
MAX_CHARS = 280  # characters of one of those before it is cut
HIGHLIGHT_RGB, GREY_RGB = (18, 67, 109), (190, 190, 190)


@dataclass(frozen=True)
class Difference:
    measure: str  # "Barriers"
    category: str  # "Transport or accessibility"
    local: float
    area: float
    local_label: str
    area_label: str

    @property
    def gap(self) -> float:
        return self.local - self.area

    def words(self, la: str) -> str:
        more = "more" if self.gap > 0 else "fewer"
        return (
            f"{self.category} ({self.measure.lower()}): {self.local_label} in {la} against "
            f"{self.area_label} across the area, {abs(self.gap):g} percentage points {more}."
        )


def _breakdowns(ds: Dataset, sel: Selection) -> list[tuple[str, SafeTable]]:
    from insight.core.contract import CHARACTERISTIC_LABELS

    out: list[tuple[str, SafeTable]] = []
    for name in ("age_band", "gender", "ethnicity", "disability"):
        label = CHARACTERISTIC_LABELS.get(name, name.replace("_", " ")).capitalize()
        out.append((label, tables.characteristic(ds, sel, name)))
    out.append(("Barriers", tables.barriers(ds, sel)))
    out.append(("Service usage", tables.services(ds, sel)))
    return out


def differences(ds: Dataset, sel: Selection) -> list[Difference]:
    """Where the LA's shown share differs most from the whole area's, largest gap first (ties by
    name), from the labels both tables show; a `[c]` on either side leaves the pair out."""
    found: list[Difference] = []
    for measure, table in _breakdowns(ds, sel):
        if table.is_empty or table.unit != "%":
            continue
        frame = table.frame
        codes = frame["area_code"].astype(str)
        local = {str(r.category): str(r.label) for r in frame[codes == sel.la].itertuples()}
        whole = {str(r.category): str(r.label) for r in frame[codes == WHOLE_AREA].itertuples()}
        for category, label in local.items():
            mine, theirs = shown_value(label), shown_value(whole.get(category, "[x]"))
            if mine is None or theirs is None or "%" not in label or mine == theirs:
                continue
            found.append(Difference(measure, category, mine, theirs, label, whole[category]))
    found.sort(key=lambda d: (-abs(d.gap), d.measure, d.category))
    return found[:TOP]


class SummaryPDF(TaggedPDF):
    pass


def _difference_chart(pdf: SummaryPDF, found: Sequence[Difference], la: str, alt: str) -> None:
    """A small paired-bar chart drawn on the page (one Figure, its alt text the ranked words):
    the LA's share dark, the area's grey, each labelled."""
    left, label_w, bar_w = pdf.l_margin, 72, 90
    row_h, top = 11, pdf.get_y() + 6
    height = 8 + row_h * len(found)
    if top + height > pdf.h - pdf.b_margin:
        pdf.add_page()
        top = pdf.get_y() + 6
    scale = bar_w / max(max(d.local, d.area) for d in found)
    with pdf.tag("Figure", alt=alt):
        pdf.set_font(pdf.body_font, "", 8)
        pdf.set_fill_color(*HIGHLIGHT_RGB)
        pdf.rect(left + label_w, top - 5, 3, 3, style="F")
        pdf.set_xy(left + label_w + 4, top - 5.6)
        pdf.cell(40, 4, pdf.clean(la))
        pdf.set_fill_color(*GREY_RGB)
        pdf.rect(left + label_w + 50, top - 5, 3, 3, style="F")
        pdf.set_xy(left + label_w + 54, top - 5.6)
        pdf.cell(40, 4, "Whole area")
        for i, diff in enumerate(found):
            y = top + i * row_h
            pdf.set_xy(left, y)
            pdf.multi_cell(label_w - 2, 3.6, pdf.clean(f"{diff.category} ({diff.measure.lower()})"))
            for j, (value, text, colour) in enumerate(
                (
                    (diff.local, diff.local_label, HIGHLIGHT_RGB),
                    (diff.area, diff.area_label, GREY_RGB),
                )
            ):
                pdf.set_fill_color(*colour)
                width = max(0.4, value * scale)
                pdf.rect(left + label_w, y + j * 4.4, width, 3.8, style="F")
                pdf.set_xy(left + label_w + width + 1, y + j * 4.4 - 0.2)
                pdf.cell(20, 4, pdf.clean(text))
    pdf.set_y(top + height - 2)


def _hotspot_png(ds: Dataset, sel: Selection, warnings: list[str]) -> tuple[bytes | None, str]:
    from insight.outputs.map_figure import print_map
    from insight.outputs.mapdata import map_data

    table = tables.hotspot(ds, sel)
    if table.is_empty:
        return None, table.empty_message
    if chart_images.chromium_path() is None:
        warnings.append(NO_CHROMIUM + " The summary describes the hotspots in words instead.")
        return None, table.alt_text
    try:
        with kaleido_session():
            data = map_data(table, tuple(ds.la_codes), sel.la)
            return print_png(print_map(data, ds.meta), ds.meta, sel), table.alt_text
    except Exception as exc:  # the map must not sink the summary
        warnings.append(f"The hotspot map could not be drawn: {exc}")
        return None, table.alt_text


def _short(text: object) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def build_summary(
    ds: Dataset,
    la: str,
    period: str = "whole",
    *,
    partners: Sequence[store.StakeholderInsight] | None = None,
    images: bool = True,
) -> Handout:
    """The two-page summary for one LA, in presenter mode (no count)."""
    if la == WHOLE_AREA or la not in ds.la_codes:
        raise ValueError("a summary is for one Local Authority of this dataset: choose its code")
    started = time.perf_counter()
    sel = Selection(la=la, period=period, mode="presenter")
    name = la_name(la)
    meta = ds.meta
    warnings: list[str] = []
    included: list[str] = []
    pdf = SummaryPDF(meta, sel, f"{name}: summary for partners, {meta.provider_name}")
    pdf.add_page()
    pdf.start_section(pdf.clean(name))
    pdf.write_text(f"{name}: summary for partners", size=18, bold=True, gap=1, kind="H1")
    pdf.write_text(
        f"{meta.provider_name} · {period_label(meta, period)} · extracted "
        f"{long_date(meta.extract_date)} · percentages only, no counts · built "
        f"{date_time(datetime.now(UTC))} UTC",
        size=9,
        gap=2,
    )
    email = meta.performance_manager_email
    pdf.write_text(
        f"{CAVEAT} {PARA_16}" + (f" ({email})." if email else "."), size=9, bold=True, gap=3
    )
    # --- where the LA differs most
    found = differences(ds, sel)
    pdf.write_text(f"Where {name} differs most from the whole area", size=13, bold=True, kind="H2")
    if found:
        ranked = [f"{i}. {d.words(name)}" for i, d in enumerate(found, start=1)]
        for line in ranked:
            pdf.write_text(line, size=9, gap=0.8)
        pdf.write_text(
            "From the shares shown for participants' characteristics, barriers and service use; "
            "a share too small to show ([c]) is left out.",
            size=8,
            gap=1,
        )
        _difference_chart(pdf, found, name, " ".join(ranked))
        included.append(f"the {len(found)} largest differences from the whole area")
    else:
        pdf.write_text(
            f"No shown share for {name} differs from the whole area's, or too few are shown to "
            "compare.",
            size=9,
        )
    # --- the hotspot map
    png, words = _hotspot_png(ds, sel, warnings) if images else (None, "")
    pdf.ln(2)
    pdf.write_text("Hotspots against population", size=13, bold=True, kind="H2")
    if png is not None:
        width_px = int.from_bytes(png[16:20], "big")
        height_px = int.from_bytes(png[20:24], "big")
        room = pdf.h - pdf.b_margin - pdf.get_y() - 2
        height = min(room, 150 * height_px / max(1, width_px))
        width = height * width_px / max(1, height_px)
        import io

        pdf.image(
            io.BytesIO(png),
            x=(pdf.w - width) / 2,
            w=width,
            h=height,
            alt_text=pdf.clean(
                "Map of the Local Authorities, each shaded by its hotspot index and labelled "
                "with it. " + words
            ),
        )
        included.append("the hotspot map")
    elif words:
        pdf.write_text(words, size=9)
    # --- page 2: official context
    pdf.add_page()
    pdf.write_text(f"{name} beside its region and similar LAs", size=13, bold=True, kind="H2")
    pdf.write_text(OFFICIAL_NOTE, size=8, gap=1)
    context = place.comparison(la)
    for row in context.to_dict("records"):
        text = (
            f"{row['Indicator']} ({row['Period']}): {name} {row['Value']}; region "
            f"{row['Region']}; five most similar LAs {row['Similar LAs (median of 5)']}. "
            f"{row['Status']}."
        )
        pdf.write_text(text, size=8.5, gap=0.6)
    legend = place.symbols_used(context)
    sources = sorted({str(s) for s in context["Source"]})
    pdf.write_text(
        ("; ".join(filter(None, [legend])) + " " if legend else "")
        + "Sources: "
        + "; ".join(sources),
        size=7.5,
        gap=2,
    )
    included.append("official context beside the region and similar LAs")
    # --- what works, what the provider plans, what partners told us
    # Both kinds, balanced as on the slides: the first three recorded were sometimes all "What
    # could be improved", under a heading that said "What works".
    works, missing = balanced_cards(tables.insights(ds, sel, ("what_works", "improvement")), name)
    works = works.head(MAX_ITEMS)
    pdf.write_text("What works, and what could be improved", size=13, bold=True, kind="H2")
    if len(works):
        for row in works.to_dict("records"):
            pdf.write_text(f"{row['category']}: {row['title']}", size=9, bold=True, gap=0.3)
            pdf.write_text(_short(row["text"]), size=8.5, gap=1.2)
        if missing:
            pdf.write_text(missing, size=8.5, gap=1.2)
        included.append(f"{len(works)} insights on what works and what could be improved")
    else:
        pdf.write_text("No insight on what works is recorded for this LA.", size=9)
    plans = tables.plans(ds, sel).head(MAX_ITEMS)
    pdf.write_text("What the provider plans", size=13, bold=True, kind="H2")
    if len(plans):
        for row in plans.to_dict("records"):
            pdf.write_text(
                f"{row['title']} ({row['status']}, {row['start']} to {row['end']})",
                size=9,
                bold=True,
                gap=0.3,
            )
            pdf.write_text(_short(row["description"]), size=8.5, gap=1.2)
        included.append(f"{len(plans)} commissioning plans")
    else:
        pdf.write_text("No commissioning plan touching this LA is recorded.", size=9)
    told = list(partners if partners is not None else store.list_insights(la=la))[:MAX_ITEMS]
    pdf.write_text("What partners told us", size=13, bold=True, kind="H2")
    if told:
        pdf.write_text(
            "Stakeholders' own insights (Annex 7.6 para 10), shown as given.", size=8, gap=1
        )
        for item in told:
            pdf.write_text(
                f"{item.organisation} · {item.theme} · {long_date(item.shared_on)}",
                size=9,
                bold=True,
                gap=0.3,
            )
            pdf.write_text(_short(item.text), size=8.5, gap=1.2)
        included.append(f"{len(told)} stakeholder insights")
    else:
        pdf.write_text("No stakeholder insight is recorded for this LA yet.", size=9)
    data = bytes(pdf.output())
    return Handout(
        data=data,
        file_name=handout_name(meta, la, "summary", "pdf"),
        kind="summary",
        included=tuple(included),
        tables=(*(table for _, table in _breakdowns(ds, sel)), tables.hotspot(ds, sel)),
        warnings=tuple(warnings),
        images=1 if png is not None else 0,
        seconds=time.perf_counter() - started,
        sha256=hashlib.sha256(data).hexdigest(),
    )


__all__ = ["Difference", "build_summary", "differences"]
