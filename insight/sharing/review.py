"""What of a dataset may reach the room: its free text only once a data manager has reviewed it,
and the provider's own barrier and service keys only once a data manager has signed them off
(Annex 7.6 paras 5 and 7; issue 30). The screens and the vocabulary catch what they can; no
screen is perfect, so a person looks before anything a provider wrote is shown to partners.

`status(ds)` reads the records (insight.sharing.store: flag_signoffs, text_reviews) and
`shareable(ds, status)` is the dataset every page, slide and export is built from
(insight.service.view binds it in, so no page can reach around it): before review every free-text
value (insights, plans, provision, employer, sector, organisation and service names:
contract.FREE_TEXT_COLUMNS) reads "Not yet reviewed for sharing" (names are numbered, so shares
by sector or employer stay true), and a key not signed off is left out, its column dropped.

The review is recorded against the text itself (`text_key`, a SHA-256 of every distinct
free-text value by table and column), with the dataset's fingerprint, who and when: next month's
extract with the same text needs no new review; any changed word does. A sign-off is of a key with
its label: the same key and label in a later dataset stays signed; a new label needs signing.

The synthetic sample: its text comes from the project's own catalogue (insight.sample.text),
reviewed in the repository, so a dataset whose every free-text value is catalogue text counts as
reviewed by "Restart Insight (the synthetic sample's catalogue)"; and its three keys with their
labels (insight.sample.synthetic.DECLARED_*) are signed off by the project for datasets marked
`synthetic = true`. A provider's own data always needs its own data manager's review.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
import weakref
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from insight.core.contract import (
    BARRIER_PREFIX,
    FREE_TEXT_COLUMNS,
    NAME_TEXT_COLUMNS,
    SERVICE_PREFIX,
)
from insight.core.dataset import Dataset
from insight.sharing import store
from insight.sharing.access import Principal

PLACEHOLDER = "Not yet reviewed for sharing"
SIGN_OFF_STATEMENT = "These are support the provider gives, not DWP performance measures."
CATALOGUE_REVIEWER = "Restart Insight (the synthetic sample's catalogue)"
CATALOGUE_REVIEWED = "2026-12-06"  # when the project last reviewed the catalogue's text
RECHECK_S = 2.0  # records written by another process are seen within this


@dataclass(frozen=True)
class Declared:
    """A provider key declared in dataset.toml, and whether its column is in the data."""

    kind: store.FlagKind
    key: str
    label: str


@dataclass(frozen=True)
class Status:
    """What of one dataset has been reviewed and signed off."""

    text_key: str
    text_rows: int  # distinct free-text values
    review: store.TextReview | None
    signed: tuple[store.SignOff, ...]  # sign-offs of this dataset's declared keys
    pending: tuple[Declared, ...]  # declared keys not yet signed off

    @property
    def reviewed(self) -> bool:
        return self.review is not None or self.text_rows == 0

    def notes(self) -> tuple[str, ...]:
        """Plain sentences for a data manager in standard mode: what is held back, and why."""
        out = []
        if not self.reviewed:
            out.append(
                "This dataset's text (insights, plans, provision, employer and sector names) is "
                f'not yet reviewed for sharing: every page, slide and export shows "{PLACEHOLDER}" '
                "in its place until a data manager reviews it on the Data page."
            )
        if self.pending:
            names = ", ".join(f"{d.label} ({d.kind})" for d in self.pending)
            out.append(
                f"Awaiting a data manager's sign-off on the Data page: {names}. Until then these "
                "keys are left out of every page, slide and export."
            )
        return tuple(out)


@dataclass(frozen=True)
class TextItem:
    table: str
    column: str
    value: str


# --- the dataset's free text and declared keys ----------------------------------------------
def free_text(ds: Dataset) -> list[TextItem]:
    """Every distinct free-text value, by table and column, in contract order."""
    items = []
    for table, columns in FREE_TEXT_COLUMNS.items():
        frame = getattr(ds, table)
        if frame is None:
            continue
        for column in columns:
            if column in frame:
                distinct = {str(v) for v in frame[column].dropna().unique()}
                for value in sorted(v for v in distinct if v.strip()):
                    items.append(TextItem(table, column, value))
    return items


_TEXT_FACTS: weakref.WeakKeyDictionary[Dataset, tuple[str, int, bool]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _text_facts(ds: Dataset) -> tuple[str, int, bool]:
    """(SHA-256 of the dataset's free text, how many distinct values, whether every one is the
    sample catalogue's), worked out once per dataset."""
    with _LOCK:
        found = _TEXT_FACTS.get(ds)
    if found is None:
        items = free_text(ds)
        digest = hashlib.sha256()
        for item in items:
            digest.update(f"{item.table}\0{item.column}\0{item.value}\0".encode())
        catalogue = catalogue_text()
        found = (digest.hexdigest(), len(items), all(i.value in catalogue for i in items))
        with _LOCK:
            _TEXT_FACTS[ds] = found
    return found


def text_key(ds: Dataset) -> tuple[str, int]:
    """(SHA-256 of the dataset's free text, how many distinct values), once per dataset."""
    key, rows, _ = _text_facts(ds)
    return key, rows


def declared(ds: Dataset) -> tuple[Declared, ...]:
    """The provider keys dataset.toml declares for columns the dataset holds."""
    out = [
        Declared("barrier", key, label)
        for key, label in ds.meta.declared_barriers
        if key in ds.barrier_keys
    ]
    out += [
        Declared("service", key, label)
        for key, label in ds.meta.declared_services
        if key in ds.service_keys
    ]
    return tuple(out)


# --- the synthetic sample's catalogue, reviewed in the repository ------------------------------
@cache
def catalogue_text() -> frozenset[str]:
    """Every free-text value the sample generator can write, for any preset."""
    from insight.sample import text

    values: set[str] = set(text.SECTORS) | {text.SMALL_EMPLOYERS}
    for employers in text.EMPLOYERS.values():
        values |= set(employers)
    for spec in text.PRESETS.values():
        names = text.role_names(spec)
        for organisation, service, *_ in text.PROVISION:
            values |= {organisation.format(**names), service}
    for title, description, *_ in text.PLANS:
        values |= {title, description}
    for _, title, body, _, _, approach, _ in text.INSIGHTS:
        values |= {title, body, approach}
    return frozenset(value for value in values if value)


def _catalogue_review(ds: Dataset, key: str, rows: int) -> store.TextReview | None:
    if rows and _text_facts(ds)[2]:
        return store.TextReview(
            key, ds.fingerprint, ds.source, rows, CATALOGUE_REVIEWER, CATALOGUE_REVIEWED
        )
    return None


def _sample_signoffs() -> dict[tuple[str, str, str], store.SignOff]:
    from insight.sample.synthetic import DECLARED_BARRIERS, DECLARED_SERVICES

    out = {}
    for kind, declared_keys in (("barrier", DECLARED_BARRIERS), ("service", DECLARED_SERVICES)):
        for key, label in declared_keys.items():
            out[(kind, key, label)] = store.SignOff(
                kind,  # type: ignore[arg-type]
                key,
                label,
                CATALOGUE_REVIEWER,
                CATALOGUE_REVIEWED,
            )
    return out


# --- status, cached -----------------------------------------------------------------------------
_STATUS: dict[tuple[str, str, str], tuple[float, int, Status]] = {}


def status(ds: Dataset) -> Status:
    """The dataset's review and sign-offs, from the store (re-read at most every RECHECK_S
    seconds, at once after this process records one)."""
    key, rows = text_key(ds)
    cache_key = (str(store.db_path()), ds.fingerprint, key)
    now = time.monotonic()
    with _LOCK:
        seen = _STATUS.get(cache_key)
    if seen is not None and seen[1] == store.writes() and now - seen[0] < RECHECK_S:
        return seen[2]
    writes = store.writes()
    review = store.text_review(key) if rows else None
    if review is None:
        review = _catalogue_review(ds, key, rows)
    signed_all: dict[tuple[str, str, str], store.SignOff] = {
        (s.kind, s.key, s.label): s for s in store.flag_signoffs()
    }
    if ds.meta.synthetic:
        signed_all = {**_sample_signoffs(), **signed_all}
    signed, pending = [], []
    for item in declared(ds):
        found = signed_all.get((item.kind, item.key, item.label))
        if found is None:
            pending.append(item)
        else:
            signed.append(found)
    result = Status(key, rows, review, tuple(signed), tuple(pending))
    with _LOCK:
        _STATUS[cache_key] = (now, writes, result)
        if len(_STATUS) > 256:
            _STATUS.pop(next(iter(_STATUS)))
    return result


def record_review(ds: Dataset, *, by: Principal | None = None) -> store.TextReview:
    key, rows = text_key(ds)
    return store.record_text_review(
        key, fingerprint=ds.fingerprint, source=ds.source, rows=rows, by=by
    )


def sign_off(item: Declared, *, by: Principal | None = None) -> store.SignOff:
    return store.sign_off_flag(item.kind, item.key, item.label, by=by)


# --- the dataset pages, slides and exports are built from ------------------------------------
_SHAREABLE: weakref.WeakKeyDictionary[Dataset, dict[str, Dataset]] = weakref.WeakKeyDictionary()


def shareable(ds: Dataset, st: Status) -> Dataset:
    """`ds` as it may be shown: unreviewed text replaced by PLACEHOLDER, keys not signed off left
    out. The same dataset when everything is reviewed and signed. Its fingerprint differs from
    `ds`'s whenever anything is held back, so no cached table of one is served for the other."""
    pending = {(d.kind, d.key) for d in st.pending}
    if st.reviewed and not pending:
        return ds
    state = f"{int(st.reviewed)}:{sorted(pending)}"
    with _LOCK:
        found = _SHAREABLE.get(ds, {}).get(state)
    if found is not None:
        return found
    changes: dict[str, object] = {}
    if not st.reviewed:
        for table, columns in FREE_TEXT_COLUMNS.items():
            frame = getattr(ds, table)
            if frame is not None:
                changes[table] = _redacted(frame, columns)
    if pending:
        barriers = tuple(k for k in ds.barrier_keys if ("barrier", k) not in pending)
        services = tuple(k for k in ds.service_keys if ("service", k) not in pending)
        dropped = [BARRIER_PREFIX + k for kind, k in pending if kind == "barrier"]
        dropped += [SERVICE_PREFIX + k for kind, k in pending if kind == "service"]
        changes["participants"] = ds.participants.drop(columns=dropped)
        changes["barrier_keys"] = barriers
        changes["service_keys"] = services
        held = {k for kind, k in pending if kind == "barrier"}
        for table, column in (("commissioning_plans", "barrier"), ("insights", "barriers")):
            frame = changes.get(table, getattr(ds, table))
            if isinstance(frame, pd.DataFrame) and column in frame:
                frame = frame.copy()
                if column == "barrier":
                    frame[column] = frame[column].where(~frame[column].isin(held))
                else:
                    frame[column] = frame[column].map(
                        lambda keys: (
                            tuple(k for k in keys if k not in held)
                            if isinstance(keys, tuple)
                            else keys
                        )
                    )
                changes[table] = frame
    digest = hashlib.sha256(state.encode()).hexdigest()[:16]
    shown = dataclasses.replace(ds, fingerprint=f"{ds.fingerprint}:held:{digest}", **changes)  # type: ignore[arg-type]
    with _LOCK:
        _SHAREABLE.setdefault(ds, {})[state] = shown
    return shown


def _redacted(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        if column not in frame:
            continue
        codes, uniques = pd.factorize(frame[column])  # blanks are -1
        distinct = sorted(str(v) for v in uniques if str(v).strip())
        if column in NAME_TEXT_COLUMNS:
            number = {value: n for n, value in enumerate(distinct, 1)}
            shown = [
                f"{PLACEHOLDER} ({number[str(v)]})" if str(v) in number else None for v in uniques
            ]
        else:
            shown = [PLACEHOLDER if str(v).strip() else None for v in uniques]
        table = np.array([*shown, None], dtype=object)  # code -1 takes the last: blank
        frame[column] = pd.Series(table[codes], index=frame.index, dtype="str")
    return frame


__all__ = [
    "CATALOGUE_REVIEWER",
    "PLACEHOLDER",
    "SIGN_OFF_STATEMENT",
    "Declared",
    "Status",
    "TextItem",
    "catalogue_text",
    "declared",
    "free_text",
    "record_review",
    "shareable",
    "sign_off",
    "status",
    "text_key",
]
