"""Meetings: a named, dated running order of slides (a chart, an LA and a period each, with the
presenter's speaker notes). A meeting's slides belong to it: changing one is changing the
meeting, checked against the meeting's owner, and the meeting's row stays locked until the
change is committed, so two people editing one running order queue rather than interleave."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from sqlalchemy import Connection, Row, func, literal, select

from insight.sharing.access import LOCAL_USER, ROLE_LABELS, NotAllowed, Principal
from insight.sharing.store import db
from insight.sharing.store.schema import meeting_items as items_table
from insight.sharing.store.schema import meetings as table


@dataclass(frozen=True)
class Meeting:
    id: int
    created_utc: str
    updated_utc: str
    name: str
    held_on: str  # ISO date
    owner: str = LOCAL_USER  # who made it: the signed-in e-mail address, or "local user"


@dataclass(frozen=True)
class MeetingItem:
    id: int
    meeting_id: int
    position: int  # 0-based place in the running order
    chart: str  # a chart key of insight.numbers.catalogue
    la: str  # an LA code, or "all"
    period: str  # a period key of insight.core.periods.PERIODS
    notes: str  # the presenter's own speaker notes


class SlideSpec(Protocol):
    """What a new slide needs (insight.outputs.meetings.Item has it)."""

    @property
    def chart(self) -> str: ...
    @property
    def la(self) -> str: ...
    @property
    def period(self) -> str: ...


_COLUMNS = [table.c[name] for name in Meeting.__dataclass_fields__]
_ITEM_COLUMNS = [items_table.c[name] for name in MeetingItem.__dataclass_fields__]
_SLIDE_FIELDS = ("chart", "la", "period", "notes")


def _day(value: date | str) -> str:
    day = value if isinstance(value, str) else value.isoformat()
    date.fromisoformat(day)  # raises ValueError on a bad date
    return day


def _touch(conn: Connection, meeting_id: int) -> bool:
    result = conn.execute(
        table.update().where(table.c.id == int(meeting_id)).values(updated_utc=db.now_utc())
    )
    return result.rowcount == 1


def _item_values(chart: str, la: str, period: str, notes: str) -> dict[str, str]:
    values = (
        db._text("chart", chart, required=True),
        db._text("la", la, required=True),
        db._text("period", period, required=True),
        db._text("notes", notes),
    )
    return dict(zip(_SLIDE_FIELDS, values, strict=True))


def _append(conn: Connection, meeting_id: int, values: dict[str, str]) -> int:
    """Put a slide at the end of a meeting's running order; its new id."""
    last = conn.execute(
        select(func.coalesce(func.max(items_table.c.position), -1)).where(
            items_table.c.meeting_id == int(meeting_id)
        )
    ).scalar_one()
    new_id = db.insert_id(
        conn,
        items_table.insert().values(meeting_id=int(meeting_id), position=int(last) + 1, **values),
    )
    return int(new_id)


def _item_meeting(conn: Connection, item_id: int) -> int | None:
    found = conn.execute(
        select(items_table.c.meeting_id).where(items_table.c.id == int(item_id))
    ).scalar()
    return None if found is None else int(found)


def create_meeting(
    name: str,
    held_on: date | str,
    *,
    items: Sequence[SlideSpec] = (),
    by: Principal | None = None,
) -> Meeting:
    """A new meeting owned by `by` (whose role must allow meetings) or the local user, with
    `items` as its running order (the ready-made meeting), all in one transaction. Ids are never
    reused, so a link to a deleted meeting never opens another one."""
    name = db._text("meeting name", name, required=True).strip()
    day = _day(held_on)
    slides = [_item_values(i.chart, i.la, i.period, "") for i in items]
    owner = db._owner(by, "meetings")
    stamp = db.now_utc()
    with db._write() as conn:
        new_id = int(
            db.insert_id(
                conn,
                table.insert().values(
                    created_utc=stamp, updated_utc=stamp, name=name, held_on=day, owner=owner
                ),
            )
        )
        for slide in slides:
            _append(conn, new_id, slide)
    return get_meeting(new_id)  # type: ignore[return-value]


