"""insight.numbers.columns: a column read through numpy holds what pandas' own conversions hold
(the narrate stage's loops read it instead, issue 31), for text columns with missing values,
text in object columns, and numbers."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from insight.numbers.columns import items, texts

TEXT = st.one_of(st.none(), st.text(max_size=6))


def same(a: list, b: list) -> bool:
    """Equal lists, a NaN equal to a NaN (a missing text), the types equal too."""
    return len(a) == len(b) and all(
        (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
        or (type(x) is type(y) and x == y)
        for x, y in zip(a, b, strict=True)
    )


@given(st.lists(TEXT, max_size=12))
def test_a_text_column_reads_as_astype_and_tolist(values: list[str | None]) -> None:
    column = pd.Series(values, dtype="str")
    assert same(texts(column).tolist(), column.astype(str).tolist())
    assert same(items(column), column.tolist())


@given(st.lists(st.one_of(TEXT, st.integers(-5, 5)), max_size=12))
def test_an_object_column_reads_as_text(values: list[object]) -> None:
    column = pd.Series(values, dtype=object)
    assert same(texts(column).tolist(), column.astype(str).tolist())
    assert same(items(column), column.tolist())


@given(st.lists(st.one_of(st.floats(allow_nan=True), st.integers(-9, 9)), max_size=12))
def test_a_number_column_lists_the_same_numbers(values: list[float]) -> None:
    column = pd.Series(values, dtype="float64")
    assert same(items(column), column.tolist())
    assert same(texts(column).tolist(), column.astype(str).tolist())
