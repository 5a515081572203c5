"""Data page: prepare a raw extract. Choose which of its columns hold what the contract needs;
"Check the mapping" then shows, beside the button, what it will do before it does it: for each
mapped column every distinct raw value, what it becomes and on how many rows, the ones it
cannot map first (insight.intake.preview). The description is filled in from the data (its
first and last month) and the file (its extract date); keeping it shows the result there too,
with a link to present a meeting on it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import streamlit as st

from components.data_common import (
    DataActions,
    audience_box,
    describe_form,
    name_problem,
    set_result,
    show_result,
)
from components.text import literal
from insight.core.contract import META_FILE, REQUIRED_COLUMNS
from insight.intake import prepare, preview
from insight.intake.readers import RawTable
from insight.sharing import datasets

RAW = "prepare_raw"  # session_state: (upload id, RawTable) of the extract being prepared
RESULT = "prepare_result"  # session_state: the last PrepareResult
NOT_IN_EXTRACT = "(not in this extract)"


def forget() -> None:
    """No extract in the box: nothing of the last one stays in the session."""
    st.session_state.pop(RAW, None)
    st.session_state.pop(RESULT, None)


def _read(extract: Any) -> RawTable | None:
    """The extract, read once per upload. read_table reads a path: the extract sits in a private
    folder in memory (/dev/shm where there is one) for the moment it takes to read, then goes."""
    seen = st.session_state.get(RAW)
    if seen is not None and seen[0] == extract.file_id:
        return seen[1]
    st.session_state.pop(RESULT, None)
    folder = datasets.scratch_folder()
    try:
        path = folder / ("extract" + Path(extract.name).suffix.lower())
        path.write_bytes(extract.getvalue())
        raw = prepare.read_raw(path)
    except prepare.PrepareError as error:
        st.session_state.pop(RAW, None)
        st.error(literal(str(error)))
        return None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    st.session_state[RAW] = (extract.file_id, raw)
    return raw


def prepare_extract(actions: DataActions, extract: Any, recipe_bytes: bytes | None) -> None:
    st.caption(
        "LA names (English or Welsh) become codes, dates become months, ages become bands, and "
        "a full postcode gives the LA (looked up on this server, offline) and is then dropped. "
        "Everything else is dropped, never written anywhere. " + prepare.POSTCODE_ATTRIBUTION
    )
    raw = _read(extract)
    if raw is None:
        return
    try:
        base = (
            prepare.Recipe.from_toml(recipe_bytes.decode("utf-8"))
            if recipe_bytes is not None
            else prepare.suggest_recipe(raw)
        )
    except (prepare.PrepareError, UnicodeDecodeError) as error:
        st.error(literal(f"The recipe cannot be used: {error}"))
        base = prepare.suggest_recipe(raw)
    recipe = _choices(raw, base)
    if st.button("Check the mapping", key="prepare_check", type="primary"):
        st.session_state[RESULT] = prepare.prepare(raw, recipe)
    show_result("prepare")
    result = st.session_state.get(RESULT)
    if result is not None and result.recipe != recipe:
        st.session_state.pop(RESULT)  # the choices changed since the check: check again
        result = None
    if result is not None:
        _checked(actions, result, extract.name)


def _choices(raw: RawTable, base: prepare.Recipe) -> prepare.Recipe:
    """Which raw column holds each contract column, the declared keys, the postcode."""
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
    declared = _declared_keys(raw_names, chosen, base)
    postcode_options = [NOT_IN_EXTRACT, *raw_names]
    postcode = st.selectbox(
        "Full postcode (gives la_code when no LA column is chosen; always dropped)",
        postcode_options,
        index=postcode_options.index(base.postcode) if base.postcode in raw_names else 0,
        key="map_postcode",
    )
    return prepare.Recipe(
        columns=chosen,
        postcode=None if postcode == NOT_IN_EXTRACT else postcode,
        day_first=base.day_first,
        values=base.values,
        drop=[n for n in raw_names if n not in chosen.values()],
        barriers=declared["barriers"],
        services=declared["services"],
    )


def _declared_keys(
    raw_names: list[str], chosen: dict[str, str], base: prepare.Recipe
) -> dict[str, dict[str, str]]:
    """A key and a label box for each barrier or service column the contract does not name."""
    asked = [
        (name, prepare.flag_like(name))
        for name in raw_names
        if prepare.flag_like(name) and name not in chosen.values()
    ]
    declared = {"barriers": dict(base.barriers), "services": dict(base.services)}
    if asked:
        st.markdown(
            "**Barrier or service columns the contract does not name.** Prepare never makes up "
            "a key: give each one you keep a key and the label shown for it (a data manager "
            "then signs it off). Leave both blank to drop it. A result such as into work or a "
            "job outcome is DWP performance information: drop it."
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
    return declared


def _checked(actions: DataActions, result: prepare.PrepareResult, file_name: str) -> None:
    """The check's result, beside its button: what must be fixed, the preview, what is dropped
    and asked, the recipe, then the description and the keep button."""
    if result.ok:
        st.success(f"All {result.rows:,} rows map to the contract.")
    else:
        st.error("These must be fixed first (in the extract, the choices above, or the recipe):")
        st.markdown(
            "\n".join(f"- {literal(m)}" for m in result.missing)
            + "\n"
            + "\n".join(f"- {literal(u.text())}" for u in result.unmapped)
        )
    show_preview(result.preview)
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
        _keep_form(actions, result, file_name)


def show_preview(previews: list[preview.ColumnPreview]) -> None:
    """Each mapped column: its values, what each becomes and on how many rows, the ones that
    cannot be mapped first (those columns open, the others folded)."""
    if not previews:
        return
    st.markdown("**What each column becomes** (values that cannot be mapped first):")
    for position, column in enumerate(preview.ordered(previews)):
        with st.expander(column.heading(), expanded=bool(column.unmapped)):
            if column.note:
                st.caption(literal(column.note))
                continue
            shown = {
                "in the extract": [v.raw for v in column.values],
                "becomes": [v.becomes or "not mapped" for v in column.values],
                "rows": [v.rows for v in column.values],
            }
            if column.unmapped or any(v.why for v in column.values):
                shown["why not"] = [v.why for v in column.values]
            st.dataframe(
                shown,
                hide_index=True,
                key=f"preview_{position}",
                column_config={
                    "rows": st.column_config.NumberColumn(format="localized", width="small"),
                    "why not": st.column_config.TextColumn(width="large"),
                },
            )
            if column.more_values:
                st.caption(
                    f"... and {column.more_values:,} more values ({column.more_rows:,} rows), "
                    "all mapped."
                )


def _keep_form(actions: DataActions, result: prepare.PrepareResult, file_name: str) -> None:
    months = [c for c in result.recipe.columns if c.endswith("month")]
    found = preview.describe(result.output, months, file_name)
    on_screen = actions.view.meta
    with st.form("keep_prepared"):
        name = st.text_input("Keep it as", key="prepared_name")
        replace = st.checkbox("Replace a kept dataset of that name", key="prepared_replace")
        audience = audience_box("prepared_audience")
        st.markdown("Describe the dataset (written as its dataset.toml):")
        st.caption(
            preview.filled_in(
                found.period_start, found.period_end, found.extract_date, found.extract_from
            )
            + " Change anything that is not right."
        )
        meta = describe_form(
            "prepared_meta",
            first=found.period_start,
            last=found.period_end,
            extracted=found.extract_date,
            # the provider and area of a real dataset on screen are this provider's own
            provider="" if on_screen.synthetic else on_screen.provider_name,
            area="" if on_screen.synthetic else on_screen.area_name,
        )
        pressed = st.form_submit_button("Check and keep", key="prepared_submit", type="primary")
    if pressed:
        _keep(actions, result, name, replace, audience, meta)


def _keep(
    actions: DataActions,
    result: prepare.PrepareResult,
    name: str,
    replace: bool,
    audience: datasets.Audience,
    meta: str | None,
) -> None:
    problem = name_problem(name) or (None if meta else "Describe the dataset first.")
    if problem:
        st.error(literal(problem))
        return
    staging = datasets.staging_folder()
    try:
        prepare.write_output(result, staging)
        (staging / META_FILE).write_text((meta or "") + result.recipe.flag_toml(), encoding="utf-8")
        message = actions.keep(staging, name.strip(), replace, audience)
        if message:
            st.session_state.pop(RESULT, None)
            set_result("prepare", message, kept=name.strip())
            st.rerun()
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["RAW", "RESULT", "forget", "prepare_extract", "show_preview"]
