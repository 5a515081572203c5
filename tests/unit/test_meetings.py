"""Meetings: the running order in SQLite (schema 2, migrated from 1), the catalogue of charts a
meeting can show, and the slides built from it (presenter mode, no counts, plain messages)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from insight.core.selection import Selection
from insight.intake.load import load_dataset
from insight.numbers import catalogue, tables
from insight.numbers.safe_table import COUNT_COLUMNS
from insight.outputs import meetings
from insight.sharing import store

SANDWELL = "E08000028"


@pytest.fixture(scope="module")
def ds(sample_dir: Path):
    return load_dataset(sample_dir)


def _meeting_with(charts: list[str]) -> tuple[store.Meeting, list[store.MeetingItem]]:
    meeting = store.create_meeting("Sandwell partnership board", "2026-03-12")
    items = [
        store.add_meeting_item(meeting.id, chart=c, la=SANDWELL, period="latest_12") for c in charts
    ]
    return meeting, [i for i in items if i is not None]


# --- store -----------------------------------------------------------------------------------
def test_items_keep_their_order_and_close_up_when_one_goes():
    meeting, items = _meeting_with(["barriers", "services", "provision"])
    assert [i.position for i in items] == [0, 1, 2]
    assert store.delete_meeting_item(items[1].id)
    left = store.meeting_items(meeting.id, by=None)
    assert [(i.chart, i.position) for i in left] == [("barriers", 0), ("provision", 1)]
    assert store.get_meeting_item(items[1].id, by=None) is None


def test_reorder_and_move_stop_at_the_ends():
    meeting, items = _meeting_with(["barriers", "services", "provision"])
    a, b, c = (i.id for i in items)
    assert store.reorder_meeting(meeting.id, [c, a, b])
    assert [i.chart for i in store.meeting_items(meeting.id, by=None)] == [
        "provision",
        "barriers",
        "services",
    ]
    assert store.move_meeting_item(c, -5)  # already first: stays first
    assert store.move_meeting_item(a, 1)
    assert [i.chart for i in store.meeting_items(meeting.id, by=None)] == [
        "provision",
        "services",
        "barriers",
    ]
    with pytest.raises(ValueError, match="every slide"):
        store.reorder_meeting(meeting.id, [a, b])  # one left out: nothing changes
    assert [i.id for i in store.meeting_items(meeting.id, by=None)] == [c, b, a]


def test_rename_date_duplicate_delete():
    meeting, items = _meeting_with(["barriers", "services"])
    store.update_meeting_item(items[0].id, notes="Start with mental health")
    assert store.update_meeting(meeting.id, name="Renamed board", held_on="2026-04-01")
    renamed = store.get_meeting(meeting.id)
    assert (renamed.name, renamed.held_on) == ("Renamed board", "2026-04-01")
    copy = store.duplicate_meeting(meeting.id)
    assert copy is not None and copy.id != meeting.id and copy.name == "Renamed board (copy)"
    copied = store.meeting_items(copy.id, by=None)
    assert [(i.chart, i.la, i.period, i.notes) for i in copied] == [
        ("barriers", SANDWELL, "latest_12", "Start with mental health"),
        ("services", SANDWELL, "latest_12", ""),
    ]
    assert store.delete_meeting(meeting.id)
    assert store.get_meeting(meeting.id) is None and store.meeting_items(meeting.id, by=None) == []
    assert [i.chart for i in store.meeting_items(copy.id, by=None)] == ["barriers", "services"]
    assert store.add_meeting_item(meeting.id, chart="barriers", la="all", period="whole") is None


def test_ids_are_never_reused():
    first = store.create_meeting("First", "2026-01-01")
    store.delete_meeting(first.id)
    second = store.create_meeting("Second", "2026-01-02")
    assert second.id > first.id


def test_free_text_is_checked_by_the_store():
    with pytest.raises(ValueError, match="required"):
        store.create_meeting("   ", "2026-01-01")
    with pytest.raises(ValueError):
        store.create_meeting("Board", "12/03/2026")
    meeting = store.create_meeting("Board", "2026-01-01")
    with pytest.raises(ValueError, match="longer than"):
        store.add_meeting_item(meeting.id, chart="barriers", la="all", period="whole",
                               notes="x" * (store.MAX_TEXT + 1))  # fmt: skip
    hostile = "<script>alert(1)</script> '); DROP TABLE meetings;--"
    store.update_meeting(meeting.id, name=hostile, held_on="2026-01-01")
    assert store.get_meeting(meeting.id).name == hostile


def test_meetings_survive_a_restart(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    meeting, _ = _meeting_with(["barriers", "ask"])
    store._ready.clear()  # a new process: nothing prepared yet
    assert store.get_meeting(meeting.id).name == "Sandwell partnership board"
    assert [i.chart for i in store.meeting_items(meeting.id, by=None)] == ["barriers", "ask"]


def test_a_version_1_file_gains_the_meeting_tables_and_keeps_its_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    path = tmp_path / store.DB_NAME
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE stakeholder_insights (id INTEGER PRIMARY KEY, created_utc TEXT NOT NULL, "
        "updated_utc TEXT NOT NULL, organisation TEXT NOT NULL, la TEXT NOT NULL, theme TEXT NOT "
        "NULL, text TEXT NOT NULL, shared_on TEXT NOT NULL);"
        "INSERT INTO stakeholder_insights VALUES (7, 'x', 'x', 'Sandwell Council', 'all', "
        "'Other', 'kept', '2025-01-01');"
        "PRAGMA user_version = 1;"
    )
    conn.close()
    store._ready.discard(path)
    assert store.get_insight(7).text == "kept"
    assert store.create_meeting("After the upgrade", "2026-01-01").id >= 1
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 5


def test_a_file_from_a_newer_app_is_not_touched(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    path = tmp_path / store.DB_NAME
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    store._ready.discard(path)
    with pytest.raises(RuntimeError, match="newer version"):
        store.list_meetings(by=None)


# --- catalogue -------------------------------------------------------------------------------
def test_every_page_table_can_join_a_meeting(ds):
    sel = Selection(la=SANDWELL, mode="standard")
    made = [
        tables.la_shares(ds, sel),
        tables.hotspot(ds, sel),
        tables.characteristic(ds, sel, "ethnicity"),
        tables.barriers(ds, sel),
        tables.services(ds, sel),
        tables.barrier_by_age(ds, sel, "digital_skills"),
        tables.barrier_by_la(ds, sel, "transport"),
        tables.service_by_la(ds, sel, "skills_training"),
        tables.trend(ds, sel, "barrier", "mental_health", "month"),
        tables.vacancies(ds, sel, "sector"),
        tables.vacancies(ds, sel, "la"),
        tables.job_entries(ds, sel, "employer"),
        tables.provision(ds, sel),
    ]
    for table in made:
        key = catalogue.addable(table.key)
        assert key == table.key, table.key
        rebuilt = catalogue.entry(key).build(ds, sel)
        assert rebuilt.key == table.key and rebuilt.title == table.title
    assert catalogue.addable("la_shares", as_map=True) == "map.la_shares"
    assert catalogue.addable("barriers", as_map=True) is None  # not one row per LA


@pytest.mark.parametrize("key", ["", "nope", "characteristic.shoe_size", "map.barriers",
                                 "trend.barrier.transport.decade", "insights.gossip"])  # fmt: skip
def test_unknown_keys_are_refused_in_plain_words(key):
    assert not catalogue.is_known(key)
    with pytest.raises(ValueError):
        catalogue.entry(key)


def test_the_ready_made_order_follows_the_annex(ds):
    keys = catalogue.ready_made(ds)
    sections = [catalogue.entry(k).section for k in keys]
    assert sections == sorted(sections, key=catalogue.SECTIONS.index)
    assert sections[0] == "Where participants are" and keys[-1] == catalogue.ASK
    assert set(sections) == set(catalogue.SECTIONS)  # the sample has every optional table
    assert len(keys) == 9


# --- slides ----------------------------------------------------------------------------------
def test_ready_made_slides_are_presenter_mode_and_carry_no_count(ds):
    deck = meetings.slides(ds, meetings.ready_made(ds, SANDWELL))
    assert [s.counter for s in deck][:2] == ["1 of 9", "2 of 9"]
    assert {s.area for s in deck} == {"Sandwell"}
    for slide in deck:
        assert not slide.message, (slide.chart, slide.message)
        assert slide.notes, f"no speaker notes on {slide.chart}"
        if slide.table is not None:
            assert slide.table.mode == "presenter"
            assert not COUNT_COLUMNS & set(slide.table.frame.columns), slide.chart
    assert deck[0].kind == "map" and deck[-1].kind == "ask"
    points = tables.talking_points(ds, Selection(la=SANDWELL, mode="presenter"))
    assert points and deck[0].notes[: len(points)] == tuple(points)  # the area's talking points
    assert deck[-1].headline == catalogue.ASK_HEADLINE


def test_a_slide_that_cannot_be_drawn_says_why(ds):
    unknown, no_barrier, elsewhere = meetings.slides(
        ds,
        [
            meetings.Item("nonsense"),
            meetings.Item("barrier_by_age.shoe_laces", SANDWELL),
            meetings.Item("barriers", "W06000015", "not-a-period"),
        ],
    )
    assert unknown.message == "no chart is called 'nonsense'."
    assert "cannot draw this chart" in no_barrier.message and "shoe_laces" in no_barrier.message
    assert elsewhere.la == "all" and elsewhere.period == "whole"
    assert elsewhere.area.endswith("(whole area)")
    assert any("whole area is shown" in n for n in elsewhere.notes)


def test_the_slide_figure_leaves_headline_and_caveat_to_the_slide(ds):
    sel = Selection(la=SANDWELL, mode="presenter")
    table = tables.barriers(ds, sel)
    fig = meetings.slide_figure(table, ds.meta, sel)
    assert not (fig.layout.title.text or "")
    assert fig.layout.height is None and fig.layout.autosize
    texts = [a.text for a in fig.layout.annotations or ()]
    assert not any("not accredited" in (t or "") for t in texts)
    assert all("<br>" not in y for t in fig.data for y in t.y)
    caveat, rest = meetings.caveat_text(table, ds.meta)
    assert caveat.startswith("Provider management information, not accredited")
    assert "Participants may report more than one barrier." in rest
    provision = tables.provision(ds, sel)
    kept = meetings.slide_figure(provision, ds.meta, sel).layout.annotations
    assert [a.text for a in kept] == ["100% = every place taken"]  # the reference line stays
