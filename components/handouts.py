"""Handouts after a meeting: a running order as a PowerPoint deck or its slides as a PDF, and an
LA's two-page summary. Each is built on a click (count-free: presenter-mode tables only),
recorded in the sharing log, and offered for download with the Performance Manager reminder and
a mailto: link. Standard mode only, for someone whose role includes exports: presenter mode
offers no downloads.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components import access
from components.text import literal
from insight.outputs.meetings import Item
from insight.service.release import mailto_link
from insight.service.view import PageView
from insight.sharing import store

BUILT = "handouts_built"  # session_state: {key: (handout, log entry id)}
LABELS = {
    "pptx": ("PowerPoint deck (.pptx)", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "slides": ("Slides as a PDF", "application/pdf"),
    "summary": ("LA summary (2-page PDF)", "application/pdf"),
}  # fmt: skip
REMINDER = (
    "Recorded in the sharing log. Copy it to your DWP Performance Manager (Annex 7.6 para 16)."
)


def _offer(view: PageView, key: str) -> None:
    """The built file's download button and the email to the Performance Manager."""
    built = st.session_state.get(BUILT, {}).get(key)
    if not built:
        return
    handout, entry_id = built
    label, mime = LABELS["pptx" if handout.kind == "deck" else handout.kind]
    st.success(f"{label} built in {handout.seconds:.1f} s. {REMINDER}")
    for warning in handout.warnings:
        st.text(f"Note: {warning}")
    row = st.container(horizontal=True)
    row.download_button(
        f"Download the {label[0].lower() + label[1:]}",
        data=handout.data,
        file_name=handout.file_name,
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_download",
    )
    entry = store.get_log(entry_id)
    if entry:
        row.link_button(
            "Copy to your Performance Manager (opens your email)",
            mailto_link(view.meta.performance_manager_email, entry),
            icon=":material/mail:",
        )


def _build(view: PageView, key: str, fmt: str, **kwargs: object) -> None:
    with st.spinner("Building: drawing the charts and the map..."):
        handout, entry = view.export_handout(fmt, by=access.current(), **kwargs)  # type: ignore[arg-type]
    st.session_state.setdefault(BUILT, {})[key] = (handout, entry.id)


def allowed(view: PageView) -> bool:
    return view.selection.mode == "standard" and access.may("exports")


def meeting_handouts(view: PageView, items: Sequence[Item], *, title: str, key: str) -> None:
    """Buttons that make the running order a deck or a slide PDF (count-free), then offer it."""
    if not allowed(view) or not items:
        return
    with_counts = st.checkbox(
        "Rounded counts too on the deck, where Annex 7.6 para 13 allows them",
        key=f"{key}_counts",
        help="Count-free by default, like the slides: only the percentages each slide shows. "
        "With counts, every slide says so.",
    )
    row = st.container(horizontal=True)
    for fmt in ("pptx", "slides"):
        if row.button(f"Make a {LABELS[fmt][0]}", key=f"{key}_{fmt}", icon=":material/slideshow:"):
            mode = "standard" if with_counts and fmt == "pptx" else "presenter"
            _build(view, f"{key}_{fmt}", fmt, items=list(items), title=title, mode=mode)
    for fmt in ("pptx", "slides"):
        _offer(view, f"{key}_{fmt}")


def summary_button(view: PageView, key: str = "overview_summary") -> None:
    """The chosen LA's two-page summary: a button, then its download."""
    sel = view.selection
    if not allowed(view) or sel.is_whole_area:
        return
    name = view.area_label(sel.la)
    if st.button(
        f"Make a 2-page summary for {literal(name)} (PDF)", key=key, icon=":material/description:"
    ):
        _build(view, key, "summary", la=sel.la, period=sel.period)
    _offer(view, key)
