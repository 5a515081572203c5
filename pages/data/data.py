"""Data (standard mode only): the dataset on screen; datasets kept by name; uploading a dataset;
preparing a raw extract; the templates; and, inside INSIGHT_DATA_ROOT only, a folder on the server.

Every route ends the same way: the files are checked whole, a refused dataset leaves the one on
screen as it was and nothing of it is kept, and a valid one is kept under the name given and
chosen by `?dataset=<name>` (so a reload or a projector window shows it too)."""

from __future__ import annotations

import shutil
from pathlib import Path

import streamlit as st

from components import access, context
from components.text import literal
from insight.core.contract import META_FILE, REQUIRED_COLUMNS, TABLES
from insight.core.dates import date_time, long_date
from insight.core.problems import DatasetRefused, Report
from insight.intake import limits, prepare, template
from insight.intake.load import load_dataset
from insight.sharing import datasets, review
from insight.sharing.access import NotAllowed

FLASH = "data_page_flash"
RAW = "prepare_raw"  # session_state: (upload id, RawTable) of the extract being prepared
RESULT = "prepare_result"  # session_state: the last PrepareResult
NOT_IN_EXTRACT = "(not in this extract)"

view = context.view()
st.title("Data")
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))


def show_report(report: Report) -> None:
    st.error(
        "Refused: the dataset on screen is unchanged and nothing from this one is kept. "
        "What the checks found:",
        icon=":material/block:",
    )
    for heading, problems, left_out in report.grouped():
        st.markdown(f"**{heading}**")
        st.markdown("\n".join(f"- {literal(p.text())}" for p in problems))
        if left_out:
            st.caption(f"... and {left_out} more of the same kinds.")


def check_and_keep(
    folder: Path, name: str, replace: bool, audience: datasets.Audience = datasets.DEFAULT_AUDIENCE
) -> bool:
    """Check a staging folder whole (one pass, which also loads it); keep it under `name` for
    `audience` and show it. False (with the report) if not: the caller removes the folder."""
    if not replace and datasets.kept_folder(name) is not None:
        st.error(f"A dataset called '{name}' is already kept: choose another name, or replace it.")
        return False
    bar = st.progress(0.0, text="Checking every file against the contract")
    try:
        loaded = load_dataset(
            folder, progress=lambda done, what: bar.progress(min(max(done, 0.0), 1.0), text=what)
        )
    except DatasetRefused as refused:
        show_report(refused.report)
        return False
    finally:
        bar.empty()
    try:
        kept = datasets.keep(
            name,
            folder,
            replace=replace,
            move=True,
            audience=audience,
            columns=datasets.contract_columns(loaded),
        )
    except (datasets.UploadError, OSError) as error:
        st.error(literal(str(error)))
        return False
    context.adopt(str(kept), loaded)
    context.use_kept(name)
    st.session_state[FLASH] = (
        f"Valid and kept as '{name}': {literal(loaded.meta.provider_name)}, "
        f"{loaded.meta.period_label}. It is on screen now, and the link ?dataset={name} opens it "
        "in any window."
    )
    return True


def name_problem(name: str) -> str | None:
    if not name.strip():
        return "Give the dataset a name to keep it under."
    if not datasets.valid_name(name.strip()):
        return f"'{name[:40]}' cannot be a dataset name: use {datasets.NAME_RULE}."
    return None


def audience_box(key: str) -> datasets.Audience:
    """Who may open a dataset kept by name (data managers only unless chosen)."""
    return st.selectbox(
        "Who may open it by its link",
        list(datasets.AUDIENCES),
        format_func=datasets.AUDIENCES.__getitem__,
        key=key,
        help="A viewer opens only datasets kept for everyone; any other name answers as if it "
        "were not kept.",
    )


