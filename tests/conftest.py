"""Fixtures shared by every test folder. Keep them few: each test module owns its own helpers."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner

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


def chromium_or_skip() -> str:
    """Path to Debian's Chromium; in CI its absence is a failure, elsewhere a skip."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
    pytest.skip("chromium is not installed (apt-get install -y chromium)")
