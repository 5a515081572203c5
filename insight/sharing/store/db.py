"""Where the store is, how it is opened, and what every write shares: one engine a database and
process, a connection an operation, a transaction a write; owners checked inside it; free text
screened before it.

SQLite (the default): the file restart_insight.sqlite3 in INSIGHT_STATE_DIR or the per-user data
folder, WAL journal, synchronous=FULL, foreign keys on, a 30 s busy timeout, and every write in
`BEGIN IMMEDIATE`, so writers queue instead of failing and a reader never sees half a write. The
folder is 0700 and the database with its -wal and -shm files 0600.

PostgreSQL: when INSIGHT_DATABASE_URL names one (postgresql+psycopg://user@host/db). Read
committed, and a write that changes an owned row first locks it (SELECT ... FOR UPDATE in
check_owner), so two writers of one meeting queue as they do on SQLite.

Either way the schema is brought up to the newest Alembic revision the first time a process
opens the database (insight.sharing.store.migrate), and text is always bound, never formatted
into SQL.
"""

from __future__ import annotations

import os
import stat
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.sql.dml import Insert

from insight.intake import screen
from insight.sharing.access import LOCAL_USER, ROLE_LABELS, NotAllowed, Principal, check_change
from insight.sharing.store import schema

DB_NAME = "restart_insight.sqlite3"
URL_VARIABLE = "INSIGHT_DATABASE_URL"
BUSY_TIMEOUT_MS = 30_000
MAX_TEXT = 20_000  # characters, any free-text field


class StoreError(RuntimeError):
    """The database cannot be used as it is (a bad URL, a schema from a newer app): the message
    says what and how to fix it, in one plain sentence."""


# --- location ----------------------------------------------------------------------------------
def state_dir() -> Path:
    """INSIGHT_STATE_DIR if set, else the per-user data folder for the app."""
    configured = os.environ.get("INSIGHT_STATE_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("restart-insight", appauthor=False))


def db_path() -> Path:
    """The SQLite file (used when INSIGHT_DATABASE_URL names no other database)."""
    return state_dir() / DB_NAME


def database_url() -> str:
    """INSIGHT_DATABASE_URL when set (a postgresql+psycopg:// or sqlite:/// URL; postgres:// and
    postgresql:// mean the psycopg driver too), else the SQLite file in the state folder."""
    configured = os.environ.get(URL_VARIABLE, "").strip()
    if not configured:
        return f"sqlite:///{db_path()}"
    try:
        url = make_url(configured)
    except ArgumentError:
        raise StoreError(
            f"{URL_VARIABLE} is not a database URL: write it as "
            "postgresql+psycopg://user:password@host:5432/database"
        ) from None
    if url.drivername in ("postgres", "postgresql"):  # the psycopg 3 driver, installed
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"{URL_VARIABLE} names a {url.get_backend_name()} database: the app keeps its state "
            "in PostgreSQL (postgresql+psycopg://...) or SQLite (sqlite:///path)"
        )
    return url.render_as_string(hide_password=False)


def describe(url: str | None = None) -> str:
    """The database for a message: its URL without the password."""
    try:
        return make_url(url or database_url()).render_as_string(hide_password=True)
    except (StoreError, ArgumentError):
        return URL_VARIABLE


# --- private files (SQLite) --------------------------------------------------------------------
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


# --- engines ---------------------------------------------------------------------------------
_engines: OrderedDict[str, Engine] = OrderedDict()
_engines_lock = threading.Lock()
KEPT_ENGINES = 4  # databases a process keeps connections to (the app uses one; tests many)
WRITE = "insight_write"  # execution option: this connection's transaction writes


