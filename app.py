"""Restart Insight: the router and the frame every page shares.

`streamlit run app.py` finds the `st.App` below and serves this same file as the app's script.
Why: a folder named `pages/` beside the entry script makes Streamlit 1.67 start a fresh server
in the legacy multipage mode for its first script run (PagesManager decides this once per
process, before any script runs). A deep link such as `/participants_barriers` on a freshly
started server then shows a "Page not found" notice before `st.navigation` takes over. The
st.App entry point is imported once at server start, before any session, so the legacy mode is
switched off there; every session, the first included, runs this frame through st.navigation.

As the script (`__name__ == "__main__"`, also under AppTest) it first asks whether this run may go
ahead at all (components.access.over_limit: reruns per session and sessions per person; a refused
run costs a sentence, not a page), then decides who the session is (components.access: sign-in
and the roles file, or the local user, opted in by `make run`, on this machine only), builds
the page list for the role and the mode (the page list is the access control: presenter mode and
the viewer role leave Data and the exports out, so those pages have no URL), the sidebar
filters, the caveat banner and the styles, then runs the page. With sign-in configured and nobody
signed in, the only page is the sign-in page, and no dataset is opened.

At server start it also makes sure Streamlit never asks the network for this machine's address
(see `_no_address_lookups`), and warms the caches in the background (components.context.warm:
the default dataset opened, the first page's tables and chart made in both modes).
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent


def _no_address_lookups() -> None:
    """Nothing may leave the machine. Streamlit looks up this machine's addresses when a
    WebSocket arrives from another origin (its CORS check): the 'internal' one by opening a UDP
    socket towards 8.8.8.8 and the 'external' one by an HTTP request to checkip.amazonaws.com.
    `browser.serverAddress` in config.toml stops the start-up banner's lookup, not this one, so
    both are answered here without the network: loopback, and unknown."""
    from streamlit import net_util

    net_util.get_internal_ip = lambda: "127.0.0.1"
    net_util.get_external_ip = lambda: None


def _warm() -> None:
    """The first visitor after a start does not pay for the imports, the load and the counting
    (components.context.warm_at_start); imported here, in the thread, so the server's start is
    not held up by it."""
    from components.context import warm_at_start
    from insight.service import collector

    warm_at_start()
    collector.settle()  # what warming left alive is kept out of every later collection


if __name__ != "__main__":
    # Imported by `streamlit run` (ASGI discovery) at server start: no page has run yet.
    import logging

    from streamlit.runtime.pages_manager import PagesManager

    from components.access import check_roles_at_start
    from insight.service import collector
    from insight.sharing.datasets import remove_stale
    from insight.sharing.store import prepare_at_start

    collector.for_a_server()  # a sixth of a rerun's CPU went on Python's collector
    _no_address_lookups()
    check_roles_at_start()  # log a roles file that cannot be read, or entries that never match
    if problem := prepare_at_start():  # the schema brought up to date before anyone's page
        logging.getLogger("insight.store").error(problem)
    remove_stale()  # upload folders a stopped server left behind (it may have been killed mid-check)
    PagesManager.uses_pages_directory = False
    app = st.App(str(HERE / "app.py"))
    threading.Thread(target=_warm, name="warm-caches", daemon=True).start()
else:
    from components import access, banner, context, controls, style
    from components import navigation as navigation_specs
    from components.navigation import SLIDES_URL, pages_for
    from components.text import literal
    from insight.core.problems import DatasetRefused
    from insight.core.selection import Mode
    from insight.sharing.access import ROLE_LABELS, Principal, Role
    from insight.sharing.turns import TURNS

    def navigation(mode: Mode, role: Role) -> dict[str, list]:
        """The pages this mode and role may reach, by section. A page not listed cannot be
        opened, not even by URL (components.navigation holds the list). Two kinds of hidden page
        besides, in no menu: `/overview` (the default page's own path; Streamlit serves the
        default page at `/` only) leads to the Overview, and a page this role reaches in the
        other mode only says so in plain words instead of Streamlit's "Page not found" (its own
        script is never run). A page the role never reaches gets no stand-in: its URL runs the
        main page."""
        sections: dict[str, list] = {}
        specs = pages_for(mode, role)
        # The default page's path is taken by its alias below: Streamlit keys pages by path.
        default = st.Page(
            HERE / specs[0].path, title=specs[0].title, url_path=f"{specs[0].url_path}_home"
        )
        sections.setdefault(specs[0].section, []).append(default)
        for spec in specs[1:]:
            page = st.Page(HERE / spec.path, title=spec.title, url_path=spec.url_path)
            sections.setdefault(spec.section, []).append(page)
        hidden = sections.setdefault("", [])

        def to_default() -> None:
            st.switch_page(default)

        hidden.append(
            st.Page(
                to_default, title=specs[0].title, url_path=specs[0].url_path, visibility="hidden"
            )
        )
        other_mode: Mode = "standard" if mode == "presenter" else "presenter"
        elsewhere = set(pages_for(other_mode, role)) - set(specs)
        for spec in navigation_specs.PAGES:
            if spec in elsewhere:
                hidden.append(
                    st.Page(
                        functools.partial(controls.not_in_mode, spec.title, mode),
                        title=spec.title,
                        url_path=spec.url_path,
                        visibility="hidden",
                    )
                )
        return sections

    NAVIGATION = "navigation_pages"  # session_state: (mode, role) and the pages built for them

    def navigation_kept(mode: Mode, role: Role) -> dict[str, list]:
        """`navigation(mode, role)`, built once per session for each mode and role: building
        it resolves every page's path on disk, which cost a follower's rerun (twenty of them
        on every move of a meeting) as much as its look at the store. Kept per session, not
        per process: st.navigation marks the pages it is given (which is the default, which
        may run), so two sessions must never share them."""
        kept = st.session_state.get(NAVIGATION)
        if kept is not None and kept[0] == (mode, role):
            return kept[1]
        sections = navigation(mode, role)
        st.session_state[NAVIGATION] = ((mode, role), sections)
        return sections

    def sign_in() -> None:
        st.title("Restart Insight")
        st.markdown(
            "Sign in with your organisation account to see this provider's own management "
            "information. What you may see and do depends on the role your organisation gave you."
        )
        st.button("Sign in", type="primary", key="sign_in", on_click=st.login)

    def who(principal: Principal, mode: Mode) -> None:
        """Who this session is, its role, and the way out (sign out) in the sidebar. In presenter
        mode the role only: on a projector a signed-in e-mail address is a person's on screen."""
        role = ROLE_LABELS[principal.role]
        st.sidebar.subheader("Signed in" if principal.signed_in else "Access")
        if principal.signed_in and mode == "presenter":
            st.sidebar.text(role.capitalize())
        elif principal.signed_in:
            st.sidebar.text(f"{principal.user} ({role})")
        else:
            st.sidebar.text(f"{principal.user.capitalize()} ({role})")
        st.sidebar.caption(principal.why)
        problem = access.roles_problem()
        if problem:
            st.sidebar.error(literal(problem))
        if principal.role == "data_manager" and mode == "standard":
            for warning in access.roles_warnings():
                st.sidebar.warning(literal(warning))
        if principal.signed_in:
            st.sidebar.button("Sign out", key="sign_out", on_click=st.logout)

    st.set_page_config(
        page_title="Restart Insight",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    limited = access.over_limit()  # before any work: one visitor cannot stall the others
    if limited:
        st.warning(limited, icon=":material/hourglass_top:")
        st.button("Show the page again", key="rerun_limit_again")  # a click is the next try
        st.stop()

    def run_page() -> None:
        """Everything after the rerun limit: who this is, the dataset's view, the sidebar, the
        navigation and the page."""
        principal = access.resolve_principal()
        if principal is None:  # sign-in configured, nobody signed in: no data, one page
            gate = st.navigation(
                [st.Page(sign_in, title="Sign in", url_path="sign_in")], position="hidden"
            )
            style.apply("standard")
            banner.banner(None)
            gate.run()
            st.stop()
        try:
            view = context.view()  # what pages may show of the dataset, never the dataset itself
        except DatasetRefused as refused:
            style.apply("standard")
            banner.banner(None)
            st.error("The dataset could not be opened: it was refused by the checks below.")
            for heading, problems, left_out in refused.report.grouped():
                st.subheader(heading)
                st.markdown("\n".join(f"- {literal(p.text())}" for p in problems))
                if left_out:
                    st.caption(f"... and {left_out} more of the same kinds.")
            st.stop()

        meeting = controls.query_param("meeting")
        if meeting:
            # A meeting opens as slides, in presenter mode (entering presenter mode needs no
            # confirmation; leaving it does).
            st.session_state[controls.MODE_KEY] = "presenter"
        sel = controls.sidebar(view)
        context.set_selection(sel)
        view = view.at(sel)
        # The pages along the top, so the sidebar holds only the filters and the mode switch: with
        # fourteen links above them, the filters sat below the fold of a 1366 x 900 projector.
        sections = navigation_kept(sel.mode, principal.role)
        page = st.navigation(sections, position="top")
        on_slides = page.url_path == SLIDES_URL
        if meeting and not on_slides:
            slides_page = next(
                p for ps in sections.values() for p in ps if p.url_path == SLIDES_URL
            )
            st.switch_page(slides_page, query_params=st.query_params.to_dict())
        style.apply(sel.mode)
        if not (on_slides and meeting):  # a slide draws the caveat in its own strip, at its foot
            banner.banner(view.meta, sel)
        who(principal, sel.mode)
        message = controls.notice()
        if message:
            st.warning(literal(message), icon=":material/link_off:")
        if sel.mode == "standard":  # what the review gate holds back, for the data manager
            for note in view.held_back:
                st.info(literal(note), icon=":material/rate_review:")
        with context.handed_in(view):  # the page's context.view() is this one, for this run only
            page.run()

    with TURNS.turn():  # one run at a time holds the server's Python (insight.sharing.turns)
        run_page()
