"""One pipeline for every insight: measure -> disclose -> narrate.

An `Insight` (declared in insight.numbers.registry) names its three stages; `run` calls them in
order, and the middle one is never the insight's own code: `disclose_by` applies the insight's
declared `Rule`, which holds every option insight.numbers.disclosure.disclose takes (rounded
counts, chains, the small-LA rule, an index over the shares). So the disclosure rules are data,
listed once, and no builder can pass an option of its own.

Pure: no streamlit import.
"""

from __future__ import annotations

import inspect
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Literal
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from insight.core.dataset import Dataset
from insight.core.periods import month_index, month_text, period_window
from insight.core.selection import Selection
from insight.numbers.count_release import released_counts
from insight.numbers.disclosure import Safe, disclose, disclose_index, disclose_provision
from insight.numbers.measure import Raw

RuleKind = Literal["shares", "provision", "text", "derived", "official"]
Chains = Literal["", "area", "area_quarter"]
Chart = Literal["bars", "per_la", "index", "lines", "cards", "context", "words"]
Reference = Callable[[list[str]], pd.Series]  # LA codes -> each LA's reference population
REQUIRED: Any = inspect.Parameter.empty


@dataclass(frozen=True)
class Rule:
    """A disclosure rule, as data: the options `disclose` is given, and the rule in words."""

    name: str
    words: str  # the rule in plain words (python -m insight rules)
    kind: RuleKind = "shares"
    counts: bool = False  # standard mode: rounded counts, where no linked figure is `[c]`
    chains: Chains = ""  # chain secondary suppression: per area, or per area and quarter
    whole_period: bool = False  # disclosed over the whole period, then cut to the selected one
    small_las: bool = False  # an LA under min_base has its share hidden (and preferred)
    reference: Reference | None = field(default=None, compare=False)  # an index over the shares


@dataclass(frozen=True)
class Param:
    """One parameter of an insight's key ("characteristic.{name}"): its allowed values, or None
    for any non-empty text (a barrier key, checked against the dataset when built)."""

    name: str
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Measured:
    """What the narrate stage is given: the selection, the arguments, the raw counts and their
    safe frame (None where the insight measures nothing of its own), and `other`, which builds
    another insight's safe table through the same pipeline (for insights made from others)."""

    ds: Dataset
    sel: Selection
    args: tuple[Any, ...]
    raw: Raw | None
    safe: Safe | None
    rule: Rule
    other: Callable[..., Any] = field(repr=False)


@dataclass(frozen=True)
class Insight:
    """One insight, declared once (see insight.numbers.registry for the fields' meaning)."""

    name: str  # the builder's name (insight.numbers.tables.<name>)
    key: str  # the table key's template: "barriers", "trend.{kind}.{key}.{freq}"
    measures: str  # what it measures, in words
    rule: Rule
    narrate: Callable[[Measured], Any]
    chart: Chart
    section: str | Callable[..., str] = ""
    label: str | Callable[..., str] = ""
    measure: Callable[..., Raw | None] | None = None
    check: Callable[..., None] | None = None  # raises ValueError for arguments it cannot build
    params: tuple[Param, ...] = ()
    # the builder's parameters after (ds, sel), each with its default (REQUIRED for none)
    arguments: tuple[tuple[str, Any], ...] = ()
    rule_by: tuple[int, dict[str, Rule]] | None = None  # (argument index, value -> rule)
    slide: bool = False  # a meeting can show it (so a deck and a slide PDF can)
    map: bool | Callable[..., bool] = False  # it can be a map slide (one row per LA)
    pack: tuple[tuple[tuple[str, ...], str], ...] = ()  # (arguments, label) in the pack
    pages: tuple[str, ...] = ()  # page scripts that draw it ("participants/barriers")
    to_args: Callable[..., tuple[Any, ...]] | None = None  # key parameters -> builder arguments
    # the measure reads the selection's LA (False: one row per LA, the same for every LA chosen,
    # so its raw counts and safe frame serve every LA of a period: see `_measured`)
    reads_la: bool = True

    def rule_for(self, args: tuple[Any, ...]) -> Rule:
        if self.rule_by is not None:
            position, rules = self.rule_by
            return rules.get(str(args[position]), self.rule)
        return self.rule

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule this insight may apply."""
        if self.rule_by is None:
            return (self.rule,)
        return tuple(dict.fromkeys([self.rule, *self.rule_by[1].values()]))

    def values(self, key: str) -> tuple[str, ...] | None:
        """The parameters' values in a table key of this insight, or None if it is not one."""
        found = re.fullmatch(_pattern(self.key, self.params), key)
        return None if found is None else tuple(found.groups())

    def parse(self, key: str) -> tuple[Any, ...] | None:
        """The builder's arguments for a table key of this insight, or None if it is not one."""
        values = self.values(key)
        if values is None:
            return None
        return self.to_args(*values) if self.to_args is not None else values

    def key_of(self, *values: str) -> str:
        return self.key.format(**dict(zip([p.name for p in self.params], values, strict=True)))

    def text(self, what: str | Callable[..., str], values: tuple[str, ...]) -> str:
        return what(*values) if callable(what) else what

    def mappable(self, values: tuple[str, ...]) -> bool:
        return self.map(*values) if callable(self.map) else self.map


