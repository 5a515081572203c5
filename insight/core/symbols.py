"""The Government Statistical Service's symbols for a figure not shown, and what each means: one
place for "[c]" and its words, used by disclosure, the safe tables, narratives, charts and maps."""

from __future__ import annotations

CONFIDENTIAL = "[c]"
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
SYMBOL_ORDER: tuple[str, ...] = (CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE)
SYMBOLS: dict[str, str] = {
    CONFIDENTIAL: "confidential: too few people to show safely",
    NOT_AVAILABLE: "not available",
    NOT_APPLICABLE: "not applicable",
}
