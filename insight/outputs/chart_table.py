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
    codes = [str(c) for c in frame["area_code"].tolist()]
    keys = [str(k) for k in frame["category_key"].tolist()]
    if codes == keys:
        return True
    return len(codes) > 1 and len(set(codes)) == len(codes) and WHOLE_AREA not in codes


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
        labels = set(table.frame["label"].tolist())
        used.extend(s for s in SYMBOLS if s not in used and s in labels)
    return "; ".join(f"{s} = {SYMBOLS[s]}" for s in used if s in SYMBOLS)


def per_la_order(frame: pd.DataFrame) -> pd.DataFrame:
    """A per-LA table's rows as its chart and its table view show them: largest first, then by
    name; an LA without a figure (a label in brackets: `[c]`, `[x]`) last whatever it hides, so
    the order reveals nothing about it."""
    return frame.iloc[per_la_positions(frame)]


def per_la_positions(frame: pd.DataFrame) -> list[int]:
    """The row positions of `per_la_order`, worked out on Python lists (a sort of a dozen rows
    in pandas cost milliseconds, on every chart of every new selection)."""
    values = pd.to_numeric(frame["value"], errors="coerce").tolist()
    labels = [str(v) for v in frame["label"].tolist()]
    areas = frame["area"].tolist()

    def key(i: int) -> tuple[bool, float, str]:
        value = values[i]
        hidden = labels[i].startswith("[") or value != value  # a symbol, or NaN
        return (hidden, 0.0 if hidden else -value, areas[i])

    return sorted(range(len(frame)), key=key)
