"""The three sharing pages through AppTest: build a pack (a log row appears), record and manage
stakeholder insights, and the guided check. Hostile text must come back as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insight.core.selection import Selection
from insight.sharing import store
from tests.app.harness import page_alone
from tests.unit.test_store import HOSTILE

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "pages" / "sharing"


@pytest.fixture(autouse=True)
def _root_on_path(monkeypatch):
    """Pages import `components`, found from the app's folder as `streamlit run app.py` does."""
    monkeypatch.syspath_prepend(str(ROOT))


def sharing_page(name: str, sel: Selection) -> AppTest:
    return page_alone(PAGES / f"{name}.py", sel)


def markdown_bodies(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in ("info", "success", "warning", "error") for e in at.get(kind)]
    return "\n".join(parts)


def assert_shown_as_text(at: AppTest, text: str) -> None:
    assert any(text in t.value for t in at.text), "not shown as plain text"
    assert text not in markdown_bodies(at), "user text went into markdown"


@pytest.fixture
def no_chromium(monkeypatch):
    """Keep these tests fast and independent of Chromium: packs carry tables, not images."""
    monkeypatch.setattr("insight.outputs.png.chromium_path", lambda: None)


# --- Sharing ---------------------------------------------------------------------------------
@pytest.mark.parametrize("note", [HOSTILE[0], HOSTILE[3], HOSTILE[5], HOSTILE[6], HOSTILE[8]])
def test_building_a_pack_logs_it_and_offers_the_download_and_email(no_chromium, note):
    at = sharing_page("sharing", Selection(la="E08000026", mode="standard"))
    assert not at.exception
    at.multiselect(key="sharing_charts").set_value(["barriers", "services"])
    at.radio(key="sharing_counts").set_value(True)  # the pack with rounded counts
    at.text_input(key="sharing_note").input(note)
    at.button(key="sharing_build").click()
    at.run()
    assert not at.exception
    entries = store.list_log()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.kind, entry.la, entry.mode, entry.note) == ("pack", "E08000026", "standard", note)
    assert entry.included[:2] == ("barriers", "services")
    assert at.get("download_button")[0].proto.label.startswith("Download briefing pack")
    links = [b.proto.url for b in at.get("link_button")]
    assert links and all(u.startswith("mailto:performance.manager@example.org?") for u in links)
    log = at.dataframe[0].value
    assert log["Meeting or recipient"].tolist() == [note]
    assert log["SHA-256"].tolist() == [entry.sha256]
    assert log["Included"].tolist()[0].startswith("Barriers reported; Service elements in use")
    assert note not in markdown_bodies(at)


def test_the_log_filters(no_chromium):
    for la, mode in (("E08000026", "presenter"), ("E08000025", "standard")):
        store.add_log(
            kind="png",
            provider="p",
            source="s",
            fingerprint="f",
            la=la,
            la_name=la,
            period="whole",
            period_label="Whole",
            mode=mode,
            included=["barriers"],
            file_name=f"{la}.png",
            sha256="0" * 64,
            note=f"note {la}",
        )
    at = sharing_page("sharing", Selection(mode="standard"))
    assert len(at.dataframe[0].value) == 2
    assert at.selectbox(key="log_mode").options == ["Any", "Standard", "Presenter"]
    assert sorted(at.dataframe[0].value["Mode"]) == ["Presenter", "Standard"]  # words, not keys
    assert '"Included": {"width": "large"' in at.dataframe[0].proto.columns
    at.selectbox(key="log_mode").set_value("presenter").run()
    assert at.dataframe[0].value["Meeting or recipient"].tolist() == ["note E08000026"]
    at.selectbox(key="log_mode").set_value("").run()
    at.text_input(key="log_search").input("E08000025").run()
    assert at.dataframe[0].value["Meeting or recipient"].tolist() == ["note E08000025"]


def test_sharing_page_offers_nothing_in_presenter_mode():
    at = sharing_page("sharing", Selection(mode="presenter"))
    assert not at.exception
    assert not at.get("download_button") and not at.dataframe
    assert all(b.key != "sharing_build" for b in at.button)