def _pattern(template: str, params: tuple[Param, ...]) -> str:
    out = re.escape(template)
    for param in params:
        group = "(.+)" if param.choices is None else f"({'|'.join(map(re.escape, param.choices))})"
        out = out.replace(re.escape("{" + param.name + "}"), group)
    return out


# --- one build per dataset, selection and arguments ---------------------------------------------
# The safe tables of the insights that measure, remembered per dataset OBJECT (a weak key: a
# dataset replaced or dropped takes its tables with it) and, within it, by (insight, selection,
# arguments): the selection holds the mode, so a table is never served to the other mode. The
# Overview's headlines and talking points are made from barriers, services, LA shares, hotspot and
# characteristic tables the same rerun draws too: they cost nothing twice. Insights made from
# others (headlines, talking points) are not kept: they are made afresh from these. A safe table
# is drawn from, never changed (as for components.context's cache of tables across sessions).
MEMO_TABLES = 512  # per dataset: about six selections' worth of every table
_MEMO: WeakKeyDictionary[Dataset, OrderedDict[Hashable, tuple[Insight | None, Any]]] = (
    WeakKeyDictionary()
)
_MEMO_LOCK = threading.Lock()


# The measure and disclose stages' results, per dataset object and, within it, by (measure,
# the part of the selection it reads, arguments) and, for a safe frame, (rule, mode): so insights
# that count the same (LA shares, the hotspot indices) count once, the other mode of a selection
# seen before discloses its counts without counting them again, and a table by LA (reads_la
# False) is counted and disclosed once for every LA of a period. Raw counts are kept here only,
# never shown as they are; the least recently used go first beyond MEMO_STAGES.
MEMO_STAGES = 512
_STAGES: WeakKeyDictionary[Dataset, OrderedDict[Hashable, Any]] = WeakKeyDictionary()


def forget(ds: Dataset | None = None) -> None:
    """Drop the remembered tables of `ds` (of every dataset when None)."""
    with _MEMO_LOCK:
        if ds is None:
            _MEMO.clear()
            _STAGES.clear()
        else:
            _MEMO.pop(ds, None)
            _STAGES.pop(ds, None)


def run(
    insight: Insight,
    ds: Dataset,
    sel: Selection,
    args: tuple[Any, ...],
    other: Callable[..., Any],
) -> Any:
    """measure -> disclose (by the declared rule) -> narrate, for one insight; a measured
    insight's result is remembered for its dataset, selection and arguments (see `_MEMO`)."""
    if insight.check is not None:
        insight.check(ds, *args)
    if insight.measure is None:
        return _run(insight, ds, sel, args, other)
    return _remembered(
        ds,
        (id(insight), ds.meta.thresholds, sel, args),
        insight,
        lambda: _run(insight, ds, sel, args, other),
    )


def _remembered(
    ds: Dataset, key: tuple[Any, ...], owner: Insight | None, make: Callable[[], Any]
) -> Any:
    """What `make` made for `ds` under `key` (and `owner`: an insight's id may name another
    insight once it is gone), made now and kept when not found; made afresh, not kept, when
    the key holds something that cannot be hashed (a list of categories)."""
    if not _hashable(key):
        return make()
    found = _find(_MEMO, ds, key)
    if found is not _ABSENT and found[0] is owner:
        return found[1]
    return _put(_MEMO, MEMO_TABLES, ds, key, (owner, make()))[1]


_ABSENT = object()


def _hashable(key: Hashable) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


def _find(store: WeakKeyDictionary[Dataset, OrderedDict], ds: Dataset, key: Hashable) -> Any:
    """What `store` keeps for `ds` under `key` (now its most recently used), else _ABSENT."""
    with _MEMO_LOCK:
        kept = store.get(ds)
        if kept is None or key not in kept:
            return _ABSENT
        kept.move_to_end(key)
        return kept[key]


def _put(
    store: WeakKeyDictionary[Dataset, OrderedDict], size: int, ds: Dataset, key: Hashable, made: Any
) -> Any:
    """Keep `made` under `key` for `ds` (the most recently used), the least recently used
    dropped beyond `size`."""
    with _MEMO_LOCK:
        kept = store.setdefault(ds, OrderedDict())
        kept[key] = made
        kept.move_to_end(key)
        while len(kept) > size:
            kept.popitem(last=False)
    return made


