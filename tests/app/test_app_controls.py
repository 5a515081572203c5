"""The shared sidebar: `?la=`, `?period=` and `?mode=presenter` are honoured, an unknown LA code
falls back to the whole area with a notice, leaving presenter mode asks first, and a refused
dataset shows its report instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insight.core.caveat import CAVEAT
from insight.core.geo import la_name
from insight.core.selection import WHOLE_AREA, Selection
from tests.app.app_scan import screen_text
from tests.app.harness import open_app

ROOT = Path(__file__).resolve().parents[2]
SANDWELL = "E08000028"


@pytest.fixture(autouse=True)
def _sample(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    # the Data page's folder box opens folders inside the data root only: the tests' own folders
    monkeypatch.setenv("INSIGHT_DATA_ROOT", str(tmp_path_factory.getbasetemp()))
    monkeypatch.syspath_prepend(str(ROOT))


def selection(at: AppTest) -> Selection:
    return at.session_state["selection"]


def test_la_in_the_url_selects_that_la() -> None:
    at = open_app(la=SANDWELL)
    assert not at.exception
    assert selection(at).la == SANDWELL
    assert at.sidebar.selectbox(key="la_select").value == SANDWELL
    assert la_name(SANDWELL) in screen_text(at)


def test_unknown_la_falls_back_to_whole_area_with_a_notice() -> None:
    at = open_app(la="E09999999")
    assert not at.exception
    assert selection(at).la == WHOLE_AREA
    assert any("E09999999" in w.value and "whole area" in w.value for w in at.warning)


def test_period_in_the_url_is_honoured_and_a_bad_one_ignored() -> None:
    assert selection(open_app(period="latest_quarter")).period == "latest_quarter"
    assert selection(open_app(period="since_1990")).period == "whole"


def test_mode_presenter_in_the_url_opens_presenter_mode() -> None:
    at = open_app(mode="presenter", la=SANDWELL)
    assert not at.exception
    sel = selection(at)
    assert (sel.mode, sel.la) == ("presenter", SANDWELL)
    assert "presenter" in str(at.query_params["mode"]), "the URL keeps presenter mode"


def test_choosing_an_la_writes_it_to_the_url() -> None:
    at = open_app()
    at.sidebar.selectbox(key="la_select").select(SANDWELL).run()
    assert selection(at).la == SANDWELL
    assert SANDWELL in str(at.query_params["la"])


def test_leaving_presenter_mode_needs_confirmation() -> None:
    at = open_app(mode="presenter")
    at.sidebar.button(key="ask_leave_presenter").click().run()
    assert selection(at).mode == "presenter", "one click must not leave presenter mode"
    assert "If this screen is shared or projected" in screen_text(at), "the dialog asks first"
    at.button(key="leave_presenter").click().run()
    assert selection(at).mode == "standard"
    assert "mode" not in at.query_params


def test_staying_in_presenter_mode() -> None:
    at = open_app(mode="presenter")
    at.sidebar.button(key="ask_leave_presenter").click().run()
    at.button(key="stay_presenter").click().run()
    assert selection(at).mode == "presenter"


def test_entering_presenter_mode_is_one_click() -> None:
    at = open_app()
    at.sidebar.button(key="enter_presenter").click().run()
    assert selection(at).mode == "presenter"


def test_refused_dataset_shows_the_report_not_a_traceback(
    tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dataset.toml").write_text(
        (sample_dir / "dataset.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "participants.csv").write_text(
        "participant_id,la_code,start_month,status,age_band,gender,ethnicity,disability,"
        "national_insurance_number\nP1,E08000028,2025-01,active,50+,Female,White,No,QQ123456C\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("INSIGHT_DATASET", str(tmp_path))
    at = open_app()
    assert not at.exception
    text = screen_text(at)
    assert CAVEAT in text
    assert "refused" in text
    assert "QQ123456C" not in text, "a refused dataset's personal data is never shown"


def open_folder(at: AppTest, folder: Path) -> AppTest:
    at.switch_page("pages/data/data.py").run()
    at.text_input(key="dataset_path").input(str(folder))
    return at.button(key="open_dataset_submit").click().run()


def test_data_page_keeps_the_current_dataset_when_another_is_refused(
    tmp_path: Path, sample_dir: Path
) -> None:
    (tmp_path / "dataset.toml").write_text(
        (sample_dir / "dataset.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "referrals.csv").write_text("la_code,referrals\nE08000028,12\n", encoding="utf-8")
    at = open_folder(open_app(), tmp_path)
    assert not at.exception
    text = screen_text(at)
    assert "Refused" in text
    assert "Heartwood" in text, "the dataset on screen is unchanged"
    assert "dataset_folder" not in at.session_state


def test_data_page_replaces_the_dataset_for_this_session(wales_dir: Path) -> None:
    at = open_folder(open_app(), wales_dir)
    assert not at.exception
    assert "Valid" in screen_text(at)
    assert at.session_state["dataset_folder"] == str(wales_dir)
    assert "Heartwood" not in screen_text(at), "the new dataset is on screen"


def test_folder_fingerprint_is_remembered_briefly_and_read_afresh_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components import context

    (tmp_path / "participants.csv").write_text("a\n1\n", encoding="utf-8")
    first = context.fingerprint(str(tmp_path))
    (tmp_path / "participants.csv").write_text("a\n2\n", encoding="utf-8")
    assert context.fingerprint(str(tmp_path)) == first  # within RECHECK_S: not listed again
    changed = context.fingerprint(str(tmp_path), fresh=True)
    assert changed != first
    monkeypatch.setattr(context, "RECHECK_S", 0.0)
    (tmp_path / "participants.csv").write_text("a\n3\n", encoding="utf-8")
    assert context.fingerprint(str(tmp_path)) not in (first, changed)


def test_data_page_opens_a_folder_changed_on_disk_moments_after_it_was_opened(
    tmp_path: Path, sample_dir: Path
) -> None:
    import shutil

    folder = tmp_path / "extract"
    shutil.copytree(sample_dir, folder)
    at = open_folder(open_app(), folder)
    before = at.session_state["dataset_folder"]
    toml = folder / "dataset.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'provider_name = "', 'provider_name = "Renamed ', 1
        ),
        encoding="utf-8",
    )
    at = open_folder(at, folder)
    assert at.session_state["dataset_folder"] == before
    assert "Renamed Heartwood" in screen_text(at)


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_the_sidebar_boxes_fit_and_the_whole_names_are_written_under_them(mode: str) -> None:
    """Issue 29: a box cannot wrap its text, so "West Midlands and the Marches (" and "Whole
    period (Jul 2024 to Jun 20" were cut off. Each option fits; the whole area's name and the
    period's months are written under the boxes, where they wrap."""
    from components.controls import FITS

    at = open_app(**({"mode": "presenter"} if mode == "presenter" else {}))
    area = at.sidebar.selectbox(key="la_select")
    period = at.sidebar.selectbox(key="period_select")
    assert all(len(option) <= FITS for option in [*area.options, *period.options])
    assert area.options[0] == "Whole area" and "Whole period" in period.options
    captions = [c.value.replace("\\", "") for c in at.sidebar.caption]
    assert "West Midlands and the Marches (whole area)" in captions
    assert "July 2024 to June 2026" in captions
