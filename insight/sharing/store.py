"""The app's own state, in one SQLite file: the sharing log, stakeholders' insights and meetings
(a meeting's running order of slides).

The file lives in INSIGHT_STATE_DIR, or a per-user data folder (platformdirs). It is not keyed to a
dataset: the log and insights survive an app restart and a new dataset.

Reliability: WAL journal, synchronous=FULL, a busy timeout, one connection per operation, and
every write inside `BEGIN IMMEDIATE ... COMMIT`. A process killed mid-write leaves the last
committed state: never a partial row, never a corrupt file. Text is stored exactly as given
(bound parameters only, never formatted into SQL).

Ownership: every record keeps its `owner` (the signed-in e-mail address, or "local user"), and a
write that changes or deletes a record can be given the person asking (`by=`, an
insight.sharing.access.Principal): the ownership rule (insight.sharing.access.may_change) is then checked inside
the same transaction. Ids are AUTOINCREMENT, so a deleted record's id is never given again. A
meeting's slides belong to the meeting: changing one is changing the meeting, checked against
the meeting's owner.

Privacy: the state folder is made 0700 and the database with its WAL and shared-memory files
0600, so other accounts on the machine can read none of it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, Protocol

import platformdirs

from insight.intake import screen
from insight.sharing.access import LOCAL_USER, ROLE_LABELS, NotAllowed, Principal, check_change

DB_NAME = "restart_insight.sqlite3"
# Version 2 was reached by three branches at once: meetings and meeting_items; the sharing log
# records safe-table CSVs (kind 'csv'); owner columns and AUTOINCREMENT ids on the log and the
# insights. 4 is all three. 5: meetings have an owner too (_migrate_meeting_owner). Each step is
# recognised by content, not by number (_migrate_meeting_owner, _migrate_owned, then _migrate),
# so a file from any version 1 to 4 is brought up to 5 with its rows.
SCHEMA_VERSION = 5
BUSY_TIMEOUT_MS = 30_000
MAX_TEXT = 20_000  # characters, any free-text field

ExportKind = Literal["png", "pack", "csv", "deck", "slides", "summary"]
EXPORT_KINDS: dict[str, str] = {
    "pack": "Briefing pack",
    "png": "Chart image",
    "csv": "Safe table (CSV)",
    "deck": "Meeting slides (PowerPoint)",
    "slides": "Meeting slides (PDF)",
    "summary": "LA summary (PDF)",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sharing_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_utc TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('png', 'pack', 'csv', 'deck', 'slides', 'summary')),
    provider TEXT NOT NULL,
    source TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    la TEXT NOT NULL,
    la_name TEXT NOT NULL,
    period TEXT NOT NULL,
    period_label TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('presenter', 'standard')),
    included TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    note TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT 'local user'
);
CREATE INDEX IF NOT EXISTS sharing_log_created ON sharing_log (created_utc);
CREATE TABLE IF NOT EXISTS stakeholder_insights (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    organisation TEXT NOT NULL,
    la TEXT NOT NULL,
    theme TEXT NOT NULL,
    text TEXT NOT NULL,
    shared_on TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT 'local user'
);
CREATE TABLE IF NOT EXISTS meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    name TEXT NOT NULL,
    held_on TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT 'local user'
);
CREATE TABLE IF NOT EXISTS meeting_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    chart TEXT NOT NULL,
    la TEXT NOT NULL,
    period TEXT NOT NULL,
    notes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS meeting_items_order ON meeting_items (meeting_id, position);
-- Issue 30 (bans-flags): a data manager's sign-off of a provider's own barrier or service key
-- with its label ("support the provider gives, not DWP performance measures"), and a data
-- manager's review of a dataset's free text for sharing, against the text's own SHA-256. Who and
-- when, never changed once made (a new label or new text needs a new record).
CREATE TABLE IF NOT EXISTS flag_signoffs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('barrier', 'service')),
    flag_key TEXT NOT NULL,
    label TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    signed_utc TEXT NOT NULL,
    UNIQUE (kind, flag_key, label)
);
CREATE TABLE IF NOT EXISTS text_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text_key TEXT NOT NULL UNIQUE CHECK (length(text_key) = 64),
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL,
    text_rows INTEGER NOT NULL,
    reviewed_by TEXT NOT NULL,
    reviewed_utc TEXT NOT NULL
);
-- Live presentations (insight.sharing.live): where a meeting's presenter is, shared by every
-- window that follows them (the audience window, the presenter view, other machines). One row a
-- meeting and presenter: the slide, the blank screen, whether others may drive, and a version
-- that every change raises (a follower redraws only when it changes). `meeting` is a saved
-- meeting's id as text, or "auto:<la>:<period>" for the ready-made one, and `presenter` its
-- owner. (No semicolons in these comments: _SCHEMA is split on them.)
CREATE TABLE IF NOT EXISTS live_slides (
    meeting TEXT NOT NULL,
    presenter TEXT NOT NULL,
    slide INTEGER NOT NULL DEFAULT 0 CHECK (slide >= 0),
    blank INTEGER NOT NULL DEFAULT 0 CHECK (blank IN (0, 1)),
    others_drive INTEGER NOT NULL DEFAULT 0 CHECK (others_drive IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    started_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    PRIMARY KEY (meeting, presenter)
);
CREATE INDEX IF NOT EXISTS live_slides_recent ON live_slides (meeting, updated_utc);
-- Issue 26: what protected each export, in plain words (insight.numbers.audit), one per
-- sharing-log entry, kept apart so the sharing_log table itself is unchanged.
CREATE TABLE IF NOT EXISTS disclosure_statements (
    log_id INTEGER PRIMARY KEY REFERENCES sharing_log (id),
    statement TEXT NOT NULL
);
-- Issue 27 (deploy): each kept dataset's version (insight.sharing.datasets), so every app
-- process, on any machine sharing INSIGHT_DATA_DIR, sees a kept dataset replaced on its next
-- page load. One row a name, never deleted: `version` rises by one at every keep, replace and
-- removal, and `fingerprint` is the kept files' SHA-256 (insight.intake.load.dataset_fingerprint,
-- empty once removed), the value every cache of the dataset is keyed by.
CREATE TABLE IF NOT EXISTS kept_datasets (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL CHECK (version >= 1),
    fingerprint TEXT NOT NULL,
    kept_utc TEXT NOT NULL
);
"""
# Version 1 files hold the sharing log and insights only: the CREATE ... IF NOT EXISTS statements
# above add the meeting tables to them and leave every existing row as it was.


