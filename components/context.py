"""The dataset and the viewer's selection, as every page sees them: a PageView
(insight.service.view), never the dataset itself. This module is the one place in components/
that holds a Dataset: it opens it, and binds the view's cached calls to it.

The dataset is opened once per process and shared by every session (st.cache_resource keyed by
the dataset's content fingerprint). A session may replace it for itself from the Data page. A
dataset kept by name (insight.sharing.datasets) is chosen by `?dataset=<name>`, kept in the URL so a reload
or the presenter's projector window opened from the link shows the same dataset. Safe
tables, and everything drawn from them, are cached in components.cache's memos, which every
session shares: so the fingerprint, the thresholds and the whole selection (mode included) are
part of every key.

The dataset's version, which every cache is keyed by, is its content fingerprint
(`fingerprint(folder)`, carried as Dataset.fingerprint and PageView.fingerprint). For a kept
dataset it is the one recorded in the store with the dataset's version
(insight.sharing.datasets.version, one SELECT a page load), so a dataset replaced through another
app process is seen on this one's next page load; for any other folder it is read from the files,
again at most every RECHECK_S seconds.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from components import access, cache
from components.cache import Memo
from components.controls import NOTICE_KEY, query_param  # the notice under the banner; the link
from insight.core.dataset import Dataset
from insight.core.problems import DatasetRefused, Report
from insight.core.selection import Selection
from insight.intake import limits
from insight.numbers.catalogue import Built, Entry
from insight.service.view import PageView, page_view
from insight.sharing.turns import TURNS

_LOG = logging.getLogger(__name__)
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


def recorded_fingerprint(folder: str) -> str | None:
    """A kept dataset's content fingerprint as its current version recorded it in the store (one
    SELECT): the same in every process. None for a folder that is not a kept dataset, or one kept
    before versions were recorded."""
    from insight.sharing import datasets

    path = Path(folder)
    if path.parent != datasets.datasets_dir():
        return None
    found = datasets.version(path.name)
    return found.fingerprint if found is not None and found.fingerprint else None


def fingerprint(folder: str, *, fresh: bool = False) -> str:
    """The dataset's version, which every cache of it is keyed by: its content fingerprint. A kept
    dataset's is read from the store on every call (recorded_fingerprint), so another process's
    replace is seen at once. Any other folder's is re-read from disk at most every RECHECK_S
    seconds (or now, with fresh=True): every page asks for the dataset several times a rerun and
    every session reruns often, and listing, resolving and statting the files each time was a
    tenth of the server's CPU under 20 sessions."""
    from insight.intake.load import dataset_fingerprint

    recorded = recorded_fingerprint(folder)
    if recorded is not None:
        return recorded
    now = time.monotonic()
    seen = _FINGERPRINTS.get(folder)
    if seen is not None and not fresh and now - seen[0] < RECHECK_S:
        return seen[1]
    key = dataset_fingerprint(folder)
    _FINGERPRINTS[folder] = (now, key)
    return key


def _closed(key: Hashable, _ds: Dataset) -> None:
    """A dataset closed for room: forget every drawing cached for its content."""
    cache.forget_dataset(str(key))


# content fingerprint -> dataset, at most INSIGHT_MAX_DATASETS (least recently used closed first)
_LOADED: Memo[Dataset] = Memo(
    "open datasets", lambda: max(limits.current().datasets, 1), on_drop=_closed
)
# (folder, fingerprint) -> why it was refused, so a refused folder is not re-read on every rerun
_REFUSED: Memo[Report] = Memo("refused datasets", 32)
_STATE = threading.Lock()  # guards _FLIGHTS; held for microseconds, never across a load
_FLIGHTS: dict[str, threading.Lock] = {}  # fingerprint -> the lock of the one load of it running


def _remember(key: str, ds: Dataset) -> None:
    """Keep `ds` as the most recently used; close the least recently used beyond the limit."""
    _LOADED.put(key, ds)


def _cached_dataset(folder: str, key: str) -> Dataset | None:
    """The open dataset with this fingerprint (marked as just used), or None. Raises the refusal
    already found for this folder with this content (a report names its folder, and a missing
    folder and an empty one share the fingerprint of no files)."""
    found = _LOADED.get(key)
    if found is not None:
        return found
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
    recorded = recorded_fingerprint(folder)  # a kept dataset: its version, from the store
    known = recorded
    if known is None and not fresh:
        seen = _FINGERPRINTS.get(folder)
        if seen is not None and time.monotonic() - seen[0] < RECHECK_S:
            known = seen[1]
    if known is not None:  # the common case: a rerun of a page whose dataset is open
        found = _cached_dataset(folder, known)
        if found is not None:
            return found
    with TURNS.aside():  # reading files and waiting for another's load is not this run's CPU
        return _load(folder, recorded, fresh=fresh)


def _load(folder: str, recorded: str | None, *, fresh: bool) -> Dataset:
    """open_dataset's slow path: the folder's fingerprint from disk, then one load per content."""
    from insight.intake.load import load_dataset, refuse_oversized

    refuse_oversized(folder)
    key = recorded or fingerprint(folder, fresh=fresh)
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
            _REFUSED.put((folder, key), refused.report)
            with _STATE:
                _FLIGHTS.pop(key, None)
            raise
        except BaseException:
            with _STATE:
                _FLIGHTS.pop(key, None)
            raise
        finally:
            bar.empty()
        _remember(key, ds)  # kept before the flight ends, so no one starts a second load of it
        with _STATE:
            _FLIGHTS.pop(key, None)
        return ds


