"""Meetings: the running order in SQLite (schema 2, migrated from 1), the catalogue of charts a
meeting can show, and the slides built from it (presenter mode, no counts, plain messages)."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.selection import Selection
from insight.intake.load import load_dataset
from insight.numbers import catalogue, place, tables
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
@pytest.mark.usefixtures("store_engine")
def test_items_keep_their_order_and_close_up_when_one_goes():
    meeting, items = _meeting_with(["barriers", "services", "provision"])
    assert [i.position for i in items] == [0, 1, 2]
    assert store.delete_meeting_item(items[1].id)
    left = store.meeting_items(meeting.id, by=None)
    assert [(i.chart, i.position) for i in left] == [("barriers", 0), ("provision", 1)]
    assert store.get_meeting_item(items[1].id, by=None) is None


@pytest.mark.usefixtures("store_engine")
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


@pytest.mark.usefixtures("store_engine")
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


@pytest.mark.engines("sqlite", "postgresql")  # ids
@pytest.mark.usefixtures("store_engine")
def test_ids_are_never_reused():
    first = store.create_meeting("First", "2026-01-01")
    store.delete_meeting(first.id)
    second = store.create_meeting("Second", "2026-01-02")
    assert second.id > first.id


@pytest.mark.usefixtures("store_engine")
def test_free_text_is_checked_by_the_store():
    with pytest.raises(ValueError, match="required"):
        store.create_meeting("   ", "2026-01-01")
    with pytest.raises(ValueError):
        store.create_meeting("Board", "12/03/2026")
    meeting = store.create_meeting("Board", "2026-01-01")
    with pytest.raises(ValueError, match="longer than"):
        store.add_meeting_item(meeting.id, chart="barriers", la="all", period="whole",
                               notes="x" * 20_001)  # fmt: skip
    hostile = "<script>alert(1)</script> '); DROP TABLE meetings;--"
    store.update_meeting(meeting.id, name=hostile, held_on="2026-01-01")
    assert store.get_meeting(meeting.id).name == hostile


@pytest.mark.usefixtures("store_engine")
def test_meetings_survive_a_restart(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    meeting, _ = _meeting_with(["barriers", "ask"])
    store._ready.clear()  # a new process: nothing prepared yet
    assert store.get_meeting(meeting.id).name == "Sandwell partnership board"
    assert [i.chart for i in store.meeting_items(meeting.id, by=None)] == ["barriers", "ask"]


@pytest.mark.usefixtures("store_engine")
@pytest.mark.engines("sqlite")
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


@pytest.mark.usefixtures("store_engine")
@pytest.mark.engines("sqlite")
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
    assert len(keys) == 10 and catalogue.PLACE in keys


# --- slides ----------------------------------------------------------------------------------
def test_ready_made_slides_are_presenter_mode_and_carry_no_count(ds):
    deck = meetings.slides(ds, meetings.ready_made(ds, SANDWELL))
    assert [s.counter for s in deck][:2] == ["1 of 11", "2 of 11"]
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
    assert (fig.layout.width, fig.layout.height) == meetings.SLIDE_SIZE
    texts = [a.text for a in fig.layout.annotations or ()]
    assert not any("not accredited" in (t or "") for t in texts)
    assert all("<br>" not in y for t in fig.data for y in t.y)
    caveat, rest = meetings.caveat_text(table, ds.meta)
    assert caveat.startswith("Provider management information, not accredited")
    assert "Participants may report more than one barrier." in rest
    provision = tables.provision(ds, sel)
    kept = meetings.slide_figure(provision, ds.meta, sel).layout.annotations
    assert [a.text for a in kept] == ["100% = every place taken"]  # the reference line stays


# --- the ready-made meeting tells the LA's story ---------------------------------------------
def _gap(table) -> float:
    """The largest LA-against-area gap in the table's shown labels, worked out from the labels
    themselves ("12%"), as a person reading the slide would."""
    frame = table.frame
    shown = frame[frame["label"].str.fullmatch(r"\d+%")]
    by = {
        code: dict(
            zip(part["category_key"], part["label"].str.rstrip("%").astype(int), strict=True)
        )
        for code, part in shown.groupby("area_code")
    }
    la = [c for c in by if c != "all"][0]
    return max(abs(v - by["all"][k]) for k, v in by[la].items() if k in by["all"])


@pytest.mark.parametrize("la", [SANDWELL, "E07000235"])  # a large LA, the sample's smallest
def test_ready_made_orders_each_section_by_how_far_the_la_differs(ds, la):
    items = meetings.ready_made(ds, la, "whole")
    keys = [i.chart for i in items]
    sections = [catalogue.entry(k).section for k in keys]
    assert sections == sorted(sections, key=catalogue.SECTIONS.index)  # the annex's order kept
    sel = Selection(la=la, mode="presenter")
    who = [k for k in keys if k.startswith("characteristic.")]
    gaps = [_gap(catalogue.entry(k).build(ds, sel)) for k in who]
    assert len(who) == 2 and gaps == sorted(gaps, reverse=True), (who, gaps)
    for key in who:  # the difference is the shown labels' (rounded) gap, to a point
        shown = meetings.difference(catalogue.entry(key).build(ds, sel))
        assert shown is not None and abs(shown - _gap(catalogue.entry(key).build(ds, sel))) <= 1


def test_ready_made_never_ranks_hidden_figures(ds):
    sel = Selection(la=SANDWELL, mode="presenter")
    table = tables.barriers(ds, sel)
    frame = table.frame.copy()
    mine = frame["area_code"] == SANDWELL
    hidden = frame.copy()
    hidden.loc[mine, "label"] = "[c]"  # every LA figure hidden: nothing to compare
    assert meetings.difference(dataclasses.replace(table, frame=hidden)) is None
    one = frame.copy()
    first = one.index[mine][0]
    one.loc[first, "value"] = 99.0  # a value no label shows: never compared
    one.loc[first, "label"] = "[c]"
    assert meetings.difference(dataclasses.replace(table, frame=one)) < 90
    assert meetings.difference(tables.la_shares(ds, sel)) is None  # one row per LA: no pair


def test_ready_made_adds_the_trend_of_the_most_reported_barrier_and_the_place(ds):
    items = meetings.ready_made(ds, SANDWELL, "whole")
    keys = [i.chart for i in items]
    barriers = tables.barriers(ds, Selection(la=SANDWELL, mode="presenter")).frame
    mine = barriers[barriers["area_code"] == SANDWELL]
    top = mine.loc[mine["value"].idxmax(), "category_key"]
    assert f"trend.barrier.{top}.quarter" in keys
    assert keys.index(f"trend.barrier.{top}.quarter") == keys.index("barriers") + 1
    deck = {s.chart: s for s in meetings.slides(ds, items)}
    context = deck[catalogue.PLACE]
    assert context.kind == "context" and context.section == "Labour market"
    assert (
        context.headline
        == "Sandwell beside the West Midlands and similar areas: official statistics"
    )
    assert list(context.context.columns) == [
        "Indicator", "Sandwell", "West Midlands", "Similar LAs (median of five)", "Period"
    ]  # fmt: skip
    assert context.context["Sandwell"].iloc[0] == place.figure(SANDWELL, place.CLAIMANT).label
    assert (
        "Office for National Statistics" in meetings.caveat_text(None, ds.meta, context.source)[1]
    )
    assert any(n.startswith("Sandwell's claimant count rate was") for n in context.notes)
    assert deck[f"trend.barrier.{top}.quarter"].table.key.startswith("trend.barrier.")


def test_the_whole_area_context_slide_names_what_it_stands_beside(ds):
    items = meetings.ready_made(ds, "all", "whole")
    slide = meetings.slides(ds, items)[[i.chart for i in items].index(catalogue.PLACE)]
    assert slide.headline.endswith("beside the West Midlands and England")
    assert list(slide.context.columns)[:2] == ["Indicator", "The area (weighted)"]


# --- a chart with more bars than a slide has room for ------------------------------------------
def test_commissioning_for_the_whole_area_shows_the_largest_and_says_how_many_more(ds):
    sel = Selection(mode="presenter")
    table = tables.provision(ds, sel)
    fig = meetings.slide_figure(table, ds.meta, sel)
    (bars,) = [t for t in fig.data if t.type == "bar"]
    total = len(table.frame)
    assert total == 20
    shown = len(bars.y)
    assert shown < total
    assert len(bars.text) == shown and all(str(t).strip() for t in bars.text)  # each bar labelled
    values = sorted(pd.to_numeric(table.frame["value"], errors="coerce").dropna(), reverse=True)
    assert sorted(bars.x, reverse=True) == values[:shown]  # the largest
    notes = [a.text for a in fig.layout.annotations if a.text.startswith("Showing")]
    more = meetings._words(total - shown)
    assert notes == [
        f"Showing the {meetings._words(shown)} largest of twenty: {more} more are not on this slide."
    ]
    assert not any(ch.isdigit() for ch in notes[0])  # in words: never read as a count


def test_a_slide_leaving_out_a_hidden_figure_never_calls_the_rest_the_largest(ds):
    """Malvern Hills' vacancies by sector: four of ten fit a slide, one kept at 0% while five
    left out are [c] (a small number, maybe more than 0%): the note said "the four largest"."""
    sel = Selection(la="E07000235", mode="presenter")
    table = tables.vacancies(ds, sel, "sector")
    mine = table.frame[table.frame["area_code"] == "E07000235"]
    assert (mine["label"] == "[c]").sum() >= 1 and (mine["label"] == "0%").any()
    fig = meetings.slide_figure(table, ds.meta, sel)
    (note,) = [a.text for a in fig.layout.annotations if a.text.startswith("Showing")]
    assert note.startswith("Showing four of ten:") and "largest" not in note


def test_a_service_and_its_organisation_stay_apart_on_one_slide_line(ds):
    """On a slide each category takes one line: "Group wellbeing and anxiety courses Talking
    Spaces Wellbeing Service" read as one name; a middle dot now parts the service from the
    organisation, and a name that merely wrapped is joined by a space."""
    sel = Selection(mode="presenter")
    provision = meetings.slide_figure(tables.provision(ds, sel), ds.meta, sel)
    labels = [str(y) for y in provision.data[0].y]
    assert labels and all("<br>" not in y and y.count(" · <span") == 1 for y in labels)
    # an organisation whose name wrapped onto two spans is one name again
    assert any("Mental Health Employment Service</span>" in y for y in labels)
    sectors = meetings.slide_figure(tables.vacancies(ds, sel, "sector"), ds.meta, sel)
    names = [str(y) for t in sectors.data for y in t.y]
    assert "Logistics and warehousing" in names and not any("·" in y for y in names)


def test_a_reference_line_label_ends_at_its_line_inside_the_slide(ds):
    """ "100% = every place taken", centred on the 100% line near the plot's right edge, ran
    past the slide PDF's chart image ("... every place take"): it ends at its line now."""
    sel = Selection(la="E07000235", mode="presenter")
    fig = meetings.slide_figure(tables.provision(ds, sel), ds.meta, sel)
    (label,) = [a for a in fig.layout.annotations if a.yref == "y domain"]
    assert label.text.startswith("100%") and label.x == 100 and label.xanchor == "right"


