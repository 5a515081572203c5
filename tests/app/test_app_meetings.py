"""Meetings through the router (app.py): the running order's store from the Meetings page (build,
reorder, remove, kept across a restart), Add to meeting under a chart, and the slides
(`?meeting=`) in presenter mode with no count on any slide."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.text import literal
from insight.sharing import store
from tests.app.app_scan import raw_counts, screen_numbers, screen_text
from tests.app.harness import opened

ROOT = Path(__file__).resolve().parents[2]
MEETINGS = "pages/meetings/meetings.py"
SLIDES = "pages/meetings/slides.py"
SANDWELL = "E08000028"


@pytest.fixture(autouse=True)
def sample(sample_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))  # an empty store for each test
    monkeypatch.syspath_prepend(str(ROOT))
    return sample_dir


def order(meeting_id: int) -> list[str]:
    return [item.chart for item in store.meeting_items(meeting_id, by=None)]


def counter(at: AppTest) -> str:
    found = [h.proto.body for h in at.get("html") if 'class="ri-slide-counter"' in h.proto.body]
    assert len(found) == 1, "one slide counter"
    return found[0].split(">", 1)[1].split("<", 1)[0]


def test_running_order_built_reordered_trimmed_and_kept_across_a_restart():
    at = opened(MEETINGS, la=SANDWELL)
    at.button(key="meetings_auto").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (meeting,) = store.list_meetings(by=None)
    assert meeting.name == "Partnership meeting: Sandwell"
    first = order(meeting.id)
    assert first[0] == "map.la_shares" and first[-1] == "ask" and len(first) == 11
    assert all(item.la == SANDWELL for item in store.meeting_items(meeting.id, by=None))

    items = store.meeting_items(meeting.id, by=None)
    at.button(key=f"item_down_{items[0].id}").click().run()  # the map after age bands
    assert order(meeting.id)[:2] == [first[1], first[0]]
    at.button(key=f"item_remove_{items[2].id}").click().run()  # disability goes
    assert order(meeting.id) == [first[1], first[0], *first[3:]]
    text = screen_text(at)
    assert "1. Age band" in text and "Disability" not in text.split("Running order", 1)[1]

    store._ready.clear()  # the app restarts: a new process, a new session
    again = opened(MEETINGS)
    assert again.selectbox(key="meetings_pick").value == meeting.id
    assert order(meeting.id) == [first[1], first[0], *first[3:]]
    assert "1. Age band" in screen_text(again)


def test_rename_duplicate_and_delete_from_the_page():
    at = opened(MEETINGS)
    at.text_input(key="meetings_new_name").input("Dudley board")
    at.button(key="FormSubmitter:meetings_new-Create meeting").click().run()
    (meeting,) = store.list_meetings(by=None)
    assert meeting.name == "Dudley board"
    at.text_input(key="meetings_name").input("Dudley employment board")
    at.button(key=f"FormSubmitter:meetings_edit_{meeting.id}-Save name and date").click().run()
    assert store.get_meeting(meeting.id).name == "Dudley employment board"
    at.button(key="meetings_duplicate").click().run()
    assert {m.name for m in store.list_meetings(by=None)} == {
        "Dudley employment board",
        "Dudley employment board (copy)",
    }
    assert at.selectbox(key="meetings_pick").value != meeting.id  # the copy is now chosen
    at.button(key="meetings_delete").click().run()
    at.button(key="meetings_delete_yes").click().run()
    assert [m.name for m in store.list_meetings(by=None)] == ["Dudley employment board"]


def test_add_to_meeting_under_a_chart_keeps_area_and_period():
    at = opened("pages/participants/barriers.py", la=SANDWELL, period="latest_12")
    at.button(key="meeting_add_barriers_all").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (meeting,) = store.list_meetings(by=None)
    (item,) = store.meeting_items(meeting.id, by=None)
    assert (item.chart, item.la, item.period) == ("barriers", SANDWELL, "latest_12")
    at.selectbox(key="meeting_pick_barrier_by_age").select(meeting.id)
    at.button(key="meeting_add_barrier_by_age").click().run()
    assert order(meeting.id) == ["barriers", "barrier_by_age.digital_skills"]


def test_the_place_joins_a_meeting_and_opens_as_a_slide_of_official_figures():
    at = opened("pages/labour_market/place.py", la=SANDWELL, period="latest_12")
    at.button(key="meeting_add_place").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (meeting,) = store.list_meetings(by=None)
    (item,) = store.meeting_items(meeting.id, by=None)
    assert (item.chart, item.la, item.period) == ("place", SANDWELL, "latest_12")
    slides = opened(meeting=str(meeting.id))
    tables = [h.proto.body for h in slides.get("html") if h.proto.body.startswith("<table")]
    assert len(tables) == 1 and "West Midlands" in tables[0] and "Claimant count rate" in tables[0]
    strip = [h.proto.body for h in slides.get("html") if "ri-slide-caveat" in h.proto.body]
    assert "Office for National Statistics" in strip[0]


def test_presenter_mode_lists_meetings_to_present_with_no_notes_or_editing():
    """The page is "Meetings" in both modes; on a shared screen it offers what can be presented
    (the audience window here, the presenter view in a window of its own) and nothing else: no
    running order to edit, no speaker notes, no "can show counts" notice."""
    meeting = store.create_meeting("Sandwell board", "2026-03-12")
    item = store.add_meeting_item(meeting.id, chart="barriers", la=SANDWELL, period="whole")
    store.update_meeting_item(item.id, notes="Thank the council for the venue")
    at = opened(mode="presenter")
    at.switch_page(SLIDES).run()
    assert "Present the ready-made meeting" in screen_text(at)
    at.switch_page(MEETINGS).run()
    assert not at.exception
    text = screen_text(at)
    assert "Present Sandwell board" in text and "can show counts" not in text
    assert "Thank the council" not in text and not at.get("text_area")
    links = " ".join(h.proto.body for h in at.get("html"))
    assert f"meeting={meeting.id}&amp;view=presenter" in links


def test_a_saved_meeting_opens_as_slides_in_presenter_mode_with_no_count(sample_dir: Path):
    meeting = store.create_meeting("Sandwell board", "2026-03-12")
    for chart in ("barriers", "characteristic.age_band", "map.la_shares", "provision", "ask"):
        store.add_meeting_item(meeting.id, chart=chart, la=SANDWELL, period="whole")
    at = opened(meeting=str(meeting.id))  # from the default page: routed to the slides
    assert at.session_state["mode"] == "presenter"
    assert counter(at) == "Slide 1 of 5"
    counts = raw_counts(sample_dir)
    for number in range(1, 6):
        heads = [h.proto.body for h in at.get("html") if 'class="ri-slide-area"' in h.proto.body]
        assert heads and ">Sandwell</h1>" in heads[0]
        leaks = counts & screen_numbers(at)
        assert not leaks, f"counts on slide {number}: {sorted(leaks)[:10]}"
        assert "not accredited or sponsored" in screen_text(at)
        if number < 5:
            at.button(key="slide_next").click().run()
            assert counter(at) == f"Slide {number + 1} of 5"
    at.button(key="slide_prev").click().run()
    assert counter(at) == "Slide 4 of 5"


def test_the_ready_made_meeting_opens_from_a_link_with_nothing_saved():
    at = opened(SLIDES, meeting="auto", la="all")
    assert counter(at) == "Slide 1 of 11"
    heads = [h.proto.body for h in at.get("html") if 'class="ri-slide-head"' in h.proto.body]
    assert len(heads) == 1 and "(whole area)</h1>" in heads[0]
    assert store.list_meetings(by=None) == []


def test_a_missing_meeting_says_so_plainly():
    at = opened(SLIDES, meeting="999")
    assert "That meeting cannot be opened" in at.error[0].value
    assert "999" not in at.error[0].value  # the link's text is never echoed back


def test_the_last_slide_records_what_the_room_says():
    meeting = store.create_meeting("Sandwell board", "2026-03-12")
    for chart in ("barriers", "ask"):
        store.add_meeting_item(meeting.id, chart=chart, la=SANDWELL, period="whole")
    at = opened(meeting=str(meeting.id), slide="2")
    assert counter(at) == "Slide 2 of 2"
    assert at.button(key="slide_next").disabled
    at.text_input(key="slide_insight_org").input("Sandwell Council")
    at.text_area(key="slide_insight_text").input("Transport to Oldbury is the barrier we hear most")
    at.button(key="FormSubmitter:slide_insight-Save insight").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (saved,) = store.list_insights(la=SANDWELL)
    assert (saved.organisation, saved.la) == ("Sandwell Council", SANDWELL)
    assert "Transport to Oldbury" in screen_text(at)  # listed under "Recorded in this meeting"
    at.button(key="FormSubmitter:slide_insight-Save insight").click().run()  # empty form
    assert "Not saved" in at.error[0].value
    assert len(store.list_insights(la=SANDWELL)) == 1


def test_a_name_over_the_limit_is_refused_with_the_text_kept():
    """Issue 30 item 7: the box had max_chars, and Streamlit's box ignores a paste that would
    pass it, so the field stayed empty with no word said. Now a long paste arrives, is refused
    on saving with its length and the limit, and stays in the box."""
    at = opened(MEETINGS)
    assert at.text_input(key="meetings_new_name").proto.max_chars == 0  # no box-side limit
    pasted = "Dudley employment and skills board " * 10
    at.text_input(key="meetings_new_name").input(pasted)
    at.button(key="FormSubmitter:meetings_new-Create meeting").click().run()
    assert store.list_meetings(by=None) == []
    assert literal(f"{len(pasted):,} characters, more than the 200") in at.error[0].value
    assert at.text_input(key="meetings_new_name").value == pasted


def test_notes_reach_the_presenter_view_and_never_the_audience_window():
    """The presenter's own note, then the default notes, in the presenter view only: the
    audience window of the same slide holds neither (the notes popover is gone)."""
    meeting = store.create_meeting("Sandwell board", "2026-03-12")
    item = store.add_meeting_item(meeting.id, chart="barriers", la=SANDWELL, period="whole")
    store.update_meeting_item(item.id, notes="Thank the council for the venue")
    view = opened(meeting=str(meeting.id), view="presenter")
    said = [
        h.proto.body
        for h in view.get("html")
        if h.proto.body.startswith('<div class="ri-pv-notes"')
    ]
    assert len(said) == 1
    assert said[0].index("Thank the council") < said[0].index("Ask the room")
    assert "Sandwell" in said[0] and "The chart shows" in said[0]
    audience = opened(meeting=str(meeting.id))
    shown = " ".join([screen_text(audience), *(h.proto.body for h in audience.get("html"))])
    assert counter(audience) == "Slide 1 of 1"
    assert "Thank the council" not in shown and "Ask the room" not in shown
    assert not audience.get("popover")


def test_overview_presents_the_chosen_area_in_one_click():
    at = opened(mode="presenter", la=SANDWELL)
    links = [link for link in at.get("page_link") if "Present this area" in link.proto.label]
    assert len(links) == 1 and links[0].proto.label == "Present this area"
    assert "Sandwell" in links[0].proto.help  # the area named beside it, never inside the link
    assert links[0].proto.page.endswith("slides")
    assert "meeting=auto" in links[0].proto.query_string or "meeting" in str(links[0].proto)
    views = [h.proto.body for h in at.get("html") if "ri-present-view" in h.proto.body]
    assert views and f"la={SANDWELL}" in views[0] and "view=presenter" in views[0]


def test_the_presenter_view_draws_the_current_slide_as_the_room_sees_it_a_map_included():
    """The presenter view's current slide is the audience window's own figure (drawn at the
    slide's size, scaled down in the browser), the map slide's map too: not a figure laid out
    again for a smaller box, where the legend was cut, and not a map only named."""
    audience = opened(meeting="auto", la=SANDWELL, slide="1")
    view = opened(meeting="auto", la=SANDWELL, slide="1", view="presenter")
    slide_map = [c.proto for c in audience.get("plotly_chart") if "slide_map" in c.proto.id]
    now = [c.proto for c in view.get("plotly_chart") if "pv_now_chart" in c.proto.id]
    assert len(slide_map) == 1 and len(now) == 1
    assert now[0].spec == slide_map[0].spec  # the same map, legend and labels as projected
    assert not [c for c in view.get("caption") if c.value.startswith("A map of every LA")]


def test_a_window_redraws_from_the_process_shared_look_at_the_presentation(monkeypatch):
    """A follower's redraw places its slide from live.watch (one look at the store shared by
    every window of the process for SEEN_FOR seconds), not a query of its own: a move made in
    this process is drawn with no query; one made by another process is drawn once the look is
    SEEN_FOR old, with one query for the watcher and the slide together."""
    from sqlalchemy import text

    from insight.sharing import live
    from insight.sharing.access import LOCAL

    clock = [9000.0]
    monkeypatch.setattr(live, "_clock", lambda: clock[0])
    monkeypatch.setattr(live, "_seen", {})  # no look of an earlier test's store (or clock)
    # Each look is a window opened on the link (AppTest's rerun of a window opened this way
    # runs the frame's default selection, another meeting).
    assert counter(opened(meeting="auto", la=SANDWELL)) == "Slide 1 of 11"
    key = live.meeting_key("auto", SANDWELL, "whole")  # the ready-made meeting's whole period
    looks: list[str] = []  # the queries of this presentation (AppTest's reruns touch others)

    def counted(real):  # noqa: ANN001, ANN202 - live.read or live.latest, counted
        def look(meeting: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if meeting == key:
                looks.append(real.__name__)
            return real(meeting, *args, **kwargs)

        return look

    monkeypatch.setattr(live, "read", counted(live.read))
    monkeypatch.setattr(live, "latest", counted(live.latest))
    live.move(key, LOCAL.user, LOCAL, total=11, to=1)  # this process: seen at once
    assert counter(opened(meeting="auto", la=SANDWELL)) == "Slide 2 of 11" and looks == []
    with store.transaction() as conn:  # another process moves the slides behind this one's back
        conn.execute(text("UPDATE live_slides SET slide = 5, version = version + 1"))
    fresh = opened(meeting="auto", la=SANDWELL)
    assert counter(fresh) == "Slide 2 of 11" and looks == []  # the shared look is fresh
    clock[0] += live.SEEN_FOR
    assert counter(opened(meeting="auto", la=SANDWELL)) == "Slide 6 of 11" and looks == ["read"]