# --- Stakeholder insights --------------------------------------------------------------------
def fill_insight(at: AppTest, prefix: str, organisation: str, text: str) -> None:
    at.text_input(key=f"{prefix}_org").input(organisation)
    at.text_area(key=f"{prefix}_text").input(text)


def submit(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click()
    at.run()


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_insight_is_stored_intact_and_shown_as_text(text):
    at = sharing_page("stakeholder_insights", Selection(la="E08000026", mode="presenter"))
    assert not at.exception
    fill_insight(at, "add", text, text)
    submit(at, "Save insight")
    assert not at.exception
    [item] = store.list_insights()
    assert (item.organisation, item.text, item.la) == (text, text, "E08000026")
    assert_shown_as_text(at, text)


def test_insights_edit_and_delete_with_confirmation():
    item = store.add_insight(
        organisation="Coventry City Council",
        la="E08000026",
        theme=store.THEMES[0],
        text="Buses stop at 6pm",
        shared_on="2025-03-01",
    )
    at = sharing_page("stakeholder_insights", Selection(la="E08000026", mode="standard"))
    at.text_area(key=f"edit_{item.id}_text").input("Buses stop at 7pm")
    submit(at, "Save changes")
    assert store.get_insight(item.id).text == "Buses stop at 7pm"
    at.button(key=f"insight_delete_{item.id}").click().run()
    assert store.get_insight(item.id) is not None  # asked first
    at.button(key=f"insight_delete_no_{item.id}").click().run()
    assert store.get_insight(item.id) is not None
    at.button(key=f"insight_delete_{item.id}").click().run()
    at.button(key=f"insight_delete_yes_{item.id}").click().run()
    assert store.get_insight(item.id) is None
    assert not at.exception


def test_presenter_mode_shows_insights_but_not_edit_or_delete():
    store.add_insight(
        organisation="JCP", la="all", theme="Other", text="Area-wide", shared_on="2025-03-01"
    )
    at = sharing_page("stakeholder_insights", Selection(mode="presenter"))
    assert any("Area-wide" == t.value for t in at.text)
    assert not [b for b in at.button if (b.key or "").startswith("insight_delete")]


ISSUE_INSIGHT = "Jane Doe (07700 900123, jane.doe@example.com, NI AB123456C, lives at B69 4HE)"
ISSUE_DETAILS = ["Jane Doe", "07700 900123", "jane.doe@example.com", "AB123456C", "B69 4HE"]


def everything_shown(at: AppTest) -> str:
    """What the page writes (markdown, text, messages); not the input boxes, which hold what the
    person typed until the form clears them."""
    return "\n".join([markdown_bodies(at), *(t.value for t in at.text)])


@pytest.mark.parametrize("mode", ["presenter", "standard"])
def test_the_issues_insight_is_refused_with_what_to_remove_and_nothing_echoed(mode):
    at = sharing_page("stakeholder_insights", Selection(la="E08000026", mode=mode))
    fill_insight(at, "add", "Coventry City Council", ISSUE_INSIGHT)
    submit(at, "Save insight")
    assert not at.exception
    assert store.list_insights() == []
    [error] = at.error
    assert error.value.startswith("Not saved: Remove ")
    for noun in ("person's name", "phone number", "email address", "National Insurance number"):
        assert noun in error.value
    assert "postcode" in error.value and "What they shared" in error.value
    shown = everything_shown(at)
    for detail in ISSUE_DETAILS:
        assert detail not in shown
    assert "No insights recorded" in shown


def test_a_small_count_of_people_is_refused_and_other_figures_saved():
    at = sharing_page("stakeholder_insights", Selection(la="E08000026", mode="standard"))
    fill_insight(at, "add", "Trafford Council", "3 people in Trafford found work")
    submit(at, "Save insight")
    assert store.list_insights() == []
    assert "small count of people" in at.error[0].value
    assert "3 people" not in everything_shown(at)
    # "10% more found work" is para 5 now (the vocabulary, near a figure): other figures pass
    fill_insight(at, "add", "Trafford Council", "In 2024, 10% more took a course; £3,000 fund")
    submit(at, "Save insight")
    assert [i.text for i in store.list_insights()] == [
        "In 2024, 10% more took a course; £3,000 fund"
    ]


def test_editing_an_insight_is_screened_too():
    item = store.add_insight(
        organisation="JCP",
        la="E08000026",
        theme="Other",
        text="Buses stop at 6pm",
        shared_on="2025-03-01",
    )
    at = sharing_page("stakeholder_insights", Selection(la="E08000026", mode="standard"))
    at.text_area(key=f"edit_{item.id}_text").input("Ring Mr Smith on 0121 496 0000")
    submit(at, "Save changes")
    assert store.get_insight(item.id).text == "Buses stop at 6pm"
    assert "Remove the phone number" in at.error[0].value
    assert "Mr Smith" in at.error[0].value or "person's name" in at.error[0].value
    assert "0121 496 0000" not in everything_shown(at).replace("Ring Mr Smith on 0121 496 0000", "")


def test_a_pack_note_naming_a_person_is_not_built_or_logged(no_chromium):
    at = sharing_page("sharing", Selection(la="E08000026", mode="standard"))
    at.multiselect(key="sharing_charts").set_value(["barriers"])
    at.text_input(key="sharing_note").input("For Jane Doe, jane.doe@example.com")
    at.button(key="sharing_build").click()
    at.run()
    assert not at.exception
    assert store.list_log() == []
    assert not at.get("download_button")
    [error] = at.error
    assert error.value.startswith("Not built: Remove the email address and the person's name")
    assert "Jane Doe" not in markdown_bodies(at) and "jane.doe@" not in markdown_bodies(at)


# --- Can I share this? -----------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["presenter", "standard"])
def test_the_check_ends_in_a_plain_answer_with_its_paragraph(mode):
    at = sharing_page("can_i_share", Selection(mode=mode))
    assert not at.exception
    assert len(at.radio) == 1
    for key, answer in (
        ("performance", "no"),
        ("personal", "no"),
        ("own_mi", "yes"),
        ("purpose", "yes"),
        ("oral", "no"),
        ("percentages", "yes"),
    ):
        at.radio(key=f"share_check_{key}").set_value(answer).run()
    verdict = at.success[0].value
    assert "percentages" in verdict and "para 13" in verdict
    assert "para 16" in markdown_bodies(at) and "para 17" in at.info[0].value
    at.radio(key="share_check_performance").set_value("yes").run()
    assert "para 5" in at.error[0].value and len(at.radio) == 1


# --- the PNG download component --------------------------------------------------------------
PNG_SCRIPT = """
import plotly.graph_objects as go
import pandas as pd
from components import context
from components.export import png_download
from insight.numbers.tables import SafeTable
from tests.app.harness import page_alone

view = context.view()
sel = view.selection
frame = pd.DataFrame({"area": ["A"], "category": ["B"], "value": [50.0], "label": ["50%"]})
table = SafeTable("barriers", "T", "S", frame, sel.mode)
for n in range(3):
    png_download(go.Figure(), table, view, key=f"png_{n}")
"""


@pytest.mark.parametrize("chromium", [True, False])
def test_png_download_buttons(monkeypatch, chromium):
    if not chromium:
        monkeypatch.setattr("insight.outputs.png.chromium_path", lambda: None)
    else:
        monkeypatch.setattr("insight.outputs.png.chromium_path", lambda: "/usr/bin/chromium")
    at = AppTest.from_string(PNG_SCRIPT, default_timeout=60)
    at.session_state["selection"] = Selection(mode="standard")
    at.run()
    assert not at.exception
    buttons = at.get("download_button")
    if chromium:
        assert len(buttons) == 3 and buttons[0].proto.label.startswith("Download PNG")
    else:
        assert not buttons
        assert len(at.info) == 1 and "toolbar" in at.info[0].value  # said once, not per chart


def test_png_download_does_nothing_in_presenter_mode():
    at = AppTest.from_string(PNG_SCRIPT, default_timeout=60)
    at.session_state["selection"] = Selection(mode="presenter")
    at.run()
    assert not at.exception and not at.get("download_button") and not at.info
