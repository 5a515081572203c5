"""Issue 26, item 4: every export's sharing-log entry carries a disclosure statement, and the
statement is what an attack on exactly that export finds.

The attack (insight.numbers.audit) is checked twice: it narrows a hidden figure in a table built
to leak one (so "0 could be narrowed" is a finding, not a constant), and the statement kept for a
CSV export agrees with the figures in the CSV's own bytes and with an attack on the same table.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from insight.core.selection import Selection
from insight.core.symbols import CONFIDENTIAL
from insight.core.thresholds import Thresholds
from insight.numbers import tables
from insight.numbers.audit import audit
from insight.numbers.safe_table import SafeTable
from insight.outputs import png as chart_images
from insight.service import release
from insight.sharing import store
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, dataset, people

TH = Thresholds()


def _rows() -> list[dict]:
    return (
        people(SANDWELL, 30, barrier_debt=False, start_month="2025-07")
        + people(SANDWELL, 28, barrier_debt=False, start_month="2025-08")
        + people(SANDWELL, 2, barrier_debt=True, barrier_transport=True, start_month="2025-08")
        + people(SANDWELL, 29, barrier_debt=True, start_month="2025-11")
        + people(BIRMINGHAM, 40, barrier_debt=True, start_month="2025-02")
        + people(BIRMINGHAM, 40, barrier_debt=False, start_month="2025-02")
    )


def _table(labels: list[str], counts: list[str]) -> SafeTable:
    n = len(labels)
    frame = pd.DataFrame(
        {
            "area_code": ["all"] * n,
            "area": ["Test Area (whole area)"] * n,
            "category_key": [f"k{i}" for i in range(n)],
            "category": [f"Group {i}" for i in range(n)],
            "value": [float("nan")] * n,
            "label": labels,
            "suppressed": [label == CONFIDENTIAL for label in labels],
            "count": counts,
        }
    )
    return SafeTable("characteristic.gender", "Groups", "Share of participants", frame, "standard")


def test_the_attack_narrows_a_figure_a_leaky_table_gives_away() -> None:
    """One breakdown with rounded counts beside its shares: the two shown counts and shares pin
    the base, so the hidden group's count is the base minus the two."""
    leaky = _table(["[c]", "48%", "48%"], ["[c]", "100", "100"])
    found = audit([leaky], TH)
    assert found.targets == 1 and found.narrowed == 1
    assert "could narrow 1 of the hidden figures" in found.statement(TH)
    safe = _table(["[c]", "48%", "48%"], ["[c]", "[c]", "[c]"])
    assert audit([safe], TH).narrowed == 0


def _numbers(statement: str) -> tuple[int, int, int]:
    shown = re.search(r"(\d+) figures shown and (\d+) hidden", statement)
    narrowed = re.search(r"could narrow (\d+) of the hidden figures", statement)
    assert shown and narrowed, statement
    return int(shown.group(1)), int(shown.group(2)), int(narrowed.group(1))


@pytest.mark.parametrize("la", [SANDWELL, "all"])
def test_a_csv_exports_statement_matches_an_attack_on_the_same_export(
    monkeypatch, tmp_path, la: str
) -> None:
    from components.charts import safe_csv

    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path / "state"))
    ds = dataset(_rows())
    sel = Selection(la=la)
    table = tables.barriers(ds, sel)
    data = safe_csv(table, ds.meta, sel)
    entry = release.record(ds, sel, release.Export("csv", [table.key], data, "barriers.csv"))
    statement = store.get_statement(entry.id)
    assert statement is not None
    assert statement == audit([table], ds.meta.thresholds).statement(ds.meta.thresholds)
    # the figures the statement counts are the figures in the exported bytes
    csv = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    body = csv[csv["Share"] != ""]
    cells = pd.concat([body["Share"], body["Count (rounded)"]])
    hidden = int((cells == CONFIDENTIAL).sum())
    shown = int(cells.str.replace(",", "").str.strip("<>%").str.isdigit().sum())
    assert _numbers(statement) == (shown, hidden, 0)
    assert hidden > 0  # the example has something to protect


def test_a_pack_export_keeps_its_statement(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path / "state"))
    ds = dataset(_rows())
    sel = Selection(la=SANDWELL, mode="presenter")
    keys = ["barriers", "characteristic.age_band"]
    monkeypatch.setattr(chart_images, "chromium_path", lambda: None)  # tables, no images
    pack, entry = release.export_pack(ds, sel, keys)
    statement = store.get_statement(entry.id) or ""
    made = [tables.barriers(ds, sel), tables.characteristic(ds, sel, "age_band")]
    checked = audit(made, ds.meta.thresholds)
    assert statement == checked.statement(ds.meta.thresholds)
    assert "2 tables" in statement
    # the PDF carries the one-line version, in words in presenter mode (no number in it)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.pdf)).pages)
    line = checked.one_line(numbers=False)
    assert " ".join(line.split()) in " ".join(text.split())
    assert not re.search(r"\d", line)


def test_a_deck_export_is_judged_on_the_tables_its_slides_show(monkeypatch, tmp_path) -> None:
    """A handout's log names its slides in words, not chart keys: its statement is the attack on
    the safe tables the slides themselves draw (it said "0 tables" when made again from the
    words)."""
    from insight.outputs import meetings

    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(chart_images, "chromium_path", lambda: None)
    ds = dataset(_rows())
    items = [meetings.Item("barriers", SANDWELL, "whole"), meetings.Item("ask", SANDWELL, "whole")]
    handout, entry = release.export_handout(ds, "pptx", release.HandoutOptions(items=tuple(items)))
    statement = store.get_statement(entry.id) or ""
    made = [tables.barriers(ds, Selection(la=SANDWELL, mode="presenter"))]
    assert statement == audit(made, ds.meta.thresholds).statement(ds.meta.thresholds)
    assert "1 table:" in statement and len(handout.tables) == 1


def test_the_page_views_handout_passes_every_option_on(monkeypatch, tmp_path) -> None:
    """The page view hands release one HandoutOptions whole: a deck asked for in standard mode
    (the Meetings page's "rounded counts too") is made and logged in standard mode (the view
    once repeated the parameter list and dropped `mode`, so it was always count-free)."""
    from insight.outputs import meetings
    from insight.service.view import page_view

    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(chart_images, "chromium_path", lambda: None)
    view = page_view(dataset(_rows()))
    items = [meetings.Item("barriers", SANDWELL, "whole")]
    by_keywords = view.export_handout("pptx", items=items, mode="standard", note="for the board")
    options = release.HandoutOptions(items=tuple(items), mode="standard", note="for the board")
    by_options = view.export_handout("pptx", options)
    for handout, entry in (by_keywords, by_options):
        assert entry.mode == "standard" and entry.note == "for the board"
        assert handout.included == by_keywords[0].included
    _, plain = view.export_handout("pptx", options, mode="presenter")
    assert plain.mode == "presenter" and plain.note == "for the board"
