"""Kept datasets every app process can open (issue 27): a shared data folder named by
INSIGHT_DATA_DIR, each kept dataset's version recorded in the store (on SQLite and PostgreSQL:
the store_engine fixture), and temporary folders that one machine never removes from under
another."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from insight.intake.load import dataset_fingerprint
from insight.sharing import datasets, store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "shared-data"
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def other(tmp_path: Path) -> Path:
    """The sample with another provider's name: other content under the same dataset name."""
    folder = tmp_path / "other"
    shutil.copytree(SAMPLE, folder)
    toml = folder / "dataset.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("Heartwood", "Larchfield"), encoding="utf-8")
    assert "Larchfield" in toml.read_text(encoding="utf-8")
    return folder


def test_kept_datasets_live_in_the_data_folder_when_one_is_named(data_dir: Path) -> None:
    kept = datasets.keep("march", SAMPLE)
    assert kept == data_dir / "march" and kept.is_dir()
    assert datasets.kept_names() == ["march"]
    assert not (store.state_dir() / "datasets").exists(), "nothing kept in the state folder"


def test_the_state_folder_keeps_them_when_no_data_folder_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(datasets.DATA_DIR_ENV, raising=False)
    assert datasets.datasets_dir() == store.state_dir() / "datasets"


@pytest.mark.engines("sqlite", "postgresql")  # upsert
def test_every_keep_replace_and_removal_raises_the_recorded_version(
    data_dir: Path, other: Path, store_engine: str
) -> None:
    assert datasets.version("march") is None
    first = datasets.keep("march", SAMPLE)
    one = datasets.version("march")
    assert one is not None and one.version == 1
    assert one.fingerprint == dataset_fingerprint(first)
    datasets.keep("march", other, replace=True)
    two = datasets.version("march")
    assert two is not None and two.version == 2
    assert two.fingerprint == dataset_fingerprint(data_dir / "march") != one.fingerprint
    assert datasets.remove("march")
    three = datasets.version("march")
    assert three is not None and (three.version, three.fingerprint) == (3, "")
    datasets.keep("march", SAMPLE)
    four = datasets.version("march")
    assert four is not None and four.version == 4, "a number once given is never given again"
    assert four.fingerprint == one.fingerprint
    assert datasets.version("../march") is None


def test_a_refused_keep_records_no_version(data_dir: Path, store_engine: str) -> None:
    datasets.keep("march", SAMPLE)
    with pytest.raises(datasets.UploadError, match="already kept"):
        datasets.keep("march", SAMPLE)
    found = datasets.version("march")
    assert found is not None and found.version == 1


def test_replacing_leaves_no_moment_without_files_and_nothing_behind(
    data_dir: Path, other: Path
) -> None:
    datasets.keep("march", SAMPLE)
    datasets.keep("march", other, replace=True)
    assert sorted(p.name for p in data_dir.iterdir()) == ["march"], "no folder set aside is left"
    assert "Larchfield" in (data_dir / "march" / "dataset.toml").read_text(encoding="utf-8")


_OTHER_PROCESS = """
import json, sys
from insight.sharing import datasets
name, source = sys.argv[1], sys.argv[2]
before = datasets.version(name)
datasets.keep(name, source, replace=True)
after = datasets.version(name)
print(json.dumps([datasets.kept_names(), before.version, after.version, after.fingerprint]))
"""


@pytest.mark.engines("sqlite", "postgresql")  # another process
def test_another_process_sharing_the_folder_and_store_sees_and_replaces_the_same_dataset(
    data_dir: Path, other: Path, store_engine: str
) -> None:
    datasets.keep("march", SAMPLE)
    # the same INSIGHT_DATA_DIR and the same store (INSIGHT_DATABASE_URL, or the state folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _OTHER_PROCESS, "march", str(other)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    names, before, after, fingerprint = json.loads(done.stdout.strip().splitlines()[-1])
    assert names == ["march"] and (before, after) == (1, 2)
    seen_here = datasets.version("march")
    assert seen_here is not None and seen_here.version == 2
    assert seen_here.fingerprint == fingerprint == dataset_fingerprint(data_dir / "march")


# --- temporary folders on a shared data folder ---------------------------------------------------
def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_stopped_server_s_folders_are_removed_but_never_another_machine_s(
    data_dir: Path,
) -> None:
    data_dir.mkdir(parents=True)
    dead = _dead_pid()
    ours_dead = data_dir / f".upload.{dead}@{datasets._HOST}.abc"
    older_dead = data_dir / f".keep.{dead}.abc"  # named before folders carried their machine
    elsewhere = data_dir / f".upload.{dead}@{'0' * 8 if datasets._HOST != '0' * 8 else '1' * 8}.abc"
    alive = data_dir / f".upload.{os.getppid()}@{datasets._HOST}.abc"
    for folder in (ours_dead, older_dead, elsewhere, alive):
        folder.mkdir()
    removed = set(datasets.remove_stale())
    assert {ours_dead.name, older_dead.name} <= removed
    assert elsewhere.is_dir() and elsewhere.name not in removed, "another machine's upload"
    assert alive.is_dir(), "a running server's upload on this machine"


def test_staging_folders_carry_this_process_and_machine(data_dir: Path) -> None:
    staging = datasets.staging_folder()
    assert staging.parent == data_dir
    assert staging.name.startswith(f".upload.{os.getpid()}@{datasets._HOST}.")