# --- location and connections ----------------------------------------------------------------
def state_dir() -> Path:
    """INSIGHT_STATE_DIR if set, else the per-user data folder for the app."""
    configured = os.environ.get("INSIGHT_STATE_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("restart-insight", appauthor=False))


def db_path() -> Path:
    return state_dir() / DB_NAME


# --- ownership and migration ---------------------------------------------------------------
# Tables whose rows have an owner. Each declares `owner TEXT NOT NULL DEFAULT 'local user'` and
# `id INTEGER PRIMARY KEY AUTOINCREMENT`, and its writes call check_owner(conn, table, id, by)
# inside their transaction before an UPDATE or DELETE.
OWNED_TABLES: set[str] = {"sharing_log", "stakeholder_insights", "meetings"}
# The owned tables made before AUTOINCREMENT ids, which _migrate_owned rebuilds. Never a table
# another one REFERENCES: renaming it would point the other table's foreign key at the renamed
# copy. `meetings` (AUTOINCREMENT from the start, and meeting_items refers to it) gains its
# owner column in place instead (_migrate_meeting_owner).
_REBUILT_FOR_OWNERS: tuple[str, ...] = ("sharing_log", "stakeholder_insights")


def _table_sql(conn: sqlite3.Connection, table: str) -> str:
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return str(row[0]) if row else ""


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")]


def _migrate_owned(conn: sqlite3.Connection) -> None:
    """Bring a table made before ownership (no owner column, ids that could be reused) up to the
    current schema, keeping every row and its id: the existing rows' owner is "local user".
    SQLite cannot add AUTOINCREMENT to a table, so the table is rebuilt: renamed, made afresh
    from _SCHEMA, copied, dropped. Runs inside the caller's transaction."""
    statements = [s.strip() for s in _SCHEMA.split(";") if s.strip()]
    for table in _REBUILT_FOR_OWNERS:
        old_sql = _table_sql(conn, table)
        if not old_sql or ("AUTOINCREMENT" in old_sql.upper() and "owner" in _columns(conn, table)):
            continue
        kept = [c for c in _columns(conn, table) if c != "owner"]
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_before_owners")
        create = next(s for s in statements if s.startswith(f"CREATE TABLE IF NOT EXISTS {table} "))
        conn.execute(create)
        names = ", ".join(kept)
        owner = "owner" if "owner" in _columns(conn, f"{table}_before_owners") else "?"
        conn.execute(
            f"INSERT INTO {table} ({names}, owner) SELECT {names}, {owner} "
            f"FROM {table}_before_owners",
            () if owner == "owner" else (LOCAL_USER,),
        )
        conn.execute(f"DROP TABLE {table}_before_owners")
    for statement in statements:  # indexes went with the old tables: make them again
        if statement.startswith("CREATE INDEX"):
            conn.execute(statement)


def _migrate_meeting_owner(conn: sqlite3.Connection) -> None:
    """Version 2 to 4 files have meetings without an owner: add the column in place (existing
    meetings belong to "local user"). ALTER TABLE ... ADD COLUMN keeps every row, its id and the
    AUTOINCREMENT counter, and leaves meeting_items' foreign key to meetings as it was. Does
    nothing when the column is there (a new file, or one already upgraded). Runs inside the
    caller's transaction."""
    if _table_sql(conn, "meetings") and "owner" not in _columns(conn, "meetings"):
        conn.execute("ALTER TABLE meetings ADD COLUMN owner TEXT NOT NULL DEFAULT 'local user'")


def check_owner(conn: sqlite3.Connection, table: str, row_id: int, by: Principal | None) -> bool:
    """Inside a write transaction: False when the row does not exist (deleted meanwhile); raises
    insight.sharing.access.NotAllowed when `by` may not change it (by=None: no check, for the app's own
    code paths and the command line, which run as the local user)."""
    if table not in OWNED_TABLES:
        raise ValueError(f"{table} has no owners")
    row = conn.execute(f"SELECT owner FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if row is None:
        return False
    if by is not None:
        check_change(by, str(row[0]))
    return True


def _owner(by: Principal | None, action: str) -> str:
    """The owner stamped on a new record; refuses someone whose role may not make it."""
    if by is None:
        return LOCAL_USER
    if not by.may(action):  # type: ignore[arg-type]
        role = ROLE_LABELS.get(by.role, by.role)
        raise NotAllowed(f"As {role} you cannot record {action.replace('_', ' ')}.")
    return by.user


def _owner_name(owner: str) -> str:
    """An owner given by name: "local user" or a signed-in e-mail address. Not screened like the
    free-text fields (an owner is a colleague's work address, not something typed about a
    participant), only checked for shape."""
    if not isinstance(owner, str) or not owner.strip() or len(owner) > 320:
        raise ValueError("owner must be 'local user' or an e-mail address")
    return owner.strip()


# --- private files -----------------------------------------------------------------------------
DIR_MODE = 0o700
FILE_MODE = 0o600


def _tighten_folder(folder: Path) -> None:
    """Make our state folder 0700. A folder someone else owns, or a shared sticky folder such
    as /tmp named as INSIGHT_STATE_DIR, is left as it is: the files in it are 0600 anyway."""
    info = folder.stat()
    if info.st_uid == os.getuid() and not info.st_mode & stat.S_ISVTX:
        os.chmod(folder, DIR_MODE)


def _private(path: Path) -> None:
    """The state folder 0700; the database and its -wal and -shm files 0600 (each that exists).
    SQLite makes the -wal and -shm files with the database's own permissions."""
    _tighten_folder(path.parent)
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists():
            os.chmod(candidate, FILE_MODE)


def _make_private(path: Path) -> None:
    """Create the folder (0700) and an empty database file (0600) before SQLite opens it, so no
    file of ours is ever readable by others, not even for a moment."""
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _tighten_folder(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(fd)


_ready: set[Path] = set()
_ready_lock = threading.Lock()


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _prepare(path: Path) -> None:
    """Create the folder, switch to WAL and create the schema, once per process and path."""
    with _ready_lock:
        if path in _ready and path.exists():
            return
        _make_private(path)
        conn = _open(path)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                found = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if found > SCHEMA_VERSION:
                    raise RuntimeError(
                        f"{path} was written by a newer version of the app (schema {found}); "
                        f"this one reads schema {SCHEMA_VERSION} and older"
                    )
                for statement in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
                    conn.execute(statement)
                _migrate_meeting_owner(conn)
                _migrate_owned(conn)  # before _migrate: it rebuilds from the current schema
                _migrate(conn)
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                conn.execute(f"PRAGMA user_version = {max(version, SCHEMA_VERSION)}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
        _private(path)
        _ready.add(path)


def _migrate(conn: sqlite3.Connection) -> None:
    """A log whose CHECK lists fewer kinds than EXPORT_KINDS (version 1 allowed 'png' and 'pack';
    up to version 5, 'csv' too, but not 'deck', 'slides' or 'summary') is copied into a table
    made from _SCHEMA: SQLite cannot change a CHECK in place. Every row keeps its id, and the
    AUTOINCREMENT counter keeps its place, so an id once given (even of a deleted row) is never
    given again. Inside _prepare's transaction."""
    sql = _table_sql(conn, "sharing_log")
    if all(f"'{kind}'" in sql for kind in EXPORT_KINDS):
        return
    sequence = (
        conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'sharing_log'").fetchone()
        if _table_sql(conn, "sqlite_sequence")
        else None
    )
    conn.execute("ALTER TABLE sharing_log RENAME TO sharing_log_old_kinds")
    conn.execute("DROP INDEX IF EXISTS sharing_log_created")
    log_table = _SCHEMA.split("CREATE INDEX")[0]
    conn.execute(log_table.strip().rstrip(";").replace(" IF NOT EXISTS", ""))
    conn.execute(
        f"INSERT INTO sharing_log ({_LOG_COLUMNS}) SELECT {_LOG_COLUMNS} FROM sharing_log_old_kinds"
    )
    conn.execute("DROP TABLE sharing_log_old_kinds")
    if sequence is not None:  # the old counter, where deleted rows had taken it past max(id)
        conn.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'sharing_log'",
            (int(sequence[0]),),
        )
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'sharing_log', ? WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = 'sharing_log')",
            (int(sequence[0]),),
        )
    conn.execute("CREATE INDEX IF NOT EXISTS sharing_log_created ON sharing_log (created_utc)")


@contextmanager
def connect() -> Iterator[sqlite3.Connection]:
    """A fresh connection for one operation (safe from any thread or process)."""
    path = db_path()
    _prepare(path)
    conn = _open(path)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def _write() -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it is committed, or none of it."""
    with connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class PersonalDetail(ValueError):
    """Typed text holding a personal detail (Annex 7.6 para 7) or a small count of people: not
    saved. Carries the field and the kinds found (insight.intake.screen labels), never the text."""

    def __init__(self, field: str, kinds: tuple[str, ...]) -> None:
        self.field = field
        self.kinds = kinds
        super().__init__(screen.removal_message(kinds, field))


def _text(name: str, value: str, *, required: bool = False, organisation: bool = False) -> str:
    """Every free-text field of the store comes through here: checked for type, presence and
    length, then screened (insight.intake.screen); a personal detail raises PersonalDetail."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text")
    if required and not value.strip():
        raise ValueError(f"{name} is required")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{name} is longer than {MAX_TEXT:,} characters")
    kinds = screen.findings(value, organisation=organisation)  # an organisation is no person
    if kinds:
        raise PersonalDetail(name, kinds)
    return value


