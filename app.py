"""Restart Insight: the router and the frame every page shares.

`streamlit run app.py` finds the `st.App` below and serves this same file as the app's script.
Why: a folder named `pages/` beside the entry script makes Streamlit 1.67 start a fresh server
in the legacy multipage mode for its first script run (PagesManager decides this once per
process, before any script runs). A deep link such as `/participants_barriers` on a freshly
started server then shows a "Page not found" notice before `st.navigation` takes over. The
st.App entry point is imported once at server start, before any session, so the legacy mode is
switched off there; every session, the first included, runs this frame through st.navigation.

As the script (`__name__ == "__main__"`, also under AppTest) it builds the page list for the
mode (the page list is the access control: presenter mode leaves Data and the exports out), the
sidebar filters, the caveat banner and the styles, then runs the page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent

if __name__ != "__main__":
    # Imported by `streamlit run` (ASGI discovery) at server start: no page has run yet.
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    app = st.App(str(HERE / "app.py"))
else:
    from components import banner, context, controls, style
    from insight.model import DatasetRefused, Mode

    # (section, file, title, url_path, modes); the default page is first. No page icons:
    # Streamlit fetches a Material icon favicon from Google's servers, and nothing may leave.
    BOTH: tuple[Mode, ...] = ("standard", "presenter")
    STANDARD: tuple[Mode, ...] = ("standard",)
    PAGES: tuple[tuple[str, str, str, str, tuple[Mode, ...]], ...] = (
        ("", "pages/overview/overview.py", "Overview", "overview", BOTH),
        ("Participants", "pages/participants/locations.py", "Locations", "participants_locations", BOTH),
        ("Participants", "pages/participants/characteristics.py", "Characteristics", "participants_characteristics", BOTH),
        ("Participants", "pages/participants/barriers.py", "Barriers", "participants_barriers", BOTH),
        ("Participants", "pages/participants/services.py", "Service usage", "participants_services", BOTH),
        ("Participants", "pages/participants/trends.py", "Trends", "participants_trends", BOTH),
        ("Local labour market", "pages/labour_market/labour_market.py", "Vacancies and job entries", "labour_market", BOTH),
        ("Commissioning", "pages/commissioning/commissioning.py", "Plans and local provision", "commissioning", BOTH),
        ("What works", "pages/what_works/what_works.py", "Delivery insights", "what_works", BOTH),
        ("Sharing", "pages/sharing/stakeholder_insights.py", "Stakeholder insights", "stakeholder_insights", BOTH),
        ("Sharing", "pages/sharing/can_i_share.py", "Can I share this?", "can_i_share", BOTH),
        ("Sharing", "pages/sharing/sharing.py", "Exports and sharing log", "sharing", STANDARD),
        ("About this tool", "pages/data/data.py", "Data", "data", STANDARD),
        ("About this tool", "pages/about/about.py", "About", "about", BOTH),
    )  # fmt: skip

    def navigation(mode: Mode) -> dict[str, list]:
        """The pages this mode may reach, by section. A page not listed cannot be opened, not even
        by URL; a page file not written yet is left out rather than shown broken."""
        sections: dict[str, list] = {}
        for section, path, title, url_path, modes in PAGES:
            if mode not in modes or not (HERE / path).exists():
                continue
            page = st.Page(HERE / path, title=title, url_path=url_path)
            sections.setdefault(section, []).append(page)
        return sections

    st.set_page_config(
        page_title="Restart Insight",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    try:
        ds = context.dataset()
    except DatasetRefused as refused:
        style.apply("standard")
        banner.banner(None)
        st.error("The dataset could not be opened: it was refused by the checks below.")
        for heading, problems, left_out in refused.report.grouped():
            st.subheader(heading)
            st.markdown("\n".join(f"- {p.text()}" for p in problems))
            if left_out:
                st.caption(f"... and {left_out} more of the same kinds.")
        st.stop()

    sel = controls.sidebar(ds)
    context.set_selection(sel)
    page = st.navigation(navigation(sel.mode), position="sidebar", expanded=True)
    style.apply(sel.mode)
    banner.banner(ds.meta, sel)
    message = controls.notice()
    if message:
        st.warning(message, icon=":material/link_off:")
    page.run()
