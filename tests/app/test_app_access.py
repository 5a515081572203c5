"""Roles through AppTest: every spelling of `mode` in the URL, the viewer-only app when served
beyond this machine without sign-in, the sign-in gate, the pages each role reaches, and who may
record, edit and delete stakeholder insights."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from components import navigation
from components.text import WORD_JOINER
from insight.sharing import store
from insight.sharing.access import LOCAL_USER, Principal
from tests.app.app_scan import screen_text
from tests.app.harness import open_app, page_alone

ROOT = Path(__file__).resolve().parents[2]
INSIGHTS = str(ROOT / "pages" / "sharing" / "stakeholder_insights.py")
AUTH = {
    "redirect_uri": "http://127.0.0.1:9/oauth2callback",
    "cookie_secret": "test-only-cookie-secret",
    "client_id": "restart-insight",
    "client_secret": "test-only",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = 'data_manager = ["boss@provider.example"]\nanalyst = ["provider.example"]\n'


@pytest.fixture(autouse=True)
def _sample(sample_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("INSIGHT_ROLES", str(roles))
    monkeypatch.syspath_prepend(str(ROOT))


@pytest.fixture
def served_on(request: pytest.FixtureRequest):
    """Set server.address for the app runs of one test (as `--server.address` does), then put
    back what config.toml said."""
    before = config.get_option("server.address")

    def serve(address: str | None) -> None:
        config.set_option("server.address", address)

    yield serve
    config.set_option("server.address", before)


def run(query: dict[str, str | list[str]] | None = None, *, user: dict | None = None) -> AppTest:
    return open_app(user=user, auth=AUTH if user is not None else None, **(query or {}))


def reachable(at: AppTest, path: str) -> bool:
    """Whether st.navigation registered this page for the session (AppTest refuses to switch to
    a page it did not, as a browser gets no such URL)."""
    try:
        at.switch_page(path)
    except ValueError as refused:
        assert "Could not find a navigation page" in str(refused)
        return False
    return True


def mode(at: AppTest) -> str:
    return at.session_state["selection"].mode


def role(at: AppTest) -> str:
    return at.session_state["principal"].role


def signed_in(email: str) -> dict:
    return {
        "is_logged_in": True,
        "email": email,
        "email_verified": True,
        "name": email.split("@")[0],
    }


# --- the mode in the URL -----------------------------------------------------------------------
SPELLINGS: list[tuple[dict, str]] = [
    ({}, "standard"),  # dropped
    ({"mode": "presenter"}, "presenter"),
    ({"mode": "PRESENTER"}, "presenter"),
    ({"mode": "Presenter"}, "presenter"),
    ({"mode": " presenter "}, "presenter"),
    ({"Mode": "presenter"}, "presenter"),
    ({"MODE": "PRESENTER"}, "presenter"),
    ({"mode": ["presenter", "standard"]}, "presenter"),
    ({"mode": ["standard", "presenter"]}, "presenter"),
    ({"mode": "presenter", "MODE": "standard"}, "presenter"),
    ({"mode": "standard"}, "standard"),
    ({"mode": ""}, "standard"),
    ({"mode": "presentation"}, "standard"),
]


@pytest.mark.parametrize(("query", "expected"), SPELLINGS, ids=lambda v: repr(v))
def test_every_spelling_of_mode_for_the_local_user(query: dict, expected: str) -> None:
    at = run(query)
    assert not at.exception
    assert role(at) == "data_manager" and at.session_state["principal"].user == LOCAL_USER
    assert mode(at) == expected
    mode_keys = [k for k in at.query_params if k.casefold() == "mode"]
    if expected == "presenter":
        value = at.query_params["mode"]
        assert mode_keys == ["mode"]
        assert ([value] if isinstance(value, str) else list(value)) == ["presenter"]
    else:
        assert mode_keys == [], "standard mode keeps no mode in the URL"


@pytest.mark.parametrize(("query", "_"), SPELLINGS, ids=lambda v: repr(v))
def test_every_spelling_of_mode_served_beyond_this_machine_is_presenter(
    served_on, query, _
) -> None:
    served_on("0.0.0.0")
    at = run(query)
    assert not at.exception
    assert role(at) == "viewer"
    assert mode(at) == "presenter"
    assert not [b for b in at.sidebar.button if b.key == "ask_leave_presenter"], "no way out"
    assert "presenter mode is the only mode" in screen_text(at)


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "192.168.1.20", None])
def test_served_beyond_this_machine_without_sign_in_is_viewer_only(served_on, address) -> None:
    served_on(address)
    at = run({"mode": "standard"})
    assert (role(at), mode(at)) == ("viewer", "presenter")
    assert at.session_state["principal"].user == "visitor"
    # The Data page and the exports page are not registered with st.navigation: no URL.
    for path in ("pages/data/data.py", "pages/sharing/sharing.py"):
        assert not reachable(at, path)
    at.switch_page("pages/sharing/stakeholder_insights.py").run()
    assert [t.value.split(" — ")[0] for t in at.title] == ["Stakeholder insights"]
    assert not at.get("form"), "a viewer records and edits nothing"


def test_on_loopback_without_the_local_user_opt_in_is_a_viewer(served_on, monkeypatch) -> None:
    """The server on 127.0.0.1 and the browser on this machine, as a TCP forwarder (ssh -L,
    socat, kubectl port-forward) would deliver any remote visitor: without INSIGHT_LOCAL_USER
    (which `make run` sets) nobody is the local user."""
    served_on("127.0.0.1")
    monkeypatch.delenv("INSIGHT_LOCAL_USER")
    at = run({"mode": "standard"})
    assert not at.exception
    principal: Principal = at.session_state["principal"]
    assert (principal.user, principal.role, mode(at)) == ("visitor", "viewer", "presenter")
    assert "INSIGHT_LOCAL_USER" in screen_text(at), "the sidebar says how the owner opts in"
    assert not reachable(at, "pages/data/data.py")
    monkeypatch.setenv("INSIGHT_LOCAL_USER", "1")  # the same server, opted in: the owner
    assert role(run({"mode": "standard"})) == "data_manager"


def test_leaving_presenter_mode_by_the_session_state_does_not_work_for_a_viewer(served_on) -> None:
    served_on("0.0.0.0")
    at = run()
    at.session_state["mode"] = "standard"  # as if a stale widget had set it
    at.run()
    assert mode(at) == "presenter"


# --- sign-in and roles -------------------------------------------------------------------------
def test_with_sign_in_configured_nothing_shows_before_signing_in() -> None:
    at = run({"mode": "standard"}, user={"is_logged_in": False})
    assert not at.exception
    assert [b.key for b in at.button] == ["sign_in"]
    text = screen_text(at)
    assert "Sign in with your organisation account" in text
    assert "Heartwood" not in text, "no dataset is opened for someone not signed in"
    assert "selection" not in at.session_state
    assert not reachable(at, "pages/data/data.py")
    assert not reachable(at, "pages/overview/overview.py")


@pytest.mark.parametrize(
    ("email", "expected_role", "reaches"),
    [
        (
            "boss@provider.example",
            "data_manager",
            {"Data", "Exports and sharing log", "Meetings"},
        ),
        ("ana@provider.example", "analyst", {"Exports and sharing log", "Meetings"}),
        ("someone@elsewhere.example", "viewer", set()),
    ],
)
def test_signed_in_roles_reach_their_pages(email, expected_role, reaches) -> None:
    at = run({"mode": "standard"}, user=signed_in(email))
    assert not at.exception
    principal: Principal = at.session_state["principal"]
    assert (principal.user, principal.role, principal.signed_in) == (email, expected_role, True)
    assert mode(at) == ("presenter" if expected_role == "viewer" else "standard")
    if expected_role == "viewer":  # presenter mode: the role only, no one's address on screen
        assert email not in screen_text(at) and "Viewer" in [t.value for t in at.sidebar.text]
    else:
        assert email in screen_text(at), "the sidebar says who is signed in"
    assert [b.key for b in at.sidebar.button if b.key == "sign_out"] == ["sign_out"]
    for spec in navigation.PAGES:
        expected = spec.title in reaches or spec.needs is None
        assert reachable(at, spec.path) == expected, spec.title
        if expected:
            at.switch_page(spec.path).run()  # and the page itself opens for this role
            assert not at.exception, spec.title
            assert at.session_state["principal"].user == email


@pytest.mark.parametrize("claim", [None, False])
def test_a_sign_in_without_email_verified_true_is_a_viewer(claim) -> None:
    user = signed_in("boss@provider.example")
    if claim is None:
        del user["email_verified"]  # Microsoft Entra ID sends no such claim
    else:
        user["email_verified"] = claim
    at = run({"mode": "standard"}, user=user)
    assert (role(at), mode(at)) == ("viewer", "presenter")
    assert not reachable(at, "pages/data/data.py")


def test_roles_entries_that_never_match_are_shown_to_a_data_manager(tmp_path, monkeypatch) -> None:
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES + 'viewer = ["*.council.example"]\n', encoding="utf-8")
    monkeypatch.setenv("INSIGHT_ROLES", str(roles))
    boss = run({"mode": "standard"}, user=signed_in("boss@provider.example"))
    (warning,) = [w.value.replace("\\", "") for w in boss.sidebar.warning]  # literal() escapes
    assert "*.council.example" in warning and "can never match" in warning
    analyst = run({"mode": "standard"}, user=signed_in("ana@provider.example"))
    assert not analyst.sidebar.warning, "only a data manager is told"


def test_a_broken_roles_file_makes_everyone_a_viewer_and_says_why(tmp_path, monkeypatch) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('data_manager = ["boss@provider.example"\n', encoding="utf-8")
    monkeypatch.setenv("INSIGHT_ROLES", str(broken))
    at = run(user=signed_in("boss@provider.example"))
    assert role(at) == "viewer"
    assert any("not valid TOML" in e.value for e in at.sidebar.error)


# --- record ownership --------------------------------------------------------------------------
ANA = Principal("ana@provider.example", "analyst", True)
BEN = Principal("ben@provider.example", "analyst", True)
BOSS = Principal("boss@provider.example", "data_manager", True)
VIEW = Principal("view@provider.example", "viewer", True)


def insights_page(principal: Principal, mode: str = "standard") -> AppTest:
    from insight.core.selection import Selection

    return page_alone(INSIGHTS, Selection(mode=mode), principal=principal)


def add(text: str, by: Principal) -> store.StakeholderInsight:
    return store.add_insight(
        organisation="Coventry City Council",
        la="all",
        theme=store.THEMES[0],
        text=text,
        shared_on="2025-03-12",
        by=by,
    )


def delete_keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key and b.key.startswith("insight_delete_")}


def edit_forms(at: AppTest) -> set[str]:
    return {f.id for f in at.get("form") if "insight_edit_" in str(f.id)}


def test_an_insight_recorded_on_the_page_belongs_to_who_recorded_it() -> None:
    at = insights_page(ANA)
    at.text_input(key="add_org").input("Coventry City Council")
    at.text_area(key="add_text").input("Buses stop at 6pm")
    submit = [b for b in at.button if b.label == "Save insight"]
    assert submit, "the analyst can record"
    submit[0].click().run()
    assert not at.exception
    [item] = store.list_insights()
    assert (item.text, item.owner) == ("Buses stop at 6pm", ANA.user)
    # literal() keeps an address from becoming a live link with invisible word joiners
    shown = screen_text(at).replace("\\", "").replace(WORD_JOINER, "")
    assert f"Recorded by {ANA.user}" in shown


def test_an_analyst_may_edit_and_delete_only_their_own() -> None:
    anas, bens = add("Ana's view", ANA), add("Ben's view", BEN)
    at = insights_page(ANA)
    assert not at.exception
    assert delete_keys(at) == {f"insight_delete_{anas.id}"}
    at.button(key=f"insight_delete_{anas.id}").click().run()
    at.button(key=f"insight_delete_yes_{anas.id}").click().run()
    assert [i.id for i in store.list_insights()] == [bens.id]
    assert delete_keys(insights_page(ANA)) == set(), "Ben's insight offers Ana nothing"


def test_a_data_manager_may_edit_and_delete_any() -> None:
    anas, local = add("Ana's view", ANA), add("From before sign-in", None)
    at = insights_page(BOSS)
    assert delete_keys(at) == {f"insight_delete_{anas.id}", f"insight_delete_{local.id}"}
    at.button(key=f"insight_delete_{local.id}").click().run()
    at.button(key=f"insight_delete_yes_{local.id}").click().run()
    assert [i.id for i in store.list_insights()] == [anas.id]


def test_a_viewer_reads_but_records_edits_and_deletes_nothing() -> None:
    add("Ana's view", ANA)
    at = insights_page(VIEW, mode="presenter")
    assert not at.exception
    assert "Ana's view" in [t.value for t in at.text]
    assert not at.get("form") and delete_keys(at) == set()
    assert ANA.user not in screen_text(at).replace("\\", ""), (
        "no colleague's address on a projector"
    )
    # even in standard mode (were it ever reached), nothing is offered
    at = insights_page(VIEW, mode="standard")
    assert not at.get("form") and delete_keys(at) == set()


def test_the_sharing_log_shows_who_exported(monkeypatch) -> None:
    from insight.core.selection import Selection

    monkeypatch.setattr("insight.outputs.png.chromium_path", lambda: None)
    at = page_alone(
        "pages/sharing/sharing.py", Selection(la="E08000026", mode="standard"), principal=ANA
    )
    at.multiselect(key="sharing_charts").set_value(["barriers"])
    at.button(key="sharing_build").click().run()
    assert not at.exception
    [entry] = store.list_log()
    assert entry.owner == ANA.user
    assert at.dataframe[0].value["By"].tolist() == [ANA.user]


# --- the rerun limit ---------------------------------------------------------------------------
def test_a_session_rerunning_too_fast_gets_a_sentence_not_a_page(monkeypatch) -> None:
    """Through app.py: the bucket (insight.sharing.throttle) is asked before any work, and a
    refused run draws one sentence and nothing of the dataset."""
    from insight.sharing.throttle import TOO_FAST

    monkeypatch.setenv("INSIGHT_RERUN_BURST", "2")
    monkeypatch.setenv("INSIGHT_RERUNS_PER_MINUTE", "1")
    at = run()
    assert not at.exception and at.title, "the first run draws the page"
    at.run()
    assert at.title and not at.warning
    at.run()  # the third within a minute: over the limit
    assert [w.value for w in at.warning] == [TOO_FAST]
    assert not at.title and not at.sidebar.selectbox, "no page, no filters: no data work"
    assert "selection" in at.session_state, "the session keeps its place for the next click"
    again = at.button(key="rerun_limit_again")
    again.click().run()  # still within the minute: still refused, and still a way to try
    assert [w.value for w in at.warning] == [TOO_FAST] and at.button(key="rerun_limit_again")


# --- meetings: a viewer follows one by its link, never lists them or reads notes ---------------
NOTE = "Ask the council about the bus contract before this slide"


def present_keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key and b.key.startswith("present_")}


def test_on_the_slides_page_a_viewer_lists_no_meetings_and_reads_no_notes(served_on) -> None:
    ana = Principal("ana@provider.example", "analyst", True)
    made = store.create_meeting("Sandwell board", "2026-03-12", by=ana)
    store.add_meeting_item(made.id, chart="barriers", la="all", period="whole", notes=NOTE, by=ana)
    owner = run()  # the control: the local user lists it, and reads the note in its presenter view
    owner.switch_page("pages/meetings/slides.py").run()
    assert present_keys(owner) == {"present_auto", f"present_{made.id}"}
    assert NOTE in screen_text(run({"meeting": str(made.id), "view": "presenter"}))
    served_on("0.0.0.0")
    at = run()
    at.switch_page("pages/meetings/slides.py").run()
    assert not at.exception
    assert present_keys(at) == {"present_auto"}, "only the ready-made meeting is offered"
    assert "Sandwell board" not in screen_text(at)
    followed = run({"meeting": str(made.id)})  # the link it was shown
    assert not followed.exception and role(followed) == "viewer"
    text = screen_text(followed)
    assert "Slide 1 of 1" in text, "the viewer sees the slides"
    assert NOTE not in text, "but never the speaker notes"
    asked = screen_text(run({"meeting": str(made.id), "view": "presenter"}))
    assert NOTE not in asked, "not even by asking for the presenter view"


# --- kept datasets: a viewer opens only those kept for viewers --------------------------------
def test_a_viewer_opens_only_datasets_kept_for_viewers(served_on, wales_dir) -> None:
    """Kept from the smaller Welsh dataset (6,000 participants): each keep checks the dataset
    whole, and the sample's 40,000 twice over cost most of this test's 30 s."""
    from insight.sharing import datasets

    datasets.keep("board-only", wales_dir)  # the default audience: data managers only
    datasets.keep("for-everyone", wales_dir, audience="viewer")
    served_on("0.0.0.0")

    def notice(at: AppTest) -> list[str]:
        return [w.value.replace("\\", "") for w in at.warning]

    guessed, missing = run({"dataset": "board-only"}), run({"dataset": "no-such-set"})
    assert role(guessed) == "viewer" and guessed.session_state["dataset_name"] is None
    assert "dataset" not in guessed.query_params
    said = notice(guessed)
    assert said and "cannot be opened on this server" in said[0]
    assert "board-only" not in said[0], "the link's text is never echoed (issue 30 item 7)"
    assert said == notice(missing), "another audience's dataset answers exactly as a missing one"
    shown = run({"dataset": "for-everyone"})
    assert shown.session_state["dataset_name"] == "for-everyone"
    assert shown.query_params["dataset"] == "for-everyone" and not notice(shown)
    served_on("127.0.0.1")  # the local user (opted in): the data manager opens it
    assert run({"dataset": "board-only"}).session_state["dataset_name"] == "board-only"


def test_a_refused_insight_keeps_what_was_typed_and_a_saved_one_clears() -> None:
    """Issue 30 item 7: the form was cleared on submit and its box had max_chars (which drops a
    longer paste): a refused entry vanished. Now it stays to be mended; a saved one clears."""
    at = insights_page(ANA)
    long_text = "Buses stop at 6pm. " * 1100  # 20,900 characters: over store.MAX_TEXT
    at.text_input(key="add_org").input("Coventry City Council")
    at.text_area(key="add_text").input(long_text)
    next(b for b in at.button if b.label == "Save insight").click().run()
    assert not at.exception
    assert store.list_insights() == []
    assert "Not saved" in at.error[0].value and "longer than" in at.error[0].value
    assert at.text_area(key="add_text").value == long_text  # kept, to be shortened
    at.text_area(key="add_text").input("Buses stop at 6pm")
    next(b for b in at.button if b.label == "Save insight").click().run()
    assert [i.text for i in store.list_insights()] == ["Buses stop at 6pm"]
    assert at.text_area(key="add_text").value == "" and at.text_input(key="add_org").value == ""
