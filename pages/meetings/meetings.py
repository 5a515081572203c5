"""Meetings: running orders of slides. Make a meeting, build the ready-made one in one click,
rename, date, duplicate, reorder, delete, and open it as slides with its presenter view. Charts
join a meeting from any page's "Add to meeting". Everything is kept in the app's SQLite store.

In presenter mode (a shared screen) the page only lists what can be presented: no running order
to edit and no speaker notes, which are for the presenter view on the presenter's own screen.

Meetings have owners: everyone who reaches this page sees every meeting, its owner, and may
present or duplicate it (the copy is theirs); renaming, re-dating, deleting and changing the
running order are offered only on the meetings this person may change (an analyst their own, a
data manager any). The store checks the same rule again inside each write.
"""

from datetime import date
from urllib.parse import urlencode

import streamlit as st

from components import access, cards, context, forms, handouts, presenter, slides
from components.text import literal, too_long
from insight.core.dates import long_date
from insight.core.periods import PERIODS, period_label
from insight.numbers import catalogue
from insight.outputs import meetings
from insight.sharing import store
from insight.sharing.access import NotAllowed, may_change

NAME_CHARS = 200  # a meeting's name
NOTES_CHARS = 2000  # a slide's speaker notes

CHOSEN = "meetings_chosen"  # session_state: the meeting being edited
CONFIRM = "meetings_confirm_delete"
PICK = "meetings_pick"  # the picker widget's key
SLIDES_PAGE = "pages/meetings/slides.py"

view, sel = context.current()
me = access.current()
if sel.mode == "presenter":  # the area on screen, as on every page the room sees
    cards.page_heading(
        "Meetings",
        view,
        room="Our partnership meetings, shown as slides: shares only, never numbers.",
    )
else:
    st.title("Meetings")


def present_links(query: dict[str, str], key: str, label: str) -> None:
    """Open the meeting as slides here (the audience window), and its presenter view in a
    window of its own."""
    with st.container(horizontal=True, key=f"present_{key}"):
        st.page_link(SLIDES_PAGE, label=label, icon=":material/slideshow:", query_params=query)
        presenter.window_link(
            "Open presenter view",
            "slides?" + urlencode({**query, "view": "presenter"}),
            css="",
            name="ri_presenter_view",
        )


if sel.mode == "presenter":  # a shared screen: what can be presented, nothing to edit or read
    st.markdown(
        "Present a meeting as slides here, on the screen the room sees, and open its presenter "
        "view (notes, next slide, clock) in a window of its own on your screen."
    )
    present_links(
        {"meeting": "auto", "la": sel.la, "period": sel.period},
        "auto",
        f"Present the ready-made meeting for {literal(view.area_label(sel.la))}",
    )
    try:  # a viewer follows a meeting by the link it was shown, and lists none
        listed = store.list_meetings(by=me)
    except NotAllowed:
        listed = []
    for meeting in listed:
        present_links(
            {"meeting": str(meeting.id)},
            str(meeting.id),
            f"Present {literal(meeting.name)} ({long_date(meeting.held_on)})",
        )
    slides.keys()
    st.stop()
st.markdown(
    "A meeting is a running order of charts, each with its area and period, shown as slides in "
    "presenter mode. Add charts from any page with **Add to meeting**."
)


def choose(meeting_id: int | None) -> None:
    """Edit this meeting next (applied to the picker before it is drawn on the next run)."""
    st.session_state[CHOSEN] = meeting_id
    st.session_state.pop(PICK, None)
    st.session_state.pop(CONFIRM, None)


def refused(problem: Exception, what: str) -> None:
    """A write the store refused (not this person's meeting, or a bad value): a plain message."""
    st.error(f"Not {what}: {literal(str(problem).rstrip('.'))}.")


def gone() -> None:
    st.warning("That meeting or slide was deleted meanwhile.")


