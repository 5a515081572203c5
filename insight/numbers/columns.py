"""A frame's columns as plain arrays, for the narrate stage's loops over a few rows.

pandas' text columns are Arrow-backed: `Series.tolist()` and `.astype(str)` on one build Python
objects through Arrow on every call, and a filtered frame costs more than the loop that reads it.
A column read once into an object array, then indexed and listed with numpy, gives the same
values for a fraction of the CPU (issue 31). Pure: no streamlit import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def texts(column: pd.Series) -> np.ndarray:
    """The column's values as text, in an object array: what `column.astype(str)` holds (a text
    column's own values, a missing one left missing as NaN)."""
    if column.dtype == "str":
        return column.to_numpy()
    return column.astype(str).to_numpy()


def items(column: pd.Series) -> list:
    """`column.tolist()`, read through numpy (the same Python values, NaN for a missing text)."""
    return column.to_numpy().tolist()


__all__ = ["items", "texts"]
