"""Issue 26, item 5: an independent check of suppression against tau-ARGUS.

On small generated tables (LA x age band), tau-ARGUS's optimal suppression (`pytauargus`, a
test-only dependency under the EUPL, never imported by the app) and the product's age-band charts
are compared: every cell tau-ARGUS finds unsafe (fewer than min_cell people) the product hides
too, and each one's information loss (cells hidden, people in them) is printed for the report
(`pytest -s`). The two protect different tables: tau-ARGUS publishes counts with both margins,
the product shares per LA (each LA's row sums to 100) and no count, so their secondary cells
differ by design; the primary ones may not. Also: nothing the app imports reaches pytauargus.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from insight.core.selection import Selection
from insight.numbers import tables
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, WALSALL, dataset, people

pytauargus = pytest.importorskip("pytauargus")

ROOT = Path(__file__).resolve().parents[2]
BANDS = ("18-24", "25-34", "35-49", "50+")
LAS = (SANDWELL, BIRMINGHAM, WALSALL)

grid = st.lists(st.integers(0, 40), min_size=len(LAS) * len(BANDS), max_size=len(LAS) * 4)


def _cells(sizes: list[int]) -> dict[tuple[str, str], int]:
    return {
        (la, band): sizes[i * len(BANDS) + j]
        for i, la in enumerate(LAS)
        for j, band in enumerate(BANDS)
    }


def _tau_hidden(cells: dict[tuple[str, str], int], min_cell: int, workdir: Path) -> tuple[set, set]:
    """(primary, all hidden) interior cells by tau-ARGUS's optimal suppression (OPT, HiGHS);
    its files and solver logs go in `workdir` (the solver writes logs to the current folder)."""
    rows = [{"la": la, "age": band, "one": 1} for (la, band), n in cells.items() for _ in range(n)]
    result = pytauargus.protect(
        pd.DataFrame(rows),
        tables=[["la", "age"]],
        response="one",
        safety_rules=f"FREQ({min_cell},10)",
        suppress="OPT(1)",
        workdir=str(workdir),
    )
    primary, hidden = set(), set()
    for row in result.tables[0].rows:
        if "Total" in (str(row["la"]).strip(), str(row["age"]).strip()):
            continue
        cell = (str(row["la"]).strip(), str(row["age"]).strip())
        if row["status"] == "U":
            primary.add(cell)
        if row["status"] in ("U", "M"):
            hidden.add(cell)
    return primary, hidden


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _product_hidden(cells: dict[tuple[str, str], int]) -> set[tuple[str, str]]:
    rows = [p for (la, band), n in cells.items() for p in people(la, n, age_band=band)]
    ds = dataset(rows)
    hidden: set[tuple[str, str]] = set()
    for la in LAS:
        if not sum(n for (code, _), n in cells.items() if code == la):
            continue
        frame = tables.characteristic(ds, Selection(la=la), "age_band").frame
        mine = frame[(frame["area_code"] == la) & frame["category_key"].isin(BANDS)]
        hidden |= {(la, str(k)) for k in mine.loc[mine["suppressed"], "category_key"]}
    return hidden


def _loss(hidden: set, cells: dict) -> tuple[int, int]:
    return len(hidden), sum(cells[c] for c in hidden)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(sizes=grid)
@example(sizes=[3, 20, 30, 12, 12, 15, 2, 9, 25, 18, 22, 30])
def test_every_cell_tau_argus_finds_unsafe_the_product_hides(
    sizes: list[int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    cells = _cells(sizes)
    if sum(cells.values()) == 0:
        return
    workdir = tmp_path_factory.mktemp("tau")
    with _inside(workdir):
        primary, tau = _tau_hidden(cells, 5, workdir)
    product = _product_hidden(cells)
    # tau-ARGUS's unsafe cells are those of 1 to 4 people: the product's primary rule hides them
    assert primary == {c for c, n in cells.items() if 1 <= n < 5}
    assert primary <= product, (primary - product, cells)
    print(
        "information loss (cells hidden, people in them): "
        f"tau-ARGUS {_loss(tau, cells)}, product {_loss(product, cells)}"
    )


def test_the_app_never_imports_pytauargus() -> None:
    """Import every app module (app.py's packages, the pages' components) in a fresh process:
    pytauargus is not among the modules loaded."""
    code = (
        "import sys, pkgutil, importlib\n"
        "import insight, components\n"
        "for package in (insight, components):\n"
        "    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        if not info.name.endswith('__main__'):\n"
        "            importlib.import_module(info.name)\n"
        "print(sorted(m for m in sys.modules if 'tauargus' in m))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
