"""A safe table read for drawing, without any drawing library: whether it has one row per LA,
and the lines every chart or map of it carries under it (caveat, notes, symbol legend, source).
insight.outputs.figures (plotly), insight.outputs.mapdata (every map engine) and the deck's native
charts (insight.outputs.deck) read these, so a chart and a map of one table say the same.

This module never imports streamlit or plotly.
"""

from __future__ import annotations

import pandas as pd

from insight.core.caveat import caveat_lines
from insight.core.dataset import Meta
from insight.core.geo import SHORT_ATTRIBUTION
from insight.core.selection import WHOLE_AREA
from insight.numbers.tables import SYMBOLS, SafeTable


def is_per_la(table: SafeTable) -> bool:
    """A table with one row per LA: LA shares and hotspots (the LA is the category), and one
    barrier or service element by LA (one category, one row for each LA, no whole-area row)."""
    frame = table.frame
    if not len(frame):
        return False
    if bool((frame["area_code"].astype(str) == frame["category_key"].astype(str)).all()):
        return True
    codes = frame["area_code"].astype(str)
    return len(frame) > 1 and codes.is_unique and WHOLE_AREA not in set(codes)


def footer_lines(table: SafeTable, meta: Meta) -> list[str]:
    """What goes under every chart: caveat, provenance, synthetic marker, notes, symbol legend,
    and the source. Each line is safe text (notes and symbols come from the safe table)."""
    lines = list(caveat_lines(meta))
    # A figure draws percentages and indices only (a count is in the hover at most, never in an
    # image), so a note about counts belongs with the table, not under the chart.
    lines.extend(note for note in table.notes if not _about_counts(note))
    legend = symbol_legend(table)
    if legend:
        lines.append(legend)
    source = f"Source: {meta.provider_name} management information."
    if table.unit == "index" or is_per_la(table):
        source += f" {SHORT_ATTRIBUTION}"
    lines.append(source)
    return lines


def _about_counts(note: str) -> bool:
    return note.lower().startswith("counts ")


def symbol_legend(table: SafeTable) -> str:
    """'[c] = confidential: too few people to show safely' for each symbol the table uses."""
    used = list(table.symbols)
    if "label" in table.frame.columns:
        for symbol in SYMBOLS:
            if symbol not in used and (table.frame["label"] == symbol).any():
                used.append(symbol)
    return "; ".join(f"{s} = {SYMBOLS[s]}" for s in used if s in SYMBOLS)


def per_la_order(frame: pd.DataFrame) -> pd.DataFrame:
    """A per-LA table's rows as its chart and its table view show them: largest first, then by
    name; an LA without a figure (a label in brackets: `[c]`, `[x]`) last whatever it hides, so
    the order reveals nothing about it."""
    shown = pd.to_numeric(frame["value"], errors="coerce")
    shown = shown.where(~frame["label"].astype(str).str.startswith("["))
    ordered = frame.assign(_shown=shown).sort_values(
        ["_shown", "area"], ascending=[False, True], na_position="last", kind="stable"
    )
    return ordered.drop(columns="_shown")
