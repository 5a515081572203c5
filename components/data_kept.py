"""Data page: the dataset on screen, and the datasets kept by name (open, presenter link, who may
open it, show, remove, and the default for everyone)."""

from __future__ import annotations

import streamlit as st

from components.data_common import FLASH, DataActions
from components.text import literal
from insight.core.contract import TABLES
from insight.core.dates import long_date
from insight.sharing import datasets
from insight.sharing.access import NotAllowed, Principal


def on_screen(actions: DataActions) -> None:
    view, kept_now = actions.view, actions.kept_now
    meta = view.meta
    default = datasets.default_name()
    st.subheader("Dataset on screen")
    st.markdown(
        (f"- **Kept as**: {literal(kept_now)}\n" if kept_now else "")
        + (f"- **Default for everyone**: {literal(default)}\n" if default else "")
        + f"- **Provider**: {literal(meta.provider_name)}\n"
        f"- **Area**: {literal(meta.area_name)}\n"
        f"- **Period**: {meta.period_label}\n"
        f"- **Extracted**: {long_date(meta.extract_date)}\n"
        f"- **Synthetic**: {'yes' if meta.synthetic else 'no'}\n"
        f"- **Local Authorities with participants**: {len(view.la_codes)}\n"
        f"- **Optional tables**: "
        + (", ".join(name.replace("_", " ") for name in TABLES[1:] if view.has(name)) or "none")
    )
    st.caption(
        f"Check code {view.fingerprint[:12]}: it is worked out from the files' contents, so two "
        "copies of a dataset with the same check code hold the same data, and it changes when any "
        "file changes."
    )


def kept_list(actions: DataActions, me: Principal) -> None:
    st.subheader("Kept datasets")
    names = datasets.kept_names()
    default = datasets.default_name()
    if not names:
        st.caption("None yet: bring your data below and keep it under a name.")
    else:
        st.caption(
            "The default for everyone is the dataset every session opens when its link names "
            "none. Only a dataset everyone may open can be made the default."
        )
    for name in names:
        _row(actions, me, name, default)
    if actions.kept_now and st.button("Show the default dataset", key="kept_default"):
        actions.show(None)
        st.rerun()


def _row(actions: DataActions, me: Principal, name: str, default: str | None) -> None:
    label, who, make, show, remove = st.columns([3, 2, 2, 1, 1], vertical_alignment="center")
    label.markdown(
        f"**{literal(name)}** · [open](?dataset={name}) · "
        f"[presenter link](?dataset={name}&mode=presenter)"
        + (" · *default for everyone*" if name == default else "")
    )
    chosen = datasets.audience(name)
    picked = who.selectbox(
        f"Who may open {name}",
        list(datasets.AUDIENCES),
        index=list(datasets.AUDIENCES).index(chosen),
        format_func=datasets.AUDIENCES.__getitem__,
        key=f"kept_audience_{name}",
        label_visibility="collapsed",
    )
    if picked != chosen:
        datasets.set_audience(name, picked)
        st.session_state[FLASH] = f"'{name}' opens now for: {datasets.AUDIENCES[picked].lower()}."
        st.rerun()
    if name == default:
        if make.button(
            "Not the default",
            key=f"kept_undefault_{name}",
            help="Back to INSIGHT_DATASET or the sample.",
        ):
            _set_default(None, me, "The default is INSIGHT_DATASET or the sample again.")
    elif make.button(
        "Make default",
        key=f"kept_make_default_{name}",
        disabled=chosen != "viewer" or not me.may("data"),
        help="Every session whose link names no dataset opens this one. Open it to everyone first."
        if chosen != "viewer"
        else "Every session whose link names no dataset opens this one.",
    ):
        _set_default(name, me, f"'{name}' is now the default for everyone.")
    if show.button("Show", key=f"kept_show_{name}", disabled=name == actions.kept_now):
        actions.show(name)
        st.session_state[FLASH] = f"Showing the kept dataset '{name}'."
        st.rerun()
    if remove.button("Remove", key=f"kept_remove_{name}"):
        datasets.remove(name)
        if name == actions.kept_now:
            actions.show(None)
        st.session_state[FLASH] = f"Removed '{name}' and its files."
        st.rerun()


def _set_default(name: str | None, me: Principal, done: str) -> None:
    try:
        datasets.set_default(name, by=me)
    except (NotAllowed, datasets.UploadError) as error:
        st.error(literal(str(error)))
        return
    st.session_state[FLASH] = done
    st.rerun()


__all__ = ["kept_list", "on_screen"]
