"""Today's schema: the sharing log, stakeholder insights, meetings and their slides, sign-offs
and text reviews, live slides, disclosure statements.

PostgreSQL: the tables are made. SQLite: the same tables in the SQL the app has always written
(so a new file and an old one read alike), and a file from before migrations (PRAGMA
user_version 1 to 5) is brought to today's schema with every row, id and AUTOINCREMENT counter,
by the steps the hand-written migrations took:

- version 2 to 4 meetings gain their owner column in place (`meetings` is referred to by
  meeting_items, so it is never rebuilt);
- a version 1 sharing log or insights table (ids that could be reused, no owner) is rebuilt with
  AUTOINCREMENT ids and owners, its rows owned by "local user";
- a sharing log whose CHECK lists fewer export kinds than today's is rebuilt to take them all,
  keeping its AUTOINCREMENT counter where deleted rows had taken it past the largest id.

Each step is recognised by what the file holds, not by its number, so a file that had some steps
already (branches once reached the same number differently) takes only the others. Rebuilding
renames a table with legacy_alter_table on, so no other table's foreign key follows the rename.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LOCAL_USER = "local user"
KINDS = ("png", "pack", "csv", "deck", "slides", "summary")
LEGACY_VERSION = 5

# The SQL the app wrote SQLite files with, frozen here as of revision 0001 (no semicolons in it
# but the statements' own: it is split on them).
SQLITE_SCHEMA = """
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
CREATE TABLE IF NOT EXISTS disclosure_statements (
    log_id INTEGER PRIMARY KEY REFERENCES sharing_log (id),
    statement TEXT NOT NULL
);
"""
LOG_COLUMNS = (
    "id, created_utc, kind, provider, source, fingerprint, la, la_name, period, period_label, "
    "mode, included, file_name, sha256, note, owner"
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _sqlite(conn)
    else:
        _create_tables()


# --- PostgreSQL (and any database but SQLite) ----------------------------------------------------
def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, sa.Identity(), primary_key=True)


def _owner() -> sa.Column:
    return sa.Column("owner", sa.Text, nullable=False, server_default=sa.text("'local user'"))


def _texts(*names: str) -> list[sa.Column]:
    return [sa.Column(name, sa.Text, nullable=False) for name in names]


def _create_tables() -> None:
    kinds = ", ".join(f"'{k}'" for k in KINDS)
    op.create_table(
        "sharing_log",
        _id(),
        *_texts("created_utc", "kind", "provider", "source", "fingerprint", "la", "la_name"),
        *_texts("period", "period_label", "mode", "included", "file_name", "sha256", "note"),
        _owner(),
        sa.CheckConstraint(f"kind IN ({kinds})", name="sharing_log_kind"),
        sa.CheckConstraint("mode IN ('presenter', 'standard')", name="sharing_log_mode"),
        sa.CheckConstraint("length(sha256) = 64", name="sharing_log_sha256"),
    )
    op.create_index("sharing_log_created", "sharing_log", ["created_utc"])
    op.create_table(
        "stakeholder_insights",
        _id(),
        *_texts("created_utc", "updated_utc", "organisation", "la", "theme", "text", "shared_on"),
        _owner(),
    )
    op.create_table(
        "meetings", _id(), *_texts("created_utc", "updated_utc", "name", "held_on"), _owner()
    )
    op.create_table(
        "meeting_items",
        _id(),
        sa.Column(
            "meeting_id",
            sa.Integer,
            sa.ForeignKey("meetings.id", ondelete="CASCADE"),
            nullable=False,
        ),  # fmt: skip
        sa.Column("position", sa.Integer, nullable=False),
        *_texts("chart", "la", "period", "notes"),
    )
    op.create_index("meeting_items_order", "meeting_items", ["meeting_id", "position"])
    op.create_table(
        "flag_signoffs",
        _id(),
        *_texts("kind", "flag_key", "label", "signed_by", "signed_utc"),
        sa.CheckConstraint("kind IN ('barrier', 'service')", name="flag_signoffs_kind"),
        sa.UniqueConstraint("kind", "flag_key", "label", name="flag_signoffs_once"),
    )
    op.create_table(
        "text_reviews",
        _id(),
        sa.Column("text_key", sa.Text, nullable=False, unique=True),
        *_texts("fingerprint", "source"),
        sa.Column("text_rows", sa.Integer, nullable=False),
        *_texts("reviewed_by", "reviewed_utc"),
        sa.CheckConstraint("length(text_key) = 64", name="text_reviews_key"),
    )
    op.create_table(
        "live_slides",
        sa.Column("meeting", sa.Text, nullable=False),
        sa.Column("presenter", sa.Text, nullable=False),
        sa.Column("slide", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("blank", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("others_drive", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("version", sa.Integer, nullable=False, server_default=sa.text("1")),
        *_texts("started_utc", "updated_utc"),
        sa.PrimaryKeyConstraint("meeting", "presenter", name="live_slides_pkey"),
        sa.CheckConstraint("slide >= 0", name="live_slides_slide"),
        sa.CheckConstraint("blank IN (0, 1)", name="live_slides_blank"),
        sa.CheckConstraint("others_drive IN (0, 1)", name="live_slides_others_drive"),
    )
    op.create_index("live_slides_recent", "live_slides", ["meeting", "updated_utc"])
    op.create_table(
        "disclosure_statements",
        sa.Column(
            "log_id",
            sa.Integer,
            sa.ForeignKey("sharing_log.id"),
            primary_key=True,
            autoincrement=False,
        ),  # fmt: skip
        sa.Column("statement", sa.Text, nullable=False),
    )


# --- SQLite: a new file, or one from before migrations ------------------------------------------
def _statements() -> list[str]:
    return [s.strip() for s in SQLITE_SCHEMA.split(";") if s.strip()]


def _table_sql(conn: sa.Connection, table: str) -> str:
    row = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return str(row[0]) if row else ""


def _columns(conn: sa.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")]


def _sqlite(conn: sa.Connection) -> None:
    found = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
    if found > LEGACY_VERSION:
        raise RuntimeError(
            f"this file was written by a newer version of the app (schema {found}); "
            f"this one reads schema {LEGACY_VERSION} and older"
        )
    conn.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    try:
        _meeting_owner(conn)
        _owned(conn)
        _kinds(conn)
    finally:
        conn.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
    for statement in _statements():  # the tables and indexes a file from before lacks
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql(f"PRAGMA user_version = {LEGACY_VERSION}")


def _meeting_owner(conn: sa.Connection) -> None:
    """Version 2 to 4 files have meetings without an owner: add the column in place. ALTER
    TABLE ... ADD COLUMN keeps every row, its id and the AUTOINCREMENT counter, and leaves
    meeting_items' foreign key to meetings as it was."""
    if _table_sql(conn, "meetings") and "owner" not in _columns(conn, "meetings"):
        conn.exec_driver_sql(
            "ALTER TABLE meetings ADD COLUMN owner TEXT NOT NULL DEFAULT 'local user'"
        )


