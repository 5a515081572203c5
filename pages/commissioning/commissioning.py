"""Commissioning: plans for additional services, and planned referrals to local provision
against each organisation's capacity, so small local organisations are not overloaded."""

import streamlit as st

from components import cards, charts, context
from components.text import literal
from insight import tables

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
provision = context.safe(tables.provision)
if not provision.is_empty and "over_capacity" in provision.frame.columns:
    over = provision.frame[provision.frame["over_capacity"].astype(bool)]
    if len(over):
        st.warning(
            "Over capacity (planned referrals above the places available): "
            + literal(
                "; ".join(f"{row.category} ({row.label} of capacity)" for row in over.itertuples())
            ),
            icon=":material/warning:",
        )
    else:
        st.success("No organisation has more planned referrals than places in this period.")
charts.render(provision, ds.meta, sel, key="provision")
