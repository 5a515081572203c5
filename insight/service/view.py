"""What a page may show: a narrow, typed view of a dataset, never the dataset itself.

Pages and components are given a `PageView`: the dataset's metadata, the selection, the LA codes,
the barrier and service keys, the optional tables it holds and its content fingerprint, and a few
bound calls that return safe tables (`table`), slides (`ready_made`, `slide`) or exports already
recorded in the sharing log (`record`, `export_pack`, `export_handout`). None of its fields is a frame or a Dataset:
the participants frame sits only inside the bound calls' closures, so a page cannot leak what it
was never given. `table` takes only the builders of the registry's insights (insight.numbers
.registry, exported by insight.numbers.tables: each returns safe tables, official statistics
beside safe shares or words built from them), so neither a lambda of a page's own nor a raw count
(count_characteristic, cube...) can reach the frame through it.

The review gate (issue 30) sits here, at the one place a dataset becomes a view: every bound
call is made on `insight.sharing.review.shareable(ds, ...)`, so until a data manager has reviewed
the dataset's free text on the Data page, no page, slide or export can show it ("Not yet
reviewed for sharing" stands in its place), and a provider key not signed off is left out. Only
`review_sheet` (the Data page's, standard mode only) reads the text itself.

This module is pure (no streamlit): the app binds cached calls in (components.context), a test or
a benchmark may use the plain ones.

It sits in insight.service, the application services' layer above insight.outputs and
insight.sharing, because its bound calls reach the slides (insight.outputs.meetings), the pack
and the sharing log (insight.service.release, insight.sharing): the numbers layer below may
import none of them, and outputs holds what is drawn, not what a page is given.
"""

from __future__ import annotations

import dataclasses
import inspect
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from insight.core.contract import OPTIONAL_TABLES
from insight.core.dataset import Dataset, Meta
from insight.core.geo import la_name
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import registry
from insight.numbers.catalogue import Built, Entry
from insight.outputs import meetings
from insight.outputs.deck import Handout
from insight.outputs.pack import Pack
from insight.service import release
from insight.sharing import review, store
from insight.sharing.access import Principal

TableFunction = Callable[..., Any]
# (dataset, function, selection, args) -> the function's result; the app passes a cached one
TableCall = Callable[[Dataset, TableFunction, Selection, tuple[Any, ...]], Any]


def plain_table(ds: Dataset, function: TableFunction, sel: Selection, args: tuple[Any, ...]) -> Any:
    """The uncached table call."""
    return function(ds, sel, *args)


def allowed(function: TableFunction) -> bool:
    """Is `function` the builder of an insight of the registry (insight.numbers.registry: the
    very function, not one of the same name)? Each takes (dataset, selection, ...) and returns
    only safe tables, official figures beside safe shares, or words built from safe tables."""
    return inspect.isfunction(function) and registry.is_builder(function)


@dataclass(frozen=True)
class PageView:
    """What pages and components are given. Fields starting with an underscore are the bound
    calls (closures over the dataset): use the methods."""

    meta: Meta
    selection: Selection
    la_codes: tuple[str, ...]
    barrier_keys: tuple[str, ...]
    service_keys: tuple[str, ...]
    tables: tuple[str, ...]  # the optional tables this dataset holds (OPTIONAL_TABLES' names)
    fingerprint: str  # the dataset's content key: part of every cache key
    held_back: tuple[str, ...]  # plain notes for standard mode: unreviewed text, keys unsigned
    _table: Callable[[TableFunction, Selection, tuple[Any, ...]], Any] = field(
        repr=False, compare=False
    )
    _ready_made: Callable[[str, str], list[meetings.Item]] = field(repr=False, compare=False)
    _slide: Callable[[meetings.Item, int, int], meetings.Slide] = field(repr=False, compare=False)
    _record: Callable[[Selection, release.Export], store.LogEntry] = field(
        repr=False, compare=False
    )
    _pack: Callable[..., tuple[Pack, store.LogEntry]] = field(repr=False, compare=False)
    _review: Callable[[], ReviewSheet] = field(repr=False, compare=False)
    _handout: Callable[..., tuple[Handout, store.LogEntry]] = field(repr=False, compare=False)

    def at(self, sel: Selection) -> PageView:
        """The same view for another selection."""
        return dataclasses.replace(self, selection=sel)

    def table(self, function: TableFunction, *args: Any) -> Any:
        """`function(dataset, selection, *args)` for this view's selection: the builder of an
        insight of the registry (insight.numbers.tables' public API), nothing else."""
        if not allowed(function):
            raise TypeError(
                f"{getattr(function, '__qualname__', function)!r} is not a function of "
                "insight.numbers.tables' public API (an insight of the registry)"
            )
        return self._table(function, self.selection, args)

    def review_sheet(self) -> ReviewSheet:
        """What a data manager reviews on the Data page: the dataset's free text and its declared
        keys, with the records so far. Standard mode only: presenter mode never reads the text."""
        if self.selection.mode != "standard":
            raise PermissionError("the review sheet is for the Data page, in standard mode")
        return self._review()

    def has(self, name: str) -> bool:
        """Does the dataset hold this optional table?"""
        return name in self.tables

    def area_label(self, la: str | None = None) -> str:
        """An LA's name, or the whole area's ("West Midlands (whole area)"); the selection's
        area when `la` is None."""
        la = self.selection.la if la is None else la
        return f"{self.meta.area_name} (whole area)" if la == WHOLE_AREA else la_name(la)

    def ready_made(self, la: str, period: str) -> list[meetings.Item]:
        """The ready-made meeting's running order for one LA (or the whole area)."""
        return self._ready_made(la, period)

    def slide(self, item: meetings.Item, number: int, total: int) -> meetings.Slide:
        """One slide of a running order (its table built from safe tables, in presenter mode)."""
        return self._slide(item, number, total)

    def record(self, sel: Selection, export: release.Export) -> store.LogEntry:
        """Log one export made from this dataset (insight.service.release.record)."""
        return self._record(sel, export)

    def export_pack(
        self,
        sel: Selection,
        chart_keys: Sequence[str],
        *,
        insights: Sequence[store.StakeholderInsight] = (),
        note: str = "",
        by: Principal | None = None,
    ) -> tuple[Pack, store.LogEntry]:
        """Build the briefing pack for `sel` and record it (insight.service.release.export_pack)."""
        return self._pack(sel, chart_keys, insights=insights, note=note, by=by)

    def export_handout(
        self, fmt: str, options: release.HandoutOptions | None = None, **fields: Any
    ) -> tuple[Handout, store.LogEntry]:
        """A meeting's deck ("pptx") or slide PDF ("slides"), or an LA's summary ("summary"),
        count-free unless a deck is asked for in standard mode, and recorded
        (insight.service.release.export_handout). `options` (a HandoutOptions), or its fields
        as keywords (items=..., mode=..., by=...): passed on whole, so none is dropped."""
        if options is None:
            options = release.HandoutOptions(**fields)
        elif fields:
            options = dataclasses.replace(options, **fields)
        return self._handout(fmt, options)


