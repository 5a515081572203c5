"""What leaves the machine is recorded: every export goes in the sharing log with its SHA-256
(not its bytes), a pack is written atomically where asked, and a mailto: link copies it to the
DWP Performance Manager (Annex 7.6 para 16). The app sends nothing itself."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from insight.core.caveat import CAVEAT
from insight.core.dataset import Dataset
from insight.core.dates import date_time
from insight.core.geo import la_name
from insight.core.periods import period_label
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import catalogue
from insight.numbers.audit import audit
from insight.numbers.safe_table import SafeTable
from insight.outputs import meetings
from insight.outputs.deck import Handout, build_deck
from insight.outputs.pack import Pack, build_pack
from insight.outputs.slides_pdf import build_slides_pdf
from insight.outputs.summary import build_summary
from insight.sharing import store
from insight.sharing.access import Principal


@dataclass(frozen=True)
class Export:
    """One export as it leaves the machine: what kind, which charts or tables it carries, its
    bytes (only their SHA-256 is logged), its file name, the note printed in it and who made it
    (the local user when None). One object, so the service, the page view and the pack pass it
    on whole rather than each repeating (and able to drop) its fields."""

    kind: store.ExportKind
    included: Sequence[str]
    data: bytes
    file_name: str
    note: str = ""
    by: Principal | None = None


def record(
    ds: Dataset,
    sel: Selection,
    export: Export,
    *,
    tables: Sequence[SafeTable] | None = None,
) -> store.LogEntry:
    """Log one export (its SHA-256, not the bytes) with its disclosure statement: the attack run
    on `tables`, the safe tables it shows (made again from its included chart keys when not
    given)."""
    entry = store.add_log(
        kind=export.kind,
        provider=ds.meta.provider_name,
        source=ds.source,
        fingerprint=ds.fingerprint,
        la=sel.la,
        la_name=ds.meta.area_name if sel.is_whole_area else la_name(sel.la),
        period=sel.period,
        period_label=period_label(ds.meta, sel.period),
        mode=sel.mode,
        included=list(export.included),
        file_name=export.file_name,
        sha256=hashlib.sha256(export.data).hexdigest(),
        note=export.note,
        by=export.by,
    )
    th = ds.meta.thresholds
    shown = list(tables) if tables is not None else exported_tables(ds, sel, export.included)
    store.add_statement(entry.id, audit(shown, th).statement(th))
    return entry


def exported_tables(ds: Dataset, sel: Selection, included: Sequence[str]) -> list[SafeTable]:
    """The safe tables an export of `included` carries, made again for its selection (the same
    builders, so the same figures); keys that name no table (a map image, talking points, the
    room's insights) are left out."""
    out: list[SafeTable] = []
    for key in included:
        if not catalogue.is_known(key):
            continue
        made = catalogue.entry(key).build
        built = made(ds, sel) if made is not None else None
        if isinstance(built, SafeTable):
            out.append(built)
    return out


def export_pack(
    ds: Dataset,
    sel: Selection,
    chart_keys: Sequence[str] | None = None,
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
        Export(
            kind="pack",
            included=pack.included,
            data=pack.pdf,
            file_name=file_name,
            note=note,
            by=by,
        ),
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


HANDOUT_FORMATS = ("pptx", "slides", "summary")


@dataclass(frozen=True)
class HandoutOptions:
    """What a handout is made of, apart from its format: the running order (a deck's or slide
    PDF's), the LA and period (a summary's), the deck's title, the log's note, the mode (a deck
    may be "standard": rounded counts where the annex allows) and who made it (None: the local
    user). One value, so the page view and the command line pass it on whole."""

    items: tuple[meetings.Item, ...] = ()
    la: str = WHOLE_AREA
    period: str = "whole"
    title: str = ""
    note: str = ""
    mode: str = "presenter"
    by: Principal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))


def export_handout(
    ds: Dataset,
    fmt: str,
    options: HandoutOptions = HandoutOptions(),
    *,
    write_to: Path | None = None,
) -> tuple[Handout, store.LogEntry]:
    """Build a meeting's deck (fmt "pptx") or its slides as a PDF ("slides") from a running
    order, or an LA's two-page summary ("summary"); write it (atomically) where asked; and
    record it in the sharing log: one entry, with what it holds in words and its SHA-256.
    Count-free (presenter mode) unless mode="standard" is asked for a deck: then its rounded
    counts, only where the annex allows them, and the log says standard."""
    items, la, period, title = options.items, options.la, options.period, options.title
    note, mode, by = options.note, options.mode, options.by
    store.check_text("note", note)
    if mode != "presenter" and fmt != "pptx":
        raise ValueError("slide PDFs and LA summaries are count-free (presenter mode) only")
    if fmt == "pptx":
        handout = build_deck(ds, items, title=title, mode=mode)
    elif fmt == "slides":
        handout = build_slides_pdf(ds, items, title=title)
    elif fmt == "summary":
        handout = build_summary(ds, la, period)
    else:
        raise ValueError(f"the format must be one of {', '.join(HANDOUT_FORMATS)}")
    if fmt != "summary":
        la = items[0].la if items and len({i.la for i in items}) == 1 else WHOLE_AREA
        periods = {i.period for i in items}
        period = next(iter(periods)) if len(periods) == 1 else "whole"
    if write_to is not None:
        _write_atomic(write_to, handout.data)
    file_name = write_to.name if write_to is not None else handout.file_name
    entry = record(
        ds,
        Selection(la=la if la in ds.la_codes else WHOLE_AREA, period=period, mode=mode),  # type: ignore[arg-type]
        Export(
            kind=handout.kind,  # type: ignore[arg-type]
            included=handout.included,
            data=handout.data,
            file_name=file_name,
            note=note,
            by=by,
        ),
        tables=handout.tables,
    )
    return handout, entry


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