def update_meeting(
    meeting_id: int, *, name: str, held_on: date | str, by: Principal | None = None
) -> bool:
    """Rename a meeting or change its date. False when there is no such meeting; raises
    insight.sharing.access.NotAllowed when `by` may not change it. The owner never changes."""
    name = db._text("meeting name", name, required=True).strip()
    day = _day(held_on)
    with db._write() as conn:
        if not db.check_owner(conn, table.name, meeting_id, by):
            return False
        result = conn.execute(
            table.update()
            .where(table.c.id == int(meeting_id))
            .values(updated_utc=db.now_utc(), name=name, held_on=day)
        )
        return result.rowcount == 1


def duplicate_meeting(
    meeting_id: int, name: str | None = None, *, by: Principal | None = None
) -> Meeting | None:
    """A copy of the meeting and its running order under a new id ("<name> (copy)" unless
    named), owned by whoever copies it (`by`, whose role must allow meetings: anyone who may
    read a meeting may copy it). None when there is no such meeting."""
    owner = db._owner(by, "meetings")
    stamp = db.now_utc()
    with db._write() as conn:
        original = conn.execute(
            select(table.c.name, table.c.held_on).where(table.c.id == int(meeting_id))
        ).first()
        if original is None:
            return None
        new_name = db._text("meeting name", name or f"{original[0]} (copy)", required=True)
        new_id = int(
            db.insert_id(
                conn,
                table.insert().values(
                    created_utc=stamp,
                    updated_utc=stamp,
                    name=new_name.strip(),
                    held_on=original[1],
                    owner=owner,
                ),
            )
        )
        copied = ("position", *_SLIDE_FIELDS)
        conn.execute(
            items_table.insert().from_select(
                ["meeting_id", *copied],
                select(literal(new_id), *(items_table.c[c] for c in copied))
                .where(items_table.c.meeting_id == int(meeting_id))
                .order_by(items_table.c.position),
            )
        )
    return get_meeting(new_id)


def delete_meeting(meeting_id: int, *, by: Principal | None = None) -> bool:
    """Delete a meeting and its running order. False when it is already gone; raises
    insight.sharing.access.NotAllowed when `by` may not delete it. Its id is never given
    again."""
    with db._write() as conn:
        if not db.check_owner(conn, table.name, meeting_id, by):
            return False
        # its slides go with it: meeting_items' foreign key cascades
        result = conn.execute(table.delete().where(table.c.id == int(meeting_id)))
        return result.rowcount == 1


def get_meeting(meeting_id: int) -> Meeting | None:
    with db.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(table.c.id == int(meeting_id))).first()
    return Meeting(*row) if row else None


def _reads_meetings(by: Principal | None) -> bool:
    """Whether `by` may list meetings and read speaker notes (None: the app's own code and the
    command line, which run as the local user)."""
    return by is None or by.may("meetings")


def list_meetings(*, by: Principal | None) -> list[Meeting]:
    """Meetings, the most recently changed first: everyone's (reading is open to every role
    that reaches meetings; insight.sharing.access.may_change says which this person may edit).
    `by` is who asks, and must be given: a role without meetings (a viewer) may not list them
    (NotAllowed). A viewer follows a meeting it was shown by its id (get_meeting), and reads its
    slides without their speaker notes (meeting_items)."""
    if not _reads_meetings(by):
        assert by is not None
        role = ROLE_LABELS.get(by.role, by.role)
        raise NotAllowed(f"As {role} you cannot list the saved meetings.")
    with db.connect() as conn:
        rows = conn.execute(
            select(*_COLUMNS).order_by(table.c.updated_utc.desc(), table.c.id.desc())
        ).all()
    return [Meeting(*row) for row in rows]


def add_meeting_item(
    meeting_id: int,
    *,
    chart: str,
    la: str,
    period: str,
    notes: str = "",
    by: Principal | None = None,
) -> MeetingItem | None:
    """Add a chart to the end of a meeting's running order. None when there is no such
    meeting (deleted meanwhile); raises insight.sharing.access.NotAllowed when `by` may not
    change the meeting."""
    values = _item_values(chart, la, period, notes)
    with db._write() as conn:
        if not db.check_owner(conn, table.name, meeting_id, by):
            return None
        _touch(conn, meeting_id)
        new_id = _append(conn, meeting_id, values)
    return get_meeting_item(new_id, by=None)  # what its writer just wrote


