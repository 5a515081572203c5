"""insight.outputs.figures.chart: the caveat and source are inside the figure, a suppressed cell is drawn
as a [c] label with its legend, bars start at zero, the chosen LA is highlighted against grey, an
over-capacity bar says so in words and pattern, and a count reaches the hover only in standard
mode where the table carries one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from insight.core.caveat import CAVEAT
from insight.core.dataset import Meta
from insight.core.selection import Selection
from insight.numbers.safe_table import CountInPresenterMode
from insight.numbers.tables import SafeTable
from insight.outputs.figures import CONTEXT_GREY, HIGHLIGHT, chart

META = Meta("Test Provider", "Test Area", "2025-01", "2025-12", date(2026, 1, 5), synthetic=True)
SANDWELL = "E08000028"


def table(mode: str, count: bool = False, over: bool = False) -> SafeTable:
    rows = []
    for code, area in ((SANDWELL, "Sandwell"), ("all", "Test Area (whole area)")):
        for key, value, label in (("a", 40.0, "40%"), ("b", float("nan"), "[c]")):
            rows.append((code, area, key, key.upper(), value, label, label == "[c]"))
    frame = pd.DataFrame(
        rows,
        columns=["area_code", "area", "category_key", "category", "value", "label", "suppressed"],
    )
    if count:
        frame["count"] = ["1,235", "[c]", "2,470", "[c]"]
    if over:
        frame["over_capacity"] = [True, False, False, False]
    return SafeTable(
        key="test.table",
        title="A is the largest group",
        subtitle="Share of participants, by test, Jan 2025 to Dec 2025",
        frame=frame,
        mode=mode,
        symbols=("[c]",),
    )


def spec(mode: str, **kwargs) -> str:
    fig = chart(table(mode, **kwargs), META, Selection(la=SANDWELL, mode=mode))
    return fig.to_json()


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_caveat_source_and_symbol_legend_are_inside_the_figure(mode: str) -> None:
    fig = chart(table(mode), META, Selection(la=SANDWELL, mode=mode))
    footer = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    for words in ("Test Provider", "Synthetic data", "Source:"):
        assert words in footer
    assert "[c] = confidential" in footer
    assert fig.layout.title.text == "A is the largest group"
    assert "Jan 2025 to Dec 2025" in fig.layout.title.subtitle.text
    assert CAVEAT in footer, "the whole caveat, word for word"


def test_suppressed_cell_is_a_label_at_the_bar_and_bars_start_at_zero() -> None:
    fig = chart(table("standard"), META, Selection(la=SANDWELL))
    first = fig.data[0]
    assert list(first.text) == ["40%", "[c]"]
    assert list(first.x) == [40.0, 0.0]
    assert fig.layout.xaxis.range[0] == 0


def test_chosen_la_is_highlighted_against_grey() -> None:
    fig = chart(table("standard"), META, Selection(la=SANDWELL))
    assert fig.data[0].marker.color == HIGHLIGHT and fig.data[0].name == "Sandwell"
    assert fig.data[1].marker.color == CONTEXT_GREY


def test_counts_reach_the_hover_only_in_standard_mode() -> None:
    assert "1,235" in spec("standard", count=True)
    # presenter figures never carry a count: a presenter table with one cannot even be made
    with pytest.raises(CountInPresenterMode):
        spec("presenter", count=True)
    assert "Count" not in spec("presenter")


def test_over_capacity_is_said_in_words_and_pattern() -> None:
    fig = chart(table("standard", over=True), META, Selection(la=SANDWELL))
    assert "over capacity" in fig.data[0].text[0]
    assert fig.data[0].marker.pattern.shape[0] == "/"


def test_per_la_bars_rank_by_value_and_put_suppressed_las_last() -> None:
    las = [
        ("E08000025", "Birmingham", 31.0, "31%"),
        ("E08000028", "Sandwell", float("nan"), "[c]"),
        ("E08000026", "Coventry", 7.0, "7%"),
        ("E08000027", "Dudley", 9.0, "9%"),
    ]
    frame = pd.DataFrame(
        [
            (code, name, code, name, value, label, label == "[c]")
            for code, name, value, label in las
        ],
        columns=["area_code", "area", "category_key", "category", "value", "label", "suppressed"],
    )
    per_la = SafeTable(
        key="la_shares",
        title="Birmingham has the largest share",
        subtitle="Share of the area's participants, by Local Authority",
        frame=frame,
        mode="presenter",
        symbols=("[c]",),
    )
    fig = chart(per_la, META, Selection(mode="presenter"))
    bars = fig.data[0]
    assert list(bars.y) == ["Birmingham", "Dudley", "Coventry", "Sandwell"]
    assert list(bars.text) == ["31%", "9%", "7%", "[c]"]
    # The table view (and its CSV) lists the LAs in the chart's order (issue 29 item 5), even
    # where a [c] row's frame still holds a number: its place must not reveal it.
    from components.charts import display_frame

    frame.loc[frame["area"] == "Sandwell", "value"] = 40.0
    shown = display_frame(replace(per_la, frame=frame), Selection(mode="presenter"))
    assert list(shown["Area"]) == ["Birmingham", "Dudley", "Coventry", "Sandwell"]


def test_safe_csv_is_the_table_view_then_the_caveat_and_source() -> None:
    import io

    from components.charts import display_frame, safe_csv

    sel = Selection(la=SANDWELL, mode="standard")
    t = table("standard", count=True)
    parsed = pd.read_csv(io.BytesIO(safe_csv(t, META, sel)), dtype=str, keep_default_na=False)
    shown = display_frame(t, sel)
    assert list(parsed.columns) == list(shown.columns)
    assert "value" not in parsed.columns, "the raw value column never leaves"
    assert parsed.iloc[: len(shown)].equals(shown.reset_index(drop=True))
    notes = " ".join(parsed.iloc[len(shown) :, 0])
    assert CAVEAT in notes and "Source:" in notes and "Synthetic data" in notes


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_a_long_headline_wraps_and_the_plot_moves_down_to_make_room(mode: str) -> None:
    from dataclasses import replace

    from insight.outputs.figures import TITLE_WRAP

    sel = Selection(la=SANDWELL, mode=mode)
    short = table(mode)
    long_title = (
        "Mental health is the most reported barrier in Herefordshire, County of, <b>and</b> beyond"
    )
    wrapped = chart(replace(short, title=long_title), META, sel)
    lines = wrapped.layout.title.text.split("<br>")
    assert len(lines) >= 2 and all(len(line) <= TITLE_WRAP[mode] + 10 for line in lines)
    assert " ".join(lines) == long_title.replace("<", "&lt;").replace(">", "&gt;")
    assert wrapped.layout.margin.t > chart(short, META, sel).layout.margin.t
