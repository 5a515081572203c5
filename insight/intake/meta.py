"""dataset.toml: parse and check the dataset's metadata, disclosure thresholds included."""

from __future__ import annotations

import calendar
import difflib
import re
import tomllib
from datetime import date, datetime
from pathlib import Path

from insight.core.contract import (
    BARRIERS,
    FLAG_KEY_MAX,
    FLAG_LABEL_MAX,
    FLAG_TABLES,
    META_FILE,
    META_OPTIONAL,
    META_REQUIRED,
    SERVICES,
)
from insight.core.dataset import Meta
from insight.core.dates import long_date
from insight.core.periods import month_index
from insight.core.problems import Problem
from insight.core.thresholds import Thresholds
from insight.intake import screen
from insight.intake.vocabulary import performance_name_terms

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
THRESHOLD_KEYS = ("min_base", "min_cell", "round_to")
# The strictest each threshold may be: beyond these every figure would be hidden, which is a
# mistake in the file rather than a choice (min_base = 1e20 was once accepted).
THRESHOLD_MAX = {"min_base": 1000, "min_cell": 100, "round_to": 100}
FIRST_YEAR, LAST_YEAR = 2015, 2040  # a period must lie within these years
MAX_PERIOD_MONTHS = 120  # ten years
MAX_META_BYTES = 64 * 1024  # a dataset.toml holds a dozen lines


def _problem(message: str, key: str | None = None, rule: str = "meta") -> Problem:
    return Problem("contract", META_FILE, message, column=key, rule=rule)


def _screened(key: str, value: str) -> list[Problem]:
    """provider_name and area_name through the free-text screen. They name an organisation and a
    place, so no name, address or postcode rule applies, and a value holding only para 5 words or
    counts is quoted back (it is not personal); a personal detail never is."""
    kinds = screen.findings(value, organisation=True)
    if not kinds:
        return []
    personal = [kind for kind in kinds if kind in screen.PERSONAL_KINDS + (screen.SMALL_COUNT,)]
    if personal:
        return [
            Problem(
                "personal_data",
                META_FILE,
                f"holds {personal[0]}: remove it",
                column=key,
                para="para 7",
                rule="personal_value",
            )
        ]
    return [
        Problem(
            "performance_data",
            META_FILE,
            f"'{value[:80]}' holds {kinds[0]}: remove it",
            column=key,
            para="para 5",
            rule="count_text" if kinds[0] == screen.COUNT else "performance_text",
        )
    ]


def read_meta(folder: Path) -> tuple[Meta | None, list[Problem]]:
    """The dataset's Meta, or None with the problems that stop it being read."""
    path = folder / META_FILE
    if not path.is_file():
        return None, [
            _problem(f"{META_FILE} is missing: every dataset folder needs one", rule="meta_missing")
        ]
    if path.stat().st_size > MAX_META_BYTES:
        return None, [
            _problem(
                f"is larger than {MAX_META_BYTES // 1024} KB: it should hold a dozen lines of "
                "settings",
                rule="meta_unreadable",
            )
        ]
    try:
        # utf-8-sig: a byte-order mark (Windows Notepad writes one) is read past, not refused
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        return None, [_problem("is not UTF-8 text", rule="meta_unreadable")]
    except tomllib.TOMLDecodeError as error:
        return None, [_problem(f"is not valid TOML ({error})", rule="meta_unreadable")]
    except RecursionError:
        return None, [
            _problem(
                "is not valid TOML (its tables or lists are nested too deeply)",
                rule="meta_unreadable",
            )
        ]
    except (ValueError, MemoryError):  # anything else the parser gives up on
        return None, [_problem("is not valid TOML", rule="meta_unreadable")]
    problems: list[Problem] = []
    known = META_REQUIRED + META_OPTIONAL
    for key in data:
        if key not in known:  # a misspelt setting is lost silently, and a stray one carries data
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            hint = f"did you mean '{near[0]}'? " if near else ""
            problems.append(
                _problem(
                    f"is not a setting dataset.toml has; {hint}The settings are "
                    f"{', '.join(known)}: correct its name or remove it",
                    key,
                    "meta_unknown_key",
                )
            )
    for key in META_REQUIRED:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(_problem("a required key is missing or blank", key, "meta_missing_key"))
    text: dict[str, str] = {}
    for key in ("provider_name", "area_name", "period_start", "period_end"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(_problem("should be text in quotes", key))
        elif isinstance(value, str) and value.strip():
            text[key] = value.strip()
    for key in ("provider_name", "area_name"):  # printed on every page: both bans apply
        if key in text:
            problems += _screened(key, text[key])
    for key in ("period_start", "period_end"):
        if key in text and not MONTH.match(text[key]):
            problems.append(_problem('should be a month written YYYY-MM, e.g. "2025-06"', key))
            text.pop(key)
    for key in ("period_start", "period_end"):
        if key in text and not FIRST_YEAR <= int(text[key][:4]) <= LAST_YEAR:
            problems.append(
                _problem(f"should be a month from {FIRST_YEAR} to {LAST_YEAR}", key, "meta_period")
            )
            text.pop(key)
    if "period_start" in text and "period_end" in text:
        months = month_index(text["period_end"]) - month_index(text["period_start"]) + 1
        if months < 1:
            problems.append(_problem("period_start is after period_end", "period_start"))
        elif months > MAX_PERIOD_MONTHS:
            problems.append(
                _problem(
                    f"the period is {months} months long; it may be at most ten years "
                    f"({MAX_PERIOD_MONTHS} months)",
                    "period_start",
                    "meta_period",
                )
            )
    extract = _extract_date(data.get("extract_date"))
    if "extract_date" in data and extract is None:
        problems.append(
            _problem("should be an ISO date YYYY-MM-DD, e.g. 2025-07-04", "extract_date")
        )
    elif extract is not None and "period_end" in text:
        end = _month_end(text["period_end"])
        if extract < end:
            problems.append(
                _problem(
                    f"{long_date(extract)} is before the period ends ({long_date(end)}): the data "
                    "cannot have been extracted before the period it covers was over",
                    "extract_date",
                    "meta_period",
                )
            )
    email = data.get("performance_manager_email")
    if email is not None and (not isinstance(email, str) or "@" not in email):
        problems.append(
            _problem("should be an email address in quotes", "performance_manager_email")
        )
    synthetic = data.get("synthetic", False)
    if not isinstance(synthetic, bool):
        problems.append(_problem("should be true or false", "synthetic"))
    thresholds, threshold_problems = _thresholds(data.get("disclosure"))
    problems.extend(threshold_problems)
    declared: dict[str, tuple[tuple[str, str], ...]] = {}
    for table in FLAG_TABLES:
        declared[table], flag_problems = declared_flags(table, data.get(table))
        problems.extend(flag_problems)
    if problems or extract is None:
        return None, problems
    meta = Meta(
        provider_name=text["provider_name"],
        area_name=text["area_name"],
        period_start=text["period_start"],
        period_end=text["period_end"],
        extract_date=extract,
        performance_manager_email=email.strip() if isinstance(email, str) else None,
        synthetic=bool(synthetic),
        thresholds=thresholds,
        declared_barriers=declared["barriers"],
        declared_services=declared["services"],
    )
    return meta, []


def _month_end(month: str) -> date:
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, calendar.monthrange(year, number)[1])


