"""The registry of insights: every table the app can show, declared once.

An insight is one `Insight` declaration (insight.numbers.pipeline) in `INSIGHTS` below. It says

- **what it measures**: `measure(ds, sel, *args) -> Raw | None`, the raw counts
  (insight.numbers.measure); None for insights with no counts of their own (text, or ones made
  from other insights' safe tables);
- **its disclosure rule**: `rule`, a named `Rule` (pipeline.RULES: the options `disclose` takes,
  counts, chains, small LAs, an index, with the rule in plain words); one list, printed by
  `python -m insight rules` and tested as a list (tests/unit/test_registry.py);
- **its narrative**: `narrate(measured) -> SafeTable | frame | list`, the headline, subtitle,
  notes and message, from the safe frame only (insight.numbers.participants,
  .labour_market, .commissioning, .place hold these stages);
- **its chart kind**: `chart` ("bars", "per_la", "index", "lines", "cards", "context", "words");
- **its key and parameters**: `key` is a template ("characteristic.{name}",
  "trend.{kind}.{key}.{freq}"), each parameter with its allowed values or free;
- **where it appears**: `pages` (page scripts, e.g. "participants/barriers"), `slide` (a
  meeting can show it, so the deck and the slide PDF can), `map` (it can be a map slide),
  `pack` (its label and arguments in the briefing pack's list of charts), and its `section`
  and `label` in a running order.

One pipeline (`pipeline.run`) runs measure -> disclose -> narrate for every one of them, so the
disclosure options live in the declarations, not in the builders. The public builders
(`insight.numbers.tables.barriers`, ...) are made from the declarations (`builder`), and the
consumers read the registry: the catalogue of slides (insight.numbers.catalogue), the pack's
charts (insight.outputs.pack), the deck (through the slides), the page view's allow-list
(insight.service.view) and the pages' lists (`on_page`). Adding an insight is one declaration
here and its tests.

Pure: no streamlit import.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from insight.core.contract import CHARACTERISTIC_LABELS, barrier_label, service_label
from insight.core.dataset import Dataset
from insight.core.selection import Selection
from insight.numbers import commissioning, labour_market, participants, place
from insight.numbers.measure import Kind
from insight.numbers.pipeline import REQUIRED, Insight, Param, Rule, builder

# --- the disclosure rules, as data (insight.numbers.disclosure states each in detail) ----------
SHARES = Rule(
    "shares",
    "A percentage is [c] where its base or either side of it is small (the thresholds); where a "
    "breakdown's shares sum to 100, one more cell joins a lone [c], and a breakdown whose other "
    "shares would give the hidden ones away is hidden whole.",
)
NEED_COUNTS = replace(
    SHARES,
    name="shares, with counts of need",
    words="As shares. Standard mode adds rounded counts (Annex 7.6 para 13: extent of "
    "need) only where an audit of every linked figure for that area and barrier, in every "
    "period, month, quarter and age band, finds each [c] beside it keeps at least min_cell "
    "possible values (insight.numbers.count_release).",
    counts=True,
)
CHAINED = replace(
    SHARES,
    name="chained parts",
    words="As shares. Age bands and quarters are parts of a share shown elsewhere: a lone "
    "[c] among an area's parts takes another with it (a 0% first), and [x] reads [c] in an "
    "area with a [c].",
    chains="area",
)
MONTHS = replace(
    CHAINED,
    name="months by quarter",
    words="As chained parts, for months: they are chained within calendar quarters over the whole period, then cut to the "
    "period, so a month reads the same in every period.",
    chains="area_quarter",
    whole_period=True,
)
SMALL_LAS = replace(
    SHARES,
    name="LA shares",
    words="As shares. An LA with fewer than min_base participants has its share [c], like "
    "all its own figures, and is taken first where a second [c] is needed.",
    small_las=True,
)
POPULATION_INDEX = replace(
    SMALL_LAS,
    name="index over LA shares (population)",
    words="As LA shares. The index is [c] exactly where the LA's share is.",
    reference=participants.population,
)
CLAIMANT_INDEX = replace(
    POPULATION_INDEX,
    name="index over LA shares (claimants)",
    reference=place.claimant_reference,
)
PROVISION = Rule(
    "planned referrals against capacity",
    "Planned referrals of 1 to min_cell-1 are [c] (percentage and count); capacity 0 has no "
    "percentage ([z]); never flagged over capacity on a [c] row; standard mode adds rounded "
    "planned referrals and capacity (Annex 7.6 para 13).",
    kind="provision",
)
TEXT = Rule(
    "text",
    "Text only, no figures: what the review gate lets through (insight.sharing.review).",
    kind="text",
)
DERIVED = Rule(
    "from safe tables",
    "Made from other insights' safe tables only: a [c] figure is never described.",
    kind="derived",
)

# The kinds of qualitative insight a meeting can show as cards: key -> (categories, section,
# headline).
INSIGHT_KINDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "what_works": (("what_works", "improvement"), "What works", "What is working, and what we would improve"),
    "employer_engagement": (("employer_engagement",), "Labour market", "What employers are telling us"),
    "area_barrier": (("area_barrier",), "Labour market", "Barriers that belong to a place"),
}  # fmt: skip


def _by(by: str) -> str:
    return by if by != "la" else "LA"


def _flag_label(kind: str, key: str) -> str:
    return barrier_label(key) if kind == "barrier" else service_label(key)


def _flags(
    kind: Kind,
    measures: str,
    narrate: Callable[..., Any],
    *,
    rule: Rule,
    section: str,
    label: str,
    pack_label: str,
) -> Insight:
    """Every barrier's (kind "barrier") or service element's ("service") share: the
    per-barrier and per-service variants, each on its own page and in the pack."""
    return Insight(
        name=f"{kind}s",
        key=f"{kind}s",
        measures=measures,
        measure=participants.measure_flags(kind),
        rule=rule,
        narrate=narrate,
        chart="bars",
        section=section,
        label=label,
        slide=True,
        pack=(((), pack_label),),
        pages=(f"participants/{kind}s",),
    )


def _flag_by_la(
    kind: Kind, measures: str, check: Callable[..., None], narrate: Callable[..., Any]
) -> Insight:
    """One barrier's (kind "barrier") or one service element's ("service") share in each LA:
    the per-barrier and per-service variants, declared alike."""
    return Insight(
        name=f"{kind}_by_la",
        key=f"{kind}_by_la.{{{kind}}}",
        params=(Param(kind),),
        arguments=((kind, REQUIRED),),
        measures=measures,
        check=check,
        measure=participants.measure_flag_by_la(kind),
        reads_la=False,
        rule=SHARES,
        narrate=narrate,
        chart="per_la",
        section="Where participants are",
        label=lambda key: f"{_flag_label(kind, key)} by LA",
        slide=True,
        map=True,
        pages=("participants/locations",),
    )


# --- the insights, in the briefing pack's order -------------------------------------------------
INSIGHTS: tuple[Insight, ...] = (
    Insight(
        name="la_shares",
        key="la_shares",
        measures="Each LA's share of the area's participants (sums to 100).",
        measure=participants.measure_la_shares,
        reads_la=False,
        rule=SMALL_LAS,
        narrate=participants.la_shares,
        chart="per_la",
        section="Where participants are",
        label="Share of the area's participants by LA",
        slide=True,
        map=True,
        pack=(((), "Where participants live"),),
        pages=("overview/overview", "participants/locations"),
    ),
    Insight(
        name="hotspot",
        key="hotspot",
        measures="Each LA's share of participants over its share of the working-age "
        "population, x 100 (100 = in proportion).",
        measure=participants.measure_la_shares,
        reads_la=False,
        rule=POPULATION_INDEX,
        narrate=participants.hotspot,
        chart="index",
        section="Where participants are",
        label="Hotspot index by LA",
        slide=True,
        map=True,
        pack=(((), "Hotspots against population"),),
        pages=("participants/locations",),
    ),
    Insight(
        name="claimant_hotspot",
        key="hotspot.claimants",
        measures="Each LA's share of participants over its estimated share of the area's "
        "claimants, x 100: shares against shares, never a rate.",
        measure=participants.measure_la_shares,
        reads_la=False,
        rule=CLAIMANT_INDEX,
        narrate=place.claimant_hotspot,
        chart="index",
        pages=("participants/locations",),
    ),
    Insight(
        name="context_beside",
        key="context_beside",
        measures="Each LA's share of participants (its safe label) beside official figures: "
        "its share of the working-age population, its claimant and inactivity rates.",
        rule=DERIVED,
        narrate=place.context_beside,
        chart="context",
        pages=("participants/locations",),
    ),
    Insight(
        name="characteristic",
        key="characteristic.{name}",
        params=(Param("name", tuple(CHARACTERISTIC_LABELS)),),
        arguments=(("name", REQUIRED),),
        measures="Share of participants by one characteristic (sums to 100 in each area).",
        check=participants.check_characteristic,
        measure=participants.measure_characteristic,
        rule=SHARES,
        narrate=participants.characteristic,
        chart="bars",
        section="Who participants are",
        label=lambda name: CHARACTERISTIC_LABELS[name],
        slide=True,
        pack=tuple(
            ((name,), f"Participants by {name.replace('_', ' ')}")
            for name in ("age_band", "gender", "ethnicity", "disability")
        ),
        pages=("participants/characteristics",),
    ),
    _flags(
        "barrier",
        "Share of participants reporting each barrier (multi-response).",
        participants.barriers,
        rule=NEED_COUNTS,
        section="Barriers",
        label="Barriers reported",
        pack_label="Barriers to work",
    ),
    _flags(
        "service",
        "Share of participants in each service element now (multi-response).",
        participants.services,
        rule=SHARES,
        section="Service usage",
        label="Service elements in use",
        pack_label="Service usage",
    ),
    Insight(
        name="vacancies",
        key="vacancies.{by}",
        params=(Param("by", ("sector", "la")),),
        arguments=(("by", REQUIRED),),
        measures="Share of vacancy positions by sector or by LA.",
        measure=labour_market.measure_events("vacancies"),
        rule=SHARES,
        narrate=labour_market.events("vacancies"),
        chart="bars",
        section="Labour market",
        label=lambda by: f"Vacancies by {_by(by)}",
        slide=True,
        map=lambda by: by == "la",
        pack=((("sector",), "Vacancies by sector"),),
        pages=("labour_market/labour_market",),
    ),
    Insight(
        name="job_entries",
        key="job_entries.{by}",
        params=(Param("by", ("sector", "la", "employer")),),
        arguments=(("by", REQUIRED),),
        measures="Share of the provider's recorded job entries by sector, employer or LA: "
        "never a count, never a rate against participants.",
        measure=labour_market.measure_events("job_entries"),
        rule=SHARES,
        narrate=labour_market.events("job_entries"),
        chart="bars",
        section="Labour market",
        label=lambda by: f"Job entries by {_by(by)}",
        slide=True,
        map=lambda by: by == "la",
        pack=((("sector",), "Job entries by sector"),),
        pages=("labour_market/labour_market",),
    ),
    Insight(
        name="provision",
        key="provision",
        measures="Planned referrals to each local service as a share of its capacity.",
        measure=commissioning.measure_provision,
        rule=PROVISION,
        narrate=commissioning.provision,
        chart="bars",
        section="Commissioning",
        label="Planned referrals against capacity",
        slide=True,
        pack=(((), "Planned referrals and capacity"),),
        pages=("commissioning/commissioning",),
    ),
    Insight(
        name="barrier_by_age",
        key="barrier_by_age.{barrier}",
        params=(Param("barrier"),),
        arguments=(("barrier", REQUIRED),),
        measures="Share of each age band reporting one barrier.",
        check=participants.check_barrier,
        measure=participants.measure_barrier_by_age,
        rule=CHAINED,
        narrate=participants.barrier_by_age,
        chart="bars",
        section="Barriers",
        label=lambda barrier: f"{barrier_label(barrier)} by age band",
        slide=True,
        pages=("participants/barriers",),
    ),
    _flag_by_la(
        "barrier",
        "Share of each LA's participants reporting one barrier.",
        participants.check_barrier,
        participants.barrier_by_la,
    ),
    _flag_by_la(
        "service",
        "Share of each LA's participants in one service element now.",
        participants.check_service,
        participants.service_by_la,
    ),
    Insight(
        name="trend",
        key="trend.{kind}.{key}.{freq}",
        params=(
            Param("kind", ("barrier", "service")),
            Param("key"),
            Param("freq", ("month", "quarter")),
        ),
        arguments=(("kind", REQUIRED), ("key", REQUIRED), ("freq", "quarter")),
        measures="Share reporting a barrier (or in a service element) by start month or "
        "quarter, within the period.",
        check=participants.check_key,
        measure=participants.measure_trend,
        rule=CHAINED,
        rule_by=(2, {"month": MONTHS}),
        narrate=participants.trend,
        chart="lines",
        section=lambda kind, key, freq: "Barriers" if kind == "barrier" else "Service usage",
        label=lambda kind, key, freq: f"{_flag_label(kind, key)} over time, by {freq}",
        slide=True,
        pages=("participants/trends",),
    ),
    Insight(
        name="headlines",
        key="headlines",
        measures="The Overview's figures: the LA's share of the area's participants, the most "
        "reported barriers, the shares in skills training and in a work placement.",
        rule=DERIVED,
        narrate=participants.headlines,
        chart="words",
        pages=("overview/overview",),
    ),
    Insight(
        name="talking_points",
        key="talking_points",
        measures="Talking points in plain words, from the participant insights' safe tables.",
        rule=DERIVED,
        narrate=participants.talking_points,
        chart="words",
        pages=("overview/overview",),
    ),
    Insight(
        name="plans",
        key="plans",
        measures="The provider's commissioning plans touching the selection.",
        rule=TEXT,
        narrate=commissioning.plans,
        chart="cards",
        pages=("commissioning/commissioning",),
    ),
    Insight(
        name="insights",
        key="insights.{kind}",
        params=(Param("kind", tuple(INSIGHT_KINDS)),),
        arguments=(("categories", ()), ("barrier", None), ("recommendation", None)),
        to_args=lambda kind: (INSIGHT_KINDS[kind][0], None, None),
        measures="Qualitative insights touching the selection (what works, employer "
        "engagement, barriers of a place), filtered.",
        rule=TEXT,
        narrate=commissioning.insights,
        chart="cards",
        section=lambda kind: INSIGHT_KINDS[kind][1],
        label=lambda kind: INSIGHT_KINDS[kind][2],
        slide=True,
        pages=("labour_market/labour_market", "what_works/what_works"),
    ),
)


# --- reading the registry -----------------------------------------------------------------------
@dataclass(frozen=True)
class Found:
    """A table key read against the registry: its insight, the key's parameter values and the
    builder's arguments."""

    insight: Insight
    values: tuple[str, ...]
    args: tuple[Any, ...]

    @property
    def section(self) -> str:
        return self.insight.text(self.insight.section, self.values)

    @property
    def label(self) -> str:
        return self.insight.text(self.insight.label, self.values)

    @property
    def mappable(self) -> bool:
        return self.insight.mappable(self.values)

    def build(self, ds: Dataset, sel: Selection) -> Any:
        return builder_of(self.insight)(ds, sel, *self.args)


