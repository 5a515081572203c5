"""Data page: open a folder on the server, only inside INSIGHT_DATA_ROOT (unset: not offered).
Any other path gets the same answer whether it exists or not, so the box cannot probe the
machine."""

from __future__ import annotations

import streamlit as st

from components.data_common import DataActions, set_result, show_result
from insight.sharing import datasets


def server_folder(actions: DataActions) -> None:
    root = datasets.data_root()
    if root is None:
        return
    st.subheader("Open a folder on the server")
    st.caption(
        "A folder inside the data root this server was given (INSIGHT_DATA_ROOT). It is "
        "checked whole and shown in this session only."
    )
    with st.form("open_dataset"):
        folder_text = st.text_input(
            "Dataset folder", placeholder="a folder inside the data root", key="dataset_path"
        )
        submitted = st.form_submit_button("Check and open", key="open_dataset_submit")
    if submitted:
        path = datasets.folder_in_root(folder_text, root)
        if path is None:
            st.error(datasets.NOT_AVAILABLE)
        else:
            message = actions.open_folder(path)
            if message:
                set_result("folder", message)
                st.rerun()
    show_result("folder")


__all__ = ["server_folder"]
