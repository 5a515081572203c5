"""The one count oracle of the tests: which numbers are the dataset's counts, and which numbers a
text holds. The app layer (tests/app/app_scan.py) and the browser walk (tests/browser/test_pages.py)
both read these, with the same tokeniser and the same floor, so a count one layer would catch the
other catches too.

SMALLEST_COUNT: below it a count cannot be told apart from a percentage (0 to 100) in a chart's
data arrays, which hold shares as bare numbers. Numbers in *text* are held to more than this: in
presenter mode every text the app writes passes `insight.numbers.presenter_text.check`, which
refuses any number that is not a shown percentage, index, period or date, however small.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

from insight.core.caveat import CAVEAT
from insight.core.contract import BARRIER_PREFIX, PARTICIPANT_COLUMNS, SERVICE_PREFIX
from insight.core.geo import ATTRIBUTION, SHORT_ATTRIBUTION
from insight.intake.guard import GUARD_RULES
from insight.intake.screen import TEXT_RULES

SMALLEST_COUNT = 100  # below this a count cannot be told apart from a percentage (0 to 100)
SCALE = 100
ROUND_TO = 5  # standard mode's rounding: a rounded count is a count too


# --- the dataset's counts --------------------------------------------------------------------
def _table(folder: Path, stem: str) -> pd.DataFrame | None:
    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = folder / f"{stem}{suffix}"
        if path.exists():
            return reader(path)
    return None


def _truthy(column: pd.Series) -> pd.Series:
    return column.astype(str).str.lower().isin(("true", "1", "yes"))


@cache
def dataset_counts(folder: Path, at_least: int = SMALLEST_COUNT) -> frozenset[int]:
    """Counts a presenter-mode page must never show: participants per LA, per month, per status,
    per value of each characteristic (whole area and per LA), per barrier and service reported
    (whole area and per LA), totals; vacancy positions per LA, sector, month and employer; job
    entries per LA, sector, month and employer; local provision capacity and planned referrals
    per organisation and LA. Only counts of `at_least` (SMALLEST_COUNT) or more are kept, with
    their rounded forms."""
    counts: set[int] = set()
    people = _table(folder, "participants")
    assert people is not None, f"no participants table in {folder}"
    counts.add(len(people))
    for column in PARTICIPANT_COLUMNS[1:]:  # every column but the id
        counts.update(people[column].value_counts().tolist())
        if column != "la_code":
            counts.update(people.groupby(["la_code", column], observed=True).size().tolist())
    flags = [c for c in people.columns if c.startswith((BARRIER_PREFIX, SERVICE_PREFIX))]
    for flag in flags:
        yes = _truthy(people[flag])
        counts.add(int(yes.sum()))
        counts.update(yes.groupby(people["la_code"], observed=True).sum().tolist())
    vacancies = _table(folder, "vacancies")
    if vacancies is not None:
        counts.add(int(vacancies["positions"].sum()))
        for column in ("la_code", "sector", "month", "employer"):
            counts.update(vacancies.groupby(column)["positions"].sum().tolist())
    entries = _table(folder, "job_entries")
    if entries is not None:
        counts.add(len(entries))
        counts.add(int(_truthy(entries["sustained"]).sum()))
        for column in ("la_code", "sector", "month", "employer"):
            counts.update(entries[column].value_counts().tolist())
    provision = _table(folder, "local_provision")
    if provision is not None:
        for value in ("capacity", "planned_referrals"):
            counts.add(int(provision[value].sum()))
            for column in ("organisation", "la_code"):
                counts.update(provision.groupby(column)[value].sum().tolist())
    # 100 itself is left out: it is the scale of every percentage and the hotspot index's
    # "proportionate" mark ("times 100. 100 means proportionate"), so it appears as a constant.
    big = {int(n) for n in counts if n >= at_least}
    rounded = {ROUND_TO * ((n + ROUND_TO // 2) // ROUND_TO) for n in big}
    return frozenset(n for n in big | rounded if n != SCALE)


# --- numbers in text -------------------------------------------------------------------------
# A year inside a month label ("Jun 2026", "June 2026") or an ISO month or date ("2026-06",
# "2026-07-03") is a date, not a count: those are taken out before numbers are read, because a
# count of, say, 2,025 participants would otherwise be confused with the year in "Jan 2025".
# Nothing else is excused: a year standing alone still counts as a number.
_MONTH_YEAR = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(19|20)\d\d\b", re.I
)
_ISO_DATE = re.compile(r"\b(19|20)\d\d-[01]\d(-[0-3]\d)?\b")
# Other dates and periods ("2025-Q3", "mid-2022", "2024 to 2025") and the fixed attribution texts.
_OTHER_DATES = re.compile(r"\b\d{4}-Q[1-4]\b|\bmid-\d{4}\b|\b(?:19|20)\d{2} to (?:19|20)\d{2}\b")
# The guards' own descriptions (the About page lists them, with made-up examples such as "312
# job outcomes" and a helpline's 0300) are the tool's documentation, not the dataset's figures.
_DOCUMENTED = tuple(rule.refuses for rule in GUARD_RULES) + tuple(text for _, text, _ in TEXT_RULES)
_FIXED = (
    CAVEAT,
    ATTRIBUTION,
    SHORT_ATTRIBUTION,
    "database right 2024",
    "copyright 2024",
    *(text.replace("`", "") for text in _DOCUMENTED),
)
# A whole number, with or without thousands commas, not part of a code (E08000025, #505A5F), a decimal
# or a longer number.
# A number followed by "%" is a percentage, not a count (this is what tells "100%" from 100).
_NUMBER = re.compile(
    r"(?<![\w.,#])\d{1,3}(?:,\d{3})+(?![\d,.]\d)(?!\s?%)"
    r"|(?<![\w.,#])\d+(?![\d.,]?\d)(?!\.\d)(?!\s?%)"
)


def numbers_with_context(text: str) -> list[tuple[int, str]]:
    """Each whole number in `text` (dates taken out first) with the words around it."""
    text = str(text).replace("<br>", " ")  # plotly line breaks: "Jul to Sep<br>2025" is one label
    text = text.replace("`", "")  # markdown code marks, absent from the rendered page
    for fixed in _FIXED:
        text = text.replace(fixed, " ")
    text = _OTHER_DATES.sub(" ", text)
    text = _MONTH_YEAR.sub(r"\1", text)
    text = _ISO_DATE.sub(" ", text)
    return [
        (int(m.group().replace(",", "")), text[max(0, m.start() - 60) : m.end() + 40])
        for m in _NUMBER.finditer(text)
    ]


def numbers_in(text: str) -> list[int]:
    return [number for number, _context in numbers_with_context(text)]
