"""Commissioning: plans for additional services, and planned referrals to local provision
against each organisation's capacity, so small local organisations are not overloaded."""

import streamlit as st

from components import cards, charts, context
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "Commissioning",
    view,
    "Early sight of plans, to avoid duplication, and of planned referrals against each local "
    "organisation's capacity, to avoid overloading smaller organisations.",
    room="Our plans, early, to avoid duplication; and our planned referrals against each local "
    "organisation's capacity, so no one is overloaded.",
)
st.header("Plans for additional services")
cards.plan_cards(view.table(tables.plans), "No commissioning plans recorded for this area.")

st.header("Planned referrals against capacity")
# The chart's headline says how many services are over capacity, and it ranks them fullest
# first with over-capacity bars hatched and labelled: no alert box repeats it.
provision = view.table(tables.provision)
charts.render(provision, view, key="provision")
