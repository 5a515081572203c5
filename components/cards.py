"""Headline cards, talking points and text insights: shares and words, never counts."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.text import literal
from insight.numbers.narrative import listing
from insight.numbers.tables import Headline
from insight.service.view import PageView


def area_name(view: PageView) -> str:
    """The area on screen, as the room should read it: the LA's name, or the whole area's."""
    return view.area_label()


def page_heading(title: str, view: PageView, intro: str = "", room: str | None = None) -> None:
    """The page's heading with the area on screen ("Barriers — Sandwell"), so the room can tell
    which Local Authority it is looking at, and the intro: `intro` speaks to the person at the
    controls (standard mode); in presenter mode `room` speaks to the people watching instead
    (None: no intro at all)."""
    st.title(f"{literal(title)} — {literal(area_name(view))}", anchor=False)
    text = room if view.selection.mode == "presenter" else intro
    if text:
        st.caption(literal(text))


def headline_cards(items: list[Headline], per_row: int = 5) -> None:
    """Headline shares as cards: the label wraps (st.metric would cut it short), the share is
    large, the whole-area comparison sits under it."""
    if not items:
        st.info("No headline figures for this selection.")
        return
    per_row = min(per_row, len(items))
    for start in range(0, len(items), per_row):
        row = items[start : start + per_row]
        for n, (column, item) in enumerate(zip(st.columns(per_row), row, strict=False)):
            # The row's other labels sit under the card's own, hidden, so each label takes the
            # height of the row's tallest and the figures line up across the row.
            spacers = "".join(
                f'<p class="ri-card-label ri-card-spacer" aria-hidden="true">'
                f"{html.escape(other.label)}</p>"
                for other in row
                if other is not item
            )
            with column.container(border=True, key=f"card_{start + n}"):
                st.markdown(
                    f'<div class="ri-card-labels"><p class="ri-card-label">'
                    f"{html.escape(item.label)}</p>{spacers}</div>"
                    f'<p class="ri-card-value">{html.escape(item.value)}</p>',
                    unsafe_allow_html=True,
                )
                if item.comparison:
                    st.caption(literal(item.comparison))


def talking_points(points: list[str]) -> None:
    if not points:
        st.info("No talking points for this selection: too few people to describe safely.")
        return
    st.markdown("\n".join(f"- {literal(p)}" for p in points))


_INSIGHT_FACTS = (
    ("category", "Kind"),
    ("recommendation", "Recommendation"),
    ("approach", "Approach"),
    ("barriers", "Barriers"),
    ("las", "Where"),
)
_PLAN_FACTS = (
    ("status", "Status"),
    ("barrier", "Barrier"),
    ("start", "From"),
    ("end", "To"),
    ("las", "Where"),
)


def _fact(value: object) -> str:
    """A fact as a reader sees it: a list in words ("Herefordshire, County of and Shropshire";
    commas alone made that LA's name look like two places)."""
    if isinstance(value, (tuple, list)):
        value = listing([str(v) for v in value])
    text = "" if value is None else str(value).strip()
    return "" if text.lower() in {"", "nan", "none", "<na>"} else text


CARDS_PER_ROW = 2  # cards side by side: ten plans in one column made a 2,800 px page


def _card_cells(count: int) -> list[DeltaGenerator]:
    """One bordered container per card, two to a row in reading order (left, right, then the
    next row), so a long list of plans or insights takes half the height."""
    cells: list[DeltaGenerator] = []
    for start in range(0, count, CARDS_PER_ROW):
        row = st.columns(CARDS_PER_ROW)
        cells.extend(
            row[i].container(border=True) for i in range(min(CARDS_PER_ROW, count - start))
        )
    return cells


def text_cards(
    frame: pd.DataFrame | None, empty: str, facts: tuple[tuple[str, str], ...] = _INSIGHT_FACTS
) -> None:
    """Rows of text (a title, a description, and facts about where and what) as cards."""
    if frame is None or frame.empty:
        st.info(empty)
        return
    body = "text" if "text" in frame.columns else "description"
    for row, cell in zip(frame.itertuples(index=False), _card_cells(len(frame)), strict=True):
        with cell:
            st.markdown(f"**{literal(row.title)}**")
            st.markdown(literal(getattr(row, body, "")))
            shown = [
                f"{name}: {_fact(getattr(row, field, ''))}"
                for field, name in facts
                if _fact(getattr(row, field, ""))
            ]
            if shown:
                st.caption(literal(" · ".join(shown)))


def insight_cards(frame: pd.DataFrame | None, empty: str) -> None:
    text_cards(frame, empty, _INSIGHT_FACTS)


# The annex's own questions, what works first: what to buy more of, increase, continue, then
# what could be improved and what to stop. Each recommendation is shown as a label, not a colour.
RECOMMENDATION_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("Buy more", "What to buy more of", "green"),
    ("Increase", "What to increase", "green"),
    ("Continue", "What to continue", "blue"),
    ("Improve", "What to improve", "orange"),
    ("Stop", "What to stop", "red"),
)
_OTHER_GROUP = "Other insights"


def grouped_insight_cards(frame: pd.DataFrame | None, empty: str) -> None:
    """Delivery insights grouped by the annex's question (what to buy more of, increase,
    continue, improve, stop), what works first, each card labelled with its recommendation."""
    if frame is None or frame.empty:
        st.info(empty)
        return
    recommendation = frame["recommendation"].astype(str)
    known = {label for label, _, _ in RECOMMENDATION_GROUPS}
    groups = [(label, heading, colour) for label, heading, colour in RECOMMENDATION_GROUPS]
    if (~recommendation.isin(known)).any():
        groups.append(("", _OTHER_GROUP, "gray"))
    for label, heading, colour in groups:
        rows = frame[recommendation == label] if label else frame[~recommendation.isin(known)]
        if rows.empty:
            continue
        st.subheader(heading)
        for row, cell in zip(rows.itertuples(index=False), _card_cells(len(rows)), strict=True):
            with cell:
                badge = f":{colour}-badge[{literal(label)}] " if label else ""
                st.markdown(f"{badge}**{literal(row.title)}**")
                st.markdown(literal(getattr(row, "text", "")))
                shown = [
                    f"{name}: {_fact(getattr(row, field, ''))}"
                    for field, name in _INSIGHT_FACTS
                    if field != "recommendation" and _fact(getattr(row, field, ""))
                ]
                if shown:
                    st.caption(literal(" · ".join(shown)))


def plan_cards(frame: pd.DataFrame | None, empty: str) -> None:
    text_cards(frame, empty, _PLAN_FACTS)
