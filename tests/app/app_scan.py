"""Helpers for the app tests: raw counts straight from a dataset's CSV files, and every number
an AppTest run put on screen (text, plotly specs, dataframes, component arguments).

Tokenising and the counts: tests/count_oracle.py, the one count oracle the browser walk reads
too (dates and the fixed attribution text are taken out; a number followed by "%" is a share).
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

from tests import count_oracle

# Trace keys that order or style a chart, never data (plotly's default legendrank is 1000).
_NOT_DATA = {"legendrank", "opacity", "zorder"}
# Layout keys that hold pixel sizes, not data (a chart 1040 px tall is not a count of 1,040).
_LAYOUT_SIZES = {"height", "width", "size", "l", "r", "t", "b", "pad", "yshift", "xshift"}


_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


_STYLE = re.compile(r"<style>.*?</style>|<script>.*?</script>", re.DOTALL)


def numbers_in(text: str) -> set[float]:
    """The whole numbers of a text, read by the one count oracle (tests/count_oracle.py)."""
    # Markdown source escapes punctuation in dataset text (1\,235): read it as shown; a style
    # sheet (font-weight: 700) or a script's source (a timer's 1000 ms) is not shown at all (the
    # browser walk reads what a script puts on the page).
    plain = _STYLE.sub(" ", _MD_ESCAPE.sub(r"\1", str(text)))
    return {float(n) for n in count_oracle.numbers_in(plain)}


def raw_counts(folder: Path, at_least: int = count_oracle.SMALLEST_COUNT) -> frozenset[int]:
    """Counts a careless page could show (the one oracle's `dataset_counts`)."""
    return count_oracle.dataset_counts(Path(folder), at_least)


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
        # A map drawn as filled outlines (slides, print): its x and y are pixel positions of the
        # LAs' boundaries, not data; its figures are in its labels and hover text.
        outline = value.get("fill") == "toself" or (
            value.get("mode") == "lines" and value.get("hoverinfo") == "skip"
        )
        hidden_axis = in_layout and value.get("visible") is False  # its range is the canvas's
        for k, v in value.items():
            if (outline and k in ("x", "y")) or (hidden_axis and k == "range"):
                continue
            yield from _walk(v, in_layout or k == "layout", k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, in_layout, key)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, (int, float)):
        if not (in_layout and key in _LAYOUT_SIZES) and key not in _NOT_DATA:
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
