"""Sharing: build a briefing pack for the selection, and the sharing log (standard mode only).

Every export is recorded (insight.sharing.store) with its SHA-256 and the meeting or recipient noted. The
page offers a mailto: link to the Performance Manager (Annex 7.6 para 16); it sends nothing.
Text from the dataset and from people is shown with st.text or in a dataframe, never as markdown.
The pack holds percentages only (no count) unless counts are asked for: the annex prefers
percentages in anything written down. The log table's own CSV export has formulas neutralised.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import access, context
from components.text import literal, too_long
from insight.core.dates import date_time
from insight.core.formula import neutralise_frame
from insight.core.periods import period_label
from insight.core.selection import Selection
from insight.intake import screen
from insight.outputs.names import area_label, included_words, mode_label
from insight.outputs.pack import charts as pack_charts
from insight.service.release import mailto_link
from insight.sharing import store

PACK = "sharing_pack"  # session_state: (selection, Pack, log entry id) of the last build

view, sel = context.current()
meta = view.meta
st.title("Exports and sharing log")
st.markdown(
    "Written material shared with local stakeholders should be copied to your DWP Performance "
    "Manager (Annex 7.6 para 16). Every file made here carries the caveat on every page and is "
    "recorded in the sharing log below."
)
if sel.mode == "presenter":
    st.info("Exports and the sharing log are not available in presenter mode.")
    st.stop()
if not access.may("exports"):  # the navigation leaves this page out for such a role anyway
    st.info("Your role does not include exports or the sharing log.")
    st.stop()

# --- briefing pack ---------------------------------------------------------------------------
st.subheader("Briefing pack")
counts = st.radio(
    "What the pack holds",
    [False, True],
    format_func=lambda with_counts: (
        "Rounded counts too, where Annex 7.6 para 13 allows them"
        if with_counts
        else "Percentages only, no counts (recommended for anything shared in writing)"
    ),
    key="sharing_counts",
    help="Annex 7.6 asks for percentages rather than absolute numbers in what is shared. A pack "
    "without counts is built exactly like presenter mode's screens.",
)
pack_sel = Selection(la=sel.la, period=sel.period, mode="standard" if counts else "presenter")
st.text(
    f"{area_label(meta, pack_sel)} · {period_label(meta, pack_sel.period)} · {mode_label(pack_sel)}"
)
labels = {spec.key: spec.label for spec in pack_charts()}  # the registry's, in order
charts = st.multiselect(
    "Charts to include",
    options=list(labels),
    default=list(labels),
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
    except ValueError:  # longer than the limit: the box has no max_chars, which drops a paste
        st.error(
            literal(
                too_long("The note", note, store.MAX_TEXT, "the pack was not built")
                or "The note is too long."
            )
        )
    else:
        insights = store.list_insights(la=sel.la) if with_insights else []
        with st.spinner("Building the briefing pack: drawing each chart..."):
            pack, entry = view.export_pack(
                pack_sel, charts, insights=insights, note=note, by=access.current()
            )
        st.session_state[PACK] = (pack_sel, pack, entry.id)

built = st.session_state.get(PACK)
if built and built[0] == pack_sel:
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
    logged = store.get_log(entry_id)
    if logged:
        st.link_button(
            "Copy to your Performance Manager (opens your email)",
            mailto_link(meta.performance_manager_email, logged),
            icon=":material/mail:",
        )

# --- sharing log -----------------------------------------------------------------------------
st.subheader("Sharing log")
st.caption(
    "Every briefing pack, chart image, safe-table CSV, deck, slide PDF and LA summary exported, "
    "newest first. Kept across "
    "datasets."
)
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
    "Mode",
    ["", "standard", "presenter"],
    format_func=lambda m: m.capitalize() or "Any",
    key="log_mode",
)
kind_filter = right.selectbox(
    "What",
    ["", *store.EXPORT_KINDS],
    format_func=lambda k: store.EXPORT_KINDS.get(k, "Any"),
    key="log_kind",
)
search = search_col.text_input("Search notes and files", key="log_search")
entries = store.list_log(la=la_filter, mode=mode_filter, kind=kind_filter, search=search)
if not entries:
    st.text("Nothing recorded yet." if not everything else "No exports match these filters.")
else:
    st.dataframe(  # text that would run as a formula is neutralised (copied by hand, say)
        neutralise_frame(
            pd.DataFrame(
                {
                    "When (UTC)": [date_time(e.created_utc) for e in entries],
                    "What": [store.EXPORT_KINDS.get(e.kind, e.kind) for e in entries],
                    "Meeting or recipient": [e.note for e in entries],
                    "Area": [e.la_name for e in entries],
                    "Period": [e.period_label for e in entries],
                    "Mode": [e.mode.capitalize() for e in entries],
                    "Included": [included_words(e.included) for e in entries],
                    "Provider": [e.provider for e in entries],
                    "By": [e.owner for e in entries],
                    "File": [e.file_name for e in entries],
                    "SHA-256": [e.sha256 for e in entries],
                }
            )
        ),
        hide_index=True,
        key="log_table",
        # What each export holds is the column a reader reads: wide enough for its words.
        column_config={"Included": st.column_config.TextColumn(width="large")},
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
        mailto_link(meta.performance_manager_email, by_id[chosen]),
        icon=":material/mail:",
    )