@dataclass(frozen=True)
class ReviewSheet:
    """The Data page's review: the text as the provider wrote it, the declared keys, the status,
    and bound calls that record a review or a sign-off of exactly this dataset."""

    items: tuple[review.TextItem, ...]
    declared: tuple[review.Declared, ...]
    status: review.Status
    record_review: Callable[..., store.TextReview] = field(repr=False, compare=False)
    sign_off: Callable[..., store.SignOff] = field(repr=False, compare=False)


_LA_CODES: weakref.WeakKeyDictionary[Dataset, tuple[str, ...]] = weakref.WeakKeyDictionary()
_LA_CODES_LOCK = threading.Lock()


def la_codes(ds: Dataset) -> tuple[str, ...]:
    """`ds.la_codes`, counted once per dataset (a view is made on every run of every page)."""
    with _LA_CODES_LOCK:
        found = _LA_CODES.get(ds)
    if found is None:
        found = ds.la_codes
        with _LA_CODES_LOCK:
            _LA_CODES[ds] = found
    return found


def page_view(
    ds: Dataset,
    sel: Selection | None = None,
    *,
    table: TableCall = plain_table,
    build: Callable[[Dataset, Entry, Selection], Built] | None = None,
) -> PageView:
    """The view of `ds` for `sel`. `table` makes a safe table (the app passes a cached one) and
    `build` a slide's table (likewise); both get the dataset, which the view itself never shows.
    Every call gets the shareable dataset (insight.sharing.review): the full text only once a
    data manager has reviewed it, a provider key only once signed off."""
    full = ds
    status = review.status(full)
    ds = review.shareable(full, status)

    def bound_review() -> ReviewSheet:
        return ReviewSheet(
            items=tuple(review.free_text(full)),
            declared=review.declared(full),
            status=status,
            record_review=lambda by=None: review.record_review(full, by=by),
            sign_off=lambda item, by=None: review.sign_off(item, by=by),
        )

    def bound_table(function: TableFunction, s: Selection, args: tuple[Any, ...]) -> Any:
        return table(ds, function, s, args)

    def bound_ready_made(la: str, period: str) -> list[meetings.Item]:
        return meetings.ready_made(ds, la, period, build)

    def bound_slide(item: meetings.Item, number: int, total: int) -> meetings.Slide:
        if build is None:
            return meetings.build_slide(ds, item, number, total)
        return meetings.build_slide(ds, item, number, total, build)

    def bound_record(s: Selection, export: release.Export) -> store.LogEntry:
        return release.record(ds, s, export)

    def bound_pack(s: Selection, chart_keys: Sequence[str], **kwargs: Any):
        return release.export_pack(ds, s, chart_keys, **kwargs)

    def bound_handout(fmt: str, options: release.HandoutOptions):
        return release.export_handout(ds, fmt, options)

    return PageView(
        meta=ds.meta,
        selection=sel or Selection(),
        la_codes=la_codes(ds),
        barrier_keys=tuple(ds.barrier_keys),
        service_keys=tuple(ds.service_keys),
        tables=tuple(name for name in OPTIONAL_TABLES if getattr(ds, name) is not None),
        fingerprint=ds.fingerprint,
        held_back=status.notes(),
        _table=bound_table,
        _ready_made=bound_ready_made,
        _slide=bound_slide,
        _record=bound_record,
        _pack=bound_pack,
        _review=bound_review,
        _handout=bound_handout,
    )


__all__ = ["PageView", "ReviewSheet", "allowed", "la_codes", "page_view", "plain_table"]
