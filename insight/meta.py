"""dataset.toml: parse and check the dataset's metadata, disclosure thresholds included."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from pathlib import Path

from insight.contract import META_FILE, META_REQUIRED
from insight.model import Meta, Problem, Thresholds, month_index

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
THRESHOLD_KEYS = ("min_base", "min_cell", "round_to")


def _problem(message: str, key: str | None = None, rule: str = "meta") -> Problem:
    return Problem("contract", META_FILE, message, column=key, rule=rule)


def read_meta(folder: Path) -> tuple[Meta | None, list[Problem]]:
    """The dataset's Meta, or None with the problems that stop it being read."""
    path = folder / META_FILE
    if not path.is_file():
        return None, [
            _problem(f"{META_FILE} is missing: every dataset folder needs one", rule="meta_missing")
        ]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [_problem("is not UTF-8 text", rule="meta_unreadable")]
    except tomllib.TOMLDecodeError as error:
        return None, [_problem(f"is not valid TOML ({error})", rule="meta_unreadable")]
    problems: list[Problem] = []
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
    for key in ("period_start", "period_end"):
        if key in text and not MONTH.match(text[key]):
            problems.append(_problem('should be a month written YYYY-MM, e.g. "2025-06"', key))
            text.pop(key)
    if "period_start" in text and "period_end" in text:
        if month_index(text["period_start"]) > month_index(text["period_end"]):
            problems.append(_problem("period_start is after period_end", "period_start"))
    extract = _extract_date(data.get("extract_date"))
    if "extract_date" in data and extract is None:
        problems.append(
            _problem("should be an ISO date YYYY-MM-DD, e.g. 2025-07-04", "extract_date")
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
    )
    return meta, []


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
        else:
            values[key] = value
    return Thresholds(**values), problems
