"""Overview: the area at a glance. Headline shares, talking points, the LA map."""

import streamlit as st

from components import cards, charts, context
from components import place as place_view
from insight.numbers import tables

ds, sel = context.current()
cards.page_heading(
    "Overview",
    ds,
    sel,
    "The provider's own participants at a glance: shares, not numbers. Choose an area and a "
    "period in the sidebar, or click an LA on the map.",
    room="Our own participants at a glance: shares of the people we support, never numbers.",
)
cards.headline_cards(context.safe(tables.headlines))
st.subheader("Talking points")
cards.talking_points(context.safe(tables.talking_points))
st.subheader("Where participants live")
shares = context.safe(tables.la_shares)
charts.map_view(shares, sel, ds.la_codes, key="overview_map", meta=ds.meta)
charts.render(shares, ds.meta, sel, key="overview_la_shares")
# Official context (issue 15): claimant and inactivity rates beside each LA's share.
place_view.beside_shares(ds, sel, shares, key="overview")
