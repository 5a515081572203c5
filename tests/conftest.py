"""Fixtures shared by every test folder. Keep them few: each test module owns its own helpers."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner

# Helpers import this module as `tests.conftest` (the one import style: the root is on pytest's
# pythonpath); pytest loads it as `conftest`. One module under both names, so it runs once.
sys.modules.setdefault("tests.conftest", sys.modules[__name__])

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_data"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# Every AppTest makes its own BidiComponentManager, which scans every installed distribution's
# metadata for Streamlit components: 0.65 s per test, half the time of the AppTest layer (about
# 600 of its 1,000+ CPU seconds). The running server scans once, at start-up; a test process may
# too: nothing is installed while the tests run, so the scan's answer cannot change. Each caller
# gets its own copy of the list. tests/unit/test_streamlit_patch.py fails the day Streamlit stops
# scanning through this function, so the saving cannot go quietly stale.
_scan_once = functools.cache(manifest_scanner.scan_component_manifests)
manifest_scanner.scan_component_manifests = lambda max_workers=None: list(_scan_once())


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled synthetic sample (West Midlands, about 40,000 participants)."""
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def wales_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second, smaller synthetic dataset from another region (Welsh LAs), made once per run."""
    from insight.sample.synthetic import write_sample

    out = tmp_path_factory.mktemp("wales")
    write_sample(out, 6_000, 11, preset="wales", fmt="csv")
    return out


@pytest.fixture(autouse=True)
def _isolated_state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Sharing log and stakeholder insights go to a throwaway folder, never the user's own: even
    when INSIGHT_STATE_DIR is set in the shell that runs the tests, a test never writes there."""
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.delenv("INSIGHT_DATABASE_URL", raising=False)  # never a database of the shell's
    monkeypatch.delenv("INSIGHT_DATA_DIR", raising=False)  # kept datasets: in that folder too


@pytest.fixture(autouse=True)
def _local_user(monkeypatch: pytest.MonkeyPatch):
    """The tests use the app as its owner on their own machine, as after `make run`: the local
    user is opted in (INSIGHT_LOCAL_USER=1), never inferred from a loopback address. A test of
    what happens without the opt-in removes it (monkeypatch.delenv)."""
    monkeypatch.setenv("INSIGHT_LOCAL_USER", "1")