def _item(row: Row, by: Principal | None) -> MeetingItem:
    """A slide as `by` may read it: without its speaker notes for a role without meetings."""
    item = MeetingItem(*row)
    return item if _reads_meetings(by) else replace(item, notes="")


def get_meeting_item(item_id: int, *, by: Principal | None) -> MeetingItem | None:
    """One slide, its notes blank unless `by` may read meetings (see meeting_items)."""
    with db.connect() as conn:
        row = conn.execute(select(*_ITEM_COLUMNS).where(items_table.c.id == int(item_id))).first()
    return _item(row, by) if row else None


def _order(conn: Connection, meeting_id: int) -> list[int]:
    return [
        int(i)
        for i in conn.execute(
            select(items_table.c.id)
            .where(items_table.c.meeting_id == int(meeting_id))
            .order_by(items_table.c.position, items_table.c.id)
        ).scalars()
    ]


def meeting_items(meeting_id: int, *, by: Principal | None) -> list[MeetingItem]:
    """A meeting's running order, first slide first. `by` is who reads, and must be given: a
    role without meetings (a viewer following a meeting it was shown by its id) gets the slides
    with their speaker notes blank, so no page can show them."""
    with db.connect() as conn:
        rows = conn.execute(
            select(*_ITEM_COLUMNS)
            .where(items_table.c.meeting_id == int(meeting_id))
            .order_by(items_table.c.position, items_table.c.id)
        ).all()
    return [_item(row, by) for row in rows]


def _place(conn: Connection, order: Sequence[int]) -> None:
    for position, item_id in enumerate(order):
        conn.execute(
            items_table.update().where(items_table.c.id == int(item_id)).values(position=position)
        )


def reorder_meeting(
    meeting_id: int, item_ids: Sequence[int], *, by: Principal | None = None
) -> bool:
    """Put the running order in the order of `item_ids`, which must name every item of the
    meeting exactly once (else ValueError, and nothing changes). False when there is no such
    meeting; raises insight.sharing.access.NotAllowed when `by` may not change it."""
    with db._write() as conn:
        if not db.check_owner(conn, table.name, meeting_id, by):
            return False
        current = set(_order(conn, meeting_id))
        wanted = [int(i) for i in item_ids]
        if len(wanted) != len(set(wanted)) or set(wanted) != current:
            raise ValueError("the new order must list every slide of the meeting exactly once")
        _touch(conn, meeting_id)
        _place(conn, wanted)
    return True


def move_meeting_item(item_id: int, steps: int, *, by: Principal | None = None) -> bool:
    """Move one slide up (negative) or down (positive) the running order, stopping at its ends.
    False when there is no such item; raises insight.sharing.access.NotAllowed when `by` may not
    change its meeting."""
    item = get_meeting_item(item_id, by=None)
    if item is None:
        return False
    order = [i.id for i in meeting_items(item.meeting_id, by=None)]
    at = order.index(item_id)
    order.insert(max(0, min(len(order) - 1, at + steps)), order.pop(at))
    try:
        return reorder_meeting(item.meeting_id, order, by=by)
    except ValueError:
        return False  # a slide was added or removed meanwhile: the page shows the new order


def update_meeting_item(item_id: int, *, notes: str, by: Principal | None = None) -> bool:
    """Replace a slide's speaker notes. False when there is no such slide; raises
    insight.sharing.access.NotAllowed when `by` may not change its meeting."""
    value = db._text("notes", notes)
    with db._write() as conn:
        meeting_id = _item_meeting(conn, item_id)
        if meeting_id is None or not db.check_owner(conn, table.name, meeting_id, by):
            return False
        result = conn.execute(
            items_table.update().where(items_table.c.id == int(item_id)).values(notes=value)
        )
        return result.rowcount == 1


def delete_meeting_item(item_id: int, *, by: Principal | None = None) -> bool:
    """Take one slide out of its running order; the others close up. False when there is no
    such slide; raises insight.sharing.access.NotAllowed when `by` may not change its meeting."""
    with db._write() as conn:
        meeting_id = _item_meeting(conn, item_id)
        if meeting_id is None or not db.check_owner(conn, table.name, meeting_id, by):
            return False
        result = conn.execute(items_table.delete().where(items_table.c.id == int(item_id)))
        _place(conn, _order(conn, meeting_id))
        _touch(conn, meeting_id)
        return result.rowcount == 1
