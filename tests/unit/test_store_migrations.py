"""The store's schema by Alembic (insight.sharing.store.migrate): the revisions make exactly the
tables the queries are written against, on SQLite and PostgreSQL; an SQLite file from every
schema before migrations (1 to 5) and a database at an earlier revision upgrade with all their
rows and ids; a database from a newer app is refused untouched; `python -m insight db` says what
and where in plain words; writers in parallel lose nothing."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from insight import cli
from insight.sharing import store
from insight.sharing.access import LOCAL_USER, Principal
from insight.sharing.store import db, migrate, schema
from tests.unit.legacy_store import OLD_SCHEMAS, columns, old_file

ANA = Principal("ana@provider.example", "analyst", True)
ROOT = Path(__file__).resolve().parents[2]
# migrations are the engine's own: each store_engine test runs on both, unless marked closer
pytestmark = pytest.mark.engines("sqlite", "postgresql")


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of the file's store tables, owner left out (an old file may have none)."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {}
        for table in sorted(t for t in tables if t in schema.metadata.tables):
            kept = [c for c in columns(conn, table) if c != "owner"]
            out[table] = conn.execute(
                f"SELECT {', '.join(kept)} FROM {table} ORDER BY 1"
            ).fetchall()
    return out


@pytest.mark.parametrize("version", sorted(OLD_SCHEMAS))
def test_a_file_from_each_schema_before_migrations_upgrades_with_every_row(
    version, tmp_path, monkeypatch
):
    path = tmp_path / store.DB_NAME
    old_file(path, version)
    before = _rows(path)
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    store._ready.discard(path)

    assert [(e.id, e.kind, e.note) for e in store.list_log()] == [
        (9, "png", "note 9 '); DROP TABLE meetings;--"),
        (4, "pack", "note 4 '); DROP TABLE meetings;--"),
    ]
    assert [i.id for i in store.list_insights()] == [7, 3]
    after = _rows(path)
    assert {t: after[t] for t in before} == before, "every row and id as it was"
    owners = {e.owner for e in store.list_log()} | {i.owner for i in store.list_insights()}
    assert owners == ({LOCAL_USER} if version < 3 else {"ana@example.org", "ben@example.org"})
    if "meetings" in before:
        assert [(i.id, i.chart) for i in store.meeting_items(3, by=None)] == [
            (11, "barriers"),
            (12, "ask"),
        ]
        assert store.create_meeting("After", "2026-06-01", by=ANA).id == 10, "9 never again"
    # ids are never given again, even those of rows deleted before the upgrade
    assert store.add_insight(
        organisation="Org", la="all", theme="Other", text="new", shared_on="2026-01-01"
    ).id == (9 if version >= 3 else 8)  # fmt: skip
    entry = store.add_log(
        kind="deck", provider="p", source="s", fingerprint="f", la="all", la_name="A",
        period="whole", period_label="W", mode="presenter", included=["1. slide"],
        file_name="d.pptx", sha256="d" * 64,
    )  # fmt: skip
    assert entry.id == (13 if version >= 3 else 10), "a new kind, and a new id"
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 5
        assert check.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (migrate.head(),)
        ]
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert set(schema.metadata.tables) <= tables
        assert not any("_before_owners" in t or "_old_kinds" in t for t in tables), tables
    assert store.integrity_check() == "ok"


def _what(difference: tuple | list) -> tuple[str, str | None]:
    """One of compare_metadata's differences: its kind, and the column for a column's change
    (those come grouped in a list)."""
    first = difference[0] if isinstance(difference, list) else difference
    return first[0], (first[3] if first[0].startswith("modify_") else None)


def test_the_revisions_make_exactly_the_tables_the_queries_are_written_against(store_engine):
    store.list_log()  # the first use brings the new database to the newest revision
    with db.engine().connect() as conn:
        assert migrate.current(conn) == migrate.head()
        differences = compare_metadata(MigrationContext.configure(conn), schema.metadata)
        names = sa.inspect(conn).get_table_names()
        if store_engine == "sqlite":
            # SQLite files keep the SQL the app always wrote, which SQLAlchemy reads back with
            # three blind spots, checked here by hand instead: a rowid primary key reads as
            # nullable, a UNIQUE without a name, an ON DELETE it does not report.
            blind = {("modify_nullable", "log_id"), ("add_constraint", None)}
            blind |= {("remove_fk", None), ("add_fk", None)}
            differences = [d for d in differences if _what(d) not in blind]
            [fk] = conn.exec_driver_sql("PRAGMA foreign_key_list(meeting_items)").fetchall()
            assert (fk[2], fk[6]) == ("meetings", "CASCADE")
            unique = conn.exec_driver_sql("PRAGMA index_list(flag_signoffs)").fetchall()
            assert [row[2] for row in unique] == [1], "one UNIQUE index: kind, key and label"
    assert differences == []
    assert set(names) == set(schema.metadata.tables) | {"alembic_version"}


@pytest.mark.usefixtures("store_engine")
def test_a_database_at_an_earlier_revision_upgrades_with_its_rows():
    engine = db.engine()
    db.prepare_file(db.database_url())
    assert migrate.upgrade(engine, "0001") == (None, "0001")
    with engine.begin() as conn:
        conn.execute(
            schema.stakeholder_insights.insert(),
            [
                dict(created_utc="c", updated_utc="u", organisation="Org", la="all",
                     theme="Other", text=f"kept {i}", shared_on=f"2025-0{i}-01", owner=ANA.user)
                for i in (1, 2, 3)
            ],
        )  # fmt: skip
        conn.execute(
            schema.stakeholder_insights.delete().where(schema.stakeholder_insights.c.id == 3)
        )
        meeting = conn.execute(
            schema.meetings.insert().values(
                created_utc="c", updated_utc="u", name="Board", held_on="2026-01-01"
            )
        ).inserted_primary_key[0]
        conn.execute(
            schema.meeting_items.insert().values(
                meeting_id=meeting,
                position=0,
                chart="barriers",
                la="all",
                period="whole",
                notes="n",
            )
        )
    store._ready.clear()  # a new version of the app starts

    assert [(i.text, i.owner) for i in store.list_insights()] == [
        ("kept 2", ANA.user),
        ("kept 1", ANA.user),
    ]
    assert [i.notes for i in store.meeting_items(meeting, by=None)] == ["n"]
    assert store.add_insight(
        organisation="Org", la="all", theme="Other", text="new", shared_on="2026-01-01"
    ).id == 4  # fmt: skip
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("stakeholder_insights")}
    assert "stakeholder_insights_shared" in indexes


@pytest.mark.usefixtures("store_engine")
def test_db_status_and_upgrade_say_where_and_what(capsys):
    assert cli.main(["db", "status"]) == 1
    said = capsys.readouterr().out
    assert "none yet" in said and f"newest revision: {migrate.head()}" in said
    assert "python -m insight db upgrade" in said
    assert cli.main(["db", "upgrade"]) == 0
    said = capsys.readouterr().out
    assert said.strip().endswith(f"upgraded from no revision to {migrate.head()}")
    assert "password" not in said and "***" not in said  # the test databases have none
    assert cli.main(["db", "upgrade"]) == 0
    assert f"is up to date (revision {migrate.head()})" in capsys.readouterr().out
    assert cli.main(["db", "status"]) == 0
    assert "up to date" in capsys.readouterr().out


@pytest.mark.usefixtures("store_engine")
def test_a_database_from_a_newer_app_is_refused_and_left_as_it_is(capsys):
    store.add_insight(
        organisation="Org", la="all", theme="Other", text="kept", shared_on="2026-01-01"
    )
    with db.engine().begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": "9999"})
    store._ready.clear()  # the older app starts on it
    with pytest.raises(
        store.StoreError, match=r"newer version of the app \(schema revision 9999\)"
    ):
        store.list_insights()
    assert store.prepare_at_start().startswith(db.describe())
    for action in ("status", "upgrade"):
        assert cli.main(["db", action]) == 1
        said = capsys.readouterr()
        assert "newer version of the app" in said.err and "Traceback" not in said.err
    with db.engine().connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        assert conn.execute(sa.text("SELECT text FROM stakeholder_insights")).scalar() == "kept"


def test_a_database_url_of_another_kind_is_refused_in_plain_words(monkeypatch, capsys):
    monkeypatch.setenv("INSIGHT_DATABASE_URL", "mysql://someone@db.example/insight")
    with pytest.raises(store.StoreError, match="names a mysql database"):
        store.list_log()
    assert cli.main(["db", "status"]) == 1
    assert capsys.readouterr().err.startswith("error: INSIGHT_DATABASE_URL names a mysql database")
    monkeypatch.setenv("INSIGHT_DATABASE_URL", "not a url")
    assert "is not a database URL" in store.prepare_at_start()
    for alias in (
        "postgres://u:secret@db.example/insight",
        "postgresql://u:secret@db.example/insight",
    ):
        monkeypatch.setenv("INSIGHT_DATABASE_URL", alias)
        assert store.database_url() == "postgresql+psycopg://u:secret@db.example/insight"
        assert db.describe() == "postgresql+psycopg://u:***@db.example/insight"


_STARTER = """
import json, sys
from insight.sharing.store import db, migrate
engine = db.engine()
db.prepare_file(db.database_url())
print("ready", flush=True)
sys.stdin.readline()
print(json.dumps(migrate.upgrade(engine)), flush=True)
"""


@pytest.mark.usefixtures("store_engine")
def test_processes_starting_at_once_on_a_new_database_make_its_schema_once():
    """Three app processes upgrade a new database at the same moment: one makes the tables
    (under the database's lock), the others wait and find them made."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _STARTER],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:  # all three at once
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [tuple(json.loads(proc.stdout.readline())) for proc in procs]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    head = migrate.head()
    assert results.count((None, head)) == 1 and results.count((head, head)) == 2, results
    assert store.list_log() == []


@pytest.mark.usefixtures("store_engine")
@pytest.mark.engines("postgresql")
def test_1000_log_rows_from_10_writers_at_once_none_lost():
    """The issue's target, as a test (benchmarks/store_writes.py measures it, in processes)."""
    store.list_log()  # the schema exists before the rush, as in a running app
    barrier, errors = threading.Barrier(10), []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(100):
                note = f"w{n}-{i}"
                store.add_log(
                    kind="csv", provider=f"writer {n}", source="s", fingerprint="f", la="all",
                    la_name="Area", period="whole", period_label="W", mode="standard",
                    included=["x"], file_name="t.csv",
                    sha256=hashlib.sha256(note.encode()).hexdigest(), note=note,
                )  # fmt: skip
        except BaseException as problem:  # pragma: no cover - reported below
            errors.append(problem)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    entries = store.list_log(limit=5000)
    assert sorted(e.note for e in entries) == sorted(
        f"w{n}-{i}" for n in range(10) for i in range(100)
    )
    assert all(hashlib.sha256(e.note.encode()).hexdigest() == e.sha256 for e in entries)
    assert len({e.id for e in entries}) == 1000
