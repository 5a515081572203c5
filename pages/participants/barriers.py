"""Participants > Barriers: the annex's barriers to work, and one barrier by age band."""

import streamlit as st

from components import cards, charts, context
from insight.core.contract import barrier_label
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "Barriers",
    view,
    "Barriers participants report, to help commission services that target them. "
    "Participants may report more than one barrier. Pick a barrier below to see it by age band.",
    room="The barriers to work our participants report, to help commission services that "
    "target them. People may report more than one.",
)
charts.render(view.table(tables.barriers), view, key="barriers_all")
st.subheader("One barrier by age band")
keys = view.barrier_keys
default = keys.index("digital_skills") if "digital_skills" in keys else 0
barrier = st.selectbox(
    "Barrier", keys, index=default, format_func=barrier_label, key="barrier_by_age_pick"
)
if barrier is None:
    st.info("This dataset records no barriers.")
else:
    charts.render(view.table(tables.barrier_by_age, barrier), view, key="barrier_by_age")
