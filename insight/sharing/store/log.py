"""The sharing log: one entry an export (what, of which dataset, LA and period, in which mode,
its file's SHA-256, a note, who made it), and each export's disclosure statement beside it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import Row, and_, or_, select

from insight.sharing.access import LOCAL_USER, Principal
from insight.sharing.store import db
from insight.sharing.store.schema import EXPORT_KINDS, disclosure_statements, sharing_log

ExportKind = Literal["png", "pack", "csv", "deck", "slides", "summary"]
assert set(EXPORT_KINDS) == set(ExportKind.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LogEntry:
    id: int
    created_utc: str
    kind: ExportKind
    provider: str
    source: str
    fingerprint: str
    la: str
    la_name: str
    period: str
    period_label: str
    mode: str
    included: tuple[str, ...]
    file_name: str
    sha256: str
    note: str
    owner: str = LOCAL_USER  # who exported it: the signed-in e-mail address, or "local user"


_COLUMNS = [sharing_log.c[name] for name in LogEntry.__dataclass_fields__]


def _log_entry(row: Row) -> LogEntry:
    values = list(row)
    values[11] = tuple(json.loads(values[11]))
    return LogEntry(*values)


def add_log(
    *,
    kind: ExportKind,
    provider: str,
    source: str,
    fingerprint: str,
    la: str,
    la_name: str,
    period: str,
    period_label: str,
    mode: str,
    included: Sequence[str],
    file_name: str,
    sha256: str,
    note: str = "",
    owner: str = LOCAL_USER,
    by: Principal | None = None,
) -> LogEntry:
    """Record one export, made by `owner` (or by `by`, whose role must allow exports). Returns
    the stored entry."""
    note = db._text("note", note)
    owner = db._owner(by, "exports") if by is not None else db._owner_name(owner)
    values = dict(
        created_utc=db.now_utc(),
        kind=kind,
        provider=provider,
        source=source,
        fingerprint=fingerprint,
        la=la,
        la_name=la_name,
        period=period,
        period_label=period_label,
        mode=mode,
        included=json.dumps(list(included), ensure_ascii=False),
        file_name=file_name,
        sha256=sha256,
        note=note,
        owner=owner,
    )
    with db._write() as conn:
        row = conn.execute(sharing_log.insert().values(**values).returning(*_COLUMNS)).one()
    return _log_entry(row)  # as stored, read back in the same statement


def add_statement(log_id: int, statement: str) -> None:
    """Keep the disclosure statement of one sharing-log entry (replacing any kept before)."""
    with db._write() as conn:
        db.upsert(
            conn,
            disclosure_statements,
            {"log_id": int(log_id), "statement": str(statement)},
            ["log_id"],
        )


def get_statement(log_id: int) -> str | None:
    """The disclosure statement of a sharing-log entry, or None when it has none."""
    with db.connect() as conn:
        found = conn.execute(
            select(disclosure_statements.c.statement).where(
                disclosure_statements.c.log_id == int(log_id)
            )
        ).scalar()
    return None if found is None else str(found)


def get_log(entry_id: int) -> LogEntry | None:
    with db.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(sharing_log.c.id == int(entry_id))).first()
    return _log_entry(row) if row else None


def list_log(
    *,
    la: str | None = None,
    mode: str | None = None,
    kind: str | None = None,
    search: str = "",
    since: date | None = None,
    limit: int = 1000,
) -> list[LogEntry]:
    """Entries newest first, filtered. `search` matches note, file name and what was included
    (letter case aside; % and _ are only themselves)."""
    where = [
        sharing_log.c[column] == value
        for column, value in (("la", la), ("mode", mode), ("kind", kind))
        if value
    ]
    if since:
        where.append(sharing_log.c.created_utc >= since.isoformat())
    if search:
        where.append(
            or_(
                *(
                    sharing_log.c[column].icontains(search, autoescape=True)
                    for column in ("note", "file_name", "included")
                )
            )
        )
    query = select(*_COLUMNS).where(and_(True, *where)).order_by(sharing_log.c.id.desc())
    with db.connect() as conn:
        rows = conn.execute(query.limit(int(limit))).all()
    return [_log_entry(row) for row in rows]