@dataclass(frozen=True)
class Registry:
    insights: tuple[Insight, ...]

    def __iter__(self) -> Iterator[Insight]:
        return iter(self.insights)

    def named(self, name: str) -> Insight:
        for insight in self.insights:
            if insight.name == name:
                return insight
        raise KeyError(f"no insight is called {name!r}")

    def find(self, key: str, *, slides: bool = True) -> Found | None:
        """The insight a table key names (among those a meeting can show, with `slides`)."""
        for insight in self.insights:
            if slides and not insight.slide:
                continue
            values = insight.values(key)
            if values is not None:
                args = insight.to_args(*values) if insight.to_args is not None else values
                return Found(insight, values, args)
        return None

    def on_page(self, page: str) -> tuple[Insight, ...]:
        """The insights a page script draws ("participants/barriers")."""
        return tuple(i for i in self.insights if page in i.pages)

    def pages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for i in self.insights for p in i.pages))

    def on_slides(self) -> tuple[Insight, ...]:
        return tuple(i for i in self.insights if i.slide)

    def pack(self) -> tuple[tuple[str, str, Callable[[Dataset, Selection], Any]], ...]:
        """The briefing pack's charts, in order: (table key, label, builder of the selection)."""
        out = []
        for insight in self.insights:
            for args, label in insight.pack:
                found = Found(insight, args, args)
                out.append((insight.key_of(*args), label, found.build))
        return tuple(out)

    def plus(self, *insights: Insight) -> Registry:
        """This registry with more insights (a test declares a toy one)."""
        return Registry((*self.insights, *insights))

    def rules(self) -> tuple[tuple[Insight, Rule], ...]:
        """Every (insight, rule it may apply): the disclosure rules as one list."""
        return tuple((insight, rule) for insight in self.insights for rule in insight.rules)

    def rules_text(self) -> str:
        """The list in words (python -m insight rules): each insight's key and rule, then each
        rule once, in plain words."""
        pairs = self.rules()
        width = max(len(insight.key) for insight, _ in pairs)
        lines = ["Each insight and its disclosure rule (insight.numbers.registry):"]
        lines += [f"  {insight.key:<{width}}  {rule.name}" for insight, rule in pairs]
        lines += ["", "The rules:"]
        for rule in dict.fromkeys(rule for _, rule in pairs):
            lines.append(f"  {rule.name}: {rule.words}")
        return "\n".join(lines)