def adopt(folder: str, ds: Dataset) -> Dataset:
    """Remember a dataset just loaded and checked whole, now kept in `folder` (the same files,
    moved), so the next run does not read it again."""
    import dataclasses

    key = fingerprint(folder, fresh=True)
    ds = dataclasses.replace(ds, fingerprint=key, source=folder)
    _remember(key, ds)
    return ds


def active_folder() -> str:
    """The folder this session shows: a kept dataset (from the Data page or `?dataset=`), a
    folder opened on the Data page, or the default: the kept dataset a data manager made the
    default for everyone (if this role may open it), else INSIGHT_DATASET or the sample. Keeps
    `?dataset=` in the URL in step."""
    from insight.sharing import datasets

    name = kept_name()
    if name is not None:
        folder = datasets.open_kept(name, access.current().role)
        if folder is not None:
            if query_param(DATASET_PARAM) != name:
                st.query_params[DATASET_PARAM] = name
            return str(folder)
        st.session_state.pop(KEPT, None)  # removed since: back to the default
        st.query_params.pop(DATASET_PARAM, None)
    chosen = st.session_state.get(SESSION_FOLDER)
    if chosen:
        return str(chosen)
    made_default = datasets.default_for(access.current().role)  # a data manager's choice
    return str(made_default) if made_default is not None else default_folder()


def kept_name() -> str | None:
    """The kept dataset this session shows, taking `?dataset=` when the session has not chosen.
    A link naming no kept dataset falls back to the default with a notice, never silently."""
    from insight.sharing import datasets

    if KEPT in st.session_state:
        return st.session_state[KEPT]
    if SESSION_FOLDER in st.session_state:
        return None
    wanted = query_param(DATASET_PARAM)
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


# Safe tables, shared by every session (components.cache.Memo: no copy on a hit, where
# st.cache_data unpickled one for every caller, a tenth of a warm rerun's time). Every argument
# that changes what may be shown is part of the key: the dataset's content, its thresholds, the LA,
# the period and the mode. A table is drawn from, never changed.
_TABLES: Memo[Any] = Memo("safe tables", 2048)


def _cached_table(
    ds: Dataset, function: Callable[..., Any], sel: Selection, args: tuple[Any, ...]
) -> Any:
    """An insight.numbers.tables (or .place) function for this dataset and selection, cached and
    shared by every session (the view's `table`)."""
    th = ds.meta.thresholds
    key = (
        ds.fingerprint,
        (th.min_base, th.min_cell, th.round_to),
        sel.la,
        sel.period,
        sel.mode,
        f"{function.__module__}.{function.__qualname__}",
        args,
    )
    return _TABLES.make(key, lambda: function(ds, sel, *args))


# --- slide tables, cached per process (the view's `slide`) -----------------------------------
_SLIDE_TABLES: Memo[Built] = Memo("slide tables", 256)


def cached_build(ds: Dataset, found: Entry, sel: Selection) -> Built:
    """A slide's table, built once per dataset content, thresholds, chart and selection (the
    mode, always presenter, is part of the selection). Shared by every session."""
    th = ds.meta.thresholds  # (part of the fingerprint too: dataset.toml is one of its files)
    key = (ds.fingerprint, th.min_base, th.min_cell, th.round_to, found.key, sel)
    assert found.build is not None
    return _SLIDE_TABLES.make(key, lambda: found.build(ds, sel))  # type: ignore[misc]


# --- warming at server start --------------------------------------------------------------------
WARM_WAIT_S = 60.0  # longest wait for Streamlit's runtime (its caches) before warming anyway


def warm_at_start() -> None:
    """At server start (app.py starts a background thread for this, before any session): open the
    default dataset and make the first page's tables and headline chart in both modes, so the
    first visitor after a start does not pay for the imports, the load and the counting. Waits
    for Streamlit's runtime first (the server's start is not competed with). A dataset that is
    refused is left for the first visitor's page to report."""
    from streamlit import runtime

    deadline = time.monotonic() + WARM_WAIT_S
    while not runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the runtime is made just after app.py is imported
    try:
        warm(default_folder())
    except Exception:  # noqa: BLE001 - the first visitor's page says what went wrong
        _LOG.warning("warming the caches at start did not finish", exc_info=True)


def warm(folder: str) -> None:
    """Open `folder` (without a progress bar: no one is watching) and make the Overview's tables
    for the default selection in both modes, and its chart for the role a first visitor has (the
    local user where the server opted in, else a viewer). Everything through the same caches and
    keys a page uses."""
    from components import charts, maps, place  # noqa: F401 - the first page's imports, made now
    from insight.core.selection import MODES
    from insight.intake.load import load_dataset, refuse_oversized
    from insight.numbers import tables

    refuse_oversized(folder)
    key = fingerprint(folder, fresh=True)
    with _STATE:
        flight = _FLIGHTS.setdefault(key, threading.Lock())
    with flight:  # a visitor arriving meanwhile waits for this load, as for any other
        try:
            ds = _cached_dataset(folder, key)
            if ds is None:
                ds = load_dataset(folder)
                _remember(key, ds)
        finally:
            with _STATE:
                _FLIGHTS.pop(key, None)
    role = access.LOCAL.role if access.local_user() else "viewer"
    for mode in MODES:
        shown = page_view(ds, Selection(mode=mode), table=_cached_table, build=cached_build)
        for function in (tables.headlines, tables.talking_points, tables.context_beside):
            shown.table(function)
        charts.drawn(shown.table(tables.la_shares), shown, role=role)


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
    "warm",
    "warm_at_start",
]
