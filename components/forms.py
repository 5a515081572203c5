"""Forms that keep what was typed until it is saved.

A form cleared on submit (`clear_on_submit=True`) loses a refused entry (too long, or holding a
personal detail) with the message about it, and a box with `max_chars` ignores a paste that
would pass the limit, leaving it empty with no word said. So these forms have neither: the
submit button saves in its callback, before the page runs again; a saved entry's boxes are
emptied there (a callback may set a widget's value), and a refused one's keep what was typed,
with the refusal handed to the page (`outcome`) to say why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from insight.sharing.access import NotAllowed

_OUTCOME = "_form_outcome_{}"


def _save(form: str, clear: Sequence[str], save: Callable[[], Any]) -> None:
    try:
        result = save()
    except (ValueError, NotAllowed) as problem:
        st.session_state[_OUTCOME.format(form)] = ("refused", problem)
        return
    for key in clear:
        st.session_state[key] = ""
    st.session_state[_OUTCOME.format(form)] = ("saved", result)


def submit(
    label: str, form: str, clear: Sequence[str], save: Callable[[], Any], **button: Any
) -> None:
    """The form's submit button: pressing it runs `save()` (which reads the boxes from
    st.session_state); the boxes in `clear` are emptied only when it returns."""
    st.form_submit_button(label, on_click=_save, args=(form, tuple(clear), save), **button)


def outcome(form: str) -> tuple[str, Any] | None:
    """("saved", what save() returned) or ("refused", the ValueError or NotAllowed) for the
    last press of this form's button, once; None when it was not pressed."""
    found: tuple[str, Any] | None = st.session_state.pop(_OUTCOME.format(form), None)
    return found


__all__ = ["outcome", "submit"]
