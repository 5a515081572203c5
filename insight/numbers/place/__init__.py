"""Official context for a place: ONS Explore Local Statistics indicators for each LA beside its
region, its country and its most similar LAs, read from the project's own copy in
sample_data/context/ (made by scripts/build_context.py). Never reads the design folder at run
time and never imports streamlit.

These are official statistics, not the provider's management information: everything here
carries `SOURCE_LINE` (and the producer of each indicator), never the provider MI caveat as its
source. Nothing here divides a provider count by an official figure: where the two meet
(`claimant_hotspot`, `beside_shares`, `talking_point`) each side is a share of its own total,
shown side by side, or an index of one share against the other.

One module per job: `official` reads the project's copy and shows one figure, `compare`
puts it beside other areas (similar LAs, the whole area, a rank), `words` says so in plain words,
`comparison` makes the page's tables, and `beside` is where the official figures meet the
provider's safe shares. The small trend chart is drawn in insight.outputs.place_trend. The names
below are the package's public API: callers import `insight.numbers.place`, not its modules.
"""

from __future__ import annotations

from insight.numbers.place.beside import (
    beside_shares,
    claimant_hotspot,
    claimant_reference,
    claimant_weights,
    context_beside,
    population_shares,
    talking_point,
)
from insight.numbers.place.compare import (
    RANKED_COUNTRIES,
    RANKED_WHERE,
    Rank,
    area_series,
    common_comparator,
    median_of,
    neighbour_median,
    ordinal,
    rank,
    rank_in,
    rank_words,
    similar,
    similar_within,
    whole_area,
)
from insight.numbers.place.comparison import (
    COMPARISON_COLUMNS,
    LISTED_GROUPS,
    RANK_COLUMN,
    area_comparison,
    comparison,
    listed,
    similar_table,
    symbols_used,
)
from insight.numbers.place.official import (
    CLAIMANT,
    CONTEXT_DIR,
    DFT_LINE,
    INACTIVITY,
    KINDS,
    N_SIMILAR,
    OFFICIAL_SYMBOLS,
    RATE_KEYS,
    SHORT_SOURCE,
    SOURCE_LINE,
    SUPPRESSED_NOTE,
    Figure,
    Indicator,
    area_name,
    areas,
    country_of,
    figure,
    format_value,
    indicators,
    neighbours,
    period_end,
    period_label,
    periods,
    region_of,
    series,
    values,
)
from insight.numbers.place.words import (
    UNRELIABLE_WORDS,
    compare_words,
    flag_words,
    older_than_provider,
    overlapping,
    phrase,
    sentence,
    the,
)

__all__ = [
    "CLAIMANT",
    "COMPARISON_COLUMNS",
    "CONTEXT_DIR",
    "DFT_LINE",
    "Figure",
    "INACTIVITY",
    "Indicator",
    "KINDS",
    "LISTED_GROUPS",
    "N_SIMILAR",
    "OFFICIAL_SYMBOLS",
    "RANKED_COUNTRIES",
    "RANKED_WHERE",
    "RANK_COLUMN",
    "RATE_KEYS",
    "Rank",
    "SHORT_SOURCE",
    "SOURCE_LINE",
    "SUPPRESSED_NOTE",
    "UNRELIABLE_WORDS",
    "area_comparison",
    "area_name",
    "area_series",
    "areas",
    "beside_shares",
    "claimant_hotspot",
    "claimant_reference",
    "claimant_weights",
    "common_comparator",
    "compare_words",
    "comparison",
    "context_beside",
    "country_of",
    "figure",
    "flag_words",
    "format_value",
    "indicators",
    "listed",
    "median_of",
    "neighbour_median",
    "neighbours",
    "older_than_provider",
    "ordinal",
    "overlapping",
    "period_end",
    "period_label",
    "periods",
    "phrase",
    "population_shares",
    "rank",
    "rank_in",
    "rank_words",
    "region_of",
    "sentence",
    "series",
    "similar",
    "similar_table",
    "similar_within",
    "symbols_used",
    "talking_point",
    "the",
    "values",
    "whole_area",
]