def meta_form(prefix: str) -> str | None:
    """The short form that writes dataset.toml; returns its text, or None if left empty."""
    provider = st.text_input("Provider name", key=f"{prefix}_provider")
    area = st.text_input("Area name", key=f"{prefix}_area")
    start, end = st.columns(2)
    period_start = start.text_input("First month (YYYY-MM)", key=f"{prefix}_start")
    period_end = end.text_input("Last month (YYYY-MM)", key=f"{prefix}_end")
    extract = st.text_input("Extract date (YYYY-MM-DD)", key=f"{prefix}_extract")
    email = st.text_input("Performance Manager email (optional)", key=f"{prefix}_email")
    if not any((provider, area, period_start, period_end, extract)):
        return None
    return datasets.meta_toml(provider, area, period_start, period_end, extract, email)


# --- the dataset on screen -------------------------------------------------------------------
meta = view.meta
st.subheader("Dataset on screen")
kept_now = context.kept_name()
st.markdown(
    (f"- **Kept as**: {literal(kept_now)}\n" if kept_now else "")
    + f"- **Provider**: {literal(meta.provider_name)}\n"
    f"- **Area**: {literal(meta.area_name)}\n"
    f"- **Period**: {meta.period_label}\n"
    f"- **Extracted**: {long_date(meta.extract_date)}\n"
    f"- **Synthetic**: {'yes' if meta.synthetic else 'no'}\n"
    f"- **Local Authorities with participants**: {len(view.la_codes)}\n"
    f"- **Optional tables**: "
    + (", ".join(name.replace("_", " ") for name in TABLES[1:] if view.has(name)) or "none")
)
st.caption(f"Content key {view.fingerprint[:12]}")

# --- review for sharing: the provider's own keys and the dataset's text (issue 30) -----------
st.subheader("Review for sharing")
st.caption(
    "Before anything the provider wrote reaches the room, a data manager looks at it: the "
    "provider's own barrier and service keys are signed off one by one, and the dataset's text "
    "is reviewed as a whole. Until then presenter mode, slides and exports leave the keys out "
    f'and show "{review.PLACEHOLDER}" in place of the text. Each record keeps who and when.'
)
sheet = view.review_sheet()
me = access.current()
signed = {(s.kind, s.key): s for s in sheet.status.signed}
if sheet.declared:
    st.markdown(
        f"**The provider's own keys** (declared in {META_FILE}). {review.SIGN_OFF_STATEMENT}"
    )
for item in sheet.declared:
    done = signed.get((item.kind, item.key))
    words, action = st.columns([3, 2])
    words.markdown(f"- {item.kind} `{item.key}`: **{literal(item.label)}**")
    if done is not None:
        action.caption(
            f"Signed off by {literal(done.signed_by)}, {date_time(done.signed_utc)} (UTC)"
        )
    elif action.button(
        "Sign off: support, not a performance measure",
        key=f"sign_off_{item.kind}_{item.key}",
    ):
        try:
            record = sheet.sign_off(item, by=me)
        except NotAllowed as error:
            st.error(literal(str(error)))
        else:
            st.session_state[FLASH] = (
                f"Signed off {item.kind} '{item.key}' ({item.label}) as support the provider "
                f"gives, by {record.signed_by}."
            )
            st.rerun()
done_review = sheet.status.review
if not sheet.items:
    st.caption("This dataset holds no free text: nothing to review.")
elif done_review is not None:
    st.caption(
        f"The dataset's text ({done_review.rows:,} values) was reviewed for sharing by "
        f"{literal(done_review.reviewed_by)}, {date_time(done_review.reviewed_utc)} (UTC)."
    )
