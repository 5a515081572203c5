"""Participants > Service usage: the share of participants in each element of the service now."""

from components import cards, charts, context
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "Service usage",
    view,
    "Which parts of the service participants are in now (skills training, work placements and "
    "other elements): a sense of demand for each kind of support.",
    room="Which parts of the service our participants are in now: a sense of demand for each "
    "kind of support.",
)
charts.render(view.table(tables.services), view, key="services")
