"""The briefing pack's layout (issue 16): charts drawn at print size, one headline per page,
tables with one column per area, a map page, and tagged images."""

from __future__ import annotations

from io import BytesIO

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from insight.core.selection import Selection
from insight.intake.load import load_dataset
from insight.numbers import tables
from insight.outputs.figures import PRINT_MIN_PX, PRINT_WIDTH, chart
from insight.outputs.map_figure import print_map
from insight.outputs.mapdata import map_data
from insight.outputs.pack import CHARTS_BY_KEY, MAP_HEADING, build_pack
from insight.outputs.pack_pdf import CONTENT_MM, grid
from insight.outputs.png import PRINT_SCALE
from tests.conftest import chromium_or_skip

SANDWELL = "E08000028"
MM_PER_INCH = 25.4


@pytest.fixture(scope="module")
def ds(sample_dir):
    return load_dataset(sample_dir)


def font_sizes(fig: go.Figure) -> list[float]:
    """Every font size a figure sets, anywhere in its JSON (layout, traces, annotations)."""
    found: list[float] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if "font" in k and isinstance(v, dict) and isinstance(v.get("size"), int | float):
                    found.append(float(v["size"]))
                walk(v)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(fig.to_plotly_json())
    return found


@pytest.mark.parametrize("mode", ["standard", "presenter"])
@pytest.mark.parametrize("key", ["barriers", "hotspot", "provision", "job_entries.sector"])
def test_print_figures_are_page_wide_with_9pt_text_and_no_title(ds, mode, key):
    sel = Selection(la=SANDWELL, mode=mode)
    table = CHARTS_BY_KEY[key].build(ds, sel)
    fig = chart(table, ds.meta, sel, medium="print")
    sizes = font_sizes(fig)
    assert sizes and min(sizes) >= PRINT_MIN_PX  # 12 px at 96 px/inch is 9 pt
    assert not fig.layout.title.text and not fig.layout.title.subtitle.text
    screen = chart(table, ds.meta, sel)
    assert table.title.split()[0] in screen.layout.title.text  # the screen keeps its headline


def test_print_width_is_the_a4_content_width():
    assert PRINT_WIDTH == round(CONTENT_MM / MM_PER_INCH * 96)


def test_print_map_has_legend_source_and_every_la(ds):
    sel = Selection(la=SANDWELL, mode="presenter")
    table = tables.hotspot(ds, sel)
    fig = print_map(map_data(table, tuple(ds.la_codes), SANDWELL), ds.meta)
    text = " ".join(a.text for a in fig.layout.annotations)
    assert "ONS" in text and "OGL" in text
    assert "Sandwell" in text and "Wolverhampton" in text
    assert {t.name for t in fig.data} >= {"Chosen Local Authority (orange outline)"}
    assert any("90" in (t.name or "") for t in fig.data)  # a legend entry per colour class
    assert min(font_sizes(fig)) >= PRINT_MIN_PX
    assert fig.layout.width == PRINT_WIDTH


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_tables_carry_one_column_per_area(ds, mode):
    sel = Selection(la=SANDWELL, mode=mode)
    table = tables.barriers(ds, sel)
    shown = grid(table, sel)
    areas = list(dict.fromkeys(table.frame["area"]))
    assert len(areas) == 2
    assert shown.headers[0] == "Category"
    assert shown.headers[1:] == ("Sandwell (chosen LA)", areas[1])
    assert shown.marked_column == 1
    assert [row[0] for row in shown.rows] == list(dict.fromkeys(table.frame["category"]))
    assert shown.numeric == (False, True, True)
    first = table.frame[table.frame["category"] == shown.rows[0][0]]
    assert shown.rows[0][1].startswith(str(first["label"].iloc[0]))
    with_count = any("(" in cell for row in shown.rows for cell in row[1:])
    assert with_count == (mode == "standard")


def test_a_per_la_table_marks_the_chosen_row(ds):
    sel = Selection(la=SANDWELL, mode="presenter")
    table = tables.hotspot(ds, sel)
    shown = grid(table, sel)
    assert shown.headers == ("Local Authority", "Index")
    assert shown.rows[shown.marked_row][0] == "Sandwell"
    assert len(shown.rows) == len(table.frame)


def test_whole_area_table_has_one_area_column_unmarked(ds):
    sel = Selection(mode="standard")
    shown = grid(tables.barriers(ds, sel), sel)
    assert shown.marked_column is None
    assert shown.headers[1].endswith(": share")


@pytest.fixture(scope="module")
def kaleido_starts():
    """Each start of Kaleido's browser in this module (the starts still happen)."""
    import kaleido

    starts: list[int] = []
    start = kaleido.start_sync_server
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            kaleido, "start_sync_server", lambda *a, **k: starts.append(1) or start(*a, **k)
        )
        yield starts


@pytest.fixture(scope="module")
def printed(ds, kaleido_starts):
    """A real pack from the sample: Sandwell, standard mode, three charts and the map."""
    chromium_or_skip()
    sel = Selection(la=SANDWELL, mode="standard")
    before = len(kaleido_starts)
    pack = build_pack(ds, sel, ["hotspot", "barriers", "provision"])
    return sel, pack, len(kaleido_starts) - before


def test_the_charts_and_the_map_share_one_browser(printed) -> None:
    """Starting Kaleido's browser is most of an image's cost: the map used to start its own."""
    _sel, pack, browsers_started = printed
    assert pack.images == 4 and "hotspot_map" in pack.included
    assert browsers_started == 1


def test_pack_images_are_print_size_and_tagged(printed):
    _, pack, _ = printed
    assert not pack.warnings
    assert pack.images == 4 and "hotspot_map" in pack.included
    reader = PdfReader(BytesIO(pack.pdf))
    widths = [image.image.width for page in reader.pages for image in page.images]
    assert len(widths) == 4
    content_inches = CONTENT_MM / MM_PER_INCH
    for width in widths:  # drawn across the content width: at least 150 pixels to the inch
        assert width / content_inches >= 150, width
        assert width == PRINT_WIDTH * PRINT_SCALE
    raw = pack.pdf
    assert b"/Lang (en-GB)" in raw and raw.count(b"/Alt ") >= 4  # tagged: language, alt text


def test_no_headline_appears_twice_on_a_pack_page(printed, ds):
    sel, pack, _ = printed
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pack.pdf)).pages]
    for key in ("hotspot", "barriers", "provision"):
        title = " ".join(CHARTS_BY_KEY[key].build(ds, sel).title.split())
        holding = [page for page in pages if title in page]
        assert holding, title
        assert all(page.count(title) == 1 for page in holding), title
    assert sum(MAP_HEADING in page for page in pages) == 1
    assert any("Sandwell (chosen LA)" in page for page in pages)
