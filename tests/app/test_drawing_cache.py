"""The drawing caches (components.cache, issue 31): a figure, a table view, a map or an official
table made once is shared by every session that would have made exactly the same thing, and by
no one else. The key holds the dataset's content fingerprint, its thresholds, the selection, the
mode and the role: a cached figure is never served to the other mode or to another role, and a
replaced dataset (another fingerprint) finds nothing of the old one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from harness import open_page

from components import access, cache, charts, context, maps, place
from insight.core.selection import Selection
from insight.intake.load import load_dataset
from insight.numbers import place as official
from insight.numbers import tables
from insight.numbers.safe_table import COUNT_COLUMNS
from insight.service.view import page_view
from insight.sharing.access import Principal

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample():
    return load_dataset(ROOT / "sample_data")


@pytest.fixture(autouse=True)
def _empty_caches():
    cache.clear_all()
    yield
    cache.clear_all()


def _as(monkeypatch: pytest.MonkeyPatch, role: str) -> None:
    """Draw as a person with this role (components.access.current, as app.py resolves it)."""
    person = Principal(user=f"someone ({role})", role=role)  # type: ignore[arg-type]
    monkeypatch.setattr(access, "current", lambda: person)


def test_a_figure_drawn_in_standard_mode_is_never_served_in_presenter_mode(sample, monkeypatch):
    _as(monkeypatch, "data_manager")
    standard = page_view(sample, Selection(mode="standard"))
    presenter = standard.at(Selection(mode="presenter"))
    table = standard.table(tables.barriers)  # a table with rounded counts in standard mode
    fig, frame = charts.drawn(table, standard)
    assert charts.drawn(table, standard)[0] is fig  # the second draw is a hit
    assert "Count (rounded)" in frame.columns  # standard mode's table view carries counts
    # The very same table asked for in presenter mode: not the standard mode's drawing, and its
    # table view has no count column.
    fig_p, frame_p = charts.drawn(table, presenter)
    assert fig_p is not fig
    assert not COUNT_COLUMNS.intersection(map(str, frame_p.columns))
    assert not {"Count (rounded)", "Planned referrals (rounded)"}.intersection(frame_p.columns)
    keys = charts._DRAWN.keys()
    assert {k[0][4] for k in keys} == {"standard", "presenter"}


def test_a_figure_is_never_served_to_another_role(sample, monkeypatch):
    view = page_view(sample, Selection(mode="presenter"))
    table = view.table(tables.la_shares)
    _as(monkeypatch, "data_manager")
    fig = charts.drawn(table, view)[0]
    _as(monkeypatch, "viewer")
    seen_by_viewer = charts.drawn(table, view)[0]
    assert seen_by_viewer is not fig
    assert {k[0][5] for k in charts._DRAWN.keys()} == {"data_manager", "viewer"}


def test_a_poisoned_entry_of_one_mode_or_role_does_not_reach_the_other(sample, monkeypatch):
    """Even an entry planted under one mode's and role's key is not found by another's."""
    _as(monkeypatch, "analyst")
    view = page_view(sample, Selection(mode="standard"))
    table = view.table(tables.la_shares)
    planted = (object(), pd.DataFrame({"Count (rounded)": [1]}))
    key = (cache.drawing_key(view), "chart", table.key, cache.digest(table))
    charts._DRAWN.put(key, planted)  # type: ignore[arg-type]
    assert charts.drawn(table, view) is planted  # the key the lookup uses
    presenter = view.at(Selection(mode="presenter"))
    assert charts.drawn(table, presenter) is not planted
    _as(monkeypatch, "viewer")
    assert charts.drawn(table, view) is not planted


def test_the_key_holds_the_dataset_version_thresholds_selection_mode_and_role(sample, monkeypatch):
    _as(monkeypatch, "viewer")
    view = page_view(sample, Selection(la="E08000025", period="latest_12", mode="presenter"))
    th = sample.meta.thresholds
    assert cache.drawing_key(view) == (
        sample.fingerprint,
        (th.min_base, th.min_cell, th.round_to),
        "E08000025",
        "latest_12",
        "presenter",
        "viewer",
    )


