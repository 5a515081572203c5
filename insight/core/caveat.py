"""The caveat DESIGN.md requires on every page, in every chart's footer and on every export."""

from __future__ import annotations

from insight.core.dataset import Meta
from insight.core.dates import long_date, short_date
from insight.core.periods import months_label

CAVEAT = (
    "Provider management information, not accredited or sponsored by the Department for Work and "
    "Pensions. Not DWP performance data. Shared to support joint working, not to report against "
    "targets."
)
# Official figures (insight.numbers.place) are not provider MI: they carry their own line instead.
OFFICIAL_NOTE = (
    "Official statistics, not the provider's management information: the caveat above covers "
    "only the provider's own figures (shares of participants)."
)
OFFICIAL_SOURCE = (
    "Source: Office for National Statistics (Explore Local Statistics) and Department for "
    "Transport, licensed under the Open Government Licence v.3.0."
)
SYNTHETIC_MARKER = "Synthetic data: generated for demonstration, not real participants."


def provenance(meta: Meta, *, short: bool = False) -> str:
    """'Example Employment Partnership · July 2024 to June 2025 · extracted 4 July 2025' (GOV.UK
    style); `short` abbreviates the months ("Jul 2024 to Jun 2025", "4 Jul 2025") for a line
    that cannot wrap (the pack's running page footer)."""
    extracted = (short_date if short else long_date)(meta.extract_date)
    period = months_label(meta.start_index, meta.end_index, short=short)
    return f"{meta.provider_name} · {period} · extracted {extracted}"


def caveat_lines(meta: Meta) -> list[str]:
    """The caveat, then provenance, then the synthetic marker where the dataset says so."""
    lines = [CAVEAT, provenance(meta)]
    if meta.synthetic:
        lines.append(SYNTHETIC_MARKER)
    return lines
