"""Meetings have owners (issue 12 item 4): who made a meeting is kept; an analyst changes only
their own meetings and their slides, a data manager any, a viewer none; a copy belongs to whoever
copied it; ids are never given again; a file from before (schema 2 to 4) keeps its meetings and
their slides when it gains the owner column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from insight.outputs import meetings
from insight.sharing import store
from insight.sharing.access import LOCAL_USER, NotAllowed, Principal
from tests.unit.legacy_store import old_file

ANA = Principal("ana@provider.example", "analyst", True)
BEN = Principal("ben@provider.example", "analyst", True)
BOSS = Principal("boss@provider.example", "data_manager", True)
VIEW = Principal("view@provider.example", "viewer", True)
SANDWELL = "E08000028"
pytestmark = pytest.mark.usefixtures("store_engine")


def _meeting(name: str, by: Principal | None, charts=("barriers", "services", "provision")):
    made = store.create_meeting(name, "2026-03-12", by=by)
    for chart in charts:
        store.add_meeting_item(made.id, chart=chart, la=SANDWELL, period="whole", by=by)
    return made, store.meeting_items(made.id, by=None)


def _snapshot(meeting_id: int) -> tuple:
    meeting = store.get_meeting(meeting_id)
    items = store.meeting_items(meeting_id, by=None)
    return (
        (meeting.name, meeting.held_on, meeting.owner) if meeting else None,
        [(i.id, i.position, i.chart, i.notes) for i in items],
    )


def _every_change(meeting_id: int, by: Principal) -> dict[str, object]:
    """Each write on a meeting, as `by`: what it returned, or the exception it raised."""
    items = store.meeting_items(meeting_id, by=None)
    first, last = items[0].id, items[-1].id
    writes = {  # in an order where each still applies when the ones before succeeded
        "reorder": lambda: store.reorder_meeting(
            meeting_id, [last, first, *(i.id for i in items[1:-1])], by=by
        ),
        "move": lambda: store.move_meeting_item(first, 1, by=by),
        "notes": lambda: store.update_meeting_item(first, notes="Mine now", by=by),
        "rename": lambda: store.update_meeting(
            meeting_id, name="Taken over", held_on="2026-05-01", by=by
        ),
        "remove": lambda: store.delete_meeting_item(last, by=by),
        "add": lambda: store.add_meeting_item(
            meeting_id, chart="ask", la="all", period="whole", by=by
        ),
        "delete": lambda: store.delete_meeting(meeting_id, by=by),
    }
    outcome: dict[str, object] = {}
    for name, write in writes.items():
        try:
            outcome[name] = write()
        except NotAllowed as refused:
            outcome[name] = refused
    return outcome


def test_a_meeting_belongs_to_who_made_it():
    assert store.create_meeting("Laptop", "2026-01-01").owner == LOCAL_USER
    assert store.create_meeting("Ana's", "2026-01-01", by=ANA).owner == ANA.user
    assert store.create_meeting("Boss's", "2026-01-01", by=BOSS).owner == BOSS.user
    assert [m.owner for m in store.list_meetings(by=None)] == [BOSS.user, ANA.user, LOCAL_USER]


def test_an_analyst_changes_none_of_anothers_meeting_and_nothing_moves():
    bens, _ = _meeting("Ben's board", BEN)
    before = _snapshot(bens.id)
    outcome = _every_change(bens.id, ANA)
    for name, result in outcome.items():
        assert isinstance(result, NotAllowed), name
        assert "made by ben@provider.example" in str(result), name
    assert _snapshot(bens.id) == before, "a refused write changes nothing"


def test_an_analyst_changes_all_of_their_own_meeting():
    anas, items = _meeting("Ana's board", ANA)
    outcome = _every_change(anas.id, ANA)
    assert not [n for n, r in outcome.items() if isinstance(r, NotAllowed)]
    assert outcome["rename"] is True and outcome["delete"] is True
    assert isinstance(outcome["add"], store.MeetingItem)
    assert store.get_meeting(anas.id) is None and store.meeting_items(anas.id, by=None) == []


def test_an_analysts_own_writes_land_before_the_delete():
    anas, items = _meeting("Ana's board", ANA)
    a, b, c = (i.id for i in items)
    assert store.update_meeting(anas.id, name="Renamed", held_on="2026-04-01", by=ANA)
    assert store.reorder_meeting(anas.id, [c, a, b], by=ANA)
    assert store.update_meeting_item(a, notes="Start here", by=ANA)
    assert store.delete_meeting_item(b, by=ANA)
    assert store.add_meeting_item(anas.id, chart="ask", la="all", period="whole", by=ANA)
    assert _snapshot(anas.id) == (
        ("Renamed", "2026-04-01", ANA.user),
        [(c, 0, "provision", ""), (a, 1, "barriers", "Start here"), (a + 3, 2, "ask", "")],
    )


def test_a_data_manager_changes_anyones_meeting_and_the_owner_stays():
    for owner in (ANA, None):
        made, _ = _meeting("Someone's board", owner)
        outcome = _every_change(made.id, BOSS)
        assert not [n for n, r in outcome.items() if isinstance(r, NotAllowed)]
        assert outcome["rename"] is True and outcome["delete"] is True
    bens, _ = _meeting("Ben's board", BEN)
    assert store.update_meeting(bens.id, name="Boss renamed", held_on="2026-01-01", by=BOSS)
    assert store.get_meeting(bens.id).owner == BEN.user, "editing never changes the owner"


def test_a_viewer_makes_copies_and_changes_nothing():
    anas, _ = _meeting("Ana's board", ANA)
    before = _snapshot(anas.id)
    for name, result in _every_change(anas.id, VIEW).items():
        assert isinstance(result, NotAllowed), name
    with pytest.raises(NotAllowed, match="viewer"):
        store.create_meeting("Viewer's", "2026-01-01", by=VIEW)
    with pytest.raises(NotAllowed, match="viewer"):
        store.duplicate_meeting(anas.id, by=VIEW)
    assert _snapshot(anas.id) == before
    assert [m.id for m in store.list_meetings(by=None)] == [anas.id]


def test_a_copy_belongs_to_whoever_copied_it():
    bens, items = _meeting("Ben's board", BEN)
    store.update_meeting_item(items[0].id, notes="Ben's note", by=BEN)
    copy = store.duplicate_meeting(bens.id, by=ANA)
    assert (copy.name, copy.owner) == ("Ben's board (copy)", ANA.user)
    assert [(i.chart, i.notes) for i in store.meeting_items(copy.id, by=None)] == [
        ("barriers", "Ben's note"),
        ("services", ""),
        ("provision", ""),
    ]
    assert store.update_meeting(copy.id, name="Ana's now", held_on="2026-01-01", by=ANA)
    with pytest.raises(NotAllowed):
        store.update_meeting(copy.id, name="Ben's again", held_on="2026-01-01", by=BEN)
    assert store.get_meeting(bens.id).owner == BEN.user, "the original stays Ben's"
    assert store.duplicate_meeting(bens.id + 99, by=ANA) is None


def test_a_gone_meeting_or_slide_is_false_not_refused():
    anas, items = _meeting("Ana's board", ANA)
    assert store.delete_meeting(anas.id, by=ANA)
    assert store.delete_meeting(anas.id, by=BEN) is False, "nothing left to refuse"
    assert store.update_meeting(anas.id, name="x", held_on="2026-01-01", by=BEN) is False
    assert store.add_meeting_item(anas.id, chart="ask", la="all", period="whole", by=ANA) is None
    assert store.delete_meeting_item(items[0].id, by=ANA) is False
    assert store.update_meeting_item(items[0].id, notes="x", by=ANA) is False
    assert store.move_meeting_item(items[0].id, 1, by=ANA) is False


@pytest.mark.engines("sqlite", "postgresql")  # ids
def test_deleted_meeting_and_slide_ids_are_never_given_again():
    first, items = _meeting("First", ANA)
    store.delete_meeting(first.id, by=BOSS)
    second, again = _meeting("Second", ANA)
    assert second.id == first.id + 1
    assert min(i.id for i in again) == max(i.id for i in items) + 1


def test_the_ready_made_meeting_is_made_whole_and_owned(sample_dir: Path):
    from insight.intake.load import load_dataset

    ds = load_dataset(sample_dir)
    ready = meetings.ready_made(ds, SANDWELL, "whole")
    made = store.create_meeting("Partnership meeting: Sandwell", "2026-03-12", items=ready, by=ANA)
    assert made.owner == ANA.user
    saved = store.meeting_items(made.id, by=None)
    assert [(i.chart, i.la, i.period, i.position) for i in saved] == [
        (r.chart, r.la, r.period, n) for n, r in enumerate(ready)
    ]
    bad = [*ready[:2], meetings.Item("", SANDWELL, "whole")]  # a slide with no chart
    with pytest.raises(ValueError, match="chart is required"):
        store.create_meeting("Half made", "2026-03-12", items=bad, by=ANA)
    assert [m.id for m in store.list_meetings(by=None)] == [made.id], "all of it, or none of it"


# --- an older file gains meeting owners ---------------------------------------------------------
# As the app made them before meetings had owners (tests/unit/legacy_store.py): version 4 (owned
# log and insights, meetings without an owner) and version 2 of the meetings branch (nothing
# owned, ids reusable in the log and the insights). Meetings 3 and 5 with slides 11 to 13, and
# meeting 9 deleted, so the AUTOINCREMENT counter remembers 9.


@pytest.mark.engines("sqlite")
@pytest.mark.parametrize("version", [4, 2], ids=["version 4", "version 2 (meetings)"])
def test_an_older_file_keeps_its_meetings_and_slides_and_gains_owners(
    version, tmp_path, monkeypatch
):
    state = tmp_path / "old"
    state.mkdir()
    path = old_file(state / store.DB_NAME, version)
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(state))
    store._ready.discard(path)

    assert [(m.id, m.name, m.updated_utc, m.owner) for m in store.list_meetings(by=None)] == [
        (5, "Dudley board", "u5", LOCAL_USER),
        (3, "Sandwell board", "u3", LOCAL_USER),
    ]
    assert [(i.id, i.position, i.chart, i.notes) for i in store.meeting_items(3, by=None)] == [
        (11, 0, "barriers", "n1"),
        (12, 1, "ask", ""),
    ]
    assert [(i.id, i.chart, i.notes) for i in store.meeting_items(5, by=None)] == [
        (13, "provision", "n3")
    ]
    assert store.get_insight(3).text == "kept 3 😀"
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 5
        [fk] = check.execute("PRAGMA foreign_key_list(meeting_items)").fetchall()
        assert (fk[2], fk[3], fk[4], fk[6]) == ("meetings", "meeting_id", "id", "CASCADE"), (
            "the slides still refer to the meetings table itself"
        )
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert not any("before" in t or t.endswith("_v1") for t in tables)
    # The upgraded file works as a new one: owners checked, ids not given again, cascade kept.
    with pytest.raises(NotAllowed):
        store.delete_meeting(3, by=ANA)
    assert store.create_meeting("After the upgrade", "2026-06-01", by=ANA).id == 10
    with store._write() as conn:
        conn.execute(text("DELETE FROM meetings WHERE id = 5"))  # no code path: the cascade alone
    assert store.meeting_items(5, by=None) == [] and store.get_meeting_item(13, by=None) is None
    assert store.integrity_check() == "ok"

    # Idempotent: a second start changes nothing.
    store._ready.discard(path)
    assert sorted(m.id for m in store.list_meetings(by=None)) == [3, 10]
    with sqlite3.connect(path) as check:
        columns = [row[1] for row in check.execute("PRAGMA table_info(meetings)")]
        assert columns.count("owner") == 1


@pytest.mark.engines("sqlite")
def test_a_new_file_makes_meetings_with_owners_and_slides_that_cascade(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    made, _ = _meeting("Fresh", BEN)
    with sqlite3.connect(tmp_path / store.DB_NAME) as check:
        assert "owner" in [row[1] for row in check.execute("PRAGMA table_info(meetings)")]
        [fk] = check.execute("PRAGMA foreign_key_list(meeting_items)").fetchall()
        assert fk[2] == "meetings"
    assert store.get_meeting(made.id).owner == BEN.user


# --- reading: a viewer follows a meeting, never lists them or reads their notes (issue 30) -----
VISITOR = Principal("visitor", "viewer")  # served beyond the machine without sign-in
NOTE = "Ask the council about the bus contract before the slide on barriers"


@pytest.mark.parametrize("viewer", [VIEW, VISITOR], ids=["signed-in", "visitor"])
def test_a_viewer_cannot_list_meetings_or_read_notes_but_follows_one_by_id(viewer) -> None:
    made, _ = _meeting("Sandwell board", ANA, charts=("barriers",))
    (item,) = store.meeting_items(made.id, by=ANA)
    assert store.update_meeting_item(item.id, notes=NOTE, by=ANA)
    with pytest.raises(NotAllowed, match="cannot list the saved meetings"):
        store.list_meetings(by=viewer)
    followed = store.get_meeting(made.id)  # the link it was shown: ?meeting=<id>
    assert followed is not None and followed.name == "Sandwell board"
    slides = store.meeting_items(made.id, by=viewer)
    assert [(i.id, i.chart, i.la, i.notes) for i in slides] == [(item.id, "barriers", SANDWELL, "")]
    assert store.get_meeting_item(item.id, by=viewer).notes == ""
    # who may: the owner, another analyst, a data manager, the app's own code (by=None)
    for reader in (ANA, BEN, BOSS, None):
        assert [m.id for m in store.list_meetings(by=reader)] == [made.id]
        assert [i.notes for i in store.meeting_items(made.id, by=reader)] == [NOTE]
        assert store.get_meeting_item(item.id, by=reader).notes == NOTE


def test_the_readers_are_named_at_every_call() -> None:
    """No default reader: a caller that forgets to say who reads fails at once instead of
    showing a viewer the notes (the slides pages are changed by other hands too)."""
    with pytest.raises(TypeError):
        store.list_meetings()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        store.meeting_items(1)  # type: ignore[call-arg]
