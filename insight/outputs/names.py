"""Names and labels every export carries: the area, the mode, a safe file name, and what an
export included, in words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

from insight.core.dataset import Meta
from insight.core.geo import la_name
from insight.core.selection import Selection
from insight.numbers import catalogue


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


# What an export may include besides its charts (the keys the pack and the log record).
_PARTS = {"hotspot_map": "the hotspot map", "talking_points": "talking points"}


def included_words(keys: Sequence[str]) -> str:
    """What an export included, in words a Performance Manager reads ("Barriers reported; Age
    band; the hotspot map; 3 stakeholder insights"), from the keys the sharing log records."""
    words = []
    for key in keys:
        name, _, number = key.partition(":")
        if name == "stakeholder_insights":
            words.append(f"{number} stakeholder insights" if number else "stakeholder insights")
        elif name in _PARTS:
            words.append(_PARTS[name])
        elif catalogue.is_known(name):
            words.append(catalogue.entry(name).label)
        else:  # a key an older version recorded: readable, if not a label
            words.append(name.replace("_", " ").replace(".", ": "))
    return "; ".join(words)
