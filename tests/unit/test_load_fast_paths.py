"""The fast paths that keep loading quick (issue 29 item 8) refuse exactly what the slow paths
refused: each is checked against the straightforward version on generated columns."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.intake.raw import MONTH_COLUMNS, RawColumn, RawTable, _trimmed, as_text
from insight.intake.validate import check_participants, ids_repeat_soon

# Values that trim to the same text, blanks, spaces only, and plain distinct values.
_CELL = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "a", " a", "a ", "B", "b", "\tc\n", "yes", " yes ", "E08000025"]),
    st.text(alphabet="ab ", max_size=4),
)


def _slow_encoded(values: pa.ChunkedArray, name: str) -> pa.DictionaryArray:
    """RawColumn._encoded as it was: always re-encode and take a code per row."""
    combined = values.combine_chunks()
    if not pa.types.is_dictionary(combined.type):
        combined = pc.dictionary_encode(combined)
    dictionary = as_text(name, combined.dictionary, name in MONTH_COLUMNS)
    again = pc.dictionary_encode(_trimmed(dictionary))
    indices = pc.take(again.indices, combined.indices)
    return pa.DictionaryArray.from_arrays(indices, again.dictionary)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=12), min_size=1, max_size=3), st.booleans())
def test_codes_and_dictionary_match_the_slow_path(chunks: list[list[str | None]], encode: bool):
    arrays = [pa.array(chunk, pa.string()) for chunk in chunks]
    if encode:  # as the CSV and Parquet readers hand them over, dictionary-encoded per chunk
        arrays = [pc.dictionary_encode(array) for array in arrays]
    values = pa.chunked_array(arrays, arrays[0].type)
    fast = RawColumn("sector", "sector", values)
    slow = _slow_encoded(values, "sector")
    assert fast.dictionary.equals(slow.dictionary)
    slow_codes = pc.fill_null(slow.indices, -1).to_numpy(zero_copy_only=False)
    size = len(slow.dictionary)
    # what the checks ask of a column, before its codes are made (from the rows as read) ...
    per_value = np.arange(size + 1) * 10 + 7  # a distinct answer per value, and for blank
    assert np.array_equal(fast.per_row(per_value), per_value[slow_codes])
    assert "codes" not in fast.__dict__
    slow_counts = np.bincount(np.where(slow_codes < 0, size, slow_codes), minlength=size + 1)
    assert np.array_equal(fast.counts(), slow_counts)
    assert fast.text().to_pylist() == pc.take(slow.dictionary, slow.indices).to_pylist()
    # ... and after
    assert np.array_equal(fast.codes, slow_codes)
    assert np.array_equal(fast.per_row(per_value), per_value[slow_codes])
    for bad in (np.arange(size + 1) % 2 == 0, np.arange(size + 1) == size):  # some, and blank
        assert np.array_equal(fast.rows_where(bad), np.flatnonzero(bad[slow_codes]) + 2)


def test_the_fast_path_is_taken_only_when_no_two_values_merge():
    clean = RawColumn(
        "sector", "sector", pa.chunked_array([pc.dictionary_encode(pa.array(["a", "b", "a"]))])
    )
    merged = RawColumn(
        "sector", "sector", pa.chunked_array([pc.dictionary_encode(pa.array(["a", " a", "", "b"]))])
    )
    assert clean.uniques == ["a", "b"] and clean.codes.tolist() == [0, 1, 0]
    assert merged.uniques == ["a", "b"] and merged.codes.tolist() == [0, 0, -1, 1]


def _participants(ids: list[str | None]) -> RawTable:
    n = len(ids)
    columns = {
        "participant_id": pa.array(ids, pa.string()),
        "la_code": pa.array(["E08000025"] * n),
        "start_month": pa.array(["2024-07"] * n),
        "status": pa.array(["active"] * n),
        "age_band": pa.array(["25-49"] * n),
        "gender": pa.array(["Female"] * n),
        "ethnicity": pa.array(["White"] * n),
        "disability": pa.array(["No"] * n),
    }
    return RawTable(
        "participants",
        "participants.csv",
        n,
        [
            RawColumn(
                name,
                name,
                pa.chunked_array(
                    [values if name == "participant_id" else pc.dictionary_encode(values)]
                ),
            )
            for name, values in columns.items()
        ],
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.sampled_from(["p1", "p2", " p1", "p3 ", "", "  "])),
        min_size=1,
        max_size=10,
    )
)
def test_duplicate_ids_are_found_as_count_distinct_found_them(ids: list[str | None]):
    problems, _, _, _ = check_participants(_participants(ids), None)
    duplicates = [p for p in problems if p.rule.startswith("duplicate_id")]
    with ThreadPoolExecutor(1) as pool:  # as load does: hashed on another thread meanwhile
        table = _participants(ids)
        ahead, _, _, _ = check_participants(table, None, ids_repeat_soon(table, pool))
    assert ahead == problems
    text = RawColumn(
        "participant_id", "participant_id", pa.chunked_array([pa.array(ids, pa.string())])
    ).text()
    repeated = pc.count_distinct(text).as_py() < len(text) - text.null_count  # the old test
    assert bool(duplicates) == repeated