def check_text(name: str, value: str) -> str:
    """The free-text check on its own, for a page to run before slow work that ends in a save
    (the briefing pack's note): raises as saving would."""
    return _text(name, value)


# --- sharing log -----------------------------------------------------------------------------
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


_LOG_COLUMNS = (
    "id, created_utc, kind, provider, source, fingerprint, la, la_name, period, period_label, "
    "mode, included, file_name, sha256, note, owner"
)


def _log_entry(row: tuple) -> LogEntry:
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
    note = _text("note", note)
    owner = _owner(by, "exports") if by is not None else _owner_name(owner)
    created = now_utc()
    included_json = json.dumps(list(included), ensure_ascii=False)
    with _write() as conn:
        cursor = conn.execute(
            "INSERT INTO sharing_log (created_utc, kind, provider, source, fingerprint, la, "
            "la_name, period, period_label, mode, included, file_name, sha256, note, owner) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                created,
                kind,
                provider,
                source,
                fingerprint,
                la,
                la_name,
                period,
                period_label,
                mode,
                included_json,
                file_name,
                sha256,
                note,
                owner,
            ),
        )
        new_id = int(cursor.lastrowid or 0)
    return get_log(new_id)  # type: ignore[return-value]


def add_statement(log_id: int, statement: str) -> None:
    """Keep the disclosure statement of one sharing-log entry (replacing any kept before)."""
    with _write() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO disclosure_statements (log_id, statement) VALUES (?, ?)",
            (int(log_id), str(statement)),
        )


