"""Live presentations: which slide a meeting's presenter is on, kept in the store, so that every
window following them (the audience window on the projector, the presenter view on the laptop,
a colleague's machine) shows the same slide, whichever browser session or app process it is in.

One row a meeting and presenter (`live_slides` in insight.sharing.store): the slide (0-based),
whether the screen is blanked, whether the presenter lets others drive, a version that every
change raises, and when the presentation started. A window reads its row with one SELECT on the
primary key and redraws only when the version moved: nothing lives in a process's memory that
another window needs. A follower looks often (`watch`): the windows of one process share one
look at the store for SEEN_FOR seconds, and a change made in the process is seen by them at once,
so twenty people following one meeting cost the store no more than one.

Who may drive: the presenter themself (the same person signed in anywhere, their role allowing
meetings), and anyone else only while the presenter lets others drive. `move` checks it inside
the write's own transaction, so a refused move changes nothing.

Pure: no streamlit import.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Row, select

from insight.sharing import store
from insight.sharing.access import ROLE_LABELS, NotAllowed, Principal
from insight.sharing.store.schema import live_slides as table

# A presentation left alone this long is over: opening the meeting again starts a new one (the
# first slide, or the link's, and a new clock) instead of resuming yesterday's place.
STALE_AFTER = timedelta(hours=6)
MAX_KEY = 200  # characters of a meeting key or a presenter's name

_COLUMNS = [
    table.c[name]
    for name in (
        "meeting", "presenter", "slide", "blank", "others_drive", "version", "started_utc",
        "updated_utc",
    )
]  # fmt: skip


@dataclass(frozen=True)
class Live:
    meeting: str
    presenter: str
    slide: int  # 0-based
    blank: bool
    others_drive: bool
    version: int
    started_utc: str
    updated_utc: str

    def elapsed(self, now: datetime | None = None) -> timedelta:
        """How long since the presentation started."""
        now = now or datetime.now(UTC)
        return max(timedelta(0), now - datetime.fromisoformat(self.started_utc))

    def stale(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return now - datetime.fromisoformat(self.updated_utc) > STALE_AFTER


def meeting_key(meeting: str, la: str = "all", period: str = "whole") -> str:
    """The key a meeting's live state is kept under: a saved meeting's id, or the ready-made
    meeting's area and period ("auto:E08000028:whole")."""
    key = f"auto:{la}:{period}" if meeting == "auto" else str(meeting)
    return _checked("meeting", key)


def _checked(name: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_KEY:
        raise ValueError(f"{name} must be short text")
    return value


def _norm(user: str) -> str:
    return user.strip().casefold()


def is_presenter(by: Principal, presenter: str) -> bool:
    """Whether `by` is this presentation's presenter: the same person (address, letter case
    aside) with a role that may run meetings."""
    return by.may("meetings") and _norm(by.user) == _norm(presenter)


def may_drive(by: Principal, live: Live) -> bool:
    """The presenter may always move their slides; anyone else only while they allow it."""
    return is_presenter(by, live.presenter) or live.others_drive


def _row(row: Row | None) -> Live | None:
    if row is None:
        return None
    meeting, presenter, slide, blank, others, version, started, updated = row
    return Live(
        meeting, presenter, int(slide), bool(blank), bool(others), int(version), started, updated
    )


def read(meeting: str, presenter: str) -> Live | None:
    """The presentation's state: one SELECT on the primary key (what a follower polls)."""
    with store.connect() as conn:
        return _get(conn, meeting, presenter)


def latest(meeting: str, now: datetime | None = None) -> Live | None:
    """The meeting's most recently moved presentation that is not stale, whoever gives it: what
    a window follows when it is not its own presenter's and names nobody."""
    with store.connect() as conn:
        row = conn.execute(
            select(*_COLUMNS)
            .where(table.c.meeting == meeting)
            .order_by(table.c.updated_utc.desc())
            .limit(1)
        ).first()
    live = _row(row)
    return None if live is None or live.stale(now) else live


def _get(conn: Connection, meeting: str, presenter: str, *, lock: bool = False) -> Live | None:
    """The row; `lock`: inside a write, held until it ends (FOR UPDATE on PostgreSQL; SQLite's
    write transaction holds the whole file)."""
    query = select(*_COLUMNS).where(table.c.meeting == meeting, table.c.presenter == presenter)
    return _row(conn.execute(query.with_for_update() if lock else query).first())


def _where(meeting: str, presenter: str) -> ColumnElement[bool]:
    return (table.c.meeting == meeting) & (table.c.presenter == presenter)


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).isoformat(timespec="milliseconds")


