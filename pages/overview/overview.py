"""Overview: the area at a glance. Headline shares, talking points, the LA map."""

import streamlit as st

from components import cards, charts, context, handouts
from components import place as place_view
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "Overview",
    view,
    "The provider's own participants at a glance: shares, not numbers. Choose an area and a "
    "period in the sidebar, or click an LA on the map.",
    room="Our own participants at a glance: shares of the people we support, never numbers.",
)
cards.headline_cards(view.table(tables.headlines))
# Handouts (issue 25): the chosen LA's two-page summary (standard mode, exports role).
handouts.summary_button(view)
st.subheader("Talking points")
cards.talking_points(view.table(tables.talking_points))
st.subheader("Where participants live")
shares = view.table(tables.la_shares)
charts.map_view(shares, view, key="overview_map")
charts.render(shares, view, key="overview_la_shares")
# Official context (issue 15): claimant and inactivity rates beside each LA's share.
place_view.beside_shares(view, shares, key="overview")