def get_statement(log_id: int) -> str | None:
    """The disclosure statement of a sharing-log entry, or None when it has none."""
    with connect() as conn:
        row = conn.execute(
            "SELECT statement FROM disclosure_statements WHERE log_id = ?", (int(log_id),)
        ).fetchone()
    return None if row is None else str(row[0])


def get_log(entry_id: int) -> LogEntry | None:
    with connect() as conn:
        row = conn.execute(
            f"SELECT {_LOG_COLUMNS} FROM sharing_log WHERE id = ?", (entry_id,)
        ).fetchone()
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
    """Entries newest first, filtered. `search` matches note, file name and what was included."""
    where: list[str] = []
    params: list[object] = []
    for column, value in (("la", la), ("mode", mode), ("kind", kind)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if since:
        where.append("created_utc >= ?")
        params.append(since.isoformat())
    if search:
        where.append(
            "(instr(lower(note), lower(?)) > 0 OR instr(lower(file_name), lower(?)) > 0 "
            "OR instr(lower(included), lower(?)) > 0)"
        )
        params.extend([search, search, search])
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    with connect() as conn:
        rows = conn.execute(
            f"SELECT {_LOG_COLUMNS} FROM sharing_log {clause} ORDER BY id DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
    return [_log_entry(row) for row in rows]


# --- stakeholder insights --------------------------------------------------------------------
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


_INSIGHT_COLUMNS = "id, created_utc, updated_utc, organisation, la, theme, text, shared_on, owner"


def _insight_values(
    organisation: str, la: str, theme: str, text: str, shared_on: date | str
) -> tuple[str, str, str, str, str]:
    day = shared_on if isinstance(shared_on, str) else shared_on.isoformat()
    date.fromisoformat(day)  # raises ValueError on a bad date
    return (
        _text("organisation", organisation, required=True, organisation=True),
        _text("la", la, required=True),
        _text("theme", theme, required=True),
        _text("text", text, required=True),
        day,
    )


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
    owner = _owner(by, "insights")
    stamp = now_utc()
    with _write() as conn:
        cursor = conn.execute(
            "INSERT INTO stakeholder_insights (created_utc, updated_utc, organisation, la, theme, "
            "text, shared_on, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (stamp, stamp, *values, owner),
        )
        new_id = int(cursor.lastrowid or 0)
    return get_insight(new_id)  # type: ignore[return-value]


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
    Raises insight.sharing.access.NotAllowed when `by` may not change it. The owner never changes."""
    values = _insight_values(organisation, la, theme, text, shared_on)
    with _write() as conn:
        if not check_owner(conn, "stakeholder_insights", insight_id, by):
            return False
        cursor = conn.execute(
            "UPDATE stakeholder_insights SET updated_utc = ?, organisation = ?, la = ?, "
            "theme = ?, text = ?, shared_on = ? WHERE id = ?",
            (now_utc(), *values, insight_id),
        )
        return cursor.rowcount == 1


def delete_insight(insight_id: int, *, by: Principal | None = None) -> bool:
    """Delete an insight. False when it is already gone; raises insight.sharing.access.NotAllowed when
    `by` may not delete it. Its id is never given to another insight."""
    with _write() as conn:
        if not check_owner(conn, "stakeholder_insights", insight_id, by):
            return False
        cursor = conn.execute("DELETE FROM stakeholder_insights WHERE id = ?", (insight_id,))
        return cursor.rowcount == 1


def get_insight(insight_id: int) -> StakeholderInsight | None:
    with connect() as conn:
        row = conn.execute(
            f"SELECT {_INSIGHT_COLUMNS} FROM stakeholder_insights WHERE id = ?", (insight_id,)
        ).fetchone()
    return StakeholderInsight(*row) if row else None


def list_insights(
    *,
    la: str | None = None,
    include_whole_area: bool = True,
    theme: str | None = None,
    search: str = "",
) -> list[StakeholderInsight]:
    """Insights, most recently shared first. With `la`, that LA's insights plus (by default)
    those recorded for the whole area. `search` matches organisation and text."""
    where: list[str] = []
    params: list[object] = []
    if la and la != "all":
        where.append("(la = ? OR la = 'all')" if include_whole_area else "la = ?")
        params.append(la)
    if theme:
        where.append("theme = ?")
        params.append(theme)
    if search:
        where.append(
            "(instr(lower(organisation), lower(?)) > 0 OR instr(lower(text), lower(?)) > 0)"
        )
        params.extend([search, search])
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    with connect() as conn:
        rows = conn.execute(
            f"SELECT {_INSIGHT_COLUMNS} FROM stakeholder_insights {clause} "
            "ORDER BY shared_on DESC, id DESC",
            params,
        ).fetchall()
    return [StakeholderInsight(*row) for row in rows]


# --- meetings: a running order of slides ------------------------------------------------------
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


_MEETING_COLUMNS = "id, created_utc, updated_utc, name, held_on, owner"
_ITEM_COLUMNS = "id, meeting_id, position, chart, la, period, notes"


def _day(value: date | str) -> str:
    day = value if isinstance(value, str) else value.isoformat()
    date.fromisoformat(day)  # raises ValueError on a bad date
    return day


def _touch(conn: sqlite3.Connection, meeting_id: int) -> bool:
    cursor = conn.execute(
        "UPDATE meetings SET updated_utc = ? WHERE id = ?", (now_utc(), meeting_id)
    )
    return cursor.rowcount == 1


def _item_values(chart: str, la: str, period: str, notes: str) -> tuple[str, str, str, str]:
    return (
        _text("chart", chart, required=True),
        _text("la", la, required=True),
        _text("period", period, required=True),
        _text("notes", notes),
    )


def _append(conn: sqlite3.Connection, meeting_id: int, values: tuple[str, str, str, str]) -> int:
    """Put a slide at the end of a meeting's running order; its new id."""
    (last,) = conn.execute(
        "SELECT COALESCE(MAX(position), -1) FROM meeting_items WHERE meeting_id = ?",
        (meeting_id,),
    ).fetchone()
    cursor = conn.execute(
        "INSERT INTO meeting_items (meeting_id, position, chart, la, period, notes) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (meeting_id, int(last) + 1, *values),
    )
    return int(cursor.lastrowid or 0)


def _item_meeting(conn: sqlite3.Connection, item_id: int) -> int | None:
    row = conn.execute("SELECT meeting_id FROM meeting_items WHERE id = ?", (item_id,)).fetchone()
    return int(row[0]) if row else None


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
    values = (_text("meeting name", name, required=True).strip(), _day(held_on))
    slides = [_item_values(i.chart, i.la, i.period, "") for i in items]
    owner = _owner(by, "meetings")
    stamp = now_utc()
    with _write() as conn:
        cursor = conn.execute(
            "INSERT INTO meetings (created_utc, updated_utc, name, held_on, owner) "
            "VALUES (?, ?, ?, ?, ?)",
            (stamp, stamp, *values, owner),
        )
        new_id = int(cursor.lastrowid or 0)
        for slide in slides:
            _append(conn, new_id, slide)
    return get_meeting(new_id)  # type: ignore[return-value]


def update_meeting(
    meeting_id: int, *, name: str, held_on: date | str, by: Principal | None = None
) -> bool:
    """Rename a meeting or change its date. False when there is no such meeting; raises
    insight.sharing.access.NotAllowed when `by` may not change it. The owner never changes."""
    values = (_text("meeting name", name, required=True).strip(), _day(held_on))
    with _write() as conn:
        if not check_owner(conn, "meetings", meeting_id, by):
            return False
        cursor = conn.execute(
            "UPDATE meetings SET updated_utc = ?, name = ?, held_on = ? WHERE id = ?",
            (now_utc(), *values, meeting_id),
        )
        return cursor.rowcount == 1


def duplicate_meeting(
    meeting_id: int, name: str | None = None, *, by: Principal | None = None
) -> Meeting | None:
    """A copy of the meeting and its running order under a new id ("<name> (copy)" unless
    named), owned by whoever copies it (`by`, whose role must allow meetings: anyone who may
    read a meeting may copy it). None when there is no such meeting."""
    owner = _owner(by, "meetings")
    stamp = now_utc()
    with _write() as conn:
        original = conn.execute(
            "SELECT name, held_on FROM meetings WHERE id = ?", (meeting_id,)
        ).fetchone()
        if original is None:
            return None
        new_name = _text("meeting name", name or f"{original[0]} (copy)", required=True).strip()
        cursor = conn.execute(
            "INSERT INTO meetings (created_utc, updated_utc, name, held_on, owner) "
            "VALUES (?, ?, ?, ?, ?)",
            (stamp, stamp, new_name, original[1], owner),
        )
        new_id = int(cursor.lastrowid or 0)
        conn.execute(
            "INSERT INTO meeting_items (meeting_id, position, chart, la, period, notes) "
            "SELECT ?, position, chart, la, period, notes FROM meeting_items "
            "WHERE meeting_id = ? ORDER BY position",
            (new_id, meeting_id),
        )
    return get_meeting(new_id)


def delete_meeting(meeting_id: int, *, by: Principal | None = None) -> bool:
    """Delete a meeting and its running order. False when it is already gone; raises
    insight.sharing.access.NotAllowed when `by` may not delete it. Its id is never given again."""
    with _write() as conn:
        if not check_owner(conn, "meetings", meeting_id, by):
            return False
        # its slides go with it: meeting_items' foreign key cascades (foreign_keys is on)
        cursor = conn.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))
        return cursor.rowcount == 1


