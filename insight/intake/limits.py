"""How much one dataset may ask of the server, set by environment variables read on every load.

A table file too large, a table with too many rows, or a workbook whose sheet declares or holds
more than that, is refused in seconds with a plain message, before it is read whole: one visitor's
oversized folder must not hold the server (and everyone else's pages) for minutes.

| variable | default | what |
|---|---|---|
| INSIGHT_MAX_FILE_MB | 500 | size of any one table file, in MB; for .xlsx also its first sheet unpacked |
| INSIGHT_MAX_ROWS | 1,000,000 | data rows in any one table (CSV lines are counted while streaming) |
| INSIGHT_MAX_XLSX_ROWS | 250,000 | data rows in an .xlsx sheet, checked before the sheet is read |
| INSIGHT_MAX_DATASETS | 4 | datasets kept open in memory by one server (least recently used goes) |

A value that is not a whole number above zero is ignored (the default applies), so a typo cannot
switch a limit off.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MB = 1 << 20
ENV_FILE_MB = "INSIGHT_MAX_FILE_MB"
ENV_ROWS = "INSIGHT_MAX_ROWS"
ENV_XLSX_ROWS = "INSIGHT_MAX_XLSX_ROWS"
ENV_DATASETS = "INSIGHT_MAX_DATASETS"
DEFAULT_FILE_MB = 500
DEFAULT_ROWS = 1_000_000
DEFAULT_XLSX_ROWS = 250_000  # reading a workbook costs ~10 times a CSV's time and memory
DEFAULT_DATASETS = 4
MAX_COLUMNS = 200  # columns in any one table (the contract's widest table has a few dozen)
XLSX_UNPACK_FACTOR = 4  # a sheet may unpack to this many times INSIGHT_MAX_FILE_MB


@dataclass(frozen=True)
class Limits:
    file_mb: int = DEFAULT_FILE_MB
    rows: int = DEFAULT_ROWS
    xlsx_rows: int = DEFAULT_XLSX_ROWS
    datasets: int = DEFAULT_DATASETS
    columns: int = MAX_COLUMNS

    @property
    def file_bytes(self) -> int:
        return self.file_mb * MB

    @property
    def sheet_bytes(self) -> int:
        return self.file_mb * MB * XLSX_UNPACK_FACTOR


def _whole(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip().replace("_", "").replace(",", "")
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def current() -> Limits:
    """The limits in force now (the environment is read each call, so a test or an operator can
    change them without a restart)."""
    rows = _whole(ENV_ROWS, DEFAULT_ROWS)
    return Limits(
        file_mb=_whole(ENV_FILE_MB, DEFAULT_FILE_MB),
        rows=rows,
        xlsx_rows=min(_whole(ENV_XLSX_ROWS, DEFAULT_XLSX_ROWS), rows),
        datasets=_whole(ENV_DATASETS, DEFAULT_DATASETS),
    )


def describe(limits: Limits | None = None) -> list[str]:
    """The limits in plain words, for the About page and the README."""
    limits = limits or current()
    return [
        f"A table file larger than {limits.file_mb:,} MB is refused before it is read "
        f"(`{ENV_FILE_MB}`); an .xlsx sheet that unpacks to more than "
        f"{limits.file_mb * XLSX_UNPACK_FACTOR:,} MB is refused too.",
        f"A table with more than {limits.rows:,} rows is refused (`{ENV_ROWS}`): CSV lines are "
        "counted as the file is read, and an .xlsx sheet's declared size is checked before it is "
        "read.",
        f"An .xlsx sheet with more than {limits.xlsx_rows:,} rows is refused before it is read "
        f"(`{ENV_XLSX_ROWS}`): save a table that large as .csv or .parquet, which read far "
        "faster.",
        f"A table with more than {limits.columns:,} columns is refused.",
        f"At most {limits.datasets:,} datasets stay open in memory at once (`{ENV_DATASETS}`); "
        "the one used least recently is closed first and opened again when next asked for.",
    ]
