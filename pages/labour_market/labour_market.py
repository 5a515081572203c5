"""Local labour market: vacancies and job entries by sector and LA (shares only), employer
engagement insights and area barriers."""

import streamlit as st

from components import cards, charts, context
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "Local labour market",
    view,
    "Where the vacancies the provider knows of are, and which sectors, employers and areas "
    "participants go into work in. Each chart shows how they divide: the share in each sector, "
    "employer or Local Authority.",
    room="Where the vacancies we know of are, and which sectors and employers our participants "
    "go into work with: shares only.",
)
st.header("Vacancies")
charts.render(view.table(tables.vacancies, "sector"), view, key="vac_sector")
by_la = view.table(tables.vacancies, "la")
charts.map_view(by_la, view, key="vac_map")
charts.render(by_la, view, key="vac_la")

st.header("Job entries")
for by in ("sector", "employer", "la"):
    charts.render(view.table(tables.job_entries, by), view, key=f"jobs_{by}")

st.header("Employer engagement insights")
cards.insight_cards(
    view.table(tables.insights, ("employer_engagement",)),
    "No employer engagement insights recorded for this area.",
)
st.header("Area barriers")
st.caption("Transport, digital exclusion, rurality: barriers that belong to a place.")
cards.insight_cards(
    view.table(tables.insights, ("area_barrier",)),
    "No area barrier insights recorded for this area.",
)
