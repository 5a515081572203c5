"""The Data page through the router: upload a dataset (a ZIP, or files and the short form), keep
it by name, open it from a `?dataset=` link, remove it; prepare a raw extract with the mapping
step; and the server-path box, which opens nothing outside the data root and cannot probe it."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight.core.periods import month_index
from insight.sharing import datasets
from tests.app.app_scan import screen_text
from tests.app.harness import open_app, open_page

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/data/data.py"


@pytest.fixture(autouse=True)
def _sample(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.delenv(datasets.DATA_ROOT_ENV, raising=False)
    monkeypatch.syspath_prepend(str(ROOT))


def plain(at: AppTest) -> str:
    """The screen's text with literal()'s markdown escapes taken out."""
    return screen_text(at).replace("\\", "")


def data_page(**params: str) -> AppTest:
    return open_page(PAGE, **params)


def zipped(folder: Path, top: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in folder.iterdir():
            if path.is_file():
                archive.write(path, f"{top}{path.name}")
    return out.getvalue()


def upload(at: AppTest, files: list[tuple[str, bytes, str]], name: str) -> AppTest:
    """Files into the one upload box; recognised as a dataset, kept under `name`."""
    at.file_uploader(key="bring_files").set_value(files)
    at.run()
    at.text_input(key="upload_name").input(name)
    return at.button(key="upload_submit").click().run()


def test_a_zip_upload_is_kept_shown_and_put_in_the_url(wales_dir: Path) -> None:
    at = upload(
        data_page(), [("wales.zip", zipped(wales_dir, "wales/"), "application/zip")], "wales"
    )
    assert not at.exception
    text = screen_text(at)
    assert "kept as 'wales'" in text.replace("\\", "")
    assert datasets.kept_names() == ["wales"]
    assert at.session_state["dataset_name"] == "wales"
    assert at.query_params["dataset"] == "wales"
    assert "Heartwood" not in text, "the kept dataset is on screen"
    assert any("?dataset=wales&mode=presenter" in m.value for m in at.markdown)


def test_a_link_opens_the_kept_dataset_in_a_new_session_and_an_unknown_one_says_so(
    wales_dir: Path,
) -> None:
    datasets.keep("wales", wales_dir)
    at = open_app(dataset="wales", mode="presenter")
    assert not at.exception
    assert "Heartwood" not in screen_text(at)
    assert at.session_state["dataset_name"] == "wales"
    other = open_app(dataset="gone")
    assert not other.exception
    warned = " ".join(w.value for w in other.warning)
    assert "The dataset this link asks for cannot be opened" in warned
    assert "gone" not in warned  # the link's text is never echoed back
    assert "Heartwood" in screen_text(other)


def test_files_without_dataset_toml_are_kept_with_the_short_form(sample_dir: Path) -> None:
    # the contract's columns only: the sample's own keys are declared in its dataset.toml, which
    # the short form does not write (an undeclared key refuses the dataset, issue 30)
    people = pd.read_csv(sample_dir / "participants.csv", dtype=str, keep_default_na=False)
    own = ["barrier_caring_responsibilities", "service_interview_training"]
    participants = people.drop(columns=[*own, "service_digital_support"]).to_csv(index=False)
    at = data_page()
    at.file_uploader(key="bring_files").set_value(
        [("participants.csv", participants.encode(), "text/csv")]
    )
    at.run()
    assert "a contract dataset" in plain(at), "a participants.csv in the contract's form"
    at.text_input(key="upload_meta_provider").input("Form Provider Ltd")
    at.text_input(key="upload_meta_area").input("West")
    at.selectbox(key="upload_meta_start").set_value(month_index("2024-07"))
    at.selectbox(key="upload_meta_end").set_value(month_index("2026-06"))
    at.date_input(key="upload_meta_extract").set_value(date(2026, 7, 3))
    at.text_input(key="upload_name").input("form-made")
    at = at.button(key="upload_submit").click().run()
    assert not at.exception
    assert datasets.kept_names() == ["form-made"]
    assert "Form Provider Ltd" in screen_text(at)
    assert "synthetic = false" in (datasets.kept_folder("form-made") / "dataset.toml").read_text()


def test_a_refused_upload_keeps_nothing_and_never_shows_the_value(sample_dir: Path) -> None:
    bad = (sample_dir / "participants.csv").read_text(encoding="utf-8").splitlines()
    bad[1] = bad[1].replace(bad[1].split(",")[0], "QQ123456C", 1)
    files = [
        ("participants.csv", ("\n".join(bad) + "\n").encode(), "text/csv"),
        ("dataset.toml", (sample_dir / "dataset.toml").read_bytes(), "text/plain"),
    ]
    at = upload(data_page(), files, "bad")
    assert not at.exception
    text = screen_text(at)
    assert "Refused" in text and "National Insurance" in text
    assert "QQ123456C" not in text
    assert datasets.kept_names() == []
    assert "Heartwood" in text, "the dataset on screen is unchanged"


@pytest.mark.parametrize("name", ["../up", "has space", ""])
def test_an_unsafe_name_is_refused_before_anything_is_read(wales_dir: Path, name: str) -> None:
    at = upload(data_page(), [("w.zip", zipped(wales_dir), "application/zip")], name)
    assert not at.exception
    assert at.error and datasets.kept_names() == []


def test_removing_a_kept_dataset_removes_its_files(wales_dir: Path) -> None:
    at = upload(data_page(), [("w.zip", zipped(wales_dir), "application/zip")], "to-go")
    folder = datasets.kept_folder("to-go")
    assert folder is not None and folder.is_dir()
    at = at.button(key="kept_remove_to-go").click().run()
    assert not at.exception
    assert not folder.exists() and datasets.kept_names() == []
    assert "Heartwood" in screen_text(at), "back to the default dataset"
    assert "dataset" not in at.query_params


# --- prepare ---------------------------------------------------------------------------------
def raw_extract() -> bytes:
    header = ["Client Ref", "Full Name", "Council", "Date Started", "Status", "Age", "Sex"]
    header += ["Ethnicity", "Disabled", "Home Postcode"]
    rows = [
        ["C1", "Jane Smith", "Sandwell", "01/08/2024", "Live", "27", "F", "White British"]
        + ["N", "B1 1AA"],
        ["C2", "John Smith", "Caerdydd", "2/9/24", "Completed", "55", "M", "Asian", "Y"]
        + ["CF10 1AA"],
        ["C3", "Ann Lee", "Sandwel", "15/09/2024", "Live", "19", "F", "Black African", "N"]
        + ["WS1 1AA"],
    ]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


def test_the_mapping_step_suggests_previews_problems_and_keeps(tmp_path: Path) -> None:
    at = data_page()
    at.file_uploader(key="bring_files").set_value([("extract.csv", raw_extract(), "text/csv")])
    at.run()
    assert "a raw extract" in plain(at), "one file not in the contract's form: an extract"
    assert not at.exception
    assert at.selectbox(key="map_la_code").value == "Council"
    assert at.selectbox(key="map_start_month").value == "Date Started"
    assert at.selectbox(key="map_postcode").value == "Home Postcode"
    at = at.button(key="prepare_check").click().run()
    text = plain(at)
    assert "'Sandwel'" in text and "did you mean Sandwell?" in text
    assert "(1 row: 4)" in text
    assert "'Full Name': 3 values dropped" in text
    for personal in ("Jane Smith", "B1 1AA", "CF10 1AA"):
        assert personal not in text
    # the LA from the postcode instead of the misspelt name
    at.selectbox(key="map_la_code").set_value("(not in this extract)")
    at.run()
    assert "did you mean" not in plain(at), "a check of other choices is not left on screen"
    at = at.button(key="prepare_check").click().run()
    assert "All 3 rows map to the contract" in plain(at)
    at.text_input(key="prepared_name").input("from-extract")
    at.text_input(key="prepared_meta_provider").input("Prepared Provider")
    at.text_input(key="prepared_meta_area").input("Somewhere")
    at = at.button(key="prepared_submit").click().run()
    assert not at.exception
    assert datasets.kept_names() == ["from-extract"]
    kept = datasets.kept_folder("from-extract")
    written = (kept / "participants.csv").read_text(encoding="utf-8")
    assert "E08000025" in written and "W06000015" in written and "E08000030" in written
    for personal in ("Jane Smith", "B1 1AA", "Home Postcode", "Full Name", "Council"):
        assert personal not in written
    assert "Prepared Provider" in screen_text(at)


# --- the server-path box ---------------------------------------------------------------------
def test_without_a_data_root_there_is_no_path_box_and_the_templates_are_offered() -> None:
    at = data_page()
    assert not at.exception
    assert not [t for t in at.text_input if t.key == "dataset_path"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Template (Excel, with dropdowns and notes)" in labels
    assert "Template (CSV files, zipped)" in labels


def open_path(at: AppTest, text: str) -> AppTest:
    at.text_input(key="dataset_path").input(text)
    return at.button(key="open_dataset_submit").click().run()


def test_a_path_outside_the_root_gets_the_same_answer_whether_or_not_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_dir: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    monkeypatch.setenv(datasets.DATA_ROOT_ENV, str(root))
    answers = []
    for outside in (str(sample_dir), str(tmp_path / "no-such-folder"), "/etc", "../"):
        at = open_path(data_page(), outside)
        assert not at.exception
        answers.append([e.value for e in at.error])
        assert "dataset_folder" not in at.session_state
    assert answers == [[datasets.NOT_AVAILABLE]] * 4


def test_a_folder_inside_the_root_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wales_dir: Path
) -> None:
    monkeypatch.setenv(datasets.DATA_ROOT_ENV, str(wales_dir.parent))
    at = open_path(data_page(), wales_dir.name)
    assert not at.exception
    assert at.session_state["dataset_folder"] == str(wales_dir.resolve())
    assert "Valid" in screen_text(at)


def test_the_audience_is_chosen_when_keeping_and_changed_in_the_list(wales_dir: Path) -> None:
    """Data managers only unless chosen (issue 30): the choice is kept with the dataset, and the
    kept list changes it."""
    at = data_page()
    at.file_uploader(key="bring_files").set_value([("w.zip", zipped(wales_dir), "application/zip")])
    at.run()
    assert at.selectbox(key="upload_audience").value == datasets.DEFAULT_AUDIENCE
    at.selectbox(key="upload_audience").set_value("viewer")
    at.text_input(key="upload_name").input("for-all")
    at = at.button(key="upload_submit").click().run()
    assert not at.exception
    assert datasets.audience("for-all") == "viewer"
    box = at.selectbox(key="kept_audience_for-all")
    assert box.value == "viewer"
    box.set_value("analyst").run()
    assert datasets.audience("for-all") == "analyst"
    assert datasets.open_kept("for-all", "viewer") is None


def test_the_dataset_on_screen_names_its_check_code_in_words() -> None:
    """No bare internal key: the short code is shown with what it is for."""
    text = plain(data_page())
    assert "Content key" not in text
    assert "Check code " in text and "hold the same data" in text