def test_replacing_the_dataset_misses_every_drawing_of_the_old_one(sample, monkeypatch):
    """The same content under another version (a dataset replaced and kept again): nothing drawn
    for the old version is served for the new one."""
    _as(monkeypatch, "data_manager")
    old = page_view(sample, Selection())
    table = old.table(tables.la_shares)
    fig = charts.drawn(table, old)[0]
    replaced = dataclasses.replace(sample, fingerprint=sample.fingerprint + "-replaced")
    new = page_view(replaced, Selection())
    assert new.fingerprint != old.fingerprint
    assert charts.drawn(new.table(tables.la_shares), new)[0] is not fig


def test_a_dataset_closed_or_replaced_is_forgotten_by_every_cache(sample, monkeypatch):
    _as(monkeypatch, "data_manager")
    view = page_view(sample, Selection())
    charts.drawn(view.table(tables.la_shares), view)
    other = page_view(dataclasses.replace(sample, fingerprint="another"), Selection())
    charts.drawn(other.table(tables.la_shares), other)
    maps._MAPS.put((cache.drawing_key(view), "x"), object())
    assert cache.forget_dataset(sample.fingerprint) == 2
    # (the digests memo is keyed by object, its values content digests: nothing of a dataset)
    left = [k for m in cache.memos() if m is not cache._DIGESTS for k in m.keys()]
    assert left and all(sample.fingerprint not in str(k[0]) for k in left)
    assert charts.drawn(other.table(tables.la_shares), other) is not None


def test_a_dataset_closed_for_room_takes_its_drawings_with_it(sample, monkeypatch):
    """INSIGHT_MAX_DATASETS reached: the least recently used dataset is closed, and everything
    drawn for it goes too (components.context's open datasets are a cache.Memo)."""
    _as(monkeypatch, "data_manager")
    monkeypatch.setenv("INSIGHT_MAX_DATASETS", "1")
    context._LOADED.clear()
    view = page_view(sample, Selection())
    charts.drawn(view.table(tables.la_shares), view)
    context._remember(sample.fingerprint, sample)
    context._remember("another", dataclasses.replace(sample, fingerprint="another"))
    assert context._LOADED.keys() == ["another"]
    assert not charts._DRAWN.keys()
    context._LOADED.clear()


def test_a_safe_table_is_cached_per_dataset_version_and_mode(sample):
    """The tables' cache (components.context): one per content, thresholds, selection and mode;
    a standard-mode table (rounded counts) is never handed to presenter mode."""
    standard = page_view(sample, Selection(), table=context._cached_table)
    first = standard.table(tables.barriers)
    assert standard.table(tables.barriers) is first
    assert "count" in first.frame.columns
    presenter = standard.at(Selection(mode="presenter")).table(tables.barriers)
    assert presenter is not first
    assert not COUNT_COLUMNS.intersection(map(str, presenter.frame.columns))
    replaced = dataclasses.replace(sample, fingerprint=sample.fingerprint + "-kept-again")
    again = page_view(replaced, Selection(), table=context._cached_table).table(tables.barriers)
    assert again is not first


def test_official_context_is_cached_per_mode_and_role(monkeypatch):
    codes = ("E08000025", "E08000026")
    _as(monkeypatch, "viewer")
    first = place.official(Selection(mode="presenter"), official.area_comparison, codes)
    assert place.official(Selection(mode="presenter"), official.area_comparison, codes) is first
    assert place.official(Selection(mode="standard"), official.area_comparison, codes) is not first
    _as(monkeypatch, "data_manager")
    assert place.official(Selection(mode="presenter"), official.area_comparison, codes) is not first


def test_a_memo_is_bounded_and_drops_the_least_recently_used():
    dropped = []
    memo: cache.Memo[int] = cache.Memo("test", 3, on_drop=lambda k, v: dropped.append(k))
    for n in range(3):
        memo.put(n, n)
    assert memo.get(0) == 0  # 0 is now the most recently used
    memo.put(3, 3)
    assert sorted(memo.keys()) == [0, 2, 3]
    assert dropped == [1]
    assert memo.make(9, lambda: 9) == 9 and len(memo) == 3


