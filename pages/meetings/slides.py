"""Slides: a meeting's running order, one chart or map a slide, in presenter mode.

`?meeting=<id>` opens a saved meeting; `?meeting=auto&la=<code>` (or `la=all`) opens the
ready-made running order for that area with nothing saved. Either with `&view=presenter` is its
presenter view (notes, next slide, clock) for the laptop, the plain link the audience window for
the projector: both follow the same presentation, kept in the store. Without `meeting`, the page
offers the saved meetings and the ready-made one for the area chosen in the sidebar. A viewer is
offered only the ready-made one, and follows a saved meeting it was shown by its link: its
slides, never its speaker notes (insight.sharing.store checks the role).
"""

import streamlit as st

from components import access, banner, context, controls, presenter, presenter_view, slides, style
from components.text import literal
from insight.core.dates import long_date
from insight.outputs import meetings
from insight.sharing import live, store

view, sel = context.current()
me = access.current()  # the store lists meetings and gives speaker notes only to a role that may
wanted = (controls.query_param("meeting") or "").strip()


def present(meeting: str) -> None:
    st.query_params["meeting"] = meeting
    st.query_params.pop("slide", None)


if not wanted:
    st.title("Slides")
    st.markdown(
        "A meeting's charts as slides that fit the screen, one at a time. Next and Previous "
        "answer a presentation clicker (Page Down, Page Up), the arrow keys and Space."
    )
    area = view.area_label(sel.la)
    st.button(
        f"Present the ready-made meeting for {literal(area)}",
        key="present_auto",
        type="primary",
        on_click=present,
        args=("auto",),
    )
    saved = store.list_meetings(by=me) if me.may("meetings") else []
    if saved:
        st.subheader("Saved meetings")
    for each in saved:
        st.button(
            f"Present {literal(each.name)} ({long_date(each.held_on)})",  # a label is markdown
            key=f"present_{each.id}",
            on_click=present,
            args=(str(each.id),),
        )
    st.stop()

style.slides()
if wanted == "auto":
    items = view.ready_made(sel.la, sel.period)
    title = f"Ready-made meeting for {view.area_label(sel.la)}"
    deck_id = f"auto:{sel.la}:{sel.period}:{view.fingerprint}"
    key = live.meeting_key("auto", sel.la, sel.period)
elif wanted.isdigit() and (meeting := store.get_meeting(int(wanted))) is not None:
    items = [
        meetings.Item(i.chart, i.la, i.period, i.notes)
        for i in store.meeting_items(meeting.id, by=me)
    ]
    title = f"{meeting.name} ({long_date(meeting.held_on)})"
    deck_id = f"{meeting.id}:{meeting.updated_utc}:{view.fingerprint}"
    key = live.meeting_key(str(meeting.id))
else:
    banner.banner(view.meta, sel)  # no slide to carry the caveat
    st.error(  # the link's text is never echoed back
        "That meeting cannot be opened: it may have been deleted. End the slides to choose another."
    )
    items, title, deck_id = [], "", "none"
    st.button("End slides", key="slide_end_missing", on_click=slides.end)
    st.stop()
if presenter.is_presenter_view():
    presenter_view.draw(view, deck_id, items, title=title, meeting=key)
else:
    slides.deck(view, deck_id, items, title=title, meeting=key)
