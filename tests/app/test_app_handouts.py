"""Handouts from the pages (issue 25): a saved meeting and the ready-made one as a deck or a slide
PDF from the Meetings page, and an LA's summary from Overview, each one sharing-log entry with
its download and the Performance Manager link; none in presenter mode. Chromium is hidden from
the builds (the map becomes a chart, the summary describes it): these tests are about the pages,
not the drawing, which tests/unit/test_handout.py covers."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insight.intake.load import load_dataset
from insight.outputs import meetings
from insight.outputs import png as chart_images
from insight.sharing import store
from tests.app.app_scan import screen_text
from tests.app.harness import ROOT, opened

MEETINGS = "pages/meetings/meetings.py"
OVERVIEW = "pages/overview/overview.py"
REDDITCH = "E07000236"


@pytest.fixture(autouse=True)
def sample(sample_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setattr(chart_images, "chromium_path", lambda: None)
    return sample_dir


def downloads(at: AppTest) -> list:
    return [e for e in at.get("download_button")]


def test_a_meeting_becomes_a_deck_and_a_slide_pdf_each_logged_once(sample_dir: Path):
    at = opened(MEETINGS, la=REDDITCH)
    at.button(key="handout_auto_pptx").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (entry,) = store.list_log()
    assert (entry.kind, entry.la, entry.mode) == ("deck", REDDITCH, "presenter")
    slides = meetings.ready_made(load_dataset(sample_dir), REDDITCH)
    assert len(entry.included) == len(slides) and entry.included[0].startswith("1. ")
    assert "Copy it to your DWP Performance Manager" in screen_text(at)
    assert len(downloads(at)) == 1
    at.button(key="meetings_auto").click().run()  # saved: its own block
    (meeting,) = store.list_meetings(by=None)
    at.button(key=f"handout_{meeting.id}_slides").click().run()
    assert not at.exception, [e.value for e in at.exception]
    kinds = [e.kind for e in store.list_log()]
    assert kinds == ["slides", "deck"]
    assert store.list_log()[0].file_name.endswith(".pdf")


def test_overview_offers_the_la_summary_in_standard_mode_only():
    at = opened(OVERVIEW, la=REDDITCH)
    at.button(key="overview_summary").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (entry,) = store.list_log()
    assert (entry.kind, entry.la, entry.file_name[-4:]) == ("summary", REDDITCH, ".pdf")
    assert "official context beside the region and similar LAs" in entry.included
    whole = opened(OVERVIEW)
    assert not [b for b in whole.button if b.key == "overview_summary"]  # one LA only
    presenter = opened(OVERVIEW, la=REDDITCH, mode="presenter")
    assert not [b for b in presenter.button if b.key == "overview_summary"]
