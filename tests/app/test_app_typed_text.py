"""Text typed into the app goes through the free-text screen for both bans (issue 30 item 2): a
stakeholder insight, a meeting's name and a slide's speaker notes holding a count of outcomes or
an email address are not saved, the message says what to remove without quoting it, and what was
typed stays in the box to be corrected."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insight.sharing import store
from tests.app.app_scan import screen_text
from tests.app.harness import open_app, opened

ROOT = Path(__file__).resolve().parents[2]
REFUSED = [
    ("We saw 312 job outcomes in Dudley", "count of people or outcomes"),
    ("Ask jane.doe@example.com for the notes", "email address"),
]


@pytest.fixture(autouse=True)
def sample(sample_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    monkeypatch.syspath_prepend(str(ROOT))
    return sample_dir


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


@pytest.mark.parametrize(("typed", "kind"), REFUSED)
def test_a_stakeholder_insight_is_refused_and_kept_in_the_box(typed: str, kind: str) -> None:
    at = opened("pages/sharing/stakeholder_insights.py")
    at.text_input(key="add_org").input("Dudley Council")
    at.text_area(key="add_text").input(typed)
    at.button(key="FormSubmitter:insight_add-Save insight").click().run()
    assert not at.exception
    assert store.list_insights() == []
    assert kind in errors(at) and "Not saved" in errors(at)
    assert typed not in screen_text(at).replace(at.text_area(key="add_text").value, "")
    assert at.text_area(key="add_text").value == typed  # kept, to be corrected
    at.text_area(key="add_text").input("Buses stop at 6pm")
    at.button(key="FormSubmitter:insight_add-Save insight").click().run()
    assert not at.exception, errors(at)
    assert [i.text for i in store.list_insights()] == ["Buses stop at 6pm"]
    assert at.text_area(key="add_text").value == ""  # saved: the box is empty again


@pytest.mark.parametrize(("typed", "kind"), REFUSED)
def test_a_meeting_name_is_refused_and_kept_in_the_box(typed: str, kind: str) -> None:
    at = opened("pages/meetings/meetings.py")
    at.text_input(key="meetings_new_name").input(typed)
    at.button(key="FormSubmitter:meetings_new-Create meeting").click().run()
    assert not at.exception
    assert store.list_meetings(by=None) == []
    assert kind in errors(at) and "meeting name" in errors(at)
    assert at.text_input(key="meetings_new_name").value == typed


@pytest.mark.parametrize(("typed", "kind"), REFUSED)
def test_speaker_notes_are_refused_and_kept_in_the_box(typed: str, kind: str) -> None:
    at = opened("pages/meetings/meetings.py")
    at.button(key="meetings_auto").click().run()
    (meeting,) = store.list_meetings(by=None)
    item = store.meeting_items(meeting.id, by=None)[0]
    at.text_area(key=f"item_notes_text_{item.id}").input(typed)
    at.button(key=f"FormSubmitter:item_notes_{item.id}-Save notes").click().run()
    assert not at.exception
    assert store.meeting_items(meeting.id, by=None)[0].notes == ""
    assert kind in errors(at)
    assert at.text_area(key=f"item_notes_text_{item.id}").value == typed


def test_the_slides_record_form_refuses_and_keeps_the_text() -> None:
    meeting = store.create_meeting("Sandwell board", "2026-03-12")
    store.add_meeting_item(meeting.id, chart="ask", la="E08000028", period="whole")
    at = open_app(meeting=str(meeting.id))
    typed = "Starts rose to 980 this year"
    at.text_input(key="slide_insight_org").input("Sandwell Council")
    at.text_area(key="slide_insight_text").input(typed)
    at.button(key="FormSubmitter:slide_insight-Save insight").click().run()
    assert not at.exception
    assert store.list_insights() == []
    assert "count of people or outcomes" in errors(at)
    assert at.text_area(key="slide_insight_text").value == typed
