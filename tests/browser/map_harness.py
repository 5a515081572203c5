"""A tiny Streamlit script that draws one LA map from a hand-made SafeTable (the West Midlands
sample LAs), for the map tests and a live look. Query parameters: engine (auto, plotly, folium,
pydeck), mode (standard, presenter), unit (%, index), la (a selected LA code).

A click on an LA puts its code in the URL as ?la=<code>, as components.controls.select_la does in
the app. Run: streamlit run tests/browser/map_harness.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from insight.core.geo import la_name  # noqa: E402
from insight.core.selection import WHOLE_AREA, Selection  # noqa: E402
from insight.numbers.tables import SafeTable  # noqa: E402
from insight.sample.text import PRESETS  # noqa: E402

WM = tuple(la.code for la in PRESETS["west-midlands"].las)  # the sample's 16 LAs
SHARES = (31, 9, 11, 8, 7, 8, 9, 3, 2, 2, 3, 2, 2, 1, 2, 2)
INDEX = (128, 104, 121, 97, 88, 112, 119, 41, 52, 38, 70, 0, 66, 45, 51, 60)
COUNTS = (12345, 3615, 4410, 3210, 2805, 3220, 3605, 1205, 805, 810, 1195, 0, 790, 405, 800, 795)


def wm_table(
    mode: str = "standard",
    unit: str = "%",
    suppressed: tuple[str, ...] = ("E07000235",),
    with_count: bool = True,
    key: str = "la_shares",
) -> SafeTable:
    """One row per West Midlands LA, as insight.numbers.tables.la_shares / hotspot will return it."""
    values = SHARES if unit == "%" else INDEX
    rows = []
    for code, value, count in zip(WM, values, COUNTS, strict=True):
        hidden = code in suppressed
        row = {
            "area_code": code,
            "area": la_name(code),
            "category_key": code,
            "category": la_name(code),
            "value": float("nan") if hidden else float(value),
            "label": "[c]" if hidden else (f"{value}%" if unit == "%" else str(value)),
            "suppressed": hidden,
        }
        if mode == "standard" and with_count:
            row["count"] = "[c]" if hidden else f"{round(count / 5) * 5:,}"
        rows.append(row)
    measure = "Share of participants" if unit == "%" else "Hotspot index (100 = in proportion)"
    return SafeTable(
        key=key,
        title="Birmingham has the largest share of participants",
        subtitle=f"{measure}, by Local Authority, Jul 2024 to Jun 2025",
        frame=pd.DataFrame(rows),
        mode=mode,  # type: ignore[arg-type]
        unit=unit,  # type: ignore[arg-type]
        symbols=("[c]",),
    )


def main() -> None:
    import streamlit as st

    from components.maps import la_map

    st.set_page_config(page_title="Map harness", layout="wide")
    params = st.query_params
    mode = params.get("mode", "standard")
    engine = params.get("engine", "auto")
    unit = params.get("unit", "%")
    la = params.get("la", WHOLE_AREA)
    sel = Selection(la=la, mode=mode)  # type: ignore[arg-type]
    key = "vacancies.by_la" if engine == "pydeck" else "la_shares"
    clicked = la_map(
        wm_table(mode, unit, key=key), sel, key=f"map_{engine}", codes=WM, engine=engine
    )  # type: ignore[arg-type]
    if clicked:
        st.query_params["la"] = clicked
        st.rerun()
    st.markdown(f"Selected LA: **{la}**")


if __name__ == "__main__":
    main()