def get_meeting(meeting_id: int) -> Meeting | None:
    with connect() as conn:
        row = conn.execute(
            f"SELECT {_MEETING_COLUMNS} FROM meetings WHERE id = ?", (meeting_id,)
        ).fetchone()
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
    with connect() as conn:
        rows = conn.execute(
            f"SELECT {_MEETING_COLUMNS} FROM meetings ORDER BY updated_utc DESC, id DESC"
        ).fetchall()
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
    with _write() as conn:
        if not check_owner(conn, "meetings", meeting_id, by):
            return None
        _touch(conn, meeting_id)
        new_id = _append(conn, meeting_id, values)
    return get_meeting_item(new_id, by=None)  # what its writer just wrote


def _item(row: tuple, by: Principal | None) -> MeetingItem:
    """A slide as `by` may read it: without its speaker notes for a role without meetings."""
    item = MeetingItem(*row)
    return item if _reads_meetings(by) else replace(item, notes="")


def get_meeting_item(item_id: int, *, by: Principal | None) -> MeetingItem | None:
    """One slide, its notes blank unless `by` may read meetings (see meeting_items)."""
    with connect() as conn:
        row = conn.execute(
            f"SELECT {_ITEM_COLUMNS} FROM meeting_items WHERE id = ?", (item_id,)
        ).fetchone()
    return _item(row, by) if row else None