def test_equal_tables_share_a_digest_and_a_changed_cell_does_not(sample):
    table = tables.la_shares(sample, Selection())
    import pickle

    copy = pickle.loads(pickle.dumps(table))  # equal content, another object
    assert cache.digest(copy) == cache.digest(table)
    frame = table.frame.copy()
    frame.loc[frame.index[0], "label"] = "99%"
    assert cache.digest(dataclasses.replace(table, frame=frame)) != cache.digest(table)


def test_pages_draw_from_the_cache_keyed_by_their_mode():
    """Through app.py: the Overview in standard mode, then in presenter mode. Every chart and map
    the pages cached is keyed by the mode it was drawn in, and a second run of the same page is
    drawn from the cache (no new entry)."""
    at = open_page()
    assert not at.exception
    standard = set(charts._DRAWN.keys()) | {k for k in maps._MAPS.keys()}
    assert standard and all(k[0][4] == "standard" for k in standard)
    at.run()
    assert set(charts._DRAWN.keys()) | set(maps._MAPS.keys()) == standard
    presenter_at = open_page(mode="presenter")
    assert not presenter_at.exception
    added = (set(charts._DRAWN.keys()) | set(maps._MAPS.keys())) - standard
    assert added and all(k[0][4] == "presenter" for k in added)


def test_a_folium_map_is_rendered_once_per_mode_role_and_dataset(sample, monkeypatch):
    """Locations' folium map is kept as the text its component is given
    (components.maps_folium.Rendered), under the same key as every drawing: another rerun of the
    same selection sends the very same text; another mode, another role or a replaced dataset
    renders its own."""
    from components import maps_folium

    sent: list[dict] = []
    monkeypatch.setattr(maps_folium, "_component_func", lambda **kw: sent.append(kw))

    def draw(view) -> str:  # noqa: ANN001
        table = view.table(tables.la_shares)
        maps.la_map(
            table,
            view.selection,
            key="m",
            codes=view.la_codes,
            engine="folium",
            cache=cache.drawing_key(view),
        )
        return sent[-1]["script"]

    _as(monkeypatch, "analyst")
    view = page_view(sample, Selection(mode="standard"))
    first = draw(view)
    assert draw(view) is first  # the same text object: rendered once
    assert draw(view.at(Selection(mode="presenter"))) is not first
    _as(monkeypatch, "viewer")
    assert draw(view) is not first
    _as(monkeypatch, "analyst")
    replaced = page_view(dataclasses.replace(sample, fingerprint="replaced"), Selection())
    assert draw(replaced) is not first
    rendered = [k for k in maps._MAPS.keys() if "folium" in k]
    assert {(k[0][0], k[0][4], k[0][5]) for k in rendered} == {
        (sample.fingerprint, "standard", "analyst"),
        (sample.fingerprint, "presenter", "analyst"),
        (sample.fingerprint, "standard", "viewer"),
        ("replaced", "standard", "analyst"),
    }
    assert cache.forget_dataset("replaced") >= 1
    assert all(k[0][0] != "replaced" for k in maps._MAPS.keys())


def test_a_digest_is_remembered_for_its_object_only(sample, monkeypatch):
    """A cached table's digest is read once (the same object on every rerun); an entry left by
    an object that is gone is never given to another that got its id."""
    table = tables.la_shares(sample, Selection())
    made = []
    real = cache._canonical
    monkeypatch.setattr(cache, "_canonical", lambda v: made.append(v) or real(v))
    first = cache.digest(table)
    assert cache.digest(table) == first
    assert sum(v is table for v in made) == 1  # read once
    other = dataclasses.replace(table, frame=table.frame.assign(label="[c]"))
    cache._DIGESTS.put(id(other), (__import__("weakref").ref(table), first))  # a stale entry
    assert cache.digest(other) != first
