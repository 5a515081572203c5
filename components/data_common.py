"""What the Data page's workflows share: the refusal report, a dataset's name and audience, the
short description that writes dataset.toml, and each workflow's result shown beside the button
that made it (never at the top of a long page, where the user is not looking).

The workflows (components.data_*) are handed what they may do as a `DataActions`, built by the
page: checking and keeping a folder, showing a kept dataset, opening a folder on the server.
Only the page (pages/data/data.py) reaches the session's dataset; a component never does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from components.text import literal
from insight.core.periods import month_index, month_text
from insight.core.problems import Report
from insight.service.view import PageView
from insight.sharing import datasets

FLASH = "data_page_flash"  # a short message for the top of the page (the kept list's actions)
_RESULT = "data_result_{}"  # a workflow's result, shown where its button is


@dataclass(frozen=True)
class DataActions:
    """What the page lets its workflows do."""

    view: PageView
    kept_now: str | None  # the kept dataset this session shows
    # check a staging folder whole and keep it: (folder, name, replace, audience) -> a message
    # for beside the button, or None when refused (the report is shown)
    keep: Callable[[Path, str, bool, datasets.Audience], str | None]
    show: Callable[[str | None], None]  # show a kept dataset (None: the default) in this session
    open_folder: Callable[[Path], str | None]  # check and show a server folder; a message or None


def show_report(report: Report) -> None:
    st.error(
        "Refused: the dataset on screen is unchanged and nothing from this one is kept. "
        "What the checks found:",
        icon=":material/block:",
    )
    for heading, problems, left_out in report.grouped():
        st.markdown(f"**{heading}**")
        st.markdown("\n".join(f"- {literal(p.text())}" for p in problems))
        if left_out:
            st.caption(f"... and {left_out} more of the same kinds.")


def name_problem(name: str) -> str | None:
    if not name.strip():
        return "Give the dataset a name to keep it under."
    if not datasets.valid_name(name.strip()):
        return f"'{name[:40]}' cannot be a dataset name: use {datasets.NAME_RULE}."
    return None


def audience_box(key: str) -> datasets.Audience:
    """Who may open a dataset kept by name (data managers only unless chosen)."""
    return st.selectbox(
        "Who may open it by its link",
        list(datasets.AUDIENCES),
        format_func=datasets.AUDIENCES.__getitem__,
        key=key,
        help="A viewer opens only datasets kept for everyone; any other name answers as if it "
        "were not kept.",
    )


# --- the description (dataset.toml) ----------------------------------------------------------
def _month_box(label: str, key: str, options: list[int], chosen: int | None, where: object) -> str:
    index = options.index(chosen) if chosen in options else None
    picked = where.selectbox(  # type: ignore[attr-defined]
        label,
        options,
        index=index,
        format_func=lambda i: f"{_FULL[i % 12]} {i // 12}",
        key=key,
        placeholder="Choose a month",
    )
    return month_text(picked) if picked is not None else ""


_FULL = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def describe_form(
    prefix: str,
    *,
    first: str | None = None,
    last: str | None = None,
    extracted: date | None = None,
    provider: str = "",
    area: str = "",
) -> str | None:
    """The short form that writes dataset.toml, filled in with what is known (the data's first
    and last month, the extract date, the provider and area on screen); months are chosen from
    a list and the extract date from a calendar, never typed in ISO form. Returns the TOML
    text, or None when the form is left empty."""
    known = [month_index(m) for m in (first, last) if m]
    centre = known or [month_index(date.today().strftime("%Y-%m"))]
    options = list(range(min(centre) - 36, max(centre) + 13))
    provider_name = st.text_input("Provider name", value=provider, key=f"{prefix}_provider")
    area_name = st.text_input("Area name", value=area, key=f"{prefix}_area")
    start, end, when = st.columns(3)
    period_start = _month_box(
        "First month", f"{prefix}_start", options, month_index(first) if first else None, start
    )
    period_end = _month_box(
        "Last month", f"{prefix}_end", options, month_index(last) if last else None, end
    )
    extract = when.date_input(
        "Extract date", value=extracted, format="DD/MM/YYYY", key=f"{prefix}_extract"
    )
    email = st.text_input("Performance Manager email (optional)", key=f"{prefix}_email")
    extract_text = extract.isoformat() if isinstance(extract, date) else ""
    if not any((provider_name, area_name, period_start, period_end, extract_text)):
        return None
    return datasets.meta_toml(
        provider_name, area_name, period_start, period_end, extract_text, email
    )


# --- a workflow's result, beside its button ------------------------------------------------------
def set_result(workflow: str, message: str, kept: str | None = None) -> None:
    """Remember a workflow's result for the next run, to show where its button is."""
    st.session_state[_RESULT.format(workflow)] = (message, kept)


def show_result(workflow: str) -> None:
    """The workflow's last result (once), with a link to present a meeting on the dataset kept."""
    found = st.session_state.pop(_RESULT.format(workflow), None)
    if found is None:
        return
    message, kept = found
    st.success(message, icon=":material/check_circle:")
    if kept:
        present_link(kept, key=f"present_{workflow}")


def present_link(name: str, *, key: str) -> None:
    """'Present a meeting on this dataset': the ready-made meeting for the whole area, as slides,
    on the kept dataset (its name in the link, so the projector window opens it too)."""
    with st.container(key=key):
        st.page_link(
            "pages/meetings/slides.py",
            label="Present a meeting on this dataset",
            icon=":material/slideshow:",
            query_params={"meeting": "auto", "la": "all", "period": "whole", "dataset": name},
            help="The ready-made meeting for the whole area, as slides, in presenter mode",
        )


__all__ = [
    "FLASH",
    "DataActions",
    "audience_box",
    "describe_form",
    "name_problem",
    "present_link",
    "set_result",
    "show_report",
    "show_result",
]
