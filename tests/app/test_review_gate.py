"""Issue 30, through the router: a dataset's text reaches presenter mode only after a data
manager has reviewed it on the Data page, and a provider's own key only after sign-off; both
are recorded with who and when."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from components import navigation
from insight.sharing import datasets, review, store
from tests.app.app_scan import screen_text
from tests.app.harness import opened
from tests.unit._unreviewed import (
    EMPLOYER,
    INSIGHT_TEXT,
    LABEL,
    MARK,
    ORGANISATION,
    write_unreviewed,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = "pages/data/data.py"
WHAT_WORKS = "pages/what_works/what_works.py"
SERVICES = "pages/participants/services.py"
PRESENTER_PAGES = [
    spec.path
    for spec in navigation.PAGES
    if "presenter" in spec.modes and spec.url_path not in ("about", "can_i_share")
]


@pytest.fixture(scope="module")
def unreviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_unreviewed(tmp_path_factory.mktemp("unreviewed") / "data")


@pytest.fixture(autouse=True)
def _dataset(unreviewed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(unreviewed))
    monkeypatch.syspath_prepend(str(ROOT))


def test_no_dataset_text_reaches_presenter_mode_before_review() -> None:
    seen_placeholder = False
    for page in PRESENTER_PAGES:
        text = screen_text(opened(page, mode="presenter")).replace("\\", "")
        for words in (MARK, INSIGHT_TEXT, ORGANISATION, EMPLOYER, LABEL):
            assert words not in text, f"{words!r} reached presenter mode on {page}"
        seen_placeholder |= review.PLACEHOLDER in text
    assert seen_placeholder  # the text's place is marked, not silently empty
    slides = screen_text(opened(navigation.PAGES[0].path, meeting="auto", la="all"))
    assert "1 of" in slides  # the ready-made meeting's first slide is on screen
    assert MARK not in slides and LABEL not in slides


def test_standard_mode_says_what_is_held_back() -> None:
    at = opened(navigation.PAGES[0].path, mode="standard")
    notes = " ".join(block.value for block in at.info).replace("\\", "")
    assert "not yet reviewed for sharing" in notes and f"{LABEL} (service)" in notes
    assert MARK not in screen_text(at)  # standard mode's pages hold it back too


def test_the_data_page_shows_the_sign_off_and_records_it() -> None:
    at = opened(DATA, mode="standard")
    text = screen_text(at)
    assert review.SIGN_OFF_STATEMENT in text and LABEL in text
    before = datetime.now(UTC).replace(microsecond=0)
    at.button(key="sign_off_service_mentoring").click().run()
    assert not at.exception
    [record] = [s for s in store.flag_signoffs() if s.key == "mentoring"]
    assert (record.kind, record.label, record.signed_by) == ("service", LABEL, "local user")
    assert datetime.fromisoformat(record.signed_utc) >= before
    assert "Signed off by local user" in screen_text(at)
    assert LABEL in screen_text(opened(SERVICES, mode="presenter")).replace("\\", "")


def test_the_review_on_the_data_page_lets_the_text_through() -> None:
    at = opened(DATA, mode="standard")
    assert INSIGHT_TEXT in screen_text(at)  # shown to the data manager, awaiting review
    assert "Awaiting review" in screen_text(at)
    assert at.button(key="review_record").disabled  # not before reading every value
    at.checkbox(key="review_confirm").check().run()
    at.button(key="review_record").click().run()
    assert not at.exception
    [row] = store_rows()
    assert row.reviewed_by == "local user" and row.reviewed_utc
    assert "was reviewed for sharing by local user" in screen_text(at)
    shown = screen_text(opened(WHAT_WORKS, mode="presenter")).replace("\\", "")
    assert INSIGHT_TEXT in shown and review.PLACEHOLDER not in shown


def store_rows() -> list[store.TextReview]:
    with store.connect() as conn:
        keys = [row[0] for row in conn.exec_driver_sql("SELECT text_key FROM text_reviews")]
    return [found for key in keys if (found := store.text_review(key)) is not None]


# --- prepare on the Data page asks for a key and label, never makes one up --------------------
def flag_extract() -> bytes:
    header = ["Client Ref", "Council", "Date Started", "Status", "Age", "Sex", "Ethnicity"]
    header += ["Disabled", "Service - Into work support", "Service: Mentoring"]
    rows = [
        ["C1", "Sandwell", "01/08/2024", "Live", "27", "F", "White British", "N", "Y", "N"],
        ["C2", "Cardiff", "2/9/24", "Completed", "55", "M", "Asian", "Y", "N", "Y"],
    ]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


def test_prepare_on_the_data_page_asks_for_a_key_and_checks_it() -> None:
    at = opened(DATA, mode="standard")
    at.file_uploader(key="bring_files").set_value([("extract.csv", flag_extract(), "text/csv")])
    at.run()
    assert not at.exception
    at = at.button(key="prepare_check").click().run()
    text = screen_text(at).replace("\\", "")
    assert "All 2 rows map to the contract" in text  # the flag-like columns are dropped ...
    assert "'Service - Into work support': if it records support" in text  # ... and asked about
    # declaring the into-work column is refused by the vocabulary
    at.text_input(key="ask_key_0").input("into_work_support")
    at.text_input(key="ask_label_0").input("Into work support")
    at = at.button(key="prepare_check").click().run()
    assert "DWP performance measure" in screen_text(at).replace("\\", "")
    # a real service, declared with its label, is mapped and written with its declaration
    at.text_input(key="ask_key_0").input("")
    at.text_input(key="ask_label_0").input("")
    at.text_input(key="ask_key_1").input("mentoring")
    at.text_input(key="ask_label_1").input("Peer mentoring")
    at = at.button(key="prepare_check").click().run()
    assert "All 2 rows map to the contract" in screen_text(at).replace("\\", "")
    at.text_input(key="prepared_name").input("with-mentoring")
    at.text_input(key="prepared_meta_provider").input("Prepared Provider")
    at.text_input(key="prepared_meta_area").input("Somewhere")  # the period and date: filled in
    at = at.button(key="prepared_submit").click().run()
    assert not at.exception
    kept = datasets.kept_folder("with-mentoring")
    assert kept is not None
    assert 'mentoring = "Peer mentoring"' in (kept / "dataset.toml").read_text(encoding="utf-8")
    header = (kept / "participants.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "service_mentoring" in header and "into_work" not in header
