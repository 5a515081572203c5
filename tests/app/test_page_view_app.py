"""Through the router (app.py): the object a page is given is a PageView with no frame and no
Dataset in it, it is the one app.py built for the run (with the sidebar's selection), and it
is not left in the session once the page has run (issue 13 item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from components import context
from insight.service.view import PageView
from tests.app.harness import opened
from tests.unit.test_page_view import leaks

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def recorded(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[PageView]]:
    """The views app.py hands in, and those the pages are given (context.view)."""
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.syspath_prepend(str(ROOT))
    seen: dict[str, list[PageView]] = {"handed": [], "given": []}
    handed_in, view = context.handed_in, context.view

    def handing(shown: PageView):
        seen["handed"].append(shown)
        return handed_in(shown)

    def giving() -> PageView:
        shown = view()
        seen["given"].append(shown)
        return shown

    monkeypatch.setattr(context, "handed_in", handing)
    monkeypatch.setattr(context, "view", giving)
    return seen


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_pages_are_given_the_routers_view_and_nothing_else(mode: str, recorded) -> None:
    at = opened("pages/participants/barriers.py", mode, la="E08000028")
    handed, given = recorded["handed"], recorded["given"]
    assert len(handed) == 2 and given, "app.py hands a view to each page run"
    for shown in handed:
        assert isinstance(shown, PageView) and leaks(shown) == []
        assert (shown.selection.la, shown.selection.mode) == ("E08000028", mode)
    # Each run: app.py asks once (for the sidebar), then the page is given app.py's view with
    # the sidebar's selection, not one built again.
    assert len(given) == 4
    assert [g is h for g, h in zip(given[1::2], handed, strict=True)] == [True, True]
    assert context.VIEW not in at.session_state, "the view is not kept in the session"
