"""Commissioning: plans for additional services, and planned referrals to local provision
against each organisation's capacity, so small local organisations are not overloaded."""

import streamlit as st

from components import cards, charts, context
from insight.numbers import tables

ds, sel = context.current()
cards.page_heading(
    "Commissioning",
    ds,
    sel,
    "Early sight of plans, to avoid duplication, and of planned referrals against each local "
    "organisation's capacity, to avoid overloading smaller organisations.",
    room="Our plans, early, to avoid duplication; and our planned referrals against each local "
    "organisation's capacity, so no one is overloaded.",
)
st.header("Plans for additional services")
cards.plan_cards(context.safe(tables.plans), "No commissioning plans recorded for this area.")

st.header("Planned referrals against capacity")
# The chart's headline says how many services are over capacity, and it ranks them fullest
# first with over-capacity bars hatched and labelled: no alert box repeats it.
provision = context.safe(tables.provision)
charts.render(provision, ds.meta, sel, key="provision")