def _sqlite_engine(url: str) -> Engine:
    """A small pool of open connections (opening one and closing the last costs SQLite a WAL
    checkpoint: a pooled write takes about a quarter of the time). The driver's own transaction
    handling is off; the `begin` event starts each transaction, BEGIN IMMEDIATE for a write (the
    write lock first, so writers queue on the busy timeout rather than fail midway) and a plain
    BEGIN for a read."""
    engine = create_engine(
        url, pool_size=2, max_overflow=14, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writes = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def _postgresql_engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def engine(url: str | None = None) -> Engine:
    """This process's engine for the database (made on first use)."""
    url = url or database_url()
    with _engines_lock:
        found = _engines.get(url)
        if found is None:
            is_sqlite = make_url(url).get_backend_name() == "sqlite"
            found = _sqlite_engine(url) if is_sqlite else _postgresql_engine(url)
            _engines[url] = found
            while len(_engines) > KEPT_ENGINES:  # the least recently used: its pool closed
                _engines.popitem(last=False)[1].dispose()
        _engines.move_to_end(url)
        return found


def dispose(url: str | None = None) -> None:
    """Close the pooled connections of one database's engine (every engine without a URL) and
    forget it: a test dropping its database, a process ending."""
    with _engines_lock:
        urls = [url] if url else list(_engines)
        for key in urls:
            found = _engines.pop(key, None)
            if found is not None:
                found.dispose()
        for key in urls:
            _ready.discard(_ready_key(key))


def is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


# --- preparation: the schema brought up to date once per process and database -------------------
# Keys: the SQLite file's Path, or the database URL. Tests clear it to act as a new process.
_ready: set[Path | str] = set()
_ready_lock = threading.Lock()


def _ready_key(url: str) -> Path | str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return Path(parsed.database)
    return url


def _prepare(url: str) -> None:
    """Before the first operation on a database in this process: its SQLite file made private
    and in WAL mode, and its schema at the newest revision (insight.sharing.store.migrate)."""
    key = _ready_key(url)
    with _ready_lock:
        if key in _ready and (not isinstance(key, Path) or key.exists()):
            return
        from insight.sharing.store import migrate  # it imports this module

        with _engines_lock:  # no connection kept from before (a file made again at this path)
            stale = _engines.pop(url, None)
        if stale is not None:
            stale.dispose()
        prepare_file(url)
        migrate.ensure_current(engine(url))
        if isinstance(key, Path):
            _private(key)
        _ready.add(key)


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL; None for any other database."""
    key = _ready_key(url)
    return key if isinstance(key, Path) else None


def prepare_file(url: str) -> None:
    """An SQLite database: its folder (0700) and file (0600) made if missing, WAL switched on.
    Nothing for PostgreSQL."""
    path = sqlite_file(url)
    if path is None:
        return
    _make_private(path)
    raw = engine(url).raw_connection()  # outside any transaction, as WAL needs
    try:
        raw.cursor().execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()
    _private(path)


def prepare_at_start() -> str | None:
    """At server start (app.py): the database opened and its schema brought up to date now,
    rather than in the first person's page. None when ready, else what is wrong in one plain
    sentence (the app starts anyway; each page that needs the store then says the same)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        _prepare(database_url())
    except StoreError as problem:
        return str(problem)
    except SQLAlchemyError as problem:
        reason = str(getattr(problem, "orig", problem)).strip().splitlines()[0]
        return f"cannot open the app's database {describe()}: {reason}"
    return None


@contextmanager
def connect() -> Iterator[Connection]:
    """A connection for one read (safe from any thread or process). SQLAlchemy begins its
    transaction at the first statement; leaving the block ends it."""
    url = database_url()
    _prepare(url)
    with engine(url).connect() as conn:
        yield conn


@contextmanager
def _write() -> Iterator[Connection]:
    """One write transaction: all of it is committed, or none of it."""
    url = database_url()
    _prepare(url)
    with engine(url).connect() as conn:
        conn = conn.execution_options(**{WRITE: True})
        with conn.begin():
            yield conn


transaction = _write  # the public name, for the modules that keep their own tables (live.py)


def insert_id(conn: Connection, statement: Insert) -> int:
    """Run an INSERT of one row; the id the database gave it."""
    key = conn.execute(statement).inserted_primary_key
    assert key is not None
    return int(key[0])


# --- what the engines say differently ------------------------------------------------------------
def upsert(conn: Connection, table: Any, values: dict[str, Any], keys: list[str]) -> None:
    """Insert a row, or replace the named columns of the row with the same key."""
    statement = _insert(conn, table).values(**values)
    statement = statement.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=keys,
        set_={k: v for k, v in values.items() if k not in keys},
    )
    conn.execute(statement)


def insert_once(conn: Connection, table: Any, values: dict[str, Any]) -> None:
    """Insert a row unless one with the same unique key is there (the first is kept)."""
    conn.execute(_insert(conn, table).values(**values).on_conflict_do_nothing())  # type: ignore[attr-defined]


def _insert(conn: Connection, table: Any) -> Insert:
    dialect = sqlite if is_sqlite(conn) else postgresql
    return dialect.insert(table)


def integrity_check() -> str:
    """'ok' when the database finds itself sound: SQLite's own integrity check; on PostgreSQL
    (which checks its pages itself) every table of the store read to its end."""
    with connect() as conn:
        if is_sqlite(conn):
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())
        for table in schema.metadata.sorted_tables:
            conn.execute(select(func.count()).select_from(table)).scalar()
        return "ok"


# --- ownership -----------------------------------------------------------------------------------
OWNED_TABLES: set[str] = set(schema.OWNED)


def check_owner(conn: Connection, table: str, row_id: int, by: Principal | None) -> bool:
    """Inside a write transaction: False when the row does not exist (deleted meanwhile); raises
    insight.sharing.access.NotAllowed when `by` may not change it (by=None: no check, for the
    app's own code paths and the command line, which run as the local user). The row stays
    locked until the transaction ends (FOR UPDATE on PostgreSQL; SQLite's write lock is the
    whole file's), so no one changes it between the check and the write."""
    found = schema.OWNED.get(table)
    if found is None:
        raise ValueError(f"{table} has no owners")
    owner = conn.execute(
        select(found.c.owner).where(found.c.id == int(row_id)).with_for_update()
    ).scalar()
    if owner is None:
        return False
    if by is not None:
        check_change(by, str(owner))
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


# --- free text -----------------------------------------------------------------------------------
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
    if "\x00" in value:  # PostgreSQL keeps no NUL in text: refused on either engine, alike
        raise ValueError(f"{name} holds a NUL character (\\x00): remove it and save again")
    kinds = screen.findings(value, organisation=organisation)  # an organisation is no person
    if kinds:
        raise PersonalDetail(name, kinds)
    return value


def check_text(name: str, value: str) -> str:
    """The free-text check on its own, for a page to run before slow work that ends in a save
    (the briefing pack's note): raises as saving would."""
    return _text(name, value)
