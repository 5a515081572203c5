"""Live presentations in the store (insight.sharing.live): the version every change raises, who
may drive, staleness, and two app processes sharing one presentation through the store."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from insight.sharing import live, store
from insight.sharing.access import LOCAL, NotAllowed, Principal

ROOT = Path(__file__).resolve().parents[2]
KEY = live.meeting_key("auto", "E08000028", "whole")
ANA = Principal("ana@provider.example", "analyst", True)
BEN = Principal("ben@provider.example", "analyst", True)
VIC = Principal("vic@council.example", "viewer", True)
pytestmark = pytest.mark.usefixtures("store_engine")


def test_meeting_keys_name_the_saved_meeting_or_the_ready_made_area_and_period():
    assert KEY == "auto:E08000028:whole"
    assert live.meeting_key("12") == "12"
    with pytest.raises(ValueError):
        live.meeting_key("x" * 300)


@pytest.mark.engines("sqlite", "postgresql")  # upsert, locking
def test_every_change_raises_the_version_and_a_no_op_does_not():
    first = live.start(KEY, ANA, total=9)
    assert (first.slide, first.blank, first.others_drive) == (0, False, False)
    moved = live.move(KEY, ANA.user, ANA, total=9, step=1)
    assert moved is not None and (moved.slide, moved.version) == (1, first.version + 1)
    assert live.move(KEY, ANA.user, ANA, total=9, to=0, step=-1).slide == 0  # clamped
    same = live.move(KEY, ANA.user, ANA, total=9, to=0)
    assert same.version == first.version + 2  # to 0 again: nothing changed, no new version
    blanked = live.move(KEY, ANA.user, ANA, total=9, toggle_blank=True)
    assert blanked.blank and blanked.slide == 0 and blanked.version == same.version + 1
    shown = live.move(KEY, ANA.user, ANA, total=9, to=8)  # moving shows the slide again
    assert (shown.slide, shown.blank) == (8, False)
    assert live.move(KEY, ANA.user, ANA, total=9, step=5).slide == 8  # End stays at the end
    assert live.read(KEY, ANA.user) == live.move(KEY, ANA.user, ANA, total=9, step=0)
    assert live.start(KEY, ANA, slide=3, total=9).slide == 8  # running: resumed, not restarted


def test_only_the_presenter_drives_unless_they_let_others():
    live.start("7", ANA, total=5)
    for other in (BEN, VIC, LOCAL):  # another analyst, a viewer, even a data manager
        with pytest.raises(NotAllowed):
            live.move("7", ANA.user, other, total=5, step=1)
        with pytest.raises(NotAllowed):
            live.let_others_drive("7", ANA.user, other, True)
    assert live.read("7", ANA.user).slide == 0  # a refused move changed nothing
    same_person = Principal("ANA@provider.example", "analyst", True)  # another machine
    assert live.move("7", ANA.user, same_person, total=5, step=1).slide == 1
    allowed = live.let_others_drive("7", ANA.user, ANA, True)
    assert allowed.others_drive
    assert live.move("7", ANA.user, VIC, total=5, step=1).slide == 2
    live.let_others_drive("7", ANA.user, ANA, False)
    with pytest.raises(NotAllowed):
        live.move("7", ANA.user, VIC, total=5, step=1)


def test_a_viewer_follows_but_cannot_start_a_presentation():
    with pytest.raises(NotAllowed, match="follow"):
        live.start("8", VIC, total=3)
    assert live.latest("8") is None
    assert live.move("8", VIC.user, VIC, total=3, step=1) is None  # nothing to move


def test_latest_is_the_most_recently_moved_fresh_presentation():
    now = datetime.now(UTC)
    live.start("9", ANA, total=4, now=now - timedelta(minutes=5))
    live.start("9", BEN, total=4, now=now - timedelta(minutes=1))
    assert live.latest("9", now).presenter == BEN.user
    live.move("9", ANA.user, ANA, total=4, step=2, now=now)
    assert live.latest("9", now).presenter == ANA.user
    later = now + live.STALE_AFTER + timedelta(minutes=1)
    assert live.latest("9", later) is None  # yesterday's presentation is nobody's to follow
    again = live.start("9", ANA, slide=1, total=4, now=later)  # a new one: slide 2, new clock
    assert again.slide == 1 and again.started_utc.startswith(later.isoformat()[:16])
    assert (
        timedelta(seconds=89) < again.elapsed(later + timedelta(seconds=90)) < timedelta(seconds=91)
    )


@pytest.mark.engines("sqlite", "postgresql")  # other processes
def test_two_app_processes_share_one_presentation_through_the_store():
    """Another process (its own Python, its own connections) moves the slide; this one reads the
    new slide and version: nothing of the presentation lives in a process's memory."""
    mine = live.start("10", ANA, total=9)
    code = textwrap.dedent(
        f"""
        from insight.sharing import live
        from insight.sharing.access import Principal
        who = Principal({ANA.user!r}, "analyst", True)
        print(live.move("10", who.user, who, total=9, step=3).version)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "INSIGHT_STATE_DIR": str(store.state_dir())},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen = live.read("10", ANA.user)
    assert (seen.slide, seen.version) == (3, mine.version + 1)
    assert int(done.stdout.strip()) == seen.version


# --- what a follower polls: one look at the store serves every window of the process ----------
@pytest.mark.engines("sqlite", "postgresql")  # concurrency
def test_twenty_windows_looking_at_once_cost_the_store_one_query(monkeypatch):
    mine = live.start("20", ANA, total=9)
    queries = []
    real = store.connect

    def counted():
        queries.append(1)
        return real()

    monkeypatch.setattr(store, "connect", counted)
    clock = [1000.0]
    monkeypatch.setattr(live, "_clock", lambda: clock[0])
    live._seen.clear()
    seen = [live.watch("20", ANA.user) for _ in range(20)]
    assert len(queries) == 1 and {s.version for s in seen} == {mine.version}
    clock[0] += live.SEEN_FOR / 2
    assert live.watch("20", ANA.user).version == mine.version and len(queries) == 1
    clock[0] += live.SEEN_FOR  # the look is old: the next one asks the store again
    assert live.watch("20", ANA.user).version == mine.version and len(queries) == 2


@pytest.mark.engines("sqlite", "postgresql")  # other processes
def test_a_move_in_this_process_is_seen_at_once_and_another_process_within_seen_for(monkeypatch):
    clock = [5000.0]
    monkeypatch.setattr(live, "_clock", lambda: clock[0])
    started = live.start("21", ANA, total=9)
    assert live.watch("21", ANA.user).version == started.version
    assert live.watch("21").presenter == ANA.user  # the meeting's latest, from the same look
    moved = live.move("21", ANA.user, ANA, total=9, step=1)
    assert live.watch("21", ANA.user) == moved and live.watch("21") == moved  # no wait
    # Another process writes the store behind this one's back (what live.move does there).
    with store.transaction() as conn:
        conn.execute(
            text("UPDATE live_slides SET slide = 5, version = version + 1 WHERE meeting = '21'")
        )
    assert live.watch("21", ANA.user).slide == 1  # this process's last look, still fresh
    clock[0] += live.SEEN_FOR
    later = live.watch("21", ANA.user)
    assert (later.slide, later.version) == (5, moved.version + 1)
    nothing = live.move("21", ANA.user, ANA, total=9, to=5)  # changes nothing
    assert nothing.version == later.version and live.watch("21").version == later.version


def test_a_look_that_ends_after_a_move_in_this_process_does_not_take_the_move_back(monkeypatch):
    """A window's look at the store that began before a move made in this process and ended
    after it (two threads) found the old state: the windows keep seeing the move, never go back
    to the slide before it."""
    clock = [9000.0]
    monkeypatch.setattr(live, "_clock", lambda: clock[0])
    started = live.start("22", ANA, total=9)
    clock[0] += live.SEEN_FOR  # the start's remembered state is old: the next watch looks
    real = live.read
    moved: list[live.Live] = []

    def slow_read(meeting: str, presenter: str) -> live.Live | None:
        found = real(meeting, presenter)  # the old state, read before the move...
        moved.append(live.move("22", ANA.user, ANA, total=9, step=1))  # ...which lands now
        return found

    monkeypatch.setattr(live, "read", slow_read)
    seen = live.watch("22", ANA.user)
    assert moved[0].version == started.version + 1
    assert seen == moved[0] and live.watch("22", ANA.user) == moved[0]
    # another presenter's state under the meeting's latest key is not "newer"
    assert not live._newer(moved[0], live.start("22", BEN, total=9))
