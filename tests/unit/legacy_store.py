"""The SQLite files the app wrote before the store had migrations (PRAGMA user_version 1 to 5),
each as the app made it, and rows to fill one with: the starting points of the legacy upgrade in
revision 0001 (insight/sharing/store/migrations/versions/0001_todays_schema.py), which can only be
written out, as no revision makes them. One copy, for every test that upgrades an old file
(tests/unit/test_store_migrations.py, tests/unit/test_meeting_owners.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

_LOG_V1 = """
CREATE TABLE sharing_log (id INTEGER PRIMARY KEY, created_utc TEXT NOT NULL, kind TEXT NOT NULL
  CHECK (kind IN ('png', 'pack')), provider TEXT NOT NULL, source TEXT NOT NULL,
  fingerprint TEXT NOT NULL, la TEXT NOT NULL, la_name TEXT NOT NULL, period TEXT NOT NULL,
  period_label TEXT NOT NULL, mode TEXT NOT NULL CHECK (mode IN ('presenter', 'standard')),
  included TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL, note TEXT NOT NULL);
CREATE INDEX sharing_log_created ON sharing_log (created_utc);
"""
_INSIGHTS_V1 = """
CREATE TABLE stakeholder_insights (id INTEGER PRIMARY KEY, created_utc TEXT NOT NULL,
  updated_utc TEXT NOT NULL, organisation TEXT NOT NULL, la TEXT NOT NULL, theme TEXT NOT NULL,
  text TEXT NOT NULL, shared_on TEXT NOT NULL);
"""
_LOG_OWNED = """
CREATE TABLE sharing_log (id INTEGER PRIMARY KEY AUTOINCREMENT, created_utc TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (KINDS)), provider TEXT NOT NULL, source TEXT NOT NULL,
  fingerprint TEXT NOT NULL, la TEXT NOT NULL, la_name TEXT NOT NULL, period TEXT NOT NULL,
  period_label TEXT NOT NULL, mode TEXT NOT NULL CHECK (mode IN ('presenter', 'standard')),
  included TEXT NOT NULL, file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64), note TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT 'local user');
CREATE INDEX sharing_log_created ON sharing_log (created_utc);
"""
_INSIGHTS_OWNED = """
CREATE TABLE stakeholder_insights (id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_utc TEXT NOT NULL, updated_utc TEXT NOT NULL, organisation TEXT NOT NULL,
  la TEXT NOT NULL, theme TEXT NOT NULL, text TEXT NOT NULL, shared_on TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT 'local user');
"""
_MEETINGS = """
CREATE TABLE meetings (id INTEGER PRIMARY KEY AUTOINCREMENT, created_utc TEXT NOT NULL,
  updated_utc TEXT NOT NULL, name TEXT NOT NULL, held_on TEXT NOT NULL OWNER);
CREATE TABLE meeting_items (id INTEGER PRIMARY KEY AUTOINCREMENT,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  position INTEGER NOT NULL, chart TEXT NOT NULL, la TEXT NOT NULL, period TEXT NOT NULL,
  notes TEXT NOT NULL);
CREATE INDEX meeting_items_order ON meeting_items (meeting_id, position);
"""
_OWNER = ", owner TEXT NOT NULL DEFAULT 'local user'"
_TWO, _THREE = "'png', 'pack'", "'png', 'pack', 'csv'"
OLD_SCHEMAS = {
    # 1: the log and insights, ids that could be reused, no owners, two kinds of export
    1: _LOG_V1 + _INSIGHTS_V1,
    # 2 (the meetings branch): meetings and their slides beside version 1's tables
    2: _LOG_V1 + _INSIGHTS_V1 + _MEETINGS.replace(" OWNER", ""),
    # 3: owners and AUTOINCREMENT on the log and insights, and CSVs, before meetings
    3: _LOG_OWNED.replace("KINDS", _THREE) + _INSIGHTS_OWNED,
    # 4: all three branches
    4: _LOG_OWNED.replace("KINDS", _THREE) + _INSIGHTS_OWNED + _MEETINGS.replace(" OWNER", ""),
    # 5: meetings have owners too
    5: _LOG_OWNED.replace("KINDS", _THREE) + _INSIGHTS_OWNED + _MEETINGS.replace(" OWNER", _OWNER),
}


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def fill(conn: sqlite3.Connection) -> None:
    """Rows in every table the file has, with gaps in their ids (a row deleted at the end, so an
    AUTOINCREMENT counter sits past the largest id)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    owned = "owner" in columns(conn, "sharing_log")
    for i, kind in ((4, "pack"), (9, "png"), (12, "pack")):
        values = [i, f"2025-0{i % 9 + 1}-01T00:00:00+00:00", kind, "p", "s", "f", "all", "Area",
                  "whole", "W", "standard", '["barriers"]', f"f{i}.pdf", str(i % 10) * 64,
                  f"note {i} '); DROP TABLE meetings;--"] + (["ana@example.org"] if owned else [])  # fmt: skip
        conn.execute(f"INSERT INTO sharing_log VALUES ({', '.join('?' * len(values))})", values)
    owned = "owner" in columns(conn, "stakeholder_insights")
    for i in (3, 7, 8):
        values = [i, "c", "u", "Sandwell Council", "all", "Other", f"kept {i} 😀", "2025-01-02"]
        values += ["ben@example.org"] if owned else []
        conn.execute(
            f"INSERT INTO stakeholder_insights VALUES ({', '.join('?' * len(values))})", values
        )
    if "meetings" in tables:
        owned = "owner" in columns(conn, "meetings")
        for i, name in ((3, "Sandwell board"), (5, "Dudley board"), (9, "Deleted later")):
            values = [i, "c", f"u{i}", name, "2026-03-12"] + (["ana@example.org"] if owned else [])
            conn.execute(f"INSERT INTO meetings VALUES ({', '.join('?' * len(values))})", values)
        conn.executemany(
            "INSERT INTO meeting_items VALUES (?, ?, ?, ?, 'E08000028', 'whole', ?)",
            [(11, 3, 0, "barriers", "n1"), (12, 3, 1, "ask", ""), (13, 5, 0, "provision", "n3")],
        )
        conn.execute("DELETE FROM meetings WHERE id = 9")
    conn.execute("DELETE FROM sharing_log WHERE id = 12")
    conn.execute("DELETE FROM stakeholder_insights WHERE id = 8")


def old_file(path: Path, version: int) -> Path:
    """An SQLite file at `path` as the app wrote it at schema `version`, filled by `fill`."""
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMAS[version] + f"PRAGMA user_version = {version};")
        fill(conn)
    return path
