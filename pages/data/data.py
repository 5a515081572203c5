"""Data (standard mode, data managers): the dataset on screen; one place to bring data (a
contract dataset or a raw extract, recognised and routed); the datasets kept by name and the
default for everyone; review for sharing; and, inside INSIGHT_DATA_ROOT only, a folder on the
server. Each workflow is a component (components.data_*); this page holds only what reaches the
session's dataset, and hands it to them as DataActions.

Every route ends the same way: the files are checked whole, a refused dataset leaves the one on
screen as it was and nothing of it is kept, and a valid one is kept under the name given and
chosen by `?dataset=<name>` (so a reload or a projector window shows it too)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import access, context, data_bring, data_folder, data_kept, data_review
from components.data_common import FLASH, DataActions, show_report
from components.text import literal
from insight.core.problems import DatasetRefused
from insight.intake.load import load_dataset
from insight.sharing import datasets


def keep(folder: Path, name: str, replace: bool, audience: datasets.Audience) -> str | None:
    """Check a staging folder whole (one pass, which also loads it); keep it under `name` for
    `audience` and show it. The message for beside the button, or None (with the report): the
    caller removes the folder."""
    if not replace and datasets.kept_folder(name) is not None:
        st.error(f"A dataset called '{name}' is already kept: choose another name, or replace it.")
        return None
    bar = st.progress(0.0, text="Checking every file against the contract")

    def progress(done: float, what: str) -> None:
        bar.progress(min(max(done, 0.0), 1.0), text=what)

    try:
        loaded = load_dataset(folder, progress=progress)
    except DatasetRefused as refused:
        show_report(refused.report)
        return None
    finally:
        bar.empty()
    try:
        kept = datasets.keep(
            name, folder, replace=replace, move=True, audience=audience,
            columns=datasets.contract_columns(loaded),
        )  # fmt: skip
    except (datasets.UploadError, OSError) as error:
        st.error(literal(str(error)))
        return None
    context.adopt(str(kept), loaded)
    context.use_kept(name)
    return (
        f"Valid and kept as '{name}': {literal(loaded.meta.provider_name)}, "
        f"{loaded.meta.period_label}. It is on screen now, and the link ?dataset={name} opens it "
        "in any window."
    )


def open_folder(path: Path) -> str | None:
    """Check a folder on the server and show it in this session; the message, or None."""
    try:
        loaded = context.open_dataset(str(path), fresh=True)
    except OSError:
        st.error(
            "That folder could not be read (check that this server may open it and its "
            "files). The dataset on screen is unchanged.",
            icon=":material/block:",
        )
        return None
    except DatasetRefused as refused:
        show_report(refused.report)
        return None
    context.use_folder(str(path))
    return (
        f"Valid: {literal(loaded.meta.provider_name)}, {loaded.meta.period_label}. "
        "It now replaces the previous dataset for this session."
    )


actions = DataActions(
    view=context.view(),
    kept_now=context.kept_name(),
    keep=keep,
    show=context.use_kept,
    open_folder=open_folder,
)
me = access.current()
st.title("Data")
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))
data_kept.on_screen(actions)
data_bring.bring(actions)
data_kept.kept_list(actions, me)
data_review.review_for_sharing(actions.view, me)
data_folder.server_folder(actions)
