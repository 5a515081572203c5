"""CSS for the two modes. Presenter mode: larger type and spacing for a projector, the caveat
pinned on screen (sticky on the banner's wrapper: a sticky element stays within its parent).
Colours keep WCAG 2.2 AA contrast (text #0B0C0C on white, links #12436D)."""

from __future__ import annotations

import streamlit as st

from insight.core.selection import Mode

_COMMON = """
.st-key-caveat_banner {
  border-left: 6px solid #12436D;
  background: #F3F2F1;
  padding: 0.6rem 1rem 0.6rem 1rem;
  margin-bottom: 0.5rem;
  gap: 0.3rem;
}
/* Streamlit pulls a markdown block up by 1rem to offset its paragraphs' 1rem margin; with the
   banner's tighter paragraphs that pull made its lines overlap. */
.st-key-caveat_banner [data-testid="stMarkdownContainer"] { margin-bottom: 0; }
.st-key-caveat_banner p { margin-bottom: 0.2rem; color: #0B0C0C; }
/* Streamlit draws captions at 60% opacity, about 3.6:1 on white; WCAG 2.2 AA wants 4.5:1. */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #505A5F !important; }
/* Keyboard users must see where they are, on a projector too (WCAG 2.4.7, 2.4.13). */
[data-testid="stTopNavLink"]:focus-visible,
[data-testid="stTopNavSection"]:focus-visible,
[data-testid="stTopNavDropdownLink"]:focus-visible {
  outline: 3px solid #12436D !important;
  outline-offset: 2px;
}
/* The date input's day and month fields are under 24 px wide: WCAG 2.2 target size (2.5.8). */
[data-testid="stDateInputField"] [role="spinbutton"] {
  display: inline-block;
  min-width: 24px;
  min-height: 24px;
  line-height: 24px;
  text-align: center;
}
/* With the top navigation Streamlit pads the page by 8rem, leaving an empty band of about 70 px
   between the navigation (3.75rem) and the caveat banner: keep 1rem of it. */
.stMain [data-testid="stMainBlockContainer"] { padding-top: calc(3.75rem + 1rem); }
/* Headline cards on one row share the row's height (the tallest label sets it). */
[data-testid="stColumn"]:has([class*="st-key-card_"]) > [data-testid="stVerticalBlock"],
[data-testid="stColumn"] [data-testid="stLayoutWrapper"]:has(> [class*="st-key-card_"]),
[data-testid="stColumn"] [class*="st-key-card_"] { height: 100%; }
/* .stMain p.: Streamlit's own markdown paragraph rule outranked the bare class, and the share
   came out at body size in standard mode. */
.stMain p.ri-card-label { font-size: 0.95rem; margin-bottom: 0.1rem !important; }
/* A card's label and, hidden in the same grid cell, its row's other labels: every label box is
   as tall as the row's tallest label, so the figures under them sit at one height. */
.stMain .ri-card-labels { display: grid; }
.stMain .ri-card-labels > p { grid-area: 1 / 1; }
.stMain .ri-card-labels > p.ri-card-spacer { visibility: hidden; }
.stMain p.ri-card-value { font-size: 2.2rem; font-weight: 700; color: #12436D; line-height: 1.1; }
"""

_PRESENTER = """
[data-testid="stLayoutWrapper"]:has(> .st-key-caveat_banner) {
  position: sticky;
  top: 3.75rem;
  z-index: 990;
}
.st-key-caveat_banner { box-shadow: 0 2px 6px rgba(0, 0, 0, 0.2); }
/* What scrolls into view (a keyboard focus, a heading's link, Page Down) stops below the pinned
   navigation and caveat (about 190 px at 1366 x 768) instead of under them (WCAG 2.4.11). */
.stMain { scroll-padding-top: 13rem; }
.stMain .st-key-caveat_banner [data-testid="stMarkdownContainer"] p { font-size: 1.1rem; line-height: 1.35; }
.stMain [data-testid="stMarkdownContainer"] p,
.stMain [data-testid="stMarkdownContainer"] li,
.stMain [data-testid="stCaptionContainer"],
.stMain [data-testid="stAlertContentInfo"] p {
  font-size: 1.35rem;
  line-height: 1.5;
}
.stMain h1 { font-size: 2.8rem; }
.stMain h2 { font-size: 2.1rem; }
.stMain h3 { font-size: 1.7rem; }
.stMain p.ri-card-label { font-size: 1.3rem; }
.stMain p.ri-card-value { font-size: 3.2rem; line-height: 1.1; }
.stMain [data-testid="stTable"] td, .stMain [data-testid="stTable"] th { font-size: 1.25rem; }
.stMain .block-container, .stMain [data-testid="stMainBlockContainer"] {
  padding-left: 3rem; padding-right: 3rem;
}
.stMain [data-testid="stVerticalBlock"] { gap: 1.4rem; }
.stMain [data-testid="stVerticalBlock"].st-key-caveat_banner { gap: 0.4rem; }
.stSidebar [data-testid="stMarkdownContainer"] p, .stSidebar label p { font-size: 1.1rem; }
"""


def apply(mode: Mode) -> None:
    css = _COMMON + (_PRESENTER if mode == "presenter" else "")
    st.html(f"<style>{css}</style>")


