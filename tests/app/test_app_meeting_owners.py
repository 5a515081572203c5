"""Meeting ownership through the router (app.py), signed in as the roles file says: the Running
orders page shows each meeting's owner and offers rename, delete and the running order's
controls only on the meetings this person may change; Add to meeting lists only those; a viewer
never reaches the page and records nothing from a slide; presenter mode shows no one's address
in the sidebar."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.text import WORD_JOINER
from insight.sharing import store
from insight.sharing.access import Principal
from tests.app.app_scan import screen_text
from tests.app.harness import opened

ROOT = Path(__file__).resolve().parents[2]
MEETINGS = "pages/meetings/meetings.py"
SLIDES = "pages/meetings/slides.py"
BARRIERS = "pages/participants/barriers.py"
AUTH = {
    "redirect_uri": "http://127.0.0.1:9/oauth2callback",
    "cookie_secret": "test-only-cookie-secret",
    "client_id": "restart-insight",
    "client_secret": "test-only",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = 'data_manager = ["boss@provider.example"]\nanalyst = ["provider.example"]\n'
ANA = Principal("ana@provider.example", "analyst", True)
BEN = Principal("ben@provider.example", "analyst", True)
BOSS = "boss@provider.example"
VIEWER = "someone@elsewhere.example"
SANDWELL = "E08000028"


@pytest.fixture(autouse=True)
def _signed_in_app(sample_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path / "state"))  # an empty store
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("INSIGHT_ROLES", str(roles))
    monkeypatch.syspath_prepend(str(ROOT))


def as_user(email: str, path: str | None = None, **query: str) -> AppTest:
    user = {
        "is_logged_in": True,
        "email": email,
        "email_verified": True,  # only a verified address is looked up in the roles file
        "name": email.split("@")[0],
    }
    at = opened(path, user=user, auth=AUTH, **query)
    assert at.session_state["principal"].user == email
    return at


def meeting_of(owner: Principal, name: str, charts=("barriers", "services")) -> store.Meeting:
    made = store.create_meeting(name, "2026-03-12", by=owner)
    for chart in charts:
        store.add_meeting_item(made.id, chart=chart, la=SANDWELL, period="whole", by=owner)
    return made


def pick(at: AppTest, meeting: store.Meeting) -> AppTest:
    at.selectbox(key="meetings_pick").select(meeting.id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def edit_controls(at: AppTest) -> set[str]:
    """The controls that change the chosen meeting: delete, rename, and its running order's (a
    form by its submit button, keyed "FormSubmitter:<form>-<label>"), ids left out."""
    found = set()
    for key in (b.key or "" for b in at.button):
        key = key.removeprefix("FormSubmitter:").split("-", 1)[0]
        if key == "meetings_delete" or key.startswith(("meetings_edit_", "item_")):
            found.add(key.rsplit("_", 1)[0] if key[-1].isdigit() else key)
    return found


EVERY_CONTROL = {
    "meetings_delete",
    "meetings_edit",
    "item_up",
    "item_down",
    "item_remove",
    "item_notes",
}


def shown(at: AppTest) -> str:
    """Screen text as read: literal()'s invisible word joiners and escapes left out."""
    return screen_text(at).replace(WORD_JOINER, "").replace("\\", "")


def test_an_analyst_changes_their_own_meeting_and_only_reads_anothers():
    bens = meeting_of(BEN, "Ben's board")
    anas = meeting_of(ANA, "Ana's board")
    at = as_user(ANA.user, MEETINGS)
    assert at.selectbox(key="meetings_pick").value == anas.id  # the most recent first
    assert edit_controls(at) == EVERY_CONTROL
    assert f"Made by {ANA.user}" in shown(at)

    pick(at, bens)
    assert edit_controls(at) == set(), "Ben's meeting offers Ana no change"
    text = shown(at)
    assert f"Made by {BEN.user}" in text and "only they or a data manager" in text
    assert "1. Barriers" in text, "the running order is there to read"
    assert {b.key for b in at.button} >= {"meetings_duplicate"}, "a copy is still allowed"

    at.button(key="meetings_duplicate").click().run()  # Ana's own copy of Ben's meeting
    assert not at.exception, [e.value for e in at.exception]
    copy = store.get_meeting(at.selectbox(key="meetings_pick").value)
    assert (copy.name, copy.owner) == ("Ben's board (copy)", ANA.user)
    assert edit_controls(at) == EVERY_CONTROL
    first = store.meeting_items(copy.id, by=None)[0]
    at.button(key=f"item_remove_{first.id}").click().run()
    assert [i.chart for i in store.meeting_items(copy.id, by=None)] == ["services"]
    assert [i.chart for i in store.meeting_items(bens.id, by=None)] == ["barriers", "services"]


