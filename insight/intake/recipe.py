"""A prepare recipe: how one provider's extract maps to the contract (column names, the postcode
column, date order, value maps), saved as TOML and reused every month; and the recognition of
column names, with near matches suggested but never taken by themselves."""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from insight.core.contract import (
    BARRIER_PREFIX,
    BARRIERS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SERVICE_PREFIX,
    SERVICES,
    TABLES,
)
from insight.intake.guard import compact

RECIPE_VERSION = 1
RECIPE_FILE = "recipe.toml"


class PrepareError(Exception):
    """A raw file or recipe that cannot be used at all; the message is plain words."""


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


def flag_like(raw: str) -> str | None:
    """'Service - Into work support' -> 'service_into_work_support': the column a raw name that
    looks like a barrier or service flag would become. Never mapped by itself (a flag key is
    the contract's or one the provider declares with its label): prepare asks about it."""
    words = re.sub(r"[^a-z0-9]+", "_", raw.strip().lower()).strip("_")
    for prefix in (BARRIER_PREFIX, SERVICE_PREFIX):
        if words.startswith(prefix) and len(words) > len(prefix):
            return words
    return None


def recognise(raw_name: str, table: str = "participants") -> str | None:
    """The contract column a raw column name stands for, or None (near misses are not taken).
    A barrier or service column is recognised only for the contract's own keys
    ('Barrier - Housing'); any other flag-like name is asked about (`flag_like`)."""
    return _name_targets(table).get(compact(raw_name))


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
    # the provider's own keys, declared with labels as in dataset.toml ([barriers], [services])
    barriers: dict[str, str] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)

    def flag_toml(self) -> str:
        """The [barriers] and [services] tables to copy into dataset.toml ('' when none)."""
        lines: list[str] = []
        for table, declared in (("barriers", self.barriers), ("services", self.services)):
            if declared:
                lines += ["", f"[{table}]  # the provider's own keys, with their labels"]
                lines += [f"{_key(key)} = {quoted(label)}" for key, label in declared.items()]
        return "\n".join(lines) + "\n" if lines else ""

    def to_toml(self) -> str:
        lines = [
            "# Restart Insight: how this extract maps to the data contract.",
            "# Reuse it: python -m insight prepare RAW --recipe recipe.toml --out DIR",
            f"version = {RECIPE_VERSION}",
            f"table = {quoted(self.table)}",
            f"day_first = {'true' if self.day_first else 'false'}",
        ]
        if self.postcode:
            lines.append(f"postcode = {quoted(self.postcode)}  # LA derived from it, then dropped")
        if self.drop:
            lines.append("# dropped: never written to the prepared dataset")
            lines.append("drop = [" + ", ".join(quoted(name) for name in self.drop) + "]")
        lines += ["", "[columns]  # contract column = the extract's column"]
        lines += [f"{_key(name)} = {quoted(raw)}" for name, raw in self.columns.items()]
        for column, mapping in self.values.items():
            if mapping:
                lines += ["", f"[values.{_key(column)}]  # the extract's value = contract value"]
                lines += [f"{quoted(raw)} = {quoted(value)}" for raw, value in mapping.items()]
        return "\n".join(lines) + "\n" + self.flag_toml()

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
        barriers = data.get("barriers", {})
        services = data.get("services", {})
        if not (_str_map(barriers) and _str_map(services)):
            raise PrepareError(
                "the recipe's [barriers] and [services] must map keys to labels in quotes, e.g. "
                'mentoring = "Peer mentoring"'
            )
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
            barriers=dict(barriers),
            services=dict(services),
        )


def _str_map(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _key(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else quoted(text)


__all__ = [
    "OPTIONAL_COLUMNS",
    "RECIPE_FILE",
    "PrepareError",
    "Recipe",
    "flag_like",
    "near_matches",
    "quoted",
    "recognise",
    "suggest_for_missing",
]
