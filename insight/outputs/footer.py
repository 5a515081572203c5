"""What goes under every chart and map of a safe table: the caveat, provenance, notes, the
symbol legend and the source.

Its own module so the charts (insight.outputs.figures) and the maps (insight.outputs.mapdata)
both import it, and neither imports the other for it.

This module never imports streamlit.
"""

from __future__ import annotations

from insight.core.caveat import caveat_lines
from insight.core.dataset import Meta
from insight.core.geo import SHORT_ATTRIBUTION
from insight.core.selection import WHOLE_AREA
from insight.numbers.tables import SYMBOLS, SafeTable


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


def is_per_la(table: SafeTable) -> bool:
    """A table with one row per LA: LA shares and hotspots (the LA is the category), and one
    barrier or service element by LA (one category, one row for each LA, no whole-area row)."""
    frame = table.frame
    if not len(frame):
        return False
    if bool((frame["area_code"] == frame["category_key"]).all()):
        return True
    codes = frame["area_code"].astype(str)
    return len(frame) > 1 and codes.is_unique and WHOLE_AREA not in set(codes)


__all__ = ["footer_lines", "is_per_la", "symbol_legend"]
