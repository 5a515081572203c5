"""insight.service.view: pages are given what they may show, never the dataset (issue 13 item 1).

The PageView's fields are walked whole: none is (or holds) a frame or a Dataset; its bound calls
return what the insight functions return for the same dataset and selection; and its one door
to the numbers, `table`, opens only for the functions of insight.numbers.tables and .place.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from insight.core.dataset import Dataset
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import participants, place, tables
from insight.outputs import meetings
from insight.service.view import PageView, allowed, page_view
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, dataset, people

FRAMES = (pd.DataFrame, pd.Series, pd.Index, Dataset)


def reachable(value: object, path: str = "view") -> list[tuple[str, object]]:
    """Every value reachable from `value` through dataclass fields and containers (not through
    a callable's closure: that is where the dataset is meant to be)."""
    found = [(path, value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            found += reachable(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, (tuple, list, set, frozenset)):
        for n, item in enumerate(value):
            found += reachable(item, f"{path}[{n}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += reachable(key, f"{path}<key>") + reachable(item, f"{path}[{key!r}]")
    return found


def leaks(view: object) -> list[str]:
    """Paths to a frame or a Dataset in the view's fields or public attributes."""
    paths = [p for p, v in reachable(view) if isinstance(v, FRAMES)]
    for name in dir(view):
        if not name.startswith("_") and isinstance(getattr(view, name), FRAMES):
            paths.append(f"view.{name}")
    return paths


@pytest.fixture(scope="module")
def ds() -> Dataset:
    rows = people(SANDWELL, 40, barrier_digital_skills=True) + people(BIRMINGHAM, 60)
    insights = pd.DataFrame(
        {
            "insight_id": ["I1"],
            "category": ["what_works"],
            "la_codes": [("ALL",)],
            "barriers": [("ALL",)],
            "title": ["T"],
            "text": ["Words"],
            "recommendation": ["continue"],
            "date": ["2025-06"],
        }
    )
    return dataset(rows, insights=insights)


def test_the_view_holds_no_frame_and_no_dataset(ds: Dataset) -> None:
    view = page_view(ds, Selection(la=SANDWELL))
    assert isinstance(view, PageView)
    assert leaks(view) == []
    # ... although the dataset it was made from is nothing but frames
    assert leaks(ds) != [] and "view.participants" in leaks(ds)
    # the walk does see into the view: its metadata and keys are there
    walked = dict(reachable(view))
    assert walked["view.meta"] is ds.meta and walked["view.barrier_keys"] == ds.barrier_keys


def test_every_field_but_the_bound_calls_is_plain_data(ds: Dataset) -> None:
    view = page_view(ds)
    for f in dataclasses.fields(view):
        value = getattr(view, f.name)
        if f.name.startswith("_"):
            assert callable(value), f.name
        else:
            assert not callable(value), f"{f.name} is public and callable"


def test_the_view_carries_what_pages_read(ds: Dataset) -> None:
    view = page_view(ds, Selection(la=SANDWELL, period="latest_6", mode="presenter"))
    assert view.meta == ds.meta
    # the insights' text awaits review: the view is of the shareable dataset, keyed apart
    assert view.fingerprint.startswith(ds.fingerprint) and view.fingerprint != ds.fingerprint
    assert view.la_codes == ds.la_codes == (BIRMINGHAM, SANDWELL)
    assert (view.barrier_keys, view.service_keys) == (ds.barrier_keys, ds.service_keys)
    assert view.tables == ("insights",) and view.has("insights") and not view.has("vacancies")
    assert view.selection == Selection(la=SANDWELL, period="latest_6", mode="presenter")
    assert view.area_label() == view.area_label(SANDWELL) != view.area_label(WHOLE_AREA)
    assert view.area_label(WHOLE_AREA) == "Test Area (whole area)"
    assert view.at(Selection()).selection == Selection() and view.selection.la == SANDWELL


def test_table_is_the_insight_function_for_the_views_selection(ds: Dataset) -> None:
    sel = Selection(la=SANDWELL, mode="standard")
    view = page_view(ds, sel)
    got = view.table(tables.barriers)
    pd.testing.assert_frame_equal(got.frame, tables.barriers(ds, sel).frame)
    presenter = view.at(Selection(la=SANDWELL, mode="presenter")).table(tables.barriers)
    assert presenter.mode == "presenter" and got.mode == "standard"
    by_age = view.table(tables.barrier_by_age, "digital_skills")
    expected = tables.barrier_by_age(ds, sel, "digital_skills")
    pd.testing.assert_frame_equal(by_age.frame, expected.frame)


def test_table_passes_through_the_bound_call(ds: Dataset) -> None:
    calls = []

    def counting(d, function, s, args):
        # the shareable dataset (its insights' text awaits review): the same participants
        calls.append((d.participants is ds.participants, function.__name__, s, args))
        return function(d, s, *args)

    view = page_view(ds, Selection(la=SANDWELL), table=counting)
    view.table(tables.characteristic, "age_band")
    assert calls == [(True, "characteristic", Selection(la=SANDWELL), ("age_band",))]


def test_table_refuses_any_function_but_the_safe_ones(ds: Dataset) -> None:
    view = page_view(ds)
    with pytest.raises(TypeError, match="is not a function of insight.numbers.tables"):
        view.table(lambda d, s: d.participants)
    # the builders' module imports the raw counts it discloses: they are not the API
    assert callable(participants.count_characteristic)
    for raw in (participants.count_characteristic, participants.participants_in):
        with pytest.raises(TypeError):
            view.table(raw, "age_band")
    with pytest.raises(TypeError):
        view.table(tables.SafeTable)  # in __all__, but a class: it would wrap the dataset
    # the narrate stages are not builders: they skip the pipeline's disclosure
    assert not allowed(participants.la_shares) and not allowed(place.claimant_hotspot)
    assert not allowed(place.beside_shares) and not allowed(participants.count_la_shares)

    def barriers(d, s):  # named like a safe one, but not it
        return d.participants

    with pytest.raises(TypeError):
        view.table(barriers)
    assert allowed(tables.barriers) and allowed(tables.context_beside)
    assert not allowed(barriers) and not allowed(pd.DataFrame.head)


def test_slides_and_ready_made_are_the_meetings_ones(ds: Dataset) -> None:
    from insight.sharing import review

    view = page_view(ds)
    items = view.ready_made(SANDWELL, "whole")
    # the view is given the review gate's copy (issue 30): what it may show of the dataset now
    gated = review.shareable(ds, review.status(ds))
    assert items == meetings.ready_made(gated, SANDWELL, "whole")
    assert "insights.what_works" in [i.chart for i in items]  # the dataset holds insights
    slide = view.slide(items[0], 1, len(items))
    plain = meetings.build_slide(ds, items[0], 1, len(items))
    assert (slide.headline, slide.area, slide.counter) == (
        plain.headline,
        plain.area,
        plain.counter,
    )
    pd.testing.assert_frame_equal(slide.table.frame, plain.table.frame)


def test_slides_use_the_builder_given(ds: Dataset) -> None:
    built = []

    def builder(d, found, s):
        built.append((d.participants is ds.participants, found.key, s.mode))
        return found.build(d, s)

    view = page_view(ds, build=builder)
    view.slide(meetings.Item("barriers", SANDWELL, "whole"), 1, 1)
    assert (True, "barriers", "presenter") in built
