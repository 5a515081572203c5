"""What prepare will do, before it does it: for each mapped column, each distinct raw value, what
it becomes and on how many rows (the ones it cannot map first); and a description of the
prepared dataset read from the data itself (its first and last month) and from the file (its
extract date).

Nothing here writes anything. A raw value that looks like personal data is described, never
quoted (insight.intake.guard decides what looks personal); a postcode is never listed at all:
the LAs they give are, with how many postcodes and rows gave each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from insight.core.dates import long_date
from insight.core.geo import la_name
from insight.core.periods import month_index, month_name, month_text
from insight.intake.guard import looks_personal

SHOWN_VALUES = 60  # distinct values listed per column; the rest are counted
BLANK = "(blank)"
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class ValueMap:
    """One distinct raw value of a column: what it becomes ('' when it cannot be mapped)."""

    raw: str  # as shown: a personal-looking value is described, never quoted
    becomes: str
    rows: int
    why: str = ""  # why it cannot be mapped

    @property
    def mapped(self) -> bool:
        return bool(self.becomes)


@dataclass(frozen=True)
class ColumnPreview:
    """A mapped column: its values, the ones that cannot be mapped first, then most rows first."""

    column: str  # the contract column
    raw_column: str  # the extract's column
    values: tuple[ValueMap, ...]
    more_values: int = 0  # distinct values beyond SHOWN_VALUES, and their rows
    more_rows: int = 0
    note: str = ""  # for a column kept as written (no values listed)
    counted: str = "distinct value"  # what the heading counts
    via: str = ""  # how the column is made, after its name ('from postcodes, then dropped')

    @property
    def unmapped(self) -> tuple[ValueMap, ...]:
        return tuple(v for v in self.values if not v.mapped and v.raw != BLANK)

    @property
    def unmapped_rows(self) -> int:
        return sum(v.rows for v in self.unmapped)

    def heading(self) -> str:
        """'Council' -> la_code: 43 distinct values, 2 cannot be mapped (5 rows)."""
        name = f"'{self.raw_column}' -> {self.column}" + (f" ({self.via})" if self.via else "")
        if self.note:
            return f"{name}: {self.note}"
        listed = [v for v in self.values if v.raw != BLANK and (v.mapped or not self.via)]
        distinct = len(listed) + self.more_values
        text = f"{name}: {distinct:,} {self.counted}" + ("" if distinct == 1 else "s")
        bad = self.unmapped
        if bad:
            noun = "row" if self.unmapped_rows == 1 else "rows"
            text += f", {len(bad):,} cannot be mapped ({self.unmapped_rows:,} {noun})"
        return text

    def lines(self) -> list[str]:
        """The heading, then one line a value (for the command line)."""
        out = [self.heading()]
        for value in self.values:
            becomes = value.becomes or f"NOT MAPPED: {value.why}"
            out.append(f"    {value.raw} -> {becomes} ({rows(value.rows)})")
        if self.more_values:
            out.append(
                f"    ... and {self.more_values:,} more values ({rows(self.more_rows)}), all mapped"
            )
        return out


def rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


def month_words(value: str) -> str:
    """'2024-07' -> '2024-07 (July 2024)'."""
    return f"{value} ({_MONTH_NAMES[int(value[5:7]) - 1]} {value[:4]})"


def la_words(code: str) -> str:
    """'E08000025' -> 'E08000025 Sandwell'."""
    name = la_name(code)
    return code if name == code else f"{code} {name}"


def shown_value(value: str) -> str:
    """A raw value as the preview may show it: quoted, or described if it looks personal."""
    personal = looks_personal(value)
    return f"a value that looks like {personal} (not shown)" if personal else repr(value[:60])


def column_preview(
    column: str,
    raw_column: str,
    uniques: Sequence[str],
    mapped: Sequence[str | None],
    codes: np.ndarray,
    *,
    words: Callable[[str], str] = str,
    why: Callable[[str], str] = lambda value: "cannot be mapped",
    limit: int = SHOWN_VALUES,
) -> ColumnPreview:
    """Each distinct value of a column with what it becomes (`mapped`, None where it cannot be
    mapped) and its rows (`codes`: each row's position in `uniques`, -1 for blank)."""
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    blank = int(np.count_nonzero(codes < 0))
    order = sorted(
        range(len(uniques)), key=lambda p: (mapped[p] is not None, -int(counts[p]), uniques[p])
    )
    values = []
    for position in order[:limit]:
        value, found = uniques[position], mapped[position]
        values.append(
            ValueMap(
                shown_value(value),
                words(found) if found is not None else "",
                int(counts[position]),
                "" if found is not None else why(value),
            )
        )
    rest = order[limit:]
    if blank:
        values.append(ValueMap(BLANK, "left blank", blank))
    return ColumnPreview(
        column,
        raw_column,
        tuple(values),
        more_values=len(rest),
        more_rows=int(sum(int(counts[p]) for p in rest)),
    )


def postcode_preview(
    raw_column: str,
    mapped: pa.Array,
    why_not: np.ndarray,
    reasons: Sequence[str],
    codes: np.ndarray,
) -> ColumnPreview:
    """The LAs full postcodes give, each with how many postcodes and rows gave it; postcodes
    that give none grouped by why (`why_not` indexes `reasons` for each distinct postcode, 0
    where it gave an LA). No postcode is ever listed. Grouped in arrow: a million rows hold a
    few hundred thousand distinct postcodes."""
    counts = np.bincount(codes[codes >= 0], minlength=len(mapped))
    grouped = (
        pa.table({"la": mapped, "why": pa.array(why_not, pa.int64()), "rows": counts})
        .group_by(["la", "why"])
        .aggregate([("rows", "sum"), ("rows", "count")])
        .to_pylist()
    )
    blank = int(np.count_nonzero(codes < 0))
    found = [
        (g["la"] or "", "" if g["la"] else reasons[g["why"]], g["rows_count"], g["rows_sum"])
        for g in grouped
    ]
    if blank:
        found.append(("", "a blank postcode gives no LA", 0, blank))
    values = [
        ValueMap(
            f"{postcodes:,} postcode{'' if postcodes == 1 else 's'} (not shown)"
            if postcodes
            else "blank postcodes",
            la_words(la) if la else "",
            rows,
            why,
        )
        for la, why, postcodes, rows in sorted(found, key=lambda f: (bool(f[0]), -f[3], f))
    ]
    return ColumnPreview(
        "la_code", raw_column, tuple(values), counted="LA", via="from postcodes, then dropped"
    )


def kept_as_written(column: str, raw_column: str, values: pa.Array) -> ColumnPreview:
    """A free-text column (participant_id, sector...): kept as written, its values not listed.
    (Counting its distinct values cost a second or two on a million identifiers: the checks
    find repeated ones anyway.)"""
    filled = len(values) - values.null_count
    noun = "value" if filled == 1 else "values"
    return ColumnPreview(
        column, raw_column, (), note=f"kept as written ({filled:,} {noun}, not listed)"
    )


def text(previews: Sequence[ColumnPreview]) -> str:
    """Every column's preview, the columns with values that cannot be mapped first."""
    lines = ["What each column becomes (values that cannot be mapped first):"]
    for preview in ordered(previews):
        lines += ["  " + line for line in preview.lines()]
    return "\n".join(lines)


def ordered(previews: Sequence[ColumnPreview]) -> list[ColumnPreview]:
    """Columns with values that cannot be mapped first, then in the contract's order."""
    return sorted(previews, key=lambda p: not p.unmapped)


# --- the description, read from the data and the file ----------------------------------------
@dataclass(frozen=True)
class Description:
    """What dataset.toml can say without being typed: the period and the extract date."""

    period_start: str | None  # 'YYYY-MM': the data's first month (None: no month column)
    period_end: str | None  # the data's last month
    extract_date: date
    extract_from: str  # where the extract date came from, in words


def month_range(table: pa.Table | None, columns: Sequence[str]) -> tuple[str, str] | None:
    """The first and last 'YYYY-MM' in the table's month columns, or None."""
    if table is None:
        return None
    found: list[int] = []
    for name in columns:
        if name not in table.column_names:
            continue
        extremes = pc.min_max(table[name])
        for value in (extremes["min"].as_py(), extremes["max"].as_py()):
            if value:
                found.append(month_index(value))
    if not found:
        return None
    return month_text(min(found)), month_text(max(found))


_ISO_IN_NAME = re.compile(r"(?<!\d)(20\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_DMY_IN_NAME = re.compile(r"(?<!\d)(0?[1-9]|[12]\d|3[01])[-_.](0?[1-9]|1[0-2])[-_.](20\d\d)(?!\d)")


def date_in_name(name: str) -> date | None:
    """A date written in a file name ('extract_2026-07-03.csv', 'MI 03.07.2026.xlsx')."""
    for pattern, order in ((_ISO_IN_NAME, (1, 2, 3)), (_DMY_IN_NAME, (3, 2, 1))):
        match = pattern.search(name)
        if match:
            year, month, day = (int(match[i]) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def describe(
    table: pa.Table | None,
    month_columns: Sequence[str],
    file_name: str,
    modified: date | None = None,
    today: date | None = None,
) -> Description:
    """The period from the data's first and last month; the extract date from a date in the file
    name, else the file's modified date, else today."""
    months = month_range(table, month_columns)
    named = date_in_name(file_name)
    if named is not None:
        extract, source = named, "the file's name"
    elif modified is not None:
        extract, source = modified, "the file's modified date"
    else:
        extract, source = today or date.today(), "today's date"
    return Description(
        months[0] if months else None, months[1] if months else None, extract, source
    )


def filled_in(first: str | None, last: str | None, extracted: date, source: str) -> str:
    """What was filled in for the user, and from where, in one sentence."""
    if first and last and first != last:
        period = (
            f"the period {month_name(month_index(first))} to {month_name(month_index(last))} "
            "from the data's first and last month, "
        )
    elif first and last:
        period = f"the period {month_name(month_index(first))}, the data's only month, "
    else:
        period = ""
    return f"Filled in: {period}the extract date {long_date(extracted)} from {source}."


__all__ = [
    "BLANK",
    "SHOWN_VALUES",
    "ColumnPreview",
    "Description",
    "ValueMap",
    "column_preview",
    "date_in_name",
    "describe",
    "filled_in",
    "kept_as_written",
    "la_words",
    "month_range",
    "month_words",
    "ordered",
    "postcode_preview",
    "shown_value",
    "text",
]
