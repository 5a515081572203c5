"""The safe table pages draw, and the steps every table builder shares.

`insight.numbers.tables` documents the frame's columns; this module holds the types so the builders
(`insight.numbers.tables`, `insight.numbers.labour_market`, `insight.numbers.commissioning`) can share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from insight.core.dataset import Dataset
from insight.core.periods import period_label
from insight.core.selection import Mode, Selection
from insight.core.thresholds import Thresholds
from insight.numbers import presenter_text
from insight.numbers.certainty import Apart
from insight.numbers.columns import items, texts
from insight.numbers.disclosure import COUNT_COLUMNS, SAFE_COLUMNS, Safe, symbols_in
from insight.numbers.measure import area_name, areas, participants_in
from insight.numbers.narrative import alt_text
from insight.numbers.presenter_text import CountInPresenterText

__all__ = [
    "COUNT_COLUMNS",
    "CountInPresenterMode",
    "CountInPresenterText",
    "Headline",
    "SafeTable",
    "shown_strings",
]

Unit = Literal["%", "index"]


@dataclass(frozen=True, eq=False)
class SafeTable:
    key: str  # stable id, e.g. "characteristic.age_band", "barrier_by_age.digital_skills"
    title: str  # headline that states the finding, from safe figures only
    subtitle: str  # the measure and the period, e.g. "Share of participants, by age band, Jul 2024 to Jun 2025"
    frame: pd.DataFrame  # see module docstring
    mode: Mode
    unit: Unit = "%"
    multi_response: bool = False  # categories can overlap (barriers, services)
    notes: tuple[str, ...] = ()  # e.g. "Participants may report more than one barrier."
    alt_text: str = ""  # a text alternative for the chart, from safe figures only
    empty_message: str = ""  # non-empty when there is nothing to show, saying why
    symbols: tuple[str, ...] = field(default=())  # symbols used in `frame.label`, for the legend
    # certainty.SMALL_NUMBERS where the area shown had too few participants to rank its figures
    # (the small-base rule); it states no base
    caution: str = ""
    # the small-base rule's verdict for this table's cells (pairs of cell keys, never a count),
    # for sentences made from it later (talking points); None where none was made
    verdict: Apart | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """A presenter-mode safe table cannot be made with a count column: the rule is enforced
        where the table is made, not re-applied by every page, chart and export that draws it."""
        if self.mode == "presenter":
            leaked = sorted(COUNT_COLUMNS.intersection(map(str, self.frame.columns)))
            if leaked:
                raise CountInPresenterMode(
                    f"presenter-mode table {self.key} would carry count columns {leaked}"
                )
            presenter_text.refuse(
                f"table {self.key}",
                self.texts,
                shown_strings(self.frame),
                categories=len(self.frame),
            )

    @property
    def texts(self) -> tuple[str, ...]:
        """Every free text of the table: what the presenter-mode check reads."""
        return (
            self.title,
            self.subtitle,
            *self.notes,
            self.alt_text,
            self.empty_message,
            self.caution,
        )

    @property
    def is_empty(self) -> bool:
        return bool(self.empty_message)


def shown_strings(frame: pd.DataFrame) -> set[str]:
    """What a safe frame itself shows as text (labels, category, area names and keys): numbers
    inside these are excused in the texts made beside it (`presenter_text.check`)."""
    out: set[str] = set()
    for column in ("label", "category", "area", "category_key"):
        if column in frame:
            out.update(str(v) for v in frame[column].unique())
    return out


class CountInPresenterMode(ValueError):
    """A presenter-mode SafeTable was asked to carry a count column (a bug, never user input)."""


@dataclass(frozen=True)
class Headline:
    """One headline figure for the Overview: a share, never a count."""

    label: str  # "Report a mental health barrier"
    value: str  # "31%" or "[c]"
    comparison: str = ""  # "Whole area: 27%" when an LA is selected


# --- shared steps ----------------------------------------------------------------------------
def basics(ds: Dataset, sel: Selection) -> tuple[Thresholds, str, str]:
    """(thresholds, period label, the selected area's name for sentences: the LA's name or the
    dataset's area name)."""
    name = ds.meta.area_name if sel.is_whole_area else area_name(ds, sel.la)
    return ds.meta.thresholds, period_label(ds.meta, sel.period), name


TEXT_COLUMNS: tuple[str, ...] = ("label", "count", "planned_referrals", "capacity")


def drop_empty_areas(ds: Dataset, sel: Selection, frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Drop areas with no participants in the period; say so when the selection is one."""
    empty = [code for code, _ in areas(ds, sel.la) if participants_in(ds, sel.period, code) == 0]
    if sel.la in empty:
        _, period, name = basics(ds, sel)
        message = f"No participants started in {name} in {period}."
        return frame[~frame["area_code"].isin(empty)].reset_index(drop=True), message
    return frame, ""


def ordered(frame: pd.DataFrame, by_area: str | None, last: tuple[str, ...] = ()) -> pd.DataFrame:
    """Categories in descending order of their shown value in `by_area`'s rows (every row when
    None), ties by name; hidden values (a `[c]` or `[x]` label, whatever its value) and then the
    categories in `last` go to the end. Safe values only decide."""
    codes = items(frame["area_code"])
    keys = items(frame["category_key"])
    values = items(frame["value"])
    names = texts(frame["category"]).tolist() if "category" in frame else keys
    hidden = (
        [isinstance(label, str) and label.startswith("[") for label in texts(frame["label"])]
        if "label" in frame
        else [False] * len(keys)
    )
    score: dict[str, float] = {}
    name: dict[str, str] = {}
    for i, (code, key, value) in enumerate(zip(codes, keys, values, strict=True)):
        if by_area is None or code == by_area:
            shown = value == value and not hidden[i]
            score[key] = -2.0 if key in last else (value if shown else -1.0)
            name[key] = str(names[i])
    if not score:
        return frame
    rank = {key: i for i, key in enumerate(sorted(score, key=lambda k: (-score[k], name[k])))}
    area_rank = {code: i for i, code in enumerate(dict.fromkeys(codes))}
    order = sorted(
        range(len(keys)), key=lambda i: (area_rank[codes[i]], rank.get(keys[i], len(rank)))
    )
    return frame.iloc[order].reset_index(drop=True)


def build(
    key: str,
    sel: Selection,
    safe: Safe,
    frame: pd.DataFrame,
    title: str,
    subtitle: str,
    empty_message: str = "",
    **extra: object,
) -> SafeTable:
    if frame.empty and not empty_message:
        empty_message = "Nothing to show for this selection."
    text_columns = [c for c in TEXT_COLUMNS if c in frame]
    symbols = symbols_in(*(frame[c] for c in text_columns)) if safe.symbols else ()
    return SafeTable(
        key=key,
        title=title,
        subtitle=subtitle,
        frame=frame,
        mode=sel.mode,
        alt_text="" if frame.empty else alt_text(frame, subtitle[:1].lower() + subtitle[1:]),
        empty_message=empty_message,
        symbols=symbols,
        **extra,  # type: ignore[arg-type]
    )


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in SAFE_COLUMNS})