def test_a_data_manager_changes_every_meeting():
    bens = meeting_of(BEN, "Ben's board")
    anas = meeting_of(ANA, "Ana's board")
    at = as_user(BOSS, MEETINGS)
    for meeting in (anas, bens):
        pick(at, meeting)
        assert edit_controls(at) == EVERY_CONTROL, meeting.name
    at.text_input(key="meetings_name").input("Ben's board, tidied")
    at.button(key=f"FormSubmitter:meetings_edit_{bens.id}-Save name and date").click().run()
    assert not at.exception, [e.value for e in at.exception]
    renamed = store.get_meeting(bens.id)
    assert (renamed.name, renamed.owner) == ("Ben's board, tidied", BEN.user)
    at.button(key="meetings_delete").click().run()
    at.button(key="meetings_delete_yes").click().run()
    assert [m.id for m in store.list_meetings(by=None)] == [anas.id]


def test_meetings_made_on_the_page_belong_to_who_made_them():
    at = as_user(ANA.user, MEETINGS, la=SANDWELL)
    at.button(key="meetings_auto").click().run()
    at.text_input(key="meetings_new_name").input("Dudley board")
    at.button(key="FormSubmitter:meetings_new-Create meeting").click().run()
    assert not at.exception, [e.value for e in at.exception]
    made = {m.name: m for m in store.list_meetings(by=None)}
    assert {n: m.owner for n, m in made.items()} == {
        "Partnership meeting: Sandwell": ANA.user,
        "Dudley board": ANA.user,
    }
    assert len(store.meeting_items(made["Partnership meeting: Sandwell"].id, by=None)) == 11


def test_a_viewer_never_reaches_the_running_orders():
    meeting_of(ANA, "Ana's board")
    at = as_user(VIEWER)
    assert at.session_state["principal"].role == "viewer"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(MEETINGS)


def test_add_to_meeting_lists_only_meetings_this_person_may_change():
    bens = meeting_of(BEN, "Ben's board")
    anas = meeting_of(ANA, "Ana's board")
    at = as_user(ANA.user, BARRIERS, la=SANDWELL)
    pick_box = at.selectbox(key="meeting_pick_barriers_all")
    assert list(pick_box.options) == ["Ana's board (12 March 2026)", "A new meeting"]
    pick_box.select(anas.id)
    at.button(key="meeting_add_barriers_all").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [i.chart for i in store.meeting_items(anas.id, by=None)] == [
        "barriers",
        "services",
        "barriers",
    ]
    assert len(store.meeting_items(bens.id, by=None)) == 2

    boss = as_user(BOSS, BARRIERS, la=SANDWELL)
    assert set(boss.selectbox(key="meeting_pick_barriers_all").options) == {
        "Ana's board (12 March 2026)",
        "Ben's board (12 March 2026)",
        "A new meeting",
    }
    boss.selectbox(key="meeting_pick_barriers_all").select(0)  # 0: "A new meeting"
    boss.button(key="meeting_add_barriers_all").click().run()
    newest = store.list_meetings(by=None)[0]
    assert newest.owner == BOSS and [i.chart for i in store.meeting_items(newest.id, by=None)] == [
        "barriers"
    ]


def test_the_last_slide_records_for_the_signed_in_person_and_not_for_a_viewer():
    anas = meeting_of(ANA, "Ana's board", charts=("barriers", "ask"))
    at = as_user(ANA.user, meeting=str(anas.id), slide="2")
    at.text_input(key="slide_insight_org").input("Sandwell Council")
    at.text_area(key="slide_insight_text").input("Buses stop at six")
    at.button(key="FormSubmitter:slide_insight-Save insight").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [saved] = store.list_insights(la=SANDWELL)
    assert saved.owner == ANA.user

    viewer = as_user(VIEWER, meeting=str(anas.id), slide="2")
    assert "Buses stop at six" in shown(viewer), "a viewer reads what was recorded"
    assert not viewer.get("form"), "and records nothing"


@pytest.mark.parametrize("email", [ANA.user, VIEWER])
def test_presenter_mode_shows_the_role_and_no_address(email):
    at = as_user(email, mode="presenter")
    assert at.session_state["selection"].mode == "presenter"
    sidebar = [t.value for t in at.sidebar.text]
    role = at.session_state["principal"].role
    assert ("Analyst" if role == "analyst" else "Viewer") in sidebar
    assert email not in shown(at) and "@" not in "\n".join(sidebar)
    assert [b.key for b in at.sidebar.button if b.key == "sign_out"] == ["sign_out"]


def test_standard_mode_names_the_signed_in_person():
    at = as_user(ANA.user)
    assert f"{ANA.user} (analyst)" in [t.value for t in at.sidebar.text]


def test_a_role_taken_away_between_two_clicks_changes_nothing(tmp_path: Path):
    bens = meeting_of(BEN, "Ben's board")
    at = as_user(BOSS, MEETINGS)
    at.button(key="meetings_delete").click().run()
    assert at.button(key="meetings_delete_yes"), "the data manager is asked to confirm"
    # The roles file is read on every run: Boss is an analyst by the next click.
    (tmp_path / "roles.toml").write_text('analyst = ["provider.example"]\n', encoding="utf-8")
    at.button(key="meetings_delete_yes").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["principal"].role == "analyst"
    assert store.get_meeting(bens.id) is not None, "Ben's meeting is still there"
    assert edit_controls(at) == set()
    assert "only they or a data manager" in shown(at)
