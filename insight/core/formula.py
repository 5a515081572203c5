"""Keep spreadsheet formulas out of every CSV and workbook the app writes (CSV injection).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula, which can run commands or send data away when the file
is opened. OWASP's advice: put a single quote in front of such a text cell, so it shows as the text
it is. Numbers are left alone (a negative count is a number, not a formula), and so is text that
is only a number ("-3", "+4.5%"), which no spreadsheet runs.

Every writer of a CSV or workbook calls `neutralise_frame` (or `csv_bytes`) on what it writes.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?%?")


def neutralise(value: object) -> object:
    """`value` with a single quote in front when it is text a spreadsheet would run as a formula;
    anything else unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if any(char.isdigit() for char in value) and _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def _starts_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells, and column names, are neutralised; numeric, boolean
    and date columns are untouched."""
    out = frame.copy(deep=False)  # copy-on-write (pandas 3): `frame` is never changed through it
    for name in out.columns:
        column = out[name]
        if column.dtype == "str":
            # pandas' text dtype: a column holding text of which no cell starts as a formula would
            # is kept as it is (what mapping gives it: mapping a column with no text at all gives
            # another dtype), the rest neutralised cell by cell
            values = column.tolist()
            plain = any(isinstance(value, str) for value in values) and not any(
                _starts_formula(value) for value in values
            )
            if not plain:
                out[name] = column.map(neutralise)
        elif pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            out[name] = column.map(neutralise)
        elif isinstance(column.dtype, pd.CategoricalDtype):
            out[name] = column.astype(object).map(neutralise)
    out.columns = [neutralise(name) for name in out.columns]
    return out


_STARTS_REGEX = "^[=+\\-@\t\r]"
_PLAIN_NUMBER_REGEX = "^[+-]?([0-9][0-9,]*)?(\\.[0-9]+)?%?$"


def neutralise_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """`neutralise` over a column of text, in Arrow (for tables written with pyarrow): values a
    spreadsheet would run get a single quote in front; numbers and blanks are left alone."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(pa.string())
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return values
    formula = pc.and_(
        pc.match_substring_regex(values, _STARTS_REGEX),
        pc.invert(
            pc.and_(
                pc.match_substring_regex(values, "[0-9]"),
                pc.match_substring_regex(values, _PLAIN_NUMBER_REGEX),
            )
        ),
    )
    quoted = pc.binary_join_element_wise(pa.scalar("'", values.type), values, "")
    return pc.if_else(pc.fill_null(formula, False), quoted, values)


def neutralise_table(table: pa.Table) -> pa.Table:
    """A copy of `table` whose text columns, and column names, are neutralised."""
    return pa.table(
        [neutralise_array(column) for column in table.columns],
        names=[str(neutralise(name)) for name in table.column_names],
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV (no index), formulas neutralised."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8")
