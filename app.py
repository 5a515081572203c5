"""Restart Insight: placeholder frame until the app lands (issue 3)."""

import streamlit as st

from insight.caveat import CAVEAT

st.set_page_config(page_title="Restart Insight", layout="wide")
st.warning(CAVEAT)
st.title("Restart Insight")
