"""Participants > Locations: where participants are concentrated (annex: hotspots), by LA."""

import streamlit as st

from components import cards, charts, context
from components import place as place_view
from insight.core.contract import barrier_label, service_label
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "Locations",
    view,
    "Where the provider's participants live, by Local Authority: to target provision where it "
    "is most needed. Click an LA on a map to select it.",
    room="Where our participants live, by Local Authority: to target provision where it is "
    "most needed.",
)
show = st.segmented_control(
    "Show",
    ["Caseload and hotspots", "A barrier by LA", "A service by LA"],
    default="Caseload and hotspots",
    key="locations_view",
    required=True,
)
if show == "A barrier by LA":
    barrier = st.selectbox(
        "Barrier", view.barrier_keys, format_func=barrier_label, key="locations_barrier"
    )
    table = view.table(tables.barrier_by_la, barrier) if barrier else None
elif show == "A service by LA":
    service = st.selectbox(
        "Service element", view.service_keys, format_func=service_label, key="locations_service"
    )
    table = view.table(tables.service_by_la, service) if service else None
else:
    measure = st.radio(
        "Measure",
        ["Share of caseload", "Hotspot index"],
        horizontal=True,
        key="locations_measure",
        help="Hotspot index: share of participants against share of working-age population; "
        "100 is proportionate.",
    )
    table = view.table(tables.hotspot if measure == "Hotspot index" else tables.la_shares)
    # Official context (issue 15): the hotspot index against claimants instead of population.
    if measure == "Hotspot index":
        reference = st.radio(
            "Against",
            ["Working-age population", "Claimant count"],
            horizontal=True,
            key="locations_reference",
            help="Claimant count: each LA's share of the area's claimants (ONS claimant count "
            "rate times working-age population). Still shares against shares, never participants "
            "per claimant.",
        )
        if reference == "Claimant count":
            table = view.table(tables.claimant_hotspot)
if table is None:
    st.info("This dataset records no columns of that kind.")
else:
    charts.map_view(table, view, key="locations_map")
    charts.render(table, view, key="locations_chart")
# Official context (issue 15): claimant and inactivity rates beside each LA's share.
place_view.beside_shares(view, view.table(tables.la_shares), key="locations")