def remember(ds: Dataset, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """A value made from `ds` and `key` alone, remembered with the dataset's tables (the same
    bound, dropped with them by `forget`). For a narrate stage that reads less than the whole
    selection, so that what it makes once serves every selection that shares what it reads:
    `key` must hold everything `make` reads besides `ds` (the commissioning texts: the LA and the
    filters, not the period or the mode). A value kept here is drawn from, never changed."""
    return _remembered(ds, ("remember", *key), None, make)


def _run(
    insight: Insight,
    ds: Dataset,
    sel: Selection,
    args: tuple[Any, ...],
    other: Callable[..., Any],
) -> Any:
    rule = insight.rule_for(args)
    raw, safe = _measured(insight, rule, ds, sel, args)
    return insight.narrate(Measured(ds, sel, args, raw, safe, rule, other))


def _measured(
    insight: Insight, rule: Rule, ds: Dataset, sel: Selection, args: tuple[Any, ...]
) -> tuple[Raw | None, Safe | None]:
    """(raw counts, safe frame) of an insight that measures, each made once for what it reads
    (see `_STAGES`): the measure reads the period, the LA (unless `reads_la` is False) and the
    arguments; disclose_by reads the raw counts, the rule, the mode and the period, never the LA."""
    measure = insight.measure
    if measure is None:
        return None, None
    where = (measure, ds.meta.thresholds, sel.la if insight.reads_la else None, sel.period, args)
    raw = _stage(ds, ("raw", *where), lambda: measure(ds, sel, *args))
    if raw is None:
        return None, None
    return raw, _stage(
        ds, ("safe", *where, rule, sel.mode), lambda: disclose_by(rule, raw, ds, sel)
    )


def _stage(ds: Dataset, key: Hashable, make: Callable[[], Any]) -> Any:
    """What `make` made for `ds` under `key`, kept in `_STAGES` (None is kept too); made afresh,
    not kept, when an argument cannot be hashed (a list)."""
    if not _hashable(key):
        return make()
    found = _find(_STAGES, ds, key)
    return found if found is not _ABSENT else _put(_STAGES, MEMO_STAGES, ds, key, make())


def builder(insight: Insight, other: Callable[..., Any]) -> Callable[..., Any]:
    """The insight's public builder, `name(ds, sel, *arguments)`: `run` with the declared
    arguments (defaults filled in), and the insight's name, so a cache can key on it."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    signature = inspect.Signature(
        [
            inspect.Parameter("ds", kind),
            inspect.Parameter("sel", kind),
            *(
                inspect.Parameter(name, kind, default=default)
                for name, default in insight.arguments
            ),
        ]
    )

    def built(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        ds, sel, *rest = bound.args
        return run(insight, ds, sel, tuple(rest), other)

    built.__name__ = built.__qualname__ = insight.name
    built.__doc__ = insight.measures
    built.__signature__ = signature  # type: ignore[attr-defined]
    built.__insight__ = insight  # type: ignore[attr-defined]
    return built


def disclose_by(rule: Rule, raw: Raw, ds: Dataset, sel: Selection) -> Safe:
    """The safe frame of `raw` under `rule`: the only place a builder's options reach
    insight.numbers.disclosure."""
    th = ds.meta.thresholds
    if rule.kind == "provision":
        return disclose_provision(raw, sel.mode, th)
    if rule.kind != "shares":
        raise ValueError(f"rule {rule.name!r} discloses no counts")
    frame = raw.frame
    small = None
    if rule.small_las:
        count = frame["count"].to_numpy()
        small = (count >= 1) & (count < th.min_base)
    counts = rule.counts and sel.mode == "standard"
    chains = None
    if rule.chains == "area":
        chains = frame["area_code"].to_numpy()
    elif rule.chains == "area_quarter":
        quarter = {k: month_index(k) // 3 for k in map(str, frame["category_key"].unique())}
        pairs = zip(frame["area_code"].tolist(), frame["category_key"].tolist(), strict=True)
        chains = np.array([f"{a}:{quarter[str(k)]}" for a, k in pairs], dtype=object)
    safe = disclose(
        raw,
        sel.mode,
        th,
        counts=counts,
        chains=chains,
        count_allowed=counts_allowed(ds, raw, sel.period) if counts else None,
        prefer=small,
        also=small,
    )
    if rule.whole_period:
        first, last = period_window(ds.meta, sel.period)
        keep = {month_text(m) for m in range(first, last + 1)}
        cut = safe.frame[safe.frame["category_key"].isin(keep)].reset_index(drop=True)
        safe = Safe(cut, safe.symbols)
    if rule.reference is not None:
        safe = disclose_index(safe, raw, rule.reference(list(frame["area_code"])))
    return safe


# --- rounded counts beside linked figures ------------------------------------------------------
def counts_allowed(ds: Dataset, raw: Raw, period: str) -> np.ndarray:
    """Per row of a barriers table: may its rounded count be shown? Only where the audit of
    every linked figure allows it (count_release.released_counts, worked out once per dataset)."""
    allowed = released_counts(ds)
    pairs = zip(
        raw.frame["area_code"].astype(str), raw.frame["category_key"].astype(str), strict=True
    )
    return np.array([(code, key, period) in allowed for code, key in pairs], dtype=bool)


__all__ = [
    "REQUIRED",
    "Insight",
    "Measured",
    "Param",
    "Rule",
    "builder",
    "counts_allowed",
    "disclose_by",
    "forget",
    "remember",
    "run",
]
