"""Every page through the router (app.py), in both modes, on two datasets (the bundled West
Midlands sample and a generated Welsh one): the caveat banner is there, nothing raises, presenter
mode shows no count anywhere and cannot reach the Data or export pages, standard mode shows
suppressed cells as [c]."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import navigation
from components.text import literal
from insight.core.caveat import CAVEAT
from insight.core.periods import PERIODS
from insight.core.selection import Selection
from insight.intake.load import load_dataset
from insight.numbers.tables import characteristic
from tests.app.app_scan import raw_counts, screen_numbers, screen_text
from tests.app.harness import ROOT, open_page

PAGES = tuple(spec.path for spec in navigation.PAGES)
STANDARD_ONLY = {spec.path for spec in navigation.PAGES if "presenter" not in spec.modes}
PRESENTER_PAGES = [p for p in PAGES if p not in STANDARD_ONLY]


@pytest.fixture(scope="module", params=["sample", "wales"])
def dataset_dir(request, sample_dir: Path) -> Path:
    if request.param == "sample":
        return sample_dir
    return request.getfixturevalue("wales_dir")


@pytest.fixture(scope="module")
def counts(dataset_dir: Path) -> set[int]:
    found = raw_counts(dataset_dir)
    assert found, "the dataset should have counts of 1,000 or more to look for"
    return found


@pytest.fixture
def use_dataset(dataset_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INSIGHT_DATASET", str(dataset_dir))
    monkeypatch.syspath_prepend(str(ROOT))
    return dataset_dir


def banner_ok(at: AppTest, provider: str) -> None:
    text = screen_text(at)
    assert CAVEAT in text, "the caveat banner is missing"
    # AppTest sees markdown source, where dataset text is escaped to stay literal.
    assert literal(provider) in text, "the provider's name is missing from the banner"


def page_title(at: AppTest) -> str:
    return at.title[0].value if len(at.title) else ""


@pytest.mark.parametrize("page_path", PAGES)
def test_standard_mode_page(page_path: str, use_dataset: Path) -> None:
    at = open_page(page_path, "standard")
    assert not at.exception, [e.value for e in at.exception]
    banner_ok(at, load_dataset(use_dataset).meta.provider_name)


@pytest.mark.parametrize("page_path", PRESENTER_PAGES)
def test_presenter_mode_page_shows_no_counts(
    page_path: str, use_dataset: Path, counts: set[int]
) -> None:
    at = open_page(page_path, "presenter")
    assert not at.exception, [e.value for e in at.exception]
    banner_ok(at, load_dataset(use_dataset).meta.provider_name)
    leaked = sorted(int(n) for n in screen_numbers(at) if n.is_integer() and int(n) in counts)
    assert not leaked, f"raw counts on screen in presenter mode on {page_path}: {leaked[:10]}"


@pytest.mark.parametrize("page_path", sorted(STANDARD_ONLY))
def test_presenter_mode_leaves_standard_only_pages_out_of_navigation(
    page_path: str, use_dataset: Path
) -> None:
    """Left out of st.navigation, the page is not registered at all, so no link can open it."""
    at = open_page(PAGES[0], "presenter")
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page_path)


def test_presenter_counts_also_absent_for_an_la(use_dataset: Path, counts: set[int]) -> None:
    """The same scan with the largest LA selected, on the pages with the most figures."""
    ds = load_dataset(use_dataset)
    largest = ds.participants["la_code"].value_counts().idxmax()
    for page in ("pages/overview/overview.py", "pages/participants/barriers.py"):
        at = open_page(page, "presenter", la=str(largest))
        assert not at.exception
        leaked = [int(n) for n in screen_numbers(at) if n.is_integer() and int(n) in counts]
        assert not leaked, f"counts on {page} for {largest}: {leaked[:10]}"


def _suppressed_selection(folder: Path) -> Selection | None:
    """An LA and period whose ethnicity breakdown has a [c] cell."""
    ds = load_dataset(folder)
    by_size = ds.participants["la_code"].value_counts(ascending=True).index
    for period in ("latest_quarter", *PERIODS):
        for code in by_size:
            sel = Selection(la=str(code), period=period)
            if characteristic(ds, sel, "ethnicity").frame["suppressed"].any():
                return sel
    return None


def test_standard_mode_shows_suppressed_cells_as_c(use_dataset: Path) -> None:
    sel = _suppressed_selection(use_dataset)
    assert sel is not None, "expected a small LA with a suppressed ethnicity cell"
    at = open_page(
        "pages/participants/characteristics.py", "standard", la=sel.la, period=sel.period
    )
    assert not at.exception
    text = screen_text(at)
    assert "[c]" in text
    assert "[c] = confidential" in text, "the symbol needs its legend"


@pytest.fixture(scope="module")
def participants_only(wales_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Welsh dataset with only its required files: no optional table at all."""
    out = tmp_path_factory.mktemp("participants_only")
    for name in ("dataset.toml", "participants.csv"):
        (out / name).write_bytes((wales_dir / name).read_bytes())
    return out


@pytest.mark.parametrize(
    "page_path",
    [
        "pages/labour_market/labour_market.py",
        "pages/commissioning/commissioning.py",
        "pages/what_works/what_works.py",
        "pages/overview/overview.py",
    ],
)
@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_missing_optional_tables_are_said_plainly(
    page_path: str, mode: str, participants_only: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(participants_only))
    monkeypatch.syspath_prepend(str(ROOT))
    at = open_page(page_path, mode)
    assert not at.exception, [e.value for e in at.exception]
    assert CAVEAT in screen_text(at)
    if page_path != "pages/overview/overview.py":
        assert len(at.info) >= 1, "each missing table says so in a message, not an empty chart"
        assert not at.get("plotly_chart"), "no chart drawn from a table that is not there"


@pytest.fixture(scope="module")
def quiet_la(wales_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The Welsh dataset with every participant of its smallest LA moved to the first month, so
    that LA has no one in the latest quarter."""
    out = tmp_path_factory.mktemp("quiet_la")
    (out / "dataset.toml").write_bytes((wales_dir / "dataset.toml").read_bytes())
    people = pd.read_csv(wales_dir / "participants.csv", dtype=str, keep_default_na=False)
    smallest = people["la_code"].value_counts().idxmin()
    first = load_dataset(wales_dir).meta.period_start
    people.loc[people["la_code"] == smallest, "start_month"] = first
    people.to_csv(out / "participants.csv", index=False)
    return out, str(smallest)


@pytest.mark.parametrize("mode", ["standard", "presenter"])
@pytest.mark.parametrize(
    "page_path", ["pages/participants/barriers.py", "pages/participants/characteristics.py"]
)
def test_an_la_with_no_one_in_the_period_says_so(
    page_path: str, mode: str, quiet_la: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, code = quiet_la
    monkeypatch.setenv("INSIGHT_DATASET", str(folder))
    monkeypatch.syspath_prepend(str(ROOT))
    at = open_page(page_path, mode, la=code, period="latest_quarter")
    assert not at.exception, [e.value for e in at.exception]
    assert any("No participants" in i.value for i in at.info), "the empty LA is said plainly"


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_every_chart_has_an_accessible_name(use_dataset: Path, mode: str) -> None:
    """Screen readers announce each chart by its text alternative (plotly_chart's alt)."""
    at = open_page("pages/participants/barriers.py", mode)
    charts = at.get("plotly_chart")
    assert charts, "the Barriers page draws charts"
    for element in charts:
        assert element.proto.alt.strip(), "a chart without an accessible name"
        assert "%" in element.proto.alt or "[c]" in element.proto.alt
