"""The app's own state: the sharing log, stakeholders' insights, meetings (a running order of
slides) with their live presentations, sign-offs and text reviews. Not keyed to a dataset: all of
it survives an app restart and a new dataset.

Where: an SQLite file (restart_insight.sqlite3 in INSIGHT_STATE_DIR, or a per-user data folder),
nothing to install; or PostgreSQL when INSIGHT_DATABASE_URL names one
(postgresql+psycopg://user:password@host/database), for several app processes sharing one state.
Both through SQLAlchemy Core, with the same behaviour:

- every write is one transaction: all of it committed or none, so a process killed mid-write
  (kill -9) leaves the last committed state, never a partial row;
- ownership: every record keeps its `owner` (the signed-in e-mail address, or "local user"), and
  a write that changes or deletes one can be given the person asking (`by=`, an
  insight.sharing.access.Principal): the rule (insight.sharing.access.may_change) is checked
  inside the write's own transaction, on the row locked for it;
- ids are never given twice (SQLite AUTOINCREMENT, PostgreSQL identity), so a link to a deleted
  meeting never opens another;
- text is stored exactly as given, always bound, never formatted into SQL; free text is screened
  for personal details before it is saved (PersonalDetail);
- the SQLite folder is 0700 and its files 0600, so other accounts on the machine read none of it.

The schema is Alembic's (migrations/): a process brings its database to the newest revision the
first time it opens it; `python -m insight db status` and `db upgrade` do it by hand. An SQLite
file from before migrations (schema 1 to 5) is taken up with all its rows.

The package, by what it keeps:
  db.py        where the store is, engines, connections, transactions, owners, text checks
  schema.py    the tables (SQLAlchemy Core), what every query is written against
  migrate.py   the Alembic revisions run at start and by `python -m insight db`
  log.py       the sharing log and each export's disclosure statement
  insights.py  stakeholders' insights
  meetings.py  meetings and their running order (live slides: insight.sharing.live, on
               schema.live_slides)
  reviews.py   sign-offs of provider keys and reviews of free text
  kept.py      kept datasets' versions (insight.sharing.datasets)
  settings.py  settings kept for everyone: the default dataset

How to add a table: (1) declare it in schema.py as a `Table` on `metadata` (ids:
`Column("id", Integer, Identity(), primary_key=True)` and `sqlite_autoincrement=True`; an owned
table also gets `owner` and goes into schema.OWNED; name every CHECK and UNIQUE constraint);
(2) add a revision in migrations/versions/, next number, `down_revision` the current head,
creating it with `op.create_table`/`op.create_index` (the same on both engines; write the columns
out, never import schema.py, so the revision stays as it was); (3) put its functions in the
module of what it keeps (or a new module here), every write inside `with db._write() as conn:`
and every read inside `with db.connect() as conn:`, Core statements only (`db.upsert` and
`db.insert_once` where SQLite and PostgreSQL spell it differently); (4) re-export the public names
below. tests/unit/test_store_migrations.py checks that the revisions make exactly schema.py's
tables on both engines. Branches that each add a revision: the lead renumbers them into one chain
at merge (each revision's `down_revision` the one before). What used to be a block at the end of
store.py's `_SCHEMA` is now those three steps: e.g. a column of live_slides (schema.live_slides,
read and written in insight.sharing.live) is an `op.add_column` revision; a "default dataset"
setting is a small `settings` table with its get/set in a new settings.py; dataset versions are a
`dataset_versions` table with their functions in a new datasets.py. Never `metadata.create_all`,
never DDL outside a revision.
"""

from __future__ import annotations

from insight.sharing.store import db, schema
from insight.sharing.store.db import (
    BUSY_TIMEOUT_MS,
    DB_NAME,
    MAX_TEXT,
    OWNED_TABLES,
    PersonalDetail,
    StoreError,
    _ready,
    _write,
    check_owner,
    check_text,
    connect,
    database_url,
    db_path,
    dispose,
    integrity_check,
    now_utc,
    prepare_at_start,
    state_dir,
    transaction,
)
from insight.sharing.store.insights import (
    THEMES,
    StakeholderInsight,
    add_insight,
    delete_insight,
    get_insight,
    list_insights,
    update_insight,
)
from insight.sharing.store.kept import KeptVersion, kept_version, record_kept_version
from insight.sharing.store.log import (
    ExportKind,
    LogEntry,
    add_log,
    add_statement,
    get_log,
    get_statement,
    list_log,
)
from insight.sharing.store.meetings import (
    Meeting,
    MeetingItem,
    SlideSpec,
    add_meeting_item,
    create_meeting,
    delete_meeting,
    delete_meeting_item,
    duplicate_meeting,
    get_meeting,
    get_meeting_item,
    list_meetings,
    meeting_items,
    move_meeting_item,
    reorder_meeting,
    update_meeting,
    update_meeting_item,
)
from insight.sharing.store.reviews import (
    FlagKind,
    SignOff,
    TextReview,
    flag_signoffs,
    record_text_review,
    sign_off_flag,
    text_review,
    writes,
)
from insight.sharing.store.schema import EXPORT_KINDS
from insight.sharing.store.settings import Setting, set_setting, setting

# The last schema number of the hand-written migrations: an SQLite file keeps PRAGMA
# user_version 5 under Alembic, so an app from before migrations still knows it.
SCHEMA_VERSION = 5

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DB_NAME",
    "EXPORT_KINDS",
    "MAX_TEXT",
    "OWNED_TABLES",
    "SCHEMA_VERSION",
    "THEMES",
    "ExportKind",
    "FlagKind",
    "KeptVersion",
    "Setting",
    "LogEntry",
    "Meeting",
    "MeetingItem",
    "PersonalDetail",
    "SignOff",
    "SlideSpec",
    "StakeholderInsight",
    "StoreError",
    "TextReview",
    "_ready",
    "_write",
    "add_insight",
    "add_log",
    "add_meeting_item",
    "add_statement",
    "check_owner",
    "check_text",
    "connect",
    "create_meeting",
    "database_url",
    "db",
    "db_path",
    "delete_insight",
    "delete_meeting",
    "delete_meeting_item",
    "dispose",
    "duplicate_meeting",
    "flag_signoffs",
    "get_insight",
    "get_log",
    "get_meeting",
    "get_meeting_item",
    "get_statement",
    "integrity_check",
    "kept_version",
    "list_insights",
    "list_log",
    "list_meetings",
    "meeting_items",
    "move_meeting_item",
    "now_utc",
    "prepare_at_start",
    "record_kept_version",
    "record_text_review",
    "reorder_meeting",
    "schema",
    "set_setting",
    "setting",
    "sign_off_flag",
    "state_dir",
    "text_review",
    "transaction",
    "update_insight",
    "update_meeting",
    "update_meeting_item",
    "writes",
]
