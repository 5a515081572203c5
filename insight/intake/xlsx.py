"""A workbook's first sheet read into text columns: `read_xlsx` bounds it from its zip
(insight.intake.xlsx_scan) and then reads it in a separate process under a memory and a time limit
(insight.intake.isolated); that child process calls `read_xlsx_here` (python-calamine) and
`sheet_names_here`. Excel's own row numbers stay in every message (the header is row 1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from insight.core.contract import REQUIRED_COLUMNS
from insight.intake import isolated
from insight.intake import limits as _limits
from insight.intake.raw import (
    MONTH_COLUMNS,
    PLAIN_COLUMNS,
    ReadError,
    norm,
)
from insight.intake.xlsx_scan import DAMAGED_XLSX, NOT_XLSX, check_xlsx_size, xlsx_too_big

_TITLE_SEARCH_ROWS = 10


def read_xlsx(
    path: Path, stem: str, limits: _limits.Limits
) -> tuple[list[str], list[pa.ChunkedArray]]:
    """The first sheet, once the workbook has been bounded from its zip without parsing it
    (check_xlsx_size), read in a separate process under a memory and a time limit
    (insight.intake.isolated): a workbook no check foresaw stops that process, not the server."""
    check_xlsx_size(path, limits)
    try:
        answer = isolated.run("sheet", path, stem, limits.xlsx_memory_mb, limits.xlsx_seconds)
    except isolated.IsolatedError as error:
        raise ReadError(str(error)) from None
    return isolated.columns_from_ipc(answer)


def read_xlsx_here(
    path: Path, stem: str, limits: _limits.Limits
) -> tuple[list[str], list[pa.ChunkedArray]]:
    """The first sheet, read by python-calamine (Rust) in this process: only ever called in the
    limited child process (insight.intake.isolated), after check_xlsx_size in the parent."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError, TypeError):
        raise ReadError(NOT_XLSX) from None
    try:
        if not book.sheet_names:
            raise ReadError("the workbook has no sheets")
        sheet = book.get_sheet_by_index(0)
        if sheet.height > limits.xlsx_rows + 1 or sheet.width > limits.columns:
            raise ReadError(xlsx_too_big(sheet.height, sheet.width, limits))
        # From A1, blank rows and columns included, so row numbers in messages are Excel's.
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, TypeError, KeyError, IndexError):
        raise ReadError(DAMAGED_XLSX) from None
    finally:
        book.close()
    while rows and all(_blank(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ReadError("the first sheet is empty (not even a header row)")
    _check_header_row(rows, stem)
    width = max(len(row) for row in rows)
    header = list(rows[0]) + [None] * (width - len(rows[0]))
    names = ["" if _blank(cell) else _header_text(cell) for cell in header]
    body = [
        row if len(row) == width else [*row, *([None] * (width - len(row)))] for row in rows[1:]
    ]
    del rows
    columns = []
    for position, cells in enumerate(zip(*body, strict=True) if body else [[]] * width):
        month = norm(names[position]) in MONTH_COLUMNS
        if all(type(cell) is str for cell in cells):
            values = pa.array(cells, pa.string())  # the common case: no conversion per cell
        else:
            values = pa.array([_cell_text(cell, month) for cell in cells], pa.string())
        if norm(names[position]) not in PLAIN_COLUMNS:
            values = pc.dictionary_encode(values)  # as a CSV is read: fewer bytes to hand back
        columns.append(pa.chunked_array([values]))
    return names, columns


def sheet_names_here(path: Path) -> list[str]:
    """A workbook's sheet names read by python-calamine, in the limited child process."""
    from python_calamine import CalamineWorkbook

    try:
        return [str(name) for name in CalamineWorkbook.from_path(str(path)).sheet_names]
    except Exception:  # noqa: BLE001 - a damaged workbook has no names to guard
        return []


def _header_text(cell: object) -> str:
    text = _cell_text(cell, False)
    return "" if text is None else text.strip()


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _check_header_row(rows: Sequence[Sequence[object]], stem: str) -> None:
    """The first row must hold the column names; say so when a title or blank row sits above."""
    expected = set(REQUIRED_COLUMNS.get(stem, ()))
    for number, row in enumerate(rows[:_TITLE_SEARCH_ROWS], start=1):
        names = {norm(cell) for cell in row if not _blank(cell)}
        if names & expected:
            if number > 1:
                raise ReadError(
                    f"the first row is not the header: the column names are on row {number}. "
                    f"Delete the {number - 1} row(s) above them (a title above the table is "
                    "not allowed)"
                )
            return
    filled = [cell for cell in rows[0] if not _blank(cell)]
    if len(rows) > 1 and len(filled) <= 1:
        raise ReadError(
            "the first row is not the header: it holds at most one value, like a title. The "
            "first row must hold the column names"
        )


def _cell_text(cell: object, month: bool) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        if month and cell.day == 1:
            return cell.strftime("%Y-%m")
        return cell.strftime("%Y-%m-%d")
    return str(cell)
