"""Can I share this? Annex 7.6 as a short guided check. The logic is insight.sharing.share_check."""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from components import context
from components.text import literal
from insight.sharing.share_check import ANSWERS, CONTACT, FORMATS, QUESTIONS, walk

PREFIX = "share_check_"

view = context.view()
st.title("Can I share this?")
st.markdown(
    "A few questions from DWP's Annex 7.6 on sharing information with stakeholders. Answer them "
    "for the information you have in mind; the check ends in a plain answer with its reason."
)

answers: dict[str, str] = {}
while True:
    path = walk(answers)
    question = path.next_question
    if question is None:
        break
    # GOV.UK order: the question, its hint, then the options.
    st.markdown(f"**{literal(question.text)}**")
    st.caption(f"{literal(question.help)} (Annex 7.6 {', '.join(question.paras)})")
    choice = st.radio(
        question.text,
        list(ANSWERS),
        index=None,
        format_func=ANSWERS.__getitem__,
        horizontal=True,
        key=PREFIX + question.id,
        label_visibility="collapsed",
    )
    if choice is None:
        break
    answers[question.id] = choice

verdict = path.verdict
if verdict:
    show = {"do_not_share": st.error, "ask": st.warning}.get(verdict.outcome, st.success)
    show(f"**{verdict.answer}** {verdict.reason} ({verdict.paragraph_text})")
    if verdict.conditions:
        st.markdown("\n".join(f"- {text} ({para})" for text, para in verdict.conditions))

# What to mind for each kind of file (issue 25: decks, slide PDFs and summaries too).
kind = st.selectbox(
    "What are you sharing?",
    [None, *FORMATS],
    format_func=lambda k: "Choose a kind of file" if k is None else FORMATS[k][0],
    key="share_check_format",
)
if kind:
    st.markdown("\n".join(f"- {literal(text)} ({para})" for text, para in FORMATS[kind][1]))

st.info(CONTACT)
if view.meta.performance_manager_email:
    email = view.meta.performance_manager_email
    st.markdown(f"Your Performance Manager: [{literal(email)}](mailto:{quote(email, safe='@')})")


def start_again() -> None:
    for question_id in QUESTIONS:
        st.session_state.pop(PREFIX + question_id, None)


if answers:
    st.button("Start again", on_click=start_again, key="share_check_reset")
