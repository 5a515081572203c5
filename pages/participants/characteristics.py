"""Participants > Characteristics: age, gender, ethnicity and disability, as shares."""

import streamlit as st

from components import cards, charts, context
from insight.core.contract import CHARACTERISTIC_LABELS
from insight.numbers import tables

view = context.view()
cards.page_heading(
    "Characteristics",
    view,
    "Who the provider supports, to anticipate common barriers to work. One characteristic at a "
    "time: no cross-tabulation of two characteristics within one LA.",
    room="Who we support, one characteristic at a time: to anticipate common barriers to work.",
)
for name, label in CHARACTERISTIC_LABELS.items():
    st.subheader(label)
    charts.render(view.table(tables.characteristic, name), view, key=f"char_{name}")
