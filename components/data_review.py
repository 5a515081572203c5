"""Data page: review for sharing. Before anything the provider wrote reaches the room, a data
manager signs off the provider's own barrier and service keys one by one and reviews the
dataset's free text as a whole (issue 30); each record keeps who and when."""

from __future__ import annotations

import streamlit as st

from components.data_common import FLASH
from components.text import literal
from insight.core.contract import META_FILE
from insight.core.dates import date_time
from insight.service.view import PageView, ReviewSheet
from insight.sharing import review
from insight.sharing.access import NotAllowed, Principal


def review_for_sharing(view: PageView, me: Principal) -> None:
    st.subheader("Review for sharing")
    st.caption(
        "Before anything the provider wrote reaches the room, a data manager looks at it: the "
        "provider's own barrier and service keys are signed off one by one, and the dataset's "
        "text is reviewed as a whole. Until then presenter mode, slides and exports leave the "
        f'keys out and show "{review.PLACEHOLDER}" in place of the text. Each record keeps who '
        "and when."
    )
    sheet = view.review_sheet()
    signed = {(s.kind, s.key): s for s in sheet.status.signed}
    if sheet.declared:
        st.markdown(
            f"**The provider's own keys** (declared in {META_FILE}). {review.SIGN_OFF_STATEMENT}"
        )
    for item in sheet.declared:
        done = signed.get((item.kind, item.key))
        words, action = st.columns([3, 2])
        words.markdown(f"- {item.kind} `{item.key}`: **{literal(item.label)}**")
        if done is not None:
            action.caption(
                f"Signed off by {literal(done.signed_by)}, {date_time(done.signed_utc)} (UTC)"
            )
        elif action.button(
            "Sign off: support, not a performance measure",
            key=f"sign_off_{item.kind}_{item.key}",
        ):
            try:
                record = sheet.sign_off(item, by=me)
            except NotAllowed as error:
                st.error(literal(str(error)))
            else:
                st.session_state[FLASH] = (
                    f"Signed off {item.kind} '{item.key}' ({item.label}) as support the "
                    f"provider gives, by {record.signed_by}."
                )
                st.rerun()
    done_review = sheet.status.review
    if not sheet.items:
        st.caption("This dataset holds no free text: nothing to review.")
    elif done_review is not None:
        st.caption(
            f"The dataset's text ({done_review.rows:,} values) was reviewed for sharing by "
            f"{literal(done_review.reviewed_by)}, {date_time(done_review.reviewed_utc)} (UTC)."
        )
    else:
        _awaiting(sheet, me)


def _awaiting(sheet: ReviewSheet, me: Principal) -> None:
    st.warning(
        f"Awaiting review: this dataset's text ({len(sheet.items):,} distinct values) is shown "
        f'nowhere else. Presenter mode, slides and exports show "{review.PLACEHOLDER}" until '
        "a data manager reviews it here.",
        icon=":material/rate_review:",
    )
    st.dataframe(
        {
            "table": [i.table.replace("_", " ") for i in sheet.items],
            "column": [i.column for i in sheet.items],
            "text (awaiting review)": [i.value for i in sheet.items],
        },
        hide_index=True,
        key="review_text",
    )
    read_all = st.checkbox(
        "I have read every value: none holds personal data, a count of people or DWP "
        "performance information",
        key="review_confirm",
    )
    if st.button("Record the review", key="review_record", disabled=not read_all):
        try:
            record = sheet.record_review(by=me)
        except NotAllowed as error:
            st.error(literal(str(error)))
        else:
            st.session_state[FLASH] = (
                f"The dataset's text is reviewed for sharing, recorded by {record.reviewed_by}."
            )
            st.rerun()


__all__ = ["review_for_sharing"]