# Slides (components.slides): no navigation, sidebar or toolbar; the slide is one column the
# height of the window, its chart taking whatever the heading, caveat strip and controls leave.
# The slide is laid out for a 1280 x 720 window and grows with the window up to 1920 x 1080: the
# page's rem is 16 px times --ri-s (the window against 1280 x 720, between 0.75 and 1.5), every
# size below is in rem, and the chart (built in px for the 1280 x 720 layout, components.slides)
# is scaled by the same factor. A browser without CSS typed arithmetic keeps the 1280 x 720 sizes.
# At 1280 x 720 the headline is 32 px and every other text at least 20 px (the caveat strip's
# provenance line 18 px), a projected deck's floor.
_SLIDES = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
@supports (scale: calc(100vw / 1280px)) {
  :root { --ri-s: clamp(0.75, min(100vw / 1280px, 100vh / 720px), 1.5); }
  html { font-size: calc(16px * var(--ri-s)) !important; }
  /* The plot itself, not its Streamlit element: Streamlit sizes a chart by its element's box
     on screen, so a scaled element would be drawn larger and larger. */
  .st-key-slide_scaled .js-plotly-plot { scale: var(--ri-s); transform-origin: 0 0; }
  .st-key-slide_scaled [data-testid="stElementContainer"] { overflow: visible !important; }
}
.stMain .block-container, .stMain [data-testid="stMainBlockContainer"] {
  padding: 0.5rem 2rem 0.4rem 2rem !important; max-width: none;
}
.stMain [data-testid="stVerticalBlock"] { gap: 0.5rem; }
.stMain .st-key-slide {
  flex: 0 0 auto !important; height: calc(100vh - 1.45rem) !important; gap: 0.4rem !important;
  overflow: hidden;
}
.st-key-slide > [data-testid="stLayoutWrapper"]:has(> .st-key-slide_body) {
  flex: 1 1 0 !important; min-height: 0;
}
.stMain .st-key-slide_body {
  height: 100% !important; min-height: 0; position: relative; overflow: hidden;
}
.st-key-slide_body button p, .st-key-slide_body button [data-testid="stIconMaterial"] {
  font-size: 1.25rem !important; }
.st-key-slide_body [data-testid="stMarkdownContainer"] p,
.st-key-slide_body [data-testid="stMarkdownContainer"] li,
.st-key-slide_body [data-testid="stCaptionContainer"],
.st-key-slide_body [data-testid="stCaptionContainer"] p,
.st-key-slide_body [data-testid="stAlertContentInfo"] p,
.st-key-slide_body [data-testid="stText"] { font-size: 1.35rem !important; line-height: 1.35; }
.st-key-slide_body [data-testid="stMarkdownContainer"] strong { font-size: inherit; }
.ri-slide-head { line-height: 1.2; display: flex; flex-wrap: wrap; align-items: baseline;
  align-content: flex-start; column-gap: 1.5rem; height: 9.7rem; overflow: hidden; }
.ri-slide-head h1.ri-slide-area {
  order: 1; margin: 0; padding: 0; font-size: 2.75rem; line-height: 1.15; color: #0B0C0C;
  font-weight: 700;
}
/* Beside the area's name on one line, never wrapped: the name's size is set on the slide so that
   both fit (insight.outputs.slide_head); a name too long even then puts it on its own line above. */
.ri-slide-head h1.ri-slide-area { white-space: nowrap; }
.ri-slide-head .ri-slide-kicker {
  order: 2; flex: 1 0 auto; margin: 0; text-align: right; align-self: center;
  font-size: 1.25rem; line-height: 1.2; color: #505A5F; white-space: nowrap;
}
.ri-slide-head .ri-slide-kicker.ri-slide-kicker-stacked {
  order: 0; flex-basis: 100%; text-align: left;
}
.ri-slide-head h2.ri-slide-headline {
  order: 3; flex-basis: 100%; margin: 0.1rem 0 0 0; padding: 0; font-size: 2rem;
  line-height: 1.2; color: #12436D; font-weight: 700;
  max-height: 2.4em; overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 2;
}
/* The heading always takes the room of two headline lines and one subtitle line (the room left
   below a one-line headline's subtitle), so the chart area has one known size on every slide
   (insight.outputs.meetings.SLIDE_SIZE, the size each chart and map is drawn at). */
.ri-slide-head .ri-slide-subtitle {
  order: 4; flex-basis: 100%; margin: 0.1rem 0 0 0; font-size: 1.25rem; color: #3D3D3D;
  height: 1.2em; line-height: 1.2; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
/* The small-base marker (insight.numbers.certainty) opens the subtitle's line, so the heading
   keeps its one height and the marker is never the part cut off. */
.ri-slide-head .ri-slide-caution {
  font-weight: 700; color: #0B0C0C; border-left: 6px solid #F46A25; padding: 0 0.4rem;
  margin-right: 0.6rem;
}
.ri-slide-caveat {
  border-left: 6px solid #12436D; background: #F3F2F1; padding: 0.25rem 0.8rem;
}
.ri-slide-caveat p { margin: 0; font-size: 1rem; line-height: 1.25; color: #0B0C0C; }
.ri-slide-caveat p:first-child { font-size: 1.25rem; }
.ri-slide-table { border-collapse: collapse; width: 100%; font-size: 1.5rem; line-height: 1.3;
  color: #0B0C0C; }
.ri-slide-table th, .ri-slide-table td { padding: 0.45rem 0.8rem; border-bottom: 1px solid #B1B4B6;
  text-align: right; }
.ri-slide-table th[scope="row"], .ri-slide-table thead th:first-child { text-align: left; }
.ri-slide-table thead th { font-size: 1.3rem; color: #3D3D3D; border-bottom: 2px solid #0B0C0C; }
.ri-slide-table tbody th { font-weight: 400; }
.ri-slide-counter { margin: 0 0.5rem; font-size: 1.25rem; font-weight: 700; color: #0B0C0C; }
"""


def slides() -> None:
    """The slide layout's CSS (after apply(): it narrows presenter mode's spacing)."""
    st.html(f"<style>{_SLIDES}</style>")