def _extract_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _thresholds(table: object) -> tuple[Thresholds, list[Problem]]:
    """A [disclosure] table may make the thresholds stricter (larger), never looser."""
    if table is None:
        return Thresholds(), []
    if not isinstance(table, dict):
        return Thresholds(), [
            _problem("should be a [disclosure] table", "disclosure", "disclosure")
        ]
    problems = []
    values: dict[str, int] = {}
    default = Thresholds()
    for key, value in table.items():
        where = f"disclosure.{key}"
        if key not in THRESHOLD_KEYS:
            problems.append(
                _problem(
                    f"is not a disclosure setting (use {', '.join(THRESHOLD_KEYS)})",
                    where,
                    "disclosure",
                )
            )
        elif not isinstance(value, int) or isinstance(value, bool):
            problems.append(_problem("should be a whole number", where, "disclosure"))
        elif value < getattr(default, key):
            problems.append(
                _problem(
                    f"{value} is looser than the default {getattr(default, key)}; a dataset may "
                    "only make disclosure control stricter",
                    where,
                    "disclosure",
                )
            )
        elif value > THRESHOLD_MAX[key]:
            problems.append(
                _problem(
                    f"{value:,} is more than {THRESHOLD_MAX[key]:,}, the strictest allowed "
                    f"(from {getattr(default, key)} to {THRESHOLD_MAX[key]:,}): at that setting "
                    "almost every figure would be hidden",
                    where,
                    "disclosure",
                )
            )
        else:
            values[key] = value
    return Thresholds(**values), problems


FLAG_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_CONTRACT_KEYS = {"barriers": BARRIERS, "services": SERVICES}
_EXAMPLE = {
    "barriers": 'caring_responsibilities = "Caring responsibilities"',
    "services": 'interview_training = "Interview training"',
}


def declared_flags(table: str, value: object) -> tuple[tuple[tuple[str, str], ...], list[Problem]]:
    """A [barriers] or [services] table: the provider's own keys (lower case letters, digits and
    _) each with its label. A key or label in the para 5 vocabulary is refused: declaring it does
    not make 'into work' a service."""
    if value is None:
        return (), []
    example = _EXAMPLE[table]
    if not isinstance(value, dict):
        return (), [
            _problem(
                f'should be a [{table}] table of key = "label" lines, e.g. {example}',
                table,
                "meta_flags",
            )
        ]
    problems = []
    out = []
    for key, label in value.items():
        where = f"{table}.{key}"
        if not isinstance(key, str) or not FLAG_KEY.match(key) or len(key) > FLAG_KEY_MAX:
            problems.append(
                _problem(
                    f"is not a key: use lower-case letters, digits and _ (at most {FLAG_KEY_MAX} "
                    f"characters), as in the column name after '{table[:-1]}_', e.g. {example}",
                    where,
                    "meta_flags",
                )
            )
            continue
        if key in _CONTRACT_KEYS[table]:
            problems.append(
                _problem(
                    f"is one of the contract's own keys, with its own label: remove it from "
                    f"[{table}]",
                    where,
                    "meta_flags",
                )
            )
            continue
        if not isinstance(label, str) or not label.strip() or len(label) > FLAG_LABEL_MAX:
            problems.append(
                _problem(
                    f"needs a label in quotes, at most {FLAG_LABEL_MAX} characters: the words "
                    f"shown for it on every page, e.g. {example}",
                    where,
                    "meta_flags",
                )
            )
            continue
        terms = performance_name_terms(key) + performance_name_terms(label)
        if terms:
            problems.append(
                Problem(
                    "performance_data",
                    META_FILE,
                    f"declares a key or label with '{terms[0]}', the word of a DWP performance "
                    "measure (Annex 7.6 para 5): barrier and service keys are support the "
                    "provider gives, never results such as job outcomes. Remove it, and its "
                    "column",
                    column=where,
                    para="para 5",
                    rule="performance_words",
                )
            )
            continue
        out.append((key, " ".join(label.split())))
    return tuple(out), problems
