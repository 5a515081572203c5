"""Kept datasets' versions (issue 27): the store's half of insight.sharing.datasets. Every keep,
replace and removal of a kept dataset raises its name's version and records the kept files'
content fingerprint, in one transaction; every page load of a kept dataset reads it back with
one SELECT on the primary key, and every cache of the dataset is keyed by that fingerprint
(components.context.fingerprint). Kept in its own module and table so it stands apart from the
rest of the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from insight.sharing.store import db
from insight.sharing.store.schema import kept_datasets as table


@dataclass(frozen=True)
class KeptVersion:
    name: str
    version: int  # rises by one at every keep, replace and removal of this name
    fingerprint: str  # the kept files' content SHA-256; "" once removed
    kept_utc: str


_COLUMNS = [table.c[c] for c in ("name", "version", "fingerprint", "kept_utc")]


def record_kept_version(name: str, fingerprint: str) -> KeptVersion:
    """Raise a kept dataset's version and record its content fingerprint ("" when it has just
    been removed), in one transaction: the first keep of a name is version 1."""
    if not isinstance(name, str) or not name or len(name) > 40:
        raise ValueError("a kept dataset's name is 1 to 40 characters")
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
    with db._write() as conn:
        statement = db._insert(conn, table).values(
            name=name, version=1, fingerprint=fingerprint, kept_utc=stamp
        )
        conn.execute(
            statement.on_conflict_do_update(  # type: ignore[attr-defined]
                index_elements=["name"],
                set_={
                    "version": table.c.version + 1,
                    "fingerprint": fingerprint,
                    "kept_utc": stamp,
                },
            )
        )
        row = conn.execute(select(*_COLUMNS).where(table.c.name == name)).one()
    return KeptVersion(row[0], int(row[1]), row[2], row[3])


def kept_version(name: str) -> KeptVersion | None:
    """A kept dataset's recorded version: one SELECT on the primary key. None for a name never
    kept."""
    with db.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(table.c.name == name)).first()
    return None if row is None else KeptVersion(row[0], int(row[1]), row[2], row[3])