def test_every_text_on_a_slide_chart_is_at_least_20_px(ds):
    sel = Selection(la=SANDWELL, mode="presenter")
    for table in (tables.barriers(ds, sel), tables.provision(ds, sel),
                  tables.trend(ds, sel, "barrier", "mental_health", "quarter"),
                  tables.la_shares(ds, sel)):  # fmt: skip
        layout = meetings.slide_figure(table, ds.meta, sel).to_dict()["layout"]
        sizes = [layout["font"]["size"], layout["legend"]["font"]["size"]]
        sizes += [layout[a]["tickfont"]["size"] for a in ("xaxis", "yaxis")]
        sizes += [a["font"]["size"] for a in layout.get("annotations", ())]
        data = meetings.slide_figure(table, ds.meta, sel).to_dict()["data"]
        sizes += [t["textfont"]["size"] for t in data if "textfont" in t]
        assert min(sizes) >= 20, (table.key, sizes)


def test_paired_bars_each_have_room_for_their_label(ds):
    sel = Selection(la=SANDWELL, mode="presenter")
    fig = meetings.slide_figure(tables.barriers(ds, sel), ds.meta, sel)
    la, area = (t for t in fig.data if t.type == "bar")
    categories = len(la.y)
    plot = meetings.SLIDE_SIZE[1] - fig.layout.margin.t - fig.layout.margin.b
    bar = plot / categories * (1 - fig.layout.bargap) / 2
    assert bar >= meetings.SLIDE_FONT["bar"] * 1.25  # a label's line is no taller than its bar
    assert list(la.y) == list(area.y) and len(la.text) == len(area.text) == categories


