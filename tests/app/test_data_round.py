"""The monthly data round on the Data page (issue 29): one box recognises a raw extract; "Check the
mapping" shows each column's values, what each becomes and on how many rows, the ones it cannot
map first; the description is filled in from the data and the file; the result of keeping is
shown beside its button with a link to present a meeting on the dataset; and a data manager
makes a kept dataset the default that everyone, a viewer too, then opens."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from app_scan import screen_text
from harness import open_page
from streamlit.testing.v1 import AppTest
from test_app_access import AUTH, ROLES  # the same sign-in and roles as the access tests

from insight.core.periods import month_index
from insight.sharing import datasets

ROOT = Path(__file__).resolve().parents[2]
DATA = "pages/data/data.py"
HEADER = ["Client Ref", "Council", "Date Started", "Status", "Age", "Sex", "Ethnicity", "Disabled"]
GOOD = [
    ["C1", "Sandwell", "01/08/2024", "Live", "27", "F", "White", "N"],
    ["C2", "Sandwell MBC", "2/9/24", "Completed", "55", "M", "Asian", "Y"],
    ["C3", "Caerdydd", "15/09/2024", "Live", "19", "F", "Black", "N"],
    ["C4", "Sandwell", "15/09/2024", "Live", "19", "F", "Black", "N"],
]
BAD = [
    *GOOD,
    ["C5", "Sandwel", "15/09/2024", "Live", "19", "F", "Black", "N"],
    ["C6", "AB123456C", "15/09/2024", "Live", "19", "F", "Black", "N"],
    ["C7", "Sandwel", "15/09/2024", "Live", "19", "F", "Black", "N"],
]


@pytest.fixture(autouse=True)
def _sample(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.delenv(datasets.DATA_ROOT_ENV, raising=False)
    monkeypatch.setattr(datasets, "DEFAULT_RECHECK_S", 0.0)
    monkeypatch.syspath_prepend(str(ROOT))


def extract(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode()


def checked(rows: list[list[str]], name: str = "extract_2026-07-03.csv") -> AppTest:
    at = open_page(DATA)
    at.file_uploader(key="bring_files").set_value([(name, extract(rows), "text/csv")])
    at.run()
    assert "Recognised: a raw extract" in screen_text(at)
    return at.button(key="prepare_check").click().run()


def table_under(at: AppTest, heading: str) -> list[tuple]:
    """The rows of the preview table in the expander whose heading starts so."""
    found = next(e for e in at.expander if e.proto.label.startswith(heading))
    return list(found.dataframe[0].value.itertuples(index=False, name=None))


def test_the_preview_lists_values_what_they_become_and_rows_unmapped_first() -> None:
    at = checked(BAD)
    assert not at.exception
    headings = [e.proto.label for e in at.expander if "->" in e.proto.label]
    assert headings[0] == "'Council' -> la_code: 5 distinct values, 2 cannot be mapped (3 rows)"
    assert [e.proto.expanded for e in at.expander if "->" in e.proto.label][:2] == [True, False]
    council = next(e for e in at.expander if e.proto.label == headings[0]).dataframe[0].value
    assert list(council.columns) == ["in the extract", "becomes", "rows", "why not"]
    rows = list(council.itertuples(index=False, name=None))  # in the order shown
    assert rows[0][:3] == ("'Sandwel'", "not mapped", 2)
    assert rows[0][3].startswith("is not an LA name") and "did you mean Sandwell?" in rows[0][3]
    assert rows[1] == (
        "a value that looks like a National Insurance number (not shown)",
        "not mapped",
        1,
        "is not an LA name or code the app knows",
    )
    assert rows[2:] == [
        ("'Sandwell'", "E08000028 Sandwell", 2, ""),
        ("'Caerdydd'", "W06000015 Cardiff", 1, ""),
        ("'Sandwell MBC'", "E08000028 Sandwell", 1, ""),
    ]
    assert "AB123456C" not in screen_text(at)
    ages = {r[0]: (r[1], r[2]) for r in table_under(at, "'Age' -> age_band")}
    assert ages == {"'19'": ("18-24", 5), "'27'": ("25-34", 1), "'55'": ("50+", 1)}
    assert not [f for f in at.get("form") if "keep_prepared" in str(f.proto)], "nothing to keep"


def test_the_description_is_filled_in_and_the_result_sits_beside_its_button() -> None:
    at = checked(GOOD)
    assert "All 4 rows map to the contract" in screen_text(at)
    assert at.selectbox(key="prepared_meta_start").value == month_index("2024-08")
    assert at.selectbox(key="prepared_meta_end").value == month_index("2024-09")
    assert at.date_input(key="prepared_meta_extract").value == date(2026, 7, 3)
    text = screen_text(at).replace("\\", "")
    assert "the period August 2024 to September 2024 from the data's first and last month" in text
    assert "the extract date 3 July 2026 from the file's name" in text
    at.text_input(key="prepared_name").input("july")
    at.text_input(key="prepared_meta_provider").input("Prepared Provider")
    at.text_input(key="prepared_meta_area").input("Somewhere")
    at = at.button(key="prepared_submit").click().run()
    assert not at.exception
    toml = (datasets.kept_folder("july") / "dataset.toml").read_text(encoding="utf-8")
    assert 'period_start = "2024-08"' in toml and 'period_end = "2024-09"' in toml
    assert 'extract_date = "2026-07-03"' in toml
    # the result beside the button that made it, not at the top of the page
    elements = [e for e in at.main if e.type in ("button", "success", "page_link")]
    check = next(i for i, e in enumerate(elements) if getattr(e, "key", "") == "prepare_check")
    assert elements[check + 1].type == "success"
    assert "kept as 'july'" in elements[check + 1].value.replace("\\", "")
    assert elements[check + 2].type == "page_link"
    assert not [e for e in elements[:check] if e.type == "success"], "none at the top"
    link = at.get("page_link")[0].proto
    assert link.label == "Present a meeting on this dataset"
    assert link.page.endswith("slides")
    assert parse_qs(link.query_string) == {
        "meeting": ["auto"], "la": ["all"], "period": ["whole"], "dataset": ["july"],
    }  # fmt: skip
    assert "Prepared Provider" in screen_text(at), "the kept dataset is on screen"


def test_a_data_manager_makes_the_default_and_a_viewer_then_opens_it(
    wales_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    datasets.keep("managers-only", wales_dir)
    datasets.keep("wales", wales_dir, audience="viewer")
    at = open_page(DATA)
    assert at.button(key="kept_make_default_managers-only").disabled, "not kept for everyone"
    at = at.button(key="kept_make_default_wales").click().run()
    assert not at.exception
    assert "'wales' is now the default for everyone" in screen_text(at).replace("\\", "")
    assert datasets.default_name() == "wales"

    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("INSIGHT_ROLES", str(roles))
    for email, role in (
        ("someone@elsewhere.example", "viewer"),
        ("an@provider.example", "analyst"),
    ):
        seen = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        seen.secrets["auth"] = AUTH
        seen.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": "x"}
        seen.run()
        assert not seen.exception
        assert seen.session_state["principal"].role == role
        assert "Heartwood" not in screen_text(seen), f"a {role} opens the default, not the sample"
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            seen.switch_page(DATA)  # and cannot reach the Data page to change it
