"""The dataset and the viewer's selection, as every page sees them: a PageView
(insight.service.view), never the dataset itself. This module is the one place in components/
that holds a Dataset: it opens it, and binds the view's cached calls to it.

The dataset is opened once per process and shared by every session (st.cache_resource keyed by
the dataset's content fingerprint). A session may replace it for itself from the Data page. A
dataset kept by name (insight.sharing.datasets) is chosen by `?dataset=<name>`, kept in the URL so a reload
or the presenter's projector window opened from the link shows the same dataset. Safe
tables are cached with st.cache_data, which every session shares: so the fingerprint, the
thresholds and the whole selection (mode included) are arguments of the cached call.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from components import access
from components.controls import NOTICE_KEY  # the notice shown under the banner
from insight.core.dataset import Dataset
from insight.core.problems import DatasetRefused, Report
from insight.core.selection import Selection
from insight.intake import limits
from insight.numbers.catalogue import Built, Entry
from insight.service.view import PageView, page_view

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"
DATASET_ENV = "INSIGHT_DATASET"
SESSION_FOLDER = "dataset_folder"  # session_state key: a folder chosen on the Data page
KEPT = "dataset_name"  # session_state key: the kept dataset this session shows
DATASET_PARAM = "dataset"  # ?dataset=<name> chooses a kept dataset
SELECTION = "selection"  # session_state key: the Selection app.py resolved for this run
VIEW = "_page_view"  # session_state key: the PageView app.py hands the page, while it runs


def _draw(bar: Any, done: float, what: str) -> None:
    """Move the loading bar (clamped: a progress bar refuses a value outside 0 to 1)."""
    bar.progress(min(max(done, 0.0), 1.0), text=what)


def default_folder() -> str:
    """INSIGHT_DATASET, or the bundled synthetic sample."""
    return os.environ.get(DATASET_ENV) or str(SAMPLE_DIR)


_FINGERPRINTS: dict[str, tuple[float, str]] = {}  # folder -> (when it was read, fingerprint)
RECHECK_S = 2.0  # a folder's files are listed again at most this often


def fingerprint(folder: str, *, fresh: bool = False) -> str:
    """The folder's content fingerprint, re-read from disk at most every RECHECK_S seconds (or
    now, with fresh=True). Every page asks for the dataset several times a rerun and every session
    reruns often: listing, resolving and statting the files each time was a tenth of the server's
    CPU under 20 sessions. A file replaced on disk is still noticed, within RECHECK_S."""
    from insight.intake.load import dataset_fingerprint

    now = time.monotonic()
    seen = _FINGERPRINTS.get(folder)
    if seen is not None and not fresh and now - seen[0] < RECHECK_S:
        return seen[1]
    key = dataset_fingerprint(folder)
    _FINGERPRINTS[folder] = (now, key)
    return key


_LOADED: OrderedDict[str, Dataset] = OrderedDict()  # content fingerprint -> dataset (an LRU)
_REFUSED: OrderedDict[tuple[str, str], Report] = OrderedDict()  # (folder, fingerprint) -> why
_KEEP_REFUSED = 32  # refusals remembered, so a refused folder is not re-read on every rerun
_STATE = threading.Lock()  # guards the dicts above and _FLIGHTS; held for microseconds, never
# across a load
_FLIGHTS: dict[str, threading.Lock] = {}  # fingerprint -> the lock of the one load of it running


def _remember(key: str, ds: Dataset) -> None:
    """Keep `ds` as the most recently used; close the least recently used beyond the limit."""
    _LOADED[key] = ds
    _LOADED.move_to_end(key)
    while len(_LOADED) > max(limits.current().datasets, 1):
        _LOADED.popitem(last=False)


def _cached_dataset(folder: str, key: str) -> Dataset | None:
    """The open dataset with this fingerprint (marked as just used), or None. Raises the refusal
    already found for this folder with this content (a report names its folder, and a missing
    folder and an empty one share the fingerprint of no files)."""
    with _STATE:
        if key in _LOADED:
            _LOADED.move_to_end(key)
            return _LOADED[key]
        refused = _REFUSED.get((folder, key))
    if refused is not None:
        raise DatasetRefused(refused)
    return None


def loading() -> int:
    """How many dataset loads are running in this process now."""
    with _STATE:
        return len(_FLIGHTS)


def open_dataset(folder: str, *, fresh: bool = False) -> Dataset:
    """Open a dataset folder once per process, shared by every session, keyed by its content.
    The first session to open it sees a progress bar fed by the loader; sessions asking for the
    same content meanwhile wait for that one load (single flight). Loads of different content run
    side by side, and a session whose dataset is already open never waits for anyone's load.
    At most INSIGHT_MAX_DATASETS datasets stay open (least recently used closed first).
    Raises DatasetRefused (with its report) when the dataset fails a guard, the contract or a
    size limit: a table file over INSIGHT_MAX_FILE_MB is refused from its size, before its
    bytes are read for the fingerprint.
    fresh=True reads the folder's fingerprint from disk now (someone has just chosen it).

    Not st.cache_resource: elements drawn inside a cached function are replayed on every hit,
    and the progress bar belongs to the one load, not to every rerun."""
    from insight.intake.load import load_dataset, refuse_oversized

    seen = None if fresh else _FINGERPRINTS.get(folder)
    if seen is not None and time.monotonic() - seen[0] < RECHECK_S:
        found = _cached_dataset(
            folder, seen[1]
        )  # the common case: a rerun of a page whose dataset is open
        if found is not None:
            return found
    refuse_oversized(folder)
    key = fingerprint(folder, fresh=fresh)
    found = _cached_dataset(folder, key)
    if found is not None:
        return found
    with _STATE:
        flight = _FLIGHTS.setdefault(key, threading.Lock())
    with flight:  # only loads of this same content wait here
        found = _cached_dataset(folder, key)  # another session may have finished it while we waited
        if found is not None:
            return found
        bar = st.progress(0.0, text="Opening the dataset: checking every file against the contract")
        try:
            ds = load_dataset(
                folder,
                progress=lambda done, what: _draw(bar, done, what),
            )
        except DatasetRefused as refused:
            with _STATE:
                _REFUSED[(folder, key)] = refused.report
                while len(_REFUSED) > _KEEP_REFUSED:
                    _REFUSED.popitem(last=False)
                _FLIGHTS.pop(key, None)
            raise
        except BaseException:
            with _STATE:
                _FLIGHTS.pop(key, None)
            raise
        finally:
            bar.empty()
        with _STATE:  # kept before the flight ends, so no one starts a second load of it
            _remember(key, ds)
            _FLIGHTS.pop(key, None)
        return ds


def adopt(folder: str, ds: Dataset) -> Dataset:
    """Remember a dataset just loaded and checked whole, now kept in `folder` (the same files,
    moved), so the next run does not read it again."""
    import dataclasses

    key = fingerprint(folder, fresh=True)
    ds = dataclasses.replace(ds, fingerprint=key, source=folder)
    with _STATE:
        _remember(key, ds)
    return ds


def active_folder() -> str:
    """The folder this session shows: a kept dataset (from the Data page or `?dataset=`), a
    folder opened on the Data page, or the default. Keeps `?dataset=` in the URL in step."""
    from insight.sharing import datasets

    name = kept_name()
    if name is not None:
        folder = datasets.open_kept(name, access.current().role)
        if folder is not None:
            if st.query_params.get(DATASET_PARAM) != name:
                st.query_params[DATASET_PARAM] = name
            return str(folder)
        st.session_state.pop(KEPT, None)  # removed since: back to the default
        st.query_params.pop(DATASET_PARAM, None)
    return st.session_state.get(SESSION_FOLDER) or default_folder()


def kept_name() -> str | None:
    """The kept dataset this session shows, taking `?dataset=` when the session has not chosen.
    A link naming no kept dataset falls back to the default with a notice, never silently."""
    from insight.sharing import datasets

    if KEPT in st.session_state:
        return st.session_state[KEPT]
    if SESSION_FOLDER in st.session_state:
        return None
    wanted = st.query_params.get(DATASET_PARAM)
    if not wanted:
        return None
    wanted = str(wanted)
    # Not kept, or kept for another audience (a viewer guessing a name): the same answer.
    if datasets.open_kept(wanted, access.current().role) is None:
        st.query_params.pop(DATASET_PARAM, None)
        # The link's text is never echoed back: say only that it cannot be opened.
        st.session_state[NOTICE_KEY] = (
            "The dataset this link asks for cannot be opened on this server. Showing the default "
            "dataset instead."
        )
        st.session_state[KEPT] = None
        return None
    st.session_state[KEPT] = wanted
    return wanted


def use_folder(folder: str) -> None:
    """Replace the dataset for this session only (the Data page calls this after a valid load)."""
    st.session_state[SESSION_FOLDER] = folder
    st.session_state[KEPT] = None
    st.query_params.pop(DATASET_PARAM, None)


def use_kept(name: str | None) -> None:
    """Show a kept dataset (None: the default) in this session, and put it in the URL."""
    st.session_state.pop(SESSION_FOLDER, None)
    st.session_state[KEPT] = name
    if name is None:
        st.query_params.pop(DATASET_PARAM, None)
    else:
        st.query_params[DATASET_PARAM] = name


def _dataset() -> Dataset:
    """The dataset this session is looking at. Raises DatasetRefused for a refused dataset.
    Private: pages and components get a PageView (view()), never the dataset."""
    return open_dataset(active_folder())


def selection() -> Selection:
    """The selection app.py resolved for this run (the default before the sidebar is drawn)."""
    sel = st.session_state.get(SELECTION)
    return sel if isinstance(sel, Selection) else Selection()


def set_selection(sel: Selection) -> None:
    st.session_state[SELECTION] = sel


@contextmanager
def handed_in(shown: PageView) -> Iterator[None]:
    """app.py runs the page inside this: the page's view() is the view app.py built for this run
    (the one the sidebar was drawn from). Kept in the session only while the page runs, so an
    idle session holds no dataset open."""
    st.session_state[VIEW] = shown
    try:
        yield
    finally:
        st.session_state.pop(VIEW, None)


def view() -> PageView:
    """What a page draws from: the session's dataset as a PageView (metadata, LA codes, keys and
    bound, cached calls that return safe tables) for the sidebar's selection. The one app.py
    handed in for this run; built here for a script run without app.py (a test's). Raises
    DatasetRefused for a refused dataset."""
    shown = st.session_state.get(VIEW)
    if isinstance(shown, PageView):
        return shown
    return page_view(
        _dataset(),
        selection(),
        table=_cached_table,
        build=cached_build,
    )


def current() -> tuple[PageView, Selection]:
    """The view and its selection, as a page unpacks them."""
    shown = view()
    return shown, shown.selection


@st.cache_data(show_spinner=False, max_entries=2048)
def _cached(
    name: str,
    content_key: str,
    thresholds: tuple[int, int, int],
    la: str,
    period: str,
    mode: str,
    args: tuple[Any, ...],
    _call: Callable[[], Any],
) -> Any:
    """Every argument that changes what may be shown is part of the key: the dataset's content,
    its thresholds, the LA, the period and the mode."""
    return _call()


def _cached_table(
    ds: Dataset, function: Callable[..., Any], sel: Selection, args: tuple[Any, ...]
) -> Any:
    """An insight.numbers.tables (or .place) function for this dataset and selection, cached and
    shared by every session (the view's `table`)."""
    th = ds.meta.thresholds
    return _cached(
        f"{function.__module__}.{function.__name__}",
        ds.fingerprint,
        (th.min_base, th.min_cell, th.round_to),
        sel.la,
        sel.period,
        sel.mode,
        args,
        lambda: function(ds, sel, *args),
    )


# --- slide tables, cached per process (the view's `slide`) -----------------------------------
_SLIDE_TABLES: OrderedDict[tuple, Built] = OrderedDict()
_SLIDE_TABLES_LOCK = threading.Lock()
_KEEP_SLIDE_TABLES = 256


def cached_build(ds: Dataset, found: Entry, sel: Selection) -> Built:
    """A slide's table, built once per dataset content, thresholds, chart and selection (the
    mode, always presenter, is part of the selection). Shared by every session."""
    th = ds.meta.thresholds  # (part of the fingerprint too: dataset.toml is one of its files)
    key = (ds.fingerprint, th.min_base, th.min_cell, th.round_to, found.key, sel)
    with _SLIDE_TABLES_LOCK:
        if key in _SLIDE_TABLES:
            _SLIDE_TABLES.move_to_end(key)
            return _SLIDE_TABLES[key]
    assert found.build is not None
    built = found.build(ds, sel)
    with _SLIDE_TABLES_LOCK:
        _SLIDE_TABLES[key] = built
        while len(_SLIDE_TABLES) > _KEEP_SLIDE_TABLES:
            _SLIDE_TABLES.popitem(last=False)
    return built


__all__ = [
    "DatasetRefused",
    "active_folder",
    "adopt",
    "cached_build",
    "current",
    "default_folder",
    "handed_in",
    "kept_name",
    "loading",
    "open_dataset",
    "selection",
    "set_selection",
    "use_folder",
    "use_kept",
    "view",
]
