"""One visitor must not stall everyone (components.context): while one session loads a large
dataset, another visitor's first page (a different dataset) is drawn, and a page of a dataset
already open is drawn, before that load ends. Shown by the order of events, not by timing: the
figures are printed for the record (run with -s to see them). Also: one load per content however
many sessions ask at once, and at most INSIGHT_MAX_DATASETS datasets kept open."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest
from streamlit.testing.v1 import AppTest

from components import context
from insight.core.caveat import CAVEAT
from insight.intake.limits import ENV_DATASETS, ENV_ROWS
from tests.app.harness import open_app
from tests.unit import _datasets as ds

ROOT = Path(__file__).resolve().parents[2]
COPIES = 30  # the sample's participants 30 times over: 1,200,000 rows, 250 MB of CSV


@pytest.fixture(autouse=True)
def _fresh_context(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(ROOT))
    context._LOADED.clear()
    context._REFUSED.clear()
    yield
    context._LOADED.clear()
    context._REFUSED.clear()


@pytest.fixture(scope="module")
def large_dataset(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("large") / "large"
    shutil.copytree(sample_dir, out, ignore=shutil.ignore_patterns("geo", "README.md"))
    table = pacsv.read_csv(out / "participants.csv")
    table = table.cast(pa.schema([pa.field(f.name, pa.string()) for f in table.schema]))
    parts = [
        table.set_column(
            0,
            "participant_id",
            pc.binary_join_element_wise(table["participant_id"], pa.scalar(f"-{i}"), ""),
        )
        for i in range(COPIES)
    ]
    pacsv.write_csv(pa.concat_tables(parts), out / "participants.csv")
    return out


def _first_page(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, float]:
    monkeypatch.setenv("INSIGHT_DATASET", str(dataset))
    started = time.perf_counter()
    at = open_app(timeout=300)
    return at, time.perf_counter() - started


@pytest.mark.slow
def test_a_visitor_gets_a_page_while_another_loads_a_large_dataset(
    large_dataset: Path, sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_ROWS, "2000000")  # the large dataset is over the default limit
    already_open = ds.write(tmp_path / "open")
    at, _ = _first_page(already_open, monkeypatch)  # opens it; imports and caches warmed up
    assert not at.exception
    _, idle_seconds = _first_page(already_open, monkeypatch)  # for the record: no load running
    events: list[tuple[str, float]] = []
    started = time.perf_counter()

    def large_load() -> None:
        events.append(("large load started", time.perf_counter() - started))
        context.open_dataset(str(large_dataset))
        events.append(("large load finished", time.perf_counter() - started))

    loader = threading.Thread(target=large_load, daemon=True)
    loader.start()
    deadline = time.monotonic() + 120
    while context.loading() == 0 and loader.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert context.loading() == 1, "the large load should be under way"

    at, open_seconds = _first_page(already_open, monkeypatch)
    events.append(("page of the open dataset drawn", time.perf_counter() - started))
    assert not at.exception and CAVEAT in " ".join(m.value for m in at.markdown)

    at, new_seconds = _first_page(sample_dir, monkeypatch)  # a dataset no one has opened yet
    events.append(("first page of another dataset drawn", time.perf_counter() - started))
    assert not at.exception and CAVEAT in " ".join(m.value for m in at.markdown)
    still_loading = context.loading()

    loader.join(timeout=600)
    for what, when in events:
        print(f"{when:7.2f} s  {what}")
    print(f"page of the open dataset: {idle_seconds:.2f} s with no load running, "
          f"{open_seconds:.2f} s during the large load; first page of the sample during it: "
          f"{new_seconds:.2f} s")  # fmt: skip
    order = [what for what, _ in events]
    assert order.index("first page of another dataset drawn") < order.index(
        "large load finished"
    ), f"the visitor waited for the large load: {events}"
    assert still_loading == 1


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders insight.intake.load.load_dataset was called for (it still does the work)."""
    import insight.intake.load

    called: list[str] = []
    real = insight.intake.load.load_dataset

    def counted(folder, progress=None):
        called.append(str(folder))
        return real(folder, progress)

    monkeypatch.setattr(insight.intake.load, "load_dataset", counted)
    return called


def test_sessions_asking_for_the_same_content_share_one_load(
    tmp_path: Path, loads: list[str]
) -> None:
    folder = str(ds.write(tmp_path))
    got: list[object] = []
    threads = [
        threading.Thread(target=lambda: got.append(context.open_dataset(folder))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(got) == 4 and all(item is got[0] for item in got), "one load, one dataset"
    assert loads == [folder]


def test_at_most_the_configured_number_of_datasets_stay_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATASETS, "2")
    folders = []
    for name, area in (("a", "Area A"), ("b", "Area B"), ("c", "Area C")):
        meta = ds.META.replace('area_name = "Test Area"', f'area_name = "{area}"')
        folders.append(str(ds.write(tmp_path / name, meta=meta)))
    first, second, third = (context.open_dataset(f) for f in folders)
    assert context.open_dataset(folders[2]) is third and context.open_dataset(folders[1]) is second
    reopened = context.open_dataset(folders[0])
    assert reopened is not first, "the least recently used was closed"
    assert reopened.meta == first.meta
    assert context.open_dataset(folders[1]) is second, "used recently: still open"
    assert context.open_dataset(folders[2]) is not third, "least recently used: closed"


def test_a_refused_dataset_is_remembered_not_read_again(tmp_path: Path, loads: list[str]):
    data = ds.tables()
    ds.set_cell(data, "participants", "status", 2, "paused")
    folder = str(ds.write(tmp_path, data))
    with pytest.raises(context.DatasetRefused) as first:
        context.open_dataset(folder)
    with pytest.raises(context.DatasetRefused) as second:
        context.open_dataset(folder, fresh=True)
    assert second.value.report == first.value.report and loads == [folder]


def test_folders_with_the_same_content_keep_their_own_refusal(tmp_path: Path) -> None:
    """A missing folder and an empty one share the fingerprint of no files, not the report."""
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(context.DatasetRefused) as missing:
        context.open_dataset(str(tmp_path / "missing"))
    with pytest.raises(context.DatasetRefused) as nothing:
        context.open_dataset(str(empty))
    assert [p.rule for p in missing.value.report.problems] == ["no_folder"]
    assert "no_folder" not in [p.rule for p in nothing.value.report.problems]
