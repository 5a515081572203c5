"""The Data page with hostile folders: a file over the size limit, a workbook declaring or holding
a million rows, damaged sheet XML and a dataset.toml nested 5,000 deep are each refused with the
problem in plain words (never a traceback or Streamlit's error box), the dataset on screen stays,
and the page states the limits in force."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from insight.intake import limits
from tests.app.app_scan import screen_text
from tests.app.harness import open_page
from tests.unit import _datasets as ds
from tests.unit.test_limits import _participants_xlsx

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _sample(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.syspath_prepend(str(ROOT))


def _oversized(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Just over the default limit: a sparse file, so it costs no disk and is never read."""
    with (folder / "vacancies.csv").open("ab") as handle:
        handle.truncate((limits.DEFAULT_FILE_MB + 1) * limits.MB)


def _declares_a_million(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _participants_xlsx(folder, dimension="A1:Z1048576")


def _stray_cell(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _participants_xlsx(folder, '<row r="1000000"><c r="Z1000000"><v>1</v></c></row>')


def _damaged_xml(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _participants_xlsx(folder)
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:300]
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)


def _deep_toml(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with (folder / "dataset.toml").open("a", encoding="utf-8") as handle:
        handle.write("x = " + "[" * 5000 + "]" * 5000 + "\n")


CASES = {
    "file over the size limit": (_oversized, "is 501 MB, more than the 500 MB this server reads"),
    "sheet declaring a million rows": (_declares_a_million, "1,048,576 rows deep"),
    "one cell at Z1000000": (_stray_cell, "1,000,000 rows deep"),
    "damaged sheet XML": (_damaged_xml, "damaged"),
    "dataset.toml nested 5,000 deep": (_deep_toml, "nested too deeply"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_folder_is_refused_in_plain_words(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spoil, words = CASES[case]
    folder = ds.write(tmp_path / "hostile")
    spoil(folder, monkeypatch)
    monkeypatch.setenv("INSIGHT_DATA_ROOT", str(tmp_path))  # the path box opens folders in it only
    at = open_page("pages/data/data.py")
    assert "Limits on this server" in screen_text(at)
    at.text_input(key="dataset_path").input(str(folder))
    at.button(key="open_dataset_submit").click().run()
    assert not at.exception
    text = screen_text(at)
    assert "Refused" in text and words in text.replace("\\", ""), text[-2000:]
    assert "Traceback" not in text
    assert "dataset_folder" not in at.session_state, "the dataset on screen is unchanged"