area = view.area_label(sel.la)
left, right = st.columns(2)
with left.container(border=True):
    st.subheader("Ready-made meeting")
    st.caption(
        "Where participants are, who they are, barriers, service usage, labour market, "
        "commissioning, what works, then what we would like to hear from you."
    )
    if st.button(
        f"Build the ready-made meeting for {literal(area)}", key="meetings_auto", type="primary"
    ):
        try:
            made = store.create_meeting(
                f"Partnership meeting: {area}",
                date.today(),
                items=view.ready_made(sel.la, sel.period),
                by=me,
            )
        except (ValueError, NotAllowed) as problem:
            refused(problem, "built")
        else:
            choose(made.id)
            st.rerun()
    present_links(
        {"meeting": "auto", "la": sel.la, "period": sel.period},
        "auto",
        "Present it now without saving",
    )
    # Handouts (issue 25): the ready-made meeting as a deck or a slide PDF.
    handouts.meeting_handouts(
        view, view.ready_made(sel.la, sel.period), title=f"Ready-made meeting for {area}",
        key="handout_auto",
    )  # fmt: skip
with right.container(border=True):
    st.subheader("New meeting")
    with st.form("meetings_new"):  # emptied only once created (components.forms)
        st.text_input("Name", key="meetings_new_name")
        held_on = st.date_input("Date", value="today", format="DD/MM/YYYY", key="meetings_new_date")

        def create() -> None:
            name = st.session_state.get("meetings_new_name", "")
            if long := too_long("The name", name, NAME_CHARS):
                raise ValueError(long)
            choose(store.create_meeting(name, st.session_state["meetings_new_date"], by=me).id)

        forms.submit("Create meeting", "meetings_new", ["meetings_new_name"], create)
    if (done := forms.outcome("meetings_new")) and done[0] == "refused":
        refused(done[1], "created")

saved = store.list_meetings(by=me)
if not saved:
    st.info("No meetings yet: build the ready-made one, or create one and add charts to it.")
    st.stop()
ids = [m.id for m in saved]
by_id = {m.id: m for m in saved}
chosen = st.session_state.get(CHOSEN)
if st.session_state.get(PICK) not in ids:
    st.session_state[PICK] = chosen if chosen in ids else ids[0]
st.subheader("Edit a meeting")
picked = st.selectbox(
    "Meeting",
    ids,
    format_func=lambda i: f"{by_id[i].name} ({long_date(by_id[i].held_on)}), {by_id[i].owner}",
    key=PICK,
)
meeting = by_id[int(picked)]
st.session_state[CHOSEN] = meeting.id
mine = may_change(me, meeting.owner)  # rename, re-date, delete, change the running order
if mine:
    st.caption(f"Made by {literal(meeting.owner)}.")
else:
    st.caption(
        f"Made by {literal(meeting.owner)}. You can present it, or duplicate it to make your own "
        "copy; only they or a data manager can change it."
    )

actions = st.container(horizontal=True)
actions.page_link(
    SLIDES_PAGE,
    label="Present as slides",
    icon=":material/slideshow:",
    query_params={"meeting": str(meeting.id)},
)
with actions:
    presenter.window_link(
        "Open presenter view",
        "slides?" + urlencode({"meeting": str(meeting.id), "view": "presenter"}),
        css="",
        name="ri_presenter_view",
    )
if actions.button("Duplicate", key="meetings_duplicate", icon=":material/content_copy:"):
    try:
        copy = store.duplicate_meeting(meeting.id, by=me)
    except (ValueError, NotAllowed) as problem:
        refused(problem, "duplicated")
    else:
        choose(copy.id if copy else None)
        st.rerun()
if mine and actions.button("Delete", key="meetings_delete", icon=":material/delete:"):
    st.session_state[CONFIRM] = meeting.id
if mine and st.session_state.get(CONFIRM) == meeting.id:
    st.warning(f"Delete {literal(meeting.name)} and its running order? This cannot be undone.")
    yes, no = st.columns(2)
    if yes.button("Yes, delete it", key="meetings_delete_yes", type="primary"):
        st.session_state.pop(CONFIRM, None)
        try:
            store.delete_meeting(meeting.id, by=me)
        except NotAllowed as problem:
            refused(problem, "deleted")
        else:
            choose(None)
            st.rerun()
    if no.button("Cancel", key="meetings_delete_no"):
        st.session_state.pop(CONFIRM, None)
        st.rerun()