def meeting_items(meeting_id: int, *, by: Principal | None) -> list[MeetingItem]:
    """A meeting's running order, first slide first. `by` is who reads, and must be given: a
    role without meetings (a viewer following a meeting it was shown by its id) gets the slides
    with their speaker notes blank, so no page can show them."""
    with connect() as conn:
        rows = conn.execute(
            f"SELECT {_ITEM_COLUMNS} FROM meeting_items WHERE meeting_id = ? ORDER BY position, id",
            (meeting_id,),
        ).fetchall()
    return [_item(row, by) for row in rows]


def reorder_meeting(
    meeting_id: int, item_ids: Sequence[int], *, by: Principal | None = None
) -> bool:
    """Put the running order in the order of `item_ids`, which must name every item of the
    meeting exactly once (else ValueError, and nothing changes). False when there is no such
    meeting; raises insight.sharing.access.NotAllowed when `by` may not change it."""
    with _write() as conn:
        if not check_owner(conn, "meetings", meeting_id, by):
            return False
        current = {
            int(row[0])
            for row in conn.execute(
                "SELECT id FROM meeting_items WHERE meeting_id = ?", (meeting_id,)
            )
        }
        wanted = [int(i) for i in item_ids]
        if len(wanted) != len(set(wanted)) or set(wanted) != current:
            raise ValueError("the new order must list every slide of the meeting exactly once")
        _touch(conn, meeting_id)
        for position, item_id in enumerate(wanted):
            conn.execute("UPDATE meeting_items SET position = ? WHERE id = ?", (position, item_id))
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
    value = _text("notes", notes)
    with _write() as conn:
        meeting_id = _item_meeting(conn, item_id)
        if meeting_id is None or not check_owner(conn, "meetings", meeting_id, by):
            return False
        cursor = conn.execute("UPDATE meeting_items SET notes = ? WHERE id = ?", (value, item_id))
        return cursor.rowcount == 1


