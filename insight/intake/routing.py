"""One place to bring data: what a set of uploaded files is, from their names and (for one CSV) its
header line, so the Data page can route it without asking.

- A **contract dataset**: a .zip (of the tables and dataset.toml), a dataset.toml, several table
  files, or one table file named like a contract table (participants.csv, vacancies.xlsx...)
  whose header holds the contract's columns. It is checked whole and kept.
- A **raw extract**: one .csv, .xlsx or .parquet file that is not a contract table (any other
  name, or a participants.csv whose header lacks the contract's columns), with at most one
  recipe (recipe.toml, or a .toml holding a [columns] table) from an earlier month. It is
  prepared: its columns and values mapped, then checked and kept.

Nothing is read beyond a CSV's first line; the checks decide everything else.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from insight.core.contract import META_FILE, REQUIRED_COLUMNS, TABLES, normalise_column_name
from insight.intake.recipe import RECIPE_FILE

Kind = Literal["dataset", "extract", "unknown"]
TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
HEAD_BYTES = 64 * 1024  # a CSV's header line is looked for in its first 64 KB


@dataclass(frozen=True)
class Route:
    kind: Kind
    why: str  # in words, for the screen
    extract: str | None = None  # the raw extract's file name
    recipe: str | None = None  # a recipe's file name, with an extract


def _suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _stem(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).stem.lower()


def is_recipe(name: str, data: bytes) -> bool:
    """A recipe from `prepare`: named recipe.toml, or TOML text holding a [columns] table."""
    if _suffix(name) != ".toml" or PurePosixPath(name).name.lower() == META_FILE:
        return False
    if PurePosixPath(name).name.lower() == RECIPE_FILE:
        return True
    return b"[columns]" in data[:HEAD_BYTES]


def csv_header(data: bytes) -> list[str]:
    """The contract names of a CSV's header line (empty if there is none to read)."""
    head = data[:HEAD_BYTES].decode("utf-8-sig", errors="replace")
    first = head.splitlines()[0] if head.strip() else ""
    try:
        cells = next(csv.reader(io.StringIO(first)), [])
    except csv.Error:
        return []
    return [normalise_column_name(cell) for cell in cells]


def _contract_shaped(name: str, data: bytes) -> bool:
    """A table file named like a contract table; a CSV's header must hold that table's columns."""
    stem = _stem(name)
    if stem not in TABLES:
        return False
    if _suffix(name) != ".csv":
        return True  # a workbook or Parquet file named like a table: the checks decide
    header = set(csv_header(data))
    return all(column in header for column in REQUIRED_COLUMNS[stem])


def route(files: Sequence[tuple[str, bytes]]) -> Route:
    """What these uploaded files are: a contract dataset, a raw extract, or neither (with why)."""
    if not files:
        return Route("unknown", "Choose your files first.")
    recipes = [name for name, data in files if is_recipe(name, data)]
    rest = [(name, data) for name, data in files if name not in recipes]
    names = [name for name, _ in rest]
    if any(_suffix(name) == ".zip" for name in names) or any(
        PurePosixPath(name).name.lower() == META_FILE for name in names
    ):
        if recipes:
            return Route(
                "unknown",
                "A recipe goes with a raw extract, not with a dataset: upload the dataset "
                "without it.",
            )
        return Route("dataset", "A contract dataset: its tables and dataset.toml.")
    tables = [(name, data) for name, data in rest if _suffix(name) in TABLE_SUFFIXES]
    if not tables:
        return Route(
            "unknown",
            "None of these is a table: upload .csv, .xlsx or .parquet files, one .zip of them, "
            "or a raw extract.",
        )
    if len(tables) == 1 and not _contract_shaped(*tables[0]):
        if len(recipes) > 1:
            return Route("unknown", "Upload one recipe with the extract, not several.")
        return Route(
            "extract",
            "A raw extract: its columns and values are mapped to the contract below.",
            extract=tables[0][0],
            recipe=recipes[0] if recipes else None,
        )
    if recipes:
        return Route(
            "unknown",
            "A recipe goes with one raw extract: upload the extract and its recipe alone.",
        )
    return Route("dataset", "A contract dataset: tables named as the contract names them.")


__all__ = ["HEAD_BYTES", "Route", "csv_header", "is_recipe", "route"]
