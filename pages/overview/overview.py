"""Overview: the area at a glance. Headline shares, talking points, the LA map."""

import streamlit as st

from components import access, cards, charts, context, handouts, presenter, slides
from components import place as place_view
from components.text import literal
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "Overview",
    view,
    "The provider's own participants at a glance: shares, not numbers. Choose an area and a "
    "period in the sidebar, or click an LA on the map.",
    room="Our own participants at a glance: shares of the people we support, never numbers.",
)
# One click to the ready-made meeting for the chosen area: the slides here (the audience window,
# for the projector), its presenter view in a window of its own (notes, next slide, clock).
sel = view.selection
with st.container(key="present_area", horizontal=True, vertical_alignment="center"):
    st.page_link(
        "pages/meetings/slides.py",
        # The page's heading names the area: no dataset text inside a link's label, where a
        # web address in an area's name would read as the link's destination.
        label="Present this area",
        help=f"The ready-made meeting for {literal(view.area_label())}, as slides",
        icon=":material/slideshow:",
        query_params={"meeting": "auto", "la": sel.la, "period": sel.period},
    )
    if access.may("meetings"):
        presenter.present_with_view(
            {"meeting": "auto", "la": sel.la, "period": sel.period, "view": "presenter"}
        )
# Handouts (issue 25), beside it: the chosen LA's two-page summary (standard mode, exports role).
handouts.summary_button(view)
slides.keys()
cards.headline_cards(view.table(tables.headlines))
st.subheader("Talking points")
cards.talking_points(view.table(tables.talking_points))
st.subheader("Where participants live")
shares = view.table(tables.la_shares)
charts.map_view(shares, view, key="overview_map")
charts.render(shares, view, key="overview_la_shares")
# Official context (issue 15): claimant and inactivity rates beside each LA's share.
place_view.beside_shares(view, shares, key="overview")
