"""Helpers for the app tests: raw counts straight from a dataset's CSV files, and every number
an AppTest run put on screen (text, plotly specs, dataframes, component arguments).

Tokenising: numbers are read as whole tokens ("1,235" is 1235, "34.5" is 34.5, the digits inside
"E08000028" or "RS-000001" are not numbers), after removing month-and-year labels ("Jul 2024",
"2025-06", "2025-Q3") and the fixed attribution text ("copyright 2024", "mid-2022"). Those are
dates, not counts; they are removed only so that a count that happens to equal a year (2024,
2025, 2026) is not mistaken for a leak. Every other token is compared with the counts.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from google.protobuf.json_format import MessageToDict

from insight.core.caveat import CAVEAT
from insight.core.contract import CHARACTERISTICS
from insight.core.geo import ATTRIBUTION, SHORT_ATTRIBUTION

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DATES = re.compile(
    rf"\b(?:\d{{1,2}} )?(?:{_MONTHS})[a-z]* \d{{4}}\b"  # "Jul 2024", "3 Jul 2026", "July 2024"
    r"|\b\d{4}-(?:\d{2}|Q[1-4])(?:-\d{2})?\b"  # "2025-06", "2025-Q3", "2026-07-03"
    r"|\bmid-\d{4}\b|\b(?:19|20)\d{2} to (?:19|20)\d{2}\b"
)
_FIXED = (CAVEAT, ATTRIBUTION, SHORT_ATTRIBUTION, "database right 2024", "copyright 2024")
_NUMBER = re.compile(
    r"(?<![\w.,-])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,])|(?<![\w.,-])\d+(?:\.\d+)?(?![\w])"
)
# Layout keys that hold pixel sizes, not data (a chart 1040 px tall is not a count of 1,040).
_LAYOUT_SIZES = {"height", "width", "size", "l", "r", "t", "b", "pad", "yshift", "xshift"}


def strip_dates(text: str) -> str:
    text = text.replace("<br>", " ")  # plotly line breaks: "Jul to Sep<br>2025" is one label
    for fixed in _FIXED:
        text = text.replace(fixed, " ")
    return _DATES.sub(" ", text)


_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def numbers_in(text: str) -> set[float]:
    # Markdown source escapes punctuation in dataset text (1\,235): read it as shown.
    plain = _MD_ESCAPE.sub(r"\1", str(text))
    return {float(m.group(0).replace(",", "")) for m in _NUMBER.finditer(strip_dates(plain))}


# --- raw counts from the dataset's own files ---------------------------------------------------
def _true(series: pd.Series) -> pd.Series:
    return series.astype(str).str.strip().str.lower().isin({"true", "yes", "y", "1"})


def raw_counts(folder: Path, at_least: int = 1000) -> set[int]:
    """Counts a careless page could show: totals, per LA, per category of each characteristic
    (whole area and per LA), per barrier and service (whole area and per LA), vacancy positions
    and job entries by sector and LA. Those of `at_least` or more, with their rounded-to-5 forms."""
    people = pd.read_csv(folder / "participants.csv", dtype=str, keep_default_na=False)
    counts: list[int] = [len(people)]
    counts += people["la_code"].value_counts().tolist()
    for name in CHARACTERISTICS:
        counts += people[name].value_counts().tolist()
        counts += people.groupby("la_code")[name].value_counts().tolist()
    for column in [c for c in people.columns if c.startswith(("barrier_", "service_"))]:
        flag = _true(people[column])
        counts.append(int(flag.sum()))
        counts += flag.groupby(people["la_code"]).sum().astype(int).tolist()
        known = people[column].str.strip() != ""
        counts.append(int(known.sum()))
    for stem, weight in (("vacancies", "positions"), ("job_entries", None)):
        path = folder / f"{stem}.csv"
        if not path.exists():
            continue
        table = pd.read_csv(path, keep_default_na=False)
        values = table[weight].astype(int) if weight else pd.Series(1, index=table.index)
        counts.append(int(values.sum()))
        for by in ("la_code", "sector"):
            counts += values.groupby(table[by]).sum().astype(int).tolist()
    big = {int(c) for c in counts if c >= at_least}
    return big | {5 * round(c / 5) for c in big}


# --- everything an AppTest run shows -----------------------------------------------------------
def _decode(obj: dict) -> list[float]:
    """A plotly typed array {"dtype": "f8", "bdata": "..."} as numbers."""
    data = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
    return [float(v) for v in data.ravel() if np.isfinite(v)]


def _walk(value: object, in_layout: bool = False, key: str = "") -> Iterator[str | float]:
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            yield from _decode(value)
            return
        for k, v in value.items():
            yield from _walk(v, in_layout or k == "layout", k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, in_layout, key)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, (int, float)):
        if not (in_layout and key in _LAYOUT_SIZES):
            yield float(value)
    else:
        yield str(value)


def _json_or_text(text: str) -> Iterator[str | float]:
    try:
        yield from _walk(json.loads(text))
    except (ValueError, TypeError):
        yield text


def _frame_items(frame: pd.DataFrame) -> Iterator[str | float]:
    yield from (str(c) for c in frame.columns)
    yield from (str(i) for i in frame.index)
    for value in frame.to_numpy().ravel():
        yield float(value) if isinstance(value, (int, float, np.number)) else str(value)


def _element_items(node) -> Iterator[str | float]:
    kind = node.type
    if kind == "plotly_chart":
        yield from _json_or_text(node.proto.spec)
        return
    if kind in ("dataframe", "table"):
        yield from _frame_items(node.value)
        return
    if kind == "component_instance":
        yield from _json_or_text(node.proto.json_args)
        return
    if kind == "deck_gl_json_chart":
        yield from _json_or_text(node.proto.json)
        return
    proto = MessageToDict(node.proto, preserving_proto_field_name=True)
    for key in ("id", "form_id", "query_param_key"):
        proto.pop(key, None)
    yield from _walk(proto)


def _nodes(node) -> Iterator:
    children = getattr(node, "children", None)
    if isinstance(children, dict) and children:
        for child in children.values():
            yield from _nodes(child)
    elif getattr(node, "proto", None) is not None:
        yield node


def screen_items(at) -> list[str | float]:
    """Every string and number on screen (main, sidebar, dialogs and other event blocks), with
    plotly and component specs decoded."""
    items: list[str | float] = []
    for node in _nodes(at._tree):
        items.extend(_element_items(node))
    return items


def screen_numbers(at) -> set[float]:
    found: set[float] = set()
    for item in screen_items(at):
        if isinstance(item, float):
            found.add(item)
        else:
            found |= numbers_in(item)
    return found


def screen_text(at) -> str:
    return "\n".join(str(i) for i in screen_items(at) if isinstance(i, str))