REGISTRY = Registry(INSIGHTS)


def current() -> Registry:
    """The registry every consumer reads, at the time of the call (a test may replace it)."""
    return REGISTRY


# id(insight) -> (insight, its builder): one builder per declaration object, so a test that
# swaps an insight for a stand-in and back finds the declared builder unchanged.
_BUILT: dict[int, tuple[Insight, Callable[..., Any]]] = {}
_BUILT_LOCK = threading.Lock()


def _other(name: str, ds: Dataset, sel: Selection, *args: Any) -> Any:
    """Another insight's safe table, through the pipeline (for insights made from others)."""
    return builder_of(current().named(name))(ds, sel, *args)


def builder_of(insight: Insight) -> Callable[..., Any]:
    """The public builder of an insight, made once: `insight.numbers.tables.<name>`."""
    with _BUILT_LOCK:
        made = _BUILT.get(id(insight))
        if made is not None and made[0] is insight:
            return made[1]
        function = builder(insight, _other)
        function.__module__ = "insight.numbers.tables"
        _BUILT[id(insight)] = (insight, function)
        return function


def build(name: str) -> Callable[..., Any]:
    """The builder of the insight called `name` in the registry."""
    return builder_of(current().named(name))


def is_builder(function: object) -> bool:
    """Is `function` the builder of an insight of the registry (the very function)?"""
    insight = getattr(function, "__insight__", None)
    if not isinstance(insight, Insight):
        return False
    try:
        declared = current().named(insight.name)
    except KeyError:
        return False
    return declared is insight and builder_of(declared) is function


__all__ = [
    "INSIGHTS",
    "INSIGHT_KINDS",
    "REGISTRY",
    "Found",
    "Registry",
    "build",
    "builder_of",
    "current",
    "is_builder",
]
