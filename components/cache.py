"""The app's one cache utility: bounded, thread-safe memos of values made once and shared by every
session of the process, and the key every drawn thing is cached under.

A `Memo` keeps at most `size` values, the least recently used dropped first; a value in it is
never changed after it is made (callers draw from it, never into it). Nothing is copied on a hit:
unlike st.cache_data, which unpickles a copy for each caller, a figure or a map built once is
handed to every session as it is, so a hit costs a dictionary lookup.

What may be shared: a value is shared only between sessions that would have made exactly the same
value. So every key a page's drawing is cached under starts with `view_key(view)`: the dataset's
content fingerprint (`Dataset.fingerprint`, shown to pages as `PageView.fingerprint`, and the
first part of the safe tables' keys too, components.context: it changes whenever any file of the
dataset does, and with it every key, so replacing the dataset misses every cache), its disclosure
thresholds, the LA, the period, the mode and the viewer's role. Two modes or two roles never share
a drawing, even where it happens to be the same.

Every memo is registered, so a test (or a dataset removed from the process) can empty them all.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any, Generic, TypeVar

import pandas as pd

V = TypeVar("V")
_MEMOS: weakref.WeakSet[Memo[Any]] = weakref.WeakSet()


class Memo(Generic[V]):
    """A bounded least-recently-used map of `key -> value`, safe to share between threads.
    `size` is a number, or a callable read at each insert (a limit the environment may set)."""

    def __init__(
        self,
        name: str,
        size: int | Callable[[], int],
        on_drop: Callable[[Hashable, V], None] | None = None,
    ) -> None:
        self.name = name
        self._size = size
        self._on_drop = on_drop  # told of each entry dropped for room (outside the lock)
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()  # held for microseconds, never while a value is made
        self.hits = 0
        self.misses = 0
        _MEMOS.add(self)

    @property
    def size(self) -> int:
        return max(1, self._size() if callable(self._size) else self._size)

    def get(self, key: Hashable) -> V | None:
        """The value kept under `key` (now the most recently used), or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return found

    def put(self, key: Hashable, value: V) -> V:
        """Keep `value` under `key`, dropping the least recently used beyond the size."""
        dropped = []
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                dropped.append(self._items.popitem(last=False))
        if self._on_drop is not None:
            for old_key, old in dropped:
                self._on_drop(old_key, old)
        return value

    def make(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value under `key`, built by `build()` (outside the lock) when not kept yet. Two
        sessions missing at once may both build it: the same value, kept once."""
        found = self.get(key)
        if found is not None:
            return found
        return self.put(key, build())

    def pop(self, key: Hashable) -> V | None:
        with self._lock:
            return self._items.pop(key, None)

    def drop(self, where: Callable[[Hashable], bool]) -> int:
        """Forget every entry whose key matches `where`; how many were forgotten."""
        with self._lock:
            gone = [k for k in self._items if where(k)]
            for k in gone:
                del self._items[k]
        return len(gone)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._items)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def memos() -> Iterator[Memo[Any]]:
    """Every memo of the process."""
    return iter(list(_MEMOS))


def clear_all() -> None:
    """Empty every memo (tests; a change of what may be shown that no key covers)."""
    for memo in memos():
        memo.clear()


def forget_dataset(fingerprint: str) -> int:
    """Forget everything cached for a dataset's content (it was closed or replaced): every key
    made by `view_key` starts with the fingerprint. How many entries went."""
    return sum(
        memo.drop(lambda k: isinstance(k, tuple) and bool(k) and _first(k) == fingerprint)
        for memo in memos()
    )


def _first(key: tuple) -> Any:
    head = key[0]
    return head[0] if isinstance(head, tuple) and head else head


def view_key(fingerprint: str, thresholds: tuple[int, ...], la: str, period: str, mode: str,
             role: str) -> tuple[str, tuple[int, ...], str, str, str, str]:  # fmt: skip
    """What every cached drawing of a page is keyed on, first: the dataset's content, its
    thresholds, the selection, the mode and the role (see the module's docstring)."""
    return (fingerprint, thresholds, la, period, mode, role)


def drawing_key(
    view: Any, role: str | None = None
) -> tuple[str, tuple[int, ...], str, str, str, str]:
    """`view_key` for a PageView and the person this script run is for (or `role`, for the
    warming at server start, outside any script run)."""
    if role is None:
        from components import access  # streamlit: read in the script run

        role = access.current().role
    th = view.meta.thresholds
    sel = view.selection
    return view_key(
        view.fingerprint,
        (th.min_base, th.min_cell, th.round_to),
        sel.la,
        sel.period,
        sel.mode,
        role,
    )


def digest(value: Any) -> str:
    """A short digest of a value's whole content (a SafeTable: its key, texts and every cell of its
    frame; not the fields left out of its repr), the same for equal values however they were made or copied, so two tables that differ
    anywhere never share a drawing. Well under a millisecond for a page's table, against tens of
    milliseconds to draw it.

    A cached table is the same object on every rerun, so its digest is remembered for the object
    (checked by a weak reference, which tells it from a later object given the same id): a hit
    costs a lookup, not the table's text again. Values are never changed once made (see Memo)."""
    try:
        ref = weakref.ref(value)
    except TypeError:  # a str, a tuple: no weak reference, and cheap to read again
        return _digest(value)
    found = _DIGESTS.get(id(value))
    if found is not None and found[0]() is value:
        return found[1]
    made = _digest(value)
    _DIGESTS.put(id(value), (ref, made))
    return made


def _digest(value: Any) -> str:
    return hashlib.blake2b(_canonical(value).encode(), digest_size=16).hexdigest()


# id(object) -> (a weak reference to it, its digest): the reference tells a live object from a
# later one given the same id.
_DIGESTS: Memo[tuple[weakref.ref, str]] = Memo("digests", 4096)


def _canonical(value: Any) -> str:
    """Text that is equal for equal values (pickle is not: it records shared references)."""
    if isinstance(value, pd.DataFrame):
        return repr(
            (
                [str(c) for c in value.columns],
                [str(t) for t in value.dtypes],
                value.index.tolist(),
                value.to_numpy(dtype=object).tolist(),
            )
        )
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A field left out of the value's repr (a SafeTable's verdict: sets of cell keys, for
        # sentences made later) is not drawn, and sets have no canonical order.
        return repr(
            [
                (f.name, _canonical(getattr(value, f.name)))
                for f in dataclasses.fields(value)
                if f.repr
            ]
        )
    return repr(value)


__all__ = [
    "Memo",
    "clear_all",
    "digest",
    "drawing_key",
    "forget_dataset",
    "memos",
    "view_key",
]
