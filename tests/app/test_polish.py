"""Issue 16 through AppTest: What works grouped by the annex's question, the capacity chart ranked
by use, dates as GOV.UK writes them on every page, the Performance Manager as a mailto link."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import navigation
from components.cards import RECOMMENDATION_GROUPS
from insight.core.selection import Selection
from insight.intake.load import load_dataset
from insight.numbers import tables
from insight.sharing import store
from tests.app.app_scan import _element_items, _nodes
from tests.app.harness import opened, page_alone

ROOT = Path(__file__).resolve().parents[2]
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")
HEADINGS = [heading for _, heading, _ in RECOMMENDATION_GROUPS]


@pytest.fixture(autouse=True)
def _app(monkeypatch, sample_dir):
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.syspath_prepend(str(ROOT))


def page_run(path: str, sel: Selection) -> AppTest:
    return page_alone(path, sel)


# --- What works ------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_what_works_is_grouped_by_the_annexs_question_what_works_first(mode, sample_dir):
    sel = Selection(mode=mode)
    at = page_run("pages/what_works/what_works.py", sel)
    assert not at.exception
    shown = [h.value for h in at.subheader]
    expected = tables.insights(
        load_dataset(sample_dir), sel, ("what_works", "improvement"), None, None
    )
    present = set(expected["recommendation"])
    assert shown == [h for label, h, _ in RECOMMENDATION_GROUPS if label in present]
    assert shown[0] == "What to buy more of" and shown.index("What to stop") > shown.index(
        "What to increase"
    )
    # Every card shows its recommendation as a visible label (a badge), not by colour alone.
    titles = [m.value for m in at.markdown if "-badge[" in m.value]
    assert len(titles) == len(expected)
    labels = [re.search(r"-badge\[([^\]]+)\]", t).group(1) for t in titles]
    order = [label for label, _, _ in RECOMMENDATION_GROUPS]
    assert labels == sorted(labels, key=order.index)  # cards sit under their group, in order
    assert sorted(labels) == sorted(expected["recommendation"])


def test_what_works_filtered_to_stop_shows_only_that_group():
    at = page_run("pages/what_works/what_works.py", Selection())
    at.selectbox(key="ww_recommendation").set_value("stop").run()
    assert [h.value for h in at.subheader] == ["What to stop"]
    assert all(":red-badge[Stop]" in m.value for m in at.markdown if "-badge[" in m.value)


# --- Commissioning ---------------------------------------------------------------------------
@pytest.mark.parametrize("la", ["all", "E08000025"])
def test_capacity_chart_is_ranked_by_use_with_no_alert_repeating_it(la):
    at = page_run("pages/commissioning/commissioning.py", Selection(la=la, mode="standard"))
    assert not at.exception
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    capacity = [c for c in charts if "capacity" in json.dumps(c["layout"].get("shapes", ""))]
    capacity = capacity or charts[-1:]
    bars = capacity[0]["data"][0]
    values = [v for v, t in zip(bars["x"], bars["text"], strict=True) if t != "[c]"]
    assert len(values) > 3 and values == sorted(values, reverse=True)
    # Short labels: the service, then its organisation on a second line.
    assert all("<br>" in label and "<span" in label for label in bars["y"])
    assert all(":" not in label.split("<br>")[0] for label in bars["y"])
    assert not at.warning and not at.success


# --- dates -----------------------------------------------------------------------------------
@pytest.fixture
def history():
    """A sharing log entry and an insight, so the log and insights lists have dates to show."""
    store.add_log(
        kind="pack",
        provider="Heartwood",
        source="sample",
        fingerprint="f",
        la="all",
        la_name="West Midlands and the Marches",
        period="whole",
        period_label="Jul 2024 to Jun 2026",
        mode="standard",
        included=["barriers"],
        file_name="pack.pdf",
        sha256="0" * 64,
        note="Partnership board",
    )
    store.add_insight(
        organisation="Sandwell Council",
        la="all",
        theme=store.THEMES[0],
        text="Demand for ESOL is rising.",
        shared_on=date(2026, 11, 3),
    )


def shown_text(at: AppTest) -> str:
    """Every string on screen, but a date picker's machine values (its value, min and max are
    ISO dates inside the widget; it shows DD/MM/YYYY)."""
    return "\n".join(
        str(item)
        for node in _nodes(at._tree)
        if node.type != "date_input"
        for item in _element_items(node)
        if isinstance(item, str)
    )


@pytest.mark.parametrize("spec", navigation.PAGES, ids=lambda s: s.url_path)
def test_no_iso_timestamp_reaches_a_page(spec, history):
    at = opened(spec.path)
    text = shown_text(at)
    assert not ISO.findall(text), ISO.findall(text)[:5]
    if spec.url_path == "sharing":
        assert re.search(r"\d{2}:\d{2} on \d{1,2} [A-Z][a-z]+ \d{4}", text)
    if spec.url_path == "stakeholder_insights":
        assert "3 November 2026" in text


# --- the Performance Manager -----------------------------------------------------------------
def test_performance_manager_is_a_mailto_link(sample_dir):
    at = page_run("pages/sharing/can_i_share.py", Selection())
    email = load_dataset(sample_dir).meta.performance_manager_email
    links = [m.value for m in at.markdown if "Your Performance Manager" in m.value]
    assert links and f"(mailto:{email})" in links[0]
    # The question's hint comes before its options (GOV.UK pattern): caption, then radio.
    order = [node.type for node in at.main if node.type in ("caption", "radio")]
    assert order[:2] == ["caption", "radio"]


# --- maps and figures ------------------------------------------------------------------------
def test_folium_map_keeps_ons_attribution_without_leaflets_flag(sample_dir):
    from components.maps_folium import build
    from insight.core.geo import SHORT_ATTRIBUTION
    from insight.outputs.mapdata import map_data

    ds = load_dataset(sample_dir)
    page_html = (
        build(map_data(tables.hotspot(ds, Selection()), tuple(ds.la_codes))).get_root().render()
    )
    assert 'attributionControl.setPrefix("Leaflet")' in page_html
    assert json.dumps(SHORT_ATTRIBUTION).replace("\u00a9", "\\u00a9") in page_html


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_count_note_only_where_counts_are_shown(sample_dir, mode):
    from insight.outputs.chart_table import footer_lines
    from insight.outputs.figures import chart

    ds = load_dataset(sample_dir)
    sel = Selection(la="E08000028", mode=mode)
    table = tables.barriers(ds, sel)
    fig = chart(table, ds.meta, sel)
    footer = " ".join(a.text for a in fig.layout.annotations)
    assert "Counts show" not in footer and "Counts show" not in " ".join(
        footer_lines(table, ds.meta)
    )
    # The note stays with the table (where standard mode shows the rounded counts).
    assert any(n.startswith("Counts show") for n in table.notes) == (mode == "standard")
    assert "Source Sans" in fig.layout.font.family and "Arial" not in fig.layout.font.family
