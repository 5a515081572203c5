"""Data page: one place to bring data. One upload box takes a contract dataset (its tables and
dataset.toml, or one .zip of them) or a raw extract from a case management system (with last
month's recipe, if there is one); insight.intake.routing says which, and the page routes it:
a dataset is checked whole and kept, an extract goes through the mapping step
(components.data_prepare). One size limit, enforced by the box and stated above it."""

from __future__ import annotations

import shutil

import streamlit as st

from components import data_prepare
from components.data_common import (
    DataActions,
    audience_box,
    describe_form,
    name_problem,
    set_result,
    show_result,
)
from components.text import literal
from insight.core.contract import META_FILE
from insight.intake import limits, prepare, routing, template
from insight.sharing import datasets

UPLOAD_KEY = "bring_files"
ROUTE_ICON = {"dataset": ":material/folder_zip:", "extract": ":material/table_view:"}


def upload_mb() -> int:
    """The one size limit of an uploaded file: the table limit, within the server's ceiling."""
    return limits.upload_mb(int(st.get_option(limits.UPLOAD_OPTION)))


def bring(actions: DataActions) -> None:
    st.subheader("Bring your data")
    st.caption(
        "One box for everything: a dataset in the contract's form (its tables as .csv, .xlsx "
        "or .parquet with dataset.toml, or one .zip of them), or a raw extract from your case "
        "management system as it comes (one .csv, .xlsx or .parquet file, with last month's "
        "recipe.toml if you have one). The page recognises which. Either way it is checked "
        "whole: personal data or DWP performance information refuses it, and nothing from a "
        "refused dataset is shown or kept."
    )
    size, found = upload_mb(), limits.current()
    st.caption(
        f"Limits on this server: each file up to {size:,} MB and {found.rows:,} rows "
        f"({found.xlsx_rows:,} rows in an .xlsx sheet); larger files are refused in seconds, "
        "before they are read."
    )
    _templates()
    files = st.file_uploader(
        "Your dataset or raw extract",
        type=["csv", "xlsx", "parquet", "zip", "toml"],
        accept_multiple_files=True,
        key=UPLOAD_KEY,
        max_upload_size=size,
        help=f"Each file up to {size:,} MB.",
    )
    if not files:
        data_prepare.forget()
        show_result("dataset")
        return
    uploads = [(f.name, f.getvalue()) for f in files]
    found_route = routing.route(uploads)
    if found_route.kind == "unknown":
        data_prepare.forget()
        st.error(literal(found_route.why))
        return
    st.info(
        f"Recognised: {literal(found_route.why[0].lower() + found_route.why[1:])}",
        icon=ROUTE_ICON[found_route.kind],
    )
    if found_route.kind == "dataset":
        data_prepare.forget()
        _keep_dataset(actions, uploads)
        return
    extract = next(f for f in files if f.name == found_route.extract)
    recipe = dict(uploads).get(found_route.recipe) if found_route.recipe else None
    data_prepare.prepare_extract(actions, extract, recipe)


def _templates() -> None:
    left, right = st.columns(2)
    left.download_button(
        "Template (Excel, with dropdowns and notes)",
        template.xlsx_bytes(),
        file_name="restart_insight_template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="template_xlsx",
    )
    right.download_button(
        "Template (CSV files, zipped)",
        template.csv_zip_bytes(),
        file_name="restart_insight_template.zip",
        mime="application/zip",
        key="template_csv",
    )


def _keep_dataset(actions: DataActions, uploads: list[tuple[str, bytes]]) -> None:
    """A contract dataset: a name, an audience, a description if it has no dataset.toml."""
    has_meta = any(name.lower().endswith(".zip") or name == META_FILE for name, _ in uploads)
    with st.form("upload_dataset"):
        name = st.text_input("Keep it as", placeholder="e.g. march-2025", key="upload_name")
        replace = st.checkbox("Replace a kept dataset of that name", key="upload_replace")
        audience = audience_box("upload_audience")
        meta = None
        if not has_meta:
            st.markdown("No dataset.toml with it: describe the dataset here.")
            meta = describe_form("upload_meta")
        pressed = st.form_submit_button("Check and keep", key="upload_submit", type="primary")
    if pressed:
        _check_and_keep(actions, uploads, name, replace, audience, meta)
    show_result("dataset")


def _check_and_keep(
    actions: DataActions,
    uploads: list[tuple[str, bytes]],
    name: str,
    replace: bool,
    audience: datasets.Audience,
    meta: str | None,
) -> None:
    problem = name_problem(name)
    if problem:
        st.error(literal(problem))
        return
    staging = datasets.staging_folder()
    try:
        skipped = datasets.unpack_uploads([datasets.Upload(n, d) for n, d in uploads], staging)
        for line in skipped:
            st.caption(f"Left out: {literal(line)}")
        if not (staging / META_FILE).exists() and meta:
            (staging / META_FILE).write_text(meta, encoding="utf-8")
        message = actions.keep(staging, name.strip(), replace, audience)
        if message:
            set_result("dataset", message, kept=name.strip())
            st.rerun()
    except (datasets.UploadError, prepare.PrepareError) as error:
        st.error(literal(str(error)))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["UPLOAD_KEY", "bring", "upload_mb"]
