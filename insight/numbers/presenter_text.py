"""No count in any text of presenter mode: the one check every presenter-mode text goes through.

A presenter-mode table refuses count columns (`safe_table.SafeTable`), but its title, subtitle,
notes, text alternative, empty message and caution, the Overview's headlines and the talking
points are free strings. `check(text, allowed)` lists every number in a text that is not one of
the things a presenter text may say:

- a percentage ("31%", "<1%", ">99%", "120%");
- a natural frequency made from a share ("about 1 in 8", "fewer than 1 in 100": share_words);
- a date or period ("Jul 2024", "Jul to Sep 2024", "Jul 2024 to Jun 2026", "2025-06",
  "2025-Q3", "mid-2022", "2024 to 2025");
- a count of categories, not of people ("and 4 more in the table", "2 of 7 local services",
  "3 more bars"), no larger than `categories` when that is given;
- a fixed phrase of the app's own notes (`FIXED`: "ages 16 to 64", "(100 = in proportion)");
- anything in `allowed`: what the table itself shows (its labels, such as the hotspot index
  "112", and its category and area names, such as the age band "35-49" or an organisation
  whose name has digits).

Everything else is a problem. `SafeTable` runs it on every text of a presenter-mode table where
the table is made, and `tables.headlines` and `tables.talking_points` on theirs, so a count put
into any of them fails there (`CountInPresenterText`), not only in the slow browser walk. Pure:
no streamlit import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["FIXED", "CountInPresenterText", "check", "refuse"]

# Fixed note texts the app writes whose numbers are not counts.
FIXED: tuple[str, ...] = (
    "ages 16 to 64",
    "(100 = in proportion)",
    "100 = in proportion",
    "100 means proportionate",
    "100 means in proportion",
)

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# A number as a whole token: not part of a code (E08000025), a decimal or a longer number.
# Not a number in prose: one glued to a word, a decimal point or a thousands comma, or inside
# code-like text that a dataset's name may hold ("x=1", "/area/2", "#3": markup, addresses).
_EDGE_BEFORE = r"(?<![\w.,=/#])"
_EDGE_AFTER = r"(?![\w]|[.,]\d)"
_NUMBER = re.compile(_EDGE_BEFORE + r"\d{1,3}(?:,\d{3})+(?:\.\d+)?" + _EDGE_AFTER + "|" +
                     _EDGE_BEFORE + r"\d+(?:\.\d+)?" + _EDGE_AFTER)  # fmt: skip
_EXCUSED = re.compile(
    "|".join(
        (
            r"[<>]?\d+(?:\.\d+)?\s?%",  # a percentage
            r"\b(?:about|just under|just over|fewer than|more than|nearly|around|almost)"
            r" \d{1,3} in \d{1,3}\b",  # a natural frequency from a share
            rf"\b(?:\d{{1,2}} )?(?:{_MONTHS})[a-z]*\.? (?:to (?:{_MONTHS})[a-z]* )?(?:19|20)\d\d\b",
            r"\b(?:19|20)\d\d-(?:[01]\d|Q[1-4])(?:-[0-3]\d)?\b",  # 2025-06, 2025-Q3, 2026-07-03
            r"\bQ[1-4] (?:19|20)\d\d\b",
            r"\bmid-(?:19|20)\d\d\b",
            r"\b(?:19|20)\d\d to (?:19|20)\d\d\b",
        )
    ),
    re.IGNORECASE,
)
# Counts of categories (rows of the table), never of people: (pattern, groups holding numbers).
_CATEGORY_COUNTS = re.compile(
    r"\band (?P<a>\d+) more in the table\b"
    r"|\b(?P<b>\d+) more (?:bars?|rows?|categories|groups|services|organisations)\b"
    r"|\b(?P<c>\d+) of (?P<d>\d+) local services?\b",
    re.IGNORECASE,
)


class CountInPresenterText(ValueError):
    """A presenter-mode text would carry a number that is not a percentage, index, period or
    date (a bug in the code that made the text, never user input)."""


@lru_cache(maxsize=4096)
def _phrase(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w.,])" + re.escape(text) + r"(?![\w]|[.,]\d)")


def check(text: str, allowed: Iterable[str] = (), *, categories: int | None = None) -> list[str]:
    """Every number in `text` that a presenter-mode text may not say, as "'993' in '...'".

    `allowed`: what the table beside the text shows (labels, category and area names); a number
    inside one of them is excused. `categories`: how many categories the text may count ("and 4
    more in the table"); None accepts any such count."""
    plain = str(text).replace("<br>", " ")
    phrases = {str(a) for a in allowed if str(a) and any(ch.isdigit() for ch in str(a))}
    for phrase in sorted(phrases | set(FIXED), key=len, reverse=True):
        if phrase not in plain:
            continue  # neither pattern can match: only compile what could
        plain = (
            _phrase(phrase).sub(" ", plain) if phrase[:1].isalnum() else plain.replace(phrase, " ")
        )
    plain = _EXCUSED.sub(" ", plain)
    problems: list[str] = []

    def category_count(match: re.Match[str]) -> str:
        numbers = [int(v) for v in match.groupdict().values() if v is not None]
        if categories is not None and any(n > categories for n in numbers):
            problems.append(f"{match.group(0)!r} counts more categories than the table has")
        return " "

    plain = _CATEGORY_COUNTS.sub(category_count, plain)
    for found in _NUMBER.finditer(plain):
        start, end = max(0, found.start() - 40), found.end() + 40
        problems.append(f"{found.group(0)!r} in {plain[start:end].strip()!r}")
    return problems


# Joins a table's texts for one pass of `check`: not a word character, not whitespace (a
# percentage's "12 %" may not reach across it), none of the characters a number's edge looks at,
# so every pattern sees it as the end of one text and the start of the next.
_SEPARATOR = "\x00"


def refuse(where: str, texts: Iterable[str], allowed: Iterable[str] = (), **kw: int | None) -> None:
    """Raise CountInPresenterText when any of `texts` fails `check`; `where` names the maker.

    The texts are checked in one pass, joined by `_SEPARATOR` (a table's six texts cost one
    check, not six); only when that pass finds a problem, or a text or an allowed phrase holds
    the separator itself, is each text checked on its own, for the exact messages."""
    texts, allowed = tuple(map(str, texts)), tuple(allowed)
    joined = _SEPARATOR.join(texts)
    if not any(_SEPARATOR in str(a) for a in allowed) and (
        joined.count(_SEPARATOR) == max(len(texts) - 1, 0)
    ):
        if not check(joined, allowed, **kw):
            return
    problems = [p for text in texts for p in check(text, allowed, **kw)]
    if problems:
        raise CountInPresenterText(
            f"presenter-mode text of {where} carries numbers that are not shares, indices, "
            f"periods or dates: {'; '.join(problems)}"
        )
