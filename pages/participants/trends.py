"""Participants > Trends: a barrier or a service element over time, by start month or quarter."""

import streamlit as st

from components import cards, charts, context
from insight.core.contract import barrier_label, service_label
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "Trends",
    view,
    "How the share reporting a barrier, or in a service element, changes over time. Choose "
    "what to show, and by quarter or month, below.",
    room="How the share reporting a barrier, or in a service element, has changed over time.",
)
left, middle, right = st.columns([1, 2, 1])
kind = left.radio(
    "Show",
    ["barrier", "service"],
    format_func=lambda k: "A barrier" if k == "barrier" else "A service element",
    key="trend_kind",
)
if kind == "barrier":
    key = middle.selectbox("Barrier", view.barrier_keys, format_func=barrier_label, key="trend_b")
else:
    key = middle.selectbox(
        "Service element", view.service_keys, format_func=service_label, key="trend_s"
    )
freq = right.radio(
    "By",
    ["quarter", "month"],
    format_func=lambda f: "Quarter" if f == "quarter" else "Month",
    key="trend_freq",
)
if key is None:
    st.info(f"This dataset records no {kind} columns.")
else:
    charts.render(view.table(tables.trend, kind, key, freq), view, key="trend")
