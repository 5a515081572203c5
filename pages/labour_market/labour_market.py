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
# Each measure leads with one view and folds the others into tabs: drawn one under another the
# six charts made a 10,000 px page in presenter mode.
st.header("Vacancies")
by_la = view.table(tables.vacancies, "la")
on_map, by_sector, ranked = st.tabs(["Map", "By sector", "Local Authorities ranked"])
with on_map:
    charts.map_view(by_la, view, key="vac_map")
with by_sector:
    charts.render(view.table(tables.vacancies, "sector"), view, key="vac_sector")
with ranked:
    charts.render(by_la, view, key="vac_la")

st.header("Job entries")
views = {"sector": "By sector", "employer": "By employer", "la": "By Local Authority"}
for by, tab in zip(views, st.tabs(list(views.values())), strict=True):
    with tab:
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
