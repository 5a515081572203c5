"""app.py switches off Streamlit's legacy `pages/` mode through a private class attribute,
`PagesManager.uses_pages_directory` (see the note at the top of app.py). These tests fail loudly
the day a Streamlit upgrade renames or stops reading it, instead of deep links quietly breaking."""

from __future__ import annotations

import importlib.util
import inspect

from streamlit.runtime import pages_manager
from streamlit.runtime.pages_manager import PagesManager

from tests.conftest import ROOT


def test_pages_manager_still_decides_legacy_mode_from_the_class_attribute() -> None:
    assert "uses_pages_directory" in vars(PagesManager), "Streamlit renamed the legacy-mode flag"
    source = inspect.getsource(pages_manager.PagesManager.__init__)
    # The flag is only computed when it is still None: a value set before any session wins.
    assert "if PagesManager.uses_pages_directory is None" in source


def test_importing_app_as_the_asgi_entry_point_switches_legacy_mode_off() -> None:
    saved = PagesManager.uses_pages_directory
    PagesManager.uses_pages_directory = None
    try:
        spec = importlib.util.spec_from_file_location("restart_insight_app", ROOT / "app.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert PagesManager.uses_pages_directory is False
        assert module.app is not None
    finally:
        PagesManager.uses_pages_directory = saved


def test_apptest_finds_components_through_the_scan_tests_conftest_runs_once() -> None:
    """tests/conftest.py answers Streamlit's component scan once per test process. AppTest must
    still scan through `manifest_scanner.scan_component_manifests`, looked up when it runs, or
    the saving is gone (and this fails)."""
    from streamlit.components.v2 import component_manager, manifest_scanner
    from streamlit.testing.v1 import AppTest

    assert "scan_component_manifests" in inspect.getsource(
        component_manager.BidiComponentManager.discover_and_register_components
    )
    assert "discover_and_register_components" in inspect.getsource(AppTest._run)
    calls = []
    answer = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = lambda max_workers=None: calls.append(1) or []
    try:
        AppTest.from_string("import streamlit as st\nst.write('hi')").run()
    finally:
        manifest_scanner.scan_component_manifests = answer
    assert calls == [1], "AppTest no longer scans for components through manifest_scanner"
    first, second = answer(), answer()
    assert first == second and first is not second  # the same answer, each caller its own list
