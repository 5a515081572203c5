"""Stakeholders' insights: what a partner organisation told the provider, for an LA or the whole
area, on a theme, with the day it was shared and who recorded it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from insight.sharing.access import LOCAL_USER, Principal
from insight.sharing.store import db
from insight.sharing.store.schema import stakeholder_insights as table

THEMES: tuple[str, ...] = (
    "Barriers to work",
    "Service usage and demand",
    "Vacancies and employers",
    "Area barriers (transport, digital, rurality)",
    "Commissioning and local provision",
    "What works",
    "Other",
)


@dataclass(frozen=True)
class StakeholderInsight:
    id: int
    created_utc: str
    updated_utc: str
    organisation: str
    la: str  # an LA code, or "all"
    theme: str
    text: str
    shared_on: str  # ISO date
    owner: str = LOCAL_USER  # who recorded it: the signed-in e-mail address, or "local user"


_COLUMNS = [table.c[name] for name in StakeholderInsight.__dataclass_fields__]
_FIELDS = ("organisation", "la", "theme", "text", "shared_on")


def _insight_values(
    organisation: str, la: str, theme: str, text: str, shared_on: date | str
) -> dict[str, str]:
    day = shared_on if isinstance(shared_on, str) else shared_on.isoformat()
    date.fromisoformat(day)  # raises ValueError on a bad date
    values = (
        db._text("organisation", organisation, required=True, organisation=True),
        db._text("la", la, required=True),
        db._text("theme", theme, required=True),
        db._text("text", text, required=True),
        day,
    )
    return dict(zip(_FIELDS, values, strict=True))


def add_insight(
    *,
    organisation: str,
    la: str,
    theme: str,
    text: str,
    shared_on: date | str,
    by: Principal | None = None,
) -> StakeholderInsight:
    """Record an insight, owned by `by` (whose role must allow insights) or the local user."""
    values = _insight_values(organisation, la, theme, text, shared_on)
    owner = db._owner(by, "insights")
    stamp = db.now_utc()
    with db._write() as conn:
        row = conn.execute(
            table.insert()
            .values(created_utc=stamp, updated_utc=stamp, owner=owner, **values)
            .returning(*_COLUMNS)
        ).one()
    return StakeholderInsight(*row)  # as stored, read back in the same statement


def update_insight(
    insight_id: int,
    *,
    organisation: str,
    la: str,
    theme: str,
    text: str,
    shared_on: date | str,
    by: Principal | None = None,
) -> bool:
    """Replace an insight's fields. False when there is no such insight (deleted meanwhile).
    Raises insight.sharing.access.NotAllowed when `by` may not change it. The owner never
    changes."""
    values = _insight_values(organisation, la, theme, text, shared_on)
    with db._write() as conn:
        if not db.check_owner(conn, table.name, insight_id, by):
            return False
        result = conn.execute(
            table.update()
            .where(table.c.id == int(insight_id))
            .values(updated_utc=db.now_utc(), **values)
        )
        return result.rowcount == 1


def delete_insight(insight_id: int, *, by: Principal | None = None) -> bool:
    """Delete an insight. False when it is already gone; raises
    insight.sharing.access.NotAllowed when `by` may not delete it. Its id is never given to
    another insight."""
    with db._write() as conn:
        if not db.check_owner(conn, table.name, insight_id, by):
            return False
        result = conn.execute(table.delete().where(table.c.id == int(insight_id)))
        return result.rowcount == 1


def get_insight(insight_id: int) -> StakeholderInsight | None:
    with db.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(table.c.id == int(insight_id))).first()
    return StakeholderInsight(*row) if row else None


def list_insights(
    *,
    la: str | None = None,
    include_whole_area: bool = True,
    theme: str | None = None,
    search: str = "",
) -> list[StakeholderInsight]:
    """Insights, most recently shared first. With `la`, that LA's insights plus (by default)
    those recorded for the whole area. `search` matches organisation and text (letter case
    aside)."""
    where = []
    if la and la != "all":
        where.append(
            or_(table.c.la == la, table.c.la == "all") if include_whole_area else table.c.la == la
        )
    if theme:
        where.append(table.c.theme == theme)
    if search:
        where.append(
            or_(
                table.c.organisation.icontains(search, autoescape=True),
                table.c.text.icontains(search, autoescape=True),
            )
        )
    query = (
        select(*_COLUMNS)
        .where(and_(True, *where))
        .order_by(table.c.shared_on.desc(), table.c.id.desc())
    )
    with db.connect() as conn:
        rows = conn.execute(query).all()
    return [StakeholderInsight(*row) for row in rows]
