"""The facts under a plan's or an insight's card (components.cards): a list of places in words,
so an LA whose name holds a comma still reads as one place."""

from __future__ import annotations

from components.cards import _fact


def test_a_list_of_places_reads_as_words_with_its_commas_kept_apart():
    assert _fact(("Herefordshire, County of", "Shropshire")) == (
        "Herefordshire, County of and Shropshire"
    )
    assert _fact(["Herefordshire, County of", "Shropshire", "Malvern Hills"]) == (
        "Herefordshire, County of; Shropshire; and Malvern Hills"
    )
    assert _fact(["Malvern Hills", "Sandwell"]) == "Malvern Hills and Sandwell"


def test_a_missing_fact_is_left_out():
    assert [_fact(v) for v in (None, "nan", " ", "<NA>")] == ["", "", "", ""]
    assert _fact("All Local Authorities") == "All Local Authorities"
