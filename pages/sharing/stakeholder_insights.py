"""Stakeholder insights: what partners shared with us, recorded in or after a meeting.

Annex 7.6 para 10 asks for two-way sharing. Recording works in both modes (the meeting is often
in presenter mode) for a role that includes insights; editing and deleting are in standard mode,
and only for the records this person may change (an analyst their own, a data manager any). A
viewer reads them. Everything people typed is shown with st.text, so markup in it is shown as
text. Text holding a personal detail, a count of people or outcomes, or DWP performance words is not
saved (insight.sharing.store screens it) and stays in the box to be corrected; the message names
the kind, never the text.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from components import access, cards, context, forms
from components.text import literal
from insight.core.dates import long_date
from insight.core.geo import la_name
from insight.core.selection import WHOLE_AREA
from insight.intake import screen
from insight.sharing import store
from insight.sharing.access import NotAllowed, may_change

CONFIRM = "insights_confirm_delete"  # session_state: id awaiting delete confirmation
LABELS = {"organisation": "Organisation", "text": "What they shared"}  # store field -> label

view, sel = context.current()
me = access.current()
cards.page_heading("Stakeholder insights", view)
if sel.mode == "presenter":
    st.markdown(
        "What would you like to tell us? Your own insights about this area are recorded here, "
        "so that sharing runs both ways (Annex 7.6 para 10)."
    )
else:
    st.markdown(
        "What partners told us: their own insights, recorded in or after a meeting, so that "
        "sharing runs both ways (Annex 7.6 para 10). They are kept across datasets."
    )
area_codes = [WHOLE_AREA, *view.la_codes]


def where(code: str) -> str:
    return "Whole area" if code == WHOLE_AREA else f"{la_name(code)} ({code})"


def refused(problem: store.PersonalDetail) -> None:
    """Say which kind of detail to remove, in which field; never show the text back."""
    st.error(
        f"Not saved: {screen.removal_message(problem.kinds, LABELS.get(problem.field, problem.field))}."
    )


def values_of(prefix: str) -> dict:
    """The insight's inputs as the boxes hold them (read in a form's callback)."""
    state = st.session_state
    return {
        "organisation": state.get(f"{prefix}_org", ""),
        "la": state[f"{prefix}_la"],
        "theme": state[f"{prefix}_theme"],
        "shared_on": state[f"{prefix}_date"],
        "text": state.get(f"{prefix}_text", ""),
    }


def fields(prefix: str, item: store.StakeholderInsight | None = None) -> dict:
    """The insight's inputs, prefilled from `item` when editing."""
    la = item.la if item else sel.la
    theme = item.theme if item else store.THEMES[0]
    return {
        "organisation": st.text_input(
            "Organisation",
            value=item.organisation if item else "",
            key=f"{prefix}_org",
        ),
        "la": st.selectbox(
            "Area it concerns",
            area_codes,
            index=area_codes.index(la) if la in area_codes else 0,
            format_func=where,
            key=f"{prefix}_la",
        ),
        "theme": st.selectbox(
            "Theme",
            store.THEMES if theme in store.THEMES else (theme, *store.THEMES),
            index=0 if theme not in store.THEMES else store.THEMES.index(theme),
            key=f"{prefix}_theme",
        ),
        "shared_on": st.date_input(
            "Date shared",
            value=date.fromisoformat(item.shared_on) if item else "today",
            format="DD/MM/YYYY",
            key=f"{prefix}_date",
        ),
        "text": st.text_area(
            "What they shared",
            value=item.text if item else "",
            key=f"{prefix}_text",
        ),
    }


if me.may("insights"):
    with st.expander("Record an insight", expanded=True):
        # Emptied only once saved, and no max_chars (the box would drop a longer paste): a
        # refused insight stays in the boxes to be mended (components.forms).
        with st.form("insight_add"):
            fields("add")
            forms.submit(
                "Save insight",
                "insight_add",
                ["add_org", "add_text"],
                lambda: store.add_insight(**values_of("add"), by=me),
                type="primary",
            )
        done = forms.outcome("insight_add")
        if done and done[0] == "saved":
            st.success("Saved.")
        elif done and isinstance(done[1], store.PersonalDetail):
            refused(done[1])
        elif done:
            st.error(f"Not saved: {literal(str(done[1]).rstrip('.'))}.")

st.subheader("Recorded insights")
left, middle, right = st.columns(3)
la_filter = left.selectbox(
    "Area",
    area_codes,
    index=area_codes.index(sel.la) if sel.la in area_codes else 0,
    format_func=where,
    key="insights_la",
)
theme_filter = middle.selectbox(
    "Theme", ["", *store.THEMES], format_func=lambda t: t or "Any", key="insights_theme"
)
search = right.text_input("Search organisation and text", key="insights_search")
items = store.list_insights(la=la_filter, theme=theme_filter or None, search=search)
if not items:
    st.text("No insights recorded for these filters yet.")
for item in items:
    with st.container(border=True):
        st.text(
            f"{item.organisation} · {where(item.la)} · {item.theme} · {long_date(item.shared_on)}"
        )
        st.text(item.text)
        if sel.mode == "standard":  # not on a projector: a colleague's address is not for partners
            st.caption(f"Recorded by {literal(item.owner)}")
        if sel.mode != "standard" or not may_change(me, item.owner):
            continue
        with st.expander("Edit"):
            with st.form(f"insight_edit_{item.id}"):
                values = fields(f"edit_{item.id}", item)
                if st.form_submit_button("Save changes"):
                    try:
                        if store.update_insight(item.id, **values, by=me):
                            st.success("Saved.")
                        else:
                            st.warning("This insight was deleted meanwhile.")
                    except store.PersonalDetail as problem:
                        refused(problem)
                    except (ValueError, NotAllowed) as problem:
                        st.error(f"Not saved: {str(problem).rstrip('.')}.")
        if st.session_state.get(CONFIRM) == item.id:
            st.warning("Delete this insight? This cannot be undone.")
            yes, no = st.columns(2)
            if yes.button("Yes, delete it", key=f"insight_delete_yes_{item.id}", type="primary"):
                st.session_state.pop(CONFIRM, None)
                try:
                    store.delete_insight(item.id, by=me)
                except NotAllowed as problem:
                    st.error(f"Not deleted: {str(problem).rstrip('.')}.")
                else:
                    st.rerun()
            if no.button("Cancel", key=f"insight_delete_no_{item.id}"):
                st.session_state.pop(CONFIRM, None)
                st.rerun()
        elif st.button("Delete", key=f"insight_delete_{item.id}"):
            st.session_state[CONFIRM] = item.id
            st.rerun()
