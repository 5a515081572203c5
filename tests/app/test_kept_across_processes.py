"""A kept dataset replaced through another app process is seen by this one on its next page load
(issue 27): the version recorded in the store, not a timer or a listing of the files, tells this
process that the content changed, and every cache is keyed by the fingerprint recorded with it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from app_scan import screen_text
from harness import open_page

from components import context
from insight.sharing import datasets

ROOT = Path(__file__).resolve().parents[2]

_REPLACE = """
import sys
from insight.sharing import datasets
datasets.keep(sys.argv[1], sys.argv[2], replace=True)
"""


@pytest.fixture
def shared(tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.syspath_prepend(str(ROOT))
    # Never listed again on a timer during this test: only the recorded version can tell.
    monkeypatch.setattr(context, "RECHECK_S", 3600.0)
    other = tmp_path / "other"
    shutil.copytree(sample_dir, other, ignore=shutil.ignore_patterns("geo", "context", "*.md"))
    toml = other / "dataset.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("Heartwood", "Larchfield"), encoding="utf-8"
    )
    datasets.keep("march", sample_dir)
    return other


@pytest.mark.engines("postgresql")  # as a provider's service runs: the processes share one
def test_a_dataset_replaced_by_another_process_shows_on_the_next_page_load(
    store_engine: str, shared: Path
) -> None:
    at = open_page(dataset="march")
    assert not at.exception
    assert "Heartwood" in screen_text(at) and "Larchfield" not in screen_text(at)
    before = datasets.version("march")
    assert before is not None and context.fingerprint(str(datasets.kept_folder("march"))) == (
        before.fingerprint
    )
    subprocess.run(
        [sys.executable, "-c", _REPLACE, "march", str(shared)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        timeout=120,
        capture_output=True,
    )
    after = datasets.version("march")
    assert after is not None and after.version == before.version + 1
    at.run()  # the next page load of the same session, at once
    assert not at.exception
    text = screen_text(at)
    assert "Larchfield" in text and "Heartwood" not in text
    folder = str(datasets.kept_folder("march"))
    assert context.fingerprint(folder) == after.fingerprint
    opened = context.open_dataset(folder)  # the one the page drew: open, under its version
    assert opened.fingerprint == after.fingerprint and "Larchfield" in opened.meta.provider_name
