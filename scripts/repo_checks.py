"""Repository hygiene, run by pre-commit and by `make test`.

- Data files (tables, spreadsheets, databases, archives) live under `sample_data/` only: a
  provider's extract dropped anywhere else in the tree is refused before it can be committed.
- No file over 1 MiB outside `sample_data/` (the bundled sample and the ONS geography are the
  only large files the project ships).

Usage: `python scripts/repo_checks.py [FILE ...]` (default: every file git tracks). Exit 0 clean,
1 with one line a problem.
"""

from __future__ import annotations

import subprocess
import sys
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


def tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], capture_output=True, check=True, cwd=ROOT)
    return [name for name in out.stdout.decode().split("\0") if name]


def main(argv: list[str]) -> int:
    found = problems(argv or tracked())
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
