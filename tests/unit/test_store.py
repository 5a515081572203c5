"""The sharing log and stakeholder insights in SQLite: concurrency, crashes, hostile text."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from insight import store

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold**",
    "[link](javascript:alert(1))",
    "../../etc/passwd",
    "'); DROP TABLE log;--",
    "x" * 10_000,
    "emoji 😀🎉 and flags 🇬🇧",
    "right-to-left: שלום עליכם مرحبا بالعالم",
]


def _log(note: str = "", **overrides) -> store.LogEntry:
    fields = dict(
        kind="pack",
        provider="Example Employment Partnership",
        source="/data/west",
        fingerprint="f" * 64,
        la="E08000026",
        la_name="Coventry",
        period="whole",
        period_label="Jul 2024 to Jun 2025",
        mode="presenter",
        included=["barriers", "services"],
        file_name="pack.pdf",
        sha256=hashlib.sha256(note.encode()).hexdigest(),
        note=note,
    )
    return store.add_log(**(fields | overrides))


def _insight(text: str = "They see transport as the main barrier", **overrides):
    fields = dict(
        organisation="Coventry City Council",
        la="E08000026",
        theme=store.THEMES[0],
        text=text,
        shared_on="2025-03-12",
    )
    return store.add_insight(**(fields | overrides))


def test_state_lives_in_insight_state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path / "state"))
    _log("x")
    assert (tmp_path / "state" / store.DB_NAME).is_file()
    with sqlite3.connect(tmp_path / "state" / store.DB_NAME) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_state_dir_is_a_per_user_data_folder(monkeypatch):
    monkeypatch.delenv("INSIGHT_STATE_DIR")
    assert "restart-insight" in str(store.state_dir())


def test_log_round_trip_and_filters():
    first = _log("Coventry board", la="E08000026", mode="presenter")
    _log("Birmingham partners", la="E08000025", la_name="Birmingham", mode="standard", kind="png")
    assert first.created_utc.endswith("+00:00")
    assert first.included == ("barriers", "services")
    assert [e.note for e in store.list_log()] == ["Birmingham partners", "Coventry board"]
    assert [e.note for e in store.list_log(la="E08000026")] == ["Coventry board"]
    assert [e.note for e in store.list_log(mode="standard")] == ["Birmingham partners"]
    assert [e.note for e in store.list_log(kind="png")] == ["Birmingham partners"]
    assert [e.note for e in store.list_log(search="BOARD")] == ["Coventry board"]


def test_insights_add_list_filter_edit_delete():
    whole = _insight("Area-wide view", la="all", theme="What works")
    cov = _insight("Buses stop at 6pm")
    _insight("Birmingham view", la="E08000025")
    assert {i.text for i in store.list_insights(la="E08000026")} == {"Area-wide view", cov.text}
    assert store.list_insights(la="E08000026", include_whole_area=False) == [cov]
    assert [i.id for i in store.list_insights(theme="What works")] == [whole.id]
    assert [i.id for i in store.list_insights(search="BUSES")] == [cov.id]
    assert store.update_insight(
        cov.id,
        organisation="TfWM",
        la="E08000026",
        theme="Other",
        text="New",
        shared_on="2025-04-01",
    )
    changed = store.get_insight(cov.id)
    assert (changed.organisation, changed.text, changed.shared_on) == ("TfWM", "New", "2025-04-01")
    assert store.delete_insight(cov.id)
    assert store.get_insight(cov.id) is None
    assert not store.delete_insight(cov.id)
    assert not store.update_insight(
        cov.id, organisation="x", la="all", theme="Other", text="y", shared_on="2025-04-01"
    )


def test_insights_refuse_blank_and_bad_dates():
    with pytest.raises(ValueError):
        _insight("   ")
    with pytest.raises(ValueError):
        _insight("fine", shared_on="12/03/2025")
    with pytest.raises(ValueError):
        _insight("y" * (store.MAX_TEXT + 1))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_and_read_back_intact(text):
    entry = _log(text)
    item = _insight(text, organisation=text, theme=text)
    assert store.get_log(entry.id).note == text
    back = store.get_insight(item.id)
    assert (back.organisation, back.theme, back.text) == (text, text, text)
    assert store.integrity_check() == "ok"
    assert len(store.list_log()) == 1  # the DROP TABLE did nothing


def test_state_survives_a_restart_and_a_new_dataset(tmp_path, monkeypatch):
    """Nothing is keyed to a dataset's lifetime: a fresh process sees the same log."""
    _log("kept", fingerprint="a" * 64)
    _insight("kept too")
    code = (
        "from insight import store;"
        "print(len(store.list_log()), len(store.list_insights()), store.list_log()[0].note)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1", "1", "kept"]


def test_ten_threads_writing_at_once_lose_nothing():
    per_thread = 40
    errors: list[BaseException] = []
    barrier = threading.Barrier(10)

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                _log(f"t{n}-{i}")
                _insight(f"t{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    expected = {f"t{n}-{i}" for n in range(10) for i in range(per_thread)}
    assert {e.note for e in store.list_log()} == expected
    assert {i.text for i in store.list_insights()} == expected
    assert store.integrity_check() == "ok"


_WRITER = textwrap.dedent(
    """
    import hashlib, sys
    from insight import store
    name, count = sys.argv[1], int(sys.argv[2])
    print("ready", flush=True)
    i = 0
    while count < 0 or i < count:
        text = f"{name}-{i}-" + "payload " * (i % 500)
        store.add_insight(organisation=hashlib.sha256(text.encode()).hexdigest(),
                          la="all", theme="Other", text=text, shared_on="2025-01-01")
        store.add_log(kind="png", provider=name, source="s", fingerprint="f", la="all",
                      la_name="Area", period="whole", period_label="p", mode="standard",
                      included=["x"], file_name="f.png",
                      sha256=hashlib.sha256(text.encode()).hexdigest(), note=text)
        i += 1
    """
)


def _writer(name: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, name, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def test_several_processes_writing_at_once_lose_nothing():
    _log("created first")  # the schema exists before the rush, as in a running app
    procs = [_writer(f"p{n}", 60) for n in range(5)]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    for n in range(5):
        notes = {
            e.note.split("-payload")[0] for e in store.list_log(kind="png") if e.provider == f"p{n}"
        }
        assert len(notes) == 60
    assert len(store.list_insights()) == 300
    assert store.integrity_check() == "ok"


def _assert_complete() -> int:
    assert store.integrity_check() == "ok"
    items = store.list_insights()
    for item in items:  # the organisation field holds the SHA-256 of the text written with it
        assert hashlib.sha256(item.text.encode()).hexdigest() == item.organisation
    for entry in store.list_log():
        assert hashlib.sha256(entry.note.encode()).hexdigest() == entry.sha256
        assert entry.included == ("x",)
    return len(items)


@pytest.mark.parametrize("delay", [0.2, 0.5, 0.9])
def test_kill_9_during_writes_leaves_no_corruption_and_no_partial_entry(delay):
    proc = _writer("victim", -1)
    assert proc.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 30
    while not store.db_path().exists() or not store.list_insights():
        assert time.monotonic() < deadline, "the writer never wrote"
        time.sleep(0.02)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL
    written = _assert_complete()
    assert written > 0
    text = "after the crash"  # the database still takes writes
    _insight(text, organisation=hashlib.sha256(text.encode()).hexdigest())
    assert _assert_complete() == written + 1