def _create(table: str) -> None:
    create = next(s for s in _statements() if s.startswith(f"CREATE TABLE IF NOT EXISTS {table} "))
    op.get_bind().exec_driver_sql(create)


def _owned(conn: sa.Connection) -> None:
    """A version 1 sharing log or insights table (no owner column, ids that could be reused) is
    rebuilt: renamed, made afresh, copied (rows owned by "local user"), dropped. SQLite cannot
    add AUTOINCREMENT to a table."""
    for table in ("sharing_log", "stakeholder_insights"):
        old_sql = _table_sql(conn, table)
        if not old_sql or ("AUTOINCREMENT" in old_sql.upper() and "owner" in _columns(conn, table)):
            continue
        kept = [c for c in _columns(conn, table) if c != "owner"]
        conn.exec_driver_sql(f"ALTER TABLE {table} RENAME TO {table}_before_owners")
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {table}_created")
        _create(table)
        names = ", ".join(kept)
        had_owner = "owner" in _columns(conn, f"{table}_before_owners")
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({names}, owner) SELECT {names}, "
            f"{'owner' if had_owner else '?'} FROM {table}_before_owners",
            () if had_owner else (LOCAL_USER,),
        )
        conn.exec_driver_sql(f"DROP TABLE {table}_before_owners")


def _kinds(conn: sa.Connection) -> None:
    """A log whose CHECK lists fewer kinds than today's is copied into a table made afresh:
    SQLite cannot change a CHECK in place. Every row keeps its id, and the AUTOINCREMENT counter
    keeps its place, so an id once given (even of a deleted row) is never given again."""
    sql = _table_sql(conn, "sharing_log")
    if not sql or all(f"'{kind}'" in sql for kind in KINDS):
        return
    has_sequence = bool(_table_sql(conn, "sqlite_sequence"))
    sequence = (
        conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'sharing_log'").scalar()
        if has_sequence
        else None
    )
    conn.exec_driver_sql("ALTER TABLE sharing_log RENAME TO sharing_log_old_kinds")
    conn.exec_driver_sql("DROP INDEX IF EXISTS sharing_log_created")
    _create("sharing_log")
    conn.exec_driver_sql(
        f"INSERT INTO sharing_log ({LOG_COLUMNS}) SELECT {LOG_COLUMNS} FROM sharing_log_old_kinds"
    )
    conn.exec_driver_sql("DROP TABLE sharing_log_old_kinds")
    if sequence is not None:  # the old counter, where deleted rows had taken it past max(id)
        conn.exec_driver_sql(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'sharing_log'",
            (int(sequence),),
        )
        conn.exec_driver_sql(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'sharing_log', ? WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = 'sharing_log')",
            (int(sequence),),
        )


def downgrade() -> None:
    raise NotImplementedError("the store does not go back before its first revision")
