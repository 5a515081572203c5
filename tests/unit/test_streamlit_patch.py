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
