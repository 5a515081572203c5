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
| INSIGHT_MAX_XLSX_STRINGS | 2,000,000 | entries in a workbook's shared-strings table, checked before it is read |
| INSIGHT_XLSX_MEMORY_MB | 3,072 | memory the separate process that reads a workbook may use, in MB |
| INSIGHT_XLSX_SECONDS | 120 | time that process may take, in seconds |

A workbook is a ZIP of XML parts, and a few MB of it can unpack to gigabytes. Before any of it is
parsed, every part is bounded from the ZIP (at most XLSX_MAX_ENTRIES entries; each part's and
all parts' unpacked size within 4 times INSIGHT_MAX_FILE_MB, a part other than a sheet or the
shared strings within XLSX_OTHER_PART_MB) and the first sheet and the shared strings are scanned
as they unpack (rows, cells and strings counted, whether or not they carry references). Then it
is read in a separate process under a memory and a time limit, so a workbook no check foresaw
stops that process, never the server.

A value that is not a whole number above zero is ignored (the default applies), so a typo cannot
switch a limit off.

One size limit: an upload through the browser is bounded by Streamlit's `server.maxUploadSize`
in `.streamlit/config.toml`, which is set to DEFAULT_FILE_MB (tests/unit/test_limits.py checks
that they agree). The Data page's upload box enforces, and its text states, `upload_mb`: the
table limit, within what the server accepts. Raising INSIGHT_MAX_FILE_MB raises the limit for
folders at once; for uploads, raise `server.maxUploadSize` with it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MB = 1 << 20
ENV_FILE_MB = "INSIGHT_MAX_FILE_MB"
ENV_ROWS = "INSIGHT_MAX_ROWS"
ENV_XLSX_ROWS = "INSIGHT_MAX_XLSX_ROWS"
ENV_DATASETS = "INSIGHT_MAX_DATASETS"
ENV_XLSX_STRINGS = "INSIGHT_MAX_XLSX_STRINGS"
ENV_XLSX_MEMORY_MB = "INSIGHT_XLSX_MEMORY_MB"
ENV_XLSX_SECONDS = "INSIGHT_XLSX_SECONDS"
DEFAULT_FILE_MB = 500
DEFAULT_ROWS = 1_000_000
DEFAULT_XLSX_ROWS = 250_000  # reading a workbook costs ~10 times a CSV's time and memory
DEFAULT_DATASETS = 4
DEFAULT_XLSX_STRINGS = 2_000_000  # a participant_id and a few free-text columns, 250,000 rows
DEFAULT_XLSX_MEMORY_MB = 3072  # a 250,000-row workbook reads in about a third of this
DEFAULT_XLSX_SECONDS = 120
XLSX_MAX_ENTRIES = 10_000  # parts in a workbook's ZIP (Excel writes a dozen or two)
XLSX_OTHER_PART_MB = 64  # styles, the workbook part, relationships: a few KB in real files
MAX_COLUMNS = 200  # columns in any one table (the contract's widest table has a few dozen)
XLSX_UNPACK_FACTOR = 4  # a sheet may unpack to this many times INSIGHT_MAX_FILE_MB


@dataclass(frozen=True)
class Limits:
    file_mb: int = DEFAULT_FILE_MB
    rows: int = DEFAULT_ROWS
    xlsx_rows: int = DEFAULT_XLSX_ROWS
    datasets: int = DEFAULT_DATASETS
    columns: int = MAX_COLUMNS
    xlsx_strings: int = DEFAULT_XLSX_STRINGS
    xlsx_memory_mb: int = DEFAULT_XLSX_MEMORY_MB
    xlsx_seconds: int = DEFAULT_XLSX_SECONDS

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
        xlsx_strings=_whole(ENV_XLSX_STRINGS, DEFAULT_XLSX_STRINGS),
        xlsx_memory_mb=_whole(ENV_XLSX_MEMORY_MB, DEFAULT_XLSX_MEMORY_MB),
        xlsx_seconds=_whole(ENV_XLSX_SECONDS, DEFAULT_XLSX_SECONDS),
    )


UPLOAD_OPTION = "server.maxUploadSize"  # Streamlit's ceiling on an upload, in MB


def upload_mb(server_max_mb: int, limits: Limits | None = None) -> int:
    """The size limit of one uploaded file, in MB, as the upload box enforces it and the page
    states it: the table limit, within the server's own ceiling (UPLOAD_OPTION)."""
    return max(1, min((limits or current()).file_mb, int(server_max_mb)))


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
        f"An .xlsx workbook is bounded before any of it is read: at most {XLSX_MAX_ENTRIES:,} "
        f"parts, unpacking to at most {limits.file_mb * XLSX_UNPACK_FACTOR:,} MB in all, and at "
        f"most {limits.xlsx_strings:,} entries in its shared-strings table "
        f"(`{ENV_XLSX_STRINGS}`); rows and cells are counted even where the sheet gives them no "
        "reference. A damaged, encrypted or unusually compressed (Deflate64) workbook or .zip is "
        "refused with a plain message.",
        f"A workbook is read in a separate process that may use at most "
        f"{limits.xlsx_memory_mb:,} MB of memory (`{ENV_XLSX_MEMORY_MB}`) and "
        f"{limits.xlsx_seconds:,} seconds (`{ENV_XLSX_SECONDS}`): one that needs more is "
        "refused, and the server and everyone else's pages carry on. Upload folders left behind "
        "by a server that stopped mid-check are removed when the next one starts.",
        f"An uploaded file is held to the same {limits.file_mb:,} MB: the Data page's one upload "
        "box enforces it and says so, within the server's own ceiling (`server.maxUploadSize` "
        f"in `.streamlit/config.toml`, set to {DEFAULT_FILE_MB:,}).",
        f"A table with more than {limits.columns:,} columns is refused.",
        f"At most {limits.datasets:,} datasets stay open in memory at once (`{ENV_DATASETS}`); "
        "the one used least recently is closed first and opened again when next asked for.",
    ]
