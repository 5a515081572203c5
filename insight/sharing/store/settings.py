"""Settings kept on the server for everyone (issue 29): so far only 'default_dataset', the kept
dataset every session opens when its link names none, set by a data manager on the Data page.
Tiny and apart from the other tables on purpose."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from insight.sharing.access import Principal
from insight.sharing.store import db
from insight.sharing.store.reviews import _data_manager
from insight.sharing.store.schema import server_settings as table


@dataclass(frozen=True)
class Setting:
    name: str
    value: str
    set_by: str
    set_utc: str


_COLUMNS = [table.c[c] for c in ("name", "value", "set_by", "set_utc")]


def setting(name: str) -> Setting | None:
    """A setting kept on the server for everyone, or None when it was never set (or cleared)."""
    with db.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(table.c.name == name)).first()
    return Setting(*row) if row else None


def set_setting(name: str, value: str | None, *, by: Principal | None = None) -> Setting | None:
    """Set (or, with None, clear) a setting for everyone: a data manager's to change (by=None is
    the local user, as for sign-offs). Returns what is now set."""
    who = _data_manager(by, "change a setting for everyone")
    with db._write() as conn:
        if value is None:
            conn.execute(delete(table).where(table.c.name == name))
        else:
            db.upsert(
                conn,
                table,
                {"name": name, "value": value, "set_by": who, "set_utc": db.now_utc()},
                ["name"],
            )
    return setting(name)