st.caption(
    f"A projector window can open it from this app's address with ?meeting={meeting.id}, and "
    f"its presenter view with ?meeting={meeting.id}&view=presenter"
)

# Handouts (issue 25): this running order as a deck or a slide PDF.
handouts.meeting_handouts(
    view,
    [
        meetings.Item(i.chart, i.la, i.period, i.notes)
        for i in store.meeting_items(meeting.id, by=me)
    ],
    title=f"{meeting.name} ({long_date(meeting.held_on)})",
    key=f"handout_{meeting.id}",
)
slides.keys()  # "Open presenter view" opens a window of its own

if mine:
    with st.form(f"meetings_edit_{meeting.id}"):
        new_name = st.text_input("Name", value=meeting.name, key="meetings_name")
        new_date = st.date_input(
            "Date",
            value=date.fromisoformat(meeting.held_on),
            format="DD/MM/YYYY",
            key="meetings_date",
        )
        if st.form_submit_button("Save name and date"):
            if long := too_long("The name", new_name, NAME_CHARS):
                st.error(long)
            else:
                try:
                    saved_it = store.update_meeting(
                        meeting.id, name=new_name, held_on=new_date, by=me
                    )
                except (ValueError, NotAllowed) as problem:
                    refused(problem, "saved")
                else:
                    if saved_it:
                        st.rerun()
                    gone()

st.subheader("Running order")
items = store.meeting_items(meeting.id, by=me)
if not items:
    st.info(
        "No slides yet. Add charts from any page with Add to meeting." if mine else "No slides yet."
    )


def label(chart: str) -> str:
    try:
        return catalogue.entry(chart).label
    except ValueError:
        return f"Unknown chart {chart[:40]}"


for n, item in enumerate(items, start=1):
    with st.container(border=True, key=f"meeting_item_{item.id}"):
        row = st.container(horizontal=True, vertical_alignment="center")
        when = period_label(view.meta, item.period) if item.period in PERIODS else item.period
        row.markdown(
            f"**{n}. {literal(label(item.chart))}** · {literal(view.area_label(item.la) if item.la == 'all' or item.la in view.la_codes else item.la)} · {literal(when)}"
        )
        if not mine:  # the running order as it is, and the notes to read
            if item.notes.strip():
                with st.expander("Speaker notes"):
                    st.text(item.notes)
            continue
        moved = None
        if row.button(
            "Up", key=f"item_up_{item.id}", disabled=n == 1, icon=":material/arrow_upward:"
        ):
            moved = -1
        if row.button(
            "Down",
            key=f"item_down_{item.id}",
            disabled=n == len(items),
            icon=":material/arrow_downward:",
        ):
            moved = 1
        if moved is not None:
            try:
                store.move_meeting_item(item.id, moved, by=me)
            except NotAllowed as problem:
                refused(problem, "moved")
            else:
                st.rerun()
        if row.button("Remove", key=f"item_remove_{item.id}", icon=":material/close:"):
            try:
                store.delete_meeting_item(item.id, by=me)
            except NotAllowed as problem:
                refused(problem, "removed")
            else:
                st.rerun()
        with st.expander("Speaker notes"):
            with st.form(f"item_notes_{item.id}"):
                notes = st.text_area(
                    "Your notes for this slide",
                    value=item.notes,
                    key=f"item_notes_text_{item.id}",
                )
                if st.form_submit_button("Save notes"):
                    if long := too_long("The notes", notes, NOTES_CHARS):
                        st.error(long)
                    else:
                        try:
                            saved_it = store.update_meeting_item(item.id, notes=notes, by=me)
                        except (ValueError, NotAllowed) as problem:
                            refused(problem, "saved")
                        else:
                            if saved_it:
                                st.rerun()
                            gone()
