"""Participants > Service usage: the share of participants in each element of the service now."""

import streamlit as st

from components import charts, context
from insight import tables

ds, sel = context.current()
st.title("Service usage")
st.caption(
    "Which parts of the service participants are in now (skills training, work placements and "
    "other elements): a sense of demand for each kind of support."
)
charts.render(context.safe(tables.services), ds.meta, sel, key="services")
