"""scripts/repo_checks.py: data files only under sample_data/, no large files elsewhere."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("repo_checks", ROOT / "scripts" / "repo_checks.py")
repo_checks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(repo_checks)


def test_data_files_outside_sample_data_are_refused() -> None:
    found = repo_checks.problems(
        ["extract.csv", "tests/fixtures/Participants.XLSX", "notes/jo.parquet"],
        size_of=lambda p: 10,
    )
    assert len(found) == 3
    assert all("outside sample_data/" in line for line in found)


def test_data_files_under_sample_data_and_code_pass() -> None:
    assert (
        repo_checks.problems(
            ["sample_data/participants.csv", "insight/intake/guard.py", "README.md"],
            size_of=lambda p: 10,
        )
        == []
    )


def test_a_large_file_outside_sample_data_is_refused_by_size() -> None:
    found = repo_checks.problems(["static/big.js"], size_of=lambda p: 2 << 20)
    assert found == ["static/big.js: 2,097,152 bytes, over the 1,048,576-byte limit for a file"]
    assert repo_checks.problems(["sample_data/big.geojson"], size_of=lambda p: 9 << 20) == []


def test_this_repository_is_clean() -> None:
    assert repo_checks.problems(repo_checks.tracked()) == []


# --- pages and components are given a PageView, never the dataset (issue 13 item 1) ----------
def test_a_page_or_component_importing_dataset_is_refused() -> None:
    text = "from insight.core.model import Dataset, Selection\n"
    for path in ("pages/overview/overview.py", "components/cards.py", "app.py"):
        (line,) = repo_checks.code_problems(path, text)
        assert line.startswith(f"{path}:1: imports Dataset")
    assert repo_checks.code_problems("components/context.py", text) == []  # it opens the dataset
    assert repo_checks.code_problems("insight/numbers/tables.py", text) == []  # the core may
    assert (
        repo_checks.code_problems("pages/x.py", "from insight.core.model import Selection\n") == []
    )


def test_pages_never_import_the_raw_numbers_or_the_suppression_step() -> None:
    for text in (
        "from insight.numbers import measure\n",
        "from insight.numbers.disclosure import suppress\n",
        "import insight.numbers.measure as m\n",
    ):
        (line,) = repo_checks.code_problems("pages/participants/barriers.py", text)
        assert "pages get safe tables only" in line, text
    assert repo_checks.code_problems("pages/a.py", "from insight.numbers import tables\n") == []


def test_a_component_never_reaches_back_into_the_session_for_the_dataset() -> None:
    for text in ("from components.context import current\n", "from components import context\n"):
        (line,) = repo_checks.code_problems("components/export.py", text)
        assert "imports components.context" in line
    # pages and the router may ask the context for the view
    assert repo_checks.code_problems("pages/a.py", "from components import context\n") == []
    assert repo_checks.code_problems("app.py", "from components import context\n") == []


def test_only_the_data_page_opens_a_dataset_and_nothing_reads_participants() -> None:
    opens = "from insight.intake.load import load_dataset\nds = context.open_dataset(f)\n"
    assert len(repo_checks.code_problems("pages/overview/overview.py", opens)) == 2
    assert repo_checks.code_problems("pages/data/data.py", opens) == []
    (line,) = repo_checks.code_problems("components/charts.py", "n = len(view._t.participants)\n")
    assert line.startswith("components/charts.py:1: uses .participants")
    assert repo_checks.code_problems("pages/a.py", "x = context._dataset()\n") != []


def test_the_ui_checks_read_only_python_under_pages_components_and_app() -> None:
    read = {"README.md": "from insight.core.model import Dataset\n"}
    assert repo_checks.all_code_problems(["README.md"], read=lambda p: read[p.name]) == []
    assert repo_checks.code_problems("pages/broken.py", "def (:\n")[0].endswith("does not parse")


def test_this_repositorys_pages_and_components_get_a_view() -> None:
    assert repo_checks.all_code_problems(repo_checks.tracked()) == []
