"""The caveat banner: DESIGN.md's words, the provider, the period and the extract date, on every
page in every mode (and pinned to the top of the screen in presenter mode)."""

from __future__ import annotations

import streamlit as st

from components.text import literal
from insight.core.caveat import CAVEAT, OFFICIAL_NOTE, OFFICIAL_SOURCE, SYNTHETIC_MARKER, provenance
from insight.core.dataset import Meta
from insight.core.periods import period_label
from insight.core.selection import Selection

BANNER_KEY = "caveat_banner"  # CSS hook: .st-key-caveat_banner


def banner(meta: Meta | None, sel: Selection | None = None) -> None:
    """Draw the caveat. With no dataset (refused or not loaded) the caveat still shows."""
    with st.container(key=BANNER_KEY):
        st.markdown(f"**{CAVEAT}**")
        if meta is None:
            return
        line = literal(provenance(meta))
        if sel is not None and sel.period != "whole":
            line += f" · showing {literal(period_label(meta, sel.period))}"
        if meta.synthetic:
            st.markdown(f":orange-badge[Synthetic data] {line}  \n{SYNTHETIC_MARKER}")
        else:
            st.markdown(line)


OFFICIAL_KEY = "official_banner"  # CSS hook: .st-key-official_banner


def official_note() -> None:
    """Under the caveat, on a page of official figures: what they are, whose they are, and that
    the provider MI caveat above covers only the provider's own figures."""
    with st.container(key=OFFICIAL_KEY, border=True):
        st.markdown(f"**{literal(OFFICIAL_NOTE)}**")
        st.caption(literal(OFFICIAL_SOURCE))
