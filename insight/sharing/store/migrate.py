"""The store's schema, by Alembic revisions (insight/sharing/store/migrations/versions): each
process brings its database up to the newest revision the first time it opens it, and
`python -m insight db upgrade` / `db status` do the same by hand.

An SQLite file from before Alembic (PRAGMA user_version 1 to 5, no alembic_version table) is
taken up by revision 0001, which reads its user_version and brings every table to today's schema
with all its rows and ids (the steps the hand-written migrations used to take), so no file needs
stamping by hand. A database at a revision this app does not know was written by a newer app:
it is refused, never touched.

Two processes starting at once on a new database do not both create it: the upgrade runs in one
transaction that first takes the database's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a
transaction-level advisory lock), and Alembic reads the current revision only after it.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from insight.sharing.store import db

MIGRATIONS = Path(__file__).with_name("migrations")
LEGACY_VERSION = 5  # the last PRAGMA user_version the hand-written migrations set
LOCK_KEY = 0x5253_5452  # PostgreSQL advisory lock for schema changes ("RSTR")
# Alembic's `op` and `context` are module-wide: one upgrade at a time in a process (between
# processes, the database's own lock below).
_UPGRADE_LOCK = threading.Lock()


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@functools.cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def revision_module(revision: str) -> ModuleType:
    """A revision's own module (what it froze: the SQL of SQLite files, for one)."""
    found = _script().get_revision(revision)
    assert found is not None
    return found.module


def head() -> str:
    """The newest revision this app knows."""
    found = _script().get_current_head()
    assert found is not None
    return found


def known(revision: str) -> bool:
    return any(script.revision == revision for script in _script().walk_revisions())


def current(conn: Connection) -> str | None:
    """The database's revision; None before the first (an empty database, or an SQLite file
    from before Alembic)."""
    heads = MigrationContext.configure(conn).get_current_heads()
    return heads[0] if heads else None


def legacy_version(conn: Connection) -> int:
    """An SQLite file's PRAGMA user_version (0 for a new file, and on PostgreSQL)."""
    if not db.is_sqlite(conn):
        return 0
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)


def _refuse_newer(conn: Connection, found: str | None) -> None:
    where = db.describe(str(conn.engine.url.render_as_string(hide_password=False)))
    if found is not None and not known(found):
        raise db.StoreError(
            f"{where} was written by a newer version of the app (schema revision {found}); "
            f"this one knows revisions up to {head()}: update the app, or use another database"
        )
    if found is None and legacy_version(conn) > LEGACY_VERSION:
        raise db.StoreError(
            f"{where} was written by a newer version of the app (schema {legacy_version(conn)}); "
            f"this one reads schema {LEGACY_VERSION} and older: update the app"
        )


def _lock(conn: Connection) -> None:
    """Inside the upgrade's transaction, before Alembic reads the revision."""
    if db.is_sqlite(conn):
        return  # the transaction began with BEGIN IMMEDIATE: the write lock is held
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Bring the database to `revision` (the newest by default) in one transaction; the
    revisions before and after."""
    with _UPGRADE_LOCK, engine.connect() as conn:
        conn = conn.execution_options(**{db.WRITE: True})
        with conn.begin():
            _lock(conn)
            before = current(conn)
            _refuse_newer(conn, before)
            config = _config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            after = current(conn)
    return before, after or ""


def ensure_current(engine: Engine) -> None:
    """At a process's first use of the database: nothing when it is at the newest revision
    (one read), else upgrade it. Refuses a database from a newer app."""
    with engine.connect() as conn:
        found = current(conn)
        if found == head():
            return
        _refuse_newer(conn, found)
    upgrade(engine)


@dataclass(frozen=True)
class Status:
    database: str  # the URL without its password
    revision: str | None  # None: no revision yet (new, or an SQLite file from before Alembic)
    newest: str
    legacy_version: int  # an SQLite file's PRAGMA user_version
    tables: int  # the store's tables found

    @property
    def behind(self) -> bool:
        return self.revision != self.newest

    def text(self) -> str:
        lines = [f"database: {self.database}"]
        if self.revision is None and self.tables:
            lines.append(
                f"schema: made before migrations (version {self.legacy_version}), "
                f"{self.tables} tables"
            )
        elif self.revision is None:
            lines.append("schema: none yet (a new database)")
        else:
            lines.append(f"schema revision: {self.revision}")
        lines.append(f"newest revision: {self.newest}")
        if self.behind:
            lines.append(
                "behind: `python -m insight db upgrade` brings it up to date "
                "(the app also does at its next start)"
            )
        else:
            lines.append("up to date")
        return "\n".join(lines)


def status(engine: Engine) -> Status:
    """What revision the database is at, without changing it (an SQLite file that is not there
    yet is not made)."""
    where = db.describe(engine.url.render_as_string(hide_password=False))
    path = db.sqlite_file(engine.url.render_as_string(hide_password=False))
    if path is not None and not path.exists():
        return Status(where, None, head(), 0, 0)
    with engine.connect() as conn:
        found = current(conn)
        _refuse_newer(conn, found)
        names = set(inspect(conn).get_table_names())
        ours = {t.name for t in db.schema.metadata.sorted_tables}
        return Status(
            database=where,
            revision=found,
            newest=head(),
            legacy_version=legacy_version(conn),
            tables=len(names & ours),
        )


def run_env(context: object) -> None:
    """migrations/env.py: run the revisions on the connection the app hands over (upgrade),
    or on a new one to the configured database (Alembic's own command line)."""
    from alembic import context as alembic_context

    assert context is alembic_context
    connection = alembic_context.config.attributes.get("connection")
    if connection is not None:
        alembic_context.configure(connection=connection, target_metadata=db.schema.metadata)
        with alembic_context.begin_transaction():
            alembic_context.run_migrations()
        return
    url = db.database_url()
    with db.engine(url).connect() as conn:
        conn = conn.execution_options(**{db.WRITE: True})
        with conn.begin():
            _lock(conn)
            alembic_context.configure(connection=conn, target_metadata=db.schema.metadata)
            with alembic_context.begin_transaction():
                alembic_context.run_migrations()