else:
    st.warning(
        f"Awaiting review: this dataset's text ({len(sheet.items):,} distinct values) is shown "
        f'nowhere else. Presenter mode, slides and exports show "{review.PLACEHOLDER}" until '
        "a data manager reviews it here.",
        icon=":material/rate_review:",
    )
    st.dataframe(
        {
            "table": [i.table.replace("_", " ") for i in sheet.items],
            "column": [i.column for i in sheet.items],
            "text (awaiting review)": [i.value for i in sheet.items],
        },
        hide_index=True,
        key="review_text",
    )
    read_all = st.checkbox(
        "I have read every value: none holds personal data, a count of people or DWP "
        "performance information",
        key="review_confirm",
    )
    if st.button("Record the review", key="review_record", disabled=not read_all):
        try:
            record = sheet.record_review(by=me)
        except NotAllowed as error:
            st.error(literal(str(error)))
        else:
            st.session_state[FLASH] = (
                f"The dataset's text is reviewed for sharing, recorded by {record.reviewed_by}."
            )
            st.rerun()

# --- kept datasets ---------------------------------------------------------------------------
st.subheader("Kept datasets")
names = datasets.kept_names()
if not names:
    st.caption("None yet: upload a dataset below and keep it under a name.")
for name in names:
    label, who, show, remove = st.columns([3, 2, 1, 1])
    label.markdown(
        f"**{literal(name)}** · [open](?dataset={name}) · "
        f"[presenter link](?dataset={name}&mode=presenter)"
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
    if show.button("Show", key=f"kept_show_{name}", disabled=name == kept_now):
        context.use_kept(name)
        st.session_state[FLASH] = f"Showing the kept dataset '{name}'."
        st.rerun()
    if remove.button("Remove", key=f"kept_remove_{name}"):
        datasets.remove(name)
        if name == kept_now:
            context.use_kept(None)
        st.session_state[FLASH] = f"Removed '{name}' and its files."
        st.rerun()
if kept_now and st.button("Show the default dataset", key="kept_default"):
    context.use_kept(None)
    st.rerun()

# --- upload ----------------------------------------------------------------------------------
st.subheader("Upload a dataset")
st.caption(
    "The tables (participants and any optional tables) as .csv, .xlsx or .parquet, or one .zip "
    "of them, with dataset.toml (or fill in the form). The dataset is checked whole: personal "
    "data or DWP performance information refuses it, and nothing from a refused dataset is "
    "shown or kept."
)
_limits = limits.current()
st.caption(
    f"Limits on this server: each table file up to {_limits.file_mb:,} MB and "
    f"{_limits.rows:,} rows ({_limits.xlsx_rows:,} rows in an .xlsx sheet); larger files are "
    "refused in seconds, before they are read."
)
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
with st.form("upload_dataset"):
    files = st.file_uploader(
        "Tables and dataset.toml, or one .zip",
        type=["csv", "xlsx", "parquet", "zip", "toml"],
        accept_multiple_files=True,
        key="upload_files",
    )
    upload_name = st.text_input("Keep it as", placeholder="e.g. march-2025", key="upload_name")
    upload_replace = st.checkbox("Replace a kept dataset of that name", key="upload_replace")
    upload_audience = audience_box("upload_audience")
    with st.expander("No dataset.toml? Describe the dataset here"):
        upload_meta = meta_form("upload_meta")
    uploaded = st.form_submit_button("Check and keep", key="upload_submit")
if uploaded:
    problem = name_problem(upload_name)
    if problem:
        st.error(literal(problem))
    elif not files:
        st.error("Choose the dataset's files first.")
    else:
        staging = datasets.staging_folder()
        try:
            skipped = datasets.unpack_uploads(
                [datasets.Upload(f.name, f.getvalue()) for f in files], staging
            )
            for line in skipped:
                st.caption(f"Left out: {literal(line)}")
            if not (staging / META_FILE).exists() and upload_meta:
                (staging / META_FILE).write_text(upload_meta, encoding="utf-8")
            if check_and_keep(staging, upload_name.strip(), upload_replace, upload_audience):
                st.rerun()
        except datasets.UploadError as error:
            st.error(literal(str(error)))
        finally:
            shutil.rmtree(staging, ignore_errors=True)

# --- prepare a raw extract ---------------------------------------------------------------------
st.subheader("Prepare a raw extract")
st.caption(
    "An export from your case management system, as it comes: choose which of its columns hold "
    "what the contract needs. LA names (English or Welsh) become codes, dates become months, "
    "ages become bands, and a full postcode gives the LA (looked up on this server, offline) and "
    "is then dropped. Everything else is dropped, never written anywhere. "
    + prepare.POSTCODE_ATTRIBUTION
)
extract = st.file_uploader(
    "Raw extract (.csv, .xlsx or .parquet)", type=["csv", "xlsx", "parquet"], key="prepare_file"
)
recipe_file = st.file_uploader(
    "Recipe from an earlier month (optional)", type=["toml"], key="prepare_recipe"
)
if extract is None:
    st.session_state.pop(RAW, None)
    st.session_state.pop(RESULT, None)
else:
    seen = st.session_state.get(RAW)
    if seen is None or seen[0] != extract.file_id:
        st.session_state.pop(RESULT, None)
        # read_table reads a path: the extract sits in a private folder in memory (/dev/shm
        # where there is one) for the moment it takes to read, then goes
        folder = datasets.scratch_folder()
        try:
            path = folder / ("extract" + Path(extract.name).suffix.lower())
            path.write_bytes(extract.getvalue())
            st.session_state[RAW] = (extract.file_id, prepare.read_raw(path))
        except prepare.PrepareError as error:
            st.session_state.pop(RAW, None)
            st.error(literal(str(error)))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
if RAW in st.session_state:
    raw = st.session_state[RAW][1]
    try:
        base = (
            prepare.Recipe.from_toml(recipe_file.getvalue().decode("utf-8"))
            if recipe_file is not None
            else prepare.suggest_recipe(raw)
        )
    except (prepare.PrepareError, UnicodeDecodeError) as error:
        st.error(literal(f"The recipe cannot be used: {error}"))
        base = prepare.suggest_recipe(raw)
    raw_names = [c.original for c in raw.columns if c.original]
    st.markdown(f"**{raw.n_rows:,} rows, {len(raw_names)} columns.** Which column holds what?")
    wanted = list(REQUIRED_COLUMNS["participants"])
    wanted += [name for name in base.columns if name not in wanted]
    chosen: dict[str, str] = {}
    grid = st.columns(2)
    for position, name in enumerate(wanted):
        near = [n for n in prepare.near_matches(raw_names, name) if n != base.columns.get(name)]
        options = [NOT_IN_EXTRACT, *dict.fromkeys([*near, *raw_names])]
        current = base.columns.get(name, NOT_IN_EXTRACT)
        pick = grid[position % 2].selectbox(
            name,
            options,
            index=options.index(current) if current in options else 0,
            key=f"map_{name}",
            format_func=lambda o, near=near: f"{o}  (looks like it)" if o in near else o,
            help="Columns that look like this one are listed first."
            if near
            else "Chosen from the column names, if any matched.",
        )
        if pick != NOT_IN_EXTRACT:
            chosen[name] = pick
    asked = [
        (name, prepare.flag_like(name))
        for name in raw_names
        if prepare.flag_like(name) and name not in chosen.values()
    ]
    declared: dict[str, dict[str, str]] = {
        "barriers": dict(base.barriers),
        "services": dict(base.services),
    }
    if asked:
        st.markdown(
            "**Barrier or service columns the contract does not name.** Prepare never makes up a "
            "key: give each one you keep a key and the label shown for it (a data manager then "
            "signs it off). Leave both blank to drop it. A result such as into work or a job "
            "outcome is DWP performance information: drop it."
        )
    for position, (name, would_be) in enumerate(asked):
        prefix = "barrier_" if str(would_be).startswith("barrier_") else "service_"
        section = "barriers" if prefix == "barrier_" else "services"
        left_box, right_box = st.columns(2)
        key = left_box.text_input(
            f"Key for '{name}' (after {prefix})", key=f"ask_key_{position}", max_chars=40
        ).strip()
        label = right_box.text_input(
            f"Label for '{name}'", key=f"ask_label_{position}", max_chars=60
        ).strip()
        if key or label:
            chosen[prefix + key] = name
            declared[section][key] = label
    postcode_options = [NOT_IN_EXTRACT, *raw_names]
    postcode = st.selectbox(
        "Full postcode (gives la_code when no LA column is chosen; always dropped)",
        postcode_options,
        index=postcode_options.index(base.postcode) if base.postcode in raw_names else 0,
        key="map_postcode",
    )
    recipe = prepare.Recipe(
        columns=chosen,
        postcode=None if postcode == NOT_IN_EXTRACT else postcode,
        day_first=base.day_first,
        values=base.values,
        drop=[n for n in raw_names if n not in chosen.values()],
        barriers=declared["barriers"],
        services=declared["services"],
    )
    if st.button("Check the mapping", key="prepare_check", type="primary"):
        st.session_state[RESULT] = prepare.prepare(raw, recipe)
    result = st.session_state.get(RESULT)
    if result is not None and result.recipe != recipe:
        st.session_state.pop(RESULT)  # the choices changed since the check: check again
        result = None
    if result is not None:
        if result.ok:
            st.success(f"All {result.rows:,} rows map to the contract.")
        else:
            st.error(
                "These must be fixed first (in the extract, the choices above, or the recipe):"
            )
            st.markdown(
                "\n".join(f"- {literal(m)}" for m in result.missing)
                + "\n"
                + "\n".join(f"- {literal(u.text())}" for u in result.unmapped)
            )
        if result.asks:
            st.markdown(f"**{prepare.ASK_HEADING}**")
            st.markdown("\n".join(f"- {literal(prepare.ask_text(r, c))}" for r, c in result.asks))
        if result.dropped:
            st.markdown("**Dropped, never written anywhere:**")
            st.markdown("\n".join(f"- {literal(d.text())}" for d in result.dropped))
        st.download_button(
            "Download the recipe (reuse it next month)",
            result.recipe.to_toml(),
            file_name=prepare.RECIPE_FILE,
            mime="application/toml",
            key="prepare_recipe_download",
        )
        if result.ok:
            with st.form("keep_prepared"):
                prepared_name = st.text_input("Keep it as", key="prepared_name")
                prepared_replace = st.checkbox(
                    "Replace a kept dataset of that name", key="prepared_replace"
                )
                prepared_audience = audience_box("prepared_audience")
                st.markdown("Describe the dataset (written as its dataset.toml):")
                prepared_meta = meta_form("prepared_meta")
                keep_prepared = st.form_submit_button("Check and keep", key="prepared_submit")
            if keep_prepared:
                problem = name_problem(prepared_name) or (
                    None if prepared_meta else "Describe the dataset first."
                )
                if problem:
                    st.error(literal(problem))
                else:
                    staging = datasets.staging_folder()
                    try:
                        prepare.write_output(result, staging)
                        (staging / META_FILE).write_text(
                            (prepared_meta or "") + result.recipe.flag_toml(), encoding="utf-8"
                        )
                        if check_and_keep(
                            staging, prepared_name.strip(), prepared_replace, prepared_audience
                        ):
                            st.session_state.pop(RESULT, None)
                            st.rerun()
                    finally:
                        shutil.rmtree(staging, ignore_errors=True)

# --- a folder on the server (only inside INSIGHT_DATA_ROOT) ----------------------------------
root = datasets.data_root()
if root is not None:
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
            try:
                loaded = context.open_dataset(str(path), fresh=True)
            except OSError:
                st.error(
                    "That folder could not be read (check that this server may open it and its "
                    "files). The dataset on screen is unchanged.",
                    icon=":material/block:",
                )
            except DatasetRefused as refused:
                show_report(refused.report)
            else:
                context.use_folder(str(path))
                st.session_state[FLASH] = (
                    f"Valid: {literal(loaded.meta.provider_name)}, {loaded.meta.period_label}. "
                    "It now replaces the previous dataset for this session."
                )
                st.rerun()