def start(
    meeting: str, by: Principal, *, slide: int = 0, total: int, now: datetime | None = None
) -> Live:
    """`by`'s own presentation of the meeting: the one running (not stale) as it is, else a new
    one at `slide` with its clock starting now. Raises NotAllowed for a role without meetings."""
    if not by.may("meetings"):
        role = ROLE_LABELS.get(by.role, by.role)
        raise NotAllowed(f"As {role} you can follow a presentation, not give one.")
    meeting, presenter = _checked("meeting", meeting), _checked("presenter", by.user.strip())
    stamp = _stamp(now)
    with store.transaction() as conn:
        found = _get(conn, meeting, presenter, lock=True)
        if found is None or found.stale(now):
            place = max(0, min(max(total, 1) - 1, int(slide)))
            version = found.version + 1 if found else 1
            values = dict(
                meeting=meeting,
                presenter=presenter,
                slide=place,
                blank=0,
                others_drive=0,
                version=version,
                started_utc=stamp,
                updated_utc=stamp,
            )
            store.db.upsert(conn, table, values, ["meeting", "presenter"])
            found = _get(conn, meeting, presenter)
    assert found is not None
    _remember(found)
    return found


def move(
    meeting: str,
    presenter: str,
    by: Principal,
    *,
    total: int,
    to: int | None = None,
    step: int = 0,
    blank: bool | None = None,
    toggle_blank: bool = False,
    now: datetime | None = None,
) -> Live | None:
    """Move the presentation (to a slide, or by `step`), blank or unblank its screen. Moving to
    another slide shows it (unblanks). None when there is no such presentation; raises NotAllowed
    when `by` may not drive it. Every change raises the version by one; a move that changes
    nothing (Next on the last slide) leaves the row as it was."""
    with store.transaction() as conn:
        found = _get(conn, meeting, presenter, lock=True)
        if found is None:
            return None
        if not may_drive(by, found):
            raise NotAllowed("Only the presenter can move these slides.")
        last = max(total, 1) - 1
        slide = max(0, min(last, (found.slide if to is None else int(to)) + step))
        shown = found.blank
        if toggle_blank:
            shown = not found.blank
        elif blank is not None:
            shown = blank
        elif slide != found.slide:
            shown = False
        changed = (slide, shown) != (found.slide, found.blank)
        if changed:
            conn.execute(
                table.update()
                .where(_where(meeting, presenter))
                .values(
                    slide=slide,
                    blank=int(shown),
                    version=table.c.version + 1,
                    updated_utc=_stamp(now),
                )
            )
            found = _get(conn, meeting, presenter)
    if changed:
        _remember(found)
    return found


def let_others_drive(
    meeting: str, presenter: str, by: Principal, allowed: bool, *, now: datetime | None = None
) -> Live | None:
    """The presenter lets others move the slides, or stops them. Only the presenter may; None
    when there is no such presentation."""
    if not is_presenter(by, presenter):
        raise NotAllowed("Only the presenter can let others drive.")
    with store.transaction() as conn:
        conn.execute(
            table.update()
            .where(_where(meeting, presenter))
            .values(others_drive=int(allowed), version=table.c.version + 1, updated_utc=_stamp(now))
        )
        found = _get(conn, meeting, presenter)
    _remember(found)
    return found


# --- what this process has seen ------------------------------------------------------------
SEEN_FOR = 0.1  # seconds a look at the store serves every window of this process
_SEEN_KEEP = 1_000  # presentations remembered at most (the oldest looks are forgotten first)
_seen: dict[tuple[str, str | None], tuple[float, Live | None]] = {}
_seen_lock = threading.Lock()
_clock = time.monotonic  # tests replace it


def _remember(found: Live | None) -> None:
    """A change this process made: every window of the process sees it at the next look."""
    if found is None:
        return
    with _seen_lock:
        at = _clock()
        _seen[found.meeting, found.presenter] = (at, found)
        _seen[found.meeting, None] = (at, found)  # just moved: the meeting's latest
        if len(_seen) > _SEEN_KEEP:
            for key, _ in sorted(_seen.items(), key=lambda kv: kv[1][0])[: len(_seen) // 2]:
                del _seen[key]


def watch(meeting: str, presenter: str | None = None) -> Live | None:
    """`read(meeting, presenter)`, or `latest(meeting)` when presenter is None, as a follower
    polls it: one look at the store serves every window of this process for SEEN_FOR seconds.
    A change made in this process is seen at once; one made in another process (two app
    processes behind one address) within SEEN_FOR."""
    key = (meeting, presenter)
    with _seen_lock:
        got = _seen.get(key)
        if got is not None and _clock() - got[0] < SEEN_FOR:
            return got[1]
    found = latest(meeting) if presenter is None else read(meeting, presenter)
    with _seen_lock:
        kept = _seen.get(key)
        if _newer(kept[1] if kept else None, found):
            # A move made in this process while this look was on its way is newer than what
            # the look found: it stays (else the windows would see the presentation go back).
            assert kept is not None
            found = kept[1]
        _seen[key] = (_clock(), found)
    return found


def _newer(kept: Live | None, found: Live | None) -> bool:
    """Whether `kept` is a later state of the presentation `found` is (same meeting and
    presenter, a higher version)."""
    return (
        kept is not None
        and found is not None
        and (kept.meeting, kept.presenter) == (found.meeting, found.presenter)
        and kept.version > found.version
    )


__all__ = [
    "SEEN_FOR",
    "STALE_AFTER",
    "Live",
    "is_presenter",
    "latest",
    "let_others_drive",
    "may_drive",
    "meeting_key",
    "move",
    "read",
    "start",
    "watch",
]
