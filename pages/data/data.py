"""Data (standard mode only): the dataset on screen, and loading another dataset folder.
A refused dataset leaves the current one on screen; a valid one replaces it for this session."""

from pathlib import Path

import streamlit as st

from components import context
from components.text import literal
from insight import limits
from insight.model import DatasetRefused

FLASH = "data_page_flash"

ds, sel = context.current()
st.title("Data")
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))
meta = ds.meta
st.subheader("Dataset on screen")
st.markdown(
    f"- **Provider**: {literal(meta.provider_name)}\n"
    f"- **Area**: {literal(meta.area_name)}\n"
    f"- **Period**: {meta.period_label}\n"
    f"- **Extracted**: {meta.extract_date:%d %B %Y}\n"
    f"- **Synthetic**: {'yes' if meta.synthetic else 'no'}\n"
    f"- **Local Authorities with participants**: {len(ds.la_codes)}\n"
    f"- **Optional tables**: "
    + (
        ", ".join(
            name.replace("_", " ")
            for name in (
                "vacancies",
                "job_entries",
                "local_provision",
                "commissioning_plans",
                "insights",
            )
            if getattr(ds, name) is not None
        )
        or "none"
    )
)
st.caption(f"Folder: {ds.source or context.active_folder()} · content key {ds.fingerprint[:12]}")

st.subheader("Open another dataset")
st.caption(
    "A folder on this machine that follows the data contract (dataset.toml, participants, and "
    "any optional tables). It is checked whole: personal data or DWP performance information "
    "refuses it, and nothing from a refused dataset is shown or kept."
)
_limits = limits.current()
st.caption(
    f"Limits on this server: each table file up to {_limits.file_mb:,} MB and "
    f"{_limits.rows:,} rows ({_limits.xlsx_rows:,} rows in an .xlsx sheet); larger files are "
    "refused in seconds, before they are read."
)
with st.form("open_dataset"):
    folder = st.text_input("Dataset folder", placeholder="/path/to/dataset", key="dataset_path")
    submitted = st.form_submit_button("Check and open", key="open_dataset_submit")
if submitted:
    path = Path(folder.strip()).expanduser() if folder.strip() else None
    if path is None or not path.is_dir():
        st.error("That is not a folder on this machine.")
    else:
        try:
            loaded = context.open_dataset(str(path), fresh=True)
        except OSError:
            loaded = None
            st.error(
                "That folder could not be read (check that this server may open it and its "
                "files). The dataset on screen is unchanged.",
                icon=":material/block:",
            )
        except DatasetRefused as refused:
            loaded = None
            st.error(
                "Refused: the dataset on screen is unchanged. What the checks found:",
                icon=":material/block:",
            )
            for heading, problems, left_out in refused.report.grouped():
                st.markdown(f"**{heading}**")
                st.markdown("\n".join(f"- {literal(p.text())}" for p in problems))
                if left_out:
                    st.caption(f"... and {left_out} more of the same kinds.")
        if loaded is not None:
            context.use_folder(str(path))
            st.session_state[FLASH] = (
                f"Valid: {literal(loaded.meta.provider_name)}, {loaded.meta.period_label}. "
                "It now replaces the previous dataset for this session."
            )
            st.rerun()