def delete_meeting_item(item_id: int, *, by: Principal | None = None) -> bool:
    """Take one slide out of its running order; the others close up. False when there is no
    such slide; raises insight.sharing.access.NotAllowed when `by` may not change its meeting."""
    with _write() as conn:
        meeting_id = _item_meeting(conn, item_id)
        if meeting_id is None or not check_owner(conn, "meetings", meeting_id, by):
            return False
        cursor = conn.execute("DELETE FROM meeting_items WHERE id = ?", (item_id,))
        rows = conn.execute(
            "SELECT id FROM meeting_items WHERE meeting_id = ? ORDER BY position, id",
            (meeting_id,),
        ).fetchall()
        for position, (other,) in enumerate(rows):
            conn.execute("UPDATE meeting_items SET position = ? WHERE id = ?", (position, other))
        _touch(conn, meeting_id)
        return cursor.rowcount == 1


# --- sign-offs of provider keys and reviews of free text (issue 30) ------------------------
FlagKind = Literal["barrier", "service"]
_WRITES = [0]  # sign-offs and reviews written by this process: a reader's cache compares it


def writes() -> int:
    """How many sign-offs and reviews this process has written (for caches of them)."""
    return _WRITES[0]


@dataclass(frozen=True)
class SignOff:
    kind: FlagKind
    key: str
    label: str
    signed_by: str
    signed_utc: str


@dataclass(frozen=True)
class TextReview:
    text_key: str  # SHA-256 of the dataset's free text (insight.sharing.review.text_key)
    fingerprint: str  # the dataset's content fingerprint when it was reviewed
    source: str
    rows: int  # distinct free-text values reviewed
    reviewed_by: str
    reviewed_utc: str


