"""About: method, disclosure rules and thresholds, guards, sources and licences, accessibility.
Generated from the constants the code runs on (insight.outputs.about)."""

from dataclasses import replace

import streamlit as st

from components import context
from components.text import literal
from insight.outputs.about import sections

view, sel = context.current()
st.title("About Restart Insight")
st.markdown(
    "A provider's own, anonymised, aggregated management information, shared with local "
    "partners the way DWP's Annex 7.6 asks: percentages rather than absolute numbers, broken "
    "down by Local Authority, clearly marked as not accredited by DWP."
)
# The provider's name is dataset text inside markdown: made literal (no link, no markup).
shown = replace(view.meta, provider_name=literal(view.meta.provider_name))
for heading, body in sections(shown, sel.mode):
    st.header(heading)
    st.markdown(body)
