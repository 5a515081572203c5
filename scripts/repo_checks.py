"""Repository hygiene, run by pre-commit and by `make test`.

- Data files (tables, spreadsheets, databases, archives) live under `sample_data/` only: a
  provider's extract dropped anywhere else in the tree is refused before it can be committed.
- No file over 1 MiB outside `sample_data/` (the bundled sample and the ONS geography are the
  only large files the project ships).
- Pages are given what they may show, not the dataset (insight.service.view.PageView): nothing
  in `pages/` or `components/` imports `Dataset`, except `components/context.py`, which opens the
  dataset and binds the view's calls to it. No other component imports `components.context` (a
  component is handed the view; it never reaches back into the session for the dataset). Only the
  Data page and `components/context.py` open a dataset (`load_dataset`, `open_dataset`).
- Pages never import the raw numbers or the suppression step (`insight.numbers.measure`,
  `insight.numbers.disclosure`): they get safe tables. (import-linter holds this and more for
  pages/ and components/ in the tests; checked here too so a commit is refused before the suite.)

Usage: `python scripts/repo_checks.py [FILE ...]` (default: every file git tracks). Exit 0 clean,
1 with one line a problem.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

DATA_HOME = "sample_data/"
DATA_SUFFIXES = frozenset(
    {
        ".csv", ".tsv", ".xlsx", ".xls", ".xlsm", ".ods", ".parquet", ".feather", ".arrow",
        ".geojson", ".sqlite", ".sqlite3", ".db", ".zip", ".gz", ".pkl", ".pickle",
    }
)  # fmt: skip
MAX_BYTES = 1 << 20
ROOT = Path(__file__).resolve().parents[1]


def problems(paths: list[str], size_of=lambda path: Path(path).stat().st_size) -> list[str]:
    found = []
    for path in paths:
        posix = Path(path).as_posix()
        if posix.startswith(DATA_HOME):
            continue
        if Path(posix).suffix.lower() in DATA_SUFFIXES:
            found.append(
                f"{posix}: a data file outside {DATA_HOME} (move it there or leave it out)"
            )
            continue
        try:
            size = size_of(posix if Path(posix).is_absolute() else ROOT / posix)
        except OSError:
            continue  # deleted in this change
        if size > MAX_BYTES:
            found.append(f"{posix}: {size:,} bytes, over the {MAX_BYTES:,}-byte limit for a file")
    return found


UI_HOMES = ("pages/", "components/", "app.py")
DATASET_HOLDER = "components/context.py"  # opens the dataset; binds the PageView's calls to it
DATASET_OPENERS = frozenset({"load_dataset", "open_dataset", "_dataset"})
MAY_OPEN = frozenset({DATASET_HOLDER, "pages/data/data.py"})  # the Data page checks and loads
DATASET_ATTRIBUTES = DATASET_OPENERS | {"Dataset", "participants"}
RAW_NUMBERS = ("insight.numbers.measure", "insight.numbers.disclosure")


def _imports(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, module, name) of each import: `import a.b` gives ("a.b", ""), `from a import b`
    gives ("a", "b")."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found += [(node.lineno, node.module or "", alias.name) for alias in node.names]
    return found


def code_problems(path: str, text: str) -> list[str]:
    """What `pages/`, `components/` and app.py may not do (see the module's docstring)."""
    posix = Path(path).as_posix()
    if not posix.startswith(UI_HOMES) or not posix.endswith(".py"):
        return []
    try:
        tree = ast.parse(text, filename=posix)
    except SyntaxError as error:
        return [f"{posix}:{error.lineno}: does not parse"]
    found = []
    for line, module, name in _imports(tree):
        where = f"{posix}:{line}"
        full = f"{module}.{name}" if name else module
        if name == "Dataset" and posix != DATASET_HOLDER:
            found.append(f"{where}: imports Dataset (pages and components get a PageView)")
        if posix.startswith("pages/") and any(
            full == raw or full.startswith(f"{raw}.") for raw in RAW_NUMBERS
        ):
            found.append(f"{where}: imports {full} (pages get safe tables only)")
        if (
            posix.startswith("components/")
            and posix != DATASET_HOLDER
            and "components.context" in (module, full)
        ):
            found.append(
                f"{where}: imports components.context (a component is handed the view; it "
                "never reaches back for the dataset)"
            )
        if name in DATASET_OPENERS and posix not in MAY_OPEN:
            found.append(f"{where}: imports {name} (only the Data page opens a dataset)")
    if posix not in MAY_OPEN:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in DATASET_ATTRIBUTES:
                found.append(
                    f"{posix}:{node.lineno}: uses .{node.attr} (pages and components get a "
                    "PageView, never the dataset)"
                )
    return found


def all_code_problems(
    paths: list[str], read: Callable[[Path], str] = lambda p: p.read_text(encoding="utf-8")
) -> list[str]:
    found = []
    for path in paths:
        posix = Path(path).as_posix()
        if not posix.startswith(UI_HOMES) or not posix.endswith(".py"):
            continue
        try:
            text = read(Path(posix) if Path(posix).is_absolute() else ROOT / posix)
        except OSError:
            continue  # deleted in this change
        found += code_problems(posix, text)
    return found


def tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], capture_output=True, check=True, cwd=ROOT)
    return [name for name in out.stdout.decode().split("\0") if name]


def main(argv: list[str]) -> int:
    paths = argv or tracked()
    found = problems(paths) + all_code_problems(paths)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
