"""Sharing: build a briefing pack for the selection, and the sharing log (standard mode only).

Every export is recorded (insight.store) with its SHA-256 and the meeting or recipient noted. The
page offers a mailto: link to the Performance Manager (Annex 7.6 para 16); it sends nothing.
Text from the dataset and from people is shown with st.text or in a dataframe, never as markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.context import current
from insight import export, screen, store
from insight.dates import date_time
from insight.model import period_label

PACK = "sharing_pack"  # session_state: (selection, Pack, log entry id) of the last build

ds, sel = current()
meta = ds.meta
st.title("Exports and sharing log")
st.markdown(
    "Written material shared with local stakeholders should be copied to your DWP Performance "
    "Manager (Annex 7.6 para 16). Every file made here carries the caveat on every page and is "
    "recorded in the sharing log below."
)
if sel.mode == "presenter":
    st.info("Exports and the sharing log are not available in presenter mode.")
    st.stop()

# --- briefing pack ---------------------------------------------------------------------------
st.subheader("Briefing pack")
st.text(
    f"{export.area_label(meta, sel)} · {period_label(meta, sel.period)} · {export.mode_label(sel)}"
)
labels = {spec.key: spec.label for spec in export.CHARTS}
charts = st.multiselect(
    "Charts to include",
    options=list(export.CHART_KEYS),
    default=list(export.CHART_KEYS),
    format_func=labels.__getitem__,
    key="sharing_charts",
)
with_insights = st.checkbox(
    "Include stakeholders' own insights for this area (Annex 7.6 para 10)", key="sharing_insights"
)
# GOV.UK: the hint sits above the field (a placeholder vanishes as soon as one types).
st.markdown("**Meeting or recipient**")
st.caption(
    "Name the meeting or the organisation, not a person. For example: Coventry employment and skills board, 12 March"
)
note = st.text_input(
    "Meeting or recipient",
    max_chars=store.MAX_TEXT,
    key="sharing_note",
    label_visibility="collapsed",
)
if st.button("Build briefing pack", type="primary", key="sharing_build"):
    try:
        store.check_text("note", note)  # before the slow build: the note goes in the pack too
    except store.PersonalDetail as problem:
        st.error(
            f"Not built: {screen.removal_message(problem.kinds, 'Meeting or recipient', 'building')} "
            "(name the meeting or the organisation, not a person)."
        )
    else:
        insights = store.list_insights(la=sel.la) if with_insights else []
        with st.spinner("Building the briefing pack: drawing each chart..."):
            pack, entry = export.export_pack(ds, sel, charts, insights=insights, note=note)
        st.session_state[PACK] = (sel, pack, entry.id)

built = st.session_state.get(PACK)
if built and built[0] == sel:
    _, pack, entry_id = built
    st.success(
        f"Briefing pack built in {pack.seconds:.1f} s with {pack.images} chart images, and "
        "recorded in the sharing log."
    )
    for warning in pack.warnings:
        st.text(f"Note: {warning}")
    st.download_button(
        "Download briefing pack (PDF)",
        data=pack.pdf,
        file_name=pack.file_name,
        mime="application/pdf",
        on_click="ignore",
        type="primary",
        icon=":material/picture_as_pdf:",
        key="sharing_download",
    )
    entry = store.get_log(entry_id)
    if entry:
        st.link_button(
            "Copy to your Performance Manager (opens your email)",
            export.mailto_link(meta.performance_manager_email, entry),
            icon=":material/mail:",
        )

# --- sharing log -----------------------------------------------------------------------------
st.subheader("Sharing log")
st.caption("Every chart image and briefing pack exported, newest first. Kept across datasets.")
left, middle, right, search_col = st.columns(4)
everything = store.list_log()
la_options = ["", *sorted({e.la for e in everything})]
la_names = {e.la: e.la_name for e in everything}
la_filter = left.selectbox(
    "Area",
    la_options,
    format_func=lambda code: "Any" if not code else la_names.get(code, code),
    key="log_la",
)
mode_filter = middle.selectbox(
    "Mode", ["", "standard", "presenter"], format_func=lambda m: m or "Any", key="log_mode"
)
kind_filter = right.selectbox(
    "What",
    ["", "pack", "png"],
    format_func=lambda k: {"": "Any", "pack": "Briefing pack", "png": "Chart image"}[k],
    key="log_kind",
)
search = search_col.text_input("Search notes and files", key="log_search")
entries = store.list_log(la=la_filter, mode=mode_filter, kind=kind_filter, search=search)
if not entries:
    st.text("Nothing recorded yet." if not everything else "No exports match these filters.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "When (UTC)": [date_time(e.created_utc) for e in entries],
                "What": ["Briefing pack" if e.kind == "pack" else "Chart image" for e in entries],
                "Meeting or recipient": [e.note for e in entries],
                "Area": [e.la_name for e in entries],
                "Period": [e.period_label for e in entries],
                "Mode": [e.mode for e in entries],
                "Included": [", ".join(e.included) for e in entries],
                "Provider": [e.provider for e in entries],
                "File": [e.file_name for e in entries],
                "SHA-256": [e.sha256 for e in entries],
            }
        ),
        hide_index=True,
        key="log_table",
    )
    by_id = {e.id: e for e in entries}
    chosen = st.selectbox(
        "Email a summary of one export to your Performance Manager",
        list(by_id),
        format_func=lambda i: f"#{i} · {date_time(by_id[i].created_utc)} · {by_id[i].la_name}",
        key="log_mail",
    )
    if not meta.performance_manager_email:
        st.caption("No Performance Manager email in dataset.toml: add the recipient yourself.")
    st.link_button(
        "Open an email to your Performance Manager",
        export.mailto_link(meta.performance_manager_email, by_id[chosen]),
        icon=":material/mail:",
    )