def _data_manager(by: Principal | None, what: str) -> str:
    """Only a data manager (or the local user, by=None) signs off or reviews."""
    if by is None:
        return LOCAL_USER
    if not by.may("data"):
        role = ROLE_LABELS.get(by.role, by.role)
        raise NotAllowed(f"As {role} you cannot {what}: a data manager does.")
    return by.user


def sign_off_flag(kind: FlagKind, key: str, label: str, *, by: Principal | None = None) -> SignOff:
    """Record a data manager's sign-off of a provider key with its label (once: signing the same
    key and label again keeps the first record)."""
    if kind not in ("barrier", "service"):
        raise ValueError("kind must be 'barrier' or 'service'")
    who = _data_manager(by, "sign off a barrier or service key")
    with _write() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO flag_signoffs (kind, flag_key, label, signed_by, signed_utc) "
            "VALUES (?, ?, ?, ?, ?)",
            (kind, key, label, who, now_utc()),
        )
        row = conn.execute(
            "SELECT kind, flag_key, label, signed_by, signed_utc FROM flag_signoffs "
            "WHERE kind = ? AND flag_key = ? AND label = ?",
            (kind, key, label),
        ).fetchone()
    _WRITES[0] += 1
    return SignOff(*row)


def flag_signoffs() -> list[SignOff]:
    with connect() as conn:
        rows = conn.execute(
            "SELECT kind, flag_key, label, signed_by, signed_utc FROM flag_signoffs ORDER BY id"
        ).fetchall()
    return [SignOff(*row) for row in rows]


def record_text_review(
    text_key: str, *, fingerprint: str, source: str, rows: int, by: Principal | None = None
) -> TextReview:
    """Record a data manager's review of a dataset's free text (once per text: the first
    record is kept)."""
    if len(text_key) != 64:
        raise ValueError("text_key must be a SHA-256 in hex")
    who = _data_manager(by, "review a dataset's text for sharing")
    with _write() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO text_reviews (text_key, fingerprint, source, text_rows, "
            "reviewed_by, reviewed_utc) VALUES (?, ?, ?, ?, ?, ?)",
            (text_key, fingerprint, source, int(rows), who, now_utc()),
        )
    _WRITES[0] += 1
    found = text_review(text_key)
    assert found is not None
    return found


def text_review(text_key: str) -> TextReview | None:
    with connect() as conn:
        row = conn.execute(
            "SELECT text_key, fingerprint, source, text_rows, reviewed_by, reviewed_utc "
            "FROM text_reviews WHERE text_key = ?",
            (text_key,),
        ).fetchone()
    return TextReview(*row) if row else None


def integrity_check() -> str:
    """'ok' when SQLite finds the file sound."""
    with connect() as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


# --- kept datasets' versions (issue 27) ---------------------------------------------------------
# Kept apart from the rest of the store on purpose: one table (kept_datasets, the last block of
# _SCHEMA) and these two functions, so the store's split by what it keeps takes them as they are.
@dataclass(frozen=True)
class KeptVersion:
    name: str
    version: int  # rises by one at every keep, replace and removal of this name
    fingerprint: str  # the kept files' content SHA-256; "" once removed
    kept_utc: str


_KEPT_COLUMNS = "name, version, fingerprint, kept_utc"


def record_kept_version(name: str, fingerprint: str) -> KeptVersion:
    """Raise a kept dataset's version and record its content fingerprint ("" when it has just
    been removed), in one transaction: the first keep of a name is version 1."""
    if not isinstance(name, str) or not name or len(name) > 40:
        raise ValueError("a kept dataset's name is 1 to 40 characters")
    with _write() as conn:
        conn.execute(
            f"INSERT INTO kept_datasets ({_KEPT_COLUMNS}) VALUES (?, 1, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET version = kept_datasets.version + 1, "
            "fingerprint = excluded.fingerprint, kept_utc = excluded.kept_utc",
            (name, fingerprint, datetime.now(UTC).isoformat(timespec="milliseconds")),
        )
        row = conn.execute(
            f"SELECT {_KEPT_COLUMNS} FROM kept_datasets WHERE name = ?", (name,)
        ).fetchone()
    return KeptVersion(row[0], int(row[1]), row[2], row[3])


def kept_version(name: str) -> KeptVersion | None:
    """A kept dataset's recorded version: one SELECT on the primary key (every page load of a
    kept dataset asks it). None for a name never kept."""
    with connect() as conn:
        row = conn.execute(
            f"SELECT {_KEPT_COLUMNS} FROM kept_datasets WHERE name = ?", (name,)
        ).fetchone()
    return None if row is None else KeptVersion(row[0], int(row[1]), row[2], row[3])
