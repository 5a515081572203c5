"""What works: delivery insights (what to buy more of, increase, continue, stop, improve),
filterable by barrier and recommendation."""

import streamlit as st

from components import cards, context
from insight.core.contract import RECOMMENDATIONS, barrier_label
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "What works",
    view,
    "Insights from delivery: innovative approaches that are working, and what could be "
    "improved. To support commissioning choices and continuous improvement. Filter by barrier "
    "and recommendation below.",
    room="What we have learnt in delivery: approaches that are working, and what could be "
    "improved.",
)
left, right = st.columns(2)
barrier = left.selectbox(
    "Barrier",
    [None, *view.barrier_keys],
    format_func=lambda k: "All barriers" if k is None else barrier_label(k),
    key="ww_barrier",
)
recommendation = right.selectbox(
    "Recommendation",
    [None, *RECOMMENDATIONS],
    format_func=lambda k: "All recommendations" if k is None else RECOMMENDATIONS[k],
    key="ww_recommendation",
)
found = view.table(tables.insights, ("what_works", "improvement"), barrier, recommendation)
cards.grouped_insight_cards(found, "No delivery insights match these filters for this area.")
