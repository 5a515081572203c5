"""The app's pages, once: the router builds st.navigation from this, and the tests and the
benchmarks walk the same list, so a page added here is routed, tested and measured alike.

Plain data: no streamlit import, so tests and benchmarks can read it without a script run.
"""

from __future__ import annotations

from dataclasses import dataclass

from insight.core.selection import Mode
from insight.sharing.access import Action, Role, may

BOTH: tuple[Mode, ...] = ("standard", "presenter")
STANDARD: tuple[Mode, ...] = ("standard",)


@dataclass(frozen=True)
class PageSpec:
    section: str  # "" for the default page's own group
    path: str  # relative to the project root
    title: str
    url_path: str
    modes: tuple[Mode, ...]  # the page list is the access control: absent means unreachable
    needs: Action | None = None  # what the role must be allowed to do (insight.sharing.access)


# The default page is first. No page icons: Streamlit fetches a Material icon favicon from
# Google's servers, and nothing may leave the machine.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("", "pages/overview/overview.py", "Overview", "overview", BOTH),
    PageSpec("Participants", "pages/participants/locations.py", "Locations", "participants_locations", BOTH),
    PageSpec("Participants", "pages/participants/characteristics.py", "Characteristics", "participants_characteristics", BOTH),
    PageSpec("Participants", "pages/participants/barriers.py", "Barriers", "participants_barriers", BOTH),
    PageSpec("Participants", "pages/participants/services.py", "Service usage", "participants_services", BOTH),
    PageSpec("Participants", "pages/participants/trends.py", "Trends", "participants_trends", BOTH),
    PageSpec("Labour market", "pages/labour_market/labour_market.py", "Vacancies and job entries", "labour_market", BOTH),
    PageSpec("Labour market", "pages/labour_market/place.py", "The place", "labour_market_place", BOTH),
    PageSpec("Commissioning", "pages/commissioning/commissioning.py", "Plans and local provision", "commissioning", BOTH),
    PageSpec("What works", "pages/what_works/what_works.py", "Delivery insights", "what_works", BOTH),
    PageSpec("Meetings", "pages/meetings/meetings.py", "Meetings", "meetings", BOTH, "meetings"),
    PageSpec("Meetings", "pages/meetings/slides.py", "Slides", "slides", BOTH),
    PageSpec("Sharing", "pages/sharing/stakeholder_insights.py", "Stakeholder insights", "stakeholder_insights", BOTH),
    PageSpec("Sharing", "pages/sharing/can_i_share.py", "Can I share this?", "can_i_share", BOTH),
    PageSpec("Sharing", "pages/sharing/sharing.py", "Exports and sharing log", "sharing", STANDARD, "exports"),
    PageSpec("About", "pages/data/data.py", "Data", "data", STANDARD, "data"),
    PageSpec("About", "pages/about/about.py", "About this tool", "about", BOTH),
)  # fmt: skip


# The sections whose pages draw the annex's charts and maps: what the benchmarks time.
CHART_SECTIONS = ("", "Participants", "Labour market", "Commissioning")

SLIDES_URL = "slides"  # the slides page: app.py routes `?meeting=` to it and draws no banner there


def pages_for(mode: Mode, role: Role = "data_manager") -> tuple[PageSpec, ...]:
    """The pages this mode and role may reach, in navigation order. The default role is the
    local user's (data manager), so the mode alone decides, as before roles."""
    return tuple(
        page
        for page in PAGES
        if mode in page.modes and (page.needs is None or may(role, page.needs))
    )