# --- the store on either engine or both ---------------------------------------------------------
# A test that asks for `store_engine` (or a module with pytestmark usefixtures("store_engine")) runs
# on a new empty database: on SQLite alone by default, as the store's logic (owners, filters,
# order, validation) is one SQLAlchemy Core query on either engine. A test whose behaviour
# depends on the engine (concurrency, locking, types and text, ids, upserts, migrations, other
# processes) is marked @pytest.mark.engines("sqlite", "postgresql") and runs once on each;
# @pytest.mark.engines("postgresql") runs on PostgreSQL alone (a provider's service).
ENGINES = ("sqlite", "postgresql")
DEFAULT_ENGINES = ("sqlite",)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_engine" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("engines")
        engines = marker.args if marker else DEFAULT_ENGINES
        metafunc.parametrize("store_engine", engines, indirect=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throwaway PostgreSQL cluster for the whole run (tests/pg.py); skipped only where
    Debian's postgresql is not installed (in CI, where .ci/run installs it, a failure)."""
    from tests.pg import Cluster, binaries

    found = binaries()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("postgresql is not installed; .ci/run installs it with apt-get")
        pytest.skip("PostgreSQL is not installed here (apt-get install -y postgresql)")
    cluster = Cluster(found).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def store_engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """ "sqlite" (the state folder's file, as without the fixture) or "postgresql" (a new
    database in the session's cluster, named by INSIGHT_DATABASE_URL, dropped afterwards)."""
    from insight.sharing import store

    if request.param == "sqlite":
        monkeypatch.delenv("INSIGHT_DATABASE_URL", raising=False)
        yield "sqlite"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    url = cluster.create_database()
    monkeypatch.setenv("INSIGHT_DATABASE_URL", url)
    yield "postgresql"
    store.dispose(url)
    cluster.drop_database(url)


def venv_tool(name: str, *args: str, timeout: int) -> subprocess.CompletedProcess[str]:
    """Run a command-line tool installed beside this Python (lint-imports, mypy) in the project
    root, its output captured; the caller judges its exit code."""
    return subprocess.run(
        [str(Path(sys.executable).with_name(name)), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def chromium_or_skip() -> str:
    """Path to Debian's Chromium; in CI its absence is a failure, elsewhere a skip."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
    pytest.skip("chromium is not installed (apt-get install -y chromium)")


# --- the order modules are handed out in ----------------------------------------------------------
# scripts/test.sh runs the suite on two workers, a module whole on one (--dist loadfile), handed
# out in collection order (--no-loadscope-reorder). Longest first: a long browser module handed out
# last kept one worker busy while the other sat idle (about 50 s on a fresh clone, with mypy's
# test queued behind it). The figures are worker-seconds measured on a fresh clone, rounded: only
# an order, never a limit. A module not listed is weighed by its count of tests.
MODULE_SECONDS = {
    "unit/test_figure_spec.py": 15,
    "unit/test_registry.py": 20,
    "unit/test_labour_market_order.py": 12,
    "unit/test_capacity_chart.py": 6,
    "unit/test_card_facts.py": 2,
    "unit/test_csv_lines.py": 6,
    "unit/test_folium_templates.py": 3,
    "unit/test_labels.py": 25,  # generated point sets and slide maps, the sample at every size
    "unit/test_slide_head.py": 4,
    "unit/test_columns.py": 4,
    "unit/test_pipeline_stages.py": 15,
    "browser/test_signin.py": 225,
    "browser/test_presenter_view.py": 70,
    "unit/test_notes.py": 30,
    "unit/test_load_fast_paths.py": 6,
    "browser/test_pages.py": 160,
    "unit/test_export.py": 30,  # the export command in-process, one pack drawn in Chromium
    "unit/test_place_rank.py": 5,
    "unit/test_handout.py": 90,
    "app/test_app_handouts.py": 40,
    "unit/test_presenter_text.py": 45,
    "unit/test_disclosure_statement.py": 15,
    "unit/test_per_la_order.py": 5,
    "unit/test_table_view_frame.py": 20,
    "unit/test_disclosure_tauargus.py": 15,
    "browser/test_presenter.py": 65,
    "app/test_app_access.py": 45,  # 48 tests, some of them server-address and sign-in walks
    "app/test_app_pages.py": 55,
    "app/test_app_meetings.py": 55,  # 14 tests, each opening the app once or more
    "app/test_drawing_cache.py": 25,  # the drawing caches' keys: mode, role, dataset version
    "browser/test_injection.py": 55,
    "browser/test_maps_browser.py": 50,
    "browser/test_slides.py": 100,
    "browser/test_deep_links.py": 45,
    "browser/test_upload.py": 30,
    "browser/test_keyboard.py": 30,
    "browser/test_downloads.py": 30,
    "unit/test_types.py": 15,
    "unit/test_slides_truth.py": 15,
    "app/test_app_slide_truth.py": 10,
    "app/test_review_gate.py": 15,
    "unit/test_review.py": 10,
    "unit/test_dataset_audience.py": 5,  # keeps the sample several times
    "unit/test_throttle.py": 3,
    "unit/test_turns.py": 3,
    "unit/test_collector.py": 1,
    "unit/test_nginx_keepalive.py": 1,
    "app/test_warm.py": 14,
    "unit/test_screen.py": 60,
    "app/test_app_typed_text.py": 35,
    "unit/test_screen_disguise.py": 30,
    "unit/test_valuescan.py": 15,
    "unit/test_workbook_bounds.py": 15,
    "unit/test_small_leaks.py": 15,
    "unit/test_preview.py": 25,  # two `prepare --dry-run` runs in a subprocess, a hypothesis walk
    "unit/test_default_dataset.py": 8,
    "app/test_data_round.py": 20,
    "unit/test_disclosure_linked.py": 60,  # LP attacks over generated datasets
    "unit/test_count_release.py": 8,
    "unit/test_kept_versions.py": 13,  # two child processes
    "app/test_kept_across_processes.py": 20,
    "browser/test_provider_service.py": 200,  # nginx, 2 app processes, a pack, a kill (265 s at load 13)
    # The store on SQLite, and on PostgreSQL where the engine matters (one cluster a run, started
    # by the first that needs it): writer processes started and killed.
    "unit/test_store.py": 90,
    "unit/test_store_migrations.py": 15,
    "unit/test_meeting_owners.py": 8,
    "unit/test_live.py": 15,
}
SECONDS_PER_TEST = {"browser": 15.0, "app": 0.6, "unit": 0.1}


def module_seconds(path: Path, tests: int) -> float:
    """How long a module's tests are expected to take, for ordering them (MODULE_SECONDS)."""
    try:
        relative = path.resolve().relative_to(ROOT / "tests").as_posix()
    except ValueError:  # collected from outside tests/ (a file named on the command line)
        return tests * 0.1
    if relative in MODULE_SECONDS:
        return MODULE_SECONDS[relative]
    return tests * SECONDS_PER_TEST.get(relative.split("/")[0], 0.1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules longest first, each module's tests in their own order."""
    by_module: dict[Path, list[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(Path(str(item.path)), []).append(item)
    ordered = sorted(by_module.items(), key=lambda kv: -module_seconds(kv[0], len(kv[1])))
    items[:] = [item for _path, module_items in ordered for item in module_items]