def test_words_for_numbers():
    assert [meetings._words(n) for n in (0, 7, 14, 20, 21, 99)] == [
        "zero", "seven", "fourteen", "twenty", "twenty-one", "ninety-nine"
    ]  # fmt: skip


# --- generated charts: every bar labelled, the largest kept, the rest said in words -------------
_CATEGORY = st.one_of(st.just(None), st.floats(min_value=0, max_value=100, allow_nan=False))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_CATEGORY, _CATEGORY), min_size=1, max_size=30))
def test_a_slide_keeps_the_largest_shown_bars_and_says_how_many_more(ds, rows):
    """An LA beside the whole area, any number of categories, any of them hidden ([c], None
    here): every bar kept has its label, the pairs kept are the LA's largest shown shares (a
    hidden one only where no shown one was left out), and the note says in words how many."""
    records = []
    for n, pair in enumerate(rows):
        for code, name, value in ((SANDWELL, "Sandwell", pair[0]), ("all", "Area", pair[1])):
            shown = value is not None
            records.append(
                {
                    "area_code": code,
                    "area": name,
                    "category_key": f"k{n}",
                    "category": f"Category {n}",
                    "value": round(value) if shown else float("nan"),
                    "label": f"{round(value)}%" if shown else "[c]",
                }
            )
    frame = pd.DataFrame(records)
    sel = Selection(la=SANDWELL, mode="presenter")
    table = dataclasses.replace(tables.barriers(ds, sel), frame=frame, symbols=("[c]",))
    fig = meetings.slide_figure(table, ds.meta, sel)
    la, area = (t for t in fig.data if t.type == "bar")
    kept = list(la.y)
    assert list(area.y) == kept and all(str(t).strip() for t in (*la.text, *area.text))
    notes = [a.text for a in fig.layout.annotations or () if a.text.startswith("Showing")]
    if len(kept) == len(rows):
        assert notes == []
        return
    value = {f"Category {n}": p[0] for n, p in enumerate(rows)}
    dropped = [c for c in value if c not in kept]
    shown_dropped = [round(value[c]) for c in dropped if value[c] is not None]
    for category in kept:
        if value[category] is None:  # hidden: kept only once every shown one is kept
            assert not shown_dropped, (category, shown_dropped)
        else:
            assert all(round(value[category]) >= v for v in shown_dropped)
    more = meetings._words(len(rows) - len(kept))
    assert len(notes) == 1 and f"of {meetings._words(len(rows))}: {more} more" in notes[0]
    # "the largest" only when it is true: no hidden figure kept, and none left out (a [c] may
    # stand for more than a kept 0%)
    assert ("largest" in notes[0]) == all(v is not None for v in value.values())
